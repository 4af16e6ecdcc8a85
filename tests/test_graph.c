/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Road network engine: the contraction hierarchy against plain Dijkstra on
 * the bundled extract, tables against routes, snapping against brute force,
 * profile rules on hand-made maps, and damaged files.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/graph/graph_int.h"
#include "kommute/graph.h"
#include "kommute/osm.h"
#include "test.h"

/* The bundled extract built once per run (car profile). */
static const char *bundled_graph(void)
{
    static char path[512];
    if (path[0]) return path;
    snprintf(path, sizeof path, "%s/oslo-east.kgraph", kmt_test_tmpdir());
    kmt_error e;
    kmt_error_init(&e);
    kmt_graph_build_opts o = { KMT_PROFILE_CAR, 0, 0 };
    int rc = kmt_graph_build(kmt_test_data("osm/oslo-east-roads.osm.pbf"), path, &o, NULL, &e);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "building the bundled graph failed: %s", e.msg);
    return path;
}

static kmt_graph *open_ok(const char *path)
{
    kmt_graph *g = NULL;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_graph_open(path, &g, &e)) kmt_test_fail(__FILE__, __LINE__, "open %s: %s", path, e.msg);
    return g;
}

/* n random points in the graph's box, snapped. */
static kmt_snap *random_snaps(const kmt_graph *g, size_t n, uint64_t seed)
{
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    kmt_rng r;
    kmt_rng_seed(&r, seed);
    kmt_snap *s = kmt_malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        kmt_coord c = { in.min.lon + kmt_rng_double(&r) * (in.max.lon - in.min.lon),
                        in.min.lat + kmt_rng_double(&r) * (in.max.lat - in.min.lat) };
        ASSERT_EQ_INT(kmt_graph_snap(g, c, 0, &s[i], NULL), KMT_OK);
    }
    return s;
}

KMT_TEST(graph_bundled_builds_with_sane_counts)
{
    kmt_graph_build_stats st;
    kmt_error e;
    kmt_error_init(&e);
    char out[512];
    snprintf(out, sizeof out, "%s/stats.kgraph", kmt_test_tmpdir());
    ASSERT_EQ_INT(kmt_graph_build(kmt_test_data("osm/oslo-east-roads.osm.pbf"), out, NULL, &st, &e), KMT_OK);
    ASSERT_EQ_INT(st.osm_nodes, 85249);
    ASSERT_EQ_INT(st.osm_ways, 14893);
    ASSERT_EQ_INT(st.missing_node_refs, 0);
    ASSERT(st.nodes > 5000 && st.nodes < 20000);
    ASSERT(st.shortcuts > 0);
    kmt_graph *g = open_ok(out);
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    ASSERT_EQ_INT(in.nodes, st.nodes);
    ASSERT(in.min.lon > 10.70 && in.max.lon < 10.84 && in.min.lat > 59.85 && in.max.lat < 59.94);
    kmt_graph_close(g);
}

/* 2,000 random pairs: CH route key == Dijkstra key, durations and distances exactly. */
KMT_TEST(graph_ch_equals_dijkstra_2000_pairs)
{
    kmt_graph *g = open_ok(bundled_graph());
    enum { NS = 40, ND = 50 };
    kmt_snap *src = random_snaps(g, NS, 1), *dst = random_snaps(g, ND, 2);
    kmt_query *q = kmt_query_new(g), *qd = kmt_query_new(g);
    double dur[ND], dist[ND];
    int pairs = 0, nontrivial = 0;
    for (int i = 0; i < NS; i++) {
        ASSERT_EQ_INT(kmt_graph_table_dijkstra(qd, &src[i], 1, dst, ND, dur, dist, NULL), KMT_OK);
        for (int j = 0; j < ND; j++) {
            uint64_t k = kmt__route_key(q, &src[i], &dst[j]);
            ASSERT(k != KEY_INF);
            ASSERT_EQ_INT(KEY_DUR(k), (long long)llround(dur[j] * 10));
            ASSERT_EQ_INT(KEY_DIST(k), (long long)llround(dist[j] * 10));
            pairs++;
            nontrivial += dur[j] > 60;
        }
    }
    ASSERT_EQ_INT(pairs, 2000);
    ASSERT(nontrivial > 1500);
    kmt_query_destroy(q);
    kmt_query_destroy(qd);
    kmt_free(src);
    kmt_free(dst);
    kmt_graph_close(g);
}

