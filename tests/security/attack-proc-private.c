/* attack-proc-private.c: what a private /proc shows of processes outside
 * the sandbox. Arguments: the supervisor's pid and an unrelated process's
 * (the victim, another user's when the suite runs as root and drops to
 * nobody, else the same user's). Each /proc/<pid> of theirs must look
 * absent (ENOENT), and the listing of /proc must hold only the sandbox's
 * processes; the controls (the command's own /proc/self, a system-wide
 * file) must work.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void
try_read (const char *label,
          long        pid,
          const char *file)
{
  char path[64], buffer[256];
  long rc;
  int fd;

  snprintf (path, sizeof path, "/proc/%ld/%s", pid, file);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  rc = fd;
  if (fd >= 0)
    {
      rc = read (fd, buffer, sizeof buffer);
      close (fd);
    }
  attack_report (rc, "read /proc/%s/%s", label, file);
}

/* Every numeric entry of /proc: only @self and @child may be there. */
static void
list_proc (long self,
           long child)
{
  struct dirent *entry;
  int others = 0, seen_self = 0, seen_child = 0;
  DIR *dir = opendir ("/proc");

  attack_report (dir != NULL ? 0 : -1, "control: list /proc");
  if (dir == NULL)
    return;
  while ((entry = readdir (dir)) != NULL)
    {
      char *end;
      long pid = strtol (entry->d_name, &end, 10);

      if (*end != '\0' || end == entry->d_name)
        continue;
      if (pid == self)
        seen_self = 1;
      else if (pid == child)
        seen_child = 1;
      else
        others++;
    }
  closedir (dir);
  attack_say ("listing of /proc: %s, %s, %d other processes",
              seen_self ? "self seen" : "self missing",
              seen_child ? "child seen" : "child missing", others);
}

int
main (int argc, char **argv)
{
  long supervisor = attack_arg_long (argc, argv, 1);
  long victim = attack_arg_long (argc, argv, 2);
  char path[64];
  struct stat st;
  pid_t child;
  int status;

  try_read ("SUPERVISOR", supervisor, "cmdline");
  try_read ("SUPERVISOR", supervisor, "environ");
  try_read ("SUPERVISOR", supervisor, "status");
  try_read ("VICTIM", victim, "cmdline");
  try_read ("VICTIM", victim, "environ");
  try_read ("VICTIM", victim, "status");
  try_read ("1", 1, "cmdline");
  try_read ("1", 1, "status");

  snprintf (path, sizeof path, "/proc/%ld/task", victim);
  attack_report (open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "list /proc/VICTIM/task");
  snprintf (path, sizeof path, "%ld/status", victim);
  {
    int proc = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    attack_report (openat (proc, path, O_RDONLY | O_CLOEXEC), "openat /proc-fd VICTIM/status");
    close (proc);
  }
  snprintf (path, sizeof path, "/proc/self/../%ld/status", victim);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "open /proc/self/../VICTIM/status");

  /* A child of its own is the sandbox's. */
  child = fork ();
  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  list_proc (getpid (), child);
  try_read ("CHILD", child, "status");

  /* Memory of another process of the sandbox: only of a descendant, as
   * Yama's default (ptrace scope 1) has the kernel's "attach" check: the
   * supervisor, an ancestor of all, must not open more for the command. */
  snprintf (path, sizeof path, "/proc/%d/mem", (int) child);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "control: open /proc/CHILD/mem");
  {
    pid_t prober = fork ();

    if (prober == 0)
      {
        snprintf (path, sizeof path, "/proc/%d/mem", (int) getppid ());
        attack_report (open (path, O_RDONLY | O_CLOEXEC), "read /proc/PARENT/mem from a child");
        attack_report (open (path, O_RDWR | O_CLOEXEC), "open /proc/PARENT/mem from a child");
        _exit (0);
      }
    waitpid (prober, &status, 0);
  }
  kill (child, SIGKILL);
  waitpid (child, &status, 0);

  attack_report (stat ("/proc/self/status", &st), "control: stat /proc/self/status");
  try_read ("self", getpid (), "status");
  attack_report (open ("/proc/self/status", O_RDONLY | O_CLOEXEC), "control: open /proc/self/status");
  attack_report (open ("/proc/thread-self/stat", O_RDONLY | O_CLOEXEC), "control: open /proc/thread-self/stat");
  attack_report (open ("/proc/cpuinfo", O_RDONLY | O_CLOEXEC), "control: open /proc/cpuinfo");
  attack_report (open ("/proc/meminfo", O_RDONLY | O_CLOEXEC), "control: open /proc/meminfo");
  attack_report (open ("/proc/net/unix", O_RDONLY | O_CLOEXEC), "control: open /proc/net/unix");
  attack_report (open ("/proc/mounts", O_RDONLY | O_CLOEXEC), "control: open /proc/mounts");
  return 0;
}
