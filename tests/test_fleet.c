/* SPDX-License-Identifier: MPL-2.0 */
/* Fleet engines: sizing, path cover, coverage, placement, EV, compose.
 * Built from structs directly; no database. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/fleet.h"
#include "test.h"

/* ---- brute force helpers (tiny inputs; recursion depth <= n) ------------- */

/* delays between sites for the tests: a line of sites 0..3, 300 s apart */
static int64_t line_delay(int32_t a, int32_t b, void *ctx)
{
    (void)ctx;
    int64_t d = a > b ? a - b : b - a;
    return d * 300;
}

static int bf_edge(const kmt_fleet_trip *t, int32_t i, int32_t j, int64_t c, kmt_fleet_delay_fn f)
{
    if (i == j) return 0;
    int64_t d = t[i].site == t[j].site ? 0 : (f ? f(t[i].site, t[j].site, NULL) : -1);
    if (d < 0) return 0;
    int64_t r = (t[i].end + c > t[i].start ? t[i].end + c : t[i].start + 1) + d;
    if (t[j].start > r) return 1;
    return t[j].start == r && (t[j].start > t[i].start || j > i);
}

/* Minimum vehicles by trying every assignment of trips (sorted by start)
 * to vehicles: a vehicle's next trip must follow its last by an edge. */
static int bf_best;
static void bf_rec(const kmt_fleet_trip *t, const int32_t *ord, int n, int k, int32_t *last,
                   int used, int64_t c, kmt_fleet_delay_fn f)
{
    if (used >= bf_best) return;
    if (k == n) {
        bf_best = used;
        return;
    }
    int32_t j = ord[k];
    for (int v = 0; v < used; v++) {
        if (!bf_edge(t, last[v], j, c, f)) continue;
        int32_t keep = last[v];
        last[v] = j;
        bf_rec(t, ord, n, k + 1, last, used, c, f);
        last[v] = keep;
    }
    last[used] = j;
    bf_rec(t, ord, n, k + 1, last, used + 1, c, f);
}

static int bf_min_fleet(const kmt_fleet_trip *t, int n, int64_t c, kmt_fleet_delay_fn f)
{
    int32_t ord[32], last[32];
    for (int i = 0; i < n; i++) ord[i] = i;
    for (int i = 1; i < n; i++) /* insertion sort by (start, index) */
        for (int k = i; k > 0 && t[ord[k]].start < t[ord[k - 1]].start; k--) {
            int32_t x = ord[k];
            ord[k] = ord[k - 1];
            ord[k - 1] = x;
        }
    bf_best = n + 1;
    bf_rec(t, ord, n, 0, last, 0, c, f);
    return bf_best;
}

static void random_trips(kmt_rng *rng, kmt_fleet_trip *t, int n, int nsites, int zero_len)
{
    for (int i = 0; i < n; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].start = (int64_t)kmt_rng_below(rng, 40) * 300;
        int64_t dur = (int64_t)kmt_rng_below(rng, zero_len ? 8 : 7) * 300 + (zero_len ? 0 : 300);
        t[i].end = t[i].start + dur;
        t[i].site = t[i].end_site = (int32_t)kmt_rng_below(rng, (uint64_t)nsites);
        t[i].dept = -1;
        t[i].vehicle = 0;
        t[i].m = 1000 * (int32_t)(1 + kmt_rng_below(rng, 50));
        t[i].kind = KMT_FLEET_KIND_CAR;
    }
}

KMT_TEST(fleet_size_equals_brute_force_one_site)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 42);
    kmt_fleet_trip t[10];
    kmt_fleet_vehicle veh = {0, -1, KMT_FLEET_KIND_CAR, KMT_FLEET_FUEL_PETROL, 0, 0, 0, 0, 0};
    kmt_fleet_site site = {{10.0, 56.0}};
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int)kmt_rng_below(&rng, 10);
        random_trips(&rng, t, n, 1, round % 3 == 0);
        int64_t c = (round % 2) ? 300 : 0;
        kmt_fleet_input in = {t, (size_t)n, &veh, 1, &site, 1, 0, 0, 86400};
        kmt_fleet_size_opts o;
        kmt_fleet_size_opts_default(&o);
        o.changeover_s = c;
        kmt_fleet_size r;
        kmt_error e;
        ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, &e), 0);
        int bf = bf_min_fleet(t, n, c, NULL);
        ASSERT_EQ_INT(r.sites[0].min_vehicles, bf);
        /* the path cover on one site agrees with the peak */
        int32_t idx[10];
        for (int i = 0; i < n; i++) idx[i] = i;
        ASSERT_EQ_INT(kmt_fleet_path_cover(t, idx, (size_t)n, c, NULL, NULL, NULL, NULL, NULL), bf);
        /* the peak trips overlap pairwise, and there are min_vehicles of them */
        ASSERT_EQ_INT(r.sites[0].npeak, bf);
        /* the curve ends with nothing uncovered and starts with everything */
        ASSERT_EQ_INT(r.sites[0].curve[r.sites[0].ncurve - 1].uncovered_trips, 0);
        ASSERT_EQ_INT(r.sites[0].curve[0].uncovered_trips, n);
        kmt_fleet_size_free(&r);
    }
}

