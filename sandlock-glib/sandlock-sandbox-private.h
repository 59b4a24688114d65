/* sandlock-sandbox-private.h: what SandlockLauncher needs of a sandbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sandlock-policy-private.h"
#include "sandlock-sandbox.h"

G_BEGIN_DECLS

/* Everything a spawn of @argv with @flags checks before launching: an
 * argv, flags that do not conflict, the sandbox's policy (compiled and
 * cached). Returns the policy, or NULL with @error set. */
SandlockPolicy *sandlock_sandbox_prepare_spawn (SandlockSandbox     *self,
                                                const char * const  *argv,
                                                GSubprocessFlags     flags,
                                                GError             **error);

G_END_DECLS
