/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Road network benchmark (not a test): route latency over random pairs and
 * many-to-many tables with the bucket CH algorithm on 1 and 2 threads, each
 * compared with plain one-to-many Dijkstra on the same points in the same run.
 *
 * Usage: graph_bench GRAPH.kgraph [--pairs N] [--sizes 100,1000] [--seed S]
 *                                 [--points-out FILE.csv]
 * Points are uniform in the graph's bounding box, snapped to the nearest road
 * (as in the OSRM reference of ../shared/data/osm/osrm-reference).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/graph.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static kmt_snap *random_snaps(const kmt_graph *g, size_t n, kmt_rng *r)
{
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    kmt_snap *s = kmt_malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        kmt_coord c = { in.min.lon + kmt_rng_double(r) * (in.max.lon - in.min.lon),
                        in.min.lat + kmt_rng_double(r) * (in.max.lat - in.min.lat) };
        if (kmt_graph_snap(g, c, 0, &s[i], NULL)) {
            fprintf(stderr, "snap failed\n");
            exit(1);
        }
    }
    return s;
}

static double pct(const double *sorted, size_t n, double p)
{
    return sorted[(size_t)(p * (double)(n - 1))];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: graph_bench GRAPH.kgraph [--pairs N] [--sizes 100,1000] [--seed S] [--points-out F]\n");
        return 2;
    }
    const char *path = argv[1], *sizes = "100,1000", *points_out = NULL;
    long pairs = 10000, seed = 42;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--pairs") == 0)
            pairs = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--sizes") == 0)
            sizes = argv[i + 1];
        else if (strcmp(argv[i], "--seed") == 0)
            seed = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--points-out") == 0)
            points_out = argv[i + 1];
    }
    kmt_error e;
    kmt_error_init(&e);
    kmt_graph *g;
    double t0 = kmt_now_monotonic();
    if (kmt_graph_open(path, &g, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    double t_open = kmt_now_monotonic() - t0;
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    printf("graph %s: %u nodes, %u arcs, %u segments; open+verify %.1f ms\n", path, in.nodes, in.edges, in.segments,
           t_open * 1e3);
    kmt_rng r;
    kmt_rng_seed(&r, (uint64_t)seed);

    /* snapping */
    t0 = kmt_now_monotonic();
    kmt_snap *pts = random_snaps(g, (size_t)pairs * 2, &r);
    double t_snap = kmt_now_monotonic() - t0;
    printf("snap: %.2f us per point (%ld points)\n", t_snap / (double)(pairs * 2) * 1e6, pairs * 2);

    /* routes: full (with geometry) and distance-only via a 1x1 table */
    kmt_query *q = kmt_query_new(g);
    double *lat = kmt_malloc((size_t)pairs * sizeof *lat);
    long unreachable = 0;
    for (long i = 0; i < pairs; i++) {
        kmt_route rt;
        double s = kmt_now_monotonic();
        int rc = kmt_graph_route(q, &pts[2 * i], 2, &rt, NULL);
        lat[i] = kmt_now_monotonic() - s;
        if (rc)
            unreachable++;
        else
            kmt_route_destroy(&rt);
    }
    qsort(lat, (size_t)pairs, sizeof *lat, cmp_double);
    printf("route (with geometry): p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us over %ld pairs (%ld "
           "unreachable)\n",
           pct(lat, (size_t)pairs, 0.5) * 1e6, pct(lat, (size_t)pairs, 0.9) * 1e6, pct(lat, (size_t)pairs, 0.99) * 1e6,
           lat[pairs - 1] * 1e6, pairs, unreachable);
    /* the same pairs with plain Dijkstra (one-to-one with early stop), a sample */
    long dj_pairs = pairs < 1000 ? pairs : 1000;
    double dj_total = 0;
    for (long i = 0; i < dj_pairs; i++) {
        double d;
        double s = kmt_now_monotonic();
        kmt_graph_table_dijkstra(q, &pts[2 * i], 1, &pts[2 * i + 1], 1, &d, NULL, NULL);
        dj_total += kmt_now_monotonic() - s;
    }
    double ch_mean = 0;
    for (long i = 0; i < pairs; i++) ch_mean += lat[i];
    ch_mean /= (double)pairs;
    printf("route: plain Dijkstra mean %.1f us vs CH mean %.1f us: CH %.0fx faster\n",
           dj_total / (double)dj_pairs * 1e6, ch_mean * 1e6, (dj_total / (double)dj_pairs) / ch_mean);

    /* tables */
    for (const char *p = sizes; *p;) {
        long n = atol(p);
        const char *comma = strchr(p, ',');
        p = comma ? comma + 1 : p + strlen(p);
        if (n <= 0) continue;
        kmt_snap *tp = random_snaps(g, (size_t)n, &r);
        if (points_out && n >= 1000) {
            FILE *f = fopen(points_out, "w");
            fprintf(f, "lon,lat\n");
            for (long i = 0; i < n; i++) fprintf(f, "%.7f,%.7f\n", tp[i].location.lon, tp[i].location.lat);
            fclose(f);
        }
        double *dur = kmt_malloc((size_t)(n * n) * sizeof *dur), *dist = kmt_malloc((size_t)(n * n) * sizeof *dist);
        double *dur2 = kmt_malloc((size_t)(n * n) * sizeof *dur2);
        double best1 = 1e9, best2 = 1e9, bestd = 1e9;
        int reps = n <= 100 ? 20 : 3;
        for (int k = 0; k < reps; k++) {
            double s = kmt_now_monotonic();
            kmt_graph_table(g, tp, (size_t)n, tp, (size_t)n, 1, dur, dist, NULL);
            double t = kmt_now_monotonic() - s;
            if (t < best1) best1 = t;
            s = kmt_now_monotonic();
            kmt_graph_table(g, tp, (size_t)n, tp, (size_t)n, 2, dur2, dist, NULL);
            t = kmt_now_monotonic() - s;
            if (t < best2) best2 = t;
        }
        int dreps = n <= 100 ? 5 : 1;
        for (int k = 0; k < dreps; k++) {
            double s = kmt_now_monotonic();
            kmt_graph_table_dijkstra(q, tp, (size_t)n, tp, (size_t)n, dur2, NULL, NULL);
            double t = kmt_now_monotonic() - s;
            if (t < bestd) bestd = t;
        }
        long mismatch = 0, nulls = 0;
        for (long c = 0; c < n * n; c++) {
            if (isnan(dur[c])) nulls++;
            if (!(dur[c] == dur2[c] || (isnan(dur[c]) && isnan(dur2[c])))) mismatch++;
        }
        printf("table %ldx%ld (durations+distances, best of %d): CH 1 thread %.1f ms, 2 threads %.1f ms; "
               "one-to-many Dijkstra %.1f ms (best of %d) = %.0fx the CH 1-thread time; %ld cells differ, %ld "
               "null\n",
               n, n, reps, best1 * 1e3, best2 * 1e3, bestd * 1e3, dreps, bestd / best1, mismatch, nulls);
        kmt_free(dur), kmt_free(dist), kmt_free(dur2), kmt_free(tp);
    }
    printf("peak memory %.1f MB\n", kmt_peak_rss_kb() / 1024.0);
    kmt_free(lat);
    kmt_free(pts);
    kmt_query_destroy(q);
    kmt_graph_close(g);
    return 0;
}
