/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Maximum-weight matching on a general graph: Edmonds' blossom algorithm in
 * its primal-dual form with Galil's O(n^3) bookkeeping (least-slack edges per
 * vertex and per S-blossom). Written for kommute after Galil's survey
 * ("Efficient algorithms for finding maximum matching in graphs", ACM
 * Computing Surveys 1986) and the structure of well-known public
 * implementations; the nested-blossom walks are iterative here (explicit
 * stacks), so no recursion depth grows with the input.
 *
 * Conventions: edge k has endpoints 2k (u) and 2k+1 (v); an "endpoint" p
 * names the vertex endpoint[p] and p^1 is the other end. Vertex duals are
 * kept doubled, so slack(k) = dual[u] + dual[v] - 2 w(k) and integer weights
 * give integer arithmetic throughout. Blossoms are numbered nv .. 2nv-1.
 * Labels: 0 free, 1 S (outer), 2 T (inner); bit 4 marks a blossom on the
 * path during scan_blossom.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/pool.h"

typedef KMT_VEC(int32_t) ivec;

typedef struct mw {
    int32_t nv, ne;
    const kmt_pool_edge *edges;
    int32_t *endpoint;      /* 2ne */
    int32_t *nb_start, *nb; /* CSR of remote endpoints per vertex */
    int32_t *nb_to;         /* the same entries: the neighbour vertex ... */
    int64_t *nb_w2;         /* ... and twice the edge weight (scanning reads these in order) */
    int32_t *mate;          /* per vertex: remote endpoint of its matched edge, -1 */
    int32_t *label, *labelend, *inblossom, *parent, *base, *bestedge;
    ivec *childs, *endps, *bestedges; /* per blossom (index b - nv) */
    int *has_bestedges;               /* per blossom or vertex: bestedges list valid */
    int64_t *dual;                    /* 2nv */
    unsigned char *allowed;           /* ne */
    ivec queue, unused, tmp, stack;
} mw;

static int64_t slack(const mw *g, int32_t k)
{
    return g->dual[g->edges[k].u] + g->dual[g->edges[k].v] - 2 * g->edges[k].w;
}

/* The vertices inside blossom b (b itself when it is a vertex), appended to out. */
static void leaves(mw *g, int32_t b, ivec *out)
{
    g->stack.n = 0;
    KMT_VEC_PUSH(g->stack, b);
    while (g->stack.n) {
        int32_t x = g->stack.v[--g->stack.n];
        if (x < g->nv) {
            KMT_VEC_PUSH(*out, x);
        } else {
            ivec *c = &g->childs[x - g->nv];
            for (size_t i = c->n; i-- > 0;) KMT_VEC_PUSH(g->stack, c->v[i]);
        }
    }
}

/* Label the top blossom of w with t (1 S, 2 T) reached through endpoint p;
 * a T-blossom's mate becomes S in turn (a loop: at most two steps). */
static void assign_label(mw *g, int32_t w, int t, int32_t p)
{
    for (;;) {
        int32_t b = g->inblossom[w];
        assert(g->label[w] == 0 && g->label[b] == 0);
        g->label[w] = g->label[b] = t;
        g->labelend[w] = g->labelend[b] = p;
        g->bestedge[w] = g->bestedge[b] = -1;
        if (t == 1) {
            leaves(g, b, &g->queue);
            return;
        }
        int32_t bs = g->base[b];
        assert(g->mate[bs] >= 0);
        int32_t mp = g->mate[bs];
        w = g->endpoint[mp];
        t = 1;
        p = mp ^ 1;
    }
}

/* Trace back from v and w to find the base of a new blossom, or -1 when the
 * two trees differ (an augmenting path). */
static int32_t scan_blossom(mw *g, int32_t v, int32_t w)
{
    size_t path0 = g->tmp.n;
    int32_t bbase = -1;
    while (v != -1 || w != -1) {
        if (v != -1) {
            int32_t b = g->inblossom[v];
            if (g->label[b] & 4) {
                bbase = g->base[b];
                break;
            }
            assert(g->label[b] == 1);
            KMT_VEC_PUSH(g->tmp, b);
            g->label[b] = 5;
            if (g->labelend[b] == -1) {
                v = -1;
            } else {
                v = g->endpoint[g->labelend[b]];
                b = g->inblossom[v];
                assert(g->label[b] == 2);
                v = g->endpoint[g->labelend[b]];
            }
        }
        if (w != -1) {
            int32_t t = v;
            v = w;
            w = t;
        }
    }
    for (size_t i = path0; i < g->tmp.n; i++) g->label[g->tmp.v[i]] = 1;
    g->tmp.n = path0;
    return bbase;
}

