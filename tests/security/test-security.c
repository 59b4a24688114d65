/* test-security.c: every known way out of a sandbox, each tried by its own
 * program inside a real sandbox on the real kernel
 *
 * Each attack-NAME program (see attack.h) makes its attempts and prints
 * one line per attempt. This driver runs it in a sandbox that grants a
 * directory for reading ("granted"), one for writing ("writable"), one TCP
 * port to connect to and one to bind, and hides everything else: a
 * directory next to the granted ones ("hidden", holding "secret"), the
 * supervisor (this process), an unrelated process (the "victim"), an
 * abstract unix listener, a TCP listener on a port that is not granted.
 * It asserts the exact outcome: the whole standard output, nothing on
 * standard error, and the exit status or the signal. Then it checks that
 * nothing was touched: the secret, the hidden directory, the victim, a
 * canary in this process's memory, the listeners, the descriptors.
 *
 * An attack that gets through a hole the library cannot close (none on
 * the kernel this suite was written on, Linux 6.18 with Landlock ABI 7,
 * since commands hold no capability) has an entry with the ideal outcome
 * and, separately, the exact output while the hole exists: that output
 * marks the test incomplete (TAP "TODO") with the reason, so the hole is
 * reported on every run and the test turns into an ordinary one as soon as
 * the hole closes. Any other output fails.
 *
 * The lifetime tests at the end check that no process outlives its
 * sandbox, whatever it does to escape the helper.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sandlock-test-common.h"

#define SECRET_TEXT "the supervisor's secret"

/* A variable of the supervisor that attacks try to overwrite. */
static char canary[16] = "untouched";

typedef enum {
  NEEDS_NOTHING = 0,
  NEEDS_PROC = 1 << 0,       /* /proc is readable, shared (private-proc off) */
  NEEDS_TERMINAL = 1 << 1,   /* standard input is a pseudo-terminal */
  NEEDS_DENIED = 1 << 2,     /* WRITABLE/denied exists and is in fs-denied */
  NEEDS_PRIVATE_PROC = 1 << 3, /* /proc is readable, private (the default) */
  NEEDS_CONTROLLING_TERMINAL = 1 << 4, /* this process leads a session whose
                                        * controlling terminal is a
                                        * pseudo-terminal (not the command's
                                        * standard input) */
  NEEDS_PTY = 1 << 5,        /* SandlockSandbox:pty */
  NEEDS_UDP_MARKS = 1 << 6,  /* net-allow lets datagrams reach MARKS */
  NEEDS_DEV_NULL = 1 << 7,   /* /dev/null is writable (the devices preset) */
} Needs;

typedef struct {
  const char *path;          /* below /security/ */
  const char *program;       /* attack-PROGRAM */
  const char *args;          /* space-separated, with @VARIABLES@ */
  Needs       needs;
  const char *expected;      /* the whole standard output, with @VARIABLES@ */
  int         signal;        /* the signal that ends it; 0: exit status 0 */
  const char *limitation;    /* a hole that is known to be open, or NULL */
  const char *leaky;         /* the exact output while that hole is open */
  const char *abi;           /* a foreign ABI (sandlock_test_foreign_abi()):
                              * the signal depends on the machine, and the
                              * attack's marker must not exist */
} Attack;

