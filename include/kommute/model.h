/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The domain model: municipalities, organisations (municipality ->
 * administration/department), sites, vehicles, trips and travel records,
 * plus the time convention every module shares.
 *
 * Conventions (see docs/data.md):
 * - Times are kmt_time: int64 seconds of LOCAL wall-clock time, counted as if
 *   the local clock were UTC ("naive local seconds"): 2024-03-05T08:30:00 in
 *   a logbook is kmt_time_make(2024,3,5,8,30,0) whatever the time zone. So a
 *   day is exactly 86400 s, t / 86400 is the local day and weekdays and hours
 *   need no time-zone table. The price: an interval that spans a daylight-
 *   saving change is off by one hour (logbooks record wall-clock times too).
 *   KMT_TIME_NONE marks "not given" (or "open" for in-service dates).
 * - Distances are km as double (logbook rows give km; metres of a road graph
 *   divide by 1000). Money in the currency of the row/municipality.
 * - Missing coordinates are NaN (kmt_geo_valid() returns 0 for them).
 *   Missing optional numbers are 0 unless a field says otherwise.
 * - Every row carries `municipality`, the id of the tenant that owns it, so
 *   several municipalities can share one database.
 * - `id` fields are the store's stable integer ids (> 0; 0 = not stored).
 *   References between rows of one loaded kmt_dataset are array indices
 *   (int32, -1 = none), which is what engines want in hot loops.
 * - Strings are UTF-8, never NULL ("" when empty); in a kmt_dataset they live
 *   in its arena.
 */
#ifndef KOMMUTE_MODEL_H
#define KOMMUTE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/geo.h"

/* ---- time ---------------------------------------------------------------- */

typedef int64_t kmt_time;
#define KMT_TIME_NONE INT64_MIN
#define KMT_DAY 86400

/* Broken-down local time. */
typedef struct kmt_civil {
    int year, month, day;     /* month 1-12, day 1-31 */
    int hour, minute, second; /* 0-23, 0-59, 0-59 */
    int weekday;              /* 0 = Monday ... 6 = Sunday (ISO) */
    int yday;                 /* 0-based day of the year */
} kmt_civil;

/* Seconds for a civil date and time (proleptic Gregorian, no range check). */
kmt_time kmt_time_make(int year, int month, int day, int hour, int minute, int second);
/* Split t into civil fields. t must not be KMT_TIME_NONE. */
kmt_civil kmt_time_civil(kmt_time t);
/* Day number (days since 1970-01-01, floor) and midnight of t's day. */
int64_t kmt_time_day(kmt_time t);
kmt_time kmt_time_midnight(kmt_time t);
/* ISO weekday 0 = Monday ... 6 = Sunday. */
int kmt_time_weekday(kmt_time t);
/*
 * Parse a date or date-time: "2024-03-05", "2024-03-05T08:30[:00]",
 * "2024-03-05 08:30", "05-03-2024", "05.03.2024", "05/03/2024" (day first),
 * each with an optional " HH:MM[:SS]" or "THH:MM[:SS]" and an ignored
 * fractional second, trailing "Z" or "+01:00" offset (dropped: times stay
 * local wall-clock). Returns 0, or KMT_EINVAL if the text is not such a date
 * or a field is out of range (month 13, 31 February, hour 24 except 24:00:00).
 * *has_time (may be NULL) is set to 1 when a time of day was present.
 */
int kmt_time_parse(const char *s, kmt_time *out, int *has_time);
/* "YYYY-MM-DDTHH:MM:SS" (or "" for KMT_TIME_NONE) into buf (>= 20 bytes); returns buf. */
char *kmt_time_format(kmt_time t, char *buf, size_t n);
/* "YYYY-MM-DD" into buf (>= 11 bytes); returns buf. */
char *kmt_time_format_date(kmt_time t, char *buf, size_t n);

/* ---- enums --------------------------------------------------------------- */

typedef enum kmt_vehicle_kind {
    KMT_KIND_UNKNOWN = 0,
    KMT_KIND_CAR,
    KMT_KIND_VAN,
    KMT_KIND_MINIBUS,
    KMT_KIND_EBIKE,
    KMT_KIND_BIKE,
    KMT_KIND_COUNT
} kmt_vehicle_kind;

typedef enum kmt_fuel {
    KMT_FUEL_UNKNOWN = 0,
    KMT_FUEL_PETROL,
    KMT_FUEL_DIESEL,
    KMT_FUEL_ELECTRIC,
    KMT_FUEL_HYBRID, /* self-charging hybrid: burns petrol */
    KMT_FUEL_PLUGIN, /* plug-in hybrid */
    KMT_FUEL_BIOGAS,
    KMT_FUEL_HVO,
    KMT_FUEL_NONE, /* muscle power: bicycles, walking */
    KMT_FUEL_COUNT
} kmt_fuel;

