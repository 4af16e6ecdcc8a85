/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The fleet analyses as use cases (include/kommute/app.h): the store's
 * period loaded into the fleet engine's structs, the engine run, and the
 * typed result with its JSON writer. The command line renders text and CSV
 * from the same result; the server answers the JSON.
 */
#ifndef KOMMUTE_APP_FLEET_H
#define KOMMUTE_APP_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/app.h"
#include "kommute/fleet.h"
#include "kommute/model.h"

/* A loaded analysis: the dataset and the engine's view of it. */
typedef struct kmt_app_fleet_data {
    kmt_dataset d;
    kmt_fleet_trip *trips;
    kmt_fleet_vehicle *vehicles;
    kmt_fleet_site *sites;
    kmt_fleet_input in;
    int32_t only_site; /* the site parameter as an index, -1 = all */
} kmt_app_fleet_data;

/* The period every fleet request names (the first fields of each request). */
#define KMT_APP_FLEET_PERIOD_FIELDS                                                                                    \
    kmt_app_given given;                                                                                               \
    int64_t from, to; /* kmt_time; period [from, to) (defaults: the trips' first and last day) */                      \
    const char *site  /* trips of this site only (NULL: all) */

/* Loads the period of the store c->store for the analyses: from/to/site as
 * given (KMT_TIME_NONE when not). Errors: KMT_EUSAGE (to not after from,
 * field "to"), KMT_EINVAL (unknown site, field "site"), the store's. */
int kmt_app_fleet_load(const kmt_app_ctx *c, int64_t from, int64_t to, const char *site, kmt_app_fleet_data *fd,
                       kmt_error *e);
void kmt_app_fleet_data_destroy(kmt_app_fleet_data *fd);
/* Vehicles in the analysis (not excluded by service dates or the site). */
size_t kmt_app_fleet_nvehicles(const kmt_app_fleet_data *fd);

/* Names for output. */
const char *kmt_app_fleet_site_key(const kmt_app_fleet_data *fd, int32_t s); /* "" for -1 */
const char *kmt_app_fleet_vehicle_key(const kmt_app_fleet_data *fd, int32_t v);
const char *kmt_app_fleet_dept_name(const kmt_app_fleet_data *fd, int32_t d);
/* A trip's id for output: its key, else "#<store id>". buf >= 32 bytes. */
const char *kmt_app_fleet_trip_id(const kmt_app_fleet_data *fd, int32_t t, char *buf, size_t n);
/* "YYYY-MM-DD" of a day number. */
const char *kmt_app_fleet_day_str(int64_t day, char *buf, size_t n);
/* The common JSON members: period, days, trips (inside an open object). */
void kmt_app_fleet_json_period(kmt_json *j, const kmt_app_fleet_data *fd);

/* ---- fleet size ---------------------------------------------------------- */

typedef struct kmt_app_fleet_size_req {
    KMT_APP_FLEET_PERIOD_FIELDS;
    int64_t changeover_min;    /* minutes between two trips of one vehicle (0) */
    int any_kind;              /* cars, vans, minibuses serve each other's trips */
    int include_private;       /* private-car trips are demand for a car too */
    double pool_distance_m;    /* sites closer share vehicles (1000; 0 none) */
    double walk_kmh;           /* speed of moving a car to a pooled site (5) */
    double vehicle_cost;       /* yearly cost of a vehicle (given, else the fleet's average fixed cost, else 45000) */
    double uncovered_per_km;   /* price of an uncovered km (3.79) */
    double uncovered_per_trip; /* price per uncovered trip (0) */
    int64_t service_days;      /* vehicles needed when trips may go uncovered on at most K days (0) */
} kmt_app_fleet_size_req;

void kmt_app_fleet_size_req_default(kmt_app_fleet_size_req *q);

typedef struct kmt_app_fleet_size_result {
    kmt_app_fleet_data fd;
    kmt_fleet_size_opts opts; /* as run */
    kmt_fleet_size r;
    int64_t service_days;
    double seconds; /* the engine's wall time */
} kmt_app_fleet_size_result;

int kmt_app_fleet_size(const kmt_app_ctx *c, const kmt_app_fleet_size_req *q, kmt_app_fleet_size_result *out,
                       kmt_error *e);
void kmt_app_fleet_size_json(const kmt_app_fleet_size_result *r, kmt_json *j);
void kmt_app_fleet_size_result_destroy(kmt_app_fleet_size_result *r);
/* Fewest vehicles of site s's service curve whose days_short <= k. */
int32_t kmt_app_fleet_size_for_service_days(const kmt_fleet_site_size *s, int64_t k);

extern const kmt_app_usecase kmt_app_fleet_size_usecase;

/* ---- factors (fleet ev, fleet compose) ----------------------------------- */

/* Which factors an analysis used, for its output. */
typedef struct kmt_app_fleet_factors_info {
    char file[2048]; /* the factors file used, as kmt_app_path_label names it ("" with the fallback) */
    char version[64];
    char country[4], currency[4];
    int fallback;          /* 1: no factors file found: compiled-in DK figures */
    char country_from[16]; /* "option", "travel_records", "file_default" or "fallback" */
    int price_assumption;  /* 1: a fuel or electricity price used is marked as an assumption */
    char missing[512];     /* facts the file lacks, taken from the compiled-in set ("" none) */
} kmt_app_fleet_factors_info;

