/* sandlock-guard-proc.c: a private /proc, showing the sandbox's own
 * processes only
 *
 * When #SandlockSandbox:private-proc is on and a granted path reaches
 * /proc, the policy compiler grants /proc entry by entry without the
 * processes' directories (sandlock-denied.c): Landlock refuses every
 * /proc/<pid>, whoever it belongs to, and every listing of /proc. This
 * guard gives back what belongs to the sandbox:
 *
 * - open, openat, openat2 of a path that names /proc/self,
 *   /proc/thread-self or /proc/<pid> (absolute, or relative to a
 *   directory in /proc, looked up lexically): ENOENT when the process is
 *   not one of the sandbox (a descendant of its helper), else the
 *   supervisor opens it itself, from its own descriptor of /proc/<pid>,
 *   following no magic link, and hands the descriptor over. A path
 *   through a magic link (/proc/self/fd/N, /proc/self/exe) is left to the
 *   kernel, where Landlock checks the file it leads to. Opening /proc
 *   itself is performed too, so that it can be listed.
 * - getdents64, getdents: always performed on the supervisor's copy of
 *   the descriptor (the same open file), and for /proc itself the
 *   entries of other processes are left out. Performing every listing
 *   keeps another thread from swapping a /proc descriptor in after the
 *   check.
 *
 * Every other path is left to the kernel: Landlock refuses what this
 * guard did not open, so a path changed by another thread after the
 * check reaches nothing more.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "sandlock-compat-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-proctree-private.h"
#include "sandlock-resolve-private.h"

static const char * const syscalls[] = {
  "open", "openat", "openat2", "getdents64", "getdents", NULL,
};

/* Largest listing buffer read at once. */
#define MAX_LISTING (1 << 20)

/* Whether @pid (a process or a thread) descends from the sandbox's
 * helper: a process of the sandbox (the helper itself is not). */
static gboolean
in_sandbox (pid_t pid,
            pid_t helper)
{
  return pid != helper && sandlock_proctree_descends (pid, helper);
}

/* Whether @pid descends from (or is) process @ancestor. */
static gboolean
descends_from (pid_t pid,
               pid_t ancestor)
{
  return pid == ancestor || sandlock_proctree_descends (pid, ancestor);
}

/* Files of /proc/<pid> the kernel guards with a ptrace "attach" check,
 * which Yama (scope 1) passes for an ancestor only: the supervisor, an
 * ancestor of every process of the sandbox, must not open them for a
 * process that could not itself. */
static gboolean
needs_attach (const char *file)
{
  static const char * const files[] = { "mem", "syscall", "stack", "personality", NULL };

  return file != NULL && g_strv_contains (files, file);
}

static pid_t
tgid_of (pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) tid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  line = strstr (contents, "\nTgid:");
  if (line == NULL)
    return -1;
  return (pid_t) g_ascii_strtoll (line + strlen ("\nTgid:"), NULL, 10);
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Whether a granted writable path reaches /proc: writes to it are then
 * the command's to make. */
static gboolean
proc_writable (const SandlockPolicy *policy)
{
  for (guint i = 0; i < policy->n_writable; i++)
    {
      const char *name = policy->writable_names[i];

      if (g_str_equal (name, "/") || g_str_equal (name, "/proc") ||
          g_str_has_prefix (name, "/proc/"))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  int      dirfd;
  guint64  path;
  guint64  flags;
  guint64  mode;
  gboolean resolve_flags;   /* openat2 with RESOLVE_* set */
} OpenArgs;

static gboolean
read_open_args (const SandlockGuardCall *call,
                OpenArgs                *args)
{
  const struct seccomp_notif *request = call->request;
  int nr = request->data.nr;

  memset (args, 0, sizeof *args);
  if (nr == __NR_openat)
    {
      args->dirfd = (int) request->data.args[0];
      args->path = request->data.args[1];
      args->flags = (guint32) request->data.args[2];
      args->mode = (guint32) request->data.args[3];
      return TRUE;
    }
#ifdef __NR_open
  if (nr == __NR_open)
    {
      args->dirfd = AT_FDCWD;
      args->path = request->data.args[0];
      args->flags = (guint32) request->data.args[1];
      args->mode = (guint32) request->data.args[2];
      return TRUE;
    }
#endif
  if (nr == __NR_openat2)
    {
      struct open_how how = { 0 };
      gsize size = MIN ((gsize) request->data.args[3], sizeof how);

      if (request->data.args[3] < 24 ||   /* OPEN_HOW_SIZE_VER0 */
          !sandlock_notif_read_memory (call->listener_fd, request, request->data.args[2],
                                       &how, size))
        return FALSE;
      args->dirfd = (int) request->data.args[0];
      args->path = request->data.args[1];
      args->flags = how.flags;
      args->mode = how.mode;
      args->resolve_flags = how.resolve != 0;
      return TRUE;
    }
  return FALSE;
}

/* The path the command names, made absolute and lexically normal, as
 * its components; NULL when it cannot be told. */
static GPtrArray *
components_of (const SandlockGuardCall *call,
               const OpenArgs          *args)
{
  g_autofree char *path = sandlock_notif_read_string (call->listener_fd, call->request,
                                                      args->path, PATH_MAX);
  g_autofree char *absolute = NULL;
  g_auto(GStrv) parts = NULL;
  GPtrArray *components;

  if (path == NULL || path[0] == '\0')
    return NULL;
  if (path[0] == '/')
    absolute = g_steal_pointer (&path);
  else
    {
      sandlock_autofd int base = sandlock_resolve_base (call->listener_fd, call->request,
                                                         args->dirfd);
      g_autofree char *link = NULL;
      g_autofree char *name = NULL;

      if (base < 0)
        return NULL;
      link = g_strdup_printf ("/proc/self/fd/%d", base);
      name = g_file_read_link (link, NULL);
      if (name == NULL || name[0] != '/')
        return NULL;
      absolute = g_strconcat (name, "/", path, NULL);
    }

  components = g_ptr_array_new_with_free_func (g_free);
  parts = g_strsplit (absolute, "/", -1);
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          if (components->len > 0)
            g_ptr_array_remove_index (components, components->len - 1);
          continue;
        }
      g_ptr_array_add (components, g_strdup (parts[i]));
    }
  return components;
}

