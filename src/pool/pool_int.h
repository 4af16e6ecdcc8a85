/* SPDX-License-Identifier: MPL-2.0 */
/* Internal to src/pool: shared between the planner files (not the checker). */
#ifndef KOMMUTE_POOL_INT_H
#define KOMMUTE_POOL_INT_H

#include "kommute/pool.h"

/* Largest ride (persons, driver included) the planner handles. */
#define KMT_POOL_KMAX 5

/* Time in the car allowed to a request with direct time T: T plus the larger
 * of max_detour_s and max_detour_pct % of T (floored to whole seconds). */
int32_t kmt__pool_allow(const kmt_pool_opts *p, int32_t T);

/* kmt_pool_group_best restricted to one driver: members[driver] (or any
 * member that can drive when driver < 0). */
int kmt__pool_group_eval(const kmt_pool_request *r, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                         const uint32_t *members, int k, int driver, int64_t *m_driven, kmt_pool_stop *stops);

/* Matrix cell lookups. */
static inline int32_t kmt__dur(const kmt_pool_matrix *m, uint32_t a, uint32_t b)
{
    return m->dur[(size_t)a * m->n + b];
}
static inline int32_t kmt__dist(const kmt_pool_matrix *m, uint32_t a, uint32_t b)
{
    return m->dist[(size_t)a * m->n + b];
}

#endif
