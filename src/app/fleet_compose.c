/* SPDX-License-Identifier: MPL-2.0 */
/* fleet compose as a use case: the cheapest fleet of catalogue models for
 * the trips (include/kommute/app_fleet.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "fleet_int.h"
#include "kommute/csv.h"
#include "kommute/limits.h"

#define P(name, type, lo, hi, field) KMT__APP_P(kmt_app_fleet_compose_req, name, type, lo, hi, field)
static const kmt_app_param PARAMS[] = { KMT__APP_FLEET_PERIOD_PARAMS(kmt_app_fleet_compose_req),
                                        KMT__APP_FLEET_COUNTRY_PARAM(kmt_app_fleet_compose_req),
                                        P("pool", KMT_APP_P_FLAG, 0, 0, pool),
                                        P("pool-distance", KMT_APP_P_DOUBLE, 0, 1e6, pool_distance_m),
                                        KMT__APP_FLEET_DEMAND_PARAMS(kmt_app_fleet_compose_req),
                                        P("co2-weight", KMT_APP_P_DOUBLE, 0, 10, co2_weight),
                                        P("co2-price", KMT_APP_P_DOUBLE, 0, 1e6, co2_price),
                                        P("allow-uncovered", KMT_APP_P_FLAG, 0, 0, allow_uncovered),
                                        P("allowance", KMT_APP_P_DOUBLE, 0, 1e4, allowance),
                                        P("bike-km", KMT_APP_P_DOUBLE, 0, 100, bike_km),
                                        P("best", KMT_APP_P_INT, 1, 50, best),
                                        P("max-evaluations", KMT_APP_P_INT, 1, 100000000, max_evaluations),
                                        KMT__APP_P_END };
#undef P

void kmt_app_fleet_compose_req_default(kmt_app_fleet_compose_req *q)
{
    memset(q, 0, sizeof *q);
    q->from = q->to = KMT_TIME_NONE;
    kmt_fleet_compose_opts o;
    kmt_fleet_compose_opts_default(&o);
    q->co2_weight = o.co2_weight;
    q->co2_price = o.factors.co2_price_per_tonne;
    q->allowance = o.factors.allowance_per_km;
    q->bike_km = 5;
    q->best = 3;
    q->max_evaluations = o.max_evaluations;
}

/* ---- the catalogue ------------------------------------------------------ */

/* The catalogue's path: c->catalogue_path, else the default lookup. */
static void catalogue_path(const kmt_app_ctx *c, char *out, size_t n)
{
    if (c->catalogue_path && *c->catalogue_path) {
        snprintf(out, n, "%s", c->catalogue_path);
        return;
    }
    kmt__app_data_file("fleet", "catalogue.csv", out, n);
}

enum { C_MODEL, C_KIND, C_FUEL, C_RANGE, C_WH, C_KPL, C_FIXED, C_CPK, C_MAX, C_N };
static const char *const cat_cols[C_N] = {
    "model", "kind", "fuel", "range_km", "wh_per_km", "km_per_litre", "fixed_cost_per_year", "cost_per_km", "max_count"
};

typedef KMT_VEC(kmt_fleet_model) model_vec;

