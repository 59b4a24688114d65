/* sandlock-stdio-private.h: the standard input and output a command gets
 *
 * Decides, from the spawn flags (GSubprocessFlags), which descriptors become
 * a command's 0, 1 and 2: the application's own, /dev/null, or pipes whose
 * other ends the application keeps. Runs in the application before the
 * helper starts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  int child_ends[3];   /* what the child gets as 0, 1, 2 */
  int parent_ends[3];  /* our ends of pipes, or -1 */
  gboolean child_end_is_pipe[3];  /* ours to close; not an inherited one */
  int dev_null;
} SandlockStdio;

/* Opens /dev/null, for good, on each of the descriptors 0, 1 and 2 that
 * the application has closed. Left free, those numbers go to whatever is
 * opened next (a Landlock ruleset, a listener, GLib's eventfds and pidfds)
 * in any thread, which would then pass for the application's standard I/O
 * and be handed to commands that inherit it. Called by every entry point
 * that spawns, and when a sandbox is made. */
void     sandlock_stdio_fill_closed (void);

/* Fills @stdio for @flags; a stream with a descriptor in @given (NULL, or
 * -1 for a stream, when there is none) gets that one, which stays the
 * caller's. @terminal (or -1), a private pseudo-terminal that stays the
 * caller's, replaces the default of each stream the flags leave at it
 * (/dev/null for standard input, inheritance for the others).
 * Whether it succeeds or not, the caller ends with
 * sandlock_stdio_clear(). */
gboolean sandlock_stdio_setup       (GSubprocessFlags   flags,
                                     const int         *given,
                                     int                terminal,
                                     SandlockStdio     *stdio,
                                     GError           **error);

/* Closes the pipes and /dev/null of @stdio that are still there; never an
 * inherited descriptor of the application. */
void     sandlock_stdio_clear       (SandlockStdio     *stdio);

G_END_DECLS
