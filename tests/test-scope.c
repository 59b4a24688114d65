/* test-scope.c: the transient systemd scope an application that cannot
 * create cgroups asks the user's manager for (sandlock-scope.c)
 *
 * Real systemd was NOT usable for this test on the machine it was written
 * on: systemd 252 is installed, but is not PID 1. A `systemd --user`
 * started by hand (as root, in a private mount namespace with a fake
 * /run/systemd/system, on a private dbus-daemon) does make working
 * scopes, and the library got real limits from it; but started from the
 * machine's root cgroup it takes that root over, moving every process of
 * the machine into /init.scope of each hierarchy, which no test may do to
 * a shared machine. So the manager here is a STAND-IN, implemented below
 * with GDBus on a private dbus-daemon bus: it owns
 * org.freedesktop.systemd1 and implements Manager.Subscribe,
 * Manager.StartTransientUnit (with the signature of systemd's API,
 * org.freedesktop.systemd1(5)) by really creating a cgroup named after
 * the unit (as root: in the memory hierarchy with memory.limit_in_bytes
 * from MemoryMax, and in the unified one, as systemd does on a hybrid
 * layout), moving the given PIDs into it and emitting JobRemoved, and
 * Manager.StopUnit by removing it. The tests check the library's call
 * (unit name, mode, property names, types and values, the PID) and that
 * the command really runs in that cgroup with its memory limit enforced
 * by the kernel; and the fallbacks: a bus without the manager, no bus,
 * and the opt-out.
 *
 * The library's own cgroups are disabled (SANDLOCK_TEST_DISABLE=cgroup):
 * as for an ordinary user, it must ask the manager.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandlock-cgroup-private.h"
#include "sandlock-test-common.h"

static const char manager_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.systemd1.Manager'>"
  "    <method name='Subscribe'/>"
  "    <method name='StartTransientUnit'>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='s' name='mode' direction='in'/>"
  "      <arg type='a(sv)' name='properties' direction='in'/>"
  "      <arg type='a(sa(sv))' name='aux' direction='in'/>"
  "      <arg type='o' name='job' direction='out'/>"
  "    </method>"
  "    <method name='StopUnit'>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='s' name='mode' direction='in'/>"
  "      <arg type='o' name='job' direction='out'/>"
  "    </method>"
  "    <signal name='JobRemoved'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='o' name='job'/>"
  "      <arg type='s' name='unit'/>"
  "      <arg type='s' name='result'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

typedef struct {
  char            *dir;          /* the bus's socket's directory */
  GSubprocess     *daemon;
  char            *address;
  /* The stand-in manager, in a thread of its own (the library blocks the
   * spawning thread while it waits for the manager). */
  gboolean         with_manager;
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GDBusConnection *connection;
  GMutex           lock;
  GCond            cond;
  gboolean         ready;
  /* What the library asked, under lock. */
  char            *unit;
  char            *mode;
  GVariant        *properties;
  char            *stopped;
  char            *memory_dir;   /* the unit's cgroups, as made */
  char            *unified_dir;
  guint            job;
} Bus;

static gboolean
write_text (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0644, NULL);
}

static char *
own_dir (const char *controller)
{
  g_autofree char *cgroups = NULL;
  g_autofree char *mountinfo = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/cgroup", &cgroups, NULL, NULL));
  g_assert_true (g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL));
  return sandlock_cgroup_find_dir (cgroups, mountinfo, controller);
}

/* StartTransientUnit, as the stand-in does it: a cgroup per hierarchy,
 * named after the unit, with the memory limit; the PIDs moved in. */
