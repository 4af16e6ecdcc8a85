/* SPDX-License-Identifier: MPL-2.0 */
/* The data model: times, enumerations, GPS stop detection. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kommute/csv.h"
#include "kommute/json.h"
#include "kommute/model.h"
#include "kommute/store.h"
#include "test.h"

/* ---- time ---------------------------------------------------------------- */

KMT_TEST(model_time_roundtrip_and_weekday)
{
    kmt_time t = kmt_time_make(2024, 3, 5, 8, 30, 15);
    kmt_civil c = kmt_time_civil(t);
    ASSERT_EQ_INT(c.year, 2024);
    ASSERT_EQ_INT(c.month, 3);
    ASSERT_EQ_INT(c.day, 5);
    ASSERT_EQ_INT(c.hour, 8);
    ASSERT_EQ_INT(c.minute, 30);
    ASSERT_EQ_INT(c.second, 15);
    ASSERT_EQ_INT(c.weekday, 1); /* a Tuesday */
    ASSERT_EQ_INT(c.yday, 31 + 29 + 4);
    ASSERT_EQ_INT(kmt_time_make(1970, 1, 1, 0, 0, 0), 0);
    ASSERT_EQ_INT(kmt_time_weekday(kmt_time_make(1969, 12, 29, 12, 0, 0)), 0); /* Monday */
    ASSERT_EQ_INT(kmt_time_midnight(t), kmt_time_make(2024, 3, 5, 0, 0, 0));
    /* every day of 1900..2100 round-trips */
    for (int64_t d = kmt_time_day(kmt_time_make(1900, 1, 1, 0, 0, 0));
         d < kmt_time_day(kmt_time_make(2100, 1, 1, 0, 0, 0)); d += 1) {
        kmt_civil x = kmt_time_civil(d * KMT_DAY);
        ASSERT_EQ_INT(kmt_time_make(x.year, x.month, x.day, 0, 0, 0), d * KMT_DAY);
    }
    char buf[32];
    ASSERT_STR_EQ(kmt_time_format(t, buf, sizeof buf), "2024-03-05T08:30:15");
    ASSERT_STR_EQ(kmt_time_format_date(t, buf, sizeof buf), "2024-03-05");
}

KMT_TEST(model_time_parse_formats)
{
    kmt_time t, want = kmt_time_make(2024, 3, 5, 8, 30, 0);
    int has;
    const char *ok[] = { "2024-03-05T08:30",          "2024-03-05 08:30:00",     "05-03-2024 08:30",
                         "05.03.2024 08:30",          "5/3/2024 08:30",          "2024-03-05T08:30:00Z",
                         "2024-03-05T08:30:00+01:00", "2024-03-05T08:30:00.250", " 05.03.2024 08.30 " };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ASSERT_EQ_INT(kmt_time_parse(ok[i], &t, &has), 0);
        ASSERT_EQ_INT(t, want);
        ASSERT_EQ_INT(has, 1);
    }
    ASSERT_EQ_INT(kmt_time_parse("2024-03-05", &t, &has), 0);
    ASSERT_EQ_INT(has, 0);
    ASSERT_EQ_INT(t, kmt_time_make(2024, 3, 5, 0, 0, 0));
    const char *bad[] = { "2024-13-01",       "2023-02-29", "31.04.2024", "2024-03-05 25:00", "yesterday",
                          "2024-03-05 08:61", "05-03-24",   "",           "2024-03-05x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) ASSERT(kmt_time_parse(bad[i], &t, NULL) != 0);
    ASSERT_EQ_INT(kmt_time_parse("29.02.2024", &t, NULL), 0);
}

