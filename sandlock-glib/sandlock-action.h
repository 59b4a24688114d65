/* sandlock-action.h: the answer to a trapped system call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib-object.h>

#include "sandlock-version-macros.h"

G_BEGIN_DECLS

/**
 * SandlockActionKind:
 * @SANDLOCK_ACTION_KIND_NONE: no action. Never produced by a constructor;
 *   the zero value exists so that an unset kind can never mean "continue".
 * @SANDLOCK_ACTION_KIND_CONTINUE: no opinion: the next handler of the chain
 *   runs; when every handler continues the kernel runs the syscall.
 * @SANDLOCK_ACTION_KIND_ERRNO: the syscall fails with an errno and is not
 *   run.
 * @SANDLOCK_ACTION_KIND_RETURN_VALUE: the syscall returns a value and is not
 *   run.
 * @SANDLOCK_ACTION_KIND_INJECT_FD: a file descriptor is installed in the
 *   child, and its number becomes the syscall's result.
 * @SANDLOCK_ACTION_KIND_DEFER: the handler answers later with
 *   sandlock_notification_respond().
 * @SANDLOCK_ACTION_KIND_KILL: every process of the sandbox is killed.
 *
 * What a #SandlockAction does.
 *
 * Since: 1.0
 */
typedef enum {
  SANDLOCK_ACTION_KIND_NONE = 0,
  SANDLOCK_ACTION_KIND_CONTINUE = 1,
  SANDLOCK_ACTION_KIND_ERRNO = 2,
  SANDLOCK_ACTION_KIND_RETURN_VALUE = 3,
  SANDLOCK_ACTION_KIND_INJECT_FD = 4,
  SANDLOCK_ACTION_KIND_DEFER = 6,
  SANDLOCK_ACTION_KIND_KILL = 7,
} SandlockActionKind;

/**
 * SandlockInjectFdFlags:
 * @SANDLOCK_INJECT_FD_NONE: no flag.
 * @SANDLOCK_INJECT_FD_CLOEXEC: the descriptor installed in the child has
 *   close-on-exec set.
 *
 * Flags for sandlock_action_new_inject_fd() and
 * sandlock_action_new_inject_bytes().
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  SANDLOCK_INJECT_FD_NONE = 0,
  SANDLOCK_INJECT_FD_CLOEXEC = 1 << 0,
} SandlockInjectFdFlags;

/**
 * SandlockAction:
 *
 * An immutable, reference-counted answer to a trapped system call, returned
 * by a #SandlockHandler or given to sandlock_notification_respond().
 *
 * Since: 1.0
 */
typedef struct _SandlockAction SandlockAction;

#define SANDLOCK_TYPE_ACTION (sandlock_action_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
GType                 sandlock_action_get_type          (void) G_GNUC_CONST;
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_continue      (void);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_errno         (int                    errno_value);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_return_value  (gint64                 value);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_kill          (void);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_defer         (void);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_inject_fd     (int                    fd,
                                                         SandlockInjectFdFlags  flags,
                                                         GError               **error);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_new_inject_bytes  (GBytes                *content,
                                                         SandlockInjectFdFlags  flags,
                                                         GError               **error);
SANDLOCK_AVAILABLE_IN_ALL
SandlockAction       *sandlock_action_ref               (SandlockAction        *self);
SANDLOCK_AVAILABLE_IN_ALL
void                  sandlock_action_unref             (SandlockAction        *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockActionKind    sandlock_action_get_kind          (SandlockAction        *self);
SANDLOCK_AVAILABLE_IN_ALL
int                   sandlock_action_get_errno         (SandlockAction        *self);
SANDLOCK_AVAILABLE_IN_ALL
gint64                sandlock_action_get_return_value  (SandlockAction        *self);
SANDLOCK_AVAILABLE_IN_ALL
int                   sandlock_action_get_fd            (SandlockAction        *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockInjectFdFlags sandlock_action_get_inject_flags  (SandlockAction        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandlockAction, sandlock_action_unref)

G_END_DECLS
