/* sr-errno.c: errno names for sandlock-run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "sr-errno.h"

/* The kernel's range for an errno a syscall can return. */
#define MAX_ERRNO 4095

/* Names the C library does not give back, because they alias another. */
static const struct {
  const char *alias;
  const char *name;
} aliases[] = {
  { "EWOULDBLOCK", "EAGAIN" },
  { "EDEADLOCK", "EDEADLK" },
  { "ENOTSUP", "EOPNOTSUPP" },
};

/* Returns: (nullable): the symbolic name of @value, such as "EACCES" */
const char *
sr_errno_name (int value)
{
#ifdef HAVE_STRERRORNAME_NP
  return strerrorname_np (value);
#else
  return NULL;
#endif
}

/* Parses an errno given as a name ("EACCES", any case) or a number from 1
 * to 4095. */
int
sr_errno_parse (const char  *text,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *name = text;
  guint64 value;

  if (g_ascii_isdigit (*text))
    {
      if (!g_ascii_string_to_unsigned (text, 10, 1, MAX_ERRNO, &value, &local_error))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "invalid errno '%s': numbers go from 1 to %d", text, MAX_ERRNO);
          return -1;
        }
      return (int) value;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (text, aliases[i].alias) == 0)
      name = aliases[i].name;

  for (int i = 1; i <= MAX_ERRNO; i++)
    {
      const char *known = sr_errno_name (i);

      if (known != NULL && g_ascii_strcasecmp (known, name) == 0)
        return i;
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "unknown errno '%s': give a name such as EACCES or a number", text);
  return -1;
}
