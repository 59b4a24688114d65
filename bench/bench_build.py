# bench_build.py: the cost of fs-denied and of a private /proc on a build.
#
# A small C project (make -j2 of many files, each including a few system
# headers) is built bare, confined (presets system and devices, the
# project writable), confined with a denied directory inside the project
# (the project then granted entry by entry), confined with /proc granted
# and private (every open and listing trapped) and with /proc shared.
# Interleaved round by round; medians. Imported by run-bench.py.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SOURCE = """#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

int f%(i)d (int x);

int
f%(i)d (int x)
{
  char buffer[64];
  snprintf (buffer, sizeof buffer, "%%d", x * %(i)d);
  return (int) strlen (buffer) + (int) sqrt ((double) abs (x));
}
"""


def make_project(root, files):
    src = os.path.join(root, "src")
    os.mkdir(src)
    objects = []
    for i in range(files):
        with open(os.path.join(src, f"f{i:03}.c"), "w") as f:
            f.write(SOURCE % {"i": i})
        objects.append(f"f{i:03}.o")
    with open(os.path.join(src, "main.c"), "w") as f:
        f.write("int f0 (int x);\nint main (void) { return f0 (1) > 100; }\n")
    with open(os.path.join(src, "Makefile"), "w") as f:
        f.write("OBJS = main.o " + " ".join(objects) + "\n"
                "prog: $(OBJS)\n\tcc -o prog $(OBJS) -lm\n"
                "%.o: %.c\n\tcc -O0 -c $< -o $@\n")
    secret = os.path.join(root, "secret")
    os.mkdir(secret)
    for i in range(20):
        with open(os.path.join(secret, f"key{i}"), "w") as f:
            f.write("secret\n")
    return src, secret


LOOKUP_SYSCALLS = {"stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2",
                   "readlink", "readlinkat", "open", "openat", "openat2"}
PROC_SYSCALLS = {"open", "openat", "openat2", "getdents64", "getdents"}

# Per-call cost, inside the sandbox: a loop of stat() and of open()+close()
# of a file beneath the writable tree.
LOOP = """import os, sys, time
path, n = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
for _ in range(n):
    os.stat(path)
stat_us = (time.perf_counter() - t) * 1e6 / n
t = time.perf_counter()
for _ in range(n):
    os.close(os.open(path, os.O_RDONLY))
