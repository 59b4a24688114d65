/* test-faults.c: faults the supervisor must survive, with nothing lost or
 * leaked
 *
 * Every test runs the probe in real sandboxes on the real kernel, injects
 * a fault (a child killed at the worst moment, a handler that fails every
 * time, thousands of concurrent notifications, no descriptors left, the
 * application dropping its objects), then checks what was lost and what
 * was left: every trapped syscall got exactly one answer, the descriptors
 * are back to what they were, the sandboxes' processes are gone and
 * reaped, the objects were finalized. build-aux/run-tests also runs this
 * suite under valgrind memcheck, which proves no memory leaked, and under
 * ASan+UBSan. GTest makes warnings fatal: a library warning (an answer
 * that failed unexpectedly, a notification it could not receive) fails the
 * test too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <dlfcn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-test-common.h"
#include "sandlock-test-handler.h"

/* Descriptors open once GLib has made the ones it keeps (warm_up_once()). */
static guint baseline_fds;

/* Counts that cost a sandbox each are cut tenfold under valgrind, where a
 * spawn takes fifty times longer, and under AddressSanitizer, where forking
 * the helper copies the page tables of the shadow memory: the point of
 * those runs is memory errors and leaks, not load, which the normal build
 * carries in full. */
static guint
scaled (guint count)
{
  if (sandlock_test_running_on_valgrind () || sandlock_test_built_with_asan ())
    return MAX (count / 10, 1);
  return count;
}

static void wait_until (gboolean (*done) (gpointer),
                        gpointer   data);

static gboolean
fds_at_baseline (gpointer data)
{
  return sandlock_test_count_fds () == baseline_fds;
}

static gboolean
no_children (gpointer data)
{
  return !sandlock_test_has_children ();
}

/* Whatever test ran, nothing of its sandboxes is left. */
static void
assert_nothing_left (void)
{
  /* A helper killed by a dropped process is reaped by its supervisor's
   * exit source, and its sandbox's descriptors go when that source and
   * the listener's hang-up have been dispatched: wait for the children and
   * the descriptors themselves, within the hang bound, then check
   * exactly. */
  wait_until (no_children, NULL);
  wait_until (fds_at_baseline, NULL);
  sandlock_test_assert_fds (baseline_fds);
}

static SandlockSandbox *
sandbox_with_handler (const char          *syscall_name,
                      SandlockTestHandler *handler)
{
  SandlockSandbox *sandbox = sandlock_test_sandbox_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sandlock_sandbox_add_handler (sandbox, syscall_name, SANDLOCK_HANDLER (handler),
                                               &error));
  g_assert_no_error (error);
  return sandbox;
}

static SandlockAction *
answer_eperm (SandlockTestHandler   *self,
              SandlockNotification  *notification,
              gpointer               user_data,
              GError               **error)
{
  return sandlock_action_new_errno (EPERM);
}

static SandlockAction *
defer_and_keep (SandlockTestHandler   *self,
                SandlockNotification  *notification,
                gpointer               user_data,
                GError               **error)
{
  /* Kept outside the handler: the tests drop the handler while these live. */
  g_ptr_array_add (user_data, g_object_ref (notification));
  return sandlock_action_new_defer ();
}

static gboolean
keep_waking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until @done; fails the test if that
 * takes SANDLOCK_TEST_HANG_SECONDS. */
static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC;
  guint waker = g_timeout_add (10, keep_waking, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting after %d seconds", SANDLOCK_TEST_HANG_SECONDS);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (waker);
}

/* ---- a child killed while its notification is handled ------------------ */

static SandlockAction *
kill_child_then_answer (SandlockTestHandler   *self,
                        SandlockNotification  *notification,
                        gpointer               user_data,
                        GError               **error)
{
  gboolean *saw_gone = user_data;
  gint64 deadline = g_get_monotonic_time () + SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC;
  g_autoptr(GError) read_error = NULL;

  g_assert_no_errno (kill (sandlock_notification_get_pid (notification), SIGKILL));

  /* Reads work until the kernel withdraws the notification of the dying
   * thread; then they fail, and so will the answer. */
  for (;;)
    {
      g_autoptr(GBytes) code = NULL;

      code = sandlock_notification_read (notification,
                                         sandlock_notification_get_instruction_pointer (notification),
                                         1, &read_error);
      if (code == NULL)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("The notification of a killed child stayed valid");
      g_usleep (1000);
    }
  g_assert_error (read_error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE);
  *saw_gone = TRUE;

  return sandlock_action_new_errno (EPERM);
}

