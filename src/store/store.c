/* SPDX-License-Identifier: MPL-2.0 */
/* The store's public functions: natural keys, then dispatch to the backend. */
#include <math.h>
#include <string.h>

#include "store_int.h"

int kmt_store_open(kmt_store **out, const char *path, int flags, kmt_error *e)
{
    *out = NULL;
    if (!path || !*path) path = KMT_STORE_DEFAULT_PATH;
    if (kmt__store_is_pg(path)) return kmt__store_pg_open(out, path, flags, e);
    return kmt__store_sqlite_open(out, path, flags, e);
}

void kmt_store_close(kmt_store *s)
{
    if (s) s->ops->close(s);
}

int kmt_store_schema_version(kmt_store *s)
{
    return s->ops->schema_version(s);
}
const char *kmt_store_backend(kmt_store *s)
{
    return s->ops->name;
}
int kmt_store_begin(kmt_store *s, kmt_error *e)
{
    return s->ops->begin(s, e);
}
int kmt_store_commit(kmt_store *s, kmt_error *e)
{
    return s->ops->commit(s, e);
}
int kmt_store_rollback(kmt_store *s)
{
    return s->ops->rollback(s);
}

int kmt_store_municipality(kmt_store *s, const char *name, int64_t *id, kmt_error *e)
{
    if (!name || !*name) return kmt_error_set(e, KMT_EINVAL, "a municipality needs a name");
    return s->ops->municipality(s, name, id, e);
}

int kmt_store_org(kmt_store *s, int64_t muni, int64_t parent, const char *name, int64_t *id, kmt_error *e)
{
    if (!name) name = "";
    if (!*name && parent) return kmt_error_set(e, KMT_EINVAL, "a department needs a name");
    return s->ops->org(s, muni, parent, name, id, e);
}

int kmt_store_department(kmt_store *s, int64_t muni, const char *name, int64_t *id, kmt_error *e)
{
    *id = 0;
    if (!name || !*name) return 0;
    int64_t root;
    int rc = s->ops->org(s, muni, 0, "", &root, e); /* "" = the municipality's own organisation */
    if (rc) return rc;
    return s->ops->org(s, muni, root, name, id, e);
}

int kmt_store_put_site(kmt_store *s, const kmt_site *site, int64_t *id, kmt_error *e)
{
    if (!site->key || !*site->key) return kmt_error_set(e, KMT_EINVAL, "a site needs a key");
    return s->ops->put_site(s, site, id, e);
}

int kmt_store_put_vehicle(kmt_store *s, const kmt_vehicle *v, int64_t site_id, int64_t dept_id, int64_t *id,
                          kmt_error *e)
{
    if (!v->key || !*v->key) return kmt_error_set(e, KMT_EINVAL, "a vehicle needs a key");
    return s->ops->put_vehicle(s, v, site_id, dept_id, id, e);
}

int kmt_store_site_id(kmt_store *s, int64_t muni, const char *key, int64_t *id)
{
    return s->ops->site_id(s, muni, key, id);
}

int kmt_store_vehicle_id(kmt_store *s, int64_t muni, const char *key, int64_t *id)
{
    return s->ops->vehicle_id(s, muni, key, id);
}

/* ---- natural keys: kmt_hash_bytes (FNV-1a) over the identity fields, then kmt_hash_mix.
 * Stored in the database: the values must never change. ---- */

typedef struct {
    uint64_t h;
} hasher;

static void h_bytes(hasher *h, const void *p, size_t n)
{
    h->h = kmt_hash_bytes(h->h, p, n);
}
static void h_str(hasher *h, const char *s)
{
    h_bytes(h, s ? s : "", strlen(s ? s : "") + 1);
}
static void h_i64(hasher *h, int64_t v)
{
    h_bytes(h, &v, sizeof v);
}
/* Doubles rounded to a grid (1e-6 deg, 1 m) so that "12,5" and "12.50" agree. */
static void h_num(hasher *h, double v, double scale)
{
    h_i64(h, isfinite(v) ? (int64_t)llround(v * scale) : INT64_MIN);
}
static uint64_t h_done(hasher *h)
{
    return kmt_hash_mix(h->h);
}

