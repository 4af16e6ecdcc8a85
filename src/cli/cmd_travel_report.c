/* SPDX-License-Identifier: MPL-2.0 */
/* kommute travel report: the travel and climate account (issue 5). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_travel.h"
#include "kommute/app_travel.h"
#include "kommute/csv.h"
#include "kommute/json.h"

static const char HELP[] = "Usage: kommute travel report [options]\n"
                           "\n"
                           "The travel and climate account of the imported travel records: per\n"
                           "organisation, department, year and month, trips, km, kWh (GWh), CO2e,\n"
                           "cost, hours travelled and full-time equivalents, by mode and purpose, and\n"
                           "progress against reduction targets (km and kWh still to cut).\n"
                           "\n"
                           "Options:\n"
                           "  --db FILE             the store (default kommute.db)\n"
                           "  --baseline YEAR       the baseline year of the targets\n"
                           "  --target YEAR:-PCT%   a reduction target against the baseline, e.g. 2015:-20%\n"
                           "                        (repeat for several)\n"
                           "  --organisation NAME   only this organisation's records\n"
                           "  --factors FILE        factors file (default data/factors/nordic-2024.json)\n"
                           "  --country CC          factor country (default: the country whose currency most\n"
                           "                        records carry, else the factors file's default)\n"
                           "  --hours-per-fte H     working hours per full-time equivalent (default: the\n"
                           "                        country's in the factors file, e.g. 1924 for DK)\n"
                           "  --format FMT          text (default), json, csv or html\n"
                           "  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
                           "\n"
                           "Example:\n"
                           "  kommute travel report --baseline 2011 --target 2015:-20% --target 2020:-40% \\\n"
                           "      --format html -o travel.html\n";

/* The report's context for the writers. */
typedef struct {
    const kmt_app_travel_report_result *res;
    const char *format;
} report_ctx;

static const char *scope_name(const report_ctx *c, int s)
{
    return kmt_app_travel_scope_name(&c->res->t, s);
}

/* ---- CSV -------------------------------------------------------------------- */

static void csv_num(FILE *f, double v, int dec)
{
    char s[KMT_FMT_DOUBLE_SIZE];
    size_t n = kmt_fmt_double(s, v, dec);
    fwrite(s, 1, n, f);
}

static void csv_row(FILE *f, const char *kind, const char *org, const char *dept, int year, int month, const char *mode,
                    const char *purpose, const kmt_travel_totals *t)
{
    kmt_csv_write_field(f, kind);
    fputc(',', f);
    kmt_csv_write_field(f, org);
    fputc(',', f);
    kmt_csv_write_field(f, dept);
    fprintf(f, ",%d,", year);
    if (month) fprintf(f, "%d", month);
    fputc(',', f);
    kmt_csv_write_field(f, mode);
    fputc(',', f);
    kmt_csv_write_field(f, purpose);
    fprintf(f, ",%lld,", (long long)t->trips);
    csv_num(f, (double)t->m / 1000.0, 3);
    fputc(',', f);
    csv_num(f, t->kwh, 2);
    fputc(',', f);
    csv_num(f, t->co2e_g / 1000.0, 3);
    fputc(',', f);
    csv_num(f, t->cost, 2);
    fputc(',', f);
    csv_num(f, (double)t->seconds / 3600.0, 2);
    fputs(",,,,,\n", f);
}

