/* SPDX-License-Identifier: MPL-2.0 */
/* pool plan as a use case: shared rides for booked trip requests
 * (include/kommute/app_pool.h; the model is in docs/pool.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/rows.h"
#include "kommute/csv.h"
#include "kommute/limits.h"
#include "pool_int.h"

static const kmt_app_param PARAMS[] = { KMT__APP_POOL_MODEL_PARAMS(kmt_app_pool_plan_req),
                                        { NULL, 0, 0, 0, 0, 0, NULL, 0 } };

void kmt_app_pool_plan_req_default(kmt_app_pool_plan_req *q)
{
    memset(q, 0, sizeof *q);
    kmt__app_pool_model_default(&q->model);
}

/* ---- reading the requests ------------------------------------------------------ */

/* The requests of the CSV text body (named label in errors) into r, through
 * io's carpool request reader (the one the fuzz target runs). */
static int read_requests(const char *label, const char *body, size_t len, size_t max_rows, kmt_app_pool_plan_result *r,
                         kmt_error *e)
{
    kmt_csv *c;
    int rc = kmt_csv_open_mem(&c, label, body, len, NULL, e);
    if (rc) return rc;
    kmt__pool_requests in;
    memset(&in, 0, sizeof in);
    in.arena = r->arena; /* the strings go to the result's arena */
    rc = kmt__pool_read_requests(c, max_rows, &in, e);
    r->arena = in.arena;
    r->r.v = in.r.v, r->r.n = in.r.n, r->r.cap = in.r.cap;
    r->line.v = in.line.v, r->line.n = in.line.n, r->line.cap = in.line.cap;
    kmt_csv_close(c);
    return rc;
}

/* ---- planning ---------------------------------------------------------------- */

/* The travel-time matrix of the requests' points: from the graph, naming
 * the request (and line) of a point off the roads, else haversine. */
static int matrix(const kmt_app_ctx *c, kmt_app_pool_plan_result *r, kmt_error *e)
{
    kmt_coord *pts = NULL;
    uint32_t npts = kmt_pool_index_points(r->r.v, r->r.n, &pts);
    const kmt_app_pool_model *md = &r->model;
    int rc;
    if (!c->graph) {
        rc = kmt_pool_matrix_haversine(pts, npts, md->road_factor, md->speed_kmh, &r->m, e);
        kmt_free(pts);
        return rc;
    }
    uint32_t bad = 0;
    rc = kmt_pool_matrix_graph(c->graph, pts, npts, md->max_snap_m, md->threads, &r->m, &bad, e);
    for (size_t i = 0; rc == KMT_ENOTFOUND && i < r->r.n; i++) {
        const kmt_pool_request *q = &r->r.v[i];
        if (q->o != bad && q->d != bad) continue;
        char msg[sizeof e->msg];
        snprintf(msg, sizeof msg, "%s", e->msg);
        kmt_error_at(e, KMT_ENOTFOUND, r->file, r->line.v[i], 0, q->o == bad ? "origin_lon" : "dest_lon",
                     "request %s: %.6f,%.6f is not near a road of the graph: %s", q->id, pts[bad].lon, pts[bad].lat,
                     msg);
        break;
    }
    kmt_free(pts);
    return rc;
}

static void result_init(kmt_app_pool_plan_result *r)
{
    memset(r, 0, sizeof *r);
    kmt_arena_init(&r->arena, 1 << 16);
    kmt_pool_plan_init(&r->plan);
}

