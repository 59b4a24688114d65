/* attack-proc-info.c: what /proc shows of the supervisor (argument 1)
 * beyond its memory and descriptors: its environment (which may hold
 * secrets), its memory map and auxiliary vector (which undo its address
 * randomisation) and its map_files. The kernel guards them with a ptrace
 * "read" check, which a sandboxed command must fail (EACCES); on Linux
 * 6.18 a command run as root passes it (a known limitation, see
 * test-security.c). The test grants /proc; without that grant nothing
 * here is reachable.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

static void
try_read (const char *what,
          long        pid,
          const char *file)
{
  char path[64], buffer[64];
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
  attack_report (rc, "read %s", what);
}

int
main (int argc, char **argv)
{
  long supervisor = attack_arg_long (argc, argv, 1);
  struct dirent *entry = NULL;
  char path[64];
  DIR *dir;

  try_read ("/proc/SUPERVISOR/environ", supervisor, "environ");
  try_read ("/proc/SUPERVISOR/maps", supervisor, "maps");
  try_read ("/proc/SUPERVISOR/auxv", supervisor, "auxv");

  snprintf (path, sizeof path, "/proc/%ld/map_files", supervisor);
  dir = opendir (path);
  if (dir != NULL)
    errno = 0;
  /* "." and ".." come first, whatever the permissions. */
  while (dir != NULL && (entry = readdir (dir)) != NULL && entry->d_name[0] == '.')
    ;
  attack_report (entry != NULL ? 0 : -1, "list /proc/SUPERVISOR/map_files");
  if (dir != NULL)
    closedir (dir);
  return 0;
}
