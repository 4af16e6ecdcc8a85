/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The HTTP side of kommute serve on libmicrohttpd: a pool of worker threads
 * each with its own epoll loop, request bodies read up to a limit (413),
 * routing of paths to handlers (404/405), errors as JSON, the page's files
 * served from memory, one log line per request and a graceful stop.
 */
#define _DEFAULT_SOURCE /* DT_DIR, strcasecmp */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kommute/limits.h"
#include "kommute/store.h"
#include "server.h"

void kmt__serve_opts_default(kmt_serve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:8080";
    o->threads = 2;
    o->max_body = 8u << 20;
    o->max_table = 1000;
    o->max_route = 500;
    o->max_busy = KMT_SERVE_MAX_BUSY;
    o->workers = 2;
    o->timeout_s = 30;
    o->max_snap_m = KMT_LIM_SNAP_M_DEFAULT;
    o->max_conns = KMT_SERVE_MAX_CONNS;
    o->max_conns_per_ip = KMT_SERVE_MAX_CONNS_PER_IP;
    o->max_query = KMT_SERVE_MAX_QUERY;
    o->max_pool_requests = KMT_SERVE_MAX_POOL_REQUESTS;
}

/* ---- responses -------------------------------------------------------------- */

void kmt__error(kmt__resp *out, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kmt_buf_destroy(&out->body);
    kmt_json j;
    kmt_json_init(&j, NULL);
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "code");
    kmt_json_string(&j, code);
    kmt_json_key(&j, "message");
    kmt_json_string(&j, msg);
    if (field) {
        kmt_json_key(&j, "field");
        kmt_json_string(&j, field);
    }
    kmt_json_object_end(&j);
    out->body = j.buf;
    out->status = status;
    out->ctype = "application/json";
}

void kmt__json_start(kmt__resp *out, kmt_json *j)
{
    kmt_json_init(j, NULL);
    out->status = 200;
    out->ctype = "application/json";
}

void kmt__json_done(kmt__resp *out, kmt_json *j)
{
    kmt_buf_destroy(&out->body);
    out->body = j->buf;
}

/* ---- query parameters ---------------------------------------------------------- */

const char *kmt__arg(const kmt__req *r, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct {
    const char **keys, **vals;
    size_t n, max;
} args_list;

static enum MHD_Result list_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    args_list *l = cls;
    if (l->n < l->max) l->keys[l->n] = key, l->vals[l->n] = value;
    l->n++;
    return MHD_YES;
}

size_t kmt__args_list(const kmt__req *r, const char **keys, const char **vals, size_t max)
{
    args_list l = { keys, vals, 0, max };
    MHD_get_connection_values((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND, list_arg, &l);
    return l.n;
}

typedef struct {
    const char *const *allowed;
    const char *bad;
} args_check;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind, (void)value;
    args_check *c = cls;
    for (const char *const *a = c->allowed; *a; a++)
        if (strcmp(*a, key) == 0) return MHD_YES;
    c->bad = key;
    return MHD_NO;
}

int kmt__args_allowed(const kmt__req *r, kmt__resp *out, const char *const *allowed)
{
    args_check c = { allowed, NULL };
    MHD_get_connection_values((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &c);
    if (!c.bad) return 0;
    kmt__error(out, 400, "InvalidOptions", c.bad, "unknown query parameter '%.100s'", c.bad);
    return -1;
}

/* ---- shared state ----------------------------------------------------------------- */

kmt_query *kmt__query_get(kmt__srv *s)
{
    kmt_query *q = NULL;
    pthread_mutex_lock(&s->qlock);
    if (s->qfree.n) q = s->qfree.v[--s->qfree.n];
    pthread_mutex_unlock(&s->qlock);
    return q ? q : kmt_query_new(s->graph);
}

void kmt__query_put(kmt__srv *s, kmt_query *q)
{
    pthread_mutex_lock(&s->qlock);
    KMT_VEC_PUSH(s->qfree, q);
    pthread_mutex_unlock(&s->qlock);
}

int kmt__heavy_enter(kmt__srv *s, kmt__resp *out)
{
    pthread_mutex_lock(&s->tlock);
    int full = s->stopping || s->ntasks >= s->opts.max_busy;
    if (!full) s->ntasks++;
    pthread_mutex_unlock(&s->tlock);
    if (!full) return 0;
    kmt__error(out, 503, "Busy", NULL, "the server is busy with %d heavy requests; try again shortly",
               s->opts.max_busy);
    return -1;
}

void kmt__heavy_leave(kmt__srv *s)
{
    pthread_mutex_lock(&s->tlock);
    s->ntasks--;
    pthread_mutex_unlock(&s->tlock);
}

/* ---- the page's files --------------------------------------------------------------- */

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    static const char *const map[][2] = { { ".html", "text/html; charset=utf-8" },
                                          { ".js", "text/javascript; charset=utf-8" },
                                          { ".css", "text/css; charset=utf-8" },
                                          { ".json", "application/json" },
                                          { ".svg", "image/svg+xml" },
                                          { ".png", "image/png" },
                                          { ".ico", "image/x-icon" },
                                          { ".txt", "text/plain; charset=utf-8" },
                                          { ".map", "application/json" } };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(dot, map[i][0]) == 0) return map[i][1];
    return "application/octet-stream";
}

