/* test-process.c: process lifetime: timeouts, kills, exec failures, fds
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <gio/gunixoutputstream.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-kernel-private.h"
#include "sandlock-test-common.h"
#include "sandlock-test-handler.h"

static char *
pid_from_line (const char *line,
               const char *prefix,
               GPid       *pid)
{
  g_assert_true (g_str_has_prefix (line, prefix));
  *pid = (GPid) g_ascii_strtoll (line + strlen (prefix), NULL, 10);
  g_assert_cmpint (*pid, >, 1);
  return g_strdup (line);
}

static void
test_timeout_keeps_output (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  sandlock_sandbox_set_timeout (sandbox, 1);
  result = sandlock_test_run_probe (sandbox, &error, "print", "before the timeout",
                                    "stderr", "on stderr too", "sleep", "600", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  g_assert_true (sandlock_result_get_timed_out (result));
  g_assert_false (sandlock_result_get_success (result));
  g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGKILL);
  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, -1);
  sandlock_test_assert_line (output, "before the timeout");
  g_assert_cmpmem (g_bytes_get_data (sandlock_result_get_stderr (result), NULL),
                   g_bytes_get_size (sandlock_result_get_stderr (result)),
                   "on stderr too\n", strlen ("on stderr too\n"));
}

static void
test_timeout_wait_check (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "sleep", "600", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_set_timeout (sandbox, 1);
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE, commands);
  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_TIMED_OUT);
  g_assert_true (sandlock_process_get_timed_out (process));
}

/* The deadline never fires early: the command is killed no sooner than
 * the timeout after the spawn began (a bound that holds however slow the
 * machine is: the deadline counts from after the spawn started). */
static void
test_timeout_never_early (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "sleep", "600", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  sandlock_sandbox_set_timeout (sandbox, 1);
  start = g_get_monotonic_time ();
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE, commands);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_true (sandlock_process_get_timed_out (process));
  g_test_message ("killed %" G_GINT64_FORMAT " us after the spawn began", elapsed);
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC);
}

/* The deadline holds while the application runs no main loop at all: the
 * first process dies although nothing iterates the context it was spawned
 * on, and only then does the context learn of the timeout. */
static void
test_timeout_main_loop_blocked (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "sleep", "600", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  struct pollfd pfd = { .events = POLLIN };
  int rc;

  sandlock_sandbox_set_timeout (sandbox, 1);
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE, commands);
  pfd.fd = sandlock_sys_pidfd_open (sandlock_process_get_pid (process), 0);
  g_assert_cmpint (pfd.fd, >=, 0);

  /* Blocked in poll(): no context of this thread runs. */
  while ((rc = poll (&pfd, 1, SANDLOCK_TEST_HANG_SECONDS * 1000)) < 0 && errno == EINTR)
    ;
  g_assert_cmpint (rc, ==, 1);
  g_assert_false (sandlock_process_get_has_exited (process));
  close (pfd.fd);

  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sandlock_process_get_timed_out (process));
  g_assert_true (sandlock_process_get_if_signaled (process));
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);
}

/* A command that ends by itself before its deadline did not time out. */
static void
test_timeout_not_reached (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_set_timeout (sandbox, 600);
  result = sandlock_test_run_probe (sandbox, &error, "exit", "3", NULL);
  g_assert_no_error (error);
  g_assert_false (sandlock_result_get_timed_out (result));
  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, 3);
}

static void
test_force_exit_reaches_grandchild (gconstpointer data)
{
  const char *mode = data;
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const plain[] = { "grandchild", "print", "ready", "sleep", "600", NULL };
  const char * const daemon[] = { "grandchild", "setsid", "print", "ready", "sleep", "600", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *ready = NULL;
  GPid child, grandchild;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                        g_str_equal (mode, "setsid") ? daemon : plain);
  line = sandlock_test_read_line (process);
  g_free (pid_from_line (line, "grandchild: ", &grandchild));
  ready = sandlock_test_read_line (process);
  g_assert_cmpstr (ready, ==, "ready");
  child = sandlock_process_get_pid (process);
  g_assert_false (sandlock_test_pid_gone (grandchild));

  sandlock_process_force_exit (process);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);

  /* When the wait returns, the helper has killed and reaped everything. */
  g_assert_true (sandlock_process_get_if_signaled (process));
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);
  g_assert_true (sandlock_test_pid_gone (child));
  g_assert_true (sandlock_test_pid_gone (grandchild));
}

static void
test_leftovers_killed_at_exit (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "grandchild", "setsid", "exit", "0", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GPid daemon_pid;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  line = sandlock_test_read_line (process);
  g_free (pid_from_line (line, "grandchild: ", &daemon_pid));

  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  /* The first process exited normally; the daemon it left is gone too. */
  g_assert_true (sandlock_test_pid_gone (daemon_pid));
}

static void
test_finalize_kills (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "grandchild", "print", "ready", "sleep", "600", NULL };
  SandlockProcess *process;
  g_autofree char *line = NULL;
  g_autofree char *ready = NULL;
  GPid child, grandchild;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  line = sandlock_test_read_line (process);
  g_free (pid_from_line (line, "grandchild: ", &grandchild));
  ready = sandlock_test_read_line (process);
  child = sandlock_process_get_pid (process);

  g_object_unref (process);

  /* The child watch stays attached to reap the helper. */
  sandlock_test_wait_pid_gone (NULL, child);
  sandlock_test_wait_pid_gone (NULL, grandchild);
}

static void
test_send_signal (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "print", "ready", "sleep", "600", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *identifier = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  ready = sandlock_test_read_line (process);
  identifier = g_strdup_printf ("%d", (int) sandlock_process_get_pid (process));
  g_assert_cmpstr (sandlock_process_get_identifier (process), ==, identifier);
  sandlock_process_send_signal (process, SIGTERM);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_true (sandlock_process_get_if_signaled (process));
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGTERM);
  g_assert_null (sandlock_process_get_identifier (process));

  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED);
  g_clear_error (&error);
}

static void
test_exit_status (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const fail[] = { "exit", "3", NULL };
  const char * const succeed[] = { "exit", "0", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE, fail);
  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 3);
  g_clear_error (&error);
  g_assert_true (sandlock_process_get_has_exited (process));
  g_assert_true (sandlock_process_get_if_exited (process));
  g_assert_cmpint (sandlock_process_get_exit_status (process), ==, 3);
  g_assert_false (sandlock_process_get_successful (process));
  g_clear_object (&process);

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE, succeed);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sandlock_process_get_successful (process));
}

