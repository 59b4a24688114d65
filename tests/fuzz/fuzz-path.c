/* fuzz-path.c: sandlock_parse_path(), which checks fs-readable,
 * fs-writable and cwd entries: it accepts exactly absolute paths to
 * something that exists.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

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
  g_autofree char *path = fuzz_string (data, size);
  g_autoptr(GError) error = NULL;
  struct stat st;
  gboolean exists = g_path_is_absolute (path) && stat (path, &st) == 0;

  if (sandlock_parse_path ("fs-readable", path, &error))
    {
      g_assert_no_error (error);
      g_assert_true (exists);
    }
  else
    {
      g_assert_false (exists);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      /* The message names the property. */
      g_assert_true (g_str_has_prefix (error->message, "fs-readable: "));
    }

  return 0;
}
