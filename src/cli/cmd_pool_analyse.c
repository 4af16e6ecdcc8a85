/* SPDX-License-Identifier: MPL-2.0 */
/* kommute pool analyse --db FILE --from DATE --to DATE: how much could have been pooled. */
#include <string.h>

#include "cmd_pool.h"
#include "kommute/app_pool.h"
#include "kommute/json.h"

static const char HELP[] =
    "Usage: kommute pool analyse --db FILE --from DATE --to DATE [--flex-min 15] [options]\n"
    "\n"
    "Over the trips in the store (fleet trips and travel records by car with\n"
    "coordinates), day by day: each trip's logged departure and arrival, widened by\n"
    "--flex-min on both sides, is its window; the day is planned as if booked ahead\n"
    "(`pool plan`). Reports the share of trips and km that could have been pooled and\n"
    "the km saved, per department, site and weekday, with the distribution of\n"
    "detours. Rules and limits: docs/pool.md.\n"
    "\n"
    "  --db FILE             database (default kommute.db)\n"
    "  --from DATE           first day (2024-01-01)\n"
    "  --to DATE             last day, included (2024-12-31)\n"
    "  --flex-min M          15: minutes of flexibility before and after the logged times\n" POOL_MODEL_HELP;

static double share(double a, double b)
{
    return kmt_app_pool_share(a, b);
}

static void text_tallies(kmt_buf *b, const char *name, const kmt_pool_tallies *v)
{
    kmt_buf_printf(b, "\nby %s:\n  %-24s %7s %7s %6s %10s %10s %9s %6s\n", name, name, "trips", "pooled", "share", "km",
                   "km pooled", "km saved", "saved");
    for (size_t i = 0; i < v->n; i++) {
        const kmt_pool_tally *t = &v->v[i];
        kmt_buf_printf(b, "  %-24s %7ld %7ld %5.1f%% %10.1f %10.1f %9.1f %5.1f%%\n", t->key, t->trips, t->pooled,
                       share((double)t->pooled, (double)t->trips), t->km, t->km_pooled, t->km_saved,
                       share(t->km_saved, t->km));
    }
}

static void csv_tallies(kmt_buf *b, const char *dim, const kmt_pool_tallies *v)
{
    for (size_t i = 0; i < v->n; i++) {
        const kmt_pool_tally *t = &v->v[i];
        kmt_buf_printf(b, "%s,\"%s\",%ld,%ld,%.1f,%.1f,%.1f,%.1f,%.1f\n", dim, t->key, t->trips, t->pooled,
                       share((double)t->pooled, (double)t->trips), t->km, t->km_pooled, t->km_saved,
                       share(t->km_saved, t->km));
    }
}

static void write_csv(kmt_buf *b, const kmt_app_pool_analyse_result *r)
{
    const kmt_pool_analysis *an = &r->an;
    kmt_buf_puts(b, "dimension,key,trips,pooled,share_trips_pct,km,km_pooled,km_saved,saved_pct\n");
    kmt_pool_tallies all = { (kmt_pool_tally *)&an->total, 1, 1 };
    csv_tallies(b, "total", &all);
    csv_tallies(b, "department", &an->by_department);
    csv_tallies(b, "site", &an->by_site);
    csv_tallies(b, "weekday", &an->by_weekday);
}

