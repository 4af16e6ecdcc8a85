/* SPDX-License-Identifier: MPL-2.0 */
/*
 * How much could have been pooled: the logged trips of each day become
 * requests (window = logged departure - flex .. logged arrival + flex) and
 * are planned like bookings; the rides found are tallied per department,
 * site and weekday, with the distribution of detours. Rules (docs/pool.md):
 * - fleet trips with coordinates and distinct ends; a round trip (start =
 *   end, e.g. a home-care round) is not a journey between two places and
 *   cannot be shared in this model: counted, not planned;
 * - travel records by car (fleet_car, private_car, taxi) with coordinates;
 *   other modes are counted as "not by car";
 * - arrival = departure + travel_minutes when given, else the logged end;
 *   a window shorter than the modelled direct time is widened to it
 *   (logged times are not wrong because our road model is slower);
 * - km are the model's direct km (road graph or haversine), so shares and
 *   savings compare like with like; a ride's saving is split over its
 *   members in proportion to their direct km.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/graph.h"
#include "pool_int.h"

void kmt_pool_analysis_init(kmt_pool_analysis *a)
{
    memset(a, 0, sizeof *a);
}

void kmt_pool_analysis_destroy(kmt_pool_analysis *a)
{
    if (!a) return;
    KMT_VEC_FREE(a->by_department);
    KMT_VEC_FREE(a->by_site);
    KMT_VEC_FREE(a->by_weekday);
    memset(a, 0, sizeof *a);
}

typedef struct cand {
    int64_t day;
    kmt_time dep, arr;
    kmt_coord from, to;
    const char *id, *person, *dept, *site;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->day != y->day) return x->day < y->day ? -1 : 1;
    if (x->dep != y->dep) return x->dep < y->dep ? -1 : 1;
    return strcmp(x->id, y->id);
}

typedef kmt_pool_tallies tallyvec;
typedef KMT_VEC(cand) candvec;

static kmt_pool_tally *tally(tallyvec *v, const char *key)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i].key, key)) return &v->v[i];
    kmt_pool_tally t;
    memset(&t, 0, sizeof t);
    t.key = key;
    KMT_VEC_PUSH(*v, t);
    return &v->v[v->n - 1];
}

static void add(kmt_pool_tally *t, int pooled, double km, double saved)
{
    t->trips++;
    t->km += km;
    if (pooled) {
        t->pooled++;
        t->km_pooled += km;
        t->km_saved += saved;
    }
}

static int tally_cmp(const void *a, const void *b)
{
    return strcmp(((const kmt_pool_tally *)a)->key, ((const kmt_pool_tally *)b)->key);
}

static int int_cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static const char *const WEEKDAY[7] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };

static int same_place(kmt_coord a, kmt_coord b)
{
    return kmt_geo_haversine_m(a, b) < 50.0;
}

static int is_car(kmt_mode m)
{
    return m == KMT_MODE_FLEET_CAR || m == KMT_MODE_PRIVATE_CAR || m == KMT_MODE_TAXI;
}

/* Collect the eligible trips of both sets, counting the others by reason. */
static void collect(const kmt_dataset *fleet, const kmt_dataset *travel, kmt_pool_analysis *out, candvec *cs)
{
    if (fleet)
        for (size_t i = 0; i < fleet->trips.n; i++) {
            const kmt_trip *t = &fleet->trips.v[i];
            out->fleet_trips++;
            if (!kmt_geo_valid(t->from) || !kmt_geo_valid(t->to))
                out->no_coords++;
            else if (same_place(t->from, t->to))
                out->round_trips++;
            else if (t->start == KMT_TIME_NONE || t->end == KMT_TIME_NONE || t->end < t->start)
                out->no_times++;
            else {
                cand c = { kmt_time_day(t->start),
                           t->start,
                           t->end,
                           t->from,
                           t->to,
                           t->key,
                           t->driver,
                           t->department >= 0 ? fleet->orgs.v[t->department].name : "-",
                           t->site >= 0 ? fleet->sites.v[t->site].key : "-" };
                KMT_VEC_PUSH(*cs, c);
            }
        }
    if (travel)
        for (size_t i = 0; i < travel->travel.n; i++) {
            const kmt_travel *t = &travel->travel.v[i];
            out->travel_records++;
            if (!is_car(t->mode))
                out->not_car++;
            else if (!kmt_geo_valid(t->from) || !kmt_geo_valid(t->to))
                out->no_coords++;
            else if (same_place(t->from, t->to))
                out->round_trips++;
            else if (t->start == KMT_TIME_NONE)
                out->no_times++;
            else {
                kmt_time arr = t->travel_minutes >= 0 ? t->start + 60 * (kmt_time)t->travel_minutes
                               : (t->end != KMT_TIME_NONE && t->end >= t->start) ? t->end
                                                                                 : t->start;
                const char *site = "-";
                if (fleet) {
                    double dm;
                    int32_t s = kmt_dataset_nearest_site(fleet, t->from, &dm);
                    if (s >= 0 && dm <= 500) site = fleet->sites.v[s].key;
                }
                cand c = { kmt_time_day(t->start),
                           t->start,
                           arr,
                           t->from,
                           t->to,
                           t->key,
                           t->person,
                           t->department >= 0 ? travel->orgs.v[t->department].name : "-",
                           site };
                KMT_VEC_PUSH(*cs, c);
            }
        }
}

