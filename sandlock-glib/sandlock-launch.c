/* sandlock-launch.c: starting a confined child
 *
 * Three processes take part:
 *
 *  supervisor  the application. It prepares everything (BPF programs,
 *              Landlock ruleset, argv, envp) before the helper starts, because the
 *              helper and the child may only run async-signal-safe code.
 *  helper      started by the supervisor, sharing its memory where it can
 *              (see LaunchArea) until the command has started, then
 *              executing sandlock-reaper; else forked. A child subreaper:
 *              every process of the sandbox that loses its parent is
 *              reparented to it, so it can kill and reap all of them. It
 *              reports the child's wait status in a last message on the
 *              control socket, and kills the whole sandbox
 *              when the child ends, when asked ("K" on the control socket),
 *              or when the supervisor dies (the control socket hangs up).
 *  child       created by the helper with CLONE_FILES: until it execs, it
 *              shares the helper's descriptor table. It confines itself,
 *              installs the notify filter, publishes the listener's number
 *              in shared memory and execs at once.
 *
 * The listener the child creates lands in the shared table; execve gives the
 * child a private copy of the table (closing the listener, which is
 * close-on-exec, in that copy only), so the helper still holds it. The helper
 * sends it, with a pidfd of the child, to the supervisor over the control
 * socket (SCM_RIGHTS). After installing the notify filter the child makes no
 * syscall but execve, and nothing waits for the child after that point: a
 * trapped execve, read, futex... just blocks until the application's main
 * loop dispatches it, so no handler can deadlock the start. And no process
 * busy-waits on another's CPU.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-kernel-private.h"
#include "sandlock-launch-private.h"
#include "sandlock-reaper-private.h"

/* How long the supervisor waits for the helper's answer. The child only
 * runs a few syscalls, so this bound is only hit by a wedged machine. */
#define HANDSHAKE_TIMEOUT_MSEC (10 * 1000)

typedef enum {
  STEP_NONE,
  STEP_STDIO,
  STEP_SIGNALS,
  STEP_SUBREAPER,
  STEP_FORK,
  STEP_SETPGID,
  STEP_PDEATHSIG,
  STEP_PARENT_GONE,
  STEP_CHDIR,
  STEP_RLIMIT,
  STEP_NO_NEW_PRIVS,
  STEP_LANDLOCK,
  STEP_DENY_FILTER,
  STEP_NOTIFY_FILTER,
  STEP_CHILD_DIED,
  STEP_PIDFD,
  STEP_SEND,
  N_STEPS
} LaunchStep;

static const char * const step_names[N_STEPS] = {
  [STEP_NONE] = "start-up",
  [STEP_STDIO] = "setting up standard input and output",
  [STEP_SIGNALS] = "resetting signal handling",
  [STEP_SUBREAPER] = "prctl(PR_SET_CHILD_SUBREAPER)",
  [STEP_FORK] = "creating the child",
  [STEP_SETPGID] = "setpgid",
  [STEP_PDEATHSIG] = "prctl(PR_SET_PDEATHSIG)",
  [STEP_PARENT_GONE] = "checking that the helper is alive",
  [STEP_CHDIR] = "changing to the working directory",
  [STEP_RLIMIT] = "setrlimit(RLIMIT_NOFILE)",
  [STEP_NO_NEW_PRIVS] = "prctl(PR_SET_NO_NEW_PRIVS)",
  [STEP_LANDLOCK] = "landlock_restrict_self",
  [STEP_DENY_FILTER] = "installing the seccomp deny filter",
  [STEP_NOTIFY_FILTER] = "installing the seccomp notify filter",
  [STEP_CHILD_DIED] = "the child died during set-up",
  [STEP_PIDFD] = "pidfd_open",
  [STEP_SEND] = "handing the listener to the supervisor",
};

typedef struct {
  int                      source_fds[N_FDS];
  const char              *exec_path;
  char * const            *argv;
  char * const            *envp;
  const char              *cwd;
  guint                    max_open_files;
  struct sock_fprog        deny_program;   /* the helper binds it */
  struct sock_fprog        notify_program;
  unsigned int             listener_flags;
  gboolean                 retry_without_killable;
  gboolean                 stall_for_testing;
  gboolean                 exec_reaper;      /* the helper shares our memory */
  gboolean                 reaper_fails_for_testing;
  guint                    hold_exec_msec;   /* SANDLOCK_TEST_HOLD_EXEC */
  SandlockHandshake       *shared;
} ChildArgs;

typedef struct {
  const ChildArgs *args;
  pid_t            helper_pid;
} ChildStart;

/* Everything the helper and the child read or write, in a mapping of its
 * own. Where it can, the helper shares the application's memory, as
 * posix_spawn()'s child does: creating it then copies no page tables, and
 * its exit tears down no copy of the application's address space (that
 * was a third of a spawn). It then runs on a stack here, with a thread
 * pointer of its own, and reads nothing the application could free or
 * change meanwhile: argv, envp and the programs are copied here. The
 * mapping may only go once the helper has exited by itself (after reaping
 * the child): see sandlock_launch_helper_reaped().
 *
 * Layout from its start: a guard page, the helper's stack, a guard page,
 * the child's stack, the helper's thread area, this structure, its data. */
typedef struct {
  SandlockHandshake  handshake;
  ChildArgs          args;
  ChildStart         start;
  char              *helper_stack_top;
  char              *child_stack_top;
  char              *thread_area;
} LaunchArea;

/* The seals of sandlock-reaper's memfd: nobody may change it. */
#define REAPER_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Enough for the helper's deepest frame (kill_everything(): 6 KiB). */
#define LAUNCH_STACK_SIZE (64 * 1024)

/* ---- code that runs between fork and exec: async-signal-safe only ---- */

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

