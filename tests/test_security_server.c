/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Regression tests of the red-team findings against `kommute serve` (issue
 * 11, docs/security.md), each named after its defect, and the application
 * layer's promises over HTTP (issue 12): every use case answers exactly what
 * its command prints, and every endpoint refuses a query key it does not know.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kommute/app.h"
#include "kommute/core.h"
#include "server_util.h"
#include "test.h"

#define A "10.7522,59.9111"
#define B "10.8023,59.9127"

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* "group/sub" of a use case name "group sub". */
static void usecase_path(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "/%s", name);
    for (char *p = buf; *p; p++)
        if (*p == ' ') *p = '/';
}

static const char *body_of(const kmt_app_usecase *u)
{
    return (u->needs & KMT_APP_NEEDS_BODY) ? kmt_test_data("pool/requests.csv") : NULL;
}

/* GET (or POST with the use case's input as the body) target. */
static resp call(int port, const kmt_app_usecase *u, const char *target)
{
    const char *in = body_of(u);
    if (!in) return srv_get(port, target);
    char *text = srv_slurp(in);
    resp r = srv_request(port, "POST", target, text, strlen(text));
    free(text);
    return r;
}

/* Defect 1: query parameters became argv words of the command, so
 * "x=--output=FILE" made the server overwrite FILE and "factors=/etc/passwd"
 * showed its first word. No query parameter of any analysis may name a file. */
KMT_TEST(security_d1_no_query_parameter_names_a_file)
{
    server s;
    char args[1024], target[1024], victim[600];
    snprintf(args, sizeof args, "--graph %s --db %s", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    snprintf(victim, sizeof victim, "%s/d1-victim.db", kmt_test_tmpdir());
    static const char *const attacks[] = { "organisation=&x=--output=%s",
                                           "x=--output=%s",
                                           "output=%s",
                                           "o=%s",
                                           "db=%s",
                                           "x=--db=%s",
                                           "factors=%s",
                                           "x=--factors=%s",
                                           "from=&x=--factors=%s",
                                           "graph=%s",
                                           "mapping=%s",
                                           "x=--catalogue=%s",
                                           "format=csv&x=--output=%s" };
    for (const kmt_app_usecase *const *u = kmt_app_usecases(); *u; u++) {
        char path[64];
        usecase_path((*u)->name, path, sizeof path);
        for (size_t k = 0; k < sizeof attacks / sizeof attacks[0]; k++) {
            char q[700];
            snprintf(q, sizeof q, attacks[k], strstr(attacks[k], "factors") ? "/etc/passwd" : victim);
            snprintf(target, sizeof target, "%s?%s", path, q);
            resp r = call(s.port, *u, target);
            ASSERT_EQ_INT(r.status, 400);
            ASSERT(r.json != NULL);
            ASSERT(!strstr(r.body, "root:"));
            ASSERT(!exists(victim));
            srv_resp_free(&r);
        }
    }
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 3: sources/destinations were not bounded by --max-table: 14,000
 * indices each aborted the server. */
KMT_TEST(security_d3_table_indices_bounded)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --max-table 100", srv_graph_path());
    srv_start(&s, args);
    size_t n = 14000;
    char *t = malloc(64 + n * 2 * 2 + 64);
    int k = sprintf(t, "/table/v1/car/" A ";" B "?sources=");
    for (size_t i = 0; i < n; i++) k += sprintf(t + k, i ? ";%d" : "%d", (int)(i & 1));
    resp r = srv_get(s.port, t);
    ASSERT_ERROR(r, 413, "TooBig", "sources");
    srv_resp_free(&r);
    k = sprintf(t, "/table/v1/car/" A ";" B "?destinations=");
    for (size_t i = 0; i < 101; i++) k += sprintf(t + k, i ? ";%d" : "%d", (int)(i & 1));
    r = srv_get(s.port, t);
    ASSERT_ERROR(r, 413, "TooBig", "destinations");
    srv_resp_free(&r);
    free(t);
    r = srv_get(s.port, "/table/v1/car/" A ";" B "?sources=0;1;0;1&destinations=1;0");
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    r = srv_get(s.port, "/health");
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

typedef struct bg_req {
    int port;
    const char *method, *target, *body;
    resp r;
} bg_req;

static void *bg(void *arg)
{
    bg_req *b = arg;
    b->r = srv_request(b->port, b->method, b->target, b->body, b->body ? strlen(b->body) : 0);
    return NULL;
}

/* Defect 4: slow requests ran on the request threads: two
 * POST /plan?wait=20&time_limit=20 delayed /health by 19 s. */
KMT_TEST(security_d4_slow_requests_do_not_block_health)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s --threads 2 --workers 1", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    char *problem = srv_slurp(kmt_test_data("vrp/demo-homecare.json"));
    bg_req q[4] = { { s.port, "POST", "/plan?wait=20&time_limit=4", problem, { 0 } },
                    { s.port, "POST", "/plan?wait=20&time_limit=4", problem, { 0 } },
                    { s.port, "GET", "/fleet/size?pool-distance=2000", NULL, { 0 } },
                    { s.port, "GET", "/fleet/size?pool-distance=3000", NULL, { 0 } } };
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, bg, &q[i]);
    srv_sleep_ms(700); /* both plans are running and both request threads would be taken */
    for (int k = 0; k < 3; k++) {
        double t0 = kmt_now_monotonic();
        resp h = srv_get(s.port, "/health");
        double dt = kmt_now_monotonic() - t0;
        ASSERT_EQ_INT(h.status, 200);
        ASSERT(dt < 1.5);
        srv_resp_free(&h);
        t0 = kmt_now_monotonic();
        resp r = srv_get(s.port, "/route/v1/car/" A ";" B);
        ASSERT_EQ_INT(r.status, 200);
        ASSERT(kmt_now_monotonic() - t0 < 1.5);
        srv_resp_free(&r);
    }
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        if (q[i].r.status != 200)
            kmt_test_fail(__FILE__, __LINE__, "%s: %d %.300s", q[i].target, q[i].r.status,
                          q[i].r.all ? q[i].r.all : "(none)");
        srv_resp_free(&q[i].r);
    }
    free(problem);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 4, the bound: more heavy requests than --max-busy are 503 with
 * Retry-After, at once, not queued without end. */
