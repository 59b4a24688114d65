/* sandlock-example.vala: run a command confined, watch and filter its opens
 *
 *   sandlock-example-vala [COMMAND [ARGS...]]
 *
 * The Vala version of sandlock-example.c: runs COMMAND (by default:
 * sh -c 'cat /etc/hostname; cat /etc/shadow') with the system directories
 * and /etc readable, prints one line for each file it opens, refuses
 * /etc/shadow with EACCES, and prints the result.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const string DENIED_PATH = "/etc/shadow";
const int EACCES = 13;

/* A handler is a subclass of Sandlock.Handler overriding handle (). */
class OpenFilter : Sandlock.Handler {
  public override Sandlock.Action handle (Sandlock.Notification notification) throws GLib.Error {
    /* openat (dirfd, pathname, flags, mode): the path is argument 1. If it
     * cannot be read, the error thrown makes the exception policy answer. */
    var path = notification.read_string (notification.get_arg (1), 4096);

    if (path == DENIED_PATH) {
      stdout.printf ("open %-30s denied by the handler (EACCES)\n", path);
      /* A decision taken from the child's memory: answer it, never continue.
       * Even so this denial is a demonstration, not a protection: another
       * thread of the child could change the path after this check, and the
       * other opens do continue. What protects a file is not granting it to
       * Landlock (this example grants all of /etc to show the handler). */
      return new Sandlock.Action.errno (EACCES);
    }

    stdout.printf ("open %-30s passed on to Landlock\n", path);
    return new Sandlock.Action.@continue ();
  }
}

int main (string[] args) {
  string[] command = args.length > 1 ? args[1:args.length]
                                     : new string[] { "sh", "-c", "cat /etc/hostname; cat " + DENIED_PATH };

  var sandbox = new Sandlock.Sandbox () {
    fs_readable = { "/usr", "/lib", "/lib64", "/bin", "/etc" },
    /* The command gets PATH and a few basics, not this program's whole
     * environment. */
    clean_env = true,
    /* The C locale spares the child (and this output) the locale files. */
    env = { "LC_ALL=C" },
    timeout = 30
  };

  try {
    sandbox.add_handler ("openat", new OpenFilter ());

    /* run () drives its own main context: the handler runs in this thread. */
    var result = sandbox.run (command);

    stdout.printf ("--- stdout\n");
    stdout.write (result.get_stdout ().get_data ());
    stdout.printf ("--- stderr\n");
    stdout.write (result.get_stderr ().get_data ());
    stdout.printf ("--- exit status %d%s\n", result.get_exit_status (),
                   result.get_timed_out () ? " (timed out)" : "");
  } catch (GLib.Error e) {
    stderr.printf ("%s\n", e.message);
    return 1;
  }
  return 0;
}
