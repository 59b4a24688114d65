/* test-policy.c: parsing and validating policies
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <unistd.h>

#include "sandlock-policy-private.h"
#include "sandlock-test-common.h"

static void
test_parse_ports (void)
{
  static const struct { const char *spec; guint16 low, high; } good[] = {
    { "80", 80, 80 }, { "1", 1, 1 }, { "65535", 65535, 65535 },
    { "8000-8080", 8000, 8080 }, { "1-65535", 1, 65535 }, { "443-443", 443, 443 },
    { "0080", 80, 80 },
  };
  static const char * const bad[] = {
    "", "0", "65536", "99999999999999999999", "2000-1000", "-", "-5", "5-", "1-2-3",
    "abc", "80a", " 80", "80 ", "+80", "0-10", "10-0", "0x50",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 low = 0, high = 0;

      g_assert_true (sandlock_parse_port_range (good[i].spec, &low, &high, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (low, ==, good[i].low);
      g_assert_cmpuint (high, ==, good[i].high);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 low, high;

      g_assert_false (sandlock_parse_port_range (bad[i], &low, &high, &error));
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

static void
test_parse_env (void)
{
  static const char * const good[][3] = {
    { "A=b", "A", "b" }, { "A=", "A", "" }, { "A==b", "A", "=b" }, { "PATH=/x:/y", "PATH", "/x:/y" },
  };
  static const char * const bad[] = { "A", "", "=b", "=" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *key = NULL, *value = NULL;

      g_assert_true (sandlock_parse_env_entry (good[i][0], &key, &value, NULL));
      g_assert_cmpstr (key, ==, good[i][1]);
      g_assert_cmpstr (value, ==, good[i][2]);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sandlock_parse_env_entry (bad[i], NULL, NULL, &error));
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
    }
}

static void
test_parse_syscall (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sandlock_parse_syscall_name ("openat", NULL), >=, 0);
  g_assert_cmpint (sandlock_parse_syscall_name ("not_a_syscall", &error), ==, -1);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL);
  g_assert_nonnull (strstr (error->message, "not_a_syscall"));
  g_clear_error (&error);
  g_assert_cmpint (sandlock_parse_syscall_name ("", &error), ==, -1);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL);
  g_clear_error (&error);
#if defined(__x86_64__)
  /* A syscall of other architectures only. */
  g_assert_cmpint (sandlock_parse_syscall_name ("socketcall", &error), ==, -1);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL);
#endif
}

typedef struct {
  const char *property;
  const char *value;      /* set as a one-element strv, or a string for cwd */
  const char *named;      /* what the message must name */
} BadPolicy;

static guint
count_children (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%d/children", (int) getpid ());
  g_autofree char *contents = NULL;
  g_auto(GStrv) pids = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  pids = g_strsplit (g_strstrip (contents), " ", -1);
  return *contents == '\0' ? 0 : g_strv_length (pids);
}

