/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The independent checker. It recomputes every route from the problem's
 * own numbers in double precision and shares no code with the solver: a
 * bug in the solver's incremental bookkeeping cannot hide here.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "kommute/vrp.h"

#define EPS 1e-6

static void violation(kmt_vrp_check_report *r, const char *fmt, ...) KMT_PRINTF(2, 3);
static void violation(kmt_vrp_check_report *r, const char *fmt, ...)
{
    if (r->nviolations++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first, sizeof r->first, fmt, ap);
        va_end(ap);
    }
    r->feasible = 0;
}

/* Travel time of vehicle v between two matrix indices (-1 = no location). */
static double travel(const kmt_vrp_problem *p, const kmt_vrp_vehicle *v, int a, int b)
{
    if (a < 0 || b < 0) return 0;
    const kmt_vrp_matrix *m = &p->matrices[v->profile];
    double d = m->durations[(size_t)a * m->n + (size_t)b];
    if (v->speed_factor != 1.0) {
        d /= v->speed_factor;
        if (p->round_times) d = floor(d + 0.5);
    }
    return d;
}

static double dist(const kmt_vrp_problem *p, const kmt_vrp_vehicle *v, int a, int b)
{
    if (a < 0 || b < 0) return 0;
    const kmt_vrp_matrix *m = &p->matrices[v->profile];
    return m->distances ? m->distances[(size_t)a * m->n + (size_t)b] : 0;
}

static double arc_cost(const kmt_vrp_problem *p, const kmt_vrp_vehicle *v, int a, int b)
{
    if (a < 0 || b < 0) return 0;
    const kmt_vrp_matrix *m = &p->matrices[v->profile];
    if (m->costs) return m->costs[(size_t)a * m->n + (size_t)b];
    return v->per_hour * travel(p, v, a, b) / 3600.0 + v->per_km * dist(p, v, a, b) / 1000.0;
}

/* Earliest start >= t inside one of the windows; -1 when t is after the last. */
static double window_start(const kmt_vrp_tw *tw, int ntw, double t)
{
    if (ntw == 0) return t;
    for (int i = 0; i < ntw; i++)
        if (t <= tw[i].end + EPS) return t > tw[i].start ? t : tw[i].start;
    return -1;
}

