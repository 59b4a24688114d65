/* test-confinement.c: what a sandboxed command can and cannot do
 *
 * Every test runs the probe in a real sandbox on the real kernel.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sandlock-test-common.h"

typedef struct {
  char *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("sandlock-test-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sandlock_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static char *
make_dir (Fixture    *fixture,
          const char *name)
{
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_assert_no_errno (g_mkdir (path, 0755));
  return path;
}

#define RUN_PROBE(sandbox, ...) \
  G_STMT_START { \
    g_autoptr(GError) run_error = NULL; \
    g_clear_object (&result); \
    result = sandlock_test_run_probe ((sandbox), &run_error, __VA_ARGS__, NULL); \
    g_assert_no_error (run_error); \
    g_clear_pointer (&output, g_free); \
    output = sandlock_test_stdout (result); \
  } G_STMT_END

static void
test_fs_read (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *granted = make_dir (fixture, "granted");
  g_autofree char *hidden = make_dir (fixture, "hidden");
  g_autofree char *granted_file = sandlock_test_make_file (granted, "file", "granted");
  g_autofree char *hidden_file = sandlock_test_make_file (hidden, "file", "hidden");
  g_autofree char *line = NULL;

  sandlock_test_grant (sandbox, granted, FALSE);
  RUN_PROBE (sandbox, "read", granted_file, "read", hidden_file, "ls", granted, "ls", "/",
             "read", "/etc/passwd");

  line = g_strdup_printf ("read %s: ok", granted_file);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("read %s: EACCES", hidden_file);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("ls %s: ok", granted);
  sandlock_test_assert_line (output, line);
  sandlock_test_assert_line (output, "ls /: EACCES");
  sandlock_test_assert_line (output, "read /etc/passwd: EACCES");
  g_assert_true (sandlock_result_get_success (result));
}

static void
test_fs_write (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *readable = make_dir (fixture, "readable");
  g_autofree char *writable = make_dir (fixture, "writable");
  g_autofree char *existing = sandlock_test_make_file (readable, "existing", "keep me");
  g_autofree char *new_readable = g_build_filename (readable, "new", NULL);
  g_autofree char *new_writable = g_build_filename (writable, "new", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *line = NULL;

  sandlock_test_grant (sandbox, readable, FALSE);
  sandlock_test_grant (sandbox, writable, TRUE);
  RUN_PROBE (sandbox, "write", new_writable, "write", new_readable,
             "write", existing, "truncate", existing);

  line = g_strdup_printf ("write %s: ok", new_writable);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("write %s: EACCES", new_readable);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("write %s: EACCES", existing);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("truncate %s: EACCES", existing);
  sandlock_test_assert_line (output, line);

  g_assert_true (g_file_test (new_writable, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (new_readable, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
}

static void
set_ports (SandlockSandbox *sandbox,
           gboolean         bind,
           guint16          port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);
  const char * const ports[] = { text, NULL };

  if (bind)
    sandlock_sandbox_set_net_bind (sandbox, ports);
  else
    sandlock_sandbox_set_net_connect (sandbox, ports);
}

static void
test_net_connect (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *allowed = NULL, *denied = NULL, *line = NULL;
  guint16 allowed_port, denied_port;
  int allowed_fd = sandlock_test_listen_tcp (&allowed_port);
  int denied_fd = sandlock_test_listen_tcp (&denied_port);

  set_ports (sandbox, FALSE, allowed_port);
  allowed = g_strdup_printf ("%u", allowed_port);
  denied = g_strdup_printf ("%u", denied_port);
  RUN_PROBE (sandbox, "connect", allowed, "connect", denied);

  line = g_strdup_printf ("connect %s: ok", allowed);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("connect %s: EACCES", denied);
  sandlock_test_assert_line (output, line);

  close (allowed_fd);
  close (denied_fd);
}

static void
test_net_bind (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *allowed = NULL, *denied = NULL, *line = NULL;
  guint16 allowed_port, denied_port;
  int fd;

  /* Borrow two free ports from the kernel, then release them. */
  fd = sandlock_test_listen_tcp (&allowed_port);
  close (fd);
  fd = sandlock_test_listen_tcp (&denied_port);
  close (fd);

  set_ports (sandbox, TRUE, allowed_port);
  allowed = g_strdup_printf ("%u", allowed_port);
  denied = g_strdup_printf ("%u", denied_port);
  RUN_PROBE (sandbox, "bind", allowed, "bind", denied);

  line = g_strdup_printf ("bind %s: ok", allowed);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("bind %s: EACCES", denied);
  sandlock_test_assert_line (output, line);
}

