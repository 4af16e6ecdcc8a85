/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The solver's driver: slack-induced string removal (ruin) and greedy insertion with
 * blinks (recreate), accepted by simulated annealing, after the method of
 * Christiaens & Vanden Berghe (2020), written for this code base; with a
 * fleet-minimisation phase (remove a route, reinsert its customers, accept
 * by the absence counts of the customers left out) for the classic
 * benchmark objective; epochs that end with a polish and a meeting of the
 * threads. Routes: route.c; ruin and recreate: ruin_recreate.c; local
 * search: local_search.c; the integer model: model.c.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

/* The threads searching together: they meet at the end of each epoch and
 * all continue from the best plan found so far (a barrier, then a copy, then
 * a barrier), so the result depends only on the seed and the thread count
 * when the search is bounded by iterations. */
typedef struct team {
    int n;
    search **w;
    pthread_barrier_t bar;
    pthread_mutex_t mu; /* progress reports */
    int64_t reported;   /* best objective reported so far */
} team;

/* Under cpu_clock each thread's budget is its own CPU time. */
static double now(const search *X)
{
    return X->opts->cpu_clock ? kmt_now_thread_cpu() : kmt_now_monotonic();
}
static double elapsed(const search *X)
{
    return now(X) - X->t0;
}

int kmt__vrp_out_of_time(search *X)
{
    /* set by a signal handler or by another thread (the server): read atomically */
    if (X->opts->stop && __atomic_load_n(X->opts->stop, __ATOMIC_RELAXED)) return 1;
    if (X->max_iter > 0 && X->iter >= X->max_iter) return 1;
    if (X->max_iter > 0 && X->opts->time_limit <= 0) return 0;
    return now(X) >= X->deadline;
}

static void note_best(search *X)
{
    int64_t o = kmt__vrp_sol_obj(X->S, &X->cur);
    if (o >= X->best_obj) return;
    X->best_obj = o;
    kmt__vrp_sol_copy(X->S, &X->best, &X->cur);
    X->best_time = elapsed(X);
    if (!X->opts->progress) return;
    team *T = X->team;
    pthread_mutex_lock(&T->mu);
    if (o < T->reported) {
        T->reported = o;
        X->opts->progress(X->opts->progress_ctx, X->best_time, X->cur.nused, (double)X->cur.cost / X->S->p->cost_scale,
                          X->cur.nun);
    }
    pthread_mutex_unlock(&T->mu);
}

