#!/usr/bin/env python3
"""Writes a text (one paragraph per line, the first line the title) as a Flat ODF document whose
headings and items are numbered by a list style rather than typed: 一、 （一） 1. become the
levels 1, 2 and 3 of one outline-like list ("一, 二, 三, ..." numbering, as Chinese office
documents set it up), with the typed marker removed from the text. LibreOffice then exports the
document to .docx with word/numbering.xml, the way Word and WPS documents number their headings.

Usage: fodt_numbered.py SOURCE.utf8 > OUT.fodt
"""
import re
import sys
from xml.sax.saxutils import escape

CN = "一二三四五六七八九十"
LEVELS = [
    (re.compile(rf"^[{CN}]+、"), 1),
    (re.compile(rf"^（[{CN}]+）"), 2),
    (re.compile(r"^[0-9]+[.、．]"), 3),
]

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
  <text:list-style style:name="公文编号">
   <text:list-level-style-number text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/>
   <text:list-level-style-number text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（" style:num-suffix="）"/>
   <text:list-level-style-number text:level="3" style:num-format="1" style:num-suffix="."/>
  </text:list-style>
 </office:styles>
 <office:body><office:text>
"""
TAIL = """ </office:text></office:body>
</office:document>
"""


def main():
    lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
    out = [HEAD]
    first = True
    for line in lines:
        if not line.strip():
            continue
        if first:
            out.append(f'  <text:p text:style-name="Title">{escape(line)}</text:p>\n')
            first = False
            continue
        for pattern, level in LEVELS:
            m = pattern.match(line)
            if m:
                body = escape(line[m.end():])
                inner = f"<text:p>{body}</text:p>"
                # A level-n item sits in n nested lists; the top one continues the numbering of
                # the list before it, so that 二、 follows 一、 across the body paragraphs.
                for _ in range(level - 1):
                    inner = f"<text:list><text:list-item>{inner}</text:list-item></text:list>"
                out.append(
                    '  <text:list text:style-name="公文编号" text:continue-numbering="true">'
                    f"<text:list-item>{inner}</text:list-item></text:list>\n"
                )
                break
        else:
            out.append(f"  <text:p>{escape(line)}</text:p>\n")
    out.append(TAIL)
    sys.stdout.write("".join(out))


main()
