/* SPDX-License-Identifier: MPL-2.0 */
/* Reader of the Mankowska, Meisel & Bierwirth (2014) HHCRSP text instances. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/hhc_io.h"

enum { F_NODES, F_VEHI, F_SERV, F_R, F_DS, F_A, F_X, F_Y, F_D, F_P, F_MIND, F_MAXD, F_E, F_L, NFIELDS };
static const char *const FIELD[NFIELDS] = { "nbNodes", "nbVehi", "nbServi", "r",    "DS",   "a", "x",
                                            "y",       "d",      "p",       "mind", "maxd", "e", "l" };

typedef struct section {
    double *v;
    long *line; /* line of each value */
    size_t n, cap;
    long first_line;
    int seen;
} section;

static void sec_push(section *s, double x, long line)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = kmt_realloc(s->v, s->cap * sizeof(double));
        s->line = kmt_realloc(s->line, s->cap * sizeof(long));
    }
    s->v[s->n] = x;
    s->line[s->n++] = line;
}

static int expect_count(const section *s, const char *file, int f, size_t want, kmt_error *e)
{
    if (!s->seen) return kmt_error_at(e, KMT_EINVAL, file, 0, 0, FIELD[f], "the section '%s' is missing", FIELD[f]);
    if (s->n != want)
        return kmt_error_at(e, KMT_EINVAL, file, s->first_line, 0, FIELD[f], "%zu values, expected %zu", s->n, want);
    return 0;
}

static int check_range(const section *s, size_t i, const char *file, int f, double lo, double hi, int integer,
                       kmt_error *e)
{
    double x = s->v[i];
    if (!(x >= lo && x <= hi) || (integer && x != floor(x)))
        return kmt_error_at(e, KMT_EINVAL, file, s->line[i], 0, FIELD[f], "value %g (number %zu): expected %s %g to %g",
                            x, i + 1, integer ? "an integer" : "a number", lo, hi);
    return 0;
}

static char *fmt_id(char c, int i)
{
    char b[32];
    snprintf(b, sizeof b, "%c%d", c, i);
    return kmt_strdup(b);
}

