/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Minimum path cover of the trip graph (trip i -> trip j when one vehicle can
 * do j after i) as n - maximum bipartite matching, with implicit edges.
 *
 * The graph is never built: the successors of trip i that start at site b
 * are a suffix of b's trips sorted by start (all j with start_j >= ready_i +
 * delay(a, b)). Matching runs in phases as in Hopcroft-Karp: each phase
 * searches augmenting paths from every free left vertex with one shared
 * "visited" set over right vertices, kept as a union-find "next unvisited
 * position" index so that a phase costs O(n * s * alpha) for s sites rather
 * than O(edges) = O(n^2). Phases repeat until one finds no path, which
 * proves the matching maximum (a failed search leaves the matching and its
 * visited set valid). A greedy sweep gives the starting matching. Searches
 * use an explicit stack (no recursion).
 *
 * König's theorem turns the maximum matching into a minimum vertex cover;
 * the trips with neither copy in the cover are pairwise incompatible, and
 * because the delays are shortest-path times (triangle inequality) the
 * relation is transitive, so by Dilworth they number exactly the cover size:
 * a certificate that fewer vehicles cannot do.
 */
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

typedef struct {
    size_t n, S;
    int64_t *s, *r;   /* per local trip: start, ready (end + changeover) */
    int32_t *sa, *sb; /* local end site (a) and start site (b) */
    int32_t *trip;    /* local -> global trip index */
    int64_t *D;       /* S x S delays, -1 unreachable */
    int32_t *off;     /* S + 1 offsets into pos */
    int32_t *pos;     /* right vertices (local ids) by (site, start, id) */
    int32_t *adj;     /* n x S: first position in list b reachable from u */
    int32_t *nxt;     /* union-find: next unvisited position >= p */
    int32_t *mL, *mR; /* matching: left u -> right j, right j -> left u */
} pc;

static int32_t uf_find(int32_t *nxt, int32_t p)
{
    while (nxt[p] != p) {
        nxt[p] = nxt[nxt[p]];
        p = nxt[p];
    }
    return p;
}

static void uf_reset(pc *g)
{
    for (size_t p = 0; p <= g->n; p++) g->nxt[p] = (int32_t)p;
}

/* First position p in list b with (s, id) > (t, lim). */
static int32_t first_after(const pc *g, int32_t b, int64_t t, int32_t lim)
{
    int32_t lo = g->off[b], hi = g->off[b + 1];
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        int32_t j = g->pos[mid];
        if (g->s[j] > t || (g->s[j] == t && j > lim))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int edge_ok(const pc *g, int32_t u, int32_t j)
{
    int64_t d = g->D[(size_t)g->sa[u] * g->S + (size_t)g->sb[j]];
    if (d < 0 || u == j) return 0;
    int64_t t = g->r[u] + d;
    int32_t lim = t == g->s[u] ? u : -1;
    return g->s[j] > t || (g->s[j] == t && j > lim);
}

typedef struct {
    int32_t u, b, via;
} frame;

/* One augmenting-path search from free left vertex u0; returns 1 if the
 * matching grew. Visited right positions are removed from nxt. */
static int augment(pc *g, int32_t u0, frame *st)
{
    size_t S = g->S;
    int sp = 0;
    st[0] = (frame){ u0, 0, -1 };
    while (sp >= 0) {
        frame *F = &st[sp];
        int pushed = 0;
        while ((size_t)F->b < S) {
            int32_t b = F->b;
            int32_t start = g->adj[(size_t)F->u * S + (size_t)b];
            if (start < 0 || start >= g->off[b + 1]) {
                F->b++;
                continue;
            }
            int32_t p = uf_find(g->nxt, start);
            if (p >= g->off[b + 1]) {
                F->b++;
                continue;
            }
            g->nxt[p] = p + 1;
            int32_t j = g->pos[p];
            F->via = j;
            if (g->mR[j] < 0) {
                for (int k = sp; k >= 0; k--) {
                    g->mR[st[k].via] = st[k].u;
                    g->mL[st[k].u] = st[k].via;
                }
                return 1;
            }
            st[++sp] = (frame){ g->mR[j], 0, -1 };
            pushed = 1;
            break;
        }
        if (!pushed) sp--;
    }
    return 0;
}

typedef struct {
    int64_t key;
    int32_t a, b;
} k3;

static int cmp_k3(const void *x, const void *y)
{
    const k3 *p = x, *q = y;
    if (p->key != q->key) return p->key < q->key ? -1 : 1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Stage 1: the distinct sites of the trips' ends, ascending (*S of them, in
 * a new array). */
static int32_t *pc_sites(const pc *g, const kmt_fleet_trip *trips, size_t *S_out)
{
    size_t n = g->n;
    int32_t *sites = kmt_malloc(2 * n * sizeof *sites);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        const kmt_fleet_trip *t = &trips[g->trip[i]];
        sites[ns++] = t->site;
        sites[ns++] = t->end_site >= 0 ? t->end_site : t->site;
    }
    int64_t *tmpk = kmt_malloc(2 * n * sizeof *tmpk);
    for (size_t i = 0; i < ns; i++) tmpk[i] = sites[i];
    /* sort unique */
    k3 *u3 = kmt_malloc(ns * sizeof *u3);
    for (size_t i = 0; i < ns; i++) u3[i] = (k3){ tmpk[i], 0, 0 };
    qsort(u3, ns, sizeof *u3, cmp_k3);
    size_t S = 0;
    for (size_t i = 0; i < ns; i++)
        if (S == 0 || u3[S - 1].key != u3[i].key) u3[S++] = u3[i];
    int32_t *gsite = kmt_malloc(S * sizeof *gsite);
    for (size_t i = 0; i < S; i++) gsite[i] = (int32_t)u3[i].key;
    kmt_free(u3);
    kmt_free(tmpk);
    kmt_free(sites);
    *S_out = S;
    return gsite;
}

