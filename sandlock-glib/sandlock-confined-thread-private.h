/* sandlock-confined-thread-private.h: a thread of the supervisor confined
 * as the command is
 *
 * A guard that performs a call on the command's behalf, on the
 * supervisor's own copy of its socket and of its arguments, would run it
 * with the supervisor's rights: the application's capabilities (root's
 * CAP_NET_BIND_SERVICE, CAP_DAC_OVERRIDE...) and no Landlock domain, so
 * neither Landlock's rules (MAKE_SOCK beneath fs-writable, TCP ports of
 * net-bind) nor the capability checks would apply. A confined thread runs
 * such calls instead: at its start it sets no_new_privs, gives itself its
 * own working directory and umask (unshare(CLONE_FS)), drops every
 * capability (capset() of one thread) and enforces the policy's Landlock
 * ruleset on itself (landlock_restrict_self() of one thread). The rest of
 * the application is untouched. The kernel then decides each call as it
 * would for the command.
 *
 * One per compiled policy, started at its first call and joined when the
 * policy is freed. Calls are serialised; any thread may make them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _SandlockConfinedThread SandlockConfinedThread;

/* What the thread runs: returns a syscall's result, errno set on failure. */
typedef int (*SandlockConfinedFunc) (gpointer data);

/* @ruleset_fd (or -1 without Landlock) must stay open until the thread is
 * freed. Starts nothing yet. */
SandlockConfinedThread *sandlock_confined_thread_new  (int                      ruleset_fd);
void                    sandlock_confined_thread_free (SandlockConfinedThread  *self);

/* Runs @func (@data) on the thread, in the command's working directory
 * @cwd_fd (an O_PATH descriptor, or -1 to keep the thread's) with the
 * umask @mask, and waits for it: its result, with errno set when it is
 * negative. A thread that could not confine itself answers every call
 * -1 with errno EACCES (fail closed). */
int                     sandlock_confined_thread_run  (SandlockConfinedThread  *self,
                                                       int                      cwd_fd,
                                                       mode_t                   mask,
                                                       SandlockConfinedFunc     func,
                                                       gpointer                 data);

G_END_DECLS
