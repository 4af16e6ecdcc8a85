/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Internal layout of the road graph, shared by the files of src/graph.
 *
 * Weights: every arc carries one 64-bit key = duration_ds << 32 | distance_dm,
 * so comparing keys compares durations first and breaks ties by distance,
 * and adding keys adds both (distances stay far below 2^32 dm = 429,000 km).
 * One key makes the contraction hierarchy, the route query, the table and the
 * reference Dijkstra agree exactly, distances included.
 */
#ifndef KOMMUTE_GRAPH_INT_H
#define KOMMUTE_GRAPH_INT_H

#include <stdint.h>

#include "kommute/graph.h"
#include "kommute/osm.h"

#define KEY_INF UINT64_MAX
#define KEY_DUR(k) ((uint32_t)((k) >> 32))
#define KEY_DIST(k) ((uint32_t)((k)&0xffffffffu))
#define KEY_MAKE(dur_ds, dist_dm) (((uint64_t)(dur_ds) << 32) | (uint64_t)(dist_dm))
#define DUR_NONE UINT32_MAX /* direction not allowed */

/* Road classes, for the map and the profile tables. */
enum {
    RC_MOTORWAY,
    RC_MOTORWAY_LINK,
    RC_TRUNK,
    RC_TRUNK_LINK,
    RC_PRIMARY,
    RC_PRIMARY_LINK,
    RC_SECONDARY,
    RC_SECONDARY_LINK,
    RC_TERTIARY,
    RC_TERTIARY_LINK,
    RC_UNCLASSIFIED,
    RC_RESIDENTIAL,
    RC_LIVING_STREET,
    RC_SERVICE,
    RC_TRACK,
    RC_CYCLEWAY,
    RC_PATH,
    RC_FOOTWAY,
    RC_PEDESTRIAN,
    RC_STEPS,
    RC_BRIDLEWAY,
    RC_FERRY,
    RC_OTHER,
    RC_COUNT
};
extern const char *const kmt__road_class_names[RC_COUNT];
int kmt__road_class_parse(const char *highway);

/* What a profile says about a way. */
typedef struct way_attr {
    int fwd, bwd;                /* direction allowed */
    double speed_fwd, speed_bwd; /* km/h used for each allowed direction */
    uint8_t road_class;
    uint16_t maxspeed; /* the maxspeed tag in km/h, 0 if none/unparsable */
    uint8_t oneway;    /* 1 if only one direction is allowed */
} way_attr;

/* Returns 1 if the way is routable for the profile (attr filled), else 0. */
int kmt__profile_way(kmt_profile p, int ferries, const kmt_osm_tag *tags, size_t ntags, way_attr *attr);
/* Node tags: *blocks = 1 if a barrier stops this profile, *signals = 1 for traffic signals. */
void kmt__profile_node(kmt_profile p, const kmt_osm_tag *tags, size_t ntags, int *blocks, int *signals);
/* Speed in km/h from a maxspeed value ("50", "30 mph", "NO:urban", ...), 0 if unknown. */
double kmt__parse_maxspeed(const char *v);

/* Segment flags */
#define SEG_ONEWAY 1u
#define SEG_SIGNALS 2u

/* A road segment: one piece of an OSM way between two graph nodes, with its
 * geometry. Arcs of the routing graph are its allowed directions. */
typedef struct kgraph_seg {
    uint32_t u, v;     /* graph nodes at the first and the last point */
    uint32_t dur_fwd;  /* deciseconds u->v, DUR_NONE if not allowed */
    uint32_t dur_bwd;  /* deciseconds v->u, DUR_NONE if not allowed */
    uint32_t dist_dm;  /* length in decimetres */
    uint32_t geo_off;  /* first point in points[]; the last is points[seg+1].geo_off - 1 */
    uint32_t name_off; /* offset in the names blob, NUL-terminated ("" at 0) */
    uint16_t maxspeed; /* tagged km/h or 0 */
    uint8_t road_class;
    uint8_t flags;
    uint16_t speed_fwd_x10; /* km/h * 10 used, 0 if not allowed */
    uint16_t speed_bwd_x10;
    int64_t way_id;
} kgraph_seg;

typedef struct kgraph_point {
    int32_t lon_e7, lat_e7;
} kgraph_point;

/* Arc payload: original arc (bit 31) of segment (bits 0-29) in direction
 * (bit 30: 1 = v->u), or a shortcut whose middle node is the payload. */
