/* SPDX-License-Identifier: MPL-2.0 */
/* kommute pool plan FILE.csv: shared rides for booked trips. */
#include <stdlib.h>
#include <string.h>

#include "cmd_pool.h"
#include "kommute/app_pool.h"
#include "kommute/csv.h"
#include "kommute/json.h"

static const char HELP[] = "Usage: kommute pool plan FILE.csv [--graph G] [--format text|json|csv] [options]\n"
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

static void write_csv(const kmt_app_pool_plan_result *o, kmt_buf *b)
{
    const kmt_pool_plan *pl = &o->plan;
    const kmt_pool_request *r = o->r.v;
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
    for (size_t i = 0; i < o->r.n; i++) {
        if (pl->ride_of[i] >= 0) continue;
        kmt_buf_puts(b, ",,");
        kmt_csv_put_field(b, r[i].id);
        kmt_buf_puts(b, ",");
        kmt_csv_put_field(b, r[i].person);
        kmt_buf_puts(b, ",");
        kmt_csv_put_field(b, r[i].department);
        kmt_buf_printf(b, ",%s,,,,%.3f,0\n", pl->problem[i] ? kmt_app_pool_problem_name(pl->problem[i]) : "alone",
                       pl->direct_m[i] / 1000.0);
    }
}

static void name_of(const kmt_pool_request *x, char *buf, size_t n)
{
    if (*x->person && *x->department)
        snprintf(buf, n, "%s (%s, %s)", x->id, x->person, x->department);
    else if (*x->person)
        snprintf(buf, n, "%s (%s)", x->id, x->person);
    else
        snprintf(buf, n, "%s", x->id);
}

static void write_text(const kmt_app_pool_plan_result *o, kmt_buf *b)
{
    const kmt_pool_plan *pl = &o->plan;
    const kmt_pool_request *r = o->r.v;
    char t[32], note[512], nm[256];
    size_t n = o->r.n, alone = n - pl->shared_requests;
    kmt_buf_printf(b, "pool plan %s: %zu requests; %s\n", o->file, n, o->travel_times);
    kmt_buf_printf(b, "%zu shared ride%s carr%s %zu requests; %zu travel%s alone\n", pl->rides.n,
                   pl->rides.n == 1 ? "" : "s", pl->rides.n == 1 ? "ies" : "y", pl->shared_requests, alone,
                   alone == 1 ? "s" : "");
    double pct = pl->m_direct ? 100.0 * (double)pl->m_saved / (double)pl->m_direct : 0;
    kmt_buf_printf(b, "km direct %.1f, driven %.1f, saved %.1f (%.1f%%)", pl->m_direct / 1000.0, pl->m_driven / 1000.0,
                   pl->m_saved / 1000.0, pct);
    if (o->model.objective == KMT_POOL_OBJ_CO2)
        kmt_buf_printf(b, "; CO2e saved %.1f kg", kmt_app_pool_saved(&o->model, pl->m_saved / 1000.0));
    else if (o->model.objective == KMT_POOL_OBJ_COST)
        kmt_buf_printf(b, "; cost saved %.2f %s", kmt_app_pool_saved(&o->model, pl->m_saved / 1000.0),
                       o->model.currency);
    kmt_buf_puts(b, "\n");
    if (o->model.objective != KMT_POOL_OBJ_KM) kmt_buf_printf(b, "factor: %s\n", o->model.factor_note);
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
                int32_t ic = kmt_app_pool_in_car(pl, rd, st->request);
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
        kmt_app_pool_problem_message(o, i, note, sizeof note);
        kmt_buf_printf(b, "  %s (line %ld): %s\n", r[i].id, o->line.v[i], note);
    }
    if (pl->exact)
        kmt_buf_printf(b, "\noptimal: every component (largest %zu requests) solved exactly\n", pl->largest_component);
    else
        kmt_buf_printf(b, "\nnot proven optimal: %zu of %zu components (largest %zu requests) packed by local search\n",
                       pl->heuristic_components, pl->components, pl->largest_component);
}

/* ---- the command ------------------------------------------------------------ */

/* The requests file into the context's body (freed by the caller). */
static int read_body(const char *path, pool_cli *p, char **text)
{
    kmt_error e;
    kmt_error_init(&e);
    size_t len;
    if (kmt_read_file(path, text, &len, &e)) return kmt_cli_error(&e);
    p->c.body = *text;
    p->c.body_len = len;
    p->c.body_label = path;
    return 0;
}

/* The plan in the chosen format into output; a warning on stderr when some
 * requests cannot be shared and the format does not say so in words. */
static int render(const pool_cli *p, const kmt_app_pool_plan_result *r)
{
    kmt_buf b;
    kmt_buf_init(&b);
    if (p->fmt == KMT_APP_JSON) {
        kmt_json j;
        kmt_json_init(&j, NULL);
        kmt_app_pool_plan_json(r, &j); /* what the use case answers */
        kmt_buf_put(&b, j.buf.data, j.buf.len);
        kmt_buf_puts(&b, "\n");
        kmt_json_destroy(&j);
    } else if (p->fmt == KMT_APP_CSV) {
        write_csv(r, &b);
    } else {
        write_text(r, &b);
    }
    int rc = kmt_cli_app_write(p->output, &b);
    kmt_buf_destroy(&b);
    if (r->problems && p->fmt != KMT_APP_TEXT)
        fprintf(stderr, "kommute: warning: %zu request%s cannot be shared (see \"problems\")\n", r->problems,
                r->problems == 1 ? "" : "s");
    return rc;
}

static int run(int argc, char **argv)
{
    kmt_app_pool_plan_req q;
    kmt_app_pool_plan_req_default(&q);
    pool_cli p;
    const char *pos[64];
    int np = 0;
    int rc = kmt__pool_parse(argc, argv, &kmt_app_pool_plan_usecase, &q, &q.model, 0, &p, pos, &np, HELP);
    if (rc) return rc;
    if (np != 1) return kmt_cli_usage(argv[0], "expected one FILE.csv of trip requests");
    char *text = NULL;
    if ((rc = read_body(pos[0], &p, &text)) || (rc = kmt__pool_open_graph(&p))) {
        kmt_free(text);
        kmt__pool_close(&p);
        return rc;
    }
    kmt_error e;
    kmt_error_init(&e);
    kmt_app_pool_plan_result r;
    if (kmt_app_pool_plan(&p.c, &q, &r, &e)) {
        rc = kmt_cli_app_error(argv[0], &e);
    } else {
        rc = render(&p, &r);
        kmt_app_pool_plan_result_destroy(&r);
    }
    kmt_free(text);
    kmt__pool_close(&p);
    return rc;
}

KMT_COMMAND("pool plan", "propose shared rides for trip requests", run, HELP)
