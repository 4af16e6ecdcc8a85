/* SPDX-License-Identifier: MPL-2.0 */
#include <stdlib.h>

#include "kommute/core.h"
#include "kommute/travel.h"
#include "test.h"
#include "travel_fixture.h"

/* A leg from `from` to `to` on date at hh:mm, taking minutes. */
static kmt_travel *leg(kmt_dataset *d, const char *person, const char *date, int hh, int mm, int minutes,
                       const char *from, const char *to, double km, const char *purpose, const char *mid)
{
    kmt_travel *r = fixture_rec(d, person, -1, -1, date, KMT_MODE_PRIVATE_CAR, km, purpose);
    r->start = r->date + hh * 3600 + mm * 60;
    r->end = r->start + minutes * 60;
    r->from_place = from;
    r->to_place = to;
    r->meeting_id = mid;
    return r;
}

/* Default options with factors f. */
static kmt_candidate_opts opts(const kmt_factors *f)
{
    kmt_candidate_opts o;
    kmt_candidate_opts_default(&o);
    o.factors = f;
    return o;
}

/* Run the engine, which must succeed. */
static void find(const kmt_dataset *d, const kmt_candidate_opts *o, kmt_candidates *c)
{
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_travel_candidates(d, o, c, &e) != 0) kmt_test_fail(__FILE__, __LINE__, "candidates: %s", e.msg);
}

static const kmt_candidate *find_dest(const kmt_candidates *c, const char *dest, kmt_time day)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].destination, dest) == 0 && (day == 0 || c->v[i].first == day)) return &c->v[i];
    return NULL;
}

/* Three people with meeting id M1 to Borlänge and back: one meeting, length
 * from the last arrival (09:40) to the first departure (12:00). */
KMT_TEST(travel_candidates_group_by_meeting_id)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    leg(&d, "a", "2024-03-05", 8, 30, 60, "Falun", "Borlänge", 50, "meeting", "M1");
    leg(&d, "b", "2024-03-05", 8, 40, 40, "Mora", "Borlänge", 100, "meeting", "M1");
    leg(&d, "c", "2024-03-05", 9, 0, 40, "Ludvika", "Borlänge", 60, "", "M1");
    leg(&d, "a", "2024-03-05", 12, 0, 60, "Borlänge", "Falun", 50, "meeting", "M1");
    leg(&d, "b", "2024-03-05", 12, 10, 40, "Borlänge", "Mora", 100, "meeting", "M1");
    leg(&d, "c", "2024-03-05", 12, 5, 40, "Borlänge", "Ludvika", 60, "", "M1");
    /* not part of it: another meeting id, and a home visit */
    leg(&d, "d", "2024-03-05", 9, 0, 30, "Falun", "Borlänge", 50, "meeting", "M2");
    leg(&d, "e", "2024-03-05", 9, 0, 30, "Falun", "Borlänge", 50, "home visit", "");
    kmt_candidate_opts o = opts(&f);
    kmt_candidates c;
    find(&d, &o, &c);
    ASSERT_EQ_INT(c.meetings, 2);
    ASSERT_EQ_INT(c.meeting_trips, 7);
    ASSERT_EQ_INT(c.n, 2);
    const kmt_candidate *m = &c.v[0];
    ASSERT_STR_EQ(m->meeting_id, "M1");
    ASSERT_STR_EQ(m->destination, "Borlänge");
    ASSERT_EQ_INT(m->grouping, KMT_GROUP_MEETING_ID);
    ASSERT_EQ_INT(m->people, 3);
    ASSERT_EQ_INT(m->saved.trips, 6);
    ASSERT_EQ_INT(m->saved.m, 420000);
    ASSERT_NEAR(m->saved.kwh, 210, 1e-9);
    ASSERT_NEAR(m->saved.co2e_g, 420 * 140, 1e-9);
    ASSERT_NEAR(m->saved.cost, 420 * 3.79, 1e-9);
    ASSERT_EQ_INT(m->saved.seconds, (60 + 40 + 40) * 2 * 60);
    ASSERT_NEAR(m->meeting_hours, 140.0 / 60.0, 1e-9);
    ASSERT_EQ_INT(m->meeting_hours_assumed, 0);
    ASSERT_NEAR(m->score, (280.0 / 60.0) / (140.0 / 60.0), 1e-9);
    /* M2 has one leg: length assumed */
    ASSERT_STR_EQ(c.v[1].meeting_id, "M2");
    ASSERT_EQ_INT(c.v[1].meeting_hours_assumed, 1);
    kmt_candidates_destroy(&c);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

