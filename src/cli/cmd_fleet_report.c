/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet report: how much each vehicle, site and department is used. */
#include <stdio.h>

#include "cli.h"
#include "kommute/app_fleet.h"

static const char HELP[] = "Usage: kommute fleet report [options]\n"
                           "\n"
                           "Per vehicle, site and department: vehicles, idle vehicles (no trip in the\n"
                           "period), trips, km, days used, hours in use (the union of the vehicle's trips)\n"
                           "and utilisation = hours in use within working hours / working hours of the\n"
                           "period. Vehicles count at their home site and owner department.\n"
                           "\n"
                           "Options:\n" KMT_CLI_FLEET_COMMON_HELP "  --work-hours H-H   working hours (default 7-17)\n"
                           "  --work-days N      working days from Monday (default 5 = Mon-Fri; 7 = all)\n"
                           "  --low P            list vehicles used less than P percent (default 10)\n"
                           "  --by W             csv rows: vehicle (default), site or department\n";

static void usage_csv(const char *kind, const char *key, const char *extra, const kmt_fleet_usage *u)
{
    kmt_cli_csv_field(stdout, kind, 0);
    kmt_cli_csv_field(stdout, key, 0);
    kmt_cli_csv_field(stdout, extra, 0);
    printf("%d,%d,%lld,%.1f,%lld,%.1f,%.1f,%.4f,%.4f\n", u->vehicles, u->idle_vehicles, (long long)u->trips, u->km,
           (long long)u->days_used, u->seconds_used / 3600.0, u->work_seconds_used / 3600.0, u->utilisation,
           u->utilisation_24h);
}

static void write_csv(const kmt_app_fleet_report_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_report *r = &res->r;
    printf("level,key,site,vehicles,idle_vehicles,trips,km,days_used,hours_in_use,"
           "hours_in_use_working,utilisation,utilisation_24h\n");
    if (res->by == KMT_APP_FLEET_BY_VEHICLE) {
        for (size_t v = 0; v < r->nvehicles; v++)
            if (!fd->vehicles[v].excluded)
                usage_csv("vehicle", kmt_app_fleet_vehicle_key(fd, (int32_t)v),
                          kmt_app_fleet_site_key(fd, fd->vehicles[v].site), &r->vehicle[v]);
    } else if (res->by == KMT_APP_FLEET_BY_SITE)
        for (size_t s = 0; s <= r->nsites; s++) {
            if (!r->site[s].vehicles) continue;
            const char *k = s < r->nsites ? kmt_app_fleet_site_key(fd, (int32_t)s) : "";
            usage_csv("site", k, k, &r->site[s]);
        }
    else
        for (size_t d = 0; d <= r->ndepts; d++)
            if (r->dept[d].vehicles)
                usage_csv("department", d < r->ndepts ? kmt_app_fleet_dept_name(fd, (int32_t)d) : "", "", &r->dept[d]);
}

/* The first 8 used departments (dept 1) or sites (dept 0) as a table. */
static void groups_text(const kmt_app_fleet_report_result *res, int dept)
{
    const kmt_fleet_report *r = &res->r;
    size_t n = dept ? r->ndepts : r->nsites;
    const kmt_fleet_usage *u = dept ? r->dept : r->site;
    printf("\n%-22s %5s %5s %7s %9s %7s\n", dept ? "department" : "site", "veh", "idle", "trips", "km", "util%");
    int shown = 0;
    for (size_t k = 0; k <= n && shown < 8; k++) {
        if (!u[k].vehicles) continue;
        shown++;
        const char *name = k == n ? "(none)"
                           : dept ? kmt_app_fleet_dept_name(&res->fd, (int32_t)k)
                                  : kmt_app_fleet_site_key(&res->fd, (int32_t)k);
        printf("%-22.22s %5d %5d %7lld %9.0f %7.1f\n", name, u[k].vehicles, u[k].idle_vehicles, (long long)u[k].trips,
               u[k].km, 100 * u[k].utilisation);
    }
}

/* The vehicles used less than the low-use threshold: their number and the first 12. */
static void low_use_text(const kmt_app_fleet_report_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_report *r = &res->r;
    double low = res->opts.low_util;
    int nlow = 0;
    for (size_t v = 0; v < r->nvehicles; v++) nlow += !fd->vehicles[v].excluded && r->vehicle[v].utilisation < low;
    printf("\nvehicles used less than %.0f %% of working hours: %d", 100 * low, nlow);
    int listed = 0;
    for (size_t v = 0; v < r->nvehicles && listed < 12; v++)
        if (!fd->vehicles[v].excluded && r->vehicle[v].utilisation < low)
            printf("%s%s", listed++ ? ", " : ": ", kmt_app_fleet_vehicle_key(fd, (int32_t)v));
    printf("%s\n", nlow > listed ? ", ..." : "");
}

static void write_text(const kmt_app_fleet_report_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_report_opts *o = &res->opts;
    const kmt_fleet_report *r = &res->r;
    char b1[16], b2[16];
    printf("fleet report  %s .. %s (%lld days); working hours %02d-%02d, %d days a week "
           "(%.0f h per vehicle)\n",
           kmt_time_format_date(fd->in.from, b1, sizeof b1), kmt_time_format_date(fd->in.to, b2, sizeof b2),
           (long long)kmt_fleet_days(&fd->in), o->work_start_s / 3600, o->work_end_s / 3600, o->work_days,
           r->work_seconds_per_vehicle / 3600.0);
    printf("%d vehicles, %d idle, %lld trips, %.0f km, utilisation %.1f %% of working hours "
           "(%.1f %% of all hours)\n",
           r->total.vehicles, r->total.idle_vehicles, (long long)r->total.trips, r->total.km,
           100 * r->total.utilisation, 100 * r->total.utilisation_24h);
    if (r->private_trips) printf("private-car trips: %lld, %.0f km\n", (long long)r->private_trips, r->private_km);
    groups_text(res, 1);
    groups_text(res, 0);
    low_use_text(res);
}

static int render(const kmt_app_ctx *c, const void *q, kmt_app_format fmt, kmt_error *e)
{
    kmt_app_fleet_report_result r;
    int rc = kmt_app_fleet_report(c, q, &r, e);
    if (rc) return rc;
    if (fmt == KMT_APP_CSV)
        write_csv(&r);
    else
        write_text(&r);
    kmt_app_fleet_report_result_destroy(&r);
    return 0;
}

static int run(int argc, char **argv)
{
    static const kmt_cli_app_cmd cmd = { &kmt_app_fleet_report_usecase, 0, render };
    return kmt_cli_app_run(argc, argv, &cmd, HELP);
}

KMT_COMMAND("fleet report", "use of each vehicle, site and department", run, HELP)
