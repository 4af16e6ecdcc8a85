/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Benchmark: import 1 million trip rows (and 1 million travel records).
 * Writes canonical CSVs of a synthetic fleet into a temporary directory,
 * then runs the real commands (build/kommute fleet import ..., travel
 * import) as child processes and reports wall time and peak memory
 * (wait4 rusage); also the CSV reader alone, in-process. With a PostgreSQL
 * connection string (third argument, or $KMT_BENCH_PG) every import also
 * runs into that database, side by side with SQLite (the database should be
 * empty: KMT_PG_DURABLE=1 bash scripts/pg-test.sh gives a fresh cluster with
 * the default durability settings). The PostgreSQL server's own CPU is
 * not in the figures (another process): the wall time is the measure.
 *
 *   make bench && build/bench/import [ROWS] [KOMMUTE_BINARY] [CONNINFO]
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kommute/csv.h"
#include "kommute/json.h"
#include "kommute/model.h"

static int write_buf(FILE *f, void *ctx)
{
    const kmt_buf *b = ctx;
    return fwrite(b->data, 1, b->len, f) == b->len ? 0 : -1;
}

static void save(const char *path, kmt_buf *b)
{
    kmt_error e;
    if (kmt_write_file_atomic(path, write_buf, b, &e)) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    kmt_buf_destroy(b);
    kmt_buf_init(b);
}

static int cmp_start(const void *a, const void *b)
{
    kmt_time x = ((const kmt_trip *)a)->start, y = ((const kmt_trip *)b)->start;
    return (x > y) - (x < y);
}

/* CPU seconds of the PostgreSQL server's finished backends: the children's
 * times (cutime + cstime) of the postmaster $KMT_BENCH_PG_PID, which reaps
 * every backend (pg-test.sh exports it). -1 when not known. */
static double server_cpu(void)
{
    const char *pid = getenv("KMT_BENCH_PG_PID");
    if (!pid || !*pid) return -1;
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* fields after the command name */
    if (!p) return -1;
    long v[16] = { 0 };
    int k = 0;
    for (char *tok = strtok(p + 2, " "); tok && k < 16; tok = strtok(NULL, " ")) v[k++] = atol(tok);
    /* after ')' come state(3) ... utime(14) stime(15) cutime(16) cstime(17): indices 13, 14 */
    return k > 14 ? (double)(v[13] + v[14]) / (double)sysconf(_SC_CLK_TCK) : -1;
}

/* Run argv under /usr/bin/time (so the peak RSS is the command's own, not
 * inherited from this big process through fork) and print wall time, CPU
 * time and peak RSS. */
