/* sandlock-socket-call-private.h: the supervisor's copies of an outbound
 * socket call
 *
 * What a guard that performs connect(), sendto(), sendmsg() or sendmmsg()
 * on the command's behalf needs: its own copy of the command's socket
 * (pidfd_getfd), and copies of the destination address, of the data and
 * of the control messages, each read once from the command's memory,
 * bounded. The descriptors a message carries (SCM_RIGHTS) are the
 * command's own, taken with pidfd_getfd as well; credentials
 * (SCM_CREDENTIALS) are accepted only when they name the command itself,
 * and then left out (the kernel would check them against the supervisor,
 * who may claim more; a receiver that asks gets the supervisor's). Nothing here decides: see sandlock-guard-egress.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <linux/seccomp.h>
#include <sys/socket.h>

G_BEGIN_DECLS

/* The most data one message copies: a stream socket sends a prefix (a
 * short send), a datagram larger than this fails with EMSGSIZE. */
#define SANDLOCK_SOCKET_DATA_MAX (256 * 1024)
/* The most data one sendmmsg() copies over all its messages: further
 * messages are left unsent (sendmmsg() answers how many it sent). */
#define SANDLOCK_SOCKET_BATCH_MAX (1024 * 1024)
/* The most control data one message copies. */
#define SANDLOCK_SOCKET_CONTROL_MAX 4096

typedef struct {
  gboolean                 has_address;
  struct sockaddr_storage  address;
  socklen_t                address_length;
  guint8                  *data;
  gsize                    data_length;
  guint8                  *control;        /* descriptors: the supervisor's copies */
  gsize                    control_length;
  int                     *fds;            /* the copies in @control, closed by clear */
  guint                    n_fds;
} SandlockSocketMessage;

/* The supervisor's copy of the command's socket @child_fd, with its
 * domain and type (SO_DOMAIN, SO_TYPE); -1 with errno (ENOTSOCK for
 * another kind of descriptor). */
int      sandlock_socket_call_take        (int                          listener_fd,
                                           const struct seccomp_notif  *request,
                                           int                          child_fd,
                                           int                         *domain,
                                           int                         *type);

/* A copy of the address at @address, @length bytes (EINVAL above a
 * sockaddr_storage, as the kernel answers). */
gboolean sandlock_socket_call_read_address (int                          listener_fd,
                                            const struct seccomp_notif  *request,
                                            guint64                      address,
                                            guint64                      length,
                                            struct sockaddr_storage     *out,
                                            socklen_t                   *out_length);

/* Copies of the message whose struct msghdr is at @msghdr: its address,
 * at most @data_max bytes of its data (a datagram socket, @datagram,
 * larger than that: EMSGSIZE) and its control messages. FALSE with
 * errno. */
gboolean sandlock_socket_message_read     (int                          listener_fd,
                                           const struct seccomp_notif  *request,
                                           guint64                      msghdr,
                                           gboolean                     datagram,
                                           gsize                        data_max,
                                           SandlockSocketMessage       *out);

/* Copies of sendto()'s data (@length at @buffer, bounded as above) and
 * address. */
gboolean sandlock_socket_message_read_sendto (int                          listener_fd,
                                              const struct seccomp_notif  *request,
                                              gboolean                     datagram,
                                              SandlockSocketMessage       *out);

void     sandlock_socket_message_clear    (SandlockSocketMessage      *message);

/* Sends @message on @sock to @to (@to_length; NULL: the message carries
 * none), with @flags. The result of sendmsg(), errno set. */
ssize_t  sandlock_socket_message_send     (const SandlockSocketMessage *message,
                                           int                          sock,
                                           const struct sockaddr       *to,
                                           socklen_t                    to_length,
                                           int                          flags);

G_END_DECLS
