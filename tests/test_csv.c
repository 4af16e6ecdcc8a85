/* SPDX-License-Identifier: MPL-2.0 */
/* The CSV reader and the mapping files: quoting, delimiters, encodings, errors, mutations. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kommute/csv.h"
#include "kommute/json.h"
#include "kommute/model.h"
#include "kommute/store.h"
#include "test.h"

static kmt_csv *csv_mem(const char *text)
{
    kmt_csv *c;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_csv_open_mem(&c, "t.csv", text, strlen(text), NULL, &e)) {
        char buf[1600];
        kmt_test_fail(__FILE__, __LINE__, "open: %s", kmt_error_format(&e, buf, sizeof buf));
    }
    return c;
}

/* ---- CSV ------------------------------------------------------------------- */

KMT_TEST(csv_quotes_embedded_newlines_and_doubled_quotes)
{
    kmt_csv *c = csv_mem("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\r\n1,,3\n");
    kmt_error e;
    ASSERT_EQ_INT(kmt_csv_ncols(c), 3);
    ASSERT_EQ_INT(kmt_csv_delimiter(c), ',');
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_STR_EQ(kmt_csv_field(c, 0), "x, y");
    ASSERT_STR_EQ(kmt_csv_field(c, 1), "say \"hi\"");
    ASSERT_STR_EQ(kmt_csv_field(c, 2), "line1\nline2");
    ASSERT_EQ_INT(kmt_csv_line(c), 2);
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_EQ_INT(kmt_csv_line(c), 4); /* the embedded newline counts */
    ASSERT_STR_EQ(kmt_csv_field(c, 1), "");
    ASSERT_STR_EQ(kmt_csv_field(c, 2), "3");
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 0);
    kmt_csv_close(c);
}

KMT_TEST(csv_unterminated_quote_and_stray_text_are_errors)
{
    kmt_csv *c = csv_mem("a,b\n1,\"open\n2,3\n");
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_csv_next(c, &e), KMT_EINVAL);
    ASSERT_EQ_INT(e.line, 2);
    ASSERT_CONTAINS(e.msg, "never closed");
    kmt_csv_close(c);
    c = csv_mem("a,b\n\"x\"y,2\n");
    ASSERT_EQ_INT(kmt_csv_next(c, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "after the closing quote");
    kmt_csv_close(c);
    c = csv_mem("a,b\n1,2,3\n");
    ASSERT_EQ_INT(kmt_csv_next(c, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "header has 2 columns");
    kmt_csv_close(c);
    c = csv_mem("a;b\n1;2;\n"); /* a trailing delimiter is tolerated */
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_EQ_INT(kmt_csv_nfields(c), 2);
    kmt_csv_close(c);
}

KMT_TEST(csv_semicolon_decimal_comma_and_bom)
{
    kmt_csv *c = csv_mem("\xef\xbb\xbfNummerplade;Km;Pris\n AB 123 ;12,5;\"1.234,50\"\n\nX;7;12 500\n");
    kmt_error e;
    ASSERT_EQ_INT(kmt_csv_delimiter(c), ';');
    ASSERT_STR_EQ(kmt_csv_colname(c, 0), "Nummerplade");
    ASSERT_EQ_INT(kmt_csv_find(c, "nummerplade"), 0);
    ASSERT_STR_EQ(kmt_csv_encoding(c), "utf-8");
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_STR_EQ(kmt_csv_field(c, 0), "AB 123");
    double v;
    ASSERT_EQ_INT(kmt_csv_number(c, 1, &v, &e), 1);
    ASSERT_NEAR(v, 12.5, 0);
    ASSERT_EQ_INT(kmt_csv_number(c, 2, &v, &e), 1);
    ASSERT_NEAR(v, 1234.5, 0);
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1); /* the blank line is skipped */
    ASSERT_EQ_INT(kmt_csv_line(c), 4);
    ASSERT_EQ_INT(kmt_csv_number(c, 2, &v, &e), 1);
    ASSERT_NEAR(v, 12500, 0);
    kmt_csv_close(c);
    ASSERT_EQ_INT(kmt_parse_number("-0.001", &v), 0);
    ASSERT_NEAR(v, -0.001, 0);
    ASSERT_EQ_INT(kmt_parse_number("1,234,567", &v), KMT_EINVAL);
    ASSERT_EQ_INT(kmt_parse_number("1.234.567", &v), 0);
    ASSERT_NEAR(v, 1234567, 0);
    ASSERT_EQ_INT(kmt_parse_number("12,3456789012345678", &v), 0);
    ASSERT_NEAR(v, 12.3456789012345678, 1e-15);
    ASSERT_EQ_INT(kmt_parse_number("abc", &v), KMT_EINVAL);
    ASSERT_EQ_INT(kmt_parse_number("1e3", &v), 0);
    ASSERT_NEAR(v, 1000, 0);
}

