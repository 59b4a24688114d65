/* attack-proc-fd.c: the supervisor's descriptors through /proc: listing
 * /proc/<supervisor>/fd and opening each entry, opening and reading the
 * link of the descriptor on which the supervisor holds the hidden file
 * (argument 2) and its fdinfo, and copying the descriptor with
 * pidfd_getfd. With /proc granted (the test does), the directory can be
 * listed (the numbers are no secret) but no descriptor may be reached.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  long supervisor = attack_arg_long (argc, argv, 1);
  long secret_fd = attack_arg_long (argc, argv, 2);
  char path[128], target[4096];
  DIR *dir;
  int pidfd;

  snprintf (path, sizeof path, "/proc/%ld/fd", supervisor);
  dir = opendir (path);
  attack_report (dir != NULL ? 0 : -1, "opendir /proc/SUPERVISOR/fd");
  if (dir != NULL)
    {
      struct dirent *entry;
      int tried = 0, opened = 0, other = 0;

      /* The numbers are visible; what they refer to must not be. */
      while ((entry = readdir (dir)) != NULL)
        {
          char entry_path[512];
          int fd;

          if (entry->d_name[0] == '.')
            continue;
          snprintf (entry_path, sizeof entry_path, "/proc/%ld/fd/%s", supervisor, entry->d_name);
          fd = open (entry_path, O_RDONLY | O_CLOEXEC);
          tried++;
          if (fd >= 0)
            {
              opened++;
              attack_say ("open /proc/SUPERVISOR/fd/%s: ok", entry->d_name);
              close (fd);
            }
          else if (errno == ENOENT)
            {
              /* Closed since the listing (the supervisor's main loop runs
               * meanwhile): nothing was reached. */
              tried--;
            }
          else if (errno != EACCES)
            {
              other++;
              attack_report (-1, "open /proc/SUPERVISOR/fd/%s", entry->d_name);
            }
        }
      closedir (dir);
      attack_say ("open each /proc/SUPERVISOR/fd/N: %s",
                  tried > 0 && opened == 0 && other == 0 ? "EACCES" : "not all EACCES");
    }

  snprintf (path, sizeof path, "/proc/%ld/fd/%ld", supervisor, secret_fd);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "open /proc/SUPERVISOR/fd/SECRET");
  attack_report (readlink (path, target, sizeof target), "readlink /proc/SUPERVISOR/fd/SECRET");

  snprintf (path, sizeof path, "/proc/%ld/fdinfo/%ld", supervisor, secret_fd);
  attack_report (open (path, O_RDONLY | O_CLOEXEC), "open /proc/SUPERVISOR/fdinfo/SECRET");

  /* The same descriptor without /proc: a copy through a pidfd. */
  pidfd = (int) syscall (SYS_pidfd_open, supervisor, 0);
  attack_report (pidfd, "pidfd_open SUPERVISOR");
  attack_report (syscall (SYS_pidfd_getfd, pidfd, secret_fd, 0), "pidfd_getfd SUPERVISOR SECRET");
  return 0;
}
