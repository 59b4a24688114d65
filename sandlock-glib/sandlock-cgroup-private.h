/* sandlock-cgroup-private.h: a cgroup per sandbox, for its resource limits
 *
 * Where the application may create a child of its own cgroup (root, or a
 * subtree delegated to it), a sandbox with a memory, CPU or CPU-set limit
 * gets one: in the unified (v2) hierarchy when it holds the controllers,
 * else in each controller's v1 hierarchy. The child joins it before it
 * executes the command, by writing "0" to each cgroup.procs file (see
 * sandlock-launch-child.c); the directories are removed once the helper
 * has reaped every process of the sandbox.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "sandlock-policy-private.h"

G_BEGIN_DECLS

typedef struct _SandlockCgroup SandlockCgroup;

/* Whether @policy has a limit that wants a cgroup. */
gboolean        sandlock_cgroup_wanted          (const SandlockPolicy *policy);

/* A new cgroup with @policy's limits; NULL with the reason in @why_not
 * (newly allocated) when none can be made. Nothing is left behind then. */
SandlockCgroup *sandlock_cgroup_new             (const SandlockPolicy *policy,
                                                 char                **why_not);

/* 1 or 2. */
int             sandlock_cgroup_get_version     (const SandlockCgroup *cgroup);

/* The cgroup.procs files the child writes itself into, NULL-terminated. */
const char * const *sandlock_cgroup_get_procs_files (const SandlockCgroup *cgroup);

/* Whether the cgroup's CPU bandwidth limit throttled it. */
gboolean        sandlock_cgroup_get_cpu_throttled (const SandlockCgroup *cgroup);

/* Whether the kernel's OOM killer killed a process of the cgroup. */
gboolean        sandlock_cgroup_get_oom_killed  (const SandlockCgroup *cgroup);

/* The directory of the cgroup that @cgroups (the text of /proc/self/cgroup)
 * names in the hierarchy of @controller ("" for the unified one), found in
 * @mountinfo (the text of /proc/self/mountinfo); NULL when none. */
char           *sandlock_cgroup_find_dir        (const char           *cgroups,
                                                 const char           *mountinfo,
                                                 const char           *controller);

/* Removes the cgroup's directories (once it holds no process) and frees. */
void            sandlock_cgroup_free            (SandlockCgroup       *cgroup);

G_END_DECLS
