/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Regression tests of issue 11 (security), one or more per defect:
 * d2 stack bytes in JSON numbers and unbounded imported numbers, d5 symlinks
 * followed on outputs, d6 the Solomon reader's numbers, d7 VROOM inputs that
 * pass validation and then fail, d10 file modes and temporary files.
 */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kommute/core.h"
#include "kommute/json.h"
#include "kommute/store.h"
#include "kommute/vrp.h"
#include "kommute/vrp_io.h"
#include "test.h"
#if defined(__has_include)
#if __has_include("core/core_int.h")
#include "core/core_int.h"
#define HAVE_MKSTEMP_MODE 1
#endif
#endif

#ifndef KMT_FMT_DOUBLE_SIZE
#define KMT_FMT_DOUBLE_SIZE 32 /* the buffer size kmt_fmt_double has always promised to need */
#endif

/* ---- helpers -------------------------------------------------------- */

/* A fresh folder for one test: tmpdir/name, emptied. */
static const char *fresh_dir(const char *name)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", kmt_test_tmpdir(), name);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0) kmt_test_fail(__FILE__, __LINE__, "cannot make %s", dir);
    return dir;
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) kmt_test_fail(__FILE__, __LINE__, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Entries of a folder besides . and .. */
static int count_entries(const char *dir, char *first, size_t n)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int k = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (k++ == 0 && first) snprintf(first, n, "%s", de->d_name);
    }
    closedir(d);
    return k;
}

static int write_hello(FILE *f, void *ctx)
{
    (void)ctx;
    return fputs("hello\n", f) < 0 ? KMT_EIO : 0;
}

static int write_fail(FILE *f, void *ctx)
{
    (void)ctx;
    fputs("half", f);
    return KMT_EIO;
}

/* Writes a little, then dies by the signal in ctx (never returns). */
static int write_then_die(FILE *f, void *ctx)
{
    fputs("partial", f);
    fflush(f);
    raise(*(int *)ctx);
    for (;;) pause();
    return 0;
}

static int load_json(const char *text, kmt_vrp_problem *p, kmt_error *e)
{
    kmt_vrp_problem_init(p);
    kmt_error_init(e);
    int needs = 0;
    int rc = kmt_vrp_parse_json(text, strlen(text), "sec.json", p, &needs, e);
    if (rc == 0 && needs) rc = kmt_error_at(e, KMT_EINVAL, "sec.json", 0, 0, "matrices", "no matrices");
    if (rc == 0) rc = kmt_vrp_problem_validate(p, e);
    return rc;
}

/* ---- d2: numbers in JSON and CSV ------------------------------------ */

KMT_TEST(security_d2_json_big_number)
{
    static const double big[] = { 1e32, 1e300, -1e300, 1.7976931348623157e308, 123456789012345678.0, 1e15 };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        char s[64];
        memset(s, 'x', sizeof s);
        size_t n = kmt_fmt_double(s, big[i], 3);
        if (n >= KMT_FMT_DOUBLE_SIZE) kmt_test_fail(__FILE__, __LINE__, "%g: length %zu", big[i], n);
        s[n] = '\0';
        ASSERT(strtod(s, NULL) == big[i]);
        for (size_t k = 0; k < n; k++) ASSERT(strchr("0123456789.-+e", s[k]) != NULL);
    }
    char s[KMT_FMT_DOUBLE_SIZE + 1];
    size_t n = kmt_fmt_double(s, 1e300, 2);
    s[n] = '\0';
    ASSERT_STR_EQ(s, "1e+300");
    /* the writer's output is exactly the number */
    kmt_json j;
    kmt_json_init(&j, NULL);
    kmt_json_array_begin(&j);
    kmt_json_double(&j, 1e300, 3);
    kmt_json_array_end(&j);
    ASSERT_EQ_INT(strlen(j.buf.data), j.buf.len);
    ASSERT_STR_EQ(j.buf.data, "[1e+300]");
    kmt_json_destroy(&j);

    /* a 36-digit cost in a travel CSV is refused, naming file, line, column and value */
    const char *dir = fresh_dir("d2");
    char csv[600], db[600], args[1400];
    snprintf(csv, sizeof csv, "%s/travel.csv", dir);
    snprintf(db, sizeof db, "%s/t.db", dir);
    put_file(csv, "person,date,km,mode,cost\np1,2024-03-01,12,bus,40\n"
                  "p1,2024-03-02,12,bus,123456789012345678901234567890123456\n");
    snprintf(args, sizeof args, "travel import %s --db %s", csv, db);
    char *out = NULL, *err = NULL;
    ASSERT_EQ_INT(kmt_test_run(args, &out, &err), 1);
    ASSERT_CONTAINS(err, "travel.csv:3:5");
    ASSERT_CONTAINS(err, "field 'cost'");
    ASSERT_CONTAINS(err, "out of range");
    ASSERT_CONTAINS(err, "123456789012345678901234567890123456");
    free(out);
    free(err);
}

