/* SPDX-License-Identifier: MPL-2.0 */
/*
 * POST /plan: VROOM's problem JSON in, VROOM's solution out (the planner's
 * own reader and writer, checked by the independent checker as `kommute
 * plan` does). Every plan runs as a job on its own thread; the request waits
 * up to ?wait= seconds (default 2) for it. Done in time: 200 and the
 * solution. Else: 202 {"id", "status": "running", "location": "/plan/ID"}
 * and GET /plan/ID answers 202 until the solution is there (then 200).
 * Jobs count against --max-busy (503 beyond). Finished jobs are kept until
 * the table of KMT_PLAN_JOBS is full, then the oldest finished one goes.
 * Problems with coordinates and no matrices use the server's graph.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kommute/vrp_io.h"
#include "server.h"

struct kmt__job {
    int used;
    uint64_t id;
    int done;       /* 1 when the thread has written status and result */
    int status;     /* HTTP status of the result */
    kmt_buf result; /* JSON */
    double created;
    pthread_t thread;
    volatile sig_atomic_t stop;
    kmt_vrp_problem problem;
    kmt_vrp_solve_opts so;
    kmt__srv *srv;
};

static void result_error(struct kmt__job *job, int status, const char *msg)
{
    kmt_json j;
    kmt_json_init(&j, NULL);
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "code");
    kmt_json_string(&j, "PlanFailed");
    kmt_json_key(&j, "message");
    kmt_json_string(&j, msg);
    kmt_json_object_end(&j);
    job->result = j.buf;
    job->status = status;
}

static void *job_thread(void *arg)
{
    struct kmt__job *job = arg;
    kmt__srv *s = job->srv;
    kmt_vrp_solution sol;
    kmt_vrp_solution_init(&sol);
    kmt_vrp_solve_stats st;
    kmt_error e;
    kmt_error_init(&e);
    kmt_buf out = { 0 };
    int status = 200;
    job->so.stop = &job->stop;
    if (kmt_vrp_solve(&job->problem, &job->so, &sol, &st, &e)) {
        status = 400;
    } else {
        kmt_vrp_check_report r;
        if (kmt_vrp_check(&job->problem, &sol, &r)) {
            snprintf(e.msg, sizeof e.msg, "internal: the checker rejects the plan: %s", r.first);
            status = 500;
        } else {
            kmt_json j;
            kmt_json_init(&j, NULL);
            kmt_vrp_write_solution(&j, &job->problem, &sol, &r, &st);
            out = j.buf;
        }
        kmt_vrp_check_report_destroy(&r);
    }
    kmt_vrp_solution_destroy(&sol);
    pthread_mutex_lock(&s->jlock);
    if (status == 200) {
        job->result = out;
        job->status = 200;
    } else {
        result_error(job, status, e.msg);
    }
    job->done = 1;
    uint64_t id = job->id;
    pthread_cond_broadcast(&s->jcond);
    pthread_mutex_unlock(&s->jlock);
    kmt__heavy_leave(s);
    kmt__wake(s, id);
    return NULL;
}

static void job_reap(struct kmt__job *job)
{
    pthread_join(job->thread, NULL);
    kmt_vrp_problem_destroy(&job->problem);
    kmt_buf_destroy(&job->result);
    memset(job, 0, sizeof *job);
}

/* A free slot (reaping the oldest finished job if need be), or NULL. Under jlock. */
static struct kmt__job *job_slot(kmt__srv *s)
{
    struct kmt__job *oldest = NULL;
    for (int i = 0; i < KMT_PLAN_JOBS; i++) {
        struct kmt__job *j = &s->jobs[i];
        if (!j->used) return j;
        if (j->done && (!oldest || j->created < oldest->created)) oldest = j;
    }
    if (oldest) job_reap(oldest);
    return oldest;
}

/* The job's answer (under jlock): its result when done, else 202 with its id. */
static void job_answer(struct kmt__job *job, kmt__resp *out)
{
    kmt_json j;
    kmt__json_start(out, &j);
    if (job->done) {
        kmt_buf_put(&j.buf, job->result.data ? job->result.data : "", job->result.len);
        out->status = job->status;
    } else {
        char loc[64];
        snprintf(loc, sizeof loc, "/plan/%llu", (unsigned long long)job->id);
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "id");
        kmt_json_int(&j, (int64_t)job->id);
        kmt_json_key(&j, "status");
        kmt_json_string(&j, "running");
        kmt_json_key(&j, "location");
        kmt_json_string(&j, loc);
        kmt_json_key(&j, "elapsed_s");
        kmt_json_double(&j, kmt_now_monotonic() - job->created, 1);
        kmt_json_object_end(&j);
        out->status = 202;
    }
    kmt__json_done(out, &j);
}

