/* sandlock-dispatch-hub.c: one source serving every listener of a main
 * context in turn
 *
 * Why: a child that is answered traps again at once (the kernel wakes it
 * synchronously), so a listener whose command loops on trapped calls is
 * readable again by the time its answer is sent. With a source per
 * listener, each draining a batch, one sandbox was served a whole batch
 * in a row while every other sandbox of the context waited: with 64
 * sandboxes the 99th percentile of a call's latency was ten times a
 * thread-per-sandbox supervisor's. A smaller batch per source made it
 * fairer but paid a full main-loop iteration (every descriptor of the
 * context polled) for a couple of notifications.
 *
 * So the listeners of one context share this hub: an epoll descriptor on
 * which each listener is registered (level-triggered, data = its member)
 * and a GSource. With few listeners (DIRECT_MAX) the GSource polls them
 * itself, not the epoll descriptor: the kernel wakes a thread polling a
 * listener on the trapping thread's CPU (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP),
 * but epoll passes a wake-up on to its own pollers as an ordinary one,
 * which cost a lone sandbox's round trip a quarter more (the other CPU's
 * wake-up). With more, the main loop polls the epoll descriptor alone:
 * each iteration polling 64 listeners cost a fifth of the throughput and
 * half again of the tail. Either way a dispatch asks epoll which
 * listeners are ready (zero timeout) and serves ONE notification of each,
 * then asks again, round after round, until none is ready or HUB_BUDGET
 * notifications were served; then the main loop gets its turn. Epoll
 * puts a level-triggered descriptor it reported back at the end of its
 * ready list, so with more ready listeners than one call returns
 * (HUB_EVENTS), the next round starts with those it left. A hang-up costs
 * nothing of the budget: see serve_round().
 *
 * The members keep their own sources (the supervisor's notify source:
 * its hang-up ends the supervisor's listener, and moving a supervisor to
 * another context destroys it and makes a new one there, which joins that
 * context's hub). That is the smallest change that keeps their lifetime
 * rules; the hub holds a reference on a member only while serving it.
 *
 * What it keeps from a source per listener:
 * - A hub that spent its budget with listeners still ready drops to
 *   FLOODED_PRIORITY, for FLOODED_MSEC at most (sandlock_flood_set(),
 *   also used by a listener that polls itself because it could not
 *   join).
 * - Nested dispatch: a handler may iterate the context, and the hub is
 *   dispatched again inside its own dispatch. Whatever the outer dispatch
 *   learnt from epoll may then be stale (a listener it saw ready was
 *   served inside), and a RECV on a listener with nothing queued blocks:
 *   each dispatch counts one up on the hub's generation, and a round that
 *   sees it changed stops and asks epoll again. The members of a round are
 *   referenced, and skipped once destroyed (a nested dispatch saw their
 *   hang-up, or they were moved to another context).
 * - A hub with no member left is destroyed (its epoll descriptor closed):
 *   a context holds no descriptor of ours once its sandboxes are over.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "sandlock-dispatch-hub-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-kernel-private.h"

/* Notifications one dispatch serves at most before the main loop's turn. */
#define HUB_BUDGET 128
/* Ready listeners one epoll_wait() reports at most. */
#define HUB_EVENTS 64
/* Up to this many listeners the main loop polls each; beyond, the epoll
 * descriptor (back to each at half as many). */
#define DIRECT_MAX 8

/* The priority of a hub that spent its budget, until no listener is ready:
 * a source always ready starves every source of a lower priority (idles,
 * a toolkit's redraws); at idle priority it takes turns with them. For
 * FLOODED_MSEC at most: an application source always ready at a priority
 * in between would otherwise keep the listeners from ever being served
 * again, and the commands' threads parked. */
#define FLOODED_PRIORITY G_PRIORITY_DEFAULT_IDLE
#define FLOODED_MSEC 1

