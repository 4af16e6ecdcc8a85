/* SPDX-License-Identifier: MPL-2.0 */
/* kommute travel report: the travel and climate account (issue 5). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_factors.h"
#include "cli_travel.h"
#include "kommute/csv.h"
#include "kommute/json.h"
#include "kommute/store.h"
#include "kommute/travel.h"

static const char HELP[] =
    "Usage: kommute travel report [options]\n"
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
    const kmt_travel_report *rep;
    const kmt_dataset *d;
    const kmt_factors *f;
    const char *factors_path;
    const char *hours_source;
    const char *format;
} report_ctx;

static const char *scope_name(const report_ctx *c, int s)
{
    return s == 0 ? "all" : c->d->orgs.v[c->rep->scope_org[s]].name;
}

/* ---- JSON ------------------------------------------------------------------ */

void kmt__travel_json_totals(kmt_json *j, const kmt_travel_totals *t)
{
    kmt_json_key(j, "trips");
    kmt_json_int(j, t->trips);
    kmt_json_key(j, "km");
    kmt_json_double(j, (double)t->m / 1000.0, 3);
    kmt_json_key(j, "kwh");
    kmt_json_double(j, t->kwh, 2);
    kmt_json_key(j, "co2e_kg");
    kmt_json_double(j, t->co2e_g / 1000.0, 3);
    kmt_json_key(j, "cost");
    kmt_json_double(j, t->cost, 2);
    kmt_json_key(j, "hours");
    kmt_json_double(j, (double)t->seconds / 3600.0, 2);
}

void kmt__travel_json_head(kmt_json *j, const char *report, const kmt_factors *f, const char *path,
                           const char *country, const char *currency, int64_t rows_used)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "report");
    kmt_json_string(j, report);
    kmt_json_key(j, "kommute");
    kmt_json_string(j, KMT_VERSION);
    kmt_json_key(j, "factors");
    kmt_json_object_begin(j);
    kmt_json_key(j, "file");
    kmt_json_string(j, path);
    kmt_json_key(j, "version");
    kmt_json_string(j, f->version);
    kmt_json_key(j, "rows");
    kmt_json_int(j, (int64_t)f->nrows);
    kmt_json_key(j, "rows_used");
    kmt_json_int(j, rows_used);
    kmt_json_key(j, "country");
    kmt_json_string(j, country);
    kmt_json_key(j, "currency");
    kmt_json_string(j, currency);
    kmt_json_object_end(j);
}

