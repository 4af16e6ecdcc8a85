/* SPDX-License-Identifier: MPL-2.0 */
/* GeoJSON geometry through the JSON writer (io uses geo, never the reverse). */
#include "kommute/geo.h"
#include "kommute/json.h"

void kmt_json_linestring(kmt_json *j, const kmt_coord *pts, size_t n)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "type");
    kmt_json_string(j, "LineString");
    kmt_json_key(j, "coordinates");
    kmt_json_array_begin(j);
    for (size_t i = 0; i < n; i++) {
        kmt_json_array_begin(j);
        kmt_json_double(j, pts[i].lon, 6);
        kmt_json_double(j, pts[i].lat, 6);
        kmt_json_array_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}
