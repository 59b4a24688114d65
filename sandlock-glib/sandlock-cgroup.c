/* sandlock-cgroup.c: a cgroup per sandbox, for its resource limits
 *
 * The application's own cgroup is read from /proc/self/cgroup, and the
 * hierarchies' mount points from /proc/self/mountinfo. The unified (v2)
 * hierarchy is used when the application's cgroup there offers every
 * controller the limits need (cgroup.controllers) and they can be enabled
 * for its children (cgroup.subtree_control: this fails when processes
 * live in the application's cgroup itself, unless it is the root, hence
 * the need for a delegated subtree); otherwise each controller's v1
 * hierarchy. Creating the directory needs write access to the parent:
 * root, or a subtree delegated to the user. Any failure undoes what was
 * made and reports why; the caller falls back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandlock-cgroup-private.h"
#include "sandlock-kernel-private.h"

/* The kernel's CPU bandwidth period we ask for: 100 ms. */
#define CPU_PERIOD_US 100000

/* The pids controller bounds tasks, threads included: a backstop far above
 * max-processes (the processes guard counts processes). */
#define PIDS_PER_PROCESS 16

struct _SandlockCgroup {
  int        version;
  GPtrArray *dirs;        /* created, to remove (deepest last created) */
  GPtrArray *procs;       /* cgroup.procs files, NULL-terminated */
  char      *memory_dir;  /* NULL without a memory limit */
  char      *cpu_dir;     /* NULL without a CPU limit */
  char      *kill_file;   /* a v2 cgroup.kill, or NULL */
  gboolean   has_cpuset;  /* a unit's: a cpuset of its own */
};

gboolean
sandlock_cgroup_wanted (const SandlockPolicy *policy)
{
  return policy->max_memory > 0 || policy->max_cpu > 0 || policy->has_cpu_mask;
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            const char  *value,
            char       **why_not)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t n = -1;
  int saved_errno;

  if (fd >= 0)
    {
      while ((n = write (fd, value, strlen (value))) < 0 && errno == EINTR)
        ;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (n == (ssize_t) strlen (value))
    return TRUE;
  if (why_not != NULL)
    *why_not = g_strdup_printf ("writing '%s' to %s failed: %s", value, path,
                                g_strerror (saved_errno));
  return FALSE;
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

/* The word @word in @list (separated by spaces, commas or newlines). */
static gboolean
has_word (const char *list,
          const char *word)
{
  g_auto(GStrv) words = g_strsplit_set (list, " ,\n", -1);

  return g_strv_contains ((const char * const *) words, word);
}

/* The application's cgroup path in the hierarchy whose line in
 * /proc/self/cgroup has @controllers @controller ("" for v2), or NULL. */
static char *
own_path (const char *cgroups,
          const char *controller)
{
  g_auto(GStrv) lines = g_strsplit (cgroups, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ":", 3);

      if (g_strv_length (fields) != 3)
        continue;
      if (controller[0] == '\0' ? (g_str_equal (fields[0], "0") && fields[1][0] == '\0')
                                : has_word (fields[1], controller))
        return g_strdup (fields[2]);
    }
  return NULL;
}

/* The directory of our cgroup in the hierarchy of @controller ("" for
 * v2), from /proc/self/mountinfo, or NULL. */
char *
sandlock_cgroup_find_dir (const char *cgroups,
                          const char *mountinfo,
                          const char *controller)
{
  g_autofree char *path = own_path (cgroups, controller);
  g_auto(GStrv) lines = NULL;

  if (path == NULL)
    return NULL;
  lines = g_strsplit (mountinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER */
      const char *dash = strstr (lines[i], " - ");
      g_auto(GStrv) before = NULL, after = NULL;

      if (dash == NULL)
        continue;
      before = g_strsplit (lines[i], " ", 6);
      after = g_strsplit (dash + 3, " ", 3);
      if (g_strv_length (before) < 6 || g_strv_length (after) < 3)
        continue;
      if (controller[0] == '\0' ? !g_str_equal (after[0], "cgroup2")
                                : !(g_str_equal (after[0], "cgroup") && has_word (after[2], controller)))
        continue;
      /* Our path lies beneath the mount's root (a cgroup namespace or a
       * bind mount may show part of the hierarchy only). */
      if (g_str_equal (before[3], "/"))
        return g_canonicalize_filename (path + 1, before[4]);
      if (g_str_has_prefix (path, before[3]) &&
          (path[strlen (before[3])] == '/' || path[strlen (before[3])] == '\0'))
        return g_canonicalize_filename (path + strlen (before[3]) + (path[strlen (before[3])] == '/'),
                                        before[4]);
    }
  return NULL;
}

