/* sandlock-policy.c: parsing and compiling a sandbox policy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/btrfs.h>
#include <linux/f2fs.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <linux/ioprio.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "sandlock-denied-private.h"
#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-i18n-private.h"

#ifndef IPPROTO_MPTCP
# define IPPROTO_MPTCP 262
#endif

/* ---- the deny table ------------------------------------------------------- */

/* Placeholders in the deny program for the helper's pid, its process group
 * and that group negated (kill()'s way to name a group). The helper writes
 * the real values before its child installs the program:
 * sandlock_policy_bind_helper(). No other rule compares with these. */
#define HELPER_PID_PLACEHOLDER       0x5ad10c01u
#define HELPER_PGRP_PLACEHOLDER      0x5ad10c02u
#define HELPER_NEG_PGRP_PLACEHOLDER  0x5ad10c03u

typedef enum {
  /* In every deny program. */
  DENY_ALWAYS = 0,
  /* Only without Landlock's signal scoping (ABI 6), to protect the helper:
   * such rules may compare with the HELPER_*_PLACEHOLDER values. */
  DENY_WITHOUT_SIGNAL_SCOPING = 1 << 0,
  /* Not one syscall: each of extra-deny-syscalls, at this place in the
   * table, with the entry's answer and no conditions. */
  DENY_EXTRA_SYSCALLS = 1 << 1,
  /* Only without a private pseudo-terminal (SandlockSandbox:pty): the
   * command then shares the application's terminal and session. */
  DENY_WITHOUT_PTY = 1 << 2,
} DenyFlags;

#define DENY_MAX_CONDITIONS 3

typedef struct {
  const char          *name;      /* skipped where the architecture lacks it */
  guint32              action;    /* SCMP_ACT_ERRNO (...) */
  DenyFlags            flags;
  /* All must hold; the unused ones have op 0 (none: whatever the
   * arguments). */
  struct scmp_arg_cmp  conditions[DENY_MAX_CONDITIONS];
  /* For an unconditional rule of every program: why no handler may trap
   * the syscall, when not merely because it is denied. */
  const char          *untrappable;
} DenyRule;

/* The argument's bits under MASK equal VALUE. */
#define ARG_MASKED_EQ(n, mask, value) \
  { .arg = (n), .op = SCMP_CMP_MASKED_EQ, .datum_a = (mask), .datum_b = (value) }
/* The argument has every bit of FLAG. */
#define ARG_HAS_FLAG(n, flag) ARG_MASKED_EQ ((n), (flag), (flag))
/* An int argument equals VALUE: the kernel ignores the upper half, so must
 * we, or garbage there would slip through. */
#define INT_ARG_EQ(n, value) ARG_MASKED_EQ ((n), 0xffffffffULL, (guint64) (value))
/* The whole 64-bit argument differs from VALUE. */
#define ARG_NE(n, value) { .arg = (n), .op = SCMP_CMP_NE, .datum_a = (value) }
/* The whole 64-bit argument equals VALUE, or is greater than VALUE
 * (unsigned): upper-half garbage never equals a small value and is always
 * greater, so that rules built on them refuse it. */
#define ARG_EQ64(n, value) { .arg = (n), .op = SCMP_CMP_EQ, .datum_a = (value) }
#define ARG_GT64(n, value) { .arg = (n), .op = SCMP_CMP_GT, .datum_a = (value) }
/* The whole 64-bit argument, its low bits under ~LOWMASK cleared, equals
 * VALUE: VALUE to VALUE + LOWMASK, for an aligned range. */
#define ARG_IN_RANGE64(n, value, lowmask) \
  { .arg = (n), .op = SCMP_CMP_MASKED_EQ, .datum_a = ~(guint64) (lowmask), .datum_b = (value) }

/* socket() of a family the policy does not govern: EAFNOSUPPORT, what a
 * kernel without it answers. */
#define REFUSE_FAMILY(cond) \
  { "socket", SCMP_ACT_ERRNO (EAFNOSUPPORT), DENY_ALWAYS, { cond }, NULL }
/* An internet socket that is neither TCP nor UDP: EPROTONOSUPPORT. */
#define REFUSE_INET(family, cond) \
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS, { INT_ARG_EQ (0, family), cond }, NULL }
/* The same for a protocol, on a stream or datagram socket only (raw ones
 * have their EPERM, and rules must not overlap: which of two matching
 * rules libseccomp applies is not defined). */
#define REFUSE_INET_PROTO(family, type, cond) \
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS, \
    { INT_ARG_EQ (0, family), ARG_MASKED_EQ (1, 0xfULL, type), cond }, NULL }
#define REFUSE_INET_PROTOCOLS(family, type) \
  REFUSE_INET_PROTO (family, type, ARG_EQ64 (2, 1)), \
  REFUSE_INET_PROTO (family, type, ARG_IN_RANGE64 (2, 2, 1)),   /* 2-3 */ \
  REFUSE_INET_PROTO (family, type, ARG_IN_RANGE64 (2, 4, 1)),   /* 4-5 */ \
  REFUSE_INET_PROTO (family, type, ARG_EQ64 (2, 7)), \
  REFUSE_INET_PROTO (family, type, ARG_IN_RANGE64 (2, 8, 7)),   /* 8-15 */ \
  REFUSE_INET_PROTO (family, type, ARG_EQ64 (2, 16)), \
  REFUSE_INET_PROTO (family, type, ARG_GT64 (2, IPPROTO_UDP))   /* and garbage */

