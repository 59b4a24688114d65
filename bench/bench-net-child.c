/* bench-net-child.c: the sandboxed side of the network benchmark
 *
 *   bench-net-child connect N PORT     N TCP connects (and closes) to 127.0.0.1:PORT
 *   bench-net-child sendto N PORT      N 64-byte UDP datagrams to 127.0.0.1:PORT
 *   bench-net-child pending T PORT MS  T threads, each a blocking connect to
 *                                      127.0.0.1:PORT (a listener whose backlog is
 *                                      full) with SO_SNDTIMEO of MS
 *
 * The loops time themselves with the vDSO clock and print one JSON object:
 * the operations done and the median time of one, in microseconds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
compare (const void *a,
         const void *b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return x < y ? -1 : x > y;
}

static struct sockaddr_in
loopback (int port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  return addr;
}

static void
report (const char *what,
        int64_t    *samples,
        long        n,
        long        failed)
{
  qsort (samples, (size_t) n, sizeof *samples, compare);
  printf ("{\"op\": \"%s\", \"done\": %ld, \"failed\": %ld, \"median_us\": %.2f}\n",
          what, n, failed, n > 0 ? samples[n / 2] / 1000.0 : 0.0);
}

static int
run_connects (long n,
              int  port)
{
  struct sockaddr_in addr = loopback (port);
  int64_t *samples = calloc ((size_t) n, sizeof *samples);
  long failed = 0;

  for (long i = 0; i < n; i++)
    {
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      int64_t start = now_ns ();

      if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
        failed++;
      samples[i] = now_ns () - start;
      close (fd);
    }
  report ("connect", samples, n, failed);
  return failed == n;
}

static int
run_sendtos (long n,
             int  port)
{
  struct sockaddr_in addr = loopback (port);
  int64_t *samples = calloc ((size_t) n, sizeof *samples);
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  char datagram[64] = { 0 };
  long failed = 0;

  for (long i = 0; i < n; i++)
    {
      int64_t start = now_ns ();

      if (sendto (fd, datagram, sizeof datagram, 0, (struct sockaddr *) &addr, sizeof addr) < 0)
        failed++;
      samples[i] = now_ns () - start;
    }
  report ("sendto", samples, n, failed);
  return failed == n;
}

typedef struct {
  int port;
  int timeout_ms;
} Pending;

static void *
pending_connect (void *data)
{
  const Pending *pending = data;
  struct sockaddr_in addr = loopback (pending->port);
  struct timeval timeout = { pending->timeout_ms / 1000, (pending->timeout_ms % 1000) * 1000 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  connect (fd, (struct sockaddr *) &addr, sizeof addr);
  close (fd);
  return NULL;
}

static int
run_pending (int threads,
             int port,
             int timeout_ms)
{
  pthread_t *ids = calloc ((size_t) threads, sizeof *ids);
  Pending pending = { port, timeout_ms };
  int64_t start = now_ns ();

  for (int i = 0; i < threads; i++)
    pthread_create (&ids[i], NULL, pending_connect, &pending);
  for (int i = 0; i < threads; i++)
    pthread_join (ids[i], NULL);
  printf ("{\"op\": \"pending\", \"threads\": %d, \"elapsed_ms\": %.1f}\n",
          threads, (now_ns () - start) / 1e6);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "connect") == 0)
    return run_connects (atol (argv[2]), atoi (argv[3]));
  if (argc == 4 && strcmp (argv[1], "sendto") == 0)
    return run_sendtos (atol (argv[2]), atoi (argv[3]));
  if (argc == 5 && strcmp (argv[1], "pending") == 0)
    return run_pending (atoi (argv[2]), atoi (argv[3]), atoi (argv[4]));
  fprintf (stderr, "usage: bench-net-child connect|sendto N PORT | pending THREADS PORT MS\n");
  return 2;
}
