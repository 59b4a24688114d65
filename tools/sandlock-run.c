/* sandlock-run.c: run a command confined by sandlock-glib
 *
 *   sandlock-run [OPTION...] [--] COMMAND [ARG...]
 *
 * Written only against the public API of the library, as any application
 * would be: it is also the proof that this API is enough.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <sandlock-glib/sandlock.h>

#include "sr-audit.h"
#include "sr-audit-handler.h"
#include "sr-deny-handler.h"
#include "sr-errno.h"
#include "sr-pty.h"
#include "sr-terminal.h"

/* Exit statuses of sandlock-run's own failures, those of timeout(1) and
 * env(1), and 123 for --max-output; any other status is the command's. */
#define EXIT_OUTPUT_LIMIT  123
#define EXIT_TIMED_OUT     124
#define EXIT_TOOL_FAILED   125
#define EXIT_CANNOT_EXEC   126
#define EXIT_NOT_FOUND     127

typedef struct {
  char     **fs_read;
  char     **fs_write;
  char     **fs_deny;
  char     **net_bind;
  char     **net_connect;
  char     **net_allow;
  char     **net_deny;
  char     **unix_connect;
  char      *timeout;
  char      *max_output;
  char      *max_processes;
  char      *max_memory;
  char      *max_cpu;
  char      *cpu_cores;
  gboolean   clean_env;
  char     **env;
  char      *cwd;
  char     **deny_syscall;
  gboolean   best_effort;
  gboolean   shared_proc;
  gboolean   system_ro;
  gboolean   pty;
  char     **presets;
  gboolean   audit;
  GPtrArray *audit_syscalls;   /* names from --audit=LIST, "default" included */
  char      *audit_log;
  char     **deny_errno;
  gboolean   version;
} Options;

static Options options;