/* Stage 1: every token of text into its section (sec[NFIELDS], zeroed by the caller). */
static int read_sections(const char *text, size_t len, const char *file, section *sec, kmt_error *e)
{
    int cur = -1, rc = 0;
    long line = 1;
    size_t i = 0;
    while (i < len && !rc) {
        if (text[i] == '\n') line++;
        if (isspace((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && !isspace((unsigned char)text[j])) j++;
        char tok[64];
        size_t tl = j - i < sizeof tok - 1 ? j - i : sizeof tok - 1;
        memcpy(tok, text + i, tl);
        tok[tl] = 0;
        if (isalpha((unsigned char)tok[0])) {
            cur = -1;
            for (int f = 0; f < NFIELDS; f++)
                if (!strcmp(tok, FIELD[f])) cur = f;
            if (cur < 0)
                rc = kmt_error_at(e, KMT_EINVAL, file, line, 0, tok, "unknown section '%s'", tok);
            else if (sec[cur].seen)
                rc = kmt_error_at(e, KMT_EINVAL, file, line, 0, tok, "section '%s' given twice", tok);
            else {
                sec[cur].seen = 1;
                sec[cur].first_line = line;
            }
        } else {
            char *end;
            errno = 0;
            double x = strtod(tok, &end);
            if (cur < 0)
                rc = kmt_error_at(e, KMT_EINVAL, file, line, 0, NULL, "value '%s' before any section name", tok);
            else if (*end || errno || !isfinite(x) || j - i >= sizeof tok - 1)
                rc = kmt_error_at(e, KMT_EINVAL, file, line, 0, FIELD[cur], "'%s' is not a number", tok);
            else if (sec[cur].n > 200000000u)
                rc = kmt_error_at(e, KMT_ETOOBIG, file, line, 0, FIELD[cur], "too many values");
            else
                sec_push(&sec[cur], x, line);
        }
        i = j;
    }
    return rc;
}

/* Stage 2: the header values and the size and range of every section;
 * nodes, carers and services into *n, *V, *S. */
static int check_sections(section *sec, const char *file, int *pn, int *pV, int *pS, kmt_error *e)
{
    int rc = 0;
    int n = 0, V = 0, S = 0;
    if (!rc) rc = expect_count(&sec[F_NODES], file, F_NODES, 1, e);
    if (!rc) rc = check_range(&sec[F_NODES], 0, file, F_NODES, 3, 10002, 1, e);
    if (!rc) rc = expect_count(&sec[F_VEHI], file, F_VEHI, 1, e);
    if (!rc) rc = check_range(&sec[F_VEHI], 0, file, F_VEHI, 1, 1000, 1, e);
    if (!rc) rc = expect_count(&sec[F_SERV], file, F_SERV, 1, e);
    if (!rc) rc = check_range(&sec[F_SERV], 0, file, F_SERV, 1, KMT_HHC_MAX_SKILLS, 1, e);
    if (!rc) {
        n = (int)sec[F_NODES].v[0];
        V = (int)sec[F_VEHI].v[0];
        S = (int)sec[F_SERV].v[0];
    }
    size_t N = (size_t)n;
    struct {
        int f;
        size_t count;
        double lo, hi;
        int integer;
    } shape[] = { { F_R, N * (size_t)S, 0, 1, 1 }, { F_A, (size_t)V * (size_t)S, 0, 1, 1 },
                  { F_X, N, -1e7, 1e7, 0 },        { F_Y, N, -1e7, 1e7, 0 },
                  { F_D, N * N, 0, 1e7, 0 },       { F_P, N * (size_t)V * (size_t)S, 0, 1e5, 0 },
                  { F_MIND, N, 0, 1e5, 0 },        { F_MAXD, N, 0, 1e5, 0 },
                  { F_E, N, 0, 1e6, 0 },           { F_L, N, 0, 1e6, 0 } };
    for (size_t k = 0; !rc && k < sizeof shape / sizeof shape[0]; k++) {
        rc = expect_count(&sec[shape[k].f], file, shape[k].f, shape[k].count, e);
        for (size_t v = 0; !rc && v < shape[k].count; v++)
            rc = check_range(&sec[shape[k].f], v, file, shape[k].f, shape[k].lo, shape[k].hi, shape[k].integer, e);
    }
    if (!rc && !sec[F_DS].seen) rc = expect_count(&sec[F_DS], file, F_DS, 0, e);
    for (size_t v = 0; !rc && v < sec[F_DS].n; v++) rc = check_range(&sec[F_DS], v, file, F_DS, 2, n - 1, 1, e);
    *pn = n, *pV = V, *pS = S;
    return rc;
}

/* Stage 3: the matrices, the skills, the carers and their one shift each. */
static void build_carers(section *sec, const char *file, int n, int V, int S, kmt_hhc_problem *p)
{
    size_t N = (size_t)n;
    const char *base = strrchr(file, '/');
    p->name = kmt_strdup(base ? base + 1 : file);
    memcpy(p->time, sec[F_D].v, N * N * sizeof(double));
    memcpy(p->dist, sec[F_D].v, N * N * sizeof(double));
    p->nskills = S;
    p->skill_names = kmt_calloc((size_t)S, sizeof(char *));
    for (int k = 0; k < S; k++) p->skill_names[k] = fmt_id('s', k + 1);
    p->ncarers = p->nshifts = V;
    p->carers = kmt_calloc((size_t)V, sizeof(kmt_hhc_carer));
    p->shifts = kmt_calloc((size_t)V, sizeof(kmt_hhc_shift));
    for (int v = 0; v < V; v++) {
        p->carers[v].id = fmt_id('c', v + 1);
        for (int k = 0; k < S; k++)
            if (sec[F_A].v[(size_t)v * (size_t)S + (size_t)k] != 0) p->carers[v].skills |= (uint64_t)1 << k;
        p->carers[v].max_work = KMT_HHC_NO_LIMIT;
        p->shifts[v] = (kmt_hhc_shift){ v, sec[F_E].v[0], KMT_HHC_NO_LIMIT, 0, n - 1 };
    }
}

/* Stage 4: each patient's one or two visits, and the link between two. */
static int build_patients(section *sec, const char *file, int n, int V, int S, kmt_hhc_problem *p, kmt_error *e)
{
    size_t N = (size_t)n;
    int P = n - 2, rc = 0;
    unsigned char *ds = kmt_calloc(N, 1);
    for (size_t v = 0; v < sec[F_DS].n; v++) ds[(int)sec[F_DS].v[v] - 1] = 1;
    p->tasks = kmt_calloc((size_t)P * 2 + 1, sizeof(kmt_hhc_task));
    p->links = kmt_calloc((size_t)P + 1, sizeof(kmt_hhc_link));
    for (int c = 1; c <= P && !rc; c++) {
        int first = p->ntasks, cnt = 0;
        if (sec[F_L].v[c] < sec[F_E].v[c]) {
            rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_L].line[c], 0, "l", "patient %d: window [%g, %g] is empty", c,
                              sec[F_E].v[c], sec[F_L].v[c]);
            break;
        }
        for (int k = 0; k < S && !rc; k++) {
            if (sec[F_R].v[(size_t)c * (size_t)S + (size_t)k] == 0) continue;
            if (++cnt > 2) {
                rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_R].line[(size_t)c * (size_t)S], 0, "r",
                                  "patient %d needs more than two services", c);
                break;
            }
            double dur = -1;
            for (int v = 0; v < V; v++) {
                if (!(p->carers[v].skills >> k & 1)) continue;
                size_t at = ((size_t)c * (size_t)V + (size_t)v) * (size_t)S + (size_t)k;
                if (dur >= 0 && sec[F_P].v[at] != dur) {
                    rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_P].line[at], 0, "p",
                                      "patient %d service %d: durations that depend on the carer (%g, %g) are not "
                                      "supported",
                                      c, k + 1, dur, sec[F_P].v[at]);
                    break;
                }
                dur = sec[F_P].v[at];
            }
            if (dur < 0) dur = 0;
            kmt_hhc_task *t = &p->tasks[p->ntasks++];
            t->client = fmt_id('p', c);
            t->service = fmt_id('s', k + 1);
            t->kind = KMT_HHC_VISIT;
            t->location = c;
            t->earliest = sec[F_E].v[c];
            t->latest = sec[F_L].v[c];
            t->soft = 1;
            t->duration = dur;
            t->skills = (uint64_t)1 << k;
            t->pin = -1;
        }
        if (rc) break;
        if (cnt == 0) {
            rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_R].line[(size_t)c * (size_t)S], 0, "r",
                              "patient %d needs no service", c);
        } else if (cnt == 2 && !ds[c]) {
            rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_DS].first_line, 0, "DS",
                              "patient %d needs two services but is not listed in DS", c);
        } else if (cnt == 1 && ds[c]) {
            rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_DS].first_line, 0, "DS",
                              "patient %d is listed in DS but needs one service", c);
        } else if (cnt == 2) {
            double lo = sec[F_MIND].v[c], hi = sec[F_MAXD].v[c];
            if (lo > hi)
                rc = kmt_error_at(e, KMT_EINVAL, file, sec[F_MAXD].line[c], 0, "maxd",
                                  "patient %d: maxd %g below mind %g", c, hi, lo);
            kmt_hhc_link *L = &p->links[p->nlinks++];
            L->a = first;
            L->b = first + 1;
            L->min = lo;
            L->max = hi;
            L->carers = lo == 0 && hi == 0 ? KMT_HHC_DIFFERENT : KMT_HHC_ANY;
        }
    }
    kmt_free(ds);
    return rc;
}

