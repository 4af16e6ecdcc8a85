/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Energy, emission and cost factors per mode of travel and fuel, read from a
 * versioned factors file (data/factors/nordic-2024.json by default) that a
 * municipality can copy, edit and pass with --factors FILE.
 *
 * The file is JSON (format "kommute-factors", format_version 1 or 2);
 * docs/factors.md describes every field. Version 2 adds per-country fuel
 * facts ("fuels": kg CO2e and kWh per litre, g CO2e per kWh of electricity,
 * prices) and the CO2 shadow price of each country; a factor row whose fuel
 * has facts takes its per-litre and per-kWh values from them, so a row's
 * g/km and kWh/km can never disagree with the fuel facts the fleet uses. Each factor row names its country, mode and fuel,
 * whether it is per vehicle-km or per passenger-km, its values in fixed
 * units (kWh/km, g CO2e/km, currency/km, km/h), and its source and year.
 * A row may give its energy and CO2e directly or derive them from litres
 * per 100 km (or CO2e per km) and the fuel's heating value and CO2e per
 * litre; the loader computes the derived values and records the arithmetic
 * in the row's `derivation` text, so a report can show how a number came to be.
 *
 * Units are checked on load: a value outside its plausible range (e.g. a
 * kWh/km of 150, which is a Wh/km value) is rejected with an error naming
 * the row, the field, the value and the expected unit.
 *
 * This module parses text; reading the file is the caller's job (io/cli),
 * so engines that use factors stay free of I/O.
 */
#ifndef KOMMUTE_FACTORS_H
#define KOMMUTE_FACTORS_H

#include <stddef.h>

#include "kommute/core.h"

/* Modes are the canonical names of issue 5 (fleet_car, private_car, taxi,
 * bus, train, flight, bicycle, walk); a row's mode_id is the matching
 * kmt_mode value of kommute/model.h (1 = fleet_car ... 8 = walk). Fuels are
 * model.h's canonical fuel names in lower case (petrol, diesel, electric,
 * hybrid, plug-in, biogas, hvo, none) or "" for "any fuel". */
#define KMT_FACTORS_NMODES 8

/* 1 if fuel is a known fuel name (case-insensitive) or "" (any fuel), else 0. */
int kmt_factors_fuel_known(const char *fuel);
/* mode_id (1..8) of a canonical mode name, or -1. */
int kmt_factors_mode_id(const char *mode);

/* Plausible ranges used for the unit check (inclusive). */
#define KMT_FACTOR_KWH_PER_KM_MAX 10.0      /* above: probably Wh/km */
#define KMT_FACTOR_CO2E_G_PER_KM_MAX 2000.0 /* above: probably mg/km */
#define KMT_FACTOR_COST_PER_KM_MAX 1000.0
#define KMT_FACTOR_SPEED_KMH_MAX 1000.0

/* One factor row. Values are in the units their names say. */
typedef struct kmt_factor {
    char country[4];          /* "DK", "SE", "NO", or "*" for any country */
    char mode[16];            /* canonical mode name */
    int mode_id;              /* 1..8, the kmt_mode value (model.h) */
    char fuel[16];            /* lower case; "" = any fuel (the mode's fallback row) */
    char energy_fuel[16];     /* fuel whose facts ("fuels") gave the row's per-litre or per-kWh
                           * values: energy_fuel of the file, else fuel; "" if none did */
    int per_passenger;        /* 1: values per passenger-km, 0: per vehicle-km */
    double kwh_per_km;        /* final energy, kWh per km */
    double co2e_g_per_km;     /* g CO2e per km */
    double speed_kmh;         /* assumed door-to-door speed when a record has no travel time */
    double cost_per_km;       /* in the country's currency; used when a record has no cost */
    double cost_tier_km;      /* > 0: cost_per_km applies up to this many km per person and year */
    double cost_per_km_above; /* rate above cost_tier_km */
    int year;                 /* year of the energy/CO2e figures */
    int cost_year;            /* year of the cost figure, 0 if none */
    const char *source;       /* citation of the energy/CO2e figures (never NULL) */
    const char *cost_source;  /* citation of the cost figure ("" if none) */
    const char *note;         /* free text ("" if none) */
    const char *derivation;   /* how derived values were computed ("" if none derived) */
} kmt_factor;

