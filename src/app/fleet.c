/* SPDX-License-Identifier: MPL-2.0 */
/* The fleet analyses' common part: the store's period loaded into the fleet
 * engine's structs, and names for output (include/kommute/app_fleet.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/app_fleet.h"
#include "kommute/store.h"

/* A period bound as given: the date, or the date and time when not midnight. */
static const char *time_str(int64_t t, char *buf, size_t n)
{
    return t == kmt_time_midnight(t) ? kmt_time_format_date(t, buf, n) : kmt_time_format(t, buf, n);
}

static int load(const kmt_app_ctx *c, int64_t from, int64_t to, const char *site, kmt_app_fleet_data *fd, kmt_error *e)
{
    memset(fd, 0, sizeof *fd);
    fd->only_site = -1;
    kmt_dataset_init(&fd->d);
    if (!c->store) return kmt_error_set(e, KMT_EUSAGE, "this analysis needs a store");
    if (from != KMT_TIME_NONE && to != KMT_TIME_NONE && to <= from) {
        char b1[32], b2[32];
        const char *p = c->param_prefix ? c->param_prefix : "";
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "to", "%sto (%s) must be after %sfrom (%s)", p,
                            time_str(to, b1, sizeof b1), p, time_str(from, b2, sizeof b2));
    }
    kmt_store_query q = kmt_store_query_all();
    if (from != KMT_TIME_NONE) q.from = from;
    if (to != KMT_TIME_NONE) q.to = to;
    q.site = site;
    int rc = kmt_store_load_fleet(c->store, &q, &fd->d, e);
    if (rc) return rc;
    if (site && *site && kmt_dataset_find_site(&fd->d, site) < 0)
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "site", "no site '%.100s' in %s", site, c->store_label);
    const kmt_dataset *d = &fd->d;
    size_t nt = d->trips.n, nv = d->vehicles.n, ns = d->sites.n;
    fd->trips = kmt_calloc(nt ? nt : 1, sizeof *fd->trips);
    fd->vehicles = kmt_calloc(nv ? nv : 1, sizeof *fd->vehicles);
    fd->sites = kmt_calloc(ns ? ns : 1, sizeof *fd->sites);
    for (size_t i = 0; i < ns; i++) fd->sites[i].pos = d->sites.v[i].pos;
    for (size_t i = 0; i < nv; i++) {
        const kmt_vehicle *v = &d->vehicles.v[i];
        kmt_fleet_vehicle *w = &fd->vehicles[i];
        w->site = v->site;
        w->dept = v->department;
        w->kind = (uint8_t)v->kind;
        w->fuel = (uint8_t)v->fuel;
        w->range_m = v->range_km > 0 ? (int32_t)lround(v->range_km * 1000.0) : 0;
        w->fixed_per_year = v->fixed_cost_per_year;
        w->cost_per_km = v->cost_per_km;
        w->wh_per_km = v->wh_per_km;
        w->km_per_litre = v->km_per_litre;
    }
    int32_t only = site && *site ? kmt_dataset_find_site(&fd->d, site) : -1;
    fd->only_site = only;
    kmt_time lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < nt; i++) {
        const kmt_trip *t = &d->trips.v[i];
        kmt_fleet_trip *u = &fd->trips[i];
        u->start = t->start;
        u->end = t->end != KMT_TIME_NONE && t->end >= t->start ? t->end : t->start;
        u->vehicle = t->vehicle;
        u->site = t->site;
        u->end_site = t->site;
        u->dept = t->department;
        double km = isfinite(t->km) && t->km > 0 ? t->km : 0;
        u->m = km > 2e6 ? 2000000000 : (int32_t)lround(km * 1000.0);
        u->kind = t->vehicle >= 0 ? (uint8_t)d->vehicles.v[t->vehicle].kind : KMT_FLEET_KIND_CAR;
        if (t->vehicle >= 0 && u->site < 0) u->site = u->end_site = d->vehicles.v[t->vehicle].site;
        if (t->start < lo) lo = t->start;
        if (t->start > hi) hi = t->start;
    }
    fd->in.trips = fd->trips, fd->in.ntrips = nt;
    fd->in.vehicles = fd->vehicles, fd->in.nvehicles = nv;
    fd->in.sites = fd->sites, fd->in.nsites = ns;
    fd->in.ndepts = (int32_t)d->orgs.n;
    fd->in.from = from != KMT_TIME_NONE ? from : (nt ? kmt_time_midnight(lo) : 0);
    fd->in.to = to != KMT_TIME_NONE ? to : (nt ? kmt_time_midnight(hi) + KMT_DAY : KMT_DAY);
    for (size_t i = 0; i < nv; i++) { /* out of service all period, or another site */
        const kmt_vehicle *v = &d->vehicles.v[i];
        if ((v->in_service_to != KMT_TIME_NONE && v->in_service_to <= fd->in.from) ||
            (v->in_service_from != KMT_TIME_NONE && v->in_service_from >= fd->in.to) || (only >= 0 && v->site != only))
            fd->vehicles[i].excluded = 1;
    }
    return 0;
}

