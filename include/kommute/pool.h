/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Carpooling (samkørsel): which trip requests can share one car, exactly for
 * pairs (maximum-weight matching on the shareability graph, Edmonds' blossom
 * algorithm) and for rides of three or more (enumeration of feasible groups
 * plus exact set packing on small components, local search beyond).
 * docs/pool.md states the model; in short:
 *
 * - A trip request: id, person, department, origin, destination, earliest
 *   departure, latest arrival, seats needed (default 1), whether the person
 *   can drive (default yes).
 * - A shared ride: one driver (one of the requests) and passengers; the
 *   driver leaves the driver's origin, picks up each passenger at the
 *   passenger's origin, drops each at the passenger's destination and ends at
 *   the driver's destination, in an order the matcher chooses (pickup before
 *   drop-off). Every person leaves no earlier than their earliest departure
 *   and arrives no later than their latest arrival, and each person's time in
 *   the car is at most their direct travel time plus the detour allowance
 *   (the larger of max_detour_s and max_detour_pct of the direct time).
 *   Seats respected.
 *
 * Units: times are kmt_time (seconds, model.h), travel times whole seconds,
 * distances whole metres. The engine is pure: requests and a travel-time
 * matrix in, rides out. Deterministic: the same input gives the same rides.
 */
#ifndef KOMMUTE_POOL_H
#define KOMMUTE_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/geo.h"
#include "kommute/model.h"

struct kmt_graph;

/* ---- travel times between points ------------------------------------------ */

/* A matrix cell with no path. */
#define KMT_POOL_UNREACH INT32_MAX
/* Largest number of distinct points of one matrix (n*n cells of 8 bytes). */
#define KMT_POOL_MAX_POINTS 12000

/* Durations (s, rounded up: that keeps the triangle inequality of shortest
 * paths) and distances (m, rounded) between n points, row-major. */
typedef struct kmt_pool_matrix {
    uint32_t n;
    int32_t *dur;  /* n*n; KMT_POOL_UNREACH where there is no path */
    int32_t *dist; /* n*n */
} kmt_pool_matrix;

/* Without a road graph: distance = haversine x road_factor, time = distance /
 * speed_kmh. Returns 0, or KMT_ETOOBIG when n > KMT_POOL_MAX_POINTS. */
int kmt_pool_matrix_haversine(const kmt_coord *pts, uint32_t n, double road_factor, double speed_kmh,
                              kmt_pool_matrix *m, kmt_error *e);
/* Up to this many points, a graph matrix is closed under shortest paths
 * (Floyd-Warshall, n^3) so that its durations satisfy the triangle inequality. */
#define KMT_POOL_CLOSURE_MAX 400

/* With a road graph (car profile): snap every point (within max_snap_m) and
 * compute the table with `threads` threads (then the metric closure when
 * n <= KMT_POOL_CLOSURE_MAX). On a point with no road near it returns
 * KMT_ENOTFOUND with *bad_point = its index (and e set). */
int kmt_pool_matrix_graph(const struct kmt_graph *g, const kmt_coord *pts, uint32_t n, double max_snap_m, int threads,
                          kmt_pool_matrix *m, uint32_t *bad_point, kmt_error *e);
void kmt_pool_matrix_destroy(kmt_pool_matrix *m); /* zeroes it; NULL arrays are fine */

/* ---- requests and parameters ---------------------------------------------- */

typedef struct kmt_pool_request {
    const char *id;         /* unique, not empty */
    const char *person;     /* "" if not given */
    const char *department; /* "" if not given */
    kmt_coord origin, dest;
    kmt_time earliest_departure, latest_arrival;
    int seats;     /* seats this request needs (>= 1) */
    int can_drive; /* 1 if the person can be the driver */
    uint32_t o, d; /* matrix points of origin and destination (kmt_pool_index_points) */
} kmt_pool_request;

/*
 * Give each request its matrix points: one point per distinct coordinate
 * (exact equality). Fills r[i].o and r[i].d and returns the number of points,
 * with *pts a new array of them (kmt_free).
 */
uint32_t kmt_pool_index_points(kmt_pool_request *r, size_t n, kmt_coord **pts);

typedef enum { KMT_POOL_OBJ_KM = 0, KMT_POOL_OBJ_CO2 = 1, KMT_POOL_OBJ_COST = 2 } kmt_pool_objective;

