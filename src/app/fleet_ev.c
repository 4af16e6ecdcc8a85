/* SPDX-License-Identifier: MPL-2.0 */
/* fleet ev as a use case: which vehicles an EV could replace, and what
 * follows (include/kommute/app_fleet.h). */
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"
#include "kommute/limits.h"

#define P(name, type, lo, hi, field) KMT__APP_P(kmt_app_fleet_ev_req, name, type, lo, hi, field)
static const kmt_app_param PARAMS[] = { KMT__APP_FLEET_PERIOD_PARAMS(kmt_app_fleet_ev_req),
                                        KMT__APP_FLEET_COUNTRY_PARAM(kmt_app_fleet_ev_req),
                                        P("range", KMT_APP_P_DOUBLE, 1, KMT_LIM_RANGE_KM_MAX, range_km),
                                        P("margin", KMT_APP_P_DOUBLE, 0, 90, margin_pct),
                                        P("winter-factor", KMT_APP_P_DOUBLE, 0.1, 1, winter_factor),
                                        P("winter-months", KMT_APP_P_STRING, 0, 0, winter_months),
                                        P("ev-wh-per-km", KMT_APP_P_DOUBLE, 1, 2000, ev_wh_per_km),
                                        P("ev-cost-year", KMT_APP_P_DOUBLE, 0, 1e8, ev_cost_year),
                                        P("ev-cost-per-km", KMT_APP_P_DOUBLE, 0, 1e4, ev_cost_per_km),
                                        P("bike-km", KMT_APP_P_DOUBLE, 0, 100, bike_km),
                                        P("grid-co2", KMT_APP_P_DOUBLE, 0, 2000, grid_co2),
                                        P("kwh-price", KMT_APP_P_DOUBLE, 0, 1000, kwh_price),
                                        KMT__APP_P_END };
#undef P

void kmt_app_fleet_ev_req_default(kmt_app_fleet_ev_req *q)
{
    memset(q, 0, sizeof *q);
    q->from = q->to = KMT_TIME_NONE;
    kmt_fleet_ev_opts o;
    kmt_fleet_ev_opts_default(&o);
    q->range_km = o.range_km;
    q->margin_pct = o.margin * 100;
    q->winter_factor = o.winter_factor;
    q->ev_wh_per_km = o.ev_wh_per_km;
    q->ev_cost_year = o.ev_fixed_per_year;
    q->ev_cost_per_km = o.ev_cost_per_km;
    q->bike_km = o.bike_km;
    q->grid_co2 = o.factors.co2_g_per_kwh;
    q->kwh_price = o.factors.price_per_kwh;
}

/* "12,1,2" into a bit set of months; KMT_EUSAGE when it is not months 1-12. */
static int winter_months(const kmt_app_ctx *c, const char *s, unsigned *out, kmt_error *e)
{
    *out = 0;
    for (const char *p = s; *p;) {
        char *end;
        long m = strtol(p, &end, 10);
        if (end == p || m < 1 || m > 12 || (*end && *end != ','))
            return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "winter-months",
                                "%swinter-months expects months 1-12 like 12,1,2, got '%s'",
                                c->param_prefix ? c->param_prefix : "", s);
        *out |= 1u << m;
        p = *end ? end + 1 : end;
    }
    return 0;
}

/* The factors, then the request's options over them, into o. */
static int opts_of(const kmt_app_ctx *c, const kmt_app_fleet_ev_req *q, kmt_fleet_ev_opts *o,
                   kmt_app_fleet_factors_info *fi, kmt_error *e)
{
    kmt_fleet_ev_opts_default(o);
    int rc = kmt_app_fleet_factors(c, q->country, &o->factors, fi, e);
    if (rc) return rc;
    o->range_km = q->range_km;
    if (KMT_APP_GIVEN(q, PARAMS, "margin")) o->margin = q->margin_pct / 100.0;
    o->winter_factor = q->winter_factor;
    if (q->winter_months && (rc = winter_months(c, q->winter_months, &o->winter_months, e))) return rc;
    o->ev_wh_per_km = q->ev_wh_per_km;
    o->ev_fixed_per_year = q->ev_cost_year;
    o->ev_cost_per_km = q->ev_cost_per_km;
    o->bike_km = q->bike_km;
    if (KMT_APP_GIVEN(q, PARAMS, "grid-co2")) o->factors.co2_g_per_kwh = q->grid_co2;
    if (KMT_APP_GIVEN(q, PARAMS, "kwh-price")) o->factors.price_per_kwh = q->kwh_price;
    return 0;
}

int kmt_app_fleet_ev(const kmt_app_ctx *c, const kmt_app_fleet_ev_req *q, kmt_app_fleet_ev_result *out, kmt_error *e)
{
    memset(out, 0, sizeof *out);
    int rc = opts_of(c, q, &out->opts, &out->factors, e);
    if (rc || (rc = kmt_app_fleet_load(c, q->from, q->to, q->site, &out->fd, e))) return rc;
    double t0 = kmt_now_monotonic();
    if ((rc = kmt_fleet_ev_run(&out->fd.in, &out->opts, &out->r, e))) {
        kmt_app_fleet_data_destroy(&out->fd);
        return rc;
    }
    out->seconds = kmt_now_monotonic() - t0;
    return 0;
}

