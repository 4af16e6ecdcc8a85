/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Queries on a contraction hierarchy: snapping (grid index), point-to-point
 * routes (bidirectional upward search with stall-on-demand, shortcut
 * unpacking with an explicit stack), many-to-many tables (the bucket
 * algorithm of Knopp et al. 2007), and a plain Dijkstra on the original arcs
 * as the reference that tests and benchmarks compare against.
 *
 * A snapped point sits on a segment at a fraction of its length; searches
 * start at the segment's ends with the partial cost of the way there
 * (phantom nodes), and a source and a target on the same segment may also
 * be joined directly along it.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "heap.h"

#define NONE UINT32_MAX
#define M_PER_DEG 111194.92664455873 /* R * pi / 180 with R = 6371 km */

/* ---- per-thread search state ------------------------------------------ */

typedef struct {
    uint64_t *dist;
    uint32_t *stamp;
    uint32_t *parent; /* previous node, NONE at a start */
    uint32_t *pl;     /* payload of the arc from parent; at a start: 0 = via fwd, 1 = via bwd */
    heap h;
} side;

struct kmt_query {
    const kmt_graph *g;
    uint32_t cur;
    side f, b;
    /* reference Dijkstra: forward arcs of the original graph, built on first use */
    uint32_t *dj_idx;
    kgraph_arc *dj_arcs;
};

static void side_init(side *s, uint32_t n)
{
    s->dist = kmt_malloc(n * sizeof *s->dist);
    s->stamp = kmt_calloc(n, sizeof *s->stamp);
    s->parent = kmt_malloc(n * sizeof *s->parent);
    s->pl = kmt_malloc(n * sizeof *s->pl);
    memset(&s->h, 0, sizeof s->h);
}

static void side_free(side *s)
{
    kmt_free(s->dist), kmt_free(s->stamp), kmt_free(s->parent), kmt_free(s->pl), kmt_free(s->h.v);
}

kmt_query *kmt_query_new(const kmt_graph *g)
{
    kmt_query *q = kmt_calloc(1, sizeof *q);
    q->g = g;
    side_init(&q->f, g->n);
    side_init(&q->b, g->n);
    return q;
}

void kmt_query_destroy(kmt_query *q)
{
    if (!q) return;
    side_free(&q->f);
    side_free(&q->b);
    kmt_free(q->dj_idx);
    kmt_free(q->dj_arcs);
    kmt_free(q);
}

static void new_search(kmt_query *q)
{
    if (++q->cur == 0) { /* stamps wrapped: clear */
        memset(q->f.stamp, 0, q->g->n * sizeof(uint32_t));
        memset(q->b.stamp, 0, q->g->n * sizeof(uint32_t));
        q->cur = 1;
    }
    q->f.h.n = q->b.h.n = 0;
}

static inline uint64_t dist_of(const side *s, uint32_t cur, uint32_t v)
{
    return s->stamp[v] == cur ? s->dist[v] : KEY_INF;
}

static inline int relax(side *s, uint32_t cur, uint32_t v, uint64_t d, uint32_t parent, uint32_t pl)
{
    if (s->stamp[v] == cur && s->dist[v] <= d) return 0;
    s->stamp[v] = cur;
    s->dist[v] = d;
    s->parent[v] = parent;
    s->pl[v] = pl;
    heap_push(&s->h, d, v);
    return 1;
}

/* ---- phantom nodes ------------------------------------------------------- */

typedef struct {
    uint32_t node;
    uint64_t key;
    uint32_t via; /* 0: along the segment's direction (u->v), 1: against it */
} entry;

/* Where a search from a snapped point starts: nodes reachable along its segment. */
static int source_entries(const kmt_graph *g, const kmt_snap *s, entry out[2])
{
    const kgraph_seg *sg = &g->segs[s->segment];
    int n = 0;
    if (sg->dur_fwd != DUR_NONE) out[n++] = (entry){ sg->v, kmt__partial_key(sg, 0, 1 - s->offset), 0 };
    if (sg->dur_bwd != DUR_NONE) out[n++] = (entry){ sg->u, kmt__partial_key(sg, 1, s->offset), 1 };
    return n;
}

/* Nodes from which a snapped point is reached along its segment. */
static int target_entries(const kmt_graph *g, const kmt_snap *t, entry out[2])
{
    const kgraph_seg *sg = &g->segs[t->segment];
    int n = 0;
    if (sg->dur_fwd != DUR_NONE) out[n++] = (entry){ sg->u, kmt__partial_key(sg, 0, t->offset), 0 };
    if (sg->dur_bwd != DUR_NONE) out[n++] = (entry){ sg->v, kmt__partial_key(sg, 1, 1 - t->offset), 1 };
    return n;
}

