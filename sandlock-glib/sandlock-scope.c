/* sandlock-scope.c: a transient systemd scope for a sandbox's limits
 *
 * See sandlock-scope-private.h. The manager's D-Bus API
 * (org.freedesktop.systemd1(5)): Manager.StartTransientUnit(s name,
 * s mode, a(sv) properties, a(sa(sv)) aux) -> o job, whose end the
 * Manager.JobRemoved(u id, o job, s unit, s result) signal tells;
 * Manager.StopUnit(s name, s mode) -> o job. The scope's properties are
 * those of systemd.resource-control(5): PIDs (au), TasksMax (t), MemoryMax
 * and MemorySwapMax (t, bytes), CPUQuotaPerSecUSec (t), AllowedCPUs (ay, a
 * bit mask: CPU n is bit n % 8 of byte n / 8), Delegate (b), CollectMode
 * (s).
 *
 * The bus is the session bus only when it exists: its address from
 * DBUS_SESSION_BUS_ADDRESS or the socket $XDG_RUNTIME_DIR/bus, never an
 * "autolaunch:" address (which would start a bus), and calls never
 * activate a service (NO_AUTO_START). A private connection, so the
 * application's own shared one is not touched.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandlock-kernel-private.h"
#include "sandlock-scope-private.h"

#define SYSTEMD_NAME "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"

/* The same backstop on tasks as our own cgroups (sandlock-cgroup.c). */
#define TASKS_PER_PROCESS 16

struct _SandlockScope {
  GDBusConnection *connection;
  char            *unit;
};

/* One request's state, on a private main context. */
typedef struct {
  GMainContext    *context;
  GCancellable    *cancellable;
  GDBusConnection *connection;
  GVariant        *reply;
  GError          *error;
  GHashTable      *removed;    /* job path -> result, from JobRemoved */
  guint            pending;    /* asynchronous operations under way */
  gboolean         answered;
  gboolean         timed_out;
} Request;

gboolean
sandlock_scope_wanted (const SandlockPolicy *policy)
{
  const char *opt = g_getenv ("SANDLOCK_SYSTEMD_SCOPE");

  if (opt != NULL && g_str_equal (opt, "0"))
    return FALSE;
  return policy->max_memory > 0 || policy->max_cpu > 0 || policy->has_cpu_mask;
}

/* The session bus's address, if one exists; NULL otherwise. */
static char *
session_bus_address (char **why_not)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *socket_path = NULL;
  g_autofree char *escaped = NULL;
  struct stat st;

  if (address != NULL && *address != '\0')
    {
      /* An address that would start a bus is no bus. */
      if (strstr (address, "autolaunch:") != NULL || strstr (address, "launchd:") != NULL)
        {
          *why_not = g_strdup_printf ("the session bus address '%s' would start a bus", address);
          return NULL;
        }
      return g_strdup (address);
    }
  if (runtime == NULL || *runtime == '\0')
    {
      *why_not = g_strdup ("no session bus (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set)");
      return NULL;
    }
  socket_path = g_build_filename (runtime, "bus", NULL);
  if (stat (socket_path, &st) != 0 || !S_ISSOCK (st.st_mode))
    {
      *why_not = g_strdup_printf ("no session bus (%s is not a socket)", socket_path);
      return NULL;
    }
  escaped = g_dbus_address_escape_value (socket_path);
  return g_strdup_printf ("unix:path=%s", escaped);
}

static gboolean
on_timeout (gpointer data)
{
  Request *request = data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Request *request = data;

  request->connection = g_dbus_connection_new_for_address_finish (result, &request->error);
  request->answered = TRUE;
  request->pending--;
}

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Request *request = data;

  request->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &request->error);
  request->answered = TRUE;
  request->pending--;
}

static void
on_job_removed (GDBusConnection *connection,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         data)
{
  Request *request = data;
  const char *job, *result;
  guint32 id;
  const char *unit;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uoss)")))
    return;
  g_variant_get (parameters, "(u&o&s&s)", &id, &job, &unit, &result);
  g_hash_table_insert (request->removed, g_strdup (job), g_strdup (result));
}

