/* attack-abstract-unix.c: abstract unix sockets, which no file permission
 * guards, created outside the sandbox by the test: argument 1 names a
 * stream listener, argument 2 a datagram socket. Connecting and sending
 * must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t
abstract_address (struct sockaddr_un *addr,
                  const char         *name)
{
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  strncpy (addr->sun_path + 1, name, sizeof addr->sun_path - 2);
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (name));
}

int
main (int argc, char **argv)
{
  const char *stream_name = attack_arg (argc, argv, 1);
  const char *dgram_name = attack_arg (argc, argv, 2);
  struct sockaddr_un addr;
  socklen_t length;
  int fd;

  length = abstract_address (&addr, stream_name);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "connect @STREAM");
  close (fd);

  length = abstract_address (&addr, dgram_name);
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  attack_report (sendto (fd, "x", 1, 0, (struct sockaddr *) &addr, length), "sendto @DGRAM");
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "connect @DGRAM");
  close (fd);
  return 0;
}
