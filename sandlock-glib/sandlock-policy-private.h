/* sandlock-policy-private.h: parsing and compiling a sandbox policy
 *
 * A SandlockPolicy is the immutable, compiled form of a SandlockSandbox's
 * properties and handlers: the Landlock ruleset, the two BPF programs, the
 * environment and the handler chains. The sandbox caches it until a property
 * changes; every process holds a reference to the one it was spawned with.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>
#include <linux/filter.h>
#include <sys/types.h>

#include "sandlock-confined-thread-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-handler.h"
#include "sandlock-net-rules-private.h"
#include "sandlock-notification.h"
#include "sandlock-protections.h"

G_BEGIN_DECLS

/* ---- parsers of user input (fuzzed: tests/fuzz) ---------------------- */

/* "PORT" or "LO-HI", 1..65535, LO <= HI. */
gboolean sandlock_parse_port_range (const char  *spec,
                                    guint16     *low,
                                    guint16     *high,
                                    GError     **error);

/* "KEY=VALUE" (sets KEY) or "KEY" (removes it), with a non-empty KEY;
 * *@value is NULL for a removal. */
gboolean sandlock_parse_env_entry  (const char  *entry,
                                    char       **key,
                                    char       **value,
                                    GError     **error);

/* A syscall name of the native architecture; -1 with error when unknown. */
int      sandlock_parse_syscall_name (const char  *name,
                                      GError     **error);

/* A list of CPUs, "0-3,6": sets their bits in @mask (cleared first), of
 * SANDLOCK_MAX_CPUS bits; at least one CPU, each below SANDLOCK_MAX_CPUS. */
#define SANDLOCK_MAX_CPUS 1024
gboolean sandlock_parse_cpu_list   (const char  *spec,
                                    guint8      *mask,
                                    GError     **error);

/* An absolute path to an existing file. */
gboolean sandlock_parse_path       (const char  *what,
                                    const char  *path,
                                    GError     **error);

/* The syscall numbers (int) of extra-deny-syscalls, @names (NULL-terminated,
 * or NULL for none); NULL with SANDLOCK_ERROR_INVALID_POLICY for a name
 * this architecture does not know. The one reading of that property: for
 * the compiler and for sandlock_sandbox_add_handler(). */
GArray     *sandlock_resolve_extra_deny (const char * const  *names,
                                         GError             **error);

/* NULL when a handler may trap @nr, else why not (a static string): the
 * deny filter refuses it whatever its arguments (sandlock-policy.c's deny
 * table, or @extra_deny, from sandlock_resolve_extra_deny(), may be NULL),
 * or it is exit or exit_group. */
const char *sandlock_syscall_untrappable_reason (int           nr,
                                                 const GArray *extra_deny);

/* The check of sandlock_syscall_untrappable_reason() as a
 * SANDLOCK_ERROR_DENIED_SYSCALL, for sandlock_sandbox_add_handler() and
 * the compiler alike. */
gboolean    sandlock_check_trappable    (int            nr,
                                         const GArray  *extra_deny,
                                         GError       **error);

/* ---- the compiled policy -------------------------------------------- */

typedef struct {
  int              syscall_nr;
  SandlockHandler *handler;
} SandlockHandlerEntry;

/* Called, on the sandbox's main context, when a handler failed and its
 * exception policy answered instead: the sandbox emits handler-error. */
typedef void (*SandlockHandlerErrorFunc) (gpointer              user_data,
                                          SandlockHandler      *handler,
                                          SandlockNotification *notification,
                                          const GError         *error);

/* Called when a guard decided a call (sandlock-guard-egress.c), with the
 * policy's handler_error_data: the sandbox emits guard-decision. @wanted
 * says, cheaply, whether anyone listens (the guard formats nothing
 * otherwise). @errno_value is 0 for an allowed call, @rule the entry that
 * decided or NULL. */
typedef gboolean (*SandlockGuardDecisionWantedFunc) (gpointer user_data);
typedef void     (*SandlockGuardDecisionFunc)       (gpointer    user_data,
                                                     const char *guard,
                                                     const char *syscall,
                                                     guint       pid,
                                                     const char *destination,
                                                     int         errno_value,
                                                     const char *rule);

/* Plain view of the sandbox's properties, input of the compiler. */
typedef struct {
  const char * const *fs_readable;
  const char * const *fs_writable;
  const char * const *fs_denied;
  gboolean            private_proc;
  gboolean            pty;             /* a private pseudo-terminal */
  const char * const *net_bind;
  const char * const *net_connect;
  const char * const *net_allow;
  const char * const *net_deny;
  const char * const *unix_connect;
  const char * const *env;
  gboolean            clean_env;
  const char         *cwd;
  guint               timeout_seconds;
  guint               max_open_files;
  const char * const *extra_deny_syscalls;
  gboolean            best_effort;
  guint               max_deferred;
  guint64             max_output;
  guint               max_processes;   /* 0: no limit */
  guint64             max_memory;      /* bytes, 0: no limit */
  guint               max_cpu;         /* percent of one CPU, 0: no limit */
  const char         *cpu_cores;       /* "0-3,6", NULL: any */
  const GArray       *handlers;   /* of SandlockHandlerEntry, in order */
  /* Taken by the policy (the data is destroyed with it). */
  SandlockHandlerErrorFunc  handler_error_func;
  gpointer                  handler_error_data;
  GDestroyNotify            handler_error_destroy;
  /* Called with handler_error_data. */
  SandlockGuardDecisionWantedFunc guard_decision_wanted;
  SandlockGuardDecisionFunc       guard_decision_func;
} SandlockPolicySpec;

