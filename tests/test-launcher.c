/* test-launcher.c: SandlockLauncher (descriptors passed at chosen numbers,
 * standard streams from descriptors and files, environment, working
 * directory), the asynchronous spawns, and the errors of each, on real
 * sandboxed probes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "sandlock-test-common.h"

/* A sandbox whose commands can list their descriptors (/proc/self/fd). */
static SandlockSandbox *
sandbox_seeing_fds (void)
{
  SandlockSandbox *sandbox = sandlock_test_sandbox_new ();

  sandlock_test_grant (sandbox, "/proc", FALSE);
  return sandbox;
}

static SandlockLauncher *
launcher_new (SandlockSandbox *sandbox)
{
  return sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
}

/* The probe with @commands through @launcher: its standard output, after
 * checking it exited with 0. */
static char *
run_launcher (SandlockLauncher    *launcher,
              const char * const  *commands)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) sandlock_test_probe ());
  for (gsize i = 0; commands[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) commands[i]);
  g_ptr_array_add (argv, NULL);

  process = sandlock_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_process_communicate (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sandlock_process_get_successful (process));
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/* A pipe holding @text, its write end closed: the read end. */
static int
pipe_with (const char *text)
{
  int fds[2];

  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  g_assert_cmpint (write (fds[1], text, strlen (text)), ==, (gssize) strlen (text));
  close (fds[1]);
  return fds[0];
}

static void
test_passes_fds_at_their_numbers (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandbox_seeing_fds ();
  g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);
  g_autofree char *output = NULL;
  guint fds_before;

  /* 3 and 4 are where the helper keeps its own descriptors when none is
   * passed; 100 is far above them. */
  sandlock_launcher_take_fd (launcher, pipe_with ("three"), 3);
  sandlock_launcher_take_fd (launcher, pipe_with ("four"), 4);
  sandlock_launcher_take_fd (launcher, pipe_with ("hundred"), 100);

  /* The first spawn compiles and caches the policy (its descriptors). */
  g_free (run_launcher (launcher, (const char * const []) { "exit", "0", NULL }));
  fds_before = sandlock_test_count_fds ();
  output = run_launcher (launcher, (const char * const []) {
                           "fds", "read-fd", "3", "read-fd", "4", "read-fd", "100", NULL });
  /* The command has its three streams and the passed descriptors, nothing
   * of the helper's or of the application's. */
  sandlock_test_assert_line (output, "fds: 0 1 2 3 4 100");
  sandlock_test_assert_line (output, "read-fd 3: three");
  sandlock_test_assert_line (output, "read-fd 4: four");
  sandlock_test_assert_line (output, "read-fd 100: hundred");

  /* The launcher keeps its descriptors for the next spawn; nothing else
   * is left open. */
  sandlock_test_assert_fds (fds_before);
}

/* Whether process @pid has a descriptor open on the object @link names
 * ("pipe:[123]"). */
