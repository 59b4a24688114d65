/* fuzz-syscall-name.c: sandlock_parse_syscall_name(), which reads the
 * syscall names of add_handler() and extra-deny-syscalls, and what
 * add_handler() makes of them: a handler is accepted exactly when the
 * name is known and the syscall may be trapped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <seccomp.h>
#include <stdlib.h>

#include "sandlock-error.h"
#include "sandlock-policy-private.h"
#include "sandlock-sandbox.h"
#include "sandlock-test-handler.h"

#include "fuzz-common.h"

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *name = fuzz_string (data, size);
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) add_error = NULL;
  gboolean added;
  int nr;

  nr = sandlock_parse_syscall_name (name, &error);
  added = sandlock_sandbox_add_handler (sandbox, name, handler, &add_error);

  if (nr >= 0)
    {
      g_autofree char *resolved = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);
      const char *reason = sandlock_syscall_untrappable_reason (nr, NULL);

      g_assert_no_error (error);
      /* libseccomp names every syscall it knows; the library knows a few
       * newer ones by number (sandlock_kernel_syscall_nr(): file_setattr
       * is 469), which libseccomp 2.5.4 cannot name back. */
      if (resolved == NULL)
        g_assert_cmpint (nr, >=, 450);
      g_assert_cmpint (added, ==, reason == NULL);
      if (!added)
        g_assert_error (add_error, SANDLOCK_ERROR, SANDLOCK_ERROR_DENIED_SYSCALL);
    }
  else
    {
      g_assert_cmpint (nr, ==, -1);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL);
      g_assert_false (added);
      g_assert_error (add_error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL);
    }

  return 0;
}
