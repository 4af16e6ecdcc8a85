/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Building the routable graph from OSM: collect nodes and the ways the
 * profile may use, cut ways into segments between graph nodes (junctions,
 * way ends, barriers), keep the largest strongly connected component,
 * contract, write.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

#define SIGNAL_PENALTY_DS 20 /* 2 s per traffic signal passed (as OSRM's car profile) */

typedef struct {
    int64_t id;
    uint32_t ref_off, nrefs;
    uint32_t name_off;
    way_attr a;
} osm_way;

typedef struct {
    kmt_profile profile;
    int ferries;
    KMT_VEC(int64_t) node_ids;
    KMT_VEC(kgraph_point) node_xy;
    int unsorted;
    KMT_VEC(int64_t) block_ids;
    KMT_VEC(int64_t) signal_ids;
    KMT_VEC(osm_way) ways;
    KMT_VEC(int64_t) refs;
    KMT_VEC(char) names;
    kmt_progress prog;
    uint64_t osm_nodes, osm_ways;
} collect;

static int on_node(void *ctx, int64_t id, int32_t lat, int32_t lon, const kmt_osm_tag *tags, size_t ntags)
{
    collect *c = ctx;
    c->osm_nodes++;
    if (lat < -900000000 || lat > 900000000 || lon < -1800000000 || lon > 1800000000)
        return 0; /* a damaged coordinate: ways that use the node see it as missing */
    if (c->node_ids.n && id <= c->node_ids.v[c->node_ids.n - 1]) c->unsorted = 1;
    KMT_VEC_PUSH(c->node_ids, id);
    KMT_VEC_PUSH(c->node_xy, ((kgraph_point){ lon, lat }));
    if (ntags) {
        int blocks, signals;
        kmt__profile_node(c->profile, tags, ntags, &blocks, &signals);
        if (blocks) KMT_VEC_PUSH(c->block_ids, id);
        if (signals) KMT_VEC_PUSH(c->signal_ids, id);
    }
    return 0;
}

static uint32_t add_name(collect *c, const char *s)
{
    if (!s || !*s) return 0;
    uint32_t off = (uint32_t)c->names.n;
    size_t len = strlen(s) + 1;
    KMT_VEC_RESERVE(c->names, c->names.n + len);
    memcpy(c->names.v + c->names.n, s, len);
    c->names.n += len;
    return off;
}

static int on_way(void *ctx, int64_t id, const int64_t *refs, size_t nrefs, const kmt_osm_tag *tags, size_t ntags)
{
    collect *c = ctx;
    c->osm_ways++;
    way_attr a;
    if (nrefs < 2 || !kmt__profile_way(c->profile, c->ferries, tags, ntags, &a)) return 0;
    const char *name = kmt_osm_tag_get(tags, ntags, "name");
    if (!name) name = kmt_osm_tag_get(tags, ntags, "ref");
    osm_way w = { id, (uint32_t)c->refs.n, (uint32_t)nrefs, add_name(c, name), a };
    KMT_VEC_RESERVE(c->refs, c->refs.n + nrefs);
    memcpy(c->refs.v + c->refs.n, refs, nrefs * sizeof *refs);
    c->refs.n += nrefs;
    KMT_VEC_PUSH(c->ways, w);
    return 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    collect *c = ctx;
    c->prog.total = total;
    kmt_progress_step(&c->prog, done);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    int64_t id;
    kgraph_point xy;
} id_xy;

static int cmp_id_xy(const void *a, const void *b)
{
    return cmp_i64(&((const id_xy *)a)->id, &((const id_xy *)b)->id);
}

/* Index of id in the sorted array, or -1. */
static long find_id(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? (long)lo : -1;
}

static int in_sorted(const int64_t *ids, size_t n, int64_t id)
{
    return n && find_id(ids, n, id) >= 0;
}

/* ---- strongly connected components (iterative Tarjan) ---------------- */

