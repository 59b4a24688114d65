/* sandlock-notification.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sandlock-action-private.h"
#include "sandlock-error.h"
#include "sandlock-kernel-private.h"
#include "sandlock-notification-private.h"
#include "sandlock-i18n-private.h"

/**
 * SECTION:sandlock-notification
 * @title: SandlockNotification
 * @short_description: one trapped system call
 *
 * A #SandlockNotification describes a syscall a sandboxed thread made and
 * is now blocked in: who made it (sandlock_notification_get_pid() is the
 * thread id), which syscall, and its six raw arguments. Handlers may read
 * and write the child's memory through it while it is pending.
 *
 * Every memory access checks with the kernel, before and after, that the
 * notification is still pending. Once it has been answered the object
 * stays safe to hold, but memory access and sandlock_notification_respond()
 * fail with %SANDLOCK_ERROR_NOTIFICATION_GONE: it never touches another
 * process's memory.
 *
 * What the child's memory holds can change as soon as it is read: another
 * thread of the child can rewrite it. A decision taken from it must be
 * answered with an errno, a return value or an injected descriptor, never
 * by continuing (the kernel would read the memory again).
 *
 * Notifications are made by the sandbox only. One built with g_object_new()
 * alone (what `Sandlock.Notification()` does in Python or gjs) has no child
 * behind it: it is born answered, so it is never pending,
 * sandlock_notification_get_syscall() returns -1, and memory access and
 * sandlock_notification_respond() fail with
 * %SANDLOCK_ERROR_NOTIFICATION_GONE.
 */

/**
 * SandlockNotification:
 *
 * One trapped system call, waiting for its answer. Its fields are private.
 *
 * Since: 1.0
 */

typedef enum {
  STATE_DISPATCHING,
  STATE_DEFERRED,
  STATE_ANSWERED,
} NotificationState;

struct _SandlockNotification
{
  GObject              parent_instance;

  SandlockSupervisor  *supervisor;
  struct seccomp_notif request;
  SandlockAction      *fallback;       /* deferred: answers if dropped */
  SandlockHandler     *deferred_by;    /* deferred: the deferring handler */

  /* Serialises memory access against the answer, so that no access can
   * straddle it (the thread could be gone and its pid reused). */
  GMutex               lock;
  NotificationState    state;
};

G_DEFINE_FINAL_TYPE (SandlockNotification, sandlock_notification, G_TYPE_OBJECT)

static void
sandlock_notification_finalize (GObject *object)
{
  SandlockNotification *self = SANDLOCK_NOTIFICATION (object);

  if (self->state == STATE_DEFERRED)
    {
      /* Dropped without an answer: the deferring handler's exception policy
       * answers, so the child is never parked forever. */
      GError *error;

      sandlock_supervisor_send (self->supervisor, &self->request, self->fallback, NULL);
      sandlock_supervisor_end_defer (self->supervisor);

      /* The code meant to answer failed (a binding dropped the object when
       * an exception unwound it): say so, as for a failing handler. */
      error = g_error_new (SANDLOCK_ERROR, SANDLOCK_ERROR_HANDLER_FAILED,
                           "A notification of syscall %d that %s deferred was dropped "
                           "without an answer: its exception policy answered it",
                           self->request.data.nr, G_OBJECT_TYPE_NAME (self->deferred_by));
      sandlock_supervisor_report_handler_error (self->supervisor, self->deferred_by, error);
    }

  g_clear_object (&self->deferred_by);
  g_clear_pointer (&self->fallback, sandlock_action_unref);
  g_clear_pointer (&self->supervisor, sandlock_supervisor_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sandlock_notification_parent_class)->finalize (object);
}

static void
sandlock_notification_class_init (SandlockNotificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sandlock_notification_finalize;
}

static void
sandlock_notification_init (SandlockNotification *self)
{
  g_mutex_init (&self->lock);
  /* Only sandlock_notification_new() makes a live notification. One that
   * g_object_new() alone made (what `Sandlock.Notification()` does in a
   * binding) has no supervisor and no child behind it: it is born
   * answered, so that every access fails with
   * %SANDLOCK_ERROR_NOTIFICATION_GONE, and names no syscall. */
  self->state = STATE_ANSWERED;
  self->request.data.nr = -1;
}

