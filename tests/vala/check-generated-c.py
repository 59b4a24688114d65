#!/usr/bin/env python3
# check-generated-c.py: compiles Vala programs to C against the generated
# vapi and compiles that C with the pointer-type checks that GCC 14 makes
# errors (-Werror=incompatible-pointer-types), which meson hides from Vala
# targets by passing -w to the C compiler.
#
#   check-generated-c.py --vapidir DIR --cc CC [--cflag FLAG]... PROGRAM.vala...
#
# Each program is checked on its own (each has a main).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import glob
import os
import subprocess
import sys
import tempfile

PACKAGES = ['sandlock-glib-1', 'gio-2.0', 'gio-unix-2.0']
CHECKS = ['-Werror=incompatible-pointer-types', '-Werror=int-conversion']


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--vapidir', required=True)
    parser.add_argument('--cc', required=True, action='append')
    parser.add_argument('--cflag', action='append', default=[])
    parser.add_argument('programs', nargs='+')
    args = parser.parse_args()

    pkg_cflags = subprocess.run(['pkg-config', '--cflags', 'gio-2.0', 'gio-unix-2.0'],
                                check=True, capture_output=True, text=True).stdout.split()
    # As meson does: the GLib found, not Vala's oldest default (whose
    # `volatile` once-guards GLib 2.74's atomics reject on their own).
    glib = subprocess.run(['pkg-config', '--modversion', 'glib-2.0'],
                          check=True, capture_output=True, text=True).stdout.strip()
    target_glib = '.'.join(glib.split('.')[:2])
    failed = 0
    print(f'1..{len(args.programs)}')
    for i, program in enumerate(args.programs, 1):
        with tempfile.TemporaryDirectory() as work:
            valac = ['valac', '-C', '--quiet', '--target-glib', target_glib,
                     '--vapidir', args.vapidir, '-d', work]
            valac += [f'--pkg={p}' for p in PACKAGES] + [program]
            result = subprocess.run(valac, capture_output=True, text=True)
            output = result.stdout + result.stderr
            if result.returncode == 0:
                for c_file in sorted(glob.glob(os.path.join(work, '**', '*.c'), recursive=True)):
                    cc = args.cc + ['-c', '-o', os.devnull] + CHECKS + args.cflag + pkg_cflags + [c_file]
                    result = subprocess.run(cc, capture_output=True, text=True)
                    output += result.stdout + result.stderr
                    if result.returncode != 0:
                        break
            name = os.path.basename(program)
            if result.returncode == 0:
                print(f'ok {i} - {name}')
            else:
                failed += 1
                print(f'not ok {i} - {name}')
                for line in output.splitlines():
                    print(f'# {line}')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
