/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Finding and loading the factors file for commands that report energy,
 * CO2e and money (travel, fleet). Shared by the cli commands.
 */
#ifndef KOMMUTE_CLI_FACTORS_H
#define KOMMUTE_CLI_FACTORS_H

#include "kommute/app.h"
#include "kommute/factors.h"

#define KMT_FACTORS_DEFAULT KMT_APP_FACTORS_DEFAULT

/*
 * Load the factors file. path: the --factors value, or NULL for the default,
 * which is searched in this order: $KOMMUTE_FACTORS; <binary dir>/../data/factors/;
 * <binary dir>/../share/kommute/factors/; ./data/factors/. The path actually
 * used is copied into used (size n) for the report. Returns 0, or a KMT_E*
 * code with e naming the file (and row/field for bad content).
 * A wrapper of kmt_app_load_factors (include/kommute/app.h) with the
 * command line's context, kept until the travel and pool commands call that.
 */
int kmt_cli_load_factors(const char *path, kmt_factors *f, char *used, size_t n, kmt_error *e);

#endif
