/* sandlock-handler.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "sandlock-enum-types.h"
#include "sandlock-error.h"
#include "sandlock-handler.h"
#include "sandlock-i18n-private.h"

/**
 * SECTION:sandlock-handler
 * @title: SandlockHandler
 * @short_description: decides trapped system calls
 *
 * A #SandlockHandler answers the syscalls it is registered on with
 * sandlock_sandbox_add_handler(). Subclass it and override
 * #SandlockHandlerClass.handle: `do_handle` in Python, `vfunc_handle` in
 * JavaScript, `public override Sandlock.Action handle (...) throws
 * GLib.Error` in Vala.
 *
 * Handlers run on the thread of the main context that was the
 * thread-default when the process was spawned, and nowhere else. That is
 * what lets gjs and Python implement them without worker threads or a
 * fight over the GIL. A handler must not block that thread: to take time,
 * return sandlock_action_new_defer() and answer later.
 *
 * When `handle` fails (returns %NULL, with or without a #GError, or returns
 * an action that cannot answer) the handler's
 * #SandlockHandler:exception-policy decides, and the sandbox emits
 * #SandlockSandbox::handler-error.
 */

/**
 * SandlockHandler:
 *
 * The base class of syscall handlers: subclass it and override
 * #SandlockHandlerClass.handle. Its instance has no public fields.
 *
 * Since: 1.0
 */

typedef struct
{
  SandlockExceptionPolicy exception_policy;
} SandlockHandlerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SandlockHandler, sandlock_handler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EXCEPTION_POLICY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SandlockAction *
sandlock_handler_real_handle (SandlockHandler       *self,
                              SandlockNotification  *notification,
                              GError               **error)
{
  return sandlock_action_new_continue ();
}

static void
sandlock_handler_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SandlockHandler *self = SANDLOCK_HANDLER (object);

  switch (prop_id)
    {
    case PROP_EXCEPTION_POLICY:
      g_value_set_enum (value, sandlock_handler_get_exception_policy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_handler_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SandlockHandler *self = SANDLOCK_HANDLER (object);

  switch (prop_id)
    {
    case PROP_EXCEPTION_POLICY:
      sandlock_handler_set_exception_policy (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_handler_class_init (SandlockHandlerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sandlock_handler_get_property;
  object_class->set_property = sandlock_handler_set_property;

  klass->handle = sandlock_handler_real_handle;

  /**
   * SandlockHandler:exception-policy:
   *
   * What answers a syscall when this handler fails. The default,
   * %SANDLOCK_EXCEPTION_POLICY_KILL, fails closed.
   *
   * Since: 1.0
   */
  properties[PROP_EXCEPTION_POLICY] =
    g_param_spec_enum ("exception-policy", NULL, "How a failing handler's syscall is answered",
                       SANDLOCK_TYPE_EXCEPTION_POLICY,
                       SANDLOCK_EXCEPTION_POLICY_KILL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sandlock_handler_init (SandlockHandler *self)
{
}

/**
 * sandlock_handler_handle:
 * @self: a #SandlockHandler
 * @notification: the trapped syscall
 * @error: return location for a #GError, or %NULL
 *
 * Asks @self to decide @notification. The sandbox calls this for every
 * syscall the handler is registered on; applications may call it too, for
 * instance to chain up from a subclass.
 *
 * A %NULL return from the virtual method without an error (what a binding
 * produces when it swallows an exception) is turned into a
 * %SANDLOCK_ERROR_HANDLER_FAILED error, so a failure can never read as
 * "continue".
 *
 * Returns: (transfer full): the action, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockAction *
sandlock_handler_handle (SandlockHandler       *self,
                         SandlockNotification  *notification,
                         GError               **error)
{
  SandlockHandlerClass *klass;
  g_autoptr(GError) local_error = NULL;
  SandlockAction *action;

  g_return_val_if_fail (SANDLOCK_IS_HANDLER (self), NULL);
  g_return_val_if_fail (SANDLOCK_IS_NOTIFICATION (notification), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  klass = SANDLOCK_HANDLER_GET_CLASS (self);
  if (klass->handle == NULL)
    action = sandlock_handler_real_handle (self, notification, &local_error);
  else
    action = klass->handle (self, notification, &local_error);

  if (action != NULL)
    {
      /* An error set along with an action is a handler bug: the action wins. */
      if (local_error != NULL)
        g_debug ("%s returned an action and set an error: %s",
                 G_OBJECT_TYPE_NAME (self), local_error->message);
      return action;
    }

  if (local_error == NULL)
    g_set_error (&local_error, SANDLOCK_ERROR, SANDLOCK_ERROR_HANDLER_FAILED,
                 _("%s returned no action and no error (did a language binding "
                   "swallow an exception?)"), G_OBJECT_TYPE_NAME (self));

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * sandlock_handler_get_exception_policy:
 * @self: a #SandlockHandler
 *
 * Gets #SandlockHandler:exception-policy.
 *
 * Returns: what answers a syscall when this handler fails
 *
 * Since: 1.0
 */
SandlockExceptionPolicy
sandlock_handler_get_exception_policy (SandlockHandler *self)
{
  SandlockHandlerPrivate *priv;

  g_return_val_if_fail (SANDLOCK_IS_HANDLER (self), SANDLOCK_EXCEPTION_POLICY_KILL);

  priv = sandlock_handler_get_instance_private (self);
  return priv->exception_policy;
}

/**
 * sandlock_handler_set_exception_policy:
 * @self: a #SandlockHandler
 * @policy: what answers a syscall when this handler fails
 *
 * Sets #SandlockHandler:exception-policy.
 *
 * Since: 1.0
 */
void
sandlock_handler_set_exception_policy (SandlockHandler         *self,
                                       SandlockExceptionPolicy  policy)
{
  SandlockHandlerPrivate *priv;

  g_return_if_fail (SANDLOCK_IS_HANDLER (self));
  g_return_if_fail (policy >= SANDLOCK_EXCEPTION_POLICY_KILL &&
                    policy <= SANDLOCK_EXCEPTION_POLICY_DENY_EIO);

  priv = sandlock_handler_get_instance_private (self);
  if (priv->exception_policy == policy)
    return;

  priv->exception_policy = policy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCEPTION_POLICY]);
}
