/* SPDX-License-Identifier: MPL-2.0 */
/*
 * How far the local search (used on components larger than --exact-max) is
 * from the exact packing: random instances of N requests (default 28) in one
 * town over one morning, planned with max group 4 exactly (exact_max 64) and
 * with the local search alone (exact_max 0); prints the mean and worst gap
 * in km saved. Not a test.
 *
 *   build/bench/pool_gap [N=28] [INSTANCES=200]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kommute/pool.h"

int main(int argc, char **argv)
{
    int N = argc > 1 ? atoi(argv[1]) : 28, iters = argc > 2 ? atoi(argv[2]) : 200;
    kmt_rng rng;
    kmt_rng_seed(&rng, 2024);
    double sum_gap = 0, worst = 0, sum_exact = 0;
    int not_proven = 0, equal = 0;
    double t_exact = 0, t_heur = 0;
    kmt_pool_request *r = calloc((size_t)N, sizeof *r);
    char(*ids)[16] = calloc((size_t)N, 16);
    kmt_coord hub[4] = { { 10.75, 59.90 }, { 10.80, 59.93 }, { 10.78, 59.88 }, { 10.72, 59.92 } };
    for (int it = 0; it < iters; it++) {
        kmt_time base = kmt_time_make(2024, 5, 6, 7, 30, 0);
        for (int i = 0; i < N; i++) {
            kmt_pool_request *q = &r[i];
            snprintf(ids[i], 16, "R%d", i);
            q->id = ids[i];
            q->person = q->department = "";
            int a = (int)kmt_rng_below(&rng, 4), b = (a + 1 + (int)kmt_rng_below(&rng, 3)) % 4;
            q->origin = (kmt_coord){ hub[a].lon + (kmt_rng_double(&rng) - 0.5) * 0.03,
                                     hub[a].lat + (kmt_rng_double(&rng) - 0.5) * 0.015 };
            q->dest = (kmt_coord){ hub[b].lon + (kmt_rng_double(&rng) - 0.5) * 0.03,
                                   hub[b].lat + (kmt_rng_double(&rng) - 0.5) * 0.015 };
            q->earliest_departure = base + (kmt_time)kmt_rng_below(&rng, 5400);
            double m = kmt_geo_haversine_m(q->origin, q->dest) * 1.3;
            q->latest_arrival =
                q->earliest_departure + (kmt_time)ceil(m / (50 / 3.6)) + 600 + (kmt_time)kmt_rng_below(&rng, 1800);
            q->seats = 1;
            q->can_drive = kmt_rng_below(&rng, 6) != 0;
        }
        kmt_coord *pts;
        uint32_t np = kmt_pool_index_points(r, (size_t)N, &pts);
        kmt_pool_matrix m;
        kmt_error e;
        kmt_pool_matrix_haversine(pts, np, 1.3, 50, &m, &e);
        kmt_pool_opts p;
        kmt_pool_opts_default(&p);
        p.exact_max = 64;
        kmt_pool_plan a, h;
        kmt_pool_plan_init(&a);
        kmt_pool_plan_init(&h);
        double t0 = kmt_now_cpu();
        kmt_pool_solve(r, (size_t)N, &m, &p, &a, &e);
        double t1 = kmt_now_cpu();
        p.exact_max = 0;
        kmt_pool_solve(r, (size_t)N, &m, &p, &h, &e);
        double t2 = kmt_now_cpu();
        t_exact += t1 - t0, t_heur += t2 - t1;
        if (kmt_pool_check(r, (size_t)N, &m, &p, &h, &e)) return 1;
        not_proven += !a.exact;
        double gap = a.m_saved > 0 ? (double)(a.m_saved - h.m_saved) / (double)a.m_saved : 0;
        equal += a.m_saved == h.m_saved;
        sum_gap += gap;
        sum_exact += a.m_saved / 1000.0;
        if (gap > worst) worst = gap;
        kmt_pool_plan_destroy(&a);
        kmt_pool_plan_destroy(&h);
        kmt_pool_matrix_destroy(&m);
        kmt_free(pts);
    }
    printf("%d instances of %d requests, max group 4: local search vs exact: mean gap %.2f%% of km saved, worst "
           "%.2f%%, equal in %d; exact not proven in %d; mean km saved (exact) %.1f; cpu per instance exact %.1f ms, "
           "local search %.1f ms\n",
           iters, N, 100 * sum_gap / iters, 100 * worst, equal, not_proven, sum_exact / iters, 1000 * t_exact / iters,
           1000 * t_heur / iters);
    free(r);
    free(ids);
    return 0;
}
