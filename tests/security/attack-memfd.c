/* attack-memfd.c: running a program no rule grants, from a memfd.
 * Landlock's EXECUTE right governs files reached through a path; a memfd
 * lives on the kernel's internal mount, which Landlock lets through, and
 * memfd_create() makes it executable (mode 0777) unless asked otherwise.
 * So a command could write any program into one and execute it, through
 * execveat(fd, "", AT_EMPTY_PATH) (fexecve()) or /proc/self/fd/N. This
 * program copies itself (it is readable: stand-in for a program fetched
 * from the network) into memfds and tries to execute them; each exec runs
 * in a child, and the program run that way prints "<attempt>: ok", the
 * escape. Every exec must fail with EACCES; asking for MFD_EXEC too.
 *
 * The controls: a memfd for data still works, write, read back, mmap,
 * with close-on-exec as asked, and sealing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MFD_EXEC
# define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
# define F_SEAL_EXEC 0x0020
#endif

#define PAYLOAD "--payload"

static char **arguments;

/* A memfd created with @flags, holding a copy of this program, or -1. */
static int
memfd_with_program (const char   *attempt,
                    unsigned int  flags)
{
  char buffer[65536];
  int fd = memfd_create ("payload", flags);
  int program;
  ssize_t n;

  attack_report (fd, "%s: memfd_create", attempt);
  if (fd < 0)
    return -1;
  program = open (arguments[0], O_RDONLY | O_CLOEXEC);
  if (program < 0)
    {
      attack_report (-1, "%s: open the program", attempt);
      return -1;
    }
  while ((n = read (program, buffer, sizeof buffer)) > 0)
    if (write (fd, buffer, (size_t) n) != n)
      {
        attack_report (-1, "%s: copy the program", attempt);
        return -1;
      }
  close (program);
  return fd;
}

typedef enum {
  EXEC_EMPTY_PATH,   /* execveat (fd, "", AT_EMPTY_PATH), as fexecve() */
  EXEC_PROC_FD,      /* execve ("/proc/self/fd/N") */
} ExecWay;

/* Executes memfd @fd in a child, which prints the outcome: the program
 * itself when the exec succeeds, the child when it fails. */
static void
try_exec (int         fd,
          ExecWay     way,
          const char *attempt)
{
  char *child_argv[] = { arguments[0], (char *) PAYLOAD, (char *) attempt, NULL };
  char *child_env[] = { NULL };
  pid_t pid;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    {
      attack_report (-1, "%s: fork", attempt);
      return;
    }
  if (pid == 0)
    {
      long rc;

      if (way == EXEC_EMPTY_PATH)
        rc = syscall (SYS_execveat, fd, "", child_argv, child_env, AT_EMPTY_PATH);
      else
        {
          char path[64];

          snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
          rc = execve (path, child_argv, child_env);
        }
      attack_report (rc, "%s", attempt);
      _exit (0);
    }
  waitpid (pid, NULL, 0);
}

int
main (int argc, char **argv)
{
  char check[8] = { 0 };
  unsigned int seals;
  void *map;
  int fd;

  arguments = argv;
  if (argc == 3 && strcmp (argv[1], PAYLOAD) == 0)
    {
      /* Run from a memfd: the escape. */
      attack_say ("%s: ok", argv[2]);
      return 0;
    }

  fd = memfd_with_program ("plain", MFD_CLOEXEC);
  if (fd >= 0)
    {
      try_exec (fd, EXEC_EMPTY_PATH, "execveat plain memfd AT_EMPTY_PATH");
      try_exec (fd, EXEC_PROC_FD, "execve /proc/self/fd of plain memfd");
      attack_report (fchmod (fd, 0755), "fchmod plain memfd 0755");
      try_exec (fd, EXEC_EMPTY_PATH, "execveat plain memfd AT_EMPTY_PATH after fchmod");
      close (fd);
    }

  fd = memfd_with_program ("MFD_EXEC", MFD_CLOEXEC | MFD_EXEC);
  if (fd >= 0)
    {
      try_exec (fd, EXEC_EMPTY_PATH, "execveat MFD_EXEC memfd AT_EMPTY_PATH");
      close (fd);
    }

  /* A memfd for data. */
  fd = memfd_create ("data", MFD_CLOEXEC);
  attack_report (fd, "control: memfd_create data MFD_CLOEXEC");
  attack_report (fcntl (fd, F_GETFD) == FD_CLOEXEC ? 0 : (errno = EINVAL, -1),
                 "control: it is close-on-exec");
  attack_report (write (fd, "data", 5) == 5 ? 0 : -1, "control: write");
  attack_report (pread (fd, check, 5, 0) == 5 && strcmp (check, "data") == 0 ? 0 : -1,
                 "control: read back");
  map = mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  attack_report (map == MAP_FAILED ? -1 : 0, "control: mmap shared");
  if (map != MAP_FAILED)
    {
      attack_report (memcmp (map, "data", 5) == 0 ? 0 : -1, "control: read through the map");
      munmap (map, 4096);
    }
  close (fd);

  fd = memfd_create ("kept", 0);
  attack_report (fd, "control: memfd_create without MFD_CLOEXEC");
  attack_report (fcntl (fd, F_GETFD) == 0 ? 0 : (errno = EINVAL, -1),
                 "control: it is not close-on-exec");
  close (fd);

  fd = memfd_create ("sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  attack_report (fd, "control: memfd_create MFD_ALLOW_SEALING");
  attack_report (fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW), "control: F_ADD_SEALS");
  seals = (unsigned int) fcntl (fd, F_GET_SEALS);
  attack_report ((seals & (F_SEAL_SHRINK | F_SEAL_GROW)) == (F_SEAL_SHRINK | F_SEAL_GROW) ? 0 : -1,
                 "control: F_GET_SEALS");
  close (fd);
  return 0;
}