int kmt_app_pool_plan(const kmt_app_ctx *c, const kmt_app_pool_plan_req *q, kmt_app_pool_plan_result *out, kmt_error *e)
{
    result_init(out);
    snprintf(out->file, sizeof out->file, "%s", c->body_label ? c->body_label : "body");
    int rc = kmt__app_pool_model(c, &q->model, KMT_APP_GIVEN(q, PARAMS, "co2-g-per-km"),
                                 KMT_APP_GIVEN(q, PARAMS, "cost-per-km"), &out->model, e);
    if (!rc) kmt__app_pool_travel_note(c, &out->model, 1, out->travel_times, sizeof out->travel_times);
    if (!rc && !c->body) rc = kmt_error_set(e, KMT_EUSAGE, "pool plan needs the requests (a CSV text)");
    if (!rc) rc = read_requests(out->file, c->body, c->body_len, c->max_rows, out, e);
    if (!rc) rc = matrix(c, out, e);
    if (!rc) rc = kmt_pool_solve(out->r.v, out->r.n, &out->m, &out->model.p, &out->plan, e);
    if (!rc) rc = kmt_pool_check(out->r.v, out->r.n, &out->m, &out->model.p, &out->plan, e);
    if (rc) {
        kmt_app_pool_plan_result_destroy(out);
        return rc;
    }
    for (size_t i = 0; i < out->r.n; i++) out->problems += out->plan.problem[i] != 0;
    return 0;
}

void kmt_app_pool_plan_result_destroy(kmt_app_pool_plan_result *r)
{
    kmt_pool_plan_destroy(&r->plan);
    kmt_pool_matrix_destroy(&r->m);
    KMT_VEC_FREE(r->r);
    KMT_VEC_FREE(r->line);
    kmt_arena_destroy(&r->arena);
}

/* ---- for the renderers ------------------------------------------------------------ */

const char *kmt_app_pool_problem_name(int p)
{
    return p == KMT_POOL_WINDOW_SHORT     ? "window_too_short"
           : p == KMT_POOL_NO_ROUTE       ? "no_route"
           : p == KMT_POOL_TOO_MANY_SEATS ? "too_many_seats"
                                          : "ok";
}

void kmt_app_pool_problem_message(const kmt_app_pool_plan_result *r, size_t i, char *buf, size_t n)
{
    const kmt_pool_request *q = &r->r.v[i];
    char a[24], b[24];
    int p = r->plan.problem[i];
    if (p == KMT_POOL_WINDOW_SHORT)
        snprintf(buf, n,
                 "window %s to %s (%.0f min) is shorter than the direct travel time (%.0f min); it travels alone",
                 kmt_time_format(q->earliest_departure, a, sizeof a), kmt_time_format(q->latest_arrival, b, sizeof b),
                 (double)(q->latest_arrival - q->earliest_departure) / 60.0, r->plan.direct_s[i] / 60.0);
    else if (p == KMT_POOL_NO_ROUTE)
        snprintf(buf, n, "no road route from its origin to its destination; it is left out of the km");
    else
        snprintf(buf, n, "needs %d seats, a car has %d; it travels alone", q->seats, r->model.p.seats);
}