static void check_route(const kmt_vrp_problem *p, const kmt_vrp_solution *s, int ri, int *pos_route, int *pos_index,
                        int *break_seen, kmt_vrp_check_report *r)
{
    const kmt_vrp_route *rt = &s->routes[ri];
    kmt_vrp_route_report *rr = &r->routes[ri];
    if (rt->vehicle < 0 || rt->vehicle >= p->nvehicles) {
        violation(r, "route %d: vehicle index %d does not exist", ri, rt->vehicle);
        return;
    }
    const kmt_vrp_vehicle *v = &p->vehicles[rt->vehicle];
    int ntasks = 0, nd = p->ndims;
    int64_t load[KMT_VRP_MAX_DIMS] = { 0 };
    for (int k = 0; k < rt->nstops; k++) {
        int st = rt->stops[k];
        if (st >= 0) {
            ntasks++;
            if (st >= p->ntasks) {
                violation(r, "route %d: task index %d does not exist", ri, st);
                return;
            }
            if (p->tasks[st].kind == KMT_VRP_JOB)
                for (int d = 0; d < nd; d++) load[d] += p->tasks[st].delivery[d];
        } else if (-st - 1 >= v->nbreaks) {
            violation(r, "route %d: break %d does not exist for vehicle %lld", ri, -st - 1, (long long)v->id);
            return;
        }
    }
    if (rt->nstops > 0) rr->steps = kmt_calloc((size_t)rt->nstops, sizeof *rr->steps);
    memcpy(rr->start_load, load, sizeof load);
    for (int d = 0; d < nd; d++)
        if (v->has_capacity && load[d] > v->capacity[d])
            violation(r, "vehicle %lld: start load %lld exceeds capacity %lld (dimension %d)", (long long)v->id,
                      (long long)load[d], (long long)v->capacity[d], d);
    if (ntasks == 0) {
        rr->start_time = rr->end_time = v->tw.start;
        return;
    }
    if (v->max_tasks >= 0 && ntasks > v->max_tasks)
        violation(r, "vehicle %lld: %d tasks exceed max_tasks %d", (long long)v->id, ntasks, v->max_tasks);
    double t = v->tw.start, tt_sum = 0, dist_sum = 0;
    int prev = v->start;
    rr->start_time = t;
    for (int b = 0; b < v->nbreaks; b++) break_seen[b] = 0;
    for (int k = 0; k < rt->nstops; k++) {
        int st = rt->stops[k];
        kmt_vrp_step *sp = &rr->steps[k];
        if (st < 0) {
            int b = -st - 1;
            const kmt_vrp_break *br = &v->breaks[b];
            if (break_seen[b]++)
                violation(r, "vehicle %lld: break %lld taken twice", (long long)v->id, (long long)br->id);
            double start = window_start(br->tw, br->ntw, t);
            if (start < 0) {
                violation(r, "vehicle %lld: break %lld starts at %g, after its last window", (long long)v->id,
                          (long long)br->id, t);
                start = t;
            }
            for (int d = 0; br->has_max_load && d < nd; d++)
                if (load[d] > br->max_load[d])
                    violation(r, "vehicle %lld: break %lld taken with load %lld above its max_load %lld (dimension %d)",
                              (long long)v->id, (long long)br->id, (long long)load[d], (long long)br->max_load[d], d);
            sp->arrival = t;
            sp->waiting = start - t;
            sp->start = start;
            sp->service = br->service;
            t = start + br->service;
            rr->waiting += sp->waiting;
            rr->service += br->service;
        } else {
            const kmt_vrp_task *tk = &p->tasks[st];
            if (pos_route[st] >= 0) violation(r, "task %lld is visited twice", (long long)tk->id);
            pos_route[st] = ri;
            pos_index[st] = k;
            if (tk->kind == KMT_VRP_DELIVERY && pos_route[tk->partner] != ri)
                violation(r, "shipment %lld/%lld: %s", (long long)p->tasks[tk->partner].id, (long long)tk->id,
                          pos_route[tk->partner] >= 0 ? "pickup and delivery are on different routes"
                                                      : "delivery comes before pickup");
            if ((tk->skills & ~v->skills) != 0)
                violation(r, "task %lld needs skills that vehicle %lld lacks", (long long)tk->id, (long long)v->id);
            double tt = travel(p, v, prev, tk->loc);
            double arr = t + tt;
            tt_sum += tt;
            dist_sum += dist(p, v, prev, tk->loc);
            rr->cost += arc_cost(p, v, prev, tk->loc);
            double setup = (prev != tk->loc) ? tk->setup : 0;
            double start = window_start(tk->tw, tk->ntw, arr);
            if (start < 0) {
                violation(r, "task %lld: arrival %.6g is after its last time window ends (%.6g)", (long long)tk->id,
                          arr, tk->tw[tk->ntw - 1].end);
                start = arr;
            }
            sp->arrival = arr;
            sp->waiting = start - arr;
            sp->start = start;
            sp->setup = setup;
            sp->service = tk->service;
            t = start + setup + tk->service;
            prev = tk->loc;
            rr->waiting += sp->waiting;
            rr->service += tk->service;
            rr->setup += setup;
            for (int d = 0; d < nd; d++) {
                load[d] += tk->pickup[d] - tk->delivery[d];
                if (load[d] < 0) violation(r, "task %lld: load becomes negative (dimension %d)", (long long)tk->id, d);
                if (v->has_capacity && load[d] > v->capacity[d])
                    violation(r, "task %lld: load %lld exceeds capacity %lld of vehicle %lld (dimension %d)",
                              (long long)tk->id, (long long)load[d], (long long)v->capacity[d], (long long)v->id, d);
            }
        }
        if (sp->start < v->tw.start - EPS || t > v->tw.end + EPS)
            violation(r, "vehicle %lld: stop %d (%.6g..%.6g) outside the working time [%g, %g]", (long long)v->id, k,
                      sp->start, t, v->tw.start, v->tw.end);
        sp->travel_time = tt_sum;
        sp->distance = dist_sum;
        memcpy(sp->load, load, sizeof load);
    }
    double tt = travel(p, v, prev, v->end);
    tt_sum += tt;
    dist_sum += dist(p, v, prev, v->end);
    rr->cost += arc_cost(p, v, prev, v->end);
    t += tt;
    rr->end_time = t;
    memcpy(rr->end_load, load, sizeof load);
    if (t > v->tw.end + EPS)
        violation(r, "vehicle %lld: returns at %.6g, after its working time ends (%g)", (long long)v->id, t, v->tw.end);
    if (v->max_distance >= 0 && dist_sum > v->max_distance + EPS)
        violation(r, "vehicle %lld: distance travelled %.6g m exceeds max_distance %g m", (long long)v->id, dist_sum,
                  v->max_distance);
    if (v->max_travel_time >= 0 && tt_sum > v->max_travel_time + EPS)
        violation(r, "vehicle %lld: travel time %.6g exceeds max_travel_time %g", (long long)v->id, tt_sum,
                  v->max_travel_time);
    for (int b = 0; b < v->nbreaks; b++)
        if (!break_seen[b])
            violation(r, "vehicle %lld: break %lld is missing", (long long)v->id, (long long)v->breaks[b].id);
    rr->duration = tt_sum;
    rr->distance = dist_sum;
    if (p->objective == KMT_VRP_MIN_COST) rr->cost += v->fixed;
    r->vehicles++;
}

