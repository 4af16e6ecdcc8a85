/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The travel and climate account (issue 5): how much an organisation
 * travels, what it costs in money, energy, CO2e and working hours, whether
 * it is on track against its reduction targets, and which meetings could
 * have been video meetings.
 *
 * Pure engines: a kmt_dataset of travel records (model.h) and a factors
 * file (factors.h) in, result structs out; no I/O. docs/travel.md gives the
 * conventions and formulas.
 *
 * Per record (one person's journey):
 *   km      the record's km, summed as whole metres (so targets compare exactly)
 *   kWh     km x factor.kwh_per_km;  CO2e  km x factor.co2e_g_per_km
 *   hours   travel_minutes if given, else end - start if both given and end > start,
 *           else km / factor.speed_kmh (counted as estimated)
 *   cost    the record's cost if given and in the report currency (or no
 *           currency), else km x factor.cost_per_km (tiered per person and
 *           year when the factor has cost_tier_km; counted as estimated)
 * The factor is looked up by (country, mode, fuel) as factors.h describes;
 * a record of unknown mode keeps its km, trips and hours but adds no energy,
 * CO2e or estimated cost (counted in unknown_mode).
 */
#ifndef KOMMUTE_TRAVEL_H
#define KOMMUTE_TRAVEL_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/factors.h"
#include "kommute/model.h"

/* Sums over a set of travel records. */
typedef struct kmt_travel_totals {
    int64_t trips;
    int64_t m;               /* distance in whole metres (km x 1000, rounded per record) */
    double kwh;              /* final energy */
    double co2e_g;           /* grams CO2e */
    double cost;             /* report currency */
    int64_t seconds;         /* time travelled */
    int64_t hours_estimated; /* trips whose time came from km / speed */
    int64_t cost_estimated;  /* trips whose cost came from the factors */
} kmt_travel_totals;

/* A reduction target: km (and kWh) in `year` at most (100 - pct)% of the baseline year's. */
typedef struct kmt_travel_target_spec {
    int year;
    int reduction_bp; /* reduction in basis points: -20% is 2000 */
} kmt_travel_target_spec;

/*
 * Parse "2015:-20%" (also "2015:-20", "2015:20%", "2020:-12.5%") into a spec.
 * The reduction must be in 0..100% with at most two decimals. Returns 0 or
 * KMT_EUSAGE with e naming the text.
 */
int kmt_travel_target_parse(const char *text, kmt_travel_target_spec *out, kmt_error *e);

/* Progress against one target in one scope. */
typedef struct kmt_travel_target {
    int year; /* the target year */
    int reduction_bp;
    int baseline_year;
    int actual_year;                               /* year the actual figures are from: the target year if it has
                           * records, else the latest year with records before it (provisional);
                           * 0 if none */
    int provisional;                               /* 1 when actual_year < year */
    int64_t baseline_m, target_m, actual_m, gap_m; /* gap = max(0, actual - target) */
    double baseline_kwh, target_kwh, actual_kwh, gap_kwh;
    int met;         /* actual_m <= baseline_m x (1 - pct), compared exactly; 0 without data */
    int no_baseline; /* 1 if the scope has no records in the baseline year */
} kmt_travel_target;

/* Options of the report. */
typedef struct kmt_travel_opts {
    const kmt_factors *factors; /* required */
    const char *country;        /* factor country; NULL = factors' default */
    int baseline_year;          /* 0 = no targets */
    const kmt_travel_target_spec *targets;
    int ntargets;
    double hours_per_fte; /* 0 = the country's hours_per_fte */
} kmt_travel_opts;

#define KMT_TRAVEL_NMODES 9 /* kmt_mode values 0 (unknown) .. 8 (walk) */

/*
 * The report. Scope 0 is "all organisations"; scope s >= 1 is organisation
 * scope_org[s] (an index into the dataset's orgs, level 0). Records of no
 * organisation count in scope 0 only. Years run from year_from for nyears.
 * Arrays are indexed [scope][year] etc. as the accessors below show.
 */
typedef struct kmt_travel_report {
    int year_from, nyears;
    int nscopes;
    int32_t *scope_org; /* [nscopes], -1 for scope 0 */
    int npurposes;
    const char **purposes;      /* distinct purposes as in the records ("" = none given) */
    kmt_travel_totals *year;    /* [scope][year] */
    kmt_travel_totals *month;   /* [scope][year][12] */
    kmt_travel_totals *mode;    /* [scope][year][KMT_TRAVEL_NMODES] */
    kmt_travel_totals *purpose; /* [scope][year][npurposes] */
    int ndepts;
    int32_t *dept_org;       /* [ndepts] dataset index of the department (level 1) */
    int32_t *dept_scope;     /* [ndepts] scope of its organisation (0 if none) */
    kmt_travel_totals *dept; /* [dept][year] */
    int ntargets;
    kmt_travel_target *targets; /* [scope][ntargets] */
    int baseline_year;
    double hours_per_fte;
    char country[4], currency[4];
    int64_t records;          /* records read */
    int64_t unknown_mode;     /* records with mode unknown (no energy/CO2e) */
    int64_t other_currency;   /* records whose cost was in another currency (estimated instead) */
    int64_t factor_rows_used; /* distinct factor rows that matched a record */
} kmt_travel_report;

/*
 * The factor country the records point to: the country (in f) whose currency
 * most records with a currency carry. NULL if none matches; pointer into f.
 */
