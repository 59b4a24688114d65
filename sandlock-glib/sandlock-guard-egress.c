/* sandlock-guard-egress.c: outbound connections and datagrams, decided on
 * the supervisor's copies and performed on the command's behalf
 *
 * Landlock (up to ABI 7) governs TCP ports only: without this guard a
 * command connects to any pathname unix socket it can name (a session
 * bus, systemd's user manager...) and sends UDP datagrams anywhere. The
 * guard traps connect(), sendto() (with an address: one without is
 * send(), which the kernel decides alone), sendmsg() and sendmmsg(), and
 * decides each destination on the supervisor's own copy of the address:
 *
 *  - a pathname unix socket: the supervisor resolves the path itself, from
 *    its copy of the command's working directory (sandlock-resolve.c),
 *    into an O_PATH descriptor of the socket inode; that inode must be one
 *    of the unix-connect paths (each opened again at every call, so that a
 *    server that re-created its socket is still reached) or lie beneath an
 *    fs-writable path (a server of the command's own). Refused: EACCES.
 *    The call is made on the supervisor's copy of the socket to
 *    /proc/self/fd/N of that descriptor: the kernel reaches the very inode
 *    decided on, whatever the command does to its memory, its descriptors
 *    or the path meanwhile.
 *  - an abstract unix address: Landlock's scope (ABI 6) decided it for the
 *    command; the supervisor is not in the command's Landlock domain, so
 *    with the scope in force the guard refuses it (EPERM, as the scope
 *    does); without it, it is performed.
 *  - IPv4 and IPv6 (v4-mapped addresses as IPv4): TCP by net-allow and
 *    net-deny (sandlock-net-rules.c) when rules are set, else by the
 *    net-connect ports (which Landlock also enforces for the command);
 *    UDP only by a net-allow rule: with none, every datagram destination
 *    is refused (EACCES).
 *  - other families (netlink): performed as they are.
 *
 * The kernel never runs such a call itself (another thread could rewrite
 * the address or dup2() another socket onto the descriptor after the
 * check): the supervisor performs it on its copies of the socket, the
 * address, the data and the control messages (sandlock-socket-call.c),
 * and answers with the real result. A connect may block: it always runs
 * on a worker thread (perform_later), so the main loop never waits; the
 * kernel honours the socket's O_NONBLOCK (EINPROGRESS, and the command's
 * later poll()/SO_ERROR see the outcome: it is the same socket) and its
 * SO_SNDTIMEO. A send runs at once with MSG_DONTWAIT; on a blocking socket
 * that would block, it is handed to a worker and sent blocking there.
 *
 *  check    with no handler on the syscall, decides and performs at once;
 *           with handlers (an audit log), lets them see every call;
 *  perform  once the handlers continue, reads, decides and performs: a
 *           refused destination is answered EACCES (EPERM for an abstract
 *           one) after the handlers saw it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "sandlock-compat-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-net-rules-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-resolve-private.h"
#include "sandlock-socket-call-private.h"

static const char * const syscalls[] = { "connect", "sendto", "sendmsg", "sendmmsg", NULL };

/* ---- destinations ----------------------------------------------------- */

/* Where a decided call goes: the address to hand to the kernel. */
typedef struct {
  struct sockaddr_storage  address;
  socklen_t                length;
  gboolean                 none;       /* send with no address */
  int                      target;     /* O_PATH of a unix socket, or -1 */
  const char              *rule;       /* what allowed or refused it, or NULL */
} Destination;

static void
destination_clear (Destination *destination)
{
  sandlock_clear_fd (&destination->target);
}

/* The unix-connect path whose inode O_PATH @fd is, or NULL. */
static const char *
granted_socket (const SandlockPolicy *policy,
                int                   fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return NULL;
  for (gsize i = 0; policy->unix_connect != NULL && policy->unix_connect[i] != NULL; i++)
    {
      struct stat granted;

      /* Looked up now, not when the policy was compiled: a server that
       * re-created its socket is reached at its new inode. */
      if (stat (policy->unix_connect[i], &granted) == 0 &&
          granted.st_dev == st.st_dev && granted.st_ino == st.st_ino)
        return policy->unix_connect[i];
    }
  return NULL;
}

static gboolean
is_listed_path (const SandlockPolicy *policy,
                const char           *path)
{
  for (gsize i = 0; policy->unix_connect != NULL && policy->unix_connect[i] != NULL; i++)
    if (g_str_equal (policy->unix_connect[i], path))
      return TRUE;
  return FALSE;
}

