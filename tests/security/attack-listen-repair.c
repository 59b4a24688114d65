/* attack-listen-repair.c: a listen() guard fooled by TCP repair mode.
 * Argument: a connect port that is granted, with nothing listening on
 * [::1].
 *
 * Repair mode takes CAP_NET_ADMIN, which no sandboxed command holds (the
 * child drops every capability), so each attempt fails. Should one hold
 * it, the guard asks whether a socket holds a port with a bind() to a port
 * the supervisor holds, which fails... unless the socket is in repair mode
 * (TCP_REPAIR), which binds over any port. The probe would then have given
 * the socket a port no rule granted, and the next listen() would pass: the
 * supervisor kills the sandbox instead, at the first listen().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  int port = (int) attack_arg_long (argc, argv, 1);
  struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int on = 1, off = 0;

  /* Refused: the socket reports the port it no longer holds. */
  addr.sin6_addr = in6addr_loopback;
  (void) connect (fd, (struct sockaddr *) &addr, sizeof addr);

  attack_report (setsockopt (fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof on), "TCP_REPAIR on");
  attack_report (listen (fd, 1), "listen in repair mode");
  attack_report (setsockopt (fd, IPPROTO_TCP, TCP_REPAIR, &off, sizeof off), "TCP_REPAIR off");
  attack_report (listen (fd, 1), "listen again");
  close (fd);
  return 0;
}
