/* attack-metadata.c: changing the metadata of files outside the writable
 * directory. Landlock governs no metadata change: modes, owners, times and
 * extended attributes of any file the command can name. Arguments: the
 * writable directory, the hidden directory, which holds "secret", and a
 * file granted for reading. Every change to the secret or to the granted
 * file must fail (EACCES, or EBADF where the kernel itself refuses the
 * descriptor); the controls beneath the writable directory must succeed.
 * The test checks that the secret's and the granted file's change times
 * (ctime) did not move: any metadata change moves them.
 *
 * Inode flags and attributes (chattr: nodump, noatime...; the file
 * system's generation number; fs-verity, an encryption policy; btrfs
 * subvolumes, which btrfs creates and deletes without the hooks Landlock
 * checks) are set through ioctl() requests on a descriptor, or
 * file_setattr() (Linux 6.17): the owner of a file it may only read could
 * change them. The filter refuses these requests on every descriptor
 * (EPERM): no filter can tell a descriptor's file.
 *
 * Two processes, one descriptor number: the supervisor keeps the pidfd of
 * the last thread whose descriptor it copied (issue 18); a child's call on
 * its own read-only descriptor, at the number where its parent just had a
 * writable one, must not be decided on the parent's.
 *
 * The race: a second thread swaps the path chmod() reads between a file of
 * the writable directory and the secret, while the first calls chmod() on
 * it, many times. Whatever the thread does, the secret's mode must stay.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/f2fs.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#ifndef __NR_fchmodat2
# define __NR_fchmodat2 452
#endif
#ifndef __NR_setxattrat
# define __NR_setxattrat 463
#endif
#ifndef __NR_removexattrat
# define __NR_removexattrat 466
#endif
#ifndef __NR_file_setattr
# define __NR_file_setattr 469
#endif

/* ext4's own requests (fs/ext4/ext4.h, not in the uapi headers): it
 * sets the generation through this number too, besides FS_IOC_SETVERSION,
 * and converts a file's block map to extents. */
#define EXT4_IOC_SETVERSION_ _IOW ('f', 4, long)
#define EXT4_IOC_MIGRATE_ _IO ('f', 9)
/* The request btrfs also answers natively on 64-bit kernels, for 32-bit
 * callers: its argument packs the timestamps (fs/btrfs/ioctl.c). */
#define BTRFS_IOC_SET_RECEIVED_SUBVOL_32_ _IOC (_IOC_READ | _IOC_WRITE, BTRFS_IOCTL_MAGIC, 37, 192)

/* file_setattr()'s argument (Linux 6.17: include/uapi/linux/fs.h). */
struct file_attr_ {
  unsigned long long fa_xflags;
  unsigned int fa_extsize;
  unsigned int fa_nextents;
  unsigned int fa_projid;
  unsigned int fa_cowextsize;
};

struct xattr_args_ {
  unsigned long long value;
  unsigned int size;
  unsigned int flags;
};

/* The path the racing thread keeps rewriting. */
static char race_path[4096];
static char race_inside[4096];
static char race_outside[4096];
static atomic_int race_done;

static void *
swap_path (void *data)
{
  while (!atomic_load (&race_done))
    {
      /* Byte by byte, as a real attacker would not even bother to avoid:
       * the supervisor may read any mix of the two. */
      memcpy (race_path, race_outside, sizeof race_path);
      memcpy (race_path, race_inside, sizeof race_path);
    }
  return NULL;
}

/* The metadata attempts on @path (named @name in the output), which lies
 * outside the writable directory. */
