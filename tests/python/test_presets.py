# Presets from Python: SandlockPreset is a GFlags type, add_preset() raises
# GLib.Error for an unknown value.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import pytest
from gi.repository import GLib, Sandlock


def test_system_and_devices_run_a_background_job_to_dev_null():
    sandbox = Sandlock.Sandbox(timeout=30)
    assert sandbox.add_preset(Sandlock.Preset.SYSTEM | Sandlock.Preset.DEVICES)
    assert "/usr" in sandbox.props.fs_readable
    assert "/dev/null" in sandbox.props.fs_writable
    result = sandbox.run(["sh", "-c", "true >/dev/null 2>&1 & wait $!; echo status=$?"],
                         None, None)
    assert result.get_stdout().get_data() == b"status=0\n"


def test_without_devices_dev_null_is_refused():
    sandbox = Sandlock.Sandbox(timeout=30)
    sandbox.add_preset(Sandlock.Preset.SYSTEM)
    result = sandbox.run(["sh", "-c", "echo x >/dev/null && echo written"], None, None)
    assert b"written" not in result.get_stdout().get_data()


def test_an_unknown_preset_is_a_glib_error():
    sandbox = Sandlock.Sandbox()
    with pytest.raises(GLib.Error) as raised:
        sandbox.add_preset(Sandlock.Preset(1 << 20))
    assert raised.value.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_POLICY)
    assert sandbox.props.fs_readable == []


def test_fs_denied_and_private_proc_properties(tmp_path):
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key").write_text("key")
    (tmp_path / "open").write_text("open\n")
    sandbox = Sandlock.Sandbox(fs_readable=[str(tmp_path), "/proc"],
                               fs_denied=[str(tmp_path / "secret")], timeout=30)
    assert sandbox.props.private_proc is True
    assert sandbox.get_fs_denied() == [str(tmp_path / "secret")]
    sandbox.add_preset(Sandlock.Preset.SYSTEM)
    script = ("cat %s/open; cat %s/secret/key 2>&1; ls /proc | grep -c '^[0-9]'"
              % (tmp_path, tmp_path))
    result = sandbox.run(["sh", "-c", script], None, None)
    lines = result.get_stdout().get_data().decode().split("\n")
    assert lines[0] == "open"
    assert "No such file or directory" in lines[1]
    assert lines[2] in ("2", "3")   # sh, ls, grep: the sandbox's own
    sandbox.props.private_proc = False
    result = sandbox.run(["sh", "-c", "ls /proc | grep -c '^[0-9]'"], None, None)
    assert int(result.get_stdout().get_data()) > 3
