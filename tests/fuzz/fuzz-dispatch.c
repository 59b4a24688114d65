/* fuzz-dispatch.c: the dispatcher fed synthetic notifications
 *
 * The notification a supervisor receives comes from the kernel, but what
 * it names (syscall number, architecture, arguments, addresses) comes
 * from the untrusted child. This target builds a supervisor for no
 * process (sandlock_supervisor_new_for_testing()) and hands it requests
 * made of fuzzer bytes, with chains of handlers whose every decision also
 * comes from the input: continue, an errno, a return value, kill, defer,
 * fail with or without an error, inject a descriptor or bytes, read or
 * write the child's memory; deferred notifications are later answered
 * (once, twice, with a deferral) or dropped.
 *
 * The listener is /dev/null, on which every seccomp ioctl fails, as it
 * would for a child that died: answers and memory access must fail
 * cleanly. The request's pid is always a decoy process of ours, so that
 * a kill reaching a pid without the listener's say-so is caught: the
 * decoy must survive. After each input the deferral budget must be whole
 * again and no descriptor of the dispatch may be left open.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-notification-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-supervisor-private.h"
#include "sandlock-test-handler.h"

#include "fuzz-common.h"

#define MAX_DEFERRED 4

typedef struct {
  const uint8_t *data;
  size_t         size;
  size_t         offset;
} Script;

static Script script;
static GPtrArray *deferred;           /* SandlockNotification */
static SandlockPolicy *policy;
static SandlockHandler *handlers[4];
static GMainContext *context;
static GPid decoy;
static guint fds_at_start;

/* Descriptors the dispatch could leak: listeners and injected descriptors
 * (/dev/null here), injected content (memfds) and pidfds. Counted by kind:
 * libFuzzer opens pipes of its own at times, to symbolize. */
static guint
count_our_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL &&
          (g_str_equal (target, "/dev/null") ||
           g_str_has_prefix (target, "/memfd:sandlock") ||
           g_str_equal (target, "anon_inode:[pidfd]")))
        count++;
    }
  return count;
}

static guint8
next_byte (void)
{
  return script.offset < script.size ? script.data[script.offset++] : 0;
}

static guint64
next_u64 (void)
{
  guint64 value = 0;

  for (int i = 0; i < 8; i++)
    value = (value << 8) | next_byte ();
  return value;
}

/* Every handler of every chain: decides from the next input bytes. */
static SandlockAction *
scripted (SandlockTestHandler   *self,
          SandlockNotification  *notification,
          gpointer               user_data,
          GError               **error)
{
  guint8 choice = next_byte ();

  /* Names of any (arch, nr) the child can produce resolve or are NULL. */
  if (choice & 0x80)
    sandlock_notification_get_syscall_name (notification);

  switch (choice % 12)
    {
    case 0:
      return sandlock_action_new_continue ();
    case 1:
      return sandlock_action_new_errno (1 + next_byte () % 4095);
    case 2:
      return sandlock_action_new_return_value ((gint64) next_u64 ());
    case 3:
      return sandlock_action_new_kill ();
    case 4:
      g_ptr_array_add (deferred, g_object_ref (notification));
      return sandlock_action_new_defer ();
    case 5:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "scripted failure");
      return NULL;
    case 6:
      /* No action and no error: a binding that swallowed an exception. */
      return NULL;
    case 7:
      {
        int null = open ("/dev/null", O_RDONLY | O_CLOEXEC);
        SandlockAction *action = sandlock_action_new_inject_fd (null, next_byte () & 1, error);

        close (null);
        return action;
      }
    case 8:
      {
        guint8 length = next_byte ();
        g_autoptr(GBytes) bytes = g_bytes_new (script.data + script.offset,
                                               MIN (length, script.size - script.offset));

        return sandlock_action_new_inject_bytes (bytes, next_byte () & 1, error);
      }
    case 9:
      {
        g_autoptr(GError) read_error = NULL;
        g_autoptr(GBytes) bytes = NULL;
        guint index = next_byte () % 6;

        /* The listener is gone: the access must fail, and say so. */
        bytes = sandlock_notification_read (notification, sandlock_notification_get_arg (notification, index),
                                            next_byte (), &read_error);
        g_assert_null (bytes);
        g_assert_error (read_error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE);
        return sandlock_action_new_continue ();
      }
    case 10:
      {
        g_autoptr(GError) read_error = NULL;
        g_autofree char *string = NULL;

        string = sandlock_notification_read_string (notification, next_u64 (), 1 + next_byte (),
                                                    &read_error);
        g_assert_null (string);
        g_assert_nonnull (read_error);
        g_assert_true (read_error->domain == SANDLOCK_ERROR);
        return sandlock_action_new_errno (EPERM);
      }
    default:
      {
        g_autoptr(GError) write_error = NULL;
        g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);

        g_assert_false (sandlock_notification_write (notification, next_u64 (), bytes, &write_error));
        g_assert_error (write_error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE);
        return sandlock_action_new_return_value (0);
      }
    }
}