struct _SandlockDispatchHub
{
  GSource                   source;
  GMainContext             *context;    /* not a reference: where it is attached */
  int                       epfd;
  GHashTable               *tags;       /* listener -> its poll tag or NULL; hubs_lock */
  gpointer                  epfd_tag;   /* polling the epoll descriptor; hubs_lock */
  SandlockDispatchHubServe  serve;
  guint                     members;    /* hubs_lock */
  guint                     generation; /* dispatches begun */
  SandlockFlood             flood;
};

/* The hubs still attached (not destroyed), one per context. */
static GMutex hubs_lock;
static GSList *hubs;

void
sandlock_flood_cancel (SandlockFlood *flood)
{
  if (flood->restore != NULL)
    {
      g_source_destroy (flood->restore);
      g_clear_pointer (&flood->restore, g_source_unref);
    }
}

static gboolean
restore_priority (gpointer user_data)
{
  SandlockFlood *flood = user_data;

  g_clear_pointer (&flood->restore, g_source_unref);
  /* Setting the priority of a destroyed source would put its descriptor
   * back in the context's poll set, to be read there once freed. */
  if (!g_source_is_destroyed (flood->source))
    g_source_set_priority (flood->source, G_PRIORITY_DEFAULT);
  return G_SOURCE_REMOVE;
}

/* Puts @flood's source at FLOODED_PRIORITY (for FLOODED_MSEC at most) if
 * @flooded, at the default priority otherwise. The source's finalize must
 * call sandlock_flood_cancel(). */
void
sandlock_flood_set (SandlockFlood *flood,
                    gboolean       flooded)
{
  GSource *source = flood->source;
  guint restore_msec;

  /* Destroyed by a dispatch nested in this one (a handler iterated the
   * context and the last listener hung up): leave it alone. */
  if (g_source_is_destroyed (source))
    {
      sandlock_flood_cancel (flood);
      return;
    }

  if (!flooded)
    {
      sandlock_flood_cancel (flood);
      if (g_source_get_priority (source) != G_PRIORITY_DEFAULT)
        g_source_set_priority (source, G_PRIORITY_DEFAULT);
      return;
    }

  if (flood->restore != NULL)
    return;
  g_source_set_priority (source, FLOODED_PRIORITY);
  restore_msec = sandlock_kernel_flood_restore_for_testing ();
  flood->restore = g_timeout_source_new (restore_msec > 0 ? restore_msec : FLOODED_MSEC);
  g_source_set_priority (flood->restore, G_PRIORITY_DEFAULT);
  g_source_set_callback (flood->restore, restore_priority, flood, NULL);
  g_source_attach (flood->restore, g_source_get_context (source));
}

/* One round: one notification of each listener epoll reports ready (the
 * last round may thus overrun the budget by up to HUB_EVENTS - 1).
 * Returns how many listeners it reported (0: none is ready), or -1 when
 * the hub was destroyed meanwhile. */
static int
serve_round (SandlockDispatchHub *self,
             guint               *budget)
{
  struct epoll_event events[HUB_EVENTS];
  guint generation = self->generation;
  int n;

  n = epoll_wait (self->epfd, events, HUB_EVENTS, 0);
  if (n < 0)
    {
      if (errno != EINTR)
        g_warning ("Waiting on the listeners' epoll descriptor failed: %s", g_strerror (errno));
      return 0;
    }

  /* A nested dispatch may destroy any of them: keep them until the end. */
  for (int i = 0; i < n; i++)
    g_source_ref (events[i].data.ptr);

  for (int i = 0; i < n; i++)
    {
      GSource *member = events[i].data.ptr;

      /* A dispatch nested in a handler may have served what epoll saw,
       * and the hub or the member may be over: ask epoll again. */
      if (self->generation != generation || g_source_is_destroyed ((GSource *) self))
        break;
      /* A hang-up alone is free: every listener that hung up is let go
       * in this dispatch, which comes before its helper's exit source
       * (attached after the hub) in the same iteration, and the
       * descriptors are given back by the time a wait returns. */
      if ((events[i].events & EPOLLIN) && *budget > 0)
        (*budget)--;
      if (!g_source_is_destroyed (member))
        self->serve (member, events[i].events);
    }

  for (int i = 0; i < n; i++)
    g_source_unref (events[i].data.ptr);
  return g_source_is_destroyed ((GSource *) self) ? -1 : n;
}

