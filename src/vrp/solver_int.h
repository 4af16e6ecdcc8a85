/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The solver's internal data: the problem converted to integers in flat
 * arrays, and routes with cached forward/backward time data so that an
 * insertion is checked in O(1) (Savelsbergh-style concatenation:
 * earliest service start forward, latest service start backward, prefix and
 * suffix maximum loads).
 */
#ifndef KOMMUTE_VRP_SOLVER_INT_H
#define KOMMUTE_VRP_SOLVER_INT_H

#include "kommute/vrp.h"

#define TBIG ((int64_t)1000000000000000000LL) /* "infinite" time, safe to add to */
#define TNONE (-TBIG)

typedef struct vroute {
    int veh;
    int len; /* tasks on the route */
    int *t;  /* len task indices (capacity: cap) */
    /* caches over nodes 0..len+1 (0 = start, len+1 = end), fast routes only */
    int64_t *es;   /* earliest service start (node 0: departure) */
    int64_t *dur;  /* time spent at the node (setup + service) */
    int64_t *ls;   /* latest service start keeping the rest feasible */
    int64_t *load; /* load after the node, D per node */
    int64_t *pmax; /* max load over nodes 0..k, D per node */
    int64_t *smax; /* max load over nodes k..len+1, D per node */
    int64_t *ctt;  /* travel time from the start up to node k */
    int64_t *cc;   /* travel cost from the start up to node k */
    int64_t *cd;   /* distance from the start up to node k (only with max_distance limits) */
    int64_t cost;  /* travel cost + fixed cost (0 when empty) */
    int64_t tt;    /* total travel time */
    int64_t dist;  /* total distance (only with max_distance limits, else 0) */
    int bad;       /* 1 if infeasible (a removal can break a route when the matrix
                       violates the triangle inequality); such moves are rejected */
} vroute;

typedef struct vsol {
    vroute *r; /* one per vehicle */
    int nused; /* routes with len > 0 */
    int nun;
    int *un;      /* unassigned tasks (capacity n) */
    int64_t cost; /* sum of route costs */
} vsol;

typedef struct solver {
    const kmt_vrp_problem *p;
    int n, V, D, L, cap;
    /* tasks */
    int *tloc, *tkind, *tpartner, *tprio, *twoff, *twn;
    int64_t *tserv, *tsetup, *tws, *twe, *tdel, *tpick;
    uint64_t *tskill;
    /* vehicles */
    int *vcls, *vstart, *vend, *vmaxtasks, *vslow, *vsig;
    int64_t *vtws, *vtwe, *vcap, *vmaxtt, *vfixed;
    int64_t *vmaxdist; /* metres (rounded down); TBIG: no limit */
    uint64_t *vskill;
    /* breaks (flattened) */
    int *vbrk_off, *vbrk_n, *brk_twoff, *brk_twn;
    int64_t *brk_serv;
    int *brk_hasml;       /* per break: 1 when it has a max_load */
    int64_t *brk_maxload; /* per break, D each (TBIG without a max_load) */
    int *vbrk_ml;         /* per vehicle: 1 when one of its breaks has a max_load */
    int any_brk_ml;       /* some break has a max_load (kmt__vrp_eval_seq then keeps loads) */
    /* per vehicle class matrices, (L+1)x(L+1) with row/column L = "no location" */
    int ncls;
    int64_t **ctt, **ccost;
    int64_t **cdist; /* metres per arc (rounded up, 0 without distances); NULL unless some
                        vehicle has a max_distance; classes of one profile share a matrix */
    int LL;
    /* neighbours */
    int nadj;
    int *adj; /* n x nadj nearest tasks */
    int has_ship;
    int64_t veh_pen, un_pen;
    /* scratch */
    int *seq, *seq2, *brkpos;
    int *where, *pos;
    /* scratch of kmt__vrp_eval_seq's break placement: the table of earliest
     * times, (max breaks + 1) columns of n + 2 */
    int64_t *brkdp;
    /* with any_brk_ml: the load at each node of the evaluated sequence, D per node */
    int64_t *brkload;
} solver;

