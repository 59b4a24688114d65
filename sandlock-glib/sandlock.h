/* sandlock.h: the single header of sandlock-glib
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <gio/gio.h>

#define SANDLOCK_INSIDE
# include "sandlock-version.h"
# include "sandlock-version-macros.h"
# include "sandlock-error.h"
# include "sandlock-protections.h"
# include "sandlock-preset.h"
# include "sandlock-limits.h"
# include "sandlock-action.h"
# include "sandlock-notification.h"
# include "sandlock-handler.h"
# include "sandlock-process.h"
# include "sandlock-result.h"
# include "sandlock-sandbox.h"
# include "sandlock-launcher.h"
# include "sandlock-enum-types.h"
#undef SANDLOCK_INSIDE
