/* attack-proc-root.c: /proc/<pid>/root, a magic link to a process's root
 * that jumps over path-based rules. With /proc granted (the test does),
 * reaching the hidden file through our own root, the supervisor's
 * (argument 1) or init's must fail; reaching a granted file through our
 * own root is the control. Arguments: the supervisor's pid, the hidden
 * file, a granted file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <unistd.h>

static void
try_open (const char *via,
          const char *file,
          const char *what)
{
  char path[4096];

  snprintf (path, sizeof path, "%s%s", via, file);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "%s", what);
}

int
main (int argc, char **argv)
{
  long supervisor = attack_arg_long (argc, argv, 1);
  const char *secret = attack_arg (argc, argv, 2);
  const char *granted = attack_arg (argc, argv, 3);
  char via[64];

  try_open ("/proc/self/root", secret, "open /proc/self/root/HIDDEN/secret");
  try_open ("/proc/thread-self/root", secret, "open /proc/thread-self/root/HIDDEN/secret");
  snprintf (via, sizeof via, "/proc/%ld/root", supervisor);
  try_open (via, secret, "open /proc/SUPERVISOR/root/HIDDEN/secret");
  try_open ("/proc/1/root", "/etc/passwd", "open /proc/1/root/etc/passwd");
  try_open ("/proc/self/root", granted, "control: open /proc/self/root/GRANTED/file");
  return 0;
}
