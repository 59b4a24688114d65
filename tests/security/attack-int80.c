/* attack-int80.c: a syscall through the i386 ABI (int 0x80), whose numbers
 * differ from x86_64's and would dodge every rule written for those.
 * The filter's architecture check must kill the process (SIGSYS) before
 * the call runs: here unshare(CLONE_NEWUSER), i386 number 310.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sched.h>

int
main (void)
{
#if defined(__x86_64__)
  long rc = 310;   /* __NR_unshare on i386 */

  attack_say ("int80 unshare(CLONE_NEWUSER): trying");
  __asm__ __volatile__ ("int $0x80"
                        : "+a" (rc)
                        : "b" ((long) CLONE_NEWUSER)
                        : "rcx", "r8", "r9", "r10", "r11", "memory");
  attack_say ("int80 unshare(CLONE_NEWUSER): survived (%ld)", rc);
  return 0;
#else
  attack_say ("int80: not x86_64");
  return 77;
#endif
}
