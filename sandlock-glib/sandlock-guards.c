/* sandlock-guards.c: the registry of built-in guards
 *
 * See sandlock-guard-private.h for what a guard is. This file only lists
 * them, in the order in which they see a syscall, and dispatches to them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <seccomp.h>

#include "sandlock-error.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-i18n-private.h"

/* The fixed order in which guards see a syscall they share (documented in
 * docs/architecture.md, "Guards"). */
static const SandlockGuard * const registry[] = {
  &sandlock_guard_processes, /* fork, vfork, clone (no thread): max-processes */
  &sandlock_guard_listen,   /* listen(): TCP ports Landlock does not see bound */
  &sandlock_guard_bind,     /* bind(): no abstract unix names; performed as the command */
  &sandlock_guard_hosts,    /* open(at) of /etc/hosts: the rules' hostnames as resolved */
  &sandlock_guard_memfd,    /* memfd_create(): programs no rule grants */
  &sandlock_guard_metadata, /* chmod, chown, utimes, xattrs: beneath fs-writable only */
  &sandlock_guard_inotify,  /* inotify_add_watch(): beneath fs-readable or fs-writable only */
  &sandlock_guard_proc,     /* open and getdents in /proc: the sandbox's own processes only */
  &sandlock_guard_lookup,   /* stat, access, readlink, open: fs-denied paths look absent */
  &sandlock_guard_egress,   /* connect, sendto, sendmsg, sendmmsg: unix-connect, net rules */
};

/* The number of syscall @name on this architecture; -1 with @error when
 * unknown, and *@absent set when the architecture has no such syscall
 * (chmod on arm64: the guard's other syscalls cover it). */
static int
resolve_syscall (const SandlockGuard  *guard,
                 const char           *name,
                 gboolean             *absent,
                 GError              **error)
{
  int nr = sandlock_kernel_syscall_nr (name);

  *absent = FALSE;
  if (nr >= 0)
    return nr;
  if (nr != __NR_SCMP_ERROR)
    {
      /* A pseudo-number: libseccomp knows the name, the architecture
       * has no such syscall. */
      *absent = TRUE;
      return -1;
    }
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
               _("The %s guard traps '%s', which this architecture does not have"),
               guard->name, name);
  return -1;
}

gboolean
sandlock_guards_attach (SandlockPolicy  *policy,
                        GError         **error)
{
  g_autoptr(GArray) attached = g_array_new (FALSE, FALSE, sizeof (int));
  guint max_nr = 0;

  /* First the syscall numbers, then the per-syscall lists. */
  for (gsize i = 0; i < G_N_ELEMENTS (registry); i++)
    {
      if (!registry[i]->applies (policy))
        continue;
      for (gsize j = 0; registry[i]->syscalls[j] != NULL; j++)
        {
          gboolean absent;
          int nr = resolve_syscall (registry[i], registry[i]->syscalls[j], &absent, error);
          int index = (int) i;

          if (nr < 0 && absent)
            continue;
          if (nr < 0)
            return FALSE;
          max_nr = MAX (max_nr, (guint) nr);
          g_array_append_val (attached, nr);
          g_array_append_val (attached, index);
        }
    }
  if (attached->len == 0)
    return TRUE;

  policy->n_guards = max_nr + 1;
  policy->guards = g_new0 (const SandlockGuard **, policy->n_guards);
  for (guint k = 0; k < attached->len; k += 2)
    {
      int nr = g_array_index (attached, int, k);
      const SandlockGuard ***list = &policy->guards[nr];
      gsize length = 0;

      while (*list != NULL && (*list)[length] != NULL)
        length++;
      *list = g_renew (const SandlockGuard *, *list, length + 2);
      (*list)[length] = registry[g_array_index (attached, int, k + 1)];
      (*list)[length + 1] = NULL;
    }
  return TRUE;
}

/* @answer, when it answers a call for good; else a refusal, since the
 * guard meant to decide (fail closed). */
static SandlockAction *
decisive (const SandlockGuard *guard,
          SandlockAction      *answer)
{
  switch (sandlock_action_get_kind (answer))
    {
    case SANDLOCK_ACTION_KIND_ERRNO:
    case SANDLOCK_ACTION_KIND_RETURN_VALUE:
    case SANDLOCK_ACTION_KIND_INJECT_FD:
    case SANDLOCK_ACTION_KIND_KILL:
    case SANDLOCK_ACTION_KIND_DEFER:   /* performed later: perform_later */
      return answer;
    default:
      g_critical ("The %s guard answered with an action that does not decide a call",
                  guard->name);
      sandlock_action_unref (answer);
      return sandlock_action_new_errno (EPERM);
    }
}

/* The first answer, for @call, of the guards' checks or (@performing) of
 * their performs. */
static SandlockAction *
first_answer (const SandlockGuard * const *guards,
              const SandlockGuardCall     *call,
              gboolean                     performing)
{
  gboolean unhandled = sandlock_policy_get_chain (call->policy, call->request->data.nr) == NULL;

  for (gsize i = 0; guards[i] != NULL; i++)
    {
      SandlockAction *(*step) (const SandlockGuardCall *) =
        performing ? guards[i]->perform : guards[i]->check;
      SandlockAction *answer;

      if (guards[i]->decide != NULL && performing && unhandled)
        /* Its check already performed, since no handler traps the
         * syscall, and let the call proceed: deciding again would read
         * and resolve the same arguments a second time (every open under
         * fs-denied or a private /proc), and the kernel reads them once
         * more anyway. */
        answer = NULL;
      else if (guards[i]->decide != NULL)
        /* Checking with no handler on the syscall: perform now. */
        answer = guards[i]->decide (call, performing || unhandled);
      else
        answer = step != NULL ? step (call) : NULL;

      if (answer != NULL)
        return decisive (guards[i], answer);
    }
  return NULL;
}

SandlockAction *
sandlock_guards_check (const SandlockGuard * const *guards,
                       const SandlockGuardCall     *call)
{
  return first_answer (guards, call, FALSE);
}

SandlockAction *
sandlock_guards_perform (const SandlockGuard * const *guards,
                         const SandlockGuardCall     *call)
{
  return first_answer (guards, call, TRUE);
}
