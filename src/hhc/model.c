/* SPDX-License-Identifier: MPL-2.0 */
/* Home-care model: life cycle and validation of problems and plans. */
#include <math.h>
#include <string.h>

#include "kommute/hhc.h"

void kmt_hhc_weights_default(kmt_hhc_weights *w)
{
    w->travel_time = 1;
    w->distance = 0;
    w->lateness = 1;
    w->max_lateness = 0;
    w->non_preferred = 30;
    w->unassigned = 100000;
}

void kmt_hhc_problem_init(kmt_hhc_problem *p)
{
    memset(p, 0, sizeof *p);
    kmt_hhc_weights_default(&p->w);
}

void kmt_hhc_problem_destroy(kmt_hhc_problem *p)
{
    if (!p) return;
    kmt_free(p->name);
    kmt_free(p->time);
    kmt_free(p->dist);
    for (int i = 0; i < p->nskills; i++) kmt_free(p->skill_names[i]);
    kmt_free(p->skill_names);
    for (int i = 0; i < p->ntasks; i++) {
        kmt_free(p->tasks[i].client);
        kmt_free(p->tasks[i].service);
        kmt_free(p->tasks[i].preferred);
        kmt_free(p->tasks[i].forbidden);
    }
    kmt_free(p->tasks);
    kmt_free(p->links);
    for (int i = 0; i < p->ncarers; i++) kmt_free(p->carers[i].id);
    kmt_free(p->carers);
    kmt_free(p->shifts);
    memset(p, 0, sizeof *p);
}

int kmt_hhc_problem_matrices(kmt_hhc_problem *p, int nlocations, int nmodes, kmt_error *e)
{
    if (nlocations < 1 || nlocations > KMT_HHC_MAX_LOCATIONS)
        return kmt_error_set(e, KMT_ETOOBIG, "%d locations: expected 1 to %d", nlocations, KMT_HHC_MAX_LOCATIONS);
    if (nmodes < 1 || nmodes > KMT_HHC_MAX_MODES)
        return kmt_error_set(e, KMT_ETOOBIG, "%d travel modes: expected 1 to %d", nmodes, KMT_HHC_MAX_MODES);
    size_t n = (size_t)nlocations * (size_t)nlocations * (size_t)nmodes;
    kmt_free(p->time);
    kmt_free(p->dist);
    p->time = kmt_calloc(n, sizeof(double));
    p->dist = kmt_calloc(n, sizeof(double));
    p->nlocations = nlocations;
    p->nmodes = nmodes;
    return 0;
}

static int bad_time(double t)
{
    return !(t >= -KMT_HHC_MAX_TIME && t <= KMT_HHC_NO_LIMIT);
}

