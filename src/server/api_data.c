/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The data layers of the page, from the store given with --db (read once at
 * start-up): /data/sites, /data/vehicles (at their home sites), /data/density
 * (ends of logbook trips and travel records on a grid) and /data/summary (per site: vehicles, trips, km,
 * hours on the road; trips by hour of day).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static void kv_s(kmt_json *j, const char *k, const char *v)
{
    kmt_json_key(j, k);
    kmt_json_string(j, v);
}

static void kv_i(kmt_json *j, const char *k, int64_t v)
{
    kmt_json_key(j, k);
    kmt_json_int(j, v);
}

static void kv_d(kmt_json *j, const char *k, double v, int decimals)
{
    kmt_json_key(j, k);
    kmt_json_double(j, v, decimals);
}

static void coord_pair(kmt_json *j, kmt_coord c)
{
    /* kmt_json_double writes NaN as null */
    kv_d(j, "lon", c.lon, 6);
    kv_d(j, "lat", c.lat, 6);
}

typedef struct site_stats {
    int vehicles, trips;
    double km, hours;
} site_stats;

/* Per-site counts over the loaded data (index nsites: trips without a site). */
static site_stats *stats_per_site(const kmt_dataset *d)
{
    site_stats *st = kmt_calloc(d->sites.n + 1, sizeof *st);
    for (size_t i = 0; i < d->vehicles.n; i++) {
        int32_t si = d->vehicles.v[i].site;
        st[si >= 0 && (size_t)si < d->sites.n ? (size_t)si : d->sites.n].vehicles++;
    }
    for (size_t i = 0; i < d->trips.n; i++) {
        const kmt_trip *t = &d->trips.v[i];
        if (t->vehicle < 0) continue; /* private cars are not the fleet */
        int32_t si = t->site;
        site_stats *x = &st[si >= 0 && (size_t)si < d->sites.n ? (size_t)si : d->sites.n];
        x->trips++;
        x->km += t->km;
        if (t->start != KMT_TIME_NONE && t->end != KMT_TIME_NONE && t->end > t->start)
            x->hours += (double)(t->end - t->start) / 3600.0;
    }
    return st;
}

static void sites_json(const kmt_dataset *d, kmt_json *j)
{
    site_stats *st = stats_per_site(d);
    kmt_json_object_begin(j);
    kmt_json_key(j, "sites");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < d->sites.n; i++) {
        const kmt_site *s = &d->sites.v[i];
        kmt_json_object_begin(j);
        kv_s(j, "key", s->key);
        kv_s(j, "name", s->name);
        coord_pair(j, s->pos);
        kv_i(j, "vehicles", st[i].vehicles);
        kv_i(j, "trips", st[i].trips);
        kv_d(j, "km", st[i].km, 1);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    kmt_free(st);
}

static void vehicles_json(const kmt_dataset *d, kmt_json *j)
{
    int *trips = kmt_calloc(d->vehicles.n + 1, sizeof *trips);
    double *km = kmt_calloc(d->vehicles.n + 1, sizeof *km);
    for (size_t i = 0; i < d->trips.n; i++) {
        int32_t v = d->trips.v[i].vehicle;
        if (v >= 0 && (size_t)v < d->vehicles.n) trips[v]++, km[v] += d->trips.v[i].km;
    }
    kmt_json_object_begin(j);
    kmt_json_key(j, "vehicles");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < d->vehicles.n; i++) {
        const kmt_vehicle *v = &d->vehicles.v[i];
        kmt_json_object_begin(j);
        kv_s(j, "key", v->key);
        kv_s(j, "registration", v->registration);
        kv_s(j, "make", v->make);
        kv_s(j, "model", v->model);
        kv_s(j, "kind", kmt_vehicle_kind_name(v->kind));
        kv_s(j, "fuel", kmt_fuel_name(v->fuel));
        kmt_json_key(j, "site");
        int ok = v->site >= 0 && (size_t)v->site < d->sites.n;
        kmt_json_string(j, ok ? d->sites.v[v->site].key : "");
        coord_pair(j, ok ? d->sites.v[v->site].pos : (kmt_coord){ NAN, NAN });
        kv_i(j, "trips", trips[i]);
        kv_d(j, "km", km[i], 1);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    kmt_free(trips);
    kmt_free(km);
}

typedef struct cell {
    int64_t x, y;
    int n;
} cell;

static int cmp_cell(const void *a, const void *b)
{
    const cell *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return 0;
}

/* Starts and ends of logbook trips and travel records counted on a grid of `size` degrees: [[lon, lat, n], ...]
 * with lon/lat the cell's centre. Sorting the ends keeps memory at 2 x trips. */
