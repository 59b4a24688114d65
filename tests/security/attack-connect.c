/* attack-connect.c: TCP connections outside the allowed ports. Arguments:
 * an allowed port and a denied one, both with a listener behind them on
 * loopback. Connecting to the denied port over IPv4, IPv6 and IPv4-mapped
 * IPv6 must fail with EACCES; TCP Fast Open (sendto with MSG_FASTOPEN,
 * which connects without connect()) with EOPNOTSUPP; MPTCP and SCTP
 * sockets, which Landlock's port rules do not govern, cannot be created
 * (EPROTONOSUPPORT). Connecting to the allowed port is the control.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try_connect4 (const char *what,
              int         port,
              int         fastopen)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  long rc;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fastopen)
    rc = sendto (fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *) &addr, sizeof addr);
  else
    rc = connect (fd, (struct sockaddr *) &addr, sizeof addr);
  attack_report (rc, "%s", what);
  close (fd);
}

static void
try_connect6 (const char *what,
              const char *address,
              int         port)
{
  struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

  inet_pton (AF_INET6, address, &addr.sin6_addr);
  attack_report (connect (fd, (struct sockaddr *) &addr, sizeof addr), "%s", what);
  close (fd);
}

static void
try_protocol (const char *what,
              int         domain,
              int         protocol,
              int         port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int fd = socket (domain, SOCK_STREAM | SOCK_CLOEXEC, protocol);

  attack_report (fd, "socket %s", what);
  if (fd < 0)
    return;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  attack_report (connect (fd, (struct sockaddr *) &addr, sizeof addr), "connect %s 127.0.0.1:DENIED", what);
  close (fd);
}

int
main (int argc, char **argv)
{
  int allowed = (int) attack_arg_long (argc, argv, 1);
  int denied = (int) attack_arg_long (argc, argv, 2);

  try_connect4 ("connect 127.0.0.1:DENIED", denied, 0);
  try_connect6 ("connect [::1]:DENIED", "::1", denied);
  try_connect6 ("connect [::ffff:127.0.0.1]:DENIED", "::ffff:127.0.0.1", denied);
  try_connect4 ("sendto MSG_FASTOPEN 127.0.0.1:DENIED", denied, 1);
  try_protocol ("AF_INET MPTCP", AF_INET, 262, denied);
  try_protocol ("AF_INET6 MPTCP", AF_INET6, 262, denied);
  try_protocol ("AF_INET SCTP", AF_INET, IPPROTO_SCTP, denied);
  try_connect4 ("control: connect 127.0.0.1:ALLOWED", allowed, 0);
  return 0;
}