static pid_t
raw_fork (void)
{
#ifdef HAVE__FORK
  /* _Fork runs no atfork handlers: a binding's handlers must not run in a
   * copy of a multi-threaded process. */
  return _Fork ();
#else
  return (pid_t) syscall (__NR_clone, SIGCHLD, 0, 0, 0, 0);
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

  sys (__NR_rt_sigaction, sig, &action, NULL, sizeof action.mask);
#else
  struct sigaction action = { .sa_handler = handler };

  sigaction (sig, &action, NULL);
#endif
}

static long
set_signal_mask (guint64 mask)
{
  return sys (__NR_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof mask);
}

/* fork() sharing the descriptor table until the child execs, and getting a
 * pidfd of the child (CLONE_PIDFD, Linux 5.2; pidfd_open after otherwise).
 * The child runs @child_main on @stack_top, in the helper's memory (which
 * is the application's when the helper shares it). -errno on failure. */
static pid_t
clone_files (int       *pidfd,
             char      *stack_top,
             void     (*child_main) (gpointer data),
             gpointer   data)
{
  const unsigned long flags = CLONE_VM | CLONE_FILES | SIGCHLD;
  pid_t pid;

  *pidfd = -1;
  pid = sandlock_clone (flags | CLONE_PIDFD, pidfd, stack_top, 0, child_main, data);
  if (pid == -EINVAL)
    pid = sandlock_clone (flags, NULL, stack_top, 0, child_main, data);
  if (pid > 0 && *pidfd < 0)
    *pidfd = (int) sys (__NR_pidfd_open, pid, 0);
  return pid;
}

/* The futex word may be in a mapping shared between processes (when the
 * helper was forked): no FUTEX_PRIVATE_FLAG. */
static void
futex_wake (int *word)
{
  sys (__NR_futex, word, FUTEX_WAKE, INT_MAX);
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
                LaunchStep         step,
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
              LaunchStep         step,
              long               result,
              int                control)
{
  HelperMessage failed = { .status = HELPER_FAILED, .failed_step = step };
  HelperMessage exited = { .status = HELPER_EXITED };

  if (result >= 0)
    return;
  record_failure (shared, step, (int) -result);
  failed.failed_errno = (int) -result;
  reaper_send_message (control, &failed, NULL, 0);
  reaper_send_message (control, &exited, NULL, 0);
  reaper_exit (127);
}

/* For the child, while the helper runs too. */
static void
child_check (SandlockHandshake *shared,
             LaunchStep         step,
             long               result)
{
  if (result >= 0)
    return;
  record_failure (shared, step, (int) -result);
  reaper_exit (127);
}

