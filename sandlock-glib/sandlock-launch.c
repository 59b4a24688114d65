/* sandlock-launch.c: starting a confined child, the supervisor's side
 *
 * Three processes take part (the helper's and the child's code is in
 * sandlock-launch-child.c, the standard I/O set-up in sandlock-stdio.c):
 *
 *  supervisor  the application. It prepares everything (BPF programs,
 *              Landlock ruleset, argv, envp) before the helper starts, because the
 *              helper and the child may only run async-signal-safe code.
 *  helper      started by the supervisor, sharing its memory where it can
 *              (see SandlockLaunchArea) until the command has started, then
 *              executing sandlock-reaper; else forked. A child subreaper:
 *              every process of the sandbox that loses its parent is
 *              reparented to it, so it can kill and reap all of them. It
 *              reports the child's wait status in a last message on the
 *              control socket, and kills the whole sandbox when the child
 *              ends, when asked ("K" on the control socket), when the
 *              supervisor dies (the control socket hangs up) or at the
 *              sandbox's deadline (its timeout).
 *  child       created by the helper with CLONE_FILES: until it execs, it
 *              shares the helper's descriptor table. It confines itself,
 *              installs the notify filter, publishes the listener's number
 *              in shared memory and execs at once.
 *
 * The listener the child creates lands in the shared table; execve gives the
 * child a private copy of the table (closing the listener, which is
 * close-on-exec, in that copy only), so the helper still holds it. The helper
 * sends it, with a pidfd of the child, to the supervisor over the control
 * socket (SCM_RIGHTS). After installing the notify filter the child makes no
 * syscall but execve, and nothing waits for the child after that point: a
 * trapped execve, read, futex... just blocks until the application's main
 * loop dispatches it, so no handler can deadlock the start. And no process
 * busy-waits on another's CPU.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-launch-private.h"
#include "sandlock-pty-private.h"
#include "sandlock-reaper-private.h"
#include "sandlock-stdio-private.h"
#include "sandlock-i18n-private.h"

/* How long the supervisor waits for the helper's answer. The child only
 * runs a few syscalls, so this bound is only hit by a wedged machine. */
#define HANDSHAKE_TIMEOUT_MSEC (10 * 1000)
static const char * const step_names[SANDLOCK_N_STEPS] = {
  [SANDLOCK_STEP_NONE] = "start-up",
  [SANDLOCK_STEP_STDIO] = "setting up standard input and output",
  [SANDLOCK_STEP_SIGNALS] = "resetting signal handling",
  [SANDLOCK_STEP_SUBREAPER] = "prctl(PR_SET_CHILD_SUBREAPER)",
  [SANDLOCK_STEP_FORK] = "creating the child",
  [SANDLOCK_STEP_SETPGID] = "setpgid",
  [SANDLOCK_STEP_PDEATHSIG] = "prctl(PR_SET_PDEATHSIG)",
  [SANDLOCK_STEP_PARENT_GONE] = "checking that the helper is alive",
  [SANDLOCK_STEP_CHDIR] = "changing to the working directory",
  [SANDLOCK_STEP_RLIMIT] = "setrlimit(RLIMIT_NOFILE)",
  [SANDLOCK_STEP_NO_NEW_PRIVS] = "prctl(PR_SET_NO_NEW_PRIVS)",
  [SANDLOCK_STEP_BOUNDING_SET] = "emptying the capability bounding set",
  [SANDLOCK_STEP_SECUREBITS] = "prctl(PR_SET_SECUREBITS)",
  [SANDLOCK_STEP_CAPABILITIES] = "dropping capabilities",
  [SANDLOCK_STEP_LANDLOCK] = "landlock_restrict_self",
  [SANDLOCK_STEP_DENY_FILTER] = "installing the seccomp deny filter",
  [SANDLOCK_STEP_NOTIFY_FILTER] = "installing the seccomp notify filter",
  [SANDLOCK_STEP_CHILD_DIED] = "the child died during set-up",
  [SANDLOCK_STEP_SEND] = "handing the listener to the supervisor",
  [SANDLOCK_STEP_CGROUP] = "joining the sandbox's cgroup",
  [SANDLOCK_STEP_AFFINITY] = "sched_setaffinity (cpu-cores)",
  [SANDLOCK_STEP_RLIMIT_AS] = "setrlimit(RLIMIT_AS) (max-memory)",
  [SANDLOCK_STEP_SCOPE] = "waiting for the sandbox's systemd scope",
  [SANDLOCK_STEP_SETSID] = "setsid (pty)",
  [SANDLOCK_STEP_CONTROLLING_TERMINAL] = "ioctl(TIOCSCTTY) (pty)",
};

/* Records how each limit is enforced, by the sandbox's cgroup (our own
 * or a systemd scope's) or the fallbacks, and tells the child which
 * fallbacks to apply. */
