/* attack-tty-foreground.c: taking the application's terminal from it.
 * Without SandlockSandbox:pty, the command shares the application's
 * session and its terminal, in a process group of its own that is not the
 * terminal's foreground one. A command that ignores SIGTTOU could make its
 * group the foreground one (tcsetpgrp(), TIOCSPGRP) and then read what
 * the user types to the application, or to the shell that waits for the
 * application: its descriptors of the terminal are open for reading and
 * writing. The filter refuses TIOCSPGRP without a private terminal; the
 * test checks the foreground group did not change.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

int
main (void)
{
  pid_t group = getpgrp ();

  signal (SIGTTOU, SIG_IGN);
  attack_report (isatty (0) ? 0 : -1, "stdin is a terminal");
  attack_say ("foreground group: %s", tcgetpgrp (0) == group ? "the command's" : "another");
  attack_report (tcsetpgrp (0, group), "tcsetpgrp stdin to its own group");
  attack_report (syscall (SYS_ioctl, 0, 0x100000000UL | TIOCSPGRP, &group),
                 "ioctl TIOCSPGRP stdin with upper-half garbage");
  attack_say ("foreground group: %s", tcgetpgrp (0) == group ? "the command's" : "another");
  return 0;
}
