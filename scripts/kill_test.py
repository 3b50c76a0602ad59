#!/usr/bin/env python3
"""Kills `gongwen add` at random moments and measures what the archive kept (#9, durable progress).

Usage: kill_test.py GONGWEN CORPUS_DIR [KILLS=20] [SEED=1]

First one full add of CORPUS_DIR is timed. Then, KILLS times: a fresh archive, `add` killed with
SIGKILL at a moment drawn uniformly from 2%..98% of that time, the documents the archive kept
(`list --json`), and the re-run timed, which must add exactly the rest. Prints one line per kill
and a summary. The archives live in a temporary directory removed at the end.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def run(gongwen, archive, *args):
    out = subprocess.run([gongwen, "--archive", archive, *args], capture_output=True, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"{args}: exit {out.returncode}: {out.stderr.decode(errors='replace')}")
    return out


def main():
    gongwen, corpus = sys.argv[1], sys.argv[2]
    kills = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    files = sum(len(names) for _, _, names in os.walk(corpus))
    work = tempfile.mkdtemp(prefix="gongwen-kill-")
    try:
        archive = os.path.join(work, "full")
        start = time.monotonic()
        run(gongwen, archive, "add", corpus)
        full = time.monotonic() - start
        print(f"full add of {files} files: {full:.1f} s")
        kept_all, reruns = [], []
        for k in range(kills):
            archive = os.path.join(work, f"k{k}")
            at = rng.uniform(0.02, 0.98) * full
            child = subprocess.Popen([gongwen, "--archive", archive, "add", corpus],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(at)
            ended = child.poll() is not None
            child.send_signal(signal.SIGKILL)
            child.wait()
            kept = 0
            if os.path.exists(os.path.join(archive, "index", "meta.json")):
                listed = json.loads(run(gongwen, archive, "list", "--json").stdout)
                kept = len(listed["documents"])
            start = time.monotonic()
            rerun = json.loads(run(gongwen, archive, "add", corpus, "--json").stdout)
            took = time.monotonic() - start
            ok = rerun["unchanged"] == kept and rerun["added"] == files - kept
            kept_all.append(kept)
            reruns.append(took)
            print(f"kill {k + 1:2} at {at:5.1f} s ({at / full:4.0%}){' (had ended)' if ended else ''}: "
                  f"kept {kept:4}/{files}, re-run added {rerun['added']:4} in {took:5.1f} s"
                  f"{'' if ok else '  MISMATCH'}")
            shutil.rmtree(archive)
        print(f"kept: min {min(kept_all)}, median {sorted(kept_all)[len(kept_all) // 2]}, "
              f"max {max(kept_all)}; re-run: {min(reruns):.1f}-{max(reruns):.1f} s "
              f"(full add {full:.1f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