static void
assign_mechanisms (SandlockPolicy    *policy,
                   SandlockLaunch    *launch,
                   SandlockChildArgs *args)
{
  SandlockLimitMechanism cgroup_mechanism = SANDLOCK_LIMIT_MECHANISM_NONE;
  gboolean memory = FALSE, cpu = FALSE, cpuset = FALSE;

  if (launch->scope != NULL)
    {
      /* The manager may not have every controller (cpusets on a hybrid
       * layout): a limit its cgroup lacks takes its fallback. */
      cgroup_mechanism = SANDLOCK_LIMIT_MECHANISM_SYSTEMD_SCOPE;
      memory = sandlock_cgroup_has_memory (launch->cgroup);
      cpu = sandlock_cgroup_has_cpu (launch->cgroup);
      cpuset = sandlock_cgroup_has_cpuset (launch->cgroup);
    }
  else if (launch->cgroup != NULL)
    {
      cgroup_mechanism = sandlock_cgroup_get_version (launch->cgroup) == 2 ?
                         SANDLOCK_LIMIT_MECHANISM_CGROUP_V2 : SANDLOCK_LIMIT_MECHANISM_CGROUP_V1;
      memory = cpu = cpuset = TRUE;
    }

  if (policy->max_processes > 0)
    launch->mechanisms[0] = SANDLOCK_LIMIT_MECHANISM_SUPERVISOR;
  if (policy->max_memory > 0)
    {
      launch->mechanisms[1] = memory ? cgroup_mechanism : SANDLOCK_LIMIT_MECHANISM_RLIMIT;
      args->max_address_space = memory ? 0 : policy->max_memory;
    }
  /* Without a cgroup the supervisor throttles (sandlock-throttle.c). */
  if (policy->max_cpu > 0)
    launch->mechanisms[2] = cpu ? cgroup_mechanism : SANDLOCK_LIMIT_MECHANISM_SUPERVISOR;
  if (policy->has_cpu_mask)
    {
      launch->mechanisms[3] = cpuset ? cgroup_mechanism : SANDLOCK_LIMIT_MECHANISM_AFFINITY;
      args->has_cpu_mask = TRUE;
      G_STATIC_ASSERT (sizeof args->cpu_mask == sizeof policy->cpu_mask);
      memcpy (args->cpu_mask, policy->cpu_mask, sizeof args->cpu_mask);
    }
}

/* Makes the sandbox's cgroup where it may, and tells the child what to
 * apply. Where it may not, and the user's systemd manager may make one
 * (sandlock-scope.c), the helper waits for finish_limits_with_scope(). */
static gboolean
setup_limits (SandlockPolicy     *policy,
              SandlockLaunch     *launch,
              SandlockChildArgs  *args,
              const char         *argv0,
              GError            **error)
{
  g_autofree char *why_not = NULL;

  G_STATIC_ASSERT (SANDLOCK_MAX_CGROUP_FILES >= SANDLOCK_CGROUP_MAX_PROCS_FILES);
  if (sandlock_cgroup_wanted (policy))
    launch->cgroup = sandlock_cgroup_new (policy, &why_not);
  if (launch->cgroup != NULL)
    {
      const char * const *files = sandlock_cgroup_get_procs_files (launch->cgroup);

      for (guint i = 0; files[i] != NULL; i++)
        {
          if (i >= SANDLOCK_MAX_CGROUP_FILES || strlen (files[i]) >= SANDLOCK_CGROUP_PATH_MAX)
            {
              g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                           _("Failed to start '%s' in the sandbox: the cgroup path %s is too long"),
                           argv0, files[i]);
              return FALSE;
            }
          g_strlcpy (args->cgroup_files[i], files[i], SANDLOCK_CGROUP_PATH_MAX);
          args->n_cgroup_files = i + 1;
        }
      /* The helper kills the sandbox through its cgroup.kill, if any. */
      if (sandlock_cgroup_get_kill_file (launch->cgroup) != NULL)
        {
          int fd = open (sandlock_cgroup_get_kill_file (launch->cgroup), O_WRONLY | O_CLOEXEC);

          if (fd >= 0)
            fd = sandlock_fd_above_stdio (fd);
          launch->cgroup_kill_fd = fd;
          args->source_fds[SANDLOCK_FD_CGROUP_KILL] = fd;
        }
    }
  else if (why_not != NULL && sandlock_scope_wanted (policy))
    {
      g_debug ("No cgroup of our own for the sandbox's limits (%s): asking the user's systemd manager",
               why_not);
      args->wait_for_go = TRUE;
    }
  else if (why_not != NULL)
    g_debug ("No cgroup for the sandbox's limits, using the fallbacks: %s", why_not);

  assign_mechanisms (policy, launch, args);
  return TRUE;
}

/* With the helper @pid waiting: asks for a scope holding it, adopts the
 * scope's cgroup or settles for the fallbacks, and lets the helper go on. */
