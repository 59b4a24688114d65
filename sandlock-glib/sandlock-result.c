/* sandlock-result.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <sys/wait.h>

#include "sandlock-enum-types.h"
#include "sandlock-result-private.h"

/**
 * SECTION:sandlock-result
 * @title: SandlockResult
 * @short_description: the outcome of a sandboxed run
 *
 * What sandlock_sandbox_run() returns: how the command ended and what it
 * wrote. All properties are read-only.
 *
 * A run that hit #SandlockSandbox:timeout is a result too, not an error:
 * #SandlockResult:timed-out is set, every process was killed, and the output
 * captured until then is kept.
 *
 * Results are made by the sandbox. One built with g_object_new() alone
 * (`Sandlock.Result()` in a binding) describes no run: its exit status is
 * -1, its output empty, and it is not a success.
 */

/**
 * SandlockResult:
 *
 * The outcome of a sandboxed run. Its fields are private.
 *
 * Since: 1.0
 */

struct _SandlockResult
{
  GObject              parent_instance;

  int                  exit_status;
  int                  term_signal;
  GBytes              *stdout_buf;
  GBytes              *stderr_buf;
  gboolean             timed_out;
  gboolean             output_limit_exceeded;
  SandlockLimits       limits_reached;
  gboolean             oom_killed;
  SandlockLimitMechanism mechanisms[4];
  SandlockLimitMechanism kill_mechanism;
  SandlockProtections  protections;
};

