/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The home-care planner: greedy construction and ruin and recreate with
 * simulated annealing over groups of linked tasks.
 *
 * Start times are the least solution of the difference constraints of the
 * plan (route order with travel and service, window starts, links in both
 * directions): every start as early as possible, which minimises lateness
 * for the chosen sequences. Inserting a task only raises that solution, so
 * an insertion is evaluated by propagating increases from the new task
 * (a work list over route successors and link partners) and rolled back
 * from an undo log; removals recompute the schedule from scratch.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/hhc.h"

#define EPS 1e-9
#define TOPK 5
#define MAX_UPDATES 10

typedef struct ivec {
    int *v;
    int n, cap;
} ivec;

typedef struct state {
    ivec *seq;             /* per route (shift): tasks in order */
    int *route, *pos;      /* per task; route -1 when unassigned */
    double *s;             /* per task: start of service */
    double *rtime, *rdist; /* per route: travel time / distance */
    double *cwork;         /* per carer: service + travel minutes */
    double late_sum, late_max;
    int npref, nassigned;
} state;

/* An undo entry: a start-time change (t, old) or an insertion (t, NAN flag). */
typedef struct undo {
    int t;
    int insert;
    double old;
} undo;

typedef struct mark {
    int n;
    double late_sum, late_max;
} mark;

typedef struct cand {
    int r, i;
    double lb;   /* lower bound of the delta: travel plus the lateness that must follow */
    double base; /* travel and preference part of the delta */
    double delta;
} cand;

typedef struct solver {
    const kmt_hhc_problem *p;
    int T, R;
    unsigned char *allowed, *nonpref; /* T x R */
    int *adj_off, *adj;               /* links touching each task */
    int ngroups, *grp_of, *grp_off, *grp_tasks;
    int nnb, *nb; /* nnb nearest tasks of each task */
    state cur, best, save;
    int *heap; /* work list: a binary heap of tasks by start time at push */
    double *hkey;
    unsigned char *inq;
    int qn;
    undo *log;
    int nlog, caplog;
    cand *cands;
    int ncands, capcands;
    int *upd;        /* updates of each task in the current propagation */
    unsigned *stamp; /* propagation in which upd was last reset */
    unsigned gen;
    const double *cur_s; /* start times of the state being propagated (heap keys) */
    kmt_rng rng;
    double blink;
    long pops_limit;
} solver;

static const kmt_hhc_task *TK(const solver *S, int t)
{
    return &S->p->tasks[t];
}
static int carer_of(const solver *S, int r)
{
    return S->p->shifts[r].carer;
}
static int mode_of(const solver *S, int r)
{
    return S->p->carers[S->p->shifts[r].carer].mode;
}

static void ivec_reserve(ivec *a, int want)
{
    if (want <= a->cap) return;
    int nc = a->cap ? a->cap : 8;
    while (nc < want) nc *= 2;
    a->v = kmt_realloc(a->v, (size_t)nc * sizeof(int));
    a->cap = nc;
}

static void state_alloc(const solver *S, state *st)
{
    memset(st, 0, sizeof *st);
    st->seq = kmt_calloc((size_t)S->R, sizeof(ivec));
    st->route = kmt_malloc((size_t)(S->T ? S->T : 1) * sizeof(int));
    st->pos = kmt_calloc((size_t)(S->T ? S->T : 1), sizeof(int));
    st->s = kmt_calloc((size_t)(S->T ? S->T : 1), sizeof(double));
    for (int t = 0; t < S->T; t++) st->route[t] = -1;
    st->rtime = kmt_calloc((size_t)S->R, sizeof(double));
    st->rdist = kmt_calloc((size_t)S->R, sizeof(double));
    st->cwork = kmt_calloc((size_t)(S->p->ncarers ? S->p->ncarers : 1), sizeof(double));
}

static void state_free(const solver *S, state *st)
{
    if (!st->seq) return;
    for (int r = 0; r < S->R; r++) kmt_free(st->seq[r].v);
    kmt_free(st->seq);
    kmt_free(st->route);
    kmt_free(st->pos);
    kmt_free(st->s);
    kmt_free(st->rtime);
    kmt_free(st->rdist);
    kmt_free(st->cwork);
}

static void state_copy(const solver *S, state *dst, const state *src)
{
    for (int r = 0; r < S->R; r++) {
        ivec_reserve(&dst->seq[r], src->seq[r].n);
        if (src->seq[r].n) memcpy(dst->seq[r].v, src->seq[r].v, (size_t)src->seq[r].n * sizeof(int));
        dst->seq[r].n = src->seq[r].n;
    }
    size_t T = (size_t)S->T;
    memcpy(dst->route, src->route, T * sizeof(int));
    memcpy(dst->pos, src->pos, T * sizeof(int));
    memcpy(dst->s, src->s, T * sizeof(double));
    memcpy(dst->rtime, src->rtime, (size_t)S->R * sizeof(double));
    memcpy(dst->rdist, src->rdist, (size_t)S->R * sizeof(double));
    memcpy(dst->cwork, src->cwork, (size_t)S->p->ncarers * sizeof(double));
    dst->late_sum = src->late_sum;
    dst->late_max = src->late_max;
    dst->npref = src->npref;
    dst->nassigned = src->nassigned;
}

