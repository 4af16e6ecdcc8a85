/* SPDX-License-Identifier: MPL-2.0 */
/*
 * VROOM's problem JSON in (jansson, every field type-checked, errors name the
 * field path) and VROOM's solution JSON out (kmt_json writer).
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "kommute/vrp_io.h"

/* ---- reading -------------------------------------------------------- */

typedef struct reader {
    kmt_vrp_problem *p;
    const char *name;
    kmt_error *e;
    char path[192];
    int dims; /* -1 until the first amount array */
    int64_t skill_ids[KMT_VRP_MAX_SKILLS];
    int nskills;
    int use_index;             /* matrices given: locations by index */
    KMT_VEC(kmt_coord) coords; /* locations by coordinates (no matrix) */
    size_t max_index;
    int any_index;
    /* vehicles' steps: tasks sorted by (kind, id) for look-up, and per task
     * the vehicle whose steps name it (-1: none) and the step's index */
    struct task_key *keys;
    int *owner, *owner_step;
} reader;

typedef struct task_key {
    int64_t id;
    int kind, index;
} task_key;

static int fail(reader *R, const char *fmt, ...) KMT_PRINTF(2, 3);
static int fail(reader *R, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return kmt_error_at(R->e, KMT_EINVAL, R->name, 0, 0, R->path, "%s", msg);
}

/* Path helpers: set R->path to "base.key" / "base[i]". */
static void at(reader *R, const char *base, const char *key)
{
    snprintf(R->path, sizeof R->path, "%s%s%s", base, *base ? "." : "", key);
}

/* A number member in [lo, hi]. */
static int get_number(reader *R, json_t *o, const char *base, const char *key, double lo, double hi, double *out,
                      int required)
{
    json_t *v = json_object_get(o, key);
    at(R, base, key);
    if (!v || json_is_null(v)) {
        if (required) return fail(R, "is required");
        return 0;
    }
    if (!json_is_number(v)) return fail(R, "expected a number");
    double x = json_number_value(v);
    if (!(x >= lo)) return fail(R, "expected a number >= %g, got %.15g", lo, x);
    if (!(x <= hi)) return fail(R, "out of range: expected a number from %g to %.15g, got %.15g", lo, hi, x);
    *out = x;
    return 0;
}

static int get_int(reader *R, json_t *o, const char *base, const char *key, int64_t lo, int64_t hi, int64_t *out,
                   int required)
{
    json_t *v = json_object_get(o, key);
    at(R, base, key);
    if (!v || json_is_null(v)) {
        if (required) return fail(R, "is required");
        return 0;
    }
    if (!json_is_integer(v)) return fail(R, "expected a whole number");
    int64_t x = json_integer_value(v);
    if (x < lo || x > hi)
        return fail(R, "expected a whole number from %lld to %lld, got %lld", (long long)lo, (long long)hi,
                    (long long)x);
    *out = x;
    return 0;
}

static int get_string(reader *R, json_t *o, const char *base, const char *key, char **out)
{
    json_t *v = json_object_get(o, key);
    at(R, base, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) return fail(R, "expected a string");
    *out = kmt_arena_strdup(&R->p->arena, json_string_value(v));
    return 0;
}

static int get_amount(reader *R, json_t *o, const char *base, const char *key, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    at(R, base, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v)) return fail(R, "expected an array of whole numbers");
    int n = (int)json_array_size(v);
    if (n > KMT_VRP_MAX_DIMS) return fail(R, "at most %d dimensions are supported", KMT_VRP_MAX_DIMS);
    if (R->dims < 0)
        R->dims = n;
    else if (n != R->dims)
        return fail(R, "expected %d amounts (as in the first amount or capacity), got %d", R->dims, n);
    for (int i = 0; i < n; i++) {
        json_t *x = json_array_get(v, (size_t)i);
        if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > KMT_VRP_MAX_AMOUNT)
            return fail(R, "[%d]: expected a whole number from 0 to %lld", i, (long long)KMT_VRP_MAX_AMOUNT);
        out[i] = json_integer_value(x);
    }
    return 0;
}

static int get_skills(reader *R, json_t *o, const char *base, uint64_t *out)
{
    json_t *v = json_object_get(o, "skills");
    at(R, base, "skills");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v)) return fail(R, "expected an array of whole numbers");
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *x = json_array_get(v, i);
        if (!json_is_integer(x)) return fail(R, "[%zu]: expected a whole number", i);
        int64_t id = json_integer_value(x);
        int k = 0;
        while (k < R->nskills && R->skill_ids[k] != id) k++;
        if (k == R->nskills) {
            if (R->nskills == KMT_VRP_MAX_SKILLS)
                return fail(R, "at most %d distinct skills are supported", KMT_VRP_MAX_SKILLS);
            R->skill_ids[R->nskills++] = id;
        }
        *out |= (uint64_t)1 << k;
    }
    return 0;
}

static int parse_tw(reader *R, json_t *v, kmt_vrp_tw *tw)
{
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1)))
        return fail(R, "expected [start, end] with start <= end");
    tw->start = json_number_value(json_array_get(v, 0));
    tw->end = json_number_value(json_array_get(v, 1));
    if (!(tw->start <= tw->end) || tw->start < 0 || !(tw->end <= KMT_VRP_MAX_VALUE))
        return fail(R, "expected [start, end] with 0 <= start <= end <= %.0f, got [%.15g, %.15g]", KMT_VRP_MAX_VALUE,
                    tw->start, tw->end);
    return 0;
}

static int get_windows(reader *R, json_t *o, const char *base, kmt_vrp_tw **tw, int *ntw)
{
    json_t *v = json_object_get(o, "time_windows");
    at(R, base, "time_windows");
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v) || json_array_size(v) == 0) return fail(R, "expected a non-empty array of [start, end]");
    int n = (int)json_array_size(v);
    *tw = kmt_arena_alloc(&R->p->arena, sizeof(kmt_vrp_tw) * (size_t)n);
    char b2[160];
    snprintf(b2, sizeof b2, "%s.time_windows", base);
    for (int i = 0; i < n; i++) {
        snprintf(R->path, sizeof R->path, "%s[%d]", b2, i);
        int rc = parse_tw(R, json_array_get(v, (size_t)i), &(*tw)[i]);
        if (rc) return rc;
    }
    /* sort (insertion) and require disjoint */
    for (int i = 1; i < n; i++) {
        kmt_vrp_tw x = (*tw)[i];
        int j = i - 1;
        while (j >= 0 && (*tw)[j].start > x.start) {
            (*tw)[j + 1] = (*tw)[j];
            j--;
        }
        (*tw)[j + 1] = x;
    }
    for (int i = 1; i < n; i++)
        if ((*tw)[i].start <= (*tw)[i - 1].end) {
            snprintf(R->path, sizeof R->path, "%s", b2);
            return fail(R, "windows overlap: [%g, %g] and [%g, %g]", (*tw)[i - 1].start, (*tw)[i - 1].end,
                        (*tw)[i].start, (*tw)[i].end);
        }
    *ntw = n;
    return 0;
}

