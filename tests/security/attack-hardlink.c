/* attack-hardlink.c: hard links and renames that would pull a hidden file
 * into the writable directory, where the sandbox could then open it.
 * Arguments: the writable directory and the hidden directory, which holds
 * "secret". Each must fail (EXDEV for links, which Landlock refuses to
 * reparent; EACCES for renames); the test checks the secret still has one link
 * and stays where it was.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *writable = attack_arg (argc, argv, 1);
  const char *hidden = attack_arg (argc, argv, 2);
  char secret[4096], target[4096];
  int dirfd;

  snprintf (secret, sizeof secret, "%s/secret", hidden);

  snprintf (target, sizeof target, "%s/hardlink", writable);
  attack_report (link (secret, target), "link HIDDEN/secret WRITABLE/hardlink");
  attack_report (linkat (AT_FDCWD, secret, AT_FDCWD, target, AT_SYMLINK_FOLLOW),
                 "linkat HIDDEN/secret WRITABLE/hardlink");

  dirfd = open (hidden, O_PATH | O_DIRECTORY | O_CLOEXEC);
  attack_report (dirfd, "open HIDDEN with O_PATH");
  if (dirfd >= 0)
    attack_report (linkat (dirfd, "secret", AT_FDCWD, target, 0),
                   "linkat O_PATH-of-HIDDEN secret WRITABLE/hardlink");

  snprintf (target, sizeof target, "%s/stolen", writable);
  attack_report (rename (secret, target), "rename HIDDEN/secret WRITABLE/stolen");

  /* Swapping needs a file on our side: make one. */
  snprintf (target, sizeof target, "%s/bait", writable);
  attack_report (close (open (target, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)), "create WRITABLE/bait");
  attack_report (renameat2 (AT_FDCWD, secret, AT_FDCWD, target, RENAME_EXCHANGE),
                 "renameat2 RENAME_EXCHANGE HIDDEN/secret WRITABLE/bait");
  return 0;
}
