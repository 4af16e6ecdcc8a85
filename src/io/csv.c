/* SPDX-License-Identifier: MPL-2.0 */
/*
 * CSV reader: the whole file in one buffer (converted to UTF-8 when it is
 * Windows-1252), records parsed in place (quotes undone, fields NUL-
 * terminated), so a record costs no allocation.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io_int.h"
#include "kommute/csv.h"

struct kmt_csv {
    char *buf; /* whole text, UTF-8, NUL-terminated; modified in place */
    size_t len;
    char *p; /* next unread byte */
    char *end;
    long line;     /* line of p (1-based) */
    long rec_line; /* line where the current record starts */
    char delim;
    int cp1252;
    char path[256];
    char **header;
    size_t ncols;
    char **fields;
    size_t nfields, cap;
};

/* ---- encoding -------------------------------------------------------------- */

static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* fast skip of ASCII, 8 bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int k;
        if (c >= 0xc2 && c <= 0xdf)
            k = 1;
        else if (c >= 0xe0 && c <= 0xef)
            k = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            k = 3;
        else
            return 0;
        for (int j = 1; j <= k; j++)
            if (i + (size_t)j >= n || (s[i + (size_t)j] & 0xc0) != 0x80) return 0;
        if (c == 0xe0 && s[i + 1] < 0xa0) return 0;  /* overlong */
        if (c == 0xed && s[i + 1] >= 0xa0) return 0; /* surrogates */
        if (c == 0xf0 && s[i + 1] < 0x90) return 0;
        if (c == 0xf4 && s[i + 1] >= 0x90) return 0;
        i += (size_t)k + 1;
    }
    return 1;
}

/* Unicode code points of CP1252 bytes 0x80-0x9F (0 = undefined: kept as U+FFFD). */
static const unsigned short cp1252_hi[32] = { 0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                              0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                              0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                              0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178 };

static char *cp1252_to_utf8(const unsigned char *s, size_t n, size_t *outlen)
{
    char *o = kmt_malloc(n * 3 + 1), *w = o;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c < 0x80) {
            *w++ = (char)c;
            continue;
        }
        unsigned u = c >= 0xa0 ? c : cp1252_hi[c - 0x80];
        if (!u) u = 0xFFFD;
        if (u < 0x800) {
            *w++ = (char)(0xc0 | (u >> 6));
            *w++ = (char)(0x80 | (u & 0x3f));
        } else {
            *w++ = (char)(0xe0 | (u >> 12));
            *w++ = (char)(0x80 | ((u >> 6) & 0x3f));
            *w++ = (char)(0x80 | (u & 0x3f));
        }
    }
    *w = '\0';
    *outlen = (size_t)(w - o);
    return o;
}

/* ---- records --------------------------------------------------------------- */

static void push_field(kmt_csv *c, char *f)
{
    if (c->nfields == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->fields = kmt_realloc(c->fields, c->cap * sizeof *c->fields);
    }
    c->fields[c->nfields++] = f;
}

static char *trim(char *s, char *e)
{
    while (s < e && (*s == ' ' || *s == '\t')) s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
    *e = '\0';
    return s;
}

