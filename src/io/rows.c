/* SPDX-License-Identifier: MPL-2.0 */
/* The importers' row readers without the store (see rows.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/rows.h"
#include "kommute/limits.h"

/* ---- the clock parser ---------------------------------------------------------- */

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

int kmt__parse_clock(const char *s, int *sec)
{
    int h = 0, mi = 0, se = 0, n = 0;
    /* the usual H:MM, HH:MM, H:MM:SS, HH:MM:SS (digits only) without sscanf,
     * read exactly as the sscanf formats below read them */
    const char *p = s;
    while (p - s < 2 && digit(*p)) h = h * 10 + (*p++ - '0');
    if (p > s && p[0] == ':' && digit(p[1]) && digit(p[2])) {
        mi = (p[1] - '0') * 10 + (p[2] - '0');
        if (p[3] == ':' && digit(p[4]) && digit(p[5]) && !p[6])
            se = (p[4] - '0') * 10 + (p[5] - '0');
        else if (p[3])
            p = NULL; /* anything else: the general path */
        if (p) {
            if (h > 24 || mi > 59 || se > 59) return KMT_EINVAL;
            *sec = h * 3600 + mi * 60 + se;
            return 0;
        }
    }
    h = mi = se = 0;
    char tail = 0;
    n = sscanf(s, "%2d:%2d:%2d%c", &h, &mi, &se, &tail);
    if (n < 2) n = sscanf(s, "%2d.%2d%c", &h, &mi, &tail) >= 2 && !tail ? 2 : 0;
    if (n < 2 || n == 4 || h < 0 || h > 24 || mi < 0 || mi > 59 || se < 0 || se > 59) return KMT_EINVAL;
    *sec = h * 3600 + mi * 60 + se;
    return 0;
}

/* ---- carpool requests ------------------------------------------------------ */

enum { C_ID, C_PERSON, C_DEPT, C_OLON, C_OLAT, C_DLON, C_DLAT, C_ED, C_LA, C_SEATS, C_DRIVE, C_N };
static const char *const POOL_COLS[C_N] = { "request_id",     "person",   "department", "origin_lon",
                                            "origin_lat",     "dest_lon", "dest_lat",   "earliest_departure",
                                            "latest_arrival", "seats",    "can_drive" };

static int yes_no(kmt_csv *c, int col, int *out, kmt_error *e)
{
    const char *v = kmt_csv_field(c, col);
    if (!*v) return 0;
    static const char *const YES[] = { "yes", "y", "true", "1", "ja", "j" };
    static const char *const NO[] = { "no", "n", "false", "0", "nej", "nei" };
    for (size_t i = 0; i < 6; i++) {
        if (!strcasecmp(v, YES[i])) return *out = 1, 0;
        if (!strcasecmp(v, NO[i])) return *out = 0, 0;
    }
    return kmt_csv_error(c, col, e, "expected yes or no");
}

int kmt__pool_read_requests(kmt_csv *c, size_t max_rows, kmt__pool_requests *in, kmt_error *e)
{
    int rc = 0;
    int ix[C_N];
    kmt_csv_bind(c, NULL, "pool", POOL_COLS, C_N, ix, e);
    static const int REQ[] = { C_ID, C_OLON, C_OLAT, C_DLON, C_DLAT, C_ED, C_LA };
    for (size_t i = 0; i < sizeof REQ / sizeof *REQ && !rc; i++)
        rc = kmt_csv_require(c, ix[REQ[i]], POOL_COLS[REQ[i]], e);
    strmap ids = { 0 };
    while (!rc && (rc = kmt_csv_next(c, e)) == 1) {
        rc = 0;
        kmt_pool_request q;
        memset(&q, 0, sizeof q);
        const char *id = kmt_csv_field(c, ix[C_ID]);
        if (!*id) {
            rc = kmt_csv_error(c, ix[C_ID], e, "a request needs an id");
            break;
        }
        int32_t prev = kmt__strmap_get(&ids, id);
        if (prev >= 0) {
            rc = kmt_csv_error(c, ix[C_ID], e, "duplicate request id (first on line %ld)", in->line.v[prev]);
            break;
        }
        if (max_rows && in->r.n >= max_rows) {
            kmt_csv_error(c, ix[C_ID], e, "more than %zu requests; this installation's limit is %zu", max_rows,
                          max_rows);
            rc = e->code = KMT_ETOOBIG;
            break;
        }
        q.id = kmt_arena_strdup(&in->arena, id);
        q.person = kmt_arena_strdup(&in->arena, kmt_csv_field(c, ix[C_PERSON]));
        q.department = kmt_arena_strdup(&in->arena, kmt_csv_field(c, ix[C_DEPT]));
        if ((rc = kmt_csv_coord(c, ix[C_OLON], ix[C_OLAT], 1, &q.origin, e))) break;
        if ((rc = kmt_csv_coord(c, ix[C_DLON], ix[C_DLAT], 1, &q.dest, e))) break;
        if ((rc = kmt_csv_time_in(c, ix[C_ED], KMT_LIM_YEAR_MIN, KMT_LIM_YEAR_MAX, &q.earliest_departure, e)) <= 0) {
            if (!rc) rc = kmt_csv_error(c, ix[C_ED], e, "earliest_departure is required");
            break;
        }
        if ((rc = kmt_csv_time_in(c, ix[C_LA], KMT_LIM_YEAR_MIN, KMT_LIM_YEAR_MAX, &q.latest_arrival, e)) <= 0) {
            if (!rc) rc = kmt_csv_error(c, ix[C_LA], e, "latest_arrival is required");
            break;
        }
        rc = 0;
        if (q.latest_arrival < q.earliest_departure) {
            rc = kmt_csv_error(c, ix[C_LA], e, "latest_arrival is before earliest_departure");
            break;
        }
        long seats = 1;
        if ((rc = kmt_csv_int(c, ix[C_SEATS], &seats, e)) < 0) break;
        rc = 0;
        if (seats < 1 || seats > KMT_LIM_SEATS_MAX) {
            rc = kmt_csv_error(c, ix[C_SEATS], e, "expected 1 to %d seats", KMT_LIM_SEATS_MAX);
            break;
        }
        q.seats = (int)seats;
        q.can_drive = 1;
        if ((rc = yes_no(c, ix[C_DRIVE], &q.can_drive, e))) break;
        KMT_VEC_PUSH(in->r, q);
        KMT_VEC_PUSH(in->line, kmt_csv_line(c));
        kmt__strmap_put(&ids, in->r.v[in->r.n - 1].id, (int32_t)(in->r.n - 1));
    }
    kmt__strmap_free(&ids);
    return rc < 0 ? rc : 0;
}