/* Per-country settings. */
typedef struct kmt_factor_country {
    char country[4];      /* "DK", "SE", "NO" */
    char currency[4];     /* ISO 4217: "DKK", "SEK", "NOK" */
    double hours_per_fte; /* working hours in one full-time equivalent per year */
    const char *hours_source;
    double co2_price_per_tonne; /* shadow price of CO2e, currency per tonne; < 0 = not given */
    int co2_price_year;
    const char *co2_price_source; /* "" if not given */
} kmt_factor_country;

/* Plausible ranges of the fuel facts (inclusive). */
#define KMT_FUEL_KG_CO2E_PER_L_MAX 5.0 /* above: probably g/l */
#define KMT_FUEL_KWH_PER_L_MIN 5.0
#define KMT_FUEL_KWH_PER_L_MAX 12.0
#define KMT_FUEL_G_CO2E_PER_KWH_MAX 2000.0
#define KMT_FUEL_PRICE_PER_L_MAX 100.0
#define KMT_FUEL_PRICE_PER_KWH_MAX 20.0 /* above: probably øre/öre per kWh */

/* Facts about one fuel in one country (format_version 2, "fuels"). A liquid
 * fuel (petrol, diesel, hvo, biogas as litre equivalents) has kg_co2e_per_l
 * and kwh_per_l; electricity (fuel "electric") has g_co2e_per_kwh. */
typedef struct kmt_fuel_fact {
    char country[4];       /* "DK", "SE", "NO", or "*" */
    char fuel[16];         /* lower case fuel name */
    int electric;          /* 1 for fuel "electric" */
    double kg_co2e_per_l;  /* liquid: kg CO2e per litre (litre equivalent) */
    double kwh_per_l;      /* liquid: lower heating value, kWh per litre */
    double g_co2e_per_kwh; /* electric: g CO2e per kWh */
    double price;          /* per litre (liquid) or per kWh (electric), country currency; < 0 = none */
    int price_assumption;  /* 1: the price is a kommute assumption, not a cited figure */
    int year, price_year;
    const char *source, *price_source, *note; /* never NULL ("" if none) */
} kmt_fuel_fact;

/* A loaded factors file. Strings live in the arena; kmt_factors_destroy frees all. */
typedef struct kmt_factors {
    const char *name;    /* file name given to the parser */
    int format_version;  /* 1 or 2 */
    const char *version; /* the file's "version" (required) */
    const char *title;   /* "" if none */
    char default_country[4];
    kmt_factor *rows;
    size_t nrows;
    kmt_factor_country *countries;
    size_t ncountries;
    kmt_fuel_fact *fuels; /* format_version 2; NULL/0 in version 1 files */
    size_t nfuels;
    kmt_arena arena;
} kmt_factors;

/*
 * Parse a factors file from text (len bytes, need not be NUL-terminated);
 * name is used in error messages and kept in out->name. On success returns 0
 * and fills *out (release with kmt_factors_destroy). On failure returns
 * KMT_EINVAL, fills e with the file, the row ("factors[3] DK private_car
 * petrol"), the field, the bad value and what was expected, and leaves *out
 * empty (kmt_factors_destroy on it is harmless).
 * Checks: JSON syntax (line/column), format and version present, known modes
 * and fuels, units within range, no duplicate (country, mode, fuel), every
 * listed country can resolve every mode (through a fuel "" row of its own or
 * of country "*").
 */
int kmt_factors_parse(const char *text, size_t len, const char *name, kmt_factors *out, kmt_error *e);
void kmt_factors_destroy(kmt_factors *f);

/*
 * Best row for (country, mode, fuel): tried in the order (country, mode, fuel),
 * (country, mode, ""), ("*", mode, fuel), ("*", mode, ""). fuel may be NULL or ""
 * and is compared case-insensitively (model.h's "HVO" finds a row "hvo").
 * country may be NULL (then the file's default country). Returns NULL if none.
 * The pointer stays valid until kmt_factors_destroy.
 */
const kmt_factor *kmt_factors_lookup(const kmt_factors *f, const char *country, const char *mode, const char *fuel);
/* The same with the mode as a kmt_mode value (1..8); NULL for others. */
const kmt_factor *kmt_factors_lookup_id(const kmt_factors *f, const char *country, int mode_id, const char *fuel);
/* Facts of a fuel (case-insensitive) in a country: (country, fuel), else
 * ("*", fuel); NULL country = default country. Returns NULL if none. */
const kmt_fuel_fact *kmt_factors_fuel(const kmt_factors *f, const char *country, const char *fuel);
/* Settings of a country (NULL if not listed; NULL country = default country). */
const kmt_factor_country *kmt_factors_country(const kmt_factors *f, const char *country);

#endif
