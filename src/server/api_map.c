/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The map: the road network as the page's base layer (/map/roads), one road
 * under a click with its OSM attributes and the fleet's observed use of it by
 * hour of day (/map/road), and the data layers (/data/sites, /data/vehicles,
 * /data/density, /data/summary).
 *
 * Road use: at start-up a background thread routes every stored trip that has
 * start and end coordinates over the graph once (kmt_graph_route_segments)
 * and counts, per segment and hour of the trip's start, the trips that ran
 * along it. Memory: segments x 24 x 4 bytes; time: one snap pair and one
 * route per trip (logged when done). Until it is done /map/road says
 * "computing".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/osrm.h"
#include "server.h"

/* Drawing order and the classes the page knows; others follow in order of appearance. */
static const char *const CLASS_ORDER[] = { "motorway",
                                           "motorway_link",
                                           "trunk",
                                           "trunk_link",
                                           "primary",
                                           "primary_link",
                                           "secondary",
                                           "secondary_link",
                                           "tertiary",
                                           "tertiary_link",
                                           "unclassified",
                                           "residential",
                                           "living_street",
                                           "service",
                                           "road",
                                           "track",
                                           NULL };

/* ---- the roads layer ----------------------------------------------------------- */

typedef KMT_VEC(const char *) strvec;

static int class_index(strvec *classes, const char *c)
{
    for (size_t i = 0; i < classes->n; i++)
        if (strcmp(classes->v[i], c) == 0) return (int)i;
    KMT_VEC_PUSH(*classes, c);
    return (int)classes->n - 1;
}

static int class_wanted(const char *filter, const char *c)
{
    if (!filter) return 1;
    size_t n = strlen(c);
    for (const char *p = filter; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, c, n) == 0) return 1;
        p += len + (comma ? 1 : 0);
    }
    return 0;
}

/* The network as {"bbox":[..], "segments": N, "classes":[{"class": c, "segments":[id..],
 * "lines":["polyline5", ...]}, ...]} (compact), or as a GeoJSON FeatureCollection
 * of LineStrings with properties segment, class, name (geojson = 1). */
