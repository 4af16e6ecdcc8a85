/* SPDX-License-Identifier: MPL-2.0 */
/* Home-care JSON: the iolab-uniud HHCRSP instances and the plan format. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "kommute/hhc_io.h"

static int jerr(kmt_error *e, const char *file, const char *field, const char *fmt, const char *what)
{
    return kmt_error_at(e, KMT_EINVAL, file, 0, 0, field, fmt, what);
}

static int get_num(json_t *o, const char *key, const char *file, const char *path, double lo, double hi, double *out,
                   kmt_error *e)
{
    json_t *v = json_object_get(o, key);
    char field[64];
    snprintf(field, sizeof field, "%s.%s", path, key);
    if (!v || !json_is_number(v)) return jerr(e, file, field, "%s: a number is needed", field);
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi))
        return kmt_error_at(e, KMT_EINVAL, file, 0, 0, field, "%s is %g: expected %g to %g", field, x, lo, hi);
    *out = x;
    return 0;
}

static int num_at(json_t *a, size_t i, const char *file, const char *field, double lo, double hi, double *out,
                  kmt_error *e)
{
    json_t *v = json_array_get(a, i);
    if (!v || !json_is_number(v))
        return kmt_error_at(e, KMT_EINVAL, file, 0, 0, field, "%s[%zu]: a number is needed", field, i);
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi))
        return kmt_error_at(e, KMT_EINVAL, file, 0, 0, field, "%s[%zu] is %g: expected %g to %g", field, i, x, lo, hi);
    *out = x;
    return 0;
}

static int find_name(char **names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

/* The distance matrix (office, then patients), also the travel times. */
static int uniud_matrix(json_t *dist, size_t n, const char *file, kmt_hhc_problem *p, kmt_error *e)
{
    int rc;
    if ((rc = kmt_hhc_problem_matrices(p, (int)n, 1, e))) return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        json_t *row = json_array_get(dist, i);
        char f[48];
        snprintf(f, sizeof f, "distances[%zu]", i);
        if (!json_is_array(row) || json_array_size(row) != n) {
            rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, f, "%s: %zu numbers are needed", f, n);
            break;
        }
        for (size_t j = 0; j < n && !rc; j++) rc = num_at(row, j, file, f, 0, 1e7, &p->dist[i * n + j], e);
    }
    if (rc) return rc;
    memcpy(p->time, p->dist, n * n * sizeof(double));
    return 0;
}

/* The services (skills) and the caregivers with their abilities, one shift each. */
static int uniud_carers(json_t *servs, json_t *cgs, size_t S, size_t C, const char *file, kmt_hhc_problem *p,
                        kmt_error *e)
{
    p->nskills = (int)S;
    p->skill_names = kmt_calloc(S + 1, sizeof(char *));
    for (size_t k = 0; k < S; k++) {
        const char *id = json_string_value(json_object_get(json_array_get(servs, k), "id"));
        if (!id) {
            p->nskills = (int)k;
            kmt_error_at(e, KMT_EINVAL, file, 0, 0, "services", "services[%zu].id: a string is needed", k);
            return KMT_EINVAL;
        }
        p->skill_names[k] = kmt_strdup(id);
    }
    p->carers = kmt_calloc(C, sizeof(kmt_hhc_carer));
    p->shifts = kmt_calloc(C, sizeof(kmt_hhc_shift));
    for (size_t c = 0; c < C; c++) {
        json_t *g = json_array_get(cgs, c);
        const char *id = json_string_value(json_object_get(g, "id"));
        json_t *ab = json_object_get(g, "abilities");
        if (!id || !json_is_array(ab)) {
            kmt_error_at(e, KMT_EINVAL, file, 0, 0, "caregivers", "caregivers[%zu]: id and abilities are needed", c);
            return KMT_EINVAL;
        }
        kmt_hhc_carer *k = &p->carers[p->ncarers++];
        k->id = kmt_strdup(id);
        k->max_work = KMT_HHC_NO_LIMIT;
        for (size_t a = 0; a < json_array_size(ab); a++) {
            const char *sname = json_string_value(json_array_get(ab, a));
            int si = sname ? find_name(p->skill_names, p->nskills, sname) : -1;
            if (si < 0) {
                kmt_error_at(e, KMT_EINVAL, file, 0, 0, "abilities",
                             "caregivers[%zu].abilities[%zu]: unknown service '%s'", c, a,
                             sname ? sname : "(not a string)");
                return KMT_EINVAL;
            }
            k->skills |= (uint64_t)1 << si;
        }
        p->shifts[p->nshifts++] = (kmt_hhc_shift){ (int)c, 0, KMT_HHC_NO_LIMIT, 0, 0 };
    }
    return 0;
}

