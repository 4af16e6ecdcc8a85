/* SPDX-License-Identifier: MPL-2.0 */
/*
 * kommute serve: the HTTP/JSON API and the web page, on libmicrohttpd.
 * Internal to the binary (src/server is linked into kommute, not the library).
 *
 * server.c   the HTTP side: listening, reading requests with limits, routing a
 *            path to a handler, errors as JSON, one log line per request,
 *            static files of the page, graceful stop
 * api_*.c    the handlers: OSRM route/table, map (roads, one road with its use
 *            by hour), data layers and dashboards, health
 *
 * A handler gets a kmt__req and fills a kmt__resp (status + body); it never
 * touches libmicrohttpd. Handlers run on the server's worker threads at the
 * same time: everything they share (graph, data set, caches) is read-only
 * after start-up, except what is guarded by the server's mutexes.
 */
#ifndef KOMMUTE_SERVER_H
#define KOMMUTE_SERVER_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "kommute/app.h"
#include "kommute/core.h"
#include "kommute/graph.h"
#include "kommute/json.h"
#include "kommute/model.h"

/* Default limits (docs/security.md lists every limit). */
#define KMT_SERVE_MAX_BUSY 8             /* heavy requests running or queued */
#define KMT_SERVE_MAX_CONNS 1000         /* open connections */
#define KMT_SERVE_MAX_CONNS_PER_IP 64    /* open connections from one address */
#define KMT_SERVE_MAX_QUERY 64           /* query parameters in one request */
#define KMT_SERVE_MAX_POOL_REQUESTS 2000 /* rows of a POST /pool/plan body */
#define KMT_SERVE_MAX_QUERY_HARD 256     /* --max-query's upper bound */

typedef struct kmt_serve_opts {
    const char *graph_path;     /* .kgraph to map (NULL: no routing endpoints) */
    const char *db_path;        /* store to read sites, vehicles, trips (NULL: none) */
    const char *listen;         /* "HOST:PORT", IPv4 literal or "localhost"; port 0 = any free port */
    const char *web_dir;        /* the built page (NULL: found next to the binary) */
    int threads;                /* worker threads (>= 1) */
    size_t max_body;            /* bytes of a request body; more is 413 */
    size_t max_table;           /* coordinates in one table request; more is 413 */
    size_t max_route;           /* coordinates in one route request; more is 413 */
    int max_busy;               /* heavy requests (plans, analyses) running or queued; more is 503 */
    int workers;                /* job threads that run the analyses (>= 1) */
    int timeout_s;              /* idle connection timeout */
    double max_snap_m;          /* how far a coordinate may be from a road */
    unsigned max_conns;         /* open connections in all */
    unsigned max_conns_per_ip;  /* open connections from one address */
    size_t max_query;           /* query parameters in one request; more is 414 */
    size_t max_pool_requests;   /* rows of a POST /pool/plan body; more is 413 */
    const char *factors_path;   /* the installation's factors file (NULL: default lookup) */
    const char *catalogue_path; /* the vehicle catalogue (NULL: default lookup) */
} kmt_serve_opts;

void kmt__serve_opts_default(kmt_serve_opts *o);

/* Runs the server until *stop becomes non-zero (a signal handler sets it),
 * then stops accepting, lets running requests finish and frees everything.
 * Prints "kommute: serving http://HOST:PORT/" on stdout once listening.
 * Returns 0, or a KMT_E* code with e set when it could not start. */
int kmt__serve(const kmt_serve_opts *o, volatile sig_atomic_t *stop, kmt_error *e);

/* ---- what handlers see ---------------------------------------------------- */

typedef struct kmt__srv kmt__srv;
struct kmt__job;
#define KMT_PLAN_JOBS 32 /* plans kept (running or finished) */

typedef struct kmt__req {
    kmt__srv *srv;
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* unescaped path, without the query */
    const char *body;   /* NUL-terminated request body ("" if none) */
    size_t body_len;
    void *conn; /* the connection (for kmt__arg) */
    void *rctx; /* the server's per-request state (for kmt__defer, kmt__wait) */
} kmt__req;

typedef struct kmt__resp {
    int status;
    const char *ctype;       /* content type; default application/json */
    kmt_buf body;            /* owned, malloc'd */
    const char *allow;       /* for 405: the Allow header */
    const void *static_data; /* when set, served instead of body (not freed) */
    size_t static_len;
} kmt__resp;

/* A query parameter, or NULL when absent. */
const char *kmt__arg(const kmt__req *r, const char *name);
/* The query parameters in order (at most max); returns how many there are. */
size_t kmt__args_list(const kmt__req *r, const char **keys, const char **vals, size_t max);
/* 0 when every query parameter is one of allowed (NULL-terminated), else the
 * response is set to 400 naming the first unknown one and -1 is returned. */
int kmt__args_allowed(const kmt__req *r, kmt__resp *out, const char *const *allowed);