typedef enum kmt_mode {
    KMT_MODE_UNKNOWN = 0,
    KMT_MODE_FLEET_CAR,
    KMT_MODE_PRIVATE_CAR,
    KMT_MODE_TAXI,
    KMT_MODE_BUS,
    KMT_MODE_TRAIN,
    KMT_MODE_FLIGHT,
    KMT_MODE_BICYCLE,
    KMT_MODE_WALK,
    KMT_MODE_COUNT
} kmt_mode;

/* Canonical names ("car", "e-bike", "plug-in", "fleet_car", ...); "unknown" for 0. */
const char *kmt_vehicle_kind_name(kmt_vehicle_kind k);
const char *kmt_fuel_name(kmt_fuel f);
const char *kmt_mode_name(kmt_mode m);
/*
 * Parse a name, case-insensitive, accepting the canonical name and common
 * Danish/Swedish/Norwegian/English synonyms ("bil", "varevogn", "elcykel",
 * "benzin", "bensin", "el", "elbil", "tog", "fly", "cykel", "sykkel", ...).
 * Returns 0 and sets *out, or KMT_EINVAL (out unchanged) for an unknown name.
 * An empty string gives KMT_*_UNKNOWN and 0.
 */
int kmt_vehicle_kind_parse(const char *s, kmt_vehicle_kind *out);
int kmt_fuel_parse(const char *s, kmt_fuel *out);
int kmt_mode_parse(const char *s, kmt_mode *out);

/* ---- rows ---------------------------------------------------------------- */

/* A municipality (the tenant). Organisation level 0 hangs below it. */
typedef struct kmt_municipality {
    int64_t id;
    const char *name; /* e.g. "Syddjurs Kommune" */
} kmt_municipality;

/* An organisation unit: level 0 = the organisation (municipality, region,
 * county; the travel CSV's `organisation`), level 1 = administration or
 * department below it (the CSVs' `department`). */
typedef struct kmt_org {
    int64_t id;
    int64_t municipality;
    int32_t parent; /* index into dataset orgs, -1 for a top organisation */
    int level;      /* 0 organisation, 1 department */
    const char *name;
} kmt_org;

typedef struct kmt_site {
    int64_t id;
    int64_t municipality;
    const char *key; /* canonical `site` column: the export's site id/code */
    const char *name;
    kmt_coord pos; /* NaN if unknown */
} kmt_site;

typedef struct kmt_vehicle {
    int64_t id;
    int64_t municipality;
    const char *key; /* `vehicle_id`: the export's id (or the registration) */
    const char *registration;
    const char *make, *model;
    kmt_vehicle_kind kind;
    kmt_fuel fuel;
    double range_km;    /* electric range, 0 if unknown / not electric */
    int seats;          /* 0 if unknown */
    int32_t site;       /* home site: index into dataset sites, -1 none */
    int32_t department; /* owner: index into dataset orgs, -1 none */
    double fixed_cost_per_year;
    double cost_per_km;
    double wh_per_km;         /* electric consumption (WLTP), 0 if not electric */
    double km_per_litre;      /* fuel economy (WLTP), 0 if unknown / electric */
    kmt_time in_service_from; /* KMT_TIME_NONE = always */
    kmt_time in_service_to;   /* KMT_TIME_NONE = still in service; exclusive */
} kmt_vehicle;

/* One logbook row: a trip occupies its vehicle over [start, end). */
typedef struct kmt_trip {
    int64_t id;
    int64_t municipality;
    const char *key;    /* `trip_id`, "" if the export has none */
    int32_t vehicle;    /* index into dataset vehicles; -1 = private car */
    int32_t site;       /* where it starts and ends: index into sites, -1 unknown */
    int32_t department; /* index into orgs, -1 unknown */
    const char *driver; /* pseudonymous driver id */
    kmt_time start, end;
    kmt_coord from, to; /* NaN when the export has no coordinates */
    double km;
    const char *purpose;
    int passengers;                        /* besides the driver; 0 if unknown */
    const char *from_address, *to_address; /* address text when the log has it, else "" */
} kmt_trip;

/* One travel record (issue 5): a journey of one person. */
typedef struct kmt_travel {
    int64_t id;
    int64_t municipality;
    const char *key;      /* `record_id`, "" if none */
    const char *person;   /* pseudonymous */
    int32_t organisation; /* index into orgs (level 0), -1 unknown */
    int32_t department;   /* index into orgs (level 1), -1 unknown */
    kmt_time date;        /* midnight of the travel day */
    kmt_time start, end;  /* KMT_TIME_NONE if not given */
    const char *from_place, *to_place;
    kmt_coord from, to; /* NaN if not given */
    double km;
    kmt_mode mode;
    kmt_fuel fuel;          /* for fleet_car/private_car/taxi when known */
    const char *purpose;    /* "meeting", "home visit", "training", ... */
    const char *meeting_id; /* "" if none */
    double cost;            /* NaN if not given */
    char currency[4];       /* "DKK", "SEK", "NOK", "EUR" or "" */
    int travel_minutes;     /* -1 if not given */
} kmt_travel;

