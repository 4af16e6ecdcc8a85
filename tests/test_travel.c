/* SPDX-License-Identifier: MPL-2.0 */
#include <math.h>
#include <stdlib.h>

#include "kommute/core.h"
#include "kommute/travel.h"
#include "test.h"
#include "travel_fixture.h"

KMT_TEST(travel_target_parse)
{
    kmt_travel_target_spec t;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_travel_target_parse("2015:-20%", &t, &e), 0);
    ASSERT_EQ_INT(t.year, 2015);
    ASSERT_EQ_INT(t.reduction_bp, 2000);
    ASSERT_EQ_INT(kmt_travel_target_parse("2020:-12.5%", &t, &e), 0);
    ASSERT_EQ_INT(t.reduction_bp, 1250);
    ASSERT_EQ_INT(kmt_travel_target_parse("2020:40", &t, &e), 0);
    ASSERT_EQ_INT(t.reduction_bp, 4000);
    ASSERT_EQ_INT(kmt_travel_target_parse("2020-40%", &t, &e), KMT_EUSAGE);
    ASSERT_EQ_INT(kmt_travel_target_parse("2020:-140%", &t, &e), KMT_EUSAGE);
    ASSERT_CONTAINS(e.msg, "0 to 100");
    ASSERT_EQ_INT(kmt_travel_target_parse("2020:+10%", &t, &e), KMT_EUSAGE);
    ASSERT_EQ_INT(kmt_travel_target_parse("2020:-10.125%", &t, &e), KMT_EUSAGE);
}

/* Four records with hand-computed totals (see the comments). */
KMT_TEST(travel_report_totals_by_hand)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    int32_t a = fixture_org(&d, "Org A", -1), b = fixture_org(&d, "Org B", -1);
    int32_t a1 = fixture_org(&d, "A1", a), a2 = fixture_org(&d, "A2", a);
    /* 100 km private car, 90 min: 50 kWh, 14,000 g, 379.00 DKK (allowance), 5,400 s */
    kmt_travel *r = fixture_rec(&d, "p1", a, a1, "2011-03-01", KMT_MODE_PRIVATE_CAR, 100, "meeting");
    r->travel_minutes = 90;
    /* 200 km train, cost 300 DKK: 16 kWh, 1,400 g, 300, 200/80 h = 9,000 s (estimated) */
    r = fixture_rec(&d, "p2", a, a2, "2011-03-15", KMT_MODE_TRAIN, 200, "meeting");
    r->cost = 300;
    memcpy(r->currency, "DKK", 4);
    /* 500 km flight, cost 1000 SEK (other currency: estimated at 0/km): 250 kWh, 127,500 g, 7,200 s */
    r = fixture_rec(&d, "p3", b, -1, "2012-07-01", KMT_MODE_FLIGHT, 500, "training");
    r->cost = 1000;
    memcpy(r->currency, "SEK", 4);
    /* 10 km bicycle 08:00-08:40: 0 kWh, 2,400 s, cost 0 */
    r = fixture_rec(&d, "p4", b, -1, "2012-07-02", KMT_MODE_BICYCLE, 10, "home visit");
    r->start = r->date + 8 * 3600;
    r->end = r->date + 8 * 3600 + 40 * 60;

    kmt_travel_opts o = { .factors = &f };
    kmt_travel_report rep;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), 0);
    ASSERT_EQ_INT(rep.year_from, 2011);
    ASSERT_EQ_INT(rep.nyears, 2);
    ASSERT_EQ_INT(rep.nscopes, 3);
    ASSERT_STR_EQ(rep.currency, "DKK");
    ASSERT_NEAR(rep.hours_per_fte, 1924, 0);
    const kmt_travel_totals *y = kmt_travel_year(&rep, 0, 0);
    ASSERT_EQ_INT(y->trips, 2);
    ASSERT_EQ_INT(y->m, 300000);
    ASSERT_NEAR(y->kwh, 66, 1e-9);
    ASSERT_NEAR(y->co2e_g, 15400, 1e-9);
    ASSERT_NEAR(y->cost, 679, 1e-9);
    ASSERT_EQ_INT(y->seconds, 14400);
    ASSERT_EQ_INT(y->hours_estimated, 1);
    ASSERT_EQ_INT(y->cost_estimated, 1);
    y = kmt_travel_year(&rep, 0, 1);
    ASSERT_EQ_INT(y->m, 510000);
    ASSERT_NEAR(y->kwh, 250, 1e-9);
    ASSERT_NEAR(y->co2e_g, 127500, 1e-9);
    ASSERT_NEAR(y->cost, 0, 1e-9);
    ASSERT_EQ_INT(y->seconds, 7200 + 2400);
    ASSERT_EQ_INT(rep.other_currency, 1);
    /* organisation A has 2011 only; B has 2012 only */
    ASSERT_EQ_INT(rep.scope_org[1], a);
    ASSERT_EQ_INT(kmt_travel_year(&rep, 1, 0)->m, 300000);
    ASSERT_EQ_INT(kmt_travel_year(&rep, 1, 1)->trips, 0);
    ASSERT_EQ_INT(kmt_travel_year(&rep, 2, 1)->m, 510000);
    /* months, modes, purposes, departments */
    ASSERT_EQ_INT(kmt_travel_month(&rep, 0, 0, 2)->trips, 2);
    ASSERT_EQ_INT(kmt_travel_month(&rep, 0, 1, 6)->trips, 2);
    ASSERT_EQ_INT(kmt_travel_mode(&rep, 0, 0, KMT_MODE_TRAIN)->m, 200000);
    ASSERT_EQ_INT(rep.npurposes, 3);
    ASSERT_STR_EQ(rep.purposes[0], "meeting");
    ASSERT_EQ_INT(kmt_travel_purpose(&rep, 0, 0, 0)->trips, 2);
    ASSERT_EQ_INT(rep.ndepts, 2);
    ASSERT_EQ_INT(rep.dept_scope[0], 1);
    ASSERT_EQ_INT(kmt_travel_dept(&rep, 0, 0)->m, 100000);
    ASSERT_EQ_INT(kmt_travel_dept(&rep, 1, 0)->m, 200000);
    ASSERT_EQ_INT(rep.factor_rows_used, 4);
    kmt_travel_report_destroy(&rep);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