KMT_TEST(security_d2_import_ranges)
{
    const char *dir = fresh_dir("d2r");
    char sites[600], veh[600], gps[600], trips[600], db[600], args[2000];
    snprintf(sites, sizeof sites, "%s/sites.csv", dir);
    snprintf(veh, sizeof veh, "%s/vehicles.csv", dir);
    snprintf(gps, sizeof gps, "%s/gps.csv", dir);
    snprintf(trips, sizeof trips, "%s/trips.csv", dir);
    snprintf(db, sizeof db, "%s/f.db", dir);
    put_file(sites, "site,lon,lat\nS1,15.6,60.6\n");
    put_file(veh, "vehicle_id,fuel,site\nV1,petrol,S1\n");
    put_file(gps, "vehicle_id,time,lon,lat,speed\nV1,2024-03-01T08:00,15.6,60.6,1e300\n");
    put_file(trips, "vehicle_id,start_time,end_time,km\nV1,9999-03-01T08:00,9999-03-01T09:00,10\n");
    char *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "fleet import sites %s --db %s", sites, db);
    ASSERT_EQ_INT(kmt_test_run(args, &out, &err), 0);
    free(out), free(err);
    snprintf(args, sizeof args, "fleet import vehicles %s --db %s", veh, db);
    ASSERT_EQ_INT(kmt_test_run(args, &out, &err), 0);
    free(out), free(err);
    snprintf(args, sizeof args, "fleet import gps %s --db %s", gps, db);
    ASSERT_EQ_INT(kmt_test_run(args, &out, &err), 1);
    ASSERT_CONTAINS(err, "gps.csv:2:5");
    ASSERT_CONTAINS(err, "field 'speed'");
    ASSERT_CONTAINS(err, "'1e300'");
    free(out), free(err);
    snprintf(args, sizeof args, "fleet import trips %s --db %s", trips, db);
    ASSERT_EQ_INT(kmt_test_run(args, &out, &err), 1);
    ASSERT_CONTAINS(err, "trips.csv:2:2");
    ASSERT_CONTAINS(err, "field 'start_time'");
    ASSERT_CONTAINS(err, "1990 to 2099");
    free(out), free(err);
}

/* ---- d5: no symlink is followed on an output -------------------------- */