static gboolean
on_audit_option (const char  *option_name,
                 const char  *value,
                 gpointer     data,
                 GError     **error)
{
  g_auto(GStrv) names = NULL;

  options.audit = TRUE;
  if (value == NULL)
    {
      g_ptr_array_add (options.audit_syscalls, g_strdup ("default"));
      return TRUE;
    }

  if (value[0] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--audit=: empty syscall list (--audit alone audits the default set)");
      return FALSE;
    }

  names = g_strsplit (value, ",", -1);
  for (gsize i = 0; names[i] != NULL; i++)
    {
      if (names[i][0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--audit=%s: empty syscall name", value);
          return FALSE;
        }
      g_ptr_array_add (options.audit_syscalls, g_strdup (names[i]));
    }
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "fs-read", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &options.fs_read,
    N_("Allow reading (and executing) below PATH, an absolute path"), N_("PATH") },
  { "fs-write", 'w', 0, G_OPTION_ARG_FILENAME_ARRAY, &options.fs_write,
    N_("Allow reading and writing below PATH, an absolute path"), N_("PATH") },
  { "fs-deny", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.fs_deny,
    N_("Deny everything at and below PATH, beneath a path -r or -w grants, and make it look "
       "absent (the directories on the way cannot be listed or changed)"), N_("PATH") },
  { "shared-proc", 0, 0, G_OPTION_ARG_NONE, &options.shared_proc,
    N_("With /proc granted (-r /proc), show the command every process, not only its own"), NULL },
  { "preset", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &options.presets,
    N_("Add a base policy: system (programs, libraries, loader, locale, time zone, "
       "certificates), devices (/dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom), "
       "tty (/dev/tty), flatpak (/app, /usr); comma-separated names allowed"), N_("NAME") },
  { "system-ro", 0, 0, G_OPTION_ARG_NONE, &options.system_ro,
    N_("The same as --preset system"), NULL },
  { "net-bind", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.net_bind,
    N_("Allow binding TCP ports: a comma-separated list of ports and ranges (8000-8099)"), N_("PORTS") },
  { "net-connect", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.net_connect,
    N_("Allow connecting to TCP ports: a comma-separated list of ports and ranges"), N_("PORTS") },
  { "net-allow", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.net_allow,
    N_("Allow reaching a destination: [udp:]HOST:PORTS, HOST being *, an address, a prefix "
       "(10.0.0.0/8, [2001:db8::/32]) or a hostname, PORTS *, a port or a range; TCP unless udp:"),
    N_("RULE") },
  { "net-deny", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.net_deny,
    N_("Refuse a destination that --net-allow allows, in the same syntax"), N_("RULE") },
  { "unix-connect", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.unix_connect,
    N_("Allow connecting and sending to the unix socket at PATH, an absolute path "
       "(a session bus: $XDG_RUNTIME_DIR/bus)"), N_("PATH") },
  { "timeout", 't', 0, G_OPTION_ARG_STRING, &options.timeout,
    N_("Kill the command after SECS seconds and exit with 124 (0: no timeout)"), N_("SECS") },
  { "max-output", 0, 0, G_OPTION_ARG_STRING, &options.max_output,
    N_("Pass the command's output on through pipes; kill it and exit with 123 when it "
       "writes more than SIZE bytes (K, M, G: KiB, MiB, GiB; 0: no limit) to stdout or stderr"), N_("SIZE") },
  { "max-processes", 0, 0, G_OPTION_ARG_STRING, &options.max_processes,
    N_("Let at most N processes of the command live at once; a fork beyond fails with EAGAIN "
       "(default 64; 0: no limit)"), N_("N") },
  { "max-memory", 0, 0, G_OPTION_ARG_STRING, &options.max_memory,
    N_("Bound the command's memory to SIZE bytes (K, M, G: KiB, MiB, GiB; 0: no limit)"), N_("SIZE") },
  { "max-cpu", 0, 0, G_OPTION_ARG_STRING, &options.max_cpu,
    N_("Throttle the command to PERCENT of one CPU (0: no limit)"), N_("PERCENT") },
  { "cpu-cores", 0, 0, G_OPTION_ARG_STRING, &options.cpu_cores,
    N_("Run the command on these CPUs only, a list such as 0-3,6"), N_("LIST") },
  { "pty", 0, 0, G_OPTION_ARG_NONE, &options.pty,
    N_("Run the command on a private pseudo-terminal, relayed to and from this one"), NULL },
  { "clean-env", 0, 0, G_OPTION_ARG_NONE, &options.clean_env,
    N_("Start from an environment with only PATH HOME USER LOGNAME TERM LANG"), NULL },
  { "env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.env,
    N_("Set an environment variable for the command (KEY alone removes it)"), N_("KEY=VALUE") },
  { "cwd", 0, 0, G_OPTION_ARG_FILENAME, &options.cwd,
    N_("Run the command in DIR, an absolute path"), N_("DIR") },
  { "deny-syscall", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.deny_syscall,
    N_("Make every call of a syscall fail with EPERM, in the seccomp filter "
       "(comma-separated names allowed)"), N_("NAME") },
  { "deny-errno", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.deny_errno,
    N_("Answer every call of SYSCALL with ERRNO, a name (ENETUNREACH) or a number"), N_("SYSCALL=ERRNO") },
  { "best-effort", 0, 0, G_OPTION_ARG_NONE, &options.best_effort,
    N_("Run with the protections this kernel has instead of refusing to run"), NULL },
  { "audit", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer) on_audit_option,
    N_("Log syscalls as JSON lines: alone, the file, exec and network syscalls; "
       "with a list, those (\"default\" in it names that set)"), N_("SYSCALL,...") },
  { "audit-log", 0, 0, G_OPTION_ARG_FILENAME, &options.audit_log,
    N_("Write the audit to FILE instead of standard error (implies --audit)"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
    N_("Show the version and exit"), NULL },
  { NULL }
};