static void
test_communicate (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "stdin", "stderr", "to stderr", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("hello sandbox", 13);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_test_spawn_probev (sandbox,
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE, commands);
  g_assert_true (sandlock_process_communicate (process, input, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                   "stdin: hello sandbox (13 bytes)\n", 32);
  g_assert_cmpmem (g_bytes_get_data (err, NULL), g_bytes_get_size (err), "to stderr\n", 10);
}

static void
test_stderr_merge (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "print", "out", "stderr", "err", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                        commands);
  g_assert_true (sandlock_process_communicate (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_null (err);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "out\nerr\n", 8);
}

static void
test_exec_missing (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { "/nonexistent/program", NULL };
  const char * const by_name[] = { "no-such-program-anywhere", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  guint fds = 0;

  for (int i = 0; i < 3; i++)
    {
      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_null (process);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
      g_assert_nonnull (strstr (error->message, "/nonexistent/program"));
      g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
      g_clear_error (&error);

      process = sandlock_sandbox_spawn (sandbox, by_name, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
      g_assert_nonnull (strstr (error->message, "no-such-program-anywhere"));
      g_clear_error (&error);

      /* The first round compiles and caches the policy (its Landlock
       * ruleset is a descriptor); later failures must add nothing. */
      if (i == 0)
        fds = sandlock_test_count_fds ();
      else
        sandlock_test_assert_fds (fds);
    }
}

static void
test_exec_denied_by_landlock (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  const char * const system_only[] = { "/usr", "/lib", "/lib64", "/bin", NULL };
  const char * const argv[] = { sandlock_test_probe (), "print", "should not run", NULL };
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;

  /* The probe's directory is not granted: the kernel refuses the exec. */
  sandlock_sandbox_set_fs_readable (sandbox, system_only);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
  g_assert_nonnull (strstr (error->message, sandlock_test_probe ()));
  g_assert_nonnull (strstr (error->message, g_strerror (EACCES)));
  g_clear_error (&error);

  /* Waiting reports it too, never a bare 127. */
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_false (sandlock_process_wait (process, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
  g_clear_error (&error);
  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
}

typedef struct {
  GMainLoop      *loop;
  int             pending;
  SandlockResult *results[2];
} Concurrent;

static void
on_concurrent_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Concurrent *state = user_data;
  g_autoptr(GError) error = NULL;
  SandlockResult *r = sandlock_sandbox_run_finish (SANDLOCK_SANDBOX (source), result, &error);

  g_assert_no_error (error);
  state->results[g_object_get_data (source, "index") != NULL] = r;
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

static void
test_run_async_concurrent (void)
{
  g_autoptr(SandlockSandbox) first = sandlock_test_sandbox_new ();
  g_autoptr(SandlockSandbox) second = sandlock_test_sandbox_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const char * const argv_first[] = { sandlock_test_probe (), "sleep", "0.2", "print", "first", NULL };
  const char * const argv_second[] = { sandlock_test_probe (), "print", "second", "sleep", "0.2", NULL };
  Concurrent state = { loop, 2, { NULL, NULL } };
  g_autofree char *out0 = NULL, *out1 = NULL;

  g_object_set_data (G_OBJECT (second), "index", GINT_TO_POINTER (1));
  sandlock_sandbox_run_async (first, argv_first, NULL, NULL, on_concurrent_done, &state);
  sandlock_sandbox_run_async (second, argv_second, NULL, NULL, on_concurrent_done, &state);
  g_main_loop_run (loop);

  out0 = sandlock_test_stdout (state.results[0]);
  out1 = sandlock_test_stdout (state.results[1]);
  g_assert_cmpstr (out0, ==, "first\n");
  g_assert_cmpstr (out1, ==, "second\n");
  g_object_unref (state.results[0]);
  g_object_unref (state.results[1]);
}

static void
on_cancel_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  g_assert_null (sandlock_sandbox_run_finish (SANDLOCK_SANDBOX (source), result, error));
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_run_cancelled (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char * const argv[] = { sandlock_test_probe (), "getpid", "sleep", "600", NULL };
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_run_async (sandbox, argv, NULL, cancellable, on_cancel_done, &error);
  g_timeout_add (100, cancel_soon, cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
write_marker (int signal_num)
{
  static const char marker[] = "the application's handler ran\n";

  /* In the helper, 1 is the command's stdout pipe. */
  if (write (1, marker, sizeof marker - 1) < 0)
    return;
}

static GPid
spawn_reporting_helper (SandlockSandbox  *sandbox,
                        SandlockProcess **process)
{
  const char * const commands[] = { "getppid", "stdin", NULL };
  g_autofree char *line = NULL;
  GPid helper;

  *process = sandlock_test_spawn_probev (sandbox,
                                         G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                         commands);
  line = sandlock_test_read_line (*process);
  g_free (pid_from_line (line, "getppid: ", &helper));
  return helper;
}

static void
finish_reporting_helper (SandlockProcess *process)
{
  g_autoptr(GBytes) input = g_bytes_new_static ("go", 2);
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;

  g_assert_true (sandlock_process_communicate (process, input, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  rest = g_strndup (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
  g_assert_cmpstr (rest, ==, "stdin: go (2 bytes)\n");
  g_assert_true (sandlock_process_get_successful (process));
}

static void
test_helper_runs_no_application_handler (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  struct sigaction handler = { .sa_handler = write_marker }, previous;
  g_autoptr(SandlockProcess) process = NULL;
  GPid helper;

  /* The helper inherits the application's handlers, forked or in its
   * memory: it must run none of them, and survive the signal. */
  g_assert_cmpint (sigaction (SIGUSR1, &handler, &previous), ==, 0);
  helper = spawn_reporting_helper (sandbox, &process);
  g_assert_cmpint (helper, !=, getpid ());
  g_assert_cmpint (helper, !=, sandlock_process_get_pid (process));
  g_assert_cmpint (kill (helper, SIGUSR1), ==, 0);

  /* The helper exits after the command: a handler run by it would have
   * written before the pipe's end of file. */
  finish_reporting_helper (process);
  g_assert_cmpint (sigaction (SIGUSR1, &previous, NULL), ==, 0);
}

/* How many of our descriptors are ends of @stream's pipe. */
static guint
count_fds_on_pipe (GOutputStream *stream)
{
  struct stat pipe_stat, st;
  guint count = 0;

  g_assert_cmpint (fstat (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (stream)), &pipe_stat), ==, 0);
  for (int fd = 0; fd < 1024; fd++)
    if (fstat (fd, &st) == 0 && st.st_dev == pipe_stat.st_dev && st.st_ino == pipe_stat.st_ino)
      count++;
  return count;
}

static void
test_stdin_pipe_with_stdin_closed (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
      const char * const argv[] = { sandlock_test_probe (), "exit", "0", NULL };
      g_autoptr(GBytes) input = g_bytes_new_take (g_malloc0 (1 << 20), 1 << 20);
      g_autoptr(SandlockProcess) process = NULL;
      g_autoptr(GError) error = NULL;

      /* With the application's 0 closed, the child's end of the stdin
       * pipe is 0: it is still the library's to close, or writing to a
       * command that never reads would block for ever. (A first run
       * compiles the policy, whose ruleset would take 0 otherwise.) */
      g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
      close (0);
      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (count_fds_on_pipe (sandlock_process_get_stdin_pipe (process)), ==, 1);
      g_assert_true (sandlock_process_communicate (process, input, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (sandlock_process_get_successful (process));
      return;
    }

  /* In a subprocess of its own: it closes its standard input. */
  g_test_trap_subprocess (NULL, SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Where descriptor @fd of process @pid leads. */
static char *
read_fd_link (GPid pid,
              int  fd)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd/%d", (int) pid, fd);
  g_autoptr(GError) error = NULL;
  char *target = g_file_read_link (path, &error);

  g_assert_no_error (error);
  return target;
}

static void
assert_stdio_is_dev_null (SandlockProcess *process,
                          int              first)
{
  for (int fd = first; fd < 3; fd++)
    {
      g_autofree char *target = read_fd_link (sandlock_process_get_pid (process), fd);

      g_assert_cmpstr (target, ==, "/dev/null");
    }
}

static gpointer
run_in_a_loop (gpointer data)
{
  SandlockSandbox *sandbox = data;

  /* Each run makes a main context of its own (an eventfd), and spawns. */
  for (int i = 0; i < 50; i++)
    g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  return NULL;
}

static void
test_stdin_pipe_with_stdio_closed (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
      const char * const sleeper_argv[] = { sandlock_test_probe (), "sleep", "600", NULL };
      const char * const argv[] = { sandlock_test_probe (), "stdin", NULL };
      g_autoptr(GBytes) input = g_bytes_new_static ("go", 2);
      g_autoptr(SandlockProcess) sleeper = NULL;
      g_autoptr(SandlockProcess) process = NULL;
      g_autoptr(GError) error = NULL;
      GThread *runner;

      /* A daemon-like application with 0, 1 and 2 closed before it ever
       * spawned. What the library keeps open (the Landlock ruleset, a
       * running sandbox's listener and pidfd, our ends of pipes) and what
       * GLib opens for it (a child watch's pidfd, GTask's worker context,
       * a private main context's eventfd), in this thread or another,
       * must not take those numbers, or it would pass for the
       * application's standard I/O and be handed to the next command: the
       * ruleset would let it add rules for the sandbox's later commands,
       * another sandbox's listener would let it answer that sandbox's
       * syscalls. The stdin pipe's write end must not pass for stdout. */
      close (0);
      close (1);
      close (2);
      sleeper = sandlock_sandbox_spawn (sandbox, sleeper_argv, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_no_error (error);
      assert_stdio_is_dev_null (sleeper, 0);

      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
      g_assert_no_error (error);
      assert_stdio_is_dev_null (process, 1);
      g_assert_cmpuint (count_fds_on_pipe (sandlock_process_get_stdin_pipe (process)), ==, 1);
      g_assert_true (sandlock_process_communicate (process, input, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (sandlock_process_get_successful (process));

      /* After GLib's first GTask, and while another thread runs sandboxes. */
      runner = g_thread_new ("runner", run_in_a_loop, sandbox);
      for (int i = 0; i < 50; i++)
        {
          g_autoptr(SandlockProcess) next = NULL;

          next = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
          g_assert_no_error (error);
          assert_stdio_is_dev_null (next, 1);
          g_assert_true (sandlock_process_communicate (next, input, NULL, NULL, NULL, &error));
          g_assert_no_error (error);
        }
      g_thread_join (runner);

      sandlock_process_force_exit (sleeper);
      g_assert_true (sandlock_process_wait (sleeper, NULL, &error));
      g_assert_no_error (error);
      return;
    }

  /* In a subprocess of its own: it closes its standard descriptors. */
  g_test_trap_subprocess (NULL, SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (sandlock_process_wait_finish (SANDLOCK_PROCESS (source), result, error));
}

static void
test_wait_already_cancelled (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { sandlock_test_probe (), "sleep", "600", NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);

  /* A cancellable cancelled before the call cancels the wait, as with
   * GSubprocess; the process runs on. */
  g_cancellable_cancel (cancellable);
  sandlock_process_wait_async (process, cancellable, on_wait_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_nonnull (sandlock_process_get_identifier (process));

  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_assert_false (sandlock_process_wait (process, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  sandlock_process_force_exit (process);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
}

static SandlockAction *
cancel_current_run (SandlockTestHandler   *self,
                    SandlockNotification  *notification,
                    gpointer               user_data,
                    GError               **error)
{
  g_cancellable_cancel (*(GCancellable **) user_data);
  return sandlock_action_new_continue ();
}

static void
test_run_cancelled_leaves_nothing (void)
{
  SandlockSandbox *sandbox = sandlock_test_sandbox_new ();
  GCancellable *current = NULL;
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (cancel_current_run, &current,
                                                                      SANDLOCK_EXCEPTION_POLICY_KILL);
  const char * const argv[] = { sandlock_test_probe (), "getpid", "sleep", "600", NULL };
  g_autoptr(GError) error = NULL;
  guint before;

  g_assert_true (sandlock_sandbox_add_handler (sandbox, "getpid", SANDLOCK_HANDLER (handler), &error));
  g_assert_no_error (error);
  /* Warm-up: lazily created descriptors (see below). */
  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  before = sandlock_test_count_fds ();

  /* run() is cancelled from inside, while the command sleeps: once it
   * returns, nothing of the sandbox is left, though nobody iterates its
   * private context again. */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();

      current = cancellable;
      g_assert_null (sandlock_sandbox_run (sandbox, argv, NULL, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
    }
  g_assert_cmpuint (handler->calls, ==, 5);

  sandlock_test_assert_fds (before);
  g_object_add_weak_pointer (G_OBJECT (sandbox), (gpointer *) &sandbox);
  g_object_unref (sandbox);
  g_assert_null (sandbox);
}

static void
test_many_spawns_leak_no_fds (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  guint before;

  /* Warm-up: the first run opens lazily created descriptors (GLib's
   * wake-up eventfd, the Landlock ruleset of the cached policy). */
  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  before = sandlock_test_count_fds ();

  for (int i = 0; i < 300; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SandlockResult) result = sandlock_test_run_probe (sandbox, &error, "exit", "0", NULL);

      g_assert_no_error (error);
      g_assert_true (sandlock_result_get_success (result));
    }

  sandlock_test_assert_fds (before);
}

/* Kills the processes and waits for each; then none of them is left and
 * they hold nothing. When this process had no child before (@had_children
 * FALSE: always, unless the tests run in one process, under valgrind), it
 * has none after: the helpers are reaped too. */
static void
end_all (GPtrArray *processes,
         gboolean   had_children)
{
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));

  for (guint i = 0; i < processes->len; i++)
    {
      GPid pid = atoi (sandlock_process_get_identifier (g_ptr_array_index (processes, i)));

      g_array_append_val (pids, pid);
      sandlock_process_force_exit (g_ptr_array_index (processes, i));
    }
  for (guint i = 0; i < processes->len; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sandlock_process_wait (g_ptr_array_index (processes, i), NULL, &error));
      g_assert_no_error (error);
    }
  g_ptr_array_set_size (processes, 0);

  for (guint i = 0; i < pids->len; i++)
    g_assert_true (sandlock_test_pid_gone (g_array_index (pids, GPid, i)));
  if (!had_children)
    g_assert_false (sandlock_test_has_children ());
}

/* Tenfold fewer under valgrind. */
#define RUNNING_SANDBOXES (sandlock_test_running_on_valgrind () ? 4 : 20)

/* A running sandbox holds two of the application's descriptors (its
 * listener and its control socket) when it has no pipes, and gives them
 * back when it ends; the sandboxes of one main context share one more
 * (their hub's epoll descriptor, see sandlock-dispatch-hub.c). */
static void
test_descriptors_per_running_sandbox (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  guint before, running;
  gboolean had_children;

  /* Warm-up: lazily created descriptors (GLib's wake-up eventfd, the
   * cached policy's Landlock ruleset, the helper's program). */
  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  before = sandlock_test_count_fds ();
  had_children = sandlock_test_has_children ();

  for (int i = 0; i < RUNNING_SANDBOXES; i++)
    g_ptr_array_add (processes,
                     sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE,
                                                 (const char * const []) { "sleep", "60", NULL }));
  running = sandlock_test_count_fds ();
  g_test_message ("%d running sandboxes hold %u descriptors", (int) RUNNING_SANDBOXES,
                  running - before);
  g_assert_cmpuint (running, <=, before + 2 * (guint) RUNNING_SANDBOXES + 1);

  end_all (processes, had_children);
  sandlock_test_assert_fds (before);
}

/* Near its limit of open descriptors, the application gets a clear error
 * from the spawn, with nothing started, and keeps room for its own code. */
static void
test_descriptors_refused_near_limit (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  /* Room for a few dozen sandboxes above what is open (a few under
   * valgrind), with a margin of max(32, 1/16 of the limit) = 32. */
  guint room = sandlock_test_running_on_valgrind () ? 48 : 128;
  guint fits = (room - 32) / 2;
  struct rlimit limit, saved;
  guint before, at_refusal;
  gboolean had_children;
  int pair[2];

  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  before = sandlock_test_count_fds ();
  had_children = sandlock_test_has_children ();

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = before + room;
  g_assert_cmpuint (limit.rlim_cur, <=, limit.rlim_max);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

  for (;;)
    {
      const char * const argv[] = { sandlock_test_probe (), "sleep", "60", NULL };
      SandlockProcess *process;
      guint open_before = sandlock_test_count_fds ();

      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
      if (process == NULL)
        {
          /* Nothing half-started: no descriptor, no process more. */
          g_assert_cmpuint (sandlock_test_count_fds (), ==, open_before);
          break;
        }
      g_ptr_array_add (processes, process);
      g_assert_cmpuint (processes->len, <, room / 2);
    }
  g_test_message ("refused after %u sandboxes: %s", processes->len, error->message);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_TOO_MANY_FILES);
  /* Less what a spawn holds for a moment. */
  g_assert_cmpuint (processes->len, >=, fits - 4);

  /* The margin is the application's. */
  at_refusal = sandlock_test_count_fds ();
  g_assert_cmpuint (limit.rlim_cur - at_refusal, >=, 32);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), ==, 0);
  close (pair[0]);
  close (pair[1]);

  end_all (processes, had_children);
  sandlock_test_assert_fds (before);

  /* Room again: the next spawn runs. */
  g_clear_error (&error);
  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, &error, "exit", "0", NULL) });
  g_assert_no_error (error);

  /* For the tests after this one when all run in one process (valgrind). */
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
}

typedef struct {
  SandlockProcess *process;
  GMainLoop       *loop;
  GThread         *thread;
  gboolean         waited;
} OtherThread;

static gpointer
wait_in_other_thread (gpointer data)
{
  OtherThread *other = data;
  g_autoptr(GError) error = NULL;

  /* The main thread owns the spawn context: this wait cannot iterate it
   * and must be woken by the owner's dispatch of the exit. */
  g_assert_true (sandlock_process_wait_check (other->process, NULL, &error));
  g_assert_no_error (error);
  g_atomic_int_set (&other->waited, TRUE);
  g_main_loop_quit (other->loop);
  return NULL;
}

static gboolean
start_waiter (gpointer data)
{
  OtherThread *other = data;

  /* Started from the running loop, which owns the context meanwhile. */
  other->thread = g_thread_new ("waiter", wait_in_other_thread, other);
  return G_SOURCE_REMOVE;
}

static void
test_wait_from_other_thread (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "sleep", "0.2", "exit", "0", NULL };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OtherThread other = { NULL, loop, NULL, FALSE };

  other.process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_NONE, commands);
  g_idle_add (start_waiter, &other);
  g_main_loop_run (loop);
  g_thread_join (other.thread);
  g_assert_true (g_atomic_int_get (&other.waited));
  g_assert_true (sandlock_process_get_successful (other.process));
  g_object_unref (other.process);
}

/* ---- the supervisor dies ------------------------------------------------- */

/* Runs in a child copy of this test program: spawns a sandbox with a
 * grandchild, reports both pids on stdout, then dies by SIGKILL. */
static int
supervisor_child_main (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "grandchild", "setsid", "print", "ready", "sleep", "600", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autofree char *line = NULL;
  g_autofree char *ready = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  line = sandlock_test_read_line (process);
  ready = sandlock_test_read_line (process);
  printf ("child: %d\n%s\n", (int) sandlock_process_get_pid (process), line);
  fflush (stdout);
  raise (SIGKILL);
  return 1;
}

static void
test_dies_with_supervisor (void)
{
  const char *self_argv[] = { g_test_get_filename (G_TEST_BUILT, "test-process", NULL),
                              "--supervisor-child", NULL };
  g_autoptr(GSubprocess) supervisor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPid child, daemon_pid;

  supervisor = g_subprocess_newv (self_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (supervisor, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (supervisor));
  g_assert_cmpint (g_subprocess_get_term_sig (supervisor), ==, SIGKILL);

  /* g_test_init() may print its own lines first. */
  lines = g_strsplit (out, "\n", -1);
  child = daemon_pid = 0;
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "child: "))
        g_free (pid_from_line (lines[i], "child: ", &child));
      else if (g_str_has_prefix (lines[i], "grandchild: "))
        g_free (pid_from_line (lines[i], "grandchild: ", &daemon_pid));
    }
  if (child <= 0 || daemon_pid <= 0)
    g_error ("Unexpected output from the supervisor child:\n%s", out);

  /* The helper saw its control socket hang up and killed everything. */
  sandlock_test_wait_pid_gone (NULL, child);
  sandlock_test_wait_pid_gone (NULL, daemon_pid);
}

/* ---- the helper process ------------------------------------------------ */

static gboolean
test_hook_disables (const char *feature)
{
  const char *disabled = g_getenv ("SANDLOCK_TEST_DISABLE");
  g_auto(GStrv) names = g_strsplit (disabled != NULL ? disabled : "", ",", -1);

  return g_strv_contains ((const char * const *) names, feature);
}

static char *
read_exe (GPid pid)
{
  g_autofree char *link = g_strdup_printf ("/proc/%d/exe", (int) pid);

  return g_file_read_link (link, NULL);
}

/* Whether the helper starts in our memory, worked out here rather than
 * asked of the library. */
static gboolean
helper_shares_memory (void)
{
#if defined(__x86_64__)
  return !sandlock_test_running_on_valgrind () && !sandlock_test_built_with_asan () &&
         !test_hook_disables ("shared-memory-helper");
#else
  return FALSE;
#endif
}

static void
test_helper_memory (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autofree char *helper_exe = NULL;
  gboolean shares = helper_shares_memory ();
  GPid helper;
  long same;

  helper = spawn_reporting_helper (sandbox, &process);
  if (shares && !test_hook_disables ("reaper"))
    {
      g_autofree char *noexec = NULL;

      if (g_file_get_contents ("/proc/sys/vm/memfd_noexec", &noexec, NULL, NULL) &&
          g_str_has_prefix (noexec, "2"))
        {
          g_test_skip ("vm.memfd_noexec is 2: sandlock-reaper cannot run from a memfd");
          finish_reporting_helper (process);
          return;
        }

      /* It shared our memory to start the command, then became
       * sandlock-reaper, which has memory of its own: the kernel kills
       * the processes of one address space together. */
      gint64 deadline = g_get_monotonic_time () + SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC;

      while (helper_exe = read_exe (helper),
             helper_exe != NULL && !g_str_has_prefix (helper_exe, "/memfd:sandlock-reaper") &&
             g_get_monotonic_time () < deadline)
        {
          g_clear_pointer (&helper_exe, g_free);
          g_usleep (1000);
        }
      g_assert_true (g_str_has_prefix (helper_exe, "/memfd:sandlock-reaper"));
    }

  /* kcmp() answers 0 when both processes have the same address space. */
  same = syscall (SYS_kcmp, getpid (), helper, KCMP_VM, 0, 0);
  if (same < 0 && (errno == ENOSYS || errno == EPERM))
    {
      g_test_skip_printf ("kcmp() is not available here: %s", g_strerror (errno));
      finish_reporting_helper (process);
      return;
    }
  g_assert_cmpint (same, >=, 0);

  if (shares && test_hook_disables ("reaper"))
    g_assert_cmpint (same, ==, 0);
  else
    g_assert_cmpint (same, !=, 0);
  if (!shares)
    {
      /* A fork: our program still (valgrind's own, under valgrind). */
      helper_exe = read_exe (helper);
      g_assert_nonnull (helper_exe);
      g_assert_false (g_str_has_prefix (helper_exe, "/memfd:"));
    }
  finish_reporting_helper (process);
}

static void
test_helper_forked_without_executable_memfd (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockProcess) process = NULL;
  g_autofree char *helper_exe = NULL;
  GPid helper;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* Where sandlock-reaper cannot run, a helper in our memory would stay
   * there, to die with us: it is forked instead. */
  g_setenv ("SANDLOCK_TEST_DISABLE", "executable-memfd", TRUE);
  sandbox = sandlock_test_sandbox_new ();
  for (int round = 0; round < 2; round++)
    {
      helper = spawn_reporting_helper (sandbox, &process);
      g_assert_cmpint (syscall (SYS_kcmp, getpid (), helper, KCMP_VM, 0, 0), >, 0);
      helper_exe = read_exe (helper);
      g_assert_nonnull (helper_exe);
      g_assert_false (g_str_has_prefix (helper_exe, "/memfd:"));
      finish_reporting_helper (process);
      g_clear_object (&process);
      g_clear_pointer (&helper_exe, g_free);
    }
}

/* The core file size limit in /proc/PID/limits, as text. */
static char *
core_limit (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/limits", (int) pid);
  g_autofree char *limits = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &limits, NULL, NULL));
  line = strstr (limits, "Max core file size");
  g_assert_nonnull (line);
  return g_strndup (line, strcspn (line, "\n"));
}