SandlockNotification *
sandlock_notification_new (SandlockSupervisor         *supervisor,
                           const struct seccomp_notif *request)
{
  SandlockNotification *self = g_object_new (SANDLOCK_TYPE_NOTIFICATION, NULL);

  self->supervisor = sandlock_supervisor_ref (supervisor);
  memcpy (&self->request, request, sizeof self->request);
  self->state = STATE_DISPATCHING;
  return self;
}

void
sandlock_notification_set_deferred (SandlockNotification *self,
                                    SandlockAction       *fallback,
                                    SandlockHandler      *deferred_by)
{
  g_mutex_lock (&self->lock);
  self->state = STATE_DEFERRED;
  g_clear_pointer (&self->fallback, sandlock_action_unref);
  self->fallback = sandlock_action_ref (fallback);
  g_set_object (&self->deferred_by, deferred_by);
  g_mutex_unlock (&self->lock);
}

gboolean
sandlock_notification_answer (SandlockNotification  *self,
                              SandlockAction        *action,
                              GError               **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  if (self->state == STATE_ANSWERED)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE,
                   _("The notification was answered already"));
      return FALSE;
    }
  self->state = STATE_ANSWERED;
  ok = sandlock_supervisor_send (self->supervisor, &self->request, action, error);
  g_mutex_unlock (&self->lock);

  return ok;
}

/* ---- getters ----------------------------------------------------------- */

/**
 * sandlock_notification_get_id:
 * @self: a #SandlockNotification
 *
 * The kernel's identifier of the notification, unique among the
 * notifications of one sandbox.
 *
 * The kernel draws the first identifier at random, so identifiers use all
 * 64 bits. Languages whose numbers are doubles (JavaScript) cannot hold
 * them exactly: use sandlock_notification_get_id_string() there, or compare
 * the notification objects themselves.
 *
 * Returns: the kernel's cookie for this notification
 *
 * Since: 1.0
 */
guint64
sandlock_notification_get_id (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), 0);
  return self->request.id;
}

/**
 * sandlock_notification_get_id_string:
 * @self: a #SandlockNotification
 *
 * The identifier of sandlock_notification_get_id() in decimal, for
 * languages that cannot hold a 64-bit integer exactly: in JavaScript,
 * `BigInt(notification.get_id_string())`.
 *
 * Returns: (transfer full): the identifier in decimal
 *
 * Since: 1.0
 */
char *
sandlock_notification_get_id_string (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), NULL);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) self->request.id);
}

/**
 * sandlock_notification_get_pid:
 * @self: a #SandlockNotification
 *
 * The thread that made the syscall, as a thread id in the supervisor's pid
 * namespace. For a multi-threaded child it is not the process id.
 *
 * Returns: the thread id
 *
 * Since: 1.0
 */
GPid
sandlock_notification_get_pid (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), 0);
  return (GPid) self->request.pid;
}

/**
 * sandlock_notification_get_syscall:
 * @self: a #SandlockNotification
 *
 * The number of the trapped syscall, in the numbering of the
 * architecture sandlock_notification_get_arch() returns.
 *
 * Returns: the syscall number, for sandlock_notification_get_arch(), or -1
 *   for a notification that no sandbox made
 *
 * Since: 1.0
 */
int
sandlock_notification_get_syscall (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), -1);
  return self->request.data.nr;
}

/* libseccomp allocates each name: resolve once and keep interned copies. */
static const char *
resolve_syscall_name (guint32 arch,
                      int     nr)
{
  static const char *native_names[1024];
  static GMutex lock;
  const char *name = NULL;
  char *resolved;

  if (nr >= 0 && nr < (int) G_N_ELEMENTS (native_names) && arch == seccomp_arch_native ())
    {
      name = g_atomic_pointer_get (&native_names[nr]);
      if (name != NULL)
        return name;
    }

  g_mutex_lock (&lock);
  /* Native: the syscalls newer than libseccomp (fchmodat2...) too. */
  resolved = arch == seccomp_arch_native () ? sandlock_kernel_syscall_name (nr)
                                            : seccomp_syscall_resolve_num_arch (arch, nr);
  if (resolved != NULL)
    name = g_intern_string (resolved);
  free (resolved);
  g_mutex_unlock (&lock);

  if (name != NULL && nr >= 0 && nr < (int) G_N_ELEMENTS (native_names) &&
      arch == seccomp_arch_native ())
    g_atomic_pointer_set (&native_names[nr], name);

  return name;
}

