/* sandlock-launch.c: starting a confined child
 *
 * Three processes take part:
 *
 *  supervisor  the application. It prepares everything (BPF programs,
 *              Landlock ruleset, argv, envp) before forking, because the
 *              helper and the child may only run async-signal-safe code.
 *  helper      forked from the supervisor. A child subreaper: every process
 *              of the sandbox that loses its parent is reparented to it, so
 *              it can kill and reap all of them. It reports the child's
 *              wait status in shared memory, and kills the whole sandbox
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

/* Descriptor numbers in the helper (and, until exec, the child). */
enum {
  FD_STDIN,
  FD_STDOUT,
  FD_STDERR,
  FD_CONTROL,    /* the supervisor's socket: "K" = kill, hang-up = gone */
  FD_RULESET,
  N_FDS
};

/* What the helper tells the supervisor, once. With HELPER_READY come two
 * descriptors: the listener, then a pidfd of the child. */
typedef struct {
  int status;
  int child_pid;
  int failed_step;
  int failed_errno;
} HelperMessage;

enum {
  HELPER_READY = 1,
  HELPER_FAILED = 2,
};

typedef struct {
  int                      source_fds[N_FDS];
  const char              *exec_path;
  char * const            *argv;
  char * const            *envp;
  const char              *cwd;
  guint                    max_open_files;
  struct sock_fprog       *deny_program;   /* the helper binds its copy */
  const struct sock_fprog *notify_program;
  unsigned int             listener_flags;
  gboolean                 retry_without_killable;
  gboolean                 stall_for_testing;
  SandlockHandshake       *shared;
} ChildArgs;

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

/* fork() sharing the descriptor table until the child execs, and getting a
 * pidfd of the child (CLONE_PIDFD, Linux 5.2; pidfd_open after otherwise).
 * The child runs @child_main. */
static pid_t
clone_files (int       *pidfd,
             void     (*child_main) (gpointer data),
             gpointer   data)
{
  pid_t pid;

  *pidfd = -1;
  pid = sandlock_clone (CLONE_FILES | CLONE_PIDFD | SIGCHLD, pidfd, child_main, data);
  if (pid < 0 && errno == EINVAL)
    pid = sandlock_clone (CLONE_FILES | SIGCHLD, NULL, child_main, data);
  if (pid > 0 && *pidfd < 0)
    *pidfd = sandlock_sys_pidfd_open (pid, 0);
  return pid;
}

/* The shared page is shared between processes: no FUTEX_PRIVATE_FLAG. */
static void
futex_wake (int *word)
{
  sandlock_raw_syscall (__NR_futex, (long) word, FUTEX_WAKE, INT_MAX, 0, 0, 0);
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

/* For the helper before its child exists: errno is its own. */
static G_GNUC_NORETURN void
report_failure (SandlockHandshake *shared,
                LaunchStep         step)
{
  record_failure (shared, step, errno);
  _exit (127);
}

/* For the child, which shares the helper's errno while both run: @result
 * is a raw syscall's, -errno on failure. */
static void
child_check (SandlockHandshake *shared,
             LaunchStep         step,
             long               result)
{
  if (result >= 0)
    return;
  record_failure (shared, step, (int) -result);
  sandlock_raw_syscall (__NR_exit_group, 127, 0, 0, 0, 0, 0);
  __builtin_unreachable ();
}

static int
close_from (int lowest)
{
  if (syscall (__NR_close_range, (unsigned int) lowest, ~0U, 0) == 0)
    return 0;

  if (errno == ENOSYS)
    {
      struct rlimit rl;
      int max = 65536;

      if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY)
        max = (int) MIN (rl.rlim_max, (rlim_t) (1 << 20));
      for (int fd = lowest; fd < max; fd++)
        close (fd);
      return 0;
    }

  return -1;
}

/* Puts each source descriptor at its fixed number and closes everything
 * else the supervisor had open: nothing of the application leaks. Only the
 * standard streams survive an exec. */
