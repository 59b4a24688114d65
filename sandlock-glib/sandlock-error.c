/* sandlock-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "sandlock-error.h"

/**
 * SECTION:sandlock-error
 * @title: Errors
 * @short_description: the SANDLOCK_ERROR domain
 *
 * Failures of sandlock-glib are reported as #GError values in the
 * %SANDLOCK_ERROR domain, with a #SandlockError code and a message that
 * names what failed (the path, the port, the syscall, the setup step and
 * its errno).
 *
 * Through GObject Introspection the domain is `Sandlock.Error`: Python
 * receives `GLib.Error` exceptions to test with
 * `err.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_POLICY)`, gjs
 * throws `Sandlock.Error` instances and Vala gets an `errordomain`.
 *
 * A handler reports its own failure by returning %NULL with a #GError of
 * any domain set; the handler's #SandlockHandler:exception-policy then
 * answers the syscall, and #SandlockSandbox::handler-error carries the
 * error.
 */

/**
 * sandlock_error_quark:
 *
 * The quark of the %SANDLOCK_ERROR domain.
 *
 * Returns: the error domain quark
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (sandlock-error-quark, sandlock_error)