static void
test_invalid_policy (gconstpointer data)
{
  const BadPolicy *bad = data;
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { sandlock_test_probe (), "print", "started", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint fds = 0;
  guint children = 0;

  if (g_str_equal (bad->property, "cwd"))
    g_object_set (sandbox, "cwd", bad->value, NULL);
  else
    {
      const char * const strv[] = { bad->value, NULL };

      g_object_set (sandbox, bad->property, strv, NULL);
    }

  /* The second round runs with GLib's lazily created contexts in place:
   * from then on a refused spawn must open nothing. */
  for (int round = 0; round < 2; round++)
    {
      if (round == 1)
        {
          fds = sandlock_test_count_fds ();
          children = count_children ();
        }

      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_null (process);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_nonnull (strstr (error->message, bad->named));
      g_clear_error (&error);

      result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_clear_error (&error);
    }

  /* Nothing was started, nothing is left open. */
  g_assert_cmpuint (count_children (), ==, children);
  sandlock_test_assert_fds (fds);
}

static void
test_inherit_fds_refused (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { sandlock_test_probe (), NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_INHERIT_FDS, &error);
  g_assert_null (process);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_clear_error (&error);

  process = sandlock_sandbox_spawn (sandbox, argv,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                    &error);
  g_assert_null (process);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
}

static void
test_empty_argv (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
}

static void
test_properties (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  const char * const paths[] = { "/usr", NULL };
  g_auto(GStrv) readable = NULL;
  guint timeout = 0, max_deferred = 0;
  gboolean best_effort = TRUE;

  sandbox = g_object_new (SANDLOCK_TYPE_SANDBOX,
                          "fs-readable", paths,
                          "timeout", 5,
                          NULL);
  g_object_get (sandbox,
                "fs-readable", &readable,
                "timeout", &timeout,
                "max-deferred", &max_deferred,
                "best-effort", &best_effort,
                NULL);
  g_assert_cmpstrv (readable, paths);
  g_assert_cmpuint (timeout, ==, 5);
  g_assert_cmpuint (max_deferred, ==, 256);
  g_assert_false (best_effort);
  g_assert_cmpstrv (sandlock_sandbox_get_fs_readable (sandbox), paths);
  g_assert_null (sandlock_sandbox_get_fs_writable (sandbox));
  g_assert_null (sandlock_sandbox_get_cwd (sandbox));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(int *) user_data)++;
}

static void
test_property_notify (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  const char * const ports[] = { "80", NULL };
  int notified = 0;

  g_signal_connect (sandbox, "notify", G_CALLBACK (on_notify), &notified);
  sandlock_sandbox_set_net_connect (sandbox, ports);
  sandlock_sandbox_set_net_connect (sandbox, ports);   /* unchanged: no notify */
  sandlock_sandbox_set_timeout (sandbox, 3);
  sandlock_sandbox_set_timeout (sandbox, 3);
  sandlock_sandbox_set_clean_env (sandbox, TRUE);
  sandlock_sandbox_set_cwd (sandbox, "/tmp");
  sandlock_sandbox_set_cwd (sandbox, "/tmp");
  g_assert_cmpint (notified, ==, 4);
}

static const BadPolicy bad_policies[] = {
  { "fs-readable", "relative/path", "relative/path" },
  { "fs-readable", "/nonexistent/sandlock/path", "/nonexistent/sandlock/path" },
  { "fs-writable", "also/relative", "also/relative" },
  { "fs-writable", "/nonexistent/sandlock/writable", "/nonexistent/sandlock/writable" },
  { "net-bind", "0", "net-bind: Invalid port range '0'" },
  { "net-bind", "65536", "net-bind: Invalid port range '65536'" },
  { "net-connect", "2000-1000", "net-connect: Invalid port range '2000-1000'" },
  { "net-connect", "http", "net-connect: Invalid port range 'http'" },
  { "env", "NO_EQUALS_SIGN", "NO_EQUALS_SIGN" },
  { "env", "=value", "=value" },
  { "extra-deny-syscalls", "not_a_syscall", "not_a_syscall" },
  { "cwd", "relative/cwd", "relative/cwd" },
  { "cwd", "/nonexistent/cwd", "/nonexistent/cwd" },
  { "cwd", "/etc/hostname", "/etc/hostname" },
};

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/policy/parse/ports", test_parse_ports);
  g_test_add_func ("/policy/parse/env", test_parse_env);
  g_test_add_func ("/policy/parse/syscall", test_parse_syscall);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_policies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/policy/invalid/%s/%zu", bad_policies[i].property, i);

      g_test_add_data_func (path, &bad_policies[i], test_invalid_policy);
    }
  g_test_add_func ("/policy/invalid/flags", test_inherit_fds_refused);
  g_test_add_func ("/policy/invalid/empty-argv", test_empty_argv);
  g_test_add_func ("/policy/properties", test_properties);
  g_test_add_func ("/policy/property-notify", test_property_notify);

  return sandlock_test_run ();
}
