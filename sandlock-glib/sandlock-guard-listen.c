/* sandlock-guard-listen.c: the listen() guard
 *
 * Landlock checks TCP ports at bind() (net-bind), but listen() on a TCP
 * socket that holds no port binds an ephemeral one without that check: a
 * server on a port no rule granted. When Landlock governs TCP ports, this
 * guard traps listen():
 *
 *  check    on the supervisor's copy of the socket: a TCP socket that holds
 *           no port is refused (EACCES) before any handler sees the call;
 *  perform  once the handlers continue, listens on the command's behalf,
 *           on the supervisor's copy, after checking again: the kernel
 *           must not run the call itself, since it would look the
 *           descriptor number up again, and another thread may have put an
 *           unbound socket there meanwhile.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"

/* The local port of socket @fd as getsockname() reports it, or -1. */
static int
reported_port (int fd)
{
  struct sockaddr_storage address = { 0 };
  socklen_t length = sizeof address;

  if (getsockname (fd, (struct sockaddr *) &address, &length) != 0)
    return -1;
  if (address.ss_family == AF_INET)
    return ntohs (((struct sockaddr_in *) &address)->sin_port);
  if (address.ss_family == AF_INET6)
    return ntohs (((struct sockaddr_in6 *) &address)->sin6_port);
  return -1;
}

typedef enum {
  PORT_NONE,            /* or we cannot tell */
  PORT_HELD,
  PORT_TAKEN_BY_PROBE,  /* the probe itself bound it */
} PortState;

/* Whether the TCP socket @fd of family @domain holds a local port.
 * getsockname() is no proof: a connect() that was refused, or undone with
 * AF_UNSPEC, gives back the port it took but goes on reporting it. bind()
 * is: the kernel refuses to bind a socket that holds a port (EINVAL) before
 * it looks for a port, and a port one of our sockets holds makes that look
 * fail (EADDRINUSE) otherwise, so the child's socket is never bound here.
 * Ours is bound to the wildcard address of both families and never
 * listens. */
static PortState
tcp_socket_port_state (int fd,
                       int domain)
{
  struct sockaddr_in6 held = { .sin6_family = AF_INET6 };
  sandlock_autofd int holder = -1;
  int port, rc, saved_errno;
  int only_v6 = 0;

  holder = sandlock_fd_above_stdio (socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (holder >= 0 &&
      (setsockopt (holder, IPPROTO_IPV6, IPV6_V6ONLY, &only_v6, sizeof only_v6) != 0 ||
       bind (holder, (struct sockaddr *) &held, sizeof held) != 0))
    sandlock_clear_fd (&holder);
  if (holder < 0)
    {
      /* IPv6 unavailable to us: an IPv4 holder serves an IPv4 socket. */
      struct sockaddr_in held4 = { .sin_family = AF_INET };

      if (domain != AF_INET)
        return PORT_NONE;
      holder = sandlock_fd_above_stdio (socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (holder < 0)
        return PORT_NONE;
      if (bind (holder, (struct sockaddr *) &held4, sizeof held4) != 0)
        return PORT_NONE;
    }

  port = reported_port (holder);
  if (port <= 0)
    return PORT_NONE;

  if (domain == AF_INET)
    {
      struct sockaddr_in probe = { .sin_family = AF_INET, .sin_port = htons ((guint16) port) };

      rc = bind (fd, (struct sockaddr *) &probe, sizeof probe);
    }
  else
    {
      struct sockaddr_in6 probe = { .sin6_family = AF_INET6, .sin6_port = htons ((guint16) port) };

      rc = bind (fd, (struct sockaddr *) &probe, sizeof probe);
    }
  saved_errno = errno;
  sandlock_clear_fd (&holder);

  if (rc == 0)
    {
      /* The port is ours, but a socket in repair mode (TCP_REPAIR, with
       * CAP_NET_ADMIN) binds over any: it now holds a port no rule
       * granted, and would pass for bound at its next listen(). */
      g_debug ("The bind probe bound a child's socket");
      return PORT_TAKEN_BY_PROBE;
    }
  return saved_errno == EINVAL ? PORT_HELD : PORT_NONE;
}

typedef enum {
  VET_LISTEN,         /* not a TCP socket, or one holding a granted port */
  VET_REFUSE,         /* a TCP socket without a port: EACCES */
  VET_KILL,           /* the probe bound it: it must not outlive the sandbox */
} Verdict;

/* What a listen() on the supervisor's copy @fd of the command's socket
 * may do; *@tcp_port is its port when it is a TCP socket, else -1. */
static Verdict
vet (int  fd,
     int *tcp_port)
{
  int domain = 0, protocol = 0;
  socklen_t option_length = sizeof (int);
  PortState state = PORT_NONE;

  *tcp_port = -1;
  if (getsockopt (fd, SOL_SOCKET, SO_DOMAIN, &domain, &option_length) != 0)
    return VET_LISTEN;   /* not a socket: let listen() itself say so */
  if (domain != AF_INET && domain != AF_INET6)
    return VET_LISTEN;
  option_length = sizeof (int);
  if (getsockopt (fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &option_length) != 0)
    return VET_REFUSE;
  if (protocol != IPPROTO_TCP)
    return VET_LISTEN;

  *tcp_port = reported_port (fd);
  if (*tcp_port > 0)
    state = tcp_socket_port_state (fd, domain);
  if (state == PORT_TAKEN_BY_PROBE)
    return VET_KILL;
  return state == PORT_HELD ? VET_LISTEN : VET_REFUSE;
}

static SandlockAction *
answer_for (Verdict verdict)
{
  return verdict == VET_KILL ? sandlock_action_new_kill () : sandlock_action_new_errno (EACCES);
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return (policy->protections & SANDLOCK_PROTECTION_LANDLOCK_NET_TCP) != 0;
}

static SandlockAction *
check (const SandlockGuardCall *call)
{
  sandlock_autofd int fd = sandlock_notif_take_fd (call->listener_fd, call->request,
                                                   (int) call->request->data.args[0]);
  Verdict verdict;
  int port;

  if (fd < 0)
    return sandlock_action_new_errno (errno == EBADF ? EBADF : EACCES);
  verdict = vet (fd, &port);
  return verdict == VET_LISTEN ? NULL : answer_for (verdict);
}

static SandlockAction *
perform (const SandlockGuardCall *call)
{
  const struct seccomp_notif *request = call->request;
  sandlock_autofd int fd = sandlock_notif_take_fd (call->listener_fd, request,
                                                   (int) request->data.args[0]);
  Verdict verdict;
  int port_before;
  int rc;

  if (fd < 0)
    return sandlock_action_new_errno (errno == EBADF ? EBADF : EACCES);
  verdict = vet (fd, &port_before);
  if (verdict != VET_LISTEN)
    return answer_for (verdict);

  rc = listen (fd, (int) request->data.args[1]);
  if (rc != 0)
    return sandlock_action_new_errno (errno);
  if (port_before >= 0 && reported_port (fd) != port_before)
    {
      /* Another thread of the command took the port away between the
       * check and the listen(), which then bound one no rule granted: the
       * listening socket must not outlive the sandbox. */
      g_debug ("A listen() of pid %u bound a port no rule granted: killing the sandbox",
               request->pid);
      return sandlock_action_new_kill ();
    }
  return sandlock_action_new_return_value (0);
}

static const char * const syscalls[] = { "listen", NULL };

const SandlockGuard sandlock_guard_listen = {
  .name = "listen",
  .syscalls = syscalls,
  .applies = applies,
  .check = check,
  .perform = perform,
};
