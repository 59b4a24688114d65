/* test-limits.c: resource limits (max-processes, max-memory, max-cpu,
 * cpu-cores) met by real commands on the real kernel
 *
 * Each test runs sandlock-limits-probe in a sandbox and checks both what
 * the command saw and what the result reports. The mechanism depends on
 * the machine and the user: as root where the cgroup controllers are
 * mounted, a cgroup (v1 or v2); as an ordinary user (the -unprivileged
 * run) or with SANDLOCK_TEST_DISABLE=cgroup (limits-no-cgroup), the
 * fallbacks. The tests work out which one to expect from the machine
 * itself and print it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-cgroup-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-test-common.h"
#include "sandlock-test-handler.h"

/* The cgroup version this process can make a child cgroup in for
 * @controller, as far as the test can tell (0: none, the fallbacks). */
static int
expected_cgroup (const char *controller)
{
  g_autofree char *cgroups = NULL;
  const char *disabled = g_getenv ("SANDLOCK_TEST_DISABLE");
  g_auto(GStrv) lines = NULL;

  if (geteuid () != 0 || (disabled != NULL && strstr (disabled, "cgroup") != NULL))
    return 0;
  if (!g_file_get_contents ("/proc/self/cgroup", &cgroups, NULL, NULL))
    return 0;
  lines = g_strsplit (cgroups, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ":", 3);
      g_auto(GStrv) names = NULL;

      if (g_strv_length (fields) != 3)
        continue;
      if (fields[1][0] == '\0')
        {
          g_autofree char *path = g_build_filename ("/sys/fs/cgroup", fields[2],
                                                    "cgroup.controllers", NULL);
          g_autofree char *available = NULL;

          if (g_file_get_contents (path, &available, NULL, NULL) &&
              strstr (available, controller) != NULL)
            return 2;
          continue;
        }
      names = g_strsplit (fields[1], ",", -1);
      if (g_strv_contains ((const char * const *) names, controller))
        return 1;
    }
  return 0;
}

static SandlockLimitMechanism
cgroup_mechanism (int version)
{
  return version == 2 ? SANDLOCK_LIMIT_MECHANISM_CGROUP_V2 : SANDLOCK_LIMIT_MECHANISM_CGROUP_V1;
}

static char *expected_kill_dir (void);

static SandlockResult *
run_limits_probe (SandlockSandbox  *sandbox,
                  const char       *command,
                  const char       *argument,
                  GError          **error)
{
  const char *argv[] = { sandlock_test_limits_probe (), command, argument, NULL };

  return sandlock_sandbox_run (sandbox, argv, NULL, NULL, error);
}

static void
test_properties (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint max_processes;

  /* A finite default holds a fork bomb. */
  g_assert_cmpuint (sandlock_sandbox_get_max_processes (sandbox), ==, 64);
  g_assert_cmpuint (sandlock_sandbox_get_max_memory (sandbox), ==, 0);
  g_assert_cmpuint (sandlock_sandbox_get_max_cpu (sandbox), ==, 0);
  g_assert_null (sandlock_sandbox_get_cpu_cores (sandbox));

  g_object_set (sandbox, "max-processes", 32, "max-memory", (guint64) 256 << 20,
                "max-cpu", 50, "cpu-cores", "0", NULL);
  g_object_get (sandbox, "max-processes", &max_processes, NULL);
  g_assert_cmpuint (max_processes, ==, 32);
  g_assert_cmpuint (sandlock_sandbox_get_max_memory (sandbox), ==, (guint64) 256 << 20);
  g_assert_cmpuint (sandlock_sandbox_get_max_cpu (sandbox), ==, 50);
  g_assert_cmpstr (sandlock_sandbox_get_cpu_cores (sandbox), ==, "0");

  /* A list that is not one fails the spawn, before anything starts. */
  g_object_unref (sandbox);
  sandbox = sandlock_test_sandbox_new ();
  for (guint i = 0; i < 5; i++)
    {
      static const char * const bad[] = { "", "a", "1-0", "0,", "4096" };

      sandlock_sandbox_set_cpu_cores (sandbox, bad[i]);
      result = run_limits_probe (sandbox, "affinity", NULL, &error);
      g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
      g_assert_null (result);
      g_clear_error (&error);
    }
}

/* A fork beyond the limit fails with EAGAIN, and only then. */
static void
test_processes_held (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  sandlock_sandbox_set_max_processes (sandbox, 8);
  result = run_limits_probe (sandbox, "fork-hold", "50", &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  /* The probe itself and 7 children. */
  g_assert_cmpstr (output, ==, "forked 7\nEAGAIN\n");
  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, 0);
  g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_PROCESSES);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_PROCESSES), ==,
                   SANDLOCK_LIMIT_MECHANISM_SUPERVISOR);
  g_assert_false (sandlock_result_get_oom_killed (result));
}

