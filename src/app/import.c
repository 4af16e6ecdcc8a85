/* SPDX-License-Identifier: MPL-2.0 */
/* CSV -> store: the importers of the application layer (include/kommute/app_import.h, docs/data.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/rows.h"
#include "kommute/app_import.h"
#include "kommute/limits.h"

/* ---- bookkeeping ----------------------------------------------------------- */

void kmt_app_import_report_destroy(kmt_app_import_report *r)
{
    for (size_t i = 0; i < r->skipped_msgs.n; i++) kmt_free(r->skipped_msgs.v[i]);
    KMT_VEC_FREE(r->skipped_msgs);
}

int kmt_app_import_bad_row(kmt_app_import_report *st, const kmt_app_import_opts *o, const kmt_error *e)
{
    if (!o->skip_bad_rows) return e->code ? e->code : KMT_EINVAL;
    char buf[1600];
    KMT_VEC_PUSH(st->skipped_msgs, kmt_strdup(kmt_error_format(e, buf, sizeof buf)));
    st->skipped++;
    return 0;
}

void kmt_app_import_count(kmt_app_import_report *st, int put)
{
    if (put == KMT_PUT_INSERTED)
        st->inserted++;
    else if (put == KMT_PUT_UPDATED)
        st->updated++;
    else if (put == KMT_PUT_DUPLICATE)
        st->duplicates++;
}

int kmt_app_import_bulk_end(kmt_store *s, kmt_app_import_report *st, kmt_error *e)
{
    int64_t inserted, duplicates; /* rows a PostgreSQL bulk load queued */
    int rc = kmt_store_bulk_end(s, &inserted, &duplicates, e);
    st->inserted += (long)inserted;
    st->duplicates += (long)duplicates;
    return rc;
}

/* Cached department ids by name (the map copies the names). */
typedef struct {
    strmap map;
    KMT_VEC(int64_t) ids;
} dept_cache;

static int dept_id(dept_cache *dc, kmt_store *s, int64_t muni, int64_t parent, const char *name, int64_t *id,
                   kmt_error *e)
{
    *id = 0;
    if (!*name) return 0;
    int32_t k = kmt__strmap_get(&dc->map, name);
    if (k >= 0) {
        *id = dc->ids.v[k];
        return 0;
    }
    int rc = parent ? kmt_store_org(s, muni, parent, name, id, e) : kmt_store_department(s, muni, name, id, e);
    if (rc) return rc;
    KMT_VEC_PUSH(dc->ids, *id);
    kmt__strmap_put(&dc->map, name, (int32_t)(dc->ids.n - 1));
    return 0;
}

static void dept_cache_free(dept_cache *dc)
{
    KMT_VEC_FREE(dc->ids);
    kmt__strmap_free(&dc->map);
}

/* A non-negative number with an upper bound; empty gives *out unchanged. */
static int nonneg(kmt_csv *c, int col, double max, double *out, kmt_error *e)
{
    double v;
    int rc = kmt_csv_number(c, col, &v, e);
    if (rc <= 0) return rc;
    if (v < 0 || v > max) return kmt_csv_error(c, col, e, "expected a number from 0 to %g", max);
    *out = v;
    return 0;
}

/* ---- sites ----------------------------------------------------------------- */

enum { S_SITE, S_NAME, S_LON, S_LAT, S_N };
static const char *const site_cols[S_N] = { "site", "name", "lon", "lat" };

int kmt_app_import_sites(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                         kmt_app_import_report *st, kmt_error *e)
{
    int ix[S_N], rc;
    kmt_csv_bind(c, m, "sites", site_cols, S_N, ix, e);
    if ((rc = kmt_csv_require(c, ix[S_SITE], "site", e))) return rc;
    while ((rc = kmt_csv_next(c, e)) == 1) {
        st->rows++;
        kmt_site x;
        kmt_site_init(&x);
        x.municipality = muni;
        x.key = kmt_csv_field(c, ix[S_SITE]);
        x.name = kmt_csv_field(c, ix[S_NAME]);
        if (!*x.key)
            rc = kmt_csv_error(c, ix[S_SITE], e, "a site needs an id");
        else
            rc = kmt_csv_coord(c, ix[S_LON], ix[S_LAT], 0, &x.pos, e);
        if (!rc) {
            int put = kmt_store_put_site(s, &x, NULL, e);
            if (put < 0) return put;
            kmt_app_import_count(st, put);
        } else if ((rc = kmt_app_import_bad_row(st, o, e))) {
            return rc;
        }
    }
    return rc;
}

