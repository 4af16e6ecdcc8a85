/* SPDX-License-Identifier: MPL-2.0 */
/* kommute travel candidates: meetings that could have been video meetings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_factors.h"
#include "cli_travel.h"
#include "kommute/csv.h"
#include "kommute/json.h"
#include "kommute/travel.h"

static const char HELP[] =
    "Usage: kommute travel candidates [options]\n"
    "\n"
    "Meetings whose travel could be replaced by a video meeting, best first:\n"
    "the trips of one meeting are grouped (same meeting_id, or the same\n"
    "destination and day with arrivals close together, see docs/travel.md),\n"
    "recurring series first, then by hours travelled per hour of meeting.\n"
    "With --baseline and --target, a what-if: how many of the top candidates\n"
    "would have to become video meetings to reach each target.\n"
    "\n"
    "Options:\n"
    "  --db FILE             the store (default kommute.db)\n"
    "  --year YEAR           the year to look at (default: the latest with records)\n"
    "  --top N               candidates to list (default 20; the what-if uses all)\n"
    "  --baseline YEAR       baseline year of the targets\n"
    "  --target YEAR:-PCT%   a reduction target (repeat for several)\n"
    "  --window MIN          arrivals within MIN minutes form one meeting (default 90)\n"
    "  --meeting-hours H     meeting length when the records do not show it (default 2)\n"
    "  --series-min N        meetings in a recurring series at least (default 3)\n"
    "  --organisation NAME   only this organisation's records\n"
    "  --factors FILE        factors file (default data/factors/nordic-2024.json)\n"
    "  --country CC          factor country (default: the country whose currency most\n"
    "                        records carry, else the factors file's default)\n"
    "  --format FMT          text (default), json or csv\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output\n";

typedef struct {
    int64_t need_m;      /* km of the year to cut to reach the target (metres) */
    long top_n;          /* kmt_candidates_needed */
    int64_t saved_m;     /* metres saved by those top_n (or by all when -1) */
    const kmt_travel_target *t;
} whatif;

typedef struct {
    const kmt_candidates *c;
    const kmt_dataset *d;
    const kmt_factors *f;
    const char *fpath, *format, *country, *currency;
    int year;
    long top;
    int64_t year_m;
    const whatif *wi;
    int nwi;
    int64_t rows_used;
} cand_ctx;

static const char *org_name(const cand_ctx *x, int32_t org)
{
    return org >= 0 && (size_t)org < x->d->orgs.n ? x->d->orgs.v[org].name : "";
}

