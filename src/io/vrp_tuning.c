/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The solver's knobs from KMT_VRP_* environment variables, for experiments
 * at the edge (kommute plan, bench/vrptw): the engine itself reads no
 * environment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/vrp_io.h"

/* An integer knob: *out set when the variable is set; KMT_EINVAL when malformed. */
static int env_int(const char *name, int lo, int hi, int *out, kmt_error *e)
{
    const char *v = getenv(name);
    if (!v) return 0;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi)
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, name, "%s: expected an integer in [%d, %d], got '%.40s'", name,
                            lo, hi, v);
    *out = (int)x;
    return 0;
}

/* A number knob > 0. */
static int env_positive(const char *name, double *out, kmt_error *e)
{
    const char *v = getenv(name);
    if (!v) return 0;
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end || !(x > 0 && x < 1e12))
        return kmt_error_at(e, KMT_EINVAL, NULL, 0, 0, name, "%s: expected a number > 0, got '%.40s'", name, v);
    *out = x;
    return 0;
}

/* A switch that is on when the variable is set (to anything but "0"). */
static void env_flag(const char *name, int *out)
{
    const char *v = getenv(name);
    if (v) *out = strcmp(v, "0") != 0;
}

int kmt_vrp_tuning_from_env(kmt_vrp_tuning *t, int *nset, kmt_error *e)
{
    static const char *const names[] = { "KMT_VRP_T0",        "KMT_VRP_TF",       "KMT_VRP_EPOCHS",   "KMT_VRP_POLISH",
                                         "KMT_VRP_MOVES",     "KMT_VRP_SWAPSTAR", "KMT_VRP_GRANULAR", "KMT_VRP_LS",
                                         "KMT_VRP_PAIR_FULL", "KMT_VRP_VERIFY" };
    int n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) n += getenv(names[i]) != NULL;
    if (nset) *nset = n;
    double t0 = 0;
    int rc = env_positive("KMT_VRP_T0", &t0, e);
    if (!rc && t0 > 0) t->t0_cost = t->t0_vehicles = t0; /* one start temperature for both objectives */
    if (!rc) rc = env_positive("KMT_VRP_TF", &t->tf, e);
    if (!rc) rc = env_int("KMT_VRP_EPOCHS", 1, 100000, &t->epochs, e);
    if (!rc) rc = env_int("KMT_VRP_POLISH", 0, 1, &t->polish, e);
    if (!rc) rc = env_int("KMT_VRP_MOVES", 0, 1, &t->moves, e);
    if (!rc) rc = env_int("KMT_VRP_SWAPSTAR", 0, 1, &t->swap_star, e);
    if (!rc) rc = env_int("KMT_VRP_GRANULAR", 0, 100, &t->granular, e);
    if (!rc) rc = env_int("KMT_VRP_LS", 0, 2, &t->local_search, e);
    env_flag("KMT_VRP_PAIR_FULL", &t->pair_full);
    env_flag("KMT_VRP_VERIFY", &t->verify);
    return rc;
}
