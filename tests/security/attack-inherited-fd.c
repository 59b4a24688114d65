/* attack-inherited-fd.c: descriptors the application left open without
 * close-on-exec (the test opens the hidden file at the numbers given as
 * arguments). Listing every open descriptor must show only 0, 1 and 2,
 * and reading each given number must fail with EBADF.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  char line[4096] = "open descriptors:";
  struct rlimit rl;
  long max = 1024;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    max = (long) rl.rlim_cur;
  for (long fd = 0; fd < max; fd++)
    if (fcntl ((int) fd, F_GETFD) >= 0 && strlen (line) + 16 < sizeof line)
      snprintf (line + strlen (line), sizeof line - strlen (line), " %ld", fd);
  attack_say ("%s", line);

  for (int i = 1; i < argc; i++)
    {
      char byte;
      long fd = attack_arg_long (argc, argv, i);

      attack_report (read ((int) fd, &byte, 1), "read %ld", fd);
    }
  return 0;
}
