/* SPDX-License-Identifier: MPL-2.0 */
/*
 * fleet compose: how many vehicles of each catalogue model a site (or a
 * pooled group) should have.
 *
 * Feasibility. A fleet covers the trips when each trip gets a vehicle of a
 * compatible model that is free over [start, end + changeover) and whose km
 * that day (trips by start day, one overnight charge) stay within the
 * model's range. Deciding this exactly is NP-hard in general (it contains
 * bin packing of day km), so a fleet is *proved* feasible by constructing
 * the assignment (the replay) and checking it independently, and the search
 * is bounded below by necessary conditions that every feasible fleet meets:
 *
 *   For every set T of trips whose compatible models all lie in a set X
 *   (one such T per distinct compatibility mask, e.g. "trips longer than
 *   the small EV's range"): the fleet has at least peak(T) vehicles of
 *   models in X (peak = most trips of T running at once; exact Dilworth
 *   bound for intervals), and if all of X have finite range, their summed
 *   range is at least the km of T on its busiest day.
 *
 * With uncovered trips allowed these become costs: on each day at least
 * peak_d(T) - |X| trips of T stay uncovered. The lower bound of a fleet is
 * its fixed cost + every trip at its cheapest compatible option + that
 * uncovered surcharge. Search is best-first: the least bound L0 of any
 * fleet first, then fleets in widening windows of bound, replayed in order
 * of bound until the k-th best replayed objective is below the window, so
 * the returned best is optimal among fleets whose replay succeeds, and
 * `lower_bound` = L0 caps the gap to the true optimum.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_int.h"

void kmt_fleet_compose_opts_default(kmt_fleet_compose_opts *o)
{
    memset(o, 0, sizeof *o);
    o->co2_weight = 5;
    o->best = 5;
    o->max_evaluations = 20000;
    o->bike_max_km = 0;
    kmt_fleet_factors_default(&o->factors);
}

typedef struct {
    const kmt_fleet_trip *trips;
    size_t n;
    int32_t *ord; /* trips by start */
    int64_t days, day0;
    const kmt_fleet_model *models;
    size_t M;
    const kmt_fleet_compose_opts *o;
    double scale;    /* 365 / days */
    double co2w;     /* objective value of a gram of CO2 */
    uint64_t *mask;  /* per trip: compatible models */
    double *var_obj; /* per trip x model: objective of serving (period) */
    double *var_money, *var_co2, *var_kwh;
    double *unc_obj, *unc_money, *unc_co2; /* per trip: if uncovered */
    double vlb;                            /* sum over trips of the cheapest option (period) */
    /* counting constraints, one per distinct mask X */
    size_t K;
    uint64_t *cmask;
    int32_t *cpeak;     /* peak(T_X) */
    double *ckm;        /* busiest-day km of T_X */
    int32_t *cpeak_day; /* K x days: peak of T_X on each day */
    double *cextra;     /* least surcharge of leaving a trip of T_X uncovered */
    double *ckm_all;    /* km of the trips whose mask is exactly X */
    double km_none;     /* km of trips no model fits */
    double *rate;       /* per model: objective per km (linear in km) */
    double unc_rate;    /* objective per uncovered km (INFINITY if not allowed) */
    int32_t *cap;       /* per model */
} ctx;

static int compatible(const kmt_fleet_model *md, const kmt_fleet_trip *t, const ctx *c)
{
    int tc = kmt__fleet_class(t->kind, c->o->any_kind), mc = kmt__fleet_class(md->kind, c->o->any_kind);
    int bike = md->kind == KMT_FLEET_KIND_BIKE || md->kind == KMT_FLEET_KIND_EBIKE;
    if (tc != mc) {
        if (!(bike && (tc == 0 || tc == KMT_FLEET_KIND_CAR) && c->o->bike_max_km > 0 &&
              t->m <= c->o->bike_max_km * 1000.0))
            return 0;
    }
    return md->range_m == 0 || t->m <= md->range_m;
}

/* Replay: trips by start, each to the free compatible vehicle with the
 * least range that still covers it today, then the cheapest, then the one
 * free the latest. Fills f; returns 1 if every trip is covered. Stops early
 * (returns 0, f->objective = INFINITY) once the objective reaches cutoff or
 * a trip finds no vehicle while uncovered trips are not allowed. */
