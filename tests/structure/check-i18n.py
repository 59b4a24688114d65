#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks that messages are translatable (TAP output):

1. every g_set_error()/g_set_error_literal() of the library whose message
   is a plain string literal has it marked with _();
2. every source file with marked messages is in po/POTFILES.in, and every
   file listed there exists and has some.

Messages whose format joins a literal with a macro (G_GUINT64_FORMAT) cannot
be extracted by xgettext and stay unmarked."""

import glob
import os
import re
import sys

root = sys.argv[1]
results = []

CALL = re.compile(r'\b(g_set_error_literal|g_set_error)\s*\(')


def split_args(text, start):
    depth, i, args, arg_start, in_str = 0, start, [], start + 1, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(text[arg_start:i])
                return args
        elif c == ',' and depth == 1:
            args.append(text[arg_start:i])
            arg_start = i + 1
        i += 1
    return args


unmarked = []
for path in sorted(glob.glob(os.path.join(root, 'sandlock-glib', '*.c'))):
    text = open(path).read()
    for m in CALL.finditer(text):
        args = split_args(text, m.end() - 1)
        if len(args) > 3 and re.fullmatch(r'\s*("(?:[^"\\]|\\.)*"\s*)+', args[3], re.S):
            line = text.count('\n', 0, m.start()) + 1
            unmarked.append('%s:%d' % (os.path.relpath(path, root), line))
results.append((not unmarked, 'every GError message literal of the library is marked with _()',
                unmarked))

listed = [l.strip() for l in open(os.path.join(root, 'po', 'POTFILES.in'))
          if l.strip() and not l.startswith('#')]
marked = sorted(os.path.relpath(p, root)
                for p in glob.glob(os.path.join(root, 'sandlock-glib', '*.c')) +
                glob.glob(os.path.join(root, 'tools', '*.c'))
                if re.search(r'\b_\("|\bN_\("', open(p).read()))
missing = [p for p in marked if p not in listed]
stale = [p for p in listed if p not in marked]
results.append((not missing and not stale, 'po/POTFILES.in lists exactly the files with marked messages',
                ['not listed: ' + p for p in missing] + ['listed, no messages: ' + p for p in stale]))

print('1..%d' % len(results))
for n, (ok, what, details) in enumerate(results, 1):
    print('%s %d %s' % ('ok' if ok else 'not ok', n, what))
    for d in details:
        print('# ' + d)
sys.exit(0 if all(r[0] for r in results) else 1)
