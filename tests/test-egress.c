/* test-egress.c: legitimate use of outbound sockets under the egress
 * guard: a session bus granted with unix-connect, reached by real D-Bus
 * clients (whose sendmsg() calls the supervisor performs), and refused
 * without the grant; unix datagrams and descriptor passing to granted
 * sockets; TCP and UDP destinations allowed by net-allow; a non-blocking
 * connect (EINPROGRESS, then the real outcome) and a blocking one that
 * stays pending while the main loop keeps running.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
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
run_client (Bus                *bus,
            gboolean            granted,
            const char * const *argv)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
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

static SandlockResult *
run_dbus_send (Bus        *bus,
               gboolean    granted)
{
  g_autofree char *bus_arg = g_strdup_printf ("--bus=%s", bus->address);
  const char * const argv[] = {
    "/usr/bin/dbus-send", bus_arg, "--print-reply", "--dest=org.freedesktop.DBus",
    "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames", NULL,
  };

  return run_client (bus, granted, argv);
}

/* GDBus sends its credentials (SCM_CREDENTIALS) and its messages from a
 * worker thread: the supervisor takes that thread's descriptors and
 * accepts credentials that name the command itself. */
static void
test_session_bus_gdbus (void)
{
  Bus bus = { 0 };
  g_autoptr(SandlockResult) result = NULL;
  g_autofree char *output = NULL;

  if (!g_file_test ("/usr/bin/gdbus", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("gdbus is not installed (libglib2.0-bin, build-aux/prepare-machine)");
      return;
    }
  if (!bus_start (&bus))
    return;
  {
    const char * const argv[] = {
      "/usr/bin/gdbus", "call", "--address", bus.address, "--dest", "org.freedesktop.DBus",
      "--object-path", "/org/freedesktop/DBus", "--method",
      "org.freedesktop.DBus.NameHasOwner", "org.freedesktop.DBus", NULL,
    };

    result = run_client (&bus, TRUE, argv);
  }
  output = sandlock_test_stdout (result);
  g_assert_cmpstr (output, ==, "(true,)\n");
  g_assert_true (sandlock_result_get_success (result));
  bus_stop (&bus);
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

static int
unix_socket_at (int         type,
                const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (chmod (path, 0777));
  if (type == SOCK_STREAM)
    g_assert_no_errno (listen (fd, 4));
  return fd;
}

/* The server side of unix-pass-fd: accepts one client, takes the
 * descriptor it passed and writes "passed" into it. */
static gpointer
pass_fd_server (gpointer data)
{
  int listener = GPOINTER_TO_INT (data);
  int client = accept (listener, NULL, NULL);
  union {
    char buffer[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  char byte;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  struct msghdr msg = {
    .msg_iov = &iov, .msg_iovlen = 1,
    .msg_control = control.buffer, .msg_controllen = sizeof control.buffer,
  };
  struct cmsghdr *c;
  int passed = -1;

  if (client < 0)
    return NULL;
  if (recvmsg (client, &msg, MSG_CMSG_CLOEXEC) == 1 &&
      (c = CMSG_FIRSTHDR (&msg)) != NULL && c->cmsg_type == SCM_RIGHTS)
    memcpy (&passed, CMSG_DATA (c), sizeof passed);
  if (passed >= 0)
    {
      g_assert_cmpint (write (passed, "passed", 6), ==, 6);
      close (passed);
    }
  close (client);
  return NULL;
}

static void
test_unix_datagram_and_fd_passing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("sandlock-egress-XXXXXX", &error);
  g_autofree char *dgram_path = g_build_filename (tmpdir, "dgram.sock", NULL);
  g_autofree char *stream_path = g_build_filename (tmpdir, "stream.sock", NULL);
  g_autofree char *output = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *line = NULL;
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockSandbox) ungranted = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(SandlockResult) refused_result = NULL;
  const char * const paths[] = { dgram_path, stream_path, NULL };
  GThread *server;
  char buffer[16];
  int dgram, stream;

  g_assert_no_error (error);
  g_assert_no_errno (chmod (tmpdir, 0755));
  dgram = unix_socket_at (SOCK_DGRAM, dgram_path);
  stream = unix_socket_at (SOCK_STREAM, stream_path);
  server = g_thread_new ("pass-fd", pass_fd_server, GINT_TO_POINTER (stream));

  sandlock_sandbox_set_unix_connect (sandbox, paths);
  result = sandlock_test_run_probe (sandbox, &error, "unix-send", dgram_path,
                                    "unix-pass-fd", stream_path, NULL);
  g_assert_no_error (error);
  g_thread_join (server);
  output = sandlock_test_stdout (result);
  line = g_strdup_printf ("unix-sendto %s: ok", dgram_path);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("unix-sendmsg %s: ok", dgram_path);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("unix-pass-fd %s: passed", stream_path);
  sandlock_test_assert_line (output, line);
  g_free (line);
  for (int i = 0; i < 2; i++)
    {
      g_assert_cmpint (recv (dgram, buffer, sizeof buffer, MSG_DONTWAIT), ==, 5);
      g_assert_cmpmem (buffer, 5, "probe", 5);
    }

  /* Without the grant: refused, and nothing arrives. */
  refused_result = sandlock_test_run_probe (ungranted, &error, "unix-send", dgram_path, NULL);
  g_assert_no_error (error);
  refused = sandlock_test_stdout (refused_result);
  line = g_strdup_printf ("unix-sendto %s: EACCES", dgram_path);
  sandlock_test_assert_line (refused, line);
  g_assert_cmpint (recv (dgram, buffer, sizeof buffer, MSG_DONTWAIT), ==, -1);

  close (dgram);
  close (stream);
  sandlock_test_remove_tree (tmpdir);
}

static int
udp_receiver (guint16 *port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (getsockname (fd, (struct sockaddr *) &addr, &length));
  *port = ntohs (addr.sin_port);
  return fd;
}

static void
test_net_allow_rules (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *rule_udp = NULL, *rule_tcp = NULL, *line = NULL;
  g_autofree char *p_udp = NULL, *p_udp_other = NULL, *p_tcp = NULL, *p_tcp_other = NULL;
  guint16 udp_port, udp_other, tcp_port, tcp_other;
  int udp = udp_receiver (&udp_port);
  int udp2 = udp_receiver (&udp_other);
  int tcp = sandlock_test_listen_tcp (&tcp_port);
  int tcp2 = sandlock_test_listen_tcp (&tcp_other);
  char buffer[16];

  rule_udp = g_strdup_printf ("udp:127.0.0.1:%u", udp_port);
  rule_tcp = g_strdup_printf ("127.0.0.1:%u", tcp_port);
  {
    const char * const allow[] = { rule_udp, rule_tcp, NULL };

    sandlock_sandbox_set_net_allow (sandbox, allow);
  }
  p_udp = g_strdup_printf ("%u", udp_port);
  p_udp_other = g_strdup_printf ("%u", udp_other);
  p_tcp = g_strdup_printf ("%u", tcp_port);
  p_tcp_other = g_strdup_printf ("%u", tcp_other);
  result = sandlock_test_run_probe (sandbox, &error, "udp-send", p_udp, "udp-send", p_udp_other,
                                    "connect", p_tcp, "connect", p_tcp_other, NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  line = g_strdup_printf ("udp-send %s: ok", p_udp);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("udp-send %s: EACCES", p_udp_other);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("connect %s: ok", p_tcp);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("connect %s: EACCES", p_tcp_other);
  sandlock_test_assert_line (output, line);

  g_assert_cmpint (recv (udp, buffer, sizeof buffer, MSG_DONTWAIT), ==, 5);
  g_assert_cmpint (recv (udp2, buffer, sizeof buffer, MSG_DONTWAIT), ==, -1);
  close (udp);
  close (udp2);
  close (tcp);
  close (tcp2);
}

static void
test_nonblocking_connect (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL, *port_text = NULL, *line = NULL;
  guint16 port;
  int listener = sandlock_test_listen_tcp (&port);

  port_text = g_strdup_printf ("%u", port);
  {
    const char * const ports[] = { port_text, NULL };

    sandlock_sandbox_set_net_connect (sandbox, ports);
  }
  result = sandlock_test_run_probe (sandbox, &error, "connect-nonblock", port_text, NULL);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  /* The real answer of a non-blocking connect, then its real outcome on
   * the same socket. */
  line = g_strdup_printf ("connect-nonblock %s: EINPROGRESS", port_text);
  sandlock_test_assert_line (output, line);
  g_free (line);
  line = g_strdup_printf ("so_error %s: 0", port_text);
  sandlock_test_assert_line (output, line);
  close (listener);
}

typedef struct {
  int       listener;
  int       fillers[3];
  guint     ticks;
  guint     drained_at;   /* the tick that made room, 0 before */
  gboolean  done;
} SlowConnect;

/* A tick of the main loop that dispatches the command's calls: after a
 * while, makes room in the listener's full queue, which is the only way
 * the command's pending connect can complete. */
static gboolean
slow_connect_tick (gpointer data)
{
  SlowConnect *slow = data;
  int client;

  slow->ticks++;
  if (slow->ticks < 20)
    return G_SOURCE_CONTINUE;
  if (slow->drained_at == 0)
    {
      /* The fillers still trying would take the room again. */
      for (int i = 0; i < 3; i++)
        close (slow->fillers[i]);
      slow->drained_at = slow->ticks;
    }
  while ((client = accept4 (slow->listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
    close (client);
  return G_SOURCE_CONTINUE;
}

static void
slow_connect_exited (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  SlowConnect *slow = data;

  g_assert_true (sandlock_process_wait_finish (SANDLOCK_PROCESS (source), result, NULL));
  slow->done = TRUE;
}

static void
test_blocking_connect_deferred (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockProcess) process = NULL;
  g_autofree char *port_text = NULL, *line = NULL, *expected = NULL;
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  SlowConnect slow = { 0 };
  guint timer;

  /* A listener whose queue is full: the kernel drops further SYNs, and a
   * blocking connect waits (here until SO_SNDTIMEO, 30 s) unless room is
   * made. */
  slow.listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_no_errno (bind (slow.listener, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (listen (slow.listener, 0));
  g_assert_no_errno (getsockname (slow.listener, (struct sockaddr *) &addr, &length));
  for (int i = 0; i < 3; i++)
    {
      slow.fillers[i] = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      connect (slow.fillers[i], (struct sockaddr *) &addr, sizeof addr);
    }
  port_text = g_strdup_printf ("%u", ntohs (addr.sin_port));
  {
    const char * const ports[] = { port_text, NULL };
    const char * const commands[] = { "connect-slow", port_text, NULL };

    sandlock_sandbox_set_net_connect (sandbox, ports);
    process = sandlock_test_spawn_probev (sandbox, G_SUBPROCESS_FLAGS_STDOUT_PIPE, commands);
  }
  /* Printed (an untrapped write) before the connect. */
  line = sandlock_test_read_line (process);
  expected = g_strdup_printf ("connecting %s", port_text);
  g_assert_cmpstr (line, ==, expected);
  g_free (line);

  timer = g_timeout_add (50, slow_connect_tick, &slow);
  sandlock_process_wait_async (process, NULL, slow_connect_exited, &slow);
  while (!slow.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);

  /* The connect completed because the loop ran on while it was pending:
   * a stalled loop would have made no room, and the connect would have
   * failed after 30 s (the kernel retries a dropped SYN after 1, 3, 7, 15
   * s, so it completes within seconds of the room being made). */
  g_assert_cmpuint (slow.drained_at, ==, 20);
  line = sandlock_test_read_line (process);
  g_free (expected);
  expected = g_strdup_printf ("connect-slow %s: ok", port_text);
  g_assert_cmpstr (line, ==, expected);

  close (slow.listener);
}

/* The protection says which mechanism enforced unix-connect: Landlock's
 * RESOLVE_UNIX right where the kernel has it (ABI 9), the guard alone
 * otherwise; both refuse the same sockets. */
static void
test_resolve_unix_protection (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  const char * const argv[] = { "/bin/true", NULL };
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean applied;

  sandlock_sandbox_set_best_effort (sandbox, TRUE);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  applied = (sandlock_result_get_protections (result) &
             SANDLOCK_PROTECTION_LANDLOCK_FS_RESOLVE_UNIX) != 0;
  g_test_message ("Landlock ABI %d: unix-connect enforced by %s", sandlock_test_landlock_abi (),
                  applied ? "Landlock (RESOLVE_UNIX) and the egress guard" : "the egress guard");
  g_assert_cmpint (applied, ==, sandlock_test_landlock_abi () >= 9);
}

int
main (int argc, char **argv)
{
  sandlock_test_init (&argc, &argv);
  g_test_add_func ("/egress/session-bus/granted", test_session_bus_granted);
  g_test_add_func ("/egress/session-bus/refused", test_session_bus_refused);
  g_test_add_func ("/egress/session-bus/gdbus", test_session_bus_gdbus);
  g_test_add_func ("/egress/unix-connect/relative", test_unix_connect_relative);
  g_test_add_func ("/egress/unix-connect/protection", test_resolve_unix_protection);
  g_test_add_func ("/egress/unix-connect/datagram-and-fd-passing", test_unix_datagram_and_fd_passing);
  g_test_add_func ("/egress/net-allow/tcp-and-udp", test_net_allow_rules);
  g_test_add_func ("/egress/connect/nonblocking", test_nonblocking_connect);
  g_test_add_func ("/egress/connect/blocking-deferred", test_blocking_connect_deferred);
  return sandlock_test_run ();
}
