/* SPDX-License-Identifier: MPL-2.0 */
/* The factors file: parse, derive, check units, look up. See kommute/factors.h. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kommute/factors.h"

/* Index i is mode_id i (model.h's kmt_mode); 0 is "unknown" and never a row's mode. */
static const char *const mode_names[KMT_FACTORS_NMODES + 1] = { "unknown", "fleet_car", "private_car", "taxi", "bus",
                                                                "train",   "flight",    "bicycle",     "walk" };
static const char *const fuel_names[] = {
    "petrol", "diesel", "electric", "hybrid", "plug-in", "biogas", "hvo", "none"
};

int kmt_factors_mode_id(const char *name)
{
    for (int i = 1; name && i <= KMT_FACTORS_NMODES; i++)
        if (strcmp(name, mode_names[i]) == 0) return i;
    return -1;
}

/* ASCII case-insensitive equality. */
static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return 0;
    }
    return *a == *b;
}

int kmt_factors_fuel_known(const char *fuel)
{
    if (!fuel || !*fuel) return 1;
    for (size_t i = 0; i < sizeof fuel_names / sizeof fuel_names[0]; i++)
        if (ieq(fuel, fuel_names[i])) return 1;
    return 0;
}

/* Parsing context: the file name and a label of the current row for errors. */
typedef struct {
    const char *name;
    char where[160]; /* "factors[3] (DK private_car petrol)" */
    kmt_error *e;
    kmt_arena *arena;
    const kmt_factors *f; /* the file so far (fuel facts are parsed before the rows) */
} ctx;

static int fail(ctx *c, const char *field, const char *fmt, ...) KMT_PRINTF(3, 4);
static int fail(ctx *c, const char *field, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->where[0]) return kmt_error_at(c->e, KMT_EINVAL, c->name, 0, 0, field, "%s: %s", c->where, msg);
    return kmt_error_at(c->e, KMT_EINVAL, c->name, 0, 0, field, "%s", msg);
}

/* Copy a string member into dst (size n). Missing: "" (or error if required). */
static int get_str(ctx *c, json_t *obj, const char *key, int required, char *dst, size_t n)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) return fail(c, key, "missing (expected a string)");
        dst[0] = '\0';
        return 0;
    }
    if (!json_is_string(v)) return fail(c, key, "expected a string");
    const char *s = json_string_value(v);
    if (strlen(s) >= n) return fail(c, key, "'%s' is too long (at most %zu characters)", s, n - 1);
    memcpy(dst, s, strlen(s) + 1);
    return 0;
}

/* Arena copy of a string member ("" when missing and not required). */
static int get_astr(ctx *c, json_t *obj, const char *key, int required, const char **dst)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) return fail(c, key, "missing (expected a string)");
        *dst = "";
        return 0;
    }
    if (!json_is_string(v)) return fail(c, key, "expected a string");
    if (required && !*json_string_value(v)) return fail(c, key, "must not be empty");
    *dst = kmt_arena_strdup(c->arena, json_string_value(v));
    return 0;
}

/* A number member checked against [lo, hi]. *present tells whether it was given.
 * unit and hint go into the error message. */
static int get_num(ctx *c, json_t *obj, const char *key, double lo, double hi, const char *unit, const char *hint,
                   double *out, int *present)
{
    json_t *v = json_object_get(obj, key);
    *present = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_number(v)) return fail(c, key, "expected a number in %s", unit);
    double d = json_number_value(v);
    if (!isfinite(d) || d < lo || d > hi)
        return fail(c, key, "%g is outside the plausible range %g..%g %s%s%s", d, lo, hi, unit,
                    hint && *hint ? " — " : "", hint ? hint : "");
    *out = d;
    *present = 1;
    return 0;
}

static int get_year(ctx *c, json_t *obj, const char *key, int required, int *out)
{
    double d = 0;
    int have = 0;
    *out = 0;
    int rc = get_num(c, obj, key, 1990, 2100, "(a year)", "", &d, &have);
    if (rc) return rc;
    if (!have) return required ? fail(c, key, "missing (expected the year of the figure, e.g. 2024)") : 0;
    if (d != floor(d)) return fail(c, key, "%g is not a whole year", d);
    *out = (int)d;
    return 0;
}

/* Flags bad magnitudes that fit the range but are likely a unit slip:
 * a positive value below `tiny` (e.g. 0.141 g/km is a kg/km value). */
static int check_tiny(ctx *c, const char *key, double v, double tiny, const char *hint)
{
    if (v > 0 && v < tiny) return fail(c, key, "%g is implausibly small — %s", v, hint);
    return 0;
}

