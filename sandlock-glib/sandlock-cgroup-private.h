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
#include <sys/types.h>

#include "sandlock-policy-private.h"

G_BEGIN_DECLS

typedef struct _SandlockCgroup SandlockCgroup;

/* Whether @policy has a limit that wants a cgroup. */
gboolean        sandlock_cgroup_wanted          (const SandlockPolicy *policy);

/* A new cgroup with @policy's limits; NULL with the reason in @why_not
 * (newly allocated) when none can be made. Nothing is left behind then. */
SandlockCgroup *sandlock_cgroup_new             (const SandlockPolicy *policy,
                                                 char                **why_not);

/* The most cgroup.procs files of one sandbox: one per v1 hierarchy of
 * the four controllers, and a v2 cgroup for cgroup.kill. */
#define SANDLOCK_CGROUP_MAX_PROCS_FILES 5

/* The cgroup(s) that a service manager made for @unit and moved @pid
 * into (a systemd scope), read from /proc/@pid/cgroup: reported on like
 * ours, never removed (the manager does). NULL with the reason in
 * @why_not when @pid is in no cgroup of @unit. */
SandlockCgroup *sandlock_cgroup_new_for_unit    (pid_t                 pid,
                                                 const char           *unit,
                                                 char                **why_not);

/* Whether the cgroup bounds memory, CPU time, CPUs. */
gboolean        sandlock_cgroup_has_memory      (const SandlockCgroup *cgroup);
gboolean        sandlock_cgroup_has_cpu         (const SandlockCgroup *cgroup);
gboolean        sandlock_cgroup_has_cpuset      (const SandlockCgroup *cgroup);

/* 1 or 2 (the version of the hierarchies holding the limits). */
int             sandlock_cgroup_get_version     (const SandlockCgroup *cgroup);

/* The cgroup.procs files the child writes itself into, NULL-terminated. */
const char * const *sandlock_cgroup_get_procs_files (const SandlockCgroup *cgroup);

/* The cgroup.kill file (Linux 5.14) of the sandbox's v2 cgroup, which
 * kills every process in it at once; NULL without one. With the limits
 * in v1 hierarchies, this is a v2 cgroup without controllers that the
 * sandbox also joins (on a hybrid layout). */
const char     *sandlock_cgroup_get_kill_file   (const SandlockCgroup *cgroup);

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
