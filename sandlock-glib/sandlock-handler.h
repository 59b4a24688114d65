/* sandlock-handler.h: the base class of system call handlers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib-object.h>

#include "sandlock-action.h"
#include "sandlock-notification.h"
#include "sandlock-version-macros.h"

G_BEGIN_DECLS

/**
 * SandlockExceptionPolicy:
 * @SANDLOCK_EXCEPTION_POLICY_KILL: kill every process of the sandbox
 *   (fail closed). The default, for handlers that enforce security.
 * @SANDLOCK_EXCEPTION_POLICY_DENY_EPERM: the syscall fails with `EPERM`.
 * @SANDLOCK_EXCEPTION_POLICY_CONTINUE: the handler is treated as having
 *   continued: the next handler runs, and with none left the kernel runs the
 *   syscall. Only for observers whose failure must not change the outcome.
 * @SANDLOCK_EXCEPTION_POLICY_DENY_EIO: the syscall fails with `EIO`.
 *
 * What happens to a trapped syscall when its handler fails: it returned
 * %NULL (with or without a #GError), returned an action that cannot answer,
 * or dropped a deferred notification without answering it. The values are
 * those of upstream sandlock.
 *
 * Since: 1.0
 */
typedef enum {
  SANDLOCK_EXCEPTION_POLICY_KILL = 0,
  SANDLOCK_EXCEPTION_POLICY_DENY_EPERM = 1,
  SANDLOCK_EXCEPTION_POLICY_CONTINUE = 2,
  SANDLOCK_EXCEPTION_POLICY_DENY_EIO = 3,
} SandlockExceptionPolicy;

#define SANDLOCK_TYPE_HANDLER (sandlock_handler_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (SandlockHandler, sandlock_handler, SANDLOCK, HANDLER, GObject)

/**
 * SandlockHandlerClass:
 * @parent_class: the parent class
 * @handle: decides a trapped syscall. It runs on the thread of the main
 *   context the process was spawned on, never elsewhere, and must not block:
 *   return sandlock_action_new_defer() and answer later with
 *   sandlock_notification_respond() when the decision takes time. Return a
 *   new #SandlockAction, or %NULL with @error set; a %NULL return applies the
 *   handler's #SandlockHandler:exception-policy. The default implementation
 *   continues.
 *
 * The class structure of #SandlockHandler.
 *
 * Since: 1.0
 */
struct _SandlockHandlerClass
{
  GObjectClass parent_class;

  SandlockAction *(*handle) (SandlockHandler       *self,
                             SandlockNotification  *notification,
                             GError               **error);

  /*< private >*/
  gpointer padding[12];
};

SANDLOCK_AVAILABLE_IN_ALL
SandlockAction          *sandlock_handler_handle               (SandlockHandler          *self,
                                                                SandlockNotification     *notification,
                                                                GError                  **error);
SANDLOCK_AVAILABLE_IN_ALL
SandlockExceptionPolicy  sandlock_handler_get_exception_policy (SandlockHandler          *self);
SANDLOCK_AVAILABLE_IN_ALL
void                     sandlock_handler_set_exception_policy (SandlockHandler          *self,
                                                                SandlockExceptionPolicy   policy);

G_END_DECLS
