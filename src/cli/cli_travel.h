/* SPDX-License-Identifier: MPL-2.0 */
/* Shared by the travel commands (cmd_travel_*.c, travel_html.c). */
#ifndef KOMMUTE_CLI_TRAVEL_H
#define KOMMUTE_CLI_TRAVEL_H

#include <stdio.h>

#include "kommute/json.h"
#include "kommute/travel.h"

/* Open the store read-only and load the travel records (of one organisation
 * name, or all when NULL). d is initialised here; destroy it after use. */
int kmt__travel_load(const char *db, const char *organisation, kmt_dataset *d, kmt_error *e);
/* Run fn on standard output, or atomically into path (NULL or "-" = stdout). */
int kmt__travel_output(const char *path, int (*fn)(FILE *, void *), void *ctx, kmt_error *e);
/* trips, km, kwh, co2e_kg, cost, hours members of an open JSON object. */
void kmt__travel_json_totals(kmt_json *j, const kmt_travel_totals *t);
/* Open the top object: "report", "kommute" (version) and
 * "factors": {file, version, rows, rows_used, country, currency}. */
void kmt__travel_json_head(kmt_json *j, const char *report, const kmt_factors *f, const char *path,
                           const char *country, const char *currency, int64_t rows_used);
/* The self-contained HTML report (inline CSS and SVG charts, no network). */
int kmt__travel_html(FILE *out, const kmt_travel_report *r, const kmt_dataset *d, const kmt_factors *f,
                     const char *factors_path, const char *hours_source);
/* A CSV field, quoted when it holds a comma, quote or line break. */
/* Collect every --target YEAR:-PCT% of argv into ts (kmt_cli_parse keeps only
 * the last); prints a usage error and returns KMT_EXIT_USAGE on a bad one. */
int kmt__travel_targets(int argc, char **argv, kmt_travel_target_spec *ts, int max, int *n);
/* HTML-escaped text. */
void kmt__html_text(FILE *out, const char *s);

#endif
