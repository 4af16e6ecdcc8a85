/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The solver's integer model: the problem converted into flat arrays, and
 * the one full-route evaluation (used for vehicles with breaks, shipments
 * and the final plan). Route caches for O(1) insertion are in route.c.
 */
#include <math.h>
#include <string.h>

#include "solver_int.h"

static int64_t t_up(double x, double scale)
{
    if (x >= 1e17 / scale) return TBIG;
    return (int64_t)ceil(x * scale - 1e-6);
}

static int64_t t_down(double x, double scale)
{
    if (x >= 1e17 / scale) return TBIG;
    return (int64_t)floor(x * scale + 1e-6);
}

/* The per-thread scratch arrays of a solver. */
static void scratch_alloc(solver *S)
{
    int n = S->n, nb = 0, maxnb = 0;
    for (int v = 0; v < S->V; v++) {
        nb += S->vbrk_n[v];
        if (S->vbrk_n[v] > maxnb) maxnb = S->vbrk_n[v];
    }
    S->seq = kmt_calloc((size_t)n + 4, sizeof(int));
    S->seq2 = kmt_calloc((size_t)n + 4, sizeof(int));
    S->brkpos = kmt_calloc((size_t)nb + 1, sizeof(int));
    S->brkdp = kmt_calloc(((size_t)n + 2) * ((size_t)maxnb + 1), sizeof(int64_t));
    S->where = kmt_calloc((size_t)n + 1, sizeof(int));
    S->pos = kmt_calloc((size_t)n + 1, sizeof(int));
    if (S->any_brk_ml) S->brkload = kmt_calloc(((size_t)n + 2) * (size_t)(S->D + 1), sizeof(int64_t));
}

static void scratch_free(solver *S)
{
    kmt_free(S->seq);
    kmt_free(S->seq2);
    kmt_free(S->brkpos);
    kmt_free(S->brkdp);
    kmt_free(S->where);
    kmt_free(S->pos);
    kmt_free(S->brkload);
}

void kmt__vrp_model_share(solver *dst, const solver *src)
{
    *dst = *src;
    scratch_alloc(dst);
}

void kmt__vrp_model_unshare(solver *S)
{
    scratch_free(S);
    memset(S, 0, sizeof *S);
}

/* Stage 1: the tasks' arrays (times scaled and rounded in the safe
 * direction); their windows fill tws/twe from 0. Returns the number of
 * windows written. */
static int model_tasks(solver *S, const kmt_vrp_problem *p)
{
    int n = S->n, D = S->D;
    double ts = p->time_scale;
    size_t nn = (size_t)n + 1;
    S->tloc = kmt_calloc(nn, sizeof(int));
    S->tkind = kmt_calloc(nn, sizeof(int));
    S->tpartner = kmt_calloc(nn, sizeof(int));
    S->tprio = kmt_calloc(nn, sizeof(int));
    S->twoff = kmt_calloc(nn, sizeof(int));
    S->twn = kmt_calloc(nn, sizeof(int));
    S->tserv = kmt_calloc(nn, sizeof(int64_t));
    S->tsetup = kmt_calloc(nn, sizeof(int64_t));
    S->tskill = kmt_calloc(nn, sizeof(uint64_t));
    S->tdel = kmt_calloc(nn * (size_t)(D + 1), sizeof(int64_t));
    S->tpick = kmt_calloc(nn * (size_t)(D + 1), sizeof(int64_t));
    int ntw = 0;
    for (int i = 0; i < n; i++) ntw += p->tasks[i].ntw;
    S->tws = kmt_calloc((size_t)ntw + 1, sizeof(int64_t));
    S->twe = kmt_calloc((size_t)ntw + 1, sizeof(int64_t));
    ntw = 0;
    for (int i = 0; i < n; i++) {
        const kmt_vrp_task *t = &p->tasks[i];
        S->tloc[i] = t->loc;
        S->tkind[i] = t->kind;
        S->tpartner[i] = t->partner;
        S->tprio[i] = t->priority;
        S->tserv[i] = t_up(t->service, ts);
        S->tsetup[i] = t_up(t->setup, ts);
        S->tskill[i] = t->skills;
        S->twoff[i] = ntw;
        S->twn[i] = t->ntw;
        for (int w = 0; w < t->ntw; w++, ntw++) {
            S->tws[ntw] = t_up(t->tw[w].start, ts);
            S->twe[ntw] = t_down(t->tw[w].end, ts);
        }
        for (int d = 0; d < D; d++) {
            S->tdel[(size_t)i * D + d] = t->delivery[d];
            S->tpick[(size_t)i * D + d] = t->pickup[d];
        }
        if (t->kind != KMT_VRP_JOB) S->has_ship = 1;
    }
    return ntw;
}

