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
#include <pthread.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *cmd = argv[i];
      const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

#define NEED_ARG() do { if (arg == NULL) { fprintf (stderr, "probe: %s needs an argument\n", cmd); return 2; } i++; } while (0)

      if (strcmp (cmd, "read") == 0)
        {
          char byte;
          int fd;
          long rc;

          NEED_ARG ();
          fd = open (arg, O_RDONLY | O_CLOEXEC);
          rc = fd;
          if (fd >= 0)
            {
              rc = read (fd, &byte, 1);
              close (fd);
            }
          report (cmd, arg, rc);
        }
      else if (strcmp (cmd, "cat") == 0)
        {
          char buffer[4096];
          ssize_t n;
          int fd;

          NEED_ARG ();
          fd = open (arg, O_RDONLY | O_CLOEXEC);
          if (fd < 0)
            {
              report (cmd, arg, -1);
              continue;
            }
          printf ("cat %s: ", arg);
          while ((n = read (fd, buffer, sizeof buffer)) > 0)
            fwrite (buffer, 1, (size_t) n, stdout);
          printf ("\n");
          fflush (stdout);
          close (fd);
        }
      else if (strcmp (cmd, "write") == 0)
        {
          int fd;
          long rc;

          NEED_ARG ();
          fd = open (arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
          rc = fd;
          if (fd >= 0)
            {
              rc = write (fd, "x", 1);
              close (fd);
            }
          report (cmd, arg, rc);
        }
      else if (strcmp (cmd, "truncate") == 0)
        {
          NEED_ARG ();
          report (cmd, arg, truncate (arg, 0));
        }
      else if (strcmp (cmd, "ls") == 0)
        {
          DIR *dir;

          NEED_ARG ();
          dir = opendir (arg);
          report (cmd, arg, dir != NULL ? 0 : -1);
          if (dir != NULL)
            closedir (dir);
        }
      else if (strcmp (cmd, "connect") == 0)
        {
          struct sockaddr_in addr;
          int fd;
          long rc;

          NEED_ARG ();
          fd = tcp_socket_at (atoi (arg), &addr);
          rc = fd;
          if (fd >= 0)
            {
              rc = connect (fd, (struct sockaddr *) &addr, sizeof addr);
              close (fd);
            }
          report (cmd, arg, rc);
        }
      else if (strcmp (cmd, "bind") == 0)
        {
          struct sockaddr_in addr;
          int fd;
          long rc;

          NEED_ARG ();
          fd = tcp_socket_at (atoi (arg), &addr);
          rc = fd;
          if (fd >= 0)
            {
              int one = 1;

              setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
              rc = bind (fd, (struct sockaddr *) &addr, sizeof addr);
              close (fd);
            }
          report (cmd, arg, rc);
        }
      else if (strcmp (cmd, "serve") == 0)
        {
          /* A TCP server: bind, listen, and accept the connection the test
           * makes (then the port is known to really be listening). */
          struct sockaddr_in addr;
          int fd;
          long rc;

          NEED_ARG ();
          fd = tcp_socket_at (atoi (arg), &addr);
          rc = fd;
          if (fd >= 0)
            {
              int one = 1;

              setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
              rc = bind (fd, (struct sockaddr *) &addr, sizeof addr);
              if (rc == 0)
                rc = listen (fd, 4);
              close (fd);
            }
          report (cmd, arg, rc);
        }
      else if (strcmp (cmd, "serve-unix") == 0)
        {
          struct sockaddr_un addr = { .sun_family = AF_UNIX };
          int fd;
          long rc;

          NEED_ARG ();
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
        }
      else if (strcmp (cmd, "listen-unbound") == 0)
        {
          int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

          report (cmd, NULL, fd < 0 ? fd : listen (fd, 4));
          if (fd >= 0)
            close (fd);
        }
      else if (strcmp (cmd, "listen-unbound-racing") == 0)
        {
          /* listen-unbound, while another thread calls getppid: a handler
           * nesting dispatch sees the other thread's calls meanwhile. */
          int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
          pthread_t thread;
          long rc;

          pthread_create (&thread, NULL, getppid_until_listen_done, NULL);
          rc = fd < 0 ? fd : listen (fd, 4);
          __atomic_store_n (&listen_done, 1, __ATOMIC_RELEASE);
          pthread_join (thread, NULL);
          report (cmd, NULL, rc);
          if (fd >= 0)
            close (fd);
        }
      else if (strcmp (cmd, "listen-bad-fd") == 0)
        report (cmd, NULL, listen (1000, 4));
      else if (strcmp (cmd, "abstract-connect") == 0)
        {
          struct sockaddr_un addr = { .sun_family = AF_UNIX };
          socklen_t len;
          int fd;
          long rc;

          NEED_ARG ();
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
        }
      else if (strcmp (cmd, "fastopen") == 0)
        {
          /* TCP Fast Open: sendto connects, without connect(). */
          struct sockaddr_in addr;
          int fd;
          long rc;

          NEED_ARG ();
          fd = tcp_socket_at (atoi (arg), &addr);
          rc = fd;
          if (fd >= 0)
            {
              rc = sendto (fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL,
                           (struct sockaddr *) &addr, sizeof addr);
              close (fd);
            }
          report (cmd, arg, rc);
        }
      else if (strcmp (cmd, "mptcp-socket") == 0)
        {
          int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 262 /* IPPROTO_MPTCP */);

          report (cmd, NULL, fd);
          if (fd >= 0)
            close (fd);
        }
      else if (strcmp (cmd, "raw-socket") == 0)
        {
          int fd = socket (AF_INET, SOCK_RAW, IPPROTO_ICMP);

          report (cmd, NULL, fd);
          if (fd >= 0)
            close (fd);
        }
      else if (strcmp (cmd, "syscall") == 0)
        {
          NEED_ARG ();
          report (cmd, arg, syscall (syscall_by_name (arg), 0, 0, 0, 0, 0, 0));
        }
      else if (strcmp (cmd, "int80") == 0)
        {
          long rc = 20;   /* i386 getpid */

          __asm__ __volatile__ ("int $0x80" : "+a" (rc) : : "memory");
          printf ("int80: survived (%ld)\n", rc);
          fflush (stdout);
        }
      else if (strcmp (cmd, "x32") == 0)
        {
          /* x32 getpid: the x86_64 number with the x32 bit set. */
          long rc = syscall (0x40000000 | SYS_getpid);

          printf ("x32: survived (%ld)\n", rc);
          fflush (stdout);
        }
      else if (strcmp (cmd, "clone-newuser") == 0)
        {
          long rc = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);

          if (rc == 0)
            _exit (0);
          if (rc > 0)
            waitpid ((pid_t) rc, NULL, 0);
          report (cmd, NULL, rc);
        }
      else if (strcmp (cmd, "clone3") == 0)
        {
          struct clone_args args = { .exit_signal = SIGCHLD };
          long rc = syscall (SYS_clone3, &args, sizeof args);

          if (rc == 0)
            _exit (0);
          if (rc > 0)
            waitpid ((pid_t) rc, NULL, 0);
          report (cmd, NULL, rc);
        }
      else if (strcmp (cmd, "kill") == 0)
        {
          NEED_ARG ();
          report (cmd, arg, kill ((pid_t) atoi (arg), 0));
        }
      else if (strcmp (cmd, "kill-parent") == 0)
        report (cmd, NULL, kill (getppid (), 0));
      /* The signals a command could stop or kill its helper with (signal
       * 0 checks the permission; one real SIGKILL), and controls. */
      else if (strcmp (cmd, "kill-parent-sigkill") == 0)
        report (cmd, NULL, kill (getppid (), SIGKILL));
      else if (strcmp (cmd, "kill-parent-group") == 0)
        report (cmd, NULL, kill (-getpgid (getppid ()), 0));
      else if (strcmp (cmd, "kill-everyone") == 0)
        report (cmd, NULL, kill (-1, 0));
      else if (strcmp (cmd, "tkill-parent") == 0)
        report (cmd, NULL, syscall (SYS_tkill, getppid (), 0));
      else if (strcmp (cmd, "tgkill-parent") == 0)
        report (cmd, NULL, syscall (SYS_tgkill, getppid (), getppid (), 0));
      else if (strcmp (cmd, "sigqueue-parent") == 0)
        {
          siginfo_t info = { .si_code = SI_QUEUE };

          report (cmd, NULL, syscall (SYS_rt_sigqueueinfo, getppid (), 0, &info));
        }
      else if (strcmp (cmd, "pidfd-signal-parent") == 0)
        {
          long pidfd = syscall (SYS_pidfd_open, getppid (), 0);

          report (cmd, NULL, pidfd < 0 ? pidfd : syscall (SYS_pidfd_send_signal, pidfd, 0, NULL, 0));
          if (pidfd >= 0)
            close ((int) pidfd);
        }
      else if (strcmp (cmd, "join-parent-group") == 0)
        report (cmd, NULL, setpgid (0, getpgid (getppid ())));
      else if (strcmp (cmd, "setown-parent") == 0 || strcmp (cmd, "setown-parent-group") == 0)
        {
          int fds[2];
          long rc = pipe (fds);

          if (rc == 0)
            {
              pid_t owner = cmd[13] == '\0' ? getppid () : -getpgid (getppid ());

              rc = fcntl (fds[0], F_SETOWN, owner);
              close (fds[0]);
              close (fds[1]);
            }
          report (cmd, NULL, rc);
        }
      /* The socket ioctls that set the owner SIGIO goes to, taking it
       * through memory; armed with F_SETSIG SIGKILL, one write would kill
       * the helper for real (the probe dies with it). */
      else if (strcmp (cmd, "fiosetown-parent-sigkill") == 0 ||
               strcmp (cmd, "siocspgrp-parent-sigkill") == 0)
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
        }
      else if (strcmp (cmd, "kill-self") == 0)
        report (cmd, NULL, kill (getpid (), 0));
      else if (strcmp (cmd, "kill-own-group") == 0)
        report (cmd, NULL, kill (0, 0));
      else if (strcmp (cmd, "pgid") == 0)
        {
          printf ("pgid: %s\n", getpgrp () == getpid () ? "own group" : "shared group");
          fflush (stdout);
        }
      else if (strcmp (cmd, "getppid") == 0)
        {
          printf ("getppid: %ld\n", (long) syscall (SYS_getppid));
          fflush (stdout);
        }
      else if (strcmp (cmd, "getpid") == 0)
        {
          printf ("getpid: %ld\n", (long) getpid ());
          fflush (stdout);
        }
      else if (strcmp (cmd, "getcwd") == 0)
        {
          char buffer[256] = "";
          long rc = syscall (SYS_getcwd, buffer, sizeof buffer);

          if (rc < 0)
            report (cmd, NULL, rc);
          else
            printf ("getcwd: %s\n", buffer);
          fflush (stdout);
        }
      else if (strcmp (cmd, "env") == 0)
        {
          for (char **e = environ; *e != NULL; e++)
            printf ("env: %s\n", *e);
          fflush (stdout);
        }
      else if (strcmp (cmd, "fds") == 0)
        {
          DIR *dir = opendir ("/proc/self/fd");
          struct dirent *entry;

          if (dir == NULL)
            {
              report (cmd, NULL, -1);
              continue;
            }
          printf ("fds:");
          while ((entry = readdir (dir)) != NULL)
            if (entry->d_name[0] != '.' && atoi (entry->d_name) != dirfd (dir))
              printf (" %s", entry->d_name);
          printf ("\n");
          fflush (stdout);
          closedir (dir);
        }
      else if (strcmp (cmd, "stdin") == 0)
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
        }
      else if (strcmp (cmd, "stderr") == 0)
        {
          NEED_ARG ();
          fprintf (stderr, "%s\n", arg);
          fflush (stderr);
        }
      else if (strcmp (cmd, "fill-fds") == 0)
        {
          /* Open /dev/null until the descriptor table is full. */
          int opened = 0;

          while (open ("/dev/null", O_RDONLY) >= 0)
            opened++;
          printf ("fill-fds: %d then %s\n", opened, strerrorname_np (errno));
          fflush (stdout);
        }
      else if (strcmp (cmd, "print") == 0)
        {
          NEED_ARG ();
          printf ("%s\n", arg);
          fflush (stdout);
        }
      else if (strcmp (cmd, "sleep") == 0)
        {
          NEED_ARG ();
          sleep_seconds (atof (arg));
        }
      else if (strcmp (cmd, "exit") == 0)
        {
          NEED_ARG ();
          exit (atoi (arg));
        }
      else if (strcmp (cmd, "grandchild") == 0)
        {
          /* A child that lives on, optionally in a new session as a daemon
           * would. Its pid comes back through a pipe so that the line is
           * printed in order. */
          int daemonize = arg != NULL && strcmp (arg, "setsid") == 0;
          int fds[2];
          pid_t pid, reported = 0;

          if (daemonize)
            i++;
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
        }
      else if (strcmp (cmd, "fork-getppid") == 0)
        {
          pid_t pid = fork ();

          if (pid == 0)
            {
              printf ("fork-getppid: %ld\n", (long) syscall (SYS_getppid));
              fflush (stdout);
              _exit (0);
            }
          waitpid (pid, NULL, 0);
        }
      else if (strcmp (cmd, "threads") == 0)
        {
          /* threads N:ITERATIONS:SYSCALL */
          static HammerArgs args[512];
          static pthread_t threads[512];
          char name[64];
          long n = 0, iterations = 0, failures = 0;

          NEED_ARG ();
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
        }
      else if (strcmp (cmd, "tally") == 0)
        {
          /* tally COUNT:SYSCALL: makes the call COUNT times and counts the
           * outcomes. */
          char name[64];
          long count = 0, ok = 0, eperm = 0, eio = 0, other = 0;

          NEED_ARG ();
          if (sscanf (arg, "%ld:%63s", &count, name) != 2)
            return 2;
          long nr = syscall_by_name (name);
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
        }
      else if (strcmp (cmd, "block") == 0)
        {
          /* block N:SYSCALL: N threads make the call (which a handler
           * traps); once they all have started, prints "block: N started"
           * and exits (exit_group) when standard input closes, whatever
           * the threads are doing. */
          pthread_attr_t attr;
          char name[64];
          long n = 0;

          NEED_ARG ();
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
          {
            char buffer[64];

            while (read (0, buffer, sizeof buffer) > 0)
              ;
          }
          _exit (0);
        }
      else if (strcmp (cmd, "loop") == 0)
        {
          /* loop COUNT:SYSCALL */
          char name[64];
          long count = 0, failures = 0;

          NEED_ARG ();
          if (sscanf (arg, "%ld:%63s", &count, name) != 2)
            return 2;
          long nr = syscall_by_name (name);
          for (long k = 0; k < count; k++)
            if (syscall (nr) < 0)
              failures++;
          printf ("loop: %ld calls, %ld failures\n", count, failures);
          fflush (stdout);
        }
      else
        {
          fprintf (stderr, "probe: unknown command %s\n", cmd);
          return 2;
        }
    }

  return 0;
}