/* Drops @data (a deferred notification, transferred) on a thread of its
 * own: the deferring handler's exception policy answers it from there. */
static gpointer
drop_on_thread (gpointer data)
{
  g_object_unref (data);
  return NULL;
}

static SandlockAction *
defer_fork (SandlockTestHandler   *self,
            SandlockNotification  *notification,
            gpointer               user_data,
            GError               **error)
{
  g_thread_unref (g_thread_new ("drop-fork", drop_on_thread, g_object_ref (notification)));
  return sandlock_action_new_defer ();
}

/* A handler on clone that defers every fork, whose notification is then
 * dropped on another thread: its exception policy (continue) answers from
 * that thread, and the guard sees the answer there (its perform notes the
 * fork answered, under the count's lock). The limit holds exactly as with
 * answers at once; the handler sees only the forks the guard let
 * through. */
static void
test_processes_held_deferred (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockTestHandler) handler = sandlock_test_handler_new (defer_fork, NULL,
                                                                      SANDLOCK_EXCEPTION_POLICY_CONTINUE);
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  sandlock_sandbox_set_max_processes (sandbox, 8);
  g_assert_true (sandlock_sandbox_add_handler (sandbox, "clone", SANDLOCK_HANDLER (handler), &error));
  g_assert_no_error (error);
  result = run_limits_probe (sandbox, "fork-hold", "50", &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "forked 7\nEAGAIN\n");
  g_assert_cmpuint (handler->calls, ==, 7);
  g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_PROCESSES);
}

/* Below the limit nothing is refused, and 0 means no limit. */
static void
test_processes_below (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  sandlock_sandbox_set_max_processes (sandbox, 0);
  result = run_limits_probe (sandbox, "fork-hold", "100", &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "forked 100\nok\n");
  g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_NONE);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_PROCESSES), ==,
                   SANDLOCK_LIMIT_MECHANISM_NONE);
}

/* Threads are not processes: a limit of 2 lets 40 threads start. */
static void
test_threads_not_processes (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  sandlock_sandbox_set_max_processes (sandbox, 2);
  result = run_limits_probe (sandbox, "threads", "40", &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "threads 40\nok\n");
  g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_NONE);
}

/* setsid()'d, double-forked daemons still count, and do not outlive the
 * sandbox. */
static void
test_processes_daemons (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *tag = g_strdup_printf ("limits-daemons-%d", (int) getpid ());
  const char *argv[] = { sandlock_test_limits_probe (), "daemons", "50", tag, NULL };
  g_auto(GStrv) lines = NULL;
  guint64 daemons;

  sandlock_sandbox_set_max_processes (sandbox, 6);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  lines = g_strsplit (output, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_true (g_str_has_prefix (lines[0], "daemons "));
  daemons = g_ascii_strtoull (lines[0] + strlen ("daemons "), NULL, 10);
  /* The first process and 5 daemons, or 4 when the last one's
   * intermediate process was still alive for its second fork. */
  g_test_message ("daemons started at max-processes 6: %" G_GUINT64_FORMAT, daemons);
  g_assert_cmpuint (daemons, >=, 4);
  g_assert_cmpuint (daemons, <=, 5);
  g_assert_cmpstr (lines[1], ==, "EAGAIN");
  g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_PROCESSES);
  /* Nothing left behind. */
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
}

/* ---- the processes guard's count, on real processes -------------------
 *
 * These call the guard's check directly, as the supervisor does for a
 * trapped fork, with this test process as the "helper" (the count is of
 * its descendants) and real processes in the states that matter. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandlockProcessCount, sandlock_process_count_free)

/* Asks the processes guard about a fork by thread @tid: TRUE if let
 * through, FALSE if refused with EAGAIN. */
static gboolean
guard_lets_fork (SandlockProcessCount *count,
                 pid_t                 tid)
{
  struct seccomp_notif request = { 0 };
  SandlockGuardCall call = { 0 };
  g_autoptr(SandlockAction) action = NULL;

  request.pid = (__u32) tid;
  request.data.nr = __NR_clone;
  request.data.args[0] = SIGCHLD;
  call.request = &request;
  call.processes = count;
  action = sandlock_guard_processes.check (&call);
  if (action == NULL)
    return TRUE;
  g_assert_cmpint (sandlock_action_get_kind (action), ==, SANDLOCK_ACTION_KIND_ERRNO);
  g_assert_cmpint (sandlock_action_get_errno (action), ==, EAGAIN);
  return FALSE;
}

/* The supervisor answers "continue" to thread @tid's fork, which passes
 * through the guard's perform. */
