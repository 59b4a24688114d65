/* sandlock-process.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-launch-private.h"
#include "sandlock-process-private.h"
#include "sandlock-stdio-private.h"
#include "sandlock-supervisor-private.h"
#include "sandlock-i18n-private.h"

/**
 * SECTION:sandlock-process
 * @title: SandlockProcess
 * @short_description: a confined command
 *
 * A #SandlockProcess is a command started by sandlock_sandbox_spawn(). Its
 * API follows #GSubprocess: pipes, signals, waiting, exit status and
 * communicate.
 *
 * The process is watched from the main context that was the thread-default
 * when it was spawned: its handlers run there, it is reaped there, and that
 * context must keep running until the process has exited.
 *
 * The synchronous calls (sandlock_process_wait(),
 * sandlock_process_communicate(), ...) run a private main context while
 * they wait, as GSubprocess's do: no other source of the application (an
 * idle, a timeout, a D-Bus call) is dispatched meanwhile. When the calling
 * thread can own the process's context, the process's own sources move to
 * the private context for the wait: its handlers keep running, on that
 * thread, and asynchronous operations they start on the thread-default
 * context complete. A handler that deferred a notification and answers it
 * from an idle or a timeout of the process's context cannot answer it
 * during a synchronous wait: use the asynchronous calls then. When another
 * thread runs the process's context, that thread keeps dispatching the
 * handlers and the call just waits. Applications with a running main loop
 * should prefer the asynchronous calls.
 *
 * A sandbox ends with its first process: when it exits (or is killed), every
 * process it left behind is killed too, setsid()'d daemons included.
 * Dropping the last reference to a running #SandlockProcess kills the
 * sandbox.
 *
 * An exec failure (a missing program, execution denied by Landlock) is
 * reported by the waiting calls as a %SANDLOCK_ERROR_SPAWN_FAILED error
 * naming the program and the errno, never as a bare exit code 127.
 *
 * Processes are made by sandlock_sandbox_spawn() only. One built with
 * g_object_new() alone (`Sandlock.Process()` in Python or gjs) was never
 * spawned, and says so at once: the waiting calls and communicate fail
 * with %SANDLOCK_ERROR_FAILED (the asynchronous ones through their
 * callback), it has no pipes, no identifier, no protections, and it never
 * exits; signals and sandlock_process_force_exit() do nothing.
 */

/**
 * SandlockProcess:
 *
 * A command running in a sandbox. Its fields are private.
 *
 * Since: 1.0
 */

struct _SandlockProcess
{
  GObject              parent_instance;

  SandlockSupervisor  *supervisor;
  GPid                 pid;
  char                *identifier;
  char                *argv0;

  GOutputStream       *stdin_pipe;
  GInputStream        *stdout_pipe;
  GInputStream        *stderr_pipe;
  int                  pty_fd;          /* SandlockSandbox:pty's master, or -1 */

  /* Guards pending_waits and exited: a wait may start on any thread while
   * the owner thread records the exit. */
  GMutex               pending_lock;
  GSList              *pending_waits;   /* GTask */
  gboolean             exited;

  /* Set, atomically (any thread may ask), once communicate has read more
   * than the policy's max_output on a stream and killed the sandbox. */
  gint                 output_limit_exceeded;
};

G_DEFINE_FINAL_TYPE (SandlockProcess, sandlock_process, G_TYPE_OBJECT)

static void
sandlock_process_dispose (GObject *object)
{
  SandlockProcess *self = SANDLOCK_PROCESS (object);

  /* No orphans: a process nobody holds is killed with its whole sandbox.
   * The supervisor's sources stay until the helper is reaped. */
  if (self->supervisor != NULL && !sandlock_supervisor_has_exited (self->supervisor))
    sandlock_supervisor_kill (self->supervisor);

  g_clear_object (&self->stdin_pipe);
  g_clear_object (&self->stdout_pipe);
  g_clear_object (&self->stderr_pipe);

  G_OBJECT_CLASS (sandlock_process_parent_class)->dispose (object);
}

static void
sandlock_process_finalize (GObject *object)
{
  SandlockProcess *self = SANDLOCK_PROCESS (object);

  g_assert (self->pending_waits == NULL);
  g_clear_pointer (&self->supervisor, sandlock_supervisor_unref);
  g_mutex_clear (&self->pending_lock);
  g_free (self->identifier);
  g_free (self->argv0);
  sandlock_clear_fd (&self->pty_fd);

  G_OBJECT_CLASS (sandlock_process_parent_class)->finalize (object);
}

static void
sandlock_process_class_init (SandlockProcessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  struct sigaction current;

  object_class->dispose = sandlock_process_dispose;
  object_class->finalize = sandlock_process_finalize;

  /* Writing to the stdin pipe of a child that exited must be an error, not
   * a SIGPIPE that kills the application: the same choice GSocket makes. */
  if (sigaction (SIGPIPE, NULL, &current) == 0 && current.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);
}

static void
sandlock_process_init (SandlockProcess *self)
{
  g_mutex_init (&self->pending_lock);
  self->pty_fd = -1;
}

/* A process that g_object_new() alone made: no sandbox behind it. */
static gboolean
is_spawned (SandlockProcess *self)
{
  return self->supervisor != NULL;
}

static void
set_never_spawned (GError **error)
{
  g_set_error_literal (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                       _("This process was never spawned: processes are made by "
                         "sandlock_sandbox_spawn()"));
}

/* ---- exit ------------------------------------------------------------ */

