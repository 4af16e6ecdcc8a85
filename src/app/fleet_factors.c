/* SPDX-License-Identifier: MPL-2.0 */
/* The money, energy and CO2 factors of fleet ev and fleet compose from the
 * factors file (include/kommute/app_fleet.h). */
#include <stdio.h>
#include <string.h>

#include "kommute/app_fleet.h"
#include "kommute/store.h"
#include "kommute/travel.h"

/* Appends "what" to the list of compiled-in facts. */
static void missing(kmt_app_fleet_factors_info *info, const char *what)
{
    size_t n = strlen(info->missing);
    snprintf(info->missing + n, sizeof info->missing - n, "%s%s", n ? ", " : "", what);
}

/* The travel commands' country guess (the currency most travel records in
 * the store carry) into cc; "" when there is no store or it has none. */
static void guess_country(kmt_store *s, const kmt_factors *f, char cc[4])
{
    cc[0] = '\0';
    if (!s) return;
    kmt_error e;
    kmt_error_init(&e);
    char cur[64][8];
    int64_t cnt[64];
    size_t n = 0;
    if (kmt_store_travel_currencies(s, cur, cnt, 64, &n, &e) == 0) {
        const char *g = kmt_travel_country_for_currencies(f, (const char(*)[8])cur, cnt, n);
        if (g) snprintf(cc, 4, "%s", g);
    }
}

/* No factors file at all: the compiled-in DK figures, loudly. */
static int fallback(const kmt_app_ctx *c, const char *country, kmt_app_fleet_factors_info *info, kmt_error *e)
{
    if (country && strcmp(country, "DK") != 0)
        return kmt_error_at(e, KMT_EINVAL, KMT_APP_FACTORS_DEFAULT, 0, 0, "country",
                            "no factors file found, and the compiled-in fallback has only DK figures "
                            "(asked for '%s'); give --factors FILE",
                            country);
    info->fallback = 1;
    info->price_assumption = 1;
    snprintf(info->country_from, sizeof info->country_from, "%s", country ? "option" : "fallback");
    snprintf(info->country, sizeof info->country, "DK");
    snprintf(info->currency, sizeof info->currency, "DKK");
    kmt_app_warn(c,
                 "%s not found: using the compiled-in DK factors, which may be out of date; give "
                 "--factors FILE (docs/factors.md)",
                 KMT_APP_FACTORS_DEFAULT);
    return 0;
}

/* The per-fuel facts of country into out; what the file lacks goes to info->missing. */
static void fuels(const kmt_factors *f, const char *country, kmt_fleet_factors *out, kmt_app_fleet_factors_info *info)
{
    /* hybrids and plug-in hybrids burn petrol; an unknown fuel counts as petrol */
    static const struct {
        int fuel;
        const char *name;
    } fuel[] = { { KMT_FLEET_FUEL_PETROL, "petrol" }, { KMT_FLEET_FUEL_DIESEL, "diesel" },
                 { KMT_FLEET_FUEL_HVO, "hvo" },       { KMT_FLEET_FUEL_BIOGAS, "biogas" },
                 { KMT_FLEET_FUEL_HYBRID, "petrol" }, { KMT_FLEET_FUEL_PLUGIN, "petrol" },
                 { KMT_FLEET_FUEL_UNKNOWN, "petrol" } };
    char what[64];
    for (size_t k = 0; k < sizeof fuel / sizeof fuel[0]; k++) {
        const kmt_fuel_fact *ff = kmt_factors_fuel(f, country, fuel[k].name);
        int fu = fuel[k].fuel;
        if (!ff) {
            if (k < 4) snprintf(what, sizeof what, "%s %s", country, fuel[k].name), missing(info, what);
            continue;
        }
        out->co2_g_per_litre[fu] = ff->kg_co2e_per_l * 1000.0;
        out->kwh_per_litre[fu] = ff->kwh_per_l;
        /* consumption of a vehicle with unknown km/l: the litres behind the
         * fleet_car row of this fuel, when that row is per vehicle-km and
         * derived from these facts (else the compiled-in DK figure) */
        const kmt_factor *row = kmt_factors_lookup(f, country, "fleet_car", fuel[k].name);
        if (row && !row->per_passenger && strcmp(row->energy_fuel, ff->fuel) == 0 && ff->kwh_per_l > 0)
            out->litres_per_km[fu] = row->kwh_per_km / ff->kwh_per_l;
        if (ff->price >= 0) {
            out->price_per_litre[fu] = ff->price;
            info->price_assumption |= ff->price_assumption;
        } else if (k < 4)
            snprintf(what, sizeof what, "%s %s price", country, fuel[k].name), missing(info, what);
    }
}

