/* sandlock-supervisor.c: dispatching one sandbox's notifications
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-action-private.h"
#include "sandlock-dispatch-hub-private.h"
#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-notification-private.h"
#include "sandlock-proctree-private.h"
#include "sandlock-supervisor-private.h"
#include "sandlock-throttle-private.h"
#include "sandlock-i18n-private.h"

struct _SandlockSupervisor
{
  gatomicrefcount             ref_count;

  SandlockPolicy             *policy;
  GMainContext               *context;   /* its home: where handlers belong */
  SandlockLaunch              launch;

  /* Its sources, owned by their context: on the home context, or on a
   * sync call's private one while it waits
   * (sandlock_supervisor_move_sources()). Each clears its pointer when it
   * goes. */
  GSource                    *notify_source;
  GSource                    *exit_source;
  char                       *argv0;

  /* Guards launch.control_fd, which is closed on exit while another
   * thread may be killing, and helper_reaped: once the helper is reaped,
   * its pid and the first process's may name other processes. */
  GMutex                      kill_lock;
  gboolean                    helper_reaped;

  /* The helper reported its end or hung up: it is on its way out, and
   * helper_pidfd (opened then, or -1 without pidfd_open) tells when it
   * has. */
  gboolean                    helper_leaving;
  int                         helper_pidfd;

  /* Answers of deferred guard performs (GuardJob) waiting for the main
   * context, each with its idle source on active_context: guarded by
   * answers_lock, with active_context, since workers add them. */
  GMutex                      answers_lock;
  GList                      *answers;

  gpointer                    recv_buffer;
  gsize                       recv_size;
  gsize                       resp_size;
  SandlockAction             *continue_action;
  int                         deferred;   /* atomic */

  GMainContext               *active_context;  /* where its sources are */

  gboolean                    exited;
  gboolean                    listener_detached;  /* its source is gone */
  int                         wait_status;
  gboolean                    timed_out;
  char                       *exec_error;
  SandlockProcessCount       *processes;  /* max-processes, or NULL */
  SandlockThrottle           *throttle;   /* max-cpu without a cgroup, or NULL */
  GPtrArray                  *delayed;    /* GSource: refused forks to answer */
  gboolean                    cpu_throttled;

  SandlockSupervisorExitFunc  exit_func;
  gpointer                    exit_data;
  GDestroyNotify              exit_data_destroy;
};

/* ---- answers --------------------------------------------------------- */

static gboolean
set_send_error (int          saved_errno,
                const char  *what,
                GError     **error)
{
  if (saved_errno == ENOENT)
    g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE,
                 _("The notification is gone: the thread that made the syscall "
                   "was killed or interrupted"));
  else
    g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                 _("%s failed: %s"), what, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
send_response (SandlockSupervisor          *self,
               const struct seccomp_notif  *request,
               gint64                       val,
               int                          error_value,
               guint32                      flags,
               GError                     **error)
{
  struct seccomp_notif_resp *resp = g_alloca (self->resp_size);

  memset (resp, 0, self->resp_size);
  resp->id = request->id;
  resp->val = val;
  resp->error = error_value;
  resp->flags = flags;

  if (ioctl (self->launch.listener_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) == 0)
    return TRUE;

  return set_send_error (errno, "Answering the notification", error);
}

/* SIGKILLs the thread group of the trapping task before its syscall can
 * return, so a kill answer never lets it run another instruction. */
static void
kill_trapping_task (SandlockSupervisor         *self,
                    const struct seccomp_notif *request)
{
  sandlock_autofd int pidfd = sandlock_notif_open_pidfd (self->launch.listener_fd, request);

  if (pidfd >= 0)
    sandlock_sys_pidfd_send_signal (pidfd, SIGKILL);
}

static gboolean
inject_fd (SandlockSupervisor          *self,
           const struct seccomp_notif  *request,
           SandlockAction              *action,
           GError                     **error)
{
  struct sandlock_seccomp_notif_addfd addfd = {
    .id = request->id,
    .flags = SECCOMP_ADDFD_FLAG_SEND,
    .srcfd = (guint32) sandlock_action_get_fd (action),
    .newfd = 0,
    .newfd_flags = (sandlock_action_get_inject_flags (action) & SANDLOCK_INJECT_FD_CLOEXEC)
                   ? O_CLOEXEC : 0,
  };
  int newfd;

  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_ADDFD_SEND))
    {
      /* Installs the descriptor and answers with its number, atomically. */
      if (ioctl (self->launch.listener_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) >= 0)
        return TRUE;
      if (errno == ENOENT)
        return set_send_error (ENOENT, "Injecting a descriptor", error);
      if (errno != EINVAL)
        goto refuse;
    }

  /* Kernels before 5.14: install, then answer with the number. */
  addfd.flags = 0;
  newfd = ioctl (self->launch.listener_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
  if (newfd < 0)
    {
      if (errno == ENOENT)
        return set_send_error (ENOENT, "Injecting a descriptor", error);
      goto refuse;
    }
  return send_response (self, request, newfd, 0, 0, error);

refuse:
  /* The child asked for a descriptor and cannot have it: never continue. */
  g_debug ("Injecting a descriptor into pid %u failed (%s): answering EACCES",
           request->pid, g_strerror (errno));
  return send_response (self, request, 0, -EACCES, 0, error);
}

/* ---- guards' deferred performs ------------------------------------- */

