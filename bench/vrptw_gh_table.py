#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Combine bench/vrptw outputs (one file per run) into one Markdown table of the
Gehring & Homberger instances: per instance and per class, vehicles and gap.
Usage: bench/vrptw_gh_table.py OUT1.txt [OUT2.txt ...]  (later files win)."""
import re, sys
rows = {}
for path in sys.argv[1:]:
    for line in open(path):
        m = re.match(r"^(\w+_2_\d+)\s+classic\s+(\d+)/(\d+)\s+([\d.]+)\s+([\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+\d+\s+([\d.]+)\s+(\w+)", line)
        if m:
            rows[m.group(1)] = dict(veh=int(m.group(2)), bveh=int(m.group(3)), dist=float(m.group(4)),
                                    bks=float(m.group(5)), gap=float(m.group(6)), t1=float(m.group(7)),
                                    cpu=float(m.group(8)), ok=m.group(9))
key = lambda n: (n.split("_")[0], int(n.split("_")[2]))
print("| instance | vehicles (ours/BKS) | distance | BKS distance | gap % | time to 1 % [s] | CPU [s] | checked |")
print("|---|---|---|---|---|---|---|---|")
for n in sorted(rows, key=key):
    r = rows[n]
    t1 = "—" if r["t1"] < 0 else f"{r['t1']:.2f}"
    print(f"| {n} | {r['veh']}/{r['bveh']} | {r['dist']:.4f} | {r['bks']:.4f} | {r['gap']:.3f} | {t1} | {r['cpu']:.2f} | {r['ok']} |")
print()
print("| class | n | mean gap % | vehicles | BKS vehicles | infeasible |")
print("|---|---|---|---|---|---|")
classes = {}
for n, r in rows.items():
    classes.setdefault(n.split("_")[0].upper(), []).append(r)
allr = list(rows.values())
for c in sorted(classes) + ["all"]:
    rs = allr if c == "all" else classes[c]
    print(f"| {c} | {len(rs)} | {sum(r['gap'] for r in rs) / len(rs):.3f} | {sum(r['veh'] for r in rs)} | "
          f"{sum(r['bveh'] for r in rs)} | {sum(r['ok'] != 'feasible' for r in rs)} |")
