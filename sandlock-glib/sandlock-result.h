/* sandlock-result.h: the outcome of sandlock_sandbox_run()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib-object.h>

#include "sandlock-limits.h"
#include "sandlock-protections.h"
#include "sandlock-version-macros.h"

G_BEGIN_DECLS

#define SANDLOCK_TYPE_RESULT (sandlock_result_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SandlockResult, sandlock_result, SANDLOCK, RESULT, GObject)

SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_result_get_exit_status  (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_result_get_term_signal  (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
GBytes              *sandlock_result_get_stdout       (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
GBytes              *sandlock_result_get_stderr       (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_result_get_timed_out    (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_result_get_success      (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_result_get_output_limit_exceeded (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockProtections  sandlock_result_get_protections  (SandlockResult *self);

SANDLOCK_AVAILABLE_IN_ALL
SandlockLimits         sandlock_result_get_limits_reached  (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean               sandlock_result_get_oom_killed      (SandlockResult *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockLimitMechanism sandlock_result_get_limit_mechanism (SandlockResult *self,
                                                            SandlockLimits  limit);
SANDLOCK_AVAILABLE_IN_ALL
SandlockLimitMechanism sandlock_result_get_kill_mechanism (SandlockResult *self);

G_END_DECLS
