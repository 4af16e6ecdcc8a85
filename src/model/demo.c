/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The synthetic demo municipality (docs/data.md, "Demo data"). Everything
 * comes from one kmt_rng seeded with the user's seed, drawn in a fixed
 * order, so the output is the same on every machine.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/model.h"

/* The bundled road extract's area, kept 300 m inside its edges. */
#define LON0 10.713
#define LON1 10.824
#define LAT0 59.863
#define LAT1 59.935

enum { D_HOMECARE, D_SCHOOLS, D_TECHNICAL, D_ADMIN, D_HEALTH, D_CULTURE, D_N };
static const char *const dept_names[D_N] = { "Hjemmepleje",    "Skoler",  "Teknik og Miljø",
                                             "Administration", "Sundhed", "Kultur og Fritid" };

/* A kind of site: its department, how many at each scale, and its vehicles. */
typedef struct {
    const char *name;
    int dept;
    int count[2];
    struct {
        kmt_vehicle_kind kind;
        kmt_fuel fuel;
        int count[2];
    } fleet[4];
} site_type;

static const site_type site_types[] = {
    { "Rådhuset",
      D_ADMIN,
      { 1, 1 },
      { { KMT_KIND_CAR, KMT_FUEL_ELECTRIC, { 1, 6 } },
        { KMT_KIND_CAR, KMT_FUEL_HYBRID, { 1, 5 } },
        { KMT_KIND_CAR, KMT_FUEL_PETROL, { 1, 4 } } } },
    { "Hjemmeplejen",
      D_HOMECARE,
      { 2, 10 },
      { { KMT_KIND_CAR, KMT_FUEL_PETROL, { 3, 6 } },
        { KMT_KIND_CAR, KMT_FUEL_ELECTRIC, { 2, 5 } },
        { KMT_KIND_CAR, KMT_FUEL_HYBRID, { 1, 2 } },
        { KMT_KIND_EBIKE, KMT_FUEL_ELECTRIC, { 1, 2 } } } },
    { "Materielgården",
      D_TECHNICAL,
      { 1, 4 },
      { { KMT_KIND_VAN, KMT_FUEL_DIESEL, { 4, 14 } },
        { KMT_KIND_VAN, KMT_FUEL_ELECTRIC, { 1, 3 } },
        { KMT_KIND_CAR, KMT_FUEL_DIESEL, { 1, 3 } },
        { KMT_KIND_MINIBUS, KMT_FUEL_HVO, { 0, 1 } } } },
    { "Skole",
      D_SCHOOLS,
      { 2, 14 },
      { { KMT_KIND_MINIBUS, KMT_FUEL_DIESEL, { 1, 1 } }, { KMT_KIND_CAR, KMT_FUEL_PLUGIN, { 1, 1 } } } },
    { "Sundhedshuset",
      D_HEALTH,
      { 1, 4 },
      { { KMT_KIND_CAR, KMT_FUEL_ELECTRIC, { 1, 3 } }, { KMT_KIND_CAR, KMT_FUEL_PETROL, { 1, 3 } } } },
    { "Kulturhuset", D_CULTURE, { 1, 3 }, { { KMT_KIND_VAN, KMT_FUEL_BIOGAS, { 1, 2 } } } },
};
#define NSITE_TYPES (sizeof site_types / sizeof site_types[0])

typedef struct {
    kmt_dataset *d;
    kmt_rng r;
    int scale, year;
    char buf[128];
} gen;

static double uni(gen *g, double a, double b)
{
    return a + (b - a) * kmt_rng_double(&g->r);
}
static int chance(gen *g, double p)
{
    return kmt_rng_double(&g->r) < p;
}
static int pick(gen *g, int n)
{
    return (int)kmt_rng_below(&g->r, (uint64_t)n);
}

static const char *str(gen *g, const char *fmt, ...) KMT_PRINTF(2, 3);
static const char *str(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->buf, sizeof g->buf, fmt, ap);
    va_end(ap);
    return kmt_dataset_str(g->d, g->buf);
}

