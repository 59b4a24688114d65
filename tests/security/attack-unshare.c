/* attack-unshare.c: unshare with each namespace flag. Each must fail with
 * EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
# define CLONE_NEWTIME 0x00000080
#endif

static void
try_unshare (const char    *what,
             unsigned long  flags)
{
  attack_report (syscall (SYS_unshare, flags), "unshare %s", what);
}

int
main (void)
{
  try_unshare ("CLONE_NEWNS", CLONE_NEWNS);
  try_unshare ("CLONE_NEWCGROUP", CLONE_NEWCGROUP);
  try_unshare ("CLONE_NEWUTS", CLONE_NEWUTS);
  try_unshare ("CLONE_NEWIPC", CLONE_NEWIPC);
  try_unshare ("CLONE_NEWUSER", CLONE_NEWUSER);
  try_unshare ("CLONE_NEWPID", CLONE_NEWPID);
  try_unshare ("CLONE_NEWNET", CLONE_NEWNET);
  try_unshare ("CLONE_NEWTIME", CLONE_NEWTIME);
  try_unshare ("CLONE_NEWUSER|CLONE_NEWNS", CLONE_NEWUSER | CLONE_NEWNS);
  return 0;
}
