/* sr-json.h: one JSON object per line, for sandlock-run's audit
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Builds a single-line JSON object. Keys are ASCII constants; values come
 * from the confined child, so they are escaped byte by byte. */
typedef struct {
  GString  *str;
  gboolean  need_comma;
} SrJson;

void   sr_json_begin          (SrJson      *json);
void   sr_json_add_string     (SrJson      *json,
                               const char  *key,
                               const char  *bytes,
                               gsize        length);
void   sr_json_add_int        (SrJson      *json,
                               const char  *key,
                               gint64       value);
void   sr_json_add_bool       (SrJson      *json,
                               const char  *key,
                               gboolean     value);
void   sr_json_add_null       (SrJson      *json,
                               const char  *key);
void   sr_json_begin_array    (SrJson      *json,
                               const char  *key);
void   sr_json_array_string   (SrJson      *json,
                               const char  *bytes,
                               gsize        length);
void   sr_json_end_array      (SrJson      *json);
char  *sr_json_end            (SrJson      *json,
                               gsize       *length);

gboolean sr_json_append_escaped (GString     *out,
                                 const char  *bytes,
                                 gsize        length);

G_END_DECLS
