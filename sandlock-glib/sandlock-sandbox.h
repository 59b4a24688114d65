/* sandlock-sandbox.h: a confinement policy and the processes it spawns
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <gio/gio.h>

#include "sandlock-handler.h"
#include "sandlock-preset.h"
#include "sandlock-process.h"
#include "sandlock-result.h"
#include "sandlock-version-macros.h"

G_BEGIN_DECLS

#define SANDLOCK_TYPE_SANDBOX (sandlock_sandbox_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SandlockSandbox, sandlock_sandbox, SANDLOCK, SANDBOX, GObject)

SANDLOCK_AVAILABLE_IN_ALL
SandlockSandbox     *sandlock_sandbox_new                     (void);

SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_fs_readable         (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_fs_readable         (SandlockSandbox      *self,
                                                               const char * const   *paths);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_fs_writable         (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_fs_writable         (SandlockSandbox      *self,
                                                               const char * const   *paths);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_fs_denied           (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_fs_denied           (SandlockSandbox      *self,
                                                               const char * const   *paths);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_net_bind            (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_net_bind            (SandlockSandbox      *self,
                                                               const char * const   *ports);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_net_connect         (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_net_connect         (SandlockSandbox      *self,
                                                               const char * const   *ports);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_net_allow           (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_net_allow           (SandlockSandbox      *self,
                                                               const char * const   *rules);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_net_deny            (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_net_deny            (SandlockSandbox      *self,
                                                               const char * const   *rules);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_unix_connect        (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_unix_connect        (SandlockSandbox      *self,
                                                               const char * const   *paths);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_env                 (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_env                 (SandlockSandbox      *self,
                                                               const char * const   *env);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_get_clean_env           (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_clean_env           (SandlockSandbox      *self,
                                                               gboolean              clean_env);
SANDLOCK_AVAILABLE_IN_ALL
const char          *sandlock_sandbox_get_cwd                 (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_cwd                 (SandlockSandbox      *self,
                                                               const char           *cwd);
SANDLOCK_AVAILABLE_IN_ALL
guint                sandlock_sandbox_get_timeout             (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_timeout             (SandlockSandbox      *self,
                                                               guint                 seconds);
SANDLOCK_AVAILABLE_IN_ALL
guint                sandlock_sandbox_get_max_open_files      (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_max_open_files      (SandlockSandbox      *self,
                                                               guint                 max_open_files);
SANDLOCK_AVAILABLE_IN_ALL
const char * const  *sandlock_sandbox_get_extra_deny_syscalls (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_extra_deny_syscalls (SandlockSandbox      *self,
                                                               const char * const   *names);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_get_best_effort         (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_best_effort         (SandlockSandbox      *self,
                                                               gboolean              best_effort);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_get_pty                 (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_pty                 (SandlockSandbox      *self,
                                                               gboolean              pty);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_get_private_proc        (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_private_proc        (SandlockSandbox      *self,
                                                               gboolean              private_proc);
SANDLOCK_AVAILABLE_IN_ALL
guint                sandlock_sandbox_get_max_deferred        (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_max_deferred        (SandlockSandbox      *self,
                                                               guint                 max_deferred);
SANDLOCK_AVAILABLE_IN_ALL
guint64              sandlock_sandbox_get_max_output          (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_max_output          (SandlockSandbox      *self,
                                                              guint64               max_output);
SANDLOCK_AVAILABLE_IN_ALL
guint                sandlock_sandbox_get_max_processes       (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_max_processes       (SandlockSandbox      *self,
                                                               guint                 max_processes);
SANDLOCK_AVAILABLE_IN_ALL
guint64              sandlock_sandbox_get_max_memory          (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_max_memory          (SandlockSandbox      *self,
                                                               guint64               max_memory);
SANDLOCK_AVAILABLE_IN_ALL
guint                sandlock_sandbox_get_max_cpu             (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_max_cpu             (SandlockSandbox      *self,
                                                               guint                 percent);
SANDLOCK_AVAILABLE_IN_ALL
const char          *sandlock_sandbox_get_cpu_cores           (SandlockSandbox      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_set_cpu_cores           (SandlockSandbox      *self,
                                                               const char           *cpu_cores);

SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_add_preset              (SandlockSandbox      *self,
                                                               SandlockPreset        presets,
                                                               GError              **error);

SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_add_handler             (SandlockSandbox      *self,
                                                               const char           *syscall_name,
                                                               SandlockHandler      *handler,
                                                               GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_sandbox_add_handler_nr          (SandlockSandbox      *self,
                                                               int                   syscall_nr,
                                                               SandlockHandler      *handler,
                                                               GError              **error);

SANDLOCK_AVAILABLE_IN_ALL
SandlockProcess     *sandlock_sandbox_spawn                   (SandlockSandbox      *self,
                                                               const char * const   *argv,
                                                               GSubprocessFlags      flags,
                                                               GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_spawn_async             (SandlockSandbox      *self,
                                                               const char * const   *argv,
                                                               GSubprocessFlags      flags,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
SandlockProcess     *sandlock_sandbox_spawn_finish            (SandlockSandbox      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
SandlockResult      *sandlock_sandbox_run                     (SandlockSandbox      *self,
                                                               const char * const   *argv,
                                                               GBytes               *stdin_buf,
                                                               GCancellable         *cancellable,
                                                               GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_sandbox_run_async               (SandlockSandbox      *self,
                                                               const char * const   *argv,
                                                               GBytes               *stdin_buf,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
SandlockResult      *sandlock_sandbox_run_finish              (SandlockSandbox      *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
