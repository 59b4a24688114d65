/* sr-json.c: one JSON object per line, for sandlock-run's audit
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "sr-json.h"

/* Appends @bytes as the inside of a JSON string. Quotes, backslashes and
 * every control character (C0, DEL, C1) are escaped, so a line can neither
 * break nor drive a terminal; so are U+2028 and U+2029, which JavaScript
 * reads as line ends. Bytes that are not UTF-8 become U+FFFD.
 *
 * Returns: %FALSE when @bytes was not valid UTF-8 (the output is lossy) */
gboolean
sr_json_append_escaped (GString    *out,
                        const char *bytes,
                        gsize       length)
{
  const char *p = bytes;
  const char *end = bytes + length;
  gboolean valid = TRUE;

  while (p < end)
    {
      guchar c = (guchar) *p;
      gunichar u;
      const char *next;

      if (c < 0x80)
        {
          switch (c)
            {
            case '"': g_string_append (out, "\\\""); break;
            case '\\': g_string_append (out, "\\\\"); break;
            case '\b': g_string_append (out, "\\b"); break;
            case '\f': g_string_append (out, "\\f"); break;
            case '\n': g_string_append (out, "\\n"); break;
            case '\r': g_string_append (out, "\\r"); break;
            case '\t': g_string_append (out, "\\t"); break;
            default:
              if (c < 0x20 || c == 0x7f)
                g_string_append_printf (out, "\\u%04x", c);
              else
                g_string_append_c (out, (char) c);
            }
          p++;
          continue;
        }

      /* -1: invalid (overlong, surrogate, stray byte); -2: cut short. */
      u = g_utf8_get_char_validated (p, end - p);
      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          g_string_append (out, "\\ufffd");
          valid = FALSE;
          p++;
          continue;
        }

      next = g_utf8_next_char (p);
      if (u <= 0x9f || u == 0x2028 || u == 0x2029)
        g_string_append_printf (out, "\\u%04x", u);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }

  return valid;
}

void
sr_json_begin (SrJson *json)
{
  json->str = g_string_new ("{");
  json->need_comma = FALSE;
}

static void
add_key (SrJson     *json,
         const char *key)
{
  if (json->need_comma)
    g_string_append_c (json->str, ',');
  json->need_comma = TRUE;
  if (key != NULL)
    g_string_append_printf (json->str, "\"%s\":", key);
}

static char
hex_digit (guint value)
{
  return "0123456789abcdef"[value & 0xf];
}

/* A value that is not UTF-8 is written lossily, so the exact bytes follow
 * in a "<key>_hex" member. */
void
sr_json_add_string (SrJson     *json,
                    const char *key,
                    const char *bytes,
                    gsize       length)
{
  gboolean valid;

  add_key (json, key);
  g_string_append_c (json->str, '"');
  valid = sr_json_append_escaped (json->str, bytes, length);
  g_string_append_c (json->str, '"');

  if (!valid)
    {
      add_key (json, NULL);
      g_string_append_printf (json->str, "\"%s_hex\":\"", key);
      for (gsize i = 0; i < length; i++)
        {
          g_string_append_c (json->str, hex_digit ((guchar) bytes[i] >> 4));
          g_string_append_c (json->str, hex_digit ((guchar) bytes[i]));
        }
      g_string_append_c (json->str, '"');
    }
}

void
sr_json_add_int (SrJson     *json,
                 const char *key,
                 gint64      value)
{
  add_key (json, key);
  g_string_append_printf (json->str, "%" G_GINT64_FORMAT, value);
}

void
sr_json_add_bool (SrJson     *json,
                  const char *key,
                  gboolean    value)
{
  add_key (json, key);
  g_string_append (json->str, value ? "true" : "false");
}

void
sr_json_add_null (SrJson     *json,
                  const char *key)
{
  add_key (json, key);
  g_string_append (json->str, "null");
}

void
sr_json_begin_array (SrJson     *json,
                     const char *key)
{
  add_key (json, key);
  g_string_append_c (json->str, '[');
  json->need_comma = FALSE;
}

/* Array elements are written lossily: see the "_hex" member for scalars. */
void
sr_json_array_string (SrJson     *json,
                      const char *bytes,
                      gsize       length)
{
  add_key (json, NULL);
  g_string_append_c (json->str, '"');
  sr_json_append_escaped (json->str, bytes, length);
  g_string_append_c (json->str, '"');
}

void
sr_json_end_array (SrJson *json)
{
  g_string_append_c (json->str, ']');
  json->need_comma = TRUE;
}

/* Returns: (transfer full): the object and a newline */
char *
sr_json_end (SrJson *json,
             gsize  *length)
{
  g_string_append (json->str, "}\n");
  if (length != NULL)
    *length = json->str->len;
  return g_string_free (g_steal_pointer (&json->str), FALSE);
}
