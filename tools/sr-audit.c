/* sr-audit.c: the audit log of sandlock-run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sr-audit.h"
#include "sr-errno.h"

struct _SrAuditLog
{
  int      fd;
  gboolean owns_fd;
  gboolean failed;
};

SrAuditLog *
sr_audit_log_new (int      fd,
                  gboolean owns_fd)
{
  SrAuditLog *log = g_new0 (SrAuditLog, 1);

  log->fd = fd;
  log->owns_fd = owns_fd;
  return log;
}

void
sr_audit_log_free (SrAuditLog *log)
{
  if (log == NULL)
    return;
  if (log->owns_fd)
    close (log->fd);
  g_free (log);
}

/* Writes and frees @record. One write() per line where the kernel allows,
 * so lines do not interleave with the child's own stderr. */
void
sr_audit_log_write (SrAuditLog *log,
                    SrJson     *record)
{
  gsize length;
  g_autofree char *line = sr_json_end (record, &length);
  const char *p = line;

  while (length > 0)
    {
      ssize_t n = write (log->fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* Auditing must not stop the command: say it once, go on. */
          if (!log->failed)
            g_printerr ("sandlock-run: writing the audit log failed: %s\n",
                        n < 0 ? g_strerror (errno) : "short write");
          log->failed = TRUE;
          return;
        }
      p += n;
      length -= (gsize) n;
    }
}

/* ---- what the arguments of a syscall mean ---------------------------- */

typedef enum {
  ARG_NONE = 0,
  ARG_PATH,       /* a path, relative to a dirfd argument (or the cwd) */
  ARG_STRING,     /* a string never resolved (a symlink's target) */
  ARG_SOCKADDR,   /* a struct sockaddr and its length */
  ARG_ARGV,       /* a NULL-terminated array of strings */
} ArgKind;

#define NO_DIRFD (-1)

typedef struct {
  ArgKind     kind;
  int         index;
  int         aux;     /* ARG_PATH: the dirfd argument; ARG_SOCKADDR: the length */
  const char *field;
} ArgShape;

typedef struct {
  const char *syscall;
  ArgShape    args[3];
} SyscallShape;

#define PATH(i, dirfd, field) { ARG_PATH, i, dirfd, field }
#define STRING(i, field) { ARG_STRING, i, 0, field }
#define SOCKADDR(i, len) { ARG_SOCKADDR, i, len, NULL }
#define ARGV(i) { ARG_ARGV, i, 0, "argv" }

static const SyscallShape shapes[] = {
  /* files */
  { "open", { PATH (0, NO_DIRFD, "path") } },
  { "creat", { PATH (0, NO_DIRFD, "path") } },
  { "openat", { PATH (1, 0, "path") } },
  { "openat2", { PATH (1, 0, "path") } },
  { "truncate", { PATH (0, NO_DIRFD, "path") } },
  { "unlink", { PATH (0, NO_DIRFD, "path") } },
  { "unlinkat", { PATH (1, 0, "path") } },
  { "rmdir", { PATH (0, NO_DIRFD, "path") } },
  { "mkdir", { PATH (0, NO_DIRFD, "path") } },
  { "mkdirat", { PATH (1, 0, "path") } },
  { "mknod", { PATH (0, NO_DIRFD, "path") } },
  { "mknodat", { PATH (1, 0, "path") } },
  { "rename", { PATH (0, NO_DIRFD, "path"), PATH (1, NO_DIRFD, "new_path") } },
  { "renameat", { PATH (1, 0, "path"), PATH (3, 2, "new_path") } },
  { "renameat2", { PATH (1, 0, "path"), PATH (3, 2, "new_path") } },
  { "link", { PATH (0, NO_DIRFD, "path"), PATH (1, NO_DIRFD, "new_path") } },
  { "linkat", { PATH (1, 0, "path"), PATH (3, 2, "new_path") } },
  { "symlink", { STRING (0, "target"), PATH (1, NO_DIRFD, "path") } },
  { "symlinkat", { STRING (0, "target"), PATH (2, 1, "path") } },
  { "chdir", { PATH (0, NO_DIRFD, "path") } },
  { "chmod", { PATH (0, NO_DIRFD, "path") } },
  { "fchmodat", { PATH (1, 0, "path") } },
  { "chown", { PATH (0, NO_DIRFD, "path") } },
  { "lchown", { PATH (0, NO_DIRFD, "path") } },
  { "fchownat", { PATH (1, 0, "path") } },
  { "access", { PATH (0, NO_DIRFD, "path") } },
  { "faccessat", { PATH (1, 0, "path") } },
  { "faccessat2", { PATH (1, 0, "path") } },
  { "stat", { PATH (0, NO_DIRFD, "path") } },
  { "lstat", { PATH (0, NO_DIRFD, "path") } },
  { "newfstatat", { PATH (1, 0, "path") } },
  { "statx", { PATH (1, 0, "path") } },
  { "readlink", { PATH (0, NO_DIRFD, "path") } },
  { "readlinkat", { PATH (1, 0, "path") } },
  { "utimensat", { PATH (1, 0, "path") } },
  /* programs */
  { "execve", { PATH (0, NO_DIRFD, "path"), ARGV (1) } },
  { "execveat", { PATH (1, 0, "path"), ARGV (2) } },
  /* network */
  { "connect", { SOCKADDR (1, 2) } },
  { "bind", { SOCKADDR (1, 2) } },
  { "sendto", { SOCKADDR (4, 5) } },
};

