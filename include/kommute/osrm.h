/* SPDX-License-Identifier: MPL-2.0 */
/*
 * OSRM-shaped input and output (the io module) shared by the route/table commands and the
 * HTTP server: the coordinate list "LON,LAT;LON,LAT", snapping a list of
 * points, and the JSON bodies of a route and a table response.
 */
#ifndef KOMMUTE_OSRM_H
#define KOMMUTE_OSRM_H

#include "kommute/graph.h"
#include "kommute/json.h"

typedef KMT_VEC(kmt_coord) kmt_osrm_coords;

/* Append the points of "LON,LAT;LON,LAT;..." to out. Returns 0 or KMT_EINVAL
 * with e naming the coordinate (1-based) and what was expected. */
int kmt_osrm_parse_coords(const char *text, kmt_osrm_coords *out, kmt_error *e);

/* Snap n points within max_m metres (<= 0: no limit) into out[n]; on failure
 * the error message starts with "point I: ". */
int kmt_osrm_snap_all(const kmt_graph *g, const kmt_coord *pts, size_t n, double max_m, kmt_snap *out, kmt_error *e);

/* "location": [lon, lat] (the key and the value). */
void kmt_osrm_location(kmt_json *j, kmt_coord c);
/* One waypoint object: hint, distance, name, location. */
void kmt_osrm_waypoint(kmt_json *j, const kmt_graph *g, const kmt_snap *s);

/* The road's attributes as keys of the open object: way_id, class, maxspeed
 * (null if untagged), speed_forward, speed_backward (km/h used), oneway, length (m). */
void kmt_osrm_road_fields(kmt_json *j, const kmt_road_info *ri);

enum { KMT_GEOM_NONE = -1, KMT_GEOM_POLYLINE = 5, KMT_GEOM_POLYLINE6 = 6, KMT_GEOM_GEOJSON = 0 };

/* The whole route response {"code":"Ok","routes":[...],"waypoints":[...]}
 * for route r through the n snapped points sn; geom is a KMT_GEOM_* value. */
void kmt_osrm_route_json(kmt_json *j, const kmt_graph *g, const kmt_route *r, const kmt_snap *sn, size_t n, int geom);

/* The whole table response: durations and/or distances (either may be NULL),
 * ns x nd row-major, then sources and destinations as waypoints. */
void kmt_osrm_table_json(kmt_json *j, const kmt_graph *g, const double *dur, const double *dist, const kmt_snap *src,
                         size_t ns, const kmt_snap *dst, size_t nd);

#endif
