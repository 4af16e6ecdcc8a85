/* SPDX-License-Identifier: MPL-2.0 */
#include <stdlib.h>

#include "kommute/core.h"
#include "kommute/factors.h"
#include "kommute/fleet.h"
#include "test.h"

/* The eight "*" rows every test file needs (one per mode). */
#define STAR_ROWS                                                                                                      \
    "{\"country\":\"*\",\"mode\":\"fleet_car\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"                           \
    "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024},"                                          \
    "{\"country\":\"*\",\"mode\":\"private_car\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"                         \
    "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,"                                           \
    "\"cost_per_km\":3.79,\"cost_tier_km\":20000,\"cost_per_km_above\":2.23,"                                          \
    "\"cost_source\":\"Skatteraadet\",\"cost_year\":2024},"                                                            \
    "{\"country\":\"*\",\"mode\":\"taxi\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"                                \
    "\"co2e_g_per_km\":140,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024},"                                          \
    "{\"country\":\"*\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.1,"                               \
    "\"co2e_g_per_km\":27,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024},"                                           \
    "{\"country\":\"*\",\"mode\":\"train\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.08,"                            \
    "\"co2e_g_per_km\":7,\"speed_kmh\":80,\"source\":\"s\",\"year\":2024},"                                            \
    "{\"country\":\"*\",\"mode\":\"flight\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"                            \
    "\"co2e_g_per_km\":255,\"speed_kmh\":250,\"source\":\"s\",\"year\":2024},"                                         \
    "{\"country\":\"*\",\"mode\":\"bicycle\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0,"                               \
    "\"co2e_g_per_km\":0,\"speed_kmh\":15,\"source\":\"s\",\"year\":2024},"                                            \
    "{\"country\":\"*\",\"mode\":\"walk\",\"basis\":\"passenger_km\",\"kwh_per_km\":0,"                                \
    "\"co2e_g_per_km\":0,\"speed_kmh\":5,\"source\":\"s\",\"year\":2024}"

/* A minimal valid file with one country; ROW is spliced in as an extra row. */
static int parse_with(const char *extra_row, kmt_factors *f, kmt_error *e)
{
    char text[8192];
    snprintf(text, sizeof text,
             "{\"format\":\"kommute-factors\",\"format_version\":1,\"version\":\"t1\","
             "\"default_country\":\"DK\","
             "\"countries\":[{\"country\":\"DK\",\"currency\":\"DKK\",\"hours_per_fte\":1924,"
             "\"hours_source\":\"37x52\"}],"
             "\"factors\":[" STAR_ROWS "%s%s]}",
             extra_row ? "," : "", extra_row ? extra_row : "");
    kmt_error_init(e);
    return kmt_factors_parse(text, strlen(text), "f.json", f, e);
}

