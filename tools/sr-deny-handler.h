/* sr-deny-handler.h: a --deny-errno rule
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sandlock-glib/sandlock.h>

#include "sr-audit.h"

G_BEGIN_DECLS

#define SR_TYPE_DENY_HANDLER (sr_deny_handler_get_type ())
G_DECLARE_FINAL_TYPE (SrDenyHandler, sr_deny_handler, SR, DENY_HANDLER, SandlockHandler)

SandlockHandler *sr_deny_handler_new (int          errno_value,
                                      const char  *rule,
                                      SrAuditLog  *log);

G_END_DECLS