typedef struct {
  SandlockSupervisor   *supervisor;
  struct seccomp_notif  request;
  SandlockGuardWork     work;
  gpointer              data;
  GDestroyNotify        destroy;
  SandlockAction       *answer;
  GSource              *source;   /* under answers_lock */
} GuardJob;

/* On the context the supervisor's sources are on: answers, and lets go of
 * the job, in one step, so the command cannot go on (and end) before the
 * supervisor released what it held for the call. */
static gboolean
answer_guard_job (gpointer job_data)
{
  GuardJob *job = job_data;
  SandlockSupervisor *self = job->supervisor;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->answers_lock);
  self->answers = g_list_remove (self->answers, job);
  job->source = NULL;
  g_mutex_unlock (&self->answers_lock);

  /* A thread that is gone (killed, interrupted) makes this fail with
   * ENOENT, harmlessly. */
  if (!sandlock_supervisor_send (self, &job->request, job->answer, &error) &&
      !g_error_matches (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE))
    g_warning ("%s", error->message);
  sandlock_action_unref (job->answer);
  sandlock_supervisor_end_defer (self);
  sandlock_supervisor_unref (self);
  g_free (job);
  return G_SOURCE_REMOVE;
}

/* Under answers_lock: @job's idle source, on @context. */
static void
attach_answer (GuardJob     *job,
               GMainContext *context)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[sandlock] deferred guard answer");
  g_source_set_callback (source, answer_guard_job, job, NULL);
  g_source_attach (source, context);
  job->source = source;
  g_source_unref (source);
}

/* On a worker thread: the work, which may block. */
static void
run_guard_job (gpointer job_data,
               gpointer pool_data)
{
  GuardJob *job = job_data;
  SandlockSupervisor *self = job->supervisor;
  SandlockAction *answer = job->work (job->data);

  if (answer == NULL ||
      (sandlock_action_get_kind (answer) != SANDLOCK_ACTION_KIND_ERRNO &&
       sandlock_action_get_kind (answer) != SANDLOCK_ACTION_KIND_RETURN_VALUE))
    {
      g_clear_pointer (&answer, sandlock_action_unref);
      answer = sandlock_action_new_errno (EPERM);   /* fail closed */
    }
  job->answer = answer;
  if (job->destroy != NULL)
    job->destroy (job->data);

  /* Where the sources are now (a synchronous wait moves them to its own
   * context: sandlock_supervisor_move_sources() moves this too). */
  g_mutex_lock (&self->answers_lock);
  self->answers = g_list_prepend (self->answers, job);
  attach_answer (job, self->active_context);
  g_mutex_unlock (&self->answers_lock);
}

/* The threads of every supervisor's deferred performs: as many as there
 * are calls pending (each sandbox is bounded by its max-deferred). */
static GThreadPool *
guard_pool (void)
{
  static gsize pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, (gsize) g_thread_pool_new (run_guard_job, NULL, -1, FALSE, NULL));
  return (GThreadPool *) pool;
}

static SandlockAction *
perform_later (const SandlockGuardCall *call,
               SandlockGuardWork        work,
               gpointer                 data,
               GDestroyNotify           destroy)
{
  SandlockSupervisor *self = call->dispatcher;
  GuardJob *job;

  if (!sandlock_supervisor_try_defer (self))
    {
      if (destroy != NULL)
        destroy (data);
      return sandlock_action_new_errno (EAGAIN);
    }
  job = g_new0 (GuardJob, 1);
  job->supervisor = sandlock_supervisor_ref (self);
  job->request = *call->request;
  job->work = work;
  job->data = data;
  job->destroy = destroy;
  g_thread_pool_push (guard_pool (), job, NULL);
  return sandlock_action_new_defer ();
}

static void
guard_call_init (SandlockSupervisor         *self,
                 SandlockGuardCall          *call,
                 const struct seccomp_notif *request)
{
  call->policy = self->policy;
  call->listener_fd = self->launch.listener_fd;
  call->request = request;
  call->helper_pid = self->launch.helper_pid;
  call->processes = self->processes;
  call->perform_later = perform_later;
  call->dispatcher = self;
}

static gboolean
send_action (SandlockSupervisor          *self,
             const struct seccomp_notif  *request,
             SandlockAction              *action,
             GError                     **error)
{
  switch (sandlock_action_get_kind (action))
    {
    case SANDLOCK_ACTION_KIND_CONTINUE:
      {
        /* Every continue passes here, deferred answers and dropped
         * deferrals included: a guard may perform the call instead. */
        const SandlockGuard * const *guards = sandlock_policy_get_guards (self->policy,
                                                                          request->data.nr);
        g_autoptr(SandlockAction) performed = NULL;

        if (guards != NULL)
          {
            SandlockGuardCall call;

            guard_call_init (self, &call, request);
            performed = sandlock_guards_perform (guards, &call);
          }
        if (performed != NULL &&
            sandlock_action_get_kind (performed) == SANDLOCK_ACTION_KIND_DEFER)
          return TRUE;   /* a worker answers (perform_later) */
        if (performed != NULL)
          return send_action (self, request, performed, error);
        return send_response (self, request, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE, error);
      }

    case SANDLOCK_ACTION_KIND_ERRNO:
      return send_response (self, request, 0, -sandlock_action_get_errno (action), 0, error);

    case SANDLOCK_ACTION_KIND_RETURN_VALUE:
      return send_response (self, request, sandlock_action_get_return_value (action), 0, 0, error);

    case SANDLOCK_ACTION_KIND_INJECT_FD:
      return inject_fd (self, request, action, error);

    case SANDLOCK_ACTION_KIND_KILL:
      kill_trapping_task (self, request);
      sandlock_supervisor_kill (self);
      /* Resolve the notification with a failure in case the kill lost a
       * race; a dead task makes this fail with ENOENT, which is fine. */
      send_response (self, request, 0, -EPERM, 0, NULL);
      return TRUE;

    case SANDLOCK_ACTION_KIND_DEFER:
    case SANDLOCK_ACTION_KIND_NONE:
    default:
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("A deferred or empty action cannot answer a notification"));
      return FALSE;
    }
}