static const char *const description = N_(
  "Nothing is allowed unless an option allows it: a command usually needs at\n"
  "least --system-ro (or -r /usr ...) to be executed at all. Landlock confines\n"
  "files and TCP; a seccomp filter denies kernel interfaces no command needs\n"
  "(mount, ptrace, bpf, ...) and the --deny-syscall list. The command gets\n"
  "sandlock-run's standard input, output and error (with --max-output, pipes\n"
  "whose output sandlock-run passes on as it comes), and ends the sandbox: when\n"
  "it exits, whatever it left running is killed.\n"
  "\n"
  "Audit: one JSON object per line for each trapped syscall, with \"time\"\n"
  "(UTC), \"pid\" (the thread id), \"syscall\", the decoded arguments (\"path\",\n"
  "\"path_abs\" for relative paths, \"new_path\", \"argv\"; \"family\", \"address\"\n"
  "and \"port\" for connect and bind), \"verdict\" and \"handler_us\", the time\n"
  "the handler took in microseconds. The verdict is \"denied by rule\" (with\n"
  "\"errno\" and \"rule\") when a --deny-errno rule answered, or \"passed to\n"
  "kernel\": Landlock and the seccomp filter then decide, and their answer is\n"
  "not seen. Rules run before the audit, so a rule always applies and its\n"
  "syscalls are logged too.\n"
  "\n"
  "Exit status:\n"
  "  N      the command's exit status\n"
  "  128+N  the command was killed by signal N\n"
  "  123    the command wrote more than --max-output to stdout or stderr and\n"
  "         was killed; what it wrote up to the limit was passed on\n"
  "  124    the command ran longer than --timeout and was killed\n"
  "  125    sandlock-run failed: a bad option or value, a policy this kernel\n"
  "         cannot enforce (see --best-effort), or the sandbox could not be set up\n"
  "  126    the command was found but could not be executed (Landlock denies\n"
  "         executing what is not readable: see -r and --system-ro)\n"
  "  127    the command was not found\n"
  "\n"
  "Examples:\n"
  "  sandlock-run --system-ro -- cat /etc/hostname\n"
  "  sandlock-run --system-ro -w /tmp/out --audit -- sh -c 'echo hi > /tmp/out/x'\n"
  "  sandlock-run --system-ro --audit-log audit.jsonl --deny-errno connect=ENETUNREACH -- make\n"
  "\n"
  "See sandlock-run(1).\n");

G_GNUC_PRINTF (1, 2)
static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("sandlock-run: %s\n", message);
  return EXIT_TOOL_FAILED;
}

/* ---- building the sandbox -------------------------------------------- */

/* --max-output, --max-memory: decimal bytes, or with a K, M or G suffix
 * (any case) for binary multiples; 0 is no limit. */
static gboolean
parse_size (const char  *option,
            const char  *value,
            guint64     *size,
            GError     **error)
{
  static const char suffixes[] = "KMG";
  g_autofree char *digits = g_strdup (value);
  gsize len = strlen (digits);
  guint shift = 0;
  const char *suffix;

  if (len > 0 && (suffix = strchr (suffixes, g_ascii_toupper (digits[len - 1]))) != NULL &&
      *suffix != '\0')
    {
      shift = 10 * (guint) (suffix - suffixes + 1);
      digits[len - 1] = '\0';
    }

  /* Digits only: no sign, no space, no fraction; the product must fit. */
  if (digits[0] == '\0' || strspn (digits, "0123456789") != strlen (digits) ||
      !g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64 >> shift, size, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s '%s': expected a number of bytes, with K, M or G "
                   "for KiB, MiB or GiB (0: no limit)", option, value);
      return FALSE;
    }

  *size <<= shift;
  return TRUE;
}

/* --max-processes, --max-cpu: a decimal number up to @max. */
static gboolean
parse_count (const char  *option,
             const char  *value,
             guint64      max,
             guint       *count,
             GError     **error)
{
  guint64 number;

  if (value[0] == '\0' || strspn (value, "0123456789") != strlen (value) ||
      !g_ascii_string_to_unsigned (value, 10, 0, max, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s '%s': expected a number from 0 to %" G_GUINT64_FORMAT,
                   option, value, max);
      return FALSE;
    }
  *count = (guint) number;
  return TRUE;
}

/* Port options may repeat and hold comma-separated lists. */
static gboolean
collect_list (const char  *option,
              char       **values,
              GPtrArray   *out,
              GError     **error)
{
  for (gsize i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_auto(GStrv) items = g_strsplit (values[i], ",", -1);

      for (gsize j = 0; items[j] != NULL; j++)
        {
          g_strstrip (items[j]);
          if (items[j][0] == '\0')
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "%s '%s': an empty item", option, values[i]);
              return FALSE;
            }
          g_ptr_array_add (out, g_strdup (items[j]));
        }
    }
  g_ptr_array_add (out, NULL);
  return TRUE;
}