KMT_TEST(csv_latin1_is_converted_to_utf8)
{
    /* "Mærke;Bemærkning\nØstergård;Hjemmepleje Å\x80\n" in Windows-1252 */
    kmt_csv *c = csv_mem("M\xe6rke;Bem\xe6rkning\n\xd8sterg\xe5rd;Hjemmepleje \xc5 \x80\n");
    kmt_error e;
    ASSERT_STR_EQ(kmt_csv_encoding(c), "windows-1252");
    ASSERT_STR_EQ(kmt_csv_colname(c, 0), "Mærke");
    ASSERT_EQ_INT(kmt_csv_find(c, "MÆRKE"), 0);
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_STR_EQ(kmt_csv_field(c, 0), "Østergård");
    ASSERT_STR_EQ(kmt_csv_field(c, 1), "Hjemmepleje Å €");
    kmt_csv_close(c);
}

KMT_TEST(csv_errors_name_file_line_column_and_value)
{
    kmt_csv *c = csv_mem("start_time,km\n2024-03-05,12\n2024-02-30,x\n");
    kmt_error e;
    kmt_error_init(&e);
    kmt_time t;
    double v;
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_EQ_INT(kmt_csv_time(c, 0, &t, &e), 1);
    ASSERT_EQ_INT(kmt_csv_next(c, &e), 1);
    ASSERT_EQ_INT(kmt_csv_time(c, 0, &t, &e), KMT_EINVAL);
    char buf[1600];
    kmt_error_format(&e, buf, sizeof buf);
    ASSERT_CONTAINS(buf, "t.csv:3:1");
    ASSERT_CONTAINS(buf, "start_time");
    ASSERT_CONTAINS(buf, "'2024-02-30'");
    ASSERT_EQ_INT(kmt_csv_number(c, 1, &v, &e), KMT_EINVAL);
    kmt_error_format(&e, buf, sizeof buf);
    ASSERT_CONTAINS(buf, "t.csv:3:2: field 'km'");
    ASSERT_CONTAINS(buf, "'x'");
    kmt_csv_close(c);
}

KMT_TEST(csv_empty_file_and_missing_file)
{
    kmt_csv *c;
    kmt_error e;
    ASSERT_EQ_INT(kmt_csv_open_mem(&c, "empty.csv", "", 0, NULL, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "empty");
    ASSERT_EQ_INT(kmt_csv_open(&c, "/nonexistent/x.csv", NULL, &e), KMT_EIO);
    ASSERT_STR_EQ(e.file, "/nonexistent/x.csv");
}

/* ---- mappings -------------------------------------------------------------- */

KMT_TEST(csv_mapping_file_and_nordic_synonyms)
{
    const char *map = "# our export\ntable,ours,theirs\ntrips,driver,Medarbejdernr\n"
                      "vehicles,fuel=diesel,D\n*,km,Antal kilometer\n";
    kmt_mapping *m;
    kmt_error e;
    ASSERT_EQ_INT(kmt_mapping_parse(&m, "m.csv", map, strlen(map), &e), 0);
    kmt_csv *c = csv_mem("Regnr;Start;Slut;Antal kilometer;Medarbejdernr;Formål\n");
    static const char *const cols[] = { "vehicle_id", "start_time", "end_time", "km", "driver", "purpose", "site" };
    int ix[7];
    ASSERT_EQ_INT(kmt_csv_bind(c, m, "trips", cols, 7, ix, &e), 0);
    ASSERT_EQ_INT(ix[0], 0);
    ASSERT_EQ_INT(ix[1], 1);
    ASSERT_EQ_INT(ix[2], 2);
    ASSERT_EQ_INT(ix[3], 3);
    ASSERT_EQ_INT(ix[4], 4);
    ASSERT_EQ_INT(ix[5], 5);
    ASSERT_EQ_INT(ix[6], -1);
    ASSERT_EQ_INT(kmt_csv_require(c, ix[6], "site", &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "missing column 'site'");
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "fuel", "d"), "diesel");
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "fuel", "E"), "E");
    kmt_csv_close(c);
    kmt_mapping_destroy(m);
    ASSERT(kmt_mapping_parse(&m, "bad.csv", "a,b\n1,2\n", 8, &e) != 0);
    ASSERT(kmt_mapping_parse(&m, "bad.csv", "table,ours,theirs\ncars,x,y\n", 26, &e) != 0);
    ASSERT_CONTAINS(e.msg, "unknown table");
}