/* Money, energy and CO2 factors of fleet ev/compose from the factors file
 * (kmt_app_load_factors: c->factors_path or the default lookup) for country
 * (NULL or "": the currency most travel records in c->store carry, else the
 * file's default country). Per fuel: kg CO2e and kWh per litre and the
 * price from the file's fuel facts; g CO2e and price per kWh of
 * electricity; the country's CO2 shadow price; the private car's g/km and
 * the mileage allowance from its private_car row of fuel "". When no file
 * is found at all, the compiled-in DK figures (kmt_fleet_factors_default)
 * with info->fallback = 1 and a warning through c. Facts the file lacks are
 * compiled-in figures, named in info->missing and a warning. Prints
 * nothing. Errors (field "country"): KMT_EINVAL for a country the file (or
 * the fallback) lacks; the file's errors. */
int kmt_app_fleet_factors(const kmt_app_ctx *c, const char *country, kmt_fleet_factors *out,
                          kmt_app_fleet_factors_info *info, kmt_error *e);
/* The "factors" member of a JSON answer (inside an open object). */
void kmt_app_fleet_factors_json(kmt_json *j, const kmt_app_fleet_factors_info *info, const kmt_fleet_factors *f);

/* ---- fleet report -------------------------------------------------------- */

typedef enum kmt_app_fleet_by {
    KMT_APP_FLEET_BY_VEHICLE = 0,
    KMT_APP_FLEET_BY_SITE = 1,
    KMT_APP_FLEET_BY_DEPARTMENT = 2
} kmt_app_fleet_by;

typedef struct kmt_app_fleet_report_req {
    KMT_APP_FLEET_PERIOD_FIELDS;
    const char *work_hours; /* working hours "H-H" (NULL: 7-17) */
    int64_t work_days;      /* working days from Monday, 1..7 (5) */
    double low_pct;         /* vehicles used less than this percent are low use (10) */
    const char *by;         /* rows of the CSV table: "vehicle" (NULL), "site" or "department" */
} kmt_app_fleet_report_req;

void kmt_app_fleet_report_req_default(kmt_app_fleet_report_req *q);

typedef struct kmt_app_fleet_report_result {
    kmt_app_fleet_data fd;
    kmt_fleet_report_opts opts; /* as run */
    kmt_fleet_report r;
    kmt_app_fleet_by by;
} kmt_app_fleet_report_result;

/* Errors: KMT_EUSAGE for work-hours that are not H-H (field "work-hours"),
 * kmt_app_fleet_load's and the engine's. */
int kmt_app_fleet_report(const kmt_app_ctx *c, const kmt_app_fleet_report_req *q, kmt_app_fleet_report_result *out,
                         kmt_error *e);
void kmt_app_fleet_report_json(const kmt_app_fleet_report_result *r, kmt_json *j);
void kmt_app_fleet_report_result_destroy(kmt_app_fleet_report_result *r);

extern const kmt_app_usecase kmt_app_fleet_report_usecase;

/* ---- fleet place --------------------------------------------------------- */

typedef struct kmt_app_fleet_place_req {
    KMT_APP_FLEET_PERIOD_FIELDS;
    int64_t changeover_min;   /* minutes between two trips of one vehicle (0) */
    int any_kind;             /* cars, vans, minibuses serve each other's trips */
    int include_private;      /* private-car trips are demand for a car too */
    double move_cost_per_km;  /* one-off cost per km of moving a vehicle (3.79) */
    double unserved_per_km;   /* yearly value of an unserved km (3.79) */
    double unserved_per_trip; /* or a fixed value per unserved trip (0: from km) */
} kmt_app_fleet_place_req;

void kmt_app_fleet_place_req_default(kmt_app_fleet_place_req *q);

typedef struct kmt_app_fleet_place_result {
    kmt_app_fleet_data fd;
    kmt_fleet_place_opts opts; /* as run */
    kmt_fleet_place r;
    int32_t *vehicles_now;   /* per site: vehicles based there now */
    int32_t *vehicles_after; /* per site: vehicles based there by the plan */
    double seconds;          /* the engine's wall time */
} kmt_app_fleet_place_result;

int kmt_app_fleet_place(const kmt_app_ctx *c, const kmt_app_fleet_place_req *q, kmt_app_fleet_place_result *out,
                        kmt_error *e);
void kmt_app_fleet_place_json(const kmt_app_fleet_place_result *r, kmt_json *j);
void kmt_app_fleet_place_result_destroy(kmt_app_fleet_place_result *r);

extern const kmt_app_usecase kmt_app_fleet_place_usecase;

/* ---- fleet ev ------------------------------------------------------------ */

