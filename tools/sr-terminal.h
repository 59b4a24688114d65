/* sr-terminal.h: the command gets the terminal, as a shell's job would
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SrTerminal SrTerminal;

SrTerminal  *sr_terminal_hand_over (GPid         pid);
void         sr_terminal_take_back (SrTerminal  *terminal);

G_END_DECLS
