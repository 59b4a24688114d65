/* sandlock-launch-child.c: the helper and the child, between clone and exec
 *
 * Everything here runs in the helper process or in the confined child
 * before it executes the command: async-signal-safe code only. No GLib
 * call, no allocation, no lock, no libc call that may take one; the
 * kernel is reached through sandlock_sys(), which leaves errno alone (the
 * helper may share the application's memory, and its errno). A test
 * (tests/check-structure.py) checks the symbols this file calls.
 *
 *  helper  started by the supervisor (sandlock-launch.c), sharing its
 *          memory where it can (see SandlockLaunchArea) until the command
 *          has started, then executing sandlock-reaper; else forked. A
 *          child subreaper: every process of the sandbox that loses its
 *          parent is reparented to it, so it can kill and reap all of them
 *          (sandlock-reaper.c). It keeps the sandbox's deadline
 *          (SandlockSandbox:timeout).
 *  child   created by the helper with CLONE_FILES: until it execs, it
 *          shares the helper's descriptor table. It confines itself,
 *          installs the notify filter, publishes the listener's number in
 *          shared memory and execs at once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/securebits.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-launch-child-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-reaper-private.h"

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#elif defined(__aarch64__)
  __asm__ __volatile__ ("yield" ::: "memory");
#else
  __asm__ __volatile__ ("" ::: "memory");
#endif
}

/* Sets one signal's disposition to SIG_IGN or SIG_DFL. */
static void
set_disposition (int           sig,
                 __sighandler_t handler)
{
#if defined(SANDLOCK_HAVE_RAW_SYSCALL)
  /* The kernel's struct sigaction on x86-64 and arm64. */
  struct {
    __sighandler_t handler;
    unsigned long  flags;
    void          *restorer;
    guint64        mask;
  } action = { handler, 0, NULL, 0 };

  sandlock_sys (__NR_rt_sigaction, sig, &action, NULL, sizeof action.mask);
#else
  struct sigaction action = { .sa_handler = handler };

  sigaction (sig, &action, NULL);
#endif
}

static long
set_signal_mask (guint64 mask)
{
  return sandlock_sys (__NR_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof mask);
}

/* fork() sharing the descriptor table until the child execs. The child
 * runs @child_main on @stack_top, in the helper's memory (which is the
 * application's when the helper shares it). -errno on failure. (No pidfd:
 * the helper alone reaps the child, so its pid stays its own until then,
 * and the supervisor signals it through the helper.) */
static pid_t
clone_files (char      *stack_top,
             void     (*child_main) (gpointer data),
             gpointer   data)
{
  return sandlock_clone (CLONE_VM | CLONE_FILES | SIGCHLD, NULL, stack_top, 0, child_main, data);
}

/* The futex word may be in a mapping shared between processes (when the
 * helper was forked): no FUTEX_PRIVATE_FLAG. */
static void
futex_wake (int *word)
{
  sandlock_sys (__NR_futex, word, FUTEX_WAKE, INT_MAX);
}

static void
set_state (SandlockHandshake      *shared,
           SandlockHandshakeState  state)
{
  __atomic_store_n (&shared->state, state, __ATOMIC_RELEASE);
  futex_wake (&shared->state);
}

static void
record_failure (SandlockHandshake *shared,
                SandlockLaunchStep         step,
                int                error_number)
{
  shared->failed_errno = error_number;
  shared->failed_step = step;
  set_state (shared, SANDLOCK_HANDSHAKE_SETUP_FAILED);
}

/* For the helper before its child exists. @result is a raw syscall's. It
 * reports the failure on @control, then that nothing of the sandbox runs,
 * and exits. */
static void
helper_check (SandlockHandshake *shared,
              SandlockLaunchStep         step,
              long               result,
              int                control)
{
  SandlockHelperMessage failed = { .status = SANDLOCK_HELPER_FAILED, .failed_step = step };
  SandlockHelperMessage exited = { .status = SANDLOCK_HELPER_EXITED };

  if (result >= 0)
    return;
  record_failure (shared, step, (int) -result);
  failed.failed_errno = (int) -result;
  sandlock_reaper_send_message (control, &failed, NULL, 0);
  sandlock_reaper_send_message (control, &exited, NULL, 0);
  sandlock_reaper_exit (127);
}

