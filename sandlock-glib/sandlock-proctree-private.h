/* sandlock-proctree-private.h: the processes of a sandbox, from /proc
 *
 * Every process of a sandbox descends from its helper, a child subreaper
 * that inherits every orphan: the sandbox's processes are the helper's
 * descendants, read from /proc/PID/task/TID/children. A pid read there may
 * be gone (and reused) by the time it is used: act on a pidfd, and check
 * it is still a descendant after opening it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* The descendants of @root now (pid_t, @root excluded), at most @ceiling. */
GArray  *sandlock_proctree_descendants (pid_t root,
                                        guint ceiling);

/* Reads /proc/@pid/@name (one read) into @text (@size bytes,
 * NUL-terminated): its length, or -1 with errno set (an empty read sets
 * EIO). @pid may be a thread's id. */
gssize   sandlock_proctree_read        (pid_t       pid,
                                        const char *name,
                                        char       *text,
                                        gsize       size);

/* Reads /proc/@pid/stat into @text (@size bytes) and returns its fields
 * after "PID (COMM) ", from the state on; NULL when @pid is gone or the
 * line is cut short. */
const char *sandlock_proctree_read_stat (pid_t  pid,
                                         char  *text,
                                         gsize  size);

/* Whether @pid descends from @root now, by its chain of parents. */
gboolean sandlock_proctree_descends    (pid_t pid,
                                        pid_t root);

G_END_DECLS
