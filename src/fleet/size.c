/* SPDX-License-Identifier: MPL-2.0 */
/*
 * fleet size: the exact minimum number of vehicles per site (peak
 * simultaneous use per need class), per pooling group (minimum path cover,
 * match.c), and the service-level curve (fewest uncovered trips for each
 * fleet size, exact greedy for interval scheduling on identical machines).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

void kmt_fleet_size_opts_default(kmt_fleet_size_opts *o)
{
    memset(o, 0, sizeof *o);
    o->changeover_s = 0;
    o->pool_m = 0;
    o->walk_mps = 5000.0 / 3600.0;
    o->vehicle_cost_year = 45000;
    o->uncovered_per_km = 3.79;
    o->uncovered_per_trip = 0;
    o->curve = 1;
}

typedef struct {
    int64_t free_at;
} machine;

/* Carlisle & Lloyd style: take trips by ready time (end + c); give each to
 * the vehicle free latest but still in time (best fit); skip if none. This
 * maximises the number of trips served by k identical vehicles. */
int64_t kmt_fleet_max_covered(const kmt_fleet_trip *trips, const int32_t *idx, size_t n, int32_t vehicles,
                              int64_t changeover_s, uint8_t *covered)
{
    if (covered) memset(covered, 0, n);
    if (vehicles <= 0 || n == 0) return 0;
    int64_t *key = NULL;
    int32_t *order = kmt_malloc(n * sizeof *order);
    int32_t *pos = kmt_malloc(n * sizeof *pos);
    /* sort positions 0..n-1 by (ready, start) */
    key = kmt_malloc(n * sizeof *key);
    for (size_t i = 0; i < n; i++) {
        const kmt_fleet_trip *t = &trips[idx[i]];
        key[i] = kmt__fleet_ready(t, changeover_s);
        order[i] = (int32_t)i;
    }
    kmt__fleet_sort_by_key(key, order, n);
    (void)pos;
    /* free times kept sorted ascending */
    int64_t *fr = kmt_malloc((size_t)vehicles * sizeof *fr);
    for (int32_t k = 0; k < vehicles; k++) fr[k] = INT64_MIN;
    int64_t got = 0;
    for (size_t k = 0; k < n; k++) {
        int32_t i = order[k];
        const kmt_fleet_trip *t = &trips[idx[i]];
        /* largest free time <= start */
        int32_t lo = 0, hi = vehicles;
        while (lo < hi) {
            int32_t m = lo + (hi - lo) / 2;
            if (fr[m] <= t->start)
                lo = m + 1;
            else
                hi = m;
        }
        if (lo == 0) continue;
        int32_t slot = lo - 1;
        int64_t nf = kmt__fleet_ready(t, changeover_s);
        /* fr[slot] becomes nf >= every value before it; move right to keep order */
        int32_t p = slot;
        while (p + 1 < vehicles && fr[p + 1] < nf) {
            fr[p] = fr[p + 1];
            p++;
        }
        fr[p] = nf;
        got++;
        if (covered) covered[i] = 1;
    }
    kmt_free(fr), kmt_free(key), kmt_free(order), kmt_free(pos);
    return got;
}

typedef struct {
    size_t S;
    const int32_t *local; /* global site -> local index in group, -1 */
    const int64_t *D;     /* S x S seconds */
} delay_ctx;

static int64_t group_delay(int32_t a, int32_t b, void *ctx)
{
    const delay_ctx *c = ctx;
    int32_t la = c->local[a], lb = c->local[b];
    if (la < 0 || lb < 0) return -1;
    return c->D[(size_t)la * c->S + (size_t)lb];
}

