/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Reading and writing route-planning problems and plans: VROOM's JSON
 * problem and solution shapes (jansson in, kmt_json out) and the
 * Solomon / Gehring-Homberger benchmark text format.
 */
#ifndef KOMMUTE_VRP_IO_H
#define KOMMUTE_VRP_IO_H

#include <stdio.h>

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
int kmt_vrp_parse_solomon(const char *text, const char *name, int convention, kmt_vrp_problem *p,
                          kmt_error *e);

/* Read a VROOM problem (JSON text) into p. Every field is type-checked; an
 * error names the field path, e.g. "jobs[3].time_windows[0]". Jobs and
 * vehicles with coordinates but no matrix index are collected in
 * p->coords (for a road-graph table); if no matrix is given,
 * *needs_matrix is set to 1 and p->nmatrices profiles are created empty
 * (durations NULL), to be filled by the caller. Vehicles' `steps` become
 * their initial routes (kmt_vrp_vehicle.init, arena-owned); `max_distance`
 * is read (its need for distances is checked by kmt_vrp_problem_validate,
 * once matrices from a graph are in). */
int kmt_vrp_parse_json(const char *text, size_t len, const char *name, kmt_vrp_problem *p,
                       int *needs_matrix, kmt_error *e);

/* Load a problem file: Solomon text when convention >= 0, else VROOM JSON.
 * When the JSON has coordinates but no matrices, graph_path (a .kgraph)
 * gives the tables; without it that is an error. Validates the result. */
/* Fill p's matrices from a road graph (src/io/vrp_graph.c). */
int kmt__vrp_graph_matrices(const char *graph_path, kmt_vrp_problem *p, kmt_error *e);

int kmt_vrp_load_problem(const char *path, int convention, const char *graph_path, kmt_vrp_problem *p,
                         kmt_error *e);

/* Read a solution in VROOM's shape back (for `kommute check`): routes'
 * vehicle ids and steps (job/pickup/delivery/break ids), unassigned ids. */
int kmt_vrp_parse_solution_json(const char *text, size_t len, const char *name,
                                const kmt_vrp_problem *p, kmt_vrp_solution *s, kmt_error *e);

/* Write s (checked into r) in VROOM's solution shape. For benchmark
 * problems (p->objective == KMT_VRP_MIN_VEHICLES_COST or no cost) cost is
 * the distance. extra_* go under the "kommute" key. */
void kmt_vrp_write_solution(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                            const kmt_vrp_check_report *r, const kmt_vrp_solve_stats *st);

/* The routes of s drawn along the road graph(s) as a GeoJSON
 * FeatureCollection (one LineString Feature per route, properties vehicle,
 * description, stops, distance, duration). Returns 0 or an error. */
int kmt_vrp_write_geojson(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                          const kmt_vrp_check_report *r, const char *graph_path, kmt_error *e);

#endif
