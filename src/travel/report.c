/* SPDX-License-Identifier: MPL-2.0 */
/* The travel account: totals per organisation, department, year, month, mode
 * and purpose, and progress against reduction targets. See kommute/travel.h. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/travel.h"
#include "travel_int.h"

#define MAX_PURPOSES 64 /* more distinct purposes than this go into "(other)" */

int kmt_travel_target_parse(const char *text, kmt_travel_target_spec *out, kmt_error *e)
{
    const char *colon = strchr(text, ':');
    char *end;
    long year = colon ? strtol(text, &end, 10) : 0;
    if (!colon || end != colon || year < 1900 || year > 2200)
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "'%s' is not YEAR:-PCT%% (e.g. 2015:-20%%)", text);
    const char *p = colon + 1;
    if (*p == '-')
        p++;
    else if (*p == '+')
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "'%s': a target is a reduction, e.g. %ld:-20%%", text,
                            year);
    double pct = strtod(p, &end);
    if (end == p || (*end && strcmp(end, "%") != 0) || !(pct >= 0 && pct <= 100))
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target",
                            "'%s': the reduction must be a percentage from 0 to 100, e.g. %ld:-20%%", text, year);
    double bp = pct * 100.0;
    if (fabs(bp - floor(bp + 0.5)) > 1e-6)
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "target", "'%s': at most two decimals in the percentage", text);
    out->year = (int)year;
    out->reduction_bp = (int)floor(bp + 0.5);
    return 0;
}

void kmt__travel_add(kmt_travel_totals *a, const kmt_travel_totals *b)
{
    a->trips += b->trips;
    a->m += b->m;
    a->kwh += b->kwh;
    a->co2e_g += b->co2e_g;
    a->cost += b->cost;
    a->seconds += b->seconds;
    a->hours_estimated += b->hours_estimated;
    a->cost_estimated += b->cost_estimated;
}

int kmt__travel_cost_usable(const kmt_travel *r, const char *currency)
{
    return !isnan(r->cost) && (r->currency[0] == '\0' || strcmp(r->currency, currency) == 0);
}

void kmt_travel_account(const kmt_travel *r, const kmt_factor *f, const char *currency, double cost_rate,
                        kmt_travel_totals *t)
{
    memset(t, 0, sizeof *t);
    double km = r->km > 0 && isfinite(r->km) ? r->km : 0;
    t->trips = 1;
    t->m = llround(km * 1000.0);
    if (f) {
        t->kwh = km * f->kwh_per_km;
        t->co2e_g = km * f->co2e_g_per_km;
    }
    if (r->travel_minutes >= 0) {
        t->seconds = (int64_t)r->travel_minutes * 60;
    } else if (r->start != KMT_TIME_NONE && r->end != KMT_TIME_NONE && r->end > r->start) {
        t->seconds = r->end - r->start;
    } else {
        t->hours_estimated = 1;
        if (f && f->speed_kmh > 0) t->seconds = llround(km / f->speed_kmh * 3600.0);
    }
    if (kmt__travel_cost_usable(r, currency)) {
        t->cost = r->cost;
    } else {
        t->cost = km * cost_rate;
        t->cost_estimated = 1;
    }
}

/* ---- factor cache and tiered allowances (shared with candidates.c) --------- */

void kmt__travel_factor_cache(const kmt_factors *fs, const char *country,
                              const kmt_factor *cache[KMT_TRAVEL_NMODES][KMT_FUEL_COUNT])
{
    for (int m = 0; m < KMT_TRAVEL_NMODES; m++)
        for (int fu = 0; fu < KMT_FUEL_COUNT; fu++) {
            const char *fuel = fu == KMT_FUEL_UNKNOWN ? "" : kmt_fuel_name((kmt_fuel)fu);
            cache[m][fu] = m == 0 ? NULL : kmt_factors_lookup_id(fs, country, m, fuel);
        }
}

void kmt__tier_init(kmt__tier_map *t)
{
    kmt_map_init(&t->map);
    t->km = NULL;
    t->cap = 0;
}

