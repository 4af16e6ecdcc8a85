/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The route planner behind `kommute serve`: POST /plan with coordinates is
 * planned on the graph the server mapped at start-up. The .kgraph file is
 * renamed away once the server runs, so a request that opened (or
 * re-checked) the file would fail.
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kommute/core.h"
#include "kommute/json.h"
#include "test.h"

/* The text of a file (kmt_free), or NULL. */
static char *text_of(const char *path)
{
    char *t = NULL;
    size_t n;
    return kmt_read_file(path, &t, &n, NULL) == 0 ? t : NULL;
}

/* `kommute serve --listen 127.0.0.1:0 ARGS` in the background; returns its
 * pid and sets *port from the address it prints first (0 when it did not). */
static pid_t serve_start(const char *args, const char *out, int *port)
{
    const char *bin = getenv("KMT_BIN");
    char cmd[4096];
    if (snprintf(cmd, sizeof cmd, "exec %s serve --listen 127.0.0.1:0 %s >%s 2>&1 </dev/null",
                 bin ? bin : "build/kommute", args, out) >= (int)sizeof cmd)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    *port = 0;
    struct timespec nap = { 0, 50 * 1000 * 1000 };
    for (int i = 0; i < 1200 && !*port; i++) { /* 60 s: ASan is slow to start */
        char *t = text_of(out);
        const char *at = t ? strstr(t, "http://127.0.0.1:") : NULL;
        if (at) *port = atoi(at + strlen("http://127.0.0.1:"));
        kmt_free(t);
        if (!*port && waitpid(pid, NULL, WNOHANG) == pid) return -1;
        if (!*port) nanosleep(&nap, NULL);
    }
    return pid;
}

/* POST body to target; returns the HTTP status, *reply the whole answer (free()). */
static int post(int port, const char *target, const char *body, char **reply)
{
    *reply = NULL;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 60, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    size_t blen = strlen(body);
    kmt_buf req = { 0 };
    kmt_buf_printf(&req,
                   "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                   target, blen);
    kmt_buf_put(&req, body, blen);
    for (size_t off = 0; off < req.len;) {
        ssize_t w = send(fd, req.data + off, req.len - off, MSG_NOSIGNAL);
        if (w <= 0) break;
        off += (size_t)w;
    }
    kmt_buf_destroy(&req);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    ssize_t r;
    while ((r = recv(fd, buf + n, cap - n - 1, 0)) > 0) {
        n += (size_t)r;
        if (cap - n < 4096) buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    close(fd);
    *reply = buf;
    int status = -1;
    sscanf(buf, "HTTP/1.%*d %d", &status);
    return status;
}

KMT_TEST(vrp_serve_plan_uses_the_mapped_graph)
{
    const char *tmp = kmt_test_tmpdir();
    char graph[512], gone[600], out[600], args[1400];
    snprintf(graph, sizeof graph, "%s/vrp-serve.kgraph", tmp);
    snprintf(gone, sizeof gone, "%s.gone", graph);
    snprintf(out, sizeof out, "%s/vrp-serve.out", tmp);
    snprintf(args, sizeof args, "graph build %s -o %s", kmt_test_data("osm/oslo-east-roads.osm.pbf"), graph);
    if (kmt_test_run(args, NULL, NULL) != 0) kmt_test_fail(__FILE__, __LINE__, "graph build failed");
    char *problem = text_of(kmt_test_data("vrp/demo-oslo.json"));
    ASSERT(problem != NULL);
    snprintf(args, sizeof args, "--graph %s", graph);
    int port;
    pid_t pid = serve_start(args, out, &port);
    if (pid < 0 || !port) {
        char *log = text_of(out);
        if (pid > 0) kill(pid, SIGKILL), waitpid(pid, NULL, 0);
        kmt_test_fail(__FILE__, __LINE__, "the server did not start: %s", log ? log : "");
    }
    /* from now on the server has only its mapping */
    ASSERT_EQ_INT(rename(graph, gone), 0);
    char *reply;
    int status = post(port, "/plan?time_limit=30&iterations=200&wait=60", problem, &reply);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    rename(gone, graph);
    kmt_free(problem);
    if (status != 200) {
        char what[512];
        snprintf(what, sizeof what, "%s", reply ? reply : "");
        free(reply);
        kmt_test_fail(__FILE__, __LINE__, "POST /plan answered %d: %s", status, what);
    }
    const char *body = strstr(reply, "\r\n\r\n");
    json_t *plan = body ? json_loads(body + 4, 0, NULL) : NULL;
    free(reply);
    ASSERT(plan != NULL);
    json_t *routes = json_object_get(plan, "routes");
    ASSERT(json_array_size(routes) >= 1);
    /* routed on the roads: legs have road distances, and the checker passed the plan */
    json_t *summary = json_object_get(plan, "summary");
    ASSERT(json_number_value(json_object_get(summary, "distance")) > 1000);
    ASSERT(json_is_true(json_object_get(json_object_get(plan, "kommute"), "checked_feasible")));
    ASSERT_EQ_INT(json_array_size(json_object_get(plan, "unassigned")), 0);
    json_decref(plan);
}
