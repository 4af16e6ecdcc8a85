/* SPDX-License-Identifier: MPL-2.0 */
/* Tests of the home-care engine (src/hhc), its readers and its CLI. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/hhc_io.h"
#include "test.h"

/* ---- building tiny problems ------------------------------------------- */

typedef struct tiny {
    double x[16], y[16];
    int nloc;
} tiny;

static void tiny_matrices(kmt_hhc_problem *p, const tiny *g)
{
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_hhc_problem_matrices(p, g->nloc, 1, &e), 0);
    for (int i = 0; i < g->nloc; i++)
        for (int j = 0; j < g->nloc; j++) {
            double d = round(hypot(g->x[i] - g->x[j], g->y[i] - g->y[j]));
            p->time[i * g->nloc + j] = p->dist[i * g->nloc + j] = d;
        }
}

static int add_task(kmt_hhc_problem *p, const char *client, const char *service, kmt_hhc_kind kind, int loc, double e,
                    double l, int soft, double dur, uint64_t skills)
{
    p->tasks = kmt_realloc(p->tasks, (size_t)(p->ntasks + 1) * sizeof(kmt_hhc_task));
    kmt_hhc_task *t = &p->tasks[p->ntasks];
    memset(t, 0, sizeof *t);
    t->client = kmt_strdup(client);
    t->service = kmt_strdup(service);
    t->kind = kind;
    t->location = loc;
    t->earliest = e;
    t->latest = l;
    t->soft = soft;
    t->duration = dur;
    t->skills = skills;
    t->pin = -1;
    return p->ntasks++;
}

static void add_link(kmt_hhc_problem *p, int a, int b, double lo, double hi, kmt_hhc_carers c)
{
    p->links = kmt_realloc(p->links, (size_t)(p->nlinks + 1) * sizeof(kmt_hhc_link));
    p->links[p->nlinks++] = (kmt_hhc_link){ a, b, lo, hi, c };
}

static void add_carer(kmt_hhc_problem *p, const char *id, uint64_t skills, double start, double end)
{
    p->carers = kmt_realloc(p->carers, (size_t)(p->ncarers + 1) * sizeof(kmt_hhc_carer));
    p->carers[p->ncarers] = (kmt_hhc_carer){ kmt_strdup(id), skills, 0, KMT_HHC_NO_LIMIT };
    p->shifts = kmt_realloc(p->shifts, (size_t)(p->nshifts + 1) * sizeof(kmt_hhc_shift));
    p->shifts[p->nshifts++] = (kmt_hhc_shift){ p->ncarers, start, end, 0, 0 };
    p->ncarers++;
}

/* A keyed visit: the key is fetched from the office (location office)
 * before the visit and brought back after it, by the same carer. */
static int add_keyed_visit(kmt_hhc_problem *p, const char *client, int loc, int office, double e, double l, double dur,
                           uint64_t skills)
{
    int v = add_task(p, client, "visit", KMT_HHC_VISIT, loc, e, l, 1, dur, skills);
    int a = add_task(p, client, "key", KMT_HHC_KEY_PICKUP, office, 0, 1000, 0, 2, 0);
    int b = add_task(p, client, "key", KMT_HHC_KEY_RETURN, office, 0, 1000, 0, 2, 0);
    add_link(p, a, v, 0, KMT_HHC_NO_LIMIT, KMT_HHC_SAME);
    add_link(p, v, b, 0, KMT_HHC_NO_LIMIT, KMT_HHC_SAME);
    return v;
}

/* A random tiny problem: 2 carers, 3-5 visits (one double-staffed, one pair
 * of ordered visits, one keyed visit when there is room), depot 0, office 1. */