static void
guard_answers_fork (SandlockProcessCount *count,
                    pid_t                 tid)
{
  struct seccomp_notif request = { 0 };
  SandlockGuardCall call = { 0 };

  request.pid = (__u32) tid;
  request.data.nr = __NR_clone;
  request.data.args[0] = SIGCHLD;
  call.request = &request;
  call.processes = count;
  g_assert_null (sandlock_guard_processes.perform (&call));
}

/* The children of @pid now, as /proc lists them. */
static guint
children_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", (int) pid, (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) pids = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  pids = g_strsplit_set (g_strstrip (text), " ", -1);
  return text[0] == '\0' ? 0 : g_strv_length (pids);
}

/* Kills @pid's children, then @pid, and reaps it. */
static void
kill_tree (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", (int) pid, (int) pid);
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    {
      g_auto(GStrv) pids = g_strsplit_set (g_strstrip (text), " ", -1);

      for (guint i = 0; pids[i] != NULL; i++)
        if (pids[i][0] != '\0')
          kill ((pid_t) g_ascii_strtoll (pids[i], NULL, 10), SIGKILL);
    }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  /* Its children, orphans of ours (subreaper_on()). */
  while (waitpid (-1, NULL, 0) > 0 || errno == EINTR)
    ;
}

/* The orphans of this test's processes come back to it, to be reaped. */
static void
subreaper_on (void)
{
  g_assert_no_errno (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

/* Waits (10 s at most) until @pid has @n children. */
static void
wait_for_children (pid_t pid,
                   guint n)
{
  for (guint i = 0; i < 10000 && children_of (pid) != n; i++)
    g_usleep (1000);
  g_assert_cmpuint (children_of (pid), ==, n);
}

/* A thread whose fork the guard let through may not have forked yet
 * (it may not have run since): while it runs, the fork counts, even once
 * the thread has a child it did not have then. That child can come from
 * elsewhere: here a child of the thread clones itself a sibling with
 * CLONE_PARENT, as a command can to pass a fork still in flight off as
 * done. (Before, a walk took any new child for the fork's and stopped
 * counting it.) */
static void
test_processes_in_flight_new_child (void)
{
  g_autoptr(SandlockProcessCount) count = NULL;
  int go[2];
  pid_t thread, other = getpid ();
  char byte = 'x';

  subreaper_on ();
  g_assert_no_errno (pipe (go));
  thread = fork ();
  g_assert_cmpint (thread, >=, 0);
  if (thread == 0)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (fork () == 0)
        {
          prctl (PR_SET_PDEATHSIG, SIGKILL);
          /* The thread's child: on the word, a sibling (pausing). */
          if (read (go[0], &byte, 1) == 1 &&
              syscall (__NR_clone, (unsigned long) (CLONE_PARENT | SIGCHLD), 0, 0, 0, 0) == 0)
            prctl (PR_SET_PDEATHSIG, SIGKILL);
          for (;;)
            pause ();
        }
      for (volatile guint spin = 0;; spin++)
        ;   /* runs: its fork may still be in flight */
    }
  close (go[0]);
  wait_for_children (thread, 1);

  /* The test process is the helper: thread, its child, soon a third. */
  count = sandlock_process_count_new (getpid (), 4);
  g_assert_true (guard_lets_fork (count, thread));
  g_assert_cmpint (write (go[1], &byte, 1), ==, 1);
  wait_for_children (thread, 2);

  /* Forks by a thread outside the tree raise the bound to the limit:
   * the last one walks. The tree has 3 processes and the thread's fork
   * is in flight: 4, refused. */
  g_assert_true (guard_lets_fork (count, other));
  g_assert_true (guard_lets_fork (count, other));
  g_assert_false (guard_lets_fork (count, other));

  close (go[1]);
  kill_tree (thread);
}

/* A thread waiting in a trapped clone, in a seccomp filter of its own
 * that nobody answers, after the guard let a fork of its through, and
 * (@answered) the supervisor answered that fork. */
static void
processes_in_flight_waiting (gboolean answered)
{
  g_autoptr(SandlockProcessCount) count = NULL;
  g_autofree char *wchan_path = NULL;
  g_autofree char *wchan = NULL;
  int go[2];
  pid_t thread, other = getpid ();
  char byte = 'x';
  int status = 0;
  guint i;

  subreaper_on ();
  g_assert_no_errno (pipe (go));
  thread = fork ();
  g_assert_cmpint (thread, >=, 0);
  if (thread == 0)
    {
      struct sock_filter code[] = {
        BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
        BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 1),
        BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      };
      struct sock_fprog program = { G_N_ELEMENTS (code), code };

      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (read (go[0], &byte, 1) != 1 ||
          prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
          syscall (__NR_seccomp, SECCOMP_SET_MODE_FILTER,
                   SECCOMP_FILTER_FLAG_NEW_LISTENER, &program) < 0)
        _exit (1);
      /* Waits for an answer that never comes (it holds the listener). */
      syscall (__NR_clone, (unsigned long) SIGCHLD, 0, 0, 0, 0);
      _exit (2);
    }
  close (go[0]);

  count = sandlock_process_count_new (getpid (), 2);
  g_assert_true (guard_lets_fork (count, thread));
  if (answered)
    guard_answers_fork (count, thread);
  g_assert_cmpint (write (go[1], &byte, 1), ==, 1);
  close (go[1]);

  /* Until the thread sleeps in the clone it traps. */
  wchan_path = g_strdup_printf ("/proc/%d/wchan", (int) thread);
  for (i = 0; i < 10000; i++)
    {
      g_autofree char *syscall_path = g_strdup_printf ("/proc/%d/syscall", (int) thread);
      g_autofree char *text = NULL;

      g_clear_pointer (&wchan, g_free);
      if (waitpid (thread, &status, WNOHANG) == thread)
        {
          /* seccomp() failed (valgrind does not run it, for one). */
          g_test_skip_printf ("the thread could not trap its clone (status %d)", status);
          return;
        }
      if (g_file_get_contents (syscall_path, &text, NULL, NULL) &&
          g_ascii_strtoll (text, NULL, 10) == __NR_clone &&
          g_file_get_contents (wchan_path, &wchan, NULL, NULL) &&
          g_str_has_prefix (wchan, "seccomp"))
        break;
      g_usleep (1000);
    }
  if (i == 10000)
    {
      /* What varies: the kernel's name for the wait, or no wchan. */
      g_test_skip_printf ("thread in a trapped clone, but /proc/PID/wchan reads \"%s\"",
                          wchan != NULL ? wchan : "(unreadable)");
      kill_tree (thread);
      return;
    }

  /* The bound (1 + the thread's fork) is at the limit: a fork by a thread
   * outside the tree walks it. The tree is the thread alone. Answered,
   * its fork is over: 1, the fork is let through (counting the thread's
   * fork as in flight would make 2, refused). Unanswered, the thread may
   * still wait for the fork's own answer, which a handler holds back: the
   * fork counts, 2, refused. */
  g_assert_true (guard_lets_fork (count, other) == answered);

  kill_tree (thread);
}