static void run(const char *label, char *const argv[])
{
    char out[] = "/tmp/kmt_bench_time_XXXXXX";
    int fd = mkstemp(out);
    if (fd < 0) return;
    close(fd);
    char *full[32] = { "/usr/bin/time", "-o", out, "-f", "%e %U %S %M" };
    int n = 5;
    for (int i = 0; argv[i] && n < 31; i++) full[n++] = argv[i];
    full[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        execv(full[0], full);
        _exit(127);
    }
    double srv0 = server_cpu();
    int st;
    waitpid(pid, &st, 0);
    double wall = 0, user = 0, sys = 0;
    long rss = 0;
    FILE *f = fopen(out, "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f)) /* the last line has the figures */
            sscanf(line, "%lf %lf %lf %ld", &wall, &user, &sys, &rss);
        fclose(f);
    }
    remove(out);
    printf("%-50s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB  exit %d", label, wall, user + sys, rss / 1024.0,
           WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    struct timespec ts = { 0, 200 * 1000 * 1000 }; /* let the postmaster reap the backend */
    if (srv0 >= 0 && strstr(label, "postgresql")) {
        nanosleep(&ts, NULL);
        printf("  server cpu %6.2f s", server_cpu() - srv0);
    }
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    char *bin = argc > 2 ? argv[2] : "build/kommute";
    char *pg = argc > 3 ? argv[3] : getenv("KMT_BENCH_PG");
    if (pg && !*pg) pg = NULL;
    char dir[] = "/tmp/kmt_bench_import_XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char sites[256], vehicles[256], trips[256], travel[256], db[256];
    snprintf(sites, sizeof sites, "%s/sites.csv", dir);
    snprintf(vehicles, sizeof vehicles, "%s/vehicles.csv", dir);
    snprintf(trips, sizeof trips, "%s/trips.csv", dir);
    snprintf(travel, sizeof travel, "%s/travel.csv", dir);
    snprintf(db, sizeof db, "%s/bench.db", dir);

    /* a fleet of 300 vehicles at 36 sites (the syddjurs demo's places), then
     * `rows` trips and `rows` travel records drawn at random */
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_demo_generate(1, KMT_DEMO_SYDDJURS, 2024, &d);
    kmt_rng r;
    kmt_rng_seed(&r, 99);
    d.trips.n = 0;
    d.travel.n = 0;
    kmt_time t0 = kmt_time_make(2024, 1, 1, 6, 0, 0);
    for (long i = 0; i < rows; i++) {
        kmt_trip t;
        kmt_trip_init(&t);
        char key[32];
        snprintf(key, sizeof key, "B%08ld", i);
        t.key = kmt_dataset_str(&d, key);
        t.vehicle = kmt_rng_below(&r, 10) < 6 ? (int32_t)kmt_rng_below(&r, d.vehicles.n) : -1;
        t.site = (int32_t)kmt_rng_below(&r, d.sites.n);
        t.department = 1 + (int32_t)kmt_rng_below(&r, 6);
        t.driver = "D0042";
        t.start = t0 + (kmt_time)kmt_rng_below(&r, 365) * KMT_DAY + (kmt_time)kmt_rng_below(&r, 12 * 60) * 60;
        t.end = t.start + 600 + (kmt_time)kmt_rng_below(&r, 4 * 3600);
        t.from = t.to = d.sites.v[t.site].pos;
        t.km = (double)kmt_rng_below(&r, 800) / 10 + 1;
        t.purpose = "work order";
        KMT_VEC_PUSH(d.trips, t);
    }
    /* logbook exports are chronological */
    qsort(d.trips.v, d.trips.n, sizeof *d.trips.v, cmp_start);
    kmt_buf b;
    kmt_buf_init(&b);
    double g0 = kmt_now_monotonic();
    kmt_csv_write_sites(&b, &d);
    save(sites, &b);
    kmt_csv_write_vehicles(&b, &d);
    save(vehicles, &b);
    kmt_csv_write_trips(&b, &d);
    size_t trips_bytes = b.len;
    save(trips, &b);
    printf("wrote %ld trip rows (%.1f MB) in %.2f s to %s\n", rows, trips_bytes / 1e6, kmt_now_monotonic() - g0, dir);

    /* the CSV reader alone: every field of every row parsed */
    double c0 = kmt_now_monotonic();
    kmt_csv *c;
    kmt_error e;
    if (kmt_csv_open(&c, trips, NULL, &e)) return 1;
    long n = 0;
    double sum = 0;
    while (kmt_csv_next(c, &e) == 1) {
        kmt_time a, z;
        double km, lon;
        kmt_csv_time(c, 5, &a, &e);
        kmt_csv_time(c, 6, &z, &e);
        kmt_csv_number(c, 7, &lon, &e);
        kmt_csv_number(c, 11, &km, &e);
        sum += km + (double)(z - a) * 0 + lon * 0;
        n++;
    }
    kmt_csv_close(c);
    printf("%-44s %6.2f s   (%ld rows, %.0f km)\n", "CSV reader alone (open + parse all rows)",
           kmt_now_monotonic() - c0, n, sum);

    char label[96];
    char *dbs[2] = { db, pg };
    for (int k = 0; k < 2 && dbs[k]; k++) {
        const char *name = k ? "postgresql" : "sqlite";
        char *imp_sites[] = { bin, "fleet", "import", "sites", sites, "--db", dbs[k], NULL };
        char *imp_veh[] = { bin, "fleet", "import", "vehicles", vehicles, "--db", dbs[k], NULL };
        char *imp_trips[] = { bin, "fleet", "import", "trips", trips, "--db", dbs[k], NULL };
        snprintf(label, sizeof label, "%s: fleet import sites", name);
        run(label, imp_sites);
        snprintf(label, sizeof label, "%s: fleet import vehicles", name);
        run(label, imp_veh);
        snprintf(label, sizeof label, "%s: fleet import trips (%ld rows, new)", name, rows);
        run(label, imp_trips);
        snprintf(label, sizeof label, "%s: fleet import trips (%ld rows, all duplicates)", name, rows);
        run(label, imp_trips);
    }

    /* travel records: the syddjurs demo's 3 years, repeated with new keys */
    kmt_dataset t;
    kmt_dataset_init(&t);
    kmt_demo_generate(1, KMT_DEMO_SYDDJURS, 2024, &t);
    size_t base = t.travel.n;
    for (long i = 0; (size_t)t.travel.n < (size_t)rows; i++) {
        kmt_travel x = t.travel.v[(size_t)i % base];
        char key[32];
        snprintf(key, sizeof key, "X%08ld", i);
        x.key = kmt_dataset_str(&t, key);
        KMT_VEC_PUSH(t.travel, x);
    }
    t.travel.n = (size_t)rows;
    kmt_csv_write_travel(&b, &t);
    size_t travel_bytes = b.len;
    save(travel, &b);
    printf("wrote %ld travel rows (%.1f MB)\n", rows, travel_bytes / 1e6);
    for (int k = 0; k < 2 && dbs[k]; k++) {
        char *imp_travel[] = { bin, "travel", "import", travel, "--db", dbs[k], NULL };
        snprintf(label, sizeof label, "%s: travel import (%ld rows, new)", k ? "postgresql" : "sqlite", rows);
        run(label, imp_travel);
    }
    struct stat sb;
    if (stat(db, &sb) == 0) printf("database size %.1f MB\n", sb.st_size / 1e6);

    kmt_dataset_destroy(&t);
    kmt_dataset_destroy(&d);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    return 0;
}
