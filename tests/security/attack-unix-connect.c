/* attack-unix-connect.c: pathname unix sockets outside the sandbox, which
 * Landlock (ABI 7 and older) does not govern. Arguments: a stream listener
 * and a datagram socket of the supervisor's, in a hidden directory, and a
 * symbolic link in the writable directory that points to the stream
 * listener. Connecting and sending to them must fail with EACCES, whatever
 * the way the path is named. A listener of the command's own, beneath
 * fs-writable, is the control: connecting to it works.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t
path_address (struct sockaddr_un *addr,
              const char         *path)
{
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  strncpy (addr->sun_path, path, sizeof addr->sun_path - 1);
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + strlen (path) + 1);
}

int
main (int argc, char **argv)
{
  const char *stream_path = attack_arg (argc, argv, 1);
  const char *dgram_path = attack_arg (argc, argv, 2);
  const char *link_path = attack_arg (argc, argv, 3);
  const char *writable = attack_arg (argc, argv, 4);
  char own_path[256];
  struct sockaddr_un addr;
  struct iovec iov = { .iov_base = (void *) "x", .iov_len = 1 };
  struct msghdr msg = { .msg_name = &addr, .msg_iov = &iov, .msg_iovlen = 1 };
  struct mmsghdr mmsg = { .msg_hdr = msg };
  socklen_t length;
  int fd, server;

  length = path_address (&addr, stream_path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "connect STREAM");
  close (fd);
  fd = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "connect STREAM as seqpacket");
  close (fd);

  length = path_address (&addr, link_path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "connect a link to STREAM");
  close (fd);

  length = path_address (&addr, dgram_path);
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  attack_report (sendto (fd, "x", 1, 0, (struct sockaddr *) &addr, length), "sendto DGRAM");
  msg.msg_namelen = length;
  attack_report (sendmsg (fd, &msg, 0), "sendmsg DGRAM");
  mmsg.msg_hdr = msg;
  attack_report (sendmmsg (fd, &mmsg, 1, 0), "sendmmsg DGRAM");
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "connect DGRAM");
  attack_report (send (fd, "x", 1, 0), "send on it");
  close (fd);

  /* Control: a server of its own beneath fs-writable, and its client. */
  snprintf (own_path, sizeof own_path, "%s/own.sock", writable);
  length = path_address (&addr, own_path);
  server = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (bind (server, (struct sockaddr *) &addr, length) != 0 || listen (server, 4) != 0)
    attack_report (-1, "control: listen on its own socket");
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  attack_report (connect (fd, (struct sockaddr *) &addr, length), "control: connect its own socket");
  close (fd);
  close (server);
  unlink (own_path);

  /* Disconnecting a datagram socket (AF_UNSPEC) still works. */
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  addr.sun_family = AF_UNSPEC;
  attack_report (connect (fd, (struct sockaddr *) &addr, sizeof (sa_family_t)), "control: connect AF_UNSPEC");
  close (fd);
  return 0;
}
