/* sr-audit-handler.h: a handler that logs a syscall and lets it through
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sandlock-glib/sandlock.h>

#include "sr-audit.h"

G_BEGIN_DECLS

#define SR_TYPE_AUDIT_HANDLER (sr_audit_handler_get_type ())
G_DECLARE_FINAL_TYPE (SrAuditHandler, sr_audit_handler, SR, AUDIT_HANDLER, SandlockHandler)

SandlockHandler *sr_audit_handler_new (SrAuditLog *log);

G_END_DECLS
