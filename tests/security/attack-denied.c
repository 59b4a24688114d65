/* attack-denied.c: reaching a path of fs-denied beneath a writable root.
 * Arguments: a writable directory next to the denied one (WORK), the
 * denied directory (holding "secret", the executable "prog" and the
 * symbolic link "link"), and the mode: "access"
 * (every attempt must fail) or "lookup" (stat, access, readlink and the
 * reading of extended attributes, which Landlock does not govern; the
 * driver gives DENIED/secret a user.sandlock-secret attribute where the
 * file system takes one).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define SECRET_TEXT "the supervisor's secret"

static char swapped[4096], decoy[4096], secret[4096];
static atomic_int stop;

/* Flips WORK/swapped between a harmless file and the secret. */
static void *
flipper (void *data)
{
  char temporary[4200];

  snprintf (temporary, sizeof temporary, "%s.tmp", swapped);
  while (!atomic_load (&stop))
    {
      unlink (temporary);
      if (symlink (secret, temporary) == 0)
        rename (temporary, swapped);
      unlink (temporary);
      if (symlink (decoy, temporary) == 0)
        rename (temporary, swapped);
    }
  return NULL;
}

/* Reads @path; "ok" only when the secret came out. */
static int
read_secret (const char *path)
{
  char buffer[256] = "";
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return -1;
  n = read (fd, buffer, sizeof buffer - 1);
  close (fd);
  if (n > 0 && strstr (buffer, SECRET_TEXT) != NULL)
    return 0;
  errno = EACCES;   /* opened something else: not the secret */
  return -1;
}