/* Key of going from s to t directly along their common segment, or KEY_INF.
 * *rev says in which direction. */
static uint64_t direct_key(const kmt_graph *g, const kmt_snap *s, const kmt_snap *t, int *rev)
{
    if (s->segment != t->segment) return KEY_INF;
    const kgraph_seg *sg = &g->segs[s->segment];
    uint64_t best = KEY_INF;
    if (sg->dur_fwd != DUR_NONE && t->offset >= s->offset) {
        best = kmt__partial_key(sg, 0, t->offset - s->offset);
        *rev = 0;
    }
    if (sg->dur_bwd != DUR_NONE && s->offset >= t->offset) {
        uint64_t k = kmt__partial_key(sg, 1, s->offset - t->offset);
        if (k < best) {
            best = k;
            *rev = 1;
        }
    }
    return best;
}

/* ---- snapping -------------------------------------------------------------- */

typedef struct {
    double x, y;
} xy;

static xy project(const kmt_graph *g, double lon, double lat)
{
    return (xy){ (lon - g->h->grid_lon0) * g->h->cos_lat * M_PER_DEG, (lat - g->h->grid_lat0) * M_PER_DEG };
}

static xy project_pt(const kmt_graph *g, const kgraph_point *p)
{
    return project(g, kmt__e7(p->lon_e7), kmt__e7(p->lat_e7));
}

/* Squared distance from p to the sub-segment starting at point k; *t = position 0..1. */
static double subseg_d2(const kmt_graph *g, xy p, uint32_t k, double *t)
{
    xy a = project_pt(g, &g->points[k]), b = project_pt(g, &g->points[k + 1]);
    double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    double u = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    if (u < 0) u = 0;
    if (u > 1) u = 1;
    double cx = a.x + u * dx - p.x, cy = a.y + u * dy - p.y;
    *t = u;
    return cx * cx + cy * cy;
}

static uint32_t segment_of_point(const kmt_graph *g, uint32_t k)
{
    uint32_t lo = 0, hi = g->nseg; /* last s with geo_off <= k */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->segs[mid].geo_off <= k)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static kmt_coord point_coord(const kmt_graph *g, uint32_t k)
{
    return (kmt_coord){ kmt__e7(g->points[k].lon_e7), kmt__e7(g->points[k].lat_e7) };
}

static kmt_coord lerp(kmt_coord a, kmt_coord b, double t)
{
    return (kmt_coord){ a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t };
}

/* Fill out from the best sub-segment k at position t. */
static void finish_snap(const kmt_graph *g, kmt_coord c, uint32_t k, double t, kmt_snap *out)
{
    uint32_t s = segment_of_point(g, k);
    const kgraph_seg *sg = &g->segs[s];
    uint32_t end = g->segs[s + 1].geo_off;
    double before = 0, total = 0, len_k = 0;
    for (uint32_t i = sg->geo_off; i + 1 < end; i++) {
        double l = kmt_geo_haversine_m(point_coord(g, i), point_coord(g, i + 1));
        if (i < k) before += l;
        if (i == k) len_k = l;
        total += l;
    }
    out->input = c;
    out->location = lerp(point_coord(g, k), point_coord(g, k + 1), t);
    out->distance_m = kmt_geo_haversine_m(c, out->location);
    out->segment = s;
    out->offset = total > 0 ? (before + t * len_k) / total : 0;
    if (out->offset > 1) out->offset = 1;
}

/* Cell index of a position in cell units, clamped to [0, n-1] before any conversion. */
static long clamp_cell(double x, long n)
{
    if (!(x >= 0)) return 0; /* also NaN */
    if (x >= (double)(n - 1)) return n - 1;
    return (long)x;
}

