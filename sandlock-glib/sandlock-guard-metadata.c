/* sandlock-guard-metadata.c: metadata changes beneath fs-writable only
 *
 * Landlock governs no metadata change: without this guard a command may
 * chmod, chown, set the times of, or set extended attributes on any file
 * it can name, hidden or read-only. Whenever Landlock confines the
 * filesystem, this guard traps those syscalls and lets each through only
 * when its target lies beneath an fs-writable path, or, for a call on a
 * descriptor, when that descriptor is open for writing (the command may
 * change the file anyway: a file of its own, a memfd, a pipe, or one the
 * application passed it for writing).
 *
 * The target is resolved by the supervisor, as the trapping thread would:
 * the path is read once from the command's memory (bounded), looked up from
 * the supervisor's own copy of the thread's working directory or of the
 * descriptor it names (both checked with SECCOMP_IOCTL_NOTIF_ID_VALID after
 * they were opened), honouring AT_SYMLINK_NOFOLLOW and the l* forms. The
 * result is an O_PATH descriptor: an inode, not a name. The call is then
 * made on that descriptor, with the values (mode, owner, times, attribute
 * name and value) copied once from the command, and the command gets its
 * real result. The kernel never runs the call itself: it would read the
 * path again, and another thread could have rewritten it in between.
 *
 * "Beneath" a writable root compares inodes (sandlock-resolve.c): a rename
 * in between makes the call refused, never misdirected. An absolute path
 * that names a writable root is first resolved from that root's
 * descriptor with RESOLVE_BENEATH, which finds an inode beneath it by
 * construction (sandlock_resolve_path_beneath()); a path that leaves the
 * root on the way falls back to the general resolution.
 *
 *  check    decides before the handlers: refuses what may not change
 *           (EACCES), and when no handler traps the syscall, performs the
 *           call at once (its real result decides it);
 *  perform  once the handlers continue, resolves and decides again, and
 *           performs the call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sandlock-compat-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-resolve-private.h"

typedef enum {
  OP_CHMOD,
  OP_CHOWN,
  OP_TIMES,
  OP_SETXATTR,
  OP_REMOVEXATTR,
} Op;

typedef enum {
  TIMES_NONE,       /* not a times call */
  TIMES_UTIMBUF,    /* utime(): struct utimbuf */
  TIMES_TIMEVAL,    /* utimes(), futimesat(): struct timeval[2] */
  TIMES_TIMESPEC,   /* utimensat(): struct timespec[2] */
} TimesFormat;

/* Where a syscall's arguments are. -1: none. */
typedef struct {
  int          nr;
  Op           op;
  int          dirfd_arg;    /* -1: AT_FDCWD */
  int          path_arg;     /* -1: the descriptor form (dirfd_arg is the fd) */
  int          flags_arg;    /* AT_* flags; -1: none */
  gboolean     nofollow;     /* the l* forms */
  int          value_arg;    /* mode, uid (gid follows), times, xattr name */
  TimesFormat  times;
  gboolean     xattrat;      /* setxattrat()'s struct xattr_args */
} Form;

