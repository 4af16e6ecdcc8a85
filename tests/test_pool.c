/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Carpooling engine tests: blossom matching against brute force on random
 * general graphs (odd cycles), the planner against exhaustive optima on
 * random instances, computed with an independent oracle (group feasibility
 * by Floyd-Warshall over every driver and stop order), and the independent
 * checker on every plan.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/graph.h"
#include "kommute/pool.h"
#include "test.h"

/* ---- matching ------------------------------------------------------------- */

/* Best matching weight by DP over vertex subsets (n <= 16). */
static int64_t brute_matching(int n, const int64_t *w /* n*n, <= 0 = no edge */)
{
    size_t N = (size_t)1 << n;
    int64_t *best = calloc(N, sizeof(int64_t));
    for (size_t S = 1; S < N; S++) {
        int i = __builtin_ctzll(S);
        size_t rest = S & ~((size_t)1 << i);
        int64_t b = best[rest];
        for (int j = i + 1; j < n; j++)
            if ((rest >> j & 1) && w[i * n + j] > 0) {
                int64_t v = w[i * n + j] + best[rest & ~((size_t)1 << j)];
                if (v > b) b = v;
            }
        best[S] = b;
    }
    int64_t r = best[N - 1];
    free(best);
    return r;
}

static void check_matching(int n, const kmt_pool_edge *E, size_t ne, const int64_t *w)
{
    int32_t mate[32];
    int64_t got = kmt_pool_matching((uint32_t)n, E, ne, mate);
    int64_t sum = 0;
    for (int v = 0; v < n; v++) {
        if (mate[v] < 0) continue;
        ASSERT(mate[v] < n && mate[mate[v]] == v && mate[v] != v);
        ASSERT(w[v * n + mate[v]] > 0);
        if (v < mate[v]) sum += w[v * n + mate[v]];
    }
    ASSERT_EQ_INT(sum, got);
    ASSERT_EQ_INT(got, brute_matching(n, w));
}

KMT_TEST(pool_blossom_odd_cycles)
{
    /* a triangle and a pentagon with a pendant: blossoms must form and expand */
    int64_t w[8 * 8] = { 0 };
    kmt_pool_edge E[16];
    size_t ne = 0;
#define EDGE(a, b, x) (E[ne++] = (kmt_pool_edge){ a, b, x }, w[(a)*8 + (b)] = w[(b)*8 + (a)] = (x))
    EDGE(0, 1, 6);
    EDGE(1, 2, 6);
    EDGE(2, 0, 6);
    EDGE(2, 3, 5);
    EDGE(3, 4, 4);
    EDGE(4, 5, 7);
    EDGE(5, 6, 4);
    EDGE(6, 3, 7);
    EDGE(6, 7, 9);
#undef EDGE
    check_matching(8, E, ne, w);
}

KMT_TEST(pool_blossom_vs_brute_force)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 42);
    for (int iter = 0; iter < 3000; iter++) {
        int n = 2 + (int)kmt_rng_below(&rng, 13); /* 2..14 */
        int density = 10 + (int)kmt_rng_below(&rng, 90);
        int wmax = iter % 3 == 0 ? 3 : (iter % 3 == 1 ? 20 : 1000); /* many ties, some, few */
        int64_t w[16 * 16] = { 0 };
        kmt_pool_edge E[16 * 16];
        size_t ne = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if ((int)kmt_rng_below(&rng, 100) < density) {
                    int64_t x = 1 + (int64_t)kmt_rng_below(&rng, (uint64_t)wmax);
                    /* edges in random orientation */
                    if (kmt_rng_below(&rng, 2))
                        E[ne++] = (kmt_pool_edge){ (uint32_t)i, (uint32_t)j, x };
                    else
                        E[ne++] = (kmt_pool_edge){ (uint32_t)j, (uint32_t)i, x };
                    w[i * n + j] = w[j * n + i] = x;
                }
        check_matching(n, E, ne, w);
    }
}

