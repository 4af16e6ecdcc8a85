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

/* Open the graph of `profile` among the comma-separated paths; NULL if none. */
static kmt_graph *open_profile(const char *graph_path, const char *profile, kmt_error *e)
{
    char paths[2048];
    snprintf(paths, sizeof paths, "%s", graph_path);
    char *save = NULL;
    for (char *one = strtok_r(paths, ",", &save); one; one = strtok_r(NULL, ",", &save)) {
        kmt_graph *g = NULL;
        if (kmt_graph_open(one, &g, e)) return NULL;
        kmt_graph_info info;
        kmt_graph_get_info(g, &info);
        if (strcmp(kmt_profile_name(info.profile), profile) == 0) return g;
        kmt_graph_close(g);
    }
    kmt_error_set(e, KMT_EINVAL, "no graph of profile '%s' in %s", profile, graph_path);
    return NULL;
}

int kmt_vrp_write_geojson(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                          const kmt_vrp_check_report *r, const char *graph_path, kmt_error *e)
{
    if (!p->coords) return kmt_error_set(e, KMT_EINVAL, "the problem has no coordinates to draw");
    kmt_json_object_begin(j);
    kmt_json_key(j, "type");
    kmt_json_string(j, "FeatureCollection");
    kmt_json_key(j, "features");
    kmt_json_array_begin(j);
    int rc = 0;
    kmt_snap *pts = kmt_calloc((size_t)p->ntasks + 3, sizeof *pts);
    for (int ri = 0; ri < s->nroutes && !rc; ri++) {
        const kmt_vrp_route *rt = &s->routes[ri];
        const kmt_vrp_vehicle *v = &p->vehicles[rt->vehicle];
        size_t n = 0;
        if (v->start >= 0) pts[n++].input = p->coords[v->start];
        for (int k = 0; k < rt->nstops; k++)
            if (rt->stops[k] >= 0) pts[n++].input = p->coords[p->tasks[rt->stops[k]].loc];
        if (v->end >= 0) pts[n++].input = p->coords[v->end];
        if (n < 2) continue;
        kmt_graph *g = open_profile(graph_path, p->matrices[v->profile].name, e);
        if (!g) {
            rc = e->code ? e->code : KMT_EINVAL;
            break;
        }
        for (size_t k = 0; k < n && !rc; k++) rc = kmt_graph_snap(g, pts[k].input, 5000, &pts[k], e);
        kmt_route route;
        memset(&route, 0, sizeof route);
        kmt_query *q = rc ? NULL : kmt_query_new(g);
        if (q) rc = kmt_graph_route(q, pts, n, &route, e);
        if (!rc) {
            kmt_json_object_begin(j);
            kmt_json_key(j, "type");
            kmt_json_string(j, "Feature");
            kmt_json_key(j, "properties");
            kmt_json_object_begin(j);
            kmt_json_key(j, "vehicle");
            kmt_json_int(j, v->id);
            if (v->description) {
                kmt_json_key(j, "description");
                kmt_json_string(j, v->description);
            }
            kmt_json_key(j, "stops");
            kmt_json_int(j, rt->nstops);
            kmt_json_key(j, "distance");
            kmt_json_double(j, r->routes[ri].distance, 1);
            kmt_json_key(j, "duration");
            kmt_json_double(j, r->routes[ri].duration, 1);
            kmt_json_object_end(j);
            kmt_json_key(j, "geometry");
            kmt_json_linestring(j, route.geometry, route.npoints);
            kmt_json_object_end(j);
        }
        kmt_route_free(&route);
        kmt_query_free(q);
        kmt_graph_close(g);
    }
    kmt_free(pts);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    return rc;
}