static long
close_from (int lowest)
{
  long result = sys (__NR_close_range, lowest, ~0U, 0);

  if (result == -ENOSYS)
    {
      struct rlimit rl;
      int max = 65536;

      if (sys (__NR_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
        max = (int) MIN (rl.rlim_max, (rlim_t) (1 << 20));
      for (int fd = lowest; fd < max; fd++)
        sys (__NR_close, fd);
      return 0;
    }

  return result;
}

/* Puts each source descriptor at its fixed number and closes everything
 * else the supervisor had open: nothing of the application leaks. Only the
 * standard streams survive an exec. */
static long
arrange_fds (const int *sources,
             int       *control)
{
  int moved[N_FDS];

  /* *@control is where the control socket is at each point, to report a
   * failure on: never a number that may be one of the application's. */
  *control = sources[FD_CONTROL];
  for (int i = 0; i < N_FDS; i++)
    {
      moved[i] = -1;
      if (sources[i] >= 0)
        {
          /* Above every target, so no dup3 below clobbers a copy; and no
           * higher, since a number at or above RLIMIT_NOFILE fails with
           * EINVAL, which would hide that the limit is what is short. */
          long fd = sys (__NR_fcntl, sources[i], F_DUPFD_CLOEXEC, N_FDS);

          /* The application may have closed the reaper's memfd meanwhile:
           * then the helper supervises in place. */
          if (fd == -EBADF && i == FD_REAPER)
            continue;
          if (fd < 0)
            return fd;
          moved[i] = (int) fd;
          if (i == FD_CONTROL)
            *control = moved[i];
        }
    }

  for (int i = 0; i < N_FDS; i++)
    {
      if (moved[i] < 0)
        sys (__NR_close, i);
      else
        {
          long result = sys (__NR_dup3, moved[i], i, i < FD_CONTROL ? 0 : O_CLOEXEC);

          if (result < 0)
            return result;
        }
    }
  *control = FD_CONTROL;

  return close_from (N_FDS);
}

/* Runs in the child, which shares the helper's descriptor table: it must
 * close nothing (the helper's descriptors are close-on-exec, gone from the
 * child's own copy when it execs). */
static G_GNUC_NORETURN void
child_main (const ChildArgs *args,
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
  child_check (shared, STEP_SIGNALS, set_signal_mask (0));

  child_check (shared, STEP_SETPGID, sys (__NR_setpgid, 0, 0));

  /* Die with the helper, and check it did not die before the prctl. */
  child_check (shared, STEP_PDEATHSIG, sys (__NR_prctl, PR_SET_PDEATHSIG, SIGKILL));
  if (sys (__NR_getppid) != helper_pid)
    child_check (shared, STEP_PARENT_GONE, -ESRCH);

  /* A set-up that never ends (SANDLOCK_TEST_STALL_SETUP), as in a chdir()
   * to a dead network mount: the spawn must give up on it. */
  if (args->stall_for_testing)
    sys (__NR_kill, sys (__NR_getpid), SIGSTOP);

  if (args->cwd != NULL)
    child_check (shared, STEP_CHDIR, sys (__NR_chdir, args->cwd));

  if (args->max_open_files > 0)
    {
      struct rlimit rl = { 0 };

      /* prlimit64 on the real kernel: valgrind emulates this limit and
       * would refuse to lower the hard one (the child runs natively under
       * valgrind anyway). */
      child_check (shared, STEP_RLIMIT, sys (__NR_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl));
      if (rl.rlim_max == RLIM_INFINITY || args->max_open_files < rl.rlim_max)
        rl.rlim_max = args->max_open_files;
      rl.rlim_cur = rl.rlim_max;
      child_check (shared, STEP_RLIMIT, sys (__NR_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL));
    }

  child_check (shared, STEP_NO_NEW_PRIVS, sys (__NR_prctl, PR_SET_NO_NEW_PRIVS, 1));

  if (args->source_fds[FD_RULESET] >= 0)
    child_check (shared, STEP_LANDLOCK, sys (__NR_landlock_restrict_self, FD_RULESET, 0));

  child_check (shared, STEP_DENY_FILTER,
               sys (__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &args->deny_program));

  /* The last syscall before the listener exists: wake the helper. */
  set_state (shared, SANDLOCK_HANDSHAKE_INSTALLING_LISTENER);

  listener = sys (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &args->notify_program);
  if (listener == -EINVAL && args->retry_without_killable)
    {
      flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
      listener = sys (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &args->notify_program);
    }
  child_check (shared, STEP_NOTIFY_FILTER, listener);   /* no filter: exit is not trapped */

  /* From here no syscall but execve: publish through memory only. */
  shared->listener_fd = (int) listener;
  __atomic_store_n (&shared->state, SANDLOCK_HANDSHAKE_LISTENER_READY, __ATOMIC_RELEASE);

  /* SANDLOCK_TEST_HOLD_EXEC: exec well after the spawn has returned. */
  while (args->hold_exec_msec > 0 && !__atomic_load_n (&shared->exec_released, __ATOMIC_ACQUIRE))
    cpu_relax ();

  result = sys (__NR_execve, args->exec_path, args->argv, args->envp);

  /* A write() here could be trapped and denied by a handler: exec errors
   * go to memory, which the supervisor reads when the helper exits. */
  shared->exec_errno = (int) -result;
  __atomic_store_n (&shared->state, SANDLOCK_HANDSHAKE_EXEC_FAILED, __ATOMIC_RELEASE);
  reaper_exit (127);
}

static void
child_start (gpointer data)
{
  ChildStart *start = data;

  child_main (start->args, start->helper_pid);
}

static gboolean
child_exited (pid_t child)
{
  siginfo_t info = { 0 };

  /* WNOWAIT: the main loop below reaps it. */
  return sys (__NR_waitid, P_PID, child, &info, WEXITED | WNOHANG | WNOWAIT, NULL) == 0 &&
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

          sys (__NR_futex, &shared->state, FUTEX_WAIT, state, &tick);
        }
      else if (state == SANDLOCK_HANDSHAKE_INSTALLING_LISTENER)
        {
          if (spins % 64 == 63)
            sys (__NR_sched_yield);
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
          record_failure (shared, STEP_CHILD_DIED, ECHILD);
          return SANDLOCK_HANDSHAKE_SETUP_FAILED;
        }
    }
}

/* Leaves the application's memory (see sandlock-reaper-private.h): execs
 * sandlock-reaper, which supervises @child from then on. Returns if that
 * failed, with -errno, in which case the helper supervises in place. */
static long
exec_reaper (pid_t    child,
             gboolean fail_for_testing)
{
  char pid_text[16];
  char *argv[] = { "sandlock-reaper", pid_text, NULL };
  char *envp[] = { NULL };
  int digits = 0;
  char reversed[16];

  for (unsigned int value = (unsigned int) child; value > 0 || digits == 0; value /= 10)
    reversed[digits++] = (char) ('0' + value % 10);
  for (int i = 0; i < digits; i++)
    pid_text[i] = reversed[digits - 1 - i];
  pid_text[digits] = '\0';

  /* The control socket must survive the exec, which clears close-on-exec
   * descriptors. The child may not have exec'd yet, and until it has it
   * shares our descriptor table: take a copy first, or the command would
   * inherit the socket. */
  long result;

  if (sys (__NR_fcntl, FD_REAPER, F_GET_SEALS) != REAPER_SEALS)
    return -EBADF;
  if ((result = sys (__NR_unshare, CLONE_FILES)) != 0 ||
      (result = sys (__NR_fcntl, FD_CONTROL, F_SETFD, 0)) != 0)
    return result;
  /* SANDLOCK_TEST_DISABLE=reaper: as where memfds may not be executed. */
  result = fail_for_testing ? -EACCES
                             : sys (__NR_execveat, FD_REAPER, "", argv, envp, AT_EMPTY_PATH);
  sys (__NR_fcntl, FD_CONTROL, F_SETFD, FD_CLOEXEC);
  return result;
}