static void random_tiny(kmt_hhc_problem *p, kmt_rng *rng, int nvisits, int keys)
{
    kmt_hhc_problem_init(p);
    p->w.travel_time = 1;
    p->w.lateness = 2;
    p->w.max_lateness = 1;
    tiny g;
    g.nloc = nvisits + 2;
    for (int i = 0; i < g.nloc; i++) {
        g.x[i] = (double)kmt_rng_below(rng, 60);
        g.y[i] = (double)kmt_rng_below(rng, 60);
    }
    tiny_matrices(p, &g);
    add_carer(p, "c1", 3, 0, KMT_HHC_NO_LIMIT);
    add_carer(p, "c2", (uint64_t)(kmt_rng_below(rng, 2) ? 3 : 2), 0, KMT_HHC_NO_LIMIT);
    int v = 0;
    char client[16];
    /* a double-staffed visit */
    snprintf(client, sizeof client, "p%d", v);
    double e0 = (double)kmt_rng_below(rng, 120);
    int a = add_task(p, client, "s1", KMT_HHC_VISIT, 2 + v, e0, e0 + 40, 1, 10, 1);
    int b = add_task(p, client, "s2", KMT_HHC_VISIT, 2 + v, e0, e0 + 40, 1, 10, 2);
    add_link(p, a, b, 0, 0, KMT_HHC_DIFFERENT);
    v++;
    /* ordered visits of one client: B 20-40 minutes after A starts */
    snprintf(client, sizeof client, "p%d", v);
    e0 = (double)kmt_rng_below(rng, 120);
    a = add_task(p, client, "s1", KMT_HHC_VISIT, 2 + v, e0, e0 + 60, 1, 10, 1);
    b = add_task(p, client, "s2", KMT_HHC_VISIT, 2 + v, e0, e0 + 100, 1, 10, 2);
    add_link(p, a, b, 20, 40, KMT_HHC_ANY);
    v++;
    if (keys && v < nvisits) {
        snprintf(client, sizeof client, "p%d", v);
        e0 = (double)kmt_rng_below(rng, 150);
        add_keyed_visit(p, client, 2 + v, 1, e0, e0 + 50, 15, 1);
        v++;
    }
    for (; v < nvisits; v++) {
        snprintf(client, sizeof client, "p%d", v);
        e0 = (double)kmt_rng_below(rng, 150);
        int hard = kmt_rng_below(rng, 3) == 0;
        add_task(p, client, "s1", KMT_HHC_VISIT, 2 + v, e0, e0 + (hard ? 120 : 40), !hard, 12,
                 (uint64_t)1 << kmt_rng_below(rng, 2));
    }
}

/* ---- brute force -------------------------------------------------------- */

/* The least schedule of fixed sequences (plain fixpoint iteration, written
 * here independently of the solver); 0 if it diverges. */
static int least_schedule(const kmt_hhc_problem *p, kmt_hhc_solution *s)
{
    int T = p->ntasks;
    double *st = calloc((size_t)T + 1, sizeof(double));
    int *in = malloc(sizeof(int) * (size_t)(T + 1));
    for (int t = 0; t < T; t++) in[t] = 0;
    for (int r = 0; r < s->nroutes; r++)
        for (int i = 0; i < s->routes[r].n; i++) in[s->routes[r].tasks[i]] = 1;
    int ok = 0;
    for (int round = 0; round < 200; round++) {
        int changed = 0;
        for (int r = 0; r < s->nroutes; r++) {
            const kmt_hhc_shift *h = &p->shifts[s->routes[r].shift];
            double ready = h->start;
            int loc = h->start_location;
            for (int i = 0; i < s->routes[r].n; i++) {
                int t = s->routes[r].tasks[i];
                const kmt_hhc_task *k = &p->tasks[t];
                double v = ready + p->time[loc * p->nlocations + k->location];
                if (v < k->earliest) v = k->earliest;
                for (int l = 0; l < p->nlinks; l++) {
                    const kmt_hhc_link *L = &p->links[l];
                    if (L->b == t && in[L->a] && st[L->a] + L->min > v) v = st[L->a] + L->min;
                    if (L->a == t && in[L->b] && st[L->b] - L->max > v) v = st[L->b] - L->max;
                }
                if (v > st[t] + 1e-9) {
                    st[t] = v;
                    changed = 1;
                }
                ready = st[t] + k->duration;
                loc = k->location;
            }
        }
        if (!changed) {
            ok = 1;
            break;
        }
    }
    for (int r = 0; r < s->nroutes; r++)
        for (int i = 0; i < s->routes[r].n; i++) s->routes[r].start[i] = st[s->routes[r].tasks[i]];
    free(st);
    free(in);
    return ok;
}

/* The best cost over every split of the tasks into the two shifts and every
 * order of each (all tasks served). Uses the checker for feasibility and cost. */
