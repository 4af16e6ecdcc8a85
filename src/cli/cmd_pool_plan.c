/* SPDX-License-Identifier: MPL-2.0 */
/* kommute pool plan FILE.csv: shared rides for booked trips. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd_pool.h"
#include "import.h"
#include "kommute/csv.h"
#include "kommute/json.h"

static const char HELP[] =
    "Usage: kommute pool plan FILE.csv [--graph G] [--format text|json|csv] [options]\n"
    "\n"
    "Propose shared rides (samkoersel) for trip requests: who drives, whom they pick\n"
    "up, in which order and when, and the vehicle-km saved. Pairs are matched exactly\n"
    "(maximum-weight matching); rides of 3+ exactly on small components, by local\n"
    "search beyond (the summary says which). The model is in docs/pool.md.\n"
    "\n"
    "Columns (header names; the order is free):\n"
    "  request_id,person,department,origin_lon,origin_lat,dest_lon,dest_lat,\n"
    "  earliest_departure,latest_arrival,seats,can_drive\n"
    "times ISO 8601 (2024-05-06T08:30); seats default 1; can_drive yes/no, default yes.\n"
    "A request whose window is shorter than its direct travel time is reported and\n"
    "travels alone.\n"
    "\n"
    "Options:\n" POOL_MODEL_HELP;

typedef kmt__pool_requests input;

static int read_requests(const char *path, input *in, kmt_error *e)
{
    kmt_csv *c;
    int rc = kmt_csv_open(&c, path, NULL, e);
    if (rc) return rc;
    rc = kmt__pool_read_requests(c, in, e);
    kmt_csv_close(c);
    return rc;
}

/* ---- output ----------------------------------------------------------------- */

typedef struct out_ctx {
    const pool_settings *s;
    const char *file;
    const input *in;
    const kmt_pool_plan *plan;
    const kmt_pool_matrix *m;
} out_ctx;

static const char *problem_text(int p)
{
    return p == KMT_POOL_WINDOW_SHORT ? "window_too_short"
           : p == KMT_POOL_NO_ROUTE   ? "no_route"
           : p == KMT_POOL_TOO_MANY_SEATS ? "too_many_seats"
                                          : "ok";
}

static void problem_message(const out_ctx *o, size_t i, char *buf, size_t n)
{
    const kmt_pool_request *q = &o->in->r.v[i];
    char a[24], b[24];
    int p = o->plan->problem[i];
    if (p == KMT_POOL_WINDOW_SHORT)
        snprintf(buf, n, "window %s to %s (%.0f min) is shorter than the direct travel time (%.0f min); it travels alone",
                 kmt_time_format(q->earliest_departure, a, sizeof a), kmt_time_format(q->latest_arrival, b, sizeof b),
                 (double)(q->latest_arrival - q->earliest_departure) / 60.0, o->plan->direct_s[i] / 60.0);
    else if (p == KMT_POOL_NO_ROUTE)
        snprintf(buf, n, "no road route from its origin to its destination; it is left out of the km");
    else
        snprintf(buf, n, "needs %d seats, a car has %d; it travels alone", q->seats, o->s->p.seats);
}

static double saved_in_objective(const pool_settings *s, double km)
{
    return s->objective == KMT_POOL_OBJ_CO2 ? km * s->co2_g_per_km / 1000.0
           : s->objective == KMT_POOL_OBJ_COST ? km * s->cost_per_km
                                               : km;
}

static void travel_note(const out_ctx *o, char *buf, size_t n)
{
    if (o->s->graph)
        snprintf(buf, n, "travel times and distances from the road graph %s (car)", o->s->graph);
    else
        snprintf(buf, n,
                 "no road graph: distance = great-circle distance x %g, time = distance at %g km/h (use --graph "
                 "for road travel times)",
                 o->s->road_factor, o->s->speed_kmh);
}

static int32_t in_car(const kmt_pool_plan *plan, const kmt_pool_ride *rd, uint32_t req)
{
    kmt_time a = 0, b = 0;
    for (uint32_t j = 0; j < rd->nstops; j++) {
        const kmt_pool_stop *st = &plan->stops.v[rd->first_stop + j];
        if (st->request != req) continue;
        if (st->kind == KMT_POOL_PICKUP) a = st->time;
        else b = st->time;
    }
    return (int32_t)(b - a);
}