void kmt__tier_free(kmt__tier_map *t)
{
    kmt_map_destroy(&t->map);
    kmt_free(t->km);
    t->km = NULL;
    t->cap = 0;
}

/* km so far of (person, year): the key is the person's bytes, a NUL, the year. */
static double *tier_km(kmt__tier_map *t, const char *person, int year)
{
    size_t len = strlen(person);
    char small[128];
    char *key = len + 1 + sizeof year <= sizeof small ? small : kmt_malloc(len + 1 + sizeof year);
    memcpy(key, person, len + 1);
    memcpy(key + len + 1, &year, sizeof year);
    int added;
    size_t i = kmt_map_insert_str(&t->map, key, len + 1 + sizeof year, 0, &added);
    if (key != small) kmt_free(key);
    if (i == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->km = kmt_realloc(t->km, t->cap * sizeof *t->km);
    }
    if (added) t->km[i] = 0;
    return &t->km[i];
}

double kmt__travel_cost_rate(kmt__tier_map *t, const kmt_travel *r, const kmt_factor *f, int year)
{
    if (!f) return 0;
    if (f->cost_tier_km <= 0 || !(r->km > 0)) return f->cost_per_km;
    double *acc = tier_km(t, r->person, year);
    double below = f->cost_tier_km - *acc;
    if (below < 0) below = 0;
    if (below > r->km) below = r->km;
    *acc += r->km;
    return (below * f->cost_per_km + (r->km - below) * f->cost_per_km_above) / r->km;
}

/* ---- the report --------------------------------------------------------- */

/* Index of purpose p in rep->purposes (table: purpose -> index), added if
 * new; past MAX_PURPOSES - 1 purposes the last one, "(other)", takes the rest. */
static int purpose_index(kmt_travel_report *rep, const char *p, kmt_map *table)
{
    int64_t k;
    if (kmt_map_get_str(table, p, &k) == 0) return (int)k;
    if (rep->npurposes == MAX_PURPOSES - 1) { /* the last slot collects the rest */
        rep->purposes[MAX_PURPOSES - 1] = "(other)";
        rep->npurposes = MAX_PURPOSES;
    }
    if (rep->npurposes == MAX_PURPOSES) return MAX_PURPOSES - 1;
    int n = rep->npurposes++;
    rep->purposes[n] = p;
    kmt_map_put_str(table, p, n);
    return n;
}

const kmt_travel_totals *kmt_travel_year(const kmt_travel_report *r, int s, int yi)
{
    assert(s >= 0 && s < r->nscopes && yi >= 0 && yi < r->nyears);
    return &r->year[(size_t)s * r->nyears + yi];
}
const kmt_travel_totals *kmt_travel_month(const kmt_travel_report *r, int s, int yi, int m0)
{
    assert(m0 >= 0 && m0 < 12);
    return &r->month[((size_t)s * r->nyears + yi) * 12 + m0];
}
const kmt_travel_totals *kmt_travel_mode(const kmt_travel_report *r, int s, int yi, int mode)
{
    assert(mode >= 0 && mode < KMT_TRAVEL_NMODES);
    return &r->mode[((size_t)s * r->nyears + yi) * KMT_TRAVEL_NMODES + mode];
}
const kmt_travel_totals *kmt_travel_purpose(const kmt_travel_report *r, int s, int yi, int p)
{
    assert(p >= 0 && p < r->npurposes);
    return &r->purpose[((size_t)s * r->nyears + yi) * MAX_PURPOSES + p];
}
const kmt_travel_totals *kmt_travel_dept(const kmt_travel_report *r, int dept, int yi)
{
    assert(dept >= 0 && dept < r->ndepts);
    return &r->dept[(size_t)dept * r->nyears + yi];
}
const kmt_travel_target *kmt_travel_scope_target(const kmt_travel_report *r, int s, int t)
{
    assert(t >= 0 && t < r->ntargets);
    return &r->targets[(size_t)s * r->ntargets + t];
}