static void
test_killed_while_handled (void)
{
  gboolean saw_gone = FALSE;
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (kill_child_then_answer, &saw_gone, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  result = sandlock_test_run_probe (sandbox, &error, "getppid", "print", "survived", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  g_assert_cmpstr (output, ==, "");
  g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGKILL);
  g_assert_cmpuint (handler->calls, ==, 1);
  g_assert_true (saw_gone);

  g_clear_object (&result);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

typedef struct {
  SandlockProcess *process;
} ForceExit;

static SandlockAction *
force_exit_then_answer (SandlockTestHandler   *self,
                        SandlockNotification  *notification,
                        gpointer               user_data,
                        GError               **error)
{
  ForceExit *state = user_data;

  /* The answer races the kill: it reaches a thread about to die, or finds
   * it gone. Either way nothing may complain. */
  sandlock_process_force_exit (state->process);
  return sandlock_action_new_errno (EPERM);
}

static void
test_force_exit_while_handled (void)
{
  ForceExit state = { NULL };
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (force_exit_then_answer, &state, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  const char * const commands[] = { "threads", "4:100:getppid", NULL };
  guint rounds = scaled (50);

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;

      state.process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                  commands);
      g_assert_true (sandlock_process_wait (state.process, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (sandlock_process_get_if_signaled (state.process));
      g_assert_cmpint (sandlock_process_get_term_sig (state.process), ==, SIGKILL);
      g_clear_object (&state.process);
    }
  /* Each round took one call at least, and the kill stopped the rest. */
  g_assert_cmpuint (handler->calls, >=, rounds);
  g_assert_cmpuint (handler->calls, <, rounds * 400);

  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* ---- a child killed while its notifications are deferred ---------------- */

static gboolean
has_eight (gpointer data)
{
  return ((GPtrArray *) data)->len == 8;
}

static void
test_killed_while_deferred (gconstpointer data)
{
  gboolean respond = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (defer_and_keep, kept,
                                                                      SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  const char * const commands[] = { "threads", "8:1:getppid", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  wait_until (has_eight, kept);

  sandlock_process_force_exit (process);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);

  if (respond)
    {
      /* A late answer finds the thread gone, and says so. */
      for (guint i = 0; i < kept->len; i++)
        {
          SandlockNotification *notification = g_ptr_array_index (kept, i);
          g_autoptr(SandlockAction) action = sandlock_action_new_errno (EPERM);

          g_assert_false (sandlock_notification_respond (notification, action, &error));
          g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE);
          g_clear_error (&error);
          g_assert_false (sandlock_notification_is_pending (notification));
        }
    }
  /* Otherwise dropped unanswered: their fallback answers find them gone. */
  g_ptr_array_set_size (kept, 0);
  g_assert_cmpuint (handler->calls, ==, 8);

  g_clear_object (&process);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* ---- a child that exits with 1,000 notifications queued ----------------- */

#define QUEUED 1000

typedef struct {
  GPid pid;
  long nr;
} Blocked;

/* How many threads of @pid the kernel shows inside syscall @nr. */
static guint
count_in_syscall (GPid pid,
                  long nr)
{
  g_autofree char *tasks_path = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) tasks = g_dir_open (tasks_path, 0, NULL);
  const char *tid;
  guint count = 0;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename (tasks_path, tid, "syscall", NULL);
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL) &&
          g_ascii_strtoll (contents, NULL, 10) == nr && g_ascii_isdigit (contents[0]))
        count++;
    }
  return count;
}

static gboolean
all_queued (gpointer data)
{
  Blocked *blocked = data;

  return count_in_syscall (blocked->pid, blocked->nr) == QUEUED;
}

static void
test_exits_with_queued (gconstpointer data)
{
  gboolean killed = GPOINTER_TO_INT (data);
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (answer_eperm, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  g_autofree char *block = g_strdup_printf ("%d:getppid", QUEUED);
  const char * const commands[] = { "block", block, NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *started = NULL;
  g_autofree char *expected = g_strdup_printf ("block: %d started", QUEUED);
  gint64 deadline;
  Blocked blocked;

  process = sandlock_test_spawn_probev (sandbox,
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                        commands);
  started = sandlock_test_read_line_blocking (process);
  g_assert_cmpstr (started, ==, expected);

  /* This main context is not iterated: every trapped call stays queued in
   * the kernel. Wait until /proc shows all of them waiting in getppid. */
  blocked.pid = sandlock_process_get_pid (process);
  blocked.nr = SYS_getppid;
  deadline = g_get_monotonic_time () + SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC;
  while (!all_queued (&blocked))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%u of %d threads reached getppid",
                 count_in_syscall (blocked.pid, blocked.nr), QUEUED);
      g_usleep (2000);
    }

  /* The child leaves, by exit_group or killed, with all of them queued. */
  if (killed)
    sandlock_process_force_exit (process);
  else
    g_assert_true (g_output_stream_close (sandlock_process_get_stdin_pipe (process), NULL, &error));
  g_assert_no_error (error);

  /* Still without iterating: the helper reaps it, and the kernel withdraws
   * the queued notifications. Only then the supervisor looks. */
  deadline = g_get_monotonic_time () + SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC;
  while (!sandlock_test_pid_gone (blocked.pid))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The child did not go away");
      g_usleep (2000);
    }

  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  if (killed)
    g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);
  else
    g_assert_cmpint (sandlock_process_get_exit_status (process), ==, 0);

  /* Not one of the withdrawn calls reached the handler. */
  g_assert_cmpuint (handler->calls, ==, 0);

  g_clear_object (&process);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* ---- a handler that raises on every call -------------------------------- */

