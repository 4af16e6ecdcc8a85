/* SPDX-License-Identifier: MPL-2.0 */
/*
 * GET /health, and OSRM's route and table services:
 *   /route/v1/{profile}/{lon,lat;lon,lat...}?geometries=&overview=&steps=&alternatives=&annotations=
 *   /table/v1/{profile}/{coords}?sources=&destinations=&annotations=
 * Responses are OSRM's shapes (the same writers as the route/table commands);
 * errors are {"code": OSRM code, "message": ..., "field": ...} with status 400
 * (413 TooBig for over-size requests, 503 when busy).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/osrm.h"
#include "server.h"

void kmt__api_health(kmt__req *r, kmt__resp *out)
{
    static const char *const allowed[] = { NULL };
    kmt__srv *s = r->srv;
    if (kmt__args_allowed(r, out, allowed)) return;
    kmt_json j;
    kmt__json_start(out, &j);
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "status");
    kmt_json_string(&j, "ok");
    kmt_json_key(&j, "version");
    kmt_json_string(&j, KMT_VERSION);
    kmt_json_key(&j, "uptime_s");
    kmt_json_double(&j, kmt_now_monotonic() - s->started, 1);
    kmt_json_key(&j, "graph");
    if (s->graph) {
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "profile");
        kmt_json_string(&j, kmt_profile_name(s->ginfo.profile));
        kmt_json_key(&j, "nodes");
        kmt_json_int(&j, s->ginfo.nodes);
        kmt_json_key(&j, "segments");
        kmt_json_int(&j, s->ginfo.segments);
        kmt_json_key(&j, "bbox");
        kmt_json_array_begin(&j);
        kmt_json_double(&j, s->ginfo.min.lon, 6);
        kmt_json_double(&j, s->ginfo.min.lat, 6);
        kmt_json_double(&j, s->ginfo.max.lon, 6);
        kmt_json_double(&j, s->ginfo.max.lat, 6);
        kmt_json_array_end(&j);
        kmt_json_object_end(&j);
    } else {
        kmt_json_null(&j);
    }
    kmt_json_key(&j, "data");
    if (s->have_data) {
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "sites");
        kmt_json_int(&j, (int64_t)s->data.sites.n);
        kmt_json_key(&j, "vehicles");
        kmt_json_int(&j, (int64_t)s->data.vehicles.n);
        kmt_json_key(&j, "trips");
        kmt_json_int(&j, (int64_t)s->data.trips.n);
        kmt_json_object_end(&j);
    } else {
        kmt_json_null(&j);
    }
    kmt_json_key(&j, "road_use");
    int ready = atomic_load(&s->use_ready);
    kmt_json_string(&j, ready == 1 ? "ready" : ready == 0 ? "computing" : "none");
    kmt_json_key(&j, "busy");
    pthread_mutex_lock(&s->tlock);
    int busy = s->ntasks;
    pthread_mutex_unlock(&s->tlock);
    kmt_json_int(&j, busy);
    kmt_json_object_end(&j);
    kmt__json_done(out, &j);
}

/* OSRM calls the car profile "driving", bicycle "cycling", foot "walking". */
static int profile_ok(kmt__srv *s, kmt__resp *out, const char *name, size_t len)
{
    static const char *const names[][3] = { { "car", "driving", "drive" },
                                            { "bicycle", "cycling", "bike" },
                                            { "foot", "walking", "walk" } };
    if (!s->graph) {
        kmt__error(out, 503, "NoGraph", NULL, "the server runs without a road graph (start it with --graph)");
        return 0;
    }
    for (int p = 0; p < 3; p++)
        for (int k = 0; k < 3; k++)
            if (strlen(names[p][k]) == len && strncmp(names[p][k], name, len) == 0) {
                if ((int)s->ginfo.profile == p) return 1;
                kmt__error(out, 400, "InvalidValue", "profile", "this server routes for the %s profile, not '%.*s'",
                           kmt_profile_name(s->ginfo.profile), (int)len, name);
                return 0;
            }
    kmt__error(out, 400, "InvalidValue", "profile",
               "unknown profile '%.*s'; expected car (driving), "
               "bicycle (cycling) or foot (walking)",
               (int)(len > 40 ? 40 : len), name);
    return 0;
}

/* Split "{profile}/{coords}", check the profile, parse and count the coordinates.
 * Returns 0 with pts filled, or -1 with out set. */
static int parse_path(kmt__srv *s, kmt__resp *out, const char *rest, size_t max_n, kmt_osrm_coords *pts)
{
    const char *slash = strchr(rest, '/');
    if (!slash) {
        kmt__error(out, 400, "InvalidUrl", "coordinates", "expected /{profile}/{lon,lat;lon,lat...} in the path");
        return -1;
    }
    if (!profile_ok(s, out, rest, (size_t)(slash - rest))) return -1;
    const char *c = slash + 1;
    size_t n = 1;
    for (const char *p = c; *p; p++) n += *p == ';';
    if (n > max_n) {
        kmt__error(out, 413, "TooBig", "coordinates", "%zu coordinates is over this server's limit of %zu", n, max_n);
        return -1;
    }
    size_t len = strlen(c);
    char *copy = NULL;
    if (len > 5 && strcmp(c + len - 5, ".json") == 0) { /* OSRM allows a .json suffix */
        copy = kmt_strdup(c);
        copy[len - 5] = '\0';
        c = copy;
    }
    kmt_error e;
    kmt_error_init(&e);
    int rc = *c ? kmt_osrm_parse_coords(c, pts, &e) : kmt_error_set(&e, KMT_EINVAL, "no coordinates given");
    kmt_free(copy);
    if (rc) {
        kmt__error(out, 400, "InvalidQuery", "coordinates", "%s", e.msg);
        return -1;
    }
    return 0;
}

