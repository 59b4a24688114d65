/* attack-capabilities.c: the capabilities a command run as root would hold
 * Argument: the writable directory.
 *
 * A command started by root holds root's capabilities unless the sandbox
 * drops them, and several of them reach past Landlock and the deny filter:
 * CAP_MKNOD makes device nodes in a writable directory (a node of the
 * kernel's memory or of a disk, then opened through a path Landlock
 * grants), CAP_DAC_OVERRIDE ignores file modes, CAP_SYS_CHROOT,
 * CAP_SYS_TIME, CAP_SYSLOG, CAP_SYS_NICE, CAP_NET_ADMIN, CAP_SYS_RESOURCE
 * each open a piece of the kernel. The program prints its capability sets
 * (capget() and prctl(), which need no /proc), then tries one harmless
 * use of each capability, whose success proves it is held:
 *
 *  - settimeofday(NULL, NULL) runs the kernel's CAP_SYS_TIME check and
 *    changes nothing;
 *  - syslog(SYSLOG_ACTION_SIZE_UNREAD) reads how much of the kernel log is
 *    unread: it takes CAP_SYSLOG whatever kernel.dmesg_restrict says;
 *  - sched_setscheduler(SCHED_FIFO) and a lower nice value of its own,
 *    with the default RLIMIT_RTPRIO and RLIMIT_NICE of 0;
 *  - SO_MARK on a socket of its own (CAP_NET_ADMIN);
 *  - raising its own hard RLIMIT_NOFILE back after lowering it;
 *  - reading a file of its own with mode 000 (CAP_DAC_OVERRIDE);
 *  - raising a capability with capset(), and into the ambient set;
 *  - mknod of character and block devices (CAP_MKNOD; Landlock refuses
 *    them in a writable directory too), then reading them;
 *  - chroot into the writable directory, last: it would change every path.
 *
 * The bounding set is printed as "empty" or in hexadecimal: only a process
 * with CAP_SETPCAP can empty it, so a command started by an unprivileged
 * user keeps the one the kernel gave it (useless with no_new_privs), and
 * test-security.c expects what the supervisor itself holds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdint.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYSLOG_ACTION_SIZE_UNREAD 9

static void
print_set (const char *name,
           uint64_t    set)
{
  if (set == 0)
    attack_say ("%s: empty", name);
  else
    attack_say ("%s: 0x%llx", name, (unsigned long long) set);
}

/* Every capability the running kernel knows: prctl() answers EINVAL past
 * the last one. */
static int
last_cap (void)
{
  int cap = 0;

  while (cap < 63 && prctl (PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0)
    cap++;
  return cap;
}

static int
capget_v3 (struct __user_cap_data_struct data[2])
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };

  return (int) syscall (SYS_capget, &header, data);
}

static int
capset_v3 (struct __user_cap_data_struct data[2])
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };

  return (int) syscall (SYS_capset, &header, data);
}

#define JOIN(data, field) (((uint64_t) data[1].field << 32) | data[0].field)

static void
print_sets (void)
{
  struct __user_cap_data_struct data[2] = { { 0 } };
  uint64_t ambient = 0, bounding = 0;
  int last = last_cap ();

  if (capget_v3 (data) < 0)
    {
      attack_report (-1, "capget");
      return;
    }
  print_set ("effective", JOIN (data, effective));
  print_set ("permitted", JOIN (data, permitted));
  print_set ("inheritable", JOIN (data, inheritable));
  for (int cap = 0; cap <= last; cap++)
    {
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) > 0)
        ambient |= 1ULL << cap;
      if (prctl (PR_CAPBSET_READ, cap, 0, 0, 0) > 0)
        bounding |= 1ULL << cap;
    }
  print_set ("ambient", ambient);
  print_set ("bounding set", bounding);
}

/* Makes a device node, then opens it and reads a byte (the kernel log's
 * node without blocking). */