#define RAISES 10000

static SandlockAction *
raise_error (SandlockTestHandler   *self,
             SandlockNotification  *notification,
             gpointer               user_data,
             GError               **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "raised on purpose");
  return NULL;
}

static void
on_handler_error (SandlockSandbox      *sandbox,
                  SandlockHandler      *handler,
                  SandlockNotification *notification,
                  GError               *error,
                  gpointer              user_data)
{
  guint *errors = user_data;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "raised on purpose");
  g_assert_cmpint (sandlock_notification_get_syscall (notification), ==, SYS_getppid);
  (*errors)++;
}

typedef struct {
  SandlockExceptionPolicy policy;
  const char             *tally;   /* what the probe counts */
} RaisePolicy;

static const RaisePolicy raise_policies[] = {
  { SANDLOCK_EXCEPTION_POLICY_DENY_EPERM, "tally: ok=0 EPERM=10000 EIO=0 other=0\n" },
  { SANDLOCK_EXCEPTION_POLICY_DENY_EIO, "tally: ok=0 EPERM=0 EIO=10000 other=0\n" },
  /* The kernel runs getppid, which succeeds. */
  { SANDLOCK_EXCEPTION_POLICY_CONTINUE, "tally: ok=10000 EPERM=0 EIO=0 other=0\n" },
};

static void
test_handler_raises (gconstpointer data)
{
  const RaisePolicy *policy = data;
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (raise_error, NULL, policy->policy);
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *tally = g_strdup_printf ("%d:getppid", RAISES);
  guint errors = 0;

  sandbox = sandbox_with_handler ("getppid", handler);
  g_signal_connect (sandbox, "handler-error", G_CALLBACK (on_handler_error), &errors);

  result = sandlock_test_run_probe (sandbox, &error, "tally", tally, NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, policy->tally);
  g_assert_true (sandlock_result_get_success (result));
  g_assert_cmpuint (handler->calls, ==, RAISES);
  g_assert_cmpuint (errors, ==, RAISES);

  g_clear_object (&result);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

static void
test_handler_raises_kill (void)
{
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (raise_error, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  g_autofree char *tally = g_strdup_printf ("%d:getppid", RAISES);
  guint sandboxes = scaled (RAISES);
  guint errors = 0;

  /* The default policy, which fails closed: the first raise ends the
   * sandbox, so each of the 10,000 raises takes a sandbox of its own. */
  g_assert_cmpint (sandlock_handler_get_exception_policy (SANDLOCK_HANDLER (handler)), ==,
                   SANDLOCK_EXCEPTION_POLICY_KILL);
  g_signal_connect (sandbox, "handler-error", G_CALLBACK (on_handler_error), &errors);

  for (guint i = 0; i < sandboxes; i++)
    {
      g_autoptr(SandlockResult) result = NULL;
      g_autoptr(GError) error = NULL;

      result = sandlock_test_run_probe (sandbox, &error, "tally", tally, NULL);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (sandlock_result_get_stdout (result)), ==, 0);
      g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGKILL);
    }
  g_assert_cmpuint (handler->calls, ==, sandboxes);
  g_assert_cmpuint (errors, ==, sandboxes);

  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* ---- deferred answers, from an idle callback ---------------------------- */

typedef struct {
  GQueue queue;
  guint  idle_id;
  guint  answered;
} Answerer;

static gboolean
answer_queued (gpointer user_data)
{
  Answerer *answerer = user_data;
  SandlockNotification *notification;

  while ((notification = g_queue_pop_head (&answerer->queue)) != NULL)
    {
      g_autoptr(SandlockAction) action = sandlock_action_new_errno (EPERM);
      g_autoptr(GError) error = NULL;

      g_assert_true (sandlock_notification_respond (notification, action, &error));
      g_assert_no_error (error);
      g_object_unref (notification);
      answerer->answered++;
    }
  answerer->idle_id = 0;
  return G_SOURCE_REMOVE;
}

static SandlockAction *
defer_to_idle (SandlockTestHandler   *self,
               SandlockNotification  *notification,
               gpointer               user_data,
               GError               **error)
{
  Answerer *answerer = user_data;

  g_queue_push_tail (&answerer->queue, g_object_ref (notification));
  if (answerer->idle_id == 0)
    {
      /* On the context handlers run on: sandlock_sandbox_run() iterates a
       * private one. */
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, answer_queued, answerer, NULL);
      answerer->idle_id = g_source_attach (idle, g_main_context_get_thread_default ());
      g_source_unref (idle);
    }
  return sandlock_action_new_defer ();
}