static gboolean
strv_contains_name (GPtrArray  *names,
                    const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_ptr_array_index (names, i) != NULL && g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

typedef struct {
  char *syscall;
  int   errno_value;
  char *rule;
} DenyRule;

static void
deny_rule_free (gpointer data)
{
  DenyRule *rule = data;

  g_free (rule->syscall);
  g_free (rule->rule);
  g_free (rule);
}

static GPtrArray *
parse_deny_rules (GError **error)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (deny_rule_free);

  for (gsize i = 0; options.deny_errno != NULL && options.deny_errno[i] != NULL; i++)
    {
      const char *spec = options.deny_errno[i];
      const char *equals = strchr (spec, '=');
      g_autoptr(GError) local_error = NULL;
      DenyRule *rule;
      int value;

      if (equals == NULL || equals == spec || equals[1] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--deny-errno '%s': expected SYSCALL=ERRNO", spec);
          return NULL;
        }

      value = sr_errno_parse (equals + 1, &local_error);
      if (value < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--deny-errno '%s': %s", spec, local_error->message);
          return NULL;
        }

      rule = g_new0 (DenyRule, 1);
      rule->syscall = g_strndup (spec, (gsize) (equals - spec));
      rule->errno_value = value;
      rule->rule = g_strdup (spec);

      for (guint j = 0; j < rules->len; j++)
        if (g_str_equal (((DenyRule *) g_ptr_array_index (rules, j))->syscall, rule->syscall))
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "--deny-errno: two rules for '%s'", rule->syscall);
            deny_rule_free (rule);
            return NULL;
          }
      g_ptr_array_add (rules, rule);
    }

  return g_steal_pointer (&rules);
}

static gboolean
is_denied_by_rule (GPtrArray  *rules,
                   const char *syscall)
{
  for (guint i = 0; i < rules->len; i++)
    if (g_str_equal (((DenyRule *) g_ptr_array_index (rules, i))->syscall, syscall))
      return TRUE;
  return FALSE;
}

/* Registers the handlers. On each syscall the chain runs in registration
 * order and the first answer that is not "continue" wins, so the rules go
 * first: a rule always applies, and logs its own verdict when audited. The
 * audit handler comes last and sees only what reaches the kernel. */
static gboolean
add_handlers (SandlockSandbox  *sandbox,
              GPtrArray        *rules,
              GPtrArray        *denied_syscalls,
              SrAuditLog       *log,
              GError          **error)
{
  g_autoptr(SandlockHandler) audit = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < rules->len; i++)
    {
      DenyRule *rule = g_ptr_array_index (rules, i);
      g_autoptr(SandlockHandler) handler = sr_deny_handler_new (rule->errno_value, rule->rule, log);
      g_autoptr(GError) local_error = NULL;

      if (!sandlock_sandbox_add_handler (sandbox, rule->syscall, handler, &local_error))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--deny-errno '%s': %s", rule->rule, local_error->message);
          return FALSE;
        }
    }

  if (log == NULL)
    return TRUE;

  audit = sr_audit_handler_new (log);
  for (guint i = 0; i < options.audit_syscalls->len; i++)
    {
      const char *entry = g_ptr_array_index (options.audit_syscalls, i);
      gboolean is_default = g_str_equal (entry, "default");
      const char * const single[] = { entry, NULL };
      const char * const *names = is_default ? sr_audit_default_syscalls () : single;

      for (gsize j = 0; names[j] != NULL; j++)
        {
          g_autoptr(GError) local_error = NULL;

          if (!g_hash_table_add (seen, (gpointer) names[j]) ||
              is_denied_by_rule (rules, names[j]))
            continue;

          /* The default set adapts: it leaves out what --deny-syscall
           * denies and what this architecture lacks (open on aarch64). */
          if (is_default && strv_contains_name (denied_syscalls, names[j]))
            continue;

          if (!sandlock_sandbox_add_handler (sandbox, names[j], audit, &local_error))
            {
              if (is_default)
                continue;
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--audit: %s", local_error->message);
              return FALSE;
            }
        }
    }

  return TRUE;
}

/* The names of --preset (and --system-ro) as SandlockPreset flags, by the
 * nicks of the flags type. */
static gboolean
parse_presets (GPtrArray       *names,
               SandlockPreset  *presets,
               GError         **error)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (SANDLOCK_TYPE_PRESET);

  if (options.system_ro)
    *presets |= SANDLOCK_PRESET_SYSTEM;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      GFlagsValue *value = name != NULL ? g_flags_get_value_by_nick (klass, name) : NULL;

      if (name == NULL)
        continue;
      if (value == NULL || value->value == SANDLOCK_PRESET_NONE)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--preset '%s': expected system, devices, tty or flatpak", name);
          return FALSE;
        }
      *presets |= value->value;
    }
  return TRUE;
}

