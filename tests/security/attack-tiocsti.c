/* attack-tiocsti.c: terminal injection. Standard input is a terminal (the
 * test hands a pseudo-terminal in); TIOCSTI would push characters into its
 * input queue, to be read by whatever reads the terminal after the sandbox,
 * such as the user's shell. TIOCSTI, TIOCSTI with garbage in the upper half
 * of the request word (which the kernel ignores), and TIOCLINUX must fail
 * with EPERM; the test then checks nothing reached the terminal. So must
 * TIOCSETD: a line discipline is kernel code bound to the terminal, loaded
 * on demand (dev.tty.ldisc_autoload) for any process holding one, and
 * several have had holes (n_gsm, n_hdlc); N_NULL, built in, is tried.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

int
main (void)
{
  char c = 'x';
  char linux_subcode = 11;   /* TIOCL_GETKMSGREDIRECT */
  int null_discipline = 27;  /* N_NULL */

  attack_report (isatty (0) ? 0 : -1, "stdin is a terminal");
  attack_report (syscall (SYS_ioctl, 0, TIOCSTI, &c), "ioctl TIOCSTI");
  attack_report (syscall (SYS_ioctl, 0, 0x100000000UL | TIOCSTI, &c),
                 "ioctl TIOCSTI with upper-half garbage");
  attack_report (syscall (SYS_ioctl, 0, TIOCLINUX, &linux_subcode), "ioctl TIOCLINUX");
  attack_report (syscall (SYS_ioctl, 0, TIOCSETD, &null_discipline), "ioctl TIOCSETD N_NULL");
  /* Exclusive mode outlives the command: every later open of the
   * terminal (/dev/tty by sudo, ssh, less...) fails with EBUSY. */
  attack_report (syscall (SYS_ioctl, 0, TIOCEXCL), "ioctl TIOCEXCL");
  return 0;
}