int kmt_pool_analyse(const kmt_dataset *fleet, const kmt_dataset *travel, const kmt_graph *g,
                     const kmt_pool_analysis_opts *p, kmt_pool_analysis *out, kmt_error *e)
{
    double t0 = kmt_now_monotonic();
    kmt_pool_analysis_destroy(out);
    out->exact = 1;
    for (int w = 0; w < 7; w++) tally(&out->by_weekday, WEEKDAY[w]);
    out->total.key = "all";
    candvec cs = { 0 };
    collect(fleet, travel, out, &cs);
    if (cs.n) qsort(cs.v, cs.n, sizeof(cand), cand_cmp);
    KMT_VEC(int32_t) detours = { 0 };
    kmt_pool_request *r = kmt_malloc((cs.n ? cs.n : 1) * sizeof *r);
    int32_t *from_cand = kmt_malloc((cs.n ? cs.n : 1) * sizeof(int32_t));
    kmt_progress prog;
    kmt_progress_begin(&prog, "pool analyse: days", cs.n);
    int rc = 0;
    for (size_t a = 0; a < cs.n && !rc;) {
        size_t b = a;
        while (b < cs.n && cs.v[b].day == cs.v[a].day) b++;
        /* the day's requests; with a graph, places far from its roads are left out */
        size_t n = 0;
        for (size_t i = a; i < b; i++) {
            const cand *c = &cs.v[i];
            if (g) {
                kmt_snap sn;
                kmt_error ee;
                if (kmt_graph_snap(g, c->from, p->max_snap_m, &sn, &ee) ||
                    kmt_graph_snap(g, c->to, p->max_snap_m, &sn, &ee)) {
                    out->unroutable++;
                    continue;
                }
            }
            kmt_pool_request *q = &r[n];
            memset(q, 0, sizeof *q);
            q->id = c->id;
            q->person = c->person;
            q->department = c->dept;
            q->origin = c->from;
            q->dest = c->to;
            q->earliest_departure = c->dep - p->flex_s;
            q->latest_arrival = c->arr + p->flex_s;
            q->seats = 1;
            q->can_drive = 1;
            from_cand[n++] = (int32_t)i;
        }
        kmt_coord *pts = NULL;
        uint32_t np = kmt_pool_index_points(r, n, &pts);
        kmt_pool_matrix m;
        if (g)
            rc = kmt_pool_matrix_graph(g, pts, np, p->max_snap_m, p->threads, &m, NULL, e);
        else
            rc = kmt_pool_matrix_haversine(pts, np, p->road_factor, p->speed_kmh, &m, e);
        kmt_free(pts);
        if (rc) break;
        for (size_t i = 0; i < n; i++) {
            int32_t T = kmt__dur(&m, r[i].o, r[i].d);
            if (T != KMT_POOL_UNREACH && r[i].latest_arrival - r[i].earliest_departure < T) {
                r[i].latest_arrival = r[i].earliest_departure + T;
                out->widened++;
            }
        }
        kmt_pool_plan plan;
        kmt_pool_plan_init(&plan);
        rc = kmt_pool_solve(r, n, &m, &p->pool, &plan, e);
        if (!rc) {
            out->days += n > 0;
            out->rides += (long)plan.rides.n;
            if (!plan.exact) out->exact = 0;
            for (size_t i = 0; i < n; i++) {
                if (plan.problem[i] == KMT_POOL_NO_ROUTE) {
                    out->unroutable++;
                    continue;
                }
                const cand *c = &cs.v[from_cand[i]];
                double km = plan.direct_m[i] / 1000.0, saved = 0;
                int32_t ride = plan.ride_of[i];
                if (ride >= 0) {
                    const kmt_pool_ride *rd = &plan.rides.v[ride];
                    int64_t direct = rd->m_saved + rd->m_driven;
                    saved = direct > 0 ? rd->m_saved / 1000.0 * (double)plan.direct_m[i] / (double)direct : 0;
                    kmt_time pick = 0, drop = 0;
                    for (uint32_t j = 0; j < rd->nstops; j++) {
                        const kmt_pool_stop *st = &plan.stops.v[rd->first_stop + j];
                        if (st->request != i) continue;
                        if (st->kind == KMT_POOL_PICKUP)
                            pick = st->time;
                        else
                            drop = st->time;
                    }
                    int32_t det = (int32_t)(drop - pick) - plan.direct_s[i];
                    KMT_VEC_PUSH(detours, det < 0 ? 0 : det);
                }
                add(&out->total, ride >= 0, km, saved);
                add(tally(&out->by_department, c->dept), ride >= 0, km, saved);
                add(tally(&out->by_site, c->site), ride >= 0, km, saved);
                add(tally(&out->by_weekday, WEEKDAY[kmt_time_weekday(c->dep)]), ride >= 0, km, saved);
            }
        }
        kmt_pool_plan_destroy(&plan);
        kmt_pool_matrix_destroy(&m);
        kmt_progress_step(&prog, b);
        a = b;
    }
    kmt_progress_end(&prog);
    if (out->by_department.n) qsort(out->by_department.v, out->by_department.n, sizeof(kmt_pool_tally), tally_cmp);
    if (out->by_site.n) qsort(out->by_site.v, out->by_site.n, sizeof(kmt_pool_tally), tally_cmp);
    if (detours.n) {
        qsort(detours.v, detours.n, sizeof(int32_t), int_cmp);
        static const int EDGE_S[KMT_POOL_DETOUR_BINS - 1] = { 0, 120, 300, 600, 900, 1800 };
        for (size_t i = 0; i < detours.n; i++) {
            int bin = 0;
            while (bin < KMT_POOL_DETOUR_BINS - 1 && detours.v[i] > EDGE_S[bin]) bin++;
            out->detour_hist[bin]++;
        }
        out->detour_p50_min = detours.v[(detours.n - 1) / 2] / 60.0;
        out->detour_p90_min = detours.v[(size_t)((double)(detours.n - 1) * 0.9)] / 60.0;
        out->detour_max_min = detours.v[detours.n - 1] / 60.0;
    }
    KMT_VEC_FREE(detours);
    KMT_VEC_FREE(cs);
    kmt_free(r);
    kmt_free(from_cand);
    out->seconds = kmt_now_monotonic() - t0;
    return rc;
}
