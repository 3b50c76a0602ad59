#!/usr/bin/env bash
# End-to-end measurements of the archive from the shell, reported in the issue notes:
#   - gongwen add of a >= 100 MB corpus: time and peak memory (and of a 1 GB corpus with --big);
#   - gongwen search from the shell, startup included (median of 20 runs);
#   - --queries with 1,000 sampled queries: time per query;
#   - grep -rlF per query over the same corpus, for 100 queries: time per query;
#   - search -l (list the matching documents only) for 200 queries, against grep -rlF on them.
# Needs ../shared/data. Usage: scripts/measure.sh [--big]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${MEASURE_DIR:-/tmp/gongwen-measure}
mb=100
[ "${1:-}" = "--big" ] && mb=1000
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet
bin=target/release/gongwen
python3 scripts/make_corpus.py "$mb" "$work/corpus"
python3 scripts/sample_queries.py 1000 > "$work/queries.txt"

echo "== add ($mb MB)"
/usr/bin/time -f "add: %e s wall, %M KB peak RSS" "$bin" --archive "$work/archive" add "$work/corpus" > /dev/null
du -sh "$work/archive"

ms() { date +%s%N; }
echo "== search from the shell, startup included (20 runs)"
for q in 两个确立 以案促改 确立 中国特色社会主义 的; do
  times=()
  for _ in $(seq 20); do
    t0=$(ms); "$bin" --archive "$work/archive" search "$q" --json > /dev/null; t1=$(ms)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 10p)
  echo "search $q: median ${median} ms"
done

echo "== --queries with 1000 queries"
t0=$(ms); "$bin" --archive "$work/archive" search --queries "$work/queries.txt" --json > "$work/out.jsonl"; t1=$(ms)
echo "--queries: $(( (t1 - t0) / 1000000 )) ms for 1000 queries, $(( (t1 - t0) / 1000000000 )).$(printf '%03d' $(( (t1 - t0) / 1000000 % 1000 ))) ms per query"

echo "== grep -rlF, 100 queries"
head -100 "$work/queries.txt" > "$work/q100.txt"
t0=$(ms)
while IFS= read -r q; do grep -rlF -- "$q" "$work/corpus" > /dev/null || true; done < "$work/q100.txt"
t1=$(ms)
echo "grep -rlF: $(( (t1 - t0) / 1000000 / 100 )) ms per query"
t0=$(ms); "$bin" --archive "$work/archive" search --queries "$work/q100.txt" --json > /dev/null; t1=$(ms)
echo "gongwen --queries, same 100: $(( (t1 - t0) / 1000000 )) ms in all"

echo "== search -l vs grep -rlF, 200 queries"
head -200 "$work/queries.txt" > "$work/q200.txt"
t0=$(ms); "$bin" --archive "$work/archive" search --queries "$work/q200.txt" -l > "$work/l.txt"; t1=$(ms)
l_us=$(( (t1 - t0) / 1000 / 200 ))
t0=$(ms)
while IFS= read -r q; do grep -rlF -- "$q" "$work/corpus" > /dev/null || true; done < "$work/q200.txt"
t1=$(ms)
g_us=$(( (t1 - t0) / 1000 / 200 ))
echo "search -l: ${l_us} us per query; grep -rlF: ${g_us} us per query; ratio $(( g_us / (l_us > 0 ? l_us : 1) ))x"