static void
return_wait_result (SandlockProcess *self,
                    GTask           *task)
{
  const char *exec_error = sandlock_supervisor_get_exec_error (self->supervisor);

  if (exec_error != NULL)
    g_task_return_new_error (task, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                             "%s", exec_error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_supervisor_exit (SandlockSupervisor *supervisor,
         gpointer            user_data)
{
  g_autoptr(SandlockProcess) self = g_weak_ref_get (user_data);
  GSList *waits;

  if (self == NULL)
    return;

  g_mutex_lock (&self->pending_lock);
  self->exited = TRUE;
  waits = g_steal_pointer (&self->pending_waits);
  g_mutex_unlock (&self->pending_lock);

  for (GSList *l = waits; l != NULL; l = l->next)
    {
      return_wait_result (self, l->data);
      g_object_unref (l->data);
    }
  g_slist_free (waits);
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* The process of a launch that succeeded, watched from @context; takes
 * what @launch owns. */
static SandlockProcess *
process_new_launched (SandlockPolicy *policy,
                      const char     *argv0,
                      SandlockLaunch *launch,
                      GMainContext   *context)
{
  SandlockProcess *self;
  GWeakRef *weak;

  self = g_object_new (SANDLOCK_TYPE_PROCESS, NULL);
  self->pid = launch->child_pid;
  self->identifier = g_strdup_printf ("%d", (int) launch->child_pid);
  self->argv0 = g_strdup (argv0);

  if (launch->stdin_fd >= 0)
    self->stdin_pipe = g_unix_output_stream_new (launch->stdin_fd, TRUE);
  if (launch->stdout_fd >= 0)
    self->stdout_pipe = g_unix_input_stream_new (launch->stdout_fd, TRUE);
  if (launch->stderr_fd >= 0)
    self->stderr_pipe = g_unix_input_stream_new (launch->stderr_fd, TRUE);
  launch->stdin_fd = launch->stdout_fd = launch->stderr_fd = -1;
  self->pty_fd = launch->pty_fd;
  launch->pty_fd = -1;

  self->supervisor = sandlock_supervisor_new (policy, launch, argv0, context);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  sandlock_supervisor_set_exit_func (self->supervisor, on_supervisor_exit, weak, free_weak_ref);

  return self;
}

SandlockProcess *
sandlock_process_new (SandlockPolicy               *policy,
                      const char * const           *argv,
                      GSubprocessFlags              flags,
                      const SandlockLaunchOptions  *options,
                      GError                      **error)
{
  g_autoptr(GMainContext) context = NULL;
  SandlockLaunch launch;

  if (!sandlock_launch (policy, argv, flags, options, &launch, error))
    return NULL;

  context = g_main_context_ref_thread_default ();
  return process_new_launched (policy, argv[0], &launch, context);
}

/* ---- launching in a thread ------------------------------------------------ */

typedef struct {
  SandlockPolicy        *policy;
  char                 **argv;
  GSubprocessFlags       flags;
  GMainContext          *context;      /* the caller's thread-default */

  /* A copy of the options whose descriptors are ours (duplicates): the
   * caller may close its own meanwhile. */
  gboolean               has_options;
  SandlockLaunchOptions  options;
  char                 **env;
  char                  *cwd;
  int                    stdio_fds[3];
  int                   *passed_sources;
  int                   *passed_targets;

  gboolean               launched;
  SandlockLaunch         launch;
} LaunchData;

static void
launch_data_free (gpointer data)
{
  LaunchData *self = data;

  if (self->launched)
    sandlock_launch_clear (&self->launch);
  for (int i = 0; i < 3; i++)
    sandlock_clear_fd (&self->stdio_fds[i]);
  for (guint j = 0; self->passed_sources != NULL && j < self->options.n_passed; j++)
    sandlock_clear_fd (&self->passed_sources[j]);
  g_free (self->passed_sources);
  g_free (self->passed_targets);
  g_strfreev (self->env);
  g_free (self->cwd);
  g_strfreev (self->argv);
  g_main_context_unref (self->context);
  sandlock_policy_unref (self->policy);
  g_free (self);
}

static gboolean
copy_options (LaunchData                   *data,
              const SandlockLaunchOptions  *options,
              GError                      **error)
{
  data->stdio_fds[0] = data->stdio_fds[1] = data->stdio_fds[2] = -1;
  if (options == NULL)
    return TRUE;

  data->has_options = TRUE;
  data->env = g_strdupv ((char **) options->env);
  data->cwd = g_strdup (options->cwd);
  data->options.n_passed = options->n_passed;
  data->passed_sources = g_new (int, MAX (options->n_passed, 1));
  data->passed_targets = g_new (int, MAX (options->n_passed, 1));
  for (guint j = 0; j < options->n_passed; j++)
    data->passed_sources[j] = -1;

  for (int i = 0; i < 3; i++)
    if (options->stdio_fds[i] >= 0 &&
        (data->stdio_fds[i] = fcntl (options->stdio_fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
      goto failed;
  for (guint j = 0; j < options->n_passed; j++)
    {
      data->passed_targets[j] = options->passed_targets[j];
      if ((data->passed_sources[j] = fcntl (options->passed_sources[j], F_DUPFD_CLOEXEC, 3)) < 0)
        goto failed;
    }

  data->options.env = (const char * const *) data->env;
  data->options.cwd = data->cwd;
  memcpy (data->options.stdio_fds, data->stdio_fds, sizeof data->stdio_fds);
  data->options.passed_sources = data->passed_sources;
  data->options.passed_targets = data->passed_targets;
  return TRUE;

failed:
  {
    int saved_errno = errno;

    g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                 _("Failed to start '%s' in the sandbox: duplicating a descriptor failed: %s"),
                 data->argv[0], g_strerror (saved_errno));
    return FALSE;
  }
}

static void
launch_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LaunchData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!sandlock_launch (data->policy, (const char * const *) data->argv, data->flags,
                        data->has_options ? &data->options : NULL, &data->launch, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  data->launched = TRUE;
  g_task_return_boolean (task, TRUE);
}

void
sandlock_process_launch_async (SandlockPolicy               *policy,
                               const char * const           *argv,
                               GSubprocessFlags              flags,
                               const SandlockLaunchOptions  *options,
                               gpointer                      source_object,
                               gpointer                      source_tag,
                               GCancellable                 *cancellable,
                               GAsyncReadyCallback           callback,
                               gpointer                      user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  LaunchData *data = g_new0 (LaunchData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  data->policy = sandlock_policy_ref (policy);
  data->argv = g_strdupv ((char **) argv);
  data->flags = flags;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, data, launch_data_free);

  if (!copy_options (data, options, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The handshake blocks for milliseconds: not on the caller's loop. */
  g_task_run_in_thread (task, launch_in_thread);
}

SandlockProcess *
sandlock_process_launch_finish (GAsyncResult  *result,
                                GError       **error)
{
  GTask *task = G_TASK (result);
  LaunchData *data = g_task_get_task_data (task);
  SandlockProcess *self;

  if (!g_task_propagate_boolean (task, error))
    return NULL;

  /* Watched from the context of the call, whatever thread launched. */
  self = process_new_launched (data->policy, data->argv[0], &data->launch, data->context);
  data->launched = FALSE;

  /* Cancelled while it started: nothing half-started is left. */
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), error))
    {
      sandlock_process_force_exit (self);
      g_object_unref (self);
      return NULL;
    }
  return self;
}

/* ---- identity ------------------------------------------------------------ */

gboolean
sandlock_process_is_detached (SandlockProcess *self)
{
  return self->supervisor == NULL || sandlock_supervisor_is_detached (self->supervisor);
}

/**
 * sandlock_process_get_identifier:
 * @self: a #SandlockProcess
 *
 * The process id of the sandbox's first process, as a string, or %NULL
 * once it has exited (as g_subprocess_get_identifier()).
 *
 * Returns: (nullable): the identifier
 *
 * Since: 1.0
 */
const char *
sandlock_process_get_identifier (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), NULL);

  if (self->supervisor == NULL || sandlock_supervisor_has_exited (self->supervisor))
    return NULL;
  return self->identifier;
}

/**
 * sandlock_process_get_pid:
 * @self: a #SandlockProcess
 *
 * The process id of the sandbox's first process. It stays readable after
 * the process has exited, but may then name another process.
 *
 * Returns: the process id
 *
 * Since: 1.0
 */
GPid
sandlock_process_get_pid (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), 0);
  return self->pid;
}

