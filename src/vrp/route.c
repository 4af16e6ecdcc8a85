/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The solver's routes and plans: a route's caches for O(1) insertion checks
 * (recomputed after each change), copies, and the bookkeeping of a move
 * (routes backed up before their first change, restored on rejection).
 */
#include <string.h>

#include "solver_int.h"

void kmt__vrp_route_alloc(const solver *S, vroute *r, int veh)
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

void kmt__vrp_route_free(vroute *r)
{
    kmt_free(r->t);
    kmt_free(r->es);
    kmt_free(r->dur);
    kmt_free(r->ls);
    kmt_free(r->load);
    kmt_free(r->pmax);
    kmt_free(r->smax);
    kmt_free(r->ctt);
    kmt_free(r->cc);
    kmt_free(r->cd);
}

/* Recompute a route's caches and cost after a change, O(len * D). */
void kmt__vrp_route_update(const solver *S, vroute *r)
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
    int prev = kmt__vrp_node_loc(S, r, 0);
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
        int loc = kmt__vrp_node_loc(S, r, k);
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
            int64_t s = kmt__vrp_tw_start(S, u, arr);
            if (s == TNONE) {
                r->bad = 1;
                s = arr;
            }
            r->es[k] = s;
            for (int d = 0; d < D; d++)
                r->load[(size_t)k * D + d] =
                    r->load[(size_t)(k - 1) * D + d] + S->tpick[(size_t)u * D + d] - S->tdel[(size_t)u * D + d];
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
    int next = kmt__vrp_node_loc(S, r, len + 1);
    for (int k = len; k >= 1; k--) {
        int u = r->t[k - 1], loc = S->tloc[u];
        int64_t b = r->ls[k + 1] - r->dur[k] - ttm[(size_t)loc * LL + next];
        r->ls[k] = kmt__vrp_tw_latest(S, u, b);
        next = loc;
    }
    r->ls[0] = r->ls[1] - ttm[(size_t)kmt__vrp_node_loc(S, r, 0) * LL + next];
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

void kmt__vrp_route_copy(const solver *S, vroute *dst, const vroute *src)
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

void kmt__vrp_sol_alloc(solver *S, vsol *s)
{
    s->r = kmt_calloc((size_t)S->V, sizeof(vroute));
    for (int v = 0; v < S->V; v++) {
        kmt__vrp_route_alloc(S, &s->r[v], v);
        kmt__vrp_route_update(S, &s->r[v]);
    }
    s->un = kmt_calloc((size_t)S->n + 1, sizeof(int));
    s->nun = 0;
    s->nused = 0;
    s->cost = 0;
}

void kmt__vrp_sol_free(solver *S, vsol *s)
{
    for (int v = 0; v < S->V; v++) kmt__vrp_route_free(&s->r[v]);
    kmt_free(s->r);
    kmt_free(s->un);
}

void kmt__vrp_sol_copy(solver *S, vsol *dst, const vsol *src)
{
    for (int v = 0; v < S->V; v++)
        if (dst->r[v].len || src->r[v].len) kmt__vrp_route_copy(S, &dst->r[v], &src->r[v]);
    dst->nun = src->nun;
    memcpy(dst->un, src->un, sizeof(int) * (size_t)src->nun);
    dst->nused = src->nused;
    dst->cost = src->cost;
}

/* Latest arrival at node k of route r when its predecessor is at `from`
 * (the node's setup depends on it). TNONE if none. */
int64_t kmt__vrp_latest_arrival(const solver *S, const vroute *r, int k, int from)
{
    if (k > r->len) return r->ls[k];
    int u = r->t[k - 1];
    int64_t d = S->tserv[u] + (from != S->tloc[u] ? S->tsetup[u] : 0);
    if (d == r->dur[k]) return r->ls[k];
    return kmt__vrp_tw_latest(
        S, u, r->ls[k + 1] - d - S->ctt[S->vcls[r->veh]][(size_t)S->tloc[u] * S->LL + kmt__vrp_node_loc(S, r, k + 1)]);
}

/* Save route v of the current solution before its first change in this iteration. */
void kmt__vrp_touch(search *X, int v)
{
    if (X->is_touched[v]) return;
    X->is_touched[v] = 1;
    X->touched[X->ntouched++] = v;
    kmt__vrp_route_copy(X->S, &X->bak[v], &X->cur.r[v]);
}

void kmt__vrp_move_begin(search *X)
{
    X->ntouched = 0;
    X->bak_nun = X->cur.nun;
    memcpy(X->bak_un, X->cur.un, sizeof(int) * (size_t)X->cur.nun);
    X->bak_cost = X->cur.cost;
    X->bak_nused = X->cur.nused;
}

void kmt__vrp_move_commit(search *X)
{
    for (int i = 0; i < X->ntouched; i++) {
        int v = X->touched[i];
        X->is_touched[v] = 0;
        kmt__vrp_route_index(X->S, &X->cur.r[v]);
    }
    X->ntouched = 0;
}

void kmt__vrp_move_revert(search *X)
{
    for (int i = 0; i < X->ntouched; i++) {
        int v = X->touched[i];
        X->is_touched[v] = 0;
        kmt__vrp_route_copy(X->S, &X->cur.r[v], &X->bak[v]);
        kmt__vrp_route_index(X->S, &X->cur.r[v]);
    }
    X->ntouched = 0;
    X->cur.nun = X->bak_nun;
    memcpy(X->cur.un, X->bak_un, sizeof(int) * (size_t)X->bak_nun);
    for (int i = 0; i < X->cur.nun; i++) X->S->where[X->cur.un[i]] = -1;
    X->cur.cost = X->bak_cost;
    X->cur.nused = X->bak_nused;
}

void kmt__vrp_recount_used(search *X)
{
    int n = 0;
    for (int v = 0; v < X->S->V; v++) n += X->cur.r[v].len > 0;
    X->cur.nused = n;
}
