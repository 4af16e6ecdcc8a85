/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Contraction hierarchy (Geisberger et al. 2008): nodes are contracted one by
 * one in the order of a priority (edge quotient plus depth, updated lazily);
 * contracting v adds a shortcut u->w for each pair of neighbours whose
 * shortest path runs through v, unless a bounded witness search finds
 * another path no longer than it. Every arc that remains at v when v is
 * contracted leads to a node of higher rank: those arcs form the upward
 * search graphs (up_out for forward searches, up_in for backward ones).
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "heap.h"

#define WITNESS_SETTLE_LIMIT 400

typedef struct {
    uint32_t other;
    uint32_t payload;
    uint64_t key;
} darc;

typedef struct {
    darc *v;
    uint32_t n, cap;
} dlist;

static void dl_push(dlist *l, darc a)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = kmt_realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = a;
}

static void dl_remove(dlist *l, uint32_t other)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i].other == other) {
            l->v[i] = l->v[--l->n];
            return;
        }
}

typedef struct {
    uint32_t n;
    dlist *out, *in;
    unsigned char *done;
    /* witness search */
    uint64_t *dist;
    uint32_t *touched;
    size_t ntouched;
    heap h;
    /* results */
    dlist *up_out, *up_in;
    uint32_t *depth;
    uint64_t shortcuts;
} ch;

/* Add arc u->w or lower the key of an existing one. */
static void add_arc(ch *c, uint32_t u, uint32_t w, uint64_t key, uint32_t payload)
{
    dlist *o = &c->out[u];
    for (uint32_t i = 0; i < o->n; i++)
        if (o->v[i].other == w) {
            if (key < o->v[i].key) {
                o->v[i].key = key;
                o->v[i].payload = payload;
                dlist *in = &c->in[w];
                for (uint32_t k = 0; k < in->n; k++)
                    if (in->v[k].other == u) {
                        in->v[k].key = key;
                        in->v[k].payload = payload;
                    }
            }
            return;
        }
    dl_push(o, (darc){ w, payload, key });
    dl_push(&c->in[w], (darc){ u, payload, key });
}

/* Dijkstra from s avoiding node `skip`, up to `limit`, settling at most the
 * limit of nodes. Leaves distances in c->dist (reset by witness_reset). */
static void witness(ch *c, uint32_t s, uint32_t skip, uint64_t limit)
{
    c->dist[s] = 0;
    c->touched[c->ntouched++] = s;
    c->h.n = 0;
    heap_push(&c->h, 0, s);
    int settled = 0;
    while (c->h.n) {
        hitem it = heap_pop(&c->h);
        if (it.key > c->dist[it.node]) continue;
        if (it.key > limit || ++settled > WITNESS_SETTLE_LIMIT) break;
        const dlist *o = &c->out[it.node];
        for (uint32_t i = 0; i < o->n; i++) {
            uint32_t w = o->v[i].other;
            if (w == skip) continue;
            uint64_t nd = it.key + o->v[i].key;
            if (nd < c->dist[w]) {
                if (c->dist[w] == KEY_INF) c->touched[c->ntouched++] = w;
                c->dist[w] = nd;
                heap_push(&c->h, nd, w);
            }
        }
    }
}

static void witness_reset(ch *c)
{
    for (size_t i = 0; i < c->ntouched; i++) c->dist[c->touched[i]] = KEY_INF;
    c->ntouched = 0;
}

/* Shortcuts needed to contract v: counted, or added when apply is set. */
static uint32_t contract_node(ch *c, uint32_t v, int apply)
{
    uint32_t count = 0;
    const dlist *in = &c->in[v], *out = &c->out[v];
    for (uint32_t i = 0; i < in->n; i++) {
        uint32_t u = in->v[i].other;
        uint64_t k1 = in->v[i].key, limit = 0;
        for (uint32_t j = 0; j < out->n; j++)
            if (out->v[j].other != u && k1 + out->v[j].key > limit) limit = k1 + out->v[j].key;
        if (limit == 0) continue;
        witness(c, u, v, limit);
        for (uint32_t j = 0; j < out->n; j++) {
            uint32_t w = out->v[j].other;
            if (w == u) continue;
            uint64_t through = k1 + out->v[j].key;
            if (c->dist[w] <= through) continue;
            count++;
            if (apply) {
                add_arc(c, u, w, through, v);
                c->shortcuts++;
            }
        }
        witness_reset(c);
    }
    return count;
}

