/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The row readers of the importers, without the store: a string map, the
 * clock parser, the carpool request reader, the GPS point row and the travel
 * record row. The commands (src/cli) put the results into the store or plan
 * on them; the fuzz targets (fuzz/targets.c) run them on any bytes.
 */
#ifndef KOMMUTE_IO_ROWS_H
#define KOMMUTE_IO_ROWS_H

#include "kommute/csv.h"
#include "kommute/model.h"
#include "kommute/pool.h"

/* String -> int32 map: core's kmt_map (keys copied); `strmap m = {0}` is empty. */
typedef kmt_map strmap;
static inline void kmt__strmap_put(strmap *m, const char *key, int32_t val)
{
    kmt_map_put_str(m, key, val);
}
/* -1 if absent */
static inline int32_t kmt__strmap_get(const strmap *m, const char *key)
{
    int64_t v;
    return kmt_map_get_str(m, key, &v) == 0 ? (int32_t)v : -1;
}
static inline void kmt__strmap_free(strmap *m)
{
    kmt_map_destroy(m);
}

/* Parse "HH:MM[:SS]" to seconds; 0 or KMT_EINVAL. */
int kmt__parse_clock(const char *s, int *sec);

/* ---- carpool requests (kommute pool plan) ---------------------------------- */

/* Requests read from a CSV: strings in arena, line[i] the file line of r[i].
 * The caller zeroes the struct and initialises arena; frees r, line, arena. */
typedef struct kmt__pool_requests {
    kmt_arena arena;
    KMT_VEC(kmt_pool_request) r;
    KMT_VEC(long) line;
} kmt__pool_requests;

/* Read every row of c (columns request_id, person, department, origin_lon,
 * origin_lat, dest_lon, dest_lat, earliest_departure, latest_arrival, seats,
 * can_drive) into in; more than max_rows requests (0: no limit) is
 * KMT_ETOOBIG. Returns 0, or the error of the first bad row (e names line
 * and column); does not close c. */
int kmt__pool_read_requests(kmt_csv *c, size_t max_rows, kmt__pool_requests *in, kmt_error *e);

/* ---- GPS points (kommute fleet import gps) --------------------------------- */

enum { KMT_GPS_VEH, KMT_GPS_TIME, KMT_GPS_LON, KMT_GPS_LAT, KMT_GPS_SPEED, KMT_GPS_IGN, KMT_GPS_NCOLS };
extern const char *const kmt__gps_cols[KMT_GPS_NCOLS];

/* Parse time, lon, lat, speed and ignition of the current row of c (columns
 * ix, bound to kmt__gps_cols) into p; p->vehicle is left to the caller.
 * Returns 0 or the row's error (e set). */
int kmt__gps_parse_row(kmt_csv *c, const int *ix, kmt_gps_point *p, kmt_error *e);
/* Sort points by vehicle, then time (the order kmt_gps_detect_trips needs). */
void kmt__gps_sort(kmt_gps_point *pts, size_t n);

/* ---- travel records (kommute travel import) -------------------------------- */

enum {
    R_ID,
    R_PERSON,
    R_ORG,
    R_DEPT,
    R_DATE,
    R_START,
    R_END,
    R_FROM,
    R_TO,
    R_FLON,
    R_FLAT,
    R_TLON,
    R_TLAT,
    R_KM,
    R_MODE,
    R_FUEL,
    R_PURPOSE,
    R_MEETING,
    R_COST,
    R_CUR,
    R_MIN,
    R_N
};
extern const char *const kmt__travel_cols[R_N];

/* Parse the current row of c (columns ix, bound to kmt__travel_cols through
 * m) into r: strings point into c's row (valid until the next row), the
 * organisation and department are left to the caller (fields R_ORG, R_DEPT).
 * Returns 0 or the row's error (e set). */
int kmt__travel_parse_row(kmt_csv *c, const kmt_mapping *m, const int *ix, kmt_travel *r, kmt_error *e);

#endif