KMT_TEST(security_d5_symlink_output)
{
    const char *dir = fresh_dir("d5");
    char victim[600], out[600], tmp[700];
    snprintf(victim, sizeof victim, "%s/victim", dir);
    snprintf(out, sizeof out, "%s/out.kgraph", dir);
    put_file(victim, "SECRET\n");
    /* the temporary name the old writer used: PATH.tmp.PID */
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
    ASSERT_EQ_INT(symlink(victim, tmp), 0);
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_write_file_atomic(out, write_hello, NULL, &e), 0);
    char *data;
    size_t len;
    ASSERT_EQ_INT(kmt_read_file(victim, &data, &len, &e), 0);
    ASSERT_STR_EQ(data, "SECRET\n");
    kmt_free(data);
    ASSERT_EQ_INT(kmt_read_file(out, &data, &len, &e), 0);
    ASSERT_STR_EQ(data, "hello\n");
    kmt_free(data);
    /* a symlink at the output itself is replaced, not written through */
    unlink(out);
    ASSERT_EQ_INT(symlink(victim, out), 0);
    ASSERT_EQ_INT(kmt_write_file_atomic(out, write_hello, NULL, &e), 0);
    struct stat st;
    ASSERT_EQ_INT(lstat(out, &st), 0);
    ASSERT(S_ISREG(st.st_mode));
    ASSERT_EQ_INT(kmt_read_file(victim, &data, &len, &e), 0);
    ASSERT_STR_EQ(data, "SECRET\n");
    kmt_free(data);
}

/* ---- d6: the Solomon reader's numbers --------------------------------- */

static const char *solomon_with(const char *vehicle_line, const char *customer1)
{
    static char text[2048];
    snprintf(text, sizeof text,
             "T1\n\nVEHICLE\nNUMBER     CAPACITY\n  %s\n\nCUSTOMER\n"
             "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
             "    0      40         50          0          0       1236          0\n"
             "    %s\n"
             "    2      45         68         10        912        967         90\n",
             vehicle_line, customer1);
    return text;
}

KMT_TEST(security_d6_solomon_number)
{
    static const struct {
        const char *veh, *cust, *field, *msg;
    } cases[] = {
        { "2000000000 200", "1 45 70 30 825 870 90", "NUMBER", "out of range" },
        { "4294967297 200", "1 45 70 30 825 870 90", "NUMBER", "out of range" },
        { "2.5 200", "1 45 70 30 825 870 90", "NUMBER", "whole number" },
        { "25 1e30", "1 45 70 30 825 870 90", "CAPACITY", "out of range" },
        { "25 200", "1 1e300 70 30 825 870 90", "XCOORD.", "out of range" },
        { "25 200", "1 45 nan 30 825 870 90", "YCOORD.", "out of range" },
        { "25 200", "1 45 70 1e19 825 870 90", "DEMAND", "out of range" },
        { "25 200", "1 45 70 30 825 1e300 90", "DUE DATE", "out of range" },
        { "25 200", "1 45 70 30 825 870 -1", "SERVICE TIME", "out of range" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kmt_vrp_problem p;
        kmt_vrp_problem_init(&p);
        kmt_error e;
        kmt_error_init(&e);
        int rc = kmt_vrp_parse_solomon(solomon_with(cases[i].veh, cases[i].cust), "s.txt", KMT_SOLOMON_CLASSIC, &p, &e);
        if (rc == 0) kmt_test_fail(__FILE__, __LINE__, "case %zu accepted (%d vehicles)", i, p.nvehicles);
        ASSERT_STR_EQ(e.field, cases[i].field);
        ASSERT_CONTAINS(e.msg, cases[i].msg);
        ASSERT(e.line > 0);
        kmt_vrp_problem_destroy(&p);
    }
    /* the same file with sane numbers reads */
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    kmt_error e;
    ASSERT_EQ_INT(
        kmt_vrp_parse_solomon(solomon_with("25 200", "1 45 70 30 825 870 90"), "s.txt", KMT_SOLOMON_CLASSIC, &p, &e),
        0);
    ASSERT_EQ_INT(p.nvehicles, 25);
    ASSERT_EQ_INT(kmt_vrp_problem_validate(&p, &e), 0);
    kmt_vrp_problem_destroy(&p);
}

/* ---- d7: VROOM inputs bounded at parse time ---------------------------- */

#define MATRIX2(a) "\"matrices\":{\"car\":{\"durations\":[[0," a "],[" a ",0]]}}"

KMT_TEST(security_d7_speed_factor)
{
    static const char *const bad[] = { "1e-300", "0.001", "5.5" };
    for (size_t i = 0; i < 3; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"speed_factor\":%s}],"
                 "\"jobs\":[{\"id\":1,\"location_index\":1}]," MATRIX2("600") "}",
                 bad[i]);
        kmt_vrp_problem p;
        kmt_error e;
        ASSERT_EQ_INT(load_json(json, &p, &e), KMT_EINVAL);
        ASSERT_STR_EQ(e.field, "vehicles[0].speed_factor");
        kmt_vrp_problem_destroy(&p);
    }
}

