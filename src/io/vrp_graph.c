/* SPDX-License-Identifier: MPL-2.0 */
/* Travel matrices for a route-planning problem from road graphs (.kgraph). */
#include <math.h>
#include <string.h>

#include "kommute/graph.h"
#include "kommute/vrp_io.h"

/* Fill every profile's matrix of p from the graph of that profile. graph_path
 * is one .kgraph or several separated by commas (one per profile). Every
 * location is snapped (within 5 km) and one table per profile computed. */
int kmt__vrp_graph_matrices(const char *graph_path, kmt_vrp_problem *p, kmt_error *e)
{
    char paths[2048];
    snprintf(paths, sizeof paths, "%s", graph_path);
    int rc = 0;
    size_t n = p->nlocs;
    if (!p->coords || n == 0) return kmt_error_set(e, KMT_EINVAL, "no coordinates to look up in the road graph");
    kmt_snap *snaps = kmt_calloc(n, sizeof *snaps);
    int filled = 0;
    char *save = NULL;
    for (char *one = strtok_r(paths, ",", &save); one && !rc; one = strtok_r(NULL, ",", &save)) {
        kmt_graph *g = NULL;
        if ((rc = kmt_graph_open(one, &g, e))) break;
        kmt_graph_info info;
        kmt_graph_get_info(g, &info);
        const char *pname = kmt_profile_name(info.profile);
        int m = 0;
        while (m < p->nmatrices && strcmp(p->matrices[m].name, pname) != 0) m++;
        if (m == p->nmatrices) {
            kmt_graph_close(g);
            continue; /* no vehicle uses this profile */
        }
        for (size_t i = 0; i < n && !rc; i++) {
            rc = kmt_graph_snap(g, p->coords[i], 5000, &snaps[i], e);
            if (rc)
                kmt_error_at(e, rc, one, 0, 0, "location", "[%.6f, %.6f]: no %s road within 5 km",
                             p->coords[i].lon, p->coords[i].lat, pname);
        }
        kmt_vrp_matrix *mx = &p->matrices[m];
        if (!rc) {
            size_t cells;
            if (kmt_mul_overflow(n, n, &cells) || n > 20000) {
                rc = kmt_error_set(e, KMT_ETOOBIG, "%zu locations are too many for one table (max 20000)", n);
            } else {
                mx->n = n;
                mx->durations = kmt_malloc(sizeof(double) * cells);
                mx->distances = kmt_malloc(sizeof(double) * cells);
                rc = kmt_graph_table(g, snaps, n, snaps, n, 2, mx->durations, mx->distances, e);
            }
        }
        for (size_t i = 0; i < n * n && !rc; i++) {
            if (isnan(mx->durations[i]) || isnan(mx->distances[i])) {
                size_t a = i / n, b = i % n;
                rc = kmt_error_at(e, KMT_EUNREACH, one, 0, 0, "location",
                                  "no %s route from [%.6f, %.6f] to [%.6f, %.6f]", pname, p->coords[a].lon,
                                  p->coords[a].lat, p->coords[b].lon, p->coords[b].lat);
            } else {
                mx->durations[i] = floor(mx->durations[i] + 0.5); /* whole seconds, as VROOM */
            }
        }
        if (!rc) filled++;
        kmt_graph_close(g);
    }
    for (int m = 0; m < p->nmatrices && !rc; m++)
        if (!p->matrices[m].durations)
            rc = kmt_error_at(e, KMT_EINVAL, graph_path, 0, 0, "profile",
                              "vehicles use profile '%s' but no graph of that profile was given (--graph a.kgraph,b.kgraph)",
                              p->matrices[m].name);
    kmt_free(snaps);
    return rc;
}