static void vehicle_specs(gen *g, kmt_vehicle *v)
{
    static const char *const cars[][2] = { { "Toyota", "Yaris" }, { "Skoda", "Octavia" }, { "VW", "Polo" } };
    static const char *const evs[][2] = { { "Renault", "Zoe" }, { "VW", "ID.3" }, { "Hyundai", "Kona" } };
    switch (v->kind) {
    case KMT_KIND_CAR:
        v->seats = 5;
        if (v->fuel == KMT_FUEL_ELECTRIC) {
            int k = pick(g, 3);
            v->make = evs[k][0], v->model = evs[k][1];
            v->range_km = 300 + 20 * pick(g, 6);
            v->wh_per_km = 150 + pick(g, 30);
            v->fixed_cost_per_year = 52000;
            v->cost_per_km = 0.45;
        } else {
            int k = pick(g, 3);
            v->make = cars[k][0], v->model = cars[k][1];
            v->km_per_litre = v->fuel == KMT_FUEL_HYBRID ? 24 : v->fuel == KMT_FUEL_PLUGIN ? 40 : 18;
            if (v->fuel == KMT_FUEL_DIESEL) v->km_per_litre = 21;
            if (v->fuel == KMT_FUEL_PLUGIN) v->wh_per_km = 190, v->range_km = 50;
            v->fixed_cost_per_year = v->fuel == KMT_FUEL_PETROL ? 45000 : 50000;
            v->cost_per_km = 0.9;
        }
        break;
    case KMT_KIND_VAN:
        v->seats = 2;
        if (v->fuel == KMT_FUEL_ELECTRIC) {
            v->make = "Renault", v->model = "Kangoo E-Tech";
            v->range_km = 250, v->wh_per_km = 230, v->fixed_cost_per_year = 65000, v->cost_per_km = 0.6;
        } else {
            v->make = "Ford", v->model = "Transit Connect";
            v->km_per_litre = v->fuel == KMT_FUEL_BIOGAS ? 12 : 14;
            v->fixed_cost_per_year = 60000, v->cost_per_km = 1.2;
        }
        break;
    case KMT_KIND_MINIBUS:
        v->seats = 9, v->make = "Mercedes", v->model = "Sprinter";
        v->km_per_litre = 10, v->fixed_cost_per_year = 90000, v->cost_per_km = 1.6;
        break;
    case KMT_KIND_EBIKE:
        v->seats = 1, v->make = "Gazelle", v->model = "E-bike";
        v->range_km = 60, v->wh_per_km = 10, v->fixed_cost_per_year = 3500, v->cost_per_km = 0.1;
        break;
    default: v->seats = 1, v->make = "Principia", v->model = "Citybike", v->fixed_cost_per_year = 1500; break;
    }
    v->make = kmt_dataset_str(g->d, v->make);
    v->model = kmt_dataset_str(g->d, v->model);
}

/* "AB 12 345": letters and digits drawn one by one, in order. */
static const char *registration(gen *g)
{
    int a = 'A' + pick(g, 26);
    int b = 'A' + pick(g, 26);
    int n1 = 10 + pick(g, 90);
    int n2 = pick(g, 1000);
    return str(g, "%c%c %02d %03d", a, b, n1, n2);
}

static void make_places(gen *g)
{
    kmt_dataset *d = g->d;
    kmt_municipality m = { 0, kmt_dataset_str(d, "Demo Kommune") };
    KMT_VEC_PUSH(d->municipalities, m);
    kmt_org root = { 0, 0, -1, 0, m.name };
    KMT_VEC_PUSH(d->orgs, root);
    for (int i = 0; i < D_N; i++) {
        kmt_org o = { 0, 0, 0, 1, kmt_dataset_str(d, dept_names[i]) };
        KMT_VEC_PUSH(d->orgs, o);
    }
    int vno = 0;
    for (size_t t = 0; t < NSITE_TYPES; t++) {
        const site_type *st = &site_types[t];
        for (int k = 0; k < st->count[g->scale]; k++) {
            kmt_site s;
            kmt_site_init(&s);
            s.key = str(g, "S%02zu", d->sites.n + 1);
            s.name = st->count[g->scale] > 1 ? str(g, "%s %d", st->name, k + 1) : kmt_dataset_str(d, st->name);
            s.pos.lon = round(uni(g, LON0, LON1) * 1e6) / 1e6;
            s.pos.lat = round(uni(g, LAT0, LAT1) * 1e6) / 1e6;
            KMT_VEC_PUSH(d->sites, s);
            for (int f = 0; f < 4; f++) {
                for (int n = 0; n < st->fleet[f].count[g->scale]; n++) {
                    kmt_vehicle v;
                    kmt_vehicle_init(&v);
                    v.kind = st->fleet[f].kind;
                    v.fuel = st->fleet[f].fuel;
                    v.key = str(g, "V%03d", ++vno);
                    v.registration = v.kind == KMT_KIND_EBIKE ? kmt_dataset_str(d, "") : registration(g);
                    v.site = (int32_t)(d->sites.n - 1);
                    v.department = 1 + st->dept;
                    int age = pick(g, 4);
                    int month = 1 + pick(g, 12);
                    v.in_service_from = kmt_time_make(g->year - 1 - age, month, 1, 0, 0, 0);
                    vehicle_specs(g, &v);
                    KMT_VEC_PUSH(d->vehicles, v);
                }
            }
        }
    }
}

