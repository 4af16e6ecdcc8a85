/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Travel-time matrices for the planner: one point per distinct coordinate,
 * then one table over all points, from the road graph or, without one, from
 * great-circle distance x road factor at a fixed speed. Durations are rounded
 * UP to whole seconds: ceil(a + b) <= ceil(a) + ceil(b), so a matrix of
 * shortest-path times keeps the triangle inequality the group pruning relies
 * on (docs/pool.md).
 */
#include <math.h>
#include <string.h>

#include "kommute/graph.h"
#include "pool_int.h"

/* One point per distinct coordinate (the same bits of lon and lat), numbered
 * in order of first appearance (origins and destinations interleaved). */
uint32_t kmt_pool_index_points(kmt_pool_request *r, size_t n, kmt_coord **pts_out)
{
    kmt_map seen = { 0 };
    kmt_map_reserve(&seen, 2 * n);
    kmt_coord *pts = kmt_malloc((2 * n + 1) * sizeof(kmt_coord));
    for (size_t i = 0; i < 2 * n; i++) {
        kmt_coord c = (i & 1) ? r[i / 2].dest : r[i / 2].origin;
        double key[2] = { c.lon, c.lat };
        int added;
        uint32_t id = (uint32_t)kmt_map_insert_str(&seen, key, sizeof key, 0, &added);
        if (added) pts[id] = c;
        if (i & 1)
            r[i / 2].d = id;
        else
            r[i / 2].o = id;
    }
    uint32_t np = (uint32_t)seen.n;
    kmt_map_destroy(&seen);
    *pts_out = pts;
    return np;
}

static int alloc_matrix(uint32_t n, kmt_pool_matrix *m, kmt_error *e)
{
    memset(m, 0, sizeof *m);
    if (n > KMT_POOL_MAX_POINTS)
        return kmt_error_set(e, KMT_ETOOBIG,
                             "%u distinct places is more than the %d one travel-time table may hold; "
                             "plan fewer requests at a time (e.g. one day)",
                             n, KMT_POOL_MAX_POINTS);
    size_t cells = (size_t)n * n;
    m->n = n;
    m->dur = kmt_malloc((cells ? cells : 1) * sizeof(int32_t));
    m->dist = kmt_malloc((cells ? cells : 1) * sizeof(int32_t));
    return 0;
}

int kmt_pool_matrix_haversine(const kmt_coord *pts, uint32_t n, double road_factor, double speed_kmh,
                              kmt_pool_matrix *m, kmt_error *e)
{
    if (!(road_factor > 0) || !(speed_kmh > 0))
        return kmt_error_set(e, KMT_EINVAL, "road factor and speed must be positive");
    int rc = alloc_matrix(n, m, e);
    if (rc) return rc;
    double mps = speed_kmh / 3.6;
    for (uint32_t i = 0; i < n; i++) {
        m->dur[(size_t)i * n + i] = 0;
        m->dist[(size_t)i * n + i] = 0;
        for (uint32_t j = i + 1; j < n; j++) {
            double d = kmt_geo_haversine_m(pts[i], pts[j]) * road_factor;
            int32_t t = (int32_t)ceil(d / mps), dm = (int32_t)llround(d);
            m->dur[(size_t)i * n + j] = m->dur[(size_t)j * n + i] = t;
            m->dist[(size_t)i * n + j] = m->dist[(size_t)j * n + i] = dm;
        }
    }
    return 0;
}

/* Floyd-Warshall over the durations: where going through a third place is
 * faster than the table's cell (a snapped point inside a road segment can
 * make the table miss a U-turn, and float noise a second), take that way,
 * with its distance. Afterwards the durations satisfy the triangle
 * inequality exactly, which the planner's group pruning relies on. */
static void metric_closure(kmt_pool_matrix *m)
{
    uint32_t n = m->n;
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t i = 0; i < n; i++) {
            int32_t ik = m->dur[(size_t)i * n + k];
            if (ik == KMT_POOL_UNREACH) continue;
            int32_t ikd = m->dist[(size_t)i * n + k];
            const int32_t *kr = m->dur + (size_t)k * n, *kd = m->dist + (size_t)k * n;
            int32_t *ir = m->dur + (size_t)i * n, *id = m->dist + (size_t)i * n;
            for (uint32_t j = 0; j < n; j++)
                if (kr[j] != KMT_POOL_UNREACH && (int64_t)ik + kr[j] < ir[j]) {
                    ir[j] = ik + kr[j];
                    id[j] = ikd + kd[j];
                }
        }
}

int kmt_pool_matrix_graph(const kmt_graph *g, const kmt_coord *pts, uint32_t n, double max_snap_m, int threads,
                          kmt_pool_matrix *m, uint32_t *bad_point, kmt_error *e)
{
    int rc = alloc_matrix(n, m, e);
    if (rc) return rc;
    kmt_snap *sn = kmt_malloc((n ? n : 1) * sizeof(kmt_snap));
    for (uint32_t i = 0; i < n; i++) {
        rc = kmt_graph_snap(g, pts[i], max_snap_m, &sn[i], e);
        if (rc) {
            if (bad_point) *bad_point = i;
            kmt_free(sn);
            kmt_pool_matrix_destroy(m);
            return rc;
        }
    }
    /* row blocks keep the double buffers small */
    uint32_t B = 256;
    double *dd = kmt_malloc((size_t)B * (n ? n : 1) * sizeof(double));
    double *ds = kmt_malloc((size_t)B * (n ? n : 1) * sizeof(double));
    for (uint32_t r0 = 0; r0 < n && !rc; r0 += B) {
        uint32_t nb = n - r0 < B ? n - r0 : B;
        rc = kmt_graph_table(g, sn + r0, nb, sn, n, threads < 1 ? 1 : threads, dd, ds, e);
        for (size_t q = 0; q < (size_t)nb * n && !rc; q++) {
            size_t cell = (size_t)r0 * n + q;
            if (isnan(dd[q]) || isnan(ds[q]) || dd[q] > 1e9) {
                m->dur[cell] = KMT_POOL_UNREACH;
                m->dist[cell] = 0;
            } else {
                m->dur[cell] = (int32_t)ceil(dd[q]);
                m->dist[cell] = (int32_t)llround(ds[q]);
            }
        }
    }
    for (uint32_t i = 0; i < n; i++) { /* the same place: no travel */
        m->dur[(size_t)i * n + i] = 0;
        m->dist[(size_t)i * n + i] = 0;
    }
    kmt_free(dd);
    kmt_free(ds);
    kmt_free(sn);
    if (rc)
        kmt_pool_matrix_destroy(m);
    else if (n <= KMT_POOL_CLOSURE_MAX)
        metric_closure(m);
    return rc;
}

void kmt_pool_matrix_destroy(kmt_pool_matrix *m)
{
    if (!m) return;
    kmt_free(m->dur);
    kmt_free(m->dist);
    memset(m, 0, sizeof *m);
}
