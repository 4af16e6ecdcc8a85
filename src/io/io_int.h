/* SPDX-License-Identifier: MPL-2.0 */
/* Internal helpers shared by the io files. */
#ifndef KOMMUTE_IO_INT_H
#define KOMMUTE_IO_INT_H

#include <stddef.h>

/* 1 if a[0..an) equals b (NUL-terminated) ignoring case (ASCII and the
 * Latin-1 letters of UTF-8, so "ÆRØ" equals "ærø") and spaces around a. */
int kmt__eq_fold(const char *a, size_t an, const char *b);
/* The text of a built-in mapping (src/io/mappings_builtin.c), NULL if none. */
const char *kmt__mapping_builtin_text(const char *name);

#endif