static gboolean
has_fd_on (GPid        pid,
           const char *link)
{
  g_autofree char *dir_path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (g_strcmp0 (target, link) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether @pid runs (not a zombie, not gone). */
static gboolean
is_running (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  after_name = strrchr (stat, ')');
  return after_name != NULL && after_name[2] != 'Z' && after_name[2] != 'X';
}

static GPid
parent_of (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *after_name;

  g_assert_true (g_file_get_contents (path, &stat, NULL, NULL));
  after_name = strrchr (stat, ')');
  g_assert_nonnull (after_name);
  /* ") S PPID ..." */
  return (GPid) atoi (after_name + 4);
}

/* The passed descriptors are the command's: the helper that supervises it
 * (sandlock-reaper, or the helper in place) lets them go. */
static void
test_passed_fds_leave_the_helper (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) launcher = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  struct stat st;
  GPid helper;
  int passed = pipe_with ("x");
  guint waited;

  g_assert_no_errno (fstat (passed, &st));
  link = g_strdup_printf ("pipe:[%lu]", (unsigned long) st.st_ino);
  sandlock_launcher_take_fd (launcher, passed, 3);
  process = sandlock_launcher_spawnv (launcher, (const char * const []) {
                                        sandlock_test_probe (), "sleep", "60", NULL }, &error);
  g_assert_no_error (error);

  /* The command holds it... */
  for (waited = 0; waited < SANDLOCK_TEST_HANG_SECONDS * 100 && !has_fd_on (sandlock_process_get_pid (process), link); waited++)
    g_usleep (10 * 1000);
  g_assert_true (has_fd_on (sandlock_process_get_pid (process), link));
  /* ...its supervising helper lets it go (once past the handshake). */
  helper = parent_of (sandlock_process_get_pid (process));
  g_assert_cmpint (helper, !=, getpid ());
  for (waited = 0; waited < SANDLOCK_TEST_HANG_SECONDS * 100 && has_fd_on (helper, link); waited++)
    g_usleep (10 * 1000);
  g_assert_false (has_fd_on (helper, link));
  /* ...and goes on supervising: both still run. */
  g_assert_true (is_running (helper));
  g_assert_true (is_running (sandlock_process_get_pid (process)));

  sandlock_process_force_exit (process);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
}

static void
test_replaced_target_closes_the_first (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandbox_seeing_fds ();
  g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);
  g_autofree char *output = NULL;
  int first = pipe_with ("first");

  sandlock_launcher_take_fd (launcher, first, 5);
  sandlock_launcher_take_fd (launcher, pipe_with ("second"), 5);
  g_assert_cmpint (fcntl (first, F_GETFD), ==, -1);
  output = run_launcher (launcher, (const char * const []) { "fds", "read-fd", "5", NULL });
  sandlock_test_assert_line (output, "fds: 0 1 2 5");
  sandlock_test_assert_line (output, "read-fd 5: second");
}

static void
test_close_closes_and_refuses (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  int passed = pipe_with ("x");

  sandlock_launcher_take_fd (launcher, passed, 3);
  sandlock_launcher_close (launcher);
  g_assert_cmpint (fcntl (passed, F_GETFD), ==, -1);
  process = sandlock_launcher_spawnv (launcher, (const char * const []) {
                                        sandlock_test_probe (), "exit", "0", NULL }, &error);
  g_assert_null (process);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
}

/* A passed directory gives its listing, and nothing through Landlock:
 * opening beneath it is checked against the policy like any path. */
static void
test_passed_directory_does_not_widen_landlock (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);
  g_autofree char *dir = g_dir_make_tmp ("sandlock-launcher-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename (dir, "secret", NULL);
  g_autofree char *output = NULL;

  g_assert_true (g_file_set_contents (secret, "do not read\n", -1, NULL));
  sandlock_launcher_take_fd (launcher, open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), 3);
  output = run_launcher (launcher, (const char * const []) {
                           "list-fd", "3", "openat-fd", "3:secret", NULL });
  sandlock_test_assert_line (output, "list-fd 3: secret");
  sandlock_test_assert_line (output, "openat-fd 3:secret: EACCES");

  /* Granted, the same openat works: the refusal was Landlock's. */
  {
    g_autoptr(SandlockSandbox) granted = sandlock_test_sandbox_new ();
    g_autoptr(SandlockLauncher) granted_launcher = launcher_new (granted);
    g_autofree char *granted_output = NULL;

    sandlock_test_grant (granted, dir, FALSE);
    sandlock_launcher_take_fd (granted_launcher, open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), 3);
    granted_output = run_launcher (granted_launcher, (const char * const []) {
                                     "openat-fd", "3:secret", NULL });
    sandlock_test_assert_line (granted_output, "openat-fd 3:secret: ok");
  }

  g_unlink (secret);
  g_rmdir (dir);
}

static void
test_stdio_from_fds (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) launcher = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[256] = { 0 };
  int out[2];

  g_assert_no_errno (pipe2 (out, O_CLOEXEC));
  sandlock_launcher_take_stdin_fd (launcher, pipe_with ("from a descriptor"));
  sandlock_launcher_take_stdout_fd (launcher, out[1]);
  process = sandlock_launcher_spawnv (launcher, (const char * const []) {
                                        sandlock_test_probe (), "stdin", NULL }, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  /* The launcher still holds the write end: read what is there. */
  g_assert_cmpint (read (out[0], buffer, sizeof buffer - 1), >, 0);
  g_assert_nonnull (strstr (buffer, "stdin: from a descriptor"));
  close (out[0]);
}