KMT_TEST(factors_bundled_file_loads_and_derives)
{
    char *text;
    size_t len;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_read_file(kmt_test_data("factors/nordic-2024.json"), &text, &len, &e), 0);
    kmt_factors f;
    int rc = kmt_factors_parse(text, len, "nordic-2024.json", &f, &e);
    if (rc) {
        char buf[1600];
        kmt_test_fail(__FILE__, __LINE__, "%s", kmt_error_format(&e, buf, sizeof buf));
    }
    ASSERT_STR_EQ(f.version, "nordic-2024.2");
    ASSERT_EQ_INT(f.format_version, 2);
    ASSERT_STR_EQ(f.default_country, "SE");
    /* DK petrol car: 141 g/km; litres 141/2520 = 0.055952 l/km; energy x 8.9 = 0.49798 kWh/km */
    const kmt_factor *r = kmt_factors_lookup(&f, "DK", "private_car", "petrol");
    ASSERT(r != NULL);
    ASSERT_NEAR(r->co2e_g_per_km, 141, 1e-9);
    ASSERT_NEAR(r->kwh_per_km, 141.0 / 2520.0 * 8.9, 1e-9);
    ASSERT_CONTAINS(r->derivation, "8.9 kWh/l");
    ASSERT_NEAR(r->cost_per_km, 3.79, 1e-12);
    ASSERT_NEAR(r->cost_tier_km, 20000, 1e-12);
    ASSERT_NEAR(r->cost_per_km_above, 2.23, 1e-12);
    /* SE electric car: 0.18 kWh/km x 43 g/kWh = 7.74 g/km */
    r = kmt_factors_lookup(&f, "SE", "private_car", "electric");
    ASSERT_NEAR(r->co2e_g_per_km, 0.18 * 43, 1e-9);
    /* SE private car with unknown fuel (hybrid) falls back to the fuel "" row */
    r = kmt_factors_lookup(&f, "SE", "private_car", "hybrid");
    ASSERT_STR_EQ(r->fuel, "");
    ASSERT_NEAR(r->co2e_g_per_km, 132.6, 1e-9);
    /* SE bus falls back to the "*" row */
    r = kmt_factors_lookup(&f, "SE", "bus", NULL);
    ASSERT_STR_EQ(r->country, "*");
    ASSERT_NEAR(r->co2e_g_per_km, 27, 1e-9);
    ASSERT(r->per_passenger);
    ASSERT(kmt_factors_lookup(&f, "SE", "rocket", "") == NULL);
    /* model.h's fuel names match case-insensitively; mode ids are kmt_mode values */
    r = kmt_factors_lookup_id(&f, "DK", 1, "HVO");
    ASSERT_STR_EQ(r->fuel, "hvo");
    ASSERT_STR_EQ(r->mode, "fleet_car");
    ASSERT_NEAR(r->co2e_g_per_km, 4.73 / 100 * 0.894 * 1000, 1e-9);
    ASSERT(kmt_factors_lookup_id(&f, "DK", 0, "") == NULL);
    ASSERT_NEAR(kmt_factors_country(&f, "DK")->hours_per_fte, 1924, 0);
    ASSERT_STR_EQ(kmt_factors_country(&f, NULL)->currency, "SEK");
    /* every row has a source and a year */
    for (size_t i = 0; i < f.nrows; i++) {
        ASSERT(f.rows[i].source[0] != '\0');
        ASSERT(f.rows[i].year >= 2019);
    }
    kmt_factors_destroy(&f);
    kmt_free(text);
}

KMT_TEST(factors_minimal_ok)
{
    kmt_factors f;
    kmt_error e;
    ASSERT_EQ_INT(parse_with(NULL, &f, &e), 0);
    ASSERT_EQ_INT(f.nrows, 8);
    ASSERT_STR_EQ(kmt_factors_lookup(&f, "DK", "walk", "")->country, "*");
    kmt_factors_destroy(&f);
}

/* Expects the parse to fail with a message containing want and the field. */
static void expect_bad(const char *row, const char *field, const char *want)
{
    kmt_factors f;
    kmt_error e;
    int rc = parse_with(row, &f, &e);
    if (rc == 0) {
        kmt_factors_destroy(&f);
        kmt_test_fail(__FILE__, __LINE__, "expected '%s' to be rejected", row);
    }
    ASSERT_EQ_INT(rc, KMT_EINVAL);
    ASSERT_STR_EQ(e.file, "f.json");
    if (field) ASSERT_STR_EQ(e.field, field);
    ASSERT_CONTAINS(e.msg, want);
    kmt_factors_destroy(&f); /* harmless on a failed parse */
}