/* ---- route travel ------------------------------------------------------ */

static void route_travel(const solver *S, const state *st, int r, double *tm, double *ds)
{
    const kmt_hhc_problem *p = S->p;
    const ivec *q = &st->seq[r];
    *tm = *ds = 0;
    if (q->n == 0) return;
    int m = mode_of(S, r), prev = p->shifts[r].start_location;
    for (int k = 0; k < q->n; k++) {
        int l = TK(S, q->v[k])->location;
        *tm += kmt_hhc_time(p, m, prev, l);
        *ds += kmt_hhc_dist(p, m, prev, l);
        prev = l;
    }
    *tm += kmt_hhc_time(p, m, prev, p->shifts[r].end_location);
    *ds += kmt_hhc_dist(p, m, prev, p->shifts[r].end_location);
}

/* Travel added by putting t at position i of route r. */
static void insert_delta(const solver *S, const state *st, int t, int r, int i, double *dt, double *dd)
{
    const kmt_hhc_problem *p = S->p;
    const ivec *q = &st->seq[r];
    int m = mode_of(S, r), l = TK(S, t)->location;
    int a = i == 0 ? p->shifts[r].start_location : TK(S, q->v[i - 1])->location;
    int b = i == q->n ? p->shifts[r].end_location : TK(S, q->v[i])->location;
    *dt = kmt_hhc_time(p, m, a, l) + kmt_hhc_time(p, m, l, b);
    *dd = kmt_hhc_dist(p, m, a, l) + kmt_hhc_dist(p, m, l, b);
    if (q->n > 0) {
        *dt -= kmt_hhc_time(p, m, a, b);
        *dd -= kmt_hhc_dist(p, m, a, b);
    }
}

static void seq_insert(solver *S, state *st, int t, int r, int i)
{
    ivec *q = &st->seq[r];
    double dt, dd;
    insert_delta(S, st, t, r, i, &dt, &dd);
    ivec_reserve(q, q->n + 1);
    memmove(q->v + i + 1, q->v + i, (size_t)(q->n - i) * sizeof(int));
    q->v[i] = t;
    q->n++;
    for (int k = i; k < q->n; k++) st->pos[q->v[k]] = k;
    st->route[t] = r;
    st->rtime[r] += dt;
    st->rdist[r] += dd;
    st->cwork[carer_of(S, r)] += dt + TK(S, t)->duration;
    st->npref += S->nonpref[(size_t)t * (size_t)S->R + (size_t)r];
    st->nassigned++;
}

static void seq_remove(solver *S, state *st, int t)
{
    int r = st->route[t], i = st->pos[t];
    ivec *q = &st->seq[r];
    memmove(q->v + i, q->v + i + 1, (size_t)(q->n - i - 1) * sizeof(int));
    q->n--;
    for (int k = i; k < q->n; k++) st->pos[q->v[k]] = k;
    st->route[t] = -1;
    double ot = st->rtime[r];
    route_travel(S, st, r, &st->rtime[r], &st->rdist[r]);
    st->cwork[carer_of(S, r)] += st->rtime[r] - ot - TK(S, t)->duration;
    st->npref -= S->nonpref[(size_t)t * (size_t)S->R + (size_t)r];
    st->nassigned--;
}

/* ---- schedule propagation ------------------------------------------- */

static void push(solver *S, int t)
{
    if (t < 0 || S->inq[t]) return;
    S->inq[t] = 1;
    double k = S->cur_s[t];
    int i = S->qn++;
    while (i > 0) {
        int up = (i - 1) / 2;
        if (S->hkey[up] <= k) break;
        S->heap[i] = S->heap[up];
        S->hkey[i] = S->hkey[up];
        i = up;
    }
    S->heap[i] = t;
    S->hkey[i] = k;
}

static int pop(solver *S)
{
    int top = S->heap[0], last = S->heap[--S->qn];
    double k = S->hkey[S->qn];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= S->qn) break;
        if (c + 1 < S->qn && S->hkey[c + 1] < S->hkey[c]) c++;
        if (S->hkey[c] >= k) break;
        S->heap[i] = S->heap[c];
        S->hkey[i] = S->hkey[c];
        i = c;
    }
    if (S->qn > 0) {
        S->heap[i] = last;
        S->hkey[i] = k;
    }
    S->inq[top] = 0;
    return top;
}

static void log_push(solver *S, int t, int insert, double old)
{
    if (S->nlog == S->caplog) {
        S->caplog = S->caplog ? 2 * S->caplog : 1024;
        S->log = kmt_realloc(S->log, (size_t)S->caplog * sizeof(undo));
    }
    S->log[S->nlog++] = (undo){ t, insert, old };
}

