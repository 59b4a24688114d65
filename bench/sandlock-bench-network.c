/* sandlock-bench-network.c: what the network guards cost
 *
 *   sandlock-bench-network CHILD N PENDING_MS
 *
 * In one run: the median time of a TCP connect to loopback and of a UDP
 * sendto, bare and confined (the egress guard deciding each on its own copy
 * of the address and making the call on the command's behalf: with only
 * net-connect's port, and with a net-allow rule), and the lateness of a
 * 10 ms timer on the application's main loop while 16 of the command's
 * connects to a listener whose backlog is full are pending (each deferred
 * to a worker thread, never blocking the loop). Prints one JSON object.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sandlock-glib/sandlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *child;

static int
listener (int type,
          int backlog,
          int *port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t length = sizeof addr;
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
      (type == SOCK_STREAM && listen (fd, backlog) != 0) ||
      getsockname (fd, (struct sockaddr *) &addr, &length) != 0)
    g_error ("listener: %s", g_strerror (errno));
  *port = ntohs (addr.sin_port);
  return fd;
}

static gpointer
accept_forever (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);

  for (;;)
    {
      int client = accept (fd, NULL, NULL);

      if (client >= 0)
        close (client);
    }
  return NULL;
}

static double
median_of (const char *json)
{
  const char *at = strstr (json, "\"median_us\": ");

  if (at == NULL)
    g_error ("unexpected output: %s", json);
  return g_ascii_strtod (at + strlen ("\"median_us\": "), NULL);
}

static double
bare (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("bare run: %s", error->message);
  return median_of (out);
}

static SandlockSandbox *
sandbox_new (void)
{
  g_autofree char *dir = g_path_get_dirname (child);
  const char *paths[] = { "/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", dir, NULL };
  g_autoptr(GPtrArray) readable = g_ptr_array_new ();
  SandlockSandbox *sandbox = sandlock_sandbox_new ();

  for (gsize i = 0; paths[i] != NULL; i++)
    if (g_file_test (paths[i], G_FILE_TEST_EXISTS))
      g_ptr_array_add (readable, (gpointer) paths[i]);
  g_ptr_array_add (readable, NULL);
  sandlock_sandbox_set_fs_readable (sandbox, (const char * const *) readable->pdata);
  sandlock_sandbox_set_timeout (sandbox, 120);
  return sandbox;
}

static double
confined (SandlockSandbox    *sandbox,
          const char * const *argv)
{
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  if (result == NULL || !sandlock_result_get_success (result))
    g_error ("confined run: %s", error != NULL ? error->message : "failed");
  out = g_strndup (g_bytes_get_data (sandlock_result_get_stdout (result), NULL),
                   g_bytes_get_size (sandlock_result_get_stdout (result)));
  return median_of (out);
}

typedef struct {
  gint64     last;
  GArray    *lateness;   /* gint64 µs */
  GMainLoop *loop;
  gboolean   done;
} Ticks;

static gboolean
tick (gpointer data)
{
  Ticks *ticks = data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - ticks->last - 10000;

  g_array_append_val (ticks->lateness, late);
  ticks->last = now;
  return G_SOURCE_CONTINUE;
}

