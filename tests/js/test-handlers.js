// Handlers written in JavaScript (gjs), deciding real syscalls of real
// children.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Sandlock from 'gi://Sandlock?version=1';

import {
    PROBE, assert, assertEqual, lines, makeTmpDir, newSandbox, runOnMainLoop, runProbe, runTests, test,
} from './harness.js';

const EPERM = 1, EACCES = 13, SIGKILL = 9;

const OpenAudit = GObject.registerClass(
class OpenAudit extends Sandlock.Handler {
    _init(params) {
        super._init(params);
        this.paths = [];
    }

    vfunc_handle(notification) {
        this.paths.push(notification.read_string(notification.get_arg(1), 4096));
        return Sandlock.Action.new_continue();
    }
});

// Answers with what a function returns (or throws).
const Answer = GObject.registerClass(
class Answer extends Sandlock.Handler {
    _init(decide, params = {}) {
        super._init(params);
        this.decide = decide;
        this.calls = 0;
    }

    vfunc_handle(notification) {
        this.calls++;
        return this.decide(notification);
    }
});

test('an audit handler counts exactly the opens of one file', () => {
    const dir = makeTmpDir();
    const target = `${dir}/audited`;
    GLib.file_set_contents(target, 'x');
    const sandbox = newSandbox([dir]);
    const audit = new OpenAudit();
    sandbox.add_handler('openat', audit);

    const [result, out] = runProbe(sandbox, 'read', target, 'read', target, 'read', target);
    assert(result.get_success(), 'the probe succeeded');
    assertEqual(out, Array(3).fill(`read ${target}: ok`), 'output');
    assertEqual(audit.paths.filter(p => p === target).length, 3, 'opens of the file');
    // The dynamic loader's opens were trapped too: the filter above matters.
    assert(audit.paths.length > 3, 'the audit sees every openat');
});

test('an errno answer is observed by the child', () => {
    const sandbox = newSandbox();
    const handler = new Answer(() => Sandlock.Action.new_errno(EPERM));
    sandbox.add_handler('getuid', handler);
    const [result, out] = runProbe(sandbox, 'syscall', 'getuid', 'syscall', 'getpid');
    assert(result.get_success(), 'the probe succeeded');
    assertEqual(out, ['syscall getuid: EPERM', 'syscall getpid: ok'], 'output');
    assertEqual(handler.calls, 1, 'calls');
});

test('a return value answers getppid', () => {
    const sandbox = newSandbox();
    sandbox.add_handler('getppid', new Answer(() => Sandlock.Action.new_return_value(777)));
    const [, out] = runProbe(sandbox, 'getppid');
    assertEqual(out, ['getppid: 777'], 'output');
});

test('get_arg_string gives 64-bit arguments exactly, above 2^53 too', () => {
    const sandbox = newSandbox();
    const seen = [];
    sandbox.add_handler('getppid', new Answer(notification => {
        seen.push(BigInt(notification.get_arg_string(0)));
        return Sandlock.Action.new_return_value(7);
    }));
    const values = [2n ** 53n + 1n, 2n ** 64n - 1n, 12345n];
    const [, out] = runProbe(sandbox, ...values.flatMap(v => ['getppid-arg', `${v}`]));
    assertEqual(out, values.map(v => `getppid-arg ${v}: 7`), 'output');
    assertEqual(seen.map(v => `${v}`), values.map(v => `${v}`), 'arguments seen by the handler');
});

test('get_id_string gives each notification its exact identifier', () => {
    const sandbox = newSandbox();
    const ids = [];
    sandbox.add_handler('getppid', new Answer(notification => {
        const id = BigInt(notification.get_id_string());
        // The Number is the same identifier, rounded to a double.
        assertEqual(notification.get_id(), Number(id), 'get_id() against get_id_string()');
        ids.push(id);
        return Sandlock.Action.new_return_value(7);
    }));
    runProbe(sandbox, 'getppid', 'getppid', 'getppid');
    assertEqual(ids.length, 3, 'notifications');
    assertEqual(new Set(ids).size, 3, 'distinct identifiers');
});

test('a deferred answer is given later from GLib.timeout_add', () => {
    const sandbox = newSandbox();
    const events = [];
    const handler = new Answer(notification => {
        events.push('deferred');
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 20, () => {
            events.push(`pending ${notification.is_pending()}`);
            events.push(`respond ${notification.respond(Sandlock.Action.new_return_value(777))}`);
            try {
                notification.respond(Sandlock.Action.new_return_value(1));
            } catch (e) {
                events.push(`again ${e.matches(Sandlock.error_quark(), Sandlock.Error.NOTIFICATION_GONE)}`);
            }
            return GLib.SOURCE_REMOVE;
        });
        return Sandlock.Action.new_defer();
    });
    sandbox.add_handler('getppid', handler);

    const result = runOnMainLoop(sandbox, [PROBE, 'getppid', 'print', 'after']);
    assertEqual(lines(result.get_stdout()), ['getppid: 777', 'after'], 'output');
    assertEqual(events, ['deferred', 'pending true', 'respond true', 'again true'], 'events');
});

