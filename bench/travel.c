/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Benchmark of the travel and climate account at Dalarna's scale: a year of
 * travel records for 20,000 employees in 17 organisations (about 1.5 million
 * rows: meetings with and without ids, weekly series, home visits, training).
 *
 *   build/bench/travel [--people N] [--rows-per-person R] [--dir DIR] [--keep]
 *
 * Phases, each timed: write the CSV; `kommute travel import` (the data
 * layer's import, run as the binary next to this program's build dir);
 * `kommute travel report --format json` and `travel candidates` end to end;
 * then in-process: store load, kmt_travel_report_build, kmt_travel_candidates.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "kommute/core.h"
#include "kommute/store.h"
#include "kommute/travel.h"

static const char *const ORGS[] = {
    "Region Dalarna", "Länsstyrelsen Dalarna", "Avesta", "Borlänge", "Falun",   "Gagnef",       "Hedemora", "Leksand",
    "Ludvika",        "Malung-Sälen",          "Mora",   "Orsa",     "Rättvik", "Smedjebacken", "Säter",    "Vansbro",
    "Älvdalen"
};
#define NORGS 17
static const char *const DEPTS[] = { "Social", "Skola", "Omsorg", "Teknik", "Kultur", "Miljö", "Ekonomi", "HR" };
#define NDEPTS 8
#define NPLACES 60

typedef struct {
    int org, dept, home; /* home: place index */
} person_t;

static double now(void)
{
    return kmt_now_monotonic();
}

static const char *mode_for(kmt_rng *r, const char **fuel)
{
    double u = kmt_rng_double(r);
    *fuel = "";
    if (u < 0.45) {
        *fuel = kmt_rng_below(r, 4) == 0 ? "diesel" : "";
        return "private_car";
    }
    if (u < 0.75) {
        *fuel = kmt_rng_below(r, 3) == 0 ? "electric" : "petrol";
        return "fleet_car";
    }
    if (u < 0.83) return "train";
    if (u < 0.90) return "bus";
    if (u < 0.93) return "taxi";
    if (u < 0.94) return "flight";
    if (u < 0.98) return "bicycle";
    return "walk";
}

/* One record line. */
static void rec(FILE *f, long *id, const person_t *pp, int pi, int doy, int hh, int mm, int from, int to,
                const char *purpose, const char *mid, kmt_rng *r)
{
    const char *fuel;
    const char *mode = mode_for(r, &fuel);
    double km = 2 + (double)((from * 37 + to * 11) % 140) + kmt_rng_double(r) * 5;
    if (strcmp(mode, "flight") == 0) km = 450 + kmt_rng_double(r) * 300;
    if (strcmp(mode, "bicycle") == 0 || strcmp(mode, "walk") == 0) km = 1 + kmt_rng_double(r) * 6;
    int mon = 1, day = doy + 1;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    while (day > mdays[mon - 1]) day -= mdays[mon - 1], mon++;
    int minutes = (int)(km / 50 * 60) + 5;
    int eh = hh + (mm + minutes) / 60, em = (mm + minutes) % 60;
    if (eh > 23) eh = 23, em = 59;
    const person_t *p = &pp[pi];
    fprintf(f, "r%ld,p%05d,%s,%s,2024-%02d-%02d,%02d:%02d,%02d:%02d,Plats %d,Plats %d,,,,,%.1f,%s,%s,%s,%s,", (*id)++,
            pi, ORGS[p->org], DEPTS[p->dept], mon, day, hh, mm, eh, em, from, to, km, mode, fuel, purpose, mid);
    if (kmt_rng_below(r, 3) == 0)
        fprintf(f, "%.0f,SEK,", km * 2.5);
    else
        fputs(",,", f);
    if (kmt_rng_below(r, 2) == 0)
        fprintf(f, "%d\n", minutes);
    else
        fputs("\n", f);
}

static int workday(kmt_rng *r)
{
    for (;;) {
        int d = (int)kmt_rng_below(r, 366);
        if ((d + 0) % 7 < 5) return d; /* 2024-01-01 was a Monday */
    }
}