static int replay(const ctx *c, const int32_t *count, kmt_fleet_fleet *f, int32_t *assignment, int32_t *vehicle_model,
                  double cutoff)
{
    size_t V = 0;
    for (size_t m = 0; m < c->M; m++) V += (size_t)count[m];
    int32_t *vm = kmt_malloc((V ? V : 1) * sizeof *vm);
    int64_t *free_at = kmt_malloc((V ? V : 1) * sizeof *free_at);
    int64_t *vday = kmt_malloc((V ? V : 1) * sizeof *vday);
    int64_t *used = kmt_malloc((V ? V : 1) * sizeof *used);
    size_t k = 0;
    double fixed = 0;
    for (size_t m = 0; m < c->M; m++)
        for (int32_t i = 0; i < count[m]; i++) {
            vm[k] = (int32_t)m, free_at[k] = INT64_MIN, vday[k] = INT64_MIN, used[k] = 0;
            fixed += c->models[m].fixed_per_year;
            k++;
        }
    if (vehicle_model) memcpy(vehicle_model, vm, V * sizeof *vm);
    double obj = 0, money = 0, co2 = 0, kwh = 0, ukm = 0;
    int64_t unc = 0;
    for (size_t q = 0; q < c->n; q++) {
        int32_t i = c->ord[q];
        const kmt_fleet_trip *t = &c->trips[i];
        int64_t day = kmt__fleet_day(t->start);
        int32_t best = -1;
        for (size_t v = 0; v < V; v++) {
            const kmt_fleet_model *md = &c->models[vm[v]];
            if (!(c->mask[i] >> vm[v] & 1u) || free_at[v] > t->start) continue;
            int64_t u = vday[v] == day ? used[v] : 0;
            if (md->range_m && u + t->m > md->range_m) continue;
            if (best < 0) {
                best = (int32_t)v;
                continue;
            }
            const kmt_fleet_model *bm = &c->models[vm[best]];
            int64_t rv = md->range_m ? md->range_m - u : INT64_MAX;
            int64_t bu = vday[best] == day ? used[best] : 0;
            int64_t rb = bm->range_m ? bm->range_m - bu : INT64_MAX;
            double ov = c->var_obj[(size_t)i * c->M + (size_t)vm[v]];
            double ob = c->var_obj[(size_t)i * c->M + (size_t)vm[best]];
            if (rv < rb || (rv == rb && (ov < ob || (ov == ob && free_at[v] > free_at[best])))) best = (int32_t)v;
        }
        if (best < 0 && !c->o->allow_uncovered && isfinite(cutoff)) {
            obj = INFINITY;
            break;
        }
        if (best < 0) {
            unc++;
            ukm += t->m / 1000.0;
            obj += c->unc_obj[i], money += c->unc_money[i], co2 += c->unc_co2[i];
            if (assignment) assignment[i] = -1;
            continue;
        }
        if (vday[best] != day) vday[best] = day, used[best] = 0;
        used[best] += t->m;
        free_at[best] = kmt__fleet_ready(t, c->o->changeover_s);
        size_t im = (size_t)i * c->M + (size_t)vm[best];
        obj += c->var_obj[im], money += c->var_money[im], co2 += c->var_co2[im], kwh += c->var_kwh[im];
        if (assignment) assignment[i] = best;
        if (fixed + obj * c->scale >= cutoff) {
            obj = INFINITY;
            break;
        }
    }
    kmt_free(vm), kmt_free(free_at), kmt_free(vday), kmt_free(used);
    f->vehicles = (int32_t)V;
    f->cost_year = fixed + money * c->scale;
    f->co2_kg_year = co2 * c->scale / 1000.0;
    f->kwh_year = kwh * c->scale;
    f->objective = fixed + obj * c->scale;
    f->uncovered_trips = unc;
    f->uncovered_km = ukm;
    return unc == 0 && isfinite(obj);
}

/* Independent check of an assignment: no vehicle serves overlapping trips,
 * no vehicle-day exceeds its model's range, every trip's model fits it. */
static int check_assignment(const ctx *c, const int32_t *assignment, const int32_t *vmodel, size_t V)
{
    int64_t *last_ready = kmt_malloc((V ? V : 1) * sizeof *last_ready);
    int64_t *vday = kmt_malloc((V ? V : 1) * sizeof *vday);
    int64_t *used = kmt_malloc((V ? V : 1) * sizeof *used);
    for (size_t v = 0; v < V; v++) last_ready[v] = INT64_MIN, vday[v] = INT64_MIN, used[v] = 0;
    int ok = 1;
    for (size_t q = 0; q < c->n && ok; q++) {
        int32_t i = c->ord[q], v = assignment[i];
        if (v < 0) {
            ok = c->o->allow_uncovered;
            continue;
        }
        const kmt_fleet_trip *t = &c->trips[i];
        const kmt_fleet_model *md = &c->models[vmodel[v]];
        int64_t day = kmt__fleet_day(t->start);
        if (vday[v] != day) vday[v] = day, used[v] = 0;
        used[v] += t->m;
        if (last_ready[v] > t->start || (md->range_m && used[v] > md->range_m) || !compatible(md, t, c)) ok = 0;
        last_ready[v] = kmt__fleet_ready(t, c->o->changeover_s);
    }
    kmt_free(last_ready), kmt_free(vday), kmt_free(used);
    return ok;
}