int kmt_graph_snap(const kmt_graph *g, kmt_coord c, double max_m, kmt_snap *out, kmt_error *e)
{
    if (!kmt_geo_valid(c))
        return kmt_error_set(e, KMT_EINVAL, "coordinate %.6f,%.6f is not a valid longitude,latitude", c.lon, c.lat);
    const kgraph_header *h = g->h;
    xy p = project(g, c.lon, c.lat);
    long w = (long)h->grid_w, hh = (long)h->grid_h;
    long cx = clamp_cell((c.lon - h->grid_lon0) / h->grid_cell_deg_lon, w);
    long cy = clamp_cell((c.lat - h->grid_lat0) / h->grid_cell_deg_lat, hh);
    double cell_m = fmin(h->grid_cell_deg_lat * M_PER_DEG, h->grid_cell_deg_lon * h->cos_lat * M_PER_DEG);
    double best = INFINITY, best_t = 0;
    uint32_t best_k = NONE;
    long rmax = w > hh ? w : hh;
    for (long r = 0; r <= rmax; r++) {
        double lb = (double)(r - 1) * cell_m;
        if (best_k != NONE && lb > 0 && lb * lb > best) break;
        for (long y = cy - r; y <= cy + r; y++) {
            if (y < 0 || y >= hh) continue;
            long step = (y == cy - r || y == cy + r) ? 1 : 2 * r;
            for (long x = cx - r; x <= cx + r; x += step ? step : 1) {
                if (x >= 0 && x < w) {
                    size_t cell = (size_t)y * (size_t)w + (size_t)x;
                    for (uint32_t i = g->grid_idx[cell]; i < g->grid_idx[cell + 1]; i++) {
                        double t, d2 = subseg_d2(g, p, g->grid[i], &t);
                        if (d2 < best || (d2 == best && g->grid[i] < best_k)) {
                            best = d2;
                            best_k = g->grid[i];
                            best_t = t;
                        }
                    }
                }
                if (r == 0) break;
            }
        }
    }
    if (best_k == NONE) return kmt_error_set(e, KMT_ENOTFOUND, "the graph has no road to snap to");
    finish_snap(g, c, best_k, best_t, out);
    if (max_m > 0 && out->distance_m > max_m)
        return kmt_error_set(e, KMT_ENOTFOUND,
                             "coordinate %.6f,%.6f is %.0f m from the nearest road (at %.6f,%.6f); the limit "
                             "is %.0f m",
                             c.lon, c.lat, out->distance_m, out->location.lon, out->location.lat, max_m);
    return KMT_OK;
}

/* Brute force over every sub-segment (tests only). */
int kmt__graph_snap_brute(const kmt_graph *g, kmt_coord c, kmt_snap *out)
{
    xy p = project(g, c.lon, c.lat);
    double best = INFINITY, best_t = 0;
    uint32_t best_k = NONE;
    for (uint32_t s = 0; s < g->nseg; s++)
        for (uint32_t k = g->segs[s].geo_off; k + 1 < g->segs[s + 1].geo_off; k++) {
            double t, d2 = subseg_d2(g, p, k, &t);
            if (d2 < best) {
                best = d2;
                best_k = k;
                best_t = t;
            }
        }
    if (best_k == NONE) return KMT_ENOTFOUND;
    finish_snap(g, c, best_k, best_t, out);
    return KMT_OK;
}

/* ---- upward searches -------------------------------------------------------- */

/* Forward search step: settle u; returns 0 if u is stalled. */
static int settle_forward(kmt_query *q, uint32_t u, uint64_t d)
{
    const kmt_graph *g = q->g;
    side *f = &q->f;
    /* stall-on-demand: a higher node reaches u more cheaply */
    for (uint32_t a = g->in_idx[u]; a < g->in_idx[u + 1]; a++) {
        uint64_t dx = dist_of(f, q->cur, g->in[a].target);
        if (dx != KEY_INF && dx + g->in[a].key < d) return 0;
    }
    for (uint32_t a = g->out_idx[u]; a < g->out_idx[u + 1]; a++)
        relax(f, q->cur, g->out[a].target, d + g->out[a].key, u, g->out[a].payload);
    return 1;
}

static int settle_backward(kmt_query *q, uint32_t u, uint64_t d)
{
    const kmt_graph *g = q->g;
    side *b = &q->b;
    for (uint32_t a = g->out_idx[u]; a < g->out_idx[u + 1]; a++) {
        uint64_t dx = dist_of(b, q->cur, g->out[a].target);
        if (dx != KEY_INF && dx + g->out[a].key < d) return 0;
    }
    for (uint32_t a = g->in_idx[u]; a < g->in_idx[u + 1]; a++)
        relax(b, q->cur, g->in[a].target, d + g->in[a].key, u, g->in[a].payload);
    return 1;
}

/* ---- path unpacking --------------------------------------------------------- */

typedef KMT_VEC(uint32_t) u32vec;

