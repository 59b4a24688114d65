/* sandlock-sandbox-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sandlock-sandbox.h"

G_BEGIN_DECLS

void sandlock_sandbox_emit_handler_error (SandlockSandbox      *self,
                                          SandlockHandler      *handler,
                                          SandlockNotification *notification,
                                          const GError         *error);

G_END_DECLS
