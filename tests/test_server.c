/* SPDX-License-Identifier: MPL-2.0 */
/*
 * API integration tests of `kommute serve`: each test starts the ASan-built
 * binary on a free loopback port (--listen 127.0.0.1:0, the address read from
 * its first line), talks HTTP/1.1 to it over a socket, checks every endpoint
 * and every error status, sends malformed requests, then stops it with
 * SIGTERM and checks the exit code and the one log line per request.
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kommute/json.h"
#include "server_util.h"
#include "test.h"

#define A "10.7522,59.9111"
#define B "10.8023,59.9127"
#define C "10.7945,59.8955"

KMT_TEST(server_route_and_table_in_osrm_shapes)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --max-route 5 --max-table 4", srv_graph_path());
    srv_start(&s, args);
    resp r = srv_get(s.port, "/health");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(srv_jstr(r.json, "status"), "ok");
    ASSERT_STR_EQ(srv_jstr(json_object_get(r.json, "graph"), "profile"), "car");
    srv_resp_free(&r);

    r = srv_get(s.port, "/route/v1/driving/" A ";" B ";" C);
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(srv_jstr(r.json, "code"), "Ok");
    json_t *route = json_array_get(json_object_get(r.json, "routes"), 0);
    ASSERT(json_real_value(json_object_get(route, "distance")) > 5000);
    ASSERT(json_is_string(json_object_get(route, "geometry"))); /* polyline by default */
    ASSERT_EQ_INT(json_array_size(json_object_get(route, "legs")), 2);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "waypoints")), 3);
    double dur = json_real_value(json_object_get(route, "duration"));
    srv_resp_free(&r);

    r = srv_get(s.port,
                "/route/v1/car/" A ";" B ";" C "?geometries=geojson&overview=full&steps=false&alternatives=false");
    ASSERT_EQ_INT(r.status, 200);
    route = json_array_get(json_object_get(r.json, "routes"), 0);
    ASSERT_STR_EQ(srv_jstr(json_object_get(route, "geometry"), "type"), "LineString");
    ASSERT_NEAR(json_real_value(json_object_get(route, "duration")), dur, 0.01);
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/car/" A ";" B ".json?overview=false");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(json_array_get(json_object_get(r.json, "routes"), 0), "geometry") == NULL);
    srv_resp_free(&r);

    r = srv_get(s.port, "/table/v1/car/" A ";" B ";" C "?sources=0;1&destinations=2&annotations=duration,distance");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(srv_jstr(r.json, "code"), "Ok");
    json_t *d = json_object_get(r.json, "durations");
    ASSERT_EQ_INT(json_array_size(d), 2);
    ASSERT_EQ_INT(json_array_size(json_array_get(d, 0)), 1);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "distances")), 2);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "sources")), 2);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "destinations")), 1);
    srv_resp_free(&r);
    r = srv_get(s.port, "/table/v1/car/" A ";" B);
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(r.json, "distances") == NULL); /* OSRM: durations only by default */
    ASSERT_NEAR(json_real_value(json_array_get(json_array_get(json_object_get(r.json, "durations"), 0), 0)), 0, 1e-9);
    srv_resp_free(&r);

    /* errors: 400 naming the field, 404, 405, 413 */
    r = srv_get(s.port, "/route/v1/car/10.75,x;" B);
    ASSERT_ERROR(r, 400, "InvalidQuery", "coordinates");
    srv_resp_free(&r);
    srv_expect_error(s.port, "/route/v1/car/" A, 400, "InvalidQuery", "coordinates");
    r = srv_get(s.port, "/route/v1/car/" A ";" B "?geometries=wkt");
    ASSERT_ERROR(r, 400, "InvalidOptions", "geometries");
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/car/" A ";" B "?radiuses=5;5");
    ASSERT_ERROR(r, 400, "InvalidOptions", "radiuses");
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/car/" A ";" B "?steps=true");
    ASSERT_ERROR(r, 400, "InvalidOptions", "steps");
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/tractor/" A ";" B);
    ASSERT_ERROR(r, 400, "InvalidValue", "profile");
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/cycling/" A ";" B);
    ASSERT_ERROR(r, 400, "InvalidValue", "profile");
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/car/" A ";12.5,55.7"); /* Copenhagen: far from the Oslo graph */
    ASSERT_ERROR(r, 400, "NoSegment", "coordinates");
    ASSERT_CONTAINS(srv_jstr(r.json, "message"), "point 2");
    srv_resp_free(&r);
    srv_expect_error(s.port, "/route/v1/car", 400, "InvalidUrl", "coordinates");
    r = srv_get(s.port, "/route/v1/car/" A ";" B ";" C ";" A ";" B ";" C);
    ASSERT_ERROR(r, 413, "TooBig", "coordinates");
    srv_resp_free(&r);
    r = srv_get(s.port, "/table/v1/car/" A ";" B ";" C ";" A ";" B);
    ASSERT_ERROR(r, 413, "TooBig", "coordinates");
    srv_resp_free(&r);
    r = srv_get(s.port, "/table/v1/car/" A ";" B "?sources=0;7");
    ASSERT_ERROR(r, 400, "InvalidOptions", "sources");
    srv_resp_free(&r);
    r = srv_get(s.port, "/table/v1/car/" A ";" B "?destinations=x");
    ASSERT_ERROR(r, 400, "InvalidOptions", "destinations");
    srv_resp_free(&r);
    r = srv_get(s.port, "/table/v1/car/" A ";" B "?annotations=speed");
    ASSERT_ERROR(r, 400, "InvalidOptions", "annotations");
    srv_resp_free(&r);
    r = srv_request(s.port, "POST", "/route/v1/car/" A ";" B, "{}", 2);
    ASSERT_ERROR(r, 405, "MethodNotAllowed", NULL);
    ASSERT_CONTAINS(r.all, "Allow: GET");
    srv_resp_free(&r);
    r = srv_request(s.port, "DELETE", "/health", NULL, 0);
    ASSERT_EQ_INT(r.status, 405);
    srv_resp_free(&r);
    srv_expect_error(s.port, "/nothing/here", 404, "NotFound", NULL);
    r = srv_get(s.port, "/data/sites"); /* no --db */
    ASSERT_ERROR(r, 503, "NoData", NULL);
    srv_resp_free(&r);
    r = srv_get(s.port, "/");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_CONTAINS(r.all, "text/html");
    srv_resp_free(&r);

    char *log;
    ASSERT_EQ_INT(srv_stop(&s, &log), 0);
    ASSERT_CONTAINS(log, "GET /route/v1/car/10.75,x;10.8023,59.9127 400");
    ASSERT_CONTAINS(log, "GET /table/v1/car/");
    ASSERT_CONTAINS(log, "POST /route/v1/car/");
    int lines = 0;
    for (const char *p = log; (p = strstr(p, "Z GET ")) != NULL; p++) lines++;
    ASSERT_EQ_INT(lines, 23); /* one line per GET request */
    free(log);
}

