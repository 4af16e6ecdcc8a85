/* SPDX-License-Identifier: MPL-2.0 */
/* kommute pool analyse --db FILE --from DATE --to DATE: how much could have been pooled. */
#include <string.h>

#include "cmd_pool.h"
#include "kommute/json.h"
#include "kommute/store.h"

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

static const char *const BIN_NAMES[KMT_POOL_DETOUR_BINS] = {"0",      "0-2 min",  "2-5 min", "5-10 min",
                                                           "10-15 min", "15-30 min", "over 30 min"};

static double share(double a, double b)
{
    return b > 0 ? 100.0 * a / b : 0;
}

/* km saved in the objective's unit (kg CO2e or money). */
static double objective_saved(const pool_settings *s, double km)
{
    return s->objective == KMT_POOL_OBJ_CO2 ? km * s->co2_g_per_km / 1000.0 : km * s->cost_per_km;
}

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
    kmt_json_double(j, share((double)t->pooled, (double)t->trips), 1);
    kmt_json_key(j, "km");
    kmt_json_double(j, t->km, 1);
    kmt_json_key(j, "km_pooled");
    kmt_json_double(j, t->km_pooled, 1);
    kmt_json_key(j, "share_km_pct");
    kmt_json_double(j, share(t->km_pooled, t->km), 1);
    kmt_json_key(j, "km_saved");
    kmt_json_double(j, t->km_saved, 1);
    kmt_json_key(j, "saved_pct");
    kmt_json_double(j, share(t->km_saved, t->km), 1);
    kmt_json_object_end(j);
}

static void json_tallies(kmt_json *j, const char *name, const kmt_pool_tallies *v)
{
    kmt_json_key(j, name);
    kmt_json_array_begin(j);
    for (size_t i = 0; i < v->n; i++) json_tally(j, &v->v[i]);
    kmt_json_array_end(j);
}