static void
attack_path (const char *path,
             const char *name)
{
  struct timespec times[2] = { { 1, 0 }, { 2, 0 } };
  struct timeval tv[2] = { { 1, 0 }, { 2, 0 } };
  struct utimbuf buf = { 1, 2 };
  struct xattr_args_ args = { (unsigned long long) (unsigned long) "v", 1, 0 };

  attack_report (chmod (path, 0666), "chmod %s", name);
  attack_report (fchmodat (AT_FDCWD, path, 0666, 0), "fchmodat %s", name);
  attack_report (syscall (__NR_fchmodat2, AT_FDCWD, path, 0666, 0), "fchmodat2 %s", name);
  attack_report (chown (path, getuid (), getgid ()), "chown %s to self", name);
  attack_report (lchown (path, getuid (), getgid ()), "lchown %s to self", name);
  attack_report (fchownat (AT_FDCWD, path, getuid (), getgid (), 0), "fchownat %s to self", name);
  attack_report (utime (path, &buf), "utime %s", name);
  attack_report (utimes (path, tv), "utimes %s", name);
  attack_report (syscall (__NR_futimesat, AT_FDCWD, path, tv), "futimesat %s", name);
  attack_report (utimensat (AT_FDCWD, path, times, 0), "utimensat %s", name);
  attack_report (utimensat (AT_FDCWD, path, NULL, 0), "utimensat %s now", name);
  attack_report (setxattr (path, "user.sandlock", "v", 1, 0), "setxattr %s", name);
  attack_report (lsetxattr (path, "user.sandlock", "v", 1, 0), "lsetxattr %s", name);
  attack_report (removexattr (path, "user.absent"), "removexattr %s", name);
  attack_report (lremovexattr (path, "user.absent"), "lremovexattr %s", name);
  attack_report (syscall (__NR_setxattrat, AT_FDCWD, path, 0, "user.sandlock", &args, sizeof args),
                 "setxattrat %s", name);
  attack_report (syscall (__NR_removexattrat, AT_FDCWD, path, 0, "user.absent"),
                 "removexattrat %s", name);
  {
    struct file_attr_ attr = { FS_XFLAG_NODUMP, 0, 0, 0, 0 };

    attack_report (syscall (__NR_file_setattr, AT_FDCWD, path, &attr, sizeof attr, 0),
                   "file_setattr %s nodump", name);
  }
}

/* Setting inode flags and attributes through @fd: each request with an
 * argument that would change something (the flags as they are, plus
 * nodump), the rest with zeroes. */
