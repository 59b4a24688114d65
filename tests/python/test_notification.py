# SandlockNotification seen from Python: its fields against the real
# syscall, access to the child's memory, deferred answers, and what a
# notification kept past its answer still allows.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import ctypes
import ctypes.util
import errno
import os

import pytest
from gi.repository import Gio, GLib, Sandlock

from conftest import new_sandbox, probe_argv, run_on_main_loop, run_probe

AT_FDCWD = -100


def libseccomp():
    """libseccomp through ctypes: an oracle for syscall numbers and the
    native architecture that does not go through sandlock-glib."""
    name = ctypes.util.find_library("seccomp")
    assert name is not None, "libseccomp is not installed"
    lib = ctypes.CDLL(name)
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_arch_native.restype = ctypes.c_uint32
    return lib


def executable_mappings(pid):
    """(start, end, path) of the executable mappings of process pid."""
    mappings = []
    with open("/proc/%d/maps" % pid) as maps:
        for line in maps:
            fields = line.split()
            if "x" in fields[1]:
                start, end = (int(x, 16) for x in fields[0].split("-"))
                mappings.append((start, end, fields[5] if len(fields) > 5 else ""))
    return mappings


class Recorder(Sandlock.Handler):
    """Records the fields of each openat of one path while it is pending."""

    def __init__(self, path, **kwargs):
        super().__init__(**kwargs)
        self.path = path
        self.records = []

    def do_handle(self, n):
        if n.read_string(n.get_arg(1), 4096) == self.path:
            ip = n.get_instruction_pointer()
            self.records.append({
                "pending": n.is_pending(),
                "id": n.get_id(),
                "pid": n.get_pid(),
                "nr": n.get_syscall(),
                "name": n.get_syscall_name(),
                "arch": n.get_arch(),
                "args": [n.get_arg(i) for i in range(6)],
                "ip_mapping": [path for start, end, path in executable_mappings(n.get_pid())
                               if start <= ip < end],
            })
        return Sandlock.Action.new_continue()


def test_notification_fields_match_the_real_syscall(tmp_dir):
    target = os.path.join(tmp_dir, "file")
    with open(target, "w") as f:
        f.write("x")
    sandbox = new_sandbox(tmp_dir)
    recorder = Recorder(target)
    sandbox.add_handler("openat", recorder)

    process = sandbox.spawn(probe_argv("read", target, "read", target),
                            Gio.SubprocessFlags.STDOUT_PIPE)
    ok, stdout, _ = process.communicate(None, None)
    assert ok and process.get_successful()

    seccomp = libseccomp()
    assert len(recorder.records) == 2
    for record in recorder.records:
        assert record["pending"]
        assert record["pid"] == process.get_pid()
        assert record["name"] == "openat"
        assert record["nr"] == seccomp.seccomp_syscall_resolve_name(b"openat")
        assert record["arch"] == seccomp.seccomp_arch_native()
        # The probe calls open (path, O_RDONLY | O_CLOEXEC): the C library
        # makes it openat (AT_FDCWD, path, flags, 0).
        dirfd, _, flags, mode = record["args"][:4]
        assert ctypes.c_int(dirfd & 0xFFFFFFFF).value == AT_FDCWD
        assert flags & 0xFFFFFFFF == os.O_RDONLY | os.O_CLOEXEC
        assert mode & 0xFFFFFFFF == 0
        # The syscall instruction is in the C library's code.
        assert len(record["ip_mapping"]) == 1
        assert os.path.basename(record["ip_mapping"][0]).startswith("libc")
    assert recorder.records[0]["id"] != recorder.records[1]["id"]


class Keeper(Sandlock.Handler):
    """Keeps every notification past its answer."""

    def __init__(self, action, **kwargs):
        super().__init__(**kwargs)
        self.action = action
        self.kept = []

    def do_handle(self, n):
        self.kept.append(n)
        return self.action()


def assert_gone(call):
    with pytest.raises(GLib.Error) as raised:
        call()
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.NOTIFICATION_GONE)


def test_a_notification_kept_after_do_handle_returns_fails_safe():
    sandbox = new_sandbox()
    keeper = Keeper(lambda: Sandlock.Action.new_return_value(777))
    sandbox.add_handler("getcwd", keeper)
    result, lines = run_probe(sandbox, "getcwd")
    # getcwd answered 777 but wrote nothing: the buffer stays empty.
    assert lines == ["getcwd: "]

    [n] = keeper.kept
    assert not n.is_pending()
    # Its fields stay readable; the child's memory and answering do not.
    assert n.get_syscall_name() == "getcwd"
    buffer = n.get_arg(0)
    assert_gone(lambda: n.read(buffer, 16))
    assert_gone(lambda: n.read_string(buffer, 16))
    assert_gone(lambda: n.write(buffer, GLib.Bytes.new(b"late\0")))
    assert_gone(lambda: n.respond(Sandlock.Action.new_errno(errno.EPERM)))


