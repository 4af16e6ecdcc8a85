/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The store: where imported organisations, sites, vehicles, trips and travel
 * records live. One interface; the backend is chosen when opening: a SQLite
 * file (the embedded default) or a PostgreSQL connection string (several
 * municipalities on one installation). Both have the same schema versions,
 * migrations and results. Schema, migrations and indices are documented in
 * docs/data.md, the PostgreSQL backend in docs/storage.md.
 *
 * Analyses load what they need into a kmt_dataset and run on plain arrays:
 *
 *   kmt_store *s; kmt_error e; kmt_dataset d;
 *   if (kmt_store_open(&s, db_path, KMT_STORE_READONLY, &e)) return kmt_cli_error(&e);
 *   kmt_dataset_init(&d);
 *   kmt_store_query q = kmt_store_query_all();
 *   q.from = kmt_time_make(2024,1,1,0,0,0); q.to = kmt_time_make(2025,1,1,0,0,0);
 *   if (kmt_store_load_fleet(s, &q, &d, &e)) ...
 *   ... engine(d.trips.v, d.trips.n, ...) ...
 *   kmt_dataset_destroy(&d); kmt_store_close(s);
 *
 * A kmt_store is used by one thread at a time (SQLite is opened without its
 * own mutexes; PostgreSQL: one connection per store); threads open their own
 * store on the same file or server (WAL lets readers run while one writer
 * imports; a server pools stores, one per worker).
 */
#ifndef KOMMUTE_STORE_H
#define KOMMUTE_STORE_H

#include <stdint.h>

#include "kommute/core.h"
#include "kommute/model.h"

typedef struct kmt_store kmt_store;

#define KMT_STORE_DEFAULT_PATH "kommute.db"
/* The schema version this build writes (schema_version table). */
#define KMT_STORE_SCHEMA_VERSION 3

enum {
    KMT_STORE_READWRITE = 0, /* create the file and the schema if needed, migrate */
    KMT_STORE_READONLY = 1,  /* the file must exist and be at the current version */
    /* with READWRITE: the caller takes every id it stores from this store
     * inside the same transaction (the importers do), so references are
     * valid by construction and the database does not check them row by row
     * (SQLite: foreign_keys off for this connection; 10 % of a trip import).
     * The sanitizer build checks all references before each commit. */
    KMT_STORE_TRUSTED_IDS = 2
};

/*
 * Open a store. `path` is a SQLite file (NULL = KMT_STORE_DEFAULT_PATH) or a
 * libpq connection string: a URI (postgresql://, postgres://) or key=value
 * conninfo (containing host=, hostaddr=, dbname= or service=), several hosts
 * included (host=a,b target_session_attrs=read-write). SQLite: turns on WAL
 * and foreign keys. Both: bring the schema up to KMT_STORE_SCHEMA_VERSION by
 * running the migrations in order, each in a transaction (PostgreSQL: under
 * an advisory lock). Returns 0 and *out, or KMT_EIO (cannot open or
 * connect), KMT_EVERSION (written by a newer kommute) or KMT_ENOTFOUND
 * (READONLY and no file, or no schema in the database) with e set. Messages
 * name the file, or the conninfo with its password replaced by ***.
 */
int kmt_store_open(kmt_store **out, const char *path, int flags, kmt_error *e);
void kmt_store_close(kmt_store *s); /* NULL is a no-op; rolls back an open transaction */
/* The schema version of the open database. */
int kmt_store_schema_version(kmt_store *s);
/* The backend's name: "sqlite" or "postgresql". */
const char *kmt_store_backend(kmt_store *s);

/* Transactions (not nested). An import is begin ... put* ... commit, or
 * rollback on any error so that nothing is half-written. */
int kmt_store_begin(kmt_store *s, kmt_error *e);
int kmt_store_commit(kmt_store *s, kmt_error *e);
int kmt_store_rollback(kmt_store *s);

/* ---- writing (used by the importers and the demo generator) --------------- */

