/* sandlock-reaper-private.h: the helper's supervision of a running sandbox
 *
 * Shared by the library, whose helper process runs it in place, and by
 * sandlock-reaper, the small program a helper that shares the
 * application's memory executes once the command has started, so that
 * from then on it has memory of its own: the kernel kills every process
 * sharing an address space together (the OOM killer; a core dump before
 * Linux 5.16), and the helper must outlive the application to clean up
 * after it. See sandlock-launch.c.
 *
 * Async-signal-safe, freestanding: no libc but memcpy() and memset(), and
 * errno is never touched.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <linux/wait.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include "sandlock-kernel-private.h"

/* The helper (and the reaper, and the child until it execs) reach the
 * kernel only through sys(), which returns -errno and leaves errno alone:
 * before it execs the reaper, the helper may run in the application's
 * memory, where errno belongs to one of its threads. */
#define sys_(nr, a, b, c, d, e, f, ...) \
  sandlock_raw_syscall ((nr), (long) (a), (long) (b), (long) (c), (long) (d), (long) (e), (long) (f))
#define sys(...) sys_ (__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)

/* Descriptor numbers in the helper (and, until exec, the child). */
enum {
  FD_STDIN,
  FD_STDOUT,
  FD_STDERR,
  FD_CONTROL,    /* the supervisor's socket: "K" = kill, hang-up = gone */
  FD_RULESET,
  FD_REAPER,     /* sandlock-reaper's program, in a sealed memfd */
  N_FDS
};

/* What the helper tells the supervisor: once when the command has started
 * or failed to (with HELPER_READY come two descriptors: the listener, then
 * a pidfd of the child), and once more, HELPER_EXITED, when it has killed
 * and reaped every process of the sandbox, just before it exits. */
typedef struct {
  int status;
  int child_pid;
  int failed_step;
  int failed_errno;
  int child_status;   /* HELPER_EXITED: the first process's wait status */
} HelperMessage;

enum {
  HELPER_READY = 1,
  HELPER_FAILED = 2,
  HELPER_EXITED = 3,
};

/* @sig's bit in the kernel's 64-bit signal sets. */
static inline guint64
reaper_signal_bit (int sig)
{
  return G_GUINT64_CONSTANT (1) << (sig - 1);
}

static inline G_GNUC_NORETURN void
reaper_exit (int status)
{
  sys (__NR_exit_group, status);
  __builtin_unreachable ();
}

