# PyGObject override for Sandlock: what a Python programmer expects on top
# of the introspected API, and nothing that changes its meaning.
#
# - Ctrl-C while Sandbox.run(), Process.wait(), wait_check() or
#   communicate() blocks kills the sandbox and raises KeyboardInterrupt,
#   as subprocess.run() does.
# - An exception raised in a Handler's do_handle() reaches
#   SandlockSandbox::handler-error with its type and message; a coroutine
#   do_handle is refused when the class is defined.
# - Sandlock.Error: the library's GErrors are raised as this subclass of
#   GLib.Error, so that `except Sandlock.Error` works.
# - notification.args, result.stdout / stderr (bytes) and
#   stdout_text / stderr_text, repr() and == for actions, and
#   Action.new_errno() raising rather than logging a critical.
#
# Installed beside PyGObject's own overrides (gi/overrides/ on sys.path);
# the tests load it from the source tree through PYTHONPATH.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import contextlib
import functools
import inspect
import select
import signal
import socket
import threading

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override

Sandlock = get_introspection_module("Sandlock")

__all__ = []


# ---- errors -----------------------------------------------------------------

_ErrorCodes = Sandlock.Error


class Error(GLib.Error):
    """A GLib.Error of the Sandlock domain (Sandlock.error_quark()). Every
    error the library raises is one, so `except Sandlock.Error` catches
    them; errors of other domains (Gio.IOErrorEnum.CANCELLED,
    GLib.SpawnError) stay plain GLib.Error. The error codes are attributes
    of the class, as they were of the introspected enumeration:
    `error.code == Sandlock.Error.TIMED_OUT`."""


for _code in _ErrorCodes.__enum_values__.values():
    setattr(Error, _code.value_name[len("SANDLOCK_ERROR_"):], _code)
del _code

__all__.append("Error")

_DOMAIN = GLib.quark_to_string(Sandlock.error_quark())


def _sandlock_error(error):
    if isinstance(error, GLib.Error) and not isinstance(error, Error) and \
            error.domain == _DOMAIN:
        return Error(error.message, error.domain, error.code)
    return None


