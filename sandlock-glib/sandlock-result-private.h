/* sandlock-result-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sandlock-result.h"

G_BEGIN_DECLS

SandlockResult *sandlock_result_new (int                  wait_status,
                                     gboolean             timed_out,
                                     gboolean             output_limit_exceeded,
                                     GBytes              *stdout_buf,
                                     GBytes              *stderr_buf,
                                     SandlockProtections  protections);

/* The limits part of a result, from its process. */
void            sandlock_result_set_limits (SandlockResult               *self,
                                            SandlockLimits                reached,
                                            gboolean                      oom_killed,
                                            const SandlockLimitMechanism  mechanisms[4]);
/* How what was left of the sandbox was killed (see
 * sandlock_process_get_kill_mechanism()). */
void            sandlock_result_set_kill_mechanism (SandlockResult         *self,
                                                    SandlockLimitMechanism  mechanism);

G_END_DECLS
