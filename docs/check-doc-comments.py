#!/usr/bin/env python3
# check-doc-comments.py: what gtkdoc-check does not check.
#
#   check-doc-comments.py --gtkdoc-dir BUILD/docs
#                         [--chapter guides.xml --guides X.md... --] FILE...
#
# For every gtk-doc comment block (/** ... */) of the public sources and
# headers given: it must carry "Since:" (SECTION blocks excepted), and it
# must document something that exists: a symbol gtk-doc found declared, a
# property or a signal gtkdoc-scangobj found registered. gtk-doc itself
# silently ignores a comment whose symbol was renamed or removed.
#
# With --chapter, it also checks that the manual's chapter of guides links
# every guide installed with the manual (as GUIDE.html), and nothing else.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import re
import sys


def blocks(path):
    text = open(path, encoding='utf-8').read()
    for m in re.finditer(r'/\*\*\n(.*?)\*/', text, flags=re.S):
        line = text.count('\n', 0, m.start()) + 1
        lines = [re.sub(r'^\s*\* ?', '', l) for l in m.group(1).split('\n')]
        yield line, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--gtkdoc-dir', required=True)
    parser.add_argument('--chapter')
    parser.add_argument('--guides', nargs='+', default=[])
    parser.add_argument('files', nargs='+')
    args = parser.parse_args()

    errors = 0
    if args.chapter:
        linked = set(re.findall(r'<ulink\s+url="([^"]+)"', open(args.chapter, encoding='utf-8').read()))
        # The manual installs each guide as HTML (markdown-to-html.py).
        guides = {os.path.splitext(os.path.basename(g))[0] + '.html' for g in args.guides}
        for missing in sorted(guides - linked):
            print(f'{os.path.basename(args.chapter)}: the guide {missing} is not linked')
            errors += 1
        for extra in sorted(linked - guides):
            print(f'{os.path.basename(args.chapter)}: {extra} is linked but not installed with the manual')
            errors += 1

    module = 'sandlock-glib'
    declared = set()
    with open(os.path.join(args.gtkdoc_dir, module + '-decl-list.txt'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('<'):
                declared.add(line)
    registered = set()
    for suffix in ('.args', '.signals'):
        with open(os.path.join(args.gtkdoc_dir, module + suffix), encoding='utf-8') as f:
            # Both files spell properties and signals Class::name.
            registered |= {n.replace('::', ':')
                           for n in re.findall(r'<NAME>(.*?)</NAME>', f.read())}

    checked = 0
    for path in args.files:
        for line, lines in blocks(path):
            header = lines[0].strip()
            symbol = re.match(r'^([\w:.-]+?):?(\s|$)', header)
            if symbol is None:
                continue
            symbol = symbol.group(1)
            where = f'{os.path.basename(path)}:{line}'
            checked += 1
            if symbol.startswith('SECTION:'):
                continue
            if not any(re.match(r'^Since:\s*\S', l) for l in lines):
                print(f'{where}: the comment of {symbol} has no Since:')
                errors += 1
            if ':' in symbol:
                if symbol.replace('::', ':') not in registered:
                    print(f'{where}: {symbol} is documented but not registered')
                    errors += 1
            elif symbol not in declared:
                print(f'{where}: {symbol} is documented but not declared in a public header')
                errors += 1

    print(f'{checked} doc comments checked, {errors} problems')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