int kmt_store_put_trip(kmt_store *s, const kmt_trip *t, int64_t vehicle_id, int64_t site_id, int64_t dept_id,
                       kmt_error *e)
{
    hasher h = { KMT_HASH_SEED };
    if (t->key && *t->key) {
        h_str(&h, "trip_id");
        h_str(&h, t->key);
    } else {
        h_i64(&h, vehicle_id);
        h_str(&h, t->driver);
        h_i64(&h, t->start);
        h_i64(&h, t->end);
        h_num(&h, t->km, 1000);
        h_num(&h, t->from.lon, 1e6);
        h_num(&h, t->from.lat, 1e6);
        h_num(&h, t->to.lon, 1e6);
        h_num(&h, t->to.lat, 1e6);
        /* only when given, so that rows stored before addresses existed keep their keys */
        if (t->from_address && *t->from_address) h_str(&h, t->from_address);
        if (t->to_address && *t->to_address) h_str(&h, t->to_address);
    }
    return s->ops->put_trip(s, t, h_done(&h), vehicle_id, site_id, dept_id, e);
}

int kmt_store_put_travel(kmt_store *s, const kmt_travel *r, int64_t org_id, int64_t dept_id, kmt_error *e)
{
    hasher h = { KMT_HASH_SEED };
    if (r->key && *r->key) {
        h_str(&h, "record_id");
        h_str(&h, r->key);
    } else {
        h_str(&h, r->person);
        h_i64(&h, org_id);
        h_i64(&h, r->date);
        h_i64(&h, r->start);
        h_i64(&h, r->end);
        h_str(&h, r->from_place);
        h_str(&h, r->to_place);
        h_num(&h, r->km, 1000);
        h_i64(&h, r->mode);
        h_str(&h, r->meeting_id);
        h_num(&h, r->cost, 100);
    }
    return s->ops->put_travel(s, r, h_done(&h), org_id, dept_id, e);
}

kmt_store_query kmt_store_query_all(void)
{
    return (kmt_store_query){ 0, KMT_TIME_NONE, KMT_TIME_NONE, NULL, NULL };
}

int kmt_store_load_fleet(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e)
{
    kmt_store_query all = kmt_store_query_all();
    if (d->orgs.n || d->sites.n || d->vehicles.n || d->trips.n || d->travel.n)
        return kmt_error_set(e, KMT_EINVAL, "kmt_store_load_fleet needs an empty dataset");
    int rc = s->ops->load_fleet(s, q ? q : &all, d, e);
    if (rc) {
        kmt_dataset_destroy(d);
        kmt_dataset_init(d);
    }
    return rc;
}

int kmt_store_load_travel(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e)
{
    kmt_store_query all = kmt_store_query_all();
    if (d->orgs.n || d->sites.n || d->vehicles.n || d->trips.n || d->travel.n)
        return kmt_error_set(e, KMT_EINVAL, "kmt_store_load_travel needs an empty dataset");
    int rc = s->ops->load_travel(s, q ? q : &all, d, e);
    if (rc) {
        kmt_dataset_destroy(d);
        kmt_dataset_init(d);
    }
    return rc;
}

int64_t kmt_store_count(kmt_store *s, const char *table)
{
    return kmt__store_table_find(table) ? s->ops->count(s, table) : -1;
}

int kmt_store_travel_currencies(kmt_store *s, char (*cur)[8], int64_t *cnt, size_t max, size_t *n, kmt_error *e)
{
    *n = 0;
    return s->ops->travel_currencies(s, cur, cnt, max, n, e);
}

int kmt_store_bulk_begin(kmt_store *s, const char *table, int64_t rows, kmt_error *e)
{
    if (strcmp(table, "trips") != 0 && strcmp(table, "travel") != 0)
        return kmt_error_set(e, KMT_EINVAL, "bulk loading is for trips or travel, not '%s'", table);
    return s->ops->bulk_begin(s, table, rows, e);
}

int kmt_store_bulk_end(kmt_store *s, int64_t *inserted, int64_t *duplicates, kmt_error *e)
{
    int64_t i, d;
    int rc = s->ops->bulk_end(s, inserted ? inserted : &i, duplicates ? duplicates : &d, e);
    return rc;
}

int kmt_store_log_import(kmt_store *s, int64_t muni, const char *kind, const char *file, int64_t imported,
                         int64_t duplicates, int64_t skipped, kmt_error *e)
{
    return s->ops->log_import(s, muni, kind, file, imported, duplicates, skipped, e);
}