/**
 * sandlock_process_get_protections:
 * @self: a #SandlockProcess
 *
 * The protections the process runs under: all of them, unless
 * #SandlockSandbox:best-effort let the spawn skip what the kernel lacks.
 *
 * Returns: the applied protections
 *
 * Since: 1.0
 */
SandlockProtections
sandlock_process_get_protections (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), SANDLOCK_PROTECTION_NONE);

  if (!is_spawned (self))
    return SANDLOCK_PROTECTION_NONE;
  return sandlock_supervisor_get_policy (self->supervisor)->protections;
}

/**
 * sandlock_process_get_landlock_abi:
 * @self: a #SandlockProcess
 *
 * The Landlock ABI of the kernel, as probed when the process was
 * spawned. sandlock_process_get_protections() says which protections
 * were applied.
 *
 * Returns: the Landlock ABI of the kernel the process was spawned on, 0
 *   without Landlock
 *
 * Since: 1.0
 */
int
sandlock_process_get_landlock_abi (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), 0);

  if (!is_spawned (self))
    return 0;
  return sandlock_supervisor_get_policy (self->supervisor)->landlock_abi;
}

/**
 * sandlock_process_get_stdin_pipe:
 * @self: a #SandlockProcess
 *
 * Gets the pipe to the child's standard input.
 *
 * Returns: (transfer none) (nullable): the child's standard input, if it
 *   was spawned with %G_SUBPROCESS_FLAGS_STDIN_PIPE
 *
 * Since: 1.0
 */
GOutputStream *
sandlock_process_get_stdin_pipe (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), NULL);
  return self->stdin_pipe;
}

/**
 * sandlock_process_get_pty_fd:
 * @self: a #SandlockProcess
 *
 * Gets the master side of the command's private pseudo-terminal
 * (#SandlockSandbox:pty). Read the command's terminal output from it and
 * write its input to it; `TIOCSWINSZ` on it resizes the terminal (and
 * sends `SIGWINCH` to the command). The descriptor is blocking and
 * close-on-exec. Once every process of the sandbox has closed the
 * terminal, reads return what was left unread, then fail with `EIO`.
 *
 * Like the pipes, read it without blocking the main context the process
 * was spawned on: the command's trapped syscalls (its forks among them)
 * wait for that context. Watch it with g_unix_fd_add() (in Python
 * `GLib.unix_fd_add_full()`) or read a #GUnixInputStream made with
 * `close_fd` %FALSE asynchronously; once the process has exited, plain
 * reads (`os.read()`) drain it.
 *
 * The descriptor belongs to @self, which closes it when it is finalized,
 * not when the command exits (what it wrote stays readable): do not close
 * it; duplicate it to keep it longer.
 *
 * Returns: the master's descriptor, or -1 when the sandbox has no
 *   #SandlockSandbox:pty
 *
 * Since: 1.0
 */
int
sandlock_process_get_pty_fd (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), -1);
  return self->pty_fd;
}

/**
 * sandlock_process_get_stdout_pipe:
 * @self: a #SandlockProcess
 *
 * Gets the pipe from the child's standard output.
 *
 * Returns: (transfer none) (nullable): the child's standard output, if it
 *   was spawned with %G_SUBPROCESS_FLAGS_STDOUT_PIPE
 *
 * Since: 1.0
 */
GInputStream *
sandlock_process_get_stdout_pipe (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), NULL);
  return self->stdout_pipe;
}

/**
 * sandlock_process_get_stderr_pipe:
 * @self: a #SandlockProcess
 *
 * Gets the pipe from the child's standard error.
 *
 * Returns: (transfer none) (nullable): the child's standard error, if it
 *   was spawned with %G_SUBPROCESS_FLAGS_STDERR_PIPE
 *
 * Since: 1.0
 */
GInputStream *
sandlock_process_get_stderr_pipe (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), NULL);
  return self->stderr_pipe;
}

/* ---- signals --------------------------------------------------------------- */

/**
 * sandlock_process_send_signal:
 * @self: a #SandlockProcess
 * @signal_num: a signal number
 *
 * Sends @signal_num to the sandbox's first process, through a pidfd opened
 * for the call and checked to name the sandbox's process, so it can never
 * reach a process that reused its id (where pidfds are missing, the
 * sandbox's helper process sends it, a moment later: it alone reaps the
 * first process). Nothing happens once the process has exited, nor for a
 * number that is no signal.
 *
 * Since: 1.0
 */
void
sandlock_process_send_signal (SandlockProcess *self,
                              int              signal_num)
{
  g_return_if_fail (SANDLOCK_IS_PROCESS (self));

  if (self->supervisor != NULL)
    sandlock_supervisor_send_signal (self->supervisor, signal_num);
}

/**
 * sandlock_process_force_exit:
 * @self: a #SandlockProcess
 *
 * Kills every process of the sandbox with `SIGKILL`, children,
 * grandchildren and setsid()'d daemons included. Wait for the process to
 * learn when they are gone.
 *
 * Since: 1.0
 */
void
sandlock_process_force_exit (SandlockProcess *self)
{
  g_return_if_fail (SANDLOCK_IS_PROCESS (self));

  if (self->supervisor != NULL)
    sandlock_supervisor_kill (self->supervisor);
}

/* ---- waiting ---------------------------------------------------------------- */

static void
on_wait_cancelled (GCancellable *cancellable,
                   GTask        *task)
{
  SandlockProcess *self = g_task_get_source_object (task);
  gboolean found;

  g_mutex_lock (&self->pending_lock);
  found = g_slist_find (self->pending_waits, task) != NULL;
  self->pending_waits = g_slist_remove (self->pending_waits, task);
  g_mutex_unlock (&self->pending_lock);

  if (found)
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
}

/**
 * sandlock_process_wait_async:
 * @self: a #SandlockProcess
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the process has exited
 * @user_data: data for @callback
 *
 * Waits for the sandbox's first process to exit, and for every process it
 * left behind to be killed and reaped. Cancelling the wait does not stop
 * the process.
 *
 * Since: 1.0
 */