/* Lower bound on the objective of any fleet with these counts whose
 * vehicles are of models in `present` (a superset of those with count > 0):
 * fixed cost + every trip at the cheapest present compatible model (costs
 * are linear in km, so per mask: its km x the least rate) + the uncovered
 * surcharge; +INFINITY if it breaks a counting condition and nothing may be
 * uncovered. */
static double fleet_bound(const ctx *c, const int32_t *count, uint64_t present)
{
    double b = 0;
    for (size_t m = 0; m < c->M; m++) b += count[m] * c->models[m].fixed_per_year;
    double var = c->km_none > 0 ? c->km_none * c->unc_rate : 0;
    double worst = 0;
    for (size_t x = 0; x < c->K; x++) {
        double best = c->unc_rate;
        uint64_t avail = c->cmask[x] & present;
        for (size_t m = 0; m < c->M; m++)
            if (avail >> m & 1u && c->rate[m] < best) best = c->rate[m];
        if (!isfinite(best)) return INFINITY;
        var += c->ckm_all[x] * best;
        int64_t have = 0;
        double range = 0;
        int finite = 1;
        for (size_t m = 0; m < c->M; m++)
            if (c->cmask[x] >> m & 1u) {
                have += count[m];
                if (c->models[m].range_m)
                    range += (double)count[m] * c->models[m].range_m / 1000.0;
                else if (count[m])
                    finite = 0;
            }
        if (!c->o->allow_uncovered) {
            if (have < c->cpeak[x] || (finite && range + 1e-9 < c->ckm[x])) return INFINITY;
            continue;
        }
        if (have >= c->cpeak[x]) continue;
        double s = 0;
        for (int64_t d = 0; d < c->days; d++) {
            int64_t p = c->cpeak_day[x * (size_t)c->days + (size_t)d];
            if (p > have) s += (double)(p - have);
        }
        s *= c->cextra[x] * c->scale;
        if (s > worst) worst = s;
    }
    return b + var * c->scale + worst;
}

static uint64_t present_of(const int32_t *count, size_t M)
{
    uint64_t p = 0;
    for (size_t m = 0; m < M; m++)
        if (count[m] > 0) p |= 1ull << m;
    return p;
}

/* Keeps the best `best` fleets, sorted by objective. */
typedef struct {
    kmt_fleet_fleet *v;
    size_t n, cap;
    size_t M;
} topk;

static double topk_threshold(const topk *t)
{
    return t->n < t->cap ? INFINITY : t->v[t->n - 1].objective;
}

static void topk_add(topk *t, const kmt_fleet_fleet *f, const int32_t *count)
{
    if (t->n == t->cap && f->objective >= t->v[t->n - 1].objective) return;
    size_t at = t->n < t->cap ? t->n++ : t->n - 1;
    kmt_free(t->v[at].count);
    t->v[at] = *f;
    t->v[at].count = kmt_malloc(t->M * sizeof(int32_t));
    memcpy(t->v[at].count, count, t->M * sizeof(int32_t));
    while (at > 0 && t->v[at].objective < t->v[at - 1].objective) {
        kmt_fleet_fleet x = t->v[at];
        t->v[at] = t->v[at - 1];
        t->v[at - 1] = x;
        at--;
    }
}

