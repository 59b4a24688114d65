"""Tests of sandlock-run's bash completion (tools/sandlock-run.bash-completion):
real bash sources the script and calls its function as bash would, with the
built sandlock-run first on PATH, whose --help is where the options come
from.

SPDX-License-Identifier: LGPL-2.1-or-later
"""

import os
import re
import shutil
import subprocess

import pytest

TOOL = os.environ["SANDLOCK_RUN"]
SCRIPT = os.environ["SANDLOCK_RUN_COMPLETION"]
BASH = shutil.which("bash") or "/bin/bash"


def complete(*words, cwd=None):
    """What the completion offers for the command line WORDS, the last
    being the word under the cursor."""
    program = r'''
source "$1"; shift
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_sandlock_run
printf '%s\n' "${COMPREPLY[@]}"
'''
    env = dict(os.environ, PATH=os.path.dirname(TOOL) + ":" + os.environ.get("PATH", ""))
    result = subprocess.run([BASH, "-c", program, "bash", SCRIPT, "sandlock-run", *words],
                            capture_output=True, text=True, env=env, cwd=cwd, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


def help_options():
    """Every long option in --help's option lines, with "=" when it takes a value."""
    out = subprocess.run([TOOL, "--help"], capture_output=True, text=True).stdout
    return re.findall(r"^ +(?:-[A-Za-z], )?(--[a-z0-9-]+=?)", out, re.M)


def test_offers_every_option_of_help():
    options = help_options()
    assert len(options) > 15
    assert sorted(complete("--")) == sorted(options)
    for option in options:
        # Each option is reached from a prefix that only it starts with, or
        # is among what its own name offers.
        assert option in complete(option.rstrip("=")), option


def test_prefix_narrows_the_options():
    offered = complete("--fs-")
    assert offered and all(o.startswith("--fs-") for o in offered)
    assert "--fs-read=" in offered


def test_value_of_an_option_is_a_file(tmp_path):
    (tmp_path / "alpha").mkdir()
    (tmp_path / "beta").write_text("")
    assert complete("--fs-read", "al", cwd=tmp_path) == ["alpha"]
    assert complete("-w", "be", cwd=tmp_path) == ["beta"]
    # --cwd takes a directory only.
    assert complete("--cwd", "", cwd=tmp_path) == ["alpha"]


@pytest.mark.parametrize("words", [
    ["--system-ro", "ech"],
    ["--", "ech"],
    ["-r", "/usr", "ech"],                 # -r took /usr: echo is the command
    ["-t", "5", "--", "ech"],
    ["--fs-read=/usr", "ech"],
    ["--audit", "ech"],                    # --audit's value needs "="
])
def test_the_command_after_the_options(words):
    assert "echo" in complete(*words)


def test_the_commands_arguments_are_files(tmp_path):
    (tmp_path / "notes.txt").write_text("")
    assert complete("--system-ro", "cat", "not", cwd=tmp_path) == ["notes.txt"]
    # An option-looking argument of the command is not ours to complete.
    assert complete("--", "ls", "--fs", cwd=tmp_path) == []