/* Decides a unix destination: 0, or the errno of the answer. */
static int
decide_unix (const SandlockGuardCall *call,
             Destination             *destination)
{
  const struct sockaddr_un *un = (const struct sockaddr_un *) &destination->address;
  gsize header = offsetof (struct sockaddr_un, sun_path);
  char path[sizeof un->sun_path + 1];
  struct sockaddr_un *via;
  struct stat st;
  int n;

  if (destination->length < header + 1)
    return 0;   /* the family alone: the kernel's to answer (EINVAL) */
  if (un->sun_path[0] == '\0')
    {
      /* Abstract: the scope decided it for the command, not for us. */
      if (call->policy->protections & SANDLOCK_PROTECTION_LANDLOCK_SCOPE_ABSTRACT_UNIX)
        {
          destination->rule = "Landlock abstract unix scope";
          return EPERM;
        }
      return 0;
    }

  memset (path, 0, sizeof path);
  memcpy (path, un->sun_path, MIN (destination->length - header, sizeof un->sun_path));
  destination->target = sandlock_resolve_path (call->listener_fd, call->request, AT_FDCWD,
                                               path, FALSE);
  if (destination->target < 0)
    /* Say why only for a path the command was given. */
    return errno == ESRCH ? EACCES : is_listed_path (call->policy, path) ? errno : EACCES;

  destination->rule = granted_socket (call->policy, destination->target);
  if (destination->rule == NULL &&
      sandlock_resolve_beneath (destination->target, call->policy->writable_fds,
                                call->policy->writable_names, call->policy->n_writable))
    destination->rule = "fs-writable";
  if (destination->rule == NULL)
    return EACCES;
  if (fstat (destination->target, &st) != 0 || !S_ISSOCK (st.st_mode))
    return ECONNREFUSED;

  /* The kernel connects to the very inode through /proc/self/fd/N. */
  memset (&destination->address, 0, sizeof destination->address);
  via = (struct sockaddr_un *) &destination->address;
  via->sun_family = AF_UNIX;
  n = snprintf (via->sun_path, sizeof via->sun_path, "/proc/self/fd/%d", destination->target);
  destination->length = (socklen_t) (header + (gsize) n + 1);
  return 0;
}

static guint16
inet_port (const struct sockaddr_storage *address)
{
  if (address->ss_family == AF_INET)
    return ntohs (((const struct sockaddr_in *) address)->sin_port);
  return ntohs (((const struct sockaddr_in6 *) address)->sin6_port);
}

/* Decides an IPv4 or IPv6 destination of a @type socket. */
static int
decide_inet (const SandlockGuardCall *call,
             int                      type,
             Destination             *destination)
{
  const SandlockPolicy *policy = call->policy;
  gsize needed = destination->address.ss_family == AF_INET ? sizeof (struct sockaddr_in)
                                                           : sizeof (struct sockaddr_in6);

  if (destination->length < needed)
    return EINVAL;
  if (type == SOCK_STREAM)
    {
      guint16 port = inet_port (&destination->address);

      if (!sandlock_net_rules_is_empty (policy->net_rules))
        {
          const char *rule = NULL;

          gboolean allowed = sandlock_net_rules_allows (policy->net_rules, SANDLOCK_NET_TCP,
                                                        (const struct sockaddr *) &destination->address,
                                                        destination->length, &rule);

          destination->rule = rule;
          if (allowed)
            return 0;
          if (rule != NULL)
            return EACCES;   /* a net-deny entry */
        }
      /* The supervisor is not confined by Landlock: its TCP port rules
       * (net-connect: any host), checked here as they would be for the
       * command; none where Landlock has none (best-effort below ABI 4). */
      if (!(policy->protections & SANDLOCK_PROTECTION_LANDLOCK_NET_TCP))
        return 0;
      for (guint i = 0; policy->connect_ports != NULL && i < policy->connect_ports->len; i += 2)
        if (port >= g_array_index (policy->connect_ports, guint16, i) &&
            port <= g_array_index (policy->connect_ports, guint16, i + 1))
          {
            destination->rule = "net-connect";
            return 0;
          }
      return EACCES;
    }
  if (type == SOCK_DGRAM)
    return sandlock_net_rules_allows (policy->net_rules, SANDLOCK_NET_UDP,
                                      (const struct sockaddr *) &destination->address,
                                      destination->length, &destination->rule) ? 0 : EACCES;
  return EACCES;
}

