/* SPDX-License-Identifier: MPL-2.0 */
/* The JSON a command prints is exactly what its use case writes (what the
 * server answers): travel report, travel candidates, pool analyse and pool
 * plan, run through the binary and through usecase->json into a buffer. */
#include <stdlib.h>
#include <string.h>

#include "kommute/app.h"
#include "kommute/store.h"
#include "test.h"

/* A demo store (made once) and the Oslo-east car graph. */
static const char *demo_db(void)
{
    static char db[512];
    if (*db) return db;
    snprintf(db, sizeof db, "%s/app_json.db", kmt_test_tmpdir());
    remove(db);
    char args[1024];
    snprintf(args, sizeof args, "demo generate --seed 1 --scale small --db %s", db);
    if (kmt_test_run(args, NULL, NULL) != 0) kmt_test_fail(__FILE__, __LINE__, "demo generate failed");
    return db;
}

static const char *graph_file(void)
{
    static char g[512];
    if (*g) return g;
    snprintf(g, sizeof g, "%s/app_json.kgraph", kmt_test_tmpdir());
    char args[1024];
    snprintf(args, sizeof args, "graph build data/osm/oslo-east-roads.osm.pbf -o %s", g);
    if (kmt_test_run(args, NULL, NULL) != 0) kmt_test_fail(__FILE__, __LINE__, "graph build failed");
    return g;
}

typedef struct run_spec {
    const char *usecase;   /* "pool plan" */
    const char *cli;       /* the command line after the use case's name (--format json added) */
    const char *const *kv; /* parameter name, value, ..., NULL: the same request in-process */
    const char *db;        /* store, or NULL */
    const char *body;      /* requests file (pool plan), or NULL */
    const char *graph;     /* graph file, or NULL */
    int threads;
    const char *trailer; /* what the command prints after the document */
} run_spec;

/* u->json's document for the spec, in a context like the command line's. */
static char *app_json(const run_spec *s)
{
    const kmt_app_usecase *u = kmt_app_usecase_find(s->usecase);
    ASSERT(u != NULL);
    void *req = kmt_calloc(1, u->req_size);
    u->req_default(req);
    kmt_error e;
    kmt_error_init(&e);
    for (size_t i = 0; s->kv && s->kv[i]; i += 2)
        if (kmt_app_param_set(u->params, req, s->kv[i], s->kv[i + 1], 0, "--", &e))
            kmt_test_fail(__FILE__, __LINE__, "%s: %s", s->kv[i], e.msg);
    kmt_app_ctx c;
    kmt_app_ctx_default(&c);
    c.show_paths = 1;
    c.param_prefix = "--";
    c.factors_path = kmt_test_data("factors/nordic-2024.json");
    c.threads = s->threads;
    kmt_graph *g = NULL;
    char *body = NULL;
    if (s->db) {
        ASSERT(kmt_store_open(&c.store, s->db, KMT_STORE_READONLY, &e) == 0);
        c.store_label = s->db;
    }
    if (s->graph) {
        ASSERT(kmt_graph_open(s->graph, &g, &e) == 0);
        c.graph = g;
        c.graph_label = s->graph;
    }
    if (s->body) {
        ASSERT(kmt_read_file(s->body, &body, &c.body_len, &e) == 0);
        c.body = body;
        c.body_label = s->body;
    }
    kmt_json j;
    kmt_json_init(&j, NULL);
    int rc = u->json(&c, req, &j, &e);
    if (rc) kmt_test_fail(__FILE__, __LINE__, "%s: %s", s->usecase, e.msg);
    kmt_buf_puts(&j.buf, s->trailer);
    kmt_buf_put(&j.buf, "", 1);
    char *out = kmt_strdup(j.buf.data);
    kmt_json_destroy(&j);
    if (c.store) kmt_store_close(c.store);
    kmt_graph_close(g);
    kmt_free(body);
    kmt_free(req);
    return out;
}

static void same_json(const run_spec *s)
{
    char args[4096], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "%s %s --format json --factors %s", s->usecase, s->cli,
             kmt_test_data("factors/nordic-2024.json"));
    int rc = kmt_test_run(args, &out, &err);
    if (rc != 0) kmt_test_fail(__FILE__, __LINE__, "'kommute %s' exited %d: %.300s", args, rc, err ? err : "");
    char *want = app_json(s);
    ASSERT(strlen(want) > 100);
    if (strcmp(out, want) != 0)
        kmt_test_fail(__FILE__, __LINE__,
                      "'kommute %s' printed another document than the use case:\n%.300s\nvs\n%.300s", args, out, want);
    free(out);
    free(err);
    kmt_free(want);
}

