/* SPDX-License-Identifier: MPL-2.0 */
#include "kommute/geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG2RAD (M_PI / 180.0)
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

double kmt_geo_haversine_m(kmt_coord a, kmt_coord b)
{
    double dlat = (b.lat - a.lat) * DEG2RAD, dlon = (b.lon - a.lon) * DEG2RAD;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double h = s1 * s1 + cos(a.lat * DEG2RAD) * cos(b.lat * DEG2RAD) * s2 * s2;
    if (h > 1) h = 1;
    return 2 * KMT_EARTH_RADIUS_M * asin(sqrt(h));
}

double kmt_geo_fast_m(kmt_coord a, kmt_coord b)
{
    double x = (b.lon - a.lon) * DEG2RAD * cos((a.lat + b.lat) * 0.5 * DEG2RAD);
    double y = (b.lat - a.lat) * DEG2RAD;
    return KMT_EARTH_RADIUS_M * sqrt(x * x + y * y);
}

int kmt_geo_valid(kmt_coord c)
{
    return isfinite(c.lon) && isfinite(c.lat) && c.lon >= -180 && c.lon <= 180 && c.lat >= -90 && c.lat <= 90;
}

int kmt_geo_parse(const char *text, kmt_coord *out, kmt_error *e)
{
    char *end;
    double lon = strtod(text, &end);
    if (end == text || *end != ',')
        return kmt_error_set(e, KMT_EINVAL, "coordinate '%s': expected LON,LAT with a decimal point, e.g. 10.75,59.91",
                             text);
    const char *p = end + 1;
    double lat = strtod(p, &end);
    if (end == p || *end != '\0')
        return kmt_error_set(e, KMT_EINVAL, "coordinate '%s': expected LON,LAT with a decimal point, e.g. 10.75,59.91",
                             text);
    kmt_coord c = { lon, lat };
    if (!kmt_geo_valid(c))
        return kmt_error_set(e, KMT_EINVAL, "coordinate '%s': longitude must be in [-180,180] and latitude in [-90,90]",
                             text);
    *out = c;
    return KMT_OK;
}

static void encode_value(kmt_buf *b, long v)
{
    unsigned long u = v < 0 ? ~((unsigned long)v << 1) : (unsigned long)v << 1;
    char tmp[16];
    size_t n = 0;
    while (u >= 0x20) {
        tmp[n++] = (char)((0x20 | (u & 0x1f)) + 63);
        u >>= 5;
    }
    tmp[n++] = (char)(u + 63);
    kmt_buf_put(b, tmp, n);
}

void kmt_geo_polyline_encode(kmt_buf *b, const kmt_coord *pts, size_t n, int precision)
{
    double f = precision == 6 ? 1e6 : 1e5;
    long plat = 0, plon = 0;
    for (size_t i = 0; i < n; i++) {
        long lat = lround(pts[i].lat * f), lon = lround(pts[i].lon * f);
        encode_value(b, lat - plat);
        encode_value(b, lon - plon);
        plat = lat;
        plon = lon;
    }
}

int kmt_geo_polyline_decode(const char *s, int precision, kmt_coord **pts, size_t *npts)
{
    double f = precision == 6 ? 1e6 : 1e5;
    size_t cap = 16, n = 0;
    kmt_coord *out = kmt_malloc(cap * sizeof *out);
    long lat = 0, lon = 0;
    while (*s) {
        long vals[2];
        for (int k = 0; k < 2; k++) {
            unsigned long result = 0;
            int shift = 0, c;
            do {
                c = *s ? *s++ - 63 : -1;
                if (c < 0 || shift > 60) {
                    kmt_free(out);
                    return KMT_EINVAL;
                }
                result |= (unsigned long)(c & 0x1f) << shift;
                shift += 5;
            } while (c >= 0x20);
            vals[k] = (result & 1) ? ~(long)(result >> 1) : (long)(result >> 1);
        }
        lat += vals[0];
        lon += vals[1];
        if (n == cap) out = kmt_realloc(out, (cap *= 2) * sizeof *out);
        out[n++] = (kmt_coord){ (double)lon / f, (double)lat / f };
    }
    *pts = out;
    *npts = n;
    return 0;
}
