/* sandlock-kernel.c: run-time kernel feature probes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "sandlock-compat-private.h"
#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-i18n-private.h"

/* Sanitizers keep per-thread state in TLS, which a process sharing our
 * memory would share too, or not have (its own thread area is bare). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define SANDLOCK_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
     __has_feature(memory_sanitizer) || __has_feature(hwaddress_sanitizer)
#  define SANDLOCK_ADDRESS_SANITIZER 1
# endif
#endif

#ifdef HAVE_VALGRIND
# include <valgrind/valgrind.h>
#endif

#if defined(HAVE_VALGRIND) && defined(__x86_64__)
# include <asm/prctl.h>

/* The functions below run on the real CPU, called through
 * VALGRIND_NON_SIMD_CALL1: bare syscall instructions, since libc (errno,
 * TLS) is out of reach there. */
static inline long
raw_syscall (long nr,
             long arg0,
             long arg1,
             long arg2,
             long arg3)
{
  return sandlock_raw_syscall (nr, arg0, arg1, arg2, arg3, 0, 0);
}

typedef struct {
  long nr;
  long args[4];
  long result;
} NativeCall;

static long
native_syscall (long  thread_id,
                void *data)
{
  NativeCall *call = data;

  call->result = raw_syscall (call->nr, call->args[0], call->args[1], call->args[2], call->args[3]);
  return 0;
}

typedef struct {
  unsigned long   flags;
  int            *pidfd;
  void          (*child_main) (gpointer data);
  gpointer        child_data;
  unsigned long   thread_pointer;
  long            result;
} NativeClone;

static long
native_clone (long  thread_id,
              void *data)
{
  NativeClone *call = data;
  long pid = raw_syscall (__NR_clone, (long) call->flags, 0, (long) call->pidfd, 0);

  if (pid == 0)
    {
      /* The child never goes back to valgrind: it runs the library's code
       * natively, with the thread pointer of the thread it copies (libc
       * needs it), until it execs or exits. */
      raw_syscall (__NR_arch_prctl, ARCH_SET_FS, (long) call->thread_pointer, 0, 0);
      call->child_main (call->child_data);
      raw_syscall (__NR_exit_group, 127, 0, 0, 0);
    }
  call->result = pid;
  return 0;
}

static long
native_result (long result)
{
  if (result < 0 && result > -4096)
    {
      errno = (int) -result;
      return -1;
    }
  return result;
}
#endif

long
sandlock_syscall (long nr,
                  long arg0,
                  long arg1,
                  long arg2,
                  long arg3)
{
#if defined(HAVE_VALGRIND) && defined(__x86_64__)
  if (G_UNLIKELY (RUNNING_ON_VALGRIND))
    {
      NativeCall call = { nr, { arg0, arg1, arg2, arg3 }, -ENOSYS };

      VALGRIND_NON_SIMD_CALL1 (native_syscall, &call);
      return native_result (call.result);
    }
#endif
  return syscall (nr, arg0, arg1, arg2, arg3);
}

#if !defined(SANDLOCK_ADDRESS_SANITIZER) && defined(__x86_64__)
/* clone(2) onto @stack_top without libc, so that nothing touches errno or
 * any other thread-local storage in either process: the child pops @fn and
 * @data off its new stack, calls @fn and exits if it returns. Returns the
 * pid in the parent, or -errno. */
static long
raw_clone (unsigned long   flags,
           char           *stack_top,
           int            *parent_tid,
           unsigned long   tls,
           void          (*fn) (gpointer data),
           gpointer        data)
{
  void **sp = (void **) ((guintptr) stack_top & ~(guintptr) 15);
  register long r10 __asm__ ("r10") = 0;   /* child_tid */
  register long r8 __asm__ ("r8") = (long) tls;
  long result;

  *--sp = data;
  *--sp = (void *) fn;
  __asm__ __volatile__ ("syscall\n\t"
                        "testq %%rax, %%rax\n\t"
                        "jnz 1f\n\t"
                        /* The child: the stack is 16-byte aligned again once
                         * both words are popped, as a call wants it. */
                        "xorl %%ebp, %%ebp\n\t"
                        "popq %%rax\n\t"
                        "popq %%rdi\n\t"
                        "callq *%%rax\n\t"
                        "movl %[exit_group], %%eax\n\t"
                        "movl $127, %%edi\n\t"
                        "syscall\n\t"
                        "hlt\n"
                        "1:"
                        : "=a" (result)
                        : "0" ((long) __NR_clone), "D" (flags), "S" (sp), "d" (parent_tid),
                          "r" (r10), "r" (r8), [exit_group] "i" (__NR_exit_group)
                        : "rcx", "r11", "memory");
  return result;
}
# define HAVE_RAW_CLONE 1
#elif !defined(SANDLOCK_ADDRESS_SANITIZER) && defined(SANDLOCK_HAVE_RAW_SYSCALL)
typedef struct {
  void     (*child_main) (gpointer data);
  gpointer   data;
} CloneStart;

