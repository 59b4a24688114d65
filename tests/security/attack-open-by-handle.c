/* attack-open-by-handle.c: open_by_handle_at, which opens a file from its
 * handle without any path, so no path rule applies (the "shocker" escape).
 * Arguments: the handle of the hidden file, computed by the test outside
 * the sandbox ("TYPE:HEX"), and a granted directory on the same filesystem
 * to serve as the mount descriptor. open_by_handle_at and
 * name_to_handle_at must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  const char *text = attack_arg (argc, argv, 1);
  const char *granted = attack_arg (argc, argv, 2);
  union {
    struct file_handle handle;
    char bytes[sizeof (struct file_handle) + MAX_HANDLE_SZ];
  } h = { 0 };
  char *colon = NULL;
  char path[4096];
  int mount_fd, mount_id;
  size_t n = 0;

  h.handle.handle_type = (int) strtol (text, &colon, 0);
  if (colon == NULL || *colon != ':')
    return 2;
  for (const char *p = colon + 1; p[0] != '\0' && p[1] != '\0' && n < MAX_HANDLE_SZ; p += 2)
    {
      unsigned int byte;

      if (sscanf (p, "%2x", &byte) != 1)
        return 2;
      h.handle.f_handle[n++] = (unsigned char) byte;
    }
  h.handle.handle_bytes = (unsigned int) n;

  mount_fd = open (granted, O_PATH | O_DIRECTORY | O_CLOEXEC);
  attack_report (mount_fd, "open GRANTED with O_PATH");
  attack_report (open_by_handle_at (mount_fd, &h.handle, O_RDONLY | O_CLOEXEC),
                 "open_by_handle_at HIDDEN/secret");

  snprintf (path, sizeof path, "%s/file", granted);
  h.handle.handle_bytes = MAX_HANDLE_SZ;
  attack_report (name_to_handle_at (AT_FDCWD, path, &h.handle, &mount_id, 0),
                 "name_to_handle_at GRANTED/file");
  return 0;
}