/* Each cell of a CH table (1 and 2 threads) equals the route between the points. */
KMT_TEST(graph_table_cells_equal_routes)
{
    kmt_graph *g = open_ok(bundled_graph());
    enum { N = 45 };
    kmt_snap *p = random_snaps(g, N, 3);
    p[7] = p[3]; /* a repeated point */
    double *d1 = kmt_malloc(N * N * sizeof(double)), *m1 = kmt_malloc(N * N * sizeof(double));
    double *d2 = kmt_malloc(N * N * sizeof(double)), *m2 = kmt_malloc(N * N * sizeof(double));
    ASSERT_EQ_INT(kmt_graph_table(g, p, N, p, N, 1, d1, m1, NULL), KMT_OK);
    ASSERT_EQ_INT(kmt_graph_table(g, p, N, p, N, 2, d2, m2, NULL), KMT_OK);
    kmt_query *q = kmt_query_new(g);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            kmt_route r;
            kmt_snap pair[2] = { p[i], p[j] };
            ASSERT_EQ_INT(kmt_graph_route(q, pair, 2, &r, NULL), KMT_OK);
            ASSERT_NEAR(d1[i * N + j], r.duration_s, 1e-9);
            ASSERT_NEAR(m1[i * N + j], r.distance_m, 1e-9);
            ASSERT_NEAR(d2[i * N + j], r.duration_s, 1e-9);
            ASSERT_NEAR(m2[i * N + j], r.distance_m, 1e-9);
            ASSERT(r.npoints >= 2);
            kmt_route_destroy(&r);
        }
    ASSERT_NEAR(d1[3 * N + 7], 0, 1e-9);
    kmt_query_destroy(q);
    kmt_free(d1), kmt_free(m1), kmt_free(d2), kmt_free(m2), kmt_free(p);
    kmt_graph_close(g);
}

/* The geometry of a route is about as long as its distance, and starts and ends at the snapped points. */
KMT_TEST(graph_route_geometry_matches_distance)
{
    kmt_graph *g = open_ok(bundled_graph());
    kmt_snap *p = random_snaps(g, 30, 4);
    kmt_query *q = kmt_query_new(g);
    for (int i = 0; i + 1 < 30; i++) {
        kmt_route r;
        ASSERT_EQ_INT(kmt_graph_route(q, &p[i], 2, &r, NULL), KMT_OK);
        double len = 0;
        for (size_t k = 1; k < r.npoints; k++) len += kmt_geo_haversine_m(r.geometry[k - 1], r.geometry[k]);
        ASSERT_NEAR(len, r.distance_m, 0.5 + r.distance_m * 0.002);
        ASSERT(kmt_geo_haversine_m(r.geometry[0], p[i].location) < 0.5);
        ASSERT(kmt_geo_haversine_m(r.geometry[r.npoints - 1], p[i + 1].location) < 0.5);
        kmt_route_destroy(&r);
    }
    kmt_query_destroy(q);
    kmt_free(p);
    kmt_graph_close(g);
}

KMT_TEST(graph_snap_equals_brute_force)
{
    kmt_graph *g = open_ok(bundled_graph());
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    kmt_rng r;
    kmt_rng_seed(&r, 5);
    for (int i = 0; i < 1500; i++) {
        /* points in and around the box (10% margin), to exercise the grid's edges */
        double w = in.max.lon - in.min.lon, h = in.max.lat - in.min.lat;
        kmt_coord c = { in.min.lon - 0.1 * w + kmt_rng_double(&r) * 1.2 * w,
                        in.min.lat - 0.1 * h + kmt_rng_double(&r) * 1.2 * h };
        kmt_snap a, b;
        ASSERT_EQ_INT(kmt_graph_snap(g, c, 0, &a, NULL), KMT_OK);
        ASSERT_EQ_INT(kmt__graph_snap_brute(g, c, &b), KMT_OK);
        ASSERT_NEAR(a.distance_m, b.distance_m, 1e-6);
    }
    kmt_graph_close(g);
}

