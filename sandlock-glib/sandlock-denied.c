/* sandlock-denied.c: fs-denied, compiled into Landlock rules
 *
 * See sandlock-denied-private.h for the scheme.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandlock-compat-private.h"
#include "sandlock-denied-private.h"
#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-i18n-private.h"

/* Whether @path is @prefix or beneath it (both canonical). */
static gboolean
is_at_or_beneath (const char *path,
                  const char *prefix)
{
  size_t len = strlen (prefix);

  if (strcmp (prefix, "/") == 0)
    return TRUE;
  return strncmp (path, prefix, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* Whether @path is strictly above @below. */
static gboolean
is_strictly_above (const char *path,
                   const char *below)
{
  return strcmp (path, below) != 0 && is_at_or_beneath (below, path);
}

gboolean
sandlock_denied_covers (GPtrArray  *denied,
                        const char *path)
{
  for (guint i = 0; denied != NULL && i < denied->len; i++)
    if (is_at_or_beneath (path, g_ptr_array_index (denied, i)))
      return TRUE;
  return FALSE;
}

/* /proc/<digits> or beneath: a process's directory. */
static gboolean
is_proc_pid_path (const char *path)
{
  const char *p;

  if (!g_str_has_prefix (path, "/proc/"))
    return FALSE;
  p = path + strlen ("/proc/");
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return *p == '\0' || *p == '/';
}

/* Whether @path gets no rule: denied, or a process's directory when
 * @hide_pids. */
static gboolean
hidden (GPtrArray  *denied,
        gboolean    hide_pids,
        const char *path)
{
  return sandlock_denied_covers (denied, path) || (hide_pids && is_proc_pid_path (path));
}

static gboolean
tail_is_plain (const char *tail)
{
  g_auto(GStrv) parts = g_strsplit (tail, "/", -1);

  for (gsize i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
      return FALSE;
  return TRUE;
}

/* realpath() of the longest existing prefix of @path, with the rest. */
static char *
canonical (const char  *path,
           GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GString) tail = g_string_new (NULL);
  char *slash;

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("fs-denied: '%s' is not an absolute path"), path);
      return NULL;
    }

  trimmed = g_strdup (path);
  while (strlen (trimmed) > 1 && g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  for (;;)
    {
      g_autofree char *real = realpath (trimmed, NULL);

      if (real != NULL)
        {
          if (!tail_is_plain (tail->str))
            {
              g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                           _("fs-denied: '%s': '.' or '..' in the part that does not exist"),
                           path);
              return NULL;
            }
          if (tail->len == 0)
            return g_steal_pointer (&real);
          return g_strconcat (strcmp (real, "/") == 0 ? "" : real, tail->str, NULL);
        }
      if (errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("fs-denied: '%s': %s"), path, g_strerror (saved_errno));
          return NULL;
        }
      slash = strrchr (trimmed, '/');
      g_string_prepend (tail, slash);
      if (slash == trimmed)
        slash[1] = '\0';
      else
        *slash = '\0';
    }
}

static void
add_unique (GPtrArray  *paths,
            const char *path)
{
  for (guint i = 0; i < paths->len; i++)
    if (strcmp (g_ptr_array_index (paths, i), path) == 0)
      return;
  g_ptr_array_add (paths, g_strdup (path));
}