// Runs "syscall getuid" with handler registered, and returns the output,
// the result and what handler-error reported.
function runFailing(handler) {
    const sandbox = newSandbox();
    const errors = [];
    sandbox.connect('handler-error', (sb, failed, notification, error) => {
        errors.push({handler: failed, name: notification.get_syscall_name(), error});
    });
    sandbox.add_handler('getuid', handler);
    const [result, out] = runProbe(sandbox, 'print', 'before', 'syscall', 'getuid', 'print', 'after');
    return {result, out, errors};
}

test('a thrown exception is handled by the exception policy (deny-eperm)', () => {
    const handler = new Answer(() => {
        throw new Error('thrown by the handler');
    }, {exception_policy: Sandlock.ExceptionPolicy.DENY_EPERM});
    const {result, out, errors} = runFailing(handler);
    assert(result.get_success(), 'the probe succeeded');
    assertEqual(out, ['before', 'syscall getuid: EPERM', 'after'], 'output');
    assertEqual(errors.length, 1, 'handler-error emissions');
    assert(errors[0].handler === handler, 'the failed handler is reported');
    assertEqual(errors[0].name, 'getuid', 'syscall');
    assert(errors[0].error.message.includes('thrown by the handler'), `error: ${errors[0].error}`);
});

test('a thrown exception is handled by the exception policy (kill, the default)', () => {
    const handler = new Answer(() => {
        throw new TypeError('not a GLib.Error');
    });
    assertEqual(handler.exception_policy, Sandlock.ExceptionPolicy.KILL, 'default policy');
    const {result, out, errors} = runFailing(handler);
    assertEqual(result.get_term_signal(), SIGKILL, 'signal');
    assertEqual(out, ['before'], 'output');
    assertEqual(errors.length, 1, 'handler-error emissions');
});

test('a thrown GLib.Error reaches handler-error with its domain and code', () => {
    const handler = new Answer(() => {
        throw new GLib.Error(Sandlock.error_quark(), Sandlock.Error.MEMORY_ACCESS, 'refused by the test');
    }, {exception_policy: Sandlock.ExceptionPolicy.DENY_EIO});
    const {out, errors} = runFailing(handler);
    assertEqual(out, ['before', 'syscall getuid: EIO', 'after'], 'output');
    assertEqual(errors.length, 1, 'handler-error emissions');
    assert(errors[0].error.matches(Sandlock.error_quark(), Sandlock.Error.MEMORY_ACCESS), 'error code');
    assertEqual(errors[0].error.message, 'refused by the test', 'message');
});

test('returning nothing is a failure, never continue', () => {
    const handler = new Answer(() => null, {exception_policy: Sandlock.ExceptionPolicy.DENY_EPERM});
    const {out, errors} = runFailing(handler);
    assertEqual(out, ['before', 'syscall getuid: EPERM', 'after'], 'output');
    assertEqual(errors.length, 1, 'handler-error emissions');
    assert(errors[0].error.matches(Sandlock.error_quark(), Sandlock.Error.HANDLER_FAILED), `error: ${errors[0].error}`);
});

test('read_string decodes the path and the handler denies that one file', () => {
    const dir = makeTmpDir();
    const secret = `${dir}/secret`, open = `${dir}/public`;
    GLib.file_set_contents(secret, 'x');
    GLib.file_set_contents(open, 'x');
    const sandbox = newSandbox([dir]);
    sandbox.add_handler('openat', new Answer(n =>
        n.read_string(n.get_arg(1), 4096) === secret
            ? Sandlock.Action.new_errno(EACCES) : Sandlock.Action.new_continue()));
    const [, out] = runProbe(sandbox, 'read', open, 'read', secret);
    assertEqual(out, [`read ${open}: ok`, `read ${secret}: EACCES`], 'output');
});

test('an unknown syscall name is a GLib.Error', () => {
    const sandbox = newSandbox();
    let error = null;
    try {
        sandbox.add_handler('no_such_syscall', new Answer(() => Sandlock.Action.new_kill()));
    } catch (e) {
        error = e;
    }
    assert(error?.matches(Sandlock.error_quark(), Sandlock.Error.INVALID_SYSCALL), `error: ${error}`);
});

runTests();