static int32_t uf_root(int32_t *p, int32_t x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

/* The curve of one site: per class the coverage for 0..peak vehicles; the
 * classes' marginal gains are non-increasing (coverage is concave), so the
 * best split of N vehicles over classes takes the N largest gains. */
static void site_curve(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, int32_t *const *cls_idx,
                       const size_t *cls_n, const int32_t *peak, kmt_fleet_site_size *ss)
{
    int64_t days = kmt_fleet_days(in);
    int64_t day0 = kmt__fleet_day(in->from);
    int32_t total = 0;
    for (int c = 0; c < KMT_FLEET_NKIND; c++) total += peak[c];
    /* per class, per count: covered trips, uncovered km, uncovered-day flags */
    int64_t *cov[KMT_FLEET_NKIND];
    double *ukm[KMT_FLEET_NKIND];
    uint8_t *uday[KMT_FLEET_NKIND];
    for (int c = 0; c < KMT_FLEET_NKIND; c++) {
        size_t n = cls_n[c];
        cov[c] = kmt_calloc((size_t)peak[c] + 1, sizeof **cov);
        ukm[c] = kmt_calloc((size_t)peak[c] + 1, sizeof **ukm);
        uday[c] = kmt_calloc(((size_t)peak[c] + 1) * (size_t)days, 1);
        uint8_t *covered = kmt_malloc(n ? n : 1);
        for (int32_t k = 0; k <= peak[c]; k++) {
            cov[c][k] = kmt_fleet_max_covered(in->trips, cls_idx[c], n, k, o->changeover_s, covered);
            for (size_t i = 0; i < n; i++) {
                if (covered[i]) continue;
                const kmt_fleet_trip *t = &in->trips[cls_idx[c][i]];
                ukm[c][k] += t->m / 1000.0;
                int64_t d = kmt__fleet_day(t->start) - day0;
                if (d < 0) d = 0;
                if (d >= days) d = days - 1;
                uday[c][(size_t)k * (size_t)days + (size_t)d] = 1;
            }
        }
        kmt_free(covered);
    }
    ss->curve = kmt_calloc((size_t)total + 1, sizeof *ss->curve);
    ss->ncurve = (size_t)total + 1;
    int32_t have[KMT_FLEET_NKIND] = { 0 };
    uint8_t *dayflag = kmt_malloc((size_t)days);
    double scale = 365.0 / (double)days;
    for (int32_t N = 0; N <= total; N++) {
        if (N > 0) { /* add the vehicle with the largest marginal gain */
            int bc = -1;
            int64_t bg = -1;
            for (int c = 0; c < KMT_FLEET_NKIND; c++) {
                if (have[c] >= peak[c]) continue;
                int64_t gain = cov[c][have[c] + 1] - cov[c][have[c]];
                if (gain > bg) bg = gain, bc = c;
            }
            have[bc]++;
        }
        kmt_fleet_curve_point *pt = &ss->curve[N];
        pt->vehicles = N;
        memset(dayflag, 0, (size_t)days);
        for (int c = 0; c < KMT_FLEET_NKIND; c++) {
            pt->uncovered_trips += (int64_t)cls_n[c] - cov[c][have[c]];
            pt->uncovered_km += ukm[c][have[c]];
            const uint8_t *f = uday[c] + (size_t)have[c] * (size_t)days;
            for (int64_t d = 0; d < days; d++) dayflag[d] |= f[d];
        }
        for (int64_t d = 0; d < days; d++) pt->days_short += dayflag[d];
        pt->cost_year = N * o->vehicle_cost_year + scale * (pt->uncovered_km * o->uncovered_per_km +
                                                            (double)pt->uncovered_trips * o->uncovered_per_trip);
    }
    kmt_free(dayflag);
    for (int c = 0; c < KMT_FLEET_NKIND; c++) kmt_free(cov[c]), kmt_free(ukm[c]), kmt_free(uday[c]);
}

/* The selected trips bucketed by (site, class): bucket[off[k] .. off[k+1])
 * for k = site * KMT_FLEET_NKIND + class, each in trip order. */
typedef struct {
    size_t *off;     /* [S * KMT_FLEET_NKIND + 1] */
    int32_t *bucket; /* trip indices */
} demand;

/* Stage 1: the demand, counting the trips used and those without a site in r. */
static void size_demand(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, kmt_fleet_size *r, demand *dm)
{
    size_t S = in->nsites;
    size_t *cnt = kmt_calloc((S + 1) * KMT_FLEET_NKIND, sizeof *cnt);
    for (size_t i = 0; i < in->ntrips; i++) {
        const kmt_fleet_trip *t = &in->trips[i];
        if (t->vehicle < 0 && !o->include_private) continue;
        if (t->site < 0) {
            r->trips_without_site++;
            continue;
        }
        r->trips_used++;
        cnt[(size_t)t->site * KMT_FLEET_NKIND + (size_t)kmt__fleet_class(t->kind, o->any_kind)]++;
    }
    size_t *off = kmt_calloc((S * KMT_FLEET_NKIND) + 1, sizeof *off);
    for (size_t k = 0; k < S * KMT_FLEET_NKIND; k++) off[k + 1] = off[k] + cnt[k];
    int32_t *bucket = kmt_malloc((off[S * KMT_FLEET_NKIND] + 1) * sizeof *bucket);
    {
        size_t *fill = kmt_malloc((S * KMT_FLEET_NKIND + 1) * sizeof *fill);
        memcpy(fill, off, (S * KMT_FLEET_NKIND + 1) * sizeof *fill);
        for (size_t i = 0; i < in->ntrips; i++) {
            const kmt_fleet_trip *t = &in->trips[i];
            if ((t->vehicle < 0 && !o->include_private) || t->site < 0) continue;
            bucket[fill[(size_t)t->site * KMT_FLEET_NKIND + (size_t)kmt__fleet_class(t->kind, o->any_kind)]++] =
                (int32_t)i;
        }
        kmt_free(fill);
    }
    kmt_free(cnt);
    dm->off = off;
    dm->bucket = bucket;
}

/* Stage 2: per site its vehicles now and its own minimum per class (the
 * peak of simultaneous trips, with the peak sets), and the curve if asked. */
static void size_sites(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, kmt_fleet_size *r, const demand *dm)
{
    size_t S = in->nsites;
    const size_t *off = dm->off;
    int32_t *bucket = dm->bucket;
    for (size_t v = 0; v < in->nvehicles; v++)
        if (in->vehicles[v].site >= 0 && !in->vehicles[v].excluded) r->sites[in->vehicles[v].site].current_vehicles++;

    for (size_t s = 0; s < S; s++) {
        kmt_fleet_site_size *ss = &r->sites[s];
        ss->site = (int32_t)s;
        int32_t peak[KMT_FLEET_NKIND] = { 0 };
        int32_t *cls_idx[KMT_FLEET_NKIND];
        size_t cls_n[KMT_FLEET_NKIND];
        size_t total = 0;
        for (int c = 0; c < KMT_FLEET_NKIND; c++) {
            size_t k = s * KMT_FLEET_NKIND + (size_t)c;
            cls_idx[c] = bucket + off[k];
            cls_n[c] = off[k + 1] - off[k];
            total += cls_n[c];
        }
        ss->trips = (int64_t)total;
        ss->peak = kmt_malloc((total ? total : 1) * sizeof *ss->peak);
        int32_t bestpeak = 0;
        for (int c = 0; c < KMT_FLEET_NKIND; c++) {
            if (!cls_n[c]) continue;
            int64_t when;
            size_t na = 0;
            peak[c] =
                kmt__fleet_peak(in->trips, cls_idx[c], cls_n[c], o->changeover_s, &when, ss->peak + ss->npeak, &na);
            ss->npeak += na;
            ss->min_by_kind[c] = peak[c];
            ss->min_vehicles += peak[c];
            if (peak[c] > bestpeak) bestpeak = peak[c], ss->peak_time = when;
        }
        ss->min_vehicles_pooled = ss->min_vehicles;
        if (o->curve) site_curve(in, o, cls_idx, cls_n, peak, ss);
        r->current_total += ss->current_vehicles;
        r->min_total += ss->min_vehicles;
    }
}

/* Stage 3: pooling groups: unions of sites closer than pool_m, numbered in
 * order of their first site. */
static void size_groups(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, kmt_fleet_size *r)
{
    size_t S = in->nsites;
    int32_t *par = kmt_malloc((S ? S : 1) * sizeof *par);
    for (size_t s = 0; s < S; s++) par[s] = (int32_t)s;
    if (o->pool_m > 0)
        for (size_t a = 0; a < S; a++) {
            if (!kmt_geo_valid(in->sites[a].pos)) continue;
            for (size_t b = a + 1; b < S; b++) {
                if (!kmt_geo_valid(in->sites[b].pos)) continue;
                if (kmt_geo_haversine_m(in->sites[a].pos, in->sites[b].pos) < o->pool_m)
                    par[uf_root(par, (int32_t)a)] = uf_root(par, (int32_t)b);
            }
        }
    int32_t *gid = kmt_malloc((S ? S : 1) * sizeof *gid);
    for (size_t s = 0; s < S; s++) gid[s] = -1;
    for (size_t s = 0; s < S; s++) {
        int32_t root = uf_root(par, (int32_t)s);
        if (gid[root] < 0) gid[root] = (int32_t)r->ngroups++;
        r->sites[s].group = gid[root];
    }
    r->groups = kmt_calloc(r->ngroups ? r->ngroups : 1, sizeof *r->groups);
    for (size_t s = 0; s < S; s++) r->groups[r->sites[s].group].nsites++;
    for (size_t g = 0; g < r->ngroups; g++)
        r->groups[g].sites = kmt_malloc(r->groups[g].nsites * sizeof(int32_t)), r->groups[g].nsites = 0;
    for (size_t s = 0; s < S; s++) {
        kmt_fleet_group *G = &r->groups[r->sites[s].group];
        G->sites[G->nsites++] = (int32_t)s;
        G->min_alone += r->sites[s].min_vehicles;
    }
    kmt_free(gid), kmt_free(par);
}

/* Walking seconds between the gs sites of G along chains of hops shorter
 * than pool_m (Floyd-Warshall), -1 where there is no chain: gs x gs, new. */
static int64_t *group_delays(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, const kmt_fleet_group *G)
{
    size_t gs = G->nsites;
    double *dist = kmt_malloc(gs * gs * sizeof *dist);
    for (size_t a = 0; a < gs; a++)
        for (size_t b = 0; b < gs; b++) {
            double d = a == b ? 0 : kmt_geo_haversine_m(in->sites[G->sites[a]].pos, in->sites[G->sites[b]].pos);
            dist[a * gs + b] = (a == b || d < o->pool_m) ? d : INFINITY;
        }
    for (size_t k = 0; k < gs; k++)
        for (size_t a = 0; a < gs; a++)
            for (size_t b = 0; b < gs; b++)
                if (dist[a * gs + k] + dist[k * gs + b] < dist[a * gs + b])
                    dist[a * gs + b] = dist[a * gs + k] + dist[k * gs + b];
    int64_t *D = kmt_malloc(gs * gs * sizeof *D);
    double mps = o->walk_mps > 0 ? o->walk_mps : 5000.0 / 3600.0;
    for (size_t k = 0; k < gs * gs; k++) D[k] = isfinite(dist[k]) ? (int64_t)ceil(dist[k] / mps) : -1;
    kmt_free(dist);
    return D;
}

/* One class c of group G: its minimum path cover over all the group's sites
 * (witness appended to G's), each path counted at the site where most of its
 * trips start (pooled[local site]). */
static void pool_class(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, const demand *dm, kmt_fleet_group *G,
                       int c, const int32_t *local, delay_ctx *dc, int32_t *pooled)
{
    size_t gs = G->nsites;
    const size_t *off = dm->off;
    const int32_t *bucket = dm->bucket;
    size_t n = 0;
    for (size_t k = 0; k < gs; k++) {
        size_t key = (size_t)G->sites[k] * KMT_FLEET_NKIND + (size_t)c;
        n += off[key + 1] - off[key];
    }
    if (!n) return;
    int32_t *idx = kmt_malloc(n * sizeof *idx);
    size_t m = 0;
    for (size_t k = 0; k < gs; k++) {
        size_t key = (size_t)G->sites[k] * KMT_FLEET_NKIND + (size_t)c;
        for (size_t p = off[key]; p < off[key + 1]; p++) idx[m++] = bucket[p];
    }
    int32_t *path_of = kmt_malloc(n * sizeof *path_of);
    size_t nw = 0;
    int32_t cover = kmt_fleet_path_cover(in->trips, idx, n, o->changeover_s, group_delay, dc, path_of,
                                         G->witness + G->nwitness, &nw);
    G->nwitness += nw;
    G->min_pooled += cover;
    /* attribute each path (vehicle) to the site where most of its trips start */
    int32_t *votes = kmt_calloc((size_t)cover * gs, sizeof *votes);
    for (size_t i = 0; i < n; i++) votes[(size_t)path_of[i] * gs + (size_t)local[in->trips[idx[i]].site]]++;
    for (int32_t p = 0; p < cover; p++) {
        size_t best = 0;
        for (size_t k = 1; k < gs; k++)
            if (votes[(size_t)p * gs + k] > votes[(size_t)p * gs + best]) best = k;
        pooled[best]++;
    }
    kmt_free(votes), kmt_free(path_of), kmt_free(idx);
}

/* Stage 4: per group of 2+ sites the pooled minimum and its split over the
 * sites; a single site's group is the site's own figures. */
static void size_pool(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, kmt_fleet_size *r, const demand *dm)
{
    size_t S = in->nsites;
    int32_t *local = kmt_malloc((S ? S : 1) * sizeof *local);
    for (size_t s = 0; s < S; s++) local[s] = -1;
    for (size_t g = 0; g < r->ngroups; g++) {
        kmt_fleet_group *G = &r->groups[g];
        size_t gs = G->nsites;
        size_t ntr = 0;
        for (size_t k = 0; k < gs; k++) ntr += (size_t)r->sites[G->sites[k]].trips;
        G->witness = kmt_malloc((ntr ? ntr : 1) * sizeof *G->witness);
        if (gs == 1) { /* alone = pooled; the peak sets are the witness */
            kmt_fleet_site_size *ss = &r->sites[G->sites[0]];
            G->min_pooled = ss->min_vehicles;
            memcpy(G->witness, ss->peak, ss->npeak * sizeof *ss->peak);
            G->nwitness = ss->npeak;
            continue;
        }
        for (size_t k = 0; k < gs; k++) local[G->sites[k]] = (int32_t)k;
        int64_t *D = group_delays(in, o, G);
        delay_ctx dc = { gs, local, D };
        int32_t *pooled = kmt_calloc(gs, sizeof *pooled);
        for (int c = 0; c < KMT_FLEET_NKIND; c++) pool_class(in, o, dm, G, c, local, &dc, pooled);
        for (size_t k = 0; k < gs; k++) {
            r->sites[G->sites[k]].min_vehicles_pooled = pooled[k];
            local[G->sites[k]] = -1;
        }
        kmt_free(pooled), kmt_free(D);
    }
    for (size_t g = 0; g < r->ngroups; g++) r->min_pooled_total += r->groups[g].min_pooled;
    kmt_free(local);
}

int kmt_fleet_size_run(const kmt_fleet_input *in, const kmt_fleet_size_opts *o, kmt_fleet_size *r, kmt_error *e)
{
    memset(r, 0, sizeof *r);
    int rc = kmt_fleet_input_check(in, e);
    if (rc) return rc;
    size_t S = in->nsites;
    r->nsites = S;
    r->sites = kmt_calloc(S ? S : 1, sizeof *r->sites);
    demand dm;
    size_demand(in, o, r, &dm);
    size_sites(in, o, r, &dm);
    size_groups(in, o, r);
    size_pool(in, o, r, &dm);
    kmt_free(dm.bucket), kmt_free(dm.off);
    return 0;
}

void kmt_fleet_size_destroy(kmt_fleet_size *r)
{
    if (!r) return;
    for (size_t s = 0; s < r->nsites; s++) kmt_free(r->sites[s].peak), kmt_free(r->sites[s].curve);
    for (size_t g = 0; g < r->ngroups; g++) kmt_free(r->groups[g].sites), kmt_free(r->groups[g].witness);
    kmt_free(r->sites);
    kmt_free(r->groups);
    memset(r, 0, sizeof *r);
}
