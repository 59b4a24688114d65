/* sandlock-guard-inotify.c: inotify watches beneath granted paths only
 *
 * Landlock governs no inotify watch: without this guard a command may
 * watch any directory or file it can name, hidden or not, and learn the
 * names of the files created, opened, changed or removed there. Whenever
 * Landlock confines the filesystem, this guard traps inotify_add_watch()
 * and lets a watch through only when its target lies beneath (or at) an
 * fs-readable or fs-writable path, which the command may list or read
 * anyway.
 *
 * The target is resolved by the supervisor, as the metadata guard does
 * (sandlock-resolve.c): the path is read once from the command's memory
 * (bounded), looked up from the supervisor's own copy of the thread's
 * working directory (checked with SECCOMP_IOCTL_NOTIF_ID_VALID), without
 * magic links, honouring IN_DONT_FOLLOW, into an O_PATH descriptor. The
 * watch is then added by the supervisor, on its own copy of the command's
 * inotify descriptor (the same inotify instance), through
 * /proc/self/fd/N of that O_PATH descriptor: the very inode that was
 * decided on. The command gets the real watch descriptor, valid on its
 * own inotify descriptor, or the real error. The kernel never runs the
 * call itself: it would read the path again.
 *
 *  check    decides before the handlers: refuses a watch outside the
 *           granted paths (EACCES), and when no handler traps the
 *           syscall, adds the watch at once;
 *  perform  once the handlers continue, resolves and decides again, and
 *           adds the watch.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <linux/limits.h>
#include <sys/inotify.h>

#include "sandlock-compat-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-resolve-private.h"

static const char * const syscalls[] = { "inotify_add_watch", NULL };

/* The answer to a failed step, with errno: a command that died or whose
 * call went away (ESRCH) gets a refusal, never a success. */
static SandlockAction *
refusal (void)
{
  return sandlock_action_new_errno (errno == ESRCH ? EACCES : errno);
}

/* Decides @call, and adds the watch when @perform: the answer, or NULL
 * when it may proceed and is not to be performed now. */
static SandlockAction *
run (const SandlockGuardCall *call,
     gboolean                 perform)
{
  const struct seccomp_notif *request = call->request;
  const SandlockPolicy *policy = call->policy;
  int inotify_arg = (int) request->data.args[0];
  guint32 mask = (guint32) request->data.args[2];
  g_autofree char *path = NULL;
  g_autofree char *link = NULL;
  sandlock_autofd int inotify_fd = -1;
  sandlock_autofd int target = -1;
  int wd;

  if (request->data.nr != __NR_inotify_add_watch)
    return sandlock_action_new_errno (ENOSYS);   /* not ours: fail closed */

  /* The kernel checks the descriptor first: EBADF, then EINVAL when it is
   * not an inotify one (when the watch is added). */
  if (inotify_arg < 0)
    return sandlock_action_new_errno (EBADF);
  inotify_fd = sandlock_notif_take_fd (call->listener_fd, request, inotify_arg);
  if (inotify_fd < 0)
    return refusal ();

  path = sandlock_notif_read_string (call->listener_fd, request, request->data.args[1], PATH_MAX);
  if (path == NULL)
    return refusal ();
  if (path[0] == '\0')
    return sandlock_action_new_errno (ENOENT);
  target = sandlock_resolve_path (call->listener_fd, request, AT_FDCWD, path,
                                  (mask & IN_DONT_FOLLOW) != 0);
  if (target < 0)
    return refusal ();

  if ((!sandlock_resolve_beneath (target, policy->readable_fds, policy->readable_names,
                                  policy->n_readable) &&
       !sandlock_resolve_beneath (target, policy->writable_fds, policy->writable_names,
                                  policy->n_writable)) ||
      sandlock_resolve_denied (target, policy->denied))
    return sandlock_action_new_errno (EACCES);
  if (!perform)
    return NULL;

  /* The magic link leads to the resolved inode itself (a symbolic link
   * included, when IN_DONT_FOLLOW kept it): IN_DONT_FOLLOW must not apply
   * to the link of /proc. */
  link = g_strdup_printf ("/proc/self/fd/%d", target);
  wd = inotify_add_watch (inotify_fd, link, mask & ~(guint32) IN_DONT_FOLLOW);
  if (wd < 0)
    return sandlock_action_new_errno (errno);
  return sandlock_action_new_return_value (wd);
}

const SandlockGuard sandlock_guard_inotify = {
  .name = "inotify",
  .syscalls = syscalls,
  .applies = sandlock_policy_confines_fs,
  .decide = run,
};
