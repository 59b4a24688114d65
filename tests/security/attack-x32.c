/* attack-x32.c: an x32 syscall number (bit 0x40000000 set) on x86_64. x32
 * shares x86_64's audit architecture, so only a check of that bit keeps
 * such a call from slipping past rules written for the plain numbers. The
 * call is creat(WRITABLE/x32-marker), which Landlock would allow, so that
 * the test can see whether it ran. Seccomp sees the number before the
 * kernel dispatches it, x32 built in or not: the process must be killed
 * (SIGSYS) before the call runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/syscall.h>
#include <unistd.h>

int
main (int    argc,
      char **argv)
{
#if defined(__x86_64__)
  const char *writable = attack_arg (argc, argv, 1);
  char path[4096];
  long rc;

  if (snprintf (path, sizeof path, "%s/x32-marker", writable) >= (int) sizeof path)
    return 2;
  attack_say ("x32 creat(WRITABLE/x32-marker): trying");
  rc = syscall (0x40000000L | SYS_creat, path, 0600);
  attack_say ("x32 creat(WRITABLE/x32-marker): survived (%ld)", rc);
  return 0;
#else
  attack_say ("x32: not x86_64");
  return 77;
#endif
}