/* Runs the private context until the operation under way answers or the
 * time is up. */
static gboolean
wait_for_answer (Request *request)
{
  request->answered = FALSE;
  while (!request->answered)
    g_main_context_iteration (request->context, TRUE);
  return request->error == NULL;
}

static void
call (Request    *request,
      const char *method,
      GVariant   *parameters,
      guint       timeout_msec)
{
  g_clear_pointer (&request->reply, g_variant_unref);
  request->pending++;
  g_dbus_connection_call (request->connection, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER, method,
                          parameters, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, (int) timeout_msec,
                          request->cancellable, on_reply, request);
}

static GVariant *
build_properties (const SandlockPolicy *policy,
                  pid_t                 pid)
{
  GVariantBuilder properties;
  guint32 pid32 = (guint32) pid;

  g_variant_builder_init (&properties, G_VARIANT_TYPE ("a(sv)"));
  g_variant_builder_add (&properties, "(sv)", "Description", g_variant_new_string ("sandlock sandbox"));
  g_variant_builder_add (&properties, "(sv)", "PIDs",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, &pid32, 1, sizeof pid32));
  g_variant_builder_add (&properties, "(sv)", "Delegate", g_variant_new_boolean (FALSE));
  g_variant_builder_add (&properties, "(sv)", "CollectMode", g_variant_new_string ("inactive-or-failed"));
  if (policy->max_processes > 0)
    g_variant_builder_add (&properties, "(sv)", "TasksMax",
                           g_variant_new_uint64 ((guint64) policy->max_processes * TASKS_PER_PROCESS));
  if (policy->max_memory > 0)
    {
      g_variant_builder_add (&properties, "(sv)", "MemoryMax", g_variant_new_uint64 (policy->max_memory));
      g_variant_builder_add (&properties, "(sv)", "MemorySwapMax", g_variant_new_uint64 (0));
    }
  if (policy->max_cpu > 0)
    g_variant_builder_add (&properties, "(sv)", "CPUQuotaPerSecUSec",
                           g_variant_new_uint64 ((guint64) policy->max_cpu * 10000));
  if (policy->has_cpu_mask)
    {
      gsize length = sizeof policy->cpu_mask;

      while (length > 0 && policy->cpu_mask[length - 1] == 0)
        length--;
      g_variant_builder_add (&properties, "(sv)", "AllowedCPUs",
                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, policy->cpu_mask, length, 1));
    }
  return g_variant_builder_end (&properties);
}

static char *
new_unit_name (void)
{
  static gint counter = 0;

  return g_strdup_printf ("app-sandlock-%d-%d.scope", (int) getpid (), g_atomic_int_add (&counter, 1));
}

/* The request itself, on @request's context; the unit's name on success. */
static char *
request_scope (Request               *request,
               const SandlockPolicy  *policy,
               pid_t                  pid,
               guint                  timeout_msec,
               char                 **why_not)
{
  g_autofree char *address = session_bus_address (why_not);
  g_autofree char *unit = NULL;
  const char *job = NULL;
  const char *result;
  guint subscription;

  if (address == NULL)
    return NULL;

  request->pending++;
  g_dbus_connection_new_for_address (address,
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                     NULL, request->cancellable, on_connected, request);
  if (!wait_for_answer (request))
    {
      *why_not = g_strdup_printf ("connecting to the session bus failed: %s", request->error->message);
      return NULL;
    }

  /* Before the call: the job may end before its reply reaches us. */
  subscription = g_dbus_connection_signal_subscribe (request->connection, SYSTEMD_NAME, SYSTEMD_MANAGER,
                                                     "JobRemoved", SYSTEMD_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, on_job_removed,
                                                     request, NULL);
  /* The manager only sends its signals to subscribed clients. */
  call (request, "Subscribe", NULL, timeout_msec);
  if (!wait_for_answer (request))
    {
      *why_not = g_strdup_printf ("the user's systemd manager is not reachable: %s", request->error->message);
      goto out;
    }

  unit = new_unit_name ();
  call (request, "StartTransientUnit",
        g_variant_new ("(ss@a(sv)@a(sa(sv)))", unit, "fail", build_properties (policy, pid),
                       g_variant_new_array (G_VARIANT_TYPE ("(sa(sv))"), NULL, 0)),
        timeout_msec);
  if (!wait_for_answer (request))
    {
      *why_not = g_strdup_printf ("the user's systemd manager refused the scope %s: %s", unit,
                                  request->error->message);
      g_clear_pointer (&unit, g_free);
      goto out;
    }
  g_variant_get (request->reply, "(&o)", &job);
  while ((result = g_hash_table_lookup (request->removed, job)) == NULL && !request->timed_out)
    g_main_context_iteration (request->context, TRUE);
  if (result == NULL || !g_str_equal (result, "done"))
    {
      *why_not = result == NULL
        ? g_strdup_printf ("the scope %s was not started within %u ms", unit, timeout_msec)
        : g_strdup_printf ("starting the scope %s failed: %s", unit, result);
      g_clear_pointer (&unit, g_free);
    }

out:
  g_dbus_connection_signal_unsubscribe (request->connection, subscription);
  return g_steal_pointer (&unit);
}