static double required_start(const solver *S, const state *st, int t)
{
    const kmt_hhc_problem *p = S->p;
    const kmt_hhc_task *k = TK(S, t);
    int r = st->route[t], i = st->pos[t], m = mode_of(S, r);
    double arr;
    if (i == 0) {
        arr = p->shifts[r].start + kmt_hhc_time(p, m, p->shifts[r].start_location, k->location);
    } else {
        int q = st->seq[r].v[i - 1];
        arr = st->s[q] + TK(S, q)->duration + kmt_hhc_time(p, m, TK(S, q)->location, k->location);
    }
    double req = arr > k->earliest ? arr : k->earliest;
    for (int j = S->adj_off[t]; j < S->adj_off[t + 1]; j++) {
        const kmt_hhc_link *L = &p->links[S->adj[j]];
        if (L->b == t && st->route[L->a] >= 0 && st->s[L->a] + L->min > req) req = st->s[L->a] + L->min;
        if (L->a == t && st->route[L->b] >= 0 && st->s[L->b] - L->max > req) req = st->s[L->b] - L->max;
    }
    return req;
}

/* Raise start times until every constraint holds (work list in S->queue).
 * Logs changes when log is set and tracks lateness. Returns 1 if feasible. */
static int propagate(solver *S, state *st, int log)
{
    const kmt_hhc_problem *p = S->p;
    long pops = 0;
    int ok = 1;
    S->gen++;
    while (S->qn > 0) {
        int t = pop(S);
        if (!ok) continue;
        if (++pops > S->pops_limit) {
            ok = 0;
            continue;
        }
        const kmt_hhc_task *k = TK(S, t);
        double req = required_start(S, st, t), old = st->s[t];
        if (req > old + EPS) {
            if (req > KMT_HHC_MAX_TIME * 4 || (!k->soft && req > k->latest + EPS)) {
                ok = 0;
                continue;
            }
            if (log) {
                /* an insertion moves each task a few times at most; more means a
                 * positive cycle through route order and links (infeasible) */
                if (S->stamp[t] != S->gen) {
                    S->stamp[t] = S->gen;
                    S->upd[t] = 0;
                }
                if (++S->upd[t] > MAX_UPDATES) {
                    ok = 0;
                    continue;
                }
                log_push(S, t, 0, old);
            }
            st->s[t] = req;
            if (k->soft) {
                double ol = old > k->latest ? old - k->latest : 0, nl = req - k->latest;
                if (nl > 0) {
                    st->late_sum += nl - ol;
                    if (nl > st->late_max) st->late_max = nl;
                }
            }
            int r = st->route[t], i = st->pos[t];
            if (i + 1 < st->seq[r].n) {
                push(S, st->seq[r].v[i + 1]);
            }
            for (int j = S->adj_off[t]; j < S->adj_off[t + 1]; j++) {
                const kmt_hhc_link *L = &p->links[S->adj[j]];
                int o = L->a == t ? L->b : L->a;
                if (st->route[o] >= 0) push(S, o);
            }
        }
        int r = st->route[t], i = st->pos[t];
        if (i + 1 == st->seq[r].n) {
            const kmt_hhc_shift *h = &p->shifts[r];
            double end = st->s[t] + k->duration + kmt_hhc_time(p, mode_of(S, r), k->location, h->end_location);
            if (end > h->end + EPS) ok = 0;
        }
    }
    return ok;
}

static void lateness_from_scratch(solver *S, state *st)
{
    st->late_sum = st->late_max = 0;
    for (int t = 0; t < S->T; t++) {
        const kmt_hhc_task *k = TK(S, t);
        if (st->route[t] < 0 || !k->soft) continue;
        double l = st->s[t] - k->latest;
        if (l > 0) {
            st->late_sum += l;
            if (l > st->late_max) st->late_max = l;
        }
    }
}

/* Recompute the whole schedule. Returns 1 if the plan is feasible. */
static int schedule(solver *S, state *st)
{
    S->cur_s = st->s;
    for (int r = 0; r < S->R; r++)
        for (int k = 0; k < st->seq[r].n; k++) {
            int t = st->seq[r].v[k];
            st->s[t] = TK(S, t)->earliest;
            push(S, t);
        }
    int ok = propagate(S, st, 0);
    lateness_from_scratch(S, st);
    for (int c = 0; c < S->p->ncarers; c++)
        if (st->cwork[c] > S->p->carers[c].max_work + 1e-6) ok = 0;
    return ok;
}

static double cost_of(const solver *S, const state *st)
{
    const kmt_hhc_weights *w = &S->p->w;
    double tt = 0, dd = 0;
    for (int r = 0; r < S->R; r++) {
        tt += st->rtime[r];
        dd += st->rdist[r];
    }
    return w->travel_time * tt + w->distance * dd + w->lateness * st->late_sum + w->max_lateness * st->late_max +
           w->non_preferred * st->npref + w->unassigned * (S->T - st->nassigned);
}

/* ---- insertion ---------------------------------------------------------- */

static mark mark_get(const solver *S, const state *st)
{
    return (mark){ S->nlog, st->late_sum, st->late_max };
}

static void rollback(solver *S, state *st, mark m)
{
    while (S->nlog > m.n) {
        undo u = S->log[--S->nlog];
        if (u.insert)
            seq_remove(S, st, u.t);
        else
            st->s[u.t] = u.old;
    }
    st->late_sum = m.late_sum;
    st->late_max = m.late_max;
}

