/* SPDX-License-Identifier: MPL-2.0 */
/* Internal helpers of the core module shared with tests. */
#ifndef KOMMUTE_CORE_INT_H
#define KOMMUTE_CORE_INT_H

#include "kommute/core.h"

/* kmt_write_file_atomic, with no_tmpfile = 1 forcing the mkstemp fall-back
 * (what a file system without O_TMPFILE gets), for tests. */
int kmt__write_file_atomic_mode(const char *path, int (*write_fn)(FILE *f, void *ctx), void *ctx, int no_tmpfile,
                                kmt_error *e);

#endif
