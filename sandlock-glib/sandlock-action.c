/* sandlock-action.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sandlock-action-private.h"
#include "sandlock-error.h"
#include "sandlock-kernel-private.h"
#include "sandlock-i18n-private.h"

/**
 * SECTION:sandlock-action
 * @title: SandlockAction
 * @short_description: the answer to a trapped system call
 *
 * A #SandlockAction says what happens to a trapped syscall. A
 * #SandlockHandler returns one from its #SandlockHandlerClass.handle method;
 * a deferred notification receives one through
 * sandlock_notification_respond().
 *
 * Actions are immutable and reference counted. An fd-injecting action owns
 * a duplicate of the descriptor it was given, so the caller may close its
 * own at once.
 *
 * Only the answers that do not let the kernel run the syscall are safe for
 * decisions taken from the child's memory: see the handlers guide.
 */

struct _SandlockAction
{
  gatomicrefcount       ref_count;
  SandlockActionKind    kind;
  int                   errno_value;
  gint64                return_value;
  int                   fd;
  SandlockInjectFdFlags inject_flags;
};

G_DEFINE_BOXED_TYPE (SandlockAction, sandlock_action, sandlock_action_ref, sandlock_action_unref)

static SandlockAction *
action_new (SandlockActionKind kind)
{
  SandlockAction *self = g_new0 (SandlockAction, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->fd = -1;
  return self;
}

/* Actions without a payload are immutable and all alike: share one of each
 * (its reference is never dropped), so a handler that continues on every
 * call allocates nothing. */
static SandlockAction *
shared_action (SandlockActionKind kind)
{
  static SandlockAction *shared[SANDLOCK_ACTION_KIND_KILL + 1];
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      shared[SANDLOCK_ACTION_KIND_CONTINUE] = action_new (SANDLOCK_ACTION_KIND_CONTINUE);
      shared[SANDLOCK_ACTION_KIND_DEFER] = action_new (SANDLOCK_ACTION_KIND_DEFER);
      shared[SANDLOCK_ACTION_KIND_KILL] = action_new (SANDLOCK_ACTION_KIND_KILL);
      g_once_init_leave (&once, 1);
    }

  return sandlock_action_ref (shared[kind]);
}

/**
 * sandlock_action_new_continue:
 *
 * Creates an action with no opinion: the next handler of the chain runs,
 * and when every handler continues, the kernel runs the syscall as the
 * child made it.
 *
 * The kernel reads pointer arguments again when it runs the syscall, so
 * never continue because of what the child's memory held: another thread
 * of the child may change it in between.
 *
 * Returns: (transfer full): a new #SandlockAction
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_continue (void)
{
  return shared_action (SANDLOCK_ACTION_KIND_CONTINUE);
}

/**
 * sandlock_action_new_errno:
 * @errno_value: the error, from 1 to 4095 (`EPERM`, `EACCES`, ...)
 *
 * Creates an action that makes the syscall fail with @errno_value without
 * running it.
 *
 * Returns: (transfer full) (nullable): a new #SandlockAction, or %NULL if
 *   @errno_value is out of range (which a handler's exception policy then
 *   answers)
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_errno (int errno_value)
{
  SandlockAction *self;

  g_return_val_if_fail (errno_value > 0 && errno_value < 4096, NULL);

  self = action_new (SANDLOCK_ACTION_KIND_ERRNO);
  self->errno_value = errno_value;
  return self;
}

/**
 * sandlock_action_new_return_value:
 * @value: what the syscall returns
 *
 * Creates an action that makes the syscall return @value without running
 * it. A value from -4095 to -1 reads as an error to the C library.
 *
 * Returns: (transfer full): a new #SandlockAction
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_return_value (gint64 value)
{
  SandlockAction *self = action_new (SANDLOCK_ACTION_KIND_RETURN_VALUE);

  self->return_value = value;
  return self;
}

/**
 * sandlock_action_new_kill:
 *
 * Creates an action that kills every process of the sandbox with
 * `SIGKILL`. The trapped syscall never returns.
 *
 * Returns: (transfer full): a new #SandlockAction
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_kill (void)
{
  return shared_action (SANDLOCK_ACTION_KIND_KILL);
}

/**
 * sandlock_action_new_defer:
 *
 * Creates an action that postpones the answer. The handler keeps a
 * reference to the notification and answers later, from the same main
 * context, with sandlock_notification_respond(); meanwhile the sandbox's
 * other notifications keep being dispatched. A deferred notification that
 * is dropped unanswered is answered with the handler's
 * #SandlockHandler:exception-policy, so the child is never parked forever.
 *
 * Deferring ends the chain: no later handler sees the syscall.
 *
 * Returns: (transfer full): a new #SandlockAction
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_defer (void)
{
  return shared_action (SANDLOCK_ACTION_KIND_DEFER);
}

/**
 * sandlock_action_new_inject_fd:
 * @fd: a file descriptor of this process
 * @flags: flags for the descriptor the child receives
 * @error: return location for a #GError, or %NULL
 *
 * Creates an action that installs a copy of @fd in the child and makes its
 * number the result of the syscall, atomically (`SECCOMP_ADDFD_FLAG_SEND`).
 * This is how a handler opens a file on the child's behalf. If the kernel
 * refuses the injection, the syscall fails with `EACCES`; it is never run.
 *
 * The action keeps its own duplicate of @fd: the caller still owns @fd.
 *
 * Returns: (transfer full): a new #SandlockAction, or %NULL with @error set
 *   when @fd cannot be duplicated
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_inject_fd (int                     fd,
                               SandlockInjectFdFlags   flags,
                               GError                **error)
{
  SandlockAction *self;
  int copy;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = fd >= 0 ? fcntl (fd, F_DUPFD_CLOEXEC, 3) : (errno = EBADF, -1);
  if (copy < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Cannot inject file descriptor %d: %s"), fd, g_strerror (saved_errno));
      return NULL;
    }

  self = action_new (SANDLOCK_ACTION_KIND_INJECT_FD);
  self->fd = copy;
  self->inject_flags = flags;
  return self;
}

/**
 * sandlock_action_new_inject_bytes:
 * @content: what the child reads from the descriptor
 * @flags: flags for the descriptor the child receives
 * @error: return location for a #GError, or %NULL
 *
 * Creates an action that hands the child a read-only, sealed memory file
 * holding @content, positioned at its start, as the syscall's result: a
 * handler can answer an `openat` of a file that does not exist with
 * synthetic content.
 *
 * Returns: (transfer full): a new #SandlockAction, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_new_inject_bytes (GBytes                 *content,
                                  SandlockInjectFdFlags   flags,
                                  GError                **error)
{
  SandlockAction *self;
  const guint8 *data;
  gsize size;
  int fd;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (content, &size);
  fd = sandlock_memfd_new_sealed ("sandlock-content", data, size, MFD_CLOEXEC,
                                  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL,
                                  error);
  if (fd < 0)
    {
      g_prefix_error (error, _("Cannot create the content to inject: "));
      return NULL;
    }

  self = action_new (SANDLOCK_ACTION_KIND_INJECT_FD);
  self->fd = fd;
  self->inject_flags = flags;
  return self;
}

/**
 * sandlock_action_ref:
 * @self: a #SandlockAction
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_action_ref (SandlockAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * sandlock_action_unref:
 * @self: (transfer full): a #SandlockAction
 *
 * Drops a reference; the last one closes an injected descriptor.
 *
 * Since: 1.0
 */
