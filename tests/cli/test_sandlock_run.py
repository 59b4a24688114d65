# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of sandlock-run, the command-line tool: the built binary runs real
commands in real sandboxes, and its exit statuses, messages and audit lines
are checked. The audit is parsed with Python's json module."""

import datetime
import errno
import json
import os
import re
import pty
import select
import signal
import socket
import subprocess
import time

import pytest

TOOL = os.environ["SANDLOCK_RUN"]
PYTHON = "/usr/bin/python3"   # in /usr, so readable with --system-ro

# A bound that only catches hangs.
HANG = 60


def run(args, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("timeout", HANG)
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run([TOOL] + args, **kwargs)


def text(data):
    return data.decode("utf-8", "replace")


def read_audit(path):
    """Every line of the log is one JSON object."""
    with open(path, "rb") as log:
        raw = log.read()
    assert raw.endswith(b"\n") or raw == b""
    records = [json.loads(line) for line in raw.split(b"\n")[:-1]]
    for record in records:
        assert isinstance(record["pid"], int) and record["pid"] > 0
        assert isinstance(record["syscall"], str)
        if "guard" in record:
            assert record["verdict"] in ("allowed by guard", "refused by guard")
            assert isinstance(record["destination"], str)
        else:
            assert record["verdict"] in ("passed to kernel", "denied by rule")
            assert isinstance(record["handler_us"], int) and record["handler_us"] >= 0
        stamp = datetime.datetime.strptime(record["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
        assert abs(stamp - datetime.datetime.utcnow()) < datetime.timedelta(hours=1)
    # The handler's records; guards' decisions: read_guard_decisions().
    return [record for record in records if "guard" not in record]


def read_guard_decisions(path):
    read_audit(path)
    with open(path, "rb") as log:
        return [json.loads(line) for line in log.read().split(b"\n")[:-1]
                if b'"guard":' in line]


@pytest.fixture
def files(tmp_path):
    """An allowed directory with a file, and a file outside it."""
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "note").write_text("allowed content\n")
    secret = tmp_path / "secret"
    secret.write_text("secret content\n")
    return allowed, secret


# ---- help, version ------------------------------------------------------

def test_help_lists_every_option_and_the_exit_statuses():
    result = run(["--help"])
    assert result.returncode == 0
    out = text(result.stdout)
    for flag in ["-r, --fs-read", "-w, --fs-write", "--system-ro", "--net-bind", "-p, --preset", "--fs-deny",
                 "--shared-proc", "--net-connect", "--net-allow", "--net-deny", "--unix-connect",
                 "-t, --timeout", "--clean-env", "--env", "--cwd",
                 "--deny-syscall", "--deny-errno", "--best-effort", "--audit",
                 "--audit-log", "--max-output", "--max-processes", "--max-memory",
                 "--max-cpu", "--cpu-cores", "--pty", "--version"]:
        assert flag in out, flag
    for status in ["123", "124", "125", "126", "127", "128+N"]:
        assert status in out, status


def test_the_manual_describes_every_option():
    options = set(re.findall(r"--[a-z][a-z-]+", text(run(["--help"]).stdout)))
    with open(os.environ["SANDLOCK_RUN_MAN"]) as f:
        manual = f.read().replace("\\-", "-")
    assert len(options) > 15
    for option in options:
        assert option in manual, option


def test_version():
    result = run(["--version"])
    assert result.returncode == 0
    assert text(result.stdout).startswith("sandlock-run (sandlock-glib) 1.")


# ---- exit statuses --------------------------------------------------------

@pytest.mark.parametrize("script,status", [
    ("exit 0", 0),
    ("exit 7", 7),
    ("kill -TERM $$", 128 + signal.SIGTERM),
    ("kill -KILL $$", 128 + signal.SIGKILL),
])
def test_exit_status_is_the_commands(script, status):
    result = run(["--system-ro", "--", "sh", "-c", script])
    assert result.returncode == status
    assert result.stderr == b""


def test_timeout_exits_124():
    result = run(["--system-ro", "-t", "1", "--", "sleep", "30"])
    assert result.returncode == 124
    assert "longer than 1 s" in text(result.stderr)


def _wait_for(predicate, what):
    deadline = time.monotonic() + HANG
    while not predicate():
        assert time.monotonic() < deadline, "hung waiting for " + what
        time.sleep(0.01)


def _processes_with_tag(tag, but=None):
    """Pids of the live processes, but @but, that have @tag as an argument."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == but:
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                args = f.read().split(b"\0")
            with open("/proc/%s/stat" % entry) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if tag.encode() in args and state != "Z":
            found.append(int(entry))
    return found


def _state(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0]


@pytest.mark.parametrize("how", ["SIGSTOP", "SIGTSTP-to-group"])
def test_timeout_holds_while_application_stopped(how):
    """The deadline is the helper's: it kills the command while the
    application (here sandlock-run) is stopped, by a debugger-like SIGSTOP
    or by job control (SIGTSTP to its process group, as Ctrl-Z sends)."""
    tag = "sandlock-timeout-tag-%d-%s" % (os.getpid(), how)
    # The command must still run when the application stops: if this
    # machine took longer than the timeout to get there, try a longer one.
    for timeout in (2, 8, 30):
        app = subprocess.Popen([TOOL, "--system-ro", "-t", str(timeout), "--",
                                "sh", "-c", "echo started; sleep 600; :", tag],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, process_group=0)
        try:
            assert app.stdout.readline() == b"started\n"
            if how == "SIGSTOP":
                os.kill(app.pid, signal.SIGSTOP)
            else:
                os.killpg(app.pid, signal.SIGTSTP)
            _wait_for(lambda: _state(app.pid) == "T", "the application to stop")
            if not _processes_with_tag(tag, but=app.pid):
                os.kill(app.pid, signal.SIGCONT)
                app.communicate(timeout=HANG)
                print("the command was gone before the application stopped; "
                      "trying a timeout longer than", timeout)
                continue
            _wait_for(lambda: not _processes_with_tag(tag, but=app.pid), "the deadline to kill the command")
            # Still stopped: the application did nothing for the kill.
            assert _state(app.pid) == "T"
            os.kill(app.pid, signal.SIGCONT)
            _, stderr = app.communicate(timeout=HANG)
            assert app.returncode == 124
            assert "longer than %d s" % timeout in text(stderr)
            return
        finally:
            if app.poll() is None:
                os.kill(app.pid, signal.SIGCONT)
                app.kill()
                app.wait()
    pytest.fail("the command never outlived the application's stop")


def test_missing_command_exits_127():
    result = run(["--system-ro", "--", "no-such-command-here"])
    assert result.returncode == 127
    assert text(result.stderr) == \
        "sandlock-run: Failed to execute 'no-such-command-here': No such file or directory\n"


def test_non_executable_file_exits_126(files):
    allowed, _ = files
    result = run(["--system-ro", "-r", str(allowed), "--", str(allowed / "note")])
    assert result.returncode == 126
    assert "Failed to execute" in text(result.stderr)


def test_program_landlock_does_not_let_run_exits_126():
    # Nothing readable: Landlock refuses to execute /usr/bin/true.
    result = run(["--", "/usr/bin/true"])
    assert result.returncode == 126
    assert "Permission denied" in text(result.stderr)


# ---- policy ----------------------------------------------------------------

def test_read_access_is_limited_to_the_given_paths(files):
    allowed, secret = files
    result = run(["--system-ro", "-r", str(allowed), "--",
                  "sh", "-c", f"cat {allowed}/note; cat {secret}"])
    assert result.returncode == 1
    assert result.stdout == b"allowed content\n"
    assert "Permission denied" in text(result.stderr)


def test_write_access_needs_fs_write(tmp_path):
    script = f"echo written > {tmp_path}/out"
    denied = run(["--system-ro", "-r", str(tmp_path), "--", "sh", "-c", script])
    assert denied.returncode != 0
    assert not (tmp_path / "out").exists()

    allowed = run(["--system-ro", "-w", str(tmp_path), "--", "sh", "-c", script])
    assert allowed.returncode == 0
    assert (tmp_path / "out").read_text() == "written\n"


def test_environment_and_cwd(tmp_path):
    env = dict(os.environ, SANDLOCK_RUN_SECRET="leaked")
    result = run(["--system-ro", "--clean-env", "--env", "GREETING=hello",
                  "--cwd", str(tmp_path), "--",
                  "sh", "-c", 'echo "$GREETING ${SANDLOCK_RUN_SECRET-unset} $PWD"'],
                 env=env)
    assert result.returncode == 0
    assert text(result.stdout) == f"hello unset {tmp_path}\n"

    kept = run(["--system-ro", "--", "sh", "-c", 'echo "$SANDLOCK_RUN_SECRET"'], env=env)
    assert text(kept.stdout) == "leaked\n"

    removed = run(["--system-ro", "--env", "SANDLOCK_RUN_SECRET", "--", "sh", "-c",
                   'echo "${SANDLOCK_RUN_SECRET-unset}"'], env=env)
    assert text(removed.stdout) == "unset\n"


def test_deny_syscall(tmp_path):
    result = run(["--system-ro", "-w", str(tmp_path), "--deny-syscall", "mkdir,mkdirat",
                  "--", "mkdir", str(tmp_path / "d")])
    assert result.returncode == 1
    assert "Operation not permitted" in text(result.stderr)
    assert not (tmp_path / "d").exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CONNECT = """
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10).close()
    print("connected")
except OSError as e:
    print("failed", e.errno)
"""


def test_net_connect_allows_only_the_given_ports():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]
        other = free_port()

        allowed = run(["--system-ro", "--net-connect", f"1,{port}", "--",
                       PYTHON, "-c", CONNECT, str(port)])
        assert text(allowed.stdout) == "connected\n"

        denied = run(["--system-ro", "--net-connect", str(other), "--",
                      PYTHON, "-c", CONNECT, str(port)])
        assert text(denied.stdout) == f"failed {errno.EACCES}\n"


def test_net_allow_grants_its_tcp_port_without_net_connect():
    # A TCP --net-allow rule adds its ports to Landlock's connect rules;
    # which addresses it reaches on them is the egress guard's business.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]

        allowed = run(["--system-ro", "--net-allow", f"127.0.0.1:{port}", "--",
                       PYTHON, "-c", CONNECT, str(port)])
        assert text(allowed.stdout) == "connected\n", text(allowed.stderr)

        # A UDP rule, or a rule for another port, grants no TCP port.
        for rule in [f"udp:127.0.0.1:{port}", f"127.0.0.1:{free_port()}"]:
            denied = run(["--system-ro", "--net-allow", rule, "--",
                          PYTHON, "-c", CONNECT, str(port)])
            assert text(denied.stdout) == f"failed {errno.EACCES}\n", rule


def test_net_allow_and_net_deny_repeat_and_resolve_hostnames():
    # localhost is in every /etc/hosts: a hostname resolves, and several
    # rules of both kinds are accepted.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = server.getsockname()[1]

        result = run(["--system-ro", "--net-allow", f"localhost:{port}",
                      "--net-allow", "udp:[::1]:53", "--net-deny", "10.0.0.0/8:*",
                      "--net-deny", "udp:*:9", "--", PYTHON, "-c", CONNECT, str(port)])
        assert text(result.stdout) == "connected\n", text(result.stderr)


BIND = """
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
    print("bound")
except OSError as e:
    print("failed", e.errno)
"""


def test_net_bind_allows_only_the_given_ports():
    # The port stays held by a socket of ours, with SO_REUSEADDR as the
    # command's (TCP, and neither listens): the command can bind it too,
    # and no other process on the machine can take it in between without
    # the option (EADDRINUSE). SO_REUSEPORT is refused in a sandbox.
    with socket.socket() as reserved:
        reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        reserved.bind(("127.0.0.1", 0))
        port = reserved.getsockname()[1]
        allowed = run(["--system-ro", "--net-bind", str(port), "--",
                       PYTHON, "-c", BIND, str(port)])
        assert text(allowed.stdout) == "bound\n", text(allowed.stderr)
        denied = run(["--system-ro", "--", PYTHON, "-c", BIND, str(port)])
        assert text(denied.stdout) == f"failed {errno.EACCES}\n"


def test_best_effort_runs_and_names_nothing_missing_on_this_kernel():
    result = run(["--system-ro", "--best-effort", "--", "true"])
    assert result.returncode == 0
    assert result.stderr == b""


# The library's test hook makes it see an older Landlock (ABI 3: no TCP rules).
OLD_KERNEL = dict(os.environ, SANDLOCK_TEST_LANDLOCK_ABI="3")


def test_a_kernel_without_a_needed_protection_exits_125_before_starting(tmp_path):
    result = run(["--system-ro", "-w", str(tmp_path), "--",
                  "sh", "-c", f"echo started > {tmp_path}/marker"], env=OLD_KERNEL)
    assert result.returncode == 125
    err = text(result.stderr)
    assert err.startswith("sandlock-run: ") and err.count("\n") == 1
    assert "Landlock ABI 3" in err
    assert not (tmp_path / "marker").exists()


def test_best_effort_runs_without_it_and_says_what_is_missing():
    result = run(["--system-ro", "--best-effort", "--", "cat", "/etc/hostname"], env=OLD_KERNEL)
    # The whole of stderr on failure: a sanitizer's report is in it.
    assert result.returncode == 0, text(result.stderr)
    assert result.stdout == open("/etc/hostname", "rb").read()
    assert text(result.stderr).startswith(
        "sandlock-run: warning: best effort: running without landlock-net-tcp")


# ---- streaming -------------------------------------------------------------

def test_output_streams_live_and_stdin_is_inherited():
    # The second line needs input that is sent only once the first line has
    # arrived: a tool that buffered the output until the exit would hang.
    process = subprocess.Popen([TOOL, "--system-ro", "--", "sh", "-c",
                                "echo first; read line; echo \"second $line\""],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert process.stdout.readline() == b"first\n"
        process.stdin.write(b"input\n")
        process.stdin.close()
        assert process.stdout.readline() == b"second input\n"
        assert process.wait(timeout=HANG) == 0
    finally:
        process.kill()
        process.wait()


# ---- audit -----------------------------------------------------------------

def test_audit_logs_allowed_and_denied_paths(files, tmp_path):
    allowed, secret = files
    log = tmp_path / "audit.jsonl"
    result = run(["--system-ro", "-r", str(allowed), "--audit-log", str(log), "--",
                  "sh", "-c", f"cat {allowed}/note; cat {secret}"])
    assert result.returncode == 1
    assert result.stdout == b"allowed content\n"
    records = read_audit(log)

    paths = {r.get("path"): r for r in records if r["syscall"] in ("open", "openat")}
    assert paths[f"{allowed}/note"]["verdict"] == "passed to kernel"
    # Landlock refuses it after the handler continued: the verdict is the handler's.
    assert paths[str(secret)]["verdict"] == "passed to kernel"

    execs = [r for r in records if r["syscall"] == "execve"]
    assert execs[0]["argv"] == ["sh", "-c", f"cat {allowed}/note; cat {secret}"]
    assert execs[0]["path"].endswith("/sh")
    assert ["cat", str(secret)] in [r["argv"] for r in execs]


def test_audit_to_stderr_mixes_with_the_commands_stderr(files):
    allowed, secret = files
    # In the C locale cat opens no message catalog while writing its error.
    result = run(["--system-ro", "--env", "LC_ALL=C", "--audit=openat", "--", "cat", str(secret)])
    assert result.returncode == 1
    lines = result.stderr.split(b"\n")[:-1]
    records = [json.loads(line) for line in lines if line.startswith(b"{")]
    others = [line for line in lines if not line.startswith(b"{")]
    assert {r["syscall"] for r in records} == {"openat"}
    assert str(secret) in [r["path"] for r in records]
    assert others == [f"cat: {secret}: Permission denied".encode()]


def test_audit_resolves_relative_paths(files, tmp_path):
    allowed, _ = files
    log = tmp_path / "audit.jsonl"
    result = run(["--system-ro", "-r", str(allowed), "--cwd", str(allowed),
                  "--audit-log", str(log), "--", "cat", "note", "../secret"])
    assert result.returncode == 1
    records = {r["path"]: r for r in read_audit(log) if r["syscall"] == "openat"}
    assert records["note"]["path_abs"] == f"{allowed}/note"
    assert records["../secret"]["path_abs"] == f"{tmp_path}/secret"


# Names that break naive JSON: quotes, backslashes, control characters, DEL,
# a C1 control, JavaScript's line separator, and bytes that are not UTF-8.
AWKWARD_NAMES = [
    b'quote"and\\backslash',
    b"new\nline\ttab\rcr",
    b"bell\x07esc\x1bdel\x7f",
    b"c1\xc2\x85next\xe2\x80\xa8sep",
    "caf\u00e9 \u2603".encode(),
    b"latin1\xe9\xff",
    b"truncated\xe2\x82",
    b"overlong\xc0\xaf",
]


def test_audit_escapes_every_byte(tmp_path):
    root = os.fsencode(tmp_path / "names")
    os.mkdir(root)
    paths = [root + b"/" + name for name in AWKWARD_NAMES]
    for path in paths:
        with open(path, "wb") as f:
            f.write(b"x")
    log = tmp_path / "audit.jsonl"
    result = run([b"--system-ro", b"-r", root, b"--audit=openat",
                  b"--audit-log", os.fsencode(log), b"--", b"cat"] + paths)
    assert result.returncode == 0
    assert result.stdout == b"x" * len(paths)

    raw = log.read_bytes()
    # One record per line: no raw control character survives.
    assert all(b >= 0x20 and b != 0x7f for b in raw.replace(b"\n", b""))
    records = read_audit(log)
    seen = {}
    for record in records:
        if "path_hex" in record:
            seen[bytes.fromhex(record["path_hex"])] = record
            assert "\ufffd" in record["path"]
        else:
            seen[record["path"].encode()] = record
    for path in paths:
        assert path in seen, path


CONNECT_ALL = """
import socket, sys
for family, address in [(socket.AF_INET, ("127.0.0.1", 9)),
                        (socket.AF_INET6, ("::1", 443)),
                        (socket.AF_UNIX, sys.argv[1]),
                        (socket.AF_UNIX, "\\0abstract\\0name")]:
    try:
        socket.socket(family).connect(address)
    except OSError:
        pass
"""


def test_audit_decodes_socket_addresses(tmp_path):
    log = tmp_path / "audit.jsonl"
    unix_path = str(tmp_path / "no-such.sock")
    result = run(["--system-ro", "--audit=connect", "--audit-log", str(log), "--",
                  PYTHON, "-c", CONNECT_ALL, unix_path])
    assert result.returncode == 0, result.stderr
    records = read_audit(log)
    addresses = [(r["family"], r["address"], r.get("port")) for r in records]
    assert addresses == [
        ("AF_INET", "127.0.0.1", 9),
        ("AF_INET6", "::1", 443),
        ("AF_UNIX", unix_path, None),
        ("AF_UNIX", "@abstract\u0000name", None),
    ]


# ---- deny rules --------------------------------------------------------------

@pytest.mark.parametrize("value", ["ENETUNREACH", "enetunreach", str(errno.ENETUNREACH)])
def test_deny_errno_answers_with_the_errno_and_logs_it(tmp_path, value):
    log = tmp_path / "audit.jsonl"
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        # The port is allowed: only the rule stops the connection.
        result = run(["--system-ro", "--net-connect", str(port), "--audit-log", str(log),
                      "--deny-errno", f"connect={value}", "--",
                      PYTHON, "-c", CONNECT, str(port)])
    assert text(result.stdout) == f"failed {errno.ENETUNREACH}\n"
    connects = [r for r in read_audit(log) if r["syscall"] == "connect"]
    # Logged once, by the rule: the audit handler after it never saw it.
    assert len(connects) == 1
    assert connects[0]["verdict"] == "denied by rule"
    assert connects[0]["errno"] == "ENETUNREACH"
    assert connects[0]["rule"] == f"connect={value}"
    assert (connects[0]["address"], connects[0]["port"]) == ("127.0.0.1", port)


def test_deny_errno_without_audit_is_silent(files):
    allowed, _ = files
    result = run(["--system-ro", "-r", str(allowed), "--deny-errno", "unlinkat=EROFS",
                  "--deny-errno", "unlink=EROFS", "--", "rm", "-f", f"{allowed}/note"])
    assert result.returncode == 1
    assert text(result.stderr).endswith("Read-only file system\n")
    assert (allowed / "note").exists()


def test_deny_errno_on_a_syscall_outside_the_audit_set_is_logged(tmp_path):
    log = tmp_path / "audit.jsonl"
    result = run(["--system-ro", "-w", str(tmp_path), "--audit=execve", "--audit-log", str(log),
                  "--deny-errno", "mkdir=EIO", "--deny-errno", "mkdirat=EIO", "--",
                  "mkdir", str(tmp_path / "d")])
    assert result.returncode == 1
    assert "Input/output error" in text(result.stderr)
    records = read_audit(log)
    assert {r["syscall"] for r in records} <= {"execve", "mkdir", "mkdirat"}
    mkdirs = [r for r in records if r["syscall"] in ("mkdir", "mkdirat")]
    assert [(r["path"], r["verdict"], r["errno"]) for r in mkdirs] == \
        [(str(tmp_path / "d"), "denied by rule", "EIO")]


# ---- errors: a clear line, status 125, and nothing started -------------------

BAD_ARGUMENTS = [
    (["--bogus"], "Unknown option --bogus"),
    (["--net-bind", "80x"], "'80x'"),
    (["--net-connect", "70000"], "'70000'"),
    (["--net-connect", "80,,443"], "an empty item"),
    (["--net-bind", "90-80"], "reversed"),
    (["--net-allow", "example.org"],
     "net-allow: Invalid rule 'example.org': the port is missing: write HOST:PORT"),
    (["--net-allow", "*:443", "--net-deny", "10.0.0.1/8:22"],
     "net-deny: Invalid rule '10.0.0.1/8:22': the address has bits set past its prefix length"),
    (["--net-allow", "2001:db8::1:80"], "IPv6 addresses go in brackets"),
    (["--net-allow", "udp:*:0"], "port 0 is not a port"),
    (["--net-allow", "no-such-host.invalid:80"],
     "net-allow: Cannot resolve 'no-such-host.invalid' of rule 'no-such-host.invalid:80'"),
    (["-r", "relative/dir"], "'relative/dir' is not an absolute path"),
    (["-w", "/no/such/dir"], "'/no/such/dir'"),
    (["--cwd", "relative"], "'relative' is not an absolute path"),
    (["-t", "soon"], "--timeout 'soon'"),
    (["-t", "-1"], "--timeout '-1'"),
    (["--env", "=VALUE"], "'=VALUE'"),
    (["--deny-syscall", "no_such_syscall"], "Unknown syscall 'no_such_syscall'"),
    (["--audit=no_such_syscall"], "Unknown syscall 'no_such_syscall'"),
    (["--audit="], "empty syscall list"),
    (["--deny-errno", "no_such_syscall=EPERM"], "Unknown syscall 'no_such_syscall'"),
    (["--deny-errno", "connect"], "expected SYSCALL=ERRNO"),
    (["--deny-errno", "connect="], "expected SYSCALL=ERRNO"),
    (["--deny-errno", "connect=EBOGUS"], "unknown errno 'EBOGUS'"),
    (["--deny-errno", "connect=0"], "invalid errno '0'"),
    (["--deny-errno", "connect=4096"], "invalid errno '4096'"),
    (["--deny-errno", "connect=EPERM", "--deny-errno", "connect=EIO"], "two rules for 'connect'"),
    (["--deny-errno", "mount=EPERM"], "Cannot trap syscall 'mount'"),
    (["--deny-syscall", "connect", "--audit=connect"], "'connect'"),
    (["--audit-log", "/no/such/dir/log"], "--audit-log '/no/such/dir/log'"),
    (["--max-processes", "many"], "--max-processes 'many'"),
    (["--max-processes", "-1"], "--max-processes '-1'"),
    (["--max-processes", "2147483648"], "--max-processes '2147483648'"),
    (["--max-memory", "12Q"], "--max-memory '12Q': expected a number of bytes"),
    (["--max-cpu", "half"], "--max-cpu 'half'"),
    (["--max-cpu", "102401"], "--max-cpu '102401'"),
    (["--cpu-cores", "0-x"], "cpu-cores: '0-x' is not a list of CPUs"),
    (["--cpu-cores", ""], "cpu-cores: '' is not a list of CPUs"),
] + [(["--max-output", value], "--max-output '%s': expected a number of bytes" % value)
     for value in ["", "-1", "+1", " 5", "1.5", "10X", "K", "1KB", "1 K", "0x10",
                   "18446744073709551616", "16777216T", "17179869184G"]]


def marker_command(tmp_path):
    return ["--system-ro", "-w", str(tmp_path)], \
        ["--", "sh", "-c", f"echo started > {tmp_path}/marker"]


def test_the_marker_command_runs_without_a_bad_argument(tmp_path):
    # The control for the test below: the check it makes can fail.
    before, after = marker_command(tmp_path)
    assert run(before + after).returncode == 0
    assert (tmp_path / "marker").exists()


@pytest.mark.parametrize("bad,message", BAD_ARGUMENTS)
def test_bad_arguments_exit_125_before_starting_anything(tmp_path, bad, message):
    before, after = marker_command(tmp_path)
    result = run(before + bad + after)
    assert result.returncode == 125
    err = text(result.stderr)
    assert err.startswith("sandlock-run: ") and err.count("\n") == 1, err
    assert message in err
    assert result.stdout == b""
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize("args", [[], ["--system-ro"], ["--system-ro", "--"]])
def test_no_command_exits_125(args):
    result = run(args)
    assert result.returncode == 125
    assert text(result.stderr).startswith("sandlock-run: no command given")


def test_missing_option_value_exits_125():
    result = run(["--system-ro", "-r"])
    assert result.returncode == 125
    assert text(result.stderr) == \
        "sandlock-run: Missing argument for -r (see sandlock-run --help)\n"



# ---- --pty: a private terminal, relayed --------------------------------------

PTY = ["--pty", "-p", "system", "-p", "devices", "--"]


def test_pty_the_command_has_its_own_terminal(terminal):
    # tty(1) names the command's terminal: not the one the test made.
    import fcntl
    import struct
    import termios
    t = terminal(PTY + ["sh", "-c",
                        "test -t 0 && test -t 1 && test -t 2 && echo isatty=yes; "
                        "echo tty=$(tty); echo ready; read line; echo got=$line; exit 7"])
    tiocgptn = getattr(termios, "TIOCGPTN", 0x80045430)   # _IOR("T", 0x30, unsigned int)
    number = struct.unpack("I", fcntl.ioctl(t.fd, tiocgptn, b"\0" * 4))[0]
    t.read_until(b"ready")
    assert b"isatty=yes" in t.output
    names = re.findall(rb"(?m)^tty=(\S+)\r$", t.output)
    assert names and names[0].startswith(b"/dev/pts/"), t.output
    assert names[0] != f"/dev/pts/{number}".encode()
    t.write(b"typed\r")
    t.read_until(b"got=typed")
    assert os.waitstatus_to_exitcode(t.wait()) == 7


def test_pty_raw_mode_while_running_and_restored(terminal):
    import termios
    t = terminal(PTY + ["sh", "-c", "echo ready; read line; echo got=$line"])
    t.read_until(b"ready")
    # The user's terminal is raw while the command runs: no echo, no
    # signals from its keys; Ctrl-C is a byte for the command's terminal.
    modes = termios.tcgetattr(t.fd)
    assert not modes[3] & termios.ECHO and not modes[3] & termios.ICANON and not modes[3] & termios.ISIG
    t.write(b"x\r")
    t.read_until(b"got=x")
    assert os.waitstatus_to_exitcode(t.wait()) == 0
    modes = termios.tcgetattr(t.fd)
    assert modes[3] & termios.ECHO and modes[3] & termios.ICANON and modes[3] & termios.ISIG


def test_pty_sigterm_ends_the_command_and_restores_the_terminal(terminal):
    import termios
    t = terminal(PTY + ["sh", "-c", "echo ready; exec sleep 60"])
    t.read_until(b"ready")
    assert not termios.tcgetattr(t.fd)[3] & termios.ICANON
    os.kill(t.pid, signal.SIGTERM)   # passed on to the command
    assert os.waitstatus_to_exitcode(t.wait()) == 128 + signal.SIGTERM
    modes = termios.tcgetattr(t.fd)
    assert modes[3] & termios.ECHO and modes[3] & termios.ICANON and modes[3] & termios.ISIG


def test_pty_ctrl_c_reaches_the_command_through_its_terminal(terminal):
    t = terminal(PTY + ["sh", "-c", "echo ready; exec cat"])
    t.read_until(b"ready")
    t.write(b"hello\r")
    t.read_until(b"hello\r\nhello\r\n")
    t.write(b"\x03")
    assert os.waitstatus_to_exitcode(t.wait()) == 128 + signal.SIGINT


def test_pty_window_size_follows_the_users_terminal(terminal):
    import fcntl
    import struct
    import termios
    t = terminal(PTY + ["sh", "-c", "echo ready; stty size; read line; stty size"])
    t.read_until(b"ready")
    # A fresh pseudo-terminal has no size: the command's gets 80x24.
    t.read_until(b"24 80")
    fcntl.ioctl(t.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 42, 132, 0, 0))
    os.kill(t.pid, signal.SIGWINCH)   # what the terminal sends its foreground group
    # Let the relay see the signal before the line that asks again.
    time.sleep(0.2)
    t.write(b"\r")
    t.read_until(b"42 132")
    assert os.waitstatus_to_exitcode(t.wait()) == 0


def test_pty_background_job_to_dev_null(terminal):
    t = terminal(PTY + ["sh", "-c", "sh -c 'true >/dev/null 2>&1 &'; "
                        "true >/dev/null 2>&1 & wait $!; echo status=$?"])
    t.read_until(b"status=0")
    assert os.waitstatus_to_exitcode(t.wait()) == 0


def test_pty_without_a_terminal_relays_bytes_and_ends_input():
    # Standard input a pipe: relayed as it is, its end an end of file.
    result = run(PTY + ["sh", "-c", "test -t 0 && echo isatty=yes; cat; echo done"],
                 input=b"line one\nline two\n", stdin=None)
    assert result.returncode == 0, result
    out = text(result.stdout).replace("\r", "")
    assert "isatty=yes" in out
    # The terminal echoes the input, and cat writes it back.
    assert out.count("line one") == 2 and out.count("line two") == 2, out
    assert out.endswith("done\n"), out


def test_pty_exit_status_is_the_commands():
    result = run(PTY + ["sh", "-c", "exit 3"])
    assert result.returncode == 3


def test_pty_and_max_output_exit_125():
    result = run(["--pty", "--max-output", "10", "--", "true"])
    assert result.returncode == 125
    assert "--pty" in text(result.stderr)

# ---- the terminal --------------------------------------------------------------

class Terminal:
    """sandlock-run (or a shell) in the foreground of a fresh pseudo-terminal."""

    def __init__(self, args, program=TOOL):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execv(program, [program] + args)
            finally:
                os._exit(99)
        self.output = b""

    def read_until(self, token):
        deadline = time.monotonic() + HANG
        while token not in self.output:
            assert time.monotonic() < deadline, self.output
            ready, _, _ = select.select([self.fd], [], [], 1)
            if ready:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    data = b""
                assert data, self.output
                self.output += data

    def write(self, data):
        os.write(self.fd, data)

    def wait(self, flags=0):
        deadline = time.monotonic() + HANG
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, flags | os.WNOHANG)
            if pid:
                return status
            time.sleep(0.05)
        raise AssertionError("sandlock-run did not change state")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


@pytest.fixture
def terminal():
    opened = []

    def start(args, program=TOOL):
        opened.append(Terminal(args, program))
        return opened[-1]

    yield start
    for t in opened:
        t.close()


# cat reads the terminal and echoes each line back (after the terminal's own
# echo): a line seen twice was read by the command. It exec()s so that the
# process Ctrl-C and Ctrl-Z reach is cat, not a shell catching SIGINT.

def test_command_reads_the_terminal_and_ctrl_c_reaches_it(terminal):
    t = terminal(["--system-ro", "--", "sh", "-c", "echo ready; exec cat"])
    t.read_until(b"ready")
    t.write(b"hello\n")
    t.read_until(b"hello\r\nhello\r\n")
    t.write(b"\x03")   # Ctrl-C, to the terminal's foreground group
    assert os.waitstatus_to_exitcode(t.wait()) == 128 + signal.SIGINT


def test_the_terminal_is_put_back_as_it_was_after_the_command(terminal):
    # Without --pty the command gets the user's terminal; whatever it does
    # to it (echo off, no line editing, output stopped) must not outlive it.
    import termios
    t = terminal(["--system-ro", "--", "sh", "-c",
                  "stty -echo -icanon && stty -a | grep -q -- -echo && echo changed"])
    t.read_until(b"changed")
    assert os.waitstatus_to_exitcode(t.wait()) == 0
    modes = termios.tcgetattr(t.fd)
    assert modes[3] & termios.ECHO and modes[3] & termios.ICANON


def test_ctrl_z_stops_the_job_and_it_continues(terminal):
    t = terminal(["--system-ro", "--", "sh", "-c", "echo ready; exec cat"])
    t.read_until(b"ready")
    t.write(b"one\n")
    t.read_until(b"one\r\none\r\n")
    t.write(b"\x1a")   # Ctrl-Z
    assert os.WIFSTOPPED(t.wait(os.WUNTRACED))
    os.kill(t.pid, signal.SIGCONT)   # what the shell's fg does
    t.write(b"two\n")
    t.read_until(b"two\r\ntwo\r\n")
    t.write(b"\x04")   # Ctrl-D: end of input
    assert os.waitstatus_to_exitcode(t.wait()) == 0


def test_in_a_pipeline_the_terminal_stays_with_the_pipeline(terminal):
    # The other side of the pipe reads the terminal while sandlock-run runs:
    # had sandlock-run given the terminal away, it would be stopped.
    pipeline = (f'"{TOOL}" --system-ro -- sh -c "echo ready; exec sleep 60" | '
                '{ read line; echo "$line"; read typed </dev/tty; echo "got $typed"; }')
    t = terminal(["-c", pipeline], program="/bin/sh")
    t.read_until(b"ready")
    t.write(b"hello\n")
    t.read_until(b"got hello")
    t.write(b"\x03")   # the whole pipeline is in the foreground: it all stops
    assert os.waitstatus_to_exitcode(t.wait()) != 0


def test_output_streams_through_beyond_the_library_capture_limit():
    # Without --max-output sandlock-run captures nothing: the library's
    # max-output (64 MiB by default, for run() and communicate()) does not
    # apply, and 80 MiB on each stream reach sandlock-run's own stdout and
    # stderr whole.
    size = 80 * 1024 * 1024
    script = ("import sys; block = b'x' * 65536\n"
              "for _ in range(%d): sys.stdout.buffer.write(block); sys.stderr.buffer.write(block)"
              % (size // 65536))
    result = run(["--system-ro", "--", PYTHON, "-c", script])
    assert result.returncode == 0, text(result.stderr[-2000:])
    assert len(result.stdout) == size and len(result.stderr) == size
    assert result.stdout.count(b"x") == size and result.stderr.count(b"x") == size



# ---- --max-output ------------------------------------------------------------

# Writes N bytes to stdout (and M to stderr) in 4 KiB blocks, then exits 3.
WRITER = ("import os, sys\n"
          "for fd, n in ((1, int(sys.argv[1])), (2, int(sys.argv[2]))):\n"
          "    data = bytes(i % 251 for i in range(n))\n"
          "    for i in range(0, n, 4096): os.write(fd, data[i:i + 4096])\n"
          "sys.exit(3)\n")


def pattern(n):
    return bytes(i % 251 for i in range(n))


def write_with_limit(limit, out, err):
    return run(["--system-ro", "--max-output", limit, "--", PYTHON, "-c", WRITER,
                str(out), str(err)])


@pytest.mark.parametrize("limit,size", [("100", 100), ("1K", 1024), ("1k", 1024),
                                        ("64K", 65536), ("1M", 1024 * 1024)])
def test_max_output_under_or_at_the_limit_passes_everything_on(limit, size):
    for out, err in ((size, size), (size - 1, 0), (0, size)):
        result = write_with_limit(limit, out, err)
        assert result.returncode == 3, text(result.stderr[-2000:])
        assert result.stdout == pattern(out)
        assert result.stderr == pattern(err)


@pytest.mark.parametrize("limit,size", [("100", 100), ("1K", 1024), ("64K", 65536),
                                        ("1M", 1024 * 1024)])
def test_max_output_over_the_limit_on_stdout_truncates_and_exits_123(limit, size):
    result = write_with_limit(limit, 3 * size + 1, 0)
    assert result.returncode == 123
    assert result.stdout == pattern(size)
    assert text(result.stderr) == ("sandlock-run: the command wrote more than %d bytes "
                                   "to its standard output and was killed\n" % size)


def test_max_output_one_byte_over_the_limit_is_over():
    result = write_with_limit("100", 101, 0)
    assert result.returncode == 123
    assert result.stdout == pattern(100)


def test_max_output_over_the_limit_on_stderr_truncates_and_exits_123():
    result = write_with_limit("1K", 10, 5000)
    assert result.returncode == 123
    assert result.stdout == pattern(10)
    message = b"sandlock-run: the command wrote more than 1024 bytes to its standard error and was killed\n"
    assert result.stderr == pattern(1024) + message


def test_max_output_kills_the_whole_sandbox(tmp_path):
    # sandlock-run returns once every process of the sandbox is gone: the
    # background child (a copy of sh, with the tag as its $0) must be too.
    # The shell gives a background command /dev/null for its stdin (the
    # devices preset): without it the child dies at once, writing why to
    # stderr, and that message could pass the limit before stdout did. The
    # flood starts once the child is known to run.
    tag = "sandlock-max-output-tag-%d" % os.getpid()
    result = run(["--preset", "system,devices", "-w", str(tmp_path), "--max-output", "10",
                  "--", "sh", "-c",
                  f"(: > {tmp_path}/started; sleep 600; echo late > {tmp_path}/late) & "
                  f"until [ -e {tmp_path}/started ]; do :; done; "
                  "while :; do echo 0123456789; done", tag])
    assert result.returncode == 123, text(result.stderr)
    assert result.stdout == b"0123456789"
    assert text(result.stderr) == ("sandlock-run: the command wrote more than 10 bytes "
                                   "to its standard output and was killed\n")
    assert (tmp_path / "started").exists()
    assert not _processes_with_tag(tag)
    assert not (tmp_path / "late").exists()


def test_max_output_zero_is_unbounded():
    size = 5 * 1024 * 1024
    result = write_with_limit("0", size, size)
    assert result.returncode == 3
    assert result.stdout == pattern(size) and result.stderr == pattern(size)


def test_max_output_streams_live_and_stdin_is_inherited():
    process = subprocess.Popen([TOOL, "--system-ro", "--max-output", "1M", "--", "sh", "-c",
                                "echo first; read line; echo \"second $line\"; echo err >&2"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        assert process.stdout.readline() == b"first\n"
        process.stdin.write(b"input\n")
        process.stdin.close()
        assert process.stdout.readline() == b"second input\n"
        assert process.wait(timeout=HANG) == 0
        assert process.stderr.read() == b"err\n"
    finally:
        process.kill()
        process.wait()


def test_max_output_a_closed_stdout_reaches_the_command():
    # As without --max-output: the command's next write gets SIGPIPE.
    process = subprocess.Popen([TOOL, "--system-ro", "--max-output", "1G", "--", "yes"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    try:
        assert process.stdout.read(10) == b"y\ny\ny\ny\ny\n"
        process.stdout.close()
        assert process.wait(timeout=HANG) == 128 + signal.SIGPIPE
    finally:
        process.kill()
        process.wait()


def test_max_output_keeps_the_other_exit_statuses():
    assert run(["--system-ro", "--max-output", "1K", "--", "sh", "-c",
                "kill -TERM $$"]).returncode == 128 + signal.SIGTERM
    assert run(["--max-output", "1K", "--", "true"]).returncode == 126
    assert run(["--system-ro", "--max-output", "1K", "--", "/no/such/program"]).returncode == 127
    result = run(["--system-ro", "--max-output", "1K", "-t", "1", "--", "sleep", "30"])
    assert result.returncode == 124


# ---- presets ----------------------------------------------------------------

def test_preset_system_and_devices_run_a_background_job_to_dev_null():
    script = "true >/dev/null 2>&1 & wait $!; echo status=$?"
    result = run(["--preset", "system,devices", "--", "sh", "-c", script])
    assert result.returncode == 0, text(result.stderr)
    assert result.stdout == b"status=0\n"
    repeated = run(["-p", "system", "--preset", "devices", "--", "sh", "-c", script])
    assert repeated.stdout == b"status=0\n"
    without = run(["--preset", "system", "--", "sh", "-c", script])
    assert without.stdout != b"status=0\n"


def test_system_ro_is_the_system_preset():
    for flag in (["--system-ro"], ["--preset", "system"]):
        result = run(flag + ["--", "sh", "-c",
                             "cat /etc/hostname >&2; echo hostname=$?; "
                             "ls /etc >&- 2>&-; echo etc=$?"])
        lines = text(result.stdout).split()
        assert "hostname=0" in lines
        assert "etc=0" not in lines


def test_unknown_preset_is_refused():
    result = run(["--preset", "everything", "--", "true"])
    assert result.returncode == 125
    assert "--preset 'everything'" in text(result.stderr)


# ---- fs-deny --------------------------------------------------------------------

def test_fs_deny_inside_a_writable_tree(tmp_path):
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "id").write_text("key\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note").write_text("note\n")
    script = ("cat docs/note; echo more > docs/more && echo written; "
              "cat .ssh/id 2>&1; cat docs/../.ssh/id 2>&1; ls .ssh 2>&1")
    result = run(["--system-ro", "-w", str(tmp_path), "--fs-deny", str(tmp_path / ".ssh"),
                  "--cwd", str(tmp_path), "--", "sh", "-c", script])
    out = text(result.stdout)
    assert "note\nwritten\n" in out
    assert "key" not in out
    assert out.count("No such file or directory") == 3
    allowed = run(["--system-ro", "-w", str(tmp_path), "--cwd", str(tmp_path),
                   "--", "cat", ".ssh/id"])
    assert allowed.stdout == b"key\n"


def test_fs_deny_relative_path_is_refused():
    result = run(["--system-ro", "--fs-deny", "relative", "--", "true"])
    assert result.returncode == 125
    assert "fs-denied: 'relative' is not an absolute path" in text(result.stderr)


# ---- private /proc ------------------------------------------------------------

PS_PIDS = "ps -e -o pid= | tr -d ' '"


def test_private_proc_is_the_default_and_shared_proc_turns_it_off():
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        script = f"echo self=$$; {PS_PIDS}; grep -q Name /proc/{sleeper.pid}/status 2>&1 || echo hidden"
        private = run(["--system-ro", "-r", "/proc", "--", "sh", "-c", script])
        lines = text(private.stdout).split()
        assert private.returncode == 0, text(private.stderr)
        assert "hidden" in lines
        pids = [line for line in lines if line.isdigit()]
        assert lines[0].startswith("self=") and lines[0][5:] in pids
        assert str(sleeper.pid) not in pids
        assert str(os.getpid()) not in pids
        # sh and ps, at most a few: not the machine's processes.
        assert 2 <= len(pids) <= 4

        shared = run(["--system-ro", "-r", "/proc", "--shared-proc", "--", "sh", "-c", script])
        lines = text(shared.stdout).split()
        assert str(sleeper.pid) in lines
        assert "hidden" not in lines
    finally:
        sleeper.kill()
        sleeper.wait()
# ---- resource limits ---------------------------------------------------------
FORK_UNTIL_REFUSED = """
import os, signal, sys
n = 0
while n < 100:
    try:
        pid = os.fork()
    except OSError as e:
        print(n, os.strerror(e.errno))
        break
    if pid == 0:
        signal.pause()
    n += 1
else:
    print(n, "none refused")
"""


def test_max_processes_refuses_forks_with_eagain():
    result = run(["--system-ro", "--max-processes", "5", "--", PYTHON, "-c", FORK_UNTIL_REFUSED])
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == "4 %s\n" % os.strerror(errno.EAGAIN)
    assert "refused at --max-processes" in text(result.stderr)


def test_max_processes_zero_is_no_limit():
    result = run(["--system-ro", "--max-processes", "0", "--", PYTHON, "-c", FORK_UNTIL_REFUSED])
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == "100 none refused\n"


def test_max_memory_stops_an_allocation():
    # With a cgroup (root here) the kernel's OOM killer ends it (SIGKILL,
    # said on stderr); without one RLIMIT_AS makes the allocation fail.
    result = run(["--system-ro", "--max-memory", "32M", "--",
                  PYTHON, "-c", "x = bytearray(256 << 20); print('allocated')"])
    assert "allocated" not in text(result.stdout)
    err = text(result.stderr)
    if result.returncode == 128 + signal.SIGKILL:
        assert "killed a process of the command at --max-memory" in err
    else:
        assert result.returncode == 1 and "MemoryError" in err, err
def test_cpu_cores_bounds_the_affinity():
    result = run(["--system-ro", "--cpu-cores", "0", "--", PYTHON, "-c",
                  "import os; print(sorted(os.sched_getaffinity(0)))"])
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == "[0]\n"


UNIX_CONNECT = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
    print("connected")
except OSError as e:
    print("failed", e.errno)
"""


def test_unix_connect_allows_only_the_given_sockets(tmp_path):
    path = str(tmp_path / "server.sock")
    os.chmod(tmp_path, 0o755)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen(4)

        allowed = run(["--system-ro", "--unix-connect", path, "--",
                       PYTHON, "-c", UNIX_CONNECT, path])
        assert text(allowed.stdout) == "connected\n"

        denied = run(["--system-ro", "--", PYTHON, "-c", UNIX_CONNECT, path])
        assert text(denied.stdout) == f"failed {errno.EACCES}\n"


GUARDED_CALLS = """
import socket, sys
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    udp.sendto(b"x", ("127.0.0.1", 9))
except OSError:
    pass
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
print("connected")
"""


def test_audit_logs_guard_decisions(tmp_path):
    log = tmp_path / "audit.jsonl"
    path = str(tmp_path / "server.sock")
    os.chmod(tmp_path, 0o755)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen(4)
        result = run(["--system-ro", "--unix-connect", path, "--audit-log", str(log), "--",
                      PYTHON, "-c", GUARDED_CALLS, path])
    assert result.returncode == 0, result.stderr
    assert text(result.stdout) == "connected\n"
    decisions = [(r["syscall"], r["destination"], r["verdict"], r.get("errno"), r.get("rule"))
                 for r in read_guard_decisions(log) if r["guard"] == "egress"]
    assert decisions == [
        ("sendto", "udp:127.0.0.1:9", "refused by guard", "EACCES", None),
        ("connect", "unix:" + path, "allowed by guard", None, path),
    ]
