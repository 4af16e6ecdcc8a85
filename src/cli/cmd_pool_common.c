/* SPDX-License-Identifier: MPL-2.0 */
/* What `pool plan` and `pool analyse` share on the command line: the
 * CLI-only options and the context (see cmd_pool.h). */
#include <string.h>

#include "cmd_pool.h"

int kmt__pool_parse(int argc, char **argv, const kmt_app_usecase *u, void *req, const kmt_app_pool_model_req *model,
                    int with_db, pool_cli *p, const char **pos, int *np, const char *help)
{
    memset(p, 0, sizeof *p);
    kmt_opt opts[] = { { "graph", 0, 1, &p->graph },   { "factors", 0, 1, &p->factors },
                       { "format", 0, 1, &p->format }, { "output", 'o', 1, &p->output },
                       { "db", 0, 1, &p->db },         { NULL, 0, 0, NULL } };
    if (!with_db) opts[4] = (kmt_opt){ NULL, 0, 0, NULL };
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_app_parse(argc, argv, u, req, opts, pos, np, help);
    if (rc || (rc = kmt_cli_format(argv[0], p->format, &p->fmt))) return rc;
    kmt_cli_app_ctx(&p->c, p->factors, NULL);
    p->c.threads = (int)model->threads;
    return 0;
}

int kmt__pool_open_graph(pool_cli *p)
{
    if (!p->graph) return 0;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_graph_open(p->graph, &p->g, &e)) return kmt_cli_error(&e);
    p->c.graph = p->g;
    p->c.graph_label = p->graph;
    return 0;
}

void kmt__pool_close(pool_cli *p)
{
    kmt_cli_app_close(&p->c);
    kmt_graph_close(p->g);
    p->g = NULL;
    p->c.graph = NULL;
}