KMT_TEST(pool_blossom_ignores_nonpositive)
{
    kmt_pool_edge E[3] = { { 0, 1, -5 }, { 1, 2, 0 }, { 2, 3, 7 } };
    int32_t mate[4];
    ASSERT_EQ_INT(kmt_pool_matching(4, E, 3, mate), 7);
    ASSERT_EQ_INT(mate[0], -1);
    ASSERT_EQ_INT(mate[1], -1);
    ASSERT_EQ_INT(mate[2], 3);
}

/* ---- the oracle: group feasibility by Floyd-Warshall ----------------------- */

typedef struct inst {
    int n;
    kmt_pool_request r[16];
    char ids[16][16];
    kmt_pool_matrix m;
    kmt_pool_opts p;
} inst;

static int64_t INF = INT64_MAX / 4;

/* Feasible schedule for the stop list? Difference constraints solved by
 * Floyd-Warshall on all pairs (a different algorithm from the planner's). */
static int fw_feasible(const inst *I, const int *who, const int *kind, int L)
{
    int V = L + 1;
    int64_t D[12][12];
    for (int a = 0; a < V; a++)
        for (int b = 0; b < V; b++) D[a][b] = a == b ? 0 : INF;
#define CON(u, v, x)                                                                                                   \
    do {                                                                                                               \
        if ((x) < D[u][v]) D[u][v] = (x);                                                                              \
    } while (0) /* t_v - t_u <= x */
    for (int j = 0; j < L; j++) {
        const kmt_pool_request *q = &I->r[who[j]];
        uint32_t here = kind[j] ? q->d : q->o;
        if (j + 1 < L) {
            const kmt_pool_request *q2 = &I->r[who[j + 1]];
            uint32_t next = kind[j + 1] ? q2->d : q2->o;
            int64_t leg = I->m.dur[here * I->m.n + next];
            CON(j + 1, j, -leg);
        }
        if (!kind[j]) {
            CON(j, L, -q->earliest_departure);
            for (int k = j + 1; k < L; k++)
                if (who[k] == who[j]) {
                    int64_t T = I->m.dur[q->o * I->m.n + q->d];
                    int64_t pct = (int64_t)floor((double)T * I->p.max_detour_pct / 100.0);
                    int64_t allow = T + (pct > I->p.max_detour_s ? pct : I->p.max_detour_s);
                    CON(j, k, allow);
                }
        } else {
            CON(L, j, q->latest_arrival);
        }
    }
#undef CON
    for (int k = 0; k < V; k++)
        for (int a = 0; a < V; a++)
            for (int b = 0; b < V; b++)
                if (D[a][k] < INF && D[k][b] < INF && D[a][k] + D[k][b] < D[a][b]) D[a][b] = D[a][k] + D[k][b];
    for (int a = 0; a < V; a++)
        if (D[a][a] < 0) return 0;
    return 1;
}

/* Enumerate every sequence of the passengers' stops (brute force). */
static void seqs(const inst *I, const int *mem, int k, int drv, int *who, int *kind, int depth, int L, int *state,
                 int64_t *best)
{
    if (depth == L - 1) {
        who[depth] = mem[drv];
        kind[depth] = 1;
        /* seats */
        int occ = 0;
        for (int j = 0; j < L; j++) {
            occ += kind[j] ? -I->r[who[j]].seats : I->r[who[j]].seats;
            if (occ > I->p.seats) return;
        }
        if (!fw_feasible(I, who, kind, L)) return;
        int64_t d = 0;
        for (int j = 0; j + 1 < L; j++) {
            uint32_t a = kind[j] ? I->r[who[j]].d : I->r[who[j]].o;
            uint32_t b = kind[j + 1] ? I->r[who[j + 1]].d : I->r[who[j + 1]].o;
            d += I->m.dist[a * I->m.n + b];
        }
        if (d < *best) *best = d;
        return;
    }
    for (int s = 0; s < k; s++) {
        if (s == drv || state[s] == 2) continue;
        who[depth] = mem[s];
        kind[depth] = state[s];
        state[s]++;
        seqs(I, mem, k, drv, who, kind, depth + 1, L, state, best);
        state[s]--;
    }
}

