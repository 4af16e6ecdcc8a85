/* SPDX-License-Identifier: MPL-2.0 */
/* kommute travel candidates: meetings that could have been video meetings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_travel.h"
#include "kommute/app_travel.h"
#include "kommute/csv.h"
#include "kommute/json.h"

static const char HELP[] = "Usage: kommute travel candidates [options]\n"
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
    const kmt_app_travel_candidates_result *r;
    const char *format;
} cand_ctx;

static const char *org_name(const cand_ctx *x, int32_t org)
{
    return kmt_app_travel_org_name(&x->r->t, org);
}

static int write_csv(FILE *f, const cand_ctx *x)
{
    fputs("rank,kind,grouping,meeting_id,destination,organisation,first,last,occurrences,people,trips,km,"
          "kwh,co2e_kg,cost,hours,meeting_hours,meeting_hours_assumed,hours_per_meeting_hour\n",
          f);
    char d1[16], d2[16];
    for (size_t i = 0; i < x->r->cands.n && (long)i < x->r->top; i++) {
        const kmt_candidate *c = &x->r->cands.v[i];
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
    if (x->r->cands.meetings == 0 && x->r->year_m == 0) {
        fprintf(f, "No travel records%s in the store.\n", x->r->year ? " of that year" : "");
        return ferror(f) ? KMT_EIO : 0;
    }
    fprintf(f, "Video-meeting candidates, %d: %lld meetings found (%lld trips of %.0f km in the year)\n", x->r->year,
            (long long)x->r->cands.meetings, (long long)x->r->cands.meeting_trips, (double)x->r->year_m / 1000.0);
    fprintf(f, "Factors: %s, version %s, %zu rows, country %s, currency %s\n\n", x->r->t.factors_file,
            x->r->t.f.version, x->r->t.f.nrows, x->r->t.rep.country, x->r->t.rep.currency);
    fprintf(f, "%4s %-7s %-24s %-10s %4s %5s %9s %8s %10s %8s %8s %6s\n", "rank", "kind", "destination", "first", "n",
            "ppl", "km", "kg CO2e", x->r->t.rep.currency, "h trav", "h meet", "ratio");
    char d1[16];
    for (size_t i = 0; i < x->r->cands.n && (long)i < x->r->top; i++) {
        const kmt_candidate *c = &x->r->cands.v[i];
        fprintf(f, "%4zu %-7s %-24.24s %-10s %4d %5d %9.0f %8.1f %10.0f %8.1f %7.1f%s %6.2f", i + 1,
                c->is_series ? "series" : "meeting", c->destination, kmt_time_format_date(c->first, d1, sizeof d1),
                c->occurrences, c->people, (double)c->saved.m / 1000.0, c->saved.co2e_g / 1000.0, c->saved.cost,
                (double)c->saved.seconds / 3600.0, c->meeting_hours, c->meeting_hours_assumed ? "*" : " ", c->score);
        if (*c->meeting_id) fprintf(f, "  [%s]", c->meeting_id);
        fputc('\n', f);
    }
    if (x->r->cands.n > (size_t)x->r->top) fprintf(f, "... %zu more (--top N)\n", x->r->cands.n - (size_t)x->r->top);
    fprintf(f, "(* meeting length assumed; ratio = hours travelled per hour of meeting)\n");
    for (int i = 0; i < x->r->t.ntargets; i++) {
        const kmt_app_travel_whatif *w = &x->r->wi[i];
        fprintf(f, "\nWhat-if, target %d (-%g%% vs %d = %.0f km): ", w->t->year, w->t->reduction_bp / 100.0,
                w->t->baseline_year, (double)w->t->target_m / 1000.0);
        if (w->need_m <= 0)
            fprintf(f, "already reached in %d (%.0f km)\n", x->r->year, (double)x->r->year_m / 1000.0);
        else if (w->top_n > 0)
            fprintf(f,
                    "replacing the top %ld candidates of %d with video meetings saves %.0f km and would reach "
                    "the %d target (%.0f km to cut)\n",
                    w->top_n, x->r->year, (double)w->saved_m / 1000.0, w->t->year, (double)w->need_m / 1000.0);
        else
            fprintf(f, "all %zu candidates of %d together save %.0f km, short of the %.0f km to cut for %d\n",
                    x->r->cands.n, x->r->year, (double)w->saved_m / 1000.0, (double)w->need_m / 1000.0, w->t->year);
    }
    return ferror(f) ? KMT_EIO : 0;
}

static int write_any(FILE *f, void *ctx)
{
    const cand_ctx *x = ctx;
    if (strcmp(x->format, "csv") == 0) return write_csv(f, x);
    return write_text(f, x);
}

static int run(int argc, char **argv)
{
    const kmt_app_usecase *u = &kmt_app_travel_candidates_usecase;
    kmt_app_travel_candidates_req q;
    kmt_app_travel_candidates_req_default(&q);
    travel_cli t;
    int done = 0;
    int rc = kmt__travel_start(argc, argv, u, &q, 0, &t, HELP, &done);
    if (done) return rc;
    kmt_error e;
    kmt_error_init(&e);
    kmt_app_travel_candidates_result r;
    rc = kmt_app_travel_candidates(&t.c, &q, &r, &e);
    kmt_cli_app_close(&t.c);
    if (rc) return kmt_cli_app_error(argv[0], &e);
    cand_ctx x = { &r, t.format };
    rc = kmt__travel_output(t.output, write_any, &x, &e);
    kmt_app_travel_candidates_result_destroy(&r);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

KMT_COMMAND("travel candidates", "meetings whose trips could be video meetings, ranked, with a what-if", run, HELP)