static double brute_force(const kmt_hhc_problem *p)
{
    int T = p->ntasks, n = T + 1; /* item T separates shift 0 from shift 1 */
    int perm[16], c[16];
    for (int i = 0; i < n; i++) {
        perm[i] = i;
        c[i] = 0;
    }
    kmt_hhc_solution s;
    kmt_hhc_solution_init(&s);
    s.nroutes = 2;
    s.routes = calloc(2, sizeof(kmt_hhc_route));
    for (int r = 0; r < 2; r++) {
        s.routes[r].shift = r;
        s.routes[r].tasks = malloc(sizeof(int) * 16);
        s.routes[r].start = malloc(sizeof(double) * 16);
    }
    double best = INFINITY;
    int i = 0;
    for (int first = 1;;) {
        if (!first) { /* Heap's algorithm, iterative */
            while (i < n && c[i] >= i) c[i++] = 0;
            if (i >= n) break;
            int j = i % 2 ? c[i] : 0, x = perm[j];
            perm[j] = perm[i];
            perm[i] = x;
            c[i]++;
            i = 0;
        }
        first = 0;
        s.routes[0].n = s.routes[1].n = 0;
        int r = 0;
        for (int k = 0; k < n; k++) {
            if (perm[k] == T) {
                r = 1;
                continue;
            }
            s.routes[r].tasks[s.routes[r].n++] = perm[k];
        }
        if (!least_schedule(p, &s)) continue;
        kmt_hhc_check_report rep;
        if (kmt_hhc_check(p, &s, &rep) == 0 && rep.cost.total < best) best = rep.cost.total;
    }
    for (int k = 0; k < 2; k++) {
        free(s.routes[k].tasks);
        free(s.routes[k].start);
    }
    free(s.routes);
    return best;
}

static double solve_checked(const kmt_hhc_problem *p, long iters, uint64_t seed, kmt_hhc_solution *s)
{
    kmt_hhc_solve_opts o;
    kmt_hhc_solve_opts_default(&o);
    o.time_limit = 0;
    o.iterations = iters;
    o.seed = seed;
    kmt_error e;
    kmt_error_init(&e);
    kmt_hhc_solution_init(s);
    ASSERT_EQ_INT(kmt_hhc_solve(p, &o, s, NULL, &e), 0);
    kmt_hhc_check_report r;
    int rc = kmt_hhc_check(p, s, &r);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "checker rejects the solver's plan: %s", r.first);
    ASSERT_NEAR(r.cost.total, s->cost.total, 1e-6);
    return r.cost.total;
}

KMT_TEST(hhc_brute_force_optimum_tiny)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 7);
    int tested = 0;
    for (int k = 0; k < 12; k++) {
        kmt_hhc_problem p;
        int nv = 3 + k % 3, keys = k % 2;
        random_tiny(&p, &rng, nv, keys);
        if (p.ntasks > 7) { /* keep the enumeration small: (T + 1)! orders */
            kmt_hhc_problem_destroy(&p);
            continue;
        }
        double opt = brute_force(&p);
        if (opt == INFINITY) {
            kmt_hhc_problem_destroy(&p);
            continue;
        }
        kmt_hhc_solution s;
        double got = solve_checked(&p, 400, 1, &s);
        if (got > opt + 1e-6)
            kmt_test_fail(__FILE__, __LINE__, "instance %d (%d tasks): solver %.4f, optimum %.4f", k, p.ntasks, got,
                          opt);
        ASSERT(got >= opt - 1e-6);
        tested++;
        kmt_hhc_solution_destroy(&s);
        kmt_hhc_problem_destroy(&p);
    }
    ASSERT(tested >= 6);
}

KMT_TEST(hhc_random_plans_pass_checker)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 99);
    for (int k = 0; k < 25; k++) {
        kmt_hhc_problem p;
        random_tiny(&p, &rng, 5, 1);
        /* more visits, pins, forbidden and preferred carers, a shift end, a work limit */
        for (int t = 0; t < p.ntasks; t++) {
            kmt_hhc_task *x = &p.tasks[t];
            if (x->kind != KMT_HHC_VISIT) continue;
            uint64_t q = kmt_rng_below(&rng, 6);
            if (q == 0 && x->skills == 1) {
                x->forbidden = kmt_malloc(sizeof(int));
                x->forbidden[0] = 1;
                x->nforbidden = 1;
            } else if (q == 1) {
                x->preferred = kmt_malloc(sizeof(int));
                x->preferred[0] = (int)kmt_rng_below(&rng, 2);
                x->npreferred = 1;
            }
        }
        p.shifts[1].end = 300 + (double)kmt_rng_below(&rng, 200);
        p.carers[0].max_work = 150 + (double)kmt_rng_below(&rng, 200);
        kmt_hhc_solution s;
        solve_checked(&p, 150, (uint64_t)k + 1, &s);
        kmt_hhc_solution_destroy(&s);
        kmt_hhc_problem_destroy(&p);
    }
}

