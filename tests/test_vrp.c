/* SPDX-License-Identifier: MPL-2.0 */
/* Tests of the route planner: readers, checker, solver (brute force on tiny
 * problems, every constraint type, seeded random problems), CLI. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/vrp_io.h"
#include "test.h"
#include "vrp/solver_int.h"

/* ---- helpers -------------------------------------------------------- */

static int load_json(const char *text, kmt_vrp_problem *p, kmt_error *e)
{
    kmt_vrp_problem_init(p);
    kmt_error_init(e);
    int needs = 0;
    int rc = kmt_vrp_parse_json(text, strlen(text), "test.json", p, &needs, e);
    if (rc == 0 && needs) rc = kmt_error_at(e, KMT_EINVAL, "test.json", 0, 0, "matrices", "no matrices");
    if (rc == 0) rc = kmt_vrp_problem_validate(p, e);
    return rc;
}

/* Threads for solve_checked (1 unless a test says otherwise). */
static int g_threads = 1;

/* Solve with a fixed iteration budget and the tuning t (NULL: the defaults),
 * check, return the checker's cost. */
static double solve_checked_tuned(const kmt_vrp_problem *p, long iters, uint64_t seed, const kmt_vrp_tuning *t,
                                  kmt_vrp_solution *s, kmt_vrp_check_report *r)
{
    kmt_vrp_solve_opts o;
    kmt_vrp_solve_opts_default(&o);
    o.time_limit = 0;
    o.iterations = iters;
    o.seed = seed;
    o.threads = g_threads;
    /* local search must find each changed route as its evaluation predicted */
    kmt_vrp_tuning tu;
    if (t)
        tu = *t;
    else
        kmt_vrp_tuning_default(&tu);
    tu.verify = 1;
    o.tuning = &tu;
    kmt_error e;
    kmt_error_init(&e);
    kmt_vrp_solution_init(s);
    kmt_vrp_solve_stats st;
    ASSERT_EQ_INT(kmt_vrp_solve(p, &o, s, &st, &e), 0);
    int rc = kmt_vrp_check(p, s, r);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "checker rejects the solver's plan: %s", r->first);
    return r->cost;
}

/* solve_checked_tuned with the default tuning. */
static double solve_checked(const kmt_vrp_problem *p, long iters, uint64_t seed, kmt_vrp_solution *s,
                            kmt_vrp_check_report *r)
{
    return solve_checked_tuned(p, iters, seed, NULL, s, r);
}

/* Check a solution given as VROOM JSON; returns the check rc, r filled. */
static int check_json(const kmt_vrp_problem *p, const char *sol, kmt_vrp_check_report *r)
{
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_error e;
    kmt_error_init(&e);
    int rc = kmt_vrp_parse_solution_json(sol, strlen(sol), "sol.json", p, &s, &e);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "solution does not parse: %s", e.msg);
    rc = kmt_vrp_check(p, &s, r);
    kmt_vrp_solution_destroy(&s);
    return rc;
}

/* A 4-location line: 0 depot, 1, 2, 3 at 10, 20, 30 seconds. */
#define LINE_MATRIX "\"matrices\":{\"car\":{\"durations\":[[0,10,20,30],[10,0,10,20],[20,10,0,10],[30,20,10,0]]}}"

/* The line's durations with distances (metres) where 1 <-> 3 is a detour. */
#define DETOUR_MATRICES                                                                                                \
    "\"matrices\":{\"car\":{\"durations\":[[0,10,20,30],[10,0,10,20],[20,10,0,10],[30,20,10,0]],"                      \
    "\"distances\":[[0,100,200,100],[100,0,100,500],[200,100,0,100],[100,500,100,0]]}}"

/* ---- readers -------------------------------------------------------- */

static const char SOLOMON_MINI[] = "MINI\n\nVEHICLE\nNUMBER     CAPACITY\n  2          10\n\nCUSTOMER\n"
                                   "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
                                   "    0   0   0   0    0  1000   0\r\n"
                                   "    1   3   4   5    0   100  10\r\n"
                                   "    2   6   8   5    0   100  10\n"
                                   "    3   0   1   5   50   200  10\n";

KMT_TEST(vrp_solomon_reader_both_conventions)
{
    kmt_vrp_problem p;
    kmt_error e;
    kmt_vrp_problem_init(&p);
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_vrp_parse_solomon(SOLOMON_MINI, "mini.txt", KMT_SOLOMON_CLASSIC, &p, &e), 0);
    ASSERT_STR_EQ(p.name, "MINI");
    ASSERT_EQ_INT(p.ntasks, 3);
    ASSERT_EQ_INT(p.nvehicles, 2);
    ASSERT_EQ_INT(p.tasks[2].id, 3);
    ASSERT_NEAR(p.tasks[2].tw[0].start, 50, 0);
    ASSERT_NEAR(p.matrices[0].durations[1], 5, 1e-12);
    ASSERT_NEAR(p.matrices[0].durations[0 * 4 + 3], 1, 1e-12);
    ASSERT_EQ_INT(p.objective, KMT_VRP_MIN_VEHICLES_COST);
    kmt_vrp_problem_destroy(&p);
    /* dimacs: truncated to one decimal, a vehicle per customer */
    const char *t = "X\nVEHICLE\nNUMBER CAPACITY\n 5 10\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 1 0 100 0\n";
    kmt_vrp_problem_init(&p);
    ASSERT_EQ_INT(kmt_vrp_parse_solomon(t, "x.txt", KMT_SOLOMON_DIMACS, &p, &e), 0);
    ASSERT_NEAR(p.matrices[0].durations[1], 1.4, 1e-12);
    ASSERT_EQ_INT(p.nvehicles, 1);
    kmt_vrp_problem_destroy(&p);
    /* errors name the line */
    kmt_vrp_problem_init(&p);
    const char *bad = "X\nVEHICLE\nNUMBER CAPACITY\n 5 10\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 1 90 10 0\n";
    ASSERT_EQ_INT(kmt_vrp_parse_solomon(bad, "bad.txt", KMT_SOLOMON_DIMACS, &p, &e), KMT_EINVAL);
    ASSERT_EQ_INT(e.line, 7);
    kmt_vrp_problem_destroy(&p);
}

/* Found by fuzz_solomon: a giant NUMBER was allocated as a fleet (out of
 * memory) and a giant demand overflowed the conversion to an integer. */
KMT_TEST(vrp_solomon_reader_refuses_giant_numbers)
{
    static const char *const bad[] = {
        "X\nVEHICLE\nNUMBER CAPACITY\n 2444444444140 10\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 1 0 100 0\n",
        "X\nVEHICLE\nNUMBER CAPACITY\n 5 1e300\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 1 0 100 0\n",
        "X\nVEHICLE\nNUMBER CAPACITY\n 5 10\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 5e49 0 100 0\n",
        "X\nVEHICLE\nNUMBER CAPACITY\n 5 10\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 1 nan 100 0\n"
    };
    for (int conv = KMT_SOLOMON_DIMACS; conv <= KMT_SOLOMON_CLASSIC; conv++)
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            kmt_vrp_problem p;
            kmt_error e;
            kmt_vrp_problem_init(&p);
            kmt_error_init(&e);
            ASSERT_EQ_INT(kmt_vrp_parse_solomon(bad[i], "bad.txt", conv, &p, &e), KMT_EINVAL);
            ASSERT_EQ_INT(e.line, i < 2 ? 4 : 7);
            kmt_vrp_problem_destroy(&p);
        }
}

typedef struct {
    const char *json, *field, *msg;
} bad_case;