int kmt_hhc_parse_uniud(const char *text, size_t len, const char *file, kmt_hhc_problem *p, kmt_error *e)
{
    kmt_hhc_problem_init(p);
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) return kmt_error_at(e, KMT_EINVAL, file, je.line, je.column, NULL, "JSON: %s", je.text);
    int rc = 0;
    json_t *pats = json_object_get(root, "patients"), *servs = json_object_get(root, "services");
    json_t *cgs = json_object_get(root, "caregivers"), *offs = json_object_get(root, "central_offices");
    json_t *dist = json_object_get(root, "distances");
    if (!json_is_array(pats))
        rc = jerr(e, file, "patients", "%s: an array is needed", "patients");
    else if (!json_is_array(servs))
        rc = jerr(e, file, "services", "%s: an array is needed", "services");
    else if (!json_is_array(cgs) || json_array_size(cgs) == 0)
        rc = jerr(e, file, "caregivers", "%s: a non-empty array is needed", "caregivers");
    else if (!json_is_array(offs) || json_array_size(offs) != 1)
        rc = jerr(e, file, "central_offices", "%s: exactly one office is supported", "central_offices");
    else if (!json_is_array(dist))
        rc = jerr(e, file, "distances", "%s: a matrix is needed", "distances");
    if (rc) goto done;
    size_t P = json_array_size(pats), S = json_array_size(servs), C = json_array_size(cgs);
    if (P > 10000 || S > KMT_HHC_MAX_SKILLS || C > 1000) {
        rc = kmt_error_at(e, KMT_ETOOBIG, file, 0, 0, "patients",
                          "%zu patients, %zu services, %zu caregivers: over "
                          "the limits (10000, 64, 1000)",
                          P, S, C);
        goto done;
    }
    size_t n = P + 1;
    if (json_array_size(dist) != n) {
        rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "distances", "%zu rows, expected %zu (office, then patients)",
                          json_array_size(dist), n);
        goto done;
    }
    if ((rc = uniud_matrix(dist, n, file, p, e)) || (rc = uniud_carers(servs, cgs, S, C, file, p, e))) goto done;
    p->tasks = kmt_calloc(2 * P + 1, sizeof(kmt_hhc_task));
    p->links = kmt_calloc(P + 1, sizeof(kmt_hhc_link));
    for (size_t i = 0; i < P; i++) {
        json_t *pt = json_array_get(pats, i);
        char path[48];
        snprintf(path, sizeof path, "patients[%zu]", i);
        const char *id = json_string_value(json_object_get(pt, "id"));
        json_t *tw = json_object_get(pt, "time_window"), *rq = json_object_get(pt, "required_caregivers");
        double lo, hi;
        if (!id) {
            rc = jerr(e, file, path, "%s.id: a string is needed", path);
            goto done;
        }
        if (!json_is_array(tw) || json_array_size(tw) != 2) {
            rc = jerr(e, file, path, "%s.time_window: [earliest, latest] is needed", path);
            goto done;
        }
        if ((rc = num_at(tw, 0, file, "time_window", 0, 1e6, &lo, e)) ||
            (rc = num_at(tw, 1, file, "time_window", lo, 1e6, &hi, e)))
            goto done;
        size_t nr = json_array_size(rq);
        if (!json_is_array(rq) || nr < 1 || nr > 2) {
            rc = jerr(e, file, path, "%s.required_caregivers: one or two entries are needed", path);
            goto done;
        }
        int first = p->ntasks;
        for (size_t r = 0; r < nr; r++) {
            json_t *q = json_array_get(rq, r);
            const char *sv = json_string_value(json_object_get(q, "service"));
            int si = sv ? find_name(p->skill_names, p->nskills, sv) : -1;
            double dur;
            if (si < 0) {
                rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "service",
                                  "%s.required_caregivers[%zu].service: unknown '%s'", path, r,
                                  sv ? sv : "(not a string)");
                goto done;
            }
            if ((rc = get_num(q, "duration", file, path, 0, 1e5, &dur, e))) goto done;
            kmt_hhc_task *t = &p->tasks[p->ntasks++];
            t->client = kmt_strdup(id);
            t->service = kmt_strdup(sv);
            t->location = (int)i + 1;
            t->earliest = lo;
            t->latest = hi;
            t->soft = 1;
            t->duration = dur;
            t->skills = (uint64_t)1 << si;
            t->pin = -1;
        }
        json_t *sy = json_object_get(pt, "synchronization");
        if (nr == 2) {
            const char *ty = json_string_value(json_object_get(sy, "type"));
            kmt_hhc_link *L = &p->links[p->nlinks++];
            L->a = first;
            L->b = first + 1;
            if (ty && !strcmp(ty, "simultaneous")) {
                L->carers = KMT_HHC_DIFFERENT;
            } else if (ty && !strcmp(ty, "sequential")) {
                json_t *d = json_object_get(sy, "distance");
                if (!json_is_array(d) || json_array_size(d) != 2 ||
                    (rc = num_at(d, 0, file, "distance", 0, 1e5, &L->min, e)) ||
                    (rc = num_at(d, 1, file, "distance", L->min, 1e5, &L->max, e))) {
                    if (!rc) rc = jerr(e, file, path, "%s.synchronization.distance: [min, max] is needed", path);
                    goto done;
                }
                L->carers = KMT_HHC_ANY;
            } else {
                rc = jerr(e, file, path, "%s.synchronization.type: \"simultaneous\" or \"sequential\" is needed", path);
                goto done;
            }
        }
    }
    p->w.travel_time = 0;
    p->w.distance = p->w.lateness = p->w.max_lateness = 1.0 / 3;
    p->w.non_preferred = 0;
    const char *base = strrchr(file, '/');
    p->name = kmt_strdup(base ? base + 1 : file);
    rc = kmt_hhc_problem_validate(p, e);
    if (rc && !e->file[0]) snprintf(e->file, sizeof e->file, "%s", file);