static void density_json(const kmt_dataset *d, const kmt_dataset *t, double size, kmt_json *j)
{
    cell *c = kmt_malloc((2 * (d->trips.n + t->travel.n) + 1) * sizeof *c);
    size_t n = 0;
    for (size_t i = 0; i < d->trips.n + t->travel.n; i++) {
        kmt_coord p[2];
        if (i < d->trips.n)
            p[0] = d->trips.v[i].from, p[1] = d->trips.v[i].to;
        else
            p[0] = t->travel.v[i - d->trips.n].from, p[1] = t->travel.v[i - d->trips.n].to;
        for (int k = 0; k < 2; k++)
            if (kmt_geo_valid(p[k]))
                c[n++] = (cell){ (int64_t)floor(p[k].lon / size), (int64_t)floor(p[k].lat / size), 1 };
    }
    qsort(c, n, sizeof *c, cmp_cell);
    kmt_json_object_begin(j);
    kv_d(j, "cell", size, 6);
    kmt_json_key(j, "cells");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k < n && cmp_cell(&c[i], &c[k]) == 0) k++;
        kmt_json_array_begin(j);
        kmt_json_double(j, ((double)c[i].x + 0.5) * size, 6);
        kmt_json_double(j, ((double)c[i].y + 0.5) * size, 6);
        kmt_json_int(j, (int64_t)(k - i));
        kmt_json_array_end(j);
        i = k;
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    kmt_free(c);
}

/* Observed use per site (not the right-sizing analysis, which is `fleet size`):
 * hours on the road per vehicle and weekday over the data's period. */
static void summary_json(const kmt_dataset *d, kmt_json *j)
{
    site_stats *st = stats_per_site(d);
    kmt_time lo = KMT_TIME_NONE, hi = KMT_TIME_NONE;
    int by_hour[24] = { 0 };
    for (size_t i = 0; i < d->trips.n; i++) {
        const kmt_trip *t = &d->trips.v[i];
        if (t->start == KMT_TIME_NONE) continue;
        if (lo == KMT_TIME_NONE || t->start < lo) lo = t->start;
        if (hi == KMT_TIME_NONE || t->start > hi) hi = t->start;
        if (t->vehicle >= 0) by_hour[kmt_time_civil(t->start).hour]++;
    }
    double weekdays = 0;
    if (lo != KMT_TIME_NONE)
        for (int64_t day = kmt_time_day(lo); day <= kmt_time_day(hi); day++)
            weekdays += kmt_time_weekday(day * KMT_DAY) < 5;
    char a[32], b[32];
    kmt_json_object_begin(j);
    kv_s(j, "from", lo == KMT_TIME_NONE ? "" : kmt_time_format_date(lo, a, sizeof a));
    kv_s(j, "to", hi == KMT_TIME_NONE ? "" : kmt_time_format_date(hi, b, sizeof b));
    kv_i(j, "weekdays", (int64_t)weekdays);
    kmt_json_key(j, "trips_by_hour");
    kmt_json_array_begin(j);
    for (int h = 0; h < 24; h++) kmt_json_int(j, by_hour[h]);
    kmt_json_array_end(j);
    kmt_json_key(j, "sites");
    kmt_json_array_begin(j);
    for (size_t i = 0; i <= d->sites.n; i++) {
        if (i == d->sites.n && !st[i].vehicles && !st[i].trips) break;
        kmt_json_object_begin(j);
        kv_s(j, "key", i < d->sites.n ? d->sites.v[i].key : "");
        kv_s(j, "name", i < d->sites.n ? d->sites.v[i].name : "(no site)");
        kv_i(j, "vehicles", st[i].vehicles);
        kv_i(j, "trips", st[i].trips);
        kv_d(j, "km", st[i].km, 1);
        kv_d(j, "hours", st[i].hours, 1);
        kv_d(j, "hours_per_vehicle_weekday", st[i].vehicles && weekdays ? st[i].hours / st[i].vehicles / weekdays : 0,
             2);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    kmt_free(st);
}

void kmt__api_data(kmt__req *r, kmt__resp *out, const char *what)
{
    static const char *const none[] = { NULL };
    static const char *const density_args[] = { "cell", NULL };
    kmt__srv *s = r->srv;
    int which = strcmp(what, "sites") == 0      ? 1
                : strcmp(what, "vehicles") == 0 ? 2
                : strcmp(what, "density") == 0  ? 3
                : strcmp(what, "summary") == 0  ? 4
                                                : 0;
    if (!which) {
        kmt__error(out, 404, "NotFound", NULL, "no such data set: %.100s (sites, vehicles, density, summary)", what);
        return;
    }
    if (kmt__args_allowed(r, out, which == 3 ? density_args : none)) return;
    if (!s->have_data) {
        kmt__error(out, 503, "NoData", NULL, "the server runs without a store (start it with --db FILE)");
        return;
    }
    double size = 0.005;
    const char *cv = kmt__arg(r, "cell");
    if (which == 3 && cv) {
        char *end;
        size = strtod(cv, &end);
        if (end == cv || *end || !(size >= 0.0005 && size <= 1)) {
            kmt__error(out, 400, "InvalidQuery", "cell", "cell expects a size in degrees in [0.0005, 1], got '%.40s'",
                       cv);
            return;
        }
    }
    kmt_json j;
    kmt__json_start(out, &j);
    if (which == 1)
        sites_json(&s->data, &j);
    else if (which == 2)
        vehicles_json(&s->data, &j);
    else if (which == 3)
        density_json(&s->data, &s->travel, size, &j);
    else
        summary_json(&s->data, &j);
    kmt__json_done(out, &j);
}
