/* sandlock-portal-helper.c: a D-Bus service that runs commands confined
 *
 * A portal-style helper: it owns org.example.SandlockHelper on the session
 * bus and exports one method,
 *
 *   org.example.SandlockHelper.Run (as argv) -> (i status, ay stdout)
 *
 * which runs argv in a sandlock sandbox with sandlock_sandbox_run_async()
 * and answers when the command is over: status is the exit code, or 128 +
 * the signal that killed it (as a shell reports it); stdout is what the
 * command wrote. Each call gets its own sandbox and its own run, all on
 * this process's one main loop, so any number of clients are served at
 * once and a slow command holds up nobody else.
 *
 * The command may read the system's programs and libraries, plus what
 * --readable names, and write only below --writable; everything else
 * (the rest of /etc, the home directory, other users' files) is refused by
 * the kernel. Usage:
 *
 *   sandlock-portal-helper [--readable DIR]... [--writable DIR]... [--timeout S]
 *
 * It prints "ready" once the name is owned, and exits on SIGTERM or
 * SIGINT, or when the bus goes away.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <sandlock-glib/sandlock.h>

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#define HELPER_NAME "org.example.SandlockHelper"
#define HELPER_PATH "/org/example/SandlockHelper"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='" HELPER_NAME "'>"
  "    <method name='Run'>"
  "      <arg type='as' name='argv' direction='in'/>"
  "      <arg type='i' name='status' direction='out'/>"
  "      <arg type='ay' name='stdout' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct {
  GStrv readable;
  GStrv writable;
  guint timeout;
  GMainLoop *loop;
  int exit_code;
} Helper;

/* The directories every command needs to start: programs, libraries and
 * the dynamic loader's cache, not the rest of /etc. */
static const char * const system_paths[] = {
  "/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc/ld.so.cache", NULL
};

static GStrv
policy_readable (Helper *helper)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (const char * const *p = system_paths; *p != NULL; p++)
    if (g_file_test (*p, G_FILE_TEST_EXISTS))
      g_strv_builder_add (builder, *p);
  if (helper->readable != NULL)
    g_strv_builder_addv (builder, (const char **) helper->readable);
  return g_strv_builder_end (builder);
}

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *output;
  int status;

  result = sandlock_sandbox_run_finish (SANDLOCK_SANDBOX (source), res, &error);
  if (result == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }

  status = sandlock_result_get_exit_status (result);
  if (status < 0)
    status = 128 + sandlock_result_get_term_signal (result);
  output = sandlock_result_get_stdout (result);
  g_dbus_method_invocation_return_value (invocation,
      g_variant_new ("(i@ay)", status,
                     g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, output, TRUE)));
}

static void
handle_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  Helper *helper = user_data;
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_auto(GStrv) readable = NULL;
  g_autofree const char **argv = NULL;
  const char * const env[] = { "LC_ALL=C", NULL };

  /* GDBus has checked the signature against the introspection data. */
  g_variant_get (parameters, "(^a&s)", &argv);
  if (argv[0] == NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR,
                                                     G_DBUS_ERROR_INVALID_ARGS,
                                                     "The command is empty");
      return;
    }

  readable = policy_readable (helper);
  sandbox = g_object_new (SANDLOCK_TYPE_SANDBOX,
                          "fs-readable", readable,
                          "fs-writable", helper->writable,
                          "clean-env", TRUE,
                          "env", env,
                          "timeout", helper->timeout,
                          NULL);

  /* The run keeps the sandbox alive until run_done; the invocation is
   * answered there. Spawning failures arrive there too. */
  sandlock_sandbox_run_async (sandbox, (const char * const *) argv, NULL, NULL,
                              run_done, g_object_ref (invocation));
}

static const GDBusInterfaceVTable vtable = { handle_method_call, NULL, NULL, { 0 } };

static void
bus_acquired (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Helper *helper = user_data;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_autoptr(GError) error = NULL;

  if (g_dbus_connection_register_object (connection, HELPER_PATH, info->interfaces[0],
                                         &vtable, helper, NULL, &error) == 0)
    {
      g_printerr ("sandlock-portal-helper: %s\n", error->message);
      helper->exit_code = 1;
      g_main_loop_quit (helper->loop);
    }
}

static void
name_acquired (GDBusConnection *connection,
               const char      *name,
               gpointer         user_data)
{
  printf ("ready\n");
  fflush (stdout);
}

static void
name_lost (GDBusConnection *connection,
           const char      *name,
           gpointer         user_data)
{
  Helper *helper = user_data;

  g_printerr ("sandlock-portal-helper: %s\n",
              connection == NULL ? "cannot connect to the session bus"
                                 : "the name " HELPER_NAME " is taken");
  helper->exit_code = 1;
  g_main_loop_quit (helper->loop);
}

static gboolean
quit_on_signal (gpointer user_data)
{
  Helper *helper = user_data;

  g_main_loop_quit (helper->loop);
  return G_SOURCE_CONTINUE;
}

/* The sandbox takes absolute paths only. */
static void
make_absolute (GStrv paths)
{
  for (char **p = paths; p != NULL && *p != NULL; p++)
    {
      char *absolute = g_canonicalize_filename (*p, NULL);

      g_free (*p);
      *p = absolute;
    }
}

int
main (int argc, char **argv)
{
  Helper helper = { .timeout = 60 };
  int timeout = 60;
  GOptionEntry entries[] = {
    { "readable", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &helper.readable,
      "A directory commands may read (repeatable)", "DIR" },
    { "writable", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &helper.writable,
      "A directory commands may write (repeatable)", "DIR" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      "Seconds a command may run (default 60)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- run commands confined for D-Bus clients");
  g_autoptr(GError) error = NULL;
  guint owner;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || timeout <= 0)
    {
      g_printerr ("sandlock-portal-helper: %s\n", error ? error->message : "bad --timeout");
      return 2;
    }
  helper.timeout = (guint) timeout;
  make_absolute (helper.readable);
  make_absolute (helper.writable);

  helper.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_on_signal, &helper);
  g_unix_signal_add (SIGINT, quit_on_signal, &helper);
  owner = g_bus_own_name (G_BUS_TYPE_SESSION, HELPER_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                          bus_acquired, name_acquired, name_lost, &helper, NULL);
  g_main_loop_run (helper.loop);

  g_bus_unown_name (owner);
  g_main_loop_unref (helper.loop);
  g_strfreev (helper.readable);
  g_strfreev (helper.writable);
  return helper.exit_code;
}
