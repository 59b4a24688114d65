/* attack-raw-socket.c: raw and packet sockets, which forge traffic and
 * sniff the host's network. Every socket() must fail with EPERM, whatever
 * flags ride on the type.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try_socket (const char *what,
            int         domain,
            int         type,
            int         protocol)
{
  int fd = socket (domain, type, protocol);

  attack_report (fd, "socket %s", what);
  if (fd >= 0)
    close (fd);
}

int
main (void)
{
  try_socket ("AF_INET SOCK_RAW ICMP", AF_INET, SOCK_RAW, IPPROTO_ICMP);
  try_socket ("AF_INET SOCK_RAW TCP", AF_INET, SOCK_RAW, IPPROTO_TCP);
  try_socket ("AF_INET SOCK_RAW|SOCK_CLOEXEC|SOCK_NONBLOCK", AF_INET,
              SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_RAW);
  try_socket ("AF_INET6 SOCK_RAW ICMPV6", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
  try_socket ("AF_INET SOCK_PACKET", AF_INET, SOCK_PACKET, htons (ETH_P_ALL));
  try_socket ("AF_PACKET SOCK_RAW", AF_PACKET, SOCK_RAW, htons (ETH_P_ALL));
  try_socket ("AF_PACKET SOCK_DGRAM", AF_PACKET, SOCK_DGRAM, htons (ETH_P_ALL));
  return 0;
}
