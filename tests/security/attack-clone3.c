/* attack-clone3.c: clone3, whose flags sit behind a pointer where the
 * filter cannot see them. It must fail with ENOSYS (so that the C library
 * falls back to clone, whose flags the filter checks), namespaces or not.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
try_clone3 (const char *what,
            uint64_t    flags)
{
  struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
  long rc = syscall (SYS_clone3, &args, sizeof args);

  if (rc == 0)
    _exit (0);
  if (rc > 0)
    waitpid ((pid_t) rc, NULL, 0);
  attack_report (rc, "clone3 %s", what);
}

int
main (void)
{
  try_clone3 ("CLONE_NEWUSER|CLONE_NEWNS", CLONE_NEWUSER | CLONE_NEWNS);
  try_clone3 ("CLONE_NEWPID", CLONE_NEWPID);
  try_clone3 ("CLONE_NEWTIME", CLONE_NEWTIME);
  try_clone3 ("without namespaces", 0);
  return 0;
}
