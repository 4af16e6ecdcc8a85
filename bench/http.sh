#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Load benchmark of `kommute serve` on loopback: wrk against /route (random
# pairs of snapped points) and /table (100 x 100) at 2 and 64 connections,
# DURATION seconds each (default 30): requests per second, p50/p99 latency,
# and the server's RSS sampled every second (flat memory = no leak per request).
# Usage: bash bench/http.sh [DURATION]   (needs wrk: apt-get install wrk)
# Traffic goes only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-30}
K=${K:-build/kommute}   # K=OTHER/kommute to measure another build side by side
OUT=${OUT:-build/bench-http}
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x $K ] || make -j2 >/dev/null
[ -f "$OUT/oslo-east.kgraph" ] || $K graph build data/osm/oslo-east-roads.osm.pbf -o "$OUT/oslo-east.kgraph" >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d" " -f1-3 /proc/loadavg), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(. /etc/os-release; echo "$PRETTY_NAME")"

$K serve --graph "$OUT/oslo-east.kgraph" --listen 127.0.0.1:0 --threads "${THREADS:-2}" >"$OUT/serve.out" 2>"$OUT/serve.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q http "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$OUT/serve.out")
echo "server $BASE (pid $PID, $(grep -o '[0-9]* threads' "$OUT/serve.out"))"

# 400 points on the network: random places in the extract snapped by the server
python3 - "$BASE" "$OUT" <<'PY'
import json, random, sys, urllib.request
base, out = sys.argv[1], sys.argv[2]
random.seed(7)
pts = []
while len(pts) < 400:
    lon, lat = random.uniform(10.72, 10.82), random.uniform(59.87, 59.93)
    try:
        d = json.load(urllib.request.urlopen(f"{base}/map/road?lon={lon:.6f}&lat={lat:.6f}&radius=300"))
        pts.append(d["location"])
    except Exception:
        pass
c = lambda p: f"{p[0]:.6f},{p[1]:.6f}"
with open(f"{out}/route.lua", "w") as f:
    f.write("paths = {\n")
    for i in range(1000):
        a, b = random.sample(pts, 2)
        f.write(f'  "/route/v1/driving/{c(a)};{c(b)}?overview=false",\n')
    f.write("}\ni = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
with open(f"{out}/table.path", "w") as f:
    f.write("/table/v1/driving/" + ";".join(c(p) for p in pts[:100]))
PY

# RSS of the server every second into $1
sample_rss() { while kill -0 $PID 2>/dev/null; do awk '/VmRSS/{print $2}' /proc/$PID/status; sleep 1; done >"$1"; }

run() { # name conns wrk-args...
  local name=$1 conns=$2; shift 2
  sample_rss "$OUT/rss-$name-$conns.txt" & local SP=$!
  wrk -t2 -c"$conns" -d"${DUR}s" --latency "$@" >"$OUT/wrk-$name-$conns.txt"
  kill $SP 2>/dev/null || true; wait $SP 2>/dev/null || true
  local rps p50 p99 r0 r1 rmax
  rps=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk-$name-$conns.txt")
  p50=$(awk '$1=="50%"{print $2}' "$OUT/wrk-$name-$conns.txt")
  p99=$(awk '$1=="99%"{print $2}' "$OUT/wrk-$name-$conns.txt")
  r0=$(head -1 "$OUT/rss-$name-$conns.txt"); r1=$(tail -1 "$OUT/rss-$name-$conns.txt")
  rmax=$(sort -n "$OUT/rss-$name-$conns.txt" | tail -1)
  local non2xx; non2xx=$(awk '/Non-2xx/{print $4}' "$OUT/wrk-$name-$conns.txt"); non2xx=${non2xx:-0}
  printf "| %-13s | %3d | %9s | %8s | %8s | %6s -> %6s (max %6s) kB | %s |\n" "$name" "$conns" "$rps" "$p50" "$p99" "$r0" "$r1" "$rmax" "$non2xx"
}
echo "| endpoint      | connections | requests/s | p50 | p99 | server RSS start -> end | non-2xx |"
echo "|---|---|---|---|---|---|---|"
for conns in 2 64; do run route $conns -s "$OUT/route.lua" "$BASE"; done
for conns in 2 64; do run "table 100x100" $conns "$BASE$(cat "$OUT/table.path")"; done
echo "log lines written: $(wc -l <"$OUT/serve.log")"
