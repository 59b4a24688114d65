# SandlockSandbox:pty from Python: the master from process.get_pty_fd(),
# read from a watch on the main loop while the command runs, closed with
# the process.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gc
import os

from gi.repository import Gio, GLib, Sandlock


def pty_sandbox():
    sandbox = Sandlock.Sandbox(pty=True, timeout=30)
    sandbox.add_preset(Sandlock.Preset.SYSTEM | Sandlock.Preset.DEVICES)
    return sandbox


def test_the_property_is_off_by_default_and_notifies():
    sandbox = Sandlock.Sandbox()
    assert sandbox.props.pty is False
    assert sandbox.get_pty() is False
    seen = []
    sandbox.connect("notify::pty", lambda *args: seen.append(True))
    sandbox.set_pty(True)
    sandbox.props.pty = True   # unchanged: no second notification
    assert sandbox.props.pty is True and seen == [True]


def test_a_dialogue_on_the_main_loop():
    # The command forks (each fork is a trapped syscall answered on this
    # loop), so the master is read from a watch, never in a blocking loop.
    sandbox = pty_sandbox()
    process = sandbox.spawn(["sh", "-c", "echo question; read answer; "
                                         "echo answer=$answer; (true >/dev/null 2>&1 &)"],
                            Gio.SubprocessFlags.NONE)
    master = process.get_pty_fd()
    loop = GLib.MainLoop()
    output = bytearray()

    def on_readable(fd, condition):
        try:
            data = os.read(fd, 4096)
        except OSError:        # EIO: the sandbox is gone
            data = b""
        if not data:
            loop.quit()
            return GLib.SOURCE_REMOVE
        output.extend(data)
        if b"question" in output and b"typed" not in output:
            os.write(fd, b"typed\n")
        return GLib.SOURCE_CONTINUE

    GLib.unix_fd_add_full(GLib.PRIORITY_DEFAULT, master, GLib.IOCondition.IN | GLib.IOCondition.HUP,
                          on_readable)
    GLib.timeout_add_seconds(30, loop.quit)
    loop.run()
    process.wait_check()
    assert b"answer=typed" in output, output


def test_the_master_goes_with_the_process():
    sandbox = pty_sandbox()
    process = sandbox.spawn(["true"], Gio.SubprocessFlags.NONE)
    master = process.get_pty_fd()
    assert master > 2
    process.wait_check()
    before = os.fstat(master)  # still open: the process holds it
    del process
    gc.collect()
    try:
        after = os.fstat(master)
        # Closed, unless another thread's descriptor took the number.
        still_open = (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    except OSError:
        still_open = False
    assert not still_open


def test_without_the_property_there_is_no_master():
    sandbox = Sandlock.Sandbox(timeout=30)
    sandbox.add_preset(Sandlock.Preset.SYSTEM)
    process = sandbox.spawn(["true"], Gio.SubprocessFlags.NONE)
    assert process.get_pty_fd() == -1
    process.wait_check()