/* Append the original arcs (segment | ARC_REV) of arc from->to with payload. */
static void unpack(const kmt_graph *g, uint32_t from, uint32_t to, uint32_t payload, u32vec *out)
{
    KMT_VEC(uint32_t) st = { 0 }; /* triples (from, to, payload) */
    KMT_VEC_PUSH(st, from);
    KMT_VEC_PUSH(st, to);
    KMT_VEC_PUSH(st, payload);
    size_t limit = out->n + 4 * (size_t)g->nseg + 64; /* a path uses a segment about once */
    while (st.n && out->n < limit) {
        uint32_t pl = st.v[--st.n], t = st.v[--st.n], s = st.v[--st.n];
        if (pl & ARC_ORIG) {
            KMT_VEC_PUSH(*out, pl & (ARC_SEG_MASK | ARC_REV));
            continue;
        }
        uint32_t m = pl, pl1 = NONE, pl2 = NONE;
        for (uint32_t a = g->in_idx[m]; a < g->in_idx[m + 1]; a++)
            if (g->in[a].target == s) pl1 = g->in[a].payload; /* s -> m, s above m */
        for (uint32_t a = g->out_idx[m]; a < g->out_idx[m + 1]; a++)
            if (g->out[a].target == t) pl2 = g->out[a].payload; /* m -> t */
        if (pl1 == NONE || pl2 == NONE) continue;               /* cannot happen in a valid graph */
        /* push the second half first so that the first is expanded first */
        KMT_VEC_PUSH(st, m);
        KMT_VEC_PUSH(st, t);
        KMT_VEC_PUSH(st, pl2);
        KMT_VEC_PUSH(st, s);
        KMT_VEC_PUSH(st, m);
        KMT_VEC_PUSH(st, pl1);
    }
    KMT_VEC_FREE(st);
}

typedef KMT_VEC(kmt_coord) coordvec;

static void push_pt(coordvec *v, kmt_coord c)
{
    if (v->n && v->v[v->n - 1].lon == c.lon && v->v[v->n - 1].lat == c.lat) return;
    KMT_VEC_PUSH(*v, c);
}

/* Points of segment s between fractions a and b (a > b walks backwards). */
static void seg_piece(const kmt_graph *g, uint32_t s, double a, double b, coordvec *out)
{
    const kgraph_seg *sg = &g->segs[s];
    uint32_t first = sg->geo_off, end = g->segs[s + 1].geo_off;
    if ((a <= 0 && b >= 1) || (a >= 1 && b <= 0)) { /* a whole segment: copy its points */
        KMT_VEC_RESERVE(*out, out->n + (end - first));
        if (a <= 0)
            for (uint32_t i = first; i < end; i++) push_pt(out, point_coord(g, i));
        else
            for (uint32_t i = end; i > first; i--) push_pt(out, point_coord(g, i - 1));
        return;
    }
    double total = 0;
    for (uint32_t i = first; i + 1 < end; i++) total += kmt_geo_haversine_m(point_coord(g, i), point_coord(g, i + 1));
    double lo = a < b ? a : b, hi = a < b ? b : a;
    coordvec tmp = { 0 };
    double acc = 0;
    for (uint32_t i = first; i + 1 < end; i++) {
        kmt_coord p0 = point_coord(g, i), p1 = point_coord(g, i + 1);
        double l = kmt_geo_haversine_m(p0, p1);
        double f0 = total > 0 ? acc / total : 0, f1 = total > 0 ? (acc + l) / total : 1;
        if (f1 >= lo && f0 <= hi) {
            double t0 = l > 0 ? (lo * total - acc) / l : 0, t1 = l > 0 ? (hi * total - acc) / l : 1;
            push_pt(&tmp, t0 > 0 ? lerp(p0, p1, t0 > 1 ? 1 : t0) : p0);
            push_pt(&tmp, t1 < 1 ? lerp(p0, p1, t1 < 0 ? 0 : t1) : p1);
        }
        acc += l;
        if (f0 > hi) break;
    }
    if (a <= b)
        for (size_t i = 0; i < tmp.n; i++) push_pt(out, tmp.v[i]);
    else
        for (size_t i = tmp.n; i > 0; i--) push_pt(out, tmp.v[i - 1]);
    KMT_VEC_FREE(tmp);
}

/* ---- one leg ------------------------------------------------------------------ */

/* Bidirectional CH search from s to t; returns the best key and, when geom is
 * given, appends the leg's geometry; when segs is given, appends the segments
 * the leg runs along. */
