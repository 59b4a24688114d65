# The introspection data a binding relies on: every callable of
# Sandlock-1.gir carries the annotations that make it usable and leak-free
# (no raw pointer, no pointer/length pair seen as two arguments, no
# out-parameter seen as an input, callbacks with a scope, every returned
# reference with an explicit transfer), and is introspectable.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import xml.etree.ElementTree as ET

import pytest

CORE = "{http://www.gtk.org/introspection/core/1.0}"
C = "{http://www.gtk.org/introspection/c/1.0}"
GLIB = "{http://www.gtk.org/introspection/glib/1.0}"

CALLABLES = ("function", "method", "constructor", "virtual-method", "callback")

# Basic types a binding passes by value: behind a pointer they are either
# an array (which needs an array annotation) or an out-parameter.
SCALARS = {"gboolean", "gchar", "guchar", "gint", "guint", "gint8", "guint8", "gint16",
           "guint16", "gint32", "guint32", "gint64", "guint64", "gshort", "gushort",
           "glong", "gulong", "gsize", "gssize", "gfloat", "gdouble", "goffset",
           "gintptr", "guintptr", "GLib.Pid"}


def load_gir():
    return ET.parse(os.environ["SANDLOCK_TEST_GIR"]).getroot()


def callables():
    root = load_gir()
    namespace = root.find(CORE + "namespace")
    found = []
    for owner in [namespace] + list(namespace):
        for element in owner:
            tag = element.tag.replace(CORE, "")
            if tag in CALLABLES:
                name = element.get(C + "identifier") or "%s.%s" % (owner.get("name"), element.get("name"))
                found.append(pytest.param(element, id=name))
    return found


def type_of(element):
    return element.find(CORE + "type"), element.find(CORE + "array")


def closure_targets(callable_element):
    params = callable_element.find(CORE + "parameters")
    indices = set()
    for param in (params if params is not None else []):
        for attribute in ("closure", "destroy"):
            if param.get(attribute) is not None:
                indices.add(int(param.get(attribute)))
    return indices


def test_the_gir_has_callables():
    # Guards the parametrized tests below against an empty or moved GIR.
    assert len(callables()) > 50


@pytest.mark.parametrize("element", callables())
def test_callable_is_fully_annotated(element):
    assert element.get("introspectable") != "0", "not introspectable: a binding cannot call it"
    if element.tag != CORE + "callback":
        assert element.get("version") == "1.0", "no Since: 1.0"

    params = element.find(CORE + "parameters")
    params = [] if params is None else [p for p in params if p.tag == CORE + "parameter"]
    closures = closure_targets(element)

    for index, param in enumerate(params):
        name = param.get("name")
        gtype, array = type_of(param)
        direction = param.get("direction", "in")
        assert param.get("transfer-ownership") is not None, "%s: no transfer" % name

        if array is not None:
            # Zero-terminated (the default) or with a length argument: a
            # length must not also appear as an argument of its own.
            assert array.get("zero-terminated") != "0" or array.get("length") is not None \
                or array.get("fixed-size") is not None, "%s: array without a length" % name
            continue

        assert gtype is not None, "%s: no type" % name
        type_name, c_type = gtype.get("name"), gtype.get(C + "type") or ""
        stars = c_type.count("*")

        if type_name == "gpointer":
            assert index in closures, "%s: a raw pointer a binding cannot pass" % name
            continue
        if param.get("scope") is None:
            assert not c_type.endswith(("Callback", "Func")), "%s: callback without scope" % name
        if type_name in SCALARS and stars >= 1:
            assert direction in ("out", "inout"), \
                "%s: %s is an array or an out-parameter, annotated as neither" % (name, c_type)
        if stars >= 2 and type_name not in ("utf8", "filename"):
            assert direction in ("out", "inout"), "%s: %s is not annotated (out)" % (name, c_type)
        if direction in ("out", "inout"):
            assert param.get("transfer-ownership") is not None

    ret = element.find(CORE + "return-value")
    gtype, array = type_of(ret)
    if gtype is not None and gtype.get("name") == "gpointer":
        pytest.fail("returns a raw pointer")
    if gtype is not None and gtype.get("name") != "none":
        assert ret.get("transfer-ownership") is not None, "return value without transfer"


def test_returned_strings_and_objects_say_who_owns_them():
    # The few getters handing out internal data must be transfer none, the
    # constructors and readers transfer full: a wrong transfer is a leak or
    # a double free in every binding.
    root = load_gir()
    expected = {
        "sandlock_notification_read_string": "full",
        "sandlock_notification_read": "full",
        "sandlock_notification_get_syscall_name": "none",
        "sandlock_result_get_stdout": "none",
        "sandlock_result_get_stderr": "none",
        "sandlock_sandbox_get_fs_readable": "none",
        "sandlock_sandbox_spawn": "full",
        "sandlock_sandbox_run": "full",
        "sandlock_sandbox_run_finish": "full",
        "sandlock_handler_handle": "full",
        "sandlock_action_new_errno": "full",
        "sandlock_process_get_stdout_pipe": "none",
    }
    seen = {}
    for element in root.iter():
        identifier = element.get(C + "identifier")
        if identifier in expected:
            seen[identifier] = element.find(CORE + "return-value").get("transfer-ownership")
    assert seen == expected
