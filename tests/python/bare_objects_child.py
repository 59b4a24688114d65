# The child side of test_bare_objects.py: builds one public class of the
# Sandlock typelib with its plain constructor (g_object_new() and nothing
# else, as `Sandlock.X()` does) and calls each of its methods, printing one
# JSON line per step on stdout. A crash kills this process only; the parent
# sees which method was running and starts again after it.
#
#   bare_objects_child.py CLASS [--subclass] [--start N]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import ctypes
import json
import os
import sys

import gi

gi.require_version("Sandlock", "1")
from gi import _gi  # noqa: E402
from gi.repository import Gio, GLib, Sandlock  # noqa: E402

# Bound for a callback that never comes: reaching it reports a hang; it is
# never a timing assertion.
HANG_SECONDS = 30

LOG_DOMAINS = ("Sandlock", "GLib", "GLib-GObject", "GLib-GIO")
logged = []


def on_log(domain, level, message, user_data):
    logged.append("%s: %s" % (domain, message))


for domain in LOG_DOMAINS:
    GLib.log_set_handler(domain,
                         GLib.LogLevelFlags.LEVEL_CRITICAL | GLib.LogLevelFlags.LEVEL_WARNING,
                         on_log, None)


def emit(**record):
    print(json.dumps(record), flush=True)


class BareHandler(Sandlock.Handler):
    """A handler subclass that overrides nothing."""


INTEGER_TAGS = {"gint8", "guint8", "gint16", "guint16", "gint32", "guint32",
                "gint64", "guint64", "gunichar"}


class Call:
    """The arguments of one call, and what its callback received."""

    def __init__(self, obj, method):
        self.obj = obj
        self.method = method
        self.callback_outcome = None
        self.has_callback = False

    def on_ready(self, source, result, *user_data):
        finish = self.method.get_name().replace("_async", "_finish")
        try:
            value = getattr(source, finish)(result)
            self.callback_outcome = {"finish": finish, "returned": repr(value)}
        except GLib.Error as error:
            self.callback_outcome = {"finish": finish, "error": [GLib.quark_to_string(error.domain)
                                                                 if isinstance(error.domain, int)
                                                                 else error.domain, error.code]}

    def value_for(self, arg):
        type_info = arg.get_type()
        tag = type_info.get_tag_as_string()
        if tag == "gboolean":
            return False
        if tag in INTEGER_TAGS:
            return 1
        if tag in ("gfloat", "gdouble"):
            return 0.0
        if tag == "utf8":
            return "getpid"
        if tag == "filename":
            return "/nonexistent"
        if tag == "array":
            return []
        if tag == "void":
            return None
        if tag != "interface":
            raise NotImplementedError("no value for a %s argument" % tag)

        iface = type_info.get_interface()
        name = "%s.%s" % (iface.get_namespace(), iface.get_name())
        if isinstance(iface, _gi.CallbackInfo):
            self.has_callback = True
            return self.on_ready
        if isinstance(iface, (_gi.EnumInfo,)):
            return 0
        if name == "Gio.Cancellable":
            return None if arg.may_be_null() else Gio.Cancellable()
        if name == "Gio.AsyncResult":
            # A result of this object, but of no call of it.
            return Gio.Task.new(self.obj, None, None, None)
        if name == "GLib.Bytes":
            return GLib.Bytes.new(b"x")
        if name == "Sandlock.Action":
            return Sandlock.Action.new_errno(1)
        if name == "Sandlock.Notification":
            return Sandlock.Notification()
        if name == "Sandlock.Handler":
            return BareHandler()
        raise NotImplementedError("no value for a %s argument" % name)

    def arguments(self):
        args = self.method.get_arguments()
        hidden = set()
        for arg in args:
            length = arg.get_type().get_array_length()
            if length >= 0:
                hidden.add(length)
            if arg.get_destroy() >= 0:
                hidden.add(arg.get_destroy())
        values = []
        for index, arg in enumerate(args):
            if index in hidden or arg.get_direction() == _gi.Direction.OUT:
                continue
            values.append(self.value_for(arg))
        return values


def build(class_name, subclass):
    cls = getattr(Sandlock, class_name)
    if subclass:
        cls = type("Bare" + class_name, (cls,), {})
    return cls()


def main():
    class_name = sys.argv[1]
    subclass = "--subclass" in sys.argv
    start = int(sys.argv[sys.argv.index("--start") + 1]) if "--start" in sys.argv else 0
    info = getattr(Sandlock, class_name).__info__

    try:
        obj = build(class_name, subclass)
    except (TypeError, NotImplementedError, RuntimeError) as error:
        emit(step="construct", refused="%s: %s" % (type(error).__name__, error))
        return
    emit(step="construct", built=type(obj).__name__, logged=logged[:])
    del logged[:]

    methods = [m for m in info.get_methods() if m.is_method()]
    for index, method in enumerate(methods):
        if index < start:
            continue
        name = method.get_name()
        emit(step="begin", index=index, method=name)
        if os.environ.get("SANDLOCK_TEST_CRASH_AT") == "%s.%s" % (class_name, name):
            # The parent's own check that a crash is caught and reported.
            ctypes.string_at(0)
        call = Call(obj, method)
        record = {"step": "end", "index": index, "method": name}
        try:
            value = getattr(obj, name)(*call.arguments())
            record["returned"] = repr(value)
        except GLib.Error as error:
            record["error"] = [error.domain, error.code, error.message]
        except TypeError as error:
            record["bad_arguments"] = str(error)
        if call.has_callback:
            context = GLib.MainContext.default()
            expired = []
            timer = GLib.timeout_add_seconds(HANG_SECONDS, lambda: expired.append(True) or False)
            while call.callback_outcome is None and not expired:
                context.iteration(True)
            if expired:
                record["hang"] = True
            else:
                GLib.source_remove(timer)
                record["callback"] = call.callback_outcome
        record["logged"] = logged[:]
        del logged[:]
        emit(**record)
    emit(step="done", methods=len(methods))


if __name__ == "__main__":
    main()
