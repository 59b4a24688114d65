/* sandlock-sandbox.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <seccomp.h>
#include <stdlib.h>

#include "sandlock-error.h"
#include "sandlock-kernel-private.h"
#include "sandlock-launch-private.h"
#include "sandlock-policy-private.h"
#include "sandlock-process-private.h"
#include "sandlock-sandbox-private.h"
#include "sandlock-result-private.h"
#include "sandlock-sandbox.h"
#include "sandlock-stdio-private.h"
#include "sandlock-i18n-private.h"

/**
 * SECTION:sandlock-sandbox
 * @title: SandlockSandbox
 * @short_description: a confinement policy and the processes it spawns
 *
 * A #SandlockSandbox holds a policy, as properties, and the handlers that
 * answer trapped syscalls, and spawns commands confined by them:
 *
 * - Landlock confines the filesystem to #SandlockSandbox:fs-readable and
 *   #SandlockSandbox:fs-writable, TCP to #SandlockSandbox:net-bind and
 *   #SandlockSandbox:net-connect, and always blocks abstract unix sockets
 *   and signals to processes outside the sandbox.
 * - A seccomp-bpf filter refuses a fixed list of kernel interfaces no
 *   confined command needs (mounts, namespaces, ptrace, bpf, io_uring,
 *   SysV IPC, ...) plus #SandlockSandbox:extra-deny-syscalls, sockets other
 *   than unix, TCP, UDP and netlink route queries, and kills any process
 *   that makes a syscall of another architecture.
 * - Built-in guards decide what the filter cannot: no abstract unix name
 *   can be bound, and the destinations of #SandlockSandbox:net-allow and
 *   #SandlockSandbox:net-deny.
 * - A second filter traps the syscalls handlers are registered on and
 *   hands them to the application's main loop.
 *
 * Nothing needs root. Property changes apply to processes spawned
 * afterwards; running ones keep the policy they started with.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
 * const char * const readable[] = { "/usr", "/etc", NULL };
 * const char * const argv[] = { "cat", "/etc/hostname", NULL };
 * g_autoptr(SandlockResult) result = NULL;
 * g_autoptr(GError) error = NULL;
 *
 * sandlock_sandbox_set_fs_readable (sandbox, readable);
 * result = sandlock_sandbox_run (sandbox, argv, NULL, NULL, &error);
 * ]|
 */

/**
 * SandlockSandbox:
 *
 * A confinement policy, held in properties, and the handlers of the
 * syscalls it traps. Its fields are private.
 *
 * Since: 1.0
 */

struct _SandlockSandbox
{
  GObject          parent_instance;

  char           **fs_readable;
  char           **fs_writable;
  char           **fs_denied;
  char           **net_bind;
  char           **net_connect;
  char           **net_allow;
  char           **net_deny;
  char           **unix_connect;
  char           **env;
  gboolean         clean_env;
  char            *cwd;
  guint            timeout;
  guint            max_open_files;
  char           **extra_deny_syscalls;
  gboolean         best_effort;
  gboolean         private_proc;
  gboolean         pty;
  guint            max_deferred;
  guint64          max_output;
  guint            max_processes;
  guint64          max_memory;
  guint            max_cpu;
  char            *cpu_cores;

  GArray          *handlers;      /* SandlockHandlerEntry, in order */
  SandlockPolicy  *policy;        /* compiled cache, NULL when stale */
};

