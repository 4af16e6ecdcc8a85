/* SPDX-License-Identifier: MPL-2.0 */
/* fleet ev: could an EV of a given range have done every day each vehicle
 * drove, with one overnight charge at its site? And what would change. */
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

void kmt_fleet_ev_opts_default(kmt_fleet_ev_opts *o)
{
    memset(o, 0, sizeof *o);
    o->range_km = 300;
    o->margin = 0.10;
    o->winter_factor = 0.75;
    o->winter_months = (1u << 12) | (1u << 1) | (1u << 2);
    o->ev_wh_per_km = 180;
    o->ev_fixed_per_year = 40000;
    o->ev_cost_per_km = 0.30;
    o->bike_km = 5;
    kmt_fleet_factors_default(&o->factors);
}

/* Month 1..12 of a day number (civil-from-days, proleptic Gregorian). */
static int month_of_day(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return (int)(mp < 10 ? mp + 3 : mp - 9);
}

/* Usable km of the EV on day d. */
static double usable_km(const kmt_fleet_ev_opts *o, int64_t d)
{
    double u = o->range_km * (1.0 - o->margin);
    if (o->winter_months >> month_of_day(d) & 1u) u *= o->winter_factor;
    return u;
}

int kmt_fleet_ev_run(const kmt_fleet_input *in, const kmt_fleet_ev_opts *o, kmt_fleet_ev *r, kmt_error *e)
{
    memset(r, 0, sizeof *r);
    int rc = kmt_fleet_input_check(in, e);
    if (rc) return rc;
    if (!(o->range_km > 0) || o->margin < 0 || o->margin >= 1 || !(o->winter_factor > 0))
        return kmt_error_set(e, KMT_EINVAL, "EV range must be > 0, margin in [0, 1) and winter factor > 0");
    size_t V = in->nvehicles;
    double scale = 365.0 / (double)kmt_fleet_days(in);
    const kmt_fleet_factors *f = &o->factors;
    r->n = V;
    r->v = kmt_calloc(V ? V : 1, sizeof *r->v);
    size_t *off;
    int32_t *by = kmt__fleet_by_vehicle(in, &off);
    double bike_m = o->bike_km * 1000.0;
    for (size_t i = 0; i < in->ntrips; i++) { /* (e-)bike candidates over all trips */
        const kmt_fleet_trip *t = &in->trips[i];
        if (t->m >= bike_m) continue;
        if (t->vehicle >= 0) {
            const kmt_fleet_vehicle *vh = &in->vehicles[t->vehicle];
            if (vh->kind == KMT_FLEET_KIND_BIKE || vh->kind == KMT_FLEET_KIND_EBIKE) continue;
            r->bike_co2_kg_year +=
                kmt_fleet_energy_of(f, vh->fuel, vh->wh_per_km, vh->km_per_litre, t->m / 1000.0).co2_g;
        } else
            r->bike_co2_kg_year += f->private_co2_g_per_km * t->m / 1000.0;
        r->bike_trips++;
        r->bike_km_year += t->m / 1000.0;
    }
    r->bike_km_year *= scale;
    r->bike_co2_kg_year *= scale / 1000.0;
    r->bike_trips = (int64_t)(r->bike_trips * scale + 0.5);

    for (size_t v = 0; v < V; v++) {
        const kmt_fleet_vehicle *vh = &in->vehicles[v];
        kmt_fleet_ev_vehicle *x = &r->v[v];
        x->vehicle = (int32_t)v;
        int32_t *ix = by + off[v];
        size_t n = off[v + 1] - off[v];
        x->fail_days = kmt_malloc((n ? n : 1) * sizeof *x->fail_days);
        if (vh->excluded) continue;
        int64_t day = INT64_MIN;
        double dkm = 0;
        for (size_t k = 0; k <= n; k++) {
            int64_t d = k < n ? kmt__fleet_day(in->trips[ix[k]].start) : INT64_MAX;
            if (d != day && day != INT64_MIN) { /* close the day */
                x->days_driven++;
                if (dkm > x->max_day_km) x->max_day_km = dkm;
                if (dkm > usable_km(o, day)) x->fail_days[x->days_failing++] = day;
            }
            if (k == n) break;
            if (d != day) day = d, dkm = 0;
            double km = in->trips[ix[k]].m / 1000.0;
            dkm += km;
            x->km += km;
            if (in->trips[ix[k]].m < bike_m) x->bike_trips++, x->bike_km += km;
        }
        x->already_electric = vh->fuel == KMT_FLEET_FUEL_ELECTRIC || vh->fuel == KMT_FLEET_FUEL_NONE ||
                              vh->kind == KMT_FLEET_KIND_BIKE || vh->kind == KMT_FLEET_KIND_EBIKE;
        double km_y = x->km * scale;
        kmt_fleet_energy now = kmt_fleet_energy_of(f, vh->fuel, vh->wh_per_km, vh->km_per_litre, km_y);
        kmt_fleet_energy ev = kmt_fleet_energy_of(f, KMT_FLEET_FUEL_ELECTRIC, o->ev_wh_per_km, 0, km_y);
        x->cost_now = vh->fixed_per_year + (vh->cost_per_km > 0 ? vh->cost_per_km * km_y : now.energy_cost);
        x->cost_ev = o->ev_fixed_per_year + o->ev_cost_per_km * km_y + ev.energy_cost;
        x->kwh_now = now.kwh, x->kwh_ev = ev.kwh;
        x->co2_kg_now = now.co2_g / 1000.0, x->co2_kg_ev = ev.co2_g / 1000.0;
        if (x->already_electric)
            r->already_electric++;
        else if (n == 0)
            r->unused++;
        else if (x->days_failing == 0) {
            x->suitable = 1;
            r->suitable++;
            r->d_cost_year += x->cost_ev - x->cost_now;
            r->d_kwh_year += x->kwh_ev - x->kwh_now;
            r->d_co2_kg_year += x->co2_kg_ev - x->co2_kg_now;
        }
    }
    kmt_free(by), kmt_free(off);
    return 0;
}

void kmt_fleet_ev_destroy(kmt_fleet_ev *r)
{
    if (!r) return;
    for (size_t v = 0; v < r->n; v++) kmt_free(r->v[v].fail_days);
    kmt_free(r->v);
    memset(r, 0, sizeof *r);
}
