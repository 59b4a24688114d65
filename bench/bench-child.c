/* bench-child.c: the sandboxed side of the round-trip benchmarks
 *
 *   bench-child N [--samples]
 *
 * Calls getppid() N times, timing each call with the vDSO clock (not a
 * syscall, so never trapped), and prints one JSON object: the number of
 * calls, the total time and the median and 99th percentile. With --samples
 * it writes the raw per-call durations (8-byte integers) to stdout instead,
 * so that a benchmark can merge several children's distributions.
 *
 * Before the loop it calls getpid() once: a benchmark can trap it to hold
 * every child at the same point (a barrier) before the measured part.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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

  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  long n = argc > 1 ? atol (argv[1]) : 0;
  int samples_out = argc > 2 && strcmp (argv[2], "--samples") == 0;
  int64_t *samples;
  int64_t start, total;

  if (n <= 0)
    {
      fprintf (stderr, "usage: bench-child N [--samples]\n");
      return 2;
    }

  samples = malloc (sizeof *samples * (size_t) n);
  if (samples == NULL)
    return 3;

  syscall (SYS_getpid);   /* the barrier point */

  start = now_ns ();
  for (long i = 0; i < n; i++)
    {
      int64_t t = now_ns ();

      syscall (SYS_getppid);
      samples[i] = now_ns () - t;
    }
  total = now_ns () - start;

  if (samples_out)
    {
      if (fwrite (samples, sizeof *samples, (size_t) n, stdout) != (size_t) n)
        return 4;
      return 0;
    }

  qsort (samples, (size_t) n, sizeof *samples, compare);
  printf ("{\"calls\": %ld, \"total_ns\": %lld, \"ns_per_call\": %.1f, "
          "\"p50_ns\": %lld, \"p99_ns\": %lld}\n",
          n, (long long) total, (double) total / (double) n,
          (long long) samples[n / 2], (long long) samples[(n * 99) / 100]);
  return 0;
}
