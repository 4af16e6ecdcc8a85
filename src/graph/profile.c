/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Travel profiles: which OSM ways a car, a bicycle or a walker may use, in
 * which directions, and how fast. The car profile follows the shape of
 * OSRM's car profile (speed per highway class, maxspeed x 0.8, access
 * hierarchy, implied oneways, barriers); docs/graph.md lists the differences.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

const char *const kmt__road_class_names[RC_COUNT] = {
    "motorway",      "motorway_link",  "trunk",     "trunk_link",    "primary",      "primary_link",
    "secondary",     "secondary_link", "tertiary",  "tertiary_link", "unclassified", "residential",
    "living_street", "service",        "track",     "cycleway",      "path",         "footway",
    "pedestrian",    "steps",          "bridleway", "ferry",         "other"
};

int kmt__road_class_parse(const char *highway)
{
    if (!highway) return -1;
    for (int i = 0; i < RC_FERRY; i++)
        if (strcmp(highway, kmt__road_class_names[i]) == 0) return i;
    return -1;
}

int kmt_profile_parse(const char *name)
{
    if (!name) return -1;
    if (strcmp(name, "car") == 0 || strcmp(name, "driving") == 0) return KMT_PROFILE_CAR;
    if (strcmp(name, "bicycle") == 0 || strcmp(name, "bike") == 0 || strcmp(name, "cycling") == 0)
        return KMT_PROFILE_BICYCLE;
    if (strcmp(name, "foot") == 0 || strcmp(name, "walking") == 0) return KMT_PROFILE_FOOT;
    return -1;
}

const char *kmt_profile_name(kmt_profile p)
{
    switch (p) {
    case KMT_PROFILE_CAR: return "car";
    case KMT_PROFILE_BICYCLE: return "bicycle";
    case KMT_PROFILE_FOOT: return "foot";
    }
    return "?";
}

/* Car speeds in km/h per road class when no maxspeed is tagged (OSRM's table). */
static const double car_speed[RC_COUNT] = {
    [RC_MOTORWAY] = 90,      [RC_MOTORWAY_LINK] = 45, [RC_TRUNK] = 85,        [RC_TRUNK_LINK] = 40,
    [RC_PRIMARY] = 65,       [RC_PRIMARY_LINK] = 30,  [RC_SECONDARY] = 55,    [RC_SECONDARY_LINK] = 25,
    [RC_TERTIARY] = 40,      [RC_TERTIARY_LINK] = 20, [RC_UNCLASSIFIED] = 25, [RC_RESIDENTIAL] = 25,
    [RC_LIVING_STREET] = 10, [RC_SERVICE] = 15
};

#define MAXSPEED_FACTOR 0.8 /* tagged limits are not free-flow speeds (as OSRM) */
#define FERRY_KMH 10.0
#define WALK_KMH 5.0
#define PUSH_KMH 6.0 /* walking beside a bicycle (OSRM's bicycle profile uses 6) */

static int in_list(const char *v, const char *const *list)
{
    if (!v) return 0;
    for (; *list; list++)
        if (strcmp(v, *list) == 0) return 1;
    return 0;
}

