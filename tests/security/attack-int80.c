/* attack-int80.c: a syscall through the i386 ABI (int 0x80), whose numbers
 * differ from x86_64's and would dodge every rule written for those:
 * creat(WRITABLE/int80-marker), i386 number 8, which Landlock would allow
 * (the directory is writable), so that the test can see whether it ran.
 * The filter's architecture check must kill the process (SIGSYS) before
 * the call runs; a kernel with IA-32 emulation off refuses int 0x80 itself
 * (SIGSEGV) before seccomp sees it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/mman.h>

int
main (int    argc,
      char **argv)
{
#if defined(__x86_64__)
  const char *writable = attack_arg (argc, argv, 1);
  /* int 0x80 takes 32-bit arguments: the path must lie below 4 GiB. */
  char *path = mmap (NULL, 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  long rc = 8;   /* __NR_creat on i386 */

  if (path == MAP_FAILED ||
      snprintf (path, 4096, "%s/int80-marker", writable) >= 4096)
    {
      fprintf (stderr, "attack-int80: no room below 4 GiB for the path\n");
      return 2;
    }
  attack_say ("int80 creat(WRITABLE/int80-marker): trying");
  __asm__ __volatile__ ("int $0x80"
                        : "+a" (rc)
                        : "b" ((long) (unsigned long) path), "c" (0600L)
                        : "r8", "r9", "r10", "r11", "memory");
  attack_say ("int80 creat(WRITABLE/int80-marker): survived (%ld)", rc);
  return 0;
#else
  attack_say ("int80: not x86_64");
  return 77;
#endif
}