static int
clone_start (void *data)
{
  CloneStart *start = data;

  start->child_main (start->data);
  _exit (127);
}
#endif

#if defined(HAVE_RAW_CLONE)
/* Whether a debugger traces us. It would take a clone sharing our memory
 * for a fork and remove its breakpoints from that "copy", which is ours. */
static gboolean
being_traced (void)
{
  char status[4096];
  const char *tracer;
  ssize_t n;
  sandlock_autofd int fd = -1;

  /* This thread's tracer: the clone would be reported to it. */
  fd = open ("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fd = open ("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  n = read (fd, status, sizeof status - 1);
  if (n <= 0)
    return FALSE;
  status[n] = '\0';
  tracer = strstr (status, "\nTracerPid:");
  return tracer != NULL && strtol (tracer + strlen ("\nTracerPid:"), NULL, 10) != 0;
}
#endif

gboolean
sandlock_clone_can_share_memory (void)
{
#if defined(HAVE_RAW_CLONE)
# if defined(HAVE_VALGRIND)
  if (RUNNING_ON_VALGRIND)
    return FALSE;
# endif
  return !sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_SHARED_MEMORY_HELPER) &&
         !being_traced ();
#else
  return FALSE;
#endif
}

unsigned long
sandlock_clone_thread_area_init (char *area)
{
#if defined(HAVE_RAW_CLONE)
  /* x86-64's TLS variant II: the thread pointer addresses the thread
   * control block, static TLS (errno) lies below it, libc's thread
   * structure above. The words libc and the compiler read: the block's own
   * address at 0 and 0x10, the stack protector's canary at 0x28, the
   * pointer guard at 0x30. */
  guintptr *tcb = (guintptr *) (area + SANDLOCK_CLONE_THREAD_AREA_SIZE / 2);
  guintptr canary, pointer_guard;

  __asm__ ("movq %%fs:0x28, %0" : "=r" (canary));
  __asm__ ("movq %%fs:0x30, %0" : "=r" (pointer_guard));
  tcb[0] = tcb[2] = (guintptr) tcb;
  tcb[5] = canary;
  tcb[6] = pointer_guard;
  return (unsigned long) tcb;
#else
  (void) area;
  return 0;
#endif
}

pid_t
sandlock_clone (unsigned long   flags,
                int            *pidfd,
                char           *stack_top,
                unsigned long   tls,
                void          (*child_main) (gpointer data),
                gpointer        data)
{
  long pid;

#if defined(HAVE_VALGRIND) && defined(__x86_64__)
  /* Valgrind refuses a clone that shares the descriptor table without
   * sharing memory: under it the child starts, and stays, outside. */
  if (G_UNLIKELY (RUNNING_ON_VALGRIND))
    {
      NativeClone call = { flags & ~(unsigned long) CLONE_VM, pidfd, child_main, data, 0, -ENOSYS };

      __asm__ ("mov %%fs:0, %0" : "=r" (call.thread_pointer));
      VALGRIND_NON_SIMD_CALL1 (native_clone, &call);
      return (pid_t) call.result;
    }
#endif

#if defined(HAVE_RAW_CLONE)
  if (tls != 0)
    flags |= CLONE_SETTLS;
  pid = raw_clone (flags, stack_top, pidfd, tls, child_main, data);
  return (pid_t) pid;   /* -errno: the caller may not touch errno */
#elif defined(SANDLOCK_ADDRESS_SANITIZER) || !defined(SANDLOCK_HAVE_RAW_SYSCALL)
  /* AddressSanitizer keeps per-thread state in TLS, which a CLONE_VM child
   * would share with its parent while running on a stack ASan does not
   * know: fork-like in sanitizer builds (same child code, copied memory).
   * So without raw syscalls, with which the child leaves errno alone. */
  (void) stack_top;
  (void) tls;
  pid = syscall (__NR_clone, flags & ~(unsigned long) CLONE_VM, 0, pidfd, 0, 0);
  if (pid == 0)
    {
      child_main (data);
      _exit (127);
    }
  return pid < 0 ? -errno : (pid_t) pid;
#else
  {
    /* glibc's clone(): only from a process that does not share the
     * application's memory (see sandlock_clone_can_share_memory()), since
     * it sets errno when it fails. The start record must outlive this
     * frame: it sits on the child's stack. */
    CloneStart *start = (CloneStart *) (stack_top - 64);

    (void) tls;
    start->child_main = child_main;
    start->data = data;
    pid = clone (clone_start, (char *) start, (int) flags, start, pidfd);
    return pid < 0 ? -errno : (pid_t) pid;
  }
#endif
}

