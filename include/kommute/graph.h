/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The road network engine: a routable graph built from OpenStreetMap with a
 * travel profile (car, bicycle, foot), contracted into a contraction
 * hierarchy and stored in a versioned, checksummed .kgraph file that is
 * opened with mmap. Queries: snap, route, table.
 *
 * Units: durations in seconds, distances in metres (doubles at the API; the
 * graph keeps integer deciseconds and decimetres inside). Unreachable cells
 * of a table are NAN (written as null in JSON, as OSRM does).
 *
 * Thread safety: an opened graph is read-only; queries on one graph may run
 * concurrently from several threads, each with its own kmt_query.
 */
#ifndef KOMMUTE_GRAPH_H
#define KOMMUTE_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/geo.h"

typedef struct kmt_graph kmt_graph;
typedef struct kmt_query kmt_query;

typedef enum { KMT_PROFILE_CAR = 0, KMT_PROFILE_BICYCLE = 1, KMT_PROFILE_FOOT = 2 } kmt_profile;
/* "car" / "bicycle" / "foot" -> profile; returns -1 for an unknown name. */
int kmt_profile_parse(const char *name);
const char *kmt_profile_name(kmt_profile p);

/* ---- building ------------------------------------------------------- */

typedef struct kmt_graph_build_opts {
    kmt_profile profile;
    int keep_all_components; /* 0 (default): keep only the largest strongly connected component */
    int ferries;             /* 0 (default): ferry routes are not used */
} kmt_graph_build_opts;

typedef struct kmt_graph_build_stats {
    uint64_t osm_nodes, osm_ways, routable_ways, missing_node_refs;
    uint64_t nodes, edges, removed_nodes, shortcuts;
    double seconds_read, seconds_graph, seconds_contract, seconds_write;
    uint64_t file_bytes;
} kmt_graph_build_stats;

/* Read an .osm.pbf file, build the graph and its contraction hierarchy, and
 * write it to out_path atomically (temporary file, then rename). Progress on
 * stderr when it is a terminal. Returns 0 or a KMT_E* code with e set. */
int kmt_graph_build(const char *pbf_path, const char *out_path, const kmt_graph_build_opts *opts,
                    kmt_graph_build_stats *stats, kmt_error *e);

/* ---- opening -------------------------------------------------------- */

/* Map a .kgraph file and verify its magic, version and checksum.
 * On success *g owns the mapping until kmt_graph_close. */
int kmt_graph_open(const char *path, kmt_graph **g, kmt_error *e);
void kmt_graph_close(kmt_graph *g); /* NULL is a no-op */

typedef struct kmt_graph_info {
    kmt_profile profile;
    uint32_t nodes, edges, segments;
    kmt_coord min, max; /* bounding box */
} kmt_graph_info;
void kmt_graph_get_info(const kmt_graph *g, kmt_graph_info *info);

/* ---- queries -------------------------------------------------------- */

/* A point on the road network: where a coordinate snapped to. */
typedef struct kmt_snap {
    kmt_coord input;    /* the coordinate asked for */
    kmt_coord location; /* the nearest point on a routable road */
    double distance_m;  /* from input to location */
    uint32_t segment;   /* internal: road segment snapped to */
    double offset;      /* internal: 0..1 position along that segment */
} kmt_snap;

/* Per-thread search state (reused between queries to avoid allocation). */
kmt_query *kmt_query_new(const kmt_graph *g);
void kmt_query_destroy(kmt_query *q);

/* Nearest point on a routable road within max_m metres (<= 0: no limit).
 * KMT_ENOTFOUND with e saying how far the nearest road is when beyond max_m. */
int kmt_graph_snap(const kmt_graph *g, kmt_coord c, double max_m, kmt_snap *out, kmt_error *e);

typedef struct kmt_route {
    double duration_s, distance_m;
    kmt_coord *geometry; /* owned; kmt_route_destroy releases it */
    size_t npoints;
    size_t nlegs;
    double *leg_duration_s, *leg_distance_m; /* nlegs each, owned */
} kmt_route;

/* Fastest route through the snapped points in order (at least 2).
 * KMT_EUNREACH when some leg has no path. */
int kmt_graph_route(kmt_query *q, const kmt_snap *pts, size_t n, kmt_route *out, kmt_error *e);
void kmt_route_destroy(kmt_route *r);
/* As kmt_graph_route; flags KMT_ROUTE_NO_GEOMETRY skips building the geometry
 * (geometry NULL, npoints 0) when only durations and distances are wanted. */
#define KMT_ROUTE_NO_GEOMETRY 1u
int kmt_graph_route_ex(kmt_query *q, const kmt_snap *pts, size_t n, unsigned flags, kmt_route *out, kmt_error *e);

/* Many-to-many: durations[i*nd+j] and distances[i*nd+j] from src[i] to dst[j]
 * (either output may be NULL). Unreachable cells are NAN. threads >= 1. */
int kmt_graph_table(const kmt_graph *g, const kmt_snap *src, size_t ns, const kmt_snap *dst, size_t nd, int threads,
                    double *durations, double *distances, kmt_error *e);

/* The same table by plain one-to-many Dijkstra on the original road graph
 * (no hierarchy): the reference that tests and benchmarks compare with.
 * Single-threaded; q supplies the search state. */
int kmt_graph_table_dijkstra(kmt_query *q, const kmt_snap *src, size_t ns, const kmt_snap *dst, size_t nd,
                             double *durations, double *distances, kmt_error *e);

/* Attributes of the road segment a point snapped to (for the map and tools). */
typedef struct kmt_road_info {
    int64_t way_id;
    const char *name;                    /* "" if none; valid while the graph is open */
    const char *road_class;              /* OSM highway value, e.g. "residential" */
    int maxspeed_kmh;                    /* tagged maxspeed, 0 if none */
    double speed_fwd_kmh, speed_bwd_kmh; /* speeds used, 0 where not allowed */
    int oneway;
    double length_m;
    double duration_fwd_s, duration_bwd_s; /* NAN where not allowed */
} kmt_road_info;
void kmt_graph_road_info(const kmt_graph *g, const kmt_snap *s, kmt_road_info *info);

/* Road segments: the pieces of OSM ways between junctions that make up the
 * graph, numbered 0..segments-1 (stable for one .kgraph file; the OSM way id
 * in kmt_road_info is stable across builds). */
uint32_t kmt_graph_segment_count(const kmt_graph *g);
void kmt_graph_segment_info(const kmt_graph *g, uint32_t segment, kmt_road_info *info);
/* Points of a segment from its first to its last node; returns the number of
 * points and, when out is not NULL, copies min(count, max) of them. */
size_t kmt_graph_segment_geometry(const kmt_graph *g, uint32_t segment, kmt_coord *out, size_t max);
/* The segments the fastest route from s to t runs along, in order (the first
 * and the last may be travelled in part). *segs is allocated (kmt_free);
 * KMT_EUNREACH when there is no route. */
int kmt_graph_route_segments(kmt_query *q, const kmt_snap *s, const kmt_snap *t, uint32_t **segs, size_t *n,
                             kmt_error *e);

#endif
