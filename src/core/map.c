/* SPDX-License-Identifier: MPL-2.0 */
/* The hash function and the hash map (see kommute/core.h for the contracts). */
#include <assert.h>
#include <string.h>

#include "kommute/core.h"

/* ---- the hash function ------------------------------------------------ */

#define FNV_PRIME 0x100000001b3ull

/* The FNV-1a steps, inlined where the map hashes its keys. */
static inline uint64_t fnv1a(uint64_t h, const unsigned char *b, size_t n)
{
    for (; n >= 8; b += 8, n -= 8) { /* the same steps, fewer loop tests */
        h = (h ^ b[0]) * FNV_PRIME;
        h = (h ^ b[1]) * FNV_PRIME;
        h = (h ^ b[2]) * FNV_PRIME;
        h = (h ^ b[3]) * FNV_PRIME;
        h = (h ^ b[4]) * FNV_PRIME;
        h = (h ^ b[5]) * FNV_PRIME;
        h = (h ^ b[6]) * FNV_PRIME;
        h = (h ^ b[7]) * FNV_PRIME;
    }
    for (; n; b++, n--) h = (h ^ *b) * FNV_PRIME;
    return h;
}

static inline uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

uint64_t kmt_hash_bytes(uint64_t h, const void *p, size_t n)
{
    return fnv1a(h, p, n);
}

uint64_t kmt_hash_mix(uint64_t x)
{
    return mix(x);
}

uint64_t kmt_hash(const void *p, size_t n)
{
    return mix(fnv1a(KMT_HASH_SEED, p, n));
}

/* The slot hash of a string key: FNV-1a with its high half folded into the
 * low one (the slot index takes low bits; the full mix costs more than it
 * gains on the short keys the maps hold). */
static inline uint64_t key_hash(const void *key, size_t len)
{
    uint64_t h = fnv1a(KMT_HASH_SEED, key, len);
    return h ^ (h >> 32);
}

/* ---- the map ---------------------------------------------------------- */

enum { KIND_NONE = 0, KIND_STR = 1, KIND_U64 = 2 };

void kmt_map_init(kmt_map *m)
{
    memset(m, 0, sizeof *m);
}

void kmt_map_destroy(kmt_map *m)
{
    kmt_free(m->ent);
    kmt_free(m->slot);
    kmt_arena_destroy(&m->keys);
    memset(m, 0, sizeof *m);
}

/* The slot hash of entry e. */
static uint64_t entry_hash(const kmt_map *m, const kmt_map_entry *e)
{
    return m->kind == KIND_STR ? e->key : mix(e->key);
}

/* Slots for at least `want` entries at a load of at most 1/2, rebuilt from ent. */
static void grow_slots(kmt_map *m, size_t want)
{
    size_t cap = m->cap ? m->cap : 16;
    while (cap < 2 * want) cap *= 2;
    if (cap == m->cap) return;
    assert(want < UINT32_MAX);
    kmt_free(m->slot);
    m->slot = kmt_calloc(cap, sizeof *m->slot);
    m->cap = cap;
    size_t mask = cap - 1;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = (size_t)entry_hash(m, &m->ent[i]) & mask;
        while (m->slot[j]) j = (j + 1) & mask;
        m->slot[j] = (uint32_t)(i + 1);
    }
}

void kmt_map_reserve(kmt_map *m, size_t n)
{
    if (n > m->ecap) {
        m->ent = kmt_realloc(m->ent, n * sizeof *m->ent);
        m->ecap = n;
    }
    grow_slots(m, n);
}

/* The slot of the string key: its entry's, or the empty slot where it goes. */
static inline size_t probe_str(const kmt_map *m, const void *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1, j = (size_t)h & mask;
    for (; m->slot[j]; j = (j + 1) & mask) {
        const kmt_map_entry *e = &m->ent[m->slot[j] - 1];
        if (e->key == h && e->len == len && memcmp(e->str, key, len) == 0) break;
    }
    return j;
}

static inline size_t probe_u64(const kmt_map *m, uint64_t key)
{
    size_t mask = m->cap - 1, j = (size_t)mix(key) & mask;
    while (m->slot[j] && m->ent[m->slot[j] - 1].key != key) j = (j + 1) & mask;
    return j;
}

size_t kmt_map_find_str(const kmt_map *m, const void *key, size_t len)
{
    if (!m->n) return KMT_MAP_NONE;
    assert(m->kind == KIND_STR);
    size_t j = probe_str(m, key, len, key_hash(key, len));
    return m->slot[j] ? m->slot[j] - 1 : KMT_MAP_NONE;
}