static void
test_stdio_from_files (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) launcher = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sandlock-launcher-XXXXXX", NULL);
  g_autofree char *in = g_build_filename (dir, "in", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *written = NULL;

  g_assert_true (g_file_set_contents (in, "from a file", -1, NULL));
  g_assert_true (g_file_set_contents (out, "old content, longer than the new", -1, NULL));
  sandlock_launcher_set_stdin_file_path (launcher, in);
  sandlock_launcher_set_stdout_file_path (launcher, out);
  process = sandlock_launcher_spawnv (launcher, (const char * const []) {
                                        sandlock_test_probe (), "stdin", NULL }, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_true (g_file_get_contents (out, &written, NULL, NULL));
  /* Truncated, then written; the files were opened by us: the sandbox
   * grants nothing in the directory. */
  g_assert_cmpstr (written, ==, "stdin: from a file (11 bytes)\n");

  g_unlink (in);
  g_unlink (out);
  g_rmdir (dir);
}

static void
test_environment_and_cwd (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);
  g_autofree char *output = NULL;

  g_setenv ("SANDLOCK_LAUNCHER_INHERITED", "inherited", TRUE);
  g_setenv ("SANDLOCK_LAUNCHER_GONE", "should be removed", TRUE);
  g_object_set (sandbox, "env", (const char * const []) {
                  "SANDLOCK_LAUNCHER_SANDBOX=sandbox", "SANDLOCK_LAUNCHER_KEPT=sandbox", NULL }, NULL);
  sandlock_launcher_setenv (launcher, "SANDLOCK_LAUNCHER_SANDBOX", "launcher", TRUE);
  sandlock_launcher_setenv (launcher, "SANDLOCK_LAUNCHER_KEPT", "launcher", FALSE);
  sandlock_launcher_setenv (launcher, "SANDLOCK_LAUNCHER_NEW", "new", FALSE);
  sandlock_launcher_unsetenv (launcher, "SANDLOCK_LAUNCHER_GONE");
  sandlock_launcher_set_cwd (launcher, "/");

  output = run_launcher (launcher, (const char * const []) { "env", "cwd", NULL });
  sandlock_test_assert_line (output, "env: SANDLOCK_LAUNCHER_INHERITED=inherited");
  sandlock_test_assert_line (output, "env: SANDLOCK_LAUNCHER_SANDBOX=launcher");
  sandlock_test_assert_line (output, "env: SANDLOCK_LAUNCHER_KEPT=sandbox");
  sandlock_test_assert_line (output, "env: SANDLOCK_LAUNCHER_NEW=new");
  g_assert_null (strstr (output, "SANDLOCK_LAUNCHER_GONE"));
  sandlock_test_assert_line (output, "cwd: /");
}

static void
test_sandbox_env_removes_a_variable (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_setenv ("SANDLOCK_ENV_REMOVED", "should be removed", TRUE);
  g_object_set (sandbox, "env", (const char * const []) { "SANDLOCK_ENV_REMOVED", NULL }, NULL);
  result = sandlock_test_run_probe (sandbox, &error, "env", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_nonnull (strstr (output, "env: "));
  g_assert_null (strstr (output, "SANDLOCK_ENV_REMOVED"));
}

static void
assert_spawn_fails (SandlockLauncher *launcher,
                    GQuark            domain,
                    int               code)
{
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SandlockLauncher) warm = launcher_new (sandlock_launcher_get_sandbox (launcher));
  guint fds;

  /* The policy compiled and cached first (its descriptors). */
  g_free (run_launcher (warm, (const char * const []) { "exit", "0", NULL }));
  fds = sandlock_test_count_fds ();
  process = sandlock_launcher_spawnv (launcher, (const char * const []) {
                                        sandlock_test_probe (), "exit", "0", NULL }, &error);
  g_assert_null (process);
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  /* Nothing half-started, nothing opened left. */
  sandlock_test_assert_fds (fds);
}