#define EPERM_ALWAYS(name) { (name), SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { { 0 } }, NULL }
/* An ioctl() request, an int to the kernel: EPERM. */
#define REFUSE_IOCTL(request) \
  { "ioctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (1, (guint32) (request)) }, NULL }

/* Everything the deny program refuses, in the order its rules are added
 * (docs/policy.md, "The deny filter", lists the same). Its errno answers
 * outrank USER_NOTIF in the kernel, so no handler ever sees a call this
 * filter refuses; a syscall it refuses whatever the arguments cannot take
 * a handler (sandlock_syscall_untrappable_reason()). */
static const DenyRule deny_table[] = {
  /* Kernel surface a confined command never needs. */
  EPERM_ALWAYS ("mount"), EPERM_ALWAYS ("umount2"), EPERM_ALWAYS ("pivot_root"),
  EPERM_ALWAYS ("swapon"), EPERM_ALWAYS ("swapoff"), EPERM_ALWAYS ("reboot"),
  EPERM_ALWAYS ("sethostname"), EPERM_ALWAYS ("setdomainname"),
  EPERM_ALWAYS ("kexec_load"), EPERM_ALWAYS ("kexec_file_load"),
  EPERM_ALWAYS ("init_module"), EPERM_ALWAYS ("finit_module"),
  EPERM_ALWAYS ("delete_module"), EPERM_ALWAYS ("unshare"), EPERM_ALWAYS ("setns"),
  EPERM_ALWAYS ("perf_event_open"), EPERM_ALWAYS ("bpf"), EPERM_ALWAYS ("userfaultfd"),
  EPERM_ALWAYS ("keyctl"), EPERM_ALWAYS ("add_key"), EPERM_ALWAYS ("request_key"),
  EPERM_ALWAYS ("ptrace"), EPERM_ALWAYS ("process_vm_readv"),
  EPERM_ALWAYS ("process_vm_writev"), EPERM_ALWAYS ("open_by_handle_at"),
  EPERM_ALWAYS ("name_to_handle_at"), EPERM_ALWAYS ("ioperm"), EPERM_ALWAYS ("iopl"),
  EPERM_ALWAYS ("quotactl"), EPERM_ALWAYS ("acct"), EPERM_ALWAYS ("lookup_dcookie"),
  EPERM_ALWAYS ("nfsservctl"), EPERM_ALWAYS ("io_uring_setup"),
  EPERM_ALWAYS ("io_uring_enter"), EPERM_ALWAYS ("io_uring_register"),
  EPERM_ALWAYS ("personality"),
  /* Memory advice to another process (MADV_COLD, MADV_PAGEOUT...) and
   * reaping a dying one's memory: the target is a pidfd, which no filter
   * can tell apart, and root passes the kernel's checks on a process
   * outside the sandbox. Nothing in a sandbox needs them. */
  EPERM_ALWAYS ("process_madvise"), EPERM_ALWAYS ("process_mrelease"),
  /* The new mount API. */
  EPERM_ALWAYS ("fsopen"), EPERM_ALWAYS ("fsconfig"), EPERM_ALWAYS ("fsmount"),
  EPERM_ALWAYS ("fspick"), EPERM_ALWAYS ("open_tree"), EPERM_ALWAYS ("move_mount"),
  EPERM_ALWAYS ("mount_setattr"), EPERM_ALWAYS ("open_tree_attr"),
  /* Inode flags and attributes (see the ioctl() requests below). */
  EPERM_ALWAYS ("file_setattr"),
  /* SysV IPC. */
  EPERM_ALWAYS ("shmget"), EPERM_ALWAYS ("shmat"), EPERM_ALWAYS ("shmdt"),
  EPERM_ALWAYS ("shmctl"), EPERM_ALWAYS ("msgget"), EPERM_ALWAYS ("msgsnd"),
  EPERM_ALWAYS ("msgrcv"), EPERM_ALWAYS ("msgctl"), EPERM_ALWAYS ("semget"),
  EPERM_ALWAYS ("semop"), EPERM_ALWAYS ("semctl"), EPERM_ALWAYS ("semtimedop"),
  /* POSIX message queues: named objects of the whole user, which Landlock
   * does not govern (mq_unlink() deletes any of them). */
  EPERM_ALWAYS ("mq_open"), EPERM_ALWAYS ("mq_unlink"), EPERM_ALWAYS ("mq_timedsend"),
  EPERM_ALWAYS ("mq_timedreceive"), EPERM_ALWAYS ("mq_notify"),
  EPERM_ALWAYS ("mq_getsetattr"),
  /* fanotify: marks on any file, mount or file system the command can
   * name, which Landlock does not govern; as root, permission events
   * would let it block other processes' opens. Watches go through inotify
   * and its guard. */
  EPERM_ALWAYS ("fanotify_init"), EPERM_ALWAYS ("fanotify_mark"),

  /* The application's own list. */
  { NULL, SCMP_ACT_ERRNO (EPERM), DENY_EXTRA_SYSCALLS, { { 0 } }, NULL },

  /* clone3's flags are behind a pointer, which BPF cannot read: ENOSYS, so
   * that the C library falls back to clone, whose flags are checked below. */
  { "clone3", SCMP_ACT_ERRNO (ENOSYS), DENY_ALWAYS, { { 0 } },
    "the filter always answers it ENOSYS so that the C library falls back to clone" },

  /* Requeueing a shared futex: one in a shared mapping of a file is named
   * by the file, the same in every process that maps it, and requeueing
   * only reads it, so a command could move the waiters of any process
   * that synchronises through a file it may only read (a process-shared
   * mutex, an LMDB lock file) onto a futex of its own, where their owner's
   * wake-up never finds them. Private requeues (FUTEX_PRIVATE_FLAG, 0x80,
   * inside the low byte) stay; the C library uses none of these today, and
   * old ones fall back from EINVAL to waking every waiter. futex_requeue()
   * takes its futexes' flags from memory: ENOSYS, as kernels before 6.7. */
  { "futex", SCMP_ACT_ERRNO (EINVAL), DENY_ALWAYS, { ARG_MASKED_EQ (1, 0xffULL, FUTEX_REQUEUE) }, NULL },
  { "futex", SCMP_ACT_ERRNO (EINVAL), DENY_ALWAYS, { ARG_MASKED_EQ (1, 0xffULL, FUTEX_CMP_REQUEUE) }, NULL },
  /* futex() with 64-bit times on 32-bit architectures (skipped elsewhere). */
  { "futex_time64", SCMP_ACT_ERRNO (EINVAL), DENY_ALWAYS, { ARG_MASKED_EQ (1, 0xffULL, FUTEX_REQUEUE) }, NULL },
  { "futex_time64", SCMP_ACT_ERRNO (EINVAL), DENY_ALWAYS, { ARG_MASKED_EQ (1, 0xffULL, FUTEX_CMP_REQUEUE) }, NULL },
  { "futex_requeue", SCMP_ACT_ERRNO (ENOSYS), DENY_ALWAYS, { { 0 } },
    "the filter always answers it ENOSYS: its futexes' flags are behind a pointer, and a shared one would let the command move other processes' waiters" },

  /* New namespaces. */
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWNS) }, NULL },
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWCGROUP) }, NULL },
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWUTS) }, NULL },
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWIPC) }, NULL },
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWUSER) }, NULL },
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWPID) }, NULL },
  { "clone", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_HAS_FLAG (0, CLONE_NEWNET) }, NULL },

  /* Typing into the terminal. ioctl's request and prctl's option are ints
   * to the kernel. */
  { "ioctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (1, TIOCSTI) }, NULL },
  { "ioctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (1, TIOCLINUX) }, NULL },
  /* Changing a terminal's line discipline: kernel code loaded on demand
   * for whoever holds a terminal (the private one of SandlockSandbox:pty
   * included), some with a history of holes. */
  { "ioctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (1, TIOCSETD) }, NULL },
  /* Making a terminal exclusive, which outlives the command: on the
   * application's terminal it inherited, every later open of it (/dev/tty
   * by sudo, ssh, less, pinentry) fails with EBUSY until someone clears it.
   * Serial-port programs that ask for exclusive access get EPERM. */
  REFUSE_IOCTL (TIOCEXCL),
  /* Making its process group the terminal's foreground one. Without a
   * private terminal, the command shares the application's session and
   * terminal, in a background group of its own: ignoring SIGTTOU, it
   * could take the foreground and read what the user types to the
   * application or its shell, through descriptors of the terminal open for
   * reading. Job control in a shell inside needs SandlockSandbox:pty,
   * whose terminal is the command's own. */
  { "ioctl", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_PTY, { INT_ARG_EQ (1, TIOCSPGRP) }, NULL },
  /* File leases, which Landlock does not govern: the owner of a file
   * (root owns the whole system) may take one through a descriptor it
   * only reads, and every other process's open of the file for writing
   * (for a write lease, for reading too) then waits for
   * /proc/sys/fs/lease-break-time, 45 s by default, each time. No filter
   * can tell a descriptor's file: refused on every one. F_GETLEASE stays. */
  { "fcntl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (1, F_SETLEASE) }, NULL },
  /* The same on 32-bit architectures (skipped where it does not exist). */
  { "fcntl64", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (1, F_SETLEASE) }, NULL },
  /* Inode flags and attributes (chattr's nodump, noatime, sync...; the
   * generation number; fs-verity; an encryption policy), which the owner
   * of a file may set through a descriptor it only reads, and btrfs
   * subvolumes, which btrfs creates and deletes without the hooks Landlock
   * checks. No filter can tell a descriptor's file: refused on every one.
   * file_setattr(), below, sets the same attributes. */
  REFUSE_IOCTL (FS_IOC_SETFLAGS), REFUSE_IOCTL (FS_IOC32_SETFLAGS),
  REFUSE_IOCTL (FS_IOC_FSSETXATTR), REFUSE_IOCTL (FS_IOC_SETVERSION),
  REFUSE_IOCTL (FS_IOC32_SETVERSION), REFUSE_IOCTL (FS_IOC_ENABLE_VERITY),
  REFUSE_IOCTL (FS_IOC_SET_ENCRYPTION_POLICY),
  REFUSE_IOCTL (BTRFS_IOC_SNAP_CREATE), REFUSE_IOCTL (BTRFS_IOC_SNAP_CREATE_V2),
  REFUSE_IOCTL (BTRFS_IOC_SUBVOL_CREATE), REFUSE_IOCTL (BTRFS_IOC_SUBVOL_CREATE_V2),
  REFUSE_IOCTL (BTRFS_IOC_SNAP_DESTROY), REFUSE_IOCTL (BTRFS_IOC_SNAP_DESTROY_V2),
  REFUSE_IOCTL (BTRFS_IOC_SUBVOL_SETFLAGS),
  /* What else the owner of a file (or whoever its mode bits let write)
   * changes through a descriptor it only reads: ext4's own number for the
   * generation, its conversion of a block map to extents, sharing extents
   * with another file (dedupe, which takes read-only descriptors), a btrfs
   * subvolume's received UUID and transids (what incremental send trusts),
   * and a btrfs file's layout and compression (defragment). Legitimate
   * only for administration tools (duperemove, btrfs receive, btrfs
   * filesystem defragment), which a sandbox does not run. */
  REFUSE_IOCTL (EXT4_IOC_SETVERSION), REFUSE_IOCTL (EXT4_IOC_MIGRATE),
  REFUSE_IOCTL (FIDEDUPERANGE),
  REFUSE_IOCTL (BTRFS_IOC_SET_RECEIVED_SUBVOL),
  REFUSE_IOCTL (SANDLOCK_BTRFS_IOC_SET_RECEIVED_SUBVOL_32),
  REFUSE_IOCTL (BTRFS_IOC_DEFRAG), REFUSE_IOCTL (BTRFS_IOC_DEFRAG_RANGE),
  /* f2fs pins a file (its blocks kept in place, its compression turned
   * off) for anybody who can read it, with neither an owner nor a write
   * check. */
  REFUSE_IOCTL (F2FS_IOC_SET_PIN_FILE),
  /* The file system's encryption keys, reached through any descriptor on
   * it, whatever its file: removing the user's key locks their encrypted
   * directories outside the sandbox (the key leaves when its last user
   * removes it); adding one unlocks directories for everybody. Only
   * fscrypt unlock/lock tools need them. */
  REFUSE_IOCTL (FS_IOC_ADD_ENCRYPTION_KEY), REFUSE_IOCTL (FS_IOC_REMOVE_ENCRYPTION_KEY),
  REFUSE_IOCTL (FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS),
  /* Undoing protections against ptrace and core dumps, privilege bits. */
  { "prctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (0, PR_SET_DUMPABLE) }, NULL },
  { "prctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (0, PR_SET_SECUREBITS) }, NULL },
  { "prctl", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (0, PR_SET_PTRACER) }, NULL },

  /* Resource limits of another process: the kernel lets a process set
   * them on any other of its user, and no Landlock hook governs it. An
   * RLIMIT_CPU of a second has the kernel kill the helper (what it started
   * would outlive the sandbox) or the application; an RLIMIT_NOFILE of 0
   * leaves the helper unable to clean up. Only a new limit (argument 2 not
   * NULL) for a pid other than 0 is refused: reading limits, setrlimit()
   * and glibc's prlimit(0) stay. (A process naming itself by its pid is
   * refused too: no filter knows the caller's pid.) */
  { "prlimit64", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, 0), ARG_NE (2, 0) }, NULL },

  /* The scheduling of another process: the kernel lets a process lower
   * the CPU and I/O priority, change the policy and pin the CPUs of any
   * other process of its user, and no Landlock hook governs it (a command
   * could make the application SCHED_IDLE on one CPU). A filter cannot
   * tell the caller's own pid from another, only 0 ("the caller"): every
   * target but 0 is refused, so a process naming itself (or a thread of
   * its own, as pthread_setaffinity_np() does) by its id is refused too.
   * The whole 64-bit argument is compared: garbage in the upper half of
   * an int is refused, never let through. */
  { "setpriority", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, PRIO_PROCESS) }, NULL },
  { "setpriority", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (1, 0) }, NULL },
  { "sched_setscheduler", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, 0) }, NULL },
  { "sched_setparam", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, 0) }, NULL },
  { "sched_setattr", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, 0) }, NULL },
  { "sched_setaffinity", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, 0) }, NULL },
  { "ioprio_set", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (0, IOPRIO_WHO_PROCESS) }, NULL },
  { "ioprio_set", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { ARG_NE (1, 0) }, NULL },
  /* Raw and packet sockets: the type carries SOCK_NONBLOCK/CLOEXEC above
   * 0xf. */
  { "socket", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET), ARG_MASKED_EQ (1, 0xfULL, SOCK_RAW) }, NULL },
  { "socket", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET6), ARG_MASKED_EQ (1, 0xfULL, SOCK_RAW) }, NULL },
  { "socket", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET), ARG_MASKED_EQ (1, 0xfULL, SOCK_PACKET) }, NULL },
  { "socket", SCMP_ACT_ERRNO (EPERM), DENY_ALWAYS, { INT_ARG_EQ (0, AF_PACKET) }, NULL },

  /* Stream transports Landlock's TCP port rules do not govern (MPTCP on
   * Linux 6.18 connects and binds anywhere). EPROTONOSUPPORT is what a
   * kernel without them answers, so callers fall back to plain TCP. */
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET), INT_ARG_EQ (2, IPPROTO_MPTCP) }, NULL },
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET6), INT_ARG_EQ (2, IPPROTO_MPTCP) }, NULL },
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET), INT_ARG_EQ (2, IPPROTO_SCTP) }, NULL },
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_INET6), INT_ARG_EQ (2, IPPROTO_SCTP) }, NULL },

  /* Families: an allow-list of AF_UNIX (1), AF_INET (2), AF_INET6 (10) and
   * AF_NETLINK (16), compared on the whole 64-bit argument; AF_PACKET (17)
   * has its EPERM above. vsock, XDP, bluetooth, CAN, AF_ALG, TIPC and the
   * rest reach devices, other machines or kernel code no rule governs, and
   * socket() alone would load their modules. */
  REFUSE_FAMILY (ARG_EQ64 (0, AF_UNSPEC)),
  REFUSE_FAMILY (ARG_EQ64 (0, 3)),
  REFUSE_FAMILY (ARG_IN_RANGE64 (0, 4, 3)),       /* 4-7 */
  REFUSE_FAMILY (ARG_IN_RANGE64 (0, 8, 1)),       /* 8-9 */
  REFUSE_FAMILY (ARG_EQ64 (0, 11)),
  REFUSE_FAMILY (ARG_IN_RANGE64 (0, 12, 3)),      /* 12-15 */
  REFUSE_FAMILY (ARG_GT64 (0, AF_PACKET)),        /* 18 and above, and garbage */
  { "socketpair", SCMP_ACT_ERRNO (EAFNOSUPPORT), DENY_ALWAYS, { ARG_NE (0, AF_UNIX) }, NULL },

  /* Internet sockets: TCP and UDP only, the transports the policy's rules
   * govern. The type (under 0xf; SOCK_NONBLOCK/CLOEXEC ride above) is
   * SOCK_STREAM (1) or SOCK_DGRAM (2); SOCK_RAW and SOCK_PACKET have their
   * EPERM above. The protocol is 0, IPPROTO_TCP (6) or IPPROTO_UDP (17):
   * not ping (ICMP), UDP-Lite, SCTP, DCCP, MPTCP. */
  REFUSE_INET (AF_INET, ARG_MASKED_EQ (1, 0xfULL, 0)),
  REFUSE_INET (AF_INET, ARG_MASKED_EQ (1, 0xcULL, 4)),    /* 4-7 */
  REFUSE_INET (AF_INET, ARG_MASKED_EQ (1, 0xeULL, 8)),    /* 8-9 */
  REFUSE_INET (AF_INET, ARG_MASKED_EQ (1, 0xfULL, 11)),
  REFUSE_INET (AF_INET, ARG_MASKED_EQ (1, 0xcULL, 12)),   /* 12-15 */
  REFUSE_INET (AF_INET6, ARG_MASKED_EQ (1, 0xfULL, 0)),
  REFUSE_INET (AF_INET6, ARG_MASKED_EQ (1, 0xcULL, 4)),
  REFUSE_INET (AF_INET6, ARG_MASKED_EQ (1, 0xeULL, 8)),
  REFUSE_INET (AF_INET6, ARG_MASKED_EQ (1, 0xfULL, 11)),
  REFUSE_INET (AF_INET6, ARG_MASKED_EQ (1, 0xcULL, 12)),
  REFUSE_INET (AF_INET6, ARG_MASKED_EQ (1, 0xfULL, SOCK_PACKET)),
  REFUSE_INET_PROTOCOLS (AF_INET, SOCK_STREAM),
  REFUSE_INET_PROTOCOLS (AF_INET, SOCK_DGRAM),
  REFUSE_INET_PROTOCOLS (AF_INET6, SOCK_STREAM),
  REFUSE_INET_PROTOCOLS (AF_INET6, SOCK_DGRAM),

  /* Netlink: NETLINK_ROUTE (0) only, which getaddrinfo() and if_nameindex()
   * need, and which refuses every change to a command without
   * CAP_NET_ADMIN. Not the audit log, socket tables (sock_diag), device
   * events, generic netlink families or netfilter. */
  { "socket", SCMP_ACT_ERRNO (EPROTONOSUPPORT), DENY_ALWAYS,
    { INT_ARG_EQ (0, AF_NETLINK), ARG_NE (2, NETLINK_ROUTE) }, NULL },

  /* TCP Fast Open connects from sendto/sendmsg without the connect hook
   * Landlock checks ports in. EOPNOTSUPP, as with Fast Open disabled,
   * makes clients fall back to connect(). */
  { "sendto", SCMP_ACT_ERRNO (EOPNOTSUPP), DENY_ALWAYS, { ARG_HAS_FLAG (3, MSG_FASTOPEN) }, NULL },
  { "sendmsg", SCMP_ACT_ERRNO (EOPNOTSUPP), DENY_ALWAYS, { ARG_HAS_FLAG (2, MSG_FASTOPEN) }, NULL },
  { "sendmmsg", SCMP_ACT_ERRNO (EOPNOTSUPP), DENY_ALWAYS, { ARG_HAS_FLAG (3, MSG_FASTOPEN) }, NULL },

  /* SO_REUSEPORT: a socket bound with it to the address and port of a
   * socket of the same user that has it too joins that socket's group,
   * and the kernel hands it part of the group's connections and datagram
   * flows. Landlock governs no UDP port, nor which socket of a group a
   * TCP port reaches: a command could take traffic meant for the
   * application. Refused on every socket, whenever it is set (a TCP
   * socket joins its group at listen() too). ENOPROTOOPT, what a kernel
   * without the option answers: callers that set it to spread their load
   * go on with one socket. */
  { "setsockopt", SCMP_ACT_ERRNO (ENOPROTOOPT), DENY_ALWAYS,
    { INT_ARG_EQ (1, SOL_SOCKET), INT_ARG_EQ (2, SO_REUSEPORT) }, NULL },

  /* Without Landlock's signal scoping the command could kill or stop the
   * helper; the processes it started would then outlive the sandbox,
   * reparented out of the helper's reach. Refuse every signal to the
   * helper, to its process group (the application's), and to every process
   * at once, and joining that group (after which kill(0) would reach it).
   * pidfd_send_signal() takes a /proc/<pid> directory too, which no filter
   * can tell apart: ENOSYS makes callers fall back to kill(). Signals to
   * other processes of the user stay possible: see docs/policy.md. */
  { "kill", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (0, HELPER_PID_PLACEHOLDER) }, NULL },
  { "kill", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (0, HELPER_NEG_PGRP_PLACEHOLDER) }, NULL },
  { "kill", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING, { INT_ARG_EQ (0, -1) }, NULL },
  { "tkill", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (0, HELPER_PID_PLACEHOLDER) }, NULL },
  { "tgkill", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (0, HELPER_PID_PLACEHOLDER) }, NULL },
  { "rt_sigqueueinfo", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (0, HELPER_PID_PLACEHOLDER) }, NULL },
  { "rt_tgsigqueueinfo", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (0, HELPER_PID_PLACEHOLDER) }, NULL },
  { "pidfd_send_signal", SCMP_ACT_ERRNO (ENOSYS), DENY_WITHOUT_SIGNAL_SCOPING, { { 0 } }, NULL },
  { "setpgid", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (1, HELPER_PGRP_PLACEHOLDER) }, NULL },
  /* SIGIO (or any F_SETSIG signal) to an owner set with F_SETOWN;
   * F_SETOWN_EX hides its target in memory: EINVAL, as kernels without it
   * answered. */
  { "fcntl", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (1, F_SETOWN), INT_ARG_EQ (2, HELPER_PID_PLACEHOLDER) }, NULL },
  { "fcntl", SCMP_ACT_ERRNO (EPERM), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (1, F_SETOWN), INT_ARG_EQ (2, HELPER_NEG_PGRP_PLACEHOLDER) }, NULL },
  { "fcntl", SCMP_ACT_ERRNO (EINVAL), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (1, F_SETOWN_EX) }, NULL },
  /* The socket ioctls that set the same owner take it from memory too;
   * callers fall back to F_SETOWN. */
  { "ioctl", SCMP_ACT_ERRNO (EINVAL), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (1, FIOSETOWN) }, NULL },
  { "ioctl", SCMP_ACT_ERRNO (EINVAL), DENY_WITHOUT_SIGNAL_SCOPING,
    { INT_ARG_EQ (1, SIOCSPGRP) }, NULL },
};