static void text_tallies(kmt_buf *b, const char *name, const kmt_pool_tallies *v)
{
    kmt_buf_printf(b, "\nby %s:\n  %-24s %7s %7s %6s %10s %10s %9s %6s\n", name, name, "trips", "pooled", "share",
                   "km", "km pooled", "km saved", "saved");
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

static int run(int argc, char **argv)
{
    pool_settings s;
    const char *db = NULL, *from = NULL, *to = NULL, *flex = NULL;
    kmt_opt opts[40] = {{"db", 0, 1, &db}, {"from", 0, 1, &from}, {"to", 0, 1, &to}, {"flex-min", 0, 1, &flex}};
    const char *pos[64];
    int np = 0;
    int rc = kmt__pool_parse(argc, argv, opts, 4, &s, pos, &np, HELP);
    if (rc) return rc;
    if (np) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    if (!from || !to) return kmt_cli_usage(argv[0], "--from DATE and --to DATE are required");
    kmt_time tf, tt;
    if (kmt_time_parse(from, &tf, NULL)) return kmt_cli_usage(argv[0], "--from expects a date like 2024-01-01, got '%s'", from);
    if (kmt_time_parse(to, &tt, NULL)) return kmt_cli_usage(argv[0], "--to expects a date like 2024-12-31, got '%s'", to);
    tf = kmt_time_midnight(tf);
    tt = kmt_time_midnight(tt) + KMT_DAY; /* the last day is included */
    if (tt <= tf) return kmt_cli_usage(argv[0], "--to is before --from");
    kmt_pool_analysis_params ap;
    memset(&ap, 0, sizeof ap);
    ap.pool = s.p;
    ap.flex_s = 900;
    if (flex) {
        double f;
        if (kmt_cli_double(argv[0], "flex-min", flex, 0, 1440, &f)) return KMT_EXIT_USAGE;
        ap.flex_s = (int)(f * 60 + 0.5);
    }
    ap.road_factor = s.road_factor;
    ap.speed_kmh = s.speed_kmh;
    ap.max_snap_m = s.max_snap_m;
    ap.threads = s.threads;

    kmt_error e;
    kmt_error_init(&e);
    kmt_store *st = NULL;
    kmt_graph *g = NULL;
    kmt_dataset fleet, travel;
    kmt_dataset_init(&fleet);
    kmt_dataset_init(&travel);
    kmt_pool_analysis an;
    kmt_pool_analysis_init(&an);
    rc = kmt_store_open(&st, db, KMT_STORE_READONLY, &e);
    kmt_store_query q = kmt_store_query_all();
    q.from = tf;
    q.to = tt;
    if (!rc) rc = kmt_store_load_fleet(st, &q, &fleet, &e);
    if (!rc) rc = kmt_store_load_travel(st, &q, &travel, &e);
    if (!rc && s.graph) rc = kmt_graph_open(s.graph, &g, &e);
    if (!rc) rc = kmt_pool_analyse(&fleet, &travel, g, &ap, &an, &e);
    int exit_code = KMT_EXIT_OK;
    if (rc) {
        exit_code = kmt_cli_error(&e);
    } else {
        kmt_buf b;
        kmt_buf_init(&b);
        char note[512], d0[16], d1[16];
        if (s.graph) snprintf(note, sizeof note, "travel times and distances from the road graph %s (car)", s.graph);
        else
            snprintf(note, sizeof note,
                     "no road graph: distance = great-circle distance x %g, time = distance at %g km/h", s.road_factor,
                     s.speed_kmh);
        kmt_time_format_date(tf, d0, sizeof d0);
        kmt_time_format_date(tt - KMT_DAY, d1, sizeof d1);
        const kmt_pool_tally *T = &an.total;
        if (!strcmp(s.format, "json")) {
            kmt_json j;
            kmt_json_init(&j, NULL);
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "from");
            kmt_json_string(&j, d0);
            kmt_json_key(&j, "to");
            kmt_json_string(&j, d1);
            kmt_json_key(&j, "flex_min");
            kmt_json_double(&j, ap.flex_s / 60.0, 1);
            kmt_json_key(&j, "max_group");
            kmt_json_int(&j, s.p.max_group);
            kmt_json_key(&j, "travel_times");
            kmt_json_string(&j, note);
            kmt_json_key(&j, "looked_at");
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "fleet_trips");
            kmt_json_int(&j, an.fleet_trips);
            kmt_json_key(&j, "travel_records");
            kmt_json_int(&j, an.travel_records);
            kmt_json_object_end(&j);
            kmt_json_key(&j, "not_eligible");
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "round_trips");
            kmt_json_int(&j, an.round_trips);
            kmt_json_key(&j, "not_by_car");
            kmt_json_int(&j, an.not_car);
            kmt_json_key(&j, "no_coordinates");
            kmt_json_int(&j, an.no_coords);
            kmt_json_key(&j, "no_times");
            kmt_json_int(&j, an.no_times);
            kmt_json_key(&j, "unroutable");
            kmt_json_int(&j, an.unroutable);
            kmt_json_object_end(&j);
            kmt_json_key(&j, "days");
            kmt_json_int(&j, an.days);
            kmt_json_key(&j, "windows_widened");
            kmt_json_int(&j, an.widened);
            kmt_json_key(&j, "rides");
            kmt_json_int(&j, an.rides);
            kmt_json_key(&j, "exact");
            kmt_json_bool(&j, an.exact);
            kmt_json_key(&j, "total");
            json_tally(&j, T);
            if (s.objective != KMT_POOL_OBJ_KM) {
                kmt_json_key(&j, s.objective == KMT_POOL_OBJ_CO2 ? "co2_saved_kg" : "cost_saved");
                kmt_json_double(&j, objective_saved(&s, T->km_saved), 1);
                kmt_json_key(&j, "factor");
                kmt_json_string(&j, s.factor_note);
            }
            json_tallies(&j, "by_department", &an.by_department);
            json_tallies(&j, "by_site", &an.by_site);
            json_tallies(&j, "by_weekday", &an.by_weekday);
            kmt_json_key(&j, "detours");
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "histogram");
            kmt_json_array_begin(&j);
            for (int i = 0; i < KMT_POOL_DETOUR_BINS; i++) {
                kmt_json_object_begin(&j);
                kmt_json_key(&j, "detour");
                kmt_json_string(&j, BIN_NAMES[i]);
                kmt_json_key(&j, "persons");
                kmt_json_int(&j, an.detour_hist[i]);
                kmt_json_object_end(&j);
            }
            kmt_json_array_end(&j);
            kmt_json_key(&j, "median_min");
            kmt_json_double(&j, an.detour_p50_min, 1);
            kmt_json_key(&j, "p90_min");
            kmt_json_double(&j, an.detour_p90_min, 1);
            kmt_json_key(&j, "max_min");
            kmt_json_double(&j, an.detour_max_min, 1);
            kmt_json_object_end(&j);
            kmt_json_object_end(&j);
            kmt_buf_put(&b, j.buf.data, j.buf.len);
            kmt_buf_puts(&b, "\n");
            kmt_json_free(&j);
        } else if (!strcmp(s.format, "csv")) {
            kmt_buf_puts(&b, "dimension,key,trips,pooled,share_trips_pct,km,km_pooled,km_saved,saved_pct\n");
            kmt_pool_tallies all = {(kmt_pool_tally *)T, 1, 1};
            csv_tallies(&b, "total", &all);
            csv_tallies(&b, "department", &an.by_department);
            csv_tallies(&b, "site", &an.by_site);
            csv_tallies(&b, "weekday", &an.by_weekday);
        } else {
            kmt_buf_printf(&b, "pool analyse %s, %s to %s (flex +-%g min, max group %d); %s\n", db ? db : KMT_STORE_DEFAULT_PATH,
                           d0, d1, ap.flex_s / 60.0, s.p.max_group, note);
            kmt_buf_printf(&b, "looked at %ld fleet trips and %ld travel records; %ld trips by car between two places "
                               "on %ld days\n",
                           an.fleet_trips, an.travel_records, T->trips, an.days);
            kmt_buf_printf(&b, "not eligible: %ld round trips (start = end), %ld not by car, %ld without coordinates, "
                               "%ld without times, %ld off the road graph\n",
                           an.round_trips, an.not_car, an.no_coords, an.no_times, an.unroutable);
            kmt_buf_printf(&b, "could have been pooled: %ld of %ld trips (%.1f%%) in %ld shared rides, %.1f of %.1f km "
                               "(%.1f%%); km saved %.1f (%.1f%%)\n",
                           T->pooled, T->trips, share((double)T->pooled, (double)T->trips), an.rides, T->km_pooled,
                           T->km, share(T->km_pooled, T->km), T->km_saved, share(T->km_saved, T->km));
            if (s.objective == KMT_POOL_OBJ_CO2)
                kmt_buf_printf(&b, "CO2e saved %.1f kg; factor: %s\n", objective_saved(&s, T->km_saved), s.factor_note);
            else if (s.objective == KMT_POOL_OBJ_COST)
                kmt_buf_printf(&b, "cost saved %.2f %s; factor: %s\n", objective_saved(&s, T->km_saved), s.currency,
                               s.factor_note);
            kmt_buf_printf(&b, "windows widened to the modelled direct time: %ld; %s\n", an.widened,
                           an.exact ? "every day solved to optimality"
                                    : "some days' large components by local search (not proven optimal)");
            kmt_buf_puts(&b, "detours of persons in shared rides (time in the car minus direct time):");
            for (int i = 0; i < KMT_POOL_DETOUR_BINS; i++) kmt_buf_printf(&b, "%s %s: %ld", i ? "," : "", BIN_NAMES[i], an.detour_hist[i]);
            kmt_buf_printf(&b, "\n  median %.1f min, 90th percentile %.1f min, max %.1f min\n", an.detour_p50_min,
                           an.detour_p90_min, an.detour_max_min);
            text_tallies(&b, "department", &an.by_department);
            text_tallies(&b, "site", &an.by_site);
            text_tallies(&b, "weekday", &an.by_weekday);
        }
        exit_code = kmt__pool_emit(&s, &b);
        kmt_buf_free(&b);
    }
    kmt_pool_analysis_destroy(&an);
    kmt_dataset_destroy(&fleet);
    kmt_dataset_destroy(&travel);
    kmt_graph_close(g);
    kmt_store_close(st);
    return exit_code;
}

KMT_COMMAND("pool analyse", "how many past trips could have been shared", run, HELP)
