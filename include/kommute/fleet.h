/* SPDX-License-Identifier: MPL-2.0 */
/*
 * kommute fleet: utilisation, right-sizing, placement, EV suitability and
 * fleet composition. Pure engines: flat arrays of the small structs below
 * go in, result structs come out; no file, network or database I/O. The CLI
 * builds these arrays from the store's kmt_dataset (src/cli/fleet_adapt.c).
 *
 * Conventions (docs/fleet.md):
 * - Times are int64 seconds of local wall-clock time counted as UTC (the
 *   model's kmt_time), so a day is t / 86400 and a weekday needs no zone.
 * - A trip occupies its vehicle over the half-open interval [start, end);
 *   with a changeover c the vehicle is free again at end + c.
 * - Distances are integer metres in hot paths; money is in the currency of
 *   the input, CO2 in grams, energy in Wh.
 * - A trip is a round trip from `site` back to `end_site` (usually equal).
 * - Kinds and fuels are the model's kmt_vehicle_kind / kmt_fuel values
 *   (0 = unknown). A trip needs the kind of the vehicle that drove it unless
 *   the caller says kinds are interchangeable (`any_kind`).
 *
 * Every *_free(NULL) is a no-op. Results own their arrays.
 */
#ifndef KOMMUTE_FLEET_H
#define KOMMUTE_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/geo.h"

#define KMT_FLEET_NKIND 6 /* kmt_vehicle_kind values 0..5 */
#define KMT_FLEET_NFUEL 9 /* kmt_fuel values 0..8 */

/* Kind numbers as in kommute/model.h (kept equal by a test). */
enum {
    KMT_FLEET_KIND_UNKNOWN = 0,
    KMT_FLEET_KIND_CAR = 1,
    KMT_FLEET_KIND_VAN = 2,
    KMT_FLEET_KIND_MINIBUS = 3,
    KMT_FLEET_KIND_EBIKE = 4,
    KMT_FLEET_KIND_BIKE = 5
};
/* Fuel numbers as in kommute/model.h. */
enum {
    KMT_FLEET_FUEL_UNKNOWN = 0,
    KMT_FLEET_FUEL_PETROL = 1,
    KMT_FLEET_FUEL_DIESEL = 2,
    KMT_FLEET_FUEL_ELECTRIC = 3,
    KMT_FLEET_FUEL_HYBRID = 4,
    KMT_FLEET_FUEL_PLUGIN = 5,
    KMT_FLEET_FUEL_BIOGAS = 6,
    KMT_FLEET_FUEL_HVO = 7,
    KMT_FLEET_FUEL_NONE = 8
};

/* ---- input ---------------------------------------------------------------- */

typedef struct kmt_fleet_trip {
    int64_t start, end; /* seconds, [start, end); end >= start */
    int32_t vehicle;    /* index into vehicles, -1 = private car */
    int32_t site;       /* site where it starts, -1 unknown */
    int32_t end_site;   /* site where it ends (= site for a round trip), -1 unknown */
    int32_t dept;       /* department index, -1 unknown */
    int32_t m;          /* length in metres (>= 0) */
    uint8_t kind;       /* kind the trip needs (kind of its vehicle; car for private) */
} kmt_fleet_trip;

typedef struct kmt_fleet_vehicle {
    int32_t site; /* home site, -1 none */
    int32_t dept; /* owner department, -1 none */
    uint8_t kind, fuel;
    int32_t range_m;       /* electric range in metres, 0 if none/unknown */
    double fixed_per_year; /* yearly fixed cost (leasing, insurance, tax) */
    double cost_per_km;    /* variable cost per km (fuel/electricity, wear) */
    double wh_per_km;      /* electric consumption, 0 if not electric */
    double km_per_litre;   /* fuel economy, 0 if unknown or electric */
    uint8_t excluded;      /* 1: out of service in the period or outside the
                               * selection: not a current vehicle, not placed,
                               * not assessed (its trips still count as demand) */
} kmt_fleet_vehicle;

typedef struct kmt_fleet_site {
    kmt_coord pos; /* NaN if unknown (then it is never pooled) */
} kmt_fleet_site;

/* The data of one analysis. Trips need not be sorted. */
typedef struct kmt_fleet_input {
    const kmt_fleet_trip *trips;
    size_t ntrips;
    const kmt_fleet_vehicle *vehicles;
    size_t nvehicles;
    const kmt_fleet_site *sites;
    size_t nsites;
    int32_t ndepts;
    int64_t from, to; /* the period [from, to), whole days; to > from */
} kmt_fleet_input;