void kmt_travel_report_destroy(kmt_travel_report *r)
{
    if (!r) return;
    kmt_free(r->scope_org);
    kmt_free(r->purposes);
    kmt_free(r->year);
    kmt_free(r->month);
    kmt_free(r->mode);
    kmt_free(r->purpose);
    kmt_free(r->dept_org);
    kmt_free(r->dept_scope);
    kmt_free(r->dept);
    kmt_free(r->targets);
    memset(r, 0, sizeof *r);
}

int kmt__travel_setup(const kmt_factors *fs, const char *country_in, char country[4], char currency[4],
                      double *hours_per_fte, kmt_error *e)
{
    if (!fs) return kmt_error_set(e, KMT_EINVAL, "no factors given");
    const kmt_factor_country *c = kmt_factors_country(fs, country_in);
    if (!c)
        return kmt_error_at(e, KMT_EINVAL, fs->name, 0, 0, "country",
                            "country '%s' is not in the factors file (version %s)", country_in ? country_in : "",
                            fs->version);
    snprintf(country, 4, "%s", c->country);
    snprintf(currency, 4, "%s", c->currency);
    if (hours_per_fte) *hours_per_fte = c->hours_per_fte;
    return 0;
}

const char *kmt_travel_country_for_currencies(const kmt_factors *f, const char (*cur)[8], const int64_t *cnt, size_t n)
{
    if (!f || f->ncountries == 0) return NULL;
    int64_t *count = kmt_calloc(f->ncountries, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        if (!cur[i][0]) continue;
        for (size_t c = 0; c < f->ncountries; c++)
            if (strcmp(cur[i], f->countries[c].currency) == 0) {
                count[c] += cnt[i];
                break;
            }
    }
    size_t best = 0;
    for (size_t c = 1; c < f->ncountries; c++)
        if (count[c] > count[best]) best = c;
    const char *r = count[best] > 0 ? f->countries[best].country : NULL;
    kmt_free(count);
    return r;
}

const char *kmt_travel_guess_country(const kmt_dataset *d, const kmt_factors *f)
{
    /* tally the records per distinct currency (a handful), then apply the rule */
    enum { MAXCUR = 64 };
    char cur[MAXCUR][8];
    int64_t cnt[MAXCUR];
    size_t n = 0;
    for (size_t i = 0; i < d->travel.n; i++) {
        const char *c = d->travel.v[i].currency;
        size_t k = 0;
        while (k < n && strcmp(cur[k], c) != 0) k++;
        if (k == n) {
            if (n == MAXCUR) continue; /* more currencies than any export has: ignore the rest */
            snprintf(cur[n], sizeof cur[n], "%s", c);
            cnt[n++] = 0;
        }
        cnt[k]++;
    }
    return kmt_travel_country_for_currencies(f, (const char(*)[8])cur, cnt, n);
}

static void set_target(kmt_travel_report *rep, int s, int t, const kmt_travel_target_spec *spec)
{
    kmt_travel_target *g = &rep->targets[(size_t)s * rep->ntargets + t];
    memset(g, 0, sizeof *g);
    g->year = spec->year;
    g->reduction_bp = spec->reduction_bp;
    g->baseline_year = rep->baseline_year;
    const kmt_travel_totals *b = kmt_travel_year(rep, s, rep->baseline_year - rep->year_from);
    g->baseline_m = b->m;
    g->baseline_kwh = b->kwh;
    int64_t keep = 10000 - spec->reduction_bp;
    g->target_m = b->m * keep / 10000;
    g->target_kwh = b->kwh * (double)keep / 10000.0;
    /* actual: the target year, else the latest year before it with records */
    int last = spec->year - rep->year_from;
    if (last >= rep->nyears) last = rep->nyears - 1;
    for (int yi = last; yi >= 0; yi--) {
        const kmt_travel_totals *a = kmt_travel_year(rep, s, yi);
        if (a->trips == 0) continue;
        g->actual_year = rep->year_from + yi;
        g->provisional = g->actual_year < spec->year;
        g->actual_m = a->m;
        g->actual_kwh = a->kwh;
        break;
    }
    g->no_baseline = b->trips == 0;
    if (g->actual_year == 0 || g->no_baseline) return; /* no data: not met */
    g->met = g->actual_m * 10000 <= g->baseline_m * keep;
    g->gap_m = g->met ? 0 : g->actual_m - g->target_m;
    g->gap_kwh = g->actual_kwh > g->target_kwh ? g->actual_kwh - g->target_kwh : 0;
}