static SandlockSandbox *
build_sandbox (GPtrArray   *rules,
               SrAuditLog  *log,
               GError     **error)
{
  g_autoptr(SandlockSandbox) sandbox = sandlock_sandbox_new ();
  g_autoptr(GPtrArray) readable = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bind = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) connect = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) denied = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) preset_names = g_ptr_array_new_with_free_func (g_free);
  SandlockPreset presets = SANDLOCK_PRESET_NONE;
  guint64 timeout = 0;

  for (gsize i = 0; options.fs_read != NULL && options.fs_read[i] != NULL; i++)
    g_ptr_array_add (readable, g_strdup (options.fs_read[i]));
  g_ptr_array_add (readable, NULL);

  if (!collect_list ("--preset", options.presets, preset_names, error) ||
      !collect_list ("--net-bind", options.net_bind, bind, error) ||
      !collect_list ("--net-connect", options.net_connect, connect, error) ||
      !collect_list ("--deny-syscall", options.deny_syscall, denied, error))
    return NULL;

  if (options.timeout != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!g_ascii_string_to_unsigned (options.timeout, 10, 0, G_MAXUINT, &timeout, &local_error))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--timeout '%s': expected whole seconds", options.timeout);
          return NULL;
        }
    }

  /* The library checks every value (absolute paths that exist, ports,
   * KEY=VALUE, syscall names) when spawning, before anything starts. */
  sandlock_sandbox_set_fs_readable (sandbox, (const char * const *) readable->pdata);
  sandlock_sandbox_set_fs_writable (sandbox, (const char * const *) options.fs_write);
  sandlock_sandbox_set_fs_denied (sandbox, (const char * const *) options.fs_deny);
  sandlock_sandbox_set_net_bind (sandbox, (const char * const *) bind->pdata);
  sandlock_sandbox_set_net_connect (sandbox, (const char * const *) connect->pdata);
  sandlock_sandbox_set_net_allow (sandbox, (const char * const *) options.net_allow);
  sandlock_sandbox_set_net_deny (sandbox, (const char * const *) options.net_deny);
  sandlock_sandbox_set_unix_connect (sandbox, (const char * const *) options.unix_connect);
  sandlock_sandbox_set_env (sandbox, (const char * const *) options.env);
  sandlock_sandbox_set_clean_env (sandbox, options.clean_env);
  sandlock_sandbox_set_cwd (sandbox, options.cwd);
  sandlock_sandbox_set_timeout (sandbox, (guint) timeout);
  sandlock_sandbox_set_extra_deny_syscalls (sandbox, (const char * const *) denied->pdata);
  sandlock_sandbox_set_best_effort (sandbox, options.best_effort);
  sandlock_sandbox_set_private_proc (sandbox, !options.shared_proc);

  if (!parse_presets (preset_names, &presets, error) ||
      !sandlock_sandbox_add_preset (sandbox, presets, error))
    return NULL;

  if (!add_handlers (sandbox, rules, denied, log, error))
    return NULL;

  return g_steal_pointer (&sandbox);
}

/* ---- exit statuses of a command that could not start ------------------ */

/* The library says why in words only: find out again whether the program
 * is missing (127) or there but not executable (126), as the library looks
 * it up: in the command's PATH unless it has a slash. Anything else is a
 * failure to set up the sandbox. */
