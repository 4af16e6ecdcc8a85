/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The SQLite backend of the store: one file, WAL, foreign keys, a versioned
 * schema brought up to date by numbered migrations, prepared statements
 * kept for the whole session (imports insert a million rows per second).
 */
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

/* Migration i takes the schema from version i to i+1. Never edit one that
 * has shipped; add the next. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE municipality (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE\n"
    ");\n"
    "CREATE TABLE organisation (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  municipality_id INTEGER NOT NULL REFERENCES municipality(id),\n"
    "  parent_id INTEGER REFERENCES organisation(id),\n"
    "  level INTEGER NOT NULL,\n"
    "  name TEXT NOT NULL\n"
    ");\n"
    "CREATE UNIQUE INDEX organisation_name ON organisation(municipality_id, IFNULL(parent_id, 0), name);\n"
    "CREATE TABLE site (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  municipality_id INTEGER NOT NULL REFERENCES municipality(id),\n"
    "  key TEXT NOT NULL,\n"
    "  name TEXT NOT NULL DEFAULT '',\n"
    "  lon REAL, lat REAL,\n"
    "  UNIQUE (municipality_id, key)\n"
    ");\n"
    "CREATE TABLE vehicle (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  municipality_id INTEGER NOT NULL REFERENCES municipality(id),\n"
    "  key TEXT NOT NULL,\n"
    "  registration TEXT NOT NULL DEFAULT '',\n"
    "  make TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',\n"
    "  kind TEXT NOT NULL DEFAULT 'unknown', fuel TEXT NOT NULL DEFAULT 'unknown',\n"
    "  range_km REAL, seats INTEGER,\n"
    "  site_id INTEGER REFERENCES site(id),\n"
    "  department_id INTEGER REFERENCES organisation(id),\n"
    "  fixed_cost_per_year REAL, cost_per_km REAL, wh_per_km REAL, km_per_litre REAL,\n"
    "  in_service_from INTEGER, in_service_to INTEGER,\n"
    "  UNIQUE (municipality_id, key)\n"
    ");\n"
    "CREATE INDEX vehicle_registration ON vehicle(municipality_id, registration);\n"
    "CREATE TABLE trip (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  municipality_id INTEGER NOT NULL REFERENCES municipality(id),\n"
    "  natkey INTEGER NOT NULL,\n"
    "  key TEXT NOT NULL DEFAULT '',\n"
    "  vehicle_id INTEGER REFERENCES vehicle(id),\n"
    "  site_id INTEGER REFERENCES site(id),\n"
    "  department_id INTEGER REFERENCES organisation(id),\n"
    "  driver TEXT NOT NULL DEFAULT '',\n"
    "  start_time INTEGER NOT NULL, end_time INTEGER NOT NULL,\n"
    "  start_lon REAL, start_lat REAL, end_lon REAL, end_lat REAL,\n"
    "  km REAL NOT NULL DEFAULT 0,\n"
    "  purpose TEXT NOT NULL DEFAULT '',\n"
    "  passengers INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE UNIQUE INDEX trip_key ON trip(municipality_id, key) WHERE key <> '';\n"
    "CREATE UNIQUE INDEX trip_time ON trip(municipality_id, start_time, natkey);\n"
    "CREATE INDEX trip_site_time ON trip(site_id, start_time);\n"
    "CREATE INDEX trip_vehicle_time ON trip(vehicle_id, start_time);\n"

    "CREATE TABLE travel (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  municipality_id INTEGER NOT NULL REFERENCES municipality(id),\n"
    "  natkey INTEGER NOT NULL,\n"
    "  key TEXT NOT NULL DEFAULT '',\n"
    "  person TEXT NOT NULL DEFAULT '',\n"
    "  organisation_id INTEGER REFERENCES organisation(id),\n"
    "  department_id INTEGER REFERENCES organisation(id),\n"
    "  date INTEGER NOT NULL, start_time INTEGER, end_time INTEGER,\n"
    "  from_place TEXT NOT NULL DEFAULT '', to_place TEXT NOT NULL DEFAULT '',\n"
    "  from_lon REAL, from_lat REAL, to_lon REAL, to_lat REAL,\n"
    "  km REAL NOT NULL DEFAULT 0,\n"
    "  mode TEXT NOT NULL, fuel TEXT NOT NULL DEFAULT 'unknown',\n"
    "  purpose TEXT NOT NULL DEFAULT '', meeting_id TEXT NOT NULL DEFAULT '',\n"
    "  cost REAL, currency TEXT NOT NULL DEFAULT '', travel_minutes INTEGER\n"
    ");\n"
    "CREATE UNIQUE INDEX travel_key ON travel(municipality_id, key) WHERE key <> '';\n"
    "CREATE UNIQUE INDEX travel_date ON travel(municipality_id, date, natkey);\n"
    "CREATE INDEX travel_org_date ON travel(organisation_id, date);\n"

    "CREATE INDEX travel_meeting ON travel(municipality_id, meeting_id);\n"
    "CREATE TABLE import_log (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  municipality_id INTEGER REFERENCES municipality(id),\n"
    "  kind TEXT NOT NULL, file TEXT NOT NULL,\n"
    "  imported INTEGER NOT NULL, duplicates INTEGER NOT NULL, skipped INTEGER NOT NULL,\n"
    "  at TEXT NOT NULL DEFAULT (datetime('now'))\n"
    ");\n",
    /* 1 -> 2: trips may give addresses instead of (or besides) coordinates */
    "ALTER TABLE trip ADD COLUMN start_address TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE trip ADD COLUMN end_address TEXT NOT NULL DEFAULT '';\n",
    /* 2 -> 3: no index that no query uses (each cost about 5,000 instructions
     * per imported row); add an index together with the query that needs it */
    "DROP INDEX IF EXISTS trip_site_time;\n"
    "DROP INDEX IF EXISTS trip_vehicle_time;\n"
    "DROP INDEX IF EXISTS travel_org_date;\n"
    "DROP INDEX IF EXISTS travel_meeting;\n"
    /* the unique indices with the most selective column first: the same
     * uniqueness, but most comparisons are decided by the first column (the
     * municipality was the same in nearly every comparison) */
    "DROP INDEX trip_time;\n"
    "CREATE UNIQUE INDEX trip_time ON trip(start_time, natkey, municipality_id);\n"
    "DROP INDEX trip_key;\n"
    "CREATE UNIQUE INDEX trip_key ON trip(key, municipality_id) WHERE key <> '';\n"
    "DROP INDEX travel_date;\n"
    "CREATE UNIQUE INDEX travel_date ON travel(date, natkey, municipality_id);\n"
    "DROP INDEX travel_key;\n"
    "CREATE UNIQUE INDEX travel_key ON travel(key, municipality_id) WHERE key <> '';\n",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(NMIGRATIONS == KMT_STORE_SCHEMA_VERSION, "one migration per schema version");
