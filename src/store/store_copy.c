/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Whole installations: the tables' column lists, checksums computed the same
 * way on every backend, per-municipality counts and copying between stores
 * (kommute db info, kommute db copy; docs/storage.md).
 */
#include <string.h>

#include "store_int.h"

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

static const kmt__store_col muni_cols[] = { { "id", 'i' }, { "name", 't' } };
static const kmt__store_col org_cols[] = {
    { "id", 'i' }, { "municipality_id", 'i' }, { "parent_id", 'i' }, { "level", 'i' }, { "name", 't' }
};
static const kmt__store_col site_cols[] = { { "id", 'i' },  { "municipality_id", 'i' },
                                            { "key", 't' }, { "name", 't' },
                                            { "lon", 'r' }, { "lat", 'r' } };
static const kmt__store_col vehicle_cols[] = { { "id", 'i' },
                                               { "municipality_id", 'i' },
                                               { "key", 't' },
                                               { "registration", 't' },
                                               { "make", 't' },
                                               { "model", 't' },
                                               { "kind", 't' },
                                               { "fuel", 't' },
                                               { "range_km", 'r' },
                                               { "seats", 'i' },
                                               { "site_id", 'i' },
                                               { "department_id", 'i' },
                                               { "fixed_cost_per_year", 'r' },
                                               { "cost_per_km", 'r' },
                                               { "wh_per_km", 'r' },
                                               { "km_per_litre", 'r' },
                                               { "in_service_from", 'i' },
                                               { "in_service_to", 'i' } };
static const kmt__store_col trip_cols[] = { { "id", 'i' },
                                            { "municipality_id", 'i' },
                                            { "natkey", 'i' },
                                            { "key", 't' },
                                            { "vehicle_id", 'i' },
                                            { "site_id", 'i' },
                                            { "department_id", 'i' },
                                            { "driver", 't' },
                                            { "start_time", 'i' },
                                            { "end_time", 'i' },
                                            { "start_lon", 'r' },
                                            { "start_lat", 'r' },
                                            { "end_lon", 'r' },
                                            { "end_lat", 'r' },
                                            { "km", 'r' },
                                            { "purpose", 't' },
                                            { "passengers", 'i' },
                                            { "start_address", 't' },
                                            { "end_address", 't' } };
static const kmt__store_col travel_cols[] = { { "id", 'i' },
                                              { "municipality_id", 'i' },
                                              { "natkey", 'i' },
                                              { "key", 't' },
                                              { "person", 't' },
                                              { "organisation_id", 'i' },
                                              { "department_id", 'i' },
                                              { "date", 'i' },
                                              { "start_time", 'i' },
                                              { "end_time", 'i' },
                                              { "from_place", 't' },
                                              { "to_place", 't' },
                                              { "from_lon", 'r' },
                                              { "from_lat", 'r' },
                                              { "to_lon", 'r' },
                                              { "to_lat", 'r' },
                                              { "km", 'r' },
                                              { "mode", 't' },
                                              { "fuel", 't' },
                                              { "purpose", 't' },
                                              { "meeting_id", 't' },
                                              { "cost", 'r' },
                                              { "currency", 't' },
                                              { "travel_minutes", 'i' } };
static const kmt__store_col log_cols[] = { { "id", 'i' },       { "municipality_id", 'i' },
                                           { "kind", 't' },     { "file", 't' },
                                           { "imported", 'i' }, { "duplicates", 'i' },
                                           { "skipped", 'i' },  { "at", 't' } };

const kmt__store_table kmt__store_tables[] = {
    { "municipalities", "municipality", COLS(muni_cols), 0 },
    { "orgs", "organisation", COLS(org_cols), 1 },
    { "sites", "site", COLS(site_cols), 1 },
    { "vehicles", "vehicle", COLS(vehicle_cols), 1 },
    { "trips", "trip", COLS(trip_cols), 1 },
    { "travel", "travel", COLS(travel_cols), 1 },
    { "imports", "import_log", COLS(log_cols), 1 },
};
const int kmt__store_ntables = (int)(sizeof kmt__store_tables / sizeof kmt__store_tables[0]);
_Static_assert(sizeof kmt__store_tables / sizeof kmt__store_tables[0] == KMT_STORE_NTABLES, "every table listed");

const kmt__store_table *kmt__store_table_find(const char *name)
{
    for (int i = 0; i < kmt__store_ntables; i++)
        if (strcmp(kmt__store_tables[i].name, name) == 0) return &kmt__store_tables[i];
    return NULL;
}

const char *kmt_store_table_name(int i)
{
    return i >= 0 && i < kmt__store_ntables ? kmt__store_tables[i].name : NULL;
}

/* ---- checksums: FNV-1a over each typed value, rows chained in id order ---- */

