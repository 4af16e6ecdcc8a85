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
#define KMT_APP_FLEET_PERIOD_FIELDS                                                       \
    kmt_app_given given;                                                                  \
    int64_t from, to;  /* kmt_time; period [from, to) (defaults: the trips' first and last day) */ \
    const char *site   /* trips of this site only (NULL: all) */

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
    int64_t changeover_min;   /* minutes between two trips of one vehicle (0) */
    int any_kind;             /* cars, vans, minibuses serve each other's trips */
    int include_private;      /* private-car trips are demand for a car too */
    double pool_distance_m;   /* sites closer share vehicles (1000; 0 none) */
    double walk_kmh;          /* speed of moving a car to a pooled site (5) */
    double vehicle_cost;      /* yearly cost of a vehicle (given, else the fleet's average fixed cost, else 45000) */
    double uncovered_per_km;  /* price of an uncovered km (3.79) */
    double uncovered_per_trip; /* price per uncovered trip (0) */
    int64_t service_days;     /* vehicles needed when trips may go uncovered on at most K days (0) */
} kmt_app_fleet_size_req;

void kmt_app_fleet_size_req_default(kmt_app_fleet_size_req *q);

typedef struct kmt_app_fleet_size_result {
    kmt_app_fleet_data fd;
    kmt_fleet_size_opts opts; /* as run */
    kmt_fleet_size r;
    int64_t service_days;
    double seconds;           /* the engine's wall time */
} kmt_app_fleet_size_result;

int kmt_app_fleet_size(const kmt_app_ctx *c, const kmt_app_fleet_size_req *q, kmt_app_fleet_size_result *out,
                       kmt_error *e);
void kmt_app_fleet_size_json(const kmt_app_fleet_size_result *r, kmt_json *j);
void kmt_app_fleet_size_result_destroy(kmt_app_fleet_size_result *r);
/* Fewest vehicles of site s's service curve whose days_short <= k. */
int32_t kmt_app_fleet_size_for_service_days(const kmt_fleet_site_size *s, int64_t k);

extern const kmt_app_usecase kmt_app_fleet_size_usecase;

#endif
