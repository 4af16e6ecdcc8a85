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
static void bf_rec(const kmt_fleet_trip *t, const int32_t *ord, int n, int k, int32_t *last, int used, int64_t c,
                   kmt_fleet_delay_fn f)
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
    kmt_fleet_vehicle veh = { 0, -1, KMT_FLEET_KIND_CAR, KMT_FLEET_FUEL_PETROL, 0, 0, 0, 0, 0, 0 };
    kmt_fleet_site site = { { 10.0, 56.0 } };
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int)kmt_rng_below(&rng, 10);
        random_trips(&rng, t, n, 1, round % 3 == 0);
        int64_t c = (round % 2) ? 300 : 0;
        kmt_fleet_input in = { t, (size_t)n, &veh, 1, &site, 1, 0, 0, 86400 };
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
        kmt_fleet_size_destroy(&r);
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
    for (int s = 0; s < 5; s++) sites[s].pos = (kmt_coord){ 10.0 + 0.004 * s, 56.0 };
    kmt_fleet_vehicle veh[5];
    for (int s = 0; s < 5; s++)
        veh[s] = (kmt_fleet_vehicle){ s, -1, KMT_FLEET_KIND_CAR, KMT_FLEET_FUEL_PETROL, 0, 0, 0, 0, 0, 0 };
    kmt_fleet_trip t[60];
    for (int round = 0; round < 40; round++) {
        int n = 5 + (int)kmt_rng_below(&rng, 55);
        random_trips(&rng, t, n, 5, 0);
        for (int i = 0; i < n; i++) t[i].vehicle = t[i].site;
        kmt_fleet_input in = { t, (size_t)n, veh, 5, sites, 5, 0, 0, 86400 };
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
        kmt_fleet_size_destroy(&r);
    }
}

KMT_TEST(fleet_size_constructed_k)
{
    /* k staircase trips overlapping at 10:00 plus chains that fit between */
    for (int k = 1; k <= 12; k++) {
        kmt_fleet_trip t[64];
        int n = 0;
        for (int i = 0; i < k; i++) {
            t[n] = (kmt_fleet_trip){ 36000 - 600 * i, 36000 + 60 + 600 * i, 0, 0, 0, -1, 5000, 1 };
            n++;
            /* a short trip before and after, which a freed car can take */
            t[n] = (kmt_fleet_trip){ 20000 + 200 * i, 20100 + 200 * i, 0, 0, 0, -1, 1000, 1 };
            n++;
        }
        kmt_fleet_vehicle veh = { 0, -1, 1, 1, 0, 0, 0, 0, 0, 0 };
        kmt_fleet_site site = { { 10.0, 56.0 } };
        kmt_fleet_input in = { t, (size_t)n, &veh, 1, &site, 1, 0, 0, 86400 };
        kmt_fleet_size_opts o;
        kmt_fleet_size_opts_default(&o);
        kmt_fleet_size r;
        ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
        ASSERT_EQ_INT(r.sites[0].min_vehicles, k);
        ASSERT_EQ_INT(r.sites[0].current_vehicles, 1);
        if (k > 1) ASSERT_EQ_INT(r.sites[0].peak_time, 36000);
        kmt_fleet_size_destroy(&r);
        /* one minute of changeover makes the morning trips collide too: still k */
        o.changeover_s = 60;
        ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
        ASSERT_EQ_INT(r.sites[0].min_vehicles, k);
        kmt_fleet_size_destroy(&r);
    }
}

