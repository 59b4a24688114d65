/* attack-cmsg.c: control messages the kernel allows only with privileges.
 * A datagram sent to an address is sent by the supervisor, on its own
 * copy of the command's socket, with the command's control messages: the
 * kernel then checks the supervisor's capabilities, not the command's. An
 * application running as root gave a command without capabilities what
 * CAP_NET_ADMIN or CAP_NET_RAW allow: a firewall mark (SO_MARK, which
 * policy routing and firewall rules trust), a priority above 6
 * (SO_PRIORITY), IP options such as source routes (IP_RETOPTS), IPv6
 * extension headers. Argument: the port of a UDP receiver of the
 * supervisor's on 127.0.0.1 that net-allow allows, and which records
 * marks (SO_RCVMARK). Each refused message must fail with EPERM; the
 * ordinary ones still work.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

static void
send_with (int              fd,
           struct sockaddr *to,
           socklen_t        to_length,
           int              level,
           int              type,
           const void      *data,
           size_t           length,
           const char      *what)
{
  union {
    char buffer[CMSG_SPACE (64)];
    struct cmsghdr align;
  } control = { { 0 } };
  struct iovec iov = { .iov_base = (void *) what, .iov_len = strlen (what) };
  struct msghdr msg = {
    .msg_name = to, .msg_namelen = to_length, .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = control.buffer, .msg_controllen = CMSG_SPACE (length),
  };
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);

  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN (length);
  memcpy (CMSG_DATA (c), data, length);
  attack_report (sendmsg (fd, &msg, 0), "sendmsg %s", what);
}

int
main (int argc, char **argv)
{
  long port = attack_arg_long (argc, argv, 1);
  struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  uint32_t mark = 0x5a5a;
  uint32_t priority = 7;
  int ttl = 9;
  /* A loose source route through 127.9.9.9, padded with a no-op. */
  unsigned char route[8] = { 0x83, 7, 4, 127, 9, 9, 9, 1 };

  in4.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  send_with (fd, (struct sockaddr *) &in4, sizeof in4, SOL_SOCKET, SO_MARK,
             &mark, sizeof mark, "SO_MARK");
  send_with (fd, (struct sockaddr *) &in4, sizeof in4, SOL_SOCKET, SO_PRIORITY,
             &priority, sizeof priority, "SO_PRIORITY 7");
  send_with (fd, (struct sockaddr *) &in4, sizeof in4, IPPROTO_IP, IP_RETOPTS,
             route, sizeof route, "IP_RETOPTS source route");
  send_with (fd, (struct sockaddr *) &in4, sizeof in4, IPPROTO_IP, IP_TTL,
             &ttl, sizeof ttl, "control: IP_TTL");
  close (fd);
  return 0;
}