/* Make a new S-blossom from the cycle closed by edge k, with base bbase. */
static void add_blossom(mw *g, int32_t bbase, int32_t k)
{
    int32_t v = g->edges[k].u, w = g->edges[k].v;
    int32_t bb = g->inblossom[bbase], bv = g->inblossom[v], bw = g->inblossom[w];
    assert(g->unused.n > 0);
    int32_t b = g->unused.v[--g->unused.n];
    int32_t bi = b - g->nv;
    g->base[b] = bbase;
    g->parent[b] = -1;
    g->parent[bb] = b;
    ivec *ch = &g->childs[bi], *ep = &g->endps[bi];
    ch->n = ep->n = 0;
    /* v's side, collected backwards, then reversed */
    while (bv != bb) {
        g->parent[bv] = b;
        KMT_VEC_PUSH(*ch, bv);
        KMT_VEC_PUSH(*ep, g->labelend[bv]);
        v = g->endpoint[g->labelend[bv]];
        bv = g->inblossom[v];
    }
    KMT_VEC_PUSH(*ch, bb);
    for (size_t i = 0, j = ch->n - 1; i < j; i++, j--) {
        int32_t t = ch->v[i];
        ch->v[i] = ch->v[j];
        ch->v[j] = t;
    }
    for (size_t i = 0, j = ep->n ? ep->n - 1 : 0; ep->n && i < j; i++, j--) {
        int32_t t = ep->v[i];
        ep->v[i] = ep->v[j];
        ep->v[j] = t;
    }
    KMT_VEC_PUSH(*ep, 2 * k);
    while (bw != bb) {
        g->parent[bw] = b;
        KMT_VEC_PUSH(*ch, bw);
        KMT_VEC_PUSH(*ep, g->labelend[bw] ^ 1);
        w = g->endpoint[g->labelend[bw]];
        bw = g->inblossom[w];
    }
    assert(g->label[bb] == 1);
    g->label[b] = 1;
    g->labelend[b] = g->labelend[bb];
    g->dual[b] = 0;
    g->tmp.n = 0;
    leaves(g, b, &g->tmp);
    for (size_t i = 0; i < g->tmp.n; i++) {
        int32_t x = g->tmp.v[i];
        if (g->label[g->inblossom[x]] == 2) KMT_VEC_PUSH(g->queue, x);
        g->inblossom[x] = b;
    }
    g->tmp.n = 0;
    /* least-slack edges from the new blossom to each neighbouring S-blossom */
    int32_t *bestto = kmt_malloc(sizeof(int32_t) * 2 * (size_t)g->nv);
    for (int32_t i = 0; i < 2 * g->nv; i++) bestto[i] = -1;
    for (size_t c = 0; c < ch->n; c++) {
        int32_t sb = ch->v[c];
        ivec list = { 0 };
        if (sb >= g->nv && g->has_bestedges[sb]) {
            ivec *l = &g->bestedges[sb - g->nv];
            for (size_t i = 0; i < l->n; i++) KMT_VEC_PUSH(list, l->v[i]);
        } else {
            ivec lv = { 0 };
            leaves(g, sb, &lv);
            for (size_t i = 0; i < lv.n; i++)
                for (int32_t q = g->nb_start[lv.v[i]]; q < g->nb_start[lv.v[i] + 1]; q++)
                    KMT_VEC_PUSH(list, g->nb[q] / 2);
            KMT_VEC_FREE(lv);
        }
        for (size_t i = 0; i < list.n; i++) {
            int32_t kk = list.v[i];
            int32_t j = (int32_t)g->edges[kk].v;
            if (g->inblossom[j] == b) j = (int32_t)g->edges[kk].u;
            int32_t bj = g->inblossom[j];
            if (bj != b && g->label[bj] == 1 && (bestto[bj] == -1 || slack(g, kk) < slack(g, bestto[bj])))
                bestto[bj] = kk;
        }
        KMT_VEC_FREE(list);
        g->has_bestedges[sb] = 0;
        if (sb >= g->nv) g->bestedges[sb - g->nv].n = 0;
        g->bestedge[sb] = -1;
    }
    ivec *be = &g->bestedges[bi];
    be->n = 0;
    g->bestedge[b] = -1;
    for (int32_t i = 0; i < 2 * g->nv; i++) {
        int32_t kk = bestto[i];
        if (kk == -1) continue;
        KMT_VEC_PUSH(*be, kk);
        if (g->bestedge[b] == -1 || slack(g, kk) < slack(g, g->bestedge[b])) g->bestedge[b] = kk;
    }
    g->has_bestedges[b] = 1;
    kmt_free(bestto);
}