int kmt_hhc_parse_mankowska(const char *text, size_t len, const char *file, kmt_hhc_problem *p, kmt_error *e)
{
    section sec[NFIELDS];
    memset(sec, 0, sizeof sec);
    kmt_hhc_problem_init(p);
    int n = 0, V = 0, S = 0;
    int rc = read_sections(text, len, file, sec, e);
    if (!rc) rc = check_sections(sec, file, &n, &V, &S, e);
    if (!rc) rc = kmt_hhc_problem_matrices(p, n, 1, e);
    if (rc) goto done;
    build_carers(sec, file, n, V, S, p);
    rc = build_patients(sec, file, n, V, S, p, e);
    p->w.travel_time = 0;
    p->w.distance = 1.0 / 3;
    p->w.lateness = 1.0 / 3;
    p->w.max_lateness = 1.0 / 3;
    p->w.non_preferred = 0;
    p->w.unassigned = 100000;
    if (!rc) rc = kmt_hhc_problem_validate(p, e);
    if (rc && !e->file[0]) snprintf(e->file, sizeof e->file, "%s", file);
done:
    for (int f = 0; f < NFIELDS; f++) {
        kmt_free(sec[f].v);
        kmt_free(sec[f].line);
    }
    if (rc) kmt_hhc_problem_destroy(p);
    return rc;
}

int kmt_hhc_read_mankowska(const char *path, kmt_hhc_problem *p, kmt_error *e)
{
    char *text = NULL;
    size_t len = 0;
    kmt_hhc_problem_init(p);
    int rc = kmt_read_file(path, &text, &len, e);
    if (!rc) rc = kmt_hhc_parse_mankowska(text, len, path, p, e);
    kmt_free(text);
    return rc;
}
