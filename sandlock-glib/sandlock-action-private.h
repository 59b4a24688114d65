/* sandlock-action-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sandlock-action.h"
#include "sandlock-handler.h"

G_BEGIN_DECLS

/* The action an exception policy stands for (transfer full). */
SandlockAction *sandlock_action_new_for_policy (SandlockExceptionPolicy policy);

G_END_DECLS
