/* test-output.c: bounded captured output (SandlockSandbox:max-output)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <string.h>

#include "sandlock-test-common.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)

/* A field of /proc/self/status, in KiB. */
static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat (field, ":", NULL);
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/* Whether the resident sizes mean anything in this build. */
static gboolean
memory_measurable (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer's shadow memory and quarantine blur resident sizes");
  return FALSE;
#else
  if (sandlock_test_running_on_valgrind ())
    {
      g_test_skip ("valgrind's bookkeeping blurs resident sizes");
      return FALSE;
    }
  return TRUE;
#endif
}

static char *
size_arg (guint64 bytes)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
}

/* Asserts @bytes is @size bytes of the probe's 'x'. */
static void
assert_spewed (GBytes  *bytes,
               guint64  size)
{
  const guint8 *data;
  gsize len;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, size);
  for (gsize i = 0; i < len; i++)
    if (data[i] != 'x')
      g_error ("byte %zu is 0x%02x, not 'x'", i, data[i]);
}

/* The attack: a command that writes 256 MiB to its stdout, captured by
 * run() with the sandbox's defaults. The application's peak resident
 * size (VmHWM) must not grow by anything like the output. Before
 * max-output it grew by the whole output (+256 MiB here, and so on for a
 * gigabyte); now by at most about the default limit, 64 MiB. */
static void
test_attack_default_sandbox (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = size_arg (256 * MIB);
  guint64 hwm_before, hwm_after, rss_after;

  if (!memory_measurable ())
    return;

  g_assert_cmpuint (sandlock_sandbox_get_max_output (sandbox), ==, 64 * MIB);
  hwm_before = status_kib ("VmHWM");
  result = sandlock_test_run_probe (sandbox, &error, "spew", size, NULL);
  g_assert_no_error (error);
  hwm_after = status_kib ("VmHWM");
  rss_after = status_kib ("VmRSS");
  g_test_message ("256 MiB of output: VmHWM %" G_GUINT64_FORMAT " KiB -> %" G_GUINT64_FORMAT
                  " KiB (+%" G_GUINT64_FORMAT " MiB), VmRSS after %" G_GUINT64_FORMAT " KiB, "
                  "kept %zu bytes",
                  hwm_before, hwm_after, (hwm_after - hwm_before) / 1024, rss_after,
                  g_bytes_get_size (sandlock_result_get_stdout (result)));

  g_assert_true (sandlock_result_get_output_limit_exceeded (result));
  g_assert_false (sandlock_result_get_success (result));
  g_assert_cmpuint (g_bytes_get_size (sandlock_result_get_stdout (result)), ==, 64 * MIB);
  /* At most twice the default limit (64 MiB), far below the output. */
  g_assert_cmpuint (hwm_after - hwm_before, <, 2 * 64 * 1024);
}

/* More than the limit on either stream: killed, the reason set, and
 * exactly the limit kept; the other stream is untouched. */
static void
test_over_limit (gconstpointer data)
{
  const char *spew = data;
  gboolean on_stderr = g_str_equal (spew, "spew-stderr");
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = size_arg (4 * MIB);

  sandlock_sandbox_set_max_output (sandbox, MIB);
  result = sandlock_test_run_probe (sandbox, &error, spew, size, "print", "not reached", NULL);
  g_assert_no_error (error);

  g_assert_true (sandlock_result_get_output_limit_exceeded (result));
  g_assert_false (sandlock_result_get_success (result));
  g_assert_false (sandlock_result_get_timed_out (result));
  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, -1);
  g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGKILL);
  assert_spewed (on_stderr ? sandlock_result_get_stderr (result) : sandlock_result_get_stdout (result),
                 MIB);
  g_assert_cmpuint (g_bytes_get_size (on_stderr ? sandlock_result_get_stdout (result)
                                                : sandlock_result_get_stderr (result)), ==, 0);
}

/* Up to the limit, exactly, is not over it: everything is kept and the
 * command ends by itself. */
static void
test_at_limit (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = size_arg (MIB);

  sandlock_sandbox_set_max_output (sandbox, MIB);
  result = sandlock_test_run_probe (sandbox, &error, "spew", size, "spew-stderr", size, NULL);
  g_assert_no_error (error);

  g_assert_false (sandlock_result_get_output_limit_exceeded (result));
  g_assert_true (sandlock_result_get_success (result));
  assert_spewed (sandlock_result_get_stdout (result), MIB);
  assert_spewed (sandlock_result_get_stderr (result), MIB);
}

