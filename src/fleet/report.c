/* SPDX-License-Identifier: MPL-2.0 */
/* fleet report: days used, hours in use, km, trips and utilisation per
 * vehicle, site and department. */
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

void kmt_fleet_report_opts_default(kmt_fleet_report_opts *o)
{
    o->work_start_s = 7 * 3600;
    o->work_end_s = 17 * 3600;
    o->work_days = 5;
    o->low_util = 0.10;
}

/* ISO weekday (0 = Monday) of a day number; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Seconds of [a, b) inside working hours. */
static int64_t work_overlap(int64_t a, int64_t b, const kmt_fleet_report_opts *o)
{
    int64_t sum = 0;
    for (int64_t d = kmt__fleet_day(a); d * 86400 < b; d++) {
        if (weekday(d) >= o->work_days) continue;
        int64_t ws = d * 86400 + o->work_start_s, we = d * 86400 + o->work_end_s;
        int64_t lo = a > ws ? a : ws, hi = b < we ? b : we;
        if (hi > lo) sum += hi - lo;
    }
    return sum;
}

static void add_usage(kmt_fleet_usage *to, const kmt_fleet_usage *u)
{
    to->vehicles += u->vehicles;
    to->idle_vehicles += u->idle_vehicles;
    to->trips += u->trips;
    to->days_used += u->days_used;
    to->seconds_used += u->seconds_used;
    to->work_seconds_used += u->work_seconds_used;
    to->km += u->km;
}

static void finish(kmt_fleet_usage *u, int64_t work_per_vehicle, int64_t period_s)
{
    double wa = (double)work_per_vehicle * u->vehicles, pa = (double)period_s * u->vehicles;
    u->utilisation = wa > 0 ? u->work_seconds_used / wa : 0;
    u->utilisation_24h = pa > 0 ? u->seconds_used / pa : 0;
}

int kmt_fleet_report_run(const kmt_fleet_input *in, const kmt_fleet_report_opts *o, kmt_fleet_report *r, kmt_error *e)
{
    memset(r, 0, sizeof *r);
    int rc = kmt_fleet_input_check(in, e);
    if (rc) return rc;
    if (o->work_end_s <= o->work_start_s || o->work_start_s < 0 || o->work_end_s > 86400 || o->work_days < 1 ||
        o->work_days > 7)
        return kmt_error_set(e, KMT_EINVAL, "working hours must be a non-empty part of a day");
    size_t V = in->nvehicles, S = in->nsites, D = (size_t)in->ndepts;
    r->nvehicles = V, r->nsites = S, r->ndepts = D;
    r->vehicle = kmt_calloc(V ? V : 1, sizeof *r->vehicle);
    r->site = kmt_calloc(S + 1, sizeof *r->site);
    r->dept = kmt_calloc(D + 1, sizeof *r->dept);
    for (int64_t d = kmt__fleet_day(in->from); d * 86400 < in->to; d++)
        if (weekday(d) < o->work_days) r->work_seconds_per_vehicle += o->work_end_s - o->work_start_s;
    int64_t period_s = in->to - in->from;

    /* trips grouped by vehicle, each group by start */
    for (size_t i = 0; i < in->ntrips; i++)
        if (in->trips[i].vehicle < 0) {
            r->private_trips++;
            r->private_km += in->trips[i].m / 1000.0;
        }
    size_t *off;
    int32_t *by = kmt__fleet_by_vehicle(in, &off);
    for (size_t v = 0; v < V; v++) {
        kmt_fleet_usage *u = &r->vehicle[v];
        int32_t *ix = by + off[v];
        size_t n = off[v + 1] - off[v];
        if (in->vehicles[v].excluded) continue;
        u->vehicles = 1;
        u->trips = (int64_t)n;
        u->idle_vehicles = n == 0;
        int64_t cur_a = 0, cur_b = INT64_MIN, lastday = INT64_MIN;
        for (size_t k = 0; k < n; k++) {
            const kmt_fleet_trip *t = &in->trips[ix[k]];
            u->km += t->m / 1000.0;
            int64_t d = kmt__fleet_day(t->start);
            if (d != lastday) u->days_used++, lastday = d;
            if (t->start > cur_b) { /* close the current union piece */
                if (cur_b > cur_a) {
                    u->seconds_used += cur_b - cur_a;
                    u->work_seconds_used += work_overlap(cur_a, cur_b, o);
                }
                cur_a = t->start, cur_b = t->end;
            } else if (t->end > cur_b)
                cur_b = t->end;
        }
        if (cur_b > cur_a && n) {
            u->seconds_used += cur_b - cur_a;
            u->work_seconds_used += work_overlap(cur_a, cur_b, o);
        }
        finish(u, r->work_seconds_per_vehicle, period_s);
        int32_t s = in->vehicles[v].site, dp = in->vehicles[v].dept;
        add_usage(&r->site[s >= 0 ? (size_t)s : S], u);
        add_usage(&r->dept[dp >= 0 ? (size_t)dp : D], u);
        add_usage(&r->total, u);
    }
    for (size_t s = 0; s <= S; s++) finish(&r->site[s], r->work_seconds_per_vehicle, period_s);
    for (size_t d = 0; d <= D; d++) finish(&r->dept[d], r->work_seconds_per_vehicle, period_s);
    finish(&r->total, r->work_seconds_per_vehicle, period_s);
    kmt_free(by), kmt_free(off);
    return 0;
}

void kmt_fleet_report_destroy(kmt_fleet_report *r)
{
    if (!r) return;
    kmt_free(r->vehicle), kmt_free(r->site), kmt_free(r->dept);
    memset(r, 0, sizeof *r);
}