void kmt_app_fleet_ev_result_destroy(kmt_app_fleet_ev_result *r)
{
    kmt_fleet_ev_destroy(&r->r);
    kmt_app_fleet_data_destroy(&r->fd);
}

static void summary_json(kmt_json *j, const kmt_app_fleet_ev_result *res)
{
    const kmt_fleet_ev_opts *o = &res->opts;
    const kmt_fleet_ev *r = &res->r;
    kmt_json_key(j, "ev");
    kmt_json_object_begin(j);
    kmt_json_key(j, "range_km");
    kmt_json_double(j, o->range_km, 1);
    kmt_json_key(j, "usable_km");
    kmt_json_double(j, o->range_km * (1 - o->margin), 1);
    kmt_json_key(j, "usable_km_winter");
    kmt_json_double(j, o->range_km * (1 - o->margin) * o->winter_factor, 1);
    kmt_json_object_end(j);
    kmt_json_key(j, "suitable");
    kmt_json_int(j, r->suitable);
    kmt_json_key(j, "already_electric");
    kmt_json_int(j, r->already_electric);
    kmt_json_key(j, "unused");
    kmt_json_int(j, r->unused);
    kmt_json_key(j, "plan");
    kmt_json_object_begin(j);
    kmt_json_key(j, "cost_change_per_year");
    kmt_json_double(j, r->d_cost_year, 0);
    kmt_json_key(j, "kwh_change_per_year");
    kmt_json_double(j, r->d_kwh_year, 0);
    kmt_json_key(j, "co2_kg_change_per_year");
    kmt_json_double(j, r->d_co2_kg_year, 0);
    kmt_json_object_end(j);
    kmt_json_key(j, "bike");
    kmt_json_object_begin(j);
    kmt_json_key(j, "max_km");
    kmt_json_double(j, o->bike_km, 1);
    kmt_json_key(j, "trips_per_year");
    kmt_json_int(j, r->bike_trips);
    kmt_json_key(j, "km_per_year");
    kmt_json_double(j, r->bike_km_year, 0);
    kmt_json_key(j, "co2_kg_per_year");
    kmt_json_double(j, r->bike_co2_kg_year, 0);
    kmt_json_object_end(j);
}

static void vehicle_json(kmt_json *j, const kmt_app_fleet_data *fd, size_t v, const kmt_fleet_ev_vehicle *x)
{
    char b[16];
    kmt_json_object_begin(j);
    kmt_json_key(j, "vehicle");
    kmt_json_string(j, kmt_app_fleet_vehicle_key(fd, x->vehicle));
    kmt_json_key(j, "site");
    kmt_json_string(j, kmt_app_fleet_site_key(fd, fd->vehicles[v].site));
    kmt_json_key(j, "fuel");
    kmt_json_string(j, kmt_fuel_name((kmt_fuel)fd->vehicles[v].fuel));
    kmt_json_key(j, "km");
    kmt_json_double(j, x->km, 1);
    kmt_json_key(j, "days_driven");
    kmt_json_int(j, x->days_driven);
    kmt_json_key(j, "max_day_km");
    kmt_json_double(j, x->max_day_km, 1);
    kmt_json_key(j, "suitable");
    kmt_json_bool(j, x->suitable);
    kmt_json_key(j, "already_electric");
    kmt_json_bool(j, x->already_electric);
    kmt_json_key(j, "failing_days");
    kmt_json_array_begin(j);
    for (int32_t k = 0; k < x->days_failing; k++)
        kmt_json_string(j, kmt_app_fleet_day_str(x->fail_days[k], b, sizeof b));
    kmt_json_array_end(j);
    kmt_json_key(j, "cost_per_year");
    kmt_json_double(j, x->cost_now, 0);
    kmt_json_key(j, "cost_per_year_ev");
    kmt_json_double(j, x->cost_ev, 0);
    kmt_json_key(j, "kwh_per_year");
    kmt_json_double(j, x->kwh_now, 0);
    kmt_json_key(j, "kwh_per_year_ev");
    kmt_json_double(j, x->kwh_ev, 0);
    kmt_json_key(j, "co2_kg_per_year");
    kmt_json_double(j, x->co2_kg_now, 0);
    kmt_json_key(j, "co2_kg_per_year_ev");
    kmt_json_double(j, x->co2_kg_ev, 0);
    kmt_json_key(j, "bike_trips");
    kmt_json_int(j, x->bike_trips);
    kmt_json_object_end(j);
}

void kmt_app_fleet_ev_json(const kmt_app_fleet_ev_result *res, kmt_json *j)
{
    const kmt_app_fleet_data *fd = &res->fd;
    kmt_json_object_begin(j);
    kmt_app_fleet_json_period(j, fd);
    kmt_app_fleet_factors_json(j, &res->factors, &res->opts.factors);
    summary_json(j, res);
    kmt_json_key(j, "vehicles");
    kmt_json_array_begin(j);
    for (size_t v = 0; v < res->r.n; v++)
        if (!fd->vehicles[v].excluded) vehicle_json(j, fd, v, &res->r.v[v]);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}

KMT__APP_FLEET_USECASE(ev, "fleet ev");
