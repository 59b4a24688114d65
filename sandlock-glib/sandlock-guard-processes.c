/* sandlock-guard-processes.c: the processes guard (max-processes)
 *
 * Counts the live processes of a sandbox and refuses, with EAGAIN as the
 * kernel's pids controller and RLIMIT_NPROC do, the fork that would go
 * beyond SandlockSandbox:max-processes. The filter traps fork, vfork and
 * clone without CLONE_THREAD (a register: creating a thread costs no
 * notification); clone3 is answered ENOSYS by the deny filter, so the C
 * library falls back to clone.
 *
 * Every process of a sandbox descends from its helper, a child subreaper
 * that inherits every orphan (setsid()'d and double-forked daemons
 * included): the live processes are the helper's descendants, read from
 * /proc/PID/task/TID/children. Zombies count until they are reaped, as in
 * the kernel's pids controller.
 *
 * Walking the tree at every fork would cost the main loop a /proc read per
 * process per fork, and would miss forks answered "continue" that the
 * kernel has not carried out yet. So the guard keeps an upper bound: the
 * count of its last walk plus the forks it let through since ("in
 * flight", by thread). Only when that bound reaches the limit does it walk
 * again: at once if a fork went through or completed since the last walk,
 * else at most once per WALK_INTERVAL_US (processes that exited are only
 * seen by a walk; a fork bomb at its limit changes nothing but retries as
 * fast as it is refused). Letting a fork through costs no /proc read: the
 * guard only notes the thread.
 *
 * A thread whose fork is in flight is known done once it traps again (its
 * process then counts as walked until the next walk), or a walk finds it
 * gone, or blocked in /proc/TID/syscall in a call that is not of the fork
 * family, or waiting for the supervisor's answer to another trapped call
 * (its /proc/TID/wchan is the kernel's seccomp notification wait, and the
 * fork was answered, "continue" passing through perform(): that answer
 * woke it, so this is a new call; until then the thread waits there for
 * the fork's own answer, which a user handler may hold back). A new child
 * of the thread proves nothing: a child of the thread's child cloned with
 * CLONE_PARENT, or a sibling thread's orphan, becomes the thread's child
 * too. Otherwise (running, in the kernel's fork, a vfork parent waiting
 * for its child's exec) the fork counts as in flight, even when its
 * process also counts as walked. Every decision rests on the supervisor's
 * own state, the syscall's number and flag registers and what the kernel
 * says of the thread, never on the command's memory. An overestimate only
 * refuses a fork early (fail closed): a fork that failed, or whose thread
 * runs on after it, still counts until the next walk that finds its
 * thread blocked elsewhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandlock-guard-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-proctree-private.h"

/* The shortest time between two walks of the tree: a fork bomb at its
 * limit retries its forks as fast as they are refused. */
#define WALK_INTERVAL_US 10000

/* More than this many processes: stop counting (the limit is far lower). */
#define COUNT_CEILING 100000

/* A fork let through: its thread, and whether it was answered. */
typedef struct {
  pid_t    tid;
  gboolean answered;   /* "continue" was sent: the thread left its wait */
} InFlight;

struct _SandlockProcessCount {
  GMutex   lock;          /* check and perform: perform may run on a worker */
  pid_t    helper_pid;
  guint    max_processes;
  guint    walked;        /* the last walk's count */
  gint64   walked_at;     /* monotonic µs, 0: never */
  GArray  *in_flight;     /* InFlight: forks let through since */
  gboolean changed;       /* a fork was let through or completed since */
  gboolean refused;
  gboolean just_refused;  /* by the last check */
};

SandlockProcessCount *
sandlock_process_count_new (pid_t helper_pid,
                            guint max_processes)
{
  SandlockProcessCount *count = g_new0 (SandlockProcessCount, 1);

  count->helper_pid = helper_pid;
  count->max_processes = max_processes;
  count->walked = 1;   /* the first process, until the first walk */
  count->in_flight = g_array_new (FALSE, FALSE, sizeof (InFlight));
  g_mutex_init (&count->lock);
  return count;
}

void
sandlock_process_count_free (SandlockProcessCount *count)
{
  if (count == NULL)
    return;
  g_array_unref (count->in_flight);
  g_mutex_clear (&count->lock);
  g_free (count);
}

gboolean
sandlock_process_count_refused (const SandlockProcessCount *count)
{
  return count != NULL && count->refused;
}

gboolean
sandlock_process_count_take_refusal (SandlockProcessCount *count)
{
  gboolean just_refused = count != NULL && count->just_refused;

  if (count != NULL)
    count->just_refused = FALSE;
  return just_refused;
}