static long write_csv(const char *path, int npeople, int per_person)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("record_id,person,organisation,department,date,start_time,end_time,from_place,to_place,from_lon,"
          "from_lat,to_lon,to_lat,km,mode,fuel,purpose,meeting_id,cost,currency,travel_minutes\n",
          f);
    kmt_rng r;
    kmt_rng_seed(&r, 2011);
    person_t *pp = kmt_malloc((size_t)npeople * sizeof *pp);
    for (int i = 0; i < npeople; i++)
        pp[i] = (person_t){ (int)kmt_rng_below(&r, NORGS), (int)kmt_rng_below(&r, NDEPTS),
                            (int)kmt_rng_below(&r, NPLACES) };
    long id = 1, target = (long)npeople * per_person;
    char mid[64];
    /* weekly series: 5% of people sit in one, 4-8 people, 40 weeks */
    int nseries = npeople / 100;
    for (int s = 0; s < nseries; s++) {
        int k = 4 + (int)kmt_rng_below(&r, 5), dest = (int)kmt_rng_below(&r, NPLACES);
        int who[8], wd = (int)kmt_rng_below(&r, 5);
        for (int j = 0; j < k; j++) who[j] = (int)kmt_rng_below(&r, (uint64_t)npeople);
        for (int w = 0; w < 40; w++) {
            snprintf(mid, sizeof mid, "SER%d-W%d", s, w);
            for (int j = 0; j < k; j++) {
                rec(f, &id, pp, who[j], w * 7 + wd + 7, 9, 0, pp[who[j]].home, dest, "meeting", mid, &r);
                rec(f, &id, pp, who[j], w * 7 + wd + 7, 12, 0, dest, pp[who[j]].home, "meeting", mid, &r);
            }
        }
    }
    /* single meetings, 2-8 people, half with an id, until 40% of the rows */
    long m = 0;
    while (id < target * 4 / 10) {
        int k = 2 + (int)kmt_rng_below(&r, 7), dest = (int)kmt_rng_below(&r, NPLACES), day = workday(&r);
        int h = 8 + (int)kmt_rng_below(&r, 6);
        if (m % 2 == 0)
            snprintf(mid, sizeof mid, "M%ld", m);
        else
            mid[0] = '\0';
        for (int j = 0; j < k; j++) {
            int pi = (int)kmt_rng_below(&r, (uint64_t)npeople);
            rec(f, &id, pp, pi, day, h, (int)kmt_rng_below(&r, 30), pp[pi].home, dest, "meeting", mid, &r);
            rec(f, &id, pp, pi, day, h + 2, (int)kmt_rng_below(&r, 30), dest, pp[pi].home, "meeting", mid, &r);
        }
        m++;
    }
    static const char *const other[] = { "home visit", "home visit", "home visit", "training", "inspection", "other" };
    while (id <= target) {
        int pi = (int)kmt_rng_below(&r, (uint64_t)npeople);
        rec(f, &id, pp, pi, workday(&r), 7 + (int)kmt_rng_below(&r, 9), (int)kmt_rng_below(&r, 60), pp[pi].home,
            (int)kmt_rng_below(&r, NPLACES), other[kmt_rng_below(&r, 6)], "", &r);
    }
    kmt_free(pp);
    if (fclose(f) != 0) return -1;
    return id - 1;
}

static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* Wall and CPU (user + system) seconds of a command: the machine is shared,
 * so CPU time is the steadier figure. */
