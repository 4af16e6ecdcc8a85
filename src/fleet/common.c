/* SPDX-License-Identifier: MPL-2.0 */
/* Shared helpers of the fleet engines: input checks, sorting, peak use, factors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

typedef struct {
    int64_t key;
    int32_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

void kmt__fleet_sort_by_key(const int64_t *key, int32_t *idx, size_t n)
{
    keyed *k = kmt_malloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) k[i] = (keyed){ key[idx[i]], idx[i] };
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++) idx[i] = k[i].idx;
    kmt_free(k);
}

void kmt__fleet_sort_by_start(const kmt_fleet_trip *trips, int32_t *idx, size_t n)
{
    keyed *k = kmt_malloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++) k[i] = (keyed){ trips[idx[i]].start, idx[i] };
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++) idx[i] = k[i].idx;
    kmt_free(k);
}

/* Events sort by time; at equal times ends (key bit 0 = 0) before starts. */
int32_t kmt__fleet_peak(const kmt_fleet_trip *trips, const int32_t *idx, size_t n, int64_t c, int64_t *when,
                        int32_t *active, size_t *nactive)
{
    keyed *ev = kmt_malloc((2 * n + 1) * sizeof *ev);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const kmt_fleet_trip *t = &trips[idx[i]];
        ev[m++] = (keyed){ t->start * 2 + 1, 1 };
        ev[m++] = (keyed){ kmt__fleet_ready(t, c) * 2, -1 };
    }
    qsort(ev, m, sizeof *ev, cmp_keyed);
    int32_t cur = 0, best = 0;
    int64_t at = 0;
    for (size_t i = 0; i < m; i++) {
        cur += ev[i].idx;
        if (cur > best) {
            best = cur;
            at = ev[i].key >> 1;
        }
    }
    kmt_free(ev);
    if (when) *when = at;
    if (active) {
        size_t k = 0;
        if (best > 0)
            for (size_t i = 0; i < n; i++) {
                const kmt_fleet_trip *t = &trips[idx[i]];
                if (t->start <= at && at < kmt__fleet_ready(t, c)) active[k++] = idx[i];
            }
        *nactive = k;
    }
    return best;
}

int32_t *kmt__fleet_by_vehicle(const kmt_fleet_input *in, size_t **offp)
{
    size_t V = in->nvehicles;
    size_t *off = kmt_calloc(V + 1, sizeof *off);
    for (size_t i = 0; i < in->ntrips; i++)
        if (in->trips[i].vehicle >= 0) off[in->trips[i].vehicle + 1]++;
    for (size_t v = 0; v < V; v++) off[v + 1] += off[v];
    int32_t *by = kmt_malloc((off[V] + 1) * sizeof *by);
    size_t *fill = kmt_malloc((V + 1) * sizeof *fill);
    memcpy(fill, off, (V + 1) * sizeof *fill);
    for (size_t i = 0; i < in->ntrips; i++)
        if (in->trips[i].vehicle >= 0) by[fill[in->trips[i].vehicle]++] = (int32_t)i;
    kmt_free(fill);
    for (size_t v = 0; v < V; v++) kmt__fleet_sort_by_start(in->trips, by + off[v], off[v + 1] - off[v]);
    *offp = off;
    return by;
}

int64_t kmt_fleet_days(const kmt_fleet_input *in)
{
    int64_t d = (in->to - in->from + 86399) / 86400;
    return d < 1 ? 1 : d;
}

int kmt_fleet_input_check(const kmt_fleet_input *in, kmt_error *e)
{
    if (in->to <= in->from) return kmt_error_set(e, KMT_EINVAL, "the period is empty (to <= from)");
    for (size_t i = 0; i < in->ntrips; i++) {
        const kmt_fleet_trip *t = &in->trips[i];
        if (t->end < t->start) return kmt_error_set(e, KMT_EINVAL, "trip %zu ends before it starts", i);
        if (t->m < 0) return kmt_error_set(e, KMT_EINVAL, "trip %zu has a negative length", i);
        if (t->vehicle >= (int32_t)in->nvehicles || t->vehicle < -1)
            return kmt_error_set(e, KMT_EINVAL, "trip %zu: vehicle index %d out of range", i, (int)t->vehicle);
        if (t->site >= (int32_t)in->nsites || t->site < -1 || t->end_site >= (int32_t)in->nsites || t->end_site < -1)
            return kmt_error_set(e, KMT_EINVAL, "trip %zu: site index out of range", i);
        if (t->dept >= in->ndepts || t->dept < -1)
            return kmt_error_set(e, KMT_EINVAL, "trip %zu: department index out of range", i);
        if (t->kind >= KMT_FLEET_NKIND) return kmt_error_set(e, KMT_EINVAL, "trip %zu: kind %d unknown", i, t->kind);
    }
    for (size_t i = 0; i < in->nvehicles; i++) {
        const kmt_fleet_vehicle *v = &in->vehicles[i];
        if (v->site >= (int32_t)in->nsites || v->site < -1)
            return kmt_error_set(e, KMT_EINVAL, "vehicle %zu: site index out of range", i);
        if (v->dept >= in->ndepts || v->dept < -1)
            return kmt_error_set(e, KMT_EINVAL, "vehicle %zu: department index out of range", i);
        if (v->kind >= KMT_FLEET_NKIND || v->fuel >= KMT_FLEET_NFUEL)
            return kmt_error_set(e, KMT_EINVAL, "vehicle %zu: kind or fuel unknown", i);
    }
    return 0;
}

