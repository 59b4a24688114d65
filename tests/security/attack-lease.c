/* attack-lease.c: a file lease on a file the command may only read.
 * Landlock governs no lease: the owner of a file (root owns the whole
 * system) may take a read lease through a descriptor it only reads, and
 * then every other process's open of the file for writing, or truncate,
 * waits for the lease to be given up, or for /proc/sys/fs/lease-break-time
 * (45 s by default), each time: the application's, an editor's, a
 * package manager's. Argument: a file beneath the granted directory, owned
 * by the user running the sandbox.
 *
 * A write lease is worse: it holds back other processes' opens for
 * reading too.
 *
 * Taking a lease must fail (EPERM), whatever its type; reading the lease
 * (F_GETLEASE) stays and finds none.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  int fd;
  int lease;

  if (argc < 2)
    return 2;
  /* A lease holder is sent SIGIO when another process breaks it. */
  signal (SIGIO, SIG_IGN);

  fd = open (argv[1], O_RDONLY | O_CLOEXEC);
  attack_report (fd, "control: open GRANTED/file for reading");
  if (fd < 0)
    return 1;
  attack_report (fcntl (fd, F_SETLEASE, F_WRLCK), "F_SETLEASE F_WRLCK GRANTED/file");
  attack_report (fcntl (fd, F_SETLEASE, F_RDLCK), "F_SETLEASE F_RDLCK GRANTED/file");
  lease = fcntl (fd, F_GETLEASE);
  if (lease < 0)
    attack_report (lease, "control: F_GETLEASE GRANTED/file");
  else
    attack_say ("control: F_GETLEASE GRANTED/file: %s",
                lease == F_UNLCK ? "none" : lease == F_RDLCK ? "F_RDLCK" : "F_WRLCK");
  close (fd);
  return 0;
}