KMT_TEST(graph_snap_far_point_says_how_far)
{
    kmt_graph *g = open_ok(bundled_graph());
    kmt_snap s;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_snap(g, (kmt_coord){ 10.5, 59.9 }, 1000, &s, &e), KMT_ENOTFOUND);
    ASSERT_CONTAINS(e.msg, "m from the nearest road");
    ASSERT_CONTAINS(e.msg, "limit is 1000 m");
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_snap(g, (kmt_coord){ 200, 59.9 }, 1000, &s, &e), KMT_EINVAL);
    kmt_graph_close(g);
}

/* ---- hand-made maps -------------------------------------------------------- */

#define LAT0 59.90
#define LON0 10.70
#define STEP 0.001 /* ~111 m north-south */

static kmt_osm_tag T(const char *k, const char *v)
{
    return (kmt_osm_tag){ k, v };
}

/* A node every STEP along a north-south line: id 1..n at LAT0 + (id-1)*STEP. */
static void line_nodes(kmt_osm_writer *w, int n, double lon)
{
    for (int i = 1; i <= n; i++)
        kmt_osm_writer_node(w, i + (int)(lon * 1000) * 100, LAT0 + (i - 1) * STEP, lon, NULL, 0);
}

static const char *tiny_path(const char *name)
{
    static char path[4][512];
    static int slot;
    char *p = path[slot++ % 4];
    snprintf(p, 512, "%s/%s", kmt_test_tmpdir(), name);
    return p;
}

/* Build the map at pbf with profile; returns an opened graph or NULL with rc. */
static kmt_graph *build_tiny(const char *pbf, kmt_profile prof, int keep_all, int *rc_out)
{
    char out[600];
    snprintf(out, sizeof out, "%s.%s.kgraph", pbf, kmt_profile_name(prof));
    kmt_graph_build_opts o = { prof, keep_all, 0 };
    kmt_error e;
    kmt_error_init(&e);
    int rc = kmt_graph_build(pbf, out, &o, NULL, &e);
    if (rc_out) *rc_out = rc;
    if (rc) return NULL;
    return open_ok(out);
}

static kmt_snap snap_at(const kmt_graph *g, double lon, double lat)
{
    kmt_snap s;
    ASSERT_EQ_INT(kmt_graph_snap(g, (kmt_coord){ lon, lat }, 0, &s, NULL), KMT_OK);
    return s;
}

/* Duration from a to b in seconds, or -1 when unreachable. */
static double duration(kmt_graph *g, kmt_snap a, kmt_snap b)
{
    double d;
    ASSERT_EQ_INT(kmt_graph_table(g, &a, 1, &b, 1, 1, &d, NULL, NULL), KMT_OK);
    return isnan(d) ? -1 : d;
}

/* A loop of two parallel north-south streets joined at both ends:
 * west street nodes 1..5 (tags given), east street nodes 101..105 (two-way),
 * joined by short east-west links at the ends. */
static const char *loop_map(const char *name, const kmt_osm_tag *west_tags, size_t nwest)
{
    kmt_osm_writer *w = kmt_osm_writer_new(1);
    for (int i = 1; i <= 5; i++) {
        kmt_osm_writer_node(w, i, LAT0 + (i - 1) * STEP, LON0, NULL, 0);
        kmt_osm_writer_node(w, 100 + i, LAT0 + (i - 1) * STEP, LON0 + 0.002, NULL, 0);
    }
    int64_t west[] = { 1, 2, 3, 4, 5 }, east[] = { 101, 102, 103, 104, 105 }, s[] = { 1, 101 }, n[] = { 5, 105 };
    kmt_osm_tag res[] = { T("highway", "residential") };
    kmt_osm_writer_way(w, 10, west, 5, west_tags, nwest);
    kmt_osm_writer_way(w, 11, east, 5, res, 1);
    kmt_osm_writer_way(w, 12, s, 2, res, 1);
    kmt_osm_writer_way(w, 13, n, 2, res, 1);
    const char *path = tiny_path(name);
    ASSERT_EQ_INT(kmt_osm_writer_finish(w, path, NULL), KMT_OK);
    return path;
}