/* Lists the helper's children from /proc; returns how many were read. */
static inline int
reaper_read_children (pid_t *pids,
                      int    max_pids)
{
  char buffer[4096];
  int count = 0;
  long value = -1;
  long n;
  long fd;

  fd = sys (__NR_openat, AT_FDCWD, "/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;

  while ((n = sys (__NR_read, fd, buffer, sizeof buffer)) > 0 || n == -EINTR)
    {
      for (long i = 0; i < n && count < max_pids; i++)
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

  sys (__NR_close, fd);
  return count;
}

static inline long
reaper_wait_any (int *status,
                 int  options)
{
  return sys (__NR_wait4, -1, status, options | __WALL, NULL);
}

/* Kills and reaps every descendant. Orphans reparent to the helper (it is
 * a subreaper), so killing its children until none is left kills them all,
 * setsid()'d daemons included. Only the helper reaps its children, so a
 * listed pid cannot have been reused. */
static inline void
reaper_kill_everything (pid_t  child_pid,
                        int   *child_status,
                        int   *child_done)
{
  for (;;)
    {
      pid_t pids[512];
      int count = reaper_read_children (pids, (int) (sizeof pids / sizeof pids[0]));
      int status;
      long pid;

      if (count < 0)
        {
          /* No /proc: the process group is the best we have. */
          sys (__NR_kill, -child_pid, SIGKILL);
          sys (__NR_kill, child_pid, SIGKILL);
          count = 0;
        }
      for (int i = 0; i < count; i++)
        sys (__NR_kill, pids[i], SIGKILL);

      pid = reaper_wait_any (&status, 0);
      if (pid == -EINTR)
        continue;
      if (pid < 0)
        return;   /* ECHILD: nothing left */
      if (pid == child_pid && !*child_done)
        {
          *child_status = status;
          *child_done = 1;
        }
    }
}

static inline long
reaper_send_message (int                  socket_fd,
                     const HelperMessage *message,
                     const int           *fds,
                     int                  n_fds)
{
  union {
    char buffer[CMSG_SPACE (2 * sizeof (int))];
    struct cmsghdr align;
  } buffer;
  struct iovec iov = { .iov_base = (void *) message, .iov_len = sizeof *message };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  long result;

  if (n_fds > 0)
    {
      struct cmsghdr *cmsg;

      memset (&buffer, 0, sizeof buffer);
      msg.msg_control = buffer.buffer;
      msg.msg_controllen = CMSG_SPACE (n_fds * sizeof (int));
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (n_fds * sizeof (int));
      memcpy (CMSG_DATA (cmsg), fds, n_fds * sizeof (int));
    }

  while ((result = sys (__NR_sendmsg, socket_fd, &msg, MSG_NOSIGNAL)) == -EINTR)
    ;
  return result;
}

/* Supervises the sandbox whose first process is @child: waits for it to
 * end, for "K" on the control socket or for the supervisor to hang up,
 * then kills and reaps everything, reports, and exits. SIGCHLD must be
 * blocked (it is read from a signalfd) and not ignored. */
static inline G_GNUC_NORETURN void
reaper_supervise (pid_t child)
{
  HelperMessage message = { .status = HELPER_EXITED, .child_pid = child };
  guint64 chld = reaper_signal_bit (SIGCHLD);
  int child_done = 0;
  long sfd;

  sfd = sys (__NR_signalfd4, -1, &chld, sizeof chld, SFD_CLOEXEC | SFD_NONBLOCK);

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = FD_CONTROL, .events = POLLIN },
        { .fd = (int) sfd, .events = POLLIN },
      };
      /* Without a signalfd, poll with a timeout and reap by polling. */
      struct timespec tick = { 0, 50 * 1000 * 1000 };
      int supervisor_gone = 0;
      int kill_requested = 0;
      int status;
      long pid, polled;

      polled = sys (__NR_ppoll, fds, sfd >= 0 ? 2 : 1, sfd >= 0 ? NULL : &tick, NULL, 0);
      if (polled < 0 && polled != -EINTR)
        supervisor_gone = 1;

      if (sfd >= 0 && (fds[1].revents & POLLIN))
        {
          struct signalfd_siginfo info;

          while (sys (__NR_read, sfd, &info, sizeof info) > 0)
            ;
        }

      while ((pid = reaper_wait_any (&status, WNOHANG)) > 0)
        if (pid == child && !child_done)
          {
            message.child_status = status;
            child_done = 1;
          }

      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
        {
          char commands[16];
          long n = sys (__NR_recvfrom, FD_CONTROL, commands, sizeof commands, MSG_DONTWAIT, NULL, NULL);

          if (n == 0 || (n < 0 && n != -EINTR && n != -EAGAIN))
            supervisor_gone = 1;
          for (long i = 0; i < n; i++)
            if (commands[i] == 'K')
              kill_requested = 1;
        }

      if (child_done || supervisor_gone || kill_requested)
        {
          reaper_kill_everything (child, &message.child_status, &child_done);
          if (!child_done)
            message.child_status = SIGKILL;   /* as if killed: it is gone */

          /* The status goes to the supervisor in a message rather than by
           * dying of the child's signal: valgrind, which runs a forked
           * helper in the test suites, aborts on a fatal signal a process
           * sends itself. The supervisor also learns from it that nothing
           * runs in the launch area any more. */
          reaper_send_message (FD_CONTROL, &message, NULL, 0);
          reaper_exit (0);
        }
    }
}
