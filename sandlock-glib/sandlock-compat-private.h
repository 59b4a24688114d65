/* sandlock-compat-private.h: kernel constants newer than the build's headers
 *
 * The library is often built against UAPI headers older than the kernel it
 * runs on (Debian 12: headers 6.1). Every constant it needs from a newer
 * kernel is defined here, and only here; whether the running kernel has
 * the feature is probed at run time (sandlock-kernel-private.h), never
 * inferred from a version number.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

/* ---- Landlock ------------------------------------------------------- */

#ifndef LANDLOCK_CREATE_RULESET_VERSION
# define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

#ifndef LANDLOCK_ACCESS_FS_REFER                 /* ABI 2, Linux 5.19 */
# define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE              /* ABI 3, Linux 6.2 */
# define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV             /* ABI 5, Linux 6.10 */
# define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_FS_RESOLVE_UNIX          /* ABI 9, Linux 7.1 */
# define LANDLOCK_ACCESS_FS_RESOLVE_UNIX (1ULL << 16)
#endif
/* The first ABI with LANDLOCK_ACCESS_FS_RESOLVE_UNIX: resolving a pathname
 * unix socket (connect, sendmsg) is a controlled right. */
#define SANDLOCK_LANDLOCK_ABI_RESOLVE_UNIX 9

#ifndef LANDLOCK_ACCESS_NET_BIND_TCP             /* ABI 4, Linux 6.7 */
# define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
# define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif

#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET      /* ABI 6, Linux 6.12 */
# define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
# define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* LANDLOCK_RULE_NET_PORT is an enum member in newer headers: use our own
 * name so that both header generations compile. */
#define SANDLOCK_LANDLOCK_RULE_PATH_BENEATH 1
#define SANDLOCK_LANDLOCK_RULE_NET_PORT     2

/* The ruleset attribute grew with each ABI. The kernel accepts a shorter
 * struct, so the size passed tells it which fields we use. */
struct sandlock_landlock_ruleset_attr {
  __u64 handled_access_fs;
  __u64 handled_access_net;   /* ABI 4 */
  __u64 scoped;               /* ABI 6 */
};

#define SANDLOCK_LANDLOCK_ATTR_SIZE_V1 (sizeof (__u64))
#define SANDLOCK_LANDLOCK_ATTR_SIZE_V4 (2 * sizeof (__u64))
#define SANDLOCK_LANDLOCK_ATTR_SIZE_V6 (3 * sizeof (__u64))

struct sandlock_landlock_path_beneath_attr {
  __u64 allowed_access;
  __s32 parent_fd;
} __attribute__ ((packed));

struct sandlock_landlock_net_port_attr {
  __u64 allowed_access;
  __u64 port;
};

/* ---- seccomp -------------------------------------------------------- */

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER         /* Linux 5.0 */
# define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH          /* Linux 5.7 */
# define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV   /* Linux 5.19 */
# define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
# define SECCOMP_GET_NOTIF_SIZES 3
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE         /* Linux 5.5 */
# define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SETFD                 /* Linux 5.9 */
# define SECCOMP_ADDFD_FLAG_SETFD (1UL << 0)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND                  /* Linux 5.14 */
# define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

#ifndef SECCOMP_IOC_MAGIC
# define SECCOMP_IOC_MAGIC '!'
#endif
/* ID_VALID first shipped (5.0) with the wrong direction bit; kernels since
 * 5.7 accept both, older ones only the first. */
#define SANDLOCK_SECCOMP_IOCTL_NOTIF_ID_VALID_OLD _IOR (SECCOMP_IOC_MAGIC, 2, __u64)

struct sandlock_seccomp_notif_addfd {
  __u64 id;
  __u32 flags;
  __u32 srcfd;
  __u32 newfd;
  __u32 newfd_flags;
};
#ifndef SECCOMP_IOCTL_NOTIF_ADDFD
# define SECCOMP_IOCTL_NOTIF_ADDFD _IOW (SECCOMP_IOC_MAGIC, 3, struct sandlock_seccomp_notif_addfd)
#endif

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS            /* Linux 6.6 */
# define SECCOMP_IOCTL_NOTIF_SET_FLAGS _IOW (SECCOMP_IOC_MAGIC, 4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
# define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* ---- processes ------------------------------------------------------ */

