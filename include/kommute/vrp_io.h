/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Reading and writing route-planning problems and plans: VROOM's JSON
 * problem and solution shapes (jansson in, kmt_json out) and the
 * Solomon / Gehring-Homberger benchmark text format.
 */
#ifndef KOMMUTE_VRP_IO_H
#define KOMMUTE_VRP_IO_H

#include <stdio.h>

#include "kommute/graph.h"
#include "kommute/json.h"
#include "kommute/vrp.h"

typedef enum {
    KMT_SOLOMON_DIMACS = 0, /* arcs truncated to one decimal, minimise distance, unlimited fleet */
    KMT_SOLOMON_CLASSIC = 1 /* exact Euclidean, fewest vehicles then distance, the file's fleet */
} kmt_solomon_convention;

/* "dimacs" / "classic" -> convention, -1 if unknown. */
int kmt_solomon_convention_parse(const char *s);

/* Read a Solomon or Gehring-Homberger text instance into p (initialised by
 * the caller). Job ids are the customer numbers, vehicle ids 1..K.
 * Returns 0 or KMT_EIO/KMT_EINVAL with e naming file and line. */
int kmt_vrp_read_solomon(const char *path, int convention, kmt_vrp_problem *p, kmt_error *e);
/* The same from text in memory (name is used in errors). */
int kmt_vrp_parse_solomon(const char *text, const char *name, int convention, kmt_vrp_problem *p, kmt_error *e);

/* Read a VROOM problem (JSON text) into p. Every field is type-checked; an
 * error names the field path, e.g. "jobs[3].time_windows[0]". Jobs and
 * vehicles with coordinates but no matrix index are collected in
 * p->coords (for a road-graph table); if no matrix is given,
 * *needs_matrix is set to 1 and p->nmatrices profiles are created empty
 * (durations NULL), to be filled by the caller. Vehicles' `steps` become
 * their initial routes (kmt_vrp_vehicle.init, arena-owned); `max_distance`
 * is read (its need for distances is checked by kmt_vrp_problem_validate,
 * once matrices from a graph are in). */
int kmt_vrp_parse_json(const char *text, size_t len, const char *name, kmt_vrp_problem *p, int *needs_matrix,
                       kmt_error *e);

/* ---- road graphs ----------------------------------------------------- */

#define KMT_VRP_MAX_GRAPHS 8 /* graphs in one set (one per travel profile) */

/* One opened road graph of a set, under the name of its profile. */
typedef struct kmt_vrp_graph_entry {
    char profile[32];       /* kmt_profile_name of the graph's profile ("car", ...) */
    char source[256];       /* where it came from (a path), for messages; may be "" */
    const kmt_graph *graph; /* borrowed or owned, see kmt_vrp_graphs */
    kmt_graph *owned;       /* the same graph when the set closes it, else NULL */
} kmt_vrp_graph_entry;

/* The road graphs a problem's profiles use: profile name -> opened graph,
 * at most one per profile. A caller-owned struct: kmt_vrp_graphs_init, then
 * kmt_vrp_graphs_add (borrows a graph the caller keeps open, e.g. the
 * server's) or kmt_vrp_graphs_open (opens files; the set owns those), and
 * kmt_vrp_graphs_destroy (closes only what the set opened). Once filled the
 * set is read-only: several threads may use it (and its graphs) at once. */
typedef struct kmt_vrp_graphs {
    int n;
    kmt_vrp_graph_entry g[KMT_VRP_MAX_GRAPHS];
} kmt_vrp_graphs;

void kmt_vrp_graphs_init(kmt_vrp_graphs *gs);
/* Close the graphs the set opened and empty it. NULL is a no-op. */
void kmt_vrp_graphs_destroy(kmt_vrp_graphs *gs);
/* Add g (borrowed: it must stay open while the set is used) under its
 * profile; source (may be NULL) names it in messages. Returns 0, KMT_EINVAL
 * when the set has a graph of that profile already, KMT_ETOOBIG when full. */