static void
attack_inode_flags (int         fd,
                    const char *name)
{
  static const struct {
    unsigned long request;
    const char   *name;
  } others[] = {
    { FS_IOC32_SETFLAGS, "FS_IOC32_SETFLAGS" },
    { FS_IOC32_SETVERSION, "FS_IOC32_SETVERSION" },
    { FS_IOC_ENABLE_VERITY, "FS_IOC_ENABLE_VERITY" },
    { FS_IOC_SET_ENCRYPTION_POLICY, "FS_IOC_SET_ENCRYPTION_POLICY" },
    { BTRFS_IOC_SNAP_CREATE, "BTRFS_IOC_SNAP_CREATE" },
    { BTRFS_IOC_SNAP_CREATE_V2, "BTRFS_IOC_SNAP_CREATE_V2" },
    { BTRFS_IOC_SUBVOL_CREATE, "BTRFS_IOC_SUBVOL_CREATE" },
    { BTRFS_IOC_SUBVOL_CREATE_V2, "BTRFS_IOC_SUBVOL_CREATE_V2" },
    { BTRFS_IOC_SNAP_DESTROY, "BTRFS_IOC_SNAP_DESTROY" },
    { BTRFS_IOC_SNAP_DESTROY_V2, "BTRFS_IOC_SNAP_DESTROY_V2" },
    { BTRFS_IOC_SUBVOL_SETFLAGS, "BTRFS_IOC_SUBVOL_SETFLAGS" },
    /* What else a file's owner changes through a descriptor it only
     * reads: the generation (ext4's own number), the block map (ext4
     * migrate), shared extents (dedupe: the owner, or whoever the mode
     * bits let write, may pass read-only descriptors), a subvolume's
     * received UUID and transids, and a btrfs file's layout and
     * compression (defragment, allowed to whoever the mode bits let
     * write). */
    { EXT4_IOC_SETVERSION_, "EXT4_IOC_SETVERSION" },
    { EXT4_IOC_MIGRATE_, "EXT4_IOC_MIGRATE" },
    { FIDEDUPERANGE, "FIDEDUPERANGE" },
    { BTRFS_IOC_SET_RECEIVED_SUBVOL, "BTRFS_IOC_SET_RECEIVED_SUBVOL" },
    { BTRFS_IOC_SET_RECEIVED_SUBVOL_32_, "BTRFS_IOC_SET_RECEIVED_SUBVOL_32" },
    { BTRFS_IOC_DEFRAG, "BTRFS_IOC_DEFRAG" },
    { BTRFS_IOC_DEFRAG_RANGE, "BTRFS_IOC_DEFRAG_RANGE" },
    /* f2fs pins a file (its blocks stay put, its compression is turned
     * off) for anybody who can read it: no owner or write check. */
    { F2FS_IOC_SET_PIN_FILE, "F2FS_IOC_SET_PIN_FILE" },
    /* The file system's encryption keys, reached through any descriptor
     * on it: removing the user's key locks their encrypted directories
     * outside the sandbox; adding one unlocks them for everybody. */
    { FS_IOC_ADD_ENCRYPTION_KEY, "FS_IOC_ADD_ENCRYPTION_KEY" },
    { FS_IOC_REMOVE_ENCRYPTION_KEY, "FS_IOC_REMOVE_ENCRYPTION_KEY" },
    { FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS, "FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS" },
  };
  static char zeroes[4096];
  struct fsxattr fsx = { 0 };
  struct file_attr_ attr = { FS_XFLAG_NODUMP, 0, 0, 0, 0 };
  int flags = 0, version = 1;

  if (ioctl (fd, FS_IOC_GETFLAGS, &flags) < 0)
    flags = 0;
  flags |= FS_NODUMP_FL;
  attack_report (ioctl (fd, FS_IOC_SETFLAGS, &flags), "ioctl FS_IOC_SETFLAGS %s nodump", name);
  attack_report (syscall (SYS_ioctl, fd, 0x100000000UL | FS_IOC_SETFLAGS, &flags),
                 "ioctl FS_IOC_SETFLAGS %s nodump, upper-half garbage", name);
  if (ioctl (fd, FS_IOC_FSGETXATTR, &fsx) < 0)
    memset (&fsx, 0, sizeof fsx);
  fsx.fsx_xflags |= FS_XFLAG_NODUMP;
  attack_report (ioctl (fd, FS_IOC_FSSETXATTR, &fsx), "ioctl FS_IOC_FSSETXATTR %s nodump", name);
  attack_report (ioctl (fd, FS_IOC_SETVERSION, &version), "ioctl FS_IOC_SETVERSION %s", name);
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    attack_report (ioctl (fd, others[i].request, zeroes), "ioctl %s %s", others[i].name, name);
  attack_report (syscall (__NR_file_setattr, fd, "", &attr, sizeof attr, AT_EMPTY_PATH),
                 "file_setattr %s AT_EMPTY_PATH nodump", name);
}

/* The attempts on a descriptor @fd of a file outside the writable
 * directory. */
