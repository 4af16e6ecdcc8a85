/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Shared plumbing of the `fleet report|size|place|ev|compose` commands:
 * the common options, loading the store into a kmt_dataset and the thin
 * adapter from model rows to the fleet engine's structs.
 */
#ifndef KOMMUTE_FLEET_CLI_H
#define KOMMUTE_FLEET_CLI_H

#include "cli.h"
#include "kommute/fleet.h"
#include "kommute/json.h"
#include "kommute/model.h"

enum { FLEET_TEXT = 0, FLEET_JSON = 1, FLEET_CSV = 2 };

/* Values of the options every fleet analysis takes. */
typedef struct fleet_common {
    const char *db, *from, *to, *format, *site, *changeover;
} fleet_common;

#define FLEET_COMMON_HELP                                                                 \
    "  --db FILE          database (default kommute.db)\n"                               \
    "  --from DATE        first day of the period (default: the first trip's day)\n"      \
    "  --to DATE          day after the period (exclusive; default: after the last trip)\n" \
    "  --site KEY         trips of this site only\n"                                     \
    "  --format F         text (default, a one-screen summary), json or csv\n"

#define FLEET_COMMON_OPTS(c)                                                              \
    {"db", 0, 1, &(c).db}, {"from", 0, 1, &(c).from}, {"to", 0, 1, &(c).to},              \
        {"format", 'f', 1, &(c).format}, {"site", 0, 1, &(c).site}

/* Options of the analyses that size demand (size, place, compose). */
typedef struct fleet_demand {
    const char *changeover, *any_kind, *include_private;
} fleet_demand;

#define FLEET_DEMAND_HELP                                                                 \
    "  --changeover MIN   minutes between two trips of one vehicle (default 0;\n"          \
    "                     OS2FleetOptimiser uses 5)\n"                                    \
    "  --any-kind         cars, vans and minibuses serve each other's trips\n"            \
    "  --include-private  private-car trips are demand for a car too\n"

#define FLEET_DEMAND_OPTS(d)                                                              \
    {"changeover", 0, 1, &(d).changeover}, {"any-kind", 0, 0, &(d).any_kind},             \
        {"include-private", 0, 0, &(d).include_private}

/* A loaded analysis: the dataset and the engine's view of it. */
typedef struct fleet_data {
    kmt_dataset d;
    kmt_fleet_trip *trips;
    kmt_fleet_vehicle *vehicles;
    kmt_fleet_site *sites;
    kmt_fleet_input in;
    int format;
    int32_t only_site;  /* --site as an index, -1 = all */
} fleet_data;

/* Parses the common option values, opens the store read-only, loads the
 * period and builds the engine arrays. Returns 0, or an exit code after
 * printing the error (fd is then freed). */
int fleet_load(const char *cmd, const fleet_common *c, fleet_data *fd);
void fleet_data_free(fleet_data *fd);
/* Vehicles in the analysis (not excluded by service dates or --site). */
size_t fleet_nvehicles(const fleet_data *fd);

/* kmt_cli_parse without positional arguments: 0, an exit code, or -1 after --help. */
int fleet_parse(int argc, char **argv, kmt_opt *opts, const char *help);

/* Which factors a fleet command used, for its output. */
typedef struct fleet_factors_info {
    char file[2048];     /* the factors file used ("" with the compiled-in fallback) */
    char version[64];
    char country[4], currency[4];
    int fallback;        /* 1: no factors file found: compiled-in DK figures */
    char country_from[16]; /* "option", "travel_records", "file_default" or "fallback" */
    int price_assumption; /* 1: a fuel or electricity price used is marked as an assumption */
    char missing[512];   /* facts the file lacks, taken from the compiled-in set ("" none) */
} fleet_factors_info;

/* Money, energy and CO2 factors of fleet ev/compose from the factors file:
 * path (--factors) or the default file (the travel commands' lookup,
 * kmt_cli_load_factors); country (--country), else as the travel commands
 * choose it: the currency most travel records in the database db carry,
 * else the file's default country.
 * Per fuel: kg CO2e and kWh per litre and the price from the file's fuel
 * facts; g CO2e and price per kWh of electricity; the country's CO2 shadow
 * price; the private car's g/km and the mileage allowance from its
 * private_car row of fuel "". When no file is found at all, the compiled-in
 * DK figures (kmt_fleet_factors_default) with info->fallback = 1 and a
 * warning on stderr. Returns 0, or an exit code after printing the error. */
int fleet_factors(const char *path, const char *country, const char *db, kmt_fleet_factors *out,
                  fleet_factors_info *info);
/* The "factors" member of a JSON report / the text lines (with a loud
 * warning when the fallback or compiled-in facts were used). */
void fleet_factors_json(kmt_json *j, const fleet_factors_info *info, const kmt_fleet_factors *f);
void fleet_factors_text(const fleet_factors_info *info);
#define FLEET_FACTORS_HELP                                                                \
    "  --factors FILE     money, energy and CO2 factors (default: the travel commands'\n"  \
    "                     factors file, data/factors/nordic-2024.json; docs/factors.md)\n" \
    "  --country CC       country of the factors (DK, SE, NO; default: the currency\n"   \
    "                     of the travel records in the database, else the file's)\n"

/* Changeover option in minutes (NULL = 0) into seconds; -1 after a usage error. */
int64_t fleet_changeover(const char *cmd, const char *val);

/* Names for output. */
const char *fleet_site_key(const fleet_data *fd, int32_t s);   /* "" for -1 */
const char *fleet_vehicle_key(const fleet_data *fd, int32_t v);
const char *fleet_dept_name(const fleet_data *fd, int32_t d);
/* A trip's id for output: its key, else "#<store id>". buf >= 32 bytes. */
const char *fleet_trip_id(const fleet_data *fd, int32_t t, char *buf, size_t n);
/* "YYYY-MM-DD" of a day number. */
const char *fleet_day_str(int64_t day, char *buf, size_t n);
/* Writes a CSV field (quoted when needed), then ',' (last 0), '\n' (1) or nothing (2). */
void fleet_csv_field(FILE *f, const char *s, int last);
/* A JSON document on stdout: begin opens the object and writes the period;
 * end closes and flushes it. */
void fleet_json_begin(kmt_json *j, const fleet_data *fd);
void fleet_json_end(kmt_json *j);
/* Common JSON header: period, days, trips. */
void fleet_json_period(kmt_json *j, const fleet_data *fd);

#endif
