/* SPDX-License-Identifier: MPL-2.0 */
/* fleet size as a use case: the fewest vehicles that would have served every
 * trip (include/kommute/app_fleet.h). */
#include <stddef.h>
#include <string.h>

#include "fleet_int.h"
#include "kommute/core.h"

#define P(name, type, lo, hi, field) KMT__APP_P(kmt_app_fleet_size_req, name, type, lo, hi, field)
static const kmt_app_param PARAMS[] = { KMT__APP_FLEET_PERIOD_PARAMS(kmt_app_fleet_size_req),
                                        KMT__APP_FLEET_DEMAND_PARAMS(kmt_app_fleet_size_req),
                                        P("pool-distance", KMT_APP_P_DOUBLE, 0, 1e6, pool_distance_m),
                                        P("walk-kmh", KMT_APP_P_DOUBLE, 0.1, 200, walk_kmh),
                                        P("vehicle-cost", KMT_APP_P_DOUBLE, 0, 1e9, vehicle_cost),
                                        P("uncovered-per-km", KMT_APP_P_DOUBLE, 0, 1e6, uncovered_per_km),
                                        P("uncovered-per-trip", KMT_APP_P_DOUBLE, 0, 1e7, uncovered_per_trip),
                                        P("service-days", KMT_APP_P_INT, 0, 100000, service_days),
                                        KMT__APP_P_END };
#undef P

void kmt_app_fleet_size_req_default(kmt_app_fleet_size_req *q)
{
    memset(q, 0, sizeof *q);
    q->from = q->to = KMT_TIME_NONE;
    kmt_fleet_size_opts o;
    kmt_fleet_size_opts_default(&o);
    q->pool_distance_m = 1000;
    q->walk_kmh = o.walk_mps * 3.6;
    q->vehicle_cost = o.vehicle_cost_year;
    q->uncovered_per_km = o.uncovered_per_km;
    q->uncovered_per_trip = o.uncovered_per_trip;
}

int32_t kmt_app_fleet_size_for_service_days(const kmt_fleet_site_size *s, int64_t k)
{
    for (size_t i = 0; i < s->ncurve; i++)
        if (s->curve[i].days_short <= k) return s->curve[i].vehicles;
    return s->min_vehicles;
}

int kmt_app_fleet_size(const kmt_app_ctx *c, const kmt_app_fleet_size_req *q, kmt_app_fleet_size_result *out,
                       kmt_error *e)
{
    memset(out, 0, sizeof *out);
    kmt_fleet_size_opts *o = &out->opts;
    kmt_fleet_size_opts_default(o);
    o->pool_m = q->pool_distance_m;
    if (KMT_APP_GIVEN(q, PARAMS, "walk-kmh")) o->walk_mps = q->walk_kmh / 3.6;
    o->changeover_s = q->changeover_min * 60;
    o->any_kind = q->any_kind;
    o->include_private = q->include_private;
    o->uncovered_per_km = q->uncovered_per_km;
    o->uncovered_per_trip = q->uncovered_per_trip;
    o->vehicle_cost_year = q->vehicle_cost;
    out->service_days = q->service_days;
    int rc = kmt_app_fleet_load(c, q->from, q->to, q->site, &out->fd, e);
    if (rc) return rc;
    if (!KMT_APP_GIVEN(q, PARAMS, "vehicle-cost")) {
        double sum = 0;
        int n = 0;
        for (size_t i = 0; i < out->fd.in.nvehicles; i++)
            if (out->fd.vehicles[i].fixed_per_year > 0) sum += out->fd.vehicles[i].fixed_per_year, n++;
        if (n) o->vehicle_cost_year = sum / n;
    }
    double t0 = kmt_now_monotonic();
    if ((rc = kmt_fleet_size_run(&out->fd.in, o, &out->r, e))) {
        kmt_app_fleet_data_destroy(&out->fd);
        return rc;
    }
    out->seconds = kmt_now_monotonic() - t0;
    return 0;
}

void kmt_app_fleet_size_result_destroy(kmt_app_fleet_size_result *r)
{
    kmt_fleet_size_destroy(&r->r);
    kmt_app_fleet_data_destroy(&r->fd);
}

static void trip_ids(kmt_json *j, const kmt_app_fleet_data *fd, const int32_t *t, size_t n)
{
    char b[32];
    kmt_json_array_begin(j);
    for (size_t i = 0; i < n; i++) kmt_json_string(j, kmt_app_fleet_trip_id(fd, t[i], b, sizeof b));
    kmt_json_array_end(j);
}

