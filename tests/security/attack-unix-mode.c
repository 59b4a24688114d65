/* attack-unix-mode.c: a socket beneath fs-writable whose mode lets no one
 * in. The supervisor connects, and sends datagrams, for the command: the
 * kernel checks the socket file's mode against the supervisor's thread,
 * and an application running as root lent a command without capabilities
 * CAP_DAC_OVERRIDE: it reached sockets of other users that their mode
 * closes (a root command without capabilities gets EACCES). Arguments: a
 * stream and a datagram socket of the supervisor's beneath WRITABLE, mode
 * 0000. Both must fail with EACCES, and their servers get nothing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct sockaddr_un stream = { .sun_family = AF_UNIX };
  struct sockaddr_un dgram = { .sun_family = AF_UNIX };
  int fd;

  strncpy (stream.sun_path, attack_arg (argc, argv, 1), sizeof stream.sun_path - 1);
  strncpy (dgram.sun_path, attack_arg (argc, argv, 2), sizeof dgram.sun_path - 1);

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  attack_report (connect (fd, (struct sockaddr *) &stream, sizeof stream), "connect CLOSED_STREAM");
  close (fd);
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  attack_report (sendto (fd, "x", 1, 0, (struct sockaddr *) &dgram, sizeof dgram),
                 "sendto CLOSED_DGRAM");
  close (fd);
  return 0;
}
