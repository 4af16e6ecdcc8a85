/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet size: the fewest vehicles that would have served every trip. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_cli.h"

static const char HELP[] =
    "Usage: kommute fleet size [options]\n"
    "\n"
    "The exact minimum number of vehicles per site that would have served every\n"
    "trip of the period: the peak of simultaneous use (a trip occupies its vehicle\n"
    "over [start, end + changeover)), per vehicle kind unless --any-kind, with the\n"
    "departments at a site pooled. min_vehicles_pooled also lets nearby sites\n"
    "(closer than --pool-distance) share cars: a minimum path cover of the trips\n"
    "(n - maximum matching) where a car may be walked over to a nearby site in the\n"
    "time between two trips. Each figure comes with the trips that decide it.\n"
    "The service curve shows, for each fleet size, the fewest trips left uncovered\n"
    "(taken by taxi or private car at a price) and the yearly cost.\n"
    "\n"
    "Options:\n" FLEET_COMMON_HELP
    FLEET_DEMAND_HELP
    "  --pool-distance M  sites closer than M metres share vehicles (default 1000; 0 = none)\n"
    "  --walk-kmh V       speed of moving a car to a pooled site (default 5, walking)\n"
    "  --vehicle-cost X   yearly cost of one vehicle for the curve (default: the\n"
    "                     fleet's average fixed cost, else 45000)\n"
    "  --uncovered-per-km X  price of an uncovered km (default 3.79: DK allowance 2024)\n"
    "  --uncovered-per-trip X  price per uncovered trip (default 0; e.g. a taxi start)\n"
    "  --service-days K   also give the vehicles needed when trips may go uncovered\n"
    "                     on at most K days (default 0)\n";

/* The point of the curve with the least yearly cost (NULL if no curve). */
static const kmt_fleet_curve_point *cheapest(const kmt_fleet_site_size *s)
{
    const kmt_fleet_curve_point *b = NULL;
    for (size_t i = 0; i < s->ncurve; i++)
        if (!b || s->curve[i].cost_year < b->cost_year) b = &s->curve[i];
    return b;
}

/* Fewest vehicles of the curve whose days_short <= k. */
static int32_t for_service_days(const kmt_fleet_site_size *s, long k)
{
    for (size_t i = 0; i < s->ncurve; i++)
        if (s->curve[i].days_short <= k) return s->curve[i].vehicles;
    return s->min_vehicles;
}

static void trip_ids(kmt_json *j, const fleet_data *fd, const int32_t *t, size_t n)
{
    char b[32];
    kmt_json_array_begin(j);
    for (size_t i = 0; i < n; i++) kmt_json_string(j, fleet_trip_id(fd, t[i], b, sizeof b));
    kmt_json_array_end(j);
}