KMT_TEST(graph_profile_oneway_yes_and_minus_one)
{
    kmt_osm_tag yes[] = { T("highway", "residential"), T("oneway", "yes") };
    kmt_graph *g = build_tiny(loop_map("oneway.pbf", yes, 2), KMT_PROFILE_CAR, 0, NULL);
    ASSERT(g);
    kmt_snap a = snap_at(g, LON0, LAT0 + 1.1 * STEP), b = snap_at(g, LON0, LAT0 + 2.9 * STEP);
    double ab = duration(g, a, b), ba = duration(g, b, a);
    ASSERT(ab > 0 && ba > 0);
    ASSERT(ba > 3 * ab); /* against the oneway: around the block */
    kmt_graph_close(g);

    kmt_osm_tag rev[] = { T("highway", "residential"), T("oneway", "-1") };
    g = build_tiny(loop_map("oneway-1.pbf", rev, 2), KMT_PROFILE_CAR, 0, NULL);
    ASSERT(g);
    a = snap_at(g, LON0, LAT0 + 1.1 * STEP), b = snap_at(g, LON0, LAT0 + 2.9 * STEP);
    ASSERT(duration(g, a, b) > 3 * duration(g, b, a));
    kmt_graph_close(g);

    /* walkers ignore oneway */
    g = build_tiny(loop_map("oneway-foot.pbf", yes, 2), KMT_PROFILE_FOOT, 0, NULL);
    ASSERT(g);
    a = snap_at(g, LON0, LAT0 + 1.1 * STEP), b = snap_at(g, LON0, LAT0 + 2.9 * STEP);
    ASSERT_NEAR(duration(g, a, b), duration(g, b, a), 0.2);
    kmt_graph_close(g);
}

KMT_TEST(graph_profile_implied_oneway_roundabout_and_motorway)
{
    kmt_osm_tag rb[] = { T("highway", "residential"), T("junction", "roundabout") };
    kmt_graph *g = build_tiny(loop_map("roundabout.pbf", rb, 2), KMT_PROFILE_CAR, 0, NULL);
    kmt_snap a = snap_at(g, LON0, LAT0 + 1.1 * STEP), b = snap_at(g, LON0, LAT0 + 2.9 * STEP);
    ASSERT(duration(g, b, a) > 3 * duration(g, a, b));
    kmt_graph_close(g);
    kmt_osm_tag mw[] = { T("highway", "motorway") };
    g = build_tiny(loop_map("motorway.pbf", mw, 1), KMT_PROFILE_CAR, 0, NULL);
    a = snap_at(g, LON0, LAT0 + 1.1 * STEP), b = snap_at(g, LON0, LAT0 + 2.9 * STEP);
    ASSERT(duration(g, b, a) > 3 * duration(g, a, b));
    kmt_graph_close(g);
    /* oneway=no overrides the implied oneway of a roundabout */
    kmt_osm_tag rbno[] = { T("highway", "residential"), T("junction", "roundabout"), T("oneway", "no") };
    g = build_tiny(loop_map("roundabout-no.pbf", rbno, 3), KMT_PROFILE_CAR, 0, NULL);
    a = snap_at(g, LON0, LAT0 + 1.1 * STEP), b = snap_at(g, LON0, LAT0 + 2.9 * STEP);
    ASSERT_NEAR(duration(g, b, a), duration(g, a, b), 0.2);
    kmt_graph_close(g);
}

