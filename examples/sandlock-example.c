/* sandlock-example.c: run a command confined, watch and filter its opens
 *
 *   sandlock-example [COMMAND [ARGS...]]
 *
 * Runs COMMAND (by default: sh -c 'cat /etc/hostname; cat /etc/shadow')
 * with the system directories and /etc readable, prints one line for each
 * file it opens, refuses /etc/shadow with EACCES, and prints the result.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <sandlock-glib/sandlock.h>

#define DENIED_PATH "/etc/shadow"

/* A handler is a subclass of SandlockHandler overriding handle(). */
#define EXAMPLE_TYPE_OPEN_FILTER (example_open_filter_get_type ())
G_DECLARE_FINAL_TYPE (ExampleOpenFilter, example_open_filter, EXAMPLE, OPEN_FILTER, SandlockHandler)

struct _ExampleOpenFilter
{
  SandlockHandler parent_instance;
};

G_DEFINE_FINAL_TYPE (ExampleOpenFilter, example_open_filter, SANDLOCK_TYPE_HANDLER)

static SandlockAction *
example_open_filter_handle (SandlockHandler       *handler,
                            SandlockNotification  *notification,
                            GError               **error)
{
  /* openat (dirfd, pathname, flags, mode): the path is argument 1. */
  g_autofree char *path = sandlock_notification_read_string (notification,
                                                             sandlock_notification_get_arg (notification, 1),
                                                             4096, error);
  if (path == NULL)
    return NULL;   /* the exception policy answers */

  if (g_str_equal (path, DENIED_PATH))
    {
      printf ("open %-30s denied by the handler (EACCES)\n", path);
      /* A decision taken from the child's memory: answer it, never continue.
       * Even so this denial is a demonstration, not a protection: another
       * thread of the child could change the path after this check, and the
       * other opens do continue. What protects /etc/shadow is not granting
       * it to Landlock (this example grants all of /etc to show the handler). */
      return sandlock_action_new_errno (EACCES);
    }

  printf ("open %-30s passed on to Landlock\n", path);
  return sandlock_action_new_continue ();
}

static void
example_open_filter_class_init (ExampleOpenFilterClass *klass)
{
  SANDLOCK_HANDLER_CLASS (klass)->handle = example_open_filter_handle;
}

static void
example_open_filter_init (ExampleOpenFilter *self)
{
}

int
main (int argc, char **argv)
{
  const char * const readable[] = { "/usr", "/lib", "/lib64", "/bin", "/etc", NULL };
  /* The C locale spares the child (and this output) the locale files. */
  const char * const env[] = { "LC_ALL=C", NULL };
  const char * const default_argv[] = { "sh", "-c", "cat /etc/hostname; cat " DENIED_PATH, NULL };
  const char * const *command = argc > 1 ? (const char * const *) argv + 1 : default_argv;
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockHandler) filter = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *output;

  /* clean-env: the command gets PATH and a few basics, not the
   * application's whole environment (its secrets, its LD_LIBRARY_PATH). */
  sandbox = g_object_new (SANDLOCK_TYPE_SANDBOX,
                          "fs-readable", readable,
                          "clean-env", TRUE,
                          "env", env,
                          "timeout", 30,
                          NULL);
  filter = g_object_new (EXAMPLE_TYPE_OPEN_FILTER, NULL);
  if (!sandlock_sandbox_add_handler (sandbox, "openat", filter, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* run() drives its own main context: the handler runs in this thread. */
  result = sandlock_sandbox_run (sandbox, command, NULL, NULL, &error);
  if (result == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  output = sandlock_result_get_stdout (result);
  printf ("--- stdout\n%.*s", (int) g_bytes_get_size (output), (const char *) g_bytes_get_data (output, NULL));
  output = sandlock_result_get_stderr (result);
  printf ("--- stderr\n%.*s", (int) g_bytes_get_size (output), (const char *) g_bytes_get_data (output, NULL));
  printf ("--- exit status %d%s\n", sandlock_result_get_exit_status (result),
          sandlock_result_get_timed_out (result) ? " (timed out)" : "");
  return 0;
}
