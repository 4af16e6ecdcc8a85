/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Feasibility of one group riding together: every driver, every stop order,
 * and for an order the schedule. The schedule is a simple temporal network:
 * variables are the stop times, constraints are differences (legs at least
 * their travel time apart, pickups no earlier than the earliest departure,
 * drop-offs no later than the latest arrival, drop-off minus pickup at most
 * the allowed time in the car). It is feasible iff the constraint graph has
 * no negative cycle (Bellman-Ford), and then the componentwise earliest
 * schedule is itself feasible. Rule for waiting (docs/pool.md): every stop
 * at its earliest feasible time, then each pickup (and the driver's
 * departure) moved as late as it can without moving the stop after it, so
 * nobody sits waiting in the car when starting later would do; waiting
 * stays only where a window forces it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pool_int.h"

int32_t kmt__pool_allow(const kmt_pool_opts *p, int32_t T)
{
    double pct = floor((double)T * p->max_detour_pct / 100.0);
    int64_t extra = (int64_t)pct > p->max_detour_s ? (int64_t)pct : p->max_detour_s;
    int64_t a = (int64_t)T + extra;
    return a > INT32_MAX / 2 ? INT32_MAX / 2 : (int32_t)a;
}

#define LMAX (2 * KMT_POOL_KMAX)
#define INF64 INT64_MAX

typedef struct grp {
    const kmt_pool_request *r;
    const kmt_pool_matrix *m;
    const kmt_pool_opts *p;
    int k;
    uint32_t pt[KMT_POOL_KMAX], dt[KMT_POOL_KMAX]; /* origin / destination points per slot */
    int64_t ed[KMT_POOL_KMAX], la[KMT_POOL_KMAX];
    int32_t R[KMT_POOL_KMAX];
    int seats[KMT_POOL_KMAX];
    /* the order being built: slot*2 + kind per stop */
    uint8_t seq[LMAX];
    /* candidates */
    struct cand {
        int64_t dist;
        uint8_t seq[LMAX];
    } * c, local[64]; /* c starts at local: no allocation for small groups */
    size_t nc, capc;
} grp;

static uint32_t stop_point(const grp *g, uint8_t s)
{
    return (s & 1) ? g->dt[s >> 1] : g->pt[s >> 1];
}

/*
 * Solve the temporal network of order seq (L stops). Returns 1 and the
 * schedule in t[] when feasible, else 0.
 */
static int schedule(const grp *g, const uint8_t *seq, int L, int64_t *t)
{
    /* edges u -> v with weight w mean x_v - x_u <= w; node L is time zero */
    int eu[4 * LMAX], ev[4 * LMAX];
    int64_t ew[4 * LMAX];
    int ne = 0, pick[KMT_POOL_KMAX];
    for (int j = 0; j + 1 < L; j++) {
        int32_t leg = kmt__dur(g->m, stop_point(g, seq[j]), stop_point(g, seq[j + 1]));
        if (leg == KMT_POOL_UNREACH) return 0;
        eu[ne] = j + 1, ev[ne] = j, ew[ne++] = -(int64_t)leg;
    }
    for (int j = 0; j < L; j++) {
        int s = seq[j] >> 1;
        if ((seq[j] & 1) == 0) {
            pick[s] = j;
            eu[ne] = j, ev[ne] = L, ew[ne++] = -g->ed[s];
        } else {
            eu[ne] = L, ev[ne] = j, ew[ne++] = g->la[s];
            eu[ne] = pick[s], ev[ne] = j, ew[ne++] = g->R[s];
        }
    }
    /* d[u] = shortest distance from u to node L (relax over edges u -> v) */
    int64_t d[LMAX + 1];
    for (int i = 0; i <= L; i++) d[i] = INF64;
    d[L] = 0;
    for (int it = 0; it <= L + 1; it++) {
        int changed = 0;
        for (int q = 0; q < ne; q++) {
            if (d[ev[q]] == INF64) continue;
            int64_t nd = d[ev[q]] + ew[q];
            if (nd < d[eu[q]]) {
                d[eu[q]] = nd;
                changed = 1;
            }
        }
        if (!changed) break;
        if (it == L + 1) return 0; /* still relaxing after V rounds: a negative cycle */
    }
    for (int j = 0; j < L; j++) t[j] = -d[j];
    /* move pickups later where that removes waiting (drop-offs stay) */
    for (int j = L - 2; j >= 0; j--) {
        if (seq[j] & 1) continue;
        int64_t leg = kmt__dur(g->m, stop_point(g, seq[j]), stop_point(g, seq[j + 1]));
        if (t[j + 1] - leg > t[j]) t[j] = t[j + 1] - leg;
    }
    return 1;
}

static void add_cand(grp *g, int L, int64_t dist)
{
    if (g->nc == g->capc) {
        size_t nc = 2 * g->capc;
        struct cand *c = kmt_malloc(nc * sizeof *c);
        memcpy(c, g->c, g->nc * sizeof *c);
        if (g->c != g->local) kmt_free(g->c);
        g->c = c;
        g->capc = nc;
    }
    g->c[g->nc].dist = dist;
    memcpy(g->c[g->nc].seq, g->seq, (size_t)L);
    g->nc++;
}

/*
 * Enumerate the passengers' stop orders between the driver's pickup (seq[0])
 * and drop-off, pruning with lower bounds: the earliest time at each stop
 * (waiting only delays), each on-board person's accumulated leg time (a
 * lower bound of their time in the car), and seats. Depth is at most
 * 2 * (KMT_POOL_KMAX - 1): bounded by a constant.
 */