static char *
start_unit (Bus        *bus,
            const char *unit,
            GVariant   *properties)
{
  g_autofree char *memory_parent = own_dir ("memory");
  g_autofree char *unified_parent = own_dir ("");
  g_autofree char *memory_dir = NULL;
  g_autofree char *unified_dir = NULL;
  g_autoptr(GVariant) pids = NULL;
  const guint32 *pid_list;
  gsize n_pids = 0;
  guint64 memory_max = 0;

  g_variant_lookup (properties, "MemoryMax", "t", &memory_max);
  pids = g_variant_lookup_value (properties, "PIDs", G_VARIANT_TYPE ("au"));
  if (pids == NULL || memory_parent == NULL)
    return g_strdup ("no PIDs, or no memory hierarchy");
  memory_dir = g_build_filename (memory_parent, unit, NULL);
  if (mkdir (memory_dir, 0755) != 0)
    return g_strdup_printf ("mkdir %s: %s", memory_dir, g_strerror (errno));
  if (memory_max > 0)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, memory_max);

      write_text (memory_dir, "memory.limit_in_bytes", value);
      write_text (memory_dir, "memory.memsw.limit_in_bytes", value);
    }
  if (unified_parent != NULL)
    {
      unified_dir = g_build_filename (unified_parent, unit, NULL);
      if (mkdir (unified_dir, 0755) != 0)
        g_clear_pointer (&unified_dir, g_free);
    }
  pid_list = g_variant_get_fixed_array (pids, &n_pids, sizeof (guint32));
  for (gsize i = 0; i < n_pids; i++)
    {
      g_autofree char *pid = g_strdup_printf ("%u", pid_list[i]);

      if (!write_text (memory_dir, "cgroup.procs", pid) ||
          (unified_dir != NULL && !write_text (unified_dir, "cgroup.procs", pid)))
        return g_strdup_printf ("moving %s failed", pid);
    }
  g_mutex_lock (&bus->lock);
  bus->memory_dir = g_steal_pointer (&memory_dir);
  bus->unified_dir = g_steal_pointer (&unified_dir);
  g_mutex_unlock (&bus->lock);
  return NULL;
}

static void
remove_unit_dirs (Bus *bus)
{
  const char *dirs[] = { bus->memory_dir, bus->unified_dir };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (dirs[i] != NULL)
      for (int attempt = 0; attempt < 1000 && rmdir (dirs[i]) != 0 && errno == EBUSY; attempt++)
        g_usleep (1000);
}

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               data)
{
  Bus *bus = data;
  g_autofree char *job = NULL;

  if (g_str_equal (method, "Subscribe"))
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }
  if (g_str_equal (method, "StopUnit"))
    {
      const char *unit, *mode;

      g_variant_get (parameters, "(&s&s)", &unit, &mode);
      g_mutex_lock (&bus->lock);
      remove_unit_dirs (bus);
      bus->stopped = g_strdup (unit);
      job = g_strdup_printf ("/org/freedesktop/systemd1/job/%u", ++bus->job);
      g_cond_broadcast (&bus->cond);
      g_mutex_unlock (&bus->lock);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", job));
      return;
    }
  if (g_str_equal (method, "StartTransientUnit"))
    {
      const char *unit, *mode;
      g_autoptr(GVariant) properties = NULL;
      g_autoptr(GVariant) aux = NULL;
      g_autoptr(GVariant) dict = NULL;
      GVariantBuilder builder;
      GVariantIter iter;
      const char *key;
      GVariant *value;
      g_autofree char *failure = NULL;
      guint id;

      g_variant_get (parameters, "(&s&s@a(sv)@a(sa(sv)))", &unit, &mode, &properties, &aux);
      /* As a dictionary, for the test's look-ups. */
      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      g_variant_iter_init (&iter, properties);
      while (g_variant_iter_next (&iter, "(&sv)", &key, &value))
        {
          g_variant_builder_add (&builder, "{sv}", key, value);
          g_variant_unref (value);
        }
      dict = g_variant_ref_sink (g_variant_builder_end (&builder));
      failure = start_unit (bus, unit, dict);
      g_mutex_lock (&bus->lock);
      bus->unit = g_strdup (unit);
      bus->mode = g_strdup (mode);
      bus->properties = g_variant_ref (dict);
      id = ++bus->job;
      g_mutex_unlock (&bus->lock);
      job = g_strdup_printf ("/org/freedesktop/systemd1/job/%u", id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", job));
      /* Then the job's end, as systemd reports it. */
      g_dbus_connection_emit_signal (connection, NULL, "/org/freedesktop/systemd1",
                                     "org.freedesktop.systemd1.Manager", "JobRemoved",
                                     g_variant_new ("(uoss)", id, job, unit,
                                                    failure == NULL ? "done" : "failed"),
                                     NULL);
      if (failure != NULL)
        g_printerr ("stand-in manager: %s\n", failure);
      return;
    }
  g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.UnknownMethod",
                                              method);
}