KMT_TEST(security_d7_huge_durations)
{
    static const struct {
        const char *json, *field;
    } cases[] = {
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1}]," MATRIX2(
              "9.2e18") "}",
          "matrices.car.durations[0][1]" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"service\":1e300}]"
          "," MATRIX2("6") "}",
          "jobs[0].service" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"time_windows\":[[0,"
          "1e19]]}]," MATRIX2("6") "}",
          "jobs[0].time_windows[0]" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"capacity\":[4]}],\"jobs\":[{\"id\":1,\"location_index\":1,"
          "\"delivery\":[9000000000000000000]}]," MATRIX2("6") "}",
          "jobs[0].delivery" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"costs\":{\"per_hour\":1e30}}],\"jobs\":[{\"id\":1,\"location_"
          "index\":1}]," MATRIX2("6") "}",
          "vehicles[0].costs.per_hour" },
        /* each value in range, but the dearest plan would not fit the solver's integers */
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"speed_factor\":0.01,\"costs\":{\"per_hour\":4000000000}}],"
          "\"jobs\":[{\"id\":1,\"location_index\":1}]," MATRIX2("4294967295") "}",
          "costs" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kmt_vrp_problem p;
        kmt_error e;
        if (load_json(cases[i].json, &p, &e) == 0) kmt_test_fail(__FILE__, __LINE__, "case %zu accepted", i);
        ASSERT_STR_EQ(e.field, cases[i].field);
        kmt_vrp_problem_destroy(&p);
    }
    /* at the bounds a problem solves and the checker accepts the plan */
    const char *edge = "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"speed_factor\":0.01,\"capacity\":["
                       "1000000000000]},"
                       "{\"id\":2,\"start_index\":0,\"speed_factor\":5}],"
                       "\"jobs\":[{\"id\":1,\"location_index\":1,\"service\":4294967295,\"delivery\":[1000000000000]},"
                       "{\"id\":2,\"location_index\":2,\"time_windows\":[[0,4294967295]]}],"
                       "\"matrices\":{\"car\":{\"durations\":[[0,4294967295,4294967295],[4294967295,0,4294967295],"
                       "[4294967295,4294967295,0]]}}}";
    kmt_vrp_problem p;
    kmt_error e;
    ASSERT_EQ_INT(load_json(edge, &p, &e), 0);
    kmt_vrp_solve_opts o;
    kmt_vrp_solve_opts_default(&o);
    o.time_limit = 0;
    o.iterations = 200;
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_vrp_solve_stats st;
    ASSERT_EQ_INT(kmt_vrp_solve(&p, &o, &s, &st, &e), 0);
    kmt_vrp_check_report r;
    int rc = kmt_vrp_check(&p, &s, &r);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "checker rejects the solver's plan: %s", r.first);
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
}

/* ---- d10: private files, nothing left behind -------------------------- */

