/* sandlock-guard-bind.c: the bind() guard
 *
 * An abstract unix name belongs to the network namespace, not to the
 * sandbox: a command that binds one a client outside uses (a session bus,
 * an X server, a notify socket) would receive that client's connections
 * and datagrams. Landlock's scoping (ABI 6) stops connecting out to
 * abstract sockets, not binding them. So is an autobound name (bind() with
 * the family alone), which a client outside may learn. The address is in
 * the command's memory, which the filter cannot read: this guard traps
 * every bind() and
 *
 *  check    refuses, with EPERM, an abstract or autobound bind of a unix
 *           socket (the supervisor's copy of the socket tells its family;
 *           its copy of the address, what it would bind) before any
 *           handler sees the call;
 *  perform  once the handlers continue, checks again on fresh copies and
 *           binds the supervisor's copy of the socket to the supervisor's
 *           copy of the address. The kernel must not run the call itself:
 *           another thread could rewrite the address, or put another
 *           socket under the descriptor number, in between. The bind runs
 *           on the policy's confined thread (sandlock-confined-thread.c),
 *           in the command's working directory and with its umask, under
 *           the command's Landlock ruleset and without capabilities, so
 *           that pathname sockets beneath fs-writable, net-bind's TCP
 *           ports and privileged ports are decided as for the command.
 *           A UDP socket is bound without SO_REUSEADDR (below).
 *
 * No Landlock rule governs UDP ports. A UDP socket bound with SO_REUSEADDR
 * to the address and port of a socket of the same user that has it too
 * receives every unicast datagram sent there (the kernel delivers to the
 * socket bound last), and one bound to a more specific address takes those
 * sent to that address: a command would receive what clients send to the
 * application's UDP port, or to an mDNS or SSDP responder's. So the guard
 * clears SO_REUSEADDR on its copy of an internet datagram socket before
 * binding it (the bind then fails with EADDRINUSE where the port is held),
 * and reads it back after a bind that succeeded: set again in between,
 * by another thread of the command, it may have shared a port, and the
 * sandbox is killed. SO_REUSEPORT is refused by the deny filter.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sandlock-confined-thread-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-policy-private.h"

typedef struct {
  int                      fd;
  struct sockaddr_storage  address;
  socklen_t                length;
} BindCall;

static int
run_bind (gpointer data)
{
  BindCall *bind_call = data;

  return bind (bind_call->fd, (struct sockaddr *) &bind_call->address, bind_call->length);
}

/* The umask of the trapping thread, from /proc/<tid>/status, or 077 when
 * it cannot be read (the narrowest: fail closed). */
static mode_t
command_umask (const SandlockGuardCall *call)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/status", call->request->pid);
  g_autofree char *status = NULL;
  const char *line;
  unsigned int mask;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 077;
  line = strstr (status, "\nUmask:");
  if (line == NULL || sscanf (line, "\nUmask: %o", &mask) != 1 || mask > 0777)
    return 077;
  /* Read from the very thread that trapped, not one that reused its id. */
  if (sandlock_notif_id_valid (call->listener_fd, call->request->id) != 0)
    return 077;
  return (mode_t) mask;
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return policy->confined_thread != NULL;
}

static SandlockAction *
decide (const SandlockGuardCall *call,
        gboolean                 perform)
{
  const struct seccomp_notif *request = call->request;
  sandlock_autofd int cwd_fd = -1;
  BindCall bind_call = { .fd = -1 };
  int domain = 0;
  socklen_t option_length = sizeof domain;
  gboolean udp = FALSE;
  guint32 length = (guint32) request->data.args[2];
  mode_t mask = 077;
  int rc;

  /* The kernel reads an int, and refuses more than a sockaddr_storage. */
  if ((gint32) length < 0 || length > sizeof bind_call.address)
    return sandlock_action_new_errno (EINVAL);

  bind_call.fd = sandlock_notif_take_fd (call->listener_fd, request, (int) request->data.args[0]);
  if (bind_call.fd < 0)
    return sandlock_action_new_errno (errno == EBADF ? EBADF : EACCES);

  bind_call.length = length;
  if (length > 0 &&
      !sandlock_notif_read_memory (call->listener_fd, request, request->data.args[1],
                                   &bind_call.address, length))
    {
      int saved_errno = errno;

      close (bind_call.fd);
      return sandlock_action_new_errno (saved_errno == EFAULT ? EFAULT : EACCES);
    }

  if (getsockopt (bind_call.fd, SOL_SOCKET, SO_DOMAIN, &domain, &option_length) != 0)
    {
      close (bind_call.fd);
      return sandlock_action_new_errno (ENOTSOCK);
    }

  if (domain == AF_INET || domain == AF_INET6)
    {
      int type = 0;

      option_length = sizeof type;
      if (getsockopt (bind_call.fd, SOL_SOCKET, SO_TYPE, &type, &option_length) != 0)
        {
          close (bind_call.fd);
          return sandlock_action_new_errno (EACCES);
        }
      udp = type == SOCK_DGRAM;
    }

  if (domain == AF_UNIX)
    {
      const struct sockaddr_un *un = (const struct sockaddr_un *) &bind_call.address;

      /* The family alone autobinds; a leading NUL names an abstract
       * socket. Shorter addresses are the kernel's to refuse. */
      if (length == offsetof (struct sockaddr_un, sun_path) ||
          (length > offsetof (struct sockaddr_un, sun_path) && un->sun_path[0] == '\0'))
        {
          close (bind_call.fd);
          return sandlock_action_new_errno (EPERM);
        }
      if (perform && length > offsetof (struct sockaddr_un, sun_path))
        {
          /* A pathname: created relative to the command's working
           * directory, with its umask. */
          if (un->sun_path[0] != '/')
            {
              cwd_fd = sandlock_notif_open_proc_link (call->listener_fd, request, "cwd");
              if (cwd_fd < 0)
                {
                  close (bind_call.fd);
                  return sandlock_action_new_errno (EACCES);
                }
            }
          mask = command_umask (call);
        }
    }

  if (!perform)
    {
      close (bind_call.fd);
      return NULL;
    }

  if (udp)
    {
      int off = 0;

      if (setsockopt (bind_call.fd, SOL_SOCKET, SO_REUSEADDR, &off, sizeof off) != 0)
        {
          close (bind_call.fd);
          return sandlock_action_new_errno (EACCES);
        }
    }

  rc = sandlock_confined_thread_run (call->policy->confined_thread, cwd_fd, mask,
                                     run_bind, &bind_call);
  {
    int saved_errno = errno;
    int reuse = 1;

    option_length = sizeof reuse;
    if (rc == 0 && udp &&
        (getsockopt (bind_call.fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &option_length) != 0 ||
         reuse != 0))
      {
        g_debug ("A bind() of pid %u had SO_REUSEADDR set again while it ran: killing the sandbox",
                 request->pid);
        close (bind_call.fd);
        return sandlock_action_new_kill ();
      }
    close (bind_call.fd);
    if (rc != 0)
      return sandlock_action_new_errno (saved_errno != 0 ? saved_errno : EACCES);
  }
  return sandlock_action_new_return_value (0);
}

static const char * const syscalls[] = { "bind", NULL };

const SandlockGuard sandlock_guard_bind = {
  .name = "bind",
  .syscalls = syscalls,
  .applies = applies,
  .decide = decide,
};