static int
arrange_fds (const int *sources)
{
  int moved[N_FDS];

  for (int i = 0; i < N_FDS; i++)
    {
      moved[i] = -1;
      if (sources[i] >= 0)
        {
          /* Above every target, so no dup3 below clobbers a copy; and no
           * higher, since a number at or above RLIMIT_NOFILE fails with
           * EINVAL, which would hide that the limit is what is short. */
          moved[i] = fcntl (sources[i], F_DUPFD_CLOEXEC, N_FDS);
          if (moved[i] < 0)
            return -1;
        }
    }

  for (int i = 0; i < N_FDS; i++)
    {
      if (moved[i] < 0)
        close (i);
      else if (dup3 (moved[i], i, i < FD_CONTROL ? 0 : O_CLOEXEC) < 0)
        return -1;
    }

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
  struct sigaction default_action = { .sa_handler = SIG_DFL };
  unsigned int flags = args->listener_flags;
  guint64 empty_mask = 0;
  long listener, result;

  /* Every call below whose error is reported is a raw syscall: the helper
   * runs meanwhile, in the same memory, and its errno is ours. */

  /* Ignored signals survive exec: give the command a clean slate. (Errors,
   * for the signals libc reserves, do not matter.) */
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &default_action, NULL);
  child_check (shared, STEP_SIGNALS,
               sandlock_raw_syscall (__NR_rt_sigprocmask, SIG_SETMASK, (long) &empty_mask, 0,
                                     sizeof empty_mask, 0, 0));

  child_check (shared, STEP_SETPGID, sandlock_raw_syscall (__NR_setpgid, 0, 0, 0, 0, 0, 0));

  /* Die with the helper, and check it did not die before the prctl. */
  child_check (shared, STEP_PDEATHSIG,
               sandlock_raw_syscall (__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0));
  if (sandlock_raw_syscall (__NR_getppid, 0, 0, 0, 0, 0, 0) != helper_pid)
    child_check (shared, STEP_PARENT_GONE, -ESRCH);

  /* A set-up that never ends (SANDLOCK_TEST_STALL_SETUP), as in a chdir()
   * to a dead network mount: the spawn must give up on it. */
  if (args->stall_for_testing)
    sandlock_raw_syscall (__NR_kill, sandlock_raw_syscall (__NR_getpid, 0, 0, 0, 0, 0, 0),
                          SIGSTOP, 0, 0, 0, 0);

  if (args->cwd != NULL)
    child_check (shared, STEP_CHDIR, sandlock_raw_syscall (__NR_chdir, (long) args->cwd, 0, 0, 0, 0, 0));

  if (args->max_open_files > 0)
    {
      struct rlimit rl = { 0 };

      /* prlimit64 on the real kernel: valgrind emulates this limit and
       * would refuse to lower the hard one (the child runs natively under
       * valgrind anyway). */
      child_check (shared, STEP_RLIMIT,
                   sandlock_raw_syscall (__NR_prlimit64, 0, RLIMIT_NOFILE, 0, (long) &rl, 0, 0));
      if (rl.rlim_max == RLIM_INFINITY || args->max_open_files < rl.rlim_max)
        rl.rlim_max = args->max_open_files;
      rl.rlim_cur = rl.rlim_max;
      child_check (shared, STEP_RLIMIT,
                   sandlock_raw_syscall (__NR_prlimit64, 0, RLIMIT_NOFILE, (long) &rl, 0, 0, 0));
    }

  child_check (shared, STEP_NO_NEW_PRIVS,
               sandlock_raw_syscall (__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0));

  if (args->source_fds[FD_RULESET] >= 0)
    child_check (shared, STEP_LANDLOCK,
                 sandlock_raw_syscall (__NR_landlock_restrict_self, FD_RULESET, 0, 0, 0, 0, 0));

  child_check (shared, STEP_DENY_FILTER,
               sandlock_raw_syscall (__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0,
                                     (long) args->deny_program, 0, 0, 0));

  /* The last syscall before the listener exists: wake the helper. */
  set_state (shared, SANDLOCK_HANDSHAKE_INSTALLING_LISTENER);

  listener = sandlock_raw_syscall (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags,
                                   (long) args->notify_program, 0, 0, 0);
  if (listener == -EINVAL && args->retry_without_killable)
    {
      flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
      listener = sandlock_raw_syscall (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags,
                                       (long) args->notify_program, 0, 0, 0);
    }
  child_check (shared, STEP_NOTIFY_FILTER, listener);   /* no filter: exit is not trapped */

  /* From here no syscall but execve: publish through memory only. */
  shared->listener_fd = listener;
  __atomic_store_n (&shared->state, SANDLOCK_HANDSHAKE_LISTENER_READY, __ATOMIC_RELEASE);

  result = sandlock_raw_syscall (__NR_execve, (long) args->exec_path, (long) args->argv,
                                 (long) args->envp, 0, 0, 0);

  /* A write() here could be trapped and denied by a handler: exec errors
   * go to memory, which the supervisor reads when the helper exits. */
  shared->exec_errno = (int) -result;
  __atomic_store_n (&shared->state, SANDLOCK_HANDSHAKE_EXEC_FAILED, __ATOMIC_RELEASE);
  sandlock_raw_syscall (__NR_exit_group, 127, 0, 0, 0, 0, 0);
  __builtin_unreachable ();
}

