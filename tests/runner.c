/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Test runner: runs every registered test (or those whose name contains one
 * of the arguments), prints a line per test and finally "N passed, N failed".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kommute/core.h"
#include "test.h"

typedef struct {
    const char *name, *file;
    kmt_test_fn fn;
} test_entry;

static test_entry tests[1024];
static int ntests;
static jmp_buf test_jmp;
static int test_skipped;
static char skip_reason[256];

void kmt_test_register(const char *name, const char *file, kmt_test_fn fn)
{
    if (ntests < (int)(sizeof tests / sizeof tests[0])) tests[ntests++] = (test_entry){ name, file, fn };
}

void kmt_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "    %s:%d: ", file, line);
    vfprintf(stdout, fmt, ap);
    fprintf(stdout, "\n");
    va_end(ap);
    longjmp(test_jmp, 1);
}

void kmt_test_skip(const char *reason)
{
    test_skipped = 1;
    snprintf(skip_reason, sizeof skip_reason, "%s", reason);
    longjmp(test_jmp, 2);
}

const char *kmt_test_shared(const char *rel)
{
    static char path[8][1024];
    static int slot;
    const char *roots[] = { getenv("KMT_SHARED_DATA"), "../shared/data", "../../shared/data" };
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        if (!roots[i]) continue;
        char *p = path[slot];
        snprintf(p, sizeof path[0], "%s/%s", roots[i], rel);
        if (access(p, R_OK) == 0) {
            slot = (slot + 1) % 8;
            return p;
        }
    }
    return NULL;
}

const char *kmt_test_data(const char *rel)
{
    static char path[8][1024];
    static int slot;
    char *p = path[slot];
    slot = (slot + 1) % 8;
    snprintf(p, sizeof path[0], "data/%s", rel);
    return p;
}

const char *kmt_test_tmpdir(void)
{
    static char dir[256];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/kommute-test-XXXXXX");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    return dir;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t len;
    if (kmt_read_file(path, &data, &len, NULL) != 0) return NULL;
    return data;
}

int kmt_test_run(const char *args, char **out, char **err)
{
    const char *bin = getenv("KMT_BIN");
    if (!bin) bin = "build/kommute";
    char o[512], e[512];
    static int n;
    snprintf(o, sizeof o, "%s/run%d.out", kmt_test_tmpdir(), n);
    snprintf(e, sizeof e, "%s/run%d.err", kmt_test_tmpdir(), n++);
    size_t len = strlen(bin) + strlen(args) + 2 * sizeof o + 32;
    char *cmd = malloc(len);
    snprintf(cmd, len, "%s %s >%s 2>%s </dev/null", bin, args, o, e);
    int st = system(cmd);
    free(cmd);
    if (out) *out = slurp(o);
    if (err) *err = slurp(e);
    remove(o);
    remove(e);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

const char *kmt_test_pg(void)
{
    const char *pg = getenv("KMT_TEST_PG");
    if (!pg || !*pg)
        kmt_test_skip("no PostgreSQL: KMT_TEST_PG not set (make check sets it when bash scripts/bootstrap.sh "
                      "--test installed PostgreSQL)");
    return pg;
}

static int is_pg(const char *db)
{
    return strstr(db, "host=") || strstr(db, "dbname=") || strstr(db, "://");
}

/* One query on either backend; a value of the first row into buf if given. */
static int run_sql(const char *db, const char *sql, char *buf, size_t n)
{
    if (buf && n) buf[0] = '\0';
    if (is_pg(db)) {
        PGconn *c = PQconnectdb(db);
        if (PQstatus(c) != CONNECTION_OK) {
            printf("    sql: %s", PQerrorMessage(c));
            PQfinish(c);
            return -1;
        }
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        PGresult *r = PQexec(c, sql);
        int st = PQresultStatus(r), rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
        if (rc)
            printf("    sql: %s", PQresultErrorMessage(r));
        else if (buf && n && PQntuples(r) > 0)
            snprintf(buf, n, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        PQfinish(c);
        return rc;
    }
    sqlite3 *s;
    if (sqlite3_open(db, &s) != SQLITE_OK) {
        sqlite3_close(s);
        return -1;
    }
    int rc = 0;
    if (buf) {
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(s, sql, -1, &st, NULL) == SQLITE_OK ? 0 : -1;
        if (!rc && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    } else {
        char *msg = NULL;
        rc = sqlite3_exec(s, sql, NULL, NULL, &msg) == SQLITE_OK ? 0 : -1;
        if (rc) printf("    sql: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
    }
    if (rc && buf) printf("    sql: %s\n", sqlite3_errmsg(s));
    sqlite3_close(s);
    return rc;
}

int kmt_test_sql(const char *db, const char *sql)
{
    return run_sql(db, sql, NULL, 0);
}
int kmt_test_sql_value(const char *db, const char *sql, char *buf, size_t n)
{
    return run_sql(db, sql, buf, n);
}

const char *kmt_test_db(const char *backend, const char *name)
{
    static char path[8][1024];
    static int slot;
    char *p = path[slot];
    slot = (slot + 1) % 8;
    if (strcmp(backend, "postgresql") != 0) {
        char b[1100];
        snprintf(p, sizeof path[0], "%s/%s.db", kmt_test_tmpdir(), name);
        remove(p);
        snprintf(b, sizeof b, "%s-wal", p);
        remove(b);
        snprintf(b, sizeof b, "%s-shm", p);
        remove(b);
        return p;
    }
    const char *pg = kmt_test_pg();
    char schema[64], sql[256];
    size_t k = 0;
    for (const char *c = name; *c && k + 1 < sizeof schema; c++)
        schema[k++] = (char)(isalnum((unsigned char)*c) ? tolower((unsigned char)*c) : '_');
    schema[k] = '\0';
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS t_%s CASCADE; CREATE SCHEMA t_%s", schema, schema);
    if (kmt_test_sql(pg, sql) != 0) kmt_test_fail(__FILE__, __LINE__, "cannot create schema t_%s", schema);
    snprintf(p, sizeof path[0], "%s options=-csearch_path=t_%s", pg, schema);
    return p;
}

static int cmp_test(const void *a, const void *b)
{
    const test_entry *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
    static int passed, failed, skipped;
    qsort(tests, (size_t)ntests, sizeof tests[0], cmp_test);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < ntests; i++) {
        if (argc > 1) {
            int want = 0;
            for (int a = 1; a < argc; a++)
                if (strstr(tests[i].name, argv[a])) want = 1;
            if (!want) continue;
        }
        volatile double t0 = kmt_now_monotonic();
        test_skipped = 0;
        int r = setjmp(test_jmp);
        if (r == 0) tests[i].fn();
        double dt = kmt_now_monotonic() - t0;
        if (r == 2 || test_skipped) {
            skipped++;
            printf("SKIP %-44s (%s)\n", tests[i].name, skip_reason);
        } else if (r == 0) {
            passed++;
            printf("ok   %-44s %7.3f s\n", tests[i].name, dt);
        } else {
            failed++;
            printf("FAIL %-44s %7.3f s\n", tests[i].name, dt);
        }
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
