/* SPDX-License-Identifier: MPL-2.0 */
/* `pool plan` and `pool analyse` as a user runs them: shapes, exit codes, messages. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* Run kommute with args; check the exit code; return stdout, and stderr in *err. */
static char *pool_run(int want_rc, const char *args, char **err_out)
{
    char *out = NULL, *err = NULL;
    int rc = kmt_test_run(args, &out, &err);
    if (rc != want_rc)
        kmt_test_fail(__FILE__, __LINE__, "'kommute %s' exited %d, expected %d: %.400s %.400s", args, rc, want_rc,
                      out ? out : "", err ? err : "");
    if (err_out)
        *err_out = err;
    else
        free(err);
    return out;
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 512, "%s/%s", kmt_test_tmpdir(), name);
    FILE *f = fopen(p, "w");
    ASSERT(f != NULL);
    fputs(text, f);
    fclose(f);
    return p;
}

#define HEADER                                                                                                         \
    "request_id,person,department,origin_lon,origin_lat,dest_lon,dest_lat,earliest_departure,latest_arrival,seats,"    \
    "can_drive\n"

KMT_TEST(pool_cli_plan_json)
{
    char args[1024], *err;
    snprintf(args, sizeof args, "pool plan %s --format json", kmt_test_data("pool/requests.csv"));
    char *out = pool_run(0, args, &err);
    ASSERT_CONTAINS(err, "1 request cannot be shared");
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    ASSERT(root != NULL);
    json_t *sum = json_object_get(root, "summary");
    ASSERT_EQ_INT(json_integer_value(json_object_get(sum, "requests")), 14);
    double direct = json_real_value(json_object_get(sum, "km_direct"));
    double driven = json_real_value(json_object_get(sum, "km_driven"));
    double saved = json_real_value(json_object_get(sum, "km_saved"));
    ASSERT_NEAR(direct - driven, saved, 0.002);
    ASSERT(saved > 0);
    ASSERT(json_is_true(json_object_get(sum, "exact")));
    ASSERT_STR_EQ(json_string_value(json_object_get(json_object_get(root, "travel_times"), "source")), "haversine");
    /* every ride: driver first and last, stops with kinds and times, passengers listed */
    json_t *rides = json_object_get(root, "rides");
    ASSERT(json_array_size(rides) >= 2);
    size_t shared = 0;
    double ride_saved = 0;
    for (size_t i = 0; i < json_array_size(rides); i++) {
        json_t *rd = json_array_get(rides, i);
        const char *drv = json_string_value(json_object_get(rd, "driver"));
        json_t *st = json_object_get(rd, "stops");
        size_t ns = json_array_size(st);
        ASSERT_EQ_INT(ns, 2 * (json_array_size(json_object_get(rd, "passengers")) + 1));
        ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(st, 0), "request")), drv);
        ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(st, 0), "kind")), "pickup");
        ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(st, ns - 1), "request")), drv);
        ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(st, ns - 1), "kind")), "dropoff");
        ASSERT(strlen(json_string_value(json_object_get(json_array_get(st, 1), "time"))) == 19);
        shared += ns / 2;
        ride_saved += json_real_value(json_object_get(rd, "km_saved"));
    }
    ASSERT_EQ_INT(shared, json_integer_value(json_object_get(sum, "shared_requests")));
    ASSERT_NEAR(ride_saved, saved, 0.01);
    /* the request with a too short window is reported and alone */
    json_t *pr = json_array_get(json_object_get(root, "problems"), 0);
    ASSERT_STR_EQ(json_string_value(json_object_get(pr, "request")), "X01");
    ASSERT_STR_EQ(json_string_value(json_object_get(pr, "problem")), "window_too_short");
    ASSERT_EQ_INT(json_integer_value(json_object_get(pr, "line")), 15);
    int alone = 0;
    json_t *al = json_object_get(root, "alone");
    for (size_t i = 0; i < json_array_size(al); i++) alone |= !strcmp(json_string_value(json_array_get(al, i)), "X01");
    ASSERT(alone);
    json_decref(root);
    free(out);
    free(err);
}

