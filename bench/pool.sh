#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Carpooling benchmark (docs/benchmarks.md, "Carpooling"): plan a working day
# of the syddjurs-scale demo with the road graph, and analyse a year of
# stored trips day by day. Run after `make bench`. Writes into build/bench-pool.
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
B=build/bench/pool_bench
W=build/bench-pool
mkdir -p "$W"
[ -f "$W/oslo-east.kgraph" ] || $K graph build data/osm/oslo-east-roads.osm.pbf -o "$W/oslo-east.kgraph" >/dev/null
if [ ! -f "$W/syddjurs.db" ]; then
  $K demo generate --seed 1 --scale syddjurs --db "$W/syddjurs.db" >/dev/null
fi
echo "== the busiest real working day of the demo (its car journeys), max group 4"
$B "$W/oslo-east.kgraph" 0 4
for n in 1000 3000; do
  for k in 2 4; do
    echo "== $n requests (working days folded onto one), max group $k"
    $B "$W/oslo-east.kgraph" $n $k
  done
done
echo "== the whole command on the 3000-request day: kommute pool plan (road graph, JSON)"
POOL_BENCH_CSV="$W/day3000.csv" $B "$W/oslo-east.kgraph" 3000 4 >/dev/null
for k in 4 2; do
  /usr/bin/time -f "  max group $k: wall %e s, user %U s, peak %M kB" \
    $K pool plan "$W/day3000.csv" --graph "$W/oslo-east.kgraph" --max-group $k --format json > "$W/plan$k.json"
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("  ", s)' "$W/plan$k.json"
done
echo "== a year analysed day by day (road graph), max group 4"
/usr/bin/time -f "  wall %e s, user %U s, peak %M kB" \
  $K pool analyse --db "$W/syddjurs.db" --from 2024-01-01 --to 2024-12-31 --graph "$W/oslo-east.kgraph" | sed -n 2,5p
echo "== the same year without a graph (haversine), max group 4"
/usr/bin/time -f "  wall %e s, user %U s, peak %M kB" \
  $K pool analyse --db "$W/syddjurs.db" --from 2024-01-01 --to 2024-12-31 | sed -n 2,5p
echo "== a year, pairs only (--max-group 2), road graph"
/usr/bin/time -f "  wall %e s, user %U s, peak %M kB" \
  $K pool analyse --db "$W/syddjurs.db" --from 2024-01-01 --to 2024-12-31 --graph "$W/oslo-east.kgraph" --max-group 2 | sed -n 4,5p