typedef struct kmt_pool_opts {
    int max_detour_s;      /* 600 (--max-detour-min 10) */
    double max_detour_pct; /* 50: allowance = max(max_detour_s, pct% of direct) */
    int seats;             /* 5: seats of the car, the driver's included */
    int max_group;         /* 4: persons in one ride, driver included (1 = no sharing) */
    int exact_max;         /* 32: components of at most this many requests are packed exactly (<= 64) */
    long exact_nodes;      /* 2,000,000: branch-and-bound node budget of one component */
    int cap_passengers;    /* 10: in larger components, a driver's groups use only its best
                              * this many pair partners */
} kmt_pool_opts;

void kmt_pool_opts_default(kmt_pool_opts *o);

/* ---- the plan --------------------------------------------------------------- */

enum { KMT_POOL_PICKUP = 0, KMT_POOL_DROPOFF = 1 };

typedef struct kmt_pool_stop {
    uint32_t request; /* index into the request array */
    int kind;         /* KMT_POOL_PICKUP / KMT_POOL_DROPOFF */
    kmt_time time;
} kmt_pool_stop;

/* A shared ride: stops[0] is the driver's pickup (departure), stops[nstops-1]
 * the driver's drop-off (arrival); nstops = 2 * members. */
typedef struct kmt_pool_ride {
    uint32_t driver;
    uint32_t nmembers;   /* driver included */
    uint32_t first_stop; /* index into kmt_pool_plan.stops */
    uint32_t nstops;
    int64_t m_driven; /* along the stops */
    int64_t m_saved;  /* sum of the members' direct metres - m_driven (> 0) */
} kmt_pool_ride;

/* Why a request cannot be shared (it travels alone). */
enum {
    KMT_POOL_OK = 0,
    KMT_POOL_WINDOW_SHORT = 1,  /* latest arrival - earliest departure < direct travel time */
    KMT_POOL_NO_ROUTE = 2,      /* no road path from origin to destination */
    KMT_POOL_TOO_MANY_SEATS = 3 /* needs more seats than the car has */
};

typedef struct kmt_pool_plan {
    size_t nrequests;
    KMT_VEC(kmt_pool_ride) rides; /* shared rides, in order of the driver's departure */
    KMT_VEC(kmt_pool_stop) stops;
    int32_t *ride_of;             /* nrequests: ride index or -1 (alone) */
    int *problem;                 /* nrequests: KMT_POOL_OK or why it cannot share */
    int32_t *direct_s, *direct_m; /* nrequests: direct travel time and distance */
    int64_t m_direct;             /* sum of direct metres of all routable requests */
    int64_t m_driven;             /* rides' metres + direct metres of those alone */
    int64_t m_saved;              /* m_direct - m_driven */
    size_t shared_requests;
    size_t pair_edges; /* edges of the shareability graph */
    size_t groups;     /* feasible groups of 3+ considered */
    size_t components, largest_component;
    size_t heuristic_components; /* components packed by local search (not proven optimal) */
    int exact;                   /* 1 if every component was solved to proven optimality */
    double seconds;              /* time spent in kmt_pool_solve */
} kmt_pool_plan;

void kmt_pool_plan_init(kmt_pool_plan *p);
void kmt_pool_plan_destroy(kmt_pool_plan *p);

/*
 * Plan shared rides for requests r[0..n-1] (points set, see
 * kmt_pool_index_points) on matrix m. Requests with a problem (window
 * shorter than the direct time, no route, too many seats) travel alone and
 * are marked in plan->problem. With max_group 2 the result is optimal
 * (maximum-weight matching); with larger groups it is optimal on every
 * component of at most exact_max requests when the node budget suffices
 * (plan->exact says), and a local-search result beyond.
 * plan must be initialised; returns 0 or KMT_EINVAL (bad parameters).
 */
int kmt_pool_solve(const kmt_pool_request *r, size_t n, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                   kmt_pool_plan *plan, kmt_error *e);