/* comp[v] = component id; returns the id of the largest component. */
static uint32_t largest_scc(uint32_t n, const uint32_t *idx, const uint32_t *adj, uint32_t *comp)
{
    uint32_t *index = kmt_malloc(n * sizeof *index), *low = kmt_malloc(n * sizeof *low);
    uint32_t *stack = kmt_malloc(n * sizeof *stack), *cs_v = kmt_malloc(n * sizeof *cs_v);
    uint32_t *cs_e = kmt_malloc(n * sizeof *cs_e);
    unsigned char *on = kmt_calloc(n, 1);
    uint32_t *size = NULL;
    size_t nsize = 0, capsize = 0;
    const uint32_t UNSEEN = UINT32_MAX;
    for (uint32_t v = 0; v < n; v++) index[v] = UNSEEN;
    uint32_t counter = 0, sp = 0, ncomp = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UNSEEN) continue;
        uint32_t csp = 0;
        cs_v[csp] = root;
        cs_e[csp++] = idx[root];
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        on[root] = 1;
        while (csp) {
            uint32_t v = cs_v[csp - 1];
            if (cs_e[csp - 1] < idx[v + 1]) {
                uint32_t w = adj[cs_e[csp - 1]++];
                if (index[w] == UNSEEN) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on[w] = 1;
                    cs_v[csp] = w;
                    cs_e[csp++] = idx[w];
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[cs_v[csp - 1]]) low[cs_v[csp - 1]] = low[v];
            if (low[v] == index[v]) {
                uint32_t cnt = 0, w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = ncomp;
                    cnt++;
                } while (w != v);
                if (nsize == capsize) size = kmt_realloc(size, (capsize = capsize ? capsize * 2 : 64) * sizeof *size);
                size[nsize++] = cnt;
                ncomp++;
            }
        }
    }
    uint32_t best = 0;
    for (uint32_t c = 1; c < ncomp; c++)
        if (size[c] > size[best]) best = c;
    kmt_free(index), kmt_free(low), kmt_free(stack), kmt_free(cs_v), kmt_free(cs_e), kmt_free(on);
    kmt_free(size);
    return best;
}

/* ---- segments --------------------------------------------------------- */

typedef struct {
    collect *c;
    build_graph *bg;
    const uint8_t *nflag; /* per OSM node: 1 block, 2 signal, 4 graph node */
    uint32_t *gid;        /* per OSM node: graph node id or UINT32_MAX */
    KMT_VEC(kgraph_point) pts;
    KMT_VEC(long) pidx; /* OSM node index of each point */
} seg_builder;

static uint32_t new_node(build_graph *bg, kgraph_point xy)
{
    KMT_VEC_PUSH(bg->node_xy, xy);
    return bg->n++;
}

static uint32_t node_of(seg_builder *sb, long i)
{
    if (sb->nflag[i] & 1) return new_node(sb->bg, sb->c->node_xy.v[i]); /* barrier: a fresh copy per use */
    if (sb->gid[i] == UINT32_MAX) sb->gid[i] = new_node(sb->bg, sb->c->node_xy.v[i]);
    return sb->gid[i];
}

static uint32_t dur_ds(double metres, double kmh)
{
    if (kmh <= 0) return DUR_NONE;
    double ds = metres / (kmh / 3.6) * 10.0;
    if (ds > 4e9) ds = 4e9;
    return (uint32_t)(ds + 0.5);
}