static void setup(ctx *c, const kmt_fleet_trip *trips, size_t n, int64_t days, const kmt_fleet_model *models, size_t M,
                  const kmt_fleet_compose_opts *o)
{
    memset(c, 0, sizeof *c);
    c->trips = trips, c->n = n, c->models = models, c->M = M, c->o = o;
    c->days = days < 1 ? 1 : days;
    c->scale = 365.0 / (double)c->days;
    const kmt_fleet_factors *f = &o->factors;
    c->co2w = o->co2_weight / 5.0 * f->co2_price_per_tonne / 1e6;
    c->ord = kmt_malloc((n ? n : 1) * sizeof *c->ord);
    for (size_t i = 0; i < n; i++) c->ord[i] = (int32_t)i;
    kmt__fleet_sort_by_start(trips, c->ord, n);
    c->day0 = n ? kmt__fleet_day(trips[c->ord[0]].start) : 0;
    c->mask = kmt_calloc(n ? n : 1, sizeof *c->mask);
    size_t nm = (n ? n : 1) * M;
    c->var_obj = kmt_malloc(nm * sizeof(double));
    c->var_money = kmt_malloc(nm * sizeof(double));
    c->var_co2 = kmt_malloc(nm * sizeof(double));
    c->var_kwh = kmt_malloc(nm * sizeof(double));
    c->unc_obj = kmt_malloc((n ? n : 1) * sizeof(double));
    c->rate = kmt_malloc((M ? M : 1) * sizeof(double));
    c->unc_rate = o->allow_uncovered ? f->allowance_per_km + c->co2w * f->private_co2_g_per_km : INFINITY;
    for (size_t m = 0; m < M; m++) {
        const kmt_fleet_model *md = &models[m];
        kmt_fleet_energy en = kmt_fleet_energy_of(f, md->fuel, md->wh_per_km, md->km_per_litre, 1.0);
        c->rate[m] = en.energy_cost + md->cost_per_km + c->co2w * en.co2_g;
    }
    c->unc_money = kmt_malloc((n ? n : 1) * sizeof(double));
    c->unc_co2 = kmt_malloc((n ? n : 1) * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        const kmt_fleet_trip *t = &trips[i];
        double km = t->m / 1000.0;
        c->unc_money[i] = km * f->allowance_per_km;
        c->unc_co2[i] = km * f->private_co2_g_per_km;
        c->unc_obj[i] = o->allow_uncovered ? c->unc_money[i] + c->co2w * c->unc_co2[i] : INFINITY;
        double best = c->unc_obj[i];
        for (size_t m = 0; m < M; m++) {
            const kmt_fleet_model *md = &models[m];
            kmt_fleet_energy en = kmt_fleet_energy_of(f, md->fuel, md->wh_per_km, md->km_per_litre, km);
            size_t k = i * M + m;
            c->var_money[k] = en.energy_cost + km * md->cost_per_km;
            c->var_co2[k] = en.co2_g;
            c->var_kwh[k] = en.kwh;
            c->var_obj[k] = c->var_money[k] + c->co2w * en.co2_g;
            if (compatible(md, t, c)) {
                c->mask[i] |= 1ull << m;
                if (c->var_obj[k] < best) best = c->var_obj[k];
            }
        }
        c->vlb += best;
    }
    /* distinct masks */
    uint64_t *ms = kmt_malloc((n ? n : 1) * sizeof *ms);
    size_t K = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c->mask[i]) continue;
        size_t k = 0;
        while (k < K && ms[k] != c->mask[i]) k++;
        if (k == K) ms[K++] = c->mask[i];
    }
    c->K = K;
    c->cmask = ms;
    c->cpeak = kmt_calloc(K ? K : 1, sizeof *c->cpeak);
    c->ckm = kmt_calloc(K ? K : 1, sizeof *c->ckm);
    c->cextra = kmt_calloc(K ? K : 1, sizeof *c->cextra);
    c->ckm_all = kmt_calloc(K ? K : 1, sizeof *c->ckm_all);
    for (size_t i = 0; i < n; i++) {
        if (!c->mask[i]) {
            c->km_none += trips[i].m / 1000.0;
            continue;
        }
        size_t x = 0;
        while (ms[x] != c->mask[i]) x++;
        c->ckm_all[x] += trips[i].m / 1000.0;
    }
    c->cpeak_day = kmt_calloc((K ? K : 1) * (size_t)c->days, sizeof *c->cpeak_day);
    int32_t *sub = kmt_malloc((n ? n : 1) * sizeof *sub);
    double *daykm = kmt_calloc((size_t)c->days, sizeof *daykm);
    for (size_t x = 0; x < K; x++) {
        size_t m = 0;
        c->cextra[x] = INFINITY;
        memset(daykm, 0, (size_t)c->days * sizeof *daykm);
        for (size_t q = 0; q < n; q++) {
            int32_t i = c->ord[q];
            if (!c->mask[i] || (c->mask[i] & ~ms[x])) continue;
            sub[m++] = i;
            int64_t d = kmt__fleet_day(trips[i].start) - c->day0;
            if (d >= c->days) d = c->days - 1;
            daykm[d] += trips[i].m / 1000.0;
            double cheapest = INFINITY;
            for (size_t mm = 0; mm < M; mm++)
                if (c->mask[i] >> mm & 1u && c->var_obj[(size_t)i * M + mm] < cheapest)
                    cheapest = c->var_obj[(size_t)i * M + mm];
            double extra = c->unc_obj[i] - (cheapest < c->unc_obj[i] ? cheapest : c->unc_obj[i]);
            if (extra < c->cextra[x]) c->cextra[x] = extra;
        }
        if (!isfinite(c->cextra[x])) c->cextra[x] = 0;
        c->cpeak[x] = kmt__fleet_peak(trips, sub, m, o->changeover_s, NULL, NULL, NULL);
        for (int64_t d = 0; d < c->days; d++)
            if (daykm[d] > c->ckm[x]) c->ckm[x] = daykm[d];
        /* per-day peaks */
        size_t a = 0;
        while (a < m) {
            int64_t d = kmt__fleet_day(trips[sub[a]].start);
            size_t b = a;
            while (b < m && kmt__fleet_day(trips[sub[b]].start) == d) b++;
            int64_t dd = d - c->day0;
            if (dd >= c->days) dd = c->days - 1;
            c->cpeak_day[x * (size_t)c->days + (size_t)dd] =
                kmt__fleet_peak(trips, sub + a, b - a, o->changeover_s, NULL, NULL, NULL);
            a = b;
        }
    }
    /* caps: never more of a model than compatible trips on its busiest day
     * (vehicles of one model are interchangeable from day to day, so one
     * idle every day can go); for a model without range limit, never more
     * than the peak of its compatible trips (the trips it serves can be
     * recoloured onto that many vehicles) */
    c->cap = kmt_calloc(M ? M : 1, sizeof *c->cap);
    for (size_t mm = 0; mm < M; mm++) {
        int64_t best = 0, cur = 0, curday = INT64_MIN;
        size_t m = 0;
        for (size_t q = 0; q < n; q++) {
            int32_t i = c->ord[q];
            if (!(c->mask[i] >> mm & 1u)) continue;
            sub[m++] = i;
            int64_t d = kmt__fleet_day(trips[i].start);
            if (d != curday) curday = d, cur = 0;
            if (++cur > best) best = cur;
        }
        if (models[mm].range_m == 0) {
            int64_t pk = kmt__fleet_peak(trips, sub, m, o->changeover_s, NULL, NULL, NULL);
            if (pk < best) best = pk;
        }
        if (models[mm].max_count > 0 && models[mm].max_count < best) best = models[mm].max_count;
        c->cap[mm] = (int32_t)best;
    }
    kmt_free(sub), kmt_free(daykm);
}