static G_GNUC_NORETURN void
helper_main (LaunchArea *area)
{
  /* Signals the helper's own faults raise: their default action. */
  static const int fault_signals[] = {
    SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP,
  };
  const ChildArgs *args = &area->args;
  SandlockHandshake *shared = args->shared;
  HelperMessage message = { 0 };
  ChildStart *start = &area->start;
  int child_pidfd;
  pid_t child;
  int control;
  long arranged;

  arranged = arrange_fds (args->source_fds, &control);
  helper_check (shared, STEP_STDIO, arranged, control);

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
  helper_check (shared, STEP_SIGNALS, set_signal_mask (reaper_signal_bit (SIGCHLD)), FD_CONTROL);

  helper_check (shared, STEP_SUBREAPER, sys (__NR_prctl, PR_SET_CHILD_SUBREAPER, 1), FD_CONTROL);

  start->args = args;
  start->helper_pid = (pid_t) sys (__NR_getpid);
  /* Our copy of the program, which the child shares or copies. */
  sandlock_policy_bind_helper (&area->args.deny_program, start->helper_pid,
                               (pid_t) sys (__NR_getpgid, 0));
  child = clone_files (&child_pidfd, area->child_stack_top, child_start, start);
  helper_check (shared, STEP_FORK, child, FD_CONTROL);

  /* A helper in our memory that faulted would dump all of it: no core
   * (the child, made already, keeps the limit it had). */
  if (args->exec_reaper)
    {
      struct rlimit no_core = { 0, 0 };

      sys (__NR_prlimit64, 0, RLIMIT_CORE, &no_core, NULL);
    }

  message.child_pid = child;
  switch (helper_wait_for_child (shared, child))
    {
    case SANDLOCK_HANDSHAKE_LISTENER_READY:
    case SANDLOCK_HANDSHAKE_EXEC_FAILED:
      {
        int fds[2] = { shared->listener_fd, child_pidfd };

        /* The listener sits in our (formerly shared) table. */
        message.status = HELPER_READY;
        if (child_pidfd < 0)
          {
            message.status = HELPER_FAILED;
            message.failed_step = STEP_PIDFD;
            message.failed_errno = ECHILD;
            reaper_send_message (FD_CONTROL, &message, NULL, 0);
          }
        else if (reaper_send_message (FD_CONTROL, &message, fds, 2) < 0)
          {
            /* Nobody to supervise the child: it must not run. */
            sys (__NR_kill, child, SIGKILL);
          }
        break;
      }

    default:
      message.status = HELPER_FAILED;
      message.failed_step = shared->failed_step;
      message.failed_errno = shared->failed_errno;
      reaper_send_message (FD_CONTROL, &message, NULL, 0);
      break;
    }

  if (args->hold_exec_msec > 0)
    {
      struct timespec hold = {
        args->hold_exec_msec / 1000, (long) (args->hold_exec_msec % 1000) * 1000 * 1000,
      };

      sys (__NR_nanosleep, &hold, NULL);
      __atomic_store_n (&shared->exec_released, 1, __ATOMIC_RELEASE);
    }

  /* Our copies are not needed: the supervisor has its own. (Closing them
   * while the child may not have exec'd yet is harmless: it closes on exec.) */
  if (shared->listener_fd > 0)
    sys (__NR_close, shared->listener_fd);
  if (child_pidfd >= 0)
    sys (__NR_close, child_pidfd);

  if (args->exec_reaper)
    {
      long failure = exec_reaper (child, args->reaper_fails_for_testing);

      /* Still here. Memfds not executable here: say so (later spawns then
       * fork their helpers), unless a test made it fail. */
      if ((failure == -EACCES || failure == -EPERM) && !args->reaper_fails_for_testing)
        __atomic_store_n (&shared->reaper_failed, 1, __ATOMIC_RELEASE);
    }
  reaper_supervise (child);
}

static void
helper_start (gpointer data)
{
  helper_main (data);
}

/* ---- the supervisor's side -------------------------------------------- */

static char *
resolve_executable (const char  *argv0,
                    const char  *cwd,
                    const char  *search_path,
                    GError     **error)
{
  g_autofree char *base = cwd != NULL ? g_strdup (cwd) : g_get_current_dir ();
  g_auto(GStrv) dirs = NULL;
  int found_errno = ENOENT;

  if (*argv0 == '\0')
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to execute '': the program name is empty");
      return NULL;
    }

  if (strchr (argv0, '/') != NULL)
    {
      g_autofree char *path = g_path_is_absolute (argv0)
        ? g_strdup (argv0) : g_build_filename (base, argv0, NULL);

      if (access (path, X_OK) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       "Failed to execute '%s': %s", argv0, g_strerror (saved_errno));
          return NULL;
        }
      return g_steal_pointer (&path);
    }

  dirs = g_strsplit (search_path != NULL ? search_path : "/usr/local/bin:/usr/bin:/bin", ":", -1);
  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      const char *dir = *dirs[i] != '\0' ? dirs[i] : ".";
      g_autofree char *path = g_path_is_absolute (dir)
        ? g_build_filename (dir, argv0, NULL) : g_build_filename (base, dir, argv0, NULL);
      struct stat st;

      if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (access (path, X_OK) == 0)
        return g_steal_pointer (&path);
      found_errno = EACCES;
    }

  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
               "Failed to execute '%s': %s", argv0, g_strerror (found_errno));
  return NULL;
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    {
      close (*fd);
      *fd = -1;
    }
}

typedef struct {
  int child_ends[3];   /* what the child gets as 0, 1, 2 */
  int parent_ends[3];  /* our ends of pipes, or -1 */
  gboolean child_end_is_pipe[3];  /* ours to close; not an inherited one */
  int dev_null;
} Stdio;

static void
stdio_clear (Stdio *stdio)
{
  for (int i = 0; i < 3; i++)
    {
      /* Inherited descriptors are the application's: never close those.
       * (Not told apart by number: with the application's 0 closed, a pipe
       * may well be 0.) */
      if (stdio->child_end_is_pipe[i])
        close_fd (&stdio->child_ends[i]);
      close_fd (&stdio->parent_ends[i]);
    }
  close_fd (&stdio->dev_null);
}

static gboolean
open_dev_null (Stdio   *stdio,
               int     *out,
               GError **error)
{
  if (stdio->dev_null < 0)
    {
      stdio->dev_null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (stdio->dev_null < 0)
        {
          int saved_errno = errno;

          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       "Opening /dev/null failed: %s", g_strerror (saved_errno));
          return FALSE;
        }
    }
  *out = stdio->dev_null;
  return TRUE;
}