/* Can t go to position i of route r as far as carers and links go? */
static int rules_ok(const solver *S, const state *st, int t, int r, int i)
{
    const kmt_hhc_problem *p = S->p;
    if (!S->allowed[(size_t)t * (size_t)S->R + (size_t)r]) return 0;
    for (int j = S->adj_off[t]; j < S->adj_off[t + 1]; j++) {
        const kmt_hhc_link *L = &p->links[S->adj[j]];
        int o = L->a == t ? L->b : L->a, ro = st->route[o];
        if (L->carers == KMT_HHC_SAME && ro >= 0) {
            if (ro != r) return 0;
            if (L->a == t && i > st->pos[o]) return 0;
            if (L->b == t && i <= st->pos[o]) return 0;
        }
        if (L->carers == KMT_HHC_DIFFERENT && ro >= 0 && carer_of(S, ro) == carer_of(S, r)) return 0;
    }
    return 1;
}

/* The travel part of the insertion cost (a lower bound of the whole delta). */
static double lower_bound(const solver *S, const state *st, int t, int r, int i, double *work, double *base)
{
    const kmt_hhc_problem *p = S->p;
    const kmt_hhc_weights *w = &p->w;
    const kmt_hhc_task *k = TK(S, t);
    double dt, dd;
    insert_delta(S, st, t, r, i, &dt, &dd);
    *work = dt + k->duration;
    *base =
        w->travel_time * dt + w->distance * dd + w->non_preferred * S->nonpref[(size_t)t * (size_t)S->R + (size_t)r];
    /* start times only rise: t starts no earlier than its arrival from the
     * current predecessor, and its successor no earlier than after t */
    const ivec *q = &st->seq[r];
    int m = mode_of(S, r);
    double arr;
    if (i == 0) {
        arr = p->shifts[r].start + kmt_hhc_time(p, m, p->shifts[r].start_location, k->location);
    } else {
        int a = q->v[i - 1];
        arr = st->s[a] + TK(S, a)->duration + kmt_hhc_time(p, m, TK(S, a)->location, k->location);
    }
    if (arr < k->earliest) arr = k->earliest;
    if (arr > k->latest) {
        if (!k->soft) return INFINITY;
        double l = arr - k->latest;
        double lb = *base + w->lateness * l + (l > st->late_max ? w->max_lateness * (l - st->late_max) : 0);
        return lb;
    }
    if (i < q->n) {
        int b = q->v[i];
        const kmt_hhc_task *kb = TK(S, b);
        double nb = arr + k->duration + kmt_hhc_time(p, m, k->location, kb->location);
        if (nb > st->s[b] && nb > kb->latest) {
            if (!kb->soft) return INFINITY;
            double ol = st->s[b] > kb->latest ? st->s[b] - kb->latest : 0, nl = nb - kb->latest;
            return *base + w->lateness * (nl - ol) + (nl > st->late_max ? w->max_lateness * (nl - st->late_max) : 0);
        }
    }
    return *base;
}

/* Insert t at (r, i), propagate and return the cost delta (INFINITY if
 * infeasible; then nothing changed). The change stays logged after m. */
static double apply_insert(solver *S, state *st, int t, int r, int i, double lb)
{
    const kmt_hhc_weights *w = &S->p->w;
    mark m = mark_get(S, st);
    S->cur_s = st->s;
    seq_insert(S, st, t, r, i);
    log_push(S, t, 1, 0);
    st->s[t] = TK(S, t)->earliest;
    push(S, t);
    if (i + 1 < st->seq[r].n) push(S, st->seq[r].v[i + 1]);
    for (int j = S->adj_off[t]; j < S->adj_off[t + 1]; j++) {
        const kmt_hhc_link *L = &S->p->links[S->adj[j]];
        int o = L->a == t ? L->b : L->a;
        if (st->route[o] >= 0) push(S, o);
    }
    if (!propagate(S, st, 1)) {
        rollback(S, st, m);
        return INFINITY;
    }
    return lb + w->lateness * (st->late_sum - m.late_sum) + w->max_lateness * (st->late_max - m.late_max);
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->lb != y->lb) return x->lb < y->lb ? -1 : 1;
    if (x->r != y->r) return x->r - y->r;
    return x->i - y->i;
}

/* Candidate positions of t sorted by their lower bound, in S->cands. */
static void gather(solver *S, const state *st, int t)
{
    S->ncands = 0;
    for (int r = 0; r < S->R; r++) {
        if (!S->allowed[(size_t)t * (size_t)S->R + (size_t)r]) continue;
        int c = carer_of(S, r);
        double maxw = S->p->carers[c].max_work;
        for (int i = 0; i <= st->seq[r].n; i++) {
            if (!rules_ok(S, st, t, r, i)) continue;
            double work, base, lb = lower_bound(S, st, t, r, i, &work, &base);
            if (lb == INFINITY || st->cwork[c] + work > maxw + 1e-6) continue;
            if (S->blink > 0 && kmt_rng_double(&S->rng) < S->blink) continue;
            if (S->ncands == S->capcands) {
                S->capcands = S->capcands ? 2 * S->capcands : 256;
                S->cands = kmt_realloc(S->cands, (size_t)S->capcands * sizeof(cand));
            }
            S->cands[S->ncands++] = (cand){ r, i, lb, base, INFINITY };
        }
    }
    qsort(S->cands, (size_t)S->ncands, sizeof(cand), cmp_cand);
}

