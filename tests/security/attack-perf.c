/* attack-perf.c: perf_event_open on ourselves and on the supervisor
 * (argument 1). Both must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  pid_t supervisor = (pid_t) attack_arg_long (argc, argv, 1);
  struct perf_event_attr attr = {
    .type = PERF_TYPE_SOFTWARE,
    .size = sizeof attr,
    .config = PERF_COUNT_SW_CPU_CLOCK,
    .disabled = 1,
  };

  attack_report (syscall (SYS_perf_event_open, &attr, 0, -1, -1, 0), "perf_event_open self");
  attack_report (syscall (SYS_perf_event_open, &attr, supervisor, -1, -1, 0),
                 "perf_event_open supervisor");
  return 0;
}
