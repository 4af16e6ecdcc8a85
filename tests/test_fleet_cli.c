/* SPDX-License-Identifier: MPL-2.0 */
/* The fleet commands through the binary, on the small demo municipality. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "test.h"

static const char *fleet_bin(void)
{
    const char *b = getenv("KMT_BIN");
    if (!b) kmt_test_skip("KMT_BIN not set (run via make check)");
    return b;
}

/* Runs `kommute ARGS`; returns the exit code, stdout in *out (malloc'd),
 * stderr appended when err is set. */
static int kfleet(const char *args, char **out, int with_stderr)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s%s", fleet_bin(), args, with_stderr ? " 2>&1" : " 2>/dev/null");
    FILE *p = popen(cmd, "r");
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (p && (got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap) buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int st = p ? pclose(p) : -1;
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *demo_db(void)
{
    static char db[1024];
    if (db[0]) return db;
    snprintf(db, sizeof db, "%s/fleet-demo.db", kmt_test_tmpdir());
    char args[1200], *out;
    snprintf(args, sizeof args, "demo generate --seed 2 --scale small --db %s", db);
    if (kfleet(args, &out, 1) != 0) {
        free(out);
        db[0] = '\0';
        kmt_test_skip("demo generate failed");
    }
    free(out);
    return db;
}

KMT_TEST(fleet_cli_size_json)
{
    const char *db = demo_db();
    char args[1200], *out;
    snprintf(args, sizeof args, "fleet size --db %s --format json --changeover 5 --pool-distance 3000", db);
    ASSERT_EQ_INT(kfleet(args, &out, 0), 0);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    free(out);
    ASSERT(root != NULL);
    json_t *sites = json_object_get(root, "sites");
    ASSERT(json_is_array(sites) && json_array_size(sites) > 0);
    long pooled = 0, alone = 0;
    size_t i;
    json_t *s;
    json_array_foreach(sites, i, s)
    {
        ASSERT(json_is_string(json_object_get(s, "site")));
        ASSERT(json_is_integer(json_object_get(s, "current_vehicles")));
        long mv = (long)json_integer_value(json_object_get(s, "min_vehicles"));
        alone += mv;
        pooled += (long)json_integer_value(json_object_get(s, "min_vehicles_pooled"));
        json_t *peak = json_object_get(json_object_get(s, "peak"), "trips");
        ASSERT(json_is_array(peak));
        if (json_integer_value(json_object_get(s, "trips")) > 0) ASSERT((long)json_array_size(peak) >= 1);
        ASSERT(json_is_array(json_object_get(s, "service_curve")));
    }
    ASSERT_EQ_INT(pooled, json_integer_value(json_object_get(root, "min_vehicles_pooled")));
    ASSERT_EQ_INT(alone, json_integer_value(json_object_get(root, "min_vehicles")));
    ASSERT(pooled <= alone);
    json_decref(root);
}

KMT_TEST(fleet_cli_other_commands)
{
    const char *db = demo_db();
    const char *cmds[] = { "fleet report --format json",
                           "fleet ev --format json --range 250",
                           "fleet place --format json",
                           "fleet report --format csv --by department",
                           "fleet ev",
                           "fleet size --format csv" };
    for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
        char args[1400], *out;
        snprintf(args, sizeof args, "%s --db %s", cmds[k], db);
        ASSERT_EQ_INT(kfleet(args, &out, 0), 0);
        if (strstr(cmds[k], "json")) {
            json_error_t je;
            json_t *root = json_loads(out, 0, &je);
            ASSERT(root != NULL);
            ASSERT(json_is_integer(json_object_get(root, "days")));
            json_decref(root);
        }
        free(out);
    }
}

KMT_TEST(fleet_cli_compose_verified)
{
    const char *db = demo_db();
    char args[1400], *out;
    snprintf(args, sizeof args, "fleet compose --db %s --site S05 --format json --best 2", db);
    ASSERT_EQ_INT(kfleet(args, &out, 0), 0);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    free(out);
    ASSERT(root != NULL);
    json_t *site = json_array_get(json_object_get(root, "sites"), 0);
    ASSERT(site != NULL);
    json_t *best = json_array_get(json_object_get(site, "fleets"), 0);
    ASSERT(best != NULL);
    ASSERT(json_is_true(json_object_get(best, "verified")));
    ASSERT(json_number_value(json_object_get(best, "objective")) >=
           json_number_value(json_object_get(site, "lower_bound")) - 1);
    json_decref(root);
}

