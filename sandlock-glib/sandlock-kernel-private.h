/* sandlock-kernel-private.h: raw syscalls and run-time kernel feature probes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandlock-compat-private.h"

G_BEGIN_DECLS

/* A syscall that returns -errno and leaves errno alone: for a child
 * sharing its parent's memory, errno (thread-local storage) included. On
 * architectures without an implementation here sandlock_clone() does not
 * share memory, and errno is the child's own. Async-signal-safe. */
#if defined(__x86_64__)
# define SANDLOCK_HAVE_RAW_SYSCALL 1
static inline long
sandlock_raw_syscall (long nr, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5)
{
  register long r10 __asm__ ("r10") = arg3;
  register long r8 __asm__ ("r8") = arg4;
  register long r9 __asm__ ("r9") = arg5;
  long result;

  __asm__ __volatile__ ("syscall"
                        : "=a" (result)
                        : "a" (nr), "D" (arg0), "S" (arg1), "d" (arg2), "r" (r10), "r" (r8), "r" (r9)
                        : "rcx", "r11", "memory");
  return result;
}
#elif defined(__aarch64__)
# define SANDLOCK_HAVE_RAW_SYSCALL 1
static inline long
sandlock_raw_syscall (long nr, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5)
{
  register long x8 __asm__ ("x8") = nr;
  register long x0 __asm__ ("x0") = arg0;
  register long x1 __asm__ ("x1") = arg1;
  register long x2 __asm__ ("x2") = arg2;
  register long x3 __asm__ ("x3") = arg3;
  register long x4 __asm__ ("x4") = arg4;
  register long x5 __asm__ ("x5") = arg5;

  __asm__ __volatile__ ("svc 0"
                        : "+r" (x0)
                        : "r" (x8), "r" (x1), "r" (x2), "r" (x3), "r" (x4), "r" (x5)
                        : "memory");
  return x0;
}
#else
# include <errno.h>
static inline long
sandlock_raw_syscall (long nr, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5)
{
  long result = syscall (nr, arg0, arg1, arg2, arg3, arg4, arg5);

  return result == -1 ? -errno : result;
}
#endif

/* sandlock_sys (nr, args...): sandlock_raw_syscall() with up to six
 * arguments of any integer or pointer type. The helper, the reaper and the
 * child until it execs reach the kernel only through it: it returns -errno
 * and leaves errno alone, and before it execs the reaper the helper may
 * run in the application's memory, where errno belongs to one of its
 * threads. */
#define sandlock_sys_(nr, a, b, c, d, e, f, ...) \
  sandlock_raw_syscall ((nr), (long) (a), (long) (b), (long) (c), (long) (d), (long) (e), (long) (f))
#define sandlock_sys(...) sandlock_sys_ (__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)

/* Every raw syscall below goes through sandlock_syscall(): it is
 * syscall(2), except under valgrind, which answers the syscalls it does not
 * know (seccomp, pidfd_*, landlock_* in valgrind 3.19) with ENOSYS; there
 * they run on the real CPU instead, so the test suites can run under
 * memcheck. Async-signal-safe. */
long sandlock_syscall (long nr,
                       long arg0,
                       long arg1,
                       long arg2,
                       long arg3);

/* clone(2) with @flags: the child runs @child_main (which must exec or
 * exit) on the stack below @stack_top; CLONE_PIDFD stores into @pidfd; a
 * non-zero @tls (from sandlock_clone_thread_area_init()) becomes the
 * child's thread pointer. Returns the child's pid, or -errno; errno is left
 * alone. With CLONE_VM the two share memory, errno included, so neither may
 * read errno while the other runs: use sandlock_raw_syscall(). Under
 * valgrind, which cannot follow such a child, in AddressSanitizer builds
 * and without SANDLOCK_HAVE_RAW_SYSCALL, CLONE_VM is dropped: a fork-like
 * clone (under valgrind the child runs natively from there on, as the
 * command does after exec). Async-signal-safe. */
pid_t sandlock_clone   (unsigned long   flags,
                        int            *pidfd,
                        char           *stack_top,
                        unsigned long   tls,
                        void          (*child_main) (gpointer data),
                        gpointer        data);

/* Whether a helper process may share this one's memory: x86-64, where
 * sandlock_clone() makes the clone without libc and gives the child a
 * thread pointer of its own; not under valgrind or a sanitizer, not while
 * a debugger traces us, nor with SANDLOCK_TEST_DISABLE=shared-memory-helper. */
gboolean sandlock_clone_can_share_memory (void);