/* A thread waiting for the answer to a new trapped call is past the fork
 * it was let through and answered: a walk stops counting that fork (its
 * process, if any, is in the tree). */
static void
test_processes_in_flight_trapped_again (void)
{
  processes_in_flight_waiting (TRUE);
}

/* A fork let through by the guard whose answer a handler still holds
 * back: its thread waits in the same trapped wait, and the fork counts.
 * (Taking that wait for a new call would let the fork at the limit
 * through, then the held-back fork too.) */
static void
test_processes_in_flight_unanswered (void)
{
  processes_in_flight_waiting (FALSE);
}

typedef struct {
  gint64  last;
  gint64  worst_lateness;
  guint   most_alive;
  const char *tag;
  gboolean done;
} BombWatch;

static gboolean
on_tick (gpointer data)
{
  BombWatch *watch = data;
  gint64 now = g_get_monotonic_time ();
  guint alive;

  if (watch->last != 0)
    watch->worst_lateness = MAX (watch->worst_lateness, now - watch->last - 10000);
  alive = sandlock_test_count_tagged (watch->tag);
  watch->most_alive = MAX (watch->most_alive, alive);
  /* Counting took time of its own: measure from its end. */
  watch->last = g_get_monotonic_time ();
  return G_SOURCE_CONTINUE;
}

static void
on_bomb_done (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  BombWatch *watch = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sandlock_process_wait_finish (SANDLOCK_PROCESS (source), res, &error));
  g_assert_no_error (error);
  watch->done = TRUE;
}

/* A fork bomb under the default policy: held at 64 processes, the main
 * loop stays responsive (the 10 ms timer's worst lateness is printed, not
 * asserted), and nothing is left once the first process exits. */
static void
test_fork_bomb_default (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = g_strdup_printf ("limits-bomb-%d", (int) getpid ());
  g_autofree char *line = NULL;
  const char *argv[] = { sandlock_test_limits_probe (), "fork-bomb", "3", tag, NULL };
  BombWatch watch = { .tag = tag };
  GSource *tick;

  g_main_context_push_thread_default (context);
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  tick = g_timeout_source_new (10);
  g_source_set_callback (tick, on_tick, &watch, NULL);
  g_source_attach (tick, context);
  sandlock_process_wait_async (process, NULL, on_bomb_done, &watch);
  while (!watch.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);

  g_test_message ("fork bomb under the default policy: at most %u processes alive, "
                  "worst lateness of a 10 ms timer %" G_GINT64_FORMAT " µs",
                  watch.most_alive, watch.worst_lateness);
  g_assert_cmpuint (watch.most_alive, <=, 64);
  g_assert_cmpuint (watch.most_alive, >, 1);
  line = sandlock_test_read_line (process);
  g_assert_cmpstr (line, ==, "EAGAIN seen");
  g_assert_true (sandlock_process_get_limits_reached (process) & SANDLOCK_LIMIT_PROCESSES);
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
  g_main_context_pop_thread_default (context);
}