/* The oldest version a read-only connection can query as it is: version 3
 * changed only indices, so the tables and columns are those of version 2. */
#define MIN_READ_VERSION 2

static const char *const stmt_sql[ST_COUNT_] = {
    [ST_MUNI_GET] = "SELECT id FROM municipality WHERE name = ?1",
    [ST_MUNI_PUT] = "INSERT INTO municipality(name) VALUES (?1)",
    [ST_MUNI_NAME] = "SELECT name FROM municipality WHERE id = ?1",
    [ST_ORG_GET] = "SELECT id FROM organisation WHERE municipality_id = ?1 AND IFNULL(parent_id, 0) = ?2 "
                   "AND name = ?3",
    [ST_ORG_PUT] = "INSERT INTO organisation(municipality_id, parent_id, level, name) VALUES "
                   "(?1, NULLIF(?2, 0), ?4, ?3)",
    [ST_SITE_GET] = "SELECT id FROM site WHERE municipality_id = ?1 AND key = ?2",
    [ST_SITE_INS] = "INSERT INTO site(municipality_id, key, name, lon, lat) VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_SITE_UPD] = "UPDATE site SET name = ?3, lon = ?4, lat = ?5 WHERE id = ?6 AND "
                    "NOT (name IS ?3 AND lon IS ?4 AND lat IS ?5)",
    [ST_VEH_GET] = "SELECT id FROM vehicle WHERE municipality_id = ?1 AND key = ?2",
    [ST_VEH_GET_REG] = "SELECT id FROM vehicle WHERE municipality_id = ?1 AND registration = ?2 "
                       "AND registration <> '' ORDER BY id LIMIT 1",
    [ST_VEH_INS] = "INSERT INTO vehicle(municipality_id, key, registration, make, model, kind, fuel, "
                   "range_km, seats, site_id, department_id, fixed_cost_per_year, cost_per_km, "
                   "wh_per_km, km_per_litre, in_service_from, in_service_to) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [ST_VEH_UPD] = "UPDATE vehicle SET registration = ?3, make = ?4, model = ?5, kind = ?6, fuel = ?7, "
                   "range_km = ?8, seats = ?9, site_id = ?10, department_id = ?11, "
                   "fixed_cost_per_year = ?12, cost_per_km = ?13, wh_per_km = ?14, km_per_litre = ?15, "
                   "in_service_from = ?16, in_service_to = ?17 WHERE id = ?18 AND NOT ("
                   "registration IS ?3 AND make IS ?4 AND model IS ?5 AND kind IS ?6 AND fuel IS ?7 "
                   "AND range_km IS ?8 AND seats IS ?9 AND site_id IS ?10 AND department_id IS ?11 "
                   "AND fixed_cost_per_year IS ?12 AND cost_per_km IS ?13 AND wh_per_km IS ?14 AND "
                   "km_per_litre IS ?15 AND in_service_from IS ?16 AND in_service_to IS ?17)",
    [ST_TRIP_INS] = "INSERT OR IGNORE INTO trip(municipality_id, natkey, key, vehicle_id, site_id, department_id, "
                    "driver, start_time, end_time, start_lon, start_lat, end_lon, end_lat, km, purpose, "
                    "passengers, start_address, end_address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    [ST_TRAVEL_INS] = "INSERT OR IGNORE INTO travel(municipality_id, natkey, key, person, organisation_id, "
                      "department_id, date, start_time, end_time, from_place, to_place, from_lon, "
                      "from_lat, to_lon, to_lat, km, mode, fuel, purpose, meeting_id, cost, currency, "
                      "travel_minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                      "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
};

typedef struct {
    kmt_store base;
    sqlite3 *db;
    char path[256];
    int version;
    int in_tx;
    int trusted_ids; /* foreign keys not enforced: see KMT_STORE_TRUSTED_IDS */
    sqlite3_stmt *st[ST_COUNT_];
    KMT_VEC(char *) dropped; /* CREATE INDEX statements to run at bulk_end */
} sq_store;

static int sq_err(sq_store *q, kmt_error *e, const char *what)
{
    return kmt_error_at(e, KMT_EIO, q->path, 0, 0, NULL, "%s: %s", what, sqlite3_errmsg(q->db));
}

static int exec(sq_store *q, const char *sql, kmt_error *e)
{
    char *msg = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        kmt_error_at(e, KMT_EIO, q->path, 0, 0, NULL, "database error: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return KMT_EIO;
    }
    return 0;
}

static sqlite3_stmt *stmt(sq_store *q, int which)
{
    if (!q->st[which] &&
        sqlite3_prepare_v3(q->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &q->st[which], NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(q->st[which]);
    sqlite3_clear_bindings(q->st[which]);
    return q->st[which];
}

/* Bind helpers: NULL for "not given". */
static void b_text(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}
static void b_real(sqlite3_stmt *s, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}
static void b_id(sqlite3_stmt *s, int i, int64_t v)
{
    if (v > 0)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}
static void b_time(sqlite3_stmt *s, int i, kmt_time t)
{
    if (t != KMT_TIME_NONE)
        sqlite3_bind_int64(s, i, t);
    else
        sqlite3_bind_null(s, i);
}

static int read_version(sq_store *q)
{
    sqlite3_stmt *s;
    int v = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'", -1, &s,
                           NULL) != SQLITE_OK)
        return -1;
    int exists = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (!exists) return 0;
    if (sqlite3_prepare_v2(q->db, "SELECT MAX(version) FROM schema_version", -1, &s, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int migrate(sq_store *q, kmt_error *e)
{
    int rc = exec(q,
                  "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
                  "applied_at TEXT NOT NULL DEFAULT (datetime('now')))",
                  e);
    if (rc) return rc;
    for (int v = q->version; v < NMIGRATIONS; v++) {
        char done[128];
        snprintf(done, sizeof done, "INSERT INTO schema_version(version) VALUES (%d);", v + 1);
        if ((rc = exec(q, "BEGIN IMMEDIATE", e))) return rc;
        if ((rc = exec(q, migrations[v], e)) || (rc = exec(q, done, e))) {
            exec(q, "ROLLBACK", NULL);
            return rc;
        }
        if ((rc = exec(q, "COMMIT", e))) return rc;
        q->version = v + 1;
        KMT_LOG(KMT_LOG_INFO, "%s: schema migrated to version %d", q->path, v + 1);
    }
    return 0;
}

static void free_dropped(sq_store *q)
{
    for (size_t i = 0; i < q->dropped.n; i++) kmt_free(q->dropped.v[i]);
    KMT_VEC_FREE(q->dropped);
}

static void sq_close(kmt_store *s)
{
    sq_store *q = (sq_store *)s;
    if (q->in_tx) exec(q, "ROLLBACK", NULL);
    free_dropped(q);
    sqlite3_finalize(q->base.raw); /* a raw copy that did not end */
    for (int i = 0; i < ST_COUNT_; i++) sqlite3_finalize(q->st[i]);
    sqlite3_close(q->db);
    kmt_free(q);
}

static int sq_schema_version(kmt_store *s)
{
    return ((sq_store *)s)->version;
}

static int sq_begin(kmt_store *s, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    if (q->in_tx) return kmt_error_set(e, KMT_EINTERNAL, "transaction already open");
    int rc = exec(q, "BEGIN IMMEDIATE", e);
    if (!rc) q->in_tx = 1;
    return rc;
}

#if defined(__SANITIZE_ADDRESS__)
/* The test build: a connection that trusts its callers' ids still commits
 * no dangling reference. */
static int check_references(sq_store *q, kmt_error *e)
{
    sqlite3_stmt *st;
    if (!q->trusted_ids || sqlite3_prepare_v2(q->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) return 0;
    int bad = sqlite3_step(st) == SQLITE_ROW;
    int rc = bad ? kmt_error_at(e, KMT_EINTERNAL, q->path, 0, 0, NULL, "a dangling reference in table %s (row %lld)",
                                (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1))
                 : 0;
    sqlite3_finalize(st);
    return rc;
}
#else
static int check_references(sq_store *q, kmt_error *e)
{
    return (void)q, (void)e, 0;
}
#endif

static int sq_commit(kmt_store *s, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    int rc = check_references(q, e);
    if (rc) return rc;
    rc = exec(q, "COMMIT", e);
    if (!rc) q->in_tx = 0;
    return rc;
}

static int sq_rollback(kmt_store *s)
{
    sq_store *q = (sq_store *)s;
    free_dropped(q); /* the rollback brings the indices back */
    if (!q->in_tx) return 0;
    q->in_tx = 0;
    return exec(q, "ROLLBACK", NULL);
}

/* Run a lookup statement expected to give one id; 0 and *id, KMT_ENOTFOUND, or KMT_EIO. */
static int step_id(sqlite3_stmt *s, int64_t *id)
{
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return 0;
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? KMT_ENOTFOUND : KMT_EIO;
}

static int step_done(sq_store *q, sqlite3_stmt *s, kmt_error *e, const char *what)
{
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r != SQLITE_DONE) return sq_err(q, e, what);
    return 0;
}

static int sq_municipality(kmt_store *s, const char *name, int64_t *id, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = stmt(q, ST_MUNI_GET);
    if (!st) return sq_err(q, e, "prepare");
    b_text(st, 1, name);
    int rc = step_id(st, id);
    if (rc != KMT_ENOTFOUND) return rc ? sq_err(q, e, "municipality lookup") : 0;
    st = stmt(q, ST_MUNI_PUT);
    b_text(st, 1, name);
    if ((rc = step_done(q, st, e, "insert municipality"))) return rc;
    *id = sqlite3_last_insert_rowid(q->db);
    return 0;
}

static int sq_org(kmt_store *s, int64_t muni, int64_t parent, const char *name, int64_t *id, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    char mname[256] = "";
    if (parent == 0 && !*name) { /* the municipality's own organisation */
        sqlite3_stmt *st = stmt(q, ST_MUNI_NAME);
        sqlite3_bind_int64(st, 1, muni);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(mname, sizeof mname, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        if (!*mname) return kmt_error_set(e, KMT_EINVAL, "no municipality with id %lld", (long long)muni);
        name = mname;
    }
    sqlite3_stmt *st = stmt(q, ST_ORG_GET);
    if (!st) return sq_err(q, e, "prepare");
    sqlite3_bind_int64(st, 1, muni);
    sqlite3_bind_int64(st, 2, parent);
    b_text(st, 3, name);
    int rc = step_id(st, id);
    if (rc != KMT_ENOTFOUND) return rc ? sq_err(q, e, "organisation lookup") : 0;
    st = stmt(q, ST_ORG_PUT);
    sqlite3_bind_int64(st, 1, muni);
    sqlite3_bind_int64(st, 2, parent);
    b_text(st, 3, name);
    sqlite3_bind_int(st, 4, parent ? 1 : 0);
    if ((rc = step_done(q, st, e, "insert organisation"))) return rc;
    *id = sqlite3_last_insert_rowid(q->db);
    return 0;
}

static int sq_site_id(kmt_store *s, int64_t muni, const char *key, int64_t *id)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = stmt(q, ST_SITE_GET);
    if (!st) return KMT_EIO;
    sqlite3_bind_int64(st, 1, muni);
    b_text(st, 2, key);
    return step_id(st, id);
}

static int sq_vehicle_id(kmt_store *s, int64_t muni, const char *key, int64_t *id)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = stmt(q, ST_VEH_GET);
    if (!st) return KMT_EIO;
    sqlite3_bind_int64(st, 1, muni);
    b_text(st, 2, key);
    int rc = step_id(st, id);
    if (rc != KMT_ENOTFOUND) return rc;
    st = stmt(q, ST_VEH_GET_REG);
    sqlite3_bind_int64(st, 1, muni);
    b_text(st, 2, key);
    return step_id(st, id);
}

static int sq_put_site(kmt_store *s, const kmt_site *site, int64_t *idp, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    int64_t id;
    int found = sq_site_id(s, site->municipality, site->key, &id);
    if (found == KMT_EIO) return sq_err(q, e, "site lookup");
    sqlite3_stmt *st = stmt(q, found == 0 ? ST_SITE_UPD : ST_SITE_INS);
    sqlite3_bind_int64(st, 1, site->municipality);
    b_text(st, 2, site->key);
    b_text(st, 3, site->name);
    b_real(st, 4, site->pos.lon);
    b_real(st, 5, site->pos.lat);
    if (found == 0) sqlite3_bind_int64(st, 6, id);
    int rc = step_done(q, st, e, "store site");
    if (rc) return rc;
    int result = KMT_PUT_INSERTED;
    if (found == 0)
        result = sqlite3_changes(q->db) ? KMT_PUT_UPDATED : KMT_PUT_DUPLICATE;
    else
        id = sqlite3_last_insert_rowid(q->db);
    if (idp) *idp = id;
    return result;
}

static int sq_put_vehicle(kmt_store *s, const kmt_vehicle *v, int64_t site_id, int64_t dept_id, int64_t *idp,
                          kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    int64_t id;
    sqlite3_stmt *st = stmt(q, ST_VEH_GET);
    sqlite3_bind_int64(st, 1, v->municipality);
    b_text(st, 2, v->key);
    int found = step_id(st, &id);
    if (found == KMT_EIO) return sq_err(q, e, "vehicle lookup");
    st = stmt(q, found == 0 ? ST_VEH_UPD : ST_VEH_INS);
    sqlite3_bind_int64(st, 1, v->municipality);
    b_text(st, 2, v->key);
    b_text(st, 3, v->registration);
    b_text(st, 4, v->make);
    b_text(st, 5, v->model);
    b_text(st, 6, kmt_vehicle_kind_name(v->kind));
    b_text(st, 7, kmt_fuel_name(v->fuel));
    b_real(st, 8, v->range_km > 0 ? v->range_km : NAN);
    if (v->seats > 0) sqlite3_bind_int(st, 9, v->seats);
    b_id(st, 10, site_id);
    b_id(st, 11, dept_id);
    b_real(st, 12, v->fixed_cost_per_year);
    b_real(st, 13, v->cost_per_km);
    b_real(st, 14, v->wh_per_km > 0 ? v->wh_per_km : NAN);
    b_real(st, 15, v->km_per_litre > 0 ? v->km_per_litre : NAN);
    b_time(st, 16, v->in_service_from);
    b_time(st, 17, v->in_service_to);
    if (found == 0) sqlite3_bind_int64(st, 18, id);
    int rc = step_done(q, st, e, "store vehicle");
    if (rc) return rc;
    int result = KMT_PUT_INSERTED;
    if (found == 0)
        result = sqlite3_changes(q->db) ? KMT_PUT_UPDATED : KMT_PUT_DUPLICATE;
    else
        id = sqlite3_last_insert_rowid(q->db);
    if (idp) *idp = id;
    return result;
}

static int sq_put_trip(kmt_store *s, const kmt_trip *t, uint64_t natkey, int64_t vehicle_id, int64_t site_id,
                       int64_t dept_id, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = stmt(q, ST_TRIP_INS);
    if (!st) return sq_err(q, e, "prepare");
    sqlite3_bind_int64(st, 1, t->municipality);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)natkey);
    b_text(st, 3, t->key);
    b_id(st, 4, vehicle_id);
    b_id(st, 5, site_id);
    b_id(st, 6, dept_id);
    b_text(st, 7, t->driver);
    sqlite3_bind_int64(st, 8, t->start);
    sqlite3_bind_int64(st, 9, t->end);
    b_real(st, 10, t->from.lon);
    b_real(st, 11, t->from.lat);
    b_real(st, 12, t->to.lon);
    b_real(st, 13, t->to.lat);
    sqlite3_bind_double(st, 14, t->km);
    b_text(st, 15, t->purpose);
    sqlite3_bind_int(st, 16, t->passengers);
    b_text(st, 17, t->from_address);
    b_text(st, 18, t->to_address);
    int rc = step_done(q, st, e, "store trip");
    if (rc) return rc;
    return sqlite3_changes(q->db) ? KMT_PUT_INSERTED : KMT_PUT_DUPLICATE;
}

static int sq_put_travel(kmt_store *s, const kmt_travel *r, uint64_t natkey, int64_t org_id, int64_t dept_id,
                         kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st = stmt(q, ST_TRAVEL_INS);
    if (!st) return sq_err(q, e, "prepare");
    sqlite3_bind_int64(st, 1, r->municipality);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)natkey);
    b_text(st, 3, r->key);
    b_text(st, 4, r->person);
    b_id(st, 5, org_id);
    b_id(st, 6, dept_id);
    sqlite3_bind_int64(st, 7, r->date);
    b_time(st, 8, r->start);
    b_time(st, 9, r->end);
    b_text(st, 10, r->from_place);
    b_text(st, 11, r->to_place);
    b_real(st, 12, r->from.lon);
    b_real(st, 13, r->from.lat);
    b_real(st, 14, r->to.lon);
    b_real(st, 15, r->to.lat);
    sqlite3_bind_double(st, 16, r->km);
    b_text(st, 17, kmt_mode_name(r->mode));
    b_text(st, 18, kmt_fuel_name(r->fuel));
    b_text(st, 19, r->purpose);
    b_text(st, 20, r->meeting_id);
    b_real(st, 21, r->cost);
    b_text(st, 22, r->currency);
    if (r->travel_minutes >= 0) sqlite3_bind_int(st, 23, r->travel_minutes);
    int rc = step_done(q, st, e, "store travel record");
    if (rc) return rc;
    return sqlite3_changes(q->db) ? KMT_PUT_INSERTED : KMT_PUT_DUPLICATE;
}

