/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Readers and writers of home-care problems and plans (kommute/hhc.h):
 * the Mankowska et al. (2014) text instances, the iolab-uniud HHCRSP JSON
 * instances, and the JSON plan (routes[].caregiver_id, locations[] with
 * patient_id, service_id, arrival_time = start of service, departure_time)
 * that both the solver writes and the checker reads back.
 *
 * Both benchmark formats give the objective of the paper:
 * (distance + total tardiness + maximum tardiness) / 3 with travel time =
 * distance, soft ends of windows, depot = location 0 (and the last node in
 * Mankowska's files). Every number is bounded at parse time; errors name the
 * file, the line (text format) or the JSON path, and the value. Return 0 or
 * KMT_EINVAL / KMT_EIO / KMT_ETOOBIG with e set; on failure p / s are left
 * destroyed (empty). The caller owns the problem / plan (init before,
 * destroy after). Reentrant.
 */
#ifndef KOMMUTE_HHC_IO_H
#define KOMMUTE_HHC_IO_H

#include "kommute/hhc.h"
#include "kommute/json.h"

/* Mankowska text format: nbNodes, nbVehi, nbServi, r, DS, a, x, y, d, p, mind, maxd, e, l. */
int kmt_hhc_parse_mankowska(const char *text, size_t len, const char *file, kmt_hhc_problem *p, kmt_error *e);
int kmt_hhc_read_mankowska(const char *path, kmt_hhc_problem *p, kmt_error *e);

/* iolab-uniud JSON: patients[], services[], caregivers[], central_offices[], distances. */
int kmt_hhc_parse_uniud(const char *text, size_t len, const char *file, kmt_hhc_problem *p, kmt_error *e);
int kmt_hhc_read_uniud(const char *path, kmt_hhc_problem *p, kmt_error *e);

/* The plan as JSON: objective (its parts and the weights), routes, unassigned.
 * stats may be NULL. */
void kmt_hhc_write_solution(kmt_json *j, const kmt_hhc_problem *p, const kmt_hhc_solution *s,
                            const kmt_hhc_solve_stats *stats);
/* Read a plan (ours, or iolab-uniud's with "patient"/"service" keys) for p.
 * Tasks are matched by patient, service and kind; a route without "shift"
 * takes the carer's next unused shift. Start times come from arrival_time. */
int kmt_hhc_parse_solution(const char *text, size_t len, const char *file, const kmt_hhc_problem *p,
                           kmt_hhc_solution *s, kmt_error *e);

#endif
