#!/usr/bin/env python3
# check-vapi-strv-future.py: introspection/fix-vapi-strv.py covers string
# arrays added to the API later, with no list to update.
#
#   check-vapi-strv-future.py --gir Sandlock-1.gir --fixer fix-vapi-strv.py
#                             --metadatadir DIR
#
# It adds to a copy of the GIR what a later change could add: a method with
# a `const char * const *` parameter, a string-array property whose setter
# it is, and functions with one (of the namespace, and of a type). It runs vapigen and the
# fixer as the build does and checks that each parameter got its cast and
# the property [NoAccessorMethod]. Prints TAP.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import re
import subprocess
import sys
import tempfile

METHOD = '''      <method name="set_future_paths" c:identifier="sandlock_sandbox_set_future_paths"
              glib:set-property="future-paths">
        <return-value transfer-ownership="none"><type name="none" c:type="void"/></return-value>
        <parameters>
          <instance-parameter name="self" transfer-ownership="none">
            <type name="Sandbox" c:type="SandlockSandbox*"/>
          </instance-parameter>
          <parameter name="future_paths" transfer-ownership="none" nullable="1" allow-none="1">
            <array c:type="const char* const*"><type name="filename"/></array>
          </parameter>
        </parameters>
      </method>
      <method name="get_future_paths" c:identifier="sandlock_sandbox_get_future_paths"
              glib:get-property="future-paths">
        <return-value transfer-ownership="none" nullable="1">
          <array c:type="const char* const*"><type name="utf8"/></array>
        </return-value>
        <parameters>
          <instance-parameter name="self" transfer-ownership="none">
            <type name="Sandbox" c:type="SandlockSandbox*"/>
          </instance-parameter>
        </parameters>
      </method>
      <method name="spawn_future" c:identifier="sandlock_sandbox_spawn_future" throws="1">
        <return-value transfer-ownership="none"><type name="none" c:type="void"/></return-value>
        <parameters>
          <instance-parameter name="self" transfer-ownership="none">
            <type name="Sandbox" c:type="SandlockSandbox*"/>
          </instance-parameter>
          <parameter name="future_argv" transfer-ownership="none">
            <array c:type="const gchar* const*"><type name="utf8"/></array>
          </parameter>
          <parameter name="count" transfer-ownership="none"><type name="guint" c:type="guint"/></parameter>
        </parameters>
      </method>
'''
PROPERTY = '''      <property name="future-paths" writable="1" transfer-ownership="none"
                setter="set_future_paths" getter="get_future_paths">
        <array><type name="utf8"/></array>
      </property>
'''
FUNCTION = '''    <function name="future_function" c:identifier="sandlock_future_function">
      <return-value transfer-ownership="none"><type name="none" c:type="void"/></return-value>
      <parameters>
        <parameter name="future_names" transfer-ownership="none">
          <array c:type="const char* const*"><type name="utf8"/></array>
        </parameter>
      </parameters>
    </function>
'''
ERROR_FUNCTION = FUNCTION.replace('future_function', 'error_future').replace(
    'sandlock_future_function', 'sandlock_error_future').replace('future_names', 'error_names')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--gir', required=True)
    parser.add_argument('--fixer', required=True)
    parser.add_argument('--metadatadir', required=True)
    args = parser.parse_args()

    gir = open(args.gir, encoding='utf-8').read()
    sandbox = gir.index('<class name="Sandbox"')
    first_method = gir.index('      <method ', sandbox)
    gir = gir[:first_method] + METHOD + gir[first_method:]
    first_property = gir.index('      <property ', sandbox)
    gir = gir[:first_property] + PROPERTY + gir[first_property:]
    # A function of the namespace, then the same in a type (the error
    # enumeration), where vapigen moves functions that share its prefix.
    first_function = re.search(r'\n    <function ', gir).start() + 1
    gir = gir[:first_function] + FUNCTION + gir[first_function:]
    error = gir.index('<enumeration name="Error"')
    error_function = gir.index('      <function ', error)
    gir = gir[:error_function] + re.sub(r'(?m)^', '  ', ERROR_FUNCTION).rstrip(' ') + gir[error_function:]

    with tempfile.TemporaryDirectory() as work:
        gir_path = os.path.join(work, 'Sandlock-1.gir')
        open(gir_path, 'w', encoding='utf-8').write(gir)
        subprocess.run(['vapigen', '--quiet', '--library=raw', '--directory=' + work,
                        '--metadatadir=' + args.metadatadir, '--pkg=gio-2.0', '--pkg=gio-unix-2.0',
                        gir_path], check=True)
        fixed = os.path.join(work, 'fixed.vapi')
        subprocess.run([sys.executable, args.fixer, gir_path, os.path.join(work, 'raw.vapi'), fixed],
                       check=True)
        vapi = open(fixed, encoding='utf-8').read()

    cast = r'\[CCode \([^\]]*type = "%s"[^\]]*\)\] string\[\]\??'
    checks = [
        ('a new method parameter gets its cast',
         re.search(r'set_future_paths \(' + cast % re.escape('const char* const*') + r' future_paths\)', vapi)),
        ('a const gchar array among other parameters gets its cast',
         re.search(r'spawn_future \(' + cast % re.escape('const gchar* const*') + r' future_argv, uint count\)', vapi)),
        ('a new namespace-level function gets its cast',
         re.search(r'future_function \(' + cast % re.escape('const char* const*') + r' future_names\)', vapi)),
        ('a function vapigen moves into a type gets its cast',
         re.search(r'future \(' + cast % re.escape('const char* const*') + r' error_names\)', vapi)),
        ('a new string-array property is set through g_object_set',
         re.search(r'(?<!\[NoAccessorMethod\]\n)\t\t\[NoAccessorMethod\]\n\t\tpublic string\[\]\?? future_paths \{ owned get; set; \}', vapi)),
    ]
    print(f'1..{len(checks)}')
    failed = 0
    for i, (name, ok) in enumerate(checks, 1):
        print(f'{"ok" if ok else "not ok"} {i} - {name}')
        failed += not ok
    if failed:
        for line in vapi.splitlines():
            if 'future' in line:
                print('# ' + line)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