void
sandlock_process_wait_async (SandlockProcess     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SANDLOCK_IS_PROCESS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sandlock_process_wait_async);

  if (!is_spawned (self))
    {
      GError *error = NULL;

      set_never_spawned (&error);
      g_task_return_error (task, error);
      return;
    }

  g_mutex_lock (&self->pending_lock);
  if (self->exited)
    {
      g_mutex_unlock (&self->pending_lock);
      return_wait_result (self, task);
      return;
    }
  self->pending_waits = g_slist_prepend (self->pending_waits, g_object_ref (task));
  g_mutex_unlock (&self->pending_lock);

  if (cancellable != NULL)
    {
      g_signal_connect_object (cancellable, "cancelled",
                               G_CALLBACK (on_wait_cancelled), task, 0);
      /* "cancelled" is not emitted again for a cancellable cancelled
       * already. (If it is emitted meanwhile, the wait is no longer
       * pending and this does nothing.) */
      if (g_cancellable_is_cancelled (cancellable))
        on_wait_cancelled (cancellable, task);
    }
}

/**
 * sandlock_process_wait_finish:
 * @self: a #SandlockProcess
 * @result: the #GAsyncResult
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_process_wait_async().
 *
 * Returns: %TRUE when the process exited; %FALSE with @error set when the
 *   wait was cancelled or the command could not be executed
 *
 * Since: 1.0
 */
gboolean
sandlock_process_wait_finish (SandlockProcess  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_process_wait_async, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

typedef void (*StartFunc) (SandlockProcess     *self,
                           gpointer             data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data);

/* Runs an async call to completion, on a private context that dispatches
 * this process's own sources and nothing else: no idle or timeout of the
 * application runs meanwhile, as with GSubprocess. When this thread can own
 * the process's context, the process's sources (its notifications, its
 * exit) move to the private context for the wait, so that its handlers
 * keep running, on this thread, then move back. When another thread runs
 * the process's context, that thread keeps them, and we only wait for the
 * result. */
static GAsyncResult *
run_sync (SandlockProcess *self,
          StartFunc        start,
          gpointer         data,
          GCancellable    *cancellable)
{
  GMainContext *context = sandlock_supervisor_get_context (self->supervisor);
  g_autoptr(GMainContext) private_context = NULL;
  GAsyncResult *result = NULL;
  gboolean owned;

  /* Before the private context opens its eventfd. */
  sandlock_stdio_fill_closed ();
  private_context = g_main_context_new ();
  owned = g_main_context_acquire (context);

  g_main_context_push_thread_default (private_context);
  if (owned)
    sandlock_supervisor_move_sources (self->supervisor, private_context);
  start (self, data, cancellable, sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (private_context, TRUE);
  if (owned)
    {
      sandlock_supervisor_move_sources (self->supervisor, context);
      g_main_context_release (context);
    }
  g_main_context_pop_thread_default (private_context);

  return result;
}

static void
start_wait (SandlockProcess     *self,
            gpointer             data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  sandlock_process_wait_async (self, cancellable, callback, user_data);
}

/**
 * sandlock_process_wait:
 * @self: a #SandlockProcess
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Synchronously waits for the process to exit. See the class description
 * for which main context this iterates meanwhile.
 *
 * Returns: %TRUE when the process exited; %FALSE with @error set when the
 *   wait was cancelled or the command could not be executed
 *
 * Since: 1.0
 */
gboolean
sandlock_process_wait (SandlockProcess  *self,
                       GCancellable     *cancellable,
                       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Nothing to wait for, and no context to iterate: never block. */
  if (!is_spawned (self))
    {
      set_never_spawned (error);
      return FALSE;
    }

  result = run_sync (self, start_wait, NULL, cancellable);
  return sandlock_process_wait_finish (self, result, error);
}

static gboolean
check_status (SandlockProcess  *self,
              GError          **error)
{
  if (sandlock_supervisor_get_timed_out (self->supervisor))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_TIMED_OUT,
                   _("'%s' ran longer than its timeout of %u seconds and was killed"),
                   self->argv0, sandlock_supervisor_get_policy (self->supervisor)->timeout_seconds);
      return FALSE;
    }

  if (g_atomic_int_get (&self->output_limit_exceeded))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_OUTPUT_LIMIT,
                   "'%s' wrote more than its output limit of %" G_GUINT64_FORMAT
                   " bytes and was killed",
                   self->argv0, sandlock_supervisor_get_policy (self->supervisor)->max_output);
      return FALSE;
    }

  return g_spawn_check_wait_status (sandlock_supervisor_get_wait_status (self->supervisor), error);
}

static void
wait_check_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SandlockProcess *self = SANDLOCK_PROCESS (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!sandlock_process_wait_finish (self, result, &error) || !check_status (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sandlock_process_wait_check_async:
 * @self: a #SandlockProcess
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the process has exited
 * @user_data: data for @callback
 *
 * As sandlock_process_wait_async(), and then checks that the process
 * exited successfully.
 *
 * Since: 1.0
 */
void
sandlock_process_wait_check_async (SandlockProcess     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SANDLOCK_IS_PROCESS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sandlock_process_wait_check_async);
  sandlock_process_wait_async (self, cancellable, wait_check_done, task);
}

/**
 * sandlock_process_wait_check_finish:
 * @self: a #SandlockProcess
 * @result: the #GAsyncResult
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_process_wait_check_async().
 *
 * Returns: %TRUE when the process exited with code 0. Otherwise %FALSE with
 *   @error set: %SANDLOCK_ERROR_SPAWN_FAILED, %SANDLOCK_ERROR_TIMED_OUT,
 *   %SANDLOCK_ERROR_OUTPUT_LIMIT (communicate killed it for writing more
 *   than #SandlockSandbox:max-output), or an error of
 *   g_spawn_check_wait_status() for a failure exit or a signal
 *
 * Since: 1.0
 */
gboolean
sandlock_process_wait_check_finish (SandlockProcess  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_process_wait_check_async, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sandlock_process_wait_check:
 * @self: a #SandlockProcess
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Synchronously waits for the process to exit and checks it exited with
 * code 0.
 *
 * Returns: %TRUE on success, else %FALSE with @error set as for
 *   sandlock_process_wait_check_finish()
 *
 * Since: 1.0
 */
gboolean
sandlock_process_wait_check (SandlockProcess  *self,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sandlock_process_wait (self, cancellable, error) && check_status (self, error);
}

/* ---- status ------------------------------------------------------------------- */

static gboolean
has_exited (SandlockProcess *self)
{
  return self->supervisor != NULL && sandlock_supervisor_has_exited (self->supervisor);
}

/**
 * sandlock_process_get_has_exited:
 * @self: a #SandlockProcess
 *
 * Whether the sandbox is over: its first process has exited, and
 * every process it left behind has been killed and reaped.
 *
 * Returns: whether the process has exited and been reaped
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_has_exited (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  return has_exited (self);
}

/**
 * sandlock_process_get_status:
 * @self: an exited #SandlockProcess
 *
 * The raw wait status of the sandbox's first process. Call it only
 * once the process has exited.
 *
 * Returns: the raw wait status, as from `waitpid()`
 *
 * Since: 1.0
 */
int
sandlock_process_get_status (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), 0);
  g_return_val_if_fail (has_exited (self), 0);
  return sandlock_supervisor_get_wait_status (self->supervisor);
}