size_t kmt_map_find_u64(const kmt_map *m, uint64_t key)
{
    if (!m->n) return KMT_MAP_NONE;
    assert(m->kind == KIND_U64);
    size_t j = probe_u64(m, key);
    return m->slot[j] ? m->slot[j] - 1 : KMT_MAP_NONE;
}

/* Room for one more entry: slots at most half full, ent with a free place
 * (out of line: the inserts test whether it is needed). */
static void make_room(kmt_map *m, int kind)
{
    assert(m->kind == KIND_NONE || m->kind == kind);
    m->kind = kind;
    if (2 * (m->n + 1) > m->cap) grow_slots(m, m->n + 1);
    if (m->n == m->ecap) {
        m->ecap = m->ecap ? 2 * m->ecap : 16;
        m->ent = kmt_realloc(m->ent, m->ecap * sizeof *m->ent);
    }
}

static inline int needs_room(const kmt_map *m, int kind)
{
    return m->kind != kind || 2 * (m->n + 1) > m->cap || m->n == m->ecap;
}

/* The insertion of a key known to be absent (h its slot hash): room first,
 * then its slot, its copy and its entry. Out of line: the lookups that find
 * their key stay short. */
static size_t add_str(kmt_map *m, const void *key, size_t len, uint64_t h, int64_t value)
{
    if (needs_room(m, KIND_STR)) make_room(m, KIND_STR);
    size_t j = probe_str(m, key, len, h);
    assert(!m->slot[j]);
    if (!m->keys.block_size) kmt_arena_init(&m->keys, 16384);
    char *copy = kmt_arena_alloc(&m->keys, len + 1); /* zeroed: terminated */
    if (len) memcpy(copy, key, len);
    m->ent[m->n] = (kmt_map_entry){ copy, len, h, value };
    m->slot[j] = (uint32_t)(m->n + 1);
    return m->n++;
}

static size_t add_u64(kmt_map *m, uint64_t key, int64_t value)
{
    if (needs_room(m, KIND_U64)) make_room(m, KIND_U64);
    size_t j = probe_u64(m, key);
    assert(!m->slot[j]);
    m->ent[m->n] = (kmt_map_entry){ NULL, 0, key, value };
    m->slot[j] = (uint32_t)(m->n + 1);
    return m->n++;
}

size_t kmt_map_insert_str(kmt_map *m, const void *key, size_t len, int64_t value, int *added)
{
    assert(m->kind == KIND_NONE || m->kind == KIND_STR);
    uint64_t h = key_hash(key, len);
    if (m->n) {
        size_t j = probe_str(m, key, len, h);
        if (m->slot[j]) {
            if (added) *added = 0;
            return m->slot[j] - 1;
        }
    }
    if (added) *added = 1;
    return add_str(m, key, len, h, value);
}

size_t kmt_map_insert_u64(kmt_map *m, uint64_t key, int64_t value, int *added)
{
    assert(m->kind == KIND_NONE || m->kind == KIND_U64);
    if (m->n) {
        size_t j = probe_u64(m, key);
        if (m->slot[j]) {
            if (added) *added = 0;
            return m->slot[j] - 1;
        }
    }
    if (added) *added = 1;
    return add_u64(m, key, value);
}

/* The slot hash of C string s, and its length, in one pass. */
static inline uint64_t cstr_hash(const char *s, size_t *len)
{
    const unsigned char *b = (const unsigned char *)s;
    uint64_t h = KMT_HASH_SEED;
    for (; *b; b++) h = (h ^ *b) * FNV_PRIME;
    *len = (size_t)(b - (const unsigned char *)s);
    return h ^ (h >> 32);
}

int kmt_map_get_str(const kmt_map *m, const char *key, int64_t *value)
{
    if (!m->n) return KMT_ENOTFOUND;
    assert(m->kind == KIND_STR);
    size_t len;
    uint64_t h = cstr_hash(key, &len);
    size_t j = probe_str(m, key, len, h);
    if (!m->slot[j]) return KMT_ENOTFOUND;
    *value = m->ent[m->slot[j] - 1].value;
    return 0;
}

int kmt_map_get_u64(const kmt_map *m, uint64_t key, int64_t *value)
{
    size_t i = kmt_map_find_u64(m, key);
    if (i == KMT_MAP_NONE) return KMT_ENOTFOUND;
    *value = m->ent[i].value;
    return 0;
}

void kmt_map_put_str(kmt_map *m, const char *key, int64_t value)
{
    size_t i = kmt_map_insert_str(m, key, strlen(key), value, NULL);
    m->ent[i].value = value;
}

void kmt_map_put_u64(kmt_map *m, uint64_t key, int64_t value)
{
    size_t i = kmt_map_insert_u64(m, key, value, NULL);
    m->ent[i].value = value;
}
