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
