/* sandlock-test-handler.h: a SandlockHandler whose decision is a C function
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sandlock-glib/sandlock.h>

G_BEGIN_DECLS

#define SANDLOCK_TEST_TYPE_HANDLER (sandlock_test_handler_get_type ())
G_DECLARE_FINAL_TYPE (SandlockTestHandler, sandlock_test_handler, SANDLOCK_TEST, HANDLER, SandlockHandler)

typedef SandlockAction *(*SandlockTestHandleFunc) (SandlockTestHandler   *self,
                                                   SandlockNotification  *notification,
                                                   gpointer               user_data,
                                                   GError               **error);

struct _SandlockTestHandler
{
  SandlockHandler         parent_instance;

  SandlockTestHandleFunc  func;
  gpointer                user_data;
  guint                   calls;
  GThread                *last_thread;
  GPtrArray              *kept;   /* notifications the function kept */
};

SandlockTestHandler *sandlock_test_handler_new  (SandlockTestHandleFunc   func,
                                                 gpointer                 user_data,
                                                 SandlockExceptionPolicy  policy);

/* Keeps a reference to @notification in self->kept. */
void                 sandlock_test_handler_keep (SandlockTestHandler   *self,
                                                 SandlockNotification  *notification);

G_END_DECLS