static const char *const row_keys[] = {
    "country",     "mode",          "fuel",           "basis",     "kwh_per_km",  "co2e_g_per_km", "l_per_100km",
    "kwh_per_l",   "kg_co2e_per_l", "g_co2e_per_kwh", "speed_kmh", "cost_per_km", "cost_tier_km",  "cost_per_km_above",
    "cost_source", "cost_year",     "source",         "year",      "note",        "derivation",    "energy_fuel",
    NULL
};

/* Rejects a member not in keys (NULL-terminated). */
static int check_keys(ctx *c, json_t *o, const char *const *keys)
{
    const char *k;
    json_t *val;
    json_object_foreach(o, k, val)
    {
        int ok = 0;
        for (int i = 0; keys[i]; i++) ok |= strcmp(k, keys[i]) == 0;
        if (!ok) return fail(c, k, "unknown field (misspelt? see docs/factors.md for the fields)");
    }
    return 0;
}

/* A per-litre or per-kWh value of a row: the fuel fact's value when the file
 * has one (an inline value must then agree with it), else the inline value. */
static int fact_value(ctx *c, const char *key, int fact_has, double fact, const char *fact_label, double *v, int *have)
{
    if (!fact_has) return 0;
    if (*have && fabs(*v - fact) > 1e-9 * (fabs(fact) > 1 ? fabs(fact) : 1))
        return fail(c, key,
                    "%g disagrees with the fuel facts %s (%g); drop it from the row so the "
                    "fuel facts are the single source",
                    *v, fact_label, fact);
    *v = fact;
    *have = 1;
    return 0;
}

/* Over-determined rows (format_version 2): a per-km value given in the row
 * must match what the fuel facts make of the other one (0.5% tolerance for
 * rounded figures). */
static int agree(ctx *c, const char *key, double given, double derived, const char *how)
{
    double tol = 0.005 * (fabs(derived) > 1e-9 ? fabs(derived) : 1e-9);
    if (fabs(given - derived) > tol)
        return fail(c, key, "%g disagrees with %s = %.4g; give only one of them", given, how, derived);
    return 0;
}

/* The energy and CO2 figures of one factor row while they are read and
 * derived: each value with a flag "given or derived". */
typedef struct row_energy {
    double kwh, co2, l100, kwhl, kgl, gkwh; /* per km: kWh, g CO2e, l/100 km; per l: kWh, kg; g/kWh */
    int h_kwh, h_co2, h_l100, h_kwhl, h_kgl, h_gkwh;
    int given_kwh, given_co2; /* kwh_per_km, co2e_g_per_km given in the file (not derived) */
    char der[640];            /* the derivations, as text */
    size_t dn;                /* length of der (as snprintf counts) */
} row_energy;

#define DER(...)                                                                                                       \
    (en->dn += (size_t)snprintf(en->der + en->dn, en->dn < sizeof en->der ? sizeof en->der - en->dn : 0, __VA_ARGS__))

