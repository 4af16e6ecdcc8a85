/* SPDX-License-Identifier: MPL-2.0 */
/* What the travel commands (cmd_travel_*.c, travel_html.c) share on the
 * command line; the analyses themselves are use cases (kommute/app_travel.h). */
#ifndef KOMMUTE_CLI_TRAVEL_H
#define KOMMUTE_CLI_TRAVEL_H

#include <stdio.h>

#include "cli.h"
#include "kommute/travel.h"

/* Run fn on standard output, or atomically into path (NULL or "-" = stdout). */
int kmt__travel_output(const char *path, int (*fn)(FILE *, void *), void *ctx, kmt_error *e);
/* The self-contained HTML report (inline CSS and SVG charts, no network). */
int kmt__travel_html(FILE *out, const kmt_travel_report *r, const kmt_dataset *d, const kmt_factors *f,
                     const char *factors_path, const char *hours_source);
/* A travel command's CLI-only options and context. */
typedef struct travel_cli {
    const char *db, *factors, *format, *output;
    char targets[4096]; /* every --target of argv joined with ',' (the request's "target") */
    kmt_app_ctx c;      /* the store opened */
} travel_cli;

/* The common start of a travel command over the use case u: argv parsed
 * into req (defaults set) and t, --format checked (html when with_html),
 * every --target YEAR:-PCT% collected (kmt_cli_parse keeps only the last),
 * the store opened. With --format json the use case's answer is written
 * here. *done = 1 when the command is over (help, an error printed, or the
 * JSON written): return the result as the exit code; else 0 and the caller
 * runs the use case on t->c and closes it (kmt_cli_app_close). t must
 * outlive req. */
int kmt__travel_start(int argc, char **argv, const kmt_app_usecase *u, void *req, int with_html, travel_cli *t,
                      const char *help, int *done);
/* HTML-escaped text. */
void kmt__html_text(FILE *out, const char *s);

#endif
