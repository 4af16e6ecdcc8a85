/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The independent checker of home-care plans. It shares no code with the
 * solver: it reads the problem and the plan's own start times, verifies
 * every constraint and recomputes the objective from scratch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kommute/hhc.h"

static void violation(kmt_hhc_check_report *r, const char *fmt, ...) KMT_PRINTF(2, 3);
static void violation(kmt_hhc_check_report *r, const char *fmt, ...)
{
    if (r->nviolations++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first, sizeof r->first, fmt, ap);
        va_end(ap);
    }
}

static double mat(const double *m, int nloc, int mode, int i, int j)
{
    return m[((size_t)mode * (size_t)nloc + (size_t)i) * (size_t)nloc + (size_t)j];
}

/* 1 if the graph "client A just before client B in some route" has a cycle
 * (Kahn's algorithm over clients, identified by name). */
static int clients_cross(const kmt_hhc_problem *p, const kmt_hhc_solution *s)
{
    int T = p->ntasks, narcs = 0;
    int *cid = kmt_malloc((size_t)(T + 1) * sizeof(int));
    for (int t = 0; t < T; t++) { /* client index: the first task with the same client name */
        cid[t] = t;
        for (int u = 0; u < t; u++)
            if (!strcmp(p->tasks[u].client, p->tasks[t].client)) {
                cid[t] = cid[u];
                break;
            }
    }
    int *from = NULL, *to = NULL;
    for (int ri = 0; ri < s->nroutes; ri++) narcs += s->routes[ri].n;
    from = kmt_malloc((size_t)(narcs + 1) * sizeof(int));
    to = kmt_malloc((size_t)(narcs + 1) * sizeof(int));
    narcs = 0;
    for (int ri = 0; ri < s->nroutes; ri++)
        for (int i = 1; i < s->routes[ri].n; i++) {
            int a = s->routes[ri].tasks[i - 1], b = s->routes[ri].tasks[i];
            if (a < 0 || a >= T || b < 0 || b >= T || cid[a] == cid[b]) continue;
            from[narcs] = cid[a];
            to[narcs++] = cid[b];
        }
    int *indeg = kmt_calloc((size_t)T + 1, sizeof(int)), *stack = kmt_malloc((size_t)(T + 1) * sizeof(int));
    unsigned char *done = kmt_calloc((size_t)narcs + 1, 1);
    for (int k = 0; k < narcs; k++) indeg[to[k]]++;
    int n = 0, seen = 0, nodes = 0;
    for (int t = 0; t < T; t++)
        if (cid[t] == t) {
            nodes++;
            if (indeg[t] == 0) stack[n++] = t;
        }
    while (n > 0) { /* quadratic in arcs, fine for a checker */
        int u = stack[--n];
        seen++;
        for (int k = 0; k < narcs; k++)
            if (!done[k] && from[k] == u) {
                done[k] = 1;
                if (--indeg[to[k]] == 0) stack[n++] = to[k];
            }
    }
    kmt_free(cid);
    kmt_free(from);
    kmt_free(to);
    kmt_free(indeg);
    kmt_free(stack);
    kmt_free(done);
    return seen < nodes;
}

