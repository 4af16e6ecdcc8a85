/* SPDX-License-Identifier: MPL-2.0 */
/* kommute check: verify a plan against its problem with the independent checker. */
#include <string.h>

#include "cli.h"
#include "cli_hhc.h"
#include "kommute/vrp_io.h"

static const char CHECK_HELP[] =
    "Usage: kommute check PROBLEM.json SOLUTION.json\n"
    "       kommute check --solomon FILE --convention dimacs|classic SOLUTION.json\n\n"
    "Recomputes every route of SOLUTION (VROOM's solution shape) from the problem alone:\n"
    "each task served once or listed unassigned, skills, shipment order, capacity in every\n"
    "dimension, time windows, breaks, max tasks, max travel time and working time; prints\n"
    "the recomputed cost. Exit 0 when feasible, 1 when not (the first violation is named).\n"
    "Options:\n"
    "  --solomon FILE      the problem is a Solomon / Gehring-Homberger text instance\n"
    "  --convention C      dimacs or classic (with --solomon)\n"
    "  --graph FILES       road graph(s) (one per profile, comma-separated) for problems\n"
    "                      given with coordinates only\n";

static int run_check(int argc, char **argv)
{
    /* home-care benchmark inputs: a separate planner (src/hhc, cmd_plan_hhc.c) */
    if (kmt_cli_is_hhc(argc, argv)) return kmt_cli_check_hhc(argc, argv);
    const char *solomon = NULL, *conv = NULL, *graph = NULL;
    kmt_opt opts[] = {
        { "solomon", 0, 1, &solomon }, { "convention", 0, 1, &conv }, { "graph", 0, 1, &graph }, { NULL, 0, 0, NULL }
    };
    const char **pos = kmt_calloc((size_t)argc + 1, sizeof(char *));
    int np = 0;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, CHECK_HELP);
    const char *a = np > 0 ? pos[0] : NULL, *b = np > 1 ? pos[1] : NULL;
    kmt_free((void *)pos);
    if (rc) return rc;
    const char *problem, *solution;
    int convention = -1;
    if (solomon) {
        convention = kmt_solomon_convention_parse(conv);
        if (convention < 0) return kmt_cli_usage(argv[0], "--solomon needs --convention dimacs or classic");
        if (np != 1) return kmt_cli_usage(argv[0], "expected one SOLUTION file after --solomon FILE");
        problem = solomon;
        solution = a;
    } else {
        if (np != 2) return kmt_cli_usage(argv[0], "expected PROBLEM and SOLUTION files");
        problem = a;
        solution = b;
    }
    kmt_error e;
    kmt_error_init(&e);
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_vrp_graphs gs;
    kmt_vrp_graphs_init(&gs);
    char *text = NULL;
    size_t len;
    rc = graph ? kmt_vrp_graphs_open(&gs, graph, &e) : 0;
    if (!rc) rc = kmt_vrp_load_problem(problem, convention, &gs, &p, &e);
    kmt_vrp_graphs_destroy(&gs); /* the matrices are computed: the graphs are not needed any more */
    if (!rc) rc = kmt_read_file(solution, &text, &len, &e);
    if (!rc) rc = kmt_vrp_parse_solution_json(text, len, solution, &p, &s, &e);
    kmt_free(text);
    if (rc) {
        kmt_vrp_solution_destroy(&s);
        kmt_vrp_problem_destroy(&p);
        return kmt_cli_error(&e);
    }
    kmt_vrp_check_report r;
    int crc = kmt_vrp_check(&p, &s, &r);
    if (crc == 0)
        printf("feasible: %d routes, cost %.6f, distance %.6f, travel time %.6f, %d unassigned\n", r.vehicles, r.cost,
               r.distance, r.duration, r.unassigned);
    else
        printf("infeasible: %s (%d violations)\n", r.first, r.nviolations);
    kmt_vrp_check_report_destroy(&r);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
    return crc ? KMT_EXIT_INPUT : KMT_EXIT_OK;
}

KMT_COMMAND("check", "verify a route plan with the independent checker", run_check, CHECK_HELP)
