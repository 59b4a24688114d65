/* sandlock-scope-private.h: a transient systemd scope for a sandbox's limits
 *
 * An application that may not create cgroups itself (an ordinary user's)
 * asks the user's service manager, systemd --user on the session bus, for
 * a transient scope unit with the sandbox's limits as its properties, as
 * GNOME does for the apps it starts: StartTransientUnit with the helper's
 * pid, before the helper creates the child (it waits for the supervisor's
 * go: see sandlock-launch.c). The manager moves the helper into the
 * scope's cgroup, where every process of the sandbox is then born. All of
 * it is bounded in time and runs on a private main context: no bus, no
 * manager, a refusal or a timeout only mean the fallbacks apply.
 *
 * Opt-out: SANDLOCK_SYSTEMD_SCOPE=0 in the application's environment.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <sys/types.h>

#include "sandlock-policy-private.h"

G_BEGIN_DECLS

typedef struct _SandlockScope SandlockScope;

/* How long the whole request may take: connecting to the bus, the call
 * and the manager's job. */
#define SANDLOCK_SCOPE_TIMEOUT_MSEC 3000

/* Whether to ask for a scope for @policy: a limit wants a cgroup and the
 * application did not opt out. */
gboolean       sandlock_scope_wanted   (const SandlockPolicy *policy);

/* Asks the user's manager for a scope holding @pid with @policy's limits
 * and waits (at most @timeout_msec) until @pid is in it. NULL with the
 * reason in @why_not when there is none. */
SandlockScope *sandlock_scope_start    (const SandlockPolicy *policy,
                                        pid_t                 pid,
                                        guint                 timeout_msec,
                                        char                **why_not);

/* The scope's unit name (app-sandlock-PID-N.scope). */
const char    *sandlock_scope_get_unit (const SandlockScope  *scope);

/* Asks the manager to stop the unit and lets go of the bus, in a thread
 * of its own (nothing waits for it: once the sandbox has been reaped the
 * scope is empty, and the manager would collect it anyway). */
void           sandlock_scope_free     (SandlockScope        *scope);

G_END_DECLS