/* Best saving of a group, or INT64_MIN if it cannot ride together. */
static int64_t oracle_group(const inst *I, const int *mem, int k)
{
    int64_t best = INF;
    for (int d = 0; d < k; d++) {
        if (!I->r[mem[d]].can_drive) continue;
        int who[10], kind[10], state[5] = { 0 };
        who[0] = mem[d];
        kind[0] = 0;
        state[d] = 2;
        seqs(I, mem, k, d, who, kind, 1, 2 * k, state, &best);
    }
    if (best == INF) return INT64_MIN;
    int64_t direct = 0;
    for (int i = 0; i < k; i++) direct += I->m.dist[I->r[mem[i]].o * I->m.n + I->r[mem[i]].d];
    return direct - best;
}

/* Optimum over all partitions into feasible groups of at most K (DP over subsets). */
static int64_t oracle_best(const inst *I, int K)
{
    int n = I->n;
    size_t N = (size_t)1 << n;
    int64_t *gw = malloc(N * sizeof(int64_t));
    for (size_t S = 0; S < N; S++) {
        int c = __builtin_popcountll(S);
        gw[S] = INT64_MIN;
        if (c < 2 || c > K) continue;
        int mem[5], k = 0;
        for (int i = 0; i < n; i++)
            if (S >> i & 1) mem[k++] = i;
        gw[S] = oracle_group(I, mem, k);
    }
    int64_t *best = calloc(N, sizeof(int64_t));
    for (size_t S = 1; S < N; S++) {
        int i = __builtin_ctzll(S);
        size_t rest = S & ~((size_t)1 << i);
        int64_t b = best[rest];
        /* groups containing i inside S */
        for (size_t sub = rest;; sub = (sub - 1) & rest) {
            size_t G = sub | ((size_t)1 << i);
            if (gw[G] != INT64_MIN && gw[G] > 0 && gw[G] + best[S & ~G] > b) b = gw[G] + best[S & ~G];
            if (!sub) break;
        }
        best[S] = b;
    }
    int64_t r = best[N - 1];
    free(gw);
    free(best);
    return r;
}

static void random_instance(kmt_rng *rng, int n, inst *I)
{
    memset(I, 0, sizeof *I);
    I->n = n;
    kmt_pool_opts_default(&I->p);
    I->p.max_detour_s = 60 * (int)(3 + kmt_rng_below(rng, 12));
    I->p.max_detour_pct = (double)(10 + kmt_rng_below(rng, 60));
    I->p.seats = 2 + (int)kmt_rng_below(rng, 4);
    kmt_time base = kmt_time_make(2024, 5, 6, 8, 0, 0);
    /* two hubs so that many trips go the same way */
    kmt_coord hub[3] = { { 10.75, 59.90 }, { 10.80, 59.93 }, { 10.78, 59.88 } };
    for (int i = 0; i < n; i++) {
        kmt_pool_request *q = &I->r[i];
        snprintf(I->ids[i], sizeof I->ids[i], "R%d", i);
        q->id = I->ids[i];
        q->person = q->department = "";
        int a = (int)kmt_rng_below(rng, 3), b = (a + 1 + (int)kmt_rng_below(rng, 2)) % 3;
        q->origin = (kmt_coord){ hub[a].lon + (kmt_rng_double(rng) - 0.5) * 0.03,
                                 hub[a].lat + (kmt_rng_double(rng) - 0.5) * 0.015 };
        q->dest = (kmt_coord){ hub[b].lon + (kmt_rng_double(rng) - 0.5) * 0.03,
                               hub[b].lat + (kmt_rng_double(rng) - 0.5) * 0.015 };
        q->earliest_departure = base + (kmt_time)kmt_rng_below(rng, 3600);
        double km = kmt_geo_haversine_m(q->origin, q->dest) * 1.3;
        kmt_time direct = (kmt_time)ceil(km / (50 / 3.6));
        q->latest_arrival = q->earliest_departure + direct + (kmt_time)kmt_rng_below(rng, 2400);
        if (kmt_rng_below(rng, 20) == 0) q->latest_arrival = q->earliest_departure + direct / 2; /* too short */
        q->seats = kmt_rng_below(rng, 5) == 0 ? 2 : 1;
        q->can_drive = kmt_rng_below(rng, 5) != 0;
    }
    kmt_coord *pts;
    uint32_t np = kmt_pool_index_points(I->r, (size_t)n, &pts);
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_pool_matrix_haversine(pts, np, 1.3, 50, &I->m, &e), 0);
    kmt_free(pts);
}