static int32_t child_index(const ivec *c, int32_t x)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i] == x) return (int32_t)i;
    assert(0 && "child not in blossom");
    return -1;
}

/* Index j of a cyclic list of length len (j may be negative). */
static size_t wrap(int32_t j, size_t len)
{
    int32_t l = (int32_t)len;
    return (size_t)(((j % l) + l) % l);
}

/* Which way round a blossom from child index j to its base (index 0): an odd
 * j goes forward (j becomes negative, wrapping), an even one backward; trick
 * selects the endpoint of each connecting edge on that walk. */
static void direction(int32_t *j, size_t len, int32_t *jstep, int32_t *trick)
{
    if (*j & 1) {
        *j -= (int32_t)len;
        *jstep = 1;
        *trick = 0;
    } else {
        *jstep = -1;
        *trick = 1;
    }
}

static void recycle(mw *g, int32_t b)
{
    g->label[b] = g->labelend[b] = -1;
    g->childs[b - g->nv].n = g->endps[b - g->nv].n = 0;
    g->bestedges[b - g->nv].n = 0;
    g->has_bestedges[b] = 0;
    g->base[b] = -1;
    g->bestedge[b] = -1;
    KMT_VEC_PUSH(g->unused, b);
}

/* Expand blossom b. At the end of a stage (endstage) nested blossoms with
 * zero dual are expanded too (a worklist, no recursion); in mid-stage a
 * T-blossom's children are relabelled along the path through it. */
static void expand_blossom(mw *g, int32_t b0, int endstage)
{
    ivec work = { 0 };
    KMT_VEC_PUSH(work, b0);
    while (work.n) {
        int32_t b = work.v[--work.n];
        ivec *ch = &g->childs[b - g->nv];
        for (size_t i = 0; i < ch->n; i++) {
            int32_t s = ch->v[i];
            g->parent[s] = -1;
            if (s < g->nv) {
                g->inblossom[s] = s;
            } else if (endstage && g->dual[s] == 0) {
                KMT_VEC_PUSH(work, s);
            } else {
                g->tmp.n = 0;
                leaves(g, s, &g->tmp);
                for (size_t q = 0; q < g->tmp.n; q++) g->inblossom[g->tmp.v[q]] = s;
                g->tmp.n = 0;
            }
        }
        if (!endstage && g->label[b] == 2) {
            ivec *ep = &g->endps[b - g->nv];
            size_t len = ch->n;
            int32_t entrychild = g->inblossom[g->endpoint[g->labelend[b] ^ 1]];
            int32_t j = child_index(ch, entrychild), jstep, trick;
            direction(&j, len, &jstep, &trick);
            int32_t p = g->labelend[b];
            while (j != 0) {
                g->label[g->endpoint[p ^ 1]] = 0;
                g->label[g->endpoint[ep->v[wrap(j - trick, len)] ^ trick ^ 1]] = 0;
                assign_label(g, g->endpoint[p ^ 1], 2, p);
                g->allowed[ep->v[wrap(j - trick, len)] / 2] = 1;
                j += jstep;
                p = ep->v[wrap(j - trick, len)] ^ trick;
                g->allowed[p / 2] = 1;
                j += jstep;
            }
            int32_t bv = ch->v[wrap(j, len)];
            g->label[g->endpoint[p ^ 1]] = g->label[bv] = 2;
            g->labelend[g->endpoint[p ^ 1]] = g->labelend[bv] = p;
            g->bestedge[bv] = -1;
            j += jstep;
            while (ch->v[wrap(j, len)] != entrychild) {
                bv = ch->v[wrap(j, len)];
                if (g->label[bv] == 1) {
                    j += jstep;
                    continue;
                }
                g->tmp.n = 0;
                leaves(g, bv, &g->tmp);
                int32_t reached = -1;
                for (size_t q = 0; q < g->tmp.n; q++)
                    if (g->label[g->tmp.v[q]] != 0) {
                        reached = g->tmp.v[q];
                        break;
                    }
                g->tmp.n = 0;
                if (reached >= 0) {
                    assert(g->label[reached] == 2 && g->inblossom[reached] == bv);
                    g->label[reached] = 0;
                    g->label[g->endpoint[g->mate[g->base[bv]]]] = 0;
                    assign_label(g, reached, 2, g->labelend[reached]);
                }
                j += jstep;
            }
        }
        recycle(g, b);
    }
    KMT_VEC_FREE(work);
}