static void write_json(const fleet_data *fd, const kmt_fleet_size_opts *o, const kmt_fleet_size *r,
                       long kdays)
{
    kmt_json j;
    char b[32];
    fleet_json_begin(&j, fd);
    kmt_json_key(&j, "changeover_min");
    kmt_json_int(&j, o->changeover_s / 60);
    kmt_json_key(&j, "pool_distance_m");
    kmt_json_double(&j, o->pool_m, 1);
    kmt_json_key(&j, "any_kind");
    kmt_json_bool(&j, o->any_kind);
    kmt_json_key(&j, "trips_used");
    kmt_json_int(&j, r->trips_used);
    kmt_json_key(&j, "trips_without_site");
    kmt_json_int(&j, r->trips_without_site);
    kmt_json_key(&j, "current_vehicles");
    kmt_json_int(&j, r->current_total);
    kmt_json_key(&j, "min_vehicles");
    kmt_json_int(&j, r->min_total);
    kmt_json_key(&j, "min_vehicles_pooled");
    kmt_json_int(&j, r->min_pooled_total);
    kmt_json_key(&j, "sites");
    kmt_json_array_begin(&j);
    for (size_t s = 0; s < r->nsites; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        if ((!x->trips && !x->current_vehicles) || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "site");
        kmt_json_string(&j, fleet_site_key(fd, x->site));
        kmt_json_key(&j, "name");
        kmt_json_string(&j, fd->d.sites.v[x->site].name);
        kmt_json_key(&j, "group");
        kmt_json_int(&j, x->group);
        kmt_json_key(&j, "trips");
        kmt_json_int(&j, x->trips);
        kmt_json_key(&j, "current_vehicles");
        kmt_json_int(&j, x->current_vehicles);
        kmt_json_key(&j, "min_vehicles");
        kmt_json_int(&j, x->min_vehicles);
        kmt_json_key(&j, "min_by_kind");
        kmt_json_object_begin(&j);
        for (int c = 0; c < KMT_FLEET_NKIND; c++) {
            if (!x->min_by_kind[c]) continue;
            kmt_json_key(&j, c == 0 ? (o->any_kind ? "any" : "unknown")
                                    : kmt_vehicle_kind_name((kmt_vehicle_kind)c));
            kmt_json_int(&j, x->min_by_kind[c]);
        }
        kmt_json_object_end(&j);
        kmt_json_key(&j, "min_vehicles_pooled");
        kmt_json_int(&j, x->min_vehicles_pooled);
        kmt_json_key(&j, "peak");
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "time");
        kmt_json_string(&j, x->npeak ? kmt_time_format(x->peak_time, b, sizeof b) : "");
        kmt_json_key(&j, "trips");
        trip_ids(&j, fd, x->peak, x->npeak);
        kmt_json_object_end(&j);
        kmt_json_key(&j, "pooled_witness_trips"); /* the group's witness trips starting here */
        kmt_json_array_begin(&j);
        {
            const kmt_fleet_group *G = &r->groups[x->group];
            for (size_t k = 0; k < G->nwitness; k++)
                if (fd->trips[G->witness[k]].site == x->site)
                    kmt_json_string(&j, fleet_trip_id(fd, G->witness[k], b, sizeof b));
        }
        kmt_json_array_end(&j);
        kmt_json_key(&j, "vehicles_for_service_days");
        kmt_json_int(&j, for_service_days(x, kdays));
        kmt_json_key(&j, "service_curve");
        kmt_json_array_begin(&j);
        for (size_t i = 0; i < x->ncurve; i++) {
            const kmt_fleet_curve_point *p = &x->curve[i];
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "vehicles");
            kmt_json_int(&j, p->vehicles);
            kmt_json_key(&j, "uncovered_trips");
            kmt_json_int(&j, p->uncovered_trips);
            kmt_json_key(&j, "uncovered_km");
            kmt_json_double(&j, p->uncovered_km, 1);
            kmt_json_key(&j, "days_short");
            kmt_json_int(&j, p->days_short);
            kmt_json_key(&j, "cost_per_year");
            kmt_json_double(&j, p->cost_year, 0);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    kmt_json_key(&j, "groups");
    kmt_json_array_begin(&j);
    for (size_t g = 0; g < r->ngroups; g++) {
        const kmt_fleet_group *G = &r->groups[g];
        if (G->nsites < 2 || !G->min_alone) continue;
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "group");
        kmt_json_int(&j, (int64_t)g);
        kmt_json_key(&j, "sites");
        kmt_json_array_begin(&j);
        for (size_t k = 0; k < G->nsites; k++) kmt_json_string(&j, fleet_site_key(fd, G->sites[k]));
        kmt_json_array_end(&j);
        kmt_json_key(&j, "min_vehicles_alone");
        kmt_json_int(&j, G->min_alone);
        kmt_json_key(&j, "min_vehicles_pooled");
        kmt_json_int(&j, G->min_pooled);
        kmt_json_key(&j, "witness_trips");
        trip_ids(&j, fd, G->witness, G->nwitness);
        kmt_json_object_end(&j);
    }
    kmt_json_array_end(&j);
    fleet_json_end(&j);
}

