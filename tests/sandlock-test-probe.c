/* sandlock-test-probe.c: what the tests run inside a sandbox
 *
 * Each argument word starts a command; the probe runs them in order and
 * prints one line per command, "<command>: <outcome>", where the outcome is
 * "ok", a value, or the errno name. It is built without sanitizers: their
 * runtimes use ptrace and other syscalls the sandbox denies.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <netdb.h>
#include <pthread.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void
report (const char *command,
        const char *argument,
        long        rc)
{
  if (argument != NULL)
    printf ("%s %s: ", command, argument);
  else
    printf ("%s: ", command);

  if (rc < 0)
    printf ("%s\n", strerrorname_np (errno) ? strerrorname_np (errno) : "E?");
  else
    printf ("ok\n");
  fflush (stdout);
}

static long
syscall_by_name (const char *name)
{
  static const struct { const char *name; long nr; } table[] = {
    { "mount", SYS_mount }, { "umount2", SYS_umount2 }, { "ptrace", SYS_ptrace },
    { "unshare", SYS_unshare }, { "setns", SYS_setns }, { "bpf", SYS_bpf },
    { "perf_event_open", SYS_perf_event_open }, { "keyctl", SYS_keyctl },
    { "userfaultfd", SYS_userfaultfd }, { "io_uring_setup", SYS_io_uring_setup },
    { "personality", SYS_personality }, { "reboot", SYS_reboot },
    { "init_module", SYS_init_module }, { "kexec_load", SYS_kexec_load },
    { "open_by_handle_at", SYS_open_by_handle_at }, { "pivot_root", SYS_pivot_root },
    { "shmget", SYS_shmget }, { "msgget", SYS_msgget }, { "semget", SYS_semget },
    { "getppid", SYS_getppid }, { "getpid", SYS_getpid }, { "uname", SYS_uname },
    { "sync", SYS_sync }, { "getuid", SYS_getuid }, { "umask", SYS_umask },
  };

  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp (table[i].name, name) == 0)
      return table[i].nr;
  fprintf (stderr, "probe: unknown syscall %s\n", name);
  exit (2);
}

static int
tcp_socket_at (int port, struct sockaddr_in *addr)
{
  memset (addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  addr->sin_port = htons ((unsigned short) port);
  addr->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  return socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

typedef struct {
  long nr;
  long iterations;
  long failures;
} HammerArgs;

static void *
hammer (void *data)
{
  HammerArgs *args = data;

  for (long i = 0; i < args->iterations; i++)
    if (syscall (args->nr) < 0)
      args->failures++;
  return NULL;
}

static int listen_done;

/* Calls getppid until the main thread's listen() returned. */
static void *
getppid_until_listen_done (void *data)
{
  while (!__atomic_load_n (&listen_done, __ATOMIC_ACQUIRE))
    syscall (SYS_getppid);
  return NULL;
}

static long blocker_nr;
static long blockers_started;

static void *
blocker (void *data)
{
  __atomic_add_fetch (&blockers_started, 1, __ATOMIC_RELEASE);
  syscall (blocker_nr);
  return NULL;
}

