/* sr-pty.h: --pty, between the user's terminal and the command's own
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SrPty SrPty;

SrPty    *sr_pty_start (int            master,
                        GSourceFunc    on_closed,
                        gpointer       user_data);
gboolean  sr_pty_is_closed (SrPty     *pty);
void      sr_pty_restore_terminal (SrPty *pty);
void      sr_pty_stop  (SrPty         *pty);

gboolean  sr_write_all (int         fd,
                        const char *data,
                        gsize       size);

G_END_DECLS