static void
test_net_listen (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *allowed = NULL, *line = NULL;
  g_autofree char *socket_path = g_build_filename (fixture->tmpdir, "server.sock", NULL);
  guint16 allowed_port;
  int fd;

  fd = sandlock_test_listen_tcp (&allowed_port);
  close (fd);
  set_ports (sandbox, TRUE, allowed_port);
  sandlock_test_grant (sandbox, fixture->tmpdir, TRUE);
  allowed = g_strdup_printf ("%u", allowed_port);

  /* listen() on an unbound socket would bind an ephemeral port Landlock
   * never sees: refused. A server on its granted port, and one on a unix
   * socket, listen as usual (the supervisor does it on their behalf). */
  RUN_PROBE (sandbox, "listen-unbound", "serve", allowed, "serve-unix", socket_path,
             "listen-bad-fd");
  sandlock_test_assert_line (output, "listen-unbound: EACCES");
  line = g_strdup_printf ("serve %s: ok", allowed);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("serve-unix %s: ok", socket_path);
  sandlock_test_assert_line (output, line);
  sandlock_test_assert_line (output, "listen-bad-fd: EBADF");
}

static void
test_net_ungoverned (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *denied = NULL, *line = NULL;
  guint16 denied_port;
  int denied_fd = sandlock_test_listen_tcp (&denied_port);
  struct pollfd pfd = { .fd = denied_fd, .events = POLLIN };

  /* Landlock's port rules see neither a Fast Open connection (made by
   * sendto) nor an MPTCP socket: the filter must refuse both. */
  denied = g_strdup_printf ("%u", denied_port);
  RUN_PROBE (sandbox, "fastopen", denied, "mptcp-socket");

  line = g_strdup_printf ("fastopen %s: EOPNOTSUPP", denied);
  sandlock_test_assert_line (output, line);
  sandlock_test_assert_line (output, "mptcp-socket: EPROTONOSUPPORT");
  /* Nothing reached the listener. */
  g_assert_cmpint (poll (&pfd, 1, 0), ==, 0);

  close (denied_fd);
}

static void
test_deny_list (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  const char * const extra[] = { "umask", NULL };

  RUN_PROBE (sandbox, "syscall", "mount", "syscall", "ptrace", "syscall", "unshare",
             "syscall", "bpf", "syscall", "shmget", "syscall", "umask");
  sandlock_test_assert_line (output, "syscall mount: EPERM");
  sandlock_test_assert_line (output, "syscall ptrace: EPERM");
  sandlock_test_assert_line (output, "syscall unshare: EPERM");
  sandlock_test_assert_line (output, "syscall bpf: EPERM");
  sandlock_test_assert_line (output, "syscall shmget: EPERM");
  /* Not on the deny list: umask(0) works... */
  sandlock_test_assert_line (output, "syscall umask: ok");

  /* ...until extra-deny-syscalls names it. */
  sandlock_sandbox_set_extra_deny_syscalls (sandbox, extra);
  RUN_PROBE (sandbox, "syscall", "umask");
  sandlock_test_assert_line (output, "syscall umask: EPERM");
}

static void
test_foreign_abi_killed (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *command = data;
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  result = sandlock_test_run_probe (sandbox, &error, "print", "before", command, NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  sandlock_test_assert_line (output, "before");
  g_assert_null (strstr (output, "survived"));
  g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGSYS);
  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, -1);
}