typedef struct {
  const ChildArgs *args;
  pid_t            helper_pid;
} ChildStart;

static void
child_start (gpointer data)
{
  ChildStart *start = data;

  child_main (start->args, start->helper_pid);
}

/* Lists the helper's children from /proc; returns how many were read. */
static int
read_children (pid_t *pids,
               int    max_pids)
{
  char buffer[4096];
  int count = 0;
  long value = -1;
  ssize_t n;
  int fd;

  fd = open ("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;

  while ((n = read (fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    {
      for (ssize_t i = 0; i < n && count < max_pids; i++)
        {
          if (buffer[i] >= '0' && buffer[i] <= '9')
            value = (value < 0 ? 0 : value * 10) + (buffer[i] - '0');
          else if (value >= 0)
            {
              pids[count++] = (pid_t) value;
              value = -1;
            }
        }
    }
  if (value >= 0 && count < max_pids)
    pids[count++] = (pid_t) value;

  close (fd);
  return count;
}

/* Kills and reaps every descendant. Orphans reparent to the helper (it is
 * a subreaper), so killing its children until none is left kills them all,
 * setsid()'d daemons included. Only the helper reaps its children, so a
 * listed pid cannot have been reused. */
static void
kill_everything (pid_t  child_pid,
                 int   *child_status,
                 int   *child_done)
{
  for (;;)
    {
      pid_t pids[512];
      int count = read_children (pids, G_N_ELEMENTS (pids));
      int status;
      pid_t pid;

      if (count < 0)
        {
          /* No /proc: the process group is the best we have. */
          kill (-child_pid, SIGKILL);
          kill (child_pid, SIGKILL);
          count = 0;
        }
      for (int i = 0; i < count; i++)
        kill (pids[i], SIGKILL);

      pid = waitpid (-1, &status, __WALL);
      if (pid < 0)
        {
          if (errno == EINTR)
            continue;
          return;   /* ECHILD: nothing left */
        }
      if (pid == child_pid && !*child_done)
        {
          *child_status = status;
          *child_done = 1;
        }
    }
}

static gboolean
child_exited (pid_t child)
{
  siginfo_t info = { 0 };

  /* WNOWAIT: the main loop below reaps it. Raw, as every call of the
   * helper's while its child runs in its memory: errno is shared. */
  return sandlock_raw_syscall (__NR_waitid, P_PID, (id_t) child, (long) &info,
                               WEXITED | WNOHANG | WNOWAIT, 0, 0) == 0 &&
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

          sandlock_raw_syscall (__NR_futex, (long) &shared->state, FUTEX_WAIT, state,
                                (long) &tick, 0, 0);
        }
      else if (state == SANDLOCK_HANDSHAKE_INSTALLING_LISTENER)
        {
          if (spins % 64 == 63)
            sched_yield ();
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

static int
send_message (const HelperMessage *message,
              const int           *fds,
              int                  n_fds)
{
  union {
    char buffer[CMSG_SPACE (2 * sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = (void *) message, .iov_len = sizeof *message };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

  if (n_fds > 0)
    {
      struct cmsghdr *cmsg;

      memset (&control, 0, sizeof control);
      msg.msg_control = control.buffer;
      msg.msg_controllen = CMSG_SPACE (n_fds * sizeof (int));
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (n_fds * sizeof (int));
      memcpy (CMSG_DATA (cmsg), fds, n_fds * sizeof (int));
    }

  while (sendmsg (FD_CONTROL, &msg, MSG_NOSIGNAL) < 0)
    if (errno != EINTR)
      return -1;
  return 0;
}

static G_GNUC_NORETURN void
helper_main (const ChildArgs *args)
{
  /* Signals the helper's own faults raise: their default action. */
  static const int fault_signals[] = {
    SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP,
  };
  SandlockHandshake *shared = args->shared;
  struct sigaction ignore = { .sa_handler = SIG_IGN };
  struct sigaction default_action = { .sa_handler = SIG_DFL };
  HelperMessage message = { 0 };
  ChildStart start;
  int child_status = 0;
  int child_done = 0;
  int child_pidfd;
  sigset_t chld;
  pid_t child;
  int sfd;

  if (arrange_fds (args->source_fds) != 0)
    report_failure (shared, STEP_STDIO);

  /* We start with every signal blocked (sandlock_launch() blocks them
   * around the fork), so none of the application's handlers, inherited
   * with its memory, can run here. Replace them all: the helper ignores
   * every signal but its own faults' and SIGCHLD, which it reads from a
   * signalfd. Terminal and hang-up signals are the application's
   * business: the helper lives until its sandbox is gone, then cleans up. */
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &ignore, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (fault_signals); i++)
    sigaction (fault_signals[i], &default_action, NULL);
  sigaction (SIGCHLD, &default_action, NULL);
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  if (sigprocmask (SIG_SETMASK, &chld, NULL) != 0)
    report_failure (shared, STEP_SIGNALS);

  if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
    report_failure (shared, STEP_SUBREAPER);

  start.args = args;
  start.helper_pid = getpid ();
  /* Our copy of the program, which the child shares or copies. */
  sandlock_policy_bind_helper (args->deny_program, start.helper_pid, getpgrp ());
  child = clone_files (&child_pidfd, child_start, &start);
  if (child < 0)
    report_failure (shared, STEP_FORK);

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
            send_message (&message, NULL, 0);
          }
        else if (send_message (&message, fds, 2) != 0)
          {
            /* Nobody to supervise the child: it must not run. */
            kill (child, SIGKILL);
          }
        break;
      }

    default:
      message.status = HELPER_FAILED;
      message.failed_step = shared->failed_step;
      message.failed_errno = shared->failed_errno;
      send_message (&message, NULL, 0);
      break;
    }

  /* Our copies are not needed: the supervisor has its own. (Closing them
   * while the child may not have exec'd yet is harmless: it closes on exec.) */
  if (shared->listener_fd > 0)
    close (shared->listener_fd);
  if (child_pidfd >= 0)
    close (child_pidfd);

  sfd = signalfd (-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = FD_CONTROL, .events = POLLIN },
        { .fd = sfd, .events = POLLIN },
      };
      int supervisor_gone = 0;
      int kill_requested = 0;
      int status;
      pid_t pid;

      /* Without a signalfd, poll with a timeout and reap by polling. */
      if (poll (fds, sfd >= 0 ? 2 : 1, sfd >= 0 ? -1 : 50) < 0 && errno != EINTR)
        supervisor_gone = 1;

      if (sfd >= 0 && (fds[1].revents & POLLIN))
        {
          struct signalfd_siginfo info;

          while (read (sfd, &info, sizeof info) > 0)
            ;
        }

      while ((pid = waitpid (-1, &status, WNOHANG | __WALL)) > 0)
        if (pid == child && !child_done)
          {
            child_status = status;
            child_done = 1;
          }

      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
        {
          char commands[16];
          ssize_t n = recv (FD_CONTROL, commands, sizeof commands, MSG_DONTWAIT);

          if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            supervisor_gone = 1;
          for (ssize_t i = 0; i < n; i++)
            if (commands[i] == 'K')
              kill_requested = 1;
        }

      if (child_done || supervisor_gone || kill_requested)
        {
          kill_everything (child, &child_status, &child_done);
          if (!child_done)
            child_status = SIGKILL;   /* as if killed: it is gone */

          /* The child's status goes through the shared page rather than by
           * dying of the child's signal: valgrind, which runs this helper
           * in the test suites, aborts on a fatal signal a process sends
           * itself. */
          shared->child_status = child_status;
          __atomic_store_n (&shared->child_reported, 1, __ATOMIC_RELEASE);
          _exit (0);
        }
    }
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
abandon_helper (GPid  helper_pid,
                int  *control_fd)
{
  int status;

  /* A hang-up on the control socket makes the helper kill and reap all,
   * once it is back in its loop. One still waiting for a child stuck in
   * its set-up (which cannot have started anything yet) never gets there:
   * kill it, and the child with it (PDEATHSIG). */
  close_fd (control_fd);
  for (int waited = 0;; waited += 10)
    {
      pid_t pid = waitpid (helper_pid, &status, WNOHANG);

      if (pid == helper_pid || (pid < 0 && errno != EINTR))
        return;
      if (waited >= ABANDON_GRACE_MSEC)
        break;
      g_usleep (10 * 1000);
    }

  kill (helper_pid, SIGKILL);
  while (waitpid (helper_pid, &status, 0) < 0 && errno == EINTR)
    ;
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
  ChildArgs args = { 0 };
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

  launch->shared = mmap (NULL, sizeof (SandlockHandshake), PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (launch->shared == MAP_FAILED)
    {
      int saved_errno = errno;

      launch->shared = NULL;
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: mmap: %s",
                   argv[0], g_strerror (saved_errno));
      goto out;
    }

  args.source_fds[FD_STDIN] = stdio.child_ends[0];
  args.source_fds[FD_STDOUT] = stdio.child_ends[1];
  args.source_fds[FD_STDERR] = stdio.child_ends[2];
  args.source_fds[FD_CONTROL] = control_fds[0];
  args.source_fds[FD_RULESET] = policy->ruleset_fd;
  args.exec_path = exec_path;
  args.argv = (char * const *) argv;
  args.envp = envp;
  args.cwd = policy->cwd;
  args.max_open_files = policy->max_open_files;
  args.deny_program = &policy->deny_program;
  args.notify_program = &policy->notify_program;
  args.listener_flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_WAIT_KILLABLE_RECV))
    {
      args.listener_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
      args.retry_without_killable = TRUE;
    }
  args.stall_for_testing = sandlock_kernel_stall_setup_for_testing () > 0;
  args.shared = launch->shared;

  /* As posix_spawn does: no signal may reach the application's handlers
   * in the helper before it has replaced them. */
  sigfillset (&all_signals);
  pthread_sigmask (SIG_SETMASK, &all_signals, &saved_mask);
  pid = raw_fork ();
  fork_errno = errno;
  if (pid != 0)
    pthread_sigmask (SIG_SETMASK, &saved_mask, NULL);
  if (pid < 0)
    {
      int saved_errno = fork_errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   "Failed to start '%s' in the sandbox: fork: %s",
                   argv[0], g_strerror (saved_errno));
      goto out;
    }
  if (pid == 0)
    helper_main (&args);

  launch->helper_pid = pid;
  close_fd (&control_fds[0]);
  launch->control_fd = control_fds[1];
  control_fds[1] = -1;

  if (!receive_from_helper (launch, argv[0], error))
    {
      abandon_helper (launch->helper_pid, &launch->control_fd);
      launch->helper_pid = 0;
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
sandlock_launch_clear (SandlockLaunch *launch)
{
  close_fd (&launch->child_pidfd);
  close_fd (&launch->listener_fd);
  close_fd (&launch->control_fd);
  close_fd (&launch->stdin_fd);
  close_fd (&launch->stdout_fd);
  close_fd (&launch->stderr_fd);
  if (launch->shared != NULL)
    {
      munmap (launch->shared, sizeof (SandlockHandshake));
      launch->shared = NULL;
    }
}

int
sandlock_launch_child_status (const SandlockLaunch *launch,
                              int                   helper_status)
{
  if (launch->shared == NULL ||
      !__atomic_load_n (&launch->shared->child_reported, __ATOMIC_ACQUIRE))
    return helper_status;

  return launch->shared->child_status;
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