typedef struct {
    const kmt__store_table *t;
    uint64_t sum;
    int64_t rows;
    kmt_store *to; /* copying: the target, else NULL */
} summer;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t row_hash(const kmt__store_table *t, const kmt__store_val *row)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (int c = 0; c < t->ncols; c++) {
        const kmt__store_val *v = &row[c];
        unsigned char tag = v->null ? 0 : (unsigned char)t->cols[c].type;
        h = fnv(h, &tag, 1);
        if (v->null) continue;
        if (t->cols[c].type == 'i') {
            unsigned char le[8];
            for (int k = 0; k < 8; k++) le[k] = (unsigned char)((uint64_t)v->i >> (8 * k));
            h = fnv(h, le, 8);
        } else if (t->cols[c].type == 'r') {
            double d = v->r == 0 ? 0.0 : v->r; /* -0.0 and 0.0 alike */
            uint64_t bits;
            memcpy(&bits, &d, 8);
            unsigned char le[8];
            for (int k = 0; k < 8; k++) le[k] = (unsigned char)(bits >> (8 * k));
            h = fnv(h, le, 8);
        } else {
            h = fnv(h, v->t, strlen(v->t) + 1);
        }
    }
    return h;
}

static int sum_row(void *ctx, const kmt__store_val *row, kmt_error *e)
{
    summer *s = ctx;
    uint64_t z = (s->sum ^ row_hash(s->t, row)) * 0x9e3779b97f4a7c15ull;
    s->sum = z ^ (z >> 29);
    s->rows++;
    return s->to ? s->to->ops->raw_put(s->to, s->t, row, e) : 0;
}

static int table_sum(kmt_store *s, const kmt__store_table *t, kmt_store *to, kmt_store_table_sum *out, kmt_error *e)
{
    summer m = { t, 0, 0, to };
    int rc = s->ops->scan(s, t, sum_row, &m, e);
    out->table = t->name;
    out->rows = m.rows;
    out->checksum = m.sum;
    return rc;
}

int kmt_store_checksum(kmt_store *s, const char *table, kmt_store_table_sum *out, kmt_error *e)
{
    const kmt__store_table *t = kmt__store_table_find(table);
    if (!t) return kmt_error_set(e, KMT_EINVAL, "no table '%s'", table);
    return table_sum(s, t, NULL, out, e);
}

int kmt_store_municipality_counts(kmt_store *s, const char *table, int64_t *muni, int64_t *cnt, size_t max, size_t *n,
                                  kmt_error *e)
{
    *n = 0;
    const kmt__store_table *t = kmt__store_table_find(table);
    if (!t) return kmt_error_set(e, KMT_EINVAL, "no table '%s'", table);
    if (!t->per_municipality) return kmt_error_set(e, KMT_EINVAL, "table '%s' has no municipality", table);
    return s->ops->muni_counts(s, t, muni, cnt, max, n, e);
}

void kmt_store_copy_opts_default(kmt_store_copy_opts *o)
{
    o->force = 0;
}

int kmt_store_copy(kmt_store *from, kmt_store *to, const kmt_store_copy_opts *o,
                   kmt_store_table_sum sums[KMT_STORE_NTABLES], kmt_error *e)
{
    kmt_store_copy_opts def;
    if (!o) {
        kmt_store_copy_opts_default(&def);
        o = &def;
    }
    kmt_store_table_sum src[KMT_STORE_NTABLES], dst;
    int rc = to->ops->begin(to, e);
    if (rc) return rc;
    if (!o->force) {
        for (int i = 0; i < kmt__store_ntables && !rc; i++) {
            int64_t n = to->ops->count(to, kmt__store_tables[i].name);
            if (n != 0)
                rc = n < 0 ? kmt_error_set(e, KMT_EIO, "cannot count the target's %s", kmt__store_tables[i].name)
                           : kmt_error_set(e, KMT_EINVAL,
                                           "the target is not empty (%lld %s): give --force to replace its "
                                           "contents",
                                           (long long)n, kmt__store_tables[i].name);
        }
    }
    for (int i = kmt__store_ntables - 1; i >= 0 && !rc && o->force; i--) /* children first */
        rc = to->ops->clear(to, &kmt__store_tables[i], e);
    for (int i = 0; i < kmt__store_ntables && !rc; i++) {
        const kmt__store_table *t = &kmt__store_tables[i];
        rc = to->ops->raw_begin(to, t, e);
        if (!rc) rc = table_sum(from, t, to, &src[i], e);
        int rc2 = to->ops->raw_end(to, t, rc ? NULL : e);
        if (!rc) rc = rc2;
    }
    /* verify inside the transaction: the target reads its own writes */
    for (int i = 0; i < kmt__store_ntables && !rc; i++) {
        rc = table_sum(to, &kmt__store_tables[i], NULL, &dst, e);
        if (!rc && (dst.rows != src[i].rows || dst.checksum != src[i].checksum))
            rc = kmt_error_set(e, KMT_EINTERNAL,
                               "%s: the copy differs (source %lld rows, checksum %016llx; target %lld rows, "
                               "checksum %016llx): nothing was written",
                               src[i].table, (long long)src[i].rows, (unsigned long long)src[i].checksum,
                               (long long)dst.rows, (unsigned long long)dst.checksum);
    }
    if (!rc) rc = to->ops->commit(to, e);
    if (rc) {
        to->ops->rollback(to);
        return rc;
    }
    if (sums) memcpy(sums, src, sizeof src);
    return 0;
}
