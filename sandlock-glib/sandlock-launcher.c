/* sandlock-launcher.c: spawning with descriptors, streams, environment and
 * working directory of one's choosing
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:sandlock-launcher
 * @title: SandlockLauncher
 * @short_description: spawn with passed descriptors, like GSubprocessLauncher
 *
 * A #SandlockLauncher spawns commands in a #SandlockSandbox with what
 * #GSubprocessLauncher lets a caller choose for one spawn: descriptors
 * passed at numbers of the caller's choosing (a thumbnailer's input and
 * output, a document portal's file), standard streams from descriptors or
 * files, variables set or removed, a working directory. The sandbox's
 * policy and handlers apply unchanged, and one sandbox can serve many
 * launchers.
 *
 * |[<!-- language="C" -->
 * g_autoptr(SandlockLauncher) launcher =
 *   sandlock_launcher_new (sandbox, G_SUBPROCESS_FLAGS_NONE);
 *
 * sandlock_launcher_take_fd (launcher, input_fd, 3);
 * sandlock_launcher_take_stdout_fd (launcher, output_fd);
 * sandlock_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
 * process = sandlock_launcher_spawnv (launcher, argv, &error);
 * ]|
 *
 * What a passed descriptor gives the command is what the descriptor
 * already allows, and nothing through Landlock: a file opened for reading
 * can be read (and its metadata seen with fstat()), whatever the policy
 * says of its path; a socket can be used. A directory descriptor can be
 * listed (getdents) and stat-ed, and serves as the starting point of
 * openat() and the other *at() calls, but every path reached through it is
 * checked by Landlock like any other: a directory outside
 * #SandlockSandbox:fs-readable lets the command see the names in it, not
 * open them. The command gets the passed descriptors and its three
 * standard streams, nothing else.
 *
 * The launcher owns the descriptors given to it ("take"): they are closed
 * when it is finalized or sandlock_launcher_close() is called, and can
 * serve several spawns until then. Files named for the standard streams
 * are opened by the application at each spawn, with its own rights:
 * `O_RDONLY` for standard input, created or truncated (mode 0666 less the
 * umask) for output and error; the command gets the open file, not the
 * right to open its path.
 *
 * Code ported from #GSubprocessLauncher keeps its structure; its error
 * handling needs one change: a command that cannot be executed is a
 * %SANDLOCK_ERROR_SPAWN_FAILED error, whose message names the errno, where
 * GSubprocess gives a `G_SPAWN_ERROR` code: `ENOENT` for
 * `G_SPAWN_ERROR_NOENT` (reported by the spawn), `EACCES` for
 * `G_SPAWN_ERROR_ACCES` (a program Landlock does not let the command
 * execute is reported by the waiting calls, since only the child sees it),
 * `ENOEXEC` for `G_SPAWN_ERROR_NOEXEC`, and so on. Files for the standard
 * streams that cannot be opened are `G_IO_ERROR` errors, as in GSubprocess.
 *
 * Since: 1.0
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sandlock-error.h"
#include "sandlock-fd-private.h"
#include "sandlock-launch-child-private.h"
#include "sandlock-launch-private.h"
#include "sandlock-launcher.h"
#include "sandlock-process-private.h"
#include "sandlock-sandbox-private.h"
#include "sandlock-i18n-private.h"

typedef struct {
  int source;
  int target;
} PassedFd;

typedef struct {
  char     *key;
  char     *value;       /* NULL: removed */
  gboolean  overwrite;
} EnvChange;

struct _SandlockLauncher
{
  GObject           parent_instance;

  SandlockSandbox  *sandbox;
  GSubprocessFlags  flags;
  GArray           *env;            /* EnvChange, in order */
  char             *cwd;
  GArray           *passed;         /* PassedFd */
  int               stdio_fds[3];
  char             *stdio_paths[3];
  gboolean          closed;
};