static guint
deny_rule_n_conditions (const DenyRule *rule)
{
  guint n = 0;

  while (n < DENY_MAX_CONDITIONS && rule->conditions[n].op != 0)
    n++;
  return n;
}

/* A syscall no handler may trap, and why. */
typedef struct {
  int         nr;
  const char *reason;
} Untrappable;

/* The table's unconditional rules of every program, and exit and
 * exit_group, resolved once. */
static const GArray *
untrappable_syscalls (void)
{
  static gsize once = 0;
  static GArray *untrappable;

  if (g_once_init_enter (&once))
    {
      static const char * const must_exit[] = { "exit", "exit_group" };
      GArray *array = g_array_new (FALSE, FALSE, sizeof (Untrappable));

      for (gsize i = 0; i < G_N_ELEMENTS (must_exit); i++)
        {
          Untrappable entry = {
            sandlock_kernel_syscall_nr (must_exit[i]),
            "a process must always be able to exit",
          };

          if (entry.nr >= 0)
            g_array_append_val (array, entry);
        }

      for (gsize i = 0; i < G_N_ELEMENTS (deny_table); i++)
        {
          const DenyRule *rule = &deny_table[i];
          Untrappable entry;

          if (rule->flags != DENY_ALWAYS || deny_rule_n_conditions (rule) != 0)
            continue;
          entry.nr = sandlock_kernel_syscall_nr (rule->name);
          entry.reason = rule->untrappable != NULL ? rule->untrappable
                                                   : "it is on the sandbox's deny list";
          /* Names that do not exist on this architecture are skipped. */
          if (entry.nr >= 0)
            g_array_append_val (array, entry);
        }

      untrappable = array;
      g_once_init_leave (&once, 1);
    }

  return untrappable;
}