/* Convert p (validated) into S (zeroed first), in stages (model.c): tasks,
 * vehicles and breaks, signatures of interchangeable vehicles, one matrix
 * set per vehicle class, nearest-neighbour lists, scratch. Returns 0 or
 * KMT_ETOOBIG (e set); S is freed with kmt__vrp_model_free either way. */
int kmt__vrp_model_build(solver *S, const kmt_vrp_problem *p, kmt_error *e);
void kmt__vrp_model_free(solver *S);
/* dst: a solver sharing src's read-only model (matrices, tasks, vehicles,
 * neighbours) with scratch arrays of its own, for another thread. Released
 * with kmt__vrp_model_unshare (which frees only the scratch). */
void kmt__vrp_model_share(solver *dst, const solver *src);
void kmt__vrp_model_unshare(solver *S);

/* Evaluate a whole sequence of tasks for vehicle v (every constraint; the
 * vehicle's breaks placed exactly, in their order, by a dynamic programme
 * over (tasks done, breaks taken)), in O(len * (breaks + 1)). Returns 1 if
 * feasible; *cost, *tt set. brkpos (may be NULL) receives, per break, the
 * index of the task it precedes (len = after the last task), a placement
 * that realises the earliest schedule. Uses S's scratch array brkdp: one
 * evaluation at a time per solver. */
int kmt__vrp_eval_seq(const solver *S, int v, const int *seq, int len, int64_t *cost, int64_t *tt, int *brkpos);

/* ---- the search (solver.c, route.c, ruin_recreate.c, local_search.c) -- */

/* Earliest service start >= t inside u's windows; TNONE if none. */
static inline int64_t kmt__vrp_tw_start(const solver *S, int u, int64_t t)
{
    int off = S->twoff[u], n = S->twn[u];
    if (n == 1) {
        if (t > S->twe[off]) return TNONE;
        return t > S->tws[off] ? t : S->tws[off];
    }
    for (int w = 0; w < n; w++)
        if (t <= S->twe[off + w]) return t > S->tws[off + w] ? t : S->tws[off + w];
    return n == 0 ? t : TNONE;
}

/* Latest start <= b inside u's windows; TNONE if none. */
static inline int64_t kmt__vrp_tw_latest(const solver *S, int u, int64_t b)
{
    int off = S->twoff[u], n = S->twn[u];
    if (n == 0) return b;
    for (int w = n - 1; w >= 0; w--)
        if (S->tws[off + w] <= b) return b < S->twe[off + w] ? b : S->twe[off + w];
    return TNONE;
}

/* Location of node k of r (0: the start, len + 1: the end; L when absent). */
static inline int kmt__vrp_node_loc(const solver *S, const vroute *r, int k)
{
    if (k == 0) return S->vstart[r->veh] < 0 ? S->L : S->vstart[r->veh];
    if (k == r->len + 1) return S->vend[r->veh] < 0 ? S->L : S->vend[r->veh];
    return S->tloc[r->t[k - 1]];
}

/* One thread's search: its current and best plans, the backups of the move
 * under way, and its scratch. Uses its own solver (shared model, own
 * scratch arrays). */
