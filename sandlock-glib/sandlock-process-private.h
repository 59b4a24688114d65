/* sandlock-process-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "sandlock-launch-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-process.h"

G_BEGIN_DECLS

/* Launches @argv under @policy (with a launcher's @options, or NULL) and
 * watches it from the thread-default main context. */
SandlockProcess *sandlock_process_new (SandlockPolicy               *policy,
                                       const char * const           *argv,
                                       GSubprocessFlags              flags,
                                       const SandlockLaunchOptions  *options,
                                       GError                      **error);

/* sandlock_process_new() with the launch's handshake in a worker thread:
 * the caller's loop never blocks on it. The process is watched from the
 * thread-default context of this call. The GTask has @source_object and
 * @source_tag; sandlock_process_launch_finish() returns the process, or
 * NULL (cancelled: the process was killed). */
void             sandlock_process_launch_async  (SandlockPolicy               *policy,
                                                 const char * const           *argv,
                                                 GSubprocessFlags              flags,
                                                 const SandlockLaunchOptions  *options,
                                                 gpointer                      source_object,
                                                 gpointer                      source_tag,
                                                 GCancellable                 *cancellable,
                                                 GAsyncReadyCallback           callback,
                                                 gpointer                      user_data);
SandlockProcess *sandlock_process_launch_finish (GAsyncResult                 *result,
                                                 GError                      **error);

/* Whether nothing of the process is left on its main context: it was
 * reaped and every source watching it is gone. */
gboolean         sandlock_process_is_detached (SandlockProcess *self);

/* sandlock_process_communicate_finish() for run(): output beyond the
 * policy's max_output is not an error here; both streams come back
 * truncated to the limit (or empty, never NULL when piped) and
 * sandlock_process_get_output_limit_exceeded() says so. */
gboolean         sandlock_process_communicate_finish_kept (SandlockProcess  *self,
                                                           GAsyncResult     *result,
                                                           GBytes          **stdout_buf,
                                                           GBytes          **stderr_buf,
                                                           GError          **error);

G_END_DECLS