static gboolean
int_array_contains (const GArray *array,
                    int           value)
{
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < array->len; i++)
    if (g_array_index (array, int, i) == value)
      return TRUE;
  return FALSE;
}

const char *
sandlock_syscall_untrappable_reason (int           nr,
                                     const GArray *extra_deny)
{
  const GArray *untrappable = untrappable_syscalls ();

  for (guint i = 0; i < untrappable->len; i++)
    if (g_array_index (untrappable, Untrappable, i).nr == nr)
      return g_array_index (untrappable, Untrappable, i).reason;
  if (int_array_contains (extra_deny, nr))
    return "it is in extra-deny-syscalls";
  return NULL;
}

gboolean
sandlock_check_trappable (int            nr,
                          const GArray  *extra_deny,
                          GError       **error)
{
  const char *reason = sandlock_syscall_untrappable_reason (nr, extra_deny);
  g_autofree char *name = NULL;

  if (reason == NULL)
    return TRUE;

  name = sandlock_kernel_syscall_name (nr);
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_DENIED_SYSCALL,
               _("Cannot trap syscall '%s': %s"), name != NULL ? name : "?", reason);
  return FALSE;
}

GArray *
sandlock_resolve_extra_deny (const char * const  *names,
                             GError             **error)
{
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (int));

  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      int nr = sandlock_parse_syscall_name (names[i], &local_error);

      if (nr < 0)
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("extra-deny-syscalls: %s"), local_error->message);
          return NULL;
        }
      g_array_append_val (numbers, nr);
    }

  return g_steal_pointer (&numbers);
}

/* ---- parsers ---------------------------------------------------------- */