/* ---- loading --------------------------------------------------------------- */

/* id -> array index, sorted for binary search. */
typedef struct {
    int64_t id;
    int32_t idx;
} idpair;
typedef KMT_VEC(idpair) idmap;

static int cmp_idpair(const void *a, const void *b)
{
    int64_t x = ((const idpair *)a)->id, y = ((const idpair *)b)->id;
    return (x > y) - (x < y);
}

static int32_t idmap_get(const idmap *m, sqlite3_stmt *st, int col)
{
    if (!m->n || sqlite3_column_type(st, col) == SQLITE_NULL) return -1;
    idpair key = { sqlite3_column_int64(st, col), 0 };
    const idpair *p = bsearch(&key, m->v, m->n, sizeof *m->v, cmp_idpair);
    return p ? p->idx : -1;
}

static const char *col_str(kmt_dataset *d, sqlite3_stmt *st, int col)
{
    return kmt_dataset_str(d, (const char *)sqlite3_column_text(st, col));
}

static double col_real(sqlite3_stmt *st, int col, double none)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? none : sqlite3_column_double(st, col);
}

static kmt_time col_time(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? KMT_TIME_NONE : sqlite3_column_int64(st, col);
}

static int prepare(sq_store *q, const char *sql, sqlite3_stmt **st, kmt_error *e)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK) return sq_err(q, e, "prepare query");
    return 0;
}

