/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The use cases of the application layer as endpoints (include/kommute/app.h):
 * GET /fleet/size?from=..&pool-distance=.. answers exactly what
 * `kommute fleet size --format json --from .. --pool-distance ..` prints.
 * The query is mapped onto the use case's request through its parameter
 * table, the allowlist: an unknown key, a CLI-only one (threads), a key
 * given twice or a value out of bounds is 400 naming it. Nothing from the
 * request names a file: the store, the graph and the factors file are the
 * server's own. Use cases that take an input file (pool plan) take it as the
 * POST body. The work runs on the job pool (kmt__defer), never on a request
 * thread; more than --max-busy at once is 503.
 */
#include <stdlib.h>
#include <string.h>

#include "kommute/store.h"
#include "server.h"

typedef struct app_task {
    kmt__srv *srv;
    const kmt_app_usecase *u;
    void *req; /* u->req_size bytes; its strings borrow the connection's query values */
    const char *body;
    size_t body_len; /* the request's body, alive until the request completes */
} app_task;

static void app_task_free(void *arg)
{
    app_task *t = arg;
    kmt_free(t->req);
    kmt_free(t);
}

/* An error of a use case as a response: input errors are 4xx, a store that
 * cannot be read is 503, only a bug is 500. */
static void answer_error(kmt__resp *out, const kmt_error *e)
{
    const char *field = e->field[0] ? e->field : NULL;
    char msg[1200];
    if (e->line)
        snprintf(msg, sizeof msg, "%s:%ld:%ld: %s", e->file[0] ? e->file : "body", e->line, e->column, e->msg);
    else
        snprintf(msg, sizeof msg, "%s", e->msg);
    switch (e->code) {
    case KMT_EUSAGE: kmt__error(out, 400, "InvalidOptions", field, "%s", msg); break;
    case KMT_EINVAL:
    case KMT_EUNREACH:
    case KMT_ENOTFOUND: kmt__error(out, 400, "InvalidInput", field, "%s", msg); break;
    case KMT_ETOOBIG: kmt__error(out, 413, "TooBig", field, "%s", msg); break;
    case KMT_EAUTH: kmt__error(out, 401, "Unauthorized", NULL, "%s", msg); break;
    case KMT_EDENIED: kmt__error(out, 403, "Forbidden", field, "%s", msg); break;
    case KMT_ECONFLICT: kmt__error(out, 409, "Conflict", field, "%s", msg); break;
    case KMT_EIO:
    case KMT_ECORRUPT:
    case KMT_EVERSION: kmt__error(out, 503, "StoreUnavailable", NULL, "the store cannot be read now"); break;
    default: kmt__error(out, 500, "InternalError", NULL, "the analysis failed (a bug; see the server log)"); break;
    }
}

static void app_run(void *arg, kmt__resp *out)
{
    app_task *t = arg;
    kmt__srv *s = t->srv;
    kmt_error e;
    kmt_error_init(&e);
    kmt_app_ctx c;
    kmt_app_ctx_default(&c);
    c.show_paths = 0;
    c.store_label = "the store";
    c.factors_path = s->opts.factors_path;
    c.catalogue_path = s->opts.catalogue_path;
    c.threads = 1;
    c.body = t->body;
    c.body_len = t->body_len;
    c.body_label = "body";
    c.max_rows = s->opts.max_pool_requests;
    if ((t->u->needs & KMT_APP_USES_GRAPH) && s->graph && s->ginfo.profile == KMT_PROFILE_CAR) {
        c.graph = s->graph;
        c.graph_label = s->opts.graph_path; /* shown by base name */
    }
    int rc = 0;
    if (s->opts.db_path) {
        rc = kmt_store_open(&c.store, s->opts.db_path, KMT_STORE_READONLY, &e);
        if (rc) KMT_LOG(KMT_LOG_WARN, "%s: store: %s", t->u->name, e.msg);
    }
    kmt_buf b = { 0 };
    if (!rc) rc = kmt_app_answer_json(t->u, &c, t->req, &b, &e);
    if (c.store) kmt_store_close(c.store);
    if (rc) {
        kmt_buf_destroy(&b);
        if (e.code == KMT_EINTERNAL || e.code == KMT_ENOMEM) KMT_LOG(KMT_LOG_ERROR, "%s: %s", t->u->name, e.msg);
        answer_error(out, &e);
        return;
    }
    out->status = 200;
    out->ctype = "application/json";
    kmt_buf_destroy(&out->body);
    out->body = b;
}

/* Maps the query onto a fresh request; 0, or -1 with the 400 in out. */
static int map_query(kmt__req *r, kmt__resp *out, const kmt_app_usecase *u, void *req)
{
    const char *keys[KMT_SERVE_MAX_QUERY_HARD], *vals[KMT_SERVE_MAX_QUERY_HARD];
    size_t n = kmt__args_list(r, keys, vals, KMT_SERVE_MAX_QUERY_HARD);
    if (n > KMT_SERVE_MAX_QUERY_HARD) {
        kmt__error(out, 414, "TooManyParameters", NULL, "more than %d query parameters", KMT_SERVE_MAX_QUERY_HARD);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < i; k++)
            if (strcmp(keys[k], keys[i]) == 0) {
                kmt__error(out, 400, "InvalidOptions", keys[i], "the query parameter '%.100s' is given twice", keys[i]);
                return -1;
            }
        kmt_error e;
        kmt_error_init(&e);
        if (kmt_app_param_set(u->params, req, keys[i], vals[i], 1, "", &e)) {
            kmt__error(out, 400, "InvalidOptions", e.field, "%s", e.msg);
            return -1;
        }
    }
    return 0;
}

int kmt__api_app(kmt__req *r, kmt__resp *out, const char *group, const char *sub)
{
    kmt__srv *s = r->srv;
    char name[64];
    snprintf(name, sizeof name, "%s %.40s", group, sub);
    const kmt_app_usecase *u = kmt_app_usecase_find(name);
    if (!u) return 0;
    int body = (u->needs & KMT_APP_NEEDS_BODY) != 0;
    const char *want = body ? "POST" : "GET";
    if (strcmp(r->method, want) != 0 && !(!body && strcmp(r->method, "HEAD") == 0)) {
        kmt__error(out, 405, "MethodNotAllowed", NULL, "%s is not allowed on /%s/%.40s; use %s", r->method, group, sub,
                   want);
        out->allow = want;
        return 1;
    }
    if ((u->needs & KMT_APP_NEEDS_STORE) && !s->opts.db_path) {
        kmt__error(out, 503, "NoData", NULL, "the server runs without a store (start it with --db)");
        return 1;
    }
    if (body && !r->body_len) {
        kmt__error(out, 400, "InvalidInput", "body", "POST /%s/%.40s needs the input file (CSV) as the body", group,
                   sub);
        return 1;
    }
    app_task *t = kmt_calloc(1, sizeof *t);
    t->srv = s;
    t->u = u;
    t->req = kmt_calloc(1, u->req_size);
    u->req_default(t->req);
    t->body = r->body;
    t->body_len = r->body_len;
    if (map_query(r, out, u, t->req)) {
        app_task_free(t);
        return 1;
    }
    kmt__defer(r, out, app_run, t, app_task_free);
    return 1;
}