/* The arrays of the vehicles and of their breaks (flattened); tws/twe grow
 * to hold the breaks' windows after the ntw tasks' windows. */
static void vehicle_arrays(solver *S, const kmt_vrp_problem *p, int ntw)
{
    int V = S->V, D = S->D;
    size_t nv = (size_t)V + 1;
    S->vcls = kmt_calloc(nv, sizeof(int));
    S->vsig = kmt_calloc(nv, sizeof(int));
    S->vstart = kmt_calloc(nv, sizeof(int));
    S->vend = kmt_calloc(nv, sizeof(int));
    S->vmaxtasks = kmt_calloc(nv, sizeof(int));
    S->vslow = kmt_calloc(nv, sizeof(int));
    S->vtws = kmt_calloc(nv, sizeof(int64_t));
    S->vtwe = kmt_calloc(nv, sizeof(int64_t));
    S->vcap = kmt_calloc(nv * (size_t)(D + 1), sizeof(int64_t));
    S->vmaxtt = kmt_calloc(nv, sizeof(int64_t));
    S->vmaxdist = kmt_calloc(nv, sizeof(int64_t));
    S->vfixed = kmt_calloc(nv, sizeof(int64_t));
    S->vskill = kmt_calloc(nv, sizeof(uint64_t));
    S->vbrk_off = kmt_calloc(nv, sizeof(int));
    S->vbrk_n = kmt_calloc(nv, sizeof(int));
    int nb = 0, nbtw = 0;
    for (int v = 0; v < V; v++) {
        nb += p->vehicles[v].nbreaks;
        for (int b = 0; b < p->vehicles[v].nbreaks; b++) nbtw += p->vehicles[v].breaks[b].ntw;
    }
    S->brk_twoff = kmt_calloc((size_t)nb + 1, sizeof(int));
    S->brk_twn = kmt_calloc((size_t)nb + 1, sizeof(int));
    S->brk_serv = kmt_calloc((size_t)nb + 1, sizeof(int64_t));
    S->brk_hasml = kmt_calloc((size_t)nb + 1, sizeof(int));
    S->brk_maxload = kmt_calloc(((size_t)nb + 1) * (size_t)(D + 1), sizeof(int64_t));
    S->vbrk_ml = kmt_calloc(nv, sizeof(int));
    S->tws = kmt_realloc(S->tws, sizeof(int64_t) * ((size_t)ntw + (size_t)nbtw + 1));
    S->twe = kmt_realloc(S->twe, sizeof(int64_t) * ((size_t)ntw + (size_t)nbtw + 1));
}

/* The class of vehicle v: vehicles of the same profile, speed and cost
 * parameters share matrices; cls_rep[c] is the first vehicle of class c. */
static int vehicle_class(solver *S, const kmt_vrp_problem *p, int *cls_rep, int v)
{
    const kmt_vrp_vehicle *vh = &p->vehicles[v];
    for (int c = 0; c < S->ncls; c++) {
        const kmt_vrp_vehicle *o = &p->vehicles[cls_rep[c]];
        if (o->profile == vh->profile && o->speed_factor == vh->speed_factor && o->per_hour == vh->per_hour &&
            o->per_km == vh->per_km)
            return c;
    }
    cls_rep[S->ncls] = v;
    return S->ncls++;
}

