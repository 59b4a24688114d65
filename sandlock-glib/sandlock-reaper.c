/* sandlock-reaper.c: the program a sandbox's helper becomes
 *
 * A helper that shares the application's memory (see sandlock-launch.c)
 * executes this once the command has started, so that it supervises the
 * sandbox with memory of its own: see sandlock-reaper-private.h. It runs
 * the same loop as a forked helper. Built freestanding and static, without
 * libc (it is a few kilobytes, embedded in the library and executed from
 * a sealed memfd: nothing to install or find), for x86-64.
 *
 *   sandlock-reaper CHILD-PID
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

void reaper_main (long *stack) __attribute__ ((used, noreturn));

void
reaper_main (long *stack)
{
  long argc = stack[0];
  char **argv = (char **) (stack + 1);
  long child = 0;

  if (argc != 2 || argv[1][0] == '\0')
    reaper_exit (2);
  for (const char *c = argv[1]; *c != '\0'; c++)
    {
      if (*c < '0' || *c > '9' || child > 1 << 22)
        reaper_exit (2);
      child = child * 10 + (*c - '0');
    }
  if (child <= 1)
    reaper_exit (2);   /* kill(-0) or kill(-1) would reach far too much */

  /* Executed from a descriptor, its name would be that number. */
  sys (__NR_prctl, PR_SET_NAME, "sandlock-reaper");
  reaper_supervise ((pid_t) child);
}

/* The entry point: hand the initial stack (argc, argv...) to reaper_main
 * with the stack aligned as a call expects. */
__asm__ (".text\n"
         ".globl _start\n"
         ".type _start, @function\n"
         "_start:\n"
         "  xorl %ebp, %ebp\n"
         "  movq %rsp, %rdi\n"
         "  andq $-16, %rsp\n"
         "  call reaper_main\n"
         "  hlt\n");
