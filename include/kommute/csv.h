/* SPDX-License-Identifier: MPL-2.0 */
/*
 * CSV reading for the exports municipalities bring (see docs/data.md):
 * a header row; RFC 4180 quotes (embedded delimiters, newlines and doubled
 * quotes); ',' or ';' (or tab) delimiter, sniffed from the header; UTF-8 with
 * or without BOM, or Windows-1252/Latin-1 (detected: a file that is not
 * valid UTF-8 is converted from CP1252); CRLF or LF; decimal comma or point;
 * dates ISO 8601, dd-mm-yyyy, dd.mm.yyyy with optional time.
 *
 * Column mappings translate a municipality's own header names (and values
 * such as fuel ids) to the canonical columns. Every error names the file,
 * the line, the column name and the value.
 *
 *   kmt_csv *c; kmt_error e;
 *   if (kmt_csv_open(&c, "trips.csv", NULL, &e)) ...
 *   int idx[N]; kmt_csv_bind(c, map, "trips", cols, N, idx, &e);
 *   while ((rc = kmt_csv_next(c, &e)) == 1) { double km; kmt_csv_number(c, idx[K], &km, &e); }
 *   kmt_csv_close(c);
 */
#ifndef KOMMUTE_CSV_H
#define KOMMUTE_CSV_H

#include <stddef.h>

#include <stdio.h>

#include "kommute/core.h"
#include "kommute/geo.h"
#include "kommute/json.h"
#include "kommute/model.h"

typedef struct kmt_csv kmt_csv;

typedef struct kmt_csv_opts {
    char delimiter; /* 0 = sniff from the header line (',' ';' '\t' '|') */
    int encoding;   /* KMT_CSV_ENC_AUTO (default), _UTF8 or _CP1252 */
} kmt_csv_opts;

enum { KMT_CSV_ENC_AUTO = 0, KMT_CSV_ENC_UTF8 = 1, KMT_CSV_ENC_CP1252 = 2 };

/* Largest file, field count and field size accepted (KMT_ETOOBIG beyond). */
#define KMT_CSV_MAX_FIELDS 1024

/*
 * Open a CSV file (read whole into memory, converted to UTF-8 if needed) and
 * read its header row. opt may be NULL (all automatic). Returns 0 and *out,
 * or KMT_EIO / KMT_EINVAL (empty file, no header) with e set. Close with
 * kmt_csv_close.
 */
int kmt_csv_open(kmt_csv **out, const char *path, const kmt_csv_opts *opt, kmt_error *e);
/* As kmt_csv_open on a buffer (copied); name is used in error messages. */
int kmt_csv_open_mem(kmt_csv **out, const char *name, const char *data, size_t len, const kmt_csv_opts *opt,
                     kmt_error *e);
void kmt_csv_close(kmt_csv *c); /* NULL is a no-op */

/* The header: column count and names (trimmed, BOM removed). */
size_t kmt_csv_ncols(const kmt_csv *c);
const char *kmt_csv_colname(const kmt_csv *c, size_t i);
/* Index of a header name (case-insensitive, ignoring surrounding spaces), -1 if absent. */
int kmt_csv_find(const kmt_csv *c, const char *name);
/* What was detected: the delimiter and "utf-8" or "windows-1252". */
char kmt_csv_delimiter(const kmt_csv *c);
const char *kmt_csv_encoding(const kmt_csv *c);
const char *kmt_csv_path(const kmt_csv *c);

/*
 * Read the next record. Returns 1 (a record; blank lines are skipped), 0 at
 * the end, or KMT_EINVAL (unterminated quote, text after a closing quote, more
 * fields than the header) with e naming file and line. Field pointers stay
 * valid until the next call.
 */
int kmt_csv_next(kmt_csv *c, kmt_error *e);
/* Line number (1-based, counting the header) where the current record starts. */
long kmt_csv_line(const kmt_csv *c);
/* Line breaks left in the input: an upper bound of the records to come
 * (for sizing and progress). Costs one pass over the rest of the buffer. */
long kmt_csv_lines_left(const kmt_csv *c);
/* Number of fields in the current record (may be fewer than the header). */
size_t kmt_csv_nfields(const kmt_csv *c);
/* Field i of the current record, trimmed of surrounding spaces; "" if i < 0
 * or beyond the record. */
const char *kmt_csv_field(const kmt_csv *c, int i);

/*
 * Typed access to field `col` of the current record (col may be -1: then the
 * field counts as empty). Each returns 1 when a value was parsed into *out,
 * 0 when the field is empty (out unchanged), or KMT_EINVAL with e naming
 * file, line, column name and value.
 * Numbers: decimal point or comma; with both, the last one is the decimal
 * separator and the other a thousands separator ("1.234,5" = 1234.5);
 * spaces inside are ignored ("12 500"). Integers refuse a fraction.
 */