static int
spawn_failure_status (const char *program)
{
  g_autofree char *base = options.cwd != NULL ? g_strdup (options.cwd) : g_get_current_dir ();
  const char *search_path = g_getenv ("PATH");
  g_auto(GStrv) dirs = NULL;
  gboolean found = FALSE;

  for (gsize i = 0; options.env != NULL && options.env[i] != NULL; i++)
    if (g_str_has_prefix (options.env[i], "PATH="))
      search_path = options.env[i] + strlen ("PATH=");

  if (strchr (program, '/') != NULL)
    {
      g_autofree char *path = g_path_is_absolute (program)
        ? g_strdup (program) : g_build_filename (base, program, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return EXIT_NOT_FOUND;
      return access (path, X_OK) == 0 ? EXIT_TOOL_FAILED : EXIT_CANNOT_EXEC;
    }

  dirs = g_strsplit (search_path != NULL ? search_path : "/usr/local/bin:/usr/bin:/bin", ":", -1);
  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (g_path_is_absolute (dirs[i]) ? "" : base,
                                                dirs[i][0] != '\0' ? dirs[i] : ".",
                                                program, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (access (path, X_OK) == 0)
        return EXIT_TOOL_FAILED;
      found = TRUE;
    }

  return found ? EXIT_CANNOT_EXEC : EXIT_NOT_FOUND;
}

/* ---- running ---------------------------------------------------------- */

typedef struct _Run Run;

/* With --max-output, one of the command's output pipes, passed on to
 * sandlock-run's own descriptor. */
typedef struct {
  Run          *run;
  GInputStream *pipe;
  int           fd;          /* where it goes: 1 or 2 */
  const char   *name;
  guint64       passed;      /* bytes passed on */
  gboolean      open;        /* still read */
} Forwarding;

struct _Run {
  GMainLoop       *loop;
  SandlockProcess *process;
  guint            timeout;
  guint64          max_output;   /* 0: no limit */
  int              status;
  gboolean         waited;
  const char      *exceeded;     /* the stream that went past --max-output */
  Forwarding       streams[2];
  SrPty           *pty;          /* --pty's relay, or NULL */
};

/* The loop ends once the command has been waited for and what it wrote
 * has all been passed on: the sandbox is gone by then, and with it every
 * writer of the pipes. */
static void
maybe_quit (Run *run)
{
  if (!run->waited)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (run->streams); i++)
    if (run->streams[i].open)
      return;
  if (!sr_pty_is_closed (run->pty))
    return;

  if (run->exceeded != NULL)
    {
      g_printerr ("sandlock-run: the command wrote more than %" G_GUINT64_FORMAT
                  " bytes to its %s and was killed\n", run->max_output, run->exceeded);
      run->status = EXIT_OUTPUT_LIMIT;
    }
  g_main_loop_quit (run->loop);
}

static void
stop_forwarding (Forwarding *stream)
{
  /* Closing the read end tells the command, should it write again, that
   * nobody reads: SIGPIPE or EPIPE, as when it writes to a closed pipe. */
  g_input_stream_close (stream->pipe, NULL, NULL);
  stream->open = FALSE;
  maybe_quit (stream->run);
}

static void
on_output (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Forwarding *stream = user_data;
  Run *run = stream->run;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize size, room;

  bytes = g_input_stream_read_bytes_finish (stream->pipe, result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      stop_forwarding (stream);
      return;
    }

  /* Each chunk goes on at once: a command that asks and waits for an
   * answer sees its question through. */
  data = g_bytes_get_data (bytes, &size);
  room = run->max_output == 0 ? size : (gsize) MIN ((guint64) size, run->max_output - stream->passed);
  if (!sr_write_all (stream->fd, data, room))
    {
      stop_forwarding (stream);
      return;
    }
  stream->passed += room;

  if (room < size)
    {
      if (run->exceeded == NULL)
        run->exceeded = stream->name;
      sandlock_process_force_exit (run->process);
      stop_forwarding (stream);
      return;
    }

  g_input_stream_read_bytes_async (stream->pipe, 64 * 1024, G_PRIORITY_DEFAULT, NULL,
                                   on_output, stream);
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  /* Our messages below go to a terminal in its usual mode. */
  sr_pty_restore_terminal (run->pty);
  if (!sandlock_process_wait_finish (run->process, result, &error))
    {
      /* The exec itself failed in the sandbox: Landlock refused it, or the
       * file is not a program. */
      g_printerr ("sandlock-run: %s\n", error->message);
      run->status = g_error_matches (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED)
        ? EXIT_CANNOT_EXEC : EXIT_TOOL_FAILED;
    }
  else if (sandlock_process_get_timed_out (run->process))
    {
      g_printerr (_("sandlock-run: the command ran longer than %u s and was killed\n"), run->timeout);
      run->status = EXIT_TIMED_OUT;
    }
  else if (sandlock_process_get_if_signaled (run->process))
    {
      run->status = 128 + sandlock_process_get_term_sig (run->process);
    }
  else
    run->status = sandlock_process_get_exit_status (run->process);

  /* The exit status stays the command's; what limit it met is said here. */
  if (sandlock_process_get_oom_killed (run->process))
    g_printerr (_("sandlock-run: the kernel killed a process of the command at --max-memory\n"));
  if (sandlock_process_get_limits_reached (run->process) & SANDLOCK_LIMIT_PROCESSES)
    g_printerr (_("sandlock-run: a fork of the command was refused at --max-processes\n"));

  run->waited = TRUE;
  maybe_quit (run);
}