static void teardown(ctx *c)
{
    kmt_free(c->ord), kmt_free(c->mask), kmt_free(c->var_obj), kmt_free(c->var_money);
    kmt_free(c->var_co2), kmt_free(c->var_kwh), kmt_free(c->unc_obj), kmt_free(c->unc_money);
    kmt_free(c->unc_co2), kmt_free(c->cmask), kmt_free(c->cpeak), kmt_free(c->ckm);
    kmt_free(c->cpeak_day), kmt_free(c->cextra), kmt_free(c->cap);
    kmt_free(c->ckm_all), kmt_free(c->rate);
}

typedef struct {
    double b;
    int32_t *count;
} cand;
typedef KMT_VEC(cand) cand_vec;

static int cmp_cand(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    return (p->b > q->b) - (p->b < q->b);
}

typedef struct {
    const ctx *c;
    int64_t nodes, node_cap;
    int64_t pruned; /* subtrees or leaves cut because their bound >= hi */
    int aborted;    /* the node limit was hit */
} search;

enum { DFS_MIN, DFS_COLLECT };

/*
 * Depth-first enumeration of count vectors (count[m] in 0..cap[m]) with
 * explicit state. The bound of a partial vector puts the undecided models at
 * their caps for the counting conditions and the present set, and at zero
 * for the fixed cost, so it never exceeds any completion's bound.
 * DFS_MIN returns the least leaf bound (hi shrinks to the best found);
 * DFS_COLLECT appends every leaf with lo <= bound < hi to out.
 */
