# bench_workloads.py: real workloads bare, under sandlock-run with the full
# default policy (each trapping guard on and off), under bubblewrap with the
# same binds, and (the Python program) audited against strace (issue 18).
#
# Workloads:
#   python  /usr/bin/python3 importing 79 standard modules
#   make    make -j2 of 50 small C files, each including four system headers
#   tar     tar -xf of 5,000 small files beneath the writable directory, then
#           find and sha256sum over the tree
#   shell   a shell loop starting 500 short processes (/bin/true)
#
# Variants (all in the same work directory, which is writable):
#   bare         the command itself
#   bwrap        bubblewrap: /usr, /etc read-only, a /dev of its own, the work
#                directory read-write (what the presets and -w give)
#   full         sandlock-run --preset system,devices -w WORK -r /proc
#                --fs-deny WORK/secret: every guard that applies by default
#                (max-processes 64 and its fork guard, metadata, egress,
#                memfd, inotify, listen) plus a private /proc (proc guard)
#                and fs-denied (lookup guard)
#   no_proc      full, --shared-proc: the proc guard off
#   no_lookup    full without --fs-deny: the lookup guard off
#   no_processes full, --max-processes 0: the fork guard off
#   no_metadata  full, SANDLOCK_TEST_DISABLE=metadata-guard (a test hook)
#   none         all four off: Landlock and the filters, the guards that no
#                workload here calls (egress, memfd, inotify, listen)
#   default      what sandlock-run gives without -r /proc or --fs-deny: the
#                fork guard (max-processes 64) and the metadata guard on
#   start_*      the same tools running /bin/true: their own start
# and, for the Python program, `none` with --audit=openat against
# `strace -f -e trace=openat`.
#
# Each round runs every variant once, interleaved, so that the ratios hold
# on a machine whose load changes; figures are medians, with the spread
# (lowest, highest). Imported by run-bench.py.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_build import count_syscalls, make_project

PYTHON = "/usr/bin/python3"

MODULES = """abc argparse ast asyncio base64 binascii bisect bz2 calendar cmd codecs
collections concurrent.futures configparser contextlib copy csv dataclasses datetime
decimal difflib dis email.mime.multipart email.parser enum fnmatch fractions ftplib
functools getopt gettext glob gzip hashlib heapq hmac html.parser http.client
http.server imaplib inspect ipaddress json locale logging lzma mimetypes
multiprocessing optparse pathlib pickle pprint queue random re secrets selectors
shlex shutil smtplib socket sqlite3 ssl statistics string subprocess tarfile
tempfile textwrap threading tokenize typing unittest urllib.request uuid
xml.dom.minidom xml.etree.ElementTree zipfile zoneinfo""".split()

PYTHON_PROGRAM = "import " + ", ".join(MODULES) + "\nprint(len(__import__('sys').modules))\n"

SHELL_LOOP = 'i=0; while [ "$i" -lt "$1" ]; do /bin/true; i=$((i + 1)); done'


# The syscalls each guard traps (sandlock-glib/sandlock-guard-*.c), and the
# variant that turns it off. clone counts threads too (strace cannot tell),
# and clone3 is here because the filter sends the C library back to clone.
GUARD_SYSCALLS = {
    "lookup": ("no_lookup", {"stat", "lstat", "newfstatat", "statx", "access", "faccessat",
                             "faccessat2", "readlink", "readlinkat", "open", "openat", "openat2"}),
    "proc": ("no_proc", {"open", "openat", "openat2", "getdents64", "getdents"}),
    "processes": ("no_processes", {"clone", "clone3", "fork", "vfork"}),
    "metadata": ("no_metadata", {"chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "lchown",
                                 "fchown", "fchownat", "utime", "utimes", "futimesat", "utimensat",
                                 "setxattr", "lsetxattr", "fsetxattr", "removexattr",
                                 "lremovexattr", "fremovexattr"}),
}


def make_tree(root, dirs, files):
    for d in range(dirs):
        directory = os.path.join(root, f"d{d:03}")
        os.mkdir(directory)
        for f in range(files):
            with open(os.path.join(directory, f"f{f:03}"), "w") as out:
                out.write(f"{d} {f}\n" * 16)


def median_spread(values):
    return (round(statistics.median(values), 2), round(min(values), 2), round(max(values), 2))


