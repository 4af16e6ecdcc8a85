/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What the import commands share: options, the bad-row policy (a file with
 * bad rows imports nothing unless --skip-bad-rows), the summary line, a
 * string -> index map, and the trip/travel row parsers used by both the
 * importers and the demo generator.
 */
#ifndef KOMMUTE_CLI_IMPORT_H
#define KOMMUTE_CLI_IMPORT_H

#include "kommute/csv.h"
#include "kommute/model.h"
#include "kommute/store.h"
#include "io/rows.h" /* strmap, kmt__parse_clock, the row readers */

#define KMT_DEFAULT_MUNICIPALITY "Kommune"

typedef struct import_opts {
    const char *db;
    const char *mapping;
    const char *municipality;
    int skip_bad;
    const char *gazetteer; /* travel: CSV place,lon,lat giving coordinates to place names */
} import_opts;

typedef struct import_stats {
    long rows, inserted, updated, duplicates, skipped;
    KMT_VEC(char *) skipped_msgs;
} import_stats;

/* A bad row: with --skip-bad-rows note it (message from e) and return 0,
 * else return e's code so the caller rolls back. */
int kmt__import_bad_row(import_stats *st, const import_opts *o, const kmt_error *e);
/* kmt_store_bulk_end, adding the outcome of queued rows to the counts. */
int kmt__import_bulk_end(kmt_store *s, import_stats *st, kmt_error *e);
/* Count a put result (KMT_PUT_*; KMT_PUT_QUEUED is counted by kmt__import_bulk_end). */
void kmt__import_count(import_stats *st, int put);
/* Print "what FILE: N new, N updated, N duplicates, N skipped" to stdout and
 * each skipped row to stderr; free the messages. */
void kmt__import_summary(import_stats *st, const char *what, const char *file);


/*
 * The trips importer's core, shared with `demo generate`: read canonical (or
 * mapped) trip rows from c and put them into s inside the caller's
 * transaction. d must hold the municipality's sites and vehicles (loaded
 * with kmt_store_load_fleet). Returns 0 or the error of the first bad row
 * (unless o->skip_bad).
 */
int kmt__import_trips(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni,
                      const kmt_dataset *d, const import_opts *o, import_stats *st, kmt_error *e);
int kmt__import_travel(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni,
                       const import_opts *o, import_stats *st, kmt_error *e);
int kmt__import_sites(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni,
                      const import_opts *o, import_stats *st, kmt_error *e);
int kmt__import_vehicles(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni,
                         const import_opts *o, import_stats *st, kmt_error *e);

/* Open the file and mapping, the store, run fn in one transaction (rolled
 * back on any error), print the summary. Returns a KMT_EXIT_* code. */
typedef int (*import_fn)(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni,
                         const import_opts *o, import_stats *st, kmt_error *e);
int kmt__import_file(const char *what, const char *file, const import_opts *o, import_fn fn);

#endif