KMT_TEST(factors_units_checked)
{
    /* 150 kWh/km: a Wh/km value */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"diesel\",\"basis\":\"vehicle_km\","
               "\"kwh_per_km\":150,\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "kwh_per_km", "150 is outside the plausible range 0..10 kWh/km");
    /* 0.141 g/km: a kg/km value */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"diesel\",\"basis\":\"vehicle_km\","
               "\"kwh_per_km\":0.5,\"co2e_g_per_km\":0.141,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "co2e_g_per_km", "kg/km");
    /* 141000 g/km: mg/km */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"diesel\",\"basis\":\"vehicle_km\","
               "\"kwh_per_km\":0.5,\"co2e_g_per_km\":141000,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "co2e_g_per_km", "mg/km");
    /* 2520 kg/l: a g/l value */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"petrol\",\"basis\":\"vehicle_km\","
               "\"co2e_g_per_km\":141,\"kg_co2e_per_l\":2520,\"kwh_per_l\":8.9,\"speed_kmh\":50,"
               "\"source\":\"s\",\"year\":2024}",
               "kg_co2e_per_l", "g/l");
    /* 0.056 l/100km: an l/km value */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"petrol\",\"basis\":\"vehicle_km\","
               "\"l_per_100km\":0.056,\"kg_co2e_per_l\":2.52,\"kwh_per_l\":8.9,\"speed_kmh\":50,"
               "\"source\":\"s\",\"year\":2024}",
               "l_per_100km", "l/km");
    /* a negative value */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"diesel\",\"basis\":\"vehicle_km\","
               "\"kwh_per_km\":-0.5,\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "kwh_per_km", "-0.5 is outside");
    /* a cost per mil (25 SEK) passes the range but 2500 (per 100 km) does not */
    expect_bad("{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"diesel\",\"basis\":\"vehicle_km\","
               "\"kwh_per_km\":0.5,\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,"
               "\"cost_per_km\":2500,\"cost_source\":\"x\",\"cost_year\":2024}",
               "cost_per_km", "per km");
}