int kmt_hhc_check(const kmt_hhc_problem *p, const kmt_hhc_solution *s, kmt_hhc_check_report *r)
{
    const double eps = KMT_HHC_CHECK_EPS;
    memset(r, 0, sizeof *r);
    int T = p->ntasks;
    int *count = kmt_calloc((size_t)T + 1, sizeof(int));
    int *where = kmt_malloc((size_t)(T + 1) * sizeof(int)); /* route index */
    int *order = kmt_malloc((size_t)(T + 1) * sizeof(int)); /* position in it */
    double *start = kmt_calloc((size_t)T + 1, sizeof(double));
    double *work = kmt_calloc((size_t)p->ncarers + 1, sizeof(double));
    unsigned char *shift_used = kmt_calloc((size_t)p->nshifts + 1, 1);
    for (int t = 0; t < T; t++) where[t] = -1;
    kmt_hhc_cost *c = &r->cost;
    for (int i = 0; i < s->nunassigned; i++) {
        int t = s->unassigned[i];
        if (t < 0 || t >= T) {
            violation(r, "unassigned entry %d: task %d does not exist", i, t);
            continue;
        }
        count[t]++;
        c->unassigned++;
    }
    for (int ri = 0; ri < s->nroutes; ri++) {
        const kmt_hhc_route *ro = &s->routes[ri];
        if (ro->shift < 0 || ro->shift >= p->nshifts) {
            violation(r, "route %d: shift %d does not exist", ri, ro->shift);
            continue;
        }
        if (shift_used[ro->shift]++) violation(r, "route %d: shift %d is used twice", ri, ro->shift);
        const kmt_hhc_shift *h = &p->shifts[ro->shift];
        int cr = h->carer, mode = p->carers[cr].mode;
        const kmt_hhc_carer *k = &p->carers[cr];
        int loc = h->start_location;
        double ready = h->start;
        for (int i = 0; i < ro->n; i++) {
            int t = ro->tasks[i];
            if (t < 0 || t >= T) {
                violation(r, "route %d (%s) position %d: task %d does not exist", ri, k->id, i, t);
                loc = -1;
                break;
            }
            const kmt_hhc_task *x = &p->tasks[t];
            count[t]++;
            where[t] = ri;
            order[t] = i;
            double st = ro->start[i];
            start[t] = st;
            double tt = mat(p->time, p->nlocations, mode, loc, x->location);
            c->travel_time += tt;
            c->distance += mat(p->dist, p->nlocations, mode, loc, x->location);
            work[cr] += tt + x->duration;
            if (st + eps < ready + tt)
                violation(r, "%s %s served by %s at %.3f: cannot arrive before %.3f (travel %.3f)", x->client,
                          x->service, k->id, st, ready + tt, tt);
            if (st + eps < x->earliest)
                violation(r, "%s %s starts at %.3f, before its window opens at %.3f", x->client, x->service, st,
                          x->earliest);
            if (!x->soft && st > x->latest + eps)
                violation(r, "%s %s starts at %.3f, after its hard window closes at %.3f", x->client, x->service, st,
                          x->latest);
            if (x->soft && st > x->latest) {
                double late = st - x->latest;
                c->lateness += late;
                if (late > c->max_lateness) c->max_lateness = late;
            }
            if ((x->skills & ~k->skills) != 0)
                violation(r, "%s %s needs skills %#llx that %s lacks", x->client, x->service,
                          (unsigned long long)(x->skills & ~k->skills), k->id);
            if (x->pin >= 0 && x->pin != cr)
                violation(r, "%s %s is pinned to %s, served by %s", x->client, x->service, p->carers[x->pin].id, k->id);
            for (int f = 0; f < x->nforbidden; f++)
                if (x->forbidden[f] == cr) violation(r, "%s %s may not be served by %s", x->client, x->service, k->id);
            if (x->npreferred > 0) {
                int ok = 0;
                for (int f = 0; f < x->npreferred; f++) ok |= x->preferred[f] == cr;
                if (!ok) c->non_preferred++;
            }
            loc = x->location;
            ready = st + x->duration;
        }
        if (ro->n > 0 && loc >= 0) {
            double tt = mat(p->time, p->nlocations, mode, loc, h->end_location);
            c->travel_time += tt;
            c->distance += mat(p->dist, p->nlocations, mode, loc, h->end_location);
            work[cr] += tt;
            if (ready + tt > h->end + eps)
                violation(r, "route of %s (shift %d) ends at %.3f, after the shift end %.3f", k->id, ro->shift,
                          ready + tt, h->end);
        }
    }
    for (int t = 0; t < T; t++)
        if (count[t] != 1)
            violation(r, "%s %s (task %d) appears %d times (served or unassigned: exactly once)", p->tasks[t].client,
                      p->tasks[t].service, t, count[t]);
    for (int cr = 0; cr < p->ncarers; cr++)
        if (work[cr] > p->carers[cr].max_work + eps)
            violation(r, "%s works %.3f minutes (service and travel), over the maximum %.3f", p->carers[cr].id,
                      work[cr], p->carers[cr].max_work);
    for (int l = 0; l < p->nlinks; l++) {
        const kmt_hhc_link *L = &p->links[l];
        if (L->a < 0 || L->a >= T || L->b < 0 || L->b >= T) continue;
        const kmt_hhc_task *a = &p->tasks[L->a], *b = &p->tasks[L->b];
        int ra = where[L->a], rb = where[L->b];
        if ((ra < 0) != (rb < 0)) {
            violation(r, "%s %s and %s %s are linked: both must be served or both left out", a->client, a->service,
                      b->client, b->service);
            continue;
        }
        if (ra < 0) continue;
        int ca = p->shifts[s->routes[ra].shift].carer, cb = p->shifts[s->routes[rb].shift].carer;
        if (L->carers == KMT_HHC_DIFFERENT && ca == cb)
            violation(r, "%s %s and %s %s need two different carers, both served by %s", a->client, a->service,
                      b->client, b->service, p->carers[ca].id);
        if (L->carers == KMT_HHC_SAME && (ra != rb || order[L->a] >= order[L->b]))
            violation(r, "%s %s must come before %s %s in the same shift", a->client, a->service, b->client,
                      b->service);
        double d = start[L->b] - start[L->a];
        if (d + eps < L->min || d > L->max + eps)
            violation(r, "%s %s starts %.3f minutes after %s %s: expected %g to %g", b->client, b->service, d,
                      a->client, a->service, L->min, L->max);
    }
    r->order_crossing = clients_cross(p, s);
    const kmt_hhc_weights *w = &p->w;
    c->total = w->travel_time * c->travel_time + w->distance * c->distance + w->lateness * c->lateness +
               w->max_lateness * c->max_lateness + w->non_preferred * c->non_preferred + w->unassigned * c->unassigned;
    kmt_free(count);
    kmt_free(where);
    kmt_free(order);
    kmt_free(start);
    kmt_free(work);
    kmt_free(shift_used);
    return r->nviolations ? KMT_EINVAL : 0;
}
