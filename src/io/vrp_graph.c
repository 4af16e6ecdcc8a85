/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Road graphs for route planning: the set of opened graphs a problem's
 * profiles use, the travel matrices computed on them, and the routes drawn
 * along them. Only kmt_vrp_graphs_open touches files; everything else works
 * on graphs that are already mapped (the server's, or the CLI's opened once).
 */
#include <math.h>
#include <string.h>

#include "kommute/vrp_io.h"

void kmt_vrp_graphs_init(kmt_vrp_graphs *gs)
{
    memset(gs, 0, sizeof *gs);
}

void kmt_vrp_graphs_destroy(kmt_vrp_graphs *gs)
{
    if (!gs) return;
    for (int i = 0; i < gs->n; i++) kmt_graph_close(gs->g[i].owned);
    memset(gs, 0, sizeof *gs);
}

int kmt_vrp_graphs_add(kmt_vrp_graphs *gs, const kmt_graph *g, const char *source, kmt_error *e)
{
    kmt_graph_info info;
    kmt_graph_get_info(g, &info);
    const char *pname = kmt_profile_name(info.profile);
    if (kmt_vrp_graphs_find(gs, pname))
        return kmt_error_at(e, KMT_EINVAL, source, 0, 0, "graph", "a second graph of profile '%s' (one per profile)",
                            pname);
    if (gs->n == KMT_VRP_MAX_GRAPHS)
        return kmt_error_at(e, KMT_ETOOBIG, source, 0, 0, "graph", "at most %d graphs (one per profile)",
                            KMT_VRP_MAX_GRAPHS);
    kmt_vrp_graph_entry *en = &gs->g[gs->n++];
    memset(en, 0, sizeof *en);
    snprintf(en->profile, sizeof en->profile, "%s", pname);
    snprintf(en->source, sizeof en->source, "%s", source ? source : "");
    en->graph = g;
    return 0;
}

int kmt_vrp_graphs_open(kmt_vrp_graphs *gs, const char *paths, kmt_error *e)
{
    char buf[2048];
    if (snprintf(buf, sizeof buf, "%s", paths) >= (int)sizeof buf)
        return kmt_error_set(e, KMT_EINVAL, "the list of graphs is too long (%zu characters)", strlen(paths));
    char *save = NULL;
    for (char *one = strtok_r(buf, ",", &save); one; one = strtok_r(NULL, ",", &save)) {
        kmt_graph *g = NULL;
        int rc = kmt_graph_open(one, &g, e);
        if (!rc) rc = kmt_vrp_graphs_add(gs, g, one, e);
        if (rc) {
            kmt_graph_close(g);
            return rc;
        }
        gs->g[gs->n - 1].owned = g;
    }
    return 0;
}

/* The entry of `profile`, or NULL. */
static const kmt_vrp_graph_entry *find_entry(const kmt_vrp_graphs *gs, const char *profile)
{
    for (int i = 0; gs && i < gs->n; i++)
        if (strcmp(gs->g[i].profile, profile) == 0) return &gs->g[i];
    return NULL;
}

const kmt_graph *kmt_vrp_graphs_find(const kmt_vrp_graphs *gs, const char *profile)
{
    const kmt_vrp_graph_entry *en = find_entry(gs, profile);
    return en ? en->graph : NULL;
}

/* "where" for messages about an entry: its source, or NULL. */
static const char *source_of(const kmt_vrp_graph_entry *en)
{
    return en->source[0] ? en->source : NULL;
}

/* One profile's matrices from its graph: snap every location, one table. */
static int profile_matrix(const kmt_vrp_graph_entry *en, kmt_vrp_problem *p, kmt_vrp_matrix *mx, kmt_snap *snaps,
                          kmt_error *e)
{
    size_t n = p->nlocs;
    const char *src = source_of(en);
    for (size_t i = 0; i < n; i++) {
        int rc = kmt_graph_snap(en->graph, p->coords[i], 5000, &snaps[i], e);
        if (rc)
            return kmt_error_at(e, rc, src, 0, 0, "location", "[%.6f, %.6f]: no %s road within 5 km", p->coords[i].lon,
                                p->coords[i].lat, en->profile);
    }
    size_t cells;
    if (kmt_mul_overflow(n, n, &cells) || n > 20000)
        return kmt_error_set(e, KMT_ETOOBIG, "%zu locations are too many for one table (max 20000)", n);
    mx->n = n;
    mx->durations = kmt_malloc(sizeof(double) * cells);
    mx->distances = kmt_malloc(sizeof(double) * cells);
    int rc = kmt_graph_table(en->graph, snaps, n, snaps, n, 2, mx->durations, mx->distances, e);
    for (size_t i = 0; i < cells && !rc; i++) {
        if (isnan(mx->durations[i]) || isnan(mx->distances[i])) {
            size_t a = i / n, b = i % n;
            rc = kmt_error_at(e, KMT_EUNREACH, src, 0, 0, "location", "no %s route from [%.6f, %.6f] to [%.6f, %.6f]",
                              en->profile, p->coords[a].lon, p->coords[a].lat, p->coords[b].lon, p->coords[b].lat);
        } else {
            mx->durations[i] = floor(mx->durations[i] + 0.5); /* whole seconds, as VROOM */
        }
    }
    return rc;
}