static void emit(seg_builder *sb, const osm_way *w, uint32_t u, uint32_t v)
{
    build_graph *bg = sb->bg;
    size_t np = sb->pts.n;
    double len = 0;
    for (size_t k = 1; k < np; k++) {
        kmt_coord a = { kmt__e7(sb->pts.v[k - 1].lon_e7), kmt__e7(sb->pts.v[k - 1].lat_e7) };
        kmt_coord b = { kmt__e7(sb->pts.v[k].lon_e7), kmt__e7(sb->pts.v[k].lat_e7) };
        len += kmt_geo_haversine_m(a, b);
    }
    kgraph_seg s;
    memset(&s, 0, sizeof s);
    s.u = u;
    s.v = v;
    s.dist_dm = (uint32_t)(len * 10 + 0.5);
    s.dur_fwd = w->a.fwd ? dur_ds(len, w->a.speed_fwd) : DUR_NONE;
    s.dur_bwd = w->a.bwd ? dur_ds(len, w->a.speed_bwd) : DUR_NONE;
    if (sb->c->profile == KMT_PROFILE_CAR) {
        uint32_t interior = 0;
        for (size_t k = 1; k + 1 < np; k++) interior += (sb->nflag[sb->pidx.v[k]] & 2) ? 1 : 0;
        uint32_t at_v = (sb->nflag[sb->pidx.v[np - 1]] & 2) ? 1 : 0;
        uint32_t at_u = (sb->nflag[sb->pidx.v[0]] & 2) ? 1 : 0;
        if (s.dur_fwd != DUR_NONE) s.dur_fwd += (interior + at_v) * SIGNAL_PENALTY_DS;
        if (s.dur_bwd != DUR_NONE) s.dur_bwd += (interior + at_u) * SIGNAL_PENALTY_DS;
        if (interior + at_u + at_v) s.flags |= SEG_SIGNALS;
    }
    s.geo_off = (uint32_t)bg->points.n;
    s.name_off = w->name_off;
    s.maxspeed = w->a.maxspeed;
    s.road_class = w->a.road_class;
    s.flags |= w->a.oneway ? SEG_ONEWAY : 0;
    s.speed_fwd_x10 = (uint16_t)(w->a.fwd ? w->a.speed_fwd * 10 + 0.5 : 0);
    s.speed_bwd_x10 = (uint16_t)(w->a.bwd ? w->a.speed_bwd * 10 + 0.5 : 0);
    s.way_id = w->id;
    KMT_VEC_RESERVE(bg->points, bg->points.n + np);
    memcpy(bg->points.v + bg->points.n, sb->pts.v, np * sizeof *sb->pts.v);
    bg->points.n += np;
    KMT_VEC_PUSH(bg->segs, s);
}

static void build_segments(collect *c, const long *ref_idx, build_graph *bg, uint8_t *nflag)
{
    size_t nn = c->node_ids.n;
    /* Pass 1: which OSM nodes are graph nodes (used twice, or the end of a way piece). */
    uint8_t *uses = kmt_calloc(nn ? nn : 1, 1);
    for (size_t wi = 0; wi < c->ways.n; wi++) {
        const osm_way *w = &c->ways.v[wi];
        long prev = -1;
        for (uint32_t k = 0; k < w->nrefs; k++) {
            long i = ref_idx[w->ref_off + k];
            if (i < 0) {
                if (prev >= 0) nflag[prev] |= 4;
                prev = -1;
                continue;
            }
            if (i == prev) continue;
            if (prev < 0) nflag[i] |= 4; /* a piece starts */
            if (uses[i] < 2) uses[i]++;
            prev = i;
        }
        if (prev >= 0) nflag[prev] |= 4;
    }
    for (size_t i = 0; i < nn; i++)
        if (uses[i] >= 2) nflag[i] |= 4;
    kmt_free(uses);

    /* Pass 2: cut every way piece at graph nodes. */
    seg_builder sb = { c, bg, nflag, kmt_malloc((nn ? nn : 1) * sizeof(uint32_t)), { 0 }, { 0 } };
    for (size_t i = 0; i < nn; i++) sb.gid[i] = UINT32_MAX;
    for (size_t wi = 0; wi < c->ways.n; wi++) {
        const osm_way *w = &c->ways.v[wi];
        long prev = -1;
        uint32_t start = 0;
        sb.pts.n = sb.pidx.n = 0;
        for (uint32_t k = 0; k < w->nrefs; k++) {
            long i = ref_idx[w->ref_off + k];
            if (i < 0) {
                prev = -1;
                sb.pts.n = sb.pidx.n = 0;
                continue;
            }
            if (i == prev) continue;
            KMT_VEC_PUSH(sb.pts, c->node_xy.v[i]);
            KMT_VEC_PUSH(sb.pidx, i);
            if (prev < 0) {
                start = node_of(&sb, i);
            } else if (nflag[i] & (4 | 1)) {
                uint32_t end = node_of(&sb, i);
                emit(&sb, w, start, end);
                sb.pts.n = sb.pidx.n = 0;
                KMT_VEC_PUSH(sb.pts, c->node_xy.v[i]);
                KMT_VEC_PUSH(sb.pidx, i);
                start = (nflag[i] & 1) ? node_of(&sb, i) : end;
            }
            prev = i;
        }
    }
    kmt_free(sb.gid);
    KMT_VEC_FREE(sb.pts);
    KMT_VEC_FREE(sb.pidx);
}

/* Keep only the segments inside the largest strongly connected component
 * and renumber the nodes densely. Returns the number of nodes removed. */
