/* attack-reuseport.c: joining the application's SO_REUSEPORT group. A
 * socket bound with SO_REUSEPORT to the address and port of a socket of
 * the same user that has it too shares that socket's traffic: the kernel
 * hands each new connection or datagram flow to one socket of the group.
 * No Landlock rule governs UDP ports (nor which socket of a group a TCP
 * port reaches), so a command with no network grant received about half
 * the datagrams sent to the application's UDP port, and with net-bind of
 * a port the application listens on, half its connections. Argument: the
 * port of a UDP receiver of the supervisor's on 127.0.0.1, bound with
 * SO_REUSEPORT. Setting the option must fail, and so must the bind.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  long port = attack_arg_long (argc, argv, 1);
  struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int one = 1;
  int udp = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int tcp = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int udp6 = socket (AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  in4.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  attack_report (setsockopt (udp, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one),
                 "setsockopt UDP SO_REUSEPORT");
  /* The kernel reads ints: garbage in the upper halves changes nothing. */
  attack_report (syscall (SYS_setsockopt, udp, (long) SOL_SOCKET | (1L << 32),
                          (long) SO_REUSEPORT | (1L << 32), &one, (long) sizeof one),
                 "setsockopt UDP SO_REUSEPORT, upper bits set");
  attack_report (bind (udp, (struct sockaddr *) &in4, sizeof in4), "bind 127.0.0.1:REUSEPORT");
  attack_report (setsockopt (udp6, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one),
                 "setsockopt UDP6 SO_REUSEPORT");
  attack_report (setsockopt (tcp, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one),
                 "setsockopt TCP6 SO_REUSEPORT");
  attack_report (setsockopt (tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one),
                 "control: setsockopt TCP6 SO_REUSEADDR");
  close (udp);
  close (udp6);
  close (tcp);
  return 0;
}
