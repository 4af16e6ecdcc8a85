/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Stop detection: telematics points to trips. A stay is a run of points
 * that all lie within stop_radius_m of the run's first point and lasts at
 * least min_stop_s (stay-point detection as in the GPS trajectory
 * literature); points with ignition off are stays too; a gap in the data
 * longer than max_gap_s separates two trips. Trips are the moving stretches
 * between stays.
 */
#include <math.h>
#include <string.h>

#include "kommute/model.h"

void kmt_stop_opts_default(kmt_stop_opts *o)
{
    *o = (kmt_stop_opts){ .min_stop_s = 300, .stop_radius_m = 150, .max_gap_s = 900, .min_trip_m = 300 };
}

typedef KMT_VEC(kmt_trip) trip_vec;

static void emit(trip_vec *out, const kmt_gps_point *pts, size_t s, size_t e, const kmt_stop_opts *p)
{
    if (e <= s) return;
    double m = 0;
    for (size_t k = s + 1; k <= e; k++) m += kmt_geo_haversine_m(pts[k - 1].pos, pts[k].pos);
    if (m < p->min_trip_m) return;
    kmt_trip t;
    kmt_trip_init(&t);
    t.vehicle = pts[s].vehicle;
    t.start = pts[s].t;
    t.end = pts[e].t;
    t.from = pts[s].pos;
    t.to = pts[e].pos;
    t.km = m / 1000.0;
    KMT_VEC_PUSH(*out, t);
}

/* Trips of one vehicle's points [a, b). */
static void one_vehicle(const kmt_gps_point *pts, size_t a, size_t b, const kmt_stop_opts *p, unsigned char *stopped,
                        trip_vec *out)
{
    memset(stopped + a, 0, b - a);
    for (size_t i = a; i < b;) {
        size_t j = i;
        while (j + 1 < b && pts[j + 1].t - pts[j].t <= p->max_gap_s &&
               kmt_geo_haversine_m(pts[i].pos, pts[j + 1].pos) <= p->stop_radius_m)
            j++;
        if (j > i && pts[j].t - pts[i].t >= p->min_stop_s) {
            memset(stopped + i, 1, j - i + 1);
            i = j + 1;
        } else {
            i++;
        }
    }
    for (size_t k = a; k < b; k++)
        if (pts[k].ignition == 0) stopped[k] = 1;

    long start = -1; /* first point of the trip being built */
    for (size_t k = a; k < b; k++) {
        int gap = k > a && pts[k].t - pts[k - 1].t > p->max_gap_s;
        if (gap && start >= 0) {
            emit(out, pts, (size_t)start, k - 1, p);
            start = -1;
        }
        if (stopped[k]) {
            if (start >= 0) emit(out, pts, (size_t)start, k, p);
            start = -1;
        } else if (start < 0) {
            start = (long)((k > a && stopped[k - 1] && !gap) ? k - 1 : k);
        }
    }
    if (start >= 0) emit(out, pts, (size_t)start, b - 1, p);
}

long kmt_gps_detect_trips(const kmt_gps_point *pts, size_t n, const kmt_stop_opts *p, kmt_trip **out)
{
    kmt_stop_opts def;
    kmt_stop_opts_default(&def);
    if (!p) p = &def;
    *out = NULL;
    for (size_t k = 1; k < n; k++)
        if (pts[k].vehicle < pts[k - 1].vehicle || (pts[k].vehicle == pts[k - 1].vehicle && pts[k].t < pts[k - 1].t))
            return KMT_EINVAL;
    trip_vec v = { 0 };
    unsigned char *stopped = kmt_malloc(n ? n : 1);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && pts[b].vehicle == pts[a].vehicle) b++;
        one_vehicle(pts, a, b, p, stopped, &v);
        a = b;
    }
    kmt_free(stopped);
    *out = v.v;
    return (long)v.n;
}
