/* SPDX-License-Identifier: MPL-2.0 */
/* The fleet use cases (include/kommute/app_fleet.h): what `kommute fleet X
 * --format json` prints is byte for byte what the use case's JSON call
 * writes into a buffer (the server answers with that call), and the errors
 * are the same; with the server's context no file is named by its path. */
#include <stdlib.h>
#include <string.h>

#include "kommute/app_fleet.h"
#include "kommute/store.h"
#include "test.h"

static const char *app_db(void)
{
    static char db[1024];
    if (db[0]) return db;
    snprintf(db, sizeof db, "%s/app-fleet-demo.db", kmt_test_tmpdir());
    char args[1200];
    snprintf(args, sizeof args, "demo generate --seed 1 --scale small --db %s", db);
    if (kmt_test_run(args, NULL, NULL) != 0) {
        db[0] = '\0';
        kmt_test_skip("demo generate failed");
    }
    return db;
}

/* The context the command line builds for the store db (paths shown). */
static void cli_ctx(kmt_app_ctx *c, kmt_store **st)
{
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_store_open(st, app_db(), KMT_STORE_READONLY, &e), 0);
    kmt_app_ctx_default(c);
    c->store = *st;
    c->store_label = app_db();
    c->show_paths = 1;
    c->param_prefix = "--";
    c->factors_path = kmt_test_data("factors/nordic-2024.json");
    c->catalogue_path = kmt_test_data("fleet/catalogue.csv");
}

/* args ("--site S05 --pool ...") through u's table into req (set to its
 * defaults); words is scratch the values point into. Returns the rc of the
 * first failing kmt_app_param_set (e filled), else 0. */
static int parse(const kmt_app_usecase *u, void *req, const char *args, char *words, kmt_error *e)
{
    u->req_default(req);
    strcpy(words, args);
    char *save = NULL, *w = strtok_r(words, " ", &save);
    while (w) {
        const char *name = w + 2;
        const kmt_app_param *p = kmt_app_param_find(u->params, name);
        const char *val = NULL;
        if (!p || p->type != KMT_APP_P_FLAG) val = strtok_r(NULL, " ", &save);
        int rc = kmt_app_param_set(u->params, req, name, val, 0, "--", e);
        if (rc) return rc;
        w = strtok_r(NULL, " ", &save);
    }
    return 0;
}

/* Runs the use case's JSON call into a buffer: 0 and the document in *out
 * (malloc'd) followed by what the command prints after it (the newline of
 * kmt_json_finish on a FILE and the one kmt_cli_app_json adds, as the
 * commands always did), or the error in e. */
static int app_json(const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req, char **out, kmt_error *e)
{
    kmt_json j;
    kmt_json_init(&j, NULL);
    int rc = u->json(c, req, &j, e);
    *out = NULL;
    if (rc == 0) {
        ASSERT_EQ_INT(kmt_json_finish(&j), 0);
        *out = malloc(j.buf.len + 3);
        memcpy(*out, j.buf.data, j.buf.len);
        memcpy(*out + j.buf.len, "\n", 2);
    }
    kmt_json_destroy(&j);
    return rc;
}

/* The file options of the command name: the factors and catalogue of c. */
static const char *edge_options(const char *name, const kmt_app_ctx *c)
{
    static char buf[2048];
    buf[0] = '\0';
    if (strcmp(name, "fleet ev") == 0 || strcmp(name, "fleet compose") == 0)
        snprintf(buf, sizeof buf, " --factors %s", c->factors_path);
    if (strcmp(name, "fleet compose") == 0)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " --catalogue %s", c->catalogue_path);
    return buf;
}

/* `kommute NAME --db DB --format json --factors F [--catalogue C] ARGS` against the
 * use case's JSON call with the same parameters. */
