/* SPDX-License-Identifier: MPL-2.0 */
/*
 * What the fleet use cases share inside src/app: the parameter table
 * entries of the period and of the demand options, and the use-case
 * boilerplate (include/kommute/app_fleet.h).
 */
#ifndef KOMMUTE_APP_FLEET_INT_H
#define KOMMUTE_APP_FLEET_INT_H

#include <stddef.h>

#include "kommute/app_fleet.h"

/* A parameter table entry of request type T without a short option. */
#define KMT__APP_P(T, name, type, lo, hi, field)                                                                       \
    {                                                                                                                  \
        name, 0, type, lo, hi, offsetof(T, field), NULL, 0                                                             \
    }
#define KMT__APP_P_END                                                                                                 \
    {                                                                                                                  \
        NULL, 0, 0, 0, 0, 0, NULL, 0                                                                                   \
    }

/* The period (KMT_APP_FLEET_PERIOD_FIELDS): --from, --to, --site. */
#define KMT__APP_FLEET_PERIOD_PARAMS(T)                                                                                \
    KMT__APP_P(T, "from", KMT_APP_P_DATE, 0, 0, from), KMT__APP_P(T, "to", KMT_APP_P_DATE, 0, 0, to),                  \
        KMT__APP_P(T, "site", KMT_APP_P_STRING, 0, 200, site)

/* The demand options of size, place and compose: changeover_min, any_kind, include_private. */
#define KMT__APP_FLEET_DEMAND_PARAMS(T)                                                                                \
    KMT__APP_P(T, "changeover", KMT_APP_P_INT, 0, 24 * 60, changeover_min),                                            \
        KMT__APP_P(T, "any-kind", KMT_APP_P_FLAG, 0, 0, any_kind),                                                     \
        KMT__APP_P(T, "include-private", KMT_APP_P_FLAG, 0, 0, include_private)

/* The country of the factors file (ev, compose). */
#define KMT__APP_FLEET_COUNTRY_PARAM(T) KMT__APP_P(T, "country", KMT_APP_P_STRING, 0, 3, country)

/* Defines kmt_app_fleet_X_usecase called NAME over the static table PARAMS:
 * its request default and its JSON call (run, write, destroy). */
#define KMT__APP_FLEET_USECASE(X, NAME)                                                                                \
    static void X##_req_default(void *q)                                                                               \
    {                                                                                                                  \
        kmt_app_fleet_##X##_req_default(q);                                                                            \
    }                                                                                                                  \
    static int X##_json(const kmt_app_ctx *c, const void *q, kmt_json *j, kmt_error *e)                                \
    {                                                                                                                  \
        kmt_app_fleet_##X##_result r;                                                                                  \
        int rc = kmt_app_fleet_##X(c, q, &r, e);                                                                       \
        if (rc) return rc;                                                                                             \
        kmt_app_fleet_##X##_json(&r, j);                                                                               \
        kmt_app_fleet_##X##_result_destroy(&r);                                                                        \
        return 0;                                                                                                      \
    }                                                                                                                  \
    const kmt_app_usecase kmt_app_fleet_##X##_usecase = {                                                              \
        NAME, PARAMS, sizeof(kmt_app_fleet_##X##_req), X##_req_default, KMT_APP_NEEDS_STORE, X##_json                  \
    }

#endif