/**
 * sandlock_process_get_successful:
 * @self: an exited #SandlockProcess
 *
 * Whether the process exited with code 0, was not killed by
 * #SandlockSandbox:timeout nor for exceeding #SandlockSandbox:max-output,
 * and its command could be executed. Call it only once the process has
 * exited.
 *
 * Returns: whether the process exited with code 0 (and did not time out)
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_successful (SandlockProcess *self)
{
  int status;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (has_exited (self), FALSE);

  status = sandlock_supervisor_get_wait_status (self->supervisor);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0 &&
         !sandlock_supervisor_get_timed_out (self->supervisor) &&
         !g_atomic_int_get (&self->output_limit_exceeded) &&
         sandlock_supervisor_get_exec_error (self->supervisor) == NULL;
}

/**
 * sandlock_process_get_if_exited:
 * @self: an exited #SandlockProcess
 *
 * Whether the process exited by itself (`exit()`, or returning from
 * `main()`) rather than by a signal. Call it only once the process has
 * exited.
 *
 * Returns: whether the process exited normally (rather than by a signal)
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_if_exited (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (has_exited (self), FALSE);
  return WIFEXITED (sandlock_supervisor_get_wait_status (self->supervisor));
}

/**
 * sandlock_process_get_exit_status:
 * @self: a #SandlockProcess that exited normally
 *
 * The exit code of a process for which
 * sandlock_process_get_if_exited() is %TRUE.
 *
 * Returns: the exit code
 *
 * Since: 1.0
 */
int
sandlock_process_get_exit_status (SandlockProcess *self)
{
  int status;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), 1);
  g_return_val_if_fail (has_exited (self), 1);

  status = sandlock_supervisor_get_wait_status (self->supervisor);
  g_return_val_if_fail (WIFEXITED (status), 1);
  return WEXITSTATUS (status);
}

/**
 * sandlock_process_get_if_signaled:
 * @self: an exited #SandlockProcess
 *
 * Whether the process was killed by a signal. Call it only once the
 * process has exited.
 *
 * Returns: whether the process was killed by a signal
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_if_signaled (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (has_exited (self), FALSE);
  return WIFSIGNALED (sandlock_supervisor_get_wait_status (self->supervisor));
}

/**
 * sandlock_process_get_term_sig:
 * @self: a #SandlockProcess killed by a signal
 *
 * The signal that killed a process for which
 * sandlock_process_get_if_signaled() is %TRUE.
 *
 * Returns: the signal that killed the process
 *
 * Since: 1.0
 */
int
sandlock_process_get_term_sig (SandlockProcess *self)
{
  int status;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), 0);
  g_return_val_if_fail (has_exited (self), 0);

  status = sandlock_supervisor_get_wait_status (self->supervisor);
  g_return_val_if_fail (WIFSIGNALED (status), 0);
  return WTERMSIG (status);
}

/**
 * sandlock_process_get_timed_out:
 * @self: a #SandlockProcess
 *
 * Whether #SandlockSandbox:timeout expired and killed the sandbox.
 *
 * Returns: whether #SandlockSandbox:timeout expired and killed the sandbox
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_timed_out (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  return self->supervisor != NULL && sandlock_supervisor_get_timed_out (self->supervisor);
}

/**
 * sandlock_process_get_output_limit_exceeded:
 * @self: a #SandlockProcess
 *
 * Whether sandlock_process_communicate() (or its asynchronous form, or
 * sandlock_sandbox_run()) read more than #SandlockSandbox:max-output bytes
 * from the process's standard output or error and killed the sandbox.
 *
 * Returns: whether the process was killed for exceeding its output limit
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_output_limit_exceeded (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  return g_atomic_int_get (&self->output_limit_exceeded);
}

/**
 * sandlock_process_get_limit_mechanism:
 * @self: a #SandlockProcess
 * @limit: one limit (a single flag)
 *
 * How @limit is enforced on this process: by a cgroup, by the library,
 * by a per-process resource limit or affinity, or not at all (it is not
 * set, or could not be enforced under #SandlockSandbox:best-effort). See
 * the [policy reference](policy.html#resource-limits).
 *
 * Returns: the mechanism
 *
 * Since: 1.0
 */
SandlockLimitMechanism
sandlock_process_get_limit_mechanism (SandlockProcess *self,
                                      SandlockLimits   limit)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), SANDLOCK_LIMIT_MECHANISM_NONE);

  if (self->supervisor == NULL)
    return SANDLOCK_LIMIT_MECHANISM_NONE;
  return sandlock_supervisor_get_limit_mechanism (self->supervisor, limit);
}

/**
 * sandlock_process_get_kill_mechanism:
 * @self: a #SandlockProcess
 *
 * How the processes still alive in the sandbox were killed when it ended
 * (its first process exited, its timeout, sandlock_process_force_exit(),
 * or the application going away): %SANDLOCK_LIMIT_MECHANISM_CGROUP_V2
 * when the kernel killed every process of the sandbox's version 2 cgroup
 * at once through its `cgroup.kill` (Linux 5.14; the sandbox has one when
 * the application may create cgroups and a limit asks for one, also
 * beside version 1 hierarchies), %SANDLOCK_LIMIT_MECHANISM_SUPERVISOR
 * when the library's helper killed each process it found (every process
 * of the sandbox that loses its parent becomes the helper's child),
 * %SANDLOCK_LIMIT_MECHANISM_NONE until the process has exited.
 *
 * Returns: the mechanism
 *
 * Since: 1.0
 */
SandlockLimitMechanism
sandlock_process_get_kill_mechanism (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), SANDLOCK_LIMIT_MECHANISM_NONE);

  if (self->supervisor == NULL)
    return SANDLOCK_LIMIT_MECHANISM_NONE;
  return sandlock_supervisor_get_kill_mechanism (self->supervisor);
}

/**
 * sandlock_process_get_oom_killed:
 * @self: a #SandlockProcess
 *
 * Whether the kernel's OOM killer killed a process of the sandbox at
 * #SandlockSandbox:max-memory (only a cgroup tells; the first process may
 * then have died of `SIGKILL`, or have gone on). Valid once the process
 * has exited.
 *
 * Returns: whether a process was killed at the memory limit
 *
 * Since: 1.0
 */
gboolean
sandlock_process_get_oom_killed (SandlockProcess *self)
{
  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);

  return self->supervisor != NULL && sandlock_supervisor_get_oom_killed (self->supervisor);
}