static const Form forms[] = {
#ifdef __NR_chmod
  { __NR_chmod, OP_CHMOD, -1, 0, -1, FALSE, 1, TIMES_NONE, FALSE },
#endif
  { __NR_fchmod, OP_CHMOD, 0, -1, -1, FALSE, 1, TIMES_NONE, FALSE },
  { __NR_fchmodat, OP_CHMOD, 0, 1, -1, FALSE, 2, TIMES_NONE, FALSE },
  { __NR_fchmodat2, OP_CHMOD, 0, 1, 3, FALSE, 2, TIMES_NONE, FALSE },
#ifdef __NR_chown
  { __NR_chown, OP_CHOWN, -1, 0, -1, FALSE, 1, TIMES_NONE, FALSE },
#endif
#ifdef __NR_lchown
  { __NR_lchown, OP_CHOWN, -1, 0, -1, TRUE, 1, TIMES_NONE, FALSE },
#endif
  { __NR_fchown, OP_CHOWN, 0, -1, -1, FALSE, 1, TIMES_NONE, FALSE },
  { __NR_fchownat, OP_CHOWN, 0, 1, 4, FALSE, 2, TIMES_NONE, FALSE },
#ifdef __NR_utime
  { __NR_utime, OP_TIMES, -1, 0, -1, FALSE, 1, TIMES_UTIMBUF, FALSE },
#endif
#ifdef __NR_utimes
  { __NR_utimes, OP_TIMES, -1, 0, -1, FALSE, 1, TIMES_TIMEVAL, FALSE },
#endif
#ifdef __NR_futimesat
  { __NR_futimesat, OP_TIMES, 0, 1, -1, FALSE, 2, TIMES_TIMEVAL, FALSE },
#endif
  { __NR_utimensat, OP_TIMES, 0, 1, 3, FALSE, 2, TIMES_TIMESPEC, FALSE },
  { __NR_setxattr, OP_SETXATTR, -1, 0, -1, FALSE, 1, TIMES_NONE, FALSE },
  { __NR_lsetxattr, OP_SETXATTR, -1, 0, -1, TRUE, 1, TIMES_NONE, FALSE },
  { __NR_fsetxattr, OP_SETXATTR, 0, -1, -1, FALSE, 1, TIMES_NONE, FALSE },
  { __NR_setxattrat, OP_SETXATTR, 0, 1, 2, FALSE, 3, TIMES_NONE, TRUE },
  { __NR_removexattr, OP_REMOVEXATTR, -1, 0, -1, FALSE, 1, TIMES_NONE, FALSE },
  { __NR_lremovexattr, OP_REMOVEXATTR, -1, 0, -1, TRUE, 1, TIMES_NONE, FALSE },
  { __NR_fremovexattr, OP_REMOVEXATTR, 0, -1, -1, FALSE, 1, TIMES_NONE, FALSE },
  { __NR_removexattrat, OP_REMOVEXATTR, 0, 1, 2, FALSE, 3, TIMES_NONE, FALSE },
};

static const char * const syscalls[] = {
  "chmod", "fchmod", "fchmodat", "fchmodat2",
  "chown", "lchown", "fchown", "fchownat",
  "utime", "utimes", "futimesat", "utimensat",
  "setxattr", "lsetxattr", "fsetxattr", "setxattrat",
  "removexattr", "lremovexattr", "fremovexattr", "removexattrat",
  NULL
};

static const Form *
find_form (int nr)
{
  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    if (forms[i].nr == nr)
      return &forms[i];
  return NULL;
}

/* Whether the running kernel has syscall @nr (fchmodat2: 6.6; setxattrat,
 * removexattrat: 6.13). The filter traps a number whether or not the
 * kernel has it: the guard must then answer as the kernel would, ENOSYS. */
static gboolean
kernel_has (int nr)
{
  static gint fchmodat2_state, setxattrat_state, removexattrat_state;   /* 0 unknown, 1 no, 2 yes */
  gint *state;
  long rc;

  if (nr == __NR_fchmodat2)
    state = &fchmodat2_state;
  else if (nr == __NR_setxattrat)
    state = &setxattrat_state;
  else if (nr == __NR_removexattrat)
    state = &removexattrat_state;
  else
    return TRUE;

  if (g_atomic_int_get (state) == 0)
    {
      /* A bad descriptor and no path: EBADF, EFAULT or EINVAL where it
       * exists. */
      rc = sandlock_syscall (nr, -1, 0, 0, 0);
      g_atomic_int_set (state, rc != 0 && errno == ENOSYS ? 1 : 2);
    }
  return g_atomic_int_get (state) == 2;
}

/* The supervisor's O_PATH or plain descriptor of the call's target, or -1
 * with errno: the answer to give. *@descriptor_form is set when the call
 * names a descriptor of the command's rather than a path, *@beneath when
 * the target was found beneath an fs-writable root by construction. */