static void
finish_limits_with_scope (SandlockPolicy    *policy,
                          SandlockLaunch    *launch,
                          SandlockChildArgs *args,
                          pid_t              pid,
                          int                control_fd)
{
  g_autofree char *why_not = NULL;

  launch->scope = sandlock_scope_start (policy, pid, SANDLOCK_SCOPE_TIMEOUT_MSEC, &why_not);
  if (launch->scope != NULL)
    {
      launch->cgroup = sandlock_cgroup_new_for_unit (pid, sandlock_scope_get_unit (launch->scope),
                                                     &why_not);
      if (launch->cgroup == NULL)
        g_clear_pointer (&launch->scope, sandlock_scope_free);
    }
  if (launch->scope != NULL)
    g_debug ("The sandbox's limits are in the systemd scope %s", sandlock_scope_get_unit (launch->scope));
  else
    g_debug ("No systemd scope for the sandbox's limits, using the fallbacks: %s", why_not);
  assign_mechanisms (policy, launch, args);

  /* The helper reads what changed in the area after this (our memory, or
   * a shared mapping). A helper gone meanwhile is noticed by
   * receive_from_helper(). */
  send (control_fd, "G", 1, MSG_NOSIGNAL);
}

SandlockLimitMechanism
sandlock_launch_get_kill_mechanism (const SandlockLaunch *launch)
{
  return launch->cgroup_killed ? SANDLOCK_LIMIT_MECHANISM_CGROUP_V2
                               : SANDLOCK_LIMIT_MECHANISM_SUPERVISOR;
}

SandlockLimitMechanism
sandlock_launch_get_mechanism (const SandlockLaunch *launch,
                               SandlockLimits        limit)
{
  for (guint bit = 0; bit < G_N_ELEMENTS (launch->mechanisms); bit++)
    if (limit == (SandlockLimits) (1u << bit))
      return launch->mechanisms[bit];
  return SANDLOCK_LIMIT_MECHANISM_NONE;
}

static pid_t
raw_fork (void)
{
#ifdef HAVE__FORK
  /* _Fork runs no atfork handlers: a binding's handlers must not run in a
   * copy of a multi-threaded process. */
  return _Fork ();
#else
  return (pid_t) syscall (__NR_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

static char *
resolve_executable (const char  *argv0,
                    const char  *cwd,
                    const char  *search_path,
                    GError     **error)
{
  g_autofree char *base = cwd != NULL ? g_strdup (cwd) : g_get_current_dir ();
  g_auto(GStrv) dirs = NULL;
  int found_errno = ENOENT;

  if (*argv0 == '\0')
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to execute '': the program name is empty"));
      return NULL;
    }

  if (strchr (argv0, '/') != NULL)
    {
      g_autofree char *path = g_path_is_absolute (argv0)
        ? g_strdup (argv0) : g_build_filename (base, argv0, NULL);

      if (access (path, X_OK) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       _("Failed to execute '%s': %s"), argv0, g_strerror (saved_errno));
          return NULL;
        }
      return g_steal_pointer (&path);
    }

  dirs = g_strsplit (search_path != NULL ? search_path : "/usr/local/bin:/usr/bin:/bin", ":", -1);
  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      const char *dir = *dirs[i] != '\0' ? dirs[i] : ".";
      g_autofree char *path = g_path_is_absolute (dir)
        ? g_build_filename (dir, argv0, NULL) : g_build_filename (base, dir, argv0, NULL);
      struct stat st;

      if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (access (path, X_OK) == 0)
        return g_steal_pointer (&path);
      found_errno = EACCES;
    }

  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
               _("Failed to execute '%s': %s"), argv0, g_strerror (found_errno));
  return NULL;
}
/* How long a helper we give up on has to clean up before it is killed. */
#define ABANDON_GRACE_MSEC 2000

/* Reaps a helper we are giving up on. It is our child and no child watch
 * exists for it yet, so waiting for this one pid competes with no one. */
static void
abandon_helper (SandlockLaunch *launch)
{
  GPid helper_pid = launch->helper_pid;
  int status;

  /* Our end of file on the control socket makes the helper kill and reap
   * all, once it is back in its loop, and report. One still waiting for a
   * child stuck in its set-up (which cannot have started anything yet)
   * never gets there: kill it, and the child with it (PDEATHSIG). */
  shutdown (launch->control_fd, SHUT_WR);
  launch->helper_pid = 0;
  for (int waited = 0;; waited += 10)
    {
      pid_t pid = waitpid (helper_pid, &status, WNOHANG);

      if (pid == helper_pid)
        break;
      if (pid < 0 && errno != EINTR)
        {
          status = 0;
          break;
        }
      if (waited >= ABANDON_GRACE_MSEC)
        {
          kill (helper_pid, SIGKILL);
          while (waitpid (helper_pid, &status, 0) < 0 && errno == EINTR)
            ;
          break;
        }
      g_usleep (10 * 1000);
    }

  sandlock_launch_helper_reaped (launch, status);
  sandlock_clear_fd (&launch->control_fd);
}