/* ---- GPS points ------------------------------------------------------------- */

const char *const kmt__gps_cols[KMT_GPS_NCOLS] = { "vehicle_id", "time", "lon", "lat", "speed", "ignition" };

static int parse_ignition(const char *s, int *out)
{
    static const char *const on[] = { "1", "on", "true", "yes", "ja", "ok", "t", NULL };
    static const char *const off[] = { "0", "off", "false", "no", "nej", "nei", "f", NULL };
    if (!*s) {
        *out = -1;
        return 0;
    }
    for (int i = 0; on[i]; i++)
        if (strcasecmp(s, on[i]) == 0) return *out = 1, 0;
    for (int i = 0; off[i]; i++)
        if (strcasecmp(s, off[i]) == 0) return *out = 0, 0;
    return KMT_EINVAL;
}

int kmt__gps_parse_row(kmt_csv *c, const int *ix, kmt_gps_point *p, kmt_error *e)
{
    double v;
    int r, rc = 0;
    p->speed_kmh = NAN;
    p->ignition = -1;
    if ((r = kmt_csv_time_in(c, ix[KMT_GPS_TIME], KMT_LIM_YEAR_MIN, KMT_LIM_YEAR_MAX, &p->t, e)) <= 0)
        rc = r ? r : kmt_csv_error(c, ix[KMT_GPS_TIME], e, "time is empty");
    else if ((r = kmt_csv_number(c, ix[KMT_GPS_LON], &p->pos.lon, e)) <= 0 ||
             (r = kmt_csv_number(c, ix[KMT_GPS_LAT], &p->pos.lat, e)) <= 0)
        rc = r ? r : kmt_csv_error(c, -1, e, "lon and lat are needed");
    else if (!kmt_geo_valid(p->pos))
        rc = kmt_csv_error(c, ix[KMT_GPS_LAT], e, "coordinate out of range");
    else if ((r = kmt_csv_number_in(c, ix[KMT_GPS_SPEED], 0, KMT_LIM_SPEED_KMH_MAX, &v, e)) < 0)
        rc = r;
    else {
        if (r) p->speed_kmh = v;
        if (parse_ignition(kmt_csv_field(c, ix[KMT_GPS_IGN]), &p->ignition))
            rc = kmt_csv_error(c, ix[KMT_GPS_IGN], e, "expected ignition 1/0, on/off or true/false");
    }
    return rc == 1 ? 0 : rc;
}