static gpointer
manager_thread (gpointer data)
{
  Bus *bus = data;
  static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (manager_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_main_context_push_thread_default (bus->context);
  bus->connection = g_dbus_connection_new_for_address_sync (bus->address,
                                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                            NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus->connection, "/org/freedesktop/systemd1", info->interfaces[0],
                                     &vtable, bus, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.systemd1", 4u),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_mutex_lock (&bus->lock);
  bus->ready = TRUE;
  g_cond_broadcast (&bus->cond);
  g_mutex_unlock (&bus->lock);
  g_main_loop_run (bus->loop);
  g_dbus_connection_close_sync (bus->connection, NULL, NULL);
  g_clear_object (&bus->connection);
  g_main_context_pop_thread_default (bus->context);
  return NULL;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A private dbus-daemon, made the session bus of this process, with the
 * stand-in manager on it if @with_manager. */
static Bus *
bus_start (gboolean with_manager)
{
  Bus *bus = g_new0 (Bus, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  bus->dir = g_dir_make_tmp ("sandlock-scope-XXXXXX", &error);
  g_assert_no_error (error);
  listen = g_strdup_printf ("--address=unix:path=%s/bus", bus->dir);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Gone with the test, even one that aborts. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  bus->daemon = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session", "--nofork",
                                             "--nopidfile", "--print-address=1", listen, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus->daemon));
  bus->address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bus->address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus->address, TRUE);
  g_mutex_init (&bus->lock);
  g_cond_init (&bus->cond);
  bus->with_manager = with_manager;
  if (with_manager)
    {
      bus->context = g_main_context_new ();
      bus->loop = g_main_loop_new (bus->context, FALSE);
      bus->thread = g_thread_new ("stand-in-systemd", manager_thread, bus);
      g_mutex_lock (&bus->lock);
      while (!bus->ready)
        g_cond_wait (&bus->cond, &bus->lock);
      g_mutex_unlock (&bus->lock);
    }
  return bus;
}

static void
bus_stop (Bus *bus)
{
  if (bus->thread != NULL)
    {
      g_main_loop_quit (bus->loop);
      g_thread_join (bus->thread);
      g_main_loop_unref (bus->loop);
      g_main_context_unref (bus->context);
    }
  remove_unit_dirs (bus);
  g_subprocess_force_exit (bus->daemon);
  g_subprocess_wait (bus->daemon, NULL, NULL);
  g_object_unref (bus->daemon);
  sandlock_test_remove_tree (bus->dir);
  g_free (bus->dir);
  g_free (bus->address);
  g_free (bus->unit);
  g_free (bus->mode);
  g_free (bus->stopped);
  g_free (bus->memory_dir);
  g_free (bus->unified_dir);
  g_clear_pointer (&bus->properties, g_variant_unref);
  g_free (bus);
}

static gboolean
skip_unless_root (void)
{
  if (geteuid () == 0)
    return FALSE;
  g_test_skip ("the stand-in manager makes cgroups, which needs root here (no delegated subtree)");
  return TRUE;
}

/* The call, and the command in the unit's cgroup. */
static void
test_stand_in_call (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *own_memory = NULL;
  g_autoptr(GVariant) pids = NULL;
  g_autoptr(GVariant) cpus = NULL;
  const char *argv[] = { sandlock_test_limits_probe (), "cgroup", NULL };
  const char *collect = NULL;
  guint64 value = G_MAXUINT64;
  gboolean delegate = TRUE;
  const guint32 *pid_list;
  const guint8 *cpu_bytes;
  gsize n = 0;
  Bus *bus;

  if (skip_unless_root ())
    return;
  bus = bus_start (TRUE);
  sandbox = sandlock_test_sandbox_new ();
  sandlock_test_grant (sandbox, "/proc", FALSE);
  sandlock_sandbox_set_max_memory (sandbox, (guint64) 64 << 20);
  sandlock_sandbox_set_max_processes (sandbox, 8);
  sandlock_sandbox_set_max_cpu (sandbox, 50);
  sandlock_sandbox_set_cpu_cores (sandbox, "0");
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);

  g_mutex_lock (&bus->lock);
  g_assert_nonnull (bus->unit);
  prefix = g_strdup_printf ("app-sandlock-%d-", (int) getpid ());
  {
    g_autofree char *printed = g_variant_print (bus->properties, TRUE);

    g_test_message ("unit %s, properties %s", bus->unit, printed);
  }
  g_assert_true (g_str_has_prefix (bus->unit, prefix));
  g_assert_true (g_str_has_suffix (bus->unit, ".scope"));
  g_assert_cmpstr (bus->mode, ==, "fail");
  /* One PID: the helper's (not ours; the command's ancestor, since the
   * command ran in the unit's cgroup: see below). */
  pids = g_variant_lookup_value (bus->properties, "PIDs", G_VARIANT_TYPE ("au"));
  g_assert_nonnull (pids);
  pid_list = g_variant_get_fixed_array (pids, &n, sizeof (guint32));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (pid_list[0], !=, (guint32) getpid ());
  g_assert_true (g_variant_lookup (bus->properties, "TasksMax", "t", &value));
  g_assert_cmpuint (value, ==, 8 * 16);
  g_assert_true (g_variant_lookup (bus->properties, "MemoryMax", "t", &value));
  g_assert_cmpuint (value, ==, (guint64) 64 << 20);
  g_assert_true (g_variant_lookup (bus->properties, "MemorySwapMax", "t", &value));
  g_assert_cmpuint (value, ==, 0);
  g_assert_true (g_variant_lookup (bus->properties, "CPUQuotaPerSecUSec", "t", &value));
  g_assert_cmpuint (value, ==, 500000);
  cpus = g_variant_lookup_value (bus->properties, "AllowedCPUs", G_VARIANT_TYPE ("ay"));
  g_assert_nonnull (cpus);
  cpu_bytes = g_variant_get_fixed_array (cpus, &n, 1);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (cpu_bytes[0], ==, 0x01);
  g_assert_true (g_variant_lookup (bus->properties, "Delegate", "b", &delegate));
  g_assert_false (delegate);
  g_assert_true (g_variant_lookup (bus->properties, "CollectMode", "&s", &collect));
  g_assert_cmpstr (collect, ==, "inactive-or-failed");

  /* The command ran in the unit's cgroups. */
  own_memory = own_dir ("memory");
  {
    g_autofree char *cgroups = NULL;
    g_autofree char *mountinfo = NULL;
    g_autofree char *dir = NULL;

    cgroups = g_strdup (output);
    g_assert_true (g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL));
    dir = sandlock_cgroup_find_dir (cgroups, mountinfo, "memory");
    g_test_message ("the command ran in %s", dir);
    g_assert_cmpstr (dir, ==, bus->memory_dir);
    if (bus->unified_dir != NULL)
      {
        g_autofree char *unified = sandlock_cgroup_find_dir (cgroups, mountinfo, "");

        g_assert_cmpstr (unified, ==, bus->unified_dir);
      }
  }
  /* The stand-in made no cpu or cpuset cgroup: those limits took their
   * fallbacks; memory is the scope's. */
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY), ==,
                   SANDLOCK_LIMIT_MECHANISM_SYSTEMD_SCOPE);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_CPU), ==,
                   SANDLOCK_LIMIT_MECHANISM_SUPERVISOR);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_CPU_CORES), ==,
                   SANDLOCK_LIMIT_MECHANISM_AFFINITY);
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_PROCESSES), ==,
                   SANDLOCK_LIMIT_MECHANISM_SUPERVISOR);

  /* Once the sandbox is gone, the library stops the unit (without
   * waiting: wait for the stand-in to hear of it). */
  for (int waited = 0; bus->stopped == NULL && waited < SANDLOCK_TEST_HANG_SECONDS * 1000; waited += 10)
    {
      g_mutex_unlock (&bus->lock);
      g_usleep (10 * 1000);
      g_mutex_lock (&bus->lock);
    }
  g_assert_cmpstr (bus->stopped, ==, bus->unit);
  g_assert_false (g_file_test (bus->memory_dir, G_FILE_TEST_EXISTS));
  g_mutex_unlock (&bus->lock);
  bus_stop (bus);
}