G_DEFINE_FINAL_TYPE (SandlockResult, sandlock_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EXIT_STATUS,
  PROP_TERM_SIGNAL,
  PROP_STDOUT,
  PROP_STDERR,
  PROP_TIMED_OUT,
  PROP_SUCCESS,
  PROP_PROTECTIONS,
  PROP_OUTPUT_LIMIT_EXCEEDED,
  PROP_LIMITS_REACHED,
  PROP_OOM_KILLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sandlock_result_finalize (GObject *object)
{
  SandlockResult *self = SANDLOCK_RESULT (object);

  g_clear_pointer (&self->stdout_buf, g_bytes_unref);
  g_clear_pointer (&self->stderr_buf, g_bytes_unref);

  G_OBJECT_CLASS (sandlock_result_parent_class)->finalize (object);
}

static void
sandlock_result_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SandlockResult *self = SANDLOCK_RESULT (object);

  switch (prop_id)
    {
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    case PROP_TERM_SIGNAL:
      g_value_set_int (value, self->term_signal);
      break;
    case PROP_STDOUT:
      g_value_set_boxed (value, self->stdout_buf);
      break;
    case PROP_STDERR:
      g_value_set_boxed (value, self->stderr_buf);
      break;
    case PROP_TIMED_OUT:
      g_value_set_boolean (value, self->timed_out);
      break;
    case PROP_SUCCESS:
      g_value_set_boolean (value, sandlock_result_get_success (self));
      break;
    case PROP_PROTECTIONS:
      g_value_set_flags (value, self->protections);
      break;
    case PROP_OUTPUT_LIMIT_EXCEEDED:
      g_value_set_boolean (value, self->output_limit_exceeded);
      break;
    case PROP_LIMITS_REACHED:
      g_value_set_flags (value, self->limits_reached);
      break;
    case PROP_OOM_KILLED:
      g_value_set_boolean (value, self->oom_killed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sandlock_result_class_init (SandlockResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sandlock_result_finalize;
  object_class->get_property = sandlock_result_get_property;

  /**
   * SandlockResult:exit-status:
   *
   * The exit code of the command, or -1 if it did not exit normally.
   *
   * Since: 1.0
   */
  properties[PROP_EXIT_STATUS] = g_param_spec_int ("exit-status", NULL, "The command's exit status, or -1 if it was killed by a signal", -1, 255, -1, flags);

  /**
   * SandlockResult:term-signal:
   *
   * The signal that killed the command, or 0 if it exited normally. A
   * timeout, sandlock_process_force_exit() and a kill action show as
   * `SIGKILL`.
   *
   * Since: 1.0
   */
  properties[PROP_TERM_SIGNAL] = g_param_spec_int ("term-signal", NULL, "The signal that killed the command, or 0", 0, 128, 0, flags);

  /**
   * SandlockResult:stdout:
   *
   * Everything the command wrote to its standard output.
   *
   * Since: 1.0
   */
  properties[PROP_STDOUT] = g_param_spec_boxed ("stdout", NULL, "What the command wrote to standard output", G_TYPE_BYTES, flags);

  /**
   * SandlockResult:stderr:
   *
   * Everything the command wrote to its standard error.
   *
   * Since: 1.0
   */
  properties[PROP_STDERR] = g_param_spec_boxed ("stderr", NULL, "What the command wrote to standard error", G_TYPE_BYTES, flags);

  /**
   * SandlockResult:timed-out:
   *
   * Whether #SandlockSandbox:timeout expired and the sandbox was killed.
   *
   * Since: 1.0
   */
  properties[PROP_TIMED_OUT] = g_param_spec_boolean ("timed-out", NULL, "Whether the command was killed for running past its timeout", FALSE, flags);

  /**
   * SandlockResult:success:
   *
   * Whether the command exited with code 0 in time, and within
   * #SandlockSandbox:max-output.
   *
   * Since: 1.0
   */
  properties[PROP_SUCCESS] = g_param_spec_boolean ("success", NULL, "Whether the command exited with status 0", FALSE, flags);

  /**
   * SandlockResult:protections:
   *
   * The protections the command ran under.
   *
   * Since: 1.0
   */
  properties[PROP_PROTECTIONS] = g_param_spec_flags ("protections", NULL, "The protections that confined the command",
                                                     SANDLOCK_TYPE_PROTECTIONS,
                                                     SANDLOCK_PROTECTION_NONE, flags);

  /**
   * SandlockResult:output-limit-exceeded:
   *
   * Whether the command wrote more than #SandlockSandbox:max-output bytes
   * to its standard output or error and the sandbox was killed.
   * #SandlockResult:stdout and #SandlockResult:stderr then hold what was
   * captured, each truncated to the limit.
   *
   * Since: 1.0
   */
  properties[PROP_OUTPUT_LIMIT_EXCEEDED] =
    g_param_spec_boolean ("output-limit-exceeded", NULL, "Whether the command was killed for writing more than max-output", FALSE, flags);

  /**
   * SandlockResult:limits-reached:
   *
   * The resource limits the command ran into: %SANDLOCK_LIMIT_PROCESSES
   * when a fork was refused at #SandlockSandbox:max-processes,
   * %SANDLOCK_LIMIT_MEMORY when the kernel's OOM killer killed a process
   * at #SandlockSandbox:max-memory (#SandlockResult:oom-killed),
   * %SANDLOCK_LIMIT_CPU when #SandlockSandbox:max-cpu throttled it.
   *
   * Since: 1.0
   */
  properties[PROP_LIMITS_REACHED] = g_param_spec_flags ("limits-reached", NULL, "The resource limits the command ran into",
                                                        SANDLOCK_TYPE_LIMITS,
                                                        SANDLOCK_LIMIT_NONE, flags);

  /**
   * SandlockResult:oom-killed:
   *
   * Whether the kernel's OOM killer killed a process of the sandbox at
   * #SandlockSandbox:max-memory (a cgroup's limit). When that process was
   * the first one, #SandlockResult:term-signal is `SIGKILL`: this tells
   * that kill from any other.
   *
   * Since: 1.0
   */
  properties[PROP_OOM_KILLED] =
    g_param_spec_boolean ("oom-killed", NULL, "Whether the kernel's OOM killer killed a process at max-memory", FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sandlock_result_init (SandlockResult *self)
{
  /* What a result built by g_object_new() alone reports (`Sandlock.Result()`
   * in a binding): no exit status, no output, nothing applied. */
  self->exit_status = -1;
  self->stdout_buf = g_bytes_new (NULL, 0);
  self->stderr_buf = g_bytes_new (NULL, 0);
}

void
sandlock_result_set_limits (SandlockResult               *self,
                            SandlockLimits                reached,
                            gboolean                      oom_killed,
                            const SandlockLimitMechanism  mechanisms[4])
{
  self->limits_reached = reached;
  self->oom_killed = oom_killed;
  memcpy (self->mechanisms, mechanisms, sizeof self->mechanisms);
}

void
sandlock_result_set_kill_mechanism (SandlockResult         *self,
                                    SandlockLimitMechanism  mechanism)
{
  self->kill_mechanism = mechanism;
}

SandlockResult *
sandlock_result_new (int                  wait_status,
                     gboolean             timed_out,
                     gboolean             output_limit_exceeded,
                     GBytes              *stdout_buf,
                     GBytes              *stderr_buf,
                     SandlockProtections  protections)
{
  SandlockResult *self = g_object_new (SANDLOCK_TYPE_RESULT, NULL);

  if (WIFEXITED (wait_status))
    self->exit_status = WEXITSTATUS (wait_status);
  else if (WIFSIGNALED (wait_status))
    self->term_signal = WTERMSIG (wait_status);
  self->timed_out = timed_out;
  self->output_limit_exceeded = output_limit_exceeded;
  if (stdout_buf != NULL)
    {
      g_bytes_unref (self->stdout_buf);
      self->stdout_buf = g_bytes_ref (stdout_buf);
    }
  if (stderr_buf != NULL)
    {
      g_bytes_unref (self->stderr_buf);
      self->stderr_buf = g_bytes_ref (stderr_buf);
    }
  self->protections = protections;
  return self;
}

/**
 * sandlock_result_get_exit_status:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:exit-status.
 *
 * Returns: the exit code, or -1 if the command did not exit normally
 *
 * Since: 1.0
 */
int
sandlock_result_get_exit_status (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), -1);
  return self->exit_status;
}

/**
 * sandlock_result_get_term_signal:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:term-signal.
 *
 * Returns: the signal that killed the command, or 0
 *
 * Since: 1.0
 */
int
sandlock_result_get_term_signal (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), 0);
  return self->term_signal;
}

/**
 * sandlock_result_get_stdout:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:stdout.
 *
 * Returns: (transfer none): the standard output, possibly empty
 *
 * Since: 1.0
 */
GBytes *
sandlock_result_get_stdout (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), NULL);
  return self->stdout_buf;
}

