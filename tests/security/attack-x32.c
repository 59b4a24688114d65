/* attack-x32.c: an x32 syscall number (bit 0x40000000 set) on x86_64. x32
 * shares x86_64's audit architecture, so only a check of that bit keeps
 * such a call from slipping past rules written for the plain numbers. The
 * process must be killed (SIGSYS) before unshare(CLONE_NEWUSER) runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
#if defined(__x86_64__)
  long rc;

  attack_say ("x32 unshare(CLONE_NEWUSER): trying");
  rc = syscall (0x40000000L | SYS_unshare, (long) CLONE_NEWUSER);
  attack_say ("x32 unshare(CLONE_NEWUSER): survived (%ld)", rc);
  return 0;
#else
  attack_say ("x32: not x86_64");
  return 77;
#endif
}