/* Without ids: meeting-purpose trips to one place on one day, arrivals within
 * 90 minutes of the first, form a meeting; returns from there join it. */
KMT_TEST(travel_candidates_inferred_by_place_and_time)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    leg(&d, "a", "2024-03-05", 8, 0, 60, "Falun", "Ludvika", 60, "Möte", "");            /* arrives 09:00 */
    leg(&d, "b", "2024-03-05", 9, 0, 30, "Smedjebacken", "ludvika ", 20, "meeting", ""); /* 09:30, same place */
    leg(&d, "c", "2024-03-05", 12, 0, 60, "Mora", "Ludvika", 100, "meeting", "");        /* 13:00: another */
    leg(&d, "a", "2024-03-05", 11, 0, 60, "Ludvika", "Falun", 60, "Möte", "");           /* a's return */
    leg(&d, "b", "2024-03-05", 11, 30, 30, "Ludvika", "Smedjebacken", 20, "meeting", "");
    leg(&d, "x", "2024-03-05", 9, 0, 30, "Falun", "Ludvika", 60, "home visit", ""); /* not a meeting */
    leg(&d, "y", "2024-03-06", 8, 0, 60, "Falun", "Ludvika", 60, "meeting", "");    /* next day */
    kmt_candidate_opts o = opts(&f);
    kmt_candidates c;
    kmt_error e;
    find(&d, &o, &c);
    ASSERT_EQ_INT(c.meetings, 3);
    ASSERT_EQ_INT(c.meeting_trips, 6);
    kmt_time day;
    kmt_time_parse("2024-03-05", &day, NULL);
    const kmt_candidate *m = NULL;
    for (size_t i = 0; i < c.n; i++)
        if (c.v[i].people == 2) m = &c.v[i];
    ASSERT(m != NULL);
    ASSERT_EQ_INT(m->grouping, KMT_GROUP_INFERRED);
    ASSERT_EQ_INT(m->first, day);
    ASSERT_EQ_INT(m->saved.trips, 4);
    ASSERT_EQ_INT(m->saved.m, 160000);
    /* from the last arrival 09:30 to the first departure 11:00 */
    ASSERT_NEAR(m->meeting_hours, 1.5, 1e-9);
    ASSERT(find_dest(&c, "Ludvika", day) != NULL);
    /* a window of 0 minutes splits a and b */
    o.window_min = 0;
    kmt_candidates c2;
    ASSERT_EQ_INT(kmt_travel_candidates(&d, &o, &c2, &e), 0);
    ASSERT_EQ_INT(c2.meetings, 4);
    kmt_candidates_destroy(&c2);
    kmt_candidates_destroy(&c);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

/* A weekly meeting of the same four people at the region house is one series
 * and ranks before a single meeting with a better ratio. */
