/* SPDX-License-Identifier: MPL-2.0 */
/* Small hand-made factors and data sets for the travel tests. */
#ifndef KOMMUTE_TRAVEL_FIXTURE_H
#define KOMMUTE_TRAVEL_FIXTURE_H

#include <math.h>
#include <string.h>

#include "kommute/factors.h"
#include "kommute/model.h"
#include "test.h"

/* Factors with round numbers: private car 0.5 kWh/km, 140 g/km, 3.79/km up to
 * 20,000 km then 2.23; train 0.08 kWh, 7 g, 80 km/h; flight 0.5 kWh, 255 g,
 * 250 km/h; bicycle 0; country DK (DKK, 1,924 h per FTE). */
static const char fixture_factors[] =
    "{\"format\":\"kommute-factors\",\"format_version\":1,\"version\":\"test-1\","
    "\"default_country\":\"DK\","
    "\"countries\":[{\"country\":\"DK\",\"currency\":\"DKK\",\"hours_per_fte\":1924,"
    "\"hours_source\":\"37x52\"}],"
    "\"factors\":["
    "{\"country\":\"*\",\"mode\":\"fleet_car\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
    "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,\"cost_per_km\":3,"
    "\"cost_source\":\"c\",\"cost_year\":2024},"
    "{\"country\":\"*\",\"mode\":\"fleet_car\",\"fuel\":\"electric\",\"basis\":\"vehicle_km\","
    "\"kwh_per_km\":0.2,\"co2e_g_per_km\":20,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,"
    "\"cost_per_km\":3,\"cost_source\":\"c\",\"cost_year\":2024},"
    "{\"country\":\"*\",\"mode\":\"private_car\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
    "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,"
    "\"cost_per_km\":3.79,\"cost_tier_km\":20000,\"cost_per_km_above\":2.23,"
    "\"cost_source\":\"Skatteraadet\",\"cost_year\":2024},"
    "{\"country\":\"*\",\"mode\":\"taxi\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
    "\"co2e_g_per_km\":140,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024},"
    "{\"country\":\"*\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.1,"
    "\"co2e_g_per_km\":27,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024},"
    "{\"country\":\"*\",\"mode\":\"train\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.08,"
    "\"co2e_g_per_km\":7,\"speed_kmh\":80,\"source\":\"s\",\"year\":2024},"
    "{\"country\":\"*\",\"mode\":\"flight\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"
    "\"co2e_g_per_km\":255,\"speed_kmh\":250,\"source\":\"s\",\"year\":2024},"
    "{\"country\":\"*\",\"mode\":\"bicycle\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0,"
    "\"co2e_g_per_km\":0,\"speed_kmh\":15,\"source\":\"s\",\"year\":2024},"
    "{\"country\":\"*\",\"mode\":\"walk\",\"basis\":\"passenger_km\",\"kwh_per_km\":0,"
    "\"co2e_g_per_km\":0,\"speed_kmh\":5,\"source\":\"s\",\"year\":2024}]}";

static inline void fixture_load_factors(kmt_factors *f)
{
    kmt_error e;
    kmt_error_init(&e);
    int rc = kmt_factors_parse(fixture_factors, strlen(fixture_factors), "test", f, &e);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "fixture factors: %s", e.msg);
}

static inline int32_t fixture_org(kmt_dataset *d, const char *name, int32_t parent)
{
    kmt_org o = { 0 };
    o.name = name;
    o.parent = parent;
    o.level = parent < 0 ? 0 : 1;
    KMT_VEC_PUSH(d->orgs, o);
    return (int32_t)d->orgs.n - 1;
}

/* Append a record; returns it for further fields. date "YYYY-MM-DD". */
static inline kmt_travel *fixture_rec(kmt_dataset *d, const char *person, int32_t org, int32_t dept, const char *date,
                                      kmt_mode mode, double km, const char *purpose)
{
    kmt_travel r;
    kmt_travel_init(&r);
    r.person = person;
    r.organisation = org;
    r.department = dept;
    kmt_time t;
    if (kmt_time_parse(date, &t, NULL) != 0) kmt_test_fail(__FILE__, __LINE__, "bad date %s", date);
    r.date = kmt_time_midnight(t);
    r.mode = mode;
    r.km = km;
    r.purpose = purpose;
    KMT_VEC_PUSH(d->travel, r);
    return &d->travel.v[d->travel.n - 1];
}

#endif