static void
test_helper_dumps_no_core (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autofree char *ours = core_limit (getpid ());
  g_autofree char *helpers = NULL;
  g_autofree char *commands = NULL;
  GPid helper;

  helper = spawn_reporting_helper (sandbox, &process);
  helpers = core_limit (helper);
  commands = core_limit (sandlock_process_get_pid (process));
  finish_reporting_helper (process);

  /* A helper that started in our memory dumps no core (it would hold all
   * of our memory); the command keeps our limit. */
  g_assert_cmpstr (commands, ==, ours);
  if (helper_shares_memory ())
    {
      g_auto(GStrv) fields = g_strsplit_set (helpers + strlen ("Max core file size"), " ", -1);
      const char *values[2] = { NULL, NULL };

      for (gsize i = 0, n = 0; fields[i] != NULL && n < 2; i++)
        if (*fields[i] != '\0')
          values[n++] = fields[i];
      g_assert_cmpstr (values[0], ==, "0");   /* soft */
      g_assert_cmpstr (values[1], ==, "0");   /* and hard */
    }
  else
    g_assert_cmpstr (helpers, ==, ours);
}

static void
test_helper_forked_under_debugger (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autofree char *helper_exe = NULL;
  int ready[2], done[2];
  GPid helper, tracer;
  char byte = 0;
  long same;

  /* A debugger attached to us (a child of ours, allowed to trace us): it
   * would take a helper in our memory for a fork and remove its
   * breakpoints from that "copy", which is us. */
  g_assert_no_errno (pipe (ready));
  g_assert_no_errno (pipe (done));
  /* Yama's rule allows tracing descendants only: allow ours (no Yama:
   * EINVAL, and the user's rule applies). */
  g_assert_true (prctl (PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0) == 0 || errno == EINVAL);
  tracer = fork ();
  g_assert_cmpint (tracer, >=, 0);
  if (tracer == 0)
    {
      close (ready[0]);
      close (done[1]);
      pid_t tracee = getppid ();
      struct pollfd until_done = { .fd = done[0], .events = POLLIN };

      /* "s" once seized; else the errno, which the test reports. */
      if (ptrace (PTRACE_SEIZE, tracee, NULL, NULL) != 0)
        {
          char failure = (char) errno;

          (void) !write (ready[1], &failure, 1);
          _exit (1);
        }
      if (write (ready[1], "s", 1) != 1)
        _exit (1);
      /* As a debugger does: let each signal through (the tracee stops at
       * every delivery until its tracer says go on). */
      while (poll (&until_done, 1, 1) == 0)
        {
          int status;

          if (waitpid (tracee, &status, WNOHANG | __WALL) == tracee && WIFSTOPPED (status))
            ptrace (PTRACE_CONT, tracee, NULL, (void *) (long) WSTOPSIG (status));
        }
      _exit (0);
    }
  close (ready[1]);
  close (done[0]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  if (byte != 's')
    {
      g_autofree char *scope = NULL;

      /* Yama at 2 (admin only) or 3 (no attach), or another security
       * module, forbids a debugger here. */
      g_file_get_contents ("/proc/sys/kernel/yama/ptrace_scope", &scope, NULL, NULL);
      g_assert_cmpint (waitpid (tracer, NULL, 0), ==, tracer);
      close (ready[0]);
      close (done[1]);
      g_test_skip_printf ("no debugger can attach here: PTRACE_SEIZE by our child failed "
                          "with %s (kernel.yama.ptrace_scope: %s)",
                          g_strerror (byte), scope != NULL ? g_strstrip (scope) : "no Yama");
      return;
    }

  helper = spawn_reporting_helper (sandbox, &process);
  same = syscall (SYS_kcmp, getpid (), helper, KCMP_VM, 0, 0);
  helper_exe = read_exe (helper);
  finish_reporting_helper (process);

  /* The tracer detaches as it exits. */
  close (done[1]);
  close (ready[0]);
  g_assert_cmpint (waitpid (tracer, NULL, 0), ==, tracer);
  g_assert_true (prctl (PR_SET_PTRACER, 0, 0, 0, 0) == 0 || errno == EINVAL);

  g_assert_cmpint (same, >, 0);
  g_assert_nonnull (helper_exe);
  g_assert_false (g_str_has_prefix (helper_exe, "/memfd:"));
}

typedef struct {
  SandlockSandbox *sandbox;
  SandlockProcess *process;
  GPid             helper;
} SpawnInThread;

static void *
spawn_in_thread (void *data)
{
  SpawnInThread *spawn = data;

  spawn->helper = spawn_reporting_helper (spawn->sandbox, &spawn->process);
  return NULL;
}

static void
test_helper_outlives_spawning_thread (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  SpawnInThread spawn = { sandbox, NULL, 0 };
  const size_t stack_size = 1024 * 1024;
  pthread_attr_t attributes;
  pthread_t thread;
  void *stack;

  /* A thread on a stack of ours, where libc keeps the thread's TLS too:
   * once the thread has exited that memory is unmapped, and a helper that
   * used the spawning thread's TLS (errno, the stack protector's canary)
   * would crash on its way to reap the command. */
  stack = mmap (NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (stack != MAP_FAILED);
  g_assert_cmpint (pthread_attr_init (&attributes), ==, 0);
  g_assert_cmpint (pthread_attr_setstack (&attributes, stack, stack_size), ==, 0);
  g_assert_cmpint (pthread_create (&thread, &attributes, spawn_in_thread, &spawn), ==, 0);
  g_assert_cmpint (pthread_join (thread, NULL), ==, 0);
  pthread_attr_destroy (&attributes);
  g_assert_cmpint (munmap (stack, stack_size), ==, 0);

  g_assert_false (sandlock_test_pid_gone (spawn.helper));
  finish_reporting_helper (spawn.process);
  g_object_unref (spawn.process);
}

static void
test_helper_copies_argv (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  char *argv[] = { NULL, "print", NULL, NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected = "the caller's argument\n";

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* The child execs a second after spawn has returned, when the caller
   * has overwritten and freed its argv: it must have been copied. */
  g_setenv ("SANDLOCK_TEST_HOLD_EXEC", "1000", TRUE);
  sandbox = sandlock_test_sandbox_new ();
  argv[0] = g_strdup (sandlock_test_probe ());
  argv[2] = g_strdup ("the caller's argument");
  process = sandlock_sandbox_spawn (sandbox, (const char * const *) argv,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  memset (argv[0], 'X', strlen (argv[0]));
  memset (argv[2], 'X', strlen (argv[2]));
  g_free (argv[0]);
  g_free (argv[2]);

  g_assert_true (sandlock_process_communicate (process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (output, NULL), g_bytes_get_size (output),
                   expected, strlen (expected));
  g_assert_true (sandlock_process_get_successful (process));
}

static guint
count_mappings (void)
{
  g_autofree char *maps = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  for (const char *c = maps; *c != '\0'; c++)
    count += *c == '\n';
  return count;
}

static void
test_helper_leaks_no_mapping (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  guint before, after;

  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  before = count_mappings ();

  /* Each launch maps an area of four or more mappings: 100 leaked ones
   * would add hundreds. A few may come from the allocator meanwhile. */
  for (int i = 0; i < 100; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SandlockResult) result = sandlock_test_run_probe (sandbox, &error, "exit", "0", NULL);

      g_assert_no_error (error);
      g_assert_true (sandlock_result_get_success (result));
    }

  after = count_mappings ();
  g_test_message ("%u mappings before, %u after", before, after);
  g_assert_cmpuint (after, <=, before + 10);
}

static void
test_helper_command_sees_only_stdio (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();

  /* The helper keeps its control socket open across its exec of
   * sandlock-reaper, while the child may still share its descriptor
   * table: the command must never get it. */
  sandlock_test_grant (sandbox, "/proc", FALSE);
  for (int i = 0; i < 50; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SandlockResult) result = sandlock_test_run_probe (sandbox, &error, "fds", NULL);
      g_autofree char *output = NULL;

      g_assert_no_error (error);
      output = sandlock_test_stdout (result);
      sandlock_test_assert_line (output, "fds: 0 1 2");
    }
}

/* Whether /proc/self/maps has a launch area not in @before: a one-page
 * guard (---p) right below a 64 KiB stack (rw-p), the helper's. */
static gboolean
launch_area_mapped_since (const char *before)
{
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 guard_end = 0;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *range = g_strndup (lines[i], strcspn (lines[i], " "));
      const char *perms = lines[i] + strlen (range) + 1;
      guint64 start, end;

      if (*range == '\0' || strstr (before, range) != NULL)
        {
          guard_end = 0;
          continue;
        }
      start = g_ascii_strtoull (range, NULL, 16);
      end = g_ascii_strtoull (strchr (range, '-') + 1, NULL, 16);
      if (guard_end == start && g_str_has_prefix (perms, "rw-p") && end - start == 64 * 1024)
        return TRUE;
      guard_end = g_str_has_prefix (perms, "---p") && end - start == (guint64) sysconf (_SC_PAGESIZE)
                  ? end : 0;
    }
  return FALSE;
}

static void
test_helper_killed_from_outside (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *maps_before = NULL;
  GPid helper, child;

  /* Warm-up, so that what the first spawn maps for good is in the list. */
  g_clear_object (&(SandlockResult *) { sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL) });
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps_before, NULL, NULL));

  helper = spawn_reporting_helper (sandbox, &process);
  child = sandlock_process_get_pid (process);
  g_assert_cmpint (kill (helper, SIGKILL), ==, 0);

  /* The command dies with its helper (PDEATHSIG), reported as killed. */
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sandlock_process_get_if_signaled (process));
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);
  sandlock_test_wait_pid_gone (NULL, child);

  /* A helper sharing our memory that did not report may have left its
   * child running in the launch area for a moment: the area stays mapped,
   * even once the process is gone. (A forked
   * helper's area is ours alone: /process/helper/no-mapping-leak.) */
  g_clear_object (&process);
  if (helper_shares_memory ())
    g_assert_true (launch_area_mapped_since (maps_before));

  /* And the application goes on: the next sandbox runs. */
  spawn_reporting_helper (sandbox, &process);
  finish_reporting_helper (process);
}

