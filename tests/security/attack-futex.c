/* attack-futex.c: moving other processes' futex waiters. A futex in a
 * shared mapping of a file is named by the file and the offset, the same
 * for every process that maps it, and requeueing only reads it: with a
 * file it may only read, a command could move the waiters of any process
 * that synchronises through that file (a process-shared mutex or
 * condition variable, an LMDB lock file) onto a futex of its own, where
 * the owner's wake-up never finds them: they stay blocked for good.
 * Argument: a file beneath the granted directory.
 *
 * Here a child of the attack waits on the file's first word, through a
 * read-only mapping, as a process outside would; FUTEX_REQUEUE and
 * FUTEX_CMP_REQUEUE of a shared futex must fail (EINVAL, which is what old
 * C libraries fall back from to waking every waiter), and futex_requeue()
 * (Linux 6.7), whose futexes' flags are behind a pointer, with ENOSYS. The
 * controls: private requeues and shared wake-ups stay.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "attack.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long
futex (uint32_t *address, int op, uint32_t value, long value2, uint32_t *address2, uint32_t value3)
{
  return syscall (SYS_futex, address, op, value, value2, address2, value3);
}

/* Linux 6.7's struct futex_waitv. */
struct waitv {
  uint64_t val;
  uint64_t uaddr;
  uint32_t flags;
  uint32_t reserved;
};

int
main (int argc, char **argv)
{
  static uint32_t own = 0;
  uint32_t *word;
  pid_t child;
  long rc = 0;
  int fd, status, tries;

  if (argc < 2)
    return 2;
  fd = open (argv[1], O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 1;
  word = mmap (NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  if (word == MAP_FAILED)
    return 1;

  child = fork ();
  if (child < 0)
    return 1;
  if (child == 0)
    {
      futex (word, FUTEX_WAIT, *word, 0, NULL, 0);
      _exit (0);
    }

  /* Until the child waits (or the filter refuses). */
  for (tries = 0; tries < 5000; tries++)
    {
      rc = futex (word, FUTEX_CMP_REQUEUE, 0, 0x7fffffff, &own, *word);
      if (rc != 0)
        break;
      usleep (1000);
    }
  attack_report (rc, "FUTEX_CMP_REQUEUE GRANTED/file (shared) to its own futex");
  attack_report (futex (word, FUTEX_REQUEUE, 0, 0x7fffffff, &own, 0),
                 "FUTEX_REQUEUE GRANTED/file (shared) to its own futex");
  {
    struct waitv waiters[2] = {
      { .val = *word, .uaddr = (uintptr_t) word, .flags = 2 /* FUTEX2_SIZE_U32, shared */ },
      { .val = 0, .uaddr = (uintptr_t) &own, .flags = 2 },
    };

    attack_report (syscall (456 /* futex_requeue */, waiters, 0, 0, 0x7fffffff),
                   "futex_requeue GRANTED/file (shared) to its own futex");
  }
  attack_report (futex (&own, FUTEX_CMP_REQUEUE_PRIVATE, 0, 0x7fffffff, &own, own),
                 "control: FUTEX_CMP_REQUEUE_PRIVATE of its own futex");

  /* Wake the child wherever it waits now. */
  for (tries = 0; waitpid (child, &status, WNOHANG) == 0; tries++)
    {
      if (tries == 10000)
        {
          kill (child, SIGKILL);
          waitpid (child, &status, 0);
          break;
        }
      futex (word, FUTEX_WAKE, 1, 0, NULL, 0);
      futex (&own, FUTEX_WAKE, 1, 0, NULL, 0);
      usleep (1000);
    }
  attack_report (futex (word, FUTEX_WAKE, 1, 0, NULL, 0), "control: FUTEX_WAKE GRANTED/file (shared)");
  return 0;
}
