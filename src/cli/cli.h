/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The command line: each command lives in src/cli/cmd_<name>.c and registers
 * itself with KMT_COMMAND, so adding a command touches no shared table.
 *
 *   static int run_snap(int argc, char **argv) { ... return KMT_EXIT_OK; }
 *   KMT_COMMAND("snap", "nearest point on a routable road", run_snap, SNAP_HELP)
 *
 * A command with subcommands ("graph build", "fleet import") registers its
 * full name with a space; `kommute graph build ...` finds it. Handlers get
 * argv with argv[0] = the full command name and return a KMT_EXIT_* code,
 * or -1 after printing --help (the binary then exits 0).
 */
#ifndef KOMMUTE_CLI_H
#define KOMMUTE_CLI_H

#include <stdio.h>

#include "kommute/app.h"
#include "kommute/core.h"

typedef int (*kmt_cmd_fn)(int argc, char **argv);
void kmt_cli_register(const char *name, const char *summary, kmt_cmd_fn fn, const char *help);

#define KMT_CMD_CAT2(a, b) a##b
#define KMT_CMD_CAT(a, b) KMT_CMD_CAT2(a, b)
#define KMT_COMMAND(name, summary, fn, help)                                                                           \
    __attribute__((constructor)) static void KMT_CMD_CAT(kmt_register_cmd_, __LINE__)(void)                            \
    {                                                                                                                  \
        kmt_cli_register(name, summary, fn, help);                                                                     \
    }

/* Options: a tiny getopt_long-like scanner that accepts "--name value",
 * "--name=value", short "-t 2" and flags. Unknown options are usage errors. */
typedef struct kmt_opt {
    const char *name;   /* long name without dashes, e.g. "graph" */
    char short_name;    /* 0 if none */
    int takes_value;    /* 1 if it needs a value */
    const char **value; /* set to the value (or "1" for a flag) */
} kmt_opt;

/* Scans argv[1..]: options go to opts, other words to positional (caller
 * gives room for argc entries). Returns 0, or prints a usage error naming the
 * option and returns KMT_EXIT_USAGE. "--help"/"-h" print help and return -1. */
int kmt_cli_parse(int argc, char **argv, kmt_opt *opts, const char **positional, int *npositional, const char *help);

/* The streams commands write results (JSON) and errors to: stdout and stderr. */
FILE *kmt_cli_out(void);
FILE *kmt_cli_err(void);

/* Print an error (formatted kmt_error) as "kommute: error: ..." and return the exit code. */
int kmt_cli_error(const kmt_error *e);
/* Print a usage error and return KMT_EXIT_USAGE. */
int kmt_cli_usage(const char *cmd, const char *fmt, ...) KMT_PRINTF(2, 3);
/* Parse an integer/double option value; on failure print a usage error and return -1. */
int kmt_cli_int(const char *cmd, const char *opt, const char *val, long lo, long hi, long *out);
int kmt_cli_double(const char *cmd, const char *opt, const char *val, double lo, double hi, double *out);

/* ---- commands over the application layer (src/cli/app_cli.c) ---- */

/* Parses argv for the use case u into req (already set to its defaults):
 * the command's own options in extra (--db, --format, ...; NULL-terminated,
 * may be NULL) and every parameter of u as --name (the one table the server
 * uses too). Positional words go to positional (room for argc entries) when
 * npositional is given, else any is a usage error. Returns 0,
 * KMT_EXIT_USAGE after printing the error, or -1 after printing help. */
int kmt_cli_app_parse(int argc, char **argv, const kmt_app_usecase *u, void *req, const kmt_opt *extra,
                      const char **positional, int *npositional, const char *help);
/* A context for a command: paths shown, warnings on stderr, the factors
 * file from $KOMMUTE_FACTORS unless factors is given, the catalogue from
 * $KOMMUTE_CATALOGUE unless catalogue is given. */
void kmt_cli_app_ctx(kmt_app_ctx *c, const char *factors, const char *catalogue);
/* Opens the store db (NULL: kommute.db) read-only into c->store and labels it.
 * Returns 0, or the exit code after printing the error. */