KMT_TEST(vrp_json_errors_name_the_field)
{
    static const bad_case cases[] = {
        { "{\"vehicles\":[{\"id\":1}], \"jobs\":[{\"id\":1,", NULL, "malformed JSON" },
        { "[1,2]", NULL, "expected a JSON object" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"service\":\"x\"}]"
          "," LINE_MATRIX "}",
          "jobs[0].service", "expected a number" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"service\":-5}]"
          "," LINE_MATRIX "}",
          "jobs[0].service", ">= 0" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"time_windows\":[[50,"
          "10]]}]," LINE_MATRIX "}",
          "jobs[0].time_windows[0]", "start <= end" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"time_windows\":[[0,"
          "10],[5,20]]}]," LINE_MATRIX "}",
          "jobs[0].time_windows", "overlap" },
        { "{\"vehicles\":[{\"id\":1,\"start\":[10.7,59.9]}],\"jobs\":[{\"id\":1,\"location\":[10.75,59.91]}]}",
          "matrices", "no matrices" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":9}]," LINE_MATRIX "}",
          "matrices.car.durations", "location index 9" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"profile\":\"bicycle\"}],\"jobs\":[{\"id\":1,\"location_index\":"
          "1}]," LINE_MATRIX "}",
          "matrices.bicycle", "no matrix" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0}],\"jobs\":[{\"id\":1,\"location_index\":1,\"delivery\":[1,2]}],"
          "\"shipments\":[{\"amount\":[1],\"pickup\":{\"id\":1,\"location_index\":1},\"delivery\":{\"id\":1,\"location_"
          "index\":2}}]," LINE_MATRIX "}",
          "shipments[0].amount", "expected 2 amounts" },
        { "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"skills\":\"a\"}],\"jobs\":[{\"id\":1,\"location_index\":1}]"
          "," LINE_MATRIX "}",
          "vehicles[0].skills", "expected an array" },
        { "{\"vehicles\":[],\"jobs\":[{\"id\":1,\"location_index\":1}]," LINE_MATRIX "}", "vehicles", "non-empty" },
        { "{\"vehicles\":[{\"id\":1}],\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":1,\"location_index\":2}]"
          "," LINE_MATRIX "}",
          "jobs[1].id", "duplicate" },
        { "{\"vehicles\":[{\"id\":1}],\"jobs\":[{\"id\":1,\"location_index\":1}],"
          "\"matrices\":{\"car\":{\"durations\":[[0,1],[1,-3]]}}}",
          "matrices.car.durations[1][1]", ">= 0" },
        { "{\"vehicles\":[{\"id\":1,\"time_window\":[100,50]}],\"jobs\":[{\"id\":1,\"location_index\":1}]," LINE_MATRIX
          "}",
          "vehicles[0].time_window", "start <= end" },
        { "{\"vehicles\":[{\"id\":1}],\"jobs\":[{\"id\":1}]," LINE_MATRIX "}", "jobs[0].location",
          "location is required" },
        { "{\"vehicles\":[{\"id\":1,\"max_distance\":\"far\"}],\"jobs\":[{\"id\":1,\"location_index\":1}]," LINE_MATRIX
          "}",
          "vehicles[0].max_distance", "expected a number" },
        { "{\"vehicles\":[{\"id\":1,\"max_distance\":-5}],\"jobs\":[{\"id\":1,\"location_index\":1}]," LINE_MATRIX "}",
          "vehicles[0].max_distance", ">= 0, got -5" },
        { "{\"vehicles\":[{\"id\":1},{\"id\":2,\"max_distance\":1000}],\"jobs\":[{\"id\":1,\"location_index\":1}]"
          "," LINE_MATRIX "}",
          "vehicles[1].max_distance", "distances for profile 'car'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kmt_vrp_problem p;
        kmt_error e;
        int rc = load_json(cases[i].json, &p, &e);
        if (rc == 0) kmt_test_fail(__FILE__, __LINE__, "case %zu: accepted", i);
        if (cases[i].field) ASSERT_STR_EQ(e.field, cases[i].field);
        ASSERT_CONTAINS(e.msg, cases[i].msg);
        kmt_vrp_problem_destroy(&p);
    }
    /* malformed JSON gets line and column */
    kmt_vrp_problem p;
    kmt_error e;
    ASSERT(load_json("{\n\"jobs\": [1,,2]}", &p, &e) != 0);
    ASSERT_EQ_INT(e.line, 2);
    ASSERT(e.column > 0);
    kmt_vrp_problem_destroy(&p);
}

/* ---- checker: each constraint type ---------------------------------- */

typedef struct {
    const char *problem, *bad_solution, *violation;
} constraint_case;

#define VEH(extra) "\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0" extra "}"
static const constraint_case constraint_cases[] = {
    /* capacity */
    { "{" VEH(",\"capacity\":[10]") ",{\"id\":2,\"start_index\":0,\"end_index\":0,\"capacity\":[10]}],"
                                    "\"jobs\":[{\"id\":1,\"location_index\":1,\"delivery\":[6]},{\"id\":2,\"location_"
                                    "index\":2,\"delivery\":[6]}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "capacity" },
    /* pickup capacity in a second dimension */
    { "{" VEH(",\"capacity\":[10,3]") ",{\"id\":2,\"start_index\":0,\"end_index\":0,\"capacity\":[10,3]}],"
                                      "\"jobs\":[{\"id\":1,\"location_index\":1,\"pickup\":[0,2]},{\"id\":2,\"location_"
                                      "index\":2,\"pickup\":[0,2]}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "dimension 1" },
    /* time window */
    { "{" VEH("") ",{\"id\":2,\"start_index\":0,\"end_index\":0}],"
                  "\"jobs\":[{\"id\":1,\"location_index\":3,\"service\":5},{\"id\":2,\"location_index\":1,\"time_"
                  "windows\":[[0,15]]}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "time window" },
    /* skills */
    { "{" VEH(",\"skills\":[1]") ",{\"id\":2,\"start_index\":0,\"end_index\":0,\"skills\":[2]}],"
                                 "\"jobs\":[{\"id\":1,\"location_index\":1,\"skills\":[2]},{\"id\":2,\"location_"
                                 "index\":2,\"skills\":[1]}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}", "skills" },
    /* shipment order */
    { "{" VEH(",\"capacity\":[1]") "],\"shipments\":[{\"amount\":[1],\"pickup\":{\"id\":7,\"location_index\":3},"
                                   "\"delivery\":{\"id\":8,\"location_index\":1}}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"delivery\",\"id\":8},{\"type\":\"pickup\",\"id\":7}]}]}",
      "before pickup" },
    /* shipment split over two routes */
    { "{" VEH("") ",{\"id\":2,\"start_index\":0,\"end_index\":0}],\"shipments\":[{\"pickup\":{\"id\":7,\"location_"
                  "index\":3},"
                  "\"delivery\":{\"id\":8,\"location_index\":1}}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"pickup\",\"id\":7}]},{\"vehicle\":2,\"steps\":[{\"type\":"
      "\"delivery\",\"id\":8}]}]}",
      "different routes" },
    /* break missing */
    { "{" VEH(",\"breaks\":[{\"id\":5,\"time_windows\":[[20,40]],\"service\":10}]") "],"
                                                                                    "\"jobs\":[{\"id\":1,\"location_"
                                                                                    "index\":1},{\"id\":2,\"location_"
                                                                                    "index\":2}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "break 5 is missing" },
    /* break outside its window */
    { "{" VEH(",\"breaks\":[{\"id\":5,\"time_windows\":[[0,5]],\"service\":10}]") "],"
                                                                                  "\"jobs\":[{\"id\":1,\"location_"
                                                                                  "index\":1},{\"id\":2,\"location_"
                                                                                  "index\":2}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"break\",\"id\":5},{\"type\":"
      "\"job\",\"id\":2}]}]}",
      "last window" },
    /* max tasks */
    { "{" VEH(
          ",\"max_tasks\":1") ",{\"id\":2,\"start_index\":0,\"end_index\":0}],"
                              "\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":2}]," LINE_MATRIX
                              "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "max_tasks" },
    /* max travel time */
    { "{" VEH(",\"max_travel_time\":50") ",{\"id\":2,\"start_index\":0,\"end_index\":0}],"
                                         "\"jobs\":[{\"id\":1,\"location_index\":3},{\"id\":2,\"location_index\":1}]"
                                         "," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "max_travel_time" },
    /* max distance: 1 -> 3 is a 500 m detour; each alone is a 200 m round trip */
    { "{" VEH(",\"max_distance\":300") ",{\"id\":2,\"start_index\":0,\"end_index\":0,\"max_distance\":300}],"
                                       "\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":3}]"
                                       "," DETOUR_MATRICES "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "max_distance" },
    /* working time */
    { "{" VEH(",\"time_window\":[0,45]") ",{\"id\":2,\"start_index\":0,\"end_index\":0}],"
                                         "\"jobs\":[{\"id\":1,\"location_index\":3,\"service\":10},{\"id\":2,"
                                         "\"location_index\":1}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "working time" },
    /* every task served once or listed */
    { "{" VEH("") "],\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":2}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":1}]}]}", "twice" },
    { "{" VEH("") "],\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":2}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1}]}]}", "neither routed" },
    /* setup time pushes past a window */
    { "{" VEH("") ",{\"id\":2,\"start_index\":0,\"end_index\":0}],"
                  "\"jobs\":[{\"id\":1,\"location_index\":1,\"setup\":10},{\"id\":2,\"location_index\":2,\"time_"
                  "windows\":[[0,25]]}]," LINE_MATRIX "}",
      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
      "time window" },
};

KMT_TEST(vrp_checker_rejects_and_solver_respects_each_constraint)
{
    for (size_t i = 0; i < sizeof constraint_cases / sizeof constraint_cases[0]; i++) {
        const constraint_case *c = &constraint_cases[i];
        kmt_vrp_problem p;
        kmt_error e;
        if (load_json(c->problem, &p, &e)) kmt_test_fail(__FILE__, __LINE__, "case %zu: %s: %s", i, e.field, e.msg);
        kmt_vrp_check_report r;
        int rc = check_json(&p, c->bad_solution, &r);
        if (rc == 0) kmt_test_fail(__FILE__, __LINE__, "case %zu: violating plan accepted", i);
        ASSERT_CONTAINS(r.first, c->violation);
        kmt_vrp_check_report_destroy(&r);
        kmt_vrp_solution s;
        solve_checked(&p, 300, 1, &s, &r);
        kmt_vrp_check_report_destroy(&r);
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
    }
}

