/* sandlock-bench.c: round-trip, start-up and scale benchmarks
 *
 *   sandlock-bench roundtrip-none N    getppid with no filter at all
 *   sandlock-bench roundtrip-ref N     a bare supervisor on libseccomp
 *   sandlock-bench roundtrip-c N       sandlock-glib, a C handler
 *   sandlock-bench startup RUNS        spawn and reap /bin/true
 *   sandlock-bench scale S N           S sandboxes at once on one loop
 *   sandlock-bench scale-ref S N       S bare supervisor threads, a child each
 *
 * Each prints one JSON object. build-aux/run-bench runs them (and the
 * Python and gjs handler benchmarks) in one go and compares them.
 * SANDLOCK_TEST_DISABLE=sync-wake-up turns the kernel's synchronous
 * wake-up off, for sandlock-glib and (with --no-sync) the reference alike.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sandlock-glib/sandlock.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
# define SECCOMP_IOCTL_NOTIF_SET_FLAGS _IOW ('!', 4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
# define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

static char *bench_child;

/* CPU time this process (all its threads) has used, in nanoseconds. */
static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char * const system_dirs[] = { "/usr", "/lib", "/lib64", "/bin", "/etc", NULL };

static G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) void
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

static SandlockSandbox *
new_sandbox (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *child_dir = g_path_get_dirname (bench_child);
  g_auto(GStrv) paths = NULL;
  SandlockSandbox *sandbox = sandlock_sandbox_new ();

  for (gsize i = 0; system_dirs[i] != NULL; i++)
    if (g_file_test (system_dirs[i], G_FILE_TEST_EXISTS))
      g_strv_builder_add (builder, system_dirs[i]);
  g_strv_builder_add (builder, child_dir);
  paths = g_strv_builder_end (builder);
  sandlock_sandbox_set_fs_readable (sandbox, (const char * const *) paths);
  return sandbox;
}

/* ---- handlers ------------------------------------------------------------ */

#define BENCH_TYPE_CONTINUE (bench_continue_get_type ())
G_DECLARE_FINAL_TYPE (BenchContinue, bench_continue, BENCH, CONTINUE, SandlockHandler)

struct _BenchContinue
{
  SandlockHandler parent_instance;
  guint64         handled;
};

G_DEFINE_FINAL_TYPE (BenchContinue, bench_continue, SANDLOCK_TYPE_HANDLER)

static SandlockAction *
bench_continue_handle (SandlockHandler       *handler,
                       SandlockNotification  *notification,
                       GError               **error)
{
  BENCH_CONTINUE (handler)->handled++;
  return sandlock_action_new_continue ();
}

static void
bench_continue_class_init (BenchContinueClass *klass)
{
  SANDLOCK_HANDLER_CLASS (klass)->handle = bench_continue_handle;
}

static void
bench_continue_init (BenchContinue *self)
{
}

/* Holds every child at its getpid() until all have arrived. */
#define BENCH_TYPE_BARRIER (bench_barrier_get_type ())
G_DECLARE_FINAL_TYPE (BenchBarrier, bench_barrier, BENCH, BARRIER, SandlockHandler)

struct _BenchBarrier
{
  SandlockHandler  parent_instance;
  GPtrArray       *waiting;
};

G_DEFINE_FINAL_TYPE (BenchBarrier, bench_barrier, SANDLOCK_TYPE_HANDLER)

static SandlockAction *
bench_barrier_handle (SandlockHandler       *handler,
                      SandlockNotification  *notification,
                      GError               **error)
{
  g_ptr_array_add (BENCH_BARRIER (handler)->waiting, g_object_ref (notification));
  return sandlock_action_new_defer ();
}

static void
bench_barrier_finalize (GObject *object)
{
  g_ptr_array_unref (BENCH_BARRIER (object)->waiting);
  G_OBJECT_CLASS (bench_barrier_parent_class)->finalize (object);
}

static void
bench_barrier_class_init (BenchBarrierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_barrier_finalize;
  SANDLOCK_HANDLER_CLASS (klass)->handle = bench_barrier_handle;
}