int kmt_cli_app_open_store(kmt_app_ctx *c, const char *db);
void kmt_cli_app_close(kmt_app_ctx *c);
/* Prints an error of a use case: a usage error (a parameter's value, a
 * combination of them) as kmt_cli_usage does for cmd, else as kmt_cli_error.
 * Returns the exit code. */
int kmt_cli_app_error(const char *cmd, const kmt_error *e);
/* Runs u's JSON answer onto kmt_cli_out() followed by a newline; returns the
 * exit code (after printing the error). */
int kmt_cli_app_json(const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req);
/* An error of a use case: a usage error (KMT_EUSAGE about parameters, no
 * file) as cmd's usage error (its message spells the options, ctx
 * param_prefix "--"), else through kmt_cli_error. Returns the exit code. */
int kmt_cli_app_error(const char *cmd, const kmt_error *e);
/* Writes b to output atomically (NULL or "-": kmt_cli_out()). Returns the exit code. */
int kmt_cli_app_write(const char *output, const kmt_buf *b);
/* As kmt_cli_app_json, into output (atomically; NULL or "-": kmt_cli_out()),
 * with errors through kmt_cli_app_error. The bytes are exactly what the
 * server answers (kmt_app_answer_json). */
int kmt_cli_app_json_to(const char *cmd, const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req,
                        const char *output);
/* "text", "json" or "csv" (NULL = text) into *f; else a usage error naming --format. */
int kmt_cli_format(const char *cmd, const char *val, kmt_app_format *f);

/* An analysis command over a use case: parse -> the use case -> output. */
enum {
    KMT_CLI_APP_FACTORS = 1u,  /* takes --factors FILE (else $KOMMUTE_FACTORS) into ctx->factors_path */
    KMT_CLI_APP_CATALOGUE = 2u /* takes --catalogue FILE (else $KOMMUTE_CATALOGUE) into ctx->catalogue_path */
};
typedef struct kmt_cli_app_cmd {
    const kmt_app_usecase *u;
    unsigned edge; /* KMT_CLI_APP_*: the file options besides --db and --format */
    /* Runs the use case on c and req and prints its text or CSV table on
     * stdout; returns 0 or the use case's KMT_E* code with e filled. */
    int (*render)(const kmt_app_ctx *c, const void *req, kmt_app_format fmt, kmt_error *e);
} kmt_cli_app_cmd;
/* The whole command: argv through u's parameter table (with --db, --format
 * and the edge's file options), the store opened read-only, then the JSON
 * answer (kmt_cli_app_json) or cmd->render. Returns the exit code, or -1
 * after printing help. */
int kmt_cli_app_run(int argc, char **argv, const kmt_cli_app_cmd *cmd, const char *help);

/* ---- the fleet commands' shared pieces ---- */

struct kmt_app_fleet_factors_info;
/* The factors lines of a text report (loud when compiled-in figures were used). */
void kmt_cli_fleet_factors_text(const struct kmt_app_fleet_factors_info *info);
/* Writes a CSV field (quoted when needed) to f, then ',' (last 0), '\n' (1) or nothing (2). */
void kmt_cli_csv_field(FILE *f, const char *s, int last);

#define KMT_CLI_FLEET_COMMON_HELP                                                                                      \
    "  --db FILE          database (default kommute.db)\n"                                                             \
    "  --from DATE        first day of the period (default: the first trip's day)\n"                                   \
    "  --to DATE          day after the period (exclusive; default: after the last trip)\n"                            \
    "  --site KEY         trips of this site only\n"                                                                   \
    "  --format F         text (default, a one-screen summary), json or csv\n"

#define KMT_CLI_FLEET_DEMAND_HELP                                                                                      \
    "  --changeover MIN   minutes between two trips of one vehicle (default 0;\n"                                      \
    "                     OS2FleetOptimiser uses 5)\n"                                                                 \
    "  --any-kind         cars, vans and minibuses serve each other's trips\n"                                         \
    "  --include-private  private-car trips are demand for a car too\n"

#define KMT_CLI_FLEET_FACTORS_HELP                                                                                     \
    "  --factors FILE     money, energy and CO2 factors (default: the travel commands'\n"                              \
    "                     factors file, data/factors/nordic-2024.json; docs/factors.md)\n"                             \
    "  --country CC       country of the factors (DK, SE, NO; default: the currency\n"                                 \
    "                     of the travel records in the database, else the file's)\n"

#endif
