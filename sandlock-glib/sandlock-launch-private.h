/* sandlock-launch-private.h: starting a confined child
 *
 * A launch starts a small helper process (a child subreaper that owns every
 * process of the sandbox), which creates the confined child sharing its
 * descriptor table. The child confines itself (Landlock, then the seccomp
 * filters), publishes its listener's number through shared memory and
 * execs; the helper sends the listener to the supervisor. This is the
 * supervisor's side; sandlock-launch-child.c has the helper's and the
 * child's. See docs/architecture.md for the whole handshake.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sandlock-cgroup-private.h"
#include "sandlock-scope-private.h"
#include "sandlock-launch-child-private.h"
#include "sandlock-limits.h"
#include "sandlock-policy-private.h"

G_BEGIN_DECLS

/* The application's descriptors a running sandbox holds, pipes aside:
 * its listener and its control socket (see docs/architecture.md). */
#define SANDLOCK_FDS_PER_SANDBOX 2

/* What a spawn leaves free below the soft RLIMIT_NOFILE:
 * max(SANDLOCK_FD_MARGIN_MIN, limit / SANDLOCK_FD_MARGIN_DIVISOR). */
#define SANDLOCK_FD_MARGIN_MIN 32
#define SANDLOCK_FD_MARGIN_DIVISOR 16

typedef struct {
  GPid               helper_pid;
  GPid               child_pid;
  int                listener_fd;
  /* Our end of the helper's socket: "K" kills the sandbox, "S" and a
   * signal number signals the first process; the helper's last report
   * comes on it, and it hangs up when the helper is gone. */
  int                control_fd;
  gboolean           exit_reported;  /* SANDLOCK_HELPER_EXITED was read:
                                      * child_status, timed_out and
                                      * cgroup_killed hold its report */
  SandlockHandshake *shared;         /* in the area: exec errors land here */
  char              *area_base;      /* what the helper and the child use */
  gsize              area_size;
  gboolean           area_in_use;    /* by a helper that shares our memory */
  int                child_status;   /* the first process's, once reaped */
  gboolean           timed_out;      /* the helper's deadline killed it */
  int                stdin_fd;       /* the supervisor's pipe ends, or -1 */
  int                stdout_fd;
  int                stderr_fd;
  int                pty_fd;         /* the private terminal's master, or -1 */
  gboolean           sync_wake_up;
  SandlockCgroup    *cgroup;         /* the sandbox's, or NULL */
  SandlockScope     *scope;          /* the systemd scope holding it, or NULL */
  gboolean           oom_killed;     /* in the cgroup, once reaped */
  gboolean           cpu_throttled;  /* by the cgroup, once reaped */
  int                cgroup_kill_fd; /* the helper's, until it has it */
  gboolean           cgroup_killed;  /* the helper wrote its cgroup.kill */
  /* How each limit is enforced, indexed by the bit number of its
   * SandlockLimits flag. */
  SandlockLimitMechanism mechanisms[4];
} SandlockLaunch;

/* How @limit (one SandlockLimits flag) is enforced in @launch. */
SandlockLimitMechanism sandlock_launch_get_mechanism (const SandlockLaunch *launch,
                                                      SandlockLimits        limit);

/* How the helper killed what was left of the sandbox once it ended:
 * CGROUP_V2 through cgroup.kill, SUPERVISOR by its own walk. */
SandlockLimitMechanism sandlock_launch_get_kill_mechanism (const SandlockLaunch *launch);

/* What a SandlockLauncher changes for one spawn; the application keeps
 * every descriptor it gives (the helper duplicates them). */
typedef struct {
  const char * const *env;             /* applied in order: KEY=VALUE, KEY */
  const char         *cwd;             /* NULL: the policy's */
  int                 stdio_fds[3];    /* the command's 0-2, -1: from the flags */
  guint               n_passed;        /* at most SANDLOCK_MAX_PASSED_FDS */
  const int          *passed_sources;
  const int          *passed_targets;  /* 3 or more, distinct */
} SandlockLaunchOptions;

gboolean sandlock_launch       (SandlockPolicy               *policy,
                                const char * const           *argv,
                                GSubprocessFlags              flags,
                                const SandlockLaunchOptions  *options,
                                SandlockLaunch               *launch,
                                GError                      **error);

/* An empty launch, every descriptor -1. */
void     sandlock_launch_init  (SandlockLaunch      *launch);
/* Closes what the launch still owns and unmaps its area, unless a helper
 * may still run in it. */
void     sandlock_launch_clear (SandlockLaunch      *launch);

/* Reads what the helper reported on the control socket, without
 * blocking. TRUE once it reported SANDLOCK_HELPER_EXITED: it has killed and
 * reaped every process of the sandbox and is exiting. */
gboolean sandlock_launch_read_report (SandlockLaunch  *launch);

/* To be called once the helper has been reaped, with its wait status,
 * before the control socket is closed: reads the helper's report. */
void     sandlock_launch_helper_reaped (SandlockLaunch  *launch,
                                        int              helper_status);

/* The first process's wait status as the helper reported it, or the
 * helper's own when it died without reporting (killed from outside).
 * Valid after sandlock_launch_helper_reaped(). */
int      sandlock_launch_child_status       (const SandlockLaunch *launch);

/* Whether the helper killed the sandbox at its deadline (the policy's
 * timeout). Valid after sandlock_launch_helper_reaped(). */
gboolean sandlock_launch_timed_out          (const SandlockLaunch *launch);

/* The message of an exec failure recorded in the launch area, or NULL. */
char    *sandlock_launch_exec_error_message (const SandlockLaunch *launch,
                                             const char           *argv0);

G_END_DECLS