/* Decides the destination of a call on a (@domain, @type) socket: 0, or
 * the errno of the answer. @connecting: connect() (every family resolves
 * its address), else a send (only datagram sockets use theirs). */
static int
decide (const SandlockGuardCall *call,
        int                      domain,
        int                      type,
        gboolean                 connecting,
        Destination             *destination)
{
  if (destination->none)
    return 0;
  if (destination->length >= sizeof (sa_family_t) &&
      destination->address.ss_family == AF_UNSPEC && connecting)
    return 0;   /* disconnecting */
  if (destination->length < sizeof (sa_family_t))
    return connecting ? EINVAL : 0;

  switch (domain)
    {
    case AF_UNIX:
      if (destination->address.ss_family != AF_UNIX)
        return connecting ? EINVAL : 0;
      if (!connecting && type != SOCK_DGRAM)
        return 0;   /* stream and seqpacket sends ignore or refuse it */
      return decide_unix (call, destination);
    case AF_INET:
    case AF_INET6:
      if (!connecting && type == SOCK_STREAM)
        {
          /* A connected TCP socket ignores the address, an unconnected one
           * fails; Fast Open is refused by the filter. Send none. */
          destination->none = TRUE;
          return 0;
        }
      if (destination->address.ss_family != AF_INET && destination->address.ss_family != AF_INET6)
        return connecting ? EAFNOSUPPORT : EINVAL;
      return decide_inet (call, type, destination);
    default:
      return 0;
    }
}

/* ---- reporting ---------------------------------------------------------- */

/* The destination as SandlockSandbox::guard-decision tells it. */
static char *
describe (const struct sockaddr_storage *address,
          socklen_t                      length,
          int                            type)
{
  gsize header = offsetof (struct sockaddr_un, sun_path);

  if (address->ss_family == AF_UNIX)
    {
      const struct sockaddr_un *un = (const struct sockaddr_un *) address;
      gsize n = length > header ? MIN (length - header, sizeof un->sun_path) : 0;
      g_autofree char *raw = g_malloc0 (n + 1);

      memcpy (raw, un->sun_path, n);
      if (n > 0 && raw[0] == '\0')
        raw[0] = '@';
      else
        n = strnlen (raw, n);
      for (gsize i = 0; i < n; i++)
        if (raw[i] == '\0')
          raw[i] = '@';
      {
        g_autofree char *valid = g_utf8_make_valid (raw, (gssize) n);

        return g_strconcat ("unix:", valid, NULL);
      }
    }
  if (address->ss_family == AF_INET || address->ss_family == AF_INET6)
    {
      const char *proto = type == SOCK_STREAM ? "tcp" : type == SOCK_DGRAM ? "udp" : "ip";
      g_autoptr(GInetAddress) inet = NULL;
      g_autofree char *text = NULL;

      if (address->ss_family == AF_INET)
        inet = g_inet_address_new_from_bytes ((const guint8 *) &((const struct sockaddr_in *) address)->sin_addr,
                                              G_SOCKET_FAMILY_IPV4);
      else
        inet = g_inet_address_new_from_bytes ((const guint8 *) &((const struct sockaddr_in6 *) address)->sin6_addr,
                                              G_SOCKET_FAMILY_IPV6);
      text = g_inet_address_to_string (inet);
      if (address->ss_family == AF_INET6)
        return g_strdup_printf ("%s:[%s]:%u", proto, text, inet_port (address));
      return g_strdup_printf ("%s:%s:%u", proto, text, inet_port (address));
    }
  return g_strdup_printf ("family %d", address->ss_family);
}

/* decide(), and the decision told to SandlockSandbox::guard-decision. */
static int
decide_and_report (const SandlockGuardCall *call,
                   int                      domain,
                   int                      type,
                   gboolean                 connecting,
                   Destination             *destination)
{
  const SandlockPolicy *policy = call->policy;
  struct sockaddr_storage original = destination->address;
  socklen_t length = destination->length;
  gboolean none = destination->none;
  int answer = decide (call, domain, type, connecting, destination);
  g_autofree char *text = NULL;

  if (none || destination->none || policy->guard_decision_func == NULL ||
      (policy->guard_decision_wanted != NULL &&
       !policy->guard_decision_wanted (policy->handler_error_data)))
    return answer;
  text = describe (&original, length, type);
  policy->guard_decision_func (policy->handler_error_data, "egress",
                               call->request->data.nr == __NR_connect ? "connect" :
                               call->request->data.nr == __NR_sendto ? "sendto" :
                               call->request->data.nr == __NR_sendmsg ? "sendmsg" : "sendmmsg",
                               call->request->pid, text, answer, destination->rule);
  return answer;
}