static int snap(kmt__srv *s, kmt__resp *out, const kmt_coord *pts, size_t n, kmt_snap *sn)
{
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_osrm_snap_all(s->graph, pts, n, s->opts.max_snap_m, sn, &e) == 0) return 0;
    kmt__error(out, 400, "NoSegment", "coordinates", "%s", e.msg);
    return -1;
}

/* "true"/"false" only. */
static int flag_value(kmt__resp *out, const char *name, const char *v, int *val)
{
    if (!v) return 0;
    if (strcmp(v, "true") == 0)
        *val = 1;
    else if (strcmp(v, "false") == 0)
        *val = 0;
    else {
        kmt__error(out, 400, "InvalidOptions", name, "%s expects true or false, got '%.40s'", name, v);
        return -1;
    }
    return 0;
}

void kmt__api_route(kmt__req *r, kmt__resp *out, const char *rest)
{
    static const char *const allowed[] = { "geometries",  "overview",       "steps", "alternatives",
                                           "annotations", "generate_hints", NULL };
    kmt__srv *s = r->srv;
    if (kmt__args_allowed(r, out, allowed)) return;
    int geom = KMT_GEOM_POLYLINE, flag = 0;
    const char *v = kmt__arg(r, "geometries");
    if (v) {
        if (strcmp(v, "polyline") == 0)
            geom = KMT_GEOM_POLYLINE;
        else if (strcmp(v, "polyline6") == 0)
            geom = KMT_GEOM_POLYLINE6;
        else if (strcmp(v, "geojson") == 0)
            geom = KMT_GEOM_GEOJSON;
        else {
            kmt__error(out, 400, "InvalidOptions", "geometries",
                       "geometries expects polyline, polyline6 or geojson, got '%.40s'", v);
            return;
        }
    }
    v = kmt__arg(r, "overview");
    if (v) {
        if (strcmp(v, "false") == 0)
            geom = KMT_GEOM_NONE;
        else if (strcmp(v, "full") != 0 && strcmp(v, "simplified") != 0) {
            kmt__error(out, 400, "InvalidOptions", "overview",
                       "overview expects full, simplified or false, got '%.40s'", v);
            return;
        }
    }
    if (flag_value(out, "steps", kmt__arg(r, "steps"), &flag)) return;
    if (flag) {
        kmt__error(out, 400, "InvalidOptions", "steps", "turn-by-turn steps are not supported");
        return;
    }
    if (flag_value(out, "annotations", kmt__arg(r, "annotations"), &flag)) return;
    if (flag) {
        kmt__error(out, 400, "InvalidOptions", "annotations", "route annotations are not supported");
        return;
    }
    v = kmt__arg(r, "alternatives"); /* one route is always a valid answer to alternatives=true|N */
    if (v && strcmp(v, "true") && strcmp(v, "false") && (strspn(v, "0123456789") != strlen(v) || !*v)) {
        kmt__error(out, 400, "InvalidOptions", "alternatives",
                   "alternatives expects true, false or a number, got '%.40s'", v);
        return;
    }
    if (flag_value(out, "generate_hints", kmt__arg(r, "generate_hints"), &flag)) return;

    kmt_osrm_coords pts = { 0 };
    if (parse_path(s, out, rest, s->opts.max_route, &pts)) goto done;
    if (pts.n < 2) {
        kmt__error(out, 400, "InvalidQuery", "coordinates", "a route needs at least two coordinates, got %zu", pts.n);
        goto done;
    }
    kmt_snap stack_sn[8];
    kmt_snap *sn = pts.n <= 8 ? stack_sn : kmt_malloc(pts.n * sizeof *sn);
    if (snap(s, out, pts.v, pts.n, sn) == 0) {
        kmt_query *q = kmt__query_get(s);
        kmt_route rt;
        kmt_error e;
        kmt_error_init(&e);
        int rc = kmt_graph_route_ex(q, sn, pts.n, geom == KMT_GEOM_NONE ? KMT_ROUTE_NO_GEOMETRY : 0, &rt, &e);
        kmt__query_put(s, q);
        if (rc == KMT_EUNREACH)
            kmt__error(out, 400, "NoRoute", NULL, "Impossible route between points");
        else if (rc)
            kmt__error(out, 500, "InternalError", NULL, "%s", e.msg);
        else {
            kmt_json j;
            kmt__json_start(out, &j);
            kmt_osrm_route_json(&j, s->graph, &rt, sn, pts.n, geom);
            kmt__json_done(out, &j);
            kmt_route_destroy(&rt);
        }
    }
    if (sn != stack_sn) kmt_free(sn);
done:
    KMT_VEC_FREE(pts);
}

