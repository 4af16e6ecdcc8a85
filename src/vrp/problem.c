/* SPDX-License-Identifier: MPL-2.0 */
/* The route planner's problem and solution containers and their validation. */
#include <math.h>
#include <string.h>

#include "kommute/vrp.h"

void kmt_vrp_problem_init(kmt_vrp_problem *p)
{
    memset(p, 0, sizeof *p);
    p->time_scale = 1;
    p->cost_scale = 100;
    kmt_arena_init(&p->arena, 1 << 16);
}

void kmt_vrp_problem_destroy(kmt_vrp_problem *p)
{
    if (!p) return;
    for (int m = 0; m < p->nmatrices; m++) {
        kmt_free(p->matrices[m].durations);
        kmt_free(p->matrices[m].distances);
        kmt_free(p->matrices[m].costs);
    }
    kmt_free(p->matrices);
    kmt_free(p->tasks);
    kmt_free(p->vehicles);
    kmt_free(p->coords);
    kmt_arena_destroy(&p->arena);
    memset(p, 0, sizeof *p);
}

void kmt_vrp_solution_init(kmt_vrp_solution *s)
{
    memset(s, 0, sizeof *s);
}

void kmt_vrp_solution_destroy(kmt_vrp_solution *s)
{
    if (!s) return;
    for (int r = 0; r < s->nroutes; r++) kmt_free(s->routes[r].stops);
    kmt_free(s->routes);
    kmt_free(s->unassigned);
    kmt_free(s->reason);
    memset(s, 0, sizeof *s);
}

const char *kmt_vrp_reason_text(int reason)
{
    switch (reason) {
    case KMT_VRP_UNASSIGNED_SKILLS: return "no vehicle has the required skills";
    case KMT_VRP_UNASSIGNED_CAPACITY: return "the amount exceeds every vehicle's capacity";
    case KMT_VRP_UNASSIGNED_TIME: return "no vehicle can serve it within its time windows and the vehicle's limits";
    case KMT_VRP_UNASSIGNED_NOFIT: return "no room left in any route (capacity, time or vehicle limits)";
    default: return "";
    }
}

void kmt_vrp_solve_opts_default(kmt_vrp_solve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->time_limit = 10;
    o->seed = 1;
    o->threads = 1;
}

void kmt_vrp_tuning_default(kmt_vrp_tuning *t)
{
    memset(t, 0, sizeof *t);
    t->t0_cost = 10;      /* docs/benchmarks.md: 100 was worse for the cost objective */
    t->t0_vehicles = 100; /* Solomon classic at 10 s: 1.20 % -> 0.84 % against 10 */
    t->tf = 0.1;
    t->epochs = 32; /* measured at 2 s: 8 and 128 worse */
    t->polish = 1;
    t->swap_star = 1;
    t->granular = 20;
    t->local_search = 2;
}

/* A finite value from 0 to KMT_VRP_MAX_VALUE. */
static int in_range(double x)
{
    return x >= 0 && x <= KMT_VRP_MAX_VALUE;
}

static int check_windows(const kmt_vrp_tw *tw, int n, const char *what, kmt_error *e)
{
    for (int i = 0; i < n; i++) {
        if (!(tw[i].start <= tw[i].end) || tw[i].start < 0 || !(tw[i].end <= KMT_VRP_MAX_VALUE))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "time_windows[%d]: expected [start, end] with 0 <= start <= end <= %.0f, got [%g, %g]",
                                i, KMT_VRP_MAX_VALUE, tw[i].start, tw[i].end);
        if (i > 0 && tw[i].start <= tw[i - 1].end)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "time_windows[%d]: windows must be sorted and disjoint", i);
    }
    return 0;
}

/* Vehicles' initial routes: task indices in range, each task in at most one
 * route once, a shipment's halves on the same route, pickup first. */
static int validate_init(const kmt_vrp_problem *p, kmt_error *e)
{
    int any = 0, rc = 0;
    for (int v = 0; v < p->nvehicles; v++) any |= p->vehicles[v].ninit > 0;
    if (!any) return 0;
    int *where = kmt_malloc(sizeof(int) * ((size_t)p->ntasks + 1)),
        *pos = kmt_malloc(sizeof(int) * ((size_t)p->ntasks + 1));
    for (int i = 0; i < p->ntasks; i++) where[i] = -1;
    char what[64];
    for (int v = 0; v < p->nvehicles && !rc; v++) {
        const kmt_vrp_vehicle *vh = &p->vehicles[v];
        snprintf(what, sizeof what, "vehicles[%d].steps", v);
        for (int k = 0; k < vh->ninit && !rc; k++) {
            int t = vh->init[k];
            if (t < 0 || t >= p->ntasks)
                rc = kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "task index %d out of range", t);
            else if (where[t] >= 0)
                rc = kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "task %lld is in two initial routes or twice",
                                  (long long)p->tasks[t].id);
            else {
                where[t] = v;
                pos[t] = k;
            }
        }
        for (int k = 0; k < vh->ninit && !rc; k++) {
            int t = vh->init[k], o = p->tasks[t].partner;
            if (p->tasks[t].kind == KMT_VRP_DELIVERY && (where[o] != v || pos[o] > k))
                rc = kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "delivery %lld without its pickup before it",
                                  (long long)p->tasks[t].id);
            if (p->tasks[t].kind == KMT_VRP_PICKUP && where[o] != v)
                rc = kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "pickup %lld without its delivery",
                                  (long long)p->tasks[t].id);
        }
    }
    kmt_free(where);
    kmt_free(pos);
    return rc;
}

