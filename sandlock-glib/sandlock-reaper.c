/* sandlock-reaper.c: the helper's supervision of a running sandbox
 *
 * Compiled into the library and into sandlock-reaper: see
 * sandlock-reaper-private.h. Async-signal-safe and freestanding.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/wait.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>

#include "sandlock-reaper-private.h"

#define NSEC_PER_SEC G_GUINT64_CONSTANT (1000000000)

guint64
sandlock_reaper_now_ns (void)
{
  struct timespec now = { 0, 0 };

  sandlock_sys (__NR_clock_gettime, CLOCK_MONOTONIC, &now);
  return (guint64) now.tv_sec * NSEC_PER_SEC + (guint64) now.tv_nsec;
}

/* Lists the helper's children from /proc; returns how many were read. */
static int
read_children (pid_t *pids,
               int    max_pids)
{
  char buffer[4096];
  int count = 0;
  long value = -1;
  long n;
  long fd;

  fd = sandlock_sys (__NR_openat, AT_FDCWD, "/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;

  while ((n = sandlock_sys (__NR_read, fd, buffer, sizeof buffer)) > 0 || n == -EINTR)
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

  sandlock_sys (__NR_close, fd);
  return count;
}

static long
wait_any (int *status,
          int  options)
{
  return sandlock_sys (__NR_wait4, -1, status, options | __WALL, NULL);
}

/* Kills and reaps every descendant. With the sandbox's v2 cgroup.kill
 * (SANDLOCK_FD_CGROUP_KILL), the kernel kills every process in the cgroup
 * at once, forks under way included, and processes that left our tree
 * but not the cgroup; returns whether that was done. Then, in any case:
 * orphans reparent to the helper (it is a subreaper), so killing its
 * children until none is left kills them all, setsid()'d daemons
 * included. Only the helper reaps its children, so a listed pid cannot
 * have been reused. */
static int
kill_everything (pid_t  child_pid,
                 int   *child_status,
                 int   *child_done)
{
  long written;
  int cgroup_killed;

  while ((written = sandlock_sys (__NR_write, SANDLOCK_FD_CGROUP_KILL, "1", 1)) == -EINTR)
    ;
  cgroup_killed = written == 1;
  for (;;)
    {
      pid_t pids[512];
      int count = read_children (pids, (int) (sizeof pids / sizeof pids[0]));
      int status;
      long pid;

      if (count < 0)
        {
          /* No /proc: the process group is the best we have. */
          sandlock_sys (__NR_kill, -child_pid, SIGKILL);
          sandlock_sys (__NR_kill, child_pid, SIGKILL);
          count = 0;
        }
      for (int i = 0; i < count; i++)
        sandlock_sys (__NR_kill, pids[i], SIGKILL);

      pid = wait_any (&status, 0);
      if (pid == -EINTR)
        continue;
      if (pid < 0)
        return cgroup_killed;   /* ECHILD: nothing left */
      if (pid == child_pid && !*child_done)
        {
          *child_status = status;
          *child_done = 1;
        }
    }
}

long
sandlock_reaper_send_message (int                          socket_fd,
                              const SandlockHelperMessage *message,
                              const int                   *fds,
                              int                          n_fds)
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

  while ((result = sandlock_sys (__NR_sendmsg, socket_fd, &msg, MSG_NOSIGNAL)) == -EINTR)
    ;
  return result;
}

void
sandlock_reaper_supervise (pid_t   child,
                           guint64 deadline_ns)
{
  SandlockHelperMessage message = { .status = SANDLOCK_HELPER_EXITED, .child_pid = child };
  guint64 chld = sandlock_reaper_signal_bit (SIGCHLD);
  int child_done = 0;
  long sfd;

  sfd = sandlock_sys (__NR_signalfd4, -1, &chld, sizeof chld, SFD_CLOEXEC | SFD_NONBLOCK);

  /* The deadline is kept here, in a process the command cannot signal,
   * stop or deprioritise (the deny filter refuses scheduling other
   * processes), and that runs whatever the application does. ppoll()
   * never returns early from its timeout, and the time left is measured
   * again after every wake-up, so the deadline never fires early; the
   * least timer slack makes it as little late as the scheduler allows. */
  if (deadline_ns > 0)
    sandlock_sys (__NR_prctl, PR_SET_TIMERSLACK, 1);

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = SANDLOCK_FD_CONTROL, .events = POLLIN },
        { .fd = (int) sfd, .events = POLLIN },
      };
      /* Without a signalfd, poll with a timeout and reap by polling. */
      struct timespec tick = { 0, 50 * 1000 * 1000 };
      struct timespec left;
      struct timespec *timeout = sfd >= 0 ? NULL : &tick;
      int deadline_passed = 0;
      int supervisor_gone = 0;
      int kill_requested = 0;
      int status;
      long pid, polled = 0;

      if (deadline_ns > 0)
        {
          guint64 now = sandlock_reaper_now_ns ();

          if (now >= deadline_ns)
            deadline_passed = 1;
          else
            {
              guint64 rest = deadline_ns - now;

              left.tv_sec = (time_t) (rest / NSEC_PER_SEC);
              left.tv_nsec = (long) (rest % NSEC_PER_SEC);
              if (timeout == NULL || left.tv_sec < timeout->tv_sec ||
                  (left.tv_sec == timeout->tv_sec && left.tv_nsec < timeout->tv_nsec))
                timeout = &left;
            }
        }

      if (!deadline_passed)
        polled = sandlock_sys (__NR_ppoll, fds, sfd >= 0 ? 2 : 1, timeout, NULL, 0);
      if (polled < 0 && polled != -EINTR)
        supervisor_gone = 1;

      if (sfd >= 0 && (fds[1].revents & POLLIN))
        {
          struct signalfd_siginfo info;

          while (sandlock_sys (__NR_read, sfd, &info, sizeof info) > 0)
            ;
        }

      while ((pid = wait_any (&status, WNOHANG)) > 0)
        if (pid == child && !child_done)
          {
            message.child_status = status;
            child_done = 1;
          }

      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
        {
          char commands[16];
          long n = sandlock_sys (__NR_recvfrom, SANDLOCK_FD_CONTROL, commands, sizeof commands,
                                 MSG_DONTWAIT, NULL, NULL);

          if (n == 0 || (n < 0 && n != -EINTR && n != -EAGAIN))
            supervisor_gone = 1;
          /* One command a record (SOCK_SEQPACKET): "K", or "S" and a
           * signal number for the first process. We alone reap it, so
           * until we have, its pid is its own. */
          if (n >= 1 && commands[0] == 'K')
            kill_requested = 1;
          else if (n == 2 && commands[0] == 'S' && commands[1] > 0 && commands[1] <= 64 &&
                   !child_done)
            sandlock_sys (__NR_kill, child, (int) commands[1]);
        }

      if (child_done || supervisor_gone || kill_requested || deadline_passed)
        {
          /* The command ended by itself in time: no timeout. */
          message.timed_out = deadline_passed && !child_done;
          message.cgroup_killed = kill_everything (child, &message.child_status, &child_done);
          if (!child_done)
            message.child_status = SIGKILL;   /* as if killed: it is gone */

          /* The status goes to the supervisor in a message rather than by
           * dying of the child's signal: valgrind, which runs a forked
           * helper in the test suites, aborts on a fatal signal a process
           * sends itself. The supervisor also learns from it that nothing
           * runs in the launch area any more. */
          sandlock_reaper_send_message (SANDLOCK_FD_CONTROL, &message, NULL, 0);
          sandlock_reaper_exit (0);
        }
    }
}
