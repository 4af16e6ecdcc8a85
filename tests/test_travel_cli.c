/* SPDX-License-Identifier: MPL-2.0 */
/* The travel commands end to end: import a small file, report, check numbers and errors. */
#include <jansson.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "kommute/core.h"
#include "test.h"

static const char TRAVEL_CSV[] =
    "record_id,person,organisation,department,date,start_time,end_time,from_place,to_place,from_lon,"
    "from_lat,to_lon,to_lat,km,mode,fuel,purpose,meeting_id,cost,currency,travel_minutes\n"
    "r1,p1,Falun,Social,2011-03-01,08:00,09:30,Falun,Borlänge,,,,,100,private_car,,meeting,M1,,,\n"
    "r2,p2,Falun,Skola,2011-03-01,08:10,09:20,Mora,Borlänge,,,,,200,train,,meeting,M1,300,SEK,\n"
    "r3,p3,Mora,Omsorg,2015-07-01,,,,,,,,,500,flight,,training,,1000,SEK,120\n"
    "r4,p4,Mora,Omsorg,2015-07-02,08:00,08:40,,,,,,,10,bicycle,,home visit,,,,\n"
    "r5,p1,Falun,Social,2015-03-01,08:00,09:30,Falun,Borlänge,,,,,80,private_car,,meeting,M9,,,\n";

/* Run "$KMT_BIN ARGS" with stdout and stderr into one file; exit code, output in *out (kmt_free). */
static int kommute(const char *args, char **out)
{
    const char *bin = getenv("KMT_BIN");
    if (!bin) kmt_test_skip("KMT_BIN not set (run with make check)");
    char log[512], cmd[4096];
    snprintf(log, sizeof log, "%s/travel_cli.out", kmt_test_tmpdir());
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>&1", bin, args, log);
    int st = system(cmd);
    size_t len;
    kmt_error e;
    if (kmt_read_file(log, out, &len, &e) != 0) *out = kmt_strdup("");
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A fresh database with TRAVEL_CSV imported; returns its path. */
static const char *travel_db(void)
{
    static char db[512];
    char csv[512], args[1200];
    snprintf(db, sizeof db, "%s/travel_cli.db", kmt_test_tmpdir());
    snprintf(csv, sizeof csv, "%s/travel_cli.csv", kmt_test_tmpdir());
    remove(db);
    FILE *f = fopen(csv, "wb");
    ASSERT(f != NULL);
    fputs(TRAVEL_CSV, f);
    fclose(f);
    char *out;
    snprintf(args, sizeof args, "travel import %s --db %s", csv, db);
    int rc = kommute(args, &out);
    if (rc != 0) kmt_test_fail(__FILE__, __LINE__, "import failed: %s", out);
    kmt_free(out);
    return db;
}

KMT_TEST(travel_cli_report_json)
{
    const char *db = travel_db();
    char args[1200], *out;
    snprintf(args, sizeof args,
             "travel report --db %s --baseline 2011 --target 2015:-20%% --target 2020:-40%% --format json "
             "--factors data/factors/nordic-2024.json",
             db);
    ASSERT_EQ_INT(kommute(args, &out), 0);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    if (!root) kmt_test_fail(__FILE__, __LINE__, "not JSON: %s: %.200s", je.text, out);
    kmt_free(out);
    ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(root, "factors"), "version")), "nordic-2024.2");
    json_t *all = json_object_get(root, "all");
    json_t *y0 = json_array_get(json_object_get(all, "years"), 0);
    ASSERT_EQ_INT(json_integer_value(json_object_get(y0, "year")), 2011);
    ASSERT_EQ_INT(json_integer_value(json_object_get(y0, "trips")), 2);
    ASSERT_NEAR(json_number_value(json_object_get(y0, "km")), 300, 1e-9);
    /* SE private car 100 km x 2.50 SEK + the train's own 300 SEK */
    ASSERT_NEAR(json_number_value(json_object_get(y0, "cost")), 550, 1e-9);
    /* SE private car 132.6 g/km x 100 km + train 0.0787 kWh x 43 g x 200 km */
    ASSERT_NEAR(json_number_value(json_object_get(y0, "co2e_kg")), (13260 + 0.0787 * 43 * 200) / 1000.0, 0.0005);
    /* hours: 90 min + 70 min (from start/end) */
    ASSERT_NEAR(json_number_value(json_object_get(y0, "hours")), 160.0 / 60.0, 0.005);
    json_t *t0 = json_array_get(json_object_get(all, "targets"), 0);
    ASSERT_EQ_INT(json_integer_value(json_object_get(t0, "year")), 2015);
    ASSERT_NEAR(json_number_value(json_object_get(t0, "reduction_pct")), 20, 0);
    ASSERT_NEAR(json_number_value(json_object_get(t0, "target_km")), 240, 1e-9);
    ASSERT_NEAR(json_number_value(json_object_get(t0, "actual_km")), 590, 1e-9);
    ASSERT_NEAR(json_number_value(json_object_get(t0, "gap_km")), 350, 1e-9);
    ASSERT(json_is_false(json_object_get(t0, "met")));
    /* Falun on its own: 300 km -> 80 km, met */
    json_t *orgs = json_object_get(root, "organisations");
    ASSERT_EQ_INT(json_array_size(orgs), 2);
    json_t *falun = json_array_get(orgs, 0);
    ASSERT_STR_EQ(json_string_value(json_object_get(falun, "name")), "Falun");
    ASSERT(json_is_true(json_object_get(json_array_get(json_object_get(falun, "targets"), 0), "met")));
    json_decref(root);
}

