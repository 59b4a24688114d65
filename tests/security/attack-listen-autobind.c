/* attack-listen-autobind.c: a TCP server on a port nobody granted.
 * Arguments: a connect port that is granted (a listener waits on
 * 127.0.0.1 only) and a bind port that is granted, free.
 *
 * listen() on a socket without a port binds an ephemeral one implicitly,
 * outside the bind hook Landlock checks ports in; the supervisor vets every
 * listen() and refuses that with EACCES, like any bind outside net-bind.
 * getsockname() cannot tell: a connect() that was refused, or undone with
 * AF_UNSPEC, gives its automatic port back but still reports it. Listening
 * on a socket bound to the granted port is the control.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try_listen (int         fd,
            const char *what)
{
  attack_report (listen (fd, 1), "%s", what);
  close (fd);
}

static int
socket_connected_to (int domain,
                     int port)
{
  int fd = socket (domain, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (domain == AF_INET)
    {
      struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };

      addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      (void) connect (fd, (struct sockaddr *) &addr, sizeof addr);
    }
  else
    {
      struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons ((uint16_t) port) };

      addr.sin6_addr = in6addr_loopback;
      (void) connect (fd, (struct sockaddr *) &addr, sizeof addr);
    }
  return fd;
}

static int
socket_disconnected (int domain,
                     int port)
{
  struct sockaddr unspecified = { .sa_family = AF_UNSPEC };
  int fd = socket_connected_to (domain, port);

  if (connect (fd, &unspecified, sizeof unspecified) != 0)
    attack_report (-1, "connect AF_UNSPEC");
  return fd;
}

int
main (int argc, char **argv)
{
  int connect_allowed = (int) attack_arg_long (argc, argv, 1);
  int bind_allowed = (int) attack_arg_long (argc, argv, 2);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) bind_allowed) };
  int fd;

  try_listen (socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "listen on an unbound TCP socket");
  try_listen (socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0), "listen on an unbound TCP6 socket");
  /* Nothing listens on [::1]: the connect is refused. */
  try_listen (socket_connected_to (AF_INET6, connect_allowed), "listen after a refused connect");
  try_listen (socket_disconnected (AF_INET, connect_allowed), "listen after a connect undone by AF_UNSPEC");

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    attack_report (-1, "bind 127.0.0.1:ALLOWED");
  try_listen (fd, "control: listen on 127.0.0.1:ALLOWED");
  return 0;
}