const char *kmt_travel_guess_country(const kmt_dataset *d, const kmt_factors *f);
/* The same rule from counts per currency (e.g. kmt_store_travel_currencies):
 * the factors country whose currency has the most records, or NULL. */
const char *kmt_travel_country_for_currencies(const kmt_factors *f, const char (*cur)[8], const int64_t *cnt, size_t n);

/*
 * Account for every travel record of d with the factors and targets of opt.
 * Returns 0 and fills *out (release with kmt_travel_report_destroy), or
 * KMT_EINVAL with e set (no factors; a country not in the factors file;
 * a baseline year without records while targets are given; a record dated
 * outside 1900..2200).
 */
int kmt_travel_report_build(const kmt_dataset *d, const kmt_travel_opts *opt, kmt_travel_report *out, kmt_error *e);
void kmt_travel_report_destroy(kmt_travel_report *r);

/* Accessors (no bounds checks beyond asserts). yi is the year index (year - year_from). */
const kmt_travel_totals *kmt_travel_year(const kmt_travel_report *r, int scope, int yi);
const kmt_travel_totals *kmt_travel_month(const kmt_travel_report *r, int scope, int yi, int month0);
const kmt_travel_totals *kmt_travel_mode(const kmt_travel_report *r, int scope, int yi, int mode);
const kmt_travel_totals *kmt_travel_purpose(const kmt_travel_report *r, int scope, int yi, int p);
const kmt_travel_totals *kmt_travel_dept(const kmt_travel_report *r, int dept, int yi);
const kmt_travel_target *kmt_travel_scope_target(const kmt_travel_report *r, int scope, int t);

/* ---- meetings that could be video meetings -------------------------------- */

typedef struct kmt_candidate_opts {
    const kmt_factors *factors; /* required */
    const char *country;        /* NULL = factors' default */
    int year;                   /* only records of this year; 0 = all years */
    int window_min;             /* inferred meetings: arrivals within this many minutes
                                 * of the first arrival at one destination (90) */
    double meeting_hours;       /* assumed meeting length when it cannot be seen (2.0) */
    int series_min;             /* meetings in a recurring series at least (3) */
    double series_overlap;      /* share of the smaller meeting's travellers also in the
                                 * series' first meeting (0.5) */
} kmt_candidate_opts;

void kmt_candidate_opts_default(kmt_candidate_opts *o);

/* How a meeting's trips were found. */
enum { KMT_GROUP_MEETING_ID = 0, KMT_GROUP_INFERRED = 1 };

/* One candidate: a meeting, or a recurring series of meetings. */
typedef struct kmt_candidate {
    int is_series;
    int grouping;              /* KMT_GROUP_* of the (first) meeting */
    int occurrences;           /* meetings (1 for a single meeting) */
    int people;                /* distinct travellers */
    const char *meeting_id;    /* the (first) meeting's id, "" when inferred */
    const char *destination;   /* to_place, or "lon,lat" of the destination */
    kmt_time first, last;      /* days of the first and last meeting */
    int32_t organisation;      /* organisation of most travellers (-1 unknown) */
    kmt_travel_totals saved;   /* all trips of the meeting(s) */
    double meeting_hours;      /* total meeting time (seen or assumed) */
    int meeting_hours_assumed; /* 1 if any meeting's length was assumed */
    double score;              /* hours travelled per hour of meeting */
} kmt_candidate;

typedef struct kmt_candidates {
    kmt_candidate *v;
    size_t n;
    int64_t meetings;      /* meetings found (series count each occurrence) */
    int64_t meeting_trips; /* records that belong to a meeting */
    kmt_arena arena;       /* destination strings */
} kmt_candidates;

/*
 * Find meetings among d's travel records and rank them as video-meeting
 * candidates. Grouping rule (docs/travel.md): records with the same
 * meeting_id form one meeting. Records without one whose purpose is a
 * meeting ("meeting", "møde", "möte", "møte", case-insensitive) are grouped
 * by destination (to_place, else to-coordinates rounded to 0.001 degree) and
 * day, arrivals within window_min of the group's first; each traveller's
 * same-day return from that destination joins the group. Meetings at the
 * same destination that have the same travellers as the series' first
 * meeting, or share at least two travellers and at least series_overlap of
 * the smaller meeting's travellers with it, form a series; series of
 * series_min or more meetings rank first, then by score (hours travelled
 * per meeting hour), then by CO2e. Meeting length: last arrival to first
 * departure when there are separate legs; else, for round-trip records
 * with start, end and travel_minutes, (end - start) - travel time; else
 * meeting_hours.
 * Returns 0 and fills *out (release with kmt_candidates_destroy) or < 0 with e.
 */
int kmt_travel_candidates(const kmt_dataset *d, const kmt_candidate_opts *opt, kmt_candidates *out, kmt_error *e);
void kmt_candidates_destroy(kmt_candidates *c);

/* The what-if: the smallest N whose top-N candidates' saved metres reach need_m.
 * Returns N (1..n), or 0 if need_m <= 0, or -1 if even all of them fall short. */
long kmt_candidates_needed(const kmt_candidates *c, int64_t need_m);

/* Cost, energy, CO2e and time of one record with factor f (NULL: unknown mode).
 * Used by both engines; exposed for tests. cost_rate is the rate per km to use
 * when the record has no usable cost (the caller applies tiers). */
void kmt_travel_account(const kmt_travel *r, const kmt_factor *f, const char *currency, double cost_rate,
                        kmt_travel_totals *t);

#endif