static void
on_handler_error (gpointer              user_data,
                  SandlockHandler      *handler,
                  SandlockNotification *notification,
                  const GError         *error)
{
  /* Every failure comes with a reason. */
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (SandlockHandlerEntry));
  SandlockPolicySpec spec = { .max_deferred = MAX_DEFERRED };
  g_autoptr(GError) error = NULL;

  fuzz_quiet_logs ();

  /* The decoy: any signal a bug sends to the request's pid lands here. */
  decoy = fork ();
  g_assert_cmpint (decoy, >=, 0);
  if (decoy == 0)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      for (;;)
        pause ();
    }

  /* getppid: a chain of three; openat and uname: one each, the latter
   * shared with getppid's first. */
  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    handlers[i] = SANDLOCK_HANDLER (sandlock_test_handler_new (scripted, NULL,
                                                               SANDLOCK_EXCEPTION_POLICY_KILL));
  {
    const SandlockHandlerEntry chains[] = {
      { SYS_getppid, handlers[0] },
      { SYS_getppid, handlers[1] },
      { SYS_getppid, handlers[2] },
      { SYS_openat, handlers[3] },
      { SYS_uname, handlers[0] },
    };

    g_array_append_vals (entries, chains, G_N_ELEMENTS (chains));
  }
  spec.handlers = entries;
  spec.handler_error_func = on_handler_error;
  policy = sandlock_policy_compile (&spec, &error);
  g_assert_no_error (error);

  context = g_main_context_new ();
  deferred = g_ptr_array_new_with_free_func (g_object_unref);
  fds_at_start = count_our_fds ();
  return 0;
}

static int
pick_syscall (guint8 selector,
              guint32 raw)
{
  switch (selector % 5)
    {
    case 0: return SYS_getppid;
    case 1: return SYS_openat;
    case 2: return SYS_uname;
    case 3: return SYS_read;   /* trapped by no chain */
    default: return (int) raw; /* anything, negative included */
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  struct seccomp_notif request = { 0 };
  struct seccomp_notif requests[MAX_DEFERRED + 2];
  guint n_requests;
  g_autoptr(SandlockSupervisor) supervisor = NULL;
  int listener = open ("/dev/null", O_RDWR | O_CLOEXEC);
  guint8 selector;

  g_assert_cmpint (listener, >=, 0);
  script = (Script) { data, size, 0 };

  /* The request: its fields from the input, but the pid, which is the
   * decoy's. */
  memcpy (&request, data, MIN (size, sizeof request));
  script.offset = MIN (size, sizeof request);
  selector = next_byte ();
  request.pid = (guint32) decoy;
  request.data.nr = pick_syscall (selector, (guint32) request.data.nr);
  if (selector & 0x80)
    request.data.arch = AUDIT_ARCH_X86_64;

  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    sandlock_handler_set_exception_policy (handlers[i], next_byte () % 4);

  supervisor = sandlock_supervisor_new_for_testing (policy, listener, context);

  /* A few notifications per input, as a burst from several threads; more
   * than the deferral budget, so that deferring beyond it is tried. */
  n_requests = 1 + next_byte () % G_N_ELEMENTS (requests);
  for (guint i = 0; i < n_requests; i++)
    {
      requests[i] = request;
      requests[i].id += i;
    }
  sandlock_supervisor_dispatch_for_testing (supervisor, requests, n_requests);

  /* Deferred ones: answered, answered twice, answered with a deferral,
   * or dropped. */
  for (guint i = 0; i < deferred->len; i++)
    {
      SandlockNotification *notification = g_ptr_array_index (deferred, i);
      g_autoptr(SandlockAction) action = NULL;
      g_autoptr(GError) error = NULL;
      guint8 how = next_byte () % 4;

      if (how == 0)
        continue;
      action = how == 3 ? sandlock_action_new_defer () : sandlock_action_new_errno (EIO);
      g_assert_false (sandlock_notification_respond (notification, action, &error));
      g_assert_nonnull (error);
      if (how == 2)
        {
          g_clear_error (&error);
          g_assert_false (sandlock_notification_respond (notification, action, &error));
          g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_NOTIFICATION_GONE);
        }
    }
  g_ptr_array_set_size (deferred, 0);

  /* The deferral budget is whole again: MAX_DEFERRED slots, no more. */
  for (guint i = 0; i < MAX_DEFERRED; i++)
    g_assert_true (sandlock_supervisor_try_defer (supervisor));
  g_assert_false (sandlock_supervisor_try_defer (supervisor));
  for (guint i = 0; i < MAX_DEFERRED; i++)
    sandlock_supervisor_end_defer (supervisor);

  /* A dropped deferral is reported to handler-error from an idle, which
   * holds the supervisor until it runs. */
  while (g_main_context_iteration (context, FALSE))
    ;

  /* No kill went astray, and nothing was left open. */
  g_clear_pointer (&supervisor, sandlock_supervisor_unref);
  g_assert_cmpint (waitpid (decoy, NULL, WNOHANG), ==, 0);
  g_assert_cmpuint (count_our_fds (), ==, fds_at_start);

  return 0;
}