/* ---- 32 threads in one child -------------------------------------------- */

static void
test_threads (gconstpointer data)
{
  gboolean deferred = GPOINTER_TO_INT (data);
  Answerer answerer = { G_QUEUE_INIT, 0, 0 };
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (deferred ? defer_to_idle : answer_eperm, &answerer,
                               SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  result = sandlock_test_run_probe (sandbox, &error, "threads", "32:1000:getppid", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  /* Each of the 32,000 calls got exactly one answer. */
  g_assert_cmpstr (output, ==, "threads: 32000 calls, 32000 failures\n");
  g_assert_cmpuint (handler->calls, ==, 32000);
  if (deferred)
    {
      g_assert_cmpuint (answerer.answered, ==, 32000);
      g_assert_true (g_queue_is_empty (&answerer.queue));
    }

  g_clear_object (&result);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* ---- a flood of notifications ------------------------------------------ */

static gboolean
count_tick (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

typedef struct {
  SandlockTestHandler *handler;
  guint                calls_seen;
  guint                interleaved;   /* ticks with notifications handled since the last */
} IdleWatch;

static gboolean
count_idle_between_batches (gpointer user_data)
{
  IdleWatch *watch = user_data;

  if (watch->handler->calls > watch->calls_seen)
    watch->interleaved++;
  watch->calls_seen = watch->handler->calls;
  return G_SOURCE_CONTINUE;
}

static void
on_flood_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SandlockResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sandlock_sandbox_run_finish (SANDLOCK_SANDBOX (source), result, &error);
  g_assert_no_error (error);
}

static void
test_flood (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SandlockTestHandler) handler =
        sandlock_test_handler_new (answer_eperm, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
      g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
      const char * const argv[] = { sandlock_test_probe (), "threads", "256:1000000000:getppid", NULL };
      g_autoptr(SandlockResult) result = NULL;
      IdleWatch watch = { handler, 0, 0 };
      guint ticks = 0;
      guint tick_id, idle_id;

      /* 256 threads trapping as fast as they are answered keep the
       * listener readable for ever: the dispatch must still hand the main
       * loop back, or neither the timeout nor any other source of the
       * application would ever run again; nor may it starve sources of a
       * lower priority than its own (idles, a toolkit's redraws). */
      sandlock_sandbox_set_timeout (sandbox, 1);
      tick_id = g_timeout_add (10, count_tick, &ticks);
      idle_id = g_idle_add (count_idle_between_batches, &watch);
      sandlock_sandbox_run_async (sandbox, argv, NULL, NULL, on_flood_done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (tick_id);
      g_source_remove (idle_id);

      g_assert_true (sandlock_result_get_timed_out (result));
      g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGKILL);
      g_assert_cmpuint (ticks, >, 0);
      g_assert_cmpuint (handler->calls, >, 0);
      /* Idles ran between batches, throughout the flood. */
      g_assert_cmpuint (watch.interleaved, >=, 10);
      return;
    }

  /* In a subprocess of its own, which a stalled main loop cannot hang. */
  g_test_trap_subprocess (NULL, SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static gboolean
keep_busy (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_flood_beside_busy_source (void)
{
  g_autoptr(SandlockTestHandler) handler =
    sandlock_test_handler_new (answer_eperm, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockSandbox) sandbox = sandbox_with_handler ("getppid", handler);
  const char * const argv[] = { sandlock_test_probe (), "threads", "128:200:getppid", NULL };
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;
  guint busy_turns = 0;
  guint busy_id;

  /* A flooded listener yields to sources below the default priority, but
   * only for a while: an application source that is always ready at a
   * priority in between (chunked work in a high-priority idle) must not
   * keep the command's threads parked until the timeout. */
  sandlock_sandbox_set_timeout (sandbox, SANDLOCK_TEST_HANG_SECONDS);
  busy_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, keep_busy, &busy_turns, NULL);
  sandlock_sandbox_run_async (sandbox, argv, NULL, NULL, on_flood_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (busy_id);

  output = sandlock_test_stdout (result);
  g_assert_false (sandlock_result_get_timed_out (result));
  g_assert_cmpstr (output, ==, "threads: 25600 calls, 25600 failures\n");
  g_assert_cmpuint (handler->calls, ==, 25600);
  g_assert_cmpuint (busy_turns, >, 0);

  g_clear_object (&result);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* GLib 2.74's g_source_set_priority() does not check whether the source
 * was destroyed, and puts its descriptors back in the context's poll set,
 * where they are read after the source is freed. This program's
 * definition takes the place of GLib's for the library: it counts such
 * calls, then calls GLib's. */
static void (*glib_source_set_priority) (GSource *source, gint priority);
static guint priority_set_on_destroyed;

void
g_source_set_priority (GSource *source,
                       gint     priority)
{
  if (g_source_is_destroyed (source))
    g_atomic_int_inc (&priority_set_on_destroyed);
  glib_source_set_priority (source, priority);
}

typedef struct {
  SandlockProcess *process;
  gboolean         triggered;
} NestedKill;

static SandlockAction *
kill_in_nested_loop (SandlockTestHandler   *self,
                     SandlockNotification  *notification,
                     gpointer               user_data,
                     GError               **error)
{
  NestedKill *state = user_data;
  GSource *listener = g_main_current_source ();

  /* Once the listener runs flooded (idle priority, restore timer armed):
   * kill the sandbox and iterate until the listener's hang-up has
   * destroyed it, all inside this dispatch of it. */
  if (!state->triggered && g_source_get_priority (listener) == G_PRIORITY_DEFAULT_IDLE)
    {
      state->triggered = TRUE;
      g_source_ref (listener);
      sandlock_process_force_exit (state->process);
      while (!g_source_is_destroyed (listener))
        g_main_context_iteration (NULL, TRUE);
      g_source_unref (listener);
    }
  return sandlock_action_new_errno (EPERM);
}

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_nested_wait_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sandlock_process_wait_finish (SANDLOCK_PROCESS (source), result, &error));
  g_assert_no_error (error);
  set_true (user_data);
}

static void
test_flood_source_gone_in_nested_loop (void)
{
  if (g_test_subprocess ())
    {
      NestedKill state = { NULL, FALSE };
      g_autoptr(SandlockTestHandler) handler = NULL;
      g_autoptr(SandlockSandbox) sandbox = NULL;
      const char * const argv[] = { "threads", "256:1000000000:getppid", NULL };
      gboolean later = FALSE, exited = FALSE;

      /* The listener is destroyed by a dispatch nested in its own while it
       * runs flooded: neither the outer dispatch nor the timer that puts
       * its priority back may touch it then. The timer waits a minute
       * here, so that the listener is still flooded when it hangs up. */
      g_setenv ("SANDLOCK_TEST_FLOOD_RESTORE_MSEC", "60000", TRUE);
      handler = sandlock_test_handler_new (kill_in_nested_loop, &state, SANDLOCK_EXCEPTION_POLICY_KILL);
      sandbox = sandbox_with_handler ("getppid", handler);
      sandlock_sandbox_set_timeout (sandbox, SANDLOCK_TEST_HANG_SECONDS);
      state.process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, argv);
      sandlock_process_wait_async (state.process, NULL, on_nested_wait_done, &exited);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (state.triggered);
      g_assert_cmpint (sandlock_process_get_term_sig (state.process), ==, SIGKILL);

      /* The main loop goes on. */
      g_timeout_add (20, set_true, &later);
      while (!later)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (g_atomic_int_get (&priority_set_on_destroyed), ==, 0);

      /* (No descriptor baseline in a subprocess that skipped the warm-up.) */
      g_clear_object (&state.process);
      g_clear_object (&sandbox);
      wait_until (no_children, NULL);
      return;
    }

  /* In a subprocess of its own: it sets a test hook. */
  g_test_trap_subprocess (NULL, SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- 64 sandboxes on one main loop -------------------------------------- */

#define SANDBOXES 64

typedef struct {
  guint           pending;
  SandlockResult *results[SANDBOXES];
} Many;

static void
on_many_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Many *many = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (source, "index"));
  g_autoptr(GError) error = NULL;

  many->results[index] = sandlock_sandbox_run_finish (SANDLOCK_SANDBOX (source), result, &error);
  g_assert_no_error (error);
  many->pending--;
}

static gboolean
none_pending (gpointer data)
{
  return ((Many *) data)->pending == 0;
}

static void
test_many_sandboxes (void)
{
  Answerer answerer = { G_QUEUE_INIT, 0, 0 };
  g_autoptr(SandlockTestHandler) immediate = sandlock_test_handler_new (answer_eperm, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  g_autoptr(SandlockTestHandler) deferring = sandlock_test_handler_new (defer_to_idle, &answerer, SANDLOCK_EXCEPTION_POLICY_KILL);
  SandlockSandbox *sandboxes[SANDBOXES];
  Many many = { SANDBOXES, { NULL } };
  guint calls = scaled (200);
  g_autofree char *tally = g_strdup_printf ("%u:getppid", calls);
  g_autofree char *expected = g_strdup_printf ("tally: ok=0 EPERM=%u EIO=0 other=0\n", calls);
  const char * const argv[] = { sandlock_test_probe (), "tally", tally, NULL };

  /* All at once on the default main context: half answer at once, half
   * defer to an idle callback. */
  for (guint i = 0; i < SANDBOXES; i++)
    {
      sandboxes[i] = sandbox_with_handler ("getppid", i % 2 ? deferring : immediate);
      g_object_set_data (G_OBJECT (sandboxes[i]), "index", GUINT_TO_POINTER (i));
      sandlock_sandbox_run_async (sandboxes[i], argv, NULL, NULL, on_many_done, &many);
    }
  wait_until (none_pending, &many);

  for (guint i = 0; i < SANDBOXES; i++)
    {
      g_autofree char *output = sandlock_test_stdout (many.results[i]);

      g_assert_cmpstr (output, ==, expected);
      g_assert_true (sandlock_result_get_success (many.results[i]));
      g_object_unref (many.results[i]);
      g_object_unref (sandboxes[i]);
    }
  g_assert_cmpuint (immediate->calls, ==, calls * SANDBOXES / 2);
  g_assert_cmpuint (deferring->calls, ==, calls * SANDBOXES / 2);
  g_assert_cmpuint (answerer.answered, ==, calls * SANDBOXES / 2);

  assert_nothing_left ();
}

/* ---- the supervisor out of descriptors ---------------------------------- */

/* Spawns the probe, exiting 0, with its pipes, and RLIMIT_NOFILE at @fds +
 * @spare during the spawn only. */
static SandlockProcess *
spawn_with_spare_fds (SandlockSandbox  *sandbox,
                      guint             fds,
                      guint             spare,
                      GError          **error)
{
  SandlockProcess *process;
  struct rlimit saved, low;

  g_assert_no_errno (getrlimit (RLIMIT_NOFILE, &saved));
  low = saved;
  low.rlim_cur = fds + spare;
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &low));
  process = sandlock_sandbox_spawn (sandbox, (const char * const []) {
                                      sandlock_test_probe (), "exit", "0", NULL },
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  g_assert_no_errno (setrlimit (RLIMIT_NOFILE, &saved));
  return process;
}

/* The helper's failure reports go to its control socket only, not to
 * whatever the application has at that number while the helper could not
 * yet put the socket there. */
static void
test_fd_limit_reports_on_control_only (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockResult) warm = NULL;
  g_autoptr(GError) error = NULL;
  guint failures = 0;
  int pair[2];
  guint fds;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  /* Every step of the launch short of a descriptor in turn (a subprocess:
   * the setting goes with it). */
  g_setenv ("SANDLOCK_TEST_NO_FD_MARGIN", "1", TRUE);

  /* The application's descriptor 3, where the helper's control socket
   * goes: a connection of ours. */
  g_assert_no_errno (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair));
  if (fcntl (3, F_GETFD) >= 0)
    g_assert_cmpint (fcntl (3, F_DUPFD_CLOEXEC, 100), >=, 100);
  if (pair[0] != 3)
    {
      g_assert_cmpint (dup3 (pair[0], 3, O_CLOEXEC), ==, 3);
      close (pair[0]);
    }

  sandbox = sandlock_test_sandbox_new ();
  warm = sandlock_test_run_probe (sandbox, &error, "exit", "0", NULL);
  g_assert_no_error (error);
  fds = sandlock_test_count_fds ();

  for (guint spare = 0; spare <= 16; spare++)
    {
      g_autoptr(SandlockProcess) process = spawn_with_spare_fds (sandbox, fds, spare, &error);
      char byte;

      if (process == NULL)
        failures++;
      else
        g_assert_true (sandlock_process_wait_check (process, NULL, &error));
      g_clear_error (&error);
      g_clear_object (&process);

      g_assert_cmpint (recv (pair[1], &byte, 1, MSG_DONTWAIT), ==, -1);
      g_assert_cmpint (errno, ==, EAGAIN);
    }
  g_assert_cmpuint (failures, >, 0);
  close (pair[1]);
}

static void
test_fd_limit (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) warm = NULL;
  g_autoptr(GError) error = NULL;
  guint failures = 0, successes = 0;
  guint fds;

  /* Compile and cache the policy first (its ruleset is a descriptor). */
  warm = sandlock_test_run_probe (sandbox, &error, "exit", "0", NULL);
  g_assert_no_error (error);
  fds = sandlock_test_count_fds ();

  /* 16 spare are enough for the spawn, but not with the 32 it keeps for
   * the application: refused before anything starts. */
  g_assert_null (spawn_with_spare_fds (sandbox, fds, 16, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_TOO_MANY_FILES);
  g_clear_error (&error);
  sandlock_test_assert_fds (fds);
  g_assert_false (sandlock_test_has_children ());

  /* Without that margin, from no descriptor to spare to enough: every
   * step of the launch that opens one fails in turn, then it succeeds. */
  g_setenv ("SANDLOCK_TEST_NO_FD_MARGIN", "1", TRUE);
  for (guint spare = 0; spare <= 16; spare++)
    {
      g_autoptr(SandlockProcess) process = spawn_with_spare_fds (sandbox, fds, spare, &error);

      if (process == NULL)
        {
          g_test_message ("%u spare: %s", spare, error->message);
          g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
          /* Under valgrind the helper runs valgrind too, which may itself
           * fail for want of a descriptor; the spawn still fails cleanly. */
          if (strstr (error->message, g_strerror (EMFILE)) == NULL &&
              !(sandlock_test_running_on_valgrind () &&
                strstr (error->message, "the helper process died") != NULL))
            g_error ("%u spare: not a shortage of descriptors: %s", spare, error->message);
          g_clear_error (&error);
          failures++;
        }
      else
        {
          g_assert_true (sandlock_process_wait_check (process, NULL, &error));
          g_assert_no_error (error);
          successes++;
        }
      g_clear_object (&process);

      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      sandlock_test_assert_fds (fds);
      g_assert_false (sandlock_test_has_children ());
    }
  g_assert_cmpuint (failures, >, 0);
  g_assert_cmpuint (successes, >, 0);
  g_unsetenv ("SANDLOCK_TEST_NO_FD_MARGIN");

  g_clear_object (&warm);
  g_clear_object (&sandbox);
  assert_nothing_left ();
}

/* ---- the sandbox dropped while its child runs --------------------------- */

static SandlockAction *
answer_4242 (SandlockTestHandler   *self,
             SandlockNotification  *notification,
             gpointer               user_data,
             GError               **error)
{
  return sandlock_action_new_return_value (4242);
}

static void
test_sandbox_dropped (void)
{
  SandlockTestHandler *handler = sandlock_test_handler_new (answer_4242, NULL, SANDLOCK_EXCEPTION_POLICY_KILL);
  SandlockSandbox *sandbox = sandbox_with_handler ("getppid", handler);
  const char * const commands[] = { "getppid", NULL };
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  gpointer sandbox_alive = sandbox;
  gpointer handler_alive = handler;

  g_object_add_weak_pointer (G_OBJECT (sandbox), &sandbox_alive);
  g_object_add_weak_pointer (G_OBJECT (handler), &handler_alive);
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);

  /* The application lets go of both before the child's first trapped
   * call is even looked at: the process keeps what it needs. */
  g_object_unref (sandbox);
  g_object_unref (handler);

  g_assert_true (sandlock_process_communicate (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "getppid: 4242\n", 14);
  g_assert_true (sandlock_process_get_successful (process));

  /* With the process gone, everything goes. */
  g_clear_object (&process);
  assert_nothing_left ();
  g_assert_null (sandbox_alive);
  g_assert_null (handler_alive);
}

static gboolean
has_one (gpointer data)
{
  return ((GPtrArray *) data)->len == 1;
}

static void
test_everything_dropped (void)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  SandlockTestHandler *handler = sandlock_test_handler_new (defer_and_keep, kept,
                                                            SANDLOCK_EXCEPTION_POLICY_KILL);
  SandlockSandbox *sandbox = sandbox_with_handler ("getppid", handler);
  const char * const commands[] = { "getppid", NULL };
  SandlockProcess *process;
  gpointer sandbox_alive = sandbox;
  gpointer handler_alive = handler;
  GPid pid;

  g_object_add_weak_pointer (G_OBJECT (sandbox), &sandbox_alive);
  g_object_add_weak_pointer (G_OBJECT (handler), &handler_alive);
  process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  pid = sandlock_process_get_pid (process);
  wait_until (has_one, kept);

  /* The child waits in a deferred call; the application drops it all. */
  g_object_unref (process);
  g_object_unref (sandbox);
  g_object_unref (handler);

  sandlock_test_wait_pid_gone (NULL, pid);
  g_ptr_array_set_size (kept, 0);
  assert_nothing_left ();
  g_assert_null (sandbox_alive);
  g_assert_null (handler_alive);
}