int kmt_app_fleet_load(const kmt_app_ctx *c, int64_t from, int64_t to, const char *site, kmt_app_fleet_data *fd,
                       kmt_error *e)
{
    int rc = load(c, from, to, site, fd, e);
    if (rc) kmt_app_fleet_data_destroy(fd);
    return rc;
}

void kmt_app_fleet_data_destroy(kmt_app_fleet_data *fd)
{
    kmt_free(fd->trips), kmt_free(fd->vehicles), kmt_free(fd->sites);
    fd->trips = NULL, fd->vehicles = NULL, fd->sites = NULL;
    kmt_dataset_destroy(&fd->d);
}

size_t kmt_app_fleet_nvehicles(const kmt_app_fleet_data *fd)
{
    size_t n = 0;
    for (size_t v = 0; v < fd->in.nvehicles; v++) n += !fd->vehicles[v].excluded;
    return n;
}

const char *kmt_app_fleet_site_key(const kmt_app_fleet_data *fd, int32_t s)
{
    return s >= 0 && (size_t)s < fd->d.sites.n ? fd->d.sites.v[s].key : "";
}

const char *kmt_app_fleet_vehicle_key(const kmt_app_fleet_data *fd, int32_t v)
{
    return v >= 0 && (size_t)v < fd->d.vehicles.n ? fd->d.vehicles.v[v].key : "";
}

const char *kmt_app_fleet_dept_name(const kmt_app_fleet_data *fd, int32_t d)
{
    return d >= 0 && (size_t)d < fd->d.orgs.n ? fd->d.orgs.v[d].name : "";
}

const char *kmt_app_fleet_trip_id(const kmt_app_fleet_data *fd, int32_t t, char *buf, size_t n)
{
    const kmt_trip *r = &fd->d.trips.v[t];
    if (r->key && *r->key) return r->key;
    snprintf(buf, n, "#%lld", (long long)r->id);
    return buf;
}

const char *kmt_app_fleet_day_str(int64_t day, char *buf, size_t n)
{
    return kmt_time_format_date(day * KMT_DAY, buf, n);
}

void kmt_app_fleet_json_period(kmt_json *j, const kmt_app_fleet_data *fd)
{
    char b[32];
    kmt_json_key(j, "from");
    kmt_json_string(j, kmt_time_format_date(fd->in.from, b, sizeof b));
    kmt_json_key(j, "to");
    kmt_json_string(j, kmt_time_format_date(fd->in.to, b, sizeof b));
    kmt_json_key(j, "days");
    kmt_json_int(j, kmt_fleet_days(&fd->in));
    kmt_json_key(j, "trips");
    kmt_json_int(j, (int64_t)fd->in.ntrips);
}
