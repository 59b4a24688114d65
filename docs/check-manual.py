#!/usr/bin/env python3
# check-manual.py: the reference manual renders cleanly.
#
#   check-manual.py --docs-build-dir DIR --docs-source-dir DIR --module NAME
#                   [--fixxref-arg ARG]... [--guide NAME.md]...
#
# - No page shows an annotation gtk-doc does not know as literal text
#   (`[setter set_timeout]`, `[get-property cwd]`): g-ir-scanner pairs a
#   property with its get_/set_ accessors by name, so property and accessor
#   comments need no (getter)/(setter)/(get-property)/(set-property).
# - Every cross-reference resolves: the HTML is generated again from the
#   manual's DocBook in a scratch directory, and gtkdoc-fixxref, given the
#   same arguments as the build, must print no "no link for" warning
#   (the build itself does not fail on them).
# - Each guide is installed as HTML beside the pages, and every link in it
#   to another page of the manual, and every #anchor, resolves.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import glob
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

failures = []


def fail(message):
    failures.append(message)


def check_annotations(html_dir):
    # Known annotations are rendered as [<acronym>...]; unknown ones as
    # plain text in brackets.
    span = re.compile(r'<span class="annotation">(.*?)</span>', re.S)
    for page in sorted(glob.glob(os.path.join(html_dir, '*.html'))):
        text = open(page, encoding='utf-8').read()
        for match in span.finditer(text):
            for item in re.findall(r'\[(.*?)\]', match.group(1)):
                if not item.startswith('<acronym'):
                    fail(f'{os.path.basename(page)}: annotation shown as text: [{item}]')


def check_links(html_dir, docs_build_dir, docs_source_dir, module, fixxref_args):
    with tempfile.TemporaryDirectory() as work:
        for name in os.listdir(docs_build_dir):
            path = os.path.join(docs_build_dir, name)
            if name == 'xml':
                shutil.copytree(path, os.path.join(work, name))
            elif os.path.isfile(path) and name.endswith(('.xml', '.txt', '.types')):
                shutil.copy(path, work)
        html = os.path.join(work, 'html')
        os.mkdir(html)
        mkhtml = ['gtkdoc-mkhtml', '--path=' + os.pathsep.join((docs_source_dir, work)),
                  module, f'../{module}-docs.xml']
        result = subprocess.run(mkhtml, cwd=html, capture_output=True, text=True)
        if result.returncode != 0:
            fail('gtkdoc-mkhtml failed:\n' + result.stdout + result.stderr)
            return
        fixxref = ['gtkdoc-fixxref', f'--module={module}', '--module-dir=html'] + fixxref_args
        result = subprocess.run(fixxref, cwd=work, capture_output=True, text=True)
        for line in (result.stdout + result.stderr).splitlines():
            if 'no link for' in line or 'warning' in line.lower():
                fail('gtkdoc-fixxref: ' + line +
                     (' (links to GLib need its manuals: libglib2.0-doc)' if 'no link for' in line else ''))
        if result.returncode != 0:
            fail('gtkdoc-fixxref failed')


class Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ('id', 'name'):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == 'a' and attrs.get('href'):
            self.links.append(attrs['href'])


def parse(path):
    parser = Anchors()
    parser.feed(open(path, encoding='utf-8').read())
    return parser


def check_guides(html_dir, guides):
    pages = {}
    for guide in guides:
        page = os.path.splitext(os.path.basename(guide))[0] + '.html'
        path = os.path.join(html_dir, page)
        if not os.path.exists(path):
            fail(f'{page}: the guide {guide} is not in the manual')
            continue
        pages[page] = parse(path)
    chapter = os.path.join(html_dir, 'guides.html')
    if os.path.exists(chapter):
        linked = {urllib.parse.urlsplit(l).path for l in parse(chapter).links}
        for page in pages:
            if page not in linked:
                fail(f'guides.html does not link {page}')
    for page, parser in pages.items():
        for link in parser.links:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or link.startswith('//'):
                continue
            target = parts.path or page
            target_path = os.path.join(html_dir, target)
            if not os.path.exists(target_path):
                fail(f'{page}: link to {link}: no such page in the manual')
                continue
            if target.endswith('.md'):
                fail(f'{page}: link to Markdown {link}')
            if parts.fragment:
                ids = pages[target].ids if target in pages else parse(target_path).ids
                if parts.fragment not in ids:
                    fail(f'{page}: link to {link}: no such anchor')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--docs-build-dir', required=True)
    parser.add_argument('--docs-source-dir', required=True)
    parser.add_argument('--module', required=True)
    parser.add_argument('--fixxref-arg', action='append', default=[])
    parser.add_argument('--guide', action='append', default=[])
    args = parser.parse_args()

    html_dir = os.path.join(args.docs_build_dir, 'html')
    check_annotations(html_dir)
    check_links(html_dir, args.docs_build_dir, args.docs_source_dir, args.module, args.fixxref_arg)
    check_guides(html_dir, args.guide)
    for message in failures:
        print(message, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
