/* sandlock-pty-private.h: a private pseudo-terminal for a command
 *
 * Opens a new pseudo-terminal pair in the application, before the helper
 * starts (SandlockSandbox:pty). The helper hands the terminal side to the
 * child, which makes it its controlling terminal in a session of its own
 * (sandlock-launch-child.c); the application keeps the master side, owned
 * by the SandlockProcess.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Opens a pair: *@master and *@terminal (the slave side, opened with
 * O_NOCTTY, so that it never becomes the application's controlling
 * terminal), both close-on-exec and above 2. The window size is copied
 * from the application's first standard stream that is a terminal, else
 * 80x24. On failure neither is open and @error names @argv0. */
gboolean sandlock_pty_open (const char  *argv0,
                            int         *master,
                            int         *terminal,
                            GError     **error);

G_END_DECLS