/* Electricity, the CO2 price and the private car of country fc into out. */
static void others(const kmt_factors *f, const kmt_factor_country *fc, kmt_fleet_factors *out,
                   kmt_app_fleet_factors_info *info)
{
    const char *country = fc->country;
    char what[64];
    const kmt_factor *evr = kmt_factors_lookup(f, country, "fleet_car", "electric");
    if (evr && !evr->per_passenger && evr->kwh_per_km > 0) out->kwh_per_km = evr->kwh_per_km;
    const kmt_fuel_fact *el = kmt_factors_fuel(f, country, "electric");
    if (el) {
        out->co2_g_per_kwh = el->g_co2e_per_kwh;
        if (el->price >= 0) {
            out->price_per_kwh = el->price;
            info->price_assumption |= el->price_assumption;
        } else
            snprintf(what, sizeof what, "%s electricity price", country), missing(info, what);
    } else
        snprintf(what, sizeof what, "%s electricity", country), missing(info, what);
    if (fc->co2_price_per_tonne >= 0)
        out->co2_price_per_tonne = fc->co2_price_per_tonne;
    else
        snprintf(what, sizeof what, "%s CO2 price", country), missing(info, what);
    const kmt_factor *pc = kmt_factors_lookup(f, country, "private_car", "");
    if (pc) { /* every listed country resolves every mode (checked on load) */
        out->private_co2_g_per_km = pc->co2e_g_per_km;
        if (pc->cost_per_km > 0)
            out->allowance_per_km = pc->cost_per_km;
        else
            snprintf(what, sizeof what, "%s mileage allowance", country), missing(info, what);
    }
}

/* The country's facts from the loaded file f into out and info. */
static int from_file(const kmt_app_ctx *c, const kmt_factors *f, const char *country, kmt_fleet_factors *out,
                     kmt_app_fleet_factors_info *info, kmt_error *e)
{
    char guessed[4] = "";
    if (country && *country)
        snprintf(info->country_from, sizeof info->country_from, "option");
    else {
        guess_country(c->store, f, guessed);
        country = guessed[0] ? guessed : NULL;
        snprintf(info->country_from, sizeof info->country_from, "%s", guessed[0] ? "travel_records" : "file_default");
    }
    const kmt_factor_country *fc = kmt_factors_country(f, country);
    if (!fc)
        return kmt_error_at(e, KMT_EINVAL, info->file, 0, 0, "country", "no country '%s' in the factors file", country);
    snprintf(info->country, sizeof info->country, "%s", fc->country);
    snprintf(info->currency, sizeof info->currency, "%s", fc->currency);
    snprintf(info->version, sizeof info->version, "%s", f->version);
    fuels(f, fc->country, out, info);
    others(f, fc, out, info);
    if (info->missing[0])
        kmt_app_warn(c, "%s (version %s) lacks %s: compiled-in DK figures used for them (docs/factors.md)", info->file,
                     f->version, info->missing);
    KMT_LOG(KMT_LOG_INFO, "fleet: factors from %s (%s)", info->file, fc->country);
    return 0;
}

int kmt_app_fleet_factors(const kmt_app_ctx *c, const char *country, kmt_fleet_factors *out,
                          kmt_app_fleet_factors_info *info, kmt_error *e)
{
    memset(info, 0, sizeof *info);
    kmt_fleet_factors_default(out);
    kmt_factors f;
    memset(&f, 0, sizeof f);
    char used[sizeof info->file];
    int rc = kmt_app_load_factors(c, &f, used, sizeof used, e);
    if (rc == KMT_EIO && !(c->factors_path && *c->factors_path) && strcmp(e->file, KMT_APP_FACTORS_DEFAULT) == 0)
        return fallback(c, country, info, e);
    if (rc == 0) {
        snprintf(info->file, sizeof info->file, "%s", kmt_app_path_label(c, used));
        rc = from_file(c, &f, country, out, info, e);
    }
    kmt_factors_destroy(&f);
    return rc;
}

void kmt_app_fleet_factors_json(kmt_json *j, const kmt_app_fleet_factors_info *info, const kmt_fleet_factors *f)
{
    kmt_json_key(j, "factors");
    kmt_json_object_begin(j);
    kmt_json_key(j, "file");
    kmt_json_string(j, info->fallback ? "" : info->file);
    kmt_json_key(j, "version");
    kmt_json_string(j, info->fallback ? "compiled-in" : info->version);
    kmt_json_key(j, "country");
    kmt_json_string(j, info->country);
    kmt_json_key(j, "currency");
    kmt_json_string(j, info->currency);
    kmt_json_key(j, "country_from");
    kmt_json_string(j, info->country_from);
    kmt_json_key(j, "fallback");
    kmt_json_bool(j, info->fallback);
    kmt_json_key(j, "compiled_in");
    kmt_json_string(j, info->fallback ? "all" : info->missing);
    kmt_json_key(j, "prices_are_assumptions");
    kmt_json_bool(j, info->price_assumption);
    kmt_json_key(j, "g_co2e_per_kwh");
    kmt_json_double(j, f->co2_g_per_kwh, 3);
    kmt_json_key(j, "price_per_kwh");
    kmt_json_double(j, f->price_per_kwh, 3);
    kmt_json_key(j, "co2_price_per_tonne");
    kmt_json_double(j, f->co2_price_per_tonne, 2);
    kmt_json_key(j, "allowance_per_km");
    kmt_json_double(j, f->allowance_per_km, 3);
    kmt_json_key(j, "private_car_g_co2e_per_km");
    kmt_json_double(j, f->private_co2_g_per_km, 3);
    kmt_json_object_end(j);
}