/* DK allowance: 3.79/km up to 20,000 km per person and year, 2.23 above. */
KMT_TEST(travel_report_tiered_allowance)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    fixture_rec(&d, "p1", -1, -1, "2024-01-10", KMT_MODE_PRIVATE_CAR, 15000, "");
    fixture_rec(&d, "p2", -1, -1, "2024-02-10", KMT_MODE_PRIVATE_CAR, 25000, "");
    fixture_rec(&d, "p1", -1, -1, "2024-06-10", KMT_MODE_PRIVATE_CAR, 10000, "");
    fixture_rec(&d, "p1", -1, -1, "2025-01-10", KMT_MODE_PRIVATE_CAR, 1000, "");
    /* p3 claimed 18,000 km with their own cost; those km count toward the tier */
    kmt_travel *own = fixture_rec(&d, "p3", -1, -1, "2024-03-01", KMT_MODE_PRIVATE_CAR, 18000, "");
    own->cost = 60000;
    fixture_rec(&d, "p3", -1, -1, "2024-04-01", KMT_MODE_PRIVATE_CAR, 4000, "");
    kmt_travel_opts o = { .factors = &f };
    kmt_travel_report rep;
    kmt_error e;
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), 0);
    /* p1: 15,000 x 3.79 + (5,000 x 3.79 + 5,000 x 2.23); p2: 20,000 x 3.79 + 5,000 x 2.23 */
    double want =
        15000 * 3.79 + 5000 * 3.79 + 5000 * 2.23 + 20000 * 3.79 + 5000 * 2.23 + 60000 + 2000 * 3.79 + 2000 * 2.23;
    ASSERT_NEAR(kmt_travel_year(&rep, 0, 0)->cost, want, 1e-6);
    ASSERT_NEAR(kmt_travel_month(&rep, 0, 0, 5)->cost, 5000 * 3.79 + 5000 * 2.23, 1e-6);
    /* a new year starts below the tier again */
    ASSERT_NEAR(kmt_travel_year(&rep, 0, 1)->cost, 1000 * 3.79, 1e-6);
    kmt_travel_report_destroy(&rep);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