/**
 * sandlock_process_get_limits_reached:
 * @self: a #SandlockProcess
 *
 * The limits the command ran into so far: %SANDLOCK_LIMIT_PROCESSES once
 * a fork was refused at #SandlockSandbox:max-processes,
 * %SANDLOCK_LIMIT_MEMORY once the kernel's OOM killer killed a process at
 * #SandlockSandbox:max-memory (known once the process has exited),
 * %SANDLOCK_LIMIT_CPU once #SandlockSandbox:max-cpu throttled it (with a
 * cgroup, known once the process has exited).
 *
 * Returns: the limits reached
 *
 * Since: 1.0
 */
SandlockLimits
sandlock_process_get_limits_reached (SandlockProcess *self)
{
  SandlockLimits reached = SANDLOCK_LIMIT_NONE;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), SANDLOCK_LIMIT_NONE);

  if (self->supervisor == NULL)
    return reached;
  if (sandlock_supervisor_get_processes_refused (self->supervisor))
    reached |= SANDLOCK_LIMIT_PROCESSES;
  if (sandlock_supervisor_get_oom_killed (self->supervisor))
    reached |= SANDLOCK_LIMIT_MEMORY;
  if (sandlock_supervisor_get_cpu_throttled (self->supervisor))
    reached |= SANDLOCK_LIMIT_CPU;
  return reached;
}

/* ---- communicate ------------------------------------------------------------------ */

/* What communicate reads from one pipe, kept in a buffer that never grows
 * past the policy's max_output: the application holds at most that, plus
 * one read's chunk, per stream, whatever the command writes. */
#define READ_CHUNK_SIZE (64 * 1024)

typedef struct {
  GTask        *task;       /* a reference while a read is in flight */
  GInputStream *pipe;
  const char   *name;       /* "standard output", for the message */
  guint8       *chunk;      /* READ_CHUNK_SIZE bytes */
  guint8       *data;
  gsize         len;
  gsize         alloc;
} OutputBuffer;

typedef struct {
  GCancellable        *cancellable;   /* ours, chained to the caller's */
  gulong               cancelled_id;
  GCancellable        *caller_cancellable;
  guint64              max_output;    /* 0: no limit */
  OutputBuffer        *stdout_buf;
  OutputBuffer        *stderr_buf;
  const char          *exceeded;      /* the stream that went over, or NULL */
  int                  outstanding;
  GError              *error;
} CommunicateState;

static void
output_buffer_free (OutputBuffer *buffer)
{
  if (buffer == NULL)
    return;
  g_assert (buffer->task == NULL);
  g_free (buffer->chunk);
  g_free (buffer->data);
  g_free (buffer);
}

static void
communicate_state_free (gpointer data)
{
  CommunicateState *state = data;

  if (state->caller_cancellable != NULL)
    g_cancellable_disconnect (state->caller_cancellable, state->cancelled_id);
  g_clear_object (&state->caller_cancellable);
  g_clear_object (&state->cancellable);
  g_clear_pointer (&state->stdout_buf, output_buffer_free);
  g_clear_pointer (&state->stderr_buf, output_buffer_free);
  g_clear_error (&state->error);
  g_free (state);
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
communicate_step_done (GTask  *task,
                       GError *error)
{
  CommunicateState *state = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (state->error == NULL)
        {
          state->error = error;
          /* One failure ends the whole exchange. */
          g_cancellable_cancel (state->cancellable);
        }
      else
        g_error_free (error);
    }

  if (--state->outstanding > 0)
    {
      g_object_unref (task);
      return;
    }

  if (state->error != NULL)
    g_task_return_error (task, g_steal_pointer (&state->error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The pipes are closed here, synchronously, rather than with the splice's
 * CLOSE flags: GIO closes those in a worker thread, at no fixed time. */
static void
on_stdin_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError *error = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error);
  /* A child that exits without reading all its input is not an error. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_clear_error (&error);
  g_output_stream_close (G_OUTPUT_STREAM (source), NULL, NULL);
  communicate_step_done (user_data, error);
}

/* Appends @n bytes, growing the buffer by doubling but never beyond
 * @max_output (when there is one): the caller never appends past it. */
static void
output_buffer_append (OutputBuffer *buffer,
                      const guint8 *bytes,
                      gsize         n,
                      guint64       max_output)
{
  if (n == 0)
    return;

  if (buffer->alloc - buffer->len < n)
    {
      gsize needed = buffer->len + n;
      gsize alloc = MAX (buffer->alloc, (gsize) READ_CHUNK_SIZE);

      while (alloc < needed)
        alloc = alloc <= G_MAXSIZE / 2 ? alloc * 2 : needed;
      if (max_output != 0 && alloc > max_output)
        alloc = (gsize) max_output;
      g_assert (alloc >= needed);
      buffer->data = g_realloc (buffer->data, alloc);
      buffer->alloc = alloc;
    }

  memcpy (buffer->data + buffer->len, bytes, n);
  buffer->len += n;
}

static void read_output (OutputBuffer *buffer);

/* Ends the reading of one stream: its pipe is closed at once, so that a
 * command writing past the limit gets EPIPE rather than our memory. */
static void
output_done (OutputBuffer *buffer,
             GError       *error)
{
  g_input_stream_close (buffer->pipe, NULL, NULL);
  communicate_step_done (g_steal_pointer (&buffer->task), error);
}

static void
on_output_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OutputBuffer *buffer = user_data;
  CommunicateState *state = g_task_get_task_data (buffer->task);
  GError *error = NULL;
  gssize n;
  gsize room;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0)
    {
      output_done (buffer, error);
      return;
    }

  room = state->max_output == 0 ? (gsize) n
                                : (gsize) MIN ((guint64) n, state->max_output - buffer->len);
  output_buffer_append (buffer, buffer->chunk, room, state->max_output);

  if (room < (gsize) n)
    {
      SandlockProcess *self = g_task_get_source_object (buffer->task);

      /* Over the limit: keep what fits, read no more, end the sandbox.
       * The flag is set before the kill, so whoever sees the process
       * exit sees why. */
      if (state->exceeded == NULL)
        state->exceeded = buffer->name;
      g_atomic_int_set (&self->output_limit_exceeded, TRUE);
      sandlock_supervisor_kill (self->supervisor);
      output_done (buffer, NULL);
      return;
    }

  read_output (buffer);
}

static void
read_output (OutputBuffer *buffer)
{
  CommunicateState *state = g_task_get_task_data (buffer->task);

  g_input_stream_read_async (buffer->pipe, buffer->chunk, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                             state->cancellable, on_output_read, buffer);
}

static OutputBuffer *
start_output (GTask        *task,
              GInputStream *pipe,
              const char   *name)
{
  CommunicateState *state = g_task_get_task_data (task);
  OutputBuffer *buffer = g_new0 (OutputBuffer, 1);

  buffer->task = g_object_ref (task);
  buffer->pipe = pipe;
  buffer->name = name;
  buffer->chunk = g_malloc (READ_CHUNK_SIZE);
  state->outstanding++;
  read_output (buffer);
  return buffer;
}

