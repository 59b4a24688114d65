/* sandlock-launch-private.h: starting a confined child
 *
 * A launch starts a small helper process (a child subreaper that owns every
 * process of the sandbox), which creates the confined child sharing its
 * descriptor table. The child confines itself (Landlock, then the seccomp
 * filters), publishes its listener's number through shared memory and
 * execs; the helper sends the listener to the supervisor. See
 * sandlock-launch.c and docs/architecture.md for the whole handshake.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sandlock-policy-private.h"

G_BEGIN_DECLS

/* Memory shared between the supervisor, the helper and the child. */
typedef struct {
  int state;                /* SandlockHandshakeState, atomic; a futex */
  int listener_fd;          /* the listener's number in the child */
  int failed_step;          /* SandlockLaunchStep */
  int failed_errno;
  int exec_errno;
  int exec_released;        /* SANDLOCK_TEST_HOLD_EXEC: the child may exec */
  int reaper_failed;        /* the helper could not execute sandlock-reaper */
} SandlockHandshake;

typedef enum {
  SANDLOCK_HANDSHAKE_STARTING = 0,
  SANDLOCK_HANDSHAKE_INSTALLING_LISTENER,
  SANDLOCK_HANDSHAKE_LISTENER_READY,
  SANDLOCK_HANDSHAKE_SETUP_FAILED,
  SANDLOCK_HANDSHAKE_EXEC_FAILED,
} SandlockHandshakeState;

typedef struct {
  GPid               helper_pid;
  GPid               child_pid;
  int                child_pidfd;
  int                listener_fd;
  int                control_fd;     /* write end: "K" kills the sandbox */
  SandlockHandshake *shared;         /* in the area: exec errors land here */
  char              *area_base;      /* what the helper and the child use */
  gsize              area_size;
  gboolean           area_in_use;    /* by a helper that shares our memory */
  int                child_status;   /* the first process's, once reaped */
  int                stdin_fd;       /* the supervisor's pipe ends, or -1 */
  int                stdout_fd;
  int                stderr_fd;
  gboolean           sync_wake_up;
} SandlockLaunch;

/* Opens /dev/null, for good, on each of the descriptors 0, 1 and 2 that
 * the application has closed. Left free, those numbers go to whatever is
 * opened next (a Landlock ruleset, a listener, GLib's eventfds and pidfds)
 * in any thread, which would then pass for the application's standard I/O
 * and be handed to commands that inherit it. Called by every entry point
 * that spawns, and when a sandbox is made. */
void     sandlock_launch_fill_closed_stdio (void);

gboolean sandlock_launch       (SandlockPolicy      *policy,
                                const char * const  *argv,
                                GSubprocessFlags     flags,
                                SandlockLaunch      *launch,
                                GError             **error);

/* Closes what the launch still owns and unmaps its area, unless a helper
 * may still run in it. */
void     sandlock_launch_clear (SandlockLaunch      *launch);

/* To be called once the helper has been reaped, with its wait status,
 * before the control socket is closed: reads the helper's report. */
void     sandlock_launch_helper_reaped (SandlockLaunch  *launch,
                                        int              helper_status);

/* The first process's wait status as the helper reported it, or the
 * helper's own when it died without reporting (killed from outside).
 * Valid after sandlock_launch_helper_reaped(). */
int      sandlock_launch_child_status       (const SandlockLaunch *launch);

/* The message of an exec failure recorded in the launch area, or NULL. */
char    *sandlock_launch_exec_error_message (const SandlockLaunch *launch,
                                             const char           *argv0);

G_END_DECLS