/* Stage 2: the vehicles (classes, limits, costs) and their breaks, whose
 * windows follow the ntw tasks' windows in tws/twe. Returns 1 when some
 * vehicle has a max_distance (the model then keeps distances). */
static int model_vehicles(solver *S, const kmt_vrp_problem *p, int ntw, int *cls_rep)
{
    int n = S->n, D = S->D;
    double ts = p->time_scale, cs = p->cost_scale;
    vehicle_arrays(S, p, ntw);
    int any_maxdist = 0, nb = 0;
    for (int v = 0; v < S->V; v++) {
        const kmt_vrp_vehicle *vh = &p->vehicles[v];
        S->vcls[v] = vehicle_class(S, p, cls_rep, v);
        S->vstart[v] = vh->start;
        S->vend[v] = vh->end;
        S->vmaxtasks[v] = vh->max_tasks < 0 ? n + 1 : vh->max_tasks;
        S->vtws[v] = t_up(vh->tw.start, ts);
        S->vtwe[v] = t_down(vh->tw.end, ts);
        for (int d = 0; d < D; d++) S->vcap[(size_t)v * D + d] = vh->has_capacity ? vh->capacity[d] : TBIG;
        S->vmaxtt[v] = vh->max_travel_time < 0 ? TBIG : t_down(vh->max_travel_time, ts);
        S->vfixed[v] = p->objective == KMT_VRP_MIN_COST ? llround(vh->fixed * cs) : 0;
        S->vskill[v] = vh->skills;
        S->vmaxdist[v] =
            vh->max_distance < 0 || vh->max_distance >= 1e17 ? TBIG : (int64_t)floor(vh->max_distance + 1e-9);
        if (vh->max_distance >= 0) any_maxdist = 1;
        S->vslow[v] = vh->nbreaks > 0; /* max_distance is checked on the fast path too */
        S->vbrk_off[v] = nb;
        S->vbrk_n[v] = vh->nbreaks;
        for (int b = 0; b < vh->nbreaks; b++, nb++) {
            S->brk_serv[nb] = t_up(vh->breaks[b].service, ts);
            S->brk_hasml[nb] = vh->breaks[b].has_max_load;
            for (int d = 0; d < D; d++)
                S->brk_maxload[(size_t)nb * D + d] = vh->breaks[b].has_max_load ? vh->breaks[b].max_load[d] : TBIG;
            if (vh->breaks[b].has_max_load) S->vbrk_ml[v] = S->any_brk_ml = 1;
            S->brk_twoff[nb] = ntw;
            S->brk_twn[nb] = vh->breaks[b].ntw;
            for (int w = 0; w < vh->breaks[b].ntw; w++, ntw++) {
                S->tws[ntw] = t_up(vh->breaks[b].tw[w].start, ts);
                S->twe[ntw] = t_down(vh->breaks[b].tw[w].end, ts);
            }
        }
    }
    return any_maxdist;
}

/* Stage 3: signatures: vehicles that are interchangeable when empty share
 * one (the lowest such vehicle), so that insertion tries one empty vehicle
 * per group. */