static void
on_pending_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Ticks *ticks = data;
  g_autoptr(SandlockResult) run = NULL;
  g_autoptr(GError) error = NULL;

  run = sandlock_sandbox_run_finish (SANDLOCK_SANDBOX (source), result, &error);
  if (run == NULL)
    g_error ("pending run: %s", error->message);
  ticks->done = TRUE;
  g_main_loop_quit (ticks->loop);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autofree char *n_text = NULL, *tcp_text = NULL, *udp_text = NULL, *full_text = NULL;
  g_autofree char *allow_tcp = NULL, *allow_udp = NULL, *pending_text = NULL;
  g_autoptr(SandlockSandbox) ports_only = NULL, by_rule = NULL, udp_rule = NULL, pending = NULL;
  double connect_bare, connect_ports, connect_rule, sendto_bare, sendto_rule;
  int tcp_port, udp_port, full_port, tcp, full;
  Ticks ticks = { 0 };
  gint64 max_late;

  if (argc != 4)
    {
      fprintf (stderr, "usage: sandlock-bench-network CHILD N PENDING_MS\n");
      return 2;
    }
  child = argv[1];
  n_text = g_strdup (argv[2]);
  pending_text = g_strdup (argv[3]);

  tcp = listener (SOCK_STREAM, 128, &tcp_port);
  g_thread_new ("accept", accept_forever, GINT_TO_POINTER (tcp));
  listener (SOCK_DGRAM, 0, &udp_port);
  tcp_text = g_strdup_printf ("%d", tcp_port);
  udp_text = g_strdup_printf ("%d", udp_port);

  {
    const char * const connect_argv[] = { child, "connect", n_text, tcp_text, NULL };
    const char * const sendto_argv[] = { child, "sendto", n_text, udp_text, NULL };
    const char * const ports[] = { tcp_text, NULL };

    allow_tcp = g_strdup_printf ("127.0.0.1:%d", tcp_port);
    allow_udp = g_strdup_printf ("udp:127.0.0.1:%d", udp_port);

    ports_only = sandbox_new ();
    sandlock_sandbox_set_net_connect (ports_only, ports);
    by_rule = sandbox_new ();
    sandlock_sandbox_set_net_allow (by_rule, (const char * const []) { allow_tcp, NULL });
    udp_rule = sandbox_new ();
    sandlock_sandbox_set_net_allow (udp_rule, (const char * const []) { allow_udp, NULL });

    connect_bare = bare (connect_argv);
    connect_ports = confined (ports_only, connect_argv);
    connect_rule = confined (by_rule, connect_argv);
    sendto_bare = bare (sendto_argv);
    sendto_rule = confined (udp_rule, sendto_argv);
  }

  /* A listener that accepts nothing, its backlog full: connects to it wait
   * (SYN retransmits) until their SO_SNDTIMEO. */
  full = listener (SOCK_STREAM, 0, &full_port);
  for (int i = 0; i < 4; i++)
    {
      struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) full_port) };
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

      addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      connect (fd, (struct sockaddr *) &addr, sizeof addr);
    }
  full_text = g_strdup_printf ("%d", full_port);
  pending = sandbox_new ();
  sandlock_sandbox_set_net_connect (pending, (const char * const []) { full_text, NULL });

  ticks.lateness = g_array_new (FALSE, FALSE, sizeof (gint64));
  ticks.loop = g_main_loop_new (NULL, FALSE);
  ticks.last = g_get_monotonic_time ();
  g_timeout_add (10, tick, &ticks);
  sandlock_sandbox_run_async (pending, (const char * const []) {
                                child, "pending", "16", full_text, pending_text, NULL },
                              NULL, NULL, on_pending_done, &ticks);
  g_main_loop_run (ticks.loop);
  g_array_sort (ticks.lateness, compare_gint64);
  max_late = ticks.lateness->len > 0 ? g_array_index (ticks.lateness, gint64, ticks.lateness->len - 1) : 0;

  printf ("{\"mode\": \"network\", \"n\": %s, "
          "\"connect_bare_us\": %.2f, \"connect_ports_us\": %.2f, \"connect_rule_us\": %.2f, "
          "\"sendto_bare_us\": %.2f, \"sendto_rule_us\": %.2f, "
          "\"pending_connects\": 16, \"pending_ms\": %s, \"ticks\": %u, "
          "\"lateness_p50_ms\": %.2f, \"lateness_max_ms\": %.2f}\n",
          n_text, connect_bare, connect_ports, connect_rule, sendto_bare, sendto_rule, pending_text,
          ticks.lateness->len,
          ticks.lateness->len > 0 ? g_array_index (ticks.lateness, gint64, ticks.lateness->len / 2) / 1000.0 : 0.0,
          max_late / 1000.0);
  close (full);
  return 0;
}