static int64_t plan_and_check(inst *I, kmt_pool_plan *plan)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_pool_plan_init(plan);
    ASSERT_EQ_INT(kmt_pool_solve(I->r, (size_t)I->n, &I->m, &I->p, plan, &e), 0);
    int rc = kmt_pool_check(I->r, (size_t)I->n, &I->m, &I->p, plan, &e);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "checker: %s", e.msg);
    return plan->m_saved;
}

/* iters random instances of nmin..nmin+nrange-1 requests planned with
 * max_group K must reach the exhaustive optimum; returns rides per size. */
static void against_oracle(uint64_t seed, int iters, int nmin, int nrange, int K, long *by_size)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, seed);
    for (int iter = 0; iter < iters; iter++) {
        inst I;
        random_instance(&rng, nmin + (int)kmt_rng_below(&rng, (uint64_t)nrange), &I);
        I.p.max_group = K;
        kmt_pool_plan plan;
        int64_t got = plan_and_check(&I, &plan);
        int64_t want = oracle_best(&I, K);
        if (got != want)
            kmt_test_fail(__FILE__, __LINE__, "iteration %d (n %d): planner %lld, optimum %lld", iter, I.n,
                          (long long)got, (long long)want);
        ASSERT(plan.exact);
        for (size_t q = 0; q < plan.rides.n; q++) by_size[plan.rides.v[q].nmembers]++;
        kmt_pool_plan_destroy(&plan);
        kmt_pool_matrix_destroy(&I.m);
    }
}

KMT_TEST(pool_pairs_equal_all_matchings)
{
    long by_size[8] = { 0 };
    against_oracle(7, 150, 2, 11, 2, by_size); /* 2..12 requests */
    ASSERT(by_size[2] > 50);                   /* the instances do share */
}

KMT_TEST(pool_trios_equal_all_partitions)
{
    long by_size[8] = { 0 };
    against_oracle(11, 60, 3, 10, 3, by_size); /* 3..12 requests */
    ASSERT(by_size[3] > 5);
}

KMT_TEST(pool_quads_exact_and_heuristic_checked)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 5);
    int budget_hit = 0;
    for (int iter = 0; iter < 25; iter++) {
        inst I;
        random_instance(&rng, 6 + (int)kmt_rng_below(&rng, 5), &I);
        I.p.max_group = 4;
        kmt_pool_plan plan;
        int64_t got = plan_and_check(&I, &plan);
        ASSERT_EQ_INT(got, oracle_best(&I, 4));
        kmt_pool_plan_destroy(&plan);
        /* out of branch-and-bound budget: still a checked plan, flagged */
        I.p.exact_nodes = 3;
        int64_t b = plan_and_check(&I, &plan);
        ASSERT(b <= got);
        if (plan.exact) ASSERT_EQ_INT(b, got); /* a plan that says optimal is */
        budget_hit += !plan.exact;
        kmt_pool_plan_destroy(&plan);
        kmt_pool_opts def;
        kmt_pool_opts_default(&def);
        I.p.exact_nodes = def.exact_nodes;
        /* the local search alone (no exact packing) still gives checked plans,
         * at least as good as pairs */
        I.p.exact_max = 0;
        int64_t h = plan_and_check(&I, &plan);
        ASSERT(h <= got);
        ASSERT(h >= oracle_best(&I, 2));
        kmt_pool_plan_destroy(&plan);
        kmt_pool_matrix_destroy(&I.m);
    }
    ASSERT(budget_hit > 0);
}

