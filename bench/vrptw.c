/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Benchmark of the route planner on Solomon / Gehring-Homberger instances
 * against the best-known solutions (bks.csv). Not a test: prints figures.
 *
 *   build/bench/vrptw [--dir D] [--bks F] [--convention dimacs|classic|both]
 *                     [--time-limit S] [--jobs N] [--seed N] [--only SUBSTR] [--clock cpu|wall]
 *                     [--threads N]
 *
 * The time limit counts each worker's CPU time by default (--clock cpu), so
 * that results on a shared machine mean "S seconds of one core".
 * Every plan goes through the independent checker (kmt_vrp_check); the
 * infeasible count must be 0. Instances run in --jobs worker processes
 * (default 1), each single-threaded.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kommute/vrp_io.h"

typedef struct {
    char name[32];
    int bks_veh;
    double bks_dist, bks_dimacs;
} bks_row;

typedef struct {
    int conv, feasible, vehicles;
    double dist, gap, t_within, seconds, cpu;
    long iterations;
    char name[32];
} result;

static bks_row bks[512];
static int nbks;

static void upcase(char *s)
{
    for (; *s; s++) *s = (char)toupper((unsigned char)*s);
}

static void load_bks(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "vrptw: cannot open %s\n", path);
        exit(1);
    }
    char line[2048];
    if (!fgets(line, sizeof line, f)) exit(1);
    while (fgets(line, sizeof line, f) && nbks < 512) {
        /* instance,vehicles,distance,"source",dimacs_distance,dimacs_vehicles,"source" */
        bks_row *b = &bks[nbks];
        char *p = line, *q = strchr(p, ',');
        if (!q) continue;
        *q = 0;
        snprintf(b->name, sizeof b->name, "%.31s", p);
        upcase(b->name);
        b->bks_veh = (int)strtol(q + 1, &p, 10);
        b->bks_dist = strtod(p + 1, &p);
        p++;
        if (*p == '"')
            p = strchr(p + 1, '"') + 1;
        else
            p = strchr(p, ',');
        b->bks_dimacs = NAN;
        if (p && *p == ',' && p[1] != ',') b->bks_dimacs = strtod(p + 1, NULL);
        nbks++;
    }
    fclose(f);
}

static const bks_row *find_bks(const char *name)
{
    char up[64];
    snprintf(up, sizeof up, "%s", name);
    upcase(up);
    for (int i = 0; i < nbks; i++)
        if (strcmp(bks[i].name, up) == 0) return &bks[i];
    return NULL;
}

typedef struct {
    const bks_row *b;
    int conv;
    double t_within;
} watch;

static void on_best(void *ctx, double sec, int veh, double cost, int un)
{
    watch *w = ctx;
    if (w->t_within >= 0 || un) return;
    if (w->conv == KMT_SOLOMON_DIMACS) {
        if (cost <= 1.01 * w->b->bks_dimacs + 1e-9) w->t_within = sec;
    } else if (veh <= w->b->bks_veh && cost <= 1.01 * w->b->bks_dist + 1e-9) {
        w->t_within = sec;
    }
}

static int cpu_clock = 1;
static int threads = 1;
static kmt_vrp_tuning tuning; /* defaults, then KMT_VRP_* from the environment (read once in main) */