/* Swap matched and unmatched edges inside blossom b0 so that vertex v0
 * becomes its base. The nested blossoms on the way are independent of each
 * other, so they go on a worklist. */
static void augment_blossom(mw *g, int32_t b0, int32_t v0)
{
    ivec work = { 0 };
    KMT_VEC_PUSH(work, b0);
    KMT_VEC_PUSH(work, v0);
    while (work.n) {
        int32_t v = work.v[--work.n];
        int32_t b = work.v[--work.n];
        int32_t t = v;
        while (g->parent[t] != b) t = g->parent[t];
        if (t >= g->nv) {
            KMT_VEC_PUSH(work, t);
            KMT_VEC_PUSH(work, v);
        }
        ivec *ch = &g->childs[b - g->nv], *ep = &g->endps[b - g->nv];
        size_t len = ch->n;
        int32_t i = child_index(ch, t), j = i, jstep, trick;
        direction(&j, len, &jstep, &trick);
        while (j != 0) {
            j += jstep;
            t = ch->v[wrap(j, len)];
            int32_t p = ep->v[wrap(j - trick, len)] ^ trick;
            if (t >= g->nv) {
                KMT_VEC_PUSH(work, t);
                KMT_VEC_PUSH(work, g->endpoint[p]);
            }
            j += jstep;
            t = ch->v[wrap(j, len)];
            if (t >= g->nv) {
                KMT_VEC_PUSH(work, t);
                KMT_VEC_PUSH(work, g->endpoint[p ^ 1]);
            }
            g->mate[g->endpoint[p]] = p ^ 1;
            g->mate[g->endpoint[p ^ 1]] = p;
        }
        /* rotate so that child i comes first */
        if (i > 0) {
            int32_t *rc = kmt_malloc(sizeof(int32_t) * len), *re = kmt_malloc(sizeof(int32_t) * len);
            for (size_t q = 0; q < len; q++) {
                rc[q] = ch->v[(q + (size_t)i) % len];
                re[q] = ep->v[(q + (size_t)i) % len];
            }
            memcpy(ch->v, rc, sizeof(int32_t) * len);
            memcpy(ep->v, re, sizeof(int32_t) * len);
            kmt_free(rc);
            kmt_free(re);
        }
        /* the child now first gets v as its base when its own turn on the
         * worklist comes; b's base is v already */
        g->base[b] = v;
    }
    KMT_VEC_FREE(work);
}

/* Augment the matching along the path through tight edge k between two
 * S-vertices of different trees. */
static void augment_matching(mw *g, int32_t k)
{
    int32_t ends[2][2] = { { (int32_t)g->edges[k].u, 2 * k + 1 }, { (int32_t)g->edges[k].v, 2 * k } };
    for (int side = 0; side < 2; side++) {
        int32_t s = ends[side][0], p = ends[side][1];
        for (;;) {
            int32_t bs = g->inblossom[s];
            assert(g->label[bs] == 1);
            if (bs >= g->nv) augment_blossom(g, bs, s);
            g->mate[s] = p;
            if (g->labelend[bs] == -1) break;
            int32_t t = g->endpoint[g->labelend[bs]];
            int32_t bt = g->inblossom[t];
            assert(g->label[bt] == 2);
            s = g->endpoint[g->labelend[bt]];
            int32_t j = g->endpoint[g->labelend[bt] ^ 1];
            if (bt >= g->nv) augment_blossom(g, bt, j);
            g->mate[j] = g->labelend[bt];
            p = g->labelend[bt] ^ 1;
        }
    }
}

/* Set up g for the ne positive edges on nv vertices (maxw the largest
 * weight): endpoints, the CSR of neighbours, all vertices free and single,
 * vertex duals maxw, every blossom number unused. */
