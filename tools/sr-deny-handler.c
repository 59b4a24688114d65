/* sr-deny-handler.c: a --deny-errno rule
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "sr-deny-handler.h"
#include "sr-errno.h"

/* Answers every call of its syscall with an errno. It comes first in the
 * chain, before the audit handler, so a rule wins whatever is audited; the
 * audit handler never sees what it answers, so it logs its own verdict. */
struct _SrDenyHandler
{
  SandlockHandler  parent_instance;

  int              errno_value;
  char            *rule;
  SrAuditLog      *log;   /* nullable, not owned */
};

G_DEFINE_FINAL_TYPE (SrDenyHandler, sr_deny_handler, SANDLOCK_TYPE_HANDLER)

static SandlockAction *
sr_deny_handler_handle (SandlockHandler       *handler,
                        SandlockNotification  *notification,
                        GError               **error)
{
  SrDenyHandler *self = SR_DENY_HANDLER (handler);

  if (self->log != NULL)
    {
      gint64 start = g_get_monotonic_time ();
      const char *name = sr_errno_name (self->errno_value);
      SrJson record;

      sr_audit_begin_record (&record, notification, g_get_real_time ());
      sr_json_add_string (&record, "verdict", "denied by rule", strlen ("denied by rule"));
      if (name != NULL)
        sr_json_add_string (&record, "errno", name, strlen (name));
      else
        sr_json_add_int (&record, "errno", self->errno_value);
      sr_json_add_string (&record, "rule", self->rule, strlen (self->rule));
      sr_json_add_int (&record, "handler_us", g_get_monotonic_time () - start);
      sr_audit_log_write (self->log, &record);
    }

  return sandlock_action_new_errno (self->errno_value);
}

static void
sr_deny_handler_finalize (GObject *object)
{
  SrDenyHandler *self = SR_DENY_HANDLER (object);

  g_free (self->rule);

  G_OBJECT_CLASS (sr_deny_handler_parent_class)->finalize (object);
}

static void
sr_deny_handler_class_init (SrDenyHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sr_deny_handler_finalize;
  SANDLOCK_HANDLER_CLASS (klass)->handle = sr_deny_handler_handle;
}

static void
sr_deny_handler_init (SrDenyHandler *self)
{
}

/* @rule is the option as given, for the log. */
SandlockHandler *
sr_deny_handler_new (int          errno_value,
                     const char  *rule,
                     SrAuditLog  *log)
{
  SrDenyHandler *self;

  g_return_val_if_fail (errno_value > 0 && errno_value < 4096, NULL);

  self = g_object_new (SR_TYPE_DENY_HANDLER, NULL);
  self->errno_value = errno_value;
  self->rule = g_strdup (rule);
  self->log = log;
  return SANDLOCK_HANDLER (self);
}