/* Checks indices, times and lengths. Returns 0 or KMT_EINVAL with e naming
 * the first bad trip or vehicle (by index). */
int kmt_fleet_input_check(const kmt_fleet_input *in, kmt_error *e);
/* Days in the period (at least 1). */
int64_t kmt_fleet_days(const kmt_fleet_input *in);

/* ---- report --------------------------------------------------------------- */

typedef struct kmt_fleet_report_opts {
    int work_start_s, work_end_s; /* working hours within a day, e.g. 7*3600, 17*3600 */
    int work_days;                /* working weekdays from Monday: 5 = Mon-Fri, 7 = all */
    double low_util;              /* utilisation below this is listed as low (e.g. 0.1) */
} kmt_fleet_report_opts;
void kmt_fleet_report_opts_default(kmt_fleet_report_opts *o);

/* Usage of one vehicle, site or department. */
typedef struct kmt_fleet_usage {
    int32_t vehicles;      /* vehicles counted (1 for a vehicle row) */
    int32_t idle_vehicles; /* vehicles with no trip in the period */
    int64_t trips;
    int64_t days_used;         /* distinct days with a trip (sum over vehicles) */
    int64_t seconds_used;      /* time in use (union of its trips' intervals) */
    int64_t work_seconds_used; /* the part of it inside working hours */
    double km;
    double utilisation;     /* work_seconds_used / working seconds available */
    double utilisation_24h; /* seconds_used / seconds of the period */
} kmt_fleet_usage;

typedef struct kmt_fleet_report {
    kmt_fleet_usage *vehicle; /* nvehicles */
    kmt_fleet_usage *site;    /* nsites + 1 (last: no site) */
    kmt_fleet_usage *dept;    /* ndepts + 1 (last: no department) */
    kmt_fleet_usage total;
    size_t nvehicles, nsites, ndepts;
    int64_t work_seconds_per_vehicle; /* working seconds in the period */
    int64_t private_trips;            /* trips without a vehicle */
    double private_km;
} kmt_fleet_report;

/* Vehicle trips are attributed to the vehicle's home site and department
 * (its trips' site when it has none). Returns 0 or KMT_EINVAL. */
int kmt_fleet_report_run(const kmt_fleet_input *in, const kmt_fleet_report_opts *o, kmt_fleet_report *r, kmt_error *e);
void kmt_fleet_report_destroy(kmt_fleet_report *r);

/* ---- size ----------------------------------------------------------------- */

typedef struct kmt_fleet_size_opts {
    int64_t changeover_s;      /* a vehicle is free again at end + changeover */
    int any_kind;              /* 1: cars, vans, minibuses serve each other's trips */
    int include_private;       /* 1: private-car trips are demand too (need a car) */
    double pool_m;             /* sites closer than this share vehicles; 0 = no pooling */
    double walk_mps;           /* moving a car between pooled sites takes distance / this */
    double vehicle_cost_year;  /* cost of one vehicle a year, for the service curve */
    double uncovered_per_km;   /* price of a km not covered (mileage allowance, taxi) */
    double uncovered_per_trip; /* fixed price per uncovered trip (taxi start, rental day) */
    int curve;                 /* 1: compute the service-level curve per site */
} kmt_fleet_size_opts;
void kmt_fleet_size_opts_default(kmt_fleet_size_opts *o);

/* One point of the trade-off curve: with `vehicles` at the site. */
typedef struct kmt_fleet_curve_point {
    int32_t vehicles;
    int64_t uncovered_trips; /* fewest trips left uncovered with that many */
    double uncovered_km;     /* km of those trips */
    int64_t days_short;      /* days with an uncovered trip */
    double cost_year;        /* vehicles * vehicle cost + uncovered, annualised */
} kmt_fleet_curve_point;