static int run(const char *cmd, double *secs, double *cpu)
{
    double t0 = now(), c0 = children_cpu();
    int st = system(cmd);
    *secs = now() - t0;
    *cpu = children_cpu() - c0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
    int npeople = 20000, per = 75, keep = 0;
    const char *dir = "build/bench-travel";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--people") == 0 && i + 1 < argc)
            npeople = atoi(argv[++i]);
        else if (strcmp(argv[i], "--rows-per-person") == 0 && i + 1 < argc)
            per = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else {
            fprintf(stderr, "usage: %s [--people N] [--rows-per-person R] [--dir DIR] [--keep]\n", argv[0]);
            return 2;
        }
    }
    char csv[512], db[512], cmd[2048], bin[512];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd) != 0) return 1;
    snprintf(csv, sizeof csv, "%s/travel.csv", dir);
    snprintf(db, sizeof db, "%s/travel.db", dir);
    snprintf(bin, sizeof bin, "%s", "build/kommute");
    remove(db);
    double t0 = now();
    long rows = write_csv(csv, npeople, per);
    if (rows < 0) return 1;
    printf("people %d, rows %ld, csv written in %.2f s\n", npeople, rows, now() - t0);
    double t_imp, t_rep, t_cand, c_imp, c_rep, c_cand;
    snprintf(cmd, sizeof cmd, "%s -q travel import %s --db %s", bin, csv, db);
    if (run(cmd, &t_imp, &c_imp) != 0) return fprintf(stderr, "import failed\n"), 1;
    snprintf(cmd, sizeof cmd,
             "%s travel report --db %s --baseline 2024 --target 2025:-20%% --format json -o %s/report.json", bin, db,
             dir);
    if (run(cmd, &t_rep, &c_rep) != 0) return fprintf(stderr, "report failed\n"), 1;
    snprintf(cmd, sizeof cmd,
             "%s travel candidates --db %s --baseline 2024 --target 2025:-20%% --format json -o %s/cand.json", bin, db,
             dir);
    if (run(cmd, &t_cand, &c_cand) != 0) return fprintf(stderr, "candidates failed\n"), 1;
    printf("cli wall: import %.2f s, report (json) %.2f s, candidates %.2f s; import + report %.2f s\n", t_imp, t_rep,
           t_cand, t_imp + t_rep);
    printf("cli cpu:  import %.2f s, report (json) %.2f s, candidates %.2f s; import + report %.2f s\n", c_imp, c_rep,
           c_cand, c_imp + c_rep);

    /* in-process phases */
    kmt_error e;
    kmt_factors f;
    char *text;
    size_t len;
    if (kmt_read_file("data/factors/nordic-2024.json", &text, &len, &e) ||
        kmt_factors_parse(text, len, "nordic-2024.json", &f, &e))
        return fprintf(stderr, "factors: %s\n", e.msg), 1;
    kmt_free(text);
    kmt_store *s;
    kmt_dataset d;
    kmt_dataset_init(&d);
    t0 = now();
    double cpu0 = kmt_now_cpu();
    if (kmt_store_open(&s, db, KMT_STORE_READONLY, &e) || kmt_store_load_travel(s, NULL, &d, &e))
        return fprintf(stderr, "load: %s\n", e.msg), 1;
    kmt_store_close(s);
    double t_load = now() - t0, c_load = kmt_now_cpu() - cpu0;
    kmt_travel_target_spec ts = { 2025, 2000 };
    kmt_travel_opts o = { .factors = &f, .baseline_year = 2024, .targets = &ts, .ntargets = 1 };
    kmt_travel_report rep;
    t0 = now();
    cpu0 = kmt_now_cpu();
    if (kmt_travel_report_build(&d, &o, &rep, &e)) return fprintf(stderr, "report: %s\n", e.msg), 1;
    double t_build = now() - t0, c_build = kmt_now_cpu() - cpu0;
    kmt_candidate_opts co;
    kmt_candidate_opts_default(&co);
    co.factors = &f;
    kmt_candidates c;
    t0 = now();
    cpu0 = kmt_now_cpu();
    if (kmt_travel_candidates(&d, &co, &c, &e)) return fprintf(stderr, "candidates: %s\n", e.msg), 1;
    double t_c = now() - t0, c_c = kmt_now_cpu() - cpu0;
    printf("in-process wall: load %zu records %.2f s, report build %.3f s, candidates %.3f s (%lld meetings, %zu "
           "candidates)\n",
           d.travel.n, t_load, t_build, t_c, (long long)c.meetings, c.n);
    printf("in-process cpu:  load %.2f s, report build %.3f s, candidates %.3f s\n", c_load, c_build, c_c);
    printf("all: %lld trips, %.0f km, %.1f GWh, %.0f t CO2e\n", (long long)kmt_travel_year(&rep, 0, 0)->trips,
           (double)kmt_travel_year(&rep, 0, 0)->m / 1000.0, kmt_travel_year(&rep, 0, 0)->kwh / 1e6,
           kmt_travel_year(&rep, 0, 0)->co2e_g / 1e6);
    printf("peak rss %ld MB\n", kmt_peak_rss_kb() / 1024);
    kmt_candidates_destroy(&c);
    kmt_travel_report_destroy(&rep);
    kmt_dataset_destroy(&d);
    kmt_factors_destroy(&f);
    if (!keep) {
        const char *ext[] = { "", "-wal", "-shm" };
        remove(csv);
        for (int i = 0; i < 3; i++) {
            char p[600];
            snprintf(p, sizeof p, "%s%s", db, ext[i]);
            remove(p);
        }
    }
    return 0;
}