/* Receives the helper's first message, and with it the listener. */
static gboolean
receive_from_helper (SandlockLaunch  *launch,
                     const char      *argv0,
                     GError         **error)
{
  union {
    char buffer[CMSG_SPACE (2 * sizeof (int))];   /* room for one too many */
    struct cmsghdr align;
  } control = { { 0 } };
  SandlockHelperMessage message = { 0 };
  struct iovec iov = { .iov_base = &message, .iov_len = sizeof message };
  struct msghdr msg = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buffer,
    .msg_controllen = sizeof control.buffer,
  };
  struct pollfd pfd = { .fd = launch->control_fd, .events = POLLIN };
  guint64 no_such_id = 0;
  ssize_t n;
  int rc;

  int timeout_msec = sandlock_kernel_stall_setup_for_testing () > 0
                     ? (int) sandlock_kernel_stall_setup_for_testing ()
                     : HANDSHAKE_TIMEOUT_MSEC;

  while ((rc = poll (&pfd, 1, timeout_msec)) < 0 && errno == EINTR)
    ;
  if (rc == 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: the child did not finish its "
                     "set-up within %d ms"), argv0, timeout_msec);
      return FALSE;
    }

  while ((n = recvmsg (launch->control_fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
    ;

  /* Take ownership of whatever descriptors came, whatever else is wrong.
   * A failed recvmsg() leaves the control buffer as it was: nothing came. */
  if (n < 0)
    msg.msg_controllen = 0;
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
      {
        int fds[2] = { -1, -1 };
        gsize count = MIN ((cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int), 2);

        memcpy (fds, CMSG_DATA (cmsg), count * sizeof (int));
        sandlock_clear_fd (&launch->listener_fd);
        launch->listener_fd = sandlock_fd_above_stdio (fds[0]);
        sandlock_clear_fd (&fds[1]);
      }

  if (n != (ssize_t) sizeof message)
    {
      /* The helper died before answering. */
      if (__atomic_load_n (&launch->shared->state, __ATOMIC_ACQUIRE) == SANDLOCK_HANDSHAKE_SETUP_FAILED)
        message.status = SANDLOCK_HELPER_FAILED, message.failed_step = launch->shared->failed_step,
          message.failed_errno = launch->shared->failed_errno;
      else
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       _("Failed to start '%s' in the sandbox: the helper process died"), argv0);
          return FALSE;
        }
    }

  if (message.status != SANDLOCK_HELPER_READY)
    {
      int step = message.failed_step;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: %s: %s"), argv0,
                   step > SANDLOCK_STEP_NONE && step < SANDLOCK_N_STEPS ? step_names[step] : "unknown step",
                   g_strerror (message.failed_errno));
      return FALSE;
    }

  /* A seccomp listener answers ID_VALID for an unknown id with ENOENT
   * (under the ioctl's old number before Linux 5.7: the helper falls back). */
  if (launch->listener_fd < 0 ||
      sandlock_notif_id_valid (launch->listener_fd, no_such_id) != -ENOENT)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: the helper sent no seccomp listener"),
                   argv0);
      return FALSE;
    }

  launch->child_pid = message.child_pid;

  if (!sandlock_kernel_has_notif_continue (launch->listener_fd))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_UNSUPPORTED,
                   _("Failed to start '%s' in the sandbox: the running kernel cannot let a "
                     "trapped syscall continue (SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5)"),
                   argv0);
      return FALSE;
    }

  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_SYNC_WAKE_UP) &&
      ioctl (launch->listener_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
             (unsigned long) SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0)
    launch->sync_wake_up = TRUE;

  return TRUE;
}

static gsize
strv_size (const char * const *strv)
{
  gsize size = sizeof (char *);

  for (gsize i = 0; strv[i] != NULL; i++)
    size += sizeof (char *) + strlen (strv[i]) + 1;
  return size;
}

/* Copies @size bytes to *@next, and moves *@next on, aligned. */
static gpointer
area_copy (char          **next,
           gconstpointer   data,
           gsize           size)
{
  char *copy = *next;

  memcpy (copy, data, size);
  *next += (size + 7) & ~(gsize) 7;
  return copy;
}

static char * const *
area_copy_strv (char               **next,
                const char * const  *strv)
{
  gsize length = g_strv_length ((char **) strv);
  char **copy = (char **) *next;

  *next += (length + 1) * sizeof (char *);
  for (gsize i = 0; i < length; i++)
    {
      copy[i] = *next;
      *next = stpcpy (*next, strv[i]) + 1;
    }
  copy[length] = NULL;
  *next = (char *) (((guintptr) *next + 7) & ~(guintptr) 7);
  return copy;
}

