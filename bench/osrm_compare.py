#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Compare kommute's car travel times with OSRM's reference table.

Usage: bench/osrm_compare.py KOMMUTE GRAPH REFERENCE.json
Runs `kommute table` on the points OSRM snapped to (so both engines start from
the same road positions) and prints the median and quartiles of the
per-cell ratios kommute/OSRM for durations and distances.
"""
import json, statistics, subprocess, sys, tempfile

kommute, graph, ref_path = sys.argv[1:4]
ref = json.load(open(ref_path))
pts = ref["snapped"]
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    f.write("lon,lat\n")
    for lon, lat in pts:
        f.write(f"{lon},{lat}\n")
    csv = f.name
out = subprocess.run([kommute, "table", "--graph", graph, "--points", csv], check=True,
                     capture_output=True, text=True).stdout
ours = json.loads(out)
for key in ("durations", "distances"):
    ratios, both_null, only_ours_null, only_ref_null = [], 0, 0, 0
    for i in range(len(pts)):
        for j in range(len(pts)):
            if i == j:
                continue
            a, b = ours[key][i][j], ref[key][i][j]
            if a is None and b is None:
                both_null += 1
            elif a is None:
                only_ours_null += 1
            elif b is None:
                only_ref_null += 1
            elif b > 0:
                ratios.append(a / b)
    ratios.sort()
    q = lambda p: ratios[int(p * (len(ratios) - 1))]
    print(f"{key}: {len(ratios)} pairs, median ratio kommute/OSRM {statistics.median(ratios):.3f} "
          f"(p25 {q(0.25):.3f}, p75 {q(0.75):.3f}, p5 {q(0.05):.3f}, p95 {q(0.95):.3f}); "
          f"unreachable: both {both_null}, only kommute {only_ours_null}, only OSRM {only_ref_null}")
