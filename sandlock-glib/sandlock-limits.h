/* sandlock-limits.h: resource limits and how they are enforced
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib.h>

#include "sandlock-version-macros.h"

G_BEGIN_DECLS

/**
 * SECTION:sandlock-limits
 * @title: Resource limits
 * @short_description: which limits bound a sandbox, and by what mechanism
 *
 * #SandlockSandbox:max-processes, #SandlockSandbox:max-memory,
 * #SandlockSandbox:max-cpu and #SandlockSandbox:cpu-cores bound what a
 * command may use. Each is enforced by the kernel's own accounting (a
 * cgroup) where the application may create one, and by a fallback
 * otherwise; sandlock_process_get_limit_mechanism() tells which, and
 * #SandlockResult:limits-reached which limits the command ran into.
 */

/**
 * SandlockLimits:
 * @SANDLOCK_LIMIT_NONE: no limit.
 * @SANDLOCK_LIMIT_PROCESSES: #SandlockSandbox:max-processes: a fork beyond
 *   it failed with `EAGAIN`.
 * @SANDLOCK_LIMIT_MEMORY: #SandlockSandbox:max-memory: the kernel's OOM
 *   killer killed a process of the sandbox at the limit.
 * @SANDLOCK_LIMIT_CPU: #SandlockSandbox:max-cpu: the command was throttled.
 * @SANDLOCK_LIMIT_CPU_CORES: #SandlockSandbox:cpu-cores.
 *
 * The resource limits of a sandbox, as flags.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  SANDLOCK_LIMIT_NONE = 0,
  SANDLOCK_LIMIT_PROCESSES = 1 << 0,
  SANDLOCK_LIMIT_MEMORY = 1 << 1,
  SANDLOCK_LIMIT_CPU = 1 << 2,
  SANDLOCK_LIMIT_CPU_CORES = 1 << 3,
} SandlockLimits;

/**
 * SandlockLimitMechanism:
 * @SANDLOCK_LIMIT_MECHANISM_NONE: the limit is not set (or, with
 *   #SandlockSandbox:best-effort, could not be enforced).
 * @SANDLOCK_LIMIT_MECHANISM_CGROUP_V1: a child cgroup of the application's
 *   own, in the controller's version 1 hierarchy.
 * @SANDLOCK_LIMIT_MECHANISM_CGROUP_V2: a child cgroup of the application's
 *   own, in the unified (version 2) hierarchy.
 * @SANDLOCK_LIMIT_MECHANISM_SUPERVISOR: by the library, on the sandbox's
 *   main context: for processes, the seccomp filter traps the creation of
 *   a process (never of a thread) and the supervisor refuses it beyond the
 *   limit; for CPU, the supervisor adds up the CPU time of the sandbox's
 *   processes and stops them all while they are over their share.
 * @SANDLOCK_LIMIT_MECHANISM_RLIMIT: a per-process resource limit
 *   (`RLIMIT_AS` for memory): each process of the sandbox has its own.
 * @SANDLOCK_LIMIT_MECHANISM_AFFINITY: the command's CPU affinity, which it
 *   may not change (sched_setaffinity(2) is refused).
 * @SANDLOCK_LIMIT_MECHANISM_SYSTEMD_SCOPE: a transient scope unit that
 *   the user's systemd manager made for the sandbox on the application's
 *   request (over the session bus), with the limit as the unit's property:
 *   the kernel's cgroup accounting, for an application that may not create
 *   cgroups itself. See the [policy reference](policy.html#resource-limits).
 *
 * How a limit is enforced, from sandlock_process_get_limit_mechanism().
 *
 * Since: 1.0
 */
typedef enum {
  SANDLOCK_LIMIT_MECHANISM_NONE,
  SANDLOCK_LIMIT_MECHANISM_CGROUP_V1,
  SANDLOCK_LIMIT_MECHANISM_CGROUP_V2,
  SANDLOCK_LIMIT_MECHANISM_SUPERVISOR,
  SANDLOCK_LIMIT_MECHANISM_RLIMIT,
  SANDLOCK_LIMIT_MECHANISM_AFFINITY,
  SANDLOCK_LIMIT_MECHANISM_SYSTEMD_SCOPE,
} SandlockLimitMechanism;

G_END_DECLS
