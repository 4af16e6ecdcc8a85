/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Fleet benchmarks on synthetic trips generated in memory:
 *  1. OS2FleetOptimiser's case: one site, 25 cars, 6,200 round trips in 3
 *     months: fleet size (with the service curve) + fleet ev, and compose.
 *  2. A year at Syddjurs scale: 300 vehicles at 40 sites (some within 1 km
 *     of each other), ~300,000 trips, ~4.5 million km: fleet size with
 *     pooling (minimum path cover per group).
 * Prints wall and CPU seconds and peak RSS. Usage: build/bench/fleet [seed]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/fleet.h"

typedef KMT_VEC(kmt_fleet_trip) trip_vec;

/* Trips of one site over `days` from day0 (a Monday), working days only:
 * per_day trips a day with starts peaking in the morning, 20 min to 3 h
 * long, each given to a random free vehicle of the site (dropped when none
 * is free, as the fleet of the logbook could not have driven it). */
static void gen_site(kmt_rng *r, trip_vec *out, const kmt_fleet_vehicle *veh, const int32_t *vs, size_t nv,
                     int64_t day0, int days, int per_day, double km_per_h)
{
    int64_t *free_at = calloc(nv ? nv : 1, sizeof *free_at);
    int32_t *cand = malloc((nv ? nv : 1) * sizeof *cand);
    int64_t *st = malloc((size_t)(per_day * 2 + 1) * sizeof *st);
    for (int d = 0; d < days; d++) {
        if (d % 7 >= 5) continue;
        int64_t base = (day0 + d) * 86400;
        int n = per_day / 2 + (int)kmt_rng_below(r, (uint64_t)per_day + 1);
        for (int i = 0; i < n; i++) { /* two bumps: 8-10 and 12-14 */
            int64_t c = kmt_rng_below(r, 3) ? 8 * 3600 : 12 * 3600;
            st[i] = base + c + (int64_t)((kmt_rng_double(r) + kmt_rng_double(r) - 1) * 3 * 3600);
        }
        for (int i = 1; i < n; i++)
            for (int k = i; k > 0 && st[k] < st[k - 1]; k--) {
                int64_t x = st[k];
                st[k] = st[k - 1];
                st[k - 1] = x;
            }
        for (int i = 0; i < n; i++) {
            int64_t dur = 1200 + (int64_t)kmt_rng_below(r, 160 * 60);
            size_t nc = 0;
            for (size_t k = 0; k < nv; k++)
                if (free_at[k] <= st[i]) cand[nc++] = (int32_t)k;
            if (!nc) continue;
            size_t k = (size_t)cand[kmt_rng_below(r, nc)];
            free_at[k] = st[i] + dur + 300; /* OS2FleetOptimiser's 5 min changeover */
            const kmt_fleet_vehicle *v = &veh[vs[k]];
            double km = km_per_h * dur / 3600.0 * (0.4 + 0.8 * kmt_rng_double(r));
            if (kmt_rng_below(r, 60) == 0) km *= 5; /* an occasional long trip */
            kmt_fleet_trip t = { st[i], st[i] + dur, vs[k], v->site, v->site, v->dept, (int32_t)(km * 1000), v->kind };
            KMT_VEC_PUSH(*out, t);
        }
    }
    free(free_at), free(cand), free(st);
}

