#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Write a VROOM problem with breaks from a Solomon instance (for measuring
break placement): times x10 (whole units), Euclidean durations rounded,
25 vehicles of capacity 200 with two breaks each ([600, 900] and
[1200, 1500], 100 long).

usage: bench/vrp_breaks_instance.py SOLOMON.txt OUT.json"""
import json
import math
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = []
    with open(sys.argv[1]) as f:
        for line in f:
            p = line.split()
            if len(p) == 7 and p[0].isdigit():
                rows.append([float(x) for x in p])
    s = 10
    dur = [[int(round(math.hypot(a[1] - b[1], a[2] - b[2]) * s)) for b in rows] for a in rows]
    jobs = [{"id": int(r[0]), "location_index": i, "service": int(r[6] * s), "delivery": [int(r[3])],
             "time_windows": [[int(r[4] * s), int(r[5] * s)]]} for i, r in enumerate(rows) if i > 0]
    horizon = int(rows[0][5] * s)
    breaks = [{"id": 1, "time_windows": [[600, 900]], "service": 100},
              {"id": 2, "time_windows": [[1200, 1500]], "service": 100}]
    vehicles = [{"id": v + 1, "start_index": 0, "end_index": 0, "capacity": [200], "time_window": [0, horizon],
                 "breaks": breaks} for v in range(25)]
    with open(sys.argv[2], "w") as f:
        json.dump({"vehicles": vehicles, "jobs": jobs, "matrices": {"car": {"durations": dur}}}, f)


if __name__ == "__main__":
    main()