static void
on_communicate_wait_done (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GError *error = NULL;

  sandlock_process_wait_finish (SANDLOCK_PROCESS (source), result, &error);
  communicate_step_done (user_data, error);
}

/**
 * sandlock_process_communicate_async:
 * @self: a #SandlockProcess
 * @stdin_buf: (nullable): what to write to the child's standard input, which
 *   must be a pipe when this is not %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when everything is done
 * @user_data: data for @callback
 *
 * Writes @stdin_buf to the child and closes its input, collects everything
 * it writes to piped stdout and stderr, and waits for it to exit. Output
 * captured before a timeout is kept.
 *
 * Each stream is collected up to #SandlockSandbox:max-output bytes. When
 * the child writes more to either, reading stops, the sandbox is killed,
 * and the exchange fails with %SANDLOCK_ERROR_OUTPUT_LIMIT once the child
 * has exited; sandlock_process_get_output_limit_exceeded() then says so.
 * sandlock_sandbox_run() keeps the output truncated to the limit instead.
 *
 * Since: 1.0
 */
void
sandlock_process_communicate_async (SandlockProcess     *self,
                                    GBytes              *stdin_buf,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  CommunicateState *state;
  GTask *task;

  g_return_if_fail (SANDLOCK_IS_PROCESS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sandlock_process_communicate_async);

  /* Before the pipe check: a never-spawned process has no pipes, and its
   * callback must still run. */
  if (!is_spawned (self))
    {
      GError *error = NULL;

      set_never_spawned (&error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (stdin_buf != NULL && self->stdin_pipe == NULL)
    {
      g_critical ("%s: stdin_buf given to a process spawned without "
                  "G_SUBPROCESS_FLAGS_STDIN_PIPE", G_STRFUNC);
      g_task_return_new_error (task, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                               "The process's standard input is not a pipe");
      g_object_unref (task);
      return;
    }

  state = g_new0 (CommunicateState, 1);
  state->cancellable = g_cancellable_new ();
  state->max_output = sandlock_supervisor_get_policy (self->supervisor)->max_output;
  if (cancellable != NULL)
    {
      state->caller_cancellable = g_object_ref (cancellable);
      state->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                   g_object_ref (state->cancellable),
                                                   g_object_unref);
    }
  g_task_set_task_data (task, state, communicate_state_free);

  /* One reference per outstanding step; the wait is always one of them. */
  state->outstanding = 1;

  if (self->stdin_pipe != NULL)
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
      g_autoptr(GInputStream) input =
        g_memory_input_stream_new_from_bytes (stdin_buf != NULL ? stdin_buf : empty);

      state->outstanding++;
      g_output_stream_splice_async (self->stdin_pipe, input, G_OUTPUT_STREAM_SPLICE_NONE,
                                    G_PRIORITY_DEFAULT, state->cancellable, on_stdin_done,
                                    g_object_ref (task));
    }

  if (self->stdout_pipe != NULL)
    state->stdout_buf = start_output (task, self->stdout_pipe, "standard output");
  if (self->stderr_pipe != NULL)
    state->stderr_buf = start_output (task, self->stderr_pipe, "standard error");

  sandlock_process_wait_async (self, state->cancellable, on_communicate_wait_done, task);
}

static GBytes *
steal_output (OutputBuffer *buffer)
{
  guint8 *data;
  gsize len;

  if (buffer == NULL)
    return NULL;

  /* Stolen once: a second finish gets empty output, not freed memory. */
  data = g_steal_pointer (&buffer->data);
  len = buffer->len;
  buffer->len = buffer->alloc = 0;
  if (len == 0)
    {
      g_free (data);
      return g_bytes_new (NULL, 0);
    }
  /* Trimmed to the output, plus a NUL that is not part of it: callers
   * (and bindings) that read the bytes as a C string stop there, as they
   * did with GMemoryOutputStream's zero-filled slack. */
  data = g_realloc (data, len + 1);
  data[len] = '\0';
  return g_bytes_new_take (data, len);
}

gboolean
sandlock_process_communicate_finish_kept (SandlockProcess  *self,
                                          GAsyncResult     *result,
                                          GBytes          **stdout_buf,
                                          GBytes          **stderr_buf,
                                          GError          **error)
{
  CommunicateState *state;

  *stdout_buf = NULL;
  *stderr_buf = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  state = g_task_get_task_data (G_TASK (result));
  *stdout_buf = steal_output (state->stdout_buf);
  *stderr_buf = steal_output (state->stderr_buf);
  return TRUE;
}

/**
 * sandlock_process_communicate_finish:
 * @self: a #SandlockProcess
 * @result: the #GAsyncResult
 * @stdout_buf: (out) (optional) (nullable) (transfer full): the standard
 *   output, or %NULL if it was not piped
 * @stderr_buf: (out) (optional) (nullable) (transfer full): the standard
 *   error, or %NULL if it was not piped
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_process_communicate_async().
 *
 * Returns: %TRUE on success, %FALSE with @error set;
 *   %SANDLOCK_ERROR_OUTPUT_LIMIT when the process wrote more than
 *   #SandlockSandbox:max-output bytes to a stream and was killed
 *
 * Since: 1.0
 */
gboolean
sandlock_process_communicate_finish (SandlockProcess  *self,
                                     GAsyncResult     *result,
                                     GBytes          **stdout_buf,
                                     GBytes          **stderr_buf,
                                     GError          **error)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  CommunicateState *state;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_process_communicate_async, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stdout_buf != NULL)
    *stdout_buf = NULL;
  if (stderr_buf != NULL)
    *stderr_buf = NULL;

  if (!sandlock_process_communicate_finish_kept (self, result, &out, &err, error))
    return FALSE;

  state = g_task_get_task_data (G_TASK (result));
  if (state->exceeded != NULL)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_OUTPUT_LIMIT,
                   "'%s' wrote more than %" G_GUINT64_FORMAT " bytes to its %s "
                   "(the sandbox's max-output) and was killed",
                   self->argv0, state->max_output, state->exceeded);
      return FALSE;
    }

  if (stdout_buf != NULL)
    *stdout_buf = g_steal_pointer (&out);
  if (stderr_buf != NULL)
    *stderr_buf = g_steal_pointer (&err);
  return TRUE;
}

typedef struct {
  GBytes *stdin_buf;
} CommunicateArgs;

static void
start_communicate (SandlockProcess     *self,
                   gpointer             data,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  CommunicateArgs *args = data;

  sandlock_process_communicate_async (self, args->stdin_buf, cancellable, callback, user_data);
}