/* An error body {"code": code, "message": msg[, "field": field]} with status. */
void kmt__error(kmt__resp *out, int status, const char *code, const char *field, const char *fmt, ...) KMT_PRINTF(5, 6);
/* Start a JSON body into out (status 200); finish with kmt__json_done. */
void kmt__json_start(kmt__resp *out, kmt_json *j);
void kmt__json_done(kmt__resp *out, kmt_json *j);

/* Borrow / return a per-thread search state for the graph. */
kmt_query *kmt__query_get(kmt__srv *s);
void kmt__query_put(kmt__srv *s, kmt_query *q);
/* Count a heavy request in; 0 when allowed, -1 (and a 503 response) when
 * the server is at its limit. Pair with kmt__heavy_leave. */
int kmt__heavy_enter(kmt__srv *s, kmt__resp *out);
void kmt__heavy_leave(kmt__srv *s);

/* Work done off the request threads. A task fills out; arg is released with
 * free_fn (may be NULL) after it ran. */
typedef void (*kmt__task_fn)(void *arg, kmt__resp *out);
/* Runs fn(arg, out) on the job pool (--workers threads) instead of the
 * request thread: the connection is suspended and answered when the task is
 * done, so /health and /route keep answering. Returns 0 (out is then
 * ignored: leave it empty), or -1 with a 503 in out when --max-busy tasks are
 * running or queued (arg is released then). */
int kmt__defer(kmt__req *r, kmt__resp *out, kmt__task_fn fn, void *arg, void (*free_fn)(void *));
/* Suspends the request until kmt__wake(srv, key) or the monotonic deadline,
 * then answers with fn(arg, out) on a request thread. */
void kmt__wait(kmt__req *r, uint64_t key, double deadline, kmt__task_fn fn, void *arg, void (*free_fn)(void *));
void kmt__wake(kmt__srv *s, uint64_t key);

/* ---- the server's state --------------------------------------------------- */

struct kmt__srv {
    kmt_serve_opts opts;
    double started;
    kmt_graph *graph; /* NULL when serving without a graph */
    kmt_graph_info ginfo;
    pthread_mutex_t qlock;
    KMT_VEC(kmt_query *) qfree; /* idle search states */

    kmt_dataset data; /* sites, vehicles, trips of the store */
    int have_data;

    kmt_buf roads;      /* cached /map/roads (compact) */
    kmt_dataset travel; /* travel records of the store (journeys by car join the road use) */

    /* Trips routed over the graph: use[segment * 24 + hour] = fleet logbook
     * trips that ran along the segment starting in that hour; use_car the same
     * for travel records by car (fleet car, private car, taxi). Computed in
     * the background. */
    uint32_t *use, *use_car;
    atomic_int use_ready; /* 0 computing, 1 ready, -1 no data */
    uint64_t use_trips, use_routed, use_skipped;
    uint64_t car_trips, car_routed, car_skipped;
    double use_seconds;
    pthread_t use_thread;
    int use_thread_started;

    pthread_mutex_t jlock; /* plan jobs (api_plan.c) */
    pthread_cond_t jcond;
    struct kmt__job *jobs; /* KMT_PLAN_JOBS */
    uint64_t next_job;

    /* the job pool (server.c) */
    pthread_mutex_t tlock;
    pthread_cond_t tcond;
    struct kmt__task *tasks; /* queued, oldest first (a singly linked list) */
    struct kmt__task **tasks_tail;
    struct kmt__task *waiters; /* suspended by kmt__wait */
    uint64_t woken[64];        /* keys recently woken (a waiter that registers late resumes at once) */
    unsigned nwoken;
    int ntasks; /* queued + running */
    int stopping;
    pthread_t *workers;
    int nworkers;

    /* the page: files read at start-up */
    KMT_VEC(struct kmt__file {
        char *name;
        char *data;
        size_t len;
        const char *ctype;
    })
    files;
};

/* Handlers (api_*.c). Each returns nothing; out is always filled. */
void kmt__api_health(kmt__req *r, kmt__resp *out);
void kmt__api_route(kmt__req *r, kmt__resp *out, const char *rest);
void kmt__api_table(kmt__req *r, kmt__resp *out, const char *rest);
void kmt__api_map_roads(kmt__req *r, kmt__resp *out);
void kmt__api_map_road(kmt__req *r, kmt__resp *out);
void kmt__api_data(kmt__req *r, kmt__resp *out, const char *what);
/* POST /plan (rest "") and GET /plan/ID (rest "/ID"); checks the method itself. */
void kmt__api_plan(kmt__req *r, kmt__resp *out, const char *rest);
void kmt__plan_init(kmt__srv *s);
void kmt__plan_destroy(kmt__srv *s);
/* GET or POST /{group}/{sub} for a use case of the application layer
 * (api_app.c): 1 when sub names one (out is then filled), else 0. */
int kmt__api_app(kmt__req *r, kmt__resp *out, const char *group,
                 const char *sub); /* stops running plans and waits for them */

/* Start-up work of the map module: the roads cache and the background
 * routing of stored trips (per-segment use by hour). */
void kmt__map_init(kmt__srv *s);
void kmt__map_destroy(kmt__srv *s);

#endif