/* ---- trips ----------------------------------------------------------------- */

/* Danish school holidays, roughly: summer (weeks 27-32), autumn (42),
 * winter (7), Christmas (Dec 21 - Jan 2). */
static int school_holiday(const kmt_civil *c)
{
    int week = c->yday / 7 + 1;
    return (week >= 27 && week <= 32) || week == 42 || week == 7 || (c->month == 12 && c->day >= 21) ||
           (c->month == 1 && c->day <= 2);
}

static int public_holiday(const kmt_civil *c)
{
    return (c->month == 12 && c->day >= 24 && c->day <= 26) || (c->month == 1 && c->day == 1) ||
           (c->month == 6 && c->day == 5);
}

typedef struct {
    gen *g;
    kmt_time day;
    int32_t vehicle, site, dept;
    kmt_time busy_until; /* the vehicle is away until then */
} dayctx;

static const char *purposes[D_N] = { "home care round", "school trip", "work order",
                                     "meeting",         "home visit",  "event transport" };

/* One trip leaving at `start` (s since midnight, pushed after the previous
 * trip plus a changeover) lasting `dur` s, `km` long. */
static void trip(dayctx *x, double start, double dur, double km, const char *driver)
{
    kmt_dataset *d = x->g->d;
    kmt_trip t;
    kmt_trip_init(&t);
    t.start = x->day + (kmt_time)(start / 60) * 60;
    if (t.start < x->busy_until) t.start = x->busy_until;
    t.end = t.start + (kmt_time)(dur / 60) * 60;
    if (t.end - x->day > 23 * 3600 + 50 * 60) return; /* would run past the day */
    x->busy_until = t.end + 10 * 60;
    t.vehicle = x->vehicle;
    t.site = x->site;
    t.department = x->dept;
    t.from = t.to = d->sites.v[x->site].pos;
    t.km = km;
    t.driver = driver;
    t.purpose = kmt_dataset_str(d, purposes[x->dept - 1]);
    KMT_VEC_PUSH(d->trips, t);
}

/* A trip with start hour, duration (h) and km drawn in that order from
 * r = {start min, max, duration min, max, km min, max}. (Draws are separate
 * statements: C leaves the order of argument evaluation open, and the data
 * must be the same whatever the compiler.) */
static void trip_rand(dayctx *x, const double r[6], const char *driver)
{
    double start = uni(x->g, r[0], r[1]);
    double dur = uni(x->g, r[2], r[3]);
    double km = uni(x->g, r[4], r[5]);
    trip(x, start * 3600, dur * 3600, km, driver);
}

/* n trips one after another from hour t; r = {duration min, max (h), pause
 * min, max (h), km min, max}. */
static void chain(dayctx *x, int n, double t, const double r[6], const char *driver)
{
    for (int i = 0; i < n; i++) {
        double dur = uni(x->g, r[0], r[1]);
        double km = uni(x->g, r[4], r[5]);
        trip(x, t * 3600, dur * 3600, km, driver);
        t += dur + uni(x->g, r[2], r[3]);
    }
}

static const char *driver_id(gen *g, int dept, int n)
{
    return str(g, "%c%03d", "HSTAHK"[dept], n);
}