/* The fallback when no factors file is found: the DK values of
 * data/factors/nordic-2024.json (format_version 2; docs/factors.md gives
 * their sources; a test keeps the two equal). Prices of fuel and
 * electricity are assumptions. */
void kmt_fleet_factors_default(kmt_fleet_factors *f)
{
    memset(f, 0, sizeof *f);
    f->co2_g_per_litre[KMT_FLEET_FUEL_PETROL] = 2520;
    f->co2_g_per_litre[KMT_FLEET_FUEL_HYBRID] = 2520;
    f->co2_g_per_litre[KMT_FLEET_FUEL_PLUGIN] = 2520;
    f->co2_g_per_litre[KMT_FLEET_FUEL_UNKNOWN] = 2520;
    f->co2_g_per_litre[KMT_FLEET_FUEL_DIESEL] = 2980;
    f->co2_g_per_litre[KMT_FLEET_FUEL_HVO] = 894;
    f->co2_g_per_litre[KMT_FLEET_FUEL_BIOGAS] = 894;
    f->kwh_per_litre[KMT_FLEET_FUEL_PETROL] = 8.9;
    f->kwh_per_litre[KMT_FLEET_FUEL_HYBRID] = 8.9;
    f->kwh_per_litre[KMT_FLEET_FUEL_PLUGIN] = 8.9;
    f->kwh_per_litre[KMT_FLEET_FUEL_UNKNOWN] = 8.9;
    f->kwh_per_litre[KMT_FLEET_FUEL_DIESEL] = 9.8;
    f->kwh_per_litre[KMT_FLEET_FUEL_HVO] = 9.8;    /* diesel's (assumption) */
    f->kwh_per_litre[KMT_FLEET_FUEL_BIOGAS] = 8.9; /* per litre of petrol equivalent */
    for (int i = 0; i < KMT_FLEET_NFUEL; i++) f->price_per_litre[i] = 14.0;
    f->price_per_litre[KMT_FLEET_FUEL_DIESEL] = 13.0;
    f->price_per_litre[KMT_FLEET_FUEL_HVO] = 17.0;
    f->co2_g_per_kwh = 89;
    f->price_per_kwh = 2.5;
    f->co2_price_per_tonne = 1500;
    f->allowance_per_km = 3.79;
    f->private_co2_g_per_km = 141;
    /* the file's DK fleet_car rows: 141 g/km over the fuel's kg/l; HVO 4.73 l/100 km */
    for (int i = 0; i < KMT_FLEET_NFUEL; i++) f->litres_per_km[i] = 141.0 / 2520.0;
    f->litres_per_km[KMT_FLEET_FUEL_DIESEL] = 141.0 / 2980.0;
    f->litres_per_km[KMT_FLEET_FUEL_HVO] = 0.0473;
    f->kwh_per_km = 0.18;
}

kmt_fleet_energy kmt_fleet_energy_of(const kmt_fleet_factors *f, uint8_t fuel, double wh_per_km, double km_per_litre,
                                     double km)
{
    kmt_fleet_energy r = { 0, 0, 0 };
    if (fuel >= KMT_FLEET_NFUEL) fuel = 0;
    if (fuel == KMT_FLEET_FUEL_NONE) return r;
    if (fuel == KMT_FLEET_FUEL_ELECTRIC || (wh_per_km > 0 && km_per_litre <= 0)) {
        r.kwh = km * (wh_per_km > 0 ? wh_per_km / 1000.0 : f->kwh_per_km);
        r.co2_g = r.kwh * f->co2_g_per_kwh;
        r.energy_cost = r.kwh * f->price_per_kwh;
        return r;
    }
    double lpk = km_per_litre > 0 ? 1.0 / km_per_litre : f->litres_per_km[fuel];
    if (!(lpk > 0)) lpk = 1.0 / 17.0; /* factors without a consumption: a mid-size petrol car */
    double litres = km * lpk;
    r.kwh = litres * f->kwh_per_litre[fuel];
    r.co2_g = litres * f->co2_g_per_litre[fuel];
    r.energy_cost = litres * f->price_per_litre[fuel];
    return r;
}
