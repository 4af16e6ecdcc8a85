/* SPDX-License-Identifier: MPL-2.0 */
/* Internals shared by the travel engines (report.c, candidates.c). */
#ifndef KOMMUTE_TRAVEL_INT_H
#define KOMMUTE_TRAVEL_INT_H

#include "kommute/travel.h"

/* a += b */
void kmt__travel_add(kmt_travel_totals *a, const kmt_travel_totals *b);
/* 1 if the record's own cost can be used in the report currency. */
int kmt__travel_cost_usable(const kmt_travel *r, const char *currency);
/* Factor of every (mode, fuel) pair; NULL for mode 0 (unknown). */
void kmt__travel_factor_cache(const kmt_factors *fs, const char *country,
                              const kmt_factor *cache[KMT_TRAVEL_NMODES][KMT_FUEL_COUNT]);
/* Country, currency and hours per FTE of the factors file; error if the country is absent. */
int kmt__travel_setup(const kmt_factors *fs, const char *country_in, char country[4], char currency[4],
                      double *hours_per_fte, kmt_error *e);
/* km so far per (person, year), for tiered allowances: map entry i's km is km[i]. */
typedef struct kmt__tier_map {
    kmt_map map; /* (person, year) -> nothing; its entry index indexes km */
    double *km;  /* [cap] */
    size_t cap;
} kmt__tier_map;
void kmt__tier_init(kmt__tier_map *t);
void kmt__tier_free(kmt__tier_map *t);
/* Effective cost per km of record r under factor f (tiered per person and
 * year when f has a tier; records must come in date order). 0 for f NULL. */
double kmt__travel_cost_rate(kmt__tier_map *t, const kmt_travel *r, const kmt_factor *f, int year);

#endif
