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
#include "test.h"

typedef struct server {
    pid_t pid;
    int port;
    char out[512], err[512];
} server;

static char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A file made once per run in the temporary folder by `kommute ARGS` where
 * ARGS is fmt with the file's path for %s. */
static const char *fixture(char *path, size_t n, const char *name, const char *fmt)
{
    if (path[0]) return path;
    snprintf(path, n, "%s/%s", kmt_test_tmpdir(), name);
    char args[1024];
    snprintf(args, sizeof args, fmt, path);
    if (kmt_test_run(args, NULL, NULL) != 0) kmt_test_fail(__FILE__, __LINE__, "%s failed", args);
    return path;
}

/* The graph of the bundled extract. */
static const char *graph_path(void)
{
    static char path[512];
    return fixture(path, sizeof path, "server.kgraph", "graph build data/osm/oslo-east-roads.osm.pbf -o %s");
}

/* The small demo municipality in a store. */
static const char *db_path(void)
{
    static char path[512];
    return fixture(path, sizeof path, "server.db", "demo generate --seed 1 --scale small --db %s");
}

/* Start `kommute serve --listen 127.0.0.1:0 ARGS` and wait for its address. */
static void start(server *s, const char *args)
{
    static int n;
    const char *bin = getenv("KMT_BIN");
    if (!bin) bin = "build/kommute";
    snprintf(s->out, sizeof s->out, "%s/serve%d.out", kmt_test_tmpdir(), n);
    snprintf(s->err, sizeof s->err, "%s/serve%d.err", kmt_test_tmpdir(), n++);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s serve --listen 127.0.0.1:0 %s >%s 2>%s </dev/null", bin, args, s->out, s->err);
    s->pid = fork();
    if (s->pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    s->port = 0;
    for (int i = 0; i < 1200 && !s->port; i++) { /* up to 60 s under ASan */
        char *o = slurp_file(s->out);
        const char *p = o ? strstr(o, "http://127.0.0.1:") : NULL;
        if (p) s->port = atoi(p + strlen("http://127.0.0.1:"));
        free(o);
        int st;
        if (!s->port && waitpid(s->pid, &st, WNOHANG) == s->pid) {
            char *e = slurp_file(s->err);
            kmt_test_fail(__FILE__, __LINE__, "server exited at start: %s", e ? e : "");
        }
        if (!s->port) sleep_ms(50);
    }
    if (!s->port) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        kmt_test_fail(__FILE__, __LINE__, "server did not print its address");
    }
}

/* SIGTERM, wait (30 s at most); returns the exit status and the log in *log. */
static int stop(server *s, char **log)
{
    kill(s->pid, SIGTERM);
    int st = -1;
    for (int i = 0; i < 600; i++) {
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) break;
        st = -1;
        sleep_ms(50);
    }
    if (st == -1) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    if (log) *log = slurp_file(s->err);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {30, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send raw bytes, read until the server closes; returns the whole response (malloc'd). */
static char *raw(int port, const char *req, size_t len)
{
    int fd = connect_to(port);
    if (fd < 0) return NULL;
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0) break;
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 4096 > cap) buf = realloc(buf, cap *= 2);
        ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
        if (r <= 0) break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(fd);
    return buf;
}

typedef struct resp {
    int status;
    char *all;        /* the whole response */
    const char *body; /* into all */
    json_t *json;     /* parsed body, NULL if not JSON */
} resp;

static void resp_free(resp *r)
{
    free(r->all);
    if (r->json) json_decref(r->json);
    memset(r, 0, sizeof *r);
}

static resp request(int port, const char *method, const char *target, const char *body, size_t blen)
{
    resp r = {0};
    size_t cap = strlen(target) + blen + 512;
    char *req = malloc(cap);
    int h = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, target);
    if (body) h += snprintf(req + h, cap - (size_t)h, "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
    h += snprintf(req + h, cap - (size_t)h, "\r\n");
    if (body) memcpy(req + h, body, blen), h += (int)blen;
    r.all = raw(port, req, (size_t)h);
    free(req);
    if (!r.all) return r;
    sscanf(r.all, "HTTP/1.%*d %d", &r.status);
    const char *b = strstr(r.all, "\r\n\r\n");
    r.body = b ? b + 4 : "";
    r.json = json_loads(r.body, 0, NULL);
    return r;
}