static void
attack_fd (int         fd,
           const char *name)
{
  struct timespec times[2] = { { 1, 0 }, { 2, 0 } };
  struct xattr_args_ args = { (unsigned long long) (unsigned long) "v", 1, 0 };
  char magic_link[64];

  attack_report (fchmod (fd, 0666), "fchmod %s", name);
  attack_report (syscall (__NR_fchmodat2, fd, "", 0666, AT_EMPTY_PATH), "fchmodat2 %s AT_EMPTY_PATH", name);
  attack_report (fchown (fd, getuid (), getgid ()), "fchown %s to self", name);
  attack_report (fchownat (fd, "", getuid (), getgid (), AT_EMPTY_PATH),
                 "fchownat %s AT_EMPTY_PATH to self", name);
  attack_report (futimens (fd, times), "futimens %s", name);
  attack_report (utimensat (fd, "", times, AT_EMPTY_PATH), "utimensat %s AT_EMPTY_PATH", name);
  attack_report (syscall (__NR_futimesat, fd, NULL, NULL), "futimesat %s NULL", name);
  attack_report (fsetxattr (fd, "user.sandlock", "v", 1, 0), "fsetxattr %s", name);
  attack_report (fremovexattr (fd, "user.absent"), "fremovexattr %s", name);
  attack_report (syscall (__NR_setxattrat, fd, "", AT_EMPTY_PATH, "user.sandlock", &args, sizeof args),
                 "setxattrat %s AT_EMPTY_PATH", name);
  attack_inode_flags (fd, name);

  /* Through its magic link, as glibc's lchmod() fallback does. */
  snprintf (magic_link, sizeof magic_link, "/proc/self/fd/%d", fd);
  attack_report (chmod (magic_link, 0666), "chmod /proc/self/fd of %s", name);
  attack_report (chown (magic_link, getuid (), getgid ()), "chown /proc/self/fd of %s to self", name);
  attack_report (fchmodat (AT_FDCWD, magic_link, 0666, AT_SYMLINK_NOFOLLOW),
                 "fchmodat /proc/self/fd of %s AT_SYMLINK_NOFOLLOW", name);
}