KMT_TEST(security_d4_job_pool_bounded)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s --workers 1 --max-busy 1", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    char *problem = srv_slurp(kmt_test_data("vrp/demo-homecare.json"));
    bg_req q = { s.port, "POST", "/plan?wait=10&time_limit=3", problem, { 0 } };
    pthread_t th;
    pthread_create(&th, NULL, bg, &q);
    srv_sleep_ms(700);
    resp r = srv_get(s.port, "/fleet/size");
    ASSERT_ERROR(r, 503, "Busy", NULL);
    ASSERT_CONTAINS(r.all, "Retry-After");
    srv_resp_free(&r);
    pthread_join(th, NULL);
    ASSERT_EQ_INT(q.r.status, 200);
    srv_resp_free(&q.r);
    r = srv_get(s.port, "/fleet/size");
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    free(problem);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 8: a URL with ~3,000 query parameters got no answer for 30 s. */
KMT_TEST(security_d8_many_query_parameters_answered)
{
    server s;
    srv_start(&s, "");
    size_t cap = 3000 * 12 + 64;
    char *t = malloc(cap);
    int k = sprintf(t, "/health?");
    for (int i = 0; i < 3000; i++) k += sprintf(t + k, i ? "&a%d=1" : "a%d=1", i);
    double t0 = kmt_now_monotonic();
    resp r = srv_get(s.port, t);
    ASSERT(kmt_now_monotonic() - t0 < 5);
    ASSERT_ERROR(r, 414, "TooManyParameters", NULL);
    srv_resp_free(&r);
    free(t);
    /* a URL too long for the connection's memory is refused by libmicrohttpd itself, at once */
    size_t n = 300000;
    char *req = malloc(n + 128);
    k = sprintf(req, "GET /health?a=");
    memset(req + k, 'x', n);
    k += (int)n;
    k += sprintf(req + k, " HTTP/1.1\r\nHost: x\r\n\r\n");
    t0 = kmt_now_monotonic();
    char *all = srv_raw(s.port, req, (size_t)k);
    ASSERT(kmt_now_monotonic() - t0 < 5);
    ASSERT(all && (strstr(all, " 414 ") || strstr(all, " 431 ")));
    free(all);
    free(req);
    r = srv_get(s.port, "/health");
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 9: 1,000 slow connections from one address locked out everyone. */
KMT_TEST(security_d9_connections_per_address_limited)
{
    server s;
    srv_start(&s, "--max-conns-per-ip 4 --timeout 60");
    int fds[6];
    for (int i = 0; i < 4; i++) {
        fds[i] = srv_connect(s.port);
        ASSERT(fds[i] >= 0);
        ASSERT(send(fds[i], "GET /health HTTP/1.1\r\n", 22, MSG_NOSIGNAL) == 22); /* and never finish */
    }
    srv_sleep_ms(200);
    /* the fifth from this address is closed at once, without an answer */
    int x = srv_connect(s.port);
    ASSERT(x >= 0);
    send(x, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 53, MSG_NOSIGNAL);
    char buf[64];
    double t0 = kmt_now_monotonic();
    ssize_t got = recv(x, buf, sizeof buf, 0);
    ASSERT(got <= 0);
    ASSERT(kmt_now_monotonic() - t0 < 5);
    close(x);
    for (int i = 0; i < 4; i++) close(fds[i]);
    srv_sleep_ms(300);
    resp r = srv_get(s.port, "/health"); /* slots free again */
    ASSERT_EQ_INT(r.status, 200);
    srv_resp_free(&r);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 10: answers named the server's files (store, factors file, the
 * temporary body file). */
KMT_TEST(security_d10_answers_show_no_server_paths)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    const char *tmp = kmt_test_tmpdir();
    static const char *const targets[] = { "/fleet/size?site=NOPE",
                                           "/fleet/report?site=NOPE",
                                           "/fleet/ev",
                                           "/fleet/compose",
                                           "/travel/report",
                                           "/travel/report?organisation=NOPE",
                                           "/travel/candidates",
                                           "/health",
                                           "/fleet/size?from=2024-02-01&to=2024-01-01" };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        resp r = srv_get(s.port, targets[i]);
        ASSERT(r.status > 0);
        if (strstr(r.body, tmp) || strstr(r.body, "/data/factors") || strstr(r.body, "/work/"))
            kmt_test_fail(__FILE__, __LINE__, "%s names a server path: %.300s", targets[i], r.body);
        srv_resp_free(&r);
    }
    /* a bad row of a body is named as line and column of "body", no temporary file */
    static const char bad[] = "person,org,department,from_lon,from_lat,to_lon,to_lat,depart,arrive,seats,drive\n"
                              "A,,,10.75,59.90,190.80,59.93,2024-05-06T08:00,2024-05-06T09:00,,\n";
    resp r = srv_request(s.port, "POST", "/pool/plan", bad, sizeof bad - 1);
    ASSERT_EQ_INT(r.status, 400);
    ASSERT(!strstr(r.body, "/tmp"));
    ASSERT(!strstr(r.body, tmp));
    srv_resp_free(&r);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 10: `serve --listen 0.0.0.0` said nothing about being reachable. */