/* Fraction of the search budget used, 0..1. */
static double budget_frac(search *X, double from, double to)
{
    if (X->max_iter > 0 && X->opts->time_limit <= 0) return (double)X->iter / (double)X->max_iter;
    double f = (elapsed(X) - from) / (to - from);
    if (X->max_iter > 0) {
        double g = (double)X->iter / (double)X->max_iter;
        if (g > f) f = g;
    }
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Temperature unit: a typical arc cost between nearby tasks. */
static double temp_unit(const solver *S)
{
    if (S->nadj <= 0) return 1;
    double sum = 0;
    int cnt = 0;
    int k = S->nadj < 5 ? S->nadj : 5;
    for (int i = 0; i < S->n; i++) {
        int j = S->adj[(size_t)i * S->nadj + k - 1];
        sum += (double)S->ccost[0][(size_t)S->tloc[i] * S->LL + S->tloc[j]];
        cnt++;
    }
    double u = cnt ? sum / cnt / 10.0 : 1;
    return u > 1 ? u : 1;
}

static int sol_any_unassigned_sum(search *X, const vsol *s)
{
    int sum = 0;
    for (int i = 0; i < s->nun; i++) sum += X->absences[s->un[i]];
    return sum;
}

/* Classic objective: try to remove routes one at a time until `until`. */
static void fleet_min(search *X, double until)
{
    solver *S = X->S;
    memset(X->absences, 0, sizeof(int) * (size_t)S->n);
    /* lower bound on routes: total amount over the largest capacity, per dimension */
    int lb = 1;
    for (int d = 0; d < S->D; d++) {
        int64_t sum = 0, cap = 0;
        for (int i = 0; i < S->n; i++) sum += S->tdel[(size_t)i * S->D + d] + S->tpick[(size_t)i * S->D + d];
        for (int v = 0; v < S->V; v++)
            if (S->vcap[(size_t)v * S->D + d] > cap) cap = S->vcap[(size_t)v * S->D + d];
        if (cap > 0 && cap < TBIG && (sum + cap - 1) / cap > lb) lb = (int)((sum + cap - 1) / cap);
    }
    while (!kmt__vrp_out_of_time(X) && elapsed(X) < until && X->best.nun == 0 && X->best.nused > lb) {
        /* remove the route with the fewest tasks (ties: random) from the best */
        kmt__vrp_sol_copy(S, &X->cur, &X->best);
        int target = -1, tl = 1 << 30;
        for (int v = 0; v < S->V; v++) {
            int l = X->cur.r[v].len;
            if (l > 0 && (l < tl || (l == tl && kmt_rng_below(&X->rng, 2)))) {
                tl = l;
                target = v;
            }
        }
        vroute *r = &X->cur.r[target];
        for (int k = 0; k < r->len; k++) {
            X->cur.un[X->cur.nun++] = r->t[k];
        }
        X->cur.cost -= r->cost;
        r->len = 0;
        kmt__vrp_route_update(S, r);
        kmt__vrp_recount_used(X);
        for (int v = 0; v < S->V; v++) kmt__vrp_route_index(S, &X->cur.r[v]);
        for (int i = 0; i < X->cur.nun; i++) S->where[X->cur.un[i]] = -1;
        X->max_routes = X->cur.nused;
        /* an attempt that has not shrunk the pool of left-out tasks for a
         * fifth of the fleet budget is given up */
        double last_progress = elapsed(X), patience = 0.2 * until;
        int min_nun = X->cur.nun;
        while (X->cur.nun > 0 && !kmt__vrp_out_of_time(X) && elapsed(X) < until &&
               elapsed(X) - last_progress < patience) {
            if (X->cur.nun < min_nun) {
                min_nun = X->cur.nun;
                last_progress = elapsed(X);
            }
            X->iter++;
            int nun0 = X->cur.nun, abs0 = sol_any_unassigned_sum(X, &X->cur);
            kmt__vrp_move_begin(X);
            if (!kmt__vrp_ruin(X)) {
                X->nremoved = 0;
                kmt__vrp_move_revert(X);
                continue;
            }
            kmt__vrp_recreate(X, 1);
            for (int i = 0; i < X->cur.nun; i++) X->absences[X->cur.un[i]]++;
            if (X->cur.nun < nun0 || sol_any_unassigned_sum(X, &X->cur) < abs0)
                kmt__vrp_move_commit(X);
            else
                kmt__vrp_move_revert(X);
        }
        if (X->cur.nun > 0) break;
        X->best_obj = INT64_MAX;
        note_best(X);
    }
    kmt__vrp_sol_copy(S, &X->cur, &X->best);
    for (int v = 0; v < S->V; v++) kmt__vrp_route_index(S, &X->cur.r[v]);
    for (int i = 0; i < X->cur.nun; i++) S->where[X->cur.un[i]] = -1;
    X->max_routes = X->best.nused;
}

/* Simulated annealing over ruin-and-recreate from `from` to `to` seconds
 * (or over the iterations), until the budget fraction reaches stop_at. */
static void anneal(search *X, double from, double to, double stop_at)
{
    solver *S = X->S;
    double unit = temp_unit(S);
    /* Start temperature: 10 units (a typical short arc) for the cost
     * objective; 100 for fewest-vehicles-first, whose plans after the fleet
     * minimisation are tighter and need more freedom to be reshaped
     * (Solomon classic at 10 s: 1.20 % -> 0.84 %, while DIMACS got worse,
     * 0.110 % -> 0.158 %; docs/benchmarks.md). */
    const kmt_vrp_tuning *tu = X->tuning;
    double T0 = (S->p->objective == KMT_VRP_MIN_VEHICLES_COST ? tu->t0_vehicles : tu->t0_cost) * unit;
    double Tf = tu->tf * unit;
    long it0 = X->anneal_it0;
    while (!kmt__vrp_out_of_time(X)) {
        double f = budget_frac(X, from, to);
        if (X->max_iter > 0 && X->opts->time_limit <= 0) f = (double)(X->iter - it0) / (double)(X->max_iter - it0);
        if (f >= stop_at) break;
        X->iter++;
        double T = T0 * pow(Tf / T0, f);
        int64_t before = kmt__vrp_sol_obj(S, &X->cur);
        kmt__vrp_move_begin(X);
        if (!kmt__vrp_ruin(X)) {
            X->nremoved = 0;
            kmt__vrp_move_revert(X);
            continue;
        }
        kmt__vrp_recreate(X, 0);
        if (X->ls_mode == 1 || (X->ls_mode == 2 && kmt__vrp_sol_obj(S, &X->cur) < before)) kmt__vrp_local_search(X);
        int64_t after = kmt__vrp_sol_obj(S, &X->cur);
        double thr = (double)before - T * log(kmt_rng_double(&X->rng) + 1e-300);
        if ((double)after < thr) {
            kmt__vrp_move_commit(X);
            if (after < X->best_obj) note_best(X);
        } else {
            kmt__vrp_move_revert(X);
        }
    }
}

static void export_solution(solver *S, const vsol *s, kmt_vrp_solution *out)
{
    kmt_vrp_solution_destroy(out);
    out->routes = kmt_calloc((size_t)s->nused + 1, sizeof *out->routes);
    for (int v = 0; v < S->V; v++) {
        const vroute *r = &s->r[v];
        if (r->len == 0) continue;
        kmt_vrp_route *o = &out->routes[out->nroutes++];
        int nb = S->vbrk_n[v];
        o->vehicle = v;
        o->stops = kmt_calloc((size_t)(r->len + nb) + 1, sizeof(int));
        int64_t c, tt;
        for (int b = 0; b < nb; b++) S->brkpos[b] = r->len;
        kmt__vrp_eval_seq(S, v, r->t, r->len, &c, &tt, S->brkpos);
        int b = 0;
        for (int k = 0; k <= r->len; k++) {
            while (b < nb && S->brkpos[b] == k) o->stops[o->nstops++] = -(1 + b++);
            if (k < r->len) o->stops[o->nstops++] = r->t[k];
        }
    }
    out->unassigned = kmt_calloc((size_t)s->nun + 1, sizeof(int));
    out->reason = kmt_calloc((size_t)s->nun + 1, sizeof(int));
    for (int i = 0; i < s->nun; i++) {
        int u = s->un[i];
        out->unassigned[out->nunassigned] = u;
        int reason = KMT_VRP_UNASSIGNED_SKILLS;
        int pair[2] = { u, S->tpartner[u] };
        if (S->tkind[u] == KMT_VRP_DELIVERY) {
            pair[0] = S->tpartner[u];
            pair[1] = u;
        }
        for (int v = 0; v < S->V; v++) {
            uint64_t need = S->tskill[u] | (pair[1] >= 0 ? S->tskill[pair[1]] : 0);
            if (need & ~S->vskill[v]) continue;
            if (reason == KMT_VRP_UNASSIGNED_SKILLS) reason = KMT_VRP_UNASSIGNED_CAPACITY;
            int fits = 1;
            for (int d = 0; d < S->D; d++)
                if (S->tdel[(size_t)u * S->D + d] > S->vcap[(size_t)v * S->D + d] ||
                    S->tpick[(size_t)u * S->D + d] > S->vcap[(size_t)v * S->D + d])
                    fits = 0;
            if (!fits) continue;
            if (reason == KMT_VRP_UNASSIGNED_CAPACITY) reason = KMT_VRP_UNASSIGNED_TIME;
            int64_t c, tt;
            if (kmt__vrp_eval_seq(S, v, pair, pair[1] >= 0 ? 2 : 1, &c, &tt, NULL)) {
                reason = KMT_VRP_UNASSIGNED_NOFIT;
                break;
            }
        }
        out->reason[out->nunassigned++] = reason;
    }
}

/* Make X's current plan a copy of src (another thread's best), and its
 * best too when src is better. */
static void adopt(search *X, const vsol *src, int64_t obj, double when)
{
    solver *S = X->S;
    kmt__vrp_sol_copy(S, &X->cur, src);
    for (int v = 0; v < S->V; v++) kmt__vrp_route_index(S, &X->cur.r[v]);
    for (int i = 0; i < X->cur.nun; i++) S->where[X->cur.un[i]] = -1;
    if (obj < X->best_obj) {
        kmt__vrp_sol_copy(S, &X->best, src);
        X->best_obj = obj;
        X->best_time = when;
    }
}

/* Local search with every move over every route of the best plan (the
 * search itself uses the cheaper moves only). */
static void polish(search *X)
{
    solver *S = X->S;
    if (X->granular <= 0 || X->best.nun > 0) return;
    adopt(X, &X->best, X->best_obj, X->best_time);
    kmt__vrp_move_begin(X);
    for (int v = 0; v < S->V; v++)
        if (X->cur.r[v].len > 0) kmt__vrp_touch(X, v);
    X->moves_all = 1;
    kmt__vrp_local_search(X);
    X->moves_all = X->moves_search;
    kmt__vrp_move_commit(X);
    if (kmt__vrp_sol_obj(S, &X->cur) < X->best_obj) note_best(X);
}

/* End of an epoch: every thread continues from the team's best plan (ties:
 * the lowest thread index, so that the result is reproducible). Three
 * phases between barriers: all read the bests (nobody writes), all copy
 * (each writes only its own plans, reads only the chosen best, which its
 * owner does not write), then all resume. */
static void team_sync(search *X)
{
    team *T = X->team;
    if (T->n == 1) return;
    pthread_barrier_wait(&T->bar);
    int bi = 0;
    for (int i = 1; i < T->n; i++)
        if (T->w[i]->best_obj < T->w[bi]->best_obj) bi = i;
    pthread_barrier_wait(&T->bar);
    if (bi != X->id)
        adopt(X, &T->w[bi]->best, T->w[bi]->best_obj, T->w[bi]->best_time);
    else
        adopt(X, &X->best, X->best_obj, X->best_time);
    pthread_barrier_wait(&T->bar);
}

static void search_init(search *X, solver *S, const kmt_vrp_solve_opts *opts, const kmt_vrp_tuning *tuning,
                        uint64_t seed)
{
    memset(X, 0, sizeof *X);
    X->S = S;
    X->opts = opts;
    X->max_iter = opts->iterations;
    kmt_rng_seed(&X->rng, seed);
    kmt__vrp_sol_alloc(S, &X->cur);
    kmt__vrp_sol_alloc(S, &X->best);
    X->bak = kmt_calloc((size_t)S->V, sizeof(vroute));
    for (int v = 0; v < S->V; v++) kmt__vrp_route_alloc(S, &X->bak[v], v);
    X->touched = kmt_calloc((size_t)S->V + 1, sizeof(int));
    X->is_touched = kmt_calloc((size_t)S->V + 1, sizeof(int));
    X->ruined_stamp = kmt_calloc((size_t)S->V + 1, sizeof(int));
    X->sig_stamp = kmt_calloc((size_t)S->V + 1, sizeof(int));
    X->bak_un = kmt_calloc((size_t)S->n + 1, sizeof(int));
    X->removed = kmt_calloc((size_t)S->n * 2 + 2, sizeof(int));
    X->key = kmt_calloc((size_t)S->n + 1, sizeof(int64_t));
    X->absences = kmt_calloc((size_t)S->n + 1, sizeof(int));
    X->near = kmt_calloc((size_t)S->n + 1, sizeof(int));
    X->lsq = kmt_calloc((size_t)S->n + 1, sizeof(int));
    X->mid1 = kmt_calloc((size_t)S->n + 4, sizeof(int));
    X->mid2 = kmt_calloc((size_t)S->n + 4, sizeof(int));
    X->evbuf = kmt_calloc((size_t)S->n + 4, sizeof(int));
    X->top_ab = kmt_calloc((size_t)S->n + 2, sizeof *X->top_ab);
    X->top_ba = kmt_calloc((size_t)S->n + 2, sizeof *X->top_ba);
    X->pair_seen = kmt_calloc((size_t)S->V + 1, sizeof(int));
    X->tuning = tuning;
    X->swap_star = tuning->swap_star;
    X->verify = tuning->verify;
    X->moves_search = tuning->moves;
    X->moves_all = X->moves_search;
    X->polish = tuning->polish;
    kmt__vrp_route_alloc(S, &X->scratch, 0);
    X->pair_fast = !tuning->pair_full;
    X->blink_cd = 1;
    X->max_routes = opts->max_vehicles > 0 && opts->max_vehicles < S->V ? opts->max_vehicles : S->V;
    X->granular = tuning->granular;
    if (X->granular > S->nadj) X->granular = S->nadj;
    X->ls_mode = tuning->local_search;
    X->pure_delivery = !S->has_ship;
    for (size_t i = 0; i < (size_t)S->n * (size_t)S->D; i++)
        if (S->tpick[i]) X->pure_delivery = 0;
}

static void search_free(search *X)
{
    solver *S = X->S;
    kmt__vrp_sol_free(S, &X->cur);
    kmt__vrp_sol_free(S, &X->best);
    for (int v = 0; v < S->V; v++) kmt__vrp_route_free(&X->bak[v]);
    kmt_free(X->bak);
    kmt_free(X->touched);
    kmt_free(X->is_touched);
    kmt_free(X->ruined_stamp);
    kmt_free(X->sig_stamp);
    kmt_free(X->bak_un);
    kmt_free(X->removed);
    kmt_free(X->key);
    kmt_free(X->absences);
    kmt_free(X->near);
    kmt_free(X->lsq);
    kmt_free(X->mid1);
    kmt_free(X->mid2);
    kmt_free(X->evbuf);
    kmt_free(X->top_ab);
    kmt_free(X->top_ba);
    kmt_free(X->pair_seen);
    kmt__vrp_route_free(&X->scratch);
}

/* Start from the routes the problem gives (VROOM's vehicle steps) that are
 * feasible; the others are counted in X->init_rejected. Tasks are all
 * unassigned on entry. */
static void seed_initial_routes(search *X)
{
    solver *S = X->S;
    const kmt_vrp_problem *p = S->p;
    int placed = 0;
    for (int v = 0; v < S->V; v++) {
        const kmt_vrp_vehicle *vh = &p->vehicles[v];
        if (vh->ninit <= 0) continue;
        int64_t c, tt;
        if (!kmt__vrp_eval_seq(S, v, vh->init, vh->ninit, &c, &tt, NULL)) {
            X->init_rejected++;
            continue;
        }
        vroute *r = &X->cur.r[v];
        memcpy(r->t, vh->init, sizeof(int) * (size_t)vh->ninit);
        r->len = vh->ninit;
        kmt__vrp_route_update(S, r);
        kmt__vrp_route_index(S, r);
        X->cur.cost += r->cost;
        X->cur.nused++;
        X->init_used++;
        placed += vh->ninit;
    }
    if (!placed) return;
    int n = 0;
    for (int i = 0; i < X->cur.nun; i++)
        if (S->where[X->cur.un[i]] < 0) X->cur.un[n++] = X->cur.un[i];
    X->cur.nun = n;
}

/* One thread's whole search: construction, fleet minimisation (classic
 * objective), then annealing in epochs separated by team_sync. Every thread
 * passes the same number of barriers whatever happens (time out, Ctrl-C). */
static void *search_run(void *arg)
{
    search *X = arg;
    solver *S = X->S;
    const kmt_vrp_problem *p = S->p;
    X->t0 = now(X);
    double limit = X->opts->time_limit > 0 ? X->opts->time_limit : 1e9;
    X->deadline = X->t0 + limit;
    for (int i = 0; i < S->n; i++) {
        X->cur.un[X->cur.nun++] = i;
        S->where[i] = -1;
    }
    seed_initial_routes(X);
    kmt__vrp_move_begin(X);
    kmt__vrp_recreate(X, 0);
    kmt__vrp_move_commit(X);
    X->best_obj = INT64_MAX;
    note_best(X);
    X->searching = 1;
    if (p->objective == KMT_VRP_MIN_VEHICLES_COST) fleet_min(X, 0.5 * limit);
    team_sync(X);
    adopt(X, &X->best, X->best_obj, X->best_time);
    if (p->objective == KMT_VRP_MIN_VEHICLES_COST) X->max_routes = X->best.nused;
    double from = elapsed(X);
    X->anneal_it0 = X->iter;
    int epochs = X->tuning->epochs;
    for (int ep = 1; ep <= epochs; ep++) {
        anneal(X, from, limit, ep == epochs ? 2.0 : (double)ep / epochs);
        if (X->polish) polish(X);
        team_sync(X);
        if (p->objective == KMT_VRP_MIN_VEHICLES_COST && X->best.nused < X->max_routes) X->max_routes = X->best.nused;
    }
    return NULL;
}

/* KMT_EINVAL (e set) unless every knob of t is in its range. */
static int tuning_check(const kmt_vrp_tuning *t, kmt_error *e)
{
    if (!(t->t0_cost > 0 && t->t0_vehicles > 0 && t->tf > 0 && t->t0_cost < 1e12 && t->t0_vehicles < 1e12 &&
          t->tf < 1e12))
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "tuning",
                            "temperatures must be > 0 and < 1e12, got t0 %g / %g and tf %g", t->t0_cost, t->t0_vehicles,
                            t->tf);
    if (t->epochs < 1 || t->epochs > 100000)
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "tuning", "epochs must be 1..100000, got %d", t->epochs);
    if (t->local_search < 0 || t->local_search > 2)
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "tuning", "local_search must be 0, 1 or 2, got %d",
                            t->local_search);
    return 0;
}

