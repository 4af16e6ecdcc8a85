/* SPDX-License-Identifier: MPL-2.0 */
/* The domain model: time convention, enum names, datasets. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kommute/model.h"

/* ---- time ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

kmt_time kmt_time_make(int year, int month, int day, int hour, int minute, int second)
{
    return days_from_civil(year, month, day) * KMT_DAY + (int64_t)hour * 3600 + minute * 60 + second;
}

int64_t kmt_time_day(kmt_time t)
{
    return t >= 0 ? t / KMT_DAY : -((-t + KMT_DAY - 1) / KMT_DAY);
}

kmt_time kmt_time_midnight(kmt_time t)
{
    return kmt_time_day(t) * KMT_DAY;
}

int kmt_time_weekday(kmt_time t)
{
    int64_t w = (kmt_time_day(t) + 3) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

kmt_civil kmt_time_civil(kmt_time t)
{
    kmt_civil c;
    int64_t day = kmt_time_day(t);
    int64_t sec = t - day * KMT_DAY;
    civil_from_days(day, &c.year, &c.month, &c.day);
    c.hour = (int)(sec / 3600);
    c.minute = (int)(sec / 60 % 60);
    c.second = (int)(sec % 60);
    c.weekday = kmt_time_weekday(t);
    c.yday = (int)(day - days_from_civil(c.year, 1, 1));
    return c;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

/* Read exactly 1..max digits into *v; returns digits read. */
static int digits(const char **p, int max, int *v)
{
    int n = 0, x = 0;
    while (n < max && isdigit((unsigned char)**p)) {
        x = x * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *v = x;
    return n;
}

int kmt_time_parse(const char *s, kmt_time *out, int *has_time)
{
    if (!s) return KMT_EINVAL;
    while (*s == ' ') s++;
    const char *p = s;
    int a, b, c, y, m, d;
    int na = digits(&p, 4, &a);
    if (na == 4 && *p == '-') { /* ISO yyyy-mm-dd */
        p++;
        if (digits(&p, 2, &b) < 1 || *p++ != '-' || digits(&p, 2, &c) < 1) return KMT_EINVAL;
        y = a, m = b, d = c;
    } else if (na == 4 && isdigit((unsigned char)*p) == 0 && *p == '/') { /* yyyy/mm/dd */
        p++;
        if (digits(&p, 2, &b) < 1 || *p++ != '/' || digits(&p, 2, &c) < 1) return KMT_EINVAL;
        y = a, m = b, d = c;
    } else if (na >= 1 && na <= 2 && (*p == '-' || *p == '.' || *p == '/')) { /* dd-mm-yyyy */
        char sep = *p++;
        if (digits(&p, 2, &b) < 1 || *p++ != sep || digits(&p, 4, &c) != 4) return KMT_EINVAL;
        d = a, m = b, y = c;
    } else {
        return KMT_EINVAL;
    }
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return KMT_EINVAL;
    int hh = 0, mm = 0, ss = 0, timed = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        const char *q = p + 1;
        while (*q == ' ') q++;
        if (*q) {
            if (digits(&q, 2, &hh) < 1 || (*q != ':' && *q != '.')) return KMT_EINVAL;
            char tsep = *q++;
            if (digits(&q, 2, &mm) != 2) return KMT_EINVAL;
            if (*q == tsep) {
                q++;
                if (digits(&q, 2, &ss) != 2) return KMT_EINVAL;
                if (*q == '.' || *q == ',') { /* fraction: ignored */
                    q++;
                    while (isdigit((unsigned char)*q)) q++;
                }
            }
            if (*q == 'Z' || *q == 'z')
                q++;
            else if ((*q == '+' || *q == '-') && isdigit((unsigned char)q[1])) {
                int oh, om;
                q++;
                if (digits(&q, 2, &oh) != 2) return KMT_EINVAL;
                if (*q == ':') q++;
                digits(&q, 2, &om);
            }
            if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm || ss))) return KMT_EINVAL;
            if (ss == 60) ss = 59; /* leap second: clamp */
            timed = 1;
        }
        p = q;
    }
    while (*p == ' ') p++;
    if (*p) return KMT_EINVAL;
    *out = kmt_time_make(y, m, d, hh, mm, ss);
    if (has_time) *has_time = timed;
    return 0;
}