static void write_csv(const fleet_data *fd, const kmt_fleet_size *r, long kdays)
{
    printf("site,name,group,trips,current_vehicles,min_vehicles,min_vehicles_pooled,"
           "vehicles_for_service_days,peak_time\n");
    char b[32];
    for (size_t s = 0; s < r->nsites; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        if ((!x->trips && !x->current_vehicles) || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        fleet_csv_field(stdout, fleet_site_key(fd, x->site), 0);
        fleet_csv_field(stdout, fd->d.sites.v[x->site].name, 0);
        printf("%d,%lld,%d,%d,%d,%d,%s\n", x->group, (long long)x->trips, x->current_vehicles,
               x->min_vehicles, x->min_vehicles_pooled, for_service_days(x, kdays),
               x->npeak ? kmt_time_format(x->peak_time, b, sizeof b) : "");
    }
}

static void write_text(const fleet_data *fd, const kmt_fleet_size_opts *o, const kmt_fleet_size *r,
                       long kdays, double secs)
{
    char b1[16], b2[16], b3[32];
    printf("fleet size  %s .. %s (%lld days), %lld trips, changeover %lld min, pooling < %.0f m\n",
           kmt_time_format_date(fd->in.from, b1, sizeof b1), kmt_time_format_date(fd->in.to, b2, sizeof b2),
           (long long)kmt_fleet_days(&fd->in), (long long)r->trips_used, (long long)(o->changeover_s / 60),
           o->pool_m);
    printf("%-20s %6s %7s %5s %6s %8s %9s  %s\n", "site", "trips", "current", "min", "pooled",
           kdays ? "svc-days" : "", "cheapest", "peak");
    size_t shown = 0;
    for (size_t s = 0; s < r->nsites && shown < 18; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        if ((!x->trips && !x->current_vehicles) || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        shown++;
        char kd[16] = "";
        if (kdays) snprintf(kd, sizeof kd, "%d", for_service_days(x, kdays));
        const kmt_fleet_curve_point *cp = cheapest(x);
        printf("%-20.20s %6lld %7d %5d %6d %8s %9d  %s\n", fleet_site_key(fd, x->site), (long long)x->trips,
               x->current_vehicles, x->min_vehicles, x->min_vehicles_pooled, kd,
               cp ? cp->vehicles : x->min_vehicles, x->npeak ? kmt_time_format(x->peak_time, b3, sizeof b3) : "-");
    }
    size_t active = 0;
    for (size_t s = 0; s < r->nsites; s++) active += r->sites[s].trips || r->sites[s].current_vehicles;
    if (active > shown) printf("... %zu more sites (--format json or csv for all)\n", active - shown);
    printf("total: %d vehicles now, %d needed per site, %d with sharing between nearby sites",
           r->current_total, r->min_total, r->min_pooled_total);
    if (r->trips_without_site) printf(" (%lld trips without a site ignored)", (long long)r->trips_without_site);
    int32_t nbest = 0;
    int64_t unc = 0;
    double cost_best = 0, cost_full = 0, scale = 365.0 / (double)kmt_fleet_days(&fd->in);
    for (size_t s = 0; s < r->nsites; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        const kmt_fleet_curve_point *cp = cheapest(x);
        if (!cp || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        nbest += cp->vehicles, unc += cp->uncovered_trips, cost_best += cp->cost_year;
        cost_full += x->curve[x->ncurve - 1].cost_year;
    }
    printf("\ncheapest service level: %d vehicles, %.0f trips a year by taxi/own car at %.2f/km "
           "(%.0f a year less than covering every trip; vehicle cost %.0f a year)\n",
           nbest, (double)unc * scale, o->uncovered_per_km, cost_full - cost_best, o->vehicle_cost_year);
    printf("computed in %.3f s\n", secs);
}

static int run(int argc, char **argv)
{
    fleet_common c = {0};
    fleet_demand dm = {0};
    const char *pool = NULL, *walk = NULL, *vcost = NULL,
               *upk = NULL, *upt = NULL, *sdays = NULL;
    kmt_opt opts[] = {FLEET_COMMON_OPTS(c),
                      FLEET_DEMAND_OPTS(dm),
                      {"pool-distance", 0, 1, &pool},
                      {"walk-kmh", 0, 1, &walk},
                      {"vehicle-cost", 0, 1, &vcost},
                      {"uncovered-per-km", 0, 1, &upk},
                      {"uncovered-per-trip", 0, 1, &upt},
                      {"service-days", 0, 1, &sdays},
                      {NULL, 0, 0, NULL}};
    int rc = fleet_parse(argc, argv, opts, HELP);
    if (rc) return rc;
    kmt_fleet_size_opts o;
    kmt_fleet_size_opts_default(&o);
    o.pool_m = 1000;
    double v;
    long k = 0;
    if ((o.changeover_s = fleet_changeover(argv[0], dm.changeover)) < 0) return KMT_EXIT_USAGE;
    o.any_kind = dm.any_kind != NULL;
    o.include_private = dm.include_private != NULL;
    if (pool && kmt_cli_double(argv[0], "pool-distance", pool, 0, 1e6, &o.pool_m)) return KMT_EXIT_USAGE;
    if (walk) {
        if (kmt_cli_double(argv[0], "walk-kmh", walk, 0.1, 200, &v)) return KMT_EXIT_USAGE;
        o.walk_mps = v / 3.6;
    }
    if (upk && kmt_cli_double(argv[0], "uncovered-per-km", upk, 0, 1e6, &o.uncovered_per_km))
        return KMT_EXIT_USAGE;
    if (upt && kmt_cli_double(argv[0], "uncovered-per-trip", upt, 0, 1e7, &o.uncovered_per_trip))
        return KMT_EXIT_USAGE;
    if (sdays && kmt_cli_int(argv[0], "service-days", sdays, 0, 100000, &k)) return KMT_EXIT_USAGE;
    if (vcost && kmt_cli_double(argv[0], "vehicle-cost", vcost, 0, 1e9, &o.vehicle_cost_year))
        return KMT_EXIT_USAGE;
    fleet_data fd;
    if ((rc = fleet_load(argv[0], &c, &fd))) return rc;
    if (!vcost) {
        double sum = 0;
        int n = 0;
        for (size_t i = 0; i < fd.in.nvehicles; i++)
            if (fd.vehicles[i].fixed_per_year > 0) sum += fd.vehicles[i].fixed_per_year, n++;
        if (n) o.vehicle_cost_year = sum / n;
    }
    kmt_fleet_size r;
    kmt_error e;
    kmt_error_init(&e);
    double t0 = kmt_now_monotonic();
    if ((rc = kmt_fleet_size_run(&fd.in, &o, &r, &e))) {
        fleet_data_free(&fd);
        return kmt_cli_error(&e);
    }
    double secs = kmt_now_monotonic() - t0;
    if (fd.format == FLEET_JSON) write_json(&fd, &o, &r, k);
    else if (fd.format == FLEET_CSV) write_csv(&fd, &r, k);
    else write_text(&fd, &o, &r, k, secs);
    kmt_fleet_size_free(&r);
    fleet_data_free(&fd);
    return KMT_EXIT_OK;
}

KMT_COMMAND("fleet size", "fewest vehicles per site that serve every trip (exact, with pooling)", run, HELP)