/* Read every regular file under dir (two levels deep at most: dist/ and
 * dist/vendor/) into memory, named by its path below dir. */
static void load_files(kmt__srv *s, const char *dir)
{
    char sub[2][PATH_MAX];
    int nsub = 0;
    const char *prefixes[3] = { "", NULL, NULL };
    char pre[2][300];
    const char *dirs[3] = { dir, NULL, NULL };
    for (int d = 0; d < 1 + nsub; d++) {
        DIR *dp = opendir(dirs[d]);
        if (!dp) continue;
        struct dirent *de;
        while ((de = readdir(dp)) != NULL) {
            if (de->d_name[0] == '.') continue;
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            struct stat st;
            if (stat(path, &st) != 0) continue;
            if (S_ISDIR(st.st_mode)) {
                if (d == 0 && nsub < 2 && strlen(de->d_name) < 256) {
                    snprintf(sub[nsub], sizeof sub[nsub], "%s", path);
                    snprintf(pre[nsub], sizeof pre[nsub], "%s/", de->d_name);
                    dirs[1 + nsub] = sub[nsub];
                    prefixes[1 + nsub] = pre[nsub];
                    nsub++;
                }
                continue;
            }
            if (!S_ISREG(st.st_mode) || st.st_size > (64 << 20)) continue;
            kmt_error e;
            kmt_error_init(&e);
            char *data;
            size_t len;
            if (kmt_read_file(path, &data, &len, &e)) continue;
            char name[512];
            snprintf(name, sizeof name, "/%s%s", prefixes[d], de->d_name);
            struct kmt__file f = { kmt_strdup(name), data, len, content_type(name) };
            KMT_VEC_PUSH(s->files, f);
        }
        closedir(dp);
    }
}

/* The built page: --web, else web/dist beside the binary's build folder, else ./web/dist. */
static void find_web(kmt__srv *s)
{
    if (s->opts.web_dir) {
        load_files(s, s->opts.web_dir);
        if (!s->files.n) KMT_LOG(KMT_LOG_WARN, "no files in --web %s", s->opts.web_dir);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *cands[4] = { NULL, NULL, NULL, "web/dist" };
    char c0[PATH_MAX + 32], c1[PATH_MAX + 32], c2[PATH_MAX + 32];
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(c0, sizeof c0, "%s/../web/dist", exe);
        snprintf(c1, sizeof c1, "%s/../../web/dist", exe);
        snprintf(c2, sizeof c2, "%s/../share/kommute/web", exe);
        cands[0] = c0, cands[1] = c1, cands[2] = c2;
    }
    for (int i = 0; i < 4 && !s->files.n; i++)
        if (cands[i]) load_files(s, cands[i]);
    if (!s->files.n) KMT_LOG(KMT_LOG_WARN, "the web page is not built (web/dist not found); the API still works");
}

static const struct kmt__file *find_file(kmt__srv *s, const char *path)
{
    if (strcmp(path, "/") == 0) path = "/index.html";
    for (size_t i = 0; i < s->files.n; i++)
        if (strcmp(s->files.v[i].name, path) == 0) return &s->files.v[i];
    return NULL;
}

static const char NO_PAGE[] =
    "<!doctype html><meta charset=utf-8><title>kommute</title><h1>kommute</h1>"
    "<p>The web page is not built here (run <code>make web</code> or give <code>--web DIR</code>). "
    "The API works: <a href=\"/health\">/health</a>, /route/v1/car/LON,LAT;LON,LAT, "
    "/table/v1/car/..., /map/roads, /map/road?lon=..&amp;lat=..</p>";