KMT_TEST(graph_profile_access_private_and_no_excluded)
{
    const char *vals[][2] = { { "access", "private" }, { "motor_vehicle", "no" }, { "access", "no" } };
    for (int i = 0; i < 3; i++) {
        kmt_osm_tag t[] = { T("highway", "residential"), T(vals[i][0], vals[i][1]) };
        char name[64];
        snprintf(name, sizeof name, "access%d.pbf", i);
        const char *pbf = loop_map(name, t, 2);
        kmt_graph *g = build_tiny(pbf, KMT_PROFILE_CAR, 0, NULL);
        ASSERT(g);
        /* the west street is gone: a point on it snaps to the links or the east street */
        kmt_snap s = snap_at(g, LON0, LAT0 + 2 * STEP);
        ASSERT(s.distance_m > 50);
        kmt_graph_close(g);
        g = build_tiny(pbf, KMT_PROFILE_FOOT, 0, NULL);
        s = snap_at(g, LON0, LAT0 + 2 * STEP);
        if (i == 1)
            ASSERT(s.distance_m < 1); /* motor_vehicle=no: walkers may */
        else
            ASSERT(s.distance_m > 50);
        kmt_graph_close(g);
    }
    /* motor_vehicle=yes beats access=no (the most specific tag wins) */
    kmt_osm_tag t[] = { T("highway", "residential"), T("access", "no"), T("motor_vehicle", "yes") };
    kmt_graph *g = build_tiny(loop_map("access-specific.pbf", t, 3), KMT_PROFILE_CAR, 0, NULL);
    ASSERT(snap_at(g, LON0, LAT0 + 2 * STEP).distance_m < 1);
    kmt_graph_close(g);
}

/* Speeds: residential 25 km/h; maxspeed=50 -> 40 km/h (x 0.8), exact to the decisecond. */
KMT_TEST(graph_profile_speeds_and_maxspeed)
{
    const char *ms[] = { NULL, "50", "30 mph", "NO:urban" };
    double kmh[] = { 25, 40, 30 * 1.609344 * 0.8, 40 };
    for (int i = 0; i < 4; i++) {
        kmt_osm_writer *w = kmt_osm_writer_new(i % 2);
        line_nodes(w, 11, LON0);
        int64_t refs[11];
        for (int k = 0; k < 11; k++) refs[k] = k + 1 + (int)(LON0 * 1000) * 100;
        kmt_osm_tag t[] = { T("highway", "residential"), T("maxspeed", ms[i] ? ms[i] : "") };
        kmt_osm_writer_way(w, 1, refs, 11, t, ms[i] ? 2 : 1);
        char name[64];
        snprintf(name, sizeof name, "speed%d.pbf", i);
        const char *pbf = tiny_path(name);
        ASSERT_EQ_INT(kmt_osm_writer_finish(w, pbf, NULL), KMT_OK);
        kmt_graph *g = build_tiny(pbf, KMT_PROFILE_CAR, 0, NULL);
        ASSERT(g);
        kmt_snap a = snap_at(g, LON0, LAT0), b = snap_at(g, LON0, LAT0 + 10 * STEP);
        double m = kmt_geo_haversine_m((kmt_coord){ LON0, LAT0 }, (kmt_coord){ LON0, LAT0 + 10 * STEP });
        double want = m / (kmh[i] / 3.6);
        ASSERT_NEAR(duration(g, a, b), want, 0.11);
        ASSERT_NEAR(duration(g, b, a), want, 0.11);
        kmt_graph_close(g);
    }
}