static const Attack attacks[] = {
  /* ---- other ABIs ---- */
  /* SIGSYS from the filter, or SIGSEGV where the kernel refuses the ABI
   * itself: see test_attack(). */
  { .path = "abi/i386-int80", .program = "int80", .args = "@WRITABLE@",
    .expected = "int80 creat(WRITABLE/int80-marker): trying\n", .abi = "int80" },
  { .path = "abi/x32", .program = "x32", .args = "@WRITABLE@",
    .expected = "x32 creat(WRITABLE/x32-marker): trying\n", .abi = "x32" },

  /* ---- processes and namespaces ---- */
  { "namespaces/clone3", "clone3", "", 0,
    "clone3 CLONE_NEWUSER|CLONE_NEWNS: ENOSYS\n"
    "clone3 CLONE_NEWPID: ENOSYS\n"
    "clone3 CLONE_NEWTIME: ENOSYS\n"
    "clone3 without namespaces: ENOSYS\n" },
  { "namespaces/clone", "clone-namespaces", "", 0,
    "clone CLONE_NEWNS: EPERM\n"
    "clone CLONE_NEWCGROUP: EPERM\n"
    "clone CLONE_NEWUTS: EPERM\n"
    "clone CLONE_NEWIPC: EPERM\n"
    "clone CLONE_NEWUSER: EPERM\n"
    "clone CLONE_NEWPID: EPERM\n"
    "clone CLONE_NEWNET: EPERM\n"
    "clone CLONE_NEWUSER|CLONE_NEWNS: EPERM\n"
    "clone CLONE_NEWUSER|upper-half-garbage: EPERM\n" },
  { "namespaces/unshare", "unshare", "", 0,
    "unshare CLONE_NEWNS: EPERM\n"
    "unshare CLONE_NEWCGROUP: EPERM\n"
    "unshare CLONE_NEWUTS: EPERM\n"
    "unshare CLONE_NEWIPC: EPERM\n"
    "unshare CLONE_NEWUSER: EPERM\n"
    "unshare CLONE_NEWPID: EPERM\n"
    "unshare CLONE_NEWNET: EPERM\n"
    "unshare CLONE_NEWTIME: EPERM\n"
    "unshare CLONE_NEWUSER|CLONE_NEWNS: EPERM\n" },
  { "namespaces/setns", "setns", "", NEEDS_PROC,
    "open /proc/self/ns/mnt: ok\n"
    "setns mnt: EPERM\n"
    "open /proc/self/ns/user: ok\n"
    "setns user: EPERM\n"
    "open /proc/self/ns/net: ok\n"
    "setns net: EPERM\n"
    "open /proc/self/ns/pid: ok\n"
    "setns pid: EPERM\n"
    "open /proc/self/ns/uts: ok\n"
    "setns uts: EPERM\n"
    "open /proc/self/ns/ipc: ok\n"
    "setns ipc: EPERM\n"
    "open /proc/self/ns/cgroup: ok\n"
    "setns cgroup: EPERM\n"
    "pidfd_open parent: ok\n"
    "setns pidfd of parent: EPERM\n" },

  /* ---- privileges ---- */
  /* The bounding set: see @BOUNDING_SET@ in fixture_setup(). */
  { "privileges/capabilities", "capabilities", "@WRITABLE@", 0,
    "effective: empty\n"
    "permitted: empty\n"
    "inheritable: empty\n"
    "ambient: empty\n"
    "bounding set: @BOUNDING_SET@\n"
    "settimeofday(NULL, NULL) (CAP_SYS_TIME): EPERM\n"
    "syslog SIZE_UNREAD (CAP_SYSLOG): EPERM\n"
    "sched_setscheduler SCHED_FIFO (CAP_SYS_NICE): EPERM\n"
    "setpriority one lower (CAP_SYS_NICE): EACCES\n"
    "setsockopt SO_MARK (CAP_NET_ADMIN): EPERM\n"
    "control: lower its hard RLIMIT_NOFILE: ok\n"
    "raise its hard RLIMIT_NOFILE back (CAP_SYS_RESOURCE): EPERM\n"
    "control: create WRITABLE/mode-000 with mode 000: ok\n"
    "open WRITABLE/mode-000 for reading (CAP_DAC_OVERRIDE): EACCES\n"
    "capset CAP_SYS_ADMIN: EPERM\n"
    "prctl PR_CAP_AMBIENT_RAISE CAP_NET_BIND_SERVICE: EPERM\n"
    "mknod WRITABLE/null (char 1:3): EACCES\n"
    "mknod WRITABLE/kmsg (char 1:11): EACCES\n"
    "mknod WRITABLE/loop0 (block 7:0): EACCES\n"
    "control: mkfifo WRITABLE/fifo: ok\n"
    "chroot WRITABLE (CAP_SYS_CHROOT): EPERM\n" },

  /* ---- the kernel surface on the deny list ---- */
  { "kernel/ptrace", "ptrace", "@SUPERVISOR@", 0,
    "PTRACE_TRACEME: EPERM\n"
    "PTRACE_ATTACH own child: EPERM\n"
    "PTRACE_SEIZE own child: EPERM\n"
    "PTRACE_ATTACH parent: EPERM\n"
    "PTRACE_ATTACH supervisor: EPERM\n"
    "PTRACE_SEIZE supervisor: EPERM\n" },
  { "kernel/process-vm", "process-vm", "@SUPERVISOR@ @CANARY@", 0,
    "process_vm_readv supervisor: EPERM\n"
    "process_vm_writev supervisor: EPERM\n" },
  { "kernel/mount", "mount", "@WRITABLE@ @HIDDEN@", 0,
    "mount tmpfs on writable: EPERM\n"
    "bind mount hidden on writable: EPERM\n"
    "remount /: EPERM\n"
    "umount2 /: EPERM\n"
    "pivot_root: EPERM\n"
    "fsopen tmpfs: EPERM\n"
    "fspick /: EPERM\n"
    "open_tree hidden: EPERM\n"
    "move_mount hidden to writable: EPERM\n"
    "mount_setattr / read-write: EPERM\n" },
  { "kernel/bpf", "bpf", "", 0,
    "bpf BPF_PROG_LOAD: EPERM\n"
    "bpf BPF_MAP_CREATE: EPERM\n" },
  { "kernel/io-uring", "io-uring", "", 0,
    "io_uring_setup: EPERM\n"
    "io_uring_enter: EPERM\n"
    "io_uring_register: EPERM\n" },
  { "kernel/perf-event-open", "perf", "@SUPERVISOR@", 0,
    "perf_event_open self: EPERM\n"
    "perf_event_open supervisor: EPERM\n" },
  { "kernel/keyctl", "keyctl", "", 0,
    "keyctl KEYCTL_JOIN_SESSION_KEYRING: EPERM\n"
    "keyctl KEYCTL_READ user keyring: EPERM\n"
    "add_key: EPERM\n"
    "request_key: EPERM\n" },
  { "kernel/userfaultfd", "userfaultfd", "", 0,
    "userfaultfd: EPERM\n"
    "open /dev/userfaultfd: EACCES\n" },
  { "kernel/personality", "personality", "", 0,
    "personality READ_IMPLIES_EXEC: EPERM\n"
    "personality ADDR_NO_RANDOMIZE: EPERM\n"
    "personality PER_LINUX32: EPERM\n"
    "personality query: EPERM\n" },
  { "kernel/prctl", "prctl", "", 0,
    "prctl PR_SET_DUMPABLE: EPERM\n"
    "prctl PR_SET_DUMPABLE with upper-half garbage: EPERM\n"
    "prctl PR_SET_PTRACER any: EPERM\n"
    "prctl PR_SET_SECUREBITS: EPERM\n" },
  { "kernel/tiocsti", "tiocsti", "", NEEDS_TERMINAL,
    "stdin is a terminal: ok\n"
    "ioctl TIOCSTI: EPERM\n"
    "ioctl TIOCSTI with upper-half garbage: EPERM\n"
    "ioctl TIOCLINUX: EPERM\n"
    "ioctl TIOCSETD N_NULL: EPERM\n"
    "ioctl TIOCEXCL: EPERM\n" },
  /* /dev/tty, with a private pseudo-terminal: the command's own terminal,
   * in its own session; the application's stays untouched (test_attack()
   * compares its attributes, size and both queues). TIOCSTI is refused by
   * the filter anyway. */
  { "terminal/private-pty", "tty", "", NEEDS_CONTROLLING_TERMINAL | NEEDS_PTY,
    "stdin is a terminal: ok\n"
    "open /dev/tty: ok\n"
    "TIOCGDEV /dev/tty: ok\n"
    "/dev/tty is standard input's terminal\n"
    "session: its own\n"
    "ioctl TIOCSTI /dev/tty: EPERM\n"
    "ioctl TIOCSTI stdin: EPERM\n"
    "tcgetattr /dev/tty: ok\n"
    "tcsetattr /dev/tty, echo flipped: ok\n"
    "TIOCSWINSZ /dev/tty 1x1: ok\n"
    "tcsetpgrp /dev/tty to its own group: ok\n"
    "write /dev/tty: ok\n" },
  /* Without a private terminal: the application's, in its session. */
  { "terminal/foreground", "tty-foreground", "", NEEDS_CONTROLLING_TERMINAL | NEEDS_TERMINAL,
    "stdin is a terminal: ok\n"
    "foreground group: another\n"
    "tcsetpgrp stdin to its own group: EPERM\n"
    "ioctl TIOCSPGRP stdin with upper-half garbage: EPERM\n"
    "foreground group: another\n" },
  { "kernel/raw-sockets", "raw-socket", "", 0,
    "socket AF_INET SOCK_RAW ICMP: EPERM\n"
    "socket AF_INET SOCK_RAW TCP: EPERM\n"
    "socket AF_INET SOCK_RAW|SOCK_CLOEXEC|SOCK_NONBLOCK: EPERM\n"
    "socket AF_INET6 SOCK_RAW ICMPV6: EPERM\n"
    "socket AF_INET SOCK_PACKET: EPERM\n"
    "socket AF_PACKET SOCK_RAW: EPERM\n"
    "socket AF_PACKET SOCK_DGRAM: EPERM\n" },
  /* Only what the policy governs: unix, TCP and UDP, and NETLINK_ROUTE,
   * which the C library needs and which refuses writes to a command
   * without CAP_NET_ADMIN. */
  { "net/socket-families", "socket-families", "", 0,
    "socket AF_UNIX SOCK_STREAM (control): ok\n"
    "socket AF_UNIX SOCK_DGRAM (control): ok\n"
    "socket AF_UNIX SOCK_SEQPACKET (control): ok\n"
    "socket AF_INET SOCK_STREAM (control): ok\n"
    "socket AF_INET SOCK_STREAM IPPROTO_TCP (control): ok\n"
    "socket AF_INET SOCK_DGRAM (control): ok\n"
    "socket AF_INET6 SOCK_DGRAM IPPROTO_UDP (control): ok\n"
    "socket AF_NETLINK NETLINK_ROUTE (control): ok\n"
    "socket AF_NETLINK SOCK_DGRAM NETLINK_ROUTE (control): ok\n"
    "socketpair AF_UNIX (control): ok\n"
    "socket AF_UNSPEC: EAFNOSUPPORT\n"
    "socket AF_VSOCK: EAFNOSUPPORT\n"
    "socket AF_VSOCK SOCK_DGRAM: EAFNOSUPPORT\n"
    "socket AF_VSOCK with upper-half garbage: EAFNOSUPPORT\n"
    "socket AF_PACKET: EPERM\n"
    "socket AF_XDP: EAFNOSUPPORT\n"
    "socket AF_BLUETOOTH: EAFNOSUPPORT\n"
    "socket AF_CAN: EAFNOSUPPORT\n"
    "socket AF_ALG: EAFNOSUPPORT\n"
    "socket AF_KEY: EAFNOSUPPORT\n"
    "socket AF_TIPC: EAFNOSUPPORT\n"
    "socket AF_RDS: EAFNOSUPPORT\n"
    "socket AF_LLC: EAFNOSUPPORT\n"
    "socket AF_APPLETALK: EAFNOSUPPORT\n"
    "socket AF_AX25: EAFNOSUPPORT\n"
    "socket AF_X25: EAFNOSUPPORT\n"
    "socket AF_PPPOX: EAFNOSUPPORT\n"
    "socket AF_QIPCRTR: EAFNOSUPPORT\n"
    "socket AF_SMC: EAFNOSUPPORT\n"
    "socket AF_MCTP: EAFNOSUPPORT\n"
    "socket family 46: EAFNOSUPPORT\n"
    "socket family 255: EAFNOSUPPORT\n"
    "socket AF_UNIX with upper-half garbage: EAFNOSUPPORT\n"
    "socket AF_INET with upper-half garbage: EAFNOSUPPORT\n"
    "socket AF_NETLINK with upper-half garbage: EAFNOSUPPORT\n"
    "socket AF_INET SOCK_RAW: EPERM\n"
    "socket AF_INET SOCK_DGRAM IPPROTO_ICMP (ping): EPROTONOSUPPORT\n"
    "socket AF_INET6 SOCK_DGRAM IPPROTO_ICMPV6 (ping): EPROTONOSUPPORT\n"
    "socket AF_INET SOCK_DGRAM IPPROTO_UDPLITE: EPROTONOSUPPORT\n"
    "socket AF_INET6 SOCK_DGRAM IPPROTO_UDPLITE: EPROTONOSUPPORT\n"
    "socket AF_INET SOCK_DGRAM protocol with upper-half garbage: EPROTONOSUPPORT\n"
    "socket AF_INET SOCK_SEQPACKET (SCTP): EPROTONOSUPPORT\n"
    "socket AF_INET6 SOCK_SEQPACKET (SCTP): EPROTONOSUPPORT\n"
    "socket AF_INET SOCK_DCCP: EPROTONOSUPPORT\n"
    "socket AF_INET6 SOCK_RDM: EPROTONOSUPPORT\n"
    "socket AF_INET type 0: EPROTONOSUPPORT\n"
    "socket AF_INET type 15: EPROTONOSUPPORT\n"
    "socket AF_INET type with upper-half garbage: EPROTONOSUPPORT\n"
    "socket AF_NETLINK NETLINK_SOCK_DIAG: EPROTONOSUPPORT\n"
    "socket AF_NETLINK NETLINK_AUDIT: EPROTONOSUPPORT\n"
    "socket AF_NETLINK NETLINK_KOBJECT_UEVENT: EPROTONOSUPPORT\n"
    "socket AF_NETLINK NETLINK_GENERIC: EPROTONOSUPPORT\n"
    "socket AF_NETLINK NETLINK_NETFILTER: EPROTONOSUPPORT\n"
    "socket AF_NETLINK NETLINK_ROUTE with upper-half garbage: EPROTONOSUPPORT\n"
    "socketpair AF_INET: EAFNOSUPPORT\n"
    "socketpair AF_VSOCK: EAFNOSUPPORT\n"
    "socketpair AF_TIPC: EAFNOSUPPORT\n"
    "socketpair AF_UNIX with upper-half garbage: EAFNOSUPPORT\n"
    "NETLINK_ROUTE RTM_GETLINK dump (control) (answered): ok\n"
    "NETLINK_ROUTE RTM_DELADDR: EPERM\n"
    "NETLINK_ROUTE RTM_NEWLINK: EPERM\n" },

  /* ---- the filesystem ---- */
  { "fs/dotdot", "dotdot", "@GRANTED@ hidden", 0,
    "open GRANTED/../HIDDEN/secret: EACCES\n"
    "open GRANTED: ok\n"
    "openat GRANTED ../HIDDEN/secret: EACCES\n"
    "openat GRANTED ..: EACCES\n"
    "chdir GRANTED: ok\n"
    "open ../HIDDEN/secret: EACCES\n"
    "open ../../../../../../../../etc/shadow: EACCES\n"
    "opendir GRANTED/..: EACCES\n"
    "control: open GRANTED/../GRANTED/file: ok\n" },
  { "fs/symlink", "symlink", "@WRITABLE@ @HIDDEN@", 0,
    "symlink WRITABLE/link -> HIDDEN/secret: ok\n"
    "open WRITABLE/link for reading: EACCES\n"
    "open WRITABLE/link for writing: EACCES\n"
    "truncate WRITABLE/link: EACCES\n"
    "symlink WRITABLE/dirlink -> HIDDEN: ok\n"
    "open WRITABLE/dirlink/secret: EACCES\n"
    "create WRITABLE/dirlink/new: EACCES\n"
    "open WRITABLE/planted for reading: EACCES\n" },
  { "fs/hardlink", "hardlink", "@WRITABLE@ @HIDDEN@", 0,
    "link HIDDEN/secret WRITABLE/hardlink: EXDEV\n"
    "linkat HIDDEN/secret WRITABLE/hardlink: EXDEV\n"
    "open HIDDEN with O_PATH: ok\n"
    "linkat O_PATH-of-HIDDEN secret WRITABLE/hardlink: EXDEV\n"
    "rename HIDDEN/secret WRITABLE/stolen: EACCES\n"
    "create WRITABLE/bait: ok\n"
    "renameat2 RENAME_EXCHANGE HIDDEN/secret WRITABLE/bait: EACCES\n" },
  /* fs-denied: a directory beneath the writable one that nothing reaches,
   * next to WORK (WRITABLE/work), which is writable. */
  { "fs/denied", "denied", "@WORK@ @DENIED@ access", NEEDS_DENIED,
    "read DENIED/secret: ENOENT\n"
    "symlink WORK/to-secret: ok\n"
    "read WORK/to-secret: ENOENT\n"
    "symlink WORK/to-denied: ok\n"
    "read WORK/to-denied/secret: ENOENT\n"
    "mkdir WORK/sub: ok\n"
    "read WORK/../denied/secret: ENOENT\n"
    "read DENIED/../denied/secret: ENOENT\n"
    "open DENIED with O_PATH: ENOENT\n"
    "list DENIED: ENOENT\n"
    "execute DENIED/prog: EACCES\n"
    "create DENIED/new: EACCES\n"
    "mkdir DENIED/newdir: EACCES\n"
    "open DENIED/secret for writing: ENOENT\n"
    "truncate DENIED/secret: EACCES\n"
    "unlink DENIED/secret: EACCES\n"
    "chmod DENIED/secret: EACCES\n"
    "inotify_add_watch DENIED: EACCES\n"
    "link DENIED/secret WORK/hardlink: EXDEV\n"
    "rename DENIED WORK/sub/moved: EACCES\n"
    "rename DENIED/secret WORK/stolen: EACCES\n"
    "renameat2 RENAME_EXCHANGE DENIED WORK/sub: EACCES\n"
    "rename WORK/sub DENIED/planted: EACCES\n"
    "create WORK/decoy: ok\n"
    "read WORK/swapped while it flips to DENIED/secret: EACCES\n" },
  { "fs/denied-lookup", "denied", "@WORK@ @DENIED@ lookup", NEEDS_DENIED,
    "stat DENIED/secret: ENOENT\n"
    "access DENIED/secret: ENOENT\n"
    "stat DENIED: ENOENT\n"
    "readlink DENIED/link: ENOENT\n"
    "lstat DENIED/link: ENOENT\n"
    "statx DENIED/secret: ENOENT\n"
    "faccessat DENIED/secret: ENOENT\n"
    "open DENIED with O_PATH: ENOENT\n"
    "getxattr DENIED/secret: ENOENT\n"
    "getxattr DENIED/secret, size only: ENOENT\n"
    "listxattr DENIED/secret: ENOENT\n"
    "llistxattr DENIED: ENOENT\n"
    "lgetxattr DENIED/link: ENOENT\n"
    "getxattrat DENIED/secret: ENOSYS\n"
    "listxattrat DENIED/secret: ENOSYS\n"
    "file_getattr DENIED/secret: ENOSYS\n"
    "control: listxattr WORK: ok\n"
    "control: getxattr WORK user.sandlock-none: ENODATA\n"
    "control: stat WORK: ok\n"
    "control: symlink WORK/to-denied: ok\n"
    "control: readlink WORK/to-denied: ok\n"
    "control: lstat WORK/to-denied: ok\n"
    "stat WORK/to-denied (followed): ENOENT\n" },
  /* Set-ID bits, file capabilities, owners: what the metadata guard would
   * otherwise do with the application's capabilities. */
  { "fs/setid", "setid", "@WRITABLE@ /dev/null", NEEDS_DEV_NULL,
    "control: create WORK/setid-prog: ok\n"
    "control: write WORK/setid-prog: ok\n"
    "chmod WORK/setid-prog 04755: EPERM\n"
    "fchmod WORK/setid-prog 04755: EPERM\n"
    "fchmodat WORK/setid-prog 02755: EPERM\n"
    "chown WORK/setid-prog 1:1: EPERM\n"
    "fchown WORK/setid-prog 1: EPERM\n"
    "setxattr WORK/setid-prog security.capability: EPERM\n"
    "fsetxattr WORK/setid-prog trusted.sandlock: EPERM\n"
    "control: chmod WORK/setid-prog 0700: ok\n"
    "control: chown WORK/setid-prog -1:-1: ok\n"
    "mode of WORK/setid-prog: 700\n"
    "control: mkdir WORK/setid-dir: ok\n"
    "control: chmod WORK/setid-dir 02775: ok\n"
    "chmod WORK/setid-dir 04775: EPERM\n"
    "mode of WORK/setid-dir: 2775\n"
    "chmod /dev/null to its own mode: EPERM\n"
    "fchmod /dev/null to its own mode: EPERM\n"
    "fchown /dev/null to its own owner: EPERM\n"
    "setxattr /dev/null system.posix_acl_access: EPERM\n"
    "control: open /dev/null for writing: ok\n" },
  /* Metadata changes (Landlock governs none): the metadata guard. */
  { "fs/metadata", "metadata", "@WRITABLE@ @HIDDEN@ @GRANTED_FILE@", 0,
    "chmod HIDDEN/secret: EACCES\n"
    "fchmodat HIDDEN/secret: EACCES\n"
    "fchmodat2 HIDDEN/secret: EACCES\n"
    "chown HIDDEN/secret to self: EACCES\n"
    "lchown HIDDEN/secret to self: EACCES\n"
    "fchownat HIDDEN/secret to self: EACCES\n"
    "utime HIDDEN/secret: EACCES\n"
    "utimes HIDDEN/secret: EACCES\n"
    "futimesat HIDDEN/secret: EACCES\n"
    "utimensat HIDDEN/secret: EACCES\n"
    "utimensat HIDDEN/secret now: EACCES\n"
    "setxattr HIDDEN/secret: EACCES\n"
    "lsetxattr HIDDEN/secret: EACCES\n"
    "removexattr HIDDEN/secret: EACCES\n"
    "lremovexattr HIDDEN/secret: EACCES\n"
    "setxattrat HIDDEN/secret: EACCES\n"
    "removexattrat HIDDEN/secret: EACCES\n"
    "file_setattr HIDDEN/secret nodump: EPERM\n"
    "chmod GRANTED/file: EACCES\n"
    "fchmodat GRANTED/file: EACCES\n"
    "fchmodat2 GRANTED/file: EACCES\n"
    "chown GRANTED/file to self: EACCES\n"
    "lchown GRANTED/file to self: EACCES\n"
    "fchownat GRANTED/file to self: EACCES\n"
    "utime GRANTED/file: EACCES\n"
    "utimes GRANTED/file: EACCES\n"
    "futimesat GRANTED/file: EACCES\n"
    "utimensat GRANTED/file: EACCES\n"
    "utimensat GRANTED/file now: EACCES\n"
    "setxattr GRANTED/file: EACCES\n"
    "lsetxattr GRANTED/file: EACCES\n"
    "removexattr GRANTED/file: EACCES\n"
    "lremovexattr GRANTED/file: EACCES\n"
    "setxattrat GRANTED/file: EACCES\n"
    "removexattrat GRANTED/file: EACCES\n"
    "file_setattr GRANTED/file nodump: EPERM\n"
    "chmod WRITABLE/planted (-> HIDDEN/secret): EACCES\n"
    "chown WRITABLE/planted (-> HIDDEN/secret): EACCES\n"
    "setxattr WRITABLE/planted (-> HIDDEN/secret): EACCES\n"
    "utimensat WRITABLE/planted (-> HIDDEN/secret): EACCES\n"
    "chmod WRITABLE/../hidden/secret: EACCES\n"
    "open HIDDEN/secret O_PATH: ok\n"
    "fchmod O_PATH-of-HIDDEN/secret: EBADF\n"
    "fchmodat2 O_PATH-of-HIDDEN/secret AT_EMPTY_PATH: EACCES\n"
    "fchown O_PATH-of-HIDDEN/secret to self: EBADF\n"
    "fchownat O_PATH-of-HIDDEN/secret AT_EMPTY_PATH to self: EACCES\n"
    "futimens O_PATH-of-HIDDEN/secret: EBADF\n"
    "utimensat O_PATH-of-HIDDEN/secret AT_EMPTY_PATH: EACCES\n"
    "futimesat O_PATH-of-HIDDEN/secret NULL: EBADF\n"
    "fsetxattr O_PATH-of-HIDDEN/secret: EBADF\n"
    "fremovexattr O_PATH-of-HIDDEN/secret: EBADF\n"
    "setxattrat O_PATH-of-HIDDEN/secret AT_EMPTY_PATH: EACCES\n"
    "ioctl FS_IOC_SETFLAGS O_PATH-of-HIDDEN/secret nodump: EPERM\n"
    "ioctl FS_IOC_SETFLAGS O_PATH-of-HIDDEN/secret nodump, upper-half garbage: EPERM\n"
    "ioctl FS_IOC_FSSETXATTR O_PATH-of-HIDDEN/secret nodump: EPERM\n"
    "ioctl FS_IOC_SETVERSION O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC32_SETFLAGS O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC32_SETVERSION O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC_ENABLE_VERITY O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC_SET_ENCRYPTION_POLICY O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_CREATE O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_CREATE_V2 O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SUBVOL_CREATE O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SUBVOL_CREATE_V2 O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_DESTROY O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_DESTROY_V2 O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SUBVOL_SETFLAGS O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl EXT4_IOC_SETVERSION O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl EXT4_IOC_MIGRATE O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FIDEDUPERANGE O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SET_RECEIVED_SUBVOL O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_SET_RECEIVED_SUBVOL_32 O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_DEFRAG O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl BTRFS_IOC_DEFRAG_RANGE O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl F2FS_IOC_SET_PIN_FILE O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC_ADD_ENCRYPTION_KEY O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC_REMOVE_ENCRYPTION_KEY O_PATH-of-HIDDEN/secret: EPERM\n"
    "ioctl FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS O_PATH-of-HIDDEN/secret: EPERM\n"
    "file_setattr O_PATH-of-HIDDEN/secret AT_EMPTY_PATH nodump: EPERM\n"
    "chmod /proc/self/fd of O_PATH-of-HIDDEN/secret: EACCES\n"
    "chown /proc/self/fd of O_PATH-of-HIDDEN/secret to self: EACCES\n"
    "fchmodat /proc/self/fd of O_PATH-of-HIDDEN/secret AT_SYMLINK_NOFOLLOW: EOPNOTSUPP\n"
    "open GRANTED/file for reading: ok\n"
    "fchmod read-only-GRANTED/file: EACCES\n"
    "fchmodat2 read-only-GRANTED/file AT_EMPTY_PATH: EACCES\n"
    "fchown read-only-GRANTED/file to self: EACCES\n"
    "fchownat read-only-GRANTED/file AT_EMPTY_PATH to self: EACCES\n"
    "futimens read-only-GRANTED/file: EACCES\n"
    "utimensat read-only-GRANTED/file AT_EMPTY_PATH: EACCES\n"
    "futimesat read-only-GRANTED/file NULL: EACCES\n"
    "fsetxattr read-only-GRANTED/file: EACCES\n"
    "fremovexattr read-only-GRANTED/file: EACCES\n"
    "setxattrat read-only-GRANTED/file AT_EMPTY_PATH: EACCES\n"
    "ioctl FS_IOC_SETFLAGS read-only-GRANTED/file nodump: EPERM\n"
    "ioctl FS_IOC_SETFLAGS read-only-GRANTED/file nodump, upper-half garbage: EPERM\n"
    "ioctl FS_IOC_FSSETXATTR read-only-GRANTED/file nodump: EPERM\n"
    "ioctl FS_IOC_SETVERSION read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC32_SETFLAGS read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC32_SETVERSION read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC_ENABLE_VERITY read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC_SET_ENCRYPTION_POLICY read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_CREATE read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_CREATE_V2 read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SUBVOL_CREATE read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SUBVOL_CREATE_V2 read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_DESTROY read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SNAP_DESTROY_V2 read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SUBVOL_SETFLAGS read-only-GRANTED/file: EPERM\n"
    "ioctl EXT4_IOC_SETVERSION read-only-GRANTED/file: EPERM\n"
    "ioctl EXT4_IOC_MIGRATE read-only-GRANTED/file: EPERM\n"
    "ioctl FIDEDUPERANGE read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SET_RECEIVED_SUBVOL read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_SET_RECEIVED_SUBVOL_32 read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_DEFRAG read-only-GRANTED/file: EPERM\n"
    "ioctl BTRFS_IOC_DEFRAG_RANGE read-only-GRANTED/file: EPERM\n"
    "ioctl F2FS_IOC_SET_PIN_FILE read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC_ADD_ENCRYPTION_KEY read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC_REMOVE_ENCRYPTION_KEY read-only-GRANTED/file: EPERM\n"
    "ioctl FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS read-only-GRANTED/file: EPERM\n"
    "file_setattr read-only-GRANTED/file AT_EMPTY_PATH nodump: EPERM\n"
    "chmod /proc/self/fd of read-only-GRANTED/file: EACCES\n"
    "chown /proc/self/fd of read-only-GRANTED/file to self: EACCES\n"
    "fchmodat /proc/self/fd of read-only-GRANTED/file AT_SYMLINK_NOFOLLOW: EOPNOTSUPP\n"
    "control: create WRITABLE/bait: ok\n"
    "control: chmod WRITABLE/bait: ok\n"
    "control: chown WRITABLE/bait to self: ok\n"
    "control: lchown WRITABLE/planted (the link) to self: ok\n"
    "control: utimensat WRITABLE/bait now: ok\n"
    "control: ioctl FS_IOC_GETFLAGS WRITABLE/bait: ok\n"
    "ioctl FS_IOC_SETFLAGS WRITABLE/bait unchanged (refused on every descriptor): EPERM\n"
    "control: chmod /proc/self/fd of an O_PATH WRITABLE/bait: ok\n"
    "control: symlink WRITABLE/escape -> ../HIDDEN/secret: ok\n"
    "chmod WRITABLE/escape (-> ../HIDDEN/secret): EACCES\n"
    "chown WRITABLE/escape (-> ../HIDDEN/secret) to self: EACCES\n"
    "utimensat WRITABLE/escape (-> ../HIDDEN/secret): EACCES\n"
    "control: symlink WRITABLE/to-bait -> bait: ok\n"
    "control: chmod WRITABLE/to-bait (-> bait): ok\n"
    "control: fchmodat2 WRITABLE/to-bait AT_SYMLINK_NOFOLLOW (a link has no mode): EOPNOTSUPP\n"
    "control: fchmod a writable WRITABLE/bait: ok\n"
    "fchmod read-only-GRANTED/file in a child, at its parent's number of WRITABLE/bait: EACCES\n"
    "fork: ok\n"
    "racing chmod WRITABLE/bait <-> HIDDEN/secret: the secret's mode stayed\n" },
  /* Watches (Landlock governs neither inotify nor fanotify): the inotify
   * guard, and fanotify_init() in the deny filter. */
  { "fs/inotify", "inotify", "@WRITABLE@ @HIDDEN@", 0,
    "inotify_init1: ok\n"
    "inotify_add_watch HIDDEN: EACCES\n"
    "inotify_add_watch HIDDEN IN_ONLYDIR: EACCES\n"
    "inotify_add_watch HIDDEN/secret: EACCES\n"
    "inotify_add_watch WRITABLE/planted (-> HIDDEN/secret): EACCES\n"
    "open HIDDEN O_PATH: ok\n"
    "inotify_add_watch /proc/self/fd/O_PATH-of-HIDDEN: refused\n"
    "fchdir O_PATH-of-HIDDEN: ok\n"
    "inotify_add_watch . (HIDDEN): EACCES\n"
    "inotify_add_watch secret (HIDDEN/secret): EACCES\n"
    "chdir /: ok\n"
    "inotify_add_watch /: EACCES\n"
    "events on HIDDEN: none\n"
    "control: inotify_add_watch WRITABLE: ok\n"
    "control: create WRITABLE/new: ok\n"
    "events on WRITABLE: created new\n"
    "control: inotify_rm_watch WRITABLE: ok\n"
    "fanotify_init FAN_REPORT_FID: EPERM\n"
    "fanotify_init FAN_CLASS_CONTENT: EPERM\n" },
  { "fs/proc-root", "proc-root", "@SUPERVISOR@ @SECRET@ @GRANTED_FILE@", NEEDS_PROC,
    "open /proc/self/root/HIDDEN/secret: EACCES\n"
    "open /proc/thread-self/root/HIDDEN/secret: EACCES\n"
    "open /proc/SUPERVISOR/root/HIDDEN/secret: EACCES\n"
    "open /proc/1/root/etc/passwd: EACCES\n"
    "control: open /proc/self/root/GRANTED/file: ok\n" },
  { "fs/proc-mem", "proc-mem", "@SUPERVISOR@", NEEDS_PROC,
    "open /proc/SUPERVISOR/mem read-write: EACCES\n"
    "open /proc/SUPERVISOR/mem read-only: EACCES\n"
    "open /proc/HELPER/mem read-write: EACCES\n"
    "open /proc/HELPER/mem read-only: EACCES\n"
    "control: open /proc/self/mem read-only: ok\n" },
  { "fs/proc-fd", "proc-fd", "@SUPERVISOR@ @SECRET_FD@", NEEDS_PROC,
    "opendir /proc/SUPERVISOR/fd: ok\n"
    "open each /proc/SUPERVISOR/fd/N: EACCES\n"
    "open /proc/SUPERVISOR/fd/SECRET: EACCES\n"
    "readlink /proc/SUPERVISOR/fd/SECRET: EACCES\n"
    "open /proc/SUPERVISOR/fdinfo/SECRET: EACCES\n"
    "pidfd_open SUPERVISOR: ok\n"
    "pidfd_getfd SUPERVISOR SECRET: EPERM\n" },
  { "fs/proc-info", "proc-info", "@SUPERVISOR@", NEEDS_PROC,
    "read /proc/SUPERVISOR/environ: EACCES\n"
    "read /proc/SUPERVISOR/maps: EACCES\n"
    "read /proc/SUPERVISOR/auxv: EACCES\n"
    "list /proc/SUPERVISOR/map_files: EACCES\n" },
  /* The same with a private /proc: other processes look absent. */
  { "fs/private-proc/root", "proc-root", "@SUPERVISOR@ @SECRET@ @GRANTED_FILE@", NEEDS_PRIVATE_PROC,
    "open /proc/self/root/HIDDEN/secret: EACCES\n"
    "open /proc/thread-self/root/HIDDEN/secret: EACCES\n"
    "open /proc/SUPERVISOR/root/HIDDEN/secret: ENOENT\n"
    "open /proc/1/root/etc/passwd: ENOENT\n"
    "control: open /proc/self/root/GRANTED/file: ok\n" },
  { "fs/private-proc/mem", "proc-mem", "@SUPERVISOR@", NEEDS_PRIVATE_PROC,
    "open /proc/SUPERVISOR/mem read-write: ENOENT\n"
    "open /proc/SUPERVISOR/mem read-only: ENOENT\n"
    "open /proc/HELPER/mem read-write: ENOENT\n"
    "open /proc/HELPER/mem read-only: ENOENT\n"
    "control: open /proc/self/mem read-only: ok\n" },
  { "fs/private-proc/fd", "proc-fd", "@SUPERVISOR@ @SECRET_FD@", NEEDS_PRIVATE_PROC,
    "opendir /proc/SUPERVISOR/fd: ENOENT\n"
    "open /proc/SUPERVISOR/fd/SECRET: ENOENT\n"
    "readlink /proc/SUPERVISOR/fd/SECRET: EACCES\n"
    "open /proc/SUPERVISOR/fdinfo/SECRET: ENOENT\n"
    "pidfd_open SUPERVISOR: ok\n"
    "pidfd_getfd SUPERVISOR SECRET: EPERM\n" },
  { "fs/private-proc/info", "proc-info", "@SUPERVISOR@", NEEDS_PRIVATE_PROC,
    "read /proc/SUPERVISOR/environ: ENOENT\n"
    "read /proc/SUPERVISOR/maps: ENOENT\n"
    "read /proc/SUPERVISOR/auxv: ENOENT\n"
    "list /proc/SUPERVISOR/map_files: ENOENT\n" },
  { "fs/private-proc/others", "proc-private", "@SUPERVISOR@ @VICTIM@", NEEDS_PRIVATE_PROC,
    "read /proc/SUPERVISOR/cmdline: ENOENT\n"
    "read /proc/SUPERVISOR/environ: ENOENT\n"
    "read /proc/SUPERVISOR/status: ENOENT\n"
    "read /proc/VICTIM/cmdline: ENOENT\n"
    "read /proc/VICTIM/environ: ENOENT\n"
    "read /proc/VICTIM/status: ENOENT\n"
    "read /proc/1/cmdline: ENOENT\n"
    "read /proc/1/status: ENOENT\n"
    "list /proc/VICTIM/task: ENOENT\n"
    "openat /proc-fd VICTIM/status: ENOENT\n"
    "open /proc/self/../VICTIM/status: ENOENT\n"
    "control: list /proc: ok\n"
    "listing of /proc: self seen, child seen, 0 other processes\n"
    "read /proc/CHILD/status: ok\n"
    "control: open /proc/CHILD/mem: ok\n"
    "read /proc/PARENT/mem from a child: EACCES\n"
    "open /proc/PARENT/mem from a child: EACCES\n"
    "control: stat /proc/self/status: ok\n"
    "read /proc/self/status: ok\n"
    "control: open /proc/self/status: ok\n"
    "control: open /proc/thread-self/stat: ok\n"
    "control: open /proc/cpuinfo: ok\n"
    "control: open /proc/meminfo: ok\n"
    "control: open /proc/net/unix: ok\n"
    "control: open /proc/mounts: ok\n" },
  { "fs/memfd-exec", "memfd", "", 0,
    "plain: memfd_create: ok\n"
    "execveat plain memfd AT_EMPTY_PATH: EACCES\n"
    "execve /proc/self/fd of plain memfd: EACCES\n"
    "fchmod plain memfd 0755: EPERM\n"
    "execveat plain memfd AT_EMPTY_PATH after fchmod: EACCES\n"
    "MFD_EXEC: memfd_create: EACCES\n"
    "control: memfd_create data MFD_CLOEXEC: ok\n"
    "control: it is close-on-exec: ok\n"
    "control: write: ok\n"
    "control: read back: ok\n"
    "control: mmap shared: ok\n"
    "control: read through the map: ok\n"
    "control: memfd_create without MFD_CLOEXEC: ok\n"
    "control: it is not close-on-exec: ok\n"
    "control: memfd_create MFD_ALLOW_SEALING: ok\n"
    "control: F_ADD_SEALS: ok\n"
    "control: F_GET_SEALS: ok\n" },
  { "fs/open-by-handle", "open-by-handle", "@HANDLE@ @GRANTED@", 0,
    "open GRANTED with O_PATH: ok\n"
    "open_by_handle_at HIDDEN/secret: EPERM\n"
    "name_to_handle_at GRANTED/file: EPERM\n" },
  { "fs/inherited-fds", "inherited-fd", "@LEAKED_FDS@", 0,
    "open descriptors: 0 1 2\n"
    "read LEAKED: EBADF\n"
    "read LEAKED: EBADF\n"
    "read LEAKED: EBADF\n" },

  /* ---- the network ---- */
  { "net/connect", "connect", "@CONNECT_ALLOWED@ @CONNECT_DENIED@", 0,
    "connect 127.0.0.1:DENIED: EACCES\n"
    "connect [::1]:DENIED: EACCES\n"
    "connect [::ffff:127.0.0.1]:DENIED: EACCES\n"
    "sendto MSG_FASTOPEN 127.0.0.1:DENIED: EOPNOTSUPP\n"
    "socket AF_INET MPTCP: EPROTONOSUPPORT\n"
    "socket AF_INET6 MPTCP: EPROTONOSUPPORT\n"
    "socket AF_INET SCTP: EPROTONOSUPPORT\n"
    "control: connect 127.0.0.1:ALLOWED: ok\n" },
  { "net/bind", "bind", "@BIND_ALLOWED@ @BIND_DENIED@", 0,
    "bind 127.0.0.1:DENIED: EACCES\n"
    "bind [::1]:DENIED: EACCES\n"
    "bind 127.0.0.1:0: EACCES\n"
    "socket AF_INET MPTCP: EPROTONOSUPPORT\n"
    "control: bind 127.0.0.1:ALLOWED: ok\n" },
  { "net/listen-autobind", "listen-autobind", "@CONNECT_ALLOWED@ @BIND_ALLOWED@", 0,
    "listen on an unbound TCP socket: EACCES\n"
    "listen on an unbound TCP6 socket: EACCES\n"
    "listen after a refused connect: EACCES\n"
    "listen after a connect undone by AF_UNSPEC: EACCES\n"
    "control: listen on 127.0.0.1:ALLOWED: ok\n" },
  /* Without CAP_NET_ADMIN, which no command holds, no socket enters
   * repair mode; the listen() guard would kill the sandbox if one did. */
  { "net/listen-repair", "listen-repair", "@CONNECT_ALLOWED@", 0,
    "TCP_REPAIR on: EPERM\n"
    "listen in repair mode: EACCES\n"
    "TCP_REPAIR off: EPERM\n"
    "listen again: EACCES\n" },
  { "net/unix-connect", "unix-connect", "@UNIX_STREAM@ @UNIX_DGRAM@ @UNIX_LINK@ @WRITABLE@", 0,
    "connect STREAM: EACCES\n"
    "connect STREAM as seqpacket: EACCES\n"
    "connect a link to STREAM: EACCES\n"
    "sendto DGRAM: EACCES\n"
    "sendmsg DGRAM: EACCES\n"
    "sendmmsg DGRAM: EACCES\n"
    "connect DGRAM: EACCES\n"
    "send on it: ENOTCONN\n"
    "control: connect its own socket: ok\n"
    "control: connect AF_UNSPEC: ok\n" },
  { "net/unix-race", "unix-race", "@UNIX_STREAM@ @WRITABLE@", 0,
    "connections to the hidden listener: 0\n"
    "control: connect its own listener after the race: ok\n" },
  { "net/udp", "udp", "@UDP4@ @UDP6@", 0,
    "sendto IPv4: EACCES\n"
    "sendmsg IPv4: EACCES\n"
    "sendmmsg IPv4: EACCES\n"
    "connect IPv4: EACCES\n"
    "sendto IPv6: EACCES\n"
    "sendmsg IPv6: EACCES\n"
    "sendmmsg IPv6: EACCES\n"
    "connect IPv6: EACCES\n"
    "sendto IPv4-mapped IPv6: EACCES\n"
    "sendmsg IPv4-mapped IPv6: EACCES\n"
    "sendmmsg IPv4-mapped IPv6: EACCES\n"
    "connect IPv4-mapped IPv6: EACCES\n" },
  /* The application's UDP port, held with SO_REUSEPORT: joining its group
   * would share its datagrams (Landlock governs no UDP port). */
  { "net/reuseport", "reuseport", "@REUSEPORT@", 0,
    "setsockopt UDP SO_REUSEPORT: ENOPROTOOPT\n"
    "setsockopt UDP SO_REUSEPORT, upper bits set: ENOPROTOOPT\n"
    "bind 127.0.0.1:REUSEPORT: EADDRINUSE\n"
    "setsockopt UDP6 SO_REUSEPORT: ENOPROTOOPT\n"
    "setsockopt TCP6 SO_REUSEPORT: ENOPROTOOPT\n"
    "control: setsockopt TCP6 SO_REUSEADDR: ok\n" },
  /* The application's UDP port on 0.0.0.0, held with SO_REUSEADDR: the
   * same address, or a more specific one, would take its datagrams. */
  { "net/udp-reuseaddr", "udp-reuseaddr", "@REUSEADDR@", 0,
    "control: setsockopt SO_REUSEADDR: ok\n"
    "bind 0.0.0.0:REUSEADDR: EADDRINUSE\n"
    "control: setsockopt SO_REUSEADDR: ok\n"
    "bind 127.0.0.1:REUSEADDR: EADDRINUSE\n"
    "control: setsockopt SO_REUSEADDR: ok\n"
    "bind control: 127.0.0.1:0: ok\n" },
  /* Datagrams are sent by the supervisor: control messages the kernel
   * allows only with capabilities would be checked against its own. */
  { "net/cmsg", "cmsg", "@MARKS@", NEEDS_UDP_MARKS,
    "sendmsg SO_MARK: EPERM\n"
    "sendmsg SO_PRIORITY 7: EPERM\n"
    "sendmsg IP_RETOPTS source route: EPERM\n"
    "sendmsg control: IP_TTL: ok\n" },
  /* Sockets beneath fs-writable whose mode lets no one in: the supervisor
   * connects for the command, but without its own capabilities. */
  { "net/unix-mode", "unix-mode", "@CLOSED_STREAM@ @CLOSED_DGRAM@", 0,
    "connect CLOSED_STREAM: EACCES\n"
    "sendto CLOSED_DGRAM: EACCES\n" },
  { "net/abstract-unix", "abstract-unix", "@STREAM@ @DGRAM@", 0,
    "connect @STREAM: EPERM\n"
    "sendto @DGRAM: EPERM\n"
    "connect @DGRAM: EPERM\n" },
  /* (glibc's mq_unlink() reports the filter's EPERM as EACCES.) */
  /* File leases (Landlock governs none): the owner of a file it may only
   * read would hold back every other process's opens of it. */
  { "fs/lease", "lease", "@GRANTED_FILE@", 0,
    "control: open GRANTED/file for reading: ok\n"
    "F_SETLEASE F_WRLCK GRANTED/file: EPERM\n"
    "F_SETLEASE F_RDLCK GRANTED/file: EPERM\n"
    "control: F_GETLEASE GRANTED/file: none\n" },
  /* Shared futexes of a file it may only read: requeueing would move
   * other processes' waiters where their wake-up never finds them. */
  { "kernel/futex-requeue", "futex", "@GRANTED_FILE@", 0,
    "FUTEX_CMP_REQUEUE GRANTED/file (shared) to its own futex: EINVAL\n"
    "FUTEX_REQUEUE GRANTED/file (shared) to its own futex: EINVAL\n"
    "futex_requeue GRANTED/file (shared) to its own futex: ENOSYS\n"
    "control: FUTEX_CMP_REQUEUE_PRIVATE of its own futex: ok\n"
    "control: FUTEX_WAKE GRANTED/file (shared): ok\n" },
  { "kernel/mqueue", "mqueue", "@MQUEUE@", 0,
    "mq_open MQUEUE: EPERM\n"
    "mq_unlink MQUEUE: EACCES\n"
    "mq_open a queue of its own: EPERM\n" },
  { "kernel/prlimit", "prlimit", "@SUPERVISOR@", 0,
    "set the CPU limit of the helper: EPERM\n"
    "control: read the descriptor limit of the helper: ok\n"
    "set the descriptor limit of the helper: EPERM\n"
    "set the CPU limit of SUPERVISOR: EPERM\n"
    "control: read the descriptor limit of SUPERVISOR: ok\n"
    "set the descriptor limit of SUPERVISOR: EPERM\n"
    "control: setrlimit of its own: ok\n"
    "control: prlimit 0 of its own: ok\n" },
  { "kernel/sched", "sched", "@SUPERVISOR@ @VICTIM@ @CANARY@", 0,
    "setpriority PRIO_PROCESS SUPERVISOR 19: EPERM\n"
    "sched_setscheduler SUPERVISOR SCHED_IDLE: EPERM\n"
    "sched_setparam SUPERVISOR: EPERM\n"
    "sched_setattr SUPERVISOR SCHED_IDLE: EPERM\n"
    "sched_setaffinity SUPERVISOR one CPU: EPERM\n"
    "ioprio_set IOPRIO_WHO_PROCESS SUPERVISOR idle: EPERM\n"
    "setpriority PRIO_PROCESS the helper 19: EPERM\n"
    "sched_setscheduler the helper SCHED_IDLE: EPERM\n"
    "sched_setparam the helper: EPERM\n"
    "sched_setattr the helper SCHED_IDLE: EPERM\n"
    "sched_setaffinity the helper one CPU: EPERM\n"
    "ioprio_set IOPRIO_WHO_PROCESS the helper idle: EPERM\n"
    "setpriority PRIO_PGRP VICTIM 19: EPERM\n"
    "setpriority PRIO_USER unused uid 19: EPERM\n"
    "ioprio_set IOPRIO_WHO_PGRP VICTIM idle: EPERM\n"
    "ioprio_set IOPRIO_WHO_USER unused uid idle: EPERM\n"
    "control: pidfd_open SUPERVISOR: ok\n"
    "process_madvise SUPERVISOR MADV_COLD: EPERM\n"
    "kcmp self SUPERVISOR: EPERM\n"
    "pidfd_getfd SUPERVISOR 0: EPERM\n"
    "process_mrelease SUPERVISOR: EPERM\n"
    "control: nice 5: ok\n"
    "control: setpriority PRIO_PROCESS 0 6: ok\n"
    "control: sched_getaffinity 0: ok\n"
    "control: sched_setaffinity 0: ok\n"
    "control: sched_setscheduler 0 SCHED_BATCH: ok\n"
    "control: sched_setparam 0: ok\n"
    "control: sched_setattr 0 SCHED_BATCH: ok\n"
    "control: ioprio_set IOPRIO_WHO_PROCESS 0 best-effort 7: ok\n" },
  { "net/signals", "signals", "@SUPERVISOR@ @VICTIM@", 0,
    "kill SUPERVISOR SIGKILL: EPERM\n"
    "kill SUPERVISOR 0: EPERM\n"
    "tgkill SUPERVISOR SIGKILL: EPERM\n"
    "rt_sigqueueinfo SUPERVISOR SIGKILL: EPERM\n"
    "pidfd_open SUPERVISOR: ok\n"
    "pidfd_send_signal SUPERVISOR SIGKILL: EPERM\n"
    "kill VICTIM SIGKILL: EPERM\n"
    "kill -VICTIM (its process group) SIGKILL: EPERM\n"
    "kill HELPER SIGKILL: EPERM\n"
    "pipe: ok\n"
    "fcntl F_SETOWN SUPERVISOR: ok\n"
    "fcntl F_SETFL O_ASYNC: ok\n"
    "write (raises SIGIO for SUPERVISOR): ok\n" },
};

