/* sandlock-guard-hosts.c: the hosts guard
 *
 * The hostnames of net-allow and net-deny are resolved by the supervisor
 * when the policy is compiled; the egress rules then match the addresses
 * it got. The command's own lookups of those names must get the same
 * addresses, or it would connect to ones the rules do not name (a name
 * with many addresses, round-robin DNS, a resolver that answers the
 * command differently). So, when a rule names a host, this guard traps
 * open() and openat() and answers a read-only open of "/etc/hosts" with a
 * sealed memory file (inject-bytes): the rules' names with their
 * addresses first, then the real file when the command may read it (which
 * the policy's confined thread, under the command's Landlock ruleset,
 * tries: the command never gets a file the policy does not grant it).
 * The C library's files backend, first in every usual nsswitch.conf,
 * then answers those names without asking DNS. A name with several
 * addresses has several lines, which glibc returns all only with "multi
 * on" in /etc/host.conf (Debian's default): when the command may not read
 * that file, an open of it is answered with "multi on".
 *
 * The path is read from the command's memory and the decision is not
 * performed on a copy: another thread may change the path after the read.
 * That changes nothing the policy protects: the command then either gets
 * this guard's file for another open (its own read-only content), or the
 * kernel opens the real path under Landlock as for any open.
 *
 * Cost: every open() and openat() of such a command is a round trip to
 * the supervisor.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandlock-action.h"
#include "sandlock-confined-thread-private.h"
#include "sandlock-fd-private.h"
#include "sandlock-guard-private.h"
#include "sandlock-kernel-private.h"
#include "sandlock-net-rules-private.h"
#include "sandlock-policy-private.h"

#define HOSTS_PATH "/etc/hosts"
#define HOST_CONF_PATH "/etc/host.conf"
/* More than any real hosts file: the rest is left out. */
#define HOSTS_MAX_SIZE (1024 * 1024)

/* Opens the path @data as the command could. */
static int
open_as_command (gpointer data)
{
  return open (data, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

static gboolean
applies (const SandlockPolicy *policy)
{
  return sandlock_net_rules_get_hosts_text (policy->net_rules)[0] != '\0';
}

/* The synthetic hosts file. */
static GBytes *
hosts_content (const SandlockPolicy *policy)
{
  GString *content = g_string_new ("# sandlock-glib: the hostnames of net-allow and net-deny, "
                                    "as resolved when the command started\n");
  sandlock_autofd int fd = -1;

  g_string_append (content, sandlock_net_rules_get_hosts_text (policy->net_rules));

  fd = sandlock_confined_thread_run (policy->confined_thread, -1, 077, open_as_command,
                                     (gpointer) HOSTS_PATH);
  if (fd >= 0)
    {
      char buffer[4096];
      gsize total = 0;
      ssize_t n;

      g_string_append (content, "# " HOSTS_PATH "\n");
      while (total < HOSTS_MAX_SIZE &&
             (n = read (fd, buffer, MIN (sizeof buffer, HOSTS_MAX_SIZE - total))) > 0)
        {
          g_string_append_len (content, buffer, n);
          total += (gsize) n;
        }
      if (content->len > 0 && content->str[content->len - 1] != '\n')
        g_string_append_c (content, '\n');
    }
  return g_string_free_to_bytes (content);
}

static SandlockAction *
check (const SandlockGuardCall *call)
{
  const struct seccomp_notif *request = call->request;
  gboolean is_openat = request->data.nr == __NR_openat;
  guint64 path_address = is_openat ? request->data.args[1] : request->data.args[0];
  guint64 flags = is_openat ? request->data.args[2] : request->data.args[1];
  g_autofree char *path = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  SandlockAction *answer;

  /* Only a plain read-only open; anything else is the kernel's. */
  if ((flags & O_ACCMODE) != O_RDONLY ||
      (flags & (O_CREAT | O_TRUNC | O_PATH | O_DIRECTORY | O_TMPFILE)) != 0)
    return NULL;

  path = sandlock_notif_read_string (call->listener_fd, request, path_address,
                                     MAX (sizeof HOSTS_PATH, sizeof HOST_CONF_PATH));
  if (path == NULL)
    return NULL;
  if (g_str_equal (path, HOSTS_PATH))
    content = hosts_content (call->policy);
  else if (g_str_equal (path, HOST_CONF_PATH))
    {
      int fd = sandlock_confined_thread_run (call->policy->confined_thread, -1, 077,
                                             open_as_command, (gpointer) HOST_CONF_PATH);

      if (fd >= 0)
        {
          /* The command may read the real one: the kernel opens it. */
          close (fd);
          return NULL;
        }
      static const char host_conf[] =
        "# sandlock-glib: every address of a name in /etc/hosts\nmulti on\n";

      content = g_bytes_new_static (host_conf, sizeof host_conf - 1);
    }
  else
    return NULL;

  answer = sandlock_action_new_inject_bytes (content,
                                             (flags & O_CLOEXEC) ? SANDLOCK_INJECT_FD_CLOEXEC : 0,
                                             &error);
  if (answer == NULL)
    {
      g_debug ("Cannot answer an open of " HOSTS_PATH ": %s", error->message);
      return sandlock_action_new_errno (EACCES);
    }
  return answer;
}

static const char * const syscalls[] = { "openat", "open", NULL };

const SandlockGuard sandlock_guard_hosts = {
  .name = "hosts",
  .syscalls = syscalls,
  .applies = applies,
  .check = check,
};