KMT_TEST(vrp_unassigned_with_reasons)
{
    kmt_vrp_problem p;
    kmt_error e;
    const char *js = "{" VEH(
        ",\"capacity\":[5],\"skills\":[1],\"time_window\":[0,100]") "],"
                                                                    "\"jobs\":[{\"id\":1,\"location_index\":1,"
                                                                    "\"skills\":[9]},"
                                                                    "{\"id\":2,\"location_index\":1,\"delivery\":[6]},"
                                                                    "{\"id\":3,\"location_index\":3,\"time_windows\":[["
                                                                    "0,5]]},"
                                                                    "{\"id\":4,\"location_index\":2,\"delivery\":[3],"
                                                                    "\"priority\":5},"
                                                                    "{\"id\":5,\"location_index\":2,\"delivery\":[3]}]"
                                                                    "," LINE_MATRIX "}";
    ASSERT_EQ_INT(load_json(js, &p, &e), 0);
    kmt_vrp_solution s;
    kmt_vrp_check_report r;
    solve_checked(&p, 500, 3, &s, &r);
    ASSERT_EQ_INT(s.nunassigned, 4);
    int seen = 0;
    for (int i = 0; i < s.nunassigned; i++) {
        int64_t id = p.tasks[s.unassigned[i]].id;
        int want = id == 1   ? KMT_VRP_UNASSIGNED_SKILLS
                   : id == 2 ? KMT_VRP_UNASSIGNED_CAPACITY
                   : id == 3 ? KMT_VRP_UNASSIGNED_TIME
                             : KMT_VRP_UNASSIGNED_NOFIT;
        ASSERT_EQ_INT(s.reason[i], want);
        ASSERT(id != 4); /* the higher priority job is the one served */
        seen |= 1 << id;
    }
    ASSERT_EQ_INT(seen, (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5));
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
}

/* ---- brute force on tiny problems ----------------------------------- */

typedef struct {
    double x[9], y[9];
    int n; /* jobs; location 0 is the depot */
} tiny;

static void tiny_json(const tiny *t, int nveh, int cap, int seed, char *buf, size_t len)
{
    kmt_rng r;
    kmt_rng_seed(&r, (uint64_t)seed);
    size_t o = 0;
    o += (size_t)snprintf(buf + o, len - o, "{\"vehicles\":[");
    for (int v = 0; v < nveh; v++)
        o += (size_t)snprintf(buf + o, len - o,
                              "%s{\"id\":%d,\"start_index\":0,\"end_index\":0,\"capacity\":[%d],"
                              "\"time_window\":[0,400]}",
                              v ? "," : "", v + 1, cap);
    o += (size_t)snprintf(buf + o, len - o, "],\"jobs\":[");
    for (int j = 1; j <= t->n; j++) {
        int a = (int)kmt_rng_below(&r, 200);
        o += (size_t)snprintf(buf + o, len - o,
                              "%s{\"id\":%d,\"location_index\":%d,\"service\":%d,\"delivery\":[%d],"
                              "\"time_windows\":[[%d,%d]]}",
                              j > 1 ? "," : "", j, j, (int)kmt_rng_below(&r, 10), 1 + (int)kmt_rng_below(&r, 4), a,
                              a + 60 + (int)kmt_rng_below(&r, 150));
    }
    o += (size_t)snprintf(buf + o, len - o, "],\"matrices\":{\"car\":{\"durations\":[");
    for (int i = 0; i <= t->n; i++) {
        o += (size_t)snprintf(buf + o, len - o, "%s[", i ? "," : "");
        for (int j = 0; j <= t->n; j++)
            o += (size_t)snprintf(buf + o, len - o, "%s%d", j ? "," : "",
                                  (int)round(hypot(t->x[i] - t->x[j], t->y[i] - t->y[j])));
        o += (size_t)snprintf(buf + o, len - o, "]");
    }
    snprintf(buf + o, len - o, "]}}}");
}

/* Optimum over all permutations and all ways of cutting them into at most
 * nveh routes (identical vehicles), evaluated by the checker. Unserved jobs
 * are not allowed; returns INFINITY if nothing is feasible. */
static double brute_force(const kmt_vrp_problem *p, int nveh)
{
    int n = p->ntasks, perm[8];
    for (int i = 0; i < n; i++) perm[i] = i;
    double best = INFINITY;
    int stops[3][8];
    kmt_vrp_route routes[3];
    kmt_vrp_solution s = { 0 };
    s.routes = routes;
    for (;;) {
        for (int cuts = 0; cuts < (1 << (n - 1)); cuts++) {
            if (__builtin_popcount((unsigned)cuts) >= nveh) continue;
            int nr = 0, k = 0;
            routes[0] = (kmt_vrp_route){ 0, 0, stops[0] };
            for (int i = 0; i < n; i++) {
                routes[nr].stops[routes[nr].nstops++] = perm[i];
                if (i < n - 1 && (cuts >> i & 1)) {
                    nr++;
                    routes[nr] = (kmt_vrp_route){ nr, 0, stops[nr] };
                }
                k++;
            }
            s.nroutes = nr + 1;
            kmt_vrp_check_report r;
            if (kmt_vrp_check(p, &s, &r) == 0 && r.cost < best) best = r.cost;
            kmt_vrp_check_report_destroy(&r);
        }
        /* next permutation */
        int i = n - 2;
        while (i >= 0 && perm[i] > perm[i + 1]) i--;
        if (i < 0) break;
        int j = n - 1;
        while (perm[j] < perm[i]) j--;
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        for (int a = i + 1, b = n - 1; a < b; a++, b--) {
            t = perm[a];
            perm[a] = perm[b];
            perm[b] = t;
        }
    }
    return best;
}

KMT_TEST(vrp_tiny_problems_match_brute_force)
{
    static char buf[8192];
    int solved = 0;
    for (int seed = 1; seed <= 7; seed++) {
        kmt_rng r;
        kmt_rng_seed(&r, (uint64_t)seed * 77);
        tiny t;
        t.n = seed <= 6 ? 6 : 7;
        for (int i = 0; i <= t.n; i++) {
            t.x[i] = (double)kmt_rng_below(&r, 100);
            t.y[i] = (double)kmt_rng_below(&r, 100);
        }
        tiny_json(&t, 3, 8, seed, buf, sizeof buf);
        kmt_vrp_problem p;
        kmt_error e;
        ASSERT_EQ_INT(load_json(buf, &p, &e), 0);
        double opt = brute_force(&p, 3);
        kmt_vrp_solution s;
        kmt_vrp_check_report rep;
        double got = solve_checked(&p, 2000, (uint64_t)seed, &s, &rep);
        if (isfinite(opt)) {
            ASSERT_EQ_INT(s.nunassigned, 0);
            if (fabs(got - opt) > 1e-9)
                kmt_test_fail(__FILE__, __LINE__, "seed %d: solver %.3f, brute-force optimum %.3f", seed, got, opt);
            solved++;
        }
        kmt_vrp_check_report_destroy(&rep);
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
    }
    ASSERT(solved >= 5);
}

/* ---- random problems with every feature ------------------------------ */