static void orders(grp *g, int depth, int L, unsigned picked, unsigned dropped, int occ, int64_t now, int64_t dist,
                   const int64_t *acc)
{
    uint32_t here = stop_point(g, g->seq[depth - 1]);
    int drv = g->seq[0] >> 1;
    if (depth == L - 1) {
        int32_t leg = kmt__dur(g->m, here, g->dt[drv]);
        if (leg == KMT_POOL_UNREACH) return;
        if (now + leg > g->la[drv] || acc[drv] + leg > g->R[drv]) return;
        g->seq[depth] = (uint8_t)(drv * 2 + 1);
        add_cand(g, L, dist + kmt__dist(g->m, here, g->dt[drv]));
        return;
    }
    for (int s = 0; s < g->k; s++) {
        if (s == drv) continue;
        for (int kind = 0; kind < 2; kind++) {
            unsigned bit = 1u << s;
            if (kind == 0 && (picked & bit)) continue;
            if (kind == 1 && (!(picked & bit) || (dropped & bit))) continue;
            uint32_t to = kind ? g->dt[s] : g->pt[s];
            int32_t leg = kmt__dur(g->m, here, to);
            if (leg == KMT_POOL_UNREACH) continue;
            int64_t t = now + leg;
            int64_t nacc[KMT_POOL_KMAX];
            for (int q = 0; q < g->k; q++) nacc[q] = acc[q] + (((picked & ~dropped) >> q) & 1 ? leg : 0);
            int nocc = occ;
            if (kind == 0) {
                if (t < g->ed[s]) t = g->ed[s];
                nocc += g->seats[s];
                if (nocc > g->p->seats) continue;
                nacc[s] = 0;
            } else {
                if (t > g->la[s] || nacc[s] > g->R[s]) continue;
                nocc -= g->seats[s];
            }
            int bad = 0;
            for (int q = 0; q < g->k; q++)
                if ((((picked & ~dropped) >> q) & 1) && nacc[q] > g->R[q]) bad = 1;
            if (bad) continue;
            g->seq[depth] = (uint8_t)(s * 2 + kind);
            orders(g, depth + 1, L, kind ? picked : picked | bit, kind ? dropped | bit : dropped, nocc, t,
                   dist + kmt__dist(g->m, here, to), nacc);
        }
    }
}

/* Candidates sorted by (distance, generation index): unique keys, so the
 * order is deterministic. */
typedef struct ckey {
    int64_t dist;
    size_t i;
} ckey;

static int ckey_cmp(const void *a, const void *b)
{
    const ckey *x = a, *y = b;
    if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int kmt_pool_group_best(const kmt_pool_request *r, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                        const uint32_t *members, int k, int64_t *m_driven, kmt_pool_stop *stops)
{
    return kmt__pool_group_eval(r, m, p, members, k, -1, m_driven, stops);
}

int kmt__pool_group_eval(const kmt_pool_request *r, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                         const uint32_t *members, int k, int driver, int64_t *m_driven, kmt_pool_stop *stops)
{
    if (k < 1 || k > KMT_POOL_KMAX) return 0;
    grp g;
    g.r = r, g.m = m, g.p = p, g.k = k;
    g.c = g.local;
    g.nc = 0;
    g.capc = sizeof g.local / sizeof *g.local;
    for (int s = 0; s < k; s++) {
        const kmt_pool_request *q = &r[members[s]];
        g.pt[s] = q->o;
        g.dt[s] = q->d;
        g.ed[s] = q->earliest_departure;
        g.la[s] = q->latest_arrival;
        g.seats[s] = q->seats;
        int32_t T = kmt__dur(m, q->o, q->d);
        if (T == KMT_POOL_UNREACH) return 0;
        g.R[s] = kmt__pool_allow(p, T);
    }
    int L = 2 * k;
    for (int d = 0; d < k; d++) {
        if (driver >= 0 && d != driver) continue;
        if (!r[members[d]].can_drive || g.seats[d] > p->seats) continue;
        g.seq[0] = (uint8_t)(d * 2);
        int64_t acc[KMT_POOL_KMAX] = { 0 };
        orders(&g, 1, L, 1u << d, 0, g.seats[d], g.ed[d], 0, acc);
    }
    int found = 0;
    if (g.nc) {
        ckey kbuf[64], *keys = g.nc <= 64 ? kbuf : kmt_malloc(g.nc * sizeof *keys);
        for (size_t i = 0; i < g.nc; i++) keys[i] = (ckey){ g.c[i].dist, i };
        if (g.nc > 32) {
            qsort(keys, g.nc, sizeof *keys, ckey_cmp);
        } else { /* few candidates (pairs, most trios): insertion sort, no allocation */
            for (size_t i = 1; i < g.nc; i++) {
                ckey x = keys[i];
                size_t j = i;
                while (j > 0 && ckey_cmp(&keys[j - 1], &x) > 0) keys[j] = keys[j - 1], j--;
                keys[j] = x;
            }
        }
        int64_t t[LMAX];
        for (size_t q = 0; q < g.nc && !found; q++) {
            const struct cand *c = &g.c[keys[q].i];
            if (schedule(&g, c->seq, L, t)) {
                found = 1;
                *m_driven = c->dist;
                if (stops)
                    for (int j = 0; j < L; j++) {
                        stops[j].request = members[c->seq[j] >> 1];
                        stops[j].kind = c->seq[j] & 1 ? KMT_POOL_DROPOFF : KMT_POOL_PICKUP;
                        stops[j].time = t[j];
                    }
            }
        }
        if (keys != kbuf) kmt_free(keys);
    }
    if (g.c != g.local) kmt_free(g.c);
    return found;
}
