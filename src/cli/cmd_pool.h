/* SPDX-License-Identifier: MPL-2.0 */
/* What `pool plan` and `pool analyse` share: the options of the model. */
#ifndef KOMMUTE_CLI_CMD_POOL_H
#define KOMMUTE_CLI_CMD_POOL_H

#include "cli.h"
#include "kommute/graph.h"
#include "kommute/pool.h"

/* The options' text for --help. */
#define POOL_MODEL_HELP                                                                           \
    "  --graph G             road graph (.kgraph, car profile) for travel times; without\n"    \
    "                        it: great-circle distance x --road-factor at --speed-kmh\n"         \
    "  --max-snap-m M        5000: how far a place may lie from the nearest road of the\n"    \
    "                        graph (the way off the road is not counted)\n"                    \
    "  --road-factor F       1.3 (without --graph)\n"                                           \
    "  --speed-kmh S         50 (without --graph)\n"                                            \
    "  --max-detour-min M    10: time in the car may exceed the direct time by the larger\n"    \
    "  --max-detour-pct P    50  of M minutes and P % of the direct time\n"                     \
    "  --seats N             5: seats in a car, the driver's included\n"                       \
    "  --max-group K         4: persons in one ride, driver included (1..5; 2 = pairs only)\n" \
    "  --exact-max N         32: components of up to N requests are packed exactly (<= 64)\n"   \
    "  --objective O         km (default), co2 or cost: the saving also in CO2e or money\n"   \
    "                        per vehicle-km from the factors file (the same rides: one\n"     \
    "                        factor per car-km scales every saving alike)\n"                  \
    "  --factors FILE        factors file (default data/factors/nordic-2024.json)\n"          \
    "  --country C           DK, SE, NO (default: the factors file's default country)\n"      \
    "  --car-mode M          fleet_car (default) or private_car: whose car the factor is for\n" \
    "  --fuel F              the cars' fuel (petrol, diesel, electric, ...; default any)\n"    \
    "  --co2-g-per-km X      override the factors file: g CO2e per vehicle-km\n"              \
    "  --cost-per-km X       override the factors file: money per vehicle-km\n"               \
    "  -t, --threads N       1: threads for the road-graph table\n"                             \
    "  --format F            text (default), json or csv\n"                                     \
    "  -o, --output FILE     write there (atomically) instead of standard output\n"

typedef struct pool_settings {
    kmt_pool_params p;
    double road_factor, speed_kmh, co2_g_per_km, cost_per_km, max_snap_m;
    int objective; /* kmt_pool_objective */
    int threads;
    const char *graph, *format, *output;
    char factor_note[768];  /* where the CO2/cost factor came from ("" for km) */
    char currency[4];
    /* the raw option values */
    const char *s_detour_min, *s_detour_pct, *s_seats, *s_group, *s_exact, *s_factor, *s_speed, *s_obj, *s_co2,
        *s_cost, *s_threads, *s_snap, *s_factors, *s_country, *s_carmode, *s_fuel;
} pool_settings;

/* Append the model options to opts (which has room) at *n; values go to s. */
void kmt__pool_opts(kmt_opt *opts, int *n, pool_settings *s);
/* Turn the raw values into numbers (defaults where not given); for
 * --objective co2|cost read the factor from the factors file. Returns 0 or
 * an exit code after printing the error. */
int kmt__pool_settings(const char *cmd, pool_settings *s);
/* Parse argv with the command's own options opts[0..nextra-1] (room for 40
 * in all) plus the model options, then the settings; pos needs 64 entries.
 * Returns 0, -1 after --help, or a usage exit code. */
int kmt__pool_parse(int argc, char **argv, kmt_opt *opts, int nextra, pool_settings *s, const char **pos, int *np,
                    const char *help);
/* "km", "co2", "cost". */
const char *kmt__pool_objective_name(int o);
/* Write b to s->output atomically, or to stdout. Returns an exit code. */
int kmt__pool_emit(const pool_settings *s, kmt_buf *b);

#endif
