/* SPDX-License-Identifier: MPL-2.0 */
/* pool analyse as a use case: how much of the store's past trips could have
 * been pooled, day by day (include/kommute/app_pool.h, docs/pool.md). */
#include <stdio.h>
#include <string.h>

#include "kommute/store.h"
#include "pool_int.h"

typedef kmt_app_pool_analyse_req req_t;
static const kmt_app_param PARAMS[] = { KMT__APP_POOL_MODEL_PARAMS(req_t),
                                        { "from", 0, KMT_APP_P_DATE, 0, 0, offsetof(req_t, from), "2024-01-01", 0 },
                                        { "to", 0, KMT_APP_P_DATE, 0, 0, offsetof(req_t, to), "2024-12-31", 0 },
                                        { "flex-min", 0, KMT_APP_P_DOUBLE, 0, 1440, offsetof(req_t, flex_min), NULL,
                                          0 },
                                        { NULL, 0, 0, 0, 0, 0, NULL, 0 } };

const char *const kmt_app_pool_detour_bins[KMT_POOL_DETOUR_BINS] = { "0",         "0-2 min",   "2-5 min",    "5-10 min",
                                                                     "10-15 min", "15-30 min", "over 30 min" };

void kmt_app_pool_analyse_req_default(kmt_app_pool_analyse_req *q)
{
    memset(q, 0, sizeof *q);
    kmt__app_pool_model_default(&q->model);
    q->from = q->to = KMT_TIME_NONE;
    q->flex_min = 15;
}

double kmt_app_pool_share(double a, double b)
{
    return b > 0 ? 100.0 * a / b : 0;
}

/* The period: both days required, the last one included. */
static int period(const kmt_app_ctx *c, const kmt_app_pool_analyse_req *q, kmt_app_pool_analyse_result *out,
                  kmt_error *e)
{
    const char *pre = c->param_prefix ? c->param_prefix : "";
    if (q->from == KMT_TIME_NONE || q->to == KMT_TIME_NONE)
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, q->from == KMT_TIME_NONE ? "from" : "to",
                            "%sfrom DATE and %sto DATE are required", pre, pre);
    out->from = kmt_time_midnight(q->from);
    out->to = kmt_time_midnight(q->to) + KMT_DAY;
    if (out->to <= out->from) return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "to", "%sto is before %sfrom", pre, pre);
    return 0;
}

/* The store's fleet trips and travel records of the period, analysed. */
static int analyse(const kmt_app_ctx *c, kmt_app_pool_analyse_result *out, kmt_error *e)
{
    if (!c->store) return kmt_error_set(e, KMT_EUSAGE, "this analysis needs a store");
    kmt_store_query sq = kmt_store_query_all();
    sq.from = out->from;
    sq.to = out->to;
    int rc = kmt_store_load_fleet(c->store, &sq, &out->fleet, e);
    if (!rc) rc = kmt_store_load_travel(c->store, &sq, &out->travel, e);
    if (rc) return rc;
    kmt_pool_analysis_opts ap;
    memset(&ap, 0, sizeof ap);
    ap.pool = out->model.p;
    ap.flex_s = out->flex_s;
    ap.road_factor = out->model.road_factor;
    ap.speed_kmh = out->model.speed_kmh;
    ap.max_snap_m = out->model.max_snap_m;
    ap.threads = out->model.threads;
    return kmt_pool_analyse(&out->fleet, &out->travel, c->graph, &ap, &out->an, e);
}

int kmt_app_pool_analyse(const kmt_app_ctx *c, const kmt_app_pool_analyse_req *q, kmt_app_pool_analyse_result *out,
                         kmt_error *e)
{
    memset(out, 0, sizeof *out);
    kmt_dataset_init(&out->fleet);
    kmt_dataset_init(&out->travel);
    kmt_pool_analysis_init(&out->an);
    out->flex_s = (int)(q->flex_min * 60 + 0.5);
    int rc = period(c, q, out, e);
    if (!rc)
        rc = kmt__app_pool_model(c, &q->model, KMT_APP_GIVEN(q, PARAMS, "co2-g-per-km"),
                                 KMT_APP_GIVEN(q, PARAMS, "cost-per-km"), &out->model, e);
    if (!rc) {
        kmt__app_pool_travel_note(c, &out->model, 0, out->travel_times, sizeof out->travel_times);
        rc = analyse(c, out, e);
    }
    if (rc) kmt_app_pool_analyse_result_destroy(out);
    return rc;
}

void kmt_app_pool_analyse_result_destroy(kmt_app_pool_analyse_result *r)
{
    kmt_pool_analysis_destroy(&r->an);
    kmt_dataset_destroy(&r->fleet);
    kmt_dataset_destroy(&r->travel);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void json_tally(kmt_json *j, const kmt_pool_tally *t)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "key");
    kmt_json_string(j, t->key);
    kmt_json_key(j, "trips");
    kmt_json_int(j, t->trips);
    kmt_json_key(j, "pooled");
    kmt_json_int(j, t->pooled);
    kmt_json_key(j, "share_trips_pct");
    kmt_json_double(j, kmt_app_pool_share((double)t->pooled, (double)t->trips), 1);
    kmt_json_key(j, "km");
    kmt_json_double(j, t->km, 1);
    kmt_json_key(j, "km_pooled");
    kmt_json_double(j, t->km_pooled, 1);
    kmt_json_key(j, "share_km_pct");
    kmt_json_double(j, kmt_app_pool_share(t->km_pooled, t->km), 1);
    kmt_json_key(j, "km_saved");
    kmt_json_double(j, t->km_saved, 1);
    kmt_json_key(j, "saved_pct");
    kmt_json_double(j, kmt_app_pool_share(t->km_saved, t->km), 1);
    kmt_json_object_end(j);
}

