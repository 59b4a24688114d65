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

/* Each test gets a scratch directory, a sandbox that can run the probe,
 * and the result and output of its last run_probe(). */
typedef struct {
  char            *tmpdir;
  SandlockSandbox *sandbox;
  SandlockResult  *result;
  char            *output;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("sandlock-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->sandbox = sandlock_test_sandbox_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  sandlock_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_clear_object (&fixture->sandbox);
  g_clear_object (&fixture->result);
  g_clear_pointer (&fixture->output, g_free);
}

static char *
make_dir (Fixture    *fixture,
          const char *name)
{
  char *path = g_build_filename (fixture->tmpdir, name, NULL);

  g_assert_no_errno (g_mkdir (path, 0755));
  return path;
}

/* Runs the probe with the NULL-terminated commands in the fixture's sandbox;
 * its result and output replace the fixture's. */
static void
run_probe (Fixture *fixture,
           ...) G_GNUC_NULL_TERMINATED;

static void
run_probe (Fixture *fixture,
           ...)
{
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *command;
  va_list args;

  va_start (args, fixture);
  while ((command = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (commands, (char *) command);
  va_end (args);
  g_ptr_array_add (commands, NULL);

  g_clear_object (&fixture->result);
  g_clear_pointer (&fixture->output, g_free);
  fixture->result = sandlock_test_run_probev (fixture->sandbox,
                                              (const char * const *) commands->pdata, &error);
  g_assert_no_error (error);
  fixture->output = sandlock_test_stdout (fixture->result);
}

static void
test_fs_read (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *granted = make_dir (fixture, "granted");
  g_autofree char *hidden = make_dir (fixture, "hidden");
  g_autofree char *granted_file = sandlock_test_make_file (granted, "file", "granted");
  g_autofree char *hidden_file = sandlock_test_make_file (hidden, "file", "hidden");
  g_autofree char *line = NULL;

  sandlock_test_grant (fixture->sandbox, granted, FALSE);
  run_probe (fixture, "read", granted_file, "read", hidden_file, "ls", granted, "ls", "/",
             "read", "/etc/passwd", NULL);

  line = g_strdup_printf ("read %s: ok", granted_file);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("read %s: EACCES", hidden_file);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("ls %s: ok", granted);
  sandlock_test_assert_line (fixture->output, line);
  sandlock_test_assert_line (fixture->output, "ls /: EACCES");
  sandlock_test_assert_line (fixture->output, "read /etc/passwd: EACCES");
  g_assert_true (sandlock_result_get_success (fixture->result));
}

static void
test_fs_write (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *readable = make_dir (fixture, "readable");
  g_autofree char *writable = make_dir (fixture, "writable");
  g_autofree char *existing = sandlock_test_make_file (readable, "existing", "keep me");
  g_autofree char *new_readable = g_build_filename (readable, "new", NULL);
  g_autofree char *new_writable = g_build_filename (writable, "new", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *line = NULL;

  sandlock_test_grant (fixture->sandbox, readable, FALSE);
  sandlock_test_grant (fixture->sandbox, writable, TRUE);
  run_probe (fixture, "write", new_writable, "write", new_readable,
             "write", existing, "truncate", existing, NULL);

  line = g_strdup_printf ("write %s: ok", new_writable);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("write %s: EACCES", new_readable);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("write %s: EACCES", existing);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("truncate %s: EACCES", existing);
  sandlock_test_assert_line (fixture->output, line);

  g_assert_true (g_file_test (new_writable, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (new_readable, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
}

/* inotify works where the command may read: a watch on a granted
 * directory reports the command's own listing (and, when writable, its new
 * file) and is removed with the watch descriptor it got. Elsewhere the
 * inotify guard refuses the watch. */
static void
test_fs_inotify (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *readable = make_dir (fixture, "readable");
  g_autofree char *writable = make_dir (fixture, "writable");
  g_autofree char *hidden = make_dir (fixture, "hidden");
  g_autofree char *line = NULL;

  sandlock_test_grant (fixture->sandbox, readable, FALSE);
  sandlock_test_grant (fixture->sandbox, writable, TRUE);
  run_probe (fixture, "inotify", readable, "inotify", writable, "inotify", hidden, NULL);

  line = g_strdup_printf ("inotify %s: ok open", readable);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("inotify %s: ok open create", writable);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("inotify %s: EACCES", hidden);
  sandlock_test_assert_line (fixture->output, line);
  g_assert_true (sandlock_result_get_success (fixture->result));
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
  g_autofree char *allowed = NULL, *denied = NULL, *line = NULL;
  guint16 allowed_port, denied_port;
  int allowed_fd = sandlock_test_listen_tcp (&allowed_port);
  int denied_fd = sandlock_test_listen_tcp (&denied_port);

  set_ports (fixture->sandbox, FALSE, allowed_port);
  allowed = g_strdup_printf ("%u", allowed_port);
  denied = g_strdup_printf ("%u", denied_port);
  run_probe (fixture, "connect", allowed, "connect", denied, NULL);

  line = g_strdup_printf ("connect %s: ok", allowed);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("connect %s: EACCES", denied);
  sandlock_test_assert_line (fixture->output, line);

  close (allowed_fd);
  close (denied_fd);
}

static void
test_net_bind (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *allowed = NULL, *denied = NULL, *line = NULL;
  guint16 allowed_port, denied_port;
  int fd;

  /* Borrow two free ports from the kernel, then release them. */
  fd = sandlock_test_listen_tcp (&allowed_port);
  close (fd);
  fd = sandlock_test_listen_tcp (&denied_port);
  close (fd);

  set_ports (fixture->sandbox, TRUE, allowed_port);
  allowed = g_strdup_printf ("%u", allowed_port);
  denied = g_strdup_printf ("%u", denied_port);
  run_probe (fixture, "bind", allowed, "bind", denied, NULL);

  line = g_strdup_printf ("bind %s: ok", allowed);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("bind %s: EACCES", denied);
  sandlock_test_assert_line (fixture->output, line);
}

static void
test_net_listen (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *allowed = NULL, *line = NULL;
  g_autofree char *socket_path = g_build_filename (fixture->tmpdir, "server.sock", NULL);
  guint16 allowed_port;
  int fd;

  fd = sandlock_test_listen_tcp (&allowed_port);
  close (fd);
  set_ports (fixture->sandbox, TRUE, allowed_port);
  sandlock_test_grant (fixture->sandbox, fixture->tmpdir, TRUE);
  allowed = g_strdup_printf ("%u", allowed_port);

  /* listen() on an unbound socket would bind an ephemeral port Landlock
   * never sees: refused. A server on its granted port, and one on a unix
   * socket, listen as usual (the supervisor does it on their behalf). */
  run_probe (fixture, "listen-unbound", "serve", allowed, "serve-unix", socket_path,
             "listen-bad-fd", NULL);
  sandlock_test_assert_line (fixture->output, "listen-unbound: EACCES");
  line = g_strdup_printf ("serve %s: ok", allowed);
  sandlock_test_assert_line (fixture->output, line);
  g_free (line);
  line = g_strdup_printf ("serve-unix %s: ok", socket_path);
  sandlock_test_assert_line (fixture->output, line);
  sandlock_test_assert_line (fixture->output, "listen-bad-fd: EBADF");
}

static void
test_net_ungoverned (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *denied = NULL, *line = NULL;
  guint16 denied_port;
  int denied_fd = sandlock_test_listen_tcp (&denied_port);
  struct pollfd pfd = { .fd = denied_fd, .events = POLLIN };

  /* Landlock's port rules see neither a Fast Open connection (made by
   * sendto) nor an MPTCP socket: the filter must refuse both. */
  denied = g_strdup_printf ("%u", denied_port);
  run_probe (fixture, "fastopen", denied, "mptcp-socket", NULL);

  line = g_strdup_printf ("fastopen %s: EOPNOTSUPP", denied);
  sandlock_test_assert_line (fixture->output, line);
  sandlock_test_assert_line (fixture->output, "mptcp-socket: EPROTONOSUPPORT");
  /* Nothing reached the listener. */
  g_assert_cmpint (poll (&pfd, 1, 0), ==, 0);

  close (denied_fd);
}

static void
test_deny_list (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const extra[] = { "umask", NULL };

  run_probe (fixture, "syscall", "mount", "syscall", "ptrace", "syscall", "unshare",
             "syscall", "bpf", "syscall", "shmget", "syscall", "umask", NULL);
  sandlock_test_assert_line (fixture->output, "syscall mount: EPERM");
  sandlock_test_assert_line (fixture->output, "syscall ptrace: EPERM");
  sandlock_test_assert_line (fixture->output, "syscall unshare: EPERM");
  sandlock_test_assert_line (fixture->output, "syscall bpf: EPERM");
  sandlock_test_assert_line (fixture->output, "syscall shmget: EPERM");
  /* Not on the deny list: umask(0) works... */
  sandlock_test_assert_line (fixture->output, "syscall umask: ok");

  /* ...until extra-deny-syscalls names it. */
  sandlock_sandbox_set_extra_deny_syscalls (fixture->sandbox, extra);
  run_probe (fixture, "syscall", "umask", NULL);
  sandlock_test_assert_line (fixture->output, "syscall umask: EPERM");
}

/* A syscall through another ABI than x86-64's, a creat() of a marker in a
 * writable directory (Landlock would let it through): the call must never
 * run. Where the kernel runs that ABI, the filter kills the command with
 * SIGSYS; where the kernel refuses it itself (int 0x80 with IA-32 emulation
 * off), the command dies of that refusal, SIGSEGV, before seccomp sees
 * anything. The machine is probed outside the sandbox first. */
static void
test_foreign_abi_killed (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *abi = data;
  g_autofree char *command = g_strconcat (abi, "-creat", NULL);
  g_autofree char *marker = g_build_filename (fixture->tmpdir, "marker", NULL);
  const char *description = NULL;
  SandlockTestAbi support = sandlock_test_foreign_abi (abi, &description);
  int expected = support == SANDLOCK_TEST_ABI_SIGSEGV ? SIGSEGV : SIGSYS;

  g_test_message ("%s; in the sandbox the command must die of %s", description,
                  expected == SIGSYS ? "the filter's SIGSYS" : "the kernel's SIGSEGV");

  sandlock_test_grant (fixture->sandbox, fixture->tmpdir, TRUE);
  run_probe (fixture, "print", "before", command, marker, NULL);
  g_assert_cmpstr (fixture->output, ==, "before\n");
  g_assert_cmpint (sandlock_result_get_term_signal (fixture->result), ==, expected);
  g_assert_cmpint (sandlock_result_get_exit_status (fixture->result), ==, -1);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
}

static void
test_clone_namespaces (Fixture       *fixture,
                       gconstpointer  data)
{
  run_probe (fixture, "clone-newuser", "clone3", NULL);
  sandlock_test_assert_line (fixture->output, "clone-newuser: EPERM");
  /* ENOSYS, so that the C library falls back to clone, whose flags the
   * filter can see. */
  sandlock_test_assert_line (fixture->output, "clone3: ENOSYS");
}

static void
test_raw_socket (Fixture       *fixture,
                 gconstpointer  data)
{
  run_probe (fixture, "raw-socket", NULL);
  sandlock_test_assert_line (fixture->output, "raw-socket: EPERM");
}

/* On a kernel without MFD_NOEXEC_SEAL (before 6.3) no memfd of the
 * command could be made non-executable for good: the memfd guard answers
 * ENOSYS, and callers fall back to files, which Landlock governs. */
static void
test_memfd_without_noexec_seal (Fixture       *fixture,
                                gconstpointer  data)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* Read once per process, at the first spawn: this one. */
  g_setenv ("SANDLOCK_TEST_DISABLE", "memfd-noexec-seal", TRUE);
  run_probe (fixture, "memfd", NULL);
  sandlock_test_assert_line (fixture->output, "memfd: ENOSYS");
}

/* Runs `sh -c @script` in the fixture's sandbox, in @cwd; returns its
 * stdout, after checking it succeeded and wrote nothing to stderr. */
static char *
run_shell (Fixture    *fixture,
           const char *cwd,
           const char *script)
{
  const char * const argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;

  sandlock_sandbox_set_cwd (fixture->sandbox, cwd);
  g_clear_object (&fixture->result);
  fixture->result = sandlock_sandbox_run (fixture->sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  errors = g_strndup (g_bytes_get_data (sandlock_result_get_stderr (fixture->result), NULL),
                      g_bytes_get_size (sandlock_result_get_stderr (fixture->result)));
  g_assert_cmpstr (errors != NULL ? errors : "", ==, "");
  g_assert_true (sandlock_result_get_success (fixture->result));
  return sandlock_test_stdout (fixture->result);
}

/* What the metadata guard must keep working beneath fs-writable: a build
 * making its outputs executable, touch -d, a tar archive unpacked with its
 * modes and times, chown to oneself, extended attributes where the
 * filesystem has them. */
static void
test_metadata_in_writable (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *work = make_dir (fixture, "work");
  g_autofree char *output = NULL;
  const char *script =
    "set -e\n"
    "printf '#!/bin/sh\\necho built\\n' > tool\n"
    "chmod +x tool\n"
    "./tool\n"
    "touch -d '2001-02-03 04:05:06 UTC' tool\n"
    "stat -c 'mtime %Y' tool\n"
    "mkdir -p src/sub\n"
    "echo data > src/sub/file\n"
    "chmod 0751 src/sub/file\n"
    "touch -d '2002-03-04 05:06:07 UTC' src/sub/file\n"
    "tar -cf tree.tar -C src .\n"
    "mkdir dst\n"
    "tar -xpf tree.tar -C dst\n"
    "stat -c 'unpacked %a %Y' dst/sub/file\n"
    "chown \"$(id -u):$(id -g)\" dst/sub/file\n"
    "echo chowned\n";

  sandlock_test_grant (fixture->sandbox, work, TRUE);
  output = run_shell (fixture, work, script);
  g_assert_cmpstr (output, ==,
                   "built\n"
                   "mtime 981173106\n"
                   "unpacked 751 1015218367\n"
                   "chowned\n");
}

/* A Python program's anonymous shared memory (a memfd written, mapped and
 * read back) works with the memfd guard in place. */
static void
test_python_shared_memory (Fixture       *fixture,
                           gconstpointer  data)
{
  const char * const argv[] = {
    "/usr/bin/python3", "-c",
    "import mmap, os\n"
    "fd = os.memfd_create('shared')\n"
    "os.write(fd, b'hello shared memory')\n"
    "m = mmap.mmap(fd, 19)\n"
    "m[0:5] = b'HELLO'\n"
    "os.lseek(fd, 0, os.SEEK_SET)\n"
    "print(os.read(fd, 19).decode())\n",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("No /usr/bin/python3 on this machine");
      return;
    }
  fixture->result = sandlock_sandbox_run (fixture->sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (fixture->result);
  g_assert_cmpstr (output, ==, "HELLO shared memory\n");
  g_assert_true (sandlock_result_get_success (fixture->result));
}

static void
test_env (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *path_line = g_strdup_printf ("env: PATH=%s", g_getenv ("PATH"));
  const char * const env[] = { "SANDLOCK_TEST_SET=one", "SANDLOCK_TEST_INHERITED=overridden", NULL };

  g_setenv ("SANDLOCK_TEST_INHERITED", "inherited", TRUE);
  g_setenv ("SANDLOCK_TEST_PRIVATE", "secret", TRUE);

  /* Inherited by default. */
  run_probe (fixture, "env", NULL);
  sandlock_test_assert_line (fixture->output, "env: SANDLOCK_TEST_INHERITED=inherited");
  sandlock_test_assert_line (fixture->output, "env: SANDLOCK_TEST_PRIVATE=secret");

  /* env entries override. */
  sandlock_sandbox_set_env (fixture->sandbox, env);
  run_probe (fixture, "env", NULL);
  sandlock_test_assert_line (fixture->output, "env: SANDLOCK_TEST_SET=one");
  sandlock_test_assert_line (fixture->output, "env: SANDLOCK_TEST_INHERITED=overridden");

  /* clean-env keeps PATH (and its documented friends) and the entries. */
  sandlock_sandbox_set_clean_env (fixture->sandbox, TRUE);
  run_probe (fixture, "env", NULL);
  sandlock_test_assert_line (fixture->output, "env: SANDLOCK_TEST_SET=one");
  sandlock_test_assert_line (fixture->output, path_line);
  g_assert_null (strstr (fixture->output, "SANDLOCK_TEST_PRIVATE"));

  /* Exactly the documented variables survive. */
  sandlock_sandbox_set_env (fixture->sandbox, NULL);
  run_probe (fixture, "env", NULL);
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (fixture->output), "\n", -1);
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
  g_autofree char *dir = make_dir (fixture, "work");
  g_autofree char *line = g_strdup_printf ("getcwd: %s", dir);

  g_free (sandlock_test_make_file (dir, "relative-file", ""));
  sandlock_test_grant (fixture->sandbox, dir, FALSE);
  sandlock_sandbox_set_cwd (fixture->sandbox, dir);
  run_probe (fixture, "getcwd", "read", "relative-file", NULL);
  sandlock_test_assert_line (fixture->output, line);
  sandlock_test_assert_line (fixture->output, "read relative-file: ok");
}

static void
test_signal_scope (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *line = g_strdup_printf ("kill %s: EPERM", self);

  /* Signal 0 checks permission only: Landlock's scope refuses it for any
   * process outside the sandbox, the supervisor first. */
  run_probe (fixture, "kill", self, "kill", "1", "kill-parent", NULL);
  sandlock_test_assert_line (fixture->output, line);
  sandlock_test_assert_line (fixture->output, "kill 1: EPERM");
  sandlock_test_assert_line (fixture->output, "kill-parent: EPERM");
}

static void
test_abstract_unix_scope (Fixture       *fixture,
                          gconstpointer  data)
{
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

  run_probe (fixture, "abstract-connect", name, NULL);
  sandlock_test_assert_line (fixture->output, line);
  close (fd);
}

static void
test_process_group (Fixture       *fixture,
                    gconstpointer  data)
{
  run_probe (fixture, "pgid", NULL);
  sandlock_test_assert_line (fixture->output, "pgid: own group");
}

static void
test_only_stdio (Fixture       *fixture,
                 gconstpointer  data)
{
  int leaky;

  /* A descriptor without close-on-exec, as careless applications have. */
  leaky = open ("/dev/null", O_RDONLY);
  g_assert_cmpint (leaky, >=, 0);

  sandlock_test_grant (fixture->sandbox, "/proc", FALSE);
  run_probe (fixture, "fds", NULL);
  sandlock_test_assert_line (fixture->output, "fds: 0 1 2");
  close (leaky);
}

static void
test_no_new_privs (Fixture       *fixture,
                   gconstpointer  data)
{
  sandlock_test_grant (fixture->sandbox, "/proc", FALSE);
  run_probe (fixture, "cat", "/proc/self/status", NULL);
  g_assert_nonnull (strstr (fixture->output, "NoNewPrivs:\t1"));
  g_assert_nonnull (strstr (fixture->output, "Seccomp:\t2"));
}

static void
test_max_open_files (Fixture       *fixture,
                     gconstpointer  data)
{
  sandlock_test_grant (fixture->sandbox, "/proc", FALSE);
  sandlock_sandbox_set_max_open_files (fixture->sandbox, 17);
  run_probe (fixture, "cat", "/proc/self/limits", NULL);
  g_assert_true (g_regex_match_simple ("Max open files +17 +17 ", fixture->output, 0, 0));
}

static void
test_protections (Fixture       *fixture,
                  gconstpointer  data)
{
  SandlockProtections expected = SANDLOCK_PROTECTION_SECCOMP_FILTER;
  int abi = sandlock_test_landlock_abi ();

  /* Every protection the kernel's Landlock has (the library needs them
   * all without best-effort); the lower-ABI tests prove the other
   * direction. */
  if (abi >= 1)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_FS;
  if (abi >= 3)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_FS_TRUNCATE;
  if (abi >= 4)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_NET_TCP;
  if (abi >= 5)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_FS_IOCTL_DEV;
  if (abi >= 6)
    expected |= SANDLOCK_PROTECTION_LANDLOCK_SCOPE_ABSTRACT_UNIX |
                SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL;
  g_test_message ("Landlock ABI %d", abi);

  run_probe (fixture, "print", "hello", NULL);
  g_assert_cmpuint (sandlock_result_get_protections (fixture->result), ==, expected);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/confinement/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("fs/read", test_fs_read);
  ADD ("fs/write", test_fs_write);
  ADD ("fs/inotify", test_fs_inotify);
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
  ADD ("fs/memfd-without-noexec-seal", test_memfd_without_noexec_seal);
  ADD ("fs/metadata-in-writable", test_metadata_in_writable);
  ADD ("fs/python-shared-memory", test_python_shared_memory);
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
