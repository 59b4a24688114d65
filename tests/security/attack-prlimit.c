/* attack-prlimit.c: resource limits set on processes outside the sandbox.
 * Argument: the supervisor's pid. prlimit() on another process of the same
 * user passes the kernel's checks and no Landlock hook governs it: an
 * RLIMIT_CPU of one second would have the kernel kill the helper (and
 * what it started would outlive the sandbox) or the application itself,
 * an RLIMIT_NOFILE of 0 would leave the helper unable to clean up. Setting
 * a limit of another process must fail with EPERM; each attempt sets the
 * limit it already has, so nothing changes even if it got through.
 * Reading them, and setting one's own, are the controls.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/resource.h>
#include <unistd.h>

static void
try_prlimit (pid_t       pid,
             const char *who)
{
  struct rlimit limit;

  if (prlimit (pid, RLIMIT_CPU, NULL, &limit) != 0)
    {
      attack_report (-1, "read the CPU limit of %s", who);
      return;
    }
  attack_report (prlimit (pid, RLIMIT_CPU, &limit, NULL), "set the CPU limit of %s", who);
  attack_report (prlimit (pid, RLIMIT_NOFILE, NULL, &limit), "control: read the descriptor limit of %s", who);
  if (limit.rlim_cur != RLIM_INFINITY)
    attack_report (prlimit (pid, RLIMIT_NOFILE, &limit, NULL), "set the descriptor limit of %s", who);
}

int
main (int argc, char **argv)
{
  pid_t supervisor = (pid_t) attack_arg_long (argc, argv, 1);
  struct rlimit own;

  try_prlimit (getppid (), "the helper");
  try_prlimit (supervisor, "SUPERVISOR");

  getrlimit (RLIMIT_CORE, &own);
  attack_report (setrlimit (RLIMIT_CORE, &own), "control: setrlimit of its own");
  attack_report (prlimit (0, RLIMIT_CORE, &own, NULL), "control: prlimit 0 of its own");
  return 0;
}
