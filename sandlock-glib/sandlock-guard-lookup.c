/* sandlock-guard-lookup.c: fs-denied paths look absent to lookups
 *
 * Landlock keeps a denied path from being read, written, listed or
 * executed (sandlock-denied.c), but it governs no lookup: stat(),
 * access() and readlink() would answer, and open() would fail with
 * EACCES where a missing file gives ENOENT. With fs-denied set, this
 * guard traps them:
 *
 * - stat, lstat, newfstatat, statx, access, faccessat, faccessat2,
 *   readlink, readlinkat: the supervisor resolves the path itself (read
 *   once, from its own copy of the command's working directory or
 *   descriptor, no magic link but the command's own /proc/self/fd/N) and
 *   answers ENOENT for a denied inode; for any other it makes the call on
 *   the inode it resolved and writes the result into the command's buffer.
 * - open, openat, openat2: ENOENT for a denied inode; any other open is
 *   left to the kernel, where Landlock refuses the denied tree whatever
 *   another thread wrote into the path meanwhile (at worst the command
 *   then sees EACCES instead of ENOENT).
 * - getxattr, lgetxattr, listxattr, llistxattr: as stat (Landlock governs
 *   no reading of extended attributes, which hold data: a browser's
 *   user.xdg.origin.url): ENOENT for a denied inode, else the supervisor
 *   reads them from the inode it resolved and writes them into the
 *   command's buffer. The trusted.* namespace, which needs CAP_SYS_ADMIN
 *   the command never holds, is kept from it (ENODATA, left out of lists)
 *   whatever the supervisor's capabilities. The descriptor forms need no
 *   guard: Landlock refuses to open a denied file, and an O_PATH
 *   descriptor of one is refused by fgetxattr() and flistxattr().
 * - getxattrat, listxattrat (Linux 6.13), file_getattr (6.17): ENOSYS, as
 *   older kernels answer, so that callers fall back to the forms above
 *   (or to FS_IOC_GETFLAGS on a descriptor Landlock let them open).
 *
 * Left to the kernel too: a path through a magic link other than the
 * command's own descriptors (the supervisor cannot follow them), and
 * paths in /proc, where the supervisor's /proc/self is not the command's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sandlock-compat-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-resolve-private.h"

static const char * const syscalls[] = {
  "stat", "lstat", "newfstatat", "statx",
  "access", "faccessat", "faccessat2",
  "readlink", "readlinkat",
  "open", "openat", "openat2",
  "getxattr", "lgetxattr", "listxattr", "llistxattr",
  "getxattrat", "listxattrat", "file_getattr",
  NULL,
};

typedef enum {
  KIND_STAT,
  KIND_STATX,
  KIND_ACCESS,
  KIND_READLINK,
  KIND_OPEN,
  KIND_GETXATTR,
  KIND_LISTXATTR,
  KIND_NEWER,          /* answered ENOSYS */
} Kind;

typedef struct {
  Kind     kind;
  int      dirfd;
  guint64  path;
  guint64  buffer;     /* stat, statx, readlink: where the result goes */
  guint64  size;       /* readlink, getxattr, listxattr */
  guint64  name;       /* getxattr: the attribute's name */
  guint32  flags;      /* AT_* (stat, statx, access) */
  guint32  mask;       /* statx */
  guint32  mode;       /* access */
  gboolean nofollow;
  gboolean empty_ok;   /* AT_EMPTY_PATH */
} Lookup;

