/* attack-proc-mem.c: /proc/<pid>/mem of the supervisor (argument 1) and of
 * our parent, the helper, which would read and write their memory. With
 * /proc granted (the test does), every open must fail with EACCES; reading
 * our own memory is the control.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <unistd.h>

static void
try_open (const char *what,
          long        pid,
          const char *file,
          int         flags)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/%ld/%s", pid, file);
  attack_report (open (path, flags | O_CLOEXEC), "open %s", what);
}

int
main (int argc, char **argv)
{
  long supervisor = attack_arg_long (argc, argv, 1);
  long helper = (long) getppid ();

  try_open ("/proc/SUPERVISOR/mem read-write", supervisor, "mem", O_RDWR);
  try_open ("/proc/SUPERVISOR/mem read-only", supervisor, "mem", O_RDONLY);
  try_open ("/proc/HELPER/mem read-write", helper, "mem", O_RDWR);
  try_open ("/proc/HELPER/mem read-only", helper, "mem", O_RDONLY);
  attack_report (open ("/proc/self/mem", O_RDONLY | O_CLOEXEC), "control: open /proc/self/mem read-only");
  return 0;
}
