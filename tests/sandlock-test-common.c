/* sandlock-test-common.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#ifdef HAVE_VALGRIND
# include <valgrind/valgrind.h>
#endif

#include "sandlock-kernel-private.h"
#include "sandlock-test-common.h"

const char *
sandlock_test_probe (void)
{
  static char *path = NULL;

  if (path == NULL)
    {
      g_autofree char *built = g_test_build_filename (G_TEST_BUILT, "sandlock-test-probe", NULL);

      /* Policies take absolute paths only. */
      path = g_canonicalize_filename (built, NULL);
    }
  return path;
}

const char *
sandlock_test_limits_probe (void)
{
  static char *path = NULL;

  if (path == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (sandlock_test_probe ());

      path = g_build_filename (dir, "sandlock-limits-probe", NULL);
    }
  return path;
}

void
sandlock_test_grant (SandlockSandbox *sandbox,
                     const char      *path,
                     gboolean         writable)
{
  const char * const *current = writable ? sandlock_sandbox_get_fs_writable (sandbox)
                                         : sandlock_sandbox_get_fs_readable (sandbox);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;

  if (current != NULL)
    g_strv_builder_addv (builder, (const char **) current);
  g_strv_builder_add (builder, path);
  paths = g_strv_builder_end (builder);

  if (writable)
    sandlock_sandbox_set_fs_writable (sandbox, (const char * const *) paths);
  else
    sandlock_sandbox_set_fs_readable (sandbox, (const char * const *) paths);
}

SandlockSandbox *
sandlock_test_sandbox_new (void)
{
  static const char * const system_paths[] = {
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ld.so.cache",
  };
  SandlockSandbox *sandbox = sandlock_sandbox_new ();
  g_autofree char *probe_dir = g_path_get_dirname (sandlock_test_probe ());

  for (gsize i = 0; i < G_N_ELEMENTS (system_paths); i++)
    if (g_file_test (system_paths[i], G_FILE_TEST_EXISTS))
      sandlock_test_grant (sandbox, system_paths[i], FALSE);
  sandlock_test_grant (sandbox, probe_dir, FALSE);

  return sandbox;
}

SandlockResult *
sandlock_test_run_probev (SandlockSandbox     *sandbox,
                          const char * const  *commands,
                          GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) sandlock_test_probe ());
  for (gsize i = 0; commands != NULL && commands[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) commands[i]);
  g_ptr_array_add (argv, NULL);

  return sandlock_sandbox_run (sandbox, (const char * const *) argv->pdata, NULL, NULL, error);
}

SandlockProcess *
sandlock_test_spawn_probev (SandlockSandbox     *sandbox,
                            GSubprocessFlags     flags,
                            const char * const  *commands)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  SandlockProcess *process;

  g_ptr_array_add (argv, (char *) sandlock_test_probe ());
  for (gsize i = 0; commands[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) commands[i]);
  g_ptr_array_add (argv, NULL);

  process = sandlock_sandbox_spawn (sandbox, (const char * const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  g_assert_nonnull (process);
  return process;
}

SandlockResult *
sandlock_test_run_probe (SandlockSandbox  *sandbox,
                         GError          **error,
                         ...)
{
  g_autoptr(GPtrArray) commands = g_ptr_array_new ();
  const char *command;
  va_list args;

  va_start (args, error);
  while ((command = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (commands, (char *) command);
  va_end (args);
  g_ptr_array_add (commands, NULL);

  return sandlock_test_run_probev (sandbox, (const char * const *) commands->pdata, error);
}

char *
sandlock_test_stdout (SandlockResult *result)
{
  GBytes *bytes = sandlock_result_get_stdout (result);

  /* Empty bytes may have no data at all: still a string. */
  if (g_bytes_get_size (bytes) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

void
sandlock_test_assert_line_impl (const char *location,
                                const char *output,
                                const char *line)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  if (!g_strv_contains ((const char * const *) lines, line))
    g_error ("%s: expected the line \"%s\" in the output:\n%s", location, line, output);
}

guint
sandlock_test_count_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.')
      count++;
  closedir (dir);
  return count - 1;   /* the directory's own descriptor */
}

void
sandlock_test_assert_fds (guint expected)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint count = sandlock_test_count_fds ();

  if (count == expected)
    return;

  dir = g_dir_open ("/proc/self/fd", 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_strdup_printf ("/proc/self/fd/%s", name);
      g_autofree char *target = g_file_read_link (link, NULL);

      g_printerr ("fd %s -> %s\n", name, target != NULL ? target : "?");
    }
  g_error ("Expected %u open descriptors, found %u (listed above)", expected, count);
}

int
sandlock_test_listen_tcp (guint16 *port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int fd;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (listen (fd, 16));
  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &length));
  *port = ntohs (addr.sin_port);
  return fd;
}

