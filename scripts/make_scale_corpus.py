#!/usr/bin/env python3
"""Writes N synthetic 对照检查材料 for measuring 查重 at scale, with a manifest and a document to check.

Usage: make_scale_corpus.py N OUTDIR [SEED]

The text is synthesised from real text in ../shared/data, so that its statistics are real while
documents share no more than real documents of one genre do:
- the body is a walk over the word bigrams of the SIGHAN 2005 PKU and MSR gold segmentations
  (People's Daily and news text), restarting at a random word one step in five, so that long
  runs copied from the source are rare;
- each document quotes 2-6 stock sentences drawn from 400 sentences of the 31 provincial
  government work reports of 2026 (stock phrasing shared by many authors);
- one document in five reuses 2-6 paragraphs of an earlier one: its author's previous year half of
  the time (self-reuse), another author's otherwise (copying), with the years changed.

Each author writes five documents, one a year from 2020 to 2024. OUTDIR gets docs/NNN/*.txt
(1,000 files a directory), manifest.csv (path,author,unit,year,kind,title) for
`gongwen add --manifest`, and query.txt: a 5,000-character document that reuses paragraphs of
five archived documents, for `gongwen check`. Deterministic for a given N and SEED.
"""
import csv
import os
import random
import re
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
GOLD = ["sighan2005/gold/pku_test_gold.utf8", "sighan2005/gold/msr_test_gold.utf8"]
STOCK_DIR = "gwr_provincial_2026/txt"
YEARS = [2020, 2021, 2022, 2023, 2024]
RECENT = 5000  # documents whose paragraphs are kept as sources of reuse


def bigrams():
    """Word → the words that follow it in the gold segmentations (repeated by frequency)."""
    follow = {}
    words = []
    for g in GOLD:
        with open(os.path.join(DATA, g), encoding="utf-8") as f:
            for line in f:
                ws = [w for w in line.split() if w]
                words.extend(ws)
                for a, b in zip(ws, ws[1:]):
                    follow.setdefault(a, []).append(b)
    return follow, words


def stock_sentences(rng, n=400):
    sentences = []
    root = os.path.join(DATA, STOCK_DIR)
    for name in sorted(os.listdir(root)):
        with open(os.path.join(root, name), encoding="utf-8") as f:
            for s in re.split(r"(?<=[。；！？])", f.read()):
                s = s.strip()
                if 25 <= len(s) <= 70:
                    sentences.append(s)
    rng.shuffle(sentences)
    return sentences[:n]


def paragraph(rng, follow, words, chars):
    out, n = [], 0
    w = rng.choice(words)
    while n < chars:
        out.append(w)
        n += len(w)
        nxt = follow.get(w)
        w = rng.choice(nxt) if nxt and rng.random() > 0.2 else rng.choice(words)
    return "".join(out)


def document(rng, follow, words, stock, chars):
    paras, n = [], 0
    while n < chars:
        p = paragraph(rng, follow, words, rng.randint(80, 300))
        paras.append(p)
        n += len(p)
    for _ in range(rng.randint(2, 6)):
        k = rng.randrange(len(paras))
        paras[k] = paras[k] + rng.choice(stock)
    return paras


def reuse(rng, paras, source, year):
    taken = rng.sample(source, min(len(source), rng.randint(2, 6)))
    for p in taken:
        p = re.sub(r"20[0-9][0-9]", str(year), p)
        paras.insert(rng.randrange(len(paras) + 1), p)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    follow, words = bigrams()
    stock = stock_sentences(rng)
    os.makedirs(out, exist_ok=True)
    recent = {}
    total = 0
    with open(os.path.join(out, "manifest.csv"), "w", newline="", encoding="utf-8") as m:
        w = csv.writer(m)
        w.writerow(["path", "author", "unit", "year", "kind", "title"])
        for i in range(n):
            author, year = i // len(YEARS), YEARS[i % len(YEARS)]
            paras = document(rng, follow, words, stock, rng.randint(1500, 4500))
            if i > 0 and rng.random() < 0.2:
                if i % len(YEARS) > 0 and rng.random() < 0.5:
                    j = i - 1
                else:
                    j = max(0, i - rng.randint(len(YEARS), RECENT))
                if j in recent:
                    reuse(rng, paras, recent[j], year)
            recent[i] = paras
            recent.pop(i - RECENT, None)
            name = f"作者{author:05d}"
            unit = f"第{author % 997:03d}单位"
            rel = os.path.join("docs", f"{i // 1000:03d}", f"{i:06d}.txt")
            os.makedirs(os.path.join(out, os.path.dirname(rel)), exist_ok=True)
            text = f"{year}年度{name}对照检查材料\n" + "\n".join(paras) + "\n"
            with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
                f.write(text)
            total += len(text.encode("utf-8"))
            w.writerow([rel, name, unit, year, "对照检查材料", f"{year}年度{name}对照检查材料"])
    # The document to check: 5,000 characters, reusing paragraphs of five archived documents.
    paras = document(rng, follow, words, stock, 3100)
    for j in rng.sample(sorted(recent), min(5, len(recent))):
        reuse(rng, paras, recent[j][:2], 2025)
    text = "2025年度待查材料\n" + "\n".join(paras) + "\n"
    with open(os.path.join(out, "query.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{n} documents, {total / 1e6:.1f} MB -> {out}; query.txt has {len(text)} characters")


if __name__ == "__main__":
    main()