KMT_TEST(factors_bad_rows_named)
{
    expect_bad("{\"country\":\"DK\",\"mode\":\"rocket\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
               "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "mode", "factors[8] (DK rocket): unknown mode 'rocket'");
    expect_bad("{\"country\":\"DK\",\"mode\":\"bus\",\"fuel\":\"coal\",\"basis\":\"passenger_km\","
               "\"kwh_per_km\":0.5,\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "fuel", "unknown fuel 'coal'");
    expect_bad("{\"country\":\"DK\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"
               "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"year\":2024}",
               "source", "missing");
    expect_bad("{\"country\":\"DK\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"
               "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\"}",
               "year", "missing");
    expect_bad("{\"country\":\"DK\",\"mode\":\"bus\",\"basis\":\"per_seat\",\"kwh_per_km\":0.5,"
               "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "basis", "vehicle_km or passenger_km");
    expect_bad("{\"country\":\"DK\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"
               "\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
               "co2e_g_per_km", "missing");
    expect_bad("{\"country\":\"DK\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"
               "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,\"kwh_km\":1}",
               "kwh_km", "unknown field");
    expect_bad("{\"country\":\"*\",\"mode\":\"walk\",\"basis\":\"passenger_km\",\"kwh_per_km\":0,"
               "\"co2e_g_per_km\":0,\"speed_kmh\":5,\"source\":\"s\",\"year\":2024}",
               NULL, "duplicates factors[7]");
    expect_bad("{\"country\":\"FI\",\"mode\":\"walk\",\"basis\":\"passenger_km\",\"kwh_per_km\":0,"
               "\"co2e_g_per_km\":0,\"speed_kmh\":5,\"source\":\"s\",\"year\":2024}",
               "country", "'FI' is not in \"countries\"");
    /* broken JSON: line and column */
    kmt_factors f;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_factors_parse("{\n \"format\": ,\n}", 16, "x.json", &f, &e), KMT_EINVAL);
    ASSERT_EQ_INT(e.line, 2);
    ASSERT_CONTAINS(e.msg, "not valid JSON");
    /* version missing */
    const char *nov = "{\"format\":\"kommute-factors\",\"format_version\":1}";
    ASSERT_EQ_INT(kmt_factors_parse(nov, strlen(nov), "x.json", &f, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "version");
}

/* Seeded mutations of the bundled file: every parse ends in success or a
 * clear error, never a crash or leak (run under ASan by make check). */
KMT_TEST(factors_mutations_fail_cleanly)
{
    char *text;
    size_t len;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_read_file(kmt_test_data("factors/nordic-2024.json"), &text, &len, &e), 0);
    char *copy = kmt_malloc(len + 1);
    kmt_rng r;
    kmt_rng_seed(&r, 5);
    static const char alphabet[] = "0123456789.-e\"{}[],: abcxyz";
    int ok = 0, bad = 0;
    for (int i = 0; i < 300; i++) {
        memcpy(copy, text, len + 1);
        int edits = 1 + (int)kmt_rng_below(&r, 3);
        for (int k = 0; k < edits; k++) copy[kmt_rng_below(&r, len)] = alphabet[kmt_rng_below(&r, sizeof alphabet - 1)];
        kmt_factors f;
        kmt_error_init(&e);
        int rc = kmt_factors_parse(copy, len, "m.json", &f, &e);
        if (rc == 0) {
            ok++;
            kmt_factors_destroy(&f);
        } else {
            bad++;
            ASSERT_EQ_INT(rc, KMT_EINVAL);
            ASSERT(e.msg[0] != '\0');
        }
    }
    ASSERT(bad > 0);
    kmt_free(copy);
    kmt_free(text);
}

/* The bundled file, parsed (fails the test on error). */
static void load_bundled(kmt_factors *f)
{
    char *text;
    size_t len;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_read_file(kmt_test_data("factors/nordic-2024.json"), &text, &len, &e), 0);
    int rc = kmt_factors_parse(text, len, "nordic-2024.json", f, &e);
    kmt_free(text);
    if (rc) {
        char buf[1600];
        kmt_test_fail(__FILE__, __LINE__, "%s", kmt_error_format(&e, buf, sizeof buf));
    }
}

/* For every country: each factor row tied to a fuel's facts agrees with them
 * (an electric row's g/km = kWh/km x g/kWh; a liquid row's g/km and kWh/km
 * are the same litres x kg/l and x kWh/l), every car row of a fuel that has
 * facts is tied to them, and the facts the fleet needs are all there. */
KMT_TEST(factors_fuel_facts_consistent)
{
    kmt_factors f;
    load_bundled(&f);
    ASSERT(f.nfuels >= 15);
    static const char *const need[] = { "petrol", "diesel", "hvo", "biogas", "electric" };
    for (size_t c = 0; c < f.ncountries; c++) {
        const kmt_factor_country *fc = &f.countries[c];
        ASSERT(fc->co2_price_per_tonne > 0);
        ASSERT(fc->co2_price_source[0] != '\0');
        ASSERT(fc->co2_price_year >= 2019);
        for (size_t k = 0; k < 5; k++) {
            const kmt_fuel_fact *ff = kmt_factors_fuel(&f, fc->country, need[k]);
            ASSERT(ff != NULL);
            ASSERT_STR_EQ(ff->country, fc->country);
            ASSERT(ff->price > 0);
            ASSERT(ff->price_assumption); /* no cited prices in our sources */
            ASSERT(ff->source[0] != '\0' && ff->price_source[0] != '\0');
            ASSERT(ff->year >= 2019 && ff->price_year >= 2019);
            ASSERT_EQ_INT(ff->electric, k == 4);
        }
    }
    int tied = 0;
    for (size_t i = 0; i < f.nrows; i++) {
        const kmt_factor *r = &f.rows[i];
        if ((r->mode_id == 1 || r->mode_id == 2) && strcmp(r->country, "*") != 0)
            ASSERT(r->energy_fuel[0] != '\0'); /* every car row of a country uses its fuel facts */
        if (!r->energy_fuel[0]) continue;
        tied++;
        const kmt_fuel_fact *ff = kmt_factors_fuel(&f, r->country, r->energy_fuel);
        ASSERT(ff != NULL);
        if (ff->electric) {
            ASSERT_NEAR(r->co2e_g_per_km, r->kwh_per_km * ff->g_co2e_per_kwh, 1e-9);
        } else {
            double litres = r->co2e_g_per_km / (ff->kg_co2e_per_l * 1000.0);
            ASSERT_NEAR(r->kwh_per_km, litres * ff->kwh_per_l, 1e-9);
        }
    }
    ASSERT(tied >= 25);
    /* the numbers the two modules used to disagree on: DK electricity */
    const kmt_factor *el = kmt_factors_lookup(&f, "DK", "fleet_car", "electric");
    ASSERT_NEAR(el->co2e_g_per_km, 0.18 * 89, 1e-9);
    ASSERT_CONTAINS(el->derivation, "89 g/kWh");
    ASSERT_NEAR(kmt_factors_fuel(&f, "NO", "diesel")->kg_co2e_per_l, 2.66, 1e-12);
    ASSERT_NEAR(kmt_factors_fuel(&f, "SE", "electric")->g_co2e_per_kwh, 43, 1e-12);
    ASSERT(kmt_factors_fuel(&f, "SE", "coal") == NULL);
    kmt_factors_destroy(&f);
}

/* The fleet's compiled-in fallback is the file's DK set, value for value. */
KMT_TEST(factors_fleet_fallback_equals_file_dk)
{
    kmt_factors f;
    load_bundled(&f);
    kmt_fleet_factors d;
    kmt_fleet_factors_default(&d);
    static const struct {
        int fuel;
        const char *name;
    } m[] = { { KMT_FLEET_FUEL_PETROL, "petrol" }, { KMT_FLEET_FUEL_DIESEL, "diesel" },
              { KMT_FLEET_FUEL_HVO, "hvo" },       { KMT_FLEET_FUEL_BIOGAS, "biogas" },
              { KMT_FLEET_FUEL_HYBRID, "petrol" }, { KMT_FLEET_FUEL_PLUGIN, "petrol" },
              { KMT_FLEET_FUEL_UNKNOWN, "petrol" } };
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++) {
        const kmt_fuel_fact *ff = kmt_factors_fuel(&f, "DK", m[k].name);
        ASSERT_NEAR(d.co2_g_per_litre[m[k].fuel], ff->kg_co2e_per_l * 1000, 1e-9);
        ASSERT_NEAR(d.kwh_per_litre[m[k].fuel], ff->kwh_per_l, 1e-12);
        ASSERT_NEAR(d.price_per_litre[m[k].fuel], ff->price, 1e-12);
        /* the consumption assumed for a vehicle of unknown km/l: the litres of
         * the file's fleet_car row of that fuel */
        const kmt_factor *row = kmt_factors_lookup(&f, "DK", "fleet_car", m[k].name);
        if (strcmp(row->energy_fuel, ff->fuel) == 0)
            ASSERT_NEAR(d.litres_per_km[m[k].fuel], row->kwh_per_km / ff->kwh_per_l, 1e-9);
    }
    const kmt_fuel_fact *el = kmt_factors_fuel(&f, "DK", "electric");
    ASSERT_NEAR(d.co2_g_per_kwh, el->g_co2e_per_kwh, 1e-12);
    ASSERT_NEAR(d.price_per_kwh, el->price, 1e-12);
    ASSERT_NEAR(d.co2_price_per_tonne, kmt_factors_country(&f, "DK")->co2_price_per_tonne, 1e-12);
    const kmt_factor *pc = kmt_factors_lookup(&f, "DK", "private_car", "");
    ASSERT_NEAR(d.allowance_per_km, pc->cost_per_km, 1e-12);
    ASSERT_NEAR(d.private_co2_g_per_km, pc->co2e_g_per_km, 1e-12);
    /* and the fleet's per-km arithmetic matches the file's rows: 1 km of a petrol
     * car at the file's l/km gives the file's g/km and kWh/km */
    const kmt_factor *pr = kmt_factors_lookup(&f, "DK", "fleet_car", "petrol");
    double km_per_l = 1.0 / (pr->co2e_g_per_km / 2520.0);
    kmt_fleet_energy en = kmt_fleet_energy_of(&d, KMT_FLEET_FUEL_PETROL, 0, km_per_l, 1.0);
    ASSERT_NEAR(en.co2_g, pr->co2e_g_per_km, 1e-9);
    ASSERT_NEAR(en.kwh, pr->kwh_per_km, 1e-9);
    const kmt_factor *ev = kmt_factors_lookup(&f, "DK", "fleet_car", "electric");
    en = kmt_fleet_energy_of(&d, KMT_FLEET_FUEL_ELECTRIC, ev->kwh_per_km * 1000, 0, 1.0);
    ASSERT_NEAR(en.co2_g, ev->co2e_g_per_km, 1e-9);
    /* vehicles of unknown consumption drive like the file's rows */
    en = kmt_fleet_energy_of(&d, KMT_FLEET_FUEL_PETROL, 0, 0, 1.0);
    ASSERT_NEAR(en.co2_g, pr->co2e_g_per_km, 1e-9);
    ASSERT_NEAR(en.kwh, pr->kwh_per_km, 1e-9);
    const kmt_factor *dr = kmt_factors_lookup(&f, "DK", "fleet_car", "diesel");
    en = kmt_fleet_energy_of(&d, KMT_FLEET_FUEL_DIESEL, 0, 0, 1.0);
    ASSERT_NEAR(en.co2_g, dr->co2e_g_per_km, 1e-9);
    ASSERT_NEAR(en.kwh, dr->kwh_per_km, 1e-9);
    en = kmt_fleet_energy_of(&d, KMT_FLEET_FUEL_ELECTRIC, 0, 0, 1.0);
    ASSERT_NEAR(en.kwh, ev->kwh_per_km, 1e-12);
    ASSERT_NEAR(en.co2_g, ev->co2e_g_per_km, 1e-9);
    kmt_factors_destroy(&f);
}