gboolean
sandlock_test_pid_gone (GPid pid)
{
  /* A zombie still answers kill(pid, 0): gone means reaped, which the
   * helper does for every process of its sandbox before it exits. */
  return kill (pid, 0) != 0 && errno == ESRCH;
}

static gboolean
on_hang (gpointer user_data)
{
  g_error ("Waited %d seconds for pid %d to go away", SANDLOCK_TEST_HANG_SECONDS,
           GPOINTER_TO_INT (user_data));
  return G_SOURCE_REMOVE;
}

void
sandlock_test_wait_pid_gone (GMainContext *context,
                             GPid          pid)
{
  GSource *hang = g_timeout_source_new_seconds (SANDLOCK_TEST_HANG_SECONDS);

  g_source_set_callback (hang, on_hang, GINT_TO_POINTER (pid), NULL);
  g_source_attach (hang, context);

  while (!sandlock_test_pid_gone (pid))
    {
      /* Poll: the process we watch is not ours to get notified about. */
      while (g_main_context_iteration (context, FALSE))
        ;
      g_usleep (2000);
    }

  g_source_destroy (hang);
  g_source_unref (hang);
}

static char *
read_line (SandlockProcess *process,
           gboolean         serve)
{
  GInputStream *stream = sandlock_process_get_stdout_pipe (process);
  GString *line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_assert_nonnull (stream);
  g_assert_true (G_IS_POLLABLE_INPUT_STREAM (stream));
  for (;;)
    {
      char c;
      gssize n;

      /* The sandbox's trapped syscalls (its forks, with max-processes)
       * wait for the main context: keep it running while waiting. */
      while (serve && !g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (stream)))
        if (!g_main_context_iteration (context, FALSE))
          g_usleep (500);
      n = g_input_stream_read (stream, &c, 1, NULL, &error);

      g_assert_no_error (error);
      if (n == 0 || c == '\n')
        break;
      g_string_append_c (line, c);
    }
  return g_string_free (line, FALSE);
}

char *
sandlock_test_read_line (SandlockProcess *process)
{
  return read_line (process, TRUE);
}

char *
sandlock_test_read_line_blocking (SandlockProcess *process)
{
  return read_line (process, FALSE);
}

void
sandlock_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        sandlock_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

char *
sandlock_test_make_file (const char *dir,
                         const char *name,
                         const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

guint
sandlock_test_count_tagged (const char *tag)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize length = 0;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "cmdline", NULL);
      /* The process may be gone meanwhile: that is not a survivor. */
      if (!g_file_get_contents (path, &cmdline, &length, NULL))
        continue;
      for (gsize offset = 0; offset < length; offset += strlen (cmdline + offset) + 1)
        if (g_str_equal (cmdline + offset, tag))
          {
            count++;
            break;
          }
    }
  return count;
}

static gboolean
on_tagged_hang (gpointer user_data)
{
  g_error ("Waited %d seconds for the processes tagged %s to go away",
           SANDLOCK_TEST_HANG_SECONDS, (const char *) user_data);
  return G_SOURCE_REMOVE;
}

