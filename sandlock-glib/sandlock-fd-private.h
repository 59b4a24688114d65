/* sandlock-fd-private.h: file descriptors and libseccomp contexts owned by
 * a variable
 *
 * GLib 2.74 has no g_autofd (2.80) nor g_clear_fd (2.76). A variable
 * declared sandlock_autofd is closed when it goes out of scope, unless its
 * descriptor was given away with g_steal_fd() (GLib 2.70):
 *
 *   sandlock_autofd int fd = open (...);
 *   if (fd < 0)
 *     return FALSE;
 *   ...
 *   return g_steal_fd (&fd);
 *
 * Closing keeps errno, so a function may close on its way out after a
 * failure and still report the failure's errno.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <errno.h>
#include <glib.h>
#include <seccomp.h>
#include <unistd.h>

G_BEGIN_DECLS

/* Closes *@fd if it is open, sets it to -1 and leaves errno as it was. */
static inline void
sandlock_clear_fd (int *fd)
{
  if (*fd >= 0)
    {
      int saved_errno = errno;

      close (*fd);
      errno = saved_errno;
    }
  *fd = -1;
}

#define sandlock_autofd __attribute__ ((cleanup (sandlock_clear_fd)))

/* g_auto (SandlockSeccompCtx) ctx = seccomp_init (...): released on every
 * exit. */
typedef scmp_filter_ctx SandlockSeccompCtx;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SandlockSeccompCtx, seccomp_release, NULL)

G_END_DECLS