static int write_json(FILE *out, const cand_ctx *x)
{
    kmt_json j;
    kmt_json_init(&j, out);
    kmt__travel_json_head(&j, "travel candidates", x->f, x->fpath, x->country, x->currency, x->rows_used);
    kmt_json_key(&j, "year");
    kmt_json_int(&j, x->year);
    kmt_json_key(&j, "year_km");
    kmt_json_double(&j, (double)x->year_m / 1000.0, 3);
    kmt_json_key(&j, "meetings");
    kmt_json_int(&j, x->c->meetings);
    kmt_json_key(&j, "meeting_trips");
    kmt_json_int(&j, x->c->meeting_trips);
    kmt_json_key(&j, "candidates_total");
    kmt_json_int(&j, (int64_t)x->c->n);
    kmt_json_key(&j, "candidates");
    kmt_json_array_begin(&j);
    char day[16];
    for (size_t i = 0; i < x->c->n && (long)i < x->top; i++) {
        const kmt_candidate *c = &x->c->v[i];
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "rank");
        kmt_json_int(&j, (int64_t)i + 1);
        kmt_json_key(&j, "kind");
        kmt_json_string(&j, c->is_series ? "series" : "meeting");
        kmt_json_key(&j, "grouping");
        kmt_json_string(&j, c->grouping == KMT_GROUP_MEETING_ID ? "meeting_id" : "inferred");
        kmt_json_key(&j, "meeting_id");
        kmt_json_string(&j, c->meeting_id);
        kmt_json_key(&j, "destination");
        kmt_json_string(&j, c->destination);
        kmt_json_key(&j, "organisation");
        kmt_json_string(&j, org_name(x, c->organisation));
        kmt_json_key(&j, "first");
        kmt_json_string(&j, kmt_time_format_date(c->first, day, sizeof day));
        kmt_json_key(&j, "last");
        kmt_json_string(&j, kmt_time_format_date(c->last, day, sizeof day));
        kmt_json_key(&j, "occurrences");
        kmt_json_int(&j, c->occurrences);
        kmt_json_key(&j, "people");
        kmt_json_int(&j, c->people);
        kmt__travel_json_totals(&j, &c->saved);
        kmt_json_key(&j, "meeting_hours");
        kmt_json_double(&j, c->meeting_hours, 2);
        kmt_json_key(&j, "meeting_hours_assumed");
        kmt_json_bool(&j, c->meeting_hours_assumed);
        kmt_json_key(&j, "hours_per_meeting_hour");
        kmt_json_double(&j, c->score, 3);
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    kmt_json_key(&j, "what_if");
    kmt_json_array_begin(&j);
    for (int i = 0; i < x->nwi; i++) {
        const whatif *w = &x->wi[i];
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "target_year");
        kmt_json_int(&j, w->t->year);
        kmt_json_key(&j, "reduction_pct");
        kmt_json_double(&j, w->t->reduction_bp / 100.0, 2);
        kmt_json_key(&j, "target_km");
        kmt_json_double(&j, (double)w->t->target_m / 1000.0, 3);
        kmt_json_key(&j, "need_km");
        kmt_json_double(&j, (double)(w->need_m > 0 ? w->need_m : 0) / 1000.0, 3);
        kmt_json_key(&j, "top_n");
        if (w->top_n >= 0) kmt_json_int(&j, w->top_n);
        else kmt_json_null(&j);
        kmt_json_key(&j, "saved_km");
        kmt_json_double(&j, (double)w->saved_m / 1000.0, 3);
        kmt_json_key(&j, "reached");
        kmt_json_bool(&j, w->top_n >= 0);
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    kmt_json_object_end(&j);
    kmt_buf_put(&j.buf, "\n", 1);
    return kmt_json_finish(&j) ? KMT_EIO : 0;
}

static int write_csv(FILE *f, const cand_ctx *x)
{
    fputs("rank,kind,grouping,meeting_id,destination,organisation,first,last,occurrences,people,trips,km,"
          "kwh,co2e_kg,cost,hours,meeting_hours,meeting_hours_assumed,hours_per_meeting_hour\n", f);
    char d1[16], d2[16];
    for (size_t i = 0; i < x->c->n && (long)i < x->top; i++) {
        const kmt_candidate *c = &x->c->v[i];
        fprintf(f, "%zu,%s,%s,", i + 1, c->is_series ? "series" : "meeting",
                c->grouping == KMT_GROUP_MEETING_ID ? "meeting_id" : "inferred");
        kmt_csv_write_field(f, c->meeting_id);
        fputc(',', f);
        kmt_csv_write_field(f, c->destination);
        fputc(',', f);
        kmt_csv_write_field(f, org_name(x, c->organisation));
        fprintf(f, ",%s,%s,%d,%d,%lld,%.3f,%.2f,%.3f,%.2f,%.2f,%.2f,%s,%.3f\n",
                kmt_time_format_date(c->first, d1, sizeof d1), kmt_time_format_date(c->last, d2, sizeof d2),
                c->occurrences, c->people, (long long)c->saved.trips, (double)c->saved.m / 1000.0, c->saved.kwh,
                c->saved.co2e_g / 1000.0, c->saved.cost, (double)c->saved.seconds / 3600.0, c->meeting_hours,
                c->meeting_hours_assumed ? "true" : "false", c->score);
    }
    return ferror(f) ? KMT_EIO : 0;
}

