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

SandlockNotification *sandlock_notification_new (SandlockSupervisor         *supervisor,
                                                 const struct seccomp_notif *request);

/* Whether @self, answered, is referenced by its caller only and carries no
 * data of any kind (weak or toggle references, a binding's wrapper, user
 * data): then nothing can tell it from a new object, and
 * sandlock_notification_reset() may reuse it for the next notification. */
gboolean sandlock_notification_can_recycle (SandlockNotification       *self);
void     sandlock_notification_reset       (SandlockNotification       *self,
                                            const struct seccomp_notif *request);

/* Marks the notification deferred by @handler, whose exception policy
 * answers it if it is dropped unanswered. */
void     sandlock_notification_set_deferred (SandlockNotification *self,
                                             SandlockHandler      *handler);

/* Answers the notification once; later memory access and answers fail. */
gboolean sandlock_notification_answer       (SandlockNotification  *self,
                                             SandlockAction        *action,
                                             GError               **error);

G_END_DECLS
