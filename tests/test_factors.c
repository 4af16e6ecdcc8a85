/* SPDX-License-Identifier: MPL-2.0 */
#include <stdlib.h>

#include "kommute/core.h"
#include "kommute/factors.h"
#include "test.h"

/* A minimal valid file with one country; ROW is spliced in as an extra row. */
static int parse_with(const char *extra_row, kmt_factors *f, kmt_error *e)
{
    char text[8192];
    snprintf(text, sizeof text,
             "{\"format\":\"kommute-factors\",\"format_version\":1,\"version\":\"t1\","
             "\"default_country\":\"DK\","
             "\"countries\":[{\"country\":\"DK\",\"currency\":\"DKK\",\"hours_per_fte\":1924,"
             "\"hours_source\":\"37x52\"}],"
             "\"factors\":["
             "{\"country\":\"*\",\"mode\":\"fleet_car\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
             "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024},"
             "{\"country\":\"*\",\"mode\":\"private_car\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
             "\"co2e_g_per_km\":140,\"speed_kmh\":50,\"source\":\"s\",\"year\":2024,"
             "\"cost_per_km\":3.79,\"cost_tier_km\":20000,\"cost_per_km_above\":2.23,"
             "\"cost_source\":\"Skatteraadet\",\"cost_year\":2024},"
             "{\"country\":\"*\",\"mode\":\"taxi\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0.5,"
             "\"co2e_g_per_km\":140,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024},"
             "{\"country\":\"*\",\"mode\":\"bus\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.1,"
             "\"co2e_g_per_km\":27,\"speed_kmh\":40,\"source\":\"s\",\"year\":2024},"
             "{\"country\":\"*\",\"mode\":\"train\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.08,"
             "\"co2e_g_per_km\":7,\"speed_kmh\":80,\"source\":\"s\",\"year\":2024},"
             "{\"country\":\"*\",\"mode\":\"flight\",\"basis\":\"passenger_km\",\"kwh_per_km\":0.5,"
             "\"co2e_g_per_km\":255,\"speed_kmh\":250,\"source\":\"s\",\"year\":2024},"
             "{\"country\":\"*\",\"mode\":\"bicycle\",\"basis\":\"vehicle_km\",\"kwh_per_km\":0,"
             "\"co2e_g_per_km\":0,\"speed_kmh\":15,\"source\":\"s\",\"year\":2024},"
             "{\"country\":\"*\",\"mode\":\"walk\",\"basis\":\"passenger_km\",\"kwh_per_km\":0,"
             "\"co2e_g_per_km\":0,\"speed_kmh\":5,\"source\":\"s\",\"year\":2024}%s%s]}",
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
    ASSERT_STR_EQ(f.version, "nordic-2024.1");
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
        for (int k = 0; k < edits; k++)
            copy[kmt_rng_below(&r, len)] = alphabet[kmt_rng_below(&r, sizeof alphabet - 1)];
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