static void write_json(const out_ctx *o, kmt_buf *b)
{
    const kmt_pool_plan *pl = o->plan;
    const kmt_pool_request *r = o->in->r.v;
    kmt_json j;
    kmt_json_init(&j, NULL);
    char t[32], note[512];
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "file");
    kmt_json_string(&j, o->file);
    kmt_json_key(&j, "travel_times");
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "source");
    kmt_json_string(&j, o->s->graph ? "graph" : "haversine");
    if (o->s->graph) {
        kmt_json_key(&j, "graph");
        kmt_json_string(&j, o->s->graph);
    } else {
        kmt_json_key(&j, "road_factor");
        kmt_json_double(&j, o->s->road_factor, 3);
        kmt_json_key(&j, "speed_kmh");
        kmt_json_double(&j, o->s->speed_kmh, 3);
    }
    travel_note(o, note, sizeof note);
    kmt_json_key(&j, "note");
    kmt_json_string(&j, note);
    kmt_json_object_end(&j);
    kmt_json_key(&j, "objective");
    kmt_json_string(&j, kmt__pool_objective_name(o->s->objective));
    if (o->s->objective != KMT_POOL_OBJ_KM) {
        kmt_json_key(&j, "factor");
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "per_km");
        kmt_json_double(&j, o->s->objective == KMT_POOL_OBJ_CO2 ? o->s->co2_g_per_km : o->s->cost_per_km, 4);
        kmt_json_key(&j, "unit");
        kmt_json_string(&j, o->s->objective == KMT_POOL_OBJ_CO2 ? "g CO2e" : o->s->currency);
        kmt_json_key(&j, "note");
        kmt_json_string(&j, o->s->factor_note);
        kmt_json_object_end(&j);
    }
    kmt_json_key(&j, "rides");
    kmt_json_array_begin(&j);
    for (size_t q = 0; q < pl->rides.n; q++) {
        const kmt_pool_ride *rd = &pl->rides.v[q];
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "ride");
        kmt_json_int(&j, (int64_t)q + 1);
        kmt_json_key(&j, "driver");
        kmt_json_string(&j, r[rd->driver].id);
        kmt_json_key(&j, "passengers");
        kmt_json_array_begin(&j);
        for (uint32_t s = 0; s < rd->nstops; s++) {
            const kmt_pool_stop *st = &pl->stops.v[rd->first_stop + s];
            if (st->kind == KMT_POOL_PICKUP && st->request != rd->driver) kmt_json_string(&j, r[st->request].id);
        }
        kmt_json_array_end(&j);
        kmt_json_key(&j, "stops");
        kmt_json_array_begin(&j);
        for (uint32_t s = 0; s < rd->nstops; s++) {
            const kmt_pool_stop *st = &pl->stops.v[rd->first_stop + s];
            const kmt_pool_request *x = &r[st->request];
            kmt_coord at = st->kind == KMT_POOL_PICKUP ? x->origin : x->dest;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "request");
            kmt_json_string(&j, x->id);
            kmt_json_key(&j, "person");
            kmt_json_string(&j, x->person);
            kmt_json_key(&j, "kind");
            kmt_json_string(&j, st->kind == KMT_POOL_PICKUP ? "pickup" : "dropoff");
            kmt_json_key(&j, "time");
            kmt_json_string(&j, kmt_time_format(st->time, t, sizeof t));
            kmt_json_key(&j, "lon");
            kmt_json_double(&j, at.lon, 6);
            kmt_json_key(&j, "lat");
            kmt_json_double(&j, at.lat, 6);
            if (st->kind == KMT_POOL_DROPOFF) {
                int32_t ic = in_car(pl, rd, st->request);
                kmt_json_key(&j, "in_car_min");
                kmt_json_double(&j, ic / 60.0, 1);
                kmt_json_key(&j, "detour_min");
                kmt_json_double(&j, (ic - pl->direct_s[st->request]) / 60.0, 1);
            }
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        kmt_json_key(&j, "km");
        kmt_json_double(&j, rd->m_driven / 1000.0, 3);
        kmt_json_key(&j, "km_saved");
        kmt_json_double(&j, rd->m_saved / 1000.0, 3);
        if (o->s->objective != KMT_POOL_OBJ_KM) {
            kmt_json_key(&j, o->s->objective == KMT_POOL_OBJ_CO2 ? "co2_saved_kg" : "cost_saved");
            kmt_json_double(&j, saved_in_objective(o->s, rd->m_saved / 1000.0), 3);
        }
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    kmt_json_key(&j, "alone");
    kmt_json_array_begin(&j);
    for (size_t i = 0; i < o->in->r.n; i++)
        if (pl->ride_of[i] < 0) kmt_json_string(&j, r[i].id);
    kmt_json_array_end(&j);
    kmt_json_key(&j, "problems");
    kmt_json_array_begin(&j);
    for (size_t i = 0; i < o->in->r.n; i++) {
        if (!pl->problem[i]) continue;
        problem_message(o, i, note, sizeof note);
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "request");
        kmt_json_string(&j, r[i].id);
        kmt_json_key(&j, "line");
        kmt_json_int(&j, o->in->line.v[i]);
        kmt_json_key(&j, "problem");
        kmt_json_string(&j, problem_text(pl->problem[i]));
        kmt_json_key(&j, "message");
        kmt_json_string(&j, note);
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    kmt_json_key(&j, "summary");
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "requests");
    kmt_json_int(&j, (int64_t)o->in->r.n);
    kmt_json_key(&j, "shared_requests");
    kmt_json_int(&j, (int64_t)pl->shared_requests);
    kmt_json_key(&j, "rides");
    kmt_json_int(&j, (int64_t)pl->rides.n);
    kmt_json_key(&j, "km_direct");
    kmt_json_double(&j, pl->m_direct / 1000.0, 3);
    kmt_json_key(&j, "km_driven");
    kmt_json_double(&j, pl->m_driven / 1000.0, 3);
    kmt_json_key(&j, "km_saved");
    kmt_json_double(&j, pl->m_saved / 1000.0, 3);
    if (o->s->objective != KMT_POOL_OBJ_KM) {
        kmt_json_key(&j, o->s->objective == KMT_POOL_OBJ_CO2 ? "co2_saved_kg" : "cost_saved");
        kmt_json_double(&j, saved_in_objective(o->s, pl->m_saved / 1000.0), 3);
    }
    kmt_json_key(&j, "exact");
    kmt_json_bool(&j, pl->exact);
    kmt_json_key(&j, "components");
    kmt_json_int(&j, (int64_t)pl->components);
    kmt_json_key(&j, "largest_component");
    kmt_json_int(&j, (int64_t)pl->largest_component);
    kmt_json_key(&j, "heuristic_components");
    kmt_json_int(&j, (int64_t)pl->heuristic_components);
    kmt_json_key(&j, "pair_edges");
    kmt_json_int(&j, (int64_t)pl->pair_edges);
    kmt_json_key(&j, "groups");
    kmt_json_int(&j, (int64_t)pl->groups);
    kmt_json_object_end(&j);
    kmt_json_object_end(&j);
    kmt_buf_put(b, j.buf.data, j.buf.len);
    kmt_buf_puts(b, "\n");
    kmt_json_free(&j);
}

