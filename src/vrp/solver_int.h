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
    int len;        /* tasks on the route */
    int *t;         /* len task indices (capacity: cap) */
    /* caches over nodes 0..len+1 (0 = start, len+1 = end), fast routes only */
    int64_t *es;    /* earliest service start (node 0: departure) */
    int64_t *dur;   /* time spent at the node (setup + service) */
    int64_t *ls;    /* latest service start keeping the rest feasible */
    int64_t *load;  /* load after the node, D per node */
    int64_t *pmax;  /* max load over nodes 0..k, D per node */
    int64_t *smax;  /* max load over nodes k..len+1, D per node */
    int64_t *ctt;   /* travel time from the start up to node k */
    int64_t *cc;    /* travel cost from the start up to node k */
    int64_t *cd;    /* distance from the start up to node k (only with max_distance limits) */
    int64_t cost;   /* travel cost + fixed cost (0 when empty) */
    int64_t tt;     /* total travel time */
    int64_t dist;   /* total distance (only with max_distance limits, else 0) */
    int bad;        /* 1 if infeasible (a removal can break a route when the matrix
                       violates the triangle inequality); such moves are rejected */
} vroute;

typedef struct vsol {
    vroute *r;      /* one per vehicle */
    int nused;      /* routes with len > 0 */
    int nun;
    int *un;        /* unassigned tasks (capacity n) */
    int64_t cost;   /* sum of route costs */
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
    /* per vehicle class matrices, (L+1)x(L+1) with row/column L = "no location" */
    int ncls;
    int64_t **ctt, **ccost;
    int64_t **cdist; /* metres per arc (rounded up, 0 without distances); NULL unless some
                        vehicle has a max_distance; classes of one profile share a matrix */
    int LL;
    /* neighbours */
    int nadj;
    int *adj;       /* n x nadj nearest tasks */
    int has_ship;
    int64_t veh_pen, un_pen;
    /* scratch */
    int *seq, *seq2, *brkpos;
    int *where, *pos;
    /* scratch of kmt__vrp_eval_seq's break placement: the table of earliest
     * times, (max breaks + 1) columns of n + 2 */
    int64_t *brkdp;
} solver;

/* Convert p (validated) into S (zeroed first); 0 or an error. Freed with
 * kmt__vrp_model_free. */
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
int kmt__vrp_eval_seq(const solver *S, int v, const int *seq, int len, int64_t *cost, int64_t *tt,
                      int *brkpos);

#endif
