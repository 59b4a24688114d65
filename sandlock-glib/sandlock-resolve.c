/* sandlock-resolve.c: resolving a command's path in the supervisor
 *
 * See sandlock-resolve-private.h.
 *
 * "Beneath": the kernel names the resolved inode (/proc/self/fd/N); for a
 * root whose name prefixes it, the rest of the name is resolved again from
 * the root's descriptor with RESOLVE_BENEATH and no symlinks, and the two
 * inodes compared. The name is only a hint: a rename in between makes the
 * inodes differ, and the call is refused, never misdirected.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandlock-compat-private.h"
#include "sandlock-denied-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-resolve-private.h"

int
sandlock_resolve_base (int                         listener_fd,
                       const struct seccomp_notif *request,
                       int                         dirfd)
{
  if (dirfd == AT_FDCWD)
    return sandlock_notif_open_proc_link (listener_fd, request, "cwd");
  if (dirfd < 0)
    {
      errno = EBADF;
      return -1;
    }
  return sandlock_notif_take_fd (listener_fd, request, dirfd);
}

/* The number N when @path is the command's own /proc/self/fd/N (or
 * /proc/thread-self/fd/N), else -1. glibc 2.36's fchmodat() with
 * AT_SYMLINK_NOFOLLOW (lchmod(), tar -x) opens the file O_PATH and calls
 * chmod() on that magic link: the supervisor cannot follow the command's
 * magic links, but it can take descriptor N itself. */
static int
own_descriptor_link (const char *path)
{
  static const char * const prefixes[] = { "/proc/self/fd/", "/proc/thread-self/fd/" };

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (path, prefixes[i]))
      {
        const char *digits = path + strlen (prefixes[i]);
        guint64 number;

        if (g_ascii_isdigit (digits[0]) &&
            g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT, &number, NULL))
          return (int) number;
      }
  return -1;
}

int
sandlock_resolve_path (int                         listener_fd,
                       const struct seccomp_notif *request,
                       int                         dirfd,
                       const char                 *path,
                       gboolean                    nofollow)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_MAGICLINKS };
  sandlock_autofd int base = -1;
  int own = nofollow ? -1 : own_descriptor_link (path);
  int fd;

  /* The command's descriptor @own, which its magic link names: decided by
   * the caller on its inode, like any other target. */
  if (own >= 0)
    return sandlock_notif_take_fd (listener_fd, request, own);

  if (path[0] != '/')
    {
      base = sandlock_resolve_base (listener_fd, request, dirfd);
      if (base < 0)
        return -1;
    }
  if (nofollow)
    how.flags |= O_NOFOLLOW;
  fd = (int) sandlock_syscall (__NR_openat2, base >= 0 ? base : AT_FDCWD, (long) path,
                               (long) &how, sizeof how);
  return sandlock_fd_above_stdio (fd);
}

/* What is left of @name beneath @root ("" for the root itself), or NULL
 * when @name is not beneath @root by name: /a/bc is not beneath /a/b. */
static const char *
rest_beneath (const char *name,
              const char *root)
{
  gsize root_length = strlen (root);
  const char *rest;

  if (strncmp (name, root, root_length) != 0)
    return NULL;
  rest = name + root_length;
  if (root_length == 1)          /* "/" */
    return name + 1;
  if (*rest == '/')
    return rest + 1;
  if (*rest == '\0')
    return rest;
  return NULL;
}

int
sandlock_resolve_path_beneath (const char   *path,
                               gboolean      nofollow,
                               const int    *root_fds,
                               char * const *root_names,
                               guint         n_roots)
{
  struct open_how how = {
    .flags = O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0),
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
  };

  /* The supervisor's /proc/self is not the command's: the slow way
   * decides those (the command's own /proc/self/fd/N among them). */
  if (path[0] != '/' || g_str_equal (path, "/proc") || g_str_has_prefix (path, "/proc/"))
    {
      errno = ENOENT;
      return -1;
    }
  for (guint i = 0; i < n_roots; i++)
    {
      const char *rest = rest_beneath (path, root_names[i]);
      int fd;

      if (rest == NULL || *rest == '\0')
        continue;
      fd = (int) sandlock_syscall (__NR_openat2, root_fds[i], (long) rest, (long) &how, sizeof how);
      if (fd >= 0)
        return sandlock_fd_above_stdio (fd);
    }
  errno = ENOENT;
  return -1;
}

gboolean
sandlock_resolve_beneath (int           fd,
                          const int    *root_fds,
                          char * const *root_names,
                          guint         n_roots)
{
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
  g_autofree char *name = NULL;
  struct stat target;

  if (n_roots == 0 || fstat (fd, &target) != 0)
    return FALSE;
  name = g_file_read_link (link, NULL);
  if (name == NULL || name[0] != '/')
    return FALSE;   /* deleted, anonymous, or not in our tree: refuse */

  for (guint i = 0; i < n_roots; i++)
    {
      const char *rest = rest_beneath (name, root_names[i]);
      struct stat found;
      sandlock_autofd int found_fd = -1;
      struct open_how how = {
        .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
      };

      if (rest == NULL)
        continue;
      if (*rest == '\0')
        {
          if (fstat (root_fds[i], &found) != 0)
            continue;
        }
      else
        {
          found_fd = (int) sandlock_syscall (__NR_openat2, root_fds[i], (long) rest,
                                             (long) &how, sizeof how);
          if (found_fd < 0 || fstat (found_fd, &found) != 0)
            continue;
        }
      if (found.st_dev == target.st_dev && found.st_ino == target.st_ino)
        return TRUE;
    }
  return FALSE;
}

gboolean
sandlock_resolve_denied (int        fd,
                         GPtrArray *denied)
{
  g_autofree char *link = NULL;
  g_autofree char *name = NULL;

  if (denied == NULL || denied->len == 0)
    return FALSE;
  link = g_strdup_printf ("/proc/self/fd/%d", fd);
  name = g_file_read_link (link, NULL);
  if (name == NULL)
    return TRUE;   /* cannot tell: refuse */
  if (name[0] != '/')
    return FALSE;  /* a pipe, a socket, an anonymous inode: no path */
  return sandlock_denied_covers (denied, name);
}