KMT_TEST(security_d10_listen_beyond_loopback_warns)
{
    const char *bin = getenv("KMT_BIN");
    if (!bin) bin = "build/kommute";
    char cmd[1024], err[600];
    snprintf(err, sizeof err, "%s/listen-any.err", kmt_test_tmpdir());
    snprintf(cmd, sizeof cmd, "timeout -s TERM 4 %s serve --listen 0.0.0.0:0 >/dev/null 2>%s </dev/null", bin, err);
    int rc = system(cmd);
    (void)rc;
    char *log = srv_slurp(err);
    ASSERT(log != NULL);
    ASSERT_CONTAINS(log, "reachable from the network");
    free(log);
}

/* The CLI names files by path, the server by base name (docs/security.md):
 * every JSON string that is a path of a .json or .csv file, as its base name. */
static void base_names(char *s)
{
    char *w = s;
    for (const char *p = s; *p;) {
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (end) {
            size_t len = (size_t)(end - p - 1);
            const char *base = p + 1;
            for (const char *q = p + 1; q < end; q++)
                if (*q == '/') base = q + 1;
            int file = base != p + 1 && !memchr(p + 1, ' ', len) &&
                       ((len > 5 && memcmp(end - 5, ".json", 5) == 0) || (len > 4 && memcmp(end - 4, ".csv", 4) == 0));
            const char *from = file ? base : p + 1;
            *w++ = '"';
            memmove(w, from, (size_t)(end - from));
            w += end - from;
            *w++ = '"';
            p = end + 1;
            continue;
        }
        *w++ = *p++;
    }
    *w = '\0';
}