static void req(inst *I, int i, double olon, double olat, double dlon, double dlat, int h0, int m0, int h1, int m1)
{
    kmt_pool_request *q = &I->r[i];
    snprintf(I->ids[i], sizeof I->ids[i], "R%d", i);
    q->id = I->ids[i];
    q->person = q->department = "";
    q->origin = (kmt_coord){ olon, olat };
    q->dest = (kmt_coord){ dlon, dlat };
    q->earliest_departure = kmt_time_make(2024, 5, 6, h0, m0, 0);
    q->latest_arrival = kmt_time_make(2024, 5, 6, h1, m1, 0);
    q->seats = 1;
    q->can_drive = 1;
}

static void haversine_matrix(inst *I)
{
    kmt_coord *pts;
    uint32_t np = kmt_pool_index_points(I->r, (size_t)I->n, &pts);
    kmt_error e;
    ASSERT_EQ_INT(kmt_pool_matrix_haversine(pts, np, 1.3, 50, &I->m, &e), 0);
    kmt_free(pts);
}

KMT_TEST(pool_alone_and_problems)
{
    inst I;
    memset(&I, 0, sizeof I);
    I.n = 5;
    kmt_pool_opts_default(&I.p);
    /* 0 and 1: same way, same time -> share */
    req(&I, 0, 10.75, 59.90, 10.80, 59.93, 8, 0, 9, 0);
    req(&I, 1, 10.751, 59.901, 10.799, 59.929, 8, 5, 9, 0);
    /* 2: same way but in the afternoon -> alone */
    req(&I, 2, 10.75, 59.90, 10.80, 59.93, 14, 0, 15, 0);
    /* 3: opposite direction -> alone */
    req(&I, 3, 10.80, 59.93, 10.75, 59.90, 8, 0, 9, 0);
    /* 4: window of 1 minute for a 5 km trip -> reported */
    req(&I, 4, 10.75, 59.90, 10.80, 59.93, 8, 0, 8, 1);
    haversine_matrix(&I);
    kmt_pool_plan plan;
    plan_and_check(&I, &plan);
    ASSERT_EQ_INT(plan.rides.n, 1);
    ASSERT_EQ_INT(plan.shared_requests, 2);
    ASSERT(plan.ride_of[0] == 0 && plan.ride_of[1] == 0);
    ASSERT_EQ_INT(plan.ride_of[2], -1);
    ASSERT_EQ_INT(plan.ride_of[3], -1);
    ASSERT_EQ_INT(plan.ride_of[4], -1);
    ASSERT_EQ_INT(plan.problem[4], KMT_POOL_WINDOW_SHORT);
    ASSERT_EQ_INT(plan.problem[0], KMT_POOL_OK);
    ASSERT(plan.m_saved > 0 && plan.m_saved < plan.m_direct);
    /* the stops: driver first and last, pickup before drop-off, no waiting at the start */
    const kmt_pool_stop *st = plan.stops.v;
    ASSERT_EQ_INT(st[0].kind, KMT_POOL_PICKUP);
    ASSERT_EQ_INT(st[3].kind, KMT_POOL_DROPOFF);
    ASSERT_EQ_INT(st[0].request, st[3].request);
    kmt_pool_plan_destroy(&plan);
    /* no sharing at all with max group 1 */
    I.p.max_group = 1;
    plan_and_check(&I, &plan);
    ASSERT_EQ_INT(plan.rides.n, 0);
    ASSERT_EQ_INT(plan.m_saved, 0);
    kmt_pool_plan_destroy(&plan);
    kmt_pool_matrix_destroy(&I.m);
}

