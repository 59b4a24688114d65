/* attack-tty.c: reaching the application's terminal through /dev/tty.
 * The application has a controlling terminal; the command opens /dev/tty
 * and tries what a program at a terminal can do to it: type into it
 * (TIOCSTI, on /dev/tty and on its standard input), switch off its echo,
 * resize it, write to it (ignoring SIGTTOU, which would stop it outside the
 * terminal's foreground process group). With SandlockSandbox:pty, /dev/tty must be the
 * command's private terminal (the one on its standard input) in a session
 * of its own, and the test checks that the application's terminal saw
 * nothing of it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

int
main (void)
{
  struct winsize tiny = { .ws_row = 1, .ws_col = 1 };
  struct termios attributes;
  unsigned int device = 0;
  struct stat st;
  char c = 'x';
  int tty;

  /* A process outside the terminal's foreground group is stopped by
   * SIGTTOU when it changes the terminal: unless it ignores that. */
  signal (SIGTTOU, SIG_IGN);
  attack_report (isatty (0) ? 0 : -1, "stdin is a terminal");
  tty = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  attack_report (tty, "open /dev/tty");
  if (tty < 0)
    return 0;

  attack_report (ioctl (tty, TIOCGDEV, &device), "TIOCGDEV /dev/tty");
  attack_say ("/dev/tty is %s",
              fstat (0, &st) == 0 && S_ISCHR (st.st_mode) && st.st_rdev == device
              ? "standard input's terminal" : "another terminal");
  attack_say ("session: %s", getsid (0) == getpid () ? "its own" : "not its own");

  attack_report (syscall (SYS_ioctl, tty, TIOCSTI, &c), "ioctl TIOCSTI /dev/tty");
  attack_report (syscall (SYS_ioctl, 0, TIOCSTI, &c), "ioctl TIOCSTI stdin");

  attack_report (tcgetattr (tty, &attributes), "tcgetattr /dev/tty");
  attributes.c_lflag ^= ECHO;
  attack_report (tcsetattr (tty, TCSANOW, &attributes), "tcsetattr /dev/tty, echo flipped");
  attack_report (ioctl (tty, TIOCSWINSZ, &tiny), "TIOCSWINSZ /dev/tty 1x1");
  /* Job control, on a terminal of its own only (the filter refuses it on
   * the application's). */
  attack_report (tcsetpgrp (tty, getpgrp ()), "tcsetpgrp /dev/tty to its own group");
  attack_report (write (tty, "INJECTED", 8), "write /dev/tty");
  return 0;
}
