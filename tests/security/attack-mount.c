/* attack-mount.c: changing the filesystem topology, with the old mount API
 * (a tmpfs over a writable directory, a bind mount of a hidden directory
 * onto it, unmounting /, pivot_root) and the new one (fsopen, fspick,
 * open_tree, move_mount, mount_setattr). Arguments: a writable directory and
 * a hidden one. Every call must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *writable = attack_arg (argc, argv, 1);
  const char *hidden = attack_arg (argc, argv, 2);
  struct mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY };

  attack_report (mount ("none", writable, "tmpfs", 0, NULL), "mount tmpfs on writable");
  attack_report (mount (hidden, writable, NULL, MS_BIND, NULL), "bind mount hidden on writable");
  attack_report (mount (NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL), "remount /");
  attack_report (umount2 ("/", MNT_DETACH), "umount2 /");
  attack_report (syscall (SYS_pivot_root, writable, writable), "pivot_root");
  attack_report (syscall (SYS_fsopen, "tmpfs", 0), "fsopen tmpfs");
  attack_report (syscall (SYS_fspick, AT_FDCWD, "/", 0), "fspick /");
  attack_report (syscall (SYS_open_tree, AT_FDCWD, hidden, OPEN_TREE_CLONE), "open_tree hidden");
  attack_report (syscall (SYS_move_mount, AT_FDCWD, hidden, AT_FDCWD, writable, 0),
                 "move_mount hidden to writable");
  attack_report (syscall (SYS_mount_setattr, AT_FDCWD, "/", 0, &attr, sizeof attr),
                 "mount_setattr / read-write");
  return 0;
}
