"""Messages in the user's language: sandlock-run's own and the library's
GErrors, through the French catalogue built in po/. A French locale is
compiled for the test with localedef (from the Debian locales package) into
a temporary LOCPATH, so nothing of the machine's configuration is needed.

SPDX-License-Identifier: LGPL-2.1-or-later
"""

import os
import subprocess

import pytest

TOOL = os.environ["SANDLOCK_RUN"]
PO_DIR = os.environ["SANDLOCK_BUILD_PO"]


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    locpath = tmp_path_factory.mktemp("locales")
    made = subprocess.run(["localedef", "-i", "fr_FR", "-f", "UTF-8", str(locpath / "fr_FR.UTF-8")],
                          capture_output=True, text=True)
    if made.returncode != 0 or not (locpath / "fr_FR.UTF-8").exists():
        pytest.skip("cannot compile a French locale here (install the locales package): "
                    + made.stderr.strip())
    assert os.path.exists(os.path.join(PO_DIR, "fr", "LC_MESSAGES", "sandlock-glib-1.mo"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    env.update(LOCPATH=str(locpath), LC_ALL="fr_FR.UTF-8", SANDLOCK_TEST_LOCALEDIR=PO_DIR)
    return env


def run(args, env):
    return subprocess.run([TOOL] + args, capture_output=True, env=env, timeout=60)


def test_help_in_french(french):
    out = run(["--help"], french).stdout.decode()
    assert "Exécute COMMANDE confinée par Landlock" in out
    assert "CLÉ seule la retire" in out
    # The same in the C locale: English.
    english = run(["--help"], dict(french, LC_ALL="C.UTF-8")).stdout.decode()
    assert "Runs COMMAND confined by Landlock" in english


def test_library_errors_in_french(french):
    result = run(["--net-connect", "80x", "--", "true"], french)
    assert result.returncode == 125
    assert "Plage de ports « 80x » invalide" in result.stderr.decode()


def test_sandlock_run_errors_in_french(french):
    result = run([], french)
    assert result.returncode == 125
    assert "aucune commande donnée" in result.stderr.decode()