static uint32_t keep_largest_scc(build_graph *bg)
{
    uint32_t n = bg->n;
    uint32_t *idx = kmt_calloc((size_t)n + 1, sizeof *idx);
    for (size_t s = 0; s < bg->segs.n; s++) {
        const kgraph_seg *g = &bg->segs.v[s];
        if (g->u == g->v) continue;
        if (g->dur_fwd != DUR_NONE) idx[g->u + 1]++;
        if (g->dur_bwd != DUR_NONE) idx[g->v + 1]++;
    }
    for (uint32_t v = 0; v < n; v++) idx[v + 1] += idx[v];
    uint32_t *adj = kmt_malloc((idx[n] ? idx[n] : 1) * sizeof *adj), *fill = kmt_malloc((n + 1) * sizeof *fill);
    memcpy(fill, idx, (n + 1) * sizeof *fill);
    for (size_t s = 0; s < bg->segs.n; s++) {
        const kgraph_seg *g = &bg->segs.v[s];
        if (g->u == g->v) continue;
        if (g->dur_fwd != DUR_NONE) adj[fill[g->u]++] = g->v;
        if (g->dur_bwd != DUR_NONE) adj[fill[g->v]++] = g->u;
    }
    uint32_t *comp = kmt_malloc((n ? n : 1) * sizeof *comp);
    uint32_t best = n ? largest_scc(n, idx, adj, comp) : 0;
    uint32_t *newid = fill; /* reuse */
    uint32_t m = 0;
    for (uint32_t v = 0; v < n; v++) {
        newid[v] = comp[v] == best ? m : UINT32_MAX;
        if (comp[v] == best) bg->node_xy.v[m++] = bg->node_xy.v[v];
    }
    /* Compact segments and their points. */
    size_t ks = 0, kp = 0;
    for (size_t s = 0; s < bg->segs.n; s++) {
        kgraph_seg g = bg->segs.v[s];
        uint32_t end = s + 1 < bg->segs.n ? bg->segs.v[s + 1].geo_off : (uint32_t)bg->points.n;
        if (newid[g.u] == UINT32_MAX || newid[g.v] == UINT32_MAX) continue;
        uint32_t np = end - g.geo_off;
        memmove(bg->points.v + kp, bg->points.v + g.geo_off, np * sizeof *bg->points.v);
        g.u = newid[g.u];
        g.v = newid[g.v];
        g.geo_off = (uint32_t)kp;
        kp += np;
        bg->segs.v[ks++] = g;
    }
    bg->segs.n = ks;
    bg->points.n = kp;
    uint32_t removed = n - m;
    bg->n = m;
    bg->node_xy.n = m;
    kmt_free(idx), kmt_free(adj), kmt_free(fill), kmt_free(comp);
    return removed;
}

static void build_graph_free(build_graph *bg)
{
    KMT_VEC_FREE(bg->node_xy);
    KMT_VEC_FREE(bg->segs);
    KMT_VEC_FREE(bg->points);
    KMT_VEC_FREE(bg->names);
    kmt_free(bg->out_idx), kmt_free(bg->in_idx), kmt_free(bg->out), kmt_free(bg->in);
}

