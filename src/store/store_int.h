/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The store's backend interface. A backend defines a struct whose first
 * member is `kmt_store base` and fills a kmt_store_ops table; store.c
 * dispatches the public kmt_store_* calls through it. SQLite lives in
 * sqlite.c; a PostgreSQL backend would add pg.c and a branch in
 * kmt_store_open, and no caller changes.
 */
#ifndef KOMMUTE_STORE_INT_H
#define KOMMUTE_STORE_INT_H

#include "kommute/store.h"

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
    int (*put_vehicle)(kmt_store *s, const kmt_vehicle *v, int64_t site_id, int64_t dept_id,
                       int64_t *id, kmt_error *e);
    int (*site_id)(kmt_store *s, int64_t muni, const char *key, int64_t *id);
    int (*vehicle_id)(kmt_store *s, int64_t muni, const char *key, int64_t *id);
    int (*put_trip)(kmt_store *s, const kmt_trip *t, uint64_t natkey, int64_t vehicle_id,
                    int64_t site_id, int64_t dept_id, kmt_error *e);
    int (*put_travel)(kmt_store *s, const kmt_travel *r, uint64_t natkey, int64_t org_id,
                      int64_t dept_id, kmt_error *e);
    int (*load_fleet)(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e);
    int (*load_travel)(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e);
    int64_t (*count)(kmt_store *s, const char *table);
    int (*travel_currencies)(kmt_store *s, char (*cur)[8], int64_t *cnt, size_t max, size_t *n, kmt_error *e);
    int (*bulk_begin)(kmt_store *s, const char *table, int64_t rows, kmt_error *e);
    int (*bulk_end)(kmt_store *s, kmt_error *e);
    int (*log_import)(kmt_store *s, int64_t muni, const char *kind, const char *file, int64_t imported,
                      int64_t duplicates, int64_t skipped, kmt_error *e);
} kmt_store_ops;

struct kmt_store {
    const kmt_store_ops *ops;
};

int kmt__store_sqlite_open(kmt_store **out, const char *path, int flags, kmt_error *e);

#endif
