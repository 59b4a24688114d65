/* sandlock-denied-private.h: compiling fs-denied into Landlock rules
 *
 * Landlock can only allow, and a rule on a directory covers everything
 * beneath it. A granted root R with a denied path D beneath it is
 * therefore granted entry by entry along the path from R to D: at each
 * directory on the way, every entry but the one leading to D gets the
 * root's rights (directories as trees, files on their own), and the
 * directory itself gets none. D is never covered by a rule; the
 * directories on the way can be walked through but neither listed nor
 * changed (no entry created, removed or renamed in them). The kernel
 * enforces all of it, at no cost per syscall.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The canonical forms of @paths (fs-denied): symbolic links of the
 * existing part resolved, a missing tail kept as given (it may be created
 * later, and stays denied). Other names the mounts of this machine give
 * to a denied directory or to one of its ancestors (bind mounts) are
 * added. Fails with SANDLOCK_ERROR_INVALID_POLICY for a relative path, a
 * tail with "." or "..", or a denied file that has hard links outside the
 * denied paths (a name Landlock would grant). */
GPtrArray *sandlock_denied_compile   (const char * const  *paths,
                                      GError             **error);

/* Adds the Landlock rules of granted root @root (of option @what) with
 * @rights (@file_rights for files), except the @denied paths (canonical,
 * from sandlock_denied_compile()) and, with @hide_pids (a private /proc),
 * the processes' directories /proc/<pid>, whatever process they belong
 * to now or later. A root beneath a denied path gets no rule at all. */
gboolean   sandlock_denied_add_root  (int                  ruleset_fd,
                                      const char          *what,
                                      const char          *root,
                                      guint64              rights,
                                      guint64              file_rights,
                                      GPtrArray           *denied,
                                      gboolean             hide_pids,
                                      GError             **error);

/* Whether one of the canonical forms of @paths is /proc, beneath it or
 * above it (a root that reaches the processes' directories). */
gboolean   sandlock_denied_reaches_proc (const char * const *paths);

/* Whether canonical @path is a denied path or beneath one. */
gboolean   sandlock_denied_covers    (GPtrArray           *denied,
                                      const char          *path);

G_END_DECLS
