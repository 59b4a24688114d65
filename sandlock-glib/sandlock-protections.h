/* sandlock-protections.h: the protections a sandbox applies
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib.h>

#include "sandlock-version-macros.h"

G_BEGIN_DECLS

/**
 * SECTION:sandlock-protections
 * @title: Protections
 * @short_description: which kernel protections a sandbox runs under
 *
 * Landlock grew in steps: each ABI version of the kernel adds rights it
 * can control. #SandlockProtections names each protection sandlock-glib
 * uses and the kernel that has it. A spawn fails with
 * %SANDLOCK_ERROR_UNSUPPORTED when the running kernel lacks one, unless
 * #SandlockSandbox:best-effort is set; sandlock_process_get_protections()
 * and #SandlockResult:protections then say what was applied.
 */

/**
 * SandlockProtections:
 * @SANDLOCK_PROTECTION_NONE: no protection.
 * @SANDLOCK_PROTECTION_SECCOMP_FILTER: the seccomp-bpf filter: the deny list,
 *   the argument filters and the architecture check. Always applied: a
 *   kernel without seccomp user notifications cannot run a sandbox at all.
 * @SANDLOCK_PROTECTION_LANDLOCK_FS: Landlock filesystem rules (Landlock ABI
 *   1, Linux 5.13): only #SandlockSandbox:fs-readable and
 *   #SandlockSandbox:fs-writable are reachable.
 * @SANDLOCK_PROTECTION_LANDLOCK_FS_TRUNCATE: truncation is a controlled
 *   right (Landlock ABI 3, Linux 6.2); without it readable files can be
 *   truncated.
 * @SANDLOCK_PROTECTION_LANDLOCK_NET_TCP: TCP bind and connect are limited to
 *   #SandlockSandbox:net-bind and #SandlockSandbox:net-connect (Landlock ABI
 *   4, Linux 6.7).
 * @SANDLOCK_PROTECTION_LANDLOCK_FS_IOCTL_DEV: ioctl on device files opened
 *   in the sandbox is a controlled right (Landlock ABI 5, Linux 6.10).
 * @SANDLOCK_PROTECTION_LANDLOCK_SCOPE_ABSTRACT_UNIX: abstract unix sockets
 *   created outside the sandbox cannot be connected to (Landlock ABI 6,
 *   Linux 6.12).
 * @SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL: signals to processes outside
 *   the sandbox are refused (Landlock ABI 6, Linux 6.12).
 * @SANDLOCK_PROTECTION_LANDLOCK_FS_RESOLVE_UNIX: Landlock itself limits the
 *   pathname unix sockets the command can reach to
 *   #SandlockSandbox:unix-connect, sockets beneath
 *   #SandlockSandbox:fs-writable and sockets created in the sandbox
 *   (Landlock ABI 9, Linux 7.1). Optional: without it the library's
 *   egress guard alone enforces #SandlockSandbox:unix-connect, on every
 *   kernel, and it still decides and performs every call where Landlock
 *   has the right, which then bounds anything that would bypass the guard.
 *
 * The protections a #SandlockProcess runs under. Without
 * #SandlockSandbox:best-effort a spawn fails unless every one of them can
 * be applied; with it, missing ones are skipped and left out of
 * sandlock_process_get_protections().
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  SANDLOCK_PROTECTION_NONE = 0,
  SANDLOCK_PROTECTION_SECCOMP_FILTER = 1 << 0,
  SANDLOCK_PROTECTION_LANDLOCK_FS = 1 << 1,
  SANDLOCK_PROTECTION_LANDLOCK_FS_TRUNCATE = 1 << 2,
  SANDLOCK_PROTECTION_LANDLOCK_NET_TCP = 1 << 3,
  SANDLOCK_PROTECTION_LANDLOCK_FS_IOCTL_DEV = 1 << 4,
  SANDLOCK_PROTECTION_LANDLOCK_SCOPE_ABSTRACT_UNIX = 1 << 5,
  SANDLOCK_PROTECTION_LANDLOCK_SCOPE_SIGNAL = 1 << 6,
  SANDLOCK_PROTECTION_LANDLOCK_FS_RESOLVE_UNIX = 1 << 7,
} SandlockProtections;

G_END_DECLS