/* Sets up @area, SANDLOCK_CLONE_THREAD_AREA_SIZE bytes of zeroes (fresh
 * from mmap(): only the pages written are ever touched), as the thread-local
 * storage of a process that shares this one's memory, and returns its
 * thread pointer for sandlock_clone(): the process then reads no thread's
 * storage but its own (the stack protector's canary is copied), so it
 * outlives the thread that made it. 0 where not needed. */
#define SANDLOCK_CLONE_THREAD_AREA_SIZE (16 * 1024)
unsigned long sandlock_clone_thread_area_init (char *area);

/* Raw syscall wrappers: glibc 2.36 has some of them, older ones do not, and
 * the child between fork and exec must not depend on libc internals. */
static inline int
sandlock_sys_pidfd_open (pid_t pid, unsigned int flags)
{
  return (int) sandlock_syscall (__NR_pidfd_open, pid, flags, 0, 0);
}

static inline int
sandlock_sys_pidfd_getfd (int pidfd, int targetfd, unsigned int flags)
{
  return (int) sandlock_syscall (__NR_pidfd_getfd, pidfd, targetfd, flags, 0);
}

static inline int
sandlock_sys_pidfd_send_signal (int pidfd, int sig)
{
  return (int) sandlock_syscall (__NR_pidfd_send_signal, pidfd, sig, 0, 0);
}

static inline int
sandlock_sys_seccomp (unsigned int op, unsigned int flags, void *args)
{
  return (int) sandlock_syscall (__NR_seccomp, op, flags, (long) args, 0);
}

static inline int
sandlock_sys_landlock_create_ruleset (const void *attr, size_t size, guint32 flags)
{
  return (int) sandlock_syscall (__NR_landlock_create_ruleset, (long) attr, (long) size, flags, 0);
}

static inline int
sandlock_sys_landlock_add_rule (int ruleset_fd, int rule_type, const void *attr, guint32 flags)
{
  return (int) sandlock_syscall (__NR_landlock_add_rule, ruleset_fd, rule_type, (long) attr, flags);
}

static inline int
sandlock_sys_landlock_restrict_self (int ruleset_fd, guint32 flags)
{
  return (int) sandlock_syscall (__NR_landlock_restrict_self, ruleset_fd, flags, 0, 0);
}

/* Test hooks, read once from the environment (documented in
 * docs/testing.md; never needed in production):
 *   SANDLOCK_TEST_LANDLOCK_ABI=N   pretend the kernel's Landlock ABI is at
 *                                  most N (0 = no Landlock)
 *   SANDLOCK_TEST_DISABLE=a,b      pretend the kernel lacks features:
 *                                  sync-wake-up, wait-killable-recv,
 *                                  addfd-send, id-valid (the ioctl's
 *                                  number of Linux 5.7); and
 *                                  shared-memory-helper: fork the helper
 *                                  (as valgrind and ASan builds do);
 *                                  reaper: the helper's exec of
 *                                  sandlock-reaper fails, and it
 *                                  supervises in place;
 *                                  executable-memfd: no memfd may be
 *                                  executed (helpers are then forked);
 *                                  memfd-noexec-seal: the kernel lacks
 *                                  MFD_NOEXEC_SEAL (Linux 6.3): the
 *                                  memfd guard answers ENOSYS;
 *                                  metadata-guard: the metadata guard
 *                                  does not apply (removes a protection:
 *                                  for the benchmark only);
 *                                  process-pidfd: the supervisor opens no
 *                                  pidfd of a sandbox's first process or
 *                                  helper (as without pidfd_open, Linux
 *                                  5.3): signals go through the helper,
 *                                  and its exit is polled;
 *                                  dispatch-hub: each listener is polled
 *                                  by its own source and drained a batch
 *                                  at a time, as when the context's hub
 *                                  cannot be made (no epoll descriptor)
 *   SANDLOCK_TEST_STALL_SETUP=MS   the child stops itself (SIGSTOP) during
 *                                  its set-up, and the spawn gives up
 *                                  waiting for it after MS milliseconds
 *   SANDLOCK_TEST_HOLD_EXEC=MS     the child execs MS milliseconds after the
 *                                  spawn has returned (a busy wait)
 *   SANDLOCK_TEST_FLOOD_RESTORE_MSEC=MS  a flooded listener stays at idle
 *                                  priority for MS milliseconds, not 1
 *   SANDLOCK_TEST_NO_FD_MARGIN=1   a spawn keeps no descriptors free for
 *                                  the application (read at each spawn):
 *                                  its steps then run out in turn */
