/* fuzz-policy.c: sandlock_policy_compile(), which validates a whole
 * policy (paths, ports, environment entries, syscall names, handlers) and
 * builds its Landlock ruleset and seccomp programs.
 *
 * The input is lines, each a property and a value: "r PATH" (fs-readable),
 * "w PATH" (fs-writable), "b PORTS" (net-bind), "c PORTS" (net-connect),
 * "e KEY=VALUE" (env), "d NAME" (extra-deny-syscalls), "h NAME" (a handler),
 * "x PATH" (cwd). The parsers, each fuzzed alone, predict whether the
 * compiler must accept the policy; it must agree, and an accepted policy
 * must hold what was asked.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "sandlock-error.h"
#include "sandlock-policy-private.h"
#include "sandlock-test-handler.h"

#include "fuzz-common.h"

/* Wider port ranges cost a Landlock rule per port: keep inputs fast. */
#define MAX_RANGE 1024

static SandlockHandler *handler;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_quiet_logs ();
  /* Without a function, the test handler continues. */
  handler = SANDLOCK_HANDLER (sandlock_test_handler_new (NULL, NULL, SANDLOCK_EXCEPTION_POLICY_KILL));
  return 0;
}

typedef struct {
  GPtrArray *readable, *writable, *bind, *connect, *env, *deny;
  GArray    *handlers;
  GArray    *deny_nrs;
  char      *cwd;
  gboolean   valid;
} Parsed;

static void
add_port (Parsed     *parsed,
          GPtrArray  *list,
          const char *value,
          gboolean   *too_wide)
{
  guint16 low, high;

  if (sandlock_parse_port_range (value, &low, &high, NULL))
    *too_wide |= high - low >= MAX_RANGE;
  else
    parsed->valid = FALSE;
  g_ptr_array_add (list, g_strdup (value));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 64);
  Parsed p = { 0 };
  SandlockPolicySpec spec = { .max_deferred = 4 };
  g_autoptr(SandlockPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  gboolean too_wide = FALSE;

  p.readable = g_ptr_array_new_with_free_func (g_free);
  p.writable = g_ptr_array_new_with_free_func (g_free);
  p.bind = g_ptr_array_new_with_free_func (g_free);
  p.connect = g_ptr_array_new_with_free_func (g_free);
  p.env = g_ptr_array_new_with_free_func (g_free);
  p.deny = g_ptr_array_new_with_free_func (g_free);
  p.handlers = g_array_new (FALSE, FALSE, sizeof (SandlockHandlerEntry));
  p.deny_nrs = g_array_new (FALSE, FALSE, sizeof (int));
  p.valid = TRUE;

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *value = line[0] != '\0' && line[1] == ' ' ? line + 2 : NULL;

      if (value == NULL)
        continue;
      switch (line[0])
        {
        case 'r':
        case 'w':
          p.valid &= sandlock_parse_path ("path", value, NULL);
          g_ptr_array_add (line[0] == 'r' ? p.readable : p.writable, g_strdup (value));
          break;
        case 'b':
          add_port (&p, p.bind, value, &too_wide);
          break;
        case 'c':
          add_port (&p, p.connect, value, &too_wide);
          break;
        case 'e':
          p.valid &= sandlock_parse_env_entry (value, NULL, NULL, NULL);
          g_ptr_array_add (p.env, g_strdup (value));
          break;
        case 'd':
          {
            int nr = sandlock_parse_syscall_name (value, NULL);

            if (nr >= 0)
              g_array_append_val (p.deny_nrs, nr);
            else
              p.valid = FALSE;
            g_ptr_array_add (p.deny, g_strdup (value));
          }
          break;
        case 'h':
          {
            /* add_handler() refuses what the deny list always denies;
             * extra-deny-syscalls is the compiler's to catch. */
            SandlockHandlerEntry entry = { sandlock_parse_syscall_name (value, NULL), handler };

            if (entry.syscall_nr >= 0 && sandlock_syscall_untrappable_reason (entry.syscall_nr, NULL) == NULL)
              g_array_append_val (p.handlers, entry);
          }
          break;
        case 'x':
          g_free (p.cwd);
          p.cwd = g_strdup (value);
          break;
        default:
          break;
        }
    }

  if (p.cwd != NULL)
    p.valid &= sandlock_parse_path ("cwd", p.cwd, NULL) && g_file_test (p.cwd, G_FILE_TEST_IS_DIR);
  for (guint i = 0; i < p.handlers->len; i++)
    if (sandlock_syscall_untrappable_reason (g_array_index (p.handlers, SandlockHandlerEntry, i).syscall_nr,
                                             p.deny_nrs) != NULL)
      p.valid = FALSE;

  if (too_wide)
    goto out;

  g_ptr_array_add (p.readable, NULL);
  g_ptr_array_add (p.writable, NULL);
  g_ptr_array_add (p.bind, NULL);
  g_ptr_array_add (p.connect, NULL);
  g_ptr_array_add (p.env, NULL);
  g_ptr_array_add (p.deny, NULL);
  spec.fs_readable = (const char * const *) p.readable->pdata;
  spec.fs_writable = (const char * const *) p.writable->pdata;
  spec.net_bind = (const char * const *) p.bind->pdata;
  spec.net_connect = (const char * const *) p.connect->pdata;
  spec.env = (const char * const *) p.env->pdata;
  spec.extra_deny_syscalls = (const char * const *) p.deny->pdata;
  spec.cwd = p.cwd;
  spec.handlers = p.handlers;

  policy = sandlock_policy_compile (&spec, &error);
  if (policy != NULL)
    {
      g_auto(GStrv) envp = NULL;

      g_assert_no_error (error);
      g_assert_true (p.valid);
      g_assert_true (policy->protections & SANDLOCK_PROTECTION_SECCOMP_FILTER);
      g_assert_cmpuint (policy->deny_program.len, >, 0);
      g_assert_cmpuint (policy->notify_program.len, >, 0);
      for (guint i = 0; i < p.handlers->len; i++)
        {
          int nr = g_array_index (p.handlers, SandlockHandlerEntry, i).syscall_nr;

          g_assert_nonnull (sandlock_policy_get_chain (policy, nr));
        }
      envp = sandlock_policy_build_envp (policy);
      g_assert_nonnull (envp);
    }
  else
    {
      g_assert_false (p.valid);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SANDLOCK_ERROR);
      g_assert_true (error->code == SANDLOCK_ERROR_INVALID_POLICY ||
                     error->code == SANDLOCK_ERROR_DENIED_SYSCALL);
    }

out:
  g_ptr_array_unref (p.readable);
  g_ptr_array_unref (p.writable);
  g_ptr_array_unref (p.bind);
  g_ptr_array_unref (p.connect);
  g_ptr_array_unref (p.env);
  g_ptr_array_unref (p.deny);
  g_array_unref (p.handlers);
  g_array_unref (p.deny_nrs);
  g_free (p.cwd);
  return 0;
}