/**
 * sandlock_notification_get_syscall_name:
 * @self: a #SandlockNotification
 *
 * The name of the trapped syscall, as libseccomp knows it. The
 * string is interned: it stays valid for the life of the process.
 *
 * Returns: (nullable): the syscall's name for its architecture, such as
 *   `"openat"`, or %NULL if libseccomp does not know it
 *
 * Since: 1.0
 */
const char *
sandlock_notification_get_syscall_name (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), NULL);
  return resolve_syscall_name (self->request.data.arch, self->request.data.nr);
}

/**
 * sandlock_notification_get_arch:
 * @self: a #SandlockNotification
 *
 * The architecture the syscall was made for. The filter kills any
 * process that makes a syscall of another architecture, so this is
 * always the native one.
 *
 * Returns: the architecture of the syscall, an `AUDIT_ARCH_*` value
 *   (`0xC000003E` for x86_64)
 *
 * Since: 1.0
 */
guint32
sandlock_notification_get_arch (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), 0);
  return self->request.data.arch;
}

/**
 * sandlock_notification_get_instruction_pointer:
 * @self: a #SandlockNotification
 *
 * The address, in the child, of the instruction that made the
 * syscall.
 *
 * Returns: the address of the instruction that made the syscall
 *
 * Since: 1.0
 */
guint64
sandlock_notification_get_instruction_pointer (SandlockNotification *self)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), 0);
  return self->request.data.instruction_pointer;
}

/**
 * sandlock_notification_get_arg:
 * @self: a #SandlockNotification
 * @index: which argument, from 0 to 5
 *
 * The raw register value of an argument. Pointers are addresses in the
 * child: read what they point to with sandlock_notification_read() or
 * sandlock_notification_read_string().
 *
 * In JavaScript the value becomes a Number, exact only up to 2^53: use
 * sandlock_notification_get_arg_string() for integers that may be larger.
 *
 * Returns: the argument's value
 *
 * Since: 1.0
 */
guint64
sandlock_notification_get_arg (SandlockNotification *self,
                               guint                 index)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), 0);
  g_return_val_if_fail (index < 6, 0);
  return self->request.data.args[index];
}

/**
 * sandlock_notification_get_arg_string:
 * @self: a #SandlockNotification
 * @index: which argument, from 0 to 5
 *
 * The raw register value of sandlock_notification_get_arg() as an unsigned
 * decimal number, exact for every 64-bit value, for languages whose numbers
 * are doubles: in JavaScript, `BigInt(notification.get_arg_string(1))`.
 * Signed arguments appear as the unsigned 64-bit register holds them.
 *
 * Returns: (transfer full): the argument's value in decimal
 *
 * Since: 1.0
 */
char *
sandlock_notification_get_arg_string (SandlockNotification *self,
                                      guint                 index)
{
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), NULL);
  g_return_val_if_fail (index < 6, NULL);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) self->request.data.args[index]);
}

/**
 * sandlock_notification_is_pending:
 * @self: a #SandlockNotification
 *
 * Whether the notification still waits for an answer: during the handler's
 * call, and while deferred. It does not ask the kernel, so a pending
 * notification's thread may have died meanwhile.
 *
 * Returns: %TRUE until the notification is answered
 *
 * Since: 1.0
 */
gboolean
sandlock_notification_is_pending (SandlockNotification *self)
{
  gboolean pending;

  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), FALSE);

  g_mutex_lock (&self->lock);
  pending = self->state != STATE_ANSWERED;
  g_mutex_unlock (&self->lock);
  return pending;
}

/* ---- child memory -------------------------------------------------------- */