static gboolean
parse_port (const char  *spec,
            const char  *text,
            gsize        length,
            guint16     *out,
            GError     **error)
{
  guint value = 0;

  if (length == 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("Invalid port range '%s': a port is missing"), spec);
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("Invalid port range '%s': ports are decimal numbers"), spec);
          return FALSE;
        }
      value = value * 10 + (guint) (text[i] - '0');
      if (value > 65535)
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("Invalid port range '%s': ports go up to 65535"), spec);
          return FALSE;
        }
    }

  if (value == 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("Invalid port range '%s': port 0 is not a port"), spec);
      return FALSE;
    }

  *out = (guint16) value;
  return TRUE;
}

gboolean
sandlock_parse_port_range (const char  *spec,
                           guint16     *low,
                           guint16     *high,
                           GError     **error)
{
  const char *dash;

  g_return_val_if_fail (spec != NULL, FALSE);

  dash = strchr (spec, '-');
  if (dash == NULL)
    {
      if (!parse_port (spec, spec, strlen (spec), low, error))
        return FALSE;
      *high = *low;
      return TRUE;
    }

  if (!parse_port (spec, spec, (gsize) (dash - spec), low, error) ||
      !parse_port (spec, dash + 1, strlen (dash + 1), high, error))
    return FALSE;

  if (*low > *high)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("Invalid port range '%s': the range is reversed"), spec);
      return FALSE;
    }

  return TRUE;
}

gboolean
sandlock_parse_env_entry (const char  *entry,
                          char       **key,
                          char       **value,
                          GError     **error)
{
  const char *equals;

  g_return_val_if_fail (entry != NULL, FALSE);

  equals = strchr (entry, '=');
  if (equals == entry || *entry == '\0')
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("Invalid environment entry '%s': the name is empty "
                     "(give KEY=VALUE to set KEY, or KEY to remove it)"), entry);
      return FALSE;
    }

  /* "KEY" alone removes KEY. */
  if (key != NULL)
    *key = equals != NULL ? g_strndup (entry, (gsize) (equals - entry)) : g_strdup (entry);
  if (value != NULL)
    *value = equals != NULL ? g_strdup (equals + 1) : NULL;
  return TRUE;
}

int
sandlock_parse_syscall_name (const char  *name,
                             GError     **error)
{
  int nr;

  g_return_val_if_fail (name != NULL, -1);

  if (*name == '\0')
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL,
                   _("Empty syscall name"));
      return -1;
    }

  nr = sandlock_kernel_syscall_nr (name);
  if (nr < 0)
    {
      /* libseccomp gives negative pseudo numbers to syscalls of other
       * architectures (socketcall on x86_64): they cannot be trapped here. */
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL,
                   _("Unknown syscall '%s' on this architecture"), name);
      return -1;
    }

  return nr;
}

gboolean
sandlock_parse_cpu_list (const char  *spec,
                         guint8      *mask,
                         GError     **error)
{
  const char *p = spec;
  gboolean any = FALSE;

  memset (mask, 0, SANDLOCK_MAX_CPUS / 8);
  if (spec == NULL)
    goto invalid;
  while (*p != '\0')
    {
      guint64 low, high;
      char *end;

      if (!g_ascii_isdigit (*p))
        goto invalid;
      low = g_ascii_strtoull (p, &end, 10);
      p = end;
      high = low;
      if (*p == '-')
        {
          p++;
          if (!g_ascii_isdigit (*p))
            goto invalid;
          high = g_ascii_strtoull (p, &end, 10);
          p = end;
        }
      if (low > high || high >= SANDLOCK_MAX_CPUS)
        goto invalid;
      for (guint64 cpu = low; cpu <= high; cpu++)
        mask[cpu / 8] |= (guint8) (1u << (cpu % 8));
      any = TRUE;
      if (*p == ',')
        {
          p++;
          if (*p == '\0')
            goto invalid;
        }
      else if (*p != '\0')
        goto invalid;
    }
  if (any)
    return TRUE;

invalid:
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
               _("cpu-cores: '%s' is not a list of CPUs such as '0-3,6' (each below %d)"),
               spec != NULL ? spec : "", SANDLOCK_MAX_CPUS);
  return FALSE;
}

gboolean
sandlock_parse_path (const char  *what,
                     const char  *path,
                     GError     **error)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("%s: '%s' is not an absolute path"), what, path);
      return FALSE;
    }

  if (stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("%s: '%s': %s"), what, path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* ---- Landlock --------------------------------------------------------- */

#define FS_RIGHTS_ABI1 ((1ULL << 13) - 1)   /* EXECUTE .. MAKE_SYM */
#define FS_FILE_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
                        LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
                        LANDLOCK_ACCESS_FS_IOCTL_DEV | LANDLOCK_ACCESS_FS_RESOLVE_UNIX)
#define FS_READ_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | \
                        LANDLOCK_ACCESS_FS_READ_DIR)
/* Handled, and granted by no rule: no device node is ever made. */
#define FS_NEVER_GRANTED (LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK)

typedef struct {
  SandlockProtections protection;
  int                 abi;
  const char         *description;
} LandlockProtection;

static const LandlockProtection landlock_protections[] = {
  { SANDLOCK_PROTECTION_LANDLOCK_FS, 1, "Landlock filesystem rules (Linux 5.13)" },
  { SANDLOCK_PROTECTION_LANDLOCK_FS_TRUNCATE, 3, "Landlock truncate control (Linux 6.2)" },
  { SANDLOCK_PROTECTION_LANDLOCK_NET_TCP, 4, "Landlock TCP port rules (Linux 6.7)" },
  { SANDLOCK_PROTECTION_LANDLOCK_FS_IOCTL_DEV, 5, "Landlock device ioctl control (Linux 6.10)" },
  { SANDLOCK_PROTECTION_LANDLOCK_SCOPE_ABSTRACT_UNIX, 6, "Landlock abstract unix socket scoping (Linux 6.12)" },
  { SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL, 6, "Landlock signal scoping (Linux 6.12)" },
};

static gboolean
check_landlock_support (int                  abi,
                        gboolean             best_effort,
                        SandlockProtections *applied,
                        GError             **error)
{
  g_autoptr(GString) missing = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (landlock_protections); i++)
    {
      const LandlockProtection *p = &landlock_protections[i];

      if (abi >= p->abi)
        {
          *applied |= p->protection;
          continue;
        }

      if (missing == NULL)
        missing = g_string_new (NULL);
      else
        g_string_append (missing, ", ");
      g_string_append_printf (missing, "%s needs ABI %d", p->description, p->abi);
    }

  if (missing != NULL && !best_effort)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_UNSUPPORTED,
                   _("The running kernel has Landlock ABI %d and lacks protections "
                     "this policy needs: %s. Set best-effort to run without them."),
                   abi, missing->str);
      return FALSE;
    }

  return TRUE;
}

static gboolean
landlock_add_path (int          ruleset_fd,
                   const char  *what,
                   const char  *path,
                   guint64      rights,
                   guint64      handled,
                   GError     **error)
{
  struct stat st;
  sandlock_autofd int fd = -1;

  fd = open (path, O_PATH | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("%s: '%s': %s"), what, path, g_strerror (saved_errno));
      return FALSE;
    }

  rights &= handled;
  if (!S_ISDIR (st.st_mode))
    rights &= FS_FILE_RIGHTS;

  return sandlock_landlock_add_path_rule (ruleset_fd, fd, rights, what, path, error);
}

static gboolean
landlock_add_ports (int                 ruleset_fd,
                    const char         *what,
                    const char * const *specs,
                    guint64             right,
                    GError            **error)
{
  for (gsize i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      guint16 low, high;

      if (!sandlock_parse_port_range (specs[i], &low, &high, error))
        {
          g_prefix_error (error, _("%s: "), what);
          return FALSE;
        }

      if (ruleset_fd < 0)
        continue;

      for (guint port = low; port <= high; port++)
        if (!sandlock_landlock_add_port_rule (ruleset_fd, right, port, what, error))
          return FALSE;
    }

  return TRUE;
}