static void model_signatures(solver *S, const kmt_vrp_problem *p)
{
    int D = S->D;
    for (int v = 0; v < S->V; v++) {
        S->vsig[v] = v;
        for (int u = 0; u < v; u++) {
            const kmt_vrp_vehicle *a = &p->vehicles[u], *b = &p->vehicles[v];
            if (S->vsig[u] == u && S->vcls[u] == S->vcls[v] && a->start == b->start && a->end == b->end &&
                S->vtws[u] == S->vtws[v] && S->vtwe[u] == S->vtwe[v] && a->skills == b->skills &&
                S->vmaxtasks[u] == S->vmaxtasks[v] && S->vmaxtt[u] == S->vmaxtt[v] &&
                S->vmaxdist[u] == S->vmaxdist[v] && S->vfixed[u] == S->vfixed[v] && a->nbreaks == 0 &&
                b->nbreaks == 0 &&
                memcmp(&S->vcap[(size_t)u * D], &S->vcap[(size_t)v * D], sizeof(int64_t) * (size_t)D) == 0) {
                S->vsig[v] = u;
                break;
            }
        }
    }
}

/* The matrices of class c (cells = LL * LL): travel times divided by the
 * speed factor and scaled up, costs (the profile's costs, or per_hour and
 * per_km) scaled and rounded, distances rounded up to whole metres when
 * kept; a class shares the distance matrix of an earlier class of its
 * profile. */
static void class_matrices(solver *S, const kmt_vrp_problem *p, const int *cls_rep, int c, size_t cells)
{
    const kmt_vrp_vehicle *vh = &p->vehicles[cls_rep[c]];
    const kmt_vrp_matrix *m = &p->matrices[vh->profile];
    int L = S->L, LL = S->LL;
    double ts = p->time_scale, cs = p->cost_scale;
    int64_t *tt = S->ctt[c] = kmt_calloc(cells, sizeof(int64_t));
    int64_t *cc = S->ccost[c] = kmt_calloc(cells, sizeof(int64_t));
    int64_t *dd = NULL;
    if (S->cdist) {
        for (int c2 = 0; c2 < c && !S->cdist[c]; c2++)
            if (p->vehicles[cls_rep[c2]].profile == vh->profile) S->cdist[c] = S->cdist[c2];
        if (!S->cdist[c]) dd = S->cdist[c] = kmt_calloc(cells, sizeof(int64_t));
    }
    for (int a = 0; a < L; a++)
        for (int b = 0; b < L; b++) {
            size_t k = (size_t)a * m->n + (size_t)b;
            double d = m->durations[k];
            if (vh->speed_factor != 1.0) {
                d /= vh->speed_factor;
                if (p->round_times) d = floor(d + 0.5);
            }
            double cost;
            if (m->costs)
                cost = m->costs[k];
            else
                cost = vh->per_hour * d / 3600.0 + (m->distances ? vh->per_km * m->distances[k] / 1000.0 : 0);
            tt[(size_t)a * LL + b] = t_up(d, ts);
            cc[(size_t)a * LL + b] = llround(cost * cs);
            if (dd && m->distances) dd[(size_t)a * LL + b] = (int64_t)ceil(m->distances[k] - 1e-9);
        }
}

/* Stage 4: one (L+1) x (L+1) matrix set per vehicle class; row and column L
 * stand for "no location" (a route without start or end). */
static int model_matrices(solver *S, const kmt_vrp_problem *p, const int *cls_rep, int any_maxdist, kmt_error *e)
{
    int LL = S->LL = S->L + 1;
    size_t cells;
    if (kmt_mul_overflow((size_t)LL, (size_t)LL, &cells)) return kmt_error_set(e, KMT_ETOOBIG, "matrix too large");
    S->ctt = kmt_calloc((size_t)S->ncls, sizeof(int64_t *));
    S->ccost = kmt_calloc((size_t)S->ncls, sizeof(int64_t *));
    if (any_maxdist) S->cdist = kmt_calloc((size_t)S->ncls, sizeof(int64_t *));
    for (int c = 0; c < S->ncls; c++) class_matrices(S, p, cls_rep, c, cells);
    return 0;
}

/* Stage 5: each task's nearest tasks (at most 100) by the first class's
 * cost, the smaller of the two directions; ties by index. */
static void model_neighbours(solver *S)
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