static gboolean
set_gone (GError **error)
{
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE,
               _("The notification is no longer pending: it was answered, or the "
                 "thread that made the syscall is gone"));
  return FALSE;
}

/* Takes the lock and checks the notification is still pending with the
 * kernel; on success the caller must call end_access(). */
static gboolean
begin_access (SandlockNotification  *self,
              GError               **error)
{
  g_mutex_lock (&self->lock);
  if (self->state == STATE_ANSWERED || self->supervisor == NULL ||
      sandlock_notif_id_valid (sandlock_supervisor_get_listener (self->supervisor),
                               self->request.id) != 0)
    {
      g_mutex_unlock (&self->lock);
      return set_gone (error);
    }
  return TRUE;
}

/* The second check catches a thread that died (and a reused pid) during
 * the access: whatever was read is then thrown away. */
static gboolean
end_access (SandlockNotification  *self,
            GError               **error)
{
  gboolean valid = sandlock_notif_id_valid (sandlock_supervisor_get_listener (self->supervisor),
                                            self->request.id) == 0;

  g_mutex_unlock (&self->lock);
  return valid ? TRUE : set_gone (error);
}

static gboolean
set_memory_error (int          saved_errno,
                  const char  *what,
                  guint64      address,
                  GError     **error)
{
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_MEMORY_ACCESS,
               "%s the child's memory at 0x%" G_GINT64_MODIFIER "x failed: %s",
               what, address, g_strerror (saved_errno));
  return FALSE;
}

/**
 * sandlock_notification_read:
 * @self: a #SandlockNotification
 * @address: an address in the child
 * @length: how many bytes to read
 * @error: return location for a #GError, or %NULL
 *
 * Reads the child's memory. The read stops early at the first unmapped
 * page, so the result may be shorter than @length; it is an error only when
 * nothing at all can be read.
 *
 * Returns: (transfer full): the bytes read, or %NULL with @error set
 *
 * Since: 1.0
 */
GBytes *
sandlock_notification_read (SandlockNotification  *self,
                            guint64                address,
                            gsize                  length,
                            GError               **error)
{
  g_autofree guint8 *buffer = NULL;
  ssize_t n;

  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin_access (self, error))
    return NULL;

  if (length == 0)
    return end_access (self, error) ? g_bytes_new (NULL, 0) : NULL;

  buffer = g_try_malloc (length);
  if (buffer == NULL)
    {
      g_mutex_unlock (&self->lock);
      set_memory_error (ENOMEM, "Reading", address, error);
      return NULL;
    }

  n = sandlock_read_child_memory ((pid_t) self->request.pid, address, buffer, length);
  if (n <= 0)
    {
      int saved_errno = n < 0 ? errno : EFAULT;

      if (!end_access (self, error))
        return NULL;
      set_memory_error (saved_errno, "Reading", address, error);
      return NULL;
    }

  if (!end_access (self, error))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), (gsize) n);
}

/**
 * sandlock_notification_read_string:
 * @self: a #SandlockNotification
 * @address: the address of a NUL-terminated string in the child
 * @max_length: the most bytes to read, the terminating NUL included
 * @error: return location for a #GError, or %NULL
 *
 * Reads a string from the child's memory, page by page, so that a string
 * ending just before an unmapped page still reads. A string without a NUL
 * within @max_length bytes is an error (%SANDLOCK_ERROR_STRING_TOO_LONG),
 * never a silent truncation.
 *
 * Returns: (transfer full) (type filename): the string, or %NULL with @error
 *   set
 *
 * Since: 1.0
 */
