#!/usr/bin/env python3
"""Extracts the problem items of a set of documents, as gongwen's outline finds them, for labelling.

Usage: scripts/extract_items.py GONGWEN_BINARY OUT_TSV FILE...
Writes one row per item of a problems section: id, file (relative to the checkout, or
shared:<path> for ../shared/data), char span of the item, the section heading, and the item's text
(tabs and newlines replaced by spaces). Items are taken in document order."""
import json
import os
import subprocess
import sys


def items(binary, path):
    out = subprocess.run([binary, "outline", path, "--json"], capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)

    def walk(sections):
        for s in sections:
            if s["kind"] == "problems":
                for i in s["items"]:
                    yield s["heading"], i
            yield from walk(s["sections"])

    yield from walk(doc["sections"])


def main():
    binary, out_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    shared = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    rows = []
    for f in files:
        real = os.path.realpath(f)
        name = "shared:" + os.path.relpath(real, shared) if real.startswith(shared) else os.path.relpath(f)
        for heading, item in items(binary, f):
            text = item["text"].replace("\t", " ").replace("\n", " ")
            rows.append((name, item["span"], heading, text))
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("id\tfile\tstart\tend\tsection\ttext\n")
        for k, (name, span, heading, text) in enumerate(rows, 1):
            out.write(f"{k}\t{name}\t{span[0]}\t{span[1]}\t{heading}\t{text}\n")
    print(f"{len(rows)} items -> {out_path}")


if __name__ == "__main__":
    main()
