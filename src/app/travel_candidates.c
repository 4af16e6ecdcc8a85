/* SPDX-License-Identifier: MPL-2.0 */
/* travel candidates as a use case: meetings that could have been video
 * meetings, ranked, with a what-if per target (include/kommute/app_travel.h). */
#include <stddef.h>
#include <string.h>

#include "travel_int.h"

#define P(name, type, lo, hi, field)                                                                                   \
    {                                                                                                                  \
        name, 0, type, lo, hi, offsetof(kmt_app_travel_candidates_req, field), NULL, 0                                 \
    }
static const kmt_app_param PARAMS[] = {
    P("year", KMT_APP_P_INT, 1900, 2200, year),          P("top", KMT_APP_P_INT, 1, 1000000, top),
    P("baseline", KMT_APP_P_INT, 1900, 2200, baseline),  P("target", KMT_APP_P_STRING, 0, 4000, target),
    P("window", KMT_APP_P_INT, 0, 24 * 60, window_min),  P("meeting-hours", KMT_APP_P_DOUBLE, 0.1, 24, meeting_hours),
    P("series-min", KMT_APP_P_INT, 2, 1000, series_min), P("organisation", KMT_APP_P_STRING, 0, 200, organisation),
    P("country", KMT_APP_P_STRING, 0, 200, country),     { NULL, 0, 0, 0, 0, 0, NULL, 0 }
};
#undef P

void kmt_app_travel_candidates_req_default(kmt_app_travel_candidates_req *q)
{
    memset(q, 0, sizeof *q);
    kmt_candidate_opts co;
    kmt_candidate_opts_default(&co);
    q->top = 20;
    q->window_min = co.window_min;
    q->meeting_hours = co.meeting_hours;
    q->series_min = co.series_min;
}

/* The what-if of each target: the year's metres against the target's. */
static void what_if(kmt_app_travel_candidates_result *out)
{
    const kmt_travel_report *rep = &out->t.rep;
    for (int t = 0; t < out->t.ntargets; t++) {
        kmt_app_travel_whatif *w = &out->wi[t];
        const kmt_travel_target *g = kmt_travel_scope_target(rep, 0, t);
        w->t = g;
        w->need_m = out->year_m - g->target_m;
        w->top_n = kmt_candidates_needed(&out->cands, w->need_m);
        int64_t s = 0;
        size_t upto = w->top_n > 0 ? (size_t)w->top_n : out->cands.n;
        for (size_t i = 0; i < upto && i < out->cands.n; i++) s += out->cands.v[i].saved.m;
        w->saved_m = w->top_n == 0 ? 0 : s;
    }
}

int kmt_app_travel_candidates(const kmt_app_ctx *c, const kmt_app_travel_candidates_req *q,
                              kmt_app_travel_candidates_result *out, kmt_error *e)
{
    memset(out, 0, sizeof *out);
    /* the account of every year: the year's km, the targets and the default year */
    int rc = kmt__app_travel_load(c, q->target, q->baseline, 0, q->organisation, q->country, 0, &out->t, e);
    const kmt_travel_report *rep = &out->t.rep;
    if (rc == 0) {
        kmt_candidate_opts co;
        kmt_candidate_opts_default(&co);
        co.window_min = (int)q->window_min;
        co.meeting_hours = q->meeting_hours;
        co.series_min = (int)q->series_min;
        out->year = q->year ? (int)q->year : rep->year_from + rep->nyears - 1;
        co.factors = &out->t.f;
        co.country = out->t.country;
        co.year = out->year;
        rc = kmt_travel_candidates(&out->t.d, &co, &out->cands, e);
    }
    if (rc) {
        kmt_app_travel_candidates_result_destroy(out);
        return rc;
    }
    out->top = (long)q->top;
    int yi = out->year - rep->year_from;
    out->year_m = yi >= 0 && yi < rep->nyears ? kmt_travel_year(rep, 0, yi)->m : 0;
    what_if(out);
    return 0;
}

void kmt_app_travel_candidates_result_destroy(kmt_app_travel_candidates_result *r)
{
    kmt_candidates_destroy(&r->cands);
    kmt_app_travel_data_destroy(&r->t);
}

