/* sandlock-error.h: the SANDLOCK_ERROR domain
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
 * SANDLOCK_ERROR:
 *
 * The error domain of sandlock-glib. Errors in this domain carry a
 * #SandlockError code.
 *
 * Since: 1.0
 */
#define SANDLOCK_ERROR (sandlock_error_quark ())

/**
 * SandlockError:
 * @SANDLOCK_ERROR_FAILED: a generic failure; the message says what failed.
 * @SANDLOCK_ERROR_INVALID_POLICY: a policy value is malformed (a relative or
 *   missing path, a bad port or range, an environment entry without `=`, an
 *   unknown syscall name). The message names the offending value. Nothing
 *   was started.
 * @SANDLOCK_ERROR_UNSUPPORTED: the running kernel lacks a protection the
 *   policy needs; the message names it and the kernel's Landlock ABI. Set
 *   #SandlockSandbox:best-effort to run without it.
 * @SANDLOCK_ERROR_INVALID_SYSCALL: a syscall name or number is negative or
 *   unknown on the native architecture.
 * @SANDLOCK_ERROR_DENIED_SYSCALL: a handler was registered on a syscall the
 *   filter always denies (the deny list, #SandlockSandbox:extra-deny-syscalls,
 *   `clone3`) or must never trap (`exit`, `exit_group`).
 * @SANDLOCK_ERROR_SPAWN_FAILED: the confined command could not be started:
 *   the binary is missing, Landlock denied its execution, or setting up the
 *   sandbox failed. The message names argv[0] and the error.
 * @SANDLOCK_ERROR_TIMED_OUT: the command ran longer than
 *   #SandlockSandbox:timeout and was killed.
 * @SANDLOCK_ERROR_HANDLER_FAILED: a handler returned no action and no error
 *   (usually a language binding swallowed an exception), or returned an
 *   action that cannot answer a notification.
 * @SANDLOCK_ERROR_NOTIFICATION_GONE: the notification is no longer pending:
 *   it was answered already, or the thread that made the syscall died.
 * @SANDLOCK_ERROR_MEMORY_ACCESS: reading or writing the child's memory
 *   failed (an unmapped address, a short write).
 * @SANDLOCK_ERROR_STRING_TOO_LONG: a string in the child's memory has no NUL
 *   terminator within the requested maximum length.
 * @SANDLOCK_ERROR_WRONG_CONTEXT: the call must be made from the thread
 *   running the main context the process was spawned on.
 * @SANDLOCK_ERROR_OUTPUT_LIMIT: the command wrote more than
 *   #SandlockSandbox:max-output bytes to a captured stream (its standard
 *   output or error, read by sandlock_process_communicate() or
 *   sandlock_sandbox_run()) and was killed.
 * @SANDLOCK_ERROR_TOO_MANY_FILES: the spawn was refused, with nothing
 *   started, because the application is near its limit of open descriptors
 *   (the soft `RLIMIT_NOFILE`): a running sandbox holds 2 of them (its
 *   seccomp listener and its helper's control socket), plus one a pipe, and
 *   a spawn leaves at least max(32, 1/16 of the limit) free for the
 *   application's own code. Let sandboxes end, or raise the soft limit.
 *
 * Error codes of the %SANDLOCK_ERROR domain.
 *
 * Since: 1.0
 */
typedef enum {
  SANDLOCK_ERROR_FAILED,
  SANDLOCK_ERROR_INVALID_POLICY,
  SANDLOCK_ERROR_UNSUPPORTED,
  SANDLOCK_ERROR_INVALID_SYSCALL,
  SANDLOCK_ERROR_DENIED_SYSCALL,
  SANDLOCK_ERROR_SPAWN_FAILED,
  SANDLOCK_ERROR_TIMED_OUT,
  SANDLOCK_ERROR_HANDLER_FAILED,
  SANDLOCK_ERROR_NOTIFICATION_GONE,
  SANDLOCK_ERROR_MEMORY_ACCESS,
  SANDLOCK_ERROR_STRING_TOO_LONG,
  SANDLOCK_ERROR_WRONG_CONTEXT,
  SANDLOCK_ERROR_OUTPUT_LIMIT,
  SANDLOCK_ERROR_TOO_MANY_FILES,
} SandlockError;

SANDLOCK_AVAILABLE_IN_ALL
GQuark sandlock_error_quark (void);

G_END_DECLS
