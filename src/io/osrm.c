/* SPDX-License-Identifier: MPL-2.0 */
/* OSRM-shaped parsing and JSON, shared by cmd_graph.c and the server (see osrm.h). */
#include <stdio.h>
#include <string.h>

#include "kommute/osrm.h"

int kmt_osrm_parse_coords(const char *text, kmt_osrm_coords *out, kmt_error *e)
{
    const char *p = text;
    size_t idx = 0;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        char buf[128];
        if (len == 0 || len >= sizeof buf)
            return kmt_error_set(e, KMT_EINVAL, "coordinate %zu in '%.60s' is empty or too long; expected LON,LAT",
                                 idx + 1, text);
        memcpy(buf, p, len);
        buf[len] = '\0';
        kmt_coord c;
        if (kmt_geo_parse(buf, &c, e)) return KMT_EINVAL;
        KMT_VEC_PUSH(*out, c);
        idx++;
        p += len + (semi ? 1 : 0);
        if (semi && !*p) return kmt_error_set(e, KMT_EINVAL, "trailing ';' in the coordinate list");
    }
    return KMT_OK;
}

int kmt_osrm_snap_all(const kmt_graph *g, const kmt_coord *pts, size_t n, double max_m, kmt_snap *out, kmt_error *e)
{
    for (size_t i = 0; i < n; i++) {
        int rc = kmt_graph_snap(g, pts[i], max_m, &out[i], e);
        if (rc) {
            char msg[sizeof e->msg];
            memcpy(msg, e->msg, sizeof msg);
            int k = snprintf(e->msg, sizeof e->msg, "point %zu: ", i + 1);
            if (k > 0 && (size_t)k < sizeof e->msg)
                snprintf(e->msg + k, sizeof e->msg - (size_t)k, "%.*s", (int)(sizeof e->msg - (size_t)k - 1), msg);
            return rc;
        }
    }
    return KMT_OK;
}

void kmt_osrm_location(kmt_json *j, kmt_coord c)
{
    kmt_json_key(j, "location");
    kmt_json_array_begin(j);
    kmt_json_double(j, c.lon, 6);
    kmt_json_double(j, c.lat, 6);
    kmt_json_array_end(j);
}

void kmt_osrm_waypoint(kmt_json *j, const kmt_graph *g, const kmt_snap *s)
{
    kmt_road_info ri;
    kmt_graph_road_info(g, s, &ri);
    kmt_json_object_begin(j);
    kmt_json_key(j, "hint");
    kmt_json_string(j, "");
    kmt_json_key(j, "distance");
    kmt_json_double(j, s->distance_m, 3);
    kmt_json_key(j, "name");
    kmt_json_string(j, ri.name);
    kmt_osrm_location(j, s->location);
    kmt_json_object_end(j);
}

void kmt_osrm_road_fields(kmt_json *j, const kmt_road_info *ri)
{
    kmt_json_key(j, "way_id");
    kmt_json_int(j, ri->way_id);
    kmt_json_key(j, "class");
    kmt_json_string(j, ri->road_class);
    kmt_json_key(j, "maxspeed");
    if (ri->maxspeed_kmh)
        kmt_json_int(j, ri->maxspeed_kmh);
    else
        kmt_json_null(j);
    kmt_json_key(j, "speed_forward");
    kmt_json_double(j, ri->speed_fwd_kmh, 1);
    kmt_json_key(j, "speed_backward");
    kmt_json_double(j, ri->speed_bwd_kmh, 1);
    kmt_json_key(j, "oneway");
    kmt_json_bool(j, ri->oneway);
    kmt_json_key(j, "length");
    kmt_json_double(j, ri->length_m, 1);
}

void kmt_osrm_route_json(kmt_json *j, const kmt_graph *g, const kmt_route *r, const kmt_snap *sn, size_t n, int geom)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "code");
    kmt_json_string(j, "Ok");
    kmt_json_key(j, "routes");
    kmt_json_array_begin(j);
    kmt_json_object_begin(j);
    if (geom != KMT_GEOM_NONE) {
        kmt_json_key(j, "geometry");
        if (geom == KMT_GEOM_GEOJSON)
            kmt_json_linestring(j, r->geometry, r->npoints);
        else {
            kmt_buf b;
            kmt_buf_init(&b);
            kmt_geo_polyline_encode(&b, r->geometry, r->npoints, geom);
            kmt_json_stringn(j, b.data ? b.data : "", b.len);
            kmt_buf_destroy(&b);
        }
    }
    kmt_json_key(j, "legs");
    kmt_json_array_begin(j);
    for (size_t l = 0; l < r->nlegs; l++) {
        kmt_json_object_begin(j);
        kmt_json_key(j, "steps");
        kmt_json_array_begin(j);
        kmt_json_array_end(j);
        kmt_json_key(j, "summary");
        kmt_json_string(j, "");
        kmt_json_key(j, "weight");
        kmt_json_double(j, r->leg_duration_s[l], 1);
        kmt_json_key(j, "duration");
        kmt_json_double(j, r->leg_duration_s[l], 1);
        kmt_json_key(j, "distance");
        kmt_json_double(j, r->leg_distance_m[l], 1);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, "weight_name");
    kmt_json_string(j, "duration");
    kmt_json_key(j, "weight");
    kmt_json_double(j, r->duration_s, 1);
    kmt_json_key(j, "duration");
    kmt_json_double(j, r->duration_s, 1);
    kmt_json_key(j, "distance");
    kmt_json_double(j, r->distance_m, 1);
    kmt_json_object_end(j);
    kmt_json_array_end(j);
    kmt_json_key(j, "waypoints");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < n; i++) kmt_osrm_waypoint(j, g, &sn[i]);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}

static void matrix_json(kmt_json *j, const char *key, const double *m, size_t ns, size_t nd)
{
    kmt_json_key(j, key);
    kmt_json_array_begin(j);
    for (size_t i = 0; i < ns; i++) {
        kmt_json_array_begin(j);
        for (size_t k = 0; k < nd; k++) kmt_json_double(j, m[i * nd + k], 1);
        kmt_json_array_end(j);
    }
    kmt_json_array_end(j);
}

void kmt_osrm_table_json(kmt_json *j, const kmt_graph *g, const double *dur, const double *dist, const kmt_snap *src,
                         size_t ns, const kmt_snap *dst, size_t nd)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "code");
    kmt_json_string(j, "Ok");
    if (dur) matrix_json(j, "durations", dur, ns, nd);
    if (dist) matrix_json(j, "distances", dist, ns, nd);
    kmt_json_key(j, "sources");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < ns; i++) kmt_osrm_waypoint(j, g, &src[i]);
    kmt_json_array_end(j);
    kmt_json_key(j, "destinations");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < nd; i++) kmt_osrm_waypoint(j, g, &dst[i]);
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}
