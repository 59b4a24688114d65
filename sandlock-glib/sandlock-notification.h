/* sandlock-notification.h: one trapped system call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib-object.h>

#include "sandlock-action.h"
#include "sandlock-version-macros.h"

G_BEGIN_DECLS

#define SANDLOCK_TYPE_NOTIFICATION (sandlock_notification_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SandlockNotification, sandlock_notification, SANDLOCK, NOTIFICATION, GObject)

SANDLOCK_AVAILABLE_IN_ALL
guint64      sandlock_notification_get_id                  (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
char        *sandlock_notification_get_id_string           (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
GPid         sandlock_notification_get_pid                 (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
int          sandlock_notification_get_syscall             (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
const char  *sandlock_notification_get_syscall_name        (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
guint32      sandlock_notification_get_arch                (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
guint64      sandlock_notification_get_instruction_pointer (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
guint64      sandlock_notification_get_arg                 (SandlockNotification  *self,
                                                            guint                  index);
SANDLOCK_AVAILABLE_IN_ALL
char        *sandlock_notification_get_arg_string          (SandlockNotification  *self,
                                                            guint                  index);
SANDLOCK_AVAILABLE_IN_ALL
gboolean     sandlock_notification_is_pending              (SandlockNotification  *self);
SANDLOCK_AVAILABLE_IN_ALL
GBytes      *sandlock_notification_read                    (SandlockNotification  *self,
                                                            guint64                address,
                                                            gsize                  length,
                                                            GError               **error);
SANDLOCK_AVAILABLE_IN_ALL
char        *sandlock_notification_read_string             (SandlockNotification  *self,
                                                            guint64                address,
                                                            gsize                  max_length,
                                                            GError               **error);
SANDLOCK_AVAILABLE_IN_ALL
gboolean     sandlock_notification_write                   (SandlockNotification  *self,
                                                            guint64                address,
                                                            GBytes                *data,
                                                            GError               **error);
SANDLOCK_AVAILABLE_IN_ALL
gboolean     sandlock_notification_respond                 (SandlockNotification  *self,
                                                            SandlockAction        *action,
                                                            GError               **error);

G_END_DECLS