void
sandlock_action_unref (SandlockAction *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->fd >= 0)
    close (self->fd);
  g_free (self);
}

/**
 * sandlock_action_get_kind:
 * @self: a #SandlockAction
 *
 * Gets what the action does.
 *
 * Returns: what the action does
 *
 * Since: 1.0
 */
SandlockActionKind
sandlock_action_get_kind (SandlockAction *self)
{
  g_return_val_if_fail (self != NULL, SANDLOCK_ACTION_KIND_NONE);
  return self->kind;
}

/**
 * sandlock_action_get_errno:
 * @self: a #SandlockAction
 *
 * Gets the errno a %SANDLOCK_ACTION_KIND_ERRNO action fails the
 * syscall with.
 *
 * Returns: the errno of a %SANDLOCK_ACTION_KIND_ERRNO action, else 0
 *
 * Since: 1.0
 */
int
sandlock_action_get_errno (SandlockAction *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->errno_value;
}

/**
 * sandlock_action_get_return_value:
 * @self: a #SandlockAction
 *
 * Gets the value a %SANDLOCK_ACTION_KIND_RETURN_VALUE action makes
 * the syscall return.
 *
 * Returns: the value of a %SANDLOCK_ACTION_KIND_RETURN_VALUE action, else 0
 *
 * Since: 1.0
 */
gint64
sandlock_action_get_return_value (SandlockAction *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->return_value;
}

/**
 * sandlock_action_get_fd:
 * @self: a #SandlockAction
 *
 * The action's own duplicate of the descriptor to inject. It stays owned
 * by the action.
 *
 * Returns: the descriptor of a %SANDLOCK_ACTION_KIND_INJECT_FD action,
 *   else -1
 *
 * Since: 1.0
 */
int
sandlock_action_get_fd (SandlockAction *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->fd;
}

/**
 * sandlock_action_get_inject_flags:
 * @self: a #SandlockAction
 *
 * Gets the flags of the descriptor a %SANDLOCK_ACTION_KIND_INJECT_FD
 * action installs in the child.
 *
 * Returns: the flags of a %SANDLOCK_ACTION_KIND_INJECT_FD action
 *
 * Since: 1.0
 */
SandlockInjectFdFlags
sandlock_action_get_inject_flags (SandlockAction *self)
{
  g_return_val_if_fail (self != NULL, SANDLOCK_INJECT_FD_NONE);
  return self->inject_flags;
}

SandlockAction *
sandlock_action_new_for_policy (SandlockExceptionPolicy policy)
{
  switch (policy)
    {
    case SANDLOCK_EXCEPTION_POLICY_DENY_EPERM:
      return sandlock_action_new_errno (EPERM);
    case SANDLOCK_EXCEPTION_POLICY_CONTINUE:
      return sandlock_action_new_continue ();
    case SANDLOCK_EXCEPTION_POLICY_DENY_EIO:
      return sandlock_action_new_errno (EIO);
    case SANDLOCK_EXCEPTION_POLICY_KILL:
    default:
      return sandlock_action_new_kill ();
    }
}