/* A location: "<prefix>_index" (matrix index) or "<prefix>" ([lon, lat]).
 * *loc = -1 when neither is present and !required. */
static int get_location(reader *R, json_t *o, const char *base, const char *prefix, int *loc, int required)
{
    char key[32];
    snprintf(key, sizeof key, "%s_index", prefix);
    json_t *iv = json_object_get(o, key);
    json_t *cv = json_object_get(o, prefix);
    *loc = -1;
    kmt_coord c = { 0, 0 };
    int has_c = 0;
    if (cv && !json_is_null(cv)) {
        at(R, base, prefix);
        if (!json_is_array(cv) || json_array_size(cv) != 2 || !json_is_number(json_array_get(cv, 0)) ||
            !json_is_number(json_array_get(cv, 1)))
            return fail(R, "expected [longitude, latitude]");
        c.lon = json_number_value(json_array_get(cv, 0));
        c.lat = json_number_value(json_array_get(cv, 1));
        if (!(c.lon >= -180 && c.lon <= 180 && c.lat >= -90 && c.lat <= 90))
            return fail(R, "expected [longitude, latitude] in degrees, got [%g, %g]", c.lon, c.lat);
        has_c = 1;
    }
    if (iv && !json_is_null(iv)) {
        at(R, base, key);
        if (!json_is_integer(iv) || json_integer_value(iv) < 0 || json_integer_value(iv) > 10000000)
            return fail(R, "expected a matrix index (whole number >= 0)");
        if (!R->use_index) return fail(R, "a matrix index needs \"matrices\" in the problem");
        *loc = (int)json_integer_value(iv);
        if ((size_t)*loc + 1 > R->max_index) R->max_index = (size_t)*loc + 1;
        R->any_index = 1;
        if (has_c) {
            while (R->coords.n <= (size_t)*loc) {
                kmt_coord z = { NAN, NAN };
                KMT_VEC_PUSH(R->coords, z);
            }
            R->coords.v[*loc] = c;
        }
        return 0;
    }
    if (has_c) {
        if (R->use_index) {
            at(R, base, key);
            return fail(R, "is required when \"matrices\" are given");
        }
        size_t k = 0;
        while (k < R->coords.n && (R->coords.v[k].lon != c.lon || R->coords.v[k].lat != c.lat)) k++;
        if (k == R->coords.n) KMT_VEC_PUSH(R->coords, c);
        *loc = (int)k;
        return 0;
    }
    if (required) {
        at(R, base, prefix);
        return fail(R, "a location is required: \"%s\": [lon, lat] or \"%s\"", prefix, key);
    }
    return 0;
}

static int parse_step(reader *R, json_t *o, const char *base, kmt_vrp_task *t)
{
    int64_t id = 0;
    int rc;
    snprintf(R->path, sizeof R->path, "%s", base);
    if (!json_is_object(o)) return fail(R, "expected an object");
    if ((rc = get_int(R, o, base, "id", INT64_MIN, INT64_MAX, &id, 1))) return rc;
    t->id = id;
    if ((rc = get_location(R, o, base, "location", &t->loc, 1))) return rc;
    if ((rc = get_number(R, o, base, "service", 0, KMT_VRP_MAX_VALUE, &t->service, 0))) return rc;
    if ((rc = get_number(R, o, base, "setup", 0, KMT_VRP_MAX_VALUE, &t->setup, 0))) return rc;
    if ((rc = get_windows(R, o, base, &t->tw, &t->ntw))) return rc;
    if ((rc = get_string(R, o, base, "description", &t->description))) return rc;
    return 0;
}

static int get_priority(reader *R, json_t *o, const char *base, int *out)
{
    int64_t pr = 0;
    int rc = get_int(R, o, base, "priority", 0, 100, &pr, 0);
    *out = (int)pr;
    return rc;
}

static int parse_matrix(reader *R, json_t *m, const char *base, size_t *n, double **out)
{
    snprintf(R->path, sizeof R->path, "%s", base);
    if (!json_is_array(m)) return fail(R, "expected a square array of arrays of numbers");
    size_t rows = json_array_size(m);
    if (*n == 0) *n = rows;
    if (rows != *n || rows == 0) return fail(R, "expected %zu rows, got %zu", *n, rows);
    size_t cells;
    if (kmt_mul_overflow(rows, rows, &cells) || rows > KMT_VRP_MAX_LOCS)
        return kmt_error_at(R->e, KMT_ETOOBIG, R->name, 0, 0, base, "matrix of %zu rows is too large (max %d)", rows,
                            KMT_VRP_MAX_LOCS);
    double *a = kmt_malloc(sizeof(double) * cells);
    for (size_t i = 0; i < rows; i++) {
        json_t *row = json_array_get(m, i);
        if (!json_is_array(row) || json_array_size(row) != rows) {
            kmt_free(a);
            snprintf(R->path, sizeof R->path, "%s[%zu]", base, i);
            return fail(R, "expected an array of %zu numbers", rows);
        }
        for (size_t j = 0; j < rows; j++) {
            json_t *x = json_array_get(row, j);
            if (!json_is_number(x) || !(json_number_value(x) >= 0 && json_number_value(x) <= KMT_VRP_MAX_VALUE)) {
                kmt_free(a);
                snprintf(R->path, sizeof R->path, "%s[%zu][%zu]", base, i, j);
                if (!json_is_number(x)) return fail(R, "expected a number from 0 to %.0f", KMT_VRP_MAX_VALUE);
                if (!(json_number_value(x) >= 0))
                    return fail(R, "expected a number >= 0, got %g", json_number_value(x));
                return fail(R, "out of range: expected a number from 0 to %.0f, got %.15g", KMT_VRP_MAX_VALUE,
                            json_number_value(x));
            }
            a[i * rows + j] = json_number_value(x);
        }
    }
    *out = a;
    return 0;
}