static guint
test_disabled_features (void)
{
  static gsize once = 0;
  static guint disabled = 0;

  if (g_once_init_enter (&once))
    {
      /* secure_getenv: a setuid program never takes test hooks from its
       * caller. */
      const char *spec = secure_getenv ("SANDLOCK_TEST_DISABLE");
      guint value = 0;

      if (spec != NULL)
        {
          g_auto(GStrv) names = g_strsplit (spec, ",", -1);

          for (guint i = 0; names[i] != NULL; i++)
            {
              const char *name = g_strstrip (names[i]);

              if (g_str_equal (name, "sync-wake-up"))
                value |= SANDLOCK_FEATURE_SYNC_WAKE_UP;
              else if (g_str_equal (name, "wait-killable-recv"))
                value |= SANDLOCK_FEATURE_WAIT_KILLABLE_RECV;
              else if (g_str_equal (name, "addfd-send"))
                value |= SANDLOCK_FEATURE_ADDFD_SEND;
              else if (g_str_equal (name, "id-valid"))
                value |= SANDLOCK_FEATURE_ID_VALID;
              else if (g_str_equal (name, "shared-memory-helper"))
                value |= SANDLOCK_FEATURE_SHARED_MEMORY_HELPER;
              else if (g_str_equal (name, "reaper"))
                value |= SANDLOCK_FEATURE_REAPER;
              else if (g_str_equal (name, "executable-memfd"))
                value |= SANDLOCK_FEATURE_EXECUTABLE_MEMFD;
              else if (g_str_equal (name, "memfd-noexec-seal"))
                value |= SANDLOCK_FEATURE_MEMFD_NOEXEC_SEAL;
              else if (g_str_equal (name, "metadata-guard"))
                value |= SANDLOCK_FEATURE_METADATA_GUARD;
              else if (g_str_equal (name, "process-pidfd"))
                value |= SANDLOCK_FEATURE_PROCESS_PIDFD;
              else if (g_str_equal (name, "dispatch-hub"))
                value |= SANDLOCK_FEATURE_DISPATCH_HUB;
              else if (g_str_equal (name, "cgroup"))
                value |= SANDLOCK_FEATURE_CGROUP;
              else if (*name != '\0')
                g_warning ("SANDLOCK_TEST_DISABLE: unknown feature '%s'", name);
            }
        }

      disabled = value;
      g_once_init_leave (&once, 1);
    }

  return disabled;
}

gboolean
sandlock_kernel_feature_disabled_for_testing (SandlockFeature feature)
{
  return (test_disabled_features () & feature) != 0;
}

/* A test hook's number of milliseconds, or 0 when unset or not one. */
static guint
msec_from_environment (const char *name)
{
  const char *spec = secure_getenv (name);
  guint64 value = 0;

  if (spec != NULL && *spec != '\0' &&
      !g_ascii_string_to_unsigned (spec, 10, 1, G_MAXINT, &value, NULL))
    g_warning ("%s: not a number of milliseconds: '%s'", name, spec);
  return (guint) value;
}

/* msec_from_environment(), read once: the hooks are read in hot paths. */
typedef struct {
  gsize  once;
  guint  msec;
} MsecHook;

static guint
msec_hook (MsecHook   *hook,
           const char *name)
{
  if (g_once_init_enter (&hook->once))
    {
      hook->msec = msec_from_environment (name);
      g_once_init_leave (&hook->once, 1);
    }
  return hook->msec;
}