gboolean
sandlock_supervisor_send (SandlockSupervisor          *self,
                          const struct seccomp_notif  *request,
                          SandlockAction              *action,
                          GError                     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (send_action (self, request, action, &local_error))
    return TRUE;

  /* Whatever went wrong, the thread must not stay parked: fail the
   * syscall. (A thread that is gone makes this fail too, harmlessly.) */
  if (!g_error_matches (local_error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE))
    send_response (self, request, 0, -EPERM, 0, NULL);

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
sandlock_supervisor_try_defer (SandlockSupervisor *self)
{
  int current = g_atomic_int_get (&self->deferred);

  do
    {
      if ((guint) current >= self->policy->max_deferred)
        return FALSE;
    }
  while (!g_atomic_int_compare_and_exchange_full (&self->deferred, current, current + 1, &current));

  return TRUE;
}

void
sandlock_supervisor_end_defer (SandlockSupervisor *self)
{
  g_atomic_int_add (&self->deferred, -1);
}

/* ---- dispatch -------------------------------------------------------- */

static gboolean
action_can_answer (SandlockAction *action)
{
  switch (sandlock_action_get_kind (action))
    {
    case SANDLOCK_ACTION_KIND_CONTINUE:
    case SANDLOCK_ACTION_KIND_ERRNO:
    case SANDLOCK_ACTION_KIND_RETURN_VALUE:
    case SANDLOCK_ACTION_KIND_INJECT_FD:
    case SANDLOCK_ACTION_KIND_DEFER:
    case SANDLOCK_ACTION_KIND_KILL:
      return TRUE;
    case SANDLOCK_ACTION_KIND_NONE:
    default:
      return FALSE;
    }
}

/* A fork refused at max-processes is answered this much later: a fork
 * bomb at its limit then sleeps in its forks instead of retrying them as
 * fast as this main loop answers, which took the application's main loop
 * (and the CPUs) from everything else. */
#define REFUSAL_DELAY_MS 10

typedef struct {
  SandlockSupervisor   *supervisor;
  struct seccomp_notif  request;
  SandlockAction       *answer;
  GSource              *source;
} DelayedAnswer;

static gboolean
send_delayed (gpointer data)
{
  DelayedAnswer *delayed = data;
  g_autoptr(GError) error = NULL;

  if (!sandlock_supervisor_send (delayed->supervisor, &delayed->request, delayed->answer, &error) &&
      !g_error_matches (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE))
    g_debug ("%s", error->message);
  return G_SOURCE_REMOVE;
}

static void
delayed_answer_free (gpointer data)
{
  DelayedAnswer *delayed = data;

  g_ptr_array_remove_fast (delayed->supervisor->delayed, delayed);
  sandlock_action_unref (delayed->answer);
  sandlock_supervisor_unref (delayed->supervisor);
  g_free (delayed);
}

/* Answers the refused forks still waiting at once: their timeouts are on
 * a context that is about to stop running them. */
static void
flush_delayed (SandlockSupervisor *self)
{
  while (self->delayed->len > 0)
    {
      DelayedAnswer *delayed = g_ptr_array_index (self->delayed, 0);

      send_delayed (delayed);
      g_source_destroy (delayed->source);   /* frees it, off the list */
    }
}

/* Answers @request for a guard, before any handler: TRUE if one decided. */
static gboolean
guards_decide (SandlockSupervisor          *self,
               const SandlockGuard * const *guards,
               const struct seccomp_notif  *request)
{
  SandlockGuardCall call;
  g_autoptr(SandlockAction) decision = NULL;
  g_autoptr(GError) error = NULL;

  guard_call_init (self, &call, request);
  decision = sandlock_guards_check (guards, &call);
  if (decision == NULL)
    return FALSE;
  if (sandlock_action_get_kind (decision) == SANDLOCK_ACTION_KIND_DEFER)
    return TRUE;   /* a worker answers (perform_later) */
  if (sandlock_process_count_take_refusal (self->processes))
    {
      DelayedAnswer *delayed = g_new0 (DelayedAnswer, 1);
      GSource *source = g_timeout_source_new (REFUSAL_DELAY_MS);

      delayed->supervisor = sandlock_supervisor_ref (self);
      delayed->request = *request;
      delayed->answer = g_steal_pointer (&decision);
      delayed->source = source;
      g_ptr_array_add (self->delayed, delayed);
      g_source_set_callback (source, send_delayed, delayed, delayed_answer_free);
      g_source_set_static_name (source, "[sandlock] refused fork");
      g_source_attach (source, self->active_context);
      g_source_unref (source);
      return TRUE;
    }
  if (!sandlock_supervisor_send (self, request, decision, &error) &&
      !g_error_matches (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE))
    g_warning ("%s", error->message);
  return TRUE;
}

static void
dispatch_notification (SandlockSupervisor         *self,
                       const struct seccomp_notif *request)
{
  const SandlockGuard * const *guards;
  SandlockNotification *notification;
  g_autoptr(SandlockAction) answer = NULL;
  g_autoptr(GError) error = NULL;
  SandlockHandler *decider = NULL;
  GPtrArray *chain;

  /* The guards first: no handler sees a call a guard decided. */
  guards = sandlock_policy_get_guards (self->policy, request->data.nr);
  if (guards != NULL && guards_decide (self, guards, request))
    return;

  /* A new object each time, never a recycled one: see
   * sandlock_notification_new(). */
  notification = sandlock_notification_new (self, request);
  chain = sandlock_policy_get_chain (self->policy, request->data.nr);

  if (chain == NULL && guards == NULL)
    {
      /* The notify filter traps only syscalls with a chain or a guard:
       * fail closed. */
      g_warning ("Trapped syscall %d has no handler: answering ENOSYS", request->data.nr);
      answer = sandlock_action_new_errno (ENOSYS);
    }

  for (guint i = 0; chain != NULL && i < chain->len; i++)
    {
      SandlockHandler *handler = g_ptr_array_index (chain, i);
      g_autoptr(GError) handler_error = NULL;
      SandlockAction *action;

      action = sandlock_handler_handle (handler, notification, &handler_error);
      if (action != NULL && !action_can_answer (action))
        {
          /* Not a kind any constructor makes: never guess what it means. */
          g_clear_pointer (&action, sandlock_action_unref);
          g_set_error (&handler_error, SANDLOCK_ERROR, SANDLOCK_ERROR_HANDLER_FAILED,
                       _("%s returned an action that cannot answer a notification"),
                       G_OBJECT_TYPE_NAME (handler));
        }
      if (action == NULL)
        {
          if (self->policy->handler_error_func != NULL)
            self->policy->handler_error_func (self->policy->handler_error_data,
                                              handler, notification, handler_error);
          action = sandlock_action_new_for_policy (sandlock_handler_get_exception_policy (handler));
        }

      if (sandlock_action_get_kind (action) == SANDLOCK_ACTION_KIND_CONTINUE)
        {
          sandlock_action_unref (action);
          continue;
        }

      answer = action;
      decider = handler;
      break;
    }

  /* A guarded call is performed when the continue is sent. */
  if (answer == NULL)
    answer = sandlock_action_ref (self->continue_action);

  if (sandlock_action_get_kind (answer) == SANDLOCK_ACTION_KIND_DEFER)
    {
      if (sandlock_supervisor_try_defer (self))
        {
          g_autoptr(SandlockAction) fallback =
            sandlock_action_new_for_policy (sandlock_handler_get_exception_policy (decider));

          sandlock_notification_set_deferred (notification, fallback, decider);
          g_object_unref (notification);
          return;
        }
      g_clear_pointer (&answer, sandlock_action_unref);
      answer = sandlock_action_new_errno (EAGAIN);
    }

  if (!sandlock_notification_answer (notification, answer, &error) &&
      !g_error_matches (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE))
    g_warning ("%s", error->message);

  g_object_unref (notification);
}

/* Receiving and serving ONE notification. RECV blocks and ignores
 * O_NONBLOCK, so every RECV follows a poll that reported the listener
 * readable: the hub's epoll_wait() (sandlock-dispatch-hub.c), or, for a
 * listener that polls itself, the main loop's for the first and a
 * zero-timeout poll() for each further. (Once readable was seen RECV
 * cannot block: each queued notification counted one up on the kernel's
 * semaphore, and a notification withdrawn since makes RECV fail with
 * ENOENT instead.) Returns FALSE if RECV failed for another reason. */
static gboolean
receive_notification (SandlockSupervisor *self)
{
  struct seccomp_notif request;

  memset (self->recv_buffer, 0, self->recv_size);
  if (ioctl (self->launch.listener_fd, SECCOMP_IOCTL_NOTIF_RECV, self->recv_buffer) != 0)
    {
      /* ENOENT: the task went away before we got to it. */
      if (errno == ENOENT || errno == EINTR)
        return TRUE;
      g_warning ("Receiving a seccomp notification failed: %s", g_strerror (errno));
      return FALSE;
    }

  /* A handler may iterate the context and so receive into the buffer
   * again: dispatch a copy that no nested call can overwrite. */
  memcpy (&request, self->recv_buffer, sizeof request);
  dispatch_notification (self, &request);
  return TRUE;
}

/* The supervisor's notify source stands for its listener on its context:
 * it keeps the supervisor, its end (destroyed on the listener's hang-up,
 * not moved) marks the listener detached, and moving the supervisor to
 * another context makes a new one there. It does not poll the listener
 * itself: it joins its context's hub, which serves the listeners of every
 * sandbox of the context in turn (see sandlock-dispatch-hub.c for why).
 * Only where the hub cannot take it (epoll failed) does it poll the
 * listener and drain a batch per dispatch, as every listener once did. */
typedef struct {
  GSource              source;
  SandlockSupervisor  *supervisor;
  SandlockDispatchHub *hub;       /* or NULL: it polls fd_tag itself */
  gpointer             fd_tag;
  SandlockFlood        flood;     /* without a hub */
  gboolean             moved;     /* destroyed to be made again elsewhere */
} NotifySource;

/* Lets go of what serves @self's listener: its hub, its flood timer. */
static void
notify_source_let_go (NotifySource *self)
{
  if (self->hub != NULL)
    sandlock_dispatch_hub_leave (g_steal_pointer (&self->hub), self->supervisor->launch.listener_fd);
  sandlock_flood_cancel (&self->flood);
}

/* Ends @self: its listener is never served again here. */
static void
notify_source_end (NotifySource *self,
                   gboolean      moved)
{
  notify_source_let_go (self);
  self->moved = moved;
  g_source_destroy ((GSource *) self);
}

/* The hub's SandlockDispatchHubServe. */
static void
notify_source_serve (GSource *source,
                     guint32  events)
{
  NotifySource *self = (NotifySource *) source;

  if (events & EPOLLIN)
    receive_notification (self->supervisor);

  /* HUP comes once every task of the filter has exited and been reaped.
   * (The handler may have ended the source meanwhile, in a nested
   * dispatch.) */
  if ((events & (EPOLLHUP | EPOLLERR)) && !g_source_is_destroyed (source))
    notify_source_end (self, FALSE);
}

/* How many notifications one dispatch handles at most, without a hub.
 * Threads that trap again as fast as they are answered keep the listener
 * readable for ever: the main loop must get its turn, for the helper's
 * exit and every other source of the application. */
#define DRAIN_BATCH 64

/* Without a hub: see receive_notification(). What is left after a batch
 * keeps the listener readable, and the source is dispatched again on the
 * next iteration. Returns TRUE if it filled a batch. */
static gboolean
drain_notifications (SandlockSupervisor *self)
{
  for (guint round = 0; round < DRAIN_BATCH; round++)
    {
      if (round > 0)
        {
          struct pollfd pfd = { .fd = self->launch.listener_fd, .events = POLLIN };

          if (poll (&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
            return FALSE;
        }
      if (!receive_notification (self))
        return FALSE;
    }
  return TRUE;
}

static gboolean
notify_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  NotifySource *self = (NotifySource *) source;
  GIOCondition revents;

  /* With a hub it never gets ready. */
  g_return_val_if_fail (self->fd_tag != NULL, G_SOURCE_CONTINUE);

  revents = g_source_query_unix_fd (source, self->fd_tag);
  if (revents & G_IO_IN)
    sandlock_flood_set (&self->flood, drain_notifications (self->supervisor));

  /* HUP comes once every task of the filter has exited and been reaped. */
  if (revents & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    {
      sandlock_flood_cancel (&self->flood);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
notify_source_finalize (GSource *source)
{
  NotifySource *self = (NotifySource *) source;

  /* Destroyed with its context. */
  notify_source_let_go (self);
  if (!self->moved)
    self->supervisor->listener_detached = TRUE;
  if (self->supervisor->notify_source == source)
    self->supervisor->notify_source = NULL;
  g_clear_pointer (&self->supervisor, sandlock_supervisor_unref);
}

static GSourceFuncs notify_source_funcs = {
  .dispatch = notify_source_dispatch,
  .finalize = notify_source_finalize,
};

/* ---- lifetime -------------------------------------------------------- */

/* A pidfd of @pid, or -1 (as where pidfd_open() is missing, which
 * SANDLOCK_TEST_DISABLE=process-pidfd plays). */
static int
open_pidfd (pid_t pid)
{
  if (sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_PROCESS_PIDFD))
    {
      errno = ENOSYS;
      return -1;
    }
  return sandlock_sys_pidfd_open (pid, 0);
}

/* The helper (our child) has been reaped, with @wait_status. */
static void
helper_exited (SandlockSupervisor *self,
               int                 wait_status)
{
  self->exited = TRUE;
  self->cpu_throttled = sandlock_throttle_get_throttled (self->throttle);
  g_clear_pointer (&self->throttle, sandlock_throttle_free);
  g_mutex_lock (&self->kill_lock);
  sandlock_launch_helper_reaped (&self->launch, wait_status);
  g_mutex_unlock (&self->kill_lock);
  self->wait_status = sandlock_launch_child_status (&self->launch);
  self->timed_out = sandlock_launch_timed_out (&self->launch);
  self->exec_error = sandlock_launch_exec_error_message (&self->launch, self->argv0);

  /* Nothing is left to kill or signal. */
  g_mutex_lock (&self->kill_lock);
  sandlock_clear_fd (&self->launch.control_fd);
  g_mutex_unlock (&self->kill_lock);
  sandlock_clear_fd (&self->helper_pidfd);

  if (self->exit_func != NULL)
    self->exit_func (self, self->exit_data);
}

/* The exit source: how the supervisor learns that the helper has exited,
 * without a descriptor of its own while the sandbox runs (a running
 * sandbox holds two of the application's descriptors: its listener and its
 * control socket, besides its context's hub; see docs/architecture.md). It
 * watches the control socket, where the helper's last report arrives (it
 * has killed and reaped every process of the sandbox) and which hangs up
 * once the helper is gone (killed from outside, without a report). The
 * helper then only has to finish exiting: it is our child, and unreaped
 * its pid is its own, so
 * a pidfd opened now cannot name another process; the source watches that
 * (readable once the helper has exited), or, without pidfd_open, polls at
 * growing intervals. Then it reaps the helper with waitpid(). No GLib
 * child watch, which would hold one more descriptor (a pidfd, where
 * pidfd_open() works) for the whole life of the sandbox. */
typedef struct {
  GSource             source;
  SandlockSupervisor *supervisor;
  gpointer            fd_tag;     /* the control socket's, or the pidfd's */
  gint64              poll_usec;  /* without a pidfd: the interval */
} ExitSource;

#define EXIT_POLL_MIN_USEC 1000
#define EXIT_POLL_MAX_USEC (100 * 1000)

/* Watches what tells the source's next step: see ExitSource. */
static void
exit_source_watch (ExitSource *self)
{
  SandlockSupervisor *supervisor = self->supervisor;
  GSource *source = (GSource *) self;

  if (self->fd_tag != NULL)
    g_source_remove_unix_fd (source, self->fd_tag);
  self->fd_tag = NULL;
  g_source_set_ready_time (source, -1);

  if (!supervisor->helper_leaving)
    self->fd_tag = g_source_add_unix_fd (source, supervisor->launch.control_fd,
                                         G_IO_IN | G_IO_HUP | G_IO_ERR);
  else if (supervisor->helper_pidfd >= 0)
    self->fd_tag = g_source_add_unix_fd (source, supervisor->helper_pidfd, G_IO_IN);
  else
    {
      self->poll_usec = CLAMP (self->poll_usec * 2, EXIT_POLL_MIN_USEC, EXIT_POLL_MAX_USEC);
      g_source_set_ready_time (source, g_get_monotonic_time () + self->poll_usec);
    }
}

static gboolean
exit_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  ExitSource *self = (ExitSource *) source;
  SandlockSupervisor *supervisor = self->supervisor;
  GPid helper_pid = supervisor->launch.helper_pid;
  gboolean was_leaving = supervisor->helper_leaving;
  int status = 0;
  int saved_errno;
  pid_t pid;

  if (!was_leaving && self->fd_tag != NULL)
    {
      GIOCondition revents = g_source_query_unix_fd (source, self->fd_tag);

      if ((revents & G_IO_IN) && sandlock_launch_read_report (&supervisor->launch))
        supervisor->helper_leaving = TRUE;
      if (revents & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
        supervisor->helper_leaving = TRUE;
    }

  g_mutex_lock (&supervisor->kill_lock);
  while ((pid = waitpid (helper_pid, &status, WNOHANG)) < 0 && errno == EINTR)
    ;
  saved_errno = errno;
  /* ECHILD: someone else reaped it (waitpid(-1), SIGCHLD ignored); its
   * report, if it made one, says how the sandbox ended. */
  if (pid == helper_pid || (pid < 0 && saved_errno == ECHILD))
    supervisor->helper_reaped = TRUE;
  g_mutex_unlock (&supervisor->kill_lock);

  if (supervisor->helper_reaped)
    {
      helper_exited (supervisor, pid < 0 ? 0 : status);
      return G_SOURCE_REMOVE;
    }
  if (pid < 0)
    g_warning ("Waiting for a sandbox's helper process failed: %s", g_strerror (saved_errno));

  if (supervisor->helper_leaving && !was_leaving)
    supervisor->helper_pidfd = sandlock_fd_above_stdio (open_pidfd (helper_pid));
  if (supervisor->helper_leaving && (!was_leaving || supervisor->helper_pidfd < 0))
    exit_source_watch (self);
  return G_SOURCE_CONTINUE;
}

static void
exit_source_finalize (GSource *source)
{
  ExitSource *self = (ExitSource *) source;

  if (self->supervisor->exit_source == source)
    self->supervisor->exit_source = NULL;
  g_clear_pointer (&self->supervisor, sandlock_supervisor_unref);
}

static GSourceFuncs exit_source_funcs = {
  .dispatch = exit_source_dispatch,
  .finalize = exit_source_finalize,
};

/* The supervisor without its sources. */
static SandlockSupervisor *
supervisor_alloc (SandlockPolicy  *policy,
                  SandlockLaunch  *launch,
                  const char      *argv0,
                  GMainContext    *context)
{
  const struct seccomp_notif_sizes *sizes = sandlock_kernel_notif_sizes ();
  SandlockSupervisor *self;

  self = g_new0 (SandlockSupervisor, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->policy = sandlock_policy_ref (policy);
  self->context = g_main_context_ref (context);
  self->active_context = self->context;
  self->delayed = g_ptr_array_new ();
  self->launch = *launch;
  sandlock_launch_init (launch);
  self->argv0 = g_strdup (argv0);
  self->helper_pidfd = -1;
  g_mutex_init (&self->kill_lock);
  g_mutex_init (&self->answers_lock);

  /* The kernel's structures may be larger than our headers': size from the
   * kernel, but never below what we read and write. */
  self->recv_size = MAX (sizes->seccomp_notif, sizeof (struct seccomp_notif));
  self->resp_size = MAX (sizes->seccomp_notif_resp, sizeof (struct seccomp_notif_resp));
  self->recv_buffer = g_malloc0 (self->recv_size);
  self->continue_action = sandlock_action_new_continue ();

  return self;
}

/* Makes the supervisor's sources on @context: the listener's while it has
 * not hung up, the helper's watch until it has exited. */
static void
attach_sources (SandlockSupervisor *self,
                GMainContext       *context)
{
  if (!self->listener_detached && self->notify_source == NULL)
    {
      GSource *source = g_source_new (&notify_source_funcs, sizeof (NotifySource));
      NotifySource *notify = (NotifySource *) source;

      notify->supervisor = sandlock_supervisor_ref (self);
      notify->flood.source = source;
      g_source_set_static_name (source, "[sandlock] seccomp notifications");
      g_source_attach (source, context);
      if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_DISPATCH_HUB))
        notify->hub = sandlock_dispatch_hub_join (context, notify_source_serve);
      if (notify->hub != NULL &&
          !sandlock_dispatch_hub_add (notify->hub, self->launch.listener_fd, source))
        sandlock_dispatch_hub_leave (g_steal_pointer (&notify->hub), self->launch.listener_fd);
      if (notify->hub == NULL)
        {
          notify->fd_tag = g_source_add_unix_fd (source, self->launch.listener_fd,
                                                 G_IO_IN | G_IO_HUP | G_IO_ERR);
          /* As the hub's: see sandlock-dispatch-hub.c. */
          g_source_set_can_recurse (source, TRUE);
        }
      g_source_unref (source);
      self->notify_source = source;
    }

  if (!self->exited && self->exit_source == NULL)
    {
      GSource *source = g_source_new (&exit_source_funcs, sizeof (ExitSource));

      ((ExitSource *) source)->supervisor = sandlock_supervisor_ref (self);
      exit_source_watch ((ExitSource *) source);
      g_source_set_static_name (source, "[sandlock] helper exit");
      g_source_attach (source, context);
      g_source_unref (source);
      self->exit_source = source;
    }
}

/* Destroys the supervisor's sources that are still to dispatch, to be
 * made again elsewhere. */
static void
detach_sources (SandlockSupervisor *self)
{
  GSource *source;

  /* A notify source destroyed (hung up) but not finalized yet is over. */
  if (self->notify_source != NULL && !g_source_is_destroyed (self->notify_source))
    {
      source = self->notify_source;
      self->notify_source = NULL;
      notify_source_end ((NotifySource *) source, TRUE);
    }
  self->notify_source = NULL;
  if (self->exit_source != NULL)
    {
      source = self->exit_source;
      self->exit_source = NULL;
      g_source_destroy (source);
    }
}

SandlockSupervisor *
sandlock_supervisor_new (SandlockPolicy  *policy,
                         SandlockLaunch  *launch,
                         const char      *argv0,
                         GMainContext    *context)
{
  SandlockSupervisor *self = supervisor_alloc (policy, launch, argv0, context);

  if (policy->max_processes > 0)
    self->processes = sandlock_process_count_new (self->launch.helper_pid, policy->max_processes);
  if (sandlock_launch_get_mechanism (&self->launch, SANDLOCK_LIMIT_CPU) == SANDLOCK_LIMIT_MECHANISM_SUPERVISOR)
    self->throttle = sandlock_throttle_new (self->launch.helper_pid, policy->max_cpu, context);

  attach_sources (self, context);

  /* The timeout is not here: the helper keeps the deadline
   * (sandlock-reaper.c), whatever this context does. */

  return self;
}

void
sandlock_supervisor_move_sources (SandlockSupervisor *self,
                                  GMainContext       *context)
{
  g_return_if_fail (g_main_context_is_owner (self->context));

  /* A listener that hung up, or a helper that was reaped, is over: only
   * what is still to come moves. */
  detach_sources (self);
  attach_sources (self, context);
  flush_delayed (self);
  sandlock_throttle_move (self->throttle, context);

  g_mutex_lock (&self->answers_lock);
  self->active_context = context;
  for (GList *l = self->answers; l != NULL; l = l->next)
    {
      GuardJob *job = l->data;

      g_source_destroy (job->source);
      attach_answer (job, context);
    }
  g_mutex_unlock (&self->answers_lock);
}

SandlockSupervisor *
sandlock_supervisor_new_for_testing (SandlockPolicy  *policy,
                                     int              listener_fd,
                                     GMainContext    *context)
{
  SandlockLaunch launch;

  sandlock_launch_init (&launch);
  launch.listener_fd = listener_fd;
  return supervisor_alloc (policy, &launch, "(test)", context);
}

void
sandlock_supervisor_dispatch_for_testing (SandlockSupervisor         *self,
                                          const struct seccomp_notif *requests,
                                          guint                       n_requests)
{
  for (guint i = 0; i < n_requests; i++)
    dispatch_notification (self, &requests[i]);
}

SandlockSupervisor *
sandlock_supervisor_ref (SandlockSupervisor *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sandlock_supervisor_unref (SandlockSupervisor *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  /* Closing the control socket makes a still-running helper kill all. */
  sandlock_launch_clear (&self->launch);
  sandlock_clear_fd (&self->helper_pidfd);
  if (self->exit_data_destroy != NULL)
    self->exit_data_destroy (self->exit_data);
  g_mutex_clear (&self->kill_lock);
  g_mutex_clear (&self->answers_lock);
  g_clear_pointer (&self->continue_action, sandlock_action_unref);
  g_free (self->recv_buffer);
  g_free (self->exec_error);
  g_free (self->argv0);
  sandlock_process_count_free (self->processes);
  sandlock_throttle_free (self->throttle);
  g_ptr_array_unref (self->delayed);
  g_main_context_unref (self->context);
  sandlock_policy_unref (self->policy);
  g_free (self);
}

void
sandlock_supervisor_set_exit_func (SandlockSupervisor         *self,
                                   SandlockSupervisorExitFunc  func,
                                   gpointer                    user_data,
                                   GDestroyNotify              destroy)
{
  g_return_if_fail (self->exit_func == NULL);

  self->exit_func = func;
  self->exit_data = user_data;
  self->exit_data_destroy = destroy;
}

typedef struct {
  SandlockSupervisor *supervisor;
  SandlockHandler    *handler;
  GError             *error;
} HandlerErrorReport;

static void
handler_error_report_free (gpointer data)
{
  HandlerErrorReport *report = data;

  sandlock_supervisor_unref (report->supervisor);
  g_object_unref (report->handler);
  g_error_free (report->error);
  g_free (report);
}

static gboolean
emit_handler_error_report (gpointer data)
{
  HandlerErrorReport *report = data;
  SandlockPolicy *policy = report->supervisor->policy;

  if (policy->handler_error_func != NULL)
    policy->handler_error_func (policy->handler_error_data, report->handler, NULL,
                                report->error);
  return G_SOURCE_REMOVE;
}

void
sandlock_supervisor_report_handler_error (SandlockSupervisor *self,
                                          SandlockHandler    *handler,
                                          GError             *error)
{
  HandlerErrorReport *report = g_new0 (HandlerErrorReport, 1);
  GSource *source;

  report->supervisor = sandlock_supervisor_ref (self);
  report->handler = g_object_ref (handler);
  report->error = error;

  /* From an idle, whatever thread dropped the notification and whatever it
   * was doing: handlers of the signal run where handlers run, and never
   * inside a finalizer. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_handler_error_report, report, handler_error_report_free);
  g_source_set_static_name (source, "[sandlock] handler error");
  g_source_attach (source, self->active_context);
  g_source_unref (source);
}

GMainContext *
sandlock_supervisor_get_context (SandlockSupervisor *self)
{
  return self->context;
}

SandlockPolicy *
sandlock_supervisor_get_policy (SandlockSupervisor *self)
{
  return self->policy;
}

int
sandlock_supervisor_get_listener (SandlockSupervisor *self)
{
  return self->launch.listener_fd;
}

gboolean
sandlock_supervisor_has_exited (SandlockSupervisor *self)
{
  return self->exited;
}

int
sandlock_supervisor_get_wait_status (SandlockSupervisor *self)
{
  return self->wait_status;
}

gboolean
sandlock_supervisor_is_detached (SandlockSupervisor *self)
{
  return self->exited && self->listener_detached;
}

SandlockLimitMechanism
sandlock_supervisor_get_limit_mechanism (SandlockSupervisor *self,
                                         SandlockLimits      limit)
{
  return sandlock_launch_get_mechanism (&self->launch, limit);
}

gboolean
sandlock_supervisor_get_cpu_throttled (SandlockSupervisor *self)
{
  return self->cpu_throttled || self->launch.cpu_throttled ||
         sandlock_throttle_get_throttled (self->throttle);
}

SandlockLimitMechanism
sandlock_supervisor_get_kill_mechanism (SandlockSupervisor *self)
{
  return self->exited ? sandlock_launch_get_kill_mechanism (&self->launch)
                      : SANDLOCK_LIMIT_MECHANISM_NONE;
}

gboolean
sandlock_supervisor_get_oom_killed (SandlockSupervisor *self)
{
  return self->exited && self->launch.oom_killed;
}

gboolean
sandlock_supervisor_get_processes_refused (SandlockSupervisor *self)
{
  return sandlock_process_count_refused (self->processes);
}

gboolean
sandlock_supervisor_get_timed_out (SandlockSupervisor *self)
{
  return self->timed_out;
}

const char *
sandlock_supervisor_get_exec_error (SandlockSupervisor *self)
{
  return self->exec_error;
}

/* Sends @signal_num to the sandbox's first process at once, through a
 * pidfd opened now and closed again (none is held while the sandbox runs).
 * The pid may have been reaped and reused since: the pidfd names one
 * process for good, and the signal goes only if that one is the helper's
 * child, that is the first process still (the helper's other children are
 * the sandbox's orphans, which it kills anyway). FALSE when it was not
 * sent: the process is gone, or pidfds or /proc are missing here. Called
 * with kill_lock held, the helper unreaped. */
static gboolean
signal_first_process (SandlockSupervisor *self,
                      int                 signal_num)
{
  sandlock_autofd int pidfd = open_pidfd (self->launch.child_pid);

  return pidfd >= 0 &&
         sandlock_proctree_descends (self->launch.child_pid, self->launch.helper_pid) &&
         sandlock_sys_pidfd_send_signal (pidfd, signal_num) == 0;
}

void
sandlock_supervisor_kill (SandlockSupervisor *self)
{
  g_return_if_fail (self != NULL);

  /* The first process at once, so that it writes nothing more (a caller
   * closing its pipes next must not make it die of SIGPIPE); the helper
   * then kills every process of the sandbox, setsid()'d daemons
   * included. */
  g_mutex_lock (&self->kill_lock);
  if (self->launch.control_fd >= 0 && !self->helper_reaped)
    {
      signal_first_process (self, SIGKILL);
      send (self->launch.control_fd, "K", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
  g_mutex_unlock (&self->kill_lock);
}

void
sandlock_supervisor_send_signal (SandlockSupervisor *self,
                                 int                 signal_num)
{
  char command[2] = { 'S', (char) signal_num };

  g_return_if_fail (self != NULL);

  /* As kill() would: no such signal, nothing sent. */
  if (signal_num <= 0 || signal_num > 64)
    return;

  /* Directly when we can; else through the helper, which alone reaps the
   * first process, so that until it has, that pid cannot name another
   * process (a moment later: when the helper reads the command). */
  g_mutex_lock (&self->kill_lock);
  if (self->launch.control_fd >= 0 && !self->helper_reaped &&
      !signal_first_process (self, signal_num))
    send (self->launch.control_fd, command, sizeof command, MSG_NOSIGNAL | MSG_DONTWAIT);
  g_mutex_unlock (&self->kill_lock);
}
