/* SPDX-License-Identifier: MPL-2.0 */
/* What the travel use cases share: targets, factors and records loaded, and
 * the common JSON members (include/kommute/app_travel.h). */
#include <ctype.h>
#include <string.h>

#include "kommute/store.h"
#include "travel_int.h"

/* The next target of a comma-separated list: up to a comma that starts a
 * new "YEAR:" (a decimal comma inside one target stays in it). */
static size_t target_len(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p != ',') continue;
        const char *y = p + 1;
        while (isdigit((unsigned char)*y)) y++;
        if (y > p + 1 && *y == ':') return (size_t)(p - s);
    }
    return strlen(s);
}

static int parse_targets(const kmt_app_ctx *c, const char *list, kmt_app_travel_data *t, kmt_error *e)
{
    const char *pre = c->param_prefix ? c->param_prefix : "";
    for (const char *s = list; s && *s;) {
        size_t n = target_len(s);
        if (t->ntargets >= KMT_APP_TRAVEL_MAX_TARGETS)
            return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "at most %d targets", KMT_APP_TRAVEL_MAX_TARGETS);
        char one[256];
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
        kmt_error sub;
        kmt_error_init(&sub);
        if (kmt_travel_target_parse(one, &t->targets[t->ntargets], &sub))
            return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "%starget %s", pre, sub.msg);
        t->ntargets++;
        s += n;
        if (*s == ',') s++;
    }
    return 0;
}

int kmt__app_travel_load(const kmt_app_ctx *c, const char *target, int64_t baseline, int after_baseline,
                         const char *organisation, const char *country, double hours_per_fte, kmt_app_travel_data *t,
                         kmt_error *e)
{
    memset(t, 0, sizeof *t);
    kmt_dataset_init(&t->d);
    const char *pre = c->param_prefix ? c->param_prefix : "";
    int rc = parse_targets(c, target, t, e);
    if (rc) return rc;
    if (t->ntargets && !baseline)
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "%starget needs %sbaseline YEAR", pre, pre);
    for (int i = 0; after_baseline && i < t->ntargets; i++)
        if (t->targets[i].year <= baseline)
            return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "target year %d is not after the baseline %ld",
                                t->targets[i].year, (long)baseline);
    if (!c->store) return kmt_error_set(e, KMT_EUSAGE, "this analysis needs a store");
    char used[2400];
    if ((rc = kmt_app_load_factors(c, &t->f, used, sizeof used, e))) {
        memset(&t->f, 0, sizeof t->f);
        return rc;
    }
    snprintf(t->factors_file, sizeof t->factors_file, "%s", kmt_app_path_label(c, used));
    kmt_store_query q = kmt_store_query_all();
    q.organisation = organisation;
    if ((rc = kmt_store_load_travel(c->store, &q, &t->d, e))) return rc;
    t->country = country ? country : kmt_travel_guess_country(&t->d, &t->f);
    kmt_travel_opts o = { .factors = &t->f,
                          .country = t->country,
                          .baseline_year = (int)baseline,
                          .targets = t->targets,
                          .ntargets = t->ntargets,
                          .hours_per_fte = hours_per_fte };
    return kmt_travel_report_build(&t->d, &o, &t->rep, e);
}

void kmt_app_travel_data_destroy(kmt_app_travel_data *t)
{
    kmt_travel_report_destroy(&t->rep); /* zeroed by build, so safe on failure */
    kmt_dataset_destroy(&t->d);
    kmt_factors_destroy(&t->f);
    memset(t, 0, sizeof *t);
}

const char *kmt_app_travel_scope_name(const kmt_app_travel_data *t, int s)
{
    return s == 0 ? "all" : t->d.orgs.v[t->rep.scope_org[s]].name;
}

const char *kmt_app_travel_org_name(const kmt_app_travel_data *t, int32_t org)
{
    return org >= 0 && (size_t)org < t->d.orgs.n ? t->d.orgs.v[org].name : "";
}

void kmt__app_travel_json_totals(kmt_json *j, const kmt_travel_totals *t)
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

void kmt__app_travel_json_head(kmt_json *j, const char *report, const kmt_app_travel_data *t)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "report");
    kmt_json_string(j, report);
    kmt_json_key(j, "kommute");
    kmt_json_string(j, KMT_VERSION);
    kmt_json_key(j, "factors");
    kmt_json_object_begin(j);
    kmt_json_key(j, "file");
    kmt_json_string(j, t->factors_file);
    kmt_json_key(j, "version");
    kmt_json_string(j, t->f.version);
    kmt_json_key(j, "rows");
    kmt_json_int(j, (int64_t)t->f.nrows);
    kmt_json_key(j, "rows_used");
    kmt_json_int(j, t->rep.factor_rows_used);
    kmt_json_key(j, "country");
    kmt_json_string(j, t->rep.country);
    kmt_json_key(j, "currency");
    kmt_json_string(j, t->rep.currency);
    kmt_json_object_end(j);
}
