/* sandlock-supervisor-private.h: the supervisor side of one running sandbox
 *
 * A SandlockSupervisor owns what the application keeps of a launched
 * sandbox: the notification listener and its GSource, the child watch and
 * the means to kill every process (the timeout is the helper's). It is reference counted
 * and outlives its SandlockProcess when needed: its sources keep it until
 * the helper is reaped and the listener hangs up, and every notification
 * holds it, so a descriptor number is never reused under a late call.
 *
 * Thread rules: dispatch, answers and the exit callback run on the
 * captured main context's thread. sandlock_supervisor_kill(),
 * sandlock_supervisor_send() and memory access are safe from any thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <linux/seccomp.h>

#include "sandlock-action.h"
#include "sandlock-launch-private.h"
#include "sandlock-policy-private.h"

G_BEGIN_DECLS

typedef struct _SandlockSupervisor SandlockSupervisor;

/* Called once, on the owner context, when the helper has been reaped. */
typedef void (*SandlockSupervisorExitFunc) (SandlockSupervisor *supervisor,
                                            gpointer            user_data);

/* Handler failures are reported through @policy's handler_error_func. */
SandlockSupervisor *sandlock_supervisor_new      (SandlockPolicy       *policy,
                                                  SandlockLaunch       *launch,
                                                  const char           *argv0,
                                                  GMainContext         *context);
SandlockSupervisor *sandlock_supervisor_ref      (SandlockSupervisor   *self);
void                sandlock_supervisor_unref    (SandlockSupervisor   *self);

void                sandlock_supervisor_set_exit_func (SandlockSupervisor         *self,
                                                       SandlockSupervisorExitFunc  func,
                                                       gpointer                    user_data,
                                                       GDestroyNotify              destroy);

/* Moves the supervisor's sources (its notifications, its helper's exit)
 * to @context, which the calling thread owns, as the home context does:
 * a sync call waits on a private context that dispatches nothing else,
 * then moves them back home. Handlers keep their thread. */
void                sandlock_supervisor_move_sources (SandlockSupervisor *self,
                                                      GMainContext       *context);
GMainContext       *sandlock_supervisor_get_context    (SandlockSupervisor *self);
SandlockPolicy     *sandlock_supervisor_get_policy     (SandlockSupervisor *self);
int                 sandlock_supervisor_get_listener   (SandlockSupervisor *self);

/* State after the exit callback. */
gboolean            sandlock_supervisor_has_exited     (SandlockSupervisor *self);
int                 sandlock_supervisor_get_wait_status (SandlockSupervisor *self);
gboolean            sandlock_supervisor_get_timed_out  (SandlockSupervisor *self);
/* How @limit is enforced; whether the kernel's OOM killer killed a process
 * of the sandbox's cgroup (valid once the sandbox has exited). */
SandlockLimitMechanism sandlock_supervisor_get_limit_mechanism (SandlockSupervisor *self,
                                                                SandlockLimits      limit);
gboolean            sandlock_supervisor_get_oom_killed (SandlockSupervisor *self);
/* How what was left of the sandbox was killed (NONE until it exited). */
SandlockLimitMechanism sandlock_supervisor_get_kill_mechanism (SandlockSupervisor *self);
/* Whether max-cpu throttled the sandbox (a cgroup's: known once it exited). */
gboolean            sandlock_supervisor_get_cpu_throttled (SandlockSupervisor *self);
/* Whether the processes guard refused a fork at max-processes. */
gboolean            sandlock_supervisor_get_processes_refused (SandlockSupervisor *self);
/* Whether the helper was reaped and the listener's source is gone: none of
 * the supervisor's sources is left on its context. */
gboolean            sandlock_supervisor_is_detached    (SandlockSupervisor *self);
const char         *sandlock_supervisor_get_exec_error (SandlockSupervisor *self);

/* Kills every process of the sandbox. Any thread. */
void                sandlock_supervisor_kill           (SandlockSupervisor *self);
/* Sends a signal to the sandbox's first process. Any thread. */
void                sandlock_supervisor_send_signal    (SandlockSupervisor *self,
                                                        int                 signal_num);

/* Answers notification @request with @action (never DEFER). If that fails
 * for any reason but the thread being gone, the syscall gets EPERM: a
 * thread is never left parked. Any thread; the caller serialises answers
 * per notification. */
gboolean            sandlock_supervisor_send           (SandlockSupervisor          *self,
                                                        const struct seccomp_notif  *request,
                                                        SandlockAction              *action,
                                                        GError                     **error);

/* Deferred notifications in flight, bounded by the policy. Any thread. */
gboolean            sandlock_supervisor_try_defer      (SandlockSupervisor *self);
void                sandlock_supervisor_end_defer      (SandlockSupervisor *self);

/* Reports @error (taken) as @handler's failure with no notification
 * (SandlockSandbox::handler-error), from an idle on the supervisor's
 * context: for a deferred notification dropped unanswered. */
void                sandlock_supervisor_report_handler_error (SandlockSupervisor *self,
                                                              SandlockHandler    *handler,
                                                              GError             *error);

/* For tests/fuzz only: a supervisor with no process behind it, whose
 * listener is @listener_fd (taken), and the dispatch of @requests in
 * order, as if the kernel had queued them, until the listener is gone. */
SandlockSupervisor *sandlock_supervisor_new_for_testing      (SandlockPolicy             *policy,
                                                              int                         listener_fd,
                                                              GMainContext               *context);
void                sandlock_supervisor_dispatch_for_testing (SandlockSupervisor         *self,
                                                              const struct seccomp_notif *requests,
                                                              guint                       n_requests);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandlockSupervisor, sandlock_supervisor_unref)

G_END_DECLS
