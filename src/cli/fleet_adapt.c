/* SPDX-License-Identifier: MPL-2.0 */
/* The adapter from the store's model rows to the fleet engine structs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_cli.h"
#include "cli_factors.h"
#include "kommute/csv.h"
#include "kommute/store.h"
#include "kommute/travel.h"

int fleet_parse(int argc, char **argv, kmt_opt *opts, const char *help)
{
    const char **pos = kmt_malloc((size_t)(argc + 1) * sizeof *pos);
    int np = 0;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, help);
    if (!rc && np) rc = kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    kmt_free(pos);
    return rc;
}

/* Appends "what" to the list of compiled-in facts. */
static void missing(fleet_factors_info *info, const char *what)
{
    size_t n = strlen(info->missing);
    snprintf(info->missing + n, sizeof info->missing - n, "%s%s", n ? ", " : "", what);
}

/* The travel commands' country guess (the currency most travel records in
 * the database carry) into cc; "" when the database has none or cannot be read. */
static void guess_country(const char *db, const kmt_factors *f, char cc[4])
{
    cc[0] = '\0';
    kmt_error e;
    kmt_error_init(&e);
    kmt_store *s = NULL;
    if (kmt_store_open(&s, db, KMT_STORE_READONLY, &e)) return;
    char cur[64][8];
    int64_t cnt[64];
    size_t n = 0;
    if (kmt_store_travel_currencies(s, cur, cnt, 64, &n, &e) == 0) {
        const char *g = kmt_travel_country_for_currencies(f, (const char(*)[8])cur, cnt, n);
        if (g) snprintf(cc, 4, "%s", g);
    }
    kmt_store_close(s);
}