static int finish(sq_store *q, sqlite3_stmt *st, int r, kmt_error *e)
{
    sqlite3_finalize(st);
    if (r != SQLITE_DONE) return sq_err(q, e, "query");
    return 0;
}

/* Municipalities and orgs (with parent indices) of q->municipality (0 = all). */
static int load_orgs(sq_store *q, const kmt_store_query *qq, kmt_dataset *d, idmap *orgs, kmt_error *e)
{
    sqlite3_stmt *st;
    int rc, r;
    if ((rc = prepare(q, "SELECT id, name FROM municipality WHERE ?1 = 0 OR id = ?1 ORDER BY id", &st, e))) return rc;
    sqlite3_bind_int64(st, 1, qq->municipality);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kmt_municipality m = { sqlite3_column_int64(st, 0), col_str(d, st, 1) };
        KMT_VEC_PUSH(d->municipalities, m);
    }
    if ((rc = finish(q, st, r, e))) return rc;
    if ((rc = prepare(q,
                      "SELECT id, municipality_id, parent_id, level, name FROM organisation "
                      "WHERE ?1 = 0 OR municipality_id = ?1 ORDER BY level, id",
                      &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, qq->municipality);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kmt_org o = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), -1, sqlite3_column_int(st, 3),
                      col_str(d, st, 4) };
        /* parents have a lower level, so they are loaded already */
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            int64_t pid = sqlite3_column_int64(st, 2);
            for (size_t i = 0; i < d->orgs.n; i++)
                if (d->orgs.v[i].id == pid) o.parent = (int32_t)i;
        }
        KMT_VEC_PUSH(*orgs, ((idpair){ o.id, (int32_t)d->orgs.n }));
        KMT_VEC_PUSH(d->orgs, o);
    }
    if ((rc = finish(q, st, r, e))) return rc;
    if (orgs->n) qsort(orgs->v, orgs->n, sizeof *orgs->v, cmp_idpair);
    return 0;
}

