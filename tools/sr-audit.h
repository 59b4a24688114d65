/* sr-audit.h: the audit log of sandlock-run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sandlock-glib/sandlock.h>

#include "sr-json.h"

G_BEGIN_DECLS

typedef struct _SrAuditLog SrAuditLog;

SrAuditLog          *sr_audit_log_new             (int                    fd,
                                                   gboolean               owns_fd);
void                 sr_audit_log_free            (SrAuditLog            *log);
void                 sr_audit_log_write           (SrAuditLog            *log,
                                                   SrJson                *record);

const char * const  *sr_audit_default_syscalls    (void);
void                 sr_audit_begin_record        (SrJson                *record,
                                                   SandlockNotification  *notification,
                                                   gint64                 real_time);

/* Logs every SandlockSandbox::guard-decision of @sandbox to @log, which
 * must outlive it. */
void                 sr_audit_log_guard_decisions (SrAuditLog          *log,
                                                   SandlockSandbox     *sandbox);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SrAuditLog, sr_audit_log_free)

G_END_DECLS
