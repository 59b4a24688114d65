/* attack-prctl.c: the prctl options that would let another process trace
 * us or change our security bits: PR_SET_DUMPABLE, PR_SET_PTRACER (to
 * anyone), PR_SET_SECUREBITS, and PR_SET_DUMPABLE with garbage in the upper
 * half of the option word (which the kernel ignores). Each must fail with
 * EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  attack_report (syscall (SYS_prctl, PR_SET_DUMPABLE, 1L, 0L, 0L, 0L), "prctl PR_SET_DUMPABLE");
  attack_report (syscall (SYS_prctl, 0x100000000L | PR_SET_DUMPABLE, 1L, 0L, 0L, 0L),
                 "prctl PR_SET_DUMPABLE with upper-half garbage");
  attack_report (syscall (SYS_prctl, PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0L, 0L, 0L),
                 "prctl PR_SET_PTRACER any");
  attack_report (syscall (SYS_prctl, PR_SET_SECUREBITS, (long) SECBIT_NOROOT, 0L, 0L, 0L),
                 "prctl PR_SET_SECUREBITS");
  return 0;
}
