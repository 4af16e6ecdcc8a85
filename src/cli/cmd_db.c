/* SPDX-License-Identifier: MPL-2.0 */
/* kommute db info / db copy: what an installation holds, and moving it
 * between SQLite and PostgreSQL (docs/storage.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kommute/store.h"

static const char INFO_HELP[] = "Usage: kommute db info [--db DB]\n"
                                "\n"
                                "Print the backend (sqlite or postgresql), the schema version and the rows of\n"
                                "each table per municipality. DB is a SQLite file (default kommute.db) or a\n"
                                "PostgreSQL connection string (postgresql://user@host/db, or key=value conninfo\n"
                                "such as 'host=a,b dbname=kommute target_session_attrs=read-write').\n";

static const char COPY_HELP[] = "Usage: kommute db copy --from DB --to DB [--force]\n"
                                "\n"
                                "Copy a whole installation (every row of every table, ids kept) from one\n"
                                "database to another: SQLite to PostgreSQL, back, or between two of a kind.\n"
                                "The copy is one transaction of the target; before it commits, each table's\n"
                                "row count and checksum (a hash of every column of every row in id order,\n"
                                "computed identically on both backends) must match the source's, else nothing\n"
                                "is written. The figures are printed at the end. Stop imports into the source\n"
                                "while copying (a row added meanwhile fails the check).\n"
                                "\n"
                                "Options:\n"
                                "  --from DB    the source (opened read-only)\n"
                                "  --to DB      the target (created and migrated if needed)\n"
                                "  --force      replace the target's rows; without it a target that holds any\n"
                                "               row is refused\n";

/* The tables that have a municipality, as columns of the info table. */
static const char *const info_tables[] = { "orgs", "sites", "vehicles", "trips", "travel", "imports" };
#define NINFO (sizeof info_tables / sizeof info_tables[0])
#define MAXMUNI 4096

typedef struct {
    int64_t id;
    int64_t n[NINFO];
} muni_row;

static muni_row *row_of(muni_row *rows, size_t *nrows, int64_t id)
{
    for (size_t i = 0; i < *nrows; i++)
        if (rows[i].id == id) return &rows[i];
    if (*nrows >= MAXMUNI) return NULL;
    muni_row *r = &rows[(*nrows)++];
    memset(r, 0, sizeof *r);
    r->id = id;
    return r;
}

static const char *muni_name(const kmt_dataset *d, int64_t id)
{
    for (size_t i = 0; i < d->municipalities.n; i++)
        if (d->municipalities.v[i].id == id) return d->municipalities.v[i].name;
    return id ? "?" : "(none)";
}

static int info(int argc, char **argv)
{
    const char *db = NULL;
    kmt_opt opts[] = { { "db", 0, 1, &db }, { NULL, 0, 0, NULL } };
    const char *pos[64];
    int np = 0;
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, INFO_HELP);
    if (rc) return rc;
    if (np) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    kmt_error e;
    kmt_error_init(&e);
    kmt_store *s;
    if (kmt_store_open(&s, db, KMT_STORE_READONLY, &e)) return kmt_cli_error(&e);
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_store_query q = kmt_store_query_all();
    q.from = q.to = 0; /* municipalities, orgs, sites, vehicles; no trips */
    rc = kmt_store_load_fleet(s, &q, &d, &e);
    muni_row *rows = kmt_calloc(MAXMUNI, sizeof *rows);
    size_t nrows = 0;
    for (size_t i = 0; i < d.municipalities.n; i++) row_of(rows, &nrows, d.municipalities.v[i].id);
    for (size_t t = 0; t < NINFO && !rc; t++) {
        int64_t ids[MAXMUNI], cnt[MAXMUNI];
        size_t n;
        rc = kmt_store_municipality_counts(s, info_tables[t], ids, cnt, MAXMUNI, &n, &e);
        for (size_t i = 0; i < n && !rc; i++) {
            muni_row *r = row_of(rows, &nrows, ids[i]);
            if (r) r->n[t] = cnt[i];
        }
    }
    if (!rc) {
        FILE *o = kmt_cli_out();
        fprintf(o, "backend: %s\nschema version: %d (this kommute writes %d)\n", kmt_store_backend(s),
                kmt_store_schema_version(s), KMT_STORE_SCHEMA_VERSION);
        fprintf(o, "%-6s %-28s", "id", "municipality");
        for (size_t t = 0; t < NINFO; t++) fprintf(o, " %10s", info_tables[t]);
        fputc('\n', o);
        int64_t total[NINFO] = { 0 };
        for (size_t i = 0; i < nrows; i++) {
            fprintf(o, "%-6lld %-28s", (long long)rows[i].id, muni_name(&d, rows[i].id));
            for (size_t t = 0; t < NINFO; t++) {
                fprintf(o, " %10lld", (long long)rows[i].n[t]);
                total[t] += rows[i].n[t];
            }
            fputc('\n', o);
        }
        fprintf(o, "%-6s %-28s", "", "total");
        for (size_t t = 0; t < NINFO; t++) fprintf(o, " %10lld", (long long)total[t]);
        fputc('\n', o);
    }
    kmt_free(rows);
    kmt_dataset_destroy(&d);
    kmt_store_close(s);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

static int copy(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *force = NULL;
    kmt_opt opts[] = { { "from", 0, 1, &from }, { "to", 0, 1, &to }, { "force", 0, 0, &force }, { NULL, 0, 0, NULL } };
    const char *pos[64];
    int np = 0;
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, COPY_HELP);
    if (rc) return rc;
    if (np) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    if (!from || !to) return kmt_cli_usage(argv[0], "needs --from DB and --to DB");
    if (strcmp(from, to) == 0) return kmt_cli_usage(argv[0], "--from and --to are the same database");
    kmt_error e;
    kmt_error_init(&e);
    kmt_store *src = NULL, *dst = NULL;
    rc = kmt_store_open(&src, from, KMT_STORE_READONLY, &e);
    if (!rc) rc = kmt_store_open(&dst, to, KMT_STORE_READWRITE, &e);
    kmt_store_copy_opts o;
    kmt_store_copy_opts_default(&o);
    o.force = force != NULL;
    kmt_store_table_sum sums[KMT_STORE_NTABLES];
    double t0 = kmt_now_monotonic();
    if (!rc) rc = kmt_store_copy(src, dst, &o, sums, &e);
    if (!rc) {
        FILE *out = kmt_cli_out();
        fprintf(out, "copied %s -> %s (%.1f s); verified in the target before commit:\n", kmt_store_backend(src),
                kmt_store_backend(dst), kmt_now_monotonic() - t0);
        fprintf(out, "%-16s %12s  %s\n", "table", "rows", "checksum");
        for (int i = 0; i < KMT_STORE_NTABLES; i++)
            fprintf(out, "%-16s %12lld  %016llx\n", sums[i].table, (long long)sums[i].rows,
                    (unsigned long long)sums[i].checksum);
    }
    kmt_store_close(dst);
    kmt_store_close(src);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

KMT_COMMAND("db info", "backend, schema version and rows per municipality of a database", info, INFO_HELP)
KMT_COMMAND("db copy", "copy an installation between SQLite and PostgreSQL, verified by checksums", copy, COPY_HELP)