class WriteCwd(Sandlock.Handler):
    """Answers getcwd itself: writes a path into the child's buffer."""

    def do_handle(self, n):
        path = b"/written/by/python\0"
        assert n.get_arg(1) >= len(path)
        assert n.write(n.get_arg(0), GLib.Bytes.new(path))
        assert n.read(n.get_arg(0), len(path)).get_data() == path
        return Sandlock.Action.new_return_value(len(path))


def test_write_and_read_the_childs_memory():
    sandbox = new_sandbox()
    sandbox.add_handler("getcwd", WriteCwd())
    result, lines = run_probe(sandbox, "getcwd")
    assert lines == ["getcwd: /written/by/python"]


class BadAccess(Sandlock.Handler):
    """Makes failing memory accesses and reports the errors they raise."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.errors = []

    def do_handle(self, n):
        if self.errors:
            return Sandlock.Action.new_continue()
        for access in (lambda: n.read(0, 16),
                       lambda: n.read_string(0, 16),
                       lambda: n.read_string(n.get_arg(1), 4),
                       lambda: n.write(0, GLib.Bytes.new(b"x"))):
            try:
                access()
                self.errors.append(None)
            except GLib.Error as error:
                self.errors.append((error.domain, error.code))
        return Sandlock.Action.new_continue()


def test_memory_errors_are_raised_as_glib_errors(tmp_dir):
    sandbox = new_sandbox(tmp_dir)
    handler = BadAccess()
    sandbox.add_handler("openat", handler)
    target = os.path.join(tmp_dir, "missing")
    result, lines = run_probe(sandbox, "read", target)
    assert lines == ["read %s: ENOENT" % target]
    domain = GLib.quark_to_string(Sandlock.error_quark())
    assert handler.errors[:4] == [
        (domain, Sandlock.Error.MEMORY_ACCESS),
        (domain, Sandlock.Error.MEMORY_ACCESS),
        (domain, Sandlock.Error.STRING_TOO_LONG),
        (domain, Sandlock.Error.MEMORY_ACCESS),
    ]


class Deferring(Sandlock.Handler):
    """Defers getppid and answers 777 later, from a GLib.timeout_add."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.events = []

    def do_handle(self, n):
        self.events.append("deferred")
        GLib.timeout_add(20, self.answer, n)
        return Sandlock.Action.new_defer()

    def answer(self, n):
        self.events.append(("pending", n.is_pending()))
        self.events.append(("respond", n.respond(Sandlock.Action.new_return_value(777))))
        try:
            n.respond(Sandlock.Action.new_return_value(1))
        except GLib.Error as error:
            self.events.append(("again", error.code))
        return GLib.SOURCE_REMOVE


def test_a_deferred_answer_comes_later_from_glib_timeout_add():
    sandbox = new_sandbox()
    handler = Deferring()
    sandbox.add_handler("getppid", handler)
    result = run_on_main_loop(sandbox, probe_argv("getppid", "print", "after"))
    assert result.get_stdout().get_data().decode().splitlines() == ["getppid: 777", "after"]
    assert handler.events == ["deferred", ("pending", True), ("respond", True),
                              ("again", Sandlock.Error.NOTIFICATION_GONE)]


class DeferAndDrop(Sandlock.Handler):
    def do_handle(self, n):
        return Sandlock.Action.new_defer()


def test_a_dropped_deferred_notification_gets_the_exception_policy():
    sandbox = new_sandbox()
    sandbox.add_handler("getppid", DeferAndDrop(exception_policy=Sandlock.ExceptionPolicy.DENY_EIO))
    result = run_on_main_loop(sandbox, probe_argv("syscall", "getppid", "print", "after"))
    assert result.get_stdout().get_data().decode().splitlines() == ["syscall getppid: EIO", "after"]


class PathRecorder(Sandlock.Handler):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.paths = []

    def do_handle(self, n):
        self.paths.append(n.read_string(n.get_arg(1), 4096))
        return Sandlock.Action.new_continue()


def test_read_string_returns_a_non_utf8_path_exactly(tmp_dir):
    # read_string returns a filename, not UTF-8 text: Python decodes it
    # with the filesystem encoding, and os.fsencode gives the bytes back.
    name = os.fsencode(tmp_dir) + b"/not-utf8-\xff\xfe"
    with open(name, "w") as f:
        f.write("x")
    sandbox = new_sandbox(tmp_dir)
    recorder = PathRecorder()
    sandbox.add_handler("openat", recorder)
    result, _ = run_probe(sandbox, "read", os.fsdecode(name))
    assert result.get_success()
    assert [os.fsencode(p) for p in recorder.paths].count(name) == 1
