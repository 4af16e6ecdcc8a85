/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The store on both backends: the analyses give the same output on SQLite and
 * PostgreSQL, db copy moves an installation there and back (checksums equal),
 * an import killed half-way leaves nothing, and the PostgreSQL backend
 * reconnects after a dropped connection.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kommute/core.h"
#include "kommute/store.h"
#include "test.h"

static const char *sbin(void)
{
    const char *b = getenv("KMT_BIN");
    if (!b) kmt_test_skip("KMT_BIN not set (run via make check)");
    return b;
}

/* stdout of `kommute ARGS` (malloc'd) and its exit code in *rc; lines with
 * timings ("computed in", "(0.3 s)") are dropped so outputs compare. */
static char *kout(const char *args, int *rc)
{
    char *out = NULL, *err = NULL;
    *rc = kmt_test_run(args, &out, &err);
    if (*rc != 0 && err) printf("    stderr: %.500s\n", err);
    free(err);
    if (!out) return strdup("");
    char *w = out;
    for (char *line = out; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
        int timing = (strstr(line, "computed in") && strstr(line, "computed in") < line + len) ||
                     (strstr(line, "\"seconds\"") && strstr(line, "\"seconds\"") < line + len);
        if (!timing) {
            memmove(w, line, len);
            w += len;
        }
        line += len;
    }
    *w = '\0';
    return out;
}

static void demo_into(const char *db, int seed)
{
    char args[1400];
    int rc;
    snprintf(args, sizeof args, "demo generate --seed %d --scale small --db '%s'", seed, db);
    free(kout(args, &rc));
    ASSERT_EQ_INT(rc, 0);
}

KMT_TEST(store_backends_give_the_same_analyses)
{
    sbin();
    kmt_test_pg();
    const char *lite = kmt_test_db("sqlite", "same_lite"), *pg = kmt_test_db("postgresql", "same_pg");
    demo_into(lite, 2);
    demo_into(pg, 2);
    const char *cmds[] = { "fleet size --format json --pool-distance 2000",
                           "fleet size --format json --changeover 5 --pool-distance 3000",
                           "fleet report --format json",
                           "fleet report --format csv --by department",
                           "fleet ev --format json --range 250",
                           "fleet place --format json",
                           "fleet compose --site S05 --format json --best 2",
                           "travel report --format json",
                           "travel candidates --format json",
                           "pool analyse --from 2024-03-01 --to 2024-03-15 --format json" };
    for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
        char a[1400];
        int rc1, rc2;
        snprintf(a, sizeof a, "%s --db '%s'", cmds[k], lite);
        char *x = kout(a, &rc1);
        snprintf(a, sizeof a, "%s --db '%s'", cmds[k], pg);
        char *y = kout(a, &rc2);
        ASSERT_EQ_INT(rc2, rc1);
        if (strcmp(x, y) != 0) {
            size_t i = 0;
            while (x[i] && x[i] == y[i]) i++;
            kmt_test_fail(__FILE__, __LINE__, "'%s' differs at byte %zu: sqlite '%.80s' postgresql '%.80s'", cmds[k], i,
                          x + i, y + i);
        }
        ASSERT(strlen(x) > 20);
        free(x);
        free(y);
    }
}

/* The checksum table that db copy prints (from its header line on). */
static const char *sums_of(const char *out)
{
    const char *t = strstr(out, "table ");
    return t ? t : "";
}

