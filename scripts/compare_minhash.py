#!/usr/bin/env python3
"""gongwen's 查重 stages against what a Python user would pick, on the same text in one run:

1. Candidates: every paragraph (non-empty line) of the corpus, each the query of all others.
   - datasketch: MinHash(num_perm=128) over character 5-gram shingles + MinHashLSH(threshold=0.5);
   - rensa: RMinHash(num_perm=128) over the same shingles + RMinHashLSH(threshold=0.5,
     num_bands=16);
   - gongwen: winnowed fingerprints + the candidate index (examples/reuse_stages.rs
     `candidates`), on every core.
   Each tool runs as a fresh process; reported: MB/s end to end (reading included), the
   signatures alone for the Python tools, candidate pairs, and peak RSS.
2. Alignment: consecutive national government work reports (the pairs `analyze` aligns), with
   difflib.SequenceMatcher(None, a, b).get_matching_blocks() (blocks of at least 13 characters)
   against gongwen's aligner (examples/reuse_stages.rs `align`): MB/s, passages found, and
   countable characters of the later report covered.

Needs `pip install rensa datasketch` and `cargo build --release --example reuse_stages`.
Usage: scripts/compare_minhash.py [CORPUS_DIR]   (default: scripts/make_corpus.py 100 into a
temporary directory: ≈100 MB of rotated copies of the real documents of ../shared/data)
The binary is looked for in $CARGO_TARGET_DIR/release/examples, else target/release/examples.
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

from make_corpus import DATA

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
STAGES = os.path.join(TARGET, "release", "examples", "reuse_stages")
SHINGLE = 5
PERM = 128


def paragraphs(root):
    files = []
    for dirpath, _, names in os.walk(root):
        files += [os.path.join(dirpath, n) for n in names if n.endswith(".txt")]
    size = 0
    for f in sorted(files):
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        size += len(text.encode("utf-8"))
        for line in text.split("\n"):
            line = line.strip()
            if line:
                yield line, size
                size = 0


def shingles(p):
    if len(p) <= SHINGLE:
        return [p]
    return [p[i : i + SHINGLE] for i in range(len(p) - SHINGLE + 1)]


def run_lsh(root, signature, lsh):
    """Signatures of every paragraph, then an LSH index of them queried with each."""
    t0 = time.perf_counter()
    hashes, size = [], 0
    for p, b in paragraphs(root):
        size += b
        hashes.append(signature(shingles(p)))
    signatures = time.perf_counter() - t0
    for i, m in enumerate(hashes):
        lsh.insert(i, m)
    pairs = sum(len(lsh.query(m)) - 1 for m in hashes) // 2
    return {"paragraphs": len(hashes), "bytes": size, "candidate_pairs": pairs, "signatures_seconds": signatures}


def run_datasketch(root):
    from datasketch import MinHash, MinHashLSH

    def signature(items):
        m = MinHash(num_perm=PERM)
        m.update_batch([s.encode("utf-8") for s in items])
        return m

    return run_lsh(root, signature, MinHashLSH(threshold=0.5, num_perm=PERM))


def run_rensa(root):
    from rensa import RMinHash, RMinHashLSH

    def signature(items):
        m = RMinHash(num_perm=PERM, seed=42)
        m.update(items)
        return m

    return run_lsh(root, signature, RMinHashLSH(threshold=0.5, num_perm=PERM, num_bands=16))


def measured(command):
    """Runs `command`; returns its JSON output, wall seconds and peak RSS in MiB."""
    t0 = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"{command[0]} failed: {status}")
    return json.loads(out), wall, usage.ru_maxrss / 1024


def difflib_pairs(pairs):
    import difflib

    t0 = time.perf_counter()
    size, blocks, covered = 0, 0, 0
    for a, b in pairs:
        with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
            ta, tb = fa.read(), fb.read()
        size += len(ta.encode("utf-8")) + len(tb.encode("utf-8"))
        for m in difflib.SequenceMatcher(None, ta, tb).get_matching_blocks():
            if m.size >= 13:
                blocks += 1
                covered += sum(c.isalnum() for c in tb[m.b : m.b + m.size])
    return {"bytes": size, "passages": blocks, "covered_chars": covered, "seconds": time.perf_counter() - t0}


def main():
    if len(sys.argv) == 3 and sys.argv[1] in ("--datasketch", "--rensa"):
        run = run_datasketch if sys.argv[1] == "--datasketch" else run_rensa
        print(json.dumps(run(sys.argv[2])))
        return
    if not os.path.exists(STAGES):
        sys.exit(f"{STAGES} is missing: cargo build --release --example reuse_stages")
    work = tempfile.mkdtemp(prefix="gongwen-minhash-")
    if len(sys.argv) > 1:
        root = sys.argv[1]
    else:
        root = os.path.join(work, "corpus")
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), "100", root], check=True)

    print("1. candidates over every paragraph (5-gram shingles for MinHash)")
    print(f"{'tool':<12}{'MB/s':>8}{'signatures MB/s':>17}{'seconds':>9}{'peak RSS MiB':>14}{'pairs':>12}")
    results = {}
    for tool in ["datasketch", "rensa"]:
        out, wall, rss = measured([sys.executable, os.path.abspath(__file__), f"--{tool}", root])
        results[tool] = (out, wall, rss)
        mb = out["bytes"] / 1e6
        print(f"{tool:<12}{mb / wall:>8.1f}{mb / out['signatures_seconds']:>17.1f}{wall:>9.1f}{rss:>14.0f}{out['candidate_pairs']:>12}")
    out, wall, rss = measured([STAGES, "candidates", root])
    results["gongwen"] = (out, wall, rss)
    mb = out["bytes"] / 1e6
    print(f"{'gongwen':<12}{mb / wall:>8.1f}{'—':>17}{wall:>9.1f}{rss:>14.0f}{out['candidate_pairs']:>12}")
    print(f"   {out['paragraphs']} paragraphs, {mb:.1f} MB; gongwen {mb / wall / (results['rensa'][0]['bytes'] / 1e6 / results['rensa'][1]):.1f}× rensa end to end")

    print("2. alignment of consecutive national reports")
    reports = sorted(
        os.path.join(DATA, "gwr_national", "by_year", n)
        for n in os.listdir(os.path.join(DATA, "gwr_national", "by_year"))
        if re.match(r"20[12][0-9]", n)
    )
    pairs = list(zip(reports, reports[1:]))
    listing = os.path.join(work, "pairs.tsv")
    with open(listing, "w", encoding="utf-8") as f:
        f.writelines(f"{a}\t{b}\n" for a, b in pairs)
    d = difflib_pairs(pairs)
    g, wall, _ = measured([STAGES, "align", listing])
    print(f"{'tool':<12}{'MB/s':>8}{'passages ≥13':>14}{'chars covered':>15}")
    print(f"{'difflib':<12}{d['bytes'] / 1e6 / d['seconds']:>8.2f}{d['passages']:>14}{d['covered_chars']:>15}")
    print(f"{'gongwen':<12}{g['bytes'] / 1e6 / wall:>8.2f}{g['passages']:>14}{g['covered_chars']:>15}")
    print(f"   {len(pairs)} pairs, {g['bytes'] / 1e6:.1f} MB (gongwen's time includes its process start)")


if __name__ == "__main__":
    main()
