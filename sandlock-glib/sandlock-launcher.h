/* sandlock-launcher.h: spawning with descriptors, streams, environment and
 * working directory of one's choosing, as with GSubprocessLauncher
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <gio/gio.h>

#include "sandlock-process.h"
#include "sandlock-sandbox.h"
#include "sandlock-version-macros.h"

G_BEGIN_DECLS

#define SANDLOCK_TYPE_LAUNCHER (sandlock_launcher_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SandlockLauncher, sandlock_launcher, SANDLOCK, LAUNCHER, GObject)

SANDLOCK_AVAILABLE_IN_ALL
SandlockLauncher *sandlock_launcher_new                  (SandlockSandbox      *sandbox,
                                                          GSubprocessFlags      flags);
SANDLOCK_AVAILABLE_IN_ALL
SandlockSandbox  *sandlock_launcher_get_sandbox          (SandlockLauncher     *self);
SANDLOCK_AVAILABLE_IN_ALL
GSubprocessFlags  sandlock_launcher_get_flags            (SandlockLauncher     *self);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_set_flags            (SandlockLauncher     *self,
                                                          GSubprocessFlags      flags);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_setenv               (SandlockLauncher     *self,
                                                          const char           *variable,
                                                          const char           *value,
                                                          gboolean              overwrite);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_unsetenv             (SandlockLauncher     *self,
                                                          const char           *variable);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_set_cwd              (SandlockLauncher     *self,
                                                          const char           *cwd);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_take_fd              (SandlockLauncher     *self,
                                                          int                   source_fd,
                                                          int                   target_fd);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_take_stdin_fd        (SandlockLauncher     *self,
                                                          int                   fd);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_take_stdout_fd       (SandlockLauncher     *self,
                                                          int                   fd);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_take_stderr_fd       (SandlockLauncher     *self,
                                                          int                   fd);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_set_stdin_file_path  (SandlockLauncher     *self,
                                                          const char           *path);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_set_stdout_file_path (SandlockLauncher     *self,
                                                          const char           *path);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_set_stderr_file_path (SandlockLauncher     *self,
                                                          const char           *path);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_close                (SandlockLauncher     *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockProcess  *sandlock_launcher_spawnv               (SandlockLauncher     *self,
                                                          const char * const   *argv,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void              sandlock_launcher_spawnv_async         (SandlockLauncher     *self,
                                                          const char * const   *argv,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
SandlockProcess  *sandlock_launcher_spawnv_finish        (SandlockLauncher     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