static double dfs(search *sr, int mode, double lo, double hi, cand_vec *out)
{
    const ctx *c = sr->c;
    size_t M = c->M;
    int32_t *count = kmt_calloc(M, sizeof *count), *trial = kmt_calloc(M, sizeof *trial);
    double best = INFINITY;
    size_t depth = 0;
    count[0] = -1;
    while (!sr->aborted) {
        if (++sr->nodes > sr->node_cap) {
            sr->aborted = 1;
            break;
        }
        if (depth == M) { /* leaf */
            double b = fleet_bound(c, count, present_of(count, M));
            if (isfinite(b)) {
                if (mode == DFS_MIN && b < hi)
                    hi = b, best = b;
                else if (mode == DFS_COLLECT) {
                    if (b >= hi)
                        sr->pruned++;
                    else if (b >= lo) {
                        cand cd = { b, kmt_malloc(M * sizeof(int32_t)) };
                        memcpy(cd.count, count, M * sizeof(int32_t));
                        KMT_VEC_PUSH(*out, cd);
                    }
                }
            }
            depth--;
            continue;
        }
        count[depth]++;
        if (count[depth] > c->cap[depth]) {
            if (depth == 0) break;
            depth--;
            continue;
        }
        for (size_t m = 0; m < M; m++) trial[m] = m <= depth ? count[m] : c->cap[m];
        double fixed_rest = 0;
        for (size_t m = depth + 1; m < M; m++) fixed_rest += (double)c->cap[m] * c->models[m].fixed_per_year;
        double b = fleet_bound(c, trial, present_of(trial, M));
        if (isfinite(b)) b -= fixed_rest;
        if (!isfinite(b) || b >= hi) {
            if (isfinite(b)) sr->pruned++;
            /* without uncovered trips, once the conditions hold and the model
             * is present, more of it only adds fixed cost: skip its counts */
            if (isfinite(b) && !c->o->allow_uncovered && count[depth] >= 1) count[depth] = c->cap[depth];
            continue;
        }
        depth++;
        if (depth < M) count[depth] = -1;
    }
    kmt_free(count), kmt_free(trial);
    return best;
}

/* A floor under any covering fleet's fixed cost: for masks whose model sets
 * are pairwise disjoint (taken greedily, largest first), each needs peak(T_X)
 * vehicles of its own models, at least at the cheapest one's fixed cost. */
static double fleet_floor_of(const ctx *c, size_t x)
{
    double mf = INFINITY;
    for (size_t m = 0; m < c->M; m++)
        if (c->cmask[x] >> m & 1u && c->models[m].fixed_per_year < mf) mf = c->models[m].fixed_per_year;
    return isfinite(mf) ? c->cpeak[x] * mf : 0;
}

static double fixed_floor(const ctx *c)
{
    uint64_t taken = 0;
    double sum = 0;
    for (;;) {
        size_t bx = c->K;
        double bv = 0;
        for (size_t x = 0; x < c->K; x++)
            if (!(c->cmask[x] & taken) && fleet_floor_of(c, x) > bv) bv = fleet_floor_of(c, x), bx = x;
        if (bx == c->K) break;
        taken |= c->cmask[bx];
        sum += bv;
    }
    return sum;
}

/*
 * For searches too large to enumerate: a greedy fleet that meets the
 * counting conditions (repeatedly add, for a condition still broken, the
 * model of its set with the least fixed cost + yearly km cost per vehicle),
 * made feasible by adding the longest-range model a trip left uncovered
 * needs, then improved by local search (remove one, add one, or swap one
 * vehicle for another model) while the bound lets a move win. Adds every
 * replayed fleet to best. Returns the replays spent.
 */
