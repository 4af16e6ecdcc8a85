/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "kommute/core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* ---- errors ---------------------------------------------------------- */

void kmt_error_init(kmt_error *e)
{
    if (e) memset(e, 0, sizeof *e);
}

static void error_vset(kmt_error *e, int code, const char *fmt, va_list ap)
{
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int kmt_error_set(kmt_error *e, int code, const char *fmt, ...)
{
    if (!e) return code;
    va_list ap;
    va_start(ap, fmt);
    error_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int kmt_error_at(kmt_error *e, int code, const char *file, long line, long column,
                 const char *field, const char *fmt, ...)
{
    if (!e) return code;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    e->line = line;
    e->column = column;
    va_list ap;
    va_start(ap, fmt);
    error_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

const char *kmt_error_format(const kmt_error *e, char *buf, size_t n)
{
    size_t off = 0;
    buf[0] = '\0';
    if (e->file[0]) {
        off += (size_t)snprintf(buf + off, n - off, "%s", e->file);
        if (e->line > 0 && off < n) off += (size_t)snprintf(buf + off, n - off, ":%ld", e->line);
        if (e->column > 0 && off < n) off += (size_t)snprintf(buf + off, n - off, ":%ld", e->column);
        if (off < n) off += (size_t)snprintf(buf + off, n - off, ": ");
    }
    if (e->field[0] && off < n) off += (size_t)snprintf(buf + off, n - off, "field '%s': ", e->field);
    if (off < n) snprintf(buf + off, n - off, "%s", e->msg[0] ? e->msg : kmt_strerror(e->code));
    return buf;
}

const char *kmt_strerror(int code)
{
    switch (code) {
    case KMT_OK: return "ok";
    case KMT_EINVAL: return "invalid input";
    case KMT_EIO: return "i/o error";
    case KMT_ENOMEM: return "out of memory";
    case KMT_ETOOBIG: return "too big";
    case KMT_ECORRUPT: return "corrupt file";
    case KMT_EVERSION: return "incompatible version";
    case KMT_ENOTFOUND: return "not found";
    case KMT_EUSAGE: return "usage error";
    case KMT_EUNREACH: return "unreachable";
    default: return "internal error";
    }
}

int kmt_error_exit_code(int code)
{
    if (code == KMT_OK) return KMT_EXIT_OK;
    if (code == KMT_EUSAGE) return KMT_EXIT_USAGE;
    return KMT_EXIT_INPUT;
}

/* ---- memory ---------------------------------------------------------- */

static KMT_NORETURN void oom(size_t n)
{
    fprintf(stderr, "kommute: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *kmt_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *kmt_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *kmt_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *kmt_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = kmt_malloc(n);
    memcpy(d, s, n);
    return d;
}

void kmt_free(void *p)
{
    free(p);
}

int kmt_mul_overflow(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_mul_overflow(a, b, &r)) return 1;
    *out = r;
    return 0;
}

/* ---- arena ----------------------------------------------------------- */

struct kmt_arena_block {
    kmt_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void kmt_arena_init(kmt_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 65536;
}

void *kmt_arena_alloc(kmt_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    kmt_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > a->block_size ? n : a->block_size;
        b = kmt_malloc(sizeof *b + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *kmt_arena_strdup(kmt_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = kmt_arena_alloc(a, n);
    memcpy(d, s, n);
    return d;
}

void kmt_arena_destroy(kmt_arena *a)
{
    kmt_arena_block *b = a->head;
    while (b) {
        kmt_arena_block *next = b->next;
        kmt_free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---- logging and progress ------------------------------------------- */

int kmt_log_level = KMT_LOG_WARN;

void kmt_log_write(int level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warning", "info", "debug"};
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "kommute: %s: %s\n", names[level < 0 ? 0 : level > 3 ? 3 : level], buf);
}

static int progress_mode = -1;

void kmt_progress_force(int on)
{
    progress_mode = on;
}

void kmt_progress_begin(kmt_progress *p, const char *phase, uint64_t total)
{
    p->phase = phase;
    p->total = total;
    p->done = 0;
    p->started = kmt_now_monotonic();
    p->last_print = 0;
    p->enabled = progress_mode == -1 ? isatty(STDERR_FILENO) : progress_mode;
    if (p->enabled) {
        fprintf(stderr, "\r%-28s ...", phase);
        fflush(stderr);
    }
}

void kmt_progress_step(kmt_progress *p, uint64_t done)
{
    if (!p || !p->enabled) return;
    p->done = done;
    double t = kmt_now_monotonic();
    if (t - p->last_print < 0.2) return;
    p->last_print = t;
    if (p->total)
        fprintf(stderr, "\r%-28s %5.1f%%", p->phase, 100.0 * (double)done / (double)p->total);
    else
        fprintf(stderr, "\r%-28s %llu", p->phase, (unsigned long long)done);
    fflush(stderr);
}

void kmt_progress_end(kmt_progress *p)
{
    if (!p || !p->enabled) return;
    fprintf(stderr, "\r%-28s done in %.2f s\n", p->phase, kmt_now_monotonic() - p->started);
}

/* ---- clocks ---------------------------------------------------------- */

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double kmt_now_monotonic(void) { return clock_seconds(CLOCK_MONOTONIC); }

double kmt_now_cpu(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

double kmt_now_thread_cpu(void) { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

long kmt_peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return ru.ru_maxrss;
}

/* ---- random numbers -------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    return kmt_hash_mix(*x += 0x9e3779b97f4a7c15ULL);
}

void kmt_rng_seed(kmt_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t kmt_rng_next(kmt_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t kmt_rng_below(kmt_rng *r, uint64_t n)
{
    /* Lemire's multiply-shift with rejection: unbiased. */
    uint64_t x = kmt_rng_next(r);
    __extension__ typedef unsigned __int128 u128;
    u128 m = (u128)x * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = -n % n;
        while (l < t) {
            x = kmt_rng_next(r);
            m = (u128)x * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double kmt_rng_double(kmt_rng *r)
{
    return (double)(kmt_rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- files ----------------------------------------------------------- */

int kmt_read_file(const char *path, char **data, size_t *len, kmt_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = kmt_malloc(cap);
    for (;;) {
        if (n + 1 >= cap) buf = kmt_realloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        kmt_free(buf);
        return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "read failed");
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return KMT_OK;
}

int kmt_write_file_atomic(const char *path, int (*write_fn)(FILE *f, void *ctx), void *ctx,
                          kmt_error *e)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot create %s: %s", tmp, strerror(errno));
    int rc = write_fn(f, ctx);
    if (rc == 0 && fflush(f) != 0) rc = KMT_EIO;
    if (rc == 0 && fsync(fileno(f)) != 0) rc = KMT_EIO;
    if (fclose(f) != 0 && rc == 0) rc = KMT_EIO;
    if (rc == 0 && rename(tmp, path) != 0) rc = KMT_EIO;
    if (rc != 0) {
        remove(tmp);
        if (e && e->code == KMT_OK) kmt_error_at(e, rc, path, 0, 0, NULL, "write failed: %s", strerror(errno));
        return rc < 0 ? rc : KMT_EIO;
    }
    return KMT_OK;
}