/* ---- performing -------------------------------------------------------- */

typedef struct {
  int                    sock;
  int                    nr;
  int                    flags;
  Destination            destination;
  SandlockSocketMessage  message;
  /* sendmmsg(): the messages and their destinations, and where the
   * command's msg_len fields are. */
  SandlockSocketMessage *messages;
  Destination           *destinations;
  guint                  n_messages;
  guint64                vector;
  pid_t                  pid;
  int                    listener_fd;
  guint64                id;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  sandlock_clear_fd (&job->sock);
  destination_clear (&job->destination);
  sandlock_socket_message_clear (&job->message);
  for (guint i = 0; i < job->n_messages; i++)
    {
      sandlock_socket_message_clear (&job->messages[i]);
      destination_clear (&job->destinations[i]);
    }
  g_free (job->messages);
  g_free (job->destinations);
  g_free (job);
}

static Job *
job_new (const SandlockGuardCall *call,
         int                      sock)
{
  Job *job = g_new0 (Job, 1);

  job->sock = sock;
  job->nr = call->request->data.nr;
  job->destination.target = -1;
  job->pid = (pid_t) call->request->pid;
  job->listener_fd = call->listener_fd;
  job->id = call->request->id;
  return job;
}

static SandlockAction *
answer_errno (int saved_errno)
{
  return sandlock_action_new_errno (saved_errno);
}

/* The answer to a send that failed with EPIPE: the kernel would have sent
 * the command SIGPIPE unless MSG_NOSIGNAL (the supervisor always passes
 * it, for itself). */
static void
raise_sigpipe (Job *job,
               int  saved_errno)
{
  if (saved_errno == EPIPE && !(job->flags & MSG_NOSIGNAL))
    {
      sandlock_autofd int pidfd = sandlock_sys_pidfd_open (job->pid, 0);

      if (pidfd >= 0 && sandlock_notif_id_valid (job->listener_fd, job->id) == 0)
        sandlock_sys_pidfd_send_signal (pidfd, SIGPIPE);
    }
}

static const struct sockaddr *
to_of (const Destination *destination)
{
  return destination->none ? NULL : (const struct sockaddr *) &destination->address;
}

/* The supervisor connects and sends for the command without its
 * effective capabilities: the kernel checks the socket file's mode (and
 * the control messages) against the calling thread, and an application
 * running as root would otherwise lend a command that has no capability
 * CAP_DAC_OVERRIDE, reaching another user's socket beneath fs-writable. */
static SandlockAction *
work_connect (gpointer data)
{
  Job *job = data;
  SandlockSavedCapabilities saved;
  int rc;

  if (!sandlock_thread_lower_capabilities (&saved))
    return answer_errno (EACCES);
  rc = connect (job->sock, to_of (&job->destination), job->destination.length);
  sandlock_thread_restore_capabilities (&saved);
  if (rc != 0)
    return answer_errno (errno);
  return sandlock_action_new_return_value (0);
}

/* One send; @blocking: as the command asked, else never waiting. */
static ssize_t
send_one (Job                         *job,
          const SandlockSocketMessage *message,
          const Destination           *destination,
          gboolean                     blocking)
{
  int flags = job->flags | MSG_NOSIGNAL | (blocking ? 0 : MSG_DONTWAIT);
  SandlockSavedCapabilities saved;
  ssize_t n;

  if (!sandlock_thread_lower_capabilities (&saved))
    {
      errno = EACCES;
      return -1;
    }
  n = sandlock_socket_message_send (message, job->sock, to_of (destination),
                                    destination->length, flags);
  sandlock_thread_restore_capabilities (&saved);
  return n;
}