/* A bollard in the middle of a street stops cars (they go around), not walkers. */
KMT_TEST(graph_profile_bollard_blocks_cars)
{
    kmt_osm_writer *w = kmt_osm_writer_new(1);
    kmt_osm_tag bollard[] = { T("barrier", "bollard") };
    for (int i = 1; i <= 5; i++) {
        kmt_osm_writer_node(w, i, LAT0 + (i - 1) * STEP, LON0, i == 3 ? bollard : NULL, i == 3 ? 1 : 0);
        kmt_osm_writer_node(w, 100 + i, LAT0 + (i - 1) * STEP, LON0 + 0.002, NULL, 0);
    }
    int64_t west[] = { 1, 2, 3, 4, 5 }, east[] = { 101, 102, 103, 104, 105 }, s[] = { 1, 101 }, n[] = { 5, 105 };
    kmt_osm_tag res[] = { T("highway", "residential") };
    kmt_osm_writer_way(w, 10, west, 5, res, 1);
    kmt_osm_writer_way(w, 11, east, 5, res, 1);
    kmt_osm_writer_way(w, 12, s, 2, res, 1);
    kmt_osm_writer_way(w, 13, n, 2, res, 1);
    const char *pbf = tiny_path("bollard.pbf");
    ASSERT_EQ_INT(kmt_osm_writer_finish(w, pbf, NULL), KMT_OK);
    kmt_graph *g = build_tiny(pbf, KMT_PROFILE_CAR, 0, NULL);
    kmt_snap a = snap_at(g, LON0, LAT0 + 1.5 * STEP), b = snap_at(g, LON0, LAT0 + 2.5 * STEP);
    ASSERT(duration(g, a, b) > 50); /* around the block: > 600 m at 25 km/h */
    kmt_graph_close(g);
    g = build_tiny(pbf, KMT_PROFILE_FOOT, 0, NULL);
    a = snap_at(g, LON0, LAT0 + 1.5 * STEP), b = snap_at(g, LON0, LAT0 + 2.5 * STEP);
    ASSERT_NEAR(duration(g, a, b), 111.2 / (5 / 3.6), 1.0);
    kmt_graph_close(g);
}

/* Ways that refer to nodes missing from the file are cut there, not fatal;
 * two separate streets: the smaller is dropped, or kept with --all-components
 * where a pair across them is unreachable (null / NoRoute). */
KMT_TEST(graph_missing_refs_and_components)
{
    kmt_osm_writer *w = kmt_osm_writer_new(0);
    line_nodes(w, 6, LON0);
    line_nodes(w, 3, LON0 + 0.01);
    int64_t base = (int)(LON0 * 1000) * 100, base2 = (int)((LON0 + 0.01) * 1000) * 100;
    int64_t a[] = { base + 1, base + 2, base + 3, 999999, base + 4, base + 5, base + 6 };
    int64_t b[] = { base2 + 1, base2 + 2, base2 + 3 };
    kmt_osm_tag res[] = { T("highway", "residential") };
    kmt_osm_writer_way(w, 1, a, 7, res, 1);
    kmt_osm_writer_way(w, 2, b, 3, res, 1);
    const char *pbf = tiny_path("missing.pbf");
    ASSERT_EQ_INT(kmt_osm_writer_finish(w, pbf, NULL), KMT_OK);
    char out[600];
    snprintf(out, sizeof out, "%s.kgraph", pbf);
    kmt_graph_build_stats st;
    ASSERT_EQ_INT(kmt_graph_build(pbf, out, NULL, &st, NULL), KMT_OK);
    ASSERT_EQ_INT(st.missing_node_refs, 1);
    kmt_graph *g = open_ok(out);
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    ASSERT_EQ_INT(in.nodes, 2); /* one of the three pieces, each 2 graph nodes */
    kmt_graph_close(g);
    int rc;
    g = build_tiny(pbf, KMT_PROFILE_CAR, 1, &rc);
    ASSERT(g);
    kmt_snap p = snap_at(g, LON0, LAT0), q = snap_at(g, LON0 + 0.01, LAT0);
    ASSERT_NEAR(duration(g, p, q), -1, 0);
    kmt_query *qq = kmt_query_new(g);
    kmt_snap pq[2] = { p, q };
    kmt_route r;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_route(qq, pq, 2, &r, &e), KMT_EUNREACH);
    kmt_query_destroy(qq);
    kmt_graph_close(g);
}

/* ---- damaged files ----------------------------------------------------------- */