/* A version 2 file with fuel facts; FUEL is spliced into "fuels", ROW into
 * "factors", CTRY into DK's country object. */
static int parse_v2(const char *fuel, const char *row, const char *ctry, kmt_factors *f, kmt_error *e)
{
    char text[8192];
    snprintf(text, sizeof text,
             "{\"format\":\"kommute-factors\",\"format_version\":2,\"version\":\"t2\","
             "\"default_country\":\"DK\","
             "\"countries\":[{\"country\":\"DK\",\"currency\":\"DKK\",\"hours_per_fte\":1924,"
             "\"hours_source\":\"37x52\"%s}],"
             "\"fuels\":[{\"country\":\"DK\",\"fuel\":\"electric\",\"g_co2e_per_kwh\":89,"
             "\"price_per_kwh\":2.5,\"price_assumption\":true,\"price_source\":\"a\",\"price_year\":2024,"
             "\"source\":\"s\",\"year\":2021},"
             "{\"country\":\"DK\",\"fuel\":\"petrol\",\"kg_co2e_per_l\":2.52,\"kwh_per_l\":8.9,"
             "\"source\":\"s\",\"year\":2024}%s%s],"
             "\"factors\":[" STAR_ROWS "%s%s]}",
             ctry ? ctry : "", fuel ? "," : "", fuel ? fuel : "", row ? "," : "", row ? row : "");
    kmt_error_init(e);
    return kmt_factors_parse(text, strlen(text), "f2.json", f, e);
}

