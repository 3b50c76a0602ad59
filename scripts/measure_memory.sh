#!/usr/bin/env bash
# Peak memory (and wall time) of the inputs that once grew with their size or worse, reported in
# the issue notes:
#   - add of one 200 MB .txt (the 100 MB corpus twice over, in one file);
#   - add of 5 MB of one repeated character (的), and of 5 MB of ordinary text, for comparison;
#   - search 的 --kwic --json (and without --json, and with --queries) on an archive of 100 MB;
#   - reading an 11 MB HTML file whose one element has 374,000 attributes.
# Needs ../shared/data and /usr/bin/time (apt-get install time). Usage:
#   scripts/measure_memory.sh [BIN...]    (default target/release/gongwen; several to compare)
# SKIP_HTML=1 leaves out the HTML file (a binary from before the fix takes minutes on it).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${MEASURE_DIR:-/tmp/gongwen-memory}
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(target/release/gongwen)
mkdir -p "$work"
if [ ! -d "$work/corpus" ]; then
  python3 scripts/make_corpus.py 100 "$work/corpus" > /dev/null
  mkdir -p "$work/in"
  cat "$work/corpus"/*.txt "$work/corpus"/*.txt > "$work/in/big200.txt"
  python3 - "$work/in" <<'EOF'
import sys
d = sys.argv[1]
open(f"{d}/repeated.txt", "w").write("的" * (5 * 1024 * 1024 // 3))
body = open(f"{d}/big200.txt", encoding="utf-8").read(5 * 1024 * 1024 // 3)
open(f"{d}/ordinary.txt", "w").write(body)
attrs = " ".join(f'data-attribute-{i}="value{i}"' for i in range(374_000))
open(f"{d}/crowded.html", "w").write(
    f"<html><head><title>属性</title></head><body><div {attrs}>两个确立</div></body></html>")
EOF
fi
printf '的\n是\n' > "$work/queries.txt"

# peak LABEL CMD...: prints LABEL, wall seconds and peak RSS in MB (from /usr/bin/time -v).
peak() {
  local label=$1; shift
  /usr/bin/time -v "$@" > /dev/null 2> "$work/time.txt" || true
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  printf '%-34s %10s wall %8s MB peak RSS\n' "$label" "$wall" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
}

for bin in "${bins[@]}"; do
  echo "== $bin"
  for f in big200 repeated ordinary; do
    rm -rf "$work/arch-$f"
    peak "add $f.txt" "$bin" --archive "$work/arch-$f" add "$work/in/$f.txt"
  done
  [ -d "$work/arch100" ] || "$bin" --archive "$work/arch100" add "$work/corpus" > /dev/null
  peak "search 的 --kwic --json" "$bin" --archive "$work/arch100" search 的 --kwic --json
  peak "search 的 --kwic" "$bin" --archive "$work/arch100" search 的 --kwic
  peak "search --queries (2) --kwic --json" "$bin" --archive "$work/arch100" search --queries "$work/queries.txt" --kwic --json
  [ "${SKIP_HTML:-}" = 1 ] || peak "segment crowded.html (374k attrs)" "$bin" segment "$work/in/crowded.html"
done