static void mw_init(mw *g, int32_t nv, const kmt_pool_edge *edges, size_t ne, int64_t maxw)
{
    g->nv = nv;
    g->ne = (int32_t)ne;
    g->edges = edges;
    size_t n2 = 2 * (size_t)nv;
    g->endpoint = kmt_malloc(sizeof(int32_t) * 2 * ne);
    g->nb_start = kmt_calloc((size_t)nv + 1, sizeof(int32_t));
    g->nb = kmt_malloc(sizeof(int32_t) * 2 * ne);
    for (size_t k = 0; k < ne; k++) {
        g->endpoint[2 * k] = (int32_t)edges[k].u;
        g->endpoint[2 * k + 1] = (int32_t)edges[k].v;
        g->nb_start[edges[k].u + 1]++;
        g->nb_start[edges[k].v + 1]++;
    }
    for (int32_t v = 0; v < nv; v++) g->nb_start[v + 1] += g->nb_start[v];
    int32_t *fill = kmt_malloc(sizeof(int32_t) * (size_t)nv);
    memcpy(fill, g->nb_start, sizeof(int32_t) * (size_t)nv);
    g->nb_to = kmt_malloc(sizeof(int32_t) * 2 * ne);
    g->nb_w2 = kmt_malloc(sizeof(int64_t) * 2 * ne);
    for (size_t k = 0; k < ne; k++) {
        size_t a = (size_t)fill[edges[k].u]++, b = (size_t)fill[edges[k].v]++;
        g->nb[a] = (int32_t)(2 * k + 1); /* remote end of u is v */
        g->nb[b] = (int32_t)(2 * k);
        g->nb_to[a] = (int32_t)edges[k].v;
        g->nb_to[b] = (int32_t)edges[k].u;
        g->nb_w2[a] = g->nb_w2[b] = 2 * edges[k].w;
    }
    kmt_free(fill);
    g->mate = kmt_malloc(sizeof(int32_t) * (size_t)nv);
    g->label = kmt_malloc(sizeof(int32_t) * n2);
    g->labelend = kmt_malloc(sizeof(int32_t) * n2);
    g->inblossom = kmt_malloc(sizeof(int32_t) * (size_t)nv);
    g->parent = kmt_malloc(sizeof(int32_t) * n2);
    g->base = kmt_malloc(sizeof(int32_t) * n2);
    g->bestedge = kmt_malloc(sizeof(int32_t) * n2);
    g->childs = kmt_calloc((size_t)nv, sizeof(ivec));
    g->endps = kmt_calloc((size_t)nv, sizeof(ivec));
    g->bestedges = kmt_calloc((size_t)nv, sizeof(ivec));
    g->has_bestedges = kmt_calloc(n2, sizeof(int));
    g->dual = kmt_malloc(sizeof(int64_t) * n2);
    g->allowed = kmt_calloc(ne, 1);
    for (int32_t v = 0; v < nv; v++) {
        g->mate[v] = -1;
        g->inblossom[v] = v;
        g->base[v] = v;
        g->dual[v] = maxw;
    }
    for (size_t b = (size_t)nv; b < n2; b++) {
        g->base[b] = -1;
        g->dual[b] = 0;
    }
    for (size_t b = 0; b < n2; b++) {
        g->parent[b] = -1;
        g->label[b] = 0;
        g->labelend[b] = -1;
        g->bestedge[b] = -1;
    }
    for (int32_t b = 2 * nv - 1; b >= nv; b--) KMT_VEC_PUSH(g->unused, b);
}

/* The start of a stage: no labels, no least-slack edges, no edge allowed;
 * every free vertex an S-vertex in the queue. */
static void stage_reset(mw *g)
{
    int32_t nv = g->nv;
    size_t n2 = 2 * (size_t)nv, ne = (size_t)g->ne;
    for (size_t b = 0; b < n2; b++) {
        g->label[b] = 0;
        g->bestedge[b] = -1;
    }
    for (int32_t b = nv; b < 2 * nv; b++) {
        g->has_bestedges[b] = 0;
        g->bestedges[b - nv].n = 0;
    }
    memset(g->allowed, 0, ne);
    g->queue.n = 0;
    for (int32_t v = 0; v < nv; v++)
        if (g->mate[v] == -1 && g->label[g->inblossom[v]] == 0) assign_label(g, v, 1, -1);
}