static const char * const default_syscalls[] = {
  "open", "openat", "openat2", "creat", "truncate",
  "unlink", "unlinkat", "rmdir", "mkdir", "mkdirat",
  "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
  "execve", "execveat",
  "connect", "bind",
  NULL,
};

/* The syscalls --audit traps without a list: what touches files by name,
 * what starts programs, and what reaches the network. */
const char * const *
sr_audit_default_syscalls (void)
{
  return default_syscalls;
}

static const SyscallShape *
find_shape (const char *syscall)
{
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    if (g_str_equal (shapes[i].syscall, syscall))
      return &shapes[i];
  return NULL;
}

/* ---- decoding --------------------------------------------------------- */

/* The directory a relative path starts from, read from /proc. The answer is
 * kept only if the notification is still pending afterwards: then the
 * thread id was not reused meanwhile. */
static char *
read_base_directory (SandlockNotification *notification,
                     int                   dirfd)
{
  GPid tid = sandlock_notification_get_pid (notification);
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;

  if (dirfd == AT_FDCWD)
    link = g_strdup_printf ("/proc/%d/cwd", (int) tid);
  else if (dirfd >= 0)
    link = g_strdup_printf ("/proc/%d/fd/%d", (int) tid, dirfd);
  else
    return NULL;

  target = g_file_read_link (link, NULL);
  if (target == NULL || !g_path_is_absolute (target) ||
      !sandlock_notification_is_pending (notification))
    return NULL;
  return g_steal_pointer (&target);
}

static void
add_error (SrJson     *record,
           const char *field,
           GError     *error)
{
  g_autofree char *key = g_strconcat (field, "_error", NULL);

  sr_json_add_string (record, key, error->message, strlen (error->message));
}

static void
add_path (SrJson               *record,
          SandlockNotification *notification,
          const ArgShape       *shape)
{
  guint64 address = sandlock_notification_get_arg (notification, (guint) shape->index);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (address == 0)
    {
      sr_json_add_null (record, shape->field);
      return;
    }

  path = sandlock_notification_read_string (notification, address, PATH_MAX, &error);
  if (path == NULL)
    {
      add_error (record, shape->field, error);
      return;
    }
  sr_json_add_string (record, shape->field, path, strlen (path));

  /* A relative path means little in a log: say where it starts. */
  if (shape->kind == ARG_PATH && path[0] != '/')
    {
      int dirfd = shape->aux == NO_DIRFD
        ? AT_FDCWD
        : (int) (gint32) sandlock_notification_get_arg (notification, (guint) shape->aux);
      g_autofree char *base = read_base_directory (notification, dirfd);

      if (base != NULL)
        {
          g_autofree char *key = g_strconcat (shape->field, "_abs", NULL);
          g_autofree char *full = path[0] == '\0'
            ? g_steal_pointer (&base) : g_canonicalize_filename (path, base);

          sr_json_add_string (record, key, full, strlen (full));
        }
    }
}