/* pure = 1: deliveries only, no shipments (exercises the 2-opt* moves). */
static void random_problem(int seed, int pure, char *buf, size_t len)
{
    kmt_rng r;
    kmt_rng_seed(&r, (uint64_t)seed);
    int nloc = 16, o = 0;
    double x[16], y[16];
    for (int i = 0; i < nloc; i++) {
        x[i] = (double)kmt_rng_below(&r, 1000);
        y[i] = (double)kmt_rng_below(&r, 1000);
    }
    o += snprintf(buf + o, len - (size_t)o, "{\"vehicles\":[");
    for (int v = 0; v < 4; v++) {
        o += snprintf(buf + o, len - (size_t)o,
                      "%s{\"id\":%d,\"start_index\":%d,%s\"capacity\":[%d,%d],\"skills\":[%d],"
                      "\"time_window\":[0,%d],\"profile\":\"%s\",\"speed_factor\":%s,\"max_tasks\":%d,"
                      "\"costs\":{\"fixed\":%d}%s}",
                      v ? "," : "", v + 1, v % 2, v == 3 ? "" : "\"end_index\":0,", 6 + v, 4, v % 2 ? 2 : 1,
                      3000 + 500 * v, v == 2 ? "bike" : "car", v == 1 ? "1.2" : "1", 4 + v, 100 * v,
                      v < 2    ? ",\"breaks\":[{\"id\":1,\"time_windows\":[[600,1500]],\"service\":120}]"
                      : v == 3 ? ",\"max_distance\":2500"
                               : "");
    }
    o += snprintf(buf + o, len - (size_t)o, "],\"jobs\":[");
    for (int j = 0; j < 10; j++) {
        int a = (int)kmt_rng_below(&r, 2000);
        o += snprintf(buf + o, len - (size_t)o,
                      "%s{\"id\":%d,\"location_index\":%d,\"service\":%d,\"setup\":%d,\"delivery\":[%d,0],"
                      "\"pickup\":[0,%d],\"priority\":%d%s",
                      j ? "," : "", 100 + j, 2 + (int)kmt_rng_below(&r, 14), 30 + (int)kmt_rng_below(&r, 200),
                      (int)kmt_rng_below(&r, 30), (int)kmt_rng_below(&r, 4), pure ? 0 : (int)kmt_rng_below(&r, 2),
                      (int)kmt_rng_below(&r, 3), j % 4 == 0 ? ",\"skills\":[2]" : "");
        if (j % 3 == 0)
            o += snprintf(buf + o, len - (size_t)o, ",\"time_windows\":[[%d,%d],[%d,%d]]", a, a + 300, a + 800,
                          a + 1400);
        else if (j % 3 == 1)
            o += snprintf(buf + o, len - (size_t)o, ",\"time_windows\":[[%d,%d]]", a, a + 900);
        o += snprintf(buf + o, len - (size_t)o, "}");
    }
    o += snprintf(buf + o, len - (size_t)o, "],\"shipments\":[");
    for (int k = 0; k < (pure ? 0 : 3); k++)
        o += snprintf(buf + o, len - (size_t)o,
                      "%s{\"amount\":[2,1],\"pickup\":{\"id\":%d,\"location_index\":%d,\"service\":60},"
                      "\"delivery\":{\"id\":%d,\"location_index\":%d,\"service\":60,\"time_windows\":[[0,%d]]}}",
                      k ? "," : "", 200 + k, 2 + (int)kmt_rng_below(&r, 14), 300 + k, 2 + (int)kmt_rng_below(&r, 14),
                      2000 + 400 * k);
    o += snprintf(buf + o, len - (size_t)o, "],\"matrices\":{");
    for (int prof = 0; prof < 2; prof++) {
        o += snprintf(buf + o, len - (size_t)o, "%s\"%s\":{\"durations\":[", prof ? "," : "", prof ? "bike" : "car");
        for (int i = 0; i < nloc; i++) {
            o += snprintf(buf + o, len - (size_t)o, "%s[", i ? "," : "");
            for (int j = 0; j < nloc; j++)
                o += snprintf(buf + o, len - (size_t)o, "%s%d", j ? "," : "",
                              (int)(hypot(x[i] - x[j], y[i] - y[j]) / (prof ? 2 : 4)));
            o += snprintf(buf + o, len - (size_t)o, "]");
        }
        o += snprintf(buf + o, len - (size_t)o, "],\"distances\":[");
        for (int i = 0; i < nloc; i++) {
            o += snprintf(buf + o, len - (size_t)o, "%s[", i ? "," : "");
            for (int j = 0; j < nloc; j++)
                o += snprintf(buf + o, len - (size_t)o, "%s%d", j ? "," : "", (int)hypot(x[i] - x[j], y[i] - y[j]));
            o += snprintf(buf + o, len - (size_t)o, "]");
        }
        o += snprintf(buf + o, len - (size_t)o, "]}");
    }
    snprintf(buf + o, len - (size_t)o, "}}");
}

KMT_TEST(vrp_random_rich_problems_always_feasible_and_deterministic)
{
    static char buf[32768];
    int served = 0;
    for (int seed = 1; seed <= 16; seed++) {
        random_problem(seed, seed > 10, buf, sizeof buf);
        kmt_vrp_problem p;
        kmt_error e;
        if (load_json(buf, &p, &e)) kmt_test_fail(__FILE__, __LINE__, "seed %d: %s: %s", seed, e.field, e.msg);
        kmt_vrp_solution a, b;
        kmt_vrp_check_report ra, rb;
        g_threads = seed % 2 ? 1 : 2; /* two threads: same plan for the same seed too */
        double ca = solve_checked(&p, 400, 5, &a, &ra);
        double cb = solve_checked(&p, 400, 5, &b, &rb);
        g_threads = 1;
        ASSERT_NEAR(ca, cb, 0);
        ASSERT_EQ_INT(a.nroutes, b.nroutes);
        for (int i = 0; i < a.nroutes; i++) {
            ASSERT_EQ_INT(a.routes[i].nstops, b.routes[i].nstops);
            ASSERT(memcmp(a.routes[i].stops, b.routes[i].stops, sizeof(int) * (size_t)a.routes[i].nstops) == 0);
        }
        served += p.ntasks - a.nunassigned;
        kmt_vrp_check_report_destroy(&ra);
        kmt_vrp_check_report_destroy(&rb);
        kmt_vrp_solution_destroy(&a);
        kmt_vrp_solution_destroy(&b);
        kmt_vrp_problem_destroy(&p);
    }
    ASSERT(served > 16 * 13 / 2); /* most tasks are served */
}

/* ---- benchmark instances and the CLI -------------------------------- */

KMT_TEST(vrp_solomon_c101_reaches_best_known)
{
    const char *path = kmt_test_shared("vrptw/solomon/C101.txt");
    if (!path) kmt_test_skip("../shared/data/vrptw not present");
    for (int conv = 0; conv < 2; conv++) {
        kmt_vrp_problem p;
        kmt_error e;
        kmt_vrp_problem_init(&p);
        kmt_error_init(&e);
        ASSERT_EQ_INT(kmt_vrp_read_solomon(path, conv, &p, &e), 0);
        kmt_vrp_solution s;
        kmt_vrp_check_report r;
        double c = solve_checked(&p, 3000, 1, &s, &r);
        ASSERT_EQ_INT(r.vehicles, 10);
        ASSERT_NEAR(c, conv == KMT_SOLOMON_DIMACS ? 827.3 : 828.9369, conv == KMT_SOLOMON_DIMACS ? 1e-6 : 1e-4);
        kmt_vrp_check_report_destroy(&r);
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
    }
}

static int run(const char *cmd, char *out, size_t len)
{
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    size_t n = fread(out, 1, len - 1, f);
    out[n] = 0;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

KMT_TEST(vrp_cli_plan_and_check)
{
    const char *bin = getenv("KMT_BIN");
    if (!bin) kmt_test_skip("KMT_BIN not set");
    const char *prob = kmt_test_data("vrp/demo-homecare.json");
    char cmd[2048], out[8192];
    const char *tmp = kmt_test_tmpdir();
    /* KMT_VRP_VERIFY: the CLI reads the tuning knobs from the environment (only there) */
    snprintf(cmd, sizeof cmd, "KMT_VRP_VERIFY=1 %s plan %s --time-limit 0 --iterations 300 -o %s/hc.json 2>&1", bin,
             prob, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "checked feasible");
    snprintf(cmd, sizeof cmd, "%s check %s %s/hc.json 2>&1", bin, prob, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "feasible: ");
    /* usage errors exit 2, bad input 1 */
    /* a malformed knob is a usage error naming it */
    snprintf(cmd, sizeof cmd, "KMT_VRP_EPOCHS=lots %s plan %s --time-limit 0 --iterations 10 2>&1", bin, prob);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 2);
    ASSERT_CONTAINS(out, "KMT_VRP_EPOCHS");
    snprintf(cmd, sizeof cmd, "%s plan --solomon x.txt 2>&1", bin);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 2);
    ASSERT_CONTAINS(out, "--convention");
    snprintf(cmd, sizeof cmd, "%s/bad.json", tmp);
    FILE *f = fopen(cmd, "w");
    ASSERT(f != NULL);
    fputs("{\"vehicles\":[{\"id\":1}],\"jobs\":[{\"id\":1,\"location_index\":0,\"service\":-1}],"
          "\"matrix\":[[0]]}",
          f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s plan %s/bad.json 2>&1", bin, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 1);
    ASSERT_CONTAINS(out, "jobs[0].service");
    /* a tampered plan is rejected by check */
    snprintf(cmd, sizeof cmd,
             "sed 's/\"type\":\"job\",\"id\":101,/\"type\":\"job\",\"id\":102,/' %s/hc.json > %s/bad-plan.json && "
             "%s check %s %s/bad-plan.json 2>&1",
             tmp, tmp, bin, prob, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 1);
    ASSERT_CONTAINS(out, "infeasible");
}