static uint64_t route_leg(kmt_query *q, const kmt_snap *s, const kmt_snap *t, coordvec *geom, u32vec *segs)
{
    const kmt_graph *g = q->g;
    new_search(q);
    entry es[2], et[2];
    int ns = source_entries(g, s, es), nt = target_entries(g, t, et);
    for (int i = 0; i < ns; i++) relax(&q->f, q->cur, es[i].node, es[i].key, NONE, es[i].via);
    for (int i = 0; i < nt; i++) relax(&q->b, q->cur, et[i].node, et[i].key, NONE, et[i].via);
    int direct_rev = 0;
    uint64_t best = direct_key(g, s, t, &direct_rev);
    uint32_t meet = NONE;
    while (q->f.h.n || q->b.h.n) {
        uint64_t mf = q->f.h.n ? q->f.h.v[0].key : KEY_INF, mb = q->b.h.n ? q->b.h.v[0].key : KEY_INF;
        if ((mf < mb ? mf : mb) >= best) break;
        int fwd = mf <= mb;
        side *sd = fwd ? &q->f : &q->b, *other = fwd ? &q->b : &q->f;
        hitem it = heap_pop(&sd->h);
        if (it.key != sd->dist[it.node]) continue; /* stale */
        uint64_t od = dist_of(other, q->cur, it.node);
        if (od != KEY_INF && it.key + od < best) {
            best = it.key + od;
            meet = it.node;
        }
        if (fwd)
            settle_forward(q, it.node, it.key);
        else
            settle_backward(q, it.node, it.key);
    }
    if ((!geom && !segs) || best == KEY_INF) return best;
    if (meet == NONE) { /* direct along the segment */
        if (geom) seg_piece(g, s->segment, s->offset, t->offset, geom);
        if (segs) KMT_VEC_PUSH(*segs, s->segment);
        return best;
    }
    /* forward half: walk parents back from meet, then reverse */
    u32vec arcs = { 0 };
    KMT_VEC(uint32_t) chain = { 0 };
    uint32_t v = meet;
    while (q->f.parent[v] != NONE) {
        KMT_VEC_PUSH(chain, v);
        v = q->f.parent[v];
    }
    uint32_t start_node = v, start_via = q->f.pl[v];
    for (size_t i = chain.n; i > 0; i--) {
        uint32_t w = chain.v[i - 1];
        unpack(g, q->f.parent[w], w, q->f.pl[w], &arcs);
    }
    v = meet;
    while (q->b.parent[v] != NONE) {
        unpack(g, v, q->b.parent[v], q->b.pl[v], &arcs);
        v = q->b.parent[v];
    }
    uint32_t end_via = q->b.pl[v];
    (void)start_node;
    if (segs) {
        KMT_VEC_PUSH(*segs, s->segment);
        for (size_t i = 0; i < arcs.n; i++) KMT_VEC_PUSH(*segs, arcs.v[i] & ARC_SEG_MASK);
        KMT_VEC_PUSH(*segs, t->segment);
    }
    if (geom) {
        /* start piece: from the snapped point to the segment end it left by */
        seg_piece(g, s->segment, s->offset, start_via == 0 ? 1.0 : 0.0, geom);
        for (size_t i = 0; i < arcs.n; i++) {
            uint32_t sg = arcs.v[i] & ARC_SEG_MASK;
            int rev = (arcs.v[i] & ARC_REV) != 0;
            seg_piece(g, sg, rev ? 1.0 : 0.0, rev ? 0.0 : 1.0, geom);
        }
        seg_piece(g, t->segment, end_via == 0 ? 0.0 : 1.0, t->offset, geom);
    }
    KMT_VEC_FREE(arcs);
    KMT_VEC_FREE(chain);
    return best;
}

int kmt_graph_route(kmt_query *q, const kmt_snap *pts, size_t n, kmt_route *out, kmt_error *e)
{
    return kmt_graph_route_ex(q, pts, n, 0, out, e);
}

int kmt_graph_route_ex(kmt_query *q, const kmt_snap *pts, size_t n, unsigned flags, kmt_route *out, kmt_error *e)
{
    memset(out, 0, sizeof *out);
    if (n < 2) return kmt_error_set(e, KMT_EINVAL, "a route needs at least 2 points, got %zu", n);
    coordvec geom = { 0 };
    out->nlegs = n - 1;
    out->leg_duration_s = kmt_calloc(n - 1, sizeof(double));
    out->leg_distance_m = kmt_calloc(n - 1, sizeof(double));
    for (size_t i = 0; i + 1 < n; i++) {
        uint64_t k = route_leg(q, &pts[i], &pts[i + 1], (flags & KMT_ROUTE_NO_GEOMETRY) ? NULL : &geom, NULL);
        if (k == KEY_INF) {
            KMT_VEC_FREE(geom);
            kmt_route_destroy(out);
            return kmt_error_set(e, KMT_EUNREACH, "no route from point %zu (%.6f,%.6f) to point %zu (%.6f,%.6f)", i + 1,
                                 pts[i].input.lon, pts[i].input.lat, i + 2, pts[i + 1].input.lon, pts[i + 1].input.lat);
        }
        out->leg_duration_s[i] = KEY_DUR(k) / 10.0;
        out->leg_distance_m[i] = KEY_DIST(k) / 10.0;
        out->duration_s += out->leg_duration_s[i];
        out->distance_m += out->leg_distance_m[i];
    }
    if (geom.n == 1) KMT_VEC_PUSH(geom, geom.v[0]); /* a LineString needs two positions */
    /* without geometry: geometry NULL, npoints 0 */
    out->geometry = geom.v;
    out->npoints = geom.n;
    return KMT_OK;
}