static void roads_json(kmt__srv *s, kmt_json *j, const char *filter, int geojson)
{
    uint32_t n = kmt_graph_segment_count(s->graph);
    strvec classes = { 0 };
    for (int i = 0; CLASS_ORDER[i]; i++) KMT_VEC_PUSH(classes, CLASS_ORDER[i]);
    int *cls = kmt_malloc((n + 1) * sizeof *cls);
    kmt_road_info ri;
    for (uint32_t i = 0; i < n; i++) {
        kmt_graph_segment_info(s->graph, i, &ri);
        cls[i] = class_index(&classes, ri.road_class);
    }
    KMT_VEC(kmt_coord) pts = { 0 };
    kmt_buf b;
    kmt_buf_init(&b);
    kmt_json_object_begin(j);
    if (geojson) {
        kmt_json_key(j, "type");
        kmt_json_string(j, "FeatureCollection");
        kmt_json_key(j, "features");
        kmt_json_array_begin(j);
    } else {
        kmt_json_key(j, "bbox");
        kmt_json_array_begin(j);
        kmt_json_double(j, s->ginfo.min.lon, 6);
        kmt_json_double(j, s->ginfo.min.lat, 6);
        kmt_json_double(j, s->ginfo.max.lon, 6);
        kmt_json_double(j, s->ginfo.max.lat, 6);
        kmt_json_array_end(j);
        kmt_json_key(j, "segments");
        kmt_json_int(j, n);
        kmt_json_key(j, "precision");
        kmt_json_int(j, 5);
        kmt_json_key(j, "classes");
        kmt_json_array_begin(j);
    }
    for (size_t c = 0; c < classes.n; c++) {
        if (!class_wanted(filter, classes.v[c])) continue;
        size_t count = 0;
        for (uint32_t i = 0; i < n; i++) count += cls[i] == (int)c;
        if (!count) continue;
        if (!geojson) {
            kmt_json_object_begin(j);
            kmt_json_key(j, "class");
            kmt_json_string(j, classes.v[c]);
            kmt_json_key(j, "segments");
            kmt_json_array_begin(j);
            for (uint32_t i = 0; i < n; i++)
                if (cls[i] == (int)c) kmt_json_int(j, i);
            kmt_json_array_end(j);
            kmt_json_key(j, "lines");
            kmt_json_array_begin(j);
        }
        for (uint32_t i = 0; i < n; i++) {
            if (cls[i] != (int)c) continue;
            size_t np = kmt_graph_segment_geometry(s->graph, i, NULL, 0);
            KMT_VEC_RESERVE(pts, np + 1);
            pts.n = kmt_graph_segment_geometry(s->graph, i, pts.v, np);
            if (geojson) {
                kmt_graph_segment_info(s->graph, i, &ri);
                kmt_json_object_begin(j);
                kmt_json_key(j, "type");
                kmt_json_string(j, "Feature");
                kmt_json_key(j, "properties");
                kmt_json_object_begin(j);
                kmt_json_key(j, "segment");
                kmt_json_int(j, i);
                kmt_json_key(j, "class");
                kmt_json_string(j, ri.road_class);
                kmt_json_key(j, "name");
                kmt_json_string(j, ri.name);
                kmt_json_object_end(j);
                kmt_json_key(j, "geometry");
                kmt_json_linestring(j, pts.v, pts.n);
                kmt_json_object_end(j);
            } else {
                b.len = 0;
                kmt_geo_polyline_encode(&b, pts.v, pts.n, 5);
                kmt_json_stringn(j, b.data ? b.data : "", b.len);
            }
        }
        if (!geojson) {
            kmt_json_array_end(j);
            kmt_json_object_end(j);
        }
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
    kmt_buf_destroy(&b);
    KMT_VEC_FREE(pts);
    KMT_VEC_FREE(classes);
    kmt_free(cls);
}

void kmt__api_map_roads(kmt__req *r, kmt__resp *out)
{
    static const char *const allowed[] = { "class", "format", NULL };
    kmt__srv *s = r->srv;
    if (kmt__args_allowed(r, out, allowed)) return;
    if (!s->graph) {
        kmt__error(out, 503, "NoGraph", NULL, "the server runs without a road graph (start it with --graph)");
        return;
    }
    const char *fmt = kmt__arg(r, "format"), *filter = kmt__arg(r, "class");
    int geojson = 0;
    if (fmt && strcmp(fmt, "geojson") == 0)
        geojson = 1;
    else if (fmt && strcmp(fmt, "compact") != 0) {
        kmt__error(out, 400, "InvalidOptions", "format", "format expects compact or geojson, got '%.40s'", fmt);
        return;
    }
    if (!geojson && !filter) { /* the page's request: served from the cache */
        out->status = 200;
        out->ctype = "application/json";
        out->static_data = s->roads.data;
        out->static_len = s->roads.len;
        return;
    }
    kmt_json j;
    kmt__json_start(out, &j);
    roads_json(s, &j, filter, geojson);
    kmt__json_done(out, &j);
}

/* ---- road use by hour ---------------------------------------------------------- */

/* Route one journey from a to b and count it on use[segment * 24 + hour]
 * (a segment once per journey). Returns 0 or -1 when it cannot be routed. */
static int count_route(kmt__srv *s, kmt_query *q, kmt_coord from, kmt_coord to, int hour, uint32_t *use)
{
    kmt_snap a, b;
    kmt_error e;
    uint32_t *segs = NULL;
    size_t n = 0;
    double m = s->opts.max_snap_m;
    uint32_t nseg = kmt_graph_segment_count(s->graph);
    if (kmt_graph_snap(s->graph, from, m, &a, &e) || kmt_graph_snap(s->graph, to, m, &b, &e) ||
        kmt_graph_route_segments(q, &a, &b, &segs, &n, &e))
        return -1;
    uint32_t last = UINT32_MAX;
    for (size_t k = 0; k < n; k++) {
        if (segs[k] == last || segs[k] >= nseg) continue;
        last = segs[k];
        use[(size_t)segs[k] * 24 + (size_t)hour]++;
    }
    kmt_free(segs);
    return 0;
}

static void *use_thread(void *arg)
{
    kmt__srv *s = arg;
    double t0 = kmt_now_monotonic();
    kmt_query *q = kmt_query_new(s->graph);
    for (size_t i = 0; i < s->data.trips.n; i++) {
        const kmt_trip *t = &s->data.trips.v[i];
        if (!kmt_geo_valid(t->from) || !kmt_geo_valid(t->to) || t->start == KMT_TIME_NONE) continue;
        s->use_trips++;
        if (count_route(s, q, t->from, t->to, kmt_time_civil(t->start).hour, s->use))
            s->use_skipped++;
        else
            s->use_routed++;
    }
    for (size_t i = 0; i < s->travel.travel.n; i++) {
        const kmt_travel *t = &s->travel.travel.v[i];
        if (t->mode != KMT_MODE_FLEET_CAR && t->mode != KMT_MODE_PRIVATE_CAR && t->mode != KMT_MODE_TAXI) continue;
        if (!kmt_geo_valid(t->from) || !kmt_geo_valid(t->to) || t->start == KMT_TIME_NONE) continue;
        s->car_trips++;
        if (count_route(s, q, t->from, t->to, kmt_time_civil(t->start).hour, s->use_car))
            s->car_skipped++;
        else
            s->car_routed++;
    }
    kmt_query_destroy(q);
    s->use_seconds = kmt_now_monotonic() - t0;
    KMT_LOG(KMT_LOG_INFO,
            "road use: routed %llu of %llu logbook trips with coordinates and %llu of %llu travel records by car "
            "in %.2f s (the others are off the network or have no route)",
            (unsigned long long)s->use_routed, (unsigned long long)s->use_trips, (unsigned long long)s->car_routed,
            (unsigned long long)s->car_trips, s->use_seconds);
    atomic_store(&s->use_ready, 1);
    return NULL;
}

void kmt__map_init(kmt__srv *s)
{
    atomic_store(&s->use_ready, -1);
    if (!s->graph) return;
    kmt_json j;
    kmt_json_init(&j, NULL);
    roads_json(s, &j, NULL, 0);
    s->roads = j.buf;
    if (!s->have_data || (!s->data.trips.n && !s->travel.travel.n)) return;
    s->use = kmt_calloc((size_t)kmt_graph_segment_count(s->graph) * 24 + 1, sizeof *s->use);
    s->use_car = kmt_calloc((size_t)kmt_graph_segment_count(s->graph) * 24 + 1, sizeof *s->use_car);
    atomic_store(&s->use_ready, 0);
    if (pthread_create(&s->use_thread, NULL, use_thread, s) == 0)
        s->use_thread_started = 1;
    else
        atomic_store(&s->use_ready, -1);
}

void kmt__map_destroy(kmt__srv *s)
{
    if (s->use_thread_started) pthread_join(s->use_thread, NULL);
    kmt_free(s->use);
    kmt_free(s->use_car);
    kmt_buf_destroy(&s->roads);
}

/* "key": [24 counts of the segment], "total_key": their sum */
static void hour_counts(kmt_json *j, const char *key, const char *total_key, const uint32_t *use, uint32_t seg)
{
    uint64_t total = 0;
    kmt_json_key(j, key);
    kmt_json_array_begin(j);
    for (int h = 0; h < 24; h++) {
        uint32_t v = use[(size_t)seg * 24 + (size_t)h];
        total += v;
        kmt_json_int(j, v);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, total_key);
    kmt_json_int(j, (int64_t)total);
}

static int parse_num(kmt__resp *out, const char *name, const char *v, double lo, double hi, double *x)
{
    char *end;
    if (!v) {
        kmt__error(out, 400, "InvalidQuery", name, "the query parameter '%s' is missing", name);
        return -1;
    }
    *x = strtod(v, &end);
    if (end == v || *end || !isfinite(*x) || *x < lo || *x > hi) {
        kmt__error(out, 400, "InvalidQuery", name, "%s expects a number in [%g, %g], got '%.40s'", name, lo, hi, v);
        return -1;
    }
    return 0;
}

void kmt__api_map_road(kmt__req *r, kmt__resp *out)
{
    static const char *const allowed[] = { "lon", "lat", "radius", NULL };
    kmt__srv *s = r->srv;
    if (kmt__args_allowed(r, out, allowed)) return;
    if (!s->graph) {
        kmt__error(out, 503, "NoGraph", NULL, "the server runs without a road graph (start it with --graph)");
        return;
    }
    kmt_coord c;
    double radius = 100;
    if (parse_num(out, "lon", kmt__arg(r, "lon"), -180, 180, &c.lon)) return;
    if (parse_num(out, "lat", kmt__arg(r, "lat"), -90, 90, &c.lat)) return;
    if (kmt__arg(r, "radius") && parse_num(out, "radius", kmt__arg(r, "radius"), 1, 10000, &radius)) return;
    kmt_snap sn;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_graph_snap(s->graph, c, radius, &sn, &e)) {
        kmt__error(out, 404, "NoSegment", NULL, "no road within %g m: %s", radius, e.msg);
        return;
    }
    kmt_road_info ri;
    kmt_graph_road_info(s->graph, &sn, &ri);
    kmt_json j;
    kmt__json_start(out, &j);
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "segment");
    kmt_json_int(&j, sn.segment);
    kmt_json_key(&j, "name");
    kmt_json_string(&j, ri.name);
    kmt_osrm_road_fields(&j, &ri);
    kmt_json_key(&j, "distance");
    kmt_json_double(&j, sn.distance_m, 1);
    kmt_osrm_location(&j, sn.location);
    kmt_json_key(&j, "geometry");
    size_t np = kmt_graph_segment_geometry(s->graph, sn.segment, NULL, 0);
    kmt_coord *pts = kmt_malloc((np + 1) * sizeof *pts);
    np = kmt_graph_segment_geometry(s->graph, sn.segment, pts, np);
    kmt_json_linestring(&j, pts, np);
    kmt_free(pts);
    kmt_json_key(&j, "use");
    kmt_json_object_begin(&j);
    int ready = atomic_load(&s->use_ready);
    kmt_json_key(&j, "status");
    kmt_json_string(&j, ready == 1 ? "ready" : ready == 0 ? "computing" : "none");
    if (ready == 1) {
        hour_counts(&j, "by_hour", "trips", s->use, sn.segment);
        kmt_json_key(&j, "trips_routed");
        kmt_json_int(&j, (int64_t)s->use_routed);
        kmt_json_key(&j, "trips_not_routed");
        kmt_json_int(&j, (int64_t)s->use_skipped);
        hour_counts(&j, "car_by_hour", "car_journeys", s->use_car, sn.segment);
        kmt_json_key(&j, "car_journeys_routed");
        kmt_json_int(&j, (int64_t)s->car_routed);
        kmt_json_key(&j, "car_journeys_not_routed");
        kmt_json_int(&j, (int64_t)s->car_skipped);
    }
    kmt_json_object_end(&j);
    kmt_json_object_end(&j);
    kmt__json_done(out, &j);
}