/* Worst cases over the whole problem, in the solver's integer units: the
 * latest time a route can reach (the latest finite window bound, then every
 * task and break with the longest leg, service and setup) and the dearest
 * plan (every task and every vehicle's return on the dearest arc, plus all
 * fixed costs). Both must stay below KMT_VRP_MAX_SCALED (docs/vrp.md). */
static int check_budgets(const kmt_vrp_problem *p, kmt_error *e)
{
    double *maxd = kmt_calloc((size_t)p->nmatrices + 1, 3 * sizeof(double));
    for (int m = 0; m < p->nmatrices; m++) {
        const kmt_vrp_matrix *mx = &p->matrices[m];
        for (size_t i = 0; i < mx->n * mx->n; i++) {
            maxd[3 * m] = fmax(maxd[3 * m], mx->durations[i]);
            if (mx->distances) maxd[3 * m + 1] = fmax(maxd[3 * m + 1], mx->distances[i]);
            if (mx->costs) maxd[3 * m + 2] = fmax(maxd[3 * m + 2], mx->costs[i]);
        }
    }
    double last = 0, stop = 0, leg = 0, arc = 0, fixed = 0;
    int breaks = 0;
    for (int i = 0; i < p->ntasks; i++) {
        const kmt_vrp_task *t = &p->tasks[i];
        stop = fmax(stop, t->service + t->setup);
        if (t->ntw) last = fmax(last, t->tw[t->ntw - 1].end);
    }
    for (int v = 0; v < p->nvehicles; v++) {
        const kmt_vrp_vehicle *vh = &p->vehicles[v];
        const double *md = &maxd[3 * vh->profile];
        double d = md[0] / vh->speed_factor;
        leg = fmax(leg, d);
        double c = p->matrices[vh->profile].costs ? md[2] : vh->per_hour * d / 3600.0 + vh->per_km * md[1] / 1000.0;
        arc = fmax(arc, c);
        if (p->objective == KMT_VRP_MIN_COST) fixed += vh->fixed;
        last = fmax(last, vh->tw.end < KMT_VRP_INF ? vh->tw.end : vh->tw.start);
        if (vh->nbreaks > breaks) breaks = vh->nbreaks;
        for (int b = 0; b < vh->nbreaks; b++) {
            stop = fmax(stop, vh->breaks[b].service);
            if (vh->breaks[b].ntw) last = fmax(last, vh->breaks[b].tw[vh->breaks[b].ntw - 1].end);
        }
    }
    kmt_free(maxd);
    double steps = (double)p->ntasks + breaks + 1;
    double time = (last + steps * (leg + stop)) * p->time_scale;
    double cost = (fixed + ((double)p->ntasks + p->nvehicles) * arc) * p->cost_scale;
    if (!(time < KMT_VRP_MAX_SCALED))
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "matrices",
                            "times too large: a route could last %.3g time units (%d tasks, longest leg %.3g after "
                            "speed_factor, longest stop %.3g), over the limit of %.3g; see docs/vrp.md",
                            time / p->time_scale, p->ntasks, leg, stop, KMT_VRP_MAX_SCALED / p->time_scale);
    if (!(cost < KMT_VRP_MAX_SCALED))
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "costs",
                            "costs too large: a plan could cost %.3g (%d tasks and %d vehicles, dearest arc %.3g), "
                            "over the limit of %.3g; lower the costs, per_hour, per_km or fixed, see docs/vrp.md",
                            cost / p->cost_scale, p->ntasks, p->nvehicles, arc, KMT_VRP_MAX_SCALED / p->cost_scale);
    return 0;
}

