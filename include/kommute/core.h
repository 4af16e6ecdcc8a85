/* SPDX-License-Identifier: MPL-2.0 */
/*
 * kommute core: the error type, allocation wrappers, growable arrays and
 * buffers, the hash function, the hash map, the stable sort, logging,
 * progress reporting and clocks. Uses libc only.
 */
#ifndef KOMMUTE_CORE_H
#define KOMMUTE_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KMT_VERSION "0.1.0"

#if defined(__GNUC__)
#define KMT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define KMT_NORETURN __attribute__((noreturn))
#else
#define KMT_PRINTF(a, b)
#define KMT_NORETURN
#endif

/* Result codes: 0 is success, failures are negative. */
enum {
    KMT_OK = 0,
    KMT_EINVAL = -1,    /* bad input: malformed file, value out of range */
    KMT_EIO = -2,       /* a file could not be opened, read or written */
    KMT_ENOMEM = -3,    /* out of memory */
    KMT_ETOOBIG = -4,   /* a size given by the user is over a limit */
    KMT_ECORRUPT = -5,  /* checksum or structure of a binary file is wrong */
    KMT_EVERSION = -6,  /* file written by an incompatible version */
    KMT_ENOTFOUND = -7, /* e.g. no road near a coordinate */
    KMT_EUSAGE = -8,    /* command line misuse */
    KMT_EUNREACH = -9,  /* no path between two points */
    KMT_EINTERNAL = -10, /* a bug: an invariant did not hold */
    KMT_EAUTH = -11,     /* no valid credentials (HTTP 401) */
    KMT_EDENIED = -12,   /* credentials valid, the role or municipality does not allow it (HTTP 403) */
    KMT_ECONFLICT = -13  /* the row changed since it was read, or already exists (HTTP 409) */
};

/* Exit codes of the kommute binary. */
enum { KMT_EXIT_OK = 0, KMT_EXIT_INPUT = 1, KMT_EXIT_USAGE = 2 };

/*
 * One error type for the whole code base: a code plus a message that names
 * the input (file, line, column, field, value) and what was expected.
 * Callers own the struct (usually on the stack); kmt_error_init() clears it.
 */
typedef struct kmt_error {
    int code;       /* KMT_E* or KMT_OK */
    char file[256]; /* input file, "" if none */
    long line;      /* 1-based line, 0 if not applicable */
    long column;    /* 1-based column, 0 if not applicable */
    char field[64]; /* field or column name, "" if none */
    char msg[768];  /* what was wrong and what was expected */
} kmt_error;

void kmt_error_init(kmt_error *e);
/* Set code and message (printf-style). Returns code, for `return kmt_error_set(...)`.
 * e may be NULL, then only the code is returned. */
int kmt_error_set(kmt_error *e, int code, const char *fmt, ...) KMT_PRINTF(3, 4);
/* As kmt_error_set, also naming the place in the input. file/field may be NULL. */
int kmt_error_at(kmt_error *e, int code, const char *file, long line, long column, const char *field, const char *fmt,
                 ...) KMT_PRINTF(7, 8);
/* Format "file:line:column: field 'f': message" into buf; returns buf. */
const char *kmt_error_format(const kmt_error *e, char *buf, size_t n);
/* Short name of a code: "invalid input", "i/o error", ... */
const char *kmt_strerror(int code);
/* Map an error code to the binary's exit code (1 bad input, 2 usage). */
int kmt_error_exit_code(int code);

/* Allocation that aborts with a message on out-of-memory (small, internal sizes).
 * Sizes that come from users must be checked with kmt_mul_overflow first. */
void *kmt_malloc(size_t n);
void *kmt_calloc(size_t n, size_t size);
void *kmt_realloc(void *p, size_t n);
char *kmt_strdup(const char *s);
void kmt_free(void *p); /* free(NULL) is a no-op */
/* Returns 1 if a*b overflows size_t (and leaves *out unset), else 0. */
int kmt_mul_overflow(size_t a, size_t b, size_t *out);

