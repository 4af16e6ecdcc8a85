/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet size: the fewest vehicles that would have served every trip. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kommute/app_fleet.h"

static const char HELP[] = "Usage: kommute fleet size [options]\n"
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
                           "Options:\n" KMT_CLI_FLEET_COMMON_HELP KMT_CLI_FLEET_DEMAND_HELP
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

static void write_csv(const kmt_app_fleet_data *fd, const kmt_fleet_size *r, int64_t kdays)
{
    printf("site,name,group,trips,current_vehicles,min_vehicles,min_vehicles_pooled,"
           "vehicles_for_service_days,peak_time\n");
    char b[32];
    for (size_t s = 0; s < r->nsites; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        if ((!x->trips && !x->current_vehicles) || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        kmt_cli_csv_field(stdout, kmt_app_fleet_site_key(fd, x->site), 0);
        kmt_cli_csv_field(stdout, fd->d.sites.v[x->site].name, 0);
        printf("%d,%lld,%d,%d,%d,%d,%s\n", x->group, (long long)x->trips, x->current_vehicles, x->min_vehicles,
               x->min_vehicles_pooled, kmt_app_fleet_size_for_service_days(x, kdays),
               x->npeak ? kmt_time_format(x->peak_time, b, sizeof b) : "");
    }
}

static void write_text(const kmt_app_fleet_data *fd, const kmt_fleet_size_opts *o, const kmt_fleet_size *r,
                       int64_t kdays, double secs)
{
    char b1[16], b2[16], b3[32];
    printf("fleet size  %s .. %s (%lld days), %lld trips, changeover %lld min, pooling < %.0f m\n",
           kmt_time_format_date(fd->in.from, b1, sizeof b1), kmt_time_format_date(fd->in.to, b2, sizeof b2),
           (long long)kmt_fleet_days(&fd->in), (long long)r->trips_used, (long long)(o->changeover_s / 60), o->pool_m);
    printf("%-20s %6s %7s %5s %6s %8s %9s  %s\n", "site", "trips", "current", "min", "pooled", kdays ? "svc-days" : "",
           "cheapest", "peak");
    size_t shown = 0;
    for (size_t s = 0; s < r->nsites && shown < 18; s++) {
        const kmt_fleet_site_size *x = &r->sites[s];
        if ((!x->trips && !x->current_vehicles) || (fd->only_site >= 0 && x->site != fd->only_site)) continue;
        shown++;
        char kd[16] = "";
        if (kdays) snprintf(kd, sizeof kd, "%d", kmt_app_fleet_size_for_service_days(x, kdays));
        const kmt_fleet_curve_point *cp = cheapest(x);
        printf("%-20.20s %6lld %7d %5d %6d %8s %9d  %s\n", kmt_app_fleet_site_key(fd, x->site), (long long)x->trips,
               x->current_vehicles, x->min_vehicles, x->min_vehicles_pooled, kd, cp ? cp->vehicles : x->min_vehicles,
               x->npeak ? kmt_time_format(x->peak_time, b3, sizeof b3) : "-");
    }
    size_t active = 0;
    for (size_t s = 0; s < r->nsites; s++) active += r->sites[s].trips || r->sites[s].current_vehicles;
    if (active > shown) printf("... %zu more sites (--format json or csv for all)\n", active - shown);
    printf("total: %d vehicles now, %d needed per site, %d with sharing between nearby sites", r->current_total,
           r->min_total, r->min_pooled_total);
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

static int render(const kmt_app_ctx *c, const void *q, kmt_app_format fmt, kmt_error *e)
{
    kmt_app_fleet_size_result r;
    int rc = kmt_app_fleet_size(c, q, &r, e);
    if (rc) return rc;
    if (fmt == KMT_APP_CSV)
        write_csv(&r.fd, &r.r, r.service_days);
    else
        write_text(&r.fd, &r.opts, &r.r, r.service_days, r.seconds);
    kmt_app_fleet_size_result_destroy(&r);
    return 0;
}

static int run(int argc, char **argv)
{
    static const kmt_cli_app_cmd cmd = { &kmt_app_fleet_size_usecase, 0, render };
    return kmt_cli_app_run(argc, argv, &cmd, HELP);
}

KMT_COMMAND("fleet size", "fewest vehicles per site that serve every trip (exact, with pooling)", run, HELP)
