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