KMT_TEST(vrp_cli_plan_on_road_graph)
{
    const char *bin = getenv("KMT_BIN");
    if (!bin) kmt_test_skip("KMT_BIN not set");
    const char *pbf = kmt_test_data("osm/oslo-east-roads.osm.pbf");
    const char *prob = kmt_test_data("vrp/demo-oslo.json");
    const char *tmp = kmt_test_tmpdir();
    char cmd[4096], out[8192];
    snprintf(cmd, sizeof cmd, "%s graph build %s -o %s/vrp-oslo.kgraph 2>&1", bin, pbf, tmp);
    if (run(cmd, out, sizeof out) != 0) kmt_test_fail(__FILE__, __LINE__, "graph build failed: %s", out);
    snprintf(cmd, sizeof cmd,
             "KMT_VRP_VERIFY=1 %s plan %s --graph %s/vrp-oslo.kgraph --time-limit 0 --iterations 200 "
             "-o %s/oslo-plan.json 2>&1",
             bin, prob, tmp, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "checked feasible");
    snprintf(cmd, sizeof cmd, "%s check --graph %s/vrp-oslo.kgraph %s %s/oslo-plan.json 2>&1", bin, tmp, prob, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    /* max_distance with the graph's distances: planned within it, the checker agrees */
    snprintf(cmd, sizeof cmd,
             "sed 's/\"capacity\": \\[/\"max_distance\": 15000, \"capacity\": [/' %s > %s/oslo-md.json && "
             "KMT_VRP_VERIFY=1 %s plan %s/oslo-md.json --graph %s/vrp-oslo.kgraph --time-limit 0 --iterations 200 -o "
             "%s/oslo-md-plan.json "
             "2>&1 && %s check --graph %s/vrp-oslo.kgraph %s/oslo-md.json %s/oslo-md-plan.json 2>&1 && "
             "grep -c max_distance %s/oslo-md.json",
             prob, tmp, bin, tmp, tmp, tmp, bin, tmp, tmp, tmp, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "checked feasible");
    ASSERT_CONTAINS(out, "\n3\n");
    snprintf(cmd, sizeof cmd, "head -c 200 %s/oslo-plan.geojson", tmp);
    run(cmd, out, sizeof out);
    ASSERT_CONTAINS(out, "\"FeatureCollection\"");
    /* without a graph: a clear error */
    snprintf(cmd, sizeof cmd, "%s plan %s --time-limit 1 2>&1", bin, prob);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 1);
    ASSERT_CONTAINS(out, "--graph");
}

/* Road matrices need not obey the triangle inequality: removing a visit can
 * make a route later. The solver must never return such a route. */
KMT_TEST(vrp_non_metric_matrix_stays_feasible)
{
    static char buf[16384];
    for (int seed = 1; seed <= 6; seed++) {
        kmt_rng r;
        kmt_rng_seed(&r, (uint64_t)seed);
        int n = 9, o = 0;
        o += snprintf(buf + o, sizeof buf - (size_t)o,
                      "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"time_window\":[0,300]},"
                      "{\"id\":2,\"start_index\":0,\"end_index\":0,\"time_window\":[0,300]}],\"jobs\":[");
        for (int j = 1; j < n; j++) {
            int a = (int)kmt_rng_below(&r, 150);
            o += snprintf(buf + o, sizeof buf - (size_t)o,
                          "%s{\"id\":%d,\"location_index\":%d,\"time_windows\":[[%d,%d]]}", j > 1 ? "," : "", j, j, a,
                          a + 20 + (int)kmt_rng_below(&r, 60));
        }
        o += snprintf(buf + o, sizeof buf - (size_t)o, "],\"matrix\":[");
        for (int i = 0; i < n; i++) {
            o += snprintf(buf + o, sizeof buf - (size_t)o, "%s[", i ? "," : "");
            for (int j = 0; j < n; j++)
                o += snprintf(buf + o, sizeof buf - (size_t)o, "%s%d", j ? "," : "",
                              i == j ? 0 : 1 + (int)kmt_rng_below(&r, 80));
            o += snprintf(buf + o, sizeof buf - (size_t)o, "]");
        }
        snprintf(buf + o, sizeof buf - (size_t)o, "]}");
        kmt_vrp_problem p;
        kmt_error e;
        ASSERT_EQ_INT(load_json(buf, &p, &e), 0);
        kmt_vrp_solution s;
        kmt_vrp_check_report rep;
        solve_checked(&p, 3000, (uint64_t)seed, &s, &rep);
        kmt_vrp_check_report_destroy(&rep);
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
    }
}

KMT_TEST(vrp_cli_sigint_returns_best_so_far)
{
    const char *bin = getenv("KMT_BIN");
    const char *path = kmt_test_shared("vrptw/solomon/R101.txt");
    if (!bin || !path) kmt_test_skip("KMT_BIN or ../shared/data/vrptw not available");
    char cmd[2048], out[8192];
    const char *tmp = kmt_test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "timeout --preserve-status -s INT 2 %s plan --solomon %s --convention classic --time-limit 60 -o "
             "%s/int.json 2>&1; "
             "echo exit=$?; %s check --solomon %s --convention classic %s/int.json",
             bin, path, tmp, bin, path, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "stopped by Ctrl-C");
    ASSERT_CONTAINS(out, "exit=0");
    ASSERT_CONTAINS(out, "feasible: ");
}

/* Parsers must reject damaged input cleanly (ASan watches): truncations and
 * random byte changes of the demo problem and of a Solomon file. */
KMT_TEST(vrp_parsers_survive_damaged_input)
{
    char *text;
    size_t len;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_read_file(kmt_test_data("vrp/demo-homecare.json"), &text, &len, &e), 0);
    char *buf = kmt_malloc(len + 1);
    kmt_rng r;
    kmt_rng_seed(&r, 42);
    for (int round = 0; round < 300; round++) {
        memcpy(buf, text, len + 1);
        size_t n = len;
        if (round % 3 == 0) {
            n = (size_t)kmt_rng_below(&r, len);
            buf[n] = 0;
        } else {
            for (int k = 0; k < 1 + round % 5; k++) {
                static const char junk[] = "-0x9e\"[]{},:.";
                buf[kmt_rng_below(&r, len)] = junk[kmt_rng_below(&r, sizeof junk - 1)];
            }
        }
        kmt_vrp_problem p;
        kmt_vrp_problem_init(&p);
        int needs = 0;
        if (kmt_vrp_parse_json(buf, n, "x.json", &p, &needs, &e) == 0 && !needs &&
            kmt_vrp_problem_validate(&p, &e) == 0) {
            kmt_vrp_solution s;
            kmt_vrp_check_report rep;
            solve_checked(&p, 50, 1, &s, &rep);
            kmt_vrp_check_report_destroy(&rep);
            kmt_vrp_solution_destroy(&s);
        }
        kmt_vrp_problem_destroy(&p);
        kmt_vrp_problem_init(&p);
        buf[n] = 0;
        kmt_vrp_parse_solomon(round % 2 ? SOLOMON_MINI + kmt_rng_below(&r, sizeof SOLOMON_MINI - 1) : buf, "x.txt",
                              round % 2, &p, &e);
        kmt_vrp_problem_destroy(&p);
    }
    kmt_free(buf);
    kmt_free(text);
}

/* The O(len^2) shipment insertion with O(1) checks must choose exactly what
 * the full evaluation of every candidate route chooses. */
KMT_TEST(vrp_fast_shipment_insertion_equals_full_evaluation)
{
    static char buf[32768];
    for (int seed = 1; seed <= 8; seed++) {
        random_problem(seed, 0, buf, sizeof buf);
        kmt_vrp_problem p;
        kmt_error e;
        ASSERT_EQ_INT(load_json(buf, &p, &e), 0);
        kmt_vrp_solution a, b;
        kmt_vrp_check_report ra, rb;
        double ca = solve_checked(&p, 300, 9, &a, &ra);
        kmt_vrp_tuning full;
        kmt_vrp_tuning_default(&full);
        full.pair_full = 1;
        double cb = solve_checked_tuned(&p, 300, 9, &full, &b, &rb);
        ASSERT_NEAR(ca, cb, 0);
        ASSERT_EQ_INT(a.nunassigned, b.nunassigned);
        kmt_vrp_check_report_destroy(&ra);
        kmt_vrp_check_report_destroy(&rb);
        kmt_vrp_solution_destroy(&a);
        kmt_vrp_solution_destroy(&b);
        kmt_vrp_problem_destroy(&p);
    }
}

/* The tuning is data: NULL and the explicit defaults give the same plan, a
 * changed knob is honoured (another plan for this seed), and knobs out of
 * range are refused before any work. */
KMT_TEST(vrp_tuning_is_data)
{
    static char buf[32768];
    random_problem(5, 0, buf, sizeof buf);
    kmt_vrp_problem p;
    kmt_error e;
    ASSERT_EQ_INT(load_json(buf, &p, &e), 0);
    kmt_vrp_tuning def, other;
    kmt_vrp_tuning_default(&def);
    other = def;
    other.granular = 0; /* every position, no local search */
    other.epochs = 3;
    kmt_vrp_solution a, b, c;
    kmt_vrp_check_report ra, rb, rc;
    solve_checked(&p, 400, 3, &a, &ra);
    solve_checked_tuned(&p, 400, 3, &def, &b, &rb);
    solve_checked_tuned(&p, 400, 3, &other, &c, &rc);
    ASSERT_EQ_INT(a.nroutes, b.nroutes);
    for (int i = 0; i < a.nroutes; i++) {
        ASSERT_EQ_INT(a.routes[i].nstops, b.routes[i].nstops);
        ASSERT(memcmp(a.routes[i].stops, b.routes[i].stops, sizeof(int) * (size_t)a.routes[i].nstops) == 0);
    }
    ASSERT(ra.cost == rb.cost);
    int same = ra.cost == rc.cost && a.nroutes == c.nroutes;
    for (int i = 0; same && i < a.nroutes; i++)
        same = a.routes[i].nstops == c.routes[i].nstops &&
               memcmp(a.routes[i].stops, c.routes[i].stops, sizeof(int) * (size_t)a.routes[i].nstops) == 0;
    ASSERT(!same);
    kmt_vrp_check_report_destroy(&ra);
    kmt_vrp_check_report_destroy(&rb);
    kmt_vrp_check_report_destroy(&rc);
    kmt_vrp_solution_destroy(&a);
    kmt_vrp_solution_destroy(&b);
    kmt_vrp_solution_destroy(&c);
    kmt_vrp_solve_opts o;
    kmt_vrp_solve_opts_default(&o);
    o.time_limit = 0;
    o.iterations = 10;
    kmt_vrp_tuning bad = def;
    bad.epochs = 0;
    o.tuning = &bad;
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_vrp_solve(&p, &o, &s, NULL, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "tuning");
    bad = def;
    bad.tf = 0;
    ASSERT_EQ_INT(kmt_vrp_solve(&p, &o, &s, NULL, &e), KMT_EINVAL);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
}

