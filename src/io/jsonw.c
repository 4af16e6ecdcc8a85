/* SPDX-License-Identifier: MPL-2.0 */
#include "kommute/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/core.h"

#define FLUSH_AT (1u << 20)

void kmt_json_init(kmt_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    kmt_buf_init(&j->buf);
    j->out = out;
    j->first[0] = 1;
}

static void maybe_flush(kmt_json *j)
{
    if (j->out && j->buf.len >= FLUSH_AT) {
        if (fwrite(j->buf.data, 1, j->buf.len, j->out) != j->buf.len) j->failed = 1;
        j->buf.len = 0;
    }
}

int kmt_json_finish(kmt_json *j)
{
    if (j->out) {
        kmt_buf_put(&j->buf, "\n", 1);
        if (j->buf.len && fwrite(j->buf.data, 1, j->buf.len, j->out) != j->buf.len) j->failed = 1;
        if (fflush(j->out) != 0) j->failed = 1;
        kmt_buf_destroy(&j->buf);
    }
    return j->failed ? KMT_EIO : 0;
}

void kmt_json_destroy(kmt_json *j)
{
    kmt_buf_destroy(&j->buf);
}

static void sep(kmt_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (!j->first[j->depth]) kmt_buf_put(&j->buf, ",", 1);
    j->first[j->depth] = 0;
}

static void open(kmt_json *j, char c)
{
    sep(j);
    kmt_buf_put(&j->buf, &c, 1);
    if (j->depth + 1 < KMT_JSON_MAX_DEPTH) j->depth++;
    j->first[j->depth] = 1;
}

static void close(kmt_json *j, char c)
{
    kmt_buf_put(&j->buf, &c, 1);
    if (j->depth > 0) j->depth--;
    maybe_flush(j);
}

void kmt_json_object_begin(kmt_json *j)
{
    open(j, '{');
}
void kmt_json_object_end(kmt_json *j)
{
    close(j, '}');
}
void kmt_json_array_begin(kmt_json *j)
{
    open(j, '[');
}
void kmt_json_array_end(kmt_json *j)
{
    close(j, ']');
}

static void put_string(kmt_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    kmt_buf_reserve(b, n + 2);
    b->data[b->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            kmt_buf_put(b, esc, 2);
        } else if (c < 0x20) {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            if (c == '\n')
                kmt_buf_put(b, "\\n", 2);
            else if (c == '\t')
                kmt_buf_put(b, "\\t", 2);
            else if (c == '\r')
                kmt_buf_put(b, "\\r", 2);
            else
                kmt_buf_put(b, esc, 6);
        } else {
            kmt_buf_reserve(b, 1);
            b->data[b->len++] = (char)c;
        }
    }
    kmt_buf_put(b, "\"", 1);
}

void kmt_json_key(kmt_json *j, const char *key)
{
    sep(j);
    put_string(&j->buf, key, strlen(key));
    kmt_buf_put(&j->buf, ":", 1);
    j->after_key = 1;
}

void kmt_json_string(kmt_json *j, const char *s)
{
    if (!s) {
        kmt_json_null(j);
        return;
    }
    kmt_json_stringn(j, s, strlen(s));
}

void kmt_json_stringn(kmt_json *j, const char *s, size_t n)
{
    sep(j);
    put_string(&j->buf, s, n);
    maybe_flush(j);
}

static size_t fmt_u64(char *s, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) s[i] = tmp[n - 1 - i];
    return n;
}

void kmt_json_int(kmt_json *j, int64_t v)
{
    char s[32];
    size_t n = 0;
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        s[n++] = '-';
        u = (uint64_t)0 - u;
    }
    n += fmt_u64(s + n, u);
    sep(j);
    kmt_buf_put(&j->buf, s, n);
    maybe_flush(j);
}

size_t kmt_fmt_double(char *s, double v, int decimals)
{
    static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
    if (decimals < 0) decimals = 0;
    if (decimals > 9) decimals = 9;
    if (!isfinite(v)) {
        memcpy(s, "null", 4);
        return 4;
    }
    size_t n = 0;
    if (v < 0) {
        s[n++] = '-';
        v = -v;
    }
    if (v >= 1e15) {
        /* large: the shortest round-trip form, exponent included ("1e+300");
         * at most 23 characters, and the length is what was written */
        int w = 0;
        for (int prec = 15; prec <= 17; prec++) {
            w = snprintf(s + n, KMT_FMT_DOUBLE_SIZE - n, "%.*g", prec, v);
            if (w > 0 && (size_t)w < KMT_FMT_DOUBLE_SIZE - n && strtod(s + n, NULL) == v) break;
        }
        if (w < 0) w = 0;
        if ((size_t)w >= KMT_FMT_DOUBLE_SIZE - n) w = (int)(KMT_FMT_DOUBLE_SIZE - n - 1);
        return n + (size_t)w;
    }
    uint64_t scaled = (uint64_t)llround(v * pow10[decimals]);
    uint64_t ip = scaled / (uint64_t)pow10[decimals];
    uint64_t fp = scaled % (uint64_t)pow10[decimals];
    if (scaled == 0 && n == 1) n = 0; /* no "-0" */
    n += fmt_u64(s + n, ip);
    if (fp) {
        char d[10];
        int k = decimals;
        for (int i = k - 1; i >= 0; i--) {
            d[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        while (k > 0 && d[k - 1] == '0') k--;
        s[n++] = '.';
        memcpy(s + n, d, (size_t)k);
        n += (size_t)k;
    }
    return n;
}

void kmt_json_double(kmt_json *j, double v, int decimals)
{
    char s[KMT_FMT_DOUBLE_SIZE];
    size_t n = kmt_fmt_double(s, v, decimals);
    sep(j);
    kmt_buf_put(&j->buf, s, n);
    maybe_flush(j);
}

void kmt_json_bool(kmt_json *j, int v)
{
    sep(j);
    kmt_buf_puts(&j->buf, v ? "true" : "false");
}

void kmt_json_null(kmt_json *j)
{
    sep(j);
    kmt_buf_put(&j->buf, "null", 4);
    maybe_flush(j);
}

void kmt_json_raw(kmt_json *j, const char *text)
{
    sep(j);
    kmt_buf_puts(&j->buf, text);
    maybe_flush(j);
}