typedef struct kmt_fleet_site_size {
    int32_t site;
    int32_t current_vehicles;             /* vehicles based at the site */
    int32_t min_vehicles;                 /* exact minimum serving all its trips alone */
    int32_t min_by_kind[KMT_FLEET_NKIND]; /* per need class (kind, or 0 = any) */
    int32_t min_vehicles_pooled;          /* vehicles attributed to it in the pooled cover */
    int32_t group;                        /* pooling group (sites sharing vehicles) */
    int64_t trips;
    int64_t peak_time; /* a moment when min_vehicles trips run (largest class) */
    int32_t *peak;     /* trip indices running at the peaks (npeak) */
    size_t npeak;
    kmt_fleet_curve_point *curve; /* 0 .. min_vehicles (ncurve) */
    size_t ncurve;
} kmt_fleet_site_size;

typedef struct kmt_fleet_group {
    int32_t *sites; /* site indices in the group */
    size_t nsites;
    int32_t min_alone;  /* sum of the sites' min_vehicles */
    int32_t min_pooled; /* exact minimum path cover of the group's trips */
    int32_t *witness;   /* min_pooled trips no two of which one vehicle can do */
    size_t nwitness;
} kmt_fleet_group;

typedef struct kmt_fleet_size {
    kmt_fleet_site_size *sites; /* one per input site */
    size_t nsites;
    kmt_fleet_group *groups;
    size_t ngroups;
    int64_t trips_used;         /* trips counted */
    int64_t trips_without_site; /* ignored: no site */
    int32_t current_total, min_total, min_pooled_total;
} kmt_fleet_size;

/*
 * Minimum fleet per site (maximum simultaneous use per need class, exact),
 * and per pooling group (sites linked by distances < pool_m) the minimum path
 * cover of the trip graph, n - maximum matching: trip i -> trip j when a
 * vehicle that is free at end_i + changeover at i's end site can reach j's
 * start site (walking time along the shortest chain of pooled sites) by
 * start_j. The witness is a maximum antichain (Dilworth, via König's
 * theorem), a certificate that fewer vehicles cannot do. Returns 0.
 */
int kmt_fleet_size_run(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, kmt_fleet_size *r, kmt_error *e);
void kmt_fleet_size_destroy(kmt_fleet_size *r);

/*
 * Minimum path cover of trips (indices `idx`, n of them) with the travel
 * delay between sites given by delay(a, b) seconds (-1 = not reachable).
 * Used by kmt_fleet_size_run and exposed for tests. `path_of` (may be NULL,
 * n entries) gets each trip's path number 0..cover-1 in the order of the
 * paths' first trips; `witness` (may be NULL, n entries) gets the antichain
 * as trip indices and *nwitness its size. Returns the cover size.
 */
typedef int64_t (*kmt_fleet_delay_fn)(int32_t a, int32_t b, void *ctx);
int32_t kmt_fleet_path_cover(const kmt_fleet_trip *trips, const int32_t *idx, size_t n, int64_t changeover_s,
                             kmt_fleet_delay_fn delay, void *ctx, int32_t *path_of, int32_t *witness, size_t *nwitness);

/*
 * Most trips of `idx` (n) that `vehicles` identical vehicles can serve
 * (exact: earliest-ready first, best-fit machine). covered (may be NULL, n)
 * gets 1/0 per trip. Returns the number covered.
 */
int64_t kmt_fleet_max_covered(const kmt_fleet_trip *trips, const int32_t *idx, size_t n, int32_t vehicles,
                              int64_t changeover_s, uint8_t *covered);

/* ---- place ---------------------------------------------------------------- */

typedef struct kmt_fleet_place_opts {
    kmt_fleet_size_opts size; /* changeover, kinds; demand per site from sizing */
    double move_cost_per_km;  /* one-off cost per km of moving a vehicle (default 3.79) */
    double unserved_per_trip; /* yearly value of a trip that no vehicle serves, 0 = from km */
    double uncovered_per_km;  /* used when unserved_per_trip is 0 */
} kmt_fleet_place_opts;
void kmt_fleet_place_opts_default(kmt_fleet_place_opts *o);

typedef struct kmt_fleet_place {
    int32_t *site_of;        /* per vehicle: new home site, -1 = surplus */
    double *move_km;         /* per vehicle: km from its old site */
    int32_t *slots_unfilled; /* per site: vehicles still missing */
    int64_t *trips_unserved; /* per site: yearly trips left without a vehicle */
    size_t nvehicles, nsites;
    int32_t moved, surplus;
    double move_km_total;
    double objective; /* moving cost + yearly value of unserved trips (minimised) */
} kmt_fleet_place;

