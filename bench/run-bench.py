#!/usr/bin/env python3
# run-bench.py: runs every benchmark in one go, prints a table, writes JSON.
#
#   run-bench.py --builddir BUILD [--quick] [--only SECTION,...] [--output FILE]
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
import tempfile
import time

from bench_build import build_benchmark, build_lines
from bench_syscall import syscall_benchmark, syscall_lines
from bench_workloads import workloads_benchmark, workloads_checks, workloads_lines

TARGETS = {
    "c": 1.25,        # C handler / bare libseccomp loop
    "python": 2.5,    # Python handler / bare libseccomp loop
    "startup": 1.5,   # confined start / g_spawn_sync
    "scale": 0.8,     # 64 sandboxes' throughput / one sandbox's
    "scale_p99": 1.5, # 64 sandboxes' p99 / 64 bare supervisor threads' p99
    "workload": 1.10, # a real workload under sandlock-run, its start taken off / bare
    "audit": 0.5,     # what --audit=openat costs / what strace -f -e trace=openat costs
}


def run_json(command, env=None):
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


# The metadata guard's syscalls (sandlock-glib/sandlock-guard-metadata.c):
# the ones a confined command pays a round trip for beneath fs-writable.
METADATA_SYSCALLS = {
    "chmod", "fchmod", "fchmodat", "fchmodat2",
    "chown", "lchown", "fchown", "fchownat",
    "utime", "utimes", "futimesat", "utimensat",
    "setxattr", "lsetxattr", "fsetxattr", "setxattrat",
    "removexattr", "lremovexattr", "fremovexattr", "removexattrat",
}

SECTIONS = ("roundtrip", "startup", "limits", "network", "scale", "tar", "build", "workloads", "syscall")


def make_tree(root, dirs, files):
    """dirs x files small files with varied modes and distinct mtimes."""
    modes = (0o644, 0o600, 0o755, 0o640, 0o444)
    stamp = 1_600_000_000
    for d in range(dirs):
        directory = os.path.join(root, f"d{d:03}")
        os.mkdir(directory)
        for f in range(files):
            path = os.path.join(directory, f"f{f:03}")
            with open(path, "w") as out:
                out.write(f"{d} {f}\n" * 8)
            os.chmod(path, modes[(d + f) % len(modes)])
            os.utime(path, (stamp + d * files + f, stamp + d * files + f))
        os.chmod(directory, 0o750)
        os.utime(directory, (stamp - d, stamp - d))


