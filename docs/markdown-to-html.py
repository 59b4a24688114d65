#!/usr/bin/env python3
# markdown-to-html.py: turns the Markdown guides into HTML pages of the
# reference manual (python3-markdown, a Debian package).
#
#   markdown-to-html.py --output-dir DIR GUIDE.md...
#
# Each GUIDE.md becomes DIR/GUIDE.html, styled by the manual's style.css,
# with a header linking the manual's index and its chapter of guides.
# Links between guides (x.md, x.md#anchor) point to their HTML pages;
# headings get the anchors GitHub gives them, so the same #anchor works on
# both. A link to a file outside the guides (the examples, the README)
# becomes its text with the path in the source tree, since the manual does
# not install those files. The doc-test markers are dropped.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import html
import os
import re
import sys

import markdown


def github_slug(text, separator):
    text = re.sub(r'<[^>]+>', '', text)
    text = html.unescape(text).strip().lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', separator)


PAGE = '''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}: sandlock-glib Reference Manual</title>
<link rel="stylesheet" href="style.css" type="text/css">
</head>
<body>
<table class="navigation" width="100%" summary="Navigation header" cellpadding="2" cellspacing="5"><tr valign="middle">
<td width="100%" align="left" class="shortcuts"><a href="index.html">sandlock-glib Reference Manual</a> &#8250; <a href="guides.html">Introduction and guides</a></td>
</tr></table>
<div class="chapter guide">
{body}
</div>
</body>
</html>
'''


def convert(path, guides, output_dir):
    source = open(path, encoding='utf-8').read()
    source = re.sub(r'^<!--\s*doc-test:.*?-->\s*\n', '', source, flags=re.M)
    md = markdown.Markdown(extensions=['fenced_code', 'tables', 'sane_lists', 'toc'],
                           extension_configs={'toc': {'slugify': github_slug}})
    body = md.convert(source)

    def link(match):
        href, text = html.unescape(match.group(1)), match.group(2)
        if re.match(r'^[a-z][a-z0-9+.-]*:', href) or href.startswith('#'):
            return match.group(0)
        target, _, fragment = href.partition('#')
        name = os.path.basename(target)
        if os.path.dirname(target) in ('', '.') and name in guides:
            new = os.path.splitext(name)[0] + '.html' + ('#' + fragment if fragment else '')
            return '<a href="%s">%s</a>' % (html.escape(new), text)
        in_tree = os.path.normpath(os.path.join('docs', target))
        if re.sub(r'<[^>]+>', '', text).strip() in (in_tree, target, name):
            return '<code>%s</code> (in the source tree)' % html.escape(in_tree)
        return '%s (<code>%s</code> in the source tree)' % (text, html.escape(in_tree))

    body = re.sub(r'<a href="([^"]*)">(.*?)</a>', link, body, flags=re.S)
    title = re.search(r'<h1[^>]*>(.*?)</h1>', body, re.S)
    title = re.sub(r'<[^>]+>', '', title.group(1)) if title else os.path.basename(path)
    output = os.path.join(output_dir, os.path.splitext(os.path.basename(path))[0] + '.html')
    with open(output, 'w', encoding='utf-8') as f:
        f.write(PAGE.format(title=title, body=body))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--output-dir', required=True)
    parser.add_argument('guides', nargs='+')
    args = parser.parse_args()
    names = {os.path.basename(g) for g in args.guides}
    for guide in args.guides:
        convert(guide, names, args.output_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
