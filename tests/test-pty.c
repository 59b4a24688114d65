/* test-pty.c: SandlockSandbox:pty, a private pseudo-terminal per command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>

#include "sandlock-test-common.h"

static SandlockSandbox *
pty_sandbox (void)
{
  SandlockSandbox *sandbox = sandlock_sandbox_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM |
                                              SANDLOCK_PRESET_DEVICES, &error));
  g_assert_no_error (error);
  sandlock_sandbox_set_pty (sandbox, TRUE);
  return sandbox;
}

static SandlockProcess *
spawn_sh (SandlockSandbox  *sandbox,
          const char       *script,
          GSubprocessFlags  flags)
{
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  SandlockProcess *process = sandlock_sandbox_spawn (sandbox, argv, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (process);
  return process;
}

static void
write_all (int         fd,
           const char *text)
{
  gsize length = strlen (text);

  while (length > 0)
    {
      ssize_t n = write (fd, text, length);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      text += n;
      length -= (gsize) n;
    }
}

/* Everything the command wrote to its terminal, once every process of the
 * sandbox has gone (then the master reads what is left, then EIO), with
 * the terminal's "\r\n" made "\n". */
static char *
read_until_hangup (int master)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];

  for (;;)
    {
      ssize_t n = read (master, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_assert_cmpint (errno, ==, EIO);
          break;
        }
      if (n == 0)
        break;
      for (ssize_t i = 0; i < n; i++)
        if (buffer[i] != '\r')
          g_string_append_c (text, buffer[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
on_master_readable (int           fd,
                    GIOCondition  condition,
                    gpointer      data)
{
  GString *seen = data;
  char buffer[256];
  ssize_t n = read (fd, buffer, sizeof buffer);

  g_assert_cmpint (n, >, 0);
  g_string_append_len (seen, buffer, n);
  return G_SOURCE_CONTINUE;
}

/* Reads from @master until @text has come, running the main loop
 * meanwhile: the command's trapped syscalls (its forks) wait for it. */
static void
read_until (int         master,
            const char *text)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  guint id = g_unix_fd_add (master, G_IO_IN, on_master_readable, seen);

  while (strstr (seen->str, text) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static char *
pts_name (int master)
{
  unsigned int number = 0;

  g_assert_no_errno (ioctl (master, TIOCGPTN, &number));
  return g_strdup_printf ("/dev/pts/%u", number);
}

/* No descriptor of this process names @path. */
static void
assert_not_open (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (g_strcmp0 (target, path) == 0)
        g_error ("descriptor %s of the application is %s", name, path);
    }
}

static void
test_terminal (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *expected_tty = NULL;
  g_autofree char *name = NULL;
  int master;

  g_assert_true (sandlock_sandbox_get_pty (sandbox));
  process = spawn_sh (sandbox,
                      "test -t 0 && test -t 1 && test -t 2 && echo isatty=yes; "
                      "echo tty=$(tty); "
                      "echo via-dev-tty >/dev/tty; "
                      "read line; echo got=$line",
                      G_SUBPROCESS_FLAGS_NONE);
  master = sandlock_process_get_pty_fd (process);
  g_assert_cmpint (master, >, 2);
  g_assert_cmpint (fcntl (master, F_GETFD), ==, FD_CLOEXEC);
  name = pts_name (master);
  expected_tty = g_strdup_printf ("tty=%s", name);

  /* The terminal side is the command's alone. */
  assert_not_open (name);

  write_all (master, "typed by the application\n");
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);

  output = read_until_hangup (master);
  sandlock_test_assert_line (output, "isatty=yes");
  sandlock_test_assert_line (output, expected_tty);
  sandlock_test_assert_line (output, "via-dev-tty");
  sandlock_test_assert_line (output, "got=typed by the application");
  /* Still the process's until it goes. */
  g_assert_cmpint (sandlock_process_get_pty_fd (process), ==, master);
}

static void
test_off_by_default (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pty = TRUE;

  g_object_get (sandbox, "pty", &pty, NULL);
  g_assert_false (pty);
  g_assert_true (sandlock_sandbox_add_preset (sandbox, SANDLOCK_PRESET_SYSTEM, &error));
  process = spawn_sh (sandbox, "exit 0", G_SUBPROCESS_FLAGS_NONE);
  g_assert_cmpint (sandlock_process_get_pty_fd (process), ==, -1);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
}

/* The window size comes from the application's terminal, and TIOCSWINSZ on
 * the master changes it. */
static void
test_window_size (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  struct winsize ours = { .ws_row = 33, .ws_col = 101 };
  struct winsize resized = { .ws_row = 40, .ws_col = 120 };
  int app_master, app_terminal, saved_stdin;

  /* This test's process gets a terminal of its own as standard input. */
  app_master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (app_master, >=, 0);
  g_assert_no_errno (grantpt (app_master));
  g_assert_no_errno (unlockpt (app_master));
  app_terminal = open (ptsname (app_master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (app_terminal, >=, 0);
  g_assert_no_errno (ioctl (app_master, TIOCSWINSZ, &ours));
  saved_stdin = dup (0);
  g_assert_no_errno (dup2 (app_terminal, 0));

  process = spawn_sh (sandbox, "stty size; read line; stty size", G_SUBPROCESS_FLAGS_NONE);

  g_assert_no_errno (dup2 (saved_stdin, 0));
  close (saved_stdin);
  close (app_terminal);
  close (app_master);

  /* The size it started with, then the size set on the master. */
  read_until (sandlock_process_get_pty_fd (process), "33 101\r\n");
  g_assert_no_errno (ioctl (sandlock_process_get_pty_fd (process), TIOCSWINSZ, &resized));
  write_all (sandlock_process_get_pty_fd (process), "go\n");
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  output = read_until_hangup (sandlock_process_get_pty_fd (process));
  sandlock_test_assert_line (output, "40 120");
}

static void
test_default_size (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int saved[3];
  int null = open ("/dev/null", O_RDWR | O_CLOEXEC);

  /* No terminal among the application's standard streams. */
  g_assert_cmpint (null, >=, 0);
  for (int i = 0; i < 3; i++)
    {
      saved[i] = dup (i);
      g_assert_no_errno (dup2 (null, i));
    }
  process = spawn_sh (sandbox, "stty size", G_SUBPROCESS_FLAGS_NONE);
  for (int i = 0; i < 3; i++)
    {
      g_assert_no_errno (dup2 (saved[i], i));
      close (saved[i]);
    }
  close (null);

  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  output = read_until_hangup (sandlock_process_get_pty_fd (process));
  sandlock_test_assert_line (output, "24 80");
}

/* A stream the spawn sets explicitly is not the terminal; the others are,
 * and the terminal stays the controlling one. */
static void
test_redirected_streams (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_buf = NULL;
  g_autofree char *terminal = NULL;

  process = spawn_sh (sandbox,
                      "test -t 0 && echo stdin=tty; "
                      "test -t 1 || echo stdout=pipe; "
                      "test -t 2 && echo stderr=tty >&2; "
                      "echo controlling >/dev/tty",
                      G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_assert_true (sandlock_process_communicate_utf8 (process, NULL, NULL, &stdout_buf, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (stdout_buf, ==, "stdin=tty\nstdout=pipe\n");
  terminal = read_until_hangup (sandlock_process_get_pty_fd (process));
  g_assert_cmpstr (terminal, ==, "stderr=tty\ncontrolling\n");
}

/* A descriptor a SandlockLauncher sets wins over the terminal. */
static void
test_launcher_stream (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockLauncher) launcher = NULL;
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *terminal = NULL;
  const char *argv[] = { "/bin/sh", "-c", "test -t 1 || echo stdout=given; test -t 0 && echo stdin=tty >&2", NULL };
  int fds[2];
  char buffer[64] = { 0 };
  ssize_t n;

  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  launcher = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);
  sandlock_launcher_take_stdout_fd (launcher, fds[1]);
  process = sandlock_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_clear_object (&launcher);   /* it holds the pipe's write end */
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  n = read (fds[0], buffer, sizeof buffer - 1);
  close (fds[0]);
  g_assert_cmpint (n, >, 0);
  g_assert_cmpstr (buffer, ==, "stdout=given\n");
  terminal = read_until_hangup (sandlock_process_get_pty_fd (process));
  g_assert_cmpstr (terminal, ==, "stdin=tty\n");
}

/* sandlock_sandbox_run() captures the output and keeps the master to
 * itself: standard input is an empty pipe (or the bytes given), /dev/tty
 * the private terminal. */
static void
test_run (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("given\n", 6);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *argv[] = { "/bin/sh", "-c",
                         "test -t 0 || echo stdin=pipe; cat; "
                         "test -t 1 || echo stdout=pipe; echo to-terminal >/dev/tty && echo tty=ok",
                         NULL };

  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "stdin=pipe\nstdout=pipe\ntty=ok\n");
  g_assert_true (sandlock_result_get_success (result));

  g_clear_object (&result);
  g_clear_pointer (&output, g_free);
  result = sandlock_sandbox_run (sandbox, argv, input, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "stdin=pipe\ngiven\nstdout=pipe\ntty=ok\n");
}

/* The first command of a new user, in a terminal. */
static void
test_background_job (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  process = spawn_sh (sandbox, "sh -c 'true >/dev/null 2>&1 &'; echo first=$?; "
                               "true >/dev/null 2>&1 & wait $!; echo status=$?",
                      G_SUBPROCESS_FLAGS_NONE);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  output = read_until_hangup (sandlock_process_get_pty_fd (process));
  sandlock_test_assert_line (output, "first=0");
  sandlock_test_assert_line (output, "status=0");
}

/* The master is the process's and goes with it; the terminal side never
 * stays open in the application. */
static void
test_no_leak (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(GError) error = NULL;
  guint before;

  /* A first spawn, for what GLib and the library open once and keep. */
  {
    g_autoptr(SandlockProcess) warm_up = spawn_sh (sandbox, "exit 0", G_SUBPROCESS_FLAGS_NONE);

    g_assert_true (sandlock_process_wait_check (warm_up, NULL, &error));
  }
  before = sandlock_test_count_fds ();

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(SandlockProcess) process = spawn_sh (sandbox, "echo hello", G_SUBPROCESS_FLAGS_NONE);
      g_autofree char *name = pts_name (sandlock_process_get_pty_fd (process));

      assert_not_open (name);
      g_assert_true (sandlock_process_wait_check (process, NULL, &error));
      g_assert_no_error (error);
    }
  sandlock_test_assert_fds (before);
}

/* The helper (the command's parent, the sandbox's reaper) keeps the
 * command's standard streams at 0, 1 and 2 until the sandbox ends, as it
 * does for pipes; the copy it used to make the terminal the child's
 * controlling one is closed once the child was set up. */
static void
test_helper_holds_nothing (void)
{
  g_autoptr(SandlockSandbox) sandbox = pty_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stat_path = NULL;
  g_autofree char *stat = NULL;
  g_autofree char *fd_dir = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;
  int helper = 0;

  process = spawn_sh (sandbox, "echo ready; read line", G_SUBPROCESS_FLAGS_NONE);
  name = pts_name (sandlock_process_get_pty_fd (process));
  read_until (sandlock_process_get_pty_fd (process), "ready");

  stat_path = g_strdup_printf ("/proc/%d/stat", (int) sandlock_process_get_pid (process));
  g_assert_true (g_file_get_contents (stat_path, &stat, NULL, NULL));
  g_assert_cmpint (sscanf (strrchr (stat, ')') + 2, "%*c %d", &helper), ==, 1);
  g_assert_cmpint (helper, >, 1);
  fd_dir = g_strdup_printf ("/proc/%d/fd", helper);
  dir = g_dir_open (fd_dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (fd_dir, entry, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (atoi (entry) > 2)
        g_assert_cmpstr (target, !=, name);
    }

  write_all (sandlock_process_get_pty_fd (process), "done\n");
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

/* A command that fails to start leaves nothing open either: the exec is
 * denied inside (nothing granted), after the pseudo-terminal was made. */
static void
spawn_failing (SandlockSandbox *sandbox)
{
  const char *argv[] = { "/bin/true", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SandlockProcess) process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sandlock_process_get_pty_fd (process), >, 2);
  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
}

static void
test_failed_exec (void)
{
  g_autoptr(SandlockSandbox) empty = sandlock_sandbox_new ();
  guint before;

  sandlock_sandbox_set_pty (empty, TRUE);
  /* The first compiles the policy, which the sandbox keeps. */
  spawn_failing (empty);
  before = sandlock_test_count_fds ();
  spawn_failing (empty);
  sandlock_test_assert_fds (before);
}

int
main (int   argc,
      char *argv[])
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/pty/terminal", test_terminal);
  g_test_add_func ("/pty/off-by-default", test_off_by_default);
  g_test_add_func ("/pty/window-size", test_window_size);
  g_test_add_func ("/pty/default-size", test_default_size);
  g_test_add_func ("/pty/redirected-streams", test_redirected_streams);
  g_test_add_func ("/pty/launcher-stream", test_launcher_stream);
  g_test_add_func ("/pty/run", test_run);
  g_test_add_func ("/pty/background-job", test_background_job);
  g_test_add_func ("/pty/no-leak", test_no_leak);
  g_test_add_func ("/pty/helper-holds-nothing", test_helper_holds_nothing);
  g_test_add_func ("/pty/failed-exec", test_failed_exec);

  return sandlock_test_run ();
}
