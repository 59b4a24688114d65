/* attack-io-uring.c: io_uring, whose queued operations bypass seccomp
 * entirely. Setting up a ring, entering and registering must fail with
 * EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  struct io_uring_params params = { 0 };
  long fd = syscall (SYS_io_uring_setup, 8, &params);

  attack_report (fd, "io_uring_setup");
  attack_report (syscall (SYS_io_uring_enter, fd >= 0 ? fd : 0, 0, 0, 0, NULL, 0), "io_uring_enter");
  attack_report (syscall (SYS_io_uring_register, fd >= 0 ? fd : 0, IORING_REGISTER_PROBE, NULL, 0),
                 "io_uring_register");
  return 0;
}
