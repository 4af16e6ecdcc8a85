/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Carpooling benchmark: a working day of the syddjurs-scale demo planned
 * with the road graph.
 *
 *   build/bench/pool_bench GRAPH.kgraph [REQUESTS=3000] [MAX_GROUP=4] [THREADS=1] [EXACT_MAX=20]
 *
 * The demo's car journeys (travel records by fleet car, private car or taxi
 * with coordinates) of consecutive working days from the first Monday of
 * 2024 are folded onto one day (each keeps its clock time) until REQUESTS
 * requests are reached: a day of a municipality where every car journey is
 * booked ahead. Window: logged departure - 15 min to logged arrival + 15 min
 * (arrival = departure + travel minutes, else the logged end), widened to the
 * direct travel time where shorter. REQUESTS=0 takes the busiest real working
 * day instead. With POOL_BENCH_CSV=FILE the requests are also written as a
 * `pool plan` CSV. Prints the phases' times, the result and the peak memory.
 * Not a test.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/graph.h"
#include "kommute/model.h"
#include "kommute/pool.h"

static int inside(const kmt_graph_info *gi, kmt_coord c)
{
    return c.lon >= gi->min.lon - 0.05 && c.lon <= gi->max.lon + 0.05 && c.lat >= gi->min.lat - 0.03 &&
           c.lat <= gi->max.lat + 0.03;
}

static const kmt_travel *g_travel;