/* "all" or "I;J;K" with each index < n; returns the count or -1 with out set. */
/* Indices "0;2;5" (or "all") into the n coordinates; at most max of them
 * (--max-table; more is 413, counted before anything is allocated). */
static long parse_indices(kmt__resp *out, const char *name, const char *v, size_t n, size_t max, size_t **idx)
{
    *idx = NULL;
    if (!v || strcmp(v, "all") == 0) {
        *idx = kmt_malloc((n ? n : 1) * sizeof **idx);
        for (size_t i = 0; i < n; i++) (*idx)[i] = i;
        return (long)n;
    }
    size_t cnt = 1;
    for (const char *p = v; *p; p++) cnt += *p == ';';
    if (cnt > max) {
        kmt__error(out, 413, "TooBig", name, "%zu %s; this server's limit is %zu (--max-table)", cnt, name, max);
        return -1;
    }
    *idx = kmt_malloc(cnt * sizeof **idx);
    const char *p = v;
    for (size_t k = 0; k < cnt; k++) {
        char *end;
        if (*p < '0' || *p > '9') goto bad;
        unsigned long x = strtoul(p, &end, 10);
        if (x >= n || (*end && *end != ';')) goto bad;
        (*idx)[k] = x;
        p = *end ? end + 1 : end;
    }
    return (long)cnt;
bad:
    kmt_free(*idx);
    *idx = NULL;
    kmt__error(out, 400, "InvalidOptions", name, "%s expects 'all' or indices 0..%zu separated by ';', got '%.60s'",
               name, n ? n - 1 : 0, v);
    return -1;
}

void kmt__api_table(kmt__req *r, kmt__resp *out, const char *rest)
{
    static const char *const allowed[] = { "sources", "destinations", "annotations", "generate_hints", NULL };
    kmt__srv *s = r->srv;
    if (kmt__args_allowed(r, out, allowed)) return;
    int want_dur = 1, want_dist = 0;
    const char *ann = kmt__arg(r, "annotations");
    if (ann) {
        want_dur = want_dist = 0;
        if (strcmp(ann, "duration") == 0)
            want_dur = 1;
        else if (strcmp(ann, "distance") == 0)
            want_dist = 1;
        else if (strcmp(ann, "duration,distance") == 0 || strcmp(ann, "distance,duration") == 0)
            want_dur = want_dist = 1;
        else {
            kmt__error(out, 400, "InvalidOptions", "annotations",
                       "annotations expects duration, distance or duration,distance, got '%.40s'", ann);
            return;
        }
    }
    int flag;
    if (flag_value(out, "generate_hints", kmt__arg(r, "generate_hints"), &flag)) return;
    kmt_osrm_coords pts = { 0 };
    size_t *si = NULL, *di = NULL;
    kmt_snap *sn = NULL, *src = NULL, *dst = NULL;
    double *dur = NULL, *dist = NULL;
    int heavy = 0;
    if (parse_path(s, out, rest, s->opts.max_table, &pts)) goto done;
    long ns = parse_indices(out, "sources", kmt__arg(r, "sources"), pts.n, s->opts.max_table, &si);
    if (ns < 0) goto done;
    long nd = parse_indices(out, "destinations", kmt__arg(r, "destinations"), pts.n, s->opts.max_table, &di);
    if (nd < 0) goto done;
    if (kmt__heavy_enter(s, out)) goto done;
    heavy = 1;
    sn = kmt_malloc(pts.n * sizeof *sn);
    if (snap(s, out, pts.v, pts.n, sn)) goto done;
    src = kmt_malloc(((size_t)ns + 1) * sizeof *src);
    dst = kmt_malloc(((size_t)nd + 1) * sizeof *dst);
    for (long i = 0; i < ns; i++) src[i] = sn[si[i]];
    for (long i = 0; i < nd; i++) dst[i] = sn[di[i]];
    size_t cells = (size_t)ns * (size_t)nd; /* both <= max_table (at most 10,000): no overflow */
    if (want_dur) dur = kmt_malloc((cells + 1) * sizeof *dur);
    if (want_dist) dist = kmt_malloc((cells + 1) * sizeof *dist);
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_graph_table(s->graph, src, (size_t)ns, dst, (size_t)nd, 1, dur, dist, &e)) {
        kmt__error(out, 500, "InternalError", NULL, "%s", e.msg);
        goto done;
    }
    kmt_json j;
    kmt__json_start(out, &j);
    kmt_osrm_table_json(&j, s->graph, dur, dist, src, (size_t)ns, dst, (size_t)nd);
    kmt__json_done(out, &j);
done:
    if (heavy) kmt__heavy_leave(s);
    KMT_VEC_FREE(pts);
    kmt_free(si), kmt_free(di), kmt_free(sn), kmt_free(src), kmt_free(dst), kmt_free(dur), kmt_free(dist);
}
