/* SPDX-License-Identifier: MPL-2.0 */
/* Travel matrices for a route-planning problem from the road graph. */
#include "kommute/vrp_io.h"

int kmt__vrp_graph_matrices(const char *graph_path, kmt_vrp_problem *p, kmt_error *e)
{
    (void)p;
    return kmt_error_at(e, KMT_EINVAL, graph_path, 0, 0, NULL,
                        "road-graph matrices are not available in this build yet; give \"matrices\" in the problem");
}