void kmt_app_travel_candidates_json(const kmt_app_travel_candidates_result *x, kmt_json *jp)
{
    kmt__app_travel_json_head(jp, "travel candidates", &x->t);
    kmt_json_key(jp, "year");
    kmt_json_int(jp, x->year);
    kmt_json_key(jp, "year_km");
    kmt_json_double(jp, (double)x->year_m / 1000.0, 3);
    kmt_json_key(jp, "meetings");
    kmt_json_int(jp, x->cands.meetings);
    kmt_json_key(jp, "meeting_trips");
    kmt_json_int(jp, x->cands.meeting_trips);
    kmt_json_key(jp, "candidates_total");
    kmt_json_int(jp, (int64_t)x->cands.n);
    kmt_json_key(jp, "candidates");
    kmt_json_array_begin(jp);
    char day[16];
    for (size_t i = 0; i < x->cands.n && (long)i < x->top; i++) {
        const kmt_candidate *c = &x->cands.v[i];
        kmt_json_object_begin(jp);
        kmt_json_key(jp, "rank");
        kmt_json_int(jp, (int64_t)i + 1);
        kmt_json_key(jp, "kind");
        kmt_json_string(jp, c->is_series ? "series" : "meeting");
        kmt_json_key(jp, "grouping");
        kmt_json_string(jp, c->grouping == KMT_GROUP_MEETING_ID ? "meeting_id" : "inferred");
        kmt_json_key(jp, "meeting_id");
        kmt_json_string(jp, c->meeting_id);
        kmt_json_key(jp, "destination");
        kmt_json_string(jp, c->destination);
        kmt_json_key(jp, "organisation");
        kmt_json_string(jp, kmt_app_travel_org_name(&x->t, c->organisation));
        kmt_json_key(jp, "first");
        kmt_json_string(jp, kmt_time_format_date(c->first, day, sizeof day));
        kmt_json_key(jp, "last");
        kmt_json_string(jp, kmt_time_format_date(c->last, day, sizeof day));
        kmt_json_key(jp, "occurrences");
        kmt_json_int(jp, c->occurrences);
        kmt_json_key(jp, "people");
        kmt_json_int(jp, c->people);
        kmt__app_travel_json_totals(jp, &c->saved);
        kmt_json_key(jp, "meeting_hours");
        kmt_json_double(jp, c->meeting_hours, 2);
        kmt_json_key(jp, "meeting_hours_assumed");
        kmt_json_bool(jp, c->meeting_hours_assumed);
        kmt_json_key(jp, "hours_per_meeting_hour");
        kmt_json_double(jp, c->score, 3);
        kmt_json_object_end(jp);
    }
    kmt_json_array_end(jp);
    kmt_json_key(jp, "what_if");
    kmt_json_array_begin(jp);
    for (int i = 0; i < x->t.ntargets; i++) {
        const kmt_app_travel_whatif *w = &x->wi[i];
        kmt_json_object_begin(jp);
        kmt_json_key(jp, "target_year");
        kmt_json_int(jp, w->t->year);
        kmt_json_key(jp, "reduction_pct");
        kmt_json_double(jp, w->t->reduction_bp / 100.0, 2);
        kmt_json_key(jp, "target_km");
        kmt_json_double(jp, (double)w->t->target_m / 1000.0, 3);
        kmt_json_key(jp, "need_km");
        kmt_json_double(jp, (double)(w->need_m > 0 ? w->need_m : 0) / 1000.0, 3);
        kmt_json_key(jp, "top_n");
        if (w->top_n >= 0)
            kmt_json_int(jp, w->top_n);
        else
            kmt_json_null(jp);
        kmt_json_key(jp, "saved_km");
        kmt_json_double(jp, (double)w->saved_m / 1000.0, 3);
        kmt_json_key(jp, "reached");
        kmt_json_bool(jp, w->top_n >= 0);
        kmt_json_object_end(jp);
    }
    kmt_json_array_end(jp);
    kmt_json_object_end(jp);
}

static void req_default(void *q)
{
    kmt_app_travel_candidates_req_default(q);
}

static int json(const kmt_app_ctx *c, const void *q, kmt_json *j, kmt_error *e)
{
    kmt_app_travel_candidates_result r;
    int rc = kmt_app_travel_candidates(c, q, &r, e);
    if (rc) return rc;
    kmt_app_travel_candidates_json(&r, j);
    kmt_app_travel_candidates_result_destroy(&r);
    return 0;
}

const kmt_app_usecase kmt_app_travel_candidates_usecase = {
    "travel candidates", PARAMS, sizeof(kmt_app_travel_candidates_req), req_default, KMT_APP_NEEDS_STORE, json
};