static resp get(int port, const char *target)
{
    return request(port, "GET", target, NULL, 0);
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* An error response: status, a JSON body with the code and (when given) the field. */
#define ASSERT_ERROR(r, st, code, field)                                                  \
    do {                                                                                  \
        ASSERT_EQ_INT((r).status, st);                                                    \
        ASSERT((r).json != NULL);                                                         \
        ASSERT_STR_EQ(jstr((r).json, "code"), code);                                      \
        ASSERT(jstr((r).json, "message") != NULL);                                        \
        if (field) ASSERT_STR_EQ(jstr((r).json, "field"), (const char *)(field));         \
    } while (0)

/* GET target answers status with an error body of that code (and field, unless NULL). */
static void expect_error(int port, const char *target, int status, const char *code, const char *field)
{
    resp r = get(port, target);
    ASSERT_ERROR(r, status, code, field);
    resp_free(&r);
}

#define A "10.7522,59.9111"
#define B "10.8023,59.9127"
#define C "10.7945,59.8955"

KMT_TEST(server_route_and_table_in_osrm_shapes)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --max-route 5 --max-table 4", graph_path());
    start(&s, args);
    resp r = get(s.port, "/health");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(jstr(r.json, "status"), "ok");
    ASSERT_STR_EQ(jstr(json_object_get(r.json, "graph"), "profile"), "car");
    resp_free(&r);

    r = get(s.port, "/route/v1/driving/" A ";" B ";" C);
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(jstr(r.json, "code"), "Ok");
    json_t *route = json_array_get(json_object_get(r.json, "routes"), 0);
    ASSERT(json_real_value(json_object_get(route, "distance")) > 5000);
    ASSERT(json_is_string(json_object_get(route, "geometry"))); /* polyline by default */
    ASSERT_EQ_INT(json_array_size(json_object_get(route, "legs")), 2);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "waypoints")), 3);
    double dur = json_real_value(json_object_get(route, "duration"));
    resp_free(&r);

    r = get(s.port, "/route/v1/car/" A ";" B ";" C "?geometries=geojson&overview=full&steps=false&alternatives=false");
    ASSERT_EQ_INT(r.status, 200);
    route = json_array_get(json_object_get(r.json, "routes"), 0);
    ASSERT_STR_EQ(jstr(json_object_get(route, "geometry"), "type"), "LineString");
    ASSERT_NEAR(json_real_value(json_object_get(route, "duration")), dur, 0.01);
    resp_free(&r);
    r = get(s.port, "/route/v1/car/" A ";" B ".json?overview=false");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(json_array_get(json_object_get(r.json, "routes"), 0), "geometry") == NULL);
    resp_free(&r);

    r = get(s.port, "/table/v1/car/" A ";" B ";" C "?sources=0;1&destinations=2&annotations=duration,distance");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(jstr(r.json, "code"), "Ok");
    json_t *d = json_object_get(r.json, "durations");
    ASSERT_EQ_INT(json_array_size(d), 2);
    ASSERT_EQ_INT(json_array_size(json_array_get(d, 0)), 1);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "distances")), 2);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "sources")), 2);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "destinations")), 1);
    resp_free(&r);
    r = get(s.port, "/table/v1/car/" A ";" B);
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(r.json, "distances") == NULL); /* OSRM: durations only by default */
    ASSERT_NEAR(json_real_value(json_array_get(json_array_get(json_object_get(r.json, "durations"), 0), 0)), 0, 1e-9);
    resp_free(&r);

    /* errors: 400 naming the field, 404, 405, 413 */
    r = get(s.port, "/route/v1/car/10.75,x;" B);
    ASSERT_ERROR(r, 400, "InvalidQuery", "coordinates");
    resp_free(&r);
    expect_error(s.port, "/route/v1/car/" A, 400, "InvalidQuery", "coordinates");
    r = get(s.port, "/route/v1/car/" A ";" B "?geometries=wkt");
    ASSERT_ERROR(r, 400, "InvalidOptions", "geometries");
    resp_free(&r);
    r = get(s.port, "/route/v1/car/" A ";" B "?radiuses=5;5");
    ASSERT_ERROR(r, 400, "InvalidOptions", "radiuses");
    resp_free(&r);
    r = get(s.port, "/route/v1/car/" A ";" B "?steps=true");
    ASSERT_ERROR(r, 400, "InvalidOptions", "steps");
    resp_free(&r);
    r = get(s.port, "/route/v1/tractor/" A ";" B);
    ASSERT_ERROR(r, 400, "InvalidValue", "profile");
    resp_free(&r);
    r = get(s.port, "/route/v1/cycling/" A ";" B);
    ASSERT_ERROR(r, 400, "InvalidValue", "profile");
    resp_free(&r);
    r = get(s.port, "/route/v1/car/" A ";12.5,55.7"); /* Copenhagen: far from the Oslo graph */
    ASSERT_ERROR(r, 400, "NoSegment", "coordinates");
    ASSERT_CONTAINS(jstr(r.json, "message"), "point 2");
    resp_free(&r);
    expect_error(s.port, "/route/v1/car", 400, "InvalidUrl", "coordinates");
    r = get(s.port, "/route/v1/car/" A ";" B ";" C ";" A ";" B ";" C);
    ASSERT_ERROR(r, 413, "TooBig", "coordinates");
    resp_free(&r);
    r = get(s.port, "/table/v1/car/" A ";" B ";" C ";" A ";" B);
    ASSERT_ERROR(r, 413, "TooBig", "coordinates");
    resp_free(&r);
    r = get(s.port, "/table/v1/car/" A ";" B "?sources=0;7");
    ASSERT_ERROR(r, 400, "InvalidOptions", "sources");
    resp_free(&r);
    r = get(s.port, "/table/v1/car/" A ";" B "?destinations=x");
    ASSERT_ERROR(r, 400, "InvalidOptions", "destinations");
    resp_free(&r);
    r = get(s.port, "/table/v1/car/" A ";" B "?annotations=speed");
    ASSERT_ERROR(r, 400, "InvalidOptions", "annotations");
    resp_free(&r);
    r = request(s.port, "POST", "/route/v1/car/" A ";" B, "{}", 2);
    ASSERT_ERROR(r, 405, "MethodNotAllowed", NULL);
    ASSERT_CONTAINS(r.all, "Allow: GET");
    resp_free(&r);
    r = request(s.port, "DELETE", "/health", NULL, 0);
    ASSERT_EQ_INT(r.status, 405);
    resp_free(&r);
    expect_error(s.port, "/nothing/here", 404, "NotFound", NULL);
    r = get(s.port, "/data/sites"); /* no --db */
    ASSERT_ERROR(r, 503, "NoData", NULL);
    resp_free(&r);
    r = get(s.port, "/");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_CONTAINS(r.all, "text/html");
    resp_free(&r);

    char *log;
    ASSERT_EQ_INT(stop(&s, &log), 0);
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
    snprintf(args, sizeof args, "--graph %s --max-body 1000 --max-busy 0 --timeout 2", graph_path());
    start(&s, args);
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
        char *out = raw(s.port, junk[i], strlen(junk[i]));
        free(out);
    }
    /* a 300 kB URL and a truncated body */
    size_t big = 300000;
    char *u = malloc(big + 64);
    memcpy(u, "GET /route/v1/car/", 18);
    memset(u + 18, '1', big);
    memcpy(u + 18 + big, " HTTP/1.1\r\n\r\n", 14);
    free(raw(s.port, u, 18 + big + 13));
    free(u);
    const char *trunc = "POST /plan HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"jobs\"";
    free(raw(s.port, trunc, strlen(trunc)));

    resp r = get(s.port, "/health");
    ASSERT_EQ_INT(r.status, 200);
    resp_free(&r);
    /* 413: a body over --max-body, announced or chunked */
    char body[2000];
    memset(body, ' ', sizeof body);
    body[0] = '{', body[sizeof body - 1] = '}';
    r = request(s.port, "POST", "/plan", body, sizeof body);
    ASSERT_ERROR(r, 413, "TooBig", NULL);
    resp_free(&r);
    char chunked[4096];
    int n = snprintf(chunked, sizeof chunked, "POST /plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                              "Connection: close\r\n\r\n");
    for (int k = 0; k < 3; k++) n += snprintf(chunked + n, sizeof chunked - (size_t)n, "258\r\n%0600d\r\n", 0);
    n += snprintf(chunked + n, sizeof chunked - (size_t)n, "0\r\n\r\n");
    char *out = raw(s.port, chunked, (size_t)n);
    ASSERT_CONTAINS(out, " 413 ");
    free(out);
    /* 503: heavy work refused when the server is at --max-busy (0 here) */
    r = get(s.port, "/table/v1/car/" A ";" B);
    ASSERT_ERROR(r, 503, "Busy", NULL);
    ASSERT_CONTAINS(r.all, "Retry-After");
    resp_free(&r);
    r = get(s.port, "/route/v1/car/" A ";" B); /* light requests still served */
    ASSERT_EQ_INT(r.status, 200);
    resp_free(&r);
    /* 400 with the field for map queries */
    expect_error(s.port, "/map/road?lon=10.75", 400, "InvalidQuery", "lat");
    expect_error(s.port, "/map/road?lon=200&lat=59.9", 400, "InvalidQuery", "lon");
    expect_error(s.port, "/map/road?lon=12.5&lat=55.7", 404, "NoSegment", NULL);
    expect_error(s.port, "/map/roads?format=svg", 400, "InvalidOptions", "format");
    ASSERT_EQ_INT(stop(&s, NULL), 0);
}

