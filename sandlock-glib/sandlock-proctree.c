/* sandlock-proctree.c: the processes of a sandbox, from /proc
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandlock-proctree-private.h"

/* Appends the pids listed in @path (a children file) to @pids. */
static void
read_children (const char *path,
               GArray     *pids)
{
  char buffer[4096];
  g_autoptr(GString) text = g_string_new (NULL);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return;
  while ((n = read (fd, buffer, sizeof buffer)) > 0 ||
         (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buffer, n);
  close (fd);

  for (const char *p = text->str; *p != '\0';)
    {
      char *end;
      long pid = strtol (p, &end, 10);

      if (end == p)
        break;
      if (pid > 0)
        {
          pid_t value = (pid_t) pid;

          g_array_append_val (pids, value);
        }
      p = end;
    }
}

GArray *
sandlock_proctree_descendants (pid_t root,
                               guint ceiling)
{
  GArray *queue = g_array_new (FALSE, FALSE, sizeof (pid_t));
  guint next = 0;

  g_array_append_val (queue, root);
  while (next < queue->len && queue->len <= ceiling)
    {
      pid_t pid = g_array_index (queue, pid_t, next++);
      char path[64];
      DIR *tasks;
      struct dirent *entry;

      g_snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
      tasks = opendir (path);
      if (tasks == NULL)
        continue;
      while ((entry = readdir (tasks)) != NULL)
        {
          if (entry->d_name[0] == '.')
            continue;
          g_snprintf (path, sizeof path, "/proc/%d/task/%s/children", (int) pid, entry->d_name);
          read_children (path, queue);
        }
      closedir (tasks);
    }
  g_array_remove_index (queue, 0);
  return queue;
}

gssize
sandlock_proctree_read (pid_t       pid,
                        const char *name,
                        char       *text,
                        gsize       size)
{
  char path[64];
  ssize_t n;
  int fd, saved_errno;

  g_snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, name);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  do
    n = read (fd, text, size - 1);
  while (n < 0 && errno == EINTR);
  saved_errno = n < 0 ? errno : EIO;
  close (fd);
  text[MAX (n, 0)] = '\0';
  errno = saved_errno;
  return n;
}

const char *
sandlock_proctree_read_stat (pid_t  pid,
                             char  *text,
                             gsize  size)
{
  const char *close_paren;

  if (sandlock_proctree_read (pid, "stat", text, size) <= 0)
    return NULL;
  /* "PID (COMM) STATE PPID ...": COMM may hold anything but ends at the
   * last parenthesis. */
  close_paren = strrchr (text, ')');
  if (close_paren == NULL || close_paren[1] != ' ' || close_paren[2] == '\0')
    return NULL;
  return close_paren + 2;
}

/* The parent of @pid, or 0. */
static pid_t
parent_of (pid_t pid)
{
  char text[512];
  const char *fields = sandlock_proctree_read_stat (pid, text, sizeof text);

  /* STATE is one character. */
  if (fields == NULL || fields[1] == '\0')
    return 0;
  return (pid_t) strtol (fields + 2, NULL, 10);
}

gboolean
sandlock_proctree_descends (pid_t pid,
                            pid_t root)
{
  /* A chain is short; a bound keeps a loop of stale reads finite. */
  for (guint depth = 0; depth < 4096 && pid > 1; depth++)
    {
      pid = parent_of (pid);
      if (pid == root)
        return TRUE;
    }
  return FALSE;
}
