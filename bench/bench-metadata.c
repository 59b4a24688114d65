/* bench-metadata.c: what a trapped metadata call costs (issue 18)
 *
 *   bench-metadata N DIR
 *
 * Opens DIR/bench-metadata-file for writing, then times N calls each of
 * the descriptor forms GNU tar uses when it restores a file (fchmod,
 * fchown to the file's own owner, futimens) and of the path forms
 * (chmod, utimensat with a path), and prints one JSON object:
 * nanoseconds per call in wall-clock time (a trapped call waits for the
 * supervisor, whose time is the point). Run it bare and under
 * `sandlock-run -w DIR`, and compare within one run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main (int argc, char **argv)
{
  char path[4096];
  struct stat st;
  long n;
  int fd;
  double start, fchmod_ns, fchown_ns, futimens_ns, chmod_ns, utimensat_ns;

  if (argc != 3 || (n = strtol (argv[1], NULL, 10)) <= 0)
    {
      fprintf (stderr, "usage: bench-metadata N DIR\n");
      return 2;
    }
  snprintf (path, sizeof path, "%s/bench-metadata-file", argv[2]);
  fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      perror (path);
      return 1;
    }

#define TIME(result, call) \
  start = now_ns (); \
  for (long i = 0; i < n; i++) \
    if ((call) != 0) \
      { \
        perror (#call); \
        return 1; \
      } \
  result = (now_ns () - start) / n;

  TIME (fchmod_ns, fchmod (fd, 0644 | (i & 1 ? 0020 : 0)));
  TIME (fchown_ns, fchown (fd, st.st_uid, st.st_gid));
  TIME (futimens_ns, futimens (fd, NULL));
  TIME (chmod_ns, chmod (path, 0644 | (i & 1 ? 0020 : 0)));
  TIME (utimensat_ns, utimensat (AT_FDCWD, path, NULL, 0));

  printf ("{\"fchmod\": %.0f, \"fchown\": %.0f, \"futimens\": %.0f, "
          "\"chmod\": %.0f, \"utimensat_path\": %.0f}\n",
          fchmod_ns, fchown_ns, futimens_ns, chmod_ns, utimensat_ns);
  close (fd);
  unlink (path);
  return 0;
}