/* ---- the fixture: what the attacks aim at ------------------------------ */

typedef struct {
  char        *tmpdir;
  char        *granted;
  char        *granted_file;
  char        *hidden;
  char        *secret;
  char        *writable;
  char        *denied;          /* WRITABLE/denied, made for NEEDS_DENIED */
  struct stat  secret_st;       /* as they were before the attack */
  struct stat  granted_file_st;
  int          secret_fd;       /* the supervisor holds the secret open */
  int          leaked_fds[3];   /* and leaks it without close-on-exec */
  GPid         victim;
  int          connect_allowed_fd;
  int          connect_denied_fd;
  guint16      connect_allowed;
  guint16      connect_denied;
  guint16      bind_allowed;
  guint16      bind_denied;
  char        *stream_name;
  char        *mqueue_name;     /* a POSIX message queue of the supervisor's */
  char        *dgram_name;
  int          stream_fd;
  int          dgram_fd;
  char        *unix_stream;     /* pathname sockets in the hidden directory */
  char        *unix_dgram;
  int          unix_stream_fd;
  int          unix_dgram_fd;
  int          udp4_fd;         /* UDP receivers on loopback */
  int          udp6_fd;
  guint16      udp4_port;
  guint16      udp6_port;
  int          reuseport_fd;    /* a UDP receiver with SO_REUSEPORT */
  guint16      reuseport_port;
  int          closed_stream_fd; /* WRITABLE/closed-*.sock, mode 0000 */
  int          closed_dgram_fd;
  int          marks_fd;        /* a UDP receiver that records marks */
  guint16      marks_port;
  int          reuseaddr_fd;    /* one on 0.0.0.0 with SO_REUSEADDR */
  guint16      reuseaddr_port;
  char        *handle;
  GHashTable  *variables;
} Fixture;