static gboolean
open_pipe (int       which,
           Stdio    *stdio,
           GError  **error)
{
  int fds[2];

  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Creating a pipe failed: %s", g_strerror (saved_errno));
      return FALSE;
    }

  /* stdin: the child reads fds[0]; stdout/stderr: the child writes fds[1].
   * Our end outlives the spawn: never at 0, 1 or 2. */
  stdio->child_ends[which] = which == 0 ? fds[0] : fds[1];
  stdio->parent_ends[which] = sandlock_fd_above_stdio (which == 0 ? fds[1] : fds[0]);
  if (stdio->parent_ends[which] < 0)
    {
      int saved_errno = errno;

      close_fd (&stdio->child_ends[which]);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Creating a pipe failed: %s", g_strerror (saved_errno));
      return FALSE;
    }
  stdio->child_end_is_pipe[which] = TRUE;
  return TRUE;
}

void
sandlock_launch_fill_closed_stdio (void)
{
  static GMutex lock;

  g_mutex_lock (&lock);
  /* open() takes the lowest free number: at most three rounds. Not
   * close-on-exec: these are standard I/O, for every child. */
  for (int round = 0; round < 3; round++)
    {
      int fd;

      if (fcntl (0, F_GETFD) >= 0 && fcntl (1, F_GETFD) >= 0 && fcntl (2, F_GETFD) >= 0)
        break;
      fd = open ("/dev/null", O_RDWR);
      if (fd > 2)
        {
          close (fd);
          break;
        }
      if (fd < 0)
        break;
    }
  g_mutex_unlock (&lock);
}

static gboolean
inherit_or_null (int       which,
                 Stdio    *stdio,
                 GError  **error)
{
  if (fcntl (which, F_GETFD) >= 0)
    {
      stdio->child_ends[which] = which;
      return TRUE;
    }
  return open_dev_null (stdio, &stdio->child_ends[which], error);
}