KMT_TEST(security_d10_file_modes)
{
    mode_t old = umask(022);
    const char *dir = fresh_dir("d10m");
    char out[600], db[600], wal[700];
    snprintf(out, sizeof out, "%s/plan.json", dir);
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    kmt_error e;
    kmt_error_init(&e);
    int rc = kmt_write_file_atomic(out, write_hello, NULL, &e);
    struct stat st;
    int src = stat(out, &st);
    umask(old);
    ASSERT_EQ_INT(rc, 0);
    ASSERT_EQ_INT(src, 0);
    ASSERT_EQ_INT(st.st_mode & 0777, 0600);
    /* a new database and its write-ahead log */
    umask(022);
    kmt_store *s = NULL;
    rc = kmt_store_open(&s, db, KMT_STORE_READWRITE, &e);
    umask(old);
    ASSERT_EQ_INT(rc, 0);
    ASSERT_EQ_INT(stat(db, &st), 0);
    ASSERT_EQ_INT(st.st_mode & 0777, 0600);
    if (stat(wal, &st) == 0) ASSERT_EQ_INT(st.st_mode & 0777, 0600);
    kmt_store_close(s);
    /* a CLI output (-o) */
    char csv[600], args[1400], plan[600];
    snprintf(csv, sizeof csv, "%s/p.json", dir);
    snprintf(plan, sizeof plan, "%s/plan_cli.json", dir);
    put_file(csv, "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1}]," MATRIX2(
                      "60") "}");
    snprintf(args, sizeof args, "plan %s -o %s --time-limit 0 --iterations 10", csv, plan);
    char *o = NULL, *er = NULL;
    rc = kmt_test_run(args, &o, &er);
    if (rc != 0) kmt_test_fail(__FILE__, __LINE__, "plan failed: %s", er ? er : "");
    free(o), free(er);
    ASSERT_EQ_INT(stat(plan, &st), 0);
    ASSERT_EQ_INT(st.st_mode & 0777, 0600);
}

/* Runs an atomic write in a child that dies by sig in the middle of it;
 * returns how many files the folder holds afterwards (first in name). */
static int die_while_writing(const char *dir, int sig, int no_tmpfile, char *name, size_t n)
{
    char out[600];
    snprintf(out, sizeof out, "%s/out.csv", dir);
    pid_t pid = fork();
    if (pid == 0) {
        kmt_error e;
        kmt_error_init(&e);
#ifdef HAVE_MKSTEMP_MODE
        kmt__write_file_atomic_mode(out, write_then_die, &sig, no_tmpfile, &e);
#else
        (void)no_tmpfile;
        kmt_write_file_atomic(out, write_then_die, &sig, &e);
#endif
        _exit(3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        kmt_test_fail(__FILE__, __LINE__, "the writer did not die by signal %d (status %d)", sig, status);
    return count_entries(dir, name, n);
}

KMT_TEST(security_d10_no_tmp_left)
{
    char name[256] = "";
    /* SIGKILL: the unnamed temporary file vanishes with the process */
    int k = die_while_writing(fresh_dir("d10k"), SIGKILL, 0, name, sizeof name);
    if (k != 0) kmt_test_fail(__FILE__, __LINE__, "SIGKILL left %d file(s), e.g. %s", k, name);
    k = die_while_writing(fresh_dir("d10t"), SIGTERM, 0, name, sizeof name);
    if (k != 0) kmt_test_fail(__FILE__, __LINE__, "SIGTERM left %d file(s), e.g. %s", k, name);
#ifdef HAVE_MKSTEMP_MODE
    /* the mkstemp fall-back removes its temporary on SIGTERM and SIGINT */
    k = die_while_writing(fresh_dir("d10f"), SIGTERM, 1, name, sizeof name);
    if (k != 0) kmt_test_fail(__FILE__, __LINE__, "fall-back + SIGTERM left %d file(s), e.g. %s", k, name);
    k = die_while_writing(fresh_dir("d10i"), SIGINT, 1, name, sizeof name);
    if (k != 0) kmt_test_fail(__FILE__, __LINE__, "fall-back + SIGINT left %d file(s), e.g. %s", k, name);
    /* and on the callback's failure */
    const char *dir = fresh_dir("d10e");
    char out[600];
    snprintf(out, sizeof out, "%s/x", dir);
    kmt_error e;
    kmt_error_init(&e);
    ASSERT(kmt__write_file_atomic_mode(out, write_fail, NULL, 1, &e) != 0);
    ASSERT_EQ_INT(count_entries(dir, name, sizeof name), 0);
#endif
}