static void write_csv(const out_ctx *o, kmt_buf *b)
{
    const kmt_pool_plan *pl = o->plan;
    const kmt_pool_request *r = o->in->r.v;
    char t[32];
    kmt_buf_puts(b, "ride,driver,request,person,department,kind,time,lon,lat,ride_km,ride_km_saved\n");
    for (size_t q = 0; q < pl->rides.n; q++) {
        const kmt_pool_ride *rd = &pl->rides.v[q];
        for (uint32_t s = 0; s < rd->nstops; s++) {
            const kmt_pool_stop *st = &pl->stops.v[rd->first_stop + s];
            const kmt_pool_request *x = &r[st->request];
            kmt_coord at = st->kind == KMT_POOL_PICKUP ? x->origin : x->dest;
            kmt_buf_printf(b, "%zu,", q + 1);
            kmt_csv_put_field(b, r[rd->driver].id);
            kmt_buf_puts(b, ",");
            kmt_csv_put_field(b, x->id);
            kmt_buf_puts(b, ",");
            kmt_csv_put_field(b, x->person);
            kmt_buf_puts(b, ",");
            kmt_csv_put_field(b, x->department);
            kmt_buf_printf(b, ",%s,%s,%.6f,%.6f,%.3f,%.3f\n", st->kind == KMT_POOL_PICKUP ? "pickup" : "dropoff",
                           kmt_time_format(st->time, t, sizeof t), at.lon, at.lat, rd->m_driven / 1000.0,
                           rd->m_saved / 1000.0);
        }
    }
    for (size_t i = 0; i < o->in->r.n; i++) {
        if (pl->ride_of[i] >= 0) continue;
        kmt_buf_puts(b, ",,");
        kmt_csv_put_field(b, r[i].id);
        kmt_buf_puts(b, ",");
        kmt_csv_put_field(b, r[i].person);
        kmt_buf_puts(b, ",");
        kmt_csv_put_field(b, r[i].department);
        kmt_buf_printf(b, ",%s,,,,%.3f,0\n", pl->problem[i] ? problem_text(pl->problem[i]) : "alone",
                       pl->direct_m[i] / 1000.0);
    }
}

