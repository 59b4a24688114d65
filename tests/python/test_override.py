# The PyGObject override (python/gi/overrides/Sandlock.py), loaded from the
# source tree: Ctrl-C, exceptions in handlers, Sandlock.Error, and the
# conveniences it adds. Ctrl-C is tested on a real script in a child
# process, interrupted by a real SIGINT once its sandboxed command runs.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import HANG_SECONDS, GLib, Sandlock, new_sandbox, probe_argv, readable_paths

PYTHON = "/usr/bin/python3"


def test_the_override_is_the_source_trees():
    import gi.overrides.Sandlock as override
    source_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert os.path.dirname(override.__file__) == os.path.join(source_root, "python", "gi", "overrides")
    assert Sandlock.Sandbox is override.Sandbox


# ---- Ctrl-C -------------------------------------------------------------------

SCRIPT = textwrap.dedent("""
    import os, sys
    import gi
    gi.require_version("Sandlock", "1")
    from gi.repository import Sandlock

    readable, marker, mode = sys.argv[1].split(":"), sys.argv[2], sys.argv[3]
    # The command writes its pid to the marker, then makes getppid() calls
    # (answered by a Python handler in "handler" mode) until killed.
    command = [{python!r}, "-c",
               "import os, sys, time\\n"
               "open(sys.argv[1], 'w').write(str(os.getpid()))\\n"
               "while True:\\n"
               "    os.getppid(); time.sleep(0.001)\\n", marker]
    sandbox = Sandlock.Sandbox(fs_readable=readable,
                               fs_writable=[os.path.dirname(marker)], timeout=120)

    class Continue(Sandlock.Handler):
        def do_handle(self, notification):
            return Sandlock.Action.new_continue()

    if mode == "handler":
        sandbox.add_handler("getppid", Continue())
    try:
        if mode == "wait":
            process = sandbox.spawn(command, 0)
            process.wait(None)
        else:
            sandbox.run(command)
    except KeyboardInterrupt:
        print("KeyboardInterrupt", flush=True)
        sys.exit(0)
    print("returned without an interrupt", flush=True)
    sys.exit(1)
""").format(python=PYTHON)


def pid_gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("mode", ["run", "handler", "wait"])
def test_ctrl_c_kills_the_sandbox_and_raises_keyboard_interrupt(tmp_dir, mode):
    marker = os.path.join(tmp_dir, "started")
    script = subprocess.Popen([PYTHON, "-c", SCRIPT, ":".join(readable_paths()), marker, mode],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ))
    try:
        deadline = time.monotonic() + HANG_SECONDS
        while not (os.path.exists(marker) and open(marker).read()):
            assert script.poll() is None, script.communicate()
            assert time.monotonic() < deadline, "the command never started"
            time.sleep(0.01)
        command_pid = int(open(marker).read())
        script.send_signal(signal.SIGINT)
        out, err = script.communicate(timeout=HANG_SECONDS)
    finally:
        if script.poll() is None:
            script.kill()
    assert out == "KeyboardInterrupt\n", (out, err)
    assert script.returncode == 0, err
    # Not swallowed inside the handler, and nothing left running.
    assert "Traceback" not in err, err
    assert pid_gone(command_pid)