KMT_TEST(fleet_size_kinds)
{
    /* a van trip and a car trip at the same time: 1 + 1, or 2 as "any" */
    kmt_fleet_trip t[3] = {
        { 0, 3600, 0, 0, 0, -1, 1000, KMT_FLEET_KIND_CAR },
        { 0, 3600, 1, 0, 0, -1, 1000, KMT_FLEET_KIND_VAN },
        { 7200, 9000, 1, 0, 0, -1, 1000, KMT_FLEET_KIND_VAN },
    };
    kmt_fleet_vehicle veh[2] = { { 0, -1, 1, 1, 0, 0, 0, 0, 0, 0 }, { 0, -1, 2, 2, 0, 0, 0, 0, 0, 0 } };
    kmt_fleet_site site = { { 10.0, 56.0 } };
    kmt_fleet_input in = { t, 3, veh, 2, &site, 1, 0, 0, 86400 };
    kmt_fleet_size_opts o;
    kmt_fleet_size_opts_default(&o);
    kmt_fleet_size r;
    ASSERT_EQ_INT(kmt_fleet_size_run(&in, &o, &r, NULL), 0);
    ASSERT_EQ_INT(r.sites[0].min_vehicles, 2);
    ASSERT_EQ_INT(r.sites[0].min_by_kind[KMT_FLEET_KIND_CAR], 1);
    ASSERT_EQ_INT(r.sites[0].min_by_kind[KMT_FLEET_KIND_VAN], 1);
    kmt_fleet_size_destroy(&r);
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

/* ---- report ---------------------------------------------------------------- */

#define DAY_2024_01_01 19723 /* a Monday */
#define DAY_2024_06_03 19877 /* a Monday */

KMT_TEST(fleet_report_utilisation)
{
    int64_t mon = (int64_t)DAY_2024_01_01 * 86400;
    kmt_fleet_trip t[3] = {
        { mon + 8 * 3600, mon + 10 * 3600, 0, 0, 0, 0, 20000, 1 },
        { mon + 16 * 3600, mon + 18 * 3600, 0, 0, 0, 0, 30000, 1 },
        { mon + 30 * 3600, mon + 31 * 3600, -1, 0, 0, 0, 7000, 1 }, /* private */
    };
    kmt_fleet_vehicle veh[2] = { { 0, 0, 1, 1, 0, 0, 0, 0, 0, 0 }, { 0, 0, 1, 1, 0, 0, 0, 0, 0, 0 } };
    kmt_fleet_site site = { { 10.0, 56.0 } };
    kmt_fleet_input in = { t, 3, veh, 2, &site, 1, 1, mon, mon + 7 * 86400 };
    kmt_fleet_report_opts o;
    kmt_fleet_report_opts_default(&o);
    kmt_fleet_report r;
    ASSERT_EQ_INT(kmt_fleet_report_run(&in, &o, &r, NULL), 0);
    ASSERT_EQ_INT(r.work_seconds_per_vehicle, 5 * 10 * 3600);
    ASSERT_EQ_INT(r.vehicle[0].trips, 2);
    ASSERT_EQ_INT(r.vehicle[0].days_used, 1);
    ASSERT_EQ_INT(r.vehicle[0].seconds_used, 4 * 3600);
    ASSERT_EQ_INT(r.vehicle[0].work_seconds_used, 3 * 3600);
    ASSERT_NEAR(r.vehicle[0].utilisation, 3.0 / 50.0, 1e-12);
    ASSERT_NEAR(r.vehicle[0].km, 50.0, 1e-9);
    ASSERT_EQ_INT(r.vehicle[1].idle_vehicles, 1);
    ASSERT_EQ_INT(r.site[0].vehicles, 2);
    ASSERT_EQ_INT(r.site[0].idle_vehicles, 1);
    ASSERT_NEAR(r.site[0].utilisation, 3.0 / 100.0, 1e-12);
    ASSERT_EQ_INT(r.dept[0].trips, 2);
    ASSERT_EQ_INT(r.private_trips, 1);
    kmt_fleet_report_destroy(&r);
}

/* ---- ev -------------------------------------------------------------------- */

KMT_TEST(fleet_ev_fails_exactly_on_long_days)
{
    /* a hand-made log: km per day, June (summer) then January (winter) */
    const int64_t day[] = { DAY_2024_06_03,     DAY_2024_06_03 + 1, DAY_2024_06_03 + 2, DAY_2024_06_03 + 3,
                            DAY_2024_06_03 + 4, DAY_2024_01_01 + 1, DAY_2024_01_01 + 2 };
    const int km[] = { 100, 250, 280, 50, 300, 220, 200 };
    kmt_fleet_trip t[14];
    int n = 0;
    for (int d = 0; d < 7; d++) /* two trips a day, splitting the km */
        for (int h = 0; h < 2; h++)
            t[n++] = (kmt_fleet_trip){
                day[d] * 86400 + (8 + 5 * h) * 3600, day[d] * 86400 + (11 + 5 * h) * 3600, 0, 0, 0, -1, km[d] * 500, 1
            };
    kmt_fleet_vehicle veh = { 0, -1, 1, 2, 0, 30000, 1.2, 0, 20, 0 };
    kmt_fleet_site site = { { 10.0, 56.0 } };
    kmt_fleet_input in = {
        t, (size_t)n, &veh, 1, &site, 1, 0, (int64_t)DAY_2024_01_01 * 86400, (int64_t)(DAY_2024_01_01 + 366) * 86400
    };
    kmt_fleet_ev_opts o;
    kmt_fleet_ev_opts_default(&o);
    o.range_km = 300, o.margin = 0.1, o.winter_factor = 0.75; /* 270 km, winter 202.5 km */
    kmt_fleet_ev r;
    ASSERT_EQ_INT(kmt_fleet_ev_run(&in, &o, &r, NULL), 0);
    ASSERT_EQ_INT(r.v[0].days_driven, 7);
    ASSERT_EQ_INT(r.v[0].days_failing, 3);
    ASSERT_EQ_INT(r.v[0].fail_days[0], DAY_2024_01_01 + 1);
    ASSERT_EQ_INT(r.v[0].fail_days[1], DAY_2024_06_03 + 2);
    ASSERT_EQ_INT(r.v[0].fail_days[2], DAY_2024_06_03 + 4);
    ASSERT_NEAR(r.v[0].max_day_km, 300, 1e-9);
    ASSERT_EQ_INT(r.v[0].suitable, 0);
    ASSERT_EQ_INT(r.suitable, 0);
    kmt_fleet_ev_destroy(&r);
    /* a longer range passes every day; the plan counts it */
    o.range_km = 400;
    ASSERT_EQ_INT(kmt_fleet_ev_run(&in, &o, &r, NULL), 0);
    ASSERT_EQ_INT(r.v[0].days_failing, 0);
    ASSERT_EQ_INT(r.suitable, 1);
    ASSERT(r.d_co2_kg_year < 0);
    kmt_fleet_ev_destroy(&r);
    /* bad options are refused */
    o.range_km = 0;
    ASSERT_EQ_INT(kmt_fleet_ev_run(&in, &o, &r, NULL), KMT_EINVAL);
}

/* ---- place ----------------------------------------------------------------- */

KMT_TEST(fleet_place_equals_brute_force)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 11);
    kmt_fleet_site sites[2] = { { { 10.0, 56.0 } }, { { 10.1, 56.0 } } };
    for (int round = 0; round < 60; round++) {
        kmt_fleet_trip t[12];
        int n = 2 + (int)kmt_rng_below(&rng, 10);
        random_trips(&rng, t, n, 2, 0);
        kmt_fleet_vehicle veh[3];
        int V = 1 + (int)kmt_rng_below(&rng, 3);
        for (int v = 0; v < V; v++)
            veh[v] = (kmt_fleet_vehicle){ (int32_t)kmt_rng_below(&rng, 2), -1, 1, 1, 0, 0, 0, 0, 0, 0 };
        for (int i = 0; i < n; i++) t[i].vehicle = 0;
        kmt_fleet_input in = { t, (size_t)n, veh, (size_t)V, sites, 2, 0, 0, 86400 };
        kmt_fleet_place_opts o;
        kmt_fleet_place_opts_default(&o);
        o.move_cost_per_km = (round % 3) * 300.0; /* sometimes moving is dear */
        kmt_fleet_place r;
        ASSERT_EQ_INT(kmt_fleet_place_run(&in, &o, &r, NULL), 0);
        /* brute force over vehicle -> site 0, site 1 or surplus */
        double km01 = kmt_geo_haversine_m(sites[0].pos, sites[1].pos) / 1000.0;
        int32_t idx[2][12];
        int ni[2] = { 0, 0 };
        double avg[2] = { 0, 0 };
        for (int i = 0; i < n; i++) idx[t[i].site][ni[t[i].site]++] = i, avg[t[i].site] += t[i].m / 1000.0;
        double best = INFINITY;
        int combos = 1;
        for (int v = 0; v < V; v++) combos *= 3;
        for (int cmb = 0; cmb < combos; cmb++) {
            int at[3], x = cmb, have[2] = { 0, 0 };
            double obj = 0;
            for (int v = 0; v < V; v++) {
                at[v] = x % 3, x /= 3;
                if (at[v] < 2) {
                    have[at[v]]++;
                    if (at[v] != veh[v].site) obj += km01 * o.move_cost_per_km;
                }
            }
            for (int s = 0; s < 2; s++) {
                if (!ni[s]) continue;
                double per = avg[s] / ni[s] * o.uncovered_per_km * 365.0;
                int64_t full = kmt_fleet_max_covered(t, idx[s], (size_t)ni[s], 64, 0, NULL);
                int64_t got = kmt_fleet_max_covered(t, idx[s], (size_t)ni[s], have[s], 0, NULL);
                obj += (double)(full - got) * per;
            }
            if (obj < best) best = obj;
        }
        ASSERT_NEAR(r.objective, best, 1e-6 * (1 + fabs(best)));
        kmt_fleet_place_destroy(&r);
    }
}