static int sq_load_fleet(kmt_store *s, const kmt_store_query *qq, kmt_dataset *d, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    idmap orgs = { 0 }, sites = { 0 }, vehicles = { 0 };
    sqlite3_stmt *st = NULL;
    int rc, r;
    if ((rc = load_orgs(q, qq, d, &orgs, e))) goto out;
    if ((rc = prepare(q,
                      "SELECT id, municipality_id, key, name, lon, lat FROM site "
                      "WHERE ?1 = 0 OR municipality_id = ?1 ORDER BY id",
                      &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, qq->municipality);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kmt_site x;
        kmt_site_init(&x);
        x.id = sqlite3_column_int64(st, 0);
        x.municipality = sqlite3_column_int64(st, 1);
        x.key = col_str(d, st, 2);
        x.name = col_str(d, st, 3);
        x.pos.lon = col_real(st, 4, NAN);
        x.pos.lat = col_real(st, 5, NAN);
        KMT_VEC_PUSH(sites, ((idpair){ x.id, (int32_t)d->sites.n }));
        KMT_VEC_PUSH(d->sites, x);
    }
    if ((rc = finish(q, st, r, e))) goto out;
    if ((rc = prepare(q,
                      "SELECT id, municipality_id, key, registration, make, model, kind, fuel, range_km, "
                      "seats, site_id, department_id, fixed_cost_per_year, cost_per_km, wh_per_km, "
                      "km_per_litre, in_service_from, in_service_to FROM vehicle "
                      "WHERE ?1 = 0 OR municipality_id = ?1 ORDER BY id",
                      &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, qq->municipality);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kmt_vehicle v;
        kmt_vehicle_init(&v);
        v.id = sqlite3_column_int64(st, 0);
        v.municipality = sqlite3_column_int64(st, 1);
        v.key = col_str(d, st, 2);
        v.registration = col_str(d, st, 3);
        v.make = col_str(d, st, 4);
        v.model = col_str(d, st, 5);
        kmt_vehicle_kind_parse((const char *)sqlite3_column_text(st, 6), &v.kind);
        kmt_fuel_parse((const char *)sqlite3_column_text(st, 7), &v.fuel);
        v.range_km = col_real(st, 8, 0);
        v.seats = sqlite3_column_int(st, 9);
        v.site = idmap_get(&sites, st, 10);
        v.department = idmap_get(&orgs, st, 11);
        v.fixed_cost_per_year = col_real(st, 12, 0);
        v.cost_per_km = col_real(st, 13, 0);
        v.wh_per_km = col_real(st, 14, 0);
        v.km_per_litre = col_real(st, 15, 0);
        v.in_service_from = col_time(st, 16);
        v.in_service_to = col_time(st, 17);
        KMT_VEC_PUSH(vehicles, ((idpair){ v.id, (int32_t)d->vehicles.n }));
        KMT_VEC_PUSH(d->vehicles, v);
    }
    if ((rc = finish(q, st, r, e))) goto out;
    if ((rc = prepare(q,
                      "SELECT id, municipality_id, key, vehicle_id, site_id, department_id, driver, "
                      "start_time, end_time, start_lon, start_lat, end_lon, end_lat, km, purpose, "
                      "passengers, start_address, end_address FROM trip WHERE (?1 = 0 OR municipality_id = ?1) "
                      "AND start_time >= ?2 AND start_time < ?3 "
                      "AND (?4 = '' OR site_id = (SELECT id FROM site WHERE key = ?4 AND "
                      "(?1 = 0 OR municipality_id = ?1) LIMIT 1)) ORDER BY start_time, id",
                      &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, qq->municipality);
    sqlite3_bind_int64(st, 2, qq->from == KMT_TIME_NONE ? INT64_MIN : qq->from);
    sqlite3_bind_int64(st, 3, qq->to == KMT_TIME_NONE ? INT64_MAX : qq->to);
    b_text(st, 4, qq->site);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kmt_trip t;
        t.id = sqlite3_column_int64(st, 0);
        t.municipality = sqlite3_column_int64(st, 1);
        t.key = col_str(d, st, 2);
        t.vehicle = idmap_get(&vehicles, st, 3);
        t.site = idmap_get(&sites, st, 4);
        t.department = idmap_get(&orgs, st, 5);
        t.driver = col_str(d, st, 6);
        t.start = sqlite3_column_int64(st, 7);
        t.end = sqlite3_column_int64(st, 8);
        t.from.lon = col_real(st, 9, NAN);
        t.from.lat = col_real(st, 10, NAN);
        t.to.lon = col_real(st, 11, NAN);
        t.to.lat = col_real(st, 12, NAN);
        t.km = sqlite3_column_double(st, 13);
        t.purpose = col_str(d, st, 14);
        t.passengers = sqlite3_column_int(st, 15);
        t.from_address = col_str(d, st, 16);
        t.to_address = col_str(d, st, 17);
        KMT_VEC_PUSH(d->trips, t);
    }
    rc = finish(q, st, r, e);
out:
    KMT_VEC_FREE(orgs);
    KMT_VEC_FREE(sites);
    KMT_VEC_FREE(vehicles);
    return rc;
}

/* Interned strings of one load: columns with few distinct values (people,
 * places, purposes, meeting ids) are stored once in the dataset's arena and
 * shared by every row that has them. map: text -> entry i, whose copy in the
 * dataset's arena is copy.v[i]; last[col]: the column's value in the row
 * before (rows often repeat it), checked before the map. */
#define INTERN_COLS 32
typedef struct {
    kmt_map map;
    KMT_VEC(const char *) copy;
    const char *last[INTERN_COLS];
    size_t last_len[INTERN_COLS];
} interner;

static const char *intern_col(interner *in, kmt_dataset *d, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    if (!s || len <= 0) return "";
    int cached = col >= 0 && col < INTERN_COLS;
    if (cached && in->last[col] && in->last_len[col] == (size_t)len && memcmp(in->last[col], s, (size_t)len) == 0)
        return in->last[col];
    int added;
    size_t i = kmt_map_insert_str(&in->map, s, (size_t)len, 0, &added);
    if (added) {
        char *copy = kmt_arena_alloc(&d->arena, (size_t)len + 1); /* zeroed: terminated */
        memcpy(copy, s, (size_t)len);
        KMT_VEC_PUSH(in->copy, copy);
    }
    if (cached) {
        in->last[col] = in->copy.v[i];
        in->last_len[col] = (size_t)len;
    }
    return in->copy.v[i];
}

/* A column of unique values (record ids): copied, not interned. */
static const char *copy_col(kmt_dataset *d, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    if (!s || len <= 0) return "";
    char *copy = kmt_arena_alloc(&d->arena, (size_t)len + 1);
    memcpy(copy, s, (size_t)len);
    return copy;
}

/* Enum columns (mode, fuel) parsed once per distinct text. */
typedef struct {
    char text[24];
    int rc, val;
} enum_memo;
typedef struct {
    enum_memo v[16];
    int n;
} enum_cache;

static int enum_col(enum_cache *c, sqlite3_stmt *st, int col, int is_mode, int *val)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    if (!s) s = "";
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i].text, s) == 0) return *val = c->v[i].val, c->v[i].rc;
    int rc, v = 0;
    if (is_mode) {
        kmt_mode m = KMT_MODE_UNKNOWN;
        rc = kmt_mode_parse(s, &m);
        v = (int)m;
    } else {
        kmt_fuel f = KMT_FUEL_UNKNOWN;
        rc = kmt_fuel_parse(s, &f);
        v = (int)f;
    }
    if (c->n < 16 && strlen(s) < sizeof c->v[0].text) {
        snprintf(c->v[c->n].text, sizeof c->v[c->n].text, "%s", s);
        c->v[c->n].rc = rc;
        c->v[c->n].val = v;
        c->n++;
    }
    *val = v;
    return rc;
}