def test_a_program_handling_sigint_keeps_its_handler(tmp_dir):
    script = textwrap.dedent("""
        import os, signal, sys
        import gi
        gi.require_version("Sandlock", "1")
        from gi.repository import Sandlock
        seen = []
        signal.signal(signal.SIGINT, lambda *a: seen.append(1))
        directory = sys.argv[2]
        sandbox = Sandlock.Sandbox(fs_readable=sys.argv[1].split(":"),
                                   fs_writable=[directory], timeout=60)
        # The command says it runs, then waits for the test to have sent
        # the interrupt: the script's handler runs, the run goes on.
        result = sandbox.run(["/bin/sh", "-c",
                              'touch "$1/started"; while [ ! -e "$1/go" ]; do sleep 0.01; done; exit 3',
                              "sh", directory])
        print(result.get_exit_status(), len(seen), flush=True)
    """)
    process = subprocess.Popen([PYTHON, "-c", script, ":".join(readable_paths()), tmp_dir],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + HANG_SECONDS
        while not os.path.exists(os.path.join(tmp_dir, "started")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the command never started"
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        open(os.path.join(tmp_dir, "go"), "w").close()
        out, err = process.communicate(timeout=HANG_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
    assert out == "3 1\n", (out, err)


# ---- handlers -----------------------------------------------------------------

def test_an_exception_in_do_handle_reaches_handler_error():
    class Failing(Sandlock.Handler):
        def do_handle(self, notification):
            raise ValueError("no getppid today")

    sandbox = new_sandbox()
    errors = []
    sandbox.connect("handler-error", lambda sb, handler, notification, error:
                    errors.append((handler, notification.get_syscall_name(), error)))
    handler = Failing(exception_policy=Sandlock.ExceptionPolicy.DENY_EPERM)
    sandbox.add_handler("getppid", handler)
    result = sandbox.run(probe_argv("syscall", "getppid"))
    assert result.stdout_text == "syscall getppid: EPERM\n"
    assert len(errors) == 1
    reported_handler, syscall, error = errors[0]
    assert reported_handler is handler and syscall == "getppid"
    assert error.matches(Sandlock.error_quark(), Sandlock.Error.HANDLER_FAILED)
    assert "ValueError" in error.message and "no getppid today" in error.message


def test_a_glib_error_in_do_handle_is_reported_as_it_is():
    class Failing(Sandlock.Handler):
        def do_handle(self, notification):
            raise GLib.Error("my own", "my-domain", 5)

    sandbox = new_sandbox()
    errors = []
    sandbox.connect("handler-error", lambda sb, h, n, error: errors.append(error))
    sandbox.add_handler("getppid", Failing(exception_policy=Sandlock.ExceptionPolicy.DENY_EIO))
    assert sandbox.run(probe_argv("syscall", "getppid")).stdout_text == "syscall getppid: EIO\n"
    assert [(e.domain, e.code, e.message) for e in errors] == [("my-domain", 5, "my own")]


def test_a_coroutine_do_handle_is_refused_when_defined():
    with pytest.raises(TypeError, match="coroutine"):
        class Async(Sandlock.Handler):
            async def do_handle(self, notification):
                return Sandlock.Action.new_continue()


def test_a_dropped_deferral_reaches_handler_error():
    class Dropping(Sandlock.Handler):
        def do_handle(self, notification):
            # Deferred, but the notification is not kept: as if the code
            # meant to answer had raised.
            return Sandlock.Action.new_defer()

    sandbox = new_sandbox()
    errors = []
    sandbox.connect("handler-error", lambda sb, handler, notification, error:
                    errors.append((handler, notification, error)))
    handler = Dropping(exception_policy=Sandlock.ExceptionPolicy.DENY_EIO)
    sandbox.add_handler("getppid", handler)
    result = sandbox.run(probe_argv("syscall", "getppid"))
    assert result.stdout_text == "syscall getppid: EIO\n"
    assert len(errors) == 1
    assert errors[0][0] is handler and errors[0][1] is None
    assert errors[0][2].matches(Sandlock.error_quark(), Sandlock.Error.HANDLER_FAILED)


def test_notification_args_is_a_tuple():
    seen = []

    class Recording(Sandlock.Handler):
        def do_handle(self, notification):
            seen.append(notification.args)
            return Sandlock.Action.new_continue()

    sandbox = new_sandbox()
    sandbox.add_handler("umask", Recording())
    result = sandbox.run([PYTHON, "-c", "import os; os.umask(0o27)"])
    assert result.get_exit_status() == 0, result.stderr
    assert seen and all(isinstance(args, tuple) and len(args) == 6 for args in seen)
    assert 0o27 in [args[0] for args in seen]


# ---- errors -------------------------------------------------------------------

def test_library_errors_are_sandlock_errors():
    class Continue(Sandlock.Handler):
        def do_handle(self, notification):
            return Sandlock.Action.new_continue()

    sandbox = new_sandbox()
    with pytest.raises(Sandlock.Error) as caught:
        sandbox.add_handler("ptrace", Continue())
    assert isinstance(caught.value, GLib.Error)
    assert caught.value.code == Sandlock.Error.DENIED_SYSCALL
    assert caught.value.matches(Sandlock.error_quark(), Sandlock.Error.DENIED_SYSCALL)


def test_other_domains_stay_glib_errors():
    from gi.repository import Gio
    cancellable = Gio.Cancellable()
    cancellable.cancel()
    with pytest.raises(GLib.Error) as caught:
        new_sandbox().run(probe_argv("exit", "0"), None, cancellable)
    assert not isinstance(caught.value, Sandlock.Error)
    assert caught.value.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


def test_new_errno_out_of_range_raises():
    for bad in (0, -1, 4096):
        with pytest.raises(Sandlock.Error) as caught:
            Sandlock.Action.new_errno(bad)
        assert caught.value.code == Sandlock.Error.INVALID_POLICY


# ---- conveniences -------------------------------------------------------------

def test_result_bytes_and_text():
    result = new_sandbox().run(probe_argv("print", "héllo"))
    assert result.stdout == "héllo\n".encode()
    assert result.stdout_text == "héllo\n"
    assert result.stderr == b"" and result.stderr_text == ""
    assert repr(result) == "<Sandlock.Result exit status 0>"


def test_run_takes_bytes_as_stdin():
    result = new_sandbox().run(["/bin/cat"], b"from stdin")
    assert result.stdout == b"from stdin"


def test_actions_compare_and_print():
    assert Sandlock.Action.new_errno(errno.EPERM) == Sandlock.Action.new_errno(errno.EPERM)
    assert Sandlock.Action.new_errno(errno.EPERM) != Sandlock.Action.new_errno(errno.EACCES)
    assert Sandlock.Action.new_return_value(7) == Sandlock.Action.new_return_value(7)
    assert Sandlock.Action.new_return_value(7) != Sandlock.Action.new_errno(7)
    assert Sandlock.Action.new_kill() == Sandlock.Action.new_kill()
    assert len({Sandlock.Action.new_continue(), Sandlock.Action.new_continue()}) == 1
    assert repr(Sandlock.Action.new_errno(errno.EPERM)) == "<Sandlock.Action errno(EPERM)>"
    assert repr(Sandlock.Action.new_return_value(7)) == "<Sandlock.Action return-value(7)>"
    assert repr(Sandlock.Action.new_continue()) == "<Sandlock.Action continue>"


def test_every_property_has_a_blurb():
    from gi.repository import GObject
    missing = []
    for name in dir(Sandlock):
        cls = getattr(Sandlock, name)
        if isinstance(cls, type) and issubclass(cls, GObject.Object):
            for pspec in GObject.list_properties(cls):
                if pspec.owner_type.name.startswith("Sandlock") and not pspec.blurb:
                    missing.append("%s:%s" % (pspec.owner_type.name, pspec.name))
    assert missing == []
    import pydoc
    assert "TCP ports and port ranges the command may connect to" in \
        pydoc.render_doc(Sandlock.Sandbox, renderer=pydoc.plaintext)