static void expect_bad_v2(const char *fuel, const char *row, const char *ctry, const char *field, const char *want)
{
    kmt_factors f;
    kmt_error e;
    int rc = parse_v2(fuel, row, ctry, &f, &e);
    if (rc == 0) {
        kmt_factors_destroy(&f);
        kmt_test_fail(__FILE__, __LINE__, "expected rejection (%s)", want);
    }
    ASSERT_EQ_INT(rc, KMT_EINVAL);
    ASSERT_STR_EQ(e.file, "f2.json");
    if (field) ASSERT_STR_EQ(e.field, field);
    ASSERT_CONTAINS(e.msg, want);
    kmt_factors_destroy(&f);
}

KMT_TEST(factors_v2_fuel_facts_units_checked)
{
    kmt_factors f;
    kmt_error e;
    /* the base file parses; a DK electric row derives its g/km from the facts */
    ASSERT_EQ_INT(parse_v2(NULL,
                           "{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"electric\","
                           "\"basis\":\"vehicle_km\",\"kwh_per_km\":0.2,\"speed_kmh\":50,"
                           "\"source\":\"s\",\"year\":2024}",
                           NULL, &f, &e),
                  0);
    const kmt_factor *r = kmt_factors_lookup(&f, "DK", "fleet_car", "electric");
    ASSERT_NEAR(r->co2e_g_per_km, 0.2 * 89, 1e-9);
    ASSERT_STR_EQ(r->energy_fuel, "electric");
    ASSERT_EQ_INT(f.format_version, 2);
    ASSERT(kmt_factors_country(&f, "DK")->co2_price_per_tonne < 0); /* not given */
    kmt_factors_destroy(&f);
    /* a row of fuel "" ties to a fuel with energy_fuel */
    ASSERT_EQ_INT(parse_v2(NULL,
                           "{\"country\":\"DK\",\"mode\":\"taxi\",\"fuel\":\"\",\"energy_fuel\":\"petrol\","
                           "\"basis\":\"vehicle_km\",\"co2e_g_per_km\":126,\"speed_kmh\":40,"
                           "\"source\":\"s\",\"year\":2024}",
                           NULL, &f, &e),
                  0);
    r = kmt_factors_lookup(&f, "DK", "taxi", "");
    ASSERT_NEAR(r->kwh_per_km, 126.0 / 2520.0 * 8.9, 1e-9);
    kmt_factors_destroy(&f);
    /* units of the fuel facts, each error naming the entry, the field and the value */
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"diesel\",\"kg_co2e_per_l\":2980,\"kwh_per_l\":9.8,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "kg_co2e_per_l",
                  "fuels[2] (DK diesel): 2980 is outside the plausible range 0..5 kg CO2e/l");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"diesel\",\"kg_co2e_per_l\":2.98,\"kwh_per_l\":35.3,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "kwh_per_l", "35.3 is outside the plausible range 5..12 kWh/l");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"diesel\",\"kg_co2e_per_l\":2.98,\"kwh_per_l\":9.8,"
                  "\"price_per_l\":13000,\"price_source\":\"a\",\"price_year\":2024,\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "price_per_l", "13000 is outside the plausible range 0..100 currency/l");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"diesel\",\"kg_co2e_per_l\":2.98,\"kwh_per_l\":9.8,"
                  "\"price_per_l\":13,\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "price_source", "missing");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"diesel\",\"kwh_per_l\":9.8,\"source\":\"s\",\"year\":2024}", NULL,
                  NULL, "kg_co2e_per_l", "missing");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"hvo\",\"g_co2e_per_kwh\":89,\"source\":\"s\",\"year\":2024}", NULL,
                  NULL, "g_co2e_per_kwh", "only for electricity");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"coal\",\"kg_co2e_per_l\":2,\"kwh_per_l\":9,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "fuel", "'coal'");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"petrol\",\"kg_co2e_per_l\":2.52,\"kwh_per_l\":8.9,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, NULL, "duplicates fuels[1]");
    expect_bad_v2("{\"country\":\"FI\",\"fuel\":\"diesel\",\"kg_co2e_per_l\":2.98,\"kwh_per_l\":9.8,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "country", "'FI' is not in");
    expect_bad_v2("{\"country\":\"DK\",\"fuel\":\"diesel\",\"kg_co2e_per_l\":2.98,\"kwh_per_l\":9.8,"
                  "\"source\":\"s\",\"year\":2024,\"price_per_litre\":13}",
                  NULL, NULL, "price_per_litre", "unknown field");
    /* electricity: 0.089 is a kg/kWh value; 250 per kWh is øre */
    expect_bad_v2("{\"country\":\"*\",\"fuel\":\"electric\",\"g_co2e_per_kwh\":0.089,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "g_co2e_per_kwh", "fuels[2] (* electric): 0.089 is implausibly small — is it in kg/kWh?");
    expect_bad_v2("{\"country\":\"*\",\"fuel\":\"electric\",\"g_co2e_per_kwh\":89,\"price_per_kwh\":250,"
                  "\"price_source\":\"a\",\"price_year\":2024,\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "price_per_kwh", "øre");
    expect_bad_v2("{\"country\":\"*\",\"fuel\":\"electric\",\"g_co2e_per_kwh\":89,\"price_per_l\":2,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, NULL, "price_per_l", "give price_per_kwh");
    /* the CO2 shadow price of a country: per tonne, with source and year */
    expect_bad_v2(NULL, NULL, ",\"co2_price_per_tonne\":1.5,\"co2_price_source\":\"x\",\"co2_price_year\":2024",
                  "co2_price_per_tonne", "countries[0] (DK): 1.5 is implausibly small — is it per kg?");
    expect_bad_v2(NULL, NULL, ",\"co2_price_per_tonne\":1500", "co2_price_source", "missing");
    ASSERT_EQ_INT(parse_v2(NULL, NULL,
                           ",\"co2_price_per_tonne\":1500,\"co2_price_source\":\"x\",\"co2_price_year\":2024", &f, &e),
                  0);
    ASSERT_NEAR(kmt_factors_country(&f, "DK")->co2_price_per_tonne, 1500, 0);
    kmt_factors_destroy(&f);
    /* a row cannot restate a fuel fact differently, nor over-determine its g/km */
    expect_bad_v2(NULL,
                  "{\"country\":\"DK\",\"mode\":\"taxi\",\"fuel\":\"petrol\",\"basis\":\"vehicle_km\","
                  "\"co2e_g_per_km\":126,\"kg_co2e_per_l\":2.3,\"kwh_per_l\":8.9,\"speed_kmh\":40,"
                  "\"source\":\"s\",\"year\":2024}",
                  NULL, "kg_co2e_per_l",
                  "factors[8] (DK taxi petrol): 2.3 disagrees with the fuel facts DK petrol (2.52)");
    expect_bad_v2(NULL,
                  "{\"country\":\"DK\",\"mode\":\"fleet_car\",\"fuel\":\"electric\",\"basis\":\"vehicle_km\","
                  "\"kwh_per_km\":0.18,\"co2e_g_per_km\":27,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024}",
                  NULL, "co2e_g_per_km", "27 disagrees with kwh_per_km 0.18 x g_co2e_per_kwh 89 = 16.02");
    expect_bad_v2(NULL,
                  "{\"country\":\"DK\",\"mode\":\"taxi\",\"fuel\":\"petrol\",\"basis\":\"vehicle_km\","
                  "\"co2e_g_per_km\":126,\"kwh_per_km\":0.9,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024}",
                  NULL, "kwh_per_km", "0.9 disagrees with");
    expect_bad_v2(NULL,
                  "{\"country\":\"DK\",\"mode\":\"taxi\",\"fuel\":\"\",\"energy_fuel\":\"kerosene\","
                  "\"basis\":\"vehicle_km\",\"co2e_g_per_km\":126,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024}",
                  NULL, "energy_fuel", "unknown fuel 'kerosene'");
    /* "fuels" needs format_version 2; version 3 is not read */
    const char *v1 = "{\"format\":\"kommute-factors\",\"format_version\":1,\"version\":\"x\","
                     "\"default_country\":\"DK\",\"countries\":[{\"country\":\"DK\",\"currency\":\"DKK\","
                     "\"hours_per_fte\":1924,\"hours_source\":\"h\"}],\"fuels\":[],\"factors\":[{}]}";
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_factors_parse(v1, strlen(v1), "v1.json", &f, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "fuels");
    ASSERT_CONTAINS(e.msg, "needs format_version 2");
    const char *v3 = "{\"format\":\"kommute-factors\",\"format_version\":3}";
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_factors_parse(v3, strlen(v3), "v3.json", &f, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "format_version");
    ASSERT_CONTAINS(e.msg, "1 and 2");
}
