#!/usr/bin/env python3
# fix-vapi-strv.py: makes the generated vapi pass string arrays to the C
# API's `const char * const *` parameters without a pointer-type mismatch.
#
#   fix-vapi-strv.py GIR VAPI_IN VAPI_OUT
#
# vapigen 0.56 turns such a parameter into `string[]` and the C that valac
# generates passes a `gchar **`: GCC 12 warns (-Wincompatible-pointer-types)
# and GCC 14 refuses it. The metadata argument `ctype` is ignored on arrays,
# so this script reads the GIR and, for every parameter whose array c:type
# is const-qualified (`const char* const*`, `const gchar**`...), adds
# `type = "<that c:type>"` to the parameter's CCode attribute: valac then
# casts the argument at each call. A property whose setter takes such an
# array gets [NoAccessorMethod] (valac sets it with g_object_set(), which
# needs no cast). The list comes from the GIR, so new API is covered.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import sys
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
C = '{http://www.gtk.org/introspection/c/1.0}'

CALLABLES = ('method', 'function', 'constructor')


def const_array_ctype(parameter):
    array = parameter.find(CORE + 'array')
    if array is None:
        return None
    ctype = array.get(C + 'type', '')
    if ctype.startswith('const ') and ctype.count('*') >= 2:
        return ctype
    return None


def read_gir(path):
    """Returns {(class or '', vala name): {parameter: ctype}}, {C identifier:
    that (class, vala name)}, and the set of (class, property) whose setter
    takes a const array."""
    callables = {}
    by_cname = {}
    properties = set()
    namespace = ET.parse(path).getroot().find(CORE + 'namespace')
    containers = [('', namespace)] + [
        (node.get('name'), node) for node in namespace
        if node.tag in (CORE + 'class', CORE + 'interface', CORE + 'record',
                        CORE + 'enumeration', CORE + 'bitfield')]
    for owner, node in containers:
        for kind in CALLABLES:
            for callable_ in node.findall(CORE + kind):
                parameters = callable_.find(CORE + 'parameters')
                if parameters is None:
                    continue
                found = {p.get('name'): const_array_ctype(p)
                         for p in parameters.findall(CORE + 'parameter')}
                found = {k: v for k, v in found.items() if v}
                if not found:
                    continue
                name = callable_.get('name')
                if kind == 'constructor':
                    # vapigen: new -> the class name, new_foo -> Class.foo
                    name = '.' if name == 'new' else '.' + re.sub('^new_', '', name)
                callables[(owner, name)] = found
                by_cname[callable_.get(C + 'identifier')] = (owner, name)
        for prop in node.findall(CORE + 'property'):
            setter = prop.get('setter') or 'set_' + prop.get('name').replace('-', '_')
            if (owner, setter) in callables:
                properties.add((owner, prop.get('name').replace('-', '_')))
    return callables, by_cname, properties


def fix_parameters(text, parameters):
    done = set()
    for name, ctype in parameters.items():
        pattern = re.compile(r'\[CCode \(([^\]]*?)\)\](\s*(?:owned\s+)?string\[\]\??\s+' + re.escape(name) + r'\b)')
        text, count = pattern.subn(
            lambda m: '[CCode (%s, type = "%s")]%s' % (m.group(1), ctype, m.group(2)), text)
        if count:
            done.add(name)
        else:
            # A string[] parameter without attributes.
            pattern = re.compile(r'(?<![\]\w])((?:owned\s+)?string\[\]\??\s+' + re.escape(name) + r'\b)')
            text, count = pattern.subn(
                lambda m: '[CCode (type = "%s")] %s' % (ctype, m.group(1)), text)
            if count:
                done.add(name)
    return text, done


def main():
    gir, vapi_in, vapi_out = sys.argv[1:4]
    callables, by_cname, properties = read_gir(gir)
    fixed = set()
    owner = ''
    out = []
    class_line = re.compile(r'^\t(?:public )?(?:(?:abstract|sealed|compact) )*(?:class|interface|struct|enum|errordomain) (\w+)\b')
    cname_attribute = re.compile(r'^\t\t?\[CCode \(.*\bcname = "(\w+)"')
    method_line = re.compile(r'^\t\t?public (?:static |async |virtual |abstract |override )*(?:[\w.?<>\[\]]+ )?([\w.]+) \(')
    property_line = re.compile(r'^(\t\t)public (string\[\]\??) (\w+) \{ (?:owned )?get; set; \}$')
    for line in open(vapi_in, encoding='utf-8').read().split('\n'):
        m = class_line.match(line)
        if m:
            owner = m.group(1)
        elif line == '\t}':
            owner = ''
        m = property_line.match(line)
        if m and (owner, m.group(3)) in properties:
            if out[-1].strip() != '[NoAccessorMethod]':
                out.append(m.group(1) + '[NoAccessorMethod]')
            line = '%spublic %s %s { owned get; set; }' % m.groups()
            fixed.add((owner, 'property ' + m.group(3)))
        m = method_line.match(line)
        if m:
            name = m.group(1)
            if name == owner:
                name = '.'
            elif name.startswith(owner + '.'):
                name = name[len(owner):]
            key = (owner if line.startswith('\t\t') else '', name)
            # vapigen names the C function when it is not the default one
            # (a function it moved into a type, a renamed method).
            cname = cname_attribute.match(out[-1]) if out else None
            if cname and cname.group(1) in by_cname:
                key = by_cname[cname.group(1)]
            if key in callables:
                line, done = fix_parameters(line, callables[key])
                fixed.update((key, p) for p in done)
        out.append(line)

    missing = [(k, p) for k, ps in callables.items() for p in ps if (k, p) not in fixed]
    if missing:
        sys.exit('fix-vapi-strv: no vapi parameter found for %s' % missing)
    open(vapi_out, 'w', encoding='utf-8').write('\n'.join(out))


if __name__ == '__main__':
    main()