KMT_TEST(app_json_travel_report)
{
    const char *db = demo_db();
    char cli[1024];
    snprintf(cli, sizeof cli, "--db %s", db);
    run_spec s = { "travel report", cli, NULL, db, NULL, NULL, 1, "\n" };
    same_json(&s);
    static const char *const kv[] = { "baseline", "2023", "target", "2024:-20%,2030:-50%", "hours-per-fte", "1600",
                                      "country",  "SE",   NULL };
    snprintf(cli, sizeof cli,
             "--db %s --baseline 2023 --target 2024:-20%% --target 2030:-50%% --hours-per-fte 1600 "
             "--country SE",
             db);
    run_spec t = { "travel report", cli, kv, db, NULL, NULL, 1, "\n" };
    same_json(&t);
}

KMT_TEST(app_json_travel_candidates)
{
    const char *db = demo_db();
    char cli[1024];
    static const char *const kv[] = { "year",     "2024", "top",           "5",
                                      "baseline", "2023", "target",        "2024:-10%,2025:-90%",
                                      "window",   "60",   "meeting-hours", "1.5",
                                      NULL };
    snprintf(cli, sizeof cli,
             "--db %s --year 2024 --top 5 --baseline 2023 --target 2024:-10%% --target 2025:-90%% --window 60 "
             "--meeting-hours 1.5",
             db);
    run_spec s = { "travel candidates", cli, kv, db, NULL, NULL, 1, "\n" };
    same_json(&s);
}

KMT_TEST(app_json_pool_analyse)
{
    const char *db = demo_db();
    char cli[1024];
    static const char *const kv[] = { "from", "2024-02-01", "to", "2024-02-14", "objective", "co2", NULL };
    snprintf(cli, sizeof cli, "--db %s --from 2024-02-01 --to 2024-02-14 --objective co2", db);
    run_spec s = { "pool analyse", cli, kv, db, NULL, NULL, 1, "\n" };
    same_json(&s);
    const char *g = graph_file();
    static const char *const kv2[] = { "from", "2024-02-01", "to", "2024-02-14", "max-group", "2", NULL };
    snprintf(cli, sizeof cli, "--db %s --from 2024-02-01 --to 2024-02-14 --max-group 2 --graph %s -t 2", db, g);
    run_spec t = { "pool analyse", cli, kv2, db, NULL, g, 2, "\n" };
    same_json(&t);
}

KMT_TEST(app_json_pool_plan)
{
    const char *req = kmt_test_data("pool/requests.csv");
    char cli[1024];
    static const char *const kv[] = { "objective", "cost", "country", "NO", NULL };
    snprintf(cli, sizeof cli, "%s --objective cost --country NO", req);
    run_spec s = { "pool plan", cli, kv, NULL, req, NULL, 1, "\n" };
    same_json(&s);
    const char *g = graph_file();
    snprintf(cli, sizeof cli, "%s --graph %s", req, g);
    run_spec t = { "pool plan", cli, NULL, NULL, req, g, 1, "\n" };
    same_json(&t);
}

/* The server's side of the table: threads is the command line's only. */
KMT_TEST(app_json_threads_cli_only)
{
    const kmt_app_usecase *u = kmt_app_usecase_find("pool plan");
    ASSERT(u != NULL);
    void *req = kmt_calloc(1, u->req_size);
    u->req_default(req);
    kmt_error e;
    kmt_error_init(&e);
    ASSERT_EQ_INT(kmt_app_param_set(u->params, req, "threads", "2", 1, "", &e), KMT_EUSAGE);
    ASSERT_STR_EQ(e.field, "threads");
    ASSERT_EQ_INT(kmt_app_param_set(u->params, req, "threads", "2", 0, "--", &e), 0);
    ASSERT(kmt_app_param_find(u->params, "graph") == NULL);
    ASSERT(kmt_app_param_find(u->params, "factors") == NULL);
    kmt_free(req);
}