/* An allocation loop stops at max-memory, with the reason in the result. */
static void
test_memory (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int version = expected_cgroup ("memory");
  g_auto(GStrv) lines = NULL;
  guint n;

  sandlock_sandbox_set_max_memory (sandbox, (guint64) 64 << 20);
  result = run_limits_probe (sandbox, "alloc", "1024", &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_strchomp (output);
  lines = g_strsplit (output, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 1);

  if (version != 0)
    {
      g_test_message ("memory: cgroup v%d; the probe's last words: %s", version, lines[n - 1]);
      g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY), ==,
                       cgroup_mechanism (version));
      /* Killed by the kernel's OOM killer, and said so. */
      g_assert_cmpint (sandlock_result_get_term_signal (result), ==, SIGKILL);
      g_assert_true (sandlock_result_get_oom_killed (result));
      g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_MEMORY);
      g_assert_false (g_str_equal (lines[n - 1], "allocated all"));
      g_assert_false (g_str_has_prefix (lines[n - 1], "allocated 64 "));
    }
  else
    {
      guint64 at;

      g_test_message ("memory: RLIMIT_AS (no cgroup); the probe says: %s", lines[n - 1]);
      g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY), ==,
                       SANDLOCK_LIMIT_MECHANISM_RLIMIT);
      g_assert_cmpint (sandlock_result_get_exit_status (result), ==, 0);
      g_assert_true (g_str_has_prefix (lines[n - 1], "ENOMEM at "));
      at = g_ascii_strtoull (lines[n - 1] + strlen ("ENOMEM at "), NULL, 10);
      /* The address space holds the program and its libraries too. */
      g_assert_cmpuint (at, <, 64);
      g_assert_cmpuint (at, >, 16);
      g_assert_false (sandlock_result_get_oom_killed (result));
    }
}

/* In @text, a /proc/PID/cgroup, the directory of the memory controller's
 * cgroup under /sys/fs/cgroup (v1), or of the unified one (v2); NULL when
 * the text has none. */
static char *
memory_cgroup_dir (const char *text,
                   int         version)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ":", 3);
      g_auto(GStrv) names = NULL;

      if (g_strv_length (fields) != 3)
        continue;
      names = g_strsplit (fields[1], ",", -1);
      if (version == 2 ? fields[1][0] == '\0'
                       : g_strv_contains ((const char * const *) names, "memory"))
        return version == 2 ? g_build_filename ("/sys/fs/cgroup", fields[2], NULL)
                            : g_build_filename ("/sys/fs/cgroup/memory", fields[2], NULL);
    }
  return NULL;
}

/* As root with cgroups: the command runs in a child cgroup of ours, which
 * is gone once the sandbox is. */
static void
test_cgroup_placement (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  int version = expected_cgroup ("memory");

  sandlock_test_grant (sandbox, "/proc", FALSE);
  sandlock_sandbox_set_max_memory (sandbox, (guint64) 256 << 20);
  result = run_limits_probe (sandbox, "cgroup", NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_true (g_file_get_contents ("/proc/self/cgroup", &ours, NULL, NULL));
  {
    g_autofree char *kill_dir = expected_kill_dir ();

    g_assert_cmpint (sandlock_result_get_kill_mechanism (result), ==,
                     kill_dir != NULL ? SANDLOCK_LIMIT_MECHANISM_CGROUP_V2 : SANDLOCK_LIMIT_MECHANISM_SUPERVISOR);
  }

  if (version == 0)
    {
      /* No cgroup can be made (not root, or disabled): the command stays
       * in ours, with the fallback. */
      g_test_message ("no cgroup: the command stays in the application's");
      g_assert_cmpstr (output, ==, ours);
      g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY), ==,
                       SANDLOCK_LIMIT_MECHANISM_RLIMIT);
      return;
    }
  g_test_message ("cgroup v%d", version);

  dir = memory_cgroup_dir (output, version);
  g_assert_nonnull (dir);
  g_test_message ("the command ran in %s", dir);
  /* sandlock-<our pid>-<n>-<random>, beneath our own cgroup. */
  base = g_path_get_basename (dir);
  g_assert_true (g_str_has_prefix (base, "sandlock-"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Cgroups left behind by an application that was killed before it
 * removed them, and whose pid is ours now: those of the names the library
 * used to give its first ones (sandlock-<pid>-<n>) must neither be taken
 * over nor make the command run outside a cgroup of its own. */
static void
test_cgroup_leftover (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GPtrArray) leftovers = g_ptr_array_new_with_free_func (g_free);
  int version = expected_cgroup ("memory");

  if (version == 0)
    {
      g_test_skip ("no memory cgroup can be made here (not root, or cgroups disabled)");
      return;
    }
  g_assert_true (g_file_get_contents ("/proc/self/cgroup", &ours, NULL, NULL));
  parent = memory_cgroup_dir (ours, version);
  g_assert_nonnull (parent);
  for (int n = 0; n < 4; n++)
    {
      char *leftover = g_strdup_printf ("%s/sandlock-%d-%d", parent, (int) getpid (), n);

      g_assert_no_errno (mkdir (leftover, 0755));
      g_ptr_array_add (leftovers, leftover);
    }

  sandlock_test_grant (sandbox, "/proc", FALSE);
  sandlock_sandbox_set_max_memory (sandbox, (guint64) 256 << 20);
  result = run_limits_probe (sandbox, "cgroup", NULL, &error);
  for (guint i = 0; i < leftovers->len; i++)
    rmdir (g_ptr_array_index (leftovers, i));
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY), ==,
                   cgroup_mechanism (version));

  dir = memory_cgroup_dir (output, version);
  g_assert_nonnull (dir);
  g_test_message ("the command ran in %s", dir);
  base = g_path_get_basename (dir);
  g_assert_true (g_str_has_prefix (base, "sandlock-"));
  for (guint i = 0; i < leftovers->len; i++)
    g_assert_cmpstr (dir, !=, g_ptr_array_index (leftovers, i));
}