static void
area_copy_program (char                    **next,
                   struct sock_fprog        *copy,
                   const struct sock_fprog  *program)
{
  copy->len = program->len;
  copy->filter = area_copy (next, program->filter, program->len * sizeof (struct sock_filter));
}

/* Maps a SandlockLaunchArea and copies into it what the helper and the child read. */
static SandlockLaunchArea *
launch_area_new (SandlockPolicy      *policy,
                 const char          *exec_path,
                 const char * const  *argv,
                 const char * const  *envp,
                 const char          *cwd,
                 gboolean             shared_with_helper,
                 char               **out_base,
                 gsize               *out_size,
                 GError             **error)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize stack = (SANDLOCK_LAUNCH_STACK_SIZE + page - 1) & ~(page - 1);
  gsize header_offset = 2 * page + 2 * stack + SANDLOCK_CLONE_THREAD_AREA_SIZE;
  gsize data_size, size;
  SandlockLaunchArea *area;
  char *base, *next;

  data_size = sizeof (SandlockLaunchArea) + 8 +
              strlen (exec_path) + 8 +
              (cwd != NULL ? strlen (cwd) + 8 : 0) +
              strv_size (argv) + 8 + strv_size (envp) + 8 +
              (policy->deny_program.len + policy->notify_program.len) * sizeof (struct sock_filter) + 16;
  size = (header_offset + data_size + page - 1) & ~(page - 1);

  /* Private when the helper shares our memory; else shared, so that what
   * the helper and the child write (the handshake) reaches us. */
  base = mmap (NULL, size, PROT_READ | PROT_WRITE,
               (shared_with_helper ? MAP_PRIVATE : MAP_SHARED) | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: mmap: %s"),
                   argv[0], g_strerror (saved_errno));
      return NULL;
    }
  if (mprotect (base, page, PROT_NONE) != 0 ||
      mprotect (base + page + stack, page, PROT_NONE) != 0)
    {
      int saved_errno = errno;

      munmap (base, size);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: mprotect: %s"),
                   argv[0], g_strerror (saved_errno));
      return NULL;
    }

  area = (SandlockLaunchArea *) (base + header_offset);
  area->helper_stack_top = base + page + stack;
  area->child_stack_top = base + 2 * page + 2 * stack;
  area->thread_area = area->child_stack_top;
  next = (char *) (area + 1);
  next = (char *) (((guintptr) next + 7) & ~(guintptr) 7);

  area->args.exec_path = area_copy (&next, exec_path, strlen (exec_path) + 1);
  if (cwd != NULL)
    area->args.cwd = area_copy (&next, cwd, strlen (cwd) + 1);
  area->args.argv = area_copy_strv (&next, argv);
  area->args.envp = area_copy_strv (&next, envp);
  area_copy_program (&next, &area->args.deny_program, &policy->deny_program);
  area_copy_program (&next, &area->args.notify_program, &policy->notify_program);
  g_assert ((gsize) (next - base) <= size);

  *out_base = base;
  *out_size = size;
  return area;
}

#ifdef SANDLOCK_HAVE_REAPER
extern const unsigned char sandlock_reaper_program[];
extern const size_t sandlock_reaper_program_size;

static int
make_reaper_program_fd (void)
{
  /* SANDLOCK_TEST_DISABLE=executable-memfd: as under vm.memfd_noexec=2. */
  if (sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_EXECUTABLE_MEMFD))
    {
      errno = EACCES;
      return -1;
    }

  /* MFD_EXEC: where vm.memfd_noexec makes memfds not executable by
   * default (Linux 6.3). Nobody may change the program the helpers
   * execute. */
  return sandlock_memfd_new_sealed ("sandlock-reaper", sandlock_reaper_program,
                                    sandlock_reaper_program_size,
                                    MFD_CLOEXEC | MFD_EXEC, SANDLOCK_REAPER_SEALS, NULL);
}
#endif

/* Set for good once memfds proved not executable here (vm.memfd_noexec,
 * a security module): helpers are then forked, so that none stays in our
 * memory for the life of its sandbox. */
static gboolean reaper_unusable;

/* sandlock-reaper's program, in a sealed memfd made once and kept; -1
 * without one (not x86-64, or memfds not executable here). Checked at
 * each use: the application may have closed that descriptor, and its
 * number may name another file now. A passing failure is not cached. */
