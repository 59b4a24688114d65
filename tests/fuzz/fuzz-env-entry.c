/* fuzz-env-entry.c: sandlock_parse_env_entry(), which reads "KEY=VALUE"
 * entries of the env property, and sandlock_policy_build_envp(), which
 * splits them again to build the command's environment: the two must
 * agree.
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
  g_autofree char *entry = fuzz_string (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (sandlock_parse_env_entry (entry, &key, &value, &error))
    {
      char *entries[] = { entry, NULL };
      SandlockPolicy policy = { .env = entries, .clean_env = TRUE };
      g_autofree char *joined = NULL;
      g_auto(GStrv) envp = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (key), >, 0);
      g_assert_null (strchr (key, '='));
      joined = value != NULL ? g_strconcat (key, "=", value, NULL) : g_strdup (key);
      g_assert_cmpstr (joined, ==, entry);

      /* The command gets exactly the value given, or no such variable. */
      envp = sandlock_policy_build_envp (&policy);
      g_assert_cmpstr (g_environ_getenv (envp, key), ==, value);
    }
  else
    {
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_true (entry[0] == '=' || entry[0] == '\0');
    }

  return 0;
}