/* A SandlockNetPortRangeFunc: net-allow's TCP ports, for connect(). */
static gboolean
landlock_add_port_range (guint16    low,
                         guint16    high,
                         gpointer   user_data,
                         GError   **error)
{
  int ruleset_fd = GPOINTER_TO_INT (user_data);

  for (guint port = low; port <= high; port++)
    if (!sandlock_landlock_add_port_rule (ruleset_fd, LANDLOCK_ACCESS_NET_CONNECT_TCP, port,
                                          "net-allow", error))
      return FALSE;
  return TRUE;
}

/* Creates the ruleset; ports are validated even when Landlock is skipped. */
static gboolean
build_landlock (const SandlockPolicySpec *spec,
                SandlockPolicy           *policy,
                GError                  **error)
{
  struct sandlock_landlock_ruleset_attr attr = { 0 };
  SandlockProtections applied = SANDLOCK_PROTECTION_NONE;
  size_t attr_size = SANDLOCK_LANDLOCK_ATTR_SIZE_V1;
  int abi = sandlock_kernel_landlock_abi ();
  guint64 handled_fs = 0;
  int fd;

  policy->landlock_abi = abi;
  policy->ruleset_fd = -1;

  if (!check_landlock_support (abi, spec->best_effort, &applied, error))
    return FALSE;

  if (abi < 1)
    {
      /* Best effort without Landlock: still reject malformed ports. */
      return landlock_add_ports (-1, "net-bind", spec->net_bind, 0, error) &&
             landlock_add_ports (-1, "net-connect", spec->net_connect, 0, error);
    }

  handled_fs = FS_RIGHTS_ABI1;
  if (abi >= 2)
    handled_fs |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3)
    handled_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
  if (abi >= 5)
    handled_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  if (abi >= SANDLOCK_LANDLOCK_ABI_RESOLVE_UNIX)
    {
      /* Optional (the egress guard enforces unix-connect on every kernel):
       * fs-writable grants it with its other rights, unix-connect below. */
      handled_fs |= LANDLOCK_ACCESS_FS_RESOLVE_UNIX;
      applied |= SANDLOCK_PROTECTION_LANDLOCK_FS_RESOLVE_UNIX;
    }
  attr.handled_access_fs = handled_fs;

  if (abi >= 4)
    {
      attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
      attr_size = SANDLOCK_LANDLOCK_ATTR_SIZE_V4;
    }
  if (abi >= 6)
    {
      attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
      attr_size = SANDLOCK_LANDLOCK_ATTR_SIZE_V6;
    }

  fd = sandlock_fd_above_stdio (sandlock_sys_landlock_create_ruleset (&attr, attr_size, 0));
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Creating the Landlock ruleset failed: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  policy->ruleset_fd = fd;
  policy->private_proc = spec->private_proc &&
                         (sandlock_denied_reaches_proc (spec->fs_readable) ||
                          sandlock_denied_reaches_proc (spec->fs_writable));

  for (gsize i = 0; spec->fs_readable != NULL && spec->fs_readable[i] != NULL; i++)
    if (policy->denied->len > 0 || policy->private_proc
        ? !sandlock_denied_add_root (fd, "fs-readable", spec->fs_readable[i],
                                     FS_READ_RIGHTS & handled_fs,
                                     FS_READ_RIGHTS & handled_fs & FS_FILE_RIGHTS,
                                     policy->denied, policy->private_proc, error)
        : !landlock_add_path (fd, "fs-readable", spec->fs_readable[i],
                              FS_READ_RIGHTS, handled_fs, error))
      return FALSE;

  for (gsize i = 0; spec->fs_writable != NULL && spec->fs_writable[i] != NULL; i++)
    if (policy->denied->len > 0 || policy->private_proc
        ? !sandlock_denied_add_root (fd, "fs-writable", spec->fs_writable[i],
                                     handled_fs & ~FS_NEVER_GRANTED,
                                     handled_fs & ~FS_NEVER_GRANTED & FS_FILE_RIGHTS,
                                     policy->denied, policy->private_proc, error)
        : !landlock_add_path (fd, "fs-writable", spec->fs_writable[i],
                              handled_fs & ~FS_NEVER_GRANTED, handled_fs, error))
      return FALSE;

  /* With a private pseudo-terminal, /dev/tty: it opens the controlling
   * terminal of the opener's session, which is that pseudo-terminal for
   * every process of the sandbox (or none, after a setsid()). */
  if (spec->pty && g_file_test ("/dev/tty", G_FILE_TEST_EXISTS) &&
      !landlock_add_path (fd, "pty", "/dev/tty",
                          handled_fs & ~FS_NEVER_GRANTED, handled_fs, error))
    return FALSE;

  /* A unix-connect socket that exists now; one created later is reached
   * through the guard alone, which performs every connect anyway. */
  for (gsize i = 0; (handled_fs & LANDLOCK_ACCESS_FS_RESOLVE_UNIX) &&
                    spec->unix_connect != NULL && spec->unix_connect[i] != NULL; i++)
    if (g_file_test (spec->unix_connect[i], G_FILE_TEST_EXISTS) &&
        !landlock_add_path (fd, "unix-connect", spec->unix_connect[i],
                            LANDLOCK_ACCESS_FS_RESOLVE_UNIX, handled_fs, error))
      return FALSE;

  if (abi >= 4)
    {
      if (!landlock_add_ports (fd, "net-bind", spec->net_bind,
                               LANDLOCK_ACCESS_NET_BIND_TCP, error) ||
          !landlock_add_ports (fd, "net-connect", spec->net_connect,
                               LANDLOCK_ACCESS_NET_CONNECT_TCP, error))
        return FALSE;
    }
  else if (!landlock_add_ports (-1, "net-bind", spec->net_bind, 0, error) ||
           !landlock_add_ports (-1, "net-connect", spec->net_connect, 0, error))
    return FALSE;

  /* A TCP net-allow entry grants its ports to connect() as net-connect
   * would: the egress rules then narrow them to the entry's addresses. */
  if (abi >= 4 &&
      !sandlock_net_rules_foreach_tcp_allow_ports (policy->net_rules, landlock_add_port_range,
                                                   GINT_TO_POINTER (fd), error))
    return FALSE;

  policy->protections |= applied;
  return TRUE;
}

/* ---- seccomp ---------------------------------------------------------- */

static gboolean
export_program (scmp_filter_ctx     ctx,
                const char         *what,
                struct sock_fprog  *program,
                GError            **error)
{
  sandlock_autofd int fd = -1;
  off_t size;
  int rc;

  fd = memfd_create ("sandlock-bpf", MFD_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Exporting the %s filter failed: memfd_create: %s"),
                   what, g_strerror (saved_errno));
      return FALSE;
    }

  rc = seccomp_export_bpf (ctx, fd);
  size = lseek (fd, 0, SEEK_END);
  if (rc != 0 || size <= 0 || size % sizeof (struct sock_filter) != 0 ||
      size / sizeof (struct sock_filter) > BPF_MAXINSNS)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Exporting the %s filter failed: %s"), what,
                   rc != 0 ? g_strerror (-rc) : "the program has a bad size");
      return FALSE;
    }

  program->len = (unsigned short) (size / sizeof (struct sock_filter));
  program->filter = g_malloc ((gsize) size);
  if (pread (fd, program->filter, (size_t) size, 0) != size)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Exporting the %s filter failed: %s"), what, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* A new libseccomp context, or NULL with @error set. */
static scmp_filter_ctx
new_filter_context (GError **error)
{
  g_auto (SandlockSeccompCtx) ctx = NULL;

  sandlock_kernel_prepare_libseccomp ();
  ctx = seccomp_init (SCMP_ACT_ALLOW);

  /* Another ABI (i386 via int 0x80; x32 numbers, which libseccomp routes
   * here too on x86_64) would dodge every rule: kill the whole process. */
  /* A binary tree rather than a linear chain of comparisons: the kernel
   * emulates the filter for every syscall number when it is installed (to
   * build its action cache), so a shorter path halves the install time. */
  if (ctx == NULL ||
      seccomp_attr_set (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) != 0 ||
      seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0) != 0 ||
      seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) != 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Creating the seccomp filter failed"));
      return NULL;
    }

  return g_steal_pointer (&ctx);
}

static gboolean
is_constant_jump (const struct sock_filter *instruction)
{
  return BPF_CLASS (instruction->code) == BPF_JMP && BPF_SRC (instruction->code) == BPF_K &&
         BPF_OP (instruction->code) != BPF_JA;
}

