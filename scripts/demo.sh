#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The main job on the bundled data: everything kommute can do so far.
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
mkdir -p build/demo
echo "== kommute $($K --version)"

echo "== route planner: a home-care day (14 visits, 3 carers with breaks, skills, a pharmacy run)"
$K plan data/vrp/demo-homecare.json --time-limit 2 -o build/demo/homecare-plan.json
$K check data/vrp/demo-homecare.json build/demo/homecare-plan.json

echo "== route planner on the road graph: 20 deliveries in Oslo east, 3 vans"
[ -f build/demo/oslo-east-car.kgraph ] || $K graph build data/osm/oslo-east-roads.osm.pbf -o build/demo/oslo-east-car.kgraph
$K plan data/vrp/demo-oslo.json --graph build/demo/oslo-east-car.kgraph --time-limit 2 -o build/demo/oslo-plan.json
echo "   routes drawn along the roads: build/demo/oslo-plan.geojson"
