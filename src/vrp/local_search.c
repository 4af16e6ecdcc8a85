/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Local search: relocate, or-opt, swap, 2-opt, 2-opt* and SWAP* (Vidal
 * 2022) around the tasks of the routes a move changed, first improvement,
 * every candidate checked from the routes' cached prefix and suffix data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver_int.h"

/* Apply new contents to route v of the current solution. */
static void set_route(search *X, int v, const int *t, int len)
{
    vroute *r = &X->cur.r[v];
    kmt__vrp_touch(X, v);
    X->cur.cost -= r->cost;
    memmove(r->t, t, sizeof(int) * (size_t)len);
    r->len = len;
    kmt__vrp_route_update(X->S, r);
    X->cur.cost += r->cost;
    kmt__vrp_route_index(X->S, r);
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
        int64_t lat1 = kmt__vrp_latest_arrival(S, r2, j + 1, lu);
        if (lat1 == TNONE || arr1 > lat1) continue;
        int l2j = kmt__vrp_node_loc(S, r2, j), l1n = kmt__vrp_node_loc(S, r1, i + 1);
        int64_t arr2 = r2->es[j] + r2->dur[j] + ttm[(size_t)l2j * LL + l1n];
        int64_t lat2 = kmt__vrp_latest_arrival(S, r1, i + 1, l2j);
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
        int64_t c2 =
            empty2 ? 0 : S->vfixed[v2] + r2->cc[j] + cm[(size_t)l2j * LL + l1n] + r1->cc[len1 + 1] - r1->cc[i + 1];
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
    int loc = kmt__vrp_node_loc(S, r, k0);
    int64_t t = r->es[k0] + r->dur[k0], tt = r->ctt[k0], c = r->cc[k0], dist = r->cd[k0];
    for (int i = 0; i < nmid; i++) {
        int m = mid[i], l = S->tloc[m];
        int64_t leg = ttm[(size_t)loc * LL + l];
        if (dm) dist += dm[(size_t)loc * LL + l];
        int64_t s = kmt__vrp_tw_start(S, m, t + leg);
        if (s == TNONE) return -1;
        t = s + S->tserv[m] + (loc != l ? S->tsetup[m] : 0);
        tt += leg;
        c += cm[(size_t)loc * LL + l];
        loc = l;
    }
    int lk = kmt__vrp_node_loc(S, r, k1);
    int64_t leg = ttm[(size_t)loc * LL + lk];
    int64_t lat = kmt__vrp_latest_arrival(S, r, k1, loc);
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
    fprintf(stderr, "kommute: local search predicted cost %lld for route %d, got %lld%s\n", (long long)predicted, v,
            (long long)r->cost, r->bad ? " (infeasible)" : "");
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

static void top3_fill(const solver *S, const vroute *r, int u, top3 *t)
{
    const int64_t *cm = S->ccost[S->vcls[r->veh]];
    int LL = S->LL, lu = S->tloc[u];
    for (int i = 0; i < 3; i++) {
        t->c[i] = INT64_MAX;
        t->p[i] = -1;
    }
    for (int p = 0; p <= r->len; p++) {
        int la = kmt__vrp_node_loc(S, r, p), lb = kmt__vrp_node_loc(S, r, p + 1);
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
    int LL = S->LL, la = kmt__vrp_node_loc(S, r, k - 1), lu = kmt__vrp_node_loc(S, r, k),
        lb = kmt__vrp_node_loc(S, r, k + 1);
    return cm[(size_t)la * LL + lu] + cm[(size_t)lu * LL + lb] - cm[(size_t)la * LL + lb];
}

/* Cheapest estimated insertion of u into r without the task at node k
 * (which u replaces): in k's place, or a top-3 position not next to k. */
static int64_t ins_without(const solver *S, const vroute *r, int u, int k, const top3 *t, int *pos)
{
    const int64_t *cm = S->ccost[S->vcls[r->veh]];
    int LL = S->LL, la = kmt__vrp_node_loc(S, r, k - 1), lb = kmt__vrp_node_loc(S, r, k + 1), lu = S->tloc[u];
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
        if (S->tkind[A->t[i]] == KMT_VRP_JOB && !(S->tskill[A->t[i]] & ~S->vskill[vb]))
            top3_fill(S, B, A->t[i], &ta[i]);
    for (int j = 0; j < B->len; j++)
        if (S->tkind[B->t[j]] == KMT_VRP_JOB && !(S->tskill[B->t[j]] & ~S->vskill[va]))
            top3_fill(S, A, B->t[j], &tb[j]);
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
                kc[q] = kc[q - 1];
                ki[q] = ki[q - 1];
                kj[q] = kj[q - 1];
                kpa[q] = kpa[q - 1];
                kpb[q] = kpb[q - 1];
                q--;
            }
            kc[q] = est;
            ki[q] = i;
            kj[q] = j;
            kpa[q] = pa;
            kpb[q] = pb;
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
void kmt__vrp_local_search(search *X)
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
            if (ls_moves(X, u))
                improved = 1;
            else if (S->where[u] >= 0 && X->pure_delivery && ls_two_opt_star(X, u))
                improved = 1;
        }
        if (X->moves_all && X->swap_star && swap_star_pass(X)) improved = 1;
        if (!improved) break;
    }
}