void
sandlock_test_wait_tagged_gone (GMainContext *context,
                                const char   *tag)
{
  GSource *hang = g_timeout_source_new_seconds (SANDLOCK_TEST_HANG_SECONDS);

  g_source_set_callback (hang, on_tagged_hang, (gpointer) tag, NULL);
  g_source_attach (hang, context);

  while (sandlock_test_count_tagged (tag) > 0)
    {
      while (g_main_context_iteration (context, FALSE))
        ;
      g_usleep (2000);
    }

  g_source_destroy (hang);
  g_source_unref (hang);
}

gboolean
sandlock_test_has_children (void)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  g_assert_nonnull (tasks);
  while ((tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "children", NULL);
      g_autofree char *children = NULL;

      if (g_file_get_contents (path, &children, NULL, NULL) && *g_strstrip (children) != '\0')
        return TRUE;
    }
  return FALSE;
}

gboolean
sandlock_test_running_on_valgrind (void)
{
#ifdef HAVE_VALGRIND
  return RUNNING_ON_VALGRIND != 0;
#else
  return FALSE;
#endif
}

gboolean
sandlock_test_built_with_asan (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return TRUE;
#else
  return FALSE;
#endif
#else
  return FALSE;
#endif
}

/* ---- one process per test ------------------------------------------------ */

static char *self_path;          /* this program, canonical */
static gboolean run_isolated;    /* sandlock_test_run() spawns per test */

void
sandlock_test_init (int    *argc,
                    char ***argv)
{
  /* Read before g_test_init() strips GTest's options. A choice of tests,
   * a listing, or a subprocess of g_test_trap_subprocess() (which passes
   * -p too) runs in this process as usual. */
  run_isolated = g_strcmp0 (g_getenv ("SANDLOCK_TEST_IN_PROCESS"), "1") != 0;
  for (int i = 1; i < *argc; i++)
    {
      const char *arg = (*argv)[i];

      if (g_str_equal (arg, "-p") || g_str_has_prefix (arg, "-p=") ||
          g_str_equal (arg, "-s") || g_str_has_prefix (arg, "-s=") ||
          g_str_equal (arg, "-l") || g_str_equal (arg, "--GTestSubprocess"))
        run_isolated = FALSE;
    }
  self_path = g_canonicalize_filename ((*argv)[0], NULL);

  g_test_init (argc, argv, NULL);
}