/* The order of kmt_dataset.travel: date, start time (the date if none), id. */
static int cmp_travel(const void *a, const void *b)
{
    const kmt_travel *x = a, *y = b;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    kmt_time sx = x->start == KMT_TIME_NONE ? x->date : x->start;
    kmt_time sy = y->start == KMT_TIME_NONE ? y->date : y->start;
    if (sx != sy) return sx < sy ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Rows are read in table (rowid) order, with only the filters that are set,
 * and sorted here: SQLite's sorter copied every column of every row through
 * its sort records, which cost more than the rest of the load. */
static int sq_load_travel(kmt_store *s, const kmt_store_query *qq, kmt_dataset *d, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    idmap orgs = { 0 };
    interner in = { 0 };
    enum_cache modes = { 0 }, fuels = { 0 };
    sqlite3_stmt *st;
    int rc, r;
    if ((rc = load_orgs(q, qq, d, &orgs, e))) goto out;
    char sql[1024];
    size_t n = (size_t)snprintf(sql, sizeof sql, "%s",
                                "SELECT id, municipality_id, key, person, organisation_id, department_id, "
                                "date, start_time, end_time, from_place, to_place, from_lon, from_lat, to_lon, "
                                "to_lat, km, mode, fuel, purpose, meeting_id, cost, currency, travel_minutes "
                                "FROM travel WHERE 1");
    if (qq->municipality) n += (size_t)snprintf(sql + n, sizeof sql - n, " AND municipality_id = ?1");
    if (qq->from != KMT_TIME_NONE) n += (size_t)snprintf(sql + n, sizeof sql - n, " AND date >= ?2");
    if (qq->to != KMT_TIME_NONE) n += (size_t)snprintf(sql + n, sizeof sql - n, " AND date < ?3");
    if (qq->organisation && *qq->organisation)
        snprintf(sql + n, sizeof sql - n, " AND organisation_id IN (SELECT id FROM organisation WHERE name = ?4)");
    if ((rc = prepare(q, sql, &st, e))) goto out;
    if (qq->municipality) sqlite3_bind_int64(st, 1, qq->municipality);
    if (qq->from != KMT_TIME_NONE) sqlite3_bind_int64(st, 2, qq->from);
    if (qq->to != KMT_TIME_NONE) sqlite3_bind_int64(st, 3, qq->to);
    if (qq->organisation && *qq->organisation) b_text(st, 4, qq->organisation);
    int sorted = 1;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kmt_travel t;
        kmt_travel_init(&t);
        t.id = sqlite3_column_int64(st, 0);
        t.municipality = sqlite3_column_int64(st, 1);
        t.key = copy_col(d, st, 2);
        t.person = intern_col(&in, d, st, 3);
        t.organisation = idmap_get(&orgs, st, 4);
        t.department = idmap_get(&orgs, st, 5);
        t.date = sqlite3_column_int64(st, 6);
        t.start = col_time(st, 7);
        t.end = col_time(st, 8);
        t.from_place = intern_col(&in, d, st, 9);
        t.to_place = intern_col(&in, d, st, 10);
        t.from.lon = col_real(st, 11, NAN);
        t.from.lat = col_real(st, 12, NAN);
        t.to.lon = col_real(st, 13, NAN);
        t.to.lat = col_real(st, 14, NAN);
        t.km = sqlite3_column_double(st, 15);
        int v;
        if (enum_col(&modes, st, 16, 1, &v) == 0) t.mode = (kmt_mode)v;
        if (enum_col(&fuels, st, 17, 0, &v) == 0) t.fuel = (kmt_fuel)v;
        t.purpose = intern_col(&in, d, st, 18);
        t.meeting_id = intern_col(&in, d, st, 19);
        t.cost = col_real(st, 20, NAN);
        const unsigned char *cur = sqlite3_column_text(st, 21);
        int clen = sqlite3_column_bytes(st, 21);
        if (clen > 3) clen = 3;
        if (cur && clen > 0) memcpy(t.currency, cur, (size_t)clen);
        t.currency[clen > 0 ? clen : 0] = '\0';
        t.travel_minutes = sqlite3_column_type(st, 22) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 22);
        if (sorted && d->travel.n && cmp_travel(&d->travel.v[d->travel.n - 1], &t) > 0) sorted = 0;
        KMT_VEC_PUSH(d->travel, t);
    }
    rc = finish(q, st, r, e);
    if (!rc && !sorted) /* glibc sorts records this size through pointers */
        qsort(d->travel.v, d->travel.n, sizeof *d->travel.v, cmp_travel);
