/* sandlock-socket-call.c: the supervisor's copies of an outbound socket
 * call (see sandlock-socket-call-private.h)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-socket-call-private.h"

int
sandlock_socket_call_take (int                          listener_fd,
                           const struct seccomp_notif  *request,
                           int                          child_fd,
                           int                         *domain,
                           int                         *type)
{
  socklen_t length = sizeof *domain;
  int fd;

  if (child_fd < 0)
    {
      errno = EBADF;
      return -1;
    }
  fd = sandlock_notif_take_fd (listener_fd, request, child_fd);
  if (fd < 0)
    return -1;
  if (getsockopt (fd, SOL_SOCKET, SO_DOMAIN, domain, &length) != 0 ||
      (length = sizeof *type, getsockopt (fd, SOL_SOCKET, SO_TYPE, type, &length)) != 0)
    {
      close (fd);
      errno = ENOTSOCK;
      return -1;
    }
  return fd;
}

gboolean
sandlock_socket_call_read_address (int                          listener_fd,
                                   const struct seccomp_notif  *request,
                                   guint64                      address,
                                   guint64                      length,
                                   struct sockaddr_storage     *out,
                                   socklen_t                   *out_length)
{
  /* The kernel reads an int, and refuses more than a sockaddr_storage. */
  if ((gint32) length < 0 || (guint32) length > sizeof *out)
    {
      errno = EINVAL;
      return FALSE;
    }
  memset (out, 0, sizeof *out);
  *out_length = (socklen_t) length;
  if (length == 0)
    return TRUE;
  return sandlock_notif_read_memory (listener_fd, request, address, out, (gsize) length);
}

/* Reads @n_iov iovecs at @iov_address and the data they point to, at most
 * @data_max bytes, into @out. */
static gboolean
read_data (int                          listener_fd,
           const struct seccomp_notif  *request,
           guint64                      iov_address,
           guint64                      n_iov,
           gboolean                     datagram,
           gsize                        data_max,
           SandlockSocketMessage       *out)
{
  g_autofree struct iovec *iov = NULL;
  gsize total = 0, copied = 0;

  if (n_iov > IOV_MAX)
    {
      errno = EMSGSIZE;
      return FALSE;
    }
  if (n_iov > 0)
    {
      iov = g_new (struct iovec, n_iov);
      if (!sandlock_notif_read_memory (listener_fd, request, iov_address, iov,
                                       n_iov * sizeof *iov))
        return FALSE;
    }
  for (gsize i = 0; i < n_iov; i++)
    {
      if ((gssize) iov[i].iov_len < 0)
        {
          errno = EINVAL;
          return FALSE;
        }
      total += MIN (iov[i].iov_len, (gsize) G_MAXSSIZE - total);
    }
  if (datagram && total > data_max)
    {
      errno = EMSGSIZE;
      return FALSE;
    }
  out->data = g_malloc (MAX (MIN (total, data_max), 1));
  for (gsize i = 0; i < n_iov && copied < data_max; i++)
    {
      gsize length = MIN (iov[i].iov_len, data_max - copied);

      if (length > 0 &&
          !sandlock_notif_read_memory (listener_fd, request, (guint64) (guintptr) iov[i].iov_base,
                                       out->data + copied, length))
        return FALSE;
      copied += length;
    }
  out->data_length = copied;
  return TRUE;
}

/* Whether @claimed (SCM_CREDENTIALS) names the trapping thread's process
 * and one of its user and group ids (real, effective, saved, fs), as the
 * kernel would require of a sender without privileges. */