/* The directory of our own cgroup in the unified hierarchy when a child
 * made there has cgroup.kill (Linux 5.14), which the library then gives
 * every sandbox with a cgroup, beside v1 hierarchies too; NULL (with the
 * reason printed) otherwise. */
static char *
expected_kill_dir (void)
{
  g_autofree char *cgroups = NULL;
  g_autofree char *mountinfo = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *probe = NULL;
  g_autofree char *kill_file = NULL;
  gboolean has_kill;

  if (expected_cgroup ("memory") == 0)
    {
      g_test_message ("no cgroup of our own (not root, or disabled): the helper kills each process");
      return NULL;
    }
  g_assert_true (g_file_get_contents ("/proc/self/cgroup", &cgroups, NULL, NULL));
  g_assert_true (g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL));
  dir = sandlock_cgroup_find_dir (cgroups, mountinfo, "");
  if (dir == NULL)
    {
      g_test_message ("no unified (v2) cgroup hierarchy is mounted: no cgroup.kill");
      return NULL;
    }
  probe = g_strdup_printf ("%s/sandlock-test-probe-%d", dir, (int) getpid ());
  if (mkdir (probe, 0755) != 0)
    {
      int saved_errno = errno;

      g_test_message ("%s is not writable (%s): no cgroup.kill", dir, g_strerror (saved_errno));
      return NULL;
    }
  kill_file = g_build_filename (probe, "cgroup.kill", NULL);
  has_kill = g_file_test (kill_file, G_FILE_TEST_EXISTS);
  g_assert_no_errno (rmdir (probe));
  if (!has_kill)
    {
      g_test_message ("the kernel has no cgroup.kill (Linux 5.14)");
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* Whether @dir has a sandlock-<our pid>-N child. */
static gboolean
has_own_child (const char *dir)
{
  g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strdup_printf ("sandlock-%d-", (int) getpid ());
  const char *name;

  g_assert_nonnull (entries);
  while ((name = g_dir_read_name (entries)) != NULL)
    if (g_str_has_prefix (name, prefix))
      return TRUE;
  return FALSE;
}

/* setsid()'d, double-forked daemons are left when the first process
 * exits; with a v2 cgroup (as root here: beside the v1 hierarchies that
 * hold the limits) the helper kills them through cgroup.kill, and the
 * cgroup is removed afterwards. */
static void
test_cgroup_kill_daemons (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = g_strdup_printf ("limits-kill-%d", (int) getpid ());
  g_autofree char *kill_dir = expected_kill_dir ();
  g_autofree char *line = NULL;
  const char *argv[] = { sandlock_test_limits_probe (), "daemons", "3", tag, NULL };

  sandlock_sandbox_set_max_memory (sandbox, (guint64) 256 << 20);
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  line = sandlock_test_read_line (process);
  g_assert_cmpstr (line, ==, "daemons 3");

  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
  if (kill_dir == NULL)
    {
      g_assert_cmpint (sandlock_process_get_kill_mechanism (process), ==,
                       SANDLOCK_LIMIT_MECHANISM_SUPERVISOR);
      return;
    }
  g_test_message ("killed through cgroup.kill beneath %s", kill_dir);
  g_assert_cmpint (sandlock_process_get_kill_mechanism (process), ==, SANDLOCK_LIMIT_MECHANISM_CGROUP_V2);
  g_assert_false (has_own_child (kill_dir));
}

/* What only cgroup.kill can do: kill a process of the sandbox's cgroup
 * that is no descendant of the helper (the helper's own walk reaches its
 * descendants only). The test puts a child of its own there. */
static void
test_cgroup_kill_outsider (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kill_dir = expected_kill_dir ();
  g_autofree char *path = NULL;
  g_autofree char *cgroups = NULL;
  g_autofree char *procs = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { sandlock_test_probe (), "sleep", "60", NULL };
  int status;
  pid_t outsider;

  if (kill_dir == NULL)
    {
      g_test_skip ("no v2 cgroup with cgroup.kill can be made here (see the message above)");
      return;
    }
  sandlock_sandbox_set_max_memory (sandbox, (guint64) 256 << 20);
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);

  path = g_strdup_printf ("/proc/%d/cgroup", (int) sandlock_process_get_pid (process));
  g_assert_true (g_file_get_contents (path, &cgroups, NULL, NULL));
  lines = g_strsplit (cgroups, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "0::"))
      {
        /* A child of our own. */
        g_autofree char *base = g_path_get_basename (lines[i] + 3);

        g_assert_true (g_str_has_prefix (base, "sandlock-"));
        dir = g_build_filename (kill_dir, base, NULL);
      }
  g_assert_nonnull (dir);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_test_message ("the command runs in %s", dir);

  outsider = fork ();
  g_assert_cmpint (outsider, >=, 0);
  if (outsider == 0)
    {
      /* Dies of SIGALRM if nothing kills it. */
      alarm (60);
      for (;;)
        pause ();
    }
  procs = g_build_filename (dir, "cgroup.procs", NULL);
  pid_text = g_strdup_printf ("%d", (int) outsider);
  g_assert_true (g_file_set_contents_full (procs, pid_text, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error));
  g_assert_no_error (error);

  sandlock_process_force_exit (process);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (outsider, &status, 0), ==, outsider);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_assert_cmpint (sandlock_process_get_kill_mechanism (process), ==, SANDLOCK_LIMIT_MECHANISM_CGROUP_V2);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* cpu-cores: the affinity holds, and the command cannot widen it. */
