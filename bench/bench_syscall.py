# bench_syscall.py: what an untrapped syscall costs under the seccomp
# filters and Landlock, against bare (issue 18).
#
# sandlock-bench-filter compiles the library's default policy, writes its
# two seccomp programs and says which syscalls the kernel's action cache
# allows without running them; bench-syscall then times getppid, stat,
# open+close (all three in the cache) and ioctl(-1, FIONREAD) (not in it:
# the deny program looks at ioctl's request) in the thread's CPU time:
#   bare       nothing
#   allow      a one-instruction filter that allows everything: the price of
#              having a filter at all (the syscall entry's slow path)
#   filters    the library's deny and notify programs
#   landlock   a Landlock ruleset of bench-syscall's own
#   both       filters and Landlock
#   sandlock   bench-syscall under sandlock-run --system-ro -w DIR
# Interleaved round by round; medians. Imported by run-bench.py.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile

LOOPS = ("getppid_ns", "stat_ns", "open_close_ns", "ioctl_ns")


def syscall_benchmark(build, quick, rounds):
    filter_tool = os.path.join(build, "bench", "sandlock-bench-filter")
    child = os.path.join(build, "bench", "bench-syscall")
    sandlock_run = os.path.join(build, "tools", "sandlock-run")
    calls = 1000 if quick else 10000
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="sandlock-bench-syscall-", dir=base) as work:
        programs = os.path.join(work, "programs")
        os.mkdir(programs)
        data = os.path.join(work, "data")
        os.mkdir(data)
        target = os.path.join(data, "file")
        with open(target, "w") as f:
            f.write("x\n")
        done = subprocess.run([filter_tool, programs, data], check=True, capture_output=True, text=True)
        filters = json.loads(done.stdout)
        allow = os.path.join(programs, "allow.bpf")
        with open(allow, "wb") as f:
            f.write(struct.pack("=HBBI", 0x06, 0, 0, 0x7fff0000))   # BPF_RET|BPF_K, ALLOW
        ours = ["--bpf", os.path.join(programs, "deny.bpf"), "--bpf", os.path.join(programs, "notify.bpf")]
        base_argv = [child, str(calls), target]
        variants = {
            "bare": base_argv,
            "allow": base_argv + ["--bpf", allow],
            "filters": base_argv + ours,
            "landlock": base_argv + ["--landlock"],
            "both": base_argv + ours + ["--landlock"],
            "sandlock": [sandlock_run, "--system-ro", "-r", os.path.dirname(child), "-w", data,
                         "--"] + base_argv,
        }
        samples = {name: {loop: [] for loop in LOOPS} for name in variants}
        for r in range(rounds):
            for name, argv in variants.items():
                done = subprocess.run(argv, capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(f"syscall ({name}) failed: {done.stderr.strip()}")
                result = json.loads(done.stdout)
                for loop in LOOPS:
                    samples[name][loop].append(result[loop])
            print(f"syscall round {r + 1}/{rounds} done", file=sys.stderr)

    result = {"calls": calls, "rounds": rounds, "filters": filters, "ns": {}, "extra_ns": {}}
    for name in variants:
        result["ns"][name] = {loop: round(statistics.median(samples[name][loop]), 1) for loop in LOOPS}
    for name in variants:
        if name != "bare":
            result["extra_ns"][name] = {loop: round(result["ns"][name][loop] - result["ns"]["bare"][loop], 1)
                                        for loop in LOOPS}
    return result


def syscall_lines(sr):
    fl = sr["filters"]
    lines = ["", f"An untrapped syscall (thread CPU time, median of {sr['rounds']} rounds of "
                 f"{sr['calls']} calls)",
             f"  filters: deny {fl['deny_instructions']} instructions, notify "
             f"{fl['notify_instructions']}; {fl['cached_allow']} of {fl['syscalls']} syscalls in "
             f"the kernel's action cache (never run the filters)",
             "  instructions each program runs when it runs (deny+notify): " +
             ", ".join(f"{name} {d}+{n}" for name, (d, n) in fl["executed"].items()),
             f"  {'':10}" + "".join(f"{loop[:-3]:>14}" for loop in LOOPS) + "   (ns; +extra vs bare)"]
    for name, ns in sr["ns"].items():
        extra = sr["extra_ns"].get(name)
        cells = "".join(f"{ns[loop]:>8.0f}" + (f"{extra[loop]:>+6.0f}" if extra else f"{'':6}")
                        for loop in LOOPS)
        lines.append(f"  {name:10}{cells}")
    return lines
