#!/usr/bin/env python3
# bench-startup.py: the confined start from a large Python application
#
#   bench-startup.py MIB RUNS
#
# A PyGObject program holding MIB MiB of objects (as a real application
# would) starts /bin/true in a sandbox RUNS times, and as many times with
# subprocess.run(), interleaved; prints the medians as one JSON object.
# Run it with SANDLOCK_TEST_DISABLE=shared-memory-helper to see what
# forking the helper (as before, and still under valgrind) costs at that
# size.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import statistics
import subprocess
import sys
import time

import gi

gi.require_version("Sandlock", "1")
from gi.repository import Sandlock  # noqa: E402

SYSTEM_DIRS = ["/usr", "/lib", "/lib64", "/bin", "/etc"]


def main():
    mib, runs = int(sys.argv[1]), int(sys.argv[2])
    ballast = [bytearray(b"x" * (1024 * 1024)) for _ in range(mib)]

    sandbox = Sandlock.Sandbox.new()
    sandbox.set_fs_readable([d for d in SYSTEM_DIRS if os.path.exists(d)])

    def confined():
        process = sandbox.spawn(["/bin/true"], 0)
        process.wait_check(None)

    def plain():
        subprocess.run(["/bin/true"], check=True)

    samples = {"sandlock_us": [], "subprocess_us": []}
    for _ in range(runs):
        for name, start in (("sandlock_us", confined), ("subprocess_us", plain)):
            begin = time.perf_counter()
            start()
            samples[name].append((time.perf_counter() - begin) * 1e6)

    result = {"mode": "startup-python", "mib": mib, "runs": runs,
              "helper": "forked" if "shared-memory-helper" in os.environ.get("SANDLOCK_TEST_DISABLE", "")
              else "default",
              "ballast_bytes": sum(len(b) for b in ballast)}
    for name, values in samples.items():
        result[name] = round(statistics.median(values), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