def _raising_sandlock_errors(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except GLib.Error as error:
            converted = _sandlock_error(error)
            if converted is None:
                raise
            raise converted from None
    return wrapper


def _throwing_methods(class_name):
    """The names of the methods of Sandlock.CLASS_NAME that can fail with a
    GError, read from the typelib."""
    gi_info = getattr(Sandlock, class_name).__info__
    return [method.get_name() for method in gi_info.get_methods()
            if method.can_throw_gerror()]


def _gdoc(class_name):
    """For a class body's __doc__: help() on the class then shows its
    properties with their blurbs and its signals, which PyGObject keeps in
    __gdoc__."""
    return getattr(getattr(Sandlock, class_name), "__gdoc__", "")


def _wrap_throwing(cls, class_name):
    for name in _throwing_methods(class_name):
        # What the class (or an override above it) has under that name.
        setattr(cls, name, _raising_sandlock_errors(getattr(cls, name)))


# ---- Ctrl-C -----------------------------------------------------------------

@contextlib.contextmanager
def _interrupt_cancels(on_interrupt):
    """While the block runs, SIGINT calls ON_INTERRUPT (from another thread)
    instead of raising KeyboardInterrupt where Python next runs (inside a
    handler, where PyGObject would swallow it). After the block, the
    interrupt is raised. Only in the main thread, and only when SIGINT has
    Python's default handler: a program that handles SIGINT itself keeps
    its handler."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return

    interrupted = threading.Event()
    wake_read, wake_write = socket.socketpair()
    stop_read, stop_write = socket.socketpair()
    for sock in (wake_read, wake_write, stop_read, stop_write):
        sock.setblocking(False)

    def watch():
        while True:
            ready, _, _ = select.select([wake_read, stop_read], [], [])
            if stop_read in ready:
                return
            try:
                data = wake_read.recv(64)
            except BlockingIOError:
                continue
            if signal.SIGINT in data and not interrupted.is_set():
                interrupted.set()
                on_interrupt()

    def on_sigint(signum, frame):
        # The watcher saw it through the wakeup descriptor; nothing to do
        # here, where Python code (a handler) may be running.
        pass

    old_wakeup = signal.set_wakeup_fd(wake_write.fileno(), warn_on_full_buffer=False)
    old_handler = signal.signal(signal.SIGINT, on_sigint)
    watcher = threading.Thread(target=watch, name="sandlock-sigint", daemon=True)
    watcher.start()
    try:
        yield
    except Exception:
        # The interrupt explains the cancellation the call reports.
        if not interrupted.is_set():
            raise
    finally:
        stop_write.send(b"x")
        watcher.join()
        signal.signal(signal.SIGINT, old_handler)
        signal.set_wakeup_fd(old_wakeup)
        for sock in (wake_read, wake_write, stop_read, stop_write):
            sock.close()
    if interrupted.is_set():
        raise KeyboardInterrupt


def _cancellable_or_new(cancellable):
    # Gio is loaded by Sandlock's own dependencies.
    from gi.repository import Gio
    return cancellable if cancellable is not None else Gio.Cancellable()


# ---- Sandbox ----------------------------------------------------------------

class Sandbox(Sandlock.Sandbox):
    __doc__ = _gdoc("Sandbox")

    def run(self, argv, stdin_buf=None, cancellable=None):
        """Runs ARGV in the sandbox and waits for it, as
        Sandlock.Sandbox.run(); STDIN_BUF may be bytes. Ctrl-C kills the
        sandbox and raises KeyboardInterrupt."""
        cancellable = _cancellable_or_new(cancellable)
        if isinstance(stdin_buf, (bytes, bytearray, memoryview)):
            stdin_buf = GLib.Bytes.new(bytes(stdin_buf))
        # On an interrupt, the KeyboardInterrupt raised on leaving the block
        # replaces the CANCELLED error run() returns.
        with _interrupt_cancels(cancellable.cancel):
            return Sandlock.Sandbox.run(self, argv, stdin_buf, cancellable)

    def add_handler(self, syscall, handler):
        _check_handler(type(handler))
        return Sandlock.Sandbox.add_handler(self, syscall, handler)

    def add_handler_nr(self, syscall_nr, handler):
        _check_handler(type(handler))
        return Sandlock.Sandbox.add_handler_nr(self, syscall_nr, handler)


_wrap_throwing(Sandbox, "Sandbox")
Sandbox = override(Sandbox)
__all__.append("Sandbox")


# ---- Process ----------------------------------------------------------------

def _killing_on_interrupt(name):
    method = getattr(Sandlock.Process, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with _interrupt_cancels(self.force_exit):
            return method(self, *args, **kwargs)
    wrapper.__doc__ = ((method.__doc__ or "") +
                       "\n\nCtrl-C kills the sandbox and raises KeyboardInterrupt.")
    return wrapper


class Process(Sandlock.Process):
    __doc__ = _gdoc("Process")
    wait = _killing_on_interrupt("wait")
    wait_check = _killing_on_interrupt("wait_check")
    communicate = _killing_on_interrupt("communicate")


_wrap_throwing(Process, "Process")
Process = override(Process)
__all__.append("Process")


# ---- Handler ----------------------------------------------------------------

def _check_handler(cls):
    do_handle = getattr(cls, "do_handle", None)
    if do_handle is not None and (inspect.iscoroutinefunction(do_handle) or
                                  inspect.isasyncgenfunction(do_handle)):
        raise TypeError(
            "%s.do_handle is a coroutine function: handlers answer synchronously. "
            "Return Sandlock.Action.new_defer() and call notification.respond() "
            "when your coroutine is done instead (see the Python guide)"
            % cls.__qualname__)


def _reporting_exceptions(do_handle):
    """DO_HANDLE, with any exception but a GLib.Error turned into one that
    says what it was, so that SandlockSandbox::handler-error gets it."""
    @functools.wraps(do_handle)
    def wrapper(self, notification):
        try:
            return do_handle(self, notification)
        except GLib.Error:
            raise
        except Exception as exception:
            raise GLib.Error("%s.do_handle raised %s: %s" % (
                type(self).__qualname__, type(exception).__name__, exception),
                _DOMAIN, int(_ErrorCodes.HANDLER_FAILED)) from exception
    wrapper._sandlock_reports = True
    return wrapper


class Handler(Sandlock.Handler):
    __doc__ = _gdoc("Handler")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _check_handler(cls)
        do_handle = cls.__dict__.get("do_handle")
        if do_handle is not None and not getattr(do_handle, "_sandlock_reports", False):
            cls.do_handle = _reporting_exceptions(do_handle)


Handler = override(Handler)
__all__.append("Handler")


# ---- Notification -----------------------------------------------------------

class Notification(Sandlock.Notification):
    __doc__ = _gdoc("Notification")

    @property
    def args(self):
        """The syscall's six arguments, as a tuple of ints."""
        return tuple(self.get_arg(i) for i in range(6))


_wrap_throwing(Notification, "Notification")
Notification = override(Notification)
__all__.append("Notification")


# ---- Result -----------------------------------------------------------------

def _data(gbytes):
    return gbytes.get_data() if gbytes is not None else b""


class Result(Sandlock.Result):
    __doc__ = _gdoc("Result")

    @property
    def stdout(self):
        """What the command wrote to standard output, as bytes."""
        return _data(self.get_stdout())

    @property
    def stderr(self):
        """What the command wrote to standard error, as bytes."""
        return _data(self.get_stderr())

    @property
    def stdout_text(self):
        """Standard output decoded as UTF-8 (invalid bytes replaced)."""
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def stderr_text(self):
        """Standard error decoded as UTF-8 (invalid bytes replaced)."""
        return self.stderr.decode("utf-8", errors="replace")

    def __repr__(self):
        if self.get_term_signal():
            how = "killed by signal %d" % self.get_term_signal()
        else:
            how = "exit status %d" % self.get_exit_status()
        return "<Sandlock.Result %s%s>" % (how, ", timed out" if self.get_timed_out() else "")


Result = override(Result)
__all__.append("Result")


# ---- Action -----------------------------------------------------------------

def _action_key(action):
    kind = action.get_kind()
    if kind == Sandlock.ActionKind.ERRNO:
        return (kind, action.get_errno())
    if kind == Sandlock.ActionKind.RETURN_VALUE:
        return (kind, action.get_return_value())
    if kind == Sandlock.ActionKind.INJECT_FD:
        return (kind, action.get_fd(), action.get_inject_flags())
    return (kind,)


class Action(Sandlock.Action):

    @classmethod
    def new_errno(cls, errno_value):
        """An answer that makes the syscall fail with ERRNO_VALUE (1 to
        4095). Raises Sandlock.Error (INVALID_POLICY) for other values."""
        if not isinstance(errno_value, int) or not 0 < errno_value < 4096:
            raise Error("An errno answer needs an errno from 1 to 4095, not %r" % (errno_value,),
                        _DOMAIN, int(_ErrorCodes.INVALID_POLICY))
        return Sandlock.Action.new_errno(errno_value)

    def __eq__(self, other):
        if not isinstance(other, Sandlock.Action):
            return NotImplemented
        return _action_key(self) == _action_key(other)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self):
        return hash(_action_key(self))

    def __repr__(self):
        key = _action_key(self)
        name = key[0].value_nick if hasattr(key[0], "value_nick") else str(key[0])
        details = ", ".join(str(v) for v in key[1:])
        if key[0] == Sandlock.ActionKind.ERRNO:
            import errno
            details = errno.errorcode.get(key[1], str(key[1]))
        return "<Sandlock.Action %s%s>" % (name, "(%s)" % details if details else "")


Action = override(Action)
__all__.append("Action")