KMT_TEST(server_map_layers_and_road_use)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s", graph_path(), db_path());
    start(&s, args);
    resp r = get(s.port, "/map/roads");
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
    resp_free(&r);
    r = get(s.port, "/map/roads?class=primary,secondary&format=geojson");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(jstr(r.json, "type"), "FeatureCollection");
    json_t *f0 = json_array_get(json_object_get(r.json, "features"), 0);
    ASSERT_STR_EQ(jstr(json_object_get(f0, "properties"), "class"), "primary");
    resp_free(&r);

    /* road use is computed in the background: wait for it */
    for (int i = 0; i < 600; i++) {
        r = get(s.port, "/health");
        int ready = jstr(r.json, "road_use") && strcmp(jstr(r.json, "road_use"), "ready") == 0;
        resp_free(&r);
        if (ready) break;
        sleep_ms(100);
    }
    r = get(s.port, "/data/sites");
    ASSERT_EQ_INT(r.status, 200);
    json_t *sites = json_object_get(r.json, "sites");
    ASSERT(json_array_size(sites) >= 3);
    char q[256];
    json_t *site = json_array_get(sites, 1);
    snprintf(q, sizeof q, "/map/road?lon=%.6f&lat=%.6f&radius=1000", json_real_value(json_object_get(site, "lon")),
             json_real_value(json_object_get(site, "lat")));
    resp_free(&r);
    r = get(s.port, q);
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(jstr(r.json, "class") != NULL);
    ASSERT(json_real_value(json_object_get(r.json, "length")) > 0);
    ASSERT(json_is_boolean(json_object_get(r.json, "oneway")));
    ASSERT(json_object_get(r.json, "maxspeed") != NULL);
    ASSERT(json_object_get(r.json, "speed_forward") != NULL);
    json_t *use = json_object_get(r.json, "use");
    ASSERT_STR_EQ(jstr(use, "status"), "ready");
    ASSERT_EQ_INT(json_array_size(json_object_get(use, "by_hour")), 24);
    ASSERT(json_integer_value(json_object_get(use, "trips")) > 0); /* trips leave from the site */
    ASSERT(json_integer_value(json_object_get(use, "trips_routed")) > 1000);
    ASSERT_EQ_INT(json_array_size(json_object_get(use, "car_by_hour")), 24);
    ASSERT(json_integer_value(json_object_get(use, "car_journeys_routed")) > 1000);
    resp_free(&r);
    /* a trunk road the demo's car journeys (travel records) run along */
    r = get(s.port, "/map/road?lon=10.763324&lat=59.908769&radius=30");
    ASSERT_EQ_INT(r.status, 200);
    use = json_object_get(r.json, "use");
    ASSERT(json_integer_value(json_object_get(use, "car_journeys")) > 50);
    resp_free(&r);

    r = get(s.port, "/data/vehicles");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "vehicles")), 30);
    resp_free(&r);
    r = get(s.port, "/data/density?cell=0.01");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_array_size(json_object_get(r.json, "cells")) > 3);
    resp_free(&r);
    expect_error(s.port, "/data/density?cell=7", 400, "InvalidQuery", "cell");
    r = get(s.port, "/data/summary");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_array_size(json_object_get(r.json, "trips_by_hour")), 24);
    resp_free(&r);
    expect_error(s.port, "/data/nope", 404, "NotFound", NULL);

    /* the analyses return what the commands return */
    r = get(s.port, "/fleet/report");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(r.json, "total") != NULL);
    char *cli = NULL;
    char cargs[1024];
    snprintf(cargs, sizeof cargs, "fleet report --db %s --format json", db_path());
    ASSERT_EQ_INT(kmt_test_run(cargs, &cli, NULL), 0);
    json_t *cj = json_loads(cli, 0, NULL);
    ASSERT(json_equal(cj, r.json));
    json_decref(cj);
    free(cli);
    resp_free(&r);
    r = get(s.port, "/fleet/size?changeover=5&any-kind=true");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_integer_value(json_object_get(r.json, "changeover_min")), 5);
    resp_free(&r);
    expect_error(s.port, "/fleet/size?changeover=abc", 400, "InvalidOptions", "changeover");
    expect_error(s.port, "/fleet/report?db=/etc/passwd", 400, "InvalidOptions", "db");
    expect_error(s.port, "/travel/report?factors=/etc/passwd", 400, "InvalidOptions", "factors");
    expect_error(s.port, "/fleet/teleport", 404, "NotFound", NULL);
    r = get(s.port, "/travel/report?baseline=2022&target=2026:-20%25");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_STR_EQ(jstr(r.json, "report"), "travel");
    ASSERT_EQ_INT(json_array_size(json_object_get(json_object_get(r.json, "all"), "targets")), 1);
    resp_free(&r);
    expect_error(s.port, "/travel/report?target=abc", 400, "InvalidOptions", "target");
    /* carpooling: the requests CSV as the body; a store-wide analysis */
    char *csv = slurp_file("data/pool/requests.csv");
    if (csv) {
        r = request(s.port, "POST", "/pool/plan?max-group=3", csv, strlen(csv));
        ASSERT_EQ_INT(r.status, 200);
        ASSERT(json_array_size(json_object_get(r.json, "rides")) >= 1);
        resp_free(&r);
        r = request(s.port, "POST", "/pool/plan?mapping=/etc/passwd", csv, strlen(csv));
        ASSERT_ERROR(r, 400, "InvalidOptions", "mapping");
        resp_free(&r);
        free(csv);
    }
    r = request(s.port, "POST", "/pool/plan", "request_id,x\n1,2\n", 16);
    ASSERT_ERROR(r, 400, "InvalidInput", "origin_lon");
    ASSERT_CONTAINS(jstr(r.json, "message"), "body:1");
    resp_free(&r);
    r = request(s.port, "POST", "/pool/plan", "", 0);
    ASSERT_ERROR(r, 400, "InvalidInput", "body");
    resp_free(&r);
    expect_error(s.port, "/pool/plan", 405, "MethodNotAllowed", NULL);
    r = get(s.port, "/pool/analyse?from=2024-01-01&to=2024-01-31");
    ASSERT_EQ_INT(r.status, 200);
    ASSERT(json_object_get(r.json, "rides") != NULL);
    resp_free(&r);
    r = request(s.port, "POST", "/fleet/report", "{}", 2);
    ASSERT_ERROR(r, 405, "MethodNotAllowed", NULL);
    resp_free(&r);
    ASSERT_EQ_INT(stop(&s, NULL), 0);
}