int fleet_factors(const char *path, const char *country, const char *db, kmt_fleet_factors *out,
                  fleet_factors_info *info)
{
    memset(info, 0, sizeof *info);
    kmt_fleet_factors_default(out);
    kmt_factors f;
    memset(&f, 0, sizeof f);
    kmt_error e;
    kmt_error_init(&e);
    int rc = kmt_cli_load_factors(path, &f, info->file, sizeof info->file, &e);
    if (rc == KMT_EIO && !(path && *path) && strcmp(e.file, KMT_FACTORS_DEFAULT) == 0) {
        if (country && strcmp(country, "DK") != 0) {
            kmt_error_at(&e, KMT_EINVAL, KMT_FACTORS_DEFAULT, 0, 0, "country",
                         "no factors file found, and the compiled-in fallback has only DK figures "
                         "(asked for '%s'); give --factors FILE", country);
            return kmt_cli_error(&e);
        }
        info->fallback = 1;
        info->price_assumption = 1;
        snprintf(info->country_from, sizeof info->country_from, "%s", country ? "option" : "fallback");
        snprintf(info->country, sizeof info->country, "DK");
        snprintf(info->currency, sizeof info->currency, "DKK");
        fprintf(stderr, "WARNING: %s not found: using the compiled-in DK factors, which may be out of "
                        "date; give --factors FILE (docs/factors.md)\n", KMT_FACTORS_DEFAULT);
        return 0;
    }
    if (rc) {
        kmt_factors_destroy(&f);
        return kmt_cli_error(&e);
    }
    char guessed[4] = "";
    if (country && *country) snprintf(info->country_from, sizeof info->country_from, "option");
    else {
        guess_country(db, &f, guessed);
        country = guessed[0] ? guessed : NULL;
        snprintf(info->country_from, sizeof info->country_from, "%s",
                 guessed[0] ? "travel_records" : "file_default");
    }
    const kmt_factor_country *fc = kmt_factors_country(&f, country);
    if (!fc) {
        kmt_error_at(&e, KMT_EINVAL, info->file, 0, 0, "country", "no country '%s' in the factors file",
                     country);
        kmt_factors_destroy(&f);
        return kmt_cli_error(&e);
    }
    country = fc->country;
    snprintf(info->country, sizeof info->country, "%s", fc->country);
    snprintf(info->currency, sizeof info->currency, "%s", fc->currency);
    snprintf(info->version, sizeof info->version, "%s", f.version);
    /* hybrids and plug-in hybrids burn petrol; an unknown fuel counts as petrol */
    static const struct { int fuel; const char *name; } fuels[] = {
        {KMT_FLEET_FUEL_PETROL, "petrol"}, {KMT_FLEET_FUEL_DIESEL, "diesel"}, {KMT_FLEET_FUEL_HVO, "hvo"},
        {KMT_FLEET_FUEL_BIOGAS, "biogas"}, {KMT_FLEET_FUEL_HYBRID, "petrol"},
        {KMT_FLEET_FUEL_PLUGIN, "petrol"}, {KMT_FLEET_FUEL_UNKNOWN, "petrol"}};
    char what[64];
    for (size_t k = 0; k < sizeof fuels / sizeof fuels[0]; k++) {
        const kmt_fuel_fact *ff = kmt_factors_fuel(&f, country, fuels[k].name);
        int fu = fuels[k].fuel;
        if (!ff) {
            if (k < 4) snprintf(what, sizeof what, "%s %s", country, fuels[k].name), missing(info, what);
            continue;
        }
        out->co2_g_per_litre[fu] = ff->kg_co2e_per_l * 1000.0;
        out->kwh_per_litre[fu] = ff->kwh_per_l;
        /* consumption of a vehicle with unknown km/l: the litres behind the
         * fleet_car row of this fuel, when that row is per vehicle-km and
         * derived from these facts (else the compiled-in DK figure) */
        const kmt_factor *row = kmt_factors_lookup(&f, country, "fleet_car", fuels[k].name);
        if (row && !row->per_passenger && strcmp(row->energy_fuel, ff->fuel) == 0 && ff->kwh_per_l > 0)
            out->litres_per_km[fu] = row->kwh_per_km / ff->kwh_per_l;
        if (ff->price >= 0) {
            out->price_per_litre[fu] = ff->price;
            info->price_assumption |= ff->price_assumption;
        } else if (k < 4) snprintf(what, sizeof what, "%s %s price", country, fuels[k].name), missing(info, what);
    }
    const kmt_factor *evr = kmt_factors_lookup(&f, country, "fleet_car", "electric");
    if (evr && !evr->per_passenger && evr->kwh_per_km > 0) out->kwh_per_km = evr->kwh_per_km;
    const kmt_fuel_fact *el = kmt_factors_fuel(&f, country, "electric");
    if (el) {
        out->co2_g_per_kwh = el->g_co2e_per_kwh;
        if (el->price >= 0) {
            out->price_per_kwh = el->price;
            info->price_assumption |= el->price_assumption;
        } else snprintf(what, sizeof what, "%s electricity price", country), missing(info, what);
    } else snprintf(what, sizeof what, "%s electricity", country), missing(info, what);
    if (fc->co2_price_per_tonne >= 0) out->co2_price_per_tonne = fc->co2_price_per_tonne;
    else snprintf(what, sizeof what, "%s CO2 price", country), missing(info, what);
    const kmt_factor *pc = kmt_factors_lookup(&f, country, "private_car", "");
    if (pc) { /* every listed country resolves every mode (checked on load) */
        out->private_co2_g_per_km = pc->co2e_g_per_km;
        if (pc->cost_per_km > 0) out->allowance_per_km = pc->cost_per_km;
        else snprintf(what, sizeof what, "%s mileage allowance", country), missing(info, what);
    }
    if (info->missing[0])
        fprintf(stderr, "WARNING: %s (version %s) lacks %s: compiled-in DK figures used for them "
                        "(docs/factors.md)\n", info->file, f.version, info->missing);
    KMT_LOG(KMT_LOG_INFO, "fleet: factors from %s (%s)", info->file, country);
    kmt_factors_destroy(&f);
    return 0;
}

void fleet_factors_json(kmt_json *j, const fleet_factors_info *info, const kmt_fleet_factors *f)
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

void fleet_factors_text(const fleet_factors_info *info)
{
    if (info->fallback) {
        printf("WARNING: no factors file found: compiled-in DK factors used (may be out of date); "
               "give --factors FILE\n");
        return;
    }
    const char *from = strcmp(info->country_from, "travel_records") == 0
                           ? ", from the currency of the travel records"
                           : strcmp(info->country_from, "file_default") == 0
                                 ? ", the file's default: give --country to match your costs' currency"
                                 : "";
    printf("factors: %s, version %s, country %s (%s%s)%s\n", info->file, info->version, info->country,
           info->currency, from, info->price_assumption ? "; fuel and electricity prices are assumptions" : "");
    if (info->missing[0]) printf("WARNING: the factors file lacks %s: compiled-in DK figures used\n", info->missing);
}

