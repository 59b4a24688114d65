# Handlers written in Python, deciding real syscalls of real children.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import os
import signal

import pytest
from gi.repository import GIRepository, Gio, GLib, GObject, Sandlock

from conftest import new_sandbox, probe_argv, run_probe


def test_typelib_and_library_come_from_the_build_tree():
    repo = GIRepository.Repository.get_default()
    assert repo.get_typelib_path("Sandlock") == os.environ["SANDLOCK_TEST_TYPELIB"]
    with open("/proc/self/maps") as maps:
        libraries = {line.split()[-1] for line in maps if "libsandlock-glib" in line}
    assert libraries, "libsandlock-glib is not mapped"
    for library in libraries:
        assert os.path.dirname(library) == os.environ["SANDLOCK_TEST_LIBDIR"]


class OpenAudit(Sandlock.Handler):
    """Records every openat (pid, path) and lets it through."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.opens = []

    def do_handle(self, notification):
        path = notification.read_string(notification.get_arg(1), 4096)
        self.opens.append((notification.get_pid(), path))
        return Sandlock.Action.new_continue()


def test_audit_counts_exactly_the_probe_files_opens(tmp_dir):
    target = os.path.join(tmp_dir, "audited")
    with open(target, "w") as f:
        f.write("x")
    sandbox = new_sandbox(tmp_dir)
    audit = OpenAudit()
    sandbox.add_handler("openat", audit)

    process = sandbox.spawn(probe_argv("read", target, "read", target, "read", target),
                            Gio.SubprocessFlags.STDOUT_PIPE)
    ok, stdout, _ = process.communicate(None, None)
    assert ok and process.get_successful()
    assert stdout.get_data().decode().splitlines() == ["read %s: ok" % target] * 3

    # Three opens of the file, counted by the path the child passed.
    assert [path for _, path in audit.opens].count(target) == 3
    # The dynamic loader's opens were trapped too (the audit sees every
    # openat of the child), and every notification came from the child,
    # none from this interpreter's own opens.
    assert len(audit.opens) > 3
    assert {pid for pid, _ in audit.opens} == {process.get_pid()}


class Answer(Sandlock.Handler):
    """Answers every syscall it is registered on with a fixed action."""

    def __init__(self, make_action, **kwargs):
        super().__init__(**kwargs)
        self.make_action = make_action
        self.calls = 0

    def do_handle(self, notification):
        self.calls += 1
        return self.make_action()


def test_errno_is_observed_by_the_child():
    sandbox = new_sandbox()
    handler = Answer(lambda: Sandlock.Action.new_errno(errno.EPERM))
    sandbox.add_handler("getuid", handler)
    result, lines = run_probe(sandbox, "syscall", "getuid", "syscall", "getpid")
    assert result.get_success()
    assert lines == ["syscall getuid: EPERM", "syscall getpid: ok"]
    assert handler.calls == 1


def test_return_value_is_what_getppid_answers():
    sandbox = new_sandbox()
    sandbox.add_handler("getppid", Answer(lambda: Sandlock.Action.new_return_value(777)))
    result, lines = run_probe(sandbox, "getppid", "getppid")
    assert result.get_success()
    assert lines == ["getppid: 777", "getppid: 777"]


def test_kill_action_kills_the_sandbox():
    sandbox = new_sandbox()
    sandbox.add_handler("getppid", Answer(Sandlock.Action.new_kill))
    result, lines = run_probe(sandbox, "print", "before", "getppid", "print", "after")
    assert result.get_term_signal() == signal.SIGKILL
    assert not result.get_success()
    assert lines == ["before"]


class DenyOnePath(Sandlock.Handler):
    """Reads the openat path from the child's memory and refuses one file."""

    def __init__(self, denied, **kwargs):
        super().__init__(**kwargs)
        self.denied = denied
        self.paths = []

    def do_handle(self, notification):
        path = notification.read_string(notification.get_arg(1), 4096)
        self.paths.append(path)
        if path == self.denied:
            # A decision taken from the child's memory: answer, never continue.
            return Sandlock.Action.new_errno(errno.EACCES)
        return Sandlock.Action.new_continue()


def test_read_string_decodes_the_path_and_denies_that_one_file(tmp_dir):
    secret = os.path.join(tmp_dir, "secret")
    public = os.path.join(tmp_dir, "public")
    for path in (secret, public):
        with open(path, "w") as f:
            f.write("x")
    sandbox = new_sandbox(tmp_dir)
    handler = DenyOnePath(secret)
    sandbox.add_handler("openat", handler)

    result, lines = run_probe(sandbox, "read", public, "read", secret, "read", public)
    assert result.get_success()
    # Landlock grants both files: only the handler tells them apart.
    assert lines == ["read %s: ok" % public, "read %s: EACCES" % secret, "read %s: ok" % public]
    assert handler.paths.count(secret) == 1
    assert handler.paths.count(public) == 2


def test_handlers_chain_in_registration_order():
    sandbox = new_sandbox()
    first = Answer(Sandlock.Action.new_continue)
    second = Answer(lambda: Sandlock.Action.new_errno(errno.EACCES))
    third = Answer(lambda: Sandlock.Action.new_errno(errno.EPERM))
    for handler in (first, second, third):
        sandbox.add_handler("getuid", handler)
    result, lines = run_probe(sandbox, "syscall", "getuid")
    assert lines == ["syscall getuid: EACCES"]
    assert (first.calls, second.calls, third.calls) == (1, 1, 0)


def test_empty_handler_list_runs_the_command_unchanged():
    sandbox = new_sandbox()
    result, lines = run_probe(sandbox, "syscall", "getuid", "print", "done")
    assert result.get_success()
    assert lines == ["syscall getuid: ok", "done"]


def test_a_non_handler_is_rejected_with_a_clear_exception():
    sandbox = new_sandbox()
    for not_a_handler in (object(), GObject.Object(), Sandlock.Sandbox()):
        with pytest.raises(TypeError, match="Sandlock.Handler"):
            sandbox.add_handler("getppid", not_a_handler)
    # Nothing was registered: the child is unaffected.
    result, lines = run_probe(sandbox, "getppid")
    assert result.get_success()
    assert len(lines) == 1 and int(lines[0].removeprefix("getppid: ")) > 0


def test_an_unknown_syscall_name_is_rejected_with_a_clear_exception():
    sandbox = new_sandbox()
    with pytest.raises(GLib.Error) as raised:
        sandbox.add_handler("no_such_syscall", Answer(Sandlock.Action.new_kill))
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_SYSCALL)
    assert "no_such_syscall" in raised.value.message


def test_a_denied_syscall_cannot_take_a_handler():
    sandbox = new_sandbox()
    with pytest.raises(GLib.Error) as raised:
        sandbox.add_handler("ptrace", Answer(Sandlock.Action.new_continue))
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.DENIED_SYSCALL)


def test_handler_subclass_state_survives_across_notifications():
    # The same Python object is dispatched to each time, not a copy.
    sandbox = new_sandbox()
    handler = Answer(lambda: Sandlock.Action.new_return_value(handler.calls))
    sandbox.add_handler("getppid", handler)
    result, lines = run_probe(sandbox, "getppid", "getppid", "getppid")
    assert lines == ["getppid: 1", "getppid: 2", "getppid: 3"]