static gboolean
hub_dispatch (GSource     *source,
              GSourceFunc  callback,
              gpointer     user_data)
{
  SandlockDispatchHub *self = (SandlockDispatchHub *) source;
  guint budget = HUB_BUDGET;
  int ready = 0;

  self->generation++;
  while (budget > 0 && (ready = serve_round (self, &budget)) > 0)
    ;
  if (ready >= 0)
    sandlock_flood_set (&self->flood, ready > 0);
  return G_SOURCE_CONTINUE;
}

static void
hub_finalize (GSource *source)
{
  SandlockDispatchHub *self = (SandlockDispatchHub *) source;

  sandlock_flood_cancel (&self->flood);
  g_mutex_lock (&hubs_lock);
  hubs = g_slist_remove (hubs, self);
  g_mutex_unlock (&hubs_lock);
  g_clear_pointer (&self->tags, g_hash_table_unref);
  sandlock_clear_fd (&self->epfd);
}

static GSourceFuncs hub_funcs = {
  .dispatch = hub_dispatch,
  .finalize = hub_finalize,
};

/* @context's hub, made if it has none; under hubs_lock. NULL if epoll
 * fails. */
static SandlockDispatchHub *
hub_for_context (GMainContext             *context,
                 SandlockDispatchHubServe  serve)
{
  SandlockDispatchHub *self;
  GSource *source;
  int epfd;

  for (GSList *l = hubs; l != NULL; l = l->next)
    {
      self = l->data;
      if (self->context == context && !g_source_is_destroyed ((GSource *) self))
        return self;
    }

  epfd = sandlock_fd_above_stdio (epoll_create1 (EPOLL_CLOEXEC));
  if (epfd < 0)
    return NULL;

  source = g_source_new (&hub_funcs, sizeof (SandlockDispatchHub));
  self = (SandlockDispatchHub *) source;
  self->flood.source = source;
  self->context = context;
  self->epfd = epfd;
  self->serve = serve;
  self->tags = g_hash_table_new (NULL, NULL);
  g_source_set_static_name (source, "[sandlock] seccomp notifications");
  /* GLib takes a non-recursive source's descriptors out of the poll set
   * while dispatching it and signals its own wake-up descriptor when it
   * puts them back: one more main-loop iteration and two syscalls for
   * every dispatch. A handler that iterates the main context may thus see
   * nested dispatches (see the generation). */
  g_source_set_can_recurse (source, TRUE);
  g_source_attach (source, context);
  hubs = g_slist_prepend (hubs, self);   /* the context's reference is the list's */
  g_source_unref (source);
  return self;
}

/* sandlock_dispatch_hub_join:
 * @context: where @member is attached
 * @serve: what serves the members (the same for every member)
 *
 * Takes a member's place in @context's hub, made if it has none; then
 * sandlock_dispatch_hub_add() registers the member's listener. (In two
 * steps so that the member can keep the hub before the hub may serve it,
 * from the context's thread while this one goes on.)
 *
 * Returns: (transfer full) (nullable): the hub, to leave with
 *   sandlock_dispatch_hub_leave(); or %NULL with errno set if epoll
 *   failed: the caller must then poll its listener itself.
 */
SandlockDispatchHub *
sandlock_dispatch_hub_join (GMainContext             *context,
                            SandlockDispatchHubServe  serve)
{
  SandlockDispatchHub *self;
  int saved_errno;

  g_mutex_lock (&hubs_lock);
  self = hub_for_context (context, serve);
  saved_errno = errno;
  if (self != NULL)
    {
      g_assert (self->serve == serve);
      self->members++;
      g_source_ref ((GSource *) self);
    }
  g_mutex_unlock (&hubs_lock);
  errno = saved_errno;
  return self;
}

