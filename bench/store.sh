#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Store benchmark (docs/benchmarks.md, "Storage: SQLite and PostgreSQL"):
# `fleet size --pool-distance 2000` over the syddjurs demo year stored in
# SQLite and in PostgreSQL, run alternately, 5 times each; the output of the
# two must be identical (apart from the timing line). Needs a PostgreSQL
# conninfo (an empty database or schema) as $1 or $KMT_BENCH_PG, e.g.
#   make bench && KMT_PG_DURABLE=1 bash scripts/pg-test.sh bash -c 'bash bench/store.sh "$KMT_TEST_PG"'
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
PG="${1:-${KMT_BENCH_PG:-}}"
[ -n "$PG" ] || { echo "bench/store.sh: give a PostgreSQL conninfo" >&2; exit 2; }
W=$(mktemp -d /tmp/kmt_bench_store_XXXXXX)
trap 'rm -rf "$W"' EXIT
echo "== demo generate --scale syddjurs (one transaction, the same importers)"
/usr/bin/time -f "  sqlite:     wall %e s, user %U s" $K demo generate --seed 1 --scale syddjurs --db "$W/syddjurs.db" >/dev/null
/usr/bin/time -f "  postgresql: wall %e s, user %U s (client only)" $K demo generate --seed 1 --scale syddjurs --db "$PG" >/dev/null
$K db info --db "$PG" | sed 's/^/  /'
echo "== fleet size --pool-distance 2000, the whole year (wall seconds per run)"
for i in 1 2 3 4 5; do
  for b in sqlite postgresql; do
    db="$W/syddjurs.db"; [ $b = postgresql ] && db="$PG"
    s=$( { /usr/bin/time -f "%e" $K fleet size --pool-distance 2000 --db "$db" > "$W/out.$b" ; } 2>&1 )
    echo "  run $i $b: $s s"
    echo "$b $s" >> "$W/times"
  done
  diff <(grep -v 'computed in' "$W/out.sqlite") <(grep -v 'computed in' "$W/out.postgresql") >/dev/null \
    || { echo "  outputs differ" >&2; exit 1; }
done
python3 - "$W/times" <<'PY'
import sys, statistics
t = {}
for line in open(sys.argv[1]):
    b, s = line.split(); t.setdefault(b, []).append(float(s))
m = {b: statistics.median(v) for b, v in t.items()}
print("  median: sqlite %.2f s, postgresql %.2f s, ratio %.2f (outputs identical)" % (m["sqlite"], m["postgresql"], m["postgresql"] / m["sqlite"]))
PY
