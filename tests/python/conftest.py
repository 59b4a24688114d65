# Shared fixtures of the Python binding tests.
#
# meson test runs these with the interpreter that can import gi, with
# GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the build tree, so the
# typelib and library under test are the ones just built.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os

import gi
import pytest

gi.require_version("GIRepository", "2.0")
gi.require_version("Sandlock", "1")
from gi.repository import GIRepository, GLib, Sandlock  # noqa: E402

PROBE = os.environ["SANDLOCK_TEST_PROBE"]

# Bound for waits on a main loop: reaching it fails the test (something
# hung); it is never a timing assertion.
HANG_SECONDS = 60

SYSTEM_PATHS = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ld.so.cache"]


def readable_paths(*extra):
    """The system's library and binary directories, the probe's directory
    and extra: what the probe needs to start, and nothing else."""
    paths = [p for p in SYSTEM_PATHS if os.path.exists(p)]
    return paths + [os.path.dirname(PROBE)] + list(extra)


def new_sandbox(*extra_readable, **props):
    """A sandbox that can run the probe, built with constructor keywords."""
    props.setdefault("timeout", 30)
    return Sandlock.Sandbox(fs_readable=readable_paths(*extra_readable), **props)


def probe_argv(*commands):
    return [PROBE, *commands]


def output_lines(result):
    return result.get_stdout().get_data().decode(errors="surrogateescape").splitlines()


def run_probe(sandbox, *commands):
    """Runs the probe synchronously and returns (result, stdout lines)."""
    result = sandbox.run(probe_argv(*commands), None, None)
    return result, output_lines(result)


def run_on_main_loop(sandbox, argv):
    """Runs argv with run_async on the default main context, driven by a
    GLib.MainLoop, and returns the result (or raises its error)."""
    loop = GLib.MainLoop()
    outcome = {}

    def done(source, async_result, user_data):
        try:
            outcome["result"] = source.run_finish(async_result)
        except GLib.Error as error:
            outcome["error"] = error
        loop.quit()

    def hang():
        outcome["hang"] = True
        loop.quit()
        return GLib.SOURCE_REMOVE

    hang_id = GLib.timeout_add_seconds(HANG_SECONDS, hang)
    sandbox.run_async(argv, None, None, done, None)
    loop.run()
    if "hang" in outcome:
        pytest.fail("run_async did not finish within %d seconds" % HANG_SECONDS)
    GLib.source_remove(hang_id)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


@pytest.fixture
def tmp_dir(tmp_path):
    """A temporary directory by its real path (policies take real absolute
    paths; the kernel reports opens by the path the child used)."""
    return os.path.realpath(str(tmp_path))


def pytest_report_header(config):
    repo = GIRepository.Repository.get_default()
    return "Sandlock typelib: %s" % repo.get_typelib_path("Sandlock")