static int
reaper_program_fd (void)
{
  static GMutex lock;
  static int program_fd = -1;
  static struct stat program_stat;
  struct stat st;
  int fd;

  g_mutex_lock (&lock);
  if (program_fd >= 0 &&
      (fstat (program_fd, &st) != 0 || st.st_dev != program_stat.st_dev ||
       st.st_ino != program_stat.st_ino || fcntl (program_fd, F_GET_SEALS) != SANDLOCK_REAPER_SEALS))
    program_fd = -1;   /* not ours any more: not ours to close either */
#ifdef SANDLOCK_HAVE_REAPER
  if (program_fd < 0 && !g_atomic_int_get (&reaper_unusable))
    {
      program_fd = make_reaper_program_fd ();
      if (program_fd < 0 && (errno == EACCES || errno == EPERM))
        g_atomic_int_set (&reaper_unusable, TRUE);
      else if (program_fd >= 0 && fstat (program_fd, &program_stat) != 0)
        {
          close (program_fd);
          program_fd = -1;
        }
    }
#endif
  fd = g_atomic_int_get (&reaper_unusable) ? -1 : program_fd;
  g_mutex_unlock (&lock);
  return fd;
}

/* Counts the application's open descriptors, or -1 without /proc. */
static int
count_open_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  int count = 0;

  if (dir == NULL)
    return -1;
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.')
      count++;
  closedir (dir);
  return count - 1;   /* the directory's own */
}

/* Refuses, with nothing started, a spawn that would leave the application
 * fewer than SANDLOCK_FD_MARGIN descriptors below its soft RLIMIT_NOFILE,
 * so that what fails then is a spawn, with a clear error, and never the
 * application's own code. A running sandbox holds
 * SANDLOCK_FDS_PER_SANDBOX descriptors and one a pipe; the margin also
 * covers what a spawn holds for a moment (the helper's end of the control
 * socket, the command's pipe ends, a private main context's). Without
 * /proc nothing is counted and nothing is refused. */
static gboolean
check_descriptor_room (GSubprocessFlags   flags,
                       const char        *argv0,
                       GError           **error)
{
  struct rlimit limit;
  rlim_t margin;
  int needed = SANDLOCK_FDS_PER_SANDBOX;
  int open_fds;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      sandlock_kernel_no_fd_margin_for_testing ())
    return TRUE;
  margin = MAX (SANDLOCK_FD_MARGIN_MIN, limit.rlim_cur / SANDLOCK_FD_MARGIN_DIVISOR);
  if (flags & G_SUBPROCESS_FLAGS_STDIN_PIPE)
    needed++;
  if (flags & G_SUBPROCESS_FLAGS_STDOUT_PIPE)
    needed++;
  if (flags & G_SUBPROCESS_FLAGS_STDERR_PIPE)
    needed++;

  open_fds = count_open_fds ();
  if (open_fds < 0 || (rlim_t) open_fds + (rlim_t) needed + margin <= limit.rlim_cur)
    return TRUE;

  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_TOO_MANY_FILES,
               _("Not starting '%s': the application has %d descriptors open, and its "
                 "limit is %lu (RLIMIT_NOFILE); a sandbox holds %d while it runs, and "
                 "%lu are kept free for the application"),
               argv0, open_fds, (unsigned long) limit.rlim_cur, needed, (unsigned long) margin);
  return FALSE;
}

