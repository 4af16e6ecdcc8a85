/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The planner: shareability graph of pairs, maximum-weight matching,
 * feasible groups of 3+ and set packing per connected component.
 *
 * 1. Each request's direct time T and distance D and its allowed time in the
 *    car R; requests that cannot share are marked (window shorter than T, no
 *    route, too many seats).
 * 2. Pairs: for requests whose windows overlap (a necessary condition: both
 *    are in the car at once), each direction (a drives b) is checked with
 *    exact necessary time conditions first, then with the full schedule.
 *    A pair's weight is its best saving (metres).
 * 3. Components: connected components of the graph of feasible pairs. Every
 *    feasible group lies inside one: all its passengers form feasible pairs
 *    with its driver (below).
 * 4. Groups of 3..max_group, per driver k: if group G is feasible with driver
 *    k, so is G minus any passenger with the same driver and the same stop
 *    times (each leg a->x->b is replaced by a->b, no longer when travel times
 *    satisfy the triangle inequality, so the old times still fit). So the
 *    groups of driver k are built Apriori-style from its feasible pairs: a
 *    passenger set is checked only when all its subsets one smaller are
 *    feasible with k. This pruning loses nothing when the matrix satisfies
 *    the triangle inequality. In components larger than exact_max, a driver
 *    uses only its cap_passengers best pair partners.
 * 5. Packing: max_group 2 -> blossom matching (exact at any size). Otherwise
 *    components of at most exact_max requests -> branch and bound over
 *    groups (exact within the node budget); larger -> matching of pairs,
 *    then local search (add a group if that gains, dissolving the rides it
 *    overlaps into their leftover sub-groups or singles), then exact
 *    re-packing of sliding time windows of about 24 requests.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pool_int.h"

void kmt_pool_opts_default(kmt_pool_opts *o)
{
    *o = (kmt_pool_opts){ 600, 50.0, 5, 4, 32, 2000000, 10 };
}

void kmt_pool_plan_init(kmt_pool_plan *p)
{
    memset(p, 0, sizeof *p);
}

void kmt_pool_plan_destroy(kmt_pool_plan *p)
{
    if (!p) return;
    KMT_VEC_FREE(p->rides);
    KMT_VEC_FREE(p->stops);
    kmt_free(p->ride_of);
    kmt_free(p->problem);
    kmt_free(p->direct_s);
    kmt_free(p->direct_m);
    memset(p, 0, sizeof *p);
}

/* ---- groups as keys of core's hash map ------------------------------------------ */

/* A key is an array of k request indices; its length tells the size: in
 * wmap the sorted members, in feas the driver then the sorted passengers. */
static int64_t *gmap_find(const kmt_map *g, const uint32_t *key, int k)
{
    size_t i = kmt_map_find_str(g, key, (size_t)k * sizeof *key);
    return i == KMT_MAP_NONE ? NULL : &g->ent[i].value;
}

/* Insert key with val, or raise its value to val. */
static void gmap_put(kmt_map *g, const uint32_t *key, int k, int64_t val)
{
    int added;
    size_t i = kmt_map_insert_str(g, key, (size_t)k * sizeof *key, val, &added);
    if (!added && val > g->ent[i].value) g->ent[i].value = val;
}

/* The key of entry e (entries in insertion order) into key; returns its k. */
static int gmap_key(const kmt_map *g, size_t e, uint32_t *key)
{
    memcpy(key, g->ent[e].str, g->ent[e].len);
    return (int)(g->ent[e].len / sizeof *key);
}

static void sort_u32(uint32_t *a, int k)
{
    for (int i = 1; i < k; i++) {
        uint32_t x = a[i];
        int j = i;
        while (j > 0 && a[j - 1] > x) a[j] = a[j - 1], j--;
        a[j] = x;
    }
}

/* ---- the solver state ---------------------------------------------------------- */

typedef struct arc {
    uint32_t to;  /* passenger */
    int64_t save; /* saving of the pair with this driver */
} arc;

typedef struct group {
    uint32_t m[KMT_POOL_KMAX]; /* sorted request indices */
    int k;
    int64_t w;
} group;

typedef KMT_VEC(group) groupvec;
typedef KMT_VEC(uint32_t) u32vec;

typedef struct solver {
    const kmt_pool_request *r;
    size_t n;
    const kmt_pool_matrix *m;
    const kmt_pool_opts *p;
    int32_t *T, *D, *R;
    unsigned char *ok;
    KMT_VEC(arc) * out; /* per driver: feasible passengers */
    kmt_map feas;       /* (driver, sorted passengers) feasible with that driver */
    kmt_map wmap;       /* (sorted members) -> best saving (may be <= 0) */
    groupvec chosen;    /* the packing */
} solver;

/* The smallest member of known group e. */
static uint32_t group_first(const solver *s, size_t e)
{
    uint32_t key[KMT_POOL_KMAX];
    gmap_key(&s->wmap, e, key);
    return key[0];
}

static int64_t group_weight(solver *s, const uint32_t *sorted, int k)
{
    int64_t *v = gmap_find(&s->wmap, sorted, k);
    return v ? *v : INT64_MIN;
}

/* Exact necessary conditions for a driving b, before the full schedule. */
static int pair_prefilter(const solver *s, uint32_t a, uint32_t b)
{
    const kmt_pool_request *A = &s->r[a], *B = &s->r[b];
    if (!A->can_drive || A->seats + B->seats > s->p->seats) return 0;
    int32_t t1 = kmt__dur(s->m, A->o, B->o), t3 = kmt__dur(s->m, B->d, A->d);
    if (t1 == KMT_POOL_UNREACH || t3 == KMT_POOL_UNREACH) return 0;
    int64_t ride = (int64_t)t1 + s->T[b] + t3;
    if (ride > s->R[a]) return 0;
    int64_t pick = A->earliest_departure + t1;
    if (pick < B->earliest_departure) pick = B->earliest_departure;
    if (pick + s->T[b] > B->latest_arrival) return 0;
    if (pick + s->T[b] + t3 > A->latest_arrival) return 0;
    return 1;
}

