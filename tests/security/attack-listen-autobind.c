/* attack-listen-autobind.c: a TCP server without bind(). listen() on an
 * unbound socket binds an ephemeral port implicitly, outside the bind hook
 * Landlock checks ports in; the supervisor vets every listen() and refuses
 * it with EACCES, like any bind outside net-bind.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int
main (void)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  attack_report (listen (fd, 1), "listen on an unbound TCP socket");
  close (fd);
  return 0;
}