/* Writes the msg_len of message @i into the command's vector. */
static gboolean
write_msg_len (Job      *job,
               guint     i,
               unsigned  length)
{
  struct iovec local = { .iov_base = &length, .iov_len = sizeof length };
  struct iovec remote = {
    .iov_base = (void *) (guintptr) (job->vector + i * sizeof (struct mmsghdr) +
                                     offsetof (struct mmsghdr, msg_len)),
    .iov_len = sizeof length,
  };

  return process_vm_writev (job->pid, &local, 1, &remote, 1, 0) == (ssize_t) sizeof length &&
         sandlock_notif_id_valid (job->listener_fd, job->id) == 0;
}

/* Sends the messages from @first; the answer, or NULL when the first
 * would block and !@blocking. */
static SandlockAction *
send_messages (Job      *job,
               gboolean  blocking)
{
  guint sent = 0;

  for (guint i = 0; i < job->n_messages; i++)
    {
      ssize_t n = send_one (job, &job->messages[i], &job->destinations[i], blocking && i == 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (sent > 0)
            break;
          if (!blocking && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK))
            return NULL;
          raise_sigpipe (job, saved_errno);
          return answer_errno (saved_errno);
        }
      if (!write_msg_len (job, i, (unsigned) n))
        return sent > 0 ? sandlock_action_new_return_value (sent) : answer_errno (EFAULT);
      sent++;
    }
  return sandlock_action_new_return_value (sent);
}

static SandlockAction *
work_send (gpointer data)
{
  Job *job = data;
  ssize_t n;

  if (job->n_messages > 0)
    return send_messages (job, TRUE);
  n = send_one (job, &job->message, &job->destination, TRUE);
  if (n < 0)
    {
      int saved_errno = errno;

      raise_sigpipe (job, saved_errno);
      return answer_errno (saved_errno);
    }
  return sandlock_action_new_return_value (n);
}

/* Sends now without waiting; on a blocking socket that would block, on a
 * worker. Takes @job. */
static SandlockAction *
send_now_or_later (const SandlockGuardCall *call,
                   Job                     *job)
{
  SandlockAction *answer;
  int file_flags;

  if (job->n_messages > 0)
    answer = send_messages (job, FALSE);
  else
    {
      ssize_t n = send_one (job, &job->message, &job->destination, FALSE);

      if (n >= 0)
        answer = sandlock_action_new_return_value (n);
      else if (errno == EAGAIN || errno == EWOULDBLOCK)
        answer = NULL;
      else
        {
          int saved_errno = errno;

          raise_sigpipe (job, saved_errno);
          answer = answer_errno (saved_errno);
        }
    }
  if (answer != NULL)
    {
      job_free (job);
      return answer;
    }

  /* It would block: what the command asked for decides. */
  file_flags = fcntl (job->sock, F_GETFL);
  if ((job->flags & MSG_DONTWAIT) || file_flags < 0 || (file_flags & O_NONBLOCK) ||
      call->perform_later == NULL)
    {
      job_free (job);
      return answer_errno (EAGAIN);
    }
  return call->perform_later (call, work_send, job, job_free);
}

/* ---- the guard --------------------------------------------------------- */

/* Reads the destination of connect() or sendto() into @destination. */
static gboolean
read_call_address (const SandlockGuardCall *call,
                   guint64                  address,
                   guint64                  length,
                   Destination             *destination)
{
  if (address == 0 || (guint32) length == 0)
    {
      destination->none = TRUE;
      destination->length = 0;
      return TRUE;
    }
  return sandlock_socket_call_read_address (call->listener_fd, call->request, address, length,
                                            &destination->address, &destination->length);
}

/* The errno of a failed read: a command that is gone is refused. */
static SandlockAction *
refusal (void)
{
  return answer_errno (errno == ESRCH ? EACCES : errno);
}