KMT_TEST(server_survives_malformed_requests_and_limits)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --max-body 1000 --max-busy 0 --timeout 2", srv_graph_path());
    srv_start(&s, args);
    static const char *const junk[] = {
        "GARBAGE\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "GET /route/v1/car/%zz%00;%ff HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
        "POST /plan HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "POST /plan HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "POST /plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET /table/v1/car/;;;;;;;; HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /map/road?lon=1e999&lat=nan HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /route/v1/car/10.7522,59.9111;10.8023,59.9127?geometries HTTP/1.1\r\nHost: x\r\n\r\n",
        "\r\n\r\n\r\n",
        "",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        char *out = srv_raw(s.port, junk[i], strlen(junk[i]));
        free(out);
    }
    /* a 300 kB URL and a truncated body */
    size_t big = 300000;
    char *u = malloc(big + 64);
    memcpy(u, "GET /route/v1/car/", 18);
    memset(u + 18, '1', big);
    memcpy(u + 18 + big, " HTTP/1.1\r\n\r\n", 14);
    free(srv_raw(s.port, u, 18 + big + 13));
    free(u);
    const char *trunc = "POST /plan HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"jobs\"";
    free(srv_raw(s.port, trunc, strlen(trunc)));

    resp r = srv_get(s.port, "/health");
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    /* 413: a body over --max-body, announced or chunked */
    char body[2000];
    memset(body, ' ', sizeof body);
    body[0] = '{', body[sizeof body - 1] = '}';
    r = srv_request(s.port, "POST", "/plan", body, sizeof body);
    ASSERT_ERROR(r, 413, "TooBig", NULL);
    srv_resp_free(&r);
    char chunked[4096];
    int n = snprintf(chunked, sizeof chunked,
                     "POST /plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     "Connection: close\r\n\r\n");
    for (int k = 0; k < 3; k++) n += snprintf(chunked + n, sizeof chunked - (size_t)n, "258\r\n%0600d\r\n", 0);
    n += snprintf(chunked + n, sizeof chunked - (size_t)n, "0\r\n\r\n");
    char *out = srv_raw(s.port, chunked, (size_t)n);
    ASSERT_CONTAINS(out, " 413 ");
    free(out);
    /* 503: heavy work refused when the server is at --max-busy (0 here) */
    r = srv_get(s.port, "/table/v1/car/" A ";" B);
    ASSERT_ERROR(r, 503, "Busy", NULL);
    ASSERT_CONTAINS(r.all, "Retry-After");
    srv_resp_free(&r);
    r = srv_get(s.port, "/route/v1/car/" A ";" B); /* light requests still served */
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    /* 400 with the field for map queries */
    srv_expect_error(s.port, "/map/road?lon=10.75", 400, "InvalidQuery", "lat");
    srv_expect_error(s.port, "/map/road?lon=200&lat=59.9", 400, "InvalidQuery", "lon");
    srv_expect_error(s.port, "/map/road?lon=12.5&lat=55.7", 404, "NoSegment", NULL);
    srv_expect_error(s.port, "/map/roads?format=svg", 400, "InvalidOptions", "format");
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

KMT_TEST(server_map_layers_and_road_use)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    resp r = srv_get(s.port, "/map/roads");
    ASSERT_EQ_INT(r.status, 200);
    json_t *classes = json_object_get(r.json, "classes");
    ASSERT(json_array_size(classes) >= 5);
    size_t total = 0;
    for (size_t i = 0; i < json_array_size(classes); i++) {
        json_t *c = json_array_get(classes, i);
        ASSERT_EQ_INT(json_array_size(json_object_get(c, "lines")), json_array_size(json_object_get(c, "segments")));
        total += json_array_size(json_object_get(c, "lines"));
    }
    ASSERT_EQ_INT(total, json_integer_value(json_object_get(r.json, "segments")));
    srv_resp_free(&r);
    r = srv_get(s.port, "/map/roads?class=primary,secondary&format=geojson");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(srv_jstr(r.json, "type"), "FeatureCollection");
    json_t *f0 = json_array_get(json_object_get(r.json, "features"), 0);
    ASSERT_STR_EQ(srv_jstr(json_object_get(f0, "properties"), "class"), "primary");
    srv_resp_free(&r);

    /* road use is computed in the background: wait for it */
    for (int i = 0; i < 600; i++) {
        r = srv_get(s.port, "/health");
        int ready = srv_jstr(r.json, "road_use") && strcmp(srv_jstr(r.json, "road_use"), "ready") == 0;
        srv_resp_free(&r);
        if (ready) break;
        srv_sleep_ms(100);
    }
    r = srv_get(s.port, "/data/sites");
    ASSERT_EQ_INT(r.status, 200);
    json_t *sites = json_object_get(r.json, "sites");
    ASSERT(json_array_size(sites) >= 3);
    char q[256];
    json_t *site = json_array_get(sites, 1);
    snprintf(q, sizeof q, "/map/road?lon=%.6f&lat=%.6f&radius=1000", json_real_value(json_object_get(site, "lon")),
             json_real_value(json_object_get(site, "lat")));
    srv_resp_free(&r);
    r = srv_get(s.port, q);
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(srv_jstr(r.json, "class") != NULL);
    ASSERT(json_real_value(json_object_get(r.json, "length")) > 0);
    ASSERT(json_is_boolean(json_object_get(r.json, "oneway")));
    ASSERT(json_object_get(r.json, "maxspeed") != NULL);
    ASSERT(json_object_get(r.json, "speed_forward") != NULL);
    json_t *use = json_object_get(r.json, "use");
    ASSERT_STR_EQ(srv_jstr(use, "status"), "ready");
    ASSERT_EQ_INT(json_array_size(json_object_get(use, "by_hour")), 24);
    ASSERT(json_integer_value(json_object_get(use, "trips")) > 0); /* trips leave from the site */
    ASSERT(json_integer_value(json_object_get(use, "trips_routed")) > 1000);
    ASSERT_EQ_INT(json_array_size(json_object_get(use, "car_by_hour")), 24);
    ASSERT(json_integer_value(json_object_get(use, "car_journeys_routed")) > 1000);
    srv_resp_free(&r);
    /* a trunk road the demo's car journeys (travel records) run along */
    r = srv_get(s.port, "/map/road?lon=10.763324&lat=59.908769&radius=30");
    ASSERT_EQ_INT(r.status, 200);
    use = json_object_get(r.json, "use");
    ASSERT(json_integer_value(json_object_get(use, "car_journeys")) > 50);
    srv_resp_free(&r);

    r = srv_get(s.port, "/data/vehicles");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "vehicles")), 30);
    srv_resp_free(&r);
    r = srv_get(s.port, "/data/density?cell=0.01");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_array_size(json_object_get(r.json, "cells")) > 3);
    srv_resp_free(&r);
    srv_expect_error(s.port, "/data/density?cell=7", 400, "InvalidQuery", "cell");
    r = srv_get(s.port, "/data/summary");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "trips_by_hour")), 24);
    srv_resp_free(&r);
    srv_expect_error(s.port, "/data/nope", 404, "NotFound", NULL);

    /* the analyses return what the commands return */
    r = srv_get(s.port, "/fleet/report");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(r.json, "total") != NULL);
    char *cli = NULL;
    char cargs[1024];
    snprintf(cargs, sizeof cargs, "fleet report --db %s --format json", srv_db_path());
    ASSERT_EQ_INT(kmt_test_run(cargs, &cli, NULL), 0);
    json_t *cj = json_loads(cli, 0, NULL);
    ASSERT(json_equal(cj, r.json));
    json_decref(cj);
    free(cli);
    srv_resp_free(&r);
    r = srv_get(s.port, "/fleet/size?changeover=5&any-kind=true");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_integer_value(json_object_get(r.json, "changeover_min")), 5);
    srv_resp_free(&r);
    srv_expect_error(s.port, "/fleet/size?changeover=abc", 400, "InvalidOptions", "changeover");
    srv_expect_error(s.port, "/fleet/report?db=/etc/passwd", 400, "InvalidOptions", "db");
    srv_expect_error(s.port, "/travel/report?factors=/etc/passwd", 400, "InvalidOptions", "factors");
    srv_expect_error(s.port, "/fleet/teleport", 404, "NotFound", NULL);
    r = srv_get(s.port, "/travel/report?baseline=2022&target=2026:-20%25");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(srv_jstr(r.json, "report"), "travel");
    ASSERT_EQ_INT(json_array_size(json_object_get(json_object_get(r.json, "all"), "targets")), 1);
    srv_resp_free(&r);
    srv_expect_error(s.port, "/travel/report?target=abc", 400, "InvalidOptions", "target");
    /* carpooling: the requests CSV as the body; a store-wide analysis */
    char *csv = srv_slurp("data/pool/requests.csv");
    if (csv) {
        r = srv_request(s.port, "POST", "/pool/plan?max-group=3", csv, strlen(csv));
        ASSERT_EQ_INT(r.status, 200);
        ASSERT(json_array_size(json_object_get(r.json, "rides")) >= 1);
        srv_resp_free(&r);
        r = srv_request(s.port, "POST", "/pool/plan?mapping=/etc/passwd", csv, strlen(csv));
        ASSERT_ERROR(r, 400, "InvalidOptions", "mapping");
        srv_resp_free(&r);
        free(csv);
    }
    r = srv_request(s.port, "POST", "/pool/plan", "request_id,x\n1,2\n", 16);
    ASSERT_ERROR(r, 400, "InvalidInput", "origin_lon");
    ASSERT_CONTAINS(srv_jstr(r.json, "message"), "body:1");
    srv_resp_free(&r);
    r = srv_request(s.port, "POST", "/pool/plan", "", 0);
    ASSERT_ERROR(r, 400, "InvalidInput", "body");
    srv_resp_free(&r);
    srv_expect_error(s.port, "/pool/plan", 405, "MethodNotAllowed", NULL);
    r = srv_get(s.port, "/pool/analyse?from=2024-01-01&to=2024-01-31");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(r.json, "rides") != NULL);
    srv_resp_free(&r);
    r = srv_request(s.port, "POST", "/fleet/report", "{}", 2);
    ASSERT_ERROR(r, 405, "MethodNotAllowed", NULL);
    srv_resp_free(&r);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