/* The model of the catalogue's current row into m; 0 or an error code with e set. */
static int catalogue_row(kmt_csv *c, const int col[C_N], kmt_fleet_model *m, kmt_error *e)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", kmt_csv_field(c, col[C_MODEL]));
    kmt_vehicle_kind kind;
    kmt_fuel fuel;
    if (kmt_vehicle_kind_parse(kmt_csv_field(c, col[C_KIND]), &kind) || kind == KMT_KIND_UNKNOWN)
        return kmt_csv_error(c, col[C_KIND], e, "expected a kind: car, van, minibus, e-bike or bike");
    if (kmt_fuel_parse(kmt_csv_field(c, col[C_FUEL]), &fuel))
        return kmt_csv_error(c, col[C_FUEL], e, "expected a fuel: petrol, diesel, electric, ...");
    double range = 0, wh = 0, kpl = 0, fixed = 0, cpk = 0, mx = 0;
    long mxl = 0;
    if (kmt_csv_number_in(c, col[C_RANGE], 0, KMT_LIM_RANGE_KM_MAX, &range, e) < 0 ||
        kmt_csv_number_in(c, col[C_WH], 0, KMT_LIM_WH_PER_KM_MAX, &wh, e) < 0 ||
        kmt_csv_number_in(c, col[C_KPL], 0, KMT_LIM_KM_PER_LITRE_MAX, &kpl, e) < 0 ||
        kmt_csv_number_in(c, col[C_FIXED], 0, KMT_LIM_FIXED_COST_MAX, &fixed, e) < 0 ||
        kmt_csv_number_in(c, col[C_CPK], 0, KMT_LIM_COST_PER_KM_MAX, &cpk, e) < 0 ||
        kmt_csv_int_in(c, col[C_MAX], 0, KMT_LIM_MODEL_COUNT_MAX, &mxl, e) < 0)
        return KMT_EINVAL;
    mx = (double)mxl;
    if (fuel == KMT_FUEL_ELECTRIC && (range <= 0 || wh <= 0))
        return kmt_csv_error(c, col[C_RANGE], e, "an electric model needs range_km and wh_per_km");
    m->kind = (uint8_t)kind, m->fuel = (uint8_t)fuel;
    m->range_m = fuel == KMT_FUEL_ELECTRIC ? (int32_t)lround(range * 1000) : 0;
    m->wh_per_km = wh, m->km_per_litre = kpl, m->fixed_per_year = fixed, m->cost_per_km = cpk;
    m->max_count = (int32_t)mx;
    return 0;
}

/* Reads the catalogue at path; returns 0 or an error code with e set. */
static int load_catalogue(const char *path, model_vec *out, kmt_error *e)
{
    kmt_csv *c;
    int rc = kmt_csv_open(&c, path, NULL, e);
    if (rc) return rc;
    int col[C_N];
    for (int i = 0; i < C_N; i++) col[i] = kmt_csv_find(c, cat_cols[i]);
    for (int i = 0; i < C_N; i++)
        if (col[i] < 0 && i != C_MAX) {
            rc = kmt_error_at(e, KMT_EINVAL, path, 1, 0, cat_cols[i], "the catalogue lacks column '%s'", cat_cols[i]);
            kmt_csv_close(c);
            return rc;
        }
    while ((rc = kmt_csv_next(c, e)) == 1) {
        kmt_fleet_model m;
        if ((rc = catalogue_row(c, col, &m, e))) break;
        KMT_VEC_PUSH(*out, m);
    }
    kmt_csv_close(c);
    if (rc < 0) return rc;
    if (out->n == 0) return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "the catalogue has no models");
    if (out->n > 64) return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "at most 64 models, got %zu", out->n);
    return 0;
}

/* ---- the searches ------------------------------------------------------- */

/* The group of each site: sites closer than pool_m joined (union-find), all
 * in group 0 with pool. gid has room for S entries. */