enum {
  PROP_0,
  PROP_SANDBOX,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * SandlockLauncher:
 *
 * A builder of spawns in one sandbox: descriptors, streams, environment
 * and working directory for each command it starts. Its fields are
 * private.
 *
 * Since: 1.0
 */

G_DEFINE_FINAL_TYPE (SandlockLauncher, sandlock_launcher, G_TYPE_OBJECT)

static const char * const stream_names[3] = { "standard input", "standard output", "standard error" };

static void
clear_env_change (gpointer data)
{
  EnvChange *change = data;

  g_free (change->key);
  g_free (change->value);
}

static void
close_everything (SandlockLauncher *self)
{
  for (guint i = 0; i < self->passed->len; i++)
    close (g_array_index (self->passed, PassedFd, i).source);
  g_array_set_size (self->passed, 0);
  for (int i = 0; i < 3; i++)
    sandlock_clear_fd (&self->stdio_fds[i]);
}

static void
sandlock_launcher_finalize (GObject *object)
{
  SandlockLauncher *self = SANDLOCK_LAUNCHER (object);

  close_everything (self);
  g_array_unref (self->passed);
  g_array_unref (self->env);
  g_free (self->cwd);
  for (int i = 0; i < 3; i++)
    g_free (self->stdio_paths[i]);
  g_clear_object (&self->sandbox);

  G_OBJECT_CLASS (sandlock_launcher_parent_class)->finalize (object);
}

static void
sandlock_launcher_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SandlockLauncher *self = SANDLOCK_LAUNCHER (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      g_value_set_object (value, self->sandbox);
      break;
    case PROP_FLAGS:
      g_value_set_flags (value, self->flags);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_launcher_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SandlockLauncher *self = SANDLOCK_LAUNCHER (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      self->sandbox = g_value_dup_object (value);
      break;
    case PROP_FLAGS:
      sandlock_launcher_set_flags (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_launcher_class_init (SandlockLauncherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sandlock_launcher_finalize;
  object_class->get_property = sandlock_launcher_get_property;
  object_class->set_property = sandlock_launcher_set_property;

  /**
   * SandlockLauncher:sandbox:
   *
   * The sandbox whose policy and handlers confine what the launcher
   * spawns.
   *
   * Since: 1.0
   */
  properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, "The sandbox that confines what is spawned",
                         SANDLOCK_TYPE_SANDBOX,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SandlockLauncher:flags:
   *
   * What to do with the standard streams that no descriptor or file was
   * given for, as for sandlock_sandbox_spawn().
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] =
    g_param_spec_flags ("flags", NULL, "What to do with the standard streams",
                        G_TYPE_SUBPROCESS_FLAGS, G_SUBPROCESS_FLAGS_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sandlock_launcher_init (SandlockLauncher *self)
{
  self->env = g_array_new (FALSE, TRUE, sizeof (EnvChange));
  g_array_set_clear_func (self->env, clear_env_change);
  self->passed = g_array_new (FALSE, FALSE, sizeof (PassedFd));
  self->stdio_fds[0] = self->stdio_fds[1] = self->stdio_fds[2] = -1;
}

/**
 * sandlock_launcher_new:
 * @sandbox: the sandbox that confines what the launcher spawns
 * @flags: what to do with the standard streams that no descriptor or file
 *   is given for
 *
 * Creates a launcher for @sandbox.
 *
 * Returns: (transfer full): a new #SandlockLauncher
 *
 * Since: 1.0
 */
SandlockLauncher *
sandlock_launcher_new (SandlockSandbox  *sandbox,
                       GSubprocessFlags  flags)
{
  g_return_val_if_fail (SANDLOCK_IS_SANDBOX (sandbox), NULL);

  return g_object_new (SANDLOCK_TYPE_LAUNCHER, "sandbox", sandbox, "flags", flags, NULL);
}

/**
 * sandlock_launcher_get_sandbox:
 * @self: a #SandlockLauncher
 *
 * Gets #SandlockLauncher:sandbox, whose policy and handlers confine what
 * the launcher spawns.
 *
 * Returns: (transfer none): the launcher's sandbox
 *
 * Since: 1.0
 */
SandlockSandbox *
sandlock_launcher_get_sandbox (SandlockLauncher *self)
{
  g_return_val_if_fail (SANDLOCK_IS_LAUNCHER (self), NULL);
  return self->sandbox;
}

/**
 * sandlock_launcher_get_flags:
 * @self: a #SandlockLauncher
 *
 * Gets #SandlockLauncher:flags.
 *
 * Returns: the launcher's #GSubprocessFlags
 *
 * Since: 1.0
 */
GSubprocessFlags
sandlock_launcher_get_flags (SandlockLauncher *self)
{
  g_return_val_if_fail (SANDLOCK_IS_LAUNCHER (self), G_SUBPROCESS_FLAGS_NONE);
  return self->flags;
}

/**
 * sandlock_launcher_set_flags:
 * @self: a #SandlockLauncher
 * @flags: what to do with the standard streams that no descriptor or file
 *   is given for
 *
 * Sets #SandlockLauncher:flags. A stream given both a flag and a
 * descriptor or file makes the spawn fail.
 *
 * Since: 1.0
 */
void
sandlock_launcher_set_flags (SandlockLauncher *self,
                             GSubprocessFlags  flags)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));

  if (self->flags == flags)
    return;
  self->flags = flags;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
}

static gboolean
valid_variable (const char *variable)
{
  return variable != NULL && *variable != '\0' && strchr (variable, '=') == NULL;
}

static void
change_env (SandlockLauncher *self,
            const char       *variable,
            const char       *value,
            gboolean          overwrite)
{
  EnvChange change = { g_strdup (variable), g_strdup (value), overwrite };

  g_array_append_val (self->env, change);
}

/**
 * sandlock_launcher_setenv:
 * @self: a #SandlockLauncher
 * @variable: (type filename): the variable's name, without `=`
 * @value: (type filename): its value
 * @overwrite: whether to replace a value the command would get otherwise
 *   (from the application, #SandlockSandbox:env or an earlier call)
 *
 * Sets @variable in the environment of the commands the launcher spawns,
 * over the one the sandbox gives them (see #SandlockSandbox:env and
 * #SandlockSandbox:clean-env).
 *
 * Since: 1.0
 */
void
sandlock_launcher_setenv (SandlockLauncher *self,
                          const char       *variable,
                          const char       *value,
                          gboolean          overwrite)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  g_return_if_fail (valid_variable (variable));
  g_return_if_fail (value != NULL);

  change_env (self, variable, value, overwrite);
}

/**
 * sandlock_launcher_unsetenv:
 * @self: a #SandlockLauncher
 * @variable: (type filename): the variable's name, without `=`
 *
 * Removes @variable from the environment of the commands the launcher
 * spawns, whatever gave it to them.
 *
 * Since: 1.0
 */
void
sandlock_launcher_unsetenv (SandlockLauncher *self,
                            const char       *variable)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  g_return_if_fail (valid_variable (variable));