KMT_TEST(server_plan_sync_and_async)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s", srv_graph_path());
    srv_start(&s, args);
    char *problem = srv_slurp("data/vrp/demo-homecare.json");
    if (!problem) kmt_test_skip("data/vrp/demo-homecare.json is absent");
    resp r = srv_request(s.port, "POST", "/plan?time_limit=0.3", problem, strlen(problem));
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_integer_value(json_object_get(r.json, "code")), 0);
    ASSERT(json_array_size(json_object_get(r.json, "routes")) >= 1);
    srv_resp_free(&r);

    r = srv_request(s.port, "POST", "/plan?time_limit=1.5&wait=0", problem, strlen(problem));
    ASSERT_EQ_INT(r.status, 202);
    ASSERT_STR_EQ(srv_jstr(r.json, "status"), "running");
    char loc[128];
    snprintf(loc, sizeof loc, "%s", srv_jstr(r.json, "location"));
    srv_resp_free(&r);
    int status = 0;
    for (int i = 0; i < 300 && status != 200; i++) {
        r = srv_get(s.port, loc);
        status = r.status;
        if (status == 200)
            ASSERT(json_array_size(json_object_get(r.json, "routes")) >= 1);
        else
            ASSERT_EQ_INT(status, 202);
        srv_resp_free(&r);
        if (status != 200) srv_sleep_ms(100);
    }
    ASSERT_EQ_INT(status, 200);

    r = srv_request(s.port, "POST", "/plan", "{\"vehicles\": 3}", 15);
    ASSERT_ERROR(r, 400, "InvalidInput", NULL);
    ASSERT(srv_jstr(r.json, "field") != NULL);
    srv_resp_free(&r);
    r = srv_request(s.port, "POST", "/plan", "{\"jobs\": [", 10);
    ASSERT_ERROR(r, 400, "InvalidInput", "body");
    ASSERT_CONTAINS(srv_jstr(r.json, "message"), "line 1");
    srv_resp_free(&r);
    /* more locations than --max-table (1000 by default) for the road table: 413 */
    kmt_buf big;
    kmt_buf_init(&big);
    kmt_buf_puts(&big, "{\"vehicles\":[{\"id\":1,\"start\":[10.75,59.91]}],\"jobs\":[");
    for (int i = 0; i < 1001; i++)
        kmt_buf_printf(&big, "%s{\"id\":%d,\"location\":[10.7%03d,59.9]}", i ? "," : "", i + 1, i);
    kmt_buf_puts(&big, "]}");
    r = srv_request(s.port, "POST", "/plan", big.data, big.len);
    ASSERT_ERROR(r, 413, "TooBig", "locations");
    srv_resp_free(&r);
    kmt_buf_destroy(&big);
    r = srv_request(s.port, "POST", "/plan", "", 0);
    ASSERT_ERROR(r, 400, "InvalidInput", "body");
    srv_resp_free(&r);
    r = srv_request(s.port, "POST", "/plan?time_limit=-1", problem, strlen(problem));
    ASSERT_ERROR(r, 400, "InvalidQuery", "time_limit");
    srv_resp_free(&r);
    srv_expect_error(s.port, "/plan", 405, "MethodNotAllowed", NULL);
    srv_expect_error(s.port, "/plan/424242", 404, "NotFound", NULL);
    srv_expect_error(s.port, "/plan/abc", 404, "NotFound", NULL);
    /* a running plan does not hold up the stop */
    r = srv_request(s.port, "POST", "/plan?time_limit=60&wait=0", problem, strlen(problem));
    ASSERT_EQ_INT(r.status, 202);
    srv_resp_free(&r);
    double t0 = (double)time(NULL);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
    ASSERT((double)time(NULL) - t0 < 20);
    free(problem);
}

KMT_TEST(server_usage_errors)
{
    char *err = NULL;
    ASSERT_EQ_INT(kmt_test_run("serve --listen nowhere", NULL, &err), 2);
    ASSERT_CONTAINS(err, "--listen");
    free(err);
    ASSERT_EQ_INT(kmt_test_run("serve --threads 0", NULL, &err), 2);
    free(err);
    ASSERT_EQ_INT(kmt_test_run("serve --graph /nonexistent.kgraph --listen 127.0.0.1:0", NULL, &err), 1);
    ASSERT_CONTAINS(err, "nonexistent");
    free(err);
}