/* Small output is untouched by the default limit. */
static void
test_below_limit (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  result = sandlock_test_run_probe (sandbox, &error, "print", "hello", "stderr", "there", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  g_assert_false (sandlock_result_get_output_limit_exceeded (result));
  g_assert_true (sandlock_result_get_success (result));
  g_assert_cmpstr (output, ==, "hello\n");
  /* A NUL follows the captured bytes, outside their size: code that reads
   * them as a C string (docs/vala.md does) stops there. */
  g_assert_cmpint (((const char *) g_bytes_get_data (sandlock_result_get_stdout (result), NULL))[6], ==, '\0');
  g_assert_cmpmem (g_bytes_get_data (sandlock_result_get_stderr (result), NULL),
                   g_bytes_get_size (sandlock_result_get_stderr (result)), "there\n", 6);
}

/* 0 is no limit: more than the default (64 MiB) is all kept. */
static void
test_zero_is_unbounded (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = size_arg (80 * MIB);

  sandlock_sandbox_set_max_output (sandbox, 0);
  result = sandlock_test_run_probe (sandbox, &error, "spew", size, NULL);
  g_assert_no_error (error);

  g_assert_false (sandlock_result_get_output_limit_exceeded (result));
  g_assert_true (sandlock_result_get_success (result));
  assert_spewed (sandlock_result_get_stdout (result), 80 * MIB);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_property (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  guint64 value = 0;
  guint notified = 0;

  g_assert_cmpuint (sandlock_sandbox_get_max_output (sandbox), ==, 64 * MIB);
  g_signal_connect (sandbox, "notify::max-output", G_CALLBACK (on_notify), &notified);

  sandlock_sandbox_set_max_output (sandbox, 12345);
  sandlock_sandbox_set_max_output (sandbox, 12345);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (sandbox, "max-output", &value, NULL);
  g_assert_cmpuint (value, ==, 12345);

  g_object_set (sandbox, "max-output", G_MAXUINT64, NULL);
  g_assert_cmpuint (sandlock_sandbox_get_max_output (sandbox), ==, G_MAXUINT64);
  g_assert_cmpuint (notified, ==, 2);
  sandlock_sandbox_set_max_output (sandbox, 0);
  g_assert_cmpuint (sandlock_sandbox_get_max_output (sandbox), ==, 0);
}

/* The memory bound: a command writes 16 times the limit to stdout and
 * stderr; the application's peak resident size grows by a small multiple
 * of the limit (one buffer per stream, each at most the limit). */
static void
test_memory_bounded (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = size_arg (16 * 16 * MIB);
  guint64 hwm_before, hwm_after;

  if (!memory_measurable ())
    return;

  sandlock_sandbox_set_max_output (sandbox, 16 * MIB);
  hwm_before = status_kib ("VmHWM");
  result = sandlock_test_run_probe (sandbox, &error, "spew-stderr", size, NULL);
  g_assert_no_error (error);
  hwm_after = status_kib ("VmHWM");
  g_test_message ("256 MiB written, 16 MiB limit: VmHWM +%" G_GUINT64_FORMAT " KiB",
                  hwm_after - hwm_before);

  g_assert_true (sandlock_result_get_output_limit_exceeded (result));
  assert_spewed (sandlock_result_get_stderr (result), 16 * MIB);
  g_assert_cmpuint (hwm_after - hwm_before, <, 3 * 16 * 1024);
}

/* communicate() fails with the distinct error, and the process says why
 * it died, through wait_check() too. */
static void
test_communicate (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autofree char *size = size_arg (4 * MIB);
  const char * const commands[] = { "spew", size, NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_set_max_output (sandbox, MIB);
  process = sandlock_test_spawn_probev (sandbox,
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                        commands);
  g_assert_false (sandlock_process_communicate (process, NULL, NULL, &out, &err, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_OUTPUT_LIMIT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "standard output"));
  g_assert_null (out);
  g_assert_null (err);
  g_clear_error (&error);

  g_assert_true (sandlock_process_get_has_exited (process));
  g_assert_true (sandlock_process_get_output_limit_exceeded (process));
  g_assert_false (sandlock_process_get_successful (process));
  g_assert_false (sandlock_process_get_timed_out (process));
  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_OUTPUT_LIMIT);
}

/* Below the limit, communicate() and the process are as before. */
static void
test_communicate_below (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autofree char *size = size_arg (MIB);
  const char * const commands[] = { "spew", size, "spew-stderr", size, NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_set_max_output (sandbox, MIB);
  process = sandlock_test_spawn_probev (sandbox,
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                        commands);
  g_assert_true (sandlock_process_communicate (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  assert_spewed (out, MIB);
  assert_spewed (err, MIB);
  g_assert_false (sandlock_process_get_output_limit_exceeded (process));
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GBytes) out = NULL;

  g_assert_false (sandlock_process_communicate_finish (SANDLOCK_PROCESS (source), result,
                                                       &out, NULL, error));
  g_assert_null (out);
  g_assert_nonnull (*error);
}

/* communicate_async(), on a running main loop: the same error, and the
 * same memory bound while the command writes 16 times the limit. */
static void
test_communicate_async (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autofree char *size = size_arg (16 * 16 * MIB);
  const char * const commands[] = { "spew", size, NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean measure = !sandlock_test_running_on_valgrind ();
  guint64 hwm_before, hwm_after;

#if defined(__SANITIZE_ADDRESS__)
  measure = FALSE;
#endif

  sandlock_sandbox_set_max_output (sandbox, 16 * MIB);
  hwm_before = status_kib ("VmHWM");
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  sandlock_process_communicate_async (process, NULL, NULL, on_communicated, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  hwm_after = status_kib ("VmHWM");

  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_OUTPUT_LIMIT);
  g_assert_true (sandlock_process_get_output_limit_exceeded (process));
  g_assert_true (sandlock_process_get_if_signaled (process));
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);
  g_test_message ("256 MiB written, 16 MiB limit, communicate_async: VmHWM +%" G_GUINT64_FORMAT " KiB",
                  hwm_after - hwm_before);
  if (measure)
    g_assert_cmpuint (hwm_after - hwm_before, <, 3 * 16 * 1024);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/output/attack/default-sandbox", test_attack_default_sandbox);
  g_test_add_data_func ("/output/limit/stdout", "spew", test_over_limit);
  g_test_add_data_func ("/output/limit/stderr", "spew-stderr", test_over_limit);
  g_test_add_func ("/output/limit/exactly", test_at_limit);
  g_test_add_func ("/output/limit/below", test_below_limit);
  g_test_add_func ("/output/limit/zero-is-unbounded", test_zero_is_unbounded);
  g_test_add_func ("/output/limit/property", test_property);
  g_test_add_func ("/output/memory/bounded", test_memory_bounded);
  g_test_add_func ("/output/communicate/over", test_communicate);
  g_test_add_func ("/output/communicate/below", test_communicate_below);
  g_test_add_func ("/output/communicate-async/over", test_communicate_async);

  return sandlock_test_run ();
}
