/* attack-socket-families.c: sockets of families and protocols no rule of
 * the policy governs
 *
 * Landlock's network rules cover TCP ports only. Any other kind of socket
 * is a way out that nothing checks: vsock reaches the hypervisor and other
 * virtual machines, packet and XDP sockets see the host's traffic,
 * bluetooth and CAN reach devices, AF_ALG, TIPC, RDS and the rest are
 * kernel attack surface (and socket() alone loads their modules), ping and
 * UDP-Lite sockets send datagrams UDP rules would not see, netlink
 * protocols other than NETLINK_ROUTE read the kernel's audit, socket
 * tables and device events. Each socket() must fail in the filter, and a
 * NETLINK_ROUTE socket, which the C library needs for getaddrinfo(), must
 * be read-only: requests that change the network fail with EPERM.
 *
 * Each refusal is tried with upper-half garbage too, which the kernel
 * ignores in an int. Controls: the sockets the policy governs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AF_VSOCK
# define AF_VSOCK 40
#endif
#ifndef AF_XDP
# define AF_XDP 44
#endif
#ifndef AF_MCTP
# define AF_MCTP 45
#endif
#ifndef IPPROTO_UDPLITE
# define IPPROTO_UDPLITE 136
#endif
#ifndef SOCK_DCCP
# define SOCK_DCCP 6
#endif

static void
try_socket (const char *what,
            long        domain,
            long        type,
            long        protocol)
{
  long fd = syscall (SYS_socket, domain, type, protocol);

  attack_report (fd, "socket %s", what);
  if (fd >= 0)
    close ((int) fd);
}

static void
try_socketpair (const char *what,
                long        domain,
                long        type)
{
  int fds[2];
  long rc = syscall (SYS_socketpair, domain, type, 0L, fds);

  attack_report (rc, "socketpair %s", what);
  if (rc >= 0)
    {
      close (fds[0]);
      close (fds[1]);
    }
}

/* Sends one rtnetlink request and prints the kernel's answer to it: "ok"
 * for an acknowledgement without error, else the errno name. */
static void
try_rtnetlink (const char *what,
               void       *request,
               size_t      length)
{
  char answer[8192];
  struct nlmsghdr *header = (struct nlmsghdr *) answer;
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  ssize_t n;

  if (fd < 0)
    {
      attack_report (-1, "%s: socket", what);
      return;
    }
  if (send (fd, request, length, 0) < 0)
    {
      attack_report (-1, "%s", what);
      close (fd);
      return;
    }
  n = recv (fd, answer, sizeof answer, 0);
  if (n < (ssize_t) sizeof *header)
    {
      attack_report (-1, "%s (no answer)", what);
      close (fd);
      return;
    }
  if (header->nlmsg_type == NLMSG_ERROR)
    {
      struct nlmsgerr *err = NLMSG_DATA (header);

      errno = -err->error;
      attack_report (err->error == 0 ? 0 : -1, "%s", what);
    }
  else
    attack_report (0, "%s (answered)", what);
  close (fd);
}