static char *
cpu_list (const SandlockPolicy *policy)
{
  GString *list = g_string_new (NULL);

  for (guint cpu = 0; cpu < SANDLOCK_MAX_CPUS; cpu++)
    if (policy->cpu_mask[cpu / 8] & (1u << (cpu % 8)))
      g_string_append_printf (list, "%s%u", list->len > 0 ? "," : "", cpu);
  return g_string_free (list, FALSE);
}

/* The pid and a counter alone would not make the name unique: a process
 * killed before it removed its cgroups leaves them behind, and its pid
 * comes back. The random part makes a collision (which fails make_dir(),
 * closed) all but impossible. */
static char *
new_name (void)
{
  static gint counter = 0;

  return g_strdup_printf ("sandlock-%d-%d-%08x", (int) getpid (),
                          g_atomic_int_add (&counter, 1), g_random_int ());
}

/* Whether @dir is one this setup made (not a leftover of the same name). */
static gboolean
is_ours (SandlockCgroup *cgroup,
         const char     *dir)
{
  return g_ptr_array_find_with_equal_func (cgroup->dirs, dir, g_str_equal, NULL);
}

static gboolean
make_dir (SandlockCgroup  *cgroup,
          const char      *parent,
          const char      *name,
          char           **dir,
          char           **why_not)
{
  *dir = g_build_filename (parent, name, NULL);
  if (mkdir (*dir, 0755) != 0)
    {
      int saved_errno = errno;

      *why_not = g_strdup_printf ("creating %s failed: %s", *dir, g_strerror (saved_errno));
      g_clear_pointer (dir, g_free);
      return FALSE;
    }
  g_ptr_array_add (cgroup->dirs, g_strdup (*dir));
  return TRUE;
}

static gboolean
setup_v2 (SandlockCgroup        *cgroup,
          const SandlockPolicy  *policy,
          const char            *parent,
          char                 **why_not)
{
  g_autofree char *available = read_file (parent, "cgroup.controllers");
  g_autofree char *enabled = read_file (parent, "cgroup.subtree_control");
  g_autofree char *name = new_name ();
  g_autofree char *dir = NULL;
  const char *needed[4];
  guint n = 0;

  if (policy->max_memory > 0)
    needed[n++] = "memory";
  if (policy->max_cpu > 0)
    needed[n++] = "cpu";
  if (policy->has_cpu_mask)
    needed[n++] = "cpuset";
  if (policy->max_processes > 0)
    needed[n++] = "pids";

  if (available == NULL || enabled == NULL)
    {
      *why_not = g_strdup_printf ("%s is not a cgroup v2 directory", parent);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *plus = g_strconcat ("+", needed[i], NULL);

      if (!has_word (available, needed[i]))
        {
          *why_not = g_strdup_printf ("the %s controller is not available in %s", needed[i], parent);
          return FALSE;
        }
      if (!has_word (enabled, needed[i]) &&
          !write_file (parent, "cgroup.subtree_control", plus, why_not))
        return FALSE;
    }

  if (!make_dir (cgroup, parent, name, &dir, why_not))
    return FALSE;
  cgroup->version = 2;
  g_ptr_array_add (cgroup->procs, g_build_filename (dir, "cgroup.procs", NULL));

  if (policy->max_memory > 0)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, policy->max_memory);
      g_autofree char *swap = g_build_filename (dir, "memory.swap.max", NULL);

      if (!write_file (dir, "memory.max", value, why_not) ||
          (g_file_test (swap, G_FILE_TEST_EXISTS) && !write_file (dir, "memory.swap.max", "0", why_not)))
        return FALSE;
      cgroup->memory_dir = g_strdup (dir);
    }
  if (policy->max_cpu > 0)
    {
      g_autofree char *value = g_strdup_printf ("%u %u", policy->max_cpu * (CPU_PERIOD_US / 100),
                                                CPU_PERIOD_US);

      if (!write_file (dir, "cpu.max", value, why_not))
        return FALSE;
      cgroup->cpu_dir = g_strdup (dir);
    }
  if (policy->has_cpu_mask)
    {
      g_autofree char *cpus = cpu_list (policy);

      if (!write_file (dir, "cpuset.cpus", cpus, why_not))
        return FALSE;
    }
  if (policy->max_processes > 0)
    {
      g_autofree char *value = g_strdup_printf ("%u", policy->max_processes * PIDS_PER_PROCESS);

      if (!write_file (dir, "pids.max", value, why_not))
        return FALSE;
    }
  return TRUE;
}