/* The stages in order; a failure leaves S for kmt__vrp_model_free. */
int kmt__vrp_model_build(solver *S, const kmt_vrp_problem *p, kmt_error *e)
{
    memset(S, 0, sizeof *S);
    S->p = p;
    S->n = p->ntasks;
    S->V = p->nvehicles;
    S->D = p->ndims;
    S->L = (int)p->nlocs;
    if (p->nlocs > 20000) return kmt_error_set(e, KMT_ETOOBIG, "at most 20000 locations are supported");
    int ntw = model_tasks(S, p);
    int *cls_rep = kmt_calloc((size_t)S->V + 1, sizeof(int));
    int any_maxdist = model_vehicles(S, p, ntw, cls_rep);
    model_signatures(S, p);
    int rc = model_matrices(S, p, cls_rep, any_maxdist, e);
    kmt_free(cls_rep);
    if (rc) return rc;
    model_neighbours(S);
    S->cap = S->n + 2;
    scratch_alloc(S);
    S->veh_pen = p->objective == KMT_VRP_MIN_VEHICLES_COST ? (int64_t)1e11 : 0;
    S->un_pen = (int64_t)1e13;
    return 0;
}

void kmt__vrp_model_free(solver *S)
{
    kmt_free(S->tloc);
    kmt_free(S->tkind);
    kmt_free(S->tpartner);
    kmt_free(S->tprio);
    kmt_free(S->twoff);
    kmt_free(S->twn);
    kmt_free(S->tserv);
    kmt_free(S->tsetup);
    kmt_free(S->tskill);
    kmt_free(S->tdel);
    kmt_free(S->tpick);
    kmt_free(S->tws);
    kmt_free(S->twe);
    kmt_free(S->vcls);
    kmt_free(S->vsig);
    kmt_free(S->vstart);
    kmt_free(S->vend);
    kmt_free(S->vmaxtasks);
    kmt_free(S->vslow);
    kmt_free(S->vtws);
    kmt_free(S->vtwe);
    kmt_free(S->vcap);
    kmt_free(S->vmaxtt);
    kmt_free(S->vfixed);
    kmt_free(S->vskill);
    kmt_free(S->vbrk_off);
    kmt_free(S->vbrk_n);
    kmt_free(S->brk_twoff);
    kmt_free(S->brk_twn);
    kmt_free(S->brk_serv);
    kmt_free(S->brk_hasml);
    kmt_free(S->brk_maxload);
    kmt_free(S->vbrk_ml);
    for (int c = 0; c < S->ncls; c++) {
        kmt_free(S->ctt[c]);
        kmt_free(S->ccost[c]);
    }
    /* a shared distance matrix is freed by the first class holding it (last to be visited) */
    for (int c = S->ncls - 1; S->cdist && c >= 0; c--) {
        int shared = 0;
        for (int c2 = 0; c2 < c; c2++) shared |= S->cdist[c2] == S->cdist[c];
        if (!shared) kmt_free(S->cdist[c]);
    }
    kmt_free(S->cdist);
    kmt_free(S->vmaxdist);
    kmt_free(S->ctt);
    kmt_free(S->ccost);
    kmt_free(S->adj);
    scratch_free(S);
    memset(S, 0, sizeof *S);
}

/* Earliest start >= t in windows [off, off+n) (n == 0: t); TNONE if none. */
static int64_t wstart(const solver *S, int off, int n, int64_t t)
{
    for (int w = 0; w < n; w++)
        if (t <= S->twe[off + w]) return t > S->tws[off + w] ? t : S->tws[off + w];
    return n == 0 ? t : TNONE;
}

/* One break taken at time t: the end of the break, or TNONE when its last
 * window has passed or it ends after the working time. */
static int64_t take_break(const solver *S, int v, int bi, int64_t t)
{
    if (t == TNONE) return TNONE;
    int64_t s = wstart(S, S->brk_twoff[bi], S->brk_twn[bi], t);
    if (s == TNONE || s + S->brk_serv[bi] > S->vtwe[v]) return TNONE;
    return s + S->brk_serv[bi];
}

