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
#include "sandlock-policy-private.h"

/* The fixed order in which guards see a syscall they share (documented in
 * docs/architecture.md, "Guards"). */
static const SandlockGuard * const registry[] = {
  &sandlock_guard_listen,   /* listen(): TCP ports Landlock does not see bound */
  &sandlock_guard_memfd,    /* memfd_create(): programs no rule grants */
};

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
          int nr = seccomp_syscall_resolve_name (registry[i]->syscalls[j]);
          int index = (int) i;

          if (nr < 0)
            {
              g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                           "The %s guard traps '%s', which this architecture does not have",
                           registry[i]->name, registry[i]->syscalls[j]);
              return FALSE;
            }
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
  for (gsize i = 0; guards[i] != NULL; i++)
    {
      SandlockAction *(*step) (const SandlockGuardCall *) =
        performing ? guards[i]->perform : guards[i]->check;
      SandlockAction *answer = step != NULL ? step (call) : NULL;

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