static gboolean
setup_stdio (GSubprocessFlags   flags,
             Stdio             *stdio,
             GError           **error)
{
  /* 0, 1 and 2 are open (sandlock_sandbox_spawn() called
   * sandlock_launch_fill_closed_stdio()): what we open below cannot take
   * them, and what is there is the application's, or /dev/null where it
   * closed them. */
  for (int i = 0; i < 3; i++)
    {
      stdio->child_ends[i] = stdio->parent_ends[i] = -1;
      stdio->child_end_is_pipe[i] = FALSE;
    }
  stdio->dev_null = -1;

  if (flags & G_SUBPROCESS_FLAGS_STDIN_PIPE)
    {
      if (!open_pipe (0, stdio, error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDIN_INHERIT)
    {
      if (!inherit_or_null (0, stdio, error))
        return FALSE;
    }
  else if (!open_dev_null (stdio, &stdio->child_ends[0], error))
    return FALSE;

  if (flags & G_SUBPROCESS_FLAGS_STDOUT_PIPE)
    {
      if (!open_pipe (1, stdio, error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDOUT_SILENCE)
    {
      if (!open_dev_null (stdio, &stdio->child_ends[1], error))
        return FALSE;
    }
  else if (!inherit_or_null (1, stdio, error))
    return FALSE;

  if (flags & G_SUBPROCESS_FLAGS_STDERR_PIPE)
    {
      if (!open_pipe (2, stdio, error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDERR_SILENCE)
    {
      if (!open_dev_null (stdio, &stdio->child_ends[2], error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDERR_MERGE)
    {
      /* Shares stdout's descriptor, closed as stdout's. */
      stdio->child_ends[2] = stdio->child_ends[1];
    }
  else if (!inherit_or_null (2, stdio, error))
    return FALSE;

  return TRUE;
}

/* How long a helper we give up on has to clean up before it is killed. */
#define ABANDON_GRACE_MSEC 2000

/* Reaps a helper we are giving up on. It is our child and no child watch
 * exists for it yet, so waiting for this one pid competes with no one. */
static void
abandon_helper (SandlockLaunch *launch)
{
  GPid helper_pid = launch->helper_pid;
  int status;

  /* Our end of file on the control socket makes the helper kill and reap
   * all, once it is back in its loop, and report. One still waiting for a
   * child stuck in its set-up (which cannot have started anything yet)
   * never gets there: kill it, and the child with it (PDEATHSIG). */
  shutdown (launch->control_fd, SHUT_WR);
  launch->helper_pid = 0;
  for (int waited = 0;; waited += 10)
    {
      pid_t pid = waitpid (helper_pid, &status, WNOHANG);

      if (pid == helper_pid)
        break;
      if (pid < 0 && errno != EINTR)
        {
          status = 0;
          break;
        }
      if (waited >= ABANDON_GRACE_MSEC)
        {
          kill (helper_pid, SIGKILL);
          while (waitpid (helper_pid, &status, 0) < 0 && errno == EINTR)
            ;
          break;
        }
      g_usleep (10 * 1000);
    }

  sandlock_launch_helper_reaped (launch, status);
  close_fd (&launch->control_fd);
}

/* Receives the helper's one message, and with it the listener and the
 * child's pidfd. */
static gboolean
receive_from_helper (SandlockLaunch  *launch,
                     const char      *argv0,
                     GError         **error)
{
  union {
    char buffer[CMSG_SPACE (2 * sizeof (int))];
    struct cmsghdr align;
  } control = { { 0 } };
  HelperMessage message = { 0 };
  struct iovec iov = { .iov_base = &message, .iov_len = sizeof message };
  struct msghdr msg = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buffer,
    .msg_controllen = sizeof control.buffer,
  };
  struct pollfd pfd = { .fd = launch->control_fd, .events = POLLIN };
  guint64 no_such_id = 0;
  ssize_t n;
  int rc;

  int timeout_msec = sandlock_kernel_stall_setup_for_testing () > 0
                     ? (int) sandlock_kernel_stall_setup_for_testing ()
                     : HANDSHAKE_TIMEOUT_MSEC;

  while ((rc = poll (&pfd, 1, timeout_msec)) < 0 && errno == EINTR)
    ;
  if (rc == 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: the child did not finish its "
                   "set-up within %d ms", argv0, timeout_msec);
      return FALSE;
    }

  while ((n = recvmsg (launch->control_fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
    ;

  /* Take ownership of whatever descriptors came, whatever else is wrong.
   * A failed recvmsg() leaves the control buffer as it was: nothing came. */
  if (n < 0)
    msg.msg_controllen = 0;
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
      {
        int fds[2] = { -1, -1 };
        gsize count = MIN ((cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int), 2);

        memcpy (fds, CMSG_DATA (cmsg), count * sizeof (int));
        launch->listener_fd = sandlock_fd_above_stdio (fds[0]);
        launch->child_pidfd = sandlock_fd_above_stdio (fds[1]);
      }

  if (n != (ssize_t) sizeof message)
    {
      /* The helper died before answering. */
      if (__atomic_load_n (&launch->shared->state, __ATOMIC_ACQUIRE) == SANDLOCK_HANDSHAKE_SETUP_FAILED)
        message.status = HELPER_FAILED, message.failed_step = launch->shared->failed_step,
          message.failed_errno = launch->shared->failed_errno;
      else
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       "Failed to start '%s' in the sandbox: the helper process died", argv0);
          return FALSE;
        }
    }

  if (message.status != HELPER_READY)
    {
      int step = message.failed_step;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: %s: %s", argv0,
                   step > STEP_NONE && step < N_STEPS ? step_names[step] : "unknown step",
                   g_strerror (message.failed_errno));
      return FALSE;
    }

  /* A seccomp listener answers ID_VALID for an unknown id with ENOENT
   * (under the ioctl's old number before Linux 5.7: the helper falls back). */
  if (launch->listener_fd < 0 || launch->child_pidfd < 0 ||
      sandlock_notif_id_valid (launch->listener_fd, no_such_id) != -ENOENT)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: the helper sent no seccomp listener",
                   argv0);
      return FALSE;
    }

  launch->child_pid = message.child_pid;

  if (!sandlock_kernel_has_notif_continue (launch->listener_fd))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_UNSUPPORTED,
                   "Failed to start '%s' in the sandbox: the running kernel cannot let a "
                   "trapped syscall continue (SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5)",
                   argv0);
      return FALSE;
    }

  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_SYNC_WAKE_UP) &&
      ioctl (launch->listener_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
             (unsigned long) SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0)
    launch->sync_wake_up = TRUE;

  return TRUE;
}

static gsize
strv_size (const char * const *strv)
{
  gsize size = sizeof (char *);

  for (gsize i = 0; strv[i] != NULL; i++)
    size += sizeof (char *) + strlen (strv[i]) + 1;
  return size;
}

/* Copies @size bytes to *@next, and moves *@next on, aligned. */
static gpointer
area_copy (char          **next,
           gconstpointer   data,
           gsize           size)
{
  char *copy = *next;

  memcpy (copy, data, size);
  *next += (size + 7) & ~(gsize) 7;
  return copy;
}

static char * const *
area_copy_strv (char               **next,
                const char * const  *strv)
{
  gsize length = g_strv_length ((char **) strv);
  char **copy = (char **) *next;

  *next += (length + 1) * sizeof (char *);
  for (gsize i = 0; i < length; i++)
    {
      copy[i] = *next;
      *next = stpcpy (*next, strv[i]) + 1;
    }
  copy[length] = NULL;
  *next = (char *) (((guintptr) *next + 7) & ~(guintptr) 7);
  return copy;
}

static void
area_copy_program (char                    **next,
                   struct sock_fprog        *copy,
                   const struct sock_fprog  *program)
{
  copy->len = program->len;
  copy->filter = area_copy (next, program->filter, program->len * sizeof (struct sock_filter));
}

/* Maps a LaunchArea and copies into it what the helper and the child read. */
static LaunchArea *
launch_area_new (SandlockPolicy      *policy,
                 const char          *exec_path,
                 const char * const  *argv,
                 const char * const  *envp,
                 gboolean             shared_with_helper,
                 char               **out_base,
                 gsize               *out_size,
                 GError             **error)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize stack = (LAUNCH_STACK_SIZE + page - 1) & ~(page - 1);
  gsize header_offset = 2 * page + 2 * stack + SANDLOCK_CLONE_THREAD_AREA_SIZE;
  gsize data_size, size;
  LaunchArea *area;
  char *base, *next;

  data_size = sizeof (LaunchArea) + 8 +
              strlen (exec_path) + 8 +
              (policy->cwd != NULL ? strlen (policy->cwd) + 8 : 0) +
              strv_size (argv) + 8 + strv_size (envp) + 8 +
              (policy->deny_program.len + policy->notify_program.len) * sizeof (struct sock_filter) + 16;
  size = (header_offset + data_size + page - 1) & ~(page - 1);

  /* Private when the helper shares our memory; else shared, so that what
   * the helper and the child write (the handshake) reaches us. */
  base = mmap (NULL, size, PROT_READ | PROT_WRITE,
               (shared_with_helper ? MAP_PRIVATE : MAP_SHARED) | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: mmap: %s",
                   argv[0], g_strerror (saved_errno));
      return NULL;
    }
  if (mprotect (base, page, PROT_NONE) != 0 ||
      mprotect (base + page + stack, page, PROT_NONE) != 0)
    {
      int saved_errno = errno;

      munmap (base, size);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: mprotect: %s",
                   argv[0], g_strerror (saved_errno));
      return NULL;
    }

  area = (LaunchArea *) (base + header_offset);
  area->helper_stack_top = base + page + stack;
  area->child_stack_top = base + 2 * page + 2 * stack;
  area->thread_area = area->child_stack_top;
  next = (char *) (area + 1);
  next = (char *) (((guintptr) next + 7) & ~(guintptr) 7);

  area->args.exec_path = area_copy (&next, exec_path, strlen (exec_path) + 1);
  if (policy->cwd != NULL)
    area->args.cwd = area_copy (&next, policy->cwd, strlen (policy->cwd) + 1);
  area->args.argv = area_copy_strv (&next, argv);
  area->args.envp = area_copy_strv (&next, envp);
  area_copy_program (&next, &area->args.deny_program, &policy->deny_program);
  area_copy_program (&next, &area->args.notify_program, &policy->notify_program);
  g_assert ((gsize) (next - base) <= size);

  *out_base = base;
  *out_size = size;
  return area;
}