  change_env (self, variable, NULL, TRUE);
}

/**
 * sandlock_launcher_set_cwd:
 * @self: a #SandlockLauncher
 * @cwd: (type filename) (nullable): an absolute path, or %NULL for the
 *   sandbox's #SandlockSandbox:cwd
 *
 * Sets the working directory of the commands the launcher spawns. A
 * relative path makes the spawn fail.
 *
 * Since: 1.0
 */
void
sandlock_launcher_set_cwd (SandlockLauncher *self,
                           const char       *cwd)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));

  g_free (self->cwd);
  self->cwd = g_strdup (cwd);
}

/**
 * sandlock_launcher_take_fd:
 * @self: a #SandlockLauncher
 * @source_fd: a descriptor of the application, which the launcher takes
 * @target_fd: its number in the command, 3 or more
 *
 * Passes @source_fd to the commands the launcher spawns, as their
 * descriptor @target_fd (not close-on-exec). The launcher owns @source_fd
 * from now on. A second descriptor for the same @target_fd replaces the
 * first, which is closed. See the section's description for what a passed
 * descriptor allows. At most 64 descriptors can be passed.
 *
 * Since: 1.0
 */
void
sandlock_launcher_take_fd (SandlockLauncher *self,
                           int               source_fd,
                           int               target_fd)
{
  PassedFd passed = { source_fd, target_fd };

  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  g_return_if_fail (source_fd >= 0);
  g_return_if_fail (target_fd > 2);

  for (guint i = 0; i < self->passed->len; i++)
    {
      PassedFd *old = &g_array_index (self->passed, PassedFd, i);

      if (old->target == target_fd)
        {
          if (old->source != source_fd)
            close (old->source);
          old->source = source_fd;
          return;
        }
    }
  g_array_append_val (self->passed, passed);
}