out:
    kmt_map_destroy(&in.map);
    KMT_VEC_FREE(in.copy);
    KMT_VEC_FREE(orgs);
    return rc;
}

static int sq_travel_currencies(kmt_store *s, char (*cur)[8], int64_t *cnt, size_t max, size_t *n, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, "SELECT currency, COUNT(*) FROM travel GROUP BY currency", -1, &st, NULL) !=
        SQLITE_OK)
        return kmt_error_set(e, KMT_EIO, "counting travel records by currency: %s", sqlite3_errmsg(q->db));
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        const unsigned char *c = sqlite3_column_text(st, 0);
        snprintf(cur[*n], sizeof cur[*n], "%s", c ? (const char *)c : "");
        cnt[*n] = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return kmt_error_set(e, KMT_EIO, "counting travel records by currency: %s", sqlite3_errmsg(q->db));
    return KMT_OK;
}

static int64_t sq_count(kmt_store *s, const char *table)
{
    sq_store *q = (sq_store *)s;
    static const char *const names[][2] = { { "sites", "site" },        { "vehicles", "vehicle" },
                                            { "trips", "trip" },        { "travel", "travel" },
                                            { "orgs", "organisation" }, { "municipalities", "municipality" },
                                            { "imports", "import_log" } };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(table, names[i][0]) != 0) continue;
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", names[i][1]);
        sqlite3_stmt *st;
        int64_t n = -1;
        if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return n;
    }
    return -1;
}

