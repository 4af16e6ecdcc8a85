/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Raw rows of the SQLite backend (see store_int.h): every column of a table
 * read and written by its declared type, in id order, ids kept. Used by
 * kmt_store_copy and kmt_store_checksum; the importers never come here.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "kommute/json.h"
#include "store_int.h"

static int err(kmt_store *s, kmt_error *e, const char *what, const kmt__store_table *t)
{
    return kmt_error_at(e, KMT_EIO, kmt__store_sqlite_path(s), 0, 0, NULL, "%s %s: %s", what, t->sql,
                        sqlite3_errmsg(kmt__store_sqlite_db(s)));
}

static void column_list(kmt_buf *b, const kmt__store_table *t)
{
    for (int c = 0; c < t->ncols; c++) kmt_buf_printf(b, "%s%s", c ? ", " : "", t->cols[c].name);
}

int kmt__sq_scan(kmt_store *s, const kmt__store_table *t, kmt__store_row_fn fn, void *ctx, kmt_error *e)
{
    kmt_buf b;
    kmt_buf_init(&b);
    kmt_buf_puts(&b, "SELECT ");
    column_list(&b, t);
    kmt_buf_printf(&b, " FROM %s ORDER BY id", t->sql);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(kmt__store_sqlite_db(s), b.data, -1, &st, NULL);
    kmt_buf_destroy(&b);
    if (rc != SQLITE_OK) return err(s, e, "reading", t);
    kmt__store_val row[32];
    int r;
    rc = 0;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < t->ncols; c++) {
            kmt__store_val *v = &row[c];
            v->null = sqlite3_column_type(st, c) == SQLITE_NULL;
            v->i = 0;
            v->r = 0;
            v->t = "";
            if (v->null) continue;
            if (t->cols[c].type == 'i')
                v->i = sqlite3_column_int64(st, c);
            else if (t->cols[c].type == 'r')
                v->r = sqlite3_column_double(st, c);
            else
                v->t = (const char *)sqlite3_column_text(st, c);
        }
        rc = fn(ctx, row, e);
    }
    if (!rc && r != SQLITE_DONE) rc = err(s, e, "reading", t);
    sqlite3_finalize(st);
    return rc;
}

int kmt__sq_raw_begin(kmt_store *s, const kmt__store_table *t, kmt_error *e)
{
    kmt_buf b;
    kmt_buf_init(&b);
    kmt_buf_printf(&b, "INSERT INTO %s(", t->sql);
    column_list(&b, t);
    kmt_buf_puts(&b, ") VALUES (");
    for (int c = 0; c < t->ncols; c++) kmt_buf_printf(&b, "%s?%d", c ? ", " : "", c + 1);
    kmt_buf_puts(&b, ")");
    sqlite3_finalize(s->raw);
    s->raw = NULL;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(kmt__store_sqlite_db(s), b.data, -1, &st, NULL);
    kmt_buf_destroy(&b);
    if (rc != SQLITE_OK) return err(s, e, "writing", t);
    s->raw = st;
    return 0;
}

int kmt__sq_raw_put(kmt_store *s, const kmt__store_table *t, const kmt__store_val *row, kmt_error *e)
{
    sqlite3_stmt *st = s->raw;
    sqlite3_reset(st);
    for (int c = 0; c < t->ncols; c++) {
        const kmt__store_val *v = &row[c];
        if (v->null)
            sqlite3_bind_null(st, c + 1);
        else if (t->cols[c].type == 'i')
            sqlite3_bind_int64(st, c + 1, v->i);
        else if (t->cols[c].type == 'r')
            sqlite3_bind_double(st, c + 1, v->r);
        else
            sqlite3_bind_text(st, c + 1, v->t, -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(st) != SQLITE_DONE) return err(s, e, "writing", t);
    return 0;
}

int kmt__sq_raw_end(kmt_store *s, const kmt__store_table *t, kmt_error *e)
{
    (void)t, (void)e;
    sqlite3_finalize(s->raw);
    s->raw = NULL;
    return 0;
}

int kmt__sq_clear(kmt_store *s, const kmt__store_table *t, kmt_error *e)
{
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM %s", t->sql);
    if (sqlite3_exec(kmt__store_sqlite_db(s), sql, NULL, NULL, NULL) != SQLITE_OK) return err(s, e, "clearing", t);
    return 0;
}

int kmt__sq_muni_counts(kmt_store *s, const kmt__store_table *t, int64_t *ids, int64_t *cnt, size_t max, size_t *n,
                        kmt_error *e)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT IFNULL(municipality_id, 0), COUNT(*) FROM %s GROUP BY 1 ORDER BY 1", t->sql);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(kmt__store_sqlite_db(s), sql, -1, &st, NULL) != SQLITE_OK) return err(s, e, "counting", t);
    int r;
    *n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        ids[*n] = sqlite3_column_int64(st, 0);
        cnt[*n] = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return err(s, e, "counting", t);
    return 0;
}
