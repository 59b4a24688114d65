// sandlock-example.js: run a command confined, watch and filter its opens
//
//   gjs -m sandlock-example.js [COMMAND [ARGS...]]
//
// The JavaScript version of sandlock-example.c: runs COMMAND (by default:
// sh -c 'cat /etc/hostname; cat /etc/shadow') with the system directories
// and /etc readable, prints one line for each file it opens, refuses
// /etc/shadow with EACCES, and prints the result.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Sandlock from 'gi://Sandlock?version=1';
import System from 'system';

const DENIED_PATH = '/etc/shadow';
const EACCES = 13;

// Raw writes to standard output: the child's output is printed as it is.
const stdout = new Gio.UnixOutputStream({fd: 1, close_fd: false});
function write(text) {
    stdout.write_all(new TextEncoder().encode(text), null);
}

// A handler is a subclass of Sandlock.Handler overriding vfunc_handle.
const OpenFilter = GObject.registerClass(
class OpenFilter extends Sandlock.Handler {
    vfunc_handle(notification) {
        // openat (dirfd, pathname, flags, mode): the path is argument 1. If
        // it cannot be read, the error thrown makes the exception policy
        // answer.
        const path = notification.read_string(notification.get_arg(1), 4096);

        if (path === DENIED_PATH) {
            write(`open ${path.padEnd(30)} denied by the handler (EACCES)\n`);
            // A decision taken from the child's memory: answer it, never continue.
            // Even so this denial is a demonstration, not a protection: another
            // thread of the child could change the path after this check, and the
            // other opens do continue. What protects a file is not granting it to
            // Landlock (this example grants all of /etc to show the handler).
            return Sandlock.Action.new_errno(EACCES);
        }

        write(`open ${path.padEnd(30)} passed on to Landlock\n`);
        return Sandlock.Action.new_continue();
    }
});

function main(args) {
    const command = args.length > 0 ? args : ['sh', '-c', `cat /etc/hostname; cat ${DENIED_PATH}`];

    const sandbox = new Sandlock.Sandbox({
        fs_readable: ['/usr', '/lib', '/lib64', '/bin', '/etc'],
        // The command gets PATH and a few basics, not this program's whole
        // environment.
        clean_env: true,
        // The C locale spares the child (and this output) the locale files.
        env: ['LC_ALL=C'],
        timeout: 30,
    });
    sandbox.add_handler('openat', new OpenFilter());

    // run() drives its own main context: the handler runs in this thread.
    const result = sandbox.run(command, null, null);

    const decoder = new TextDecoder();
    write('--- stdout\n');
    write(decoder.decode(result.get_stdout().toArray()));
    write('--- stderr\n');
    write(decoder.decode(result.get_stderr().toArray()));
    write(`--- exit status ${result.get_exit_status()}${result.get_timed_out() ? ' (timed out)' : ''}\n`);
    return 0;
}

try {
    System.exit(main(ARGV));
} catch (e) {
    printerr(e.message);
    System.exit(1);
}