/* ---- routing ------------------------------------------------------------------------- */

static int starts(const char *s, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0) return 0;
    *rest = s + n;
    return 1;
}

static int method_is(kmt__req *r, kmt__resp *out, const char *allow)
{
    /* allow is "GET" or "POST"; HEAD is served as GET by libmicrohttpd */
    if (strcmp(r->method, allow) == 0 || (strcmp(allow, "GET") == 0 && strcmp(r->method, "HEAD") == 0)) return 1;
    kmt__error(out, 405, "MethodNotAllowed", NULL, "%s is not allowed on %.200s; use %s", r->method, r->path, allow);
    out->allow = allow;
    return 0;
}

static void dispatch(kmt__req *r, kmt__resp *out)
{
    const char *rest;
    const char *p = r->path;
    if (strcmp(p, "/health") == 0) {
        if (method_is(r, out, "GET")) kmt__api_health(r, out);
    } else if (starts(p, "/route/v1/", &rest)) {
        if (method_is(r, out, "GET")) kmt__api_route(r, out, rest);
    } else if (starts(p, "/table/v1/", &rest)) {
        if (method_is(r, out, "GET")) kmt__api_table(r, out, rest);
    } else if (strcmp(p, "/map/roads") == 0) {
        if (method_is(r, out, "GET")) kmt__api_map_roads(r, out);
    } else if (strcmp(p, "/map/road") == 0) {
        if (method_is(r, out, "GET")) kmt__api_map_road(r, out);
    } else if (starts(p, "/plan", &rest) && (!*rest || *rest == '/')) {
        kmt__api_plan(r, out, rest);
    } else if (starts(p, "/fleet/", &rest) || starts(p, "/travel/", &rest) || starts(p, "/pool/", &rest)) {
        char group[16];
        snprintf(group, sizeof group, "%.*s", (int)(rest - p - 2), p + 1);
        if (!kmt__api_app(r, out, group, rest)) /* checks the method itself */
            kmt__error(out, 404, "NotFound", NULL, "no such analysis: %.200s", p);
    } else if (starts(p, "/data/", &rest)) {
        if (method_is(r, out, "GET")) kmt__api_data(r, out, rest);
    } else {
        const struct kmt__file *f = find_file(r->srv, p);
        if (f || strcmp(p, "/") == 0) {
            if (!method_is(r, out, "GET")) return;
            out->status = 200;
            if (f) {
                out->ctype = f->ctype;
                out->static_data = f->data;
                out->static_len = f->len;
            } else {
                out->ctype = "text/html; charset=utf-8";
                out->static_data = NO_PAGE;
                out->static_len = sizeof NO_PAGE - 1;
            }
        } else {
            kmt__error(out, 404, "NotFound", NULL, "no such resource: %.200s", p);
        }
    }
}

/* ---- libmicrohttpd glue ----------------------------------------------------------------- */

/* A request's life: reading its body, dispatched, then (for deferred or
 * waiting requests) suspended until its task ran or it was woken. */
enum { PHASE_READ = 0, PHASE_QUEUED, PHASE_DONE, PHASE_WAIT };

struct kmt__task {
    struct kmt__task *next;
    kmt__task_fn fn;
    void *arg;
    void (*free_fn)(void *);
    struct rctx *c;
    struct MHD_Connection *conn;
    uint64_t key; /* kmt__wait */
    double deadline;
};

typedef struct rctx {
    kmt_buf body;
    int too_big;
    double t0;
    int status;
    size_t bytes;
    int phase;
    struct kmt__task *task; /* set by kmt__defer / kmt__wait during dispatch */
    int waiting;            /* the task is a kmt__wait */
    kmt__resp resp;         /* the task's answer */
    int too_many;           /* the query had more than --max-query parameters (they were dropped) */
    int started;            /* on_request has seen it */
    char method[16];
    char url[256];
} rctx;

/* ---- the job pool and suspended requests ---------------------------------------------- */

static void task_free(struct kmt__task *t)
{
    if (t->free_fn) t->free_fn(t->arg);
    kmt_free(t);
}

int kmt__defer(kmt__req *r, kmt__resp *out, kmt__task_fn fn, void *arg, void (*free_fn)(void *))
{
    rctx *c = r->rctx;
    if (kmt__heavy_enter(r->srv, out)) { /* released by the worker when the task ran */
        if (free_fn) free_fn(arg);
        return -1;
    }
    struct kmt__task *t = kmt_calloc(1, sizeof *t);
    *t = (struct kmt__task){ NULL, fn, arg, free_fn, c, r->conn, 0, 0 };
    c->task = t;
    c->waiting = 0;
    return 0;
}

