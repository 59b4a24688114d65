/* sr-errno.h: errno names for sandlock-run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int          sr_errno_parse (const char  *text,
                             GError     **error);
const char  *sr_errno_name  (int          value);

G_END_DECLS