int64_t fleet_changeover(const char *cmd, const char *val)
{
    if (!val) return 0;
    long m;
    if (kmt_cli_int(cmd, "changeover", val, 0, 24 * 60, &m)) return -1;
    return (int64_t)m * 60;
}

static int parse_day(const char *cmd, const char *opt, const char *val, kmt_time *out)
{
    int has_time = 0;
    if (kmt_time_parse(val, out, &has_time)) {
        kmt_cli_usage(cmd, "--%s expects a date like 2024-03-01, got '%s'", opt, val);
        return -1;
    }
    return 0;
}

static int load(const char *cmd, const fleet_common *c, fleet_data *fd)
{
    memset(fd, 0, sizeof *fd);
    fd->only_site = -1;
    kmt_dataset_init(&fd->d);
    if (!c->format || strcmp(c->format, "text") == 0) fd->format = FLEET_TEXT;
    else if (strcmp(c->format, "json") == 0) fd->format = FLEET_JSON;
    else if (strcmp(c->format, "csv") == 0) fd->format = FLEET_CSV;
    else return kmt_cli_usage(cmd, "--format expects text, json or csv, got '%s'", c->format);
    kmt_store_query q = kmt_store_query_all();
    if (c->from && parse_day(cmd, "from", c->from, &q.from)) return KMT_EXIT_USAGE;
    if (c->to && parse_day(cmd, "to", c->to, &q.to)) return KMT_EXIT_USAGE;
    if (c->from && c->to && q.to <= q.from)
        return kmt_cli_usage(cmd, "--to (%s) must be after --from (%s)", c->to, c->from);
    q.site = c->site;
    kmt_error e;
    kmt_error_init(&e);
    kmt_store *s = NULL;
    if (kmt_store_open(&s, c->db, KMT_STORE_READONLY, &e)) return kmt_cli_error(&e);
    int rc = kmt_store_load_fleet(s, &q, &fd->d, &e);
    kmt_store_close(s);
    if (rc) return kmt_cli_error(&e);
    if (c->site && *c->site && kmt_dataset_find_site(&fd->d, c->site) < 0) {
        kmt_error_set(&e, KMT_EINVAL, "no site '%s' in %s", c->site, c->db ? c->db : KMT_STORE_DEFAULT_PATH);
        return kmt_cli_error(&e);
    }
    const kmt_dataset *d = &fd->d;
    size_t nt = d->trips.n, nv = d->vehicles.n, ns = d->sites.n;
    fd->trips = kmt_calloc(nt ? nt : 1, sizeof *fd->trips);
    fd->vehicles = kmt_calloc(nv ? nv : 1, sizeof *fd->vehicles);
    fd->sites = kmt_calloc(ns ? ns : 1, sizeof *fd->sites);
    for (size_t i = 0; i < ns; i++) fd->sites[i].pos = d->sites.v[i].pos;
    for (size_t i = 0; i < nv; i++) {
        const kmt_vehicle *v = &d->vehicles.v[i];
        kmt_fleet_vehicle *w = &fd->vehicles[i];
        w->site = v->site;
        w->dept = v->department;
        w->kind = (uint8_t)v->kind;
        w->fuel = (uint8_t)v->fuel;
        w->range_m = v->range_km > 0 ? (int32_t)lround(v->range_km * 1000.0) : 0;
        w->fixed_per_year = v->fixed_cost_per_year;
        w->cost_per_km = v->cost_per_km;
        w->wh_per_km = v->wh_per_km;
        w->km_per_litre = v->km_per_litre;
    }
    int32_t only = c->site && *c->site ? kmt_dataset_find_site(&fd->d, c->site) : -1;
    fd->only_site = only;
    kmt_time lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < nt; i++) {
        const kmt_trip *t = &d->trips.v[i];
        kmt_fleet_trip *u = &fd->trips[i];
        u->start = t->start;
        u->end = t->end != KMT_TIME_NONE && t->end >= t->start ? t->end : t->start;
        u->vehicle = t->vehicle;
        u->site = t->site;
        u->end_site = t->site;
        u->dept = t->department;
        double km = isfinite(t->km) && t->km > 0 ? t->km : 0;
        u->m = km > 2e6 ? 2000000000 : (int32_t)lround(km * 1000.0);
        u->kind = t->vehicle >= 0 ? (uint8_t)d->vehicles.v[t->vehicle].kind : KMT_FLEET_KIND_CAR;
        if (t->vehicle >= 0 && u->site < 0) u->site = u->end_site = d->vehicles.v[t->vehicle].site;
        if (t->start < lo) lo = t->start;
        if (t->start > hi) hi = t->start;
    }
    fd->in.trips = fd->trips, fd->in.ntrips = nt;
    fd->in.vehicles = fd->vehicles, fd->in.nvehicles = nv;
    fd->in.sites = fd->sites, fd->in.nsites = ns;
    fd->in.ndepts = (int32_t)d->orgs.n;
    fd->in.from = c->from ? q.from : (nt ? kmt_time_midnight(lo) : 0);
    fd->in.to = c->to ? q.to : (nt ? kmt_time_midnight(hi) + KMT_DAY : KMT_DAY);
    for (size_t i = 0; i < nv; i++) { /* out of service all period, or another site */
        const kmt_vehicle *v = &d->vehicles.v[i];
        if ((v->in_service_to != KMT_TIME_NONE && v->in_service_to <= fd->in.from) ||
            (v->in_service_from != KMT_TIME_NONE && v->in_service_from >= fd->in.to) ||
            (only >= 0 && v->site != only))
            fd->vehicles[i].excluded = 1;
    }
    return 0;
}