typedef enum {
  SANDLOCK_FEATURE_SYNC_WAKE_UP = 1 << 0,
  SANDLOCK_FEATURE_WAIT_KILLABLE_RECV = 1 << 1,
  SANDLOCK_FEATURE_ADDFD_SEND = 1 << 2,
  SANDLOCK_FEATURE_ID_VALID = 1 << 3,
  SANDLOCK_FEATURE_SHARED_MEMORY_HELPER = 1 << 4,
  SANDLOCK_FEATURE_REAPER = 1 << 5,
  SANDLOCK_FEATURE_EXECUTABLE_MEMFD = 1 << 6,
  SANDLOCK_FEATURE_MEMFD_NOEXEC_SEAL = 1 << 7,
  SANDLOCK_FEATURE_METADATA_GUARD = 1 << 8,
  SANDLOCK_FEATURE_PROCESS_PIDFD = 1 << 9,
  SANDLOCK_FEATURE_DISPATCH_HUB = 1 << 10,
  SANDLOCK_FEATURE_CGROUP = 1 << 15,   /* "cgroup": limits take their fallbacks */
} SandlockFeature;

gboolean sandlock_kernel_feature_disabled_for_testing (SandlockFeature feature);
/* SANDLOCK_TEST_STALL_SETUP, or 0 when unset. */
guint    sandlock_kernel_stall_setup_for_testing      (void);
/* SANDLOCK_TEST_HOLD_EXEC, or 0 when unset. */
guint    sandlock_kernel_hold_exec_for_testing        (void);
/* SANDLOCK_TEST_FLOOD_RESTORE_MSEC, or 0 when unset. */
guint    sandlock_kernel_flood_restore_for_testing    (void);
/* Whether SANDLOCK_TEST_NO_FD_MARGIN is set, now. */
gboolean sandlock_kernel_no_fd_margin_for_testing     (void);

/* The running kernel's Landlock ABI (0 when Landlock is missing or
 * disabled), lowered by SANDLOCK_TEST_LANDLOCK_ABI. */
int      sandlock_kernel_landlock_abi         (void);

/* Sizes of the notification structures of the running kernel, which may be
 * larger than the headers' (zero-filled when the probe failed). */
const struct seccomp_notif_sizes *sandlock_kernel_notif_sizes (void);

/* Whether the kernel has seccomp user notifications at all. */
gboolean sandlock_kernel_has_user_notif       (void);

/* Call before building a filter with libseccomp (sets up valgrind runs). */
void     sandlock_kernel_prepare_libseccomp   (void);

/* The number of syscall @name on this architecture, as
 * seccomp_syscall_resolve_name() answers (a negative pseudo-number for a
 * syscall of other architectures only, __NR_SCMP_ERROR for an unknown
 * name), knowing also the syscalls newer than the libseccomp we may be
 * built with. */
int      sandlock_kernel_syscall_nr           (const char *name);
/* The name of native syscall @nr (g_free() it), newer ones included;
 * NULL when unknown. */
char    *sandlock_kernel_syscall_name         (int         nr);

/* Whether the kernel has SECCOMP_USER_NOTIF_FLAG_CONTINUE (Linux 5.5),
 * probed once on a listener: without it every "continue" answer fails and
 * trapped syscalls could never proceed. */
gboolean sandlock_kernel_has_notif_continue   (int      listener_fd);

/* SECCOMP_IOCTL_NOTIF_ID_VALID with the fallback for kernels older than
 * 5.7. Returns 0 when the notification is still pending, else -errno. */
int      sandlock_notif_id_valid              (int      listener_fd,
                                               guint64  id);

/* The notification side: objects of the thread that made @request, while
 * its notification is pending on @listener_fd. Both check the
 * notification after opening, so a pid reused since cannot be mistaken for
 * the trapping thread. -1 with errno when they cannot be had (ESRCH: the
 * thread is gone or its notification answered). */

/* A pidfd of the trapping thread (of its thread group before Linux 6.9). */
int      sandlock_notif_open_pidfd            (int                         listener_fd,
                                               const struct seccomp_notif *request);

/* The supervisor's own copy of the trapping thread's descriptor @child_fd
 * (pidfd_getfd(): the same open file description), above 2 and
 * close-on-exec. The pidfd it opens is kept for the thread's next call
 * (the reasoning is in sandlock-kernel.c) until another thread's call or
 * sandlock_notif_forget_listener(). */
int      sandlock_notif_take_fd               (int                         listener_fd,
                                               const struct seccomp_notif *request,
                                               int                         child_fd);

/* Closes what sandlock_notif_take_fd() kept for @listener_fd: called
 * before the listener is closed. */
void     sandlock_notif_forget_listener       (int                         listener_fd);

/* An O_PATH descriptor (close-on-exec, above 2) of the trapping thread's
 * /proc/<pid>/@what ("cwd" or "root"): the directory itself, as that
 * thread sees it. */
int      sandlock_notif_open_proc_link        (int                         listener_fd,
                                               const struct seccomp_notif *request,
                                               const char                 *what);