static gboolean
claims_itself (int                          listener_fd,
               const struct seccomp_notif  *request,
               const struct ucred          *claimed)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/status", request->pid);
  g_autofree char *status = NULL;
  unsigned int tgid = 0, ids[2][4];
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return FALSE;
  if ((line = strstr (status, "\nTgid:")) == NULL || sscanf (line, "\nTgid: %u", &tgid) != 1 ||
      (line = strstr (status, "\nUid:")) == NULL ||
      sscanf (line, "\nUid: %u %u %u %u", &ids[0][0], &ids[0][1], &ids[0][2], &ids[0][3]) != 4 ||
      (line = strstr (status, "\nGid:")) == NULL ||
      sscanf (line, "\nGid: %u %u %u %u", &ids[1][0], &ids[1][1], &ids[1][2], &ids[1][3]) != 4)
    return FALSE;
  /* Read from the very thread that trapped, not one that reused its id. */
  if (sandlock_notif_id_valid (listener_fd, request->id) != 0)
    return FALSE;
  if ((unsigned int) claimed->pid != tgid)
    return FALSE;
  for (int k = 0; k < 2; k++)
    {
      unsigned int id = k == 0 ? claimed->uid : claimed->gid;
      gboolean found = FALSE;

      for (int i = 0; i < 4; i++)
        found |= ids[k][i] == id;
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* Removes the control messages read_control() marked (level -1). */
static void
drop_marked (SandlockSocketMessage *out)
{
  struct msghdr header = { .msg_control = out->control, .msg_controllen = out->control_length };
  guint8 *kept = g_malloc0 (MAX (out->control_length, 1));
  gsize length = 0;

  for (struct cmsghdr *c = CMSG_FIRSTHDR (&header); c != NULL; c = CMSG_NXTHDR (&header, c))
    {
      gsize space = MIN (CMSG_ALIGN (c->cmsg_len),
                         out->control_length - (gsize) ((guint8 *) c - out->control));

      if (c->cmsg_level == -1)
        continue;
      memcpy (kept + length, c, space);
      length += space;
    }
  g_free (out->control);
  out->control = kept;
  out->control_length = length;
}

/* The control messages the supervisor sends for the command. The kernel
 * checks some against the capabilities of the sending thread, the
 * supervisor's: an application running as root would lend a command that
 * has none a firewall mark (SO_MARK), a high priority (SO_PRIORITY), IP
 * options such as source routes (IP_RETOPTS) or IPv6 extension headers.
 * Only these, which need no privilege, go; any other is refused (EPERM). */
static gboolean
control_allowed (const struct cmsghdr *c)
{
  switch (c->cmsg_level)
    {
    case SOL_SOCKET:
      return c->cmsg_type == SCM_RIGHTS || c->cmsg_type == SCM_CREDENTIALS ||
             c->cmsg_type == SO_TIMESTAMPING || c->cmsg_type == SCM_TXTIME;
    case IPPROTO_IP:
      return c->cmsg_type == IP_TTL || c->cmsg_type == IP_TOS || c->cmsg_type == IP_PKTINFO;
    case IPPROTO_IPV6:
      return c->cmsg_type == IPV6_PKTINFO || c->cmsg_type == IPV6_HOPLIMIT ||
             c->cmsg_type == IPV6_TCLASS || c->cmsg_type == IPV6_DONTFRAG;
    case SOL_UDP:
      return c->cmsg_type == UDP_SEGMENT;
    default:
      return FALSE;
    }
}

/* Reads the control messages and swaps the command's descriptors for the
 * supervisor's copies. */
static gboolean
read_control (int                          listener_fd,
              const struct seccomp_notif  *request,
              guint64                      address,
              guint64                      length,
              SandlockSocketMessage       *out)
{
  struct msghdr header = { 0 };
  gboolean dropped = FALSE;
  GArray *fds;

  if (length == 0 || address == 0)
    return TRUE;
  if (length > SANDLOCK_SOCKET_CONTROL_MAX)
    {
      errno = ENOBUFS;
      return FALSE;
    }
  out->control = g_malloc0 (length);
  out->control_length = length;
  if (!sandlock_notif_read_memory (listener_fd, request, address, out->control, length))
    return FALSE;

  header.msg_control = out->control;
  header.msg_controllen = length;
  fds = g_array_new (FALSE, FALSE, sizeof (int));
  for (struct cmsghdr *c = CMSG_FIRSTHDR (&header); c != NULL; c = CMSG_NXTHDR (&header, c))
    {
      if (c->cmsg_len < CMSG_LEN (0) ||
          c->cmsg_len > length - (gsize) ((guint8 *) c - out->control))
        {
          errno = EINVAL;
          goto failed;
        }
      if (!control_allowed (c))
        {
          errno = EPERM;
          goto failed;
        }
      if (c->cmsg_level != SOL_SOCKET)
        continue;
      if (c->cmsg_type == SCM_CREDENTIALS)
        {
          /* The kernel would check them against the supervisor, who may
           * claim more (root claims anyone): the command may claim only
           * itself, and the message then goes without them (a receiver
           * that asks gets the sender's, the supervisor's, as its
           * SO_PEERCRED already says). */
          struct ucred claimed;

          if (c->cmsg_len != CMSG_LEN (sizeof claimed))
            {
              errno = EINVAL;
              goto failed;
            }
          memcpy (&claimed, CMSG_DATA (c), sizeof claimed);
          if (!claims_itself (listener_fd, request, &claimed))
            {
              errno = EPERM;
              goto failed;
            }
          c->cmsg_level = -1;   /* dropped below */
          dropped = TRUE;
          continue;
        }
      if (c->cmsg_type == SCM_RIGHTS)
        {
          gsize n = (c->cmsg_len - CMSG_LEN (0)) / sizeof (int);
          int *numbers = (int *) CMSG_DATA (c);

          for (gsize i = 0; i < n; i++)
            {
              int child_fd;
              int copy;

              memcpy (&child_fd, &numbers[i], sizeof child_fd);
              copy = child_fd >= 0 ? sandlock_notif_take_fd (listener_fd, request, child_fd) : -1;
              if (copy < 0)
                {
                  errno = child_fd < 0 || errno == EBADF ? EBADF : EACCES;
                  goto failed;
                }
              g_array_append_val (fds, copy);
              memcpy (&numbers[i], &copy, sizeof copy);
            }
        }
    }
  out->n_fds = fds->len;
  out->fds = (int *) g_array_free (fds, FALSE);
  if (dropped)
    drop_marked (out);
  return TRUE;

failed:
  {
    int saved_errno = errno;

    for (guint i = 0; i < fds->len; i++)
      close (g_array_index (fds, int, i));
    g_array_free (fds, TRUE);
    errno = saved_errno;
    return FALSE;
  }
}

gboolean
sandlock_socket_message_read (int                          listener_fd,
                              const struct seccomp_notif  *request,
                              guint64                      msghdr,
                              gboolean                     datagram,
                              gsize                        data_max,
                              SandlockSocketMessage       *out)
{
  struct msghdr header;

  memset (out, 0, sizeof *out);
  if (!sandlock_notif_read_memory (listener_fd, request, msghdr, &header, sizeof header))
    return FALSE;
  if (header.msg_name != NULL && header.msg_namelen > 0)
    {
      if (!sandlock_socket_call_read_address (listener_fd, request,
                                              (guint64) (guintptr) header.msg_name,
                                              header.msg_namelen, &out->address,
                                              &out->address_length))
        return FALSE;
      out->has_address = TRUE;
    }
  return read_data (listener_fd, request, (guint64) (guintptr) header.msg_iov,
                    header.msg_iovlen, datagram, data_max, out) &&
         read_control (listener_fd, request, (guint64) (guintptr) header.msg_control,
                       header.msg_controllen, out);
}

gboolean
sandlock_socket_message_read_sendto (int                          listener_fd,
                                     const struct seccomp_notif  *request,
                                     gboolean                     datagram,
                                     SandlockSocketMessage       *out)
{
  struct iovec iov = {
    .iov_base = (void *) (guintptr) request->data.args[1],
    .iov_len = (gsize) request->data.args[2],
  };

  memset (out, 0, sizeof *out);
  if (request->data.args[4] != 0 && (guint32) request->data.args[5] != 0)
    {
      if (!sandlock_socket_call_read_address (listener_fd, request, request->data.args[4],
                                              (guint32) request->data.args[5],
                                              &out->address, &out->address_length))
        return FALSE;
      out->has_address = TRUE;
    }
  if ((gssize) iov.iov_len < 0)
    {
      errno = EINVAL;
      return FALSE;
    }
  if (datagram && iov.iov_len > SANDLOCK_SOCKET_DATA_MAX)
    {
      errno = EMSGSIZE;
      return FALSE;
    }
  iov.iov_len = MIN (iov.iov_len, SANDLOCK_SOCKET_DATA_MAX);
  out->data = g_malloc (MAX (iov.iov_len, 1));
  out->data_length = iov.iov_len;
  return iov.iov_len == 0 ||
         sandlock_notif_read_memory (listener_fd, request, (guint64) (guintptr) iov.iov_base,
                                     out->data, iov.iov_len);
}

void
sandlock_socket_message_clear (SandlockSocketMessage *message)
{
  for (guint i = 0; i < message->n_fds; i++)
    close (message->fds[i]);
  g_free (message->fds);
  g_free (message->data);
  g_free (message->control);
  memset (message, 0, sizeof *message);
}

ssize_t
sandlock_socket_message_send (const SandlockSocketMessage *message,
                              int                          sock,
                              const struct sockaddr       *to,
                              socklen_t                    to_length,
                              int                          flags)
{
  struct iovec iov = { .iov_base = message->data, .iov_len = message->data_length };
  struct msghdr header = {
    .msg_name = (void *) to,
    .msg_namelen = to != NULL ? to_length : 0,
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = message->control,
    .msg_controllen = message->control_length,
  };

  return sendmsg (sock, &header, flags);
}