/* Country, mode, fuel and basis of row o (c->where names the row from here on). */
static int row_identity(ctx *c, json_t *o, size_t idx, kmt_factor *r)
{
    int rc;
    memset(r, 0, sizeof *r);
    snprintf(c->where, sizeof c->where, "factors[%zu]", idx);
    if (!json_is_object(o)) return fail(c, NULL, "expected an object");
    if ((rc = check_keys(c, o, row_keys))) return rc;
    if ((rc = get_str(c, o, "country", 1, r->country, sizeof r->country))) return rc;
    if ((rc = get_str(c, o, "mode", 1, r->mode, sizeof r->mode))) return rc;
    if ((rc = get_str(c, o, "fuel", 0, r->fuel, sizeof r->fuel))) return rc;
    snprintf(c->where, sizeof c->where, "factors[%zu] (%s %s%s%s)", idx, r->country, r->mode, r->fuel[0] ? " " : "",
             r->fuel);
    r->mode_id = kmt_factors_mode_id(r->mode);
    if (r->mode_id < 0)
        return fail(c, "mode",
                    "unknown mode '%s' (expected fleet_car, private_car, taxi, bus, "
                    "train, flight, bicycle or walk)",
                    r->mode);
    if (!kmt_factors_fuel_known(r->fuel))
        return fail(c, "fuel",
                    "unknown fuel '%s' (expected petrol, diesel, electric, hybrid, "
                    "plug-in, biogas, hvo, none, or \"\" for any fuel)",
                    r->fuel);
    for (char *p = r->fuel; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
    if (strcmp(r->country, "*") != 0 && !(strlen(r->country) == 2 && r->country[0] >= 'A' && r->country[0] <= 'Z' &&
                                          r->country[1] >= 'A' && r->country[1] <= 'Z'))
        return fail(c, "country", "'%s' is not a two-letter country code (DK, SE, NO) or \"*\"", r->country);
    char basis[24];
    if ((rc = get_str(c, o, "basis", 1, basis, sizeof basis))) return rc;
    if (strcmp(basis, "vehicle_km") == 0)
        r->per_passenger = 0;
    else if (strcmp(basis, "passenger_km") == 0)
        r->per_passenger = 1;
    else
        return fail(c, "basis", "'%s' (expected vehicle_km or passenger_km)", basis);
    return 0;
}

/* The energy and CO2 fields as given, range-checked. */
static int row_energy_given(ctx *c, json_t *o, row_energy *en)
{
    int rc;
    if ((rc = get_num(c, o, "kwh_per_km", 0, KMT_FACTOR_KWH_PER_KM_MAX, "kWh/km", "is it in Wh/km? give kWh per km",
                      &en->kwh, &en->h_kwh)))
        return rc;
    if ((rc = check_tiny(c, "kwh_per_km", en->kwh, 0.001, "is it in MWh/km? give kWh per km"))) return rc;
    if ((rc = get_num(c, o, "co2e_g_per_km", 0, KMT_FACTOR_CO2E_G_PER_KM_MAX, "g CO2e/km",
                      "is it in mg/km? give grams per km", &en->co2, &en->h_co2)))
        return rc;
    if ((rc = check_tiny(c, "co2e_g_per_km", en->co2, 0.5, "is it in kg/km? give grams per km"))) return rc;
    if ((rc = get_num(c, o, "l_per_100km", 0, 100, "l/100 km", "give litres per 100 km", &en->l100, &en->h_l100)))
        return rc;
    if ((rc = check_tiny(c, "l_per_100km", en->l100, 0.5, "is it in l/km? give litres per 100 km"))) return rc;
    if ((rc = get_num(c, o, "kwh_per_l", 5, 12, "kWh/l", "lower heating value: petrol ~8.9, diesel ~9.8", &en->kwhl,
                      &en->h_kwhl)))
        return rc;
    if ((rc = get_num(c, o, "kg_co2e_per_l", 0, 5, "kg CO2e/l", "is it in g/l? give kilograms per litre", &en->kgl,
                      &en->h_kgl)))
        return rc;
    if ((rc = get_num(c, o, "g_co2e_per_kwh", 0, 2000, "g CO2e/kWh", "is it in g/MWh? give grams per kWh", &en->gkwh,
                      &en->h_gkwh)))
        return rc;
    en->given_kwh = en->h_kwh;
    en->given_co2 = en->h_co2;
    return 0;
}

/* Per-litre and per-kWh values from the fuel facts (format_version 2). */
static int row_fuel_facts(ctx *c, json_t *o, kmt_factor *r, row_energy *en)
{
    int rc;
    char efuel[16];
    if ((rc = get_str(c, o, "energy_fuel", 0, efuel, sizeof efuel))) return rc;
    if (efuel[0] && !kmt_factors_fuel_known(efuel))
        return fail(c, "energy_fuel",
                    "unknown fuel '%s' (expected petrol, diesel, electric, biogas "
                    "or hvo)",
                    efuel);
    const char *ff = efuel[0] ? efuel : r->fuel;
    const kmt_fuel_fact *fact = *ff ? kmt_factors_fuel(c->f, r->country, ff) : NULL;
    if (fact) {
        snprintf(r->energy_fuel, sizeof r->energy_fuel, "%s", fact->fuel);
        char label[48];
        snprintf(label, sizeof label, "%s %s", fact->country, fact->fuel);
        if (fact->electric) {
            if ((rc = fact_value(c, "g_co2e_per_kwh", 1, fact->g_co2e_per_kwh, label, &en->gkwh, &en->h_gkwh)))
                return rc;
            DER("g_co2e_per_kwh = %g from the fuel facts %s", en->gkwh, label);
        } else {
            if ((rc = fact_value(c, "kg_co2e_per_l", 1, fact->kg_co2e_per_l, label, &en->kgl, &en->h_kgl))) return rc;
            if ((rc = fact_value(c, "kwh_per_l", 1, fact->kwh_per_l, label, &en->kwhl, &en->h_kwhl))) return rc;
            DER("kg_co2e_per_l = %g, kwh_per_l = %g from the fuel facts %s", en->kgl, en->kwhl, label);
        }
    }
    return 0;
}

/* kWh/km and g CO2e/km derived from litres, or from each other through g/kWh. */
static int row_derive(ctx *c, row_energy *en)
{
    double l_per_km = -1;
    if (en->h_l100)
        l_per_km = en->l100 / 100.0;
    else if (en->h_co2 && en->h_kgl && en->kgl > 0 && !en->h_kwh) {
        l_per_km = en->co2 / (en->kgl * 1000.0);
        DER("%sl/km = %g g/km / (%g kg/l x 1000) = %.5f", en->dn ? "; " : "", en->co2, en->kgl, l_per_km);
    }
    if (l_per_km >= 0) {
        if (!en->h_kwh) {
            if (!en->h_kwhl) return fail(c, "kwh_per_l", "missing: needed to derive kwh_per_km from litres");
            en->kwh = l_per_km * en->kwhl;
            en->h_kwh = 1;
            DER("%skwh_per_km = %.5f l/km x %g kWh/l = %.4f", en->dn ? "; " : "", l_per_km, en->kwhl, en->kwh);
        }
        if (!en->h_co2) {
            if (!en->h_kgl) return fail(c, "kg_co2e_per_l", "missing: needed to derive co2e_g_per_km from litres");
            en->co2 = l_per_km * en->kgl * 1000.0;
            en->h_co2 = 1;
            DER("%sco2e_g_per_km = %.5f l/km x %g kg/l x 1000 = %.2f", en->dn ? "; " : "", l_per_km, en->kgl, en->co2);
        }
    }
    if (en->h_kwh && !en->h_co2 && en->h_gkwh) {
        en->co2 = en->kwh * en->gkwh;
        en->h_co2 = 1;
        DER("%sco2e_g_per_km = %g kWh/km x %g g/kWh = %.2f", en->dn ? "; " : "", en->kwh, en->gkwh, en->co2);
    }
    if (en->h_co2 && !en->h_kwh && en->h_gkwh && en->gkwh > 0) {
        en->kwh = en->co2 / en->gkwh;
        en->h_kwh = 1;
        DER("%skwh_per_km = %g g/km / %g g/kWh = %.4f", en->dn ? "; " : "", en->co2, en->gkwh, en->kwh);
    }
    return 0;
}

/* format_version 2: given values must agree with what the other given values imply. */
static int row_cross_check(ctx *c, const row_energy *en)
{
    int rc;
    if (c->f->format_version < 2) return 0;
    {
        char how[96];
        if (en->given_kwh && en->given_co2 && en->h_gkwh) {
            snprintf(how, sizeof how, "kwh_per_km %g x g_co2e_per_kwh %g", en->kwh, en->gkwh);
            if ((rc = agree(c, "co2e_g_per_km", en->co2, en->kwh * en->gkwh, how))) return rc;
        }
        if (en->h_l100 && en->given_co2 && en->h_kgl) {
            snprintf(how, sizeof how, "l_per_100km %g / 100 x kg_co2e_per_l %g x 1000", en->l100, en->kgl);
            if ((rc = agree(c, "co2e_g_per_km", en->co2, en->l100 / 100.0 * en->kgl * 1000.0, how))) return rc;
        }
        if (en->h_l100 && en->given_kwh && en->h_kwhl) {
            snprintf(how, sizeof how, "l_per_100km %g / 100 x kwh_per_l %g", en->l100, en->kwhl);
            if ((rc = agree(c, "kwh_per_km", en->kwh, en->l100 / 100.0 * en->kwhl, how))) return rc;
        }
        if (!en->h_l100 && en->given_kwh && en->given_co2 && en->h_kgl && en->kgl > 0 && en->h_kwhl) {
            snprintf(how, sizeof how, "co2e_g_per_km %g / (kg_co2e_per_l %g x 1000) x kwh_per_l %g", en->co2, en->kgl,
                     en->kwhl);
            if ((rc = agree(c, "kwh_per_km", en->kwh, en->co2 / (en->kgl * 1000.0) * en->kwhl, how))) return rc;
        }
    }
    return 0;
}

/* Speed, costs (with the tier), sources, years, note and the derivation text. */
static int row_costs_and_sources(ctx *c, json_t *o, kmt_factor *r, const row_energy *en)
{
    int rc, have;
    if ((rc = get_num(c, o, "speed_kmh", 1, KMT_FACTOR_SPEED_KMH_MAX, "km/h", "", &r->speed_kmh, &have))) return rc;
    if (!have) return fail(c, "speed_kmh", "missing (assumed door-to-door km/h when a record has no travel time)");
    if ((rc = get_num(c, o, "cost_per_km", 0, KMT_FACTOR_COST_PER_KM_MAX, "currency/km",
                      "is it per mil (10 km) or per 100 km? give per km", &r->cost_per_km, &have)))
        return rc;
    int have_tier, have_above;
    if ((rc = get_num(c, o, "cost_tier_km", 1, 1e7, "km per person and year", "", &r->cost_tier_km, &have_tier)))
        return rc;
    if ((rc = get_num(c, o, "cost_per_km_above", 0, KMT_FACTOR_COST_PER_KM_MAX, "currency/km", "",
                      &r->cost_per_km_above, &have_above)))
        return rc;
    if (have_tier != have_above)
        return fail(c, have_tier ? "cost_per_km_above" : "cost_tier_km",
                    "cost_tier_km and cost_per_km_above go together");
    if (have_tier && !have) return fail(c, "cost_per_km", "missing (a tier needs the rate below it)");
    if ((rc = get_astr(c, o, "cost_source", have && r->cost_per_km > 0, &r->cost_source))) return rc;
    if ((rc = get_year(c, o, "cost_year", have && r->cost_per_km > 0, &r->cost_year))) return rc;
    if ((rc = get_astr(c, o, "source", 1, &r->source))) return rc;
    if ((rc = get_year(c, o, "year", 1, &r->year))) return rc;
    if ((rc = get_astr(c, o, "note", 0, &r->note))) return rc;
    const char *given_der;
    if ((rc = get_astr(c, o, "derivation", 0, &given_der))) return rc;
    if (en->dn && *given_der) {
        char *both = kmt_arena_alloc(c->arena, strlen(en->der) + strlen(given_der) + 3);
        sprintf(both, "%s; %s", given_der, en->der);
        r->derivation = both;
    } else {
        r->derivation = en->dn ? kmt_arena_strdup(c->arena, en->der) : given_der;
    }
    return 0;
}

static int parse_row(ctx *c, json_t *o, size_t idx, kmt_factor *r)
{
    int rc;
    row_energy en_ = { 0 }, *en = &en_;
    if ((rc = row_identity(c, o, idx, r)) || (rc = row_energy_given(c, o, en)) || (rc = row_fuel_facts(c, o, r, en)) ||
        (rc = row_derive(c, en)) || (rc = row_cross_check(c, en)))
        return rc;
    if (!en->h_kwh)
        return fail(c, "kwh_per_km",
                    "missing (give kwh_per_km, or l_per_100km with kwh_per_l, "
                    "or co2e_g_per_km with kg_co2e_per_l and kwh_per_l)");
    if (!en->h_co2)
        return fail(c, "co2e_g_per_km",
                    "missing (give co2e_g_per_km, or l_per_100km with "
                    "kg_co2e_per_l, or kwh_per_km with g_co2e_per_kwh)");
    if (en->kwh > KMT_FACTOR_KWH_PER_KM_MAX)
        return fail(c, "kwh_per_km", "derived value %g is outside 0..%g kWh/km (check the inputs)", en->kwh,
                    KMT_FACTOR_KWH_PER_KM_MAX);
    if (en->co2 > KMT_FACTOR_CO2E_G_PER_KM_MAX)
        return fail(c, "co2e_g_per_km", "derived value %g is outside 0..%g g/km (check the inputs)", en->co2,
                    KMT_FACTOR_CO2E_G_PER_KM_MAX);
    r->kwh_per_km = en->kwh;
    r->co2e_g_per_km = en->co2;
    return row_costs_and_sources(c, o, r, en);
}
#undef DER

static int parse_country(ctx *c, json_t *o, size_t idx, kmt_factor_country *r)
{
    int rc, have;
    memset(r, 0, sizeof *r);
    snprintf(c->where, sizeof c->where, "countries[%zu]", idx);
    if (!json_is_object(o)) return fail(c, NULL, "expected an object");
    if ((rc = get_str(c, o, "country", 1, r->country, sizeof r->country))) return rc;
    snprintf(c->where, sizeof c->where, "countries[%zu] (%s)", idx, r->country);
    if ((rc = get_str(c, o, "currency", 1, r->currency, sizeof r->currency))) return rc;
    if (strlen(r->currency) != 3)
        return fail(c, "currency", "'%s' is not an ISO 4217 code (DKK, SEK, NOK)", r->currency);
    if ((rc = get_num(c, o, "hours_per_fte", 1000, 2500, "hours per year", "", &r->hours_per_fte, &have))) return rc;
    if (!have) return fail(c, "hours_per_fte", "missing (working hours of one full-time equivalent per year)");
    if ((rc = get_astr(c, o, "hours_source", 1, &r->hours_source))) return rc;
    r->co2_price_per_tonne = -1;
    if ((rc = get_num(c, o, "co2_price_per_tonne", 0, 100000, "currency per tonne CO2e", "is it per kg? give per tonne",
                      &r->co2_price_per_tonne, &have)))
        return rc;
    if (!have) r->co2_price_per_tonne = -1;
    if ((rc =
             check_tiny(c, "co2_price_per_tonne", r->co2_price_per_tonne, 10, "is it per kg? give currency per tonne")))
        return rc;
    if ((rc = get_astr(c, o, "co2_price_source", have, &r->co2_price_source))) return rc;
    if ((rc = get_year(c, o, "co2_price_year", have, &r->co2_price_year))) return rc;
    return 0;
}

static const char *const fuel_keys[] = { "country",        "fuel",        "kg_co2e_per_l", "kwh_per_l",
                                         "g_co2e_per_kwh", "price_per_l", "price_per_kwh", "price_assumption",
                                         "price_source",   "price_year",  "source",        "year",
                                         "note",           NULL };

/* One entry of "fuels": the facts of a fuel in a country, each unit-checked. */
static int parse_fuel(ctx *c, json_t *o, size_t idx, kmt_fuel_fact *r)
{
    int rc, have;
    memset(r, 0, sizeof *r);
    r->price = -1;
    snprintf(c->where, sizeof c->where, "fuels[%zu]", idx);
    if (!json_is_object(o)) return fail(c, NULL, "expected an object");
    if ((rc = check_keys(c, o, fuel_keys))) return rc;
    if ((rc = get_str(c, o, "country", 1, r->country, sizeof r->country))) return rc;
    if ((rc = get_str(c, o, "fuel", 1, r->fuel, sizeof r->fuel))) return rc;
    for (char *p = r->fuel; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
    snprintf(c->where, sizeof c->where, "fuels[%zu] (%s %s)", idx, r->country, r->fuel);
    static const char *const ok[] = { "petrol", "diesel", "hvo", "biogas", "electric" };
    int known = 0;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) known |= strcmp(r->fuel, ok[i]) == 0;
    if (!known) return fail(c, "fuel", "'%s' (expected petrol, diesel, hvo, biogas or electric)", r->fuel);
    if (strcmp(r->country, "*") != 0 && !kmt_factors_country(c->f, r->country))
        return fail(c, "country", "'%s' is not in \"countries\"", r->country);
    r->electric = strcmp(r->fuel, "electric") == 0;
    const char *pkey = r->electric ? "price_per_kwh" : "price_per_l";
    const char *nkey = r->electric ? "price_per_l" : "price_per_kwh";
    if (json_object_get(o, nkey))
        return fail(c, nkey, "not for %s (give %s)", r->electric ? "electricity" : "a liquid fuel", pkey);
    if (r->electric) {
        if (json_object_get(o, "kg_co2e_per_l") || json_object_get(o, "kwh_per_l"))
            return fail(c, json_object_get(o, "kwh_per_l") ? "kwh_per_l" : "kg_co2e_per_l",
                        "not for electricity (give g_co2e_per_kwh)");
        if ((rc = get_num(c, o, "g_co2e_per_kwh", 0, KMT_FUEL_G_CO2E_PER_KWH_MAX, "g CO2e/kWh",
                          "is it in g/MWh? give grams per kWh", &r->g_co2e_per_kwh, &have)))
            return rc;
        if (!have) return fail(c, "g_co2e_per_kwh", "missing (expected g CO2e per kWh of electricity)");
        if ((rc = check_tiny(c, "g_co2e_per_kwh", r->g_co2e_per_kwh, 1, "is it in kg/kWh? give grams per kWh")))
            return rc;
        if ((rc = get_num(c, o, pkey, 0, KMT_FUEL_PRICE_PER_KWH_MAX, "currency/kWh",
                          "is it in øre/öre per kWh? give currency per kWh", &r->price, &have)))
            return rc;
    } else {
        if (json_object_get(o, "g_co2e_per_kwh"))
            return fail(c, "g_co2e_per_kwh", "only for electricity (give kg_co2e_per_l and kwh_per_l)");
        if ((rc = get_num(c, o, "kg_co2e_per_l", 0, KMT_FUEL_KG_CO2E_PER_L_MAX, "kg CO2e/l",
                          "is it in g/l? give kilograms per litre", &r->kg_co2e_per_l, &have)))
            return rc;
        if (!have) return fail(c, "kg_co2e_per_l", "missing (expected kg CO2e per litre)");
        if ((rc = check_tiny(c, "kg_co2e_per_l", r->kg_co2e_per_l, 0.01, "is it in t/l? give kg per litre"))) return rc;
        if ((rc = get_num(c, o, "kwh_per_l", KMT_FUEL_KWH_PER_L_MIN, KMT_FUEL_KWH_PER_L_MAX, "kWh/l",
                          "lower heating value: petrol ~8.9, diesel ~9.8", &r->kwh_per_l, &have)))
            return rc;
        if (!have) return fail(c, "kwh_per_l", "missing (expected the lower heating value in kWh per litre)");
        if ((rc = get_num(c, o, pkey, 0, KMT_FUEL_PRICE_PER_L_MAX, "currency/l",
                          "is it per m3 or per 100 l? give per litre", &r->price, &have)))
            return rc;
    }
    if (!have) r->price = -1;
    if ((rc = get_astr(c, o, "price_source", have, &r->price_source))) return rc;
    if ((rc = get_year(c, o, "price_year", have, &r->price_year))) return rc;
    json_t *pa = json_object_get(o, "price_assumption");
    if (pa && !json_is_boolean(pa)) return fail(c, "price_assumption", "expected true or false");
    r->price_assumption = pa && json_is_true(pa);
    if ((rc = get_astr(c, o, "source", 1, &r->source))) return rc;
    if ((rc = get_year(c, o, "year", 1, &r->year))) return rc;
    if ((rc = get_astr(c, o, "note", 0, &r->note))) return rc;
    return 0;
}

void kmt_factors_destroy(kmt_factors *f)
{
    if (!f) return;
    kmt_free(f->rows);
    kmt_free(f->countries);
    kmt_free(f->fuels);
    kmt_arena_destroy(&f->arena);
    memset(f, 0, sizeof *f);
}

int kmt_factors_parse(const char *text, size_t len, const char *name, kmt_factors *out, kmt_error *e)
{
    memset(out, 0, sizeof *out);
    kmt_arena_init(&out->arena, 16384);
    ctx c = { .name = name ? name : "factors", .e = e, .arena = &out->arena, .f = out };
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        kmt_error_at(e, KMT_EINVAL, c.name, je.line, je.column, NULL, "not valid JSON: %s", je.text);
        kmt_factors_destroy(out);
        return KMT_EINVAL;
    }
    int rc = 0;
    char fmt[40];
    double fv = 0;
    int have;
    if (!json_is_object(root)) {
        rc = fail(&c, NULL, "expected a JSON object at the top");
        goto done;
    }
    if ((rc = get_str(&c, root, "format", 1, fmt, sizeof fmt))) goto done;
    if (strcmp(fmt, "kommute-factors") != 0) {
        rc = fail(&c, "format", "'%s' (expected \"kommute-factors\")", fmt);
        goto done;
    }
    if ((rc = get_num(&c, root, "format_version", 1, 2, "", "this kommute reads format_version 1 and 2", &fv, &have)))
        goto done;
    if (!have || fv != floor(fv)) {
        rc = fail(&c, "format_version", "missing or not a whole number (expected 1 or 2)");
        goto done;
    }
    out->format_version = (int)fv;
    out->name = kmt_arena_strdup(&out->arena, c.name);
    if ((rc = get_astr(&c, root, "version", 1, &out->version))) goto done;
    if ((rc = get_astr(&c, root, "title", 0, &out->title))) goto done;
    if ((rc = get_str(&c, root, "default_country", 1, out->default_country, sizeof out->default_country))) goto done;

    json_t *countries = json_object_get(root, "countries");
    json_t *rows = json_object_get(root, "factors");
    if (!json_is_array(countries) || json_array_size(countries) == 0) {
        rc = fail(&c, "countries", "missing or empty (expected an array of countries)");
        goto done;
    }
    if (!json_is_array(rows) || json_array_size(rows) == 0) {
        rc = fail(&c, "factors", "missing or empty (expected an array of factor rows)");
        goto done;
    }
    out->ncountries = json_array_size(countries);
    out->countries = kmt_calloc(out->ncountries, sizeof *out->countries);
    for (size_t i = 0; i < out->ncountries; i++) {
        if ((rc = parse_country(&c, json_array_get(countries, i), i, &out->countries[i]))) goto done;
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->countries[j].country, out->countries[i].country) == 0) {
                rc = fail(&c, "country", "'%s' is listed twice", out->countries[i].country);
                goto done;
            }
    }
    json_t *fuels = json_object_get(root, "fuels");
    if (fuels && out->format_version < 2) {
        rc = fail(&c, "fuels", "needs format_version 2 (this file says 1)");
        goto done;
    }
    if (fuels && !json_is_array(fuels)) {
        rc = fail(&c, "fuels", "expected an array of fuel facts");
        goto done;
    }
    out->nfuels = fuels ? json_array_size(fuels) : 0;
    out->fuels = kmt_calloc(out->nfuels ? out->nfuels : 1, sizeof *out->fuels);
    for (size_t i = 0; i < out->nfuels; i++) {
        kmt_fuel_fact *r = &out->fuels[i];
        if ((rc = parse_fuel(&c, json_array_get(fuels, i), i, r))) goto done;
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->fuels[j].country, r->country) == 0 && strcmp(out->fuels[j].fuel, r->fuel) == 0) {
                rc = fail(&c, NULL, "duplicates fuels[%zu] (same country and fuel)", j);
                goto done;
            }
    }
    out->nrows = json_array_size(rows);
    out->rows = kmt_calloc(out->nrows, sizeof *out->rows);
    for (size_t i = 0; i < out->nrows; i++) {
        kmt_factor *r = &out->rows[i];
        if ((rc = parse_row(&c, json_array_get(rows, i), i, r))) goto done;
        if (strcmp(r->country, "*") != 0 && !kmt_factors_country(out, r->country)) {
            rc = fail(&c, "country", "'%s' is not in \"countries\" (add it there with its currency)", r->country);
            goto done;
        }
        for (size_t j = 0; j < i; j++) {
            const kmt_factor *q = &out->rows[j];
            if (strcmp(q->country, r->country) == 0 && q->mode_id == r->mode_id && strcmp(q->fuel, r->fuel) == 0) {
                rc = fail(&c, NULL, "duplicates factors[%zu] (same country, mode and fuel)", j);
                goto done;
            }
        }
    }
    c.where[0] = '\0';
    if (!kmt_factors_country(out, out->default_country)) {
        rc = fail(&c, "default_country", "'%s' is not in \"countries\"", out->default_country);
        goto done;
    }
    for (size_t i = 0; i < out->ncountries; i++)
        for (int m = 1; m <= KMT_FACTORS_NMODES; m++)
            if (!kmt_factors_lookup(out, out->countries[i].country, mode_names[m], "")) {
                rc = fail(&c, "factors",
                          "no factor for mode '%s' in country '%s' (add a row with fuel "
                          "\"\" for that country or for country \"*\")",
                          mode_names[m], out->countries[i].country);
                goto done;
            }