int
main (int argc, char **argv)
{
  const char *writable = attack_arg (argc, argv, 1);   /* WORK */
  const char *denied = attack_arg (argc, argv, 2);
  const char *mode = attack_arg (argc, argv, 3);
  char path[4096], target[4096], link_target[4096];
  struct stat st;
  pthread_t thread;
  int fd, found;
  DIR *dir;

  snprintf (secret, sizeof secret, "%s/secret", denied);

  if (strcmp (mode, "lookup") == 0)
    {
      attack_report (stat (secret, &st), "stat DENIED/secret");
      attack_report (access (secret, F_OK), "access DENIED/secret");
      attack_report (stat (denied, &st), "stat DENIED");
      snprintf (path, sizeof path, "%s/link", denied);
      attack_report (readlink (path, link_target, sizeof link_target), "readlink DENIED/link");
      attack_report (lstat (path, &st), "lstat DENIED/link");
      {
        struct statx stx;

        attack_report (statx (AT_FDCWD, secret, 0, STATX_BASIC_STATS, &stx), "statx DENIED/secret");
      }
      attack_report (faccessat (AT_FDCWD, secret, R_OK, AT_EACCESS), "faccessat DENIED/secret");
      attack_report (open (denied, O_PATH | O_CLOEXEC), "open DENIED with O_PATH");
      {
        char value[256];

        attack_report (getxattr (secret, "user.sandlock-secret", value, sizeof value),
                       "getxattr DENIED/secret");
        attack_report (getxattr (secret, "user.sandlock-secret", NULL, 0),
                       "getxattr DENIED/secret, size only");
        attack_report (listxattr (secret, value, sizeof value), "listxattr DENIED/secret");
        attack_report (llistxattr (denied, value, sizeof value), "llistxattr DENIED");
        attack_report (lgetxattr (path, "security.selinux", value, sizeof value),
                       "lgetxattr DENIED/link");
        /* Linux 6.13 and 6.17: the guard answers ENOSYS, as older kernels
         * do, rather than reading struct arguments. */
        attack_report (syscall (464 /* getxattrat */, AT_FDCWD, secret, 0,
                                "user.sandlock-secret", NULL, 0), "getxattrat DENIED/secret");
        attack_report (syscall (465 /* listxattrat */, AT_FDCWD, secret, 0, value, sizeof value),
                       "listxattrat DENIED/secret");
        attack_report (syscall (468 /* file_getattr */, AT_FDCWD, secret, value, 24, 0),
                       "file_getattr DENIED/secret");
        attack_report (listxattr (writable, value, sizeof value), "control: listxattr WORK");
        attack_report (getxattr (writable, "user.sandlock-none", value, sizeof value),
                       "control: getxattr WORK user.sandlock-none");
      }
      /* The controls: what is not denied answers as usual. */
      attack_report (stat (writable, &st), "control: stat WORK");
      snprintf (path, sizeof path, "%s/to-denied", writable);
      attack_report (symlink (denied, path), "control: symlink WORK/to-denied");
      attack_report (readlink (path, link_target, sizeof link_target), "control: readlink WORK/to-denied");
      attack_report (lstat (path, &st), "control: lstat WORK/to-denied");
      attack_report (stat (path, &st), "stat WORK/to-denied (followed)");
      return 0;
    }

  attack_report (read_secret (secret), "read DENIED/secret");

  snprintf (path, sizeof path, "%s/to-secret", writable);
  attack_report (symlink (secret, path), "symlink WORK/to-secret");
  attack_report (read_secret (path), "read WORK/to-secret");
  snprintf (path, sizeof path, "%s/to-denied", writable);
  attack_report (symlink (denied, path), "symlink WORK/to-denied");
  snprintf (path, sizeof path, "%s/to-denied/secret", writable);
  attack_report (read_secret (path), "read WORK/to-denied/secret");

  snprintf (path, sizeof path, "%s/sub", writable);
  attack_report (mkdir (path, 0700), "mkdir WORK/sub");
  snprintf (path, sizeof path, "%s/../denied/secret", writable);
  attack_report (read_secret (path), "read WORK/../denied/secret");
  snprintf (path, sizeof path, "%s/../denied/secret", denied);
  attack_report (read_secret (path), "read DENIED/../denied/secret");

  fd = open (denied, O_PATH | O_DIRECTORY | O_CLOEXEC);
  attack_report (fd, "open DENIED with O_PATH");
  if (fd >= 0)
    {
      int secret_fd = openat (fd, "secret", O_RDONLY | O_CLOEXEC);

      attack_report (secret_fd, "openat O_PATH-of-DENIED secret");
      close (fd);
    }

  dir = opendir (denied);
  attack_report (dir != NULL ? 0 : -1, "list DENIED");
  if (dir != NULL)
    closedir (dir);

  snprintf (path, sizeof path, "%s/prog", denied);
  attack_report (execl (path, path, (char *) NULL), "execute DENIED/prog");

  snprintf (path, sizeof path, "%s/new", denied);
  attack_report (open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600), "create DENIED/new");
  snprintf (path, sizeof path, "%s/newdir", denied);
  attack_report (mkdir (path, 0700), "mkdir DENIED/newdir");
  attack_report (open (secret, O_WRONLY | O_APPEND | O_CLOEXEC), "open DENIED/secret for writing");
  attack_report (truncate (secret, 0), "truncate DENIED/secret");
  attack_report (unlink (secret), "unlink DENIED/secret");
  attack_report (chmod (secret, 0644), "chmod DENIED/secret");
  fd = inotify_init1 (IN_CLOEXEC);
  attack_report (inotify_add_watch (fd, denied, IN_ALL_EVENTS), "inotify_add_watch DENIED");
  close (fd);

  snprintf (target, sizeof target, "%s/hardlink", writable);
  attack_report (link (secret, target), "link DENIED/secret WORK/hardlink");
  snprintf (target, sizeof target, "%s/sub/moved", writable);
  attack_report (rename (denied, target), "rename DENIED WORK/sub/moved");
  snprintf (target, sizeof target, "%s/stolen", writable);
  attack_report (rename (secret, target), "rename DENIED/secret WORK/stolen");
  snprintf (target, sizeof target, "%s/sub", writable);
  attack_report (renameat2 (AT_FDCWD, denied, AT_FDCWD, target, RENAME_EXCHANGE),
                 "renameat2 RENAME_EXCHANGE DENIED WORK/sub");
  snprintf (path, sizeof path, "%s/sub", writable);
  snprintf (target, sizeof target, "%s/planted", denied);
  attack_report (rename (path, target), "rename WORK/sub DENIED/planted");

  /* A racing rename: another thread flips a name between a harmless file
   * and the secret while this one opens it. */
  snprintf (decoy, sizeof decoy, "%s/decoy", writable);
  attack_report (close (open (decoy, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)), "create WORK/decoy");
  snprintf (swapped, sizeof swapped, "%s/swapped", writable);
  pthread_create (&thread, NULL, flipper, NULL);
  found = -1;
  for (int i = 0; i < 3000 && found != 0; i++)
    found = read_secret (swapped);
  atomic_store (&stop, 1);
  pthread_join (thread, NULL);
  errno = EACCES;
  attack_report (found, "read WORK/swapped while it flips to DENIED/secret");
  return 0;
}
