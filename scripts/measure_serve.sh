#!/usr/bin/env bash
# Load test of `gongwen serve` on loopback: the search page and the document page with 1, 8 and 32
# concurrent clients (examples/load.rs: keep-alive connections, bounded in requests and time),
# over an archive of >= 100 MB that scripts/measure.sh builds (or ARCHIVE=DIR).
# Each page kind runs twice: "cold" requests every path once (nothing cached), "warm" goes round
# the same paths again (facets and formula matches are kept per commit).
# Usage: scripts/measure_serve.sh   (ARCHIVE, PORT, QUERIES, REQUESTS may be set)
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${ARCHIVE:-/tmp/gongwen-measure/archive}
port=${PORT:-7979}
work=$(mktemp -d)
cargo build --release --quiet --bin gongwen --example load
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/gongwen
load=$target/release/examples/load
[ -d "$archive" ] || { echo "no archive at $archive: run scripts/measure.sh first, or set ARCHIVE"; exit 2; }

python3 scripts/sample_queries.py "${QUERIES:-300}" | python3 -c '
import sys, urllib.parse
for q in sys.stdin:
    q = q.strip()
    if q: print("/?q=" + urllib.parse.quote(q))' > "$work/search.txt"
"$bin" --archive "$archive" list --json | python3 -c '
import sys, json, random
ids = [d["doc_id"] for d in json.load(sys.stdin)["documents"]]
random.seed(1); random.shuffle(ids)
for i in ids[:300]: print("/doc/" + i)' > "$work/doc.txt"

"$bin" --archive "$archive" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
for kind in search doc; do
  n=$(wc -l < "$work/$kind.txt")
  for clients in 1 8 32; do
    # A fresh server per row would be fairer to "cold"; restarting costs little.
    kill $server; wait $server 2>/dev/null || true
    "$bin" --archive "$archive" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
    server=$!
    sleep 1
    echo "== $kind page, $clients clients, cold (each of $n paths once)"
    "$load" "127.0.0.1:$port" "$work/$kind.txt" "$clients" "$n" 120
    echo "== $kind page, $clients clients, warm (the same paths again)"
    "$load" "127.0.0.1:$port" "$work/$kind.txt" "$clients" "${REQUESTS:-$n}" 120
  done
done
