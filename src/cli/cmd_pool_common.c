/* SPDX-License-Identifier: MPL-2.0 */
/* Options shared by `pool plan` and `pool analyse`. */
#include <string.h>

#include "cli_factors.h"
#include "cmd_pool.h"

void kmt__pool_opts(kmt_opt *opts, int *n, pool_settings *s)
{
    kmt_opt add[] = {{"graph", 0, 1, &s->graph},
                     {"road-factor", 0, 1, &s->s_factor},
                     {"max-snap-m", 0, 1, &s->s_snap},
                     {"speed-kmh", 0, 1, &s->s_speed},
                     {"max-detour-min", 0, 1, &s->s_detour_min},
                     {"max-detour-pct", 0, 1, &s->s_detour_pct},
                     {"seats", 0, 1, &s->s_seats},
                     {"max-group", 0, 1, &s->s_group},
                     {"exact-max", 0, 1, &s->s_exact},
                     {"objective", 0, 1, &s->s_obj},
                     {"co2-g-per-km", 0, 1, &s->s_co2},
                     {"cost-per-km", 0, 1, &s->s_cost},
                     {"factors", 0, 1, &s->s_factors},
                     {"country", 0, 1, &s->s_country},
                     {"car-mode", 0, 1, &s->s_carmode},
                     {"fuel", 0, 1, &s->s_fuel},
                     {"threads", 't', 1, &s->s_threads},
                     {"format", 0, 1, &s->format},
                     {"output", 'o', 1, &s->output}};
    for (size_t i = 0; i < sizeof add / sizeof *add; i++) opts[(*n)++] = add[i];
    opts[*n] = (kmt_opt){NULL, 0, 0, NULL};
}

const char *kmt__pool_objective_name(int o)
{
    return o == KMT_POOL_OBJ_CO2 ? "co2" : o == KMT_POOL_OBJ_COST ? "cost" : "km";
}

/* The CO2e or cost per vehicle-km: the override option, else the factors
 * file's row for (country, car mode, fuel). */
static int objective_factor(const char *cmd, pool_settings *s)
{
    int co2 = s->objective == KMT_POOL_OBJ_CO2;
    if (co2 ? s->s_co2 != NULL : s->s_cost != NULL) {
        snprintf(s->factor_note, sizeof s->factor_note, "%g %s per vehicle-km (given with %s)",
                 co2 ? s->co2_g_per_km : s->cost_per_km, co2 ? "g CO2e" : "money", co2 ? "--co2-g-per-km" : "--cost-per-km");
        return 0;
    }
    const char *mode = s->s_carmode ? s->s_carmode : "fleet_car";
    if (strcmp(mode, "fleet_car") && strcmp(mode, "private_car"))
        return kmt_cli_usage(cmd, "--car-mode expects fleet_car or private_car, got '%s'", mode);
    if (s->s_fuel && !kmt_factors_fuel_known(s->s_fuel))
        return kmt_cli_usage(cmd, "--fuel: unknown fuel '%s' (petrol, diesel, electric, hybrid, plug-in, biogas, hvo)",
                             s->s_fuel);
    kmt_factors f;
    memset(&f, 0, sizeof f);
    kmt_error e;
    kmt_error_init(&e);
    char used[512];
    if (kmt_cli_load_factors(s->s_factors, &f, used, sizeof used, &e)) return kmt_cli_error(&e);
    const char *country = s->s_country ? s->s_country : f.default_country;
    const kmt_factor *row = kmt_factors_lookup(&f, country, mode, s->s_fuel ? s->s_fuel : "");
    const kmt_factor_country *fc = kmt_factors_country(&f, country);
    int rc = 0;
    if (!row || !fc) {
        kmt_error_set(&e, KMT_EINVAL, "%s: no %s factor for country '%s'", used, mode, country);
        rc = kmt_cli_error(&e);
    } else if (co2 && !(row->co2e_g_per_km >= 0)) {
        kmt_error_set(&e, KMT_EINVAL, "%s: the %s %s %s row has no CO2e per km", used, country, mode, row->fuel);
        rc = kmt_cli_error(&e);
    } else {
        if (co2) s->co2_g_per_km = row->co2e_g_per_km;
        else s->cost_per_km = row->cost_per_km;
        snprintf(s->currency, sizeof s->currency, "%s", fc->currency);
        snprintf(s->factor_note, sizeof s->factor_note, "%g %s per %s-km for %s %s%s%s (%s, %s)%s",
                 co2 ? row->co2e_g_per_km : row->cost_per_km, co2 ? "g CO2e" : fc->currency,
                 row->per_passenger ? "passenger" : "vehicle", country, mode, *row->fuel ? " " : "", row->fuel, used,
                 co2 ? row->source : row->cost_source,
                 co2 && row->per_passenger ? "; a per-passenger-km factor used per car-km: an underestimate" : "");
    }
    kmt_factors_destroy(&f);
    return rc;
}