static gboolean
on_pty_closed (gpointer user_data)
{
  maybe_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Signals meant for sandlock-run are meant for the command. */
typedef struct {
  Run *run;
  int  signal_num;
} Forward;

static gboolean
on_forwarded_signal (gpointer user_data)
{
  Forward *forward = user_data;

  sandlock_process_send_signal (forward->run->process, forward->signal_num);
  /* A stopped command would keep a terminating signal pending forever. */
  if (forward->signal_num != SIGUSR1 && forward->signal_num != SIGUSR2)
    sandlock_process_send_signal (forward->run->process, SIGCONT);
  return G_SOURCE_CONTINUE;
}

static void
warn_missing_protections (SandlockProcess *process)
{
  SandlockProtections applied = sandlock_process_get_protections (process);
  g_autoptr(GFlagsClass) flags = g_type_class_ref (SANDLOCK_TYPE_PROTECTIONS);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; i < flags->n_values; i++)
    {
      guint value = flags->values[i].value;

      /* Optional: the egress guard enforces unix-connect without it. */
      if (value == SANDLOCK_PROTECTION_LANDLOCK_FS_RESOLVE_UNIX)
        continue;
      if (value != 0 && (applied & value) != value)
        g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "",
                                flags->values[i].value_nick);
    }

  if (missing->len > 0)
    g_printerr (_("sandlock-run: warning: best effort: running without %s (Landlock ABI %d)\n"),
                missing->str, sandlock_process_get_landlock_abi (process));
}

static int
run_command (SandlockSandbox    *sandbox,
             const char * const *command,
             gboolean            forward,
             guint64             max_output)
{
  static const int forwarded[] = { SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2 };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Forward forwards[G_N_ELEMENTS (forwarded)];
  guint sources[G_N_ELEMENTS (forwarded)];
  Run run = { .loop = loop, .timeout = sandlock_sandbox_get_timeout (sandbox),
              .max_output = max_output, .status = -1 };
  /* With --pty every stream is the command's terminal. */
  GSubprocessFlags flags = options.pty ? G_SUBPROCESS_FLAGS_NONE : G_SUBPROCESS_FLAGS_STDIN_INHERIT;
  SrTerminal *terminal = NULL;

  /* stdout and stderr are inherited too, so output streams through live;
   * with --max-output they are pipes, read here and passed on as they
   * come. A write to a closed stdout then fails here instead of killing
   * sandlock-run; the command starts with SIGPIPE at its default anyway. */
  if (forward)
    {
      flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
      signal (SIGPIPE, SIG_IGN);
    }
  run.process = sandlock_sandbox_spawn (sandbox, command, flags, &error);
  if (run.process == NULL)
    {
      g_printerr ("sandlock-run: %s\n", error->message);
      if (g_error_matches (error, SANDLOCK_ERROR, SANDLOCK_ERROR_SPAWN_FAILED))
        return spawn_failure_status (command[0]);
      return EXIT_TOOL_FAILED;
    }

  if (options.best_effort)
    warn_missing_protections (run.process);

  /* With --pty the command leads a session of its own, on its own
   * terminal: ours stays ours, and the relay passes everything on. */
  if (options.pty)
    run.pty = sr_pty_start (sandlock_process_get_pty_fd (run.process), on_pty_closed, &run);
  else
    terminal = sr_terminal_hand_over (sandlock_process_get_pid (run.process));

  for (gsize i = 0; i < G_N_ELEMENTS (forwarded); i++)
    {
      forwards[i].run = &run;
      forwards[i].signal_num = forwarded[i];
      sources[i] = g_unix_signal_add (forwarded[i], on_forwarded_signal, &forwards[i]);
    }

  if (forward)
    {
      run.streams[0] = (Forwarding) { &run, sandlock_process_get_stdout_pipe (run.process),
                                      STDOUT_FILENO, "standard output", 0, TRUE };
      run.streams[1] = (Forwarding) { &run, sandlock_process_get_stderr_pipe (run.process),
                                      STDERR_FILENO, "standard error", 0, TRUE };
      for (gsize i = 0; i < G_N_ELEMENTS (run.streams); i++)
        g_input_stream_read_bytes_async (run.streams[i].pipe, 64 * 1024, G_PRIORITY_DEFAULT,
                                         NULL, on_output, &run.streams[i]);
    }

  /* Handlers run on this loop, the default main context's. */
  sandlock_process_wait_async (run.process, NULL, on_waited, &run);
  g_main_loop_run (loop);

  sr_terminal_take_back (terminal);
  sr_pty_stop (run.pty);
  for (gsize i = 0; i < G_N_ELEMENTS (forwarded); i++)
    g_source_remove (sources[i]);
  g_clear_object (&run.process);
  return run.status;
}