static int
abstract_socket (int         type,
                 const char *name)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t length;
  int fd;

  strncpy (addr.sun_path + 1, name, sizeof addr.sun_path - 2);
  length = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (name));
  fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, length));
  if (type == SOCK_STREAM)
    g_assert_no_errno (listen (fd, 4));
  return fd;
}

static int
path_socket (int         type,
             const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  g_assert_cmpuint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (chmod (path, 0777));
  if (type == SOCK_STREAM)
    g_assert_no_errno (listen (fd, 4));
  return fd;
}

/* A UDP socket on ADDRESS with OPTION (SO_REUSEPORT, as servers that
 * spread their load over several sockets bind theirs; SO_REUSEADDR, as
 * multicast responders do). */
static int
udp_receiver_reusing (int        option,
                      in_addr_t  address,
                      guint16   *port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int one = 1;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (setsockopt (fd, SOL_SOCKET, option, &one, sizeof one));
  addr.sin_addr.s_addr = htonl (address);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, length));
  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &length));
  *port = ntohs (addr.sin_port);
  return fd;
}

static int
udp_receiver (int      domain,
              guint16 *port)
{
  struct sockaddr_storage addr = { 0 };
  socklen_t length = domain == AF_INET ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6);
  int fd = socket (domain, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  addr.ss_family = domain;
  if (domain == AF_INET)
    ((struct sockaddr_in *) &addr)->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  else
    ((struct sockaddr_in6 *) &addr)->sin6_addr = in6addr_any;   /* ::1 and v4-mapped */
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, length));
  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &length));
  *port = ntohs (domain == AF_INET ? ((struct sockaddr_in *) &addr)->sin_port
                                   : ((struct sockaddr_in6 *) &addr)->sin6_port);
  return fd;
}

