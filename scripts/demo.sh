#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The main job on the bundled data: everything kommute can do so far.
# Each module appends its steps below; keep them short and on bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
D=build/demo
mkdir -p "$D"
echo "== $($K --version): demo on the bundled extract (data/osm, (c) OpenStreetMap contributors, ODbL)"

echo "== road network: build the car and bicycle graphs of Oslo east"
$K graph build data/osm/oslo-east-roads.osm.pbf -o "$D/oslo-east.kgraph"
$K graph build data/osm/oslo-east-roads.osm.pbf -o "$D/oslo-east-bicycle.kgraph" --profile bicycle | head -1

echo "== route: Oslo S (Jernbanetorget) -> Helsfyr -> Ryen, by car"
$K route --graph "$D/oslo-east.kgraph" 10.7522,59.9111 10.8023,59.9127 10.7945,59.8955 \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["routes"][0]; print("  %.1f km, %.1f min, legs: %s" % (r["distance"]/1000, r["duration"]/60, ", ".join("%.1f km / %.1f min" % (l["distance"]/1000, l["duration"]/60) for l in r["legs"])))'

echo "== table: durations (s) between four places, by car"
$K table --graph "$D/oslo-east.kgraph" --coords '10.7522,59.9111;10.8023,59.9127;10.7945,59.8955;10.7700,59.9180' --annotations duration \
  | python3 -c 'import json,sys; [print("  " + " ".join("%7.1f" % c for c in row)) for row in json.load(sys.stdin)["durations"]]'
echo "== the same trip by bicycle (home-care staff in town)"
$K route --graph "$D/oslo-east-bicycle.kgraph" 10.7522,59.9111 10.8023,59.9127 \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["routes"][0]; print("  %.1f km, %.1f min by bicycle" % (r["distance"]/1000, r["duration"]/60))'

echo "== data: the small demo municipality (CSVs in build/demo/data, store build/demo/kommute.db)"
rm -f build/demo/kommute.db build/demo/kommute.db-wal build/demo/kommute.db-shm
$K demo generate --seed 1 --scale small --out build/demo/data
$K fleet import sites build/demo/data/sites.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K fleet import vehicles build/demo/data/vehicles.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K fleet import trips build/demo/data/trips.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K travel import build/demo/data/travel.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K db info --db build/demo/kommute.db | head -8

echo "== route planner: a home-care day (14 visits, 3 carers with breaks, skills, a pharmacy run)"
$K plan data/vrp/demo-homecare.json --time-limit 2 -o build/demo/homecare-plan.json
$K check data/vrp/demo-homecare.json build/demo/homecare-plan.json

echo "== home care: a day with double-staffed and ordered visits (Mankowska 10_1; proven optimum 218.20)"
$K plan --hhcrsp data/hhc/mankowska-10-1.json --time-limit 2 -o build/demo/hhc-plan.json | head -1
$K check --hhcrsp data/hhc/mankowska-10-1.json build/demo/hhc-plan.json

echo "== route planner on the road graph: 20 deliveries in Oslo east, 3 vans (routes as GeoJSON)"
$K plan data/vrp/demo-oslo.json --graph "$D/oslo-east.kgraph" --time-limit 2 -o "$D/oslo-plan.json"
echo "   routes along the roads: $D/oslo-plan.geojson"

echo "== fleet: minimum fleet per site (with sharing between sites < 1 km) and EV check"
$K fleet size --db build/demo/kommute.db --changeover 5
$K fleet ev --db build/demo/kommute.db --range 300

echo "== travel: climate account against a -20% target, and video-meeting candidates"
$K travel report --db build/demo/kommute.db --baseline 2022 --target 2024:-20% -o build/demo/travel.txt
head -12 build/demo/travel.txt
$K travel report --db build/demo/kommute.db --baseline 2022 --target 2024:-20% --format html -o build/demo/travel.html
$K travel candidates --db build/demo/kommute.db --baseline 2022 --target 2024:-20% --top 5 | tail -n +4
echo "(HTML report: build/demo/travel.html)"

echo "== carpooling: shared rides for tomorrow's bookings (data/pool/requests.csv), and last year's potential"
# (haversine here: the demo's places lie up to 2 km from the extract's main roads, where
# several would snap to the same road point; with --graph on real addresses, use the graph)
$K pool plan data/pool/requests.csv --objective co2 --country DK | head -15
$K pool analyse --db build/demo/kommute.db --from 2024-01-01 --to 2024-12-31 --graph "$D/oslo-east.kgraph" | sed -n 2,5p

echo "== server: the API and the web page on the demo municipality"
SERVE=($K serve --graph "$D/oslo-east.kgraph" --db build/demo/kommute.db)
# Run by a person at a terminal, the demo ends by serving the page (Ctrl-C stops it);
# run by a script or CI (no terminal), or with KOMMUTE_DEMO_SERVE=0, it checks the
# server once and prints the command instead of blocking. KOMMUTE_DEMO_SERVE=1 forces serving.
serve_now=${KOMMUTE_DEMO_SERVE:-auto}
if [ "$serve_now" = auto ]; then [ -t 0 ] && [ -t 1 ] && serve_now=1 || serve_now=0; fi
if [ "$serve_now" = 1 ]; then
  echo "  open the address below in a browser; Ctrl-C stops the server"
  exec "${SERVE[@]}" --listen "${KOMMUTE_DEMO_LISTEN:-127.0.0.1:8080}"
fi
# Not serving: start it on a free port, ask it once, stop it (does not block).
"${SERVE[@]}" --listen 127.0.0.1:0 >"$D/serve.out" 2>"$D/serve.log" &
SPID=$!
for _ in $(seq 100); do grep -q http "$D/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*/' "$D/serve.out")
python3 - "$URL" <<'PY'
import json, sys, urllib.error, urllib.request
u = sys.argv[1]
h = json.load(urllib.request.urlopen(u + "health"))
r = json.load(urllib.request.urlopen(u + "route/v1/driving/10.7522,59.9111;10.8023,59.9127?overview=false"))["routes"][0]
print("  %s: %s network, %d sites, %d vehicles, %d trips; /route Oslo S -> Helsfyr %.1f km, %.1f min"
      % (u, h["graph"]["profile"], h["data"]["sites"], h["data"]["vehicles"], h["data"]["trips"],
         r["distance"] / 1000, r["duration"] / 60))
# the analyses over HTTP are the same use cases as the commands; a query key that is
# not a parameter (here one that would name a file) is refused with 400, naming it
f = json.load(urllib.request.urlopen(u + "fleet/size?pool-distance=2000"))
print("  /fleet/size?pool-distance=2000: %d vehicles now, %d needed with pooling" % (f["current_vehicles"], f["min_vehicles_pooled"]))
try:
    urllib.request.urlopen(u + "travel/report?output=/tmp/x")
except urllib.error.HTTPError as e:
    b = json.load(e)
    print("  /travel/report?output=...: %d %s (field %s)" % (e.code, b["code"], b.get("field")))
PY
kill -TERM $SPID; wait $SPID
echo "  to open the page: KOMMUTE_DEMO_SERVE=1 make demo, or"
echo "  ${SERVE[*]}   then http://127.0.0.1:8080/"
