#!/usr/bin/env python3
# check-doc-examples.py: runs the code of a Markdown document, so that the
# README and the guides cannot rot.
#
#   check-doc-examples.py --source-root DIR --build-root DIR [--python PY]
#                         DOCUMENT.md
#
# Every fenced block in a code language (c, python, js, vala, sh) must be
# introduced by a marker, an HTML comment on the line before its fence
# (blank lines allowed in between):
#
#   <!-- doc-test: run [name=FILE] [status=N] -->
#       Run the block: C and Vala are compiled against the built library
#       and run, Python runs with the interpreter that has gi, JavaScript
#       with gjs -m, sh with sh -eu. It must exit with N (default 0).
#   <!-- doc-test: file name=FILE -->
#       Only save the block as FILE, for a later sh block to use.
#   <!-- doc-test: output -->
#       On a ```text block: the exact standard output of the previous run.
#       A line "..." stands for any number of lines.
#   <!-- doc-test: run-by-ci -->
#       On a sh block of build-aux/ commands: each must be run by
#       build-aux/run-tests (which is, itself, the CI).
#
# Blocks run in order, in a scratch copy of the source tree where `build`
# is the build directory under test, with the environment a newcomer sets:
# GI_TYPELIB_PATH, LD_LIBRARY_PATH and PKG_CONFIG_PATH point into it.
# Unmarked code blocks are errors. Relative links must resolve; with
# --links-every-guide-in DIR, the document must link every DIR/*.md.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

CODE_LANGUAGES = {'c', 'python', 'js', 'javascript', 'vala', 'sh', 'shell', 'bash', 'console'}
MARKER = re.compile(r'^<!--\s*doc-test:\s*(\S+)(.*?)-->\s*$')
FENCE = re.compile(r'^(```+)\s*([\w+-]*)\s*$')
RUN_TIMEOUT = 120


class Block:
    def __init__(self, language, text, line, marker, options):
        self.language = language
        self.text = text
        self.line = line
        self.marker = marker
        self.options = options


def fail(document, line, message):
    print(f'{document}:{line}: {message}', file=sys.stderr)
    sys.exit(1)


def parse(document):
    blocks = []
    lines = open(document, encoding='utf-8').read().split('\n')
    pending = None          # (marker, options, line) waiting for a fence
    i = 0
    while i < len(lines):
        line = lines[i]
        m = MARKER.match(line.strip())
        if m:
            words = shlex.split(m.group(2))
            if any('=' not in w for w in words):
                fail(document, i + 1, 'doc-test options are KEY=VALUE')
            options = dict(w.split('=', 1) for w in words)
            pending = (m.group(1), options, i + 1)
            i += 1
            continue
        m = FENCE.match(line)
        if m:
            fence, language = m.group(1), m.group(2).lower()
            start = i + 1
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith(fence):
                body.append(lines[i])
                i += 1
            if i == len(lines):
                fail(document, start, 'unterminated code block')
            marker, options = (pending[0], pending[1]) if pending else (None, {})
            blocks.append(Block(language, '\n'.join(body) + '\n', start, marker, options))
            pending = None
            i += 1
            continue
        if line.strip() and pending is not None:
            fail(document, pending[2], 'a doc-test marker must come right before a code block')
        i += 1
    return blocks


def slug(heading):
    text = re.sub(r'[`*_]', '', heading.strip().lower())
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def check_links(document):
    base = os.path.dirname(os.path.abspath(document))
    text = open(document, encoding='utf-8').read()
    text_without_code = re.sub(r'```.*?```', '', text, flags=re.S)
    anchors = {slug(h) for h in re.findall(r'^#+\s+(.*)$', text_without_code, flags=re.M)}
    for target in re.findall(r'\]\(([^)\s]+)\)', text_without_code):
        if re.match(r'^[a-z]+:', target):
            continue
        path, _, anchor = target.partition('#')
        if path:
            full = os.path.normpath(os.path.join(base, path))
            if not os.path.exists(full):
                fail(document, 1, f'broken link: {target}')
            if anchor and full.endswith('.md'):
                other = open(full, encoding='utf-8').read()
                other = re.sub(r'```.*?```', '', other, flags=re.S)
                if anchor not in {slug(h) for h in re.findall(r'^#+\s+(.*)$', other, flags=re.M)}:
                    fail(document, 1, f'broken anchor: {target}')
        elif anchor not in anchors:
            fail(document, 1, f'broken anchor: {target}')


