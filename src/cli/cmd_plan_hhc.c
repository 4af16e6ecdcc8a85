/* SPDX-License-Identifier: MPL-2.0 */
/* kommute plan / check for home-care benchmark instances (Mankowska, HHCRSP JSON). */
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "cli_hhc.h"
#include "kommute/hhc_io.h"

static const char PLAN_HHC_HELP[] =
    "Usage: kommute plan --mankowska FILE.txt [options]\n"
    "       kommute plan --hhcrsp FILE.json [options]\n\n"
    "Plans home-care routes (double-staffed and ordered visits, skills, soft windows) for a\n"
    "Mankowska et al. (2014) text instance or an iolab-uniud HHCRSP JSON instance, minimising\n"
    "(distance + total tardiness + maximum tardiness) / 3. The plan is verified by the\n"
    "independent checker before it is written.\n\n"
    "Options:\n"
    "  -o, --output FILE   write the plan (JSON) here (default: standard output)\n"
    "  --time-limit S      CPU seconds to search (default 10)\n"
    "  --iterations N      stop after N iterations (with --time-limit 0: deterministic)\n"
    "  --seed N            random seed (default 1)\n"
    "Ctrl-C stops the search and writes the best plan found so far.\n";

static const char CHECK_HHC_HELP[] = "Usage: kommute check --mankowska FILE.txt SOL.json\n"
                                     "       kommute check --hhcrsp FILE.json SOL.json\n\n"
                                     "Verifies a home-care plan with the independent checker and prints the\n"
                                     "objective. Exit 0 when feasible, 1 when not.\n";

int kmt_cli_is_hhc(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--mankowska", 11) || !strncmp(argv[i], "--hhcrsp", 8)) return 1;
    return 0;
}

static int load(const char *mank, const char *hhcrsp, kmt_hhc_problem *p, kmt_error *e)
{
    return mank ? kmt_hhc_read_mankowska(mank, p, e) : kmt_hhc_read_uniud(hhcrsp, p, e);
}

static volatile int hhc_stop;
static void on_sigint(int sig)
{
    (void)sig;
    hhc_stop = 1;
}

typedef struct {
    const kmt_hhc_problem *p;
    const kmt_hhc_solution *s;
    const kmt_hhc_solve_stats *st;
} out_ctx;

static int write_plan(FILE *f, void *ctx)
{
    out_ctx *o = ctx;
    kmt_json j;
    kmt_json_init(&j, f);
    kmt_hhc_write_solution(&j, o->p, o->s, o->st);
    int rc = kmt_json_finish(&j);
    fputc('\n', f);
    return rc;
}

static void print_cost(FILE *f, const char *what, const kmt_hhc_cost *c)
{
    fprintf(f,
            "%s: cost %.4f, distance %.4f, travel time %.4f, total tardiness %.4f, max tardiness %.4f, "
            "non-preferred %d, unassigned %d\n",
            what, c->total, c->distance, c->travel_time, c->lateness, c->max_lateness, c->non_preferred, c->unassigned);
}