static int64_t greedy_local(const ctx *c, topk *best, int64_t budget)
{
    size_t M = c->M;
    int32_t *count = kmt_calloc(M, sizeof *count), *cnd = kmt_malloc(M * sizeof *cnd);
    int32_t *as = kmt_malloc((c->n ? c->n : 1) * sizeof *as);
    int64_t used = 0;
    for (int guard = 0; guard < 100000; guard++) {
        size_t x = 0;
        for (; x < c->K; x++) {
            int64_t have = 0;
            double range = 0;
            int finite = 1;
            for (size_t m = 0; m < M; m++)
                if (c->cmask[x] >> m & 1u) {
                    have += count[m];
                    if (c->models[m].range_m)
                        range += (double)count[m] * c->models[m].range_m / 1000.0;
                    else if (count[m])
                        finite = 0;
                }
            if (have < c->cpeak[x] || (finite && range + 1e-9 < c->ckm[x])) break;
        }
        if (x == c->K) break;
        double per = c->ckm_all[x] * c->scale / (c->cpeak[x] > 0 ? c->cpeak[x] : 1);
        int bm = -1;
        double bv = INFINITY;
        for (size_t m = 0; m < M; m++)
            if (c->cmask[x] >> m & 1u && count[m] < c->cap[m]) {
                double v = c->models[m].fixed_per_year + c->rate[m] * per;
                if (v < bv) bv = v, bm = (int)m;
            }
        if (bm < 0) break;
        count[bm]++;
    }
    kmt_fleet_fleet f;
    double cur = INFINITY;
    for (int tries = 0; tries < 200 && used < budget; tries++) {
        memset(&f, 0, sizeof f);
        int ok = replay(c, count, &f, as, NULL, INFINITY);
        used++;
        if (ok || c->o->allow_uncovered) {
            topk_add(best, &f, count);
            cur = f.objective;
            break;
        }
        size_t i = 0; /* first uncovered trip: add the longest-range model it fits */
        while (i < c->n && as[i] >= 0) i++;
        int bm = -1;
        for (size_t m = 0; m < M; m++) {
            if (i == c->n || !(c->mask[i] >> m & 1u) || count[m] >= c->cap[m]) continue;
            int64_t rm = c->models[m].range_m ? c->models[m].range_m : INT32_MAX;
            int64_t rb = bm < 0 ? -1 : (c->models[bm].range_m ? c->models[bm].range_m : INT32_MAX);
            if (rm > rb || (rm == rb && c->models[m].fixed_per_year < c->models[bm].fixed_per_year)) bm = (int)m;
        }
        if (bm < 0) break;
        count[bm]++;
    }
    int improved = isfinite(cur);
    while (improved && used < budget) {
        improved = 0;
        for (size_t a = 0; a <= M && !improved && used < budget; a++)
            for (size_t b = 0; b <= M && !improved && used < budget; b++) {
                if (a == b || (a < M && count[a] == 0) || (b < M && count[b] >= c->cap[b])) continue;
                memcpy(cnd, count, M * sizeof *cnd);
                if (a < M) cnd[a]--; /* a == M: remove nothing */
                if (b < M) cnd[b]++; /* b == M: add nothing */
                if (!(fleet_bound(c, cnd, present_of(cnd, M)) < cur)) continue;
                memset(&f, 0, sizeof f);
                int ok = replay(c, cnd, &f, NULL, NULL, cur);
                used++;
                if ((ok || c->o->allow_uncovered) && f.objective < cur) {
                    topk_add(best, &f, cnd);
                    memcpy(count, cnd, M * sizeof *count);
                    cur = f.objective;
                    improved = 1;
                }
            }
    }
    kmt_free(count), kmt_free(cnd), kmt_free(as);
    return used;
}

int kmt_fleet_replay(const kmt_fleet_trip *trips, size_t ntrips, int64_t days, const kmt_fleet_model *models,
                     size_t nmodels, const int32_t *count, const kmt_fleet_compose_opts *o, kmt_fleet_fleet *f,
                     int32_t *assignment, int32_t *vehicle_model)
{
    ctx c;
    setup(&c, trips, ntrips, days, models, nmodels, o);
    memset(f, 0, sizeof *f);
    int ok = replay(&c, count, f, assignment, vehicle_model, INFINITY);
    teardown(&c);
    return ok;
}

