/* sr-pty.c: --pty, between the user's terminal and the command's own
 *
 * With --pty the command runs on a private pseudo-terminal
 * (SandlockSandbox:pty) in a session of its own; sandlock-run relays
 * between it and its own standard streams: what it reads from its
 * standard input goes to the command's terminal, what the command writes
 * there goes to sandlock-run's standard output. When the standard input is
 * a terminal, it is switched to raw mode for the run (so that every key,
 * Ctrl-C included, reaches the command's terminal, whose line discipline
 * does what a terminal does with it) and put back when the relay stops,
 * and its window size follows the user's terminal (SIGWINCH). Otherwise
 * the bytes are relayed as they are, and the end of the input becomes an
 * end of file (VEOF) on the command's terminal.
 *
 * The master is non-blocking: a command that does not read its input must
 * not block the main loop, which answers its trapped syscalls. Input it
 * has not taken yet waits here, and standard input is not read while too
 * much waits.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "sr-pty.h"

#define CHUNK 4096
#define MAX_PENDING (64 * 1024)

struct _SrPty
{
  int             master;
  GSourceFunc     on_closed;
  gpointer        user_data;

  guint           master_in_id;    /* the command's output */
  guint           master_out_id;   /* room for pending input */
  guint           stdin_id;
  guint           winch_id;
  GByteArray     *pending;         /* input the command has not taken yet */
  gboolean        stdin_done;      /* end of file (or error) on stdin */
  gboolean        eof_sent;
  gboolean        closed;          /* every process closed its terminal */
  char            last_input;      /* the last byte passed on */

  gboolean        terminal_input;  /* stdin is a terminal */
  gboolean        raw;             /* which we made raw, until restored */
  struct termios  saved_modes;
};

static void update_stdin_watch (SrPty *pty);
static void update_master_out_watch (SrPty *pty);

/* Writes all of @data to the blocking descriptor @fd; FALSE on an error
 * or a descriptor that takes nothing more. */
gboolean
sr_write_all (int         fd,
              const char *data,
              gsize       size)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* At the end of a non-terminal input: VEOF, twice after a partial line
 * (the first ends the line, the second is the end of file). */
static void
queue_eof (SrPty *pty)
{
  struct termios modes;
  char eof = 4;   /* Ctrl-D */

  if (pty->eof_sent || pty->terminal_input)
    return;
  pty->eof_sent = TRUE;
  if (tcgetattr (pty->master, &modes) == 0 && modes.c_cc[VEOF] != _POSIX_VDISABLE)
    eof = (char) modes.c_cc[VEOF];
  if (pty->last_input != '\0' && pty->last_input != '\n')
    g_byte_array_append (pty->pending, (const guint8 *) &eof, 1);
  g_byte_array_append (pty->pending, (const guint8 *) &eof, 1);
}

