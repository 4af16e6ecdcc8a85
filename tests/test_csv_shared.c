/* SPDX-License-Identifier: MPL-2.0 */
/* The CSV module's shared helpers: field writing (round trip through the
 * reader) and coordinate pairs. */
#include <math.h>
#include <string.h>

#include "kommute/csv.h"
#include "test.h"

KMT_TEST(csv_write_field_round_trips)
{
    const char *vals[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", "\"", "x\r\ny" };
    kmt_buf b;
    kmt_buf_init(&b);
    kmt_buf_puts(&b, "v\n");
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        if (!vals[i][0]) continue; /* blank records are skipped by the reader */
        kmt_csv_put_field(&b, vals[i]);
        kmt_buf_puts(&b, "\n");
    }
    ASSERT_CONTAINS(b.data, "\"say \"\"hi\"\"\"");
    kmt_csv *c;
    ASSERT_EQ_INT(kmt_csv_open_mem(&c, "mem.csv", b.data, b.len, NULL, NULL), KMT_OK);
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        if (!vals[i][0]) continue;
        ASSERT_EQ_INT(kmt_csv_next(c, NULL), 1);
        ASSERT_STR_EQ(kmt_csv_field(c, 0), vals[i]);
    }
    kmt_csv_close(c);
    kmt_buf_destroy(&b);
}

KMT_TEST(csv_coord_pairs)
{
    const char *text = "lon;lat\n10,75;59,91\n;\n10.75;\n200;59\n";
    kmt_csv *c;
    ASSERT_EQ_INT(kmt_csv_open_mem(&c, "pts.csv", text, strlen(text), NULL, NULL), KMT_OK);
    kmt_coord p;
    kmt_error e;
    ASSERT_EQ_INT(kmt_csv_next(c, NULL), 1);
    ASSERT_EQ_INT(kmt_csv_coord(c, 0, 1, 1, &p, NULL), 0);
    ASSERT_NEAR(p.lon, 10.75, 1e-12);
    ASSERT_NEAR(p.lat, 59.91, 1e-12);
    ASSERT_EQ_INT(kmt_csv_next(c, NULL), 1); /* both empty */
    ASSERT_EQ_INT(kmt_csv_coord(c, 0, 1, 0, &p, NULL), 0);
    ASSERT(isnan(p.lon) && isnan(p.lat));
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_csv_coord(c, 0, 1, 1, &p, &e), KMT_EINVAL);
    ASSERT_CONTAINS(e.msg, "is required");
    ASSERT_EQ_INT(kmt_csv_next(c, NULL), 1); /* one missing */
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_csv_coord(c, 0, 1, 0, &p, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "lat");
    ASSERT_EQ_INT(kmt_csv_next(c, NULL), 1); /* out of range */
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_csv_coord(c, 0, 1, 0, &p, &e), KMT_EINVAL);
    ASSERT_STR_EQ(e.field, "lon");
    ASSERT_EQ_INT(e.line, 5);
    kmt_csv_close(c);
}
