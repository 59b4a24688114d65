/* sandlock-i18n.c: translated messages (see sandlock-i18n-private.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libintl.h>

#include "sandlock-i18n-private.h"

const char *
sandlock_i18n_localedir (void)
{
  const char *test_dir = g_getenv ("SANDLOCK_TEST_LOCALEDIR");

  return test_dir != NULL && *test_dir != '\0' ? test_dir : LOCALEDIR;
}

const char *
sandlock_gettext (const char *msgid)
{
  static gsize bound;

  if (g_once_init_enter (&bound))
    {
      bindtextdomain (GETTEXT_PACKAGE, sandlock_i18n_localedir ());
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&bound, 1);
    }
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}