def workloads_benchmark(sandlock_run, quick, rounds, build_rounds):
    shm = "/dev/shm"
    base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    bwrap = shutil.which("bwrap")
    strace = shutil.which("strace")
    have_cc = shutil.which("cc") is not None and shutil.which("make") is not None
    c_files = 3 if quick else 49            # plus main.c
    tree = (3, 5) if quick else (100, 50)
    processes = 20 if quick else 500

    with tempfile.TemporaryDirectory(prefix="sandlock-bench-work-", dir=base) as work:
        tmp = os.path.join(work, "tmp")
        os.mkdir(tmp)
        secret = os.path.join(work, "secret")
        os.mkdir(secret)
        with open(os.path.join(secret, "key"), "w") as f:
            f.write("secret\n")
        env = dict(os.environ, TMPDIR=tmp, PYTHONDONTWRITEBYTECODE="1", LC_ALL="C")

        # The workloads' inputs.
        project = os.path.join(work, "project")
        os.mkdir(project)
        src, _ = make_project(project, c_files) if have_cc else (None, None)
        source = os.path.join(work, "tree-source")
        os.mkdir(source)
        make_tree(source, *tree)
        archive = os.path.join(work, "tree.tar")
        subprocess.run(["tar", "-cf", archive, "-C", source, "."], check=True)
        shutil.rmtree(source)
        dest = os.path.join(work, "dest")
        n_files = tree[0] * tree[1]

        def clean_build():
            for name in os.listdir(src):
                if name.endswith(".o") or name == "prog":
                    os.unlink(os.path.join(src, name))

        def clean_dest():
            shutil.rmtree(dest, ignore_errors=True)
            os.mkdir(dest)

        tar_script = ('tar -xf "$1" -C "$2" && find "$2" -type f | wc -l && '
                      'find "$2" -type f -exec sha256sum {} + | wc -l')
        workloads = {
            "python": ([PYTHON, "-c", PYTHON_PROGRAM], None, lambda out: int(out.split()[0]) > 200),
            "tar": (["sh", "-c", tar_script, "tar", archive, dest], clean_dest,
                    lambda out: out.split() == [str(n_files), str(n_files)]),
            "shell": (["sh", "-c", SHELL_LOOP, "loop", str(processes)], None, lambda out: True),
        }
        if have_cc:
            workloads["make"] = (["make", "-s", "-j2", "-C", src], clean_build,
                                 lambda out: os.path.exists(os.path.join(src, "prog")))

        full = [sandlock_run, "--preset", "system,devices", "-w", work, "-r", "/proc",
                "--fs-deny", secret, "--cwd", work]
        none = [sandlock_run, "--preset", "system,devices", "-w", work,
                "--max-processes", "0", "--cwd", work]
        # What a command gets without asking for /proc or fs-deny: the
        # default max-processes (the fork guard) and the metadata guard.
        default = [sandlock_run, "--preset", "system,devices", "-w", work, "--cwd", work]
        no_metadata = dict(env, SANDLOCK_TEST_DISABLE="metadata-guard")
        # The prefixes: (argv before the command, environment).
        tools = {
            "bare": ([], env),
            "full": (full + ["--"], env),
            "no_proc": (full + ["--shared-proc", "--"], env),
            "no_lookup": ([a for a in full if a not in ("--fs-deny", secret)] + ["--"], env),
            "no_processes": (full + ["--max-processes", "0", "--"], env),
            "no_metadata": (full + ["--"], no_metadata),
            "none": (none + ["--"], no_metadata),
            "default": (default + ["--"], env),
        }
        if bwrap:
            bwrap_argv = [bwrap, "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                          "--dev", "/dev", "--bind", work, work, "--chdir", work]
            for link in ("bin", "lib", "lib32", "lib64", "sbin"):
                target = os.path.join("/", link)
                if os.path.islink(target):
                    bwrap_argv += ["--symlink", os.readlink(target), target]
                elif os.path.isdir(target):
                    bwrap_argv += ["--ro-bind", target, target]
            tools["bwrap"] = (bwrap_argv + ["--"], env)

        # The guards are really there: the denied directory is absent under
        # full, present without fs-deny.
        probe = ["cat", os.path.join(secret, "key")]
        if subprocess.run(tools["full"][0] + probe, capture_output=True, env=env).returncode == 0:
            sys.exit("workloads: --fs-deny let the denied directory be read")
        if subprocess.run(tools["no_lookup"][0] + probe, capture_output=True, env=env).returncode != 0:
            sys.exit("workloads: the confined command could not read the work directory")

        def timed(argv, run_env, prepare=None, check=None, name=""):
            if prepare:
                prepare()
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, text=True, env=run_env, cwd=work)
            elapsed = (time.perf_counter() - start) * 1000
            if done.returncode != 0 or (check and not check(done.stdout)):
                sys.exit(f"workload {name} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
            return elapsed

        samples = {}

        def add(key, value):
            samples.setdefault(key, []).append(value)

        # The tools' own start, and a bare /bin/true, every round.
        starts = {"bare": tools["bare"], "full": tools["full"], "none": tools["none"]}
        if bwrap:
            starts["bwrap"] = tools["bwrap"]

        audit_log = os.path.join(work, "audit.jsonl")
        strace_log = os.path.join(work, "strace.log")
        for name, (command, prepare, check) in workloads.items():
            n = build_rounds if name == "make" else rounds
            for r in range(n):
                for tool, (prefix, run_env) in starts.items():
                    add(f"start_{tool}", timed(prefix + ["/bin/true"], run_env, name="start"))
                for tool, (prefix, run_env) in tools.items():
                    add(f"{name}.{tool}", timed(prefix + command, run_env, prepare, check,
                                               f"{name} ({tool})"))
                if name == "python":
                    add("python.audit", timed(none + ["--audit=openat", "--audit-log", audit_log,
                                                      "--"] + command, no_metadata, None, check,
                                              "python (audit)"))
                    if strace:
                        add("python.strace", timed([strace, "-f", "-e", "trace=openat", "-o",
                                                    strace_log] + command, env, None, check,
                                                   "python (strace)"))
                print(f"workload {name} round {r + 1}/{n} done", file=sys.stderr)
        # Each workload's syscalls, bare (strace -c -f): how many calls each
        # guard would see (the proc guard decides on /proc paths, the
        # lookup guard sees every call of its list wherever the path is).
        counts = {}
        for name, (command, prepare, check) in workloads.items():
            if prepare:
                prepare()
            counted = count_syscalls(command, work)
            if counted is not None:
                counts[name] = counted
        opens = {}
        if os.path.exists(audit_log):
            with open(audit_log) as f:
                opens["audited_opens"] = sum(1 for line in f if '"openat"' in line)
        if os.path.exists(strace_log):
            with open(strace_log) as f:
                opens["straced_opens"] = sum(1 for line in f if "openat(" in line)

    starts_ms = {tool: statistics.median(samples[f"start_{tool}"]) for tool in starts}
    result = {"rounds": rounds, "make_rounds": build_rounds, "directory": base or tempfile.gettempdir(),
              "python_modules": len(MODULES), "c_files": c_files + 1, "tar_files": n_files,
              "shell_processes": processes,
              "start_ms": {tool: round(ms, 2) for tool, ms in starts_ms.items()},
              "workloads": {}}
    for name in workloads:
        entry = {}
        bare = statistics.median(samples[f"{name}.bare"])
        for tool in list(tools) + (["audit", "strace"] if name == "python" else []):
            key = f"{name}.{tool}"
            if key not in samples:
                continue
            med, low, high = median_spread(samples[key])
            item = {"ms": med, "min_ms": low, "max_ms": high, "ratio_to_bare": round(med / bare, 3)}
            # Less the tool's own start (its /bin/true less a bare one).
            start_tool = {"bwrap": "bwrap", "none": "none", "audit": "none", "default": "none",
                          "bare": None, "strace": None}.get(tool, "full")
            if start_tool:
                own = starts_ms[start_tool] - starts_ms["bare"]
                item["start_ms"] = round(own, 2)
                item["ratio_less_start_to_bare"] = round((med - own) / bare, 3)
            entry[tool] = item
        if "bwrap" in entry:
            full_net = entry["full"]["ms"] - entry["full"]["start_ms"]
            bwrap_net = entry["bwrap"]["ms"] - entry["bwrap"]["start_ms"]
            entry["ratio_full_to_bwrap_less_starts"] = round(full_net / bwrap_net, 3)
            entry["ratio_default_to_bwrap_less_starts"] = round(
                (entry["default"]["ms"] - entry["default"]["start_ms"]) / bwrap_net, 3)
            entry["ratio_none_to_bwrap_less_starts"] = round(
                (entry["none"]["ms"] - entry["none"]["start_ms"]) / bwrap_net, 3)
        if name in counts:
            entry["syscalls"] = sum(counts[name].values())
            entry["guard_calls"] = {}
            for guard, (off, names) in GUARD_SYSCALLS.items():
                calls = sum(n for syscall, n in counts[name].items() if syscall in names)
                entry["guard_calls"][guard] = calls
                if calls:
                    entry.setdefault("us_per_guard_call", {})[guard] = round(
                        (entry["full"]["ms"] - entry[off]["ms"]) * 1000 / calls, 1)
        result["workloads"][name] = entry
    py = result["workloads"]["python"]
    if "strace" in py:
        audit_cost = py["audit"]["ms"] - py["none"]["ms"]
        strace_cost = py["strace"]["ms"] - py["bare"]["ms"]
        result["audit"] = dict(opens, audit_cost_ms=round(audit_cost, 2),
                               strace_cost_ms=round(strace_cost, 2),
                               ratio_audit_cost_to_strace_cost=round(audit_cost / strace_cost, 3)
                               if strace_cost > 0 else None)
    return result


LABELS = {
    "bare": "bare",
    "bwrap": "bwrap, same binds",
    "full": "sandlock, every guard",
    "no_proc": "... --shared-proc (proc off)",
    "no_lookup": "... no fs-deny (lookup off)",
    "no_processes": "... max-processes 0 (fork off)",
    "no_metadata": "... metadata guard off",
    "none": "... all four off",
    "default": "sandlock, default policy",
    "audit": "... all off, --audit=openat",
    "strace": "strace -f -e trace=openat",
}


def workloads_lines(wr):
    lines = ["", f"Workloads (median of {wr['rounds']} rounds, make {wr['make_rounds']}; "
                 f"ms, lowest-highest; ratios less the tool's own start)",
             "  own start of /bin/true (ms): " +
             ", ".join(f"{tool} {ms:.1f}" for tool, ms in wr["start_ms"].items())]
    titles = {"python": f"python3 importing {wr['python_modules']} modules",
              "make": f"make -j2 of {wr['c_files']} C files",
              "tar": f"tar -xf of {wr['tar_files']} files, find, sha256sum",
              "shell": f"sh loop of {wr['shell_processes']} processes"}
    for name, entry in wr["workloads"].items():
        lines += [f"  {titles[name]}",
                  f"    {'':34}{'ms':>9}{'range':>17}{'vs bare':>9}{'less start':>12}"]
        for tool, item in entry.items():
            if tool not in LABELS:
                continue
            less = (f"{item['ratio_less_start_to_bare']:>11.2f}x"
                    if "ratio_less_start_to_bare" in item else "")
            lines.append(f"    {LABELS[tool]:34}{item['ms']:>9.1f}"
                         f"{item['min_ms']:>8.1f}-{item['max_ms']:<8.1f}"
                         f"{item['ratio_to_bare']:>8.2f}x{less}")
        if "ratio_full_to_bwrap_less_starts" in entry:
            lines.append(f"    every guard / bwrap: {entry['ratio_full_to_bwrap_less_starts']:.2f}x, "
                         f"default / bwrap: {entry['ratio_default_to_bwrap_less_starts']:.2f}x, "
                         f"all four off / bwrap: {entry['ratio_none_to_bwrap_less_starts']:.2f}x "
                         f"(starts taken off)")
        if "guard_calls" in entry:
            lines.append(f"    syscalls (bare, strace -c -f): {entry['syscalls']}; each guard's: " +
                         ", ".join(f"{g} {n}" + (f" ({entry['us_per_guard_call'][g]:+.0f} us each)"
                                                 if g in entry.get("us_per_guard_call", {}) else "")
                                   for g, n in entry["guard_calls"].items()))
    au = wr.get("audit")
    if au and au.get("ratio_audit_cost_to_strace_cost") is not None:
        lines.append(f"  auditing every openat ({au.get('audited_opens', '?')} logged) costs "
                     f"{au['audit_cost_ms']:.1f} ms, strace ({au.get('straced_opens', '?')}) "
                     f"{au['strace_cost_ms']:.1f} ms: {au['ratio_audit_cost_to_strace_cost']:.2f}x")
    return lines


def workloads_checks(wr, targets):
    checks = []
    for name, entry in wr["workloads"].items():
        full = entry["full"]
        checks.append((f"{name}, every guard, less the start, <= {targets['workload']:.2f}x bare",
                       full["ratio_less_start_to_bare"] <= targets["workload"]))
        for variant, label in (("default", "default policy"), ("none", "guards off")):
            checks.append((f"{name}, {label}, less the start, <= {targets['workload']:.2f}x bare",
                           entry[variant]["ratio_less_start_to_bare"] <= targets["workload"]))
        if "ratio_full_to_bwrap_less_starts" in entry:
            checks.append((f"{name}, every guard, no slower than bwrap",
                           entry["ratio_full_to_bwrap_less_starts"] <= 1.0))
            checks.append((f"{name}, default policy, no slower than bwrap",
                           entry["ratio_default_to_bwrap_less_starts"] <= 1.0))
    au = wr.get("audit")
    if au and au.get("ratio_audit_cost_to_strace_cost") is not None:
        checks.append(("auditing every open costs <= half of strace",
                       au["ratio_audit_cost_to_strace_cost"] <= targets["audit"]))
    return checks