typedef struct plan_ref {
    kmt__srv *srv;
    uint64_t id;
} plan_ref;

/* The answer for plan id: its result, 202 while it runs, 404 when gone. */
static void plan_answer(void *arg, kmt__resp *out)
{
    plan_ref *p = arg;
    kmt__srv *s = p->srv;
    pthread_mutex_lock(&s->jlock);
    for (int i = 0; i < KMT_PLAN_JOBS; i++)
        if (s->jobs[i].used && s->jobs[i].id == p->id) {
            job_answer(&s->jobs[i], out);
            pthread_mutex_unlock(&s->jlock);
            return;
        }
    pthread_mutex_unlock(&s->jlock);
    kmt__error(out, 404, "NotFound", NULL, "no plan with id %llu (finished plans are kept until %d newer ones)",
               (unsigned long long)p->id, KMT_PLAN_JOBS);
}

/* Answers now when the plan is done (or no wait is asked), else suspends the
 * request until it is done or the deadline. */
static void plan_wait(kmt__req *r, kmt__resp *out, uint64_t id, double deadline)
{
    plan_ref *p = kmt_malloc(sizeof *p);
    *p = (plan_ref){ r->srv, id };
    int done = 1;
    pthread_mutex_lock(&r->srv->jlock);
    for (int i = 0; i < KMT_PLAN_JOBS; i++)
        if (r->srv->jobs[i].used && r->srv->jobs[i].id == id) done = r->srv->jobs[i].done;
    pthread_mutex_unlock(&r->srv->jlock);
    if (done || deadline <= kmt_now_monotonic()) {
        plan_answer(p, out);
        kmt_free(p);
        return;
    }
    kmt__wait(r, id, deadline, plan_answer, p, kmt_free);
}

static int num_arg(kmt__req *r, kmt__resp *out, const char *name, double lo, double hi, double *v)
{
    const char *t = kmt__arg(r, name);
    if (!t) return 0;
    char *end;
    double x = strtod(t, &end);
    if (end == t || *end || !(x >= lo && x <= hi)) {
        kmt__error(out, 400, "InvalidQuery", name, "%s expects a number of seconds in [%g, %g], got '%.40s'", name, lo,
                   hi, t);
        return -1;
    }
    *v = x;
    return 0;
}