KMT_TEST(travel_cli_html_csv_text_candidates)
{
    const char *db = travel_db();
    char args[1200], html[512], *out;
    snprintf(html, sizeof html, "%s/travel.html", kmt_test_tmpdir());
    snprintf(args, sizeof args, "travel report --db %s --baseline 2011 --target 2015:-20%% --format html -o %s", db,
             html);
    ASSERT_EQ_INT(kommute(args, &out), 0);
    kmt_free(out);
    char *page;
    size_t len;
    kmt_error e;
    ASSERT_EQ_INT(kmt_read_file(html, &page, &len, &e), 0);
    ASSERT_CONTAINS(page, "<svg");
    ASSERT_CONTAINS(page, "Trend against target");
    ASSERT_CONTAINS(page, "nordic-2024.2");
    ASSERT_CONTAINS(page, "Departments, 2015");
    ASSERT(strstr(page, "<script") == NULL);
    ASSERT(strstr(page, "src=\"http") == NULL && strstr(page, "href=\"http") == NULL);
    kmt_free(page);
    snprintf(args, sizeof args, "travel report --db %s --format csv", db);
    ASSERT_EQ_INT(kommute(args, &out), 0);
    ASSERT_CONTAINS(out, "kind,organisation,department,year,month,mode,purpose,trips,km,kwh,co2e_kg,cost,hours");
    ASSERT_CONTAINS(out, "\nyear,,,2011,,,,2,300,");
    kmt_free(out);
    snprintf(args, sizeof args, "travel report --db %s", db);
    ASSERT_EQ_INT(kommute(args, &out), 0);
    ASSERT_CONTAINS(out, "Factors: ");
    ASSERT_CONTAINS(out, "version nordic-2024.2, 35 rows");
    kmt_free(out);
    snprintf(args, sizeof args,
             "travel candidates --db %s --year 2011 --baseline 2011 --target 2015:-20%% --format json", db);
    ASSERT_EQ_INT(kommute(args, &out), 0);
    ASSERT_CONTAINS(out, "\"meeting_id\":\"M1\"");
    ASSERT_CONTAINS(out, "\"top_n\":1");
    kmt_free(out);
}

KMT_TEST(travel_cli_errors)
{
    const char *db = travel_db();
    char args[1200], bad[512], *out;
    /* a factors file with 150 kWh/km */
    snprintf(bad, sizeof bad, "%s/bad-factors.json", kmt_test_tmpdir());
    char *text;
    size_t len;
    kmt_error e;
    ASSERT_EQ_INT(kmt_read_file("data/factors/nordic-2024.json", &text, &len, &e), 0);
    char *p = strstr(text, "\"kwh_per_km\": 0.18");
    ASSERT(p != NULL);
    memcpy(p, "\"kwh_per_km\": 150 ", 18);
    FILE *f = fopen(bad, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    kmt_free(text);
    snprintf(args, sizeof args, "travel report --db %s --factors %s", db, bad);
    ASSERT_EQ_INT(kommute(args, &out), 1);
    ASSERT_CONTAINS(out, "bad-factors.json");
    ASSERT_CONTAINS(out, "field 'kwh_per_km'");
    ASSERT_CONTAINS(out, "150 is outside the plausible range 0..10 kWh/km");
    ASSERT_CONTAINS(out, "(DK fleet_car electric)");
    kmt_free(out);
    /* usage errors */
    snprintf(args, sizeof args, "travel report --db %s --baseline 2011 --target 2015-20", db);
    ASSERT_EQ_INT(kommute(args, &out), 2);
    ASSERT_CONTAINS(out, "YEAR:-PCT%");
    kmt_free(out);
    snprintf(args, sizeof args, "travel report --db %s --format pdf", db);
    ASSERT_EQ_INT(kommute(args, &out), 2);
    kmt_free(out);
    snprintf(args, sizeof args, "travel report --db %s --target 2015:-20%%", db);
    ASSERT_EQ_INT(kommute(args, &out), 2);
    ASSERT_CONTAINS(out, "--target needs --baseline");
    kmt_free(out);
    /* a baseline year without records is bad input */
    snprintf(args, sizeof args, "travel report --db %s --baseline 2009 --target 2015:-20%%", db);
    ASSERT_EQ_INT(kommute(args, &out), 1);
    ASSERT_CONTAINS(out, "no travel records in the baseline year 2009");
    kmt_free(out);
    /* no database */
    snprintf(args, sizeof args, "travel report --db %s/nope.db", kmt_test_tmpdir());
    ASSERT_EQ_INT(kommute(args, &out), 1);
    kmt_free(out);
}