KMT_TEST(pool_checker_catches_violations)
{
    inst I;
    memset(&I, 0, sizeof I);
    I.n = 2;
    kmt_pool_opts_default(&I.p);
    req(&I, 0, 10.75, 59.90, 10.80, 59.93, 8, 0, 9, 0);
    req(&I, 1, 10.751, 59.901, 10.799, 59.929, 8, 5, 9, 0);
    kmt_error e;
    haversine_matrix(&I);
    kmt_pool_plan plan;
    plan_and_check(&I, &plan);
    ASSERT_EQ_INT(plan.rides.n, 1);
    /* too early a pickup */
    kmt_time keep = plan.stops.v[1].time;
    plan.stops.v[1].time = I.r[plan.stops.v[1].request].earliest_departure - 60;
    ASSERT(kmt_pool_check(I.r, 2, &I.m, &I.p, &plan, &e) != 0);
    plan.stops.v[1].time = keep;
    /* drop-off before pickup */
    kmt_pool_stop a = plan.stops.v[1], b = plan.stops.v[2];
    plan.stops.v[1] = b, plan.stops.v[2] = a;
    ASSERT(kmt_pool_check(I.r, 2, &I.m, &I.p, &plan, &e) != 0);
    plan.stops.v[1] = a, plan.stops.v[2] = b;
    /* seats */
    I.p.seats = 1;
    ASSERT(kmt_pool_check(I.r, 2, &I.m, &I.p, &plan, &e) != 0);
    I.p.seats = 5;
    /* a wrong saving */
    plan.rides.v[0].m_saved += 1;
    ASSERT(kmt_pool_check(I.r, 2, &I.m, &I.p, &plan, &e) != 0);
    plan.rides.v[0].m_saved -= 1;
    ASSERT_EQ_INT(kmt_pool_check(I.r, 2, &I.m, &I.p, &plan, &e), 0);
    kmt_pool_plan_destroy(&plan);
    kmt_pool_matrix_destroy(&I.m);
}

/* A road-graph matrix: closed under shortest paths (triangle inequality
 * exact), and plans on it match the exhaustive optimum. */
KMT_TEST(pool_graph_matrix_and_plans)
{
    char path[600];
    snprintf(path, sizeof path, "%s/pool-engine.kgraph", kmt_test_tmpdir());
    kmt_error e;
    kmt_error_init(&e);
    kmt_graph_build_opts bo = { KMT_PROFILE_CAR, 0, 0 };
    kmt_graph_build_stats bs;
    ASSERT_EQ_INT(kmt_graph_build(kmt_test_data("osm/oslo-east-roads.osm.pbf"), path, &bo, &bs, &e), 0);
    kmt_graph *g;
    ASSERT_EQ_INT(kmt_graph_open(path, &g, &e), 0);
    kmt_rng rng;
    kmt_rng_seed(&rng, 3);
    kmt_coord pts[60];
    for (int i = 0; i < 60; i++)
        pts[i] = (kmt_coord){ 10.72 + 0.1 * kmt_rng_double(&rng), 59.87 + 0.06 * kmt_rng_double(&rng) };
    kmt_pool_matrix m;
    uint32_t bad;
    ASSERT_EQ_INT(kmt_pool_matrix_graph(g, pts, 60, 5000, 2, &m, &bad, &e), 0);
    for (int a = 0; a < 60; a++) {
        ASSERT_EQ_INT(m.dur[a * 60 + a], 0);
        for (int b = 0; b < 60; b++)
            for (int c = 0; c < 60; c++)
                if (m.dur[a * 60 + c] > m.dur[a * 60 + b] + m.dur[b * 60 + c])
                    kmt_test_fail(__FILE__, __LINE__, "triangle %d %d %d broken", a, b, c);
    }
    kmt_pool_matrix_destroy(&m);
    /* random instances on the graph's travel times against the oracle */
    for (int iter = 0; iter < 15; iter++) {
        inst I;
        random_instance(&rng, 4 + (int)kmt_rng_below(&rng, 7), &I);
        kmt_pool_matrix_destroy(&I.m);
        kmt_coord *p2;
        uint32_t np = kmt_pool_index_points(I.r, (size_t)I.n, &p2);
        ASSERT_EQ_INT(kmt_pool_matrix_graph(g, p2, np, 5000, 1, &I.m, &bad, &e), 0);
        kmt_free(p2);
        I.p.max_group = 3;
        kmt_pool_plan plan;
        int64_t got = plan_and_check(&I, &plan);
        ASSERT_EQ_INT(got, oracle_best(&I, 3));
        kmt_pool_plan_destroy(&plan);
        kmt_pool_matrix_destroy(&I.m);
    }
    kmt_graph_close(g);
}