static void copy_file(const char *from, const char *to, long truncate_at, long flip_at)
{
    char *data;
    size_t len;
    ASSERT_EQ_INT(kmt_read_file(from, &data, &len, NULL), KMT_OK);
    if (truncate_at >= 0 && (size_t)truncate_at < len) len = (size_t)truncate_at;
    if (flip_at >= 0 && (size_t)flip_at < len) data[flip_at] ^= 0x5a;
    FILE *f = fopen(to, "wb");
    ASSERT(f);
    fwrite(data, 1, len, f);
    fclose(f);
    kmt_free(data);
}

KMT_TEST(graph_corrupt_files_refused)
{
    const char *good = bundled_graph();
    char bad[600];
    snprintf(bad, sizeof bad, "%s/bad.kgraph", kmt_test_tmpdir());
    struct stat sb;
    ASSERT_EQ_INT(stat(good, &sb), 0);
    long offsets[] = { 600, (long)sb.st_size / 2, (long)sb.st_size - 100 };
    for (int i = 0; i < 3; i++) {
        copy_file(good, bad, -1, offsets[i]);
        kmt_graph *g = NULL;
        kmt_error e;
        kmt_error_init(&e);
        ASSERT_EQ_INT(kmt_graph_open(bad, &g, &e), KMT_ECORRUPT);
        ASSERT_CONTAINS(e.msg, "checksum");
        ASSERT(g == NULL);
    }
    copy_file(good, bad, (long)sb.st_size - 1000, -1);
    kmt_error e;
    kmt_error_init(&e);
    kmt_graph *g = NULL;
    ASSERT_EQ_INT(kmt_graph_open(bad, &g, &e), KMT_ECORRUPT);
    ASSERT_CONTAINS(e.msg, "truncated");
    /* another version */
    copy_file(good, bad, -1, -1);
    FILE *f = fopen(bad, "r+b");
    uint32_t v = 99;
    fseek(f, 8, SEEK_SET);
    fwrite(&v, 4, 1, f);
    fclose(f);
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_open(bad, &g, &e), KMT_EVERSION);
    ASSERT_CONTAINS(e.msg, "version 99");
    /* not a graph at all */
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_open(kmt_test_data("osm/README.md"), &g, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "not a kommute graph file");
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_open("/nonexistent/x.kgraph", &g, &e), KMT_EIO);
}

KMT_TEST(graph_bad_pbf_refused)
{
    const char *pbf = kmt_test_data("osm/oslo-east-roads.osm.pbf");
    char bad[600], out[600];
    snprintf(bad, sizeof bad, "%s/bad.osm.pbf", kmt_test_tmpdir());
    snprintf(out, sizeof out, "%s/bad-out.kgraph", kmt_test_tmpdir());
    long cuts[] = { 2, 50, 300000 };
    for (int i = 0; i < 3; i++) {
        copy_file(pbf, bad, cuts[i], -1);
        kmt_error e;
        kmt_error_init(&e);
        int rc = kmt_graph_build(bad, out, NULL, NULL, &e);
        ASSERT_EQ_INT(rc, KMT_EINVAL);
        ASSERT_CONTAINS(e.msg, "truncated");
        ASSERT(access(out, F_OK) != 0); /* nothing half-written */
    }
    for (long at = 40; at < 2000; at += 97) { /* damaged bytes: an error or a graph, never a crash */
        copy_file(pbf, bad, -1, at);
        kmt_graph_build(bad, out, NULL, NULL, NULL);
    }
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_build(kmt_test_data("osm/README.md"), out, NULL, NULL, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "not an OSM PBF file");
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_graph_build("/nonexistent.osm.pbf", out, NULL, NULL, &e), KMT_EIO);
}