KMT_TEST(hhc_deterministic_for_seed_and_iterations)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 5);
    kmt_hhc_problem p;
    random_tiny(&p, &rng, 5, 1);
    kmt_hhc_solution a, b;
    double ca = solve_checked(&p, 300, 42, &a), cb = solve_checked(&p, 300, 42, &b);
    ASSERT_NEAR(ca, cb, 0);
    for (int r = 0; r < a.nroutes; r++) {
        ASSERT_EQ_INT(a.routes[r].n, b.routes[r].n);
        for (int i = 0; i < a.routes[r].n; i++) ASSERT_EQ_INT(a.routes[r].tasks[i], b.routes[r].tasks[i]);
    }
    kmt_hhc_solution_destroy(&a);
    kmt_hhc_solution_destroy(&b);
    kmt_hhc_problem_destroy(&p);
}

/* ---- the checker rejects each broken constraint ------------------------ */

/* A hand-made problem and plan: c1 serves p0/s1 (double with c2), the keyed
 * p2 and p3; c2 serves p0/s2 and the ordered pair p1. */
static void fixture(kmt_hhc_problem *p, kmt_hhc_solution *s)
{
    kmt_hhc_problem_init(p);
    tiny g = { { 0, 0, 10, 20, 30, 40 }, { 0, 10, 0, 0, 0, 0 }, 6 };
    tiny_matrices(p, &g);
    add_carer(p, "c1", 3, 0, 1000);
    add_carer(p, "c2", 2, 0, 1000);
    int d1 = add_task(p, "p0", "s1", KMT_HHC_VISIT, 2, 0, 100, 0, 10, 1); /* 0 */
    int d2 = add_task(p, "p0", "s2", KMT_HHC_VISIT, 2, 0, 100, 0, 10, 2); /* 1 */
    add_link(p, d1, d2, 0, 0, KMT_HHC_DIFFERENT);
    int o1 = add_task(p, "p1", "s1", KMT_HHC_VISIT, 3, 0, 200, 1, 10, 2); /* 2 */
    int o2 = add_task(p, "p1", "s2", KMT_HHC_VISIT, 3, 0, 200, 1, 10, 2); /* 3 */
    add_link(p, o1, o2, 20, 40, KMT_HHC_ANY);
    add_keyed_visit(p, "p2", 4, 1, 0, 300, 10, 1);               /* 4, 5, 6 */
    add_task(p, "p3", "s1", KMT_HHC_VISIT, 5, 0, 400, 1, 10, 1); /* 7 */
    kmt_hhc_solution_init(s);
    s->nroutes = 2;
    s->routes = kmt_calloc(2, sizeof(kmt_hhc_route));
    int r0[] = { 0, 5, 4, 6, 7 }, r1[] = { 1, 2, 3 };
    double t0[] = { 10, 34, 68, 110, 153 }, t1[] = { 10, 30, 50 };
    for (int r = 0; r < 2; r++) {
        kmt_hhc_route *o = &s->routes[r];
        o->shift = r;
        o->n = r ? 3 : 5;
        o->tasks = kmt_malloc(8 * sizeof(int));
        o->start = kmt_malloc(8 * sizeof(double));
        memcpy(o->tasks, r ? r1 : r0, (size_t)o->n * sizeof(int));
        memcpy(o->start, r ? t1 : t0, (size_t)o->n * sizeof(double));
    }
    s->unassigned = kmt_malloc(8 * sizeof(int));
}

static void expect_reject(kmt_hhc_problem *p, kmt_hhc_solution *s, const char *what)
{
    kmt_hhc_check_report r;
    int rc = kmt_hhc_check(p, s, &r);
    if (rc == 0) kmt_test_fail(__FILE__, __LINE__, "the checker accepts a plan that breaks: %s", what);
    ASSERT_CONTAINS(r.first, what);
    kmt_hhc_solution_destroy(s);
    kmt_hhc_problem_destroy(p);
}