typedef struct kmt_app_fleet_ev_req {
    KMT_APP_FLEET_PERIOD_FIELDS;
    const char *country;       /* country of the factors (NULL: guessed, see kmt_app_fleet_factors) */
    double range_km;           /* EV range, WLTP (300) */
    double margin_pct;         /* share of the range kept in reserve, percent (10) */
    double winter_factor;      /* range multiplier in winter (0.75) */
    const char *winter_months; /* comma-separated months 1-12 (NULL: 12,1,2) */
    double ev_wh_per_km;       /* consumption of the EV (180) */
    double ev_cost_year;       /* yearly fixed cost of the EV (40000) */
    double ev_cost_per_km;     /* its cost per km besides electricity (0.30) */
    double bike_km;            /* trips shorter than this could go by (e-)bike (5) */
    double grid_co2;           /* g CO2e per kWh (given, else the factors file's) */
    double kwh_price;          /* price of a kWh (given, else the factors file's) */
} kmt_app_fleet_ev_req;

void kmt_app_fleet_ev_req_default(kmt_app_fleet_ev_req *q);

typedef struct kmt_app_fleet_ev_result {
    kmt_app_fleet_data fd;
    kmt_fleet_ev_opts opts; /* as run, with the factors */
    kmt_app_fleet_factors_info factors;
    kmt_fleet_ev r;
    double seconds; /* the engine's wall time */
} kmt_app_fleet_ev_result;

/* Errors: kmt_app_fleet_factors', KMT_EUSAGE for winter-months that are not
 * months 1-12 separated by commas (field "winter-months"), kmt_app_fleet_load's
 * and the engine's. */
int kmt_app_fleet_ev(const kmt_app_ctx *c, const kmt_app_fleet_ev_req *q, kmt_app_fleet_ev_result *out, kmt_error *e);
void kmt_app_fleet_ev_json(const kmt_app_fleet_ev_result *r, kmt_json *j);
void kmt_app_fleet_ev_result_destroy(kmt_app_fleet_ev_result *r);

extern const kmt_app_usecase kmt_app_fleet_ev_usecase;

/* ---- fleet compose ------------------------------------------------------- */

typedef struct kmt_app_fleet_compose_req {
    KMT_APP_FLEET_PERIOD_FIELDS;
    const char *country;     /* country of the factors (NULL: guessed, see kmt_app_fleet_factors) */
    int pool;                /* one fleet for all selected trips instead of one per site */
    double pool_distance_m;  /* one fleet per group of sites closer than this (0) */
    int64_t changeover_min;  /* minutes between two trips of one vehicle (0) */
    int any_kind;            /* cars, vans, minibuses serve each other's trips */
    int include_private;     /* private-car trips are demand for a car too */
    double co2_weight;       /* 0-10: CO2 valued at W/5 x the CO2 price (5) */
    double co2_price;        /* price of a tonne of CO2e (given, else the factors file's) */
    int allow_uncovered;     /* trips may stay uncovered, paid at the mileage allowance */
    double allowance;        /* price of an uncovered km (given, else the factors file's) */
    double bike_km;          /* car trips up to this long may use an e-bike model (5; 0 never) */
    int64_t best;            /* fleets to list (3) */
    int64_t max_evaluations; /* replays at most (20000) */
} kmt_app_fleet_compose_req;

void kmt_app_fleet_compose_req_default(kmt_app_fleet_compose_req *q);

/* One fleet searched: a site, a group of nearby sites, or all trips. */
typedef struct kmt_app_fleet_compose_group {
    char name[160]; /* the site, or the group's sites joined by '+' */
    kmt_fleet_compose r;
    int rc;        /* the engine's code for this group (0 ok) */
    char err[800]; /* its message when rc */
} kmt_app_fleet_compose_group;

typedef struct kmt_app_fleet_compose_result {
    kmt_app_fleet_data fd;
    kmt_fleet_compose_opts opts; /* as run, with the factors */
    kmt_app_fleet_factors_info factors;
    char catalogue[2600];    /* the catalogue file, as kmt_app_path_label names it */
    kmt_fleet_model *models; /* the catalogue's models */
    size_t nmodels;
    kmt_app_fleet_compose_group *groups; /* the groups with trips, in site order */
    size_t ngroups;
    double seconds; /* the searches' wall time */
} kmt_app_fleet_compose_result;

/* The catalogue is c->catalogue_path, else data/fleet/catalogue.csv next to
 * the binary (../data/fleet, ../share/kommute/fleet), else ./data/fleet.
 * Errors: kmt_app_fleet_factors', the catalogue's (KMT_EIO, KMT_EINVAL with
 * the row and column), kmt_app_fleet_load's. An engine error of one group is
 * kept in its rc and err. */
int kmt_app_fleet_compose(const kmt_app_ctx *c, const kmt_app_fleet_compose_req *q, kmt_app_fleet_compose_result *out,
                          kmt_error *e);
void kmt_app_fleet_compose_json(const kmt_app_fleet_compose_result *r, kmt_json *j);
void kmt_app_fleet_compose_result_destroy(kmt_app_fleet_compose_result *r);

extern const kmt_app_usecase kmt_app_fleet_compose_usecase;

#endif