int32_t kmt_app_pool_in_car(const kmt_pool_plan *plan, const kmt_pool_ride *rd, uint32_t req)
{
    kmt_time a = 0, b = 0;
    for (uint32_t j = 0; j < rd->nstops; j++) {
        const kmt_pool_stop *st = &plan->stops.v[rd->first_stop + j];
        if (st->request != req) continue;
        if (st->kind == KMT_POOL_PICKUP)
            a = st->time;
        else
            b = st->time;
    }
    return (int32_t)(b - a);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void json_travel_times(const kmt_app_pool_plan_result *r, kmt_json *j)
{
    const kmt_app_pool_model *m = &r->model;
    kmt_json_key(j, "travel_times");
    kmt_json_object_begin(j);
    kmt_json_key(j, "source");
    kmt_json_string(j, *m->graph ? "graph" : "haversine");
    if (*m->graph) {
        kmt_json_key(j, "graph");
        kmt_json_string(j, m->graph);
    } else {
        kmt_json_key(j, "road_factor");
        kmt_json_double(j, m->road_factor, 3);
        kmt_json_key(j, "speed_kmh");
        kmt_json_double(j, m->speed_kmh, 3);
    }
    kmt_json_key(j, "note");
    kmt_json_string(j, r->travel_times);
    kmt_json_object_end(j);
}

static void json_objective(const kmt_app_pool_model *m, kmt_json *j)
{
    kmt_json_key(j, "objective");
    kmt_json_string(j, kmt_app_pool_objective_name(m->objective));
    if (m->objective == KMT_POOL_OBJ_KM) return;
    int co2 = m->objective == KMT_POOL_OBJ_CO2;
    kmt_json_key(j, "factor");
    kmt_json_object_begin(j);
    kmt_json_key(j, "per_km");
    kmt_json_double(j, co2 ? m->co2_g_per_km : m->cost_per_km, 4);
    kmt_json_key(j, "unit");
    kmt_json_string(j, co2 ? "g CO2e" : m->currency);
    kmt_json_key(j, "note");
    kmt_json_string(j, m->factor_note);
    kmt_json_object_end(j);
}

/* "co2_saved_kg" or "cost_saved" for metres m under a co2/cost objective. */
static void json_saved(const kmt_app_pool_model *md, kmt_json *j, int64_t m)
{
    if (md->objective == KMT_POOL_OBJ_KM) return;
    kmt_json_key(j, md->objective == KMT_POOL_OBJ_CO2 ? "co2_saved_kg" : "cost_saved");
    kmt_json_double(j, kmt_app_pool_saved(md, (double)m / 1000.0), 3);
}

static void json_stop(const kmt_app_pool_plan_result *r, const kmt_pool_ride *rd, const kmt_pool_stop *st, kmt_json *j)
{
    const kmt_pool_plan *pl = &r->plan;
    const kmt_pool_request *x = &r->r.v[st->request];
    kmt_coord at = st->kind == KMT_POOL_PICKUP ? x->origin : x->dest;
    char t[32];
    kmt_json_object_begin(j);
    kmt_json_key(j, "request");
    kmt_json_string(j, x->id);
    kmt_json_key(j, "person");
    kmt_json_string(j, x->person);
    kmt_json_key(j, "kind");
    kmt_json_string(j, st->kind == KMT_POOL_PICKUP ? "pickup" : "dropoff");
    kmt_json_key(j, "time");
    kmt_json_string(j, kmt_time_format(st->time, t, sizeof t));
    kmt_json_key(j, "lon");
    kmt_json_double(j, at.lon, 6);
    kmt_json_key(j, "lat");
    kmt_json_double(j, at.lat, 6);
    if (st->kind == KMT_POOL_DROPOFF) {
        int32_t ic = kmt_app_pool_in_car(pl, rd, st->request);
        kmt_json_key(j, "in_car_min");
        kmt_json_double(j, ic / 60.0, 1);
        kmt_json_key(j, "detour_min");
        kmt_json_double(j, (ic - pl->direct_s[st->request]) / 60.0, 1);
    }
    kmt_json_object_end(j);
}

static void json_ride(const kmt_app_pool_plan_result *r, size_t q, kmt_json *j)
{
    const kmt_pool_plan *pl = &r->plan;
    const kmt_pool_ride *rd = &pl->rides.v[q];
    const kmt_pool_stop *stops = &pl->stops.v[rd->first_stop];
    kmt_json_object_begin(j);
    kmt_json_key(j, "ride");
    kmt_json_int(j, (int64_t)q + 1);
    kmt_json_key(j, "driver");
    kmt_json_string(j, r->r.v[rd->driver].id);
    kmt_json_key(j, "passengers");
    kmt_json_array_begin(j);
    for (uint32_t s = 0; s < rd->nstops; s++)
        if (stops[s].kind == KMT_POOL_PICKUP && stops[s].request != rd->driver)
            kmt_json_string(j, r->r.v[stops[s].request].id);
    kmt_json_array_end(j);
    kmt_json_key(j, "stops");
    kmt_json_array_begin(j);
    for (uint32_t s = 0; s < rd->nstops; s++) json_stop(r, rd, &stops[s], j);
    kmt_json_array_end(j);
    kmt_json_key(j, "km");
    kmt_json_double(j, rd->m_driven / 1000.0, 3);
    kmt_json_key(j, "km_saved");
    kmt_json_double(j, rd->m_saved / 1000.0, 3);
    json_saved(&r->model, j, rd->m_saved);
    kmt_json_object_end(j);
}

static void json_alone_problems(const kmt_app_pool_plan_result *r, kmt_json *j)
{
    const kmt_pool_plan *pl = &r->plan;
    kmt_json_key(j, "alone");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < r->r.n; i++)
        if (pl->ride_of[i] < 0) kmt_json_string(j, r->r.v[i].id);
    kmt_json_array_end(j);
    kmt_json_key(j, "problems");
    kmt_json_array_begin(j);
    char msg[512];
    for (size_t i = 0; i < r->r.n; i++) {
        if (!pl->problem[i]) continue;
        kmt_app_pool_problem_message(r, i, msg, sizeof msg);
        kmt_json_object_begin(j);
        kmt_json_key(j, "request");
        kmt_json_string(j, r->r.v[i].id);
        kmt_json_key(j, "line");
        kmt_json_int(j, r->line.v[i]);
        kmt_json_key(j, "problem");
        kmt_json_string(j, kmt_app_pool_problem_name(pl->problem[i]));
        kmt_json_key(j, "message");
        kmt_json_string(j, msg);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

static void json_summary(const kmt_app_pool_plan_result *r, kmt_json *j)
{
    const kmt_pool_plan *pl = &r->plan;
    kmt_json_key(j, "summary");
    kmt_json_object_begin(j);
    kmt_json_key(j, "requests");
    kmt_json_int(j, (int64_t)r->r.n);
    kmt_json_key(j, "shared_requests");
    kmt_json_int(j, (int64_t)pl->shared_requests);
    kmt_json_key(j, "rides");
    kmt_json_int(j, (int64_t)pl->rides.n);
    kmt_json_key(j, "km_direct");
    kmt_json_double(j, pl->m_direct / 1000.0, 3);
    kmt_json_key(j, "km_driven");
    kmt_json_double(j, pl->m_driven / 1000.0, 3);
    kmt_json_key(j, "km_saved");
    kmt_json_double(j, pl->m_saved / 1000.0, 3);
    json_saved(&r->model, j, pl->m_saved);
    kmt_json_key(j, "exact");
    kmt_json_bool(j, pl->exact);
    kmt_json_key(j, "components");
    kmt_json_int(j, (int64_t)pl->components);
    kmt_json_key(j, "largest_component");
    kmt_json_int(j, (int64_t)pl->largest_component);
    kmt_json_key(j, "heuristic_components");
    kmt_json_int(j, (int64_t)pl->heuristic_components);
    kmt_json_key(j, "pair_edges");
    kmt_json_int(j, (int64_t)pl->pair_edges);
    kmt_json_key(j, "groups");
    kmt_json_int(j, (int64_t)pl->groups);
    kmt_json_object_end(j);
}

void kmt_app_pool_plan_json(const kmt_app_pool_plan_result *r, kmt_json *j)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "file");
    kmt_json_string(j, r->file);
    json_travel_times(r, j);
    json_objective(&r->model, j);
    kmt_json_key(j, "rides");
    kmt_json_array_begin(j);
    for (size_t q = 0; q < r->plan.rides.n; q++) json_ride(r, q, j);
    kmt_json_array_end(j);
    json_alone_problems(r, j);
    json_summary(r, j);
    kmt_json_object_end(j);
}

static void req_default(void *q)
{
    kmt_app_pool_plan_req_default(q);
}

static int json(const kmt_app_ctx *c, const void *q, kmt_json *j, kmt_error *e)
{
    kmt_app_pool_plan_result r;
    int rc = kmt_app_pool_plan(c, q, &r, e);
    if (rc) return rc;
    kmt_app_pool_plan_json(&r, j);
    kmt_app_pool_plan_result_destroy(&r);
    return 0;
}

const kmt_app_usecase kmt_app_pool_plan_usecase = {
    "pool plan", PARAMS, sizeof(kmt_app_pool_plan_req), req_default, KMT_APP_NEEDS_BODY | KMT_APP_USES_GRAPH, json
};
