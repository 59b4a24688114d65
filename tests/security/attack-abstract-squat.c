/* attack-abstract-squat.c: binding abstract unix names that clients
 * outside the sandbox use
 * Arguments: a name, the writable directory, a read-only granted
 * directory, the TCP port the sandbox may bind, one it may not.
 *
 * Landlock's scoping (ABI 6) keeps a command from connecting out to an
 * abstract socket, but not from binding one: a client outside that
 * connects to, or sends to, a well-known abstract name (a session bus, an
 * X server, a notify socket) would reach the command instead. The same
 * holds for an autobound name (bind() with the family alone), which a
 * client outside may learn. The program binds NAME-stream (and listens),
 * NAME-dgram, and two autobound sockets, and prints "ready"; the test
 * (outside the sandbox) then connects and sends to those names, writes a
 * line to standard input, and the program reports whether anything
 * reached it.
 *
 * Controls, since bind() is performed on the command's behalf: a pathname
 * socket in the writable directory, absolute and relative, which the
 * client outside reaches; one in a read-only directory, which Landlock
 * refuses; TCP on the granted port and not on another; UDP.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t
abstract_address (struct sockaddr_un *addr,
                  const char         *name,
                  const char         *suffix)
{
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  snprintf (addr->sun_path + 1, sizeof addr->sun_path - 1, "%s-%s", name, suffix);
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (addr->sun_path + 1));
}

static socklen_t
path_address (struct sockaddr_un *addr,
              const char         *dir,
              const char         *file)
{
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (dir != NULL)
    snprintf (addr->sun_path, sizeof addr->sun_path, "%s/%s", dir, file);
  else
    snprintf (addr->sun_path, sizeof addr->sun_path, "%s", file);
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + strlen (addr->sun_path) + 1);
}

/* Binds a new unix socket of @type to @addr (@length: the family alone
 * autobinds), listens when it is a stream socket and @listening; prints
 * the autobound name for the test. */
static int
bind_unix (const char         *what,
           int                 type,
           struct sockaddr_un *addr,
           socklen_t           length,
           int                 listening)
{
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);
  int rc;

  if (fd < 0)
    {
      attack_report (-1, "socket for %s", what);
      return -1;
    }
  rc = bind (fd, (struct sockaddr *) addr, length);
  attack_report (rc, "bind %s", what);
  if (rc != 0)
    return fd;
  if (length == sizeof (sa_family_t))
    {
      struct sockaddr_un bound;
      socklen_t bound_length = sizeof bound;

      /* For the test only: the hexadecimal name after the NUL. */
      if (getsockname (fd, (struct sockaddr *) &bound, &bound_length) == 0 &&
          bound_length > sizeof (sa_family_t) + 1)
        printf ("autobound %s %.*s\n", type == SOCK_STREAM ? "stream" : "dgram",
                 (int) (bound_length - sizeof (sa_family_t) - 1), bound.sun_path + 1);
    }
  if (listening && type == SOCK_STREAM)
    attack_report (listen (fd, 8), "listen %s", what);
  return fd;
}

static void
bind_inet (const char *what,
           int         type,
           long        port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((unsigned short) port) };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  attack_report (bind (fd, (struct sockaddr *) &addr, sizeof addr), "bind %s", what);
  close (fd);
}