G_DEFINE_FINAL_TYPE (SandlockSandbox, sandlock_sandbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FS_READABLE,
  PROP_FS_WRITABLE,
  PROP_FS_DENIED,
  PROP_NET_BIND,
  PROP_NET_CONNECT,
  PROP_NET_ALLOW,
  PROP_NET_DENY,
  PROP_UNIX_CONNECT,
  PROP_ENV,
  PROP_CLEAN_ENV,
  PROP_CWD,
  PROP_TIMEOUT,
  PROP_MAX_OPEN_FILES,
  PROP_EXTRA_DENY_SYSCALLS,
  PROP_BEST_EFFORT,
  PROP_PRIVATE_PROC,
  PROP_PTY,
  PROP_MAX_DEFERRED,
  PROP_MAX_OUTPUT,
  PROP_MAX_PROCESSES,
  PROP_MAX_MEMORY,
  PROP_MAX_CPU,
  PROP_CPU_CORES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_HANDLER_ERROR,
  SIGNAL_GUARD_DECISION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEFAULT_MAX_DEFERRED 256
#define DEFAULT_MAX_OUTPUT (G_GUINT64_CONSTANT (64) * 1024 * 1024)
#define DEFAULT_MAX_PROCESSES 64

static void
invalidate_policy (SandlockSandbox *self)
{
  g_clear_pointer (&self->policy, sandlock_policy_unref);
}

static void
clear_handler_entry (gpointer data)
{
  SandlockHandlerEntry *entry = data;

  g_clear_object (&entry->handler);
}

static void
sandlock_sandbox_finalize (GObject *object)
{
  SandlockSandbox *self = SANDLOCK_SANDBOX (object);

  invalidate_policy (self);
  g_array_unref (self->handlers);
  g_strfreev (self->fs_readable);
  g_strfreev (self->fs_writable);
  g_strfreev (self->fs_denied);
  g_strfreev (self->net_bind);
  g_strfreev (self->net_connect);
  g_strfreev (self->net_allow);
  g_strfreev (self->net_deny);
  g_strfreev (self->unix_connect);
  g_strfreev (self->env);
  g_free (self->cwd);
  g_free (self->cpu_cores);
  g_strfreev (self->extra_deny_syscalls);

  G_OBJECT_CLASS (sandlock_sandbox_parent_class)->finalize (object);
}

static void
sandlock_sandbox_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SandlockSandbox *self = SANDLOCK_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_FS_READABLE:
      g_value_set_boxed (value, self->fs_readable);
      break;
    case PROP_FS_WRITABLE:
      g_value_set_boxed (value, self->fs_writable);
      break;
    case PROP_FS_DENIED:
      g_value_set_boxed (value, self->fs_denied);
      break;
    case PROP_NET_BIND:
      g_value_set_boxed (value, self->net_bind);
      break;
    case PROP_NET_CONNECT:
      g_value_set_boxed (value, self->net_connect);
      break;
    case PROP_NET_ALLOW:
      g_value_set_boxed (value, self->net_allow);
      break;
    case PROP_NET_DENY:
      g_value_set_boxed (value, self->net_deny);
      break;
    case PROP_UNIX_CONNECT:
      g_value_set_boxed (value, self->unix_connect);
      break;
    case PROP_ENV:
      g_value_set_boxed (value, self->env);
      break;
    case PROP_CLEAN_ENV:
      g_value_set_boolean (value, self->clean_env);
      break;
    case PROP_CWD:
      g_value_set_string (value, self->cwd);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_OPEN_FILES:
      g_value_set_uint (value, self->max_open_files);
      break;
    case PROP_EXTRA_DENY_SYSCALLS:
      g_value_set_boxed (value, self->extra_deny_syscalls);
      break;
    case PROP_BEST_EFFORT:
      g_value_set_boolean (value, self->best_effort);
      break;
    case PROP_PRIVATE_PROC:
      g_value_set_boolean (value, self->private_proc);
      break;
    case PROP_PTY:
      g_value_set_boolean (value, self->pty);
      break;
    case PROP_MAX_DEFERRED:
      g_value_set_uint (value, self->max_deferred);
      break;
    case PROP_MAX_OUTPUT:
      g_value_set_uint64 (value, self->max_output);
      break;
    case PROP_MAX_PROCESSES:
      g_value_set_uint (value, self->max_processes);
      break;
    case PROP_MAX_MEMORY:
      g_value_set_uint64 (value, self->max_memory);
      break;
    case PROP_MAX_CPU:
      g_value_set_uint (value, self->max_cpu);
      break;
    case PROP_CPU_CORES:
      g_value_set_string (value, self->cpu_cores);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_sandbox_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SandlockSandbox *self = SANDLOCK_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_FS_READABLE:
      sandlock_sandbox_set_fs_readable (self, g_value_get_boxed (value));
      break;
    case PROP_FS_WRITABLE:
      sandlock_sandbox_set_fs_writable (self, g_value_get_boxed (value));
      break;
    case PROP_FS_DENIED:
      sandlock_sandbox_set_fs_denied (self, g_value_get_boxed (value));
      break;
    case PROP_NET_BIND:
      sandlock_sandbox_set_net_bind (self, g_value_get_boxed (value));
      break;
    case PROP_NET_CONNECT:
      sandlock_sandbox_set_net_connect (self, g_value_get_boxed (value));
      break;
    case PROP_NET_ALLOW:
      sandlock_sandbox_set_net_allow (self, g_value_get_boxed (value));
      break;
    case PROP_NET_DENY:
      sandlock_sandbox_set_net_deny (self, g_value_get_boxed (value));
      break;
    case PROP_UNIX_CONNECT:
      sandlock_sandbox_set_unix_connect (self, g_value_get_boxed (value));
      break;
    case PROP_ENV:
      sandlock_sandbox_set_env (self, g_value_get_boxed (value));
      break;
    case PROP_CLEAN_ENV:
      sandlock_sandbox_set_clean_env (self, g_value_get_boolean (value));
      break;
    case PROP_CWD:
      sandlock_sandbox_set_cwd (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      sandlock_sandbox_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_OPEN_FILES:
      sandlock_sandbox_set_max_open_files (self, g_value_get_uint (value));
      break;
    case PROP_EXTRA_DENY_SYSCALLS:
      sandlock_sandbox_set_extra_deny_syscalls (self, g_value_get_boxed (value));
      break;
    case PROP_BEST_EFFORT:
      sandlock_sandbox_set_best_effort (self, g_value_get_boolean (value));
      break;
    case PROP_PRIVATE_PROC:
      sandlock_sandbox_set_private_proc (self, g_value_get_boolean (value));
      break;
    case PROP_PTY:
      sandlock_sandbox_set_pty (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_DEFERRED:
      sandlock_sandbox_set_max_deferred (self, g_value_get_uint (value));
      break;
    case PROP_MAX_OUTPUT:
      sandlock_sandbox_set_max_output (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_PROCESSES:
      sandlock_sandbox_set_max_processes (self, g_value_get_uint (value));
      break;
    case PROP_MAX_MEMORY:
      sandlock_sandbox_set_max_memory (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_CPU:
      sandlock_sandbox_set_max_cpu (self, g_value_get_uint (value));
      break;
    case PROP_CPU_CORES:
      sandlock_sandbox_set_cpu_cores (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_sandbox_class_init (SandlockSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sandlock_sandbox_finalize;
  object_class->get_property = sandlock_sandbox_get_property;
  object_class->set_property = sandlock_sandbox_set_property;

  /**
   * SandlockSandbox:fs-readable:
   *
   * Absolute paths the command may read and execute, with everything
   * beneath them. Enforced by Landlock (Linux 5.13). Nothing outside
   * #SandlockSandbox:fs-readable and #SandlockSandbox:fs-writable can be
   * opened, listed or executed. Landlock does not control looking paths
   * up (`stat()` works anywhere) nor connecting to unix sockets that have
   * a path. A relative or missing path fails the spawn with
   * %SANDLOCK_ERROR_INVALID_POLICY.
   *
   * Since: 1.0
   */
  properties[PROP_FS_READABLE] =
    g_param_spec_boxed ("fs-readable", NULL, "Absolute paths the command may read and execute beneath", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:fs-writable:
   *
   * Absolute paths the command may read, write, create, remove and execute
   * in: every filesystem right the kernel's Landlock knows.
   *
   * Since: 1.0
   */
  properties[PROP_FS_WRITABLE] =
    g_param_spec_boxed ("fs-writable", NULL, "Absolute paths the command may read and write beneath", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:fs-denied:
   *
   * Absolute paths, beneath #SandlockSandbox:fs-readable or
   * #SandlockSandbox:fs-writable, that the command may neither read,
   * write, execute, list nor create in, with everything beneath them.
   * Enforced by Landlock alone: the granted trees are granted entry by
   * entry around the denied paths, so the directories on the way to a
   * denied path can be walked through but not listed, and no entry can be
   * created, removed or renamed in them. A denied path need not exist.
   * It looks absent: open(), stat(), access() and readlink() of it fail
   * with `ENOENT`, at the cost of a trap of each of those syscalls while
   * the property is set. A relative path,
   * or a denied file with a hard link outside the denied paths, fails the
   * spawn with %SANDLOCK_ERROR_INVALID_POLICY. See docs/policy.md.
   *
   * Since: 1.0
   */
  properties[PROP_FS_DENIED] =
    g_param_spec_boxed ("fs-denied", NULL, "Absolute paths beneath the granted ones that the command can neither reach nor see", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:net-bind:
   *
   * TCP ports the command may bind, each `"PORT"` or `"LOW-HIGH"`, from 1
   * to 65535. Without any, it may bind no TCP port. Enforced by Landlock
   * (Linux 6.7); UDP is not covered. MPTCP and SCTP sockets, which
   * Landlock's port rules do not govern, cannot be created.
   *
   * Since: 1.0
   */
  properties[PROP_NET_BIND] =
    g_param_spec_boxed ("net-bind", NULL, "TCP ports and port ranges the command may bind", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:net-connect:
   *
   * TCP ports the command may connect to, each `"PORT"` or `"LOW-HIGH"`.
   * Without any, it may connect to no TCP port. Enforced by Landlock
   * (Linux 6.7); UDP is not covered. TCP Fast Open, which connects without
   * connect(), fails with `EOPNOTSUPP` so that clients fall back to
   * connect().
   *
   * Since: 1.0
   */
  properties[PROP_NET_CONNECT] =
    g_param_spec_boxed ("net-connect", NULL, "TCP ports and port ranges the command may connect to", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:net-allow:
   *
   * Destinations the command may reach, each `"[udp:]HOST:PORTS"`: HOST is
   * `*`, an IPv4 address or prefix (`10.0.0.0/8`), an IPv6 address or
   * prefix in brackets (`[2001:db8::/32]`) or a hostname; PORTS is `*`, a
   * port or a range `"LOW-HIGH"`. TCP unless the entry starts with `udp:`.
   * Hostnames are resolved when the policy is compiled (at the first spawn
   * after a property changed), and the command's own lookups of them get
   * the same addresses. A TCP entry's ports are granted to connect() as
   * #SandlockSandbox:net-connect's are. Malformed entries and hostnames
   * that do not resolve make spawning fail with
   * %SANDLOCK_ERROR_INVALID_POLICY. See docs/policy.md for what enforces
   * the rules on which kernels.
   *
   * Since: 1.0
   */
  properties[PROP_NET_ALLOW] =
    g_param_spec_boxed ("net-allow", NULL, "Destinations the command may reach: [udp:]HOST:PORTS", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:net-deny:
   *
   * Exceptions to #SandlockSandbox:net-allow, in the same syntax: a
   * destination that matches an entry here is refused even when an
   * allow entry matches it.
   *
   * Since: 1.0
   */
  properties[PROP_NET_DENY] =
    g_param_spec_boxed ("net-deny", NULL, "Destinations refused even when net-allow allows them", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:unix-connect:
   *
   * Absolute paths of the pathname unix sockets the command may connect
   * and send datagrams to, such as a session bus it is meant to use. Empty
   * by default: connect(), and sendto(), sendmsg() and sendmmsg() with an
   * address, to any other unix socket path fail with `EACCES`, except a
   * socket that lies beneath #SandlockSandbox:fs-writable (a server and
   * its client both inside the sandbox). A symbolic link to an allowed
   * socket leads to it; the socket is looked up again at each call, so a
   * server that re-creates it is still reached. The supervisor decides on
   * its own copy of the address and makes the call on the command's
   * behalf: see docs/policy.md for what that costs. A relative path makes
   * spawning fail with %SANDLOCK_ERROR_INVALID_POLICY.
   *
   * Since: 1.0
   */
  properties[PROP_UNIX_CONNECT] =
    g_param_spec_boxed ("unix-connect", NULL, "Unix socket paths the command may connect and send to", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:env:
   *
   * `"KEY=VALUE"` entries set in the command's environment, over what it
   * inherits (or what #SandlockSandbox:clean-env keeps), in order; a name
   * alone, `"KEY"`, removes KEY.
   *
   * Since: 1.0
   */
  properties[PROP_ENV] =
    g_param_spec_boxed ("env", NULL, "Environment entries: KEY=VALUE sets KEY for the command, KEY alone removes it", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:clean-env:
   *
   * Start the command's environment empty but for `PATH`, `HOME`, `USER`,
   * `LOGNAME`, `TERM` and `LANG` (those that are set), then apply
   * #SandlockSandbox:env. Without it the command inherits the
   * application's environment.
   *
   * Since: 1.0
   */
  properties[PROP_CLEAN_ENV] =
    g_param_spec_boolean ("clean-env", NULL, "Whether the command starts from a minimal environment", FALSE, flags);

  /**
   * SandlockSandbox:cwd:
   *
   * The command's working directory, an absolute path; %NULL keeps the
   * application's. It must also be granted to be usable.
   *
   * Since: 1.0
   */
  properties[PROP_CWD] =
    g_param_spec_string ("cwd", NULL, "The command's working directory, or NULL for the caller's", NULL, flags);

  /**
   * SandlockSandbox:timeout:
   *
   * Seconds after which every process of the sandbox is killed; 0 for no
   * limit. Output captured until then is kept.
   *
   * The deadline is never early: it counts from the end of the command's
   * set-up, and is late only by the time the kernel takes to wake the
   * sandbox's helper process and to kill every process. The helper keeps
   * it, so it holds whatever the application does: a blocked or stopped
   * main loop, a stopped application.
   *
   * Since: 1.0
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, "Seconds after which the command is killed, 0 for none", 0, G_MAXUINT / 1000, 0, flags);

  /**
   * SandlockSandbox:max-open-files:
   *
   * The command's `RLIMIT_NOFILE`, soft and hard (never above the
   * application's own hard limit); 0 keeps the inherited limit.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_OPEN_FILES] =
    g_param_spec_uint ("max-open-files", NULL, "The command's limit of open descriptors, 0 for the inherited one", 0, G_MAXINT, 0, flags);

  /**
   * SandlockSandbox:extra-deny-syscalls:
   *
   * Names of syscalls answered `EPERM` on top of the built-in deny list.
   * An unknown name fails the spawn with %SANDLOCK_ERROR_INVALID_POLICY.
   *
   * Since: 1.0
   */
  properties[PROP_EXTRA_DENY_SYSCALLS] =
    g_param_spec_boxed ("extra-deny-syscalls", NULL, "Syscalls the filter refuses with EPERM, beyond the built-in list", G_TYPE_STRV, flags);

  /**
   * SandlockSandbox:best-effort:
   *
   * When the running kernel lacks a Landlock protection, skip it instead of
   * failing the spawn with %SANDLOCK_ERROR_UNSUPPORTED. What was applied is
   * in sandlock_process_get_protections().
   *
   * Since: 1.0
   */
  properties[PROP_BEST_EFFORT] =
    g_param_spec_boolean ("best-effort", NULL, "Whether to run with the protections this kernel has rather than fail", FALSE, flags);

  /**
   * SandlockSandbox:private-proc:
   *
   * When `/proc` (or a part of it) is granted, show the command only the
   * processes of its own sandbox: `/proc/<pid>` of any other process
   * cannot be opened (`ENOENT`) and listings of `/proc` hold only the
   * sandbox's processes, while `/proc/self`, `/proc/thread-self` and the
   * system-wide files keep working. It costs a trap of every open and
   * every directory listing of the command (see docs/policy.md). %FALSE
   * grants `/proc` as any other path.
   *
   * Since: 1.0
   */
  properties[PROP_PRIVATE_PROC] =
    g_param_spec_boolean ("private-proc", NULL, "Whether a granted /proc shows only the sandbox's own processes", TRUE, flags);

  /**
   * SandlockSandbox:pty:
   *
   * Gives each command spawned a private pseudo-terminal of its own. The
   * library opens a new pseudo-terminal pair at each spawn; the command
   * runs in a session of its own (`setsid()`) with the pair's terminal
   * side as its controlling terminal, so that `isatty()` is true, `/dev/tty`
   * opens that terminal (the policy grants `/dev/tty` for it), and no
   * terminal ioctl or write of the command can reach the application's
   * terminal. The application gets the other side,
   * sandlock_process_get_pty_fd(): what the command writes to its terminal
   * is read there, and what is written there is the command's input.
   *
   * The terminal becomes each standard stream the spawn leaves at its
   * default: standard input unless %G_SUBPROCESS_FLAGS_STDIN_PIPE or
   * %G_SUBPROCESS_FLAGS_STDIN_INHERIT is given, standard output unless
   * %G_SUBPROCESS_FLAGS_STDOUT_PIPE or %G_SUBPROCESS_FLAGS_STDOUT_SILENCE
   * is, standard error unless one of the standard error flags is (with
   * %G_SUBPROCESS_FLAGS_STDERR_MERGE it follows standard output). A stream
   * a #SandlockLauncher sets (a descriptor or a file) wins over both. The
   * command keeps its terminal as controlling terminal in every case.
   * sandlock_sandbox_run() and sandlock_sandbox_run_async(), which pipe
   * standard output and error and do not expose the master, give the
   * command a pipe as standard input (holding the bytes given, or empty): only
   * `/dev/tty` is then the terminal.
   *
   * The window size is the application's terminal's (its standard input,
   * output or error, the first that is a terminal), else 80 columns by 24
   * rows; set it with `TIOCSWINSZ` on sandlock_process_get_pty_fd(), which
   * also sends `SIGWINCH` to the command. No root and no Landlock rule for
   * `/dev/pts` are needed: the command uses the descriptors it inherits.
   *
   * Since: 1.0
   */
  properties[PROP_PTY] =
    g_param_spec_boolean ("pty", NULL, "Whether each command gets a private pseudo-terminal", FALSE, flags);

  /**
   * SandlockSandbox:max-deferred:
   *
   * How many deferred notifications one process may have in flight; a
   * syscall deferred beyond it fails with `EAGAIN`.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_DEFERRED] =
    g_param_spec_uint ("max-deferred", NULL, "How many notifications may be deferred at once", 0, G_MAXINT, DEFAULT_MAX_DEFERRED, flags);

  /**
   * SandlockSandbox:max-output:
   *
   * The most bytes kept of each captured stream: the standard output and
   * the standard error that sandlock_sandbox_run(),
   * sandlock_sandbox_run_async() and sandlock_process_communicate()
   * collect. When the command writes more to either, reading stops, the
   * sandbox is killed, and the first that many bytes of each stream are
   * kept: #SandlockResult:output-limit-exceeded is set, and
   * sandlock_process_communicate() and sandlock_process_wait_check() fail
   * with %SANDLOCK_ERROR_OUTPUT_LIMIT. The application holds at most about
   * this many bytes per stream, never more.
   *
   * The default is 64 MiB (67108864); 0 keeps everything, without a limit.
   * Pipes the application reads itself, and streams that are not piped,
   * are not counted.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_OUTPUT] =
    g_param_spec_uint64 ("max-output", NULL, "Bytes kept of each captured output stream, 0 for no limit", 0, G_MAXUINT64, DEFAULT_MAX_OUTPUT, flags);

  /**
   * SandlockSandbox:max-processes:
   *
   * The most processes of the sandbox alive at once, the first one and
   * zombies not yet reaped included; threads do not count. A `fork()`,
   * `vfork()` or `clone()` beyond it fails with `EAGAIN`, and
   * #SandlockResult:limits-reached then has %SANDLOCK_LIMIT_PROCESSES.
   * Processes that left their parent (`setsid()`, daemons) still count:
   * every one of them remains the sandbox's.
   *
   * The library counts them itself (%SANDLOCK_LIMIT_MECHANISM_SUPERVISOR):
   * the kernel's pids controller would count threads too. The default, 64,
   * holds a fork bomb; 0 removes the limit.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_PROCESSES] =
    g_param_spec_uint ("max-processes", NULL, "Most processes of the sandbox alive at once, 0 for no limit", 0, G_MAXINT, DEFAULT_MAX_PROCESSES, flags);

  /**
   * SandlockSandbox:max-memory:
   *
   * The most memory the command may use, in bytes; 0 (the default) for no
   * limit. With a cgroup, this bounds the memory of the whole sandbox
   * (its processes' resident pages, page cache and kernel memory they
   * cause, and swap where the kernel accounts it): at the limit the kernel
   * reclaims, then its OOM killer kills a process of the sandbox, and
   * #SandlockResult:oom-killed is set. Without one, each process gets
   * `RLIMIT_AS` of this size: an allocation beyond it fails with
   * `ENOMEM`, but several processes may each use that much, and the limit
   * counts address space reserved but never touched.
   * sandlock_process_get_limit_mechanism() tells which applied.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_MEMORY] =
    g_param_spec_uint64 ("max-memory", NULL, "Memory limit of the command in bytes, 0 for none", 0, G_MAXUINT64, 0, flags);

  /**
   * SandlockSandbox:max-cpu:
   *
   * The CPU time the whole sandbox may use, in percent of one CPU (150 is
   * one and a half CPUs); 0 (the default) for no limit. The command is
   * throttled to it, never killed: with a cgroup by the kernel (CPU
   * bandwidth: a quota of this share of every 100 ms period); without, by
   * the library, which adds up the CPU time of the sandbox's processes
   * every 20 ms on the main context the process was spawned on, and stops
   * them all (`SIGSTOP`) while they are over their share, a coarser
   * control (%SANDLOCK_LIMIT_MECHANISM_SUPERVISOR).
   * #SandlockResult:limits-reached has %SANDLOCK_LIMIT_CPU once it
   * throttled.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_CPU] =
    g_param_spec_uint ("max-cpu", NULL, "CPU limit in percent of one CPU, 0 for none", 0, 100 * 1024, 0, flags);

  /**
   * SandlockSandbox:cpu-cores:
   *
   * The CPUs the command may run on, as a list such as `"0-3,6"`; %NULL
   * (the default) for those of the application. Its CPU affinity is set
   * before it executes, and sched_setaffinity(2) is refused to it; with a
   * cgroup, a cpuset holds the same CPUs. A list that is not well formed
   * fails the spawn with %SANDLOCK_ERROR_INVALID_POLICY; CPUs the machine
   * does not have fail it with %SANDLOCK_ERROR_SPAWN_FAILED.
   *
   * Since: 1.0
   */
  properties[PROP_CPU_CORES] =
    g_param_spec_string ("cpu-cores", NULL, "CPUs the command may run on, such as 0-3,6", NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SandlockSandbox::handler-error:
   * @self: the #SandlockSandbox
   * @handler: the handler that failed
   * @notification: (nullable): the syscall it failed on; %NULL when a
   *   notification the handler deferred was dropped without an answer (it
   *   no longer exists)
   * @error: what went wrong
   *
   * Emitted, on the thread handlers run on, when a handler fails: its
   * #SandlockHandler:exception-policy then answers the syscall. Connect to
   * it to log failures; it cannot change the answer.
   *
   * A deferred notification that is dropped unanswered (the code meant to
   * call sandlock_notification_respond() failed, or forgot) is answered by
   * the exception policy of the handler that deferred it, and reported here
   * with a %NULL @notification and %SANDLOCK_ERROR_HANDLER_FAILED, from an
   * idle on the context handlers run on.
   *
   * Since: 1.0
   */
  signals[SIGNAL_HANDLER_ERROR] =
    g_signal_new ("handler-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  SANDLOCK_TYPE_HANDLER,
                  SANDLOCK_TYPE_NOTIFICATION,
                  G_TYPE_ERROR);

  /**
   * SandlockSandbox::guard-decision:
   * @self: the #SandlockSandbox
   * @guard: the built-in guard that decided: `"egress"`
   * @syscall: the syscall's name: `"connect"`, `"sendto"`, `"sendmsg"`,
   *   `"sendmmsg"`
   * @pid: the thread that made the call
   * @destination: where it was going, as the supervisor read it:
   *   `"unix:/run/user/1000/bus"`, `"unix:@name"` (abstract),
   *   `"tcp:192.0.2.1:443"`, `"udp:[2001:db8::1]:53"`
   * @errno_value: 0 when the call was allowed (and performed on the
   *   command's behalf; its own result is the command's to see), else the
   *   errno it was refused with
   * @rule: (nullable): what decided: the #SandlockSandbox:unix-connect
   *   entry, `"fs-writable"`, the #SandlockSandbox:net-allow or
   *   #SandlockSandbox:net-deny entry, `"net-connect"`, or %NULL when
   *   nothing allowed the destination
   *
   * Emitted when a built-in guard decided a call on the command's behalf
   * (see docs/policy.md): every connect, and every send with an address,
   * that reaches the supervisor. Emitted on the thread that decided (the
   * thread handlers run on, or the one that answered a deferred
   * notification). Connect to it to log decisions, as sandlock-run's
   * `--audit` does; it cannot change them. When nothing is connected, the
   * decisions cost nothing extra.
   *
   * Since: 1.0
   */
  signals[SIGNAL_GUARD_DECISION] =
    g_signal_new ("guard-decision",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 6,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_UINT,
                  G_TYPE_STRING,
                  G_TYPE_INT,
                  G_TYPE_STRING);
}

static void
sandlock_sandbox_init (SandlockSandbox *self)
{
  sandlock_stdio_fill_closed ();
  self->max_deferred = DEFAULT_MAX_DEFERRED;
  self->max_output = DEFAULT_MAX_OUTPUT;
  self->private_proc = TRUE;
  self->max_processes = DEFAULT_MAX_PROCESSES;
  self->handlers = g_array_new (FALSE, TRUE, sizeof (SandlockHandlerEntry));
  g_array_set_clear_func (self->handlers, clear_handler_entry);
}

/**
 * sandlock_sandbox_new:
 *
 * Creates a sandbox with the strictest policy: nothing readable, no TCP,
 * no handlers. Set its properties before spawning.
 *
 * Returns: (transfer full): a new #SandlockSandbox
 *
 * Since: 1.0
 */
SandlockSandbox *
sandlock_sandbox_new (void)
{
  return g_object_new (SANDLOCK_TYPE_SANDBOX, NULL);
}

/* The policy's SandlockHandlerErrorFunc: processes hold the policy, not
 * the sandbox, which they do not keep alive. */
static void
emit_handler_error (gpointer              user_data,
                    SandlockHandler      *handler,
                    SandlockNotification *notification,
                    const GError         *error)
{
  g_autoptr(SandlockSandbox) self = g_weak_ref_get (user_data);

  if (self != NULL)
    g_signal_emit (self, signals[SIGNAL_HANDLER_ERROR], 0, handler, notification, error);
}

/* The policy's SandlockGuardDecisionWantedFunc and SandlockGuardDecisionFunc. */
static gboolean
guard_decision_wanted (gpointer user_data)
{
  g_autoptr(SandlockSandbox) self = g_weak_ref_get (user_data);

  return self != NULL && g_signal_has_handler_pending (self, signals[SIGNAL_GUARD_DECISION], 0, FALSE);
}

static void
emit_guard_decision (gpointer    user_data,
                     const char *guard,
                     const char *syscall,
                     guint       pid,
                     const char *destination,
                     int         errno_value,
                     const char *rule)
{
  g_autoptr(SandlockSandbox) self = g_weak_ref_get (user_data);

  if (self != NULL)
    g_signal_emit (self, signals[SIGNAL_GUARD_DECISION], 0, guard, syscall, pid,
                   destination, errno_value, rule);
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* ---- properties --------------------------------------------------------- */

static void
set_strv (SandlockSandbox     *self,
          char              ***field,
          const char * const  *value,
          guint                prop_id)
{
  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL &&
      g_strv_equal ((const char * const *) *field, value))
    return;

  g_strfreev (*field);
  /* An empty list and no list mean the same: store NULL for both. */
  *field = value != NULL && value[0] != NULL ? g_strdupv ((char **) value) : NULL;
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint (SandlockSandbox *self,
          guint           *field,
          guint            value,
          guint            prop_id)
{
  if (*field == value)
    return;
  *field = value;
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_boolean (SandlockSandbox *self,
             gboolean        *field,
             gboolean         value,
             guint            prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * sandlock_sandbox_get_fs_readable:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:fs-readable.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1) (element-type filename):
 *   the readable paths
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_fs_readable (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->fs_readable;
}

/**
 * sandlock_sandbox_set_fs_readable:
 * @self: a #SandlockSandbox
 * @paths: (nullable) (array zero-terminated=1) (element-type filename): absolute paths
 *
 * Sets #SandlockSandbox:fs-readable.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_fs_readable (SandlockSandbox    *self,
                                  const char * const *paths)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->fs_readable, paths, PROP_FS_READABLE);
}

/**
 * sandlock_sandbox_get_fs_writable:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:fs-writable.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1) (element-type filename):
 *   the writable paths
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_fs_writable (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->fs_writable;
}

/**
 * sandlock_sandbox_set_fs_writable:
 * @self: a #SandlockSandbox
 * @paths: (nullable) (array zero-terminated=1) (element-type filename): absolute paths
 *
 * Sets #SandlockSandbox:fs-writable.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_fs_writable (SandlockSandbox    *self,
                                  const char * const *paths)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->fs_writable, paths, PROP_FS_WRITABLE);
}

/**
 * sandlock_sandbox_get_fs_denied:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:fs-denied.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1) (element-type filename):
 *   the denied paths
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_fs_denied (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->fs_denied;
}

/**
 * sandlock_sandbox_set_fs_denied:
 * @self: a #SandlockSandbox
 * @paths: (nullable) (array zero-terminated=1) (element-type filename): absolute paths
 *
 * Sets #SandlockSandbox:fs-denied.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_fs_denied (SandlockSandbox    *self,
                                const char * const *paths)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->fs_denied, paths, PROP_FS_DENIED);
}

/**
 * sandlock_sandbox_get_net_bind:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:net-bind.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the ports
 *   the command may bind
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_net_bind (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->net_bind;
}

/**
 * sandlock_sandbox_set_net_bind:
 * @self: a #SandlockSandbox
 * @ports: (nullable) (array zero-terminated=1): ports and port ranges
 *
 * Sets #SandlockSandbox:net-bind.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_net_bind (SandlockSandbox    *self,
                               const char * const *ports)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->net_bind, ports, PROP_NET_BIND);
}

/**
 * sandlock_sandbox_get_net_connect:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:net-connect.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the ports
 *   the command may connect to
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_net_connect (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->net_connect;
}

/**
 * sandlock_sandbox_set_net_connect:
 * @self: a #SandlockSandbox
 * @ports: (nullable) (array zero-terminated=1): ports and port ranges
 *
 * Sets #SandlockSandbox:net-connect.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_net_connect (SandlockSandbox    *self,
                                  const char * const *ports)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->net_connect, ports, PROP_NET_CONNECT);
}

/**
 * sandlock_sandbox_get_net_allow:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:net-allow.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   destinations the command may reach
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_net_allow (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->net_allow;
}

/**
 * sandlock_sandbox_set_net_allow:
 * @self: a #SandlockSandbox
 * @rules: (nullable) (array zero-terminated=1): destination rules
 *
 * Sets #SandlockSandbox:net-allow. Setting it, even to the same list,
 * resolves its hostnames again at the next spawn.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_net_allow (SandlockSandbox    *self,
                                const char * const *rules)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  /* Same list or not: hostnames are resolved again. */
  invalidate_policy (self);
  set_strv (self, &self->net_allow, rules, PROP_NET_ALLOW);
}

/**
 * sandlock_sandbox_get_net_deny:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:net-deny.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   destinations refused even when net-allow grants them
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_net_deny (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->net_deny;
}

/**
 * sandlock_sandbox_set_net_deny:
 * @self: a #SandlockSandbox
 * @rules: (nullable) (array zero-terminated=1): destination rules
 *
 * Sets #SandlockSandbox:net-deny.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_net_deny (SandlockSandbox    *self,
                               const char * const *rules)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  invalidate_policy (self);
  set_strv (self, &self->net_deny, rules, PROP_NET_DENY);
}

/**
 * sandlock_sandbox_get_unix_connect:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:unix-connect.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the unix
 *   socket paths the command may connect to
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_unix_connect (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->unix_connect;
}

/**
 * sandlock_sandbox_set_unix_connect:
 * @self: a #SandlockSandbox
 * @paths: (nullable) (array zero-terminated=1): absolute unix socket paths
 *
 * Sets #SandlockSandbox:unix-connect.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_unix_connect (SandlockSandbox    *self,
                                   const char * const *paths)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  invalidate_policy (self);
  set_strv (self, &self->unix_connect, paths, PROP_UNIX_CONNECT);
}

/**
 * sandlock_sandbox_get_env:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:env.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   `KEY=VALUE` entries
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_env (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->env;
}

/**
 * sandlock_sandbox_set_env:
 * @self: a #SandlockSandbox
 * @env: (nullable) (array zero-terminated=1): `KEY=VALUE` entries
 *
 * Sets #SandlockSandbox:env.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_env (SandlockSandbox    *self,
                          const char * const *env)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->env, env, PROP_ENV);
}

/**
 * sandlock_sandbox_get_clean_env:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:clean-env.
 *
 * Returns: whether the command starts from a nearly empty environment
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_get_clean_env (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), FALSE);
  return self->clean_env;
}

/**
 * sandlock_sandbox_set_clean_env:
 * @self: a #SandlockSandbox
 * @clean_env: whether to start from a nearly empty environment
 *
 * Sets #SandlockSandbox:clean-env.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_clean_env (SandlockSandbox *self,
                                gboolean         clean_env)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_boolean (self, &self->clean_env, clean_env, PROP_CLEAN_ENV);
}

/**
 * sandlock_sandbox_get_cwd:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:cwd.
 *
 * Returns: (nullable) (type filename): the working directory, or %NULL for
 *   the application's
 *
 * Since: 1.0
 */
const char *
sandlock_sandbox_get_cwd (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return self->cwd;
}

/**
 * sandlock_sandbox_set_cwd:
 * @self: a #SandlockSandbox
 * @cwd: (nullable) (type filename): an absolute path, or %NULL
 *
 * Sets #SandlockSandbox:cwd.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_cwd (SandlockSandbox *self,
                          const char      *cwd)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));

  if (g_strcmp0 (self->cwd, cwd) == 0)
    return;
  g_free (self->cwd);
  self->cwd = g_strdup (cwd);
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CWD]);
}

/**
 * sandlock_sandbox_get_timeout:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:timeout.
 *
 * Returns: the timeout in seconds, 0 for none
 *
 * Since: 1.0
 */
guint
sandlock_sandbox_get_timeout (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);
  return self->timeout;
}

/**
 * sandlock_sandbox_set_timeout:
 * @self: a #SandlockSandbox
 * @seconds: the timeout in seconds, 0 for none
 *
 * Sets #SandlockSandbox:timeout.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_timeout (SandlockSandbox *self,
                              guint            seconds)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (seconds <= G_MAXUINT / 1000);
  set_uint (self, &self->timeout, seconds, PROP_TIMEOUT);
}

/**
 * sandlock_sandbox_get_max_open_files:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:max-open-files.
 *
 * Returns: the command's descriptor limit, 0 for the inherited one
 *
 * Since: 1.0
 */
guint
sandlock_sandbox_get_max_open_files (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);
  return self->max_open_files;
}

/**
 * sandlock_sandbox_set_max_open_files:
 * @self: a #SandlockSandbox
 * @max_open_files: the descriptor limit, 0 for the inherited one
 *
 * Sets #SandlockSandbox:max-open-files.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_max_open_files (SandlockSandbox *self,
                                     guint            max_open_files)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (max_open_files <= G_MAXINT);
  set_uint (self, &self->max_open_files, max_open_files, PROP_MAX_OPEN_FILES);
}

/**
 * sandlock_sandbox_get_extra_deny_syscalls:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:extra-deny-syscalls.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the extra
 *   denied syscall names
 *
 * Since: 1.0
 */
const char * const *
sandlock_sandbox_get_extra_deny_syscalls (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  return (const char * const *) self->extra_deny_syscalls;
}

/**
 * sandlock_sandbox_set_extra_deny_syscalls:
 * @self: a #SandlockSandbox
 * @names: (nullable) (array zero-terminated=1): syscall names
 *
 * Sets #SandlockSandbox:extra-deny-syscalls.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_extra_deny_syscalls (SandlockSandbox    *self,
                                          const char * const *names)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_strv (self, &self->extra_deny_syscalls, names, PROP_EXTRA_DENY_SYSCALLS);
}

/**
 * sandlock_sandbox_get_private_proc:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:private-proc.
 *
 * Returns: whether a granted `/proc` shows only the sandbox's processes
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_get_private_proc (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), TRUE);
  return self->private_proc;
}

/**
 * sandlock_sandbox_set_private_proc:
 * @self: a #SandlockSandbox
 * @private_proc: whether a granted `/proc` shows only the sandbox's processes
 *
 * Sets #SandlockSandbox:private-proc.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_private_proc (SandlockSandbox *self,
                                   gboolean         private_proc)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_boolean (self, &self->private_proc, private_proc, PROP_PRIVATE_PROC);
}

/**
 * sandlock_sandbox_get_pty:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:pty.
 *
 * Returns: whether each command gets a private pseudo-terminal
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_get_pty (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), FALSE);
  return self->pty;
}

/**
 * sandlock_sandbox_set_pty:
 * @self: a #SandlockSandbox
 * @pty: whether each command gets a private pseudo-terminal
 *
 * Sets #SandlockSandbox:pty.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_pty (SandlockSandbox *self,
                          gboolean         pty)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_boolean (self, &self->pty, pty, PROP_PTY);
}

/**
 * sandlock_sandbox_get_best_effort:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:best-effort.
 *
 * Returns: whether missing kernel protections are skipped
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_get_best_effort (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), FALSE);
  return self->best_effort;
}

/**
 * sandlock_sandbox_set_best_effort:
 * @self: a #SandlockSandbox
 * @best_effort: whether to skip missing kernel protections
 *
 * Sets #SandlockSandbox:best-effort.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_best_effort (SandlockSandbox *self,
                                  gboolean         best_effort)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  set_boolean (self, &self->best_effort, best_effort, PROP_BEST_EFFORT);
}

/**
 * sandlock_sandbox_get_max_deferred:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:max-deferred.
 *
 * Returns: the bound on deferred notifications per process
 *
 * Since: 1.0
 */
guint
sandlock_sandbox_get_max_deferred (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);
  return self->max_deferred;
}

/**
 * sandlock_sandbox_set_max_deferred:
 * @self: a #SandlockSandbox
 * @max_deferred: the bound on deferred notifications per process
 *
 * Sets #SandlockSandbox:max-deferred.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_max_deferred (SandlockSandbox *self,
                                   guint            max_deferred)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (max_deferred <= G_MAXINT);
  set_uint (self, &self->max_deferred, max_deferred, PROP_MAX_DEFERRED);
}

/**
 * sandlock_sandbox_get_max_output:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:max-output.
 *
 * Returns: the most bytes kept of each captured stream, 0 for no limit
 *
 * Since: 1.0
 */
guint64
sandlock_sandbox_get_max_output (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);
  return self->max_output;
}

/**
 * sandlock_sandbox_set_max_output:
 * @self: a #SandlockSandbox
 * @max_output: the most bytes kept of each captured stream, 0 for no limit
 *
 * Sets #SandlockSandbox:max-output.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_max_output (SandlockSandbox *self,
                                 guint64          max_output)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));

  if (self->max_output == max_output)
    return;
  self->max_output = max_output;
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_OUTPUT]);
}

/**
 * sandlock_sandbox_get_max_processes:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:max-processes.
 *
 * Returns: the most live processes, 0 for no limit
 *
 * Since: 1.0
 */
guint
sandlock_sandbox_get_max_processes (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);

  return self->max_processes;
}

/**
 * sandlock_sandbox_set_max_processes:
 * @self: a #SandlockSandbox
 * @max_processes: the most live processes, 0 for no limit
 *
 * Sets #SandlockSandbox:max-processes.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_max_processes (SandlockSandbox *self,
                                    guint            max_processes)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (max_processes <= G_MAXINT);

  set_uint (self, &self->max_processes, max_processes, PROP_MAX_PROCESSES);
}

/**
 * sandlock_sandbox_get_max_memory:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:max-memory.
 *
 * Returns: the memory limit in bytes, 0 for none
 *
 * Since: 1.0
 */
guint64
sandlock_sandbox_get_max_memory (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);

  return self->max_memory;
}

/**
 * sandlock_sandbox_set_max_memory:
 * @self: a #SandlockSandbox
 * @max_memory: the memory limit in bytes, 0 for none
 *
 * Sets #SandlockSandbox:max-memory.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_max_memory (SandlockSandbox *self,
                                 guint64          max_memory)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));

  if (self->max_memory == max_memory)
    return;
  self->max_memory = max_memory;
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MEMORY]);
}

/**
 * sandlock_sandbox_get_max_cpu:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:max-cpu.
 *
 * Returns: the CPU limit in percent of one CPU, 0 for none
 *
 * Since: 1.0
 */
guint
sandlock_sandbox_get_max_cpu (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), 0);

  return self->max_cpu;
}

/**
 * sandlock_sandbox_set_max_cpu:
 * @self: a #SandlockSandbox
 * @percent: the CPU limit in percent of one CPU (at most 102400), 0 for none
 *
 * Sets #SandlockSandbox:max-cpu.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_max_cpu (SandlockSandbox *self,
                              guint            percent)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (percent <= 100 * 1024);

  set_uint (self, &self->max_cpu, percent, PROP_MAX_CPU);
}

/**
 * sandlock_sandbox_get_cpu_cores:
 * @self: a #SandlockSandbox
 *
 * Gets #SandlockSandbox:cpu-cores.
 *
 * Returns: (nullable): the list of CPUs, or %NULL for any
 *
 * Since: 1.0
 */
const char *
sandlock_sandbox_get_cpu_cores (SandlockSandbox *self)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);

  return self->cpu_cores;
}

/**
 * sandlock_sandbox_set_cpu_cores:
 * @self: a #SandlockSandbox
 * @cpu_cores: (nullable): a list of CPUs such as `"0-3,6"`, or %NULL for any
 *
 * Sets #SandlockSandbox:cpu-cores. The list is checked when the command is
 * spawned.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_set_cpu_cores (SandlockSandbox *self,
                                const char      *cpu_cores)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));

  if (g_strcmp0 (self->cpu_cores, cpu_cores) == 0)
    return;
  g_free (self->cpu_cores);
  self->cpu_cores = g_strdup (cpu_cores);
  invalidate_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CPU_CORES]);
}

/* ---- handlers -------------------------------------------------------------- */

/**
 * sandlock_sandbox_add_handler_nr:
 * @self: a #SandlockSandbox
 * @syscall_nr: a syscall number of the native architecture
 * @handler: the handler
 * @error: return location for a #GError, or %NULL
 *
 * Registers @handler for the syscall numbered @syscall_nr; see
 * sandlock_sandbox_add_handler().
 *
 * Returns: %TRUE on success; %FALSE with %SANDLOCK_ERROR_INVALID_SYSCALL
 *   for a negative or unknown number, %SANDLOCK_ERROR_INVALID_POLICY when
 *   #SandlockSandbox:extra-deny-syscalls names an unknown syscall, or
 *   %SANDLOCK_ERROR_DENIED_SYSCALL
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_add_handler_nr (SandlockSandbox  *self,
                                 int               syscall_nr,
                                 SandlockHandler  *handler,
                                 GError          **error)
{
  g_autoptr(GArray) extra_deny = NULL;
  g_autofree char *name = NULL;
  SandlockHandlerEntry entry;

  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (SANDLOCK_IS_HANDLER (handler), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (syscall_nr < 0)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL,
                   _("Invalid syscall number %d: syscall numbers are not negative"), syscall_nr);
      return FALSE;
    }

  name = sandlock_kernel_syscall_name (syscall_nr);
  if (name == NULL)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_SYSCALL,
                   _("Unknown syscall number %d on this architecture"), syscall_nr);
      return FALSE;
    }

  /* As the spawn would: an unknown name there is a policy error. */
  extra_deny = sandlock_resolve_extra_deny ((const char * const *) self->extra_deny_syscalls,
                                            error);
  if (extra_deny == NULL ||
      !sandlock_check_trappable (syscall_nr, extra_deny, error))
    return FALSE;

  entry.syscall_nr = syscall_nr;
  entry.handler = g_object_ref (handler);
  g_array_append_val (self->handlers, entry);
  invalidate_policy (self);
  return TRUE;
}

/**
 * sandlock_sandbox_add_handler:
 * @self: a #SandlockSandbox
 * @syscall_name: a syscall name of the native architecture, such as
 *   `"openat"`
 * @handler: the handler
 * @error: return location for a #GError, or %NULL
 *
 * Registers @handler for a syscall. Every process spawned afterwards traps
 * the syscall and asks its handlers, in registration order: the first
 * answer that is not "continue" wins, and when all continue the kernel runs
 * the syscall.
 *
 * Syscalls the filter always denies (the deny list,
 * #SandlockSandbox:extra-deny-syscalls, `clone3`, `futex_requeue`) cannot take a handler: a
 * "continue" would bypass the denial. Neither can `exit` and `exit_group`.
 * #SandlockSandbox:extra-deny-syscalls is read as the spawn reads it: a
 * name this architecture does not know fails the registration with
 * %SANDLOCK_ERROR_INVALID_POLICY, as it would fail the spawn.
 *
 * Returns: %TRUE on success; %FALSE with %SANDLOCK_ERROR_INVALID_SYSCALL
 *   for an unknown name, %SANDLOCK_ERROR_INVALID_POLICY for an unknown
 *   name in #SandlockSandbox:extra-deny-syscalls, or
 *   %SANDLOCK_ERROR_DENIED_SYSCALL
 *
 * Since: 1.0
 */
gboolean
sandlock_sandbox_add_handler (SandlockSandbox  *self,
                              const char       *syscall_name,
                              SandlockHandler  *handler,
                              GError          **error)
{
  int nr;

  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (syscall_name != NULL, FALSE);
  g_return_val_if_fail (SANDLOCK_IS_HANDLER (handler), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  nr = sandlock_parse_syscall_name (syscall_name, error);
  if (nr < 0)
    return FALSE;

  return sandlock_sandbox_add_handler_nr (self, nr, handler, error);
}

/* ---- spawning ------------------------------------------------------------------ */

static SandlockPolicy *
get_policy (SandlockSandbox  *self,
            GError          **error)
{
  SandlockPolicySpec spec = {
    .fs_readable = (const char * const *) self->fs_readable,
    .fs_writable = (const char * const *) self->fs_writable,
    .fs_denied = (const char * const *) self->fs_denied,
    .net_bind = (const char * const *) self->net_bind,
    .net_connect = (const char * const *) self->net_connect,
    .net_allow = (const char * const *) self->net_allow,
    .net_deny = (const char * const *) self->net_deny,
    .unix_connect = (const char * const *) self->unix_connect,
    .env = (const char * const *) self->env,
    .clean_env = self->clean_env,
    .cwd = self->cwd,
    .timeout_seconds = self->timeout,
    .max_open_files = self->max_open_files,
    .extra_deny_syscalls = (const char * const *) self->extra_deny_syscalls,
    .best_effort = self->best_effort,
    .private_proc = self->private_proc,
    .pty = self->pty,
    .max_deferred = self->max_deferred,
    .max_output = self->max_output,
    .max_processes = self->max_processes,
    .max_memory = self->max_memory,
    .max_cpu = self->max_cpu,
    .cpu_cores = self->cpu_cores,
    .handlers = self->handlers,
  };

  /* Compiled once, until a property or the handlers change. The inherited
   * environment is read at each spawn, not here. */
  if (self->policy == NULL)
    {
      GWeakRef *weak = g_new0 (GWeakRef, 1);

      g_weak_ref_init (weak, self);
      spec.handler_error_func = emit_handler_error;
      spec.handler_error_data = weak;
      spec.handler_error_destroy = free_weak_ref;
      spec.guard_decision_wanted = guard_decision_wanted;
      spec.guard_decision_func = emit_guard_decision;
      self->policy = sandlock_policy_compile (&spec, error);
    }

  return self->policy != NULL ? sandlock_policy_ref (self->policy) : NULL;
}

static gboolean
check_flags (GSubprocessFlags   flags,
             GError           **error)
{
  const GSubprocessFlags stdin_flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDIN_INHERIT;
  const GSubprocessFlags stdout_flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE;
  const GSubprocessFlags stderr_flags = G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE;

  if (flags & G_SUBPROCESS_FLAGS_INHERIT_FDS)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("G_SUBPROCESS_FLAGS_INHERIT_FDS is not supported: a sandboxed "
                     "command gets only its standard input, output and error"));
      return FALSE;
    }

  if (__builtin_popcount (flags & stdin_flags) > 1 ||
      __builtin_popcount (flags & stdout_flags) > 1 ||
      __builtin_popcount (flags & stderr_flags) > 1)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("Conflicting GSubprocessFlags: at most one choice per stream"));
      return FALSE;
    }

  return TRUE;
}

/**
 * sandlock_sandbox_spawn:
 * @self: a #SandlockSandbox
 * @argv: (array zero-terminated=1) (element-type filename): the command and
 *   its arguments; the command is looked up in the command's `PATH` when it
 *   has no `/`
 * @flags: what to do with the standard streams, as for #GSubprocess;
 *   %G_SUBPROCESS_FLAGS_INHERIT_FDS is refused
 * @error: return location for a #GError, or %NULL
 *
 * Starts @argv confined by the sandbox's policy and handlers. The call
 * returns once the child is confined and its notifications are watched
 * from the thread-default main context, before it execs: handlers then run
 * on that context, which must keep running until the process exits.
 *
 * The child gets no descriptor but its standard streams, runs in its own
 * process group, and dies with the application. Its group is a background
 * one: with %G_SUBPROCESS_FLAGS_STDIN_INHERIT and a terminal as standard
 * input, reading the terminal stops the command (`SIGTTIN`) unless the
 * application makes the group the terminal's foreground one with
 * tcsetpgrp() (its id is the process's pid), as `sandlock-run` does.
 *
 * A missing program fails here; an exec failure seen only by the child
 * (Landlock denying execution) is reported by the waiting calls of
 * #SandlockProcess.
 *
 * While it runs, the process holds 2 of the application's descriptors
 * (its seccomp listener and its helper's control socket), plus one for
 * each pipe. A spawn that would leave fewer than max(32, 1/16 of the soft
 * `RLIMIT_NOFILE`) descriptors free for the application fails with
 * %SANDLOCK_ERROR_TOO_MANY_FILES, with nothing started.
 *
 * Returns: (transfer full): the new process, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockPolicy *
sandlock_sandbox_prepare_spawn (SandlockSandbox     *self,
                                const char * const  *argv,
                                GSubprocessFlags     flags,
                                GError             **error)
{
  sandlock_stdio_fill_closed ();
  if (argv == NULL || argv[0] == NULL)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Cannot spawn an empty command line"));
      return NULL;
    }

  if (!check_flags (flags, error))
    return NULL;

  return get_policy (self, error);
}

SandlockProcess *
sandlock_sandbox_spawn (SandlockSandbox     *self,
                        const char * const  *argv,
                        GSubprocessFlags     flags,
                        GError             **error)
{
  g_autoptr(SandlockPolicy) policy = NULL;

  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  policy = sandlock_sandbox_prepare_spawn (self, argv, flags, error);
  if (policy == NULL)
    return NULL;

  return sandlock_process_new (policy, argv, flags, NULL, error);
}

/**
 * sandlock_sandbox_spawn_async:
 * @self: a #SandlockSandbox
 * @argv: (array zero-terminated=1) (element-type filename): the command and
 *   its arguments, as for sandlock_sandbox_spawn()
 * @flags: what to do with the standard streams, as for
 *   sandlock_sandbox_spawn()
 * @cancellable: (nullable): a #GCancellable; cancelling while the command
 *   starts kills it
 * @callback: (scope async): called when the command has started, on the
 *   thread-default main context of this call
 * @user_data: data for @callback
 *
 * Starts @argv as sandlock_sandbox_spawn() does, without blocking the
 * caller's main loop: the handshake with the confined child (a few
 * milliseconds) runs in a worker thread. The process is watched from the
 * thread-default main context of this call, as with
 * sandlock_sandbox_spawn(): its handlers run there. A bad policy or empty
 * @argv is reported through @callback too.
 *
 * Since: 1.0
 */
void
sandlock_sandbox_spawn_async (SandlockSandbox     *self,
                              const char * const  *argv,
                              GSubprocessFlags     flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(SandlockPolicy) policy = NULL;
  GError *error = NULL;

  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  policy = sandlock_sandbox_prepare_spawn (self, argv, flags, &error);
  if (policy == NULL)
    {
      g_task_report_error (self, callback, user_data, sandlock_sandbox_spawn_async, error);
      return;
    }
  sandlock_process_launch_async (policy, argv, flags, NULL, self, sandlock_sandbox_spawn_async,
                                 cancellable, callback, user_data);
}

/**
 * sandlock_sandbox_spawn_finish:
 * @self: a #SandlockSandbox
 * @result: the #GAsyncResult
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_sandbox_spawn_async().
 *
 * Returns: (transfer full): the new process, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockProcess *
sandlock_sandbox_spawn_finish (SandlockSandbox  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_sandbox_spawn_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return sandlock_process_launch_finish (result, error);
}

typedef struct {
  SandlockProcess *process;
  GCancellable    *cancellable;
  GBytes          *stdin_buf;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_clear_object (&run->process);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->stdin_buf, g_bytes_unref);
  g_free (run);
}

static void
on_run_communicated (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SandlockProcess *process = SANDLOCK_PROCESS (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) stdout_buf = NULL;
  g_autoptr(GBytes) stderr_buf = NULL;
  SandlockLimitMechanism mechanisms[4];
  SandlockResult *run_result;
  GError *error = NULL;

  if (!sandlock_process_communicate_finish_kept (process, result, &stdout_buf, &stderr_buf, &error))
    {
      /* Cancelled or failed: nothing of the sandbox may outlive the run. */
      sandlock_process_force_exit (process);
      g_task_return_error (task, error);
      return;
    }

  run_result = sandlock_result_new (sandlock_process_get_status (process),
                                sandlock_process_get_timed_out (process),
                                sandlock_process_get_output_limit_exceeded (process),
                                stdout_buf, stderr_buf,
                                sandlock_process_get_protections (process));
  for (guint bit = 0; bit < G_N_ELEMENTS (mechanisms); bit++)
    mechanisms[bit] = sandlock_process_get_limit_mechanism (process, (SandlockLimits) (1u << bit));
  sandlock_result_set_limits (run_result, sandlock_process_get_limits_reached (process),
                              sandlock_process_get_oom_killed (process), mechanisms);
  sandlock_result_set_kill_mechanism (run_result, sandlock_process_get_kill_mechanism (process));
  g_task_return_pointer (task, run_result, g_object_unref);
}

/**
 * sandlock_sandbox_run_async:
 * @self: a #SandlockSandbox
 * @argv: (array zero-terminated=1) (element-type filename): the command and
 *   its arguments
 * @stdin_buf: (nullable): the command's standard input; %NULL for
 *   `/dev/null`
 * @cancellable: (nullable): a #GCancellable; cancelling kills the sandbox
 * @callback: (scope async): called when the command has finished
 * @user_data: data for @callback
 *
 * Runs @argv in the sandbox, capturing its standard output and error.
 * Handlers run on the thread-default main context, which also receives
 * @callback. The command is started without blocking that context (see
 * sandlock_sandbox_spawn_async()). When the run fails or is cancelled the sandbox is killed; keep
 * the context running a little longer, until its processes are reaped.
 *
 * Since: 1.0
 */
static void
on_run_launched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->process = sandlock_process_launch_finish (result, &error);
  if (run->process == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sandlock_process_communicate_async (run->process, run->stdin_buf, run->cancellable,
                                      on_run_communicated, g_steal_pointer (&task));
}

/* run_async(), launching in a worker thread (@launch_inline: on this
 * thread, for run(), which blocks anyway). */
static void
run_async_internal (SandlockSandbox     *self,
                    const char * const  *argv,
                    GBytes              *stdin_buf,
                    gboolean             launch_inline,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autoptr(SandlockPolicy) policy = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  RunData *run;

  /* Before GLib opens anything (GTask's worker context, for one). */
  sandlock_stdio_fill_closed ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sandlock_sandbox_run_async);

  /* With a private terminal, nobody would write to it here: standard
   * input ends at once, as /dev/null would. */
  if (stdin_buf != NULL || self->pty)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;

  run = g_new0 (RunData, 1);
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  run->stdin_buf = stdin_buf != NULL ? g_bytes_ref (stdin_buf) : NULL;
  g_task_set_task_data (task, run, run_data_free);

  policy = sandlock_sandbox_prepare_spawn (self, argv, flags, &error);
  if (policy == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!launch_inline)
    {
      sandlock_process_launch_async (policy, argv, flags, NULL, NULL, NULL, cancellable,
                                     on_run_launched, g_steal_pointer (&task));
      return;
    }

  run->process = sandlock_process_new (policy, argv, flags, NULL, &error);
  if (run->process == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sandlock_process_communicate_async (run->process, stdin_buf, cancellable,
                                      on_run_communicated, g_steal_pointer (&task));
}

void
sandlock_sandbox_run_async (SandlockSandbox     *self,
                            const char * const  *argv,
                            GBytes              *stdin_buf,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (SANDLOCK_IS_SANDBOX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_async_internal (self, argv, stdin_buf, FALSE, cancellable, callback, user_data);
}

/**
 * sandlock_sandbox_run_finish:
 * @self: a #SandlockSandbox
 * @result: the #GAsyncResult
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_sandbox_run_async(). A timeout is not an error: see
 * #SandlockResult:timed-out; nor is output beyond
 * #SandlockSandbox:max-output: see #SandlockResult:output-limit-exceeded.
 *
 * Returns: (transfer full): the result, or %NULL with @error set when the
 *   command could not be started or executed, or the run was cancelled
 *
 * Since: 1.0
 */
SandlockResult *
sandlock_sandbox_run_finish (SandlockSandbox  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_sandbox_run_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* How long run() waits for a killed sandbox to wind down. */
#define RUN_WIND_DOWN_SECONDS 10

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The process's sources live on run()'s private context, and nobody
 * iterates it once run() returns: let the process wind down first (killed
 * if the run failed or was cancelled), or its supervisor, descriptors and
 * helper would be left behind. Bounded, for a task the kernel cannot kill
 * at once (one in uninterruptible I/O). */
static void
wind_down_run (GMainContext *context,
               GAsyncResult *result,
               const char   *argv0)
{
  RunData *run = g_task_get_task_data (G_TASK (result));
  gboolean expired = FALSE;
  GSource *timer;

  if (run->process == NULL || sandlock_process_is_detached (run->process))
    return;

  sandlock_process_force_exit (run->process);
  timer = g_timeout_source_new_seconds (RUN_WIND_DOWN_SECONDS);
  g_source_set_callback (timer, set_flag, &expired, NULL);
  g_source_attach (timer, context);
  while (!sandlock_process_is_detached (run->process) && !expired)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);

  if (expired)
    g_warning ("The sandbox of '%s' did not exit within %d s of being killed; "
               "its supervisor is left behind",
               argv0, RUN_WIND_DOWN_SECONDS);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * sandlock_sandbox_run:
 * @self: a #SandlockSandbox
 * @argv: (array zero-terminated=1) (element-type filename): the command and
 *   its arguments
 * @stdin_buf: (nullable): the command's standard input; %NULL for
 *   `/dev/null`
 * @cancellable: (nullable): a #GCancellable; cancelling kills the sandbox
 * @error: return location for a #GError, or %NULL
 *
 * Runs @argv in the sandbox and waits for it. The call runs a private main
 * context and never iterates the caller's: handlers run on the calling
 * thread, inside this call.
 *
 * When the run fails or is cancelled, the sandbox is killed and the call
 * returns once its processes are gone, leaving nothing behind.
 *
 * What the command writes to stdout and stderr is kept in memory, up to
 * #SandlockSandbox:max-output bytes per stream: a command that writes
 * more is killed, and its result has #SandlockResult:output-limit-exceeded
 * set and the output truncated to the limit. To process larger output,
 * spawn the command with sandlock_sandbox_spawn() and read its pipes
 * yourself.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockResult *
sandlock_sandbox_run (SandlockSandbox     *self,
                      const char * const  *argv,
                      GBytes              *stdin_buf,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Before the private context opens its eventfd. */
  sandlock_stdio_fill_closed ();

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  run_async_internal (self, argv, stdin_buf, TRUE, cancellable, on_run_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  wind_down_run (context, result, argv != NULL ? argv[0] : NULL);
  g_main_context_pop_thread_default (context);

  return sandlock_sandbox_run_finish (self, result, error);
}