/* Parse one record at c->p into c->fields. Returns 1, 0 at end, or KMT_EINVAL. */
static int parse_record(kmt_csv *c, kmt_error *e)
{
    char *p = c->p, *end = c->end;
    const char d = c->delim;
    /* skip blank lines */
    for (;;) {
        char *q = p;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
        if (q < end && *q == '\n') {
            p = q + 1;
            c->line++;
            continue;
        }
        if (q >= end) {
            c->p = end;
            return 0;
        }
        break;
    }
    c->rec_line = c->line;
    c->nfields = 0;
    for (;;) {
        char *s = p;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (p < end && *p == '"') {
            long qline = c->line;
            char *w = p, *r = p + 1;
            char *fs = w;
            for (;;) {
                if (r >= end)
                    return kmt_error_at(e, KMT_EINVAL, c->path, qline, (long)c->nfields + 1, NULL,
                                        "a quoted field is never closed (missing '\"')");
                if (*r == '"') {
                    if (r + 1 < end && r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                if (*r == '\n') c->line++;
                *w++ = *r++;
            }
            char *fe = w;
            while (r < end && (*r == ' ' || *r == '\t')) r++;
            if (r < end && *r != d && *r != '\n' && *r != '\r') {
                const char *name = c->nfields < c->ncols ? c->header[c->nfields] : NULL;
                return kmt_error_at(e, KMT_EINVAL, c->path, c->line, (long)c->nfields + 1, name,
                                    "text after the closing quote of a field");
            }
            /* trim inside the quotes too */
            push_field(c, trim(fs, fe));
            p = r;
            if (p < end && *p == '\r') p++;
        } else {
            p = s;
            char *q = p;
            while (q < end && *q != d && *q != '\n') q++;
            char *fe = q;
            if (fe > p && fe[-1] == '\r' && (q >= end || *q == '\n')) fe--;
            char stop = q < end ? *q : '\n';
            push_field(c, trim(p, fe)); /* may overwrite *q */
            if (q >= end) {
                p = q;
                break;
            }
            p = q + 1;
            if (stop == d) continue;
            c->line++;
            break;
        }
        if (p >= end) break;
        if (*p == d) {
            p++;
            continue;
        }
        if (*p == '\n') {
            p++;
            c->line++;
            break;
        }
    }
    c->p = p;
    return 1;
}

static void sniff(kmt_csv *c)
{
    const char cands[] = { ',', ';', '\t', '|' };
    size_t best = 0, bestn = 0;
    int inq = 0;
    size_t counts[4] = { 0 };
    for (const char *p = c->buf; p < c->end; p++) {
        if (*p == '"')
            inq = !inq;
        else if (!inq && *p == '\n')
            break;
        else if (!inq)
            for (size_t i = 0; i < 4; i++)
                if (*p == cands[i]) counts[i]++;
    }
    for (size_t i = 0; i < 4; i++)
        if (counts[i] > bestn) bestn = counts[i], best = i;
    c->delim = cands[best];
}

static int open_common(kmt_csv *c, const kmt_csv_opts *opt, kmt_error *e)
{
    int enc = opt ? opt->encoding : KMT_CSV_ENC_AUTO;
    char *start = c->buf;
    size_t len = c->len;
    if (len >= 3 && (unsigned char)start[0] == 0xef && (unsigned char)start[1] == 0xbb &&
        (unsigned char)start[2] == 0xbf) {
        start += 3;
        len -= 3;
        enc = KMT_CSV_ENC_UTF8;
    }
    if (enc == KMT_CSV_ENC_CP1252 || (enc == KMT_CSV_ENC_AUTO && !valid_utf8((const unsigned char *)start, len))) {
        size_t nl;
        char *u = cp1252_to_utf8((const unsigned char *)start, len, &nl);
        kmt_free(c->buf);
        c->buf = u;
        c->len = nl;
        c->cp1252 = 1;
    } else if (start != c->buf) {
        memmove(c->buf, start, len + 1);
        c->len = len;
    }
    c->p = c->buf;
    c->end = c->buf + c->len;
    c->line = 1;
    if (opt && opt->delimiter)
        c->delim = opt->delimiter;
    else
        sniff(c);
    int rc = parse_record(c, e);
    if (rc < 0) return rc;
    if (rc == 0) return kmt_error_at(e, KMT_EINVAL, c->path, 1, 0, NULL, "the file is empty (expected a header row)");
    if (c->nfields > KMT_CSV_MAX_FIELDS)
        return kmt_error_at(e, KMT_ETOOBIG, c->path, c->rec_line, 0, NULL,
                            "%zu columns in the header, at most %d are accepted", c->nfields, KMT_CSV_MAX_FIELDS);
    c->ncols = c->nfields;
    c->header = kmt_malloc(c->ncols * sizeof *c->header);
    memcpy(c->header, c->fields, c->ncols * sizeof *c->header);
    c->nfields = 0;
    return 0;
}

int kmt_csv_open_mem(kmt_csv **out, const char *name, const char *data, size_t len, const kmt_csv_opts *opt,
                     kmt_error *e)
{
    kmt_csv *c = kmt_calloc(1, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", name ? name : "<memory>");
    c->buf = kmt_malloc(len + 1);
    memcpy(c->buf, data, len);
    c->buf[len] = '\0';
    c->len = len;
    int rc = open_common(c, opt, e);
    if (rc) {
        kmt_csv_close(c);
        *out = NULL;
        return rc;
    }
    *out = c;
    return 0;
}

int kmt_csv_open(kmt_csv **out, const char *path, const kmt_csv_opts *opt, kmt_error *e)
{
    *out = NULL;
    kmt_csv *c = kmt_calloc(1, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    int rc = kmt_read_file(path, &c->buf, &c->len, e);
    if (rc == 0) rc = open_common(c, opt, e);
    if (rc) {
        kmt_csv_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

void kmt_csv_close(kmt_csv *c)
{
    if (!c) return;
    kmt_free(c->buf);
    kmt_free(c->header);
    kmt_free(c->fields);
    kmt_free(c);
}

size_t kmt_csv_ncols(const kmt_csv *c)
{
    return c->ncols;
}
const char *kmt_csv_colname(const kmt_csv *c, size_t i)
{
    return i < c->ncols ? c->header[i] : "";
}
char kmt_csv_delimiter(const kmt_csv *c)
{
    return c->delim;
}
const char *kmt_csv_encoding(const kmt_csv *c)
{
    return c->cp1252 ? "windows-1252" : "utf-8";
}
const char *kmt_csv_path(const kmt_csv *c)
{
    return c->path;
}
long kmt_csv_line(const kmt_csv *c)
{
    return c->rec_line;
}
size_t kmt_csv_nfields(const kmt_csv *c)
{
    return c->nfields;
}

long kmt_csv_lines_left(const kmt_csv *c)
{
    long n = 0;
    for (const char *p = c->p; p < c->end; p++) {
        p = memchr(p, '\n', (size_t)(c->end - p));
        if (!p) break;
        n++;
    }
    return n + (c->p < c->end);
}

/* Fold one (possibly 2-byte Latin-1 UTF-8) character at *p to lower case. */
static unsigned fold_char(const unsigned char **p)
{
    unsigned c = **p;
    if (c == 0xc3 && (*p)[1] >= 0x80 && (*p)[1] <= 0x9e && (*p)[1] != 0x97) {
        unsigned d = (*p)[1] + 0x20u;
        *p += 2;
        return 0xc300u | d;
    }
    if (c >= 0x80 && (*p)[1]) {
        unsigned d = (*p)[1];
        *p += 2;
        return (c << 8) | d;
    }
    (*p)++;
    return (unsigned)tolower((int)c);
}

int kmt__eq_fold(const char *a, size_t an, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *pe = p + an;
    const unsigned char *q = (const unsigned char *)b;
    while (p < pe && *p == ' ') p++;
    while (pe > p && pe[-1] == ' ') pe--;
    while (*q == ' ') q++;
    size_t qn = strlen((const char *)q);
    while (qn && q[qn - 1] == ' ') qn--;
    const unsigned char *qe = q + qn;
    while (p < pe && q < qe)
        if (fold_char(&p) != fold_char(&q)) return 0;
    return p >= pe && q >= qe;
}

int kmt_csv_find(const kmt_csv *c, const char *name)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (kmt__eq_fold(c->header[i], strlen(c->header[i]), name)) return (int)i;
    return -1;
}

const char *kmt_csv_field(const kmt_csv *c, int i)
{
    return (i >= 0 && (size_t)i < c->nfields) ? c->fields[i] : "";
}

int kmt_csv_next(kmt_csv *c, kmt_error *e)
{
    int rc = parse_record(c, e);
    if (rc != 1) return rc;
    if (c->nfields > c->ncols) {
        for (size_t i = c->ncols; i < c->nfields; i++)
            if (c->fields[i][0])
                return kmt_error_at(e, KMT_EINVAL, c->path, c->rec_line, (long)i + 1, NULL,
                                    "%zu fields but the header has %zu columns (value '%.60s'); "
                                    "is a field with the delimiter '%c' missing its quotes?",
                                    c->nfields, c->ncols, c->fields[i], c->delim);
        c->nfields = c->ncols;
    }
    return 1;
}

int kmt_csv_error(kmt_csv *c, int col, kmt_error *e, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *name = (col >= 0 && (size_t)col < c->ncols) ? c->header[col] : NULL;
    return kmt_error_at(e, KMT_EINVAL, c->path, c->rec_line, col >= 0 ? col + 1 : 0, name, "%s (value '%.80s')", msg,
                        kmt_csv_field(c, col));
}

/* ---- values ---------------------------------------------------------------- */

static const double pow10tab[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* The common case in one pass: [-+]digits[(.|,)digits] with at most 15
 * digits. Returns 1 and *out, or 0 when the general parser must decide. */
static int parse_simple(const char *s, double *out)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    uint64_t m = 0;
    int nd = 0, frac = 0, any = 0;
    for (; *p >= '0' && *p <= '9'; p++, any = 1)
        if (++nd > 15)
            return 0;
        else
            m = m * 10 + (uint64_t)(*p - '0');
    if (*p == '.' || *p == ',') {
        for (p++; *p >= '0' && *p <= '9'; p++, frac++, any = 1)
            if (++nd > 15)
                return 0;
            else
                m = m * 10 + (uint64_t)(*p - '0');
    }
    if (*p || !any) return 0;
    *out = (neg ? -1.0 : 1.0) * ((double)m / pow10tab[frac]);
    return 1;
}

int kmt_parse_number(const char *s, double *out)
{
    if (parse_simple(s, out)) return 0;
    char tmp[64];
    size_t n = 0;
    const char *lastdot = NULL, *lastcomma = NULL;
    int ndot = 0, ncomma = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            lastdot = p, ndot++;
        else if (*p == ',')
            lastcomma = p, ncomma++;
    }
    char decimal = '.';
    if (ndot && ncomma)
        decimal = lastdot > lastcomma ? '.' : ',';
    else if (ncomma == 1)
        decimal = ',';
    else if (ncomma > 1)
        return KMT_EINVAL; /* "1,234,567" without a decimal point: ambiguous */
    else if (ndot > 1)
        decimal = 0; /* "1.234.567" = thousands separators */
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ' ' || ch == '\t' || ch == '\'') continue;
        if (ch == 0xc2 && (unsigned char)p[1] == 0xa0) { /* no-break space */
            p++;
            continue;
        }
        if (ch == '.' || ch == ',') {
            if (ch != decimal) continue;
            ch = '.';
        }
        if (n + 1 >= sizeof tmp) return KMT_EINVAL;
        tmp[n++] = (char)ch;
    }
    tmp[n] = '\0';
    if (n == 0) return KMT_EINVAL;
    /* fast path: up to 15 significant digits and a short fraction are exact */
    const char *p = tmp;
    int neg = 0;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    uint64_t m = 0;
    int nd = 0, frac = 0, seen_dot = 0, any = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            any = 1;
            if (nd < 15) {
                m = m * 10 + (uint64_t)(*p - '0');
                if (m) nd++;
                if (seen_dot && frac++ >= 22) goto slow; /* pow10tab ends at 1e22 (leading zeros count) */
            } else {
                goto slow;
            }
        } else if (*p == '.' && !seen_dot) {
            seen_dot = 1;
        } else {
            goto slow;
        }
    }
    if (!any) return KMT_EINVAL;
    *out = (neg ? -1.0 : 1.0) * ((double)m / pow10tab[frac]);
    return 0;
slow:;
    char *end;
    double v = strtod(tmp, &end);
    if (*end || end == tmp || !isfinite(v)) return KMT_EINVAL;
    *out = v;
    return 0;
}

