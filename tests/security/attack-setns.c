/* attack-setns.c: joining namespaces, through the namespace files of
 * /proc/self/ns (readable: the test grants /proc) and through a pidfd of a
 * process outside the sandbox (the helper, our parent). setns must fail
 * with EPERM every time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  static const char * const names[] = { "mnt", "user", "net", "pid", "uts", "ipc", "cgroup" };
  int pidfd;

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      char path[64];
      int fd;

      snprintf (path, sizeof path, "/proc/self/ns/%s", names[i]);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      attack_report (fd, "open %s", path);
      if (fd >= 0)
        {
          attack_report (syscall (SYS_setns, fd, 0), "setns %s", names[i]);
          close (fd);
        }
    }

  pidfd = (int) syscall (SYS_pidfd_open, getppid (), 0);
  attack_report (pidfd, "pidfd_open parent");
  if (pidfd >= 0)
    attack_report (syscall (SYS_setns, pidfd, CLONE_NEWNS | CLONE_NEWNET),
                   "setns pidfd of parent");
  return 0;
}