/* For the child, while the helper runs too. */
static void
child_check (SandlockHandshake *shared,
             SandlockLaunchStep         step,
             long               result)
{
  if (result >= 0)
    return;
  record_failure (shared, step, (int) -result);
  sandlock_reaper_exit (127);
}

static long
close_from (int lowest)
{
  long result = sandlock_sys (__NR_close_range, lowest, ~0U, 0);

  if (result == -ENOSYS)
    {
      struct rlimit rl;
      int max = 65536;

      if (sandlock_sys (__NR_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
        max = (int) MIN (rl.rlim_max, (rlim_t) (1 << 20));
      for (int fd = lowest; fd < max; fd++)
        sandlock_sys (__NR_close, fd);
      return 0;
    }

  return result;
}

/* Where the helper keeps slot @slot of SandlockFd while it shares its
 * table with the child: the standard streams at 0-2, its own above the
 * passed descriptors. */
static inline int
helper_fd (const SandlockChildArgs *args,
           int                      slot)
{
  return slot < SANDLOCK_FD_CONTROL ? slot : slot + args->fd_offset;
}

/* Closes every descriptor below @limit that is not one of @keep's @n_keep. */
static void
close_others_below (const int *keep,
                    int        n_keep,
                    int        limit)
{
  int first = -1;

  for (int fd = 0; fd <= limit; fd++)
    {
      gboolean kept = fd == limit;

      for (int k = 0; k < n_keep && !kept; k++)
        kept = keep[k] == fd;
      if (!kept && first < 0)
        first = fd;
      else if (kept && first >= 0)
        {
          if (sandlock_sys (__NR_close_range, first, fd - 1, 0) == -ENOSYS)
            for (int gap = first; gap < fd; gap++)
              sandlock_sys (__NR_close, gap);
          first = -1;
        }
    }
}

/* Puts each source descriptor at its number (the helper's slots, then the
 * descriptors passed to the command) and closes everything else the
 * supervisor had open: nothing of the application leaks. Only the
 * standard streams and the passed descriptors survive the command's exec. */
static long
arrange_fds (const SandlockChildArgs *args,
             int                     *control)
{
  int finals[SANDLOCK_N_FDS + SANDLOCK_MAX_PASSED_FDS];
  int moved[SANDLOCK_N_FDS + SANDLOCK_MAX_PASSED_FDS];
  int n = 0, high = 0;

  /* *@control is where the control socket is at each point, to report a
   * failure on: never a number that may be one of the application's. */
  *control = args->source_fds[SANDLOCK_FD_CONTROL];
  for (int i = 0; i < SANDLOCK_N_FDS; i++)
    finals[n++] = helper_fd (args, i);
  for (guint j = 0; j < args->n_passed; j++)
    finals[n++] = args->passed_targets[j];
  for (int k = 0; k < n; k++)
    high = MAX (high, finals[k] + 1);

  for (int k = 0; k < n; k++)
    {
      int source = k < SANDLOCK_N_FDS ? args->source_fds[k]
                                      : args->passed_sources[k - SANDLOCK_N_FDS];

      moved[k] = -1;
      if (source >= 0)
        {
          /* Above every target, so no dup3 below clobbers a copy; and no
           * higher, since a number at or above RLIMIT_NOFILE fails with
           * EINVAL, which would hide that the limit is what is short. */
          long fd = sandlock_sys (__NR_fcntl, source, F_DUPFD_CLOEXEC, high);

          /* The application may have closed the reaper's memfd meanwhile:
           * then the helper supervises in place. */
          if (fd == -EBADF && k == SANDLOCK_FD_REAPER)
            continue;
          if (fd < 0)
            return fd;
          moved[k] = (int) fd;
          if (k == SANDLOCK_FD_CONTROL)
            *control = moved[k];
        }
    }

  for (int k = 0; k < n; k++)
    {
      if (moved[k] < 0)
        sandlock_sys (__NR_close, finals[k]);
      else
        {
          /* The helper's own slots close on exec; the streams and the
           * passed descriptors are the command's. */
          gboolean helpers = k >= SANDLOCK_FD_CONTROL && k < SANDLOCK_N_FDS;
          long result = sandlock_sys (__NR_dup3, moved[k], finals[k], helpers ? O_CLOEXEC : 0);

          if (result < 0)
            return result;
        }
    }
  *control = helper_fd (args, SANDLOCK_FD_CONTROL);

  close_others_below (finals, n, high);
  return close_from (high);
}

/* Leaves the table shared with the child (which keeps it until it execs)
 * and puts the helper's descriptors back at their fixed numbers, without
 * the passed ones: what sandlock-reaper expects. Nothing to do when no
 * descriptor was passed. */
static long
leave_shared_fds (const SandlockChildArgs *args)
{
  long result;

  if (args->fd_offset == 0)
    return 0;
  if ((result = sandlock_sys (__NR_unshare, CLONE_FILES)) != 0)
    return result;
  for (guint j = 0; j < args->n_passed; j++)
    sandlock_sys (__NR_close, args->passed_targets[j]);
  /* Upwards: each slot's number is below its current one, and every lower
   * slot has left its current number already. */
  for (int i = SANDLOCK_FD_CONTROL; i < SANDLOCK_N_FDS; i++)
    {
      int from = helper_fd (args, i);

      if (sandlock_sys (__NR_fcntl, from, F_GETFD) < 0)
        {
          sandlock_sys (__NR_close, i);
          continue;
        }
      if ((result = sandlock_sys (__NR_dup3, from, i, O_CLOEXEC)) < 0)
        return result;
      sandlock_sys (__NR_close, from);
    }
  return 0;
}

/* Leaves the command no capability: see docs/policy.md ("What the command
 * holds"). Runs after PR_SET_NO_NEW_PRIVS, before Landlock and seccomp
 * (the deny filter refuses PR_SET_SECUREBITS).
 *
 * With CAP_SETPCAP (an application run as root), the bounding set is
 * emptied and the securebits set and locked, so that nothing the command
 * executes regains a capability: not a program run as uid 0 (NOROOT), not
 * a change of uid (NO_SETUID_FIXUP), nor the ambient set. The bits the
 * application had set stay set: none of ours clears one, so a bit it
 * locked is no conflict. Without CAP_SETPCAP neither is possible: the
 * bounding set stays as the kernel gave it, and no_new_privs keeps execve
 * from granting anything beyond the (empty) permitted set. Then, for
 * everyone, the ambient set is cleared and the effective, permitted and
 * inheritable sets emptied, which needs no privilege. Every failure is a
 * set-up failure. */
static void
drop_capabilities (SandlockHandshake *shared)
{
  const long locked_bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
                           SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
                           SECBIT_KEEP_CAPS_LOCKED |
                           SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

  child_check (shared, SANDLOCK_STEP_CAPABILITIES, sandlock_sys (__NR_capget, &header, data));

  if (data[CAP_TO_INDEX (CAP_SETPCAP)].permitted & CAP_TO_MASK (CAP_SETPCAP))
    {
      long bits;

      /* Effective too, should the application hold it only permitted. */
      data[CAP_TO_INDEX (CAP_SETPCAP)].effective |= CAP_TO_MASK (CAP_SETPCAP);
      child_check (shared, SANDLOCK_STEP_CAPABILITIES, sandlock_sys (__NR_capset, &header, data));

      /* Every capability the running kernel knows: it answers EINVAL past
       * its last one. */
      for (int cap = 0; cap < 64; cap++)
        {
          long result = sandlock_sys (__NR_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0);

          if (result == -EINVAL && cap > CAP_SETPCAP)
            break;
          child_check (shared, SANDLOCK_STEP_BOUNDING_SET, result);
        }

      bits = sandlock_sys (__NR_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
      child_check (shared, SANDLOCK_STEP_SECUREBITS, bits);
      child_check (shared, SANDLOCK_STEP_SECUREBITS,
                   sandlock_sys (__NR_prctl, PR_SET_SECUREBITS, bits | locked_bits, 0, 0, 0));
    }

  child_check (shared, SANDLOCK_STEP_CAPABILITIES,
               sandlock_sys (__NR_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
  for (gsize i = 0; i < G_N_ELEMENTS (data); i++)
    data[i].effective = data[i].permitted = data[i].inheritable = 0;
  child_check (shared, SANDLOCK_STEP_CAPABILITIES, sandlock_sys (__NR_capset, &header, data));
}

/* Runs in the child, which shares the helper's descriptor table: it must
 * close nothing (the helper's descriptors are close-on-exec, gone from the
 * child's own copy when it execs). */
static G_GNUC_NORETURN void
child_main (const SandlockChildArgs *args,
            pid_t            helper_pid)
{
  SandlockHandshake *shared = args->shared;
  unsigned int flags = args->listener_flags;
  long listener, result;

  /* Ignored signals survive exec: give the command a clean slate. (Errors,
   * for the signals libc reserves, do not matter.) */
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      set_disposition (sig, SIG_DFL);
  child_check (shared, SANDLOCK_STEP_SIGNALS, set_signal_mask (0));

  if (args->new_session)
    {
      /* A session of its own (we lead no process group: setsid() cannot
       * fail with EPERM), whose controlling terminal is the private one:
       * /dev/tty then opens it and nothing else, in every process of the
       * sandbox. The terminal is new, no session's yet: no privilege
       * needed, nothing stolen (0). */
      child_check (shared, SANDLOCK_STEP_SETSID, sandlock_sys (__NR_setsid));
      child_check (shared, SANDLOCK_STEP_CONTROLLING_TERMINAL,
                   sandlock_sys (__NR_ioctl, helper_fd (args, SANDLOCK_FD_TERMINAL), TIOCSCTTY, 0));
    }
  else
    child_check (shared, SANDLOCK_STEP_SETPGID, sandlock_sys (__NR_setpgid, 0, 0));

  /* Die with the helper, and check it did not die before the prctl. */
  child_check (shared, SANDLOCK_STEP_PDEATHSIG, sandlock_sys (__NR_prctl, PR_SET_PDEATHSIG, SIGKILL));
  if (sandlock_sys (__NR_getppid) != helper_pid)
    child_check (shared, SANDLOCK_STEP_PARENT_GONE, -ESRCH);

  /* Into the sandbox's cgroup, before anything runs that could fork: "0"
   * moves the writer (the cgroup.procs of v1 and v2 alike). */
  for (guint i = 0; i < args->n_cgroup_files; i++)
    {
      long fd = sandlock_sys (__NR_openat, AT_FDCWD, args->cgroup_files[i], O_WRONLY | O_CLOEXEC);

      child_check (shared, SANDLOCK_STEP_CGROUP, fd);
      result = sandlock_sys (__NR_write, fd, "0", 1);
      sandlock_sys (__NR_close, fd);
      child_check (shared, SANDLOCK_STEP_CGROUP, result);
    }

  if (args->has_cpu_mask)
    child_check (shared, SANDLOCK_STEP_AFFINITY,
                 sandlock_sys (__NR_sched_setaffinity, 0, sizeof args->cpu_mask, args->cpu_mask));

  if (args->max_address_space > 0)
    {
      struct rlimit rl = { 0 };

      child_check (shared, SANDLOCK_STEP_RLIMIT_AS, sandlock_sys (__NR_prlimit64, 0, RLIMIT_AS, NULL, &rl));
      if (rl.rlim_max == RLIM_INFINITY || args->max_address_space < rl.rlim_max)
        rl.rlim_max = args->max_address_space;
      rl.rlim_cur = rl.rlim_max;
      child_check (shared, SANDLOCK_STEP_RLIMIT_AS, sandlock_sys (__NR_prlimit64, 0, RLIMIT_AS, &rl, NULL));
    }

  /* A set-up that never ends (SANDLOCK_TEST_STALL_SETUP), as in a chdir()
   * to a dead network mount: the spawn must give up on it. */
  if (args->stall_for_testing)
    sandlock_sys (__NR_kill, sandlock_sys (__NR_getpid), SIGSTOP);

  if (args->cwd != NULL)
    child_check (shared, SANDLOCK_STEP_CHDIR, sandlock_sys (__NR_chdir, args->cwd));

  if (args->max_open_files > 0)
    {
      struct rlimit rl = { 0 };

      /* prlimit64 on the real kernel: valgrind emulates this limit and
       * would refuse to lower the hard one (the child runs natively under
       * valgrind anyway). */
      child_check (shared, SANDLOCK_STEP_RLIMIT, sandlock_sys (__NR_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl));
      if (rl.rlim_max == RLIM_INFINITY || args->max_open_files < rl.rlim_max)
        rl.rlim_max = args->max_open_files;
      rl.rlim_cur = rl.rlim_max;
      child_check (shared, SANDLOCK_STEP_RLIMIT, sandlock_sys (__NR_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL));
    }

  child_check (shared, SANDLOCK_STEP_NO_NEW_PRIVS, sandlock_sys (__NR_prctl, PR_SET_NO_NEW_PRIVS, 1));

  drop_capabilities (shared);

  if (args->source_fds[SANDLOCK_FD_RULESET] >= 0)
    child_check (shared, SANDLOCK_STEP_LANDLOCK,
                 sandlock_sys (__NR_landlock_restrict_self, helper_fd (args, SANDLOCK_FD_RULESET), 0));

  child_check (shared, SANDLOCK_STEP_DENY_FILTER,
               sandlock_sys (__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &args->deny_program));

  /* The last syscall before the listener exists: wake the helper. */
  set_state (shared, SANDLOCK_HANDSHAKE_INSTALLING_LISTENER);

  listener = sandlock_sys (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &args->notify_program);
  if (listener == -EINVAL && args->retry_without_killable)
    {
      flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
      listener = sandlock_sys (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &args->notify_program);
    }
  child_check (shared, SANDLOCK_STEP_NOTIFY_FILTER, listener);   /* no filter: exit is not trapped */

  /* From here no syscall but execve: publish through memory only. */
  shared->listener_fd = (int) listener;
  __atomic_store_n (&shared->state, SANDLOCK_HANDSHAKE_LISTENER_READY, __ATOMIC_RELEASE);

  /* SANDLOCK_TEST_HOLD_EXEC: exec well after the spawn has returned. */
  while (args->hold_exec_msec > 0 && !__atomic_load_n (&shared->exec_released, __ATOMIC_ACQUIRE))
    cpu_relax ();

  result = sandlock_sys (__NR_execve, args->exec_path, args->argv, args->envp);

  /* A write() here could be trapped and denied by a handler: exec errors
   * go to memory, which the supervisor reads when the helper exits. */
  shared->exec_errno = (int) -result;
  __atomic_store_n (&shared->state, SANDLOCK_HANDSHAKE_EXEC_FAILED, __ATOMIC_RELEASE);
  sandlock_reaper_exit (127);
}

static void
child_start (gpointer data)
{
  SandlockChildStart *start = data;

  child_main (start->args, start->helper_pid);
}

static gboolean
child_exited (pid_t child)
{
  siginfo_t info = { 0 };

  /* WNOWAIT: the main loop below reaps it. */
  return sandlock_sys (__NR_waitid, P_PID, child, &info, WEXITED | WNOHANG | WNOWAIT, NULL) == 0 &&
         info.si_pid == child;
}

/* Waits, in the helper, until the child has published its listener, failed
 * or died. The wait is a futex sleep until the child's last syscall before
 * the listener, then a short spin (one seccomp() call), yielding now and
 * then so a child on this CPU can run. */
static SandlockHandshakeState
helper_wait_for_child (SandlockHandshake *shared,
                       pid_t              child)
{
  for (guint spins = 0;; spins++)
    {
      int state = __atomic_load_n (&shared->state, __ATOMIC_ACQUIRE);

      if (state == SANDLOCK_HANDSHAKE_STARTING)
        {
          struct timespec tick = { 0, 50 * 1000 * 1000 };

          sandlock_sys (__NR_futex, &shared->state, FUTEX_WAIT, state, &tick);
        }
      else if (state == SANDLOCK_HANDSHAKE_INSTALLING_LISTENER)
        {
          if (spins % 64 == 63)
            sandlock_sys (__NR_sched_yield);
          else
            cpu_relax ();
        }
      else
        return state;

      if ((state == SANDLOCK_HANDSHAKE_STARTING || spins % 1024 == 1023) && child_exited (child))
        {
          /* Read the state again only now: a quick command can publish its
           * listener, exec and exit between an earlier read and the exit
           * check, and it did not die during set-up. */
          int now = __atomic_load_n (&shared->state, __ATOMIC_ACQUIRE);

          if (now != SANDLOCK_HANDSHAKE_STARTING && now != SANDLOCK_HANDSHAKE_INSTALLING_LISTENER)
            return now;
          record_failure (shared, SANDLOCK_STEP_CHILD_DIED, ECHILD);
          return SANDLOCK_HANDSHAKE_SETUP_FAILED;
        }
    }
}

/* Writes @value in decimal into @text, which holds at least 21 bytes. */
static void
format_decimal (char    *text,
                guint64  value)
{
  char reversed[24];
  int digits = 0;

  do
    {
      reversed[digits++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  for (int i = 0; i < digits; i++)
    text[i] = reversed[digits - 1 - i];
  text[digits] = '\0';
}

/* Leaves the application's memory (see sandlock-reaper-private.h): execs
 * sandlock-reaper, which supervises @child (until @deadline_ns) from then on. Returns if that
 * failed, with -errno, in which case the helper supervises in place. */
static long
exec_reaper (pid_t    child,
             guint64  deadline_ns,
             gboolean fail_for_testing)
{
  char pid_text[24];
  char deadline_text[24];
  char *argv[] = { "sandlock-reaper", pid_text, deadline_text, NULL };
  char *envp[] = { NULL };

  format_decimal (pid_text, (guint64) child);
  format_decimal (deadline_text, deadline_ns);

  /* The control socket must survive the exec, which clears close-on-exec
   * descriptors. The child may not have exec'd yet, and until it has it
   * shares our descriptor table: take a copy first, or the command would
   * inherit the socket. */
  long result;

  if (sandlock_sys (__NR_fcntl, SANDLOCK_FD_REAPER, F_GET_SEALS) != SANDLOCK_REAPER_SEALS)
    return -EBADF;
  if ((result = sandlock_sys (__NR_unshare, CLONE_FILES)) != 0 ||
      (result = sandlock_sys (__NR_fcntl, SANDLOCK_FD_CONTROL, F_SETFD, 0)) != 0)
    return result;
  /* The cgroup.kill descriptor too, where there is one. */
  sandlock_sys (__NR_fcntl, SANDLOCK_FD_CGROUP_KILL, F_SETFD, 0);
  /* SANDLOCK_TEST_DISABLE=reaper: as where memfds may not be executed. */
  result = fail_for_testing ? -EACCES
                             : sandlock_sys (__NR_execveat, SANDLOCK_FD_REAPER, "", argv, envp, AT_EMPTY_PATH);
  sandlock_sys (__NR_fcntl, SANDLOCK_FD_CONTROL, F_SETFD, FD_CLOEXEC);
  sandlock_sys (__NR_fcntl, SANDLOCK_FD_CGROUP_KILL, F_SETFD, FD_CLOEXEC);
  return result;
}

void
sandlock_launch_helper_main (SandlockLaunchArea *area)
{
  /* Signals the helper's own faults raise: their default action. */
  static const int fault_signals[] = {
    SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP,
  };
  const SandlockChildArgs *args = &area->args;
  SandlockHandshake *shared = args->shared;
  SandlockHelperMessage message = { 0 };
  SandlockChildStart *start = &area->start;
  guint64 deadline_ns = 0;
  pid_t child;
  int control;
  long arranged;

  arranged = arrange_fds (args, &control);
  helper_check (shared, SANDLOCK_STEP_STDIO, arranged, control);

  /* We start with every signal blocked (sandlock_launch() blocks them
   * around the clone or fork), so none of the application's handlers, inherited
   * with its memory, can run here. Replace them all: the helper ignores
   * every signal but its own faults' and SIGCHLD, which it reads from a
   * signalfd. Terminal and hang-up signals are the application's
   * business: the helper lives until its sandbox is gone, then cleans up. */
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      set_disposition (sig, SIG_IGN);
  for (gsize i = 0; i < G_N_ELEMENTS (fault_signals); i++)
    set_disposition (fault_signals[i], SIG_DFL);
  set_disposition (SIGCHLD, SIG_DFL);
  helper_check (shared, SANDLOCK_STEP_SIGNALS, set_signal_mask (sandlock_reaper_signal_bit (SIGCHLD)), control);

  helper_check (shared, SANDLOCK_STEP_SUBREAPER, sandlock_sys (__NR_prctl, PR_SET_CHILD_SUBREAPER, 1), control);

  /* The supervisor may first have us moved into a systemd scope, where
   * every process of the sandbox is then born: wait for its go. */
  if (args->wait_for_go)
    {
      char go = 0;
      long n;

      while ((n = sandlock_sys (__NR_recvfrom, control, &go, 1, 0, NULL, NULL)) == -EINTR)
        ;
      helper_check (shared, SANDLOCK_STEP_SCOPE, n == 1 && go == 'G' ? 0 : n < 0 ? n : -ECONNRESET,
                    control);
    }

  start->args = args;
  start->helper_pid = (pid_t) sandlock_sys (__NR_getpid);
  /* Our copy of the program, which the child shares or copies. */
  sandlock_policy_bind_helper (&area->args.deny_program, start->helper_pid,
                               (pid_t) sandlock_sys (__NR_getpgid, 0));
  child = clone_files (area->child_stack_top, child_start, start);
  helper_check (shared, SANDLOCK_STEP_FORK, child, control);

  /* A helper in our memory that faulted would dump all of it: no core
   * (the child, made already, keeps the limit it had). */
  if (args->exec_reaper)
    {
      struct rlimit no_core = { 0, 0 };

      sandlock_sys (__NR_prlimit64, 0, RLIMIT_CORE, &no_core, NULL);
    }

  message.child_pid = child;
  switch (helper_wait_for_child (shared, child))
    {
    case SANDLOCK_HANDSHAKE_LISTENER_READY:
    case SANDLOCK_HANDSHAKE_EXEC_FAILED:
      {
        int fds[1] = { shared->listener_fd };

        /* The command runs from about now: its deadline (never early, so
         * counted from after its set-up rather than from the spawn). */
        if (args->timeout_ns > 0)
          deadline_ns = sandlock_reaper_now_ns () + args->timeout_ns;

        /* The listener sits in our (formerly shared) table. */
        message.status = SANDLOCK_HELPER_READY;
        if (sandlock_reaper_send_message (control, &message, fds, 1) < 0)
          {
            /* Nobody to supervise the child: it must not run. */
            sandlock_sys (__NR_kill, child, SIGKILL);
          }
        break;
      }

    default:
      message.status = SANDLOCK_HELPER_FAILED;
      message.failed_step = shared->failed_step;
      message.failed_errno = shared->failed_errno;
      sandlock_reaper_send_message (control, &message, NULL, 0);
      break;
    }

  if (args->hold_exec_msec > 0)
    {
      struct timespec hold = {
        args->hold_exec_msec / 1000, (long) (args->hold_exec_msec % 1000) * 1000 * 1000,
      };

      sandlock_sys (__NR_nanosleep, &hold, NULL);
      __atomic_store_n (&shared->exec_released, 1, __ATOMIC_RELEASE);
    }

  /* Our copy is not needed: the supervisor has its own. (Closing it while
   * the child may not have exec'd yet is harmless: it closes on exec.) */
  if (shared->listener_fd > 0)
    sandlock_sys (__NR_close, shared->listener_fd);
  /* The child has made the terminal its own (or failed): our copy would
   * only keep it open once the sandbox is gone. */
  if (args->source_fds[SANDLOCK_FD_TERMINAL] >= 0)
    sandlock_sys (__NR_close, helper_fd (args, SANDLOCK_FD_TERMINAL));

  /* The passed descriptors are the command's, not the reaper's: leave them
   * and our high numbers behind. Without its control socket where it
   * expects it, nobody could supervise the child: it must not run. */
  if (leave_shared_fds (args) < 0)
    {
      sandlock_sys (__NR_kill, child, SIGKILL);
      sandlock_reaper_exit (127);
    }

  if (args->exec_reaper)
    {
      long failure = exec_reaper (child, deadline_ns, args->reaper_fails_for_testing);

      /* Still here. Memfds not executable here: say so (later spawns then
       * fork their helpers), unless a test made it fail. */
      if ((failure == -EACCES || failure == -EPERM) && !args->reaper_fails_for_testing)
        __atomic_store_n (&shared->reaper_failed, 1, __ATOMIC_RELEASE);
    }
  sandlock_reaper_supervise (child, deadline_ns);
}

void
sandlock_launch_helper_start (gpointer data)
{
  sandlock_launch_helper_main (data);
}
