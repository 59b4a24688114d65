/* test-policy.c: parsing and validating policies
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-test-common.h"
#include "sandlock-test-handler.h"

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
  static const char * const bad[] = { "", "=b", "=" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *key = NULL, *value = NULL;

      g_assert_true (sandlock_parse_env_entry (good[i][0], &key, &value, NULL));
      g_assert_cmpstr (key, ==, good[i][1]);
      g_assert_cmpstr (value, ==, good[i][2]);
    }

  /* A name alone removes the variable. */
  {
    g_autofree char *key = NULL, *value = NULL;
    const char * const entries[] = { "SANDLOCK_A=1", "SANDLOCK_B=2", "SANDLOCK_A", NULL };
    g_auto(GStrv) envp = g_environ_setenv (NULL, "SANDLOCK_A", "0", TRUE);

    g_assert_true (sandlock_parse_env_entry ("A", &key, &value, NULL));
    g_assert_cmpstr (key, ==, "A");
    g_assert_null (value);
    envp = sandlock_environ_apply (g_steal_pointer (&envp), entries);
    g_assert_null (g_environ_getenv (envp, "SANDLOCK_A"));
    g_assert_cmpstr (g_environ_getenv (envp, "SANDLOCK_B"), ==, "2");
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
  /* Newer than the libseccomp of Debian 12, by their numbers. */
  g_assert_cmpint (sandlock_parse_syscall_name ("fchmodat2", NULL), ==, 452);
  g_assert_cmpint (sandlock_parse_syscall_name ("file_setattr", NULL), ==, 469);
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

/* An unknown name in extra-deny-syscalls is one error, wherever the list is
 * read: the spawn, the run and sandlock_sandbox_add_handler() report it
 * alike, and the handler is not registered. */
static void
test_unknown_extra_deny_everywhere (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (NULL, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  const char * const argv[] = { sandlock_test_probe (), "print", "started", NULL };
  const char * const bad[] = { "umask", "not_a_syscall", NULL };
  const char * const good[] = { "umask", NULL };
  /* Trappable, denied by the table, denied by the list. */
  const char * const handled[] = { "getppid", "mount", "umask" };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) spawn_error = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_set_extra_deny_syscalls (sandbox, bad);

  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &spawn_error);
  g_assert_null (process);
  g_assert_error (spawn_error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_cmpstr (spawn_error->message, ==,
                   "extra-deny-syscalls: Unknown syscall 'not_a_syscall' on this architecture");
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &run_error);
  g_assert_null (result);
  g_assert_error (run_error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_cmpstr (run_error->message, ==, spawn_error->message);

  /* The policy's error comes first, as in the spawn, whatever the handler's
   * syscall. */
  for (gsize i = 0; i < G_N_ELEMENTS (handled); i++)
    {
      g_assert_false (sandlock_sandbox_add_handler (sandbox, handled[i],
                                                    SANDLOCK_HANDLER (handler), &error));
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_cmpstr (error->message, ==, spawn_error->message);
      g_clear_error (&error);
    }
  g_assert_false (sandlock_sandbox_add_handler_nr (sandbox, SYS_getppid,
                                                   SANDLOCK_HANDLER (handler), &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_clear_error (&error);

  /* With the list fixed, the handler was never registered: the command
   * runs its own getppid(). */
  sandlock_sandbox_set_extra_deny_syscalls (sandbox, good);
  result = sandlock_test_run_probe (sandbox, &error, "getppid", NULL);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (handler->calls, ==, 0);
  g_clear_object (&result);

  /* And the same list now refuses the handler because of what it denies. */
  g_assert_false (sandlock_sandbox_add_handler (sandbox, "umask", SANDLOCK_HANDLER (handler), &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_DENIED_SYSCALL);
  g_assert_cmpstr (error->message, ==, "Cannot trap syscall 'umask': it is in extra-deny-syscalls");
  g_clear_error (&error);
}

/* The trap check, one for add_handler() and the compiler: a handler added
 * before the syscall was denied fails the spawn with add_handler()'s
 * words. */
static void
test_untrappable_same_words (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (NULL, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  const char * const argv[] = { sandlock_test_probe (), "print", "started", NULL };
  const char * const extra[] = { "getppid", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) add_error = NULL;

  g_assert_true (sandlock_sandbox_add_handler (sandbox, "getppid", SANDLOCK_HANDLER (handler), &error));
  g_assert_no_error (error);
  sandlock_sandbox_set_extra_deny_syscalls (sandbox, extra);
  g_assert_null (sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_DENIED_SYSCALL);
  g_assert_false (sandlock_sandbox_add_handler (sandbox, "getppid", SANDLOCK_HANDLER (handler), &add_error));
  g_assert_error (add_error, SANDLOCK_ERROR, SANDLOCK_ERROR_DENIED_SYSCALL);
  g_assert_cmpstr (error->message, ==, add_error->message);
}

/* Which syscalls refuse a handler: those the deny table refuses whatever
 * the arguments, in every program, and exit and exit_group. */
static void
test_untrappable_syscalls (void)
{
  static const struct { const char *name; const char *reason; } untrappable[] = {
    { "mount", "it is on the sandbox's deny list" },
    { "mq_unlink", "it is on the sandbox's deny list" },
    { "semtimedop", "it is on the sandbox's deny list" },
    { "clone3", "the filter always answers it ENOSYS so that the C library falls back to clone" },
    { "exit", "a process must always be able to exit" },
    { "exit_group", "a process must always be able to exit" },
  };
  /* Refused for some arguments only, or only without signal scoping. */
  static const char * const trappable[] = {
    "clone", "ioctl", "prctl", "prlimit64", "socket", "sendto", "sendmsg", "sendmmsg",
    "kill", "tkill", "tgkill", "setpgid", "fcntl", "pidfd_send_signal", "openat", "umask",
  };
  g_autoptr(GArray) extra = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "umask", "getppid", NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (untrappable); i++)
    {
      int nr = seccomp_syscall_resolve_name (untrappable[i].name);

      g_assert_cmpint (nr, >=, 0);
      g_assert_cmpstr (sandlock_syscall_untrappable_reason (nr, NULL), ==, untrappable[i].reason);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (trappable); i++)
    {
      int nr = seccomp_syscall_resolve_name (trappable[i]);

      g_assert_cmpint (nr, >=, 0);
      g_assert_null (sandlock_syscall_untrappable_reason (nr, NULL));
      g_assert_true (sandlock_check_trappable (nr, NULL, &error));
      g_assert_no_error (error);
    }

  extra = sandlock_resolve_extra_deny (names, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (extra->len, ==, 2);
  g_assert_cmpint (g_array_index (extra, int, 0), ==, SYS_umask);
  g_assert_cmpint (g_array_index (extra, int, 1), ==, SYS_getppid);
  g_assert_cmpstr (sandlock_syscall_untrappable_reason (SYS_umask, extra), ==,
                   "it is in extra-deny-syscalls");
  g_assert_false (sandlock_check_trappable (SYS_getppid, extra, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_DENIED_SYSCALL);
  g_assert_cmpstr (error->message, ==, "Cannot trap syscall 'getppid': it is in extra-deny-syscalls");
  g_clear_error (&error);
  g_clear_pointer (&extra, g_array_unref);

  extra = sandlock_resolve_extra_deny (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (extra->len, ==, 0);
}

/* Reads the names of the list "Answered `EPERM`, whatever the arguments" of
 * docs/policy.md. */
static GPtrArray *
documented_deny_list (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "policy.md", NULL);
  g_autofree char *contents = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *start, *end;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *list = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  start = strstr (contents, "Answered `EPERM`, whatever the arguments");
  g_assert_nonnull (start);
  end = strstr (start, "- and `extra-deny-syscalls`.");
  g_assert_nonnull (end);
  list = g_strndup (start, (gsize) (end - start));

  regex = g_regex_new ("`([a-z0-9_]+)`", 0, 0, NULL);
  g_regex_match (regex, list, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    g_ptr_array_add (names, g_match_info_fetch (match, 1));
  return names;
}

/* docs/policy.md lists exactly the syscalls the deny table refuses
 * whatever their arguments (clone3, ENOSYS, is in its own table). */
static void
test_documented_deny_list (void)
{
  g_autoptr(GPtrArray) documented = documented_deny_list ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_numbers = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint denied = 0;

  g_assert_cmpuint (documented->len, >, 50);
  for (guint i = 0; i < documented->len; i++)
    {
      const char *name = g_ptr_array_index (documented, i);
      /* Syscalls newer than libseccomp (file_setattr) included. */
      int nr = sandlock_kernel_syscall_nr (name);

      g_assert_true (g_hash_table_add (seen, (gpointer) name));
      /* Names that do not exist on the architecture are skipped. */
      if (nr < 0)
        continue;
      g_hash_table_add (seen_numbers, GINT_TO_POINTER (nr));
      if (g_strcmp0 (sandlock_syscall_untrappable_reason (nr, NULL),
                     "it is on the sandbox's deny list") != 0)
        g_error ("docs/policy.md lists '%s', which the deny table does not refuse "
                 "whatever the arguments", name);
    }

  /* Every syscall number this architecture has, the other way round. */
  for (int nr = 0; nr < 1024; nr++)
    {
      g_autofree char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);

      if (g_strcmp0 (sandlock_syscall_untrappable_reason (nr, NULL),
                     "it is on the sandbox's deny list") != 0)
        continue;
      denied++;
      if (!g_hash_table_contains (seen_numbers, GINT_TO_POINTER (nr)))
        g_error ("The deny table refuses '%s' (%d), which docs/policy.md does not list",
                 name != NULL ? name : "a syscall newer than libseccomp", nr);
    }
  g_assert_cmpuint (denied, >, 50);
}

/* sandlock_memfd_new_sealed(): the content, from its start, sealed, above
 * standard I/O. */
static void
test_memfd_new_sealed (void)
{
  static const char content[] = "sealed content\n";
  const guint seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
  sandlock_autofd int fd = -1;
  sandlock_autofd int empty = -1;
  g_autoptr(GError) error = NULL;
  char buffer[64] = { 0 };

  fd = sandlock_memfd_new_sealed ("sandlock-test", content, strlen (content), MFD_CLOEXEC,
                                  seals, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >, 2);
  g_assert_cmpint (fcntl (fd, F_GETFD), ==, FD_CLOEXEC);
  g_assert_cmpint (fcntl (fd, F_GET_SEALS), ==, seals);
  g_assert_cmpint (read (fd, buffer, sizeof buffer), ==, (int) strlen (content));
  g_assert_cmpstr (buffer, ==, content);
  g_assert_cmpint (write (fd, "x", 1), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);

  empty = sandlock_memfd_new_sealed ("sandlock-test", NULL, 0, MFD_CLOEXEC | MFD_EXEC,
                                     F_SEAL_SEAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (empty, >, 2);
  g_assert_cmpint (read (empty, buffer, sizeof buffer), ==, 0);

  /* A failure sets errno and the error: unknown seals. */
  g_assert_cmpint (sandlock_memfd_new_sealed ("sandlock-test", content, 1, MFD_CLOEXEC,
                                              0x40000000, &error), ==, -1);
  g_assert_cmpint (errno, ==, EINVAL);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "sandlock-test"));
  g_assert_nonnull (strstr (error->message, "F_ADD_SEALS"));
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
  { "env", "", "entry ''" },
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
  g_test_add_func ("/policy/invalid/extra-deny-everywhere", test_unknown_extra_deny_everywhere);
  g_test_add_func ("/policy/untrappable/syscalls", test_untrappable_syscalls);
  g_test_add_func ("/policy/untrappable/same-words", test_untrappable_same_words);
  g_test_add_func ("/policy/deny-list/documented", test_documented_deny_list);
  g_test_add_func ("/policy/memfd-sealed", test_memfd_new_sealed);
  g_test_add_func ("/policy/invalid/flags", test_inherit_fds_refused);
  g_test_add_func ("/policy/invalid/empty-argv", test_empty_argv);
  g_test_add_func ("/policy/properties", test_properties);
  g_test_add_func ("/policy/property-notify", test_property_notify);

  return sandlock_test_run ();
}