static void vehicle_day(gen *g, dayctx *x, const kmt_vehicle *v, const kmt_civil *c)
{
    int dept = v->department - 1, weekend = c->weekday >= 5;
    int summer = c->month == 7;
    const char *drv = driver_id(g, dept, pick(g, 40));
    if (dept == D_HOMECARE) {
        double p = weekend ? 0.75 : 0.95;
        if (v->kind == KMT_KIND_EBIKE) {
            if (!weekend && chance(g, 0.6) && c->month >= 4 && c->month <= 10)
                trip_rand(x, (const double[6]){ 8, 10, 1, 2.5, 5, 14 }, drv);
            return;
        }
        if (chance(g, p)) trip_rand(x, (const double[6]){ 7.1, 7.6, 3.5, 4.5, 18, 40 }, drv);
        if (chance(g, p * 0.8)) trip_rand(x, (const double[6]){ 11.6, 12.4, 2, 3, 10, 28 }, drv);
        if (chance(g, p * 0.6)) {
            const char *evening = driver_id(g, dept, 40 + pick(g, 20));
            trip_rand(x, (const double[6]){ 15.4, 16.0, 3, 4, 15, 32 }, evening);
        }
        if (chance(g, p * 0.15)) {
            const char *night = driver_id(g, dept, 60 + pick(g, 10));
            trip_rand(x, (const double[6]){ 20.5, 21.5, 1, 2, 8, 20 }, night);
        }
        return;
    }
    if (weekend || public_holiday(c)) {
        if (dept == D_TECHNICAL && chance(g, 0.05)) /* on-call */
            trip_rand(x, (const double[6]){ 6, 20, 1, 3, 10, 40 }, drv);
        return;
    }
    double slow = summer ? 0.5 : 1.0;
    switch (dept) {
    case D_TECHNICAL: {
        if (!chance(g, (v->kind == KMT_KIND_CAR ? 0.6 : 0.85) * slow)) return;
        int n = 1 + pick(g, 3);
        chain(x, n, uni(g, 7, 8.5), (const double[6]){ 1, 3, 0.3, 1.5, 15, 70 }, drv);
        return;
    }
    case D_SCHOOLS:
        if (school_holiday(c)) return;
        if (chance(g, v->kind == KMT_KIND_MINIBUS ? 0.5 : 0.4))
            trip_rand(x,
                      v->kind == KMT_KIND_MINIBUS ? (const double[6]){ 8.2, 12, 1.5, 4.5, 25, 90 }
                                                  : (const double[6]){ 8.2, 12, 1.5, 4.5, 10, 45 },
                      drv);
        return;
    case D_ADMIN:
        if (chance(g, 0.55 * slow)) {
            double t = uni(g, 8, 11);
            double dur = uni(g, 1, 3);
            double km = uni(g, 10, 90);
            trip(x, t * 3600, dur * 3600, km, drv);
            if (chance(g, 0.3)) trip_rand(x, (const double[6]){ t + dur + 0.5, t + dur + 0.5, 1, 2, 10, 40 }, drv);
        }
        return;
    case D_HEALTH:
        if (chance(g, 0.8 * slow)) {
            int n = 2 + pick(g, 2);
            chain(x, n, uni(g, 8, 9), (const double[6]){ 0.8, 2, 0.2, 1, 6, 28 }, drv);
        }
        return;
    default:
        if (chance(g, 0.3 * slow)) trip_rand(x, (const double[6]){ 9, 14, 1, 4, 10, 50 }, drv);
        return;
    }
}

/* Staff's own cars: no vehicle, a department and its sites. */
static void private_day(gen *g, kmt_time day, const kmt_civil *c, int per_day, const int32_t *dept_site,
                        const int *dept_nsites)
{
    kmt_dataset *d = g->d;
    if (c->weekday >= 5 || public_holiday(c)) per_day /= 8;
    if (c->month == 7) per_day /= 2;
    static const char *const why[] = { "meeting", "home visit", "training", "inspection", "course" };
    static const double dept_w[D_N] = { 0.35, 0.2, 0.15, 0.1, 0.15, 0.05 };
    for (int i = 0; i < per_day; i++) {
        double u = kmt_rng_double(&g->r), acc = 0;
        int dept = D_N - 1;
        for (int k = 0; k < D_N; k++)
            if (u < (acc += dept_w[k])) {
                dept = k;
                break;
            }
        int32_t site = dept_site[dept * 64 + pick(g, dept_nsites[dept])];
        kmt_trip t;
        kmt_trip_init(&t);
        t.start = day + (kmt_time)(uni(g, 7.5, 15) * 60) * 60;
        t.end = t.start + (kmt_time)(uni(g, 0.5, 3) * 60) * 60;
        t.site = site;
        t.department = 1 + dept;
        t.from = t.to = d->sites.v[site].pos;
        t.km = uni(g, 4, 45);
        t.driver = driver_id(g, dept, 100 + pick(g, g->scale ? 900 : 120));
        t.purpose = kmt_dataset_str(d, why[pick(g, 5)]);
        KMT_VEC_PUSH(d->trips, t);
    }
}

