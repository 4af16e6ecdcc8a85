/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The store's backend interface. A backend defines a struct whose first
 * member is `kmt_store base` and fills a kmt_store_ops table; store.c
 * dispatches the public kmt_store_* calls through it. SQLite lives in
 * sqlite.c (its raw-row functions in sqlite_raw.c), PostgreSQL in pg.c;
 * kmt_store_open picks one from the path.
 */
#ifndef KOMMUTE_STORE_INT_H
#define KOMMUTE_STORE_INT_H

#include "kommute/store.h"

/* ---- raw rows: every column of a table by its declared type ----------------
 * For copying an installation between backends and for checksums that both
 * backends compute the same way (store_copy.c). */
typedef struct kmt__store_col {
    const char *name;
    char type; /* 'i' 64-bit integer, 'r' double, 't' text */
} kmt__store_col;

typedef struct kmt__store_table {
    const char *name;           /* the public name (kmt_store_count): "trips" */
    const char *sql;            /* the table: "trip" */
    const kmt__store_col *cols; /* cols[0] is "id" */
    int ncols;
    int per_municipality; /* 1 if it has municipality_id (for counts) */
} kmt__store_table;

typedef struct kmt__store_val {
    int null;      /* 1 = SQL NULL (the other fields are unset) */
    int64_t i;     /* type 'i' */
    double r;      /* type 'r' */
    const char *t; /* type 't': NUL-terminated, valid during the callback */
} kmt__store_val;

/* The tables in dependency order (parents first); schema_version is not one. */
extern const kmt__store_table kmt__store_tables[];
extern const int kmt__store_ntables;
const kmt__store_table *kmt__store_table_find(const char *name);

/* Called once per row, in id order; non-zero stops the scan with that code. */
typedef int (*kmt__store_row_fn)(void *ctx, const kmt__store_val *row, kmt_error *e);

/* The prepared statements both backends keep, by index (each backend holds
 * its own SQL text for them, in this order). */
enum {
    ST_MUNI_GET,
    ST_MUNI_PUT,
    ST_MUNI_NAME,
    ST_ORG_GET,
    ST_ORG_PUT,
    ST_SITE_GET,
    ST_SITE_INS,
    ST_SITE_UPD,
    ST_VEH_GET,
    ST_VEH_GET_REG,
    ST_VEH_INS,
    ST_VEH_UPD,
    ST_TRIP_INS,
    ST_TRAVEL_INS,
    ST_COUNT_
};

typedef struct kmt_store_ops {
    const char *name;
    void (*close)(kmt_store *s);
    int (*schema_version)(kmt_store *s);
    int (*begin)(kmt_store *s, kmt_error *e);
    int (*commit)(kmt_store *s, kmt_error *e);
    int (*rollback)(kmt_store *s);
    int (*municipality)(kmt_store *s, const char *name, int64_t *id, kmt_error *e);
    int (*org)(kmt_store *s, int64_t muni, int64_t parent, const char *name, int64_t *id, kmt_error *e);
    int (*put_site)(kmt_store *s, const kmt_site *site, int64_t *id, kmt_error *e);
    int (*put_vehicle)(kmt_store *s, const kmt_vehicle *v, int64_t site_id, int64_t dept_id, int64_t *id, kmt_error *e);
    int (*site_id)(kmt_store *s, int64_t muni, const char *key, int64_t *id);
    int (*vehicle_id)(kmt_store *s, int64_t muni, const char *key, int64_t *id);
    int (*put_trip)(kmt_store *s, const kmt_trip *t, uint64_t natkey, int64_t vehicle_id, int64_t site_id,
                    int64_t dept_id, kmt_error *e);
    int (*put_travel)(kmt_store *s, const kmt_travel *r, uint64_t natkey, int64_t org_id, int64_t dept_id,
                      kmt_error *e);
    int (*load_fleet)(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e);
    int (*load_travel)(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e);
    int64_t (*count)(kmt_store *s, const char *table);
    int (*travel_currencies)(kmt_store *s, char (*cur)[8], int64_t *cnt, size_t max, size_t *n, kmt_error *e);
    int (*bulk_begin)(kmt_store *s, const char *table, int64_t rows, kmt_error *e);
    int (*bulk_end)(kmt_store *s, int64_t *inserted, int64_t *duplicates, kmt_error *e);
    int (*log_import)(kmt_store *s, int64_t muni, const char *kind, const char *file, int64_t imported,
                      int64_t duplicates, int64_t skipped, kmt_error *e);
    /* raw rows (see above) */
    int (*scan)(kmt_store *s, const kmt__store_table *t, kmt__store_row_fn fn, void *ctx, kmt_error *e);
    int (*raw_begin)(kmt_store *s, const kmt__store_table *t, kmt_error *e); /* inside a transaction */
    int (*raw_put)(kmt_store *s, const kmt__store_table *t, const kmt__store_val *row, kmt_error *e);
    int (*raw_end)(kmt_store *s, const kmt__store_table *t, kmt_error *e);
    int (*clear)(kmt_store *s, const kmt__store_table *t, kmt_error *e); /* delete every row */
    /* rows per municipality_id: up to max pairs in ids[]/cnt[], *n filled */
    int (*muni_counts)(kmt_store *s, const kmt__store_table *t, int64_t *ids, int64_t *cnt, size_t max, size_t *n,
                       kmt_error *e);
} kmt_store_ops;

struct kmt_store {
    const kmt_store_ops *ops;
    void *raw; /* the backend's state between raw_begin and raw_end */
};

int kmt__store_sqlite_open(kmt_store **out, const char *path, int flags, kmt_error *e);
int kmt__store_pg_open(kmt_store **out, const char *conninfo, int flags, kmt_error *e);
/* 1 if path is a PostgreSQL connection string (URI or key=value conninfo). */
int kmt__store_is_pg(const char *path);

/* SQLite's raw-row functions (sqlite_raw.c) on the connection of a SQLite store. */
struct sqlite3;
struct sqlite3 *kmt__store_sqlite_db(kmt_store *s);
const char *kmt__store_sqlite_path(kmt_store *s);
int kmt__sq_scan(kmt_store *s, const kmt__store_table *t, kmt__store_row_fn fn, void *ctx, kmt_error *e);
int kmt__sq_raw_begin(kmt_store *s, const kmt__store_table *t, kmt_error *e);
int kmt__sq_raw_put(kmt_store *s, const kmt__store_table *t, const kmt__store_val *row, kmt_error *e);
int kmt__sq_raw_end(kmt_store *s, const kmt__store_table *t, kmt_error *e);
int kmt__sq_clear(kmt_store *s, const kmt__store_table *t, kmt_error *e);
int kmt__sq_muni_counts(kmt_store *s, const kmt__store_table *t, int64_t *ids, int64_t *cnt, size_t max, size_t *n,
                        kmt_error *e);

#endif