/* Messages in the user's language: sandlock-run's and the library's, one
 * domain. SANDLOCK_TEST_LOCALEDIR points the tests at the build tree. */
static void
bind_text_domain (void)
{
  const char *test_dir = g_getenv ("SANDLOCK_TEST_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, test_dir != NULL && *test_dir != '\0' ? test_dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SandlockSandbox) sandbox = NULL;
  g_autoptr(SrAuditLog) log = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_auto(GStrv) args = NULL;
  const char * const *command;
  guint64 max_output = 0;
  guint64 max_memory = 0;
  guint max_processes = 0, max_cpu = 0;
  int status;

  setlocale (LC_ALL, "");
  bind_text_domain ();
  options.audit_syscalls = g_ptr_array_new_with_free_func (g_free);

  context = g_option_context_new ("[--] COMMAND [ARG...]");
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Runs COMMAND confined by Landlock and a seccomp filter, and can log\n"
                                  "its system calls or answer them with an errno."));
  g_option_context_set_description (context, _(description));
  g_option_context_add_main_entries (context, entries, NULL);
  /* Options end at the command: its own options are its business. */
  g_option_context_set_strict_posix (context, TRUE);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    return fail (_("%s (see sandlock-run --help)"), error->message);

  if (options.version)
    {
      g_print ("sandlock-run (sandlock-glib) %s\n", SANDLOCK_VERSION_S);
      return 0;
    }

  command = (const char * const *) args + 1;
  if (command[0] != NULL && g_str_equal (command[0], "--"))
    command++;
  if (command[0] == NULL)
    return fail (_("no command given (usage: sandlock-run [OPTION...] -- COMMAND [ARG...])"));

  rules = parse_deny_rules (&error);
  if (rules == NULL)
    return fail ("%s", error->message);

  if (options.max_output != NULL && !parse_size ("--max-output", options.max_output, &max_output, &error))
    return fail ("%s", error->message);
  /* --max-output reads pipes, which would take the command's output off
   * its terminal. */
  if (options.pty && options.max_output != NULL)
    return fail (_("--pty and --max-output cannot be combined"));
  if ((options.max_processes != NULL &&
       !parse_count ("--max-processes", options.max_processes, G_MAXINT, &max_processes, &error)) ||
      (options.max_memory != NULL &&
       !parse_size ("--max-memory", options.max_memory, &max_memory, &error)) ||
      (options.max_cpu != NULL &&
       !parse_count ("--max-cpu", options.max_cpu, 100 * 1024, &max_cpu, &error)))
    return fail ("%s", error->message);

  if (options.audit_log != NULL)
    {
      int fd = open (options.audit_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);

      if (fd < 0)
        return fail (_("--audit-log '%s': %s"), options.audit_log, g_strerror (errno));
      log = sr_audit_log_new (fd, TRUE);
      if (!options.audit)
        g_ptr_array_add (options.audit_syscalls, g_strdup ("default"));
    }
  else if (options.audit)
    log = sr_audit_log_new (STDERR_FILENO, FALSE);

  sandbox = build_sandbox (rules, log, &error);
  if (sandbox == NULL)
    return fail ("%s", error->message);
  if (options.max_processes != NULL)
    sandlock_sandbox_set_max_processes (sandbox, max_processes);
  sandlock_sandbox_set_max_memory (sandbox, max_memory);
  sandlock_sandbox_set_max_cpu (sandbox, max_cpu);
  sandlock_sandbox_set_cpu_cores (sandbox, options.cpu_cores);
  if (log != NULL)
    sr_audit_log_guard_decisions (log, sandbox);
  sandlock_sandbox_set_pty (sandbox, options.pty);

  status = run_command (sandbox, command, options.max_output != NULL, max_output);

  /* The handlers hold the log: drop them first. */
  g_clear_object (&sandbox);
  return status;
}