KMT_TEST(hhc_checker_accepts_fixture_and_rejects_each_violation)
{
    kmt_hhc_problem p;
    kmt_hhc_solution s;
    kmt_hhc_check_report r;
    fixture(&p, &s);
    int rc = kmt_hhc_check(&p, &s, &r);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "fixture rejected: %s", r.first);
    /* travel 10 + 14 + 10 + 10 + 10 + 41 back = 95 for c1 ... recomputed independently: */
    ASSERT_NEAR(r.cost.lateness, 0, 1e-9);
    ASSERT_EQ_INT(r.cost.unassigned, 0);
    ASSERT_EQ_INT(r.order_crossing, 0);
    /* c1 visits p1 then p0, c2 p0 then p1: the client orders cross (reported, not a violation) */
    s.routes[0].tasks[0] = 2;
    s.routes[0].tasks[1] = 0;
    s.routes[0].n = 2;
    s.routes[1].tasks[0] = 1;
    s.routes[1].tasks[1] = 3;
    s.routes[1].n = 2;
    kmt_hhc_check(&p, &s, &r);
    ASSERT_EQ_INT(r.order_crossing, 1);
    kmt_hhc_solution_destroy(&s);
    kmt_hhc_problem_destroy(&p);

    fixture(&p, &s);
    p.tasks[7].skills = 4;
    expect_reject(&p, &s, "needs skills");
    fixture(&p, &s);
    p.tasks[7].pin = 1;
    expect_reject(&p, &s, "is pinned to");
    fixture(&p, &s);
    p.tasks[7].forbidden = kmt_malloc(sizeof(int));
    p.tasks[7].forbidden[0] = 0;
    p.tasks[7].nforbidden = 1;
    expect_reject(&p, &s, "may not be served");
    fixture(&p, &s);
    p.tasks[7].earliest = 200;
    expect_reject(&p, &s, "before its window opens");
    fixture(&p, &s);
    s.routes[0].start[0] = 12;
    s.routes[1].start[0] = 12;
    p.tasks[0].latest = 11;
    expect_reject(&p, &s, "after its hard window closes");
    fixture(&p, &s);
    s.routes[0].start[4] = 60;
    expect_reject(&p, &s, "cannot arrive before");
    fixture(&p, &s);
    p.shifts[0].end = 100;
    expect_reject(&p, &s, "after the shift end");
    fixture(&p, &s);
    p.links[0].min = p.links[0].max = 5; /* the double-staffed visit is not 5 minutes apart */
    expect_reject(&p, &s, "minutes after");
    fixture(&p, &s);
    s.routes[1].start[2] = 71; /* ordered visit too late */
    expect_reject(&p, &s, "expected 20 to 40");
    fixture(&p, &s);
    p.shifts[1].carer = 0; /* both shifts, so both parts of p0, by c1 */
    expect_reject(&p, &s, "two different carers");
    fixture(&p, &s);
    s.routes[0].tasks[1] = 6; /* key returned before it is fetched */
    s.routes[0].tasks[3] = 5;
    expect_reject(&p, &s, "must come before");
    fixture(&p, &s);
    p.carers[0].max_work = 50;
    expect_reject(&p, &s, "over the maximum");
    fixture(&p, &s);
    s.routes[0].tasks[4] = 4; /* p2 twice, p3 never */
    expect_reject(&p, &s, "appears");
    fixture(&p, &s);
    s.routes[1].n = 2; /* p1/s2 dropped: listed unassigned, its partner served */
    s.unassigned[s.nunassigned++] = 3;
    expect_reject(&p, &s, "both must be served");
    fixture(&p, &s);
    s.routes[1].shift = 0;
    expect_reject(&p, &s, "used twice");
}

KMT_TEST(hhc_solver_uses_keys_and_double_staffing)
{
    kmt_hhc_problem p;
    kmt_hhc_solution s, t;
    fixture(&p, &t);
    kmt_hhc_solution_destroy(&t);
    double c = solve_checked(&p, 300, 3, &s);
    ASSERT(c < 1e5); /* everything served */
    ASSERT_EQ_INT(s.nunassigned, 0);
    kmt_hhc_solution_destroy(&s);
    kmt_hhc_problem_destroy(&p);
}

/* ---- readers and benchmark data ------------------------------------------ */