int
main (int argc, char **argv)
{
  const char *writable = attack_arg (argc, argv, 1);
  const char *hidden = attack_arg (argc, argv, 2);
  const char *granted_file = attack_arg (argc, argv, 3);
  char secret[4096], planted[4096], bait[4096], dotdot[8192];
  struct stat st;
  pthread_t thread;
  int fd, changed = 0;

  snprintf (secret, sizeof secret, "%s/secret", hidden);
  snprintf (planted, sizeof planted, "%s/planted", writable);
  snprintf (bait, sizeof bait, "%s/bait", writable);

  attack_path (secret, "HIDDEN/secret");
  attack_path (granted_file, "GRANTED/file");
  /* The test planted WRITABLE/planted -> HIDDEN/secret: the forms that
   * follow it reach the secret. */
  attack_report (chmod (planted, 0666), "chmod WRITABLE/planted (-> HIDDEN/secret)");
  attack_report (chown (planted, getuid (), getgid ()), "chown WRITABLE/planted (-> HIDDEN/secret)");
  attack_report (setxattr (planted, "user.sandlock", "v", 1, 0),
                 "setxattr WRITABLE/planted (-> HIDDEN/secret)");
  attack_report (utimensat (AT_FDCWD, planted, NULL, 0), "utimensat WRITABLE/planted (-> HIDDEN/secret)");
  snprintf (dotdot, sizeof dotdot, "%s/../hidden/secret", writable);
  attack_report (chmod (dotdot, 0666), "chmod WRITABLE/../hidden/secret");

  /* Descriptors: O_PATH of the hidden file (which Landlock lets any
   * command open), and the granted file opened for reading. */
  fd = open (secret, O_PATH | O_CLOEXEC);
  attack_report (fd, "open HIDDEN/secret O_PATH");
  if (fd >= 0)
    attack_fd (fd, "O_PATH-of-HIDDEN/secret");
  fd = open (granted_file, O_RDONLY | O_CLOEXEC);
  attack_report (fd, "open GRANTED/file for reading");
  if (fd >= 0)
    attack_fd (fd, "read-only-GRANTED/file");

  /* Controls: beneath the writable directory, all of it works. */
  attack_report (close (open (bait, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)), "control: create WRITABLE/bait");
  attack_report (chmod (bait, 0700), "control: chmod WRITABLE/bait");
  attack_report (chown (bait, getuid (), getgid ()), "control: chown WRITABLE/bait to self");
  attack_report (lchown (planted, getuid (), getgid ()), "control: lchown WRITABLE/planted (the link) to self");
  attack_report (utimensat (AT_FDCWD, bait, NULL, 0), "control: utimensat WRITABLE/bait now");
  fd = open (bait, O_RDONLY | O_CLOEXEC);
  {
    int flags = 0;

    attack_report (ioctl (fd, FS_IOC_GETFLAGS, &flags), "control: ioctl FS_IOC_GETFLAGS WRITABLE/bait");
    attack_report (ioctl (fd, FS_IOC_SETFLAGS, &flags),
                   "ioctl FS_IOC_SETFLAGS WRITABLE/bait unchanged (refused on every descriptor)");
  }
  close (fd);
  fd = open (bait, O_PATH | O_CLOEXEC);
  {
    char magic_link[64];

    snprintf (magic_link, sizeof magic_link, "/proc/self/fd/%d", fd);
    attack_report (chmod (magic_link, 0600), "control: chmod /proc/self/fd of an O_PATH WRITABLE/bait");
  }
  close (fd);

  /* Paths resolved from the writable root itself (the fast way): a
   * relative symbolic link that climbs out to the secret, and one that
   * stays beneath. */
  {
    char escape[4096], to_bait[4096], climb[4096];
    const char *hidden_name = strrchr (hidden, '/') != NULL ? strrchr (hidden, '/') + 1 : hidden;

    snprintf (escape, sizeof escape, "%s/escape", writable);
    snprintf (to_bait, sizeof to_bait, "%s/to-bait", writable);
    snprintf (climb, sizeof climb, "../%s/secret", hidden_name);
    attack_report (symlink (climb, escape), "control: symlink WRITABLE/escape -> ../HIDDEN/secret");
    attack_report (chmod (escape, 0666), "chmod WRITABLE/escape (-> ../HIDDEN/secret)");
    attack_report (chown (escape, getuid (), getgid ()), "chown WRITABLE/escape (-> ../HIDDEN/secret) to self");
    attack_report (utimensat (AT_FDCWD, escape, NULL, 0), "utimensat WRITABLE/escape (-> ../HIDDEN/secret)");
    attack_report (symlink ("bait", to_bait), "control: symlink WRITABLE/to-bait -> bait");
    attack_report (chmod (to_bait, 0600), "control: chmod WRITABLE/to-bait (-> bait)");
    attack_report (syscall (__NR_fchmodat2, AT_FDCWD, to_bait, 0600, AT_SYMLINK_NOFOLLOW),
                   "control: fchmodat2 WRITABLE/to-bait AT_SYMLINK_NOFOLLOW (a link has no mode)");
  }

  /* Two processes, one number. */
  {
    int writable_fd = open (bait, O_WRONLY | O_CLOEXEC);
    int read_only_fd = open (granted_file, O_RDONLY | O_CLOEXEC);
    pid_t child;

    attack_report (fchmod (writable_fd, 0600), "control: fchmod a writable WRITABLE/bait");
    child = fork ();
    if (child == 0)
      {
        if (dup3 (read_only_fd, writable_fd, O_CLOEXEC) < 0)
          _exit (1);
        attack_report (fchmod (writable_fd, 0666),
                       "fchmod read-only-GRANTED/file in a child, at its parent's number of WRITABLE/bait");
        _exit (0);
      }
    if (child > 0)
      waitpid (child, NULL, 0);
    attack_report (child, "fork");   /* after the child's line */
    close (writable_fd);
    close (read_only_fd);
  }

  /* The race. */
  snprintf (race_inside, sizeof race_inside, "%s", bait);
  snprintf (race_outside, sizeof race_outside, "%s", secret);
  snprintf (race_path, sizeof race_path, "%s", bait);
  if (pthread_create (&thread, NULL, swap_path, NULL) != 0)
    {
      attack_say ("pthread_create failed");
      return 1;
    }
  for (int i = 0; i < 2000; i++)
    chmod (race_path, 0666);
  atomic_store (&race_done, 1);
  pthread_join (thread, NULL);
  if (stat (secret, &st) == 0 && (st.st_mode & 07777) == 0666)
    changed = 1;
  attack_say ("racing chmod WRITABLE/bait <-> HIDDEN/secret: %s",
              changed ? "the secret's mode changed" : "the secret's mode stayed");
  return 0;
}
