/* SPDX-License-Identifier: MPL-2.0 */
/* The application layer's parameter tables (src/app/param.c): the one
 * allowlist and parser both edges use. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "kommute/app.h"
#include "kommute/model.h"
#include "test.h"

typedef struct req {
    kmt_app_given given;
    int64_t n;
    double x;
    const char *s, *mode;
    int64_t day;
    int flag;
    int64_t cli;
} req;

static const kmt_app_param P[] = { { "n", 0, KMT_APP_P_INT, 1, 100, offsetof(req, n), NULL, 0 },
                                   { "x", 0, KMT_APP_P_DOUBLE, 0, 1e6, offsetof(req, x), NULL, 0 },
                                   { "s", 0, KMT_APP_P_STRING, 0, 8, offsetof(req, s), NULL, 0 },
                                   { "mode", 0, KMT_APP_P_ENUM, 0, 0, offsetof(req, mode), "co2|cost|km", 0 },
                                   { "day", 0, KMT_APP_P_DATE, 0, 0, offsetof(req, day), NULL, 0 },
                                   { "flag", 0, KMT_APP_P_FLAG, 0, 0, offsetof(req, flag), NULL, 0 },
                                   { "threads", 't', KMT_APP_P_INT, 1, 64, offsetof(req, cli), NULL,
                                     KMT_APP_P_CLI_ONLY },
                                   { NULL, 0, 0, 0, 0, 0, NULL, 0 } };

static int set(req *q, const char *k, const char *v, int http, kmt_error *e)
{
    kmt_error_init(e);
    return kmt_app_param_set(P, q, k, v, http, http ? "" : "--", e);
}

KMT_TEST(app_param_values_within_bounds_are_set_and_marked_given)
{
    req q;
    memset(&q, 0, sizeof q);
    kmt_error e;
    ASSERT_EQ_INT(set(&q, "n", "42", 1, &e), 0);
    ASSERT_EQ_INT(q.n, 42);
    ASSERT_EQ_INT(set(&q, "x", "2.5e3", 1, &e), 0);
    ASSERT_NEAR(q.x, 2500, 1e-9);
    ASSERT_EQ_INT(set(&q, "s", "abcdefgh", 1, &e), 0);
    ASSERT_STR_EQ(q.s, "abcdefgh");
    ASSERT_EQ_INT(set(&q, "mode", "cost", 1, &e), 0);
    ASSERT_STR_EQ(q.mode, "cost");
    ASSERT_EQ_INT(set(&q, "day", "2024-03-01", 1, &e), 0);
    char b[32];
    ASSERT_STR_EQ(kmt_time_format_date(q.day, b, sizeof b), "2024-03-01");
    ASSERT_EQ_INT(set(&q, "flag", "", 1, &e), 0); /* ?flag alone */
    ASSERT_EQ_INT(q.flag, 1);
    ASSERT_EQ_INT(set(&q, "flag", "false", 1, &e), 0);
    ASSERT_EQ_INT(q.flag, 0);
    ASSERT(kmt_app_param_given(&q.given, P, "n"));
    ASSERT(kmt_app_param_given(&q.given, P, "flag"));
    ASSERT(!kmt_app_param_given(&q.given, P, "threads"));
    ASSERT_EQ_INT(set(&q, "threads", "4", 0, &e), 0); /* on the command line */
    ASSERT_EQ_INT(q.cli, 4);
}

KMT_TEST(app_param_refuses_what_is_not_in_the_table_or_out_of_bounds)
{
    req q;
    memset(&q, 0, sizeof q);
    kmt_error e;
    static const struct {
        const char *k, *v;
    } bad[] = { { "n", "0" },
                { "n", "101" },
                { "n", "4x" },
                { "n", "" },
                { "n", "99999999999999999999999" },
                { "n", "-9223372036854775808" },
                { "x", "nan" },
                { "x", "inf" },
                { "x", "1e400" },
                { "x", "-1" },
                { "x", "0x10" /* hex is a number to strtod: 16, allowed */ },
                { "s", "abcdefghi" },
                { "mode", "bus" },
                { "mode", "" },
                { "day", "2024-13-01" },
                { "day", "yesterday" },
                { "flag", "maybe" },
                { "output", "/tmp/x" },
                { "db", "x.db" },
                { "", "1" } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = set(&q, bad[i].k, bad[i].v, 1, &e);
        if (strcmp(bad[i].k, "x") == 0 && strcmp(bad[i].v, "0x10") == 0) {
            ASSERT_EQ_INT(rc, 0);
            continue;
        }
        if (rc != KMT_EUSAGE) kmt_test_fail(__FILE__, __LINE__, "%s=%s accepted", bad[i].k, bad[i].v);
        ASSERT_STR_EQ(e.field, bad[i].k);
    }
    /* CLI-only over HTTP: refused as unknown, naming it */
    ASSERT_EQ_INT(set(&q, "threads", "4", 1, &e), KMT_EUSAGE);
    ASSERT_STR_EQ(e.field, "threads");
    ASSERT_CONTAINS(e.msg, "unknown query parameter");
    /* the message names the parameter the way the edge spells it */
    ASSERT_EQ_INT(set(&q, "n", "500", 0, &e), KMT_EUSAGE);
    ASSERT_CONTAINS(e.msg, "--n expects a whole number from 1 to 100, got '500'");
    ASSERT_EQ_INT(q.n, 0); /* nothing set on failure */
    ASSERT(!kmt_app_param_given(&q.given, P, "n"));
}

KMT_TEST(app_every_usecase_table_is_well_formed)
{
    for (const kmt_app_usecase *const *u = kmt_app_usecases(); *u; u++) {
        size_t n = 0;
        for (const kmt_app_param *p = (*u)->params; p->name; p++, n++) {
            ASSERT(p->offset + sizeof(int) <= (*u)->req_size);
            ASSERT(p->offset >= sizeof(kmt_app_given));
            if (p->type == KMT_APP_P_INT || p->type == KMT_APP_P_DOUBLE) ASSERT(p->lo <= p->hi);
            if (p->type == KMT_APP_P_ENUM) ASSERT(p->choices && *p->choices);
            /* no parameter may name a file (the edge opens files) */
            static const char *const files[] = { "db",      "output",    "o",         "factors", "graph",
                                                 "mapping", "catalogue", "gazetteer", "file",    "path" };
            for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
                if (strcmp(p->name, files[k]) == 0)
                    kmt_test_fail(__FILE__, __LINE__, "%s: parameter '%s' names a file", (*u)->name, p->name);
            for (const kmt_app_param *r = (*u)->params; r != p; r++) ASSERT(strcmp(r->name, p->name) != 0);
        }
        ASSERT(n <= 64); /* the given bits */
        ASSERT(kmt_app_usecase_find((*u)->name) == *u);
    }
    ASSERT(kmt_app_usecase_find("fleet teleport") == NULL);
}