static int cmp_trip(const void *a, const void *b)
{
    const kmt_trip *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (x->vehicle > y->vehicle) - (x->vehicle < y->vehicle);
}

static void make_trips(gen *g)
{
    kmt_dataset *d = g->d;
    int32_t dept_site[D_N * 64];
    int dept_nsites[D_N] = { 0 };
    for (size_t i = 0; i < d->sites.n; i++) {
        /* a site's department is its first vehicle's */
        for (size_t v = 0; v < d->vehicles.n; v++)
            if (d->vehicles.v[v].site == (int32_t)i) {
                int dep = d->vehicles.v[v].department - 1;
                if (dept_nsites[dep] < 64) dept_site[dep * 64 + dept_nsites[dep]++] = (int32_t)i;
                break;
            }
    }
    kmt_time y0 = kmt_time_make(g->year, 1, 1, 0, 0, 0), y1 = kmt_time_make(g->year + 1, 1, 1, 0, 0, 0);
    /* private trips per working day, sized so that the mean trip (~24.5 km)
     * gives the private-car target before scaling */
    double ratio = (double)d->vehicles.n / 300.0;
    int per_day = (int)(KMT_DEMO_PRIVATE_KM * (g->scale ? 1.0 : ratio) / 24.5 / 260.0);
    /* Each day only part of a site's vehicles is needed (55-85 %, drawn per
     * site and day; the others stand idle), as in the departments' own
     * fleets that the analyses should find too large. Vehicles of a site are
     * contiguous in d->vehicles. */
    int32_t *order = kmt_malloc(d->vehicles.n * sizeof *order);
    for (kmt_time day = y0; day < y1; day += KMT_DAY) {
        kmt_civil c = kmt_time_civil(day);
        for (size_t a = 0; a < d->vehicles.n;) {
            size_t b = a;
            while (b < d->vehicles.n && d->vehicles.v[b].site == d->vehicles.v[a].site) b++;
            int n = (int)(b - a);
            for (int i = 0; i < n; i++) order[i] = (int32_t)a + i;
            for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
                int j = pick(g, i + 1);
                int32_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int active = (int)lround(n * uni(g, 0.55, 0.85));
            if (active < 1) active = 1;
            for (int i = 0; i < active; i++) {
                const kmt_vehicle *v = &d->vehicles.v[order[i]];
                dayctx x = { g, day, order[i], v->site, v->department, 0 };
                vehicle_day(g, &x, v, &c);
            }
            a = b;
        }
        private_day(g, day, &c, per_day, dept_site, dept_nsites);
    }
    kmt_free(order);
    /* scale km so that the year's totals match the targets exactly */
    double fleet = 0, priv = 0;
    for (size_t i = 0; i < d->trips.n; i++) *(d->trips.v[i].vehicle >= 0 ? &fleet : &priv) += d->trips.v[i].km;
    double tf = KMT_DEMO_FLEET_KM, tp = KMT_DEMO_PRIVATE_KM;
    if (g->scale == KMT_DEMO_SMALL) tf *= ratio, tp *= ratio;
    double sf = fleet > 0 ? tf / fleet : 1, sp = priv > 0 ? tp / priv : 1;
    for (size_t i = 0; i < d->trips.n; i++) {
        kmt_trip *t = &d->trips.v[i];
        t->km = round(t->km * (t->vehicle >= 0 ? sf : sp) * 10) / 10;
    }
    qsort(d->trips.v, d->trips.n, sizeof *d->trips.v, cmp_trip);
    for (size_t i = 0; i < d->trips.n; i++) d->trips.v[i].key = str(g, "T%07zu", i + 1);
}

/* ---- travel records ---------------------------------------------------------- */

typedef struct {
    const char *name;
    double lon, lat, km; /* km one way from the municipality */
} place;