size_t fleet_nvehicles(const fleet_data *fd)
{
    size_t n = 0;
    for (size_t v = 0; v < fd->in.nvehicles; v++) n += !fd->vehicles[v].excluded;
    return n;
}

int fleet_load(const char *cmd, const fleet_common *c, fleet_data *fd)
{
    int rc = load(cmd, c, fd);
    if (rc) fleet_data_free(fd);
    return rc;
}

void fleet_json_begin(kmt_json *j, const fleet_data *fd)
{
    kmt_json_init(j, kmt_cli_out());
    kmt_json_object_begin(j);
    fleet_json_period(j, fd);
}

void fleet_json_end(kmt_json *j)
{
    kmt_json_object_end(j);
    kmt_json_finish(j);
    fputc('\n', kmt_cli_out());
}

void fleet_data_free(fleet_data *fd)
{
    kmt_free(fd->trips), kmt_free(fd->vehicles), kmt_free(fd->sites);
    kmt_dataset_destroy(&fd->d);
}

const char *fleet_site_key(const fleet_data *fd, int32_t s)
{
    return s >= 0 && (size_t)s < fd->d.sites.n ? fd->d.sites.v[s].key : "";
}

const char *fleet_vehicle_key(const fleet_data *fd, int32_t v)
{
    return v >= 0 && (size_t)v < fd->d.vehicles.n ? fd->d.vehicles.v[v].key : "";
}

const char *fleet_dept_name(const fleet_data *fd, int32_t d)
{
    return d >= 0 && (size_t)d < fd->d.orgs.n ? fd->d.orgs.v[d].name : "";
}

const char *fleet_trip_id(const fleet_data *fd, int32_t t, char *buf, size_t n)
{
    const kmt_trip *r = &fd->d.trips.v[t];
    if (r->key && *r->key) return r->key;
    snprintf(buf, n, "#%lld", (long long)r->id);
    return buf;
}

const char *fleet_day_str(int64_t day, char *buf, size_t n)
{
    return kmt_time_format_date(day * KMT_DAY, buf, n);
}

void fleet_csv_field(FILE *f, const char *s, int last)
{
    kmt_csv_write_field(f, s);
    if (last < 2) fputc(last ? '\n' : ',', f);
}

void fleet_json_period(kmt_json *j, const fleet_data *fd)
{
    char b[32];
    kmt_json_key(j, "from");
    kmt_json_string(j, kmt_time_format_date(fd->in.from, b, sizeof b));
    kmt_json_key(j, "to");
    kmt_json_string(j, kmt_time_format_date(fd->in.to, b, sizeof b));
    kmt_json_key(j, "days");
    kmt_json_int(j, kmt_fleet_days(&fd->in));
    kmt_json_key(j, "trips");
    kmt_json_int(j, (int64_t)fd->in.ntrips);
}