static double priority(ch *c, uint32_t v)
{
    uint32_t added = contract_node(c, v, 0);
    uint32_t removed = c->in[v].n + c->out[v].n;
    return 2.0 * (double)added / (double)(removed ? removed : 1) + (double)c->depth[v] * 0.5 + (double)added * 0.01;
}

/* float priority to an orderable heap key (priorities are >= 0) */
static uint64_t prio_key(double p)
{
    return (uint64_t)(p * 1e6);
}

int kmt__contract(build_graph *bg, kmt_graph_build_stats *st, kmt_error *e)
{
    uint32_t n = bg->n;
    ch c;
    memset(&c, 0, sizeof c);
    c.n = n;
    c.out = kmt_calloc(n, sizeof *c.out);
    c.in = kmt_calloc(n, sizeof *c.in);
    c.up_out = kmt_calloc(n, sizeof *c.up_out);
    c.up_in = kmt_calloc(n, sizeof *c.up_in);
    c.done = kmt_calloc(n, 1);
    c.depth = kmt_calloc(n, sizeof *c.depth);
    c.dist = kmt_malloc(n * sizeof *c.dist);
    c.touched = kmt_malloc(n * sizeof *c.touched);
    for (uint32_t i = 0; i < n; i++) c.dist[i] = KEY_INF;
    uint64_t arcs = 0;
    for (size_t s = 0; s < bg->segs.n; s++) {
        const kgraph_seg *g = &bg->segs.v[s];
        if (g->u == g->v) continue;
        if (g->dur_fwd != DUR_NONE) add_arc(&c, g->u, g->v, KEY_MAKE(g->dur_fwd, g->dist_dm), ARC_ORIG | (uint32_t)s);
        if (g->dur_bwd != DUR_NONE)
            add_arc(&c, g->v, g->u, KEY_MAKE(g->dur_bwd, g->dist_dm), ARC_ORIG | ARC_REV | (uint32_t)s);
        arcs += (g->dur_fwd != DUR_NONE) + (g->dur_bwd != DUR_NONE);
    }
    st->edges = arcs;

    kmt_progress prog;
    kmt_progress_begin(&prog, "contracting", n);
    double *prio = kmt_malloc(n * sizeof *prio);
    heap pq = { 0 };
    for (uint32_t v = 0; v < n; v++) {
        prio[v] = priority(&c, v);
        heap_push(&pq, prio_key(prio[v]), v);
    }
    uint32_t *rank = kmt_malloc(n * sizeof *rank);
    uint32_t next_rank = 0;
    while (pq.n) {
        hitem it = heap_pop(&pq);
        uint32_t v = it.node;
        if (c.done[v] || it.key != prio_key(prio[v])) continue;
        double p = priority(&c, v);
        if (pq.n && prio_key(p) > pq.v[0].key) {
            prio[v] = p;
            heap_push(&pq, prio_key(p), v);
            continue;
        }
        /* contract v */
        contract_node(&c, v, 1);
        c.done[v] = 1;
        rank[v] = next_rank++;
        kmt_progress_step(&prog, next_rank);
        dlist *out = &c.out[v], *in = &c.in[v];
        for (uint32_t i = 0; i < out->n; i++) {
            dl_push(&c.up_out[v], out->v[i]);
            dl_remove(&c.in[out->v[i].other], v);
        }
        for (uint32_t i = 0; i < in->n; i++) {
            dl_push(&c.up_in[v], in->v[i]);
            dl_remove(&c.out[in->v[i].other], v);
        }
        /* neighbours: deeper, and their priorities change */
        for (int side = 0; side < 2; side++) {
            dlist *l = side ? in : out;
            for (uint32_t i = 0; i < l->n; i++) {
                uint32_t x = l->v[i].other;
                if (c.done[x]) continue;
                if (c.depth[x] < c.depth[v] + 1) c.depth[x] = c.depth[v] + 1;
                double px = priority(&c, x);
                if (prio_key(px) != prio_key(prio[x])) {
                    prio[x] = px;
                    heap_push(&pq, prio_key(px), x);
                }
            }
        }
        kmt_free(out->v), kmt_free(in->v);
        out->v = in->v = NULL;
        out->n = in->n = out->cap = in->cap = 0;
    }
    kmt_progress_end(&prog);
    if (next_rank != n) {
        kmt_free(prio), kmt_free(rank), kmt_free(pq.v);
        return kmt_error_set(e, KMT_EINTERNAL, "contraction left %u of %u nodes", n - next_rank, n);
    }
    st->shortcuts = c.shortcuts;

    /* Renumber: the highest rank becomes node 0 (top nodes together in memory). */
    uint32_t *nid = kmt_malloc(n * sizeof *nid);
    for (uint32_t v = 0; v < n; v++) nid[v] = n - 1 - rank[v];
    bg->out_idx = kmt_calloc((size_t)n + 1, sizeof(uint32_t));
    bg->in_idx = kmt_calloc((size_t)n + 1, sizeof(uint32_t));
    for (uint32_t v = 0; v < n; v++) {
        bg->out_idx[nid[v] + 1] = c.up_out[v].n;
        bg->in_idx[nid[v] + 1] = c.up_in[v].n;
    }
    for (uint32_t v = 0; v < n; v++) {
        bg->out_idx[v + 1] += bg->out_idx[v];
        bg->in_idx[v + 1] += bg->in_idx[v];
    }
    bg->nout = bg->out_idx[n];
    bg->nin = bg->in_idx[n];
    bg->out = kmt_malloc((bg->nout ? bg->nout : 1) * sizeof *bg->out);
    bg->in = kmt_malloc((bg->nin ? bg->nin : 1) * sizeof *bg->in);
    for (uint32_t v = 0; v < n; v++) {
        for (int side = 0; side < 2; side++) {
            dlist *l = side ? &c.up_in[v] : &c.up_out[v];
            kgraph_arc *dst = side ? bg->in + bg->in_idx[nid[v]] : bg->out + bg->out_idx[nid[v]];
            for (uint32_t i = 0; i < l->n; i++) {
                uint32_t pl = l->v[i].payload;
                if (!(pl & ARC_ORIG)) pl = nid[pl];
                dst[i] = (kgraph_arc){ nid[l->v[i].other], pl, l->v[i].key };
            }
            kmt_free(l->v);
        }
    }
    for (size_t s = 0; s < bg->segs.n; s++) {
        bg->segs.v[s].u = nid[bg->segs.v[s].u];
        bg->segs.v[s].v = nid[bg->segs.v[s].v];
    }
    kgraph_point *xy = kmt_malloc(n * sizeof *xy);
    for (uint32_t v = 0; v < n; v++) xy[nid[v]] = bg->node_xy.v[v];
    memcpy(bg->node_xy.v, xy, n * sizeof *xy);
    kmt_free(xy);

    for (uint32_t v = 0; v < n; v++) {
        kmt_free(c.out[v].v);
        kmt_free(c.in[v].v);
    }
    kmt_free(c.out), kmt_free(c.in), kmt_free(c.up_out), kmt_free(c.up_in), kmt_free(c.done);
    kmt_free(c.depth), kmt_free(c.dist), kmt_free(c.touched), kmt_free(c.h.v);
    kmt_free(prio), kmt_free(rank), kmt_free(pq.v), kmt_free(nid);
    return KMT_OK;
}