def count_metadata_calls(command):
    """The metadata guard's syscalls in a bare run of command (strace -c -f),
    and all its syscalls; None when strace cannot run here."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as summary:
        done = subprocess.run([strace, "-f", "-c", "-o", summary.name] + command,
                              capture_output=True)
        if done.returncode != 0:
            return None
        trapped = total = 0
        for line in summary.read().splitlines():
            parts = line.split()
            # % time, seconds, usecs/call, calls, [errors], syscall
            if len(parts) < 5 or not parts[3].isdigit():
                continue
            if parts[-1] == "total":
                total = int(parts[3])
            elif parts[-1] in METADATA_SYSCALLS:
                trapped += int(parts[3])
        return {"metadata_calls": trapped, "all_calls": total}


def tar_benchmark(sandlock_run, quick, rounds):
    """tar -xpf of a tree of small files into a writable directory: bare,
    confined (the guards as they are), confined without the metadata guard
    (SANDLOCK_TEST_DISABLE=metadata-guard, a test hook), and the confined
    start of /bin/true, to tell the start from the extraction. Interleaved
    round by round; medians. On tmpfs when there is one: on a disk, the
    writeback of the previous round swamps what the traps cost."""
    dirs, files = (3, 5) if quick else (100, 50)
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="sandlock-bench-tar-", dir=base) as work:
        source = os.path.join(work, "source")
        os.mkdir(source)
        make_tree(source, dirs, files)
        archive_dir = os.path.join(work, "archive")
        os.mkdir(archive_dir)
        archive = os.path.join(archive_dir, "tree.tar")
        subprocess.run(["tar", "-cf", archive, "-C", source, "."], check=True)
        dest = os.path.join(work, "dest")
        tar = ["tar", "-xpf", archive, "-C", dest]
        confined = [sandlock_run, "--system-ro", "-r", archive_dir, "-w", dest, "--"] + tar
        no_guard_env = dict(os.environ, SANDLOCK_TEST_DISABLE="metadata-guard")
        variants = {
            "bare": (tar, None),
            "guard": (confined, None),
            "no_guard": (confined, no_guard_env),
            "start": (confined[:confined.index("--") + 1] + ["true"], None),
        }
        sample = os.path.join(f"d{dirs - 1:03}", f"f{files - 1:03}")
        expected = os.stat(os.path.join(source, sample))

        def fresh_dest():
            shutil.rmtree(dest, ignore_errors=True)
            os.mkdir(dest)

        # The hook does remove the guard: a chmod outside the writable
        # directory is refused with it, and goes through without it.
        probe = os.path.join(archive_dir, "probe")
        open(probe, "w").close()
        fresh_dest()
        check = [sandlock_run, "--system-ro", "-r", archive_dir, "-w", dest, "--", "chmod", "600", probe]
        if subprocess.run(check, capture_output=True).returncode == 0:
            sys.exit("tar: the metadata guard let a chmod outside fs-writable through")
        if subprocess.run(check, capture_output=True, env=no_guard_env).returncode != 0:
            sys.exit("tar: SANDLOCK_TEST_DISABLE=metadata-guard did not remove the guard")

        samples = {name: [] for name in variants}
        for r in range(rounds):
            for name, (command, env) in variants.items():
                fresh_dest()
                start = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - start
                if done.returncode != 0:
                    sys.exit(f"tar ({name}) failed: {done.stderr.strip()}")
                samples[name].append(elapsed * 1000)
                if name == "start":
                    continue
                got = os.stat(os.path.join(dest, sample))
                if (got.st_mode, got.st_mtime_ns) != (expected.st_mode, expected.st_mtime_ns):
                    sys.exit(f"tar ({name}): {sample} lost its mode or mtime")
            print(f"tar round {r + 1}/{rounds} done", file=sys.stderr)
        fresh_dest()
        counts = count_metadata_calls(tar)

    result = {"dirs": dirs, "files": dirs * files, "rounds": rounds,
              "directory": base or tempfile.gettempdir()}
    for name in variants:
        result[f"{name}_ms"] = round(statistics.median(samples[name]), 2)
    result["ratio_guard_to_bare"] = round(result["guard_ms"] / result["bare_ms"], 3)
    result["ratio_no_guard_to_bare"] = round(result["no_guard_ms"] / result["bare_ms"], 3)
    result["ratio_guard_to_no_guard"] = round(result["guard_ms"] / result["no_guard_ms"], 3)
    # The extraction alone, the confined start taken off: what the
    # untrapped syscalls cost under the filter and Landlock.
    result["ratio_no_guard_less_start_to_bare"] = round(
        (result["no_guard_ms"] - result["start_ms"]) / result["bare_ms"], 3)
    if counts is not None:
        result.update(counts)
        if counts["metadata_calls"]:
            result["us_per_trapped_call"] = round(
                (result["guard_ms"] - result["no_guard_ms"]) * 1000 / counts["metadata_calls"], 1)
    else:
        result["metadata_calls_skipped"] = "strace could not run"
    return result


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
    parser.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    if not only <= set(SECTIONS):
        parser.error("--only: unknown section(s) " + ",".join(sorted(only - set(SECTIONS))))

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
    tar_rounds = 1 if args.quick else 7

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

    if "roundtrip" not in only:
        roundtrip = {}
    samples = {name: [] for name in roundtrip}
    cpu = {name: [] for name in roundtrip}
    for r in range(rounds if roundtrip else 0):
        for name, measure in roundtrip.items():
            result = measure()
            if "handled" in result and result["handled"] != result["child"]["calls"]:
                sys.exit(f"{name}: handled {result['handled']} of {result['child']['calls']} calls")
            samples[name].append(result["child"]["ns_per_call"])
            if "supervisor_cpu_ns_per_call" in result:
                cpu[name].append(result["supervisor_cpu_ns_per_call"])
        print(f"round {r + 1}/{rounds} done", file=sys.stderr)

    results = {}
    if roundtrip:
        results["roundtrip"] = {}
    for name in roundtrip:
        reference = statistics.median(samples["reference"])
        ns = statistics.median(samples[name])
        entry = {"ns_per_call": round(ns, 1), "ratio_to_reference": round(ns / reference, 3)}
        if cpu[name]:
            entry["supervisor_cpu_ns_per_call"] = round(statistics.median(cpu[name]), 1)
        results["roundtrip"][name] = entry

    if "startup" in only:
        results["startup"] = run_json([bench, "startup", str(startup_runs)])
        results["startup"]["ratio_to_g_spawn_sync"] = round(
            results["startup"]["sandlock_us"] / results["startup"]["g_spawn_sync_us"], 3)
        if "bwrap_us" in results["startup"]:
            results["startup"]["ratio_to_bwrap"] = round(
                results["startup"]["sandlock_us"] / results["startup"]["bwrap_us"], 3)

    if "limits" in only:
        # The start with each kind of limit (a cgroup where one can be
        # made: as root), how close max-cpu holds a CPU hog, and how late a
        # 10 ms timer of the application runs while a fork bomb sits at the
        # default max-processes.
        results["limits"] = run_json([bench, "limits", str(startup_runs)])
        # The same with the fallbacks (what an unprivileged or Flatpak app
        # gets): RLIMIT_AS, and max-cpu throttled by the library.
        results["limits_no_cgroup"] = run_json(
            [bench, "limits", str(startup_runs)], env=dict(os.environ, SANDLOCK_TEST_DISABLE="cgroup"))

    if python_ok and "startup" in only:
        # The same start from a Python application holding 200 MiB, with the
        # helper as it is and forked (as it was): a fork's cost grows with
        # the application, the helper's start in its memory does not.
        forked_env = dict(binding_env, SANDLOCK_TEST_DISABLE="shared-memory-helper")
        script = [sys.executable, os.path.join(source, "bench-startup.py"),
                  str(python_mib), str(python_startup_runs)]
        results["startup_python"] = [run_json(script, env=binding_env),
                                     run_json(script, env=forked_env)]

    if "network" in only:
        # The egress guard (issue 14): connects and datagrams decided on the
        # supervisor's copy of the address and made on the command's behalf,
        # against bare ones; and the application's 10 ms timer while 16 of
        # the command's connects wait on a listener whose backlog is full.
        results["network"] = run_json([os.path.join(build, "bench", "sandlock-bench-network"),
                                       os.path.join(build, "bench", "bench-net-child"),
                                       "50" if args.quick else "2000",
                                       "200" if args.quick else "2000"])

    if "scale" in only:
        # Each size against the reference in the same run: as many bare
        # supervisor threads (blocking RECV/SEND, a child each), so that the
        # tail the machine's CPUs make is told from the tail the loop makes.
        results["scale"] = []
        results["scale_ref"] = []
        for s in scales:
            results["scale_ref"].append(run_json([bench, "scale-ref", str(s), str(scale_calls)]))
            results["scale"].append(run_json([bench, "scale", str(s), str(scale_calls)]))
        single = results["scale"][0]["calls_per_second"]
        for entry, ref in zip(results["scale"], results["scale_ref"]):
            entry["throughput_ratio_to_one"] = round(entry["calls_per_second"] / single, 3)
            entry["p99_ratio_to_ref"] = round(entry["p99_ns"] / ref["p99_ns"], 3)
            entry["p50_ratio_to_ref"] = round(entry["p50_ns"] / ref["p50_ns"], 3)

    if "tar" in only:
        results["tar"] = tar_benchmark(os.path.join(build, "tools", "sandlock-run"),
                                       args.quick, tar_rounds)

    if "build" in only:
        results["build"] = build_benchmark(os.path.join(build, "tools", "sandlock-run"),
                                           args.quick, tar_rounds)

    if "syscall" in only:
        results["syscall"] = syscall_benchmark(build, args.quick, 1 if args.quick else 5)

    if "workloads" in only:
        results["workloads"] = workloads_benchmark(os.path.join(build, "tools", "sandlock-run"),
                                                   args.quick, 1 if args.quick else 5,
                                                   1 if args.quick else 3)

    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "sizes": {"rounds": rounds, "calls": calls, "binding_calls": binding_calls,
                  "startup_runs": startup_runs, "python_startup_runs": python_startup_runs,
                  "python_mib": python_mib, "scale_calls_each": scale_calls,
                  "tar_rounds": tar_rounds},
        "targets": TARGETS,
        "results": results,
    }

    lines = []
    checks = []
    rt = results.get("roundtrip")
    if rt:
        lines += ["", "Round trip of one trapped getppid (median of %d rounds)" % rounds,
                  f"  {'':24}{'ns/call':>10}{'vs reference':>14}{'supervisor CPU':>16}"]
        for name, entry in rt.items():
            cpu_text = f"{entry['supervisor_cpu_ns_per_call']:>13.0f} ns" if "supervisor_cpu_ns_per_call" in entry else ""
            lines.append(f"  {name:24}{entry['ns_per_call']:>10.0f}{entry['ratio_to_reference']:>13.2f}x{cpu_text}")
        checks.append(("C handler <= %.2fx the bare libseccomp loop" % TARGETS["c"], rt["c"]["ratio_to_reference"] <= TARGETS["c"]))
        if "python" in rt:
            checks.append(("Python handler <= %.2fx the bare loop" % TARGETS["python"], rt["python"]["ratio_to_reference"] <= TARGETS["python"]))
    st = results.get("startup")
    if st:
        lines += ["", f"Confined start of /bin/true (median of {st['runs']} runs)",
                  f"  sandlock-glib {st['sandlock_us']:.0f} us, g_spawn_sync {st['g_spawn_sync_us']:.0f} us "
                  f"(ratio {st['ratio_to_g_spawn_sync']:.2f})"
                  + (f", bwrap {st['bwrap_us']:.0f} us (ratio {st['ratio_to_bwrap']:.2f})" if "bwrap_us" in st else "")]
        for entry in results.get("startup_python", []):
            lines += [f"  from Python holding {entry['mib']} MiB, helper {entry['helper']}: "
                      f"sandlock-glib {entry['sandlock_us']:.0f} us, subprocess.run {entry['subprocess_us']:.0f} us"]
        checks.append(("confined start <= %.2fx g_spawn_sync" % TARGETS["startup"], st["ratio_to_g_spawn_sync"] <= TARGETS["startup"]))
        if "bwrap_us" in st:
            checks.append(("confined start faster than bwrap", st["sandlock_us"] < st["bwrap_us"]))
    for key, title in (("limits", "with cgroups where they can be made"),
                       ("limits_no_cgroup", "without cgroups (the fallbacks)")):
        li = results.get(key)
        if not li:
            continue
        bomb, hogs = li["fork_bomb"], li["cpu_hogs_baseline"]
        lines += ["", f"Resource limits, {title} (median of {li['runs']} starts)",
                  f"  start of /bin/true: no limit {li['startup_no_limit_us']:.0f} us, "
                  f"max-processes {li['startup_max_processes_us']:.0f} us, "
                  f"max-memory ({li['memory_mechanism']}) {li['startup_max_memory_us']:.0f} us",
                  f"  CPU hog at max-cpu {li['cpu']['max_cpu_percent']}% ({li['cpu']['mechanism']}): "
                  f"got {li['cpu']['achieved_percent']:.0f}%",
                  f"  10 ms timer of the application, late by (median/p99/worst us): "
                  f"fork bomb at the default max-processes {bomb['timer_lateness_median_us']}/"
                  f"{bomb['timer_lateness_p99_us']}/{bomb['timer_lateness_worst_us']}, "
                  f"64 CPU hogs without limits {hogs['timer_lateness_median_us']}/"
                  f"{hogs['timer_lateness_p99_us']}/{hogs['timer_lateness_worst_us']}"]
    nw = results.get("network")
    if nw:
        lines += ["", f"Network on the command's behalf (median of {nw['n']} calls each)",
                  f"  {'':34}{'us':>9}{'vs bare':>10}",
                  f"  {'TCP connect, bare':34}{nw['connect_bare_us']:>9.1f}{1:>9.2f}x",
                  f"  {'TCP connect, net-connect port':34}{nw['connect_ports_us']:>9.1f}"
                  f"{nw['connect_ports_us'] / nw['connect_bare_us']:>9.2f}x",
                  f"  {'TCP connect, net-allow rule':34}{nw['connect_rule_us']:>9.1f}"
                  f"{nw['connect_rule_us'] / nw['connect_bare_us']:>9.2f}x",
                  f"  {'UDP sendto, bare':34}{nw['sendto_bare_us']:>9.1f}{1:>9.2f}x",
                  f"  {'UDP sendto, net-allow udp: rule':34}{nw['sendto_rule_us']:>9.1f}"
                  f"{nw['sendto_rule_us'] / nw['sendto_bare_us']:>9.2f}x",
                  f"  10 ms timer of the application while {nw['pending_connects']} connects wait "
                  f"{nw['pending_ms']} ms: late by {nw['lateness_p50_ms']:.2f} ms (median), "
                  f"{nw['lateness_max_ms']:.2f} ms (worst) over {nw['ticks']} ticks"]
    if "scale" in results:
        lines += ["", "Sandboxes at once on one main loop (ref: as many bare supervisor threads)",
                  f"  {'sandboxes':>10}{'calls/s':>12}{'vs one':>8}{'p50 ns':>9}{'p99 ns':>10}{'KiB each':>10}"
                  f"{'ref calls/s':>13}{'ref p50':>9}{'ref p99':>10}{'p99/ref':>9}"]
        for entry, ref in zip(results["scale"], results["scale_ref"]):
            lines.append(f"  {entry['sandboxes']:>10}{entry['calls_per_second']:>12.0f}"
                         f"{entry['throughput_ratio_to_one']:>8.2f}{entry['p50_ns']:>9}{entry['p99_ns']:>10}"
                         f"{entry['supervisor_kib_per_sandbox']:>10.1f}{ref['calls_per_second']:>13.0f}"
                         f"{ref['p50_ns']:>9}{ref['p99_ns']:>10}{entry['p99_ratio_to_ref']:>8.2f}x")
        checks.append(("64 sandboxes' p99 <= %.2fx the bare threads' p99" % TARGETS["scale_p99"],
                       results["scale"][-1]["p99_ratio_to_ref"] <= TARGETS["scale_p99"]))
        checks.append(("64 sandboxes keep >= %d%% of one's throughput" % (TARGETS["scale"] * 100),
                       results["scale"][-1]["throughput_ratio_to_one"] >= TARGETS["scale"]))
    tr = results.get("tar")
    if tr:
        count = (f"{tr['metadata_calls']} of {tr['all_calls']} syscalls trapped by the metadata guard"
                 if "metadata_calls" in tr else tr["metadata_calls_skipped"])
        lines += ["", f"tar -xpf of {tr['files']} files into an fs-writable directory "
                      f"(median of {tr['rounds']} rounds; {count})",
                  f"  {'':30}{'ms':>10}{'vs bare':>10}",
                  f"  {'bare':30}{tr['bare_ms']:>10.1f}{1:>9.2f}x",
                  f"  {'confined, no metadata guard':30}{tr['no_guard_ms']:>10.1f}{tr['ratio_no_guard_to_bare']:>9.2f}x",
                  f"  {'confined, guards':30}{tr['guard_ms']:>10.1f}{tr['ratio_guard_to_bare']:>9.2f}x",
                  f"  {'confined start of true':30}{tr['start_ms']:>10.1f}",
                  f"  no guard less the start / bare: {tr['ratio_no_guard_less_start_to_bare']:.2f}x",
                  f"  metadata guard / none: {tr['ratio_guard_to_no_guard']:.2f}x"
                  + (f", {tr['us_per_trapped_call']:.1f} us per trapped call" if "us_per_trapped_call" in tr else "")]

    if results.get("build"):
        lines += build_lines(results["build"])

    if results.get("syscall"):
        lines += syscall_lines(results["syscall"])

    if results.get("workloads"):
        lines += workloads_lines(results["workloads"])
        checks += workloads_checks(results["workloads"], TARGETS)

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