KMT_TEST(pool_cli_plan_text_csv_and_options)
{
    char args[1024];
    snprintf(args, sizeof args, "pool plan %s", kmt_test_data("pool/requests.csv"));
    char *out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "no road graph: distance = great-circle distance x 1.3");
    ASSERT_CONTAINS(out, "ride 1: driver");
    ASSERT_CONTAINS(out, "X01 (line 15): window");
    free(out);
    snprintf(args, sizeof args, "pool plan %s --format csv --max-group 2 --objective co2",
             kmt_test_data("pool/requests.csv"));
    out = pool_run(0, args, NULL);
    const char *hdr = "ride,driver,request,person,department,kind,time,lon,lat,ride_km,ride_km_saved\n";
    ASSERT(!strncmp(out, hdr, strlen(hdr)));
    ASSERT_CONTAINS(out, ",window_too_short,");
    free(out);
    snprintf(args, sizeof args, "pool plan %s --objective co2 --country DK --format json",
             kmt_test_data("pool/requests.csv"));
    out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "\"per_km\":141,\"unit\":\"g CO2e\"");
    ASSERT_CONTAINS(out, "\"co2_saved_kg\":");
    free(out);
    snprintf(args, sizeof args, "pool plan %s --objective co2 --co2-g-per-km 100", kmt_test_data("pool/requests.csv"));
    out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "100 g CO2e per vehicle-km (given with --co2-g-per-km)");
    free(out);
    snprintf(args, sizeof args, "pool plan %s --max-group 1 --format json", kmt_test_data("pool/requests.csv"));
    out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "\"rides\":[]");
    free(out);
    /* deterministic: the same input gives the same plan, byte for byte */
    snprintf(args, sizeof args, "pool plan %s --format json --max-group 4", kmt_test_data("pool/requests.csv"));
    char *again = pool_run(0, args, NULL);
    out = pool_run(0, args, NULL);
    ASSERT_STR_EQ(out, again);
    free(again);
    free(out);
    snprintf(args, sizeof args, "pool plan %s --objective cost --format json -o %s/plan.json",
             kmt_test_data("pool/requests.csv"), kmt_test_tmpdir());
    out = pool_run(0, args, NULL);
    ASSERT_STR_EQ(out, "");
    free(out);
}

KMT_TEST(pool_cli_plan_bad_input)
{
    char args[1024], *err, *out;
    const char *p = write_tmp("dup.csv", HEADER "A,,,10.75,59.90,10.80,59.93,2024-05-06T08:00,2024-05-06T09:00,,\n"
                                                "B,,,10.75,59.90,10.80,59.93,2024-05-06T08:00,2024-05-06T09:00,,\n"
                                                "A,,,10.75,59.90,10.80,59.93,2024-05-06T08:00,2024-05-06T09:00,,\n");
    snprintf(args, sizeof args, "pool plan %s", p);
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "dup.csv:4");
    ASSERT_CONTAINS(err, "request_id");
    ASSERT_CONTAINS(err, "duplicate request id (first on line 2)");
    free(out), free(err);
    p = write_tmp("time.csv", HEADER "A,,,10.75,59.90,10.80,59.93,2024-05-06T08:00,2024-05-06T25:00,,\n");
    snprintf(args, sizeof args, "pool plan %s", p);
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "time.csv:2");
    ASSERT_CONTAINS(err, "latest_arrival");
    ASSERT_CONTAINS(err, "2024-05-06T25:00");
    free(out), free(err);
    p = write_tmp("coord.csv", HEADER "A,,,10.75,59.90,190.80,59.93,2024-05-06T08:00,2024-05-06T09:00,,\n");
    snprintf(args, sizeof args, "pool plan %s", p);
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "coord.csv:2");
    ASSERT_CONTAINS(err, "dest_lon");
    ASSERT_CONTAINS(err, "190.80");
    free(out), free(err);
    p = write_tmp("nocoord.csv", HEADER "A,,,10.75,x,10.80,59.93,2024-05-06T08:00,2024-05-06T09:00,,\n");
    snprintf(args, sizeof args, "pool plan %s", p);
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "origin_lat");
    free(out), free(err);
    p = write_tmp("drive.csv", HEADER "A,,,10.75,59.90,10.80,59.93,2024-05-06T08:00,2024-05-06T09:00,1,maybe\n");
    snprintf(args, sizeof args, "pool plan %s", p);
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "can_drive");
    ASSERT_CONTAINS(err, "expected yes or no");
    free(out), free(err);
    p = write_tmp("nocol.csv", "request_id,origin_lon,origin_lat,dest_lon,dest_lat,earliest_departure\n");
    snprintf(args, sizeof args, "pool plan %s", p);
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "latest_arrival");
    free(out), free(err);
    snprintf(args, sizeof args, "pool plan %s --format xml", kmt_test_data("pool/requests.csv"));
    out = pool_run(2, args, &err);
    ASSERT_CONTAINS(err, "--format");
    free(out), free(err);
    out = pool_run(2, "pool plan", &err);
    ASSERT_CONTAINS(err, "expected one FILE.csv");
    free(out), free(err);
    out = pool_run(1, "pool plan /nonexistent/requests.csv", &err);
    ASSERT_CONTAINS(err, "/nonexistent/requests.csv");
    free(out), free(err);
}

