#!/usr/bin/env python3
"""Prints N substring queries (2-12 characters, no white space) sampled from the real documents,
with a fixed seed. Usage: sample_queries.py N"""
import random
import sys

from make_corpus import sources


def main():
    n = int(sys.argv[1])
    rng = random.Random(20261127)
    texts = ["".join(t.split()) for t in sources()]
    out = []
    while len(out) < n:
        t = rng.choice(texts)
        length = rng.randint(2, 12)
        start = rng.randrange(0, max(len(t) - length, 1))
        q = t[start:start + length]
        if any(c.isalnum() for c in q) and not q.startswith("-") and q != "OR" and '"' not in q and "“" not in q:
            out.append(q)
    print("\n".join(out))


if __name__ == "__main__":
    main()
