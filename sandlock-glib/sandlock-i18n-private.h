/* sandlock-i18n-private.h: translated messages
 *
 * The library's messages (its GErrors) are in the gettext domain
 * GETTEXT_PACKAGE (sandlock-glib-1), shared with sandlock-run. _() binds
 * the domain on first use, so that no entry point has to.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib/gi18n-lib.h>

G_BEGIN_DECLS

/* Where the catalogues are: LOCALEDIR, or SANDLOCK_TEST_LOCALEDIR (a test
 * hook: the build tree's po/). */
const char *sandlock_i18n_localedir (void);

/* @msgid translated in the library's domain. */
const char *sandlock_gettext        (const char *msgid) G_GNUC_FORMAT (1);

#undef _
#define _(String) sandlock_gettext (String)

G_END_DECLS