static void
test_cpu_cores (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int version = expected_cgroup ("cpuset");

  sandlock_sandbox_set_cpu_cores (sandbox, "0");
  result = run_limits_probe (sandbox, "affinity", NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "affinity 0\nEPERM\n");
  g_test_message ("cpu-cores: %s", version != 0 ? "cpuset cgroup" : "affinity");
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_CPU_CORES), ==,
                   version != 0 ? cgroup_mechanism (version) : SANDLOCK_LIMIT_MECHANISM_AFFINITY);
}

/* max-cpu: a CPU hog is throttled (how close to the share it stays is for
 * the benchmark to measure), by the cgroup or by the library. A limit of
 * 1% is below what the hog gets even on a loaded machine, so it is
 * throttled for sure. */
static void
test_cpu (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int version = expected_cgroup ("cpu");

  sandlock_sandbox_set_max_cpu (sandbox, 1);
  result = run_limits_probe (sandbox, "spin", "1", &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_strchomp (output);
  g_test_message ("max-cpu 1%% (%s): one second of spinning used %s ms",
                  version != 0 ? "cgroup" : "the library's throttle", output);
  g_assert_true (g_str_has_prefix (output, "cpu "));
  g_assert_cmpint (sandlock_result_get_exit_status (result), ==, 0);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_CPU), ==,
                   version != 0 ? cgroup_mechanism (version) : SANDLOCK_LIMIT_MECHANISM_SUPERVISOR);
  g_assert_cmpuint (sandlock_result_get_limits_reached (result), ==, SANDLOCK_LIMIT_CPU);
}

/* A command the throttle stopped is still killed at its timeout, and
 * nothing is left behind. */
static void
test_cpu_stopped_then_killed (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = g_strdup_printf ("limits-cpu-%d", (int) getpid ());
  const char *argv[] = { sandlock_test_limits_probe (), "spin", "600", tag, NULL };

  sandlock_sandbox_set_max_cpu (sandbox, 1);
  sandlock_sandbox_set_timeout (sandbox, 1);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_result_get_timed_out (result));
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
}

/* A synchronous wait runs only the process's own sources, on a private
 * context: the delayed answers to refused forks and the library's CPU
 * throttle must run there too, or the command waits for ever. */