static void
flush_pending (SrPty *pty)
{
  while (pty->pending->len > 0)
    {
      gssize n = write (pty->master, pty->pending->data, pty->pending->len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        break;
      if (n <= 0)
        {
          /* The terminal is gone: nothing more goes in. */
          g_byte_array_set_size (pty->pending, 0);
          pty->stdin_done = TRUE;
          break;
        }
      g_byte_array_remove_range (pty->pending, 0, (guint) n);
    }
  update_master_out_watch (pty);
  update_stdin_watch (pty);
}

static gboolean
on_master_writable (int           fd,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  SrPty *pty = user_data;

  pty->master_out_id = 0;
  flush_pending (pty);
  return G_SOURCE_REMOVE;
}

/* Adds or removes the watch *@id of @fd as @wanted says. */
static void
set_watch (guint             *id,
           gboolean           wanted,
           int                fd,
           GIOCondition       condition,
           GUnixFDSourceFunc  func,
           SrPty             *pty)
{
  if (wanted && *id == 0)
    *id = g_unix_fd_add (fd, condition, func, pty);
  else if (!wanted && *id != 0)
    g_clear_handle_id (id, g_source_remove);
}

static void
update_master_out_watch (SrPty *pty)
{
  set_watch (&pty->master_out_id, pty->pending->len > 0 && !pty->closed,
             pty->master, G_IO_OUT, on_master_writable, pty);
}

static gboolean
on_stdin (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  SrPty *pty = user_data;
  char buffer[CHUNK];
  gssize n;

  do
    n = read (STDIN_FILENO, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      pty->stdin_done = TRUE;
      pty->stdin_id = 0;
      queue_eof (pty);
      flush_pending (pty);
      return G_SOURCE_REMOVE;
    }
  pty->last_input = buffer[n - 1];
  g_byte_array_append (pty->pending, (const guint8 *) buffer, (guint) n);
  flush_pending (pty);
  /* flush_pending() may have removed this watch (too much pending). */
  return pty->stdin_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
update_stdin_watch (SrPty *pty)
{
  set_watch (&pty->stdin_id, !pty->stdin_done && !pty->closed && pty->pending->len < MAX_PENDING,
             STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, pty);
}

static gboolean
on_master_readable (int           fd,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  SrPty *pty = user_data;
  char buffer[CHUNK];
  gssize n;

  do
    n = read (pty->master, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);

  if (n < 0 && errno == EAGAIN)
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      /* A closed standard output does not end the command's run. */
      (void) sr_write_all (STDOUT_FILENO, buffer, (gsize) n);
      return G_SOURCE_CONTINUE;
    }

  /* EIO (or 0): every process of the sandbox closed its terminal, and
   * what they wrote has been passed on. */
  pty->master_in_id = 0;
  pty->closed = TRUE;
  update_master_out_watch (pty);
  update_stdin_watch (pty);
  if (pty->on_closed != NULL)
    pty->on_closed (pty->user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_window_change (gpointer user_data)
{
  SrPty *pty = user_data;
  struct winsize size;

  /* TIOCSWINSZ on the master signals the command's foreground group. */
  if (ioctl (STDIN_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0)
    ioctl (pty->master, TIOCSWINSZ, &size);
  return G_SOURCE_CONTINUE;
}

/* Returns: the relay; @on_closed is called once the command's terminal
 * is closed by every process and drained. */
SrPty *
sr_pty_start (int          master,
              GSourceFunc  on_closed,
              gpointer     user_data)
{
  SrPty *pty = g_new0 (SrPty, 1);
  int flags;

  pty->master = master;
  pty->on_closed = on_closed;
  pty->user_data = user_data;
  pty->pending = g_byte_array_new ();

  flags = fcntl (master, F_GETFL);
  if (flags >= 0)
    fcntl (master, F_SETFL, flags | O_NONBLOCK);

  pty->terminal_input = isatty (STDIN_FILENO);
  if (pty->terminal_input && tcgetattr (STDIN_FILENO, &pty->saved_modes) == 0)
    {
      struct termios raw = pty->saved_modes;

      cfmakeraw (&raw);
      pty->raw = tcsetattr (STDIN_FILENO, TCSADRAIN, &raw) == 0;
      pty->winch_id = g_unix_signal_add (SIGWINCH, on_window_change, pty);
      on_window_change (pty);
    }

  pty->master_in_id = g_unix_fd_add (master, G_IO_IN | G_IO_HUP | G_IO_ERR, on_master_readable, pty);
  update_stdin_watch (pty);
  return pty;
}

gboolean
sr_pty_is_closed (SrPty *pty)
{
  return pty == NULL || pty->closed;
}

/* Puts the user's terminal back as it was (early, before sandlock-run's
 * own messages), while the relay goes on. */
void
sr_pty_restore_terminal (SrPty *pty)
{
  if (pty == NULL || !pty->raw)
    return;
  tcsetattr (STDIN_FILENO, TCSADRAIN, &pty->saved_modes);
  pty->raw = FALSE;
}

/* Stops relaying and puts the user's terminal back as it was. */
void
sr_pty_stop (SrPty *pty)
{
  if (pty == NULL)
    return;
  sr_pty_restore_terminal (pty);
  g_clear_handle_id (&pty->master_in_id, g_source_remove);
  g_clear_handle_id (&pty->master_out_id, g_source_remove);
  g_clear_handle_id (&pty->stdin_id, g_source_remove);
  g_clear_handle_id (&pty->winch_id, g_source_remove);
  g_byte_array_unref (pty->pending);
  g_free (pty);
}
