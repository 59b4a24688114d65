/* sandlock-limits-probe.c: what test-limits.c runs inside sandboxes to
 * meet their resource limits. No GLib: it runs confined. Each command
 * prints lines that the test compares.
 *
 *   fork-hold N      forks children that wait (until their parent dies),
 *                    up to N or the first failure; prints "forked K" and
 *                    the failure's errno name ("ok" if none)
 *   daemons N        the same with setsid()'d, double-forked daemons:
 *                    "daemons K" and the errno name
 *   threads N        starts N threads that wait: "threads K" and the
 *                    errno name ("ok")
 *   fork-bomb SECS   every process forks for ever; the first one prints
 *                    "EAGAIN seen" once a fork fails with EAGAIN, and exits
 *                    after SECS seconds, which kills the others
 *   alloc MIB        allocates and touches 1 MiB blocks up to MIB MiB;
 *                    "allocated K MiB" every 16, then "ENOMEM at K MiB" or
 *                    "allocated all"
 *   affinity         "affinity LIST" (sched_getaffinity), then the errno
 *                    name of a sched_setaffinity() to every CPU
 *   cgroup           prints /proc/self/cgroup
 *   spin SECS        burns CPU for SECS seconds of wall time: "cpu MS"
 *                    (CPU time used, in milliseconds)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
errno_name (int value)
{
  const char *name = strerrorname_np (value);

  return name != NULL ? name : "E?";
}

/* A child that waits until its parent is gone. */
static void
wait_for_parent (void)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  for (;;)
    pause ();
}

static int
fork_hold (long n)
{
  long k = 0;
  int failure = 0;

  for (; k < n; k++)
    {
      pid_t pid = fork ();

      if (pid == 0)
        wait_for_parent ();
      if (pid < 0)
        {
          failure = errno;
          break;
        }
    }
  printf ("forked %ld\n%s\n", k, failure ? errno_name (failure) : "ok");
  return 0;
}

static int
daemons (long n)
{
  long k = 0;
  int failure = 0;

  for (; k < n; k++)
    {
      int fds[2];
      int result = 0;
      pid_t pid;

      if (pipe (fds) != 0)
        return 3;
      pid = fork ();
      if (pid < 0)
        {
          failure = errno;
          close (fds[0]);
          close (fds[1]);
          break;
        }
      if (pid == 0)
        {
          pid_t daemon_pid;

          close (fds[0]);
          setsid ();
          daemon_pid = fork ();
          if (daemon_pid < 0)
            result = errno;
          if (daemon_pid == 0)
            {
              close (fds[1]);
              for (;;)
                pause ();   /* an orphan: the sandbox's end kills it */
            }
          if (write (fds[1], &result, sizeof result) != sizeof result)
            _exit (3);
          _exit (0);
        }
      close (fds[1]);
      if (read (fds[0], &result, sizeof result) != sizeof result)
        result = EIO;
      close (fds[0]);
      waitpid (pid, NULL, 0);
      if (result != 0)
        {
          failure = result;
          break;
        }
    }
  printf ("daemons %ld\n%s\n", k, failure ? errno_name (failure) : "ok");
  return 0;
}

static void *
thread_wait (void *data)
{
  (void) data;
  for (;;)
    pause ();
  return NULL;
}

static int
threads (long n)
{
  long k = 0;
  int failure = 0;

  for (; k < n; k++)
    {
      pthread_t thread;
      int rc = pthread_create (&thread, NULL, thread_wait, NULL);

      if (rc != 0)
        {
          failure = rc;
          break;
        }
    }
  printf ("threads %ld\n%s\n", k, failure ? errno_name (failure) : "ok");
  fflush (stdout);
  _exit (0);
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
fork_bomb (long seconds)
{
  pid_t first = getpid ();
  double end = now () + seconds;
  int said = 0;

  setvbuf (stdout, NULL, _IONBF, 0);
  while (getpid () != first || now () < end)
    {
      pid_t pid = fork ();

      if (pid < 0 && errno == EAGAIN && getpid () == first && !said)
        {
          printf ("EAGAIN seen\n");
          said = 1;
        }
    }
  return 0;
}

static int
alloc (long mib)
{
  long k = 0;

  setvbuf (stdout, NULL, _IOLBF, 0);
  for (; k < mib; k++)
    {
      char *block = mmap (NULL, 1 << 20, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (block == MAP_FAILED)
        {
          printf ("%s at %ld MiB\n", errno_name (errno), k);
          return 0;
        }
      memset (block, 1, 1 << 20);
      if ((k + 1) % 16 == 0)
        printf ("allocated %ld MiB\n", k + 1);
    }
  printf ("allocated all\n");
  return 0;
}

static int
affinity (void)
{
  cpu_set_t set, all;
  int first = 1;

  if (sched_getaffinity (0, sizeof set, &set) != 0)
    return 3;
  printf ("affinity ");
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET (cpu, &set))
      {
        printf ("%s%d", first ? "" : ",", cpu);
        first = 0;
      }
  printf ("\n");
  CPU_ZERO (&all);
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    CPU_SET (cpu, &all);
  printf ("%s\n", sched_setaffinity (0, sizeof all, &all) == 0 ? "ok" : errno_name (errno));
  return 0;
}

static int
print_cgroup (void)
{
  char buffer[4096];
  int fd = open ("/proc/self/cgroup", O_RDONLY);
  ssize_t n;

  if (fd < 0)
    {
      printf ("%s\n", errno_name (errno));
      return 0;
    }
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    fwrite (buffer, 1, n, stdout);
  close (fd);
  return 0;
}

static int
spin (long seconds)
{
  double end = now () + seconds;
  volatile unsigned long sink = 0;
  struct rusage usage;

  while (now () < end)
    for (int i = 0; i < 100000; i++)
      sink += i;
  (void) sink;
  getrusage (RUSAGE_SELF, &usage);
  printf ("cpu %ld\n", usage.ru_utime.tv_sec * 1000 + usage.ru_utime.tv_usec / 1000 +
                       usage.ru_stime.tv_sec * 1000 + usage.ru_stime.tv_usec / 1000);
  return 0;
}

int
main (int argc, char **argv)
{
  long n = argc > 2 ? strtol (argv[2], NULL, 10) : 0;

  if (argc < 2)
    return 2;
  if (strcmp (argv[1], "fork-hold") == 0)
    return fork_hold (n);
  if (strcmp (argv[1], "daemons") == 0)
    return daemons (n);
  if (strcmp (argv[1], "threads") == 0)
    return threads (n);
  if (strcmp (argv[1], "fork-bomb") == 0)
    return fork_bomb (n);
  if (strcmp (argv[1], "alloc") == 0)
    return alloc (n);
  if (strcmp (argv[1], "affinity") == 0)
    return affinity ();
  if (strcmp (argv[1], "cgroup") == 0)
    return print_cgroup ();
  if (strcmp (argv[1], "spin") == 0)
    return spin (n);
  return 2;
}