static int write_text(FILE *f, const cand_ctx *x)
{
    if (x->c->meetings == 0 && x->year_m == 0) {
        fprintf(f, "No travel records%s in the store.\n", x->year ? " of that year" : "");
        return ferror(f) ? KMT_EIO : 0;
    }
    fprintf(f, "Video-meeting candidates, %d: %lld meetings found (%lld trips of %.0f km in the year)\n", x->year,
            (long long)x->c->meetings, (long long)x->c->meeting_trips, (double)x->year_m / 1000.0);
    fprintf(f, "Factors: %s, version %s, %zu rows, country %s, currency %s\n\n", x->fpath, x->f->version,
            x->f->nrows, x->country, x->currency);
    fprintf(f, "%4s %-7s %-24s %-10s %4s %5s %9s %8s %10s %8s %8s %6s\n", "rank", "kind", "destination", "first",
            "n", "ppl", "km", "kg CO2e", x->currency, "h trav", "h meet", "ratio");
    char d1[16];
    for (size_t i = 0; i < x->c->n && (long)i < x->top; i++) {
        const kmt_candidate *c = &x->c->v[i];
        fprintf(f, "%4zu %-7s %-24.24s %-10s %4d %5d %9.0f %8.1f %10.0f %8.1f %7.1f%s %6.2f", i + 1,
                c->is_series ? "series" : "meeting", c->destination, kmt_time_format_date(c->first, d1, sizeof d1),
                c->occurrences, c->people, (double)c->saved.m / 1000.0, c->saved.co2e_g / 1000.0, c->saved.cost,
                (double)c->saved.seconds / 3600.0, c->meeting_hours, c->meeting_hours_assumed ? "*" : " ",
                c->score);
        if (*c->meeting_id) fprintf(f, "  [%s]", c->meeting_id);
        fputc('\n', f);
    }
    if (x->c->n > (size_t)x->top) fprintf(f, "... %zu more (--top N)\n", x->c->n - (size_t)x->top);
    fprintf(f, "(* meeting length assumed; ratio = hours travelled per hour of meeting)\n");
    for (int i = 0; i < x->nwi; i++) {
        const whatif *w = &x->wi[i];
        fprintf(f, "\nWhat-if, target %d (-%g%% vs %d = %.0f km): ", w->t->year, w->t->reduction_bp / 100.0,
                w->t->baseline_year, (double)w->t->target_m / 1000.0);
        if (w->need_m <= 0)
            fprintf(f, "already reached in %d (%.0f km)\n", x->year, (double)x->year_m / 1000.0);
        else if (w->top_n > 0)
            fprintf(f, "replacing the top %ld candidates of %d with video meetings saves %.0f km and would reach "
                       "the %d target (%.0f km to cut)\n",
                    w->top_n, x->year, (double)w->saved_m / 1000.0, w->t->year, (double)w->need_m / 1000.0);
        else
            fprintf(f, "all %zu candidates of %d together save %.0f km, short of the %.0f km to cut for %d\n",
                    x->c->n, x->year, (double)w->saved_m / 1000.0, (double)w->need_m / 1000.0, w->t->year);
    }
    return ferror(f) ? KMT_EIO : 0;
}