int kmt_graph_build(const char *pbf_path, const char *out_path, const kmt_graph_build_opts *opts,
                    kmt_graph_build_stats *stats, kmt_error *e)
{
    kmt_graph_build_opts defaults = { KMT_PROFILE_CAR, 0, 0 };
    if (!opts) opts = &defaults;
    kmt_graph_build_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    collect c;
    memset(&c, 0, sizeof c);
    c.profile = opts->profile;
    c.ferries = opts->ferries;
    KMT_VEC_PUSH(c.names, '\0'); /* offset 0 = no name */

    double t0 = kmt_now_monotonic();
    kmt_osm_handler h = { on_node, on_way, NULL, on_progress };
    kmt_progress_begin(&c.prog, "reading OSM", 0);
    int rc = kmt_osm_read_pbf(pbf_path, &h, &c, e);
    kmt_progress_end(&c.prog);
    build_graph bg;
    memset(&bg, 0, sizeof bg);
    bg.profile = opts->profile;
    long *ref_idx = NULL;
    uint8_t *nflag = NULL;
    if (rc) goto done;
    stats->osm_nodes = c.osm_nodes;
    stats->osm_ways = c.osm_ways;
    stats->routable_ways = c.ways.n;
    if (c.ways.n == 0) {
        rc = kmt_error_at(e, KMT_EINVAL, pbf_path, 0, 0, NULL,
                          "no way in the file is routable for the %s profile (no highway=* ways?)",
                          kmt_profile_name(opts->profile));
        goto done;
    }
    if (c.unsorted) {
        size_t n = c.node_ids.n;
        id_xy *tmp = kmt_malloc(n * sizeof *tmp);
        for (size_t i = 0; i < n; i++) tmp[i] = (id_xy){ c.node_ids.v[i], c.node_xy.v[i] };
        qsort(tmp, n, sizeof *tmp, cmp_id_xy);
        for (size_t i = 0; i < n; i++) {
            c.node_ids.v[i] = tmp[i].id;
            c.node_xy.v[i] = tmp[i].xy;
        }
        kmt_free(tmp);
    }
    stats->seconds_read = kmt_now_monotonic() - t0;
    t0 = kmt_now_monotonic();
    kmt_progress prog;
    kmt_progress_begin(&prog, "building graph", 0);
    if (c.block_ids.n) qsort(c.block_ids.v, c.block_ids.n, sizeof(int64_t), cmp_i64);
    if (c.signal_ids.n) qsort(c.signal_ids.v, c.signal_ids.n, sizeof(int64_t), cmp_i64);
    size_t nn = c.node_ids.n;
    nflag = kmt_calloc(nn ? nn : 1, 1);
    for (size_t i = 0; i < nn; i++) {
        if (in_sorted(c.block_ids.v, c.block_ids.n, c.node_ids.v[i])) nflag[i] |= 1;
        if (in_sorted(c.signal_ids.v, c.signal_ids.n, c.node_ids.v[i])) nflag[i] |= 2;
    }
    ref_idx = kmt_malloc((c.refs.n ? c.refs.n : 1) * sizeof *ref_idx);
    for (size_t k = 0; k < c.refs.n; k++) {
        ref_idx[k] = find_id(c.node_ids.v, nn, c.refs.v[k]);
        if (ref_idx[k] < 0) stats->missing_node_refs++;
    }
    if (stats->missing_node_refs)
        KMT_LOG(KMT_LOG_INFO,
                "%s: %llu node references of routable ways are not in the file (ways cut at the "
                "extract's border); those pieces are skipped",
                pbf_path, (unsigned long long)stats->missing_node_refs);
    build_segments(&c, ref_idx, &bg, nflag);
    bg.names.v = c.names.v;
    bg.names.n = c.names.n;
    bg.names.cap = c.names.cap;
    memset(&c.names, 0, sizeof c.names);
    if (!opts->keep_all_components) stats->removed_nodes = keep_largest_scc(&bg);
    if (bg.n < 2 || bg.segs.n == 0) {
        rc = kmt_error_at(e, KMT_EINVAL, pbf_path, 0, 0, NULL,
                          "the %s profile leaves no connected road network in this file",
                          kmt_profile_name(opts->profile));
        kmt_progress_end(&prog);
        goto done;
    }
    kmt_progress_end(&prog);
    stats->seconds_graph = kmt_now_monotonic() - t0;
    stats->nodes = bg.n;
    /* free the OSM data before contraction: peak memory */
    KMT_VEC_FREE(c.node_ids);
    KMT_VEC_FREE(c.node_xy);
    KMT_VEC_FREE(c.refs);
    KMT_VEC_FREE(c.ways);
    t0 = kmt_now_monotonic();
    if ((rc = kmt__contract(&bg, stats, e)) != 0) goto done;
    stats->seconds_contract = kmt_now_monotonic() - t0;
    t0 = kmt_now_monotonic();
    rc = kmt__graph_write(&bg, out_path, stats, e);
    stats->seconds_write = kmt_now_monotonic() - t0;
done:
    kmt_free(ref_idx);
    kmt_free(nflag);
    KMT_VEC_FREE(c.node_ids);
    KMT_VEC_FREE(c.node_xy);
    KMT_VEC_FREE(c.block_ids);
    KMT_VEC_FREE(c.signal_ids);
    KMT_VEC_FREE(c.ways);
    KMT_VEC_FREE(c.refs);
    KMT_VEC_FREE(c.names);
    build_graph_free(&bg);
    return rc;
}