/* 1 when break bi may be taken with the vehicle carrying load (D amounts):
 * no max_load, or the load within it in every dimension. */
static int break_load_ok(const solver *S, int bi, const int64_t *load)
{
    if (!S->brk_hasml[bi]) return 1;
    for (int d = 0; d < S->D; d++)
        if (load[d] > S->brk_maxload[(size_t)bi * S->D + d]) return 0;
    return 1;
}

/* The load after each task of seq into out, D per node, from the start load
 * in out's first D values (node 0). */
static void node_loads(const solver *S, const int *seq, int len, int64_t *out)
{
    int D = S->D;
    for (int k = 0; k < len; k++)
        for (int d = 0; d < D; d++)
            out[(size_t)(k + 1) * D + d] =
                out[(size_t)k * D + d] + S->tpick[(size_t)seq[k] * D + d] - S->tdel[(size_t)seq[k] * D + d];
}

/* Task u reached from a departure at t over a leg of travel time leg: the
 * end of its service, or TNONE when late or past the working time. */
static int64_t take_task(const solver *S, int v, int u, int64_t t, int64_t leg, int64_t setup)
{
    if (t == TNONE) return TNONE;
    int64_t s = wstart(S, S->twoff[u], S->twn[u], t + leg);
    if (s == TNONE || s + setup + S->tserv[u] > S->vtwe[v]) return TNONE;
    return s + setup + S->tserv[u];
}

/* Breaks are placed exactly: a dynamic programme over (tasks done k, breaks
 * taken b) keeping the earliest time at which the vehicle can leave the
 * location of task k (k = 0: its start) with b breaks behind it. Every step
 * (travel + window + service, or a break with its window) is a
 * non-decreasing function of the departure time, so the earliest time
 * dominates and the programme is exact; O(len * (nbreaks + 1)). Breaks do not
 * move the vehicle, so travel, cost and setup do not depend on them. A
 * break with a max_load (VROOM) may only be taken where the load (after the
 * previous visit; at the start, the start load) is within it in every
 * dimension: a condition on the position, not on the time, so the
 * programme stays exact. The table is filled a column (b) at a time: column 0 is the schedule
 * without breaks, computed with the other checks in one pass; when it fails
 * every column fails (a break only delays), so most infeasible candidates
 * cost one pass. */