/* The mount points of this process's mount namespace. */
static GPtrArray *
mount_points (void)
{
  GPtrArray *points = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/mountinfo", &contents, NULL, NULL))
    return points;
  lines = g_strsplit (contents, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", 6);
      g_autoptr(GString) point = NULL;

      if (g_strv_length (fields) < 5)
        continue;
      /* Octal escapes: \040 for a space, \011, \012, \134. */
      point = g_string_new (NULL);
      for (const char *p = fields[4]; *p != '\0'; p++)
        {
          if (p[0] == '\\' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7' &&
              p[3] >= '0' && p[3] <= '7')
            {
              g_string_append_c (point, (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0')));
              p += 3;
            }
          else
            g_string_append_c (point, *p);
        }
      g_ptr_array_add (points, g_string_free (g_steal_pointer (&point), FALSE));
    }
  return points;
}

/* Adds to @denied the names that mounts give to a denied directory or to
 * an ancestor of one: a mount point whose root is such a directory
 * exposes the denied path beneath it. */
static void
add_mount_exposures (GPtrArray *denied)
{
  g_autoptr(GPtrArray) points = mount_points ();

  for (guint pass = 0; pass < 8; pass++)
    {
      guint before = denied->len;

      for (guint i = 0; i < points->len; i++)
        {
          const char *point = g_ptr_array_index (points, i);
          struct stat mounted;

          if (sandlock_denied_covers (denied, point) || stat (point, &mounted) != 0)
            continue;
          for (guint j = 0; j < denied->len; j++)
            {
              g_autofree char *ancestor = g_strdup (g_ptr_array_index (denied, j));

              /* The denied path and each of its ancestors. */
              for (;;)
                {
                  struct stat st;
                  char *slash;

                  if (stat (ancestor, &st) == 0 && st.st_dev == mounted.st_dev &&
                      st.st_ino == mounted.st_ino && strcmp (ancestor, point) != 0 &&
                      !is_at_or_beneath (ancestor, point))
                    {
                      const char *rest = (const char *) g_ptr_array_index (denied, j) +
                                         (strcmp (ancestor, "/") == 0 ? 0 : strlen (ancestor));
                      g_autofree char *exposed = g_strconcat (strcmp (point, "/") == 0 ? "" : point,
                                                              rest, NULL);

                      add_unique (denied, exposed[0] != '\0' ? exposed : "/");
                    }
                  if (strcmp (ancestor, "/") == 0)
                    break;
                  slash = strrchr (ancestor, '/');
                  if (slash == ancestor)
                    slash[1] = '\0';
                  else
                    *slash = '\0';
                }
            }
        }
      if (denied->len == before)
        break;
    }
}

/* Notes in @names (path -> "dev:ino:nlink") every file beneath directory
 * @fd that has more than one name. */
static void
collect_links (int         fd,
               const char *path,
               GHashTable *names,
               guint       depth)
{
  DIR *dir;
  struct dirent *entry;
  int dup_fd;

  if (depth > 256)
    return;
  dup_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup_fd < 0 || (dir = fdopendir (dup_fd)) == NULL)
    {
      if (dup_fd >= 0)
        close (dup_fd);
      return;
    }
  while ((entry = readdir (dir)) != NULL)
    {
      g_autofree char *child = NULL;
      struct stat st;

      if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      if (fstatat (dirfd (dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      child = g_build_filename (path, entry->d_name, NULL);
      if (S_ISDIR (st.st_mode))
        {
          sandlock_autofd int child_fd = openat (dirfd (dir), entry->d_name,
                                                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

          if (child_fd >= 0)
            collect_links (child_fd, child, names, depth + 1);
        }
      else if (st.st_nlink > 1)
        g_hash_table_replace (names, g_steal_pointer (&child),
                              g_strdup_printf ("%lu:%lu:%lu", (unsigned long) st.st_dev,
                                               (unsigned long) st.st_ino,
                                               (unsigned long) st.st_nlink));
    }
  closedir (dir);
}

/* Fails when a file beneath the denied paths has a name outside them:
 * each file with several names must have all of them denied. */
static gboolean
check_hard_links (GPtrArray  *denied,
                  GError    **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < denied->len; i++)
    {
      const char *path = g_ptr_array_index (denied, i);
      sandlock_autofd int fd = open (path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      struct stat st;

      if (fd < 0 || fstat (fd, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          sandlock_autofd int dir_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

          if (dir_fd >= 0)
            collect_links (dir_fd, path, names, 0);
        }
      else if (st.st_nlink > 1)
        g_hash_table_replace (names, g_strdup (path),
                              g_strdup_printf ("%lu:%lu:%lu", (unsigned long) st.st_dev,
                                               (unsigned long) st.st_ino,
                                               (unsigned long) st.st_nlink));
    }

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (counts, value,
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, value)) + 1));

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *nlink = strrchr (value, ':') + 1;
      guint64 expected = g_ascii_strtoull (nlink, NULL, 10);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, value)) < expected)
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       "fs-denied: '%s' has %" G_GUINT64_FORMAT " hard links, not all of "
                       "them beneath fs-denied: the other names would stay readable",
                       (const char *) key, expected);
          return FALSE;
        }
    }
  return TRUE;
}