/* ---- vehicles -------------------------------------------------------------- */

enum {
    V_ID,
    V_REG,
    V_MAKE,
    V_MODEL,
    V_KIND,
    V_FUEL,
    V_RANGE,
    V_SEATS,
    V_SITE,
    V_DEPT,
    V_FIXED,
    V_CPK,
    V_WH,
    V_KML,
    V_FROM,
    V_TO,
    V_N
};
static const char *const vehicle_cols[V_N] = { "vehicle_id",
                                               "registration",
                                               "make",
                                               "model",
                                               "kind",
                                               "fuel",
                                               "range_km",
                                               "seats",
                                               "site",
                                               "department",
                                               "fixed_cost_per_year",
                                               "cost_per_km",
                                               "wh_per_km",
                                               "km_per_litre",
                                               "in_service_from",
                                               "in_service_to" };

static int vehicle_row(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const int *ix, dept_cache *dc,
                       kmt_app_import_report *st, kmt_error *e)
{
    kmt_vehicle v;
    kmt_vehicle_init(&v);
    v.municipality = muni;
    v.registration = kmt_csv_field(c, ix[V_REG]);
    v.key = kmt_csv_field(c, ix[V_ID]);
    if (!*v.key) v.key = v.registration;
    if (!*v.key)
        return kmt_csv_error(c, ix[V_ID] >= 0 ? ix[V_ID] : ix[V_REG], e,
                             "a vehicle needs a vehicle_id or a registration");
    v.make = kmt_csv_field(c, ix[V_MAKE]);
    v.model = kmt_csv_field(c, ix[V_MODEL]);
    const char *kind = kmt_mapping_value(m, "vehicles", "kind", kmt_csv_field(c, ix[V_KIND]));
    if (kmt_vehicle_kind_parse(kind, &v.kind))
        return kmt_csv_error(c, ix[V_KIND], e, "unknown vehicle kind: expected car, van, minibus, e-bike or bike");
    const char *fuel = kmt_mapping_value(m, "vehicles", "fuel", kmt_csv_field(c, ix[V_FUEL]));
    if (kmt_fuel_parse(fuel, &v.fuel))
        return kmt_csv_error(c, ix[V_FUEL], e,
                             "unknown fuel: expected petrol, diesel, electric, hybrid, plug-in, biogas, HVO or none");
    int rc;
    long seats = 0;
    if ((rc = nonneg(c, ix[V_RANGE], KMT_LIM_RANGE_KM_MAX, &v.range_km, e))) return rc;
    if ((rc = kmt_csv_int(c, ix[V_SEATS], &seats, e)) < 0) return rc;
    if (seats < 0 || seats > KMT_LIM_SEATS_MAX)
        return kmt_csv_error(c, ix[V_SEATS], e, "expected 0 to %d seats", KMT_LIM_SEATS_MAX);
    v.seats = (int)seats;
    if ((rc = nonneg(c, ix[V_FIXED], KMT_LIM_FIXED_COST_MAX, &v.fixed_cost_per_year, e))) return rc;
    if ((rc = nonneg(c, ix[V_CPK], KMT_LIM_COST_PER_KM_MAX, &v.cost_per_km, e))) return rc;
    if ((rc = nonneg(c, ix[V_WH], KMT_LIM_WH_PER_KM_MAX, &v.wh_per_km, e))) return rc;
    if ((rc = nonneg(c, ix[V_KML], KMT_LIM_KM_PER_LITRE_MAX, &v.km_per_litre, e))) return rc;
    if ((rc = kmt_csv_time_in(c, ix[V_FROM], KMT_LIM_SERVICE_YEAR_MIN, KMT_LIM_YEAR_MAX, &v.in_service_from, e)) < 0)
        return rc;
    if ((rc = kmt_csv_time_in(c, ix[V_TO], KMT_LIM_SERVICE_YEAR_MIN, KMT_LIM_YEAR_MAX, &v.in_service_to, e)) < 0)
        return rc;
    if (v.in_service_from != KMT_TIME_NONE && v.in_service_to != KMT_TIME_NONE && v.in_service_to < v.in_service_from)
        return kmt_csv_error(c, ix[V_TO], e, "in_service_to is before in_service_from");
    int64_t site_id = 0, dept = 0;
    const char *site = kmt_csv_field(c, ix[V_SITE]);
    if (*site && kmt_store_site_id(s, muni, site, &site_id))
        return kmt_csv_error(c, ix[V_SITE], e, "unknown site: import the sites first (kommute fleet import sites)");
    if ((rc = dept_id(dc, s, muni, 0, kmt_csv_field(c, ix[V_DEPT]), &dept, e))) return rc;
    int put = kmt_store_put_vehicle(s, &v, site_id, dept, NULL, e);
    if (put < 0) return put;
    kmt_app_import_count(st, put);
    return 0;
}