static void
add_sockaddr (SrJson               *record,
              SandlockNotification *notification,
              const ArgShape       *shape)
{
  guint64 address = sandlock_notification_get_arg (notification, (guint) shape->index);
  guint64 length = (guint32) sandlock_notification_get_arg (notification, (guint) shape->aux);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  struct sockaddr_storage storage = { 0 };
  gconstpointer data;
  sa_family_t family;
  gsize size;

  /* sendto() on a connected socket has no address. */
  if (address == 0)
    return;

  if (length < sizeof (sa_family_t))
    {
      sr_json_add_string (record, "address_error", "address too short", strlen ("address too short"));
      return;
    }

  /* The kernel refuses longer addresses anyway (EINVAL). */
  length = MIN (length, sizeof storage);
  bytes = sandlock_notification_read (notification, address, (gsize) length, &error);
  if (bytes == NULL)
    {
      add_error (record, "address", error);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  memcpy (&storage, data, MIN (size, sizeof storage));
  family = storage.ss_family;

  switch (family)
    {
    case AF_INET:
      {
        const struct sockaddr_in *in = (const struct sockaddr_in *) &storage;
        char text[INET_ADDRSTRLEN];

        sr_json_add_string (record, "family", "AF_INET", strlen ("AF_INET"));
        if (size < sizeof *in)
          break;
        inet_ntop (AF_INET, &in->sin_addr, text, sizeof text);
        sr_json_add_string (record, "address", text, strlen (text));
        sr_json_add_int (record, "port", ntohs (in->sin_port));
        return;
      }

    case AF_INET6:
      {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) &storage;
        char text[INET6_ADDRSTRLEN];

        sr_json_add_string (record, "family", "AF_INET6", strlen ("AF_INET6"));
        /* The kernel accepts the old length without sin6_scope_id. */
        if (size < offsetof (struct sockaddr_in6, sin6_scope_id))
          break;
        inet_ntop (AF_INET6, &in6->sin6_addr, text, sizeof text);
        sr_json_add_string (record, "address", text, strlen (text));
        sr_json_add_int (record, "port", ntohs (in6->sin6_port));
        if (size >= sizeof *in6 && in6->sin6_scope_id != 0)
          sr_json_add_int (record, "scope_id", in6->sin6_scope_id);
        return;
      }

    case AF_UNIX:
      {
        const struct sockaddr_un *un = (const struct sockaddr_un *) &storage;
        gsize path_length = size - offsetof (struct sockaddr_un, sun_path);

        sr_json_add_string (record, "family", "AF_UNIX", strlen ("AF_UNIX"));
        if (path_length == 0)
          {
            /* An unnamed socket (autobind). */
            sr_json_add_string (record, "address", "", 0);
          }
        else if (un->sun_path[0] == '\0')
          {
            /* Abstract: every byte counts, NULs included; "@" as ss(8) shows it. */
            g_autofree char *name = g_malloc (path_length);

            name[0] = '@';
            memcpy (name + 1, un->sun_path + 1, path_length - 1);
            sr_json_add_string (record, "address", name, path_length);
          }
        else
          {
            sr_json_add_string (record, "address", un->sun_path,
                                strnlen (un->sun_path, path_length));
          }
        return;
      }

    case AF_UNSPEC:
      sr_json_add_string (record, "family", "AF_UNSPEC", strlen ("AF_UNSPEC"));
      return;

    default:
      sr_json_add_int (record, "family", family);
      return;
    }

  sr_json_add_string (record, "address_error", "address too short", strlen ("address too short"));
}

/* Bounds on what one execve line shows. */
#define MAX_ARGV 256
#define MAX_ARG_LENGTH 4096