struct _SandlockPolicy {
  gatomicrefcount      ref_count;

  int                  landlock_abi;
  SandlockProtections  protections;
  int                  ruleset_fd;        /* -1 without Landlock */

  struct sock_fprog    deny_program;      /* errno/kill rules, no listener */
  struct sock_fprog    notify_program;    /* the handlers' syscalls */

  /* net-allow and net-deny, hostnames resolved when the policy was
   * compiled; NULL when both lists are empty. */
  SandlockNetRules    *net_rules;

  /* unix-connect: absolute paths of the unix sockets the command may
   * connect and send to (looked up at each call), NULL for none; and the
   * net-connect port ranges (guint16 pairs LOW, HIGH), which the egress
   * guard checks for the connects it performs (the supervisor is not
   * confined by Landlock). */
  char               **unix_connect;
  GArray              *connect_ports;

  /* Runs the calls guards perform on the command's behalf (bind())
   * confined as the command: Landlock's ruleset_fd, no capabilities. */
  SandlockConfinedThread *confined_thread;

  char               **env;               /* validated KEY=VALUE entries */
  gboolean             clean_env;
  char                *cwd;               /* NULL: the parent's */
  guint                timeout_seconds;
  guint                max_open_files;
  /* A private pseudo-terminal per spawn (SandlockSandbox:pty): the
   * command's controlling terminal, and /dev/tty granted. */
  gboolean             pty;
  guint                max_deferred;
  guint64              max_output;        /* bytes per captured stream, 0: none */
  gboolean             best_effort;
  /* Resource limits (see sandlock-limits.h); 0: none. */
  guint                max_processes;
  guint64              max_memory;
  guint                max_cpu;
  gboolean             has_cpu_mask;
  guint8               cpu_mask[SANDLOCK_MAX_CPUS / 8];

  /* The fs-writable and fs-readable paths as Landlock granted them:
   * opened O_PATH when the policy was compiled (close-on-exec, above 2),
   * with their names as the kernel gives them back (/proc/self/fd), for
   * the metadata (writable) and inotify (both) guards. None without
   * Landlock. */
  int                 *writable_fds;
  char               **writable_names;
  guint                n_writable;
  int                 *readable_fds;
  char               **readable_names;
  guint                n_readable;

  /* fs-denied, canonical, with the other names mounts give them
   * (sandlock-denied.c): empty for none. The guards refuse what they
   * cover. */
  GPtrArray           *denied;
  /* A private /proc: Landlock grants no process's directory, and the proc
   * guard opens those of the sandbox's processes on their behalf. */
  gboolean             private_proc;

  GPtrArray          **chains;            /* indexed by nr, NULL if none */
  guint                n_chains;

  /* The built-in guards of each syscall (sandlock-guards.c), each list
   * NULL-terminated and in the registry's order: indexed by nr, NULL for
   * a syscall that has none. */
  const SandlockGuard ***guards;
  guint                  n_guards;

  SandlockHandlerErrorFunc  handler_error_func;
  gpointer                  handler_error_data;
  GDestroyNotify            handler_error_destroy;
  SandlockGuardDecisionWantedFunc guard_decision_wanted;
  SandlockGuardDecisionFunc       guard_decision_func;
};

SandlockPolicy *sandlock_policy_compile (const SandlockPolicySpec  *spec,
                                         GError                   **error);
SandlockPolicy *sandlock_policy_ref     (SandlockPolicy            *policy);
void            sandlock_policy_unref   (SandlockPolicy            *policy);

/* Whether Landlock confines the filesystem in @policy: the applies member
 * of the filesystem guards (without Landlock nothing is confined, and they
 * have nothing to add). */
static inline gboolean
sandlock_policy_confines_fs (const SandlockPolicy *policy)
{
  return policy->ruleset_fd >= 0;
}

static inline GPtrArray *
sandlock_policy_get_chain (const SandlockPolicy *policy,
                           int                   nr)
{
  if (nr < 0 || (guint) nr >= policy->n_chains)
    return NULL;
  return policy->chains[nr];
}

static inline const SandlockGuard * const *
sandlock_policy_get_guards (const SandlockPolicy *policy,
                            int                   nr)
{
  if (nr < 0 || (guint) nr >= policy->n_guards)
    return NULL;
  return (const SandlockGuard * const *) policy->guards[nr];
}

/* Writes the helper's pid and process group into its copy of the deny
 * program, which refuses them signals when Landlock cannot (no signal
 * scoping). Async-signal-safe: the helper calls it before its clone. */
void            sandlock_policy_bind_helper (struct sock_fprog *deny_program,
                                             pid_t              helper_pid,
                                             pid_t              helper_pgrp);

/* The command's environment, from the application's current one. */
char          **sandlock_policy_build_envp (const SandlockPolicy *policy);

/* Applies environment @entries ("KEY=VALUE" sets, "KEY" removes; valid
 * ones, see sandlock_parse_env_entry()) to @envp, which it takes, and
 * returns the result. */
char          **sandlock_environ_apply     (char               **envp,
                                            const char * const  *entries);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandlockPolicy, sandlock_policy_unref)

G_END_DECLS