int kmt_app_import_vehicles(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                            kmt_app_import_report *st, kmt_error *e)
{
    int ix[V_N], rc;
    kmt_csv_bind(c, m, "vehicles", vehicle_cols, V_N, ix, e);
    if (ix[V_ID] < 0 && (rc = kmt_csv_require(c, ix[V_REG], "vehicle_id", e))) return rc;
    dept_cache dc = { 0 };
    while ((rc = kmt_csv_next(c, e)) == 1) {
        st->rows++;
        rc = vehicle_row(c, m, s, muni, ix, &dc, st, e);
        if (rc == KMT_EIO || (rc && (rc = kmt_app_import_bad_row(st, o, e)))) break;
    }
    dept_cache_free(&dc);
    return rc;
}

/* ---- trips ----------------------------------------------------------------- */

enum {
    T_ID,
    T_VEH,
    T_SITE,
    T_DEPT,
    T_DRIVER,
    T_START,
    T_END,
    T_SLON,
    T_SLAT,
    T_ELON,
    T_ELAT,
    T_KM,
    T_PURPOSE,
    T_PASS,
    T_SADDR,
    T_EADDR,
    T_N
};
static const char *const trip_cols[T_N] = { "trip_id",   "vehicle_id", "site",          "department",
                                            "driver",    "start_time", "end_time",      "start_lon",
                                            "start_lat", "end_lon",    "end_lat",       "km",
                                            "purpose",   "passengers", "start_address", "end_address" };

typedef struct {
    const kmt_dataset *d;
    strmap vehicles, sites;
    dept_cache depts;
} trip_ctx;