static void plan_post(kmt__req *r, kmt__resp *out)
{
    static const char *const allowed[] = { "time_limit", "iterations", "seed", "wait", NULL };
    kmt__srv *s = r->srv;
    if (kmt__args_allowed(r, out, allowed)) return;
    double time_limit = 5, wait = 2, iters = 0, seed = 1;
    if (num_arg(r, out, "time_limit", 0.01, 600, &time_limit) || num_arg(r, out, "wait", 0, 60, &wait) ||
        num_arg(r, out, "iterations", 1, 2e9, &iters) || num_arg(r, out, "seed", 0, 2147483647.0, &seed))
        return;
    if (!r->body_len) {
        kmt__error(out, 400, "InvalidInput", "body", "POST /plan needs VROOM's problem JSON as the request body");
        return;
    }
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    kmt_error e;
    kmt_error_init(&e);
    int needs = 0;
    int rc = kmt_vrp_parse_json(r->body, r->body_len, "request", &p, &needs, &e);
    if (!rc && needs && p.nlocs > s->opts.max_table) {
        kmt__error(out, 413, "TooBig", "locations",
                   "%zu locations need a %zu x %zu road table; this server's limit is %zu (--max-table)", p.nlocs,
                   p.nlocs, p.nlocs, s->opts.max_table);
        kmt_vrp_problem_destroy(&p);
        return;
    }
    if (!rc && needs) {
        if (!s->graph) {
            rc = kmt_error_at(&e, KMT_EINVAL, NULL, 0, 0, "matrices",
                              "the problem gives coordinates but no \"matrices\", and the server has no --graph");
        } else {
            /* the graph the server holds mapped: no file is opened or checked per request */
            kmt_vrp_graphs gs;
            kmt_vrp_graphs_init(&gs);
            rc = kmt_vrp_graphs_add(&gs, s->graph, NULL, &e);
            if (!rc) rc = kmt_vrp_graph_matrices(&gs, &p, &e);
            kmt_vrp_graphs_destroy(&gs);
        }
    }
    if (!rc) rc = kmt_vrp_problem_validate(&p, &e);
    if (rc) {
        char where[128] = "";
        if (e.line) snprintf(where, sizeof where, "line %ld, column %ld: ", e.line, e.column);
        kmt__error(out, 400, "InvalidInput", e.field[0] ? e.field : "body", "%s%s", where, e.msg);
        kmt_vrp_problem_destroy(&p);
        return;
    }
    if (kmt__heavy_enter(s, out)) {
        kmt_vrp_problem_destroy(&p);
        return;
    }
    pthread_mutex_lock(&s->jlock);
    struct kmt__job *job = job_slot(s);
    if (!job) {
        pthread_mutex_unlock(&s->jlock);
        kmt__heavy_leave(s);
        kmt_vrp_problem_destroy(&p);
        kmt__error(out, 503, "Busy", NULL, "%d plans are running; try again shortly", KMT_PLAN_JOBS);
        return;
    }
    job->used = 1;
    job->id = ++s->next_job;
    job->created = kmt_now_monotonic();
    job->srv = s;
    job->problem = p;
    kmt_vrp_solve_opts_default(&job->so);
    job->so.time_limit = time_limit;
    job->so.iterations = (long)iters;
    job->so.seed = (uint64_t)seed;
    if (pthread_create(&job->thread, NULL, job_thread, job) != 0) {
        kmt_vrp_problem_destroy(&job->problem);
        memset(job, 0, sizeof *job);
        pthread_mutex_unlock(&s->jlock);
        kmt__heavy_leave(s);
        kmt__error(out, 503, "Busy", NULL, "could not start a planning thread");
        return;
    }
    uint64_t id = job->id;
    pthread_mutex_unlock(&s->jlock);
    /* the request thread does not wait: the connection is suspended until
     * the plan is done (kmt__wake in job_thread) or ?wait= has passed */
    plan_wait(r, out, id, kmt_now_monotonic() + wait);
}

void kmt__api_plan(kmt__req *r, kmt__resp *out, const char *rest)
{
    kmt__srv *s = r->srv;
    if (!*rest) {
        if (strcmp(r->method, "POST") != 0) {
            kmt__error(out, 405, "MethodNotAllowed", NULL, "%s is not allowed on /plan; use POST", r->method);
            out->allow = "POST";
            return;
        }
        plan_post(r, out);
        return;
    }
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        kmt__error(out, 405, "MethodNotAllowed", NULL, "%s is not allowed on /plan/ID; use GET", r->method);
        out->allow = "GET";
        return;
    }
    static const char *const allowed[] = { NULL };
    if (kmt__args_allowed(r, out, allowed)) return;
    char *end;
    unsigned long long id = strtoull(rest + 1, &end, 10);
    if (rest[0] != '/' || end == rest + 1 || *end) {
        kmt__error(out, 404, "NotFound", NULL, "no such plan: %.60s", rest);
        return;
    }
    pthread_mutex_lock(&s->jlock);
    for (int i = 0; i < KMT_PLAN_JOBS; i++)
        if (s->jobs[i].used && s->jobs[i].id == id) {
            job_answer(&s->jobs[i], out);
            pthread_mutex_unlock(&s->jlock);
            return;
        }
    pthread_mutex_unlock(&s->jlock);
    kmt__error(out, 404, "NotFound", NULL, "no plan with id %llu (finished plans are kept until %d newer ones)", id,
               KMT_PLAN_JOBS);
}

void kmt__plan_init(kmt__srv *s)
{
    s->jobs = kmt_calloc(KMT_PLAN_JOBS, sizeof *s->jobs);
    pthread_mutex_init(&s->jlock, NULL);
    pthread_cond_init(&s->jcond, NULL);
}

void kmt__plan_destroy(kmt__srv *s)
{
    pthread_mutex_lock(&s->jlock);
    for (int i = 0; i < KMT_PLAN_JOBS; i++)
        if (s->jobs[i].used) __atomic_store_n(&s->jobs[i].stop, 1, __ATOMIC_RELAXED); /* read by the solver thread */
    pthread_mutex_unlock(&s->jlock);
    for (int i = 0; i < KMT_PLAN_JOBS; i++)
        if (s->jobs[i].used) job_reap(&s->jobs[i]);
    kmt_free(s->jobs);
    pthread_cond_destroy(&s->jcond);
    pthread_mutex_destroy(&s->jlock);
}
