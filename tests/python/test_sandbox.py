# SandlockSandbox from Python: policy given as constructor keywords,
# run() and run_async() on a GLib.MainLoop.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import os
import signal

import pytest
from gi.repository import Gio, GLib, Sandlock

from conftest import (HANG_SECONDS, PROBE, new_sandbox, output_lines, probe_argv, readable_paths,
                      run_on_main_loop, run_probe)


def test_policy_given_as_constructor_keywords(tmp_dir):
    granted = os.path.join(tmp_dir, "granted")
    os.mkdir(granted)
    inside = os.path.join(granted, "file")
    outside = os.path.join(tmp_dir, "outside")
    for path in (inside, outside):
        with open(path, "w") as f:
            f.write("x")

    sandbox = Sandlock.Sandbox(fs_readable=readable_paths(granted),
                               env=["SANDLOCK_PY=keyword"],
                               timeout=5)
    assert sandbox.props.fs_readable == readable_paths(granted)
    assert sandbox.get_fs_readable() == readable_paths(granted)
    assert sandbox.props.timeout == 5
    assert sandbox.get_env() == ["SANDLOCK_PY=keyword"]
    assert sandbox.props.fs_writable == []

    result, lines = run_probe(sandbox, "read", inside, "read", outside, "write", inside, "env")
    assert result.get_success()
    assert lines[:3] == ["read %s: ok" % inside, "read %s: EACCES" % outside,
                         "write %s: EACCES" % inside]
    assert "env: SANDLOCK_PY=keyword" in lines[3:]


def test_fs_writable_keyword(tmp_dir):
    sandbox = new_sandbox(fs_writable=[tmp_dir])
    target = os.path.join(tmp_dir, "written")
    result, lines = run_probe(sandbox, "write", target)
    assert lines == ["write %s: ok" % target]
    with open(target) as f:
        assert f.read() == "x"


def test_an_invalid_policy_is_a_glib_error():
    sandbox = Sandlock.Sandbox(fs_readable=["relative/path"])
    with pytest.raises(GLib.Error) as raised:
        sandbox.run([PROBE], None, None)
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_POLICY)
    assert "relative/path" in raised.value.message


def test_net_allow_and_net_deny_properties():
    sandbox = Sandlock.Sandbox(net_allow=["*:443", "udp:[::1]:53"], net_deny=["10.0.0.0/8:*"])
    assert sandbox.props.net_allow == ["*:443", "udp:[::1]:53"]
    assert sandbox.get_net_deny() == ["10.0.0.0/8:*"]
    sandbox.set_net_deny(["[2001:db8::1/32]:80"])
    with pytest.raises(GLib.Error) as raised:
        sandbox.run([PROBE], None, None)
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_POLICY)
    assert raised.value.message == ("net-deny: Invalid rule '[2001:db8::1/32]:80': "
                                    "the address has bits set past its prefix length")


def test_unix_connect_property_and_guard_decisions(tmp_dir):
    import socket
    os.chmod(tmp_dir, 0o755)
    granted = os.path.join(tmp_dir, "granted.sock")
    other = os.path.join(tmp_dir, "other.sock")
    receivers = []
    for path in (granted, other):
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.bind(path)
        receivers.append(receiver)
    try:
        sandbox = new_sandbox(unix_connect=[granted])
        assert sandbox.props.unix_connect == [granted]
        assert sandbox.get_unix_connect() == [granted]
        decisions = []
        sandbox.connect("guard-decision",
                        lambda sb, guard, syscall, pid, destination, error, rule:
                            decisions.append((guard, syscall, destination, error, rule)))
        result, lines = run_probe(sandbox, "unix-send", granted, "unix-send", other)
        assert lines == ["unix-sendto %s: ok" % granted, "unix-sendmsg %s: ok" % granted,
                         "unix-sendto %s: EACCES" % other, "unix-sendmsg %s: EACCES" % other]
        assert decisions == [
            ("egress", "sendto", "unix:" + granted, 0, granted),
            ("egress", "sendmsg", "unix:" + granted, 0, granted),
            ("egress", "sendto", "unix:" + other, errno.EACCES, None),
            ("egress", "sendmsg", "unix:" + other, errno.EACCES, None),
        ]
        assert receivers[0].recv(16, socket.MSG_DONTWAIT) == b"probe"
        with pytest.raises(BlockingIOError):
            receivers[1].recv(16, socket.MSG_DONTWAIT)
    finally:
        for receiver in receivers:
            receiver.close()