int
main (void)
{
  const long garbage = 0x100000000L;

  /* Controls: what the policy governs. */
  try_socket ("AF_UNIX SOCK_STREAM (control)", AF_UNIX, SOCK_STREAM, 0);
  try_socket ("AF_UNIX SOCK_DGRAM (control)", AF_UNIX, SOCK_DGRAM, 0);
  try_socket ("AF_UNIX SOCK_SEQPACKET (control)", AF_UNIX, SOCK_SEQPACKET, 0);
  try_socket ("AF_INET SOCK_STREAM (control)", AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  try_socket ("AF_INET SOCK_STREAM IPPROTO_TCP (control)", AF_INET, SOCK_STREAM, IPPROTO_TCP);
  try_socket ("AF_INET SOCK_DGRAM (control)", AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  try_socket ("AF_INET6 SOCK_DGRAM IPPROTO_UDP (control)", AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
  try_socket ("AF_NETLINK NETLINK_ROUTE (control)", AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
              NETLINK_ROUTE);
  try_socket ("AF_NETLINK SOCK_DGRAM NETLINK_ROUTE (control)", AF_NETLINK, SOCK_DGRAM,
              NETLINK_ROUTE);
  try_socketpair ("AF_UNIX (control)", AF_UNIX, SOCK_STREAM);

  /* Other families. */
  try_socket ("AF_UNSPEC", AF_UNSPEC, SOCK_STREAM, 0);
  try_socket ("AF_VSOCK", AF_VSOCK, SOCK_STREAM, 0);
  try_socket ("AF_VSOCK SOCK_DGRAM", AF_VSOCK, SOCK_DGRAM, 0);
  try_socket ("AF_VSOCK with upper-half garbage", garbage | AF_VSOCK, SOCK_STREAM, 0);
  try_socket ("AF_PACKET", AF_PACKET, SOCK_RAW, htons (3));
  try_socket ("AF_XDP", AF_XDP, SOCK_RAW, 0);
  try_socket ("AF_BLUETOOTH", AF_BLUETOOTH, SOCK_RAW, 1);
  try_socket ("AF_CAN", AF_CAN, SOCK_RAW, 1);
  try_socket ("AF_ALG", AF_ALG, SOCK_SEQPACKET, 0);
  try_socket ("AF_KEY", AF_KEY, SOCK_RAW, 2);
  try_socket ("AF_TIPC", AF_TIPC, SOCK_RDM, 0);
  try_socket ("AF_RDS", AF_RDS, SOCK_SEQPACKET, 0);
  try_socket ("AF_LLC", AF_LLC, SOCK_DGRAM, 0);
  try_socket ("AF_APPLETALK", AF_APPLETALK, SOCK_DGRAM, 0);
  try_socket ("AF_AX25", AF_AX25, SOCK_SEQPACKET, 0);
  try_socket ("AF_X25", AF_X25, SOCK_SEQPACKET, 0);
  try_socket ("AF_PPPOX", AF_PPPOX, SOCK_STREAM, 0);
  try_socket ("AF_QIPCRTR", AF_QIPCRTR, SOCK_DGRAM, 0);
  try_socket ("AF_SMC", AF_SMC, SOCK_STREAM, 0);
  try_socket ("AF_MCTP", AF_MCTP, SOCK_DGRAM, 0);
  try_socket ("family 46", 46, SOCK_STREAM, 0);
  try_socket ("family 255", 255, SOCK_STREAM, 0);
  try_socket ("AF_UNIX with upper-half garbage", garbage | AF_UNIX, SOCK_STREAM, 0);
  try_socket ("AF_INET with upper-half garbage", garbage | AF_INET, SOCK_STREAM, 0);
  try_socket ("AF_NETLINK with upper-half garbage", garbage | AF_NETLINK, SOCK_RAW, 0);

  /* Internet sockets other than TCP and UDP. */
  try_socket ("AF_INET SOCK_RAW", AF_INET, SOCK_RAW, IPPROTO_ICMP);
  try_socket ("AF_INET SOCK_DGRAM IPPROTO_ICMP (ping)", AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  try_socket ("AF_INET6 SOCK_DGRAM IPPROTO_ICMPV6 (ping)", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
  try_socket ("AF_INET SOCK_DGRAM IPPROTO_UDPLITE", AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
  try_socket ("AF_INET6 SOCK_DGRAM IPPROTO_UDPLITE", AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
  try_socket ("AF_INET SOCK_DGRAM protocol with upper-half garbage", AF_INET, SOCK_DGRAM,
              garbage | IPPROTO_ICMP);
  try_socket ("AF_INET SOCK_SEQPACKET (SCTP)", AF_INET, SOCK_SEQPACKET, 0);
  try_socket ("AF_INET6 SOCK_SEQPACKET (SCTP)", AF_INET6, SOCK_SEQPACKET, 0);
  try_socket ("AF_INET SOCK_DCCP", AF_INET, SOCK_DCCP, 0);
  try_socket ("AF_INET6 SOCK_RDM", AF_INET6, SOCK_RDM, 0);
  try_socket ("AF_INET type 0", AF_INET, 0, 0);
  try_socket ("AF_INET type 15", AF_INET, 15, 0);
  try_socket ("AF_INET type with upper-half garbage", AF_INET, garbage | SOCK_SEQPACKET, 0);

  /* Netlink protocols other than NETLINK_ROUTE. */
  try_socket ("AF_NETLINK NETLINK_SOCK_DIAG", AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
  try_socket ("AF_NETLINK NETLINK_AUDIT", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
  try_socket ("AF_NETLINK NETLINK_KOBJECT_UEVENT", AF_NETLINK, SOCK_DGRAM,
              NETLINK_KOBJECT_UEVENT);
  try_socket ("AF_NETLINK NETLINK_GENERIC", AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
  try_socket ("AF_NETLINK NETLINK_NETFILTER", AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
  try_socket ("AF_NETLINK NETLINK_ROUTE with upper-half garbage", AF_NETLINK, SOCK_RAW,
              garbage | NETLINK_ROUTE);

  try_socketpair ("AF_INET", AF_INET, SOCK_STREAM);
  try_socketpair ("AF_VSOCK", AF_VSOCK, SOCK_STREAM);
  try_socketpair ("AF_TIPC", AF_TIPC, SOCK_RDM);
  try_socketpair ("AF_UNIX with upper-half garbage", garbage | AF_UNIX, SOCK_STREAM);

  /* NETLINK_ROUTE reads, and refuses writes: a dump of the links, then
   * requests whose permission check comes first and that would change
   * nothing if it passed (deleting an address lo does not have, changing
   * an interface that does not exist). */
  {
    struct {
      struct nlmsghdr  header;
      struct ifinfomsg info;
    } dump = {
      .header = {
        .nlmsg_len = sizeof dump,
        .nlmsg_type = RTM_GETLINK,
        .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
        .nlmsg_seq = 1,
      },
      .info = { .ifi_family = AF_UNSPEC },
    };
    struct {
      struct nlmsghdr  header;
      struct ifaddrmsg addr;
      struct rtattr    attr;
      struct in_addr   local;
    } del_addr = {
      .header = {
        .nlmsg_len = sizeof del_addr,
        .nlmsg_type = RTM_DELADDR,
        .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
        .nlmsg_seq = 2,
      },
      .addr = {
        .ifa_family = AF_INET,
        .ifa_prefixlen = 32,
        .ifa_index = if_nametoindex ("lo"),
      },
      .attr = { .rta_len = RTA_LENGTH (sizeof (struct in_addr)), .rta_type = IFA_LOCAL },
    };
    struct {
      struct nlmsghdr  header;
      struct ifinfomsg info;
    } new_link = {
      .header = {
        .nlmsg_len = sizeof new_link,
        .nlmsg_type = RTM_NEWLINK,
        .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
        .nlmsg_seq = 3,
      },
      .info = { .ifi_family = AF_UNSPEC, .ifi_index = 0x7ffffff0 },
    };

    inet_pton (AF_INET, "127.255.255.254", &del_addr.local);
    try_rtnetlink ("NETLINK_ROUTE RTM_GETLINK dump (control)", &dump, sizeof dump);
    try_rtnetlink ("NETLINK_ROUTE RTM_DELADDR", &del_addr, sizeof del_addr);
    try_rtnetlink ("NETLINK_ROUTE RTM_NEWLINK", &new_link, sizeof new_link);
  }

  return 0;
}