int kmt_vrp_check(const kmt_vrp_problem *p, const kmt_vrp_solution *s, kmt_vrp_check_report *r)
{
    memset(r, 0, sizeof *r);
    r->feasible = 1;
    r->nroutes = s->nroutes;
    r->routes = s->nroutes ? kmt_calloc((size_t)s->nroutes, sizeof *r->routes) : NULL;
    int n = p->ntasks;
    int *pos_route = kmt_malloc(sizeof(int) * (size_t)(n + 1));
    int *pos_index = kmt_malloc(sizeof(int) * (size_t)(n + 1));
    int *unl = kmt_calloc((size_t)n + 1, sizeof(int));
    int maxb = 1;
    for (int v = 0; v < p->nvehicles; v++)
        if (p->vehicles[v].nbreaks > maxb) maxb = p->vehicles[v].nbreaks;
    int *break_seen = kmt_calloc((size_t)maxb, sizeof(int));
    int *veh_used = kmt_calloc((size_t)p->nvehicles + 1, sizeof(int));
    for (int i = 0; i < n; i++) pos_route[i] = -1;
    for (int ri = 0; ri < s->nroutes; ri++) {
        int v = s->routes[ri].vehicle;
        if (v >= 0 && v < p->nvehicles && veh_used[v]++)
            violation(r, "vehicle %lld has two routes", (long long)p->vehicles[v].id);
        check_route(p, s, ri, pos_route, pos_index, break_seen, r);
    }
    for (int i = 0; i < s->nunassigned; i++) {
        int t = s->unassigned[i];
        if (t < 0 || t >= n) {
            violation(r, "unassigned task index %d does not exist", t);
            continue;
        }
        if (unl[t]++ || pos_route[t] >= 0)
            violation(r, "task %lld is listed unassigned and also elsewhere", (long long)p->tasks[t].id);
        r->unassigned++;
        r->priority_unassigned += p->tasks[t].priority;
    }
    for (int i = 0; i < n; i++) {
        const kmt_vrp_task *tk = &p->tasks[i];
        if (pos_route[i] < 0 && !unl[i])
            violation(r, "task %lld is neither routed nor listed unassigned", (long long)tk->id);
        if (tk->kind == KMT_VRP_PICKUP) {
            int d = tk->partner;
            if ((pos_route[i] < 0) != (pos_route[d] < 0))
                violation(r, "shipment %lld/%lld: only one half is routed", (long long)tk->id,
                          (long long)p->tasks[d].id);
            else if (pos_route[i] >= 0 && pos_route[i] != pos_route[d])
                violation(r, "shipment %lld/%lld: pickup and delivery are on different routes", (long long)tk->id,
                          (long long)p->tasks[d].id);
            else if (pos_route[i] >= 0 && pos_index[i] > pos_index[d])
                violation(r, "shipment %lld/%lld: delivery comes before pickup", (long long)tk->id,
                          (long long)p->tasks[d].id);
        }
    }
    for (int ri = 0; ri < s->nroutes; ri++) {
        const kmt_vrp_route_report *rr = &r->routes[ri];
        r->cost += rr->cost;
        r->distance += rr->distance;
        r->duration += rr->duration;
        r->waiting += rr->waiting;
        r->service += rr->service;
        r->setup += rr->setup;
    }
    kmt_free(pos_route);
    kmt_free(pos_index);
    kmt_free(unl);
    kmt_free(break_seen);
    kmt_free(veh_used);
    return r->feasible ? 0 : KMT_EINVAL;
}

void kmt_vrp_check_report_destroy(kmt_vrp_check_report *r)
{
    if (!r) return;
    for (int i = 0; i < r->nroutes; i++) kmt_free(r->routes[i].steps);
    kmt_free(r->routes);
    memset(r, 0, sizeof *r);
}