static SandlockAction *
inject (int      fd,
        guint64  flags)
{
  SandlockAction *action = sandlock_action_new_inject_fd (fd, (flags & O_CLOEXEC)
                                                              ? SANDLOCK_INJECT_FD_CLOEXEC
                                                              : SANDLOCK_INJECT_FD_NONE,
                                                          NULL);

  close (fd);
  return action != NULL ? action : sandlock_action_new_errno (EIO);
}

static SandlockAction *
decide_open (const SandlockGuardCall *call,
             gboolean                 perform)
{
  g_autoptr(GPtrArray) components = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  sandlock_autofd int pid_dir = -1;
  struct open_how how = { 0 };
  const char *first;
  OpenArgs args;
  gboolean writes;
  pid_t pid;
  int fd;

  if (!read_open_args (call, &args))
    return NULL;   /* the kernel answers it (EFAULT...): Landlock stays */
  components = components_of (call, &args);
  if (components == NULL || components->len == 0 ||
      !g_str_equal (g_ptr_array_index (components, 0), "proc"))
    return NULL;   /* not in /proc: Landlock decides */

  writes = (args.flags & O_ACCMODE) != O_RDONLY ||
           (args.flags & (O_CREAT | O_TRUNC)) != 0 ||
           (args.flags & O_TMPFILE) == O_TMPFILE;
  if ((args.flags & O_PATH) != 0)
    writes = FALSE;

  if (components->len == 1)
    {
      /* /proc itself, to be listed through this guard. */
      if (!perform)
        return NULL;
      if (args.resolve_flags || writes)
        return sandlock_action_new_errno (EACCES);
      fd = open ("/proc", (int) (args.flags | O_CLOEXEC) & ~O_NOCTTY);
      if (fd < 0)
        return sandlock_action_new_errno (errno);
      return inject (sandlock_fd_above_stdio (fd), args.flags);
    }

  first = g_ptr_array_index (components, 1);
  if (g_str_equal (first, "net") || g_str_equal (first, "mounts"))
    {
      /* Symbolic links to self/net and self/mounts. */
      g_ptr_array_insert (components, 1, g_strdup ("self"));
      first = g_ptr_array_index (components, 1);
    }
  if (g_str_equal (first, "self") || g_str_equal (first, "thread-self"))
    {
      pid = tgid_of ((pid_t) call->request->pid);
      if (pid <= 0)
        return sandlock_action_new_errno (ESRCH);
      if (g_str_equal (first, "thread-self"))
        g_string_append_printf (rest, "task/%d", (int) call->request->pid);
    }
  else if (all_digits (first))
    pid = (pid_t) g_ascii_strtoll (first, NULL, 10);
  else
    return NULL;   /* a system-wide file: Landlock decides */

  if (!in_sandbox (pid, call->helper_pid))
    return sandlock_action_new_errno (ENOENT);
  if (!perform)
    return NULL;
  if (args.resolve_flags || (writes && !proc_writable (call->policy)))
    return sandlock_action_new_errno (EACCES);

  {
    g_autofree char *dir = g_strdup_printf ("/proc/%d", (int) pid);

    pid_dir = sandlock_fd_above_stdio (open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  /* The directory now holds that very process: check again, against a
   * pid reused meanwhile. */
  if (pid_dir < 0 || !in_sandbox (pid, call->helper_pid))
    return sandlock_action_new_errno (ENOENT);

  /* /proc/<pid>/mem and the like of another process of the sandbox:
   * only of a descendant, as the kernel would have it. */
  {
    const char *file = components->len > 2 ? g_ptr_array_index (components, 2) : NULL;
    pid_t caller = tgid_of ((pid_t) call->request->pid);

    if (rest->len > 0)
      file = NULL;   /* /proc/thread-self: the caller's own thread */
    if (needs_attach (file) && pid != caller && !descends_from (pid, caller))
      return sandlock_action_new_errno (EACCES);
  }

  for (guint i = 2; i < components->len; i++)
    {
      if (rest->len > 0)
        g_string_append_c (rest, '/');
      g_string_append (rest, g_ptr_array_index (components, i));
    }
  if (rest->len == 0)
    g_string_append_c (rest, '.');

  how.flags = (args.flags | O_CLOEXEC) & ~(guint64) O_NOCTTY;
  how.mode = ((args.flags & O_CREAT) || (args.flags & O_TMPFILE) == O_TMPFILE) ? args.mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  fd = (int) sandlock_syscall (__NR_openat2, pid_dir, (long) rest->str, (long) &how, sizeof how);
  if (fd < 0 && (errno == ELOOP || errno == EXDEV))
    return NULL;   /* through a magic link: Landlock checks where it leads */
  if (fd < 0)
    return sandlock_action_new_errno (errno);
  return inject (sandlock_fd_above_stdio (fd), args.flags);
}

/* Leaves out of the @length bytes of directory records in @buffer those
 * of other processes; the new length. */
static gsize
filter_processes (char       *buffer,
                  gsize       length,
                  gsize       name_offset,
                  pid_t       helper,
                  GHashTable *verdicts)
{
  gsize in = 0, out = 0;

  while (in + name_offset < length)
    {
      unsigned short reclen;
      const char *name = buffer + in + name_offset;
      gboolean keep = TRUE;

      memcpy (&reclen, buffer + in + 16, sizeof reclen);
      if (reclen == 0 || in + reclen > length)
        break;
      if (all_digits (name))
        {
          pid_t pid = (pid_t) g_ascii_strtoll (name, NULL, 10);
          gpointer cached;

          if (g_hash_table_lookup_extended (verdicts, GINT_TO_POINTER (pid), NULL, &cached))
            keep = GPOINTER_TO_INT (cached);
          else
            {
              keep = in_sandbox (pid, helper);
              g_hash_table_insert (verdicts, GINT_TO_POINTER (pid), GINT_TO_POINTER (keep));
            }
        }
      if (keep)
        {
          memmove (buffer + out, buffer + in, reclen);
          out += reclen;
        }
      in += reclen;
    }
  return out;
}

static SandlockAction *
decide_listing (const SandlockGuardCall *call,
                gboolean                 perform)
{
  const struct seccomp_notif *request = call->request;
  g_autoptr(GHashTable) verdicts = NULL;
  g_autofree char *buffer = NULL;
  sandlock_autofd int fd = -1;
  gsize count = (gsize) MIN ((guint64) (guint32) request->data.args[2], MAX_LISTING);
  gsize name_offset = request->data.nr == __NR_getdents64 ? 19 : 18;
  gboolean proc_root;
  struct statfs fs;
  struct stat st;

  if (!perform)
    return NULL;

  fd = sandlock_notif_take_fd (call->listener_fd, request, (int) request->data.args[0]);
  if (fd < 0)
    return sandlock_action_new_errno (errno == ESRCH ? EBADF : errno);
  proc_root = fstatfs (fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC &&
              fstat (fd, &st) == 0 && st.st_ino == 1;

  buffer = g_malloc0 (MAX (count, 1));
  verdicts = g_hash_table_new (NULL, NULL);
  for (;;)
    {
      /* syscall(), not sandlock_syscall(): valgrind knows what getdents
       * writes, and none of this runs in the child. */
      long n = syscall (request->data.nr, fd, buffer, count);
      gsize kept;

      if (n < 0)
        return sandlock_action_new_errno (errno);
      kept = (gsize) n;
      if (proc_root && n > 0)
        kept = filter_processes (buffer, (gsize) n, name_offset, call->helper_pid, verdicts);
      if (n > 0 && kept == 0)
        continue;   /* only other processes in this batch: read on */
      if (kept > 0 &&
          !sandlock_notif_write_memory (call->listener_fd, request, request->data.args[1],
                                        buffer, kept))
        return sandlock_action_new_errno (errno == ESRCH ? ESRCH : EFAULT);
      return sandlock_action_new_return_value ((gint64) kept);
    }
}

static SandlockAction *
decide (const SandlockGuardCall *call,
        gboolean                 perform)
{
  int nr = call->request->data.nr;

  if (nr == __NR_getdents64)
    return decide_listing (call, perform);
#ifdef __NR_getdents
  if (nr == __NR_getdents)
    return decide_listing (call, perform);
#endif
  return decide_open (call, perform);
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return sandlock_policy_confines_fs (policy) && policy->private_proc;
}

const SandlockGuard sandlock_guard_proc = {
  .name = "proc",
  .syscalls = syscalls,
  .applies = applies,
  .decide = decide,
};
