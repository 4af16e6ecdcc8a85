/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The import commands' edge (src/cli/import.c): options, and running one of
 * the application layer's importers (include/kommute/app_import.h) on a file
 * in one transaction with the summary printed.
 */
#ifndef KOMMUTE_CLI_IMPORT_H
#define KOMMUTE_CLI_IMPORT_H

#include "io/rows.h" /* strmap, the row readers */
#include "kommute/app_import.h"

#define KMT_DEFAULT_MUNICIPALITY KMT_APP_DEFAULT_MUNICIPALITY

typedef struct import_opts {
    kmt_app_import_opts app; /* municipality, skip_bad_rows, gazetteer */
    const char *db;
    const char *mapping;
} import_opts;

/* Print "what FILE: N new, N updated, N duplicates, N skipped" to stdout and
 * each skipped row to stderr; free the messages. */
void kmt__import_summary(kmt_app_import_report *st, const char *what, const char *file);

/* Open the file and mapping, the store, run fn in one transaction (rolled
 * back on any error), print the summary. Returns a KMT_EXIT_* code. */
typedef int (*import_fn)(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                         kmt_app_import_report *st, kmt_error *e);
int kmt__import_file(const char *what, const char *file, const import_opts *o, import_fn fn);

#endif
