#!/usr/bin/env python3
# bench-handler.py: the round-trip benchmark with a Python (PyGObject) handler
#
#   bench-handler.py BENCH_CHILD N
#
# Same measurement as `sandlock-bench roundtrip-c`: BENCH_CHILD calls getppid
# N times and a handler answers "continue" to each, here written in Python and
# run on a GLib.MainLoop. Prints one JSON object.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import sys
import time

import gi

gi.require_version("Sandlock", "1")
from gi.repository import GLib, Sandlock  # noqa: E402

SYSTEM_DIRS = ["/usr", "/lib", "/lib64", "/bin", "/etc"]


class Continue(Sandlock.Handler):
    def __init__(self):
        super().__init__()
        self.handled = 0

    def do_handle(self, notification):
        self.handled += 1
        return Sandlock.Action.new_continue()


def main():
    child, count = sys.argv[1], int(sys.argv[2])
    readable = [d for d in SYSTEM_DIRS if os.path.exists(d)] + [os.path.dirname(child)]
    sandbox = Sandlock.Sandbox(fs_readable=readable)
    handler = Continue()
    sandbox.add_handler("getppid", handler)

    loop = GLib.MainLoop()
    outcome = {}

    def done(source, result):
        outcome["result"] = source.run_finish(result)
        loop.quit()

    cpu_start = time.process_time()
    sandbox.run_async([child, str(count)], None, None, done)
    loop.run()
    cpu = time.process_time() - cpu_start

    result = outcome["result"]
    if not result.props.success:
        sys.exit("bench-child failed: %r" % result.props.stderr.get_data())
    print(json.dumps({
        "mode": "python",
        "handled": handler.handled,
        "supervisor_cpu_ns_per_call": cpu * 1e9 / count,
        "child": json.loads(result.props.stdout.get_data()),
    }))


if __name__ == "__main__":
    main()