/* ---- exact break placement ------------------------------------------ */

/* A greedy rule (take the break now when that costs no waiting and the next
 * visit still fits) takes the break before A and is then too late for B;
 * the only plan is A, B, then the break. Going from B to A takes 100 s, so
 * B, A is no way out. */
static const char BREAK_TRAP[] = "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"time_window\":[0,1000],"
                                 "\"breaks\":[{\"id\":7,\"time_windows\":[[0,1000]],\"service\":30}]}],"
                                 "\"jobs\":[{\"id\":1,\"location_index\":1,\"time_windows\":[[0,45]]},"
                                 "{\"id\":2,\"location_index\":2,\"time_windows\":[[0,25]]}],"
                                 "\"matrices\":{\"car\":{\"durations\":[[0,10,10],[10,0,10],[10,100,0]]}}}";

KMT_TEST(vrp_breaks_placed_exactly_where_greedy_fails)
{
    kmt_vrp_problem p;
    kmt_error e;
    ASSERT_EQ_INT(load_json(BREAK_TRAP, &p, &e), 0);
    kmt_vrp_solution s;
    kmt_vrp_check_report r;
    solve_checked(&p, 200, 1, &s, &r);
    ASSERT_EQ_INT(s.nunassigned, 0);
    ASSERT_EQ_INT(s.nroutes, 1);
    ASSERT_EQ_INT(s.routes[0].nstops, 3);
    ASSERT_EQ_INT(s.routes[0].stops[2], -1); /* the break comes last */
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
    /* the CLI plans it and `kommute check` accepts the plan */
    const char *bin = getenv("KMT_BIN");
    if (!bin) kmt_test_skip("KMT_BIN not set");
    const char *tmp = kmt_test_tmpdir();
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd, "%s/break-trap.json", tmp);
    FILE *f = fopen(cmd, "w");
    ASSERT(f != NULL);
    fputs(BREAK_TRAP, f);
    fclose(f);
    snprintf(
        cmd, sizeof cmd,
        "KMT_VRP_VERIFY=1 %s plan %s/break-trap.json --time-limit 0 --iterations 100 -o %s/break-plan.json 2>&1 && "
        "%s check %s/break-trap.json %s/break-plan.json 2>&1",
        bin, tmp, tmp, bin, tmp, tmp);
    ASSERT_EQ_INT(run(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "0 unassigned");
    ASSERT_CONTAINS(out, "feasible: ");
}

/* A random one-vehicle problem with 6 jobs and 1..3 breaks. */
static void break_problem(kmt_rng *r, char *buf, size_t len, int loads)
{
    size_t o = 0;
    int nb = 1 + (int)kmt_rng_below(r, 3);
    o += (size_t)snprintf(buf + o, len - o,
                          "{\"vehicles\":[{\"id\":1,\"start_index\":0,%s\"time_window\":[0,%d],%s"
                          "\"breaks\":[",
                          kmt_rng_below(r, 4) ? "\"end_index\":0," : "", 250 + (int)kmt_rng_below(r, 150),
                          loads ? "\"capacity\":[12,12]," : "");
    for (int b = 0; b < nb; b++) {
        int w = (int)kmt_rng_below(r, 200), kind = (int)kmt_rng_below(r, 4);
        o += (size_t)snprintf(buf + o, len - o, "%s{\"id\":%d,\"service\":%d", b ? "," : "", 10 + b,
                              5 + (int)kmt_rng_below(r, 25));
        if (loads && kmt_rng_below(r, 3))
            o += (size_t)snprintf(buf + o, len - o, ",\"max_load\":[%d,%d]", 2 + (int)kmt_rng_below(r, 7),
                                  3 + (int)kmt_rng_below(r, 8));
        if (kind == 1)
            o += (size_t)snprintf(buf + o, len - o, ",\"time_windows\":[[%d,%d],[%d,%d]]", w, w + 10, w + 40,
                                  w + 40 + (int)kmt_rng_below(r, 40));
        else if (kind > 1)
            o +=
                (size_t)snprintf(buf + o, len - o, ",\"time_windows\":[[%d,%d]]", w, w + 5 + (int)kmt_rng_below(r, 60));
        o += (size_t)snprintf(buf + o, len - o, "}");
    }
    o += (size_t)snprintf(buf + o, len - o, "]}],\"jobs\":[");
    for (int j = 1; j <= 6; j++) {
        int a = (int)kmt_rng_below(r, 180), kind = (int)kmt_rng_below(r, 4);
        o += (size_t)snprintf(buf + o, len - o, "%s{\"id\":%d,\"location_index\":%d,\"service\":%d,\"setup\":%d",
                              j > 1 ? "," : "", j, j, (int)kmt_rng_below(r, 20),
                              kmt_rng_below(r, 3) ? 0 : (int)kmt_rng_below(r, 6));
        if (loads)
            o +=
                (size_t)snprintf(buf + o, len - o, ",\"delivery\":[%d,%d],\"pickup\":[%d,%d]", (int)kmt_rng_below(r, 4),
                                 (int)kmt_rng_below(r, 3), (int)kmt_rng_below(r, 3), (int)kmt_rng_below(r, 4));
        if (kind == 1)
            o += (size_t)snprintf(buf + o, len - o, ",\"time_windows\":[[%d,%d],[%d,%d]]", a, a + 15, a + 50, a + 90);
        else if (kind > 1)
            o += (size_t)snprintf(buf + o, len - o, ",\"time_windows\":[[%d,%d]]", a,
                                  a + 10 + (int)kmt_rng_below(r, 70));
        o += (size_t)snprintf(buf + o, len - o, "}");
    }
    o += (size_t)snprintf(buf + o, len - o, "],\"matrices\":{\"car\":{\"durations\":[");
    for (int i = 0; i <= 6; i++) {
        o += (size_t)snprintf(buf + o, len - o, "%s[", i ? "," : "");
        for (int j = 0; j <= 6; j++)
            o += (size_t)snprintf(buf + o, len - o, "%s%d", j ? "," : "", i == j ? 0 : 1 + (int)kmt_rng_below(r, 30));
        o += (size_t)snprintf(buf + o, len - o, "]");
    }
    snprintf(buf + o, len - o, "]}}}");
}

/* The checker's verdict on one route of vehicle 0 (seq with breaks at
 * brkpos), every other task listed unassigned. */
static int check_placement(const kmt_vrp_problem *p, const int *seq, int len, const int *brkpos, int nb)
{
    int stops[16], un[16], nst = 0, nun = 0, b = 0;
    for (int k = 0; k <= len; k++) {
        while (b < nb && brkpos[b] == k) stops[nst++] = -(1 + b++);
        if (k < len) stops[nst++] = seq[k];
    }
    for (int i = 0; i < p->ntasks; i++) {
        int in = 0;
        for (int k = 0; k < len; k++) in |= seq[k] == i;
        if (!in) un[nun++] = i;
    }
    kmt_vrp_route rt = { 0, nst, stops };
    kmt_vrp_solution s = { 1, &rt, nun, un, NULL };
    kmt_vrp_check_report r;
    int rc = kmt_vrp_check(p, &s, &r);
    kmt_vrp_check_report_destroy(&r);
    return rc == 0;
}

/* Every placement of the breaks (in order, each once) enumerated and checked
 * by the checker, against kmt__vrp_eval_seq's verdict and placement, on 150
 * random instances (with amounts and breaks' max_load when loads is set). */