static int trip_row(kmt_csv *c, kmt_store *s, int64_t muni, const int *ix, trip_ctx *x, kmt_app_import_report *st,
                    kmt_error *e)
{
    kmt_trip t;
    kmt_trip_init(&t);
    t.municipality = muni;
    t.key = kmt_csv_field(c, ix[T_ID]);
    t.driver = kmt_csv_field(c, ix[T_DRIVER]);
    t.purpose = kmt_csv_field(c, ix[T_PURPOSE]);
    t.from_address = kmt_csv_field(c, ix[T_SADDR]);
    t.to_address = kmt_csv_field(c, ix[T_EADDR]);
    int rc;
    if ((rc = kmt_csv_time_in(c, ix[T_START], KMT_LIM_YEAR_MIN, KMT_LIM_YEAR_MAX, &t.start, e)) <= 0)
        return rc ? rc : kmt_csv_error(c, ix[T_START], e, "start_time is empty");
    if ((rc = kmt_csv_time_in(c, ix[T_END], KMT_LIM_YEAR_MIN, KMT_LIM_YEAR_MAX, &t.end, e)) <= 0)
        return rc ? rc : kmt_csv_error(c, ix[T_END], e, "end_time is empty");
    if (t.end < t.start) return kmt_csv_error(c, ix[T_END], e, "end_time is before start_time");
    if (t.end - t.start > KMT_LIM_TRIP_DAYS_MAX * KMT_DAY)
        return kmt_csv_error(c, ix[T_END], e, "a trip longer than %d days", KMT_LIM_TRIP_DAYS_MAX);
    if ((rc = kmt_csv_number(c, ix[T_KM], &t.km, e)) <= 0)
        return rc ? rc : kmt_csv_error(c, ix[T_KM], e, "km is empty");
    if (t.km < 0 || t.km > KMT_LIM_TRIP_KM_MAX)
        return kmt_csv_error(c, ix[T_KM], e, "km must be from 0 to %g", KMT_LIM_TRIP_KM_MAX);
    if ((rc = kmt_csv_coord(c, ix[T_SLON], ix[T_SLAT], 0, &t.from, e))) return rc;
    if ((rc = kmt_csv_coord(c, ix[T_ELON], ix[T_ELAT], 0, &t.to, e))) return rc;
    long pass = 0;
    if ((rc = kmt_csv_int(c, ix[T_PASS], &pass, e)) < 0) return rc;
    if (pass < 0 || pass > KMT_LIM_SEATS_MAX)
        return kmt_csv_error(c, ix[T_PASS], e, "expected 0 to %d passengers", KMT_LIM_SEATS_MAX);
    t.passengers = (int)pass;

    const kmt_dataset *d = x->d;
    int64_t vehicle_id = 0, site_id = 0, dept = 0;
    const char *vk = kmt_csv_field(c, ix[T_VEH]);
    if (*vk) {
        int32_t vi = kmt__strmap_get(&x->vehicles, vk);
        if (vi < 0)
            return kmt_csv_error(c, ix[T_VEH], e,
                                 "unknown vehicle (neither a vehicle_id nor a registration of the "
                                 "vehicle list): import the vehicles first");
        t.vehicle = vi;
        vehicle_id = d->vehicles.v[vi].id;
    }
    const char *sk = kmt_csv_field(c, ix[T_SITE]);
    if (*sk) {
        t.site = kmt__strmap_get(&x->sites, sk);
        if (t.site < 0) return kmt_csv_error(c, ix[T_SITE], e, "unknown site: import the sites first");
    } else if (kmt_geo_valid(t.from)) {
        t.site = kmt_dataset_nearest_site(d, t.from, NULL); /* the site nearest to where it starts */
    } else if (t.vehicle >= 0) {
        t.site = d->vehicles.v[t.vehicle].site; /* else the vehicle's home site */
    }
    if (t.site >= 0) site_id = d->sites.v[t.site].id;
    const char *dn = kmt_csv_field(c, ix[T_DEPT]);
    if (*dn) {
        if ((rc = dept_id(&x->depts, s, muni, 0, dn, &dept, e))) return rc;
    } else if (t.vehicle >= 0 && d->vehicles.v[t.vehicle].department >= 0) {
        dept = d->orgs.v[d->vehicles.v[t.vehicle].department].id;
    }
    int put = kmt_store_put_trip(s, &t, vehicle_id, site_id, dept, e);
    if (put < 0) return put;
    kmt_app_import_count(st, put);
    return 0;
}

int kmt_app_import_trips(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_dataset *d,
                         const kmt_app_import_opts *o, kmt_app_import_report *st, kmt_error *e)
{
    int ix[T_N], rc;
    kmt_csv_bind(c, m, "trips", trip_cols, T_N, ix, e);
    if ((rc = kmt_csv_require(c, ix[T_START], "start_time", e)) ||
        (rc = kmt_csv_require(c, ix[T_END], "end_time", e)) || (rc = kmt_csv_require(c, ix[T_KM], "km", e)))
        return rc;
    trip_ctx x = { .d = d };
    /* registrations first, keys second: a key wins over an equal registration */
    for (size_t i = 0; i < d->vehicles.n; i++)
        if (d->vehicles.v[i].municipality == muni && *d->vehicles.v[i].registration)
            kmt__strmap_put(&x.vehicles, d->vehicles.v[i].registration, (int32_t)i);
    for (size_t i = 0; i < d->vehicles.n; i++)
        if (d->vehicles.v[i].municipality == muni) kmt__strmap_put(&x.vehicles, d->vehicles.v[i].key, (int32_t)i);
    for (size_t i = 0; i < d->sites.n; i++)
        if (d->sites.v[i].municipality == muni) kmt__strmap_put(&x.sites, d->sites.v[i].key, (int32_t)i);
    long lines = kmt_csv_lines_left(c);
    kmt_progress pr;
    kmt_progress_begin(&pr, "importing trips", (uint64_t)lines);
    rc = kmt_store_bulk_begin(s, "trips", lines, e);
    while (!rc && (rc = kmt_csv_next(c, e)) == 1) {
        if ((++st->rows & 0xffff) == 0) kmt_progress_step(&pr, (uint64_t)st->rows);
        rc = trip_row(c, s, muni, ix, &x, st, e);
        if (rc == KMT_EIO || (rc && (rc = kmt_app_import_bad_row(st, o, e)))) break;
    }
    if (!rc) rc = kmt_app_import_bulk_end(s, st, e);
    kmt_progress_end(&pr);
    kmt__strmap_free(&x.vehicles);
    kmt__strmap_free(&x.sites);
    dept_cache_free(&x.depts);
    return rc;
}