/* The first spawn makes GLib create descriptors it keeps (the wake-up
 * eventfds of its worker thread and of the child watch). */
static void
warm_up (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = sandlock_test_run_probe (sandbox, &error, "exit", "0", NULL);
  g_assert_no_error (error);
  g_assert_true (sandlock_result_get_success (result));
}

static void
test_setup_stalled (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
      const char * const argv[] = { sandlock_test_probe (), "print", "never", NULL };
      g_autoptr(SandlockProcess) process = NULL;
      g_autoptr(GError) error = NULL;
      guint reaped = 0;
      int status;

      /* The child stops itself during its set-up, as one stuck in a
       * chdir() to a dead network mount would: the spawn gives up after
       * 200 ms and must not wait for the child for ever. Made a subreaper,
       * this process inherits the child if it outlives the helper. */
      g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), ==, 0);
      g_setenv ("SANDLOCK_TEST_STALL_SETUP", "200", TRUE);
      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_null (process);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED);
      g_assert_nonnull (strstr (error->message, "did not finish its set-up within 200 ms"));

      /* The helper was reaped; the child, orphaned to us, died with it. */
      while (waitpid (-1, &status, 0) > 0)
        {
          g_assert_true (WIFSIGNALED (status));
          g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
          reaped++;
        }
      g_assert_cmpint (errno, ==, ECHILD);
      g_assert_cmpuint (reaped, ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, SANDLOCK_TEST_HANG_SECONDS * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Before each test, in the process that runs it (never before
 * g_test_run(): "test-faults -l" spawns nothing): the first spawn of the
 * process, then the descriptor baseline. A test's subprocess sets test
 * hooks first, and spawns nothing before that. */
static void
warm_up_once (gpointer      fixture,
              gconstpointer data)
{
  static gboolean done;

  if (done || g_test_subprocess ())
    return;
  warm_up ();
  baseline_fds = sandlock_test_count_fds ();
  done = TRUE;
}

/* g_test_add_func() or g_test_add_data_func(), with warm_up_once() first
 * (as GLib does, a function of no or one argument is called as a fixture
 * function: with no fixture, both arguments are @data). */
static void
add_test (const char    *path,
          gconstpointer  data,
          GCallback      func)
{
  g_test_add_vtable (path, 0, data, warm_up_once, (GTestFixtureFunc) func, NULL);
}

/* An application that drops its privileges (setgroups, setresgid,
 * setresuid: the C library applies them to every thread, and aborts the
 * process when one thread fails) after a sandbox bound a socket through
 * the bind guard's thread: nothing fails. As root only: only root has
 * privileges to drop. */
static void
test_drops_privileges_after_bind (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("runs as root only: an unprivileged application has no privilege to drop");
      return;
    }
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  sandbox = sandlock_test_sandbox_new ();
  /* A bind, whatever its answer, runs on the bind guard's thread. */
  result = sandlock_test_run_probe (sandbox, &error, "bind", "1", NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_nonnull (strstr (output, "bind 1: "));

  g_assert_no_errno (setgroups (0, NULL));
  g_assert_no_errno (setresgid (65534, 65534, 65534));
  g_assert_no_errno (setresuid (65534, 65534, 65534));
  g_assert_cmpint (geteuid (), ==, 65534);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);
  glib_source_set_priority = (void (*) (GSource *, gint)) dlsym (RTLD_NEXT, "g_source_set_priority");
  g_assert_nonnull (glib_source_set_priority);

  add_test ("/faults/killed/while-handled", NULL, G_CALLBACK (test_killed_while_handled));
  add_test ("/faults/killed/force-exit-while-handled", NULL, G_CALLBACK (test_force_exit_while_handled));
  add_test ("/faults/killed/while-deferred/answered-late", GINT_TO_POINTER (TRUE), G_CALLBACK (test_killed_while_deferred));
  add_test ("/faults/killed/while-deferred/dropped", GINT_TO_POINTER (FALSE), G_CALLBACK (test_killed_while_deferred));
  add_test ("/faults/queued-1000/exit", GINT_TO_POINTER (FALSE), G_CALLBACK (test_exits_with_queued));
  add_test ("/faults/queued-1000/killed", GINT_TO_POINTER (TRUE), G_CALLBACK (test_exits_with_queued));
  add_test ("/faults/handler-raises/kill", NULL, G_CALLBACK (test_handler_raises_kill));
  add_test ("/faults/handler-raises/deny-eperm", &raise_policies[0], G_CALLBACK (test_handler_raises));
  add_test ("/faults/handler-raises/deny-eio", &raise_policies[1], G_CALLBACK (test_handler_raises));
  add_test ("/faults/handler-raises/continue", &raise_policies[2], G_CALLBACK (test_handler_raises));
  add_test ("/faults/threads-32/answered", GINT_TO_POINTER (FALSE), G_CALLBACK (test_threads));
  add_test ("/faults/threads-32/deferred", GINT_TO_POINTER (TRUE), G_CALLBACK (test_threads));
  add_test ("/faults/flood-keeps-main-loop-running", NULL, G_CALLBACK (test_flood));
  add_test ("/faults/drops-privileges-after-bind", NULL, G_CALLBACK (test_drops_privileges_after_bind));
  add_test ("/faults/flood-beside-busy-source", NULL, G_CALLBACK (test_flood_beside_busy_source));
  add_test ("/faults/flood-source-gone-in-nested-loop", NULL, G_CALLBACK (test_flood_source_gone_in_nested_loop));
  add_test ("/faults/64-sandboxes", NULL, G_CALLBACK (test_many_sandboxes));
  add_test ("/faults/fd-limit", NULL, G_CALLBACK (test_fd_limit));
  add_test ("/faults/fd-limit/reports-on-control-only", NULL, G_CALLBACK (test_fd_limit_reports_on_control_only));
  add_test ("/faults/dropped/sandbox", NULL, G_CALLBACK (test_sandbox_dropped));
  add_test ("/faults/dropped/everything", NULL, G_CALLBACK (test_everything_dropped));
  add_test ("/faults/setup-stalled", NULL, G_CALLBACK (test_setup_stalled));
  return sandlock_test_run ();
}