static void
test_errors (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();

  {
    /* A stream given by a flag and a descriptor. */
    g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);

    sandlock_launcher_take_stdout_fd (launcher, open ("/dev/null", O_WRONLY | O_CLOEXEC));
    assert_spawn_fails (launcher, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  }
  {
    /* A descriptor and a file for one stream. */
    g_autoptr(SandlockLauncher) launcher = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);

    sandlock_launcher_take_stdin_fd (launcher, open ("/dev/null", O_RDONLY | O_CLOEXEC));
    sandlock_launcher_set_stdin_file_path (launcher, "/dev/null");
    assert_spawn_fails (launcher, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  }
  {
    g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);

    sandlock_launcher_set_cwd (launcher, "relative");
    assert_spawn_fails (launcher, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  }
  {
    g_autoptr(SandlockLauncher) launcher = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);

    sandlock_launcher_set_stdin_file_path (launcher, "/nonexistent/sandlock-launcher");
    assert_spawn_fails (launcher, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  {
    /* A descriptor closed behind the launcher's back. */
    g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);
    int passed = pipe_with ("x");

    sandlock_launcher_take_fd (launcher, passed, 3);
    close (passed);
    assert_spawn_fails (launcher, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
    sandlock_launcher_close (launcher);
  }
  {
    g_autoptr(SandlockLauncher) launcher = launcher_new (sandbox);

    for (int i = 0; i < 65; i++)
      sandlock_launcher_take_fd (launcher, open ("/dev/null", O_RDONLY | O_CLOEXEC), 3 + i);
    assert_spawn_fails (launcher, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  }
}

typedef struct {
  GMainLoop       *loop;
  SandlockProcess *process;
  GError          *error;
  guint            idles_before;
  guint           *idles;
} SpawnAsync;

static void
on_spawned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SpawnAsync *state = user_data;

  state->idles_before = *state->idles;
  if (SANDLOCK_IS_LAUNCHER (source))
    state->process = sandlock_launcher_spawnv_finish (SANDLOCK_LAUNCHER (source), result, &state->error);
  else
    state->process = sandlock_sandbox_spawn_finish (SANDLOCK_SANDBOX (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static gboolean
count_idle (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* The spawn runs while the loop runs: the child's set-up is held (the
 * library's test hook) for 2 s, far longer than any iteration, and the
 * loop dispatches an idle meanwhile; the spawn then gives up cleanly. */
static void
test_spawn_async_does_not_block_the_loop (gconstpointer data)
{
  gboolean launcher = g_str_equal (data, "launcher");
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockLauncher) spawner = launcher_new (sandbox);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const char * const argv[] = { sandlock_test_probe (), "exit", "0", NULL };
  guint idles = 0, idle_id;
  SpawnAsync state = { loop, NULL, NULL, 0, &idles };

  /* The hook is read once per process: in a process of its own. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  g_setenv ("SANDLOCK_TEST_STALL_SETUP", "2000", TRUE);
  if (launcher)
    sandlock_launcher_spawnv_async (spawner, argv, NULL, on_spawned, &state);
  else
    sandlock_sandbox_spawn_async (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, NULL, on_spawned, &state);
  /* Returned at once: nothing was dispatched yet. */
  g_assert_cmpuint (idles, ==, 0);
  idle_id = g_idle_add (count_idle, &idles);
  g_main_loop_run (loop);
  g_source_remove (idle_id);

  g_assert_cmpuint (state.idles_before, >, 0);
  g_assert_null (state.process);
  g_assert_error (state.error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
  g_clear_error (&state.error);
}

static void
test_spawn_async_runs (gconstpointer data)
{
  gboolean launcher = g_str_equal (data, "launcher");
  g_autoptr(SandlockSandbox) sandbox = sandbox_seeing_fds ();
  g_autoptr(SandlockLauncher) spawner = sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  const char * const argv[] = { sandlock_test_probe (), "fds", "read-fd", "3", NULL };
  guint idles = 0;
  SpawnAsync state = { loop, NULL, NULL, 0, &idles };
  int passed = pipe_with ("passed");

  if (launcher)
    {
      sandlock_launcher_take_fd (spawner, passed, 3);
      sandlock_launcher_spawnv_async (spawner, argv, NULL, on_spawned, &state);
      /* The descriptors were taken at the call. */
      sandlock_launcher_close (spawner);
    }
  else
    {
      close (passed);
      sandlock_sandbox_spawn_async (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL,
                                    on_spawned, &state);
    }
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.process);

  g_assert_true (sandlock_process_communicate (state.process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  if (launcher)
    {
      g_autofree char *output = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

      sandlock_test_assert_line (output, "fds: 0 1 2 3");
      sandlock_test_assert_line (output, "read-fd 3: passed");
    }
  g_clear_object (&state.process);
}

static void
on_cancelled_spawn (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SpawnAsync *state = user_data;

  state->process = sandlock_sandbox_spawn_finish (SANDLOCK_SANDBOX (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_spawn_async_cancelled (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint idles = 0;
  SpawnAsync state = { loop, NULL, NULL, 0, &idles };
  g_autoptr(SandlockResult) warm = NULL;
  guint fds;

  /* What the first spawn opens for good: the policy's descriptors, the
   * worker threads' contexts. */
  warm = sandlock_test_run_probe (sandbox, NULL, "exit", "0", NULL);
  sandlock_sandbox_spawn_async (sandbox, (const char * const []) {
                                  sandlock_test_probe (), "exit", "0", NULL },
                                G_SUBPROCESS_FLAGS_NONE, NULL, on_cancelled_spawn, &state);
  g_main_loop_run (loop);
  g_assert_no_error (state.error);
  g_assert_true (sandlock_process_wait (state.process, NULL, NULL));
  g_clear_object (&state.process);
  fds = sandlock_test_count_fds ();

  sandlock_sandbox_spawn_async (sandbox, (const char * const []) {
                                  sandlock_test_probe (), "sleep", "60", NULL },
                                G_SUBPROCESS_FLAGS_NONE, cancellable, on_cancelled_spawn, &state);
  g_cancellable_cancel (cancellable);
  g_main_loop_run (loop);
  g_assert_null (state.process);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);

  /* Whether it was cancelled before or after it started, nothing is left
   * once the loop has reaped what was started. */
  for (guint i = 0; i < SANDLOCK_TEST_HANG_SECONDS * 100 && sandlock_test_count_fds () != fds; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  sandlock_test_assert_fds (fds);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/launcher/fds/at-their-numbers", test_passes_fds_at_their_numbers);
  g_test_add_func ("/launcher/fds/replaced-target", test_replaced_target_closes_the_first);
  g_test_add_func ("/launcher/fds/leave-the-helper", test_passed_fds_leave_the_helper);
  g_test_add_func ("/launcher/fds/close", test_close_closes_and_refuses);
  g_test_add_func ("/launcher/fds/directory-does-not-widen-landlock",
                   test_passed_directory_does_not_widen_landlock);
  g_test_add_func ("/launcher/stdio/from-fds", test_stdio_from_fds);
  g_test_add_func ("/launcher/stdio/from-files", test_stdio_from_files);
  g_test_add_func ("/launcher/environment-and-cwd", test_environment_and_cwd);
  g_test_add_func ("/launcher/sandbox-env-removes", test_sandbox_env_removes_a_variable);
  g_test_add_func ("/launcher/errors", test_errors);
  g_test_add_data_func ("/launcher/spawn-async/does-not-block/launcher", "launcher",
                        test_spawn_async_does_not_block_the_loop);
  g_test_add_data_func ("/launcher/spawn-async/does-not-block/sandbox", "sandbox",
                        test_spawn_async_does_not_block_the_loop);
  g_test_add_data_func ("/launcher/spawn-async/runs/launcher", "launcher", test_spawn_async_runs);
  g_test_add_data_func ("/launcher/spawn-async/runs/sandbox", "sandbox", test_spawn_async_runs);
  g_test_add_func ("/launcher/spawn-async/cancelled", test_spawn_async_cancelled);

  return sandlock_test_run ();
}