static void json_scope(kmt_json *j, const report_ctx *c, int s)
{
    const kmt_travel_report *r = c->rep;
    kmt_json_key(j, "years");
    kmt_json_array_begin(j);
    for (int yi = 0; yi < r->nyears; yi++) {
        const kmt_travel_totals *t = kmt_travel_year(r, s, yi);
        if (t->trips == 0) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "year");
        kmt_json_int(j, r->year_from + yi);
        kmt__travel_json_totals(j, t);
        kmt_json_key(j, "gwh");
        kmt_json_double(j, t->kwh / 1e6, 6);
        kmt_json_key(j, "tco2e");
        kmt_json_double(j, t->co2e_g / 1e6, 3);
        kmt_json_key(j, "fte");
        kmt_json_double(j, (double)t->seconds / 3600.0 / r->hours_per_fte, 3);
        kmt_json_key(j, "hours_estimated_trips");
        kmt_json_int(j, t->hours_estimated);
        kmt_json_key(j, "cost_estimated_trips");
        kmt_json_int(j, t->cost_estimated);
        kmt_json_key(j, "months");
        kmt_json_array_begin(j);
        for (int m = 0; m < 12; m++) {
            const kmt_travel_totals *mt = kmt_travel_month(r, s, yi, m);
            if (mt->trips == 0) continue;
            kmt_json_object_begin(j);
            kmt_json_key(j, "month");
            kmt_json_int(j, m + 1);
            kmt__travel_json_totals(j, mt);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_key(j, "by_mode");
        kmt_json_array_begin(j);
        for (int m = 0; m < KMT_TRAVEL_NMODES; m++) {
            const kmt_travel_totals *mt = kmt_travel_mode(r, s, yi, m);
            if (mt->trips == 0) continue;
            kmt_json_object_begin(j);
            kmt_json_key(j, "mode");
            kmt_json_string(j, kmt_mode_name((kmt_mode)m));
            kmt__travel_json_totals(j, mt);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_key(j, "by_purpose");
        kmt_json_array_begin(j);
        for (int p = 0; p < r->npurposes; p++) {
            const kmt_travel_totals *pt = kmt_travel_purpose(r, s, yi, p);
            if (pt->trips == 0) continue;
            kmt_json_object_begin(j);
            kmt_json_key(j, "purpose");
            kmt_json_string(j, r->purposes[p]);
            kmt__travel_json_totals(j, pt);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, "targets");
    kmt_json_array_begin(j);
    for (int t = 0; t < r->ntargets; t++) {
        const kmt_travel_target *g = kmt_travel_scope_target(r, s, t);
        kmt_json_object_begin(j);
        kmt_json_key(j, "year");
        kmt_json_int(j, g->year);
        kmt_json_key(j, "reduction_pct");
        kmt_json_double(j, g->reduction_bp / 100.0, 2);
        kmt_json_key(j, "baseline_year");
        kmt_json_int(j, g->baseline_year);
        kmt_json_key(j, "baseline_km");
        kmt_json_double(j, (double)g->baseline_m / 1000.0, 3);
        kmt_json_key(j, "target_km");
        kmt_json_double(j, (double)g->target_m / 1000.0, 3);
        kmt_json_key(j, "actual_year");
        if (g->actual_year) kmt_json_int(j, g->actual_year);
        else kmt_json_null(j);
        kmt_json_key(j, "provisional");
        kmt_json_bool(j, g->provisional);
        kmt_json_key(j, "actual_km");
        kmt_json_double(j, (double)g->actual_m / 1000.0, 3);
        kmt_json_key(j, "gap_km");
        kmt_json_double(j, (double)g->gap_m / 1000.0, 3);
        kmt_json_key(j, "baseline_kwh");
        kmt_json_double(j, g->baseline_kwh, 2);
        kmt_json_key(j, "target_kwh");
        kmt_json_double(j, g->target_kwh, 2);
        kmt_json_key(j, "actual_kwh");
        kmt_json_double(j, g->actual_kwh, 2);
        kmt_json_key(j, "gap_kwh");
        kmt_json_double(j, g->gap_kwh, 2);
        kmt_json_key(j, "met");
        kmt_json_bool(j, g->met);
        kmt_json_key(j, "no_baseline");
        kmt_json_bool(j, g->no_baseline);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, "departments");
    kmt_json_array_begin(j);
    for (int k = 0; k < r->ndepts; k++) {
        if (r->dept_scope[k] != s || s == 0) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "name");
        kmt_json_string(j, c->d->orgs.v[r->dept_org[k]].name);
        kmt_json_key(j, "years");
        kmt_json_array_begin(j);
        for (int yi = 0; yi < r->nyears; yi++) {
            const kmt_travel_totals *t = kmt_travel_dept(r, k, yi);
            if (t->trips == 0) continue;
            kmt_json_object_begin(j);
            kmt_json_key(j, "year");
            kmt_json_int(j, r->year_from + yi);
            kmt__travel_json_totals(j, t);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

static int write_json(FILE *out, const report_ctx *c)
{
    const kmt_travel_report *r = c->rep;
    kmt_json j;
    kmt_json_init(&j, out);
    kmt__travel_json_head(&j, "travel", c->f, c->factors_path, r->country, r->currency, r->factor_rows_used);
    kmt_json_key(&j, "hours_per_fte");
    kmt_json_double(&j, r->hours_per_fte, 1);
    kmt_json_key(&j, "hours_per_fte_source");
    kmt_json_string(&j, c->hours_source);
    kmt_json_key(&j, "records");
    kmt_json_int(&j, r->records);
    kmt_json_key(&j, "unknown_mode_records");
    kmt_json_int(&j, r->unknown_mode);
    kmt_json_key(&j, "other_currency_records");
    kmt_json_int(&j, r->other_currency);
    kmt_json_key(&j, "baseline_year");
    if (r->baseline_year) kmt_json_int(&j, r->baseline_year);
    else kmt_json_null(&j);
    kmt_json_key(&j, "all");
    kmt_json_object_begin(&j);
    json_scope(&j, c, 0);
    kmt_json_object_end(&j);
    kmt_json_key(&j, "organisations");
    kmt_json_array_begin(&j);
    for (int s = 1; s < r->nscopes; s++) {
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "name");
        kmt_json_string(&j, scope_name(c, s));
        json_scope(&j, c, s);
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    kmt_json_object_end(&j);
    kmt_buf_put(&j.buf, "\n", 1);
    return kmt_json_finish(&j) ? KMT_EIO : 0;
}

/* ---- CSV -------------------------------------------------------------------- */

static void csv_num(FILE *f, double v, int dec)
{
    char s[KMT_FMT_DOUBLE_SIZE];
    size_t n = kmt_fmt_double(s, v, dec);
    fwrite(s, 1, n, f);
}

static void csv_row(FILE *f, const char *kind, const char *org, const char *dept, int year, int month,
                    const char *mode, const char *purpose, const kmt_travel_totals *t)
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
    const kmt_travel_report *r = c->rep;
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
                    csv_row(f, "mode", org, "", year, 0, kmt_mode_name((kmt_mode)m),
                            "", kmt_travel_mode(r, s, yi, m));
            for (int p = 0; p < r->npurposes; p++)
                if (kmt_travel_purpose(r, s, yi, p)->trips)
                    csv_row(f, "purpose", org, "", year, 0, "", r->purposes[p],
                            kmt_travel_purpose(r, s, yi, p));
            for (int k = 0; k < r->ndepts; k++)
                if (s > 0 && r->dept_scope[k] == s && kmt_travel_dept(r, k, yi)->trips)
                    csv_row(f, "department", org, c->d->orgs.v[r->dept_org[k]].name, year, 0, "", "",
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
    const kmt_travel_report *r = c->rep;
    fprintf(f, "  %-6s %9s %12s %10s %10s %14s %10s %7s\n", "year", "trips", "km", "MWh", "t CO2e",
            r->currency, "hours", "FTE");
    for (int yi = 0; yi < r->nyears; yi++) {
        const kmt_travel_totals *t = kmt_travel_year(r, s, yi);
        if (t->trips == 0) continue;
        double h = (double)t->seconds / 3600.0;
        fprintf(f, "  %-6d %9lld %12.0f %10.1f %10.2f %14.0f %10.0f %7.2f\n", r->year_from + yi,
                (long long)t->trips, (double)t->m / 1000.0, t->kwh / 1000.0, t->co2e_g / 1e6, t->cost, h,
                h / r->hours_per_fte);
    }
    for (int t = 0; t < r->ntargets; t++) {
        const kmt_travel_target *g = kmt_travel_scope_target(r, s, t);
        char actual[64];
        if (g->no_baseline) {
            fprintf(f, "  target %d: -%g%% vs %d: no records in the baseline year\n", g->year,
                    g->reduction_bp / 100.0, g->baseline_year);
            continue;
        }
        if (g->actual_year)
            snprintf(actual, sizeof actual, "%.0f km in %d%s", (double)g->actual_m / 1000.0,
                     g->actual_year, g->provisional ? " (latest year, provisional)" : "");
        else
            snprintf(actual, sizeof actual, "no records");
        fprintf(f, "  target %d: -%g%% vs %d = %.0f km; actual %s: %s", g->year, g->reduction_bp / 100.0,
                g->baseline_year, (double)g->target_m / 1000.0, actual,
                g->met ? "met" : "not met");
        if (!g->met && g->actual_year)
            fprintf(f, ", %.0f km and %.1f MWh still to cut", (double)g->gap_m / 1000.0,
                    g->gap_kwh / 1000.0);
        fputc('\n', f);
    }
}

static void text_breakdown(FILE *f, const report_ctx *c, int by_mode)
{
    const kmt_travel_report *r = c->rep;
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
    const kmt_travel_report *r = c->rep;
    fprintf(f, "Travel and climate account: %lld records\n", (long long)r->records);
    fprintf(f, "Factors: %s, version %s, %zu rows (%lld used), country %s, currency %s\n",
            c->factors_path, c->f->version, c->f->nrows, (long long)r->factor_rows_used, r->country,
            r->currency);
    fprintf(f, "FTE: %g hours a year (%s)\n", r->hours_per_fte, c->hours_source);
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
                    c->d->orgs.v[r->dept_org[k]].name, r->year_from + yl, (long long)t->trips,
                    (double)t->m / 1000.0, t->co2e_g / 1e6, t->cost, r->currency);
        }
    }
    return ferror(f) ? KMT_EIO : 0;
}

static int write_any(FILE *f, void *ctx)
{
    const report_ctx *c = ctx;
    if (strcmp(c->format, "json") == 0) return write_json(f, c);
    if (strcmp(c->format, "csv") == 0) return write_csv(f, c);
    if (strcmp(c->format, "html") == 0) return kmt__travel_html(f, c->rep, c->d, c->f, c->factors_path, c->hours_source);
    return write_text(f, c);
}

int kmt__travel_targets(int argc, char **argv, kmt_travel_target_spec *ts, int max, int *n)
{
    *n = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) v = argv[++i];
        else if (strncmp(argv[i], "--target=", 9) == 0) v = argv[i] + 9;
        if (!v) continue;
        if (*n >= max) return kmt_cli_usage(argv[0], "at most %d targets", max);
        kmt_error e;
        kmt_error_init(&e);
        if (kmt_travel_target_parse(v, &ts[*n], &e)) return kmt_cli_usage(argv[0], "--target %s", e.msg);
        (*n)++;
    }
    return 0;
}