void kmt__wait(kmt__req *r, uint64_t key, double deadline, kmt__task_fn fn, void *arg, void (*free_fn)(void *))
{
    rctx *c = r->rctx;
    struct kmt__task *t = kmt_calloc(1, sizeof *t);
    *t = (struct kmt__task){ NULL, fn, arg, free_fn, c, r->conn, key, deadline };
    c->task = t;
    c->waiting = 1;
}

/* Resumes waiters whose key is key (all when all is 1) or whose deadline passed. */
static void wake_waiters(kmt__srv *s, uint64_t key, int by_key, int all)
{
    double now = kmt_now_monotonic();
    pthread_mutex_lock(&s->tlock);
    for (struct kmt__task **pp = &s->waiters; *pp;) {
        struct kmt__task *t = *pp;
        if (all || (by_key && t->key == key) || (!by_key && now >= t->deadline)) {
            *pp = t->next;
            t->c->phase = PHASE_DONE;
            MHD_resume_connection(t->conn);
        } else {
            pp = &t->next;
        }
    }
    pthread_mutex_unlock(&s->tlock);
}

void kmt__wake(kmt__srv *s, uint64_t key)
{
    pthread_mutex_lock(&s->tlock);
    s->woken[s->nwoken++ % (sizeof s->woken / sizeof s->woken[0])] = key;
    pthread_mutex_unlock(&s->tlock);
    wake_waiters(s, key, 1, 0);
}

static void *worker(void *arg)
{
    kmt__srv *s = arg;
    pthread_mutex_lock(&s->tlock);
    for (;;) {
        while (!s->tasks && !s->stopping) pthread_cond_wait(&s->tcond, &s->tlock);
        struct kmt__task *t = s->tasks;
        if (!t) break; /* stopping, queue empty */
        s->tasks = t->next;
        if (!s->tasks) s->tasks_tail = &s->tasks;
        pthread_mutex_unlock(&s->tlock);
        if (s->stopping)
            kmt__error(&t->c->resp, 503, "Stopping", NULL, "the server is stopping; try again shortly");
        else
            t->fn(t->arg, &t->c->resp);
        pthread_mutex_lock(&s->tlock);
        s->ntasks--;
        t->c->phase = PHASE_DONE;
        MHD_resume_connection(t->conn);
    }
    pthread_mutex_unlock(&s->tlock);
    return NULL;
}

static void pool_start(kmt__srv *s)
{
    pthread_mutex_init(&s->tlock, NULL);
    pthread_cond_init(&s->tcond, NULL);
    s->tasks_tail = &s->tasks;
    s->workers = kmt_calloc((size_t)s->opts.workers, sizeof *s->workers);
    for (int i = 0; i < s->opts.workers; i++)
        if (pthread_create(&s->workers[s->nworkers], NULL, worker, s) == 0) s->nworkers++;
}

/* Answers every queued task with 503, lets running ones finish, resumes every
 * waiter: no connection stays suspended (MHD_stop_daemon needs that). */
static void pool_stop(kmt__srv *s)
{
    pthread_mutex_lock(&s->tlock);
    s->stopping = 1;
    pthread_cond_broadcast(&s->tcond);
    pthread_mutex_unlock(&s->tlock);
    for (int i = 0; i < s->nworkers; i++) pthread_join(s->workers[i], NULL);
    wake_waiters(s, 0, 0, 1);
}

static void pool_destroy(kmt__srv *s)
{
    kmt_free(s->workers);
    pthread_cond_destroy(&s->tcond);
    pthread_mutex_destroy(&s->tlock);
}

