// Handlers run on gjs's own thread, whatever the child does: 10,000
// notifications from four threads of the child, every one dispatched to
// the JavaScript handler on the thread running the main loop. (gjs cannot
// run JavaScript on another thread: a call from elsewhere would be refused
// and the syscall would not get the handler's answer.)
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Sandlock from 'gi://Sandlock?version=1';

import {PROBE, assert, assertEqual, lines, newSandbox, runOnMainLoop, runTests, test} from './harness.js';

const EPERM = 1;
const THREADS = 4, PER_THREAD = 2500;

const Counter = GObject.registerClass(
class Counter extends Sandlock.Handler {
    _init() {
        super._init();
        this.calls = 0;
        this.offThread = 0;
        this.tids = new Set();
    }

    vfunc_handle(notification) {
        this.calls++;
        // Only the thread that runs the loop owns the default context.
        if (!GLib.MainContext.default().is_owner())
            this.offThread++;
        this.tids.add(notification.get_pid());
        return Sandlock.Action.new_errno(EPERM);
    }
});

test('10,000 notifications from a multi-threaded child, all handled on the main thread', () => {
    const sandbox = newSandbox();
    const counter = new Counter();
    sandbox.add_handler('getppid', counter);

    const result = runOnMainLoop(sandbox, [PROBE, 'threads', `${THREADS}:${PER_THREAD}:getppid`]);
    // Every call failed with the handler's EPERM: each got its answer.
    assertEqual(lines(result.get_stdout()), [`threads: ${THREADS * PER_THREAD} calls, ${THREADS * PER_THREAD} failures`], 'output');
    assertEqual(counter.calls, THREADS * PER_THREAD, 'handler calls');
    assertEqual(counter.offThread, 0, 'calls off the main thread');
    assert(counter.tids.size > 1, `the calls came from ${counter.tids.size} threads of the child`);
});

runTests();