int kmt_csv_number(kmt_csv *c, int col, double *out, kmt_error *e)
{
    const char *s = kmt_csv_field(c, col);
    if (!*s) return 0;
    if (kmt_parse_number(s, out)) return kmt_csv_error(c, col, e, "expected a number");
    return 1;
}

int kmt_csv_int(kmt_csv *c, int col, long *out, kmt_error *e)
{
    double v;
    int rc = kmt_csv_number(c, col, &v, e);
    if (rc <= 0) return rc;
    if (v != floor(v) || v < -2e9 || v > 2e9) return kmt_csv_error(c, col, e, "expected a whole number");
    *out = (long)v;
    return 1;
}

int kmt_csv_time(kmt_csv *c, int col, kmt_time *out, kmt_error *e)
{
    const char *s = kmt_csv_field(c, col);
    if (!*s) return 0;
    if (kmt_time_parse(s, out, NULL))
        return kmt_csv_error(c, col, e,
                             "expected a date/time like 2024-03-05T08:30, 05-03-2024 08:30 or "
                             "05.03.2024");
    return 1;
}

int kmt_csv_number_in(kmt_csv *c, int col, double lo, double hi, double *out, kmt_error *e)
{
    double v;
    int rc = kmt_csv_number(c, col, &v, e);
    if (rc <= 0) return rc;
    if (!(v >= lo && v <= hi)) return kmt_csv_error(c, col, e, "out of range: expected %g to %g", lo, hi);
    *out = v;
    return 1;
}