static const place far_places[] = {
    { "Aarhus", 10.2039, 56.1629, 45 },  { "Randers", 10.0364, 56.4607, 60 },    { "Silkeborg", 9.5452, 56.1697, 85 },
    { "Vejle", 9.5357, 55.7093, 110 },   { "Odense", 10.3883, 55.3959, 160 },    { "København", 12.5683, 55.6761, 300 },
    { "Aalborg", 9.9217, 57.0488, 150 }, { "Stockholm", 18.0686, 59.3293, 650 },
};

static kmt_mode choose_mode(gen *g, double km)
{
    double u = kmt_rng_double(&g->r);
    if (km < 3) return u < 0.5 ? KMT_MODE_WALK : KMT_MODE_BICYCLE;
    if (km < 25)
        return u < 0.55   ? KMT_MODE_PRIVATE_CAR
               : u < 0.8  ? KMT_MODE_FLEET_CAR
               : u < 0.9  ? KMT_MODE_BUS
               : u < 0.95 ? KMT_MODE_BICYCLE
                          : KMT_MODE_TAXI;
    if (km < 200)
        return u < 0.5 ? KMT_MODE_PRIVATE_CAR : u < 0.7 ? KMT_MODE_FLEET_CAR : u < 0.93 ? KMT_MODE_TRAIN : KMT_MODE_BUS;
    return u < 0.45 ? KMT_MODE_TRAIN : u < 0.85 ? KMT_MODE_FLIGHT : KMT_MODE_PRIVATE_CAR;
}

/* Cost in DKK of a round trip of km by mode (allowance, fares, a taxi meter). */
static double mode_cost(gen *g, kmt_mode m, double km)
{
    switch (m) {
    case KMT_MODE_PRIVATE_CAR: return km * 3.79;
    case KMT_MODE_FLEET_CAR: return km * 2.2;
    case KMT_MODE_TAXI: return 2 * 45 + km * 14;
    case KMT_MODE_BUS: return 24 + km * 0.9;
    case KMT_MODE_TRAIN: return 40 + km * 1.1;
    case KMT_MODE_FLIGHT: return 1400 + pick(g, 1200);
    default: return 0;
    }
}

static double mode_kmh(kmt_mode m)
{
    static const double v[KMT_MODE_COUNT] = { 40, 55, 55, 45, 35, 80, 400, 16, 5 };
    return v[m];
}

static void travel_record(gen *g, int person, int dept, kmt_time day, double start_h, double hours, const char *to,
                          kmt_coord to_pos, double km_one_way, const char *purpose, const char *meeting, int *seq)
{
    kmt_dataset *d = g->d;
    kmt_travel r;
    kmt_travel_init(&r);
    kmt_mode m = choose_mode(g, km_one_way);
    double km = round(2 * km_one_way * uni(g, 0.9, 1.15) * 10) / 10;
    double minutes = 2 * 60 * km_one_way / mode_kmh(m) + (m == KMT_MODE_FLIGHT ? 120 : m == KMT_MODE_TRAIN ? 30 : 0);
    kmt_civil c = kmt_time_civil(day);
    r.key = str(g, "R%d-%06d", c.year, ++*seq);
    r.person = str(g, "P%04d", person);
    r.organisation = 0;
    r.department = 1 + dept;
    r.date = day;
    r.start = day + (kmt_time)((start_h * 60 - minutes / 2)) * 60;
    r.end = day + (kmt_time)((start_h + hours) * 60 + minutes / 2) * 60;
    if (r.start < day) r.start = day;
    if (r.end >= day + KMT_DAY) r.end = day + KMT_DAY - 60;
    int32_t home = (int32_t)pick(g, (int)d->sites.n);
    r.from_place = d->sites.v[home].name;
    r.from = d->sites.v[home].pos;
    r.to_place = kmt_dataset_str(d, to);
    r.to = to_pos;
    r.km = km;
    r.mode = m;
    if (m == KMT_MODE_PRIVATE_CAR)
        r.fuel = chance(g, 0.8) ? (chance(g, 0.6) ? KMT_FUEL_PETROL : KMT_FUEL_DIESEL) : KMT_FUEL_ELECTRIC;
    else if (m == KMT_MODE_FLEET_CAR)
        r.fuel = chance(g, 0.4) ? KMT_FUEL_ELECTRIC : KMT_FUEL_PETROL;
    else if (m == KMT_MODE_TAXI)
        r.fuel = KMT_FUEL_DIESEL;
    r.purpose = kmt_dataset_str(d, purpose);
    r.meeting_id = kmt_dataset_str(d, meeting);
    r.cost = round(mode_cost(g, m, km) * 100) / 100;
    memcpy(r.currency, "DKK", 4);
    r.travel_minutes = (int)lround(minutes);
    KMT_VEC_PUSH(d->travel, r);
}

