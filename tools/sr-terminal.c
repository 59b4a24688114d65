/* sr-terminal.c: the command gets the terminal, as a shell's job would
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "sr-terminal.h"

/* The library starts the command in a process group of its own. Left in
 * the background it would be stopped (SIGTTIN) as soon as it reads the
 * terminal, and Ctrl-C would not reach it. So when sandlock-run runs in the
 * foreground of its terminal, it hands the terminal to the command's group
 * and takes it back at the end, as a shell does for a job. Not in a
 * pipeline, though: the other commands of the pipeline share sandlock-run's
 * group and may need the terminal too (a pager); there Ctrl-C reaches
 * sandlock-run, which passes it on.
 *
 * Ctrl-Z then stops the command's group, which sandlock-run cannot wait
 * for (the library's helper is its parent): it polls the command's state,
 * and when it sees it stopped, takes the terminal back and stops itself,
 * so the shell sees the job stopped; once continued, it gives the
 * terminal back (when in the foreground again) and continues the group. */

#define POLL_INTERVAL_MS 200

struct _SrTerminal
{
  int             fd;
  pid_t           pgid;
  guint           poll_id;
  struct termios  modes;
  gboolean        have_modes;
};

static gboolean
is_stopped (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  const char *end;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  /* "pid (comm) S ...": comm may hold anything, ")" included. */
  end = strrchr (contents, ')');
  return end != NULL && end[1] == ' ' && end[2] == 'T';
}

static gboolean
on_poll (gpointer user_data)
{
  SrTerminal *terminal = user_data;

  if (!is_stopped (terminal->pgid))
    return G_SOURCE_CONTINUE;

  tcsetpgrp (terminal->fd, getpgrp ());
  raise (SIGSTOP);

  /* Continued: by "fg" (the terminal is ours again) or by "bg". */
  if (tcgetpgrp (terminal->fd) == getpgrp ())
    tcsetpgrp (terminal->fd, terminal->pgid);
  kill (-terminal->pgid, SIGCONT);
  return G_SOURCE_CONTINUE;
}

static gboolean
in_pipeline (void)
{
  for (int fd = 0; fd <= 2; fd++)
    {
      struct stat st;

      if (fstat (fd, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
        return TRUE;
    }
  return FALSE;
}

/* Returns: (nullable): the handed-over terminal, or %NULL when sandlock-run
 * has no controlling terminal, is not in its foreground, or is part of a
 * pipeline */
SrTerminal *
sr_terminal_hand_over (GPid pid)
{
  SrTerminal *terminal;
  int fd;

  if (in_pipeline ())
    return NULL;

  fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return NULL;

  if (tcgetpgrp (fd) != getpgrp () || getpgid (pid) != pid)
    {
      close (fd);
      return NULL;
    }

  /* In the background, sandlock-run still writes (the audit) and takes the
   * terminal back: SIGTTOU must not stop it. The command starts with every
   * signal at its default, whatever is ignored here. */
  signal (SIGTTOU, SIG_IGN);

  terminal = g_new0 (SrTerminal, 1);
  terminal->fd = fd;
  terminal->pgid = pid;
  terminal->have_modes = tcgetattr (fd, &terminal->modes) == 0;

  if (tcsetpgrp (fd, pid) != 0)
    {
      close (fd);
      g_free (terminal);
      return NULL;
    }
  /* Had it read the terminal before it was its own, it was stopped. */
  kill (-terminal->pgid, SIGCONT);

  terminal->poll_id = g_timeout_add (POLL_INTERVAL_MS, on_poll, terminal);
  return terminal;
}

/* Takes the terminal back and puts it as it was when handed over: its
 * modes, whatever the command did to them (a shell keeps the changes of a
 * job that exited normally, but a sandboxed command's changes must not
 * outlive it: echo switched off, keys redefined), and its output flowing
 * (a command may have stopped it with TCXONC/TCOOFF). */
void
sr_terminal_take_back (SrTerminal *terminal)
{
  if (terminal == NULL)
    return;

  g_source_remove (terminal->poll_id);
  tcsetpgrp (terminal->fd, getpgrp ());
  if (terminal->have_modes)
    tcsetattr (terminal->fd, TCSADRAIN, &terminal->modes);
  tcflow (terminal->fd, TCOON);
  close (terminal->fd);
  g_free (terminal);
}
