/* attack-keyctl.c: the kernel keyrings, which are shared beyond the
 * sandbox: joining a session keyring, reading the user keyring, adding and
 * requesting keys. Every call must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  char buffer[256];

  attack_report (syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "sandlock-attack"),
                 "keyctl KEYCTL_JOIN_SESSION_KEYRING");
  attack_report (syscall (SYS_keyctl, KEYCTL_READ, KEY_SPEC_USER_KEYRING, buffer, sizeof buffer),
                 "keyctl KEYCTL_READ user keyring");
  attack_report (syscall (SYS_add_key, "user", "sandlock-attack", "data", 4,
                          KEY_SPEC_PROCESS_KEYRING), "add_key");
  attack_report (syscall (SYS_request_key, "user", "sandlock-attack", NULL, 0), "request_key");
  return 0;
}