KMT_TEST(fleet_assign_small)
{
    const double c[9] = { 4, 1, 3, 2, 0, 5, 3, 2, 2 };
    int as[3];
    ASSERT_NEAR(kmt_fleet_assign(c, 3, 3, as), 5, 1e-12);
    ASSERT_EQ_INT(as[0], 1);
    ASSERT_EQ_INT(as[1], 0);
    ASSERT_EQ_INT(as[2], 2);
}

/* ---- compose --------------------------------------------------------------- */

static void catalogue(kmt_fleet_model *m)
{
    memset(m, 0, 4 * sizeof *m);
    strcpy(m[0].name, "small EV");
    m[0].kind = 1, m[0].fuel = KMT_FLEET_FUEL_ELECTRIC, m[0].range_m = 150000;
    m[0].wh_per_km = 160, m[0].fixed_per_year = 30000, m[0].cost_per_km = 0.3;
    strcpy(m[1].name, "large EV");
    m[1].kind = 1, m[1].fuel = KMT_FLEET_FUEL_ELECTRIC, m[1].range_m = 350000;
    m[1].wh_per_km = 190, m[1].fixed_per_year = 42000, m[1].cost_per_km = 0.3;
    strcpy(m[2].name, "petrol");
    m[2].kind = 1, m[2].fuel = KMT_FLEET_FUEL_PETROL, m[2].range_m = 0;
    m[2].km_per_litre = 18, m[2].fixed_per_year = 33000, m[2].cost_per_km = 0.5;
    strcpy(m[3].name, "e-bike");
    m[3].kind = KMT_FLEET_KIND_EBIKE, m[3].fuel = KMT_FLEET_FUEL_ELECTRIC, m[3].range_m = 50000;
    m[3].wh_per_km = 10, m[3].fixed_per_year = 3000;
}