#ifndef PIDFD_THREAD                             /* Linux 6.9 */
# define PIDFD_THREAD O_EXCL
#endif

#ifndef CLONE_PIDFD                              /* Linux 5.2 */
# define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_NEWTIME
# define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
# define CLONE_NEWCGROUP 0x02000000
#endif

#ifndef PR_SET_CHILD_SUBREAPER
# define PR_SET_CHILD_SUBREAPER 36
#endif

#ifndef __NR_close_range
# define __NR_close_range 436
#endif
#ifndef __NR_pidfd_open
# define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_getfd
# define __NR_pidfd_getfd 438
#endif
#ifndef __NR_pidfd_send_signal
# define __NR_pidfd_send_signal 424
#endif
#ifndef __NR_landlock_create_ruleset
# define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
# define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
# define __NR_landlock_restrict_self 446
#endif

/* ---- memfd ------------------------------------------------------------ */

#ifndef MFD_EXEC                                 /* Linux 6.3 */
# define MFD_EXEC 0x0010U
#endif
#ifndef MFD_NOEXEC_SEAL                          /* Linux 6.3 */
# define MFD_NOEXEC_SEAL 0x0008U
#endif

/* ---- files ------------------------------------------------------------ */

#ifndef __NR_openat2                             /* Linux 5.6 */
# define __NR_openat2 437
#endif
/* Numbered alike on every architecture since Linux 5.1 (asm-generic and
 * x86 share them): */
#ifndef __NR_fchmodat2                           /* Linux 6.6 */
# define __NR_fchmodat2 452
#endif
#ifndef __NR_futex_requeue                       /* Linux 6.7 */
# define __NR_futex_requeue 456
#endif
#ifndef __NR_setxattrat                          /* Linux 6.13 */
# define __NR_setxattrat 463
#endif
#ifndef __NR_getxattrat
# define __NR_getxattrat 464
#endif
#ifndef __NR_listxattrat
# define __NR_listxattrat 465
#endif
#ifndef __NR_removexattrat
# define __NR_removexattrat 466
#endif
#ifndef __NR_open_tree_attr                      /* Linux 6.15 */
# define __NR_open_tree_attr 467
#endif
#ifndef __NR_file_getattr                        /* Linux 6.17 */
# define __NR_file_getattr 468
#endif
#ifndef __NR_file_setattr
# define __NR_file_setattr 469
#endif

/* ---- File system ioctl() requests outside the UAPI headers ------------ */

/* ext4's own numbers (fs/ext4/ext4.h; include/uapi/linux/ext4.h since
 * Linux 6.0 for some): setting the generation, besides FS_IOC_SETVERSION,
 * and converting a file's block map to extents. */
#ifndef EXT4_IOC_SETVERSION
# define EXT4_IOC_SETVERSION _IOW ('f', 4, long)
#endif
#ifndef EXT4_IOC_MIGRATE
# define EXT4_IOC_MIGRATE _IO ('f', 9)
#endif
/* Setting a btrfs subvolume's received UUID with the packed argument of
 * 32-bit callers, which a 64-bit kernel also answers natively
 * (fs/btrfs/ioctl.c: struct btrfs_ioctl_received_subvol_args_32, 192
 * bytes). */
#define SANDLOCK_BTRFS_IOC_SET_RECEIVED_SUBVOL_32 _IOC (_IOC_READ | _IOC_WRITE, 0x94, 37, 192)

/* setxattrat()'s argument (Linux 6.13: include/uapi/linux/xattr.h). */
struct sandlock_xattr_args {
  __u64 value;
  __u32 size;
  __u32 flags;
};
#define SANDLOCK_XATTR_ARGS_SIZE_VER0 16