static void
test_clone_namespaces (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  RUN_PROBE (sandbox, "clone-newuser", "clone3");
  sandlock_test_assert_line (output, "clone-newuser: EPERM");
  /* ENOSYS, so that the C library falls back to clone, whose flags the
   * filter can see. */
  sandlock_test_assert_line (output, "clone3: ENOSYS");
}

static void
test_raw_socket (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  RUN_PROBE (sandbox, "raw-socket");
  sandlock_test_assert_line (output, "raw-socket: EPERM");
}

static void
test_env (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *path_line = g_strdup_printf ("env: PATH=%s", g_getenv ("PATH"));
  const char * const env[] = { "SANDLOCK_TEST_SET=one", "SANDLOCK_TEST_INHERITED=overridden", NULL };

  g_setenv ("SANDLOCK_TEST_INHERITED", "inherited", TRUE);
  g_setenv ("SANDLOCK_TEST_PRIVATE", "secret", TRUE);

  /* Inherited by default. */
  RUN_PROBE (sandbox, "env");
  sandlock_test_assert_line (output, "env: SANDLOCK_TEST_INHERITED=inherited");
  sandlock_test_assert_line (output, "env: SANDLOCK_TEST_PRIVATE=secret");

  /* env entries override. */
  sandlock_sandbox_set_env (sandbox, env);
  RUN_PROBE (sandbox, "env");
  sandlock_test_assert_line (output, "env: SANDLOCK_TEST_SET=one");
  sandlock_test_assert_line (output, "env: SANDLOCK_TEST_INHERITED=overridden");

  /* clean-env keeps PATH (and its documented friends) and the entries. */
  sandlock_sandbox_set_clean_env (sandbox, TRUE);
  RUN_PROBE (sandbox, "env");
  sandlock_test_assert_line (output, "env: SANDLOCK_TEST_SET=one");
  sandlock_test_assert_line (output, path_line);
  g_assert_null (strstr (output, "SANDLOCK_TEST_PRIVATE"));

  /* Exactly the documented variables survive. */
  sandlock_sandbox_set_env (sandbox, NULL);
  RUN_PROBE (sandbox, "env");
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (output), "\n", -1);
    const char * const kept[] = { "PATH", "HOME", "USER", "LOGNAME", "TERM", "LANG", NULL };

    for (gsize i = 0; lines[i] != NULL; i++)
      {
        g_auto(GStrv) parts = g_strsplit (lines[i] + strlen ("env: "), "=", 2);

        g_assert_true (g_str_has_prefix (lines[i], "env: "));
        g_assert_true (g_strv_contains (kept, parts[0]));
      }
  }

  g_unsetenv ("SANDLOCK_TEST_INHERITED");
  g_unsetenv ("SANDLOCK_TEST_PRIVATE");
}

static void
test_cwd (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *dir = make_dir (fixture, "work");
  g_autofree char *file = sandlock_test_make_file (dir, "relative-file", "");
  g_autofree char *line = g_strdup_printf ("getcwd: %s", dir);

  sandlock_test_grant (sandbox, dir, FALSE);
  sandlock_sandbox_set_cwd (sandbox, dir);
  RUN_PROBE (sandbox, "getcwd", "read", "relative-file");
  sandlock_test_assert_line (output, line);
  sandlock_test_assert_line (output, "read relative-file: ok");
}

static void
test_signal_scope (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *line = g_strdup_printf ("kill %s: EPERM", self);

  /* Signal 0 checks permission only: Landlock's scope refuses it for any
   * process outside the sandbox, the supervisor first. */
  RUN_PROBE (sandbox, "kill", self, "kill", "1", "kill-parent");
  sandlock_test_assert_line (output, line);
  sandlock_test_assert_line (output, "kill 1: EPERM");
  sandlock_test_assert_line (output, "kill-parent: EPERM");
}

