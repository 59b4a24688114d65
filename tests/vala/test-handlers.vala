/* test-handlers.vala: handlers written in Vala against the generated vapi,
 * deciding real syscalls of real children.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const int EPERM = 1;
const int SIGKILL = 9;
const uint HANG_SECONDS = 60;

string probe;

Sandlock.Sandbox new_sandbox (string[] extra = {}) {
  string[] paths = {};
  foreach (unowned string p in new string[] { "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ld.so.cache" })
    if (FileUtils.test (p, FileTest.EXISTS))
      paths += p;
  paths += Path.get_dirname (probe);
  foreach (unowned string p in extra)
    paths += p;
  return new Sandlock.Sandbox () { fs_readable = paths, timeout = 30 };
}

string[] probe_argv (string[] commands) {
  string[] argv = { probe };
  foreach (unowned string c in commands)
    argv += c;
  return argv;
}

string[] output_lines (Sandlock.Result result) {
  unowned uint8[] data = result.get_stdout ().get_data ();
  var text = new StringBuilder ();
  text.append_len ((string) data, data.length);
  string[] lines = {};
  foreach (unowned string line in text.str.split ("\n"))
    if (line != "")
      lines += line;
  return lines;
}

void assert_lines (string[] actual, string[] expected) {
  var a = string.joinv ("\n", actual), e = string.joinv ("\n", expected);
  if (a != e)
    error ("expected the output\n%s\ngot\n%s", e, a);
}

Sandlock.Result run_probe (Sandlock.Sandbox sandbox, string[] commands) {
  try {
    return sandbox.run (probe_argv (commands));
  } catch (GLib.Error e) {
    error ("run failed: %s", e.message);
  }
}

class Audit : Sandlock.Handler {
  public string target;
  public int target_opens = 0;
  public int all_opens = 0;

  public Audit (string target) {
    this.target = target;
  }

  public override Sandlock.Action handle (Sandlock.Notification n) throws GLib.Error {
    var path = n.read_string (n.get_arg (1), 4096);
    all_opens++;
    if (path == target)
      target_opens++;
    return new Sandlock.Action.@continue ();
  }
}

class Deny : Sandlock.Handler {
  public int calls = 0;

  public override Sandlock.Action handle (Sandlock.Notification n) throws GLib.Error {
    calls++;
    return new Sandlock.Action.errno (EPERM);
  }
}

class Thrower : Sandlock.Handler {
  public int calls = 0;

  public override Sandlock.Action handle (Sandlock.Notification n) throws GLib.Error {
    calls++;
    throw new Sandlock.Error.MEMORY_ACCESS ("thrown by the Vala handler");
  }
}

class Deferring : Sandlock.Handler {
  public string[] events = {};

  public override Sandlock.Action handle (Sandlock.Notification n) throws GLib.Error {
    events += "deferred";
    Timeout.add (20, () => {
      events += "pending %s".printf (n.is_pending ().to_string ());
      try {
        events += "respond %s".printf (n.respond (new Sandlock.Action.return_value (777)).to_string ());
      } catch (GLib.Error e) {
        events += "respond failed: " + e.message;
      }
      return Source.REMOVE;
    });
    return new Sandlock.Action.defer ();
  }
}

void test_audit () {
  string dir;
  try {
    dir = DirUtils.make_tmp ("sandlock-vala-XXXXXX");
    FileUtils.set_contents (dir + "/audited", "x");
  } catch (GLib.Error e) {
    error ("%s", e.message);
  }
  var target = dir + "/audited";
  var sandbox = new_sandbox ({ dir });
  var audit = new Audit (target);
  try {
    sandbox.add_handler ("openat", audit);
  } catch (GLib.Error e) {
    error ("%s", e.message);
  }

  var result = run_probe (sandbox, { "read", target, "read", target, "read", target });
  assert_true (result.get_success ());
  var line = "read %s: ok".printf (target);
  assert_lines (output_lines (result), { line, line, line });
  assert_cmpint (audit.target_opens, CompareOperator.EQ, 3);
  /* The dynamic loader's opens were trapped too. */
  assert_cmpint (audit.all_opens, CompareOperator.GT, 3);

  FileUtils.unlink (target);
  DirUtils.remove (dir);
}