static int is_yes(const char *v)
{
    return v && (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static int is_no(const char *v)
{
    return v && (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0);
}

/* The most specific access tag present among keys (in order), or NULL. */
static const char *access_of(const kmt_osm_tag *tags, size_t ntags, const char *const *keys)
{
    for (; *keys; keys++) {
        const char *v = kmt_osm_tag_get(tags, ntags, *keys);
        if (v) return v;
    }
    return NULL;
}

static const char *const car_access_keys[] = { "motorcar", "motor_vehicle", "vehicle", "access", NULL };
static const char *const bike_access_keys[] = { "bicycle", "vehicle", "access", NULL };
static const char *const foot_access_keys[] = { "foot", "access", NULL };
static const char *const access_denied[] = { "no",        "private",  "agricultural", "forestry",
                                             "emergency", "psv",      "customers",    "delivery",
                                             "military",  "disabled", "bus",          "discouraged",
                                             NULL };
static const char *const access_granted[] = { "yes", "designated", "permissive", "destination", "official", NULL };

double kmt__parse_maxspeed(const char *v)
{
    if (!v || !*v) return 0;
    static const struct {
        const char *code;
        double kmh;
    } zones[] = { { "NO:urban", 50 },         { "NO:rural", 80 },         { "NO:motorway", 110 },
                  { "SE:urban", 50 },         { "SE:rural", 70 },         { "SE:motorway", 110 },
                  { "DK:urban", 50 },         { "DK:rural", 80 },         { "DK:motorway", 130 },
                  { "FI:urban", 50 },         { "FI:rural", 80 },         { "FI:motorway", 120 },
                  { "DE:urban", 50 },         { "DE:rural", 100 },        { "FR:urban", 50 },
                  { "FR:rural", 80 },         { "NO:living_street", 8 },  { "SE:living_street", 7 },
                  { "DK:living_street", 15 }, { "FI:living_street", 20 }, { "walk", 6 },
                  { "living_street", 7 } };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(v, zones[i].code) == 0) return zones[i].kmh;
    char *end;
    double s = strtod(v, &end);
    if (end == v || s <= 0 || s > 300) return 0;
    while (*end == ' ') end++;
    if (strncmp(end, "mph", 3) == 0)
        s *= 1.609344;
    else if (strncmp(end, "knots", 5) == 0)
        s *= 1.852;
    else if (*end && strncmp(end, "km/h", 4) != 0 && strncmp(end, "kmh", 3) != 0 && *end != ';')
        return 0;
    return s;
}

static void set_oneway(way_attr *a, const char *oneway, int implied)
{
    if (oneway && (strcmp(oneway, "-1") == 0 || strcmp(oneway, "reverse") == 0)) {
        a->fwd = 0;
        a->oneway = 1;
    } else if (is_yes(oneway) || (implied && !is_no(oneway))) {
        a->bwd = 0;
        a->oneway = 1;
    }
}

/* route=ferry: used only when ferries are enabled and access allows. */
static int ferry_way(int ferries, const char *access, way_attr *a)
{
    if (!ferries || in_list(access, access_denied)) return 0;
    a->road_class = RC_FERRY;
    a->fwd = a->bwd = 1;
    a->speed_fwd = a->speed_bwd = FERRY_KMH;
    return 1;
}

static int car_way(int ferries, const kmt_osm_tag *tags, size_t ntags, way_attr *a)
{
    const char *hw = kmt_osm_tag_get(tags, ntags, "highway");
    int rc = kmt__road_class_parse(hw);
    const char *route = kmt_osm_tag_get(tags, ntags, "route");
    if (route && strcmp(route, "ferry") == 0) return ferry_way(ferries, access_of(tags, ntags, car_access_keys), a);
    if (rc < 0 || car_speed[rc] == 0) return 0;
    if (is_yes(kmt_osm_tag_get(tags, ntags, "area"))) return 0;
    if (is_yes(kmt_osm_tag_get(tags, ntags, "impassable"))) return 0;
    const char *service = kmt_osm_tag_get(tags, ntags, "service");
    if (service && strcmp(service, "emergency_access") == 0) return 0;
    const char *acc = access_of(tags, ntags, car_access_keys);
    if (in_list(acc, access_denied)) return 0;
    a->road_class = (uint8_t)rc;
    a->fwd = a->bwd = 1;
    const char *oneway = kmt_osm_tag_get(tags, ntags, "oneway");
    if (oneway && strcmp(oneway, "reversible") == 0) return 0;
    const char *junction = kmt_osm_tag_get(tags, ntags, "junction");
    int implied =
        rc == RC_MOTORWAY || (junction && (strcmp(junction, "roundabout") == 0 || strcmp(junction, "circular") == 0));
    set_oneway(a, oneway, implied);
    double ms = kmt__parse_maxspeed(kmt_osm_tag_get(tags, ntags, "maxspeed"));
    double msf = kmt__parse_maxspeed(kmt_osm_tag_get(tags, ntags, "maxspeed:forward"));
    double msb = kmt__parse_maxspeed(kmt_osm_tag_get(tags, ntags, "maxspeed:backward"));
    a->maxspeed = (uint16_t)(ms + 0.5);
    double base = car_speed[rc];
    a->speed_fwd = (msf > 0 ? msf : ms > 0 ? ms : 0) * MAXSPEED_FACTOR;
    a->speed_bwd = (msb > 0 ? msb : ms > 0 ? ms : 0) * MAXSPEED_FACTOR;
    if (a->speed_fwd <= 0) a->speed_fwd = base;
    if (a->speed_bwd <= 0) a->speed_bwd = base;
    return a->fwd || a->bwd;
}

static int bicycle_way(int ferries, const kmt_osm_tag *tags, size_t ntags, way_attr *a)
{
    const char *hw = kmt_osm_tag_get(tags, ntags, "highway");
    const char *route = kmt_osm_tag_get(tags, ntags, "route");
    const char *acc = access_of(tags, ntags, bike_access_keys);
    if (route && strcmp(route, "ferry") == 0) return ferry_way(ferries, acc, a);
    int rc = kmt__road_class_parse(hw);
    if (rc < 0) return 0;
    if (in_list(acc, access_denied)) return 0;
    int granted = in_list(kmt_osm_tag_get(tags, ntags, "bicycle"), access_granted);
    double speed;
    switch (rc) {
    case RC_MOTORWAY:
    case RC_MOTORWAY_LINK:
    case RC_TRUNK:
    case RC_TRUNK_LINK:
        if (!granted) return 0;
        speed = 18;
        break;
    case RC_CYCLEWAY: speed = 18; break;
    case RC_TRACK:
    case RC_PATH:
    case RC_BRIDLEWAY: speed = 12; break;
    case RC_FOOTWAY:
    case RC_PEDESTRIAN: speed = granted ? 12 : PUSH_KMH; break;
    case RC_STEPS:
        if (!granted) return 0;
        speed = 2;
        break;
    case RC_LIVING_STREET: speed = 10; break;
    default: speed = 16;
    }
    a->road_class = (uint8_t)rc;
    a->fwd = a->bwd = 1;
    a->speed_fwd = a->speed_bwd = speed;
    const char *oneway = kmt_osm_tag_get(tags, ntags, "oneway:bicycle");
    if (!oneway) oneway = kmt_osm_tag_get(tags, ntags, "oneway");
    const char *junction = kmt_osm_tag_get(tags, ntags, "junction");
    const char *cycleway = kmt_osm_tag_get(tags, ntags, "cycleway");
    int implied = junction && strcmp(junction, "roundabout") == 0;
    if (cycleway && strncmp(cycleway, "opposite", 8) == 0) oneway = "no";
    way_attr t = *a;
    set_oneway(&t, oneway, implied);
    /* Against a oneway a cyclist may walk the bicycle (not in roundabouts). */
    if (!t.fwd) a->speed_fwd = implied ? 0 : PUSH_KMH;
    if (!t.bwd) a->speed_bwd = implied ? 0 : PUSH_KMH;
    if (a->speed_fwd == 0) a->fwd = 0;
    if (a->speed_bwd == 0) a->bwd = 0;
    a->oneway = t.oneway;
    a->maxspeed = (uint16_t)(kmt__parse_maxspeed(kmt_osm_tag_get(tags, ntags, "maxspeed")) + 0.5);
    return a->fwd || a->bwd;
}

static int foot_way(int ferries, const kmt_osm_tag *tags, size_t ntags, way_attr *a)
{
    const char *hw = kmt_osm_tag_get(tags, ntags, "highway");
    const char *route = kmt_osm_tag_get(tags, ntags, "route");
    const char *acc = access_of(tags, ntags, foot_access_keys);
    if (route && strcmp(route, "ferry") == 0) return ferry_way(ferries, acc, a);
    int rc = kmt__road_class_parse(hw);
    if (rc < 0 || in_list(acc, access_denied)) return 0;
    int granted = in_list(kmt_osm_tag_get(tags, ntags, "foot"), access_granted);
    if ((rc == RC_MOTORWAY || rc == RC_MOTORWAY_LINK || rc == RC_TRUNK || rc == RC_TRUNK_LINK) && !granted) return 0;
    a->road_class = (uint8_t)rc;
    a->fwd = a->bwd = 1;
    a->speed_fwd = a->speed_bwd = rc == RC_STEPS ? 3.0 : WALK_KMH;
    const char *oneway = kmt_osm_tag_get(tags, ntags, "oneway:foot");
    if (oneway) set_oneway(a, oneway, 0);
    a->maxspeed = 0;
    return a->fwd || a->bwd;
}

int kmt__profile_way(kmt_profile p, int ferries, const kmt_osm_tag *tags, size_t ntags, way_attr *attr)
{
    memset(attr, 0, sizeof *attr);
    int ok = 0;
    switch (p) {
    case KMT_PROFILE_CAR: ok = car_way(ferries, tags, ntags, attr); break;
    case KMT_PROFILE_BICYCLE: ok = bicycle_way(ferries, tags, ntags, attr); break;
    case KMT_PROFILE_FOOT: ok = foot_way(ferries, tags, ntags, attr); break;
    }
    if (ok) {
        if (!attr->fwd) attr->speed_fwd = 0;
        if (!attr->bwd) attr->speed_bwd = 0;
    }
    return ok;
}

void kmt__profile_node(kmt_profile p, const kmt_osm_tag *tags, size_t ntags, int *blocks, int *signals)
{
    *blocks = 0;
    *signals = 0;
    if (ntags == 0) return;
    const char *hw = kmt_osm_tag_get(tags, ntags, "highway");
    if (p == KMT_PROFILE_CAR && hw && strcmp(hw, "traffic_signals") == 0) *signals = 1;
    const char *barrier = kmt_osm_tag_get(tags, ntags, "barrier");
    if (!barrier || p != KMT_PROFILE_CAR) return;
    /* Barriers a car passes (OSRM's car profile lists the same kinds). */
    static const char *const passable[] = {
        "cattle_grid", "border_control", "checkpoint",        "toll_booth", "sally_port", "gate", "lift_gate",
        "no",          "entrance",       "height_restrictor", "arch",       "kerb",       NULL
    };
    const char *acc = access_of(tags, ntags, car_access_keys);
    if (in_list(barrier, passable)) {
        *blocks = in_list(acc, access_denied); /* a locked gate: access=private/no */
        return;
    }
    *blocks = !in_list(acc, access_granted); /* bollards and blocks stop cars */
}
