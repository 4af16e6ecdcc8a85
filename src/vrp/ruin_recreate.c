/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Ruin and recreate (SISR, Christiaens & Vanden Berghe 2020): remove strings
 * of tasks near a random task, then insert the removed tasks greedily with
 * blinks, each at its cheapest feasible position (O(1) checks on routes
 * without breaks, full evaluation on the others, O(len^2) for shipments).
 */
#include <math.h>
#include <string.h>

#include "solver_int.h"

/* Cost increase of inserting job u before node p (1..len+1) of a fast route,
 * or -1 when infeasible. O(D). */
static int64_t ins_fast(const solver *S, const vroute *r, int u, int p)
{
    int v = r->veh, LL = S->LL, D = S->D;
    const int64_t *ttm = S->ctt[S->vcls[v]];
    int la = kmt__vrp_node_loc(S, r, p - 1), lb = kmt__vrp_node_loc(S, r, p), lu = S->tloc[u];
    int64_t du = S->tserv[u] + (la != lu ? S->tsetup[u] : 0);
    int64_t s = kmt__vrp_tw_start(S, u, r->es[p - 1] + r->dur[p - 1] + ttm[(size_t)la * LL + lu]);
    if (s == TNONE) return -1;
    int64_t arr_b = s + du + ttm[(size_t)lu * LL + lb];
    int len = r->len;
    if (p <= len) {
        int bt = r->t[p - 1];
        int64_t db = S->tserv[bt] + (lu != lb ? S->tsetup[bt] : 0);
        if (db == r->dur[p]) {
            if (arr_b > r->ls[p]) return -1;
        } else {
            int64_t lbt =
                kmt__vrp_tw_latest(S, bt, r->ls[p + 1] - db - ttm[(size_t)lb * LL + kmt__vrp_node_loc(S, r, p + 1)]);
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
    kmt__vrp_route_update(S, r);
}

/* Remove task u (at where/pos) from its route in cur; no cache update. */
static void take_out(search *X, int u)
{
    solver *S = X->S;
    int v = S->where[u];
    if (v < 0) return;
    kmt__vrp_touch(X, v);
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
    kmt__vrp_route_update(X->S, r);
    X->cur.cost += r->cost;
    kmt__vrp_route_index(X->S, r);
}

#define CBAR 10.0
#define LMAX 10.0

/* Remove strings of tasks near a random seed task from the current
 * solution. Returns 0 when a shortened route became infeasible (only with a
 * matrix that violates the triangle inequality); the caller reverts. */
int kmt__vrp_ruin(search *X)
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
        kmt__vrp_route_update(S, sc);
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
            int la = kmt__vrp_node_loc(S, sc, p - 1), lb = kmt__vrp_node_loc(S, sc, p);
            int64_t dd = S->tserv[dl] + (la != ld ? S->tsetup[dl] : 0);
            int64_t st = kmt__vrp_tw_start(S, dl, sc->es[p - 1] + sc->dur[p - 1] + ttm[(size_t)la * LL + ld]);
            if (st == TNONE) continue;
            int64_t lat = kmt__vrp_latest_arrival(S, sc, p, ld);
            if (lat == TNONE || st + dd + ttm[(size_t)ld * LL + lb] > lat) continue;
            if (sc->tt + ttm[(size_t)la * LL + ld] + ttm[(size_t)ld * LL + lb] - ttm[(size_t)la * LL + lb] >
                S->vmaxtt[v])
                continue;
            if (S->cdist) {
                const int64_t *dm = S->cdist[S->vcls[v]];
                if (sc->dist + dm[(size_t)la * LL + ld] + dm[(size_t)ld * LL + lb] - dm[(size_t)la * LL + lb] >
                    S->vmaxdist[v])
                    continue;
            }
            int64_t dc =
                sc->cost + cm[(size_t)la * LL + ld] + cm[(size_t)ld * LL + lb] - cm[(size_t)la * LL + lb] - r->cost;
            if (best < 0 || dc < best) {
                best = dc < 0 ? 0 : dc;
                *bi = i;
                *bj = p - 2;
            }
        }
    }
    return best;
}

/* Insert every removed task (X->removed plus cur's unassigned) greedily in
 * the order chosen at random among SISR's four; those that fit nowhere become
 * unassigned. */
void kmt__vrp_recreate(search *X, int use_absences)
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
        if (X->searching && (i & 15) == 15 && kmt__vrp_out_of_time(X)) {
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
        kmt__vrp_touch(X, bv);
        vroute *rt = &s->r[bv];
        if (rt->len == 0) s->nused++;
        s->cost -= rt->cost;
        if (pair || S->vslow[bv]) {
            int nn = splice(rt, u, bp, dl, bq, S->seq2);
            memcpy(rt->t, S->seq2, sizeof(int) * (size_t)nn);
            rt->len = nn;
            kmt__vrp_route_update(S, rt);
        } else {
            route_insert(S, rt, u, bp);
        }
        s->cost += rt->cost;
        kmt__vrp_route_index(S, rt);
    }
    X->nremoved = 0;
    kmt__vrp_recount_used(X);
}
