/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The test framework: tests register themselves (one file per module,
 * tests/test_<module>.c) and one runner executes them, printing
 * "N passed, N failed" as its last line.
 *
 *   KMT_TEST(core_arena) { ... ASSERT_EQ_INT(a, b); ... }
 *
 * An assertion that fails prints both sides and ends that test.
 * KMT_DATA_DIR is the repo's data/ folder; kmt_test_shared() finds
 * ../shared/data (returns NULL when it is absent, so a test can skip).
 */
#ifndef KOMMUTE_TEST_H
#define KOMMUTE_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

typedef void (*kmt_test_fn)(void);
void kmt_test_register(const char *name, const char *file, kmt_test_fn fn);
void kmt_test_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Marks the current test skipped with a reason and ends it. */
void kmt_test_skip(const char *reason);
/* Path of a file in ../shared/data (e.g. "osm/monaco.osm.pbf") or NULL if absent. */
const char *kmt_test_shared(const char *rel);
/* Path of a file in the repo's data/ folder. */
const char *kmt_test_data(const char *rel);
/* A fresh temporary directory for this test run (created once). */
const char *kmt_test_tmpdir(void);
/* Run the kommute binary ($KMT_BIN, else build/kommute) with args (a shell
 * word list, e.g. "route --graph x 1,2"); stdout and stderr are returned
 * NUL-terminated in *out and *err (caller frees with free(); either pointer
 * may be NULL). Returns the exit code, or -1 if it could not run. */
int kmt_test_run(const char *args, char **out, char **err);

/* ---- store tests on every backend --------------------------------------------
 * KMT_STORE_TEST(name) { ... backend ... } registers name_sqlite and name_pg;
 * the PostgreSQL one runs on $KMT_TEST_PG (a key=value conninfo, set by
 * scripts/pg-test.sh in make check) and skips with the reason when it is not
 * set. `backend` is "sqlite" or "postgresql". */
/* Skips the current test unless $KMT_TEST_PG is set; returns the conninfo. */
const char *kmt_test_pg(void);
/* A fresh, empty database called `name` on `backend`: a SQLite file in the
 * test directory (removed first), or a PostgreSQL schema of that name
 * (dropped and created) with a conninfo that puts it on the search_path.
 * The string lives until 8 more calls. */
const char *kmt_test_db(const char *backend, const char *name);
/* Runs SQL (several statements allowed) on the database `db` of either
 * backend; 0, or -1 with the error on stdout. */
int kmt_test_sql(const char *db, const char *sql);
/* The first column of the first row of a query on `db`, as text, into buf
 * ("" if no row); 0 or -1. */
int kmt_test_sql_value(const char *db, const char *sql, char *buf, size_t n);

#define KMT_STORE_TEST(name)                                                                                           \
    static void store_test_##name(const char *backend);                                                                \
    KMT_TEST(name##_sqlite)                                                                                            \
    {                                                                                                                  \
        store_test_##name("sqlite");                                                                                   \
    }                                                                                                                  \
    KMT_TEST(name##_pg)                                                                                                \
    {                                                                                                                  \
        kmt_test_pg();                                                                                                 \
        store_test_##name("postgresql");                                                                               \
    }                                                                                                                  \
    static void store_test_##name(const char *backend)

#define KMT_TEST(name)                                                                                                 \
    static void test_##name(void);                                                                                     \
    __attribute__((constructor)) static void register_##name(void)                                                     \
    {                                                                                                                  \
        kmt_test_register(#name, __FILE__, test_##name);                                                               \
    }                                                                                                                  \
    static void test_##name(void)

#define ASSERT(c)                                                                                                      \
    do {                                                                                                               \
        if (!(c)) kmt_test_fail(__FILE__, __LINE__, "assertion failed: %s", #c);                                       \
    } while (0)
#define ASSERT_EQ_INT(a, b)                                                                                            \
    do {                                                                                                               \
        long long a_ = (long long)(a), b_ = (long long)(b);                                                            \
        if (a_ != b_) kmt_test_fail(__FILE__, __LINE__, "%s == %s: expected %lld, got %lld", #a, #b, b_, a_);          \
    } while (0)
#define ASSERT_NEAR(a, b, eps)                                                                                         \
    do {                                                                                                               \
        double a_ = (double)(a), b_ = (double)(b);                                                                     \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                                                   \
            kmt_test_fail(__FILE__, __LINE__, "%s ~ %s: expected %.9g, got %.9g (eps %g)", #a, #b, b_, a_,             \
                          (double)(eps));                                                                              \
    } while (0)
#define ASSERT_STR_EQ(a, b)                                                                                            \
    do {                                                                                                               \
        const char *a_ = (a), *b_ = (b);                                                                               \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                                         \
            kmt_test_fail(__FILE__, __LINE__, "%s == %s: expected \"%s\", got \"%s\"", #a, #b, b_ ? b_ : "(null)",     \
                          a_ ? a_ : "(null)");                                                                         \
    } while (0)
#define ASSERT_CONTAINS(hay, needle)                                                                                   \
    do {                                                                                                               \
        const char *h_ = (hay), *n_ = (needle);                                                                        \
        if (!h_ || !strstr(h_, n_))                                                                                    \
            kmt_test_fail(__FILE__, __LINE__, "expected \"%s\" in \"%.300s\"", n_, h_ ? h_ : "(null)");                \
    } while (0)

#endif