#ifdef SANDLOCK_HAVE_REAPER
extern const unsigned char sandlock_reaper_program[];
extern const size_t sandlock_reaper_program_size;

static int
make_reaper_program_fd (void)
{
  /* SANDLOCK_TEST_DISABLE=executable-memfd: as under vm.memfd_noexec=2. */
  if (sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_EXECUTABLE_MEMFD))
    {
      errno = EACCES;
      return -1;
    }

  /* MFD_EXEC: where vm.memfd_noexec makes memfds not executable by
   * default (Linux 6.3). Nobody may change the program the helpers
   * execute. */
  return sandlock_memfd_new_sealed ("sandlock-reaper", sandlock_reaper_program,
                                    sandlock_reaper_program_size,
                                    MFD_CLOEXEC | MFD_EXEC, REAPER_SEALS, NULL);
}
#endif

/* Set for good once memfds proved not executable here (vm.memfd_noexec,
 * a security module): helpers are then forked, so that none stays in our
 * memory for the life of its sandbox. */
static gboolean reaper_unusable;

/* sandlock-reaper's program, in a sealed memfd made once and kept; -1
 * without one (not x86-64, or memfds not executable here). Checked at
 * each use: the application may have closed that descriptor, and its
 * number may name another file now. A passing failure is not cached. */
static int
reaper_program_fd (void)
{
  static GMutex lock;
  static int program_fd = -1;
  static struct stat program_stat;
  struct stat st;
  int fd;

  g_mutex_lock (&lock);
  if (program_fd >= 0 &&
      (fstat (program_fd, &st) != 0 || st.st_dev != program_stat.st_dev ||
       st.st_ino != program_stat.st_ino || fcntl (program_fd, F_GET_SEALS) != REAPER_SEALS))
    program_fd = -1;   /* not ours any more: not ours to close either */
#ifdef SANDLOCK_HAVE_REAPER
  if (program_fd < 0 && !g_atomic_int_get (&reaper_unusable))
    {
      program_fd = make_reaper_program_fd ();
      if (program_fd < 0 && (errno == EACCES || errno == EPERM))
        g_atomic_int_set (&reaper_unusable, TRUE);
      else if (program_fd >= 0 && fstat (program_fd, &program_stat) != 0)
        {
          close (program_fd);
          program_fd = -1;
        }
    }
#endif
  fd = g_atomic_int_get (&reaper_unusable) ? -1 : program_fd;
  g_mutex_unlock (&lock);
  return fd;
}