static gboolean
parse (const struct seccomp_notif *request,
       Lookup                     *lookup)
{
  const __u64 *a = request->data.args;
  int nr = request->data.nr;

  memset (lookup, 0, sizeof *lookup);
  lookup->dirfd = AT_FDCWD;
#ifdef __NR_stat
  if (nr == __NR_stat || nr == __NR_lstat)
    {
      lookup->kind = KIND_STAT;
      lookup->path = a[0];
      lookup->buffer = a[1];
      lookup->nofollow = nr == __NR_lstat;
      return TRUE;
    }
#endif
  if (nr == __NR_newfstatat)
    {
      lookup->kind = KIND_STAT;
      lookup->dirfd = (int) a[0];
      lookup->path = a[1];
      lookup->buffer = a[2];
      lookup->flags = (guint32) a[3];
    }
  else if (nr == __NR_statx)
    {
      lookup->kind = KIND_STATX;
      lookup->dirfd = (int) a[0];
      lookup->path = a[1];
      lookup->flags = (guint32) a[2];
      lookup->mask = (guint32) a[3];
      lookup->buffer = a[4];
    }
#ifdef __NR_access
  else if (nr == __NR_access)
    {
      lookup->kind = KIND_ACCESS;
      lookup->path = a[0];
      lookup->mode = (guint32) a[1];
      return TRUE;
    }
#endif
  else if (nr == __NR_faccessat || nr == __NR_faccessat2)
    {
      lookup->kind = KIND_ACCESS;
      lookup->dirfd = (int) a[0];
      lookup->path = a[1];
      lookup->mode = (guint32) a[2];
      lookup->flags = nr == __NR_faccessat2 ? (guint32) a[3] : 0;
    }
#ifdef __NR_readlink
  else if (nr == __NR_readlink)
    {
      lookup->kind = KIND_READLINK;
      lookup->path = a[0];
      lookup->buffer = a[1];
      lookup->size = a[2];
      lookup->nofollow = TRUE;
      return TRUE;
    }
#endif
  else if (nr == __NR_readlinkat)
    {
      lookup->kind = KIND_READLINK;
      lookup->dirfd = (int) a[0];
      lookup->path = a[1];
      lookup->buffer = a[2];
      lookup->size = a[3];
      lookup->nofollow = TRUE;
      lookup->empty_ok = TRUE;
      return TRUE;
    }
#ifdef __NR_open
  else if (nr == __NR_open)
    {
      lookup->kind = KIND_OPEN;
      lookup->path = a[0];
      lookup->nofollow = (a[1] & O_NOFOLLOW) != 0;
      return TRUE;
    }
#endif
  else if (nr == __NR_openat)
    {
      lookup->kind = KIND_OPEN;
      lookup->dirfd = (int) a[0];
      lookup->path = a[1];
      lookup->nofollow = (a[2] & O_NOFOLLOW) != 0;
      return TRUE;
    }
  else if (nr == __NR_getxattr || nr == __NR_lgetxattr)
    {
      lookup->kind = KIND_GETXATTR;
      lookup->path = a[0];
      lookup->name = a[1];
      lookup->buffer = a[2];
      lookup->size = a[3];
      lookup->nofollow = nr == __NR_lgetxattr;
      return TRUE;
    }
  else if (nr == __NR_listxattr || nr == __NR_llistxattr)
    {
      lookup->kind = KIND_LISTXATTR;
      lookup->path = a[0];
      lookup->buffer = a[1];
      lookup->size = a[2];
      lookup->nofollow = nr == __NR_llistxattr;
      return TRUE;
    }
  else if (nr == __NR_getxattrat || nr == __NR_listxattrat || nr == __NR_file_getattr)
    {
      lookup->kind = KIND_NEWER;
      return TRUE;
    }
  else if (nr == __NR_openat2)
    {
      /* The flags are behind a pointer: follow, as the kernel does
       * without O_NOFOLLOW; a denied path is denied either way. */
      lookup->kind = KIND_OPEN;
      lookup->dirfd = (int) a[0];
      lookup->path = a[1];
      return TRUE;
    }
  else
    return FALSE;

  lookup->nofollow = (lookup->flags & AT_SYMLINK_NOFOLLOW) != 0;
  lookup->empty_ok = (lookup->flags & AT_EMPTY_PATH) != 0;
  return TRUE;
}

/* Whether @path names something in /proc, lexically: left to the kernel. */
static gboolean
in_proc (const char *path)
{
  return g_str_equal (path, "/proc") || g_str_has_prefix (path, "/proc/");
}

