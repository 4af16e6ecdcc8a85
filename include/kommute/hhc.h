/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Home-care routing and scheduling (HHCRSP): carers visit clients within
 * time windows, with skills, double-staffed (synchronised) visits, ordered
 * visits of one client, preferred / forbidden / pinned carers, key pickups
 * and several shifts per carer. A pure engine: the problem and the plan are
 * plain structs; readers and writers live in src/io (kommute/hhc_io.h).
 *
 * The model is task based. A task is one carer's part of a visit: a visit
 * that needs two carers is two tasks joined by a link with [0, 0] (same
 * start, different carers); "B starts 30-45 minutes after A" is a link with
 * [30, 45]; a key fetched from an office is a pickup task and a return task
 * linked to the visit with KMT_HHC_SAME (same shift, pickup before, return
 * after). Tasks joined by links form a group that the solver inserts and
 * removes as one.
 *
 * Units: times in minutes from the start of the day (doubles); distances in
 * whatever unit the matrices use (metres for real data, the benchmark's
 * Euclidean units for Mankowska). Matrices are given, one per travel mode.
 *
 * Threads: a problem is read-only during a solve or a check; several solves
 * on one problem may run at once. Every function is reentrant.
 */
#ifndef KOMMUTE_HHC_H
#define KOMMUTE_HHC_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"

#define KMT_HHC_MAX_SKILLS 64 /* skills are bits of a uint64_t */
#define KMT_HHC_MAX_TASKS 100000
#define KMT_HHC_MAX_SHIFTS 10000
#define KMT_HHC_MAX_LOCATIONS 20000
#define KMT_HHC_MAX_MODES 8
#define KMT_HHC_NO_LIMIT 1e9 /* "no limit" for times (minutes) */
#define KMT_HHC_MAX_TIME 1e8 /* every time value is bounded by this at parse time */

typedef enum { KMT_HHC_VISIT = 0, KMT_HHC_KEY_PICKUP = 1, KMT_HHC_KEY_RETURN = 2 } kmt_hhc_kind;

/* Carer rule of a link between two tasks. */
typedef enum {
    KMT_HHC_ANY = 0,       /* any carers, the same one included */
    KMT_HHC_DIFFERENT = 1, /* two different carers (double-staffed visits) */
    KMT_HHC_SAME = 2       /* the same shift, a before b in it (key pickup / return) */
} kmt_hhc_carers;

typedef struct kmt_hhc_task {
    char *client;      /* client id ("p8"), owned; tasks of one client share it */
    char *service;     /* service id ("s5"), owned; may be "" */
    kmt_hhc_kind kind; /* visit, key pickup or key return */
    int location;      /* index into the matrices, 0 <= location < nlocations */
    double earliest;   /* earliest start of service (minutes); carers wait before it */
    double latest;     /* latest start of service (minutes) */
    int soft;          /* 0: latest is hard; 1: starting after latest costs w.lateness per minute */
    double duration;   /* minutes of service */
    uint64_t skills;   /* required skills (bit i = skill i); the carer must have all */
    int pin;           /* carer index that must serve it, or -1 */
    int *preferred;    /* carer indices (owned); a task served by another costs w.non_preferred */
    int npreferred;    /* 0: no preference */
    int *forbidden;    /* carer indices that may not serve it (owned) */
    int nforbidden;
} kmt_hhc_task;

typedef struct kmt_hhc_link {
    int a, b;        /* task indices, a != b */
    double min, max; /* start(b) - start(a) must lie in [min, max] minutes (hard) */
    kmt_hhc_carers carers;
} kmt_hhc_link;

typedef struct kmt_hhc_carer {
    char *id;        /* owned */
    uint64_t skills; /* skills held */
    int mode;        /* travel mode: index of the matrices used, 0 <= mode < nmodes */
    double max_work; /* minutes of service plus travel over all its shifts; KMT_HHC_NO_LIMIT: none */
} kmt_hhc_carer;

typedef struct kmt_hhc_shift {
    int carer;    /* carer index */
    double start; /* leaves start_location at this time at the earliest (minutes) */
    double end;   /* back at end_location by this time (hard); KMT_HHC_NO_LIMIT: none */
    int start_location, end_location;
} kmt_hhc_shift;

/* Objective weights: cost = travel_time * minutes driven + distance * distance
 * + lateness * total minutes late + max_lateness * the largest lateness
 * + non_preferred * tasks served by a non-preferred carer + unassigned * tasks left out. */
typedef struct kmt_hhc_weights {
    double travel_time, distance, lateness, max_lateness, non_preferred, unassigned;
} kmt_hhc_weights;

/* Set the defaults: travel time 1, distance 0, lateness 1, max lateness 0,
 * non-preferred 30, unassigned 100000. */
void kmt_hhc_weights_default(kmt_hhc_weights *w);

typedef struct kmt_hhc_problem {
    char *name; /* owned, may be NULL */
    int nlocations, nmodes;
    double *time;       /* nmodes * nlocations^2 minutes, [m][i][j] = i -> j; owned */
    double *dist;       /* the same shape, distances; owned */
    int nskills;        /* <= KMT_HHC_MAX_SKILLS */
    char **skill_names; /* nskills names, owned */
    kmt_hhc_task *tasks;
    int ntasks;
    kmt_hhc_link *links;
    int nlinks;
    kmt_hhc_carer *carers;
    int ncarers;
    kmt_hhc_shift *shifts;
    int nshifts;
    kmt_hhc_weights w;
} kmt_hhc_problem;

