/* SPDX-License-Identifier: MPL-2.0 */
/* Internal helpers shared by the fleet engines. */
#ifndef KOMMUTE_FLEET_INT_H
#define KOMMUTE_FLEET_INT_H

#include "kommute/fleet.h"

/* Floor division of a time by a day: the day number. */
static inline int64_t kmt__fleet_day(int64_t t)
{
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* Need class of a trip: its kind, or 0 ("motor vehicle") for cars, vans,
 * minibuses and unknown when kinds are interchangeable. */
static inline int kmt__fleet_class(uint8_t kind, int any_kind)
{
    if (kind >= KMT_FLEET_NKIND) kind = 0;
    if (any_kind && kind <= KMT_FLEET_KIND_MINIBUS) return 0;
    return kind;
}

/* When a trip's vehicle is free again: end + changeover, and at least one
 * second after the start (a zero-length logbook row still needs a car). */
static inline int64_t kmt__fleet_ready(const kmt_fleet_trip *t, int64_t c)
{
    int64_t r = t->end + c;
    return r > t->start ? r : t->start + 1;
}

/* Sort idx[0..n) by (trips[i].start, i). */
void kmt__fleet_sort_by_start(const kmt_fleet_trip *trips, int32_t *idx, size_t n);
/* Sort idx[0..n) by key[i] then i (key indexed by trip index). */
void kmt__fleet_sort_by_key(const int64_t *key, int32_t *idx, size_t n);

/* Trips grouped by vehicle: trips of vehicle v are by[off[v] .. off[v+1]),
 * each group sorted by start. Returns by (caller frees both). */
int32_t *kmt__fleet_by_vehicle(const kmt_fleet_input *in, size_t **off);

/* Peak simultaneous use of trips idx (n) with changeover c: returns the peak,
 * *when the first moment it is reached; active (may be NULL, room for n)
 * gets the trips running then and *nactive their count. */
int32_t kmt__fleet_peak(const kmt_fleet_trip *trips, const int32_t *idx, size_t n, int64_t c, int64_t *when,
                        int32_t *active, size_t *nactive);

#endif
