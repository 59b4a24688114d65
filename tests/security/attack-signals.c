/* attack-signals.c: signals to processes outside the sandbox: the
 * supervisor (argument 1), an unrelated process (argument 2, a process
 * group leader), and our parent, the helper, by kill, tgkill, sigqueue,
 * pidfd_send_signal and process group; and SIGIO aimed at the supervisor
 * through F_SETOWN. Every signal must be refused with EPERM (SIGIO is
 * dropped silently: the test, which would die of it, survives). The test
 * checks every target is still alive.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  pid_t supervisor = (pid_t) attack_arg_long (argc, argv, 1);
  pid_t victim = (pid_t) attack_arg_long (argc, argv, 2);
  pid_t helper = getppid ();
  siginfo_t info = { .si_signo = SIGKILL, .si_code = SI_QUEUE };
  int pidfd;
  int pipe_fds[2];

  attack_report (kill (supervisor, SIGKILL), "kill SUPERVISOR SIGKILL");
  attack_report (kill (supervisor, 0), "kill SUPERVISOR 0");
  attack_report (syscall (SYS_tgkill, supervisor, supervisor, SIGKILL), "tgkill SUPERVISOR SIGKILL");
  attack_report (syscall (SYS_rt_sigqueueinfo, supervisor, SIGKILL, &info),
                 "rt_sigqueueinfo SUPERVISOR SIGKILL");
  pidfd = (int) syscall (SYS_pidfd_open, supervisor, 0);
  attack_report (pidfd, "pidfd_open SUPERVISOR");
  attack_report (syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0),
                 "pidfd_send_signal SUPERVISOR SIGKILL");

  attack_report (kill (victim, SIGKILL), "kill VICTIM SIGKILL");
  attack_report (kill (-victim, SIGKILL), "kill -VICTIM (its process group) SIGKILL");
  attack_report (kill (helper, SIGKILL), "kill HELPER SIGKILL");

  /* SIGIO goes to the owner of a descriptor when it becomes readable. */
  attack_report (pipe2 (pipe_fds, O_CLOEXEC), "pipe");
  attack_report (fcntl (pipe_fds[0], F_SETOWN, supervisor), "fcntl F_SETOWN SUPERVISOR");
  attack_report (fcntl (pipe_fds[0], F_SETFL, O_ASYNC | O_NONBLOCK), "fcntl F_SETFL O_ASYNC");
  attack_report (write (pipe_fds[1], "x", 1), "write (raises SIGIO for SUPERVISOR)");
  return 0;
}