/* Profiles: matrices first (in key order), then profiles named by vehicles. */
static int profile_index(reader *R, const char *name)
{
    kmt_vrp_problem *p = R->p;
    for (int i = 0; i < p->nmatrices; i++)
        if (strcmp(p->matrices[i].name, name) == 0) return i;
    p->matrices = kmt_realloc(p->matrices, sizeof(kmt_vrp_matrix) * (size_t)(p->nmatrices + 1));
    memset(&p->matrices[p->nmatrices], 0, sizeof(kmt_vrp_matrix));
    snprintf(p->matrices[p->nmatrices].name, sizeof p->matrices[0].name, "%s", name);
    return p->nmatrices++;
}

static int parse_matrices(reader *R, json_t *root)
{
    json_t *ms = json_object_get(root, "matrices");
    json_t *legacy = json_object_get(root, "matrix");
    if (ms && !json_is_null(ms)) {
        snprintf(R->path, sizeof R->path, "matrices");
        if (!json_is_object(ms)) return fail(R, "expected an object {profile: {durations, distances, costs}}");
        const char *key;
        json_t *val;
        json_object_foreach(ms, key, val)
        {
            char base[96];
            snprintf(base, sizeof base, "matrices.%s", key);
            snprintf(R->path, sizeof R->path, "%s", base);
            if (strlen(key) >= 32) return fail(R, "profile name too long");
            if (!json_is_object(val)) return fail(R, "expected an object with \"durations\"");
            int pi = profile_index(R, key);
            kmt_vrp_matrix *m = &R->p->matrices[pi];
            static const char *names[3] = { "durations", "distances", "costs" };
            for (int k = 0; k < 3; k++) {
                json_t *a = json_object_get(val, names[k]);
                if (!a || json_is_null(a)) continue;
                char b2[128];
                snprintf(b2, sizeof b2, "%s.%s", base, names[k]);
                double **dst = k == 0 ? &m->durations : k == 1 ? &m->distances : &m->costs;
                int rc = parse_matrix(R, a, b2, &m->n, dst);
                if (rc) return rc;
            }
            if (!m->durations) {
                at(R, base, "durations");
                return fail(R, "is required");
            }
        }
        R->use_index = 1;
    } else if (legacy && !json_is_null(legacy)) {
        int pi = profile_index(R, "car");
        int rc = parse_matrix(R, legacy, "matrix", &R->p->matrices[pi].n, &R->p->matrices[pi].durations);
        if (rc) return rc;
        R->use_index = 1;
    }
    return 0;
}