static SandlockAction *
run_sendmmsg (const SandlockGuardCall *call,
              Job                     *job,
              int                      type,
              int                      domain,
              gboolean                 perform)
{
  const struct seccomp_notif *request = call->request;
  guint vlen = (guint) MIN ((guint32) request->data.args[2], (guint32) UIO_MAXIOV);
  gsize budget = SANDLOCK_SOCKET_BATCH_MAX;

  job->vector = request->data.args[1];
  job->flags = (int) request->data.args[3];
  if (vlen == 0)
    {
      job_free (job);
      return sandlock_action_new_return_value (0);
    }
  job->messages = g_new0 (SandlockSocketMessage, vlen);
  job->destinations = g_new0 (Destination, vlen);
  for (guint i = 0; i < vlen && budget > 0; i++)
    {
      Destination *destination = &job->destinations[i];
      SandlockSocketMessage *message = &job->messages[i];
      int answer;

      destination->target = -1;
      if (!sandlock_socket_message_read (call->listener_fd, request,
                                         job->vector + i * sizeof (struct mmsghdr),
                                         type != SOCK_STREAM,
                                         MIN (budget, SANDLOCK_SOCKET_DATA_MAX), message))
        {
          int saved_errno = errno;

          sandlock_socket_message_clear (message);
          if (i > 0 && saved_errno == EMSGSIZE && budget < SANDLOCK_SOCKET_DATA_MAX)
            break;   /* sent with a later call */
          job->n_messages = i;
          if (i == 0)
            {
              job_free (job);
              return answer_errno (saved_errno == ESRCH ? EACCES : saved_errno);
            }
          break;
        }
      job->n_messages = i + 1;
      budget -= message->data_length;
      destination->none = !message->has_address;
      destination->address = message->address;
      destination->length = message->address_length;
      answer = decide_and_report (call, domain, type, FALSE, destination);
      if (answer != 0)
        {
          /* The messages before it are sent; this one's errno if none. */
          sandlock_socket_message_clear (message);
          destination_clear (destination);
          job->n_messages = i;
          if (i == 0)
            {
              job_free (job);
              return answer_errno (answer);
            }
          break;
        }
    }
  if (!perform)
    {
      job_free (job);
      return NULL;
    }
  return send_now_or_later (call, job);
}

static SandlockAction *
run (const SandlockGuardCall *call,
     gboolean                 perform)
{
  const struct seccomp_notif *request = call->request;
  int nr = request->data.nr;
  int domain = 0, type = 0;
  int sock;
  Job *job;
  int answer;

  /* send(): no address, nothing to decide, and nothing in memory that a
   * later reading could change. */
  if (nr == __NR_sendto && (request->data.args[4] == 0 || (guint32) request->data.args[5] == 0))
    return NULL;
  /* Handlers trap the syscall (sandlock-run --audit among them): they see
   * every call, refused ones included; the perform decides on fresh
   * copies afterwards, whatever they did meanwhile. */
  if (!perform)
    return NULL;

  sock = sandlock_socket_call_take (call->listener_fd, request, (int) request->data.args[0],
                                    &domain, &type);
  if (sock < 0)
    return answer_errno (errno == EBADF || errno == ENOTSOCK ? errno : EACCES);
  job = job_new (call, sock);

  if (nr == __NR_sendmmsg)
    return run_sendmmsg (call, job, type, domain, perform);

  if (nr == __NR_connect)
    {
      if (!read_call_address (call, request->data.args[1], request->data.args[2],
                              &job->destination))
        {
          job_free (job);
          return refusal ();
        }
      if (job->destination.none)
        {
          job_free (job);
          return answer_errno (EINVAL);
        }
    }
  else
    {
      gboolean read;

      if (nr == __NR_sendto)
        {
          job->flags = (int) request->data.args[3];
          read = sandlock_socket_message_read_sendto (call->listener_fd, request,
                                                      type != SOCK_STREAM, &job->message);
        }
      else
        {
          job->flags = (int) request->data.args[2];
          read = sandlock_socket_message_read (call->listener_fd, request, request->data.args[1],
                                               type != SOCK_STREAM, SANDLOCK_SOCKET_DATA_MAX,
                                               &job->message);
        }
      if (!read)
        {
          job_free (job);
          return refusal ();
        }
      job->destination.none = !job->message.has_address;
      job->destination.address = job->message.address;
      job->destination.length = job->message.address_length;
    }

  answer = decide_and_report (call, domain, type, nr == __NR_connect, &job->destination);
  if (answer != 0 || !perform)
    {
      job_free (job);
      return answer != 0 ? answer_errno (answer) : NULL;
    }

  if (nr == __NR_connect)
    {
      if (call->perform_later == NULL)
        {
          SandlockAction *done = work_connect (job);

          job_free (job);
          return done;
        }
      return call->perform_later (call, work_connect, job, job_free);
    }
  return send_now_or_later (call, job);
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return TRUE;
}

const SandlockGuard sandlock_guard_egress = {
  .name = "egress",
  .syscalls = syscalls,
  .applies = applies,
  .decide = run,
};
