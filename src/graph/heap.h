/* SPDX-License-Identifier: MPL-2.0 */
/* A binary min-heap of (key, node) with lazy deletion, shared by the
 * contraction and the queries: a stale entry is skipped when popped because
 * its key no longer equals the node's current distance. */
#ifndef KOMMUTE_GRAPH_HEAP_H
#define KOMMUTE_GRAPH_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"

typedef struct {
    uint64_t key;
    uint32_t node;
} hitem;

typedef struct {
    hitem *v;
    size_t n, cap;
} heap;

static inline void heap_push(heap *h, uint64_t key, uint32_t node)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = kmt_realloc(h->v, h->cap * sizeof *h->v);
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) >> 1;
        if (h->v[p].key <= key) break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = (hitem){ key, node };
}

/* Pops the smallest item; h must not be empty. */
static inline hitem heap_pop(heap *h)
{
    hitem top = h->v[0], last = h->v[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && h->v[c + 1].key < h->v[c].key) c++;
        if (h->v[c].key >= last.key) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (n) h->v[i] = last;
    return top;
}

#endif