static int cmp_task_key(const void *a, const void *b)
{
    const task_key *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The task of this kind and id, or -1. The index is built on first use. */
static int find_task(reader *R, int kind, int64_t id)
{
    const kmt_vrp_problem *p = R->p;
    if (!R->keys) {
        R->keys = kmt_malloc(sizeof(task_key) * (size_t)(p->ntasks + 1));
        for (int i = 0; i < p->ntasks; i++) R->keys[i] = (task_key){ p->tasks[i].id, p->tasks[i].kind, i };
        qsort(R->keys, (size_t)p->ntasks, sizeof(task_key), cmp_task_key);
        R->owner = kmt_malloc(sizeof(int) * (size_t)(p->ntasks + 1));
        R->owner_step = kmt_malloc(sizeof(int) * (size_t)(p->ntasks + 1));
        for (int i = 0; i < p->ntasks; i++) R->owner[i] = -1;
    }
    task_key k = { id, kind, 0 };
    const task_key *hit = bsearch(&k, R->keys, (size_t)p->ntasks, sizeof(task_key), cmp_task_key);
    return hit ? hit->index : -1;
}

enum { STEP_START, STEP_JOB, STEP_PICKUP, STEP_DELIVERY, STEP_BREAK, STEP_END };
static const char *const step_types[] = { "start", "job", "pickup", "delivery", "break", "end" };

/* vehicles[vi].steps (VROOM): the vehicle's initial route. Tasks go into
 * v->init in order (start, end and breaks are checked, then dropped). A
 * task may appear in one vehicle's steps only, once; a shipment's halves
 * both in the same vehicle's steps, pickup first; the vehicle must have
 * the task's skills. service_at/after/before are refused: VROOM uses them
 * only in its plan mode, which kommute does not have. */
static int parse_steps(reader *R, json_t *o, const char *base, int vi)
{
    json_t *st = json_object_get(o, "steps");
    at(R, base, "steps");
    if (!st || json_is_null(st)) return 0;
    if (!json_is_array(st)) return fail(R, "expected an array of steps ({\"type\": ..., \"id\": ...})");
    kmt_vrp_problem *p = R->p;
    kmt_vrp_vehicle *v = &p->vehicles[vi];
    int n = (int)json_array_size(st), rc;
    if (n == 0) return 0;
    v->init = kmt_arena_alloc(&p->arena, sizeof(int) * (size_t)(n + 1));
    unsigned char *brk_seen = kmt_arena_alloc(&p->arena, (size_t)v->nbreaks + 1);
    char sb[96];
    for (int k = 0; k < n; k++) {
        json_t *s = json_array_get(st, (size_t)k);
        snprintf(sb, sizeof sb, "%s.steps[%d]", base, k);
        snprintf(R->path, sizeof R->path, "%s", sb);
        if (!json_is_object(s)) return fail(R, "expected an object {\"type\": ..., \"id\": ...}");
        static const char *const timing[] = { "service_at", "service_after", "service_before" };
        for (int t = 0; t < 3; t++) {
            json_t *x = json_object_get(s, timing[t]);
            if (x && !json_is_null(x)) {
                at(R, sb, timing[t]);
                return fail(R,
                            "is not supported: kommute solves (VROOM's solving mode, where steps only give the "
                            "starting routes and VROOM ignores %s too); it is a constraint only in VROOM's "
                            "plan mode (-c). Use the task's time_windows",
                            timing[t]);
            }
        }
        json_t *ty = json_object_get(s, "type");
        at(R, sb, "type");
        if (!ty || json_is_null(ty)) return fail(R, "is required: start, job, pickup, delivery, break or end");
        if (!json_is_string(ty)) return fail(R, "expected a string: start, job, pickup, delivery, break or end");
        const char *tn = json_string_value(ty);
        int type = 0;
        while (type <= STEP_END && strcmp(tn, step_types[type]) != 0) type++;
        if (type > STEP_END) return fail(R, "expected start, job, pickup, delivery, break or end, got \"%s\"", tn);
        if (type == STEP_START || type == STEP_END) {
            if (type == STEP_START && k != 0) return fail(R, "\"start\" must be the first step, found at %d", k);
            if (type == STEP_END && k != n - 1) return fail(R, "\"end\" must be the last step, found at %d", k);
            continue;
        }
        int64_t id = 0;
        if ((rc = get_int(R, s, sb, "id", INT64_MIN, INT64_MAX, &id, 1))) return rc;
        if (type == STEP_BREAK) {
            int b = 0;
            while (b < v->nbreaks && v->breaks[b].id != id) b++;
            if (b == v->nbreaks)
                return fail(R, "vehicle %lld has no break with id %lld", (long long)v->id, (long long)id);
            if (brk_seen[b]++) return fail(R, "break %lld appears twice", (long long)id);
            continue;
        }
        int kind = type == STEP_JOB ? KMT_VRP_JOB : type == STEP_PICKUP ? KMT_VRP_PICKUP : KMT_VRP_DELIVERY;
        int idx = find_task(R, kind, id);
        if (idx < 0) return fail(R, "no %s with id %lld in the problem", tn, (long long)id);
        if (R->owner[idx] == vi)
            return fail(R, "%s %lld appears twice (also at step %d)", tn, (long long)id, R->owner_step[idx]);
        if (R->owner[idx] >= 0)
            return fail(R, "%s %lld is already in vehicles[%d].steps[%d]", tn, (long long)id, R->owner[idx],
                        R->owner_step[idx]);
        if (p->tasks[idx].skills & ~v->skills)
            return fail(R, "%s %lld needs skills that vehicle %lld lacks", tn, (long long)id, (long long)v->id);
        R->owner[idx] = vi;
        R->owner_step[idx] = k;
        v->init[v->ninit++] = idx;
    }
    for (int j = 0; j < v->ninit; j++) {
        int idx = v->init[j], other = p->tasks[idx].partner;
        const kmt_vrp_task *t = &p->tasks[idx];
        if (t->kind == KMT_VRP_JOB) continue;
        snprintf(R->path, sizeof R->path, "%s.steps[%d].id", base, R->owner_step[idx]);
        const char *half = t->kind == KMT_VRP_PICKUP ? "pickup" : "delivery";
        const char *ohalf = t->kind == KMT_VRP_PICKUP ? "delivery" : "pickup";
        if (R->owner[other] != vi)
            return fail(R, "%s %lld: its %s %lld is not in this vehicle's steps (a shipment stays on one route)", half,
                        (long long)t->id, ohalf, (long long)p->tasks[other].id);
        if (t->kind == KMT_VRP_DELIVERY && R->owner_step[other] > R->owner_step[idx])
            return fail(R, "delivery %lld comes before its pickup %lld (step %d)", (long long)t->id,
                        (long long)p->tasks[other].id, R->owner_step[other]);
    }
    return 0;
}

static int parse_vehicle(reader *R, json_t *o, int i)
{
    char base[48];
    snprintf(base, sizeof base, "vehicles[%d]", i);
    snprintf(R->path, sizeof R->path, "%s", base);
    if (!json_is_object(o)) return fail(R, "expected an object");
    kmt_vrp_vehicle *v = &R->p->vehicles[i];
    int rc;
    int64_t id = 0, mt = -1;
    v->tw.start = 0;
    v->tw.end = KMT_VRP_INF;
    v->speed_factor = 1;
    v->per_hour = 3600;
    v->max_travel_time = -1;
    v->max_distance = -1;
    if ((rc = get_int(R, o, base, "id", INT64_MIN, INT64_MAX, &id, 1))) return rc;
    v->id = id;
    for (int k = 0; k < i; k++)
        if (R->p->vehicles[k].id == id) return fail(R, "duplicate vehicle id %lld", (long long)id);
    if ((rc = get_location(R, o, base, "start", &v->start, 0))) return rc;
    if ((rc = get_location(R, o, base, "end", &v->end, 0))) return rc;
    json_t *tw = json_object_get(o, "time_window");
    if (tw && !json_is_null(tw)) {
        at(R, base, "time_window");
        if ((rc = parse_tw(R, tw, &v->tw))) return rc;
    }
    json_t *cap = json_object_get(o, "capacity");
    if (cap && !json_is_null(cap)) {
        v->has_capacity = 1;
        if ((rc = get_amount(R, o, base, "capacity", v->capacity))) return rc;
    }
    if ((rc = get_skills(R, o, base, &v->skills))) return rc;
    json_t *prof = json_object_get(o, "profile");
    const char *pname = "car";
    if (prof && !json_is_null(prof)) {
        at(R, base, "profile");
        if (!json_is_string(prof)) return fail(R, "expected a string (car, bicycle, foot or a matrix profile)");
        pname = json_string_value(prof);
        if (strlen(pname) >= 32) return fail(R, "profile name too long");
    }
    v->profile = profile_index(R, pname);
    if ((rc = get_number(R, o, base, "speed_factor", KMT_VRP_MIN_SPEED_FACTOR, KMT_VRP_MAX_SPEED_FACTOR,
                         &v->speed_factor, 0)))
        return rc;
    if ((rc = get_int(R, o, base, "max_tasks", 0, 1000000000, &mt, 0))) return rc;
    v->max_tasks = (int)mt;
    if ((rc = get_number(R, o, base, "max_travel_time", 0, KMT_VRP_MAX_VALUE, &v->max_travel_time, 0))) return rc;
    if ((rc = get_number(R, o, base, "max_distance", 0, KMT_VRP_MAX_VALUE, &v->max_distance, 0))) return rc;
    json_t *costs = json_object_get(o, "costs");
    if (costs && !json_is_null(costs)) {
        char cb[64];
        snprintf(cb, sizeof cb, "%s.costs", base);
        snprintf(R->path, sizeof R->path, "%s", cb);
        if (!json_is_object(costs)) return fail(R, "expected an object {fixed, per_hour, per_km}");
        if ((rc = get_number(R, costs, cb, "fixed", 0, KMT_VRP_MAX_VALUE, &v->fixed, 0))) return rc;
        if ((rc = get_number(R, costs, cb, "per_hour", 0, KMT_VRP_MAX_VALUE, &v->per_hour, 0))) return rc;
        if ((rc = get_number(R, costs, cb, "per_km", 0, KMT_VRP_MAX_VALUE, &v->per_km, 0))) return rc;
    }
    if ((rc = get_string(R, o, base, "description", &v->description))) return rc;
    json_t *br = json_object_get(o, "breaks");
    if (br && !json_is_null(br)) {
        at(R, base, "breaks");
        if (!json_is_array(br)) return fail(R, "expected an array of breaks");
        if (json_array_size(br) > KMT_VRP_MAX_BREAKS)
            return fail(R, "at most %d breaks per vehicle are supported, got %zu", KMT_VRP_MAX_BREAKS,
                        json_array_size(br));
        v->nbreaks = (int)json_array_size(br);
        v->breaks = kmt_arena_alloc(&R->p->arena, sizeof(kmt_vrp_break) * (size_t)(v->nbreaks + 1));
        for (int b = 0; b < v->nbreaks; b++) {
            char bb[80];
            snprintf(bb, sizeof bb, "%s.breaks[%d]", base, b);
            json_t *bo = json_array_get(br, (size_t)b);
            snprintf(R->path, sizeof R->path, "%s", bb);
            if (!json_is_object(bo)) return fail(R, "expected an object");
            kmt_vrp_break *k = &v->breaks[b];
            int64_t bid = 0;
            if ((rc = get_int(R, bo, bb, "id", INT64_MIN, INT64_MAX, &bid, 1))) return rc;
            k->id = bid;
            if ((rc = get_windows(R, bo, bb, &k->tw, &k->ntw))) return rc;
            if ((rc = get_number(R, bo, bb, "service", 0, KMT_VRP_MAX_VALUE, &k->service, 0))) return rc;
            json_t *ml = json_object_get(bo, "max_load");
            k->has_max_load = ml && !json_is_null(ml);
            if ((rc = get_amount(R, bo, bb, "max_load", k->max_load))) return rc;
            if ((rc = get_string(R, bo, bb, "description", &k->description))) return rc;
        }
    }
    return parse_steps(R, o, base, i);
}

/* The top level: "jobs" and "shipments" arrays (or absent), a non-empty
 * "vehicles" array, the task count within KMT_VRP_MAX_TASKS. */
static int parse_top(reader *R, json_t *root, json_t **jobs, json_t **ships, json_t **vehs)
{
    if (!json_is_object(root)) return fail(R, "expected a JSON object with \"vehicles\" and \"jobs\" or \"shipments\"");
    *jobs = json_object_get(root, "jobs");
    *ships = json_object_get(root, "shipments");
    *vehs = json_object_get(root, "vehicles");
    snprintf(R->path, sizeof R->path, "jobs");
    if (*jobs && !json_is_null(*jobs) && !json_is_array(*jobs)) return fail(R, "expected an array");
    snprintf(R->path, sizeof R->path, "shipments");
    if (*ships && !json_is_null(*ships) && !json_is_array(*ships)) return fail(R, "expected an array");
    snprintf(R->path, sizeof R->path, "vehicles");
    if (!*vehs || !json_is_array(*vehs) || json_array_size(*vehs) == 0)
        return fail(R, "expected a non-empty array of vehicles");
    if (json_array_size(*vehs) > KMT_VRP_MAX_VEHICLES)
        return kmt_error_at(R->e, KMT_ETOOBIG, R->name, 0, 0, "vehicles", "at most %d vehicles are supported",
                            KMT_VRP_MAX_VEHICLES);
    size_t nj = json_is_array(*jobs) ? json_array_size(*jobs) : 0;
    size_t ns = json_is_array(*ships) ? json_array_size(*ships) : 0;
    if (nj + 2 * ns == 0) {
        snprintf(R->path, sizeof R->path, "jobs");
        return fail(R, "nothing to plan: no jobs and no shipments");
    }
    if (nj + 2 * ns > KMT_VRP_MAX_TASKS)
        return kmt_error_at(R->e, KMT_ETOOBIG, R->name, 0, 0, "jobs", "at most %d tasks are supported",
                            KMT_VRP_MAX_TASKS);
    R->p->tasks = kmt_calloc(nj + 2 * ns + 1, sizeof(kmt_vrp_task));
    return 0;
}

/* jobs[i] into the next task. */
static int parse_job(reader *R, json_t *o, size_t i)
{
    kmt_vrp_problem *p = R->p;
    char base[48];
    snprintf(base, sizeof base, "jobs[%zu]", i);
    kmt_vrp_task *t = &p->tasks[p->ntasks];
    t->kind = KMT_VRP_JOB;
    t->partner = -1;
    int rc;
    if ((rc = parse_step(R, o, base, t))) return rc;
    for (int k = 0; k < p->ntasks; k++)
        if (p->tasks[k].id == t->id) {
            at(R, base, "id");
            return fail(R, "duplicate job id %lld", (long long)t->id);
        }
    if ((rc = get_amount(R, o, base, "delivery", t->delivery))) return rc;
    if (!json_object_get(o, "delivery") && (rc = get_amount(R, o, base, "amount", t->delivery))) return rc;
    if ((rc = get_amount(R, o, base, "pickup", t->pickup))) return rc;
    if ((rc = get_skills(R, o, base, &t->skills))) return rc;
    if ((rc = get_priority(R, o, base, &t->priority))) return rc;
    p->ntasks++;
    return 0;
}

/* shipments[i] into the next two tasks (pickup, delivery); nj = number of jobs. */
static int parse_shipment(reader *R, json_t *o, size_t i, size_t nj)
{
    kmt_vrp_problem *p = R->p;
    char base[48], b2[64];
    snprintf(base, sizeof base, "shipments[%zu]", i);
    snprintf(R->path, sizeof R->path, "%s", base);
    if (!json_is_object(o)) return fail(R, "expected an object with \"pickup\" and \"delivery\"");
    int ip = p->ntasks, id = p->ntasks + 1, rc;
    kmt_vrp_task *tp = &p->tasks[ip], *td = &p->tasks[id];
    tp->kind = KMT_VRP_PICKUP;
    td->kind = KMT_VRP_DELIVERY;
    tp->partner = id;
    td->partner = ip;
    static const char *half[2] = { "pickup", "delivery" };
    for (int h = 0; h < 2; h++) {
        snprintf(b2, sizeof b2, "%s.%s", base, half[h]);
        json_t *so = json_object_get(o, half[h]);
        kmt_vrp_task *t = h ? td : tp;
        if (!so) {
            snprintf(R->path, sizeof R->path, "%s", b2);
            return fail(R, "is required");
        }
        if ((rc = parse_step(R, so, b2, t))) return rc;
        for (int k = (int)nj; k < p->ntasks; k++)
            if (p->tasks[k].kind == t->kind && p->tasks[k].id == t->id) {
                at(R, b2, "id");
                return fail(R, "duplicate %s id %lld", half[h], (long long)t->id);
            }
    }
    int64_t amount[KMT_VRP_MAX_DIMS] = { 0 };
    if ((rc = get_amount(R, o, base, "amount", amount))) return rc;
    memcpy(tp->pickup, amount, sizeof amount);
    memcpy(td->delivery, amount, sizeof amount);
    if ((rc = get_skills(R, o, base, &tp->skills))) return rc;
    td->skills = tp->skills;
    if ((rc = get_priority(R, o, base, &tp->priority))) return rc;
    td->priority = tp->priority;
    p->ntasks += 2;
    return 0;
}

/* After the vehicles: the location count, each used profile's matrix
 * present and large enough, coordinates kept; *needs_matrix when the
 * problem gives coordinates only. */
static int finish_locations(reader *R, int *needs_matrix)
{
    kmt_vrp_problem *p = R->p;
    p->ndims = R->dims < 0 ? 0 : R->dims;
    if (!R->use_index) {
        p->nlocs = R->coords.n;
        p->coords = kmt_calloc(p->nlocs + 1, sizeof(kmt_coord));
        memcpy(p->coords, R->coords.v, sizeof(kmt_coord) * R->coords.n);
        *needs_matrix = 1;
        return 0;
    }
    p->nlocs = R->max_index;
    for (int m = 0; m < p->nmatrices; m++) {
        kmt_vrp_matrix *mx = &p->matrices[m];
        if (!mx->durations) {
            snprintf(R->path, sizeof R->path, "matrices.%s", mx->name);
            return fail(R, "no matrix for profile '%s' used by a vehicle", mx->name);
        }
        if (mx->n < p->nlocs) {
            snprintf(R->path, sizeof R->path, "matrices.%s.durations", mx->name);
            return fail(R, "has %zu rows, but location index %zu is used", mx->n, p->nlocs - 1);
        }
    }
    if (R->coords.n) {
        p->coords = kmt_calloc(p->nlocs + 1, sizeof(kmt_coord));
        for (size_t k = 0; k < p->nlocs; k++) {
            kmt_coord z = { NAN, NAN };
            p->coords[k] = k < R->coords.n ? R->coords.v[k] : z;
        }
    }
    return 0;
}

/* The stages in order: top level, matrices, jobs, shipments, vehicles
 * (their steps name tasks), locations. */
static int parse_problem(reader *R, json_t *root, int *needs_matrix)
{
    json_t *jobs = NULL, *ships = NULL, *vehs = NULL;
    int rc;
    if ((rc = parse_top(R, root, &jobs, &ships, &vehs))) return rc;
    if ((rc = parse_matrices(R, root))) return rc;
    size_t nj = json_is_array(jobs) ? json_array_size(jobs) : 0;
    size_t ns = json_is_array(ships) ? json_array_size(ships) : 0;
    for (size_t i = 0; i < nj; i++)
        if ((rc = parse_job(R, json_array_get(jobs, i), i))) return rc;
    for (size_t i = 0; i < ns; i++)
        if ((rc = parse_shipment(R, json_array_get(ships, i), i, nj))) return rc;
    kmt_vrp_problem *p = R->p;
    p->nvehicles = (int)json_array_size(vehs);
    p->vehicles = kmt_calloc((size_t)p->nvehicles, sizeof(kmt_vrp_vehicle));
    for (int i = 0; i < p->nvehicles; i++)
        if ((rc = parse_vehicle(R, json_array_get(vehs, (size_t)i), i))) return rc;
    return finish_locations(R, needs_matrix);
}

int kmt_vrp_parse_json(const char *text, size_t len, const char *name, kmt_vrp_problem *p, int *needs_matrix,
                       kmt_error *e)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    *needs_matrix = 0;
    if (!root) return kmt_error_at(e, KMT_EINVAL, name, je.line, je.column, NULL, "malformed JSON: %s", je.text);
    reader R;
    memset(&R, 0, sizeof R);
    R.p = p;
    R.name = name;
    R.e = e;
    R.dims = -1;
    p->time_scale = 1;
    p->cost_scale = 100;
    p->round_times = 1;
    p->objective = KMT_VRP_MIN_COST;
    int rc = parse_problem(&R, root, needs_matrix);
    KMT_VEC_FREE(R.coords);
    kmt_free(R.keys);
    kmt_free(R.owner);
    kmt_free(R.owner_step);
    json_decref(root);
    return rc;
}

