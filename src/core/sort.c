/* SPDX-License-Identifier: MPL-2.0 */
/* The stable sort (see kommute/core.h): insertion sort of short runs, then
 * bottom-up merges between the array and one scratch block. */
#include <string.h>

#include "kommute/core.h"

#define RUN 16 /* elements per insertion-sorted run */

/* Insertion sort of n elements at a; tmp holds one element. Stable: an
 * element moves left only past strictly greater ones. */
static void insertion(unsigned char *a, size_t n, size_t size, kmt_cmp_fn cmp, void *ctx, unsigned char *tmp)
{
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        if (cmp(a + (j - 1) * size, a + i * size, ctx) <= 0) continue;
        memcpy(tmp, a + i * size, size);
        while (j > 0 && cmp(a + (j - 1) * size, tmp, ctx) > 0) j--;
        memmove(a + (j + 1) * size, a + j * size, (i - j) * size);
        memcpy(a + j * size, tmp, size);
    }
}

/* Merge the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi);
 * on ties the left run's element goes first. */
static void merge(const unsigned char *src, unsigned char *dst, size_t lo, size_t mid, size_t hi, size_t size,
                  kmt_cmp_fn cmp, void *ctx)
{
    size_t a = lo, b = mid, o = lo;
    while (a < mid && b < hi) {
        if (cmp(src + b * size, src + a * size, ctx) < 0)
            memcpy(dst + o++ * size, src + b++ * size, size);
        else
            memcpy(dst + o++ * size, src + a++ * size, size);
    }
    memcpy(dst + o * size, src + a * size, (mid - a) * size);
    o += mid - a;
    memcpy(dst + o * size, src + b * size, (hi - b) * size);
}

void kmt_sort_stable(void *base, size_t n, size_t size, kmt_cmp_fn cmp, void *ctx)
{
    if (n < 2 || !size) return;
    unsigned char *a = base;
    unsigned char *scratch = kmt_malloc(n <= RUN ? size : n * size);
    for (size_t lo = 0; lo < n; lo += RUN)
        insertion(a + lo * size, n - lo < RUN ? n - lo : RUN, size, cmp, ctx, scratch);
    unsigned char *src = a, *dst = scratch;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            merge(src, dst, lo, mid, hi, size, cmp, ctx);
        }
        unsigned char *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * size);
    kmt_free(scratch);
}