/* ---- objects that no sandbox made, and misused results --------------------- */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
assert_never_spawned (GError *error)
{
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "never spawned"));
}

static void
test_never_spawned (void)
{
  /* What `Sandlock.Process()` makes in Python or gjs. */
  g_autoptr(SandlockProcess) process = g_object_new (SANDLOCK_TYPE_PROCESS, NULL);
  g_autoptr(GBytes) input = g_bytes_new_static ("x", 1);
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GAsyncResult) communicated = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *out = (GBytes *) 0x1, *err = (GBytes *) 0x1;

  g_assert_null (sandlock_process_get_identifier (process));
  g_assert_cmpint (sandlock_process_get_pid (process), ==, 0);
  g_assert_cmpint (sandlock_process_get_protections (process), ==, SANDLOCK_PROTECTION_NONE);
  g_assert_cmpint (sandlock_process_get_landlock_abi (process), ==, 0);
  g_assert_null (sandlock_process_get_stdin_pipe (process));
  g_assert_null (sandlock_process_get_stdout_pipe (process));
  g_assert_null (sandlock_process_get_stderr_pipe (process));
  g_assert_false (sandlock_process_get_has_exited (process));
  g_assert_false (sandlock_process_get_timed_out (process));
  sandlock_process_send_signal (process, SIGKILL);
  sandlock_process_force_exit (process);

  /* The synchronous calls fail at once: there is nothing to wait for. */
  g_assert_false (sandlock_process_wait (process, NULL, &error));
  assert_never_spawned (error);
  g_clear_error (&error);
  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  assert_never_spawned (error);
  g_clear_error (&error);
  g_assert_false (sandlock_process_communicate (process, input, NULL, &out, &err, &error));
  assert_never_spawned (error);
  g_assert_null (out);
  g_assert_null (err);
  g_clear_error (&error);

  /* The asynchronous ones call back with the error. */
  sandlock_process_wait_async (process, NULL, store_result, &waited);
  g_assert_false (sandlock_process_wait_finish (process, wait_for_result (&waited), &error));
  assert_never_spawned (error);
  g_clear_error (&error);
  sandlock_process_wait_check_async (process, NULL, store_result, &checked);
  g_assert_false (sandlock_process_wait_check_finish (process, wait_for_result (&checked), &error));
  assert_never_spawned (error);
  g_clear_error (&error);
  sandlock_process_communicate_async (process, input, NULL, store_result, &communicated);
  g_assert_false (sandlock_process_communicate_finish (process, wait_for_result (&communicated),
                                                        NULL, NULL, &error));
  assert_never_spawned (error);
}