/* ---- solutions back in (for kommute check) -------------------------- */

int kmt_vrp_parse_solution_json(const char *text, size_t len, const char *name, const kmt_vrp_problem *p,
                                kmt_vrp_solution *s, kmt_error *e)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) return kmt_error_at(e, KMT_EINVAL, name, je.line, je.column, NULL, "malformed JSON: %s", je.text);
    int rc = 0;
    json_t *routes = json_object_get(root, "routes");
    if (!json_is_array(routes)) {
        rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, "routes", "expected an array of routes");
        goto out;
    }
    size_t nr = json_array_size(routes);
    s->routes = kmt_calloc(nr + 1, sizeof(kmt_vrp_route));
    char path[96];
    for (size_t r = 0; r < nr; r++) {
        json_t *ro = json_array_get(routes, r);
        json_t *vid = json_object_get(ro, "vehicle"), *steps = json_object_get(ro, "steps");
        snprintf(path, sizeof path, "routes[%zu]", r);
        if (!json_is_integer(vid) || !json_is_array(steps)) {
            rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "expected \"vehicle\" (id) and \"steps\" (array)");
            goto out;
        }
        int v = 0;
        while (v < p->nvehicles && p->vehicles[v].id != json_integer_value(vid)) v++;
        if (v == p->nvehicles) {
            rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "vehicle %lld is not in the problem",
                              (long long)json_integer_value(vid));
            goto out;
        }
        kmt_vrp_route *rt = &s->routes[s->nroutes++];
        rt->vehicle = v;
        rt->stops = kmt_calloc(json_array_size(steps) + 1, sizeof(int));
        for (size_t k = 0; k < json_array_size(steps); k++) {
            json_t *st = json_array_get(steps, k);
            json_t *ty = json_object_get(st, "type"), *id = json_object_get(st, "id");
            snprintf(path, sizeof path, "routes[%zu].steps[%zu]", r, k);
            if (!json_is_string(ty)) {
                rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "expected \"type\"");
                goto out;
            }
            const char *t = json_string_value(ty);
            if (strcmp(t, "start") == 0 || strcmp(t, "end") == 0) continue;
            if (!json_is_integer(id)) {
                rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "expected \"id\" (whole number)");
                goto out;
            }
            int64_t x = json_integer_value(id);
            int found = -1;
            if (strcmp(t, "break") == 0) {
                for (int b = 0; b < p->vehicles[v].nbreaks; b++)
                    if (p->vehicles[v].breaks[b].id == x) found = b;
                if (found < 0) {
                    rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "vehicle has no break %lld", (long long)x);
                    goto out;
                }
                rt->stops[rt->nstops++] = -(1 + found);
                continue;
            }
            int kind = strcmp(t, "job") == 0        ? KMT_VRP_JOB
                       : strcmp(t, "pickup") == 0   ? KMT_VRP_PICKUP
                       : strcmp(t, "delivery") == 0 ? KMT_VRP_DELIVERY
                                                    : -1;
            for (int i = 0; i < p->ntasks && kind >= 0; i++)
                if (p->tasks[i].kind == kind && p->tasks[i].id == x) found = i;
            if (found < 0) {
                rc =
                    kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "no %s with id %lld in the problem", t, (long long)x);
                goto out;
            }
            rt->stops[rt->nstops++] = found;
        }
    }
    json_t *un = json_object_get(root, "unassigned");
    size_t nu = json_is_array(un) ? json_array_size(un) : 0;
    s->unassigned = kmt_calloc(nu + 1, sizeof(int));
    s->reason = kmt_calloc(nu + 1, sizeof(int));
    for (size_t k = 0; k < nu; k++) {
        json_t *o = json_array_get(un, k);
        json_t *id = json_object_get(o, "id"), *ty = json_object_get(o, "type");
        const char *t = json_is_string(ty) ? json_string_value(ty) : "job";
        int kind = strcmp(t, "pickup") == 0     ? KMT_VRP_PICKUP
                   : strcmp(t, "delivery") == 0 ? KMT_VRP_DELIVERY
                                                : KMT_VRP_JOB;
        int found = -1;
        for (int i = 0; i < p->ntasks && json_is_integer(id); i++)
            if (p->tasks[i].kind == kind && p->tasks[i].id == json_integer_value(id)) found = i;
        if (found < 0) {
            snprintf(path, sizeof path, "unassigned[%zu]", k);
            rc = kmt_error_at(e, KMT_EINVAL, name, 0, 0, path, "not a %s of the problem", t);
            goto out;
        }
        s->unassigned[s->nunassigned++] = found;
    }
