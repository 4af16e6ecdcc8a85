/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The route planner: a vehicle-routing problem with time windows (VROOM's
 * model: jobs, shipments, vehicles with breaks, skills, capacities, costs),
 * a ruin-and-recreate solver with simulated annealing and fleet
 * minimisation, and an independent feasibility checker.
 *
 * Engine rules: no I/O. The io module fills a kmt_vrp_problem (from VROOM
 * JSON or Solomon text); kmt_vrp_solve returns a kmt_vrp_solution;
 * kmt_vrp_check recomputes the schedule and the cost from the problem alone
 * (it shares no code with the solver's bookkeeping).
 *
 * Units: times and durations are doubles in the problem's time unit
 * (seconds for VROOM problems, the file's unit for Solomon); amounts are
 * integers. The solver works on integers: times are multiplied by
 * time_scale and rounded up (so a plan the solver thinks feasible is
 * feasible in exact arithmetic), costs by cost_scale and rounded.
 */
#ifndef KOMMUTE_VRP_H
#define KOMMUTE_VRP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/geo.h"

#define KMT_VRP_MAX_DIMS 16   /* capacity dimensions */
#define KMT_VRP_MAX_SKILLS 64 /* distinct skill values (kept as a bit mask) */
#define KMT_VRP_INF 1e300     /* "no limit" for times */

/*
 * Input bounds (docs/vrp.md, "Input bounds"), checked by the readers and
 * again by kmt_vrp_problem_validate, so that no sum in the solver's int64
 * arithmetic or the checker's doubles can overflow or lose precision.
 */
#define KMT_VRP_MAX_TASKS 100000 /* jobs + 2 x shipments */
#define KMT_VRP_MAX_VEHICLES 100000
#define KMT_VRP_MAX_LOCS 20000 /* matrix rows */
#define KMT_VRP_MAX_BREAKS 100 /* breaks of one vehicle */
/* Every time, duration, distance and cost value (time windows, matrix cells,
 * service, setup, max_travel_time, max_distance, costs.fixed/per_hour/
 * per_km): at most 2^32 - 1, VROOM's own 32-bit range. */
#define KMT_VRP_MAX_VALUE 4294967295.0
#define KMT_VRP_MAX_AMOUNT 1000000000000LL /* an amount or capacity (10^12) */
#define KMT_VRP_MIN_SPEED_FACTOR 0.01
#define KMT_VRP_MAX_SPEED_FACTOR 5.0
/* The longest conceivable route time and the dearest conceivable plan, in
 * the solver's integer units (x time_scale, x cost_scale), stay below this. */
#define KMT_VRP_MAX_SCALED 1e17

typedef struct kmt_vrp_tw {
    double start, end; /* start <= end, in the problem's time unit */
} kmt_vrp_tw;

typedef enum {
    KMT_VRP_JOB = 0,     /* a single visit */
    KMT_VRP_PICKUP = 1,  /* pickup half of a shipment */
    KMT_VRP_DELIVERY = 2 /* delivery half of a shipment */
} kmt_vrp_kind;

/* A task is a job or one half of a shipment. Loads: a vehicle leaves its
 * start carrying the `delivery` of every JOB on its route; at each task the
 * load changes by pickup - delivery (a shipment's pickup has pickup = amount,
 * its delivery has delivery = amount). */
typedef struct kmt_vrp_task {
    int kind;       /* kmt_vrp_kind */
    int64_t id;     /* the user's id (job id, or shipment step id) */
    int loc;        /* matrix index */
    double service; /* duration of the visit */
    double setup;   /* extra time when the previous stop is elsewhere */
    int ntw;        /* 0: any time */
    kmt_vrp_tw *tw; /* ntw windows, sorted, disjoint */
    int64_t delivery[KMT_VRP_MAX_DIMS];
    int64_t pickup[KMT_VRP_MAX_DIMS];
    uint64_t skills;   /* required skills (bit mask) */
    int priority;      /* 0..100: higher is served first when not all fit */
    int partner;       /* other half of a shipment, -1 for a job */
    char *description; /* may be NULL */
} kmt_vrp_task;

typedef struct kmt_vrp_break {
    int64_t id;
    int ntw; /* 0: any time within the vehicle's window */
    kmt_vrp_tw *tw;
    double service;
    int has_max_load;                   /* 1: the break is taken only with a load of at most max_load */
    int64_t max_load[KMT_VRP_MAX_DIMS]; /* per dimension (VROOM's max_load), with has_max_load */
    char *description;
} kmt_vrp_break;

typedef struct kmt_vrp_vehicle {
    int64_t id;
    int start, end; /* matrix index, -1 when absent */
    kmt_vrp_tw tw;  /* working time; default [0, KMT_VRP_INF] */
    int has_capacity;
    int64_t capacity[KMT_VRP_MAX_DIMS];
    uint64_t skills;                /* skills the vehicle has */
    int profile;                    /* index into problem->matrices */
    double speed_factor;            /* travel times are divided by it (default 1) */
    int max_tasks;                  /* -1: no limit */
    double max_travel_time;         /* < 0: no limit */
    double max_distance;            /* metres of travel; < 0: no limit (needs the profile's distances) */
    double fixed, per_hour, per_km; /* VROOM costs (defaults 0, 3600, 0) */
    int nbreaks;
    kmt_vrp_break *breaks; /* taken in this order, each exactly once if the vehicle is used */
    int ninit;             /* VROOM's vehicle steps: an initial route for the search */
    int *init;             /* ninit task indices in order (breaks, start, end dropped);
                                arena-owned; NULL when absent */
    char *description;
} kmt_vrp_vehicle;

/* One travel profile's square matrices (n x n, row-major). durations is
 * required; distances and costs may be NULL. */
typedef struct kmt_vrp_matrix {
    char name[32];
    size_t n;
    double *durations, *distances, *costs;
} kmt_vrp_matrix;

typedef enum {
    KMT_VRP_MIN_COST = 0,         /* VROOM: serve all (priority first), then total cost */
    KMT_VRP_MIN_VEHICLES_COST = 1 /* classic benchmark: fewest vehicles, then cost */
} kmt_vrp_objective;

typedef struct kmt_vrp_problem {
    char name[64];
    int ndims; /* capacity dimensions used (0..KMT_VRP_MAX_DIMS) */
    int ntasks, nvehicles, nmatrices;
    kmt_vrp_task *tasks;
    kmt_vrp_vehicle *vehicles;
    kmt_vrp_matrix *matrices;
    size_t nlocs;      /* every loc index is < nlocs */
    kmt_coord *coords; /* nlocs, may be NULL */
    int objective;     /* kmt_vrp_objective */
    double time_scale; /* solver integer time units per problem unit (1, 10, 1e6) */
    double cost_scale; /* solver integer cost units per cost unit */
    int round_times;   /* 1: speed-adjusted travel times are rounded to integers */
    kmt_arena arena;   /* owns tasks' windows, strings, ... */
} kmt_vrp_problem;

void kmt_vrp_problem_init(kmt_vrp_problem *p);
void kmt_vrp_problem_destroy(kmt_vrp_problem *p);
/* Structural validation (indices in range, windows sorted, matrices present,
 * non-negative durations). Returns 0 or KMT_EINVAL with e naming the field. */
int kmt_vrp_problem_validate(const kmt_vrp_problem *p, kmt_error *e);

/* A route: the vehicle and its stops. A stop is a task index (>= 0) or a
 * break, encoded as -(1 + index into the vehicle's breaks). */
typedef struct kmt_vrp_route {
    int vehicle;
    int nstops;
    int *stops; /* owned */
} kmt_vrp_route;

/* Why a task was left out. */
enum {
    KMT_VRP_UNASSIGNED_NONE = 0,
    KMT_VRP_UNASSIGNED_SKILLS = 1,   /* no vehicle has the skills */
    KMT_VRP_UNASSIGNED_CAPACITY = 2, /* larger than every vehicle */
    KMT_VRP_UNASSIGNED_TIME = 3,     /* no vehicle can reach it in its window */
    KMT_VRP_UNASSIGNED_NOFIT = 4     /* fits alone, but not with the rest of the plan */
};
const char *kmt_vrp_reason_text(int reason);

typedef struct kmt_vrp_solution {
    int nroutes;
    kmt_vrp_route *routes;
    int nunassigned;
    int *unassigned; /* task indices */
    int *reason;     /* KMT_VRP_UNASSIGNED_* per unassigned task */
} kmt_vrp_solution;

void kmt_vrp_solution_init(kmt_vrp_solution *s);
void kmt_vrp_solution_destroy(kmt_vrp_solution *s);

/* ---- solving -------------------------------------------------------- */

typedef void (*kmt_vrp_progress_fn)(void *ctx, double seconds, int vehicles, double cost, int unassigned);

/* The search's knobs, as data: for experiments, benchmarks and tests (the
 * engine reads no environment). Temperatures are in units of a tenth of the
 * mean cost of the arc from a task to its 5th-nearest neighbour. The
 * defaults (kmt_vrp_tuning_default) are the measured ones (docs/vrp.md,
 * docs/benchmarks.md); plans depend on these values. */
typedef struct kmt_vrp_tuning {
    double t0_cost;     /* start temperature under KMT_VRP_MIN_COST (default 10), > 0 */
    double t0_vehicles; /* start temperature under KMT_VRP_MIN_VEHICLES_COST (default 100), > 0 */
    double tf;          /* final temperature (default 0.1), > 0 */
    int epochs;         /* epochs of the run, 1..100000 (default 32): polish and thread meeting at each end */
    int polish;         /* 1 (default): polish the best plan with every move at the end of each epoch; 0: no */
    int moves;          /* 1: every local-search move during the annealing too; 0 (default): relocate, 2-opt* */
    int swap_star;      /* 1 (default): SWAP* among the polish's moves; 0: not */
    int granular;       /* nearest neighbours looked at first by insertion and local search (default 20);
                           <= 0: every position, and no local search */
    int local_search;   /* 0: none, 1: on every candidate, 2 (default): on candidates better than the current plan */
    int pair_full;      /* 1: shipments inserted by full evaluation (for comparison); 0 (default): O(len^2) */
    int verify;         /* 1: abort when a local-search move's predicted route cost or feasibility is
                           wrong (tests); 0 (default) */
} kmt_vrp_tuning;

/* Fill t with the measured defaults. */
void kmt_vrp_tuning_default(kmt_vrp_tuning *t);

typedef struct kmt_vrp_solve_opts {
    double time_limit; /* seconds (wall clock), > 0 */
    long iterations;   /* > 0: stop after this many (deterministic); 0: time only */
    uint64_t seed;
    volatile sig_atomic_t *stop;  /* set to non-zero (e.g. by SIGINT) to stop early; may be NULL */
    kmt_vrp_progress_fn progress; /* called on each new best; may be NULL */
    void *progress_ctx;
    int max_vehicles;             /* > 0: use at most this many vehicles */
    int cpu_clock;                /* 1: time_limit counts each thread's CPU time (benchmarks on a shared machine) */
    int threads;                  /* searching threads (default 1); the result depends on the seed and this count */
    const kmt_vrp_tuning *tuning; /* NULL (default): kmt_vrp_tuning_default; borrowed for the call,
                                     read by every thread */
} kmt_vrp_solve_opts;

void kmt_vrp_solve_opts_default(kmt_vrp_solve_opts *o);

typedef struct kmt_vrp_solve_stats {
    long iterations;
    double seconds;
    double seconds_to_best;
    int vehicles; /* routes in the returned plan */
    double cost;  /* solver's objective (travel cost, no fixed) in cost units */
    double fixed_cost;
    int unassigned;
    int stopped;                 /* 1 if stopped by opts->stop */
    int initial_routes_used;     /* vehicles' given routes (steps) the search started from */
    int initial_routes_rejected; /* given routes left out because they are infeasible */
} kmt_vrp_solve_stats;

/* Solve p (validated) and write the best plan found into out (initialised by
 * the caller, overwritten). Deterministic for a seed (and thread count and
 * tuning) when stopped by opts->iterations. Runs opts->threads threads of
 * its own and joins them before returning; p and opts are only read.
 * Returns 0, or KMT_EINVAL / KMT_ETOOBIG (e set, out untouched) when the
 * tuning is out of range or the problem too large for the solver's limits. */
int kmt_vrp_solve(const kmt_vrp_problem *p, const kmt_vrp_solve_opts *opts, kmt_vrp_solution *out,
                  kmt_vrp_solve_stats *stats, kmt_error *e);

/* ---- checking ------------------------------------------------------- */

/* The schedule of one stop as recomputed by the checker. */
typedef struct kmt_vrp_step {
    double arrival, waiting, setup, service, start; /* start = service start */
    double travel_time, distance;                   /* cumulative up to this stop */
    int64_t load[KMT_VRP_MAX_DIMS];                 /* after the stop */
} kmt_vrp_step;

typedef struct kmt_vrp_route_report {
    double cost, duration, distance, waiting, service, setup;
    double start_time, end_time; /* leaving the start, arriving at the end */
    int64_t start_load[KMT_VRP_MAX_DIMS], end_load[KMT_VRP_MAX_DIMS];
    kmt_vrp_step *steps; /* nstops, owned by the report */
} kmt_vrp_route_report;

typedef struct kmt_vrp_check_report {
    int feasible; /* 1 if no violation */
    int nviolations;
    char first[512]; /* the first violation, in words */
    int vehicles;    /* non-empty routes */
    double cost;     /* travel cost + fixed costs (VROOM), or distance (benchmarks) */
    double distance, duration, waiting, service, setup;
    int unassigned;
    int priority_unassigned;
    kmt_vrp_route_report *routes; /* one per solution route */
    int nroutes;
} kmt_vrp_check_report;

/* Independently recompute every route of s on p: each task at most once,
 * every task either routed or listed unassigned, vehicles used once,
 * skills, shipment order (pickup before delivery, same route), capacity in
 * every dimension at every point, time windows (earliest schedule, waiting
 * allowed), breaks (each of a used vehicle's breaks once, in its window),
 * max tasks, max travel time, max distance, the vehicle's working time. Fills r (caller
 * frees with kmt_vrp_check_report_destroy). Returns 0 when feasible,
 * KMT_EINVAL otherwise (r->first says why). */
int kmt_vrp_check(const kmt_vrp_problem *p, const kmt_vrp_solution *s, kmt_vrp_check_report *r);
void kmt_vrp_check_report_destroy(kmt_vrp_check_report *r);

#endif
