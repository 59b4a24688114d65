#!/usr/bin/python3
# check-portal-helper.py: runs examples/sandlock-portal-helper on a private
# session bus and calls it from several clients at once.
#
#   check-portal-helper.py PATH/TO/sandlock-portal-helper
#
# It starts dbus-daemon (the DBUS_DAEMON environment variable, or the one
# on PATH) on a socket in a scratch directory, starts the helper on it and
# checks, each client on its own connection and all calls in flight
# together:
# - two commands that can only finish together (one reads a FIFO the other
#   writes): the helper runs calls concurrently, or the test hangs and fails
#   at its bound;
# - several clients each get their own command's output and status;
# - files outside the policy are refused inside: /etc/shadow and
#   /etc/hostname (readable to root outside the sandbox);
# - an empty command is a D-Bus InvalidArgs error.
# Prints TAP.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile

from gi.repository import Gio, GLib

NAME = 'org.example.SandlockHelper'
PATH = '/org/example/SandlockHelper'
# A bound for hangs, never a timing assertion.
HANG_SECONDS = 60
# Outside the policy: a command must not be able to create it.
ESCAPE = '/tmp/sandlock-portal-helper-escape'


def read_line(stream, what):
    ready, _, _ = select.select([stream], [], [], HANG_SECONDS)
    if not ready:
        sys.exit(f'Bail out! no {what} within {HANG_SECONDS} seconds')
    line = stream.readline()
    if not line:
        sys.exit(f'Bail out! {what}: the process ended')
    return line.strip()


def call_all(address, commands):
    """Calls Run for every command at once, each from its own connection,
    and returns [(status, stdout) or GLib.Error] in order."""
    loop = GLib.MainLoop()
    results = [None] * len(commands)
    pending = [len(commands)]
    connections = []

    def done(connection, res, index):
        try:
            status, output = connection.call_finish(res).unpack()
            results[index] = (status, bytes(output).decode())
        except GLib.Error as error:
            results[index] = error
        pending[0] -= 1
        if pending[0] == 0:
            loop.quit()

    for index, argv in enumerate(commands):
        connection = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        connections.append(connection)
        connection.call(NAME, PATH, NAME, 'Run', GLib.Variant('(as)', (argv,)),
                        GLib.VariantType('(iay)'), Gio.DBusCallFlags.NONE, HANG_SECONDS * 1000,
                        None, done, index)

    hung = []

    def hang():
        hung.append(True)
        loop.quit()
        return GLib.SOURCE_REMOVE

    bound = GLib.timeout_add_seconds(HANG_SECONDS, hang)
    loop.run()
    if hung:
        raise AssertionError(f'calls still pending after {HANG_SECONDS} seconds: {results}')
    GLib.source_remove(bound)
    for connection in connections:
        connection.close_sync(None)
    return results


def main():
    helper_path = sys.argv[1]
    daemon = os.environ.get('DBUS_DAEMON') or shutil.which('dbus-daemon')
    if os.path.exists(ESCAPE):
        os.unlink(ESCAPE)
    scratch = tempfile.mkdtemp(prefix='sandlock-dbus-')
    shared = os.path.join(scratch, 'shared')
    os.mkdir(shared)
    fifo = os.path.join(shared, 'fifo')
    os.mkfifo(fifo)

    bus = subprocess.Popen([daemon, '--session', '--nofork', '--nopidfile', '--print-address=1',
                            f'--address=unix:path={scratch}/bus'],
                           stdout=subprocess.PIPE, text=True)
    helper = None
    failed = 0
    try:
        address = read_line(bus.stdout, 'bus address')
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
        helper = subprocess.Popen([helper_path, '--readable', shared, '--writable', shared],
                                  stdout=subprocess.PIPE, env=env, text=True)
        if read_line(helper.stdout, 'ready line from the helper') != 'ready':
            sys.exit('Bail out! the helper did not say ready')

        checks = []

        def check(name, commands, expect):
            checks.append((name, commands, expect))

        check('two commands that can only finish together both finish',
              [['cat', fifo], ['sh', '-c', f'echo through the fifo > {fifo}']],
              [(0, 'through the fifo\n'), (0, '')])
        check('several clients at once each get their own output',
              [['sh', '-c', f'echo client {i}; exit {i}'] for i in range(6)],
              [(i, f'client {i}\n') for i in range(6)])
        check('files outside the policy are refused inside',
              [['cat', '/etc/shadow'], ['cat', '/etc/hostname'],
               ['sh', '-c', f'echo escaped > {ESCAPE}']],
              [(1, ''), (1, ''), (2, '')])
        check('a command that kills itself reports 128 + the signal',
              [['sh', '-c', 'kill -TERM $$']],
              [(128 + signal.SIGTERM, '')])

        print(f'1..{len(checks) + 2}')
        n = 0
        for name, commands, expect in checks:
            n += 1
            results = call_all(address, commands)
            if results == expect:
                print(f'ok {n} - {name}')
            else:
                failed += 1
                print(f'not ok {n} - {name}')
                print(f'# expected {expect}')
                print(f'# got      {results}')

        n += 1
        if os.path.exists(ESCAPE):
            failed += 1
            print(f'not ok {n} - nothing was written outside the policy')
        else:
            print(f'ok {n} - nothing was written outside the policy')

        n += 1
        [error] = call_all(address, [[]])
        if isinstance(error, GLib.Error) and Gio.DBusError.get_remote_error(error) == \
                'org.freedesktop.DBus.Error.InvalidArgs':
            print(f'ok {n} - an empty command is InvalidArgs')
        else:
            failed += 1
            print(f'not ok {n} - an empty command is InvalidArgs: {error}')
    finally:
        if helper is not None:
            helper.send_signal(signal.SIGTERM)
            if helper.wait(HANG_SECONDS) != 0:
                failed += 1
                print(f'# the helper exited with {helper.returncode}')
        bus.terminate()
        bus.wait(HANG_SECONDS)
        shutil.rmtree(scratch)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