out:
    json_decref(root);
    return rc;
}

/* ---- writing -------------------------------------------------------- */

static const char *kind_name(int kind)
{
    return kind == KMT_VRP_PICKUP ? "pickup" : kind == KMT_VRP_DELIVERY ? "delivery" : "job";
}

static void write_location(kmt_json *j, const kmt_vrp_problem *p, int loc)
{
    if (loc < 0) return;
    if (p->coords && !isnan(p->coords[loc].lon)) {
        kmt_json_key(j, "location");
        kmt_json_array_begin(j);
        kmt_json_double(j, p->coords[loc].lon, 7);
        kmt_json_double(j, p->coords[loc].lat, 7);
        kmt_json_array_end(j);
    }
    kmt_json_key(j, "location_index");
    kmt_json_int(j, loc);
}

static void write_amount(kmt_json *j, const char *key, const int64_t *a, int n)
{
    kmt_json_key(j, key);
    kmt_json_array_begin(j);
    for (int d = 0; d < n; d++) kmt_json_int(j, a[d]);
    kmt_json_array_end(j);
}

static void write_num(kmt_json *j, const char *key, double v, int dec)
{
    kmt_json_key(j, key);
    kmt_json_double(j, v, dec);
}

/* The totals shared by the summary and each route. */
static void write_totals(kmt_json *j, const int64_t *del, const int64_t *pick, int nd, double setup, double service,
                         double duration, double waiting, int prio, double distance, int dec)
{
    write_amount(j, "delivery", del, nd);
    write_amount(j, "amount", del, nd);
    write_amount(j, "pickup", pick, nd);
    write_num(j, "setup", setup, dec);
    write_num(j, "service", service, dec);
    write_num(j, "duration", duration, dec);
    write_num(j, "waiting_time", waiting, dec);
    kmt_json_key(j, "priority");
    kmt_json_int(j, prio);
    write_num(j, "distance", distance, dec);
}