gboolean
sandlock_launch (SandlockPolicy               *policy,
                 const char * const           *argv,
                 GSubprocessFlags              flags,
                 const SandlockLaunchOptions  *options,
                 SandlockLaunch               *launch,
                 GError                      **error)
{
  const char *cwd = options != NULL && options->cwd != NULL ? options->cwd : policy->cwd;
  g_autofree char *exec_path = NULL;
  g_auto(GStrv) envp = NULL;
  SandlockStdio stdio;
  sandlock_autofd int terminal = -1;
  SandlockLaunchArea *area;
  SandlockChildArgs *args;
  gboolean shares_memory;
  int reaper_fd;
  int control_fds[2] = { -1, -1 };
  sigset_t all_signals, saved_mask;
  gboolean ok = FALSE;
  int fork_errno;
  pid_t pid;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);
  g_return_val_if_fail (launch != NULL, FALSE);

  sandlock_launch_init (launch);
  stdio.dev_null = -1;
  for (int i = 0; i < 3; i++)
    {
      stdio.child_ends[i] = stdio.parent_ends[i] = -1;
      stdio.child_end_is_pipe[i] = FALSE;
    }

  if (!check_descriptor_room (flags, argv[0], error))
    return FALSE;

  envp = sandlock_policy_build_envp (policy);
  if (options != NULL)
    envp = sandlock_environ_apply (envp, options->env);
  exec_path = resolve_executable (argv[0], cwd, g_environ_getenv (envp, "PATH"), error);
  if (exec_path == NULL)
    return FALSE;

  /* Ours until the helper has its copy: the application keeps no
   * descriptor of the terminal side once the spawn returns. */
  if (policy->pty && !sandlock_pty_open (argv[0], &launch->pty_fd, &terminal, error))
    goto out;

  if (!sandlock_stdio_setup (flags, options != NULL ? options->stdio_fds : NULL, terminal,
                             &stdio, error))
    goto out;

  /* SEQPACKET: the helper's answer is one message, which may carry
   * descriptors; MSG_NOSIGNAL writes never raise SIGPIPE. */
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control_fds) != 0 ||
      (control_fds[0] = sandlock_fd_above_stdio (control_fds[0])) < 0 ||
      (control_fds[1] = sandlock_fd_above_stdio (control_fds[1])) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: creating a socket failed: %s"),
                   argv[0], g_strerror (saved_errno));
      goto out;
    }

  /* A helper in our memory must be able to leave it (sandlock-reaper):
   * otherwise, fork it. */
  reaper_fd = -1;
  shares_memory = sandlock_clone_can_share_memory () && (reaper_fd = reaper_program_fd ()) >= 0;
  area = launch_area_new (policy, exec_path, argv, (const char * const *) envp, cwd, shares_memory,
                          &launch->area_base, &launch->area_size, error);
  if (area == NULL)
    goto out;
  launch->shared = &area->handshake;

  args = &area->args;
  args->source_fds[SANDLOCK_FD_STDIN] = stdio.child_ends[0];
  args->source_fds[SANDLOCK_FD_STDOUT] = stdio.child_ends[1];
  args->source_fds[SANDLOCK_FD_STDERR] = stdio.child_ends[2];
  args->source_fds[SANDLOCK_FD_CONTROL] = control_fds[0];
  args->source_fds[SANDLOCK_FD_RULESET] = policy->ruleset_fd;
  args->source_fds[SANDLOCK_FD_REAPER] = shares_memory ? reaper_fd : -1;
  args->source_fds[SANDLOCK_FD_CGROUP_KILL] = -1;
  args->source_fds[SANDLOCK_FD_TERMINAL] = terminal;
  args->new_session = terminal >= 0;
  if (options != NULL && options->n_passed > 0)
    {
      int highest = 0;

      g_assert (options->n_passed <= SANDLOCK_MAX_PASSED_FDS);
      args->n_passed = options->n_passed;
      for (guint j = 0; j < options->n_passed; j++)
        {
          args->passed_sources[j] = options->passed_sources[j];
          args->passed_targets[j] = options->passed_targets[j];
          highest = MAX (highest, options->passed_targets[j]);
        }
      /* The helper's own slots go above every target. */
      args->fd_offset = MAX (0, highest + 1 - SANDLOCK_FD_CONTROL);
    }
  args->exec_reaper = shares_memory;
  args->reaper_fails_for_testing =
    sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_REAPER);
  args->max_open_files = policy->max_open_files;
  args->listener_flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_WAIT_KILLABLE_RECV))
    {
      args->listener_flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
      args->retry_without_killable = TRUE;
    }
  args->stall_for_testing = sandlock_kernel_stall_setup_for_testing () > 0;
  args->hold_exec_msec = sandlock_kernel_hold_exec_for_testing ();
  args->timeout_ns = (guint64) policy->timeout_seconds * G_GUINT64_CONSTANT (1000000000);
  args->shared = launch->shared;
  if (!setup_limits (policy, launch, args, argv[0], error))
    goto out;

  /* As posix_spawn does: no signal may reach the application's handlers
   * in the helper before it has replaced them. */
  sigfillset (&all_signals);
  pthread_sigmask (SIG_SETMASK, &all_signals, &saved_mask);
  if (shares_memory)
    {
      unsigned long tls = sandlock_clone_thread_area_init (area->thread_area);

      pid = sandlock_clone (CLONE_VM | SIGCHLD, NULL, area->helper_stack_top, tls,
                            sandlock_launch_helper_start, area);
      fork_errno = pid < 0 ? -pid : 0;
    }
  else
    {
      pid = raw_fork ();
      fork_errno = errno;
      if (pid == 0)
        sandlock_launch_helper_main (area);
    }
  pthread_sigmask (SIG_SETMASK, &saved_mask, NULL);
  if (pid < 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Failed to start '%s' in the sandbox: fork: %s"),
                   argv[0], g_strerror (fork_errno));
      goto out;
    }

  /* The helper runs in the area (when it shares our memory) until it has
   * reaped the child and exited by itself. */
  launch->area_in_use = shares_memory;
  launch->helper_pid = pid;
  sandlock_clear_fd (&control_fds[0]);
  launch->control_fd = control_fds[1];
  control_fds[1] = -1;

  if (args->wait_for_go)
    finish_limits_with_scope (policy, launch, args, pid, launch->control_fd);

  if (!receive_from_helper (launch, argv[0], error))
    {
      abandon_helper (launch);
      goto out;
    }

  for (int i = 0; i < 3; i++)
    {
      int *ours = i == 0 ? &launch->stdin_fd : i == 1 ? &launch->stdout_fd : &launch->stderr_fd;

      *ours = stdio.parent_ends[i];
      stdio.parent_ends[i] = -1;
    }
  ok = TRUE;