static void same_json(const char *name, const char *args)
{
    const kmt_app_usecase *u = kmt_app_usecase_find(name);
    ASSERT(u != NULL);
    kmt_app_ctx c;
    kmt_store *st = NULL;
    cli_ctx(&c, &st);
    char cmd[4096], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s --format json%s %s", name, app_db(), edge_options(name, &c), args);
    ASSERT_EQ_INT(kmt_test_run(cmd, &out, &err), 0);
    void *req = calloc(1, u->req_size);
    char words[1024];
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(parse(u, req, args, words, &e), 0);
    char *mine = NULL;
    ASSERT_EQ_INT(app_json(u, &c, req, &mine, &e), 0);
    if (strcmp(out, mine) != 0) {
        char path[1200];
        snprintf(path, sizeof path, "%s/app-json.cli", kmt_test_tmpdir());
        FILE *f = fopen(path, "w");
        if (f) fputs(out, f), fclose(f);
        snprintf(path, sizeof path, "%s/app-json.app", kmt_test_tmpdir());
        if ((f = fopen(path, "w"))) fputs(mine, f), fclose(f);
    }
    if (strcmp(out, mine) != 0)
        kmt_test_fail(__FILE__, __LINE__, "%s %s: the command's JSON (%zu bytes) differs from the use case's (%zu)",
                      name, args, strlen(out), strlen(mine));
    free(mine), free(out), free(err), free(req);
    kmt_store_close(st);
}

KMT_TEST(fleet_app_json_report)
{
    same_json("fleet report", "");
    same_json("fleet report", "--work-hours 8-16 --work-days 7 --low 25 --site S03");
    same_json("fleet report", "--from 2024-03-01 --to 2024-04-01 --by site");
}

KMT_TEST(fleet_app_json_size)
{
    same_json("fleet size", "--changeover 5 --pool-distance 3000");
    same_json("fleet size", "--any-kind --include-private --service-days 3 --site S02");
}

KMT_TEST(fleet_app_json_place)
{
    same_json("fleet place", "");
    same_json("fleet place", "--changeover 5 --any-kind --move-cost-per-km 10 --unserved-per-trip 50");
}

KMT_TEST(fleet_app_json_ev)
{
    same_json("fleet ev", "");
    same_json("fleet ev", "--range 250 --margin 20 --winter-factor 0.6 --winter-months 11,12,1,2,3");
    same_json("fleet ev", "--country SE --grid-co2 100 --kwh-price 2.5 --bike-km 8");
}

KMT_TEST(fleet_app_json_compose)
{
    same_json("fleet compose", "--site S05 --best 2");
    same_json("fleet compose", "--site S02 --allow-uncovered --allowance 4 --co2-price 1500 --country NO");
    same_json("fleet compose", "--pool-distance 2000 --max-evaluations 2000 --bike-km 0");
}

/* The command's error (stderr, exit code) against the use case's. */
static void same_error(const char *name, const char *args, int exit_code, const char *want)
{
    const kmt_app_usecase *u = kmt_app_usecase_find(name);
    kmt_app_ctx c;
    kmt_store *st = NULL;
    cli_ctx(&c, &st);
    char cmd[4096], *err = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s --format json%s %s", name, app_db(), edge_options(name, &c), args);
    ASSERT_EQ_INT(kmt_test_run(cmd, NULL, &err), exit_code);
    void *req = calloc(1, u->req_size);
    char words[1024], msg[1600], *mine = NULL;
    kmt_error e;
    kmt_error_init(&e);
    int rc = parse(u, req, args, words, &e);
    if (!rc) rc = app_json(u, &c, req, &mine, &e);
    ASSERT(rc != 0);
    ASSERT_EQ_INT(kmt_error_exit_code(rc), exit_code);
    ASSERT(strstr(err, want) != NULL);
    /* a usage error prints its message, another error the kmt_error format */
    ASSERT(strstr(err, rc == KMT_EUSAGE ? e.msg : kmt_error_format(&e, msg, sizeof msg)) != NULL);
    free(mine), free(err), free(req);
    kmt_store_close(st);
}

