# SandlockLauncher from Python: a descriptor passed at a number of our
# choosing, a standard stream from a file, the environment; spawn_async
# on a GLib main loop; communicate_utf8.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os

from conftest import HANG_SECONDS, GLib, Sandlock, new_sandbox, probe_argv
from gi.repository import Gio


def test_passes_a_descriptor_and_a_variable(tmp_dir):
    read_end, write_end = os.pipe()
    os.write(write_end, b"through fd 5")
    os.close(write_end)
    launcher = Sandlock.Launcher.new(new_sandbox(), Gio.SubprocessFlags.STDOUT_PIPE)
    launcher.take_fd(read_end, 5)
    launcher.setenv("SANDLOCK_FROM_PYTHON", "yes", True)
    process = launcher.spawnv(probe_argv("read-fd", "5", "env"))
    ok, out, err = process.communicate_utf8(None, None)
    assert ok and err is None
    lines = out.splitlines()
    assert "read-fd 5: through fd 5" in lines
    assert "env: SANDLOCK_FROM_PYTHON=yes" in lines


def test_stdout_to_a_file(tmp_dir):
    path = os.path.join(tmp_dir, "out")
    launcher = Sandlock.Launcher.new(new_sandbox(), Gio.SubprocessFlags.NONE)
    launcher.set_stdout_file_path(path)
    launcher.spawnv(probe_argv("print", "into a file")).wait_check(None)
    with open(path) as f:
        assert f.read() == "into a file\n"


def test_spawn_async_on_a_main_loop():
    sandbox = new_sandbox()
    loop = GLib.MainLoop()
    outcome = {}

    def spawned(source, result):
        outcome["process"] = source.spawn_finish(result)
        loop.quit()

    sandbox.spawn_async(probe_argv("print", "async"), Gio.SubprocessFlags.STDOUT_PIPE, None, spawned)
    GLib.timeout_add_seconds(HANG_SECONDS, loop.quit)
    loop.run()
    ok, out, _ = outcome["process"].communicate_utf8(None, None)
    assert ok and out == "async\n"
