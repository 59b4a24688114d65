# A Python handler that fails (raises GLib.Error, raises any other
# exception, returns None or a wrong type): its exception policy answers,
# and the sandbox reports the failure. A failure never reads as "continue"
# unless the policy says so.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import signal

import pytest
from gi.repository import GLib, Sandlock

from conftest import new_sandbox, run_probe

Policy = Sandlock.ExceptionPolicy


class Failing(Sandlock.Handler):
    def __init__(self, how, **kwargs):
        super().__init__(**kwargs)
        self.how = how
        self.calls = 0

    def do_handle(self, notification):
        self.calls += 1
        if self.how == "glib-error":
            raise GLib.Error.new_literal(Sandlock.error_quark(), "refused by the test",
                                         Sandlock.Error.MEMORY_ACCESS)
        if self.how == "python-exception":
            raise ZeroDivisionError("not a GLib.Error")
        if self.how == "returns-none":
            return None
        if self.how == "wrong-type":
            return "continue"
        raise AssertionError(self.how)


class Answer(Sandlock.Handler):
    def __init__(self, action, **kwargs):
        super().__init__(**kwargs)
        self.action = action
        self.calls = 0

    def do_handle(self, notification):
        self.calls += 1
        return self.action()


# What the child sees of "syscall getuid" under each policy; None: killed.
OUTCOME = {
    Policy.KILL: None,
    Policy.DENY_EPERM: "syscall getuid: EPERM",
    Policy.DENY_EIO: "syscall getuid: EIO",
    Policy.CONTINUE: "syscall getuid: ok",
}

FAILURES = ["glib-error", "python-exception", "returns-none", "wrong-type"]


def run_failing(handlers):
    sandbox = new_sandbox()
    errors = []
    sandbox.connect("handler-error",
                    lambda sb, handler, notification, error:
                    errors.append((handler, notification.get_syscall_name(), error)))
    for handler in handlers:
        sandbox.add_handler("getuid", handler)
    result, lines = run_probe(sandbox, "print", "before", "syscall", "getuid", "print", "after")
    return result, lines, errors


@pytest.mark.parametrize("how", FAILURES)
@pytest.mark.parametrize("policy", list(OUTCOME), ids=lambda p: p.value_nick)
def test_exception_policy_answers_a_failed_handler(policy, how):
    handler = Failing(how, exception_policy=policy)
    assert handler.props.exception_policy == policy

    result, lines, errors = run_failing([handler])

    assert handler.calls == 1
    if OUTCOME[policy] is None:
        assert result.get_term_signal() == signal.SIGKILL
        assert lines == ["before"]
    else:
        assert result.get_success()
        assert lines == ["before", OUTCOME[policy], "after"]

    # The failure is reported once, with what went wrong.
    assert len(errors) == 1
    failed_handler, syscall_name, error = errors[0]
    assert failed_handler is handler
    assert syscall_name == "getuid"
    if how == "glib-error":
        assert error.matches(Sandlock.error_quark(), Sandlock.Error.MEMORY_ACCESS)
        assert error.message == "refused by the test"
    else:
        # PyGObject prints the exception and returns no action: the library
        # turns that into HANDLER_FAILED, never into "continue".
        assert error.matches(Sandlock.error_quark(), Sandlock.Error.HANDLER_FAILED)
        assert "Failing" in error.message


def test_the_default_policy_kills():
    handler = Failing("python-exception")
    assert handler.get_exception_policy() == Policy.KILL
    result, lines, errors = run_failing([handler])
    assert result.get_term_signal() == signal.SIGKILL
    assert lines == ["before"]
    assert len(errors) == 1


@pytest.mark.parametrize("how", ["glib-error", "python-exception"])
def test_continue_policy_lets_the_next_handler_decide(how):
    observer = Failing(how, exception_policy=Policy.CONTINUE)
    decider = Answer(lambda: Sandlock.Action.new_errno(errno.EACCES))
    result, lines, errors = run_failing([observer, decider])
    assert lines == ["before", "syscall getuid: EACCES", "after"]
    assert (observer.calls, decider.calls) == (1, 1)
    assert len(errors) == 1 and errors[0][0] is observer


@pytest.mark.parametrize("how", ["glib-error", "python-exception"])
def test_a_failure_ends_the_chain_under_a_deny_policy(how):
    failing = Failing(how, exception_policy=Policy.DENY_EPERM)
    later = Answer(Sandlock.Action.new_continue)
    result, lines, errors = run_failing([failing, later])
    assert lines == ["before", "syscall getuid: EPERM", "after"]
    assert later.calls == 0


def test_exception_policy_is_a_handler_property():
    handler = Failing("glib-error")
    notified = []
    handler.connect("notify::exception-policy", lambda h, pspec: notified.append(h.props.exception_policy))
    handler.props.exception_policy = Policy.DENY_EIO
    handler.set_exception_policy(Policy.DENY_EIO)
    handler.set_exception_policy(Policy.CONTINUE)
    assert notified == [Policy.DENY_EIO, Policy.CONTINUE]
    assert handler.get_exception_policy() == Policy.CONTINUE
