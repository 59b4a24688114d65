/* attack-daemonize.c: outliving the sandbox the way daemons do. The first
 * process forks; the child calls setsid, forks again and exits, so the
 * grandchild is an orphan in its own session and process group, ignoring
 * every signal it can. With "hop", the daemon keeps doing the same to
 * itself, so its pid changes all the time. The daemon's first pid is
 * printed as "daemon: PID", then the first process prints "ready" and
 * either sleeps ("stay") or exits 0 ("exit"). Argument 2, unused, tags
 * every process's command line so the test can look for survivors.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
ignore_signals (void)
{
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
      signal (sig, SIG_IGN);
}

static void
nap (long nanoseconds)
{
  struct timespec ts = { 0, nanoseconds };

  nanosleep (&ts, NULL);
}

int
main (int argc, char **argv)
{
  const char *mode = attack_arg (argc, argv, 1);
  int hop = argc > 3 && strcmp (argv[3], "hop") == 0;
  int fds[2];
  pid_t child, daemon_pid = 0;

  if (pipe (fds) != 0)
    return 3;

  child = fork ();
  if (child == 0)
    {
      close (fds[0]);
      ignore_signals ();
      setsid ();
      if (fork () != 0)
        _exit (0);
      daemon_pid = getpid ();
      if (write (fds[1], &daemon_pid, sizeof daemon_pid) != sizeof daemon_pid)
        _exit (3);
      close (fds[1]);
      for (;;)
        {
          if (hop)
            {
              /* A new session and a new pid, again and again. */
              if (fork () != 0)
                _exit (0);
              setsid ();
              nap (1000000);
            }
          else
            pause ();
        }
    }

  close (fds[1]);
  if (read (fds[0], &daemon_pid, sizeof daemon_pid) != sizeof daemon_pid)
    return 3;
  waitpid (child, NULL, 0);
  attack_say ("daemon: %ld", (long) daemon_pid);
  attack_say ("ready");

  if (strcmp (mode, "exit") == 0)
    return 0;
  for (;;)
    pause ();
}