static result run_one(const char *path, const char *name, int conv, double limit, uint64_t seed)
{
    result r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "%.31s", name);
    r.conv = conv;
    r.t_within = -1;
    const bks_row *b = find_bks(name);
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    kmt_error e;
    kmt_error_init(&e);
    if (!b || kmt_vrp_read_solomon(path, conv, &p, &e) || kmt_vrp_problem_validate(&p, &e)) {
        fprintf(stderr, "vrptw: %s: %s\n", name, b ? e.msg : "not in bks.csv");
        kmt_vrp_problem_destroy(&p);
        return r;
    }
    watch w = { b, conv, -1 };
    kmt_vrp_solve_opts o;
    kmt_vrp_solve_opts_default(&o);
    o.time_limit = limit;
    o.seed = seed;
    o.progress = on_best;
    o.progress_ctx = &w;
    o.cpu_clock = cpu_clock;
    o.threads = threads;
    o.tuning = &tuning;
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_vrp_solve_stats st;
    double cpu0 = kmt_now_cpu();
    kmt_vrp_solve(&p, &o, &s, &st, &e);
    r.cpu = kmt_now_cpu() - cpu0;
    kmt_vrp_check_report cr;
    r.feasible = kmt_vrp_check(&p, &s, &cr) == 0 && s.nunassigned == 0;
    r.vehicles = cr.vehicles;
    r.dist = cr.distance;
    r.seconds = st.seconds;
    r.iterations = st.iterations;
    r.t_within = w.t_within;
    double ref = conv == KMT_SOLOMON_DIMACS ? b->bks_dimacs : b->bks_dist;
    r.gap = 100.0 * (r.dist - ref) / ref;
    kmt_vrp_check_report_destroy(&cr);
    kmt_vrp_solution_destroy(&s);
    kmt_vrp_problem_destroy(&p);
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "C101" -> "C1", "rc2_2_4" -> "RC2" */
static void class_of(const char *name, char *out)
{
    int k = 0;
    while (isalpha((unsigned char)name[k]) && k < 2) {
        out[k] = (char)toupper((unsigned char)name[k]);
        k++;
    }
    out[k] = name[k];
    out[k + 1] = 0;
}