char *
sandlock_notification_read_string (SandlockNotification  *self,
                                   guint64                address,
                                   gsize                  max_length,
                                   GError               **error)
{
  g_autofree char *text = NULL;
  guint64 failed_at = address;
  int read_errno;

  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), NULL);
  g_return_val_if_fail (max_length > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (address == 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_MEMORY_ACCESS,
                   _("Reading a string at address 0: a NULL pointer"));
      return NULL;
    }

  if (!begin_access (self, error))
    return NULL;
  text = sandlock_read_child_string ((pid_t) self->request.pid, address, max_length, &failed_at);
  read_errno = text == NULL ? errno : 0;
  if (!end_access (self, error))
    return NULL;

  if (read_errno == ENAMETOOLONG)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_STRING_TOO_LONG,
                   "The string at 0x%" G_GINT64_MODIFIER "x has no NUL within %"
                   G_GSIZE_FORMAT " bytes", address, max_length);
      return NULL;
    }
  if (read_errno != 0)
    {
      set_memory_error (read_errno, "Reading a string from", failed_at, error);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/**
 * sandlock_notification_write:
 * @self: a #SandlockNotification
 * @address: an address in the child
 * @data: the bytes to write
 * @error: return location for a #GError, or %NULL
 *
 * Writes into the child's memory, for instance an output buffer of a
 * syscall the handler answers itself. The write is complete or an error.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
sandlock_notification_write (SandlockNotification  *self,
                             guint64                address,
                             GBytes                *data,
                             GError               **error)
{
  struct iovec local, remote;
  gsize size;
  ssize_t n;
  int saved_errno;

  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_access (self, error))
    return FALSE;

  local.iov_base = (void *) g_bytes_get_data (data, &size);
  local.iov_len = size;
  remote.iov_base = (void *) (guintptr) address;
  remote.iov_len = size;

  if (size == 0)
    return end_access (self, error);

  n = process_vm_writev ((pid_t) self->request.pid, &local, 1, &remote, 1, 0);
  saved_errno = n < 0 ? errno : EFAULT;

  if (!end_access (self, error))
    return FALSE;

  if (n < 0 || (gsize) n != size)
    return set_memory_error (n < 0 ? saved_errno : EFAULT, "Writing", address, error);

  return TRUE;
}

/**
 * sandlock_notification_respond:
 * @self: a deferred #SandlockNotification
 * @action: the answer; not a deferral
 * @error: return location for a #GError, or %NULL
 *
 * Answers a notification whose handler returned sandlock_action_new_defer().
 * Call it from the thread running the main context the process was spawned
 * on, as handlers are.
 *
 * Fails with %SANDLOCK_ERROR_NOTIFICATION_GONE when the notification was
 * answered already or its thread died meanwhile, with
 * %SANDLOCK_ERROR_WRONG_CONTEXT from another thread, and with
 * %SANDLOCK_ERROR_FAILED for a notification that was not deferred or a
 * deferral as @action.
 *
 * Returns: %TRUE when the child received the answer
 *
 * Since: 1.0
 */
gboolean
sandlock_notification_respond (SandlockNotification  *self,
                               SandlockAction        *action,
                               GError               **error)
{
  GMainContext *context;
  gboolean acquired;
  gboolean ok;

  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Not made by a sandbox: there is nothing to answer. */
  if (self->supervisor == NULL)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE,
                   _("The notification was not made by a sandbox: there is nothing to answer"));
      return FALSE;
    }

  context = sandlock_supervisor_get_context (self->supervisor);
  acquired = !g_main_context_is_owner (context) && g_main_context_acquire (context);
  if (!acquired && !g_main_context_is_owner (context))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_WRONG_CONTEXT,
                   _("sandlock_notification_respond() must be called from the thread "
                     "running the main context the process was spawned on"));
      return FALSE;
    }

  if (sandlock_action_get_kind (action) == SANDLOCK_ACTION_KIND_DEFER ||
      sandlock_action_get_kind (action) == SANDLOCK_ACTION_KIND_NONE)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("A deferred notification needs a final answer, not another deferral"));
      ok = FALSE;
      goto out;
    }

  g_mutex_lock (&self->lock);
  if (self->state == STATE_DISPATCHING)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("The notification was not deferred: return the answer from the "
                     "handler instead of responding"));
      ok = FALSE;
      goto out;
    }
  if (self->state == STATE_ANSWERED)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE,
                   _("The notification was answered already"));
      ok = FALSE;
      goto out;
    }

  self->state = STATE_ANSWERED;
  ok = sandlock_supervisor_send (self->supervisor, &self->request, action, error);
  g_mutex_unlock (&self->lock);
  sandlock_supervisor_end_defer (self->supervisor);

out:
  if (acquired)
    g_main_context_release (context);
  return ok;
}
