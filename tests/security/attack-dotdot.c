/* attack-dotdot.c: climbing out of a granted directory with "..": by an
 * absolute path, from a working directory inside the grant, relative to a
 * descriptor of the granted directory, and by listing its parent.
 * Arguments: the granted directory and the name of a hidden directory next
 * to it, which holds "secret". The escapes must fail with EACCES; the
 * control, which climbs out and back in, must work.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *granted = attack_arg (argc, argv, 1);
  const char *hidden = attack_arg (argc, argv, 2);
  char path[4096], relative[512];
  DIR *dir;
  int fd;

  snprintf (relative, sizeof relative, "../%s/secret", hidden);

  snprintf (path, sizeof path, "%s/%s", granted, relative);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "open GRANTED/../HIDDEN/secret");

  fd = open (granted, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  attack_report (fd, "open GRANTED");
  attack_report (openat (fd, relative, O_RDONLY | O_CLOEXEC), "openat GRANTED ../HIDDEN/secret");
  attack_report (openat (fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC), "openat GRANTED ..");

  attack_report (chdir (granted), "chdir GRANTED");
  attack_report (open (relative, O_RDONLY | O_CLOEXEC), "open ../HIDDEN/secret");
  attack_report (open ("../../../../../../../../etc/shadow", O_RDONLY | O_CLOEXEC),
                 "open ../../../../../../../../etc/shadow");

  snprintf (path, sizeof path, "%s/..", granted);
  dir = opendir (path);
  attack_report (dir != NULL ? 0 : -1, "opendir GRANTED/..");

  /* Control: out and back into the grant. */
  snprintf (path, sizeof path, "%s/../%s/file", granted, strrchr (granted, '/') + 1);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "control: open GRANTED/../GRANTED/file");
  return 0;
}