static void
take_stdio_fd (SandlockLauncher *self,
               int               stream,
               int               fd)
{
  if (self->stdio_fds[stream] != fd)
    sandlock_clear_fd (&self->stdio_fds[stream]);
  self->stdio_fds[stream] = fd;
}

/**
 * sandlock_launcher_take_stdin_fd:
 * @self: a #SandlockLauncher
 * @fd: a descriptor, which the launcher takes, or -1 for none
 *
 * Gives the commands @fd as standard input. The flags must then say
 * nothing of standard input.
 *
 * Since: 1.0
 */
void
sandlock_launcher_take_stdin_fd (SandlockLauncher *self,
                                 int               fd)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  take_stdio_fd (self, 0, fd);
}

/**
 * sandlock_launcher_take_stdout_fd:
 * @self: a #SandlockLauncher
 * @fd: a descriptor, which the launcher takes, or -1 for none
 *
 * Gives the commands @fd as standard output. The flags must then say
 * nothing of standard output (%G_SUBPROCESS_FLAGS_STDERR_MERGE sends
 * standard error there too).
 *
 * Since: 1.0
 */
void
sandlock_launcher_take_stdout_fd (SandlockLauncher *self,
                                  int               fd)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  take_stdio_fd (self, 1, fd);
}

/**
 * sandlock_launcher_take_stderr_fd:
 * @self: a #SandlockLauncher
 * @fd: a descriptor, which the launcher takes, or -1 for none
 *
 * Gives the commands @fd as standard error. The flags must then say
 * nothing of standard error.
 *
 * Since: 1.0
 */
void
sandlock_launcher_take_stderr_fd (SandlockLauncher *self,
                                  int               fd)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  take_stdio_fd (self, 2, fd);
}

static void
set_stdio_path (SandlockLauncher *self,
                int               stream,
                const char       *path)
{
  g_free (self->stdio_paths[stream]);
  self->stdio_paths[stream] = g_strdup (path);
}

/**
 * sandlock_launcher_set_stdin_file_path:
 * @self: a #SandlockLauncher
 * @path: (type filename) (nullable): a file, or %NULL for none
 *
 * Gives the commands the file at @path, opened for reading at each spawn,
 * as standard input. The flags must then say nothing of standard input.
 *
 * Since: 1.0
 */
void
sandlock_launcher_set_stdin_file_path (SandlockLauncher *self,
                                       const char       *path)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  set_stdio_path (self, 0, path);
}

/**
 * sandlock_launcher_set_stdout_file_path:
 * @self: a #SandlockLauncher
 * @path: (type filename) (nullable): a file, or %NULL for none
 *
 * Gives the commands the file at @path, created or truncated at each
 * spawn, as standard output. The flags must then say nothing of standard
 * output.
 *
 * Since: 1.0
 */
void
sandlock_launcher_set_stdout_file_path (SandlockLauncher *self,
                                        const char       *path)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  set_stdio_path (self, 1, path);
}

/**
 * sandlock_launcher_set_stderr_file_path:
 * @self: a #SandlockLauncher
 * @path: (type filename) (nullable): a file, or %NULL for none
 *
 * Gives the commands the file at @path, created or truncated at each
 * spawn, as standard error. The flags must then say nothing of standard
 * error.
 *
 * Since: 1.0
 */
void
sandlock_launcher_set_stderr_file_path (SandlockLauncher *self,
                                        const char       *path)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  set_stdio_path (self, 2, path);
}

/**
 * sandlock_launcher_close:
 * @self: a #SandlockLauncher
 *
 * Closes every descriptor given to the launcher. It cannot spawn
 * afterwards. Finalizing the launcher does the same.
 *
 * Since: 1.0
 */
void
sandlock_launcher_close (SandlockLauncher *self)
{
  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));

  close_everything (self);
  self->closed = TRUE;
}

/* ---- spawning ------------------------------------------------------------ */

/* The options of one spawn, and what it opened for them. */
typedef struct {
  SandlockLaunchOptions  options;
  GStrv                  env;
  int                    opened[3];
  int                   *sources;
  int                   *targets;
} Prepared;

