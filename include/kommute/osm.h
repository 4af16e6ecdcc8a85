/* SPDX-License-Identifier: MPL-2.0 */
/*
 * OpenStreetMap .osm.pbf reading (an own decoder on zlib) and a small PBF
 * writer (used by tests to make tiny hand-made maps, and by tools).
 *
 * The reader streams the file block by block and calls the handler for each
 * node, way and relation. Tag strings are NUL-terminated and valid only
 * during the callback. Coordinates are in 1e-7 degrees (OSM's own unit).
 */
#ifndef KOMMUTE_OSM_H
#define KOMMUTE_OSM_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"

typedef struct kmt_osm_tag {
    const char *key, *value;
} kmt_osm_tag;

typedef enum { KMT_OSM_NODE = 0, KMT_OSM_WAY = 1, KMT_OSM_RELATION = 2 } kmt_osm_type;

typedef struct kmt_osm_member {
    kmt_osm_type type;
    int64_t ref;
    const char *role;
} kmt_osm_member;

typedef struct kmt_osm_handler {
    /* Any callback may be NULL. Return non-zero to stop reading (the reader then
     * returns that value). */
    int (*node)(void *ctx, int64_t id, int32_t lat_e7, int32_t lon_e7, const kmt_osm_tag *tags, size_t ntags);
    int (*way)(void *ctx, int64_t id, const int64_t *refs, size_t nrefs, const kmt_osm_tag *tags, size_t ntags);
    int (*relation)(void *ctx, int64_t id, const kmt_osm_member *members, size_t nmembers, const kmt_osm_tag *tags,
                    size_t ntags);
    /* Called with bytes read so far and the file size, once per block. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
} kmt_osm_handler;

/* Read a whole .osm.pbf file. Returns 0, a handler's non-zero value, or a
 * KMT_E* code with e naming the file, the byte offset and what was wrong
 * (truncated file, bad protobuf, unsupported compression or feature). */
int kmt_osm_read_pbf(const char *path, const kmt_osm_handler *h, void *ctx, kmt_error *e);

/* The same on a PBF image in memory; name is used in messages. */
int kmt_osm_read_pbf_buffer(const uint8_t *data, size_t size, const char *name, const kmt_osm_handler *h, void *ctx,
                            kmt_error *e);

/* Value of key in tags, or NULL. */
const char *kmt_osm_tag_get(const kmt_osm_tag *tags, size_t ntags, const char *key);

/* ---- writer ---------------------------------------------------------- */

typedef struct kmt_osm_writer kmt_osm_writer;

/* Buffers everything and writes the file on kmt_osm_writer_finish (nodes in
 * one dense block, ways in another, relations in a third; zlib-compressed when
 * compress is non-zero). */
kmt_osm_writer *kmt_osm_writer_new(int compress);
void kmt_osm_writer_node(kmt_osm_writer *w, int64_t id, double lat, double lon, const kmt_osm_tag *tags, size_t ntags);
void kmt_osm_writer_way(kmt_osm_writer *w, int64_t id, const int64_t *refs, size_t nrefs, const kmt_osm_tag *tags,
                        size_t ntags);
void kmt_osm_writer_relation(kmt_osm_writer *w, int64_t id, const kmt_osm_member *members, size_t nmembers,
                             const kmt_osm_tag *tags, size_t ntags);
/* Writes the file atomically and frees w. */
int kmt_osm_writer_finish(kmt_osm_writer *w, const char *path, kmt_error *e);

#endif
