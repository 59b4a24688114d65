#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the library's structure from its object files (TAP output).

1. No call cycle among the library's source files, other than the
   supervisor and its notifications (which call each other by design): a
   file that calls a function defined in another depends on it, as nm
   reports (undefined symbols of one object defined by another). A type
   check (FOO_get_type(), behind SANDLOCK_IS_FOO()) names a type; it is
   not a call into the file's logic, and is not counted.
2. The code that runs between clone and exec (sandlock-launch-child.c) and
   the reaper's loop (sandlock-reaper.c) call nothing but raw syscalls and
   a few async-signal-safe functions: no GLib, no allocation, no lock.

    check-structure.py LIBRARY.a
"""

import re
import subprocess
import sys

ALLOWED_CYCLES = [{"sandlock-supervisor", "sandlock-notification"}]

# What the async-signal-safe files may call (sanitizer and coverage
# instrumentation aside).
ASYNC_SIGNAL_SAFE = {
    "sandlock-launch-child": {
        "sandlock_syscall", "sandlock_clone", "sandlock_policy_bind_helper",
        "sandlock_reaper_now_ns", "sandlock_reaper_send_message", "sandlock_reaper_supervise",
        "sigaction", "memcpy", "memset", "__stack_chk_fail",
    },
    "sandlock-reaper": {"memcpy", "memset", "__stack_chk_fail"},
}
INSTRUMENTATION = re.compile(r"^(__asan_|__ubsan_|__sanitizer_|__gcov_|__llvm_|__tsan_|__msan_)")


def module_of(member):
    """sandlock-glib/libsandlock-glib-1.so.0.0.0.p/sandlock-launch.c.o -> sandlock-launch"""
    name = member.rsplit("/", 1)[-1]
    name = re.sub(r"\.c\.o$|\.o$", "", name)
    return name.replace("meson-generated_.._", "")


def read_symbols(library):
    out = subprocess.run(["nm", library], check=True, capture_output=True, text=True).stdout
    defined, undefined, current = {}, {}, None
    for line in out.splitlines():
        if line.endswith(".o:"):
            current = module_of(line[:-1])
            defined[current], undefined[current] = set(), set()
            continue
        fields = line.split()
        if current is None or not fields:
            continue
        if len(fields) == 2 and fields[0] == "U":
            undefined[current].add(fields[1])
        elif len(fields) == 3 and fields[1] in "TDRBVW":
            defined[current].add(fields[2])
    return defined, undefined


def find_cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def main():
    defined, undefined = read_symbols(sys.argv[1])
    owner = {symbol: module for module, symbols in defined.items() for symbol in symbols}
    graph = {}
    for module, symbols in undefined.items():
        graph[module] = {owner[s] for s in symbols
                         if s in owner and owner[s] != module and not s.endswith("_get_type")}

    failures = 0
    print("1..%d" % (1 + len(ASYNC_SIGNAL_SAFE)))

    cycles = [c for c in find_cycles(graph) if c not in ALLOWED_CYCLES]
    for module in sorted(graph):
        print("# %s -> %s" % (module, ", ".join(sorted(graph[module])) or "(nothing)"))
    if cycles:
        failures += 1
        print("not ok 1 - no call cycle but the supervisor's with its notifications")
        for cycle in cycles:
            print("# cycle: " + " <-> ".join(sorted(cycle)))
    else:
        print("ok 1 - no call cycle but the supervisor's with its notifications")

    for number, (module, allowed) in enumerate(sorted(ASYNC_SIGNAL_SAFE.items()), start=2):
        if module not in undefined:
            failures += 1
            print("not ok %d - %s: no such object in the library" % (number, module))
            continue
        calls = {s for s in undefined[module] if not INSTRUMENTATION.match(s)}
        extra = sorted(calls - allowed)
        if extra:
            failures += 1
            print("not ok %d - %s calls only async-signal-safe code" % (number, module))
            print("# it calls: " + ", ".join(extra))
        else:
            print("ok %d - %s calls only async-signal-safe code (%s)"
                  % (number, module, ", ".join(sorted(calls)) or "nothing"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
