/* SPDX-License-Identifier: MPL-2.0 */
/* Helpers of the server tests (server_util.h). */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server_util.h"

char *srv_slurp(const char *path)
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

void srv_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* A file made once per run in the temporary folder by `kommute ARGS` where
 * ARGS is fmt with the file's path for %s. */
const char *srv_fixture(char *path, size_t n, const char *name, const char *fmt)
{
    if (path[0]) return path;
    snprintf(path, n, "%s/%s", kmt_test_tmpdir(), name);
    char args[1024];
    snprintf(args, sizeof args, fmt, path);
    if (kmt_test_run(args, NULL, NULL) != 0) kmt_test_fail(__FILE__, __LINE__, "%s failed", args);
    return path;
}

/* The graph of the bundled extract. */
const char *srv_graph_path(void)
{
    static char path[512];
    return srv_fixture(path, sizeof path, "server.kgraph", "graph build data/osm/oslo-east-roads.osm.pbf -o %s");
}

/* The small demo municipality in a store. */
const char *srv_db_path(void)
{
    static char path[512];
    return srv_fixture(path, sizeof path, "server.db", "demo generate --seed 1 --scale small --db %s");
}

/* Start `kommute serve --listen 127.0.0.1:0 ARGS` and wait for its address. */
void srv_start(server *s, const char *args)
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
        char *o = srv_slurp(s->out);
        const char *p = o ? strstr(o, "http://127.0.0.1:") : NULL;
        if (p) s->port = atoi(p + strlen("http://127.0.0.1:"));
        free(o);
        int st;
        if (!s->port && waitpid(s->pid, &st, WNOHANG) == s->pid) {
            char *e = srv_slurp(s->err);
            kmt_test_fail(__FILE__, __LINE__, "server exited at start: %s", e ? e : "");
        }
        if (!s->port) srv_sleep_ms(50);
    }
    if (!s->port) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        kmt_test_fail(__FILE__, __LINE__, "server did not print its address");
    }
}

/* SIGTERM, wait (30 s at most); returns the exit status and the log in *log. */
int srv_stop(server *s, char **log)
{
    kill(s->pid, SIGTERM);
    int st = -1;
    for (int i = 0; i < 600; i++) {
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) break;
        st = -1;
        srv_sleep_ms(50);
    }
    if (st == -1) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    if (log) *log = srv_slurp(s->err);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int srv_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { 0 };
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 30, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Send raw bytes, read until the server closes; returns the whole response (malloc'd). */
static char *raw_io(int port, const char *req, size_t len, int half_close)
{
    int fd = srv_connect(port);
    if (fd < 0) return NULL;
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0) break;
        off += (size_t)w;
    }
    if (half_close) shutdown(fd, SHUT_WR);
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

void srv_resp_free(resp *r)
{
    free(r->all);
    if (r->json) json_decref(r->json);
    memset(r, 0, sizeof *r);
}

char *srv_raw(int port, const char *req, size_t len)
{
    return raw_io(port, req, len, 1);
}

resp srv_request(int port, const char *method, const char *target, const char *body, size_t blen)
{
    resp r = { 0 };
    size_t cap = strlen(target) + blen + 512;
    char *req = malloc(cap);
    int h = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, target);
    if (body)
        h += snprintf(req + h, cap - (size_t)h, "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
    h += snprintf(req + h, cap - (size_t)h, "\r\n");
    if (body) memcpy(req + h, body, blen), h += (int)blen;
    /* no half-close: libmicrohttpd takes a read end as an abort when it resumes a suspended request */
    r.all = raw_io(port, req, (size_t)h, 0);
    free(req);
    if (!r.all) return r;
    sscanf(r.all, "HTTP/1.%*d %d", &r.status);
    const char *b = strstr(r.all, "\r\n\r\n");
    r.body = b ? b + 4 : "";
    r.json = json_loads(r.body, 0, NULL);
    return r;
}

resp srv_get(int port, const char *target)
{
    return srv_request(port, "GET", target, NULL, 0);
}

const char *srv_jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* GET target answers status with an error body of that code (and field, unless NULL). */
void srv_expect_error(int port, const char *target, int status, const char *code, const char *field)
{
    resp r = srv_get(port, target);
    ASSERT_ERROR(r, status, code, field);
    srv_resp_free(&r);
}