/* The start or end step of a route. */
static void write_terminal(kmt_json *j, const kmt_vrp_problem *p, const char *type, int loc, const int64_t *load,
                           double arrival, double duration, double distance, int dec)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "type");
    kmt_json_string(j, type);
    write_location(j, p, loc);
    write_num(j, "setup", 0, 0);
    write_num(j, "service", 0, 0);
    write_num(j, "waiting_time", 0, 0);
    write_amount(j, "load", load, p->ndims);
    write_num(j, "arrival", arrival, dec);
    write_num(j, "duration", duration, dec);
    write_num(j, "distance", distance, dec);
    kmt_json_object_end(j);
}

void kmt_vrp_write_solution(kmt_json *j, const kmt_vrp_problem *p, const kmt_vrp_solution *s,
                            const kmt_vrp_check_report *r, const kmt_vrp_solve_stats *st)
{
    int dec = p->time_scale >= 1e6 ? 6 : p->time_scale > 1 ? 2 : 3;
    int nd = p->ndims;
    int64_t tot_del[KMT_VRP_MAX_DIMS] = { 0 }, tot_pick[KMT_VRP_MAX_DIMS] = { 0 };
    int prio = 0;
    for (int ri = 0; ri < s->nroutes; ri++)
        for (int k = 0; k < s->routes[ri].nstops; k++) {
            int t = s->routes[ri].stops[k];
            if (t < 0) continue;
            prio += p->tasks[t].priority;
            for (int d = 0; d < nd; d++) {
                tot_del[d] += p->tasks[t].delivery[d];
                tot_pick[d] += p->tasks[t].pickup[d];
            }
        }
    kmt_json_object_begin(j);
    kmt_json_key(j, "code");
    kmt_json_int(j, 0);
    kmt_json_key(j, "summary");
    kmt_json_object_begin(j);
    write_num(j, "cost", r->cost, dec);
    kmt_json_key(j, "routes");
    kmt_json_int(j, r->vehicles);
    kmt_json_key(j, "unassigned");
    kmt_json_int(j, s->nunassigned);
    write_totals(j, tot_del, tot_pick, nd, r->setup, r->service, r->duration, r->waiting, prio, r->distance, dec);
    kmt_json_key(j, "violations");
    kmt_json_array_begin(j);
    kmt_json_array_end(j);
    kmt_json_object_end(j);

    kmt_json_key(j, "unassigned");
    kmt_json_array_begin(j);
    for (int i = 0; i < s->nunassigned; i++) {
        const kmt_vrp_task *t = &p->tasks[s->unassigned[i]];
        kmt_json_object_begin(j);
        kmt_json_key(j, "id");
        kmt_json_int(j, t->id);
        kmt_json_key(j, "type");
        kmt_json_string(j, kind_name(t->kind));
        write_location(j, p, t->loc);
        if (t->description) {
            kmt_json_key(j, "description");
            kmt_json_string(j, t->description);
        }
        if (s->reason) {
            kmt_json_key(j, "kommute_reason");
            kmt_json_string(j, kmt_vrp_reason_text(s->reason[i]));
        }
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);

    kmt_json_key(j, "routes");
    kmt_json_array_begin(j);
    for (int ri = 0; ri < s->nroutes; ri++) {
        const kmt_vrp_route *rt = &s->routes[ri];
        const kmt_vrp_route_report *rr = &r->routes[ri];
        const kmt_vrp_vehicle *v = &p->vehicles[rt->vehicle];
        if (rt->nstops == 0) continue;
        int64_t del[KMT_VRP_MAX_DIMS] = { 0 }, pick[KMT_VRP_MAX_DIMS] = { 0 };
        int rprio = 0;
        for (int k = 0; k < rt->nstops; k++) {
            if (rt->stops[k] < 0) continue;
            const kmt_vrp_task *t = &p->tasks[rt->stops[k]];
            rprio += t->priority;
            for (int d = 0; d < nd; d++) {
                del[d] += t->delivery[d];
                pick[d] += t->pickup[d];
            }
        }
        kmt_json_object_begin(j);
        kmt_json_key(j, "vehicle");
        kmt_json_int(j, v->id);
        if (v->description) {
            kmt_json_key(j, "description");
            kmt_json_string(j, v->description);
        }
        write_num(j, "cost", rr->cost, dec);
        write_totals(j, del, pick, nd, rr->setup, rr->service, rr->duration, rr->waiting, rprio, rr->distance, dec);
        kmt_json_key(j, "steps");
        kmt_json_array_begin(j);
        write_terminal(j, p, "start", v->start, rr->start_load, rr->start_time, 0, 0, dec);
        for (int k = 0; k < rt->nstops; k++) {
            int t = rt->stops[k];
            const kmt_vrp_step *sp = &rr->steps[k];
            kmt_json_object_begin(j);
            kmt_json_key(j, "type");
            if (t < 0) {
                const kmt_vrp_break *b = &v->breaks[-t - 1];
                kmt_json_string(j, "break");
                kmt_json_key(j, "id");
                kmt_json_int(j, b->id);
                if (b->description) {
                    kmt_json_key(j, "description");
                    kmt_json_string(j, b->description);
                }
            } else {
                const kmt_vrp_task *tk = &p->tasks[t];
                kmt_json_string(j, kind_name(tk->kind));
                kmt_json_key(j, "id");
                kmt_json_int(j, tk->id);
                if (tk->kind == KMT_VRP_JOB) {
                    kmt_json_key(j, "job");
                    kmt_json_int(j, tk->id);
                }
                if (tk->description) {
                    kmt_json_key(j, "description");
                    kmt_json_string(j, tk->description);
                }
                write_location(j, p, tk->loc);
            }
            write_num(j, "setup", sp->setup, dec);
            write_num(j, "service", sp->service, dec);
            write_num(j, "waiting_time", sp->waiting, dec);
            write_amount(j, "load", sp->load, nd);
            write_num(j, "arrival", sp->arrival, dec);
            write_num(j, "duration", sp->travel_time, dec);
            write_num(j, "distance", sp->distance, dec);
            kmt_json_object_end(j);
        }
        write_terminal(j, p, "end", v->end, rr->end_load, rr->end_time, rr->duration, rr->distance, dec);
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);

    kmt_json_key(j, "kommute");
    kmt_json_object_begin(j);
    kmt_json_key(j, "checked_feasible");
    kmt_json_bool(j, r->feasible);
    kmt_json_key(j, "vehicles");
    kmt_json_int(j, r->vehicles);
    write_num(j, "distance", r->distance, dec);
    kmt_json_key(j, "objective");
    kmt_json_string(j, p->objective == KMT_VRP_MIN_VEHICLES_COST ? "vehicles, then cost" : "cost");
    if (st) {
        kmt_json_key(j, "iterations");
        kmt_json_int(j, st->iterations);
        write_num(j, "seconds", st->seconds, 3);
        write_num(j, "seconds_to_best", st->seconds_to_best, 3);
    }
    kmt_json_object_end(j);
    kmt_json_object_end(j);
}

