/* sandlock-launch-child-private.h: what the helper and the child share
 * with the supervisor
 *
 * The launch area (SandlockLaunchArea) holds everything the helper and the
 * child read or write; sandlock-launch.c fills it, sandlock-launch-child.c
 * runs in it. Async-signal-safe: see sandlock-launch-child.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fcntl.h>
#include <glib.h>
#include <linux/filter.h>
#include <sys/types.h>

#include "sandlock-reaper-private.h"

G_BEGIN_DECLS

/* The set-up step that failed, in the helper's report. */
typedef enum {
  SANDLOCK_STEP_NONE,
  SANDLOCK_STEP_STDIO,
  SANDLOCK_STEP_SIGNALS,
  SANDLOCK_STEP_SUBREAPER,
  SANDLOCK_STEP_FORK,
  SANDLOCK_STEP_SETPGID,
  SANDLOCK_STEP_PDEATHSIG,
  SANDLOCK_STEP_PARENT_GONE,
  SANDLOCK_STEP_CHDIR,
  SANDLOCK_STEP_RLIMIT,
  SANDLOCK_STEP_NO_NEW_PRIVS,
  SANDLOCK_STEP_BOUNDING_SET,
  SANDLOCK_STEP_SECUREBITS,
  SANDLOCK_STEP_CAPABILITIES,
  SANDLOCK_STEP_LANDLOCK,
  SANDLOCK_STEP_DENY_FILTER,
  SANDLOCK_STEP_NOTIFY_FILTER,
  SANDLOCK_STEP_CHILD_DIED,
  SANDLOCK_STEP_SEND,
  SANDLOCK_STEP_CGROUP,
  SANDLOCK_STEP_AFFINITY,
  SANDLOCK_STEP_RLIMIT_AS,
  SANDLOCK_STEP_SCOPE,
  SANDLOCK_STEP_SETSID,
  SANDLOCK_STEP_CONTROLLING_TERMINAL,
  SANDLOCK_N_STEPS
} SandlockLaunchStep;

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

/* The most cgroup.procs files a child writes itself into (one per v1
 * hierarchy, and a v2 one for cgroup.kill), and the longest path of one. */
#define SANDLOCK_MAX_CGROUP_FILES 5
#define SANDLOCK_CGROUP_PATH_MAX 512
/* At most this many descriptors passed to a command (SandlockLauncher). */
#define SANDLOCK_MAX_PASSED_FDS 64

typedef struct {
  int                      source_fds[SANDLOCK_N_FDS];
  /* Descriptors passed to the command: the application's, and their
   * numbers in the command (3 or more, distinct). The helper's own slots
   * (SANDLOCK_FD_CONTROL and above) then sit above every target, at slot +
   * fd_offset, until the helper leaves the table it shares with the child
   * (which keeps it until it execs). */
  guint                    n_passed;
  int                      passed_sources[SANDLOCK_MAX_PASSED_FDS];
  int                      passed_targets[SANDLOCK_MAX_PASSED_FDS];
  int                      fd_offset;
  const char              *exec_path;
  char * const            *argv;
  char * const            *envp;
  const char              *cwd;
  /* A session of its own, with SANDLOCK_FD_TERMINAL as its controlling
   * terminal (SandlockSandbox:pty), instead of a process group. */
  gboolean                 new_session;
  guint                    max_open_files;
  guint64                  max_address_space;  /* RLIMIT_AS, 0: inherited */
  gboolean                 has_cpu_mask;
  unsigned char            cpu_mask[128];      /* sched_setaffinity() */
  guint                    n_cgroup_files;
  char                     cgroup_files[SANDLOCK_MAX_CGROUP_FILES][SANDLOCK_CGROUP_PATH_MAX];
  struct sock_fprog        deny_program;   /* the helper binds it */
  struct sock_fprog        notify_program;
  unsigned int             listener_flags;
  gboolean                 retry_without_killable;
  gboolean                 stall_for_testing;
  gboolean                 exec_reaper;      /* the helper shares our memory */
  gboolean                 reaper_fails_for_testing;
  guint                    hold_exec_msec;   /* SANDLOCK_TEST_HOLD_EXEC */
  guint64                  timeout_ns;       /* 0: no deadline */
  gboolean                 wait_for_go;      /* a "G" on the control socket before
                                              * the child is made (a scope) */
  SandlockHandshake       *shared;
} SandlockChildArgs;

typedef struct {
  const SandlockChildArgs *args;
  pid_t            helper_pid;
} SandlockChildStart;

/* Everything the helper and the child read or write, in a mapping of its
 * own. Where it can, the helper shares the application's memory, as
 * posix_spawn()'s child does: creating it then copies no page tables, and
 * its exit tears down no copy of the application's address space (that
 * was a third of a spawn). It then runs on a stack here, with a thread
 * pointer of its own, and reads nothing the application could free or
 * change meanwhile: argv, envp and the programs are copied here. The
 * mapping may only go once the helper has exited by itself (after reaping
 * the child): see sandlock_launch_helper_reaped().
 *
 * Layout from its start: a guard page, the helper's stack, a guard page,
 * the child's stack, the helper's thread area, this structure, its data. */
typedef struct {
  SandlockHandshake  handshake;
  SandlockChildArgs          args;
  SandlockChildStart         start;
  char              *helper_stack_top;
  char              *child_stack_top;
  char              *thread_area;
} SandlockLaunchArea;

/* The seals of sandlock-reaper's memfd: nobody may change it. */
#define SANDLOCK_REAPER_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Enough for the helper's deepest frame (kill_everything(): 6 KiB). */
#define SANDLOCK_LAUNCH_STACK_SIZE (64 * 1024)
/* The helper's entry point: runs on the area's helper stack (a clone
 * sharing our memory) or in a forked copy of the application, and never
 * returns. */
G_GNUC_NORETURN
void sandlock_launch_helper_main  (SandlockLaunchArea *area);

/* sandlock_launch_helper_main() for sandlock_clone(): @data is the area. */
void sandlock_launch_helper_start (gpointer            data);

G_END_DECLS