int kmt_vrp_problem_validate(const kmt_vrp_problem *p, kmt_error *e)
{
    char what[64];
    if (p->ndims < 0 || p->ndims > KMT_VRP_MAX_DIMS)
        return kmt_error_set(e, KMT_EINVAL, "at most %d capacity dimensions are supported", KMT_VRP_MAX_DIMS);
    if (p->nmatrices < 1) return kmt_error_set(e, KMT_EINVAL, "no travel-time matrix");
    for (int m = 0; m < p->nmatrices; m++) {
        const kmt_vrp_matrix *mx = &p->matrices[m];
        if (!mx->durations || mx->n < p->nlocs)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "matrices",
                                "profile '%s': durations missing or smaller than the %zu locations used", mx->name,
                                p->nlocs);
        for (size_t i = 0; i < mx->n * mx->n; i++) {
            if (!in_range(mx->durations[i]) || (mx->distances && !in_range(mx->distances[i])) ||
                (mx->costs && !in_range(mx->costs[i])))
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "matrices",
                                    "profile '%s': row %zu column %zu: values must be from 0 to %.0f", mx->name,
                                    i / mx->n, i % mx->n, KMT_VRP_MAX_VALUE);
        }
    }
    for (int i = 0; i < p->ntasks; i++) {
        const kmt_vrp_task *t = &p->tasks[i];
        snprintf(what, sizeof what, "task %lld", (long long)t->id);
        if (t->loc < 0 || (size_t)t->loc >= p->nlocs)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "location index %d out of range", t->loc);
        if (!in_range(t->service) || !in_range(t->setup))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "service and setup must be from 0 to %.0f",
                                KMT_VRP_MAX_VALUE);
        int rc = check_windows(t->tw, t->ntw, what, e);
        if (rc) return rc;
        for (int d = 0; d < p->ndims; d++)
            if (t->delivery[d] < 0 || t->pickup[d] < 0 || t->delivery[d] > KMT_VRP_MAX_AMOUNT ||
                t->pickup[d] > KMT_VRP_MAX_AMOUNT)
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "amounts must be from 0 to %lld",
                                    (long long)KMT_VRP_MAX_AMOUNT);
        if (t->kind != KMT_VRP_JOB) {
            if (t->partner < 0 || t->partner >= p->ntasks || p->tasks[t->partner].partner != i)
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "shipment halves do not match");
        }
    }
    for (int v = 0; v < p->nvehicles; v++) {
        const kmt_vrp_vehicle *vh = &p->vehicles[v];
        snprintf(what, sizeof what, "vehicles[%d]", v);
        if ((vh->start >= 0 && (size_t)vh->start >= p->nlocs) || (vh->end >= 0 && (size_t)vh->end >= p->nlocs))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "start/end location index out of range");
        if (!(vh->tw.start <= vh->tw.end) || vh->tw.start < 0 ||
            !(vh->tw.end <= KMT_VRP_MAX_VALUE || vh->tw.end == KMT_VRP_INF))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "time_window: expected [start, end] with 0 <= start <= end");
        if (vh->profile < 0 || vh->profile >= p->nmatrices)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "profile has no matrix");
        if (vh->max_distance >= 0 && !p->matrices[vh->profile].distances) {
            snprintf(what, sizeof what, "vehicles[%d].max_distance", v);
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "needs distances for profile '%s': add \"distances\" to matrices.%s "
                                "(or plan with --graph)",
                                p->matrices[vh->profile].name, p->matrices[vh->profile].name);
        }
        if (!(vh->speed_factor >= KMT_VRP_MIN_SPEED_FACTOR && vh->speed_factor <= KMT_VRP_MAX_SPEED_FACTOR))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "speed_factor must be from %g to %g",
                                KMT_VRP_MIN_SPEED_FACTOR, KMT_VRP_MAX_SPEED_FACTOR);
        if (!in_range(vh->fixed) || !in_range(vh->per_hour) || !in_range(vh->per_km))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "costs must be from 0 to %.0f", KMT_VRP_MAX_VALUE);
        if (!(vh->max_travel_time <= KMT_VRP_MAX_VALUE) || !(vh->max_distance <= KMT_VRP_MAX_VALUE))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "max_travel_time and max_distance must be at most %.0f", KMT_VRP_MAX_VALUE);
        if (vh->nbreaks > KMT_VRP_MAX_BREAKS)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "at most %d breaks per vehicle", KMT_VRP_MAX_BREAKS);
        for (int d = 0; d < p->ndims && vh->has_capacity; d++)
            if (vh->capacity[d] < 0 || vh->capacity[d] > KMT_VRP_MAX_AMOUNT)
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "capacity must be from 0 to %lld",
                                    (long long)KMT_VRP_MAX_AMOUNT);
        for (int b = 0; b < vh->nbreaks; b++) {
            char bw[80];
            snprintf(bw, sizeof bw, "vehicles[%d].breaks[%d]", v, b);
            if (!in_range(vh->breaks[b].service))
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, bw, "service must be from 0 to %.0f", KMT_VRP_MAX_VALUE);
            int rc = check_windows(vh->breaks[b].tw, vh->breaks[b].ntw, bw, e);
            if (rc) return rc;
        }
    }
    int rc = check_budgets(p, e);
    return rc ? rc : validate_init(p, e);
}
