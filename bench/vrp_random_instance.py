#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Write a random VROOM problem (for measuring the planner on shapes the
benchmark sets lack): N tasks on a 20 km square (Euclidean metres, 10 m/s),
every other job with a one-hour window, 20 of the tasks as 10 shipments,
vehicles of capacity 60 over a 10-hour day. With --max-distance every vehicle
gets a limit of 60, 90 or 120 km (the fast-path measurement of docs/benchmarks.md).

usage: bench/vrp_random_instance.py N VEHICLES SEED OUT.json [--max-distance]"""
import json
import math
import random
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 4:
        sys.exit(__doc__)
    n, nveh, seed, out = int(args[0]), int(args[1]), int(args[2]), args[3]
    rnd = random.Random(seed)
    pts = [(rnd.uniform(0, 20000), rnd.uniform(0, 20000)) for _ in range(n + 1)]
    dist = [[round(math.dist(a, b)) for b in pts] for a in pts]
    dur = [[round(x / 10) for x in row] for row in dist]
    nship = 10
    jobs = []
    for i in range(1, n - 2 * nship + 1):
        a = rnd.randint(0, 20000)
        j = {"id": i, "location_index": i, "service": 300, "delivery": [rnd.randint(1, 5)],
             "pickup": [rnd.randint(0, 2)]}
        if i % 2:
            j["time_windows"] = [[a, a + 3600]]
        jobs.append(j)
    ships = []
    for k in range(nship):
        p = n - 2 * nship + 1 + 2 * k
        ships.append({"amount": [2], "pickup": {"id": 1000 + k, "location_index": p, "service": 120},
                      "delivery": {"id": 2000 + k, "location_index": p + 1, "service": 120}})
    vehicles = []
    for v in range(nveh):
        veh = {"id": v + 1, "start_index": 0, "end_index": 0, "capacity": [60], "time_window": [0, 36000]}
        if "--max-distance" in sys.argv:
            veh["max_distance"] = rnd.choice([60000, 90000, 120000])
        vehicles.append(veh)
    with open(out, "w") as f:
        json.dump({"vehicles": vehicles, "jobs": jobs, "shipments": ships,
                   "matrices": {"car": {"durations": dur, "distances": dist}}}, f)


if __name__ == "__main__":
    main()