int kmt_travel_report_build(const kmt_dataset *d, const kmt_travel_opts *opt, kmt_travel_report *rep, kmt_error *e)
{
    memset(rep, 0, sizeof *rep);
    int rc = kmt__travel_setup(opt->factors, opt->country, rep->country, rep->currency, &rep->hours_per_fte, e);
    if (rc) return rc;
    if (opt->hours_per_fte > 0) rep->hours_per_fte = opt->hours_per_fte;
    size_t n = d->travel.n;
    rep->records = (int64_t)n;

    /* years and months of each record */
    int ymin = 0, ymax = 0;
    uint16_t *ym = kmt_malloc((n ? n : 1) * sizeof *ym); /* (year - 1900) * 12 + month0 */
    for (size_t i = 0; i < n; i++) {
        const kmt_travel *r = &d->travel.v[i];
        kmt_civil c = { 0 };
        if (r->date != KMT_TIME_NONE) c = kmt_time_civil(r->date);
        if (r->date == KMT_TIME_NONE || c.year < 1900 || c.year > 2200) {
            kmt_free(ym);
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "date",
                                "travel record '%s' has no date or one outside 1900..2200", r->key ? r->key : "");
        }
        ym[i] = (uint16_t)((c.year - 1900) * 12 + c.month - 1);
        if (i == 0 || c.year < ymin) ymin = c.year;
        if (i == 0 || c.year > ymax) ymax = c.year;
    }
    if (n == 0) ymin = ymax = opt->baseline_year ? opt->baseline_year : 2000;
    rep->year_from = ymin;
    rep->nyears = ymax - ymin + 1;
    rep->baseline_year = opt->baseline_year;
    if (opt->ntargets > 0 && !opt->baseline_year) {
        kmt_free(ym);
        return kmt_error_set(e, KMT_EUSAGE, "targets need a baseline year (--baseline YEAR)");
    }
    if (opt->baseline_year && (opt->baseline_year < ymin || opt->baseline_year > ymax)) {
        kmt_free(ym);
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "baseline",
                            "no travel records in the baseline year %d (records cover %d..%d)", opt->baseline_year,
                            ymin, ymax);
    }

    /* scopes: all + each organisation (level 0); departments (level 1) */
    size_t norgs = d->orgs.n;
    int32_t *org_scope = kmt_malloc((norgs ? norgs : 1) * sizeof *org_scope);
    int32_t *org_dept = kmt_malloc((norgs ? norgs : 1) * sizeof *org_dept);
    rep->scope_org = kmt_malloc((norgs + 1) * sizeof *rep->scope_org);
    rep->dept_org = kmt_malloc((norgs ? norgs : 1) * sizeof *rep->dept_org);
    rep->dept_scope = kmt_malloc((norgs ? norgs : 1) * sizeof *rep->dept_scope);
    rep->scope_org[0] = -1;
    rep->nscopes = 1;
    for (size_t i = 0; i < norgs; i++) {
        org_scope[i] = org_dept[i] = -1;
        if (d->orgs.v[i].level == 0) {
            org_scope[i] = rep->nscopes;
            rep->scope_org[rep->nscopes++] = (int32_t)i;
        }
    }
    for (size_t i = 0; i < norgs; i++)
        if (d->orgs.v[i].level == 1) {
            org_dept[i] = rep->ndepts;
            rep->dept_org[rep->ndepts] = (int32_t)i;
            int32_t p = d->orgs.v[i].parent;
            rep->dept_scope[rep->ndepts++] = p >= 0 && (size_t)p < norgs && org_scope[p] > 0 ? org_scope[p] : 0;
        }
    size_t sy = (size_t)rep->nscopes * rep->nyears;
    rep->year = kmt_calloc(sy, sizeof *rep->year);
    rep->month = kmt_calloc(sy * 12, sizeof *rep->month);
    rep->mode = kmt_calloc(sy * KMT_TRAVEL_NMODES, sizeof *rep->mode);
    rep->purpose = kmt_calloc(sy * MAX_PURPOSES, sizeof *rep->purpose);
    rep->purposes = kmt_calloc(MAX_PURPOSES, sizeof *rep->purposes);
    rep->dept = kmt_calloc((size_t)(rep->ndepts ? rep->ndepts : 1) * rep->nyears, sizeof *rep->dept);
    kmt_map ptable = { 0 };
    const char *last_purpose = NULL; /* the record before's purpose and its index */
    int last_p = 0;

    const kmt_factor *cache[KMT_TRAVEL_NMODES][KMT_FUEL_COUNT];
    kmt__travel_factor_cache(opt->factors, rep->country, cache);
    unsigned char *row_used = kmt_calloc(opt->factors->nrows + 1, 1);
    kmt__tier_map tiers;
    kmt__tier_init(&tiers);

    for (size_t i = 0; i < n; i++) {
        const kmt_travel *r = &d->travel.v[i];
        int year = 1900 + ym[i] / 12, m0 = ym[i] % 12, yi = year - ymin;
        unsigned mode = (unsigned)r->mode < KMT_TRAVEL_NMODES ? (unsigned)r->mode : 0;
        unsigned fuel = (unsigned)r->fuel < KMT_FUEL_COUNT ? (unsigned)r->fuel : 0;
        const kmt_factor *f = cache[mode][fuel];
        if (!f)
            rep->unknown_mode++;
        else
            row_used[f - opt->factors->rows] = 1;
        int usable = kmt__travel_cost_usable(r, rep->currency);
        if (!usable && !isnan(r->cost)) rep->other_currency++;
        /* every km of a person counts toward the tier, also those with their own cost */
        double rate = kmt__travel_cost_rate(&tiers, r, f, year);
        kmt_travel_totals t;
        kmt_travel_account(r, f, rep->currency, rate, &t);
        const char *pu = r->purpose ? r->purpose : "";
        if (pu != last_purpose) { /* loaded purposes are interned: repeats share the pointer */
            last_purpose = pu;
            last_p = purpose_index(rep, pu, &ptable);
        }
        int p = last_p;
        int scopes[2] = { 0, -1 };
        if (r->organisation >= 0 && (size_t)r->organisation < norgs) scopes[1] = org_scope[r->organisation];
        for (int k = 0; k < 2; k++) {
            int s = scopes[k];
            if (s < 0 || (k == 1 && s == 0)) continue;
            size_t base = (size_t)s * rep->nyears + yi;
            kmt__travel_add(&rep->year[base], &t);
            kmt__travel_add(&rep->month[base * 12 + m0], &t);
            kmt__travel_add(&rep->mode[base * KMT_TRAVEL_NMODES + mode], &t);
            kmt__travel_add(&rep->purpose[base * MAX_PURPOSES + p], &t);
        }
        if (r->department >= 0 && (size_t)r->department < norgs && org_dept[r->department] >= 0)
            kmt__travel_add(&rep->dept[(size_t)org_dept[r->department] * rep->nyears + yi], &t);
    }
    for (size_t i = 0; i < opt->factors->nrows; i++) rep->factor_rows_used += row_used[i];
    kmt_free(row_used);
    kmt__tier_free(&tiers);
    kmt_map_destroy(&ptable);
    kmt_free(ym);
    kmt_free(org_scope);
    kmt_free(org_dept);

    rep->ntargets = opt->ntargets;
    if (opt->ntargets > 0) {
        rep->targets = kmt_calloc((size_t)rep->nscopes * opt->ntargets, sizeof *rep->targets);
        for (int s = 0; s < rep->nscopes; s++)
            for (int t = 0; t < opt->ntargets; t++) set_target(rep, s, t, &opt->targets[t]);
    }
    return 0;
}