static void
bench_barrier_init (BenchBarrier *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- round trips --------------------------------------------------------- */

static char *
child_json (GBytes *out)
{
  gsize size;
  const char *data = g_bytes_get_data (out, &size);

  return g_strstrip (g_strndup (data, size));
}

static void
roundtrip_none (long n)
{
  g_autofree char *count = g_strdup_printf ("%ld", n);
  const char *argv[] = { bench_child, count, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    die ("bench-child: %s", error->message);
  printf ("{\"mode\": \"none\", \"child\": %s}\n", g_strstrip (out));
}

static int listener_for_ref = -1;

static void
on_sigusr1 (int sig)
{
}

static void *
ref_supervisor (void *data)
{
  struct seccomp_notif *req = NULL;
  struct seccomp_notif_resp *resp = NULL;
  guint64 *handled = data;

  if (seccomp_notify_alloc (&req, &resp) != 0)
    die ("seccomp_notify_alloc failed");

  /* The practical limit: one thread, blocking RECV then SEND, nothing else. */
  for (;;)
    {
      memset (req, 0, sizeof *req);
      /* Fails with EINTR when told the child is gone, or ENOENT once no
       * task uses the filter any more: either way, done. */
      if (seccomp_notify_receive (listener_for_ref, req) != 0)
        break;
      resp->id = req->id;
      resp->val = 0;
      resp->error = 0;
      resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      if (seccomp_notify_respond (listener_for_ref, resp) == 0)
        (*handled)++;
    }

  seccomp_notify_free (req, resp);
  return NULL;
}

/* Forks bench-child N (with --samples: a sample of every call's latency)
 * under a filter notifying getppid (and with @samples getpid, which the
 * child calls once at its start); its listener in *listener, with the
 * kernel's synchronous wake-up if @sync_wake_up, its stdout in *out. */
static pid_t
start_ref_child (const char *count,
                 gboolean    samples,
                 gboolean    sync_wake_up,
                 int        *listener,
                 int        *out)
{
  int sockets[2], out_pipe[2];
  pid_t pid;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0 || pipe2 (out_pipe, O_CLOEXEC) != 0)
    die ("socketpair/pipe: %s", g_strerror (errno));
  pid = fork ();
  if (pid < 0)
    die ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
      union { char buf[CMSG_SPACE (sizeof (int))]; struct cmsghdr align; } control;
      struct iovec iov = { .iov_base = "x", .iov_len = 1 };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = control.buf, .msg_controllen = sizeof control.buf };
      struct cmsghdr *cmsg;
      int fd;

      if (ctx == NULL || seccomp_rule_add (ctx, SCMP_ACT_NOTIFY, SCMP_SYS (getppid), 0) != 0 ||
          (samples && seccomp_rule_add (ctx, SCMP_ACT_NOTIFY, SCMP_SYS (getpid), 0) != 0) ||
          seccomp_load (ctx) != 0 || (fd = seccomp_notify_fd (ctx)) < 0)
        _exit (10);
      memset (&control, 0, sizeof control);
      cmsg = CMSG_FIRSTHDR (&msg);
      if (cmsg == NULL)
        _exit (13);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (cmsg), &fd, sizeof fd);
      if (sendmsg (sockets[1], &msg, 0) != 1)
        _exit (11);
      dup2 (out_pipe[1], 1);
      execl (bench_child, bench_child, count, samples ? "--samples" : NULL, (char *) NULL);
      _exit (12);
    }
  close (out_pipe[1]);
  close (sockets[1]);
  {
    union { char buf[CMSG_SPACE (sizeof (int))]; struct cmsghdr align; } control;
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    struct cmsghdr *cmsg;

    if (recvmsg (sockets[0], &msg, MSG_CMSG_CLOEXEC) != 1 || (cmsg = CMSG_FIRSTHDR (&msg)) == NULL)
      die ("a reference child sent no listener");
    memcpy (listener, CMSG_DATA (cmsg), sizeof (int));
  }
  close (sockets[0]);
  if (sync_wake_up &&
      ioctl (*listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
             (unsigned long) SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0)
    die ("SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP: %s", g_strerror (errno));
  *out = out_pipe[0];
  return pid;
}

