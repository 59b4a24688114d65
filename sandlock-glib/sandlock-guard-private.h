/* sandlock-guard-private.h: built-in guards
 *
 * A guard is library code that decides trapped syscalls for the policy,
 * where Landlock has no rule, rather than for a user handler. Each guard
 * is one file (sandlock-guard-NAME.c) that fills one SandlockGuard; the
 * registry (sandlock-guards.c) lists them in a fixed order, tells the
 * policy compiler what they trap, and is the dispatcher's only way to
 * reach them.
 *
 * The path of a guarded syscall (see docs/architecture.md):
 *
 *  1. check: before any user handler, each guard of the syscall, in the
 *     registry's order, may decide the call. A decided call is answered at
 *     once: no handler sees it, or can answer it.
 *  2. the user handlers of the syscall, if any, in their order.
 *  3. perform: when the answer is "continue" (every handler continued, or
 *     there is none), the kernel must not run the call itself if its
 *     arguments live in the command's memory or descriptor table, where
 *     another thread could change them after the check. A guard performs
 *     it instead, on objects the supervisor holds, and answers with the
 *     real result. This also runs for deferred "continue" answers.
 *
 * check runs on the thread of the sandbox's main context, like handlers,
 * and must never block it. perform usually does too, but a deferred
 * notification dropped on another thread answers from there: perform must
 * be thread-safe (keep no state, or lock it). A policy that needs no guard
 * traps nothing extra.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <linux/seccomp.h>

#include "sandlock-action.h"

G_BEGIN_DECLS

typedef struct _SandlockPolicy SandlockPolicy;
typedef struct _SandlockGuardCall SandlockGuardCall;

/* Work a perform hands to a worker thread: returns the answer (never
 * "continue" or "defer"; NULL refuses with EPERM). */
typedef SandlockAction *(*SandlockGuardWork) (gpointer data);

/* The processes guard's count of one sandbox (sandlock-guard-processes.c),
 * owned by its supervisor. */
typedef struct _SandlockProcessCount SandlockProcessCount;

/* One trapped syscall, as a guard sees it. */
struct _SandlockGuardCall {
  const SandlockPolicy       *policy;
  int                         listener_fd;
  const struct seccomp_notif *request;
  /* The sandbox's helper: every process of the sandbox descends from it. */
  GPid                        helper_pid;
  SandlockProcessCount       *processes;  /* NULL: not counted */

  /* A perform that may block (a connect, a send on a blocking socket)
   * must not run on the main context: it returns
   * call->perform_later (call, work, data, destroy), which runs @work
   * (@data) on a worker thread of the supervisor and answers the call
   * with its result when it completes, then calls @destroy (@data). The
   * call counts as deferred (SandlockSandbox:max-deferred) meanwhile;
   * with no room left, @destroy runs at once and the answer is EAGAIN.
   * The returned action (a "defer") means "answered later": return it as
   * the guard's answer. NULL member: no deferral (a supervisor made for
   * testing); perform at once. */
  SandlockAction *(*perform_later) (const SandlockGuardCall *call,
                                    SandlockGuardWork        work,
                                    gpointer                 data,
                                    GDestroyNotify           destroy);
  gpointer                    dispatcher;   /* for perform_later */
};

typedef struct {
  /* For messages and docs: "listen". */
  const char          *name;

  /* The syscalls (native names, NULL-terminated) the guard traps when it
   * applies. */
  const char * const  *syscalls;

  /* Whether @policy needs the guard. Called once, when the policy is
   * compiled, after its Landlock ruleset (its protections are known). */
  gboolean           (*applies) (const SandlockPolicy *policy);

  /* Before the user handlers: an answer that decides @call (never
   * "continue" or "defer"), or NULL to let the handlers see it. NULL
   * member: the guard never decides early. */
  SandlockAction    *(*check)   (const SandlockGuardCall *call);

  /* Instead of "continue": performs @call on the command's behalf and
   * returns the answer (never "defer"), or returns NULL when the kernel may
   * run the call itself. NULL member: the guard never performs. */
  SandlockAction    *(*perform) (const SandlockGuardCall *call);

  /* Instead of check and perform, for a guard whose check and perform are
   * one function: decides @call, performs it when @perform, and returns
   * the answer, or NULL when it may proceed and is not performed now.
   * The check is decide (call, no user handler traps the syscall): with
   * none, performing decides the call at once, and a call it let proceed
   * is not decided again; the perform is decide (call, TRUE). */
  SandlockAction    *(*decide)  (const SandlockGuardCall *call,
                                 gboolean                 perform);
} SandlockGuard;

/* The guards of the library, one per file. */
extern const SandlockGuard sandlock_guard_listen;
extern const SandlockGuard sandlock_guard_bind;
extern const SandlockGuard sandlock_guard_hosts;
extern const SandlockGuard sandlock_guard_memfd;
extern const SandlockGuard sandlock_guard_metadata;
extern const SandlockGuard sandlock_guard_inotify;
extern const SandlockGuard sandlock_guard_egress;
extern const SandlockGuard sandlock_guard_proc;
extern const SandlockGuard sandlock_guard_lookup;
extern const SandlockGuard sandlock_guard_processes;

/* ---- the processes guard's count (sandlock-guard-processes.c) ---------- */

/* The live processes of the sandbox whose helper is @helper_pid (every one
 * of them descends from it), at most @max_processes at once. */
SandlockProcessCount *sandlock_process_count_new     (pid_t                 helper_pid,
                                                      guint                 max_processes);
void                  sandlock_process_count_free    (SandlockProcessCount *count);
/* Whether a fork was refused at the limit. */
gboolean              sandlock_process_count_refused (const SandlockProcessCount *count);
/* Whether the last check refused a fork (and forgets it): the supervisor
 * then delays the answer, so that a fork bomb at its limit sleeps instead
 * of retrying on the CPU. */
gboolean              sandlock_process_count_take_refusal (SandlockProcessCount *count);

/* ---- the registry (sandlock-guards.c) --------------------------------- */

/* The guards that apply to @policy, attached to their syscalls'
 * numbers in @policy (sandlock_policy_get_guards()), in the registry's
 * order. */
gboolean        sandlock_guards_attach  (SandlockPolicy      *policy,
                                         GError             **error);

/* Step 1 for @call, whose syscall has the guards @guards (a
 * NULL-terminated list from sandlock_policy_get_guards()): the first
 * decision, or NULL. */
SandlockAction *sandlock_guards_check   (const SandlockGuard * const *guards,
                                         const SandlockGuardCall     *call);

/* Step 3: the first guard that performs @call gives the answer; NULL when
 * none does (the answer stays "continue"). */
SandlockAction *sandlock_guards_perform (const SandlockGuard * const *guards,
                                         const SandlockGuardCall     *call);

G_END_DECLS