gboolean
sandlock_launch (SandlockPolicy      *policy,
                 const char * const  *argv,
                 GSubprocessFlags     flags,
                 SandlockLaunch      *launch,
                 GError             **error)
{
  g_autofree char *exec_path = NULL;
  g_auto(GStrv) envp = NULL;
  Stdio stdio;
  LaunchArea *area;
  ChildArgs *args;
  gboolean shares_memory;
  int reaper_fd;
  int control_fds[2] = { -1, -1 };
  sigset_t all_signals, saved_mask;
  gboolean ok = FALSE;
  int fork_errno;
  pid_t pid;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);
  g_return_val_if_fail (launch != NULL, FALSE);

  memset (launch, 0, sizeof *launch);
  launch->child_pidfd = launch->listener_fd = launch->control_fd = -1;
  launch->stdin_fd = launch->stdout_fd = launch->stderr_fd = -1;

  envp = sandlock_policy_build_envp (policy);
  exec_path = resolve_executable (argv[0], policy->cwd,
                                  g_environ_getenv (envp, "PATH"), error);
  if (exec_path == NULL)
    return FALSE;

  if (!setup_stdio (flags, &stdio, error))
    goto out;

  /* SEQPACKET: the helper's answer is one message, which may carry
   * descriptors; MSG_NOSIGNAL writes never raise SIGPIPE. */
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control_fds) != 0 ||
      (control_fds[0] = sandlock_fd_above_stdio (control_fds[0])) < 0 ||
      (control_fds[1] = sandlock_fd_above_stdio (control_fds[1])) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: creating a socket failed: %s",
                   argv[0], g_strerror (saved_errno));
      goto out;
    }

  /* A helper in our memory must be able to leave it (sandlock-reaper):
   * otherwise, fork it. */
  reaper_fd = -1;
  shares_memory = sandlock_clone_can_share_memory () && (reaper_fd = reaper_program_fd ()) >= 0;
  area = launch_area_new (policy, exec_path, argv, (const char * const *) envp, shares_memory,
                          &launch->area_base, &launch->area_size, error);
  if (area == NULL)
    goto out;
  launch->shared = &area->handshake;

  args = &area->args;
  args->source_fds[FD_STDIN] = stdio.child_ends[0];
  args->source_fds[FD_STDOUT] = stdio.child_ends[1];
  args->source_fds[FD_STDERR] = stdio.child_ends[2];
  args->source_fds[FD_CONTROL] = control_fds[0];
  args->source_fds[FD_RULESET] = policy->ruleset_fd;
  args->source_fds[FD_REAPER] = shares_memory ? reaper_fd : -1;
  args->exec_reaper = shares_memory;
  args->reaper_fails_for_testing =
    sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_REAPER);
  args->max_open_files = policy->max_open_files;
  args->listener_flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_WAIT_KILLABLE_RECV))
    {
      args->listener_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
      args->retry_without_killable = TRUE;
    }
  args->stall_for_testing = sandlock_kernel_stall_setup_for_testing () > 0;
  args->hold_exec_msec = sandlock_kernel_hold_exec_for_testing ();
  args->shared = launch->shared;

  /* As posix_spawn does: no signal may reach the application's handlers
   * in the helper before it has replaced them. */
  sigfillset (&all_signals);
  pthread_sigmask (SIG_SETMASK, &all_signals, &saved_mask);
  if (shares_memory)
    {
      unsigned long tls = sandlock_clone_thread_area_init (area->thread_area);

      pid = sandlock_clone (CLONE_VM | SIGCHLD, NULL, area->helper_stack_top, tls,
                            helper_start, area);
      fork_errno = pid < 0 ? -pid : 0;
    }
  else
    {
      pid = raw_fork ();
      fork_errno = errno;
      if (pid == 0)
        helper_main (area);
    }
  pthread_sigmask (SIG_SETMASK, &saved_mask, NULL);
  if (pid < 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: fork: %s",
                   argv[0], g_strerror (fork_errno));
      goto out;
    }

  /* The helper runs in the area (when it shares our memory) until it has
   * reaped the child and exited by itself. */
  launch->area_in_use = shares_memory;
  launch->helper_pid = pid;
  close_fd (&control_fds[0]);
  launch->control_fd = control_fds[1];
  control_fds[1] = -1;

  if (!receive_from_helper (launch, argv[0], error))
    {
      abandon_helper (launch);
      goto out;
    }

  for (int i = 0; i < 3; i++)
    {
      int *ours = i == 0 ? &launch->stdin_fd : i == 1 ? &launch->stdout_fd : &launch->stderr_fd;

      *ours = stdio.parent_ends[i];
      stdio.parent_ends[i] = -1;
    }
  ok = TRUE;

out:
  stdio_clear (&stdio);
  close_fd (&control_fds[0]);
  close_fd (&control_fds[1]);
  if (!ok)
    sandlock_launch_clear (launch);
  return ok;
}

void
sandlock_launch_helper_reaped (SandlockLaunch *launch,
                               int             helper_status)
{
  HelperMessage message = { 0 };
  ssize_t n = -1;

  /* The helper's last message, HELPER_EXITED, says it has reaped every
   * process of the sandbox, the child included: nothing runs in the launch
   * area any more. (Not the wait status: GLib reports 0 for a child
   * someone else reaped.) Without it, as when the helper was killed from
   * outside, the child may have run in the area for a moment after the
   * helper died (until its PDEATHSIG landed): the area stays mapped, a few
   * pages, in that rare case only. */
  for (int i = 0; i < 3 && launch->control_fd >= 0; i++)
    {
      while ((n = recv (launch->control_fd, &message, sizeof message, MSG_DONTWAIT)) < 0 &&
             errno == EINTR)
        ;
      /* A helper that exited with our "K"s still queued leaves an error
       * for the first read, ahead of what it sent; a spawn given up on may
       * have left the helper's first message unread. */
      if (n < 0 && errno == ECONNRESET)
        continue;
      if (n != (ssize_t) sizeof message || message.status == HELPER_EXITED)
        break;
    }

  if (n == (ssize_t) sizeof message && message.status == HELPER_EXITED)
    {
      launch->child_status = message.child_status;
      launch->area_in_use = FALSE;
    }
  else
    {
      /* Killed from outside: report it so, even when someone else reaped
       * the helper and GLib made up a status of 0. */
      launch->child_status = WIFSIGNALED (helper_status) ? helper_status : SIGKILL;
    }

  if (launch->shared != NULL && __atomic_load_n (&launch->shared->reaper_failed, __ATOMIC_ACQUIRE))
    g_atomic_int_set (&reaper_unusable, TRUE);
}

void
sandlock_launch_clear (SandlockLaunch *launch)
{
  close_fd (&launch->child_pidfd);
  close_fd (&launch->listener_fd);
  close_fd (&launch->control_fd);
  close_fd (&launch->stdin_fd);
  close_fd (&launch->stdout_fd);
  close_fd (&launch->stderr_fd);
  if (launch->area_base != NULL && !launch->area_in_use)
    munmap (launch->area_base, launch->area_size);
  launch->area_base = NULL;
  launch->shared = NULL;
}

int
sandlock_launch_child_status (const SandlockLaunch *launch)
{
  return launch->child_status;
}

char *
sandlock_launch_exec_error_message (const SandlockLaunch *launch,
                                    const char           *argv0)
{
  if (launch->shared == NULL ||
      __atomic_load_n (&launch->shared->state, __ATOMIC_ACQUIRE) != SANDLOCK_HANDSHAKE_EXEC_FAILED)
    return NULL;

  return g_strdup_printf ("Failed to execute '%s': %s", argv0,
                          g_strerror (launch->shared->exec_errno));
}