/* ---- a loaded data set ----------------------------------------------------- */

/*
 * Everything an analysis needs, as flat arrays. Filled by the store's load
 * functions (or by hand in tests). Index references (site, department,
 * vehicle, organisation) point into these arrays. Strings live in `arena`
 * (or anywhere that outlives the set when filled by hand).
 * kmt_dataset_init() zeroes it; kmt_dataset_destroy() frees arrays and arena.
 */
typedef struct kmt_dataset {
    kmt_arena arena;
    KMT_VEC(kmt_municipality) municipalities;
    KMT_VEC(kmt_org) orgs;
    KMT_VEC(kmt_site) sites;
    KMT_VEC(kmt_vehicle) vehicles;
    KMT_VEC(kmt_trip) trips;    /* sorted by start, then id */
    KMT_VEC(kmt_travel) travel; /* sorted by date, start, then id */
} kmt_dataset;

void kmt_dataset_init(kmt_dataset *d);
void kmt_dataset_destroy(kmt_dataset *d);
/* Copy s into the dataset's arena ("" for NULL). */
const char *kmt_dataset_str(kmt_dataset *d, const char *s);
/* Linear lookups by key/name (-1 if absent). Fine for setup, not hot loops. */
int32_t kmt_dataset_find_site(const kmt_dataset *d, const char *key);
int32_t kmt_dataset_find_vehicle(const kmt_dataset *d, const char *key);
int32_t kmt_dataset_find_org(const kmt_dataset *d, const char *name, int level);
/* Index of the site nearest to p (haversine), -1 if none has coordinates;
 * *dist_m (may be NULL) gets the distance. */
int32_t kmt_dataset_nearest_site(const kmt_dataset *d, kmt_coord p, double *dist_m);

/* Row initialisers: every field "not given" (NaN coords, -1 indices,
 * KMT_TIME_NONE times, "" strings). */
void kmt_vehicle_init(kmt_vehicle *v);
void kmt_site_init(kmt_site *s);
void kmt_trip_init(kmt_trip *t);
void kmt_travel_init(kmt_travel *r);

/* ---- telematics: GPS points to trips (stop detection) ---------------------- */

typedef struct kmt_gps_point {
    int32_t vehicle; /* caller's vehicle number (e.g. dataset index) */
    kmt_time t;
    kmt_coord pos;
    double speed_kmh; /* NaN if not given */
    int ignition;     /* 1 on, 0 off, -1 not given */
} kmt_gps_point;

/* Thresholds of the stop detection (docs/data.md explains them). */
typedef struct kmt_stop_opts {
    int min_stop_s;       /* a stay this long within stop_radius_m ends a trip (300) */
    double stop_radius_m; /* (150) */
    int max_gap_s;        /* no point for this long = the vehicle was parked (900) */
    double min_trip_m;    /* shorter movements are GPS jitter, not trips (300) */
} kmt_stop_opts;

void kmt_stop_opts_default(kmt_stop_opts *o);

/*
 * Turn GPS points into trips. pts must be sorted by vehicle, then time.
 * A trip ends where the vehicle stops: ignition turns off, or it stays within
 * stop_radius_m of one point for at least min_stop_s, or the data has a gap
 * longer than max_gap_s. The trip runs from the last point of one stop to
 * the first point of the next (the stay's first point), its km is the sum of
 * haversine steps between. Trips shorter than min_trip_m are dropped.
 * Output trips have vehicle = the points' vehicle, site/department -1,
 * key/driver/purpose "". Returns the number of trips (>= 0) with *out a new
 * array (kmt_free it), or KMT_EINVAL if pts are not sorted.
 */
long kmt_gps_detect_trips(const kmt_gps_point *pts, size_t n, const kmt_stop_opts *p, kmt_trip **out);

/* ---- the synthetic demo municipality -------------------------------------- */

enum { KMT_DEMO_SMALL = 0, KMT_DEMO_SYDDJURS = 1 };

/* Target yearly totals of the `syddjurs` scale (../shared/domain: Syddjurs
 * drives about 7.5 M km a year in service: 4.4 M in municipal vehicles,
 * 3.1 M in staff's private cars). `small` scales them by its vehicle count. */
#define KMT_DEMO_FLEET_KM 4400000.0
#define KMT_DEMO_PRIVATE_KM 3100000.0

/*
 * Fill d (initialised, empty) with a reproducible synthetic municipality on
 * the bundled Oslo-east road extract's area (bbox 10.708,59.860 -
 * 10.829,59.938): one municipality, departments, sites, vehicles, a year of
 * trips (calendar year `year`, sorted by start) with daily/weekly/holiday
 * patterns and home-care rounds, private-car trips, and travel records for
 * the years year-2 .. year (meetings with ids, recurring series, all modes).
 * The same seed, scale and year give the same data on every machine.
 * Index references are set; ids are 0 (not stored).
 */
void kmt_demo_generate(uint64_t seed, int scale, int year, kmt_dataset *d);

#endif