int kmt__vrp_eval_seq(const solver *S, int v, const int *seq, int len, int64_t *cost, int64_t *tt, int *brkpos)
{
    int D = S->D, cls = S->vcls[v], LL = S->LL;
    const int64_t *ttm = S->ctt[cls], *cm = S->ccost[cls];
    int64_t load[KMT_VRP_MAX_DIMS] = { 0 };
    const int64_t *cap = &S->vcap[(size_t)v * D];
    *cost = 0;
    *tt = 0;
    if (len == 0) return 1;
    if (len > S->vmaxtasks[v]) return 0;
    for (int k = 0; k < len; k++) {
        int u = seq[k];
        if (S->tskill[u] & ~S->vskill[v]) return 0;
        if (S->tkind[u] == KMT_VRP_JOB)
            for (int d = 0; d < D; d++) load[d] += S->tdel[(size_t)u * D + d];
    }
    for (int d = 0; d < D; d++)
        if (load[d] > cap[d]) return 0;
    /* T[b * R + k]: earliest departure after k tasks and b breaks (TNONE: impossible) */
    int nb = S->vbrk_n[v], boff = S->vbrk_off[v];
    size_t R = (size_t)len + 1;
    int64_t *T = S->brkdp;
    int64_t *BL = NULL; /* loads at each node, when a break's max_load depends on them */
    if (S->vbrk_ml[v]) {
        BL = S->brkload;
        memcpy(BL, load, sizeof(int64_t) * (size_t)D);
    }
    int64_t sumtt = 0, sumdist = 0, c = S->vfixed[v];
    const int64_t *dm = S->cdist ? S->cdist[cls] : NULL;
    int start = S->vstart[v] < 0 ? S->L : S->vstart[v], end = S->vend[v] < 0 ? S->L : S->vend[v];
    int prev = start;
    int64_t t = S->vtws[v];
    T[0] = t;
    /* column 0 with loads, shipments, travel and cost */
    for (int k = 0; k <= len; k++) {
        int u = k < len ? seq[k] : -1;
        int loc = u >= 0 ? S->tloc[u] : end;
        size_t arc = (size_t)prev * LL + loc;
        sumtt += ttm[arc];
        c += cm[arc];
        if (dm) sumdist += dm[arc];
        if (u < 0) break;
        t = take_task(S, v, u, t, ttm[arc], prev != loc ? S->tsetup[u] : 0);
        if (t == TNONE) return 0;
        T[k + 1] = t;
        for (int d = 0; d < D; d++) {
            load[d] += S->tpick[(size_t)u * D + d] - S->tdel[(size_t)u * D + d];
            if (load[d] > cap[d]) return 0;
        }
        if (S->tkind[u] == KMT_VRP_DELIVERY) {
            int pk = S->tpartner[u], found = 0;
            for (int j = 0; j < k; j++)
                if (seq[j] == pk) found = 1;
            if (!found) return 0;
        } else if (S->tkind[u] == KMT_VRP_PICKUP) {
            int dl = S->tpartner[u], found = 0;
            for (int j = k + 1; j < len; j++)
                if (seq[j] == dl) found = 1;
            if (!found) return 0;
        }
        prev = loc;
    }
    if (sumtt > S->vmaxtt[v] || sumdist > S->vmaxdist[v]) return 0;
    if (BL) node_loads(S, seq, len, BL);
    /* columns 1..nb: reach (k, b) by task k from (k - 1, b) or by break b - 1 at (k, b - 1) */
    for (int b = 1; b <= nb; b++) {
        int64_t *col = T + (size_t)b * R;
        const int64_t *left = col - R;
        int bi = boff + b - 1, alive = 0;
        prev = start;
        col[0] = take_break(S, v, bi, left[0]);
        if (BL && !break_load_ok(S, bi, BL)) col[0] = TNONE;
        for (int k = 1; k <= len; k++) {
            int u = seq[k - 1], loc = S->tloc[u];
            int64_t x = take_task(S, v, u, col[k - 1], ttm[(size_t)prev * LL + loc], prev != loc ? S->tsetup[u] : 0);
            int64_t y = take_break(S, v, bi, left[k]);
            if (BL && y != TNONE && !break_load_ok(S, bi, BL + (size_t)k * D)) y = TNONE;
            col[k] = y != TNONE && (x == TNONE || y < x) ? y : x;
            alive |= col[k] != TNONE;
            prev = loc;
        }
        if (!alive && col[0] == TNONE) return 0;
    }
    int64_t fin = T[(size_t)nb * R + len];
    if (fin == TNONE || fin + ttm[(size_t)prev * LL + end] > S->vtwe[v]) return 0;
    if (brkpos) {
        /* walk back: prefer "task k was done with b breaks behind" (breaks later) on ties */
        int k = len, b = nb;
        while (b > 0) {
            int64_t here = T[(size_t)b * R + k];
            if (k > 0) {
                int u = seq[k - 1], loc = S->tloc[u], pl = k > 1 ? S->tloc[seq[k - 2]] : start;
                int64_t x = take_task(S, v, u, T[(size_t)b * R + k - 1], ttm[(size_t)pl * LL + loc],
                                      pl != loc ? S->tsetup[u] : 0);
                if (x == here) {
                    k--;
                    continue;
                }
            }
            brkpos[--b] = k;
        }
    }
    *cost = c;
    *tt = sumtt;
    return 1;
}