/* Whether the attribute @name is in the trusted.* namespace, which only
 * CAP_SYS_ADMIN reads (the command holds no capability). */
static gboolean
is_trusted_name (const char *name)
{
  return g_str_has_prefix (name, "trusted.");
}

/* getxattr() of the inode behind @link for the command. */
static SandlockAction *
perform_getxattr (const SandlockGuardCall *call,
                  const Lookup            *lookup,
                  const char              *link)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  gsize size = (gsize) MIN (lookup->size, (guint64) XATTR_SIZE_MAX);
  ssize_t n;

  name = sandlock_notif_read_string (call->listener_fd, call->request, lookup->name,
                                     XATTR_NAME_MAX + 1);
  if (name == NULL)
    return sandlock_action_new_errno (errno == ENAMETOOLONG ? ERANGE : errno == ESRCH ? ESRCH : EFAULT);
  if (name[0] == '\0')
    return sandlock_action_new_errno (ERANGE);
  if (is_trusted_name (name))
    return sandlock_action_new_errno (ENODATA);
  if (size > 0)
    value = g_malloc (size);
  /* The magic link leads to the inode itself, a symbolic link included. */
  n = getxattr (link, name, value, size);
  if (n < 0)
    return sandlock_action_new_errno (errno);
  if (size > 0 && n > 0 &&
      !sandlock_notif_write_memory (call->listener_fd, call->request, lookup->buffer,
                                    value, (gsize) n))
    return sandlock_action_new_errno (errno == ESRCH ? ESRCH : EFAULT);
  return sandlock_action_new_return_value (n);
}

/* listxattr() of the inode behind @link for the command, without the
 * trusted.* names. */
static SandlockAction *
perform_listxattr (const SandlockGuardCall *call,
                   const Lookup            *lookup,
                   const char              *link)
{
  g_autofree char *list = g_malloc (XATTR_LIST_MAX);
  g_autoptr(GByteArray) kept = g_byte_array_new ();
  ssize_t n = listxattr (link, list, XATTR_LIST_MAX);

  if (n < 0)
    return sandlock_action_new_errno (errno);
  for (ssize_t at = 0; at < n; )
    {
      gsize length = strnlen (list + at, (gsize) (n - at));

      if (!is_trusted_name (list + at))
        g_byte_array_append (kept, (const guint8 *) list + at,
                             (guint) MIN (length + 1, (gsize) (n - at)));
      at += (ssize_t) length + 1;
    }
  if (lookup->size == 0)
    return sandlock_action_new_return_value (kept->len);
  if (kept->len > MIN (lookup->size, (guint64) XATTR_LIST_MAX))
    return sandlock_action_new_errno (ERANGE);
  if (kept->len > 0 &&
      !sandlock_notif_write_memory (call->listener_fd, call->request, lookup->buffer,
                                    kept->data, kept->len))
    return sandlock_action_new_errno (errno == ESRCH ? ESRCH : EFAULT);
  return sandlock_action_new_return_value (kept->len);
}