static void
try_device (const char  *dir,
            const char  *name,
            mode_t       type,
            unsigned int major,
            unsigned int minor)
{
  char path[4096];
  char byte[4096];
  const char *kind = type == S_IFCHR ? "char" : "block";
  int fd;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  if (mknod (path, type | 0600, makedev (major, minor)) < 0)
    {
      attack_report (-1, "mknod WRITABLE/%s (%s %u:%u)", name, kind, major, minor);
      return;
    }
  attack_report (0, "mknod WRITABLE/%s (%s %u:%u)", name, kind, major, minor);
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  attack_report (fd, "open WRITABLE/%s", name);
  if (fd >= 0)
    {
      attack_report (read (fd, byte, sizeof byte), "read WRITABLE/%s", name);
      close (fd);
    }
}

int
main (int argc, char **argv)
{
  const char *writable = attack_arg (argc, argv, 1);
  struct __user_cap_data_struct data[2] = { { 0 } };
  struct sched_param fifo = { .sched_priority = 1 };
  struct rlimit limit;
  char path[4096];
  int fd, mark = 1, nice_now;

  print_sets ();

  attack_report (syscall (SYS_settimeofday, NULL, NULL), "settimeofday(NULL, NULL) (CAP_SYS_TIME)");
  attack_report (klogctl (SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), "syslog SIZE_UNREAD (CAP_SYSLOG)");

  if (sched_setscheduler (0, SCHED_FIFO, &fifo) == 0)
    {
      struct sched_param other = { .sched_priority = 0 };

      attack_report (0, "sched_setscheduler SCHED_FIFO (CAP_SYS_NICE)");
      sched_setscheduler (0, SCHED_OTHER, &other);
    }
  else
    attack_report (-1, "sched_setscheduler SCHED_FIFO (CAP_SYS_NICE)");
  errno = 0;
  nice_now = getpriority (PRIO_PROCESS, 0);
  attack_report (setpriority (PRIO_PROCESS, 0, nice_now - 1), "setpriority one lower (CAP_SYS_NICE)");

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  attack_report (setsockopt (fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark), "setsockopt SO_MARK (CAP_NET_ADMIN)");
  close (fd);

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      /* (The sandbox makes both limits equal when max-open-files is set.) */
      struct rlimit lower = { limit.rlim_cur < limit.rlim_max ? limit.rlim_cur : limit.rlim_max - 1,
                              limit.rlim_max - 1 };

      attack_report (setrlimit (RLIMIT_NOFILE, &lower), "control: lower its hard RLIMIT_NOFILE");
      attack_report (setrlimit (RLIMIT_NOFILE, &limit), "raise its hard RLIMIT_NOFILE back (CAP_SYS_RESOURCE)");
    }
  else
    attack_report (-1, "getrlimit RLIMIT_NOFILE");

  snprintf (path, sizeof path, "%s/mode-000", writable);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  attack_report (fd, "control: create WRITABLE/mode-000 with mode 000");
  if (fd >= 0)
    close (fd);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  attack_report (fd, "open WRITABLE/mode-000 for reading (CAP_DAC_OVERRIDE)");
  if (fd >= 0)
    close (fd);

  data[0].effective = data[0].permitted = 1U << CAP_SYS_ADMIN;
  attack_report (capset_v3 (data), "capset CAP_SYS_ADMIN");
  attack_report (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0),
                 "prctl PR_CAP_AMBIENT_RAISE CAP_NET_BIND_SERVICE");

  try_device (writable, "null", S_IFCHR, 1, 3);
  try_device (writable, "kmsg", S_IFCHR, 1, 11);
  try_device (writable, "loop0", S_IFBLK, 7, 0);
  snprintf (path, sizeof path, "%s/fifo", writable);
  attack_report (mkfifo (path, 0600), "control: mkfifo WRITABLE/fifo");

  attack_report (chroot (writable), "chroot WRITABLE (CAP_SYS_CHROOT)");
  return 0;
}
