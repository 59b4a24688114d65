// bench-handler.js: the round-trip benchmark with a gjs handler
//
//   gjs -m bench-handler.js BENCH_CHILD N
//
// Same measurement as `sandlock-bench roundtrip-c`, with the handler written
// in JavaScript and run on gjs's own main loop. Prints one JSON object.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Sandlock from 'gi://Sandlock?version=1';
import System from 'system';

const SYSTEM_DIRS = ['/usr', '/lib', '/lib64', '/bin', '/etc'];

const Continue = GObject.registerClass(
class Continue extends Sandlock.Handler {
    _init() {
        super._init();
        this.handled = 0;
    }

    vfunc_handle(_notification) {
        this.handled++;
        return Sandlock.Action.new_continue();
    }
});

// CPU time of this process (all threads), from /proc: utime + stime.
function cpuSeconds() {
    const [, bytes] = GLib.file_get_contents('/proc/self/stat');
    const text = new TextDecoder().decode(bytes);
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
}

const [child, countText] = ARGV;
const count = Number(countText);
const readable = SYSTEM_DIRS.filter(d => GLib.file_test(d, GLib.FileTest.EXISTS));
readable.push(GLib.path_get_dirname(child));

const sandbox = new Sandlock.Sandbox({fs_readable: readable});
const handler = new Continue();
sandbox.add_handler('getppid', handler);

const loop = new GLib.MainLoop(null, false);
let result = null;
const cpuStart = cpuSeconds();
sandbox.run_async([child, String(count)], null, null, (source, res) => {
    result = source.run_finish(res);
    loop.quit();
});
loop.run();
const cpu = cpuSeconds() - cpuStart;

if (!result.success) {
    printerr(`bench-child failed: ${new TextDecoder().decode(result.stderr.get_data())}`);
    System.exit(1);
}
print(JSON.stringify({
    mode: 'gjs',
    handled: handler.handled,
    supervisor_cpu_ns_per_call: cpu * 1e9 / count,
    child: JSON.parse(new TextDecoder().decode(result.stdout.get_data())),
}));