static SandlockAction *
perform_lookup (const SandlockGuardCall *call,
                const Lookup            *lookup,
                int                      target)
{
  const struct seccomp_notif *request = call->request;
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", target);

  switch (lookup->kind)
    {
    case KIND_STAT:
      {
        struct stat st;

        if (fstatat (target, "", &st, AT_EMPTY_PATH) != 0)
          return sandlock_action_new_errno (errno);
        if (!sandlock_notif_write_memory (call->listener_fd, request, lookup->buffer,
                                          &st, sizeof st))
          return sandlock_action_new_errno (errno == ESRCH ? ESRCH : EFAULT);
        return sandlock_action_new_return_value (0);
      }
    case KIND_STATX:
      {
        struct statx stx;

        memset (&stx, 0, sizeof stx);
        if (statx (target, "", AT_EMPTY_PATH | (lookup->flags & AT_STATX_SYNC_TYPE),
                   lookup->mask, &stx) != 0)
          return sandlock_action_new_errno (errno);
        if (!sandlock_notif_write_memory (call->listener_fd, request, lookup->buffer,
                                          &stx, sizeof stx))
          return sandlock_action_new_errno (errno == ESRCH ? ESRCH : EFAULT);
        return sandlock_action_new_return_value (0);
      }
    case KIND_ACCESS:
      {
        long rc = sandlock_syscall (__NR_faccessat2, AT_FDCWD, (long) link, lookup->mode,
                                    lookup->flags & (AT_EACCESS | AT_SYMLINK_NOFOLLOW));

        return rc == 0 ? sandlock_action_new_return_value (0) : sandlock_action_new_errno (errno);
      }
    case KIND_READLINK:
      {
        char buffer[PATH_MAX];
        struct stat st;
        ssize_t n;

        if ((gint64) lookup->size <= 0)
          return sandlock_action_new_errno (EINVAL);
        if (fstat (target, &st) != 0)
          return sandlock_action_new_errno (errno);
        if (!S_ISLNK (st.st_mode))
          return sandlock_action_new_errno (EINVAL);
        n = readlinkat (target, "", buffer, MIN (sizeof buffer, (gsize) lookup->size));
        if (n < 0)
          return sandlock_action_new_errno (errno);
        if (!sandlock_notif_write_memory (call->listener_fd, request, lookup->buffer,
                                          buffer, (gsize) n))
          return sandlock_action_new_errno (errno == ESRCH ? ESRCH : EFAULT);
        return sandlock_action_new_return_value (n);
      }
    case KIND_GETXATTR:
      return perform_getxattr (call, lookup, link);
    case KIND_LISTXATTR:
      return perform_listxattr (call, lookup, link);
    case KIND_OPEN:
    case KIND_NEWER:
    default:
      return NULL;
    }
}

static SandlockAction *
decide (const SandlockGuardCall *call,
        gboolean                 perform)
{
  g_autofree char *path = NULL;
  sandlock_autofd int target = -1;
  Lookup lookup;

  if (!parse (call->request, &lookup))
    return NULL;
  if (lookup.kind == KIND_NEWER)
    return sandlock_action_new_errno (ENOSYS);

  path = sandlock_notif_read_string (call->listener_fd, call->request, lookup.path, PATH_MAX);
  if (path == NULL)
    {
      if (lookup.kind == KIND_OPEN)
        return NULL;   /* the kernel answers it, under Landlock */
      return sandlock_action_new_errno (errno == ESRCH ? ESRCH : errno);
    }
  if (in_proc (path))
    return NULL;

  if (path[0] == '\0')
    {
      if (!lookup.empty_ok)
        return lookup.kind == KIND_OPEN ? NULL : sandlock_action_new_errno (ENOENT);
      target = sandlock_resolve_base (call->listener_fd, call->request, lookup.dirfd);
    }
  else
    target = sandlock_resolve_path (call->listener_fd, call->request, lookup.dirfd, path,
                                    lookup.nofollow);
  if (target < 0)
    {
      /* A magic link (ELOOP) the supervisor cannot follow, or a path that
       * does not resolve: the kernel's answer, under Landlock. */
      if (lookup.kind == KIND_OPEN || errno == ELOOP || errno == EXDEV)
        return NULL;
      return sandlock_action_new_errno (errno == ESRCH ? ESRCH : errno);
    }

  {
    struct statfs fs;

    /* In /proc by another way (a working directory there): the
     * supervisor's /proc/self is not the command's. */
    if (fstatfs (target, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC)
      return NULL;
  }
  if (sandlock_resolve_denied (target, call->policy->denied))
    return sandlock_action_new_errno (ENOENT);
  if (lookup.kind == KIND_OPEN || !perform)
    return NULL;
  return perform_lookup (call, &lookup, target);
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return sandlock_policy_confines_fs (policy) && policy->denied->len > 0;
}

const SandlockGuard sandlock_guard_lookup = {
  .name = "lookup",
  .syscalls = syscalls,
  .applies = applies,
  .decide = decide,
};
