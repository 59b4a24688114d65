#!/usr/bin/env python3
# bench_trapcost.py: what a trapped guard call costs (issue 18), quickly
#
#   bench_trapcost.py [--rounds 5] [--calls 100000] [--files 5000]
#                     NAME=SANDLOCK_RUN [NAME=SANDLOCK_RUN ...]
#
# Interleaves, round after round: tar -xf of FILES small files bare, then
# under each sandlock-run given (`--preset system,devices -w WORK`, the
# default policy: the metadata guard on), and under the first one with
# SANDLOCK_TEST_DISABLE=metadata-guard; then bench-metadata (CALLS calls
# each of fchmod, fchown, futimens on a descriptor, chmod and utimensat on
# a path) bare and under each. Prints the medians. Give two builds (before
# and after a change) to compare them within one run on a shared machine.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=100000)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--fs-deny", action="store_true",
                        help="add --fs-deny WORK/secret (the lookup guard)")
    parser.add_argument("runs", nargs="+", metavar="NAME=SANDLOCK_RUN")
    args = parser.parse_args()
    runs = dict(r.split("=", 1) for r in args.runs)

    with tempfile.TemporaryDirectory(prefix="sandlock-trapcost-", dir="/dev/shm") as work:
        source = os.path.join(work, "source")
        dirs = max(1, args.files // 50)
        for d in range(dirs):
            os.makedirs(os.path.join(source, f"d{d:03}"))
            for f in range(50):
                with open(os.path.join(source, f"d{d:03}", f"f{f:03}"), "w") as out:
                    out.write(f"{d} {f}\n" * 16)
        archive = os.path.join(work, "tree.tar")
        subprocess.run(["tar", "-cf", archive, "-C", source, "."], check=True)
        shutil.rmtree(source)
        os.mkdir(os.path.join(work, "secret"))
        dest = os.path.join(work, "dest")
        probe = os.path.join(work, "bench-metadata")
        subprocess.run(["cc", "-O2", "-o", probe, os.path.join(HERE, "bench-metadata.c")],
                       check=True)

        def prefix(sandlock_run):
            argv = [sandlock_run, "--preset", "system,devices", "-w", work, "--cwd", work]
            if args.fs_deny:
                argv += ["--fs-deny", os.path.join(work, "secret")]
            return argv + ["--"]

        first = next(iter(runs))
        variants = {"bare": ([], None)}
        for name, path in runs.items():
            variants[name] = (prefix(path), None)
        variants[f"{first}-guard-off"] = (prefix(runs[first]),
                                          dict(os.environ, SANDLOCK_TEST_DISABLE="metadata-guard"))

        tar_ms = {name: [] for name in variants}
        micro = {name: [] for name in variants if not name.endswith("guard-off")}
        for _ in range(args.rounds):
            for name, (argv, env) in variants.items():
                shutil.rmtree(dest, ignore_errors=True)
                os.mkdir(dest)
                start = time.perf_counter()
                subprocess.run(argv + ["tar", "-xf", archive, "-C", dest], check=True, env=env)
                tar_ms[name].append((time.perf_counter() - start) * 1000)
            for name in micro:
                argv, env = variants[name]
                # In a subdirectory: with --fs-deny, the directory that
                # holds the denied one is granted entry by entry.
                out = subprocess.run(argv + [probe, str(args.calls), dest], check=True,
                                     env=env, capture_output=True, text=True).stdout
                micro[name].append(json.loads(out))

    bare = statistics.median(tar_ms["bare"])
    print(f"tar -xf of {dirs * 50} files, median of {args.rounds} rounds (ms, x bare):")
    for name, values in tar_ms.items():
        med = statistics.median(values)
        print(f"  {name:24} {med:8.0f}  {med / bare:5.2f}x  (range {min(values):.0f}-{max(values):.0f})")
    print(f"bench-metadata, ns per call, median of {args.rounds} rounds of {args.calls}:")
    calls = list(micro["bare"][0])
    print("  " + " " * 24 + "".join(f"{c:>15}" for c in calls))
    for name, values in micro.items():
        print(f"  {name:24}" + "".join(
            f"{statistics.median(v[c] for v in values):15.0f}" for c in calls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