#define ARC_ORIG 0x80000000u
#define ARC_REV 0x40000000u
#define ARC_SEG_MASK 0x3fffffffu

typedef struct kgraph_arc {
    uint32_t target; /* other end: head for up_out, tail for up_in */
    uint32_t payload;
    uint64_t key;
} kgraph_arc;

#define KGRAPH_MAGIC "KMTGRAPH"
#define KGRAPH_VERSION 1u
#define KGRAPH_ENDIAN 0x01020304u

enum {
    SEC_NODES,    /* kgraph_point per node */
    SEC_SEGS,     /* kgraph_seg per segment, plus one sentinel with geo_off = npoints */
    SEC_POINTS,   /* kgraph_point */
    SEC_OUT_IDX,  /* uint32 per node + 1 */
    SEC_OUT,      /* kgraph_arc */
    SEC_IN_IDX,   /* uint32 per node + 1 */
    SEC_IN,       /* kgraph_arc */
    SEC_GRID_IDX, /* uint32 per cell + 1 */
    SEC_GRID,     /* uint32 point index of a sub-segment's first point */
    SEC_NAMES,    /* NUL-terminated strings */
    SEC_COUNT
};

typedef struct kgraph_header {
    char magic[8];
    uint32_t version, endian;
    uint32_t profile, flags;
    uint64_t file_size;
    uint32_t checksum; /* crc32 of every byte after the header */
    uint32_t nodes, segs, points, arcs_out, arcs_in;
    uint32_t grid_w, grid_h;
    double grid_lon0, grid_lat0, grid_cell_deg_lon, grid_cell_deg_lat;
    double min_lon, min_lat, max_lon, max_lat;
    double cos_lat; /* for local projection */
    uint64_t sec_off[SEC_COUNT], sec_size[SEC_COUNT];
    char reserved[64];
} kgraph_header;

struct kmt_graph {
    const unsigned char *map;
    size_t map_size;
    int owned_copy; /* 1 if map is heap memory (tests), else mmap */
    const kgraph_header *h;
    const kgraph_point *nodes;
    const kgraph_seg *segs;
    const kgraph_point *points;
    const uint32_t *out_idx, *in_idx;
    const kgraph_arc *out, *in;
    const uint32_t *grid_idx, *grid;
    const char *names;
    uint32_t n, nseg, npoints;
};

/* In-memory graph while building (before the file exists). */
typedef struct build_graph {
    kmt_profile profile;
    uint32_t n; /* graph nodes */
    KMT_VEC(kgraph_point) node_xy;
    KMT_VEC(kgraph_seg) segs; /* without sentinel */
    KMT_VEC(kgraph_point) points;
    KMT_VEC(char) names;
    /* contraction result */
    uint32_t *out_idx, *in_idx;
    kgraph_arc *out, *in;
    uint32_t nout, nin;
} build_graph;

/* Contract bg (arcs from its segments) and fill out/in; nodes are renumbered
 * by rank (highest rank = id 0) in segments and node_xy too. */
int kmt__contract(build_graph *bg, kmt_graph_build_stats *st, kmt_error *e);
/* Write bg with a spatial grid to path atomically. */
int kmt__graph_write(build_graph *bg, const char *path, kmt_graph_build_stats *st, kmt_error *e);
/* Attach a graph to memory that holds a .kgraph image (validated). */
int kmt__graph_attach(kmt_graph *g, const unsigned char *map, size_t size, const char *path, kmt_error *e);

/* Brute-force snap over every sub-segment (tests). */
int kmt__graph_snap_brute(const kmt_graph *g, kmt_coord c, kmt_snap *out);
/* Key of the best route between two snapped points, KEY_INF if none (tests). */
uint64_t kmt__route_key(kmt_query *q, const kmt_snap *s, const kmt_snap *t);

static inline double kmt__e7(int32_t v)
{
    return (double)v * 1e-7;
}

/* Key of travelling the fraction frac (0..1) of segment s in direction rev. */
static inline uint64_t kmt__partial_key(const kgraph_seg *s, int rev, double frac)
{
    uint32_t dur = rev ? s->dur_bwd : s->dur_fwd;
    if (frac <= 0) return 0;
    if (frac >= 1) return KEY_MAKE(dur, s->dist_dm);
    return KEY_MAKE((uint32_t)(frac * dur + 0.5), (uint32_t)(frac * s->dist_dm + 0.5));
}

#endif
