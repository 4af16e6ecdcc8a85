/* SPDX-License-Identifier: MPL-2.0 */
/* kommute plan: solve a route-planning problem (VROOM JSON or Solomon text). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_hhc.h"
#include "kommute/vrp_io.h"

static const char PLAN_HELP[] =
    "Usage: kommute plan PROBLEM.json [options]\n"
    "       kommute plan --solomon FILE --convention dimacs|classic [options]\n\n"
    "Plans vehicle routes with time windows. PROBLEM.json is VROOM's problem format\n"
    "(jobs, shipments, vehicles, matrices, time_windows, skills, breaks, ...). The plan\n"
    "is written in VROOM's solution shape after the independent checker has verified it.\n\n"
    "Options:\n"
    "  -o, --output FILE     write the plan here (default: standard output)\n"
    "  --time-limit S        seconds to search (default 10)\n"
    "  --iterations N        stop after N iterations (with --time-limit 0: fully deterministic)\n"
    "  --seed N              random seed (default 1)\n"
    "  -t, --threads N       searching threads (default 1); they share the best plan\n"
    "                        at 32 points of the run; same seed and N: same plan\n"
    "                        when bounded by --iterations\n"
    "  --graph FILES         road graph(s) (.kgraph, one per profile, comma-separated) for\n"
    "                        problems given with coordinates and no matrices\n"
    "  --geojson FILE        with --graph: the routes along the roads as GeoJSON (default:\n"
    "                        the -o file with .geojson instead of .json)\n"
    "  --solomon FILE        read a Solomon / Gehring-Homberger text instance instead\n"
    "  --convention C        for --solomon: dimacs (one-decimal arcs, minimise distance) or\n"
    "                        classic (exact distances, fewest vehicles first)\n"
    "  --max-vehicles N      use at most N vehicles\n"
    "  --progress            print the best cost over time on stderr\n"
    "Ctrl-C stops the search and writes the best plan found so far.\n";

static volatile sig_atomic_t stop_flag;
static void on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void progress(void *ctx, double sec, int veh, double cost, int un)
{
    (void)ctx;
    fprintf(stderr, "plan: %8.2f s  vehicles %d  cost %.4f  unassigned %d\n", sec, veh, cost, un);
}

typedef struct {
    const kmt_vrp_problem *p;
    const kmt_vrp_solution *s;
    const kmt_vrp_check_report *r;
    const kmt_vrp_solve_stats *st;
} out_ctx;

static int write_plan(FILE *f, void *ctx)
{
    out_ctx *o = ctx;
    kmt_json j;
    kmt_json_init(&j, f);
    kmt_vrp_write_solution(&j, o->p, o->s, o->r, o->st);
    int rc = kmt_json_finish(&j);
    fputc('\n', f);
    return rc;
}

typedef struct {
    const kmt_vrp_problem *p;
    const kmt_vrp_solution *s;
    const kmt_vrp_check_report *r;
    const kmt_vrp_graphs *gs;
    kmt_error *e;
    int rc;
} geo_ctx;

static int write_geo(FILE *f, void *ctx)
{
    geo_ctx *g = ctx;
    kmt_json j;
    kmt_json_init(&j, f);
    g->rc = kmt_vrp_write_geojson(&j, g->p, g->s, g->r, g->gs, g->e);
    int rc = kmt_json_finish(&j);
    fputc('\n', f);
    return g->rc ? g->rc : rc;
}

static int run_plan(int argc, char **argv)
{
    /* home-care benchmark inputs: a separate planner (src/hhc, cmd_plan_hhc.c) */
    if (kmt_cli_is_hhc(argc, argv)) return kmt_cli_plan_hhc(argc, argv);
    const char *out = NULL, *tl = NULL, *seed = NULL, *threads = NULL, *graph = NULL, *solomon = NULL;
    const char *conv = NULL, *prog = NULL, *iters = NULL, *maxv = NULL, *geojson = NULL;
    kmt_opt opts[] = { { "output", 'o', 1, &out },      { "time-limit", 0, 1, &tl },   { "seed", 0, 1, &seed },
                       { "threads", 't', 1, &threads }, { "graph", 0, 1, &graph },     { "solomon", 0, 1, &solomon },
                       { "convention", 0, 1, &conv },   { "progress", 0, 0, &prog },   { "iterations", 0, 1, &iters },
                       { "max-vehicles", 0, 1, &maxv }, { "geojson", 0, 1, &geojson }, { NULL, 0, 0, NULL } };
    const char **pos = kmt_calloc((size_t)argc + 1, sizeof(char *));
    int np = 0;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, PLAN_HELP);
    const char *path = np > 0 ? pos[0] : NULL;
    kmt_free((void *)pos);
    if (rc) return rc;
    if (np > 1) return kmt_cli_usage(argv[0], "expected one problem file");
    if (solomon && path) return kmt_cli_usage(argv[0], "give either PROBLEM.json or --solomon FILE");
    if (!solomon && !path) return kmt_cli_usage(argv[0], "a problem file is needed");
    int convention = -1;
    if (solomon) {
        convention = kmt_solomon_convention_parse(conv);
        if (convention < 0) return kmt_cli_usage(argv[0], "--solomon needs --convention dimacs or classic");
        path = solomon;
    } else if (conv) {
        return kmt_cli_usage(argv[0], "--convention applies to --solomon files only");
    }
    kmt_vrp_solve_opts so;
    kmt_vrp_solve_opts_default(&so);
    long v;
    double d;
    if (tl) {
        if (kmt_cli_double(argv[0], "time-limit", tl, 0, 1e7, &d)) return KMT_EXIT_USAGE;
        so.time_limit = d;
    }
    if (seed) {
        if (kmt_cli_int(argv[0], "seed", seed, 0, 2147483647L, &v)) return KMT_EXIT_USAGE;
        so.seed = (uint64_t)v;
    }
    if (threads) {
        if (kmt_cli_int(argv[0], "threads", threads, 1, 256, &v)) return KMT_EXIT_USAGE;
        so.threads = (int)v;
    }
    if (iters) {
        if (kmt_cli_int(argv[0], "iterations", iters, 1, 2000000000L, &v)) return KMT_EXIT_USAGE;
        so.iterations = v;
    }
    if (maxv) {
        if (kmt_cli_int(argv[0], "max-vehicles", maxv, 1, 1000000, &v)) return KMT_EXIT_USAGE;
        so.max_vehicles = (int)v;
    }
    if (so.time_limit <= 0 && so.iterations <= 0) return kmt_cli_usage(argv[0], "--time-limit 0 needs --iterations N");
    if (prog) so.progress = progress;
    /* experiment knobs (docs/vrp.md): the environment is read here, at the edge, never in the engine */
    kmt_vrp_tuning tuning;
    kmt_vrp_tuning_default(&tuning);
    kmt_error te;
    kmt_error_init(&te);
    if (kmt_vrp_tuning_from_env(&tuning, NULL, &te)) return kmt_cli_usage(argv[0], "%s", te.msg);
    so.tuning = &tuning;

    kmt_error e;
    kmt_error_init(&e);
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    kmt_vrp_graphs gs; /* opened once: the tables and the GeoJSON routes use the same mappings */
    kmt_vrp_graphs_init(&gs);
    double t0 = kmt_now_monotonic();
    rc = graph ? kmt_vrp_graphs_open(&gs, graph, &e) : 0;
    if (!rc) rc = kmt_vrp_load_problem(path, convention, &gs, &p, &e);
    if (rc) {
        kmt_vrp_problem_destroy(&p);
        kmt_vrp_graphs_destroy(&gs);
        return kmt_cli_error(&e);
    }
    double t_load = kmt_now_monotonic() - t0;
    stop_flag = 0;
    so.stop = &stop_flag;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_vrp_solve_stats st;
    rc = kmt_vrp_solve(&p, &so, &s, &st, &e);
    sigaction(SIGINT, &old, NULL);
    if (rc) {
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
        kmt_vrp_graphs_destroy(&gs);
        return kmt_cli_error(&e);
    }
    kmt_vrp_check_report r;
    int crc = kmt_vrp_check(&p, &s, &r);
    int exit_code = KMT_EXIT_OK;
    if (crc) {
        fprintf(stderr, "kommute: error: internal: the checker rejects the plan: %s (%d violations)\n", r.first,
                r.nviolations);
        exit_code = KMT_EXIT_INPUT;
    }
    out_ctx oc = { &p, &s, &r, &st };
    if (out) {
        if (kmt_write_file_atomic(out, write_plan, &oc, &e)) exit_code = kmt_cli_error(&e);
    } else if (write_plan(stdout, &oc)) {
        fprintf(stderr, "kommute: error: could not write the plan to standard output\n");
        exit_code = KMT_EXIT_INPUT;
    }
    char gpath[1024];
    if (graph && !geojson && out) {
        size_t l = strlen(out);
        if (l > 5 && strcmp(out + l - 5, ".json") == 0)
            snprintf(gpath, sizeof gpath, "%.*s.geojson", (int)(l - 5), out);
        else
            snprintf(gpath, sizeof gpath, "%s.geojson", out);
        geojson = gpath;
    }
    if (geojson && !graph) {
        fprintf(stderr, "kommute plan: --geojson needs --graph (routes are drawn along the roads)\n");
        exit_code = KMT_EXIT_USAGE;
    } else if (geojson && exit_code == KMT_EXIT_OK) {
        geo_ctx gc = { &p, &s, &r, &gs, &e, 0 };
        if (kmt_write_file_atomic(geojson, write_geo, &gc, &e) || gc.rc) exit_code = kmt_cli_error(&e);
    }
    if (st.initial_routes_rejected)
        fprintf(stderr,
                "kommute plan: note: %d of the vehicles' given routes (steps) are infeasible and were not used "
                "as a start\n",
                st.initial_routes_rejected);
    fprintf(stderr,
            "plan: %s: %d routes, cost %.4f, distance %.4f, %d unassigned, %s; %ld iterations in %.2f s "
            "(best at %.2f s, load %.2f s)%s\n",
            p.name[0] ? p.name : path, r.vehicles, r.cost, r.distance, s.nunassigned,
            r.feasible ? "checked feasible" : "INFEASIBLE", st.iterations, st.seconds, st.seconds_to_best, t_load,
            st.stopped ? " (stopped by Ctrl-C)" : "");
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
    kmt_vrp_graphs_destroy(&gs);
    return exit_code;
}

KMT_COMMAND("plan", "plan vehicle routes with time windows (VROOM JSON, Solomon)", run_plan, PLAN_HELP)
