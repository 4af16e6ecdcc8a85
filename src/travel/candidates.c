/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Meetings that could be video meetings: group the trips of one meeting,
 * find recurring series, rank by what replacing them saves against the
 * meetings' length. See kommute/travel.h and docs/travel.md for the rule.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/travel.h"
#include "travel_int.h"

void kmt_candidate_opts_default(kmt_candidate_opts *o)
{
    memset(o, 0, sizeof *o);
    o->window_min = 90;
    o->meeting_hours = 2.0;
    o->series_min = 3;
    o->series_overlap = 0.5;
}

/* ---- case-insensitive ids of strings --------------------------------------- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Id of s (trimmed, ASCII case folded) in m: its entry index, a new one
 * (= count so far) if absent. -1 for "". */
static int32_t name_id(kmt_map *m, const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (!len) return -1;
    char small[256];
    char *key = len <= sizeof small ? small : kmt_malloc(len);
    for (size_t i = 0; i < len; i++) key[i] = (char)lower((unsigned char)s[i]);
    size_t id = kmt_map_insert_str(m, key, len, 0, NULL);
    if (key != small) kmt_free(key);
    return (int32_t)id;
}

/* Place id of a record end: the place name (trimmed, case-insensitive), else
 * the coordinates rounded to 0.001 degree, else -1. */
static int32_t place_id(kmt_map *m, const char *place, kmt_coord c)
{
    char buf[64];
    const char *p = place ? place : "";
    while (*p == ' ' || *p == '\t') p++;
    if (*p) return name_id(m, p);
    if (!kmt_geo_valid(c)) return -1;
    snprintf(buf, sizeof buf, "@%.3f,%.3f", c.lon, c.lat);
    return name_id(m, buf);
}

/* 1 if a purpose names a meeting: "meeting", "møde", "möte", "møte" (any
 * case), alone or followed by a space, '-' or ':' and more words. */
static int is_meeting_purpose(const char *p)
{
    static const char *const names[] = { "meeting",
                                         "m\xc3\xb8"
                                         "de",
                                         "m\xc3\xb6te", "m\xc3\xb8te", NULL };
    while (*p == ' ') p++;
    for (int i = 0; names[i]; i++) {
        size_t n = strlen(names[i]);
        if (strlen(p) < n) continue;
        int same = 1;
        for (size_t k = 0; k < n && same; k++) same = lower((unsigned char)p[k]) == (unsigned char)names[i][k];
        if (same && (p[n] == '\0' || p[n] == ' ' || p[n] == '-' || p[n] == ':')) return 1;
    }
    return 0;
}

/* ---- meetings ------------------------------------------------------------ */

typedef struct {
    size_t *rec; /* record indices (into d->travel) */
    size_t nrec, cap;
    int grouping;
    int32_t dest; /* place id of the destination, -1 unknown */
    kmt_time day;
    kmt_travel_totals saved;
    double hours; /* meeting length */
    int assumed;
    int32_t *people; /* sorted distinct person ids */
    int npeople;
    int32_t series; /* series index, -1 none */
    const char *meeting_id;
    int32_t org;
} meeting;

static void meeting_add(meeting *m, size_t r)
{
    if (m->nrec == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 4;
        m->rec = kmt_realloc(m->rec, m->cap * sizeof *m->rec);
    }
    m->rec[m->nrec++] = r;
}

/* qsort has no context argument in C11: the comparators read this. */
typedef struct {
    const kmt_dataset *d;
    const int32_t *to_id, *person;
    const kmt_time *arrive;
    const int64_t *keys;
} sort_ctx;

static _Thread_local sort_ctx g_sort; /* qsort has no context argument; one per thread */

