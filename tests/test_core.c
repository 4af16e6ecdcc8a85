/* SPDX-License-Identifier: MPL-2.0 */
#include <stdlib.h>
#include <string.h>

#include "kommute/core.h"
#include "kommute/json.h"
#include "test.h"

KMT_TEST(core_error_format)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_error_at(&e, KMT_EINVAL, "trips.csv", 12, 3, "km", "expected a number, got '%s'", "abc");
    char buf[512];
    ASSERT_STR_EQ(kmt_error_format(&e, buf, sizeof buf), "trips.csv:12:3: field 'km': expected a number, got 'abc'");
    ASSERT_EQ_INT(kmt_error_exit_code(e.code), KMT_EXIT_INPUT);
    ASSERT_EQ_INT(kmt_error_exit_code(KMT_EUSAGE), KMT_EXIT_USAGE);
}

KMT_TEST(core_vec_and_arena)
{
    KMT_VEC(int) v = { 0 };
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
    int counts[7] = { 0 };
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
    kmt_json_destroy(&j);
}

KMT_TEST(core_hash_known_values)
{
    /* FNV-1a 64 test vectors; chaining equals hashing the concatenation */
    ASSERT_EQ_INT(kmt_hash_bytes(KMT_HASH_SEED, NULL, 0), 0xcbf29ce484222325ull);
    ASSERT_EQ_INT(kmt_hash_bytes(KMT_HASH_SEED, "a", 1), 0xaf63dc4c8601ec8cull);
    ASSERT_EQ_INT(kmt_hash_bytes(KMT_HASH_SEED, "foobar", 6), 0x85944171f73967e8ull);
    ASSERT_EQ_INT(kmt_hash_bytes(kmt_hash_bytes(KMT_HASH_SEED, "foo", 3), "bar", 3), 0x85944171f73967e8ull);
    ASSERT_EQ_INT(kmt_hash("foobar", 6), kmt_hash_mix(0x85944171f73967e8ull));
    ASSERT_EQ_INT(kmt_hash_mix(0), 0);
    ASSERT(kmt_hash_mix(1) != 1 && kmt_hash_mix(1) != kmt_hash_mix(2));
}

/* The oracle: keys and values in a plain array, searched linearly. */
typedef struct {
    char key[16];
    size_t len;
    uint64_t ukey;
    int64_t value;
} oracle_entry;

static size_t oracle_find(const oracle_entry *o, size_t n, const char *key, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (o[i].len == len && memcmp(o[i].key, key, len) == 0) return i;
    return KMT_MAP_NONE;
}

KMT_TEST(core_map_string_keys_against_linear_oracle)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 7);
    enum { OPS = 20000, MAXN = 3000 };
    oracle_entry *o = calloc(MAXN, sizeof *o);
    size_t on = 0;
    kmt_map m = { 0 };
    for (int op = 0; op < OPS; op++) {
        /* short keys over a small alphabet (many repeats), embedded NULs and "" included */
        char key[16];
        size_t len = (size_t)kmt_rng_below(&rng, 5);
        for (size_t i = 0; i < len; i++) key[i] = "ab\0cdefg"[kmt_rng_below(&rng, 8)];
        int64_t val = (int64_t)kmt_rng_below(&rng, 1000000) - 500000;
        size_t want = oracle_find(o, on, key, len);
        int kind = (int)kmt_rng_below(&rng, 3);
        if (kind == 0) { /* find */
            ASSERT_EQ_INT(kmt_map_find_str(&m, key, len), want);
        } else if (kind == 1 || on == MAXN) { /* find-or-insert */
            int added = -1;
            size_t got = kmt_map_insert_str(&m, key, len, val, &added);
            if (want == KMT_MAP_NONE && on < MAXN) {
                ASSERT_EQ_INT(added, 1);
                ASSERT_EQ_INT(got, on);
                memcpy(o[on].key, key, len);
                o[on].len = len;
                o[on++].value = val;
            } else {
                ASSERT_EQ_INT(added, 0);
                ASSERT_EQ_INT(got, want);
            }
        } else { /* put (NUL-free keys only: the C-string API) */
            size_t l = strnlen(key, len);
            key[l] = '\0';
            size_t w = oracle_find(o, on, key, l);
            kmt_map_put_str(&m, key, val);
            if (w == KMT_MAP_NONE) {
                memcpy(o[on].key, key, l);
                o[on].len = l;
                w = on++;
            }
            o[w].value = val;
            int64_t back = 0;
            ASSERT_EQ_INT(kmt_map_get_str(&m, key, &back), 0);
            ASSERT_EQ_INT(back, val);
        }
        ASSERT_EQ_INT(m.n, on);
    }
    /* iteration: insertion order, copied NUL-terminated keys, values */
    for (size_t i = 0; i < on; i++) {
        ASSERT_EQ_INT(m.ent[i].len, o[i].len);
        ASSERT(memcmp(m.ent[i].str, o[i].key, o[i].len) == 0 && m.ent[i].str[o[i].len] == '\0');
        ASSERT_EQ_INT(m.ent[i].value, o[i].value);
    }
    int64_t v = 0;
    ASSERT_EQ_INT(kmt_map_get_str(&m, "zzz", &v), KMT_ENOTFOUND);
    kmt_map_destroy(&m);
    ASSERT_EQ_INT(m.n, 0);
    ASSERT_EQ_INT(kmt_map_find_str(&m, "a", 1), KMT_MAP_NONE);
    free(o);
}