SandlockScope *
sandlock_scope_start (const SandlockPolicy  *policy,
                      pid_t                  pid,
                      guint                  timeout_msec,
                      char                 **why_not)
{
  Request *request = g_new0 (Request, 1);
  SandlockScope *scope = NULL;
  GSource *timeout;
  g_autofree char *unit = NULL;

  request->context = g_main_context_new ();
  request->cancellable = g_cancellable_new ();
  request->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_main_context_push_thread_default (request->context);
  timeout = g_timeout_source_new (timeout_msec);
  g_source_set_callback (timeout, on_timeout, request, NULL);
  g_source_attach (timeout, request->context);

  unit = request_scope (request, policy, pid, timeout_msec, why_not);
  if (unit != NULL)
    {
      scope = g_new0 (SandlockScope, 1);
      scope->connection = g_object_ref (request->connection);
      scope->unit = g_steal_pointer (&unit);
    }

  /* What is still under way was cancelled (or has answered): let it
   * finish, so that nothing refers to the request afterwards. */
  g_cancellable_cancel (request->cancellable);
  while (request->pending > 0)
    g_main_context_iteration (request->context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  while (g_main_context_iteration (request->context, FALSE))
    ;
  g_main_context_pop_thread_default (request->context);

  if (scope == NULL && request->connection != NULL)
    g_dbus_connection_close (request->connection, NULL, NULL, NULL);
  g_clear_object (&request->connection);
  g_clear_pointer (&request->reply, g_variant_unref);
  g_clear_error (&request->error);
  g_hash_table_unref (request->removed);
  g_object_unref (request->cancellable);
  g_main_context_unref (request->context);
  g_free (request);
  return scope;
}

const char *
sandlock_scope_get_unit (const SandlockScope *scope)
{
  return scope->unit;
}

/* In a thread of its own: neither a main context (the application's may
 * not run again) nor the caller waits for it. Bounded by the call's
 * timeout. */
static gpointer
stop_unit_thread (gpointer data)
{
  SandlockScope *scope = data;
  g_autoptr(GVariant) reply = NULL;

  /* The reply does not matter: the manager collects an empty scope by
   * itself; this only makes it go at once. */
  reply = g_dbus_connection_call_sync (scope->connection, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                       "StopUnit", g_variant_new ("(ss)", scope->unit, "replace"),
                                       NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       SANDLOCK_SCOPE_TIMEOUT_MSEC, NULL, NULL);
  g_dbus_connection_close_sync (scope->connection, NULL, NULL);
  g_object_unref (scope->connection);
  g_free (scope->unit);
  g_free (scope);
  return NULL;
}

void
sandlock_scope_free (SandlockScope *scope)
{
  if (scope == NULL)
    return;
  g_thread_unref (g_thread_new ("sandlock-scope", stop_unit_thread, scope));
}
