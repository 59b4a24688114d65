/* attack-inotify.c: watching directories the command cannot read.
 * Landlock governs neither inotify_add_watch() nor fanotify: without a
 * guard, a command learns the names of the files created, opened or
 * removed in any directory it can name, hidden or not, and root could use
 * fanotify permission events to block other processes' opens. Arguments:
 * the writable directory, the hidden directory, which holds "secret".
 *
 * Each watch outside the granted paths must fail (EACCES); fanotify_init()
 * must fail (EPERM) whatever its flags. The control: a watch on the
 * writable directory works and reports a file the command creates there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <unistd.h>

/* The files created, as the events waiting on @fd within @timeout_ms
 * tell: " created NAME..." or " none". */
static void
report_events (int         fd,
               int         timeout_ms,
               const char *what)
{
  char buffer[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  char names[1024] = "";
  ssize_t length;

  if (poll (&pfd, 1, timeout_ms) <= 0)
    {
      attack_say ("events on %s: none", what);
      return;
    }
  length = read (fd, buffer, sizeof buffer);
  for (char *p = buffer; length > 0 && p < buffer + length;)
    {
      struct inotify_event *event = (struct inotify_event *) p;

      if (event->len > 0 && (event->mask & IN_CREATE) &&
          strlen (names) + event->len + 2 < sizeof names)
        {
          strcat (names, " created ");
          strcat (names, event->name);
        }
      p += sizeof *event + event->len;
    }
  attack_say ("events on %s:%s", what, names[0] != '\0' ? names : " none");
}

int
main (int    argc,
      char **argv)
{
  char path[PATH_MAX];
  int fd, wd;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s WRITABLE HIDDEN\n", argv[0]);
      return 2;
    }

  fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  attack_report (fd, "inotify_init1");
  if (fd < 0)
    return 1;

  attack_report (inotify_add_watch (fd, argv[2], IN_ALL_EVENTS), "inotify_add_watch HIDDEN");
  attack_report (inotify_add_watch (fd, argv[2], IN_ALL_EVENTS | IN_ONLYDIR),
                 "inotify_add_watch HIDDEN IN_ONLYDIR");
  snprintf (path, sizeof path, "%s/secret", argv[2]);
  attack_report (inotify_add_watch (fd, path, IN_ALL_EVENTS), "inotify_add_watch HIDDEN/secret");
  /* A symbolic link planted in the writable directory leads to the
   * secret: the watch would land on the secret. */
  snprintf (path, sizeof path, "%s/planted", argv[1]);
  attack_report (inotify_add_watch (fd, path, IN_ALL_EVENTS),
                 "inotify_add_watch WRITABLE/planted (-> HIDDEN/secret)");
  /* The same from a descriptor of the hidden directory opened O_PATH
   * (Landlock allows it): its magic link. */
  {
    int dir = open (argv[2], O_PATH | O_CLOEXEC);
    char link[64];

    attack_report (dir, "open HIDDEN O_PATH");
    snprintf (link, sizeof link, "/proc/self/fd/%d", dir);
    /* Refused either way: ELOOP where the magic link is followed, ENOENT
     * where the name means nothing to whoever resolves it. */
    attack_say ("inotify_add_watch /proc/self/fd/O_PATH-of-HIDDEN: %s",
                inotify_add_watch (fd, link, IN_ALL_EVENTS) >= 0 ? "ok" : "refused");
    /* A working directory Landlock lets the command enter (fchdir has no
     * hook) and a relative name. */
    attack_report (fchdir (dir), "fchdir O_PATH-of-HIDDEN");
    attack_report (inotify_add_watch (fd, ".", IN_ALL_EVENTS), "inotify_add_watch . (HIDDEN)");
    attack_report (inotify_add_watch (fd, "secret", IN_ALL_EVENTS),
                   "inotify_add_watch secret (HIDDEN/secret)");
    attack_report (chdir ("/"), "chdir /");
    if (dir >= 0)
      close (dir);
  }
  attack_report (inotify_add_watch (fd, "/", IN_ALL_EVENTS), "inotify_add_watch /");
  /* Whatever leaked is on the queue: one of the secret's events, or the
   * attempts' own. */
  report_events (fd, 200, "HIDDEN");

  /* The control: a watch on the writable directory reports a file
   * created there. */
  wd = inotify_add_watch (fd, argv[1], IN_CREATE);
  attack_report (wd, "control: inotify_add_watch WRITABLE");
  snprintf (path, sizeof path, "%s/new", argv[1]);
  {
    int created = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

    attack_report (created, "control: create WRITABLE/new");
    if (created >= 0)
      close (created);
  }
  report_events (fd, 2000, "WRITABLE");
  attack_report (inotify_rm_watch (fd, wd), "control: inotify_rm_watch WRITABLE");
  close (fd);

  /* fanotify: no flags make it safe. FAN_REPORT_FID is the unprivileged
   * form (5.13+); FAN_CLASS_CONTENT (permission events) needs root. */
  fd = fanotify_init (FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY);
  attack_report (fd, "fanotify_init FAN_REPORT_FID");
  if (fd >= 0)
    {
      attack_report (fanotify_mark (fd, FAN_MARK_ADD, FAN_CREATE | FAN_EVENT_ON_CHILD | FAN_ONDIR,
                                    AT_FDCWD, argv[2]),
                     "fanotify_mark HIDDEN");
      close (fd);
    }
  fd = fanotify_init (FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
  attack_report (fd, "fanotify_init FAN_CLASS_CONTENT");
  if (fd >= 0)
    close (fd);
  return 0;
}