int kmt_vrp_graphs_add(kmt_vrp_graphs *gs, const kmt_graph *g, const char *source, kmt_error *e);
/* Open each of the comma-separated .kgraph paths and add it (owned by the
 * set). The only function here that opens files. On error (e names the
 * file) the graphs opened before stay in the set for kmt_vrp_graphs_destroy. */
int kmt_vrp_graphs_open(kmt_vrp_graphs *gs, const char *paths, kmt_error *e);
/* The graph of `profile`, or NULL (also when gs is NULL). */
const kmt_graph *kmt_vrp_graphs_find(const kmt_vrp_graphs *gs, const char *profile);

/* Fill p's empty matrices (kmt_vrp_parse_json's *needs_matrix) from the
 * graphs of gs: every location is snapped to the nearest road of the
 * profile (within 5 km) and one table per profile is computed (durations
 * rounded to whole seconds, distances in metres; arrays owned by p). Opens
 * no file. Returns 0, KMT_EINVAL (no coordinates, a profile without a graph,
 * a location without a road: e names the field), KMT_EUNREACH (two locations
 * not connected) or KMT_ETOOBIG (more than 20000 locations). */
int kmt_vrp_graph_matrices(const kmt_vrp_graphs *gs, kmt_vrp_problem *p, kmt_error *e);

/* Load a problem file: Solomon text when convention >= 0, else VROOM JSON.
 * When the JSON has coordinates but no matrices, the graphs of gs give the
 * tables (kmt_vrp_graph_matrices); without graphs (gs NULL or empty) that is
 * an error. Validates the result. gs is only read. */
int kmt_vrp_load_problem(const char *path, int convention, const kmt_vrp_graphs *gs, kmt_vrp_problem *p, kmt_error *e);

/* Override the knobs of t (filled by the caller, e.g. kmt_vrp_tuning_default)
 * whose KMT_VRP_* environment variable is set: KMT_VRP_T0 (both start
 * temperatures), KMT_VRP_TF, KMT_VRP_EPOCHS, KMT_VRP_POLISH, KMT_VRP_MOVES,
 * KMT_VRP_SWAPSTAR, KMT_VRP_GRANULAR, KMT_VRP_LS (integers, numbers as in
 * kmt_vrp_tuning), KMT_VRP_PAIR_FULL and KMT_VRP_VERIFY (on when set to
 * anything but "0"). For experiments at the edge (kommute plan,
 * bench/vrptw); the engine reads no environment. *nset (may be NULL): how
 * many of the variables are set. Returns 0, or KMT_EINVAL naming the
 * malformed variable (t then partly overridden). Reads the environment:
 * not to be called while another thread changes it. */
int kmt_vrp_tuning_from_env(kmt_vrp_tuning *t, int *nset, kmt_error *e);

/* Read a solution in VROOM's shape back (for `kommute check`): routes'
 * vehicle ids and steps (job/pickup/delivery/break ids), unassigned ids. */
int kmt_vrp_parse_solution_json(const char *text, size_t len, const char *name, const kmt_vrp_problem *p,
                                kmt_vrp_solution *s, kmt_error *e);

/* Write s (checked into r) in VROOM's solution shape. For benchmark
 * problems (p->objective == KMT_VRP_MIN_VEHICLES_COST or no cost) cost is
 * the distance. extra_* go under the "kommute" key. */
void kmt_vrp_write_solution(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                            const kmt_vrp_check_report *r, const kmt_vrp_solve_stats *st);

/* The routes of s drawn along the road graphs of gs (each route on the
 * graph of its vehicle's profile) as a GeoJSON FeatureCollection (one
 * LineString Feature per route, properties vehicle, description, stops,
 * distance in metres and duration in seconds from the report r). Opens no
 * file. Returns 0 or an error (no coordinates, no graph of a profile, a
 * stop without a road). */
int kmt_vrp_write_geojson(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                          const kmt_vrp_check_report *r, const kmt_vrp_graphs *gs, kmt_error *e);

#endif
