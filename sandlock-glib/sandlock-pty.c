/* sandlock-pty.c: a private pseudo-terminal for a command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-pty-private.h"
#include "sandlock-i18n-private.h"

/* The terminal side of @master. TIOCGPTPEER (Linux 4.13) opens it from the
 * master itself, whatever is mounted on /dev/pts meanwhile; older kernels
 * answer EINVAL or ENOTTY, and the path from ptsname_r() is opened
 * instead. */
static int
open_terminal_side (int master)
{
  char name[64];
  int fd;

  fd = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0 || (errno != EINVAL && errno != ENOTTY))
    return fd;
  if (ptsname_r (master, name, sizeof name) != 0)
    return -1;
  return open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

static void
set_window_size (int master)
{
  struct winsize size = { .ws_row = 24, .ws_col = 80 };

  for (int fd = 0; fd < 3; fd++)
    {
      struct winsize theirs = { 0 };

      if (isatty (fd) && ioctl (fd, TIOCGWINSZ, &theirs) == 0 &&
          theirs.ws_row > 0 && theirs.ws_col > 0)
        {
          size = theirs;
          break;
        }
    }
  /* Not fatal: a terminal of size 0x0 still works. */
  (void) ioctl (master, TIOCSWINSZ, &size);
}

gboolean
sandlock_pty_open (const char  *argv0,
                   int         *master,
                   int         *terminal,
                   GError     **error)
{
  sandlock_autofd int ours = -1;
  int saved_errno;

  *master = *terminal = -1;

  /* O_NOCTTY: an application that leads a session without a terminal
   * would otherwise take this one as its own. */
  ours = sandlock_fd_above_stdio (posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (ours < 0 || grantpt (ours) != 0 || unlockpt (ours) != 0)
    goto failed;
  *terminal = sandlock_fd_above_stdio (open_terminal_side (ours));
  if (*terminal < 0)
    goto failed;

  set_window_size (ours);
  *master = ours;
  ours = -1;
  return TRUE;

failed:
  saved_errno = errno;
  g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
               _("Failed to start '%s' in the sandbox: opening a pseudo-terminal failed: %s"),
               argv0, g_strerror (saved_errno));
  return FALSE;
}