/* Whether a client outside reached socket @fd. */
static void
reached (const char *what,
         int         fd,
         int         type)
{
  char byte;

  if (type == SOCK_STREAM)
    {
      int client = accept4 (fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

      attack_report (client, "a client outside reached %s", what);
      if (client >= 0)
        close (client);
    }
  else
    attack_report (recv (fd, &byte, 1, MSG_DONTWAIT), "a client outside reached %s", what);
}

/* A thread flips the first byte of an address between a pathname and an
 * abstract name while the main thread binds: a supervisor that checked
 * the address and let the kernel read it again would lose the race. */
static struct sockaddr_un flipping;
static volatile int flipping_done;

static void *
flip (void *data)
{
  volatile char *first = flipping.sun_path;

  (void) data;
  while (!flipping_done)
    {
      *first = '\0';
      *first = '/';
    }
  return NULL;
}

static void
race_abstract (const char *writable)
{
  socklen_t length = path_address (&flipping, writable, "flip.sock");
  int won = 0, bound = 0;
  pthread_t thread;

  if (pthread_create (&thread, NULL, flip, NULL) != 0)
    {
      attack_say ("pthread_create failed");
      return;
    }
  for (int i = 0; i < 2000 && !won; i++)
    {
      int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      struct sockaddr_un name;
      socklen_t name_length = sizeof name;

      if (bind (fd, (struct sockaddr *) &flipping, length) == 0 &&
          getsockname (fd, (struct sockaddr *) &name, &name_length) == 0)
        {
          if (name_length > sizeof (sa_family_t) && name.sun_path[0] == '\0')
            won = 1;
          else
            {
              bound = 1;
              unlink (name.sun_path);
            }
        }
      close (fd);
    }
  flipping_done = 1;
  pthread_join (thread, NULL);
  attack_say ("bind raced to an abstract name: %s", won ? "ok" : "never");
  (void) bound;
}

int
main (int    argc,
      char **argv)
{
  struct sockaddr_un addr;
  socklen_t length;
  int stream, dgram, auto_stream, auto_dgram, path_stream;
  char line[16];

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s NAME WRITABLE GRANTED BIND_ALLOWED BIND_DENIED\n", argv[0]);
      return 2;
    }

  length = abstract_address (&addr, argv[1], "stream");
  stream = bind_unix ("an abstract stream name", SOCK_STREAM, &addr, length, 1);
  length = abstract_address (&addr, argv[1], "dgram");
  dgram = bind_unix ("an abstract datagram name", SOCK_DGRAM, &addr, length, 0);
  auto_stream = bind_unix ("an autobound stream socket", SOCK_STREAM, &addr,
                           sizeof (sa_family_t), 1);
  auto_dgram = bind_unix ("an autobound datagram socket", SOCK_DGRAM, &addr,
                          sizeof (sa_family_t), 0);

  /* The socket file gets the command's umask, not the supervisor's. */
  umask (077);
  length = path_address (&addr, argv[2], "squat.sock");
  path_stream = bind_unix ("WRITABLE/squat.sock (control)", SOCK_STREAM, &addr, length, 1);
  attack_report (chdir (argv[2]), "chdir WRITABLE");
  length = path_address (&addr, NULL, "relative.sock");
  close (bind_unix ("relative.sock in WRITABLE (control)", SOCK_DGRAM, &addr, length, 0));
  length = path_address (&addr, argv[3], "squat.sock");
  close (bind_unix ("GRANTED/squat.sock", SOCK_STREAM, &addr, length, 0));
  bind_inet ("TCP 127.0.0.1:BIND_ALLOWED (control)", SOCK_STREAM, attack_arg_long (argc, argv, 4));
  bind_inet ("TCP 127.0.0.1:BIND_DENIED", SOCK_STREAM, attack_arg_long (argc, argv, 5));
  bind_inet ("UDP 127.0.0.1:0 (control)", SOCK_DGRAM, 0);
  race_abstract (argv[2]);

  attack_say ("ready");
  /* The test has tried its clients when it writes a line. */
  if (fgets (line, sizeof line, stdin) == NULL)
    attack_say ("standard input closed early");

  reached ("the abstract stream name", stream, SOCK_STREAM);
  reached ("the abstract datagram name", dgram, SOCK_DGRAM);
  reached ("the autobound stream socket", auto_stream, SOCK_STREAM);
  reached ("the autobound datagram socket", auto_dgram, SOCK_DGRAM);
  reached ("WRITABLE/squat.sock (control)", path_stream, SOCK_STREAM);
  return 0;
}
