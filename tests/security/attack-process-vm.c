/* attack-process-vm.c: reading and overwriting the supervisor's memory
 * with process_vm_readv and process_vm_writev. Arguments: the supervisor's
 * pid and the address of a variable in it; the test checks the variable is
 * unchanged. Both calls must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/uio.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  pid_t supervisor = (pid_t) attack_arg_long (argc, argv, 1);
  unsigned long address = (unsigned long) attack_arg_long (argc, argv, 2);
  char buffer[16] = "pwned";
  struct iovec local = { buffer, sizeof buffer };
  struct iovec remote = { (void *) address, sizeof buffer };

  attack_report (process_vm_readv (supervisor, &local, 1, &remote, 1, 0),
                 "process_vm_readv supervisor");
  attack_report (process_vm_writev (supervisor, &local, 1, &remote, 1, 0),
                 "process_vm_writev supervisor");
  return 0;
}
