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

G_END_DECLS