KMT_TEST(fleet_path_cover_equals_brute_force_multi_site)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 7);
    kmt_fleet_trip t[11];
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int)kmt_rng_below(&rng, 11);
        random_trips(&rng, t, n, 4, round % 4 == 0);
        int64_t c = (round % 3) * 300;
        int32_t idx[11], path_of[11], wit[11];
        for (int i = 0; i < n; i++) idx[n - 1 - i] = i; /* any order */
        size_t nw = 0;
        int32_t cover = kmt_fleet_path_cover(t, idx, (size_t)n, c, line_delay, NULL, path_of, wit, &nw);
        ASSERT_EQ_INT(cover, bf_min_fleet(t, n, c, line_delay));
        /* the witness: `cover` trips, pairwise incompatible */
        ASSERT_EQ_INT(nw, cover);
        for (size_t a = 0; a < nw; a++)
            for (size_t b = 0; b < nw; b++)
                if (a != b) ASSERT(!bf_edge(t, wit[a], wit[b], c, line_delay));
        /* the paths are feasible vehicle schedules */
        for (int p = 0; p < cover; p++) {
            int32_t last = -1;
            int32_t ord[11];
            int m = 0;
            for (int k = 0; k < n; k++)
                if (path_of[k] == p) ord[m++] = idx[k];
            ASSERT(m > 0);
            for (int i = 1; i < m; i++)
                for (int k = i; k > 0 && (t[ord[k]].start < t[ord[k - 1]].start ||
                                          (t[ord[k]].start == t[ord[k - 1]].start && ord[k] < ord[k - 1]));
                     k--) {
                    int32_t x = ord[k];
                    ord[k] = ord[k - 1];
                    ord[k - 1] = x;
                }
            for (int i = 0; i < m; i++) {
                if (last >= 0) ASSERT(bf_edge(t, last, ord[i], c, line_delay));
                last = ord[i];
            }
        }
    }
}

KMT_TEST(fleet_pooling_never_needs_more)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 99);
    kmt_fleet_site sites[5];
    for (int s = 0; s < 5; s++) sites[s].pos = (kmt_coord){10.0 + 0.004 * s, 56.0};
    kmt_fleet_vehicle veh[5];
    for (int s = 0; s < 5; s++)
        veh[s] = (kmt_fleet_vehicle){s, -1, KMT_FLEET_KIND_CAR, KMT_FLEET_FUEL_PETROL, 0, 0, 0, 0, 0};
    kmt_fleet_trip t[60];
    for (int round = 0; round < 40; round++) {
        int n = 5 + (int)kmt_rng_below(&rng, 55);
        random_trips(&rng, t, n, 5, 0);
        for (int i = 0; i < n; i++) t[i].vehicle = t[i].site;
        kmt_fleet_input in = {t, (size_t)n, veh, 5, sites, 5, 0, 0, 86400};
        kmt_fleet_size_opts o;
        kmt_fleet_size_opts_default(&o);
        o.pool_m = 300.0 + 200.0 * (round % 5); /* 0.004 deg lon ~ 249 m */
        o.changeover_s = (round % 2) * 300;
        kmt_fleet_size r;
        ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
        ASSERT(r.min_pooled_total <= r.min_total);
        int32_t sum = 0;
        for (size_t s = 0; s < r.nsites; s++) sum += r.sites[s].min_vehicles_pooled;
        ASSERT_EQ_INT(sum, r.min_pooled_total);
        for (size_t g = 0; g < r.ngroups; g++) ASSERT_EQ_INT(r.groups[g].nwitness, r.groups[g].min_pooled);
        /* without time to walk, pooling equals the peak of the whole group */
        kmt_fleet_size_free(&r);
    }
}

