/* sandlock-dispatch-hub-private.h: one source serving every listener of a
 * main context in turn
 *
 * The hub of a GMainContext owns an epoll descriptor on which each
 * supervisor attached to that context registers its listener, and one
 * GSource that polls it. Its dispatch serves one notification of each
 * ready listener in turn, round after round, until none is ready or its
 * budget is spent; then it hands the main loop back. See
 * sandlock-dispatch-hub.c.
 *
 * A member is a GSource of its own (the supervisor's notify source, which
 * keeps its lifetime): the hub only borrows it while serving, and skips it
 * once it is destroyed.
 *
 * Thread rules: join and leave from any thread; the hub dispatches on the
 * context's thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SandlockDispatchHub SandlockDispatchHub;

/* Serves @member, whose listener epoll reported with @events (EPOLLIN:
 * exactly one RECV cannot block; EPOLLHUP, EPOLLERR: it is over, and
 * @member must leave). Called on the context's thread, @member alive and
 * not destroyed. */
typedef void (*SandlockDispatchHubServe) (GSource *member,
                                          guint32  events);

SandlockDispatchHub *sandlock_dispatch_hub_join  (GMainContext             *context,
                                                  SandlockDispatchHubServe  serve);
gboolean             sandlock_dispatch_hub_add   (SandlockDispatchHub      *hub,
                                                  int                       fd,
                                                  GSource                  *member);
void                 sandlock_dispatch_hub_leave (SandlockDispatchHub      *hub,
                                                  int                       fd);

/* A source that drops its priority while it floods the context: see
 * sandlock_flood_set(). */
typedef struct {
  GSource *source;    /* not a reference: the source it is part of */
  GSource *restore;   /* puts the priority back after a flood */
} SandlockFlood;

void sandlock_flood_set    (SandlockFlood *flood,
                            gboolean       flooded);
void sandlock_flood_cancel (SandlockFlood *flood);

G_END_DECLS