KMT_TEST(fleet_cli_errors)
{
    const char *db = demo_db();
    char args[1400], *out;
    snprintf(args, sizeof args, "fleet size --db %s --format xml", db);
    ASSERT_EQ_INT(kfleet(args, &out, 1), 2);
    ASSERT_CONTAINS(out, "--format");
    free(out);
    snprintf(args, sizeof args, "fleet ev --db %s --range -3", db);
    ASSERT_EQ_INT(kfleet(args, &out, 1), 2);
    free(out);
    snprintf(args, sizeof args, "fleet size --db %s/no-such.db", kmt_test_tmpdir());
    ASSERT_EQ_INT(kfleet(args, &out, 1), 1);
    free(out);
    /* the travel module's factors file: a country it lacks is bad input */
    snprintf(args, sizeof args, "fleet ev --db %s --country XX", db);
    ASSERT_EQ_INT(kfleet(args, &out, 1), 1);
    ASSERT_CONTAINS(out, "no country 'XX'");
    free(out);
    snprintf(args, sizeof args, "fleet ev --db %s --country DK --format json", db);
    ASSERT_EQ_INT(kfleet(args, &out, 1), 0);
    free(out);
    /* a catalogue with an unknown kind names file, line and column */
    char cat[1200];
    snprintf(cat, sizeof cat, "%s/bad-catalogue.csv", kmt_test_tmpdir());
    FILE *f = fopen(cat, "w");
    ASSERT(f != NULL);
    fputs("model,kind,fuel,range_km,wh_per_km,km_per_litre,fixed_cost_per_year,cost_per_km\n"
          "Tractor,tractor,diesel,,,5,90000,2\n",
          f);
    fclose(f);
    snprintf(args, sizeof args, "fleet compose --db %s --catalogue %s", db, cat);
    ASSERT_EQ_INT(kfleet(args, &out, 1), 1);
    ASSERT_CONTAINS(out, "bad-catalogue.csv:2");
    ASSERT_CONTAINS(out, "tractor");
    free(out);
}

/* Copies the bundled factors file to dst, replacing each (from, to) pair's
 * first occurrence; fails the test when one is missing. */