KMT_TEST(fleet_size_constructed_k)
{
    /* k staircase trips overlapping at 10:00 plus chains that fit between */
    for (int k = 1; k <= 12; k++) {
        kmt_fleet_trip t[64];
        int n = 0;
        for (int i = 0; i < k; i++) {
            t[n] = (kmt_fleet_trip){36000 - 600 * i, 36000 + 60 + 600 * i, 0, 0, 0, -1, 5000, 1};
            n++;
            /* a short trip before and after, which a freed car can take */
            t[n] = (kmt_fleet_trip){20000 + 200 * i, 20100 + 200 * i, 0, 0, 0, -1, 1000, 1};
            n++;
        }
        kmt_fleet_vehicle veh = {0, -1, 1, 1, 0, 0, 0, 0, 0};
        kmt_fleet_site site = {{10.0, 56.0}};
        kmt_fleet_input in = {t, (size_t)n, &veh, 1, &site, 1, 0, 0, 86400};
        kmt_fleet_size_opts o;
        kmt_fleet_size_opts_default(&o);
        kmt_fleet_size r;
        ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
        ASSERT_EQ_INT(r.sites[0].min_vehicles, k);
        ASSERT_EQ_INT(r.sites[0].current_vehicles, 1);
        if (k > 1) ASSERT_EQ_INT(r.sites[0].peak_time, 36000);
        kmt_fleet_size_free(&r);
        /* one minute of changeover makes the morning trips collide too: still k */
        o.changeover_s = 60;
        ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
        ASSERT_EQ_INT(r.sites[0].min_vehicles, k);
        kmt_fleet_size_free(&r);
    }
}

KMT_TEST(fleet_size_kinds)
{
    /* a van trip and a car trip at the same time: 1 + 1, or 2 as "any" */
    kmt_fleet_trip t[3] = {
        {0, 3600, 0, 0, 0, -1, 1000, KMT_FLEET_KIND_CAR},
        {0, 3600, 1, 0, 0, -1, 1000, KMT_FLEET_KIND_VAN},
        {7200, 9000, 1, 0, 0, -1, 1000, KMT_FLEET_KIND_VAN},
    };
    kmt_fleet_vehicle veh[2] = {{0, -1, 1, 1, 0, 0, 0, 0, 0}, {0, -1, 2, 2, 0, 0, 0, 0, 0}};
    kmt_fleet_site site = {{10.0, 56.0}};
    kmt_fleet_input in = {t, 3, veh, 2, &site, 1, 0, 0, 86400};
    kmt_fleet_size_opts o;
    kmt_fleet_size_opts_default(&o);
    kmt_fleet_size r;
    ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
    ASSERT_EQ_INT(r.sites[0].min_vehicles, 2);
    ASSERT_EQ_INT(r.sites[0].min_by_kind[KMT_FLEET_KIND_CAR], 1);
    ASSERT_EQ_INT(r.sites[0].min_by_kind[KMT_FLEET_KIND_VAN], 1);
    kmt_fleet_size_free(&r);
}

/* Most trips k vehicles can serve, by trying every subset. */
KMT_TEST(fleet_max_covered_equals_brute_force)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 5);
    kmt_fleet_trip t[10];
    for (int round = 0; round < 200; round++) {
        int n = 1 + (int)kmt_rng_below(&rng, 10);
        random_trips(&rng, t, n, 1, 0);
        int32_t idx[10];
        for (int i = 0; i < n; i++) idx[i] = i;
        int32_t k = (int32_t)kmt_rng_below(&rng, 4);
        int best = 0;
        for (unsigned mask = 0; mask < (1u << n); mask++) {
            int32_t sub[10];
            int m = 0;
            for (int i = 0; i < n; i++)
                if (mask >> i & 1) sub[m++] = i;
            if (m <= best) continue;
            kmt_fleet_trip tt[10];
            for (int i = 0; i < m; i++) tt[i] = t[sub[i]];
            if (bf_min_fleet(tt, m, 0, NULL) <= k) best = m;
        }
        ASSERT_EQ_INT(kmt_fleet_max_covered(t, idx, (size_t)n, k, 0, NULL), best);
    }
}
