/* SPDX-License-Identifier: MPL-2.0 */
/* kommute serve: the HTTP/JSON API and the web page (src/server/, docs/server.md). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server/server.h"

static const char SERVE_HELP[] =
    "Usage: kommute serve [--graph G.kgraph] [--db FILE] [--listen 127.0.0.1:8080] [--threads N]\n"
    "                     [--web DIR] [--max-body BYTES] [--max-table N] [--max-route N]\n"
    "                     [--max-busy N] [--workers N] [--timeout S] [--max-snap M]\n"
    "                     [--max-conns N] [--max-conns-per-ip N] [--max-query N]\n"
    "                     [--factors FILE] [--catalogue FILE]\n\n"
    "Serves the HTTP/JSON API and the web page until SIGTERM or SIGINT (Ctrl-C),\n"
    "then finishes running requests and exits 0. One log line per request on stderr.\n"
    "The graph is only mapped, never built (kommute graph build makes it).\n\n"
    "  --graph FILE      road graph for /route, /table and the map\n"
    "  --db FILE         store with sites, vehicles and trips for the layers and dashboards\n"
    "  --listen H:P      address (default 127.0.0.1:8080, loopback; port 0 = any free port)\n"
    "  --threads N       worker threads (default 2)\n"
    "  --web DIR         the built page (default web/dist beside the build folder)\n"
    "  --max-body B      largest request body in bytes (default 8388608; more is 413)\n"
    "  --max-table N     most coordinates in one /table request (default 1000; more is 413)\n"
    "  --max-route N     most coordinates in one /route request (default 500; more is 413)\n"
    "  --max-busy N      heavy requests (plans, analyses) running or queued (default 8; more is 503)\n"
    "  --workers N       threads that run the analyses, off the request threads (default 2)\n"
    "  --max-conns N     open connections in all (default 1000)\n"
    "  --max-conns-per-ip N  open connections from one address (default 64)\n"
    "  --max-query N     query parameters in one request (default 64, at most 256; more is 414)\n"
    "  --factors FILE    factors file of the analyses (default: $KOMMUTE_FACTORS, else the bundled one)\n"
    "  --catalogue FILE  vehicle catalogue of fleet compose (default: $KOMMUTE_CATALOGUE, else bundled)\n"
    "  --timeout S       seconds an idle connection is kept (default 30)\n"
    "  --max-snap M      metres a coordinate may be from a road (default 1000)\n"
    "Endpoints: docs/server.md.\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int run_serve(int argc, char **argv)
{
    const char *graph = NULL, *db = NULL, *listen = NULL, *threads = NULL, *web = NULL, *max_body = NULL;
    const char *max_table = NULL, *max_route = NULL, *max_busy = NULL, *timeout = NULL, *max_snap = NULL;
    const char *workers = NULL, *max_conns = NULL, *per_ip = NULL, *max_query = NULL, *factors = NULL,
               *catalogue = NULL;
    kmt_opt opts[] = { { "graph", 'g', 1, &graph },
                       { "db", 0, 1, &db },
                       { "listen", 'l', 1, &listen },
                       { "threads", 't', 1, &threads },
                       { "web", 0, 1, &web },
                       { "max-body", 0, 1, &max_body },
                       { "max-table", 0, 1, &max_table },
                       { "max-route", 0, 1, &max_route },
                       { "max-busy", 0, 1, &max_busy },
                       { "timeout", 0, 1, &timeout },
                       { "max-snap", 0, 1, &max_snap },
                       { "workers", 0, 1, &workers },
                       { "max-conns", 0, 1, &max_conns },
                       { "max-conns-per-ip", 0, 1, &per_ip },
                       { "max-query", 0, 1, &max_query },
                       { "factors", 0, 1, &factors },
                       { "catalogue", 0, 1, &catalogue },
                       { NULL, 0, 0, NULL } };
    const char *pos[64];
    int np;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, SERVE_HELP);
    if (rc) return rc;
    if (np) return kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    kmt_serve_opts o;
    kmt__serve_opts_default(&o);
    o.graph_path = graph;
    o.db_path = db;
    o.web_dir = web;
    if (listen) o.listen = listen;
    long v;
    double d;
    if (threads) {
        if (kmt_cli_int(argv[0], "threads", threads, 1, 64, &v)) return KMT_EXIT_USAGE;
        o.threads = (int)v;
    }
    if (max_body) {
        if (kmt_cli_int(argv[0], "max-body", max_body, 0, 1L << 30, &v)) return KMT_EXIT_USAGE;
        o.max_body = (size_t)v;
    }
    if (max_table) {
        if (kmt_cli_int(argv[0], "max-table", max_table, 1, 10000, &v)) return KMT_EXIT_USAGE;
        o.max_table = (size_t)v;
    }
    if (max_route) {
        if (kmt_cli_int(argv[0], "max-route", max_route, 2, 100000, &v)) return KMT_EXIT_USAGE;
        o.max_route = (size_t)v;
    }
    if (max_busy) {
        if (kmt_cli_int(argv[0], "max-busy", max_busy, 0, 10000, &v)) return KMT_EXIT_USAGE;
        o.max_busy = (int)v;
    }
    if (timeout) {
        if (kmt_cli_int(argv[0], "timeout", timeout, 1, 86400, &v)) return KMT_EXIT_USAGE;
        o.timeout_s = (int)v;
    }
    if (workers) {
        if (kmt_cli_int(argv[0], "workers", workers, 1, 64, &v)) return KMT_EXIT_USAGE;
        o.workers = (int)v;
    }
    if (max_conns) {
        if (kmt_cli_int(argv[0], "max-conns", max_conns, 1, 100000, &v)) return KMT_EXIT_USAGE;
        o.max_conns = (unsigned)v;
    }
    if (per_ip) {
        if (kmt_cli_int(argv[0], "max-conns-per-ip", per_ip, 1, 100000, &v)) return KMT_EXIT_USAGE;
        o.max_conns_per_ip = (unsigned)v;
    }
    if (max_query) {
        if (kmt_cli_int(argv[0], "max-query", max_query, 1, KMT_SERVE_MAX_QUERY_HARD, &v)) return KMT_EXIT_USAGE;
        o.max_query = (size_t)v;
    }
    o.factors_path = factors && *factors ? factors : getenv("KOMMUTE_FACTORS");
    o.catalogue_path = catalogue && *catalogue ? catalogue : getenv("KOMMUTE_CATALOGUE");
    if (max_snap) {
        if (kmt_cli_double(argv[0], "max-snap", max_snap, 0, 1e7, &d)) return KMT_EXIT_USAGE;
        o.max_snap_m = d;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (kmt_log_level < KMT_LOG_INFO) kmt_log_level = KMT_LOG_INFO; /* start-up and stop lines */
    kmt_error e;
    kmt_error_init(&e);
    rc = kmt__serve(&o, &stop_flag, &e);
    if (rc == KMT_EUSAGE) return kmt_cli_usage(argv[0], "%s", e.msg);
    if (rc) return kmt_cli_error(&e);
    return KMT_EXIT_OK;
}
KMT_COMMAND("serve", "HTTP/JSON API (OSRM route/table, plan, analyses) and the web page", run_serve, SERVE_HELP)