KMT_TEST(store_db_copy_to_postgresql_and_back)
{
    sbin();
    kmt_test_pg();
    const char *lite = kmt_test_db("sqlite", "copy_src"), *pg = kmt_test_db("postgresql", "copy_pg");
    const char *back = kmt_test_db("sqlite", "copy_back");
    demo_into(lite, 5);
    char a[2400];
    int rc;
    snprintf(a, sizeof a, "db copy --from '%s' --to '%s'", lite, pg);
    char *one = kout(a, &rc);
    ASSERT_EQ_INT(rc, 0);
    ASSERT_CONTAINS(one, "copied sqlite -> postgresql");
    ASSERT_CONTAINS(one, "trips");
    /* a second copy into the non-empty target is refused, and changes nothing */
    char *err = NULL;
    ASSERT_EQ_INT(kmt_test_run(a, NULL, &err), 1);
    ASSERT_CONTAINS(err, "not empty");
    ASSERT_CONTAINS(err, "--force");
    free(err);
    snprintf(a, sizeof a, "db copy --from '%s' --to '%s'", pg, back);
    char *two = kout(a, &rc);
    ASSERT_EQ_INT(rc, 0);
    ASSERT_STR_EQ(sums_of(two), sums_of(one)); /* the same rows and checksums on both sides */
    /* --force replaces the target's rows */
    snprintf(a, sizeof a, "db copy --from '%s' --to '%s' --force", lite, pg);
    char *three = kout(a, &rc);
    ASSERT_EQ_INT(rc, 0);
    ASSERT_STR_EQ(sums_of(three), sums_of(one));
    /* the copy's checksums agree with each store's own */
    kmt_store *s;
    kmt_error e;
    kmt_store_table_sum x, y;
    ASSERT_EQ_INT(kmt_store_open(&s, lite, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_checksum(s, "travel", &x, &e), 0);
    kmt_store_close(s);
    ASSERT_EQ_INT(kmt_store_open(&s, pg, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_checksum(s, "travel", &y, &e), 0);
    ASSERT_STR_EQ(kmt_store_backend(s), "postgresql");
    kmt_store_close(s);
    ASSERT(x.rows > 1000);
    ASSERT_EQ_INT(y.rows, x.rows);
    ASSERT(x.checksum == y.checksum);
    /* new rows after a copy get new ids (the identity moved past the copied ones) */
    ASSERT_EQ_INT(kmt_store_open(&s, pg, KMT_STORE_READWRITE, &e), 0);
    int64_t id;
    ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
    ASSERT_EQ_INT(kmt_store_municipality(s, "Nyby", &id, &e), 0);
    ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
    ASSERT_EQ_INT(id, 2);
    kmt_store_close(s);
    /* db info names the municipalities and counts their rows */
    snprintf(a, sizeof a, "db info --db '%s'", pg);
    char *info = kout(a, &rc);
    ASSERT_EQ_INT(rc, 0);
    ASSERT_CONTAINS(info, "backend: postgresql");
    ASSERT_CONTAINS(info, "schema version: 3");
    ASSERT_CONTAINS(info, "Demo Kommune");
    ASSERT_CONTAINS(info, "Nyby");
    ASSERT(!strstr(info, "password")); /* no secret in the output */
    free(info);
    snprintf(a, sizeof a, "db copy --from '%s' --to '%s'", lite, lite);
    free(kout(a, &rc));
    ASSERT_EQ_INT(rc, 2);
    free(one);
    free(two);
    free(three);
}

/* A trips CSV of n private-car rows with distinct times; `bad_last` makes the
 * last row invalid (km -5). */
static void write_trips(const char *path, long n, int bad_last)
{
    FILE *f = fopen(path, "w");
    ASSERT(f != NULL);
    fputs("vehicle_id,start_time,end_time,km\n", f);
    kmt_time t0 = kmt_time_make(2023, 1, 1, 0, 0, 0);
    for (long i = 0; i < n; i++) {
        char a[32], b[32];
        kmt_time_format(t0 + i * 60, a, sizeof a);
        kmt_time_format(t0 + i * 60 + 30, b, sizeof b);
        fprintf(f, ",%s,%s,%s\n", a, b, bad_last && i == n - 1 ? "-5" : "3");
    }
    fclose(f);
}

static int64_t rows_in(const char *db, const char *table)
{
    kmt_store *s;
    kmt_error e;
    if (kmt_store_open(&s, db, KMT_STORE_READONLY, &e)) return -1;
    int64_t n = kmt_store_count(s, table);
    kmt_store_close(s);
    return n;
}

KMT_STORE_TEST(store_import_killed_half_way_leaves_nothing)
{
    const char *bin = sbin();
    const char *db = kmt_test_db(backend, "killed");
    char csv[600], a[2400];
    /* a failing row late in the file: nothing of the file is stored */
    snprintf(csv, sizeof csv, "%s/late_bad_%s.csv", kmt_test_tmpdir(), backend);
    write_trips(csv, 20000, 1);
    char *err = NULL;
    snprintf(a, sizeof a, "fleet import trips %s --db '%s'", csv, db);
    ASSERT_EQ_INT(kmt_test_run(a, NULL, &err), 1);
    ASSERT_CONTAINS(err, ":20001:4: field 'km'");
    ASSERT_CONTAINS(err, "nothing was imported");
    free(err);
    ASSERT_EQ_INT(rows_in(db, "trips"), 0);
    ASSERT_EQ_INT(rows_in(db, "imports"), 0);
    /* SIGKILL in the middle of a big import */
    snprintf(csv, sizeof csv, "%s/big_%s.csv", kmt_test_tmpdir(), backend);
    write_trips(csv, 600000, 0);
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(bin, bin, "fleet", "import", "trips", csv, "--db", db, (char *)NULL);
        _exit(127);
    }
    /* wait until it is writing (PostgreSQL: its session is in the COPY) */
    int writing = 0;
    for (int i = 0; i < 400 && !writing; i++) {
        struct timespec ts = { 0, 25 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        char v[64] = "";
        if (strcmp(backend, "postgresql") == 0)
            kmt_test_sql_value(kmt_test_pg(),
                               "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'kommute' "
                               "AND state = 'active' AND query LIKE 'COPY%'",
                               v, sizeof v);
        else /* SQLite writes its cache out at commit: give it 1.5 s of a much longer import */
            snprintf(v, sizeof v, "%d", i >= 60);
        writing = atoi(v) > 0;
    }
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    ASSERT(writing);
    ASSERT(WIFSIGNALED(st)); /* killed, not finished */
    ASSERT_EQ_INT(rows_in(db, "trips"), 0);
    ASSERT_EQ_INT(rows_in(db, "imports"), 0);
    /* and the store works afterwards */
    write_trips(csv, 100, 0);
    char *out = NULL;
    snprintf(a, sizeof a, "fleet import trips %s --db '%s'", csv, db);
    ASSERT_EQ_INT(kmt_test_run(a, &out, NULL), 0);
    ASSERT_CONTAINS(out, "100 new");
    free(out);
    ASSERT_EQ_INT(rows_in(db, "trips"), 100);
}

static void drop_kommute_sessions(void)
{
    char v[64];
    ASSERT_EQ_INT(kmt_test_sql_value(kmt_test_pg(),
                                     "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                     "application_name = 'kommute' AND pid <> pg_backend_pid()",
                                     v, sizeof v),
                  0);
    ASSERT(atoi(v) >= 1);
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

KMT_TEST(store_pg_reconnects_after_a_dropped_connection)
{
    kmt_test_pg();
    const char *db = kmt_test_db("postgresql", "reconnect");
    kmt_store *s;
    kmt_error e;
    int64_t muni;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
    ASSERT_EQ_INT(kmt_store_municipality(s, "Før", &muni, &e), 0);
    ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
    /* outside a transaction: reset, re-prepare, run again */
    drop_kommute_sessions();
    ASSERT_EQ_INT(kmt_store_count(s, "municipalities"), 1);
    int64_t again;
    ASSERT_EQ_INT(kmt_store_municipality(s, "Før", &again, &e), 0); /* a prepared statement, prepared anew */
    ASSERT_EQ_INT(again, muni);
    /* inside a transaction: the error says so, and nothing of it is written */
    kmt_trip t;
    kmt_trip_init(&t);
    t.municipality = muni;
    t.start = kmt_time_make(2024, 5, 1, 8, 0, 0);
    t.end = t.start + 600;
    t.km = 4;
    ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
    ASSERT_EQ_INT(kmt_store_put_trip(s, &t, 0, 0, 0, &e), KMT_PUT_INSERTED);
    drop_kommute_sessions();
    t.start += 3600;
    t.end += 3600;
    ASSERT_EQ_INT(kmt_store_put_trip(s, &t, 0, 0, 0, &e), KMT_EIO);
    ASSERT_CONTAINS(e.msg, "lost inside a transaction");
    ASSERT_EQ_INT(kmt_store_put_trip(s, &t, 0, 0, 0, &e), KMT_EIO); /* until rolled back */
    ASSERT_EQ_INT(kmt_store_rollback(s), 0);
    ASSERT_EQ_INT(kmt_store_count(s, "trips"), 0);
    ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
    ASSERT_EQ_INT(kmt_store_put_trip(s, &t, 0, 0, 0, &e), KMT_PUT_INSERTED);
    ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
    ASSERT_EQ_INT(kmt_store_count(s, "trips"), 1);
    kmt_store_close(s);
}

KMT_STORE_TEST(store_bulk_load_counts_and_rollback)
{
    const char *db = kmt_test_db(backend, "bulk_counts");
    kmt_store *s;
    kmt_error e;
    int64_t muni, ins, dup;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    for (int attempt = 0; attempt < 3; attempt++) {
        ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
        ASSERT_EQ_INT(kmt_store_municipality(s, "Bulkby", &muni, &e), 0);
        ASSERT_EQ_INT(kmt_store_bulk_begin(s, "trips", 1000, &e), 0);
        long n_new = 0, n_dup = 0;
        for (int i = 0; i < 1000; i++) {
            kmt_trip t;
            kmt_trip_init(&t);
            t.municipality = muni;
            t.start = kmt_time_make(2024, 2, 1, 0, 0, 0) + (i % 900) * 600; /* 100 repeated in the file */
            t.end = t.start + 300;
            t.km = 1.5;
            t.driver = (i % 900) % 2 ? "a\tb\\c" : "d\ne"; /* COPY's special characters */
            int put = kmt_store_put_trip(s, &t, 0, 0, 0, &e);
            ASSERT(put > 0);
            n_new += put == KMT_PUT_INSERTED;
            n_dup += put == KMT_PUT_DUPLICATE;
        }
        ASSERT_EQ_INT(kmt_store_bulk_end(s, &ins, &dup, &e), 0);
        ASSERT_EQ_INT(n_new + ins, attempt < 2 ? 900 : 0); /* attempt 0 is rolled back */
        ASSERT_EQ_INT(n_dup + dup, attempt < 2 ? 100 : 1000);
        if (attempt == 0) {
            ASSERT_EQ_INT(kmt_store_rollback(s), 0);
            ASSERT_EQ_INT(kmt_store_count(s, "trips"), 0);
            ASSERT_EQ_INT(kmt_store_count(s, "municipalities"), 0);
        } else {
            ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
        }
    }
    kmt_dataset d;
    kmt_dataset_init(&d);
    ASSERT_EQ_INT(kmt_store_load_fleet(s, NULL, &d, &e), 0);
    ASSERT_EQ_INT(d.trips.n, 900);
    ASSERT_STR_EQ(d.trips.v[1].driver, "a\tb\\c");
    ASSERT_STR_EQ(d.trips.v[0].driver, "d\ne");
    for (size_t i = 1; i < d.trips.n; i++) ASSERT(d.trips.v[i].id > d.trips.v[i - 1].id);
    kmt_dataset_destroy(&d);
    kmt_store_close(s);
}

/* A big bulk load checks its references in one pass (the foreign keys are
 * dropped and added back): a dangling one fails the load, and the keys are
 * there afterwards whatever happened. */
KMT_TEST(store_pg_big_bulk_load_checks_references)
{
    kmt_test_pg();
    const char *db = kmt_test_db("postgresql", "big_bulk");
    kmt_store *s;
    kmt_error e;
    int64_t muni, ins, dup;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    const char *fks = "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'trip'::regclass AND contype = 'f'";
    char before[32], after[32];
    ASSERT_EQ_INT(kmt_test_sql_value(db, fks, before, sizeof before), 0);
    ASSERT_STR_EQ(before, "4");
    for (int attempt = 0; attempt < 2; attempt++) {
        ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
        ASSERT_EQ_INT(kmt_store_municipality(s, "Storby", &muni, &e), 0);
        ASSERT_EQ_INT(kmt_store_bulk_begin(s, "trips", 60000, &e), 0);
        for (int i = 0; i < 60000; i++) {
            kmt_trip t;
            kmt_trip_init(&t);
            t.municipality = muni;
            t.start = kmt_time_make(2024, 1, 1, 0, 0, 0) + i * 60;
            t.end = t.start + 30;
            t.km = 2;
            /* the first attempt names a vehicle that does not exist in its last row */
            ASSERT_EQ_INT(kmt_store_put_trip(s, &t, attempt == 0 && i == 59999 ? 424242 : 0, 0, 0, &e), KMT_PUT_QUEUED);
        }
        int rc = kmt_store_bulk_end(s, &ins, &dup, &e);
        if (attempt == 0) {
            ASSERT_EQ_INT(rc, KMT_EIO);
            ASSERT_CONTAINS(e.msg, "foreign key");
            ASSERT_EQ_INT(kmt_store_rollback(s), 0);
        } else {
            ASSERT_EQ_INT(rc, 0);
            ASSERT_EQ_INT(ins, 60000);
            ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
        }
        ASSERT_EQ_INT(kmt_test_sql_value(db, fks, after, sizeof after), 0);
        ASSERT_STR_EQ(after, "4");
    }
    ASSERT_EQ_INT(kmt_store_count(s, "trips"), 60000);
    kmt_store_close(s);
}

/* Connection errors name the connection string without its password (no
 * server needed: nothing listens on port 1). */
KMT_TEST(store_pg_errors_hide_the_password)
{
    const char *dbs[] = { "postgresql://kommute:sekret@127.0.0.1:1/kommute?connect_timeout=2",
                          "host=127.0.0.1 port=1 dbname=kommute user=kommute password=sekret connect_timeout=2",
                          "host=127.0.0.1 port=1 password='se kret' dbname=kommute connect_timeout=2" };
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        kmt_store *s;
        kmt_error e;
        kmt_error_init(&e);
        ASSERT(kmt_store_open(&s, dbs[i], KMT_STORE_READWRITE, &e) < 0);
        ASSERT_CONTAINS(e.msg, "cannot connect to PostgreSQL");
        ASSERT_CONTAINS(e.file, "***");
        ASSERT(!strstr(e.file, "sekret") && !strstr(e.file, "kret"));
        ASSERT(!strstr(e.msg, "sekret"));
    }
}

/* Several hosts: libpq skips one that refuses and keeps the first that
 * accepts writes. */
KMT_TEST(store_pg_multi_host_conninfo)
{
    const char *pg = kmt_test_pg();
    const char *port = strstr(pg, "port=");
    ASSERT(port != NULL);
    int p = atoi(port + 5);
    char db[1024];
    /* a later keyword overrides an earlier one in a conninfo */
    snprintf(db, sizeof db,
             "%s host=127.0.0.1,127.0.0.1 port=1,%d target_session_attrs=read-write connect_timeout=2 "
             "options=-csearch_path=t_multi",
             pg, p);
    kmt_test_db("postgresql", "multi"); /* creates the schema t_multi */
    kmt_store *s;
    kmt_error e;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    ASSERT_STR_EQ(kmt_store_backend(s), "postgresql");
    ASSERT_EQ_INT(kmt_store_schema_version(s), KMT_STORE_SCHEMA_VERSION);
    kmt_store_close(s);
}