/*
 * The independent checker (separate code from the planner's feasibility):
 * every ride starts with its driver's pickup and ends with the driver's
 * drop-off, the driver can drive, every passenger is picked up before being
 * dropped off, consecutive stops are at least the travel time apart, every
 * person leaves no earlier than their earliest departure and arrives no later
 * than their latest arrival, in-car time within the detour allowance, seats
 * never exceeded, group size within max_group, each request in at most one
 * ride, the ride's metres and savings and the plan's totals add up. Returns 0,
 * or KMT_EINTERNAL with e describing the first violation.
 */
int kmt_pool_check(const kmt_pool_request *r, size_t n, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                   const kmt_pool_plan *plan, kmt_error *e);

/* ---- building blocks (exposed for tests and benchmarks) -------------------- */

/* An edge of a general graph with an integer weight. */
typedef struct kmt_pool_edge {
    uint32_t u, v;
    int64_t w;
} kmt_pool_edge;

/*
 * Maximum-weight matching on a general graph with nv vertices (Edmonds'
 * blossom algorithm, primal-dual, O(nv^3)). Edges with w <= 0 are ignored;
 * no self-loops. mate[v] = the matched vertex or -1. Returns the total weight.
 */
int64_t kmt_pool_matching(uint32_t nv, const kmt_pool_edge *edges, size_t ne, int32_t *mate);

/*
 * The best way for one group to ride together: members[0..k-1] (request
 * indices, 1 <= k <= 6), any member that can drive as the driver, every stop
 * order. Returns 1 and fills *m_driven and the k*2 stops (times scheduled)
 * for the feasible choice with the fewest metres driven, or 0 if none is
 * feasible. Used by the planner; exposed for tests.
 */
int kmt_pool_group_best(const kmt_pool_request *r, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                        const uint32_t *members, int k, int64_t *m_driven, kmt_pool_stop *stops);

/* ---- history: how much could have been pooled -------------------------------- */

typedef struct kmt_pool_analysis_opts {
    kmt_pool_opts pool;
    int flex_s;         /* 900 (--flex-min 15): logged times +- this form the window */
    double road_factor; /* 1.3 (without a graph) */
    double speed_kmh;   /* 50 (without a graph) */
    double max_snap_m;  /* 1000 */
    int threads;        /* for graph tables */
} kmt_pool_analysis_opts;

/* Totals of one group of trips (a department, site, weekday or everything). */
typedef struct kmt_pool_tally {
    const char *key;
    long trips, pooled;   /* eligible trips, and those in a shared ride */
    double km, km_pooled; /* direct km of eligible trips / of pooled ones */
    double km_saved;      /* each ride's saving split over its members by direct km */
} kmt_pool_tally;

typedef KMT_VEC(kmt_pool_tally) kmt_pool_tallies;

#define KMT_POOL_DETOUR_BINS 7 /* detour minutes: 0, (0,2], (2,5], (5,10], (10,15], (15,30], > 30 */

typedef struct kmt_pool_analysis {
    long days;                                                  /* days with at least one eligible trip */
    long fleet_trips, travel_records;                           /* looked at */
    long not_car, round_trips, no_coords, no_times, unroutable; /* not eligible, by reason */
    long widened;                                               /* windows widened to the modelled direct travel time */
    long rides;
    kmt_pool_tally total;
    kmt_pool_tallies by_department, by_site, by_weekday; /* sorted by key; weekdays Monday first */
    long detour_hist[KMT_POOL_DETOUR_BINS];              /* members of shared rides by in-car detour */
    double detour_p50_min, detour_p90_min, detour_max_min;
    int exact; /* every day solved to proven optimality */
    double seconds;
} kmt_pool_analysis;

void kmt_pool_analysis_init(kmt_pool_analysis *a);
void kmt_pool_analysis_destroy(kmt_pool_analysis *a);

/*
 * Day by day over the fleet trips (fleet->trips) and travel records
 * (travel->travel; either set may be NULL): every trip by car with
 * coordinates and distinct ends becomes a request whose window is its
 * logged departure - flex to its logged arrival + flex, the day's requests
 * are planned with kmt_pool_solve (travel times from g, or haversine when g
 * is NULL), and the results are tallied. docs/pool.md lists the rules.
 */
int kmt_pool_analyse(const kmt_dataset *fleet, const kmt_dataset *travel, const struct kmt_graph *g,
                     const kmt_pool_analysis_opts *p, kmt_pool_analysis *out, kmt_error *e);

#endif