static void
test_communicate_stdin_without_pipe (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const commands[] = { "print", "x", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("x", 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, commands);

  /* A programmer error, reported as one; the callback still runs. */
  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL, "*STDIN_PIPE*");
  sandlock_process_communicate_async (process, input, NULL, store_result, &result);
  g_test_assert_expected_messages ();
  g_assert_false (sandlock_process_communicate_finish (process, wait_for_result (&result),
                                                        NULL, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
}

static void
test_finish_checks_its_result (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { sandlock_test_probe (), "print", "x", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GAsyncResult) waited = NULL;
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GAsyncResult) ran = NULL;
  g_autoptr(GTask) foreign = NULL;
  g_autoptr(SandlockResult) run_result = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  sandlock_process_wait_async (process, NULL, store_result, &waited);
  sandlock_process_wait_check_async (process, NULL, store_result, &checked);
  sandlock_sandbox_run_async (sandbox, argv, NULL, NULL, store_result, &ran);
  wait_for_result (&waited);
  wait_for_result (&checked);
  wait_for_result (&ran);

  /* A result of the same object, but of another call: each _finish checks
   * the source tag, and leaves the result untouched. */
  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL,
                         "*sandlock_process_wait_check_finish*source_tag*");
  g_assert_false (sandlock_process_wait_check_finish (process, waited, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL,
                         "*sandlock_process_wait_finish*source_tag*");
  g_assert_false (sandlock_process_wait_finish (process, checked, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL,
                         "*sandlock_process_communicate_finish*source_tag*");
  g_assert_false (sandlock_process_communicate_finish (process, waited, NULL, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  /* The sandbox's own task, of no call of the sandbox. */
  foreign = g_task_new (sandbox, NULL, NULL, NULL);
  g_task_return_boolean (foreign, TRUE);
  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL,
                         "*sandlock_sandbox_run_finish*source_tag*");
  g_assert_null (sandlock_sandbox_run_finish (sandbox, G_ASYNC_RESULT (foreign), &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  /* A result of another object. */
  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL,
                         "*sandlock_sandbox_run_finish*g_task_is_valid*");
  g_assert_null (sandlock_sandbox_run_finish (sandbox, waited, &error));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Sandlock", G_LOG_LEVEL_CRITICAL,
                         "*sandlock_process_wait_finish*g_task_is_valid*");
  g_assert_false (sandlock_process_wait_finish (process, ran, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  /* Each result still finishes with its own function. */
  g_assert_true (sandlock_process_wait_finish (process, waited, &error));
  g_assert_no_error (error);
  g_assert_true (sandlock_process_wait_check_finish (process, checked, &error));
  g_assert_no_error (error);
  run_result = sandlock_sandbox_run_finish (sandbox, ran, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_result_get_success (run_result));
}

static void
test_result_not_from_a_run (void)
{
  g_autoptr(SandlockResult) result = g_object_new (SANDLOCK_TYPE_RESULT, NULL);

  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, -1);
  g_assert_cmpint (sandlock_result_get_term_signal (result), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (sandlock_result_get_stdout (result)), ==, 0);
  g_assert_cmpuint (g_bytes_get_size (sandlock_result_get_stderr (result)), ==, 0);
  g_assert_false (sandlock_result_get_timed_out (result));
  g_assert_false (sandlock_result_get_success (result));
  g_assert_cmpint (sandlock_result_get_protections (result), ==, SANDLOCK_PROTECTION_NONE);
}

/* ---- sync calls run only the process's own sources ---------------------- */

typedef struct {
  GThread      *thread;
  guint         calls;
  gboolean      wrong_thread;
  GCancellable *cancel_on_first;
} OwnSources;

static SandlockAction *
count_getppid (SandlockTestHandler   *self,
               SandlockNotification  *notification,
               gpointer               user_data,
               GError               **error)
{
  OwnSources *state = user_data;

  state->calls++;
  if (g_thread_self () != state->thread)
    state->wrong_thread = TRUE;
  if (state->cancel_on_first != NULL && state->calls == 1)
    g_cancellable_cancel (state->cancel_on_first);
  return sandlock_action_new_continue ();
}

static gboolean
count_idle (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* wait() and communicate() dispatch the process's handlers, on this thread,
 * and none of the application's other sources (an always-ready idle on the
 * same context), as GSubprocess's sync calls do. */
static void
test_sync_call_runs_only_its_sources (gconstpointer data)
{
  gboolean communicate = g_str_equal (data, "communicate");
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  OwnSources state = { g_thread_self (), 0, FALSE, NULL };
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (count_getppid, &state, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  guint idles = 0, idle_id;

  g_assert_true (sandlock_sandbox_add_handler (sandbox, "getppid", SANDLOCK_HANDLER (handler), &error));
  idle_id = g_idle_add (count_idle, &idles);
  process = sandlock_test_spawn_probev (sandbox,
                                        communicate ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                    : G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                        (const char * const []) {
                                          "syscall", "getppid", "sleep", "0.05",
                                          "syscall", "getppid", "sleep", "0.05",
                                          "syscall", "getppid", NULL });
  if (communicate)
    {
      g_autoptr(GBytes) out = NULL;

      g_assert_true (sandlock_process_communicate (process, NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (out), >, 0);
    }
  else
    {
      g_assert_true (sandlock_process_wait (process, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (sandlock_process_get_successful (process));

  g_assert_cmpuint (state.calls, ==, 3);
  g_assert_false (state.wrong_thread);
  g_assert_cmpuint (idles, ==, 0);
  /* The idle was ready all along: the application's loop runs it. */
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (idles, >, 0);
  g_source_remove (idle_id);
}

static void
on_sync_test_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GMainLoop *loop = user_data;

  g_assert_true (sandlock_process_wait_finish (SANDLOCK_PROCESS (source), result, NULL));
  g_main_loop_quit (loop);
}

/* A sync wait that ends before the process (cancelled) gives its sources
 * back to the process's context, which goes on with its handlers. */
static void
test_sync_wait_cancelled_gives_sources_back (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OwnSources state = { g_thread_self (), 0, FALSE, cancellable };
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (count_getppid, &state, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (sandlock_sandbox_add_handler (sandbox, "getppid", SANDLOCK_HANDLER (handler), &error));
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                        (const char * const []) {
                                          "syscall", "getppid", "sleep", "0.2",
                                          "syscall", "getppid", "syscall", "getppid", NULL });
  g_assert_false (sandlock_process_wait (process, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.calls, ==, 1);

  sandlock_process_wait_async (process, NULL, on_sync_test_wait_done, loop);
  g_main_loop_run (loop);
  g_assert_true (sandlock_process_get_successful (process));
  g_assert_cmpuint (state.calls, ==, 3);
  g_assert_false (state.wrong_thread);
}

/* ---- communicate_utf8 ------------------------------------------------------ */

static void
on_communicated_utf8_done (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_communicate_utf8 (gconstpointer data)
{
  gboolean async = g_str_equal (data, "async");
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = sandlock_test_spawn_probev (sandbox,
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                        (const char * const []) { "stdin", NULL });
  if (async)
    {
      g_autoptr(GAsyncResult) result = NULL;

      sandlock_process_communicate_utf8_async (process, "h\xc3\xa9llo", NULL,
                                               on_communicated_utf8_done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (sandlock_process_communicate_utf8_finish (process, result, &out, &err, &error));
    }
  else
    g_assert_true (sandlock_process_communicate_utf8 (process, "h\xc3\xa9llo", NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "stdin: h\xc3\xa9llo (6 bytes)\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_communicate_utf8_invalid (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                        (const char * const []) { "print", "\xff\xfe", NULL });
  g_assert_false (sandlock_process_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (out);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  if (argc == 2 && g_str_equal (argv[1], "--supervisor-child"))
    return supervisor_child_main ();

  g_test_add_func ("/process/timeout/keeps-output", test_timeout_keeps_output);
  g_test_add_func ("/process/timeout/wait-check", test_timeout_wait_check);
  g_test_add_func ("/process/timeout/never-early", test_timeout_never_early);
  g_test_add_func ("/process/timeout/main-loop-blocked", test_timeout_main_loop_blocked);
  g_test_add_func ("/process/timeout/not-reached", test_timeout_not_reached);
  g_test_add_data_func ("/process/force-exit/grandchild", "plain", test_force_exit_reaches_grandchild);
  g_test_add_data_func ("/process/force-exit/setsid-daemon", "setsid", test_force_exit_reaches_grandchild);
  g_test_add_func ("/process/leftovers-killed-at-exit", test_leftovers_killed_at_exit);
  g_test_add_func ("/process/finalize-kills", test_finalize_kills);
  g_test_add_func ("/process/send-signal", test_send_signal);
  g_test_add_func ("/process/exit-status", test_exit_status);
  g_test_add_func ("/process/communicate", test_communicate);
  g_test_add_func ("/process/stderr-merge", test_stderr_merge);
  g_test_add_func ("/process/exec-failure/missing", test_exec_missing);
  g_test_add_func ("/process/exec-failure/landlock", test_exec_denied_by_landlock);
  g_test_add_func ("/process/run-async/concurrent", test_run_async_concurrent);
  g_test_add_func ("/process/run-async/cancelled", test_run_cancelled);
  g_test_add_func ("/process/run/cancelled-leaves-nothing", test_run_cancelled_leaves_nothing);
  g_test_add_func ("/process/wait/already-cancelled", test_wait_already_cancelled);
  g_test_add_func ("/process/stdin-pipe/application-stdin-closed", test_stdin_pipe_with_stdin_closed);
  g_test_add_func ("/process/stdin-pipe/application-stdio-closed", test_stdin_pipe_with_stdio_closed);
  g_test_add_func ("/process/helper-runs-no-application-handler", test_helper_runs_no_application_handler);
  g_test_add_func ("/process/no-fd-leak", test_many_spawns_leak_no_fds);
  g_test_add_func ("/process/descriptors/per-running-sandbox", test_descriptors_per_running_sandbox);
  g_test_add_func ("/process/descriptors/refused-near-limit", test_descriptors_refused_near_limit);
  g_test_add_func ("/process/helper/memory", test_helper_memory);
  g_test_add_func ("/process/helper/forked-under-debugger", test_helper_forked_under_debugger);
  g_test_add_func ("/process/helper/forked-without-executable-memfd",
                   test_helper_forked_without_executable_memfd);
  g_test_add_func ("/process/helper/dumps-no-core", test_helper_dumps_no_core);
  g_test_add_func ("/process/helper/outlives-spawning-thread", test_helper_outlives_spawning_thread);
  g_test_add_func ("/process/helper/copies-argv", test_helper_copies_argv);
  g_test_add_func ("/process/helper/no-mapping-leak", test_helper_leaks_no_mapping);
  g_test_add_func ("/process/helper/command-sees-only-stdio", test_helper_command_sees_only_stdio);
  g_test_add_func ("/process/helper/killed-from-outside", test_helper_killed_from_outside);
  g_test_add_func ("/process/wait-from-other-thread", test_wait_from_other_thread);
  g_test_add_data_func ("/process/communicate-utf8/sync", "sync", test_communicate_utf8);
  g_test_add_data_func ("/process/communicate-utf8/async", "async", test_communicate_utf8);
  g_test_add_func ("/process/communicate-utf8/invalid", test_communicate_utf8_invalid);
  g_test_add_data_func ("/process/sync/wait-runs-only-its-sources", "wait",
                        test_sync_call_runs_only_its_sources);
  g_test_add_data_func ("/process/sync/communicate-runs-only-its-sources", "communicate",
                        test_sync_call_runs_only_its_sources);
  g_test_add_func ("/process/sync/cancelled-wait-gives-sources-back",
                   test_sync_wait_cancelled_gives_sources_back);
  g_test_add_func ("/process/dies-with-supervisor", test_dies_with_supervisor);
  g_test_add_func ("/process/never-spawned", test_never_spawned);
  g_test_add_func ("/process/communicate/stdin-without-pipe", test_communicate_stdin_without_pipe);
  g_test_add_func ("/process/finish-checks-its-result", test_finish_checks_its_result);
  g_test_add_func ("/process/result-not-from-a-run", test_result_not_from_a_run);

  return sandlock_test_run ();
}
