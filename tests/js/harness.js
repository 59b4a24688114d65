// A minimal TAP harness for the gjs tests, and helpers to run the probe.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Sandlock from 'gi://Sandlock?version=1';
import System from 'system';

export const PROBE = GLib.getenv('SANDLOCK_TEST_PROBE');

// Bound for waits on a main loop: reaching it fails the test (something
// hung); it is never a timing assertion.
export const HANG_SECONDS = 60;

const SYSTEM_PATHS = ['/usr', '/lib', '/lib64', '/lib32', '/bin', '/sbin', '/etc/ld.so.cache'];

export function readablePaths(...extra) {
    const paths = SYSTEM_PATHS.filter(p => GLib.file_test(p, GLib.FileTest.EXISTS));
    return [...paths, GLib.path_get_dirname(PROBE), ...extra];
}

// A sandbox that can run the probe.
export function newSandbox(extraReadable = [], props = {}) {
    return new Sandlock.Sandbox({fs_readable: readablePaths(...extraReadable), timeout: 30, ...props});
}

export function lines(bytes) {
    return new TextDecoder().decode(bytes.toArray()).split('\n').filter(l => l !== '');
}

export function runProbe(sandbox, ...commands) {
    const result = sandbox.run([PROBE, ...commands], null, null);
    return [result, lines(result.get_stdout())];
}

// Runs argv with run_async on the default main context, driven by a
// GLib.MainLoop, and returns the result or throws its error.
export function runOnMainLoop(sandbox, argv) {
    const loop = new GLib.MainLoop(null, false);
    let result = null, error = null, hung = false;

    sandbox.run_async(argv, null, null, (source, res) => {
        try {
            result = source.run_finish(res);
        } catch (e) {
            error = e;
        }
        loop.quit();
    });
    const hang = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, HANG_SECONDS, () => {
        hung = true;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    loop.run();
    if (hung)
        throw new Error(`run_async did not finish within ${HANG_SECONDS} seconds`);
    GLib.source_remove(hang);
    if (error)
        throw error;
    return result;
}

const tmpDirs = [];

// A temporary directory, removed (with the files in it) at the end.
export function makeTmpDir() {
    const dir = GLib.dir_make_tmp('sandlock-js-XXXXXX');
    tmpDirs.push(dir);
    return dir;
}

function removeTmpDirs() {
    for (const dir of tmpDirs) {
        const directory = Gio.File.new_for_path(dir);
        const children = directory.enumerate_children('standard::name', Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS, null);
        let info;
        while ((info = children.next_file(null)) !== null)
            directory.get_child(info.get_name()).delete(null);
        children.close(null);
        directory.delete(null);
    }
}

export function assert(condition, message) {
    if (!condition)
        throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, what = 'value') {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    if (a !== e)
        throw new Error(`${what}: expected ${e}, got ${a}`);
}

const tests = [];

export function test(name, fn) {
    tests.push([name, fn]);
}

// Runs the registered tests and exits with TAP output.
export function runTests() {
    let failed = 0;
    print(`1..${tests.length}`);
    tests.forEach(([name, fn], i) => {
        try {
            fn();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
                print(`# ${line}`);
        }
    });
    removeTmpDirs();
    System.exit(failed > 0 ? 1 : 0);
}

// Runs the registered tests, awaiting those that return a promise, and
// exits with TAP output. A module calls it as `await runTestsAsync()`:
// under `gjs -m` a top-level await keeps GLib's default main context
// running until the promise settles.
export async function runTestsAsync() {
    let failed = 0;
    print(`1..${tests.length}`);
    for (const [i, [name, fn]] of tests.entries()) {
        try {
            await fn();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
                print(`# ${line}`);
        }
    }
    removeTmpDirs();
    System.exit(failed > 0 ? 1 : 0);
}