void kmt_route_destroy(kmt_route *r)
{
    if (!r) return;
    kmt_free(r->geometry);
    kmt_free(r->leg_duration_s);
    kmt_free(r->leg_distance_m);
    memset(r, 0, sizeof *r);
}

/* Key of the best s->t path (tests and tools), KEY_INF if none. */
uint64_t kmt__route_key(kmt_query *q, const kmt_snap *s, const kmt_snap *t)
{
    return route_leg(q, s, t, NULL, NULL);
}

int kmt_graph_route_segments(kmt_query *q, const kmt_snap *s, const kmt_snap *t, uint32_t **segs, size_t *n,
                             kmt_error *e)
{
    u32vec v = { 0 };
    uint64_t k = route_leg(q, s, t, NULL, &v);
    if (k == KEY_INF) {
        KMT_VEC_FREE(v);
        *segs = NULL;
        *n = 0;
        return kmt_error_set(e, KMT_EUNREACH, "no route from %.6f,%.6f to %.6f,%.6f", s->input.lon, s->input.lat,
                             t->input.lon, t->input.lat);
    }
    /* the start and end segments appear twice when a path begins or ends on them */
    size_t m = 0;
    for (size_t i = 0; i < v.n; i++)
        if (m == 0 || v.v[m - 1] != v.v[i]) v.v[m++] = v.v[i];
    *segs = v.v;
    *n = m;
    return KMT_OK;
}

/* ---- table (buckets) ---------------------------------------------------------- */

typedef struct {
    uint32_t node, target;
    uint64_t key;
} bucket_item;

typedef struct {
    const kmt_graph *g;
    const kmt_snap *src, *dst;
    size_t ns, nd;
    uint64_t *cells; /* ns * nd keys */
    /* buckets, CSR by node */
    uint32_t *bidx;
    struct {
        uint32_t target;
        uint64_t key;
    } * bent;
    /* backward phase output per thread */
    KMT_VEC(bucket_item) items;
    size_t from, to; /* range of targets (backward) or sources (forward) */
} table_job;

static void *backward_job(void *arg)
{
    table_job *j = arg;
    kmt_query *q = kmt_query_new(j->g);
    for (size_t t = j->from; t < j->to; t++) {
        new_search(q);
        entry et[2];
        int nt = target_entries(j->g, &j->dst[t], et);
        for (int i = 0; i < nt; i++) relax(&q->b, q->cur, et[i].node, et[i].key, NONE, et[i].via);
        while (q->b.h.n) {
            hitem it = heap_pop(&q->b.h);
            if (it.key != q->b.dist[it.node]) continue;
            if (settle_backward(q, it.node, it.key))
                KMT_VEC_PUSH(j->items, ((bucket_item){ it.node, (uint32_t)t, it.key }));
        }
    }
    kmt_query_destroy(q);
    return NULL;
}

static void *forward_job(void *arg)
{
    table_job *j = arg;
    kmt_query *q = kmt_query_new(j->g);
    for (size_t s = j->from; s < j->to; s++) {
        uint64_t *row = j->cells + s * j->nd;
        new_search(q);
        entry es[2];
        int ns = source_entries(j->g, &j->src[s], es);
        for (int i = 0; i < ns; i++) relax(&q->f, q->cur, es[i].node, es[i].key, NONE, es[i].via);
        while (q->f.h.n) {
            hitem it = heap_pop(&q->f.h);
            if (it.key != q->f.dist[it.node]) continue;
            if (!settle_forward(q, it.node, it.key)) continue;
            for (uint32_t b = j->bidx[it.node]; b < j->bidx[it.node + 1]; b++) {
                uint64_t k = it.key + j->bent[b].key;
                if (k < row[j->bent[b].target]) row[j->bent[b].target] = k;
            }
        }
    }
    kmt_query_destroy(q);
    return NULL;
}

static void run_jobs(table_job *jobs, int threads, void *(*fn)(void *))
{
    if (threads == 1) {
        fn(&jobs[0]);
        return;
    }
    pthread_t tid[64];
    unsigned char started[64] = { 0 };
    for (int i = 1; i < threads; i++) {
        started[i] = pthread_create(&tid[i], NULL, fn, &jobs[i]) == 0;
        if (!started[i]) fn(&jobs[i]); /* no thread: do it here */
    }
    fn(&jobs[0]);
    for (int i = 1; i < threads; i++)
        if (started[i]) pthread_join(tid[i], NULL);
}