static void
prepared_clear (Prepared *prepared)
{
  for (int i = 0; i < 3; i++)
    sandlock_clear_fd (&prepared->opened[i]);
  g_clear_pointer (&prepared->env, g_strfreev);
  g_clear_pointer (&prepared->sources, g_free);
  g_clear_pointer (&prepared->targets, g_free);
}

static gboolean
stream_taken_by_flags (GSubprocessFlags flags,
                       int              stream)
{
  switch (stream)
    {
    case 0:
      return (flags & (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDIN_INHERIT)) != 0;
    case 1:
      return (flags & (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE)) != 0;
    default:
      return (flags & (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                       G_SUBPROCESS_FLAGS_STDERR_MERGE)) != 0;
    }
}

/* The environment changes, resolved against what the command would get
 * from @policy: entries for sandlock_environ_apply(). */
static GStrv
resolve_env (SandlockLauncher     *self,
             const SandlockPolicy *policy)
{
  g_auto(GStrv) envp = sandlock_policy_build_envp (policy);
  g_autoptr(GStrvBuilder) entries = g_strv_builder_new ();

  for (guint i = 0; i < self->env->len; i++)
    {
      EnvChange *change = &g_array_index (self->env, EnvChange, i);

      if (!change->overwrite && g_environ_getenv (envp, change->key) != NULL)
        continue;
      if (change->value != NULL)
        {
          g_autofree char *entry = g_strconcat (change->key, "=", change->value, NULL);

          g_strv_builder_add (entries, entry);
          envp = g_environ_setenv (envp, change->key, change->value, TRUE);
        }
      else
        {
          g_strv_builder_add (entries, change->key);
          envp = g_environ_unsetenv (envp, change->key);
        }
    }
  return g_strv_builder_end (entries);
}

static gboolean
prepare (SandlockLauncher      *self,
         const SandlockPolicy  *policy,
         const char            *argv0,
         Prepared              *prepared,
         GError               **error)
{
  memset (prepared, 0, sizeof *prepared);
  prepared->opened[0] = prepared->opened[1] = prepared->opened[2] = -1;

  if (self->closed)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                   _("Cannot spawn '%s': the launcher was closed"), argv0);
      return FALSE;
    }
  if (self->cwd != NULL && !g_path_is_absolute (self->cwd))
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("The launcher's working directory '%s' is not an absolute path"), self->cwd);
      return FALSE;
    }
  if (self->passed->len > SANDLOCK_MAX_PASSED_FDS)
    {
      g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                   _("%u descriptors passed to '%s': at most %d can be"),
                   self->passed->len, argv0, SANDLOCK_MAX_PASSED_FDS);
      return FALSE;
    }

  for (int i = 0; i < 3; i++)
    {
      int given = (self->stdio_fds[i] >= 0) + (self->stdio_paths[i] != NULL) +
                  stream_taken_by_flags (self->flags, i);

      if (given > 1)
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_INVALID_POLICY,
                       _("The launcher has more than one %s for '%s': a descriptor, a file "
                         "or a flag, at most one of them"),
                       stream_names[i], argv0);
          return FALSE;
        }
    }

  for (guint i = 0; i < self->passed->len; i++)
    {
      PassedFd *passed = &g_array_index (self->passed, PassedFd, i);

      if (fcntl (passed->source, F_GETFD) < 0)
        {
          g_set_error (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED,
                       _("Failed to start '%s': descriptor %d, passed as %d, is not open"),
                       argv0, passed->source, passed->target);
          return FALSE;
        }
    }

  for (int i = 0; i < 3; i++)
    {
      int fd;

      prepared->options.stdio_fds[i] = self->stdio_fds[i];
      if (self->stdio_paths[i] == NULL)
        continue;
      fd = i == 0 ? open (self->stdio_paths[i], O_RDONLY | O_CLOEXEC | O_NOCTTY)
                  : open (self->stdio_paths[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Failed to open '%s' as the %s of '%s': %s"),
                       self->stdio_paths[i], stream_names[i], argv0, g_strerror (saved_errno));
          prepared_clear (prepared);
          return FALSE;
        }
      prepared->opened[i] = prepared->options.stdio_fds[i] = fd;
    }

  prepared->env = resolve_env (self, policy);
  prepared->options.env = (const char * const *) prepared->env;
  prepared->options.cwd = self->cwd;
  prepared->options.n_passed = self->passed->len;
  prepared->sources = g_new (int, MAX (self->passed->len, 1));
  prepared->targets = g_new (int, MAX (self->passed->len, 1));
  for (guint i = 0; i < self->passed->len; i++)
    {
      prepared->sources[i] = g_array_index (self->passed, PassedFd, i).source;
      prepared->targets[i] = g_array_index (self->passed, PassedFd, i).target;
    }
  prepared->options.passed_sources = prepared->sources;
  prepared->options.passed_targets = prepared->targets;
  return TRUE;
}