static void
sleep_seconds (double seconds)
{
  struct timespec ts = { (time_t) seconds, (long) ((seconds - (time_t) seconds) * 1e9) };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* ---- the commands --------------------------------------------------------
 *
 * Each takes its own name (some share a function) and its argument (NULL
 * when it takes none) and prints its line. It returns 0 to go on with the
 * next command, or the probe's exit status: 2 for a usage error, 3 when
 * the probe itself failed. */

static int
cmd_read (const char *cmd, const char *arg)
{
  char byte;
  int fd = open (arg, O_RDONLY | O_CLOEXEC);
  long rc = fd;

  if (fd >= 0)
    {
      rc = read (fd, &byte, 1);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

static int
cmd_cat (const char *cmd, const char *arg)
{
  char buffer[4096];
  ssize_t n;
  int fd = open (arg, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      report (cmd, arg, -1);
      return 0;
    }
  printf ("cat %s: ", arg);
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    fwrite (buffer, 1, (size_t) n, stdout);
  printf ("\n");
  fflush (stdout);
  close (fd);
  return 0;
}

static int
cmd_write (const char *cmd, const char *arg)
{
  int fd = open (arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  long rc = fd;

  if (fd >= 0)
    {
      rc = write (fd, "x", 1);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

static int
cmd_truncate (const char *cmd, const char *arg)
{
  report (cmd, arg, truncate (arg, 0));
  return 0;
}

static int
cmd_ls (const char *cmd, const char *arg)
{
  DIR *dir = opendir (arg);

  report (cmd, arg, dir != NULL ? 0 : -1);
  if (dir != NULL)
    closedir (dir);
  return 0;
}

/* inotify DIR: watches DIR, lists it, creates DIR/inotify-probe when it
 * can, and prints the events the watch reported ("open", "create") before
 * removing it with the watch descriptor it got; or the errno of the
 * watch. */
static int
cmd_inotify (const char *cmd, const char *arg)
{
  char buffer[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  char path[4096];
  int fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  int wd = fd >= 0 ? inotify_add_watch (fd, arg, IN_OPEN | IN_CREATE | IN_ONLYDIR) : -1;
  int opened = 0, created = 0, created_fd;
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  DIR *dir;

  if (wd < 0)
    {
      report (cmd, arg, -1);
      if (fd >= 0)
        close (fd);
      return 0;
    }
  dir = opendir (arg);
  if (dir != NULL)
    closedir (dir);
  snprintf (path, sizeof path, "%s/inotify-probe", arg);
  created_fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (created_fd >= 0)
    close (created_fd);
  /* The events are queued by the time the calls return: the poll only
   * bounds the wait. */
  while (poll (&pfd, 1, 2000) > 0)
    {
      ssize_t length = read (fd, buffer, sizeof buffer);

      if (length <= 0)
        break;
      for (char *p = buffer; p < buffer + length;)
        {
          struct inotify_event *event = (struct inotify_event *) p;

          if (event->wd == wd && (event->mask & IN_OPEN))
            opened = 1;
          if (event->wd == wd && (event->mask & IN_CREATE) && strcmp (event->name, "inotify-probe") == 0)
            created = 1;
          p += sizeof *event + event->len;
        }
      if (opened && (created || created_fd < 0))
        break;
    }
  printf ("%s %s: ok%s%s%s\n", cmd, arg, opened ? " open" : "", created ? " create" : "",
          inotify_rm_watch (fd, wd) == 0 ? "" : " (inotify_rm_watch failed)");
  fflush (stdout);
  close (fd);
  return 0;
}

static int
cmd_connect (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  int fd = tcp_socket_at (atoi (arg), &addr);
  long rc = fd;

  if (fd >= 0)
    {
      rc = connect (fd, (struct sockaddr *) &addr, sizeof addr);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

/* "ADDRESS:PORT" or "[ADDRESS]:PORT", numeric, into @addr. */
static int
parse_destination (const char              *arg,
                   struct sockaddr_storage *addr,
                   socklen_t               *length)
{
  char host[64];
  const char *colon = strrchr (arg, ':');
  const char *start = arg;
  size_t n;

  memset (addr, 0, sizeof *addr);
  if (colon == NULL)
    return -1;
  n = (size_t) (colon - arg);
  if (arg[0] == '[' && n >= 2 && arg[n - 1] == ']')
    {
      start = arg + 1;
      n -= 2;
    }
  if (n >= sizeof host)
    return -1;
  memcpy (host, start, n);
  host[n] = '\0';
  if (strchr (host, ':') != NULL)
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) addr;

      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons ((unsigned short) atoi (colon + 1));
      *length = sizeof *in6;
      return inet_pton (AF_INET6, host, &in6->sin6_addr) == 1 ? 0 : -1;
    }
  else
    {
      struct sockaddr_in *in = (struct sockaddr_in *) addr;

      in->sin_family = AF_INET;
      in->sin_port = htons ((unsigned short) atoi (colon + 1));
      *length = sizeof *in;
      return inet_pton (AF_INET, host, &in->sin_addr) == 1 ? 0 : -1;
    }
}

/* tcp-connect ADDRESS:PORT: a TCP connect() to any address. */
static int
cmd_tcp_connect (const char *cmd, const char *arg)
{
  struct sockaddr_storage addr;
  socklen_t length;
  long rc = -1;

  if (parse_destination (arg, &addr, &length) != 0)
    errno = EINVAL;
  else
    {
      int fd = socket (addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

      rc = fd;
      if (fd >= 0)
        {
          rc = connect (fd, (struct sockaddr *) &addr, length);
          close (fd);
        }
    }
  report (cmd, arg, rc);
  return 0;
}

/* udp-exchange ADDRESS:PORT: sends "ping" and waits (a bound that only
 * catches hangs) for one reply. */
static int
cmd_udp_exchange (const char *cmd, const char *arg)
{
  struct sockaddr_storage addr;
  socklen_t length;
  long rc = -1;

  if (parse_destination (arg, &addr, &length) != 0)
    errno = EINVAL;
  else
    {
      int fd = socket (addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

      rc = fd;
      if (fd >= 0)
        {
          rc = sendto (fd, "ping", 4, 0, (struct sockaddr *) &addr, length);
          if (rc >= 0)
            {
              struct pollfd pfd = { .fd = fd, .events = POLLIN };
              char reply[16];

              rc = poll (&pfd, 1, 30000);
              if (rc == 0)
                {
                  errno = ETIMEDOUT;
                  rc = -1;
                }
              else if (rc > 0)
                rc = recv (fd, reply, sizeof reply, MSG_DONTWAIT);
            }
          close (fd);
        }
    }
  report (cmd, arg, rc);
  return 0;
}

/* resolve NAME: getaddrinfo(), the addresses in numeric form, sorted. */
static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static int
cmd_resolve (const char *cmd, const char *arg)
{
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
  struct addrinfo *result = NULL;
  char *names[64];
  size_t n = 0;
  int rc = getaddrinfo (arg, NULL, &hints, &result);

  printf ("%s %s:", cmd, arg);
  if (rc != 0)
    {
      printf (" failed\n");
      fflush (stdout);
      return 0;
    }
  for (struct addrinfo *ai = result; ai != NULL && n < 64; ai = ai->ai_next)
    {
      char host[64];

      if (getnameinfo (ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0,
                       NI_NUMERICHOST) != 0)
        continue;
      names[n++] = strdup (host);
    }
  freeaddrinfo (result);
  qsort (names, n, sizeof names[0], compare_strings);
  for (size_t i = 0; i < n; i++)
    {
      if (i == 0 || strcmp (names[i], names[i - 1]) != 0)
        printf (" %s", names[i]);
    }
  for (size_t i = 0; i < n; i++)
    free (names[i]);
  printf ("\n");
  fflush (stdout);
  return 0;
}

/* bind PORT, or serve PORT: a TCP server that binds and listens. */
static int
cmd_bind (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  int fd = tcp_socket_at (atoi (arg), &addr);
  long rc = fd;

  if (fd >= 0)
    {
      int one = 1;

      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      rc = bind (fd, (struct sockaddr *) &addr, sizeof addr);
      if (rc == 0 && strcmp (cmd, "serve") == 0)
        rc = listen (fd, 4);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

static int
cmd_serve_unix (const char *cmd, const char *arg)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;
  long rc;

  strncpy (addr.sun_path, arg, sizeof addr.sun_path - 1);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  rc = fd;
  if (fd >= 0)
    {
      rc = bind (fd, (struct sockaddr *) &addr, sizeof addr);
      if (rc == 0)
        rc = listen (fd, 4);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

static int
cmd_listen_unbound (const char *cmd, const char *arg)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  report (cmd, NULL, fd < 0 ? fd : listen (fd, 4));
  if (fd >= 0)
    close (fd);
  return 0;
}

/* serve PORT, while another thread calls getppid: a handler nesting
 * dispatch sees the other thread's calls meanwhile. */
static int
cmd_serve_racing (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  int fd = tcp_socket_at (atoi (arg), &addr);
  pthread_t thread;
  long rc = fd;

  pthread_create (&thread, NULL, getppid_until_listen_done, NULL);
  if (fd >= 0)
    {
      rc = bind (fd, (struct sockaddr *) &addr, sizeof addr);
      if (rc == 0)
        rc = listen (fd, 4);
    }
  __atomic_store_n (&listen_done, 1, __ATOMIC_RELEASE);
  pthread_join (thread, NULL);
  report (cmd, arg, rc);
  if (fd >= 0)
    close (fd);
  return 0;
}

static int swap_fd = -1;

/* Waits until the supervisor says (getppid() answering 1) that the main
 * thread's listen() was let through, then puts an unbound socket at its
 * descriptor number and says so with one more getppid(). */
static void *
swap_in_unbound (void *data)
{
  int unbound;

  while (syscall (SYS_getppid) != 1)
    ;
  unbound = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  dup2 (unbound, swap_fd);
  close (unbound);
  syscall (SYS_getppid);
  return NULL;
}

/* listen() on a socket bound to PORT, which another thread replaces with
 * an unbound one once the supervisor has looked at it (see
 * swap_in_unbound()): whoever runs the listen() must look again. */
static int
cmd_listen_swapped (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  pthread_t thread;
  long rc;

  swap_fd = tcp_socket_at (atoi (arg), &addr);
  rc = swap_fd;
  if (rc >= 0)
    rc = bind (swap_fd, (struct sockaddr *) &addr, sizeof addr);
  if (rc == 0)
    {
      pthread_create (&thread, NULL, swap_in_unbound, NULL);
      rc = listen (swap_fd, 4);
      pthread_join (thread, NULL);
    }
  report (cmd, arg, rc);
  if (swap_fd >= 0)
    close (swap_fd);
  return 0;
}

static int
cmd_listen_bad_fd (const char *cmd, const char *arg)
{
  report (cmd, NULL, listen (1000, 4));
  return 0;
}

/* Prints "connecting PORT", then connects a blocking socket (SO_SNDTIMEO
 * 30 s) to 127.0.0.1:PORT. */
static int
cmd_connect_slow (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  struct timeval timeout = { .tv_sec = 30 };
  int fd = tcp_socket_at (atoi (arg), &addr);
  long rc = fd;

  printf ("connecting %s\n", arg);
  fflush (stdout);
  if (fd >= 0)
    {
      setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      rc = connect (fd, (struct sockaddr *) &addr, sizeof addr);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

/* A non-blocking connect to 127.0.0.1:PORT: its answer, then SO_ERROR
 * once the socket is writable. */
static int
cmd_connect_nonblock (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  int fd = tcp_socket_at (atoi (arg), &addr);
  struct pollfd pfd = { .fd = fd, .events = POLLOUT };
  int error = -1;
  socklen_t length = sizeof error;
  long rc;

  fcntl (fd, F_SETFL, O_NONBLOCK);
  rc = connect (fd, (struct sockaddr *) &addr, sizeof addr);
  if (rc < 0 && errno == EINPROGRESS)
    printf ("%s %s: EINPROGRESS\n", cmd, arg);
  else
    report (cmd, arg, rc);
  if (poll (&pfd, 1, 10000) == 1 &&
      getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0)
    printf ("so_error %s: %d\n", arg, error);
  else
    printf ("so_error %s: none\n", arg);
  fflush (stdout);
  close (fd);
  return 0;
}

/* A UDP datagram "probe" to 127.0.0.1:PORT. */
static int
cmd_udp_send (const char *cmd, const char *arg)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((unsigned short) atoi (arg)) };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  report (cmd, arg, sendto (fd, "probe", 5, 0, (struct sockaddr *) &addr, sizeof addr));
  close (fd);
  return 0;
}

static socklen_t
unix_path_address (struct sockaddr_un *addr, const char *path)
{
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  strncpy (addr->sun_path, path, sizeof addr->sun_path - 1);
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + strlen (addr->sun_path) + 1);
}

/* A unix datagram "probe" to PATH, with sendto() and with sendmsg(). */
static int
cmd_unix_send (const char *cmd, const char *arg)
{
  struct sockaddr_un addr;
  socklen_t length = unix_path_address (&addr, arg);
  struct iovec iov = { .iov_base = (void *) "probe", .iov_len = 5 };
  struct msghdr msg = { .msg_name = &addr, .msg_namelen = length, .msg_iov = &iov, .msg_iovlen = 1 };
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  report ("unix-sendto", arg, sendto (fd, "probe", 5, 0, (struct sockaddr *) &addr, length));
  report ("unix-sendmsg", arg, sendmsg (fd, &msg, 0));
  close (fd);
  return 0;
}

/* Connects to the stream socket PATH, passes the write end of a pipe with
 * SCM_RIGHTS, and prints what the server wrote into it. */
static int
cmd_unix_pass_fd (const char *cmd, const char *arg)
{
  struct sockaddr_un addr;
  socklen_t length = unix_path_address (&addr, arg);
  union {
    char buffer[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = (void *) "F", .iov_len = 1 };
  struct msghdr msg = {
    .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = control.buffer, .msg_controllen = sizeof control.buffer,
  };
  struct cmsghdr *c = CMSG_FIRSTHDR (&msg);
  char received[64] = { 0 };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int pipe_fds[2];
  ssize_t n;

  if (connect (fd, (struct sockaddr *) &addr, length) != 0 ||
      pipe2 (pipe_fds, O_CLOEXEC) != 0)
    {
      report (cmd, arg, -1);
      return 0;
    }
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &pipe_fds[1], sizeof (int));
  if (sendmsg (fd, &msg, 0) != 1)
    {
      report (cmd, arg, -1);
      return 0;
    }
  close (pipe_fds[1]);
  n = read (pipe_fds[0], received, sizeof received - 1);
  printf ("%s %s: %s\n", cmd, arg, n > 0 ? received : "nothing");
  fflush (stdout);
  close (fd);
  return 0;
}

static int
cmd_abstract_connect (const char *cmd, const char *arg)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t len;
  int fd;
  long rc;

  /* "@name": a leading NUL makes the address abstract. */
  strncpy (addr.sun_path + 1, arg, sizeof addr.sun_path - 2);
  len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + strlen (arg));
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  rc = fd;
  if (fd >= 0)
    {
      rc = connect (fd, (struct sockaddr *) &addr, len);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

/* TCP Fast Open: sendto connects, without connect(). */
static int
cmd_fastopen (const char *cmd, const char *arg)
{
  struct sockaddr_in addr;
  int fd = tcp_socket_at (atoi (arg), &addr);
  long rc = fd;

  if (fd >= 0)
    {
      rc = sendto (fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL,
                   (struct sockaddr *) &addr, sizeof addr);
      close (fd);
    }
  report (cmd, arg, rc);
  return 0;
}

static int
cmd_mptcp_socket (const char *cmd, const char *arg)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 262 /* IPPROTO_MPTCP */);

  report (cmd, NULL, fd);
  if (fd >= 0)
    close (fd);
  return 0;
}

static int
cmd_raw_socket (const char *cmd, const char *arg)
{
  int fd = socket (AF_INET, SOCK_RAW, IPPROTO_ICMP);

  report (cmd, NULL, fd);
  if (fd >= 0)
    close (fd);
  return 0;
}

static int
cmd_memfd (const char *cmd, const char *arg)
{
  int fd = memfd_create ("probe", MFD_CLOEXEC);

  report (cmd, NULL, fd);
  if (fd >= 0)
    close (fd);
  return 0;
}

static int
cmd_syscall (const char *cmd, const char *arg)
{
  report (cmd, arg, syscall (syscall_by_name (arg), 0, 0, 0, 0, 0, 0));
  return 0;
}

static int
cmd_int80 (const char *cmd, const char *arg)
{
  long rc = 20;   /* i386 getpid */

  __asm__ __volatile__ ("int $0x80" : "+a" (rc) : : "memory");
  printf ("int80: survived (%ld)\n", rc);
  fflush (stdout);
  return 0;
}

static int
cmd_x32 (const char *cmd, const char *arg)
{
  /* x32 getpid: the x86_64 number with the x32 bit set. */
  long rc = syscall (0x40000000 | SYS_getpid);

  printf ("x32: survived (%ld)\n", rc);
  fflush (stdout);
  return 0;
}

/* int80-creat PATH: creat(PATH, 0600) through the i386 ABI (int 0x80,
 * number 8), a call with an effect the test can see from outside. Its
 * arguments are 32-bit: the path is copied below 4 GiB. */
static int
cmd_int80_creat (const char *cmd, const char *arg)
{
  size_t length = strlen (arg) + 1;
  char *low = mmap (NULL, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  long rc = 8;   /* __NR_creat on i386 */

  if (low == MAP_FAILED || length > 4096)
    {
      fprintf (stderr, "probe: %s: no memory below 4 GiB for the path\n", cmd);
      return 3;
    }
  memcpy (low, arg, length);
  __asm__ __volatile__ ("int $0x80"
                        : "+a" (rc)
                        : "b" ((long) (unsigned long) low), "c" (0600L)
                        : "r8", "r9", "r10", "r11", "memory");
  /* The i386 ABI returns -errno. */
  if ((int) rc < 0)
    {
      errno = -(int) rc;
      rc = -1;
    }
  else
    close ((int) rc);
  report (cmd, arg, rc);
  munmap (low, 4096);
  return 0;
}

/* x32-creat PATH: creat(PATH, 0600) with the x32 bit set in the number. */
static int
cmd_x32_creat (const char *cmd, const char *arg)
{
  long rc = syscall (0x40000000L | SYS_creat, arg, 0600);

  if (rc >= 0)
    close ((int) rc);
  report (cmd, arg, rc);
  return 0;
}

static int
cmd_clone_newuser (const char *cmd, const char *arg)
{
  long rc = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);

  if (rc == 0)
    _exit (0);
  if (rc > 0)
    waitpid ((pid_t) rc, NULL, 0);
  report (cmd, NULL, rc);
  return 0;
}

static int
cmd_clone3 (const char *cmd, const char *arg)
{
  struct clone_args args = { .exit_signal = SIGCHLD };
  long rc = syscall (SYS_clone3, &args, sizeof args);

  if (rc == 0)
    _exit (0);
  if (rc > 0)
    waitpid ((pid_t) rc, NULL, 0);
  report (cmd, NULL, rc);
  return 0;
}

static int
cmd_kill (const char *cmd, const char *arg)
{
  report (cmd, arg, kill ((pid_t) atoi (arg), 0));
  return 0;
}

/* The signals a command could stop or kill its helper (its parent) with:
 * signal 0 checks the permission; one real SIGKILL. And controls. */
static int
cmd_kill_parent (const char *cmd, const char *arg)
{
  report (cmd, NULL, kill (getppid (), 0));
  return 0;
}

static int
cmd_kill_parent_sigkill (const char *cmd, const char *arg)
{
  report (cmd, NULL, kill (getppid (), SIGKILL));
  return 0;
}

static int
cmd_kill_parent_group (const char *cmd, const char *arg)
{
  report (cmd, NULL, kill (-getpgid (getppid ()), 0));
  return 0;
}

static int
cmd_kill_everyone (const char *cmd, const char *arg)
{
  report (cmd, NULL, kill (-1, 0));
  return 0;
}

static int
cmd_tkill_parent (const char *cmd, const char *arg)
{
  report (cmd, NULL, syscall (SYS_tkill, getppid (), 0));
  return 0;
}

static int
cmd_tgkill_parent (const char *cmd, const char *arg)
{
  report (cmd, NULL, syscall (SYS_tgkill, getppid (), getppid (), 0));
  return 0;
}

static int
cmd_kill_self (const char *cmd, const char *arg)
{
  report (cmd, NULL, kill (getpid (), 0));
  return 0;
}

static int
cmd_kill_own_group (const char *cmd, const char *arg)
{
  report (cmd, NULL, kill (0, 0));
  return 0;
}

static int
cmd_sigqueue_parent (const char *cmd, const char *arg)
{
  siginfo_t info = { .si_code = SI_QUEUE };

  report (cmd, NULL, syscall (SYS_rt_sigqueueinfo, getppid (), 0, &info));
  return 0;
}

static int
cmd_pidfd_signal_parent (const char *cmd, const char *arg)
{
  long pidfd = syscall (SYS_pidfd_open, getppid (), 0);

  report (cmd, NULL, pidfd < 0 ? pidfd : syscall (SYS_pidfd_send_signal, pidfd, 0, NULL, 0));
  if (pidfd >= 0)
    close ((int) pidfd);
  return 0;
}

static int
cmd_join_parent_group (const char *cmd, const char *arg)
{
  report (cmd, NULL, setpgid (0, getpgid (getppid ())));
  return 0;
}

/* setown-parent, setown-parent-group: F_SETOWN to the helper, or to its
 * process group. */
static int
cmd_setown_parent (const char *cmd, const char *arg)
{
  int fds[2];
  long rc = pipe (fds);

  if (rc == 0)
    {
      pid_t owner = strcmp (cmd, "setown-parent") == 0 ? getppid () : -getpgid (getppid ());

      rc = fcntl (fds[0], F_SETOWN, owner);
      close (fds[0]);
      close (fds[1]);
    }
  report (cmd, NULL, rc);
  return 0;
}

/* The socket ioctls that set the owner SIGIO goes to, taking it through
 * memory; armed with F_SETSIG SIGKILL, one write would kill the helper for
 * real (the probe dies with it). */
static int
cmd_ioctl_setown_parent_sigkill (const char *cmd, const char *arg)
{
  int fds[2];
  long rc = socketpair (AF_UNIX, SOCK_STREAM, 0, fds);

  if (rc == 0)
    {
      int owner = getppid ();

      rc = ioctl (fds[0], cmd[0] == 'f' ? FIOSETOWN : SIOCSPGRP, &owner);
      if (rc == 0 && fcntl (fds[0], F_SETSIG, SIGKILL) == 0 &&
          fcntl (fds[0], F_SETFL, O_ASYNC) == 0)
        (void) !write (fds[1], "x", 1);
      close (fds[0]);
      close (fds[1]);
    }
  report (cmd, NULL, rc);
  return 0;
}

static int
cmd_pgid (const char *cmd, const char *arg)
{
  printf ("pgid: %s\n", getpgrp () == getpid () ? "own group" : "shared group");
  fflush (stdout);
  return 0;
}

static int
cmd_getppid (const char *cmd, const char *arg)
{
  printf ("getppid: %ld\n", (long) syscall (SYS_getppid));
  fflush (stdout);
  return 0;
}

/* getppid-arg N: getppid() with N (decimal, up to 2^64 - 1) in its first
 * register, which getppid ignores: a handler sees an exact 64-bit argument. */
static int
cmd_getppid_arg (const char *cmd, const char *arg)
{
  unsigned long long value = strtoull (arg, NULL, 10);

  printf ("getppid-arg %s: %ld\n", arg, (long) syscall (SYS_getppid, value));
  fflush (stdout);
  return 0;
}

static int
cmd_getpid (const char *cmd, const char *arg)
{
  printf ("getpid: %ld\n", (long) getpid ());
  fflush (stdout);
  return 0;
}

static int
cmd_getcwd (const char *cmd, const char *arg)
{
  char buffer[256] = "";
  long rc = syscall (SYS_getcwd, buffer, sizeof buffer);

  if (rc < 0)
    report (cmd, NULL, rc);
  else
    printf ("getcwd: %s\n", buffer);
  fflush (stdout);
  return 0;
}

static int
cmd_env (const char *cmd, const char *arg)
{
  for (char **e = environ; *e != NULL; e++)
    printf ("env: %s\n", *e);
  fflush (stdout);
  return 0;
}

static int
cmd_fds (const char *cmd, const char *arg)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;

  if (dir == NULL)
    {
      report (cmd, NULL, -1);
      return 0;
    }
  printf ("fds:");
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.' && atoi (entry->d_name) != dirfd (dir))
      printf (" %s", entry->d_name);
  printf ("\n");
  fflush (stdout);
  closedir (dir);
  return 0;
}

static int
cmd_stdin (const char *cmd, const char *arg)
{
  char buffer[4096];
  size_t total = 0;
  ssize_t n;

  printf ("stdin: ");
  while ((n = read (0, buffer, sizeof buffer)) > 0)
    {
      fwrite (buffer, 1, (size_t) n, stdout);
      total += (size_t) n;
    }
  printf (" (%zu bytes)\n", total);
  fflush (stdout);
  return 0;
}

static int
cmd_stderr (const char *cmd, const char *arg)
{
  fprintf (stderr, "%s\n", arg);
  fflush (stderr);
  return 0;
}

/* Opens /dev/null until the descriptor table is full. */
static int
cmd_fill_fds (const char *cmd, const char *arg)
{
  int opened = 0;

  while (open ("/dev/null", O_RDONLY) >= 0)
    opened++;
  printf ("fill-fds: %d then %s\n", opened, strerrorname_np (errno));
  fflush (stdout);
  return 0;
}

static int
cmd_print (const char *cmd, const char *arg)
{
  printf ("%s\n", arg);
  fflush (stdout);
  return 0;
}

/* spew N, spew-stderr N: writes N bytes ('x') to stdout or stderr as fast
 * as the pipe takes them, and no report line, so that the reader gets
 * exactly N bytes. Stops quietly at the first failed write (the reader
 * gone). */
static int
cmd_spew (const char *cmd, const char *arg)
{
  static char block[64 * 1024];
  int fd = strcmp (cmd, "spew-stderr") == 0 ? STDERR_FILENO : STDOUT_FILENO;
  unsigned long long left = strtoull (arg, NULL, 10);

  fflush (stdout);
  memset (block, 'x', sizeof block);
  while (left > 0)
    {
      size_t chunk = left < sizeof block ? (size_t) left : sizeof block;
      ssize_t written = write (fd, block, chunk);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return 0;
      left -= (unsigned long long) written;
    }
  return 0;
}

static int
cmd_sleep (const char *cmd, const char *arg)
{
  sleep_seconds (atof (arg));
  return 0;
}

static int
cmd_exit (const char *cmd, const char *arg)
{
  exit (atoi (arg));
}

/* grandchild [setsid]: a child that lives on, optionally in a new session
 * as a daemon would. Its pid comes back through a pipe so that the line is
 * printed in order. */
static int
cmd_grandchild (const char *cmd, const char *arg)
{
  int daemonize = arg != NULL;
  int fds[2];
  pid_t pid, reported = 0;

  if (pipe (fds) != 0)
    return 3;
  pid = fork ();
  if (pid == 0)
    {
      close (fds[0]);
      if (daemonize)
        {
          setsid ();
          if (fork () != 0)
            _exit (0);
        }
      reported = getpid ();
      if (write (fds[1], &reported, sizeof reported) != sizeof reported)
        _exit (3);
      close (fds[1]);
      for (;;)
        pause ();
    }
  close (fds[1]);
  if (read (fds[0], &reported, sizeof reported) != sizeof reported)
    return 3;
  close (fds[0]);
  if (daemonize)
    waitpid (pid, NULL, 0);
  printf ("grandchild: %ld\n", (long) reported);
  fflush (stdout);
  return 0;
}

static int
cmd_fork_getppid (const char *cmd, const char *arg)
{
  pid_t pid = fork ();

  if (pid == 0)
    {
      printf ("fork-getppid: %ld\n", (long) syscall (SYS_getppid));
      fflush (stdout);
      _exit (0);
    }
  waitpid (pid, NULL, 0);
  return 0;
}

/* threads N:ITERATIONS:SYSCALL */
static int
cmd_threads (const char *cmd, const char *arg)
{
  static HammerArgs args[512];
  static pthread_t threads[512];
  char name[64];
  long n = 0, iterations = 0, failures = 0;

  if (sscanf (arg, "%ld:%ld:%63s", &n, &iterations, name) != 3 || n < 1 || n > 512)
    return 2;
  for (long t = 0; t < n; t++)
    {
      args[t] = (HammerArgs) { syscall_by_name (name), iterations, 0 };
      pthread_create (&threads[t], NULL, hammer, &args[t]);
    }
  for (long t = 0; t < n; t++)
    {
      pthread_join (threads[t], NULL);
      failures += args[t].failures;
    }
  printf ("threads: %ld calls, %ld failures\n", n * iterations, failures);
  fflush (stdout);
  return 0;
}

/* tally COUNT:SYSCALL: makes the call COUNT times and counts the outcomes. */
static int
cmd_tally (const char *cmd, const char *arg)
{
  char name[64];
  long count = 0, ok = 0, eperm = 0, eio = 0, other = 0;
  long nr;

  if (sscanf (arg, "%ld:%63s", &count, name) != 2)
    return 2;
  nr = syscall_by_name (name);
  for (long k = 0; k < count; k++)
    {
      if (syscall (nr) >= 0)
        ok++;
      else if (errno == EPERM)
        eperm++;
      else if (errno == EIO)
        eio++;
      else
        other++;
    }
  printf ("tally: ok=%ld EPERM=%ld EIO=%ld other=%ld\n", ok, eperm, eio, other);
  fflush (stdout);
  return 0;
}

/* block N:SYSCALL: N threads make the call (which a handler traps); once
 * they all have started, prints "block: N started" and exits (exit_group)
 * when standard input closes, whatever the threads are doing. */
static int
cmd_block (const char *cmd, const char *arg)
{
  pthread_attr_t attr;
  char name[64];
  char buffer[64];
  long n = 0;

  if (sscanf (arg, "%ld:%63s", &n, name) != 2 || n < 1)
    return 2;
  blocker_nr = syscall_by_name (name);
  pthread_attr_init (&attr);
  pthread_attr_setstacksize (&attr, 64 * 1024);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  for (long t = 0; t < n; t++)
    {
      pthread_t thread;

      if (pthread_create (&thread, &attr, blocker, NULL) != 0)
        return 3;
    }
  while (__atomic_load_n (&blockers_started, __ATOMIC_ACQUIRE) < n)
    sleep_seconds (0.001);
  printf ("block: %ld started\n", n);
  fflush (stdout);
  while (read (0, buffer, sizeof buffer) > 0)
    ;
  _exit (0);
}

/* loop COUNT:SYSCALL */
static int
cmd_loop (const char *cmd, const char *arg)
{
  char name[64];
  long count = 0, failures = 0;
  long nr;

  if (sscanf (arg, "%ld:%63s", &count, name) != 2)
    return 2;
  nr = syscall_by_name (name);
  for (long k = 0; k < count; k++)
    if (syscall (nr) < 0)
      failures++;
  printf ("loop: %ld calls, %ld failures\n", count, failures);
  fflush (stdout);
  return 0;
}

/* ---- passed descriptors ------------------------------------------------------ */

/* cwd: the working directory. */
static int
cmd_cwd (const char *cmd, const char *arg)
{
  char path[4096];

  if (getcwd (path, sizeof path) == NULL)
    report (cmd, NULL, -1);
  else
    {
      printf ("%s: %s\n", cmd, path);
      fflush (stdout);
    }
  return 0;
}

/* read-fd N: what descriptor N holds (up to 4 KiB), as "read-fd N: TEXT". */
static int
cmd_read_fd (const char *cmd, const char *arg)
{
  char buffer[4096];
  ssize_t n = read (atoi (arg), buffer, sizeof buffer - 1);

  if (n < 0)
    {
      report (cmd, arg, -1);
      return 0;
    }
  buffer[n] = '\0';
  printf ("%s %s: %s\n", cmd, arg, buffer);
  fflush (stdout);
  return 0;
}

/* openat-fd N:NAME: openat() of NAME beneath directory descriptor N. */
static int
cmd_openat_fd (const char *cmd, const char *arg)
{
  const char *colon = strchr (arg, ':');
  int fd = colon != NULL ? openat (atoi (arg), colon + 1, O_RDONLY | O_CLOEXEC) : -1;

  if (colon == NULL)
    errno = EINVAL;
  report (cmd, arg, fd);
  if (fd >= 0)
    close (fd);
  return 0;
}

/* list-fd N: the names in directory descriptor N, sorted, comma-separated. */
static int
cmd_list_fd (const char *cmd, const char *arg)
{
  int fd = fcntl (atoi (arg), F_DUPFD_CLOEXEC, 3);
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent **names = NULL;
  struct dirent *entry;
  size_t n = 0;

  if (dir == NULL)
    {
      report (cmd, arg, -1);
      return 0;
    }
  while ((entry = readdir (dir)) != NULL)
    if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0)
      {
        names = realloc (names, (n + 1) * sizeof *names);
        names[n] = malloc (sizeof *entry);
        memcpy (names[n], entry, sizeof *entry);
        n++;
      }
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && strcmp (names[j - 1]->d_name, names[j]->d_name) > 0; j--)
      {
        struct dirent *swap = names[j];

        names[j] = names[j - 1];
        names[j - 1] = swap;
      }
  printf ("%s %s:", cmd, arg);
  for (size_t i = 0; i < n; i++)
    {
      printf ("%s%s", i == 0 ? " " : ",", names[i]->d_name);
      free (names[i]);
    }
  printf ("\n");
  fflush (stdout);
  free (names);
  closedir (dir);
  return 0;
}

/* ---- the table ----------------------------------------------------------- */

typedef enum {
  NO_ARGUMENT,
  ARGUMENT,          /* the next word, which must be there */
  SETSID_ARGUMENT,   /* the next word if it is "setsid" */
} ArgumentKind;

typedef struct {
  const char   *name;
  int         (*run) (const char *cmd, const char *arg);
  ArgumentKind  argument;
} Command;

static const Command commands[] = {
  /* files */
  { "read", cmd_read, ARGUMENT },
  { "cat", cmd_cat, ARGUMENT },
  { "write", cmd_write, ARGUMENT },
  { "truncate", cmd_truncate, ARGUMENT },
  { "ls", cmd_ls, ARGUMENT },
  { "inotify", cmd_inotify, ARGUMENT },
  /* the network */
  { "connect", cmd_connect, ARGUMENT },
  { "bind", cmd_bind, ARGUMENT },
  { "serve", cmd_bind, ARGUMENT },
  { "serve-unix", cmd_serve_unix, ARGUMENT },
  { "listen-unbound", cmd_listen_unbound, NO_ARGUMENT },
  { "listen-bad-fd", cmd_listen_bad_fd, NO_ARGUMENT },
  { "serve-racing", cmd_serve_racing, ARGUMENT },
  { "listen-swapped", cmd_listen_swapped, ARGUMENT },
  { "abstract-connect", cmd_abstract_connect, ARGUMENT },
  { "connect-slow", cmd_connect_slow, ARGUMENT },
  { "connect-nonblock", cmd_connect_nonblock, ARGUMENT },
  { "udp-send", cmd_udp_send, ARGUMENT },
  { "unix-send", cmd_unix_send, ARGUMENT },
  { "unix-pass-fd", cmd_unix_pass_fd, ARGUMENT },
  { "fastopen", cmd_fastopen, ARGUMENT },
  { "tcp-connect", cmd_tcp_connect, ARGUMENT },
  { "udp-exchange", cmd_udp_exchange, ARGUMENT },
  { "resolve", cmd_resolve, ARGUMENT },
  { "mptcp-socket", cmd_mptcp_socket, NO_ARGUMENT },
  { "raw-socket", cmd_raw_socket, NO_ARGUMENT },
  { "memfd", cmd_memfd, NO_ARGUMENT },
  /* syscalls */
  { "syscall", cmd_syscall, ARGUMENT },
  { "int80", cmd_int80, NO_ARGUMENT },
  { "x32", cmd_x32, NO_ARGUMENT },
  { "int80-creat", cmd_int80_creat, ARGUMENT },
  { "x32-creat", cmd_x32_creat, ARGUMENT },
  { "clone-newuser", cmd_clone_newuser, NO_ARGUMENT },
  { "clone3", cmd_clone3, NO_ARGUMENT },
  /* signals and process groups */
  { "kill", cmd_kill, ARGUMENT },
  { "kill-parent", cmd_kill_parent, NO_ARGUMENT },
  { "kill-parent-sigkill", cmd_kill_parent_sigkill, NO_ARGUMENT },
  { "kill-parent-group", cmd_kill_parent_group, NO_ARGUMENT },
  { "kill-everyone", cmd_kill_everyone, NO_ARGUMENT },
  { "tkill-parent", cmd_tkill_parent, NO_ARGUMENT },
  { "tgkill-parent", cmd_tgkill_parent, NO_ARGUMENT },
  { "sigqueue-parent", cmd_sigqueue_parent, NO_ARGUMENT },
  { "pidfd-signal-parent", cmd_pidfd_signal_parent, NO_ARGUMENT },
  { "join-parent-group", cmd_join_parent_group, NO_ARGUMENT },
  { "setown-parent", cmd_setown_parent, NO_ARGUMENT },
  { "setown-parent-group", cmd_setown_parent, NO_ARGUMENT },
  { "fiosetown-parent-sigkill", cmd_ioctl_setown_parent_sigkill, NO_ARGUMENT },
  { "siocspgrp-parent-sigkill", cmd_ioctl_setown_parent_sigkill, NO_ARGUMENT },
  { "kill-self", cmd_kill_self, NO_ARGUMENT },
  { "kill-own-group", cmd_kill_own_group, NO_ARGUMENT },
  { "pgid", cmd_pgid, NO_ARGUMENT },
  /* the process */
  { "getppid", cmd_getppid, NO_ARGUMENT },
  { "getppid-arg", cmd_getppid_arg, ARGUMENT },
  { "getpid", cmd_getpid, NO_ARGUMENT },
  { "getcwd", cmd_getcwd, NO_ARGUMENT },
  { "env", cmd_env, NO_ARGUMENT },
  { "fds", cmd_fds, NO_ARGUMENT },
  { "read-fd", cmd_read_fd, ARGUMENT },
  { "cwd", cmd_cwd, NO_ARGUMENT },
  { "openat-fd", cmd_openat_fd, ARGUMENT },
  { "list-fd", cmd_list_fd, ARGUMENT },
  { "stdin", cmd_stdin, NO_ARGUMENT },
  { "stderr", cmd_stderr, ARGUMENT },
  { "fill-fds", cmd_fill_fds, NO_ARGUMENT },
  { "print", cmd_print, ARGUMENT },
  { "spew", cmd_spew, ARGUMENT },
  { "spew-stderr", cmd_spew, ARGUMENT },
  { "sleep", cmd_sleep, ARGUMENT },
  { "exit", cmd_exit, ARGUMENT },
  { "grandchild", cmd_grandchild, SETSID_ARGUMENT },
  { "fork-getppid", cmd_fork_getppid, NO_ARGUMENT },
  /* load */
  { "threads", cmd_threads, ARGUMENT },
  { "tally", cmd_tally, ARGUMENT },
  { "block", cmd_block, ARGUMENT },
  { "loop", cmd_loop, ARGUMENT },
};

static const Command *
find_command (const char *name)
{
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *cmd = argv[i];
      const char *next = i + 1 < argc ? argv[i + 1] : NULL;
      const Command *command = find_command (cmd);
      const char *arg = NULL;
      int status;

      if (command == NULL)
        {
          fprintf (stderr, "probe: unknown command %s\n", cmd);
          return 2;
        }
      switch (command->argument)
        {
        case NO_ARGUMENT:
          break;
        case ARGUMENT:
          if (next == NULL)
            {
              fprintf (stderr, "probe: %s needs an argument\n", cmd);
              return 2;
            }
          arg = next;
          i++;
          break;
        case SETSID_ARGUMENT:
          if (next != NULL && strcmp (next, "setsid") == 0)
            {
              arg = next;
              i++;
            }
          break;
        }
      status = command->run (cmd, arg);
      if (status != 0)
        return status;
    }

  return 0;
}
