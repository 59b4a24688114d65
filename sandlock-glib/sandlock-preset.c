/* sandlock-preset.c: named sets of paths added to a sandbox's policy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sandlock-error.h"
#include "sandlock-preset.h"
#include "sandlock-sandbox.h"
#include "sandlock-i18n-private.h"

typedef struct {
  SandlockPreset preset;
  gboolean       writable;
  const char    *path;
} PresetPath;

static const PresetPath preset_paths[] = {
  /* Programs and libraries. */
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/usr" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/bin" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/sbin" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/lib" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/lib32" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/lib64" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/libx32" },
  /* The dynamic loader. */
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/ld.so.cache" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/ld.so.conf" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/ld.so.conf.d" },
  /* Locale and time zone. */
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/locale.alias" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/locale.conf" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/default/locale" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/localtime" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/timezone" },
  /* TLS certificates. */
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/ssl" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/ca-certificates" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/pki" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/crypto-policies" },
  /* Users, groups, host names. */
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/passwd" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/group" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/nsswitch.conf" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/host.conf" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/hosts" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/resolv.conf" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/gai.conf" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/hostname" },
  /* What programs commonly look up. */
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/os-release" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/mime.types" },
  { SANDLOCK_PRESET_SYSTEM, FALSE, "/etc/alternatives" },

  { SANDLOCK_PRESET_DEVICES, TRUE, "/dev/null" },
  { SANDLOCK_PRESET_DEVICES, TRUE, "/dev/zero" },
  { SANDLOCK_PRESET_DEVICES, TRUE, "/dev/full" },
  { SANDLOCK_PRESET_DEVICES, TRUE, "/dev/random" },
  { SANDLOCK_PRESET_DEVICES, TRUE, "/dev/urandom" },

  { SANDLOCK_PRESET_TTY, TRUE, "/dev/tty" },

  { SANDLOCK_PRESET_FLATPAK, FALSE, "/app" },
  { SANDLOCK_PRESET_FLATPAK, FALSE, "/usr" },
};

#define ALL_PRESETS (SANDLOCK_PRESET_SYSTEM | SANDLOCK_PRESET_DEVICES | \
                     SANDLOCK_PRESET_TTY | SANDLOCK_PRESET_FLATPAK)

/* Whether @path is @other or beneath it (both canonical). */
static gboolean
path_covered_by (const char *path,
                 const char *other)
{
  size_t len = strlen (other);

  if (strcmp (other, "/") == 0)
    return TRUE;
  return strncmp (path, other, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* Appends the canonical form of @path to @paths unless a path already
 * there covers it. */
static void
add_canonical (GPtrArray  *paths,
               const char *path)
{
  g_autofree char *canonical = realpath (path, NULL);

  if (canonical == NULL)
    return;   /* missing on this machine (or a dangling link): skipped */

  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *existing = realpath (g_ptr_array_index (paths, i), NULL);

      if (path_covered_by (canonical, existing != NULL ? existing : g_ptr_array_index (paths, i)))
        return;
    }
  g_ptr_array_add (paths, g_steal_pointer (&canonical));
}

static void
add_to (SandlockSandbox *sandbox,
        SandlockPreset   presets,
        gboolean         writable)
{
  const char * const *current = writable ? sandlock_sandbox_get_fs_writable (sandbox)
                                         : sandlock_sandbox_get_fs_readable (sandbox);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint n_current;

  for (gsize i = 0; current != NULL && current[i] != NULL; i++)
    g_ptr_array_add (paths, g_strdup (current[i]));
  n_current = paths->len;

  for (gsize i = 0; i < G_N_ELEMENTS (preset_paths); i++)
    if ((preset_paths[i].preset & presets) && preset_paths[i].writable == writable)
      add_canonical (paths, preset_paths[i].path);

  if (paths->len == n_current)
    return;
  g_ptr_array_add (paths, NULL);
  if (writable)
    sandlock_sandbox_set_fs_writable (sandbox, (const char * const *) paths->pdata);
  else
    sandlock_sandbox_set_fs_readable (sandbox, (const char * const *) paths->pdata);
}

/**
 * sandlock_sandbox_add_preset:
 * @self: a #SandlockSandbox
 * @presets: the presets to add
 * @error: return location for a #GError, or %NULL
 *
 * Adds the paths of @presets that exist on this machine to
 * #SandlockSandbox:fs-readable or #SandlockSandbox:fs-writable (see
 * #SandlockPreset for what each grants), after the paths already there.
 * Each is added with its symbolic links resolved, and only when no path
 * already in the property covers it; the properties are notified when
 * they change. Calling it twice adds nothing the second time.
 *
 * Setting #SandlockSandbox:fs-readable or #SandlockSandbox:fs-writable
 * afterwards replaces the preset's paths along with the rest.
 *
 * Returns: %TRUE on success; %FALSE with %SANDLOCK_ERROR_INVALID_POLICY
 *   when @presets holds a value that names no preset, and then nothing
 *   is added
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_add_preset (SandlockSandbox  *self,
                             SandlockPreset    presets,
                             GError          **error)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (presets & ~ALL_PRESETS)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("Unknown preset 0x%x"), (guint) (presets & ~ALL_PRESETS));
      return FALSE;
    }

  add_to (self, presets, FALSE);
  add_to (self, presets, TRUE);
  return TRUE;
}
