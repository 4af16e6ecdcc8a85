#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Road network benchmark: graph build (time, peak memory, size) on the
# benchmark extracts, query latencies and tables (bench/graph_bench.c), the
# whole `kommute table` command on 1,000 points, and travel times against
# OSRM's reference table. Usage: bash bench/graph.sh   (after `make bench`)
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
B=build/bench/graph_bench
OUT=build/bench-graph
SHARED=${KMT_SHARED_DATA:-../shared/data}
mkdir -p "$OUT"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for area in oslo-east-roads oslo-center; do
  pbf="$SHARED/osm/$area.osm.pbf"
  [ -f "$pbf" ] || pbf="data/osm/$area.osm.pbf"
  [ -f "$pbf" ] || { echo "skip $area: not found"; continue; }
  for profile in car bicycle foot; do
    echo "## build $area ($profile)"
    /usr/bin/time -f "  wall %e s, peak RSS %M kB" $K graph build "$pbf" -o "$OUT/$area-$profile.kgraph" --profile $profile
    echo "  file $(stat -c %s "$OUT/$area-$profile.kgraph") bytes"
  done
done
echo "## queries on oslo-east-roads (car)"
$B "$OUT/oslo-east-roads-car.kgraph" --pairs 10000 --sizes 100,1000 --points-out "$OUT/points-1000.csv"
if [ -f "$OUT/oslo-center-car.kgraph" ]; then
  echo "## queries on oslo-center (car; border-cut ways skipped)"
  $B "$OUT/oslo-center-car.kgraph" --pairs 10000 --sizes 100,1000
fi
echo "## whole command: kommute table on 1,000 snapped points (load, snap, compute, JSON), best of 5"
for t in 1 2; do
  for ann in duration,distance duration; do
    best=999
    for i in 1 2 3 4 5; do
      s=$(date +%s.%N)
      $K table --graph "$OUT/oslo-east-roads-car.kgraph" --points "$OUT/points-1000.csv" -t $t --annotations $ann > "$OUT/table.json"
      e=$(date +%s.%N)
      best=$(python3 -c "print(min($best, $e - $s))")
    done
    printf '  -t %s --annotations %-17s %.3f s (%s bytes of JSON)\n' $t $ann "$best" "$(stat -c %s "$OUT/table.json")"
  done
done
ref="$SHARED/osm/osrm-reference/oslo-east-roads-200.json"
if [ -f "$ref" ]; then
  echo "## travel times against OSRM 6 (car.lua, CH), 200x200 cells on the points OSRM snapped to"
  python3 bench/osrm_compare.py $K "$OUT/oslo-east-roads-car.kgraph" "$ref"
fi
