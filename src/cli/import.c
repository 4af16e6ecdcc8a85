/* SPDX-License-Identifier: MPL-2.0 */
/* The import commands' edge: the file, the mapping and the store opened, the
 * application layer's importer run in one transaction, the summary printed
 * (src/app/import.c does the rows). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "import.h"
#include "kommute/app_import.h"

void kmt__import_summary(kmt_app_import_report *st, const char *what, const char *file)
{
    for (size_t i = 0; i < st->skipped_msgs.n; i++) fprintf(stderr, "kommute: skipped: %s\n", st->skipped_msgs.v[i]);
    kmt_app_import_report_destroy(st);
    printf("imported %s from %s: %ld rows, %ld new, %ld updated, %ld duplicates, %ld skipped\n", what, file, st->rows,
           st->inserted, st->updated, st->duplicates, st->skipped);
}

int kmt__import_file(const char *what, const char *file, const import_opts *o, import_fn fn)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_csv *c = NULL;
    kmt_mapping *m = NULL;
    kmt_store *s = NULL;
    kmt_app_import_report st = { 0 };
    int64_t muni;
    int rc = kmt_csv_open(&c, file, NULL, &e);
    if (!rc && o->mapping) rc = kmt_mapping_load(&m, o->mapping, &e);
    if (!rc) rc = kmt_store_open(&s, o->db, KMT_STORE_READWRITE | KMT_STORE_TRUSTED_IDS, &e);
    if (!rc) rc = kmt_store_begin(s, &e);
    if (!rc) rc = kmt_store_municipality(s, o->app.municipality, &muni, &e);
    if (!rc) rc = fn(c, m, s, muni, &o->app, &st, &e);
    if (!rc) rc = kmt_store_log_import(s, muni, what, file, st.inserted + st.updated, st.duplicates, st.skipped, &e);
    if (!rc) rc = kmt_store_commit(s, &e);
    if (rc) {
        if (s) kmt_store_rollback(s);
        kmt_app_import_report_destroy(&st);
        kmt_store_close(s);
        kmt_mapping_destroy(m);
        kmt_csv_close(c);
        int exit = kmt_cli_error(&e);
        if (e.line > 0 && !o->app.skip_bad_rows)
            fprintf(stderr, "kommute: nothing was imported (fix the row, or use --skip-bad-rows)\n");
        return exit;
    }
    if (c && kmt_csv_encoding(c)[0] == 'w') KMT_LOG(KMT_LOG_INFO, "%s: read as Windows-1252 (not valid UTF-8)", file);
    kmt_store_close(s);
    kmt_mapping_destroy(m);
    kmt_csv_close(c);
    kmt__import_summary(&st, what, file);
    return KMT_EXIT_OK;
}
