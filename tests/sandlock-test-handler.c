/* sandlock-test-handler.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "sandlock-test-handler.h"

G_DEFINE_FINAL_TYPE (SandlockTestHandler, sandlock_test_handler, SANDLOCK_TYPE_HANDLER)

static SandlockAction *
sandlock_test_handler_handle (SandlockHandler       *handler,
                              SandlockNotification  *notification,
                              GError               **error)
{
  SandlockTestHandler *self = SANDLOCK_TEST_HANDLER (handler);

  self->calls++;
  self->last_thread = g_thread_self ();
  if (self->func == NULL)
    return sandlock_action_new_continue ();
  return self->func (self, notification, self->user_data, error);
}

static void
sandlock_test_handler_finalize (GObject *object)
{
  SandlockTestHandler *self = SANDLOCK_TEST_HANDLER (object);

  g_ptr_array_unref (self->kept);
  G_OBJECT_CLASS (sandlock_test_handler_parent_class)->finalize (object);
}

static void
sandlock_test_handler_class_init (SandlockTestHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sandlock_test_handler_finalize;
  SANDLOCK_HANDLER_CLASS (klass)->handle = sandlock_test_handler_handle;
}

static void
sandlock_test_handler_init (SandlockTestHandler *self)
{
  self->kept = g_ptr_array_new_with_free_func (g_object_unref);
}

SandlockTestHandler *
sandlock_test_handler_new (SandlockTestHandleFunc   func,
                           gpointer                 user_data,
                           SandlockExceptionPolicy  policy)
{
  SandlockTestHandler *self = g_object_new (SANDLOCK_TEST_TYPE_HANDLER,
                                            "exception-policy", policy,
                                            NULL);

  self->func = func;
  self->user_data = user_data;
  return self;
}

void
sandlock_test_handler_keep (SandlockTestHandler  *self,
                            SandlockNotification *notification)
{
  g_ptr_array_add (self->kept, g_object_ref (notification));
}