int kmt_cli_plan_hhc(int argc, char **argv)
{
    const char *out = NULL, *tl = NULL, *seed = NULL, *iters = NULL, *mank = NULL, *hh = NULL;
    kmt_opt opts[] = { { "output", 'o', 1, &out },   { "time-limit", 0, 1, &tl },
                       { "seed", 0, 1, &seed },      { "iterations", 0, 1, &iters },
                       { "mankowska", 0, 1, &mank }, { "hhcrsp", 0, 1, &hh },
                       { NULL, 0, 0, NULL } };
    const char **pos = kmt_calloc((size_t)argc + 1, sizeof(char *));
    int np = 0;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, PLAN_HHC_HELP);
    kmt_free((void *)pos);
    if (rc) return rc;
    if (np > 0) return kmt_cli_usage(argv[0], "no positional argument with --mankowska / --hhcrsp");
    if (!!mank == !!hh) return kmt_cli_usage(argv[0], "give one of --mankowska FILE or --hhcrsp FILE");
    kmt_hhc_solve_opts so;
    kmt_hhc_solve_opts_default(&so);
    long v;
    double d;
    if (tl) {
        if (kmt_cli_double(argv[0], "time-limit", tl, 0, 1e7, &d)) return KMT_EXIT_USAGE;
        so.time_limit = d;
    }
    if (iters) {
        if (kmt_cli_int(argv[0], "iterations", iters, 0, 2000000000L, &v)) return KMT_EXIT_USAGE;
        so.iterations = v;
    }
    if (seed) {
        if (kmt_cli_int(argv[0], "seed", seed, 0, 2000000000L, &v)) return KMT_EXIT_USAGE;
        so.seed = (uint64_t)v;
    }
    if (!(so.time_limit > 0) && so.iterations <= 0)
        return kmt_cli_usage(argv[0], "--time-limit 0 needs --iterations N");
    kmt_error e;
    kmt_error_init(&e);
    kmt_hhc_problem p;
    if ((rc = load(mank, hh, &p, &e))) return kmt_cli_error(&e);
    kmt_hhc_solution s;
    kmt_hhc_solution_init(&s);
    kmt_hhc_solve_stats st;
    hhc_stop = 0;
    so.stop = &hhc_stop;
    void (*prev)(int) = signal(SIGINT, on_sigint);
    rc = kmt_hhc_solve(&p, &so, &s, &st, &e);
    signal(SIGINT, prev);
    if (rc) {
        kmt_hhc_problem_destroy(&p);
        return kmt_cli_error(&e);
    }
    kmt_hhc_check_report r;
    if (kmt_hhc_check(&p, &s, &r)) {
        kmt_error_set(&e, KMT_EINTERNAL, "the checker rejects the plan: %s", r.first);
        kmt_hhc_solution_destroy(&s);
        kmt_hhc_problem_destroy(&p);
        return kmt_cli_error(&e);
    }
    out_ctx oc = { &p, &s, &st };
    if (out) {
        rc = kmt_write_file_atomic(out, write_plan, &oc, &e);
    } else {
        rc = write_plan(kmt_cli_out(), &oc) ? kmt_error_set(&e, KMT_EIO, "cannot write the plan") : 0;
    }
    if (!rc) {
        print_cost(kmt_cli_err(), "plan", &r.cost);
        fprintf(kmt_cli_err(), "plan: %ld iterations in %.2f s (best at %.2f s)\n", st.iterations, st.seconds,
                st.seconds_to_best);
    }
    kmt_hhc_solution_destroy(&s);
    kmt_hhc_problem_destroy(&p);
    return rc ? kmt_cli_error(&e) : KMT_EXIT_OK;
}

int kmt_cli_check_hhc(int argc, char **argv)
{
    const char *mank = NULL, *hh = NULL;
    kmt_opt opts[] = { { "mankowska", 0, 1, &mank }, { "hhcrsp", 0, 1, &hh }, { NULL, 0, 0, NULL } };
    const char **pos = kmt_calloc((size_t)argc + 1, sizeof(char *));
    int np = 0;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, CHECK_HHC_HELP);
    const char *sol = np > 0 ? pos[0] : NULL;
    kmt_free((void *)pos);
    if (rc) return rc;
    if (!!mank == !!hh) return kmt_cli_usage(argv[0], "give one of --mankowska FILE or --hhcrsp FILE");
    if (np != 1) return kmt_cli_usage(argv[0], "expected one SOLUTION file");
    kmt_error e;
    kmt_error_init(&e);
    kmt_hhc_problem p;
    kmt_hhc_solution s;
    kmt_hhc_solution_init(&s);
    char *text = NULL;
    size_t len = 0;
    if ((rc = load(mank, hh, &p, &e))) return kmt_cli_error(&e);
    rc = kmt_read_file(sol, &text, &len, &e);
    if (!rc) rc = kmt_hhc_parse_solution(text, len, sol, &p, &s, &e);
    kmt_free(text);
    if (rc) {
        kmt_hhc_problem_destroy(&p);
        return kmt_cli_error(&e);
    }
    kmt_hhc_check_report r;
    int crc = kmt_hhc_check(&p, &s, &r);
    if (crc == 0) {
        print_cost(kmt_cli_out(), "feasible", &r.cost);
        if (r.order_crossing)
            fprintf(kmt_cli_out(), "note: the routes visit clients in crossing orders (no single client order "
                                   "agrees with every route)\n");
    } else
        fprintf(kmt_cli_out(), "infeasible: %s (%d violations)\n", r.first, r.nviolations);
    kmt_hhc_solution_destroy(&s);
    kmt_hhc_problem_destroy(&p);
    return crc ? KMT_EXIT_INPUT : KMT_EXIT_OK;
}