KMT_TEST(core_map_integer_keys_against_linear_oracle)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 11);
    enum { OPS = 20000 };
    oracle_entry *o = calloc(OPS, sizeof *o);
    size_t on = 0;
    kmt_map m;
    kmt_map_init(&m);
    kmt_map_reserve(&m, 10);
    for (int op = 0; op < OPS; op++) {
        /* keys that collide in the low bits (multiples of 2^32) and small ones */
        uint64_t key = kmt_rng_below(&rng, 2) ? kmt_rng_below(&rng, 500) << 32 : kmt_rng_below(&rng, 500);
        int64_t val = (int64_t)kmt_rng_next(&rng);
        size_t want = KMT_MAP_NONE;
        for (size_t i = 0; i < on && want == KMT_MAP_NONE; i++)
            if (o[i].ukey == key) want = i;
        int kind = (int)kmt_rng_below(&rng, 3);
        if (kind == 0) {
            ASSERT_EQ_INT(kmt_map_find_u64(&m, key), want);
            int64_t got = 0;
            ASSERT_EQ_INT(kmt_map_get_u64(&m, key, &got), want == KMT_MAP_NONE ? KMT_ENOTFOUND : 0);
            if (want != KMT_MAP_NONE) ASSERT_EQ_INT(got, o[want].value);
        } else if (kind == 1) {
            int added = -1;
            size_t got = kmt_map_insert_u64(&m, key, val, &added);
            ASSERT_EQ_INT(added, want == KMT_MAP_NONE);
            ASSERT_EQ_INT(got, want == KMT_MAP_NONE ? on : want);
            if (want == KMT_MAP_NONE) o[on].ukey = key, o[on++].value = val;
        } else {
            kmt_map_put_u64(&m, key, val);
            if (want == KMT_MAP_NONE) o[on].ukey = key, want = on++;
            o[want].value = val;
        }
        ASSERT_EQ_INT(m.n, on);
    }
    for (size_t i = 0; i < on; i++) {
        ASSERT(m.ent[i].str == NULL);
        ASSERT_EQ_INT(m.ent[i].key, o[i].ukey);
        ASSERT_EQ_INT(m.ent[i].value, o[i].value);
    }
    kmt_map_destroy(&m);
    free(o);
}

typedef struct {
    int key;
    int seq;
} sort_item;

static int item_cmp(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    const sort_item *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int index_cmp(const void *a, const void *b, void *ctx)
{
    const int *keys = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (keys[x] > keys[y]) - (keys[x] < keys[y]);
}

KMT_TEST(core_sort_stable_against_insertion_oracle)
{
    kmt_rng rng;
    kmt_rng_seed(&rng, 3);
    static const size_t sizes[] = { 0, 1, 2, 15, 16, 17, 31, 33, 100, 257, 1000, 4099 };
    for (size_t t = 0; t < sizeof sizes / sizeof *sizes; t++) {
        size_t n = sizes[t];
        int range = t % 2 ? 5 : 1000; /* many ties, or few */
        sort_item *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
        for (size_t i = 0; i < n; i++) a[i] = b[i] = (sort_item){ (int)kmt_rng_below(&rng, (uint64_t)range), (int)i };
        kmt_sort_stable(a, n, sizeof *a, item_cmp, NULL);
        /* oracle: a plain stable insertion sort */
        for (size_t i = 1; i < n; i++) {
            sort_item x = b[i];
            size_t j = i;
            while (j > 0 && b[j - 1].key > x.key) b[j] = b[j - 1], j--;
            b[j] = x;
        }
        for (size_t i = 0; i < n; i++) {
            ASSERT_EQ_INT(a[i].key, b[i].key);
            ASSERT_EQ_INT(a[i].seq, b[i].seq); /* ties kept their order */
        }
        /* keyed use: an index array sorted by keys in ctx */
        int *keys = malloc((n ? n : 1) * sizeof *keys);
        uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
        for (size_t i = 0; i < n; i++) keys[i] = (int)kmt_rng_below(&rng, (uint64_t)range), idx[i] = (uint32_t)i;
        kmt_sort_stable(idx, n, sizeof *idx, index_cmp, keys);
        for (size_t i = 1; i < n; i++) {
            ASSERT(keys[idx[i - 1]] <= keys[idx[i]]);
            if (keys[idx[i - 1]] == keys[idx[i]]) ASSERT(idx[i - 1] < idx[i]);
        }
        free(a), free(b), free(keys), free(idx);
    }
}

KMT_TEST(core_buf)
{
    kmt_buf b = { 0 };
    kmt_buf_puts(&b, "a");
    kmt_buf_printf(&b, "%d-%s", 42, "x");
    kmt_buf_put(&b, "yz", 1);
    ASSERT_STR_EQ(b.data, "a42-xy");
    ASSERT_EQ_INT(b.len, 6);
    kmt_buf_destroy(&b);
    ASSERT(b.data == NULL && b.len == 0);
}

KMT_TEST(core_json_linestring)
{
    kmt_json j;
    kmt_json_init(&j, NULL);
    kmt_coord pts[2] = { { 10.75, 59.91 }, { 10.8023456789, -0.5 } };
    kmt_json_linestring(&j, pts, 2);
    ASSERT_STR_EQ(j.buf.data, "{\"type\":\"LineString\",\"coordinates\":[[10.75,59.91],[10.802346,-0.5]]}");
    kmt_json_destroy(&j);
}
