/* attack-mqueue.c: POSIX message queues of processes outside the sandbox.
 * Argument: the name of a queue the supervisor created. Queues are named
 * objects of the whole user that Landlock does not govern: deleting the
 * supervisor's, or opening it, must fail with EPERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <mqueue.h>

int
main (int argc, char **argv)
{
  const char *name;
  mqd_t queue;

  if (argc < 2)
    return 2;
  name = argv[1];

  queue = mq_open (name, O_RDWR);
  attack_report (queue == (mqd_t) -1 ? -1 : 0, "mq_open MQUEUE");
  if (queue != (mqd_t) -1)
    mq_close (queue);
  attack_report (mq_unlink (name), "mq_unlink MQUEUE");
  queue = mq_open ("/sandlock-attack-own", O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
  attack_report (queue == (mqd_t) -1 ? -1 : 0, "mq_open a queue of its own");
  if (queue != (mqd_t) -1)
    {
      mq_close (queue);
      mq_unlink ("/sandlock-attack-own");
    }
  return 0;
}
