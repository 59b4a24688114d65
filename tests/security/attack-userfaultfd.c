/* attack-userfaultfd.c: userfaultfd, a favourite of kernel exploits for
 * stalling the kernel inside a copy from user memory, through the syscall
 * (EPERM) and through /dev/userfaultfd (not granted: EACCES).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  attack_report (syscall (SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK), "userfaultfd");
  attack_report (open ("/dev/userfaultfd", O_RDWR | O_CLOEXEC), "open /dev/userfaultfd");
  return 0;
}
