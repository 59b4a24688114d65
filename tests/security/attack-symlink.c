/* attack-symlink.c: symbolic links from a writable directory to what the
 * sandbox may not reach: one it makes itself to the hidden file and to the
 * hidden directory, and one the test planted beforehand ("planted").
 * Arguments: the writable directory and the hidden directory, which holds
 * "secret". Making the links is allowed; every read, write or creation
 * through them must fail with EACCES.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *writable = attack_arg (argc, argv, 1);
  const char *hidden = attack_arg (argc, argv, 2);
  char secret[4096], link_path[4096], dir_link[4096], planted[4096];
  char through[8192];

  snprintf (secret, sizeof secret, "%s/secret", hidden);
  snprintf (link_path, sizeof link_path, "%s/link", writable);
  snprintf (dir_link, sizeof dir_link, "%s/dirlink", writable);
  snprintf (planted, sizeof planted, "%s/planted", writable);

  attack_report (symlink (secret, link_path), "symlink WRITABLE/link -> HIDDEN/secret");
  attack_report (open (link_path, O_RDONLY | O_CLOEXEC), "open WRITABLE/link for reading");
  attack_report (open (link_path, O_WRONLY | O_CLOEXEC), "open WRITABLE/link for writing");
  attack_report (truncate (link_path, 0), "truncate WRITABLE/link");

  attack_report (symlink (hidden, dir_link), "symlink WRITABLE/dirlink -> HIDDEN");
  snprintf (through, sizeof through, "%s/secret", dir_link);
  attack_report (open (through, O_RDONLY | O_CLOEXEC), "open WRITABLE/dirlink/secret");
  snprintf (through, sizeof through, "%s/new", dir_link);
  attack_report (open (through, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600),
                 "create WRITABLE/dirlink/new");

  attack_report (open (planted, O_RDONLY | O_CLOEXEC), "open WRITABLE/planted for reading");
  return 0;
}