void
sandlock_policy_bind_helper (struct sock_fprog *deny_program,
                             pid_t              helper_pid,
                             pid_t              helper_pgrp)
{
  /* Runs in the helper, between fork and exec: no allocation, no locks. */
  for (unsigned short i = 0; i < deny_program->len; i++)
    {
      struct sock_filter *instruction = &deny_program->filter[i];

      if (!is_constant_jump (instruction))
        continue;
      if (instruction->k == HELPER_PID_PLACEHOLDER)
        instruction->k = (guint32) helper_pid;
      else if (instruction->k == HELPER_PGRP_PLACEHOLDER)
        instruction->k = (guint32) helper_pgrp;
      else if (instruction->k == HELPER_NEG_PGRP_PLACEHOLDER)
        instruction->k = (guint32) -helper_pgrp;
    }
}

/* Whether the program compares with each placeholder: it must, or the
 * helper would stay unprotected. */
static gboolean
program_has_helper_placeholders (const struct sock_fprog *program)
{
  gboolean pid = FALSE, pgrp = FALSE, neg_pgrp = FALSE;

  for (unsigned short i = 0; i < program->len; i++)
    {
      const struct sock_filter *instruction = &program->filter[i];

      if (!is_constant_jump (instruction))
        continue;
      pid |= instruction->k == HELPER_PID_PLACEHOLDER;
      pgrp |= instruction->k == HELPER_PGRP_PLACEHOLDER;
      neg_pgrp |= instruction->k == HELPER_NEG_PGRP_PLACEHOLDER;
    }
  return pid && pgrp && neg_pgrp;
}

/* Adds one rule of the deny table; for DENY_EXTRA_SYSCALLS, one for each
 * of @extra_deny. Returns 0 or libseccomp's -errno. */
static int
add_deny_rule (scmp_filter_ctx  ctx,
               const DenyRule  *rule,
               const GArray    *extra_deny)
{
  int nr;

  if (rule->flags & DENY_EXTRA_SYSCALLS)
    {
      for (guint i = 0; extra_deny != NULL && i < extra_deny->len; i++)
        {
          int rc = seccomp_rule_add (ctx, rule->action, g_array_index (extra_deny, int, i), 0);

          if (rc != 0)
            return rc;
        }
      return 0;
    }

  /* Names that do not exist on this architecture are skipped. */
  nr = sandlock_kernel_syscall_nr (rule->name);
  if (nr < 0)
    return 0;
  return seccomp_rule_add_array (ctx, rule->action, nr,
                                 deny_rule_n_conditions (rule), rule->conditions);
}

/* The policy filter: deny_table, applied in order. It has no listener. */
static gboolean
build_deny_program (const GArray       *extra_deny,
                    gboolean            guard_helper,
                    gboolean            pty,
                    struct sock_fprog  *program,
                    GError            **error)
{
  g_auto (SandlockSeccompCtx) ctx = new_filter_context (error);

  if (ctx == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (deny_table); i++)
    {
      const DenyRule *rule = &deny_table[i];
      int rc;

      if ((rule->flags & DENY_WITHOUT_SIGNAL_SCOPING) && !guard_helper)
        continue;
      if ((rule->flags & DENY_WITHOUT_PTY) && pty)
        continue;

      rc = add_deny_rule (ctx, rule, extra_deny);
      if (rc != 0)
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                       _("Building the seccomp deny filter failed: %s"), g_strerror (-rc));
          return FALSE;
        }
    }

  if (!export_program (ctx, "deny", program, error))
    return FALSE;

  if (guard_helper && !program_has_helper_placeholders (program))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Building the seccomp deny filter failed: the rules protecting the "
                     "helper are missing from the program"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
build_notify_program (const SandlockPolicy  *policy,
                      struct sock_fprog     *program,
                      GError               **error)
{
  g_auto (SandlockSeccompCtx) ctx = new_filter_context (error);
  int rc = 0;

  if (ctx == NULL)
    return FALSE;

  /* The syscalls with handlers or guards. */
  for (guint nr = 0; nr < MAX (policy->n_chains, policy->n_guards) && rc == 0; nr++)
    if (sandlock_policy_get_chain (policy, (int) nr) != NULL)
      rc = seccomp_rule_add (ctx, SCMP_ACT_NOTIFY, (int) nr, 0);
    else if (sandlock_policy_get_guards (policy, (int) nr) != NULL && nr == __NR_clone)
      /* Only the processes guard traps clone, and never a new thread's:
       * creating a thread costs no notification (flags are a register). */
      rc = seccomp_rule_add (ctx, SCMP_ACT_NOTIFY, (int) nr, 1,
                             SCMP_A0 (SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    else if (sandlock_policy_get_guards (policy, (int) nr) != NULL)
      rc = seccomp_rule_add (ctx, SCMP_ACT_NOTIFY, (int) nr, 0);

  if (rc != 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                   _("Building the seccomp notify filter failed: %s"), g_strerror (-rc));
      return FALSE;
    }

  return export_program (ctx, "notify", program, error);
}

/* ---- environment -------------------------------------------------------- */

/* What clean-env keeps from the parent: what a command needs to find
 * programs, its home and its locale, and nothing that leaks session state. */
static const char * const clean_env_keep[] = {
  "PATH", "HOME", "USER", "LOGNAME", "TERM", "LANG",
};

char **
sandlock_environ_apply (char               **envp,
                        const char * const  *entries)
{
  for (gsize i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      const char *equals = strchr (entries[i], '=');

      if (equals == NULL)
        envp = g_environ_unsetenv (envp, entries[i]);
      else
        {
          g_autofree char *key = g_strndup (entries[i], (gsize) (equals - entries[i]));

          envp = g_environ_setenv (envp, key, equals + 1, TRUE);
        }
    }
  return envp;
}

char **
sandlock_policy_build_envp (const SandlockPolicy *policy)
{
  char **envp;

  if (policy->clean_env)
    {
      envp = g_new0 (char *, 1);
      for (gsize i = 0; i < G_N_ELEMENTS (clean_env_keep); i++)
        {
          const char *value = g_getenv (clean_env_keep[i]);

          if (value != NULL)
            envp = g_environ_setenv (envp, clean_env_keep[i], value, TRUE);
        }
    }
  else
    envp = g_get_environ ();

  return sandlock_environ_apply (envp, (const char * const *) policy->env);
}

/* ---- the compiler ------------------------------------------------------- */

static gboolean
build_chains (const SandlockPolicySpec  *spec,
              const GArray              *extra_deny,
              SandlockPolicy            *policy,
              GError                   **error)
{
  guint max_nr = 0;

  if (spec->handlers == NULL || spec->handlers->len == 0)
    return TRUE;

  for (guint i = 0; i < spec->handlers->len; i++)
    {
      const SandlockHandlerEntry *entry = &g_array_index (spec->handlers, SandlockHandlerEntry, i);

      if (!sandlock_check_trappable (entry->syscall_nr, extra_deny, error))
        return FALSE;
      max_nr = MAX (max_nr, (guint) entry->syscall_nr);
    }

  policy->n_chains = max_nr + 1;
  policy->chains = g_new0 (GPtrArray *, policy->n_chains);
  for (guint i = 0; i < spec->handlers->len; i++)
    {
      const SandlockHandlerEntry *entry = &g_array_index (spec->handlers, SandlockHandlerEntry, i);
      GPtrArray **chain = &policy->chains[entry->syscall_nr];

      if (*chain == NULL)
        *chain = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (*chain, g_object_ref (entry->handler));
    }

  return TRUE;
}

/* The roots @paths of option @option, held for the guards: the same
 * files the ruleset granted (each opened again now, as landlock_add_path()
 * did), with their names. */
static gboolean
open_roots (const char * const  *paths,
            const char          *option,
            int                **fds,
            char              ***names,
            guint               *n_roots,
            GError             **error)
{
  guint n = paths != NULL ? g_strv_length ((char **) paths) : 0;

  if (n == 0)
    return TRUE;

  *fds = g_new (int, n);
  *names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *link = NULL;
      int fd = sandlock_fd_above_stdio (open (paths[i], O_PATH | O_CLOEXEC));

      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("%s: '%s': %s"), option, paths[i], g_strerror (saved_errno));
          return FALSE;
        }
      (*fds)[(*n_roots)++] = fd;
      link = g_strdup_printf ("/proc/self/fd/%d", fd);
      (*names)[i] = g_file_read_link (link, NULL);
      if ((*names)[i] == NULL || (*names)[i][0] != '/')
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_FAILED,
                       _("%s: '%s': cannot tell its name through /proc/self/fd"),
                       option, paths[i]);
          return FALSE;
        }
    }
  return TRUE;
}