KMT_TEST(model_enum_names_and_synonyms)
{
    kmt_fuel f;
    kmt_vehicle_kind k;
    kmt_mode m;
    ASSERT_EQ_INT(kmt_fuel_parse("Benzin", &f), 0);
    ASSERT_EQ_INT(f, KMT_FUEL_PETROL);
    ASSERT_EQ_INT(kmt_fuel_parse("el", &f), 0);
    ASSERT_EQ_INT(f, KMT_FUEL_ELECTRIC);
    ASSERT_EQ_INT(kmt_fuel_parse("plug-in", &f), 0);
    ASSERT_EQ_INT(f, KMT_FUEL_PLUGIN);
    ASSERT(kmt_fuel_parse("coal", &f) != 0);
    ASSERT_EQ_INT(kmt_vehicle_kind_parse("Varevogn", &k), 0);
    ASSERT_EQ_INT(k, KMT_KIND_VAN);
    ASSERT_EQ_INT(kmt_mode_parse("tåg", &m), 0);
    ASSERT_EQ_INT(m, KMT_MODE_TRAIN);
    for (int i = 0; i < KMT_MODE_COUNT; i++) {
        ASSERT_EQ_INT(kmt_mode_parse(kmt_mode_name((kmt_mode)i), &m), 0);
        ASSERT_EQ_INT(m, i);
    }
    for (int i = 0; i < KMT_FUEL_COUNT; i++) {
        ASSERT_EQ_INT(kmt_fuel_parse(kmt_fuel_name((kmt_fuel)i), &f), 0);
        ASSERT_EQ_INT(f, i);
    }
    for (int i = 0; i < KMT_KIND_COUNT; i++) {
        ASSERT_EQ_INT(kmt_vehicle_kind_parse(kmt_vehicle_kind_name((kmt_vehicle_kind)i), &k), 0);
        ASSERT_EQ_INT(k, i);
    }
}

/* ---- GPS stop detection -------------------------------------------------- */

/* A synthetic track: parked, drive east, stop 10 min, drive north, park
 * (ignition off), drive back. Points every 30 s, ~10 m/s when driving. */
KMT_TEST(model_gps_stop_detection_finds_known_stops)
{
    KMT_VEC(kmt_gps_point) p = { 0 };
    kmt_time t = kmt_time_make(2024, 5, 6, 7, 0, 0);
    kmt_coord pos = { 10.75, 59.90 };
    const double dlon = 300 / (111320.0 * cos(59.9 * 3.14159265358979 / 180)); /* 300 m east per step */
    const double dlat = 300 / 110570.0;
    kmt_rng r;
    kmt_rng_seed(&r, 7);
#define PT(ign)                                                                                                        \
    do {                                                                                                               \
        kmt_gps_point g = { 1,                                                                                         \
                            t,                                                                                         \
                            { pos.lon + (kmt_rng_double(&r) - 0.5) * 2e-5,                                             \
                              pos.lat + (kmt_rng_double(&r) - 0.5) * 2e-5 },                                           \
                            NAN,                                                                                       \
                            ign };                                                                                     \
        KMT_VEC_PUSH(p, g);                                                                                            \
        t += 30;                                                                                                       \
    } while (0)
    for (int i = 0; i < 20; i++) PT(-1); /* 10 min parked */
    for (int i = 0; i < 20; i++) {
        pos.lon += dlon;
        PT(-1);
    }                                    /* 6 km east */
    for (int i = 0; i < 20; i++) PT(-1); /* 10 min stop */
    for (int i = 0; i < 10; i++) {
        pos.lat += dlat;
        PT(-1);
    }          /* 3 km north */
    PT(0);     /* ignition off */
    t += 3600; /* no data for an hour */
    for (int i = 0; i < 10; i++) {
        pos.lat -= dlat;
        PT(-1);
    }                                   /* 3 km back south */
    for (int i = 0; i < 3; i++) PT(-1); /* 1.5 min: not a stop */
    for (int i = 0; i < 20; i++) {
        pos.lon -= dlon;
        PT(-1);
    } /* 6 km west, home */
    for (int i = 0; i < 20; i++) PT(-1);
#undef PT
    kmt_trip *trips;
    long n = kmt_gps_detect_trips(p.v, p.n, NULL, &trips);
    ASSERT_EQ_INT(n, 3);
    ASSERT_NEAR(trips[0].km, 6.0, 0.1);
    ASSERT_EQ_INT(trips[0].start, p.v[19].t); /* last point of the first stay */
    ASSERT_EQ_INT(trips[0].end, p.v[39].t);   /* arrival: first point of the second stay */
    ASSERT_NEAR(trips[1].km, 3.0, 0.2);
    /* after the data gap the trip starts at the first new fix (300 m lost);
     * the short pause does not split it */
    ASSERT_NEAR(trips[2].km, 8.7, 0.1);
    ASSERT_EQ_INT(trips[2].vehicle, 1);
    kmt_free(trips);
    /* unsorted input is refused */
    kmt_gps_point tmp = p.v[0];
    p.v[0] = p.v[1];
    p.v[1] = tmp;
    ASSERT_EQ_INT(kmt_gps_detect_trips(p.v, p.n, NULL, &trips), KMT_EINVAL);
    KMT_VEC_FREE(p);
}
