/* attack-bind.c: TCP servers outside the allowed ports. Arguments: an
 * allowed port and a denied one, both free. Binding the denied port over
 * IPv4 and IPv6 and binding port 0 (any port) must fail with EACCES; an
 * MPTCP socket, which Landlock's port rules do not govern, cannot be
 * created (EPROTONOSUPPORT). Binding the allowed port is the control.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try_bind4 (const char *what,
           int         port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  attack_report (bind (fd, (struct sockaddr *) &addr, sizeof addr), "%s", what);
  close (fd);
}

static void
try_bind6 (const char *what,
           int         port)
{
  struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin6_addr = in6addr_loopback;
  attack_report (bind (fd, (struct sockaddr *) &addr, sizeof addr), "%s", what);
  close (fd);
}

int
main (int argc, char **argv)
{
  int allowed = (int) attack_arg_long (argc, argv, 1);
  int denied = (int) attack_arg_long (argc, argv, 2);
  int fd;

  try_bind4 ("bind 127.0.0.1:DENIED", denied);
  try_bind6 ("bind [::1]:DENIED", denied);
  try_bind4 ("bind 127.0.0.1:0", 0);

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 262 /* IPPROTO_MPTCP */);
  attack_report (fd, "socket AF_INET MPTCP");
  if (fd >= 0)
    close (fd);

  try_bind4 ("control: bind 127.0.0.1:ALLOWED", allowed);
  return 0;
}