int kmt_hhc_problem_validate(const kmt_hhc_problem *p, kmt_error *e)
{
    if (p->ntasks < 0 || p->ntasks > KMT_HHC_MAX_TASKS)
        return kmt_error_set(e, KMT_ETOOBIG, "%d tasks: expected at most %d", p->ntasks, KMT_HHC_MAX_TASKS);
    if (p->nshifts < 1 || p->nshifts > KMT_HHC_MAX_SHIFTS)
        return kmt_error_set(e, KMT_EINVAL, "%d shifts: expected 1 to %d", p->nshifts, KMT_HHC_MAX_SHIFTS);
    if (p->nlocations < 1 || !p->time || !p->dist || p->nmodes < 1)
        return kmt_error_set(e, KMT_EINVAL, "the problem has no travel matrices");
    if (p->nskills < 0 || p->nskills > KMT_HHC_MAX_SKILLS)
        return kmt_error_set(e, KMT_EINVAL, "%d skills: expected at most %d", p->nskills, KMT_HHC_MAX_SKILLS);
    size_t nn = (size_t)p->nlocations * (size_t)p->nlocations * (size_t)p->nmodes;
    for (size_t i = 0; i < nn; i++)
        if (!(p->time[i] >= 0 && p->time[i] <= KMT_HHC_MAX_TIME) || !(p->dist[i] >= 0 && p->dist[i] <= 1e12))
            return kmt_error_set(e, KMT_EINVAL, "matrix cell %zu: travel time %g / distance %g out of range", i,
                                 p->time[i], p->dist[i]);
    for (int c = 0; c < p->ncarers; c++) {
        const kmt_hhc_carer *k = &p->carers[c];
        if (k->mode < 0 || k->mode >= p->nmodes)
            return kmt_error_set(e, KMT_EINVAL, "carer %s: mode %d, expected 0 to %d", k->id, k->mode, p->nmodes - 1);
        if (!(k->max_work >= 0 && k->max_work <= KMT_HHC_NO_LIMIT))
            return kmt_error_set(e, KMT_EINVAL, "carer %s: max_work %g out of range", k->id, k->max_work);
    }
    for (int s = 0; s < p->nshifts; s++) {
        const kmt_hhc_shift *h = &p->shifts[s];
        if (h->carer < 0 || h->carer >= p->ncarers)
            return kmt_error_set(e, KMT_EINVAL, "shift %d: carer %d does not exist", s, h->carer);
        if (h->start_location < 0 || h->start_location >= p->nlocations || h->end_location < 0 ||
            h->end_location >= p->nlocations)
            return kmt_error_set(e, KMT_EINVAL, "shift %d: location out of range", s);
        if (bad_time(h->start) || bad_time(h->end) || h->end < h->start)
            return kmt_error_set(e, KMT_EINVAL, "shift %d: start %g / end %g out of range", s, h->start, h->end);
    }
    for (int t = 0; t < p->ntasks; t++) {
        const kmt_hhc_task *k = &p->tasks[t];
        if (k->location < 0 || k->location >= p->nlocations)
            return kmt_error_set(e, KMT_EINVAL, "task %d (%s %s): location %d out of range", t, k->client, k->service,
                                 k->location);
        if (bad_time(k->earliest) || bad_time(k->latest) || k->latest < k->earliest)
            return kmt_error_set(e, KMT_EINVAL, "task %d (%s %s): window [%g, %g] out of range", t, k->client,
                                 k->service, k->earliest, k->latest);
        if (!(k->duration >= 0 && k->duration <= KMT_HHC_MAX_TIME))
            return kmt_error_set(e, KMT_EINVAL, "task %d (%s %s): duration %g out of range", t, k->client, k->service,
                                 k->duration);
        if (k->pin < -1 || k->pin >= p->ncarers)
            return kmt_error_set(e, KMT_EINVAL, "task %d (%s %s): pin %d out of range", t, k->client, k->service,
                                 k->pin);
        for (int i = 0; i < k->npreferred; i++)
            if (k->preferred[i] < 0 || k->preferred[i] >= p->ncarers)
                return kmt_error_set(e, KMT_EINVAL, "task %d: preferred carer %d out of range", t, k->preferred[i]);
        for (int i = 0; i < k->nforbidden; i++)
            if (k->forbidden[i] < 0 || k->forbidden[i] >= p->ncarers)
                return kmt_error_set(e, KMT_EINVAL, "task %d: forbidden carer %d out of range", t, k->forbidden[i]);
    }
    for (int l = 0; l < p->nlinks; l++) {
        const kmt_hhc_link *k = &p->links[l];
        if (k->a < 0 || k->a >= p->ntasks || k->b < 0 || k->b >= p->ntasks || k->a == k->b)
            return kmt_error_set(e, KMT_EINVAL, "link %d: tasks %d and %d out of range", l, k->a, k->b);
        if (!(k->min >= -KMT_HHC_NO_LIMIT && k->max <= KMT_HHC_NO_LIMIT && k->min <= k->max))
            return kmt_error_set(e, KMT_EINVAL, "link %d: [%g, %g] is not an interval", l, k->min, k->max);
        if (k->carers < KMT_HHC_ANY || k->carers > KMT_HHC_SAME)
            return kmt_error_set(e, KMT_EINVAL, "link %d: carer rule %d unknown", l, (int)k->carers);
    }
    const kmt_hhc_weights *w = &p->w;
    double ws[6] = { w->travel_time, w->distance, w->lateness, w->max_lateness, w->non_preferred, w->unassigned };
    for (int i = 0; i < 6; i++)
        if (!(ws[i] >= 0 && ws[i] <= 1e9))
            return kmt_error_set(e, KMT_EINVAL, "weight %d is %g: expected 0 to 1e9", i, ws[i]);
    return 0;
}

void kmt_hhc_solution_init(kmt_hhc_solution *s)
{
    memset(s, 0, sizeof *s);
}

void kmt_hhc_solution_destroy(kmt_hhc_solution *s)
{
    if (!s) return;
    for (int r = 0; r < s->nroutes; r++) {
        kmt_free(s->routes[r].tasks);
        kmt_free(s->routes[r].start);
    }
    kmt_free(s->routes);
    kmt_free(s->unassigned);
    memset(s, 0, sizeof *s);
}

void kmt_hhc_solve_opts_default(kmt_hhc_solve_opts *o)
{
    o->time_limit = 10;
    o->iterations = 0;
    o->seed = 1;
    o->stop = NULL;
}
