/* sandlock-confined-thread.c: a thread of the supervisor confined as the
 * command is (see the header)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandlock-confined-thread-private.h"
#include "sandlock-kernel-private.h"

typedef struct {
  SandlockConfinedFunc  func;     /* NULL: stop */
  gpointer              data;
  int                   cwd_fd;
  mode_t                mask;
  GMutex                lock;
  GCond                 cond;
  gboolean              done;
  int                   result;
  int                   saved_errno;
} Request;

struct _SandlockConfinedThread {
  int           ruleset_fd;
  GMutex        lock;             /* guards thread */
  GThread      *thread;
  GAsyncQueue  *requests;         /* of Request * */
};

/* Confines the calling thread; 0, or the errno of the step that failed. */
static int
confine_self (int ruleset_fd)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return errno;
  /* A working directory and umask of its own, to take the command's. */
  if (unshare (CLONE_FS) != 0)
    return errno;
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return errno;
  /* Every capability goes but CAP_SETUID and CAP_SETGID, where the thread
   * has them: the C library applies a change of ids (setuid, setgroups...)
   * to every thread of the process, and aborts it when one thread fails.
   * Binding uses neither. The raw syscall: the C library's wrappers of
   * credential changes apply them to every thread, this one changes only
   * the caller's. */
  if (syscall (SYS_capget, &header, data) != 0)
    return errno;
  for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
    {
      guint32 keep = 0;

      if (CAP_TO_INDEX (CAP_SETUID) == i)
        keep |= CAP_TO_MASK (CAP_SETUID);
      if (CAP_TO_INDEX (CAP_SETGID) == i)
        keep |= CAP_TO_MASK (CAP_SETGID);
      data[i].effective &= keep;
      data[i].permitted &= keep;
      data[i].inheritable = 0;
    }
  header.pid = 0;
  if (syscall (SYS_capset, &header, data) != 0)
    return errno;
  if (ruleset_fd >= 0 && sandlock_sys_landlock_restrict_self (ruleset_fd, 0) != 0)
    return errno;
  return 0;
}

static gpointer
thread_main (gpointer user_data)
{
  SandlockConfinedThread *self = user_data;
  int failed = confine_self (self->ruleset_fd);

  if (failed != 0)
    g_warning ("The thread that binds sockets on the command's behalf could not confine "
               "itself (%s): every bind() of the sandbox is refused", g_strerror (failed));

  for (;;)
    {
      Request *request = g_async_queue_pop (self->requests);
      gboolean stop = request->func == NULL;

      if (stop)
        ;
      else if (failed != 0)
        {
          request->result = -1;
          request->saved_errno = EACCES;
        }
      else if (request->cwd_fd >= 0 && fchdir (request->cwd_fd) != 0)
        {
          request->result = -1;
          request->saved_errno = errno == ENOENT ? ENOENT : EACCES;
        }
      else
        {
          umask (request->mask);
          errno = 0;
          request->result = request->func (request->data);
          request->saved_errno = errno;
        }

      g_mutex_lock (&request->lock);
      request->done = TRUE;
      g_cond_signal (&request->cond);
      g_mutex_unlock (&request->lock);
      if (stop)
        break;
    }
  return NULL;
}

SandlockConfinedThread *
sandlock_confined_thread_new (int ruleset_fd)
{
  SandlockConfinedThread *self = g_new0 (SandlockConfinedThread, 1);

  self->ruleset_fd = ruleset_fd;
  g_mutex_init (&self->lock);
  self->requests = g_async_queue_new ();
  return self;
}

static int
submit (SandlockConfinedThread *self,
        Request                *request)
{
  g_mutex_init (&request->lock);
  g_cond_init (&request->cond);
  g_async_queue_push (self->requests, request);
  g_mutex_lock (&request->lock);
  while (!request->done)
    g_cond_wait (&request->cond, &request->lock);
  g_mutex_unlock (&request->lock);
  g_mutex_clear (&request->lock);
  g_cond_clear (&request->cond);
  errno = request->saved_errno;
  return request->result;
}

int
sandlock_confined_thread_run (SandlockConfinedThread *self,
                              int                     cwd_fd,
                              mode_t                  mask,
                              SandlockConfinedFunc    func,
                              gpointer                data)
{
  Request request = { .func = func, .data = data, .cwd_fd = cwd_fd, .mask = mask };

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (func != NULL, -1);

  g_mutex_lock (&self->lock);
  if (self->thread == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->thread = g_thread_try_new ("sandlock-confined", thread_main, self, &error);
      if (self->thread == NULL)
        {
          g_mutex_unlock (&self->lock);
          g_warning ("Could not start the thread that binds sockets on the command's behalf: %s",
                     error->message);
          errno = EAGAIN;
          return -1;
        }
    }
  g_mutex_unlock (&self->lock);

  return submit (self, &request);
}

void
sandlock_confined_thread_free (SandlockConfinedThread *self)
{
  if (self == NULL)
    return;
  if (self->thread != NULL)
    {
      Request stop = { .func = NULL, .cwd_fd = -1 };

      submit (self, &stop);
      g_thread_join (self->thread);
    }
  g_async_queue_unref (self->requests);
  g_mutex_clear (&self->lock);
  g_free (self);
}
