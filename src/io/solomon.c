/* SPDX-License-Identifier: MPL-2.0 */
/* Solomon / Gehring-Homberger VRPTW text instances. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/vrp_io.h"

int kmt_solomon_convention_parse(const char *s)
{
    if (!s) return -1;
    if (strcmp(s, "dimacs") == 0) return KMT_SOLOMON_DIMACS;
    if (strcmp(s, "classic") == 0) return KMT_SOLOMON_CLASSIC;
    return -1;
}

typedef struct {
    double v[7];
} row;

/* 1 if the word occurs in [s, end). */
static int line_has(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    for (; s + n <= end; s++)
        if (memcmp(s, word, n) == 0) return 1;
    return 0;
}

/* Parse up to 7 numbers; returns how many were read, -1 when the line holds a non-number. */
static int parse_numbers(const char *s, const char *end, double *out)
{
    int n = 0;
    while (s < end) {
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
        if (s >= end) break;
        char *q;
        double x = strtod(s, &q);
        if (q == s) return -1;
        if (n < 7) out[n] = x;
        n++;
        s = q;
    }
    return n;
}

/* Bounds of the Solomon fields (docs/vrp.md): with at most KMT_VRP_MAX_LOCS
 * locations and time_scale 1e6, every route time and plan cost stays below
 * KMT_VRP_MAX_SCALED in the solver's integer units. */
#define SOLOMON_MAX_COORD 1e5
#define SOLOMON_MAX_TIME 1e6

static const char *const customer_fields[7] = { "CUST NO.",   "XCOORD.",  "YCOORD.",     "DEMAND",
                                                "READY TIME", "DUE DATE", "SERVICE TIME" };

/* v in [lo, hi] (and whole when whole): 0, or KMT_EINVAL naming line, field and value. */
static int check_field(const char *name, long line, const char *field, double v, double lo, double hi, int whole,
                       kmt_error *e)
{
    if (!isfinite(v) || v < lo || v > hi)
        return kmt_error_at(e, KMT_EINVAL, name, line, 0, field, "%.15g is out of range: expected %.15g to %.15g", v,
                            lo, hi);
    if (whole && v != floor(v))
        return kmt_error_at(e, KMT_EINVAL, name, line, 0, field, "%.15g: expected a whole number", v);
    return 0;
}

/* The VEHICLE section's "NUMBER CAPACITY" line. */
static int vehicle_line(const double *v, const char *name, long line, long *vehicles, long *capacity, kmt_error *e)
{
    int rc = check_field(name, line, "NUMBER", v[0], 1, KMT_VRP_MAX_VEHICLES, 1, e);
    if (!rc) rc = check_field(name, line, "CAPACITY", v[1], 1, (double)KMT_VRP_MAX_AMOUNT, 1, e);
    if (rc) return rc;
    *vehicles = (long)v[0];
    *capacity = (long)v[1];
    return 0;
}

/* One customer line (the depot is customer 0). */
static int customer_line(const double *v, size_t expect, const char *name, long line, kmt_error *e)
{
    static const double lo[7] = { 0, -SOLOMON_MAX_COORD, -SOLOMON_MAX_COORD, 0, 0, 0, 0 };
    static const double hi[7] = { KMT_VRP_MAX_LOCS - 1, SOLOMON_MAX_COORD,
                                  SOLOMON_MAX_COORD,    (double)KMT_VRP_MAX_AMOUNT,
                                  SOLOMON_MAX_TIME,     SOLOMON_MAX_TIME,
                                  SOLOMON_MAX_TIME };
    static const int whole[7] = { 1, 0, 0, 1, 0, 0, 0 };
    for (int k = 0; k < 7; k++) {
        int rc = check_field(name, line, customer_fields[k], v[k], lo[k], hi[k], whole[k], e);
        if (rc) return rc;
    }
    if (v[0] != (double)expect)
        return kmt_error_at(e, KMT_EINVAL, name, line, 0, "CUST NO.", "expected customer number %zu, got %g", expect,
                            v[0]);
    if (v[5] < v[4])
        return kmt_error_at(e, KMT_EINVAL, name, line, 0, "DUE DATE", "%g is before the READY TIME %g", v[5], v[4]);
    return 0;
}