static gboolean
setup_v1 (SandlockCgroup        *cgroup,
          const SandlockPolicy  *policy,
          const char            *cgroups,
          const char            *mountinfo,
          char                 **why_not)
{
  g_autofree char *name = new_name ();
  const char *needed[4];
  guint n = 0;

  if (policy->max_memory > 0)
    needed[n++] = "memory";
  if (policy->max_cpu > 0)
    needed[n++] = "cpu";
  if (policy->has_cpu_mask)
    needed[n++] = "cpuset";
  if (policy->max_processes > 0)
    needed[n++] = "pids";

  cgroup->version = 1;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *parent = sandlock_cgroup_find_dir (cgroups, mountinfo, needed[i]);
      g_autofree char *dir = NULL;

      if (parent == NULL)
        {
          *why_not = g_strdup_printf ("no cgroup hierarchy has the %s controller", needed[i]);
          return FALSE;
        }
      /* Two controllers may share a hierarchy ("cpu,cpuacct"): made for
       * the first. A directory there already is not ours: make_dir()
       * refuses it. */
      dir = g_build_filename (parent, name, NULL);
      if (!is_ours (cgroup, dir))
        {
          g_clear_pointer (&dir, g_free);
          if (!make_dir (cgroup, parent, name, &dir, why_not))
            return FALSE;
          g_ptr_array_add (cgroup->procs, g_build_filename (dir, "cgroup.procs", NULL));
        }

      if (g_str_equal (needed[i], "memory"))
        {
          g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, policy->max_memory);
          g_autofree char *memsw = g_build_filename (dir, "memory.memsw.limit_in_bytes", NULL);

          if (!write_file (dir, "memory.limit_in_bytes", value, why_not) ||
              (g_file_test (memsw, G_FILE_TEST_EXISTS) &&
               !write_file (dir, "memory.memsw.limit_in_bytes", value, why_not)))
            return FALSE;
          cgroup->memory_dir = g_strdup (dir);
        }
      else if (g_str_equal (needed[i], "cpu"))
        {
          g_autofree char *period = g_strdup_printf ("%u", CPU_PERIOD_US);
          g_autofree char *quota = g_strdup_printf ("%u", policy->max_cpu * (CPU_PERIOD_US / 100));

          if (!write_file (dir, "cpu.cfs_period_us", period, why_not) ||
              !write_file (dir, "cpu.cfs_quota_us", quota, why_not))
            return FALSE;
          cgroup->cpu_dir = g_strdup (dir);
        }
      else if (g_str_equal (needed[i], "cpuset"))
        {
          /* A v1 cpuset takes no task before it has CPUs and memory nodes. */
          g_autofree char *mems = read_file (parent, "cpuset.mems");
          g_autofree char *cpus = cpu_list (policy);

          if (mems == NULL)
            {
              *why_not = g_strdup_printf ("%s has no cpuset.mems", parent);
              return FALSE;
            }
          g_strstrip (mems);
          if (!write_file (dir, "cpuset.mems", mems, why_not) ||
              !write_file (dir, "cpuset.cpus", cpus, why_not))
            return FALSE;
        }
      else
        {
          g_autofree char *value = g_strdup_printf ("%u", policy->max_processes * PIDS_PER_PROCESS);

          if (!write_file (dir, "pids.max", value, why_not))
            return FALSE;
        }
    }
  return TRUE;
}

/* The cgroup.kill of the v2 directory @dir (Linux 5.14), if it has one. */
static char *
probe_kill_file (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "cgroup.kill", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return g_steal_pointer (&path);
}

/* With the limits in v1 hierarchies and a unified one mounted beside them
 * (a "hybrid" layout: systemd tracks its units there), a child of our v2
 * cgroup without controllers, only for its cgroup.kill: every process of
 * the sandbox joins it, and the helper kills them all at once through it.
 * Optional: nothing fails when it cannot be made. */
static void
add_v2_for_kill (SandlockCgroup *cgroup,
                 const char     *v2_parent)
{
  g_autofree char *name = new_name ();
  g_autofree char *dir = NULL;
  g_autofree char *why_not = NULL;

  if (cgroup->procs->len >= SANDLOCK_CGROUP_MAX_PROCS_FILES)
    return;
  if (!make_dir (cgroup, v2_parent, name, &dir, &why_not))
    {
      g_debug ("No v2 cgroup for cgroup.kill: %s", why_not);
      return;
    }
  cgroup->kill_file = probe_kill_file (dir);
  if (cgroup->kill_file == NULL)
    {
      /* Before Linux 5.14 it would only cost a directory. */
      rmdir (dir);
      g_free (g_ptr_array_steal_index (cgroup->dirs, cgroup->dirs->len - 1));
      return;
    }
  g_ptr_array_add (cgroup->procs, g_build_filename (dir, "cgroup.procs", NULL));
}