guint
sandlock_kernel_stall_setup_for_testing (void)
{
  static MsecHook hook;

  return msec_hook (&hook, "SANDLOCK_TEST_STALL_SETUP");
}

guint
sandlock_kernel_hold_exec_for_testing (void)
{
  static MsecHook hook;

  return msec_hook (&hook, "SANDLOCK_TEST_HOLD_EXEC");
}

gboolean
sandlock_kernel_no_fd_margin_for_testing (void)
{
  /* Not cached: a test sets it for one case of several in a process. */
  const char *value = secure_getenv ("SANDLOCK_TEST_NO_FD_MARGIN");

  return value != NULL && *value != '\0' && !g_str_equal (value, "0");
}

guint
sandlock_kernel_flood_restore_for_testing (void)
{
  static MsecHook hook;

  return msec_hook (&hook, "SANDLOCK_TEST_FLOOD_RESTORE_MSEC");
}

int
sandlock_kernel_landlock_abi (void)
{
  static gsize once = 0;
  static int abi = 0;

  if (g_once_init_enter (&once))
    {
      long value = sandlock_sys_landlock_create_ruleset (NULL, 0,
                                                         LANDLOCK_CREATE_RULESET_VERSION);
      const char *pretend = secure_getenv ("SANDLOCK_TEST_LANDLOCK_ABI");

      if (value < 0)
        value = 0;

      if (pretend != NULL && *pretend != '\0')
        {
          char *end = NULL;
          long lower = strtol (pretend, &end, 10);

          if (end != NULL && *end == '\0' && lower >= 0)
            value = MIN (value, lower);
          else
            g_warning ("SANDLOCK_TEST_LANDLOCK_ABI: not a number: '%s'", pretend);
        }

      abi = (int) value;
      g_once_init_leave (&once, 1);
    }

  return abi;
}

static struct seccomp_notif_sizes notif_sizes;

static void
probe_notif_sizes (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      if (sandlock_sys_seccomp (SECCOMP_GET_NOTIF_SIZES, 0, &notif_sizes) != 0)
        memset (&notif_sizes, 0, sizeof notif_sizes);
      g_once_init_leave (&once, 1);
    }
}

const struct seccomp_notif_sizes *
sandlock_kernel_notif_sizes (void)
{
  probe_notif_sizes ();
  return &notif_sizes;
}

gboolean
sandlock_kernel_has_user_notif (void)
{
  probe_notif_sizes ();
  return notif_sizes.seccomp_notif != 0;
}