static void json_tallies(kmt_json *j, const char *name, const kmt_pool_tallies *v)
{
    kmt_json_key(j, name);
    kmt_json_array_begin(j);
    for (size_t i = 0; i < v->n; i++) json_tally(j, &v->v[i]);
    kmt_json_array_end(j);
}

/* What was looked at and why trips were not eligible. */
static void json_counts(kmt_json *j, const kmt_pool_analysis *an)
{
    kmt_json_key(j, "looked_at");
    kmt_json_object_begin(j);
    kmt_json_key(j, "fleet_trips");
    kmt_json_int(j, an->fleet_trips);
    kmt_json_key(j, "travel_records");
    kmt_json_int(j, an->travel_records);
    kmt_json_object_end(j);
    kmt_json_key(j, "not_eligible");
    kmt_json_object_begin(j);
    kmt_json_key(j, "round_trips");
    kmt_json_int(j, an->round_trips);
    kmt_json_key(j, "not_by_car");
    kmt_json_int(j, an->not_car);
    kmt_json_key(j, "no_coordinates");
    kmt_json_int(j, an->no_coords);
    kmt_json_key(j, "no_times");
    kmt_json_int(j, an->no_times);
    kmt_json_key(j, "unroutable");
    kmt_json_int(j, an->unroutable);
    kmt_json_object_end(j);
    kmt_json_key(j, "days");
    kmt_json_int(j, an->days);
    kmt_json_key(j, "windows_widened");
    kmt_json_int(j, an->widened);
    kmt_json_key(j, "rides");
    kmt_json_int(j, an->rides);
    kmt_json_key(j, "exact");
    kmt_json_bool(j, an->exact);
}

static void json_detours(kmt_json *j, const kmt_pool_analysis *an)
{
    kmt_json_key(j, "detours");
    kmt_json_object_begin(j);
    kmt_json_key(j, "histogram");
    kmt_json_array_begin(j);
    for (int i = 0; i < KMT_POOL_DETOUR_BINS; i++) {
        kmt_json_object_begin(j);
        kmt_json_key(j, "detour");
        kmt_json_string(j, kmt_app_pool_detour_bins[i]);
        kmt_json_key(j, "persons");
        kmt_json_int(j, an->detour_hist[i]);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, "median_min");
    kmt_json_double(j, an->detour_p50_min, 1);
    kmt_json_key(j, "p90_min");
    kmt_json_double(j, an->detour_p90_min, 1);
    kmt_json_key(j, "max_min");
    kmt_json_double(j, an->detour_max_min, 1);
    kmt_json_object_end(j);
}

void kmt_app_pool_analyse_json(const kmt_app_pool_analyse_result *r, kmt_json *j)
{
    const kmt_pool_analysis *an = &r->an;
    const kmt_app_pool_model *m = &r->model;
    char d0[16], d1[16];
    kmt_json_object_begin(j);
    kmt_json_key(j, "from");
    kmt_json_string(j, kmt_time_format_date(r->from, d0, sizeof d0));
    kmt_json_key(j, "to");
    kmt_json_string(j, kmt_time_format_date(r->to - KMT_DAY, d1, sizeof d1));
    kmt_json_key(j, "flex_min");
    kmt_json_double(j, r->flex_s / 60.0, 1);
    kmt_json_key(j, "max_group");
    kmt_json_int(j, m->p.max_group);
    kmt_json_key(j, "travel_times");
    kmt_json_string(j, r->travel_times);
    json_counts(j, an);
    kmt_json_key(j, "total");
    json_tally(j, &an->total);
    if (m->objective != KMT_POOL_OBJ_KM) {
        kmt_json_key(j, m->objective == KMT_POOL_OBJ_CO2 ? "co2_saved_kg" : "cost_saved");
        kmt_json_double(j, kmt_app_pool_saved(m, an->total.km_saved), 1);
        kmt_json_key(j, "factor");
        kmt_json_string(j, m->factor_note);
    }
    json_tallies(j, "by_department", &an->by_department);
    json_tallies(j, "by_site", &an->by_site);
    json_tallies(j, "by_weekday", &an->by_weekday);
    json_detours(j, an);
    kmt_json_object_end(j);
}

static void req_default(void *q)
{
    kmt_app_pool_analyse_req_default(q);
}

static int json(const kmt_app_ctx *c, const void *q, kmt_json *j, kmt_error *e)
{
    kmt_app_pool_analyse_result r;
    int rc = kmt_app_pool_analyse(c, q, &r, e);
    if (rc) return rc;
    kmt_app_pool_analyse_json(&r, j);
    kmt_app_pool_analyse_result_destroy(&r);
    return 0;
}

const kmt_app_usecase kmt_app_pool_analyse_usecase = { "pool analyse",
                                                       PARAMS,
                                                       sizeof(kmt_app_pool_analyse_req),
                                                       req_default,
                                                       KMT_APP_NEEDS_STORE | KMT_APP_USES_GRAPH,
                                                       json };
