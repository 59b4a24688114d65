/* sandlock-process.h: a running confined command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <gio/gio.h>

#include "sandlock-limits.h"
#include "sandlock-protections.h"
#include "sandlock-version-macros.h"

G_BEGIN_DECLS

#define SANDLOCK_TYPE_PROCESS (sandlock_process_get_type ())

SANDLOCK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SandlockProcess, sandlock_process, SANDLOCK, PROCESS, GObject)

SANDLOCK_AVAILABLE_IN_ALL
const char          *sandlock_process_get_identifier     (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
GPid                 sandlock_process_get_pid            (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockProtections  sandlock_process_get_protections    (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_process_get_landlock_abi   (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_process_get_pty_fd         (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
GOutputStream       *sandlock_process_get_stdin_pipe     (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
GInputStream        *sandlock_process_get_stdout_pipe    (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
GInputStream        *sandlock_process_get_stderr_pipe    (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_process_send_signal        (SandlockProcess      *self,
                                                          int                   signal_num);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_process_force_exit         (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_wait               (SandlockProcess      *self,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_process_wait_async         (SandlockProcess      *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_wait_finish        (SandlockProcess      *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_wait_check         (SandlockProcess      *self,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_process_wait_check_async   (SandlockProcess      *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_wait_check_finish  (SandlockProcess      *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_get_has_exited     (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_process_get_status         (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_get_successful     (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_get_if_exited      (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_process_get_exit_status    (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_get_if_signaled    (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
int                  sandlock_process_get_term_sig       (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_get_timed_out      (SandlockProcess      *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_get_output_limit_exceeded (SandlockProcess *self);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_communicate        (SandlockProcess      *self,
                                                          GBytes               *stdin_buf,
                                                          GCancellable         *cancellable,
                                                          GBytes              **stdout_buf,
                                                          GBytes              **stderr_buf,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_process_communicate_async  (SandlockProcess      *self,
                                                          GBytes               *stdin_buf,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_communicate_finish (SandlockProcess      *self,
                                                          GAsyncResult         *result,
                                                          GBytes              **stdout_buf,
                                                          GBytes              **stderr_buf,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_communicate_utf8   (SandlockProcess      *self,
                                                          const char           *stdin_buf,
                                                          GCancellable         *cancellable,
                                                          char                **stdout_buf,
                                                          char                **stderr_buf,
                                                          GError              **error);
SANDLOCK_AVAILABLE_IN_ALL
void                 sandlock_process_communicate_utf8_async  (SandlockProcess      *self,
                                                               const char           *stdin_buf,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
SANDLOCK_AVAILABLE_IN_ALL
gboolean             sandlock_process_communicate_utf8_finish (SandlockProcess      *self,
                                                               GAsyncResult         *result,
                                                               char                **stdout_buf,
                                                               char                **stderr_buf,
                                                               GError              **error);

SANDLOCK_AVAILABLE_IN_ALL
SandlockLimitMechanism sandlock_process_get_limit_mechanism (SandlockProcess *self,
                                                             SandlockLimits   limit);
SANDLOCK_AVAILABLE_IN_ALL
gboolean         sandlock_process_get_oom_killed           (SandlockProcess *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockLimitMechanism sandlock_process_get_kill_mechanism (SandlockProcess *self);
SANDLOCK_AVAILABLE_IN_ALL
SandlockLimits   sandlock_process_get_limits_reached       (SandlockProcess *self);

G_END_DECLS