KMT_TEST(hhc_mankowska_reader_errors_name_line_and_field)
{
    const char *bad = "nbNodes\n4\nnbVehi\n1\nnbServi\n1\nr\n1\n1\n1\n1\nDS\n\na\n1\nx\n0 1 2 0\ny\n0 0 0 0\n"
                      "d\n0 1 2 0\n1 0 1 1\n2 1 0 2\n0 1 2 0\np\n0\n5\n5\n0\nmind\n0 0 0 0\nmaxd\n0 0 0 0\n"
                      "e\n0 10 20 0\nl\n600 5 50 1000\n";
    kmt_hhc_problem p;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_hhc_parse_mankowska(bad, strlen(bad), "bad.txt", &p, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.file, "bad.txt");
    ASSERT_STR_EQ(e.field, "l");
    ASSERT_EQ_INT(e.line, 37);
    ASSERT_CONTAINS(e.msg, "patient 1");
    const char *bad2 = "nbNodes\n4\nnbVehi\n1x\n";
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_hhc_parse_mankowska(bad2, strlen(bad2), "bad2.txt", &p, &e), KMT_EINVAL);
    ASSERT_EQ_INT(e.line, 4);
    ASSERT_STR_EQ(e.field, "nbVehi");
    const char *bad3 = "nbNodes\n99999\n";
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_hhc_parse_mankowska(bad3, strlen(bad3), "bad3.txt", &p, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "99999");
    ASSERT_EQ_INT(e.line, 2);
    const char *bad4 = "nbNodes\n4\nnbVehi\n-1\n";
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_hhc_parse_mankowska(bad4, strlen(bad4), "bad4.txt", &p, &e), KMT_EINVAL);
    ASSERT_EQ_INT(e.line, 4);
    ASSERT_CONTAINS(e.msg, "value -1");
    const char *json = "{\"patients\": [{\"id\": \"p1\", \"time_window\": [10, 5], \"required_caregivers\": "
                       "[{\"service\": \"s1\", \"duration\": 3}]}], \"services\": [{\"id\": \"s1\"}], "
                       "\"caregivers\": [{\"id\": \"c1\", \"abilities\": [\"s1\"]}], \"central_offices\": "
                       "[{\"id\": \"d\"}], \"distances\": [[0, 1], [1, 0]]}";
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_hhc_parse_uniud(json, strlen(json), "bad.json", &p, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "time_window");
    ASSERT_CONTAINS(e.msg, "is 5");
}

static char *shared_copy(const char *rel)
{
    const char *p = kmt_test_shared(rel);
    return p ? kmt_strdup(p) : NULL;
}

KMT_TEST(hhc_uniud_toy_and_10_1_recheck)
{
    char *toy = shared_copy("hhc/uniud-json/toy.json"), *sol = shared_copy("hhc/uniud-json/sol_toy_optimal.json");
    char *i10 = shared_copy("hhc/uniud-json/InstanzCPLEX_HCSRP_10_1.json");
    char *s10 = shared_copy("hhc/uniud-json/sol-InstanzCPLEX_HCSRP_10_1-3825612719.json");
    if (!toy || !sol || !i10 || !s10) {
        kmt_free(toy);
        kmt_free(sol);
        kmt_free(i10);
        kmt_free(s10);
        kmt_test_skip("../shared/data/hhc/uniud-json not present");
    }
    const char *pi[2] = { toy, i10 }, *ps[2] = { sol, s10 };
    double want[2] = { -1, 218.199 };
    for (int k = 0; k < 2; k++) {
        kmt_hhc_problem p;
        kmt_error e;
        kmt_error_init(&e);
        ASSERT_EQ_INT(kmt_hhc_read_uniud(pi[k], &p, &e), 0);
        char *text;
        size_t len;
        ASSERT_EQ_INT(kmt_read_file(ps[k], &text, &len, &e), 0);
        kmt_hhc_solution s;
        ASSERT_EQ_INT(kmt_hhc_parse_solution(text, len, ps[k], &p, &s, &e), 0);
        kmt_free(text);
        kmt_hhc_check_report r;
        int rc = kmt_hhc_check(&p, &s, &r);
        if (rc) kmt_test_fail(__FILE__, __LINE__, "%s rejected: %s", ps[k], r.first);
        if (want[k] > 0) ASSERT_NEAR(r.cost.total, want[k], 0.002);
        /* the solver does at least as well */
        kmt_hhc_solution o;
        double c = solve_checked(&p, 2000, 1, &o);
        ASSERT(c <= r.cost.total + 0.01);
        kmt_hhc_solution_destroy(&o);
        kmt_hhc_solution_destroy(&s);
        kmt_hhc_problem_destroy(&p);
    }
    kmt_free(toy);
    kmt_free(sol);
    kmt_free(i10);
    kmt_free(s10);
}

static char *best_md(void)
{
    char *path = shared_copy("hhc/mankowska-best/mankowska_best-ceschia2024.md");
    if (!path) return NULL;
    char *text = NULL;
    size_t len;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_read_file(path, &text, &len, &e)) text = NULL;
    kmt_free(path);
    return text;
}