static void site_groups(const kmt_app_fleet_data *fd, int pool, double pool_m, int32_t *gid)
{
    size_t S = fd->in.nsites;
    for (size_t k = 0; k < S; k++) gid[k] = pool ? 0 : (int32_t)k;
    for (size_t a = 0; a < S && pool_m > 0 && !pool; a++)
        for (size_t b = a + 1; b < S; b++) {
            if (!kmt_geo_valid(fd->sites[a].pos) || !kmt_geo_valid(fd->sites[b].pos) ||
                kmt_geo_haversine_m(fd->sites[a].pos, fd->sites[b].pos) >= pool_m)
                continue;
            int32_t ra = (int32_t)a, rb = (int32_t)b;
            while (gid[ra] != ra) ra = gid[ra];
            while (gid[rb] != rb) rb = gid[rb];
            gid[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        }
    for (size_t k = 0; k < S; k++)
        while (gid[k] != gid[gid[k]]) gid[k] = gid[gid[k]];
}

/* The group's name: its sites joined by '+', or "(all selected trips)". */
static void group_name(const kmt_app_fleet_data *fd, const int32_t *gid, size_t g, int pool, char *name, size_t n)
{
    name[0] = '\0';
    if (pool) snprintf(name, n, "(all selected trips)");
    for (size_t k = 0; k < fd->in.nsites && !pool; k++) {
        if (gid[k] != (int32_t)g) continue;
        size_t len = strlen(name);
        if (len + 2 < n) snprintf(name + len, n - len, "%s%s", len ? "+" : "", kmt_app_fleet_site_key(fd, (int32_t)k));
    }
}

/* One search per group of sites with trips into out->groups. */
static void search(const kmt_app_fleet_compose_req *q, kmt_app_fleet_compose_result *out)
{
    const kmt_app_fleet_data *fd = &out->fd;
    int64_t days = kmt_fleet_days(&fd->in);
    size_t S = fd->in.nsites;
    KMT_VEC(kmt_app_fleet_compose_group) groups = { 0 };
    kmt_fleet_trip *sub = kmt_malloc((fd->in.ntrips ? fd->in.ntrips : 1) * sizeof *sub);
    int32_t *gid = kmt_malloc((S + 1) * sizeof *gid);
    site_groups(fd, q->pool, q->pool_distance_m, gid);
    for (size_t g = 0; g < (q->pool ? 1 : S); g++) {
        size_t m = 0;
        for (size_t i = 0; i < fd->in.ntrips; i++) {
            const kmt_fleet_trip *t = &fd->trips[i];
            if (t->vehicle < 0 && !q->include_private) continue;
            if (!q->pool && (t->site < 0 || gid[t->site] != (int32_t)g)) continue;
            sub[m++] = *t;
        }
        if (!m) continue;
        kmt_app_fleet_compose_group jb;
        memset(&jb, 0, sizeof jb);
        group_name(fd, gid, g, q->pool, jb.name, sizeof jb.name);
        kmt_error je;
        kmt_error_init(&je);
        jb.rc = kmt_fleet_compose_run(sub, m, days, out->models, out->nmodels, &out->opts, &jb.r, &je);
        if (jb.rc) snprintf(jb.err, sizeof jb.err, "%s", je.msg);
        KMT_VEC_PUSH(groups, jb);
    }
    kmt_free(gid);
    kmt_free(sub);
    out->groups = groups.v, out->ngroups = groups.n;
}

/* The factors, then the request's options over them, into o. */
static int opts_of(const kmt_app_ctx *c, const kmt_app_fleet_compose_req *q, kmt_fleet_compose_opts *o,
                   kmt_app_fleet_factors_info *fi, kmt_error *e)
{
    kmt_fleet_compose_opts_default(o);
    int rc = kmt_app_fleet_factors(c, q->country, &o->factors, fi, e);
    if (rc) return rc;
    o->best = (int)q->best;
    o->bike_max_km = q->bike_km;
    o->changeover_s = q->changeover_min * 60;
    o->any_kind = q->any_kind;
    o->allow_uncovered = q->allow_uncovered;
    o->co2_weight = q->co2_weight;
    if (KMT_APP_GIVEN(q, PARAMS, "co2-price")) o->factors.co2_price_per_tonne = q->co2_price;
    if (KMT_APP_GIVEN(q, PARAMS, "allowance")) o->factors.allowance_per_km = q->allowance;
    o->max_evaluations = q->max_evaluations;
    return 0;
}

/* The catalogue into out; its errors name it by its label. */
static int catalogue(const kmt_app_ctx *c, kmt_app_fleet_compose_result *out, kmt_error *e)
{
    char path[sizeof out->catalogue];
    catalogue_path(c, path, sizeof path);
    snprintf(out->catalogue, sizeof out->catalogue, "%s", kmt_app_path_label(c, path));
    model_vec models = { 0 };
    int rc = load_catalogue(path, &models, e);
    if (rc && strcmp(e->file, path) == 0) {
        char label[sizeof e->file];
        snprintf(label, sizeof label, "%s", kmt_app_path_label(c, path));
        snprintf(e->file, sizeof e->file, "%s", label);
    }
    if (rc)
        KMT_VEC_FREE(models);
    else
        out->models = models.v, out->nmodels = models.n;
    return rc;
}

int kmt_app_fleet_compose(const kmt_app_ctx *c, const kmt_app_fleet_compose_req *q, kmt_app_fleet_compose_result *out,
                          kmt_error *e)
{
    memset(out, 0, sizeof *out);
    int rc = opts_of(c, q, &out->opts, &out->factors, e);
    if (rc || (rc = catalogue(c, out, e))) return rc;
    if ((rc = kmt_app_fleet_load(c, q->from, q->to, q->site, &out->fd, e))) {
        kmt_free(out->models);
        out->models = NULL;
        return rc;
    }
    double t0 = kmt_now_monotonic();
    search(q, out);
    out->seconds = kmt_now_monotonic() - t0;
    return 0;
}

void kmt_app_fleet_compose_result_destroy(kmt_app_fleet_compose_result *r)
{
    for (size_t k = 0; k < r->ngroups; k++) kmt_fleet_compose_destroy(&r->groups[k].r);
    kmt_free(r->groups), kmt_free(r->models);
    r->groups = NULL, r->models = NULL, r->ngroups = r->nmodels = 0;
    kmt_app_fleet_data_destroy(&r->fd);
}

/* ---- JSON ----------------------------------------------------------------- */

static void fleet_json(kmt_json *j, const kmt_fleet_fleet *f, const kmt_fleet_model *m, size_t M)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "models");
    kmt_json_object_begin(j);
    for (size_t k = 0; k < M; k++)
        if (f->count[k]) {
            kmt_json_key(j, m[k].name);
            kmt_json_int(j, f->count[k]);
        }
    kmt_json_object_end(j);
    kmt_json_key(j, "vehicles");
    kmt_json_int(j, f->vehicles);
    kmt_json_key(j, "cost_per_year");
    kmt_json_double(j, f->cost_year, 0);
    kmt_json_key(j, "co2_kg_per_year");
    kmt_json_double(j, f->co2_kg_year, 0);
    kmt_json_key(j, "kwh_per_year");
    kmt_json_double(j, f->kwh_year, 0);
    kmt_json_key(j, "objective");
    kmt_json_double(j, f->objective, 0);
    kmt_json_key(j, "uncovered_trips");
    kmt_json_int(j, f->uncovered_trips);
    kmt_json_key(j, "uncovered_km");
    kmt_json_double(j, f->uncovered_km, 1);
    kmt_json_key(j, "verified");
    kmt_json_bool(j, f->verified);
    kmt_json_object_end(j);
}