KMT_TEST(fleet_app_errors)
{
    same_error("fleet report", "--from 2024-03-01 --to 2024-02-01", 2, "--to (2024-02-01) must be after --from");
    same_error("fleet report", "--by week", 2, "--by expects vehicle, site or department, got 'week'");
    same_error("fleet report", "--work-hours 17-7", 2, "--work-hours expects H-H like 7-17");
    same_error("fleet place", "--site NOPE", 1, "field 'site': no site 'NOPE' in");
    same_error("fleet ev", "--range -3", 2, "--range expects a number from 1 to 5000, got '-3'");
    same_error("fleet ev", "--winter-months 1,13", 2, "--winter-months expects months 1-12");
    same_error("fleet ev", "--country XX", 1, "no country 'XX' in the factors file");
    same_error("fleet compose", "--best 0", 2, "--best expects a whole number from 1 to 50, got '0'");
    same_error("fleet size", "--changeover 9999", 2, "--changeover expects a whole number from 0 to 1440");
}

static void count_warning(void *cls, const char *msg)
{
    (void)msg;
    (*(int *)cls)++;
}

/* The server's context: files by their base names, parameters without dashes. */
KMT_TEST(fleet_app_server_context)
{
    kmt_app_ctx c;
    kmt_store *st = NULL;
    cli_ctx(&c, &st);
    c.show_paths = 0;
    c.param_prefix = "";
    c.store_label = "the store";
    int warnings = 0;
    c.warn = count_warning, c.warn_cls = &warnings;
    kmt_app_fleet_compose_req q;
    kmt_app_fleet_compose_req_default(&q);
    char words[256];
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(parse(&kmt_app_fleet_compose_usecase, &q, "--site S05 --best 1", words, &e), 0);
    kmt_app_fleet_compose_result r;
    ASSERT_EQ_INT(kmt_app_fleet_compose(&c, &q, &r, &e), 0);
    ASSERT(strcmp(r.catalogue, "catalogue.csv") == 0);
    ASSERT(strcmp(r.factors.file, "nordic-2024.json") == 0);
    ASSERT(r.ngroups == 1 && r.groups[0].rc == 0 && r.groups[0].r.nfleets == 1);
    ASSERT_EQ_INT(warnings, 0);
    kmt_app_fleet_compose_result_destroy(&r);

    kmt_app_fleet_report_req rq;
    kmt_app_fleet_report_req_default(&rq);
    ASSERT_EQ_INT(parse(&kmt_app_fleet_report_usecase, &rq, "--from 2024-03-01 --to 2024-02-01", words, &e), 0);
    kmt_app_fleet_report_result rr;
    ASSERT_EQ_INT(kmt_app_fleet_report(&c, &rq, &rr, &e), KMT_EUSAGE);
    ASSERT(strcmp(e.msg, "to (2024-02-01) must be after from (2024-03-01)") == 0);
    ASSERT(strcmp(e.field, "to") == 0);
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_app_param_set(kmt_app_fleet_ev_usecase.params, &rq, "factors", "/etc/passwd", 1, "", &e),
                  KMT_EUSAGE);
    ASSERT(strstr(e.msg, "unknown query parameter 'factors'") != NULL);
    kmt_store_close(st);
}

/* A factors file lacking facts: they are compiled-in figures, named in a warning. */
KMT_TEST(fleet_app_factors_warning)
{
    kmt_app_ctx c;
    kmt_store *st = NULL;
    cli_ctx(&c, &st);
    int warnings = 0;
    c.warn = count_warning, c.warn_cls = &warnings;
    kmt_fleet_factors f;
    kmt_app_fleet_factors_info fi;
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_app_fleet_factors(&c, "DK", &f, &fi, &e), 0);
    ASSERT_EQ_INT(warnings, fi.missing[0] ? 1 : 0);
    ASSERT(strcmp(fi.country, "DK") == 0 && strcmp(fi.country_from, "option") == 0);
    ASSERT_EQ_INT(kmt_app_fleet_factors(&c, "XX", &f, &fi, &e), KMT_EINVAL);
    ASSERT(strcmp(e.field, "country") == 0);
    kmt_store_close(st);
}