/* Scan the edges of S-vertex v: label, form blossoms, note least-slack
 * edges. Returns 1 when an augmenting path was found and applied. The
 * arrays are read through locals: they never move during a solve, and the
 * byte stores to allowed[] would otherwise make every g-> field reload. */
static int scan_vertex(mw *g, int32_t v)
{
    const int32_t *nb_to = g->nb_to, *nb = g->nb, *inblossom = g->inblossom, *label = g->label;
    const int64_t *nb_w2 = g->nb_w2, *dual = g->dual;
    int32_t *bestedge = g->bestedge;
    unsigned char *allowed = g->allowed;
    assert(label[inblossom[v]] == 1);
    int64_t dv = dual[v];
    for (int32_t q = g->nb_start[v], end = g->nb_start[v + 1]; q < end; q++) {
        int32_t w = nb_to[q];
        if (inblossom[v] == inblossom[w]) continue;
        int32_t p = nb[q], k = p / 2;
        int64_t ks = 0;
        if (!allowed[k]) {
            ks = dv + dual[w] - nb_w2[q];
            if (ks <= 0) allowed[k] = 1;
        }
        if (allowed[k]) {
            if (label[inblossom[w]] == 0) {
                assign_label(g, w, 2, p ^ 1);
            } else if (label[inblossom[w]] == 1) {
                int32_t bb = scan_blossom(g, v, w);
                if (bb >= 0) {
                    add_blossom(g, bb, k);
                } else {
                    augment_matching(g, k);
                    return 1;
                }
            } else if (label[w] == 0) {
                assert(label[inblossom[w]] == 2);
                g->label[w] = 2;
                g->labelend[w] = p ^ 1;
            }
        } else if (label[inblossom[w]] == 1) {
            int32_t b = inblossom[v];
            if (bestedge[b] == -1 || ks < slack(g, bestedge[b])) bestedge[b] = k;
        } else if (label[w] == 0) {
            if (bestedge[w] == -1 || ks < slack(g, bestedge[w])) bestedge[w] = k;
        }
    }
    return 0;
}

/* Grow the alternating trees from the queued S-vertices over allowed
 * (tight) edges. Returns 1 when an augmenting path was found and applied,
 * 0 when the queue ran empty. */
static int scan_queue(mw *g)
{
    while (g->queue.n)
        if (scan_vertex(g, g->queue.v[--g->queue.n])) return 1;
    return 0;
}

/* The dual change: the smallest of four kinds of delta, applied to the duals,
 * then acted on (allow an edge and queue its S end, or expand a T-blossom).
 * Returns 1 when the delta was the vertex duals' minimum: no augmenting
 * path is left and the matching is optimal. */
static int dual_step(mw *g)
{
    int32_t nv = g->nv;
    size_t n2 = 2 * (size_t)nv;
    /* the dual change: the smallest of four kinds of delta */
    int dtype = 1;
    int64_t delta = g->dual[0];
    int32_t dedge = -1, dblossom = -1;
    for (int32_t v = 1; v < nv; v++)
        if (g->dual[v] < delta) delta = g->dual[v];
    for (int32_t v = 0; v < nv; v++)
        if (g->label[g->inblossom[v]] == 0 && g->bestedge[v] != -1) {
            int64_t d = slack(g, g->bestedge[v]);
            if (d < delta) {
                delta = d;
                dtype = 2;
                dedge = g->bestedge[v];
            }
        }
    for (size_t b = 0; b < n2; b++)
        if (g->parent[b] == -1 && g->label[b] == 1 && g->bestedge[b] != -1 && ((int32_t)b < nv || g->base[b] >= 0)) {
            int64_t ks = slack(g, g->bestedge[b]);
            assert(ks % 2 == 0);
            int64_t d = ks / 2;
            if (d < delta) {
                delta = d;
                dtype = 3;
                dedge = g->bestedge[b];
            }
        }
    for (int32_t b = nv; b < 2 * nv; b++)
        if (g->base[b] >= 0 && g->parent[b] == -1 && g->label[b] == 2 && g->dual[b] < delta) {
            delta = g->dual[b];
            dtype = 4;
            dblossom = b;
        }
    for (int32_t v = 0; v < nv; v++) {
        int l = g->label[g->inblossom[v]];
        if (l == 1)
            g->dual[v] -= delta;
        else if (l == 2)
            g->dual[v] += delta;
    }
    for (int32_t b = nv; b < 2 * nv; b++)
        if (g->base[b] >= 0 && g->parent[b] == -1) {
            if (g->label[b] == 1)
                g->dual[b] += delta;
            else if (g->label[b] == 2)
                g->dual[b] -= delta;
        }
    if (dtype == 1) {
        return 1;
    } else if (dtype == 2) {
        g->allowed[dedge] = 1;
        int32_t i = (int32_t)g->edges[dedge].u;
        if (g->label[g->inblossom[i]] == 0) i = (int32_t)g->edges[dedge].v;
        assert(g->label[g->inblossom[i]] == 1);
        KMT_VEC_PUSH(g->queue, i);
    } else if (dtype == 3) {
        g->allowed[dedge] = 1;
        int32_t i = (int32_t)g->edges[dedge].u;
        assert(g->label[g->inblossom[i]] == 1);
        KMT_VEC_PUSH(g->queue, i);
    } else {
        expand_blossom(g, dblossom, 0);
    }
    return 0;
}

