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
 * fast as it is refused). A thread whose fork is
 * in flight is known done once it traps again (its process then counts
 * as walked until the next walk), or a walk finds it with a child it did
 * not have when its fork was let through, or gone, or outside a
 * fork-family call in /proc/TID/syscall. Every decision
 * rests on the supervisor's own state and the syscall's number and flag
 * registers, never on the command's memory. An overestimate only refuses a
 * fork early (fail closed): a fork that failed still counts until the
 * next walk.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

/* A fork let through: its thread, and the thread's children then. */
typedef struct {
  pid_t   tid;
  GArray *children;   /* pid_t */
} InFlight;

static void
in_flight_clear (gpointer data)
{
  g_array_unref (((InFlight *) data)->children);
}

struct _SandlockProcessCount {
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
  g_array_set_clear_func (count->in_flight, in_flight_clear);
  return count;
}

void
sandlock_process_count_free (SandlockProcessCount *count)
{
  if (count == NULL)
    return;
  g_array_unref (count->in_flight);
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

/* Whether the fork @entry stands for may not have happened yet: its
 * thread has no child it did not have then, and is still in a fork-family
 * call or runs (it may be in the kernel's fork). A vfork()ing parent waits
 * in its call until the child executes, with the child already there. */
static gboolean
still_in_flight (const InFlight *entry)
{
  char path[64], text[32] = { 0 };
  g_autoptr(GArray) children = sandlock_proctree_children (entry->tid);
  int fd;
  ssize_t n;

  for (guint i = 0; i < children->len; i++)
    {
      pid_t child = g_array_index (children, pid_t, i);
      gboolean known = FALSE;

      for (guint j = 0; j < entry->children->len && !known; j++)
        known = g_array_index (entry->children, pid_t, j) == child;
      if (!known)
        return FALSE;
    }

  g_snprintf (path, sizeof path, "/proc/%d/syscall", (int) entry->tid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno != ENOENT && errno != ESRCH;   /* unreadable: assume so */
  n = read (fd, text, sizeof text - 1);
  close (fd);
  if (n <= 0)
    return n < 0 && errno != ESRCH;
  return g_str_has_prefix (text, "running") || is_fork_nr (strtol (text, NULL, 10));
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
  InFlight entry;

  if (count == NULL || count->max_processes == 0)
    return NULL;
  /* A user handler on clone traps threads too: not our business. */
  if (call->request->data.nr == __NR_clone && (call->request->data.args[0] & CLONE_THREAD))
    return NULL;

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
  entry.tid = tid;
  entry.children = sandlock_proctree_children (tid);
  g_array_append_val (count->in_flight, entry);
  count->changed = TRUE;
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
};