def test_a_missing_program_is_a_spawn_error():
    sandbox = new_sandbox()
    with pytest.raises(GLib.Error) as raised:
        sandbox.run(["/nonexistent/program"], None, None)
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.SPAWN_FAILED)


def test_timeout_keyword_kills_the_command():
    sandbox = new_sandbox(timeout=1)
    result, lines = run_probe(sandbox, "print", "started", "sleep", "60", "print", "never")
    assert result.get_timed_out()
    assert result.get_term_signal() == signal.SIGKILL
    assert lines == ["started"]


def test_run_passes_stdin_and_captures_both_streams():
    sandbox = new_sandbox()
    result = sandbox.run(probe_argv("stdin", "stderr", "to-stderr", "exit", "3"),
                         GLib.Bytes.new(b"hello"), None)
    assert output_lines(result) == ["stdin: hello (5 bytes)"]
    assert result.get_stderr().get_data() == b"to-stderr\n"
    assert result.get_exit_status() == 3 and not result.get_success()
    assert result.props.exit_status == 3


class Counter(Sandlock.Handler):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0
        self.on_main_thread = True

    def do_handle(self, n):
        self.calls += 1
        # run_async dispatches on the thread-default context: here the
        # global default one, which the main loop owns.
        self.on_main_thread &= GLib.MainContext.default().is_owner()
        return Sandlock.Action.new_return_value(777)


def test_run_async_driven_by_a_glib_main_loop():
    sandbox = new_sandbox()
    counter = Counter()
    sandbox.add_handler("getppid", counter)
    result = run_on_main_loop(sandbox, probe_argv("getppid", "sleep", "0.1", "getppid"))
    assert output_lines(result) == ["getppid: 777", "getppid: 777"]
    assert counter.calls == 2 and counter.on_main_thread


def test_run_async_reports_errors_through_run_finish():
    sandbox = new_sandbox()
    with pytest.raises(GLib.Error) as raised:
        run_on_main_loop(sandbox, ["/nonexistent/program"])
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.SPAWN_FAILED)


def test_run_async_cancelled_kills_the_sandbox():
    sandbox = new_sandbox()
    cancellable = Gio.Cancellable()
    loop = GLib.MainLoop()
    outcome = {}

    def done(source, async_result, user_data):
        try:
            source.run_finish(async_result)
        except GLib.Error as error:
            outcome["error"] = error
        loop.quit()

    def hang():
        outcome["hang"] = True
        loop.quit()

    sandbox.run_async(probe_argv("sleep", "60"), None, cancellable, done, None)
    GLib.timeout_add(50, cancellable.cancel)
    hang_id = GLib.timeout_add_seconds(HANG_SECONDS, hang)
    loop.run()
    assert "hang" not in outcome, "the cancelled run did not finish"
    GLib.source_remove(hang_id)
    assert outcome["error"].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


def test_max_output_property_and_result():
    sandbox = new_sandbox()
    assert sandbox.props.max_output == 64 * 1024 * 1024
    sandbox = new_sandbox(max_output=1000)
    assert sandbox.get_max_output() == 1000
    sandbox.set_max_output(4096)
    assert sandbox.props.max_output == 4096

    # Far more than a pipe holds beyond the limit: the command is still
    # writing when the limit kills it (with 100000 bytes it could finish
    # first, the reader having emptied the pipe once).
    result, lines = run_probe(sandbox, "spew", "10000000", "print", "never")
    assert result.get_output_limit_exceeded()
    assert result.props.output_limit_exceeded
    assert not result.get_success()
    assert result.get_term_signal() == signal.SIGKILL
    assert result.get_stdout().get_data() == b"x" * 4096

    result, lines = run_probe(sandbox, "print", "small")
    assert not result.props.output_limit_exceeded
    assert result.get_success() and lines == ["small"]


def test_max_output_communicate_raises_the_output_limit_error():
    sandbox = new_sandbox(max_output=4096)
    process = sandbox.spawn(probe_argv("spew-stderr", "10000000"), Gio.SubprocessFlags.STDERR_PIPE)
    with pytest.raises(GLib.Error) as raised:
        process.communicate(None, None)
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.OUTPUT_LIMIT)
    assert "standard error" in raised.value.message
    assert process.get_output_limit_exceeded()
    with pytest.raises(GLib.Error) as raised:
        process.wait_check(None)
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.OUTPUT_LIMIT)