/* ---- loading -------------------------------------------------------- */

int kmt_vrp_load_problem(const char *path, int convention, const kmt_vrp_graphs *gs, kmt_vrp_problem *p, kmt_error *e)
{
    int rc;
    if (convention >= 0) {
        rc = kmt_vrp_read_solomon(path, convention, p, e);
    } else {
        char *text;
        size_t len;
        int needs = 0;
        rc = kmt_read_file(path, &text, &len, e);
        if (rc) return rc;
        rc = kmt_vrp_parse_json(text, len, path, p, &needs, e);
        kmt_free(text);
        int graphs = gs && gs->n > 0;
        if (rc == 0 && needs) {
            if (!graphs)
                return kmt_error_at(
                    e, KMT_EINVAL, path, 0, 0, "matrices",
                    "the problem gives coordinates but no \"matrices\": add matrices or use --graph FILE.kgraph");
            rc = kmt_vrp_graph_matrices(gs, p, e);
        } else if (rc == 0 && graphs) {
            KMT_LOG(KMT_LOG_WARN, "%s has its own matrices; --graph is not used", path);
        }
    }
    if (rc) return rc;
    rc = kmt_vrp_problem_validate(p, e);
    if (rc && !e->file[0]) snprintf(e->file, sizeof e->file, "%s", path);
    return rc;
}