static void factors_copy(const char *dst, const char *const *pairs, size_t npairs)
{
    FILE *in = fopen("data/factors/nordic-2024.json", "rb");
    ASSERT(in != NULL);
    static char text[1 << 17], out[1 << 17];
    size_t len = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[len] = '\0';
    for (size_t k = 0; k + 1 < npairs; k += 2) {
        char *p = strstr(text, pairs[k]);
        if (!p) kmt_test_fail(__FILE__, __LINE__, "'%s' not in the factors file", pairs[k]);
        snprintf(out, sizeof out, "%.*s%s%s", (int)(p - text), text, pairs[k + 1], p + strlen(pairs[k]));
        snprintf(text, sizeof text, "%s", out);
    }
    FILE *f = fopen(dst, "wb");
    ASSERT(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* fleet ev --format json: the parsed root (fails the test on a bad run). */
static json_t *ev_json(const char *extra)
{
    char args[4096], *out;
    snprintf(args, sizeof args, "fleet ev --db %s --format json %s", demo_db(), extra);
    int rc = kfleet(args, &out, 0);
    if (rc != 0) kmt_test_fail(__FILE__, __LINE__, "exit %d: %s", rc, args);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    free(out);
    ASSERT(root != NULL);
    return root;
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* fleet ev and compose take money, energy and CO2 from the factors file
 * (the default one without --factors), say which, and follow its values. */
KMT_TEST(fleet_cli_factors_from_file)
{
    json_t *a = ev_json("--country DK");
    json_t *fa = json_object_get(a, "factors");
    ASSERT_CONTAINS(json_string_value(json_object_get(fa, "file")), "data/factors/nordic-2024.json");
    ASSERT_STR_EQ(json_string_value(json_object_get(fa, "version")), "nordic-2024.2");
    ASSERT_STR_EQ(json_string_value(json_object_get(fa, "country")), "DK");
    ASSERT_STR_EQ(json_string_value(json_object_get(fa, "currency")), "DKK");
    ASSERT(json_is_false(json_object_get(fa, "fallback")));
    ASSERT_STR_EQ(json_string_value(json_object_get(fa, "compiled_in")), "");
    ASSERT_NEAR(num(fa, "g_co2e_per_kwh"), 89, 1e-9);
    ASSERT_NEAR(num(fa, "price_per_kwh"), 2.5, 1e-9);
    ASSERT_NEAR(num(fa, "co2_price_per_tonne"), 1500, 1e-9);
    ASSERT_NEAR(num(fa, "allowance_per_km"), 3.79, 1e-9);
    ASSERT_NEAR(num(fa, "private_car_g_co2e_per_km"), 141, 1e-9);
    ASSERT_STR_EQ(json_string_value(json_object_get(fa, "country_from")), "option");
    /* without --country: as the travel commands, the currency of the travel
     * records in the database (the demo's are in DKK) */
    json_t *s = ev_json("");
    json_t *fs = json_object_get(s, "factors");
    ASSERT_STR_EQ(json_string_value(json_object_get(fs, "country")), "DK");
    ASSERT_STR_EQ(json_string_value(json_object_get(fs, "country_from")), "travel_records");
    json_decref(s);
    /* ... and without travel records the file's default country (SE) */
    char notravel[1200], args0[2600], *out0;
    snprintf(notravel, sizeof notravel, "%s/fleet-notravel.db", kmt_test_tmpdir());
    remove(notravel);
    sqlite3 *q = NULL;
    ASSERT_EQ_INT(sqlite3_open(demo_db(), &q), SQLITE_OK);
    char sql[1400];
    snprintf(sql, sizeof sql, "VACUUM INTO '%s'", notravel);
    ASSERT_EQ_INT(sqlite3_exec(q, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q);
    ASSERT_EQ_INT(sqlite3_open(notravel, &q), SQLITE_OK);
    ASSERT_EQ_INT(sqlite3_exec(q, "DELETE FROM travel", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(q);
    snprintf(args0, sizeof args0, "fleet ev --db %s --format json", notravel);
    ASSERT_EQ_INT(kfleet(args0, &out0, 0), 0);
    json_error_t je0;
    s = json_loads(out0, 0, &je0);
    free(out0);
    ASSERT(s != NULL);
    fs = json_object_get(s, "factors");
    ASSERT_STR_EQ(json_string_value(json_object_get(fs, "country")), "SE");
    ASSERT_STR_EQ(json_string_value(json_object_get(fs, "country_from")), "file_default");
    ASSERT_NEAR(num(fs, "g_co2e_per_kwh"), 43, 1e-9);
    ASSERT_NEAR(num(fs, "allowance_per_km"), 2.5, 1e-9);
    ASSERT_NEAR(num(fs, "private_car_g_co2e_per_km"), 132.6, 1e-9);
    json_decref(s);
    s = ev_json("--country NO");
    fs = json_object_get(s, "factors");
    ASSERT_STR_EQ(json_string_value(json_object_get(fs, "currency")), "NOK");
    ASSERT_NEAR(num(fs, "g_co2e_per_kwh"), 0, 1e-9);
    ASSERT_NEAR(num(fs, "allowance_per_km"), 4.9, 1e-9);
    ASSERT_NEAR(num(fs, "co2_price_per_tonne"), 2300, 1e-9);
    json_decref(s);

    /* a copy with DK electricity at 178 g/kWh and 5.00 DKK/kWh, petrol at 1.26 kg/l */
    char copy[1200];
    snprintf(copy, sizeof copy, "%s/factors-copy.json", kmt_test_tmpdir());
    const char *edits[] = { "\"fuel\": \"electric\", \"g_co2e_per_kwh\": 89,",
                            "\"fuel\": \"electric\", \"g_co2e_per_kwh\": 178,",
                            "\"price_per_kwh\": 2.5,",
                            "\"price_per_kwh\": 5.0,",
                            "\"fuel\": \"petrol\", \"kg_co2e_per_l\": 2.52,",
                            "\"fuel\": \"petrol\", \"kg_co2e_per_l\": 1.26,",
                            "\"co2_price_per_tonne\": 1500,",
                            "\"co2_price_per_tonne\": 3000," };
    factors_copy(copy, edits, 8);
    char extra[1400];
    snprintf(extra, sizeof extra, "--country DK --factors %s", copy);
    json_t *b = ev_json(extra);
    json_t *fb = json_object_get(b, "factors");
    ASSERT_CONTAINS(json_string_value(json_object_get(fb, "file")), "factors-copy.json");
    ASSERT_NEAR(num(fb, "g_co2e_per_kwh"), 178, 1e-9);
    ASSERT_NEAR(num(fb, "price_per_kwh"), 5.0, 1e-9);
    json_t *va = json_object_get(a, "vehicles"), *vb = json_object_get(b, "vehicles");
    ASSERT_EQ_INT(json_array_size(va), json_array_size(vb));
    int petrol = 0;
    for (size_t i = 0; i < json_array_size(va); i++) {
        json_t *x = json_array_get(va, i), *y = json_array_get(vb, i);
        double kwh_ev = num(x, "kwh_per_year_ev");
        ASSERT_NEAR(num(y, "kwh_per_year_ev"), kwh_ev, 0.5);
        /* EV CO2 = kWh x the file's g/kWh (printed rounded to whole kg) */
        ASSERT_NEAR(num(x, "co2_kg_per_year_ev"), kwh_ev * 0.089, 1.0);
        ASSERT_NEAR(num(y, "co2_kg_per_year_ev"), kwh_ev * 0.178, 1.0);
        /* the EV's cost rises by kWh x 2.50 (kWh printed rounded) */
        ASSERT_NEAR(num(y, "cost_per_year_ev") - num(x, "cost_per_year_ev"), kwh_ev * 2.5, 2.5);
        if (strcmp(json_string_value(json_object_get(x, "fuel")), "petrol") == 0 && num(x, "km") > 0) {
            petrol++; /* half the kg per litre: half the CO2 */
            ASSERT_NEAR(num(y, "co2_kg_per_year"), 0.5 * num(x, "co2_kg_per_year"), 1.0);
        }
    }
    ASSERT(petrol > 0);
    json_decref(a);
    json_decref(b);

    /* compose: the CO2 shadow price of the country */
    char args[2000], *out;
    snprintf(args, sizeof args, "fleet compose --db %s --country DK --format json --factors %s", demo_db(), copy);
    ASSERT_EQ_INT(kfleet(args, &out, 0), 0);
    json_error_t je;
    json_t *c = json_loads(out, 0, &je);
    free(out);
    ASSERT(c != NULL);
    ASSERT_NEAR(num(c, "co2_price_per_tonne"), 3000, 1e-9);
    ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(c, "factors"), "version")), "nordic-2024.2");
    json_decref(c);
    snprintf(args, sizeof args, "fleet compose --db %s --country NO", demo_db());
    ASSERT_EQ_INT(kfleet(args, &out, 0), 0);
    ASSERT_CONTAINS(out, "version nordic-2024.2, country NO (NOK)");
    free(out);

    /* a bad value in the file: file, row, field, value and unit, exit 1 */
    const char *bad[] = { "\"fuel\": \"diesel\", \"kg_co2e_per_l\": 2.98,",
                          "\"fuel\": \"diesel\", \"kg_co2e_per_l\": 2980," };
    factors_copy(copy, bad, 2);
    snprintf(args, sizeof args, "fleet ev --db %s --factors %s", demo_db(), copy);
    ASSERT_EQ_INT(kfleet(args, &out, 1), 1);
    ASSERT_CONTAINS(out, "factors-copy.json");
    ASSERT_CONTAINS(out, "fuels[1] (DK diesel)");
    ASSERT_CONTAINS(out, "kg_co2e_per_l");
    ASSERT_CONTAINS(out, "2980 is outside the plausible range 0..5 kg CO2e/l");
    free(out);
}

/* Without any factors file: the compiled-in DK figures, and a loud warning. */
KMT_TEST(fleet_cli_factors_fallback_is_loud)
{
    const char *db = demo_db();
    char dir[1200], cmd[4000];
    snprintf(dir, sizeof dir, "%s/nofactors/bin", kmt_test_tmpdir());
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s %s/kommute", dir, fleet_bin(), dir);
    ASSERT_EQ_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "cd %s/.. && env -u KOMMUTE_FACTORS ./bin/kommute fleet ev --db %s 2>&1", dir, db);
    FILE *p = popen(cmd, "r");
    ASSERT(p != NULL);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    ASSERT_EQ_INT(WEXITSTATUS(pclose(p)), 0);
    ASSERT_CONTAINS(buf, "WARNING: nordic-2024.json not found: using the compiled-in DK factors");
    ASSERT_CONTAINS(buf, "WARNING: no factors file found: compiled-in DK factors used");
    snprintf(cmd, sizeof cmd,
             "cd %s/.. && env -u KOMMUTE_FACTORS ./bin/kommute fleet ev --db %s --format json 2>/dev/null", dir, db);
    p = popen(cmd, "r");
    n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    pclose(p);
    json_error_t je;
    json_t *root = json_loads(buf, 0, &je);
    ASSERT(root != NULL);
    json_t *fa = json_object_get(root, "factors");
    ASSERT(json_is_true(json_object_get(fa, "fallback")));
    ASSERT_STR_EQ(json_string_value(json_object_get(fa, "country")), "DK");
    ASSERT_NEAR(num(fa, "g_co2e_per_kwh"), 89, 1e-9);
    json_decref(root);
    /* the fallback has only DK */
    snprintf(cmd, sizeof cmd, "cd %s/.. && env -u KOMMUTE_FACTORS ./bin/kommute fleet ev --db %s --country SE 2>&1",
             dir, db);
    p = popen(cmd, "r");
    n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    ASSERT_EQ_INT(WEXITSTATUS(pclose(p)), 1);
    ASSERT_CONTAINS(buf, "only DK figures");
}