int kmt__travel_load(const char *db, const char *organisation, kmt_dataset *d, kmt_error *e)
{
    kmt_store *s;
    int rc = kmt_store_open(&s, db, KMT_STORE_READONLY, e);
    if (rc) return rc;
    kmt_store_query q = kmt_store_query_all();
    q.organisation = organisation;
    kmt_dataset_init(d);
    rc = kmt_store_load_travel(s, &q, d, e);
    kmt_store_close(s);
    return rc;
}

int kmt__travel_output(const char *path, int (*fn)(FILE *, void *), void *ctx, kmt_error *e)
{
    if (path && *path && strcmp(path, "-") != 0) return kmt_write_file_atomic(path, fn, ctx, e);
    int rc = fn(kmt_cli_out(), ctx);
    if (rc == 0 && fflush(kmt_cli_out()) != 0) rc = KMT_EIO;
    if (rc) kmt_error_set(e, rc, "writing the report to standard output failed");
    return rc;
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *baseline = NULL, *target = NULL, *org = NULL, *factors = NULL,
               *country = NULL, *hpf = NULL, *format = "text", *output = NULL;
    kmt_opt opts[] = {{"db", 0, 1, &db},
                      {"baseline", 0, 1, &baseline},
                      {"target", 0, 1, &target},
                      {"organisation", 0, 1, &org},
                      {"factors", 0, 1, &factors},
                      {"country", 0, 1, &country},
                      {"hours-per-fte", 0, 1, &hpf},
                      {"format", 0, 1, &format},
                      {"output", 'o', 1, &output},
                      {NULL, 0, 0, NULL}};
    const char *pos[64];
    int npos = 0;
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, &npos, HELP);
    if (rc) return rc < 0 ? KMT_EXIT_OK : rc;
    if (npos) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html"))
        return kmt_cli_usage(argv[0], "--format must be text, json, csv or html, got '%s'", format);
    kmt_travel_target_spec ts[16];
    int nt = 0;
    if ((rc = kmt__travel_targets(argc, argv, ts, 16, &nt))) return rc;
    long by = 0;
    if (baseline && kmt_cli_int(argv[0], "baseline", baseline, 1900, 2200, &by)) return KMT_EXIT_USAGE;
    if (nt && !baseline) return kmt_cli_usage(argv[0], "--target needs --baseline YEAR");
    for (int i = 0; i < nt; i++)
        if (ts[i].year <= by)
            return kmt_cli_usage(argv[0], "target year %d is not after the baseline %ld", ts[i].year, by);
    double hours = 0;
    if (hpf && kmt_cli_double(argv[0], "hours-per-fte", hpf, 1000, 2500, &hours)) return KMT_EXIT_USAGE;

    kmt_error e;
    kmt_error_init(&e);
    kmt_factors f;
    char fpath[2400];
    if ((rc = kmt_cli_load_factors(factors, &f, fpath, sizeof fpath, &e))) return kmt_cli_error(&e);
    kmt_dataset d;
    if ((rc = kmt__travel_load(db, org, &d, &e))) {
        kmt_factors_destroy(&f);
        return kmt_cli_error(&e);
    }
    if (!country) country = kmt_travel_guess_country(&d, &f);
    kmt_travel_options o = {.factors = &f, .country = country, .baseline_year = (int)by,
                            .targets = ts, .ntargets = nt, .hours_per_fte = hours};
    kmt_travel_report rep;
    rc = kmt_travel_report_build(&d, &o, &rep, &e);
    if (rc == 0) {
        const kmt_factor_country *fc = kmt_factors_country(&f, country);
        report_ctx c = {&rep, &d, &f, fpath, hours > 0 ? "given with --hours-per-fte" : fc->hours_source,
                        format};
        rc = kmt__travel_output(output, write_any, &c, &e);
        kmt_travel_report_free(&rep);
    }
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

KMT_COMMAND("travel report", "travel and climate account: km, kWh, CO2e, cost, hours, targets", run, HELP)
