/* sandlock-reaper-private.h: the helper's supervision of a running sandbox
 *
 * sandlock-reaper.c is compiled twice: into the library, whose helper
 * process runs it in place, and into sandlock-reaper (with
 * sandlock-reaper-main.c), the small program a helper that shares the
 * application's memory executes once the command has started, so that
 * from then on it has memory of its own: the kernel kills every process
 * sharing an address space together (the OOM killer; a core dump before
 * Linux 5.16), and the helper must outlive the application to clean up
 * after it. See sandlock-launch-child.c.
 *
 * Async-signal-safe, freestanding: no libc but memcpy() and memset(), no
 * GLib call, and errno is never touched (the kernel is reached through
 * sandlock_sys()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <sys/types.h>

#include "sandlock-kernel-private.h"

G_BEGIN_DECLS

/* Descriptor numbers in the helper (and, until exec, the child). */
enum {
  SANDLOCK_FD_STDIN,
  SANDLOCK_FD_STDOUT,
  SANDLOCK_FD_STDERR,
  SANDLOCK_FD_CONTROL,    /* the supervisor's socket: "K" = kill, "S" + a signal
                           * number = signal the first process, hang-up = gone */
  SANDLOCK_FD_RULESET,
  SANDLOCK_FD_REAPER,     /* sandlock-reaper's program, in a sealed memfd */
  SANDLOCK_FD_CGROUP_KILL,  /* the sandbox's v2 cgroup.kill, write-only, or closed */
  SANDLOCK_FD_TERMINAL,   /* a private pseudo-terminal to make the child's
                           * controlling terminal; closed after the set-up */
  SANDLOCK_N_FDS
};

/* What the helper tells the supervisor: once when the command has started
 * or failed to (with SANDLOCK_HELPER_READY comes one descriptor: the
 * listener), and once more,
 * SANDLOCK_HELPER_EXITED, when it has killed and reaped every process of
 * the sandbox, just before it exits. */
typedef struct {
  int status;
  int child_pid;
  int failed_step;
  int failed_errno;
  int child_status;   /* EXITED: the first process's wait status */
  int timed_out;      /* EXITED: the deadline killed the sandbox */
  int cgroup_killed;  /* EXITED: the sandbox was killed through cgroup.kill */
} SandlockHelperMessage;

enum {
  SANDLOCK_HELPER_READY = 1,
  SANDLOCK_HELPER_FAILED = 2,
  SANDLOCK_HELPER_EXITED = 3,
};

/* @sig's bit in the kernel's 64-bit signal sets. */
static inline guint64
sandlock_reaper_signal_bit (int sig)
{
  return G_GUINT64_CONSTANT (1) << (sig - 1);
}

static inline G_GNUC_NORETURN void
sandlock_reaper_exit (int status)
{
  sandlock_sys (__NR_exit_group, status);
  __builtin_unreachable ();
}

/* The time of CLOCK_MONOTONIC (GLib's monotonic clock) in nanoseconds. */
guint64 sandlock_reaper_now_ns       (void);

/* Sends @message with @n_fds descriptors (at most 2) on @socket_fd. */
long    sandlock_reaper_send_message (int                          socket_fd,
                                      const SandlockHelperMessage *message,
                                      const int                   *fds,
                                      int                          n_fds);

/* Supervises the sandbox whose first process is @child: waits for it to
 * end, for "K" on the control socket, for the supervisor to hang up or
 * for @deadline_ns (CLOCK_MONOTONIC; 0 for none) to pass, then kills and
 * reaps everything, reports (SANDLOCK_HELPER_EXITED) and exits. SIGCHLD
 * must be blocked (it is read from a signalfd) and not ignored. */
G_GNUC_NORETURN
void    sandlock_reaper_supervise    (pid_t                        child,
                                      guint64                      deadline_ns);

G_END_DECLS