/* Two distinct ports free now: both are held until both are chosen, so
 * that the second cannot be the first again. */
static void
free_ports (guint16 *first,
            guint16 *second)
{
  int first_fd = sandlock_test_listen_tcp (first);
  int second_fd = sandlock_test_listen_tcp (second);

  g_assert_cmpuint (*first, !=, *second);
  close (first_fd);
  close (second_fd);
}

static char *
file_handle_of (const char *path)
{
  union {
    struct file_handle handle;
    char bytes[sizeof (struct file_handle) + MAX_HANDLE_SZ];
  } h = { .handle.handle_bytes = MAX_HANDLE_SZ };
  GString *text;
  int mount_id;

  g_assert_no_errno (name_to_handle_at (AT_FDCWD, path, &h.handle, &mount_id, 0));
  text = g_string_new (NULL);
  g_string_append_printf (text, "%d:", h.handle.handle_type);
  for (guint i = 0; i < h.handle.handle_bytes; i++)
    g_string_append_printf (text, "%02x", h.handle.f_handle[i]);
  return g_string_free (text, FALSE);
}

static GPid
start_victim (void)
{
  GPid pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR);

      /* An unrelated process that leads its own process group. It dies
       * with the test and keeps none of its output open: a failing test
       * must not leave it behind. */
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      dup2 (null, 1);
      dup2 (null, 2);
      setpgid (0, 0);
      for (;;)
        pause ();
    }
  setpgid (pid, pid);
  return pid;
}

/* The first spawn makes GLib create descriptors it keeps (the wake-up
 * eventfds of its worker thread and of the child watch): make them before
 * any test counts descriptors, once per process, in the test's fixture
 * (nothing spawns before g_test_run()). */
static void
warm_up_once (void)
{
  static gboolean done;
  g_autoptr(SandlockSandbox) sandbox = NULL;
  const char * const argv[] = { "/bin/true", NULL };
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (done)
    return;
  sandbox = sandlock_test_sandbox_new ();
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sandlock_result_get_success (result));
  done = TRUE;
}

/* Whether this process has @cap in its permitted set. */
static gboolean
has_permitted (int cap)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };

  g_assert_no_errno ((int) syscall (SYS_capget, &header, data));
  return (data[cap / 32].permitted & (1U << (cap % 32))) != 0;
}

/* What the command's bounding set must be, as attack-capabilities prints
 * it: empty when the supervisor may empty it (CAP_SETPCAP), else the one
 * the supervisor has itself, which the command inherits unchanged. */