static int write_csv(FILE *f, const report_ctx *c)
{
    const kmt_travel_report *r = &c->res->t.rep;
    fprintf(f, "kind,organisation,department,year,month,mode,purpose,trips,km,kwh,co2e_kg,cost,hours,"
               "reduction_pct,target_km,actual_km,gap_km,met\n");
    for (int s = 0; s < r->nscopes; s++) {
        const char *org = s == 0 ? "" : scope_name(c, s);
        for (int yi = 0; yi < r->nyears; yi++) {
            int year = r->year_from + yi;
            const kmt_travel_totals *t = kmt_travel_year(r, s, yi);
            if (t->trips == 0) continue;
            csv_row(f, "year", org, "", year, 0, "", "", t);
            for (int m = 0; m < 12; m++)
                if (kmt_travel_month(r, s, yi, m)->trips)
                    csv_row(f, "month", org, "", year, m + 1, "", "", kmt_travel_month(r, s, yi, m));
            for (int m = 0; m < KMT_TRAVEL_NMODES; m++)
                if (kmt_travel_mode(r, s, yi, m)->trips)
                    csv_row(f, "mode", org, "", year, 0, kmt_mode_name((kmt_mode)m), "", kmt_travel_mode(r, s, yi, m));
            for (int p = 0; p < r->npurposes; p++)
                if (kmt_travel_purpose(r, s, yi, p)->trips)
                    csv_row(f, "purpose", org, "", year, 0, "", r->purposes[p], kmt_travel_purpose(r, s, yi, p));
            for (int k = 0; k < r->ndepts; k++)
                if (s > 0 && r->dept_scope[k] == s && kmt_travel_dept(r, k, yi)->trips)
                    csv_row(f, "department", org, c->res->t.d.orgs.v[r->dept_org[k]].name, year, 0, "", "",
                            kmt_travel_dept(r, k, yi));
        }
        for (int t = 0; t < r->ntargets; t++) {
            const kmt_travel_target *g = kmt_travel_scope_target(r, s, t);
            kmt_csv_write_field(f, "target");
            fputc(',', f);
            kmt_csv_write_field(f, org);
            fprintf(f, ",,%d,,,,,,,,,,", g->year);
            csv_num(f, g->reduction_bp / 100.0, 2);
            fputc(',', f);
            csv_num(f, (double)g->target_m / 1000.0, 3);
            fputc(',', f);
            csv_num(f, (double)g->actual_m / 1000.0, 3);
            fputc(',', f);
            csv_num(f, (double)g->gap_m / 1000.0, 3);
            fprintf(f, ",%s\n", g->met ? "true" : "false");
        }
    }
    return ferror(f) ? KMT_EIO : 0;
}

/* ---- text ------------------------------------------------------------------- */

static void text_years(FILE *f, const report_ctx *c, int s)
{
    const kmt_travel_report *r = &c->res->t.rep;
    fprintf(f, "  %-6s %9s %12s %10s %10s %14s %10s %7s\n", "year", "trips", "km", "MWh", "t CO2e", r->currency,
            "hours", "FTE");
    for (int yi = 0; yi < r->nyears; yi++) {
        const kmt_travel_totals *t = kmt_travel_year(r, s, yi);
        if (t->trips == 0) continue;
        double h = (double)t->seconds / 3600.0;
        fprintf(f, "  %-6d %9lld %12.0f %10.1f %10.2f %14.0f %10.0f %7.2f\n", r->year_from + yi, (long long)t->trips,
                (double)t->m / 1000.0, t->kwh / 1000.0, t->co2e_g / 1e6, t->cost, h, h / r->hours_per_fte);
    }
    for (int t = 0; t < r->ntargets; t++) {
        const kmt_travel_target *g = kmt_travel_scope_target(r, s, t);
        char actual[64];
        if (g->no_baseline) {
            fprintf(f, "  target %d: -%g%% vs %d: no records in the baseline year\n", g->year, g->reduction_bp / 100.0,
                    g->baseline_year);
            continue;
        }
        if (g->actual_year)
            snprintf(actual, sizeof actual, "%.0f km in %d%s", (double)g->actual_m / 1000.0, g->actual_year,
                     g->provisional ? " (latest year, provisional)" : "");
        else
            snprintf(actual, sizeof actual, "no records");
        fprintf(f, "  target %d: -%g%% vs %d = %.0f km; actual %s: %s", g->year, g->reduction_bp / 100.0,
                g->baseline_year, (double)g->target_m / 1000.0, actual, g->met ? "met" : "not met");
        if (!g->met && g->actual_year)
            fprintf(f, ", %.0f km and %.1f MWh still to cut", (double)g->gap_m / 1000.0, g->gap_kwh / 1000.0);
        fputc('\n', f);
    }
}