static int
resolve_target (const SandlockGuardCall *call,
                const Form              *form,
                gboolean                *descriptor_form,
                gboolean                *beneath)
{
  const struct seccomp_notif *request = call->request;
  const __u64 *args = request->data.args;
  int dirfd = form->dirfd_arg >= 0 ? (int) args[form->dirfd_arg] : AT_FDCWD;
  unsigned int flags = form->flags_arg >= 0 ? (unsigned int) args[form->flags_arg] : 0;
  g_autofree char *path = NULL;

  *descriptor_form = FALSE;
  *beneath = FALSE;
  if (flags & ~(unsigned int) (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
    {
      errno = EINVAL;
      return -1;
    }

  if (form->path_arg < 0 ||
      (form->op == OP_TIMES && args[form->path_arg] == 0 && form->dirfd_arg >= 0))
    {
      /* fchmod(), fchown(), f*xattr(); utimensat() and futimesat() with a
       * NULL path: the descriptor itself. */
      if (form->path_arg >= 0 && flags != 0)
        {
          errno = EINVAL;
          return -1;
        }
      *descriptor_form = TRUE;
      if (dirfd < 0)
        {
          errno = EBADF;
          return -1;
        }
      return sandlock_notif_take_fd (call->listener_fd, request, dirfd);
    }

  path = sandlock_notif_read_string (call->listener_fd, request, args[form->path_arg], PATH_MAX);
  if (path == NULL)
    return -1;

  if (path[0] == '\0')
    {
      if (!(flags & AT_EMPTY_PATH))
        {
          errno = ENOENT;
          return -1;
        }
      /* The descriptor itself, or the working directory. */
      *descriptor_form = TRUE;
      return sandlock_resolve_base (call->listener_fd, request, dirfd);
    }

  /* An absolute path beneath a writable root, resolved from the root
   * itself: no need to find the inode from / and then prove it beneath
   * (6 syscalls down to 1, issue 18). Anything else the slow way. */
  if (path[0] == '/')
    {
      int fd = sandlock_resolve_path_beneath (path, form->nofollow || (flags & AT_SYMLINK_NOFOLLOW),
                                              call->policy->writable_fds,
                                              call->policy->writable_names,
                                              call->policy->n_writable);

      if (fd >= 0)
        {
          *beneath = TRUE;
          return fd;
        }
    }
  return sandlock_resolve_path (call->listener_fd, request, dirfd, path,
                                form->nofollow || (flags & AT_SYMLINK_NOFOLLOW));
}

/* Reads the times of the call into @times (NULL: now). Returns 0, or an
 * errno. */
static int
read_times (const SandlockGuardCall *call,
            const Form              *form,
            struct timespec          times[2],
            gboolean                *now)
{
  guint64 address = call->request->data.args[form->value_arg];

  *now = address == 0;
  if (*now)
    return 0;
  switch (form->times)
    {
    case TIMES_UTIMBUF:
      {
        struct { gint64 actime, modtime; } buf;

        if (!sandlock_notif_read_memory (call->listener_fd, call->request, address, &buf, sizeof buf))
          return errno;
        times[0] = (struct timespec) { .tv_sec = buf.actime };
        times[1] = (struct timespec) { .tv_sec = buf.modtime };
        return 0;
      }
    case TIMES_TIMEVAL:
      {
        struct timeval tv[2];

        if (!sandlock_notif_read_memory (call->listener_fd, call->request, address, tv, sizeof tv))
          return errno;
        for (int i = 0; i < 2; i++)
          {
            if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
              return EINVAL;
            times[i] = (struct timespec) { .tv_sec = tv[i].tv_sec, .tv_nsec = tv[i].tv_usec * 1000 };
          }
        return 0;
      }
    case TIMES_TIMESPEC:
      if (!sandlock_notif_read_memory (call->listener_fd, call->request, address,
                                       times, 2 * sizeof (struct timespec)))
        return errno;
      return 0;
    case TIMES_NONE:
    default:
      return EINVAL;
    }
}

/* The attribute's name, value and flags of a set/removexattr call, copied
 * once. Returns 0 or an errno. */
static int
read_xattr (const SandlockGuardCall  *call,
            const Form               *form,
            char                    **name,
            GBytes                  **value,
            int                      *flags)
{
  const __u64 *args = call->request->data.args;
  guint64 value_address = 0;
  gsize size = 0;
  g_autofree guint8 *data = NULL;

  *name = sandlock_notif_read_string (call->listener_fd, call->request, args[form->value_arg],
                                      XATTR_NAME_MAX + 1);
  if (*name == NULL)
    return errno == ENAMETOOLONG ? ERANGE : errno;
  if ((*name)[0] == '\0')
    return ERANGE;
  *flags = 0;
  if (form->op == OP_REMOVEXATTR)
    return 0;

  if (form->xattrat)
    {
      struct sandlock_xattr_args xargs;

      if (args[form->value_arg + 2] != SANDLOCK_XATTR_ARGS_SIZE_VER0)
        return args[form->value_arg + 2] < SANDLOCK_XATTR_ARGS_SIZE_VER0 ? EINVAL : E2BIG;
      if (!sandlock_notif_read_memory (call->listener_fd, call->request, args[form->value_arg + 1],
                                       &xargs, sizeof xargs))
        return errno;
      value_address = xargs.value;
      size = xargs.size;
      *flags = (int) xargs.flags;
    }
  else
    {
      value_address = args[form->value_arg + 1];
      size = (gsize) args[form->value_arg + 2];
      *flags = (int) args[form->value_arg + 3];
    }
  if (*flags & ~(XATTR_CREATE | XATTR_REPLACE))
    return EINVAL;
  if (size > XATTR_SIZE_MAX)
    return E2BIG;
  if (size > 0)
    {
      data = g_malloc (size);
      if (!sandlock_notif_read_memory (call->listener_fd, call->request, value_address, data, size))
        return errno;
    }
  *value = g_bytes_new_take (g_steal_pointer (&data), size);
  return 0;
}

/* What the supervisor's own privileges would add: it makes the call with
 * the application's credentials, which for an application run as root
 * hold every capability the command was stripped of. Refuses (EPERM) a
 * change of a device's mode, owner or ACL, a set-user-ID bit, a
 * set-group-ID bit on anything but a directory (a program the command
 * wrote would then run as its owner, root included, for whoever starts
 * it outside the sandbox), a change of owner, or of
 * group to one that the supervisor is not a member of (CAP_CHOWN), and
 * attributes outside the user and ACL namespaces (security.capability
 * would give a program file capabilities, trusted.* needs CAP_SYS_ADMIN).
 * @st is the target's. 0 when the call may proceed. */
static int
privilege_error (const SandlockGuardCall *call,
                 const Form              *form,
                 const struct stat       *st)
{
  const __u64 *args = call->request->data.args;

  if (form->op == OP_TIMES)
    return 0;
  /* A device's mode, owner or ACL is the system's (/dev/null, /dev/tty)
   * or the user's terminal, which a command's chmod 0666 of its standard
   * output would open to every local user. */
  if (S_ISCHR (st->st_mode) || S_ISBLK (st->st_mode))
    return EPERM;

  switch (form->op)
    {
    case OP_CHMOD:
      {
        mode_t mode = (mode_t) args[form->value_arg];

        if ((mode & S_ISUID) != 0)
          return EPERM;
        if ((mode & S_ISGID) != 0 && !S_ISDIR (st->st_mode))
          return EPERM;
        return 0;
      }

    case OP_CHOWN:
      {
        uid_t uid = (uid_t) args[form->value_arg];
        gid_t gid = (gid_t) args[form->value_arg + 1];

        if (uid == (uid_t) -1 && gid == (gid_t) -1)
          return 0;
        if (uid != (uid_t) -1 && uid != st->st_uid)
          return EPERM;
        if (gid != (gid_t) -1 && gid != st->st_gid && gid != getegid ())
          {
            int n = getgroups (0, NULL);
            g_autofree gid_t *groups = g_new (gid_t, MAX (n, 1));

            n = getgroups (MAX (n, 1), groups);
            for (int i = 0; i < n; i++)
              if (groups[i] == gid)
                return 0;
            return EPERM;
          }
        return 0;
      }

    case OP_TIMES:
    case OP_SETXATTR:
    case OP_REMOVEXATTR:
    default:
      return 0;
    }
}

/* Extended attributes the command may set or remove: its own (user.*)
 * and ACLs, which the kernel checks against the file's owner alone. */
static gboolean
xattr_name_allowed (const char *name)
{
  return g_str_has_prefix (name, "user.") ||
         g_str_equal (name, "system.posix_acl_access") ||
         g_str_equal (name, "system.posix_acl_default");
}

/* Makes the call on the supervisor's descriptor @fd of its target, whose
 * fstat() is @st (NULL for the times, which need none). Returns the
 * answer. */
static SandlockAction *
act (const SandlockGuardCall *call,
     const Form              *form,
     int                      fd,
     gboolean                 path_only,
     const struct stat       *st)
{
  const __u64 *args = call->request->data.args;
  char proc[32];
  int rc;

  g_snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);

  switch (form->op)
    {
    case OP_CHMOD:
      {
        if (!path_only)
          {
            rc = fchmod (fd, (mode_t) args[form->value_arg]);
            break;
          }
        /* fchmod() refuses O_PATH descriptors: chmod() through the
         * descriptor's magic link reaches the same inode. A symbolic link
         * has no mode of its own to change (as fchmodat2() answers). */
        if (S_ISLNK (st->st_mode))
          return sandlock_action_new_errno (EOPNOTSUPP);
        rc = chmod (proc, (mode_t) args[form->value_arg]);
        break;
      }

    case OP_CHOWN:
      rc = fchownat (fd, "", (uid_t) args[form->value_arg], (gid_t) args[form->value_arg + 1],
                     AT_EMPTY_PATH);
      break;

    case OP_TIMES:
      {
        struct timespec times[2];
        gboolean now;
        int error = read_times (call, form, times, &now);

        if (error != 0)
          return sandlock_action_new_errno (error);
        rc = utimensat (fd, "", now ? NULL : times, AT_EMPTY_PATH);
        break;
      }

    case OP_SETXATTR:
    case OP_REMOVEXATTR:
      {
        g_autofree char *name = NULL;
        g_autoptr(GBytes) value = NULL;
        int flags = 0;
        int error = read_xattr (call, form, &name, &value, &flags);

        if (error != 0)
          return sandlock_action_new_errno (error);
        if (!xattr_name_allowed (name))
          return sandlock_action_new_errno (EPERM);
        if (form->op == OP_REMOVEXATTR)
          rc = path_only ? removexattr (proc, name) : fremovexattr (fd, name);
        else
          {
            gsize size;
            const void *data = g_bytes_get_data (value, &size);

            /* The magic link leads to the inode itself, a symbolic link
             * included: it is not followed further. */
            rc = path_only ? setxattr (proc, name, data, size, flags)
                           : fsetxattr (fd, name, data, size, flags);
          }
        break;
      }

    default:
      return sandlock_action_new_errno (ENOSYS);
    }
  return rc == 0 ? sandlock_action_new_return_value (0) : sandlock_action_new_errno (errno);
}

/* Decides @call, and makes it when @perform: the answer, or NULL when it
 * may proceed and is not to be performed now. */
static SandlockAction *
run (const SandlockGuardCall *call,
     gboolean                 perform)
{
  const Form *form = find_form (call->request->data.nr);
  sandlock_autofd int fd = -1;
  gboolean descriptor_form, beneath;
  gboolean path_only, allowed;
  int status_flags;
  struct stat st;

  if (form == NULL)
    return sandlock_action_new_errno (ENOSYS);   /* not ours: fail closed */
  if (!kernel_has (form->nr))
    return sandlock_action_new_errno (ENOSYS);

  fd = resolve_target (call, form, &descriptor_form, &beneath);
  if (fd < 0)
    return sandlock_action_new_errno (errno == ESRCH ? EACCES : errno);
  /* A path resolves to an O_PATH descriptor, or (the command's own
   * /proc/self/fd/N) to a copy of the command's descriptor, which is
   * decided as a path too: beneath fs-writable and not denied, changed
   * through its magic link. Only the descriptor forms need its flags,
   * one syscall fewer for the others (issue 18). */
  status_flags = descriptor_form ? fcntl (fd, F_GETFL) : O_PATH;
  if (status_flags < 0)
    return sandlock_action_new_errno (EACCES);
  path_only = (status_flags & O_PATH) != 0;

  /* fchmod(), fchown(), f*xattr(), futimens() refuse O_PATH descriptors
   * themselves. */
  if (path_only && descriptor_form && form->path_arg < 0)
    return sandlock_action_new_errno (EBADF);
  if (path_only && descriptor_form && form->op == OP_TIMES && call->request->data.args[form->path_arg] == 0)
    return sandlock_action_new_errno (EBADF);

  allowed = beneath ||
            (descriptor_form && !path_only && (status_flags & O_ACCMODE) != O_RDONLY) ||
            sandlock_resolve_beneath (fd, call->policy->writable_fds, call->policy->writable_names,
                                      call->policy->n_writable);
  if (!allowed || (path_only && sandlock_resolve_denied (fd, call->policy->denied)))
    return sandlock_action_new_errno (EACCES);
  /* One fstat() for what the privilege check and chmod() need to know of
   * the target; the times need none. */
  if (form->op != OP_TIMES && fstat (fd, &st) != 0)
    return sandlock_action_new_errno (EPERM);
  if (privilege_error (call, form, &st) != 0)
    return sandlock_action_new_errno (EPERM);
  if (!perform)
    return NULL;
  return act (call, form, fd, path_only, form->op != OP_TIMES ? &st : NULL);
}

/* Where Landlock confines the filesystem; SANDLOCK_TEST_DISABLE=
 * metadata-guard removes the guard, so that the benchmark can measure
 * what its traps cost (never in production: the metadata calls are then
 * unchecked). */
static gboolean
applies (const SandlockPolicy *policy)
{
  return sandlock_policy_confines_fs (policy) &&
         !sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_METADATA_GUARD);
}

const SandlockGuard sandlock_guard_metadata = {
  .name = "metadata",
  .syscalls = syscalls,
  .applies = applies,
  .decide = run,
};