static void break_placement_brute_force(uint64_t seed, int loads)
{
    static char buf[8192];
    kmt_rng r;
    kmt_rng_seed(&r, seed);
    int feasible = 0, infeasible = 0;
    for (int inst = 0; inst < 150; inst++) {
        break_problem(&r, buf, sizeof buf, loads);
        kmt_vrp_problem p;
        kmt_error e;
        if (load_json(buf, &p, &e)) kmt_test_fail(__FILE__, __LINE__, "instance %d: %s: %s", inst, e.field, e.msg);
        solver S;
        ASSERT_EQ_INT(kmt__vrp_model_build(&S, &p, &e), 0);
        int nb = p.vehicles[0].nbreaks;
        for (int trial = 0; trial < 12; trial++) {
            int seq[6], len = 1 + (int)kmt_rng_below(&r, 6);
            for (int i = 0; i < 6; i++) seq[i] = i;
            for (int i = 0; i < len; i++) {
                int j = i + (int)kmt_rng_below(&r, (uint64_t)(6 - i)), x = seq[i];
                seq[i] = seq[j];
                seq[j] = x;
            }
            /* brute force: all non-decreasing placements pos[0] <= ... <= pos[nb-1] in 0..len */
            int pos[3] = { 0, 0, 0 }, bf = 0;
            for (;;) {
                if (check_placement(&p, seq, len, pos, nb)) bf = 1;
                int b = nb - 1;
                while (b >= 0 && pos[b] == len) b--;
                if (b < 0) break;
                pos[b]++;
                for (int c = b + 1; c < nb; c++) pos[c] = pos[b];
            }
            int brkpos[3] = { -1, -1, -1 };
            int64_t cost, tt;
            int ev = kmt__vrp_eval_seq(&S, 0, seq, len, &cost, &tt, brkpos);
            if (ev != bf)
                kmt_test_fail(__FILE__, __LINE__, "instance %d trial %d: eval_seq says %d, brute force %d", inst, trial,
                              ev, bf);
            if (ev && !check_placement(&p, seq, len, brkpos, nb))
                kmt_test_fail(__FILE__, __LINE__, "instance %d trial %d: eval_seq's placement is rejected", inst,
                              trial);
            if (ev)
                feasible++;
            else
                infeasible++;
        }
        kmt__vrp_model_free(&S);
        kmt_vrp_problem_destroy(&p);
    }
    if (feasible <= 150 || infeasible <= 150) /* both verdicts are well represented */
        kmt_test_fail(__FILE__, __LINE__, "%d feasible and %d infeasible sequences", feasible, infeasible);
}

KMT_TEST(vrp_break_placement_equals_brute_force)
{
    break_placement_brute_force(77, 0);
}

/* The same with loads: a break with a max_load is placed only where the load is within it. */
KMT_TEST(vrp_break_max_load_placement_equals_brute_force)
{
    break_placement_brute_force(78, 1);
}

/* VROOM's max_load of a break: the vehicle leaves with 10 (two deliveries of
 * 5); a break with max_load [4] fits only after both visits (load 0). With
 * the break's window [0, 30] the plan takes it there; with [0, 15] it cannot
 * (the second visit ends at 20), so one visit is left out; without the
 * max_load both are served. The checker rejects a break taken above it. */
KMT_TEST(vrp_break_max_load)
{
    static const char fmt[] = "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"capacity\":[10],"
                              "\"breaks\":[{\"id\":7,\"time_windows\":[[0,%d]],\"service\":5%s}]}],"
                              "\"jobs\":[{\"id\":1,\"location_index\":1,\"delivery\":[5]},{\"id\":2,\"location_index\":"
                              "2,\"delivery\":[5]}]," LINE_MATRIX "}";
    char buf[1024];
    kmt_vrp_problem p;
    kmt_error e;
    kmt_vrp_solution s;
    kmt_vrp_check_report r;
    snprintf(buf, sizeof buf, fmt, 30, ",\"max_load\":[4]");
    ASSERT_EQ_INT(load_json(buf, &p, &e), 0);
    ASSERT_EQ_INT(p.vehicles[0].breaks[0].has_max_load, 1);
    ASSERT_EQ_INT(p.vehicles[0].breaks[0].max_load[0], 4);
    solve_checked(&p, 50, 1, &s, &r);
    ASSERT_EQ_INT(s.nunassigned, 0);
    ASSERT_EQ_INT(s.nroutes, 1);
    ASSERT_EQ_INT(s.routes[0].nstops, 3);
    ASSERT_EQ_INT(s.routes[0].stops[2], -1); /* the break last, with nothing on board */
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_check_report rr;
    ASSERT(check_json(&p,
                      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"break\",\"id\":7},"
                      "{\"type\":\"job\",\"id\":1},{\"type\":\"job\",\"id\":2}]}]}",
                      &rr) != 0);
    ASSERT_CONTAINS(rr.first, "max_load");
    kmt_vrp_check_report_destroy(&rr);
    ASSERT(check_json(&p,
                      "{\"routes\":[{\"vehicle\":1,\"steps\":[{\"type\":\"job\",\"id\":1},"
                      "{\"type\":\"break\",\"id\":7},{\"type\":\"job\",\"id\":2}]}]}",
                      &rr) != 0);
    ASSERT_CONTAINS(rr.first, "load 5 above its max_load 4");
    kmt_vrp_check_report_destroy(&rr);
    kmt_vrp_problem_destroy(&p);

    /* left out: with max_load and the window [0, 15] one visit; without max_load none */
    for (int with = 1; with >= 0; with--) {
        snprintf(buf, sizeof buf, fmt, 15, with ? ",\"max_load\":[4]" : "");
        ASSERT_EQ_INT(load_json(buf, &p, &e), 0);
        ASSERT_EQ_INT(p.vehicles[0].breaks[0].has_max_load, with);
        solve_checked(&p, 50, 1, &s, &r);
        ASSERT_EQ_INT(s.nunassigned, with);
        kmt_vrp_check_report_destroy(&r);
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
    }

    /* a max_load of the wrong size names the field */
    snprintf(buf, sizeof buf, fmt, 30, ",\"max_load\":[4,4]");
    ASSERT(load_json(buf, &p, &e) != 0);
    ASSERT_STR_EQ(e.field, "vehicles[0].breaks[0].max_load");
    kmt_vrp_problem_destroy(&p);
}

/* ---- max_distance ---------------------------------------------------- */

/* Jobs at 1 and 3: together on one route 700 m (the 1 -> 3 detour), each
 * alone a 200 m round trip. Without a limit one vehicle serves both (60 s
 * against 80 s); with max_distance 300 it takes two. */
KMT_TEST(vrp_max_distance_forces_a_second_vehicle)
{
    for (int limit = 0; limit < 2; limit++) {
        char js[1024];
        snprintf(js, sizeof js,
                 "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0%s},"
                 "{\"id\":2,\"start_index\":0,\"end_index\":0%s}],"
                 "\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":3}]," DETOUR_MATRICES "}",
                 limit ? ",\"max_distance\":300" : "", limit ? ",\"max_distance\":300" : "");
        kmt_vrp_problem p;
        kmt_error e;
        ASSERT_EQ_INT(load_json(js, &p, &e), 0);
        ASSERT_NEAR(p.vehicles[0].max_distance, limit ? 300 : -1, 0);
        kmt_vrp_solution s;
        kmt_vrp_check_report r;
        solve_checked(&p, 300, 1, &s, &r);
        ASSERT_EQ_INT(s.nunassigned, 0);
        ASSERT_EQ_INT(r.vehicles, limit ? 2 : 1);
        ASSERT_NEAR(r.distance, limit ? 400 : 700, 1e-9);
        kmt_vrp_check_report_destroy(&r);
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
    }
    /* a limit below every round trip leaves the job out with a reason */
    kmt_vrp_problem p;
    kmt_error e;
    ASSERT_EQ_INT(
        load_json("{" VEH(",\"max_distance\":199.5") "],\"jobs\":[{\"id\":1,\"location_index\":1}]," DETOUR_MATRICES
                                                     "}",
                  &p, &e),
        0);
    kmt_vrp_solution s;
    kmt_vrp_check_report r;
    solve_checked(&p, 50, 1, &s, &r);
    ASSERT_EQ_INT(s.nunassigned, 1);
    ASSERT_EQ_INT(s.reason[0], KMT_VRP_UNASSIGNED_TIME);
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
}

/* ---- vehicles' steps (initial routes) ------------------------------- */

/* Jobs 1, 2, 3 (3 needs skill 1, which only vehicle 2 has), a shipment
 * 7 -> 8; vehicle 1 has break 5. The two %s are the vehicles' steps. */
static const char STEPS_PROBLEM[] = "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,"
                                    "\"breaks\":[{\"id\":5,\"service\":10}],\"steps\":%s},"
                                    "{\"id\":2,\"start_index\":0,\"end_index\":0,\"skills\":[1],\"steps\":%s}],"
                                    "\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":2},"
                                    "{\"id\":3,\"location_index\":3,\"skills\":[1]}],"
                                    "\"shipments\":[{\"pickup\":{\"id\":7,\"location_index\":3},\"delivery\":{\"id\":8,"
                                    "\"location_index\":1}}]," LINE_MATRIX "}";

#define STEP(t, i) "{\"type\":\"" t "\",\"id\":" #i "}"
/* vehicle 1: job 2, break, pickup 7, job 1, delivery 8; vehicle 2: job 3 */
#define STEPS_1                                                                                                        \
    "[{\"type\":\"start\"}," STEP("job", 2) "," STEP("break", 5) "," STEP("pickup", 7) "," STEP("job", 1) "," STEP(    \
        "delivery", 8) ",{\"type\":\"end\"}]"
#define STEPS_2 "[" STEP("job", 3) "]"