/* Get or create the municipality (tenant) of that name; *id gets its id. */
int kmt_store_municipality(kmt_store *s, const char *name, int64_t *id, kmt_error *e);
/* Get or create an organisation unit under municipality `muni`: parent 0 for
 * a top organisation (level 0), else the parent's id (level 1). An empty name
 * with parent 0 is the municipality's own organisation (named after it). */
int kmt_store_org(kmt_store *s, int64_t muni, int64_t parent, const char *name, int64_t *id, kmt_error *e);
/* Get the id of a department by name below the municipality's default
 * organisation (created with the municipality's name), creating both as needed.
 * An empty name gives *id = 0 (none). */
int kmt_store_department(kmt_store *s, int64_t muni, const char *name, int64_t *id, kmt_error *e);

/* Outcome of a put: a new row, an existing row updated, an exact duplicate,
 * or (trips and travel during a bulk load on PostgreSQL) queued: counted as
 * new or duplicate by kmt_store_bulk_end. */
enum { KMT_PUT_INSERTED = 1, KMT_PUT_UPDATED = 2, KMT_PUT_DUPLICATE = 3, KMT_PUT_QUEUED = 4 };

/*
 * Insert or update a site / vehicle by its natural key (municipality, key).
 * Index references in the row are ignored; the ids given here are used
 * (0 = none). Returns KMT_PUT_* (> 0) and sets *id (may be NULL), or < 0
 * with e set.
 */
int kmt_store_put_site(kmt_store *s, const kmt_site *site, int64_t *id, kmt_error *e);
int kmt_store_put_vehicle(kmt_store *s, const kmt_vehicle *v, int64_t site_id, int64_t dept_id, int64_t *id,
                          kmt_error *e);
/* Look up ids by natural key: 0 and *id, or KMT_ENOTFOUND. */
int kmt_store_site_id(kmt_store *s, int64_t muni, const char *key, int64_t *id);
int kmt_store_vehicle_id(kmt_store *s, int64_t muni, const char *key, int64_t *id);

/*
 * Insert a trip / travel record unless it is already stored. The natural key
 * is (municipality, key) when key is not empty, else a 64-bit hash of the
 * row's content (vehicle, driver, times, km, coordinates, ...), so
 * re-importing a file adds nothing. Returns KMT_PUT_INSERTED or
 * KMT_PUT_DUPLICATE (KMT_PUT_QUEUED in a PostgreSQL bulk load), or < 0 with
 * e set.
 */
int kmt_store_put_trip(kmt_store *s, const kmt_trip *t, int64_t vehicle_id, int64_t site_id, int64_t dept_id,
                       kmt_error *e);
int kmt_store_put_travel(kmt_store *s, const kmt_travel *r, int64_t org_id, int64_t dept_id, kmt_error *e);

/*
 * Bulk loading: call kmt_store_bulk_begin inside a transaction before putting
 * about `rows` rows into `table` ("trips" or "travel"), and kmt_store_bulk_end
 * before committing. When rows is large (>= 50,000) and at least four times
 * the rows already stored, the table's secondary (non-unique) indices are
 * dropped and rebuilt at the end (one sort instead of a B-tree insert per
 * row and index; it pays off most for files not sorted by time); otherwise
 * both calls do nothing. The unique indices that
 * detect duplicates stay in place. A rollback restores everything.
 * PostgreSQL: the rows are streamed with COPY into a temporary staging table
 * and moved into the table at bulk_end (duplicates skipped); the puts return
 * KMT_PUT_QUEUED and bulk_end sets *inserted and *duplicates to the outcome
 * of the queued rows (SQLite: both 0, every put was counted when made).
 * Queued rows are not visible to queries before bulk_end.
 */
int kmt_store_bulk_begin(kmt_store *s, const char *table, int64_t rows, kmt_error *e);
int kmt_store_bulk_end(kmt_store *s, int64_t *inserted, int64_t *duplicates, kmt_error *e);

/* Record an import in the import_log table (inside the import's transaction):
 * kind ("trips", "travel", ...), the file, and the counts of the summary. */