/*
 * Assigns each vehicle to a site (or to surplus) minimising the one-off cost
 * of moving it plus the yearly value of trips that stay unserved. Demand of
 * site s is the slots r = 1..min_vehicles per need class; filling slot r
 * serves max_covered(r) - max_covered(r-1) trips (concave, so slots fill in
 * order). Solved exactly as a rectangular assignment problem (Hungarian
 * method with potentials). Returns 0.
 */
int kmt_fleet_place_run(const kmt_fleet_input *in, const kmt_fleet_place_opts *o, kmt_fleet_place *r, kmt_error *e);
void kmt_fleet_place_destroy(kmt_fleet_place *r);

/*
 * Exact minimum-cost assignment of rows to columns (rows <= cols), cost is
 * row-major rows x cols. assign[row] gets the column. Returns the total cost.
 */
double kmt_fleet_assign(const double *cost, int rows, int cols, int *assign);

/* ---- factors -------------------------------------------------------------- */

/* Money, energy and CO2 factors. The CLI fills them from the factors file
 * (docs/factors.md); kmt_fleet_factors_default gives the file's DK values,
 * the fallback when no file is found. */
typedef struct kmt_fleet_factors {
    double co2_g_per_litre[KMT_FLEET_NFUEL]; /* g CO2e per litre (per kWh for electric) */
    double kwh_per_litre[KMT_FLEET_NFUEL];   /* lower heating value */
    double price_per_litre[KMT_FLEET_NFUEL]; /* fuel price; electric: per kWh */
    double co2_g_per_kwh;                    /* electricity */
    double price_per_kwh;
    double co2_price_per_tonne;            /* shadow price */
    double allowance_per_km;               /* mileage allowance (private car) */
    double private_co2_g_per_km;           /* private car */
    double litres_per_km[KMT_FLEET_NFUEL]; /* assumed when a vehicle's km_per_litre is unknown */
    double kwh_per_km;                     /* assumed when an electric vehicle's wh_per_km is unknown */
} kmt_fleet_factors;
void kmt_fleet_factors_default(kmt_fleet_factors *f);

/* Yearly-rate figures of driving `km` with a vehicle/model. */
typedef struct kmt_fleet_energy {
    double kwh, co2_g, energy_cost;
} kmt_fleet_energy;
kmt_fleet_energy kmt_fleet_energy_of(const kmt_fleet_factors *f, uint8_t fuel, double wh_per_km, double km_per_litre,
                                     double km);

/* ---- ev ------------------------------------------------------------------- */

typedef struct kmt_fleet_ev_opts {
    double range_km;          /* nominal EV range (WLTP) */
    double margin;            /* safety margin, share of range kept (e.g. 0.1) */
    double winter_factor;     /* range multiplier in winter months (e.g. 0.7) */
    unsigned winter_months;   /* bit m (1..12) set = winter month */
    double ev_wh_per_km;      /* consumption of the replacement EV */
    double ev_fixed_per_year; /* its yearly fixed cost */
    double ev_cost_per_km;    /* its variable cost besides electricity (0 = only energy) */
    double bike_km;           /* trips shorter than this could go by (e-)bike */
    kmt_fleet_factors factors;
} kmt_fleet_ev_opts;
void kmt_fleet_ev_opts_default(kmt_fleet_ev_opts *o);

typedef struct kmt_fleet_ev_vehicle {
    int32_t vehicle;
    int32_t days_driven;
    int32_t days_failing; /* days whose km exceed the usable range */
    int64_t *fail_days;   /* day numbers (t / 86400), days_failing of them */
    double max_day_km;
    double km;    /* in the period */
    int suitable; /* 1: every day fits (and not already electric) */
    int already_electric;
    /* yearly figures (period scaled to 365 days): current vs EV */
    double cost_now, cost_ev, kwh_now, kwh_ev, co2_kg_now, co2_kg_ev;
    int64_t bike_trips; /* trips under bike_km */
    double bike_km;
} kmt_fleet_ev_vehicle;

typedef struct kmt_fleet_ev {
    kmt_fleet_ev_vehicle *v; /* one per input vehicle */
    size_t n;
    int32_t suitable, already_electric, unused;
    double d_cost_year, d_kwh_year, d_co2_kg_year; /* EV - now, over suitable vehicles */
    int64_t bike_trips;                            /* all trips under bike_km (yearly) */
    double bike_km_year, bike_co2_kg_year;
} kmt_fleet_ev;