KMT_TEST(server_plan_sync_and_async)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s", graph_path());
    start(&s, args);
    char *problem = slurp_file("data/vrp/demo-homecare.json");
    if (!problem) kmt_test_skip("data/vrp/demo-homecare.json is absent");
    resp r = request(s.port, "POST", "/plan?time_limit=0.3", problem, strlen(problem));
    ASSERT_EQ_INT(r.status, 200);
    ASSERT_EQ_INT(json_integer_value(json_object_get(r.json, "code")), 0);
    ASSERT(json_array_size(json_object_get(r.json, "routes")) >= 1);
    resp_free(&r);

    r = request(s.port, "POST", "/plan?time_limit=1.5&wait=0", problem, strlen(problem));
    ASSERT_EQ_INT(r.status, 202);
    ASSERT_STR_EQ(jstr(r.json, "status"), "running");
    char loc[128];
    snprintf(loc, sizeof loc, "%s", jstr(r.json, "location"));
    resp_free(&r);
    int status = 0;
    for (int i = 0; i < 300 && status != 200; i++) {
        r = get(s.port, loc);
        status = r.status;
        if (status == 200) ASSERT(json_array_size(json_object_get(r.json, "routes")) >= 1);
        else ASSERT_EQ_INT(status, 202);
        resp_free(&r);
        if (status != 200) sleep_ms(100);
    }
    ASSERT_EQ_INT(status, 200);

    r = request(s.port, "POST", "/plan", "{\"vehicles\": 3}", 15);
    ASSERT_ERROR(r, 400, "InvalidInput", NULL);
    ASSERT(jstr(r.json, "field") != NULL);
    resp_free(&r);
    r = request(s.port, "POST", "/plan", "{\"jobs\": [", 10);
    ASSERT_ERROR(r, 400, "InvalidInput", "body");
    ASSERT_CONTAINS(jstr(r.json, "message"), "line 1");
    resp_free(&r);
    /* more locations than --max-table (1000 by default) for the road table: 413 */
    kmt_buf big;
    kmt_buf_init(&big);
    kmt_buf_puts(&big, "{\"vehicles\":[{\"id\":1,\"start\":[10.75,59.91]}],\"jobs\":[");
    for (int i = 0; i < 1001; i++) kmt_buf_printf(&big, "%s{\"id\":%d,\"location\":[10.7%03d,59.9]}", i ? "," : "", i + 1, i);
    kmt_buf_puts(&big, "]}");
    r = request(s.port, "POST", "/plan", big.data, big.len);
    ASSERT_ERROR(r, 413, "TooBig", "locations");
    resp_free(&r);
    kmt_buf_free(&big);
    r = request(s.port, "POST", "/plan", "", 0);
    ASSERT_ERROR(r, 400, "InvalidInput", "body");
    resp_free(&r);
    r = request(s.port, "POST", "/plan?time_limit=-1", problem, strlen(problem));
    ASSERT_ERROR(r, 400, "InvalidQuery", "time_limit");
    resp_free(&r);
    expect_error(s.port, "/plan", 405, "MethodNotAllowed", NULL);
    expect_error(s.port, "/plan/424242", 404, "NotFound", NULL);
    expect_error(s.port, "/plan/abc", 404, "NotFound", NULL);
    /* a running plan does not hold up the stop */
    r = request(s.port, "POST", "/plan?time_limit=60&wait=0", problem, strlen(problem));
    ASSERT_EQ_INT(r.status, 202);
    resp_free(&r);
    double t0 = (double)time(NULL);
    ASSERT_EQ_INT(stop(&s, NULL), 0);
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