static void
roundtrip_ref (long     n,
               gboolean sync_wake_up)
{
  g_autofree char *count = g_strdup_printf ("%ld", n);
  struct sigaction action = { .sa_handler = on_sigusr1 };   /* no SA_RESTART */
  int out_fd;
  guint64 handled = 0;
  gint64 cpu_start;
  pthread_t thread;
  GString *out = g_string_new (NULL);
  char buffer[4096];
  ssize_t got;
  int status;
  pid_t pid;

  pid = start_ref_child (count, FALSE, sync_wake_up, &listener_for_ref, &out_fd);

  sigaction (SIGUSR1, &action, NULL);
  cpu_start = cpu_ns ();
  pthread_create (&thread, NULL, ref_supervisor, &handled);

  while ((got = read (out_fd, buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR))
    if (got > 0)
      g_string_append_len (out, buffer, got);
  waitpid (pid, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    die ("the reference child failed (status %d)", status);

  /* RECV blocks for ever once the child is gone: interrupt it. */
  pthread_kill (thread, SIGUSR1);
  pthread_join (thread, NULL);
  printf ("{\"mode\": \"%s\", \"handled\": %" G_GUINT64_FORMAT ", \"supervisor_cpu_ns_per_call\": %.1f, "
          "\"child\": %s}\n",
          sync_wake_up ? "reference" : "reference-no-sync", handled,
          (double) (cpu_ns () - cpu_start) / (double) n, g_strstrip (out->str));
  g_string_free (out, TRUE);
  close (listener_for_ref);
  close (out_fd);
}

typedef struct {
  GMainLoop *loop;
  GBytes    *out;
  GError    *error;
} RunState;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RunState *state = user_data;

  sandlock_process_communicate_finish (SANDLOCK_PROCESS (source), result, &state->out, NULL, &state->error);
  g_main_loop_quit (state->loop);
}

static void
roundtrip_c (long n)
{
  g_autoptr(SandlockSandbox) sandbox = new_sandbox ();
  g_autoptr(BenchContinue) handler = g_object_new (BENCH_TYPE_CONTINUE, NULL);
  g_autofree char *count = g_strdup_printf ("%ld", n);
  const char * const argv[] = { bench_child, count, NULL };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  RunState state = { loop, NULL, NULL };
  gint64 cpu_start;

  if (!sandlock_sandbox_add_handler (sandbox, "getppid", SANDLOCK_HANDLER (handler), &error))
    die ("%s", error->message);
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (process == NULL)
    die ("%s", error->message);
  cpu_start = cpu_ns ();
  sandlock_process_communicate_async (process, NULL, NULL, on_communicated, &state);
  g_main_loop_run (loop);
  if (state.error != NULL)
    die ("%s", state.error->message);

  json = child_json (state.out);
  printf ("{\"mode\": \"%s\", \"handled\": %" G_GUINT64_FORMAT ", \"supervisor_cpu_ns_per_call\": %.1f, "
          "\"child\": %s}\n",
          g_getenv ("SANDLOCK_TEST_DISABLE") != NULL ? "c-no-sync" : "c",
          handler->handled, (double) (cpu_ns () - cpu_start) / (double) n, json);
  g_bytes_unref (state.out);
}

/* ---- start-up -------------------------------------------------------------- */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   count)
{
  qsort (values, count, sizeof *values, compare_doubles);
  return values[count / 2];
}