static void timing(const char *what, double w0, double c0)
{
    printf("  %-44s %8.3f s wall %8.3f s cpu   peak RSS %ld MB\n", what, kmt_now_monotonic() - w0, kmt_now_cpu() - c0,
           kmt_peak_rss_kb() / 1024);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    kmt_rng r;
    kmt_rng_seed(&r, seed);
    const int64_t day0 = 19723; /* 2024-01-01, a Monday */

    /* ---- 1: one site, 25 cars, 3 months -------------------------------- */
    kmt_fleet_vehicle veh[400];
    for (int v = 0; v < 25; v++)
        veh[v] = (kmt_fleet_vehicle){ 0, 0, KMT_FLEET_KIND_CAR, KMT_FLEET_FUEL_PETROL, 0, 30000, 1.5, 0, 18, 0 };
    kmt_fleet_site site = { { 10.0, 56.0 } };
    trip_vec tr = { 0 };
    int32_t all[400];
    for (int v = 0; v < 400; v++) all[v] = v;
    gen_site(&r, &tr, veh, all, 25, day0, 91, 108, 12);
    kmt_fleet_input in = { tr.v, tr.n, veh, 25, &site, 1, 1, day0 * 86400, (day0 + 91) * 86400 };
    double km = 0;
    for (size_t i = 0; i < tr.n; i++) km += tr.v[i].m / 1000.0;
    printf("fleet bench (seed %llu)\n1. one site, 25 cars, %zu round trips, %.0f km, 91 days "
           "(OS2FleetOptimiser's case)\n",
           (unsigned long long)seed, tr.n, km);
    double w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    kmt_fleet_size_opts so;
    kmt_fleet_size_opts_default(&so);
    so.changeover_s = 5 * 60;
    kmt_fleet_size sz;
    kmt_fleet_size_run(&in, &so, &sz, NULL);
    kmt_fleet_ev_opts eo;
    kmt_fleet_ev_opts_default(&eo);
    kmt_fleet_ev ev;
    kmt_fleet_ev_run(&in, &eo, &ev, NULL);
    timing("fleet size (+ service curve) + fleet ev", w0, c0);
    printf("     min vehicles %d of 25 (changeover 5 min); %d could be EVs\n", sz.sites[0].min_vehicles, ev.suitable);
    kmt_fleet_size_destroy(&sz);
    kmt_fleet_ev_destroy(&ev);
    kmt_fleet_model cat[5];
    memset(cat, 0, sizeof cat);
    const char *names[5] = { "small EV 250 km", "EV 400 km", "petrol", "e-bike", "diesel van" };
    const int kinds[5] = { 1, 1, 1, 4, 2 }, fuels[5] = { 3, 3, 1, 3, 2 }, rng_km[5] = { 250, 400, 0, 60, 0 };
    const double wh[5] = { 150, 175, 0, 10, 0 }, kpl[5] = { 0, 0, 20, 0, 14 },
                 fx[5] = { 32000, 42000, 30000, 4000, 45000 }, cpk[5] = { 0.4, 0.4, 0.6, 0.2, 0.9 };
    for (int m = 0; m < 5; m++) {
        snprintf(cat[m].name, sizeof cat[m].name, "%s", names[m]);
        cat[m].kind = (uint8_t)kinds[m], cat[m].fuel = (uint8_t)fuels[m], cat[m].range_m = rng_km[m] * 1000;
        cat[m].wh_per_km = wh[m], cat[m].km_per_litre = kpl[m], cat[m].fixed_per_year = fx[m];
        cat[m].cost_per_km = cpk[m];
    }
    w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    kmt_fleet_compose_opts co;
    kmt_fleet_compose_opts_default(&co);
    co.changeover_s = 5 * 60;
    co.bike_max_km = 5;
    kmt_fleet_compose cr;
    kmt_fleet_compose_run(tr.v, tr.n, 91, cat, 5, &co, &cr, NULL);
    timing("fleet compose (5 models, exact search)", w0, c0);
    if (cr.nfleets)
        printf("     best: %d vehicles (%d small EV, %d EV, %d petrol, %d e-bike), objective %.0f, "
               "bound %.0f (gap %.2f %%), %lld fleets replayed, %s\n",
               cr.fleets[0].vehicles, cr.fleets[0].count[0], cr.fleets[0].count[1], cr.fleets[0].count[2],
               cr.fleets[0].count[3], cr.fleets[0].objective, cr.lower_bound,
               100 * (cr.fleets[0].objective - cr.lower_bound) / cr.lower_bound, (long long)cr.evaluated,
               cr.exhaustive ? "exhaustive" : "cut short");
    kmt_fleet_compose_destroy(&cr);
    KMT_VEC_FREE(tr);

    /* ---- 2: a year at Syddjurs scale ---------------------------------- */
    enum { NS = 40, NV = 300 };
    kmt_fleet_site sites[NS];
    for (int s = 0; s < NS; s++) { /* 10 towns of 4 sites 200-900 m apart */
        double lon = 10.2 + 0.3 * (s / 4 % 5), lat = 56.2 + 0.2 * (s / 20);
        sites[s].pos = (kmt_coord){ lon + 0.004 * (s % 4) * (1 + kmt_rng_double(&r)), lat + 0.002 * (s % 2) };
    }
    for (int v = 0; v < NV; v++)
        veh[v] = (kmt_fleet_vehicle){ (int32_t)kmt_rng_below(&r, NS),
                                      (int32_t)(v % 12),
                                      (uint8_t)(v % 10 == 0 ? KMT_FLEET_KIND_VAN : KMT_FLEET_KIND_CAR),
                                      KMT_FLEET_FUEL_PETROL,
                                      0,
                                      30000,
                                      1.5,
                                      0,
                                      18,
                                      0 };
    for (int s = 0; s < NS; s++) {
        int32_t mine[NV];
        size_t nm = 0;
        for (int v = 0; v < NV; v++)
            if (veh[v].site == s && veh[v].kind == KMT_FLEET_KIND_CAR) mine[nm++] = v;
        gen_site(&r, &tr, veh, mine, nm, day0, 366, (int)(nm * 3 / 2), 25);
        nm = 0;
        for (int v = 0; v < NV; v++)
            if (veh[v].site == s && veh[v].kind == KMT_FLEET_KIND_VAN) mine[nm++] = v;
        gen_site(&r, &tr, veh, mine, nm, day0, 366, (int)(nm * 3 / 2), 25);
    }
    km = 0;
    for (size_t i = 0; i < tr.n; i++) km += tr.v[i].m / 1000.0;
    kmt_fleet_input yin = { tr.v, tr.n, veh, NV, sites, NS, 12, day0 * 86400, (day0 + 366) * 86400 };
    printf("2. a year at Syddjurs scale: %d vehicles, %d sites, %zu trips, %.2f million km\n", NV, NS, tr.n, km / 1e6);
    w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    so.changeover_s = 0;
    so.pool_m = 1000;
    so.curve = 0;
    kmt_fleet_size_run(&yin, &so, &sz, NULL);
    timing("fleet size, pooling < 1000 m (no curve)", w0, c0);
    int multi = 0;
    for (size_t g = 0; g < sz.ngroups; g++) multi += sz.groups[g].nsites > 1;
    printf("     %d vehicles now, %d per site, %d pooled (%d groups of 2+ sites)\n", sz.current_total, sz.min_total,
           sz.min_pooled_total, multi);
    kmt_fleet_size_destroy(&sz);
    w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    so.curve = 1;
    kmt_fleet_size_run(&yin, &so, &sz, NULL);
    timing("fleet size, pooling + service curve", w0, c0);
    kmt_fleet_size_destroy(&sz);
    w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    kmt_fleet_ev_run(&yin, &eo, &ev, NULL);
    timing("fleet ev", w0, c0);
    kmt_fleet_ev_destroy(&ev);
    w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    kmt_fleet_report_opts ro;
    kmt_fleet_report_opts_default(&ro);
    kmt_fleet_report rr;
    kmt_fleet_report_run(&yin, &ro, &rr, NULL);
    timing("fleet report", w0, c0);
    kmt_fleet_report_destroy(&rr);
    w0 = kmt_now_monotonic(), c0 = kmt_now_cpu();
    kmt_fleet_place_opts po;
    kmt_fleet_place_opts_default(&po);
    kmt_fleet_place pr;
    kmt_fleet_place_run(&yin, &po, &pr, NULL);
    timing("fleet place", w0, c0);
    printf("     moved %d, surplus %d\n", pr.moved, pr.surplus);
    kmt_fleet_place_destroy(&pr);
    KMT_VEC_FREE(tr);
    return 0;
}
