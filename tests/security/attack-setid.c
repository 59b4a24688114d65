/* attack-setid.c: privileges outside the sandbox through metadata the
 * command may change beneath fs-writable (argument 1). The metadata guard
 * makes these calls with the application's credentials: for an
 * application run as root, every capability the command was stripped of.
 * A program the command wrote, made set-user-ID (or set-group-ID), or
 * given file capabilities, would run with its owner's (root's) full
 * privileges for whoever starts it outside the sandbox; a change of owner
 * needs CAP_CHOWN, trusted.* attributes CAP_SYS_ADMIN. Each must fail with
 * EPERM, for root and for other users alike; ordinary modes, a
 * set-group-ID directory and a change to the same owner stay.
 *
 * Argument 2 is a device granted for writing (/dev/null, as the devices
 * preset grants it): its mode, owner and ACL are the system's (or, for a
 * terminal the command inherits, the user's, which chmod 0666 would open
 * to every local user). The attempts set the values it already has, so
 * that an escape changes nothing on the machine, and must fail with
 * EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *work = argc > 1 ? argv[1] : "/nonexistent";
  char prog[4096], dir[4096];
  struct vfs_cap_data caps;
  struct stat st;
  int fd;

  snprintf (prog, sizeof prog, "%s/setid-prog", work);
  snprintf (dir, sizeof dir, "%s/setid-dir", work);

  fd = open (prog, O_CREAT | O_WRONLY | O_TRUNC, 0755);
  attack_report (fd, "control: create WORK/setid-prog");
  if (fd < 0)
    return 1;
  attack_report (write (fd, "#!/bin/sh\nid\n", 13), "control: write WORK/setid-prog");

  attack_report (chmod (prog, 04755), "chmod WORK/setid-prog 04755");
  attack_report (fchmod (fd, 04755), "fchmod WORK/setid-prog 04755");
  attack_report (fchmodat (AT_FDCWD, prog, 02755, 0), "fchmodat WORK/setid-prog 02755");
  attack_report (chown (prog, 1, 1), "chown WORK/setid-prog 1:1");
  attack_report (fchown (fd, 1, -1), "fchown WORK/setid-prog 1");

  memset (&caps, 0, sizeof caps);
  caps.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
  caps.data[0].permitted = (1u << CAP_SETUID) | (1u << CAP_SYS_ADMIN);
  attack_report (setxattr (prog, "security.capability", &caps, XATTR_CAPS_SZ_2, 0),
                 "setxattr WORK/setid-prog security.capability");
  attack_report (fsetxattr (fd, "trusted.sandlock", "1", 1, 0),
                 "fsetxattr WORK/setid-prog trusted.sandlock");

  attack_report (chmod (prog, 0700), "control: chmod WORK/setid-prog 0700");
  attack_report (chown (prog, -1, -1), "control: chown WORK/setid-prog -1:-1");
  if (fstat (fd, &st) == 0)
    attack_say ("mode of WORK/setid-prog: %o", (unsigned) (st.st_mode & 07777));
  close (fd);

  attack_report (mkdir (dir, 0755), "control: mkdir WORK/setid-dir");
  attack_report (chmod (dir, 02775), "control: chmod WORK/setid-dir 02775");
  attack_report (chmod (dir, 04775), "chmod WORK/setid-dir 04775");
  if (stat (dir, &st) == 0)
    attack_say ("mode of WORK/setid-dir: %o", (unsigned) (st.st_mode & 07777));

  if (argc > 2 && stat (argv[2], &st) == 0)
    {
      static const char acl[] = { 2, 0, 0, 0 };   /* header alone: refused by any path */

      attack_report (chmod (argv[2], st.st_mode & 07777), "chmod %s to its own mode", argv[2]);
      fd = open (argv[2], O_WRONLY);
      if (fd >= 0)
        {
          attack_report (fchmod (fd, st.st_mode & 07777), "fchmod %s to its own mode", argv[2]);
          attack_report (fchown (fd, st.st_uid, st.st_gid), "fchown %s to its own owner", argv[2]);
        }
      attack_report (setxattr (argv[2], "system.posix_acl_access", acl, sizeof acl, XATTR_REPLACE),
                     "setxattr %s system.posix_acl_access", argv[2]);
      attack_report (fd, "control: open %s for writing", argv[2]);
      if (fd >= 0)
        close (fd);
    }
  return 0;
}
