/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The solver: slack-induced string removal (ruin) and greedy insertion with
 * blinks (recreate), accepted by simulated annealing, after the method of
 * Christiaens & Vanden Berghe (2020), written for this code base; with a
 * fleet-minimisation phase (remove a route, reinsert its customers, accept
 * by the absence counts of the customers left out) for the classic
 * benchmark objective. Insertions into routes without breaks are checked in
 * O(1) from cached forward/backward data. No allocation inside the loop.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

/* ---- windows -------------------------------------------------------- */

static inline int64_t wstart(const solver *S, int u, int64_t t)
{
    int off = S->twoff[u], n = S->twn[u];
    if (n == 1) {
        if (t > S->twe[off]) return TNONE;
        return t > S->tws[off] ? t : S->tws[off];
    }
    for (int w = 0; w < n; w++)
        if (t <= S->twe[off + w]) return t > S->tws[off + w] ? t : S->tws[off + w];
    return n == 0 ? t : TNONE;
}

/* Latest start <= b inside u's windows; TNONE if none. */
static inline int64_t wlatest(const solver *S, int u, int64_t b)
{
    int off = S->twoff[u], n = S->twn[u];
    if (n == 0) return b;
    for (int w = n - 1; w >= 0; w--)
        if (S->tws[off + w] <= b) return b < S->twe[off + w] ? b : S->twe[off + w];
    return TNONE;
}

/* ---- routes --------------------------------------------------------- */

static void route_alloc(const solver *S, vroute *r, int veh)
{
    size_t c = (size_t)S->cap + 2, D = (size_t)(S->D ? S->D : 1);
    r->veh = veh;
    r->len = 0;
    r->t = kmt_calloc(c, sizeof(int));
    r->es = kmt_calloc(c, sizeof(int64_t));
    r->dur = kmt_calloc(c, sizeof(int64_t));
    r->ls = kmt_calloc(c, sizeof(int64_t));
    r->load = kmt_calloc(c * D, sizeof(int64_t));
    r->pmax = kmt_calloc(c * D, sizeof(int64_t));
    r->smax = kmt_calloc(c * D, sizeof(int64_t));
    r->ctt = kmt_calloc(c, sizeof(int64_t));
    r->cc = kmt_calloc(c, sizeof(int64_t));
    r->cd = kmt_calloc(c, sizeof(int64_t));
}

static void route_free(vroute *r)
{
    kmt_free(r->t); kmt_free(r->es); kmt_free(r->dur); kmt_free(r->ls);
    kmt_free(r->load); kmt_free(r->pmax); kmt_free(r->smax); kmt_free(r->ctt); kmt_free(r->cc);
    kmt_free(r->cd);
}

static inline int node_loc(const solver *S, const vroute *r, int k)
{
    if (k == 0) return S->vstart[r->veh] < 0 ? S->L : S->vstart[r->veh];
    if (k == r->len + 1) return S->vend[r->veh] < 0 ? S->L : S->vend[r->veh];
    return S->tloc[r->t[k - 1]];
}

/* Recompute a route's caches and cost after a change, O(len * D). */
static void route_update(const solver *S, vroute *r)
{
    int v = r->veh, len = r->len, D = S->D, LL = S->LL;
    r->bad = 0;
    if (S->vslow[v]) {
        r->bad = !kmt__vrp_eval_seq(S, v, r->t, len, &r->cost, &r->tt, NULL);
        return;
    }
    const int64_t *ttm = S->ctt[S->vcls[v]], *cm = S->ccost[S->vcls[v]];
    const int64_t *dm = S->cdist ? S->cdist[S->vcls[v]] : NULL;
    int64_t dist = 0;
    int prev = node_loc(S, r, 0);
    r->es[0] = S->vtws[v];
    r->cd[0] = 0;
    r->dur[0] = 0;
    int64_t c = S->vfixed[v], tt = 0;
    r->ctt[0] = 0;
    r->cc[0] = 0;
    for (int d = 0; d < D; d++) r->load[d] = 0;
    for (int k = 1; k <= len; k++) {
        int u = r->t[k - 1];
        if (S->tkind[u] == KMT_VRP_JOB)
            for (int d = 0; d < D; d++) r->load[d] += S->tdel[(size_t)u * D + d];
    }
    for (int k = 1; k <= len + 1; k++) {
        int loc = node_loc(S, r, k);
        int64_t leg = ttm[(size_t)prev * LL + loc];
        int64_t arr = r->es[k - 1] + r->dur[k - 1] + leg;
        tt += leg;
        c += cm[(size_t)prev * LL + loc];
        r->ctt[k] = tt;
        r->cc[k] = c - S->vfixed[v];
        if (dm) {
            dist += dm[(size_t)prev * LL + loc];
            r->cd[k] = dist;
        }
        if (k <= len) {
            int u = r->t[k - 1];
            r->dur[k] = S->tserv[u] + (prev != loc ? S->tsetup[u] : 0);
            int64_t s = wstart(S, u, arr);
            if (s == TNONE) {
                r->bad = 1;
                s = arr;
            }
            r->es[k] = s;
            for (int d = 0; d < D; d++)
                r->load[(size_t)k * D + d] = r->load[(size_t)(k - 1) * D + d] +
                                             S->tpick[(size_t)u * D + d] - S->tdel[(size_t)u * D + d];
        } else {
            r->dur[k] = 0;
            r->es[k] = arr;
            for (int d = 0; d < D; d++) r->load[(size_t)k * D + d] = r->load[(size_t)(k - 1) * D + d];
        }
        prev = loc;
    }
    r->cost = len ? c : 0; /* an empty route costs nothing; tt keeps start->end for ins_fast */
    r->tt = tt;
    r->dist = dist;
    if (len && (r->es[len + 1] > S->vtwe[v] || tt > S->vmaxtt[v] || dist > S->vmaxdist[v])) r->bad = 1;
    r->ls[len + 1] = S->vtwe[v];
    int next = node_loc(S, r, len + 1);
    for (int k = len; k >= 1; k--) {
        int u = r->t[k - 1], loc = S->tloc[u];
        int64_t b = r->ls[k + 1] - r->dur[k] - ttm[(size_t)loc * LL + next];
        r->ls[k] = wlatest(S, u, b);
        next = loc;
    }
    r->ls[0] = r->ls[1] - ttm[(size_t)node_loc(S, r, 0) * LL + next];
    for (int d = 0; d < D; d++) {
        r->pmax[d] = r->load[d];
        for (int k = 1; k <= len + 1; k++) {
            int64_t x = r->load[(size_t)k * D + d], m = r->pmax[(size_t)(k - 1) * D + d];
            r->pmax[(size_t)k * D + d] = x > m ? x : m;
        }
        r->smax[(size_t)(len + 1) * D + d] = r->load[(size_t)(len + 1) * D + d];
        for (int k = len; k >= 0; k--) {
            int64_t x = r->load[(size_t)k * D + d], m = r->smax[(size_t)(k + 1) * D + d];
            r->smax[(size_t)k * D + d] = x > m ? x : m;
        }
    }
}

/* Cost increase of inserting job u before node p (1..len+1) of a fast route,
 * or -1 when infeasible. O(D). */