/* Evaluate members (unsorted, driver at slot 0) with that driver; on
 * success record feasibility and the group's saving. */
static int eval_with_driver(solver *s, const uint32_t *members, int k, int64_t *saving)
{
    int64_t dist;
    if (!kmt__pool_group_eval(s->r, s->m, s->p, members, k, 0, &dist, NULL)) return 0;
    uint32_t sorted[KMT_POOL_KMAX];
    if (k >= 3) { /* pairs are never looked up: a driver's candidates are its pair partners */
        sorted[0] = members[0];
        memcpy(sorted + 1, members + 1, sizeof(uint32_t) * (size_t)(k - 1));
        sort_u32(sorted + 1, k - 1);
        gmap_put(&s->feas, sorted, k, 1);
    }
    int64_t save = 0;
    for (int i = 0; i < k; i++) save += s->D[members[i]];
    save -= dist;
    memcpy(sorted, members, sizeof(uint32_t) * (size_t)k);
    sort_u32(sorted, k);
    gmap_put(&s->wmap, sorted, k, save);
    if (saving) *saving = save;
    return 1;
}

static int feasible_with(solver *s, uint32_t driver, const uint32_t *pass, int np)
{
    uint32_t key[KMT_POOL_KMAX];
    assert(np + 1 <= KMT_POOL_KMAX);
    key[0] = driver;
    memcpy(key + 1, pass, sizeof(uint32_t) * (size_t)np);
    sort_u32(key + 1, np);
    return gmap_find(&s->feas, key, np + 1) != NULL;
}

/* Groups of 3..max_group with driver k over candidate passengers c[0..nc-1]
 * (ascending): Apriori by size. */
static void groups_of_driver(solver *s, uint32_t k, const uint32_t *c, int nc)
{
    int K = s->p->max_group;
    /* current level: passenger sets of size np (indices into c), ascending */
    typedef KMT_VEC(uint8_t) u8vec;
    u8vec level = { 0 }, next = { 0 };
    for (int i = 0; i < nc; i++) KMT_VEC_PUSH(level, (uint8_t)i);
    for (int np = 1; np + 1 < K; np++) {
        next.n = 0;
        size_t nsets = level.n / (size_t)np;
        for (size_t a = 0; a < nsets; a++) {
            const uint8_t *A = level.v + a * (size_t)np;
            /* extend by a larger index than A's last */
            for (int x = A[np - 1] + 1; x < nc; x++) {
                uint32_t pass[KMT_POOL_KMAX];
                for (int i = 0; i < np; i++) pass[i] = c[A[i]];
                pass[np] = c[x];
                /* every subset one smaller (dropping one of A's members) must be feasible */
                int ok = 1;
                for (int drop = 0; drop < np && ok && np >= 2; drop++) {
                    uint32_t sub[KMT_POOL_KMAX];
                    int q = 0;
                    for (int i = 0; i <= np; i++)
                        if (i != drop) sub[q++] = pass[i];
                    ok = feasible_with(s, k, sub, np);
                }
                if (!ok) continue;
                uint32_t members[KMT_POOL_KMAX];
                members[0] = k;
                memcpy(members + 1, pass, sizeof(uint32_t) * (size_t)(np + 1));
                if (!eval_with_driver(s, members, np + 2, NULL)) continue;
                for (int i = 0; i < np; i++) KMT_VEC_PUSH(next, A[i]);
                KMT_VEC_PUSH(next, (uint8_t)x);
            }
        }
        u8vec t = level;
        level = next;
        next = t;
        if (!level.n) break;
    }
    KMT_VEC_FREE(level);
    KMT_VEC_FREE(next);
}

/* ---- union-find ------------------------------------------------------------ */