static char **
bwrap_argv (void)
{
  g_autofree char *bwrap = g_find_program_in_path ("bwrap");
  GPtrArray *argv;

  if (bwrap == NULL)
    return NULL;

  /* The same read-only view of the system directories, nothing else. */
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, g_steal_pointer (&bwrap));
  for (gsize i = 0; system_dirs[i] != NULL; i++)
    {
      if (!g_file_test (system_dirs[i], G_FILE_TEST_EXISTS))
        continue;
      if (g_file_test (system_dirs[i], G_FILE_TEST_IS_SYMLINK))
        {
          g_ptr_array_add (argv, g_strdup ("--symlink"));
          g_ptr_array_add (argv, g_file_read_link (system_dirs[i], NULL));
        }
      else
        g_ptr_array_add (argv, g_strdup ("--ro-bind"));
      if (!g_file_test (system_dirs[i], G_FILE_TEST_IS_SYMLINK))
        g_ptr_array_add (argv, g_strdup (system_dirs[i]));
      g_ptr_array_add (argv, g_strdup (system_dirs[i]));
    }
  g_ptr_array_add (argv, g_strdup ("--die-with-parent"));
  g_ptr_array_add (argv, g_strdup ("/bin/true"));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static void
startup (guint runs)
{
  g_autoptr(SandlockSandbox) sandbox = new_sandbox ();
  const char * const argv[] = { "/bin/true", NULL };
  g_auto(GStrv) bwrap = bwrap_argv ();
  g_autofree double *sandboxed = g_new (double, runs);
  g_autofree double *plain = g_new (double, runs);
  g_autofree double *wrapped = g_new (double, runs);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(SandlockProcess) process = NULL;
      gint64 start;
      int status;

      /* Interleaved, so that the machine's drift hits all three alike. */
      start = g_get_monotonic_time ();
      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
      if (process == NULL || !sandlock_process_wait_check (process, NULL, &error))
        die ("sandlock: %s", error->message);
      sandboxed[i] = (double) (g_get_monotonic_time () - start);

      start = g_get_monotonic_time ();
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error))
        die ("g_spawn_sync: %s", error->message);
      plain[i] = (double) (g_get_monotonic_time () - start);

      if (bwrap != NULL)
        {
          start = g_get_monotonic_time ();
          if (!g_spawn_sync (NULL, bwrap, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error) ||
              !g_spawn_check_wait_status (status, &error))
            die ("bwrap: %s", error->message);
          wrapped[i] = (double) (g_get_monotonic_time () - start);
        }
    }

  printf ("{\"mode\": \"startup\", \"runs\": %u, \"sandlock_us\": %.1f, \"g_spawn_sync_us\": %.1f",
          runs, median (sandboxed, runs), median (plain, runs));
  if (bwrap != NULL)
    {
      g_autofree char *command = g_strjoinv (" ", bwrap);

      printf (", \"bwrap_us\": %.1f, \"bwrap_command\": \"%s\"", median (wrapped, runs), command);
    }
  printf ("}\n");
}

/* ---- scale ---------------------------------------------------------------------- */

static gsize
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

typedef struct {
  GMainLoop *loop;
  guint      pending;
  GArray    *samples;
} ScaleState;