/* Column k (0 distance, 1 max tardiness, 2 total tardiness, 3 cost, 4 file) of stem's row. */
static double best_col(const char *md, const char *stem, int k, char *file, size_t fn)
{
    char key[160];
    snprintf(key, sizeof key, "| %s.json", stem);
    const char *at = strstr(md, key);
    if (!at) return -1;
    const char *q = strchr(at + 1, '|');
    double v = -1;
    for (int i = 0; i <= k && q; i++) {
        if (i == k && k == 4) {
            const char *b = q + 1;
            while (*b == ' ') b++;
            size_t n = 0;
            while (b[n] && b[n] != ' ' && b[n] != '|' && n + 1 < fn) n++;
            memcpy(file, b, n);
            file[n] = 0;
            return 0;
        }
        if (i == k) v = strtod(q + 1, NULL);
        q = strchr(q + 1, '|');
    }
    return v;
}

KMT_TEST(hhc_mankowska_a_reaches_proven_optima)
{
    char *md = best_md();
    char *dir = shared_copy("hhc/mankowska");
    if (!md || !dir) {
        kmt_free(md);
        kmt_free(dir);
        kmt_test_skip("../shared/data/hhc (mankowska, mankowska-best) not present");
    }
    for (int k = 1; k <= 10; k++) {
        char stem[64], path[1024];
        snprintf(stem, sizeof stem, "InstanzCPLEX_HCSRP_10_%d", k);
        snprintf(path, sizeof path, "%s/%s.txt", dir, stem);
        kmt_hhc_problem p;
        kmt_error e;
        kmt_error_init(&e);
        ASSERT_EQ_INT(kmt_hhc_read_mankowska(path, &p, &e), 0);
        kmt_hhc_solution s;
        double c = solve_checked(&p, 1500, 1, &s), want = best_col(md, stem, 3, NULL, 0);
        ASSERT(want > 0);
        /* the optimum of family A is proven (Kummer et al. 2021); the table rounds to 3 decimals */
        if (fabs(c - want) > 0.005) kmt_test_fail(__FILE__, __LINE__, "%s: %.4f, optimum %.3f", stem, c, want);
        kmt_hhc_solution_destroy(&s);
        kmt_hhc_problem_destroy(&p);
    }
    kmt_free(md);
    kmt_free(dir);
}

KMT_TEST(hhc_published_2024_solutions_recheck_to_their_cost)
{
    char *md = best_md();
    char *dir = shared_copy("hhc/mankowska"), *sdir = shared_copy("hhc/mankowska-solutions");
    if (!md || !dir || !sdir) {
        kmt_free(md);
        kmt_free(dir);
        kmt_free(sdir);
        kmt_test_skip("../shared/data/hhc (mankowska, mankowska-best, mankowska-solutions) not present");
    }
    static const int sizes[7] = { 10, 25, 50, 75, 100, 200, 300 };
    int checked = 0;
    for (int f = 0; f < 7; f++)
        for (int k = 1; k <= 10; k++) {
            char stem[64], path[1024], file[160];
            snprintf(stem, sizeof stem, "Instanz%s_HCSRP_%d_%d", sizes[f] <= 75 ? "CPLEX" : "VNS", sizes[f], k);
            snprintf(path, sizeof path, "%s/%s.txt", dir, stem);
            if (best_col(md, stem, 4, file, sizeof file) < 0) continue;
            kmt_hhc_problem p;
            kmt_error e;
            kmt_error_init(&e);
            ASSERT_EQ_INT(kmt_hhc_read_mankowska(path, &p, &e), 0);
            snprintf(path, sizeof path, "%s/%s", sdir, file);
            char *text;
            size_t len;
            ASSERT_EQ_INT(kmt_read_file(path, &text, &len, &e), 0);
            kmt_hhc_solution s;
            int rc = kmt_hhc_parse_solution(text, len, path, &p, &s, &e);
            kmt_free(text);
            if (rc) kmt_test_fail(__FILE__, __LINE__, "%s: %s", path, e.msg);
            kmt_hhc_check_report r;
            if (kmt_hhc_check(&p, &s, &r)) kmt_test_fail(__FILE__, __LINE__, "%s rejected: %s", file, r.first);
            ASSERT_EQ_INT(r.order_crossing, 0); /* the literature's plans keep one client order */
            /* published times and distances carry 3 decimals */
            ASSERT_NEAR(r.cost.total, best_col(md, stem, 3, NULL, 0), 0.01);
            ASSERT_NEAR(r.cost.distance, best_col(md, stem, 0, NULL, 0), 0.02);
            ASSERT_NEAR(r.cost.max_lateness, best_col(md, stem, 1, NULL, 0), 0.01);
            ASSERT_NEAR(r.cost.lateness, best_col(md, stem, 2, NULL, 0), 0.02);
            checked++;
            kmt_hhc_solution_destroy(&s);
            kmt_hhc_problem_destroy(&p);
        }
    ASSERT_EQ_INT(checked, 70);
    kmt_free(md);
    kmt_free(dir);
    kmt_free(sdir);
}