static int sq_bulk_begin(kmt_store *s, const char *table, int64_t rows, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    const char *t = strcmp(table, "trips") == 0 ? "trip" : "travel";
    if (!q->in_tx) return kmt_error_set(e, KMT_EINTERNAL, "bulk loading outside a transaction");
    if (rows < 50000 || q->dropped.n) return 0;
    sqlite3_stmt *st;
    int rc;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT IFNULL(MAX(rowid), 0) FROM %s", t);
    if ((rc = prepare(q, sql, &st, e))) return rc;
    int64_t have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (have * 4 > rows) return 0; /* a small addition: keep the indices up to date */
    if ((rc = prepare(q,
                      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 "
                      "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
                      &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
    KMT_VEC(char *) names = { 0 };
    while (sqlite3_step(st) == SQLITE_ROW) {
        KMT_VEC_PUSH(names, kmt_strdup((const char *)sqlite3_column_text(st, 0)));
        KMT_VEC_PUSH(q->dropped, kmt_strdup((const char *)sqlite3_column_text(st, 1)));
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < names.n && !rc; i++) {
        snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", names.v[i]);
        rc = exec(q, sql, e);
    }
    for (size_t i = 0; i < names.n; i++) kmt_free(names.v[i]);
    KMT_VEC_FREE(names);
    return rc;
}

static int sq_bulk_end(kmt_store *s, int64_t *inserted, int64_t *duplicates, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    int rc = 0;
    *inserted = *duplicates = 0; /* every put was counted when made */
    for (size_t i = 0; i < q->dropped.n && !rc; i++) rc = exec(q, q->dropped.v[i], e);
    free_dropped(q);
    return rc;
}

static int sq_log_import(kmt_store *s, int64_t muni, const char *kind, const char *file, int64_t imported,
                         int64_t duplicates, int64_t skipped, kmt_error *e)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    int rc = prepare(q,
                     "INSERT INTO import_log(municipality_id, kind, file, imported, duplicates, skipped) "
                     "VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6)",
                     &st, e);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, muni);
    b_text(st, 2, kind);
    b_text(st, 3, file);
    sqlite3_bind_int64(st, 4, imported);
    sqlite3_bind_int64(st, 5, duplicates);
    sqlite3_bind_int64(st, 6, skipped);
    return finish(q, st, sqlite3_step(st), e);
}

static const kmt_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .municipality = sq_municipality,
    .org = sq_org,
    .put_site = sq_put_site,
    .put_vehicle = sq_put_vehicle,
    .site_id = sq_site_id,
    .vehicle_id = sq_vehicle_id,
    .put_trip = sq_put_trip,
    .put_travel = sq_put_travel,
    .load_fleet = sq_load_fleet,
    .load_travel = sq_load_travel,
    .count = sq_count,
    .travel_currencies = sq_travel_currencies,
    .bulk_begin = sq_bulk_begin,
    .bulk_end = sq_bulk_end,
    .log_import = sq_log_import,
    .scan = kmt__sq_scan,
    .raw_begin = kmt__sq_raw_begin,
    .raw_put = kmt__sq_raw_put,
    .raw_end = kmt__sq_raw_end,
    .clear = kmt__sq_clear,
    .muni_counts = kmt__sq_muni_counts,
};

struct sqlite3 *kmt__store_sqlite_db(kmt_store *s)
{
    return ((sq_store *)s)->db;
}
const char *kmt__store_sqlite_path(kmt_store *s)
{
    return ((sq_store *)s)->path;
}

/* Before SQLite's first use: no global memory statistics (they take a
 * global mutex on every allocation). */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int kmt__store_sqlite_open(kmt_store **out, const char *path, int flags, kmt_error *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    *out = NULL;
    if (flags & KMT_STORE_READONLY && access(path, R_OK) != 0)
        return kmt_error_at(e, KMT_ENOTFOUND, path, 0, 0, NULL,
                            "no database here (import data first, or give --db FILE)");
    sq_store *q = kmt_calloc(1, sizeof *q);
    q->base.ops = &sqlite_ops;
    snprintf(q->path, sizeof q->path, "%s", path);
    /* a new database holds driver ids: create it 0600 before SQLite does
     * (its -wal, -shm and -journal files then get the same mode) */
    if (!(flags & KMT_STORE_READONLY) && path[0] != ':' && strncmp(path, "file:", 5) != 0 &&
        kmt_create_private(path, e) < 0) {
        kmt_free(q);
        return e ? e->code : KMT_EIO;
    }
    int oflags = (flags & KMT_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX; /* one connection per thread: no locking inside SQLite */
    if (sqlite3_open_v2(path, &q->db, oflags, NULL) != SQLITE_OK) {
        int rc = kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot open database: %s",
                              q->db ? sqlite3_errmsg(q->db) : "out of memory");
        sqlite3_close(q->db);
        kmt_free(q);
        return rc;
    }
    sqlite3_busy_timeout(q->db, 10000);
    int rc = 0;
    if (!(flags & KMT_STORE_READONLY))
        rc = exec(q, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", e);
    if (!rc) rc = exec(q, (flags & KMT_STORE_TRUSTED_IDS) ? "PRAGMA foreign_keys=OFF;" : "PRAGMA foreign_keys=ON;", e);
    q->trusted_ids = (flags & KMT_STORE_TRUSTED_IDS) != 0;
    if (!rc) rc = exec(q, "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", e);
    if (!rc) {
        q->version = read_version(q);
        if (q->version < 0)
            rc = kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "not a SQLite database or unreadable: %s",
                              sqlite3_errmsg(q->db));
        else if (q->version > KMT_STORE_SCHEMA_VERSION)
            rc = kmt_error_at(e, KMT_EVERSION, path, 0, 0, NULL,
                              "database schema version %d is newer than this kommute (%d): upgrade kommute", q->version,
                              KMT_STORE_SCHEMA_VERSION);
        else if (q->version < KMT_STORE_SCHEMA_VERSION) {
            if (flags & KMT_STORE_READONLY && q->version >= MIN_READ_VERSION)
                ; /* same tables and columns: readers need no migration */
            else if (flags & KMT_STORE_READONLY)
                rc = kmt_error_at(e, KMT_EVERSION, path, 0, 0, NULL,
                                  "database schema version %d is old; open it once read-write "
                                  "(e.g. an import) to migrate it to %d",
                                  q->version, KMT_STORE_SCHEMA_VERSION);
            else
                rc = migrate(q, e);
        }
    }
    if (rc) {
        sq_close(&q->base);
        return rc;
    }
    *out = &q->base;
    return 0;
}