/* ---- travel records -------------------------------------------------------- */

typedef struct {
    strmap orgs;
    KMT_VEC(int64_t) org_ids;
    dept_cache depts; /* keyed by "org id/name" */
    strmap places;    /* gazetteer: folded name -> index into place_pos */
    KMT_VEC(kmt_coord) place_pos;
} travel_ctx;

/* A place name folded for lookup: ASCII and Latin-1 letters lower-cased,
 * runs of spaces as one, no surrounding spaces. */
static void fold_place(char *dst, size_t n, const char *s)
{
    size_t k = 0;
    while (*s == ' ') s++;
    for (; *s && k + 3 < n; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' && (s[1] == ' ' || !s[1])) continue;
        if (ch == 0xc3 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9e && (unsigned char)s[1] != 0x97) {
            dst[k++] = (char)ch;
            dst[k++] = (char)((unsigned char)s[1] + 0x20);
            s++;
            continue;
        }
        dst[k++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : (char)ch;
    }
    dst[k] = '\0';
}

/* Read the gazetteer: CSV with place (or name), lon, lat. */
static int load_gazetteer(travel_ctx *x, const char *path, kmt_error *e)
{
    kmt_csv *c;
    int rc = kmt_csv_open(&c, path, NULL, e);
    if (rc) return rc;
    static const char *const cols[] = { "place", "name", "lon", "lat" };
    int ix[4];
    kmt_csv_bind(c, NULL, "sites", cols, 4, ix, e);
    if (ix[0] < 0) ix[0] = ix[1];
    if ((rc = kmt_csv_require(c, ix[0], "place", e)) || (rc = kmt_csv_require(c, ix[2], "lon", e)) ||
        (rc = kmt_csv_require(c, ix[3], "lat", e))) {
        kmt_csv_close(c);
        return rc;
    }
    while ((rc = kmt_csv_next(c, e)) == 1) {
        kmt_coord p = { NAN, NAN };
        if ((rc = kmt_csv_coord(c, ix[2], ix[3], 0, &p, e))) break;
        if (!kmt_geo_valid(p)) {
            rc = kmt_csv_error(c, ix[2], e, "a gazetteer place needs lon and lat");
            break;
        }
        char key[256];
        fold_place(key, sizeof key, kmt_csv_field(c, ix[0]));
        if (!*key) {
            rc = kmt_csv_error(c, ix[0], e, "a gazetteer place needs a name");
            break;
        }
        KMT_VEC_PUSH(x->place_pos, p);
        kmt__strmap_put(&x->places, key, (int32_t)(x->place_pos.n - 1));
    }
    kmt_csv_close(c);
    return rc < 0 ? rc : 0;
}

/* Coordinates of a place name from the gazetteer, if it is there and the
 * row gave none. */
static void place_coord(const travel_ctx *x, const char *name, kmt_coord *pos)
{
    if (!x->place_pos.n || kmt_geo_valid(*pos) || !*name) return;
    char key[256];
    fold_place(key, sizeof key, name);
    int32_t k = kmt__strmap_get(&x->places, key);
    if (k >= 0) *pos = x->place_pos.v[k];
}

static int travel_org(travel_ctx *x, kmt_store *s, int64_t muni, const char *name, int64_t *id, kmt_error *e)
{
    int32_t k = kmt__strmap_get(&x->orgs, name);
    if (k >= 0) {
        *id = x->org_ids.v[k];
        return 0;
    }
    int rc = kmt_store_org(s, muni, 0, name, id, e); /* "" = the municipality's own organisation */
    if (rc) return rc;
    KMT_VEC_PUSH(x->org_ids, *id);
    kmt__strmap_put(&x->orgs, name, (int32_t)(x->org_ids.n - 1));
    return 0;
}

/* "org id/department name" (as snprintf "%lld/%s" would write it, truncated
 * to n - 1 bytes), without snprintf's cost on every row. */
static void org_key(char *key, size_t n, int64_t org, const char *dept)
{
    char num[24];
    int k = 0;
    uint64_t u = org < 0 ? (uint64_t)0 - (uint64_t)org : (uint64_t)org;
    do num[k++] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (org < 0) num[k++] = '-';
    size_t len = 0;
    while (k > 0 && len + 1 < n) key[len++] = num[--k];
    if (len + 1 < n) key[len++] = '/';
    size_t dl = strlen(dept);
    if (dl > n - 1 - len) dl = n - 1 - len;
    memcpy(key + len, dept, dl);
    key[len + dl] = '\0';
}

static int travel_row(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const int *ix, travel_ctx *x,
                      kmt_app_import_report *st, kmt_error *e)
{
    kmt_travel r;
    int rc = kmt__travel_parse_row(c, m, ix, &r, e);
    if (rc) return rc;
    r.municipality = muni;
    place_coord(x, r.from_place, &r.from);
    place_coord(x, r.to_place, &r.to);
    int64_t org = 0, dept = 0;
    if ((rc = travel_org(x, s, muni, kmt_csv_field(c, ix[R_ORG]), &org, e))) return rc;
    const char *dn = kmt_csv_field(c, ix[R_DEPT]);
    if (*dn) {
        char key[600];
        org_key(key, sizeof key, org, dn);
        int32_t k = kmt__strmap_get(&x->depts.map, key);
        if (k >= 0)
            dept = x->depts.ids.v[k];
        else {
            if ((rc = kmt_store_org(s, muni, org, dn, &dept, e))) return rc;
            KMT_VEC_PUSH(x->depts.ids, dept);
            kmt__strmap_put(&x->depts.map, key, (int32_t)(x->depts.ids.n - 1));
        }
    }
    int put = kmt_store_put_travel(s, &r, org, dept, e);
    if (put < 0) return put;
    kmt_app_import_count(st, put);
    return 0;
}

int kmt_app_import_travel(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                          kmt_app_import_report *st, kmt_error *e)
{
    int ix[R_N], rc;
    kmt_csv_bind(c, m, "travel", kmt__travel_cols, R_N, ix, e);
    if (ix[R_DATE] < 0 && (rc = kmt_csv_require(c, ix[R_START], "date", e))) return rc;
    if ((rc = kmt_csv_require(c, ix[R_KM], "km", e)) || (rc = kmt_csv_require(c, ix[R_MODE], "mode", e))) return rc;
    travel_ctx x = { 0 };
    if (o->gazetteer) rc = load_gazetteer(&x, o->gazetteer, e);
    long lines = kmt_csv_lines_left(c);
    kmt_progress pr;
    kmt_progress_begin(&pr, "importing travel records", (uint64_t)lines);
    if (!rc) rc = kmt_store_bulk_begin(s, "travel", lines, e);
    while (!rc && (rc = kmt_csv_next(c, e)) == 1) {
        if ((++st->rows & 0xffff) == 0) kmt_progress_step(&pr, (uint64_t)st->rows);
        rc = travel_row(c, m, s, muni, ix, &x, st, e);
        if (rc == KMT_EIO || (rc && (rc = kmt_app_import_bad_row(st, o, e)))) break;
    }
    if (!rc) rc = kmt_app_import_bulk_end(s, st, e);
    kmt_progress_end(&pr);
    KMT_VEC_FREE(x.org_ids);
    KMT_VEC_FREE(x.place_pos);
    kmt__strmap_free(&x.orgs);
    kmt__strmap_free(&x.places);
    dept_cache_free(&x.depts);
    return rc;
}

/* ---- the whole file in one transaction ------------------------------------- */
