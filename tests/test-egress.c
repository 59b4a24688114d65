/* test-egress.c: legitimate use of outbound sockets under the egress
 * guard: a session bus granted with unix-connect, reached by real D-Bus
 * clients (whose sendmsg() calls the supervisor performs), and refused
 * without the grant.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sandlock-test-common.h"

typedef struct {
  char        *tmpdir;
  char        *bus_path;
  char        *address;
  GSubprocess *daemon;
} Bus;

/* A private bus: dbus-daemon --session listening on a pathname socket. */
static gboolean
bus_start (Bus *bus)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;

  if (!g_file_test ("/usr/bin/dbus-daemon", G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test ("/usr/bin/dbus-send", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("dbus-daemon or dbus-send is not installed (build-aux/prepare-machine)");
      return FALSE;
    }
  bus->tmpdir = g_dir_make_tmp ("sandlock-egress-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_no_errno (chmod (bus->tmpdir, 0755));
  bus->bus_path = g_build_filename (bus->tmpdir, "bus", NULL);
  bus->address = g_strdup_printf ("unix:path=%s", bus->bus_path);
  listen = g_strdup_printf ("--address=%s", bus->address);
  bus->daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                  "/usr/bin/dbus-daemon", "--session", "--nofork",
                                  "--print-address", listen, NULL);
  g_assert_no_error (error);
  /* Listening once it printed its address. */
  {
    GInputStream *out = g_subprocess_get_stdout_pipe (bus->daemon);
    char buffer[512];
    gssize n = g_input_stream_read (out, buffer, sizeof buffer - 1, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
  }
  return TRUE;
}

static void
bus_stop (Bus *bus)
{
  if (bus->daemon != NULL)
    {
      g_subprocess_force_exit (bus->daemon);
      g_subprocess_wait (bus->daemon, NULL, NULL);
      g_object_unref (bus->daemon);
    }
  if (bus->tmpdir != NULL)
    sandlock_test_remove_tree (bus->tmpdir);
  g_free (bus->tmpdir);
  g_free (bus->bus_path);
  g_free (bus->address);
}

static SandlockResult *
run_dbus_send (Bus        *bus,
               gboolean    granted)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autofree char *bus_arg = g_strdup_printf ("--bus=%s", bus->address);
  const char * const argv[] = {
    "/usr/bin/dbus-send", bus_arg, "--print-reply", "--dest=org.freedesktop.DBus",
    "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames", NULL,
  };
  const char * const paths[] = { bus->bus_path, NULL };
  g_autoptr(GError) error = NULL;
  SandlockResult *result;

  sandlock_test_grant (sandbox, "/etc", FALSE);
  if (granted)
    sandlock_sandbox_set_unix_connect (sandbox, paths);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_session_bus_granted (void)
{
  Bus bus = { 0 };
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  if (!bus_start (&bus))
    return;
  result = run_dbus_send (&bus, TRUE);
  output = sandlock_test_stdout (result);
  g_assert_true (sandlock_result_get_success (result));
  g_assert_nonnull (strstr (output, "\"org.freedesktop.DBus\""));
  bus_stop (&bus);
}

static void
test_session_bus_refused (void)
{
  Bus bus = { 0 };
  g_autoptr(SandlockResult) result = NULL;

  if (!bus_start (&bus))
    return;
  result = run_dbus_send (&bus, FALSE);
  g_assert_false (sandlock_result_get_success (result));
  bus_stop (&bus);
}

static void
test_unix_connect_relative (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const paths[] = { "relative/bus", NULL };
  const char * const argv[] = { "/bin/true", NULL };
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sandlock_sandbox_set_unix_connect (sandbox, paths);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY);
  g_assert_null (result);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);
  g_test_add_func ("/egress/session-bus/granted", test_session_bus_granted);
  g_test_add_func ("/egress/session-bus/refused", test_session_bus_refused);
  g_test_add_func ("/egress/unix-connect/relative", test_unix_connect_relative);
  return sandlock_test_run ();
}