KMT_TEST(travel_candidates_series_first_and_what_if)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    const char *days[] = { "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29" };
    const char *people[] = { "a", "b", "c", "d" };
    char mid[4][16];
    for (int w = 0; w < 4; w++) {
        snprintf(mid[w], sizeof mid[w], "W%d", w + 1);
        for (int p = 0; p < 4; p++) {
            if (w == 2 && p == 3) continue; /* d missed one */
            leg(&d, people[p], days[w], 8, 0, 30, "Home", "Region house", 20, "meeting", mid[w]);
            leg(&d, people[p], days[w], 11, 0, 30, "Region house", "Home", 20, "meeting", mid[w]);
        }
    }
    /* one long trip for a short meeting: ratio 8 h / 1 h */
    leg(&d, "z", "2024-02-01", 6, 0, 240, "Mora", "Stockholm", 300, "meeting", "S1");
    leg(&d, "z", "2024-02-01", 11, 0, 240, "Stockholm", "Mora", 300, "meeting", "S1");
    kmt_candidate_opts o = opts(&f);
    kmt_candidates c;
    kmt_error e;
    find(&d, &o, &c);
    ASSERT_EQ_INT(c.meetings, 5);
    ASSERT_EQ_INT(c.n, 2);
    ASSERT_EQ_INT(c.v[0].is_series, 1);
    ASSERT_EQ_INT(c.v[0].occurrences, 4);
    ASSERT_EQ_INT(c.v[0].saved.trips, 30);
    ASSERT_EQ_INT(c.v[0].saved.m, 600000);
    ASSERT_NEAR(c.v[0].meeting_hours, 4 * 2.5, 1e-9);
    ASSERT_STR_EQ(c.v[1].meeting_id, "S1");
    ASSERT_NEAR(c.v[1].score, 8.0, 1e-9);
    /* what-if: 600 km come from the series, 600 more from S1 */
    ASSERT_EQ_INT(kmt_candidates_needed(&c, 0), 0);
    ASSERT_EQ_INT(kmt_candidates_needed(&c, 600000), 1);
    ASSERT_EQ_INT(kmt_candidates_needed(&c, 600001), 2);
    ASSERT_EQ_INT(kmt_candidates_needed(&c, 1200001), -1);
    /* with series_min 5 the weekly meetings rank one by one after S1 */
    o.series_min = 5;
    kmt_candidates c2;
    ASSERT_EQ_INT(kmt_travel_candidates(&d, &o, &c2, &e), 0);
    ASSERT_EQ_INT(c2.n, 5);
    ASSERT_STR_EQ(c2.v[0].meeting_id, "S1");
    kmt_candidates_destroy(&c2);
    kmt_candidates_destroy(&c);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

KMT_TEST(travel_candidates_empty)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_candidate_opts o = opts(&f);
    kmt_candidates c;
    find(&d, &o, &c);
    ASSERT_EQ_INT(c.n, 0);
    ASSERT_EQ_INT(kmt_candidates_needed(&c, 1), -1);
    kmt_candidates_destroy(&c);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}

/* Round-trip records (one record per person there and back, as the demo
 * writes them): the meeting lasts (end - start) - travel time. */
KMT_TEST(travel_candidates_round_trip_records_and_country)
{
    kmt_factors f;
    fixture_load_factors(&f);
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_travel *r = leg(&d, "a", "2024-03-05", 9, 0, 240, "Falun", "Mora", 160, "meeting", "R1");
    r->travel_minutes = 60;
    memcpy(r->currency, "DKK", 4);
    r = leg(&d, "b", "2024-03-05", 9, 30, 180, "Rättvik", "Mora", 80, "meeting", "R1");
    r->travel_minutes = 40;
    kmt_candidate_opts o = opts(&f);
    kmt_candidates c;
    find(&d, &o, &c);
    ASSERT_EQ_INT(c.n, 1);
    ASSERT_NEAR(c.v[0].meeting_hours, 3.0, 1e-9); /* 240 - 60 min; 180 - 40 = 140 min */
    ASSERT_EQ_INT(c.v[0].meeting_hours_assumed, 0);
    ASSERT_EQ_INT(c.v[0].saved.seconds, 100 * 60);
    kmt_candidates_destroy(&c);
    ASSERT_STR_EQ(kmt_travel_guess_country(&d, &f), "DK");
    memcpy(d.travel.v[0].currency, "EUR", 4);
    ASSERT(kmt_travel_guess_country(&d, &f) == NULL);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
}
