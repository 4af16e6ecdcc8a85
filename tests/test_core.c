/* SPDX-License-Identifier: MPL-2.0 */
#include <stdlib.h>

#include "kommute/core.h"
#include "kommute/json.h"
#include "test.h"

KMT_TEST(core_error_format)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_error_at(&e, KMT_EINVAL, "trips.csv", 12, 3, "km", "expected a number, got '%s'", "abc");
    char buf[512];
    ASSERT_STR_EQ(kmt_error_format(&e, buf, sizeof buf),
                  "trips.csv:12:3: field 'km': expected a number, got 'abc'");
    ASSERT_EQ_INT(kmt_error_exit_code(e.code), KMT_EXIT_INPUT);
    ASSERT_EQ_INT(kmt_error_exit_code(KMT_EUSAGE), KMT_EXIT_USAGE);
}

KMT_TEST(core_vec_and_arena)
{
    KMT_VEC(int) v = {0};
    for (int i = 0; i < 1000; i++) KMT_VEC_PUSH(v, i * 2);
    ASSERT_EQ_INT(v.n, 1000);
    ASSERT_EQ_INT(v.v[999], 1998);
    KMT_VEC_FREE(v);
    kmt_arena a;
    kmt_arena_init(&a, 128);
    char *s = kmt_arena_strdup(&a, "hello");
    int *big = kmt_arena_alloc(&a, 1000 * sizeof(int));
    big[999] = 7;
    ASSERT_STR_EQ(s, "hello");
    ASSERT_EQ_INT(((uintptr_t)big) % 16, 0);
    kmt_arena_destroy(&a);
}

KMT_TEST(core_rng_deterministic_and_unbiased_range)
{
    kmt_rng a, b;
    kmt_rng_seed(&a, 42);
    kmt_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++) ASSERT_EQ_INT(kmt_rng_next(&a), kmt_rng_next(&b));
    int counts[7] = {0};
    for (int i = 0; i < 70000; i++) counts[kmt_rng_below(&a, 7)]++;
    for (int i = 0; i < 7; i++) ASSERT(counts[i] > 9500 && counts[i] < 10500);
}

KMT_TEST(core_json_writer)
{
    kmt_json j;
    kmt_json_init(&j, NULL);
    kmt_json_object_begin(&j);
    kmt_json_key(&j, "code");
    kmt_json_string(&j, "Ok \"q\"\n");
    kmt_json_key(&j, "a");
    kmt_json_array_begin(&j);
    kmt_json_int(&j, -5);
    kmt_json_double(&j, 12.50, 1);
    kmt_json_double(&j, 3.0, 3);
    kmt_json_double(&j, -0.04, 1);
    kmt_json_null(&j);
    kmt_json_array_end(&j);
    kmt_json_key(&j, "o");
    kmt_json_object_begin(&j);
    kmt_json_object_end(&j);
    kmt_json_object_end(&j);
    ASSERT_STR_EQ(j.buf.data, "{\"code\":\"Ok \\\"q\\\"\\n\",\"a\":[-5,12.5,3,0,null],\"o\":{}}");
    kmt_json_free(&j);
}