static int64_t ins_fast(const solver *S, const vroute *r, int u, int p)
{
    int v = r->veh, LL = S->LL, D = S->D;
    const int64_t *ttm = S->ctt[S->vcls[v]];
    int la = node_loc(S, r, p - 1), lb = node_loc(S, r, p), lu = S->tloc[u];
    int64_t du = S->tserv[u] + (la != lu ? S->tsetup[u] : 0);
    int64_t s = wstart(S, u, r->es[p - 1] + r->dur[p - 1] + ttm[(size_t)la * LL + lu]);
    if (s == TNONE) return -1;
    int64_t arr_b = s + du + ttm[(size_t)lu * LL + lb];
    int len = r->len;
    if (p <= len) {
        int bt = r->t[p - 1];
        int64_t db = S->tserv[bt] + (lu != lb ? S->tsetup[bt] : 0);
        if (db == r->dur[p]) {
            if (arr_b > r->ls[p]) return -1;
        } else {
            int64_t lbt = wlatest(S, bt, r->ls[p + 1] - db - ttm[(size_t)lb * LL + node_loc(S, r, p + 1)]);
            if (lbt == TNONE || arr_b > lbt) return -1;
        }
    } else if (arr_b > S->vtwe[v]) {
        return -1;
    }
    int64_t dtt = ttm[(size_t)la * LL + lu] + ttm[(size_t)lu * LL + lb] - ttm[(size_t)la * LL + lb];
    if (r->tt + dtt > S->vmaxtt[v]) return -1;
    if (S->cdist) {
        const int64_t *dm = S->cdist[S->vcls[v]];
        int64_t dd = dm[(size_t)la * LL + lu] + dm[(size_t)lu * LL + lb] - dm[(size_t)la * LL + lb];
        if (r->dist + dd > S->vmaxdist[v]) return -1;
    }
    const int64_t *cap = &S->vcap[(size_t)v * D];
    for (int d = 0; d < D; d++) {
        int64_t del = S->tdel[(size_t)u * D + d], pick = S->tpick[(size_t)u * D + d];
        if (r->pmax[(size_t)(p - 1) * D + d] + del > cap[d]) return -1;
        if (r->smax[(size_t)p * D + d] + pick > cap[d]) return -1;
        if (r->load[(size_t)(p - 1) * D + d] + pick > cap[d]) return -1;
    }
    const int64_t *cm = S->ccost[S->vcls[v]];
    int64_t dc = cm[(size_t)la * LL + lu] + cm[(size_t)lu * LL + lb] - cm[(size_t)la * LL + lb];
    if (len == 0) dc += S->vfixed[v] + cm[(size_t)la * LL + lb];
    return dc < 0 ? 0 : dc;
}

static void route_insert(const solver *S, vroute *r, int u, int idx)
{
    memmove(&r->t[idx + 1], &r->t[idx], sizeof(int) * (size_t)(r->len - idx));
    r->t[idx] = u;
    r->len++;
    route_update(S, r);
}

/* ---- solutions ------------------------------------------------------ */

typedef struct search {
    solver *S;
    vsol cur, best;
    vroute *bak;         /* backups of touched routes, one slot per vehicle */
    int *touched, ntouched, *is_touched;
    int *bak_un, bak_nun;
    int64_t bak_cost;
    int bak_nused;
    int *removed, nremoved;
    int *ruined_stamp, stamp;
    int *sig_stamp, sigstamp;
    int64_t *key;        /* sort keys for the recreate order */
    int *absences;
    int granular;        /* > 0: insertion looks next to this many nearest neighbours first */
    int *near, nearstamp;
    int blink_cd;
    int ls_mode;         /* 0 none, 1 local search on every candidate, 2 on improving ones */
    int *lsq;            /* tasks to visit in local search */
    int *mid1, *mid2, *evbuf; /* local search scratch (n + 4 each) */
    struct top3 *top_ab, *top_ba; /* SWAP* insertion estimates (n + 2 each) */
    int *pair_seen, pairstamp;
    int swap_star;
    int verify;          /* check local search's predictions (tests) */
    int moves_all;       /* 1: every move; 0: inter-route relocate and 2-opt* only */
    int moves_search;    /* moves_all during the annealing (the polish always uses all) */
    int polish;          /* polish the best plan with every move at the end of each epoch */
    int searching;       /* 0 during the construction (never cut short) */
    vroute scratch;      /* a route under construction (shipment insertion) */
    int pair_fast;       /* 1: shipments into routes without breaks in O(len^2) */
    int pure_delivery;   /* every task a job with no pickup amounts */
    kmt_rng rng;
    int max_routes;
    double t0, deadline;
    long iter, max_iter;
    const kmt_vrp_solve_opts *opts;
    const kmt_vrp_tuning *tuning; /* never NULL */
    int64_t best_obj;
    double best_time;
    struct team *team;   /* the threads searching together */
    int id;              /* this thread's index in the team */
    long anneal_it0;     /* iteration at which annealing began */
    int init_used, init_rejected; /* given initial routes started from / infeasible */
} search;

static void sol_alloc(solver *S, vsol *s)
{
    s->r = kmt_calloc((size_t)S->V, sizeof(vroute));
    for (int v = 0; v < S->V; v++) {
        route_alloc(S, &s->r[v], v);
        route_update(S, &s->r[v]);
    }
    s->un = kmt_calloc((size_t)S->n + 1, sizeof(int));
    s->nun = 0;
    s->nused = 0;
    s->cost = 0;
}

static void sol_free(solver *S, vsol *s)
{
    for (int v = 0; v < S->V; v++) route_free(&s->r[v]);
    kmt_free(s->r);
    kmt_free(s->un);
}

static void route_copy(const solver *S, vroute *dst, const vroute *src)
{
    size_t n = (size_t)src->len + 2, D = (size_t)S->D;
    dst->veh = src->veh;
    dst->len = src->len;
    dst->cost = src->cost;
    dst->tt = src->tt;
    dst->dist = src->dist;
    dst->bad = src->bad;
    memcpy(dst->t, src->t, sizeof(int) * (size_t)src->len);
    memcpy(dst->es, src->es, sizeof(int64_t) * n);
    memcpy(dst->dur, src->dur, sizeof(int64_t) * n);
    memcpy(dst->ls, src->ls, sizeof(int64_t) * n);
    memcpy(dst->ctt, src->ctt, sizeof(int64_t) * n);
    memcpy(dst->cc, src->cc, sizeof(int64_t) * n);
    memcpy(dst->cd, src->cd, sizeof(int64_t) * n);
    if (D) {
        memcpy(dst->load, src->load, sizeof(int64_t) * n * D);
        memcpy(dst->pmax, src->pmax, sizeof(int64_t) * n * D);
        memcpy(dst->smax, src->smax, sizeof(int64_t) * n * D);
    }
}

static void sol_copy(solver *S, vsol *dst, const vsol *src)
{
    for (int v = 0; v < S->V; v++)
        if (dst->r[v].len || src->r[v].len) route_copy(S, &dst->r[v], &src->r[v]);
    dst->nun = src->nun;
    memcpy(dst->un, src->un, sizeof(int) * (size_t)src->nun);
    dst->nused = src->nused;
    dst->cost = src->cost;
}

static int64_t sol_obj(const solver *S, const vsol *s)
{
    int64_t o = s->cost + S->veh_pen * s->nused;
    for (int i = 0; i < s->nun; i++) o += S->un_pen * (1 + S->tprio[s->un[i]]);
    return o;
}

static void index_route(solver *S, const vroute *r)
{
    for (int k = 0; k < r->len; k++) {
        S->where[r->t[k]] = r->veh;
        S->pos[r->t[k]] = k;
    }
}

/* Save route v of the current solution before its first change in this iteration. */
static void touch(search *X, int v)
{
    if (X->is_touched[v]) return;
    X->is_touched[v] = 1;
    X->touched[X->ntouched++] = v;
    route_copy(X->S, &X->bak[v], &X->cur.r[v]);
}

static void begin_move(search *X)
{
    X->ntouched = 0;
    X->bak_nun = X->cur.nun;
    memcpy(X->bak_un, X->cur.un, sizeof(int) * (size_t)X->cur.nun);
    X->bak_cost = X->cur.cost;
    X->bak_nused = X->cur.nused;
}

static void commit_move(search *X)
{
    for (int i = 0; i < X->ntouched; i++) {
        int v = X->touched[i];
        X->is_touched[v] = 0;
        index_route(X->S, &X->cur.r[v]);
    }
    X->ntouched = 0;
}

static void revert_move(search *X)
{
    for (int i = 0; i < X->ntouched; i++) {
        int v = X->touched[i];
        X->is_touched[v] = 0;
        route_copy(X->S, &X->cur.r[v], &X->bak[v]);
        index_route(X->S, &X->cur.r[v]);
    }
    X->ntouched = 0;
    X->cur.nun = X->bak_nun;
    memcpy(X->cur.un, X->bak_un, sizeof(int) * (size_t)X->bak_nun);
    for (int i = 0; i < X->cur.nun; i++) X->S->where[X->cur.un[i]] = -1;
    X->cur.cost = X->bak_cost;
    X->cur.nused = X->bak_nused;
}

/* Remove task u (at where/pos) from its route in cur; no cache update. */
static void take_out(search *X, int u)
{
    solver *S = X->S;
    int v = S->where[u];
    if (v < 0) return;
    touch(X, v);
    vroute *r = &X->cur.r[v];
    int k = 0;
    while (k < r->len && r->t[k] != u) k++;
    memmove(&r->t[k], &r->t[k + 1], sizeof(int) * (size_t)(r->len - k - 1));
    r->len--;
    S->where[u] = -2; /* removed in this move */
    X->removed[X->nremoved++] = u;
}