KMT_TEST(csv_os2fleetoptimiser_mapping)
{
    kmt_mapping *m;
    kmt_error e;
    ASSERT_EQ_INT(kmt_mapping_load(&m, "os2fleetoptimiser", &e), 0);
    kmt_csv *c = csv_mem("id,plate,make,model,type,fuel,wltp_fossil,wltp_el,range,omkostning_aar,location,"
                         "start_leasing,end_leasing,department\n");
    static const char *const cols[] = { "vehicle_id", "registration",        "kind", "fuel", "km_per_litre",
                                        "wh_per_km",  "fixed_cost_per_year", "site" };
    int ix[8];
    kmt_csv_bind(c, m, "vehicles", cols, 8, ix, &e);
    ASSERT_EQ_INT(ix[0], 0);
    ASSERT_EQ_INT(ix[1], 1);
    ASSERT_EQ_INT(ix[2], 4);
    ASSERT_EQ_INT(ix[3], 5);
    ASSERT_EQ_INT(ix[4], 6);
    ASSERT_EQ_INT(ix[5], 7);
    ASSERT_EQ_INT(ix[6], 9);
    ASSERT_EQ_INT(ix[7], 10);
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "fuel", "3"), "electric");
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "fuel", "6"), "plug-in");
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "fuel", "11"), "HVO");
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "kind", "2"), "e-bike");
    ASSERT_STR_EQ(kmt_mapping_value(m, "vehicles", "kind", "4"), "car");
    kmt_csv_close(c);
    kmt_mapping_destroy(m);
}

KMT_TEST(csv_builtin_mappings_match_files)
{
    const char *names[] = { "os2fleetoptimiser", "nordic" };
    for (size_t i = 0; i < 2; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "mappings/%s.csv", names[i]);
        char *data;
        size_t len;
        kmt_error e;
        ASSERT_EQ_INT(kmt_read_file(kmt_test_data(rel), &data, &len, &e), 0);
        ASSERT_STR_EQ(kmt_mapping_builtin(names[i]), data); /* else run scripts/gen_mappings.sh */
        kmt_free(data);
    }
}

/* Seeded mutations of a valid export: the reader and the value parsers must
 * return a record, the end, or an error with a line number, never crash
 * (ASan and UBSan watch), whatever bytes they get. */
KMT_TEST(csv_seeded_mutations_never_crash)
{
    const char *seed_text = "Nummerplade;Start;Slut;Km;Formål\r\n"
                            "AB 12 345;05-03-2024 08:00;05.03.2024 09:30;\"12,5\";\"tur \"\"A\"\"\nB\"\r\n"
                            "CD1;2024-03-05T10:00;2024-03-05T11:00:00Z;1.234,5;\xe6\xf8\xe5\n";
    size_t n = strlen(seed_text);
    char buf[512];
    kmt_rng r;
    kmt_rng_seed(&r, 2024);
    const char alphabet[] = "\";,\n\r .:-T0123456789\xc3\xa6\xef\xbb\xbf";
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(buf, seed_text, n);
        size_t len = n;
        int edits = 1 + (int)kmt_rng_below(&r, 8);
        for (int k = 0; k < edits; k++) {
            size_t at = kmt_rng_below(&r, len);
            int op = (int)kmt_rng_below(&r, 3);
            char ch = alphabet[kmt_rng_below(&r, sizeof alphabet - 1)];
            if (op == 0)
                buf[at] = ch;
            else if (op == 1 && len + 1 < sizeof buf) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = ch;
                len++;
            } else if (len > 1) {
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            }
        }
        if (iter % 7 == 0) len = kmt_rng_below(&r, len + 1); /* truncated files */
        kmt_csv *c;
        kmt_error e;
        kmt_error_init(&e);
        if (kmt_csv_open_mem(&c, "fuzz.csv", buf, len, NULL, &e)) {
            ASSERT(e.code < 0);
            continue;
        }
        int rc, rows = 0;
        while ((rc = kmt_csv_next(c, &e)) == 1 && rows < 100) {
            rows++;
            for (int col = -1; col <= (int)kmt_csv_ncols(c); col++) {
                double v;
                kmt_time t;
                long li;
                kmt_csv_number(c, col, &v, &e);
                kmt_csv_time(c, col, &t, &e);
                kmt_csv_int(c, col, &li, &e);
            }
        }
        if (rc < 0) ASSERT(e.line > 0);
        kmt_csv_close(c);
    }
}

/* Found by fuzz_gps: a fraction of more than 22 digits behind leading zeros
 * read past the table of powers of ten in the fast path. */
KMT_TEST(csv_number_long_zero_fraction)
{
    double v = -1;
    ASSERT_EQ_INT(kmt_parse_number("000000.000000000000000000000000000", &v), 0);
    ASSERT_NEAR(v, 0, 0);
    ASSERT_EQ_INT(kmt_parse_number("0.000000000000000000000000001", &v), 0);
    ASSERT_NEAR(v, 1e-27, 1e-40);
    ASSERT_EQ_INT(kmt_parse_number("12.0000000000000000000000000000005", &v), 0);
    ASSERT_NEAR(v, 12, 1e-12);
}
