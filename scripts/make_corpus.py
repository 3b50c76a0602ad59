#!/usr/bin/env python3
"""Writes a corpus of at least TARGET_MB megabytes of text into OUTDIR, for measurements.

Each copy of the real documents in ../shared/data is labelled (副本k之i) and has its paragraphs
rotated by k, so no two files are equal. Usage: make_corpus.py TARGET_MB OUTDIR
"""
import os
import sys

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
DIRS = ["seed", "gwr_national/by_year", "cpc_congress", "gwr_provincial_2026/txt"]


def sources():
    texts = []
    for d in DIRS:
        root = os.path.join(DATA, d)
        for name in sorted(os.listdir(root)):
            if name.endswith(".txt"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    texts.append(f.read())
    return texts


def main():
    target = int(sys.argv[1]) * 1_000_000
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    texts = sources()
    written, k = 0, 0
    while written < target:
        for i, t in enumerate(texts):
            paras = t.split("\n")
            r = k % max(len(paras), 1)
            body = "\n".join(paras[r:] + paras[:r])
            data = f"副本{k}之{i}\n{body}\n".encode("utf-8")
            with open(os.path.join(out, f"{k:04d}_{i:03d}.txt"), "wb") as f:
                f.write(data)
            written += len(data)
        k += 1
    print(f"{written / 1e6:.1f} MB in {k * len(texts)} files -> {out}")


if __name__ == "__main__":
    main()
