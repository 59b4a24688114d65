/* sandlock-version-macros.h: availability and deprecation macros
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined (SANDLOCK_INSIDE) && !defined (SANDLOCK_COMPILATION)
# error "Include <sandlock-glib/sandlock.h> instead of this file."
#endif

#include <glib.h>

#include "sandlock-version.h"

/**
 * SECTION:sandlock-version-macros
 * @title: Availability
 * @short_description: availability and deprecation macros
 *
 * Every public symbol is declared with an availability macro. By
 * defining %SANDLOCK_VERSION_MIN_REQUIRED and %SANDLOCK_VERSION_MAX_ALLOWED
 * before including `sandlock-glib/sandlock.h`, an application gets
 * compiler warnings for API deprecated in, or added after, the versions
 * it targets, as with GLib's `GLIB_VERSION_MIN_REQUIRED`.
 */

#ifndef _SANDLOCK_EXTERN
# define _SANDLOCK_EXTERN extern
#endif

/**
 * SANDLOCK_VERSION_CUR_STABLE:
 *
 * The encoded version of the current stable series: major and minor
 * version of the headers, micro version 0.
 *
 * Since: 1.0
 */
#define SANDLOCK_VERSION_CUR_STABLE \
  (SANDLOCK_ENCODE_VERSION (SANDLOCK_MAJOR_VERSION, SANDLOCK_MINOR_VERSION, 0))

/**
 * SANDLOCK_VERSION_1_0:
 *
 * The encoded version of sandlock-glib 1.0, for
 * %SANDLOCK_VERSION_MIN_REQUIRED and %SANDLOCK_VERSION_MAX_ALLOWED.
 *
 * Since: 1.0
 */
#define SANDLOCK_VERSION_1_0 (SANDLOCK_ENCODE_VERSION (1, 0, 0))

/**
 * SANDLOCK_VERSION_MIN_REQUIRED:
 *
 * Define it, before including the header, to the oldest version the
 * application supports (such as %SANDLOCK_VERSION_1_0): API deprecated in
 * a later version then does not warn. Defaults to
 * %SANDLOCK_VERSION_CUR_STABLE.
 *
 * Since: 1.0
 */
#ifndef SANDLOCK_VERSION_MIN_REQUIRED
# define SANDLOCK_VERSION_MIN_REQUIRED (SANDLOCK_VERSION_CUR_STABLE)
#endif

/**
 * SANDLOCK_VERSION_MAX_ALLOWED:
 *
 * Define it, before including the header, to the newest version the
 * application may use: API added after it warns. Defaults to
 * %SANDLOCK_VERSION_CUR_STABLE.
 *
 * Since: 1.0
 */
#ifndef SANDLOCK_VERSION_MAX_ALLOWED
# define SANDLOCK_VERSION_MAX_ALLOWED (SANDLOCK_VERSION_CUR_STABLE)
#endif

/**
 * SANDLOCK_AVAILABLE_IN_ALL:
 *
 * Marks a symbol available in every version of sandlock-glib. It exports
 * the symbol from the library.
 *
 * Since: 1.0
 */
#define SANDLOCK_AVAILABLE_IN_ALL _SANDLOCK_EXTERN

/**
 * SANDLOCK_DEPRECATED:
 *
 * Marks a deprecated symbol. Its use warns, unless
 * `SANDLOCK_DISABLE_DEPRECATION_WARNINGS` is defined.
 *
 * Since: 1.0
 */

/**
 * SANDLOCK_DEPRECATED_FOR:
 * @f: the symbol to use instead
 *
 * Marks a symbol deprecated in favour of @f. Its use warns, unless
 * `SANDLOCK_DISABLE_DEPRECATION_WARNINGS` is defined.
 *
 * Since: 1.0
 */

/**
 * SANDLOCK_UNAVAILABLE:
 * @maj: the major version that added the symbol
 * @min: the minor version that added the symbol
 *
 * Marks a symbol added in version @maj.@min, after
 * %SANDLOCK_VERSION_MAX_ALLOWED: its use warns.
 *
 * Since: 1.0
 */

#ifdef SANDLOCK_DISABLE_DEPRECATION_WARNINGS
# define SANDLOCK_DEPRECATED _SANDLOCK_EXTERN
# define SANDLOCK_DEPRECATED_FOR(f) _SANDLOCK_EXTERN
# define SANDLOCK_UNAVAILABLE(maj,min) _SANDLOCK_EXTERN
#else
# define SANDLOCK_DEPRECATED G_DEPRECATED _SANDLOCK_EXTERN
# define SANDLOCK_DEPRECATED_FOR(f) G_DEPRECATED_FOR (f) _SANDLOCK_EXTERN
# define SANDLOCK_UNAVAILABLE(maj,min) G_UNAVAILABLE (maj, min) _SANDLOCK_EXTERN
#endif

/**
 * SANDLOCK_DEPRECATED_IN_1_0:
 *
 * Marks a symbol deprecated in sandlock-glib 1.0. It warns only when
 * %SANDLOCK_VERSION_MIN_REQUIRED is 1.0 or later.
 *
 * Since: 1.0
 */

/**
 * SANDLOCK_DEPRECATED_IN_1_0_FOR:
 * @f: the symbol to use instead
 *
 * Marks a symbol deprecated in sandlock-glib 1.0 in favour of @f. It
 * warns only when %SANDLOCK_VERSION_MIN_REQUIRED is 1.0 or later.
 *
 * Since: 1.0
 */

#if SANDLOCK_VERSION_MIN_REQUIRED >= SANDLOCK_VERSION_1_0
# define SANDLOCK_DEPRECATED_IN_1_0 SANDLOCK_DEPRECATED
# define SANDLOCK_DEPRECATED_IN_1_0_FOR(f) SANDLOCK_DEPRECATED_FOR (f)
#else
# define SANDLOCK_DEPRECATED_IN_1_0 _SANDLOCK_EXTERN
# define SANDLOCK_DEPRECATED_IN_1_0_FOR(f) _SANDLOCK_EXTERN
#endif

/**
 * SANDLOCK_AVAILABLE_IN_1_0:
 *
 * Marks a symbol added in sandlock-glib 1.0. It warns when
 * %SANDLOCK_VERSION_MAX_ALLOWED is older.
 *
 * Since: 1.0
 */

#if SANDLOCK_VERSION_MAX_ALLOWED < SANDLOCK_VERSION_1_0
# define SANDLOCK_AVAILABLE_IN_1_0 SANDLOCK_UNAVAILABLE (1, 0)
#else
# define SANDLOCK_AVAILABLE_IN_1_0 _SANDLOCK_EXTERN
#endif
