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

void kmt_vrp_solution_init(kmt_vrp_solution *s) { memset(s, 0, sizeof *s); }

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
    case KMT_VRP_UNASSIGNED_TIME:
        return "no vehicle can serve it within its time windows and the vehicle's limits";
    case KMT_VRP_UNASSIGNED_NOFIT: return "no room left in any route (capacity, time or vehicle limits)";
    default: return "";
    }
}

void kmt_vrp_solve_opts_init(kmt_vrp_solve_opts *o)
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
    t->epochs = 32;       /* measured at 2 s: 8 and 128 worse */
    t->polish = 1;
    t->swap_star = 1;
    t->granular = 20;
    t->local_search = 2;
}

static int check_windows(const kmt_vrp_tw *tw, int n, const char *what, kmt_error *e)
{
    for (int i = 0; i < n; i++) {
        if (!(tw[i].start <= tw[i].end) || tw[i].start < 0)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "time_windows[%d]: expected [start, end] with 0 <= start <= end, got [%g, %g]",
                                i, tw[i].start, tw[i].end);
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
    int *where = kmt_malloc(sizeof(int) * ((size_t)p->ntasks + 1)), *pos = kmt_malloc(sizeof(int) * ((size_t)p->ntasks + 1));
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
                                "profile '%s': durations missing or smaller than the %zu locations used",
                                mx->name, p->nlocs);
        for (size_t i = 0; i < mx->n * mx->n; i++) {
            if (!(mx->durations[i] >= 0) || (mx->distances && !(mx->distances[i] >= 0)) ||
                (mx->costs && !(mx->costs[i] >= 0)))
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, "matrices",
                                    "profile '%s': row %zu column %zu: values must be >= 0",
                                    mx->name, i / mx->n, i % mx->n);
        }
    }
    for (int i = 0; i < p->ntasks; i++) {
        const kmt_vrp_task *t = &p->tasks[i];
        snprintf(what, sizeof what, "task %lld", (long long)t->id);
        if (t->loc < 0 || (size_t)t->loc >= p->nlocs)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "location index %d out of range", t->loc);
        if (!(t->service >= 0) || !(t->setup >= 0))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "service and setup must be >= 0");
        int rc = check_windows(t->tw, t->ntw, what, e);
        if (rc) return rc;
        for (int d = 0; d < p->ndims; d++)
            if (t->delivery[d] < 0 || t->pickup[d] < 0)
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "amounts must be >= 0");
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
        if (!(vh->tw.start <= vh->tw.end) || vh->tw.start < 0)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "time_window: expected [start, end] with 0 <= start <= end");
        if (vh->profile < 0 || vh->profile >= p->nmatrices)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "profile has no matrix");
        if (vh->max_distance >= 0 && !p->matrices[vh->profile].distances) {
            snprintf(what, sizeof what, "vehicles[%d].max_distance", v);
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what,
                                "needs distances for profile '%s': add \"distances\" to matrices.%s "
                                "(or plan with --graph)", p->matrices[vh->profile].name,
                                p->matrices[vh->profile].name);
        }
        if (!(vh->speed_factor > 0) || vh->speed_factor > 5)
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "speed_factor must be in (0, 5]");
        if (!(vh->fixed >= 0) || !(vh->per_hour >= 0) || !(vh->per_km >= 0))
            return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "costs must be >= 0");
        for (int d = 0; d < p->ndims && vh->has_capacity; d++)
            if (vh->capacity[d] < 0)
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, what, "capacity must be >= 0");
        for (int b = 0; b < vh->nbreaks; b++) {
            char bw[80];
            snprintf(bw, sizeof bw, "vehicles[%d].breaks[%d]", v, b);
            if (!(vh->breaks[b].service >= 0))
                return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, bw, "service must be >= 0");
            int rc = check_windows(vh->breaks[b].tw, vh->breaks[b].ntw, bw, e);
            if (rc) return rc;
        }
    }
    return validate_init(p, e);
}