/* Best k positions of t (exact deltas, ascending) in out; returns how many. */
static int best_positions(solver *S, state *st, int t, int k, cand *out)
{
    gather(S, st, t);
    int n = 0;
    for (int c = 0; c < S->ncands; c++) {
        cand x = S->cands[c];
        if (n == k && x.lb >= out[n - 1].delta - EPS) break;
        mark m = mark_get(S, st);
        double d = apply_insert(S, st, t, x.r, x.i, x.base);
        if (d == INFINITY) continue;
        rollback(S, st, m);
        x.delta = d;
        int j;
        if (n < k) {
            j = n++;
        } else {
            if (out[k - 1].delta <= d) continue;
            j = k - 1;
        }
        while (j > 0 && out[j - 1].delta > d) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = x;
    }
    return n;
}

/* Tasks of group g in insertion order o (visits first, then key tasks);
 * with rev the first two visits are swapped. Returns the count. */
static int group_order(const solver *S, int g, int rev, int *o)
{
    int n = 0;
    for (int pass = 0; pass < 3; pass++)
        for (int j = S->grp_off[g]; j < S->grp_off[g + 1]; j++) {
            int t = S->grp_tasks[j];
            if ((int)TK(S, t)->kind == pass) o[n++] = t;
        }
    if (rev && n >= 2 && TK(S, o[1])->kind == KMT_HHC_VISIT) {
        int x = o[0];
        o[0] = o[1];
        o[1] = x;
    }
    return n;
}

/* Insert the tasks of group g: the first task at each of its TOPK best
 * positions, the others greedily after it, both orders of two visits; the
 * best combination is applied. Returns the cost delta or INFINITY (then the
 * group stays unassigned). */
static double insert_group(solver *S, state *st, int g)
{
    int k = S->grp_off[g + 1] - S->grp_off[g];
    int o[64], best_o[64];
    cand first[TOPK], best_pl[64];
    if (k > 64) return INFINITY;
    if (k == 1) {
        int t = S->grp_tasks[S->grp_off[g]];
        if (!best_positions(S, st, t, 1, first)) return INFINITY;
        return apply_insert(S, st, t, first[0].r, first[0].i, first[0].base);
    }
    double best = INFINITY;
    int nvis = 0;
    for (int j = S->grp_off[g]; j < S->grp_off[g + 1]; j++) nvis += TK(S, S->grp_tasks[j])->kind == KMT_HHC_VISIT;
    for (int rev = 0; rev < (nvis >= 2 ? 2 : 1); rev++) {
        group_order(S, g, rev, o);
        int nf = best_positions(S, st, o[0], TOPK, first);
        for (int f = 0; f < nf; f++) {
            mark m = mark_get(S, st);
            cand pl[64];
            pl[0] = first[f];
            double tot = apply_insert(S, st, o[0], first[f].r, first[f].i, first[f].base);
            for (int j = 1; j < k && tot < best; j++) {
                cand c1[1];
                if (!best_positions(S, st, o[j], 1, c1)) {
                    tot = INFINITY;
                    break;
                }
                pl[j] = c1[0];
                tot += apply_insert(S, st, o[j], c1[0].r, c1[0].i, c1[0].base);
            }
            rollback(S, st, m);
            if (tot < best) {
                best = tot;
                memcpy(best_o, o, (size_t)k * sizeof(int));
                memcpy(best_pl, pl, (size_t)k * sizeof(cand));
            }
        }
    }
    if (best == INFINITY) return INFINITY;
    double tot = 0;
    for (int j = 0; j < k; j++) tot += apply_insert(S, st, best_o[j], best_pl[j].r, best_pl[j].i, best_pl[j].base);
    return tot;
}

static void remove_group(solver *S, state *st, int g)
{
    for (int j = S->grp_off[g]; j < S->grp_off[g + 1]; j++) {
        int t = S->grp_tasks[j];
        if (st->route[t] >= 0) seq_remove(S, st, t);
    }
}

/* ---- setup -------------------------------------------------------------- */