/* by person, day, time */
static int cmp_person_day(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (g_sort.person[x] != g_sort.person[y]) return g_sort.person[x] < g_sort.person[y] ? -1 : 1;
    kmt_time dx = g_sort.d->travel.v[x].date, dy = g_sort.d->travel.v[y].date;
    if (dx != dy) return dx < dy ? -1 : 1;
    if (g_sort.arrive[x] != g_sort.arrive[y]) return g_sort.arrive[x] < g_sort.arrive[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* by keys[] (meetings: destination, day), then index */
static int cmp_key(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (g_sort.keys[x] != g_sort.keys[y]) return g_sort.keys[x] < g_sort.keys[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int cmp_outbound(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (g_sort.to_id[x] != g_sort.to_id[y]) return g_sort.to_id[x] < g_sort.to_id[y] ? -1 : 1;
    kmt_time dx = g_sort.d->travel.v[x].date, dy = g_sort.d->travel.v[y].date;
    if (dx != dy) return dx < dy ? -1 : 1;
    if (g_sort.arrive[x] != g_sort.arrive[y]) return g_sort.arrive[x] < g_sort.arrive[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_candidate(const void *a, const void *b)
{
    const kmt_candidate *x = a, *y = b;
    if (x->is_series != y->is_series) return x->is_series ? -1 : 1;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->saved.co2e_g != y->saved.co2e_g) return x->saved.co2e_g > y->saved.co2e_g ? -1 : 1;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return strcmp(x->destination, y->destination);
}

/* Number of a's elements also in b (both sorted). */
static int overlap(const int32_t *a, int na, const int32_t *b, int nb)
{
    int i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            k++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return k;
}

void kmt_candidates_destroy(kmt_candidates *c)
{
    if (!c) return;
    kmt_free(c->v);
    kmt_arena_destroy(&c->arena);
    memset(c, 0, sizeof *c);
}

long kmt_candidates_needed(const kmt_candidates *c, int64_t need_m)
{
    if (need_m <= 0) return 0;
    int64_t sum = 0;
    for (size_t i = 0; i < c->n; i++) {
        sum += c->v[i].saved.m;
        if (sum >= need_m) return (long)i + 1;
    }
    return -1;
}

typedef struct {
    int32_t first; /* meeting index */
    int count;
} series_t;

/* The state of one kmt_travel_candidates run, shared by its stages; the
 * per-record arrays are indexed like d->travel. */
typedef struct cand_run {
    const kmt_dataset *d;
    const kmt_candidate_opts *opt;
    char currency[4];
    const kmt_factor *cache[KMT_TRAVEL_NMODES][KMT_FUEL_COUNT];
    int32_t *to_id, *from_id; /* place ids of the ends, -1 unknown or record not selected */
    int32_t *person;          /* person id, -1 none */
    int32_t *group;           /* meeting index, -1 none */
    kmt_time *arrive;         /* end, else start, else date */
    unsigned char *is_return; /* a return leg of an inferred meeting */
    int32_t *return_of;       /* its outbound record (loose records only) */
    kmt_map places, persons, mids;
    KMT_VEC(meeting) ms;
    KMT_VEC(size_t) loose; /* meeting-purpose records without a meeting id */
    KMT_VEC(series_t) ser;
} cand_run;

/* Stage 1: ids of every selected record's places and person; records with a
 * meeting id grouped by it, meeting-purpose records without one kept loose. */
static void cand_records(cand_run *x)
{
    const kmt_dataset *d = x->d;
    const kmt_candidate_opts *opt = x->opt;
    int32_t *to_id = x->to_id, *from_id = x->from_id, *person = x->person, *group = x->group;
    kmt_time *arrive = x->arrive;
    size_t n = d->travel.n;
    for (size_t i = 0; i < n; i++) {
        const kmt_travel *r = &d->travel.v[i];
        group[i] = -1;
        to_id[i] = from_id[i] = person[i] = -1;
        if (opt->year && r->date != KMT_TIME_NONE && kmt_time_civil(r->date).year != opt->year) continue;
        if (r->date == KMT_TIME_NONE) continue;
        to_id[i] = place_id(&x->places, r->to_place, r->to);
        from_id[i] = place_id(&x->places, r->from_place, r->from);
        person[i] = name_id(&x->persons, r->person ? r->person : "");
        arrive[i] = r->end != KMT_TIME_NONE ? r->end : r->start != KMT_TIME_NONE ? r->start : r->date;
        if (r->meeting_id && *r->meeting_id) {
            int32_t mid = name_id(&x->mids, r->meeting_id);
            if (mid == (int32_t)x->ms.n) {
                meeting m = { 0 };
                m.grouping = KMT_GROUP_MEETING_ID;
                m.meeting_id = r->meeting_id;
                m.series = -1;
                KMT_VEC_PUSH(x->ms, m);
            }
            if (mid >= 0) {
                meeting_add(&x->ms.v[mid], i);
                group[i] = mid;
            }
        } else if (r->purpose && is_meeting_purpose(r->purpose)) {
            KMT_VEC_PUSH(x->loose, i);
        }
    }
}

/* Stage 2: mark return legs among the loose records: in one person's day, a
 * record that starts where an earlier meeting record of that day ended. */
static void cand_returns(cand_run *x)
{
    const kmt_dataset *d = x->d;
    const int32_t *to_id = x->to_id, *from_id = x->from_id, *person = x->person;
    const kmt_time *arrive = x->arrive;
    unsigned char *is_return = x->is_return;
    int32_t *return_of = x->return_of;
    g_sort = (sort_ctx){ d, to_id, person, arrive, NULL };
    size_t *byp = kmt_malloc((x->loose.n + 1) * sizeof *byp);
    if (x->loose.n) memcpy(byp, x->loose.v, x->loose.n * sizeof *byp);
    for (size_t i = 0; i < x->loose.n; i++) return_of[x->loose.v[i]] = -1;
    qsort(byp, x->loose.n, sizeof *byp, cmp_person_day);
    for (size_t i = 0; i < x->loose.n;) {
        size_t j = i;
        const kmt_travel *ri = &d->travel.v[byp[i]];
        while (j < x->loose.n && person[byp[j]] == person[byp[i]] && d->travel.v[byp[j]].date == ri->date) j++;
        /* within [i, j): pair each outbound with the first later record leaving its destination */
        for (size_t a = i; a < j; a++) {
            size_t ra = byp[a];
            if (is_return[ra] || to_id[ra] < 0) continue;
            for (size_t b = a + 1; b < j; b++) {
                size_t rb = byp[b];
                if (!is_return[rb] && from_id[rb] == to_id[ra]) {
                    is_return[rb] = 1;
                    return_of[rb] = (int32_t)ra;
                    break;
                }
            }
        }
        i = j;
    }
    kmt_free(byp);
}

/* Stage 3: inferred meetings: outbound legs clustered by destination and day
 * with arrivals within the window; return legs join their outbound's meeting. */
static void cand_cluster(cand_run *x)
{
    const kmt_dataset *d = x->d;
    const kmt_candidate_opts *opt = x->opt;
    const int32_t *to_id = x->to_id;
    int32_t *group = x->group;
    const kmt_time *arrive = x->arrive;
    const unsigned char *is_return = x->is_return;
    const int32_t *return_of = x->return_of;
    size_t *ob = kmt_malloc((x->loose.n + 1) * sizeof *ob);
    size_t nob = 0;
    for (size_t i = 0; i < x->loose.n; i++)
        if (!is_return[x->loose.v[i]] && to_id[x->loose.v[i]] >= 0) ob[nob++] = x->loose.v[i];
    qsort(ob, nob, sizeof *ob, cmp_outbound);
    for (size_t i = 0; i < nob;) {
        size_t first = ob[i];
        meeting m = { 0 };
        m.grouping = KMT_GROUP_INFERRED;
        m.meeting_id = "";
        m.series = -1;
        size_t j = i;
        while (j < nob && to_id[ob[j]] == to_id[first] && d->travel.v[ob[j]].date == d->travel.v[first].date &&
               arrive[ob[j]] - arrive[first] <= (kmt_time)opt->window_min * 60) {
            meeting_add(&m, ob[j]);
            group[ob[j]] = (int32_t)x->ms.n;
            j++;
        }
        KMT_VEC_PUSH(x->ms, m);
        i = j;
    }
    kmt_free(ob);
    for (size_t i = 0; i < x->loose.n; i++) {
        size_t r = x->loose.v[i];
        if (is_return[r] && group[return_of[r]] >= 0) {
            group[r] = group[return_of[r]];
            meeting_add(&x->ms.v[group[r]], r);
        }
    }
}

/* Stage 4: per meeting its destination, day, people, organisation, savings
 * and length; the people arrays live in out's arena. */
static void cand_meeting_facts(cand_run *x, kmt_candidates *out)
{
    const kmt_dataset *d = x->d;
    const kmt_candidate_opts *opt = x->opt;
    const int32_t *to_id = x->to_id, *from_id = x->from_id, *person = x->person;
    int32_t *tmp = NULL;
    size_t tmpcap = 0;
    for (size_t k = 0; k < x->ms.n; k++) {
        meeting *m = &x->ms.v[k];
        /* destination: the most common to-place among the legs */
        m->dest = -1;
        int best = 0;
        for (size_t a = 0; a < m->nrec; a++) {
            int cnt = 0;
            for (size_t b = 0; b < m->nrec && m->nrec <= 64; b++) cnt += to_id[m->rec[b]] == to_id[m->rec[a]];
            if (m->nrec > 64) cnt = 1; /* large meetings: the first leg's destination */
            if (to_id[m->rec[a]] >= 0 && cnt > best) best = cnt, m->dest = to_id[m->rec[a]];
        }
        m->day = d->travel.v[m->rec[0]].date;
        kmt_time arr = KMT_TIME_NONE, dep = KMT_TIME_NONE;
        int64_t stay = 0; /* round-trip records: (end - start) - travel time, the longest */
        if (tmpcap < m->nrec) {
            tmpcap = m->nrec * 2;
            tmp = kmt_realloc(tmp, tmpcap * sizeof *tmp);
        }
        int orgbest = -1, orgcnt = 0;
        for (size_t a = 0; a < m->nrec; a++) {
            const kmt_travel *r = &d->travel.v[m->rec[a]];
            if (r->date < m->day) m->day = r->date;
            const kmt_factor *f = x->cache[(unsigned)r->mode < KMT_TRAVEL_NMODES ? r->mode : 0]
                                          [(unsigned)r->fuel < KMT_FUEL_COUNT ? r->fuel : 0];
            kmt_travel_totals t;
            kmt_travel_account(r, f, x->currency, f ? f->cost_per_km : 0, &t);
            kmt__travel_add(&m->saved, &t);
            tmp[a] = person[m->rec[a]];
            if (r->start != KMT_TIME_NONE && r->end != KMT_TIME_NONE && r->travel_minutes >= 0 &&
                from_id[m->rec[a]] != m->dest) {
                int64_t st = (r->end - r->start) - (int64_t)r->travel_minutes * 60;
                if (st > stay) stay = st;
            }
            if (to_id[m->rec[a]] == m->dest && r->end != KMT_TIME_NONE && (arr == KMT_TIME_NONE || r->end > arr))
                arr = r->end;
            if (from_id[m->rec[a]] == m->dest && m->dest >= 0 && r->start != KMT_TIME_NONE &&
                (dep == KMT_TIME_NONE || r->start < dep))
                dep = r->start;
            if (r->organisation >= 0 && (a == 0 || r->organisation != orgbest)) {
                int cnt = 0;
                for (size_t b = 0; b < m->nrec && m->nrec <= 64; b++)
                    cnt += d->travel.v[m->rec[b]].organisation == r->organisation;
                if (cnt > orgcnt) orgcnt = cnt, orgbest = r->organisation;
            }
        }
        m->org = orgbest;
        qsort(tmp, m->nrec, sizeof *tmp, cmp_int32);
        int np = 0;
        for (size_t a = 0; a < m->nrec; a++)
            if (tmp[a] >= 0 && (np == 0 || tmp[np - 1] != tmp[a])) tmp[np++] = tmp[a];
        m->people = kmt_arena_alloc(&out->arena, (size_t)(np ? np : 1) * sizeof *m->people);
        memcpy(m->people, tmp, (size_t)np * sizeof *tmp);
        m->npeople = np;
        if (arr != KMT_TIME_NONE && dep != KMT_TIME_NONE && dep > arr) {
            m->hours = (double)(dep - arr) / 3600.0;
        } else if (stay > 0) {
            m->hours = (double)stay / 3600.0;
        } else {
            m->hours = opt->meeting_hours;
            m->assumed = 1;
        }
        out->meeting_trips += (int64_t)m->nrec;
    }
    kmt_free(tmp);
    out->meetings = (int64_t)x->ms.n;
}

/* Stage 5: series: meetings at the same destination whose travellers overlap
 * the series' first meeting. */
static void cand_series(cand_run *x)
{
    const kmt_candidate_opts *opt = x->opt;
    size_t *ord = kmt_malloc((x->ms.n + 1) * sizeof *ord);
    int64_t *key = kmt_malloc((x->ms.n + 1) * sizeof *key);
    for (size_t k = 0; k < x->ms.n; k++) {
        ord[k] = k;
        key[k] =
            ((int64_t)x->ms.v[k].dest + 1) * ((int64_t)1 << 33) + kmt_time_day(x->ms.v[k].day) + ((int64_t)1 << 32);
    }
    g_sort.keys = key;
    qsort(ord, x->ms.n, sizeof *ord, cmp_key);
    /* Per destination, an index person -> series whose first meeting has
     * that person. A meeting joins a series only if it shares travellers
     * with the series' first meeting, so only the series indexed under
     * its travellers need the overlap test. */
    size_t npers = x->persons.n ? x->persons.n : 1;
    int32_t *head = kmt_malloc(npers * sizeof *head);
    for (size_t i = 0; i < npers; i++) head[i] = -1;
    KMT_VEC(int32_t) touched = { 0 };
    typedef struct {
        int32_t series, next;
    } entry;
    KMT_VEC(entry) ent = { 0 };
    KMT_VEC(int32_t) cand = { 0 };
    for (size_t a = 0; a < x->ms.n; a++) {
        meeting *m = &x->ms.v[ord[a]];
        if (a > 0 && x->ms.v[ord[a - 1]].dest != m->dest) {
            for (size_t t = 0; t < touched.n; t++) head[touched.v[t]] = -1;
            touched.n = 0;
            ent.n = 0;
        }
        if (m->dest < 0 || m->npeople == 0) continue;
        cand.n = 0;
        for (int p = 0; p < m->npeople; p++)
            for (int32_t it = head[m->people[p]]; it >= 0; it = ent.v[it].next) KMT_VEC_PUSH(cand, ent.v[it].series);
        if (cand.n > 1) qsort(cand.v, cand.n, sizeof *cand.v, cmp_int32);
        for (size_t c = 0; c < cand.n; c++) {
            if (c > 0 && cand.v[c] == cand.v[c - 1]) continue;
            const meeting *f0 = &x->ms.v[x->ser.v[cand.v[c]].first];
            int ov = overlap(f0->people, f0->npeople, m->people, m->npeople);
            int small = f0->npeople < m->npeople ? f0->npeople : m->npeople;
            int same = ov == f0->npeople && ov == m->npeople; /* the same people */
            if (same || (ov >= 2 && ov >= opt->series_overlap * small)) {
                m->series = cand.v[c];
                x->ser.v[cand.v[c]].count++;
                break;
            }
        }
        if (m->series < 0) {
            series_t s0 = { (int32_t)ord[a], 1 };
            m->series = (int32_t)x->ser.n;
            KMT_VEC_PUSH(x->ser, s0);
            for (int p = 0; p < m->npeople; p++) {
                int32_t who = m->people[p];
                if (head[who] < 0) KMT_VEC_PUSH(touched, who);
                entry en = { m->series, head[who] };
                KMT_VEC_PUSH(ent, en);
                head[who] = (int32_t)ent.n - 1;
            }
        }
    }
    kmt_free(head);
    KMT_VEC_FREE(touched);
    KMT_VEC_FREE(ent);
    KMT_VEC_FREE(cand);
    kmt_free(ord);
    kmt_free(key);
}

/* Stage 6: the candidates: series of series_min or more meetings as one, the
 * other meetings one by one, ranked. */
static void cand_collect(cand_run *x, kmt_candidates *out)
{
    const kmt_dataset *d = x->d;
    const kmt_candidate_opts *opt = x->opt;
    const int32_t *to_id = x->to_id;
    int32_t *ser_cand = kmt_malloc((x->ser.n + 1) * sizeof *ser_cand);
    for (size_t s = 0; s < x->ser.n; s++) ser_cand[s] = -1;
    KMT_VEC(kmt_candidate) cv = { 0 };
    for (size_t k = 0; k < x->ms.n; k++) {
        meeting *m = &x->ms.v[k];
        int in_series = m->series >= 0 && x->ser.v[m->series].count >= opt->series_min;
        kmt_candidate *c;
        if (in_series && ser_cand[m->series] >= 0) {
            c = &cv.v[ser_cand[m->series]];
            c->occurrences++;
            if (m->day < c->first) c->first = m->day;
            if (m->day > c->last) c->last = m->day;
            /* people: union size is approximated by the largest meeting */
            if (m->npeople > c->people) c->people = m->npeople;
        } else {
            kmt_candidate c0 = { 0 };
            c0.is_series = in_series;
            c0.grouping = m->grouping;
            c0.occurrences = 1;
            c0.people = m->npeople;
            c0.meeting_id = m->meeting_id;
            c0.first = c0.last = m->day;
            c0.organisation = m->org;
            const kmt_travel *r0 = &d->travel.v[m->rec[0]];
            const char *dest = "";
            for (size_t a = 0; a < m->nrec; a++) {
                const kmt_travel *r = &d->travel.v[m->rec[a]];
                if (to_id[m->rec[a]] == m->dest) {
                    r0 = r;
                    break;
                }
            }
            char buf[64];
            if (r0->to_place && *r0->to_place)
                dest = r0->to_place;
            else if (kmt_geo_valid(r0->to)) {
                snprintf(buf, sizeof buf, "%.5f,%.5f", r0->to.lon, r0->to.lat);
                dest = buf;
            }
            c0.destination = kmt_arena_strdup(&out->arena, dest);
            KMT_VEC_PUSH(cv, c0);
            c = &cv.v[cv.n - 1];
            if (in_series) ser_cand[m->series] = (int32_t)cv.n - 1;
        }
        kmt__travel_add(&c->saved, &m->saved);
        c->meeting_hours += m->hours;
        c->meeting_hours_assumed |= m->assumed;
    }
    for (size_t i = 0; i < cv.n; i++)
        cv.v[i].score =
            cv.v[i].meeting_hours > 0 ? ((double)cv.v[i].saved.seconds / 3600.0) / cv.v[i].meeting_hours : 0;
    if (cv.n > 1) qsort(cv.v, cv.n, sizeof *cv.v, cmp_candidate);
    out->v = cv.v;
    out->n = cv.n;
    kmt_free(ser_cand);
}

int kmt_travel_candidates(const kmt_dataset *d, const kmt_candidate_opts *opt, kmt_candidates *out, kmt_error *e)
{
    memset(out, 0, sizeof *out);
    char country[4];
    cand_run x = { 0 };
    int rc = kmt__travel_setup(opt->factors, opt->country, country, x.currency, NULL, e);
    if (rc) return rc;
    if (opt->window_min < 0 || !(opt->meeting_hours > 0) || opt->series_min < 2 ||
        !(opt->series_overlap > 0 && opt->series_overlap <= 1))
        return kmt_error_set(e, KMT_EUSAGE, "candidate options out of range");
    kmt_arena_init(&out->arena, 1 << 16);
    kmt__travel_factor_cache(opt->factors, country, x.cache);
    x.d = d;
    x.opt = opt;
    size_t n = d->travel.n;
    x.to_id = kmt_malloc((n + 1) * sizeof *x.to_id);
    x.from_id = kmt_malloc((n + 1) * sizeof *x.from_id);
    x.person = kmt_malloc((n + 1) * sizeof *x.person);
    x.group = kmt_malloc((n + 1) * sizeof *x.group);
    x.arrive = kmt_malloc((n + 1) * sizeof *x.arrive);
    x.is_return = kmt_calloc(n + 1, 1);
    x.return_of = kmt_malloc((n + 1) * sizeof *x.return_of);

    cand_records(&x);
    cand_returns(&x);
    cand_cluster(&x);
    cand_meeting_facts(&x, out);
    cand_series(&x);
    cand_collect(&x, out);

    for (size_t k = 0; k < x.ms.n; k++) kmt_free(x.ms.v[k].rec);
    KMT_VEC_FREE(x.ms);
    KMT_VEC_FREE(x.ser);
    KMT_VEC_FREE(x.loose);
    kmt_free(x.is_return);
    kmt_free(x.return_of);
    kmt_free(x.to_id);
    kmt_free(x.from_id);
    kmt_free(x.person);
    kmt_free(x.group);
    kmt_free(x.arrive);
    kmt_map_destroy(&x.places);
    kmt_map_destroy(&x.persons);
    kmt_map_destroy(&x.mids);
    return 0;
}
