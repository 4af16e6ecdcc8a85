/* SPDX-License-Identifier: MPL-2.0 */
/* The command line's side of the application layer: argv -> a use case's
 * request through the use case's parameter table, the context a command
 * hands over, and the JSON answer on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kommute/app_fleet.h"
#include "kommute/csv.h"
#include "kommute/store.h"

int kmt_cli_app_parse(int argc, char **argv, const kmt_app_usecase *u, void *req, const kmt_opt *extra,
                      const char **positional, int *npositional, const char *help)
{
    size_t nextra = 0, nparams = 0;
    while (extra && extra[nextra].name) nextra++;
    while (u->params && u->params[nparams].name) nparams++;
    kmt_opt *opts = kmt_calloc(nextra + nparams + 1, sizeof *opts);
    const char **vals = kmt_calloc(nparams + 1, sizeof *vals);
    const char **pos = positional ? positional : kmt_calloc((size_t)argc + 1, sizeof *pos);
    memcpy(opts, extra, nextra * sizeof *opts);
    for (size_t i = 0; i < nparams; i++) {
        const kmt_app_param *p = &u->params[i];
        opts[nextra + i] = (kmt_opt){ p->name, p->short_name, p->type != KMT_APP_P_FLAG, &vals[i] };
    }
    int np = 0;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, help);
    if (!rc && !npositional && np) rc = kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    for (size_t i = 0; !rc && i < nparams; i++) {
        if (!vals[i]) continue;
        kmt_error e;
        kmt_error_init(&e);
        if (kmt_app_param_set(u->params, req, u->params[i].name, vals[i], 0, "--", &e))
            rc = kmt_cli_usage(argv[0], "%s", e.msg);
    }
    if (npositional) *npositional = np;
    if (!positional) kmt_free(pos);
    kmt_free(vals);
    kmt_free(opts);
    return rc;
}

static void warn_stderr(void *cls, const char *msg)
{
    (void)cls;
    fprintf(kmt_cli_err(), "WARNING: %s\n", msg);
}

void kmt_cli_app_ctx(kmt_app_ctx *c, const char *factors, const char *catalogue)
{
    kmt_app_ctx_default(c);
    c->show_paths = 1;
    c->param_prefix = "--";
    c->warn = warn_stderr;
    c->factors_path = factors && *factors ? factors : getenv("KOMMUTE_FACTORS");
    c->catalogue_path = catalogue && *catalogue ? catalogue : getenv("KOMMUTE_CATALOGUE");
}

int kmt_cli_app_open_store(kmt_app_ctx *c, const char *db)
{
    kmt_error e;
    kmt_error_init(&e);
    c->store_label = db ? db : KMT_STORE_DEFAULT_PATH;
    if (kmt_store_open(&c->store, db, KMT_STORE_READONLY, &e)) return kmt_cli_error(&e);
    return 0;
}

void kmt_cli_app_close(kmt_app_ctx *c)
{
    if (c->store) kmt_store_close(c->store);
    c->store = NULL;
}

int kmt_cli_app_json(const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req)
{
    return kmt_cli_app_json_to(u->name, u, c, req, NULL);
}

int kmt_cli_app_error(const char *cmd, const kmt_error *e)
{
    if (e->code == KMT_EUSAGE && !e->file[0]) return kmt_cli_usage(cmd, "%s", e->msg);
    return kmt_cli_error(e);
}

static int write_buf(FILE *f, void *ctx)
{
    const kmt_buf *b = ctx;
    return fwrite(b->data, 1, b->len, f) == b->len ? 0 : KMT_EIO;
}

int kmt_cli_app_write(const char *output, const kmt_buf *b)
{
    kmt_error e;
    kmt_error_init(&e);
    if (output && *output && strcmp(output, "-") != 0) {
        if (kmt_write_file_atomic(output, write_buf, (void *)b, &e)) return kmt_cli_error(&e);
        return KMT_EXIT_OK;
    }
    if ((b->len && fwrite(b->data, 1, b->len, kmt_cli_out()) != b->len) || fflush(kmt_cli_out())) {
        kmt_error_set(&e, KMT_EIO, "could not write the output");
        return kmt_cli_error(&e);
    }
    return KMT_EXIT_OK;
}

int kmt_cli_app_json_to(const char *cmd, const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req,
                        const char *output)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_buf b = { 0 };
    int rc = kmt_app_answer_json(u, c, req, &b, &e);
    if (rc) {
        kmt_buf_destroy(&b);
        return kmt_cli_app_error(cmd, &e);
    }
    rc = kmt_cli_app_write(output, &b);
    kmt_buf_destroy(&b);
    return rc;
}

int kmt_cli_format(const char *cmd, const char *val, kmt_app_format *f)
{
    if (!val || strcmp(val, "text") == 0)
        *f = KMT_APP_TEXT;
    else if (strcmp(val, "json") == 0)
        *f = KMT_APP_JSON;
    else if (strcmp(val, "csv") == 0)
        *f = KMT_APP_CSV;
    else
        return kmt_cli_usage(cmd, "--format expects text, json or csv, got '%s'", val);
    return 0;
}

int kmt_cli_app_run(int argc, char **argv, const kmt_cli_app_cmd *cmd, const char *help)
{
    const kmt_app_usecase *u = cmd->u;
    void *req = kmt_calloc(1, u->req_size);
    u->req_default(req);
    const char *db = NULL, *format = NULL, *factors = NULL, *catalogue = NULL;
    kmt_opt opts[5] = { { "db", 0, 1, &db }, { "format", 'f', 1, &format } };
    size_t n = 2;
    if (cmd->edge & KMT_CLI_APP_FACTORS) opts[n++] = (kmt_opt){ "factors", 0, 1, &factors };
    if (cmd->edge & KMT_CLI_APP_CATALOGUE) opts[n++] = (kmt_opt){ "catalogue", 0, 1, &catalogue };
    opts[n] = (kmt_opt){ NULL, 0, 0, NULL };
    kmt_app_format fmt;
    kmt_app_ctx c;
    int rc = kmt_cli_app_parse(argc, argv, u, req, opts, NULL, NULL, help);
    if (!rc && !(rc = kmt_cli_format(argv[0], format, &fmt))) {
        kmt_cli_app_ctx(&c, factors, catalogue);
        rc = kmt_cli_app_open_store(&c, db);
    }
    if (rc) {
        kmt_free(req);
        return rc;
    }
    if (fmt == KMT_APP_JSON)
        rc = kmt_cli_app_json(u, &c, req);
    else {
        kmt_error e;
        kmt_error_init(&e);
        rc = cmd->render(&c, req, fmt, &e) ? kmt_cli_app_error(argv[0], &e) : KMT_EXIT_OK;
    }
    kmt_cli_app_close(&c);
    kmt_free(req);
    return rc;
}

void kmt_cli_fleet_factors_text(const kmt_app_fleet_factors_info *info)
{
    if (info->fallback) {
        printf("WARNING: no factors file found: compiled-in DK factors used (may be out of date); "
               "give --factors FILE\n");
        return;
    }
    const char *from = strcmp(info->country_from, "travel_records") == 0 ? ", from the currency of the travel records"
                       : strcmp(info->country_from, "file_default") == 0
                           ? ", the file's default: give --country to match your costs' currency"
                           : "";
    printf("factors: %s, version %s, country %s (%s%s)%s\n", info->file, info->version, info->country, info->currency,
           from, info->price_assumption ? "; fuel and electricity prices are assumptions" : "");
    if (info->missing[0]) printf("WARNING: the factors file lacks %s: compiled-in DK figures used\n", info->missing);
}

void kmt_cli_csv_field(FILE *f, const char *s, int last)
{
    kmt_csv_write_field(f, s);
    if (last < 2) fputc(last ? '\n' : ',', f);
}