/* Issue 12: each use case over HTTP answers byte for byte what its command
 * prints with --format json, for the same parameters. */
KMT_TEST(app_server_answers_what_the_command_prints)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    for (const kmt_app_usecase *const *u = kmt_app_usecases(); *u; u++) {
        static const char *const queries[][2] = {
            { "", "" }, { "from=2024-03-01&to=2024-06-01", "--from 2024-03-01 --to 2024-06-01" }
        };
        for (size_t k = 0; k < 2; k++) {
            if (k && !kmt_app_param_find((*u)->params, "from")) continue;
            char path[64], target[256], cmd[2048];
            usecase_path((*u)->name, path, sizeof path);
            snprintf(target, sizeof target, "%s%s%s", path, queries[k][0][0] ? "?" : "", queries[k][0]);
            const char *in = body_of(*u);
            snprintf(cmd, sizeof cmd, "%s %s --format json %s %s%s %s", (*u)->name, in ? in : "", queries[k][1],
                     in ? "" : "--db ", in ? "" : srv_db_path(), ((*u)->needs & KMT_APP_USES_GRAPH) ? "--graph" : "");
            if ((*u)->needs & KMT_APP_USES_GRAPH) {
                size_t l = strlen(cmd);
                snprintf(cmd + l, sizeof cmd - l, " %s", srv_graph_path());
            }
            char *out = NULL;
            int rc = kmt_test_run(cmd, &out, NULL);
            resp r = call(s.port, *u, target);
            if (rc != 0) { /* a usage error (pool analyse needs its period): 400 over HTTP */
                ASSERT_EQ_INT(rc, 2);
                ASSERT_EQ_INT(r.status, 400);
                free(out);
                srv_resp_free(&r);
                continue;
            }
            ASSERT_EQ_INT(r.status, 200);
            if (in) { /* the input file is "body" over HTTP */
                char q1[700];
                snprintf(q1, sizeof q1, "\"%s\"", in);
                for (char *at; (at = strstr(out, q1));) {
                    memcpy(at, "\"body\"", 6);
                    memmove(at + 6, at + strlen(q1), strlen(at + strlen(q1)) + 1);
                }
            }
            base_names(out);
            char dir[600];
            snprintf(dir, sizeof dir, "%s/", kmt_test_tmpdir());
            for (char *at; (at = strstr(out, dir));) memmove(at, at + strlen(dir), strlen(at + strlen(dir)) + 1);
            if (strcmp(r.body, out) != 0)
                kmt_test_fail(__FILE__, __LINE__, "%s: the server's answer differs from `kommute %s`", target, cmd);
            free(out);
            srv_resp_free(&r);
        }
    }
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Issue 12: every endpoint answers 400 naming an unknown query key, and the
 * analyses refuse threads= (the server decides its threads). */
