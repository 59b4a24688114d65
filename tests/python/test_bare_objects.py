# Every public class of the Sandlock typelib, built the way a binding's
# plain constructor builds it (`Sandlock.X()`: g_object_new() and nothing
# else), and each of its methods called on it: nothing may crash or hang.
# Refusing is fine: a GLib.Error, a binding's TypeError at construction,
# or at worst a g_return_if_fail() critical with a default return.
#
# Each class runs in a child process (bare_objects_child.py), so a crash
# is caught and reported with the method that caused it; the child then
# starts again after that method, so one crash hides no other.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import signal
import subprocess
import sys

import pytest
from gi import _gi
from gi.repository import Sandlock

from conftest import HANG_SECONDS

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bare_objects_child.py")
ERROR_DOMAIN = "sandlock-error-quark"


def public_classes():
    """The instantiable-looking types of the typelib: every object class and
    every boxed structure (class structures excluded)."""
    repository = _gi.Repository.get_default()
    names = []
    for info in repository.get_infos("Sandlock"):
        if isinstance(info, _gi.ObjectInfo):
            names.append(info.get_name())
        elif isinstance(info, _gi.StructInfo) and not info.is_gtype_struct():
            names.append(info.get_name())
    return names


def sweep(class_name, subclass=False, env=None):
    """Runs the child over every method of class_name, restarting it after
    each crash or hang. Returns (construct record, method records, faults)."""
    construct = None
    records = {}
    faults = []
    start = 0
    n_methods = None
    while True:
        argv = [sys.executable, CHILD, class_name, "--start", str(start)]
        if subclass:
            argv.append("--subclass")
        try:
            child = subprocess.run(argv, capture_output=True, text=True,
                                   timeout=HANG_SECONDS * 2, env=env)
            stdout, returncode = child.stdout, child.returncode
        except subprocess.TimeoutExpired as expired:
            stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
            returncode = "hang"
        running = None
        for line in stdout.splitlines():
            record = json.loads(line)
            if record["step"] == "construct":
                construct = record
            elif record["step"] == "begin":
                running = record
            elif record["step"] == "end":
                records[record["method"]] = record
                running = None
            elif record["step"] == "done":
                n_methods = record["methods"]
        if returncode == 0:
            return construct, records, faults, n_methods
        if running is None:
            faults.append("%s%s: the child failed (%s) outside any method: %s"
                          % (class_name, " subclass" if subclass else "", returncode, stdout[-500:]))
            return construct, records, faults, n_methods
        how = ("hung" if returncode == "hang"
               else "was killed by %s" % signal.Signals(-returncode).name if returncode < 0
               else "exited with %d" % returncode)
        faults.append("%s.%s%s %s" % (class_name, running["method"],
                                      " (subclass)" if subclass else "", how))
        start = running["index"] + 1


@pytest.mark.parametrize("subclass", [False, True], ids=["plain", "subclass"])
@pytest.mark.parametrize("class_name", public_classes())
def test_bare_object_never_crashes(class_name, subclass):
    construct, records, faults, n_methods = sweep(class_name, subclass)
    assert faults == []
    assert construct is not None
    if "refused" in construct:
        # The binding refused to build it (abstract, boxed without a
        # default constructor, or final and so not subclassable).
        assert construct["refused"].startswith(("TypeError", "RuntimeError"))
        return
    assert n_methods == len(records)
    for name, record in records.items():
        # Every method was really called with arguments the binding took.
        assert "bad_arguments" not in record, (name, record)
        assert "hang" not in record, (name, record)


def test_the_typelib_has_the_expected_classes():
    # Guards the parametrized test above against an empty enumeration.
    assert {"Sandbox", "Process", "Notification", "Result", "Handler", "Action"} <= set(public_classes())


def outcomes(class_name):
    construct, records, faults, _ = sweep(class_name)
    assert faults == []
    return records


def test_a_bare_notification_is_gone():
    records = outcomes("Notification")
    for method in ("read", "read_string", "write", "respond"):
        domain, code, _ = records[method]["error"]
        assert (domain, code) == (ERROR_DOMAIN, int(Sandlock.Error.NOTIFICATION_GONE)), method
        assert records[method]["logged"] == []
    assert records["is_pending"]["returned"] == "False"
    assert records["get_syscall"]["returned"] == "-1"


def test_a_bare_process_was_never_spawned():
    records = outcomes("Process")
    for method in ("wait", "wait_check", "communicate"):
        domain, code, message = records[method]["error"]
        assert (domain, code) == (ERROR_DOMAIN, int(Sandlock.Error.FAILED)), method
        assert "never spawned" in message
    for method in ("wait_async", "wait_check_async", "communicate_async"):
        callback = records[method]["callback"]
        assert callback["error"] == [ERROR_DOMAIN, int(Sandlock.Error.FAILED)], method


@pytest.mark.parametrize("class_name, method", [
    ("Process", "wait_finish"),
    ("Process", "wait_check_finish"),
    ("Process", "communicate_finish"),
    ("Sandbox", "run_finish"),
])
def test_finish_refuses_a_result_of_another_call(class_name, method):
    # The child passes a GTask of the object that no call of it made.
    record = outcomes(class_name)[method]
    assert record["returned"] in ("False", "None", "(False, stdout_buf=None, stderr_buf=None)")
    assert any("source_tag" in message for message in record["logged"]), record


def test_the_sweep_reports_a_crash_and_goes_on():
    env = dict(os.environ, SANDLOCK_TEST_CRASH_AT="Result.get_stdout")
    construct, records, faults, n_methods = sweep("Result", env=env)
    assert faults == ["Result.get_stdout was killed by SIGSEGV"]
    # The methods after it still ran.
    assert "get_success" in records and "get_timed_out" in records