int kmt_csv_number(kmt_csv *c, int col, double *out, kmt_error *e);
int kmt_csv_int(kmt_csv *c, int col, long *out, kmt_error *e);
int kmt_csv_time(kmt_csv *c, int col, kmt_time *out, kmt_error *e);
/* As kmt_csv_number / _int / _time, and the value must lie in [lo, hi]
 * (for times: a calendar year from year_lo to year_hi); out of range is
 * KMT_EINVAL "out of range: expected lo to hi" naming file, line, column
 * and value (see kommute/limits.h for the documented ranges). */
int kmt_csv_number_in(kmt_csv *c, int col, double lo, double hi, double *out, kmt_error *e);
int kmt_csv_int_in(kmt_csv *c, int col, long lo, long hi, long *out, kmt_error *e);
int kmt_csv_time_in(kmt_csv *c, int col, int year_lo, int year_hi, kmt_time *out, kmt_error *e);
/* Fill e with an error at the current record and column: "<msg> (value 'v')".
 * Returns KMT_EINVAL. */
int kmt_csv_error(kmt_csv *c, int col, kmt_error *e, const char *fmt, ...) KMT_PRINTF(4, 5);
/* A coordinate from two columns (longitude, latitude) of the current record.
 * Returns 0 with *out set when both are given and in range, or when both are
 * empty and required is 0 (then *out is NaN,NaN); otherwise KMT_EINVAL naming
 * the column: one of the two missing, not a number, out of range, or (when
 * required) both empty. */
int kmt_csv_coord(kmt_csv *c, int ilon, int ilat, int required, kmt_coord *out, kmt_error *e);

/* Writing: one CSV field, quoted (RFC 4180) only when it holds a comma, a
 * quote or a line break. No separator is written. */
void kmt_csv_put_field(kmt_buf *b, const char *s);
void kmt_csv_write_field(FILE *f, const char *s);

/* Parse a number with decimal comma or point (rules above). Returns 0 or KMT_EINVAL. */
int kmt_parse_number(const char *s, double *out);

/* ---- column mappings ----------------------------------------------------- */

/*
 * A mapping: rules "in table T, canonical column OURS is called THEIRS", and
 * value rules "in table T, a value THEIRS of column OURS means VALUE".
 * File format (docs/data.md): a CSV with header `table,ours,theirs`; table is
 * vehicles, sites, trips, gps, travel or * (all); a value rule writes
 * `ours` as `column=value` (e.g. `vehicles,fuel=petrol,1`). Lines starting
 * with '#' are comments.
 */
typedef struct kmt_mapping kmt_mapping;

/*
 * Load a mapping: `spec` is a built-in name ("os2fleetoptimiser", "nordic")
 * or a file path. Returns 0 and *out, or KMT_EIO/KMT_EINVAL with e set.
 */
int kmt_mapping_load(kmt_mapping **out, const char *spec, kmt_error *e);
/* Parse a mapping from text (name for messages). */
int kmt_mapping_parse(kmt_mapping **out, const char *name, const char *text, size_t len, kmt_error *e);
void kmt_mapping_destroy(kmt_mapping *m); /* NULL is a no-op */
/* The text of a built-in mapping, NULL if there is none of that name. */
const char *kmt_mapping_builtin(const char *name);

/*
 * Find the header column of each canonical column cols[0..n-1] of `table`:
 * first the canonical name itself, then the names m gives (m may be NULL),
 * then the built-in Nordic synonyms (docs/data.md). idx[i] = header index
 * or -1 when absent. Returns 0 (checking required columns is the caller's
 * job: see kmt_csv_require).
 */
int kmt_csv_bind(kmt_csv *c, const kmt_mapping *m, const char *table, const char *const *cols, size_t n, int *idx,
                 kmt_error *e);
/* KMT_EINVAL naming the file and the missing canonical column when idx < 0. */
int kmt_csv_require(kmt_csv *c, int idx, const char *col, kmt_error *e);
/* Translate a value of canonical column `col` in `table` by m's value rules
 * (case-insensitive); returns `value` itself when no rule applies or m is NULL. */
const char *kmt_mapping_value(const kmt_mapping *m, const char *table, const char *col, const char *value);

/* ---- writing the canonical CSVs -------------------------------------------- */

/*
 * Append the canonical CSV (header and rows, ',' delimiter, '.' decimals,
 * ISO 8601 local times, RFC 4180 quotes where needed) of d's sites,
 * vehicles, trips or travel records to b (a kmt_buf from json.h). Index
 * references are written as the referenced row's key or name.
 */
struct kmt_buf;
void kmt_csv_write_sites(struct kmt_buf *b, const kmt_dataset *d);
void kmt_csv_write_vehicles(struct kmt_buf *b, const kmt_dataset *d);
void kmt_csv_write_trips(struct kmt_buf *b, const kmt_dataset *d);
void kmt_csv_write_travel(struct kmt_buf *b, const kmt_dataset *d);

#endif