static gboolean
is_fork_nr (long nr)
{
  return nr == __NR_clone || nr == __NR_clone3
#ifdef __NR_fork
         || nr == __NR_fork
#endif
#ifdef __NR_vfork
         || nr == __NR_vfork
#endif
         ;
}

/* The helper's descendants, now. */
static guint
count_tree (pid_t helper_pid)
{
  g_autoptr(GArray) pids = sandlock_proctree_descendants (helper_pid, COUNT_CEILING);

  return pids->len;
}

/* Whether the fork that thread @tid was let through may not have happened
 * yet: it is not gone, and it runs (it may be in the kernel's fork), or
 * sleeps in a fork-family call other than a new trapped one (a vfork()ing
 * parent waits in its call until the child executes, with the child
 * already there; copy_process may sleep before the child is). What cannot
 * be read counts as in flight. */
static gboolean
still_in_flight (const InFlight *entry)
{
  pid_t tid = entry->tid;
  char text[64];

  if (sandlock_proctree_read (tid, "syscall", text, sizeof text) <= 0)
    return errno != ENOENT && errno != ESRCH;   /* gone, or unreadable */
  if (g_str_has_prefix (text, "running"))
    return TRUE;
  if (!is_fork_nr (strtol (text, NULL, 10)))
    return FALSE;   /* blocked in another call: the fork is over */

  /* In a fork-family call: a new one, trapped and waiting for its answer?
   * Not before the fork's own answer went out: the thread may still wait
   * for it. (Any other wait, or a name this kernel spells otherwise: in
   * flight.) */
  if (!entry->answered)
    return TRUE;
  if (sandlock_proctree_read (tid, "wchan", text, sizeof text) <= 0)
    return errno != ENOENT && errno != ESRCH;
  return !g_str_has_prefix (text, "seccomp_do_user_notification");
}

/* @tid makes a new syscall: a fork of its that was in flight is done, and
 * its process (if the fork succeeded) is now one the next walk will see:
 * counted until then. */
static void
fork_done (SandlockProcessCount *count,
           pid_t                 tid)
{
  for (guint i = 0; i < count->in_flight->len; i++)
    if (g_array_index (count->in_flight, InFlight, i).tid == tid)
      {
        g_array_remove_index_fast (count->in_flight, i);
        count->walked++;
        count->changed = TRUE;
        return;
      }
}

static void
walk (SandlockProcessCount *count)
{
  for (guint i = count->in_flight->len; i > 0; i--)
    if (!still_in_flight (&g_array_index (count->in_flight, InFlight, i - 1)))
      g_array_remove_index_fast (count->in_flight, i - 1);
  count->walked = count_tree (count->helper_pid);
  count->walked_at = g_get_monotonic_time ();
  count->changed = FALSE;
}

static SandlockAction *
check (const SandlockGuardCall *call)
{
  SandlockProcessCount *count = call->processes;
  pid_t tid = (pid_t) call->request->pid;
  InFlight entry = { tid, FALSE };
  g_autoptr(GMutexLocker) locker = NULL;

  if (count == NULL || count->max_processes == 0)
    return NULL;
  /* A user handler on clone traps threads too: not our business. */
  if (call->request->data.nr == __NR_clone && (call->request->data.args[0] & CLONE_THREAD))
    return NULL;

  locker = g_mutex_locker_new (&count->lock);
  fork_done (count, tid);

  if (count->walked + count->in_flight->len >= count->max_processes &&
      (count->changed || g_get_monotonic_time () - count->walked_at >= WALK_INTERVAL_US))
    walk (count);

  if (count->walked + count->in_flight->len >= count->max_processes)
    {
      count->refused = TRUE;
      count->just_refused = TRUE;
      return sandlock_action_new_errno (EAGAIN);
    }
  g_array_append_val (count->in_flight, entry);
  count->changed = TRUE;
  return NULL;
}

/* The fork is answered "continue" (at once, or once the handlers
 * continued, maybe on the thread that resolved a deferred answer): its
 * thread leaves the wait for this answer. Performs nothing. */
static SandlockAction *
perform (const SandlockGuardCall *call)
{
  SandlockProcessCount *count = call->processes;
  g_autoptr(GMutexLocker) locker = NULL;

  if (count == NULL)
    return NULL;
  locker = g_mutex_locker_new (&count->lock);
  for (guint i = 0; i < count->in_flight->len; i++)
    {
      InFlight *entry = &g_array_index (count->in_flight, InFlight, i);

      if (entry->tid == (pid_t) call->request->pid)
        entry->answered = TRUE;
    }
  return NULL;
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return policy->max_processes > 0;
}

static const char * const syscalls[] = { "clone", "fork", "vfork", NULL };

const SandlockGuard sandlock_guard_processes = {
  .name = "processes",
  .syscalls = syscalls,
  .applies = applies,
  .check = check,
  .perform = perform,
};