done:
    json_decref(root);
    if (rc) kmt_hhc_problem_destroy(p);
    return rc;
}

int kmt_hhc_read_uniud(const char *path, kmt_hhc_problem *p, kmt_error *e)
{
    char *text = NULL;
    size_t len = 0;
    kmt_hhc_problem_init(p);
    int rc = kmt_read_file(path, &text, &len, e);
    if (!rc) rc = kmt_hhc_parse_uniud(text, len, path, p, e);
    kmt_free(text);
    return rc;
}

/* ---- plans -------------------------------------------------------------- */

static const char *kind_name(kmt_hhc_kind k)
{
    return k == KMT_HHC_KEY_PICKUP ? "key_pickup" : k == KMT_HHC_KEY_RETURN ? "key_return" : "visit";
}

/* A task's patient_id, service_id and (for key trips) kind, in the open object. */
static void task_ids(kmt_json *j, const kmt_hhc_task *t)
{
    kmt_json_key(j, "patient_id");
    kmt_json_string(j, t->client);
    kmt_json_key(j, "service_id");
    kmt_json_string(j, t->service);
    if (t->kind != KMT_HHC_VISIT) {
        kmt_json_key(j, "kind");
        kmt_json_string(j, kind_name(t->kind));
    }
}

void kmt_hhc_write_solution(kmt_json *j, const kmt_hhc_problem *p, const kmt_hhc_solution *s,
                            const kmt_hhc_solve_stats *stats)
{
    const kmt_hhc_cost *c = &s->cost;
    kmt_json_object_begin(j);
    if (p->name) {
        kmt_json_key(j, "instance");
        kmt_json_string(j, p->name);
    }
    kmt_json_key(j, "objective");
    kmt_json_object_begin(j);
    kmt_json_key(j, "total");
    kmt_json_double(j, c->total, 6);
    kmt_json_key(j, "travel_time");
    kmt_json_double(j, c->travel_time, 6);
    kmt_json_key(j, "distance");
    kmt_json_double(j, c->distance, 6);
    kmt_json_key(j, "total_tardiness");
    kmt_json_double(j, c->lateness, 6);
    kmt_json_key(j, "max_tardiness");
    kmt_json_double(j, c->max_lateness, 6);
    kmt_json_key(j, "non_preferred");
    kmt_json_int(j, c->non_preferred);
    kmt_json_key(j, "unassigned");
    kmt_json_int(j, c->unassigned);
    kmt_json_key(j, "weights");
    kmt_json_object_begin(j);
    const char *wn[] = { "travel_time", "distance", "lateness", "max_lateness", "non_preferred", "unassigned" };
    double wv[] = { p->w.travel_time,  p->w.distance,      p->w.lateness,
                    p->w.max_lateness, p->w.non_preferred, p->w.unassigned };
    for (int i = 0; i < 6; i++) {
        kmt_json_key(j, wn[i]);
        kmt_json_double(j, wv[i], 9);
    }
    kmt_json_object_end(j);
    kmt_json_object_end(j);
    if (stats) {
        kmt_json_key(j, "search");
        kmt_json_object_begin(j);
        kmt_json_key(j, "iterations");
        kmt_json_int(j, stats->iterations);
        kmt_json_key(j, "seconds");
        kmt_json_double(j, stats->seconds, 3);
        kmt_json_key(j, "seconds_to_best");
        kmt_json_double(j, stats->seconds_to_best, 3);
        kmt_json_key(j, "initial_cost");
        kmt_json_double(j, stats->initial_cost, 6);
        kmt_json_object_end(j);
    }
    kmt_json_key(j, "routes");
    kmt_json_array_begin(j);
    for (int r = 0; r < s->nroutes; r++) {
        const kmt_hhc_route *ro = &s->routes[r];
        kmt_json_object_begin(j);
        kmt_json_key(j, "caregiver_id");
        kmt_json_string(j, p->carers[p->shifts[ro->shift].carer].id);
        kmt_json_key(j, "shift");
        kmt_json_int(j, ro->shift);
        kmt_json_key(j, "locations");
        kmt_json_array_begin(j);
        for (int i = 0; i < ro->n; i++) {
            const kmt_hhc_task *t = &p->tasks[ro->tasks[i]];
            kmt_json_object_begin(j);
            task_ids(j, t);
            kmt_json_key(j, "arrival_time");
            kmt_json_double(j, ro->start[i], 6);
            kmt_json_key(j, "departure_time");
            kmt_json_double(j, ro->start[i] + t->duration, 6);
            kmt_json_object_end(j);
        }
        kmt_json_array_end(j);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_key(j, "unassigned");
    kmt_json_array_begin(j);
    for (int i = 0; i < s->nunassigned; i++) {
        const kmt_hhc_task *t = &p->tasks[s->unassigned[i]];
        kmt_json_object_begin(j);
        task_ids(j, t);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
    kmt_json_object_end(j);
}

static const char *str2(json_t *o, const char *a, const char *b)
{
    const char *s = json_string_value(json_object_get(o, a));
    return s ? s : json_string_value(json_object_get(o, b));
}

static int find_task(const kmt_hhc_problem *p, const char *client, const char *service, const char *kind)
{
    kmt_hhc_kind k = !kind                         ? KMT_HHC_VISIT
                     : !strcmp(kind, "key_pickup") ? KMT_HHC_KEY_PICKUP
                     : !strcmp(kind, "key_return") ? KMT_HHC_KEY_RETURN
                                                   : KMT_HHC_VISIT;
    for (int t = 0; t < p->ntasks; t++)
        if (p->tasks[t].kind == k && !strcmp(p->tasks[t].client, client) && !strcmp(p->tasks[t].service, service))
            return t;
    return -1;
}

int kmt_hhc_parse_solution(const char *text, size_t len, const char *file, const kmt_hhc_problem *p,
                           kmt_hhc_solution *s, kmt_error *e)
{
    kmt_hhc_solution_init(s);
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) return kmt_error_at(e, KMT_EINVAL, file, je.line, je.column, NULL, "JSON: %s", je.text);
    int rc = 0;
    json_t *routes = json_object_get(root, "routes");
    if (!json_is_array(routes) || json_array_size(routes) > (size_t)p->nshifts) {
        rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "routes", "routes: an array of at most %d routes is needed",
                          p->nshifts);
        goto done;
    }
    unsigned char *used = kmt_calloc((size_t)p->nshifts + 1, 1);
    s->routes = kmt_calloc(json_array_size(routes) + 1, sizeof(kmt_hhc_route));
    for (size_t r = 0; r < json_array_size(routes) && !rc; r++) {
        json_t *ro = json_array_get(routes, r);
        char path[48];
        snprintf(path, sizeof path, "routes[%zu]", r);
        const char *cid = json_string_value(json_object_get(ro, "caregiver_id"));
        int c = -1;
        for (int k = 0; cid && k < p->ncarers; k++)
            if (!strcmp(p->carers[k].id, cid)) c = k;
        if (c < 0) {
            rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "caregiver_id", "%s.caregiver_id: unknown caregiver '%s'",
                              path, cid ? cid : "(not a string)");
            break;
        }
        int sh = -1;
        json_t *jsh = json_object_get(ro, "shift");
        if (jsh) {
            double x;
            if ((rc = get_num(ro, "shift", file, path, 0, p->nshifts - 1, &x, e))) break;
            sh = (int)x;
            if (p->shifts[sh].carer != c || used[sh]) {
                rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "shift", "%s.shift %d: not a free shift of %s", path, sh,
                                  cid);
                break;
            }
        } else {
            for (int k = 0; k < p->nshifts && sh < 0; k++)
                if (p->shifts[k].carer == c && !used[k]) sh = k;
            if (sh < 0) {
                rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "caregiver_id", "%s: caregiver %s has no shift left", path,
                                  cid);
                break;
            }
        }
        used[sh] = 1;
        kmt_hhc_route *o = &s->routes[s->nroutes++];
        o->shift = sh;
        json_t *locs = json_object_get(ro, "locations");
        size_t nl = locs ? json_array_size(locs) : 0;
        if (locs && !json_is_array(locs)) {
            rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "locations", "%s.locations: an array is needed", path);
            break;
        }
        if (nl > (size_t)p->ntasks) {
            rc = kmt_error_at(e, KMT_ETOOBIG, file, 0, 0, "locations", "%s.locations: more entries than tasks", path);
            break;
        }
        o->tasks = kmt_malloc((nl + 1) * sizeof(int));
        o->start = kmt_malloc((nl + 1) * sizeof(double));
        for (size_t i = 0; i < nl; i++) {
            json_t *l = json_array_get(locs, i);
            char lp[80];
            snprintf(lp, sizeof lp, "%s.locations[%zu]", path, i);
            const char *pid = str2(l, "patient_id", "patient"), *sid = str2(l, "service_id", "service");
            const char *kind = json_string_value(json_object_get(l, "kind"));
            int t = pid && sid ? find_task(p, pid, sid, kind) : -1;
            if (t < 0) {
                rc = kmt_error_at(e, KMT_EINVAL, file, 0, 0, "patient_id", "%s: no task for patient '%s' service '%s'",
                                  lp, pid ? pid : "(missing)", sid ? sid : "(missing)");
                break;
            }
            double st;
            if ((rc = get_num(l, "arrival_time", file, lp, -KMT_HHC_MAX_TIME, KMT_HHC_MAX_TIME, &st, e))) break;
            o->tasks[o->n] = t;
            o->start[o->n++] = st;
        }
    }
    kmt_free(used);
    if (rc) goto done;
    /* the tasks in no route are unassigned */
    unsigned char *seen = kmt_calloc((size_t)p->ntasks + 1, 1);
    for (int r = 0; r < s->nroutes; r++)
        for (int i = 0; i < s->routes[r].n; i++) seen[s->routes[r].tasks[i]] = 1;
    s->unassigned = kmt_malloc((size_t)(p->ntasks + 1) * sizeof(int));
    for (int t = 0; t < p->ntasks; t++)
        if (!seen[t]) s->unassigned[s->nunassigned++] = t;
    kmt_free(seen);
done:
    json_decref(root);
    if (rc) kmt_hhc_solution_destroy(s);
    return rc;
}
