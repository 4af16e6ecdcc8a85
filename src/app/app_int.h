/* SPDX-License-Identifier: MPL-2.0 */
/* What the use cases share inside src/app (include/kommute/app.h). */
#ifndef KOMMUTE_APP_INT_H
#define KOMMUTE_APP_INT_H

#include <stddef.h>

/* An installation's data file sub/name: <binary dir>/../data/sub/name, else
 * <binary dir>/../share/kommute/sub/name, else ./data/sub/name, the first
 * that is readable, into out (size n). Returns 1 when found, else 0 with
 * out = "data/sub/name". */
int kmt__app_data_file(const char *sub, const char *name, char *out, size_t n);

#endif