GPtrArray *
sandlock_denied_compile (const char * const  *paths,
                         GError             **error)
{
  g_autoptr(GPtrArray) denied = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *path = canonical (paths[i], error);

      if (path == NULL)
        return NULL;
      add_unique (denied, path);
    }
  if (denied->len == 0)
    return g_steal_pointer (&denied);

  add_mount_exposures (denied);
  if (!check_hard_links (denied, error))
    return NULL;
  return g_steal_pointer (&denied);
}

static gboolean
has_denied_beneath (GPtrArray  *denied,
                    gboolean    hide_pids,
                    const char *path)
{
  for (guint i = 0; i < denied->len; i++)
    if (is_strictly_above (path, g_ptr_array_index (denied, i)))
      return TRUE;
  /* The processes' directories are entries of /proc. */
  return hide_pids && is_at_or_beneath ("/proc", path);
}

/* Grants every entry of directory @dir_fd (canonical name @path) but the
 * denied ones, descending into those that lead to one. */
static gboolean
grant_entries (int          ruleset_fd,
               const char  *what,
               int          dir_fd,
               const char  *path,
               guint64      rights,
               guint64      file_rights,
               GPtrArray   *denied,
               gboolean     hide_pids,
               guint        depth,
               GError     **error)
{
  int list_fd = openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct dirent *entry;
  gboolean ok = TRUE;
  DIR *dir;

  if (depth > 256 || list_fd < 0 || (dir = fdopendir (list_fd)) == NULL)
    {
      int saved_errno = depth > 256 ? ELOOP : errno;

      if (list_fd >= 0)
        close (list_fd);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("%s: cannot list '%s' to grant it around fs-denied: %s"),
                   what, path, g_strerror (saved_errno));
      return FALSE;
    }

  while (ok && (entry = readdir (dir)) != NULL)
    {
      g_autofree char *child = NULL;
      sandlock_autofd int fd = -1;
      struct stat st;

      if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      child = g_strconcat (strcmp (path, "/") == 0 ? "" : path, "/", entry->d_name, NULL);
      if (hidden (denied, hide_pids, child))
        continue;
      fd = openat (dirfd (dir), entry->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 || fstat (fd, &st) != 0)
        continue;   /* gone meanwhile: nothing to grant */
      if (S_ISLNK (st.st_mode))
        continue;   /* following it needs no right; its target has its own */
      if (has_denied_beneath (denied, hide_pids, child))
        {
          if (S_ISDIR (st.st_mode))
            ok = grant_entries (ruleset_fd, what, fd, child, rights, file_rights,
                                denied, hide_pids, depth + 1, error);
          continue;   /* anything else: a denied path cannot be beneath it */
        }
      ok = sandlock_landlock_add_path_rule (ruleset_fd, fd, S_ISDIR (st.st_mode) ? rights : rights & file_rights,
                     what, child, error);
    }
  closedir (dir);
  return ok;
}

gboolean
sandlock_denied_add_root (int          ruleset_fd,
                          const char  *what,
                          const char  *root,
                          guint64      rights,
                          guint64      file_rights,
                          GPtrArray   *denied,
                          gboolean     hide_pids,
                          GError     **error)
{
  g_autofree char *real = realpath (root, NULL);
  sandlock_autofd int fd = -1;
  struct stat st;

  fd = open (root, O_PATH | O_CLOEXEC);
  if (real == NULL || fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("%s: '%s': %s"), what, root, g_strerror (saved_errno));
      return FALSE;
    }

  if (hidden (denied, hide_pids, real))
    return TRUE;   /* denied wins: no rule */
  if (S_ISDIR (st.st_mode) && has_denied_beneath (denied, hide_pids, real))
    return grant_entries (ruleset_fd, what, fd, real, rights, file_rights, denied,
                          hide_pids, 0, error);
  return sandlock_landlock_add_path_rule (ruleset_fd, fd, S_ISDIR (st.st_mode) ? rights : rights & file_rights,
                   what, root, error);
}

gboolean
sandlock_denied_reaches_proc (const char * const *paths)
{
  for (gsize i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *real = realpath (paths[i], NULL);

      if (real != NULL && (is_at_or_beneath (real, "/proc") || is_at_or_beneath ("/proc", real)))
        return TRUE;
    }
  return FALSE;
}