int kmt_vrp_parse_solomon(const char *text, const char *name, int convention, kmt_vrp_problem *p, kmt_error *e)
{
    KMT_VEC(row) rows = { 0 };
    long vehicles = -1, capacity = -1;
    long lineno = 0;
    int state = 0; /* 0 header, 1 after VEHICLE, 2 after CUSTOMER */
    char title[64] = "";
    const char *s = text;
    while (*s) {
        const char *eol = strchr(s, '\n');
        if (!eol) eol = s + strlen(s);
        lineno++;
        double v[7];
        int n = parse_numbers(s, eol, v);
        if (lineno == 1) {
            size_t len = (size_t)(eol - s);
            while (len && (s[len - 1] == '\r' || s[len - 1] == ' ')) len--;
            snprintf(title, sizeof title, "%.*s", (int)len, s);
        } else if (n < 0) {
            if (line_has(s, eol, "VEHICLE"))
                state = 1;
            else if (line_has(s, eol, "CUSTOMER"))
                state = 2;
        } else if (n > 0) {
            int rc = 0;
            if (state == 1 && vehicles < 0 && n == 2) {
                rc = vehicle_line(v, name, lineno, &vehicles, &capacity, e);
            } else if (state == 2 && n == 7) {
                if (rows.n >= KMT_VRP_MAX_LOCS)
                    rc = kmt_error_at(e, KMT_ETOOBIG, name, lineno, 0, "CUST NO.",
                                      "at most %d customers (depot included) are supported", KMT_VRP_MAX_LOCS);
                else
                    rc = customer_line(v, rows.n, name, lineno, e);
                if (!rc) {
                    row r;
                    memcpy(r.v, v, sizeof v);
                    KMT_VEC_PUSH(rows, r);
                }
            } else {
                rc = kmt_error_at(e, KMT_EINVAL, name, lineno, 0, NULL, "expected %s, got %d numbers",
                                  state == 2 ? "7 numbers (id x y demand ready due service)" : "NUMBER CAPACITY", n);
            }
            if (rc) {
                KMT_VEC_FREE(rows);
                return rc;
            }
        }
        s = *eol ? eol + 1 : eol;
    }
    if (vehicles <= 0 || capacity <= 0 || rows.n < 2) {
        KMT_VEC_FREE(rows);
        return kmt_error_at(
            e, KMT_EINVAL, name, 0, 0, NULL,
            "not a Solomon instance: needs a VEHICLE section (NUMBER CAPACITY) and a depot plus customers");
    }
    size_t n = rows.n;
    snprintf(p->name, sizeof p->name, "%s", title);
    p->ndims = 1;
    p->nlocs = n;
    p->ntasks = (int)n - 1;
    p->tasks = kmt_calloc(n, sizeof *p->tasks);
    p->coords = kmt_calloc(n, sizeof *p->coords);
    for (size_t i = 0; i < n; i++) {
        p->coords[i].lon = rows.v[i].v[1];
        p->coords[i].lat = rows.v[i].v[2];
    }
    for (size_t i = 1; i < n; i++) {
        kmt_vrp_task *t = &p->tasks[i - 1];
        t->kind = KMT_VRP_JOB;
        t->id = (int64_t)i;
        t->loc = (int)i;
        t->service = rows.v[i].v[6];
        t->ntw = 1;
        t->tw = kmt_arena_alloc(&p->arena, sizeof *t->tw);
        t->tw[0].start = rows.v[i].v[4];
        t->tw[0].end = rows.v[i].v[5];
        t->delivery[0] = (int64_t)rows.v[i].v[3];
        t->partner = -1;
    }
    p->nmatrices = 1;
    p->matrices = kmt_calloc(1, sizeof *p->matrices);
    kmt_vrp_matrix *m = &p->matrices[0];
    snprintf(m->name, sizeof m->name, "car");
    m->n = n;
    m->durations = kmt_malloc(n * n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dx = rows.v[i].v[1] - rows.v[j].v[1], dy = rows.v[i].v[2] - rows.v[j].v[2];
            double d = sqrt(dx * dx + dy * dy);
            if (convention == KMT_SOLOMON_DIMACS) d = floor(10 * d + 1e-9) / 10;
            m->durations[i * n + j] = d;
        }
    m->distances = kmt_malloc(n * n * sizeof(double));
    m->costs = kmt_malloc(n * n * sizeof(double));
    memcpy(m->distances, m->durations, n * n * sizeof(double));
    memcpy(m->costs, m->durations, n * n * sizeof(double));
    int nv = convention == KMT_SOLOMON_DIMACS ? (int)n - 1 : (int)vehicles;
    p->nvehicles = nv;
    p->vehicles = kmt_calloc((size_t)nv, sizeof *p->vehicles);
    for (int v = 0; v < nv; v++) {
        kmt_vrp_vehicle *vh = &p->vehicles[v];
        vh->id = v + 1;
        vh->start = vh->end = 0;
        vh->tw.start = rows.v[0].v[4];
        vh->tw.end = rows.v[0].v[5];
        vh->has_capacity = 1;
        vh->capacity[0] = capacity;
        vh->speed_factor = 1;
        vh->max_tasks = -1;
        vh->max_travel_time = -1;
        vh->max_distance = -1;
    }
    if (convention == KMT_SOLOMON_DIMACS) {
        p->objective = KMT_VRP_MIN_COST;
        p->time_scale = p->cost_scale = 10;
    } else {
        p->objective = KMT_VRP_MIN_VEHICLES_COST;
        p->time_scale = p->cost_scale = 1e6;
    }
    KMT_VEC_FREE(rows);
    return 0;
}

int kmt_vrp_read_solomon(const char *path, int convention, kmt_vrp_problem *p, kmt_error *e)
{
    char *text;
    size_t len;
    int rc = kmt_read_file(path, &text, &len, e);
    if (rc) return rc;
    rc = kmt_vrp_parse_solomon(text, path, convention, p, e);
    kmt_free(text);
    return rc;
}
