#!/usr/bin/env python3
"""gongwen against what a Python user would pick, on the same text in one run:

- indexing time: Whoosh with jieba's ChineseAnalyzer vs `gongwen add`;
- recall of sampled substring queries (2-12 characters) against brute force: Whoosh vs gongwen;
- batch query time: `gongwen search --queries` vs `grep -rlF` per query.

Needs `pip install whoosh jieba` and a release build (cargo build --release).
Usage: [RUNS=3] scripts/compare_whoosh.py [CORPUS_DIR] (default: the real documents of ../shared/data)
Indexing times are the median of RUNS runs of each tool.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from make_corpus import DATA, DIRS

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "..", "target", "release", "gongwen")


def files_of(root_dirs):
    out = []
    for root in root_dirs:
        for dirpath, _, names in os.walk(root):
            out += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith(".txt")]
    return sorted(out)


def main():
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in
    from whoosh.qparser import QueryParser

    roots = [sys.argv[1]] if len(sys.argv) > 1 else [os.path.join(DATA, d) for d in DIRS]
    files = files_of(roots)
    texts = {f: open(f, encoding="utf-8").read() for f in files}
    size = sum(len(t.encode("utf-8")) for t in texts.values())
    print(f"{len(files)} files, {size / 1e6:.1f} MB")
    work = tempfile.mkdtemp(prefix="gongwen-whoosh-")

    # Indexing: the median of RUNS runs of each (the machine is shared and noisy), from an empty
    # index every time. gongwen's time is the whole process: start, dictionary load, add.
    runs = int(os.environ.get("RUNS", "3"))
    whoosh_times, gongwen_times = [], []
    for _ in range(runs):
        shutil.rmtree(os.path.join(work, "whoosh"), ignore_errors=True)
        t0 = time.perf_counter()
        os.makedirs(os.path.join(work, "whoosh"))
        ix = create_in(os.path.join(work, "whoosh"),
                       Schema(path=ID(stored=True, unique=True), content=TEXT(analyzer=ChineseAnalyzer())))
        w = ix.writer()
        for f, t in texts.items():
            w.add_document(path=f, content=t)
        w.commit()
        whoosh_times.append(time.perf_counter() - t0)
        shutil.rmtree(os.path.join(work, "gongwen"), ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run([BIN, "--archive", os.path.join(work, "gongwen"), "add", *roots], check=True,
                       stdout=subprocess.DEVNULL)
        gongwen_times.append(time.perf_counter() - t0)
    whoosh_index = sorted(whoosh_times)[len(whoosh_times) // 2]
    gongwen_index = sorted(gongwen_times)[len(gongwen_times) // 2]
    print(f"indexing, median of {runs}: Whoosh+jieba {whoosh_index:.1f} s, gongwen {gongwen_index:.2f} s "
          f"(gongwen {whoosh_index / gongwen_index:.0f}x faster); all runs: Whoosh "
          + ", ".join(f"{t:.1f}" for t in whoosh_times) + "; gongwen "
          + ", ".join(f"{t:.2f}" for t in gongwen_times))

    # Recall of sampled substrings, against brute force over the texts gongwen stores (normalised:
    # full-width digits and letters are half-width there, and in queries).
    rng = random.Random(20261127)
    stored = {}
    for f in files:
        shown = subprocess.run([BIN, "--archive", os.path.join(work, "gongwen"), "show", f, "--json"],
                               check=True, capture_output=True, text=True).stdout
        stored[f] = json.loads(shown)["text"]
    compact = {f: "".join(t.split()) for f, t in stored.items()}
    flat = list(compact.values())
    queries = []
    while len(queries) < 200:
        t = rng.choice(flat)
        n = rng.randint(2, 12)
        s = rng.randrange(0, max(len(t) - n, 1))
        q = t[s:s + n]
        if any(c.isalnum() for c in q) and '"' not in q and "“" not in q and not q.startswith("-") and q != "OR":
            queries.append(q)
    qfile = os.path.join(work, "queries.txt")
    with open(qfile, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    truth = [{f for f, c in compact.items() if q in c} for q in queries]

    parser = QueryParser("content", ix.schema)
    whoosh_recall = []
    with ix.searcher() as s:
        for q, want in zip(queries, truth):
            # What a Whoosh user types: the string, tokenised by the same analyzer.
            got = {h["path"] for h in s.search(parser.parse(q), limit=None)}
            whoosh_recall.append(len(got & want) / len(want))
    t0 = time.perf_counter()
    out = subprocess.run([BIN, "--archive", os.path.join(work, "gongwen"), "search", "--queries", qfile,
                          "--limit", "100000", "--json"], check=True, capture_output=True, text=True).stdout
    gongwen_batch = time.perf_counter() - t0
    gongwen_recall = []
    for line, want in zip(out.splitlines(), truth):
        got = {h["path"] for h in json.loads(line)["hits"]}
        gongwen_recall.append(len(got & {os.path.realpath(p) for p in want}) / len(want))
    print(f"recall over {len(queries)} substrings: Whoosh+jieba {sum(whoosh_recall) / len(whoosh_recall):.2f}, "
          f"gongwen {sum(gongwen_recall) / len(gongwen_recall):.2f}")

    # Batch queries against grep.
    t0 = time.perf_counter()
    for q in queries:
        subprocess.run(["grep", "-rlF", "--", q, *roots], stdout=subprocess.DEVNULL)
    grep_time = time.perf_counter() - t0
    print(f"{len(queries)} queries: grep -rlF {grep_time:.2f} s, gongwen --queries {gongwen_batch:.2f} s "
          f"({grep_time / gongwen_batch:.0f}x faster)")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