SandlockCgroup *
sandlock_cgroup_new (const SandlockPolicy  *policy,
                     char                 **why_not)
{
  SandlockCgroup *cgroup;
  g_autofree char *cgroups = NULL;
  g_autofree char *mountinfo = NULL;
  g_autofree char *v2_dir = NULL;
  gboolean ok;

  if (sandlock_kernel_feature_disabled_for_testing (SANDLOCK_FEATURE_CGROUP))
    {
      *why_not = g_strdup ("cgroups are disabled for testing");
      return NULL;
    }
  if (!g_file_get_contents ("/proc/self/cgroup", &cgroups, NULL, NULL) ||
      !g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL))
    {
      *why_not = g_strdup ("/proc/self/cgroup or /proc/self/mountinfo cannot be read");
      return NULL;
    }

  cgroup = g_new0 (SandlockCgroup, 1);
  cgroup->dirs = g_ptr_array_new_with_free_func (g_free);
  cgroup->procs = g_ptr_array_new_with_free_func (g_free);

  /* v2 when it holds the controllers, else v1. */
  v2_dir = sandlock_cgroup_find_dir (cgroups, mountinfo, "");
  ok = v2_dir != NULL && setup_v2 (cgroup, policy, v2_dir, why_not);
  if (!ok)
    {
      g_autofree char *v2_why_not = g_steal_pointer (why_not);

      sandlock_cgroup_free (cgroup);
      cgroup = g_new0 (SandlockCgroup, 1);
      cgroup->dirs = g_ptr_array_new_with_free_func (g_free);
      cgroup->procs = g_ptr_array_new_with_free_func (g_free);
      ok = setup_v1 (cgroup, policy, cgroups, mountinfo, why_not);
      if (!ok && v2_why_not != NULL)
        {
          g_autofree char *v1_why_not = g_steal_pointer (why_not);

          *why_not = g_strdup_printf ("%s; %s", v2_why_not, v1_why_not);
        }
    }
  if (!ok)
    {
      sandlock_cgroup_free (cgroup);
      return NULL;
    }
  cgroup->has_cpuset = policy->has_cpu_mask;
  if (cgroup->version == 2)
    cgroup->kill_file = probe_kill_file (g_ptr_array_index (cgroup->dirs, 0));
  else if (v2_dir != NULL)
    add_v2_for_kill (cgroup, v2_dir);
  g_ptr_array_add (cgroup->procs, NULL);
  return cgroup;
}

/* The directory of @pid's cgroup in the hierarchy of @controller ("" for
 * v2) if it is @unit's own (the path ends in it), else NULL. */
static char *
unit_dir (const char *cgroups,
          const char *mountinfo,
          const char *controller,
          const char *unit)
{
  g_autofree char *dir = sandlock_cgroup_find_dir (cgroups, mountinfo, controller);
  g_autofree char *base = dir != NULL ? g_path_get_basename (dir) : NULL;

  if (base == NULL || !g_str_equal (base, unit))
    return NULL;
  return g_steal_pointer (&dir);
}