static void
on_scale_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ScaleState *state = user_data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const gint64 *data;

  if (!sandlock_process_communicate_finish (SANDLOCK_PROCESS (source), result, &out, NULL, &error) ||
      !sandlock_process_get_successful (SANDLOCK_PROCESS (source)))
    die ("a scale child failed: %s", error != NULL ? error->message : "bad exit");
  data = g_bytes_get_data (out, &size);
  g_array_append_vals (state->samples, data, (guint) (size / sizeof (gint64)));
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
scale (guint sandboxes,
       long  n)
{
  g_autoptr(BenchContinue) handler = g_object_new (BENCH_TYPE_CONTINUE, NULL);
  g_autoptr(BenchBarrier) barrier = g_object_new (BENCH_TYPE_BARRIER, NULL);
  g_autoptr(GPtrArray) boxes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *count = g_strdup_printf ("%ld", n);
  const char * const argv[] = { bench_child, count, "--samples", NULL };
  ScaleState state = { loop, sandboxes, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  gsize rss_before, rss_running;
  gint64 start, elapsed;

  /* Warm up: GLib's lazily created contexts and caches. */
  {
    g_autoptr(SandlockSandbox) warm = new_sandbox ();
    const char * const true_argv[] = { "/bin/true", NULL };
    g_autoptr(SandlockProcess) p = sandlock_sandbox_spawn (warm, true_argv, 0, NULL);

    if (p != NULL)
      sandlock_process_wait (p, NULL, NULL);
  }
  rss_before = resident_kib ();

  for (guint i = 0; i < sandboxes; i++)
    {
      SandlockSandbox *sandbox = new_sandbox ();
      g_autoptr(GError) error = NULL;
      SandlockProcess *process;

      if (!sandlock_sandbox_add_handler (sandbox, "getppid", SANDLOCK_HANDLER (handler), &error) ||
          !sandlock_sandbox_add_handler (sandbox, "getpid", SANDLOCK_HANDLER (barrier), &error))
        die ("%s", error->message);
      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      if (process == NULL)
        die ("%s", error->message);
      g_ptr_array_add (boxes, sandbox);
      g_ptr_array_add (processes, process);
      sandlock_process_communicate_async (process, NULL, NULL, on_scale_done, &state);
    }

  /* Every child is running and parked at the barrier: measure, release. */
  while (barrier->waiting->len < sandboxes)
    g_main_context_iteration (NULL, TRUE);
  rss_running = resident_kib ();

  start = g_get_monotonic_time ();
  for (guint i = 0; i < barrier->waiting->len; i++)
    {
      g_autoptr(SandlockAction) go = sandlock_action_new_continue ();

      sandlock_notification_respond (g_ptr_array_index (barrier->waiting, i), go, NULL);
    }
  g_main_loop_run (loop);
  elapsed = g_get_monotonic_time () - start;

  g_array_sort (state.samples, compare_int64);
  printf ("{\"mode\": \"scale\", \"sandboxes\": %u, \"calls_each\": %ld, \"handled\": %" G_GUINT64_FORMAT
          ", \"seconds\": %.3f, \"calls_per_second\": %.0f, \"p50_ns\": %" G_GINT64_FORMAT
          ", \"p99_ns\": %" G_GINT64_FORMAT ", \"supervisor_kib_per_sandbox\": %.1f}\n",
          sandboxes, n, handler->handled, (double) elapsed / G_USEC_PER_SEC,
          (double) sandboxes * (double) n / ((double) elapsed / G_USEC_PER_SEC),
          g_array_index (state.samples, gint64, state.samples->len / 2),
          g_array_index (state.samples, gint64, (state.samples->len * 99) / 100),
          (double) (rss_running - rss_before) / sandboxes);
  g_array_unref (state.samples);
}

/* ---- scale, reference --------------------------------------------------------- */

/* S children, each under a libseccomp filter trapping getpid and getppid
 * with its own listener, each served by a bare supervisor thread of its
 * own (blocking RECV, then SEND: the reference loop above). The threads
 * hold each child's first getpid until every child has arrived, as the
 * barrier handler does for sandlock-glib's scale. What stays of the tail
 * is the machine's: S children and S threads on its CPUs. */
typedef struct {
  int               listener;
  pthread_barrier_t *barrier;
  guint64           handled;
} RefThread;

static void *
scale_ref_supervisor (void *data)
{
  RefThread *t = data;
  struct seccomp_notif *req = NULL;
  struct seccomp_notif_resp *resp = NULL;
  gboolean first = TRUE;

  if (seccomp_notify_alloc (&req, &resp) != 0)
    die ("seccomp_notify_alloc failed");
  for (;;)
    {
      memset (req, 0, sizeof *req);
      if (seccomp_notify_receive (t->listener, req) != 0)
        break;
      if (first && req->data.nr == __NR_getpid)
        {
          pthread_barrier_wait (t->barrier);
          first = FALSE;
        }
      resp->id = req->id;
      resp->val = 0;
      resp->error = 0;
      resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      if (seccomp_notify_respond (t->listener, resp) == 0 && req->data.nr == __NR_getppid)
        t->handled++;
    }
  seccomp_notify_free (req, resp);
  return NULL;
}

static void
scale_ref (guint sandboxes,
           long  n)
{
  g_autofree char *count = g_strdup_printf ("%ld", n);
  struct sigaction action = { .sa_handler = on_sigusr1 };   /* no SA_RESTART */
  g_autofree RefThread *threads = g_new0 (RefThread, sandboxes);
  g_autofree pthread_t *ids = g_new0 (pthread_t, sandboxes);
  g_autofree pid_t *pids = g_new0 (pid_t, sandboxes);
  g_autofree struct pollfd *outs = g_new0 (struct pollfd, sandboxes);
  g_autofree GByteArray **data = g_new0 (GByteArray *, sandboxes);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  pthread_barrier_t barrier;
  guint open_outs = sandboxes;
  guint64 handled = 0;
  gint64 start, elapsed;

  sigaction (SIGUSR1, &action, NULL);
  pthread_barrier_init (&barrier, NULL, sandboxes + 1);
  for (guint i = 0; i < sandboxes; i++)
    {
      pids[i] = start_ref_child (count, TRUE, TRUE, &threads[i].listener, &outs[i].fd);
      outs[i].events = POLLIN;
      data[i] = g_byte_array_new ();
      threads[i].barrier = &barrier;
      pthread_create (&ids[i], NULL, scale_ref_supervisor, &threads[i]);
    }

  /* Every child is parked at its getpid: release them all. */
  pthread_barrier_wait (&barrier);
  start = g_get_monotonic_time ();
  while (open_outs > 0)
    {
      if (poll (outs, sandboxes, -1) < 0 && errno != EINTR)
        die ("poll: %s", g_strerror (errno));
      for (guint i = 0; i < sandboxes; i++)
        if (outs[i].fd >= 0 && outs[i].revents != 0)
          {
            guint8 buffer[65536];
            ssize_t got = read (outs[i].fd, buffer, sizeof buffer);

            if (got > 0)
              g_byte_array_append (data[i], buffer, (guint) got);
            else if (got == 0 || errno != EINTR)
              {
                close (outs[i].fd);
                outs[i].fd = -1;
                open_outs--;
              }
          }
    }
  elapsed = g_get_monotonic_time () - start;

  for (guint i = 0; i < sandboxes; i++)
    {
      int status;

      waitpid (pids[i], &status, 0);
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        die ("a reference child failed (status %d)", status);
      pthread_kill (ids[i], SIGUSR1);
      pthread_join (ids[i], NULL);
      close (threads[i].listener);
      handled += threads[i].handled;
      g_array_append_vals (samples, data[i]->data, data[i]->len / sizeof (gint64));
      g_byte_array_unref (data[i]);
    }
  pthread_barrier_destroy (&barrier);

  g_array_sort (samples, compare_int64);
  printf ("{\"mode\": \"scale-ref\", \"sandboxes\": %u, \"calls_each\": %ld, \"handled\": %" G_GUINT64_FORMAT
          ", \"seconds\": %.3f, \"calls_per_second\": %.0f, \"p50_ns\": %" G_GINT64_FORMAT
          ", \"p99_ns\": %" G_GINT64_FORMAT "}\n",
          sandboxes, n, handled, (double) elapsed / G_USEC_PER_SEC,
          (double) sandboxes * (double) n / ((double) elapsed / G_USEC_PER_SEC),
          g_array_index (samples, gint64, samples->len / 2),
          g_array_index (samples, gint64, (samples->len * 99) / 100));
}

/* ---- limits ---------------------------------------------------------------- */

static const char *
mechanism_name (SandlockLimitMechanism mechanism)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SANDLOCK_TYPE_LIMIT_MECHANISM);
  GEnumValue *value = g_enum_get_value (klass, mechanism);

  return value != NULL ? value->value_nick : "?";
}