/*
 * For each vehicle: the km of every day it drove (trips by start day), and
 * whether an EV with usable range = range * (1 - margin) (* winter_factor in
 * winter months) covers each day with one overnight charge at its site.
 * Returns 0 or KMT_EINVAL (range <= 0).
 */
int kmt_fleet_ev_run(const kmt_fleet_input *in, const kmt_fleet_ev_opts *o, kmt_fleet_ev *r, kmt_error *e);
void kmt_fleet_ev_destroy(kmt_fleet_ev *r);

/* ---- compose -------------------------------------------------------------- */

typedef struct kmt_fleet_model {
    char name[64];
    uint8_t kind, fuel;
    int32_t range_m; /* usable range per day in metres; 0 = unlimited (fuel) */
    double wh_per_km, km_per_litre;
    double fixed_per_year;
    double cost_per_km; /* besides energy (maintenance, tyres) */
    int32_t max_count;  /* at most this many (0 = no limit) */
} kmt_fleet_model;

typedef struct kmt_fleet_compose_opts {
    int64_t changeover_s;
    int any_kind;            /* cars/vans/minibuses interchangeable */
    int allow_uncovered;     /* 1: trips may stay uncovered at the allowance */
    double bike_max_km;      /* car trips up to this long may go by (e-)bike models; 0 = never */
    double co2_weight;       /* 0..10: CO2 valued at weight/5 * co2 price */
    int best;                /* how many fleets to return */
    int64_t max_evaluations; /* replays at most (0 = 20000) */
    int64_t max_nodes;       /* search nodes at most (0 = 4 million); beyond it a
                                * greedy fleet + local search, and a weaker bound */
    kmt_fleet_factors factors;
} kmt_fleet_compose_opts;
void kmt_fleet_compose_opts_default(kmt_fleet_compose_opts *o);

typedef struct kmt_fleet_fleet {
    int32_t *count; /* per model */
    int32_t vehicles;
    double cost_year; /* fixed + variable + uncovered, a year */
    double co2_kg_year, kwh_year;
    double objective; /* cost + weighted CO2 value */
    int64_t uncovered_trips;
    double uncovered_km;
    int verified; /* 1: the replay assigned every covered trip */
} kmt_fleet_fleet;

typedef struct kmt_fleet_compose {
    kmt_fleet_fleet *fleets; /* best first */
    size_t nfleets;
    size_t nmodels;
    double lower_bound; /* no fleet's objective can be below this */
    int64_t evaluated;  /* fleets replayed */
    int64_t candidates; /* fleets that passed the counting bounds */
    int exhaustive;     /* 1: every fleet whose bound beat the best was replayed */
    int64_t trips;
    int32_t *assignment;    /* best fleet: per trip the vehicle (-1 uncovered), ntrips */
    int32_t *vehicle_model; /* best fleet: per vehicle its model */
} kmt_fleet_compose;

/*
 * Chooses how many vehicles of each model the trips' group should have.
 * A fleet is feasible when its replay assigns every trip (or pays for the
 * uncovered ones): trips by start time, each to a free vehicle of a
 * compatible kind whose remaining range that day covers it (charging
 * overnight), preferring the smallest sufficient range, then the cheapest.
 * Fleets are enumerated in order of a counting lower bound (peak use per
 * kind and per range class, daily km per range class), replayed while their
 * bound is below the best objective found. Returns 0, or KMT_EINVAL (no
 * model, or a trip no model can serve and uncovered trips not allowed).
 */
int kmt_fleet_compose_run(const kmt_fleet_trip *trips, size_t ntrips, int64_t days, const kmt_fleet_model *models,
                          size_t nmodels, const kmt_fleet_compose_opts *o, kmt_fleet_compose *r, kmt_error *e);
void kmt_fleet_compose_destroy(kmt_fleet_compose *r);

/* Replay the trips on a given fleet (counts per model). Fills f's figures
 * and assignment/vehicle_model (may be NULL). Returns 1 if every trip is
 * covered, else 0. */
int kmt_fleet_replay(const kmt_fleet_trip *trips, size_t ntrips, int64_t days, const kmt_fleet_model *models,
                     size_t nmodels, const int32_t *count, const kmt_fleet_compose_opts *o, kmt_fleet_fleet *f,
                     int32_t *assignment, int32_t *vehicle_model);

#endif