int kmt__pool_settings(const char *cmd, pool_settings *s)
{
    s->p = kmt_pool_params_default();
    s->road_factor = 1.3;
    s->speed_kmh = 50;
    s->co2_g_per_km = 141;
    s->cost_per_km = 3.79;
    s->max_snap_m = 5000;
    s->threads = 1;
    s->objective = KMT_POOL_OBJ_KM;
    long v;
    double d;
    int rc;
    if (s->s_detour_min) {
        if (kmt_cli_double(cmd, "max-detour-min", s->s_detour_min, 0, 1440, &d)) return KMT_EXIT_USAGE;
        s->p.max_detour_s = (int)(d * 60 + 0.5);
    }
    if (s->s_detour_pct && kmt_cli_double(cmd, "max-detour-pct", s->s_detour_pct, 0, 1000, &s->p.max_detour_pct))
        return KMT_EXIT_USAGE;
    if (s->s_seats) {
        if (kmt_cli_int(cmd, "seats", s->s_seats, 1, 100, &v)) return KMT_EXIT_USAGE;
        s->p.seats = (int)v;
    }
    if (s->s_group) {
        if (kmt_cli_int(cmd, "max-group", s->s_group, 1, 5, &v)) return KMT_EXIT_USAGE;
        s->p.max_group = (int)v;
    }
    if (s->s_exact) {
        if (kmt_cli_int(cmd, "exact-max", s->s_exact, 0, 64, &v)) return KMT_EXIT_USAGE;
        s->p.exact_max = (int)v;
    }
    if (s->s_threads) {
        if (kmt_cli_int(cmd, "threads", s->s_threads, 1, 256, &v)) return KMT_EXIT_USAGE;
        s->threads = (int)v;
    }
    if (s->s_snap && kmt_cli_double(cmd, "max-snap-m", s->s_snap, 1, 1e6, &s->max_snap_m)) return KMT_EXIT_USAGE;
    if (s->s_factor && kmt_cli_double(cmd, "road-factor", s->s_factor, 1, 10, &s->road_factor)) return KMT_EXIT_USAGE;
    if (s->s_speed && kmt_cli_double(cmd, "speed-kmh", s->s_speed, 1, 300, &s->speed_kmh)) return KMT_EXIT_USAGE;
    if (s->s_co2 && kmt_cli_double(cmd, "co2-g-per-km", s->s_co2, 0, 2000, &s->co2_g_per_km)) return KMT_EXIT_USAGE;
    if (s->s_cost && kmt_cli_double(cmd, "cost-per-km", s->s_cost, 0, 1000, &s->cost_per_km)) return KMT_EXIT_USAGE;
    if (s->s_obj) {
        if (!strcmp(s->s_obj, "km")) s->objective = KMT_POOL_OBJ_KM;
        else if (!strcmp(s->s_obj, "co2")) s->objective = KMT_POOL_OBJ_CO2;
        else if (!strcmp(s->s_obj, "cost")) s->objective = KMT_POOL_OBJ_COST;
        else return kmt_cli_usage(cmd, "--objective expects km, co2 or cost, got '%s'", s->s_obj);
    }
    if (s->objective != KMT_POOL_OBJ_KM && (rc = objective_factor(cmd, s))) return rc;
    if (!s->format) s->format = "text";
    if (strcmp(s->format, "text") && strcmp(s->format, "json") && strcmp(s->format, "csv"))
        return kmt_cli_usage(cmd, "--format expects text, json or csv, got '%s'", s->format);
    return 0;
}

static int write_buf(FILE *f, void *ctx)
{
    const kmt_buf *b = ctx;
    return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

int kmt__pool_emit(const pool_settings *s, kmt_buf *b)
{
    if (s->output) {
        kmt_error e;
        kmt_error_init(&e);
        if (kmt_write_file_atomic(s->output, write_buf, b, &e)) return kmt_cli_error(&e);
        return KMT_EXIT_OK;
    }
    if (b->len && fwrite(b->data, 1, b->len, kmt_cli_out()) != b->len) {
        fprintf(kmt_cli_err(), "kommute: error: could not write the output\n");
        return KMT_EXIT_INPUT;
    }
    return KMT_EXIT_OK;
}

int kmt__pool_parse(int argc, char **argv, kmt_opt *opts, int nextra, pool_settings *s, const char **pos, int *np,
                    const char *help)
{
    memset(s, 0, sizeof *s);
    kmt__pool_opts(opts, &nextra, s);
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, np, help);
    if (rc) return rc;
    return kmt__pool_settings(argv[0], s);
}