/**
 * sandlock_result_get_stderr:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:stderr.
 *
 * Returns: (transfer none): the standard error, possibly empty
 *
 * Since: 1.0
 */
GBytes *
sandlock_result_get_stderr (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), NULL);
  return self->stderr_buf;
}

/**
 * sandlock_result_get_timed_out:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:timed-out.
 *
 * Returns: whether the run was killed by its timeout
 *
 * Since: 1.0
 */
gboolean
sandlock_result_get_timed_out (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), FALSE);
  return self->timed_out;
}

/**
 * sandlock_result_get_success:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:success.
 *
 * Returns: whether the command exited with code 0 in time, within its
 *   output limit
 *
 * Since: 1.0
 */
gboolean
sandlock_result_get_success (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), FALSE);
  return self->exit_status == 0 && !self->timed_out && !self->output_limit_exceeded;
}

/**
 * sandlock_result_get_protections:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:protections.
 *
 * Returns: the protections the command ran under
 *
 * Since: 1.0
 */
SandlockProtections
sandlock_result_get_protections (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), SANDLOCK_PROTECTION_NONE);
  return self->protections;
}

/**
 * sandlock_result_get_output_limit_exceeded:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:output-limit-exceeded.
 *
 * Returns: whether the run was killed for writing more than
 *   #SandlockSandbox:max-output bytes to a stream
 *
 * Since: 1.0
 */
gboolean
sandlock_result_get_output_limit_exceeded (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), FALSE);
  return self->output_limit_exceeded;
}

/**
 * sandlock_result_get_limits_reached:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:limits-reached.
 *
 * Returns: the limits the command ran into
 *
 * Since: 1.0
 */
SandlockLimits
sandlock_result_get_limits_reached (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), SANDLOCK_LIMIT_NONE);

  return self->limits_reached;
}

/**
 * sandlock_result_get_oom_killed:
 * @self: a #SandlockResult
 *
 * Gets #SandlockResult:oom-killed.
 *
 * Returns: whether the kernel's OOM killer killed a process at the limit
 *
 * Since: 1.0
 */
gboolean
sandlock_result_get_oom_killed (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), FALSE);

  return self->oom_killed;
}

/**
 * sandlock_result_get_kill_mechanism:
 * @self: a #SandlockResult
 *
 * How what was left of the sandbox was killed when it ended, as
 * sandlock_process_get_kill_mechanism() said: through the sandbox's
 * cgroup.kill (%SANDLOCK_LIMIT_MECHANISM_CGROUP_V2) or by the library's
 * helper (%SANDLOCK_LIMIT_MECHANISM_SUPERVISOR).
 *
 * Returns: the mechanism
 *
 * Since: 1.0
 */
SandlockLimitMechanism
sandlock_result_get_kill_mechanism (SandlockResult *self)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), SANDLOCK_LIMIT_MECHANISM_NONE);

  return self->kill_mechanism;
}

/**
 * sandlock_result_get_limit_mechanism:
 * @self: a #SandlockResult
 * @limit: one limit (a single flag)
 *
 * How @limit was enforced, as sandlock_process_get_limit_mechanism() said.
 *
 * Returns: the mechanism
 *
 * Since: 1.0
 */
SandlockLimitMechanism
sandlock_result_get_limit_mechanism (SandlockResult *self,
                                     SandlockLimits  limit)
{
  g_return_val_if_fail (SANDLOCK_IS_RESULT (self), SANDLOCK_LIMIT_MECHANISM_NONE);

  for (guint bit = 0; bit < G_N_ELEMENTS (self->mechanisms); bit++)
    if (limit == (SandlockLimits) (1u << bit))
      return self->mechanisms[bit];
  return SANDLOCK_LIMIT_MECHANISM_NONE;
}
