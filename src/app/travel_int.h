/* SPDX-License-Identifier: MPL-2.0 */
/* Shared by the travel use cases (src/app/travel*.c); not public. */
#ifndef KOMMUTE_APP_TRAVEL_INT_H
#define KOMMUTE_APP_TRAVEL_INT_H

#include "kommute/app_travel.h"

/* Loads what both travel analyses need into t (zeroed here; destroy it with
 * kmt_app_travel_data_destroy also on failure): the targets of the
 * comma-separated list target (KMT_EUSAGE, field "target": a bad one, more
 * than KMT_APP_TRAVEL_MAX_TARGETS, targets without a baseline, and when
 * after_baseline a target year not after the baseline), the factors file,
 * the store's travel records of organisation (NULL: all), the country
 * (given, else guessed from the records) and the account of every year. */
int kmt__app_travel_load(const kmt_app_ctx *c, const char *target, int64_t baseline, int after_baseline,
                         const char *organisation, const char *country, double hours_per_fte, kmt_app_travel_data *t,
                         kmt_error *e);
/* trips, km, kwh, co2e_kg, cost, hours members of an open JSON object. */
void kmt__app_travel_json_totals(kmt_json *j, const kmt_travel_totals *t);
/* Opens the top object: "report", "kommute" (version) and
 * "factors": {file, version, rows, rows_used, country, currency}. */
void kmt__app_travel_json_head(kmt_json *j, const char *report, const kmt_app_travel_data *t);

#endif
