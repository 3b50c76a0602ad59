#!/usr/bin/env python3
"""gongwen against what a Python user would pick, on the same text in one run:

- indexing time: Whoosh with jieba's ChineseAnalyzer vs `gongwen add`;
- recall of sampled substring queries (2-12 characters) against brute force: Whoosh vs gongwen;
- batch query time: `gongwen search --queries` vs `grep -rlF` per query.

Needs `pip install whoosh jieba` and a release build (cargo build --release).
Usage: [RUNS=3] scripts/compare_whoosh.py [CORPUS_DIR] (default: the real documents of ../shared/data)
Indexing times are the median of RUNS runs of each tool, each a fresh process (dictionary load
included), after one warm-up run.
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


def index_with_whoosh(out_dir, roots):
    """What a Python user runs: a fresh process that loads jieba and indexes every file."""
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    os.makedirs(out_dir)
    ix = create_in(out_dir, Schema(path=ID(stored=True, unique=True), content=TEXT(analyzer=ChineseAnalyzer())))
    w = ix.writer()
    for f in files_of(roots):
        with open(f, encoding="utf-8") as fh:
            w.add_document(path=f, content=fh.read())
    w.commit()


def main():
    from whoosh.index import open_dir
    from whoosh.qparser import QueryParser

    roots = [sys.argv[1]] if len(sys.argv) > 1 else [os.path.join(DATA, d) for d in DIRS]
    files = files_of(roots)
    size = sum(os.path.getsize(f) for f in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB")
    work = tempfile.mkdtemp(prefix="gongwen-whoosh-")

    # Indexing: each run is a fresh process from an empty index, so each tool's time includes its
    # start and dictionary load (jieba's, in both). The median of RUNS runs (the machine is shared
    # and noisy), each tool's runs in a row after one untimed warm-up run, as hyperfine does.
    # (Alternated, gongwen's two-thread run right after 15 s of one-thread Python took 0.7-1.1 s
    # instead of 0.45-0.55 s: on this VM the idle second core is slow to come back.)
    runs = int(os.environ.get("RUNS", "3"))

    def timed(out_dir, command):
        shutil.rmtree(out_dir, ignore_errors=True)
        os.sync()  # no tool pays for earlier writes still being flushed
        t0 = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t0

    whoosh_dir = os.path.join(work, "whoosh")
    whoosh_command = [sys.executable, os.path.abspath(__file__), "--index-whoosh", whoosh_dir, *roots]
    gongwen_dir = os.path.join(work, "gongwen")
    gongwen_command = [BIN, "--archive", gongwen_dir, "add", *roots]
    timed(whoosh_dir, whoosh_command)
    whoosh_times = [timed(whoosh_dir, whoosh_command) for _ in range(runs)]
    timed(gongwen_dir, gongwen_command)
    gongwen_times = [timed(gongwen_dir, gongwen_command) for _ in range(runs)]
    ix = open_dir(whoosh_dir)
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
    if len(sys.argv) > 2 and sys.argv[1] == "--index-whoosh":
        index_with_whoosh(sys.argv[2], sys.argv[3:])
    else:
        main()