/* The test paths of this program, in their order: its own -l. */
static GPtrArray *
list_tests (void)
{
  const char * const argv[] = { self_path, "-l", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("Could not list the tests of %s: %s", self_path, error->message);
  lines = g_strsplit (out, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '/')
      g_ptr_array_add (paths, g_strdup (lines[i]));
  return paths;
}

/* Runs test @index (counted from 0) of @paths in a process of its own,
 * passes its output on, and prints its one TAP result line, numbered
 * @index + 1. Returns whether it passed (or was skipped, or is a known
 * TODO). */
static gboolean
run_one (GPtrArray *paths,
         guint      index,
         char     **wrapper)
{
  const char *path = g_ptr_array_index (paths, index);
  g_autofree char *nested_prefix = g_strconcat (path, "/", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;   /* "ok", "ok # SKIP...", "not ok..." */
  g_autoptr(GRegex) result_line = NULL;
  GPid pid;
  int out_fd, status;
  FILE *out;
  char *line = NULL;
  size_t size = 0;
  gboolean passed;

  for (gsize i = 0; wrapper != NULL && wrapper[i] != NULL; i++)
    g_ptr_array_add (argv, wrapper[i]);
  g_ptr_array_add (argv, self_path);
  g_ptr_array_add (argv, (char *) "--tap");
  g_ptr_array_add (argv, (char *) "-p");
  g_ptr_array_add (argv, (char *) path);
  /* GLib's -p runs the tests below PATH too: skip those, they have their
   * own turn. */
  for (guint i = 0; i < paths->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (paths, i), nested_prefix))
      {
        g_ptr_array_add (argv, (char *) "-s");
        g_ptr_array_add (argv, g_ptr_array_index (paths, i));
      }
  g_ptr_array_add (argv, NULL);

  /* Our standard output is a TAP stream others may have written to. */
  fflush (stdout);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, &error))
    g_error ("Could not run %s -p %s: %s", self_path, path, error->message);

  /* Its result line is taken, renumbered; every other line passes on as a
   * TAP comment (its messages, its "Bail out!" when it aborts, the results
   * of the nested tests it skipped). */
  result_line = g_regex_new ("^((?:not )?ok) [0-9]+ (\\S+)(.*)$", 0, 0, NULL);
  out = fdopen (out_fd, "r");
  g_assert_nonnull (out);
  while (getline (&line, &size, out) >= 0)
    {
      g_autoptr(GMatchInfo) match = NULL;

      g_strchomp (line);
      if (g_regex_match (result_line, line, 0, &match))
        {
          g_autofree char *verdict = g_match_info_fetch (match, 1);
          g_autofree char *tested = g_match_info_fetch (match, 2);
          g_autofree char *rest = g_match_info_fetch (match, 3);

          if (g_str_equal (tested, path) && result == NULL)
            {
              result = g_strconcat (verdict, "\t", rest, NULL);
              continue;
            }
        }
      /* Its plan, and GLib's chatter, which would repeat for every test. */
      if (g_str_has_prefix (line, "1..") || g_str_has_prefix (line, "# random seed:") ||
          g_str_has_prefix (line, "# Start of ") || g_str_has_prefix (line, "# End of "))
        continue;
      printf ("%s%s\n", line[0] == '#' ? "" : "# ", line);
      fflush (stdout);
    }
  free (line);
  fclose (out);
  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  g_spawn_close_pid (pid);

  /* It passed if it said so and exited with 0: a valgrind error or leak,
   * found at exit, turns a reported "ok" into a failure. */
  if (result != NULL && WIFEXITED (status) && WEXITSTATUS (status) == 0)
    {
      char *tab = strchr (result, '\t');

      *tab = '\0';
      passed = g_str_equal (result, "ok") || strstr (tab + 1, "# TODO") != NULL;
      printf ("%s %u %s%s\n", result, index + 1, path, tab + 1);
    }
  else
    {
      g_autofree char *how = NULL;

      if (WIFSIGNALED (status))
        how = g_strdup_printf ("killed by signal %d (%s)", WTERMSIG (status),
                               g_strsignal (WTERMSIG (status)));
      else
        how = g_strdup_printf ("exited with status %d", WEXITSTATUS (status));
      printf ("not ok %u %s - its process %s%s\n", index + 1, path, how,
              result != NULL ? " after it reported its result" : " without a result");
      passed = FALSE;
    }
  fflush (stdout);
  return passed;
}

int
sandlock_test_run (void)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_auto(GStrv) wrapper = NULL;
  const char *wrap = g_getenv ("SANDLOCK_TEST_WRAPPER");
  guint failed = 0;

  if (!run_isolated)
    return g_test_run ();

  if (wrap != NULL && *wrap != '\0')
    {
      g_autoptr(GError) error = NULL;

      if (!g_shell_parse_argv (wrap, NULL, &wrapper, &error))
        g_error ("SANDLOCK_TEST_WRAPPER: %s", error->message);
    }
  else if (sandlock_test_running_on_valgrind ())
    {
      /* The tests' processes would run natively, unchecked: check them
       * here, together, as g_test_run() does. */
      printf ("# under valgrind without SANDLOCK_TEST_WRAPPER: every test in this process\n");
      return g_test_run ();
    }

  paths = list_tests ();
  printf ("1..%u\n", paths->len);
  fflush (stdout);
  for (guint i = 0; i < paths->len; i++)
    if (!run_one (paths, i, wrapper))
      failed++;
  if (failed > 0)
    printf ("# %u of %u tests failed\n", failed, paths->len);
  return failed > 0 ? 1 : 0;
}

