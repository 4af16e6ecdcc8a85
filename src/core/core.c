/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "kommute/core.h"
#include "core/core_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

int kmt_error_at(kmt_error *e, int code, const char *file, long line, long column, const char *field, const char *fmt,
                 ...)
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
    case KMT_EAUTH: return "not authenticated";
    case KMT_EDENIED: return "not allowed";
    case KMT_ECONFLICT: return "conflict";
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
    static const char *names[] = { "error", "warning", "info", "debug" };
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

double kmt_now_monotonic(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

double kmt_now_cpu(void)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

double kmt_now_thread_cpu(void)
{
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

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

/* Temporary files of writes in progress, removed by the signal handler on
 * SIGINT/SIGTERM (only names that exist on disk: the mkstemp fall-back, or
 * the moment between linking an O_TMPFILE file and renaming it). */
#define TMP_SLOTS 16
static char tmp_names[TMP_SLOTS][KMT_PATH_MAX];
static atomic_int tmp_used[TMP_SLOTS];
static struct sigaction old_int, old_term;
static pthread_once_t tmp_once = PTHREAD_ONCE_INIT;

static void tmp_on_signal(int sig)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&tmp_used[i]) == 2) unlink(tmp_names[i]);
    const struct sigaction *old = sig == SIGINT ? &old_int : &old_term;
    if (old->sa_handler == SIG_IGN) return;
    if (old->sa_handler == SIG_DFL || (old->sa_flags & SA_SIGINFO)) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    old->sa_handler(sig);
}

static void tmp_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tmp_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, NULL, &old_int);
    sigaction(SIGTERM, NULL, &old_term);
    /* a process that ignores the signal keeps ignoring it */
    if (old_int.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, NULL);
    if (old_term.sa_handler != SIG_IGN) sigaction(SIGTERM, &sa, NULL);
}

/* Take a slot for a temporary name (-1 when all are busy: then the name is
 * not cleaned up on a signal, the write still works). */
static int tmp_register(const char *name)
{
    pthread_once(&tmp_once, tmp_install);
    for (int i = 0; i < TMP_SLOTS; i++) {
        int expect = 0;
        if (atomic_compare_exchange_strong(&tmp_used[i], &expect, 1)) {
            snprintf(tmp_names[i], sizeof tmp_names[i], "%s", name);
            atomic_store(&tmp_used[i], 2);
            return i;
        }
    }
    return -1;
}

static void tmp_release(int slot)
{
    if (slot >= 0) atomic_store(&tmp_used[slot], 0);
}

/* The folder of path ("." when it has none) into dir (size n); 0 or -1 when too long. */
static int dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return snprintf(dir, n, ".") < (int)n ? 0 : -1;
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    if (len + 1 > n) return -1;
    memcpy(dir, path, len);
    dir[len] = '\0';
    return 0;
}

int kmt__write_file_atomic_mode(const char *path, int (*write_fn)(FILE *f, void *ctx), void *ctx, int no_tmpfile,
                                kmt_error *e)
{
    char dir[KMT_PATH_MAX], tmp[KMT_PATH_MAX];
    if (strlen(path) + 32 >= sizeof tmp || dir_of(path, dir, sizeof dir))
        return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "output path too long");
    int fd = -1, anonymous = 0;
#ifdef O_TMPFILE
    /* An unnamed file in the target folder: nothing is left behind if the
     * process dies, and no name exists that a planted symlink could take.
     * It gets a name through /proc/self/fd, so that must be there. */
    if (!no_tmpfile && access("/proc/self/fd", X_OK) == 0) {
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0)
            anonymous = 1;
        else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
            return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot create a file in %s: %s", dir, strerror(errno));
    }
#endif
    int slot = -1;
    if (fd < 0) {
        /* fall-back: a fresh name created with O_EXCL (mkstemp, mode 0600) */
        snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
        fd = mkstemp(tmp);
        if (fd < 0)
            return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot create a temporary file in %s: %s", dir,
                                strerror(errno));
        slot = tmp_register(tmp);
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        if (!anonymous) unlink(tmp);
        tmp_release(slot);
        return kmt_error_at(e, KMT_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    int rc = write_fn(f, ctx), err = 0;
    if (rc == 0 && fflush(f) != 0) rc = KMT_EIO, err = errno;
    if (rc == 0 && fsync(fd) != 0) rc = KMT_EIO, err = errno;
    if (rc == 0 && anonymous) {
        /* name it: a unique name next to the target (linkat never replaces
         * an existing name), then rename over the target */
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        static atomic_uint counter;
        for (int tries = 0;; tries++) {
            snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%u", path, (long)getpid(), atomic_fetch_add(&counter, 1));
            slot = tmp_register(tmp);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) break;
            err = errno;
            tmp_release(slot);
            slot = -1;
            if (err != EEXIST || tries == 100) {
                rc = KMT_EIO;
                break;
            }
        }
        if (rc == 0) anonymous = 0; /* from here on it has a name */
    }
    if (fclose(f) != 0 && rc == 0) rc = KMT_EIO, err = errno;
    if (rc == 0 && rename(tmp, path) != 0) rc = KMT_EIO, err = errno;
    if (rc == 0) {
        /* the rename itself on disk */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    } else if (!anonymous) {
        unlink(tmp);
    }
    tmp_release(slot);
    if (rc != 0) {
        if (e && e->code == KMT_OK)
            kmt_error_at(e, rc, path, 0, 0, NULL, "write failed%s%s", err ? ": " : "", err ? strerror(err) : "");
        return rc < 0 ? rc : KMT_EIO;
    }
    return KMT_OK;
}

int kmt_write_file_atomic(const char *path, int (*write_fn)(FILE *f, void *ctx), void *ctx, kmt_error *e)
{
    return kmt__write_file_atomic_mode(path, write_fn, ctx, 0, e);
}

int kmt_create_private(const char *path, kmt_error *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return 1;
    }
    if (errno == EEXIST) return 0;
    return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
}
