/* SPDX-License-Identifier: MPL-2.0 */
/*
 * fleet place: which site each vehicle should be based at. Demand comes
 * from sizing: site s needs min_vehicles of each need class; the r-th
 * vehicle of a class there serves cov(r) - cov(r-1) trips (cov = most trips
 * r vehicles can serve, exact). Each vehicle goes to one slot or is surplus;
 * cost = one-off moving cost - yearly value of the trips the slot serves.
 * The assignment is solved exactly by the Hungarian method.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

void kmt_fleet_place_opts_default(kmt_fleet_place_opts *o)
{
    kmt_fleet_size_opts_default(&o->size);
    o->size.curve = 0;
    o->move_cost_per_km = 3.79;
    o->unserved_per_trip = 0;
    o->uncovered_per_km = 3.79;
}

/*
 * Hungarian method with potentials (shortest augmenting paths), rows <= cols,
 * O(rows^2 * cols). Arrays are 1-based inside; no recursion.
 */
double kmt_fleet_assign(const double *cost, int rows, int cols, int *assign)
{
    double *u = kmt_calloc((size_t)rows + 1, sizeof *u), *v = kmt_calloc((size_t)cols + 1, sizeof *v);
    int *p = kmt_calloc((size_t)cols + 1, sizeof *p), *way = kmt_calloc((size_t)cols + 1, sizeof *way);
    double *minv = kmt_malloc(((size_t)cols + 1) * sizeof *minv);
    char *used = kmt_malloc((size_t)cols + 1);
    for (int i = 1; i <= rows; i++) {
        p[0] = i;
        int j0 = 0;
        for (int j = 0; j <= cols; j++) minv[j] = INFINITY, used[j] = 0;
        do {
            used[j0] = 1;
            int i0 = p[j0], j1 = 0;
            double delta = INFINITY;
            for (int j = 1; j <= cols; j++) {
                if (used[j]) continue;
                double cur = cost[(size_t)(i0 - 1) * (size_t)cols + (size_t)(j - 1)] - u[i0] - v[j];
                if (cur < minv[j]) minv[j] = cur, way[j] = j0;
                if (minv[j] < delta) delta = minv[j], j1 = j;
            }
            for (int j = 0; j <= cols; j++) {
                if (used[j])
                    u[p[j]] += delta, v[j] -= delta;
                else
                    minv[j] -= delta;
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    double total = 0;
    for (int j = 1; j <= cols; j++)
        if (p[j]) {
            assign[p[j] - 1] = j - 1;
            total += cost[(size_t)(p[j] - 1) * (size_t)cols + (size_t)(j - 1)];
        }
    kmt_free(u), kmt_free(v), kmt_free(p), kmt_free(way), kmt_free(minv), kmt_free(used);
    return total;
}

typedef struct {
    int32_t site, cls;
    int64_t trips; /* marginal trips served in the period */
    double value;  /* yearly value of serving them */
} slot;

int kmt_fleet_place_run(const kmt_fleet_input *in, const kmt_fleet_place_opts *o, kmt_fleet_place *r, kmt_error *e)
{
    memset(r, 0, sizeof *r);
    kmt_fleet_size sz;
    kmt_fleet_size_opts so = o->size;
    so.curve = 0;
    so.pool_m = 0;
    int rc = kmt_fleet_size_run(in, &so, &sz, e);
    if (rc) return rc;
    size_t V = in->nvehicles, S = in->nsites;
    double scale = 365.0 / (double)kmt_fleet_days(in);
    KMT_VEC(slot) slots = { 0 };
    /* trips per site and class */
    size_t nb = S * KMT_FLEET_NKIND;
    size_t *off = kmt_calloc(nb + 1, sizeof *off);
    for (size_t i = 0; i < in->ntrips; i++) {
        const kmt_fleet_trip *t = &in->trips[i];
        if ((t->vehicle < 0 && !so.include_private) || t->site < 0) continue;
        off[(size_t)t->site * KMT_FLEET_NKIND + (size_t)kmt__fleet_class(t->kind, so.any_kind) + 1]++;
    }
    for (size_t k = 0; k < nb; k++) off[k + 1] += off[k];
    int32_t *bucket = kmt_malloc((off[nb] + 1) * sizeof *bucket);
    size_t *fill = kmt_malloc((nb + 1) * sizeof *fill);
    memcpy(fill, off, (nb + 1) * sizeof *fill);
    for (size_t i = 0; i < in->ntrips; i++) {
        const kmt_fleet_trip *t = &in->trips[i];
        if ((t->vehicle < 0 && !so.include_private) || t->site < 0) continue;
        bucket[fill[(size_t)t->site * KMT_FLEET_NKIND + (size_t)kmt__fleet_class(t->kind, so.any_kind)]++] = (int32_t)i;
    }
    kmt_free(fill);
    for (size_t s = 0; s < S; s++)
        for (int c = 0; c < KMT_FLEET_NKIND; c++) {
            size_t k = s * KMT_FLEET_NKIND + (size_t)c, n = off[k + 1] - off[k];
            int32_t P = sz.sites[s].min_by_kind[c];
            if (!n || !P) continue;
            double km = 0;
            for (size_t i = off[k]; i < off[k + 1]; i++) km += in->trips[bucket[i]].m / 1000.0;
            double per_trip = o->unserved_per_trip > 0 ? o->unserved_per_trip : km / (double)n * o->uncovered_per_km;
            int64_t prev = 0;
            for (int32_t q = 1; q <= P; q++) {
                int64_t cov = kmt_fleet_max_covered(in->trips, bucket + off[k], n, q, so.changeover_s, NULL);
                slot sl = { (int32_t)s, c, cov - prev, (double)(cov - prev) * per_trip * scale };
                KMT_VEC_PUSH(slots, sl);
                prev = cov;
            }
        }
    size_t cols = slots.n + V;
    r->nvehicles = V, r->nsites = S;
    r->site_of = kmt_malloc((V ? V : 1) * sizeof *r->site_of);
    r->move_km = kmt_calloc(V ? V : 1, sizeof *r->move_km);
    r->slots_unfilled = kmt_calloc(S ? S : 1, sizeof *r->slots_unfilled);
    r->trips_unserved = kmt_calloc(S ? S : 1, sizeof *r->trips_unserved);
    size_t ncost;
    if (kmt_mul_overflow(V ? V : 1, cols, &ncost) || ncost > (size_t)1 << 28) {
        kmt_free(bucket), kmt_free(off), kmt_fleet_size_destroy(&sz);
        KMT_VEC_FREE(slots);
        kmt_fleet_place_destroy(r);
        return kmt_error_set(e, KMT_ETOOBIG, "too many vehicles x demand slots to place (%zu x %zu)", V, cols);
    }
    double *cost = kmt_malloc((ncost ? ncost : 1) * sizeof *cost);
    const double BIG = 1e15;
    for (size_t v = 0; v < V; v++) {
        const kmt_fleet_vehicle *vh = &in->vehicles[v];
        int vc = kmt__fleet_class(vh->kind, so.any_kind);
        for (size_t j = 0; j < slots.n; j++) {
            const slot *sl = &slots.v[j];
            if (sl->cls != vc || vh->excluded) {
                cost[v * cols + j] = BIG;
                continue;
            }
            double km = 0;
            if (vh->site >= 0 && vh->site != sl->site && kmt_geo_valid(in->sites[vh->site].pos) &&
                kmt_geo_valid(in->sites[sl->site].pos))
                km = kmt_geo_haversine_m(in->sites[vh->site].pos, in->sites[sl->site].pos) / 1000.0;
            cost[v * cols + j] = km * o->move_cost_per_km - sl->value;
        }
        for (size_t j = slots.n; j < cols; j++) cost[v * cols + j] = 0;
    }
    int *as = kmt_malloc((V ? V : 1) * sizeof *as);
    if (V) kmt_fleet_assign(cost, (int)V, (int)cols, as);
    uint8_t *filled = kmt_calloc(slots.n ? slots.n : 1, 1);
    for (size_t v = 0; v < V; v++) {
        size_t j = (size_t)as[v];
        if (in->vehicles[v].excluded) {
            r->site_of[v] = -1;
            continue;
        }
        if (j >= slots.n || cost[v * cols + j] >= BIG) {
            r->site_of[v] = -1;
            r->surplus++;
            continue;
        }
        filled[j] = 1;
        r->site_of[v] = slots.v[j].site;
        r->objective += cost[v * cols + j];
        const kmt_fleet_vehicle *vh = &in->vehicles[v];
        if (vh->site != slots.v[j].site) {
            r->moved++;
            if (vh->site >= 0 && kmt_geo_valid(in->sites[vh->site].pos) &&
                kmt_geo_valid(in->sites[slots.v[j].site].pos))
                r->move_km[v] = kmt_geo_haversine_m(in->sites[vh->site].pos, in->sites[slots.v[j].site].pos) / 1000.0;
            r->move_km_total += r->move_km[v];
        }
    }
    /* objective as a positive figure: moving cost + value left unserved */
    for (size_t j = 0; j < slots.n; j++) r->objective += slots.v[j].value;
    for (size_t j = 0; j < slots.n; j++) {
        if (filled[j]) continue;
        r->slots_unfilled[slots.v[j].site]++;
        r->trips_unserved[slots.v[j].site] += (int64_t)(slots.v[j].trips * scale + 0.5);
    }
    kmt_free(filled), kmt_free(as), kmt_free(cost), kmt_free(bucket), kmt_free(off);
    KMT_VEC_FREE(slots);
    kmt_fleet_size_destroy(&sz);
    return 0;
}

void kmt_fleet_place_destroy(kmt_fleet_place *r)
{
    if (!r) return;
    kmt_free(r->site_of), kmt_free(r->move_km), kmt_free(r->slots_unfilled), kmt_free(r->trips_unserved);
    memset(r, 0, sizeof *r);
}
