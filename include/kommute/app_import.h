/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Imports as use cases of the application layer: canonical (or mapped) CSV
 * rows of sites, vehicles, trips and travel records into an opened store,
 * inside the caller's transaction, with the bad-row policy (a file with bad
 * rows imports nothing unless skip_bad_rows) and counts for the report. The
 * edge (the import commands; later the API's uploads) opens the file, the
 * mapping and the store, and commits or rolls back.
 * Threads: one store, one call at a time. Errors: the first bad row's
 * kmt_error (file, line, column, field, value) unless skip_bad_rows.
 */
#ifndef KOMMUTE_APP_IMPORT_H
#define KOMMUTE_APP_IMPORT_H

#include <stdint.h>

#include "kommute/csv.h"
#include "kommute/model.h"
#include "kommute/store.h"

#define KMT_APP_DEFAULT_MUNICIPALITY "Kommune"

typedef struct kmt_app_import_opts {
    const char *municipality; /* the tenant the rows belong to */
    int skip_bad_rows;        /* 1: a bad row is noted and skipped; 0: it stops the import */
    const char *gazetteer;    /* travel: a CSV place,lon,lat the edge names (trusted), or NULL */
} kmt_app_import_opts;

/* What an import did; release with kmt_app_import_report_destroy. */
typedef struct kmt_app_import_report {
    long rows, inserted, updated, duplicates, skipped;
    KMT_VEC(char *) skipped_msgs; /* one message per skipped row */
} kmt_app_import_report;

void kmt_app_import_report_destroy(kmt_app_import_report *r);
/* A bad row: with skip_bad_rows note it (message from e) and return 0,
 * else return e's code so the caller rolls back. */
int kmt_app_import_bad_row(kmt_app_import_report *st, const kmt_app_import_opts *o, const kmt_error *e);
/* kmt_store_bulk_end, adding the outcome of queued rows to the counts. */
int kmt_app_import_bulk_end(kmt_store *s, kmt_app_import_report *st, kmt_error *e);
/* Count a put result (KMT_PUT_*; KMT_PUT_QUEUED is counted by kmt_app_import_bulk_end). */
void kmt_app_import_count(kmt_app_import_report *st, int put);

/* The importers: read every row of c (mapped by m, may be NULL) and put it
 * into s for municipality muni. Trips need d to hold the municipality's
 * sites and vehicles (kmt_store_load_fleet). Return 0 or the error of the
 * first bad row (unless o->skip_bad_rows). */
int kmt_app_import_trips(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_dataset *d,
                         const kmt_app_import_opts *o, kmt_app_import_report *st, kmt_error *e);
int kmt_app_import_travel(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                          kmt_app_import_report *st, kmt_error *e);
int kmt_app_import_sites(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                         kmt_app_import_report *st, kmt_error *e);
int kmt_app_import_vehicles(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                            kmt_app_import_report *st, kmt_error *e);

#endif