static void name_of(const kmt_pool_request *x, char *buf, size_t n)
{
    if (*x->person && *x->department) snprintf(buf, n, "%s (%s, %s)", x->id, x->person, x->department);
    else if (*x->person) snprintf(buf, n, "%s (%s)", x->id, x->person);
    else snprintf(buf, n, "%s", x->id);
}

static void write_text(const out_ctx *o, kmt_buf *b)
{
    const kmt_pool_plan *pl = o->plan;
    const kmt_pool_request *r = o->in->r.v;
    char t[32], note[512], nm[256];
    size_t n = o->in->r.n, alone = n - pl->shared_requests;
    travel_note(o, note, sizeof note);
    kmt_buf_printf(b, "pool plan %s: %zu requests; %s\n", o->file, n, note);
    kmt_buf_printf(b, "%zu shared ride%s carr%s %zu requests; %zu travel%s alone\n", pl->rides.n,
                   pl->rides.n == 1 ? "" : "s", pl->rides.n == 1 ? "ies" : "y", pl->shared_requests, alone,
                   alone == 1 ? "s" : "");
    double pct = pl->m_direct ? 100.0 * (double)pl->m_saved / (double)pl->m_direct : 0;
    kmt_buf_printf(b, "km direct %.1f, driven %.1f, saved %.1f (%.1f%%)", pl->m_direct / 1000.0, pl->m_driven / 1000.0,
                   pl->m_saved / 1000.0, pct);
    if (o->s->objective == KMT_POOL_OBJ_CO2)
        kmt_buf_printf(b, "; CO2e saved %.1f kg", saved_in_objective(o->s, pl->m_saved / 1000.0));
    else if (o->s->objective == KMT_POOL_OBJ_COST)
        kmt_buf_printf(b, "; cost saved %.2f %s", saved_in_objective(o->s, pl->m_saved / 1000.0), o->s->currency);
    kmt_buf_puts(b, "\n");
    if (o->s->objective != KMT_POOL_OBJ_KM) kmt_buf_printf(b, "factor: %s\n", o->s->factor_note);
    for (size_t q = 0; q < pl->rides.n; q++) {
        const kmt_pool_ride *rd = &pl->rides.v[q];
        name_of(&r[rd->driver], nm, sizeof nm);
        kmt_buf_printf(b, "\nride %zu: driver %s, %u passenger%s; %.1f km, saves %.1f km\n", q + 1, nm,
                       rd->nmembers - 1, rd->nmembers == 2 ? "" : "s", rd->m_driven / 1000.0, rd->m_saved / 1000.0);
        for (uint32_t s = 0; s < rd->nstops; s++) {
            const kmt_pool_stop *st = &pl->stops.v[rd->first_stop + s];
            name_of(&r[st->request], nm, sizeof nm);
            kmt_time_format(st->time, t, sizeof t);
            kmt_buf_printf(b, "  %s  %-7s %s", t + 11, st->kind == KMT_POOL_PICKUP ? "pickup" : "dropoff", nm);
            if (st->kind == KMT_POOL_DROPOFF) {
                int32_t ic = in_car(pl, rd, st->request);
                kmt_buf_printf(b, "  (in the car %.0f min, direct %.0f, detour %.0f)", ic / 60.0,
                               pl->direct_s[st->request] / 60.0, (ic - pl->direct_s[st->request]) / 60.0);
            }
            kmt_buf_puts(b, "\n");
        }
    }
    if (alone) {
        kmt_buf_puts(b, "\nalone:");
        for (size_t i = 0; i < n; i++)
            if (pl->ride_of[i] < 0) kmt_buf_printf(b, " %s", r[i].id);
        kmt_buf_puts(b, "\n");
    }
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pl->problem[i]) continue;
        if (!any++) kmt_buf_puts(b, "\nproblems:\n");
        problem_message(o, i, note, sizeof note);
        kmt_buf_printf(b, "  %s (line %ld): %s\n", r[i].id, o->in->line.v[i], note);
    }
    if (pl->exact)
        kmt_buf_printf(b, "\noptimal: every component (largest %zu requests) solved exactly\n", pl->largest_component);
    else
        kmt_buf_printf(b, "\nnot proven optimal: %zu of %zu components (largest %zu requests) packed by local search\n",
                       pl->heuristic_components, pl->components, pl->largest_component);
}