void kmt_app_fleet_size_json(const kmt_app_fleet_size_result *res, kmt_json *j)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_size_opts *o = &res->opts;
    const kmt_fleet_size *r = &res->r;
    char b[32];
    kmt_json_object_begin(j);
    kmt_app_fleet_json_period(j, fd);
    kmt_json_key(j, "changeover_min");
    kmt_json_int(j, o->changeover_s / 60);
    kmt_json_key(j, "pool_distance_m");
    kmt_json_double(j, o->pool_m, 1);
    kmt_json_key(j, "any_kind");
    kmt_json_bool(j, o->any_kind);
    kmt_json_key(j, "trips_used");
    kmt_json_int(j, r->trips_used);
    kmt_json_key(j, "trips_without_site");
    kmt_json_int(j, r->trips_without_site);
    kmt_json_key(j, "current_vehicles");
    kmt_json_int(j, r->current_total);
    kmt_json_key(j, "min_vehicles");
    kmt_json_int(j, r->min_total);
    kmt_json_key(j, "min_vehicles_pooled");
    kmt_json_int(j, r->min_pooled_total);
    kmt_json_key(j, "sites");
    kmt_json_array_begin(j);
    for (size_t s = 0; s < r->nsites; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        if ((!x->trips && !x->current_vehicles) || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "site");
        kmt_json_string(j, kmt_app_fleet_site_key(fd, x->site));
        kmt_json_key(j, "name");
        kmt_json_string(j, fd->d.sites.v[x->site].name);
        kmt_json_key(j, "group");
        kmt_json_int(j, x->group);
        kmt_json_key(j, "trips");
        kmt_json_int(j, x->trips);
        kmt_json_key(j, "current_vehicles");
        kmt_json_int(j, x->current_vehicles);
        kmt_json_key(j, "min_vehicles");
        kmt_json_int(j, x->min_vehicles);
        kmt_json_key(j, "min_by_kind");
        kmt_json_object_begin(j);
        for (int c = 0; c < KMT_FLEET_NKIND; c++) {
            if (!x->min_by_kind[c]) continue;
            kmt_json_key(j, c == 0 ? (o->any_kind ? "any" : "unknown") : kmt_vehicle_kind_name((kmt_vehicle_kind)c));
            kmt_json_int(j, x->min_by_kind[c]);
        }
        kmt_json_object_end(j);
        kmt_json_key(j, "min_vehicles_pooled");
        kmt_json_int(j, x->min_vehicles_pooled);
        kmt_json_key(j, "peak");
        kmt_json_object_begin(j);
        kmt_json_key(j, "time");
        kmt_json_string(j, x->npeak ? kmt_time_format(x->peak_time, b, sizeof b) : "");
        kmt_json_key(j, "trips");
        trip_ids(j, fd, x->peak, x->npeak);
        kmt_json_object_end(j);
        kmt_json_key(j, "pooled_witness_trips"); /* the group's witness trips starting here */
        kmt_json_array_begin(j);
        {
            const kmt_fleet_group *G = &r->groups[x->group];
            for (size_t k = 0; k < G->nwitness; k++)
                if (fd->trips[G->witness[k]].site == x->site)
                    kmt_json_string(j, kmt_app_fleet_trip_id(fd, G->witness[k], b, sizeof b));
        }
        kmt_json_array_end(j);
        kmt_json_key(j, "vehicles_for_service_days");
        kmt_json_int(j, kmt_app_fleet_size_for_service_days(x, res->service_days));
        kmt_json_key(j, "service_curve");
        kmt_json_array_begin(j);
        for (size_t i = 0; i < x->ncurve; i++) {
            const kmt_fleet_curve_point *p = &x->curve[i];
            kmt_json_object_begin(j);
            kmt_json_key(j, "vehicles");
            kmt_json_int(j, p->vehicles);
            kmt_json_key(j, "uncovered_trips");
            kmt_json_int(j, p->uncovered_trips);
            kmt_json_key(j, "uncovered_km");
            kmt_json_double(j, p->uncovered_km, 1);
            kmt_json_key(j, "days_short");
            kmt_json_int(j, p->days_short);
            kmt_json_key(j, "cost_per_year");
            kmt_json_double(j, p->cost_year, 0);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, "groups");
    kmt_json_array_begin(j);
    for (size_t g = 0; g < r->ngroups; g++) {
        const kmt_fleet_group *G = &r->groups[g];
        if (G->nsites < 2 || !G->min_alone) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "group");
        kmt_json_int(j, (int64_t)g);
        kmt_json_key(j, "sites");
        kmt_json_array_begin(j);
        for (size_t k = 0; k < G->nsites; k++) kmt_json_string(j, kmt_app_fleet_site_key(fd, G->sites[k]));
        kmt_json_array_end(j);
        kmt_json_key(j, "min_vehicles_alone");
        kmt_json_int(j, G->min_alone);
        kmt_json_key(j, "min_vehicles_pooled");
        kmt_json_int(j, G->min_pooled);
        kmt_json_key(j, "witness_trips");
        trip_ids(j, fd, G->witness, G->nwitness);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}

KMT__APP_FLEET_USECASE(size, "fleet size");