/**
 * sandlock_launcher_spawnv:
 * @self: a #SandlockLauncher
 * @argv: (array zero-terminated=1) (element-type filename): the command and
 *   its arguments, as for sandlock_sandbox_spawn()
 * @error: return location for a #GError, or %NULL
 *
 * Starts @argv in the launcher's sandbox, with the launcher's descriptors,
 * streams, environment and working directory, as sandlock_sandbox_spawn()
 * does otherwise. A stream given twice (a flag and a descriptor, say) and
 * a relative working directory are %SANDLOCK_ERROR_INVALID_POLICY; a file
 * for a stream that cannot be opened is a `G_IO_ERROR`.
 *
 * Returns: (transfer full): the new process, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockProcess *
sandlock_launcher_spawnv (SandlockLauncher    *self,
                          const char * const  *argv,
                          GError             **error)
{
  g_autoptr(SandlockPolicy) policy = NULL;
  Prepared prepared;
  SandlockProcess *process;

  g_return_val_if_fail (SANDLOCK_IS_LAUNCHER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  policy = sandlock_sandbox_prepare_spawn (self->sandbox, argv, self->flags, error);
  if (policy == NULL || !prepare (self, policy, argv[0], &prepared, error))
    return NULL;
  process = sandlock_process_new (policy, argv, self->flags, &prepared.options, error);
  prepared_clear (&prepared);
  return process;
}

/**
 * sandlock_launcher_spawnv_async:
 * @self: a #SandlockLauncher
 * @argv: (array zero-terminated=1) (element-type filename): the command and
 *   its arguments
 * @cancellable: (nullable): a #GCancellable; cancelling while the command
 *   starts kills it
 * @callback: (scope async): called when the command has started, on the
 *   thread-default main context of this call
 * @user_data: data for @callback
 *
 * sandlock_launcher_spawnv() without blocking the caller's main loop, as
 * sandlock_sandbox_spawn_async() does. The launcher's descriptors are
 * duplicated at the call: closing the launcher meanwhile changes nothing.
 *
 * Since: 1.0
 */
void
sandlock_launcher_spawnv_async (SandlockLauncher    *self,
                                const char * const  *argv,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(SandlockPolicy) policy = NULL;
  GError *error = NULL;
  Prepared prepared;

  g_return_if_fail (SANDLOCK_IS_LAUNCHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  policy = sandlock_sandbox_prepare_spawn (self->sandbox, argv, self->flags, &error);
  if (policy == NULL || !prepare (self, policy, argv[0], &prepared, &error))
    {
      g_task_report_error (self, callback, user_data, sandlock_launcher_spawnv_async, error);
      return;
    }
  sandlock_process_launch_async (policy, argv, self->flags, &prepared.options, self,
                                 sandlock_launcher_spawnv_async, cancellable, callback, user_data);
  prepared_clear (&prepared);
}

/**
 * sandlock_launcher_spawnv_finish:
 * @self: a #SandlockLauncher
 * @result: the #GAsyncResult
 * @error: return location for a #GError, or %NULL
 *
 * Finishes sandlock_launcher_spawnv_async().
 *
 * Returns: (transfer full): the new process, or %NULL with @error set
 *
 * Since: 1.0
 */
SandlockProcess *
sandlock_launcher_spawnv_finish (SandlockLauncher  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (SANDLOCK_IS_LAUNCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sandlock_launcher_spawnv_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return sandlock_process_launch_finish (result, error);
}
