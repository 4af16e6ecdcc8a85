/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Coordinates and distances on the earth, and line geometry encodings.
 * Uses core only (GeoJSON output is the io module's kmt_json_linestring).
 * Coordinates are WGS84 degrees, longitude first (as in GeoJSON and OSRM).
 */
#ifndef KOMMUTE_GEO_H
#define KOMMUTE_GEO_H

#include <stddef.h>

#include "kommute/core.h"

#define KMT_EARTH_RADIUS_M 6371000.0 /* mean radius, as haversine users expect */

typedef struct kmt_coord {
    double lon, lat;
} kmt_coord;

/* Great-circle distance in metres (haversine, R = 6371 km). */
double kmt_geo_haversine_m(kmt_coord a, kmt_coord b);
/* Equirectangular approximation in metres: fast, accurate to ~0.1% below 50 km. */
double kmt_geo_fast_m(kmt_coord a, kmt_coord b);
/* 1 if lon in [-180,180] and lat in [-90,90] and both finite. */
int kmt_geo_valid(kmt_coord c);
/* Parse "LON,LAT" (decimal point). Returns 0 or KMT_EINVAL with e naming the text. */
int kmt_geo_parse(const char *text, kmt_coord *out, kmt_error *e);

/* Google/OSRM encoded polyline of n points with precision 5 (OSRM default) or 6,
 * appended to b (no quotes). Points are lon/lat; the encoding is lat,lon. */
void kmt_geo_polyline_encode(kmt_buf *b, const kmt_coord *pts, size_t n, int precision);
/* Decode into a newly allocated array *pts of *npts points (caller frees
 * with kmt_free). Returns 0, or KMT_EINVAL for a malformed string (nothing
 * allocated then). */
int kmt_geo_polyline_decode(const char *s, int precision, kmt_coord **pts, size_t *npts);

#endif