/* Stage 2: per local trip its start, ready time and site numbers (gsite[S],
 * ascending). */
static void pc_trips(pc *g, const kmt_fleet_trip *trips, int64_t changeover_s, const int32_t *gsite)
{
    size_t n = g->n, S = g->S;
    g->s = kmt_malloc(n * sizeof *g->s);
    g->r = kmt_malloc(n * sizeof *g->r);
    g->sa = kmt_malloc(n * sizeof *g->sa);
    g->sb = kmt_malloc(n * sizeof *g->sb);
    for (size_t i = 0; i < n; i++) {
        const kmt_fleet_trip *t = &trips[g->trip[i]];
        g->s[i] = t->start;
        g->r[i] = kmt__fleet_ready(t, changeover_s);
        int32_t a = t->end_site >= 0 ? t->end_site : t->site, b = t->site;
        size_t lo = 0, hi = S;
        while (hi - lo > 1) {
            size_t m = (lo + hi) / 2;
            if (gsite[m] <= a)
                lo = m;
            else
                hi = m;
        }
        g->sa[i] = (int32_t)lo;
        lo = 0, hi = S;
        while (hi - lo > 1) {
            size_t m = (lo + hi) / 2;
            if (gsite[m] <= b)
                lo = m;
            else
                hi = m;
        }
        g->sb[i] = (int32_t)lo;
    }
}

/* Stage 3: the site delays, the right lists (trips by start site, by start)
 * and each left vertex's first reachable position per list; matching empty. */