static int by_date(const void *a, const void *b)
{
    const kmt_travel *x = &g_travel[*(const size_t *)a], *y = &g_travel[*(const size_t *)b];
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s GRAPH.kgraph [REQUESTS] [MAX_GROUP] [THREADS]\n", argv[0]);
        return 2;
    }
    size_t want = argc > 2 ? (size_t)atol(argv[2]) : 3000; /* 0: the busiest real working day */
    int K = argc > 3 ? atoi(argv[3]) : 4;
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    kmt_pool_opts def;
    kmt_pool_opts_default(&def);
    int exact_max = argc > 5 ? atoi(argv[5]) : def.exact_max;
    kmt_error e;
    kmt_error_init(&e);
    kmt_graph *g;
    if (kmt_graph_open(argv[1], &g, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    double t0 = kmt_now_monotonic();
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_demo_generate(1, KMT_DEMO_SYDDJURS, 2024, &d);
    double t_gen = kmt_now_monotonic() - t0;

    kmt_graph_info gi;
    kmt_graph_get_info(g, &gi);
    kmt_time day = kmt_time_make(2024, 1, 1, 0, 0, 0); /* a Monday */
    /* eligible journeys in date order, then folded */
    size_t ne = 0;
    size_t *idx = malloc(d.travel.n * sizeof *idx);
    for (size_t i = 0; i < d.travel.n; i++) {
        const kmt_travel *t = &d.travel.v[i];
        if (t->date < day || kmt_time_weekday(t->date) >= 5) continue;
        if (t->mode != KMT_MODE_FLEET_CAR && t->mode != KMT_MODE_PRIVATE_CAR && t->mode != KMT_MODE_TAXI) continue;
        if (!kmt_geo_valid(t->from) || !kmt_geo_valid(t->to) || t->start == KMT_TIME_NONE) continue;
        if (t->from.lon == t->to.lon && t->from.lat == t->to.lat) continue;
        if (!inside(&gi, t->from) || !inside(&gi, t->to)) continue; /* journeys out of the area */
        kmt_time arr = t->travel_minutes >= 0 ? t->start + 60 * t->travel_minutes : t->end;
        if (arr == KMT_TIME_NONE || arr < t->start) continue;
        idx[ne++] = i;
    }
    g_travel = d.travel.v;
    qsort(idx, ne, sizeof *idx, by_date);
    if (want == 0) { /* one real day: the working day with the most car journeys */
        size_t best_from = 0, best_n = 0;
        for (size_t a = 0, b; a < ne; a = b) {
            for (b = a; b < ne && d.travel.v[idx[b]].date == d.travel.v[idx[a]].date;) b++;
            if (b - a > best_n) best_n = b - a, best_from = a;
        }
        memmove(idx, idx + best_from, best_n * sizeof *idx);
        ne = want = best_n;
    }
    kmt_pool_request *r = calloc(want, sizeof *r);
    size_t n = 0;
    int days = 0;
    int64_t last_day = -1;
    for (size_t q = 0; q < ne && n < want; q++) {
        const kmt_travel *t = &d.travel.v[idx[q]];
        kmt_time arr = t->travel_minutes >= 0 ? t->start + 60 * t->travel_minutes : t->end;
        if (kmt_time_day(t->date) != last_day) last_day = kmt_time_day(t->date), days++;
        kmt_time shift = day - kmt_time_midnight(t->start);
        kmt_pool_request *q2 = &r[n++];
        q2->id = t->key;
        q2->person = t->person;
        q2->department = t->department >= 0 ? d.orgs.v[t->department].name : "";
        q2->origin = t->from;
        q2->dest = t->to;
        q2->earliest_departure = t->start + shift - 900;
        q2->latest_arrival = arr + shift + 900;
        q2->seats = 1;
        q2->can_drive = 1;
    }
    free(idx);
    kmt_coord *pts;
    double t1 = kmt_now_monotonic();
    uint32_t np = kmt_pool_index_points(r, n, &pts);
    kmt_pool_matrix m;
    uint32_t bad;
    if (kmt_pool_matrix_graph(g, pts, np, 5000, threads, &m, &bad, &e)) {
        fprintf(stderr, "matrix: %s\n", e.msg);
        return 1;
    }
    double t_matrix = kmt_now_monotonic() - t1;
    /* widen windows shorter than the road's direct time */
    long widened = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t T = m.dur[(size_t)r[i].o * m.n + r[i].d];
        if (T != KMT_POOL_UNREACH && r[i].latest_arrival - r[i].earliest_departure < T)
            r[i].latest_arrival = r[i].earliest_departure + T, widened++;
    }
    const char *csv = getenv("POOL_BENCH_CSV"); /* also write the requests for `pool plan` */
    if (csv) {
        FILE *f = fopen(csv, "w");
        if (!f) return 1;
        fprintf(f, "request_id,person,department,origin_lon,origin_lat,dest_lon,dest_lat,earliest_departure,"
                   "latest_arrival,seats,can_drive\n");
        for (size_t i = 0; i < n; i++) {
            char a[24], b[24];
            fprintf(f, "%s-%zu,%s,%s,%.6f,%.6f,%.6f,%.6f,%s,%s,1,yes\n", r[i].id, i, r[i].person, r[i].department,
                    r[i].origin.lon, r[i].origin.lat, r[i].dest.lon, r[i].dest.lat,
                    kmt_time_format(r[i].earliest_departure, a, sizeof a),
                    kmt_time_format(r[i].latest_arrival, b, sizeof b));
        }
        fclose(f);
    }
    kmt_pool_opts p;
    kmt_pool_opts_default(&p);
    p.max_group = K;
    p.exact_max = exact_max;
    kmt_pool_plan plan;
    kmt_pool_plan_init(&plan);
    double t2 = kmt_now_monotonic(), c2 = kmt_now_cpu();
    if (kmt_pool_solve(r, n, &m, &p, &plan, &e)) {
        fprintf(stderr, "solve: %s\n", e.msg);
        return 1;
    }
    double t_solve = kmt_now_monotonic() - t2, c_solve = kmt_now_cpu() - c2;
    double t3 = kmt_now_monotonic();
    int ck = kmt_pool_check(r, n, &m, &p, &plan, &e);
    double t_check = kmt_now_monotonic() - t3;
    size_t by[8] = { 0 };
    for (size_t q = 0; q < plan.rides.n; q++) by[plan.rides.v[q].nmembers]++;
    printf("demo generated in %.2f s; %zu requests from %d working days folded onto one day, %u distinct places, "
           "%ld windows widened\n",
           t_gen, n, days, np, widened);
    printf("max group %d: matrix %.3f s (%u x %u, %d thread%s), solve %.3f s (cpu %.3f s), plan total %.3f s; checker "
           "%.3f s (%s)\n",
           K, t_matrix, np, np, threads, threads == 1 ? "" : "s", t_solve, c_solve, t_matrix + t_solve, t_check,
           ck ? e.msg : "ok");
    printf("pair edges %zu, groups of 3+ %zu, components %zu (largest %zu, %zu by local search), exact %s\n",
           plan.pair_edges, plan.groups, plan.components, plan.largest_component, plan.heuristic_components,
           plan.exact ? "yes" : "no");
    printf("rides %zu (pairs %zu, trios %zu, fours %zu, fives %zu), shared requests %zu of %zu; km direct %.1f, "
           "driven %.1f, saved %.1f (%.1f%%)\n",
           plan.rides.n, by[2], by[3], by[4], by[5], plan.shared_requests, n, plan.m_direct / 1000.0,
           plan.m_driven / 1000.0, plan.m_saved / 1000.0, 100.0 * (double)plan.m_saved / (double)plan.m_direct);
    printf("peak memory %.1f MB (the generated demo year included)\n", kmt_peak_rss_kb() / 1024.0);
    kmt_pool_plan_destroy(&plan);
    kmt_pool_matrix_destroy(&m);
    free(pts);
    free(r);
    kmt_dataset_destroy(&d);
    kmt_graph_close(g);
    return ck ? 1 : 0;
}