KMT_TEST(hhc_cli_plan_and_check)
{
    const char *inst = kmt_test_shared("hhc/mankowska/InstanzCPLEX_HCSRP_10_1.txt");
    if (!inst) kmt_test_skip("../shared/data/hhc not present");
    char *in = kmt_strdup(inst), cmd[2048], out[1024];
    snprintf(out, sizeof out, "%s/hhc_10_1.json", kmt_test_tmpdir());
    snprintf(cmd, sizeof cmd, "plan --mankowska %s --time-limit 0 --iterations 500 -o %s", in, out);
    char *o = NULL, *er = NULL;
    ASSERT_EQ_INT(kmt_test_run(cmd, &o, &er), 0);
    ASSERT_CONTAINS(er, "plan: cost 218.19");
    free(o);
    free(er);
    snprintf(cmd, sizeof cmd, "check --mankowska %s %s", in, out);
    ASSERT_EQ_INT(kmt_test_run(cmd, &o, &er), 0);
    ASSERT_CONTAINS(o, "feasible: cost 218.19");
    free(o);
    free(er);
    snprintf(cmd, sizeof cmd, "plan --mankowska %s.missing", in);
    ASSERT_EQ_INT(kmt_test_run(cmd, &o, &er), 1);
    free(o);
    free(er);
    kmt_free(in);
}

KMT_TEST(hhc_two_shifts_of_one_carer_and_preferences)
{
    /* c1 works 0-200 and 300-600, c2 0-600; p0 is double-staffed at 350:
     * c1's two shifts may not take both halves. p1 prefers c2 and costs the
     * same for either carer, so it goes to c2. */
    kmt_hhc_problem p;
    kmt_hhc_problem_init(&p);
    tiny g = { { 0, 10, 10 }, { 0, 0, 10 }, 3 };
    tiny_matrices(&p, &g);
    add_carer(&p, "c1", 1, 0, 200);
    add_carer(&p, "c2", 1, 0, 600);
    p.shifts = kmt_realloc(p.shifts, 3 * sizeof(kmt_hhc_shift));
    p.shifts[p.nshifts++] = (kmt_hhc_shift){ 0, 300, 600, 0, 0 };
    p.w.non_preferred = 5;
    int a = add_task(&p, "p0", "s1", KMT_HHC_VISIT, 1, 350, 360, 0, 10, 1);
    int b = add_task(&p, "p0", "s1b", KMT_HHC_VISIT, 1, 350, 360, 0, 10, 1);
    add_link(&p, a, b, 0, 0, KMT_HHC_DIFFERENT);
    int c = add_task(&p, "p1", "s1", KMT_HHC_VISIT, 2, 100, 110, 0, 10, 1);
    p.tasks[c].preferred = kmt_malloc(sizeof(int));
    p.tasks[c].preferred[0] = 1;
    p.tasks[c].npreferred = 1;
    kmt_hhc_solution s;
    solve_checked(&p, 200, 1, &s);
    ASSERT_EQ_INT(s.nunassigned, 0);
    int ca = -1, cb = -1, cc = -1;
    for (int r = 0; r < s.nroutes; r++)
        for (int i = 0; i < s.routes[r].n; i++) {
            int t = s.routes[r].tasks[i], car = p.shifts[s.routes[r].shift].carer;
            if (t == a) ca = car;
            if (t == b) cb = car;
            if (t == c) cc = car;
        }
    ASSERT(ca >= 0 && cb >= 0 && ca != cb);
    ASSERT_EQ_INT(cc, 1);
    ASSERT_EQ_INT(s.cost.non_preferred, 0);
    kmt_hhc_solution_destroy(&s);
    kmt_hhc_problem_destroy(&p);
}
