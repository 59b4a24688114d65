/* sandlock-stdio.c: the standard input and output a command gets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-stdio-private.h"
#include "sandlock-i18n-private.h"

void
sandlock_stdio_clear (SandlockStdio *stdio)
{
  for (int i = 0; i < 3; i++)
    {
      /* Inherited descriptors are the application's: never close those.
       * (Not told apart by number: with the application's 0 closed, a pipe
       * may well be 0.) */
      if (stdio->child_end_is_pipe[i])
        sandlock_clear_fd (&stdio->child_ends[i]);
      sandlock_clear_fd (&stdio->parent_ends[i]);
    }
  sandlock_clear_fd (&stdio->dev_null);
}

static gboolean
open_dev_null (SandlockStdio  *stdio,
               int            *out,
               GError        **error)
{
  if (stdio->dev_null < 0)
    {
      stdio->dev_null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (stdio->dev_null < 0)
        {
          int saved_errno = errno;

          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       _("Opening /dev/null failed: %s"), g_strerror (saved_errno));
          return FALSE;
        }
    }
  *out = stdio->dev_null;
  return TRUE;
}

static gboolean
open_pipe (int             which,
           SandlockStdio  *stdio,
           GError        **error)
{
  int fds[2];

  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Creating a pipe failed: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  /* stdin: the child reads fds[0]; stdout/stderr: the child writes fds[1].
   * Our end outlives the spawn: never at 0, 1 or 2. */
  stdio->child_ends[which] = which == 0 ? fds[0] : fds[1];
  stdio->parent_ends[which] = sandlock_fd_above_stdio (which == 0 ? fds[1] : fds[0]);
  if (stdio->parent_ends[which] < 0)
    {
      int saved_errno = errno;

      sandlock_clear_fd (&stdio->child_ends[which]);
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Creating a pipe failed: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  stdio->child_end_is_pipe[which] = TRUE;
  return TRUE;
}

void
sandlock_stdio_fill_closed (void)
{
  static GMutex lock;

  g_mutex_lock (&lock);
  /* open() takes the lowest free number: at most three rounds. Not
   * close-on-exec: these are standard I/O, for every child. */
  for (int round = 0; round < 3; round++)
    {
      int fd;

      if (fcntl (0, F_GETFD) >= 0 && fcntl (1, F_GETFD) >= 0 && fcntl (2, F_GETFD) >= 0)
        break;
      fd = open ("/dev/null", O_RDWR);
      if (fd > 2)
        {
          close (fd);
          break;
        }
      if (fd < 0)
        break;
    }
  g_mutex_unlock (&lock);
}

static gboolean
inherit_or_null (int             which,
                 SandlockStdio  *stdio,
                 GError        **error)
{
  if (fcntl (which, F_GETFD) >= 0)
    {
      stdio->child_ends[which] = which;
      return TRUE;
    }
  return open_dev_null (stdio, &stdio->child_ends[which], error);
}

gboolean
sandlock_stdio_setup (GSubprocessFlags   flags,
                      const int         *given,
                      int                terminal,
                      SandlockStdio     *stdio,
                      GError           **error)
{
  /* 0, 1 and 2 are open (sandlock_sandbox_spawn() called
   * sandlock_stdio_fill_closed()): what we open below cannot take
   * them, and what is there is the application's, or /dev/null where it
   * closed them. */
  for (int i = 0; i < 3; i++)
    {
      stdio->child_ends[i] = stdio->parent_ends[i] = -1;
      stdio->child_end_is_pipe[i] = FALSE;
    }
  stdio->dev_null = -1;

  if (given != NULL && given[0] >= 0)
    stdio->child_ends[0] = given[0];
  else if (flags & G_SUBPROCESS_FLAGS_STDIN_PIPE)
    {
      if (!open_pipe (0, stdio, error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDIN_INHERIT)
    {
      if (!inherit_or_null (0, stdio, error))
        return FALSE;
    }
  else if (terminal >= 0)
    stdio->child_ends[0] = terminal;
  else if (!open_dev_null (stdio, &stdio->child_ends[0], error))
    return FALSE;

  if (given != NULL && given[1] >= 0)
    stdio->child_ends[1] = given[1];
  else if (flags & G_SUBPROCESS_FLAGS_STDOUT_PIPE)
    {
      if (!open_pipe (1, stdio, error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDOUT_SILENCE)
    {
      if (!open_dev_null (stdio, &stdio->child_ends[1], error))
        return FALSE;
    }
  else if (terminal >= 0)
    stdio->child_ends[1] = terminal;
  else if (!inherit_or_null (1, stdio, error))
    return FALSE;

  if (given != NULL && given[2] >= 0)
    stdio->child_ends[2] = given[2];
  else if (flags & G_SUBPROCESS_FLAGS_STDERR_PIPE)
    {
      if (!open_pipe (2, stdio, error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDERR_SILENCE)
    {
      if (!open_dev_null (stdio, &stdio->child_ends[2], error))
        return FALSE;
    }
  else if (flags & G_SUBPROCESS_FLAGS_STDERR_MERGE)
    {
      /* Shares stdout's descriptor, closed as stdout's. */
      stdio->child_ends[2] = stdio->child_ends[1];
    }
  else if (terminal >= 0)
    stdio->child_ends[2] = terminal;
  else if (!inherit_or_null (2, stdio, error))
    return FALSE;

  return TRUE;
}
