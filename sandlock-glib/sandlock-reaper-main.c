/* sandlock-reaper-main.c: the program a sandbox's helper becomes
 *
 * A helper that shares the application's memory (see
 * sandlock-launch-child.c) executes this once the command has started, so
 * that it supervises the sandbox with memory of its own: see
 * sandlock-reaper-private.h. It runs the same loop as a forked helper
 * (sandlock-reaper.c, linked in). Built freestanding and static, without
 * libc (it is a few kilobytes, embedded in the library and executed from
 * a sealed memfd: nothing to install or find), for x86-64.
 *
 *   sandlock-reaper CHILD-PID DEADLINE
 *
 * DEADLINE is the time, in nanoseconds of CLOCK_MONOTONIC, at which the
 * sandbox is killed (SandlockSandbox:timeout), or 0 for none.
 *
 * It inherits everything else from the helper: the control socket at
 * FD_CONTROL, the subreaper attribute, SIGCHLD blocked, other signals
 * ignored.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <sys/prctl.h>

#include "sandlock-reaper-private.h"

/* @text as a decimal number no greater than @max; -1 if it is not one. */
static long long
parse_decimal (const char         *text,
               unsigned long long  max)
{
  unsigned long long value = 0;

  if (text[0] == '\0')
    return -1;
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c < '0' || *c > '9' || value > (max - (unsigned long long) (*c - '0')) / 10)
        return -1;
      value = value * 10 + (unsigned long long) (*c - '0');
    }
  return (long long) value;
}

/* What the compiler may call for struct copies and initialisers. (Used:
 * no link-time optimisation may drop what only the entry point calls.) */
void *memcpy (void *destination, const void *source, size_t size) __attribute__ ((used));
void *memset (void *destination, int byte, size_t size) __attribute__ ((used));

void *
memcpy (void *destination,
        const void *source,
        size_t size)
{
  char *to = destination;
  const char *from = source;

  while (size-- > 0)
    *to++ = *from++;
  return destination;
}

void *
memset (void *destination,
        int byte,
        size_t size)
{
  volatile char *to = destination;   /* not turned back into memset() */

  while (size-- > 0)
    *to++ = (char) byte;
  return destination;
}

void sandlock_reaper_main (long *stack) __attribute__ ((used, noreturn));

void
sandlock_reaper_main (long *stack)
{
  long argc = stack[0];
  char **argv = (char **) (stack + 1);
  long long child, deadline;

  if (argc != 3)
    sandlock_reaper_exit (2);
  child = parse_decimal (argv[1], 1 << 22);
  deadline = parse_decimal (argv[2], G_MAXINT64);
  if (child <= 1 || deadline < 0)
    sandlock_reaper_exit (2);   /* kill(-0) or kill(-1) would reach far too much */

  /* Executed from a descriptor, its name would be that number. */
  sandlock_sys (__NR_prctl, PR_SET_NAME, "sandlock-reaper");
  sandlock_reaper_supervise ((pid_t) child, (guint64) deadline);
}

/* The entry point: hand the initial stack (argc, argv...) to sandlock_reaper_main
 * with the stack aligned as a call expects. */
__asm__ (".text\n"
         ".globl _start\n"
         ".type _start, @function\n"
         "_start:\n"
         "  xorl %ebp, %ebp\n"
         "  movq %rsp, %rdi\n"
         "  andq $-16, %rsp\n"
         "  call sandlock_reaper_main\n"
         "  hlt\n");
