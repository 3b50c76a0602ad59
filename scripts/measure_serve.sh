#!/usr/bin/env bash
# Load test of `gongwen serve` on loopback: the search page and the document page with 1, 8 and 32
# concurrent clients (examples/load.rs: keep-alive connections, bounded in requests and time),
# over an archive of >= 100 MB that scripts/measure.sh builds (or ARCHIVE=DIR).
# Each page kind runs twice: "cold" requests every path once (nothing cached), "warm" goes round
# the same paths again (facets and formula matches are kept per commit).
# Three kinds of page: "search" (300 substrings sampled from the real documents), "common" (the
# search page for words most documents hold: the facets' worst case) and "doc" (300 documents).
# Each row prints the machine's load average first (other builds share the 2 cores).
# Usage: scripts/measure_serve.sh   (ARCHIVE, PORT, QUERIES, REQUESTS, KINDS, CLIENTS may be set;
# BIN=path runs another gongwen binary, e.g. one built from an earlier commit, against the same)
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${ARCHIVE:-/tmp/gongwen-measure/archive}
port=${PORT:-7979}
work=$(mktemp -d)
cargo build --release --quiet --bin gongwen --example load
target=${CARGO_TARGET_DIR:-target}
bin=${BIN:-$target/release/gongwen}
load=$target/release/examples/load
[ -d "$archive" ] || { echo "no archive at $archive: run scripts/measure.sh first, or set ARCHIVE"; exit 2; }

python3 scripts/sample_queries.py "${QUERIES:-300}" | python3 -c '
import sys, urllib.parse
for q in sys.stdin:
    q = q.strip()
    if q: print("/?q=" + urllib.parse.quote(q))' > "$work/search.txt"
for q in 的 党 发展 人民 坚持 中国 社会主义 改革开放 经济 建设 两个确立 中国特色社会主义 政府工作报告 \
    高质量发展 全面从严治党 新时代 人民群众 实事求是 以人民为中心 习近平; do
  for years in "" "&year_from=1990" "&year_to=1989" "&year_from=2000&year_to=2015" "&year_from=2016"; do
    python3 -c 'import sys, urllib.parse; print("/?q=" + urllib.parse.quote(sys.argv[1]) + sys.argv[2])' "$q" "$years"
  done
done > "$work/common.txt"
"$bin" --archive "$archive" list --json | python3 -c '
import sys, json, random
ids = [d["doc_id"] for d in json.load(sys.stdin)["documents"]]
random.seed(1); random.shuffle(ids)
for i in ids[:300]: print("/doc/" + i)' > "$work/doc.txt"

"$bin" --archive "$archive" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
for kind in ${KINDS:-search common doc}; do
  n=$(wc -l < "$work/$kind.txt")
  for clients in ${CLIENTS:-1 8 32}; do
    # A fresh server per row would be fairer to "cold"; restarting costs little.
    kill $server; wait $server 2>/dev/null || true
    "$bin" --archive "$archive" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
    server=$!
    sleep 1
    echo "== $kind page, $clients clients, cold (each of $n paths once); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$load" "127.0.0.1:$port" "$work/$kind.txt" "$clients" "$n" 120
    echo "== $kind page, $clients clients, warm (the same paths again); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$load" "127.0.0.1:$port" "$work/$kind.txt" "$clients" "${REQUESTS:-$n}" 120
  done
done
