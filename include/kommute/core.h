/* SPDX-License-Identifier: MPL-2.0 */
/*
 * kommute core: the error type, allocation wrappers, growable arrays,
 * logging, progress reporting and clocks. Uses libc only.
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
    KMT_EINVAL = -1,     /* bad input: malformed file, value out of range */
    KMT_EIO = -2,        /* a file could not be opened, read or written */
    KMT_ENOMEM = -3,     /* out of memory */
    KMT_ETOOBIG = -4,    /* a size given by the user is over a limit */
    KMT_ECORRUPT = -5,   /* checksum or structure of a binary file is wrong */
    KMT_EVERSION = -6,   /* file written by an incompatible version */
    KMT_ENOTFOUND = -7,  /* e.g. no road near a coordinate */
    KMT_EUSAGE = -8,     /* command line misuse */
    KMT_EUNREACH = -9,   /* no path between two points */
    KMT_EINTERNAL = -10  /* a bug: an invariant did not hold */
};

/* Exit codes of the kommute binary. */
enum { KMT_EXIT_OK = 0, KMT_EXIT_INPUT = 1, KMT_EXIT_USAGE = 2 };

/*
 * One error type for the whole code base: a code plus a message that names
 * the input (file, line, column, field, value) and what was expected.
 * Callers own the struct (usually on the stack); kmt_error_init() clears it.
 */
typedef struct kmt_error {
    int code;         /* KMT_E* or KMT_OK */
    char file[256];   /* input file, "" if none */
    long line;        /* 1-based line, 0 if not applicable */
    long column;      /* 1-based column, 0 if not applicable */
    char field[64];   /* field or column name, "" if none */
    char msg[768];    /* what was wrong and what was expected */
} kmt_error;

void kmt_error_init(kmt_error *e);
/* Set code and message (printf-style). Returns code, for `return kmt_error_set(...)`.
 * e may be NULL, then only the code is returned. */
int kmt_error_set(kmt_error *e, int code, const char *fmt, ...) KMT_PRINTF(3, 4);
/* As kmt_error_set, also naming the place in the input. file/field may be NULL. */
int kmt_error_at(kmt_error *e, int code, const char *file, long line, long column,
                 const char *field, const char *fmt, ...) KMT_PRINTF(7, 8);
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
#define KMT_VEC(T) struct { T *v; size_t n, cap; }
#define KMT_VEC_RESERVE(a, want)                                                   \
    do {                                                                           \
        if ((want) > (a).cap) {                                                    \
            size_t nc_ = (a).cap ? (a).cap : 16;                                   \
            while (nc_ < (want)) nc_ *= 2;                                         \
            (a).v = kmt_realloc((a).v, nc_ * sizeof(*(a).v));                      \
            (a).cap = nc_;                                                         \
        }                                                                          \
    } while (0)
#define KMT_VEC_PUSH(a, x)                                                         \
    do {                                                                           \
        KMT_VEC_RESERVE(a, (a).n + 1);                                             \
        (a).v[(a).n++] = (x);                                                      \
    } while (0)
#define KMT_VEC_FREE(a)                                                            \
    do {                                                                           \
        kmt_free((a).v);                                                           \
        (a).v = NULL;                                                              \
        (a).n = (a).cap = 0;                                                       \
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

/* Logging: one line per call to stderr, level checked first. */
enum { KMT_LOG_ERROR = 0, KMT_LOG_WARN = 1, KMT_LOG_INFO = 2, KMT_LOG_DEBUG = 3 };
extern int kmt_log_level;
void kmt_log_write(int level, const char *fmt, ...) KMT_PRINTF(2, 3);
#define KMT_LOG(level, ...)                                                        \
    do {                                                                           \
        if ((level) <= kmt_log_level) kmt_log_write((level), __VA_ARGS__);          \
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
typedef struct kmt_rng { uint64_t s[4]; } kmt_rng;
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
int kmt_write_file_atomic(const char *path, int (*write_fn)(FILE *f, void *ctx), void *ctx,
                          kmt_error *e);
/* Create PATH as an empty file of mode 0600 (O_EXCL, a symlink is not
 * followed), for files another library then opens (a SQLite database: its
 * -wal, -shm and -journal files take the database's mode). Returns 1 when
 * created, 0 when PATH already exists, KMT_EIO with e set otherwise. */
int kmt_create_private(const char *path, kmt_error *e);

#endif