open_us = (time.perf_counter() - t) * 1e6 / n
print(f"{stat_us:.2f} {open_us:.2f}")
"""


def count_syscalls(command, cwd):
    """Syscalls of @command by name (strace -c -f), or None."""
    if shutil.which("strace") is None:
        return None
    with tempfile.NamedTemporaryFile(prefix="sandlock-bench-strace-") as out:
        done = subprocess.run(["strace", "-f", "-c", "-U", "name,calls", "-o", out.name] + command,
                              capture_output=True, text=True, cwd=cwd)
        if done.returncode != 0:
            return None
        counts = {}
        for line in open(out.name).read().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                counts[parts[0]] = int(parts[1])
        return counts


def build_benchmark(sandlock_run, quick, rounds):
    files = 4 if quick else 60
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    if shutil.which("cc") is None or shutil.which("make") is None:
        return {"skipped": "no cc or make"}
    with tempfile.TemporaryDirectory(prefix="sandlock-bench-build-", dir=base) as work:
        src, secret = make_project(work, files)
        tmp = os.path.join(work, "tmp")   # cc's temporary files
        os.mkdir(tmp)
        make = ["make", "-s", "-j2", "-C", src]
        confined = [sandlock_run, "--preset", "system,devices", "-w", work]
        variants = {
            "bare": make,
            "confined": confined + ["--"] + make,
            "fs_denied": confined + ["--fs-deny", secret, "--"] + make,
            "private_proc": confined + ["-r", "/proc", "--"] + make,
            "shared_proc": confined + ["-r", "/proc", "--shared-proc", "--"] + make,
        }

        def clean():
            for name in os.listdir(src):
                if name.endswith(".o") or name == "prog":
                    os.unlink(os.path.join(src, name))

        # The denied directory is denied while the build runs.
        probe = subprocess.run(confined + ["--fs-deny", secret, "--", "cat",
                                           os.path.join(secret, "key0")], capture_output=True)
        if probe.returncode == 0:
            sys.exit("build: --fs-deny let the denied directory be read")

        # The build's syscalls, bare: how many each guard would trap.
        clean()
        counts = count_syscalls(make, src)
        clean()

        # The per-call cost of stat() and open(), inside the sandbox.
        loop_n = 200 if quick else 5000
        target = os.path.join(src, "main.c")
        loop = ["/usr/bin/python3", "-c", LOOP, target, str(loop_n)]
        loops = {
            "confined": confined + ["--"] + loop,
            "fs_denied": confined + ["--fs-deny", secret, "--"] + loop,
            "private_proc": confined + ["-r", "/proc", "--"] + loop,
        }
        loop_samples = {name: ([], []) for name in loops}

        samples = {name: [] for name in variants}
        for r in range(rounds):
            for name, command in loops.items():
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"build loop ({name}) failed: {done.stderr.strip()}")
                stat_us, open_us = (float(x) for x in done.stdout.split())
                loop_samples[name][0].append(stat_us)
                loop_samples[name][1].append(open_us)
            for name, command in variants.items():
                clean()
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True,
                                      env=dict(os.environ, TMPDIR=tmp))
                elapsed = time.perf_counter() - start
                if done.returncode != 0 or not os.path.exists(os.path.join(src, "prog")):
                    sys.exit(f"build ({name}) failed: {done.stderr.strip()}")
                samples[name].append(elapsed * 1000)
            print(f"build round {r + 1}/{rounds} done", file=sys.stderr)
        clean()

    result = {"files": files + 1, "rounds": rounds, "directory": base or tempfile.gettempdir(),
              "loop_calls": loop_n}
    for name, (stat_us, open_us) in loop_samples.items():
        result[f"{name}_stat_us"] = round(statistics.median(stat_us), 2)
        result[f"{name}_open_us"] = round(statistics.median(open_us), 2)
    if counts is not None:
        result["all_calls"] = sum(counts.values())
        result["lookup_guard_calls"] = sum(n for name, n in counts.items() if name in LOOKUP_SYSCALLS)
        result["proc_guard_calls"] = sum(n for name, n in counts.items() if name in PROC_SYSCALLS)
    for name in variants:
        result[f"{name}_ms"] = round(statistics.median(samples[name]), 2)
    for name in variants:
        if name != "bare":
            result[f"ratio_{name}_to_bare"] = round(result[f"{name}_ms"] / result["bare_ms"], 3)
    result["ratio_fs_denied_to_confined"] = round(result["fs_denied_ms"] / result["confined_ms"], 3)
    result["ratio_private_proc_to_shared"] = round(
        result["private_proc_ms"] / result["shared_proc_ms"], 3)
    return result


def build_lines(br):
    if "skipped" in br:
        return ["", f"Build benchmark skipped: {br['skipped']}"]
    lines = ["", f"make -j2 of {br['files']} C files (median of {br['rounds']} rounds)",
             f"  {'':34}{'ms':>10}{'vs bare':>10}",
             f"  {'bare':34}{br['bare_ms']:>10.1f}{1:>9.2f}x"]
    labels = {"confined": "confined (system, devices, -w)",
              "fs_denied": "confined, --fs-deny in the tree",
              "private_proc": "confined, -r /proc (private)",
              "shared_proc": "confined, -r /proc --shared-proc"}
    for name, label in labels.items():
        lines.append(f"  {label:34}{br[name + '_ms']:>10.1f}{br['ratio_' + name + '_to_bare']:>9.2f}x")
    lines += [f"  fs-denied / confined: {br['ratio_fs_denied_to_confined']:.2f}x",
              f"  private /proc / shared: {br['ratio_private_proc_to_shared']:.2f}x"]
    if "all_calls" in br:
        lines.append(f"  the build's syscalls (bare, strace): {br['all_calls']}, "
                     f"{br['lookup_guard_calls']} trapped with fs-denied, "
                     f"{br['proc_guard_calls']} with a private /proc")
    lines += [f"  per call inside the sandbox (median, {br['loop_calls']} calls): "
              f"{'':0}",
              f"  {'':34}{'stat us':>10}{'open us':>10}"]
    for name in ("confined", "fs_denied", "private_proc"):
        lines.append(f"  {name:34}{br[name + '_stat_us']:>10.2f}{br[name + '_open_us']:>10.2f}")
    return lines