/* Growable array of any element type: struct { T *v; size_t n, cap; }.
 * KMT_VEC_PUSH may move v: pointers into it become invalid. */
#define KMT_VEC(T)                                                                                                     \
    struct {                                                                                                           \
        T *v;                                                                                                          \
        size_t n, cap;                                                                                                 \
    }
#define KMT_VEC_RESERVE(a, want)                                                                                       \
    do {                                                                                                               \
        if ((want) > (a).cap) {                                                                                        \
            size_t nc_ = (a).cap ? (a).cap : 16;                                                                       \
            while (nc_ < (want)) nc_ *= 2;                                                                             \
            (a).v = kmt_realloc((a).v, nc_ * sizeof(*(a).v));                                                          \
            (a).cap = nc_;                                                                                             \
        }                                                                                                              \
    } while (0)
#define KMT_VEC_PUSH(a, x)                                                                                             \
    do {                                                                                                               \
        KMT_VEC_RESERVE(a, (a).n + 1);                                                                                 \
        (a).v[(a).n++] = (x);                                                                                          \
    } while (0)
#define KMT_VEC_FREE(a)                                                                                                \
    do {                                                                                                               \
        kmt_free((a).v);                                                                                               \
        (a).v = NULL;                                                                                                  \
        (a).n = (a).cap = 0;                                                                                           \
    } while (0)

/* Arena: bump allocation, freed all at once. Blocks are never moved, so
 * pointers stay valid until kmt_arena_destroy. */
typedef struct kmt_arena_block kmt_arena_block;
typedef struct kmt_arena {
    kmt_arena_block *head;
    size_t block_size;
} kmt_arena;
void kmt_arena_init(kmt_arena *a, size_t block_size);
void *kmt_arena_alloc(kmt_arena *a, size_t n); /* 16-byte aligned, zeroed */
char *kmt_arena_strdup(kmt_arena *a, const char *s);
void kmt_arena_destroy(kmt_arena *a);

/* Growable byte buffer, always NUL-terminated once anything was put (data is
 * NULL before that). Caller-owned: `kmt_buf b; kmt_buf_init(&b);` (or `= {0}`),
 * released with kmt_buf_destroy. Appending may move data: pointers into it become
 * invalid. Out of memory aborts (kmt_malloc). Not thread-safe per buffer. */
typedef struct kmt_buf {
    char *data; /* the bytes, NUL-terminated; NULL while empty */
    size_t len; /* bytes used, the terminator not counted */
    size_t cap; /* bytes allocated */
} kmt_buf;

void kmt_buf_init(kmt_buf *b);
/* Frees the bytes and leaves b empty (as after kmt_buf_init). */
void kmt_buf_destroy(kmt_buf *b);
/* Make room for `extra` more bytes (plus the terminator). */
void kmt_buf_reserve(kmt_buf *b, size_t extra);
void kmt_buf_put(kmt_buf *b, const char *s, size_t n);
void kmt_buf_puts(kmt_buf *b, const char *s);
void kmt_buf_printf(kmt_buf *b, const char *fmt, ...) KMT_PRINTF(2, 3);

/*
 * The hash function: 64-bit FNV-1a over bytes, finished by a 64-bit mixer.
 * The values are part of the on-disk format (the store's natural keys are
 * built with kmt_hash_bytes and kmt_hash_mix), so they never change.
 * Pure functions, thread-safe.
 */
#define KMT_HASH_SEED 0xcbf29ce484222325ull /* FNV-1a 64 offset basis */
/* FNV-1a of n bytes at p, continuing from h (KMT_HASH_SEED to start): feeding
 * "ab" then "c" gives the same as "abc". p may be NULL when n is 0. */
uint64_t kmt_hash_bytes(uint64_t h, const void *p, size_t n);
/* Mix all 64 bits into all 64 (splitmix64's finaliser); a bijection. */
uint64_t kmt_hash_mix(uint64_t x);
/* kmt_hash_mix(kmt_hash_bytes(KMT_HASH_SEED, p, n)). */
uint64_t kmt_hash(const void *p, size_t n);

