/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The documented ranges of imported numbers (docs/data.md, "Ranges"). A
 * value outside its range is a bad row: the error names the file, line,
 * column and value. The ranges are wide enough for any real export and
 * narrow enough that no sum, product or formatted number downstream can
 * overflow or lose its meaning.
 */
#ifndef KOMMUTE_LIMITS_H
#define KOMMUTE_LIMITS_H

/* Calendar years of dated records (trips, GPS points, travel, pool requests). */
#define KMT_LIM_YEAR_MIN 1990
#define KMT_LIM_YEAR_MAX 2099
/* Calendar years of a vehicle's in-service dates (old vehicles stay in registers). */
#define KMT_LIM_SERVICE_YEAR_MIN 1950

/* vehicles and the fleet catalogue */
#define KMT_LIM_RANGE_KM_MAX 5000.0    /* electric range, km */
#define KMT_LIM_SEATS_MAX 100          /* seats of a vehicle, passengers of a trip */
#define KMT_LIM_FIXED_COST_MAX 1e9     /* fixed cost per year, currency */
#define KMT_LIM_COST_PER_KM_MAX 1e4    /* currency per km */
#define KMT_LIM_WH_PER_KM_MAX 5000.0   /* Wh per km */
#define KMT_LIM_KM_PER_LITRE_MAX 500.0 /* km per litre */
#define KMT_LIM_MODEL_COUNT_MAX 10000  /* max_count of a catalogue model */

/* trips and GPS */
#define KMT_LIM_TRIP_KM_MAX 5000.0  /* km of one fleet trip */
#define KMT_LIM_TRIP_DAYS_MAX 31    /* length of one trip, days */
#define KMT_LIM_SPEED_KMH_MAX 500.0 /* GPS speed, km/h */

/* travel records */
#define KMT_LIM_TRAVEL_KM_MAX 40000.0    /* km of one travel record */
#define KMT_LIM_TRAVEL_COST_MAX 1e7      /* cost of one travel record, currency */
#define KMT_LIM_TRAVEL_MINUTES_MAX 10080 /* travel_minutes: one week */

/* snapping: how far a coordinate may lie from the nearest road */
#define KMT_LIM_SNAP_M_DEFAULT 1000.0       /* an address or a click (route, table, map, plan) */
#define KMT_LIM_PLACE_SNAP_M_DEFAULT 5000.0 /* a carpool place: a farm or a cabin up a track */

#endif