int kmt_vrp_solve(const kmt_vrp_problem *p, const kmt_vrp_solve_opts *opts, kmt_vrp_solution *out,
                  kmt_vrp_solve_stats *stats, kmt_error *e)
{
    kmt_vrp_tuning defaults;
    kmt_vrp_tuning_default(&defaults);
    const kmt_vrp_tuning *tuning = opts->tuning ? opts->tuning : &defaults;
    int rc = tuning_check(tuning, e);
    if (rc) return rc;
    solver S0;
    rc = kmt__vrp_model_build(&S0, p, e);
    if (rc) {
        kmt__vrp_model_free(&S0);
        return rc;
    }
    int nt = opts->threads > 1 ? opts->threads : 1;
    /* threads share the model's read-only arrays; each has its own scratch */
    solver *Ss = kmt_calloc((size_t)nt, sizeof(solver));
    search *Xs = kmt_calloc((size_t)nt, sizeof(search));
    search **w = kmt_calloc((size_t)nt, sizeof(search *));
    team T = { .n = nt, .w = w, .reported = INT64_MAX };
    pthread_mutex_init(&T.mu, NULL);
    if (nt > 1) pthread_barrier_init(&T.bar, NULL, (unsigned)nt);
    for (int i = 0; i < nt; i++) {
        if (i > 0)
            kmt__vrp_model_share(&Ss[i], &S0);
        else
            Ss[0] = S0;
        /* thread 0 keeps the seed, so -t 1 is the single-threaded search */
        search_init(&Xs[i], &Ss[i], opts, tuning, opts->seed + (uint64_t)i * 0x9E3779B97F4A7C15ull);
        Xs[i].team = &T;
        Xs[i].id = i;
        w[i] = &Xs[i];
    }
    pthread_t *th = kmt_calloc((size_t)nt, sizeof(pthread_t));
    for (int i = 1; i < nt; i++)
        if (pthread_create(&th[i], NULL, search_run, &Xs[i])) abort(); /* cannot continue: the barrier counts it */
    search_run(&Xs[0]);
    for (int i = 1; i < nt; i++) pthread_join(th[i], NULL);
    kmt_free(th);
    search *B = &Xs[0]; /* after the last sync every thread holds the team's best */
    export_solution(&Ss[0], &B->best, out);
    if (stats) {
        memset(stats, 0, sizeof *stats);
        for (int i = 0; i < nt; i++) stats->iterations += Xs[i].iter;
        stats->seconds = elapsed(B);
        stats->seconds_to_best = B->best_time;
        stats->vehicles = B->best.nused;
        stats->cost = (double)B->best.cost / p->cost_scale;
        stats->unassigned = B->best.nun;
        stats->stopped = opts->stop && __atomic_load_n(opts->stop, __ATOMIC_RELAXED);
        stats->initial_routes_used = B->init_used;
        stats->initial_routes_rejected = B->init_rejected;
    }
    for (int i = 0; i < nt; i++) {
        search_free(&Xs[i]);
        if (i > 0) kmt__vrp_model_unshare(&Ss[i]);
    }
    if (nt > 1) pthread_barrier_destroy(&T.bar);
    pthread_mutex_destroy(&T.mu);
    kmt_free(Ss);
    kmt_free(Xs);
    kmt_free(w);
    kmt__vrp_model_free(&S0);
    return 0;
}