/* sandlock_dispatch_hub_add:
 * @hub: what sandlock_dispatch_hub_join() returned
 * @fd: the member's listener, open until it leaves
 * @member: the source that stands for the listener, attached
 *
 * Returns: %FALSE with errno set if epoll refused @fd (no memory, too many
 *   watches): leave, and poll it yourself.
 */
/* Polls each listener of @self, or the epoll descriptor alone, as their
 * number says; under hubs_lock. (GLib's own locks are taken inside: it
 * calls neither dispatch nor finalize with them held.) */
static void
choose_polling (SandlockDispatchHub *self)
{
  guint n = g_hash_table_size (self->tags);
  GHashTableIter iter;
  gpointer fd, tag;

  if (g_source_is_destroyed ((GSource *) self))
    return;
  if (self->epfd_tag == NULL && n > DIRECT_MAX)
    {
      g_hash_table_iter_init (&iter, self->tags);
      while (g_hash_table_iter_next (&iter, &fd, &tag))
        {
          if (tag != NULL)
            g_source_remove_unix_fd ((GSource *) self, tag);
          g_hash_table_iter_replace (&iter, NULL);
        }
      self->epfd_tag = g_source_add_unix_fd ((GSource *) self, self->epfd, G_IO_IN);
    }
  else if (self->epfd_tag != NULL && n <= DIRECT_MAX / 2)
    {
      g_source_remove_unix_fd ((GSource *) self, self->epfd_tag);
      self->epfd_tag = NULL;
      g_hash_table_iter_init (&iter, self->tags);
      while (g_hash_table_iter_next (&iter, &fd, &tag))
        g_hash_table_iter_replace (&iter, g_source_add_unix_fd ((GSource *) self, GPOINTER_TO_INT (fd),
                                                                G_IO_IN | G_IO_HUP | G_IO_ERR));
    }
}

gboolean
sandlock_dispatch_hub_add (SandlockDispatchHub *hub,
                           int                  fd,
                           GSource             *member)
{
  struct epoll_event event = { .events = EPOLLIN, .data.ptr = member };

  if (epoll_ctl (hub->epfd, EPOLL_CTL_ADD, fd, &event) != 0)
    return FALSE;
  g_mutex_lock (&hubs_lock);
  /* The member's leave is what destroys the hub: it is attached. */
  g_hash_table_insert (hub->tags, GINT_TO_POINTER (fd),
                       hub->epfd_tag != NULL ? NULL
                       : g_source_add_unix_fd ((GSource *) hub, fd, G_IO_IN | G_IO_HUP | G_IO_ERR));
  choose_polling (hub);
  g_mutex_unlock (&hubs_lock);
  return TRUE;
}

/* sandlock_dispatch_hub_leave:
 * @hub: (transfer full): what sandlock_dispatch_hub_join() returned
 * @fd: the listener it added (if it did), still open
 *
 * Takes @fd out of @hub: it is never served again. The last member out
 * destroys the hub. Safe inside the hub's dispatch.
 */
void
sandlock_dispatch_hub_leave (SandlockDispatchHub *hub,
                             int                  fd)
{
  gpointer tag = NULL;
  gboolean last;

  epoll_ctl (hub->epfd, EPOLL_CTL_DEL, fd, NULL);
  g_mutex_lock (&hubs_lock);
  if (g_hash_table_steal_extended (hub->tags, GINT_TO_POINTER (fd), NULL, &tag) &&
      tag != NULL && !g_source_is_destroyed ((GSource *) hub))
    g_source_remove_unix_fd ((GSource *) hub, tag);
  choose_polling (hub);
  last = --hub->members == 0;
  if (last)
    hubs = g_slist_remove (hubs, hub);
  g_mutex_unlock (&hubs_lock);
  if (last)
    g_source_destroy ((GSource *) hub);
  g_source_unref ((GSource *) hub);
}