gboolean
sandlock_kernel_has_notif_continue (int listener_fd)
{
  static int supported = -1;   /* atomic: -1 unknown, 0 no, 1 yes */
  int value = g_atomic_int_get (&supported);

  if (value < 0)
    {
      struct seccomp_notif_resp resp = {
        .id = G_MAXUINT64,
        .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
      };

      /* Kernels with the flag check it before looking the id up, and fail
       * an unknown id with ENOENT; older ones refuse any flag with EINVAL.
       * No notification has this id (ids count up from a random start):
       * make sure before answering it. */
      if (sandlock_notif_id_valid (listener_fd, resp.id) != -ENOENT)
        return TRUE;   /* cannot tell now; ask again next time */
      value = ioctl (listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0 && errno == ENOENT;
      g_atomic_int_set (&supported, value);
    }

  return value == 1;
}

int
sandlock_notif_id_valid (int     listener_fd,
                         guint64 id)
{
  if (!sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_ID_VALID))
    {
      if (ioctl (listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0)
        return 0;
      if (errno != EINVAL)
        return -errno;
    }

  /* Kernels before 5.7 know the ioctl under a number with the wrong
   * direction bits only. */
  if (ioctl (listener_fd, SANDLOCK_SECCOMP_IOCTL_NOTIF_ID_VALID_OLD, &id) == 0)
    return 0;
  return -errno;
}

/* @fd (taken), opened for the thread of @request, above 2, when the
 * notification is still pending afterwards, so that the pid it was opened
 * by was the trapping thread's, not a reused one; else -1 with errno
 * (ESRCH when the notification is gone). */
static int
still_pending (int                         listener_fd,
               const struct seccomp_notif *request,
               int                         fd)
{
  sandlock_autofd int owned = sandlock_fd_above_stdio (fd);

  if (owned < 0)
    return -1;
  if (sandlock_notif_id_valid (listener_fd, request->id) != 0)
    {
      errno = ESRCH;
      return -1;
    }
  return g_steal_fd (&owned);
}

int
sandlock_notif_open_pidfd (int                         listener_fd,
                           const struct seccomp_notif *request)
{
  sandlock_autofd int pidfd = -1;

  if (request->pid <= 0)
    {
      errno = ESRCH;
      return -1;
    }

  /* A thread that does not lead its group: EINVAL before Linux 6.9 (no
   * PIDFD_THREAD there either), ENOENT since, unless PIDFD_THREAD. */
  pidfd = sandlock_sys_pidfd_open ((pid_t) request->pid, 0);
  if (pidfd < 0 && (errno == EINVAL || errno == ENOENT))
    pidfd = sandlock_sys_pidfd_open ((pid_t) request->pid, PIDFD_THREAD);
  return still_pending (listener_fd, request, g_steal_fd (&pidfd));
}

/* The pidfd that sandlock_notif_take_fd() opened last, kept for the next
 * notification of the same thread: a command restoring files (tar -x)
 * makes thousands of descriptor calls in a row, and opening and closing a
 * pidfd for each was two of the some ten syscalls the supervisor makes per
 * trapped call (issue 18).
 *
 * Why a pidfd kept from an earlier notification is as good as a fresh one:
 * it was opened for thread id @pid, and refers to that very task for ever
 * (the number may go to another task once this one is reaped, the pidfd
 * never does). pidfd_getfd() through it succeeds only while that task is
 * alive with its descriptor table. When it succeeds and the notification
 * is pending afterwards (SECCOMP_IOCTL_NOTIF_ID_VALID, after the copy),
 * the trapping thread was alive, with id @pid, all along from the receipt
 * of the notification to that check, the moment of the copy included: two
 * live tasks never share an id, so the copy is the trapping thread's.
 * Otherwise (another thread, a dead task, a bad descriptor) the slow path
 * opens a fresh pidfd as before, and keeps it instead.
 *
 * Keyed by the listener too, so that the launch closing a listener closes
 * the pidfd kept for it (sandlock_notif_forget_listener()): nothing stays
 * open once a sandbox is done. The lock keeps a worker thread's copy from
 * racing the replacement or the forgetting of the pidfd it uses. */
static GMutex pidfd_cache_lock;
static struct {
  int   listener_fd;
  pid_t pid;
  int   pidfd;
} pidfd_cache = { -1, 0, -1 };

/* @fd (taken), a copy of the trapping thread's descriptor through a kept
 * pidfd, once the notification is known still pending; else -1. */
static int
copy_through_kept_pidfd (int                         listener_fd,
                         const struct seccomp_notif *request,
                         int                         child_fd)
{
  sandlock_autofd int copy = -1;

  g_mutex_lock (&pidfd_cache_lock);
  if (pidfd_cache.pidfd >= 0 && pidfd_cache.listener_fd == listener_fd &&
      pidfd_cache.pid == (pid_t) request->pid)
    copy = sandlock_fd_above_stdio (sandlock_sys_pidfd_getfd (pidfd_cache.pidfd, child_fd, 0));
  g_mutex_unlock (&pidfd_cache_lock);
  if (copy < 0)
    return -1;
  /* After the copy, never before: see pidfd_cache. */
  return still_pending (listener_fd, request, g_steal_fd (&copy));
}

static void
keep_pidfd (int                         listener_fd,
            const struct seccomp_notif *request,
            int                         pidfd)
{
  sandlock_autofd int old = -1;

  g_mutex_lock (&pidfd_cache_lock);
  old = pidfd_cache.pidfd;
  pidfd_cache.listener_fd = listener_fd;
  pidfd_cache.pid = (pid_t) request->pid;
  pidfd_cache.pidfd = pidfd;
  g_mutex_unlock (&pidfd_cache_lock);
}

void
sandlock_notif_forget_listener (int listener_fd)
{
  sandlock_autofd int old = -1;

  g_mutex_lock (&pidfd_cache_lock);
  if (pidfd_cache.listener_fd == listener_fd)
    {
      old = pidfd_cache.pidfd;
      pidfd_cache.listener_fd = -1;
      pidfd_cache.pid = 0;
      pidfd_cache.pidfd = -1;
    }
  g_mutex_unlock (&pidfd_cache_lock);
}

int
sandlock_notif_take_fd (int                         listener_fd,
                        const struct seccomp_notif *request,
                        int                         child_fd)
{
  sandlock_autofd int pidfd = -1;
  int copy, saved_errno;

  if (request->pid <= 0)
    {
      errno = ESRCH;
      return -1;
    }
  if (child_fd < 0)
    {
      errno = EBADF;
      return -1;
    }
  copy = copy_through_kept_pidfd (listener_fd, request, child_fd);
  if (copy >= 0)
    return copy;

  pidfd = sandlock_notif_open_pidfd (listener_fd, request);
  if (pidfd < 0)
    return -1;
  copy = sandlock_fd_above_stdio (sandlock_sys_pidfd_getfd (pidfd, child_fd, 0));
  saved_errno = errno;
  keep_pidfd (listener_fd, request, g_steal_fd (&pidfd));
  errno = saved_errno;
  return copy;
}

int
sandlock_notif_open_proc_link (int                         listener_fd,
                               const struct seccomp_notif *request,
                               const char                 *what)
{
  g_autofree char *path = NULL;

  if (request->pid <= 0)
    {
      errno = ESRCH;
      return -1;
    }
  path = g_strdup_printf ("/proc/%u/%s", request->pid, what);
  return still_pending (listener_fd, request, open (path, O_PATH | O_DIRECTORY | O_CLOEXEC));
}

ssize_t
sandlock_read_child_memory (pid_t    pid,
                            guint64  address,
                            void    *buffer,
                            gsize    length)
{
  struct iovec local = { .iov_base = buffer, .iov_len = length };
  struct iovec remote = { .iov_base = (void *) (guintptr) address, .iov_len = length };

  return process_vm_readv (pid, &local, 1, &remote, 1, 0);
}

/* The errno of a read or write of the command's memory that moved nothing
 * (@n 0) or failed (@n < 0, errno set): ESRCH once the call is no longer
 * pending (its thread died or was interrupted), else EFAULT, or ESRCH as
 * the kernel said. errno is taken before the check, which may change it. */
static int
child_memory_errno (int                         listener_fd,
                    const struct seccomp_notif *request,
                    ssize_t                     n)
{
  int saved_errno = n < 0 ? errno : EFAULT;

  if (sandlock_notif_id_valid (listener_fd, request->id) != 0)
    return ESRCH;
  return saved_errno == ESRCH ? ESRCH : EFAULT;
}

gboolean
sandlock_notif_read_memory (int                         listener_fd,
                            const struct seccomp_notif *request,
                            guint64                     address,
                            void                       *buffer,
                            gsize                       length)
{
  gsize done = 0;

  if (request->pid <= 0)
    {
      errno = ESRCH;
      return FALSE;
    }
  while (done < length)
    {
      ssize_t n = sandlock_read_child_memory ((pid_t) request->pid, address + done,
                                     (char *) buffer + done, length - done);

      if (n <= 0)
        {
          errno = child_memory_errno (listener_fd, request, n);
          return FALSE;
        }
      done += (gsize) n;
    }
  if (sandlock_notif_id_valid (listener_fd, request->id) != 0)
    {
      errno = ESRCH;
      return FALSE;
    }
  return TRUE;
}

gboolean
sandlock_notif_write_memory (int                         listener_fd,
                             const struct seccomp_notif *request,
                             guint64                     address,
                             const void                 *buffer,
                             gsize                       length)
{
  gsize done = 0;

  if (request->pid <= 0 || sandlock_notif_id_valid (listener_fd, request->id) != 0)
    {
      errno = ESRCH;
      return FALSE;
    }
  while (done < length)
    {
      struct iovec local = { (char *) buffer + done, length - done };
      struct iovec remote = { (void *) (uintptr_t) (address + done), length - done };
      ssize_t n = process_vm_writev ((pid_t) request->pid, &local, 1, &remote, 1, 0);

      if (n <= 0)
        {
          errno = child_memory_errno (listener_fd, request, n);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

char *
sandlock_read_child_string (pid_t     pid,
                            guint64   address,
                            gsize     max_length,
                            guint64  *failed_at)
{
  static gsize page_size = 0;
  g_autoptr(GByteArray) text = g_byte_array_new ();
  guint8 chunk[4096];
  guint64 cursor = address;
  gsize remaining = max_length;

  if (g_once_init_enter (&page_size))
    g_once_init_leave (&page_size, (gsize) MAX (sysconf (_SC_PAGESIZE), 1));

  /* Page by page, so that a string ending just before an unmapped page
   * still reads; grown as read, so a large @max_length costs nothing. */
  while (remaining > 0)
    {
      gsize to_boundary = page_size - (gsize) (cursor % page_size);
      gsize want = MIN (MIN (remaining, to_boundary), sizeof chunk);
      const guint8 *nul;
      ssize_t n = sandlock_read_child_memory (pid, cursor, chunk, want);

      if (n <= 0)
        {
          if (n == 0)
            errno = EFAULT;
          if (failed_at != NULL)
            *failed_at = cursor;
          return NULL;
        }
      nul = memchr (chunk, '\0', (gsize) n);
      if (nul != NULL)
        {
          g_byte_array_append (text, chunk, (guint) (nul - chunk + 1));
          return (char *) g_byte_array_free (g_steal_pointer (&text), FALSE);
        }
      g_byte_array_append (text, chunk, (guint) n);
      cursor += (guint64) n;
      remaining -= (gsize) n;
    }
  errno = ENAMETOOLONG;
  return NULL;
}

char *
sandlock_notif_read_string (int                         listener_fd,
                            const struct seccomp_notif *request,
                            guint64                     address,
                            gsize                       max_length)
{
  g_autofree char *text = NULL;

  if (request->pid <= 0)
    {
      errno = ESRCH;
      return NULL;
    }
  if (address == 0)
    {
      errno = EFAULT;
      return NULL;
    }
  text = sandlock_read_child_string ((pid_t) request->pid, address, max_length, NULL);
  if (text == NULL && errno == ENAMETOOLONG)
    return NULL;
  /* Read while the notification was pending, or a failure: which. */
  if (sandlock_notif_id_valid (listener_fd, request->id) != 0)
    {
      errno = ESRCH;
      return NULL;
    }
  if (text == NULL)
    errno = EFAULT;
  return g_steal_pointer (&text);
}

/* Syscalls newer than the libseccomp the library may be built with (Debian
 * 12 has 2.5.4), by their numbers, which are the same on every
 * architecture (sandlock-compat-private.h). */
static const struct {
  const char *name;
  int         nr;
} newer_syscalls[] = {
  { "fchmodat2", __NR_fchmodat2 },
  { "futex_requeue", __NR_futex_requeue },
  { "setxattrat", __NR_setxattrat },
  { "getxattrat", __NR_getxattrat },
  { "listxattrat", __NR_listxattrat },
  { "removexattrat", __NR_removexattrat },
  { "open_tree_attr", __NR_open_tree_attr },
  { "file_getattr", __NR_file_getattr },
  { "file_setattr", __NR_file_setattr },
};

int
sandlock_kernel_syscall_nr (const char *name)
{
  int nr = seccomp_syscall_resolve_name (name);

  if (nr != __NR_SCMP_ERROR)
    return nr;
  for (gsize i = 0; i < G_N_ELEMENTS (newer_syscalls); i++)
    if (g_str_equal (name, newer_syscalls[i].name))
      return newer_syscalls[i].nr;
  return __NR_SCMP_ERROR;
}

char *
sandlock_kernel_syscall_name (int nr)
{
  char *resolved = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);

  if (resolved != NULL)
    {
      char *name = g_strdup (resolved);

      free (resolved);
      return name;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (newer_syscalls); i++)
    if (newer_syscalls[i].nr == nr)
      return g_strdup (newer_syscalls[i].name);
  return NULL;
}

void
sandlock_kernel_prepare_libseccomp (void)
{
#if defined(HAVE_VALGRIND) && defined(__x86_64__)
  static gsize once = 0;

  /* libseccomp probes the kernel's features with the seccomp syscall,
   * which valgrind answers ENOSYS: tell it the level this kernel has (3:
   * SECCOMP_RET_KILL_PROCESS, 5: user notifications). */
  if (g_once_init_enter (&once))
    {
      if (RUNNING_ON_VALGRIND && sandlock_kernel_has_user_notif ())
        seccomp_api_set (5);
      g_once_init_leave (&once, 1);
    }
#endif
}

int
sandlock_fd_above_stdio (int fd)
{
  int moved, saved_errno;

  if (fd < 0 || fd > 2)
    return fd;
  moved = fcntl (fd, F_DUPFD_CLOEXEC, 3);
  saved_errno = errno;
  close (fd);
  errno = saved_errno;
  return moved;
}

gboolean
sandlock_landlock_add_path_rule (int          ruleset_fd,
                                 int          fd,
                                 guint64      rights,
                                 const char  *what,
                                 const char  *path,
                                 GError     **error)
{
  struct sandlock_landlock_path_beneath_attr attr = { .allowed_access = rights, .parent_fd = fd };

  if (sandlock_sys_landlock_add_rule (ruleset_fd, SANDLOCK_LANDLOCK_RULE_PATH_BENEATH,
                                      &attr, 0) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Adding the Landlock rule for %s '%s' failed: %s"),
                   what, path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
sandlock_landlock_add_port_rule (int          ruleset_fd,
                                 guint64      right,
                                 guint        port,
                                 const char  *what,
                                 GError     **error)
{
  struct sandlock_landlock_net_port_attr attr = { .allowed_access = right, .port = port };

  if (sandlock_sys_landlock_add_rule (ruleset_fd, SANDLOCK_LANDLOCK_RULE_NET_PORT,
                                      &attr, 0) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Adding the Landlock rule for %s port %u failed: %s"),
                   what, port, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

int
sandlock_memfd_new_sealed (const char  *name,
                           const void  *data,
                           gsize        size,
                           guint        memfd_flags,
                           guint        seals,
                           GError     **error)
{
  const char *step = "memfd_create";
  sandlock_autofd int fd = -1;
  gsize written = 0;
  int saved_errno;

  memfd_flags |= MFD_ALLOW_SEALING;
  fd = memfd_create (name, memfd_flags);
  /* MFD_EXEC (Linux 6.3): older kernels do not know it, and their memfds
   * are executable anyway. */
  if (fd < 0 && errno == EINVAL && (memfd_flags & MFD_EXEC) != 0)
    fd = memfd_create (name, memfd_flags & ~MFD_EXEC);
  fd = sandlock_fd_above_stdio (fd);
  if (fd < 0)
    goto failed;

  step = "write";
  while (written < size)
    {
      ssize_t n = write (fd, (const guint8 *) data + written, size - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          goto failed;
        }
      written += (gsize) n;
    }

  step = "lseek";
  if (lseek (fd, 0, SEEK_SET) != 0)
    goto failed;

  step = "F_ADD_SEALS";
  if (fcntl (fd, F_ADD_SEALS, seals) != 0)
    goto failed;

  return g_steal_fd (&fd);

failed:
  saved_errno = errno;
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
               _("Creating the memory file '%s' failed: %s: %s"),
               name, step, g_strerror (saved_errno));
  errno = saved_errno;
  return -1;
}


gboolean
sandlock_thread_lower_capabilities (SandlockSavedCapabilities *saved)
{
  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
  struct __user_cap_data_struct data[2] = { { 0 } };

  saved->lowered = FALSE;
  /* Per thread: the raw calls, not libcap or the C library's setxid
   * broadcast to every thread. */
  if (syscall (SYS_capget, &header, data) != 0)
    return FALSE;
  saved->effective[0] = data[0].effective;
  saved->effective[1] = data[1].effective;
  if (data[0].effective == 0 && data[1].effective == 0)
    return TRUE;
  data[0].effective = 0;
  data[1].effective = 0;
  if (syscall (SYS_capset, &header, data) != 0)
    return FALSE;
  saved->lowered = TRUE;
  return TRUE;
}

void
sandlock_thread_restore_capabilities (const SandlockSavedCapabilities *saved)
{
  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  int saved_errno = errno;

  if (!saved->lowered)
    return;
  if (syscall (SYS_capget, &header, data) == 0)
    {
      data[0].effective = saved->effective[0];
      data[1].effective = saved->effective[1];
      if (syscall (SYS_capset, &header, data) != 0)
        g_warning ("Could not restore the effective capabilities of a thread: %s",
                   g_strerror (errno));
    }
  errno = saved_errno;
}