static int write_any(FILE *f, void *ctx)
{
    const cand_ctx *x = ctx;
    if (strcmp(x->format, "json") == 0) return write_json(f, x);
    if (strcmp(x->format, "csv") == 0) return write_csv(f, x);
    return write_text(f, x);
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *year_s = NULL, *top_s = NULL, *baseline = NULL, *target = NULL, *window = NULL,
               *mh = NULL, *smin = NULL, *org = NULL, *factors = NULL, *country = NULL, *format = "text",
               *output = NULL;
    kmt_opt opts[] = {{"db", 0, 1, &db},           {"year", 0, 1, &year_s},
                      {"top", 0, 1, &top_s},       {"baseline", 0, 1, &baseline},
                      {"target", 0, 1, &target},   {"window", 0, 1, &window},
                      {"meeting-hours", 0, 1, &mh}, {"series-min", 0, 1, &smin},
                      {"organisation", 0, 1, &org}, {"factors", 0, 1, &factors},
                      {"country", 0, 1, &country}, {"format", 0, 1, &format},
                      {"output", 'o', 1, &output}, {NULL, 0, 0, NULL}};
    const char *pos[64];
    int npos = 0;
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, &npos, HELP);
    if (rc) return rc < 0 ? KMT_EXIT_OK : rc;
    if (npos) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
        return kmt_cli_usage(argv[0], "--format must be text, json or csv, got '%s'", format);
    kmt_candidate_options co;
    kmt_candidate_options_default(&co);
    long year = 0, top = 20, by = 0, lv;
    if (year_s && kmt_cli_int(argv[0], "year", year_s, 1900, 2200, &year)) return KMT_EXIT_USAGE;
    if (top_s && kmt_cli_int(argv[0], "top", top_s, 1, 1000000, &top)) return KMT_EXIT_USAGE;
    if (baseline && kmt_cli_int(argv[0], "baseline", baseline, 1900, 2200, &by)) return KMT_EXIT_USAGE;
    if (window) {
        if (kmt_cli_int(argv[0], "window", window, 0, 24 * 60, &lv)) return KMT_EXIT_USAGE;
        co.window_min = (int)lv;
    }
    if (mh && kmt_cli_double(argv[0], "meeting-hours", mh, 0.1, 24, &co.meeting_hours)) return KMT_EXIT_USAGE;
    if (smin) {
        if (kmt_cli_int(argv[0], "series-min", smin, 2, 1000, &lv)) return KMT_EXIT_USAGE;
        co.series_min = (int)lv;
    }
    kmt_travel_target_spec ts[16];
    int nt = 0;
    if ((rc = kmt__travel_targets(argc, argv, ts, 16, &nt))) return rc;
    if (nt && !baseline) return kmt_cli_usage(argv[0], "--target needs --baseline YEAR");

    kmt_error e;
    kmt_error_init(&e);
    kmt_factors f;
    char fpath[2400];
    if (kmt_cli_load_factors(factors, &f, fpath, sizeof fpath, &e)) return kmt_cli_error(&e);
    kmt_dataset d;
    if (kmt__travel_load(db, org, &d, &e)) {
        kmt_factors_destroy(&f);
        return kmt_cli_error(&e);
    }
    /* the account of every year: the year's km, the targets and the default year */
    if (!country) country = kmt_travel_guess_country(&d, &f);
    kmt_travel_options o = {.factors = &f, .country = country, .baseline_year = (int)by, .targets = ts,
                            .ntargets = nt};
    kmt_travel_report rep;
    kmt_candidates cands;
    memset(&cands, 0, sizeof cands);
    whatif wi[16];
    rc = kmt_travel_report_build(&d, &o, &rep, &e);
    if (rc == 0) {
        if (!year) year = rep.year_from + rep.nyears - 1;
        co.factors = &f;
        co.country = country;
        co.year = (int)year;
        rc = kmt_travel_candidates(&d, &co, &cands, &e);
    }
    if (rc == 0) {
        int yi = (int)year - rep.year_from;
        int64_t year_m = yi >= 0 && yi < rep.nyears ? kmt_travel_year(&rep, 0, yi)->m : 0;
        for (int t = 0; t < nt; t++) {
            const kmt_travel_target *g = kmt_travel_scope_target(&rep, 0, t);
            wi[t].t = g;
            wi[t].need_m = year_m - g->target_m;
            wi[t].top_n = kmt_candidates_needed(&cands, wi[t].need_m);
            int64_t s = 0;
            size_t upto = wi[t].top_n > 0 ? (size_t)wi[t].top_n : cands.n;
            for (size_t i = 0; i < upto && i < cands.n; i++) s += cands.v[i].saved.m;
            wi[t].saved_m = wi[t].top_n == 0 ? 0 : s;
        }
        cand_ctx x = {&cands, &d, &f, fpath, format, rep.country, rep.currency, (int)year, top, year_m, wi, nt,
                      rep.factor_rows_used};
        rc = kmt__travel_output(output, write_any, &x, &e);
    }
    kmt_travel_report_free(&rep); /* zeroed by build, so safe on failure */
    kmt_candidates_free(&cands);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

KMT_COMMAND("travel candidates", "meetings whose trips could be video meetings, ranked, with a what-if", run, HELP)