static void fill_outputs(const uint64_t *cells, size_t ncells, double *durations, double *distances)
{
    for (size_t c = 0; c < ncells; c++) {
        uint64_t k = cells[c];
        if (durations) durations[c] = k == KEY_INF ? NAN : KEY_DUR(k) / 10.0;
        if (distances) distances[c] = k == KEY_INF ? NAN : KEY_DIST(k) / 10.0;
    }
}

typedef struct {
    uint32_t segment, index;
} seg_index;

static int cmp_seg_index(const void *a, const void *b)
{
    const seg_index *x = a, *y = b;
    if (x->segment != y->segment) return x->segment < y->segment ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Pairs on the same segment may be joined directly along it. */
static void apply_direct(const kmt_graph *g, const kmt_snap *src, size_t ns, const kmt_snap *dst, size_t nd,
                         uint64_t *cells)
{
    seg_index *order = kmt_malloc((nd ? nd : 1) * sizeof *order);
    for (size_t j = 0; j < nd; j++) order[j] = (seg_index){ dst[j].segment, (uint32_t)j };
    if (nd) qsort(order, nd, sizeof *order, cmp_seg_index);
    for (size_t i = 0; i < ns; i++) {
        size_t lo = 0, hi = nd;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (order[mid].segment < src[i].segment)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < nd && order[k].segment == src[i].segment; k++) {
            int rev;
            uint64_t d = direct_key(g, &src[i], &dst[order[k].index], &rev);
            if (d < cells[i * nd + order[k].index]) cells[i * nd + order[k].index] = d;
        }
    }
    kmt_free(order);
}

int kmt_graph_table(const kmt_graph *g, const kmt_snap *src, size_t ns, const kmt_snap *dst, size_t nd, int threads,
                    double *durations, double *distances, kmt_error *e)
{
    size_t ncells;
    if (kmt_mul_overflow(ns, nd, &ncells) || ncells > ((size_t)1 << 31))
        return kmt_error_set(e, KMT_ETOOBIG, "a %zu x %zu table is too large", ns, nd);
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    if ((size_t)threads > nd && nd) threads = (int)nd;
    uint64_t *cells = kmt_malloc((ncells ? ncells : 1) * sizeof *cells);
    for (size_t c = 0; c < ncells; c++) cells[c] = KEY_INF;
    table_job jobs[64];
    memset(jobs, 0, sizeof jobs);
    for (int t = 0; t < threads; t++) {
        jobs[t].g = g, jobs[t].src = src, jobs[t].dst = dst, jobs[t].ns = ns, jobs[t].nd = nd;
        jobs[t].cells = cells;
        jobs[t].from = nd * (size_t)t / (size_t)threads;
        jobs[t].to = nd * (size_t)(t + 1) / (size_t)threads;
    }
    run_jobs(jobs, threads, backward_job);
    /* buckets in CSR by node */
    uint32_t *bidx = kmt_calloc((size_t)g->n + 1, sizeof *bidx);
    size_t nitems = 0;
    for (int t = 0; t < threads; t++) {
        nitems += jobs[t].items.n;
        for (size_t i = 0; i < jobs[t].items.n; i++) bidx[jobs[t].items.v[i].node + 1]++;
    }
    for (uint32_t v = 0; v < g->n; v++) bidx[v + 1] += bidx[v];
    table_job *j0 = &jobs[0];
    j0->bent = kmt_malloc((nitems ? nitems : 1) * sizeof *j0->bent);
    uint32_t *fill = kmt_malloc(((size_t)g->n + 1) * sizeof *fill);
    memcpy(fill, bidx, ((size_t)g->n + 1) * sizeof *fill);
    for (int t = 0; t < threads; t++) {
        for (size_t i = 0; i < jobs[t].items.n; i++) {
            bucket_item *it = &jobs[t].items.v[i];
            uint32_t p = fill[it->node]++;
            j0->bent[p].target = it->target;
            j0->bent[p].key = it->key;
        }
        KMT_VEC_FREE(jobs[t].items);
    }
    kmt_free(fill);
    if ((size_t)threads > ns && ns) threads = (int)ns;
    for (int t = 0; t < threads; t++) {
        jobs[t].bidx = bidx;
        jobs[t].bent = j0->bent;
        jobs[t].from = ns * (size_t)t / (size_t)threads;
        jobs[t].to = ns * (size_t)(t + 1) / (size_t)threads;
    }
    if (ns) run_jobs(jobs, threads, forward_job);
    apply_direct(g, src, ns, dst, nd, cells);
    fill_outputs(cells, ncells, durations, distances);
    kmt_free(j0->bent);
    kmt_free(bidx);
    kmt_free(cells);
    return KMT_OK;
}

/* ---- reference: plain Dijkstra on the original arcs --------------------------- */