KMT_TEST(app_every_endpoint_refuses_unknown_keys)
{
    server s;
    char args[1024];
    snprintf(args, sizeof args, "--graph %s --db %s", srv_graph_path(), srv_db_path());
    srv_start(&s, args);
    static const char *const targets[] = { "/health?bogus=1",
                                           "/route/v1/car/" A ";" B "?bogus=1",
                                           "/table/v1/car/" A ";" B "?bogus=1",
                                           "/map/roads?bogus=1",
                                           "/map/road?lon=10.76&lat=59.91&bogus=1",
                                           "/data/sites?bogus=1",
                                           "/data/vehicles?bogus=1",
                                           "/data/density?bogus=1",
                                           "/data/summary?bogus=1",
                                           "/plan/1?bogus=1" };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        resp r = srv_get(s.port, targets[i]);
        if (r.status != 400 || !r.json || strcmp(srv_jstr(r.json, "field") ? srv_jstr(r.json, "field") : "", "bogus"))
            kmt_test_fail(__FILE__, __LINE__, "%s: %d %s", targets[i], r.status, r.body);
        srv_resp_free(&r);
    }
    char *problem = srv_slurp(kmt_test_data("vrp/demo-homecare.json"));
    resp r = srv_request(s.port, "POST", "/plan?bogus=1", problem, strlen(problem));
    ASSERT_ERROR(r, 400, "InvalidOptions", "bogus");
    srv_resp_free(&r);
    free(problem);
    for (const kmt_app_usecase *const *u = kmt_app_usecases(); *u; u++) {
        char path[64], target[128];
        usecase_path((*u)->name, path, sizeof path);
        static const char *const keys[] = { "bogus=1", "threads=256", "threads=1", "format=json", "help=true" };
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            snprintf(target, sizeof target, "%s?%s", path, keys[k]);
            resp a = call(s.port, *u, target);
            char field[32];
            snprintf(field, sizeof field, "%.*s", (int)strcspn(keys[k], "="), keys[k]);
            const char *fname = field;
            ASSERT_ERROR(a, 400, "InvalidOptions", fname);
            srv_resp_free(&a);
        }
    }
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}

/* Defect 4, memory: a 455 KB /pool/plan body held a thread for 62 s and
 * 1.8 GB; the rows of a body are bounded (KMT_SERVE_MAX_POOL_REQUESTS,
 * 2,000): more is 413 at once. */
KMT_TEST(security_d4_pool_plan_rows_bounded)
{
    server s;
    srv_start(&s, "");
    char *head = srv_slurp(kmt_test_data("pool/requests.csv"));
    char *nl = strchr(head, '\n');
    ASSERT(nl != NULL);
    nl[1] = '\0';
    size_t cap = strlen(head) + 2100 * 96;
    char *body = malloc(cap);
    size_t n = (size_t)sprintf(body, "%s", head);
    for (int i = 0; i < 2100; i++)
        n += (size_t)sprintf(body + n, "r%d,p%d,,10.75,59.90,10.80,59.93,2024-05-06T08:00,2024-05-06T09:00,1,yes\n", i,
                             i);
    double t0 = kmt_now_monotonic();
    resp r = srv_request(s.port, "POST", "/pool/plan", body, n);
    ASSERT(kmt_now_monotonic() - t0 < 10);
    ASSERT_ERROR(r, 413, "TooBig", NULL);
    srv_resp_free(&r);
    free(body);
    free(head);
    ASSERT_EQ_INT(srv_stop(&s, NULL), 0);
}