char *kmt_time_format(kmt_time t, char *buf, size_t n)
{
    if (t == KMT_TIME_NONE) {
        if (n) buf[0] = '\0';
        return buf;
    }
    kmt_civil c = kmt_time_civil(t);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
    return buf;
}

char *kmt_time_format_date(kmt_time t, char *buf, size_t n)
{
    if (t == KMT_TIME_NONE) {
        if (n) buf[0] = '\0';
        return buf;
    }
    kmt_civil c = kmt_time_civil(t);
    snprintf(buf, n, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
}

/* ---- enums --------------------------------------------------------------- */

typedef struct {
    const char *name;
    int value;
} synonym;

static const char *const kind_names[] = { "unknown", "car", "van", "minibus", "e-bike", "bike" };
static const char *const fuel_names[] = { "unknown", "petrol", "diesel", "electric", "hybrid",
                                          "plug-in", "biogas", "HVO",    "none" };
static const char *const mode_names[] = { "unknown", "fleet_car", "private_car", "taxi", "bus",
                                          "train",   "flight",    "bicycle",     "walk" };

static const synonym kind_syn[] = { { "unknown", KMT_KIND_UNKNOWN },
                                    { "car", KMT_KIND_CAR },
                                    { "bil", KMT_KIND_CAR },
                                    { "personbil", KMT_KIND_CAR },
                                    { "elbil", KMT_KIND_CAR },
                                    { "fossilbil", KMT_KIND_CAR },
                                    { "passenger car", KMT_KIND_CAR },
                                    { "van", KMT_KIND_VAN },
                                    { "varevogn", KMT_KIND_VAN },
                                    { "varebil", KMT_KIND_VAN },
                                    { "skåpbil", KMT_KIND_VAN },
                                    { "lastbil", KMT_KIND_VAN },
                                    { "minibus", KMT_KIND_MINIBUS },
                                    { "minibuss", KMT_KIND_MINIBUS },
                                    { "bus", KMT_KIND_MINIBUS },
                                    { "e-bike", KMT_KIND_EBIKE },
                                    { "ebike", KMT_KIND_EBIKE },
                                    { "elcykel", KMT_KIND_EBIKE },
                                    { "elsykkel", KMT_KIND_EBIKE },
                                    { "elcykel/elsykkel", KMT_KIND_EBIKE },
                                    { "bike", KMT_KIND_BIKE },
                                    { "bicycle", KMT_KIND_BIKE },
                                    { "cykel", KMT_KIND_BIKE },
                                    { "sykkel", KMT_KIND_BIKE },
                                    { NULL, 0 } };

static const synonym fuel_syn[] = { { "unknown", KMT_FUEL_UNKNOWN },
                                    { "petrol", KMT_FUEL_PETROL },
                                    { "gasoline", KMT_FUEL_PETROL },
                                    { "benzin", KMT_FUEL_PETROL },
                                    { "bensin", KMT_FUEL_PETROL },
                                    { "diesel", KMT_FUEL_DIESEL },
                                    { "electric", KMT_FUEL_ELECTRIC },
                                    { "el", KMT_FUEL_ELECTRIC },
                                    { "ev", KMT_FUEL_ELECTRIC },
                                    { "bev", KMT_FUEL_ELECTRIC },
                                    { "elbil", KMT_FUEL_ELECTRIC },
                                    { "electricity", KMT_FUEL_ELECTRIC },
                                    { "hybrid", KMT_FUEL_HYBRID },
                                    { "hev", KMT_FUEL_HYBRID },
                                    { "plug-in", KMT_FUEL_PLUGIN },
                                    { "plugin", KMT_FUEL_PLUGIN },
                                    { "plug-in hybrid", KMT_FUEL_PLUGIN },
                                    { "plugin hybrid", KMT_FUEL_PLUGIN },
                                    { "laddhybrid", KMT_FUEL_PLUGIN },
                                    { "ladbar hybrid", KMT_FUEL_PLUGIN },
                                    { "phev", KMT_FUEL_PLUGIN },
                                    { "biogas", KMT_FUEL_BIOGAS },
                                    { "gas", KMT_FUEL_BIOGAS },
                                    { "cng", KMT_FUEL_BIOGAS },
                                    { "hvo", KMT_FUEL_HVO },
                                    { "hvo100", KMT_FUEL_HVO },
                                    { "none", KMT_FUEL_NONE },
                                    { "ingen", KMT_FUEL_NONE },
                                    { "muscle", KMT_FUEL_NONE },
                                    { NULL, 0 } };

static const synonym mode_syn[] = { { "unknown", KMT_MODE_UNKNOWN },
                                    { "fleet_car", KMT_MODE_FLEET_CAR },
                                    { "fleet car", KMT_MODE_FLEET_CAR },
                                    { "fleet", KMT_MODE_FLEET_CAR },
                                    { "tjenestebil", KMT_MODE_FLEET_CAR },
                                    { "tjänstebil", KMT_MODE_FLEET_CAR },
                                    { "poolbil", KMT_MODE_FLEET_CAR },
                                    { "private_car", KMT_MODE_PRIVATE_CAR },
                                    { "private car", KMT_MODE_PRIVATE_CAR },
                                    { "privatbil", KMT_MODE_PRIVATE_CAR },
                                    { "egen bil", KMT_MODE_PRIVATE_CAR },
                                    { "car", KMT_MODE_PRIVATE_CAR },
                                    { "taxi", KMT_MODE_TAXI },
                                    { "bus", KMT_MODE_BUS },
                                    { "buss", KMT_MODE_BUS },
                                    { "train", KMT_MODE_TRAIN },
                                    { "tog", KMT_MODE_TRAIN },
                                    { "tåg", KMT_MODE_TRAIN },
                                    { "rail", KMT_MODE_TRAIN },
                                    { "flight", KMT_MODE_FLIGHT },
                                    { "fly", KMT_MODE_FLIGHT },
                                    { "flyg", KMT_MODE_FLIGHT },
                                    { "plane", KMT_MODE_FLIGHT },
                                    { "air", KMT_MODE_FLIGHT },
                                    { "bicycle", KMT_MODE_BICYCLE },
                                    { "bike", KMT_MODE_BICYCLE },
                                    { "cykel", KMT_MODE_BICYCLE },
                                    { "sykkel", KMT_MODE_BICYCLE },
                                    { "walk", KMT_MODE_WALK },
                                    { "gang", KMT_MODE_WALK },
                                    { "gå", KMT_MODE_WALK },
                                    { "til fods", KMT_MODE_WALK },
                                    { NULL, 0 } };

static int parse_syn(const synonym *t, const char *s, int unknown, int *out)
{
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') n--;
    if (n == 0) {
        *out = unknown;
        return 0;
    }
    for (; t->name; t++)
        if (strlen(t->name) == n && strncasecmp(t->name, s, n) == 0) {
            *out = t->value;
            return 0;
        }
    return KMT_EINVAL;
}

const char *kmt_vehicle_kind_name(kmt_vehicle_kind k)
{
    return (unsigned)k < KMT_KIND_COUNT ? kind_names[k] : "unknown";
}
const char *kmt_fuel_name(kmt_fuel f)
{
    return (unsigned)f < KMT_FUEL_COUNT ? fuel_names[f] : "unknown";
}
const char *kmt_mode_name(kmt_mode m)
{
    return (unsigned)m < KMT_MODE_COUNT ? mode_names[m] : "unknown";
}

int kmt_vehicle_kind_parse(const char *s, kmt_vehicle_kind *out)
{
    int v;
    if (parse_syn(kind_syn, s, KMT_KIND_UNKNOWN, &v)) return KMT_EINVAL;
    *out = (kmt_vehicle_kind)v;
    return 0;
}

int kmt_fuel_parse(const char *s, kmt_fuel *out)
{
    int v;
    if (parse_syn(fuel_syn, s, KMT_FUEL_UNKNOWN, &v)) return KMT_EINVAL;
    *out = (kmt_fuel)v;
    return 0;
}

int kmt_mode_parse(const char *s, kmt_mode *out)
{
    int v;
    if (parse_syn(mode_syn, s, KMT_MODE_UNKNOWN, &v)) return KMT_EINVAL;
    *out = (kmt_mode)v;
    return 0;
}

/* ---- rows and datasets --------------------------------------------------- */

void kmt_vehicle_init(kmt_vehicle *v)
{
    memset(v, 0, sizeof *v);
    v->key = v->registration = v->make = v->model = "";
    v->site = v->department = -1;
    v->in_service_from = v->in_service_to = KMT_TIME_NONE;
}

void kmt_site_init(kmt_site *s)
{
    memset(s, 0, sizeof *s);
    s->key = s->name = "";
    s->pos.lon = s->pos.lat = NAN;
}

void kmt_trip_init(kmt_trip *t)
{
    memset(t, 0, sizeof *t);
    t->key = t->driver = t->purpose = t->from_address = t->to_address = "";
    t->vehicle = t->site = t->department = -1;
    t->start = t->end = KMT_TIME_NONE;
    t->from.lon = t->from.lat = t->to.lon = t->to.lat = NAN;
}

void kmt_travel_init(kmt_travel *r)
{
    memset(r, 0, sizeof *r);
    r->key = r->person = r->from_place = r->to_place = r->purpose = r->meeting_id = "";
    r->organisation = r->department = -1;
    r->date = r->start = r->end = KMT_TIME_NONE;
    r->from.lon = r->from.lat = r->to.lon = r->to.lat = NAN;
    r->cost = NAN;
    r->travel_minutes = -1;
}

void kmt_dataset_init(kmt_dataset *d)
{
    memset(d, 0, sizeof *d);
    kmt_arena_init(&d->arena, 1 << 16);
}

void kmt_dataset_destroy(kmt_dataset *d)
{
    if (!d) return;
    KMT_VEC_FREE(d->municipalities);
    KMT_VEC_FREE(d->orgs);
    KMT_VEC_FREE(d->sites);
    KMT_VEC_FREE(d->vehicles);
    KMT_VEC_FREE(d->trips);
    KMT_VEC_FREE(d->travel);
    kmt_arena_destroy(&d->arena);
}

const char *kmt_dataset_str(kmt_dataset *d, const char *s)
{
    if (!s || !*s) return "";
    return kmt_arena_strdup(&d->arena, s);
}

int32_t kmt_dataset_find_site(const kmt_dataset *d, const char *key)
{
    for (size_t i = 0; i < d->sites.n; i++)
        if (strcmp(d->sites.v[i].key, key) == 0) return (int32_t)i;
    return -1;
}

int32_t kmt_dataset_find_vehicle(const kmt_dataset *d, const char *key)
{
    for (size_t i = 0; i < d->vehicles.n; i++)
        if (strcmp(d->vehicles.v[i].key, key) == 0) return (int32_t)i;
    return -1;
}

int32_t kmt_dataset_find_org(const kmt_dataset *d, const char *name, int level)
{
    for (size_t i = 0; i < d->orgs.n; i++)
        if (d->orgs.v[i].level == level && strcmp(d->orgs.v[i].name, name) == 0) return (int32_t)i;
    return -1;
}

int32_t kmt_dataset_nearest_site(const kmt_dataset *d, kmt_coord p, double *dist_m)
{
    int32_t best = -1;
    double bd = INFINITY;
    if (!kmt_geo_valid(p)) return -1;
    for (size_t i = 0; i < d->sites.n; i++) {
        if (!kmt_geo_valid(d->sites.v[i].pos)) continue;
        double x = kmt_geo_haversine_m(p, d->sites.v[i].pos);
        if (x < bd) bd = x, best = (int32_t)i;
    }
    if (dist_m) *dist_m = bd;
    return best;
}