KMT_TEST(fleet_compose_best_replays_and_beats_bound)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 3);
    kmt_fleet_model m[4];
    catalogue(m);
    for (int round = 0; round < 25; round++) {
        kmt_fleet_trip t[40];
        int n = 4 + (int)kmt_rng_below(&rng, 36);
        for (int i = 0; i < n; i++) {
            int64_t d = (int64_t)kmt_rng_below(&rng, 3);
            t[i].start = d * 86400 + 7 * 3600 + (int64_t)kmt_rng_below(&rng, 30) * 600;
            t[i].end = t[i].start + 1800 + (int64_t)kmt_rng_below(&rng, 8) * 900;
            t[i].vehicle = 0, t[i].site = t[i].end_site = 0, t[i].dept = -1;
            t[i].m = 1000 * (int32_t)(2 + kmt_rng_below(&rng, round % 2 ? 200 : 60));
            t[i].kind = KMT_FLEET_KIND_CAR;
        }
        kmt_fleet_compose_opts o;
        kmt_fleet_compose_opts_default(&o);
        o.allow_uncovered = round % 3 == 0;
        o.bike_max_km = round % 4 == 0 ? 5 : 0;
        o.best = 3;
        kmt_fleet_compose r;
        ASSERT_EQ_INT(kmt_fleet_compose_run(t, (size_t)n, 3, m, 4, &o, &r, NULL), 0);
        ASSERT(r.nfleets >= 1);
        ASSERT(r.fleets[0].verified);
        ASSERT(r.fleets[0].objective >= r.lower_bound - 1e-6);
        for (size_t k = 1; k < r.nfleets; k++) ASSERT(r.fleets[k].objective >= r.fleets[k - 1].objective);
        /* the search is exact over fleets the replay can serve: brute force */
        if (r.exhaustive && !o.allow_uncovered) {
            double best = INFINITY;
            int32_t cnt[4];
            for (cnt[0] = 0; cnt[0] <= 6; cnt[0]++)
                for (cnt[1] = 0; cnt[1] <= 6; cnt[1]++)
                    for (cnt[2] = 0; cnt[2] <= 6; cnt[2]++)
                        for (cnt[3] = 0; cnt[3] <= (o.bike_max_km > 0 ? 4 : 0); cnt[3]++) {
                            kmt_fleet_fleet f;
                            if (kmt_fleet_replay(t, (size_t)n, 3, m, 4, cnt, &o, &f, NULL, NULL) && f.objective < best)
                                best = f.objective;
                        }
            if (r.fleets[0].vehicles <= 6) ASSERT_NEAR(r.fleets[0].objective, best, 1e-6 * best);
            /* cut short, the bound stays below the optimum */
            kmt_fleet_compose r2;
            o.max_nodes = 12;
            ASSERT_EQ_INT(kmt_fleet_compose_run(t, (size_t)n, 3, m, 4, &o, &r2, NULL), 0);
            ASSERT(r2.lower_bound <= best + 1e-6 * best);
            ASSERT(r2.nfleets >= 1 && r2.fleets[0].verified);
            kmt_fleet_compose_destroy(&r2);
            o.max_nodes = 0;
        }
        kmt_fleet_compose_destroy(&r);
    }
}

