/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Home-care benchmark: every Mankowska et al. (2014) instance solved for T
 * CPU seconds on one thread, checked by the independent checker, and
 * compared with the best known of Ceschia et al. (ITOR 2024).
 *
 *   build/bench/hhc [-t SECONDS] [-s SEED] [-f FAMILIES] MANKOWSKA_DIR BEST.md
 *
 * FAMILIES is a subset of "ABCDEFG" (A = 10 patients ... G = 300).
 * Prints one line per instance, then the gap per family and overall.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/hhc_io.h"

static const int SIZES[7] = { 10, 25, 50, 75, 100, 200, 300 };

static double best_known(const char *md, const char *stem)
{
    char key[160];
    snprintf(key, sizeof key, "%s.json", stem);
    const char *at = strstr(md, key);
    if (!at) return -1;
    const char *eol = strchr(at, '\n');
    double v[4];
    const char *q = strchr(at, '|');
    for (int i = 0; i < 4; i++) {
        if (!q || (eol && q > eol)) return -1;
        v[i] = strtod(q + 1, NULL);
        q = strchr(q + 1, '|');
    }
    return v[3]; /* distance, max tardiness, total tardiness, cost */
}

int main(int argc, char **argv)
{
    double tl = 10;
    unsigned long seed = 1;
    const char *fam = "ABCDEFG", *dir = NULL, *bestf = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-t") && i + 1 < argc)
            tl = atof(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            seed = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-f") && i + 1 < argc)
            fam = argv[++i];
        else if (!dir)
            dir = argv[i];
        else
            bestf = argv[i];
    }
    if (!dir || !bestf || !(tl > 0)) {
        fprintf(stderr, "usage: hhc [-t SECONDS] [-s SEED] [-f ABCDEFG] MANKOWSKA_DIR BEST.md\n");
        return 2;
    }
    kmt_error e;
    kmt_error_init(&e);
    char *md = NULL;
    size_t mdlen;
    if (kmt_read_file(bestf, &md, &mdlen, &e)) {
        char b[1200];
        fprintf(stderr, "%s\n", kmt_error_format(&e, b, sizeof b));
        return 1;
    }
    double fam_gap[7] = { 0 }, all_gap = 0;
    int fam_n[7] = { 0 }, fam_best[7] = { 0 }, all_n = 0, infeasible = 0, crossing = 0;
    printf("%-26s %10s %10s %8s %8s %9s\n", "instance", "cost", "best", "gap%", "iters", "t_best");
    for (int f = 0; f < 7; f++) {
        if (!strchr(fam, 'A' + f)) continue;
        for (int k = 1; k <= 10; k++) {
            char stem[128], path[1024];
            snprintf(stem, sizeof stem, "Instanz%s_HCSRP_%d_%d", SIZES[f] <= 75 ? "CPLEX" : "VNS", SIZES[f], k);
            snprintf(path, sizeof path, "%s/%s.txt", dir, stem);
            kmt_hhc_problem p;
            if (kmt_hhc_read_mankowska(path, &p, &e)) {
                char b[1200];
                fprintf(stderr, "%s\n", kmt_error_format(&e, b, sizeof b));
                continue;
            }
            kmt_hhc_solve_opts o;
            kmt_hhc_solve_opts_default(&o);
            o.time_limit = tl;
            o.seed = seed;
            kmt_hhc_solution s;
            kmt_hhc_solution_init(&s);
            kmt_hhc_solve_stats st;
            kmt_hhc_check_report r;
            int rc = kmt_hhc_solve(&p, &o, &s, &st, &e);
            int bad = rc || kmt_hhc_check(&p, &s, &r) || r.cost.unassigned > 0;
            double bk = best_known(md, stem), gap = bk > 0 && !bad ? 100.0 * (r.cost.total - bk) / bk : 0;
            if (!bad && r.order_crossing) crossing++;
            if (bad)
                infeasible++;
            else {
                fam_gap[f] += gap;
                fam_n[f]++;
                all_gap += gap;
                all_n++;
                if (gap < 0.005) fam_best[f]++;
            }
            printf("%-26s %10.3f %10.3f %8.3f %8ld %9.2f%s%s\n", stem, bad ? 0 : r.cost.total, bk, gap, st.iterations,
                   st.seconds_to_best, bad ? "  INFEASIBLE" : "", !bad && r.order_crossing ? "  crossing" : "");
            fflush(stdout);
            kmt_hhc_solution_destroy(&s);
            kmt_hhc_problem_destroy(&p);
        }
    }
    printf("\nfamily  patients  instances  mean gap%%  at best known (gap < 0.005%%)\n");
    for (int f = 0; f < 7; f++)
        if (fam_n[f])
            printf("%c       %8d  %9d  %9.3f  %d\n", 'A' + f, SIZES[f], fam_n[f], fam_gap[f] / fam_n[f], fam_best[f]);
    printf("all               %9d  %9.3f  infeasible %d, crossing client orders %d (time limit %.0f s, seed %lu)\n",
           all_n, all_n ? all_gap / all_n : 0, infeasible, crossing, tl, seed);
    kmt_free(md);
    return 0;
}
