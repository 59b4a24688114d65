/* attack-udp-reuseaddr.c: taking over the application's UDP port with
 * SO_REUSEADDR. No Landlock rule governs UDP ports. A UDP socket bound
 * with SO_REUSEADDR to the address and port of a socket of the same user
 * that has it too receives every unicast datagram sent there (the kernel
 * delivers to the socket bound last), and one bound to a more specific
 * address takes those sent to that address: a command with no network
 * grant received all 40 datagrams sent to the application's port, which
 * got none. Argument: the port of a UDP receiver of the supervisor's on
 * 0.0.0.0, bound with SO_REUSEADDR as mDNS and SSDP responders bind
 * theirs. Setting the option works, but both binds must fail.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try_bind (const char *what,
          in_addr_t   address,
          long        port)
{
  struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int one = 1;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  in4.sin_addr.s_addr = htonl (address);
  attack_report (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one),
                 "control: setsockopt SO_REUSEADDR");
  attack_report (bind (fd, (struct sockaddr *) &in4, sizeof in4), "bind %s", what);
  close (fd);
}

int
main (int argc, char **argv)
{
  long port = attack_arg_long (argc, argv, 1);

  try_bind ("0.0.0.0:REUSEADDR", INADDR_ANY, port);
  try_bind ("127.0.0.1:REUSEADDR", INADDR_LOOPBACK, port);
  try_bind ("control: 127.0.0.1:0", INADDR_LOOPBACK, 0);
  return 0;
}