static void
add_argv (SrJson               *record,
          SandlockNotification *notification,
          const ArgShape       *shape)
{
  guint64 address = sandlock_notification_get_arg (notification, (guint) shape->index);
  gboolean complete = FALSE;

  if (address == 0)
    return;

  sr_json_begin_array (record, shape->field);
  /* The child runs the native architecture: its pointers are ours. */
  for (guint i = 0; i < MAX_ARGV; i++)
    {
      g_autoptr(GBytes) pointer_bytes = NULL;
      g_autofree char *arg = NULL;
      guint64 pointer = 0;
      void *native;

      pointer_bytes = sandlock_notification_read (notification, address + i * sizeof native,
                                                  sizeof native, NULL);
      if (pointer_bytes == NULL)
        break;
      memcpy (&native, g_bytes_get_data (pointer_bytes, NULL), sizeof native);
      pointer = (guint64) (guintptr) native;
      if (pointer == 0)
        {
          complete = TRUE;
          break;
        }
      arg = sandlock_notification_read_string (notification, pointer, MAX_ARG_LENGTH, NULL);
      if (arg == NULL)
        break;
      sr_json_array_string (record, arg, strlen (arg));
    }
  sr_json_end_array (record);
  if (!complete)
    sr_json_add_bool (record, "argv_truncated", TRUE);
}

static void
add_raw_args (SrJson               *record,
              SandlockNotification *notification)
{
  sr_json_begin_array (record, "args");
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *text = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x",
                                               sandlock_notification_get_arg (notification, i));

      sr_json_array_string (record, text, strlen (text));
    }
  sr_json_end_array (record);
}

static void
add_time (SrJson *record,
          gint64  real_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (real_time / G_USEC_PER_SEC);
  g_autofree char *seconds = NULL;
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  text = g_strdup_printf ("%s.%06dZ", seconds, (int) (real_time % G_USEC_PER_SEC));
  sr_json_add_string (record, "time", text, strlen (text));
}

/* Starts @record with when, who, which syscall and its decoded arguments.
 * What is read from the child's memory is only reported, never decided
 * upon: another thread may change it right after. */
void
sr_audit_begin_record (SrJson               *record,
                       SandlockNotification *notification,
                       gint64                real_time)
{
  const char *name = sandlock_notification_get_syscall_name (notification);
  const SyscallShape *shape;

  sr_json_begin (record);
  add_time (record, real_time);
  sr_json_add_int (record, "pid", sandlock_notification_get_pid (notification));
  if (name != NULL)
    sr_json_add_string (record, "syscall", name, strlen (name));
  else
    sr_json_add_int (record, "syscall", sandlock_notification_get_syscall (notification));

  shape = name != NULL ? find_shape (name) : NULL;
  if (shape == NULL)
    {
      add_raw_args (record, notification);
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (shape->args); i++)
    {
      switch (shape->args[i].kind)
        {
        case ARG_NONE:
          break;
        case ARG_PATH:
        case ARG_STRING:
          add_path (record, notification, &shape->args[i]);
          break;
        case ARG_SOCKADDR:
          add_sockaddr (record, notification, &shape->args[i]);
          break;
        case ARG_ARGV:
          add_argv (record, notification, &shape->args[i]);
          break;
        }
    }
}

/* One line per decision of a guard: the destination the supervisor read
 * and decided on itself, what it answered, and the entry that decided. */
static void
on_guard_decision (SandlockSandbox *sandbox,
                   const char      *guard,
                   const char      *syscall,
                   guint            pid,
                   const char      *destination,
                   int              errno_value,
                   const char      *rule,
                   gpointer         user_data)
{
  SrAuditLog *log = user_data;
  const char *verdict = errno_value == 0 ? "allowed by guard" : "refused by guard";
  SrJson record;

  sr_json_begin (&record);
  add_time (&record, g_get_real_time ());
  sr_json_add_int (&record, "pid", pid);
  sr_json_add_string (&record, "syscall", syscall, strlen (syscall));
  sr_json_add_string (&record, "guard", guard, strlen (guard));
  sr_json_add_string (&record, "destination", destination, strlen (destination));
  sr_json_add_string (&record, "verdict", verdict, strlen (verdict));
  if (errno_value != 0)
    {
      const char *name = sr_errno_name (errno_value);

      if (name != NULL)
        sr_json_add_string (&record, "errno", name, strlen (name));
      else
        sr_json_add_int (&record, "errno", errno_value);
    }
  if (rule != NULL)
    sr_json_add_string (&record, "rule", rule, strlen (rule));
  sr_audit_log_write (log, &record);
}

void
sr_audit_log_guard_decisions (SrAuditLog      *log,
                              SandlockSandbox *sandbox)
{
  g_signal_connect (sandbox, "guard-decision", G_CALLBACK (on_guard_decision), log);
}
