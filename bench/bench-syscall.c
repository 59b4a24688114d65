/* bench-syscall.c: what an untrapped syscall costs
 *
 *   bench-syscall N FILE [--landlock] [--bpf PROGRAM]...
 *
 * Times N calls each of getppid(), stat(FILE), open(FILE)+close() and
 * ioctl(-1, FIONREAD) (EBADF at once: a syscall whose verdict the filter
 * decides from its arguments, so that the kernel runs the filter for it)
 * and prints one JSON object: nanoseconds per call, the median of 9
 * batches, in the thread's CPU time (user and system), so that the time
 * other processes of a loaded machine take the CPU away is not counted.
 * Before the loops it can confine itself, to tell the parts of a
 * sandbox's cost apart:
 *   --landlock      a Landlock ruleset handling every filesystem right of
 *                   this kernel's ABI, granting /usr and /etc read-only and
 *                   FILE's directory read-write (what sandlock-run
 *                   --system-ro -w DIR grants, in fewer rules)
 *   --bpf PROGRAM   a seccomp filter, raw struct sock_filter read from
 *                   PROGRAM (sandlock-bench-filter writes the library's);
 *                   repeatable, installed in order
 * Run under sandlock-run, it measures the real thing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <libgen.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCHES 9

static int64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

static void
add_rule (int ruleset, const char *path, uint64_t access)
{
  struct landlock_path_beneath_attr rule = { .allowed_access = access };

  rule.parent_fd = open (path, O_PATH | O_CLOEXEC);
  if (rule.parent_fd < 0)
    return;
  if (syscall (SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
    die ("landlock_add_rule");
  close (rule.parent_fd);
}

static void
apply_landlock (const char *file)
{
  /* ABI 1 rights, then what later ABIs added to the filesystem. */
  uint64_t handled = (1ULL << 13) - 1;
  struct landlock_ruleset_attr attr = { 0 };
  uint64_t read = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE |
                  LANDLOCK_ACCESS_FS_READ_DIR;
  long abi = syscall (SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  char *copy = strdup (file);
  int ruleset;

  if (abi < 1)
    die ("landlock ABI");
  if (abi >= 2)
    handled |= 1ULL << 13;   /* REFER */
  if (abi >= 3)
    handled |= 1ULL << 14;   /* TRUNCATE */
  if (abi >= 5)
    handled |= 1ULL << 15;   /* IOCTL_DEV */
  attr.handled_access_fs = handled;
  ruleset = (int) syscall (SYS_landlock_create_ruleset, &attr, sizeof attr.handled_access_fs, 0);
  if (ruleset < 0)
    die ("landlock_create_ruleset");
  add_rule (ruleset, "/usr", read);
  add_rule (ruleset, "/etc", read);
  add_rule (ruleset, dirname (copy), handled);
  free (copy);
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall (SYS_landlock_restrict_self, ruleset, 0) != 0)
    die ("landlock_restrict_self");
  close (ruleset);
}

static void
apply_bpf (const char *path)
{
  static struct sock_filter filter[BPF_MAXINSNS];
  struct sock_fprog program = { 0 };
  FILE *in = fopen (path, "rb");
  size_t n;

  if (in == NULL)
    die (path);
  n = fread (filter, sizeof filter[0], BPF_MAXINSNS, in);
  fclose (in);
  program.len = (unsigned short) n;
  program.filter = filter;
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0)
    die ("seccomp");
}

int
main (int argc, char **argv)
{
  long n = argc > 2 ? atol (argv[1]) : 0;
  const char *file = argc > 2 ? argv[2] : NULL;
  double getppid_ns[BATCHES], stat_ns[BATCHES], open_ns[BATCHES], ioctl_ns[BATCHES];
  struct stat st;

  if (n <= 0)
    {
      fprintf (stderr, "usage: bench-syscall N FILE [--landlock] [--bpf PROGRAM]...\n");
      return 2;
    }
  for (int i = 3; i < argc; i++)
    {
      if (strcmp (argv[i], "--landlock") == 0)
        apply_landlock (file);
      else if (strcmp (argv[i], "--bpf") == 0 && i + 1 < argc)
        apply_bpf (argv[++i]);
      else
        {
          fprintf (stderr, "bench-syscall: unknown argument %s\n", argv[i]);
          return 2;
        }
    }

  for (int b = 0; b < BATCHES; b++)
    {
      int64_t start = now_ns ();

      for (long i = 0; i < n; i++)
        syscall (SYS_getppid);
      getppid_ns[b] = (double) (now_ns () - start) / (double) n;

      start = now_ns ();
      for (long i = 0; i < n; i++)
        if (stat (file, &st) != 0)
          die ("stat");
      stat_ns[b] = (double) (now_ns () - start) / (double) n;

      start = now_ns ();
      for (long i = 0; i < n; i++)
        {
          int fd = open (file, O_RDONLY | O_CLOEXEC);

          if (fd < 0)
            die ("open");
          close (fd);
        }
      open_ns[b] = (double) (now_ns () - start) / (double) n;

      start = now_ns ();
      for (long i = 0; i < n; i++)
        syscall (SYS_ioctl, -1, FIONREAD, NULL);
      ioctl_ns[b] = (double) (now_ns () - start) / (double) n;
    }

  qsort (getppid_ns, BATCHES, sizeof (double), compare);
  qsort (stat_ns, BATCHES, sizeof (double), compare);
  qsort (open_ns, BATCHES, sizeof (double), compare);
  qsort (ioctl_ns, BATCHES, sizeof (double), compare);
  printf ("{\"calls\": %ld, \"getppid_ns\": %.1f, \"stat_ns\": %.1f, \"open_close_ns\": %.1f, "
          "\"ioctl_ns\": %.1f}\n",
          n, getppid_ns[BATCHES / 2], stat_ns[BATCHES / 2], open_ns[BATCHES / 2],
          ioctl_ns[BATCHES / 2]);
  return 0;
}