/* One process_vm_readv() of @length bytes at @address in process @pid:
 * the count read, or -1 with errno. No check that @pid is still the
 * process meant: callers check the notification before and after. */
ssize_t  sandlock_read_child_memory           (pid_t                       pid,
                                               guint64                     address,
                                               void                       *buffer,
                                               gsize                       length);

/* A NUL-terminated string of at most @max_length bytes (the NUL included)
 * at @address in process @pid, read page by page: NULL with errno
 * ENAMETOOLONG when it has no NUL within @max_length, or the read's errno
 * (EFAULT for a short read) with *@failed_at set to the address that
 * failed. No check of @pid either: see sandlock_read_child_memory(). */
char    *sandlock_read_child_string           (pid_t                       pid,
                                               guint64                     address,
                                               gsize                       max_length,
                                               guint64                    *failed_at);

/* Copies @length bytes of the trapping thread's memory at @address into
 * @buffer: TRUE, or FALSE with errno (EFAULT: not all of it is readable;
 * ESRCH: the thread is gone). The notification is checked after the read,
 * so the bytes are the trapping thread's, not a reused pid's. */
gboolean sandlock_notif_read_memory           (int                         listener_fd,
                                               const struct seccomp_notif *request,
                                               guint64                     address,
                                               void                       *buffer,
                                               gsize                       length);

/* Writes @length bytes of @buffer into the trapping thread's memory at
 * @address (an output buffer of its syscall): TRUE, or FALSE with errno
 * (EFAULT: not all of it is writable; ESRCH: the thread is gone). The
 * notification is checked before the write, so that a reused pid is not
 * written to. */
gboolean sandlock_notif_write_memory          (int                         listener_fd,
                                               const struct seccomp_notif *request,
                                               guint64                     address,
                                               const void                 *buffer,
                                               gsize                       length);

/* The NUL-terminated string at @address in the trapping thread's memory,
 * of at most @max_length bytes with its NUL (read page by page, checked
 * like sandlock_notif_read_memory()); NULL with errno: EFAULT, ESRCH, or
 * ENAMETOOLONG when no NUL comes within @max_length bytes. Free with
 * g_free(). */
char    *sandlock_notif_read_string           (int                         listener_fd,
                                               const struct seccomp_notif *request,
                                               guint64                     address,
                                               gsize                       max_length);

/* Moves @fd, which the library keeps, above 2 (close-on-exec): at 0, 1 or
 * 2, which an application that closed its standard I/O leaves free, it
 * would pass for that standard I/O and be handed to a command. Returns the
 * descriptor to use, or -1 with errno set; @fd is closed either way when it
 * moved. Negative @fd passes through. */
int      sandlock_fd_above_stdio              (int      fd);

/* Landlock rules, with a clear error: @fd's directory or file gets
 * @rights (the rule for @what '@path'), or TCP @port gets @right (the rule
 * for @what port @port). FALSE with @error (SANDLOCK_ERROR_FAILED) set
 * when the kernel refuses. */
gboolean sandlock_landlock_add_path_rule      (int          ruleset_fd,
                                               int          fd,
                                               guint64      rights,
                                               const char  *what,
                                               const char  *path,
                                               GError     **error);
gboolean sandlock_landlock_add_port_rule      (int          ruleset_fd,
                                               guint64      right,
                                               guint        port,
                                               const char  *what,
                                               GError     **error);

/* A memfd named @name holding the @size bytes of @data, positioned at its
 * start, above 2 and sealed with @seals (F_SEAL_*). @memfd_flags are
 * memfd_create()'s (MFD_ALLOW_SEALING is added); MFD_EXEC is dropped on
 * kernels older than 6.3, which do not know it. Returns the descriptor, or
 * -1 with errno and @error (SANDLOCK_ERROR_FAILED) set. */
int      sandlock_memfd_new_sealed            (const char  *name,
                                               const void  *data,
                                               gsize        size,
                                               guint        memfd_flags,
                                               guint        seals,
                                               GError     **error);

/* The calling thread's effective capabilities, as
 * sandlock_thread_lower_capabilities() saved them. */
typedef struct {
  guint32  effective[2];
  gboolean lowered;
} SandlockSavedCapabilities;

/* Empties the calling thread's effective capabilities (the permitted set
 * stays, and other threads keep theirs), so that what the kernel checks
 * next on this thread is checked as for a process without any; @saved
 * records them for sandlock_thread_restore_capabilities(). Does nothing
 * when the set is empty already. FALSE with errno when the kernel
 * refuses. */
gboolean sandlock_thread_lower_capabilities   (SandlockSavedCapabilities *saved);
/* Gives the thread back the effective capabilities @saved holds. */
void     sandlock_thread_restore_capabilities (const SandlockSavedCapabilities *saved);

G_END_DECLS