void test_errno () {
  var sandbox = new_sandbox ();
  var deny = new Deny ();
  try {
    sandbox.add_handler ("getuid", deny);
  } catch (GLib.Error e) {
    error ("%s", e.message);
  }
  var result = run_probe (sandbox, { "syscall", "getuid", "syscall", "getpid" });
  assert_true (result.get_success ());
  assert_lines (output_lines (result), { "syscall getuid: EPERM", "syscall getpid: ok" });
  assert_cmpint (deny.calls, CompareOperator.EQ, 1);
}

void run_thrower (Sandlock.ExceptionPolicy policy, out Sandlock.Result result, out int errors) {
  var sandbox = new_sandbox ();
  var thrower = new Thrower () { exception_policy = policy };
  int emitted = 0;
  sandbox.handler_error.connect ((handler, notification, error) => {
    assert_true (handler == thrower);
    assert_cmpstr (notification.get_syscall_name (), CompareOperator.EQ, "getuid");
    assert_error (error, Sandlock.Error.quark (), Sandlock.Error.MEMORY_ACCESS);
    assert_cmpstr (error.message, CompareOperator.EQ, "thrown by the Vala handler");
    emitted++;
  });
  try {
    sandbox.add_handler ("getuid", thrower);
  } catch (GLib.Error e) {
    error ("%s", e.message);
  }
  result = run_probe (sandbox, { "print", "before", "syscall", "getuid", "print", "after" });
  assert_cmpint (thrower.calls, CompareOperator.EQ, 1);
  errors = emitted;
}

void test_thrown_error_deny () {
  Sandlock.Result result;
  int errors;
  run_thrower (Sandlock.ExceptionPolicy.DENY_EPERM, out result, out errors);
  assert_true (result.get_success ());
  assert_lines (output_lines (result), { "before", "syscall getuid: EPERM", "after" });
  assert_cmpint (errors, CompareOperator.EQ, 1);
}

void test_thrown_error_kill () {
  Sandlock.Result result;
  int errors;
  run_thrower (Sandlock.ExceptionPolicy.KILL, out result, out errors);
  assert_cmpint (result.get_term_signal (), CompareOperator.EQ, SIGKILL);
  assert_lines (output_lines (result), { "before" });
  assert_cmpint (errors, CompareOperator.EQ, 1);
}

void test_deferred_on_main_loop () {
  var sandbox = new_sandbox ();
  var deferring = new Deferring ();
  try {
    sandbox.add_handler ("getppid", deferring);
  } catch (GLib.Error e) {
    error ("%s", e.message);
  }

  var loop = new MainLoop ();
  Sandlock.Result? result = null;
  sandbox.run_async.begin (probe_argv ({ "getppid", "print", "after" }), null, null, (obj, res) => {
    try {
      result = sandbox.run_async.end (res);
    } catch (GLib.Error e) {
      error ("run_async failed: %s", e.message);
    }
    loop.quit ();
  });
  var hang = Timeout.add_seconds (HANG_SECONDS, () => {
    error ("run_async did not finish within %u seconds", HANG_SECONDS);
  });
  loop.run ();
  Source.remove (hang);

  assert_lines (output_lines (result), { "getppid: 777", "after" });
  assert_lines (deferring.events, { "deferred", "pending true", "respond true" });
}

int main (string[] args) {
  Test.init (ref args);
  probe = Environment.get_variable ("SANDLOCK_TEST_PROBE");
  if (probe == null)
    error ("SANDLOCK_TEST_PROBE is not set");

  Test.add_func ("/vala/audit", test_audit);
  Test.add_func ("/vala/errno", test_errno);
  Test.add_func ("/vala/thrown-error/deny-eperm", test_thrown_error_deny);
  Test.add_func ("/vala/thrown-error/kill", test_thrown_error_kill);
  Test.add_func ("/vala/deferred-on-main-loop", test_deferred_on_main_loop);
  return Test.run ();
}