static void refresh_route(search *X, int v)
{
    vroute *r = &X->cur.r[v];
    X->cur.cost -= r->cost;
    route_update(X->S, r);
    X->cur.cost += r->cost;
    index_route(X->S, r);
}

static void recount_used(search *X)
{
    int n = 0;
    for (int v = 0; v < X->S->V; v++) n += X->cur.r[v].len > 0;
    X->cur.nused = n;
}

/* ---- ruin ----------------------------------------------------------- */

#define CBAR 10.0
#define LMAX 10.0

/* Remove strings of tasks near a random seed task from the current
 * solution. Returns 0 when a shortened route became infeasible (only with a
 * matrix that violates the triangle inequality); the caller reverts. */
static int ruin(search *X)
{
    solver *S = X->S;
    vsol *s = &X->cur;
    X->nremoved = 0;
    int routed = S->n - s->nun;
    if (routed <= 0 || s->nused == 0) return 1;
    double avg = (double)routed / s->nused;
    double lsmax = avg < LMAX ? avg : LMAX;
    double ksmax = 4.0 * CBAR / (1.0 + lsmax) - 1.0;
    int ks = (int)(kmt_rng_double(&X->rng) * ksmax) + 1;
    int seed;
    do seed = (int)kmt_rng_below(&X->rng, (uint64_t)S->n);
    while (S->where[seed] < 0);
    X->stamp++;
    int ruined = 0;
    for (int i = -1; i < S->nadj && ruined < ks; i++) {
        int c = i < 0 ? seed : S->adj[(size_t)seed * S->nadj + i];
        int v = S->where[c];
        if (v < 0 || X->ruined_stamp[v] == X->stamp) continue;
        X->ruined_stamp[v] = X->stamp;
        ruined++;
        vroute *r = &s->r[v];
        int len = r->len;
        double lmt = len < lsmax ? len : lsmax;
        int l = (int)(kmt_rng_double(&X->rng) * lmt) + 1;
        if (l > len) l = len;
        int pc = S->pos[c];
        int m = 0;
        if (l < len && kmt_rng_double(&X->rng) < 0.5) {
            m = 1;
            while (l + m < len && kmt_rng_double(&X->rng) < 0.5) m++;
        }
        int span = l + m;
        int lo = pc - (int)kmt_rng_below(&X->rng, (uint64_t)span);
        if (lo < 0) lo = 0;
        if (lo + span > len) lo = len - span;
        int keep_lo = lo + (int)kmt_rng_below(&X->rng, (uint64_t)l + 1);
        /* collect then remove: tasks [lo, lo+span) except the kept block */
        int cnt = 0;
        for (int k = lo; k < lo + span; k++) {
            if (m && k >= keep_lo && k < keep_lo + m) continue;
            S->seq[cnt++] = r->t[k];
        }
        for (int k = 0; k < cnt; k++) {
            int u = S->seq[k];
            if (S->where[u] < 0) continue;
            take_out(X, u);
            if (S->tpartner[u] >= 0 && S->where[S->tpartner[u]] >= 0) take_out(X, S->tpartner[u]);
        }
    }
    int ok = 1;
    for (int i = 0; i < X->ntouched; i++) {
        refresh_route(X, X->touched[i]);
        if (X->cur.r[X->touched[i]].bad) ok = 0;
    }
    return ok;
}

/* ---- recreate ------------------------------------------------------- */

static int cmp_key(const void *a, const void *b, void *ctx)
{
    const int64_t *key = ctx;
    int x = *(const int *)a, y = *(const int *)b;
    return key[x] < key[y] ? -1 : key[x] > key[y] ? 1 : x - y;
}

/* Insertion sort by key (few elements). */
static void sort_by_key(int *a, int n, const int64_t *key)
{
    for (int i = 1; i < n; i++) {
        int x = a[i], j = i - 1;
        while (j >= 0 && cmp_key(&a[j], &x, (void *)key) > 0) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = x;
    }
}

/* Route r's tasks with a inserted before index i and (when b >= 0) b before
 * index j (i <= j), into out; returns the new length. */
static int splice(const vroute *r, int a, int i, int b, int j, int *out)
{
    int n = 0;
    for (int k = 0; k <= r->len; k++) {
        if (k == i) out[n++] = a;
        if (b >= 0 && k == j) out[n++] = b;
        if (k < r->len) out[n++] = r->t[k];
    }
    return n;
}

/* Best insertion of task a (and, when b >= 0, of b after it: a shipment)
 * into route r by full evaluation of each candidate: for routes with breaks
 * and for shipments. Returns the cost increase or -1; *bi, *bj positions. */
static int64_t ins_full(search *X, const vroute *r, int a, int b, int *bi, int *bj)
{
    solver *S = X->S;
    int len = r->len, v = r->veh;
    if (len + 1 + (b >= 0) > S->vmaxtasks[v]) return -1;
    if ((S->tskill[a] | (b >= 0 ? S->tskill[b] : 0)) & ~S->vskill[v]) return -1;
    int64_t best = -1;
    for (int i = 0; i <= len; i++)
        for (int j = i; j <= (b >= 0 ? len : i); j++) {
            int n = splice(r, a, i, b, j, S->seq2);
            int64_t c, tt;
            if (!kmt__vrp_eval_seq(S, v, S->seq2, n, &c, &tt, NULL)) continue;
            int64_t dc = c - r->cost;
            if (best < 0 || dc < best) {
                best = dc < 0 ? 0 : dc;
                *bi = i;
                *bj = j;
            }
        }
    return best;
}

#define BLINK 0.01

/* Positions until the next blink: geometric with parameter BLINK. */
static int blink_gap(search *X)
{
    double u = kmt_rng_double(&X->rng);
    return 1 + (int)(log(1.0 - u) / log(1.0 - BLINK));
}

/* Insert every removed task (X->removed plus cur's unassigned) greedily in
 * the order chosen at random among SISR's four; those that fit nowhere become
 * unassigned. */
static int out_of_time(search *X);
static int64_t latest_arrival(const solver *S, const vroute *r, int k, int from);

/* Best insertion of a shipment (pickup pk before index i, delivery dl before
 * index j >= i) into a route without breaks in O(len^2): for each pickup
 * position the route with the pickup is built once (O(len)), then every
 * delivery position is checked in O(1) from its caches, the load between
 * the two halves by a running maximum. Returns the cost increase or -1. */
static int64_t ins_pair_fast(search *X, const vroute *r, int pk, int dl, int *bi, int *bj)
{
    solver *S = X->S;
    int len = r->len, v = r->veh, D = S->D, LL = S->LL;
    if (len + 2 > S->vmaxtasks[v]) return -1;
    if ((S->tskill[pk] | S->tskill[dl]) & ~S->vskill[v]) return -1;
    const int64_t *ttm = S->ctt[S->vcls[v]], *cm = S->ccost[S->vcls[v]];
    const int64_t *cap = &S->vcap[(size_t)v * D];
    vroute *sc = &X->scratch;
    sc->veh = v;
    int64_t best = -1;
    int ld = S->tloc[dl];
    for (int i = 0; i <= len; i++) {
        memcpy(sc->t, r->t, sizeof(int) * (size_t)i);
        sc->t[i] = pk;
        memcpy(sc->t + i + 1, r->t + i, sizeof(int) * (size_t)(len - i));
        sc->len = len + 1;
        route_update(S, sc);
        if (sc->bad) continue;
        int64_t runmax[KMT_VRP_MAX_DIMS];
        for (int d = 0; d < D; d++) runmax[d] = sc->load[(size_t)(i + 1) * D + d];
        for (int p = i + 2; p <= len + 2; p++) {
            int over = 0;
            for (int d = 0; d < D; d++) {
                int64_t x = sc->load[(size_t)(p - 1) * D + d];
                if (x > runmax[d]) runmax[d] = x;
                if (runmax[d] > cap[d]) over = 1;
            }
            if (over) break; /* later positions carry the amount even further */
            int la = node_loc(S, sc, p - 1), lb = node_loc(S, sc, p);
            int64_t dd = S->tserv[dl] + (la != ld ? S->tsetup[dl] : 0);
            int64_t st = wstart(S, dl, sc->es[p - 1] + sc->dur[p - 1] + ttm[(size_t)la * LL + ld]);
            if (st == TNONE) continue;
            int64_t lat = latest_arrival(S, sc, p, ld);
            if (lat == TNONE || st + dd + ttm[(size_t)ld * LL + lb] > lat) continue;
            if (sc->tt + ttm[(size_t)la * LL + ld] + ttm[(size_t)ld * LL + lb] - ttm[(size_t)la * LL + lb] > S->vmaxtt[v])
                continue;
            if (S->cdist) {
                const int64_t *dm = S->cdist[S->vcls[v]];
                if (sc->dist + dm[(size_t)la * LL + ld] + dm[(size_t)ld * LL + lb] - dm[(size_t)la * LL + lb] >
                    S->vmaxdist[v])
                    continue;
            }
            int64_t dc = sc->cost + cm[(size_t)la * LL + ld] + cm[(size_t)ld * LL + lb] - cm[(size_t)la * LL + lb] -
                         r->cost;
            if (best < 0 || dc < best) {
                best = dc < 0 ? 0 : dc;
                *bi = i;
                *bj = p - 2;
            }
        }
    }
    return best;
}

