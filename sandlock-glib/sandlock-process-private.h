/* sandlock-process-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sandlock-policy-private.h"
#include "sandlock-process.h"
#include "sandlock-sandbox.h"

G_BEGIN_DECLS

/* Launches @argv under @policy and watches it from the thread-default main
 * context. */
SandlockProcess *sandlock_process_new (SandlockSandbox     *sandbox,
                                       SandlockPolicy      *policy,
                                       const char * const  *argv,
                                       GSubprocessFlags     flags,
                                       GError             **error);

G_END_DECLS