int kmt_vrp_graph_matrices(const kmt_vrp_graphs *gs, kmt_vrp_problem *p, kmt_error *e)
{
    if (!p->coords || p->nlocs == 0) return kmt_error_set(e, KMT_EINVAL, "no coordinates to look up in the road graph");
    kmt_snap *snaps = kmt_calloc(p->nlocs, sizeof *snaps);
    int rc = 0;
    /* in the set's order (the order of --graph), so that the first problem met is the one reported */
    for (int i = 0; gs && i < gs->n && !rc; i++) {
        int m = 0;
        while (m < p->nmatrices && strcmp(p->matrices[m].name, gs->g[i].profile) != 0) m++;
        if (m == p->nmatrices) continue; /* no vehicle uses this profile */
        rc = profile_matrix(&gs->g[i], p, &p->matrices[m], snaps, e);
    }
    for (int m = 0; m < p->nmatrices && !rc; m++)
        if (!p->matrices[m].durations)
            rc = kmt_error_at(
                e, KMT_EINVAL, gs && gs->n ? source_of(&gs->g[0]) : NULL, 0, 0, "profile",
                "vehicles use profile '%s' but no graph of that profile was given (--graph a.kgraph,b.kgraph)",
                p->matrices[m].name);
    kmt_free(snaps);
    return rc;
}

int kmt_vrp_write_geojson(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                          const kmt_vrp_check_report *r, const kmt_vrp_graphs *gs, kmt_error *e)
{
    if (!p->coords) return kmt_error_set(e, KMT_EINVAL, "the problem has no coordinates to draw");
    kmt_json_object_begin(j);
    kmt_json_key(j, "type");
    kmt_json_string(j, "FeatureCollection");
    kmt_json_key(j, "features");
    kmt_json_array_begin(j);
    int rc = 0;
    kmt_snap *pts = kmt_calloc((size_t)p->ntasks + 3, sizeof *pts);
    kmt_query *qs[KMT_VRP_MAX_GRAPHS] = { 0 }; /* one search state per graph, made when first needed */
    for (int ri = 0; ri < s->nroutes && !rc; ri++) {
        const kmt_vrp_route *rt = &s->routes[ri];
        const kmt_vrp_vehicle *v = &p->vehicles[rt->vehicle];
        size_t n = 0;
        if (v->start >= 0) pts[n++].input = p->coords[v->start];
        for (int k = 0; k < rt->nstops; k++)
            if (rt->stops[k] >= 0) pts[n++].input = p->coords[p->tasks[rt->stops[k]].loc];
        if (v->end >= 0) pts[n++].input = p->coords[v->end];
        if (n < 2) continue;
        const kmt_vrp_graph_entry *en = find_entry(gs, p->matrices[v->profile].name);
        if (!en) {
            rc = kmt_error_set(e, KMT_EINVAL, "no graph of profile '%s' was given", p->matrices[v->profile].name);
            break;
        }
        int gi = (int)(en - gs->g);
        for (size_t k = 0; k < n && !rc; k++) rc = kmt_graph_snap(en->graph, pts[k].input, 5000, &pts[k], e);
        kmt_route route;
        memset(&route, 0, sizeof route);
        if (!rc && !qs[gi]) qs[gi] = kmt_query_new(en->graph);
        if (!rc) rc = kmt_graph_route(qs[gi], pts, n, &route, e);
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
        kmt_route_destroy(&route);
    }
    for (int i = 0; i < KMT_VRP_MAX_GRAPHS; i++) kmt_query_destroy(qs[i]);
    kmt_free(pts);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    return rc;
}
