#!/usr/bin/env python3
# run-bench.py: runs every benchmark in one go, prints a table, writes JSON.
#
#   run-bench.py --builddir BUILD [--quick] [--output FILE]
#
# Called by build-aux/run-bench. Everything is measured in the same run, the
# round trips interleaved round by round, so that the ratios hold on a noisy
# machine; each figure is the median over the rounds. --quick runs tiny sizes
# only to prove that the benchmarks work (the test suite does that); its
# figures mean nothing.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys

TARGETS = {
    "c": 1.25,        # C handler / bare libseccomp loop
    "python": 2.5,    # Python handler / bare libseccomp loop
    "startup": 1.5,   # confined start / g_spawn_sync
    "scale": 0.8,     # 64 sandboxes' throughput / one sandbox's
}


def run_json(command, env=None):
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


def machine():
    info = {
        "kernel": platform.release(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["memory_kib"] = int(f.readline().split()[1])
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    info["os"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    for tool, args in (("glib", ["pkg-config", "--modversion", "glib-2.0"]),
                       ("libseccomp", ["pkg-config", "--modversion", "libseccomp"]),
                       ("gjs", ["gjs", "--version"])):
        try:
            info[tool] = subprocess.run(args, capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
    return info


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--builddir", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output")
    args = parser.parse_args()

    build = os.path.abspath(args.builddir)
    bench = os.path.join(build, "bench", "sandlock-bench")
    child = os.path.join(build, "bench", "bench-child")
    source = os.path.dirname(os.path.abspath(__file__))
    binding_env = dict(os.environ)
    binding_env["GI_TYPELIB_PATH"] = os.path.join(build, "introspection")
    binding_env["LD_LIBRARY_PATH"] = os.path.join(build, "sandlock-glib")
    no_sync_env = dict(os.environ, SANDLOCK_TEST_DISABLE="sync-wake-up")

    rounds = 1 if args.quick else 5
    calls = 2000 if args.quick else 100000
    binding_calls = 1000 if args.quick else 50000
    startup_runs = 10 if args.quick else 300
    python_startup_runs = 5 if args.quick else 100
    python_mib = 20 if args.quick else 200
    scale_calls = 200 if args.quick else 20000
    scales = [1, 8, 64]

    python_ok = os.path.exists(os.path.join(build, "introspection", "Sandlock-1.typelib"))
    gjs = shutil.which("gjs") if python_ok else None

    roundtrip = {
        "none": lambda: run_json([bench, "roundtrip-none", str(calls)]),
        "reference": lambda: run_json([bench, "roundtrip-ref", str(calls)]),
        "reference-no-sync": lambda: run_json([bench, "roundtrip-ref", str(calls), "--no-sync"]),
        "c": lambda: run_json([bench, "roundtrip-c", str(calls)]),
        "c-no-sync": lambda: run_json([bench, "roundtrip-c", str(calls)], env=no_sync_env),
    }
    if python_ok:
        roundtrip["python"] = lambda: run_json(
            [sys.executable, os.path.join(source, "bench-handler.py"), child, str(binding_calls)],
            env=binding_env)
    if gjs:
        roundtrip["gjs"] = lambda: run_json(
            [gjs, "-m", os.path.join(source, "bench-handler.js"), child, str(binding_calls)],
            env=binding_env)

    samples = {name: [] for name in roundtrip}
    cpu = {name: [] for name in roundtrip}
    for r in range(rounds):
        for name, measure in roundtrip.items():
            result = measure()
            if "handled" in result and result["handled"] != result["child"]["calls"]:
                sys.exit(f"{name}: handled {result['handled']} of {result['child']['calls']} calls")
            samples[name].append(result["child"]["ns_per_call"])
            if "supervisor_cpu_ns_per_call" in result:
                cpu[name].append(result["supervisor_cpu_ns_per_call"])
        print(f"round {r + 1}/{rounds} done", file=sys.stderr)

    results = {"roundtrip": {}}
    reference = statistics.median(samples["reference"])
    for name in roundtrip:
        ns = statistics.median(samples[name])
        entry = {"ns_per_call": round(ns, 1), "ratio_to_reference": round(ns / reference, 3)}
        if cpu[name]:
            entry["supervisor_cpu_ns_per_call"] = round(statistics.median(cpu[name]), 1)
        results["roundtrip"][name] = entry

    results["startup"] = run_json([bench, "startup", str(startup_runs)])
    results["startup"]["ratio_to_g_spawn_sync"] = round(
        results["startup"]["sandlock_us"] / results["startup"]["g_spawn_sync_us"], 3)
    if "bwrap_us" in results["startup"]:
        results["startup"]["ratio_to_bwrap"] = round(
            results["startup"]["sandlock_us"] / results["startup"]["bwrap_us"], 3)

    if python_ok:
        # The same start from a Python application holding 200 MiB, with the
        # helper as it is and forked (as it was): a fork's cost grows with
        # the application, the helper's start in its memory does not.
        forked_env = dict(binding_env, SANDLOCK_TEST_DISABLE="shared-memory-helper")
        script = [sys.executable, os.path.join(source, "bench-startup.py"),
                  str(python_mib), str(python_startup_runs)]
        results["startup_python"] = [run_json(script, env=binding_env),
                                     run_json(script, env=forked_env)]

    results["scale"] = [run_json([bench, "scale", str(s), str(scale_calls)]) for s in scales]
    single = results["scale"][0]["calls_per_second"]
    for entry in results["scale"]:
        entry["throughput_ratio_to_one"] = round(entry["calls_per_second"] / single, 3)

    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "sizes": {"rounds": rounds, "calls": calls, "binding_calls": binding_calls,
                  "startup_runs": startup_runs, "python_startup_runs": python_startup_runs,
                  "python_mib": python_mib, "scale_calls_each": scale_calls},
        "targets": TARGETS,
        "results": results,
    }

    rt = results["roundtrip"]
    lines = ["", "Round trip of one trapped getppid (median of %d rounds)" % rounds,
             f"  {'':24}{'ns/call':>10}{'vs reference':>14}{'supervisor CPU':>16}"]
    for name, entry in rt.items():
        cpu_text = f"{entry['supervisor_cpu_ns_per_call']:>13.0f} ns" if "supervisor_cpu_ns_per_call" in entry else ""
        lines.append(f"  {name:24}{entry['ns_per_call']:>10.0f}{entry['ratio_to_reference']:>13.2f}x{cpu_text}")
    st = results["startup"]
    lines += ["", f"Confined start of /bin/true (median of {st['runs']} runs)",
              f"  sandlock-glib {st['sandlock_us']:.0f} us, g_spawn_sync {st['g_spawn_sync_us']:.0f} us "
              f"(ratio {st['ratio_to_g_spawn_sync']:.2f})"
              + (f", bwrap {st['bwrap_us']:.0f} us (ratio {st['ratio_to_bwrap']:.2f})" if "bwrap_us" in st else "")]
    for entry in results.get("startup_python", []):
        lines += [f"  from Python holding {entry['mib']} MiB, helper {entry['helper']}: "
                  f"sandlock-glib {entry['sandlock_us']:.0f} us, subprocess.run {entry['subprocess_us']:.0f} us"]
    lines += ["", "Sandboxes at once on one main loop",
              f"  {'sandboxes':>10}{'calls/s':>12}{'vs one':>8}{'p50 ns':>9}{'p99 ns':>10}{'KiB each':>10}"]
    for entry in results["scale"]:
        lines.append(f"  {entry['sandboxes']:>10}{entry['calls_per_second']:>12.0f}"
                     f"{entry['throughput_ratio_to_one']:>8.2f}{entry['p50_ns']:>9}{entry['p99_ns']:>10}"
                     f"{entry['supervisor_kib_per_sandbox']:>10.1f}")

    checks = [("C handler <= %.2fx the bare libseccomp loop" % TARGETS["c"], rt["c"]["ratio_to_reference"] <= TARGETS["c"]),
              ("confined start <= %.2fx g_spawn_sync" % TARGETS["startup"], st["ratio_to_g_spawn_sync"] <= TARGETS["startup"])]
    if "python" in rt:
        checks.append(("Python handler <= %.2fx the bare loop" % TARGETS["python"], rt["python"]["ratio_to_reference"] <= TARGETS["python"]))
    if "bwrap_us" in st:
        checks.append(("confined start faster than bwrap", st["sandlock_us"] < st["bwrap_us"]))
    checks.append(("64 sandboxes keep >= %d%% of one's throughput" % (TARGETS["scale"] * 100),
                   results["scale"][-1]["throughput_ratio_to_one"] >= TARGETS["scale"]))
    report["targets_met"] = {text: met for text, met in checks}

    lines += ["", "Targets" + (" (quick mode: sizes too small to mean anything)" if args.quick else "")]
    lines += [f"  [{'met' if met else 'MISSED'}] {text}" for text, met in checks]
    print("\n".join(lines))

    if args.output:
        with open(args.output, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
        print(f"\nJSON written to {args.output}")


if __name__ == "__main__":
    main()