/* The border-cut extract: missing refs are skipped and the graph routes. */
KMT_TEST(graph_oslo_center_border_cut_ways)
{
    const char *pbf = kmt_test_shared("osm/oslo-center.osm.pbf");
    if (!pbf) kmt_test_skip("../shared/data/osm/oslo-center.osm.pbf not present");
    char out[600];
    snprintf(out, sizeof out, "%s/center.kgraph", kmt_test_tmpdir());
    kmt_graph_build_stats st;
    ASSERT_EQ_INT(kmt_graph_build(pbf, out, NULL, &st, NULL), KMT_OK);
    ASSERT(st.missing_node_refs > 100);
    kmt_graph *g = open_ok(out);
    kmt_snap *p = random_snaps(g, 20, 9);
    double d[400];
    ASSERT_EQ_INT(kmt_graph_table(g, p, 20, p, 20, 2, d, NULL, NULL), KMT_OK);
    for (int i = 0; i < 400; i++) ASSERT(!isnan(d[i]));
    kmt_free(p);
    kmt_graph_close(g);
}

KMT_TEST(graph_polyline_roundtrip)
{
    kmt_coord pts[] = { { -120.2, 38.5 }, { -120.95, 40.7 }, { -126.453, 43.252 } };
    kmt_buf b;
    kmt_buf_init(&b);
    kmt_geo_polyline_encode(&b, pts, 3, 5);
    ASSERT_STR_EQ(b.data, "_p~iF~ps|U_ulLnnqC_mqNvxq`@"); /* Google's documented example */
    kmt_coord *back;
    size_t nback = 0;
    ASSERT_EQ_INT(kmt_geo_polyline_decode(b.data, 5, &back, &nback), 0);
    ASSERT_EQ_INT(nback, 3);
    ASSERT_NEAR(back[2].lon, -126.453, 1e-9);
    kmt_free(back);
    kmt_buf_destroy(&b);
}

/* Two parallel streets 550 m apart that do not meet (for CLI tests). */
void kmt_test_write_two_streets(const char *path);
void kmt_test_write_two_streets(const char *path)
{
    kmt_osm_writer *w = kmt_osm_writer_new(1);
    line_nodes(w, 3, LON0);
    line_nodes(w, 3, LON0 + 0.01);
    int64_t base = (int)(LON0 * 1000) * 100, base2 = (int)((LON0 + 0.01) * 1000) * 100;
    int64_t a[] = { base + 1, base + 2, base + 3 }, b[] = { base2 + 1, base2 + 2, base2 + 3 };
    kmt_osm_tag res[] = { T("highway", "residential") };
    kmt_osm_writer_way(w, 1, a, 3, res, 1);
    kmt_osm_writer_way(w, 2, b, 3, res, 1);
    ASSERT_EQ_INT(kmt_osm_writer_finish(w, path, NULL), KMT_OK);
}

/* The segments of a route add up to its distance (the end pieces in part). */
KMT_TEST(graph_route_segments_cover_the_route)
{
    kmt_graph *g = open_ok(bundled_graph());
    kmt_snap *p = random_snaps(g, 20, 11);
    kmt_query *q = kmt_query_new(g);
    ASSERT(kmt_graph_segment_count(g) > 1000);
    for (int i = 0; i + 1 < 20; i++) {
        uint32_t *segs;
        size_t n;
        ASSERT_EQ_INT(kmt_graph_route_segments(q, &p[i], &p[i + 1], &segs, &n, NULL), KMT_OK);
        ASSERT(n >= 1);
        double full = 0;
        for (size_t k = 0; k < n; k++) {
            kmt_road_info ri;
            kmt_graph_segment_info(g, segs[k], &ri);
            ASSERT(ri.length_m >= 0);
            ASSERT(kmt_graph_segment_geometry(g, segs[k], NULL, 0) >= 2);
            if (k > 0 && k + 1 < n) full += ri.length_m;
        }
        kmt_route r;
        ASSERT_EQ_INT(kmt_graph_route(q, &p[i], 2, &r, NULL), KMT_OK);
        ASSERT(full <= r.distance_m + 0.5);
        kmt_route_destroy(&r);
        kmt_free(segs);
    }
    kmt_query_destroy(q);
    kmt_free(p);
    kmt_graph_close(g);
}