done:
    json_decref(root);
    if (rc) {
        kmt_factors_destroy(out);
        return KMT_EINVAL;
    }
    return 0;
}

static const kmt_factor *find_exact(const kmt_factors *f, const char *country, int mode, const char *fuel)
{
    for (size_t i = 0; i < f->nrows; i++) {
        const kmt_factor *r = &f->rows[i];
        if (r->mode_id == mode && strcmp(r->country, country) == 0 && ieq(r->fuel, fuel)) return r;
    }
    return NULL;
}

const kmt_factor *kmt_factors_lookup(const kmt_factors *f, const char *country, const char *mode, const char *fuel)
{
    return kmt_factors_lookup_id(f, country, kmt_factors_mode_id(mode), fuel);
}

const kmt_factor *kmt_factors_lookup_id(const kmt_factors *f, const char *country, int m, const char *fuel)
{
    if (!f || m < 1 || m > KMT_FACTORS_NMODES) return NULL;
    if (!country || !*country) country = f->default_country;
    if (!fuel) fuel = "";
    const kmt_factor *r = NULL;
    if (*fuel && (r = find_exact(f, country, m, fuel))) return r;
    if ((r = find_exact(f, country, m, ""))) return r;
    if (*fuel && (r = find_exact(f, "*", m, fuel))) return r;
    return find_exact(f, "*", m, "");
}

const kmt_fuel_fact *kmt_factors_fuel(const kmt_factors *f, const char *country, const char *fuel)
{
    if (!f || !fuel || !*fuel) return NULL;
    if (!country || !*country) country = f->default_country;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < f->nfuels; i++)
            if (strcmp(f->fuels[i].country, pass ? "*" : country) == 0 && ieq(f->fuels[i].fuel, fuel))
                return &f->fuels[i];
    return NULL;
}

const kmt_factor_country *kmt_factors_country(const kmt_factors *f, const char *country)
{
    if (!f) return NULL;
    if (!country || !*country) country = f->default_country;
    for (size_t i = 0; i < f->ncountries; i++)
        if (strcmp(f->countries[i].country, country) == 0) return &f->countries[i];
    return NULL;
}