int kmt_store_log_import(kmt_store *s, int64_t muni, const char *kind, const char *file, int64_t imported,
                         int64_t duplicates, int64_t skipped, kmt_error *e);

/* ---- reading (used by the analyses) -------------------------------------- */

typedef struct kmt_store_query {
    int64_t municipality;     /* 0 = every municipality in the store */
    kmt_time from, to;        /* trips with start in [from, to); travel with date in
                            * [from, to); KMT_TIME_NONE = unbounded */
    const char *site;         /* trips of this site key only (NULL/"" = all) */
    const char *organisation; /* travel of this organisation name only (NULL/"" = all) */
} kmt_store_query;

/* A query with no filters. */
kmt_store_query kmt_store_query_all(void);

/*
 * Load municipalities, orgs, sites and vehicles (all of the municipality, or
 * of all) and the trips matching q, sorted by start time then id, into d
 * (which must be initialised; it is appended to only if empty, else
 * KMT_EINVAL). Index references are resolved. Returns 0 or < 0 with e set;
 * on failure d is left empty.
 */
int kmt_store_load_fleet(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e);
/* As kmt_store_load_fleet for travel records (orgs and municipalities too,
 * no trips), sorted by date, start, id. */
int kmt_store_load_travel(kmt_store *s, const kmt_store_query *q, kmt_dataset *d, kmt_error *e);

/* Row counts (for summaries and tests): table is "sites", "vehicles",
 * "trips", "travel", "orgs", "municipalities" or "imports". -1 on error. */
int64_t kmt_store_count(kmt_store *s, const char *table);
/* Travel records per currency, in one pass over the table (no records loaded):
 * up to max entries in cur[] (NUL-terminated codes) and cnt[]; *n is set to
 * the number filled. Returns 0 or a KMT_E* code with e set. */
int kmt_store_travel_currencies(kmt_store *s, char (*cur)[8], int64_t *cnt, size_t max, size_t *n, kmt_error *e);

/* ---- whole installations (kommute db info / db copy) ------------------------ */

/* The stored tables, parents first: "municipalities", "orgs", "sites",
 * "vehicles", "trips", "travel", "imports". */
#define KMT_STORE_NTABLES 7
const char *kmt_store_table_name(int i);

/* Row count and checksum of one table: a 64-bit hash of every column of every
 * row in id order, over the typed values (integers, doubles' bits, text), so
 * the same rows give the same checksum on either backend. */
typedef struct kmt_store_table_sum {
    const char *table; /* a kmt_store_table_name */
    int64_t rows;
    uint64_t checksum;
} kmt_store_table_sum;
int kmt_store_checksum(kmt_store *s, const char *table, kmt_store_table_sum *out, kmt_error *e);

/* Rows of `table` per municipality id (0 = none, e.g. an import_log row of no
 * municipality), ascending: up to max pairs in muni[] and cnt[], *n filled. */
int kmt_store_municipality_counts(kmt_store *s, const char *table, int64_t *muni, int64_t *cnt, size_t max, size_t *n,
                                  kmt_error *e);

typedef struct kmt_store_copy_opts {
    int force; /* replace the target's rows; else a target holding any row is refused */
} kmt_store_copy_opts;
void kmt_store_copy_opts_default(kmt_store_copy_opts *o);

/*
 * Copy every row of every table (ids kept) from `from` to `to` (opened
 * read-write; either backend), in one transaction of `to`. Before
 * committing, each table's row count and checksum in `to` must equal those
 * read from `from`, else nothing is written. A target holding rows is refused
 * with KMT_EINVAL unless o->force (then its rows are deleted first, in the
 * same transaction). sums (may be NULL) gets the KMT_STORE_NTABLES figures
 * (equal on both sides). Returns 0 or a KMT_E* code with e set.
 */
int kmt_store_copy(kmt_store *from, kmt_store *to, const kmt_store_copy_opts *o,
                   kmt_store_table_sum sums[KMT_STORE_NTABLES], kmt_error *e);

#endif
