/* SPDX-License-Identifier: MPL-2.0 */
/* travel report as a use case: the travel and climate account (issue 5;
 * include/kommute/app_travel.h). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "travel_int.h"

#define P(name, type, lo, hi, field)                                                                                   \
    {                                                                                                                  \
        name, 0, type, lo, hi, offsetof(kmt_app_travel_report_req, field), NULL, 0                                     \
    }
static const kmt_app_param PARAMS[] = { P("baseline", KMT_APP_P_INT, 1900, 2200, baseline),
                                        P("target", KMT_APP_P_STRING, 0, 4000, target),
                                        P("organisation", KMT_APP_P_STRING, 0, 200, organisation),
                                        P("country", KMT_APP_P_STRING, 0, 200, country),
                                        P("hours-per-fte", KMT_APP_P_DOUBLE, 1000, 2500, hours_per_fte),
                                        { NULL, 0, 0, 0, 0, 0, NULL, 0 } };
#undef P

void kmt_app_travel_report_req_default(kmt_app_travel_report_req *q)
{
    memset(q, 0, sizeof *q);
}

int kmt_app_travel_report(const kmt_app_ctx *c, const kmt_app_travel_report_req *q, kmt_app_travel_report_result *out,
                          kmt_error *e)
{
    memset(out, 0, sizeof *out);
    int rc =
        kmt__app_travel_load(c, q->target, q->baseline, 1, q->organisation, q->country, q->hours_per_fte, &out->t, e);
    if (rc) {
        kmt_app_travel_data_destroy(&out->t);
        return rc;
    }
    const kmt_factor_country *fc = kmt_factors_country(&out->t.f, out->t.country);
    if (q->hours_per_fte > 0)
        snprintf(out->hours_source, sizeof out->hours_source, "given with %shours-per-fte",
                 c->param_prefix ? c->param_prefix : "");
    else
        snprintf(out->hours_source, sizeof out->hours_source, "%s", fc->hours_source);
    return 0;
}

void kmt_app_travel_report_result_destroy(kmt_app_travel_report_result *r)
{
    kmt_app_travel_data_destroy(&r->t);
}

/* The scope's years with months, modes and purposes. */
static void json_years(kmt_json *j, const kmt_app_travel_data *t0, int s)
{
    const kmt_travel_report *r = &t0->rep;
    kmt_json_key(j, "years");
    kmt_json_array_begin(j);
    for (int yi = 0; yi < r->nyears; yi++) {
        const kmt_travel_totals *t = kmt_travel_year(r, s, yi);
        if (t->trips == 0) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "year");
        kmt_json_int(j, r->year_from + yi);
        kmt__app_travel_json_totals(j, t);
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
            kmt__app_travel_json_totals(j, mt);
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
            kmt__app_travel_json_totals(j, mt);
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
            kmt__app_travel_json_totals(j, pt);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

/* Progress against each target in the scope. */
static void json_targets(kmt_json *j, const kmt_app_travel_data *t0, int s)
{
    const kmt_travel_report *r = &t0->rep;
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
        if (g->actual_year)
            kmt_json_int(j, g->actual_year);
        else
            kmt_json_null(j);
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
}

/* The departments of organisation scope s, year by year. */
static void json_departments(kmt_json *j, const kmt_app_travel_data *t0, int s)
{
    const kmt_travel_report *r = &t0->rep;
    kmt_json_key(j, "departments");
    kmt_json_array_begin(j);
    for (int k = 0; k < r->ndepts; k++) {
        if (r->dept_scope[k] != s || s == 0) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "name");
        kmt_json_string(j, t0->d.orgs.v[r->dept_org[k]].name);
        kmt_json_key(j, "years");
        kmt_json_array_begin(j);
        for (int yi = 0; yi < r->nyears; yi++) {
            const kmt_travel_totals *t = kmt_travel_dept(r, k, yi);
            if (t->trips == 0) continue;
            kmt_json_object_begin(j);
            kmt_json_key(j, "year");
            kmt_json_int(j, r->year_from + yi);
            kmt__app_travel_json_totals(j, t);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

static void json_scope(kmt_json *j, const kmt_app_travel_data *t0, int s)
{
    json_years(j, t0, s);
    json_targets(j, t0, s);
    json_departments(j, t0, s);
}

void kmt_app_travel_report_json(const kmt_app_travel_report_result *res, kmt_json *jp)
{
    const kmt_app_travel_data *t0 = &res->t;
    const kmt_travel_report *r = &t0->rep;
    kmt__app_travel_json_head(jp, "travel", t0);
    kmt_json_key(jp, "hours_per_fte");
    kmt_json_double(jp, r->hours_per_fte, 1);
    kmt_json_key(jp, "hours_per_fte_source");
    kmt_json_string(jp, res->hours_source);
    kmt_json_key(jp, "records");
    kmt_json_int(jp, r->records);
    kmt_json_key(jp, "unknown_mode_records");
    kmt_json_int(jp, r->unknown_mode);
    kmt_json_key(jp, "other_currency_records");
    kmt_json_int(jp, r->other_currency);
    kmt_json_key(jp, "baseline_year");
    if (r->baseline_year)
        kmt_json_int(jp, r->baseline_year);
    else
        kmt_json_null(jp);
    kmt_json_key(jp, "all");
    kmt_json_object_begin(jp);
    json_scope(jp, t0, 0);
    kmt_json_object_end(jp);
    kmt_json_key(jp, "organisations");
    kmt_json_array_begin(jp);
    for (int s = 1; s < r->nscopes; s++) {
        kmt_json_object_begin(jp);
        kmt_json_key(jp, "name");
        kmt_json_string(jp, kmt_app_travel_scope_name(t0, s));
        json_scope(jp, t0, s);
        kmt_json_object_end(jp);
    }
    kmt_json_array_end(jp);
    kmt_json_object_end(jp);
}

static void req_default(void *q)
{
    kmt_app_travel_report_req_default(q);
}

static int json(const kmt_app_ctx *c, const void *q, kmt_json *j, kmt_error *e)
{
    kmt_app_travel_report_result r;
    int rc = kmt_app_travel_report(c, q, &r, e);
    if (rc) return rc;
    kmt_app_travel_report_json(&r, j);
    kmt_app_travel_report_result_destroy(&r);
    return 0;
}

const kmt_app_usecase kmt_app_travel_report_usecase = {
    "travel report", PARAMS, sizeof(kmt_app_travel_report_req), req_default, KMT_APP_NEEDS_STORE, json
};