typedef struct search {
    solver *S;
    vsol cur, best;
    vroute *bak; /* backups of touched routes, one slot per vehicle */
    int *touched, ntouched, *is_touched;
    int *bak_un, bak_nun;
    int64_t bak_cost;
    int bak_nused;
    int *removed, nremoved;
    int *ruined_stamp, stamp;
    int *sig_stamp, sigstamp;
    int64_t *key; /* sort keys for the recreate order */
    int *absences;
    int granular; /* > 0: insertion looks next to this many nearest neighbours first */
    int *near, nearstamp;
    int blink_cd;
    int ls_mode;                  /* 0 none, 1 local search on every candidate, 2 on improving ones */
    int *lsq;                     /* tasks to visit in local search */
    int *mid1, *mid2, *evbuf;     /* local search scratch (n + 4 each) */
    struct top3 *top_ab, *top_ba; /* SWAP* insertion estimates (n + 2 each) */
    int *pair_seen, pairstamp;
    int swap_star;
    int verify;        /* check local search's predictions (tests) */
    int moves_all;     /* 1: every move; 0: inter-route relocate and 2-opt* only */
    int moves_search;  /* moves_all during the annealing (the polish always uses all) */
    int polish;        /* polish the best plan with every move at the end of each epoch */
    int searching;     /* 0 during the construction (never cut short) */
    vroute scratch;    /* a route under construction (shipment insertion) */
    int pair_fast;     /* 1: shipments into routes without breaks in O(len^2) */
    int pure_delivery; /* every task a job with no pickup amounts */
    kmt_rng rng;
    int max_routes;
    double t0, deadline;
    long iter, max_iter;
    const kmt_vrp_solve_opts *opts;
    const kmt_vrp_tuning *tuning; /* never NULL */
    int64_t best_obj;
    double best_time;
    struct team *team;            /* the threads searching together */
    int id;                       /* this thread's index in the team */
    long anneal_it0;              /* iteration at which annealing began */
    int init_used, init_rejected; /* given initial routes started from / infeasible */
} search;

/* SWAP*: the three cheapest insertion positions of a task into a route. */
typedef struct top3 {
    int64_t c[3];
    int p[3]; /* insert after node p of the other route; -1 unused */
} top3;

/* The objective of a plan: cost + penalties for vehicles (classic) and unassigned tasks. */
static inline int64_t kmt__vrp_sol_obj(const solver *S, const vsol *s)
{
    int64_t o = s->cost + S->veh_pen * s->nused;
    for (int i = 0; i < s->nun; i++) o += S->un_pen * (1 + S->tprio[s->un[i]]);
    return o;
}

/* Record where and at which position each task of r is. */
static inline void kmt__vrp_route_index(solver *S, const vroute *r)
{
    for (int k = 0; k < r->len; k++) {
        S->where[r->t[k]] = r->veh;
        S->pos[r->t[k]] = k;
    }
}

/* Routes and plans (route.c). A route's arrays hold S->cap + 2 nodes. */
void kmt__vrp_route_alloc(const solver *S, vroute *r, int veh);
void kmt__vrp_route_free(vroute *r);
/* Recompute r's caches, cost and feasibility (r->bad) after a change: O(len * D),
 * or a full evaluation for vehicles with breaks. */
void kmt__vrp_route_update(const solver *S, vroute *r);
void kmt__vrp_route_copy(const solver *S, vroute *dst, const vroute *src);
void kmt__vrp_sol_alloc(solver *S, vsol *s);
void kmt__vrp_sol_free(solver *S, vsol *s);
void kmt__vrp_sol_copy(solver *S, vsol *dst, const vsol *src);
/* Latest arrival at node k of r when its predecessor is at `from` (the
 * node's setup depends on it); TNONE if none. */
int64_t kmt__vrp_latest_arrival(const solver *S, const vroute *r, int k, int from);
/* A move on X->cur: begin, touch each route before its first change (it is
 * backed up), then commit or revert (restores the touched routes and the
 * unassigned list). */
void kmt__vrp_move_begin(search *X);
void kmt__vrp_touch(search *X, int v);
void kmt__vrp_move_commit(search *X);
void kmt__vrp_move_revert(search *X);
/* Recount X->cur's used routes. */
void kmt__vrp_recount_used(search *X);

/* Ruin and recreate (ruin_recreate.c). kmt__vrp_ruin removes strings of
 * tasks near a random task from X->cur (into X->removed); returns 0 when a
 * shortened route became infeasible (the caller reverts).
 * kmt__vrp_recreate inserts the removed and the unassigned tasks (order by
 * absence counts when use_absences, fleet minimisation). */
int kmt__vrp_ruin(search *X);
void kmt__vrp_recreate(search *X, int use_absences);

/* Local search around the tasks of the routes the current move touched (local_search.c). */
void kmt__vrp_local_search(search *X);

/* 1 when the search must stop: Ctrl-C, iterations or time spent (solver.c). */
int kmt__vrp_out_of_time(search *X);

#endif