KMT_TEST(vrp_vehicle_steps_give_initial_routes)
{
    char js[2048];
    snprintf(js, sizeof js, STEPS_PROBLEM, STEPS_1, STEPS_2);
    kmt_vrp_problem p;
    kmt_error e;
    if (load_json(js, &p, &e)) kmt_test_fail(__FILE__, __LINE__, "%s: %s", e.field, e.msg);
    /* task indices: jobs 0, 1, 2, then pickup 3, delivery 4 */
    ASSERT_EQ_INT(p.vehicles[0].ninit, 4);
    ASSERT_EQ_INT(p.vehicles[0].init[0], 1);
    ASSERT_EQ_INT(p.vehicles[0].init[1], 3);
    ASSERT_EQ_INT(p.vehicles[0].init[2], 0);
    ASSERT_EQ_INT(p.vehicles[0].init[3], 4);
    ASSERT_EQ_INT(p.vehicles[1].ninit, 1);
    ASSERT_EQ_INT(p.vehicles[1].init[0], 2);
    kmt_vrp_solution s;
    kmt_vrp_check_report r;
    solve_checked(&p, 200, 1, &s, &r);
    ASSERT_EQ_INT(s.nunassigned, 0);
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
    /* no steps, or an empty array: no initial route */
    snprintf(js, sizeof js, STEPS_PROBLEM, "[]", "null");
    ASSERT_EQ_INT(load_json(js, &p, &e), 0);
    ASSERT_EQ_INT(p.vehicles[0].ninit, 0);
    ASSERT(p.vehicles[0].init == NULL && p.vehicles[1].init == NULL);
    kmt_vrp_problem_destroy(&p);
}

/* The search starts from the given routes that are feasible; an infeasible
 * one is counted and left out, and the plan is still found. */
KMT_TEST(vrp_solver_starts_from_feasible_steps_only)
{
    char js[2048];
    snprintf(js, sizeof js, STEPS_PROBLEM, STEPS_1, STEPS_2);
    kmt_vrp_problem p;
    kmt_error e;
    ASSERT_EQ_INT(load_json(js, &p, &e), 0);
    kmt_vrp_solve_opts o;
    kmt_vrp_solve_opts_default(&o);
    o.time_limit = 0;
    o.iterations = 1;
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_vrp_solve_stats st;
    ASSERT_EQ_INT(kmt_vrp_solve(&p, &o, &s, &st, &e), 0);
    ASSERT_EQ_INT(st.initial_routes_used, 2);
    ASSERT_EQ_INT(st.initial_routes_rejected, 0);
    ASSERT_EQ_INT(s.nunassigned, 0);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
    /* job 2 (30 s away) then job 1: 50 s > the 45 s working time; 1 then 2 fits */
    const char *tight =
        "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"time_window\":[0,45],"
        "\"steps\":[" STEP("job", 2) "," STEP(
            "job", 1) "]}],"
                      "\"jobs\":[{\"id\":1,\"location_index\":1},{\"id\":2,\"location_index\":3}]," LINE_MATRIX "}";
    ASSERT_EQ_INT(load_json(tight, &p, &e), 0);
    kmt_vrp_solution_init(&s);
    o.iterations = 50;
    ASSERT_EQ_INT(kmt_vrp_solve(&p, &o, &s, &st, &e), 0);
    ASSERT_EQ_INT(st.initial_routes_used, 0);
    ASSERT_EQ_INT(st.initial_routes_rejected, 1);
    ASSERT_EQ_INT(s.nunassigned, 0);
    kmt_vrp_check_report r;
    ASSERT_EQ_INT(kmt_vrp_check(&p, &s, &r), 0);
    ASSERT_NEAR(r.duration, 30, 1e-9);
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
}

KMT_TEST(vrp_vehicle_steps_errors_name_the_step)
{
    static const struct {
        const char *s1, *s2, *field, *msg;
    } cases[] = {
        { "[" STEP("job", 9) "]", "[]", "vehicles[0].steps[0].id", "no job with id 9" },
        { "[" STEP("job", 7) "]", "[]", "vehicles[0].steps[0].id", "no job with id 7" },
        { "[" STEP("break", 6) "]", "[]", "vehicles[0].steps[0].id", "no break with id 6" },
        { "[" STEP("break", 5) "," STEP("break", 5) "]", "[]", "vehicles[0].steps[1].id", "break 5 appears twice" },
        { "[" STEP("job", 1) "]", "[" STEP("job", 1) "]", "vehicles[1].steps[0].id",
          "already in vehicles[0].steps[0]" },
        { "[" STEP("job", 1) "," STEP("job", 1) "]", "[]", "vehicles[0].steps[1].id", "appears twice" },
        { "[" STEP("delivery", 8) "," STEP("pickup", 7) "]", "[]", "vehicles[0].steps[0].id",
          "delivery 8 comes before its pickup 7" },
        { "[" STEP("pickup", 7) "]", "[" STEP("delivery", 8) "]", "vehicles[0].steps[0].id",
          "its delivery 8 is not in this vehicle's steps" },
        { "[{\"type\":\"visit\",\"id\":1}]", "[]", "vehicles[0].steps[0].type", "got \"visit\"" },
        { "[{\"type\":3,\"id\":1}]", "[]", "vehicles[0].steps[0].type", "expected a string" },
        { "[{\"id\":1}]", "[]", "vehicles[0].steps[0].type", "is required" },
        { "[{\"type\":\"job\"}]", "[]", "vehicles[0].steps[0].id", "is required" },
        { "[{\"type\":\"job\",\"id\":\"1\"}]", "[]", "vehicles[0].steps[0].id", "whole number" },
        { "[{\"type\":\"job\",\"id\":1,\"service_at\":100}]", "[]", "vehicles[0].steps[0].service_at",
          "not supported" },
        { "[{\"type\":\"job\",\"id\":1,\"service_before\":100}]", "[]", "vehicles[0].steps[0].service_before",
          "not supported" },
        { "{\"type\":\"job\"}", "[]", "vehicles[0].steps", "expected an array" },
        { "[1]", "[]", "vehicles[0].steps[0]", "expected an object" },
        { "[" STEP("job", 1) ",{\"type\":\"start\"}]", "[]", "vehicles[0].steps[1].type", "must be the first step" },
        { "[{\"type\":\"end\"}," STEP("job", 1) "]", "[]", "vehicles[0].steps[0].type", "must be the last step" },
        { "[" STEP("job", 3) "]", "[]", "vehicles[0].steps[0].id", "needs skills that vehicle 1 lacks" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char js[2048];
        snprintf(js, sizeof js, STEPS_PROBLEM, cases[i].s1, cases[i].s2);
        kmt_vrp_problem p;
        kmt_error e;
        if (load_json(js, &p, &e) == 0) kmt_test_fail(__FILE__, __LINE__, "case %zu: accepted", i);
        ASSERT_STR_EQ(e.field, cases[i].field);
        ASSERT_CONTAINS(e.msg, cases[i].msg);
        kmt_vrp_problem_destroy(&p);
    }
    /* the structural validation refuses a task in two initial routes too */
    kmt_vrp_problem p;
    kmt_error e;
    char js[2048];
    snprintf(js, sizeof js, STEPS_PROBLEM, "[" STEP("job", 1) "]", "[" STEP("job", 2) "]");
    ASSERT_EQ_INT(load_json(js, &p, &e), 0);
    p.vehicles[1].init[0] = 0;
    ASSERT_EQ_INT(kmt_vrp_problem_validate(&p, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "vehicles[1].steps");
    kmt_vrp_problem_destroy(&p);
}

/* Damaged steps are refused cleanly or give a valid problem (ASan watches). */
KMT_TEST(vrp_vehicle_steps_survive_damaged_input)
{
    char good[2048], buf[2048];
    int n = snprintf(good, sizeof good, STEPS_PROBLEM,
                     "[{\"type\":\"start\"}," STEP("job", 2) "," STEP("break", 5) "," STEP("pickup", 7) "," STEP(
                         "job", 1) "," STEP("delivery", 8) ",{\"type\":\"end\"}]",
                     "[" STEP("job", 3) "]");
    kmt_rng r;
    kmt_rng_seed(&r, 5);
    int accepted = 0;
    for (int round = 0; round < 400; round++) {
        memcpy(buf, good, (size_t)n + 1);
        for (int k = 0; k < 1 + round % 3; k++) {
            static const char junk[] = "0123456789-\"[]{},:";
            buf[kmt_rng_below(&r, (uint64_t)n)] = junk[kmt_rng_below(&r, sizeof junk - 1)];
        }
        kmt_vrp_problem p;
        kmt_error e;
        if (load_json(buf, &p, &e) == 0) {
            accepted++;
            kmt_vrp_solution s;
            kmt_vrp_check_report rep;
            solve_checked(&p, 20, 1, &s, &rep);
            kmt_vrp_check_report_destroy(&rep);
            kmt_vrp_solution_destroy(&s);
        }
        kmt_vrp_problem_destroy(&p);
    }
    ASSERT(accepted > 0);
}
