/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The travel analyses as use cases (include/kommute/app.h): the travel and
 * climate account (`travel report`) and the video-meeting candidates
 * (`travel candidates`). Each loads the store's travel records and the
 * factors file, runs the travel engine and returns a typed result with its
 * JSON writer; the command line renders text, CSV and HTML from the same
 * result, the server answers the JSON.
 */
#ifndef KOMMUTE_APP_TRAVEL_H
#define KOMMUTE_APP_TRAVEL_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/app.h"
#include "kommute/factors.h"
#include "kommute/json.h"
#include "kommute/model.h"
#include "kommute/travel.h"

#define KMT_APP_TRAVEL_MAX_TARGETS 16

/* What both travel analyses load: the records, the factors and the targets. */
typedef struct kmt_app_travel_data {
    kmt_dataset d; /* the store's travel records (of one organisation, when given) */
    kmt_factors f;
    char factors_file[2400]; /* the factors file as outputs name it (kmt_app_path_label) */
    kmt_travel_target_spec targets[KMT_APP_TRAVEL_MAX_TARGETS];
    int ntargets;
    const char *country;   /* the factor country used (given, else guessed; borrowed) */
    kmt_travel_report rep; /* the account of every year */
} kmt_app_travel_data;

void kmt_app_travel_data_destroy(kmt_app_travel_data *t);

/* ---- travel report -------------------------------------------------------- */

typedef struct kmt_app_travel_report_req {
    kmt_app_given given;
    int64_t baseline;         /* the targets' baseline year (0: none) */
    const char *target;       /* reduction targets "2015:-20%,2020:-40%" (NULL: none); the CLI
                                * joins its repeated --target values with ',' */
    const char *organisation; /* only this organisation's records (NULL: all) */
    const char *country;      /* factor country (NULL: the records' currency's, else the file's default) */
    double hours_per_fte;     /* working hours per FTE (0: the country's in the factors file) */
} kmt_app_travel_report_req;

void kmt_app_travel_report_req_default(kmt_app_travel_report_req *q);

typedef struct kmt_app_travel_report_result {
    kmt_app_travel_data t;
    char hours_source[256]; /* where hours_per_fte came from */
} kmt_app_travel_report_result;

/* Errors: KMT_EUSAGE (a bad target, targets without a baseline, a target
 * not after the baseline; field "target"), the factors file's, the store's.
 * On success release out with kmt_app_travel_report_result_destroy. */
int kmt_app_travel_report(const kmt_app_ctx *c, const kmt_app_travel_report_req *q, kmt_app_travel_report_result *out,
                          kmt_error *e);
void kmt_app_travel_report_json(const kmt_app_travel_report_result *r, kmt_json *j);
void kmt_app_travel_report_result_destroy(kmt_app_travel_report_result *r);
/* The name of report scope s ("all" for 0). */
const char *kmt_app_travel_scope_name(const kmt_app_travel_data *t, int s);

extern const kmt_app_usecase kmt_app_travel_report_usecase;

/* ---- travel candidates ---------------------------------------------------- */

typedef struct kmt_app_travel_candidates_req {
    kmt_app_given given;
    int64_t year;     /* the year to look at (0: the latest with records) */
    int64_t top;      /* candidates to list (20; the what-if uses all) */
    int64_t baseline; /* as in travel report */
    const char *target;
    int64_t window_min;   /* arrivals within this many minutes form one meeting (90) */
    double meeting_hours; /* meeting length when the records do not show it (2) */
    int64_t series_min;   /* meetings in a recurring series at least (3) */
    const char *organisation;
    const char *country;
} kmt_app_travel_candidates_req;

void kmt_app_travel_candidates_req_default(kmt_app_travel_candidates_req *q);

/* The what-if of one target: how many of the top candidates reach it. */
typedef struct kmt_app_travel_whatif {
    const kmt_travel_target *t; /* the target (in the result's report) */
    int64_t need_m;             /* metres of the year to cut to reach it */
    long top_n;                 /* kmt_candidates_needed */
    int64_t saved_m;            /* metres saved by those top_n (by all when -1) */
} kmt_app_travel_whatif;

typedef struct kmt_app_travel_candidates_result {
    kmt_app_travel_data t;
    kmt_candidates cands;
    int year;
    long top;
    int64_t year_m;                                       /* metres travelled in the year */
    kmt_app_travel_whatif wi[KMT_APP_TRAVEL_MAX_TARGETS]; /* t.ntargets */
} kmt_app_travel_candidates_result;

int kmt_app_travel_candidates(const kmt_app_ctx *c, const kmt_app_travel_candidates_req *q,
                              kmt_app_travel_candidates_result *out, kmt_error *e);
void kmt_app_travel_candidates_json(const kmt_app_travel_candidates_result *r, kmt_json *j);
void kmt_app_travel_candidates_result_destroy(kmt_app_travel_candidates_result *r);
/* The name of organisation org of the candidates' records ("" if none). */
const char *kmt_app_travel_org_name(const kmt_app_travel_data *t, int32_t org);

extern const kmt_app_usecase kmt_app_travel_candidates_usecase;

#endif