static void log_request(const rctx *c)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s %s %d %zu %.2fms\n", ts, c->method, c->url, c->status, c->bytes,
            (kmt_now_monotonic() - c->t0) * 1000.0);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn;
    rctx *c = *con_cls;
    if (!c) return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && c->status == 0) c->status = 499; /* client went away */
    log_request(c);
    kmt_buf_destroy(&c->body);
    kmt_buf_destroy(&c->resp.body);
    if (c->task) task_free(c->task);
    kmt_free(c);
    *con_cls = NULL;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, rctx *c, kmt__resp *out)
{
    struct MHD_Response *resp;
    size_t len;
    if (out->static_data) {
        len = out->static_len;
        resp = MHD_create_response_from_buffer(len, (void *)out->static_data, MHD_RESPMEM_PERSISTENT);
        kmt_buf_destroy(&out->body);
    } else {
        len = out->body.len;
        if (!out->body.data) {
            resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        } else {
            resp = MHD_create_response_from_buffer(len, out->body.data, MHD_RESPMEM_MUST_FREE);
            if (!resp) kmt_buf_destroy(&out->body);
        }
        out->body.data = NULL;
    }
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out->ctype ? out->ctype : "application/json");
    if (out->allow) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, out->allow);
    if (out->status == 503) MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    if (!out->static_data) MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    c->status = out->status;
    c->bytes = len;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)out->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Called by libmicrohttpd with the raw URI before it parses the query: the
 * request's state starts here. A query of more than --max-query parameters
 * is cut off before it is parsed (its '?' ends the string MHD parses next),
 * since libmicrohttpd 0.9.75 would otherwise run out of connection memory
 * on it and hold the connection until the timeout without an answer; the
 * request is then answered 414. The buffer is MHD's own read buffer, which
 * it writes itself while parsing. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)conn;
    kmt__srv *s = cls;
    rctx *c = kmt_calloc(1, sizeof *c);
    c->t0 = kmt_now_monotonic();
    char *q = strchr(uri, '?');
    if (q) {
        size_t n = 1;
        for (const char *p = q + 1; *p; p++) n += *p == '&';
        if (n > s->opts.max_query) {
            c->too_many = 1;
            q[1] = '\0';
        }
    }
    return c;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    kmt__srv *s = cls;
    rctx *c = *con_cls;
    if (!c) *con_cls = c = on_uri(s, "", conn);
    if (!c->started) {
        c->started = 1;
        snprintf(c->method, sizeof c->method, "%s", method);
        snprintf(c->url, sizeof c->url, "%s", url);
        for (char *q = c->url; *q; q++)
            if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?'; /* one log line, whatever the URL holds */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->opts.max_body) c->too_big = 1;
        if (!c->too_big && !c->too_many) return MHD_YES;
    }
    if (*upload_size) {
        if (!c->too_big && c->body.len + *upload_size <= s->opts.max_body)
            kmt_buf_put(&c->body, upload_data, *upload_size);
        else
            c->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (c->phase == PHASE_DONE) { /* resumed: the task ran, or the wait ended */
        if (c->waiting && c->task) c->task->fn(c->task->arg, &c->resp);
        return send_resp(conn, c, &c->resp);
    }
    if (c->phase != PHASE_READ) return MHD_YES; /* spurious call while suspended */
    kmt__resp out = { 0 };
    if (c->too_big) {
        kmt__error(&out, 413, "TooBig", NULL, "the request body is over the limit of %zu bytes", s->opts.max_body);
    } else if (c->too_many) {
        kmt__error(&out, 414, "TooManyParameters", NULL, "more than %zu query parameters", s->opts.max_query);
    } else {
        kmt_buf_put(&c->body, "", 0);
        kmt_buf_reserve(&c->body, 1);
        c->body.data[c->body.len] = '\0';
        kmt__req r = { s, method, url, c->body.data, c->body.len, conn, c };
        dispatch(&r, &out);
    }
    if (c->task) { /* deferred or waiting: suspend first, then hand the task over */
        kmt_buf_destroy(&out.body);
        struct kmt__task *t = c->task;
        MHD_suspend_connection(conn);
        pthread_mutex_lock(&s->tlock);
        if (c->waiting) {
            int woken = 0;
            for (size_t i = 0; i < sizeof s->woken / sizeof s->woken[0]; i++) woken |= s->woken[i] == t->key;
            if (woken || s->stopping) { /* woken between dispatch and now */
                c->phase = PHASE_DONE;
                MHD_resume_connection(conn);
            } else {
                c->phase = PHASE_WAIT;
                t->next = s->waiters;
                s->waiters = t;
            }
        } else {
            c->phase = PHASE_QUEUED;
            *s->tasks_tail = t; /* queued; c still owns t (freed when the request completes) */
            s->tasks_tail = &t->next;
            t->next = NULL;
            pthread_cond_signal(&s->tcond);
        }
        pthread_mutex_unlock(&s->tlock);
        return MHD_YES;
    }
    return send_resp(conn, c, &out);
}