KMT_TEST(pool_cli_plan_graph)
{
    char args[1200], *out;
    char graph[512];
    snprintf(graph, sizeof graph, "%s/pool.kgraph", kmt_test_tmpdir());
    snprintf(args, sizeof args, "graph build data/osm/oslo-east-roads.osm.pbf -o %s", graph);
    free(pool_run(0, args, NULL));
    snprintf(args, sizeof args, "pool plan %s --graph %s --format json", kmt_test_data("pool/requests.csv"), graph);
    out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "\"source\":\"graph\"");
    ASSERT_CONTAINS(out, "\"exact\":true");
    free(out);
    snprintf(args, sizeof args, "pool plan %s --graph %s --max-snap-m 10", kmt_test_data("pool/requests.csv"), graph);
    char *err;
    out = pool_run(1, args, &err);
    ASSERT_CONTAINS(err, "is not near a road of the graph");
    free(out), free(err);
}

KMT_TEST(pool_cli_analyse)
{
    char db[512], args[1400], *out, *err;
    snprintf(db, sizeof db, "%s/pool.db", kmt_test_tmpdir());
    const char *travel = write_tmp(
        "travel.csv",
        "record_id,person,organisation,department,date,start_time,end_time,from_lon,from_lat,to_lon,to_lat,km,mode,"
        "travel_minutes\n"
        "R1,P1,Kommune,Skoler,2024-05-06,08:00,09:00,10.75,59.90,10.80,59.93,6,private_car,12\n"
        "R2,P2,Kommune,Skoler,2024-05-06,08:05,09:00,10.751,59.901,10.799,59.929,6,fleet_car,12\n"
        "R3,P3,Kommune,Sundhed,2024-05-06,08:00,09:00,10.75,59.90,10.80,59.93,6,train,12\n"
        "R4,P4,Kommune,Sundhed,2024-05-07,14:00,15:00,10.75,59.90,10.80,59.93,6,private_car,12\n");
    snprintf(args, sizeof args, "travel import %s --db %s", travel, db);
    free(pool_run(0, args, NULL));
    snprintf(args, sizeof args, "pool analyse --db %s --from 2024-05-01 --to 2024-05-31 --format json", db);
    out = pool_run(0, args, NULL);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    ASSERT(root != NULL);
    json_t *tot = json_object_get(root, "total");
    ASSERT_EQ_INT(json_integer_value(json_object_get(tot, "trips")), 3);
    ASSERT_EQ_INT(json_integer_value(json_object_get(tot, "pooled")), 2);
    ASSERT(json_real_value(json_object_get(tot, "km_saved")) > 0);
    ASSERT_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "not_eligible"), "not_by_car")), 1);
    ASSERT_EQ_INT(json_integer_value(json_object_get(root, "rides")), 1);
    json_t *dep = json_object_get(root, "by_department");
    ASSERT_EQ_INT(json_array_size(dep), 2);
    ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(dep, 0), "key")), "Skoler");
    ASSERT_EQ_INT(json_integer_value(json_object_get(json_array_get(dep, 0), "pooled")), 2);
    json_t *wd = json_array_get(json_object_get(root, "by_weekday"), 0); /* Monday */
    ASSERT_EQ_INT(json_integer_value(json_object_get(wd, "pooled")), 2);
    json_decref(root);
    free(out);
    /* a window of zero flexibility on the second day's single trip changes nothing; text and csv work */
    snprintf(args, sizeof args, "pool analyse --db %s --from 2024-05-01 --to 2024-05-31 --flex-min 0", db);
    out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "could have been pooled: 2 of 3 trips");
    free(out);
    snprintf(args, sizeof args, "pool analyse --db %s --from 2024-05-01 --to 2024-05-31 --format csv", db);
    out = pool_run(0, args, NULL);
    ASSERT_CONTAINS(out, "total,\"all\",3,2,");
    free(out);
    snprintf(args, sizeof args, "pool analyse --db %s --from 2024-05-01", db);
    out = pool_run(2, args, &err);
    ASSERT_CONTAINS(err, "--to");
    free(out), free(err);
    snprintf(args, sizeof args, "pool analyse --db %s --from 2024-05-01 --to yesterday", db);
    out = pool_run(2, args, &err);
    ASSERT_CONTAINS(err, "yesterday");
    free(out), free(err);
    out = pool_run(1, "pool analyse --db /nonexistent/x.db --from 2024-01-01 --to 2024-01-02", &err);
    ASSERT_CONTAINS(err, "/nonexistent/x.db");
    free(out), free(err);
}
