/* sandlock-preset.h: named sets of paths a sandbox commonly needs
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
 * SandlockPreset:
 * @SANDLOCK_PRESET_NONE: no preset.
 * @SANDLOCK_PRESET_SYSTEM: read access to the system's programs and
 *   libraries (`/usr`, `/bin`, `/sbin`, `/lib`, `/lib32`, `/lib64`,
 *   `/libx32`), the dynamic loader's configuration (`/etc/ld.so.cache`,
 *   `/etc/ld.so.conf`, `/etc/ld.so.conf.d`), locale and time zone
 *   (`/etc/locale.alias`, `/etc/locale.conf`, `/etc/default/locale`,
 *   `/etc/localtime`, `/etc/timezone`), TLS certificates (`/etc/ssl`,
 *   `/etc/ca-certificates`, `/etc/pki`, `/etc/crypto-policies`), user,
 *   group and host name look-ups (`/etc/passwd`, `/etc/group`,
 *   `/etc/nsswitch.conf`, `/etc/host.conf`, `/etc/hosts`,
 *   `/etc/resolv.conf`, `/etc/gai.conf`, `/etc/hostname`), and
 *   `/etc/os-release`, `/etc/mime.types`, `/etc/alternatives`. Not the rest
 *   of `/etc` (`/etc/shadow`, keys, configuration of services).
 * @SANDLOCK_PRESET_DEVICES: read and write access to the harmless devices
 *   `/dev/null`, `/dev/zero`, `/dev/full`, `/dev/random` and
 *   `/dev/urandom`, so that `cmd >/dev/null` works.
 * @SANDLOCK_PRESET_TTY: read and write access to `/dev/tty`, the
 *   controlling terminal: the application's, unless #SandlockSandbox:pty
 *   gives the command a private one (which grants `/dev/tty` by itself).
 *   Typing into it with `TIOCSTI` stays refused, but a command can change
 *   the application's terminal's modes and size and write to it: prefer
 *   #SandlockSandbox:pty for interactive commands.
 * @SANDLOCK_PRESET_FLATPAK: read access to a Flatpak's application
 *   (`/app`) and its runtime (`/usr`), for code running inside a Flatpak
 *   sandbox.
 *
 * Named sets of paths, added to #SandlockSandbox:fs-readable or
 * #SandlockSandbox:fs-writable by sandlock_sandbox_add_preset(). Only the
 * paths that exist on the running machine are added, each with its
 * symbolic links resolved (`/lib` on a merged-`/usr` system is added as
 * `/usr/lib`, which `/usr` already covers); missing ones are skipped.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/ {
  SANDLOCK_PRESET_NONE    = 0,
  SANDLOCK_PRESET_SYSTEM  = 1 << 0,
  SANDLOCK_PRESET_DEVICES = 1 << 1,
  SANDLOCK_PRESET_TTY     = 1 << 2,
  SANDLOCK_PRESET_FLATPAK = 1 << 3,
} SandlockPreset;

G_END_DECLS