/* ---- the command ------------------------------------------------------------ */

static int run(int argc, char **argv)
{
    pool_settings s;
    kmt_opt opts[40];
    const char *pos[64];
    int np = 0;
    int rc = kmt__pool_parse(argc, argv, opts, 0, &s, pos, &np, HELP);
    if (rc) return rc;
    if (np != 1) return kmt_cli_usage(argv[0], "expected one FILE.csv of trip requests");

    kmt_error e;
    kmt_error_init(&e);
    input in;
    memset(&in, 0, sizeof in);
    kmt_arena_init(&in.arena, 1 << 16);
    kmt_graph *g = NULL;
    kmt_coord *pts = NULL;
    kmt_pool_matrix m;
    memset(&m, 0, sizeof m);
    kmt_pool_plan plan;
    kmt_pool_plan_init(&plan);
    int exit_code = KMT_EXIT_OK;
    rc = read_requests(pos[0], &in, &e);
    if (!rc && s.graph) rc = kmt_graph_open(s.graph, &g, &e);
    if (!rc) {
        uint32_t npts = kmt_pool_index_points(in.r.v, in.r.n, &pts);
        if (g) {
            uint32_t bad = 0;
            rc = kmt_pool_matrix_graph(g, pts, npts, s.max_snap_m, s.threads, &m, &bad, &e);
            if (rc == KMT_ENOTFOUND) {
                /* name the request (and line) of the point */
                for (size_t i = 0; i < in.r.n; i++)
                    if (in.r.v[i].o == bad || in.r.v[i].d == bad) {
                        char msg[sizeof e.msg];
                        snprintf(msg, sizeof msg, "%s", e.msg);
                        kmt_error_at(&e, KMT_ENOTFOUND, pos[0], in.line.v[i], 0,
                                     in.r.v[i].o == bad ? "origin_lon" : "dest_lon",
                                     "request %s: %.6f,%.6f is not near a road of the graph: %s", in.r.v[i].id,
                                     pts[bad].lon, pts[bad].lat, msg);
                        break;
                    }
            }
        } else {
            rc = kmt_pool_matrix_haversine(pts, npts, s.road_factor, s.speed_kmh, &m, &e);
        }
    }
    if (!rc) rc = kmt_pool_solve(in.r.v, in.r.n, &m, &s.p, &plan, &e);
    if (!rc) rc = kmt_pool_check(in.r.v, in.r.n, &m, &s.p, &plan, &e);
    if (rc) {
        exit_code = kmt_cli_error(&e);
    } else {
        kmt_buf b;
        kmt_buf_init(&b);
        out_ctx o = {&s, pos[0], &in, &plan, &m};
        if (!strcmp(s.format, "json")) write_json(&o, &b);
        else if (!strcmp(s.format, "csv")) write_csv(&o, &b);
        else write_text(&o, &b);
        exit_code = kmt__pool_emit(&s, &b);
        kmt_buf_free(&b);
        size_t nprob = 0;
        for (size_t i = 0; i < in.r.n; i++) nprob += plan.problem[i] != 0;
        if (nprob && strcmp(s.format, "text"))
            fprintf(stderr, "kommute: warning: %zu request%s cannot be shared (see \"problems\")\n", nprob,
                    nprob == 1 ? "" : "s");
    }
    kmt_pool_plan_destroy(&plan);
    kmt_pool_matrix_free(&m);
    kmt_free(pts);
    kmt_graph_close(g);
    KMT_VEC_FREE(in.r);
    KMT_VEC_FREE(in.line);
    kmt_arena_destroy(&in.arena);
    return exit_code;
}

KMT_COMMAND("pool plan", "propose shared rides for trip requests", run, HELP)