static void
test_sync_wait (gconstpointer data)
{
  const char *what = data;
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cpu = g_str_equal (what, "cpu");
  const char *argv[] = { sandlock_test_limits_probe (), cpu ? "spin" : "fork-hold", cpu ? "1" : "20", NULL };

  if (cpu)
    sandlock_sandbox_set_max_cpu (sandbox, 1);
  else
    sandlock_sandbox_set_max_processes (sandbox, 4);
  sandlock_sandbox_set_timeout (sandbox, 30);
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (sandlock_process_get_timed_out (process));
  g_assert_cmpuint (sandlock_process_get_limits_reached (process), ==,
                    cpu ? SANDLOCK_LIMIT_CPU : SANDLOCK_LIMIT_PROCESSES);
}

/* Where the library looks for the application's cgroup, on layouts other
 * than this machine's: v2 only, v1 with an empty v2, a cgroup namespace. */
static void
test_cgroup_find_dir (void)
{
  static const char v2_cgroups[] = "0::/user.slice/user-1000.slice/app.scope\n";
  static const char v2_mounts[] =
    "24 30 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n"
    "25 30 0:23 / /proc rw,nosuid,nodev,noexec,relatime shared:10 - proc proc rw\n";
  static const char v1_cgroups[] =
    "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/abc\n2:cpu,cpuacct:/jobs\n0::/\n";
  static const char v1_mounts[] =
    "30 29 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "31 29 0:27 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "32 29 0:28 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "33 29 0:29 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  /* A container whose mount shows only its own part of the hierarchy. */
  static const char ns_cgroups[] = "0::/ctr/app\n";
  static const char ns_mounts[] =
    "40 39 0:30 /ctr /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n";
  g_autofree char *v2 = sandlock_cgroup_find_dir (v2_cgroups, v2_mounts, "");
  g_autofree char *v2_memory = sandlock_cgroup_find_dir (v2_cgroups, v2_mounts, "memory");
  g_autofree char *v1_memory = sandlock_cgroup_find_dir (v1_cgroups, v1_mounts, "memory");
  g_autofree char *v1_cpu = sandlock_cgroup_find_dir (v1_cgroups, v1_mounts, "cpu");
  g_autofree char *v1_cpuset = sandlock_cgroup_find_dir (v1_cgroups, v1_mounts, "cpuset");
  g_autofree char *v1_unified = sandlock_cgroup_find_dir (v1_cgroups, v1_mounts, "");
  g_autofree char *ns = sandlock_cgroup_find_dir (ns_cgroups, ns_mounts, "");

  g_assert_cmpstr (v2, ==, "/sys/fs/cgroup/user.slice/user-1000.slice/app.scope");
  g_assert_null (v2_memory);
  g_assert_cmpstr (v1_memory, ==, "/sys/fs/cgroup/memory/process_api/abc");
  g_assert_cmpstr (v1_cpu, ==, "/sys/fs/cgroup/cpu,cpuacct/jobs");
  g_assert_null (v1_cpuset);
  g_assert_cmpstr (v1_unified, ==, "/sys/fs/cgroup/unified");
  g_assert_cmpstr (ns, ==, "/sys/fs/cgroup/app");
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  g_test_add_func ("/limits/properties", test_properties);
  g_test_add_func ("/limits/processes/held", test_processes_held);
  g_test_add_func ("/limits/processes/below", test_processes_below);
  g_test_add_func ("/limits/processes/threads", test_threads_not_processes);
  g_test_add_func ("/limits/processes/daemons", test_processes_daemons);
  g_test_add_func ("/limits/processes/fork-bomb-default", test_fork_bomb_default);
  g_test_add_func ("/limits/processes/held-deferred", test_processes_held_deferred);
  g_test_add_func ("/limits/processes/in-flight/new-child", test_processes_in_flight_new_child);
  g_test_add_func ("/limits/processes/in-flight/trapped-again",
                   test_processes_in_flight_trapped_again);
  g_test_add_func ("/limits/processes/in-flight/unanswered",
                   test_processes_in_flight_unanswered);
  g_test_add_func ("/limits/memory", test_memory);
  g_test_add_func ("/limits/cgroup/placement", test_cgroup_placement);
  g_test_add_func ("/limits/cgroup/leftover", test_cgroup_leftover);
  g_test_add_func ("/limits/cgroup/find-dir", test_cgroup_find_dir);
  g_test_add_func ("/limits/cgroup/kill-daemons", test_cgroup_kill_daemons);
  g_test_add_func ("/limits/cgroup/kill-outsider", test_cgroup_kill_outsider);
  g_test_add_func ("/limits/cpu-cores", test_cpu_cores);
  g_test_add_func ("/limits/cpu", test_cpu);
  g_test_add_data_func ("/limits/processes/sync-wait", "processes", test_sync_wait);
  g_test_add_data_func ("/limits/cpu/sync-wait", "cpu", test_sync_wait);
  g_test_add_func ("/limits/cpu/stopped-then-killed", test_cpu_stopped_then_killed);

  return sandlock_test_run ();
}
