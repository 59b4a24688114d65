# How many of the application's descriptors running sandboxes hold, from
# Python: many at once under the usual soft limit of 1024, and a clear
# error, with room left for the application, when the limit is near.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import resource
import socket

import pytest
from gi.repository import GLib, Gio, Sandlock

from conftest import HANG_SECONDS, new_sandbox, probe_argv

# Sandboxes running at once. Each holds 2 descriptors (its listener and its
# control socket), and those of one main context share one more (their
# hub's epoll descriptor): 300 of them fit under a soft limit of 1024 with
# the interpreter's own and the margin a spawn keeps (64 at that limit).
CONCURRENT = 300


def open_fds():
    return len(os.listdir("/proc/self/fd")) - 1   # listdir's own


def lowered_soft_limit(limit):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < limit:
        pytest.skip("the hard RLIMIT_NOFILE is below %d" % limit)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    yield limit
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.fixture
def soft_limit_1024():
    yield from lowered_soft_limit(1024)


@pytest.fixture
def soft_limit_512():
    # Half the usual limit: fewer spawns before the refusal, same rule.
    yield from lowered_soft_limit(512)


def end_all(processes):
    """Kills every process and waits for all of them on a main loop."""
    loop = GLib.MainLoop()
    left = [len(processes)]

    def waited(process, result, user_data):
        process.wait_finish(result)
        left[0] -= 1
        if left[0] == 0:
            loop.quit()

    for process in processes:
        process.force_exit()
    for process in processes:
        process.wait_async(None, waited, None)
    timeout = GLib.timeout_add_seconds(HANG_SECONDS, loop.quit)
    loop.run()
    GLib.source_remove(timeout)
    assert left[0] == 0, "the sandboxes did not end"
    processes.clear()


def warm_up(sandbox):
    # Lazily created descriptors: the cached policy's ruleset, the
    # helper's program, GLib's wake-up descriptor.
    assert sandbox.run(probe_argv("exit", "0"), None, None).get_success()


def test_300_sandboxes_at_once_under_the_usual_limit(soft_limit_1024):
    sandbox = new_sandbox(timeout=0)
    warm_up(sandbox)
    before = open_fds()
    processes = []
    try:
        for _ in range(CONCURRENT):
            processes.append(sandbox.spawn(probe_argv("sleep", "60"), Gio.SubprocessFlags.NONE))
        running = open_fds()
        assert running - before <= 2 * CONCURRENT + 1
        # The application's own code still gets descriptors.
        a, b = socket.socketpair()
        a.close()
        b.close()
    finally:
        end_all(processes)
    assert open_fds() == before


def test_a_spawn_near_the_limit_is_a_clear_error(soft_limit_512):
    sandbox = new_sandbox(timeout=0)
    warm_up(sandbox)
    before = open_fds()
    processes = []
    try:
        with pytest.raises(GLib.Error) as raised:
            while len(processes) < soft_limit_512:
                processes.append(sandbox.spawn(probe_argv("sleep", "60"), Gio.SubprocessFlags.NONE))
        assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.TOO_MANY_FILES)
        # Refused with the margin, max(32, 512 / 16) = 32, left free, after
        # about (512 - what is open - 32) / 2 sandboxes.
        assert soft_limit_512 - open_fds() >= 32
        assert len(processes) >= (soft_limit_512 - before - 32) // 2 - 8
        a, b = socket.socketpair()
        a.close()
        b.close()
    finally:
        end_all(processes)
    assert open_fds() == before