out:
  /* The helper has its copy by now, or will never run. */
  sandlock_clear_fd (&launch->cgroup_kill_fd);
  sandlock_stdio_clear (&stdio);
  sandlock_clear_fd (&control_fds[0]);
  sandlock_clear_fd (&control_fds[1]);
  if (!ok)
    sandlock_launch_clear (launch);
  return ok;
}

gboolean
sandlock_launch_read_report (SandlockLaunch *launch)
{
  /* A helper that exited with our commands still queued leaves an error
   * for the first read, ahead of what it sent; a spawn given up on may
   * have left the helper's first message unread. */
  for (int i = 0; i < 3 && launch->control_fd >= 0 && !launch->exit_reported; i++)
    {
      SandlockHelperMessage message = { 0 };
      ssize_t n;

      while ((n = recv (launch->control_fd, &message, sizeof message, MSG_DONTWAIT)) < 0 &&
             errno == EINTR)
        ;
      if (n < 0 && errno == ECONNRESET)
        continue;
      if (n != (ssize_t) sizeof message)
        break;
      if (message.status == SANDLOCK_HELPER_EXITED)
        {
          launch->exit_reported = TRUE;
          launch->child_status = message.child_status;
          launch->timed_out = message.timed_out != 0;
          launch->cgroup_killed = message.cgroup_killed != 0;
        }
    }
  return launch->exit_reported;
}

void
sandlock_launch_helper_reaped (SandlockLaunch *launch,
                               int             helper_status)
{
  /* The helper's last message, SANDLOCK_HELPER_EXITED, says it has reaped every
   * process of the sandbox, the child included: nothing runs in the launch
   * area any more. (Not the wait status: it is unknown when someone else
   * reaped the helper.) Without it, as when the helper was killed from
   * outside, the child may have run in the area for a moment after the
   * helper died (until its PDEATHSIG landed): the area stays mapped, a few
   * pages, in that rare case only. */
  if (sandlock_launch_read_report (launch))
    launch->area_in_use = FALSE;
  else
    {
      /* Killed from outside: report it so, even when someone else reaped
       * the helper and its status is unknown (0). */
      launch->child_status = WIFSIGNALED (helper_status) ? helper_status : SIGKILL;
    }

  /* Every process of the sandbox is gone: its cgroup can go too. */
  if (launch->cgroup != NULL)
    {
      launch->oom_killed = sandlock_cgroup_get_oom_killed (launch->cgroup);
      launch->cpu_throttled = sandlock_cgroup_get_cpu_throttled (launch->cgroup);
      g_clear_pointer (&launch->cgroup, sandlock_cgroup_free);
    }
  g_clear_pointer (&launch->scope, sandlock_scope_free);

  if (launch->shared != NULL && __atomic_load_n (&launch->shared->reaper_failed, __ATOMIC_ACQUIRE))
    g_atomic_int_set (&reaper_unusable, TRUE);
}

gboolean
sandlock_launch_timed_out (const SandlockLaunch *launch)
{
  return launch->timed_out;
}

/* An empty launch: every descriptor -1 (0 is a descriptor, stdin). */
void
sandlock_launch_init (SandlockLaunch *launch)
{
  memset (launch, 0, sizeof *launch);
  launch->listener_fd = launch->control_fd = launch->cgroup_kill_fd = -1;
  launch->stdin_fd = launch->stdout_fd = launch->stderr_fd = -1;
  launch->pty_fd = -1;
}

void
sandlock_launch_clear (SandlockLaunch *launch)
{
  if (launch->listener_fd >= 0)
    sandlock_notif_forget_listener (launch->listener_fd);
  sandlock_clear_fd (&launch->listener_fd);
  sandlock_clear_fd (&launch->control_fd);
  sandlock_clear_fd (&launch->stdin_fd);
  sandlock_clear_fd (&launch->stdout_fd);
  sandlock_clear_fd (&launch->stderr_fd);
  sandlock_clear_fd (&launch->pty_fd);
  /* Not reaped: a cgroup that still holds processes stays (empty once the
   * helper, which the closed control socket told to, has killed them). */
  g_clear_pointer (&launch->cgroup, sandlock_cgroup_free);
  g_clear_pointer (&launch->scope, sandlock_scope_free);
  if (launch->area_base != NULL && !launch->area_in_use)
    munmap (launch->area_base, launch->area_size);
  launch->area_base = NULL;
  launch->shared = NULL;
}

int
sandlock_launch_child_status (const SandlockLaunch *launch)
{
  return launch->child_status;
}

char *
sandlock_launch_exec_error_message (const SandlockLaunch *launch,
                                    const char           *argv0)
{
  if (launch->shared == NULL ||
      __atomic_load_n (&launch->shared->state, __ATOMIC_ACQUIRE) != SANDLOCK_HANDSHAKE_EXEC_FAILED)
    return NULL;

  return g_strdup_printf ("Failed to execute '%s': %s", argv0,
                          g_strerror (launch->shared->exec_errno));
}