static void group_json(kmt_json *j, const kmt_app_fleet_compose_group *g, const kmt_app_fleet_compose_result *res)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "site");
    kmt_json_string(j, g->name);
    if (g->rc) {
        kmt_json_key(j, "error");
        kmt_json_string(j, g->err);
        kmt_json_object_end(j);
        return;
    }
    kmt_json_key(j, "trips");
    kmt_json_int(j, g->r.trips);
    kmt_json_key(j, "lower_bound");
    kmt_json_double(j, g->r.lower_bound, 0);
    kmt_json_key(j, "exhaustive");
    kmt_json_bool(j, g->r.exhaustive);
    kmt_json_key(j, "fleets_replayed");
    kmt_json_int(j, g->r.evaluated);
    kmt_json_key(j, "fleets");
    kmt_json_array_begin(j);
    for (size_t f = 0; f < g->r.nfleets; f++) fleet_json(j, &g->r.fleets[f], res->models, res->nmodels);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}

void kmt_app_fleet_compose_json(const kmt_app_fleet_compose_result *res, kmt_json *j)
{
    kmt_json_object_begin(j);
    kmt_app_fleet_json_period(j, &res->fd);
    kmt_app_fleet_factors_json(j, &res->factors, &res->opts.factors);
    kmt_json_key(j, "catalogue");
    kmt_json_string(j, res->catalogue);
    kmt_json_key(j, "co2_weight");
    kmt_json_double(j, res->opts.co2_weight, 2);
    kmt_json_key(j, "co2_price_per_tonne");
    kmt_json_double(j, res->opts.factors.co2_price_per_tonne, 2);
    kmt_json_key(j, "sites");
    kmt_json_array_begin(j);
    for (size_t k = 0; k < res->ngroups; k++) group_json(j, &res->groups[k], res);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}

KMT__APP_FLEET_USECASE(compose, "fleet compose");