static kmt_time random_weekday(gen *g, int year)
{
    for (;;) {
        kmt_time day = kmt_time_make(year, 1, 1, 0, 0, 0) + (kmt_time)pick(g, 365) * KMT_DAY;
        kmt_civil c = kmt_time_civil(day);
        if (c.weekday < 5 && !public_holiday(&c) && c.month != 7) return day;
    }
}

static void make_travel(gen *g)
{
    kmt_dataset *d = g->d;
    int persons = g->scale ? 3000 : 150;
    int meetings0 = g->scale ? 9000 : 450;
    int series = g->scale ? 40 : 4;
    for (int y = g->year - 2; y <= g->year; y++) {
        int seq = 0;
        /* fewer meeting trips each year: the organisation moves to video */
        int meetings = (int)(meetings0 * pow(0.88, y - (g->year - 2)));
        for (int i = 0; i < meetings; i++) {
            kmt_time day = random_weekday(g, y);
            double start = 8 + pick(g, 12) * 0.5, hours = 1 + pick(g, 5) * 0.5;
            const char *mid = str(g, "M%d-%05d", y, i + 1);
            char mbuf[32];
            snprintf(mbuf, sizeof mbuf, "%s", mid);
            int n = 2 + pick(g, 5);
            if (chance(g, 0.7)) { /* local: at one of our sites */
                int32_t s = (int32_t)pick(g, (int)d->sites.n);
                for (int k = 0; k < n; k++) {
                    int who = 1 + pick(g, persons);
                    int dep = pick(g, D_N);
                    double km = uni(g, 2, 12);
                    travel_record(g, who, dep, day, start, hours, d->sites.v[s].name, d->sites.v[s].pos, km, "meeting",
                                  mbuf, &seq);
                }
            } else {
                const place *p = &far_places[pick(g, (int)(sizeof far_places / sizeof far_places[0]))];
                for (int k = 0; k < n; k++) {
                    int who = 1 + pick(g, persons);
                    int dep = pick(g, D_N);
                    travel_record(g, who, dep, day, start, hours, p->name, (kmt_coord){ p->lon, p->lat }, p->km,
                                  "meeting", mbuf, &seq);
                }
            }
        }
        /* recurring series: a monthly network meeting in another town */
        for (int s = 0; s < series; s++) {
            const place *p = &far_places[s % 5];
            int members[6];
            for (int k = 0; k < 6; k++) members[k] = 1 + pick(g, persons);
            for (int month = 1; month <= 12; month++) {
                if (month == 7) continue;
                kmt_time day = kmt_time_make(y, month, 10 + s % 10, 0, 0, 0);
                while (kmt_time_weekday(day) >= 5) day += KMT_DAY;
                char mbuf[32];
                snprintf(mbuf, sizeof mbuf, "SERIES%02d-%d-%02d", s + 1, y, month);
                int n = 2 + pick(g, 4);
                for (int k = 0; k < n; k++)
                    travel_record(g, members[k], s % D_N, day, 10, 2, p->name, (kmt_coord){ p->lon, p->lat }, p->km,
                                  "meeting", mbuf, &seq);
            }
        }
        /* courses and conferences, no meeting reference */
        for (int i = 0; i < meetings / 4; i++) {
            const place *p = &far_places[pick(g, (int)(sizeof far_places / sizeof far_places[0]))];
            int who = 1 + pick(g, persons);
            int dep = pick(g, D_N);
            kmt_time day = random_weekday(g, y);
            const char *why = chance(g, 0.7) ? "training" : "conference";
            travel_record(g, who, dep, day, 9, 6, p->name, (kmt_coord){ p->lon, p->lat }, p->km, why, "", &seq);
        }
    }
}

void kmt_demo_generate(uint64_t seed, int scale, int year, kmt_dataset *d)
{
    gen g = { .d = d, .scale = scale ? KMT_DEMO_SYDDJURS : KMT_DEMO_SMALL, .year = year };
    kmt_rng_seed(&g.r, seed);
    make_places(&g);
    make_trips(&g);
    make_travel(&g);
}