/*
 * Hash map from keys to int64_t values. A map holds either string keys
 * (byte strings of any length, NUL bytes allowed) or 64-bit integer keys,
 * fixed by its first insertion; mixing the two is a bug (asserted).
 * String keys are COPIED into the map on insertion (the caller's key may be
 * a temporary); the copies are NUL-terminated and live until
 * kmt_map_destroy. Values are plain integers: store an index into your own
 * array for anything larger.
 *
 * Entries are kept in insertion order in `ent`; an entry's index in that
 * array never changes (there is no removal), so it can serve as a dense id,
 * and iteration is `for (size_t i = 0; i < m->n; i++) m->ent[i]...`, in
 * insertion order, the same on every machine. Lookup is open addressing
 * with linear probing over a power-of-two slot table at most half full; it
 * doubles as it fills. Slots come from kmt_hash_bytes with its high half
 * folded in (string keys) or kmt_hash_mix (integer keys). Inserting may move `ent`: pointers into it (&ent[i].value)
 * become invalid, indices stay valid. Out of memory aborts (kmt_malloc).
 * Caller-owned: `kmt_map m = {0};` or kmt_map_init is an empty map; release
 * with kmt_map_destroy. Reading from several threads is safe; writing is not.
 */
#define KMT_MAP_NONE ((size_t)-1) /* "absent", from the find functions */

typedef struct kmt_map_entry {
    const char *str; /* string key: the map's NUL-terminated copy; NULL for integer keys */
    size_t len;      /* string key: its length in bytes */
    uint64_t key;    /* integer key; for string keys their hash (FNV-1a, folded) */
    int64_t value;
} kmt_map_entry;

typedef struct kmt_map {
    kmt_map_entry *ent; /* [n], in insertion order (read-only for callers but .value) */
    size_t n;           /* number of entries */
    size_t ecap;        /* entries allocated */
    uint32_t *slot;     /* [cap]: entry index + 1, 0 for an empty slot */
    size_t cap;         /* slots, a power of two (0 before the first insertion) */
    int kind;           /* 0 empty, 1 string keys, 2 integer keys */
    kmt_arena keys;     /* the copies of string keys */
} kmt_map;

void kmt_map_init(kmt_map *m);
/* Frees entries, slots and key copies; m is then empty again. */
void kmt_map_destroy(kmt_map *m);
/* Make room for n entries in all without growing again. */
void kmt_map_reserve(kmt_map *m, size_t n);
/* Index in ent of the key (len bytes at key), or KMT_MAP_NONE. */
size_t kmt_map_find_str(const kmt_map *m, const void *key, size_t len);
size_t kmt_map_find_u64(const kmt_map *m, uint64_t key);
/* Find-or-insert: the index of the key's entry; a new entry gets `value`.
 * *added (may be NULL) is set to 1 if the key was new, else 0 (the stored
 * value is then left as it is). */
size_t kmt_map_insert_str(kmt_map *m, const void *key, size_t len, int64_t value, int *added);
size_t kmt_map_insert_u64(kmt_map *m, uint64_t key, int64_t value, int *added);
/* Get: 0 and *value set, or KMT_ENOTFOUND (*value untouched). key is a C string. */
int kmt_map_get_str(const kmt_map *m, const char *key, int64_t *value);
int kmt_map_get_u64(const kmt_map *m, uint64_t key, int64_t *value);
/* Put: insert, or overwrite the value of an existing key. key is a C string. */
void kmt_map_put_str(kmt_map *m, const char *key, int64_t value);
void kmt_map_put_u64(kmt_map *m, uint64_t key, int64_t value);

