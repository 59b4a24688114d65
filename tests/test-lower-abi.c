/* test-lower-abi.c: a kernel with an older Landlock, simulated
 *
 * meson runs this program with SANDLOCK_TEST_LANDLOCK_ABI set (to 5, 3 and
 * 0), a test hook that makes the library see at most that ABI. 5 is the
 * last ABI without signal scoping.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandlock-test-common.h"

static int pretended_abi;

static void
test_unsupported_without_best_effort (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { sandlock_test_probe (), "print", "started", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *abi = g_strdup_printf ("Landlock ABI %d", pretended_abi);

  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_null (process);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_UNSUPPORTED);
  /* It names the kernel's ABI and what is missing. */
  g_assert_nonnull (strstr (error->message, abi));
  if (pretended_abi < 4)
    g_assert_nonnull (strstr (error->message, "TCP"));
  g_assert_nonnull (strstr (error->message, "signal scoping"));
}

static void
test_best_effort_skips (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *line = NULL;
  SandlockProtections expected = SANDLOCK_PROTECTION_SECCOMP_FILTER;
  guint16 port;
  int listener = sandlock_test_listen_tcp (&port);

  if (pretended_abi >= 1)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_FS;
  if (pretended_abi >= 3)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_FS_TRUNCATE;
  if (pretended_abi >= 4)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_NET_TCP;
  if (pretended_abi >= 5)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_FS_IOCTL_DEV;

  sandlock_sandbox_set_best_effort (sandbox, TRUE);
  port_text = g_strdup_printf ("%u", port);
  result = sandlock_test_run_probe (sandbox, &error, "connect", port_text,
                                    "read", "/etc/passwd", "syscall", "mount", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  g_assert_cmpuint (sandlock_result_get_protections (result), ==, expected);

  /* Below ABI 4 TCP rules were skipped: a port outside net-connect is
   * reachable. */
  line = g_strdup_printf ("connect %s: %s", port_text, pretended_abi >= 4 ? "EACCES" : "ok");
  sandlock_test_assert_line (output, line);

  /* Whatever is left still holds. */
  if (pretended_abi >= 1)
    sandlock_test_assert_line (output, "read /etc/passwd: EACCES");
  else
    sandlock_test_assert_line (output, "read /etc/passwd: ok");
  sandlock_test_assert_line (output, "syscall mount: EPERM");

  close (listener);
}

static void
test_helper_unsignalable (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  /* Without Landlock's signal scoping the command could kill the helper,
   * and what it started would outlive the sandbox: the deny filter refuses
   * every way to signal the helper, its process group or everyone. The
   * last command would kill the helper for real; the probe dies with it. */
  sandlock_sandbox_set_best_effort (sandbox, TRUE);
  result = sandlock_test_run_probe (sandbox, &error,
                                    "kill-self", "kill-own-group",
                                    "kill-parent", "kill-parent-group", "kill-everyone",
                                    "tkill-parent", "tgkill-parent", "sigqueue-parent",
                                    "pidfd-signal-parent", "join-parent-group",
                                    "setown-parent", "setown-parent-group",
                                    "fiosetown-parent-sigkill", "siocspgrp-parent-sigkill",
                                    "kill-parent-sigkill", "print", "survived", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_false (sandlock_result_get_protections (result) & SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL);

  g_assert_cmpstr (output, ==,
                   "kill-self: ok\n"
                   "kill-own-group: ok\n"
                   "kill-parent: EPERM\n"
                   "kill-parent-group: EPERM\n"
                   "kill-everyone: EPERM\n"
                   "tkill-parent: EPERM\n"
                   "tgkill-parent: EPERM\n"
                   "sigqueue-parent: EPERM\n"
                   "pidfd-signal-parent: ENOSYS\n"
                   "join-parent-group: EPERM\n"
                   "setown-parent: EPERM\n"
                   "setown-parent-group: EPERM\n"
                   "fiosetown-parent-sigkill: EINVAL\n"
                   "siocspgrp-parent-sigkill: EINVAL\n"
                   "kill-parent-sigkill: EPERM\n"
                   "survived\n");
  g_assert_true (sandlock_result_get_success (result));
}

int
main (int argc, char **argv)
{
  const char *pretend = g_getenv ("SANDLOCK_TEST_LANDLOCK_ABI");

  sandlock_test_init (&argc, &argv);

  if (pretend == NULL)
    {
      g_printerr ("test-lower-abi needs SANDLOCK_TEST_LANDLOCK_ABI (meson test sets it)\n");
      return 1;
    }
  pretended_abi = atoi (pretend);

  g_test_add_func ("/lower-abi/unsupported", test_unsupported_without_best_effort);
  g_test_add_func ("/lower-abi/best-effort", test_best_effort_skips);
  g_test_add_func ("/lower-abi/best-effort/helper-unsignalable", test_helper_unsignalable);

  return sandlock_test_run ();
}