static void text_breakdown(FILE *f, const report_ctx *c, int by_mode)
{
    const kmt_travel_report *r = &c->res->t.rep;
    int first = r->nyears > 6 ? r->nyears - 6 : 0;
    fprintf(f, "\n%s (km)\n  %-20s", by_mode ? "By mode" : "By purpose", "");
    for (int yi = first; yi < r->nyears; yi++) fprintf(f, " %11d", r->year_from + yi);
    fputc('\n', f);
    int n = by_mode ? KMT_TRAVEL_NMODES : r->npurposes;
    for (int k = 0; k < n; k++) {
        int64_t any = 0;
        for (int yi = first; yi < r->nyears; yi++)
            any += (by_mode ? kmt_travel_mode(r, 0, yi, k) : kmt_travel_purpose(r, 0, yi, k))->trips;
        if (!any) continue;
        const char *name = by_mode ? kmt_mode_name((kmt_mode)k) : r->purposes[k];
        fprintf(f, "  %-20.20s", *name ? name : "(none)");
        for (int yi = first; yi < r->nyears; yi++) {
            const kmt_travel_totals *t = by_mode ? kmt_travel_mode(r, 0, yi, k) : kmt_travel_purpose(r, 0, yi, k);
            fprintf(f, " %11.0f", (double)t->m / 1000.0);
        }
        fputc('\n', f);
    }
}

static int write_text(FILE *f, const report_ctx *c)
{
    const kmt_travel_report *r = &c->res->t.rep;
    fprintf(f, "Travel and climate account: %lld records\n", (long long)r->records);
    fprintf(f, "Factors: %s, version %s, %zu rows (%lld used), country %s, currency %s\n", c->res->t.factors_file,
            c->res->t.f.version, c->res->t.f.nrows, (long long)r->factor_rows_used, r->country, r->currency);
    fprintf(f, "FTE: %g hours a year (%s)\n", r->hours_per_fte, c->res->hours_source);
    if (r->unknown_mode)
        fprintf(f, "Note: %lld records of unknown mode count in km and hours but add no energy or CO2e\n",
                (long long)r->unknown_mode);
    if (r->other_currency)
        fprintf(f, "Note: %lld records with a cost in another currency were costed with the factors instead\n",
                (long long)r->other_currency);
    if (r->records == 0) {
        fprintf(f, "\nNo travel records in the store (import them with kommute travel import).\n");
        return ferror(f) ? KMT_EIO : 0;
    }
    fprintf(f, "\nAll organisations\n");
    text_years(f, c, 0);
    text_breakdown(f, c, 1);
    text_breakdown(f, c, 0);
    for (int s = 1; s < r->nscopes; s++) {
        int64_t any = 0;
        for (int yi = 0; yi < r->nyears; yi++) any += kmt_travel_year(r, s, yi)->trips;
        if (!any) continue;
        fprintf(f, "\n%s\n", scope_name(c, s));
        text_years(f, c, s);
        int yl = r->nyears - 1;
        for (int k = 0; k < r->ndepts; k++) {
            const kmt_travel_totals *t = kmt_travel_dept(r, k, yl);
            if (r->dept_scope[k] != s || t->trips == 0) continue;
            fprintf(f, "    %-28.28s %d: %lld trips, %.0f km, %.2f t CO2e, %.0f %s\n",
                    c->res->t.d.orgs.v[r->dept_org[k]].name, r->year_from + yl, (long long)t->trips,
                    (double)t->m / 1000.0, t->co2e_g / 1e6, t->cost, r->currency);
        }
    }
    return ferror(f) ? KMT_EIO : 0;
}

static int write_any(FILE *f, void *ctx)
{
    const report_ctx *c = ctx;
    const kmt_app_travel_report_result *r = c->res;
    if (strcmp(c->format, "csv") == 0) return write_csv(f, c);
    if (strcmp(c->format, "html") == 0)
        return kmt__travel_html(f, &r->t.rep, &r->t.d, &r->t.f, r->t.factors_file, r->hours_source);
    return write_text(f, c);
}

static int run(int argc, char **argv)
{
    const kmt_app_usecase *u = &kmt_app_travel_report_usecase;
    kmt_app_travel_report_req q;
    kmt_app_travel_report_req_default(&q);
    travel_cli t;
    int done = 0;
    int rc = kmt__travel_start(argc, argv, u, &q, 1, &t, HELP, &done);
    if (done) return rc;
    kmt_error e;
    kmt_error_init(&e);
    kmt_app_travel_report_result r;
    rc = kmt_app_travel_report(&t.c, &q, &r, &e);
    kmt_cli_app_close(&t.c);
    if (rc) return kmt_cli_app_error(argv[0], &e);
    report_ctx x = { &r, t.format };
    rc = kmt__travel_output(t.output, write_any, &x, &e);
    kmt_app_travel_report_result_destroy(&r);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

KMT_COMMAND("travel report", "travel and climate account: km, kWh, CO2e, cost, hours, targets", run, HELP)