int main(int argc, char **argv)
{
    const char *dir = "../shared/data/vrptw/solomon", *bks_path = "../shared/data/vrptw/bks.csv";
    const char *convs = "both", *only = NULL;
    double limit = 10;
    int jobs = 1;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
        else if (!strcmp(argv[i], "--bks"))
            bks_path = argv[i + 1];
        else if (!strcmp(argv[i], "--convention"))
            convs = argv[i + 1];
        else if (!strcmp(argv[i], "--time-limit"))
            limit = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--jobs"))
            jobs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = (uint64_t)atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--only"))
            only = argv[i + 1];
        else if (!strcmp(argv[i], "--clock"))
            cpu_clock = strcmp(argv[i + 1], "wall") != 0;
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "vrptw: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (jobs < 1) jobs = 1;
    kmt_vrp_tuning_default(&tuning);
    kmt_error te;
    kmt_error_init(&te);
    if (kmt_vrp_tuning_from_env(&tuning, NULL, &te)) {
        fprintf(stderr, "vrptw: %s\n", te.msg);
        return 2;
    }
    load_bks(bks_path);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "vrptw: cannot open %s\n", dir);
        return 1;
    }
    char *files[512];
    int nf = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nf < 512) {
        size_t l = strlen(de->d_name);
        if (l > 4 && !strcmp(de->d_name + l - 4, ".txt") && (!only || strstr(de->d_name, only)))
            files[nf++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(files, (size_t)nf, sizeof files[0], cmp_str);
    int cl[2], ncl = 0;
    if (!strcmp(convs, "dimacs") || !strcmp(convs, "both")) cl[ncl++] = KMT_SOLOMON_DIMACS;
    if (!strcmp(convs, "classic") || !strcmp(convs, "both")) cl[ncl++] = KMT_SOLOMON_CLASSIC;
    int ntask = nf * ncl;
    result *res = calloc((size_t)ntask + 1, sizeof(result));
    int fds[64][2];
    if (jobs > 64) jobs = 64;
    printf("# vrptw benchmark: %d instances from %s, %.1f s (%s) each, %d worker process(es) of %d thread(s), "
           "seed %llu\n",
           nf, dir, limit, cpu_clock ? "CPU time per thread" : "wall clock", jobs, threads, (unsigned long long)seed);
    printf("%-10s %-8s %8s %12s %12s %8s %9s %10s %6s %s\n", "instance", "conv", "vehicles", "distance", "bks", "gap%",
           "t_1%[s]", "iters", "cpu[s]", "checked");
    fflush(stdout);
    for (int w = 0; w < jobs; w++) {
        if (pipe(fds[w])) return 1;
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[w][0]);
            for (int t = w; t < ntask; t += jobs) {
                int fi = t / ncl, conv = cl[t % ncl];
                char path[1024], name[64];
                snprintf(path, sizeof path, "%s/%s", dir, files[fi]);
                snprintf(name, sizeof name, "%.*s", (int)(strlen(files[fi]) - 4), files[fi]);
                result r = run_one(path, name, conv, limit, seed);
                if (write(fds[w][1], &t, sizeof t) != sizeof t || write(fds[w][1], &r, sizeof r) != sizeof r) _exit(1);
            }
            _exit(0);
        }
        close(fds[w][1]);
    }
    /* read results as they come (round-robin over workers) */
    int got = 0;
    int open_fd[64];
    for (int w = 0; w < jobs; w++) open_fd[w] = 1;
    while (got < ntask) {
        int any = 0;
        for (int w = 0; w < jobs; w++) {
            if (!open_fd[w]) continue;
            int t;
            result r;
            if (read(fds[w][0], &t, sizeof t) != sizeof t || read(fds[w][0], &r, sizeof r) != sizeof r) {
                open_fd[w] = 0;
                continue;
            }
            any = 1;
            res[t] = r;
            got++;
            const bks_row *b = find_bks(r.name);
            double ref = b ? (r.conv == KMT_SOLOMON_DIMACS ? b->bks_dimacs : b->bks_dist) : NAN;
            char veh[32];
            if (r.conv == KMT_SOLOMON_CLASSIC && b)
                snprintf(veh, sizeof veh, "%d/%d", r.vehicles, b->bks_veh);
            else
                snprintf(veh, sizeof veh, "%d", r.vehicles);
            printf("%-10s %-8s %8s %12.4f %12.4f %8.3f %9.2f %10ld %6.2f %s\n", r.name,
                   r.conv == KMT_SOLOMON_DIMACS ? "dimacs" : "classic", veh, r.dist, ref, r.gap, r.t_within,
                   r.iterations, r.cpu, r.feasible ? "feasible" : "INFEASIBLE");
            fflush(stdout);
        }
        if (!any) break;
    }
    while (wait(NULL) > 0) {
    }
    /* per class summaries */
    for (int c = 0; c < ncl; c++) {
        int conv = cl[c];
        printf("\n## %s convention, %.0f s per instance\n", conv == KMT_SOLOMON_DIMACS ? "DIMACS" : "classic", limit);
        printf("%-6s %4s %10s %9s %9s %10s %12s %10s %9s\n", "class", "n", "mean gap%", "vehicles", "bks veh",
               "infeasible", "reached 1%", "mean t_1%", "mean cpu");
        char classes[16][8];
        int ncls = 0;
        for (int t = 0; t < ntask; t++) {
            if (res[t].conv != conv || !res[t].name[0]) continue;
            char k[8];
            class_of(res[t].name, k);
            int f = 0;
            while (f < ncls && strcmp(classes[f], k)) f++;
            if (f == ncls && ncls < 16) snprintf(classes[ncls++], 8, "%s", k);
        }
        for (int f = 0; f <= ncls; f++) {
            int n = 0, veh = 0, bveh = 0, inf = 0, reached = 0;
            double gap = 0, tw = 0, cpu = 0;
            for (int t = 0; t < ntask; t++) {
                if (res[t].conv != conv || !res[t].name[0]) continue;
                char k[8];
                class_of(res[t].name, k);
                if (f < ncls && strcmp(k, classes[f])) continue;
                const bks_row *b = find_bks(res[t].name);
                n++;
                gap += res[t].gap;
                cpu += res[t].cpu;
                veh += res[t].vehicles;
                bveh += b ? b->bks_veh : 0;
                inf += !res[t].feasible;
                if (res[t].t_within >= 0) {
                    reached++;
                    tw += res[t].t_within;
                }
            }
            if (!n) continue;
            char rs[24], bv[16] = "-";
            snprintf(rs, sizeof rs, "%d/%d", reached, n);
            if (conv == KMT_SOLOMON_CLASSIC) snprintf(bv, sizeof bv, "%d", bveh);
            printf("%-6s %4d %10.3f %9d %9s %10d %12s %10.2f %9.2f\n", f < ncls ? classes[f] : "all", n, gap / n, veh,
                   bv, inf, rs, reached ? tw / reached : NAN, cpu / n);
        }
    }
    for (int i = 0; i < nf; i++) free(files[i]);
    free(res);
    return 0;
}