static int cmp_point(const void *a, const void *b)
{
    const kmt_gps_point *x = a, *y = b;
    if (x->vehicle != y->vehicle) return x->vehicle < y->vehicle ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

void kmt__gps_sort(kmt_gps_point *pts, size_t n)
{
    if (n) qsort(pts, n, sizeof *pts, cmp_point);
}

/* ---- travel records --------------------------------------------------------- */

const char *const kmt__travel_cols[R_N] = { "record_id",     "person",   "organisation", "department", "date",
                                            "start_time",    "end_time", "from_place",   "to_place",   "from_lon",
                                            "from_lat",      "to_lon",   "to_lat",       "km",         "mode",
                                            "fuel",          "purpose",  "meeting_id",   "cost",       "currency",
                                            "travel_minutes" };

/* A time column that is a full date-time or only a clock time on `date`. */
static int time_on(kmt_csv *c, int col, kmt_time date, kmt_time *out, kmt_error *e)
{
    const char *f = kmt_csv_field(c, col);
    int sec;
    if (!*f) return 0;
    if (date != KMT_TIME_NONE && kmt__parse_clock(f, &sec) == 0) {
        *out = date + sec;
        return 1;
    }
    return kmt_csv_time(c, col, out, e);
}

int kmt__travel_parse_row(kmt_csv *c, const kmt_mapping *m, const int *ix, kmt_travel *r, kmt_error *e)
{
    kmt_travel_init(r);
    r->key = kmt_csv_field(c, ix[R_ID]);
    r->person = kmt_csv_field(c, ix[R_PERSON]);
    r->from_place = kmt_csv_field(c, ix[R_FROM]);
    r->to_place = kmt_csv_field(c, ix[R_TO]);
    r->purpose = kmt_csv_field(c, ix[R_PURPOSE]);
    r->meeting_id = kmt_csv_field(c, ix[R_MEETING]);
    int rc;
    if ((rc = kmt_csv_time(c, ix[R_DATE], &r->date, e)) < 0) return rc;
    if ((rc = time_on(c, ix[R_START], r->date, &r->start, e)) < 0) return rc;
    if ((rc = time_on(c, ix[R_END],
                      r->date != KMT_TIME_NONE    ? r->date
                      : r->start == KMT_TIME_NONE ? KMT_TIME_NONE
                                                  : kmt_time_midnight(r->start),
                      &r->end, e)) < 0)
        return rc;
    if (r->date == KMT_TIME_NONE && r->start != KMT_TIME_NONE) r->date = kmt_time_midnight(r->start);
    if (r->date == KMT_TIME_NONE)
        return kmt_csv_error(c, ix[R_DATE] >= 0 ? ix[R_DATE] : ix[R_START], e, "a travel record needs a date");
    r->date = kmt_time_midnight(r->date);
    if (r->date < kmt_time_make(KMT_LIM_YEAR_MIN, 1, 1, 0, 0, 0) ||
        r->date >= kmt_time_make(KMT_LIM_YEAR_MAX + 1, 1, 1, 0, 0, 0))
        return kmt_csv_error(c, ix[R_DATE], e, "date outside the accepted range %d-%d", KMT_LIM_YEAR_MIN,
                             KMT_LIM_YEAR_MAX);
    if (r->start != KMT_TIME_NONE && r->end != KMT_TIME_NONE && r->end < r->start)
        return kmt_csv_error(c, ix[R_END], e, "end_time is before start_time");
    if (r->end != KMT_TIME_NONE && r->end - r->date > KMT_LIM_TRIP_DAYS_MAX * KMT_DAY)
        return kmt_csv_error(c, ix[R_END], e, "end_time is more than %d days after the date", KMT_LIM_TRIP_DAYS_MAX);
    if ((rc = kmt_csv_coord(c, ix[R_FLON], ix[R_FLAT], 0, &r->from, e))) return rc;
    if ((rc = kmt_csv_coord(c, ix[R_TLON], ix[R_TLAT], 0, &r->to, e))) return rc;
    if ((rc = kmt_csv_number(c, ix[R_KM], &r->km, e)) <= 0)
        return rc ? rc : kmt_csv_error(c, ix[R_KM], e, "km is empty");
    if (r->km < 0 || r->km > KMT_LIM_TRAVEL_KM_MAX)
        return kmt_csv_error(c, ix[R_KM], e, "km must be from 0 to %g", KMT_LIM_TRAVEL_KM_MAX);
    const char *mode = kmt_mapping_value(m, "travel", "mode", kmt_csv_field(c, ix[R_MODE]));
    if (kmt_mode_parse(mode, &r->mode) || r->mode == KMT_MODE_UNKNOWN)
        return kmt_csv_error(
            c, ix[R_MODE], e,
            "unknown mode: expected fleet_car, private_car, taxi, bus, train, flight, bicycle or walk");
    const char *fuel = kmt_mapping_value(m, "travel", "fuel", kmt_csv_field(c, ix[R_FUEL]));
    if (kmt_fuel_parse(fuel, &r->fuel))
        return kmt_csv_error(c, ix[R_FUEL], e,
                             "unknown fuel: expected petrol, diesel, electric, hybrid, plug-in, biogas, HVO or none");
    double cost;
    if ((rc = kmt_csv_number_in(c, ix[R_COST], 0, KMT_LIM_TRAVEL_COST_MAX, &cost, e)) < 0) return rc;
    if (rc) r->cost = cost;
    const char *cur = kmt_csv_field(c, ix[R_CUR]);
    if (strlen(cur) > 3) return kmt_csv_error(c, ix[R_CUR], e, "expected a 3-letter currency code");
    memcpy(r->currency, cur, strlen(cur) + 1); /* at most 3 letters, checked above */
    long minutes;
    if ((rc = kmt_csv_int(c, ix[R_MIN], &minutes, e)) < 0) return rc;
    if (rc) {
        if (minutes < 0 || minutes > KMT_LIM_TRAVEL_MINUTES_MAX)
            return kmt_csv_error(c, ix[R_MIN], e, "expected 0 to %d minutes", KMT_LIM_TRAVEL_MINUTES_MAX);
        r->travel_minutes = (int)minutes;
    }
    return 0;
}