/* ---- what varies between machines ---------------------------------------- */

static const char *
abi_description (const char      *abi,
                 SandlockTestAbi  support)
{
  gboolean i386 = g_str_equal (abi, "int80");

  switch (support)
    {
    case SANDLOCK_TEST_ABI_RUNS:
      return i386 ? "IA-32 emulation is on: an unconfined int 0x80 creat() runs"
                  : "x32 is built in: an unconfined x32 creat() runs";
    case SANDLOCK_TEST_ABI_ENOSYS:
      return i386 ? "an unconfined int 0x80 creat() fails with ENOSYS"
                  : "x32 is not built in: an unconfined x32 creat() fails with ENOSYS "
                    "(seccomp still sees the call first)";
    case SANDLOCK_TEST_ABI_SIGSEGV:
    default:
      return i386 ? "IA-32 emulation is off: the kernel kills an unconfined int 0x80 with "
                    "SIGSEGV before any syscall (or seccomp) begins"
                  : "the kernel kills an unconfined x32 syscall with SIGSEGV";
    }
}

static SandlockTestAbi
probe_foreign_abi (const char *abi)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sandlock-abi-XXXXXX", &error);
  g_autofree char *marker = NULL;
  g_autofree char *command = g_strconcat (abi, "-creat", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *ran = NULL;
  g_autofree char *enosys = NULL;
  gboolean created;
  int status;

  g_assert_no_error (error);
  marker = g_build_filename (dir, "marker", NULL);
  {
    const char * const argv[] = { sandlock_test_probe (), command, marker, NULL };

    /* Unconfined, and native even under valgrind (no --trace-children). */
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &out, &err, &status, &error);
    g_assert_no_error (error);
  }
  created = g_file_test (marker, G_FILE_TEST_EXISTS);
  g_unlink (marker);
  g_rmdir (dir);

  ran = g_strdup_printf ("%s %s: ok\n", command, marker);
  enosys = g_strdup_printf ("%s %s: ENOSYS\n", command, marker);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0 && g_str_equal (out, ran) && created)
    return SANDLOCK_TEST_ABI_RUNS;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0 && g_str_equal (out, enosys) && !created)
    return SANDLOCK_TEST_ABI_ENOSYS;
  if (WIFSIGNALED (status) && WTERMSIG (status) == SIGSEGV && *out == '\0' && !created)
    return SANDLOCK_TEST_ABI_SIGSEGV;
  g_error ("The unconfined probe of the %s ABI did something unexpected: wait status 0x%x, "
           "marker %s, output \"%s\", errors \"%s\"",
           abi, status, created ? "created" : "absent", out, err);
}

SandlockTestAbi
sandlock_test_foreign_abi (const char  *abi,
                           const char **description)
{
  static int cached[2] = { -1, -1 };
  int slot;

  if (g_str_equal (abi, "int80"))
    slot = 0;
  else if (g_str_equal (abi, "x32"))
    slot = 1;
  else
    g_error ("Unknown ABI %s", abi);

  if (cached[slot] < 0)
    cached[slot] = (int) probe_foreign_abi (abi);
  if (description != NULL)
    *description = abi_description (abi, (SandlockTestAbi) cached[slot]);
  return (SandlockTestAbi) cached[slot];
}

int
sandlock_test_landlock_abi (void)
{
#ifdef SYS_landlock_create_ruleset
  /* LANDLOCK_CREATE_RULESET_VERSION: the version, or -1 without Landlock.
   * Through sandlock_syscall(), as the library asks: valgrind 3.19 does not
   * know the syscall and would answer ENOSYS. */
  long version = sandlock_syscall (SYS_landlock_create_ruleset, 0, 0, 1U << 0, 0);

  return version < 0 ? 0 : (int) version;
#else
  return 0;
#endif
}
