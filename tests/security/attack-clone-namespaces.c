/* attack-clone-namespaces.c: clone with each namespace flag, alone, with
 * another, and with garbage in the upper half of the flags word (which the
 * kernel ignores, so the filter must too). Each must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
try_clone (const char    *what,
           unsigned long  flags)
{
  long rc = syscall (SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

  if (rc == 0)
    _exit (0);
  if (rc > 0)
    waitpid ((pid_t) rc, NULL, 0);
  attack_report (rc, "clone %s", what);
}

int
main (void)
{
  try_clone ("CLONE_NEWNS", CLONE_NEWNS);
  try_clone ("CLONE_NEWCGROUP", CLONE_NEWCGROUP);
  try_clone ("CLONE_NEWUTS", CLONE_NEWUTS);
  try_clone ("CLONE_NEWIPC", CLONE_NEWIPC);
  try_clone ("CLONE_NEWUSER", CLONE_NEWUSER);
  try_clone ("CLONE_NEWPID", CLONE_NEWPID);
  try_clone ("CLONE_NEWNET", CLONE_NEWNET);
  try_clone ("CLONE_NEWUSER|CLONE_NEWNS", CLONE_NEWUSER | CLONE_NEWNS);
  try_clone ("CLONE_NEWUSER|upper-half-garbage", CLONE_NEWUSER | 0xfff0000000000000UL);
  return 0;
}
