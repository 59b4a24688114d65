/* attack-sched.c: scheduling of processes outside the sandbox.
 * Arguments: the supervisor's pid, an unrelated process that leads its own
 * process group (the victim), and the address of the supervisor's canary.
 * The kernel lets a process lower the CPU and I/O priority, change the
 * scheduling policy and the CPU affinity of any other process of its user
 * (root: of anyone), and no Landlock hook governs it: a command could pin
 * the application to one CPU and make it SCHED_IDLE. Each attempt on
 * another process must fail with EPERM; the test checks, afterwards, that
 * its own priority, policy, affinity and I/O priority are unchanged (and
 * restores them if not).
 *
 * PRIO_USER and IOPRIO_WHO_USER name a uid nobody uses: on the whole user
 * (every process of root, on a shared machine) the attempt would do real
 * harm, and on a uid without processes the kernel answers ESRCH once it
 * looked, which is enough to tell the call got through.
 *
 * The other ways to reach another process's memory or descriptors are
 * tried too: process_madvise() on the supervisor's canary page, kcmp(),
 * pidfd_getfd(), process_mrelease(). Acting on itself through pid 0 is the
 * control: nice(), taskset and os.sched_setaffinity(0, ...) must work.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define UNUSED_UID 0x5ad1c0deu

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_VALUE(class, data) (((class) << 13) | (data))

#ifndef MADV_COLD
# define MADV_COLD 20
#endif
#define KCMP_FILE 0

/* struct sched_attr as of Linux 3.14 (SCHED_ATTR_SIZE_VER0). */
struct attack_sched_attr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t  sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

static void
try_process (pid_t       pid,
             const char *who)
{
  struct sched_param param = { .sched_priority = 0 };
  struct attack_sched_attr attr = {
    .size = sizeof attr, .sched_policy = SCHED_IDLE, .sched_nice = 19,
  };
  cpu_set_t cpus;

  attack_report (setpriority (PRIO_PROCESS, (id_t) pid, 19), "setpriority PRIO_PROCESS %s 19", who);
  attack_report (sched_setscheduler (pid, SCHED_IDLE, &param), "sched_setscheduler %s SCHED_IDLE", who);
  attack_report (sched_setparam (pid, &param), "sched_setparam %s", who);
  attack_report (syscall (SYS_sched_setattr, pid, &attr, 0), "sched_setattr %s SCHED_IDLE", who);
  CPU_ZERO (&cpus);
  if (sched_getaffinity (pid, sizeof cpus, &cpus) != 0)
    {
      attack_report (-1, "control: sched_getaffinity %s", who);
      return;
    }
  /* Its first CPU only. */
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET (cpu, &cpus))
      {
        CPU_ZERO (&cpus);
        CPU_SET (cpu, &cpus);
        break;
      }
  attack_report (sched_setaffinity (pid, sizeof cpus, &cpus), "sched_setaffinity %s one CPU", who);
  attack_report (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, pid, IOPRIO_VALUE (IOPRIO_CLASS_IDLE, 0)),
                 "ioprio_set IOPRIO_WHO_PROCESS %s idle", who);
}

int
main (int argc, char **argv)
{
  pid_t supervisor = (pid_t) attack_arg_long (argc, argv, 1);
  pid_t victim = (pid_t) attack_arg_long (argc, argv, 2);
  uintptr_t canary = (uintptr_t) attack_arg_long (argc, argv, 3);
  struct iovec page = { .iov_base = (void *) (canary & ~(uintptr_t) 4095), .iov_len = 4096 };
  struct sched_param param = { .sched_priority = 0 };
  struct attack_sched_attr attr = { .size = sizeof attr, .sched_policy = SCHED_BATCH };
  cpu_set_t own;
  int start_nice;
  int pidfd;

  try_process (supervisor, "SUPERVISOR");
  try_process (getppid (), "the helper");

  attack_report (setpriority (PRIO_PGRP, (id_t) victim, 19), "setpriority PRIO_PGRP VICTIM 19");
  attack_report (setpriority (PRIO_USER, UNUSED_UID, 19), "setpriority PRIO_USER unused uid 19");
  attack_report (syscall (SYS_ioprio_set, IOPRIO_WHO_PGRP, victim, IOPRIO_VALUE (IOPRIO_CLASS_IDLE, 0)),
                 "ioprio_set IOPRIO_WHO_PGRP VICTIM idle");
  attack_report (syscall (SYS_ioprio_set, IOPRIO_WHO_USER, UNUSED_UID, IOPRIO_VALUE (IOPRIO_CLASS_IDLE, 0)),
                 "ioprio_set IOPRIO_WHO_USER unused uid idle");

  pidfd = (int) syscall (SYS_pidfd_open, supervisor, 0);
  attack_report (pidfd, "control: pidfd_open SUPERVISOR");
  attack_report (syscall (SYS_process_madvise, pidfd, &page, 1, MADV_COLD, 0),
                 "process_madvise SUPERVISOR MADV_COLD");
  attack_report (syscall (SYS_kcmp, getpid (), supervisor, KCMP_FILE, 0, 0), "kcmp self SUPERVISOR");
  attack_report (syscall (SYS_pidfd_getfd, pidfd, 0, 0), "pidfd_getfd SUPERVISOR 0");
  attack_report (syscall (SYS_process_mrelease, pidfd, 0), "process_mrelease SUPERVISOR");

  /* Itself, through 0. Only ever up from the nice value it started with
   * (a suite run under nice(1) starts above 0): lowering it needs a
   * privilege no command has. The kernel caps setpriority() at 19;
   * sched_setattr() refuses more. */
  errno = 0;
  start_nice = getpriority (PRIO_PROCESS, 0);
  if (start_nice == -1 && errno != 0)
    start_nice = 0;
  attr.sched_nice = start_nice + 7 > 19 ? 19 : start_nice + 7;
  attack_report (nice (5) == -1 && errno != 0 ? -1 : 0, "control: nice 5");
  attack_report (setpriority (PRIO_PROCESS, 0, start_nice + 6), "control: setpriority PRIO_PROCESS 0 6");
  CPU_ZERO (&own);
  attack_report (sched_getaffinity (0, sizeof own, &own), "control: sched_getaffinity 0");
  attack_report (sched_setaffinity (0, sizeof own, &own), "control: sched_setaffinity 0");
  attack_report (sched_setscheduler (0, SCHED_BATCH, &param), "control: sched_setscheduler 0 SCHED_BATCH");
  attack_report (sched_setparam (0, &param), "control: sched_setparam 0");
  attack_report (syscall (SYS_sched_setattr, 0, &attr, 0), "control: sched_setattr 0 SCHED_BATCH");
  attack_report (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_VALUE (IOPRIO_CLASS_BE, 7)),
                 "control: ioprio_set IOPRIO_WHO_PROCESS 0 best-effort 7");
  return 0;
}