static void
test_abstract_unix_scope (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  g_autofree char *name = g_strdup_printf ("sandlock-test-%d", (int) getpid ());
  g_autofree char *line = g_strdup_printf ("abstract-connect %s: EPERM", name);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t length;
  int fd;

  /* A listener outside the sandbox, which the test itself can reach. */
  strncpy (addr.sun_path + 1, name, sizeof addr.sun_path - 2);
  length = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (name));
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, length));
  g_assert_no_errno (listen (fd, 4));

  RUN_PROBE (sandbox, "abstract-connect", name);
  sandlock_test_assert_line (output, line);
  close (fd);
}

static void
test_process_group (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  RUN_PROBE (sandbox, "pgid");
  sandlock_test_assert_line (output, "pgid: own group");
}

static void
test_only_stdio (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  int leaky;

  /* A descriptor without close-on-exec, as careless applications have. */
  leaky = open ("/dev/null", O_RDONLY);
  g_assert_cmpint (leaky, >=, 0);

  sandlock_test_grant (sandbox, "/proc", FALSE);
  RUN_PROBE (sandbox, "fds");
  sandlock_test_assert_line (output, "fds: 0 1 2");
  close (leaky);
}

static void
test_no_new_privs (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  sandlock_test_grant (sandbox, "/proc", FALSE);
  RUN_PROBE (sandbox, "cat", "/proc/self/status");
  g_assert_nonnull (strstr (output, "NoNewPrivs:\t1"));
  g_assert_nonnull (strstr (output, "Seccomp:\t2"));
}

static void
test_max_open_files (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  sandlock_test_grant (sandbox, "/proc", FALSE);
  sandlock_sandbox_set_max_open_files (sandbox, 17);
  RUN_PROBE (sandbox, "cat", "/proc/self/limits");
  g_assert_true (g_regex_match_simple ("Max open files +17 +17 ", output, 0, 0));
}

static void
test_protections (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  RUN_PROBE (sandbox, "print", "hello");
  /* This machine's kernel has every protection; the lower-ABI test proves
   * the other direction. */
  g_assert_cmpuint (sandlock_result_get_protections (result), ==,
                    SANDLOCK_PROTECTION_SECCOMP_FILTER |
                    SANDLOCK_PROTECTION_LANDLOCK_FS |
                    SANDLOCK_PROTECTION_LANDLOCK_FS_TRUNCATE |
                    SANDLOCK_PROTECTION_LANDLOCK_NET_TCP |
                    SANDLOCK_PROTECTION_LANDLOCK_FS_IOCTL_DEV |
                    SANDLOCK_PROTECTION_LANDLOCK_SCOPE_ABSTRACT_UNIX |
                    SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/confinement/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("fs/read", test_fs_read);
  ADD ("fs/write", test_fs_write);
  ADD ("net/connect", test_net_connect);
  ADD ("net/bind", test_net_bind);
  ADD ("net/listen", test_net_listen);
  ADD ("net/ungoverned-transports", test_net_ungoverned);
  ADD ("seccomp/deny-list", test_deny_list);
  g_test_add ("/confinement/seccomp/i386-int80-killed", Fixture, "int80",
              fixture_setup, test_foreign_abi_killed, fixture_teardown);
  g_test_add ("/confinement/seccomp/x32-killed", Fixture, "x32",
              fixture_setup, test_foreign_abi_killed, fixture_teardown);
  ADD ("seccomp/clone-namespaces", test_clone_namespaces);
  ADD ("seccomp/raw-socket", test_raw_socket);
  ADD ("env", test_env);
  ADD ("cwd", test_cwd);
  ADD ("scope/signal", test_signal_scope);
  ADD ("scope/abstract-unix", test_abstract_unix_scope);
  ADD ("process-group", test_process_group);
  ADD ("only-stdio", test_only_stdio);
  ADD ("no-new-privs", test_no_new_privs);
  ADD ("max-open-files", test_max_open_files);
  ADD ("protections", test_protections);

  return sandlock_test_run ();
}