/* An empty problem with default weights. */
void kmt_hhc_problem_init(kmt_hhc_problem *p);
/* Frees everything the problem owns; the struct may be reused after init. */
void kmt_hhc_problem_destroy(kmt_hhc_problem *p);
/* Allocate zeroed matrices for nmodes modes and nlocations locations.
 * Returns 0, or KMT_ETOOBIG (over the limits) with e set. */
int kmt_hhc_problem_matrices(kmt_hhc_problem *p, int nlocations, int nmodes, kmt_error *e);
/* Travel time / distance from location i to j for carer mode m. */
static inline double kmt_hhc_time(const kmt_hhc_problem *p, int m, int i, int j)
{
    return p->time[((size_t)m * (size_t)p->nlocations + (size_t)i) * (size_t)p->nlocations + (size_t)j];
}
static inline double kmt_hhc_dist(const kmt_hhc_problem *p, int m, int i, int j)
{
    return p->dist[((size_t)m * (size_t)p->nlocations + (size_t)i) * (size_t)p->nlocations + (size_t)j];
}
/* Check indices, bounds and ranges of every field (readers call it last).
 * Returns 0 or KMT_EINVAL with e naming the task / link / carer and the value. */
int kmt_hhc_problem_validate(const kmt_hhc_problem *p, kmt_error *e);

/* ---- plans ---------------------------------------------------------- */

typedef struct kmt_hhc_route {
    int shift;     /* shift index */
    int n;         /* number of tasks */
    int *tasks;    /* task indices in visiting order (owned) */
    double *start; /* start of service of each task (minutes, owned) */
} kmt_hhc_route;

/* The parts of the objective (unweighted) and the weighted total. */
typedef struct kmt_hhc_cost {
    double travel_time, distance, lateness, max_lateness;
    int non_preferred, unassigned;
    double total;
} kmt_hhc_cost;

typedef struct kmt_hhc_solution {
    kmt_hhc_route *routes; /* one per shift, in shift order (solver output); owned */
    int nroutes;
    int *unassigned; /* task indices not served (owned) */
    int nunassigned;
    kmt_hhc_cost cost; /* as computed by whoever filled the plan */
} kmt_hhc_solution;

void kmt_hhc_solution_init(kmt_hhc_solution *s);
void kmt_hhc_solution_destroy(kmt_hhc_solution *s);

/* ---- solving -------------------------------------------------------- */

typedef struct kmt_hhc_solve_opts {
    double time_limit;  /* seconds of CPU of the calling thread (default 10; 0: no limit) */
    long iterations;    /* ruin-and-recreate iterations (default 0: no limit) */
    uint64_t seed;      /* default 1 */
    volatile int *stop; /* when non-NULL and set non-zero, the search stops (Ctrl-C) */
} kmt_hhc_solve_opts;

void kmt_hhc_solve_opts_default(kmt_hhc_solve_opts *o);

typedef struct kmt_hhc_solve_stats {
    long iterations;
    double seconds;         /* CPU seconds of the search */
    double seconds_to_best; /* CPU seconds when the best plan was found */
    double initial_cost;
} kmt_hhc_solve_stats;

/*
 * Construct a plan (greedy insertion of groups, each double-staffed visit
 * into two shifts at a common start) and improve it by ruin and recreate
 * with simulated annealing, until the time or iteration limit (at least one
 * must be set). Start times are the earliest feasible schedule of the
 * chosen sequences (waiting when early), which is optimal for them.
 * One thread. With the same seed and an iteration limit (time_limit 0) the
 * plan is the same on every run. The solution is caller-owned (init before,
 * destroy after); stats may be NULL. Returns 0, KMT_EINVAL if the problem
 * is invalid (e set) or neither limit is set.
 */
int kmt_hhc_solve(const kmt_hhc_problem *p, const kmt_hhc_solve_opts *o, kmt_hhc_solution *s,
                  kmt_hhc_solve_stats *stats, kmt_error *e);

/* ---- the independent checker ------------------------------------------ */

#define KMT_HHC_CHECK_EPS 0.01 /* minutes of tolerance on times read from files */

typedef struct kmt_hhc_check_report {
    int nviolations;
    char first[512];    /* the first violation found, "" if none */
    kmt_hhc_cost cost;  /* recomputed from the problem and the plan's times */
    int order_crossing; /* 1 if no single order of the clients agrees with every route
                              * (allowed; the benchmark literature's plans never do it) */
} kmt_hhc_check_report;

/*
 * Verify a plan against the problem alone (shares no code with the solver):
 * each task served exactly once or listed unassigned; shift and carer
 * indices; skills, pins, forbidden carers; start times not before the
 * window, not after a hard window, reachable from the previous task (travel
 * plus service) and from the shift start; back by the shift end; links
 * (start difference, different / same carers, order in the shift); max
 * working time per carer. Recomputes the objective from the plan's times
 * and reports whether the routes visit clients in orders that cross.
 * Returns 0 if feasible, KMT_EINVAL if not (report says why).
 */
int kmt_hhc_check(const kmt_hhc_problem *p, const kmt_hhc_solution *s, kmt_hhc_check_report *r);

#endif
