# The resource limits through GObject Introspection: the properties as
# constructor keywords, the enums and flags as Python types, the result's
# report. The limits' behaviour is tested in tests/test-limits.c.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import os
import sys

import pytest
from gi.repository import Gio, GLib, Sandlock

from conftest import new_sandbox

PYTHON = "/usr/bin/python3"

FORK_UNTIL_REFUSED = """
import os, signal
n = 0
while n < 50:
    try:
        pid = os.fork()
    except OSError as e:
        print(n, e.errno)
        break
    if pid == 0:
        signal.pause()
    n += 1
"""


def test_defaults_and_keywords():
    sandbox = Sandlock.Sandbox()
    assert sandbox.props.max_processes == 64
    assert sandbox.props.max_memory == 0
    assert sandbox.props.max_cpu == 0
    assert sandbox.props.cpu_cores is None
    sandbox = Sandlock.Sandbox(max_processes=8, max_memory=256 << 20, max_cpu=150, cpu_cores="0")
    assert sandbox.get_max_processes() == 8
    assert sandbox.get_max_memory() == 256 << 20
    assert sandbox.get_max_cpu() == 150
    assert sandbox.get_cpu_cores() == "0"


def test_flags_and_mechanisms_are_python_types():
    assert Sandlock.Limits.PROCESSES | Sandlock.Limits.MEMORY != Sandlock.Limits.NONE
    assert Sandlock.LimitMechanism.SUPERVISOR != Sandlock.LimitMechanism.NONE


def test_a_refused_fork_is_in_the_result():
    sandbox = new_sandbox(max_processes=4)
    result = sandbox.run([PYTHON, "-c", FORK_UNTIL_REFUSED], None, None)
    assert result.get_stdout().get_data() == b"3 %d\n" % errno.EAGAIN
    assert result.props.limits_reached == Sandlock.Limits.PROCESSES
    assert result.get_limits_reached() == Sandlock.Limits.PROCESSES
    assert result.props.oom_killed is False
    assert result.get_limit_mechanism(Sandlock.Limits.PROCESSES) == Sandlock.LimitMechanism.SUPERVISOR
    assert result.get_limit_mechanism(Sandlock.Limits.CPU) == Sandlock.LimitMechanism.NONE
    assert result.get_kill_mechanism() == Sandlock.LimitMechanism.SUPERVISOR


def test_a_bad_cpu_list_is_a_glib_error():
    sandbox = new_sandbox(cpu_cores="0-")
    with pytest.raises(GLib.Error) as info:
        sandbox.run([PYTHON, "-c", "pass"], None, None)
    assert info.value.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_POLICY)


def test_the_kill_mechanism_and_the_scope_value():
    # Only max-processes: no cgroup, so the helper's own walk kills; the
    # mechanism is known once the process has exited.
    assert Sandlock.LimitMechanism.SYSTEMD_SCOPE != Sandlock.LimitMechanism.CGROUP_V2
    sandbox = new_sandbox(max_processes=4)
    process = sandbox.spawn([PYTHON, "-c", "pass"], Gio.SubprocessFlags.NONE)
    process.wait(None)
    assert process.get_kill_mechanism() == Sandlock.LimitMechanism.SUPERVISOR
