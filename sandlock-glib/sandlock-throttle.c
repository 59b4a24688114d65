/* sandlock-throttle.c: max-cpu without a cgroup
 *
 * A token bucket on the sandbox's main context: every TICK_MS the budget
 * grows by max-cpu percent of the time that passed and shrinks by the CPU
 * time the sandbox's processes used meanwhile (utime + stime of each,
 * every thread included, in clock ticks). Below zero, every process of
 * the sandbox is stopped; once the budget is back above zero, they go on.
 * It is coarse: a process that lives less than a tick is not counted, the
 * kernel's counters move by clock ticks (10 ms), and the sandbox stays
 * stopped while the application's main context does not run. The command
 * may notice (a parent can see its child stop with WUNTRACED).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandlock-kernel-private.h"
#include "sandlock-proctree-private.h"
#include "sandlock-throttle-private.h"

#define TICK_MS 20

/* At most this much CPU time saved up (µs per percent): a burst of 100 ms
 * at the allowed rate. */
#define MAX_SAVED_US_PER_PERCENT 1000

/* More processes than this are not looked at. */
#define CEILING 100000

struct _SandlockThrottle {
  pid_t       helper_pid;
  guint       percent;
  long        clock_ticks;   /* per second */
  GSource    *tick;
  gint64      last_us;
  gint64      budget_us;
  GHashTable *seen;          /* "PID:STARTTIME" -> CPU ticks (guint64 *) */
  GArray     *stopped;       /* pidfds of the processes stopped */
  gboolean    throttled;
};

/* The CPU ticks and start time of @pid; FALSE when it is gone. */
static gboolean
read_times (pid_t    pid,
            guint64 *cpu_ticks,
            guint64 *start_time)
{
  char text[1024];
  const char *after_comm = sandlock_proctree_read_stat (pid, text, sizeof text);
  g_auto(GStrv) fields = NULL;

  if (after_comm == NULL)
    return FALSE;
  /* From field 3 (state): utime is field 14, stime 15, starttime 22. */
  fields = g_strsplit (after_comm, " ", 21);
  if (g_strv_length (fields) < 21)
    return FALSE;
  *cpu_ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
  *start_time = g_ascii_strtoull (fields[19], NULL, 10);
  return TRUE;
}

static void
resume_all (SandlockThrottle *throttle)
{
  for (guint i = 0; i < throttle->stopped->len; i++)
    {
      int pidfd = g_array_index (throttle->stopped, int, i);

      sandlock_sys_pidfd_send_signal (pidfd, SIGCONT);
      close (pidfd);
    }
  g_array_set_size (throttle->stopped, 0);
}

static void
stop_all (SandlockThrottle *throttle,
          GArray           *pids)
{
  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);
      int pidfd = sandlock_sys_pidfd_open (pid, 0);

      if (pidfd < 0)
        continue;
      /* The pid may have been reused since the walk: the pidfd names one
       * process for good, and that one must be the sandbox's. */
      if (!sandlock_proctree_descends (pid, throttle->helper_pid) ||
          sandlock_sys_pidfd_send_signal (pidfd, SIGSTOP) != 0)
        {
          close (pidfd);
          continue;
        }
      g_array_append_val (throttle->stopped, pidfd);
    }
  throttle->throttled = TRUE;
}

static gboolean
on_tick (gpointer data)
{
  SandlockThrottle *throttle = data;
  g_autoptr(GArray) pids = sandlock_proctree_descendants (throttle->helper_pid, CEILING);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 now = g_get_monotonic_time ();
  guint64 used_ticks = 0;
  gint64 max_saved = (gint64) throttle->percent * MAX_SAVED_US_PER_PERCENT;

  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);
      guint64 ticks, start, *before, *now_ticks;
      char *key;

      if (!read_times (pid, &ticks, &start))
        continue;
      key = g_strdup_printf ("%d:%" G_GUINT64_FORMAT, (int) pid, start);
      before = g_hash_table_lookup (throttle->seen, key);
      used_ticks += before == NULL ? ticks : ticks >= *before ? ticks - *before : 0;
      now_ticks = g_new (guint64, 1);
      *now_ticks = ticks;
      g_hash_table_insert (seen, key, now_ticks);
    }
  g_hash_table_unref (throttle->seen);
  throttle->seen = g_steal_pointer (&seen);

  throttle->budget_us += (now - throttle->last_us) * (gint64) throttle->percent / 100;
  throttle->budget_us -= (gint64) (used_ticks * G_USEC_PER_SEC / (guint64) throttle->clock_ticks);
  throttle->budget_us = MIN (throttle->budget_us, max_saved);
  throttle->last_us = now;

  if (throttle->budget_us < 0 && throttle->stopped->len == 0)
    stop_all (throttle, pids);
  else if (throttle->budget_us >= 0 && throttle->stopped->len > 0)
    resume_all (throttle);
  return G_SOURCE_CONTINUE;
}

static void
attach_tick (SandlockThrottle *throttle,
             GMainContext     *context)
{
  throttle->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (throttle->tick, on_tick, throttle, NULL);
  g_source_set_static_name (throttle->tick, "[sandlock] max-cpu throttle");
  g_source_attach (throttle->tick, context);
}

void
sandlock_throttle_move (SandlockThrottle *throttle,
                        GMainContext     *context)
{
  if (throttle == NULL)
    return;
  g_source_destroy (throttle->tick);
  g_source_unref (throttle->tick);
  attach_tick (throttle, context);
}

SandlockThrottle *
sandlock_throttle_new (pid_t         helper_pid,
                       guint         percent,
                       GMainContext *context)
{
  SandlockThrottle *throttle = g_new0 (SandlockThrottle, 1);

  throttle->helper_pid = helper_pid;
  throttle->percent = percent;
  throttle->clock_ticks = sysconf (_SC_CLK_TCK);
  if (throttle->clock_ticks <= 0)
    throttle->clock_ticks = 100;
  throttle->last_us = g_get_monotonic_time ();
  throttle->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  throttle->stopped = g_array_new (FALSE, FALSE, sizeof (int));
  attach_tick (throttle, context);
  return throttle;
}

gboolean
sandlock_throttle_get_throttled (const SandlockThrottle *throttle)
{
  return throttle != NULL && throttle->throttled;
}

void
sandlock_throttle_free (SandlockThrottle *throttle)
{
  if (throttle == NULL)
    return;
  g_source_destroy (throttle->tick);
  g_source_unref (throttle->tick);
  resume_all (throttle);
  g_array_unref (throttle->stopped);
  g_hash_table_unref (throttle->seen);
  g_free (throttle);
}