static char *
expected_bounding_set (void)
{
  guint64 set = 0;

  if (has_permitted (CAP_SETPCAP))
    return g_strdup ("empty");
  for (int cap = 0; cap < 64 && prctl (PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
    if (prctl (PR_CAPBSET_READ, cap, 0, 0, 0) > 0)
      set |= G_GUINT64_CONSTANT (1) << cap;
  if (set == 0)
    return g_strdup ("empty");
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", set);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *planted;

  warm_up_once ();
  f->tmpdir = g_dir_make_tmp ("sandlock-security-XXXXXX", &error);
  g_assert_no_error (error);
  f->granted = g_build_filename (f->tmpdir, "granted", NULL);
  f->hidden = g_build_filename (f->tmpdir, "hidden", NULL);
  f->writable = g_build_filename (f->tmpdir, "writable", NULL);
  f->denied = g_build_filename (f->writable, "denied", NULL);
  g_assert_no_errno (g_mkdir (f->granted, 0755));
  g_assert_no_errno (g_mkdir (f->hidden, 0755));
  g_assert_no_errno (g_mkdir (f->writable, 0755));
  f->granted_file = sandlock_test_make_file (f->granted, "file", "granted");
  f->secret = sandlock_test_make_file (f->hidden, "secret", SECRET_TEXT);
  g_assert_no_errno (chmod (f->secret, 0600));
  planted = g_build_filename (f->writable, "planted", NULL);
  g_assert_no_errno (symlink (f->secret, planted));
  g_free (planted);

  f->secret_fd = open (f->secret, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (f->secret_fd, >=, 0);
  /* The lowest free number and two high ones, without close-on-exec. */
  f->leaked_fds[0] = dup (f->secret_fd);
  f->leaked_fds[1] = dup2 (f->secret_fd, 100);
  f->leaked_fds[2] = dup2 (f->secret_fd, 900);
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (f->leaked_fds[i], >=, 0);

  f->victim = start_victim ();
  f->connect_allowed_fd = sandlock_test_listen_tcp (&f->connect_allowed);
  f->connect_denied_fd = sandlock_test_listen_tcp (&f->connect_denied);
  free_ports (&f->bind_allowed, &f->bind_denied);
  f->stream_name = g_strdup_printf ("sandlock-security-%d-stream", (int) getpid ());
  f->dgram_name = g_strdup_printf ("sandlock-security-%d-dgram", (int) getpid ());
  f->stream_fd = abstract_socket (SOCK_STREAM, f->stream_name);
  {
    /* The smallest queue: the user's RLIMIT_MSGQUEUE (800 KiB) holds only
     * ten of the default size. A test that aborts leaves its queue behind
     * (queues outlive processes), and pids wrap: a leftover of root's with
     * our pid would refuse nobody, so the name is our own, made exclusive. */
    struct mq_attr attributes = { .mq_maxmsg = 1, .mq_msgsize = 1 };
    mqd_t queue = (mqd_t) -1;

    for (int attempt = 0; attempt < 16 && queue == (mqd_t) -1; attempt++)
      {
        g_free (f->mqueue_name);
        f->mqueue_name = g_strdup_printf ("/sandlock-security-%u-%d-%08x", (unsigned) getuid (),
                                          (int) getpid (), g_random_int ());
        queue = mq_open (f->mqueue_name, O_RDWR | O_CREAT | O_EXCL, 0600, &attributes);
        if (queue == (mqd_t) -1 && errno != EEXIST)
          g_error ("mq_open %s: %s", f->mqueue_name, g_strerror (errno));
      }
    g_assert_cmpint (queue, !=, (mqd_t) -1);
    mq_close (queue);
  }
  f->dgram_fd = abstract_socket (SOCK_DGRAM, f->dgram_name);
  f->handle = file_handle_of (f->secret);
  f->unix_stream = g_build_filename (f->hidden, "stream.sock", NULL);
  f->unix_dgram = g_build_filename (f->hidden, "dgram.sock", NULL);
  f->unix_stream_fd = path_socket (SOCK_STREAM, f->unix_stream);
  f->unix_dgram_fd = path_socket (SOCK_DGRAM, f->unix_dgram);
  {
    g_autofree char *link = g_build_filename (f->writable, "link.sock", NULL);

    g_assert_no_errno (symlink (f->unix_stream, link));
    f->udp4_fd = udp_receiver (AF_INET, &f->udp4_port);
    f->udp6_fd = udp_receiver (AF_INET6, &f->udp6_port);
    f->reuseport_fd = udp_receiver_reusing (SO_REUSEPORT, INADDR_LOOPBACK, &f->reuseport_port);
    f->reuseaddr_fd = udp_receiver_reusing (SO_REUSEADDR, INADDR_ANY, &f->reuseaddr_port);
    f->marks_fd = udp_receiver (AF_INET, &f->marks_port);
    {
      g_autofree char *closed_stream = g_build_filename (f->writable, "closed-stream.sock", NULL);
      g_autofree char *closed_dgram = g_build_filename (f->writable, "closed-dgram.sock", NULL);

      f->closed_stream_fd = path_socket (SOCK_STREAM, closed_stream);
      f->closed_dgram_fd = path_socket (SOCK_DGRAM, closed_dgram);
      g_assert_no_errno (chmod (closed_stream, 0));
      g_assert_no_errno (chmod (closed_dgram, 0));
    }
    {
      int one = 1;

      /* SO_RCVMARK (Linux 5.19): the mark comes with each datagram. */
      g_assert_no_errno (setsockopt (f->marks_fd, SOL_SOCKET, 75, &one, sizeof one));
    }
  }
  g_assert_no_errno (stat (f->secret, &f->secret_st));
  g_assert_no_errno (stat (f->granted_file, &f->granted_file_st));

  f->variables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
#define SET(name, ...) g_hash_table_insert (f->variables, (gpointer) "@" name "@", g_strdup_printf (__VA_ARGS__))
  SET ("SUPERVISOR", "%d", (int) getpid ());
  SET ("VICTIM", "%d", (int) f->victim);
  SET ("CANARY", "%p", (void *) canary);
  SET ("GRANTED", "%s", f->granted);
  SET ("GRANTED_FILE", "%s", f->granted_file);
  SET ("HIDDEN", "%s", f->hidden);
  SET ("SECRET", "%s", f->secret);
  SET ("SECRET_FD", "%d", f->secret_fd);
  SET ("LEAKED_FDS", "%d %d %d", f->leaked_fds[0], f->leaked_fds[1], f->leaked_fds[2]);
  SET ("WRITABLE", "%s", f->writable);
  SET ("DENIED", "%s", f->denied);
  SET ("WORK", "%s/work", f->writable);
  SET ("HANDLE", "%s", f->handle);
  SET ("CONNECT_ALLOWED", "%u", f->connect_allowed);
  SET ("CONNECT_DENIED", "%u", f->connect_denied);
  SET ("BIND_ALLOWED", "%u", f->bind_allowed);
  SET ("BIND_DENIED", "%u", f->bind_denied);
  SET ("STREAM", "%s", f->stream_name);
  SET ("MQUEUE", "%s", f->mqueue_name);
  SET ("DGRAM", "%s", f->dgram_name);
  SET ("UNIX_STREAM", "%s", f->unix_stream);
  SET ("UNIX_DGRAM", "%s", f->unix_dgram);
  SET ("UNIX_LINK", "%s/link.sock", f->writable);
  SET ("UDP4", "%u", f->udp4_port);
  SET ("UDP6", "%u", f->udp6_port);
  SET ("REUSEPORT", "%u", f->reuseport_port);
  SET ("REUSEADDR", "%u", f->reuseaddr_port);
  SET ("MARKS", "%u", f->marks_port);
  SET ("CLOSED_STREAM", "%s/closed-stream.sock", f->writable);
  SET ("CLOSED_DGRAM", "%s/closed-dgram.sock", f->writable);
  g_hash_table_insert (f->variables, (gpointer) "@BOUNDING_SET@", expected_bounding_set ());
#undef SET
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  kill (f->victim, SIGKILL);
  g_assert_cmpint (waitpid (f->victim, NULL, 0), ==, f->victim);
  close (f->secret_fd);
  for (int i = 0; i < 3; i++)
    close (f->leaked_fds[i]);
  close (f->connect_allowed_fd);
  close (f->connect_denied_fd);
  close (f->stream_fd);
  close (f->dgram_fd);
  close (f->unix_stream_fd);
  close (f->unix_dgram_fd);
  close (f->udp4_fd);
  close (f->udp6_fd);
  close (f->reuseport_fd);
  close (f->reuseaddr_fd);
  close (f->marks_fd);
  close (f->closed_stream_fd);
  close (f->closed_dgram_fd);
  g_free (f->unix_stream);
  g_free (f->unix_dgram);
  /* The queue is still there: no attack removed it. */
  g_assert_no_errno (mq_unlink (f->mqueue_name));
  g_free (f->mqueue_name);
  sandlock_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->granted);
  g_free (f->granted_file);
  g_free (f->hidden);
  g_free (f->secret);
  g_free (f->writable);
  g_free (f->denied);
  g_free (f->stream_name);
  g_free (f->dgram_name);
  g_free (f->handle);
  g_hash_table_unref (f->variables);
}

/* ---- running an attack --------------------------------------------------- */

static char *
attack_path (const char *program)
{
  g_autofree char *name = g_strconcat ("attack-", program, NULL);
  g_autofree char *built = g_test_build_filename (G_TEST_BUILT, "security", name, NULL);

  return g_canonicalize_filename (built, NULL);
}

static char *
attack_dir (void)
{
  g_autofree char *built = g_test_build_filename (G_TEST_BUILT, "security", NULL);

  return g_canonicalize_filename (built, NULL);
}

static SandlockSandbox *
attack_sandbox_new (Fixture *f,
                    Needs    needs)
{
  SandlockSandbox *sandbox = sandlock_test_sandbox_new ();
  g_autofree char *programs = attack_dir ();
  g_autofree char *connect_port = g_strdup_printf ("%u", f->connect_allowed);
  g_autofree char *bind_port = g_strdup_printf ("%u", f->bind_allowed);
  const char * const connect_ports[] = { connect_port, NULL };
  const char * const bind_ports[] = { bind_port, NULL };

  sandlock_test_grant (sandbox, programs, FALSE);
  sandlock_test_grant (sandbox, f->granted, FALSE);
  sandlock_test_grant (sandbox, f->writable, TRUE);
  if (needs & (NEEDS_PROC | NEEDS_PRIVATE_PROC))
    sandlock_test_grant (sandbox, "/proc", FALSE);
  sandlock_sandbox_set_private_proc (sandbox, (needs & NEEDS_PROC) == 0);
  if (needs & NEEDS_DENIED)
    {
      const char * const denied[] = { f->denied, NULL };
      g_autofree char *secret = NULL;
      g_autofree char *prog = NULL;
      g_autofree char *link = g_build_filename (f->denied, "link", NULL);

      g_autofree char *work = g_build_filename (f->writable, "work", NULL);

      g_assert_no_errno (g_mkdir (f->denied, 0755));
      g_assert_no_errno (g_mkdir (work, 0755));
      secret = sandlock_test_make_file (f->denied, "secret", SECRET_TEXT);
      g_assert_no_errno (chmod (secret, 0600));
      /* What the lookup attack must not read; a file system without user
       * attributes answers the same to the attack. */
      (void) setxattr (secret, "user.sandlock-secret", SECRET_TEXT, strlen (SECRET_TEXT), 0);
      prog = sandlock_test_make_file (f->denied, "prog", "#!/bin/sh\necho escaped\n");
      g_assert_no_errno (chmod (prog, 0755));
      g_assert_no_errno (symlink ("secret", link));
      sandlock_sandbox_set_fs_denied (sandbox, denied);
    }
  if (needs & NEEDS_DEV_NULL)
    sandlock_test_grant (sandbox, "/dev/null", TRUE);
  sandlock_sandbox_set_pty (sandbox, (needs & NEEDS_PTY) != 0);
  sandlock_sandbox_set_net_connect (sandbox, connect_ports);
  sandlock_sandbox_set_net_bind (sandbox, bind_ports);
  if (needs & NEEDS_UDP_MARKS)
    {
      g_autofree char *rule = g_strdup_printf ("udp:127.0.0.1:%u", f->marks_port);
      const char * const allow[] = { rule, NULL };

      sandlock_sandbox_set_net_allow (sandbox, allow);
    }
  return sandbox;
}

static GPtrArray *
attack_argv (Fixture    *f,
             const char *program,
             const char *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit (args, " ", -1);

  g_ptr_array_add (argv, attack_path (program));
  for (gsize i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      const char *value;

      if (*word == '\0')
        continue;
      value = g_hash_table_lookup (f->variables, word);
      if (word[0] == '@' && value == NULL)
        g_error ("Unknown variable %s", word);
      /* A variable may stand for several arguments. */
      if (value != NULL && strchr (value, ' ') != NULL && word[0] == '@')
        {
          g_auto(GStrv) parts = g_strsplit (value, " ", -1);

          for (gsize j = 0; parts[j] != NULL; j++)
            g_ptr_array_add (argv, g_strdup (parts[j]));
        }
      else
        g_ptr_array_add (argv, g_strdup (value != NULL ? value : word));
    }
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* The numbers of leaked descriptors vary; the output names them LEAKED. */
static char *
mask_leaked_fds (Fixture    *f,
                 const char *output)
{
  g_autofree char *masked = g_strdup (output);

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("read %d:", f->leaked_fds[i]);
      g_auto(GStrv) parts = g_strsplit (masked, number, -1);

      g_free (masked);
      masked = g_strjoinv ("read LEAKED:", parts);
    }
  return g_steal_pointer (&masked);
}

typedef struct {
  int             master;
  int             slave;
  gboolean        controlling;   /* this process's controlling terminal */
  struct termios  attributes;    /* as it was before the attack */
  struct winsize  size;
  void          (*saved_sighup) (int);
} Terminal;

static void
terminal_open (Terminal *terminal)
{
  struct termios attributes;

  terminal->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (terminal->master, >=, 0);
  g_assert_no_errno (grantpt (terminal->master));
  g_assert_no_errno (unlockpt (terminal->master));
  terminal->slave = open (ptsname (terminal->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (terminal->slave, >=, 0);

  /* Raw: in canonical mode an injected character is not counted as
   * pending input until a newline completes its line. */
  g_assert_no_errno (tcgetattr (terminal->slave, &attributes));
  cfmakeraw (&attributes);
  g_assert_no_errno (tcsetattr (terminal->slave, TCSANOW, &attributes));
}

/* Makes @terminal this process's controlling terminal, in a session it
 * leads, as an application started from a shell has one. */
static void
terminal_make_controlling (Terminal *terminal)
{
  /* Each test runs in a process of its own, which leads no group. */
  if (getsid (0) != getpid ())
    g_assert_no_errno (setsid () < 0 ? -1 : 0);
  else
    {
      /* The tests share a process (valgrind): drop the terminal an earlier
       * test left, if any. */
      int previous = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

      if (previous >= 0)
        {
          ioctl (previous, TIOCNOTTY);
          close (previous);
        }
    }
  /* Giving the terminal up sends SIGHUP to our own group. */
  terminal->saved_sighup = signal (SIGHUP, SIG_IGN);
  g_assert_no_errno (ioctl (terminal->slave, TIOCSCTTY, 0));
  terminal->controlling = TRUE;
  g_assert_no_errno (tcgetattr (terminal->slave, &terminal->attributes));
  g_assert_no_errno (ioctl (terminal->slave, TIOCGWINSZ, &terminal->size));
}

/* The controlling terminal is as it was: attributes, size, nothing
 * written to it (nothing for the master to read). Then gives it up. */
static void
terminal_check_controlling (Terminal *terminal)
{
  struct termios attributes;
  struct winsize size;
  int unread = -1;

  if (!terminal->controlling)
    return;
  g_assert_no_errno (tcgetattr (terminal->slave, &attributes));
  g_assert_cmpint (attributes.c_lflag, ==, terminal->attributes.c_lflag);
  g_assert_cmpint (attributes.c_iflag, ==, terminal->attributes.c_iflag);
  g_assert_cmpint (attributes.c_oflag, ==, terminal->attributes.c_oflag);
  g_assert_no_errno (ioctl (terminal->slave, TIOCGWINSZ, &size));
  g_assert_cmpint (size.ws_row, ==, terminal->size.ws_row);
  g_assert_cmpint (size.ws_col, ==, terminal->size.ws_col);
  g_assert_no_errno (ioctl (terminal->master, FIONREAD, &unread));
  g_assert_cmpint (unread, ==, 0);
  /* The application's group is still the terminal's foreground one: what
   * the user types goes to it. */
  g_assert_cmpint (tcgetpgrp (terminal->slave), ==, getpgrp ());

  g_assert_no_errno (ioctl (terminal->slave, TIOCNOTTY));
  signal (SIGHUP, terminal->saved_sighup);
  terminal->controlling = FALSE;
}

static int
terminal_pending (Terminal *terminal)
{
  int pending = -1;

  g_assert_no_errno (ioctl (terminal->slave, FIONREAD, &pending));
  return pending;
}

static void
terminal_check_and_close (Terminal *terminal)
{
  char c = 'y';

  /* Nothing may wait in the terminal's input queue... */
  g_assert_cmpint (terminal_pending (terminal), ==, 0);

  /* ...which this check would see: inject from outside the sandbox, where
   * the kernel allows it (it takes CAP_SYS_ADMIN on a terminal that is not
   * our controlling one). */
  if (ioctl (terminal->slave, TIOCSTI, &c) == 0)
    g_assert_cmpint (terminal_pending (terminal), ==, 1);
  else
    g_test_message ("TIOCSTI outside the sandbox failed too (%s): the control "
                    "injection needs CAP_SYS_ADMIN", g_strerror (errno));

  close (terminal->slave);
  close (terminal->master);
}

static void
assert_names (const char         *dir,
              const char * const *expected)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, ==, g_strv_length ((char **) expected));
  for (gsize i = 0; expected[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (names, expected[i], g_str_equal, NULL))
      g_error ("%s lacks %s", dir, expected[i]);
}

static void
assert_metadata_unchanged (const char        *path,
                           const struct stat *before)
{
  struct stat st;

  g_assert_no_errno (stat (path, &st));
  g_assert_cmpuint (st.st_mode, ==, before->st_mode);
  g_assert_cmpuint (st.st_uid, ==, before->st_uid);
  g_assert_cmpuint (st.st_gid, ==, before->st_gid);
  g_assert_cmpint (st.st_mtim.tv_sec, ==, before->st_mtim.tv_sec);
  g_assert_cmpint (st.st_mtim.tv_nsec, ==, before->st_mtim.tv_nsec);
  g_assert_cmpint (st.st_ctim.tv_sec, ==, before->st_ctim.tv_sec);
  g_assert_cmpint (st.st_ctim.tv_nsec, ==, before->st_ctim.tv_nsec);
}

static void
assert_nothing_escaped (Fixture *f)
{
  const char * const top[] = { "granted", "hidden", "writable", NULL };
  const char * const hidden[] = { "dgram.sock", "secret", "stream.sock", NULL };
  g_autofree char *contents = NULL;
  struct pollfd listeners[] = {
    { .fd = f->connect_denied_fd, .events = POLLIN },
    { .fd = f->stream_fd, .events = POLLIN },
    { .fd = f->dgram_fd, .events = POLLIN },
    { .fd = f->unix_stream_fd, .events = POLLIN },
    { .fd = f->unix_dgram_fd, .events = POLLIN },
    { .fd = f->udp4_fd, .events = POLLIN },
    { .fd = f->udp6_fd, .events = POLLIN },
    { .fd = f->closed_stream_fd, .events = POLLIN },
    { .fd = f->closed_dgram_fd, .events = POLLIN },
  };
  struct stat st;

  /* What reached the receiver that records marks carries none, and only
   * the datagrams the attack sent as controls came. */
  for (;;)
    {
      char data[64] = { 0 };
      union {
        char buffer[CMSG_SPACE (sizeof (guint32))];
        struct cmsghdr align;
      } control;
      struct iovec iov = { .iov_base = data, .iov_len = sizeof data - 1 };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
      ssize_t n = recvmsg (f->marks_fd, &msg, MSG_DONTWAIT);

      if (n < 0)
        {
          g_assert_cmpint (errno, ==, EAGAIN);
          break;
        }
      g_assert_true (g_str_has_prefix (data, "control: "));
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_MARK)
          {
            guint32 mark;

            memcpy (&mark, CMSG_DATA (c), sizeof mark);
            g_assert_cmpuint (mark, ==, 0);
          }
    }

  /* The unrelated process lives, and so does this one, obviously. */
  g_assert_cmpint (waitpid (f->victim, NULL, WNOHANG), ==, 0);
  g_assert_cmpstr (canary, ==, "untouched");

  /* The secret is where it was, unchanged, with no second name. */
  g_assert_true (g_file_get_contents (f->secret, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, SECRET_TEXT);
  g_assert_no_errno (stat (f->secret, &st));
  g_assert_cmpuint (st.st_nlink, ==, 1);
  /* Nor changed metadata: a change of mode, owner, times or extended
   * attributes moves the change time. */
  assert_metadata_unchanged (f->secret, &f->secret_st);
  assert_metadata_unchanged (f->granted_file, &f->granted_file_st);
  assert_names (f->hidden, hidden);
  assert_names (f->tmpdir, top);

  /* The denied directory, when the attack had one, is as it was. */
  if (g_file_test (f->denied, G_FILE_TEST_IS_DIR))
    {
      const char * const denied[] = { "secret", "prog", "link", NULL };
      g_autofree char *denied_secret = g_build_filename (f->denied, "secret", NULL);
      g_autofree char *denied_contents = NULL;

      g_assert_true (g_file_get_contents (denied_secret, &denied_contents, NULL, NULL));
      g_assert_cmpstr (denied_contents, ==, SECRET_TEXT);
      g_assert_no_errno (stat (denied_secret, &st));
      g_assert_cmpuint (st.st_nlink, ==, 1);
      g_assert_cmpuint (st.st_mode & 07777, ==, 0600);
      assert_names (f->denied, denied);
    }

  /* Nothing reached a listener the sandbox may not reach. */
  g_assert_cmpint (poll (listeners, G_N_ELEMENTS (listeners), 0), ==, 0);
}

typedef struct {
  char *output;   /* standard output, leaked descriptor numbers masked */
  char *errors;   /* standard error */
  int   status;   /* the wait status */
  GPid  pid;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_free (outcome->output);
  g_free (outcome->errors);
}

static char *
bytes_to_string (GBytes *bytes)
{
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Runs @attack to its end; nothing of the sandbox is left on return. */
static void
run_attack (Fixture      *f,
            const Attack *attack,
            Terminal     *terminal,
            Outcome      *outcome)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autoptr(SandlockSandbox) sandbox = attack_sandbox_new (f, attack->needs);
  g_autoptr(GPtrArray) argv = attack_argv (f, attack->program, attack->args);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;

  if (terminal != NULL && (attack->needs & NEEDS_TERMINAL))
    {
      /* The command inherits our standard input: make it the terminal. */
      int saved_stdin = dup (0);

      g_assert_no_errno (dup2 (terminal->slave, 0));
      process = sandlock_sandbox_spawn (sandbox, (const char * const *) argv->pdata,
                                        flags | G_SUBPROCESS_FLAGS_STDIN_INHERIT, &error);
      g_assert_no_errno (dup2 (saved_stdin, 0));
      close (saved_stdin);
    }
  else
    process = sandlock_sandbox_spawn (sandbox, (const char * const *) argv->pdata, flags, &error);
  g_assert_no_error (error);

  g_assert_true (sandlock_process_communicate (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  raw = bytes_to_string (out);
  outcome->output = mask_leaked_fds (f, raw);
  outcome->errors = bytes_to_string (err);
  outcome->status = sandlock_process_get_status (process);
  outcome->pid = sandlock_process_get_pid (process);

  /* The listener's hang-up is queued once the helper is reaped. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* What an attack could change about this process's scheduling from
 * outside: its nice value, policy, affinity and I/O priority (of the main
 * thread, the one the supervisor's pid names). */
typedef struct {
  int               nice;
  int               policy;
  struct sched_param param;
  cpu_set_t         affinity;
  long              ioprio;
} SchedState;

#define IOPRIO_WHO_PROCESS 1

static void
sched_state_get (SchedState *state)
{
  memset (state, 0, sizeof *state);
  errno = 0;
  state->nice = getpriority (PRIO_PROCESS, 0);
  g_assert_no_errno (errno != 0 ? -1 : 0);
  state->policy = sched_getscheduler (0);
  g_assert_cmpint (state->policy, >=, 0);
  g_assert_no_errno (sched_getparam (0, &state->param));
  g_assert_no_errno (sched_getaffinity (0, sizeof state->affinity, &state->affinity));
  state->ioprio = syscall (SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
  g_assert_cmpint (state->ioprio, >=, 0);
}

/* Whether the scheduling is still @before; if not, it is put back first
 * (as far as this process may: as nobody it cannot raise its own priority
 * again), so that a failing attack does not leave the test deprioritised. */
static gboolean
sched_state_unchanged (const SchedState *before)
{
  SchedState now;
  gboolean unchanged;

  sched_state_get (&now);
  unchanged = now.nice == before->nice && now.policy == before->policy &&
              now.param.sched_priority == before->param.sched_priority &&
              CPU_EQUAL (&now.affinity, &before->affinity) && now.ioprio == before->ioprio;
  if (unchanged)
    return TRUE;

  g_test_message ("The attack changed the supervisor's scheduling: nice %d -> %d, "
                  "policy %d -> %d, ioprio %ld -> %ld, affinity %s; restoring it",
                  before->nice, now.nice, before->policy, now.policy, before->ioprio,
                  now.ioprio, CPU_EQUAL (&now.affinity, &before->affinity) ? "same" : "changed");
  if (sched_setscheduler (0, before->policy, &before->param) != 0 ||
      setpriority (PRIO_PROCESS, 0, before->nice) != 0 ||
      sched_setaffinity (0, sizeof before->affinity, &before->affinity) != 0 ||
      syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, before->ioprio) != 0)
    g_test_message ("Restoring the scheduling failed: %s", g_strerror (errno));
  return FALSE;
}

/* @expected with its @VARIABLES@ replaced by their values. */
static char *
expand_expected (Fixture    *f,
                 const char *expected)
{
  g_autofree char *text = g_strdup (expected);
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, f->variables);
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (strstr (text, name) != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (text, name, -1);

        g_free (text);
        text = g_strjoinv (value, parts);
      }
  return g_steal_pointer (&text);
}

static void
test_attack (Fixture       *f,
             gconstpointer  data)
{
  const Attack *attack = data;
  Terminal terminal = { .master = -1, .slave = -1 };
  const Needs terminal_needs = NEEDS_TERMINAL | NEEDS_CONTROLLING_TERMINAL;
  Outcome outcome = { 0 };
  g_autofree char *expected = NULL;
  SchedState sched_before;
  guint fds_before;
  int signal = attack->signal;

  if (attack->abi != NULL)
    {
      const char *description = NULL;

      /* Where the kernel runs the ABI, the filter must kill the attack;
       * where it refuses it (int 0x80 with IA-32 emulation off), the
       * attack dies of that refusal before seccomp sees anything. Either
       * way its creat() must not run. */
      if (sandlock_test_foreign_abi (attack->abi, &description) == SANDLOCK_TEST_ABI_SIGSEGV)
        signal = SIGSEGV;
      else
        signal = SIGSYS;
      g_test_message ("%s; in the sandbox the attack must die of %s", description,
                      signal == SIGSYS ? "the filter's SIGSYS" : "the kernel's SIGSEGV");
    }
  if (attack->needs & terminal_needs)
    terminal_open (&terminal);
  if (attack->needs & NEEDS_CONTROLLING_TERMINAL)
    terminal_make_controlling (&terminal);
  fds_before = sandlock_test_count_fds ();
  sched_state_get (&sched_before);

  run_attack (f, attack, (attack->needs & terminal_needs) ? &terminal : NULL, &outcome);
  g_test_message ("%s", outcome.output);
  g_assert_true (sched_state_unchanged (&sched_before));

  /* How it ended. */
  g_assert_cmpstr (outcome.errors, ==, "");
  if (signal != 0)
    {
      g_assert_true (WIFSIGNALED (outcome.status));
      g_assert_cmpint (WTERMSIG (outcome.status), ==, signal);
    }
  else
    {
      g_assert_true (WIFEXITED (outcome.status));
      g_assert_cmpint (WEXITSTATUS (outcome.status), ==, 0);
    }

  /* Nothing got out, and nothing is left. */
  assert_nothing_escaped (f);
  if (attack->abi != NULL)
    {
      g_autofree char *name = g_strconcat (attack->abi, "-marker", NULL);
      g_autofree char *marker = g_build_filename (f->writable, name, NULL);

      g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
    }
  g_assert_true (sandlock_test_pid_gone (outcome.pid));
  sandlock_test_assert_fds (fds_before);
  if (attack->needs & terminal_needs)
    {
      terminal_check_controlling (&terminal);
      terminal_check_and_close (&terminal);
    }

  /* What it printed, last: an open hole is reported, not hidden. */
  if (attack->limitation != NULL && g_strcmp0 (outcome.output, attack->leaky) == 0)
    {
      g_test_incomplete (attack->limitation);
      outcome_clear (&outcome);
      return;
    }
  expected = expand_expected (f, attack->expected);
  g_assert_cmpstr (outcome.output, ==, expected);
  outcome_clear (&outcome);
}

/* ---- lifetime ------------------------------------------------------------ */

/* ---- abstract unix names squatted for clients outside ------------------ */

typedef struct {
  char    *line;
  gboolean done;
} LineRead;

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

/* The next line of @in, NULL at its end, iterating the main context
 * meanwhile: the supervisor answers the command's trapped calls there. */
static char *
read_line_iterating (GDataInputStream *in)
{
  LineRead read = { NULL, FALSE };

  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, on_line_read, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  return read.line;
}

/* A client outside the sandbox: connects (stream) or sends one byte
 * (datagram) to the abstract name @name (without its NUL) of @length
 * bytes, or to the path @name. Returns 0 or the errno. */
static int
outside_client (int         type,
                gboolean    abstract,
                const char *name,
                gsize       length)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t addr_length;
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);
  int rc, saved_errno;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (length, <, sizeof addr.sun_path - 1);
  memcpy (addr.sun_path + (abstract ? 1 : 0), name, length);
  addr_length = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + (abstract ? 1 : 0) + length);
  if (type == SOCK_STREAM)
    rc = connect (fd, (struct sockaddr *) &addr, addr_length);
  else
    rc = (int) sendto (fd, "x", 1, 0, (struct sockaddr *) &addr, addr_length);
  saved_errno = errno;
  close (fd);
  return rc < 0 ? saved_errno : 0;
}

/* The command binds abstract names (and autobound ones) that a client
 * outside then tries: none may reach it. The test starts no listener of
 * its own, so a client's connect() can only reach the command. */
static void
test_abstract_squat (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SandlockSandbox) sandbox = attack_sandbox_new (f, NEEDS_NOTHING);
  g_autofree char *program = attack_path ("abstract-squat");
  g_autofree char *name = g_strdup_printf ("sandlock-squat-%d", (int) getpid ());
  g_autofree char *bind_allowed = g_strdup_printf ("%u", f->bind_allowed);
  g_autofree char *bind_denied = g_strdup_printf ("%u", f->bind_denied);
  const char * const argv[] = {
    program, name, f->writable, f->granted, bind_allowed, bind_denied, NULL,
  };
  g_autofree char *stream_name = g_strconcat (name, "-stream", NULL);
  g_autofree char *dgram_name = g_strconcat (name, "-dgram", NULL);
  g_autofree char *path = g_build_filename (f->writable, "squat.sock", NULL);
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GString) reached = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GOutputStream *to_command;
  char *line;

  process = sandlock_sandbox_spawn (sandbox, argv,
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                    &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (sandlock_process_get_stdout_pipe (process));

  while ((line = read_line_iterating (in)) != NULL)
    {
      char kind[16], autobound[16];

      if (sscanf (line, "autobound %15s %15s", kind, autobound) == 2)
        {
          /* An autobound name the command learned: clients outside may
           * learn it too. */
          int type = g_str_equal (kind, "stream") ? SOCK_STREAM : SOCK_DGRAM;
          int rc = outside_client (type, TRUE, autobound, strlen (autobound));

          g_string_append_printf (reached, "outside client to the autobound %s name: %s\n",
                                  kind, rc == 0 ? "ok" : strerrorname_np (rc));
          g_free (line);
          continue;
        }
      g_string_append_printf (output, "%s\n", line);
      if (g_str_equal (line, "ready"))
        {
          g_free (line);
          break;
        }
      g_free (line);
    }

  /* The clients outside: abstract names answer ECONNREFUSED when nobody
   * holds them. */
  {
    int rc;

    rc = outside_client (SOCK_STREAM, TRUE, stream_name, strlen (stream_name));
    g_string_append_printf (reached, "outside client to NAME-stream: %s\n",
                            rc == 0 ? "ok" : strerrorname_np (rc));
    rc = outside_client (SOCK_DGRAM, TRUE, dgram_name, strlen (dgram_name));
    g_string_append_printf (reached, "outside client to NAME-dgram: %s\n",
                            rc == 0 ? "ok" : strerrorname_np (rc));
    rc = outside_client (SOCK_STREAM, FALSE, path, strlen (path));
    g_string_append_printf (reached, "outside client to WRITABLE/squat.sock (control): %s\n",
                            rc == 0 ? "ok" : strerrorname_np (rc));
  }

  to_command = sandlock_process_get_stdin_pipe (process);
  g_assert_true (g_output_stream_write_all (to_command, "go\n", 3, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (to_command, NULL, &error));
  g_assert_no_error (error);
  while ((line = read_line_iterating (in)) != NULL)
    {
      g_string_append_printf (output, "%s\n", line);
      g_free (line);
    }
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);

  g_string_append (output, reached->str);
  g_test_message ("%s", output->str);
  g_assert_cmpstr (output->str, ==,
                   "bind an abstract stream name: EPERM\n"
                   "bind an abstract datagram name: EPERM\n"
                   "bind an autobound stream socket: EPERM\n"
                   "bind an autobound datagram socket: EPERM\n"
                   "bind WRITABLE/squat.sock (control): ok\n"
                   "listen WRITABLE/squat.sock (control): ok\n"
                   "chdir WRITABLE: ok\n"
                   "bind relative.sock in WRITABLE (control): ok\n"
                   "bind GRANTED/squat.sock: EACCES\n"
                   "bind TCP 127.0.0.1:BIND_ALLOWED (control): ok\n"
                   "bind TCP 127.0.0.1:BIND_DENIED: EACCES\n"
                   "bind UDP 127.0.0.1:0 (control): ok\n"
                   "bind raced to an abstract name: never\n"
                   "ready\n"
                   "a client outside reached the abstract stream name: EINVAL\n"
                   "a client outside reached the abstract datagram name: EAGAIN\n"
                   "a client outside reached the autobound stream socket: EINVAL\n"
                   "a client outside reached the autobound datagram socket: EAGAIN\n"
                   "a client outside reached WRITABLE/squat.sock (control): ok\n"
                   "outside client to NAME-stream: ECONNREFUSED\n"
                   "outside client to NAME-dgram: ECONNREFUSED\n"
                   "outside client to WRITABLE/squat.sock (control): ok\n");
  /* The relative bind happened where the command's working directory was,
   * and both files have the command's umask (077), not ours. */
  {
    g_autofree char *relative = g_build_filename (f->writable, "relative.sock", NULL);
    struct stat st;

    g_assert_no_errno (lstat (relative, &st));
    g_assert_true (S_ISSOCK (st.st_mode));
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
    g_assert_no_errno (lstat (path, &st));
    g_assert_true (S_ISSOCK (st.st_mode));
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
    g_assert_cmpint (st.st_uid, ==, getuid ());
  }
  assert_nothing_escaped (f);
}

/* The bind guard performs binds on a thread of the supervisor: that
 * thread must hold no capability, or a command of an application run as
 * root would bind a privileged port its own bind() could not (the kernel
 * checks CAP_NET_BIND_SERVICE before whether the port is free, so EACCES
 * is the answer whoever holds the port). */
static void
test_bind_privileged_port (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *port = NULL;
  g_autofree char *output = NULL;
  g_autofree char *expected = NULL;
  guint64 start = 0;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start_text,
                            NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (start_text), 10, 0, 65536, &start, NULL) ||
      start < 2)
    {
      g_test_skip ("net.ipv4.ip_unprivileged_port_start is below 2 (or unreadable) on this "
                   "machine: no port needs CAP_NET_BIND_SERVICE");
      return;
    }
  port = g_strdup_printf ("%u", (guint) start - 1);
  {
    const char * const ports[] = { port, NULL };

    sandlock_sandbox_set_net_bind (sandbox, ports);
  }
  result = sandlock_test_run_probe (sandbox, &error, "bind", port, NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  expected = g_strdup_printf ("bind %s: EACCES\n", port);
  g_assert_cmpstr (output, ==, expected);
}