/* After an augmentation: expand the top-level S-blossoms whose dual is 0. */
static void expand_tight_blossoms(mw *g)
{
    int32_t nv = g->nv;
    for (int32_t b = nv; b < 2 * nv; b++)
        if (g->parent[b] == -1 && g->base[b] >= 0 && g->label[b] == 1 && g->dual[b] == 0) expand_blossom(g, b, 1);
}

static void mw_destroy(mw *g)
{
    int32_t nv = g->nv;
    for (int32_t b = 0; b < nv; b++) {
        KMT_VEC_FREE(g->childs[b]);
        KMT_VEC_FREE(g->endps[b]);
        KMT_VEC_FREE(g->bestedges[b]);
    }
    kmt_free(g->childs);
    kmt_free(g->endps);
    kmt_free(g->bestedges);
    kmt_free(g->has_bestedges);
    kmt_free(g->endpoint);
    kmt_free(g->nb_start);
    kmt_free(g->nb);
    kmt_free(g->nb_to);
    kmt_free(g->nb_w2);
    kmt_free(g->mate);
    kmt_free(g->label);
    kmt_free(g->labelend);
    kmt_free(g->inblossom);
    kmt_free(g->parent);
    kmt_free(g->base);
    kmt_free(g->bestedge);
    kmt_free(g->dual);
    kmt_free(g->allowed);
    KMT_VEC_FREE(g->queue);
    KMT_VEC_FREE(g->unused);
    KMT_VEC_FREE(g->tmp);
    KMT_VEC_FREE(g->stack);
}

int64_t kmt_pool_matching(uint32_t nv_, const kmt_pool_edge *all, size_t ne_all, int32_t *mate_out)
{
    for (uint32_t v = 0; v < nv_; v++) mate_out[v] = -1;
    /* keep positive edges only */
    kmt_pool_edge *edges = kmt_malloc(sizeof(kmt_pool_edge) * (ne_all ? ne_all : 1));
    size_t ne = 0;
    int64_t maxw = 0;
    for (size_t k = 0; k < ne_all; k++) {
        if (all[k].w <= 0 || all[k].u == all[k].v) continue;
        assert(all[k].u < nv_ && all[k].v < nv_);
        edges[ne++] = all[k];
        if (all[k].w > maxw) maxw = all[k].w;
    }
    if (ne == 0 || nv_ < 2) {
        kmt_free(edges);
        return 0;
    }
    mw G = { 0 }, *g = &G;
    int32_t nv = (int32_t)nv_;
    mw_init(g, nv, edges, ne, maxw);
    for (int32_t stage = 0; stage < nv; stage++) {
        stage_reset(g);
        int augmented = 0;
        for (;;) {
            if ((augmented = scan_queue(g))) break;
            if (dual_step(g)) break; /* optimal */
        }
        if (!augmented) break;
        expand_tight_blossoms(g);
    }

    int64_t total = 0;
    for (int32_t v = 0; v < nv; v++) {
        if (g->mate[v] >= 0) {
            mate_out[v] = g->endpoint[g->mate[v]];
            if (v < mate_out[v]) total += edges[g->mate[v] / 2].w;
        }
    }
    mw_destroy(g);
    kmt_free(edges);
    return total;
}