int kmt_csv_int_in(kmt_csv *c, int col, long lo, long hi, long *out, kmt_error *e)
{
    long v;
    int rc = kmt_csv_int(c, col, &v, e);
    if (rc <= 0) return rc;
    if (v < lo || v > hi) return kmt_csv_error(c, col, e, "out of range: expected %ld to %ld", lo, hi);
    *out = v;
    return 1;
}

int kmt_csv_time_in(kmt_csv *c, int col, int year_lo, int year_hi, kmt_time *out, kmt_error *e)
{
    kmt_time t;
    int rc = kmt_csv_time(c, col, &t, e);
    if (rc <= 0) return rc;
    if (t < kmt_time_make(year_lo, 1, 1, 0, 0, 0) || t >= kmt_time_make(year_hi + 1, 1, 1, 0, 0, 0))
        return kmt_csv_error(c, col, e, "out of range: expected a date in the years %d to %d", year_lo, year_hi);
    *out = t;
    return 1;
}

int kmt_csv_coord(kmt_csv *c, int ilon, int ilat, int required, kmt_coord *out, kmt_error *e)
{
    double lon = NAN, lat = NAN;
    int a = kmt_csv_number(c, ilon, &lon, e);
    if (a < 0) return a;
    int b = kmt_csv_number(c, ilat, &lat, e);
    if (b < 0) return b;
    if (a != b) return kmt_csv_error(c, a ? ilat : ilon, e, "longitude and latitude must both be given");
    if (!a && required) return kmt_csv_error(c, ilon, e, "a coordinate (longitude and latitude) is required");
    if (a && !kmt_geo_valid((kmt_coord){ lon, lat }))
        return kmt_csv_error(c, fabs(lon) <= 180 ? ilat : ilon, e,
                             "coordinate out of range (longitude -180..180, latitude -90..90)");
    out->lon = lon;
    out->lat = lat;
    return 0;
}

static int needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\n\r") != NULL;
}

void kmt_csv_put_field(kmt_buf *b, const char *s)
{
    if (!needs_quotes(s)) {
        kmt_buf_puts(b, s);
        return;
    }
    kmt_buf_put(b, "\"", 1);
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        kmt_buf_put(b, s, (size_t)(q - s) + 1);
        kmt_buf_put(b, "\"", 1); /* a quote is doubled */
    }
    kmt_buf_puts(b, s);
    kmt_buf_put(b, "\"", 1);
}

void kmt_csv_write_field(FILE *f, const char *s)
{
    if (!needs_quotes(s)) {
        fputs(s, f);
        return;
    }
    kmt_buf b;
    kmt_buf_init(&b);
    kmt_csv_put_field(&b, s);
    fwrite(b.data, 1, b.len, f);
    kmt_buf_destroy(&b);
}
