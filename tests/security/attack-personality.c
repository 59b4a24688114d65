/* attack-personality.c: personality, which can turn on READ_IMPLIES_EXEC
 * or ADDR_NO_RANDOMIZE for what the sandbox executes next. Setting and
 * even querying must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  attack_report (syscall (SYS_personality, PER_LINUX | READ_IMPLIES_EXEC),
                 "personality READ_IMPLIES_EXEC");
  attack_report (syscall (SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE),
                 "personality ADDR_NO_RANDOMIZE");
  attack_report (syscall (SYS_personality, PER_LINUX32), "personality PER_LINUX32");
  attack_report (syscall (SYS_personality, 0xffffffffUL), "personality query");
  return 0;
}