/* Baseline 1,000 km in 2011; a -20% target for 2015 is met at 800.000 km and
 * missed at 800.001 km; -40% for 2020 without 2020 data is provisional. */
static void target_case(double km2015, int want_met, int64_t want_gap_m)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    fixture_rec(&d, "p1", -1, -1, "2011-05-01", KMT_MODE_TRAIN, 600, "meeting");
    fixture_rec(&d, "p2", -1, -1, "2011-06-01", KMT_MODE_TRAIN, 400, "meeting");
    fixture_rec(&d, "p1", -1, -1, "2015-05-01", KMT_MODE_TRAIN, km2015, "meeting");
    kmt_travel_target_spec ts[2] = { { 2015, 2000 }, { 2020, 4000 } };
    kmt_travel_opts o = { .factors = &f, .baseline_year = 2011, .targets = ts, .ntargets = 2 };
    kmt_travel_report rep;
    kmt_error e;
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), 0);
    const kmt_travel_target *t = kmt_travel_scope_target(&rep, 0, 0);
    ASSERT_EQ_INT(t->baseline_m, 1000000);
    ASSERT_EQ_INT(t->target_m, 800000);
    ASSERT_EQ_INT(t->actual_year, 2015);
    ASSERT_EQ_INT(t->provisional, 0);
    ASSERT_EQ_INT(t->met, want_met);
    ASSERT_EQ_INT(t->gap_m, want_gap_m);
    ASSERT_NEAR(t->baseline_kwh, 80, 1e-9);
    ASSERT_NEAR(t->target_kwh, 64, 1e-9);
    t = kmt_travel_scope_target(&rep, 0, 1);
    ASSERT_EQ_INT(t->target_m, 600000);
    ASSERT_EQ_INT(t->actual_year, 2015);
    ASSERT_EQ_INT(t->provisional, 1);
    ASSERT_EQ_INT(t->met, 0);
    kmt_travel_report_destroy(&rep);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

KMT_TEST(travel_target_boundary_exact)
{
    target_case(800.000, 1, 0);
    target_case(800.001, 0, 1);
    target_case(799.999, 1, 0);
    target_case(1000, 0, 200000);
}

KMT_TEST(travel_report_errors)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    fixture_rec(&d, "p1", -1, -1, "2012-05-01", KMT_MODE_TRAIN, 10, "meeting");
    kmt_travel_target_spec ts[1] = { { 2015, 2000 } };
    kmt_travel_opts o = { .factors = &f, .baseline_year = 2011, .targets = ts, .ntargets = 1 };
    kmt_travel_report rep;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "no travel records in the baseline year 2011 (records cover 2012..2012)");
    o.baseline_year = 0;
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), KMT_EUSAGE);
    o.ntargets = 0;
    o.country = "FI";
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "country 'FI' is not in the factors file (version test-1)");
    /* unknown mode: km and trips counted, no energy */
    o.country = NULL;
    d.travel.v[0].mode = KMT_MODE_UNKNOWN;
    ASSERT_EQ_INT(kmt_travel_report_build(&d, &o, &rep, &e), 0);
    ASSERT_EQ_INT(rep.unknown_mode, 1);
    ASSERT_EQ_INT(kmt_travel_year(&rep, 0, 0)->m, 10000);
    ASSERT_NEAR(kmt_travel_year(&rep, 0, 0)->kwh, 0, 0);
    kmt_travel_report_destroy(&rep);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}
