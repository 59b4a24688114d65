/* sandlock-resolve-private.h: resolving a command's path in the supervisor
 *
 * What the guards that act on a path (metadata, inotify) share: the path
 * is read once from the command's memory (by the guard), looked up by the
 * supervisor from its own copy of the command's working directory or
 * descriptor, into an O_PATH descriptor (an inode, not a name), and that
 * inode is compared with the roots the policy granted.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <linux/seccomp.h>

G_BEGIN_DECLS

/* The supervisor's own copy of what a relative path of the command starts
 * from: its working directory (@dirfd AT_FDCWD) or its descriptor @dirfd,
 * checked with SECCOMP_IOCTL_NOTIF_ID_VALID. -1 with errno (EBADF for a
 * negative @dirfd). */
int      sandlock_resolve_base    (int                         listener_fd,
                                   const struct seccomp_notif *request,
                                   int                         dirfd);

/* The supervisor's O_PATH descriptor of @path as the trapping thread would
 * name it: relative to its working directory (AT_FDCWD) or to its
 * descriptor @dirfd, not following a last symbolic link when @nofollow,
 * following no magic link (ELOOP) but the command's own
 * /proc/self/fd/N, which stands for its descriptor N (taken with
 * pidfd_getfd()). -1 with errno. */
int      sandlock_resolve_path    (int                         listener_fd,
                                   const struct seccomp_notif *request,
                                   int                         dirfd,
                                   const char                 *path,
                                   gboolean                    nofollow);

/* The fast way for an absolute @path named beneath one of the @n_roots
 * roots @root_fds (names @root_names): the rest of @path resolved from
 * that root's descriptor with RESOLVE_BENEATH, following symbolic links
 * that stay beneath it (not a last one when @nofollow) and no magic link.
 * An O_PATH descriptor of an inode beneath that root by construction, or
 * -1 (errno ENOENT) when the path is relative, in /proc, names no root,
 * or leaves its root on the way (an absolute symbolic link, ".."): then
 * resolve it the slow way, sandlock_resolve_path() and
 * sandlock_resolve_beneath(). The same inode the kernel finds for @path
 * as long as the root still has its name; if the application renamed a
 * root or mounted over it since, the old directory, which the Landlock
 * rule grants. */
int      sandlock_resolve_path_beneath (const char   *path,
                                        gboolean      nofollow,
                                        const int    *root_fds,
                                        char * const *root_names,
                                        guint         n_roots);

/* Whether O_PATH descriptor @fd names an inode beneath (or at) one of the
 * @n_roots roots @root_fds, whose names as /proc/self/fd tells them are
 * @root_names. */
gboolean sandlock_resolve_beneath (int                         fd,
                                   const int                  *root_fds,
                                   char * const               *root_names,
                                   guint                       n_roots);

/* Whether descriptor @fd names a path that fs-denied covers (@denied,
 * canonical, from sandlock_denied_compile()), by the name /proc/self/fd
 * gives it (a deleted file's name ends in " (deleted)", still beneath its
 * directory). A pipe, socket or anonymous inode has no path: FALSE. */
gboolean sandlock_resolve_denied  (int                         fd,
                                   GPtrArray                  *denied);

G_END_DECLS