/*
 * Stable sort of n elements of `size` bytes at base: cmp(a, b, ctx) < 0 when
 * a must come before b, 0 when either order will do; elements that compare
 * equal keep their order. Merge sort: O(n log n) comparisons, n * size bytes
 * of scratch (kmt_malloc: out of memory aborts). The usual use is keyed:
 * sort an array of indices with a comparator that looks up their keys in ctx.
 * Thread-safe if cmp is.
 */
typedef int (*kmt_cmp_fn)(const void *a, const void *b, void *ctx);
void kmt_sort_stable(void *base, size_t n, size_t size, kmt_cmp_fn cmp, void *ctx);

/* Logging: one line per call to stderr, level checked first. */
enum { KMT_LOG_ERROR = 0, KMT_LOG_WARN = 1, KMT_LOG_INFO = 2, KMT_LOG_DEBUG = 3 };
extern int kmt_log_level;
void kmt_log_write(int level, const char *fmt, ...) KMT_PRINTF(2, 3);
#define KMT_LOG(level, ...)                                                                                            \
    do {                                                                                                               \
        if ((level) <= kmt_log_level) kmt_log_write((level), __VA_ARGS__);                                             \
    } while (0)

/* Progress of a long phase on stderr, only when stderr is a terminal (or when
 * forced with kmt_progress_force). A NULL or disabled progress costs a branch. */
typedef struct kmt_progress {
    const char *phase;
    uint64_t total, done;
    double started, last_print;
    int enabled;
} kmt_progress;
void kmt_progress_force(int on); /* -1 auto (isatty), 0 off, 1 on */
void kmt_progress_begin(kmt_progress *p, const char *phase, uint64_t total);
void kmt_progress_step(kmt_progress *p, uint64_t done);
void kmt_progress_end(kmt_progress *p);

/* Clocks in seconds. */
double kmt_now_monotonic(void);
double kmt_now_cpu(void);        /* this process, all threads */
double kmt_now_thread_cpu(void); /* the calling thread */
/* Peak resident set size of this process in kB (0 if unknown). */
long kmt_peak_rss_kb(void);

/* Small deterministic random numbers (splitmix64 seeded xoshiro256**). */
typedef struct kmt_rng {
    uint64_t s[4];
} kmt_rng;
void kmt_rng_seed(kmt_rng *r, uint64_t seed);
uint64_t kmt_rng_next(kmt_rng *r);
/* Uniform in [0, n), n > 0. */
uint64_t kmt_rng_below(kmt_rng *r, uint64_t n);
/* Uniform in [0, 1). */
double kmt_rng_double(kmt_rng *r);

/* Whole file into memory (NUL-terminated); returns 0 or KMT_EIO with e set. */
int kmt_read_file(const char *path, char **data, size_t *len, kmt_error *e);
/* Longest file path accepted by the file helpers (bytes, with the NUL). */
#define KMT_PATH_MAX 4096

/*
 * Atomic, private write of an output file. The content goes to a temporary
 * file created safely in the target's folder, mode 0600 whatever the umask:
 * an unnamed O_TMPFILE file where the file system supports it (it leaves
 * nothing behind even on SIGKILL), otherwise a fresh mkstemp name
 * PATH.tmp.XXXXXX (removed on failure and on SIGINT/SIGTERM). Symlinks at
 * temporary names are never followed; a symlink at PATH itself is replaced,
 * not written through. The file is fsynced and renamed over PATH, then the
 * folder is fsynced. The callback writes the content; on its failure
 * (non-zero) nothing is left and PATH is unchanged. Returns 0 or a KMT_E*
 * code with e naming PATH.
 */
int kmt_write_file_atomic(const char *path, int (*write_fn)(FILE *f, void *ctx), void *ctx, kmt_error *e);
/* Create PATH as an empty file of mode 0600 (O_EXCL, a symlink is not
 * followed), for files another library then opens (a SQLite database: its
 * -wal, -shm and -journal files take the database's mode). Returns 1 when
 * created, 0 when PATH already exists, KMT_EIO with e set otherwise. */
int kmt_create_private(const char *path, kmt_error *e);

#endif
