/* SPDX-License-Identifier: MPL-2.0 */
/* Shared by the pool use cases (src/app/pool*.c); not public. */
#ifndef KOMMUTE_APP_POOL_INT_H
#define KOMMUTE_APP_POOL_INT_H

#include <stddef.h>

#include "kommute/app_pool.h"

/* The model's entries of a parameter table whose request type T has a
 * kmt_app_pool_model_req called model (in the order they are checked). */
#define KMT__APP_POOL_P(T, name, sh, type, lo, hi, field, choices, flags)                                              \
    {                                                                                                                  \
        name, sh, type, lo, hi, offsetof(T, model.field), choices, flags                                               \
    }
#define KMT__APP_POOL_MODEL_PARAMS(T)                                                                                  \
    KMT__APP_POOL_P(T, "max-detour-min", 0, KMT_APP_P_DOUBLE, 0, 1440, max_detour_min, NULL, 0),                       \
        KMT__APP_POOL_P(T, "max-detour-pct", 0, KMT_APP_P_DOUBLE, 0, 1000, max_detour_pct, NULL, 0),                   \
        KMT__APP_POOL_P(T, "seats", 0, KMT_APP_P_INT, 1, 100, seats, NULL, 0),                                         \
        KMT__APP_POOL_P(T, "max-group", 0, KMT_APP_P_INT, 1, 5, max_group, NULL, 0),                                   \
        KMT__APP_POOL_P(T, "exact-max", 0, KMT_APP_P_INT, 0, 64, exact_max, NULL, 0),                                  \
        KMT__APP_POOL_P(T, "threads", 't', KMT_APP_P_INT, 1, 256, threads, NULL, KMT_APP_P_CLI_ONLY),                  \
        KMT__APP_POOL_P(T, "max-snap-m", 0, KMT_APP_P_DOUBLE, 1, 1e6, max_snap_m, NULL, 0),                            \
        KMT__APP_POOL_P(T, "road-factor", 0, KMT_APP_P_DOUBLE, 1, 10, road_factor, NULL, 0),                           \
        KMT__APP_POOL_P(T, "speed-kmh", 0, KMT_APP_P_DOUBLE, 1, 300, speed_kmh, NULL, 0),                              \
        KMT__APP_POOL_P(T, "co2-g-per-km", 0, KMT_APP_P_DOUBLE, 0, 2000, co2_g_per_km, NULL, 0),                       \
        KMT__APP_POOL_P(T, "cost-per-km", 0, KMT_APP_P_DOUBLE, 0, 1000, cost_per_km, NULL, 0),                         \
        KMT__APP_POOL_P(T, "objective", 0, KMT_APP_P_ENUM, 0, 0, objective, "km|co2|cost", 0),                         \
        KMT__APP_POOL_P(T, "country", 0, KMT_APP_P_STRING, 0, 200, country, NULL, 0),                                  \
        KMT__APP_POOL_P(T, "car-mode", 0, KMT_APP_P_STRING, 0, 200, car_mode, NULL, 0),                                \
        KMT__APP_POOL_P(T, "fuel", 0, KMT_APP_P_STRING, 0, 200, fuel, NULL, 0)

/* The model's defaults. */
void kmt__app_pool_model_default(kmt_app_pool_model_req *m);
/* The model as run from m: the engine's parameters, the graph's label, and
 * for the co2/cost objective the factor (the given override when co2_given /
 * cost_given, else the factors file's row for country, car mode and fuel).
 * Errors: KMT_EUSAGE (car-mode, fuel), the factors file's, KMT_EINVAL (no
 * such row). */
int kmt__app_pool_model(const kmt_app_ctx *c, const kmt_app_pool_model_req *m, int co2_given, int cost_given,
                        kmt_app_pool_model *out, kmt_error *e);

/* Where travel times come from, a sentence for the outputs; hint: say how
 * to get road travel times when there is no graph. */
void kmt__app_pool_travel_note(const kmt_app_ctx *c, const kmt_app_pool_model *m, int hint, char *buf, size_t n);

#endif