static void build_dijkstra_arcs(kmt_query *q)
{
    const kmt_graph *g = q->g;
    uint32_t n = g->n;
    q->dj_idx = kmt_calloc((size_t)n + 1, sizeof *q->dj_idx);
    for (uint32_t s = 0; s < g->nseg; s++) {
        const kgraph_seg *sg = &g->segs[s];
        if (sg->u == sg->v) continue;
        if (sg->dur_fwd != DUR_NONE) q->dj_idx[sg->u + 1]++;
        if (sg->dur_bwd != DUR_NONE) q->dj_idx[sg->v + 1]++;
    }
    for (uint32_t v = 0; v < n; v++) q->dj_idx[v + 1] += q->dj_idx[v];
    q->dj_arcs = kmt_malloc((q->dj_idx[n] ? q->dj_idx[n] : 1) * sizeof *q->dj_arcs);
    uint32_t *fill = kmt_malloc(((size_t)n + 1) * sizeof *fill);
    memcpy(fill, q->dj_idx, ((size_t)n + 1) * sizeof *fill);
    for (uint32_t s = 0; s < g->nseg; s++) {
        const kgraph_seg *sg = &g->segs[s];
        if (sg->u == sg->v) continue;
        if (sg->dur_fwd != DUR_NONE)
            q->dj_arcs[fill[sg->u]++] = (kgraph_arc){ sg->v, s, KEY_MAKE(sg->dur_fwd, sg->dist_dm) };
        if (sg->dur_bwd != DUR_NONE)
            q->dj_arcs[fill[sg->v]++] = (kgraph_arc){ sg->u, s, KEY_MAKE(sg->dur_bwd, sg->dist_dm) };
    }
    kmt_free(fill);
}

/* One-to-many Dijkstra from src to every dst; row[j] receives keys. */
static void dijkstra_row(kmt_query *q, const kmt_snap *src, const kmt_snap *dst, size_t nd, uint64_t *row)
{
    const kmt_graph *g = q->g;
    if (!q->dj_idx) build_dijkstra_arcs(q);
    new_search(q);
    side *f = &q->f;
    entry es[2];
    int ns = source_entries(g, src, es);
    for (int i = 0; i < ns; i++) relax(f, q->cur, es[i].node, es[i].key, NONE, es[i].via);
    for (size_t j = 0; j < nd; j++) {
        int rev;
        row[j] = direct_key(g, src, &dst[j], &rev);
    }
    /* targets reached from node x: scan after settling all, using final distances */
    size_t pops = 0;
    uint64_t bound = KEY_INF;
    while (f->h.n) {
        hitem it = heap_pop(&f->h);
        if (it.key != f->dist[it.node]) continue;
        if (it.key >= bound) break;
        for (uint32_t a = q->dj_idx[it.node]; a < q->dj_idx[it.node + 1]; a++)
            relax(f, q->cur, q->dj_arcs[a].target, it.key + q->dj_arcs[a].key, it.node, 0);
        if ((++pops & 1023) == 0) {
            /* every target is final once the search radius passes its best value */
            uint64_t mx = 0;
            for (size_t j = 0; j < nd && mx != KEY_INF; j++) {
                entry et[2];
                int nt = target_entries(g, &dst[j], et);
                uint64_t bj = row[j];
                for (int k = 0; k < nt; k++) {
                    uint64_t dx = dist_of(f, q->cur, et[k].node);
                    if (dx != KEY_INF && dx + et[k].key < bj) bj = dx + et[k].key;
                }
                if (bj > mx) mx = bj;
            }
            bound = mx;
        }
    }
    for (size_t j = 0; j < nd; j++) {
        entry et[2];
        int nt = target_entries(g, &dst[j], et);
        for (int k = 0; k < nt; k++) {
            uint64_t dx = dist_of(f, q->cur, et[k].node);
            if (dx != KEY_INF && dx + et[k].key < row[j]) row[j] = dx + et[k].key;
        }
    }
}

int kmt_graph_table_dijkstra(kmt_query *q, const kmt_snap *src, size_t ns, const kmt_snap *dst, size_t nd,
                             double *durations, double *distances, kmt_error *e)
{
    size_t ncells;
    if (kmt_mul_overflow(ns, nd, &ncells) || ncells > ((size_t)1 << 31))
        return kmt_error_set(e, KMT_ETOOBIG, "a %zu x %zu table is too large", ns, nd);
    uint64_t *row = kmt_malloc((nd ? nd : 1) * sizeof *row);
    for (size_t i = 0; i < ns; i++) {
        dijkstra_row(q, &src[i], dst, nd, row);
        fill_outputs(row, nd, durations ? durations + i * nd : NULL, distances ? distances + i * nd : NULL);
    }
    kmt_free(row);
    return KMT_OK;
}
