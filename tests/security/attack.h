/* attack.h: what the attack programs of tests/security share
 *
 * An attack program runs inside a sandbox and tries one way out, in one or
 * more attempts. Each attempt prints one line, "<attempt>: <outcome>": the
 * errno name when the attempt failed, "ok" when it succeeded (an escape,
 * unless the attempt is a control that must succeed). test-security.c
 * compares the whole output, and how the program ended, with what it
 * expects. No GLib and no sanitizer runtime: both would make syscalls of
 * their own inside the sandbox.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints "<attempt>: ok" when @rc is not negative, else the errno name. */
static inline void attack_report (long rc, const char *format, ...) __attribute__ ((format (printf, 2, 3)));
static inline void
attack_report (long        rc,
               const char *format,
               ...)
{
  int saved_errno = errno;
  const char *name = strerrorname_np (saved_errno);
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  if (rc >= 0)
    printf (": ok\n");
  else
    printf (": %s\n", name != NULL ? name : "E?");
  fflush (stdout);
}

/* Prints a line as it is. */
static inline void attack_say (const char *format, ...) __attribute__ ((format (printf, 1, 2)));
static inline void
attack_say (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  printf ("\n");
  fflush (stdout);
}

/* The numeric argument @index, or exit 2: a usage error of the test. */
static inline long
attack_arg_long (int    argc,
                 char **argv,
                 int    index)
{
  char *end = NULL;
  long value;

  if (index >= argc)
    {
      fprintf (stderr, "%s: argument %d is missing\n", argv[0], index);
      exit (2);
    }
  value = strtol (argv[index], &end, 0);
  if (end == argv[index] || *end != '\0')
    {
      fprintf (stderr, "%s: argument %d is not a number: %s\n", argv[0], index, argv[index]);
      exit (2);
    }
  return value;
}

/* The string argument @index, or exit 2. */
static inline const char *
attack_arg (int    argc,
            char **argv,
            int    index)
{
  if (index >= argc)
    {
      fprintf (stderr, "%s: argument %d is missing\n", argv[0], index);
      exit (2);
    }
  return argv[index];
}
