/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The carpooling analyses as use cases (include/kommute/app.h): shared
 * rides for booked trip requests (`pool plan`, the requests CSV is the
 * context's body) and how much of the past could have been pooled
 * (`pool analyse`, over the store). Travel times come from ctx->graph (a car
 * graph) when the edge opened one, else from great-circle distance. Each
 * returns a typed result with its JSON writer; the command line renders
 * text and CSV from the same result, the server answers the JSON.
 *
 * Threads: the graph table runs on ctx->threads threads. The parameter
 * "threads" (CLI only) is parsed into the request's model.threads; the edge
 * moves it into ctx->threads and the use cases read only ctx->threads.
 */
#ifndef KOMMUTE_APP_POOL_H
#define KOMMUTE_APP_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/app.h"
#include "kommute/json.h"
#include "kommute/model.h"
#include "kommute/pool.h"

/* The model's parameters, common to both requests (as given). */
typedef struct kmt_app_pool_model_req {
    double max_detour_min; /* detour allowance: the larger of these minutes (10) */
    double max_detour_pct; /* and this % of the direct time (50) */
    int64_t seats;         /* seats in a car, the driver's included (5) */
    int64_t max_group;     /* persons in one ride, driver included (4) */
    int64_t exact_max;     /* components of up to this many requests packed exactly (32) */
    int64_t threads;       /* CLI only: see above (1) */
    double max_snap_m;     /* how far a place may lie from the nearest road of the graph (5000) */
    double road_factor;    /* without a graph: great-circle distance x this (1.3) */
    double speed_kmh;      /* without a graph (50) */
    double co2_g_per_km;   /* given: overrides the factors file's g CO2e per vehicle-km */
    double cost_per_km;    /* given: overrides the factors file's money per vehicle-km */
    const char *objective; /* "km" (default), "co2" or "cost" */
    const char *country;   /* factor country (NULL: the factors file's default) */
    const char *car_mode;  /* "fleet_car" (NULL: default) or "private_car" */
    const char *fuel;      /* the cars' fuel (NULL: any) */
} kmt_app_pool_model_req;

/* The model as run. */
typedef struct kmt_app_pool_model {
    kmt_pool_opts p;
    double road_factor, speed_kmh, max_snap_m;
    double co2_g_per_km, cost_per_km; /* the factor of the objective */
    int objective;                    /* kmt_pool_objective */
    int threads;                      /* ctx->threads */
    char graph[1024];                 /* the graph as outputs name it; "" without one */
    char factor_note[768];            /* where the CO2/cost factor came from ("" for km) */
    char currency[4];
} kmt_app_pool_model;

/* "km", "co2", "cost". */
const char *kmt_app_pool_objective_name(int objective);
/* km in the objective's unit: kg CO2e, money, or km itself. */
double kmt_app_pool_saved(const kmt_app_pool_model *m, double km);

/* ---- pool plan ------------------------------------------------------------- */

typedef struct kmt_app_pool_plan_req {
    kmt_app_given given;
    kmt_app_pool_model_req model;
} kmt_app_pool_plan_req;

void kmt_app_pool_plan_req_default(kmt_app_pool_plan_req *q);

typedef struct kmt_app_pool_plan_result {
    kmt_app_pool_model model;
    char file[256];              /* the requests' name (ctx->body_label) */
    char travel_times[1536];     /* where travel times come from (a sentence) */
    kmt_arena arena;             /* the requests' strings */
    KMT_VEC(kmt_pool_request) r; /* the requests, in the order of the file */
    KMT_VEC(long) line;          /* each request's line in the file */
    kmt_pool_matrix m;
    kmt_pool_plan plan;
    size_t problems; /* requests that cannot be shared (plan.problem != 0) */
} kmt_app_pool_plan_result;

/* Reads the requests CSV ctx->body (columns in docs/pool.md; errors name
 * ctx->body_label, the line, the column and the value), builds the travel
 * times (ctx->graph, else haversine), plans and checks the plan. On success
 * release out with kmt_app_pool_plan_result_destroy. */
int kmt_app_pool_plan(const kmt_app_ctx *c, const kmt_app_pool_plan_req *q, kmt_app_pool_plan_result *out,
                      kmt_error *e);
void kmt_app_pool_plan_json(const kmt_app_pool_plan_result *r, kmt_json *j);
void kmt_app_pool_plan_result_destroy(kmt_app_pool_plan_result *r);
/* Helpers for renderers: the problem's id ("window_too_short", ...), its
 * sentence, and the time request req spends in ride rd (s). */
const char *kmt_app_pool_problem_name(int problem);
void kmt_app_pool_problem_message(const kmt_app_pool_plan_result *r, size_t i, char *buf, size_t n);
int32_t kmt_app_pool_in_car(const kmt_pool_plan *plan, const kmt_pool_ride *rd, uint32_t req);

extern const kmt_app_usecase kmt_app_pool_plan_usecase;

/* ---- pool analyse ------------------------------------------------------------ */

typedef struct kmt_app_pool_analyse_req {
    kmt_app_given given;
    kmt_app_pool_model_req model;
    int64_t from, to; /* kmt_time: first and last day (included); both required */
    double flex_min;  /* minutes of flexibility before and after the logged times (15) */
} kmt_app_pool_analyse_req;

void kmt_app_pool_analyse_req_default(kmt_app_pool_analyse_req *q);

typedef struct kmt_app_pool_analyse_result {
    kmt_app_pool_model model;
    int flex_s;
    kmt_time from, to;         /* the days [from, to) */
    char travel_times[1536];   /* where travel times come from (a sentence) */
    kmt_dataset fleet, travel; /* what was looked at */
    kmt_pool_analysis an;
} kmt_app_pool_analyse_result;

/* Errors: KMT_EUSAGE (from/to missing, to before from; the factor's
 * options), the factors file's, the store's, the engine's. */
int kmt_app_pool_analyse(const kmt_app_ctx *c, const kmt_app_pool_analyse_req *q, kmt_app_pool_analyse_result *out,
                         kmt_error *e);
void kmt_app_pool_analyse_json(const kmt_app_pool_analyse_result *r, kmt_json *j);
void kmt_app_pool_analyse_result_destroy(kmt_app_pool_analyse_result *r);
/* The detour histogram's bin names ("0", "0-2 min", ...). */
extern const char *const kmt_app_pool_detour_bins[KMT_POOL_DETOUR_BINS];
/* 100 a / b, 0 when b is 0. */
double kmt_app_pool_share(double a, double b);

extern const kmt_app_usecase kmt_app_pool_analyse_usecase;

#endif