static void pc_lists(pc *g, kmt_fleet_delay_fn delay, void *ctx, const int32_t *gsite)
{
    size_t n = g->n, S = g->S;
    g->D = kmt_malloc(S * S * sizeof *g->D);
    for (size_t a = 0; a < S; a++)
        for (size_t b = 0; b < S; b++) g->D[a * S + b] = a == b ? 0 : (delay ? delay(gsite[a], gsite[b], ctx) : -1);
    /* right lists */
    g->off = kmt_calloc(S + 1, sizeof *g->off);
    for (size_t i = 0; i < n; i++) g->off[g->sb[i] + 1]++;
    for (size_t b = 0; b < S; b++) g->off[b + 1] += g->off[b];
    g->pos = kmt_malloc(n * sizeof *g->pos);
    {
        int32_t *fill = kmt_malloc((S + 1) * sizeof *fill);
        memcpy(fill, g->off, (S + 1) * sizeof *fill);
        for (size_t i = 0; i < n; i++) g->pos[fill[g->sb[i]]++] = (int32_t)i; /* already by start */
        kmt_free(fill);
    }
    size_t nadj;
    if (kmt_mul_overflow(n, S, &nadj)) abort();
    g->adj = kmt_malloc(nadj * sizeof *g->adj);
    for (size_t u = 0; u < n; u++)
        for (size_t b = 0; b < S; b++) {
            int64_t d = g->D[(size_t)g->sa[u] * S + b];
            if (d < 0) {
                g->adj[u * S + b] = -1;
                continue;
            }
            int64_t t = g->r[u] + d;
            g->adj[u * S + b] = first_after(g, (int32_t)b, t, t == g->s[u] ? (int32_t)u : -1);
        }
    g->nxt = kmt_malloc((n + 1) * sizeof *g->nxt);
    g->mL = kmt_malloc(n * sizeof *g->mL);
    g->mR = kmt_malloc(n * sizeof *g->mR);
    for (size_t i = 0; i < n; i++) g->mL[i] = g->mR[i] = -1;
}

/* Stage 4, the greedy start: sweep successors by start; take the
 * earliest-ready free predecessor at the nearest site that can reach it. */
static void pc_greedy(pc *g)
{
    size_t n = g->n, S = g->S;
    int32_t *q = kmt_malloc(n * sizeof *q);
    int32_t *qoff = kmt_calloc(S + 1, sizeof *qoff);
    for (size_t i = 0; i < n; i++) qoff[g->sa[i] + 1]++;
    for (size_t a = 0; a < S; a++) qoff[a + 1] += qoff[a];
    int32_t *fill = kmt_malloc((S + 1) * sizeof *fill);
    memcpy(fill, qoff, (S + 1) * sizeof *fill);
    int64_t *rk = kmt_malloc(n * sizeof *rk);
    for (size_t i = 0; i < n; i++) rk[i] = g->r[i];
    int32_t *byr = kmt_malloc(n * sizeof *byr);
    for (size_t i = 0; i < n; i++) byr[i] = (int32_t)i;
    kmt__fleet_sort_by_key(rk, byr, n);
    for (size_t k = 0; k < n; k++) q[fill[g->sa[byr[k]]]++] = byr[k];
    int32_t *hd = kmt_malloc(S * sizeof *hd);
    for (size_t a = 0; a < S; a++) hd[a] = qoff[a];
    for (size_t j = 0; j < n; j++) {
        int32_t b = g->sb[j];
        int32_t best = -1;
        int64_t bestd = -1;
        for (size_t a = 0; a < S; a++) {
            if (hd[a] >= qoff[a + 1]) continue;
            int64_t d = g->D[a * S + (size_t)b];
            if (d < 0) continue;
            int32_t u = q[hd[a]];
            if (!edge_ok(g, u, (int32_t)j)) continue;
            if (best < 0 || d < bestd) best = (int32_t)a, bestd = d;
        }
        if (best >= 0) {
            int32_t u = q[hd[best]++];
            g->mL[u] = (int32_t)j;
            g->mR[j] = u;
        }
    }
    kmt_free(q), kmt_free(qoff), kmt_free(fill), kmt_free(rk), kmt_free(byr), kmt_free(hd);
}

/* Stage 5: phases of augmenting-path searches until one finds none; returns
 * the number of paths (n - matched). */
static int32_t pc_match(pc *g)
{
    size_t n = g->n;
    frame *st = kmt_malloc((n + 1) * sizeof *st);
    for (;;) {
        uf_reset(g);
        size_t grew = 0;
        for (size_t u = 0; u < n; u++)
            if (g->mL[u] < 0) grew += (size_t)augment(g, (int32_t)u, st);
        if (!grew) break;
    }
    size_t matched = 0;
    for (size_t u = 0; u < n; u++) matched += g->mL[u] >= 0;
    kmt_free(st);
    return (int32_t)(n - matched);
}

