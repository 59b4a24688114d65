/* sandlock-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "sandlock-error.h"

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
