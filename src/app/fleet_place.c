/* SPDX-License-Identifier: MPL-2.0 */
/* fleet place as a use case: which site each vehicle should be based at
 * (include/kommute/app_fleet.h). */
#include <string.h>

#include "fleet_int.h"

#define P(name, type, lo, hi, field) KMT__APP_P(kmt_app_fleet_place_req, name, type, lo, hi, field)
static const kmt_app_param PARAMS[] = { KMT__APP_FLEET_PERIOD_PARAMS(kmt_app_fleet_place_req),
                                        KMT__APP_FLEET_DEMAND_PARAMS(kmt_app_fleet_place_req),
                                        P("move-cost-per-km", KMT_APP_P_DOUBLE, 0, 1e6, move_cost_per_km),
                                        P("unserved-per-km", KMT_APP_P_DOUBLE, 0, 1e6, unserved_per_km),
                                        P("unserved-per-trip", KMT_APP_P_DOUBLE, 0, 1e7, unserved_per_trip),
                                        KMT__APP_P_END };
#undef P

void kmt_app_fleet_place_req_default(kmt_app_fleet_place_req *q)
{
    memset(q, 0, sizeof *q);
    q->from = q->to = KMT_TIME_NONE;
    kmt_fleet_place_opts o;
    kmt_fleet_place_opts_default(&o);
    q->move_cost_per_km = o.move_cost_per_km;
    q->unserved_per_km = o.uncovered_per_km;
    q->unserved_per_trip = o.unserved_per_trip;
}

int kmt_app_fleet_place(const kmt_app_ctx *c, const kmt_app_fleet_place_req *q, kmt_app_fleet_place_result *out,
                        kmt_error *e)
{
    memset(out, 0, sizeof *out);
    kmt_fleet_place_opts *o = &out->opts;
    kmt_fleet_place_opts_default(o);
    o->size.changeover_s = q->changeover_min * 60;
    o->size.any_kind = q->any_kind;
    o->size.include_private = q->include_private;
    o->move_cost_per_km = q->move_cost_per_km;
    o->uncovered_per_km = q->unserved_per_km;
    o->unserved_per_trip = q->unserved_per_trip;
    int rc = kmt_app_fleet_load(c, q->from, q->to, q->site, &out->fd, e);
    if (rc) return rc;
    double t0 = kmt_now_monotonic();
    if ((rc = kmt_fleet_place_run(&out->fd.in, o, &out->r, e))) {
        kmt_app_fleet_data_destroy(&out->fd);
        return rc;
    }
    out->seconds = kmt_now_monotonic() - t0;
    size_t S = out->r.nsites;
    out->vehicles_now = kmt_calloc(S ? S : 1, sizeof *out->vehicles_now);
    out->vehicles_after = kmt_calloc(S ? S : 1, sizeof *out->vehicles_after);
    for (size_t v = 0; v < out->r.nvehicles; v++) {
        if (out->fd.vehicles[v].site >= 0) out->vehicles_now[out->fd.vehicles[v].site]++;
        if (out->r.site_of[v] >= 0) out->vehicles_after[out->r.site_of[v]]++;
    }
    return 0;
}

void kmt_app_fleet_place_result_destroy(kmt_app_fleet_place_result *r)
{
    kmt_free(r->vehicles_now), kmt_free(r->vehicles_after);
    r->vehicles_now = r->vehicles_after = NULL;
    kmt_fleet_place_destroy(&r->r);
    kmt_app_fleet_data_destroy(&r->fd);
}

static void vehicles_json(kmt_json *j, const kmt_app_fleet_place_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_place *r = &res->r;
    kmt_json_key(j, "vehicles");
    kmt_json_array_begin(j);
    for (size_t v = 0; v < r->nvehicles; v++) {
        if (fd->vehicles[v].excluded) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "vehicle");
        kmt_json_string(j, kmt_app_fleet_vehicle_key(fd, (int32_t)v));
        kmt_json_key(j, "site_now");
        kmt_json_string(j, kmt_app_fleet_site_key(fd, fd->vehicles[v].site));
        kmt_json_key(j, "site");
        if (r->site_of[v] >= 0)
            kmt_json_string(j, kmt_app_fleet_site_key(fd, r->site_of[v]));
        else
            kmt_json_null(j);
        kmt_json_key(j, "surplus");
        kmt_json_bool(j, r->site_of[v] < 0);
        kmt_json_key(j, "move_km");
        kmt_json_double(j, r->move_km[v], 1);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

static void sites_json(kmt_json *j, const kmt_app_fleet_place_result *res)
{
    const kmt_fleet_place *r = &res->r;
    kmt_json_key(j, "sites");
    kmt_json_array_begin(j);
    for (size_t s = 0; s < r->nsites; s++) {
        if (!res->vehicles_now[s] && !res->vehicles_after[s] && !r->slots_unfilled[s]) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "site");
        kmt_json_string(j, kmt_app_fleet_site_key(&res->fd, (int32_t)s));
        kmt_json_key(j, "vehicles_now");
        kmt_json_int(j, res->vehicles_now[s]);
        kmt_json_key(j, "vehicles");
        kmt_json_int(j, res->vehicles_after[s]);
        kmt_json_key(j, "vehicles_missing");
        kmt_json_int(j, r->slots_unfilled[s]);
        kmt_json_key(j, "trips_unserved_per_year");
        kmt_json_int(j, r->trips_unserved[s]);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

void kmt_app_fleet_place_json(const kmt_app_fleet_place_result *res, kmt_json *j)
{
    const kmt_fleet_place *r = &res->r;
    kmt_json_object_begin(j);
    kmt_app_fleet_json_period(j, &res->fd);
    kmt_json_key(j, "moved");
    kmt_json_int(j, r->moved);
    kmt_json_key(j, "surplus");
    kmt_json_int(j, r->surplus);
    kmt_json_key(j, "move_km");
    kmt_json_double(j, r->move_km_total, 1);
    kmt_json_key(j, "objective");
    kmt_json_double(j, r->objective, 0);
    vehicles_json(j, res);
    sites_json(j, res);
    kmt_json_object_end(j);
}

KMT__APP_FLEET_USECASE(place, "fleet place");
