// run_async awaited at the top level of a `gjs -m` module, through
// Gio._promisify: the pattern docs/javascript.md shows.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Sandlock from 'gi://Sandlock?version=1';

import {PROBE, assert, assertEqual, lines, newSandbox, runTestsAsync, test} from './harness.js';

Gio._promisify(Sandlock.Sandbox.prototype, 'run_async', 'run_finish');

// Answers getppid later, from a source on the default main context: the
// run finishes only if that context is iterated while the module awaits.
const AnswerLater = GObject.registerClass(
class AnswerLater extends Sandlock.Handler {
    vfunc_handle(notification) {
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 50, () => {
            notification.respond(Sandlock.Action.new_return_value(42));
            return GLib.SOURCE_REMOVE;
        });
        return Sandlock.Action.new_defer();
    }
});

test('await run_async returns the result, deferred answers included', async () => {
    const sandbox = newSandbox();
    sandbox.add_handler('getppid', new AnswerLater());
    const result = await sandbox.run_async([PROBE, 'getppid', 'getppid'], null, null);
    assert(result.get_success(), 'the probe succeeded');
    assertEqual(lines(result.get_stdout()), ['getppid: 42', 'getppid: 42'], 'output');
});

test('several runs awaited together each get their own result', async () => {
    const runs = ['1', '2', '3'].map(word => {
        const sandbox = newSandbox();
        sandbox.add_handler('getppid', new AnswerLater());
        return sandbox.run_async([PROBE, 'print', word, 'getppid'], null, null);
    });
    const results = await Promise.all(runs);
    assertEqual(results.map(r => lines(r.get_stdout())),
        ['1', '2', '3'].map(word => [word, 'getppid: 42']), 'outputs');
});

test('a failed run rejects the promise with its GLib.Error', async () => {
    const sandbox = newSandbox();
    let error = null;
    try {
        await sandbox.run_async([`${GLib.path_get_dirname(PROBE)}/no-such-program`], null, null);
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error, `a GLib.Error: ${error}`);
});

await runTestsAsync();