def check_run_by_ci(document, block, source_root):
    run_tests = open(os.path.join(source_root, 'build-aux', 'run-tests'), encoding='utf-8').read()
    invoked = set(re.findall(r'^\s*(?:"?\$top"?/)?(build-aux/[\w-]+)\b', run_tests, flags=re.M))
    for line in block.text.splitlines():
        command = line.split('#', 1)[0].strip()
        if not command:
            continue
        if command == 'build-aux/run-tests':
            continue      # the CI entry point (.ci/run) is this very command
        if command not in invoked:
            fail(document, block.line, f'{command} is not run by build-aux/run-tests')
        print(f'ok: {command} is run by build-aux/run-tests')


def compare_output(document, block, actual):
    expected = block.text.rstrip('\n').split('\n')
    got = actual.rstrip('\n').split('\n') if actual.strip() else []

    def match(e, g):
        if not e:
            return not g
        if e[0] == '...':
            return any(match(e[1:], g[k:]) for k in range(len(g) + 1))
        return bool(g) and e[0] == g[0] and match(e[1:], g[1:])

    if not match(expected, got):
        fail(document, block.line,
             'output differs.\n--- expected\n%s\n--- got\n%s' % ('\n'.join(expected), actual))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--source-root', required=True)
    parser.add_argument('--build-root', required=True)
    parser.add_argument('--python', default=sys.executable)
    parser.add_argument('--without', action='append', default=[],
                        help='a language this build cannot run (python, js, vala)')
    parser.add_argument('--links-every-guide-in', metavar='DIR',
                        help='fail unless the document links every Markdown file of DIR')
    parser.add_argument('document')
    args = parser.parse_args()

    document = os.path.abspath(args.document)
    name = os.path.relpath(document, args.source_root)
    check_links(document)
    if args.links_every_guide_in:
        text = open(document, encoding='utf-8').read()
        targets = {os.path.normpath(os.path.join(os.path.dirname(document), t.partition('#')[0]))
                   for t in re.findall(r'\]\(([^)\s]+)\)', text)}
        directory = os.path.join(args.source_root, args.links_every_guide_in)
        for guide in sorted(os.listdir(directory)):
            if guide.endswith('.md') and os.path.normpath(os.path.join(directory, guide)) not in targets:
                fail(name, 1, f'{args.links_every_guide_in}/{guide} is not linked')
    blocks = parse(document)

    needs = {b.language if b.language != 'javascript' else 'js'
             for b in blocks if b.marker == 'run'} | ({'python'} if any(
                 b.marker == 'file' and b.language == 'python' for b in blocks) else set())
    missing = sorted(needs & set(args.without))
    if missing:
        print(f'SKIP: {name} has {", ".join(missing)} examples, which this build cannot run '
              '(built without introspection, vapi or a Python with gi)')
        sys.exit(77)

    scratch = tempfile.mkdtemp(prefix='sandlock-doc-test-')
    try:
        shutil.copytree(args.source_root, os.path.join(scratch, 'src'),
                        ignore=shutil.ignore_patterns('build*', '.git', '_build*', '__pycache__'),
                        symlinks=True)
        work = os.path.join(scratch, 'src')
        os.symlink(os.path.abspath(args.build_root), os.path.join(work, 'build'))
        # sh blocks get none of the variables that find the uninstalled
        # library (meson sets some for tests): they must set them as a
        # reader would. Programs in other languages get them.
        sh_env = {k: v for k, v in os.environ.items()
                  if k not in ('GI_TYPELIB_PATH', 'LD_LIBRARY_PATH', 'PKG_CONFIG_PATH')}
        # `python3` in the documents is the one that has gi.
        bindir = os.path.join(scratch, 'bin')
        os.mkdir(bindir)
        os.symlink(args.python, os.path.join(bindir, 'python3'))
        sh_env['PATH'] = bindir + os.pathsep + sh_env.get('PATH', '/usr/bin:/bin')
        env = dict(sh_env)
        env['GI_TYPELIB_PATH'] = os.path.join(work, 'build', 'introspection')
        env['LD_LIBRARY_PATH'] = os.path.join(work, 'build', 'sandlock-glib')
        env['PKG_CONFIG_PATH'] = os.path.join(work, 'build', 'meson-uninstalled')
        # The PyGObject override, as an installed one would be found.
        env['PYTHONPATH'] = os.path.join(work, 'python')

        last_output = None
        counter = 0
        for block in blocks:
            if block.marker is None:
                if block.language in CODE_LANGUAGES:
                    fail(name, block.line, f'{block.language} block without a doc-test marker')
                continue
            if block.marker == 'output':
                if last_output is None:
                    fail(name, block.line, 'output block without a run block before it')
                compare_output(name, block, last_output)
                print(f'ok: output at line {block.line}')
                last_output = None
                continue
            if block.marker == 'run-by-ci':
                check_run_by_ci(name, block, args.source_root)
                continue
            if block.marker not in ('run', 'file'):
                fail(name, block.line, f'unknown doc-test marker {block.marker}')

            counter += 1
            language = {'javascript': 'js', 'shell': 'sh', 'bash': 'sh'}.get(block.language, block.language)
            extension = {'c': '.c', 'python': '.py', 'js': '.js', 'vala': '.vala', 'sh': '.sh'}.get(language)
            if extension is None:
                fail(name, block.line, f'cannot run a {block.language or "plain"} block')
            filename = block.options.get('name', f'example{counter}{extension}')
            path = os.path.join(work, filename)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(block.text)
            if block.marker == 'file':
                continue

            exe = os.path.join(work, os.path.splitext(filename)[0] + '.bin')
            if language == 'c':
                flags = subprocess.run(['pkg-config', '--cflags', '--libs', 'sandlock-glib-1'],
                                       env=env, check=True, capture_output=True, text=True).stdout.split()
                compile_cmd = ['cc', '-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter',
                               '-o', exe, path] + flags
            elif language == 'vala':
                flags = subprocess.run(['pkg-config', '--cflags', '--libs', 'sandlock-glib-1'],
                                       env=env, check=True, capture_output=True, text=True).stdout.split()
                compile_cmd = ['valac', '--quiet', '--fatal-warnings',
                               '--vapidir', os.path.join(work, 'build', 'introspection'),
                               '--pkg', 'sandlock-glib-1', '--pkg', 'gio-2.0', '--pkg', 'gio-unix-2.0',
                               '-o', exe, path, '-X', '-w'] + [x for f in flags for x in ('-X', f)]
            else:
                compile_cmd = None
            if compile_cmd:
                result = subprocess.run(compile_cmd, cwd=work, env=env, capture_output=True, text=True)
                if result.returncode != 0:
                    fail(name, block.line, 'does not compile:\n' + result.stdout + result.stderr)
                command = [exe]
            elif language == 'python':
                command = [args.python, path]
            elif language == 'js':
                command = ['gjs', '-m', path]
            else:
                command = ['sh', '-eu', path]

            result = subprocess.run(command, cwd=work, env=sh_env if language == 'sh' else env,
                                    capture_output=True, text=True, timeout=RUN_TIMEOUT)
            status = int(block.options.get('status', '0'))
            if result.returncode != status:
                fail(name, block.line, f'exit status {result.returncode}, expected {status}:\n'
                     + result.stdout + result.stderr)
            print(f'ok: {language} block at line {block.line} ({filename})')
            last_output = result.stdout
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__':
    main()
