/* SPDX-License-Identifier: MPL-2.0 */
/* The growable byte buffer (see kommute/core.h). */
#include <stdarg.h>
#include <string.h>

#include "kommute/core.h"

void kmt_buf_init(kmt_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void kmt_buf_destroy(kmt_buf *b)
{
    kmt_free(b->data);
    kmt_buf_init(b);
}

void kmt_buf_reserve(kmt_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t nc = b->cap ? b->cap : 4096;
    while (nc < b->len + extra + 1) nc *= 2;
    b->data = kmt_realloc(b->data, nc);
    b->cap = nc;
}

void kmt_buf_put(kmt_buf *b, const char *s, size_t n)
{
    kmt_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void kmt_buf_puts(kmt_buf *b, const char *s)
{
    kmt_buf_put(b, s, strlen(s));
}

void kmt_buf_printf(kmt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    kmt_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
