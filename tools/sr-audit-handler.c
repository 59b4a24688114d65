/* sr-audit-handler.c: a handler that logs a syscall and lets it through
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "sr-audit-handler.h"

/* The last handler of a syscall's chain: it only sees what every earlier
 * handler (the --deny-errno rules) continued, and continues too, so
 * Landlock and the seccomp filter still decide. */
struct _SrAuditHandler
{
  SandlockHandler  parent_instance;

  SrAuditLog      *log;   /* not owned: it outlives the run */
};

G_DEFINE_FINAL_TYPE (SrAuditHandler, sr_audit_handler, SANDLOCK_TYPE_HANDLER)

static SandlockAction *
sr_audit_handler_handle (SandlockHandler       *handler,
                         SandlockNotification  *notification,
                         GError               **error)
{
  SrAuditHandler *self = SR_AUDIT_HANDLER (handler);
  gint64 start = g_get_monotonic_time ();
  SrJson record;

  sr_audit_begin_record (&record, notification, g_get_real_time ());
  sr_json_add_string (&record, "verdict", "passed to kernel", strlen ("passed to kernel"));
  sr_json_add_int (&record, "handler_us", g_get_monotonic_time () - start);
  sr_audit_log_write (self->log, &record);

  /* Continue whatever the record holds: nothing here is a decision. */
  return sandlock_action_new_continue ();
}

static void
sr_audit_handler_class_init (SrAuditHandlerClass *klass)
{
  SANDLOCK_HANDLER_CLASS (klass)->handle = sr_audit_handler_handle;
}

static void
sr_audit_handler_init (SrAuditHandler *self)
{
  /* An observer fails open: its failure must not change the verdict. */
  sandlock_handler_set_exception_policy (SANDLOCK_HANDLER (self),
                                         SANDLOCK_EXCEPTION_POLICY_CONTINUE);
}

SandlockHandler *
sr_audit_handler_new (SrAuditLog *log)
{
  SrAuditHandler *self = g_object_new (SR_TYPE_AUDIT_HANDLER, NULL);

  self->log = log;
  return SANDLOCK_HANDLER (self);
}
