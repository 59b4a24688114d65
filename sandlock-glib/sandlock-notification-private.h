/* sandlock-notification-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <linux/seccomp.h>

#include "sandlock-handler.h"
#include "sandlock-notification.h"
#include "sandlock-supervisor-private.h"

G_BEGIN_DECLS

/* A new notification for each request, never a recycled one. Reusing an
 * answered notification (as this library once did, to save creating and
 * finalizing a GObject per syscall) is only sound when nothing can tell it
 * from a new object: no other reference, no weak reference or GWeakRef, no
 * toggle reference, no object data (a binding's wrapper, or a handler's
 * g_object_set_data() mark, which would otherwise carry over to the next
 * syscall: a check skipped, failing open). GObject's public API cannot
 * tell that: the reference count and the data list are private fields of
 * GObject. So each notification is its own object, and whatever is
 * attached to it goes when it is finalized. */
SandlockNotification *sandlock_notification_new (SandlockSupervisor         *supervisor,
                                                 const struct seccomp_notif *request);

/* Marks the notification deferred; @fallback (the deferring handler's
 * exception policy, as it was when it deferred) answers it if it is
 * dropped unanswered, and the drop is reported as @deferred_by's failure
 * (SandlockSandbox::handler-error). */
void     sandlock_notification_set_deferred (SandlockNotification *self,
                                             SandlockAction       *fallback,
                                             SandlockHandler      *deferred_by);

/* Answers the notification once; later memory access and answers fail. */
gboolean sandlock_notification_answer       (SandlockNotification  *self,
                                             SandlockAction        *action,
                                             GError               **error);

G_END_DECLS
