/* fuzz-net-rule.c: sandlock_parse_net_rule(), which reads net-allow and
 * net-deny entries ("[udp:]HOST:PORTS").
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <sys/socket.h>
#include <string.h>

#include "sandlock-error.h"
#include "sandlock-net-rules-private.h"

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
  SandlockNetRuleSpec spec;

  if (sandlock_parse_net_rule ("net-allow", entry, &spec, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpuint (spec.port_low, >=, 1);
      g_assert_cmpuint (spec.port_low, <=, spec.port_high);
      g_assert_true (spec.proto == SANDLOCK_NET_TCP || spec.proto == SANDLOCK_NET_UDP);
      if (spec.family == AF_INET)
        g_assert_cmpuint (spec.prefix, <=, 32);
      else if (spec.family == AF_INET6)
        g_assert_cmpuint (spec.prefix, <=, 128);
      else
        g_assert_cmpint (spec.family, ==, AF_UNSPEC);
      /* A hostname is a plain name: nothing a resolver would read as
       * something else. */
      if (spec.hostname != NULL)
        {
          g_assert_cmpint (spec.family, ==, AF_UNSPEC);
          g_assert_cmpuint (strspn (spec.hostname, "abcdefghijklmnopqrstuvwxyz0123456789-._"),
                            ==, strlen (spec.hostname));
        }
      sandlock_net_rule_spec_clear (&spec);
    }
  else
    {
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_true (g_str_has_prefix (error->message, "net-allow: Invalid rule '"));
    }

  return 0;
}