KMT_TEST(fleet_compose_constructed)
{
    /* two cars at once every day; one of them drives 200 km on day 2 */
    kmt_fleet_trip t[6];
    for (int d = 0; d < 3; d++) {
        t[2 * d] = (kmt_fleet_trip){ d * 86400 + 8 * 3600, d * 86400 + 12 * 3600, 0, 0, 0, -1, 40000, 1 };
        t[2 * d + 1] =
            (kmt_fleet_trip){ d * 86400 + 9 * 3600, d * 86400 + 15 * 3600, 0, 0, 0, -1, d == 2 ? 200000 : 60000, 1 };
    }
    kmt_fleet_model m[4];
    catalogue(m);
    kmt_fleet_compose_opts o;
    kmt_fleet_compose_opts_default(&o);
    kmt_fleet_compose r;
    ASSERT_EQ_INT(kmt_fleet_compose_run(t, 6, 3, m, 3, &o, &r, NULL), 0);
    ASSERT_EQ_INT(r.fleets[0].vehicles, 2);
    ASSERT_EQ_INT(r.fleets[0].count[0], 1); /* one small EV */
    ASSERT_EQ_INT(r.fleets[0].count[0] + r.fleets[0].count[1] + r.fleets[0].count[2], 2);
    ASSERT(r.fleets[0].count[1] + r.fleets[0].count[2] == 1); /* one that reaches 200 km */
    ASSERT(r.exhaustive);
    ASSERT(r.fleets[0].objective >= r.lower_bound - 1e-6);
    ASSERT_EQ_INT(r.assignment[5] >= 0, 1);
    kmt_fleet_compose_destroy(&r);
    /* a 500 km trip fits no model: refused unless uncovered trips are allowed */
    t[0].m = 500000;
    kmt_error e;
    ASSERT_EQ_INT(kmt_fleet_compose_run(t, 6, 3, m, 2, &o, &r, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "fits no model");
    o.allow_uncovered = 1;
    ASSERT_EQ_INT(kmt_fleet_compose_run(t, 6, 3, m, 2, &o, &r, &e), 0);
    ASSERT(r.fleets[0].uncovered_trips >= 1);
    kmt_fleet_compose_destroy(&r);
}

KMT_TEST(fleet_excluded_vehicles_do_not_count)
{
    kmt_fleet_trip t[1] = { { 0, 3600, 0, 0, 0, -1, 1000, KMT_FLEET_KIND_CAR } };
    kmt_fleet_vehicle veh[2] = { { 0, -1, 1, 1, 0, 0, 0, 0, 0, 0 }, { 0, -1, 1, 1, 0, 0, 0, 0, 0, 1 } };
    kmt_fleet_site site = { { 10.0, 56.0 } };
    kmt_fleet_input in = { t, 1, veh, 2, &site, 1, 0, 0, 86400 };
    kmt_fleet_size_opts so;
    kmt_fleet_size_opts_default(&so);
    kmt_fleet_size r;
    ASSERT_EQ_INT(kmt_fleet_size_run(&in, &so, &r, NULL), 0);
    ASSERT_EQ_INT(r.sites[0].current_vehicles, 1);
    kmt_fleet_size_destroy(&r);
    kmt_fleet_report_opts ro;
    kmt_fleet_report_opts_default(&ro);
    kmt_fleet_report rr;
    ASSERT_EQ_INT(kmt_fleet_report_run(&in, &ro, &rr, NULL), 0);
    ASSERT_EQ_INT(rr.total.vehicles, 1);
    kmt_fleet_report_destroy(&rr);
    kmt_fleet_place_opts po;
    kmt_fleet_place_opts_default(&po);
    kmt_fleet_place pr;
    ASSERT_EQ_INT(kmt_fleet_place_run(&in, &po, &pr, NULL), 0);
    ASSERT_EQ_INT(pr.site_of[0], 0);
    ASSERT_EQ_INT(pr.site_of[1], -1);
    ASSERT_EQ_INT(pr.surplus, 0);
    kmt_fleet_place_destroy(&pr);
}

KMT_TEST(fleet_compose_mixed_kinds_random)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 17);
    kmt_fleet_model m[5];
    catalogue(m);
    memset(&m[4], 0, sizeof m[4]);
    strcpy(m[4].name, "diesel van");
    m[4].kind = KMT_FLEET_KIND_VAN, m[4].fuel = KMT_FLEET_FUEL_DIESEL, m[4].km_per_litre = 14;
    m[4].fixed_per_year = 45000, m[4].cost_per_km = 0.9;
    for (int round = 0; round < 30; round++) {
        kmt_fleet_trip t[30];
        int n = 3 + (int)kmt_rng_below(&rng, 27);
        for (int i = 0; i < n; i++) {
            int64_t d = (int64_t)kmt_rng_below(&rng, 4);
            t[i].start = d * 86400 + 7 * 3600 + (int64_t)kmt_rng_below(&rng, 40) * 600;
            t[i].end = t[i].start + 600 + (int64_t)kmt_rng_below(&rng, 12) * 900;
            t[i].vehicle = 0, t[i].site = t[i].end_site = 0, t[i].dept = -1;
            t[i].m = 1000 * (int32_t)(1 + kmt_rng_below(&rng, 180));
            t[i].kind = kmt_rng_below(&rng, 4) ? KMT_FLEET_KIND_CAR : KMT_FLEET_KIND_VAN;
        }
        kmt_fleet_compose_opts o;
        kmt_fleet_compose_opts_default(&o);
        o.any_kind = round % 2;
        o.allow_uncovered = round % 3 == 1;
        o.bike_max_km = 5;
        o.co2_weight = (double)(round % 11);
        o.changeover_s = (round % 2) * 300;
        if (round % 5 == 4) o.max_nodes = 20; /* cut short: greedy + local search, weaker bound */
        kmt_fleet_compose r;
        ASSERT_EQ_INT(kmt_fleet_compose_run(t, (size_t)n, 4, m, 5, &o, &r, NULL), 0);
        if (round % 5 == 4) ASSERT_EQ_INT(r.exhaustive, 0);
        ASSERT(r.nfleets >= 1);
        for (size_t k = 0; k < r.nfleets; k++) {
            ASSERT(r.fleets[k].verified);
            ASSERT(r.fleets[k].objective >= r.lower_bound - 1e-6);
            kmt_fleet_fleet f;
            int ok = kmt_fleet_replay(t, (size_t)n, 4, m, 5, r.fleets[k].count, &o, &f, NULL, NULL);
            ASSERT(ok || o.allow_uncovered);
            ASSERT_NEAR(f.objective, r.fleets[k].objective, 1e-6 * f.objective);
        }
        /* the best fleet's assignment serves each covered trip with a fitting model */
        for (int i = 0; i < n; i++) {
            int32_t v = r.assignment[i];
            if (v < 0) {
                ASSERT(o.allow_uncovered);
                continue;
            }
            const kmt_fleet_model *md = &m[r.vehicle_model[v]];
            ASSERT(md->range_m == 0 || t[i].m <= md->range_m);
        }
        kmt_fleet_compose_destroy(&r);
    }
}