/* The scope's memory limit is the kernel's: an allocation beyond it is
 * killed by the OOM killer in the unit's cgroup, and reported so. */
static void
test_stand_in_memory (void)
{
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *argv[] = { sandlock_test_limits_probe (), "alloc", "256", NULL };
  Bus *bus;

  if (skip_unless_root ())
    return;
  bus = bus_start (TRUE);
  sandbox = sandlock_test_sandbox_new ();
  sandlock_sandbox_set_max_memory (sandbox, (guint64) 32 << 20);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_test_message ("the probe said: %s", output);
  g_assert_null (strstr (output, "allocated all"));
  g_assert_cmpint (sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY), ==,
                   SANDLOCK_LIMIT_MECHANISM_SYSTEMD_SCOPE);
  g_assert_true (sandlock_result_get_oom_killed (result));
  g_assert_cmpuint (sandlock_result_get_limits_reached (result) & SANDLOCK_LIMIT_MEMORY, ==,
                    SANDLOCK_LIMIT_MEMORY);
  bus_stop (bus);
}

/* Runs a memory-limited command; returns its memory mechanism. */
static SandlockLimitMechanism
run_memory_limited (void)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
  g_autoptr(SandlockResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  const char *argv[] = { sandlock_test_limits_probe (), "alloc", "8", NULL };

  sandlock_sandbox_set_max_memory (sandbox, (guint64) 256 << 20);
  result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
  g_assert_no_error (error);
  output = sandlock_test_stdout (result);
  g_assert_nonnull (strstr (output, "allocated all"));
  return sandlock_result_get_limit_mechanism (result, SANDLOCK_LIMIT_MEMORY);
}