int kmt_fleet_compose_run(const kmt_fleet_trip *trips, size_t ntrips, int64_t days, const kmt_fleet_model *models,
                          size_t nmodels, const kmt_fleet_compose_opts *o, kmt_fleet_compose *r, kmt_error *e)
{
    memset(r, 0, sizeof *r);
    if (nmodels == 0 || nmodels > 64)
        return kmt_error_set(e, KMT_EINVAL, "the catalogue needs 1 to 64 models, got %zu", nmodels);
    ctx c;
    setup(&c, trips, ntrips, days, models, nmodels, o);
    if (!o->allow_uncovered)
        for (size_t i = 0; i < ntrips; i++)
            if (!c.mask[i]) {
                teardown(&c);
                return kmt_error_set(e, KMT_EINVAL,
                                     "trip %zu (%.1f km, kind %d) fits no model of the catalogue; "
                                     "allow uncovered trips or add a model",
                                     i, trips[i].m / 1000.0, trips[i].kind);
            }
    size_t M = nmodels;
    r->nmodels = M;
    r->trips = (int64_t)ntrips;
    topk best = { kmt_calloc((size_t)(o->best > 0 ? o->best : 1), sizeof(kmt_fleet_fleet)), 0,
                  (size_t)(o->best > 0 ? o->best : 1), M };
    int64_t max_eval = o->max_evaluations > 0 ? o->max_evaluations : 20000;
    r->exhaustive = 1;
    /* best first: L0 = the least bound of any fleet; then collect the fleets
     * whose bound lies in [lo, hi), replay them in order of bound, and widen
     * hi until the k-th best replayed objective is <= hi (then every fleet
     * that could beat it has been replayed) */
    search sr = { &c, 0, 0, 0, 0 };
    sr.node_cap = o->max_nodes > 0 ? o->max_nodes : 4 * 1000 * 1000;
    double L0 = dfs(&sr, DFS_MIN, -INFINITY, INFINITY, NULL);
    double lb = L0;
    if (sr.aborted) { /* L0 is only the least bound seen: fall back to the root's */
        r->exhaustive = 0;
        double fx = 0;
        for (size_t m = 0; m < M; m++) fx += (double)c.cap[m] * models[m].fixed_per_year;
        double rb = fleet_bound(&c, c.cap, present_of(c.cap, M));
        lb = isfinite(rb) ? rb - fx : 0;
        if (!o->allow_uncovered) lb += fixed_floor(&c);
        r->evaluated += greedy_local(&c, &best, max_eval);
        L0 = INFINITY; /* no window search: it would be cut short too */
    }
    double lo = -INFINITY, hi = isfinite(L0) ? L0 + fabs(L0) * 0.005 + 1 : INFINITY;
    cand_vec cv = { 0 };
    while (isfinite(L0)) {
        cv.n = 0;
        sr.pruned = 0;
        dfs(&sr, DFS_COLLECT, lo, hi, &cv);
        int aborted = sr.aborted; /* replay what was collected, then stop */
        if (aborted) r->exhaustive = 0;
        qsort(cv.v, cv.n, sizeof *cv.v, cmp_cand);
        r->candidates += (int64_t)cv.n;
        int out_of_budget = 0;
        for (size_t k = 0; k < cv.n; k++) {
            if (cv.v[k].b >= topk_threshold(&best)) break;
            if (r->evaluated >= max_eval) {
                r->exhaustive = 0;
                out_of_budget = 1;
                break;
            }
            kmt_fleet_fleet f;
            memset(&f, 0, sizeof f);
            int ok = replay(&c, cv.v[k].count, &f, NULL, NULL, topk_threshold(&best));
            r->evaluated++;
            if ((ok || o->allow_uncovered) && isfinite(f.objective)) topk_add(&best, &f, cv.v[k].count);
        }
        for (size_t k = 0; k < cv.n; k++) kmt_free(cv.v[k].count);
        if (aborted || out_of_budget || topk_threshold(&best) <= hi || !sr.pruned)
            break; /* nothing left that could beat it */
        lo = hi;
        hi = hi + fabs(hi) * 0.02 + 1;
        if (isfinite(topk_threshold(&best)) && hi > topk_threshold(&best)) hi = topk_threshold(&best);
    }
    KMT_VEC_FREE(cv);
    KMT_LOG(KMT_LOG_DEBUG, "compose: %lld search nodes", (long long)sr.nodes);
    if (!isfinite(lb)) lb = 0;
    if (best.n && best.v[0].objective < lb) lb = best.v[0].objective;
    r->lower_bound = lb;
    r->fleets = best.v;
    r->nfleets = best.n;
    if (best.n) {
        kmt_fleet_fleet tmp;
        size_t V = (size_t)best.v[0].vehicles;
        r->assignment = kmt_malloc((ntrips ? ntrips : 1) * sizeof *r->assignment);
        r->vehicle_model = kmt_malloc((V ? V : 1) * sizeof *r->vehicle_model);
        replay(&c, best.v[0].count, &tmp, r->assignment, r->vehicle_model, INFINITY);
        for (size_t k = 0; k < best.n; k++) {
            int32_t *as = kmt_malloc((ntrips ? ntrips : 1) * sizeof *as);
            int32_t *vm = kmt_malloc(((size_t)best.v[k].vehicles + 1) * sizeof *vm);
            replay(&c, best.v[k].count, &tmp, as, vm, INFINITY);
            best.v[k].verified = check_assignment(&c, as, vm, (size_t)best.v[k].vehicles);
            kmt_free(as), kmt_free(vm);
        }
    }
    teardown(&c);
    return 0;
}

void kmt_fleet_compose_destroy(kmt_fleet_compose *r)
{
    if (!r) return;
    for (size_t k = 0; k < r->nfleets; k++) kmt_free(r->fleets[k].count);
    kmt_free(r->fleets), kmt_free(r->assignment), kmt_free(r->vehicle_model);
    memset(r, 0, sizeof *r);
}
