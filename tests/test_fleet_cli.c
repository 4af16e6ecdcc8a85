/* SPDX-License-Identifier: MPL-2.0 */
/* The fleet commands through the binary, on the small demo municipality. */
#include <jansson.h>
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
    json_array_foreach(sites, i, s) {
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
    const char *cmds[] = {"fleet report --format json", "fleet ev --format json --range 250",
                          "fleet place --format json", "fleet report --format csv --by department",
                          "fleet ev", "fleet size --format csv"};
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