/* The median start of /bin/true in @sandbox, in µs; the mechanism of
 * @limit in the last run. */
static double
limits_startup (SandlockSandbox        *sandbox,
                guint                   runs,
                SandlockLimits          limit,
                SandlockLimitMechanism *mechanism)
{
  const char * const argv[] = { "/bin/true", NULL };
  g_autofree double *times = g_new (double, runs);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(SandlockProcess) process = NULL;
      gint64 start = g_get_monotonic_time ();

      process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_NONE, &error);
      if (process == NULL || !sandlock_process_wait_check (process, NULL, &error))
        die ("sandlock: %s", error->message);
      times[i] = (double) (g_get_monotonic_time () - start);
      *mechanism = sandlock_process_get_limit_mechanism (process, limit);
    }
  return median (times, runs);
}

typedef struct {
  gint64  last;
  GArray *lateness;   /* gint64 µs */
  gboolean done;
} LimitsTick;

static gboolean
limits_on_tick (gpointer data)
{
  LimitsTick *tick = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late;

  if (tick->last != 0)
    {
      late = MAX (0, now - tick->last - 10000);
      g_array_append_val (tick->lateness, late);
    }
  tick->last = now;
  return G_SOURCE_CONTINUE;
}

static void
limits_on_done (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  LimitsTick *tick = data;

  sandlock_process_wait_finish (SANDLOCK_PROCESS (source), result, NULL);
  tick->done = TRUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* A fork bomb under the default policy for @seconds (then its first
 * process exits, which kills the rest): the lateness of a 10 ms timer on
 * this main loop. With @baseline, 64 processes that only burn CPU for as
 * long instead, without a process limit: what the machine itself does to
 * the timer under that load. */
static void
limits_fork_bomb (guint    seconds,
                  gboolean baseline)
{
  g_autoptr(SandlockSandbox) sandbox = new_sandbox ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf (
    "import os, time\n"
    "first, end = os.getpid(), time.monotonic() + %u\n"
    "while os.getpid() != first or time.monotonic() < end:\n"
    "    try: os.fork()\n"
    "    except OSError: pass\n", seconds);
  g_autofree char *spin = g_strdup_printf (
    "import os, time\n"
    "for i in range(63):\n"
    "    if os.fork() == 0: break\n"
    "end = time.monotonic() + %u\n"
    "while time.monotonic() < end: pass\n", seconds);
  const char * const argv[] = { "/usr/bin/python3", "-c", baseline ? spin : script, NULL };
  LimitsTick tick = { .lateness = g_array_new (FALSE, FALSE, sizeof (gint64)) };
  GSource *source;
  guint n;

  sandlock_sandbox_set_timeout (sandbox, seconds + 30);
  if (baseline)
    sandlock_sandbox_set_max_processes (sandbox, 0);
  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (process == NULL)
    die ("sandlock: %s", error->message);
  source = g_timeout_source_new (10);
  g_source_set_callback (source, limits_on_tick, &tick, NULL);
  g_source_attach (source, NULL);
  sandlock_process_wait_async (process, NULL, limits_on_done, &tick);
  while (!tick.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (source);
  g_source_unref (source);

  g_array_sort (tick.lateness, compare_gint64);
  n = tick.lateness->len;
  printf (", \"%s\": {\"seconds\": %u, \"ticks\": %u, \"timer_lateness_median_us\": %" G_GINT64_FORMAT
          ", \"timer_lateness_p99_us\": %" G_GINT64_FORMAT ", \"timer_lateness_worst_us\": %" G_GINT64_FORMAT
          ", \"limits_reached\": %u}",
          baseline ? "cpu_hogs_baseline" : "fork_bomb",
          seconds, n, n ? g_array_index (tick.lateness, gint64, n / 2) : 0,
          n ? g_array_index (tick.lateness, gint64, n * 99 / 100) : 0,
          n ? g_array_index (tick.lateness, gint64, n - 1) : 0,
          (guint) sandlock_process_get_limits_reached (process));
  g_array_unref (tick.lateness);
}

/* A CPU hog for @seconds under max-cpu @percent: the share it got. */
static void
limits_cpu (guint percent,
            guint seconds)
{
  g_autoptr(SandlockSandbox) sandbox = new_sandbox ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf (
    "import os, time\n"
    "end = time.monotonic() + %u\n"
    "while time.monotonic() < end: pass\n"
    "t = os.times()\n"
    "print(t.user + t.system)\n", seconds);
  const char * const argv[] = { "/usr/bin/python3", "-c", script, NULL };
  g_autofree char *out = NULL;

  sandlock_sandbox_set_max_cpu (sandbox, percent);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  if (result == NULL)
    die ("sandlock: %s", error->message);
  out = g_strndup (g_bytes_get_data (sandlock_result_get_stdout (result), NULL),
                   g_bytes_get_size (sandlock_result_get_stdout (result)));
  printf (", \"cpu\": {\"max_cpu_percent\": %u, \"seconds\": %u, \"mechanism\": \"%s\", "
          "\"achieved_percent\": %.1f}",
          percent, seconds,
          mechanism_name (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_CPU)),
          g_ascii_strtod (out, NULL) * 100.0 / seconds);
}

static void
limits (guint runs)
{
  g_autoptr(SandlockSandbox) sandbox = new_sandbox ();
  SandlockLimitMechanism mechanism = SANDLOCK_LIMIT_MECHANISM_NONE;
  double none, processes, memory;

  sandlock_sandbox_set_max_processes (sandbox, 0);
  none = limits_startup (sandbox, runs, SANDLOCK_LIMIT_PROCESSES, &mechanism);
  sandlock_sandbox_set_max_processes (sandbox, 64);
  processes = limits_startup (sandbox, runs, SANDLOCK_LIMIT_PROCESSES, &mechanism);
  /* A memory limit: a cgroup where the application may make one. */
  sandlock_sandbox_set_max_memory (sandbox, (guint64) 256 << 20);
  memory = limits_startup (sandbox, runs, SANDLOCK_LIMIT_MEMORY, &mechanism);

  printf ("{\"mode\": \"limits\", \"runs\": %u, \"startup_no_limit_us\": %.1f, "
          "\"startup_max_processes_us\": %.1f, \"startup_max_memory_us\": %.1f, "
          "\"memory_mechanism\": \"%s\"",
          runs, none, processes, memory, mechanism_name (mechanism));
  limits_cpu (50, runs >= 100 ? 5 : 1);
  limits_fork_bomb (runs >= 100 ? 5 : 2, FALSE);
  limits_fork_bomb (runs >= 100 ? 5 : 2, TRUE);
  printf ("}\n");
}

int
main (int argc, char **argv)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);
  const char *mode = argc > 1 ? argv[1] : "";
  long n = argc > 2 ? atol (argv[2]) : 0;

  bench_child = g_build_filename (dir, "bench-child", NULL);
  if (!g_file_test (bench_child, G_FILE_TEST_IS_EXECUTABLE))
    die ("%s is missing", bench_child);

  if (g_str_equal (mode, "roundtrip-none") && n > 0)
    roundtrip_none (n);
  else if (g_str_equal (mode, "roundtrip-ref") && n > 0)
    roundtrip_ref (n, !(argc > 3 && g_str_equal (argv[3], "--no-sync")));
  else if (g_str_equal (mode, "roundtrip-c") && n > 0)
    roundtrip_c (n);
  else if (g_str_equal (mode, "startup") && n > 0)
    startup ((guint) n);
  else if (g_str_equal (mode, "limits") && n > 0)
    limits ((guint) n);
  else if (g_str_equal (mode, "scale") && n > 0 && argc > 3 && atol (argv[3]) > 0)
    scale ((guint) n, atol (argv[3]));
  else if (g_str_equal (mode, "scale-ref") && n > 0 && argc > 3 && atol (argv[3]) > 0)
    scale_ref ((guint) n, atol (argv[3]));
  else
    die ("usage: sandlock-bench roundtrip-none|roundtrip-ref|roundtrip-c N | startup RUNS | limits RUNS | scale|scale-ref SANDBOXES N");

  g_free (bench_child);
  return 0;
}