static guint tag_counter;

static char *
new_tag (void)
{
  return g_strdup_printf ("sandlock-security-tag-%d-%u", (int) getpid (), tag_counter++);
}

static GPid
pid_from_line (const char *line,
               const char *prefix)
{
  GPid pid;

  if (!g_str_has_prefix (line, prefix))
    g_error ("Expected \"%s...\", got \"%s\"", prefix, line);
  pid = (GPid) g_ascii_strtoll (line + strlen (prefix), NULL, 10);
  g_assert_cmpint (pid, >, 1);
  return pid;
}

/* Spawns attack-daemonize and waits until its daemon is running. */
static SandlockProcess *
spawn_daemonize (SandlockSandbox *sandbox,
                 const char      *mode,
                 const char      *tag,
                 gboolean         hop,
                 GPid            *daemon_pid)
{
  g_autofree char *program = attack_path ("daemonize");
  const char * const argv[] = { program, mode, tag, hop ? "hop" : NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *daemon_line = NULL;
  g_autofree char *ready = NULL;
  SandlockProcess *process;

  process = sandlock_sandbox_spawn (sandbox, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  daemon_line = sandlock_test_read_line (process);
  *daemon_pid = pid_from_line (daemon_line, "daemon: ");
  ready = sandlock_test_read_line (process);
  g_assert_cmpstr (ready, ==, "ready");
  return process;
}

static SandlockSandbox *
lifetime_sandbox_new (void)
{
  SandlockSandbox *sandbox = sandlock_test_sandbox_new ();
  g_autofree char *programs = attack_dir ();

  sandlock_test_grant (sandbox, programs, FALSE);
  return sandbox;
}

static void
test_daemon_force_exit (gconstpointer data)
{
  gboolean hop = GPOINTER_TO_INT (data);
  g_autoptr(SandlockSandbox) sandbox = lifetime_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = new_tag ();
  GPid daemon_pid;

  process = spawn_daemonize (sandbox, "stay", tag, hop, &daemon_pid);
  /* The first process and the daemon; a hopping daemon may be missed by a
   * scan of /proc, which is not atomic. */
  g_assert_cmpuint (sandlock_test_count_tagged (tag), >=, hop ? 1 : 2);

  sandlock_process_force_exit (process);
  g_assert_true (sandlock_process_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sandlock_process_get_if_signaled (process));
  g_assert_cmpint (sandlock_process_get_term_sig (process), ==, SIGKILL);

  /* When the wait returns the helper has killed and reaped everything,
   * however often the daemon changed its pid. */
  g_assert_true (sandlock_test_pid_gone (sandlock_process_get_pid (process)));
  g_assert_true (sandlock_test_pid_gone (daemon_pid));
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
}

static void
test_daemon_timeout (void)
{
  g_autoptr(SandlockSandbox) sandbox = lifetime_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = new_tag ();
  GPid daemon_pid;

  sandlock_sandbox_set_timeout (sandbox, 1);
  process = spawn_daemonize (sandbox, "stay", tag, TRUE, &daemon_pid);

  g_assert_false (sandlock_process_wait_check (process, NULL, &error));
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_TIMED_OUT);
  g_assert_true (sandlock_process_get_timed_out (process));
  g_assert_true (sandlock_test_pid_gone (daemon_pid));
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
}

static void
test_daemon_outlives_first_process (void)
{
  g_autoptr(SandlockSandbox) sandbox = lifetime_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = new_tag ();
  GPid daemon_pid;

  process = spawn_daemonize (sandbox, "exit", tag, TRUE, &daemon_pid);
  g_assert_true (sandlock_process_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sandlock_test_count_tagged (tag), ==, 0);
}

/* Runs in a copy of this program: spawns a daemonizing sandbox, reports
 * its pids, then dies of SIGKILL without any chance to clean up. */
static int
supervisor_child_main (const char *tag)
{
  g_autoptr(SandlockSandbox) sandbox = lifetime_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  GPid daemon_pid;

  process = spawn_daemonize (sandbox, "stay", tag, TRUE, &daemon_pid);
  printf ("child: %d\ndaemon: %d\n", (int) sandlock_process_get_pid (process), (int) daemon_pid);
  fflush (stdout);
  raise (SIGKILL);
  return 1;
}

static void
test_supervisor_sigkill (void)
{
  g_autofree char *tag = new_tag ();
  const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "security", "test-security", NULL),
                         "--supervisor-child", tag, NULL };
  g_autoptr(GSubprocess) supervisor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPid child = 0, daemon_pid = 0;

  supervisor = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (supervisor, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (supervisor));
  g_assert_cmpint (g_subprocess_get_term_sig (supervisor), ==, SIGKILL);

  lines = g_strsplit (out, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "child: "))
        child = pid_from_line (lines[i], "child: ");
      else if (g_str_has_prefix (lines[i], "daemon: "))
        daemon_pid = pid_from_line (lines[i], "daemon: ");
    }
  if (child == 0 || daemon_pid == 0)
    g_error ("Unexpected output from the supervisor child:\n%s", out);

  /* The helper saw its control socket hang up and killed everything; the
   * helper itself, a copy of the supervisor, carries the tag too. */
  sandlock_test_wait_pid_gone (NULL, child);
  sandlock_test_wait_tagged_gone (NULL, tag);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);

  if (argc == 3 && g_str_equal (argv[1], "--supervisor-child"))
    return supervisor_child_main (argv[2]);

  for (gsize i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autofree char *path = g_strconcat ("/security/", attacks[i].path, NULL);

      g_test_add (path, Fixture, &attacks[i], fixture_setup, test_attack, fixture_teardown);
    }

  g_test_add ("/security/net/abstract-squat", Fixture, NULL, fixture_setup,
              test_abstract_squat, fixture_teardown);
  g_test_add_func ("/security/net/bind-privileged-port", test_bind_privileged_port);

  g_test_add_data_func ("/security/lifetime/daemon/force-exit", GINT_TO_POINTER (FALSE),
                        test_daemon_force_exit);
  g_test_add_data_func ("/security/lifetime/daemon/force-exit-hopping", GINT_TO_POINTER (TRUE),
                        test_daemon_force_exit);
  g_test_add_func ("/security/lifetime/daemon/timeout", test_daemon_timeout);
  g_test_add_func ("/security/lifetime/daemon/first-process-exits", test_daemon_outlives_first_process);
  g_test_add_func ("/security/lifetime/supervisor-sigkill", test_supervisor_sigkill);

  return sandlock_test_run ();
}