static int uf_find(int *par, int x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

static double relatedness(const solver *S, int a, int b)
{
    const kmt_hhc_task *x = TK(S, a), *y = TK(S, b);
    return kmt_hhc_dist(S->p, 0, x->location, y->location) + 0.5 * fabs(x->earliest - y->earliest);
}

static void setup(solver *S, const kmt_hhc_problem *p)
{
    memset(S, 0, sizeof *S);
    S->p = p;
    S->T = p->ntasks;
    S->R = p->nshifts;
    size_t TR = (size_t)S->T * (size_t)S->R;
    S->allowed = kmt_calloc(TR ? TR : 1, 1);
    S->nonpref = kmt_calloc(TR ? TR : 1, 1);
    for (int t = 0; t < S->T; t++) {
        const kmt_hhc_task *k = TK(S, t);
        for (int r = 0; r < S->R; r++) {
            int c = p->shifts[r].carer, ok = (k->skills & ~p->carers[c].skills) == 0;
            if (k->pin >= 0 && k->pin != c) ok = 0;
            for (int j = 0; j < k->nforbidden; j++)
                if (k->forbidden[j] == c) ok = 0;
            int pref = k->npreferred == 0;
            for (int j = 0; j < k->npreferred; j++)
                if (k->preferred[j] == c) pref = 1;
            S->allowed[(size_t)t * (size_t)S->R + (size_t)r] = (unsigned char)ok;
            S->nonpref[(size_t)t * (size_t)S->R + (size_t)r] = (unsigned char)!pref;
        }
    }
    S->adj_off = kmt_calloc((size_t)S->T + 1, sizeof(int));
    for (int l = 0; l < p->nlinks; l++) {
        S->adj_off[p->links[l].a + 1]++;
        S->adj_off[p->links[l].b + 1]++;
    }
    for (int t = 0; t < S->T; t++) S->adj_off[t + 1] += S->adj_off[t];
    S->adj = kmt_malloc((size_t)(2 * p->nlinks + 1) * sizeof(int));
    int *fill = kmt_calloc((size_t)S->T + 1, sizeof(int));
    for (int l = 0; l < p->nlinks; l++) {
        S->adj[S->adj_off[p->links[l].a] + fill[p->links[l].a]++] = l;
        S->adj[S->adj_off[p->links[l].b] + fill[p->links[l].b]++] = l;
    }
    /* groups: connected components of the links */
    int *par = fill;
    for (int t = 0; t < S->T; t++) par[t] = t;
    for (int l = 0; l < p->nlinks; l++) {
        int a = uf_find(par, p->links[l].a), b = uf_find(par, p->links[l].b);
        if (a != b) par[a < b ? b : a] = a < b ? a : b;
    }
    S->grp_of = kmt_malloc((size_t)(S->T + 1) * sizeof(int));
    int *gid = kmt_malloc((size_t)(S->T + 1) * sizeof(int));
    for (int t = 0; t < S->T; t++) gid[t] = -1;
    for (int t = 0; t < S->T; t++) {
        int rt = uf_find(par, t);
        if (gid[rt] < 0) gid[rt] = S->ngroups++;
        S->grp_of[t] = gid[rt];
    }
    S->grp_off = kmt_calloc((size_t)S->ngroups + 2, sizeof(int));
    for (int t = 0; t < S->T; t++) S->grp_off[S->grp_of[t] + 1]++;
    for (int g = 0; g < S->ngroups; g++) S->grp_off[g + 1] += S->grp_off[g];
    S->grp_tasks = kmt_malloc((size_t)(S->T + 1) * sizeof(int));
    for (int g = 0; g <= S->ngroups; g++) gid[g] = S->grp_off[g];
    for (int t = 0; t < S->T; t++) S->grp_tasks[gid[S->grp_of[t]]++] = t;
    kmt_free(gid);
    kmt_free(fill);
    /* nearest tasks */
    S->nnb = S->T - 1 < 40 ? S->T - 1 : 40;
    if (S->nnb < 0) S->nnb = 0;
    S->nb = kmt_malloc((size_t)(S->T * S->nnb + 1) * sizeof(int));
    double *dv = kmt_malloc((size_t)(S->nnb + 1) * sizeof(double));
    for (int t = 0; t < S->T; t++) {
        int n = 0, *row = S->nb + (size_t)t * (size_t)S->nnb;
        for (int u = 0; u < S->T; u++) {
            if (u == t) continue;
            double d = relatedness(S, t, u);
            if (n == S->nnb && d >= dv[n - 1]) continue;
            int j = n < S->nnb ? n++ : n - 1;
            while (j > 0 && dv[j - 1] > d) {
                dv[j] = dv[j - 1];
                row[j] = row[j - 1];
                j--;
            }
            dv[j] = d;
            row[j] = u;
        }
    }
    kmt_free(dv);
    S->heap = kmt_malloc((size_t)(S->T + 2) * sizeof(int));
    S->hkey = kmt_malloc((size_t)(S->T + 2) * sizeof(double));
    S->inq = kmt_calloc((size_t)S->T + 1, 1);
    S->upd = kmt_calloc((size_t)S->T + 1, sizeof(int));
    S->stamp = kmt_calloc((size_t)S->T + 1, sizeof(unsigned));
    S->pops_limit = 64L * (S->T + 8) + (long)p->nlinks * 64;
    state_alloc(S, &S->cur);
    state_alloc(S, &S->best);
    state_alloc(S, &S->save);
}

static void teardown(solver *S)
{
    state_free(S, &S->cur);
    state_free(S, &S->best);
    state_free(S, &S->save);
    kmt_free(S->allowed);
    kmt_free(S->nonpref);
    kmt_free(S->adj_off);
    kmt_free(S->adj);
    kmt_free(S->grp_of);
    kmt_free(S->grp_off);
    kmt_free(S->grp_tasks);
    kmt_free(S->nb);
    kmt_free(S->heap);
    kmt_free(S->hkey);
    kmt_free(S->inq);
    kmt_free(S->upd);
    kmt_free(S->stamp);
    kmt_free(S->log);
    kmt_free(S->cands);
}

/* ---- ruin and recreate ---------------------------------------------- */

typedef struct gkey {
    double key;
    int g;
} gkey;

static int cmp_gkey(const void *a, const void *b)
{
    const gkey *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->g - y->g;
}

/* Insert the listed groups in an order chosen at random among: random,
 * earliest window first, tightest window first, most tasks first. */
static void recreate(solver *S, state *st, int *groups, int n)
{
    gkey *ks = kmt_malloc((size_t)(n + 1) * sizeof(gkey));
    int how = (int)kmt_rng_below(&S->rng, 4);
    for (int j = 0; j < n; j++) {
        int g = groups[j], t = S->grp_tasks[S->grp_off[g]];
        const kmt_hhc_task *k = TK(S, t);
        double key;
        switch (how) {
        case 0: key = kmt_rng_double(&S->rng); break;
        case 1: key = k->earliest; break;
        case 2: key = k->latest - k->earliest; break;
        default: key = -(S->grp_off[g + 1] - S->grp_off[g]) + 0.01 * kmt_rng_double(&S->rng); break;
        }
        ks[j] = (gkey){ key, g };
    }
    qsort(ks, (size_t)n, sizeof(gkey), cmp_gkey);
    for (int j = 0; j < n; j++) {
        mark m = mark_get(S, st);
        if (insert_group(S, st, ks[j].g) == INFINITY) rollback(S, st, m);
    }
    S->nlog = 0;
    kmt_free(ks);
}

/* Remove about q groups; their ids go to out (returns the count). */
static int ruin(solver *S, state *st, int q, int *out, unsigned char *taken)
{
    int n = 0, op = (int)kmt_rng_below(&S->rng, 3);
    memset(taken, 0, (size_t)S->ngroups);
    /* the unassigned are always retried */
    for (int t = 0; t < S->T; t++)
        if (st->route[t] < 0 && !taken[S->grp_of[t]]) {
            taken[S->grp_of[t]] = 1;
            out[n++] = S->grp_of[t];
        }
    int base = n;
    if (op == 0 || S->nnb == 0) { /* random groups */
        for (int tries = 0; n - base < q && tries < 20 * q; tries++) {
            int g = (int)kmt_rng_below(&S->rng, (uint64_t)S->ngroups);
            if (taken[g]) continue;
            taken[g] = 1;
            out[n++] = g;
        }
    } else if (op == 1) { /* related to a seed */
        int seed = (int)kmt_rng_below(&S->rng, (uint64_t)S->T);
        int g0 = S->grp_of[seed];
        if (!taken[g0]) {
            taken[g0] = 1;
            out[n++] = g0;
        }
        for (int j = 0; j < S->nnb && n - base < q; j++) {
            if (kmt_rng_double(&S->rng) < 0.2) continue;
            int g = S->grp_of[S->nb[(size_t)seed * (size_t)S->nnb + (size_t)j]];
            if (taken[g]) continue;
            taken[g] = 1;
            out[n++] = g;
        }
    } else { /* strings of routes near a seed */
        int seed = (int)kmt_rng_below(&S->rng, (uint64_t)S->T);
        unsigned char *rdone = kmt_calloc((size_t)S->R, 1);
        for (int j = -1; j < S->nnb && n - base < q; j++) {
            int t = j < 0 ? seed : S->nb[(size_t)seed * (size_t)S->nnb + (size_t)j];
            int r = st->route[t];
            if (r < 0 || rdone[r]) continue;
            rdone[r] = 1;
            int len = st->seq[r].n, L = 1 + (int)kmt_rng_below(&S->rng, (uint64_t)(len < 8 ? len : 8));
            int lo = st->pos[t] - (int)kmt_rng_below(&S->rng, (uint64_t)L);
            if (lo < 0) lo = 0;
            for (int i = lo; i < lo + L && i < len; i++) {
                int g = S->grp_of[st->seq[r].v[i]];
                if (taken[g]) continue;
                taken[g] = 1;
                out[n++] = g;
            }
        }
        kmt_free(rdone);
    }
    for (int j = base; j < n; j++) remove_group(S, st, out[j]);
    return n;
}

static void write_solution(const solver *S, const state *st, kmt_hhc_solution *s)
{
    kmt_hhc_solution_destroy(s);
    s->nroutes = S->R;
    s->routes = kmt_calloc((size_t)S->R, sizeof(kmt_hhc_route));
    for (int r = 0; r < S->R; r++) {
        kmt_hhc_route *o = &s->routes[r];
        o->shift = r;
        o->n = st->seq[r].n;
        o->tasks = kmt_malloc((size_t)(o->n + 1) * sizeof(int));
        o->start = kmt_malloc((size_t)(o->n + 1) * sizeof(double));
        for (int i = 0; i < o->n; i++) {
            o->tasks[i] = st->seq[r].v[i];
            o->start[i] = st->s[o->tasks[i]];
        }
    }
    s->unassigned = kmt_malloc((size_t)(S->T + 1) * sizeof(int));
    for (int t = 0; t < S->T; t++)
        if (st->route[t] < 0) s->unassigned[s->nunassigned++] = t;
    kmt_hhc_cost *c = &s->cost;
    memset(c, 0, sizeof *c);
    for (int r = 0; r < S->R; r++) {
        c->travel_time += st->rtime[r];
        c->distance += st->rdist[r];
    }
    c->lateness = st->late_sum;
    c->max_lateness = st->late_max;
    c->non_preferred = st->npref;
    c->unassigned = s->nunassigned;
    c->total = cost_of(S, st);
}

int kmt_hhc_solve(const kmt_hhc_problem *p, const kmt_hhc_solve_opts *o, kmt_hhc_solution *s,
                  kmt_hhc_solve_stats *stats, kmt_error *e)
{
    int rc = kmt_hhc_problem_validate(p, e);
    if (rc) return rc;
    if (!(o->time_limit > 0) && o->iterations <= 0)
        return kmt_error_set(e, KMT_EINVAL, "a time limit or an iteration limit is needed");
    double t0 = kmt_now_thread_cpu();
    solver S;
    setup(&S, p);
    kmt_rng_seed(&S.rng, o->seed);
    /* construction: all groups by earliest window */
    int *groups = kmt_malloc((size_t)(S.ngroups + 1) * sizeof(int));
    unsigned char *taken = kmt_calloc((size_t)S.ngroups + 1, 1);
    gkey *ks = kmt_malloc((size_t)(S.ngroups + 1) * sizeof(gkey));
    for (int g = 0; g < S.ngroups; g++) {
        int t = S.grp_tasks[S.grp_off[g]];
        ks[g] = (gkey){ TK(&S, t)->earliest * 1000.0 + (TK(&S, t)->latest - TK(&S, t)->earliest), g };
    }
    qsort(ks, (size_t)S.ngroups, sizeof(gkey), cmp_gkey);
    for (int g = 0; g < S.ngroups; g++) {
        mark m = mark_get(&S, &S.cur);
        if (insert_group(&S, &S.cur, ks[g].g) == INFINITY) rollback(&S, &S.cur, m);
        S.nlog = 0;
    }
    kmt_free(ks);
    schedule(&S, &S.cur);
    double cur = cost_of(&S, &S.cur), best = cur;
    state_copy(&S, &S.best, &S.cur);
    if (stats) {
        memset(stats, 0, sizeof *stats);
        stats->initial_cost = cur;
    }
    double t_best = kmt_now_thread_cpu() - t0;
    /* simulated annealing on ruin and recreate */
    /* start at 1 % of the first cost (0.2 % left 25_5 and 50_1 stuck for good) */
    double T0 = 0.01 * (cur > 1 ? cur : 1) + 0.05, T1 = T0 * 0.005;
    long it = 0;
    int qmax = 4 + S.ngroups / 8;
    if (qmax > 40) qmax = 40;
    if (qmax > S.ngroups) qmax = S.ngroups;
    while (S.ngroups > 0) {
        double el = kmt_now_thread_cpu() - t0, frac;
        if (o->iterations > 0 && it >= o->iterations) break;
        if (o->time_limit > 0 && el >= o->time_limit) break;
        if (o->stop && *o->stop) break;
        frac = o->iterations > 0 ? (double)it / (double)o->iterations : el / o->time_limit;
        if (o->iterations > 0 && o->time_limit > 0 && el / o->time_limit > frac) frac = el / o->time_limit;
        double temp = T0 * pow(T1 / T0, frac);
        it++;
        state_copy(&S, &S.save, &S.cur);
        int q = 1 + (int)kmt_rng_below(&S.rng, (uint64_t)qmax);
        S.blink = 0.01;
        int n = ruin(&S, &S.cur, q, groups, taken);
        schedule(&S, &S.cur);
        recreate(&S, &S.cur, groups, n);
        S.blink = 0;
        int ok = schedule(&S, &S.cur);
        double c = cost_of(&S, &S.cur);
        if (ok && (c < cur - 1e-9 || kmt_rng_double(&S.rng) < exp(-(c - cur) / temp))) {
            cur = c;
            if (c < best - 1e-9) {
                best = c;
                state_copy(&S, &S.best, &S.cur);
                t_best = kmt_now_thread_cpu() - t0;
            }
        } else {
            state_copy(&S, &S.cur, &S.save);
        }
    }
    schedule(&S, &S.best);
    write_solution(&S, &S.best, s);
    if (stats) {
        stats->iterations = it;
        stats->seconds = kmt_now_thread_cpu() - t0;
        stats->seconds_to_best = t_best;
    }
    kmt_free(groups);
    kmt_free(taken);
    teardown(&S);
    return 0;
}