static int parse_listen(const char *text, struct sockaddr_in *sa, kmt_error *e)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    const char *colon = strrchr(text, ':');
    if (!colon) return kmt_error_set(e, KMT_EUSAGE, "--listen expects HOST:PORT, got '%s'", text);
    char host[64];
    size_t hl = (size_t)(colon - text);
    if (hl == 0 || hl >= sizeof host) return kmt_error_set(e, KMT_EUSAGE, "--listen: bad host in '%s'", text);
    memcpy(host, text, hl);
    host[hl] = '\0';
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return kmt_error_set(e, KMT_EUSAGE, "--listen: '%s' is not an IPv4 address (e.g. 127.0.0.1 or 0.0.0.0)", host);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535)
        return kmt_error_set(e, KMT_EUSAGE, "--listen: port must be 0..65535, got '%s'", colon + 1);
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

static void srv_free(kmt__srv *s)
{
    if (!s->stopping) pool_stop(s); /* a start that failed: the workers still wait */
    kmt__plan_destroy(s);           /* plan threads call kmt__wake (the pool's lock) until they end */
    pool_destroy(s);
    kmt__map_destroy(s);
    for (size_t i = 0; i < s->qfree.n; i++) kmt_query_destroy(s->qfree.v[i]);
    KMT_VEC_FREE(s->qfree);
    for (size_t i = 0; i < s->files.n; i++) kmt_free(s->files.v[i].name), kmt_free(s->files.v[i].data);
    KMT_VEC_FREE(s->files);
    kmt_dataset_destroy(&s->data);
    kmt_dataset_destroy(&s->travel);
    kmt_graph_close(s->graph);
    pthread_mutex_destroy(&s->qlock);
}

int kmt__serve(const kmt_serve_opts *o, volatile sig_atomic_t *stop, kmt_error *e)
{
    struct sockaddr_in sa;
    if (parse_listen(o->listen, &sa, e)) return KMT_EUSAGE;
    kmt__srv *s = kmt_calloc(1, sizeof *s);
    s->opts = *o;
    s->started = kmt_now_monotonic();
    pthread_mutex_init(&s->qlock, NULL);
    pool_start(s);
    kmt__plan_init(s);
    kmt_dataset_init(&s->data);
    kmt_dataset_init(&s->travel);
    int rc = 0;
    if (o->graph_path) {
        rc = kmt_graph_open(o->graph_path, &s->graph, e);
        if (!rc) kmt_graph_get_info(s->graph, &s->ginfo);
    }
    if (!rc && o->db_path) {
        kmt_store *st;
        rc = kmt_store_open(&st, o->db_path, KMT_STORE_READONLY, e);
        if (!rc) {
            kmt_store_query q = kmt_store_query_all();
            rc = kmt_store_load_fleet(st, &q, &s->data, e);
            if (!rc) rc = kmt_store_load_travel(st, &q, &s->travel, e);
            kmt_store_close(st);
            s->have_data = rc == 0;
        }
    }
    if (rc) {
        srv_free(s);
        kmt_free(s);
        return rc;
    }
    find_web(s);
    kmt__map_init(s);

    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)o->threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout_s, MHD_OPTION_CONNECTION_LIMIT,
        o->max_conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_conns_per_ip, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(128 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_NOTIFY_COMPLETED, completed,
        s, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_END);
    if (!d) {
        rc = kmt_error_set(e, KMT_EIO, "cannot listen on %s (address in use or not available)", o->listen);
        srv_free(s);
        kmt_free(s);
        return rc;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("kommute: serving http://%s:%u/ (graph %s, %s, %d threads)\n", host, di ? di->port : 0,
           o->graph_path ? o->graph_path : "none", o->db_path ? o->db_path : "no store", o->threads);
    fflush(stdout);
    if (sa.sin_addr.s_addr != htonl(INADDR_LOOPBACK) && (ntohl(sa.sin_addr.s_addr) >> 24) != 127)
        KMT_LOG(KMT_LOG_WARN,
                "listening on %s, reachable from the network: the API has no authentication yet, so anyone "
                "who can reach this address can read every analysis of the store (docs/security.md)",
                host);
    while (!*stop) {
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        wake_waiters(s, 0, 0, 0); /* waits whose deadline passed */
    }
    KMT_LOG(KMT_LOG_INFO, "stopping: finishing running requests");
    pool_stop(s);
    MHD_stop_daemon(d);
    srv_free(s);
    kmt_free(s);
    return 0;
}
