#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The main job on the bundled data: everything kommute can do so far.
set -euo pipefail
cd "$(dirname "$0")/.."
K=build/kommute
mkdir -p build/demo
echo "== kommute $($K --version)"

echo "== data: the small demo municipality (CSVs in build/demo/data, store build/demo/kommute.db)"
rm -f build/demo/kommute.db build/demo/kommute.db-wal build/demo/kommute.db-shm
$K demo generate --seed 1 --scale small --out build/demo/data
$K fleet import sites build/demo/data/sites.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K fleet import vehicles build/demo/data/vehicles.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K fleet import trips build/demo/data/trips.csv --db build/demo/kommute.db --municipality "Demo Kommune"
$K travel import build/demo/data/travel.csv --db build/demo/kommute.db --municipality "Demo Kommune"

echo "== travel: climate account against a -20% target, and video-meeting candidates"
$K travel report --db build/demo/kommute.db --baseline 2022 --target 2024:-20% -o build/demo/travel.txt
head -12 build/demo/travel.txt
$K travel report --db build/demo/kommute.db --baseline 2022 --target 2024:-20% --format html -o build/demo/travel.html
$K travel candidates --db build/demo/kommute.db --baseline 2022 --target 2024:-20% --top 5 | tail -n +4
echo "(HTML report: build/demo/travel.html)"
