/* attack-ptrace.c: ptrace in every direction: PTRACE_TRACEME (which would
 * make the helper our tracer), then attaching to and seizing a child of
 * our own, our parent (the helper) and the supervisor (argument 1). Every
 * request must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long
raw_ptrace (long request,
            pid_t pid)
{
  return syscall (SYS_ptrace, request, (long) pid, 0L, 0L);
}

int
main (int argc, char **argv)
{
  pid_t supervisor = (pid_t) attack_arg_long (argc, argv, 1);
  pid_t child;

  attack_report (raw_ptrace (PTRACE_TRACEME, 0), "PTRACE_TRACEME");

  child = fork ();
  if (child == 0)
    {
      for (;;)
        pause ();
    }
  attack_report (raw_ptrace (PTRACE_ATTACH, child), "PTRACE_ATTACH own child");
  attack_report (raw_ptrace (PTRACE_SEIZE, child), "PTRACE_SEIZE own child");
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);

  attack_report (raw_ptrace (PTRACE_ATTACH, getppid ()), "PTRACE_ATTACH parent");
  attack_report (raw_ptrace (PTRACE_ATTACH, supervisor), "PTRACE_ATTACH supervisor");
  attack_report (raw_ptrace (PTRACE_SEIZE, supervisor), "PTRACE_SEIZE supervisor");
  return 0;
}
