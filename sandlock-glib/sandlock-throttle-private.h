/* sandlock-throttle-private.h: max-cpu without a cgroup
 *
 * Without a cgroup the supervisor throttles the sandbox itself: a timer
 * on the sandbox's main context adds up the CPU time of the helper's
 * descendants (/proc/PID/stat) against a budget of max-cpu percent of the
 * time that passed, and when the budget runs out stops every process of
 * the sandbox (SIGSTOP through a pidfd, checked to be a descendant after
 * opening it) until the budget is back. See docs/policy.md#max-cpu.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _SandlockThrottle SandlockThrottle;

SandlockThrottle *sandlock_throttle_new           (pid_t                   helper_pid,
                                                   guint                   percent,
                                                   GMainContext           *context);
/* Runs its timer on @context from now on (a synchronous wait's). NULL
 * @throttle: nothing. */
void              sandlock_throttle_move          (SandlockThrottle       *throttle,
                                                   GMainContext           *context);
/* Whether the sandbox was stopped at least once. */
gboolean          sandlock_throttle_get_throttled (const SandlockThrottle *throttle);
/* Stops the timer and lets every process it stopped run again. */
void              sandlock_throttle_free          (SandlockThrottle       *throttle);

G_END_DECLS