/* The summary lines: period, what was looked at, what could have been pooled. */
static void text_summary(kmt_buf *b, const char *store, const kmt_app_pool_analyse_result *r)
{
    const kmt_pool_analysis *an = &r->an;
    const kmt_app_pool_model *m = &r->model;
    const kmt_pool_tally *T = &an->total;
    char d0[16], d1[16];
    kmt_time_format_date(r->from, d0, sizeof d0);
    kmt_time_format_date(r->to - KMT_DAY, d1, sizeof d1);
    kmt_buf_printf(b, "pool analyse %s, %s to %s (flex +-%g min, max group %d); %s\n", store, d0, d1, r->flex_s / 60.0,
                   m->p.max_group, r->travel_times);
    kmt_buf_printf(b,
                   "looked at %ld fleet trips and %ld travel records; %ld trips by car between two places "
                   "on %ld days\n",
                   an->fleet_trips, an->travel_records, T->trips, an->days);
    kmt_buf_printf(b,
                   "not eligible: %ld round trips (start = end), %ld not by car, %ld without coordinates, "
                   "%ld without times, %ld off the road graph\n",
                   an->round_trips, an->not_car, an->no_coords, an->no_times, an->unroutable);
    kmt_buf_printf(b,
                   "could have been pooled: %ld of %ld trips (%.1f%%) in %ld shared rides, %.1f of %.1f km "
                   "(%.1f%%); km saved %.1f (%.1f%%)\n",
                   T->pooled, T->trips, share((double)T->pooled, (double)T->trips), an->rides, T->km_pooled, T->km,
                   share(T->km_pooled, T->km), T->km_saved, share(T->km_saved, T->km));
    if (m->objective == KMT_POOL_OBJ_CO2)
        kmt_buf_printf(b, "CO2e saved %.1f kg; factor: %s\n", kmt_app_pool_saved(m, T->km_saved), m->factor_note);
    else if (m->objective == KMT_POOL_OBJ_COST)
        kmt_buf_printf(b, "cost saved %.2f %s; factor: %s\n", kmt_app_pool_saved(m, T->km_saved), m->currency,
                       m->factor_note);
}

static void write_text(kmt_buf *b, const char *store, const kmt_app_pool_analyse_result *r)
{
    const kmt_pool_analysis *an = &r->an;
    text_summary(b, store, r);
    kmt_buf_printf(b, "windows widened to the modelled direct time: %ld; %s\n", an->widened,
                   an->exact ? "every day solved to optimality"
                             : "some days' large components by local search (not proven optimal)");
    kmt_buf_puts(b, "detours of persons in shared rides (time in the car minus direct time):");
    for (int i = 0; i < KMT_POOL_DETOUR_BINS; i++)
        kmt_buf_printf(b, "%s %s: %ld", i ? "," : "", kmt_app_pool_detour_bins[i], an->detour_hist[i]);
    kmt_buf_printf(b, "\n  median %.1f min, 90th percentile %.1f min, max %.1f min\n", an->detour_p50_min,
                   an->detour_p90_min, an->detour_max_min);
    text_tallies(b, "department", &an->by_department);
    text_tallies(b, "site", &an->by_site);
    text_tallies(b, "weekday", &an->by_weekday);
}

/* The analysis rendered as text or CSV into output. */
static int render(const pool_cli *p, const kmt_app_pool_analyse_req *q, const char *cmd)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_app_pool_analyse_result r;
    if (kmt_app_pool_analyse(&p->c, q, &r, &e)) return kmt_cli_app_error(cmd, &e);
    kmt_buf b;
    kmt_buf_init(&b);
    if (p->fmt == KMT_APP_CSV)
        write_csv(&b, &r);
    else
        write_text(&b, p->c.store_label, &r);
    int rc = kmt_cli_app_write(p->output, &b);
    kmt_buf_destroy(&b);
    kmt_app_pool_analyse_result_destroy(&r);
    return rc;
}

static int run(int argc, char **argv)
{
    const kmt_app_usecase *u = &kmt_app_pool_analyse_usecase;
    kmt_app_pool_analyse_req q;
    kmt_app_pool_analyse_req_default(&q);
    pool_cli p;
    const char *pos[64];
    int np = 0;
    int rc = kmt__pool_parse(argc, argv, u, &q, &q.model, 1, &p, pos, &np, HELP);
    if (rc) return rc;
    if (np) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    if ((rc = kmt_cli_app_open_store(&p.c, p.db)) || (rc = kmt__pool_open_graph(&p))) {
        kmt__pool_close(&p);
        return rc;
    }
    if (p.fmt == KMT_APP_JSON)
        rc = kmt_cli_app_json_to(argv[0], u, &p.c, &q, p.output);
    else
        rc = render(&p, &q, argv[0]);
    kmt__pool_close(&p);
    return rc;
}

KMT_COMMAND("pool analyse", "how many past trips could have been shared", run, HELP)
