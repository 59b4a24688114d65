/* sandlock-guard-memfd.c: the memfd_create() guard
 *
 * Landlock's EXECUTE right governs files reached through a path. A memfd
 * lives on the kernel's internal mount, which Landlock lets through, and
 * memfd_create() makes it executable (mode 0777) unless asked otherwise:
 * a command could write any program into one and run it (fexecve(), or
 * execve() of /proc/self/fd/N), although no rule grants it. When Landlock
 * governs the filesystem, this guard traps memfd_create() (rare, so
 * cheap):
 *
 *  check    MFD_EXEC, an explicit request for an executable memfd, is
 *           refused (EACCES) before any handler sees the call;
 *  perform  once the handlers continue, creates the memfd on the
 *           command's behalf with MFD_NOEXEC_SEAL (Linux 6.3): mode
 *           without any execute bit, and F_SEAL_EXEC, so that no chmod()
 *           can add one back. It is installed into the command with
 *           SECCOMP_IOCTL_NOTIF_ADDFD, close-on-exec when the command
 *           asked for MFD_CLOEXEC. The name is read from the command's
 *           memory only to name our memfd, never to decide anything.
 *
 * MFD_NOEXEC_SEAL implies MFD_ALLOW_SEALING: a command that did not ask
 * for sealing may add seals to its memfd all the same (F_SEAL_EXEC is
 * already there). On a kernel without MFD_NOEXEC_SEAL no memfd can be made
 * non-executable for good (the command could chmod it back): the guard
 * answers ENOSYS, as kernels before memfd_create() (3.17) did, and callers
 * fall back to files, which Landlock governs. Fail closed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"

/* The kernel's MFD_NAME_MAX_LEN: the longest name, without its NUL. */
#define MEMFD_NAME_MAX 249

/* Whether the running kernel knows MFD_NOEXEC_SEAL, probed once. */
static gboolean
have_noexec_seal (void)
{
  static gsize once = 0;
  static gboolean have;

  if (g_once_init_enter (&once))
    {
      int fd = memfd_create ("sandlock-probe", MFD_CLOEXEC | MFD_NOEXEC_SEAL);

      have = fd >= 0 &&
             !sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_MEMFD_NOEXEC_SEAL);
      if (fd >= 0)
        close (fd);
      g_once_init_leave (&once, 1);
    }
  return have;
}

/* Reads the NUL-terminated name at @address in the trapping thread into
 * @name (MEMFD_NAME_MAX + 1 bytes), page by page so that a name ending just
 * before an unmapped page reads. Returns 0 or the errno memfd_create()
 * would give: EFAULT, EINVAL for a name too long. The notification is
 * checked still pending after the read, so that a reused pid's memory is
 * never taken for the command's (though nothing is decided from it). */
static int
read_name (const SandlockGuardCall *call,
           guint64                  address,
           char                    *name)
{
  gsize length = 0;

  while (length < MEMFD_NAME_MAX + 1)
    {
      guint64 cursor = address + length;
      gsize to_page = 4096 - (gsize) (cursor % 4096);
      gsize want = MIN (to_page, MEMFD_NAME_MAX + 1 - length);
      struct iovec local = { .iov_base = name + length, .iov_len = want };
      struct iovec remote = { .iov_base = (void *) (guintptr) cursor, .iov_len = want };
      ssize_t n = process_vm_readv ((pid_t) call->request->pid, &local, 1, &remote, 1, 0);

      if (n <= 0)
        return sandlock_notif_id_valid (call->listener_fd, call->request->id) != 0 ? ESRCH
                                                                                  : EFAULT;
      if (memchr (name + length, '\0', (gsize) n) != NULL)
        return sandlock_notif_id_valid (call->listener_fd, call->request->id) != 0 ? ESRCH : 0;
      length += (gsize) n;
    }
  return EINVAL;
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return (policy->protections & SANDLOCK_PROTECTION_LANDLOCK_FS) != 0;
}

static SandlockAction *
check (const SandlockGuardCall *call)
{
  guint flags = (guint) call->request->data.args[1];

  if (flags & MFD_EXEC)
    return sandlock_action_new_errno (EACCES);
  return NULL;
}

static SandlockAction *
perform (const SandlockGuardCall *call)
{
  guint flags = (guint) call->request->data.args[1];
  char name[MEMFD_NAME_MAX + 1] = { 0 };
  sandlock_autofd int fd = -1;
  g_autoptr(GError) error = NULL;
  SandlockAction *answer;
  int failure;

  if (flags & MFD_EXEC)
    return sandlock_action_new_errno (EACCES);
  if (!have_noexec_seal ())
    return sandlock_action_new_errno (ENOSYS);

  failure = read_name (call, call->request->data.args[0], name);
  if (failure != 0)
    return sandlock_action_new_errno (failure);

  /* Ours is close-on-exec; the command's copy gets what it asked for.
   * Other flags (MFD_HUGETLB and its sizes, unknown ones) go to the kernel
   * as they are, which refuses what it does not know. */
  fd = memfd_create (name, (flags & ~MFD_CLOEXEC) | MFD_CLOEXEC | MFD_NOEXEC_SEAL);
  if (fd < 0)
    return sandlock_action_new_errno (errno);
  fd = sandlock_fd_above_stdio (fd);
  if (fd < 0)
    return sandlock_action_new_errno (errno);

  answer = sandlock_action_new_inject_fd (fd, (flags & MFD_CLOEXEC) ? SANDLOCK_INJECT_FD_CLOEXEC : 0,
                                          &error);
  if (answer == NULL)
    {
      g_debug ("memfd_create() for pid %u: %s", call->request->pid, error->message);
      return sandlock_action_new_errno (ENOMEM);
    }
  return answer;
}

static const char * const syscalls[] = { "memfd_create", NULL };

const SandlockGuard sandlock_guard_memfd = {
  .name = "memfd",
  .syscalls = syscalls,
  .applies = applies,
  .check = check,
  .perform = perform,
};