SandlockCgroup *
sandlock_cgroup_new_for_unit (pid_t        pid,
                              const char  *unit,
                              char       **why_not)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cgroup", (int) pid);
  g_autofree char *cgroups = NULL;
  g_autofree char *mountinfo = NULL;
  g_autofree char *v2 = NULL;
  SandlockCgroup *cgroup;

  if (!g_file_get_contents (path, &cgroups, NULL, NULL) ||
      !g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL))
    {
      *why_not = g_strdup_printf ("%s or /proc/self/mountinfo cannot be read", path);
      return NULL;
    }

  cgroup = g_new0 (SandlockCgroup, 1);
  cgroup->dirs = g_ptr_array_new_with_free_func (g_free);   /* none: the manager's */
  cgroup->procs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (cgroup->procs, NULL);
  cgroup->version = 2;
  v2 = unit_dir (cgroups, mountinfo, "", unit);
  if (v2 != NULL)
    {
      g_autofree char *memory_max = g_build_filename (v2, "memory.max", NULL);
      g_autofree char *cpu_max = g_build_filename (v2, "cpu.max", NULL);
      g_autofree char *cpus = g_build_filename (v2, "cpuset.cpus", NULL);

      if (g_file_test (memory_max, G_FILE_TEST_EXISTS))
        cgroup->memory_dir = g_strdup (v2);
      if (g_file_test (cpu_max, G_FILE_TEST_EXISTS))
        cgroup->cpu_dir = g_strdup (v2);
      cgroup->has_cpuset = g_file_test (cpus, G_FILE_TEST_EXISTS);
    }
  /* On a hybrid layout the manager puts the unit in the v1 hierarchies of
   * the controllers too. */
  if (cgroup->memory_dir == NULL && (cgroup->memory_dir = unit_dir (cgroups, mountinfo, "memory", unit)) != NULL)
    cgroup->version = 1;
  if (cgroup->cpu_dir == NULL)
    cgroup->cpu_dir = unit_dir (cgroups, mountinfo, "cpu", unit);
  if (!cgroup->has_cpuset)
    {
      g_autofree char *cpuset = unit_dir (cgroups, mountinfo, "cpuset", unit);

      cgroup->has_cpuset = cpuset != NULL;
    }
  if (v2 == NULL && cgroup->memory_dir == NULL && cgroup->cpu_dir == NULL)
    {
      *why_not = g_strdup_printf ("process %d is not in a cgroup of %s", (int) pid, unit);
      sandlock_cgroup_free (cgroup);
      return NULL;
    }
  return cgroup;
}

gboolean
sandlock_cgroup_has_memory (const SandlockCgroup *cgroup)
{
  return cgroup->memory_dir != NULL;
}

gboolean
sandlock_cgroup_has_cpu (const SandlockCgroup *cgroup)
{
  return cgroup->cpu_dir != NULL;
}

gboolean
sandlock_cgroup_has_cpuset (const SandlockCgroup *cgroup)
{
  return cgroup->has_cpuset;
}

int
sandlock_cgroup_get_version (const SandlockCgroup *cgroup)
{
  return cgroup->version;
}

const char * const *
sandlock_cgroup_get_procs_files (const SandlockCgroup *cgroup)
{
  return (const char * const *) cgroup->procs->pdata;
}

const char *
sandlock_cgroup_get_kill_file (const SandlockCgroup *cgroup)
{
  return cgroup->kill_file;
}

/* The counter @name of @dir/@file ("NAME N" lines), or 0. */
static guint64
read_counter (const char *dir,
              const char *file,
              const char *name)
{
  g_autofree char *text = NULL;
  g_autofree char *prefix = g_strconcat (name, " ", NULL);
  g_auto(GStrv) lines = NULL;

  if (dir == NULL || (text = read_file (dir, file)) == NULL)
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_ascii_strtoull (lines[i] + strlen (prefix), NULL, 10);
  return 0;
}

gboolean
sandlock_cgroup_get_cpu_throttled (const SandlockCgroup *cgroup)
{
  /* cpu.stat of v1 and v2 alike. */
  return read_counter (cgroup->cpu_dir, "cpu.stat", "nr_throttled") > 0;
}

gboolean
sandlock_cgroup_get_oom_killed (const SandlockCgroup *cgroup)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (cgroup->memory_dir == NULL)
    return FALSE;
  /* v2: memory.events; v1: memory.oom_control (Linux 4.13), each with an
   * "oom_kill N" line. */
  text = read_file (cgroup->memory_dir, cgroup->version == 2 ? "memory.events" : "memory.oom_control");
  if (text == NULL)
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "oom_kill "))
      return g_ascii_strtoull (lines[i] + strlen ("oom_kill "), NULL, 10) > 0;
  return FALSE;
}

void
sandlock_cgroup_free (SandlockCgroup *cgroup)
{
  if (cgroup == NULL)
    return;
  for (guint i = cgroup->dirs->len; i > 0; i--)
    {
      const char *dir = g_ptr_array_index (cgroup->dirs, i - 1);

      /* A cgroup whose last task just exited may still be busy for a
       * moment. */
      for (int attempt = 0; attempt < 100 && rmdir (dir) != 0 && errno == EBUSY; attempt++)
        g_usleep (1000);
    }
  g_ptr_array_unref (cgroup->dirs);
  g_ptr_array_unref (cgroup->procs);
  g_free (cgroup->memory_dir);
  g_free (cgroup->cpu_dir);
  g_free (cgroup->kill_file);
  g_free (cgroup);
}
