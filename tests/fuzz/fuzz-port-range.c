/* fuzz-port-range.c: sandlock_parse_port_range(), which reads
 * net-bind and net-connect entries ("PORT" or "LOW-HIGH").
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "sandlock-error.h"
#include "sandlock-policy-private.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *spec = fuzz_string (data, size);
  g_autoptr(GError) error = NULL;
  guint16 low = 0, high = 0;

  if (sandlock_parse_port_range (spec, &low, &high, &error))
    {
      g_autofree char *written = NULL;
      guint16 low_again = 0, high_again = 0;

      g_assert_no_error (error);
      /* Ports 1 to 65535, in order, from digits and at most one dash. */
      g_assert_cmpuint (low, >=, 1);
      g_assert_cmpuint (low, <=, high);
      g_assert_cmpuint (strspn (spec, "0123456789-"), ==, strlen (spec));
      g_assert_true (strchr (spec, '-') == strrchr (spec, '-'));

      /* What it read reads the same when written back. */
      written = low == high ? g_strdup_printf ("%u", low) : g_strdup_printf ("%u-%u", low, high);
      g_assert_true (sandlock_parse_port_range (written, &low_again, &high_again, NULL));
      g_assert_cmpuint (low_again, ==, low);
      g_assert_cmpuint (high_again, ==, high);
    }
  else
    {
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
    }

  return 0;
}