static uint32_t uf_find(uint32_t *par, uint32_t x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

/* ---- packing one component ---------------------------------------------------- */

/* Best partners first (by saving, then index). */
static int arc_cmp(const void *a, const void *b)
{
    const arc *x = a, *y = b;
    if (x->save != y->save) return x->save > y->save ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

static int group_cmp(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    if (x->k != y->k) return x->k < y->k ? -1 : 1;
    for (int i = 0; i < x->k; i++)
        if (x->m[i] != y->m[i]) return x->m[i] < y->m[i] ? -1 : 1;
    return 0;
}

/* Candidates of a component: every known group of its members with positive
 * saving that is not dominated (a group no better than itself minus one
 * member, plus that member alone, is never needed). */
static void component_groups(solver *s, const uint32_t *entries, size_t nent, groupvec *out)
{
    out->n = 0;
    for (size_t q = 0; q < nent; q++) {
        size_t e = entries[q];
        uint32_t key[KMT_POOL_KMAX];
        int k = gmap_key(&s->wmap, e, key);
        int64_t w = s->wmap.ent[e].value;
        if (w <= 0) continue;
        group g;
        g.k = k;
        g.w = w;
        for (int i = 0; i < k; i++) g.m[i] = key[i];
        int dominated = 0;
        for (int drop = 0; drop < k && !dominated && k > 2; drop++) {
            uint32_t sub[KMT_POOL_KMAX];
            int ns = 0;
            for (int i = 0; i < k; i++)
                if (i != drop) sub[ns++] = g.m[i];
            if (group_weight(s, sub, k - 1) >= w) dominated = 1;
        }
        if (!dominated) KMT_VEC_PUSH(*out, g);
    }
    if (out->n) qsort(out->v, out->n, sizeof(group), group_cmp);
}

/* Branch and bound over groups of a component of at most 64 requests.
 * Returns 1 when proven optimal, 0 when the node budget ran out (the best
 * found so far is returned then). Selected groups go to sel (indices). */
static int pack_exact(const uint32_t *comp, size_t nc, const group *G, size_t ng, long budget, u32vec *sel)
{
    assert(nc <= 64);
    /* position of each request in comp (sorted), then a branching order:
     * requests in fewer groups first (fewer branches near the root) */
    uint32_t *pos = kmt_malloc((ng ? ng : 1) * KMT_POOL_KMAX * sizeof(uint32_t));
    uint32_t *deg = kmt_calloc(nc, sizeof(uint32_t));
    for (size_t g = 0; g < ng; g++)
        for (int i = 0; i < G[g].k; i++) {
            size_t lo = 0, hi = nc;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (comp[mid] < G[g].m[i])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            assert(lo < nc && comp[lo] == G[g].m[i]);
            pos[g * KMT_POOL_KMAX + (size_t)i] = (uint32_t)lo;
            deg[lo]++;
        }
    uint64_t *rank_of = kmt_malloc(nc * sizeof(uint64_t));
    for (size_t i = 0; i < nc; i++) rank_of[i] = (uint64_t)deg[i] << 32 | i; /* (degree, position) */
    for (size_t i = 1; i < nc; i++) {
        uint64_t x = rank_of[i];
        size_t j = i;
        while (j > 0 && rank_of[j - 1] > x) rank_of[j] = rank_of[j - 1], j--;
        rank_of[j] = x;
    }
    uint32_t *bit = kmt_malloc(nc * sizeof(uint32_t)); /* position -> branching index */
    for (size_t i = 0; i < nc; i++) bit[rank_of[i] & 0xffffffffu] = (uint32_t)i;
    uint64_t *mask = kmt_malloc((ng ? ng : 1) * sizeof(uint64_t));
    int64_t *ub = kmt_calloc(nc, sizeof(int64_t));
    KMT_VEC(uint32_t) *bylow = kmt_calloc(nc, sizeof(*bylow));
    for (size_t g = 0; g < ng; g++) {
        uint64_t mk = 0;
        int low = 64;
        for (int i = 0; i < G[g].k; i++) {
            size_t lo = bit[pos[g * KMT_POOL_KMAX + (size_t)i]];
            mk |= 1ull << lo;
            if ((int)lo < low) low = (int)lo;
            int64_t share = (G[g].w + G[g].k - 1) / G[g].k;
            if (share > ub[lo]) ub[lo] = share;
        }
        mask[g] = mk;
        KMT_VEC_PUSH(bylow[low], (uint32_t)g); /* G is sorted by weight: lists are too */
    }
    uint64_t all = nc == 64 ? ~0ull : ((1ull << nc) - 1);
    struct frame {
        int v;
        size_t opt; /* next option: 0..len-1 groups, len = alone */
        int64_t w_applied, ub_applied;
        uint64_t m_applied;
        int applied;
    } st[65];
    uint32_t path[65];
    int depth = 0;
    uint64_t covered = 0;
    int64_t cur = 0, rest = 0, best = -1;
    for (size_t i = 0; i < nc; i++) rest += ub[i];
    long nodes = 0;
    int exact = 1;
    st[0] = (struct frame){ 0, 0, 0, 0, 0, 0 };
    for (;;) {
        struct frame *f = &st[depth];
        if (f->applied) { /* undo the option taken last time */
            covered &= ~f->m_applied;
            cur -= f->w_applied;
            rest += f->ub_applied;
            f->applied = 0;
        }
        size_t len = bylow[f->v].n;
        int descended = 0;
        while (f->opt <= len && cur + rest > best) {
            size_t o = f->opt++;
            uint64_t mk;
            int64_t w;
            if (o < len) {
                uint32_t g = bylow[f->v].v[o];
                if (mask[g] & covered) continue;
                mk = mask[g];
                w = G[g].w;
                path[depth] = g;
            } else {
                mk = 1ull << f->v;
                w = 0;
                path[depth] = UINT32_MAX;
            }
            int64_t ubd = 0;
            for (uint64_t x = mk; x; x &= x - 1) ubd += ub[__builtin_ctzll(x)];
            covered |= mk;
            cur += w;
            rest -= ubd;
            f->applied = 1, f->m_applied = mk, f->w_applied = w, f->ub_applied = ubd;
            if (++nodes > budget) exact = 0;
            if (covered == all) {
                if (cur > best) {
                    best = cur;
                    sel->n = 0;
                    for (int d = 0; d <= depth; d++)
                        if (path[d] != UINT32_MAX) KMT_VEC_PUSH(*sel, path[d]);
                }
                covered &= ~mk;
                cur -= w;
                rest += ubd;
                f->applied = 0;
                continue;
            }
            if (!exact) break;
            int v = __builtin_ctzll(~covered);
            depth++;
            st[depth] = (struct frame){ v, 0, 0, 0, 0, 0 };
            descended = 1;
            break;
        }
        if (descended) continue;
        if (f->applied) { /* leaving this frame (pruned or out of budget): undo its option */
            covered &= ~f->m_applied;
            cur -= f->w_applied;
            rest += f->ub_applied;
            f->applied = 0;
        }
        if (depth == 0) break;
        depth--;
    }
    kmt_free(mask);
    kmt_free(ub);
    kmt_free(pos);
    kmt_free(deg);
    kmt_free(rank_of);
    kmt_free(bit);
    for (size_t i = 0; i < nc; i++) KMT_VEC_FREE(bylow[i]);
    kmt_free(bylow);
    return exact;
}

/* The best weight (>= 0) of a group of at least 2 strictly inside g. */
static int64_t best_sub(solver *s, const group *g)
{
    int64_t best = 0;
    for (unsigned mask = 1; mask + 1 < (1u << g->k); mask++) {
        if (__builtin_popcount(mask) < 2) continue;
        uint32_t sub[KMT_POOL_KMAX];
        int k = 0;
        for (int i = 0; i < g->k; i++)
            if (mask >> i & 1) sub[k++] = g->m[i];
        int64_t w = group_weight(s, sub, k);
        if (w > best) best = w;
    }
    return best;
}

/* The starting matching of a large component in the local-search path:
 * requests in order of earliest departure, cut into chunks of CHUNK; a
 * matching per chunk on the edges inside it (edges between chunks are left
 * to the local search). Blossom's cost grows fast with the vertex count;
 * this keeps the start cheap on days of thousands of requests. */
#define CHUNK 400

typedef struct rank_key {
    kmt_time t;
    uint32_t i;
} rank_key;

static int rank_cmp(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static void chunked_matching(solver *s, const uint32_t *comp, size_t nc, const kmt_pool_edge *E, size_t ne,
                             int32_t *mate)
{
    rank_key *rk = kmt_malloc(nc * sizeof *rk);
    for (size_t i = 0; i < nc; i++) rk[i] = (rank_key){ s->r[comp[i]].earliest_departure, (uint32_t)i };
    qsort(rk, nc, sizeof *rk, rank_cmp);
    uint32_t *chunk = kmt_malloc(nc * sizeof(uint32_t)), *local = kmt_malloc(nc * sizeof(uint32_t));
    uint32_t *global = kmt_malloc(nc * sizeof(uint32_t));
    for (size_t q = 0; q < nc; q++) {
        chunk[rk[q].i] = (uint32_t)(q / CHUNK);
        local[rk[q].i] = (uint32_t)(q % CHUNK);
        global[q] = rk[q].i;
    }
    for (size_t i = 0; i < nc; i++) mate[i] = -1;
    size_t nchunks = (nc + CHUNK - 1) / CHUNK;
    kmt_pool_edge *ce = kmt_malloc((ne ? ne : 1) * sizeof *ce);
    int32_t cm[CHUNK];
    for (size_t c = 0; c < nchunks; c++) {
        size_t n2 = 0;
        for (size_t q = 0; q < ne; q++)
            if (chunk[E[q].u] == c && chunk[E[q].v] == c)
                ce[n2++] = (kmt_pool_edge){ local[E[q].u], local[E[q].v], E[q].w };
        uint32_t size = (uint32_t)((c + 1) * CHUNK <= nc ? CHUNK : nc - c * CHUNK);
        kmt_pool_matching(size, ce, n2, cm);
        for (uint32_t v = 0; v < size; v++)
            if (cm[v] >= 0) mate[global[c * CHUNK + v]] = (int32_t)global[c * CHUNK + (size_t)cm[v]];
    }
    kmt_free(ce);
    kmt_free(rk);
    kmt_free(chunk);
    kmt_free(local);
    kmt_free(global);
}

/* After the local search: re-solve sliding time windows exactly. The
 * current rides and the requests alone, in order of their earliest member's
 * earliest departure, are taken whole into windows of about WINDOW requests
 * (at most 48), advancing by about half a window; each window's packing is
 * solved by branch and bound over the candidate groups inside it (budget
 * 200,000 nodes), and a better packing replaces the window's rides. */
#define WINDOW 24

static void window_exact(solver *s, const uint32_t *comp, size_t nc, const group *G, size_t ng, groupvec *cur,
                         int32_t *assign)
{
    rank_key *rk = kmt_malloc(nc * sizeof *rk);
    for (size_t i = 0; i < nc; i++) rk[i] = (rank_key){ s->r[comp[i]].earliest_departure, comp[i] };
    qsort(rk, nc, sizeof *rk, rank_cmp);
    int32_t *rank = kmt_malloc(s->n * sizeof(int32_t)); /* global request -> time rank */
    for (size_t q = 0; q < nc; q++) rank[rk[q].i] = (int32_t)q;
    /* candidates bucketed by the smallest time rank of their members */
    uint32_t *bstart = kmt_calloc(nc + 1, sizeof(uint32_t)), *bidx = kmt_malloc((ng ? ng : 1) * sizeof(uint32_t));
    int32_t *gmin = kmt_malloc((ng ? ng : 1) * sizeof(int32_t));
    for (size_t g = 0; g < ng; g++) {
        int32_t mn = INT32_MAX;
        for (int i = 0; i < G[g].k; i++)
            if (rank[G[g].m[i]] < mn) mn = rank[G[g].m[i]];
        gmin[g] = mn;
        bstart[mn + 1]++;
    }
    for (size_t q = 0; q < nc; q++) bstart[q + 1] += bstart[q];
    {
        uint32_t *fill = kmt_malloc((nc + 1) * sizeof(uint32_t));
        memcpy(fill, bstart, (nc + 1) * sizeof(uint32_t));
        for (size_t g = 0; g < ng; g++) bidx[fill[gmin[g]]++] = (uint32_t)g; /* keeps G's order */
        kmt_free(fill);
    }
    unsigned char *in = kmt_calloc(s->n, 1);
    groupvec sub = { 0 };
    u32vec sel = { 0 };
    uint32_t S[64];
    rank_key *units = kmt_malloc(nc * sizeof *units);
    for (int pass = 0; pass < 2; pass++) {
        /* units: pass 0 every request, pass 1 the current rides and the requests
         * alone, by their earliest member; a unit brings its whole current ride */
        size_t nu = 0;
        for (size_t q = 0; q < nc; q++) {
            uint32_t v = rk[q].i;
            if (pass == 0 || assign[v] < 0)
                units[nu++] = (rank_key){ (kmt_time)q, v };
            else if (!in[v]) { /* first (earliest) member of its ride */
                const group *o = &cur->v[assign[v]];
                for (int i = 0; i < o->k; i++) in[o->m[i]] = 1;
                units[nu++] = (rank_key){ (kmt_time)q, v };
            }
        }
        memset(in, 0, s->n);
        for (size_t a = 0; a < nu; a++) {
            size_t ns = 0, b2 = a;
            int32_t rmin = INT32_MAX, rmax = -1;
            /* whole current rides (a unit's ride may have changed: add what is new) */
            while (b2 < nu && ns < WINDOW) {
                uint32_t v = units[b2].i;
                int k = assign[v] < 0 ? 1 : cur->v[assign[v]].k;
                if (ns + (size_t)k > 48) break;
                for (int i = 0; i < k; i++) {
                    uint32_t x = assign[v] < 0 ? v : cur->v[assign[v]].m[i];
                    if (!in[x]) in[x] = 1, S[ns++] = x;
                }
                b2++;
            }
            for (size_t i = 0; i < ns; i++) {
                if (rank[S[i]] < rmin) rmin = rank[S[i]];
                if (rank[S[i]] > rmax) rmax = rank[S[i]];
            }
            int64_t before = 0;
            sub.n = 0;
            if (ns >= 3) {
                for (size_t i = 0; i < ns; i++)
                    if (assign[S[i]] >= 0 && cur->v[assign[S[i]]].m[0] == S[i]) before += cur->v[assign[S[i]]].w;
                for (uint32_t q = bstart[rmin]; q < bstart[rmax + 1]; q++) {
                    const group *c = &G[bidx[q]];
                    int all = 1;
                    for (int i = 0; i < c->k && all; i++) all = in[c->m[i]];
                    if (all) KMT_VEC_PUSH(sub, *c);
                }
                sort_u32(S, (int)ns);
                sel.n = 0;
                pack_exact(S, ns, sub.v, sub.n, 200000, &sel);
                int64_t after = 0;
                for (size_t q = 0; q < sel.n; q++) after += sub.v[sel.v[q]].w;
                if (after > before) {
                    for (size_t i = 0; i < ns; i++) {
                        int32_t r0 = assign[S[i]];
                        if (r0 >= 0) cur->v[r0].k = 0; /* emptied; dropped later */
                        assign[S[i]] = -1;
                    }
                    for (size_t q = 0; q < sel.n; q++) {
                        KMT_VEC_PUSH(*cur, sub.v[sel.v[q]]);
                        for (int i = 0; i < sub.v[sel.v[q]].k; i++)
                            assign[sub.v[sel.v[q]].m[i]] = (int32_t)(cur->n - 1);
                    }
                }
            }
            for (size_t i = 0; i < ns; i++) in[S[i]] = 0;
            if (b2 >= nu) break;
            /* advance by about half a window of requests (at least one unit) */
            size_t adv = 1, half = 0;
            while (a + adv < b2 && half < WINDOW / 2) {
                uint32_t v = units[a + adv - 1].i;
                half += assign[v] < 0 ? 1 : (size_t)cur->v[assign[v]].k;
                adv++;
            }
            a += adv - 1; /* the loop adds the last one */
        }
    }
    kmt_free(units);
    KMT_VEC_FREE(sub);
    KMT_VEC_FREE(sel);
    kmt_free(in);
    kmt_free(rk);
    kmt_free(rank);
    kmt_free(bstart);
    kmt_free(bidx);
    kmt_free(gmin);
}

/* Incidences by vertex, then weight (heaviest first), then edge index. */
static int inc_cmp(const void *a, const void *b)
{
    const kmt_pool_edge *x = a, *y = b;
    if (x->u != y->u) return x->u < y->u ? -1 : 1;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/*
 * Pack a component into cur: the maximum-weight matching of its pairs
 * (exact; with sparsify, the cheaper start for the local search: 5 heaviest
 * edges per request, chunks of CHUNK), then for max_group > 2 the local
 * search over the candidate groups G (sorted, best first) and the exact
 * windows. assign[v] (global request) = index into cur or -1 while working.
 */
static void pack_heuristic(solver *s, const uint32_t *comp, size_t nc, const group *G, size_t ng, int sparsify,
                           groupvec *cur)
{
    cur->n = 0;
    /* local indices for the matching */
    size_t ne = 0;
    for (size_t g = 0; g < ng; g++)
        if (G[g].k == 2) ne++;
    kmt_pool_edge *E = kmt_malloc((ne ? ne : 1) * sizeof *E);
    ne = 0;
    for (size_t g = 0; g < ng; g++) {
        if (G[g].k != 2) continue;
        size_t a = 0, b = 0;
        for (size_t lo = 0, hi = nc; lo < hi;) {
            size_t mid = (lo + hi) / 2;
            if (comp[mid] < G[g].m[0])
                lo = mid + 1;
            else
                hi = mid;
            a = lo;
        }
        for (size_t lo = 0, hi = nc; lo < hi;) {
            size_t mid = (lo + hi) / 2;
            if (comp[mid] < G[g].m[1])
                lo = mid + 1;
            else
                hi = mid;
            b = lo;
        }
        E[ne++] = (kmt_pool_edge){ (uint32_t)a, (uint32_t)b, G[g].w };
    }
    if (sparsify && ne > 0) {
        /* keep an edge only if it is among the 5 heaviest of one of its ends
         * (the matching is a starting point here, not the answer) */
        size_t cap = 5;
        kmt_pool_edge *inc = kmt_malloc(2 * ne * sizeof *inc); /* (vertex, edge index, weight) */
        for (size_t q = 0; q < ne; q++) {
            inc[2 * q] = (kmt_pool_edge){ E[q].u, (uint32_t)q, E[q].w };
            inc[2 * q + 1] = (kmt_pool_edge){ E[q].v, (uint32_t)q, E[q].w };
        }
        qsort(inc, 2 * ne, sizeof *inc, inc_cmp);
        unsigned char *keep = kmt_calloc(ne, 1);
        for (size_t q = 0, run = 0; q < 2 * ne; q++) {
            run = (q > 0 && inc[q].u == inc[q - 1].u) ? run + 1 : 0;
            if (run < cap) keep[inc[q].v] = 1;
        }
        size_t w2 = 0;
        for (size_t q = 0; q < ne; q++)
            if (keep[q]) E[w2++] = E[q];
        ne = w2;
        kmt_free(keep);
        kmt_free(inc);
    }
    int32_t *mate = kmt_malloc(nc * sizeof(int32_t));
    if (sparsify && nc > CHUNK) {
        chunked_matching(s, comp, nc, E, ne, mate);
    } else {
        kmt_pool_matching((uint32_t)nc, E, ne, mate);
    }
    int32_t *assign = kmt_malloc(s->n * sizeof(int32_t));
    KMT_VEC(int64_t) ubr = { 0 }; /* per ride: the best weight of a proper sub-group (0: singles) */
    for (size_t i = 0; i < nc; i++) assign[comp[i]] = -1;
    for (size_t i = 0; i < nc; i++) {
        if (mate[i] > (int32_t)i) {
            group g;
            g.k = 2;
            g.m[0] = comp[i];
            g.m[1] = comp[mate[i]];
            g.w = group_weight(s, g.m, 2);
            assign[g.m[0]] = assign[g.m[1]] = (int32_t)cur->n;
            KMT_VEC_PUSH(*cur, g);
        }
    }
    kmt_free(E);
    kmt_free(mate);
    if (s->p->max_group > 2) {
        for (size_t q = 0; q < cur->n; q++) KMT_VEC_PUSH(ubr, best_sub(s, &cur->v[q]));
        for (int pass = 0; pass < 100; pass++) {
            int improved = 0;
            for (size_t gi = 0; gi < ng; gi++) {
                const group *c = &G[gi];
                /* rides it overlaps */
                int32_t touched[KMT_POOL_KMAX];
                int nt = 0;
                for (int i = 0; i < c->k; i++) {
                    int32_t a = assign[c->m[i]];
                    if (a < 0) continue;
                    int seen = 0;
                    for (int q = 0; q < nt; q++) seen |= touched[q] == a;
                    if (!seen) touched[nt++] = a;
                }
                /* cheap bound first: each touched ride keeps at best its best sub-group */
                int64_t bound = c->w;
                for (int q = 0; q < nt; q++) bound += ubr.v[touched[q]] - cur->v[touched[q]].w;
                if (bound <= 0) continue;
                int64_t gain = c->w;
                group resid[KMT_POOL_KMAX];
                for (int q = 0; q < nt; q++) {
                    const group *o = &cur->v[touched[q]];
                    gain -= o->w;
                    group rg;
                    rg.k = 0;
                    for (int i = 0; i < o->k; i++) {
                        int in = 0;
                        for (int j = 0; j < c->k; j++) in |= o->m[i] == c->m[j];
                        if (!in) rg.m[rg.k++] = o->m[i];
                    }
                    rg.w = 0;
                    if (rg.k >= 2) {
                        int64_t w = group_weight(s, rg.m, rg.k);
                        rg.w = w > 0 ? w : 0;
                    }
                    if (rg.w <= 0) rg.k = 0;
                    gain += rg.w;
                    resid[q] = rg;
                }
                if (gain <= 0) continue;
                /* apply: the touched rides become their residues (or vanish) */
                for (int q = 0; q < nt; q++) {
                    group *o = &cur->v[touched[q]];
                    for (int i = 0; i < o->k; i++) assign[o->m[i]] = -1;
                    *o = resid[q];
                    ubr.v[touched[q]] = best_sub(s, o);
                    for (int i = 0; i < o->k; i++) assign[o->m[i]] = touched[q];
                }
                KMT_VEC_PUSH(*cur, *c);
                KMT_VEC_PUSH(ubr, best_sub(s, c));
                for (int i = 0; i < c->k; i++) assign[c->m[i]] = (int32_t)(cur->n - 1);
                improved = 1;
            }
            if (!improved) break;
        }
    }
    KMT_VEC_FREE(ubr);
    if (s->p->max_group > 2 && nc >= 3) window_exact(s, comp, nc, G, ng, cur, assign);
    /* drop emptied rides */
    size_t w = 0;
    for (size_t i = 0; i < cur->n; i++)
        if (cur->v[i].k >= 2) cur->v[w++] = cur->v[i];
    cur->n = w;
    kmt_free(assign);
}

/* ---- the whole solve ------------------------------------------------------------ */

typedef struct ride_tmp {
    kmt_pool_ride ride;
    kmt_pool_stop stops[2 * KMT_POOL_KMAX];
} ride_tmp;

static int ride_cmp(const void *a, const void *b)
{
    const ride_tmp *x = a, *y = b;
    if (x->stops[0].time != y->stops[0].time) return x->stops[0].time < y->stops[0].time ? -1 : 1;
    return (x->ride.driver > y->ride.driver) - (x->ride.driver < y->ride.driver);
}

/* Stage 1: direct time, distance and allowed ride time of every request, and
 * the problem that keeps a request alone (s->ok[i] = 0 then). */
static void solve_requests(solver *s, kmt_pool_plan *plan)
{
    const kmt_pool_request *r = s->r;
    for (size_t i = 0; i < s->n; i++) {
        plan->ride_of[i] = -1;
        int32_t T = kmt__dur(s->m, r[i].o, r[i].d);
        s->T[i] = T;
        s->D[i] = T == KMT_POOL_UNREACH ? 0 : kmt__dist(s->m, r[i].o, r[i].d);
        s->R[i] = T == KMT_POOL_UNREACH ? 0 : kmt__pool_allow(s->p, T);
        if (T == KMT_POOL_UNREACH)
            plan->problem[i] = KMT_POOL_NO_ROUTE;
        else if (r[i].latest_arrival - r[i].earliest_departure < T)
            plan->problem[i] = KMT_POOL_WINDOW_SHORT;
        else if (r[i].seats > s->p->seats)
            plan->problem[i] = KMT_POOL_TOO_MANY_SEATS;
        else
            s->ok[i] = 1;
        plan->m_direct += s->D[i];
    }
}

/* Request indices by earliest departure (kmt_sort_stable: ties by index). */
static int departure_cmp(const void *a, const void *b, void *ctx)
{
    const kmt_pool_request *r = ctx;
    int64_t x = r[*(const uint32_t *)a].earliest_departure, y = r[*(const uint32_t *)b].earliest_departure;
    return (x > y) - (x < y);
}

/* Stage 2: every feasible pair (both directions) into s->out, sweeping the
 * usable requests in order of earliest departure; par joins the requests of
 * a pair (union-find over request indices). */
static void solve_pairs(solver *s, uint32_t *par)
{
    const kmt_pool_request *r = s->r;
    uint32_t *ord = kmt_malloc((s->n ? s->n : 1) * sizeof(uint32_t));
    size_t nok = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->ok[i]) ord[nok++] = (uint32_t)i;
    kmt_sort_stable(ord, nok, sizeof *ord, departure_cmp, (void *)r);
    for (size_t x = 0; x < nok; x++) {
        uint32_t a = ord[x];
        for (size_t y = x + 1; y < nok; y++) {
            uint32_t b = ord[y];
            if (r[b].earliest_departure > r[a].latest_arrival) break;
            if (r[a].earliest_departure > r[b].latest_arrival) continue;
            for (int dir = 0; dir < 2; dir++) {
                uint32_t drv = dir ? b : a, pas = dir ? a : b;
                if (!pair_prefilter(s, drv, pas)) continue;
                uint32_t mem[2] = { drv, pas };
                int64_t save;
                if (!eval_with_driver(s, mem, 2, &save)) continue;
                arc ar = { pas, save };
                KMT_VEC_PUSH(s->out[drv], ar);
                uint32_t ra = uf_find(par, drv), rb = uf_find(par, pas);
                if (ra != rb) par[ra > rb ? ra : rb] = ra < rb ? ra : rb;
            }
        }
    }
    kmt_free(ord);
}

/* Members of one bucket per index c in [0, n): mem[start[c] .. start[c+1]). */
typedef struct buckets {
    uint32_t *start; /* [n + 1] */
    uint32_t *mem;
} buckets;

/* Items 0..count-1 bucketed by key[item] (< n), ascending within a bucket. */
static void bucket(buckets *b, size_t n, size_t count, const uint32_t *key)
{
    b->start = kmt_calloc(n + 1, sizeof(uint32_t));
    b->mem = kmt_malloc((count ? count : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < count; i++) b->start[key[i] + 1]++;
    for (size_t i = 0; i < n; i++) b->start[i + 1] += b->start[i];
    uint32_t *fill = kmt_malloc((n ? n : 1) * sizeof(uint32_t));
    memcpy(fill, b->start, n * sizeof(uint32_t));
    for (size_t i = 0; i < count; i++) b->mem[fill[key[i]]++] = (uint32_t)i;
    kmt_free(fill);
}

static void buckets_destroy(buckets *b)
{
    kmt_free(b->start);
    kmt_free(b->mem);
}

/* Stage 3: groups of 3+ per driver of each component (the passenger cap
 * depends on the component's size), into s->wmap and s->feas. */
static void solve_driver_groups(solver *s, const buckets *comps)
{
    const kmt_pool_opts *p = s->p;
    for (size_t c = 0; c < s->n; c++) {
        size_t nc = comps->start[c + 1] - comps->start[c];
        const uint32_t *comp = comps->mem + comps->start[c];
        int exact_comp = (int)nc <= p->exact_max;
        for (size_t i = 0; i < nc && nc >= 3; i++) {
            uint32_t k = comp[i];
            size_t na = s->out[k].n;
            if (na < 2) continue;
            arc *A = kmt_malloc(na * sizeof(arc));
            memcpy(A, s->out[k].v, na * sizeof(arc));
            size_t use = na;
            if (!exact_comp && (int)na > p->cap_passengers) {
                qsort(A, na, sizeof(arc), arc_cmp);
                use = (size_t)p->cap_passengers;
            }
            if (use > 64) use = 64; /* never reached in practice: exact components have <= 64 */
            uint32_t cp[64];
            for (size_t q = 0; q < use; q++) cp[q] = A[q].to;
            sort_u32(cp, (int)use);
            groups_of_driver(s, k, cp, (int)use);
            kmt_free(A);
        }
    }
}

/* Stage 4, one component: its packing (exact when small enough, with the
 * local search as fallback and beyond) appended to s->chosen. */
static void pack_component(solver *s, kmt_pool_plan *plan, const uint32_t *comp, size_t nc, groupvec *cand,
                           groupvec *packed, u32vec *sel)
{
    const kmt_pool_opts *p = s->p;
    int exact_comp = (int)nc <= p->exact_max;
    packed->n = 0;
    if (p->max_group >= 3 && exact_comp) {
        sel->n = 0;
        int ex = pack_exact(comp, nc, cand->v, cand->n, p->exact_nodes, sel);
        for (size_t q = 0; q < sel->n; q++) KMT_VEC_PUSH(*packed, cand->v[sel->v[q]]);
        if (!ex) {
            plan->exact = 0;
            plan->heuristic_components++;
            groupvec h = { 0 };
            pack_heuristic(s, comp, nc, cand->v, cand->n, 1, &h);
            int64_t wb = 0, wh = 0;
            for (size_t q = 0; q < packed->n; q++) wb += packed->v[q].w;
            for (size_t q = 0; q < h.n; q++) wh += h.v[q].w;
            if (wh > wb) {
                packed->n = 0;
                for (size_t q = 0; q < h.n; q++) KMT_VEC_PUSH(*packed, h.v[q]);
            }
            KMT_VEC_FREE(h);
        }
    } else {
        /* pairs only: the exact matching; else a start for the local search */
        pack_heuristic(s, comp, nc, cand->v, cand->n, p->max_group >= 3, packed);
        if (p->max_group >= 3) {
            plan->exact = 0;
            plan->heuristic_components++;
        }
    }
    for (size_t g = 0; g < packed->n; g++) KMT_VEC_PUSH(s->chosen, packed->v[g]);
}

/* Stage 4: the known groups (pairs included) bucketed by component, each
 * component of 2+ requests packed. root[i] is request i's component. */
static void solve_components(solver *s, kmt_pool_plan *plan, const buckets *comps, const uint32_t *root)
{
    uint32_t *first = kmt_malloc((s->wmap.n ? s->wmap.n : 1) * sizeof(uint32_t));
    for (size_t e = 0; e < s->wmap.n; e++) first[e] = root[group_first(s, e)];
    buckets known;
    bucket(&known, s->n, s->wmap.n, first);
    kmt_free(first);
    groupvec cand = { 0 }, packed = { 0 };
    u32vec sel = { 0 };
    for (size_t c = 0; c < s->n; c++) {
        size_t nc = comps->start[c + 1] - comps->start[c];
        if (nc < 2) continue;
        plan->components++;
        if (nc > plan->largest_component) plan->largest_component = nc;
        component_groups(s, known.mem + known.start[c], known.start[c + 1] - known.start[c], &cand);
        for (size_t g = 0; g < cand.n; g++)
            if (cand.v[g].k >= 3) plan->groups++;
        pack_component(s, plan, comps->mem + comps->start[c], nc, &cand, &packed, &sel);
    }
    KMT_VEC_FREE(cand);
    KMT_VEC_FREE(packed);
    KMT_VEC_FREE(sel);
    buckets_destroy(&known);
}

/* Stage 5: the chosen groups as rides with their stops and times, ordered by
 * first pickup, then driver. */
static void solve_rides(solver *s, kmt_pool_plan *plan)
{
    ride_tmp *rt = kmt_malloc((s->chosen.n ? s->chosen.n : 1) * sizeof(ride_tmp));
    size_t nr = 0;
    for (size_t g = 0; g < s->chosen.n; g++) {
        const group *G = &s->chosen.v[g];
        int64_t dist;
        ride_tmp *x = &rt[nr];
        if (!kmt_pool_group_best(s->r, s->m, s->p, G->m, G->k, &dist, x->stops)) {
            assert(0 && "a chosen group is not feasible");
            continue;
        }
        x->ride.driver = x->stops[0].request;
        x->ride.nmembers = (uint32_t)G->k;
        x->ride.nstops = (uint32_t)(2 * G->k);
        x->ride.m_driven = dist;
        int64_t direct = 0;
        for (int i = 0; i < G->k; i++) direct += s->D[G->m[i]];
        x->ride.m_saved = direct - dist;
        nr++;
    }
    qsort(rt, nr, sizeof *rt, ride_cmp);
    plan->m_driven = plan->m_direct;
    for (size_t q = 0; q < nr; q++) {
        rt[q].ride.first_stop = (uint32_t)plan->stops.n;
        for (uint32_t j = 0; j < rt[q].ride.nstops; j++) {
            KMT_VEC_PUSH(plan->stops, rt[q].stops[j]);
            if (rt[q].stops[j].kind == KMT_POOL_PICKUP) plan->ride_of[rt[q].stops[j].request] = (int32_t)q;
        }
        KMT_VEC_PUSH(plan->rides, rt[q].ride);
        plan->shared_requests += rt[q].ride.nmembers;
        plan->m_driven -= rt[q].ride.m_saved;
    }
    plan->m_saved = plan->m_direct - plan->m_driven;
    kmt_free(rt);
}

int kmt_pool_solve(const kmt_pool_request *r, size_t n, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                   kmt_pool_plan *plan, kmt_error *e)
{
    double t0 = kmt_now_monotonic();
    if (p->max_group < 1 || p->max_group > KMT_POOL_KMAX)
        return kmt_error_set(e, KMT_EINVAL, "max group must be 1 to %d persons", KMT_POOL_KMAX);
    if (p->seats < 1) return kmt_error_set(e, KMT_EINVAL, "a car needs at least one seat");
    if (p->exact_max < 0 || p->exact_max > 64)
        return kmt_error_set(e, KMT_EINVAL, "exact component size must be 0 to 64");
    kmt_pool_plan_destroy(plan);
    plan->nrequests = n;
    plan->ride_of = kmt_malloc((n ? n : 1) * sizeof(int32_t));
    plan->problem = kmt_calloc(n ? n : 1, sizeof(int));
    plan->direct_s = kmt_malloc((n ? n : 1) * sizeof(int32_t));
    plan->direct_m = kmt_malloc((n ? n : 1) * sizeof(int32_t));
    plan->exact = 1;

    solver S;
    memset(&S, 0, sizeof S);
    solver *s = &S;
    s->r = r, s->n = n, s->m = m, s->p = p;
    s->T = plan->direct_s;
    s->D = plan->direct_m;
    s->R = kmt_malloc((n ? n : 1) * sizeof(int32_t));
    s->ok = kmt_calloc(n ? n : 1, 1);
    solve_requests(s, plan);

    s->out = kmt_calloc(n ? n : 1, sizeof(*s->out));
    uint32_t *par = kmt_malloc((n ? n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) par[i] = (uint32_t)i;
    if (p->max_group >= 2) solve_pairs(s, par);
    for (size_t i = 0; i < n; i++) plan->pair_edges += s->out[i].n;

    /* components, numbered by their smallest request */
    uint32_t *root = kmt_malloc((n ? n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) root[i] = uf_find(par, (uint32_t)i);
    buckets comps;
    bucket(&comps, n, n, root);
    if (p->max_group >= 3) solve_driver_groups(s, &comps);
    solve_components(s, plan, &comps, root);
    solve_rides(s, plan);

    KMT_VEC_FREE(s->chosen);
    buckets_destroy(&comps);
    kmt_free(root);
    kmt_free(par);
    for (size_t i = 0; i < n; i++) KMT_VEC_FREE(s->out[i]);
    kmt_free(s->out);
    kmt_map_destroy(&s->feas);
    kmt_map_destroy(&s->wmap);
    kmt_free(s->R);
    kmt_free(s->ok);
    plan->seconds = kmt_now_monotonic() - t0;
    return 0;
}