/* A session bus without the manager: the fallback, within the bound. */
static void
test_no_manager (void)
{
  Bus *bus = bus_start (FALSE);

  g_assert_cmpint (run_memory_limited (), ==, SANDLOCK_LIMIT_MECHANISM_RLIMIT);
  bus_stop (bus);
}

/* No session bus at all, or only an address that would start one. */
static void
test_no_bus (void)
{
  g_autofree char *empty = g_dir_make_tmp ("sandlock-scope-XXXXXX", NULL);

  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("XDG_RUNTIME_DIR", empty, TRUE);
  g_assert_cmpint (run_memory_limited (), ==, SANDLOCK_LIMIT_MECHANISM_RLIMIT);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "autolaunch:", TRUE);
  g_assert_cmpint (run_memory_limited (), ==, SANDLOCK_LIMIT_MECHANISM_RLIMIT);
  rmdir (empty);
}

/* SANDLOCK_SYSTEMD_SCOPE=0: the manager is not asked. */
static void
test_opt_out (void)
{
  Bus *bus;

  if (skip_unless_root ())
    return;
  bus = bus_start (TRUE);
  g_setenv ("SANDLOCK_SYSTEMD_SCOPE", "0", TRUE);
  g_assert_cmpint (run_memory_limited (), ==, SANDLOCK_LIMIT_MECHANISM_RLIMIT);
  g_mutex_lock (&bus->lock);
  g_assert_null (bus->unit);
  g_mutex_unlock (&bus->lock);
  /* And no limit that needs a cgroup: not asked either. */
  g_setenv ("SANDLOCK_SYSTEMD_SCOPE", "1", TRUE);
  {
    g_autoptr(SandlockSandbox) sandbox = sandlock_test_sandbox_new ();
    g_autoptr(SandlockResult) result = NULL;
    g_autoptr(GError) error = NULL;
    const char *argv[] = { sandlock_test_limits_probe (), "alloc", "1", NULL };

    sandlock_sandbox_set_max_processes (sandbox, 8);
    result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_mutex_lock (&bus->lock);
  g_assert_null (bus->unit);
  g_mutex_unlock (&bus->lock);
  bus_stop (bus);
}

int
main (int    argc,
      char **argv)
{
  /* As for an ordinary user: no cgroup of the library's own. */
  g_setenv ("SANDLOCK_TEST_DISABLE", "cgroup", TRUE);
  g_setenv ("SANDLOCK_SYSTEMD_SCOPE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scope/stand-in/call", test_stand_in_call);
  g_test_add_func ("/scope/stand-in/memory", test_stand_in_memory);
  g_test_add_func ("/scope/no-manager", test_no_manager);
  g_test_add_func ("/scope/no-bus", test_no_bus);
  g_test_add_func ("/scope/opt-out", test_opt_out);

  return sandlock_test_run ();
}