/* path_of[k] for idx[k]: the number of its path (by the paths' first trips). */
static void pc_paths(const pc *g, const int32_t *idx, int32_t *path_of)
{
    size_t n = g->n;
    /* position of each global trip in idx */
    int32_t *where = kmt_malloc(n * sizeof *where);
    /* map local -> position in idx by sorting idx positions by trip */
    int32_t *posi = kmt_malloc(n * sizeof *posi);
    for (size_t i = 0; i < n; i++) posi[i] = (int32_t)i;
    /* local i has trip g->trip[i]; find its idx position: idx may be in any
     * order, so sort positions by trip index and binary search */
    int64_t *tk = kmt_malloc(n * sizeof *tk);
    for (size_t i = 0; i < n; i++) tk[i] = idx[i];
    kmt__fleet_sort_by_key(tk, posi, n);
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t m = (lo + hi) / 2;
            if (idx[posi[m]] < g->trip[i])
                lo = m + 1;
            else
                hi = m;
        }
        where[i] = posi[lo];
    }
    int32_t pno = 0;
    for (size_t j = 0; j < n; j++) {
        if (g->mR[j] >= 0) continue;
        for (int32_t u = (int32_t)j; u >= 0; u = g->mL[u]) path_of[where[u]] = pno;
        pno++;
    }
    kmt_free(tk), kmt_free(posi), kmt_free(where);
}

/* The witness: trips no two of which one vehicle can do (König's cover
 * complement); *nwitness of them. */
static void pc_witness(pc *g, int32_t *witness, size_t *nwitness)
{
    size_t n = g->n, S = g->S;
    /* König: Z = reachable from free left vertices by alternating paths */
    uint8_t *zl = kmt_calloc(n, 1), *zr = kmt_calloc(n, 1);
    int32_t *queue = kmt_malloc(n * sizeof *queue);
    size_t qh = 0, qt = 0;
    uf_reset(g);
    for (size_t u = 0; u < n; u++)
        if (g->mL[u] < 0) zl[u] = 1, queue[qt++] = (int32_t)u;
    while (qh < qt) {
        int32_t u = queue[qh++];
        for (size_t b = 0; b < S; b++) {
            int32_t start = g->adj[(size_t)u * S + b];
            if (start < 0) continue;
            for (int32_t p = uf_find(g->nxt, start); p < g->off[b + 1]; p = uf_find(g->nxt, p)) {
                g->nxt[p] = p + 1;
                int32_t j = g->pos[p];
                zr[j] = 1;
                int32_t v = g->mR[j];
                if (v >= 0 && !zl[v]) zl[v] = 1, queue[qt++] = v;
            }
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (zl[i] && !zr[i]) witness[k++] = g->trip[i];
    *nwitness = k;
    kmt_free(zl), kmt_free(zr), kmt_free(queue);
}

int32_t kmt_fleet_path_cover(const kmt_fleet_trip *trips, const int32_t *idx, size_t n, int64_t changeover_s,
                             kmt_fleet_delay_fn delay, void *ctx, int32_t *path_of, int32_t *witness, size_t *nwitness)
{
    if (nwitness) *nwitness = 0;
    if (n == 0) return 0;
    pc g;
    memset(&g, 0, sizeof g);
    g.n = n;
    /* local ids in order of (start, index) */
    int32_t *ord = kmt_malloc(n * sizeof *ord); /* local -> position in idx */
    memcpy(ord, idx, n * sizeof *ord);
    kmt__fleet_sort_by_start(trips, ord, n);
    g.trip = ord;
    int32_t *gsite = pc_sites(&g, trips, &g.S);
    pc_trips(&g, trips, changeover_s, gsite);
    pc_lists(&g, delay, ctx, gsite);
    kmt_free(gsite);
    pc_greedy(&g);
    int32_t cover = pc_match(&g);
    if (path_of) pc_paths(&g, idx, path_of);
    if (witness) pc_witness(&g, witness, nwitness);
    kmt_free(g.s), kmt_free(g.r), kmt_free(g.sa), kmt_free(g.sb), kmt_free(g.D), kmt_free(g.off);
    kmt_free(g.pos), kmt_free(g.adj), kmt_free(g.nxt), kmt_free(g.mL), kmt_free(g.mR);
    kmt_free(g.trip);
    return cover;
}
