/* attack-unix-race.c: racing the supervisor's reading of a unix socket
 * address. Arguments: a stream listener of the supervisor's in a hidden
 * directory, and the writable directory. The command listens on a socket
 * of its own beneath fs-writable (which it may connect to), and connects
 * to it many times while a second thread rewrites the address buffer
 * between its own socket and the hidden one, and a third dup2()s another
 * socket onto the descriptor being connected. No connection may ever
 * reach the hidden listener: each connected socket's peer must be the
 * command's own listener. Prints how many reached the hidden one, then
 * connects to its own listener once more, as a control.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define ROUNDS 400

static struct sockaddr_un shared;
static char own_path[108];
static char hidden_path[108];
static volatile int stop;
static volatile int target_fd = -1;

static void *
flip_address (void *data)
{
  while (!stop)
    {
      strcpy (shared.sun_path, hidden_path);
      __atomic_thread_fence (__ATOMIC_SEQ_CST);
      strcpy (shared.sun_path, own_path);
      __atomic_thread_fence (__ATOMIC_SEQ_CST);
    }
  return NULL;
}

static void *
flip_descriptor (void *data)
{
  while (!stop)
    {
      int fd = target_fd;
      int other = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

      if (fd >= 0)
        dup3 (other, fd, O_CLOEXEC);
      close (other);
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  const char *hidden = attack_arg (argc, argv, 1);
  const char *writable = attack_arg (argc, argv, 2);
  struct sockaddr_un own = { .sun_family = AF_UNIX };
  int server, reached_own = 0, reached_hidden = 0, failed = 0;
  pthread_t threads[2];

  snprintf (own_path, sizeof own_path, "%s/race.sock", writable);
  /* The same length for both, so the length never tells them apart. */
  snprintf (hidden_path, sizeof hidden_path, "%s", hidden);
  strcpy (own.sun_path, own_path);
  server = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (bind (server, (struct sockaddr *) &own, sizeof own) != 0 || listen (server, 1000) != 0)
    {
      attack_report (-1, "control: listen on its own socket");
      return 1;
    }
  shared.sun_family = AF_UNIX;
  strcpy (shared.sun_path, own_path);
  pthread_create (&threads[0], NULL, flip_address, NULL);
  pthread_create (&threads[1], NULL, flip_descriptor, NULL);

  for (int i = 0; i < ROUNDS; i++)
    {
      int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      struct sockaddr_un peer = { 0 };
      socklen_t length = sizeof peer;
      int client;

      target_fd = fd;
      if (connect (fd, (struct sockaddr *) &shared, sizeof shared) != 0)
        failed++;
      else if (getpeername (fd, (struct sockaddr *) &peer, &length) != 0)
        failed++;   /* another socket was put under the number */
      else if (strcmp (peer.sun_path, own_path) == 0)
        reached_own++;
      else if (strcmp (peer.sun_path, hidden_path) == 0)
        reached_hidden++;
      target_fd = -1;
      close (fd);
      while ((client = accept (server, NULL, NULL)) >= 0)
        close (client);
    }
  stop = 1;
  pthread_join (threads[0], NULL);
  pthread_join (threads[1], NULL);

  attack_say ("connections to the hidden listener: %d", reached_hidden);
  /* Control, once the threads are done: its own listener is reachable.
   * (How many racing connects reached it depends on the scheduling.) */
  {
    int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    attack_report (connect (fd, (struct sockaddr *) &own, sizeof own),
                   "control: connect its own listener after the race");
    close (fd);
  }
  unlink (own_path);
  (void) failed;
  (void) reached_own;
  return 0;
}
