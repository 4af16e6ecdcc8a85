/* SPDX-License-Identifier: MPL-2.0 */
/*
 * A small, fast streaming JSON writer. Output goes into a growable buffer (kmt_buf, core)
 * that is flushed to a FILE when it grows past a threshold (or kept whole
 * when no FILE is given, for the HTTP server). Commas between values are
 * inserted automatically. Parsing of JSON input uses jansson (io module).
 */
#ifndef KOMMUTE_JSON_H
#define KOMMUTE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kommute/core.h"
#include "kommute/geo.h"

#define KMT_JSON_MAX_DEPTH 64

typedef struct kmt_json {
    kmt_buf buf;
    FILE *out; /* NULL: keep everything in buf */
    int depth;
    unsigned char first[KMT_JSON_MAX_DEPTH]; /* 1 if no value yet at this depth */
    int after_key;
    int pretty;
    int failed; /* a write to out failed */
} kmt_json;

/* out may be NULL (buffer only). */
void kmt_json_init(kmt_json *j, FILE *out);
/* Flushes to out; returns 0 or KMT_EIO if any write failed. Frees the buffer if out != NULL. */
int kmt_json_finish(kmt_json *j);
void kmt_json_destroy(kmt_json *j);

void kmt_json_object_begin(kmt_json *j);
void kmt_json_object_end(kmt_json *j);
void kmt_json_array_begin(kmt_json *j);
void kmt_json_array_end(kmt_json *j);
void kmt_json_key(kmt_json *j, const char *key);
void kmt_json_string(kmt_json *j, const char *s);
void kmt_json_stringn(kmt_json *j, const char *s, size_t n);
void kmt_json_int(kmt_json *j, int64_t v);
/* A double with at most `decimals` digits after the point, trailing zeros
 * removed ("12.5", "3"). Non-finite values are written as null. */
void kmt_json_double(kmt_json *j, double v, int decimals);
void kmt_json_bool(kmt_json *j, int v);
void kmt_json_null(kmt_json *j);
/* Pre-formatted JSON text inserted as one value. */
void kmt_json_raw(kmt_json *j, const char *text);

/* GeoJSON LineString object {"type":"LineString","coordinates":[[lon,lat],...]} (degrees)
 * of n points (6 decimals) as one value. */
void kmt_json_linestring(kmt_json *j, const kmt_coord *pts, size_t n);

/* Size of the buffer kmt_fmt_double needs. */
#define KMT_FMT_DOUBLE_SIZE 32
/* Format v with at most `decimals` (0..9) decimals into s (at least
 * KMT_FMT_DOUBLE_SIZE bytes, not NUL-terminated); returns the length
 * written. Values of 1e15 or more are written in the shortest exact form,
 * with an exponent when that is shorter ("1e+300"); non-finite ones as
 * "null". Exposed for CSV writers. */
size_t kmt_fmt_double(char *s, double v, int decimals);

#endif