static void recreate(search *X, int use_absences)
{
    solver *S = X->S;
    vsol *s = &X->cur;
    /* the pool: removed tasks + previously unassigned */
    for (int i = 0; i < s->nun; i++) {
        X->removed[X->nremoved++] = s->un[i];
        S->where[s->un[i]] = -2;
    }
    s->nun = 0;
    int n = X->nremoved;
    int *pool = X->removed;
    double r = kmt_rng_double(&X->rng);
    int mode = r < 4.0 / 11 ? 0 : r < 8.0 / 11 ? 1 : r < 10.0 / 11 ? 2 : 3;
    if (use_absences) mode = 4;
    for (int i = 0; i < n; i++) {
        int u = pool[i];
        int64_t k;
        switch (mode) {
        case 0: k = (int64_t)kmt_rng_below(&X->rng, 1u << 30); break;
        case 1: {
            int64_t dm = 0;
            for (int d = 0; d < S->D; d++) dm += S->tdel[(size_t)u * S->D + d] + S->tpick[(size_t)u * S->D + d];
            k = -dm;
            break;
        }
        case 2: k = -S->ctt[0][(size_t)S->tloc[u] * S->LL + (S->vstart[0] < 0 ? S->L : S->vstart[0])]; break;
        case 3: k = S->ctt[0][(size_t)S->tloc[u] * S->LL + (S->vstart[0] < 0 ? S->L : S->vstart[0])]; break;
        default: k = -(int64_t)X->absences[u] * 1024 - (int64_t)kmt_rng_below(&X->rng, 1024); break;
        }
        X->key[u] = k;
    }
    if (n > 1 && mode == 0) {
        for (int i = n - 1; i > 0; i--) {
            int j = (int)kmt_rng_below(&X->rng, (uint64_t)i + 1);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
    } else if (n > 1) {
        sort_by_key(pool, n, X->key);
    }
    for (int i = 0; i < n; i++) {
        int u = pool[i];
        if (S->where[u] != -2) continue; /* placed already with its partner */
        /* on big problems (shipments are inserted in O(len^3)) one recreate can
         * be long: past the limit, the rest is left out and the move rejected */
        if (X->searching && (i & 15) == 15 && out_of_time(X)) {
            if (S->tkind[u] == KMT_VRP_DELIVERY) continue; /* left out with its pickup */
            s->un[s->nun++] = u;
            S->where[u] = -1;
            if (S->tkind[u] == KMT_VRP_PICKUP) {
                s->un[s->nun++] = S->tpartner[u];
                S->where[S->tpartner[u]] = -1;
            }
            continue;
        }
        if (S->tkind[u] == KMT_VRP_DELIVERY) continue; /* handled with its pickup */
        int pair = S->tkind[u] == KMT_VRP_PICKUP;
        int dl = pair ? S->tpartner[u] : -1;
        int64_t best = -1;
        int bv = -1, bp = 0, bq = 0;
        /* granular pass: only routes and positions next to u's nearest
         * neighbours (and the route ends); a full pass when that finds nothing */
        int gran = X->granular > 0 && !pair;
        if (gran) {
            X->nearstamp++;
            for (int k = 0; k < X->granular; k++) X->near[S->adj[(size_t)u * S->nadj + k]] = X->nearstamp;
        }
        for (int pass = gran ? 0 : 1; pass < 2 && bv < 0; pass++) {
            X->sigstamp++;
            for (int v = 0; v < S->V; v++) {
                vroute *rt = &s->r[v];
                if (rt->len == 0) {
                    if (s->nused >= X->max_routes) continue;
                    int sg = S->vsig[v];
                    if (X->sig_stamp[sg] == X->sigstamp) continue;
                    X->sig_stamp[sg] = X->sigstamp;
                }
                if ((S->tskill[u] & ~S->vskill[v])) continue;
                if (pair || S->vslow[v]) {
                    if (pass == 0) continue;
                    int pi = 0, pj = 0;
                    int64_t dc = pair && !S->vslow[v] && X->pair_fast ? ins_pair_fast(X, rt, u, dl, &pi, &pj)
                                                                     : ins_full(X, rt, u, dl, &pi, &pj);
                    if (dc >= 0 && (best < 0 || dc < best)) {
                        best = dc;
                        bv = v;
                        bp = pi;
                        bq = pj;
                    }
                    continue;
                }
                if (rt->len >= S->vmaxtasks[v]) continue;
                int len = rt->len;
                for (int p = 1; p <= len + 1; p++) {
                    if (--X->blink_cd <= 0) {
                        X->blink_cd = blink_gap(X);
                        continue;
                    }
                    if (pass == 0 && p > 1 && p <= len && X->near[rt->t[p - 2]] != X->nearstamp &&
                        X->near[rt->t[p - 1]] != X->nearstamp)
                        continue;
                    int64_t dc = ins_fast(S, rt, u, p);
                    if (dc >= 0 && (best < 0 || dc < best)) {
                        best = dc;
                        bv = v;
                        bp = p - 1;
                    }
                }
            }
        }
        if (bv < 0) {
            s->un[s->nun++] = u;
            S->where[u] = -1;
            if (pair) {
                s->un[s->nun++] = dl;
                S->where[dl] = -1;
            }
            continue;
        }
        touch(X, bv);
        vroute *rt = &s->r[bv];
        if (rt->len == 0) s->nused++;
        s->cost -= rt->cost;
        if (pair || S->vslow[bv]) {
            int nn = splice(rt, u, bp, dl, bq, S->seq2);
            memcpy(rt->t, S->seq2, sizeof(int) * (size_t)nn);
            rt->len = nn;
            route_update(S, rt);
        } else {
            route_insert(S, rt, u, bp);
        }
        s->cost += rt->cost;
        index_route(S, rt);
    }
    X->nremoved = 0;
    recount_used(X);
}

/* ---- local search: relocate and 2-opt* with O(1) checks ------------- */

/* Latest arrival at node k of route r when its predecessor is at `from`
 * (the node's setup depends on it). TNONE if none. */
static int64_t latest_arrival(const solver *S, const vroute *r, int k, int from)
{
    if (k > r->len) return r->ls[k];
    int u = r->t[k - 1];
    int64_t d = S->tserv[u] + (from != S->tloc[u] ? S->tsetup[u] : 0);
    if (d == r->dur[k]) return r->ls[k];
    return wlatest(S, u, r->ls[k + 1] - d - S->ctt[S->vcls[r->veh]][(size_t)S->tloc[u] * S->LL + node_loc(S, r, k + 1)]);
}

/* Apply new contents to route v of the current solution. */
static void set_route(search *X, int v, const int *t, int len)
{
    vroute *r = &X->cur.r[v];
    touch(X, v);
    X->cur.cost -= r->cost;
    memmove(r->t, t, sizeof(int) * (size_t)len);
    r->len = len;
    route_update(X->S, r);
    X->cur.cost += r->cost;
    index_route(X->S, r);
}

/* 2-opt*: exchange the tails of u's route after u and of a neighbour c's
 * route from c on (u then c). Identical vehicles without breaks, deliveries
 * only (pure-delivery loads make the capacity check O(D)). */
static int ls_two_opt_star(search *X, int u)
{
    solver *S = X->S;
    int v1 = S->where[u], D = S->D, LL = S->LL;
    vroute *r1 = &X->cur.r[v1];
    if (S->vslow[v1]) return 0;
    int i = S->pos[u] + 1, lu = S->tloc[u];
    const int64_t *ttm = S->ctt[S->vcls[v1]], *cm = S->ccost[S->vcls[v1]];
    for (int g = 0; g < X->granular; g++) {
        int c = S->adj[(size_t)u * S->nadj + g];
        int v2 = S->where[c];
        if (v2 < 0 || v2 == v1 || S->vsig[v2] != S->vsig[v1] || S->vslow[v2]) continue;
        vroute *r2 = &X->cur.r[v2];
        int j = S->pos[c]; /* c is node j+1 of r2 */
        int len1 = r1->len, len2 = r2->len, lc = S->tloc[c];
        if (i + len2 - j > S->vmaxtasks[v1] || j + len1 - i > S->vmaxtasks[v2]) continue;
        if (S->vskill[v1] != S->vskill[v2]) continue;
        /* times */
        int64_t arr1 = r1->es[i] + r1->dur[i] + ttm[(size_t)lu * LL + lc];
        int64_t lat1 = latest_arrival(S, r2, j + 1, lu);
        if (lat1 == TNONE || arr1 > lat1) continue;
        int l2j = node_loc(S, r2, j), l1n = node_loc(S, r1, i + 1);
        int64_t arr2 = r2->es[j] + r2->dur[j] + ttm[(size_t)l2j * LL + l1n];
        int64_t lat2 = latest_arrival(S, r1, i + 1, l2j);
        if (lat2 == TNONE || arr2 > lat2) continue;
        /* loads: deliveries only, so the start load is the maximum */
        int ok = 1;
        for (int d = 0; d < D && ok; d++) {
            int64_t a = r1->load[d] - r1->load[(size_t)i * D + d] + r2->load[(size_t)j * D + d];
            int64_t b = r2->load[d] - r2->load[(size_t)j * D + d] + r1->load[(size_t)i * D + d];
            int64_t cap = S->vcap[(size_t)v1 * D + d];
            if (a > cap || b > cap) ok = 0;
        }
        if (!ok) continue;
        int empty2 = j == 0 && i == len1;
        int64_t tt1 = r1->ctt[i] + ttm[(size_t)lu * LL + lc] + r2->tt - r2->ctt[j + 1];
        int64_t tt2 = r2->ctt[j] + ttm[(size_t)l2j * LL + l1n] + r1->tt - r1->ctt[i + 1];
        if (tt1 > S->vmaxtt[v1] || (!empty2 && tt2 > S->vmaxtt[v2])) continue;
        if (S->cdist) {
            const int64_t *dm = S->cdist[S->vcls[v1]];
            int64_t d1 = r1->cd[i] + dm[(size_t)lu * LL + lc] + r2->dist - r2->cd[j + 1];
            int64_t d2 = r2->cd[j] + dm[(size_t)l2j * LL + l1n] + r1->dist - r1->cd[i + 1];
            if (d1 > S->vmaxdist[v1] || (!empty2 && d2 > S->vmaxdist[v2])) continue;
        }
        int64_t c1 = S->vfixed[v1] + r1->cc[i] + cm[(size_t)lu * LL + lc] + r2->cc[len2 + 1] - r2->cc[j + 1];
        int64_t c2 = empty2 ? 0
                            : S->vfixed[v2] + r2->cc[j] + cm[(size_t)l2j * LL + l1n] + r1->cc[len1 + 1] - r1->cc[i + 1];
        if (c1 + c2 >= r1->cost + r2->cost) continue;
        /* apply */
        int n1 = 0, n2 = 0;
        for (int k = 0; k < i; k++) S->seq[n1++] = r1->t[k];
        for (int k = j; k < len2; k++) S->seq[n1++] = r2->t[k];
        for (int k = 0; k < j; k++) S->seq2[n2++] = r2->t[k];
        for (int k = i; k < len1; k++) S->seq2[n2++] = r1->t[k];
        set_route(X, v1, S->seq, n1);
        set_route(X, v2, S->seq2, n2);
        if (n2 == 0) X->cur.nused--;
        return 1;
    }
    return 0;
}

/* ---- local search: moves that change a route in one place ----------- */

/* Route r's tasks with nodes k0+1..k1-1 replaced by mid (nodes 0..k0 and
 * k1..len+1 kept), into out; returns the new length. */
static int build_seq(const vroute *r, int k0, const int *mid, int nmid, int k1, int *out)
{
    int n = 0;
    for (int k = 1; k <= k0; k++) out[n++] = r->t[k - 1];
    for (int i = 0; i < nmid; i++) out[n++] = mid[i];
    for (int k = k1; k <= r->len; k++) out[n++] = r->t[k - 1];
    return n;
}

/* Cost of route r with nodes k0+1..k1-1 replaced by the tasks mid[0..nmid)
 * (0 <= k0 < k1 <= len+1), fixed cost included, 0 when the result is empty;
 * -1 when infeasible. For routes without breaks it walks only mid: the
 * prefix is known by its earliest times and loads, the suffix by its latest
 * arrival and maximum loads (O(nmid * D) plus O(k1-k0) for the loads of
 * the replaced part); routes with breaks are evaluated whole. */
static int64_t seg_eval(search *X, const vroute *r, int k0, const int *mid, int nmid, int k1)
{
    solver *S = X->S;
    int v = r->veh, len = r->len, D = S->D, LL = S->LL;
    int newlen = k0 + nmid + len + 1 - k1;
    if (newlen == 0) return 0;
    if (newlen > S->vmaxtasks[v]) return -1;
    for (int i = 0; i < nmid; i++)
        if (S->tskill[mid[i]] & ~S->vskill[v]) return -1;
    if (S->vslow[v]) {
        int n = build_seq(r, k0, mid, nmid, k1, X->evbuf);
        int64_t c, tt;
        return kmt__vrp_eval_seq(S, v, X->evbuf, n, &c, &tt, NULL) ? c : -1;
    }
    const int64_t *ttm = S->ctt[S->vcls[v]], *cm = S->ccost[S->vcls[v]];
    const int64_t *dm = S->cdist ? S->cdist[S->vcls[v]] : NULL;
    int loc = node_loc(S, r, k0);
    int64_t t = r->es[k0] + r->dur[k0], tt = r->ctt[k0], c = r->cc[k0], dist = r->cd[k0];
    for (int i = 0; i < nmid; i++) {
        int m = mid[i], l = S->tloc[m];
        int64_t leg = ttm[(size_t)loc * LL + l];
        if (dm) dist += dm[(size_t)loc * LL + l];
        int64_t s = wstart(S, m, t + leg);
        if (s == TNONE) return -1;
        t = s + S->tserv[m] + (loc != l ? S->tsetup[m] : 0);
        tt += leg;
        c += cm[(size_t)loc * LL + l];
        loc = l;
    }
    int lk = node_loc(S, r, k1);
    int64_t leg = ttm[(size_t)loc * LL + lk];
    int64_t lat = latest_arrival(S, r, k1, loc);
    if (lat == TNONE || t + leg > lat) return -1;
    tt += leg + r->tt - r->ctt[k1];
    if (tt > S->vmaxtt[v]) return -1;
    if (dm && dist + dm[(size_t)loc * LL + lk] + r->dist - r->cd[k1] > S->vmaxdist[v]) return -1;
    c += cm[(size_t)loc * LL + lk] + r->cc[len + 1] - r->cc[k1];
    const int64_t *cap = &S->vcap[(size_t)v * D];
    for (int d = 0; d < D; d++) {
        /* start load changes by the deliveries of jobs in and out; the
         * suffix's loads also by the net change of the middle */
        int64_t sin = 0, sout = 0, nin = 0, nout = 0;
        for (int i = 0; i < nmid; i++) {
            int m = mid[i];
            if (S->tkind[m] == KMT_VRP_JOB) sin += S->tdel[(size_t)m * D + d];
            nin += S->tpick[(size_t)m * D + d] - S->tdel[(size_t)m * D + d];
        }
        for (int k = k0 + 1; k < k1; k++) {
            int m = r->t[k - 1];
            if (S->tkind[m] == KMT_VRP_JOB) sout += S->tdel[(size_t)m * D + d];
            nout += S->tpick[(size_t)m * D + d] - S->tdel[(size_t)m * D + d];
        }
        int64_t delta = sin - sout;
        if (delta > 0 && r->pmax[(size_t)k0 * D + d] + delta > cap[d]) return -1;
        int64_t x = r->load[(size_t)k0 * D + d] + delta;
        for (int i = 0; i < nmid; i++) {
            int m = mid[i];
            x += S->tpick[(size_t)m * D + d] - S->tdel[(size_t)m * D + d];
            if (x > cap[d]) return -1;
        }
        int64_t shift = delta + nin - nout;
        if (shift > 0 && r->smax[(size_t)k1 * D + d] + shift > cap[d]) return -1;
    }
    return S->vfixed[v] + c;
}

/* Objective change of giving route r a new cost nc (a route emptied also
 * saves the per-vehicle penalty of the classic objective). */
static int64_t route_delta(const solver *S, const vroute *r, int64_t nc, int newlen)
{
    int64_t d = nc - r->cost;
    if (r->len > 0 && newlen == 0) d -= S->veh_pen;
    return d;
}

/* With tuning.verify set (tests), a route changed by local search must
 * have the cost and feasibility the move's evaluation predicted. */
static void verify_route(const search *X, int v, int64_t predicted)
{
    const vroute *r = &X->cur.r[v];
    if (!X->verify || (!r->bad && r->cost == predicted)) return;
    fprintf(stderr, "kommute: local search predicted cost %lld for route %d, got %lld%s\n",
            (long long)predicted, v, (long long)r->cost, r->bad ? " (infeasible)" : "");
    abort();
}

/* Replace part of route v (and of route w when w >= 0) as seg_eval describes;
 * c1, c2: the costs seg_eval predicted. */
static void apply_seg(search *X, int v, int k0, const int *mid, int nmid, int k1, int64_t c1, int w, int j0,
                      const int *mid2, int nmid2, int j1, int64_t c2)
{
    solver *S = X->S;
    vroute *r = &X->cur.r[v];
    int n1 = build_seq(r, k0, mid, nmid, k1, S->seq), n2 = 0;
    if (w >= 0) n2 = build_seq(&X->cur.r[w], j0, mid2, nmid2, j1, S->seq2);
    int had1 = r->len > 0, had2 = w >= 0 && X->cur.r[w].len > 0;
    set_route(X, v, S->seq, n1);
    verify_route(X, v, c1);
    if (w >= 0) {
        set_route(X, w, S->seq2, n2);
        verify_route(X, w, c2);
    }
    X->cur.nused += (n1 > 0) - had1;
    if (w >= 0) X->cur.nused += (n2 > 0) - had2;
}

/* Jobs only, consecutive: the number of jobs from node a on (at most lmax). */
static int job_run(const solver *S, const vroute *r, int a, int lmax)
{
    int l = 0;
    while (l < lmax && a + l <= r->len && S->tkind[r->t[a + l - 1]] == KMT_VRP_JOB) l++;
    return l;
}

/* Granular local search around job u, first improvement: for each of its
 * nearest neighbours c, in another route: relocate u or the string of 2-3
 * jobs it starts (or-opt, also reversed) next to c, swap it (or its
 * 2-string) with c (or c's 2-string); in the same route: relocate next to c
 * and 2-opt (reverse the path between them). Returns 1 if a move was made. */
static int ls_moves(search *X, int u)
{
    solver *S = X->S;
    int v1 = S->where[u];
    vroute *r1 = &X->cur.r[v1];
    if (r1->bad || S->tkind[u] != KMT_VRP_JOB) return 0;
    int a = S->pos[u] + 1;
    int lu = job_run(S, r1, a, X->moves_all ? 3 : 1);
    int *m1 = X->mid1, *m2 = X->mid2;
    for (int g = 0; g < X->granular; g++) {
        int c = S->adj[(size_t)u * S->nadj + g];
        int v2 = S->where[c];
        if (v2 < 0) continue;
        vroute *r2 = &X->cur.r[v2];
        if (r2->bad) continue;
        int b = S->pos[c] + 1;
        if (v2 != v1) {
            if (S->tskill[u] & ~S->vskill[v2]) continue;
            /* relocate / or-opt: string a..a+l-1 after c or before c */
            for (int l = 1; l <= lu; l++) {
                int64_t c1 = seg_eval(X, r1, a - 1, NULL, 0, a + l);
                if (c1 < 0) continue;
                int64_t d1 = route_delta(S, r1, c1, r1->len - l);
                for (int rev = 0; rev <= (l > 1); rev++) {
                    for (int i = 0; i < l; i++) m1[i] = r1->t[a - 1 + (rev ? l - 1 - i : i)];
                    for (int side = 0; side < 2; side++) {
                        int k0 = side ? b - 1 : b;
                        int64_t c2 = seg_eval(X, r2, k0, m1, l, k0 + 1);
                        if (c2 < 0 || d1 + route_delta(S, r2, c2, r2->len + l) >= 0) continue;
                        apply_seg(X, v1, a - 1, NULL, 0, a + l, c1, v2, k0, m1, l, k0 + 1, c2);
                        return 1;
                    }
                }
            }
            /* swap: u's string of 1-2 with c's string of 1-2 */
            if (!X->moves_all || S->tkind[c] != KMT_VRP_JOB || (S->tskill[c] & ~S->vskill[v1])) continue;
            int lc = job_run(S, r2, b, 2);
            for (int l1 = 1; l1 <= (lu < 2 ? lu : 2); l1++)
                for (int l2 = 1; l2 <= lc; l2++) {
                    for (int i = 0; i < l1; i++) m2[i] = r1->t[a - 1 + i];
                    for (int i = 0; i < l2; i++) m1[i] = r2->t[b - 1 + i];
                    int64_t c1 = seg_eval(X, r1, a - 1, m1, l2, a + l1);
                    if (c1 < 0) continue;
                    int64_t c2 = seg_eval(X, r2, b - 1, m2, l1, b + l2);
                    if (c2 < 0 || c1 - r1->cost + c2 - r2->cost >= 0) continue;
                    apply_seg(X, v1, a - 1, m1, l2, a + l1, c1, v2, b - 1, m2, l1, b + l2, c2);
                    return 1;
                }
        } else if (X->moves_all) {
            /* same route: relocate u's string after c */
            for (int l = 1; l <= lu; l++) {
                if (b >= a - 1 && b < a + l) continue; /* c inside, or u already after c */
                int k0, k1, n = 0;
                if (b < a) {
                    k0 = b;
                    k1 = a + l;
                    for (int i = 0; i < l; i++) m1[n++] = r1->t[a - 1 + i];
                    for (int k = b + 1; k < a; k++) m1[n++] = r1->t[k - 1];
                } else {
                    k0 = a - 1;
                    k1 = b + 1;
                    for (int k = a + l; k <= b; k++) m1[n++] = r1->t[k - 1];
                    for (int i = 0; i < l; i++) m1[n++] = r1->t[a - 1 + i];
                }
                int64_t c1 = seg_eval(X, r1, k0, m1, n, k1);
                if (c1 < 0 || c1 >= r1->cost) continue;
                apply_seg(X, v1, k0, m1, n, k1, c1, -1, 0, NULL, 0, 0, 0);
                return 1;
            }
            /* 2-opt: reverse the path so that u and c become adjacent */
            int lo = a < b ? a + 1 : b, hi = a < b ? b : a - 1;
            if (hi - lo < 1) continue;
            int n = 0, ok = 1;
            for (int k = hi; k >= lo && ok; k--) {
                int m = r1->t[k - 1];
                if (S->tkind[m] != KMT_VRP_JOB) ok = 0;
                m1[n++] = m;
            }
            if (!ok) continue;
            int64_t c1 = seg_eval(X, r1, lo - 1, m1, n, hi + 1);
            if (c1 < 0 || c1 >= r1->cost) continue;
            apply_seg(X, v1, lo - 1, m1, n, hi + 1, c1, -1, 0, NULL, 0, 0, 0);
            return 1;
        }
    }
    return 0;
}

/* SWAP* (Vidal 2022): exchange job u of route A with job w of route B, each
 * inserted at its cheapest place in the other route rather than in the
 * other's place. Insertion costs are estimated from arc costs with the three
 * cheapest positions per job and route (as in the paper); the few best
 * estimated exchanges are then evaluated exactly (time windows, loads,
 * breaks) in order, the first that lowers the cost applied. O(|A| |B|). */
#define SWS_K 4

typedef struct top3 {
    int64_t c[3];
    int p[3]; /* insert after node p of the other route; -1 unused */
} top3;

static void top3_fill(const solver *S, const vroute *r, int u, top3 *t)
{
    const int64_t *cm = S->ccost[S->vcls[r->veh]];
    int LL = S->LL, lu = S->tloc[u];
    for (int i = 0; i < 3; i++) {
        t->c[i] = INT64_MAX;
        t->p[i] = -1;
    }
    for (int p = 0; p <= r->len; p++) {
        int la = node_loc(S, r, p), lb = node_loc(S, r, p + 1);
        int64_t c = cm[(size_t)la * LL + lu] + cm[(size_t)lu * LL + lb] - cm[(size_t)la * LL + lb];
        if (c >= t->c[2]) continue;
        int i = 2;
        while (i > 0 && c < t->c[i - 1]) {
            t->c[i] = t->c[i - 1];
            t->p[i] = t->p[i - 1];
            i--;
        }
        t->c[i] = c;
        t->p[i] = p;
    }
}

/* Removal saving of the task at node k of r. */
static int64_t removal_gain(const solver *S, const vroute *r, int k)
{
    const int64_t *cm = S->ccost[S->vcls[r->veh]];
    int LL = S->LL, la = node_loc(S, r, k - 1), lu = node_loc(S, r, k), lb = node_loc(S, r, k + 1);
    return cm[(size_t)la * LL + lu] + cm[(size_t)lu * LL + lb] - cm[(size_t)la * LL + lb];
}

/* Cheapest estimated insertion of u into r without the task at node k
 * (which u replaces): in k's place, or a top-3 position not next to k. */
static int64_t ins_without(const solver *S, const vroute *r, int u, int k, const top3 *t, int *pos)
{
    const int64_t *cm = S->ccost[S->vcls[r->veh]];
    int LL = S->LL, la = node_loc(S, r, k - 1), lb = node_loc(S, r, k + 1), lu = S->tloc[u];
    int64_t best = cm[(size_t)la * LL + lu] + cm[(size_t)lu * LL + lb] - cm[(size_t)la * LL + lb];
    *pos = k - 1;
    for (int i = 0; i < 3; i++) {
        if (t->p[i] < 0 || t->p[i] == k - 1 || t->p[i] == k) continue;
        if (t->c[i] < best) {
            best = t->c[i];
            *pos = t->p[i];
        }
        break;
    }
    return best;
}

/* r's tasks without the one at node k, with u inserted after node p. */
static int build_exchange(const vroute *r, int k, int u, int p, int *out)
{
    int n = 0;
    if (p == 0) out[n++] = u;
    for (int j = 1; j <= r->len; j++) {
        if (j != k) out[n++] = r->t[j - 1];
        if (j == p) out[n++] = u;
    }
    return n;
}

static int ls_swap_star(search *X, int va, int vb)
{
    solver *S = X->S;
    vroute *A = &X->cur.r[va], *B = &X->cur.r[vb];
    if (A->bad || B->bad || A->len == 0 || B->len == 0) return 0;
    top3 *ta = X->top_ab, *tb = X->top_ba; /* ta[i]: A's i-th task into B; tb[j]: B's j-th into A */
    for (int i = 0; i < A->len; i++)
        if (S->tkind[A->t[i]] == KMT_VRP_JOB && !(S->tskill[A->t[i]] & ~S->vskill[vb])) top3_fill(S, B, A->t[i], &ta[i]);
    for (int j = 0; j < B->len; j++)
        if (S->tkind[B->t[j]] == KMT_VRP_JOB && !(S->tskill[B->t[j]] & ~S->vskill[va])) top3_fill(S, A, B->t[j], &tb[j]);
    int64_t kc[SWS_K];
    int ki[SWS_K], kj[SWS_K], kpa[SWS_K], kpb[SWS_K], nk = 0;
    for (int i = 0; i < A->len; i++) {
        int u = A->t[i];
        if (S->tkind[u] != KMT_VRP_JOB || (S->tskill[u] & ~S->vskill[vb])) continue;
        int64_t ga = removal_gain(S, A, i + 1);
        for (int j = 0; j < B->len; j++) {
            int w = B->t[j];
            if (S->tkind[w] != KMT_VRP_JOB || (S->tskill[w] & ~S->vskill[va])) continue;
            int pb, pa;
            int64_t est = ins_without(S, B, u, j + 1, &ta[i], &pb) - removal_gain(S, B, j + 1) +
                          ins_without(S, A, w, i + 1, &tb[j], &pa) - ga;
            if (est >= 0 || (nk == SWS_K && est >= kc[nk - 1])) continue;
            int q = nk < SWS_K ? nk++ : SWS_K - 1;
            while (q > 0 && est < kc[q - 1]) {
                kc[q] = kc[q - 1]; ki[q] = ki[q - 1]; kj[q] = kj[q - 1]; kpa[q] = kpa[q - 1]; kpb[q] = kpb[q - 1];
                q--;
            }
            kc[q] = est; ki[q] = i; kj[q] = j; kpa[q] = pa; kpb[q] = pb;
        }
    }
    for (int q = 0; q < nk; q++) {
        int na = build_exchange(A, ki[q] + 1, B->t[kj[q]], kpa[q], S->seq);
        int nb = build_exchange(B, kj[q] + 1, A->t[ki[q]], kpb[q], S->seq2);
        int64_t ca, cb, tt;
        if (!kmt__vrp_eval_seq(S, va, S->seq, na, &ca, &tt, NULL)) continue;
        if (ca - A->cost >= B->cost) continue; /* cb >= 0 */
        if (!kmt__vrp_eval_seq(S, vb, S->seq2, nb, &cb, &tt, NULL)) continue;
        if (ca + cb >= A->cost + B->cost) continue;
        set_route(X, va, S->seq, na);
        verify_route(X, va, ca);
        set_route(X, vb, S->seq2, nb);
        verify_route(X, vb, cb);
        return 1;
    }
    return 0;
}

/* SWAP* between each route this move touched and the routes of its tasks'
 * nearest neighbours. Returns 1 if an exchange was made. */
static int swap_star_pass(search *X)
{
    solver *S = X->S;
    int improved = 0, nt = X->ntouched;
    for (int i = 0; i < nt; i++) {
        int va = X->touched[i];
        X->pairstamp++;
        X->pair_seen[va] = X->pairstamp;
        for (int k = 0; k < X->cur.r[va].len; k++) {
            int u = X->cur.r[va].t[k];
            for (int g = 0; g < 5 && g < S->nadj; g++) {
                int vb = S->where[S->adj[(size_t)u * S->nadj + g]];
                if (vb < 0 || X->pair_seen[vb] == X->pairstamp) continue;
                X->pair_seen[vb] = X->pairstamp;
                if (ls_swap_star(X, va, vb)) improved = 1;
            }
        }
    }
    return improved;
}

/* Relocate and 2-opt* until no move improves (at most a few passes). */
static void local_search(search *X)
{
    solver *S = X->S;
    if (X->granular <= 0) return;
    /* the tasks of the routes this move changed */
    int n = 0;
    for (int i = 0; i < X->ntouched; i++) {
        const vroute *r = &X->cur.r[X->touched[i]];
        for (int k = 0; k < r->len; k++) X->lsq[n++] = r->t[k];
    }
    if (n == 0) return;
    int start = (int)kmt_rng_below(&X->rng, (uint64_t)n);
    for (int pass = 0; pass < 4; pass++) {
        int improved = 0;
        for (int k = 0; k < n; k++) {
            int u = X->lsq[(start + k) % n];
            if (S->where[u] < 0) continue;
            if (ls_moves(X, u)) improved = 1;
            else if (S->where[u] >= 0 && X->pure_delivery && ls_two_opt_star(X, u)) improved = 1;
        }
        if (X->moves_all && X->swap_star && swap_star_pass(X)) improved = 1;
        if (!improved) break;
    }
}

/* ---- driver --------------------------------------------------------- */

/* The threads searching together: they meet at the end of each epoch and
 * all continue from the best plan found so far (a barrier, then a copy, then
 * a barrier), so the result depends only on the seed and the thread count
 * when the search is bounded by iterations. */
typedef struct team {
    int n;
    search **w;
    pthread_barrier_t bar;
    pthread_mutex_t mu;  /* progress reports */
    int64_t reported;    /* best objective reported so far */
} team;

/* Under cpu_clock each thread's budget is its own CPU time. */
static double now(const search *X) { return X->opts->cpu_clock ? kmt_now_thread_cpu() : kmt_now_monotonic(); }
static double elapsed(const search *X) { return now(X) - X->t0; }

static int out_of_time(search *X)
{
    if (X->opts->stop && *X->opts->stop) return 1;
    if (X->max_iter > 0 && X->iter >= X->max_iter) return 1;
    if (X->max_iter > 0 && X->opts->time_limit <= 0) return 0;
    return now(X) >= X->deadline;
}

static void note_best(search *X)
{
    int64_t o = sol_obj(X->S, &X->cur);
    if (o >= X->best_obj) return;
    X->best_obj = o;
    sol_copy(X->S, &X->best, &X->cur);
    X->best_time = elapsed(X);
    if (!X->opts->progress) return;
    team *T = X->team;
    pthread_mutex_lock(&T->mu);
    if (o < T->reported) {
        T->reported = o;
        X->opts->progress(X->opts->progress_ctx, X->best_time, X->cur.nused,
                          (double)X->cur.cost / X->S->p->cost_scale, X->cur.nun);
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

static void build_neighbours(solver *S)
{
    int n = S->n;
    S->nadj = n - 1 < 100 ? n - 1 : 100;
    if (S->nadj <= 0) return;
    S->adj = kmt_malloc(sizeof(int) * (size_t)n * (size_t)S->nadj);
    int64_t *d = kmt_malloc(sizeof(int64_t) * (size_t)n);
    int *idx = kmt_malloc(sizeof(int) * (size_t)n);
    const int64_t *cm = S->ccost[0];
    for (int i = 0; i < n; i++) {
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            int64_t a = cm[(size_t)S->tloc[i] * S->LL + S->tloc[j]], b = cm[(size_t)S->tloc[j] * S->LL + S->tloc[i]];
            d[j] = a < b ? a : b;
            idx[m++] = j;
        }
        /* partial selection sort of the nadj nearest */
        for (int k = 0; k < S->nadj; k++) {
            int bi = k;
            for (int j = k + 1; j < m; j++)
                if (d[idx[j]] < d[idx[bi]] || (d[idx[j]] == d[idx[bi]] && idx[j] < idx[bi])) bi = j;
            int t = idx[k];
            idx[k] = idx[bi];
            idx[bi] = t;
            S->adj[(size_t)i * S->nadj + k] = idx[k];
        }
    }
    kmt_free(d);
    kmt_free(idx);
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
    while (!out_of_time(X) && elapsed(X) < until && X->best.nun == 0 && X->best.nused > lb) {
        /* remove the route with the fewest tasks (ties: random) from the best */
        sol_copy(S, &X->cur, &X->best);
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
        route_update(S, r);
        recount_used(X);
        for (int v = 0; v < S->V; v++) index_route(S, &X->cur.r[v]);
        for (int i = 0; i < X->cur.nun; i++) S->where[X->cur.un[i]] = -1;
        X->max_routes = X->cur.nused;
        /* an attempt that has not shrunk the pool of left-out tasks for a
         * fifth of the fleet budget is given up */
        double last_progress = elapsed(X), patience = 0.2 * until;
        int min_nun = X->cur.nun;
        while (X->cur.nun > 0 && !out_of_time(X) && elapsed(X) < until &&
               elapsed(X) - last_progress < patience) {
            if (X->cur.nun < min_nun) {
                min_nun = X->cur.nun;
                last_progress = elapsed(X);
            }
            X->iter++;
            int nun0 = X->cur.nun, abs0 = sol_any_unassigned_sum(X, &X->cur);
            begin_move(X);
            if (!ruin(X)) {
                X->nremoved = 0;
                revert_move(X);
                continue;
            }
            recreate(X, 1);
            for (int i = 0; i < X->cur.nun; i++) X->absences[X->cur.un[i]]++;
            if (X->cur.nun < nun0 || sol_any_unassigned_sum(X, &X->cur) < abs0) commit_move(X);
            else revert_move(X);
        }
        if (X->cur.nun > 0) break;
        X->best_obj = INT64_MAX;
        note_best(X);
    }
    sol_copy(S, &X->cur, &X->best);
    for (int v = 0; v < S->V; v++) index_route(S, &X->cur.r[v]);
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
    while (!out_of_time(X)) {
        double f = budget_frac(X, from, to);
        if (X->max_iter > 0 && X->opts->time_limit <= 0)
            f = (double)(X->iter - it0) / (double)(X->max_iter - it0);
        if (f >= stop_at) break;
        X->iter++;
        double T = T0 * pow(Tf / T0, f);
        int64_t before = sol_obj(S, &X->cur);
        begin_move(X);
        if (!ruin(X)) {
            X->nremoved = 0;
            revert_move(X);
            continue;
        }
        recreate(X, 0);
        if (X->ls_mode == 1 || (X->ls_mode == 2 && sol_obj(S, &X->cur) < before)) local_search(X);
        int64_t after = sol_obj(S, &X->cur);
        double thr = (double)before - T * log(kmt_rng_double(&X->rng) + 1e-300);
        if ((double)after < thr) {
            commit_move(X);
            if (after < X->best_obj) note_best(X);
        } else {
            revert_move(X);
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
        int pair[2] = {u, S->tpartner[u]};
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
    sol_copy(S, &X->cur, src);
    for (int v = 0; v < S->V; v++) index_route(S, &X->cur.r[v]);
    for (int i = 0; i < X->cur.nun; i++) S->where[X->cur.un[i]] = -1;
    if (obj < X->best_obj) {
        sol_copy(S, &X->best, src);
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
    begin_move(X);
    for (int v = 0; v < S->V; v++)
        if (X->cur.r[v].len > 0) touch(X, v);
    X->moves_all = 1;
    local_search(X);
    X->moves_all = X->moves_search;
    commit_move(X);
    if (sol_obj(S, &X->cur) < X->best_obj) note_best(X);
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
    if (bi != X->id) adopt(X, &T->w[bi]->best, T->w[bi]->best_obj, T->w[bi]->best_time);
    else adopt(X, &X->best, X->best_obj, X->best_time);
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
    sol_alloc(S, &X->cur);
    sol_alloc(S, &X->best);
    X->bak = kmt_calloc((size_t)S->V, sizeof(vroute));
    for (int v = 0; v < S->V; v++) route_alloc(S, &X->bak[v], v);
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
    route_alloc(S, &X->scratch, 0);
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
    sol_free(S, &X->cur);
    sol_free(S, &X->best);
    for (int v = 0; v < S->V; v++) route_free(&X->bak[v]);
    kmt_free(X->bak); kmt_free(X->touched); kmt_free(X->is_touched); kmt_free(X->ruined_stamp);
    kmt_free(X->sig_stamp); kmt_free(X->bak_un); kmt_free(X->removed); kmt_free(X->key);
    kmt_free(X->absences); kmt_free(X->near); kmt_free(X->lsq);
    kmt_free(X->mid1); kmt_free(X->mid2); kmt_free(X->evbuf);
    kmt_free(X->top_ab); kmt_free(X->top_ba); kmt_free(X->pair_seen);
    route_free(&X->scratch);
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
        route_update(S, r);
        index_route(S, r);
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
    begin_move(X);
    recreate(X, 0);
    commit_move(X);
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
                            "temperatures must be > 0 and < 1e12, got t0 %g / %g and tf %g", t->t0_cost,
                            t->t0_vehicles, t->tf);
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
    build_neighbours(&S0);
    int nt = opts->threads > 1 ? opts->threads : 1;
    /* threads share the model's read-only arrays; each has its own scratch */
    solver *Ss = kmt_calloc((size_t)nt, sizeof(solver));
    search *Xs = kmt_calloc((size_t)nt, sizeof(search));
    search **w = kmt_calloc((size_t)nt, sizeof(search *));
    team T = {.n = nt, .w = w, .reported = INT64_MAX};
    pthread_mutex_init(&T.mu, NULL);
    if (nt > 1) pthread_barrier_init(&T.bar, NULL, (unsigned)nt);
    for (int i = 0; i < nt; i++) {
        if (i > 0) kmt__vrp_model_share(&Ss[i], &S0);
        else Ss[0] = S0;
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
        stats->stopped = opts->stop && *opts->stop;
        stats->initial_routes_used = B->init_used;
        stats->initial_routes_rejected = B->init_rejected;
    }
    for (int i = 0; i < nt; i++) {
        search_free(&Xs[i]);
        if (i > 0) kmt__vrp_model_unshare(&Ss[i]);
    }
    if (nt > 1) pthread_barrier_destroy(&T.bar);
    pthread_mutex_destroy(&T.mu);
    kmt_free(Ss); kmt_free(Xs); kmt_free(w);
    kmt__vrp_model_free(&S0);
    return 0;
}
