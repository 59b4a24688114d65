/* attack-udp.c: UDP datagrams to a host no rule allows. Landlock governs
 * TCP ports only: a command with no network grant could send datagrams
 * anywhere. Arguments: the port of a UDP receiver of the supervisor's on
 * 127.0.0.1 and of one on ::1. Every way of sending to them (sendto,
 * sendmsg, sendmmsg, connect then send; IPv4, IPv6, IPv4-mapped IPv6)
 * must fail with EACCES, and the receivers must get nothing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try_all (const char      *what,
         int              domain,
         struct sockaddr *addr,
         socklen_t        length)
{
  struct iovec iov = { .iov_base = (void *) "x", .iov_len = 1 };
  struct msghdr msg = { .msg_name = addr, .msg_namelen = length, .msg_iov = &iov, .msg_iovlen = 1 };
  struct mmsghdr mmsg = { .msg_hdr = msg };
  int fd = socket (domain, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  attack_report (sendto (fd, "x", 1, 0, addr, length), "sendto %s", what);
  attack_report (sendmsg (fd, &msg, 0), "sendmsg %s", what);
  attack_report (sendmmsg (fd, &mmsg, 1, 0), "sendmmsg %s", what);
  attack_report (connect (fd, addr, length), "connect %s", what);
  close (fd);
}

int
main (int argc, char **argv)
{
  long port4 = attack_arg_long (argc, argv, 1);
  long port6 = attack_arg_long (argc, argv, 2);
  struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port4) };
  struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons ((uint16_t) port6) };
  struct sockaddr_in6 mapped = { .sin6_family = AF_INET6, .sin6_port = htons ((uint16_t) port4) };

  in4.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  inet_pton (AF_INET6, "::1", &in6.sin6_addr);
  inet_pton (AF_INET6, "::ffff:127.0.0.1", &mapped.sin6_addr);

  try_all ("IPv4", AF_INET, (struct sockaddr *) &in4, sizeof in4);
  try_all ("IPv6", AF_INET6, (struct sockaddr *) &in6, sizeof in6);
  try_all ("IPv4-mapped IPv6", AF_INET6, (struct sockaddr *) &mapped, sizeof mapped);
  return 0;
}