SandlockPolicy *
sandlock_policy_compile (const SandlockPolicySpec  *spec,
                         GError                   **error)
{
  g_autoptr(SandlockPolicy) policy = NULL;
  g_autoptr(GArray) extra_deny = NULL;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  policy = g_new0 (SandlockPolicy, 1);
  g_atomic_ref_count_init (&policy->ref_count);
  policy->ruleset_fd = -1;
  policy->timeout_seconds = spec->timeout_seconds;
  policy->max_open_files = spec->max_open_files;
  policy->pty = spec->pty;
  policy->max_deferred = spec->max_deferred;
  policy->max_output = spec->max_output;
  policy->best_effort = spec->best_effort;
  policy->max_processes = spec->max_processes;
  policy->max_memory = spec->max_memory;
  policy->max_cpu = spec->max_cpu;
  policy->handler_error_func = spec->handler_error_func;
  policy->handler_error_data = spec->handler_error_data;
  policy->handler_error_destroy = spec->handler_error_destroy;
  policy->guard_decision_wanted = spec->guard_decision_wanted;
  policy->guard_decision_func = spec->guard_decision_func;

  if (!sandlock_kernel_has_user_notif ())
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_UNSUPPORTED,
                   _("The running kernel has no seccomp user notifications (Linux 5.0)"));
      return NULL;
    }
  policy->protections = SANDLOCK_PROTECTION_SECCOMP_FILTER;

  /* Validate every value before creating anything in the kernel. */
  for (gsize i = 0; spec->fs_readable != NULL && spec->fs_readable[i] != NULL; i++)
    if (!sandlock_parse_path ("fs-readable", spec->fs_readable[i], error))
      return NULL;
  for (gsize i = 0; spec->fs_writable != NULL && spec->fs_writable[i] != NULL; i++)
    if (!sandlock_parse_path ("fs-writable", spec->fs_writable[i], error))
      return NULL;

  policy->denied = sandlock_denied_compile (spec->fs_denied, error);
  if (policy->denied == NULL)
    return NULL;

  if (spec->cwd != NULL)
    {
      struct stat st;

      if (!sandlock_parse_path ("cwd", spec->cwd, error))
        return NULL;
      if (stat (spec->cwd, &st) != 0 || !S_ISDIR (st.st_mode))
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("cwd: '%s' is not a directory"), spec->cwd);
          return NULL;
        }
      policy->cwd = g_strdup (spec->cwd);
    }

  extra_deny = sandlock_resolve_extra_deny (spec->extra_deny_syscalls, error);
  if (extra_deny == NULL)
    return NULL;

  /* cpu-cores: the command may not widen its affinity again (a cpuset
   * cgroup would not let it, but there may be none). */
  if (spec->cpu_cores != NULL)
    {
      int nr = __NR_sched_setaffinity;

      if (!sandlock_parse_cpu_list (spec->cpu_cores, policy->cpu_mask, error))
        return NULL;
      policy->has_cpu_mask = TRUE;
      if (!int_array_contains (extra_deny, nr))
        g_array_append_val (extra_deny, nr);
    }

  for (gsize i = 0; spec->env != NULL && spec->env[i] != NULL; i++)
    if (!sandlock_parse_env_entry (spec->env[i], NULL, NULL, error))
      return NULL;
  policy->env = g_strdupv ((char **) spec->env);
  policy->clean_env = spec->clean_env;

  if (!build_chains (spec, extra_deny, policy, error))
    return NULL;

  /* unix-connect: absolute paths, validated now, looked up at each call. */
  for (gsize i = 0; spec->unix_connect != NULL && spec->unix_connect[i] != NULL; i++)
    if (!g_path_is_absolute (spec->unix_connect[i]) ||
        strlen (spec->unix_connect[i]) >= sizeof (((struct sockaddr_un *) NULL)->sun_path))
      {
        g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                     _("unix-connect: '%s' is not an absolute path of at most %zu bytes"),
                     spec->unix_connect[i], sizeof (((struct sockaddr_un *) NULL)->sun_path) - 1);
        return NULL;
      }
  if (spec->unix_connect != NULL && spec->unix_connect[0] != NULL)
    policy->unix_connect = g_strdupv ((char **) spec->unix_connect);
  policy->connect_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  for (gsize i = 0; spec->net_connect != NULL && spec->net_connect[i] != NULL; i++)
    {
      guint16 low, high;

      if (!sandlock_parse_port_range (spec->net_connect[i], &low, &high, error))
        {
          g_prefix_error (error, _("net-connect: "));
          return NULL;
        }
      g_array_append_val (policy->connect_ports, low);
      g_array_append_val (policy->connect_ports, high);
    }

  /* net-allow and net-deny: parsed, and their hostnames resolved, now. */
  if ((spec->net_allow != NULL && spec->net_allow[0] != NULL) ||
      (spec->net_deny != NULL && spec->net_deny[0] != NULL))
    {
      policy->net_rules = sandlock_net_rules_new (spec->net_allow, spec->net_deny,
                                                  NULL, NULL, error);
      if (policy->net_rules == NULL)
        return NULL;
    }

  if (!build_landlock (spec, policy, error))
    return NULL;

  /* The granted roots, for the guards: none without Landlock. */
  if (policy->ruleset_fd >= 0 &&
      (!open_roots (spec->fs_writable, "fs-writable", &policy->writable_fds,
                    &policy->writable_names, &policy->n_writable, error) ||
       !open_roots (spec->fs_readable, "fs-readable", &policy->readable_fds,
                    &policy->readable_names, &policy->n_readable, error)))
    return NULL;

  policy->confined_thread = sandlock_confined_thread_new (policy->ruleset_fd);

  /* The built-in guards, which need to know what Landlock enforces. */
  if (!sandlock_guards_attach (policy, error))
    return NULL;

  if (!build_deny_program (extra_deny,
                           !(policy->protections & SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL),
                           policy->pty, &policy->deny_program, error) ||
      !build_notify_program (policy, &policy->notify_program, error))
    return NULL;

  return g_steal_pointer (&policy);
}

SandlockPolicy *
sandlock_policy_ref (SandlockPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);
  g_atomic_ref_count_inc (&policy->ref_count);
  return policy;
}

void
sandlock_policy_unref (SandlockPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  if (!g_atomic_ref_count_dec (&policy->ref_count))
    return;

  /* Joined before its ruleset closes. */
  sandlock_confined_thread_free (policy->confined_thread);
  if (policy->ruleset_fd >= 0)
    close (policy->ruleset_fd);
  for (guint i = 0; i < policy->n_writable; i++)
    close (policy->writable_fds[i]);
  g_free (policy->writable_fds);
  g_strfreev (policy->writable_names);
  g_clear_pointer (&policy->denied, g_ptr_array_unref);
  for (guint i = 0; i < policy->n_readable; i++)
    close (policy->readable_fds[i]);
  g_free (policy->readable_fds);
  g_strfreev (policy->readable_names);
  g_free (policy->deny_program.filter);
  g_free (policy->notify_program.filter);
  g_strfreev (policy->env);
  g_free (policy->cwd);
  sandlock_net_rules_free (policy->net_rules);
  g_strfreev (policy->unix_connect);
  if (policy->connect_ports != NULL)
    g_array_unref (policy->connect_ports);
  for (guint i = 0; i < policy->n_chains; i++)
    if (policy->chains[i] != NULL)
      g_ptr_array_unref (policy->chains[i]);
  g_free (policy->chains);
  for (guint i = 0; i < policy->n_guards; i++)
    g_free (policy->guards[i]);
  g_free (policy->guards);
  if (policy->handler_error_destroy != NULL)
    policy->handler_error_destroy (policy->handler_error_data);
  g_free (policy);
}