/**
 * sandlock_process_communicate:
 * @self: a #SandlockProcess
 * @stdin_buf: (nullable): what to write to the child's standard input
 * @cancellable: (nullable): a #GCancellable
 * @stdout_buf: (out) (optional) (nullable) (transfer full): the standard
 *   output, or %NULL if it was not piped
 * @stderr_buf: (out) (optional) (nullable) (transfer full): the standard
 *   error, or %NULL if it was not piped
 * @error: return location for a #GError, or %NULL
 *
 * The synchronous form of sandlock_process_communicate_async(). See the
 * class description for which main context this iterates meanwhile.
 *
 * Returns: %TRUE on success, %FALSE with @error set as for
 *   sandlock_process_communicate_finish()
 *
 * Since: 1.0
 */
gboolean
sandlock_process_communicate (SandlockProcess  *self,
                              GBytes           *stdin_buf,
                              GCancellable     *cancellable,
                              GBytes          **stdout_buf,
                              GBytes          **stderr_buf,
                              GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  CommunicateArgs args = { stdin_buf };

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stdout_buf != NULL)
    *stdout_buf = NULL;
  if (stderr_buf != NULL)
    *stderr_buf = NULL;

  if (!is_spawned (self))
    {
      set_never_spawned (error);
      return FALSE;
    }

  result = run_sync (self, start_communicate, &args, cancellable);
  return sandlock_process_communicate_finish (self, result, stdout_buf, stderr_buf, error);
}

/* ---- communicate as text -------------------------------------------------- */

/* @bytes (NULL: not piped) as a string, or FALSE with @error when it is not
 * UTF-8 (an embedded NUL is not), as GSubprocess reports it. */
static gboolean
bytes_to_utf8 (GBytes      *bytes,
               char       **text,
               GError     **error)
{
  gsize size;
  const char *data;

  *text = NULL;
  if (bytes == NULL)
    return TRUE;
  data = g_bytes_get_data (bytes, &size);
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The command's output is not valid UTF-8"));
      return FALSE;
    }
  *text = size > 0 ? g_strndup (data, size) : g_strdup ("");
  return TRUE;
}

static gboolean
communicated_to_utf8 (GBytes      *out,
                      GBytes      *err,
                      char       **stdout_buf,
                      char       **stderr_buf,
                      GError     **error)
{
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;

  if (!bytes_to_utf8 (out, &out_text, error) || !bytes_to_utf8 (err, &err_text, error))
    return FALSE;
  if (stdout_buf != NULL)
    *stdout_buf = g_steal_pointer (&out_text);
  if (stderr_buf != NULL)
    *stderr_buf = g_steal_pointer (&err_text);
  return TRUE;
}

static GBytes *
utf8_to_bytes (const char *text)
{
  return text != NULL ? g_bytes_new (text, strlen (text)) : NULL;
}

/**
 * sandlock_process_communicate_utf8:
 * @self: a #SandlockProcess
 * @stdin_buf: (nullable): what to write to the child's standard input
 * @cancellable: (nullable): a #GCancellable
 * @stdout_buf: (out) (optional) (nullable) (transfer full): the standard
 *   output, or %NULL if it was not piped
 * @stderr_buf: (out) (optional) (nullable) (transfer full): the standard
 *   error, or %NULL if it was not piped
 * @error: return location for a #GError, or %NULL
 *
 * sandlock_process_communicate() with strings, as
 * g_subprocess_communicate_utf8(): output that is not valid UTF-8 fails
 * with `G_IO_ERROR_FAILED`.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
sandlock_process_communicate_utf8 (SandlockProcess  *self,
                                   const char       *stdin_buf,
                                   GCancellable     *cancellable,
                                   char            **stdout_buf,
                                   char            **stderr_buf,
                                   GError          **error)
{
  g_autoptr(GBytes) input = utf8_to_bytes (stdin_buf);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stdout_buf != NULL)
    *stdout_buf = NULL;
  if (stderr_buf != NULL)
    *stderr_buf = NULL;
  if (!sandlock_process_communicate (self, input, cancellable, &out, &err, error))
    return FALSE;
  return communicated_to_utf8 (out, err, stdout_buf, stderr_buf, error);
}

typedef struct {
  char *out;
  char *err;
} Utf8Output;

static void
utf8_output_free (gpointer data)
{
  Utf8Output *output = data;

  g_free (output->out);
  g_free (output->err);
  g_free (output);
}

static void
on_communicated_utf8 (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  Utf8Output *output = g_new0 (Utf8Output, 1);
  GError *error = NULL;

  if (!sandlock_process_communicate_finish (SANDLOCK_PROCESS (source), result, &out, &err, &error) ||
      !communicated_to_utf8 (out, err, &output->out, &output->err, &error))
    {
      utf8_output_free (output);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, output, utf8_output_free);
}

/**
 * sandlock_process_communicate_utf8_async:
 * @self: a #SandlockProcess
 * @stdin_buf: (nullable): what to write to the child's standard input
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the process has exited and its
 *   output is read
 * @user_data: data for @callback
 *
 * sandlock_process_communicate_async() with strings.
 *
 * Since: 1.0
 */
void
sandlock_process_communicate_utf8_async (SandlockProcess     *self,
                                         const char          *stdin_buf,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GBytes) input = utf8_to_bytes (stdin_buf);
  GTask *task;

  g_return_if_fail (SANDLOCK_IS_PROCESS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sandlock_process_communicate_utf8_async);
  sandlock_process_communicate_async (self, input, cancellable, on_communicated_utf8, task);
}

/**
 * sandlock_process_communicate_utf8_finish:
 * @self: a #SandlockProcess
 * @result: the #GAsyncResult
 * @stdout_buf: (out) (optional) (nullable) (transfer full): the standard
 *   output, or %NULL if it was not piped
 * @stderr_buf: (out) (optional) (nullable) (transfer full): the standard
 *   error, or %NULL if it was not piped
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_process_communicate_utf8_async().
 *
 * Returns: %TRUE on success, %FALSE with @error set
 *
 * Since: 1.0
 */
gboolean
sandlock_process_communicate_utf8_finish (SandlockProcess  *self,
                                          GAsyncResult     *result,
                                          char            **stdout_buf,
                                          char            **stderr_buf,
                                          GError          **error)
{
  Utf8Output *output;

  g_return_val_if_fail (SANDLOCK_IS_PROCESS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_process_communicate_utf8_async,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stdout_buf != NULL)
    *stdout_buf = NULL;
  if (stderr_buf != NULL)
    *stderr_buf = NULL;
  output = g_task_propagate_pointer (G_TASK (result), error);
  if (output == NULL)
    return FALSE;
  if (stdout_buf != NULL)
    *stdout_buf = g_steal_pointer (&output->out);
  if (stderr_buf != NULL)
    *stderr_buf = g_steal_pointer (&output->err);
  utf8_output_free (output);
  return TRUE;
}
