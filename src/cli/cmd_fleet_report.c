/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet report: how much each vehicle, site and department is used. */
#include <stdlib.h>
#include <string.h>

#include "fleet_cli.h"

static const char HELP[] =
    "Usage: kommute fleet report [options]\n"
    "\n"
    "Per vehicle, site and department: vehicles, idle vehicles (no trip in the\n"
    "period), trips, km, days used, hours in use (the union of the vehicle's trips)\n"
    "and utilisation = hours in use within working hours / working hours of the\n"
    "period. Vehicles count at their home site and owner department.\n"
    "\n"
    "Options:\n" FLEET_COMMON_HELP
    "  --work-hours H-H   working hours (default 7-17)\n"
    "  --work-days N      working days from Monday (default 5 = Mon-Fri; 7 = all)\n"
    "  --low P            list vehicles used less than P percent (default 10)\n"
    "  --by W             csv rows: vehicle (default), site or department\n";

static void usage_json(kmt_json *j, const kmt_fleet_usage *u)
{
    kmt_json_key(j, "vehicles");
    kmt_json_int(j, u->vehicles);
    kmt_json_key(j, "idle_vehicles");
    kmt_json_int(j, u->idle_vehicles);
    kmt_json_key(j, "trips");
    kmt_json_int(j, u->trips);
    kmt_json_key(j, "km");
    kmt_json_double(j, u->km, 1);
    kmt_json_key(j, "days_used");
    kmt_json_int(j, u->days_used);
    kmt_json_key(j, "hours_in_use");
    kmt_json_double(j, u->seconds_used / 3600.0, 1);
    kmt_json_key(j, "hours_in_use_working");
    kmt_json_double(j, u->work_seconds_used / 3600.0, 1);
    kmt_json_key(j, "utilisation");
    kmt_json_double(j, u->utilisation, 4);
    kmt_json_key(j, "utilisation_24h");
    kmt_json_double(j, u->utilisation_24h, 4);
}

static void usage_csv(const char *kind, const char *key, const char *extra, const kmt_fleet_usage *u)
{
    fleet_csv_field(stdout, kind, 0);
    fleet_csv_field(stdout, key, 0);
    fleet_csv_field(stdout, extra, 0);
    printf("%d,%d,%lld,%.1f,%lld,%.1f,%.1f,%.4f,%.4f\n", u->vehicles, u->idle_vehicles,
           (long long)u->trips, u->km, (long long)u->days_used, u->seconds_used / 3600.0,
           u->work_seconds_used / 3600.0, u->utilisation, u->utilisation_24h);
}

static int run(int argc, char **argv)
{
    fleet_common c = {0};
    const char *wh = NULL, *wd = NULL, *low = NULL, *by = NULL;
    kmt_opt opts[] = {FLEET_COMMON_OPTS(c),        {"work-hours", 0, 1, &wh}, {"work-days", 0, 1, &wd},
                      {"low", 0, 1, &low},         {"by", 0, 1, &by},         {NULL, 0, 0, NULL}};
    int rc = fleet_parse(argc, argv, opts, HELP);
    if (rc) return rc;
    kmt_fleet_report_opts o;
    kmt_fleet_report_opts_default(&o);
    if (wh) {
        int a, b;
        char tail;
        if (sscanf(wh, "%d-%d%c", &a, &b, &tail) != 2 || a < 0 || b > 24 || a >= b)
            return kmt_cli_usage(argv[0], "--work-hours expects H-H like 7-17, got '%s'", wh);
        o.work_start_s = a * 3600, o.work_end_s = b * 3600;
    }
    long n;
    if (wd) {
        if (kmt_cli_int(argv[0], "work-days", wd, 1, 7, &n)) return KMT_EXIT_USAGE;
        o.work_days = (int)n;
    }
    double pct = 10;
    if (low && kmt_cli_double(argv[0], "low", low, 0, 100, &pct)) return KMT_EXIT_USAGE;
    o.low_util = pct / 100.0;
    int csv_by = 0;
    if (by) {
        if (strcmp(by, "vehicle") == 0) csv_by = 0;
        else if (strcmp(by, "site") == 0) csv_by = 1;
        else if (strcmp(by, "department") == 0) csv_by = 2;
        else return kmt_cli_usage(argv[0], "--by expects vehicle, site or department, got '%s'", by);
    }
    fleet_data fd;
    if ((rc = fleet_load(argv[0], &c, &fd))) return rc;
    kmt_fleet_report r;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_fleet_report_run(&fd.in, &o, &r, &e)) {
        fleet_data_free(&fd);
        return kmt_cli_error(&e);
    }
    char b1[16], b2[16];
    if (fd.format == FLEET_JSON) {
        kmt_json j;
        fleet_json_begin(&j, &fd);
        kmt_json_key(&j, "working_hours");
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "start_hour");
        kmt_json_double(&j, o.work_start_s / 3600.0, 2);
        kmt_json_key(&j, "end_hour");
        kmt_json_double(&j, o.work_end_s / 3600.0, 2);
        kmt_json_key(&j, "days_per_week");
        kmt_json_int(&j, o.work_days);
        kmt_json_key(&j, "hours_per_vehicle");
        kmt_json_double(&j, r.work_seconds_per_vehicle / 3600.0, 1);
        kmt_json_object_end(&j);
        kmt_json_key(&j, "total");
        kmt_json_object_begin(&j);
        usage_json(&j, &r.total);
        kmt_json_key(&j, "private_trips");
        kmt_json_int(&j, r.private_trips);
        kmt_json_key(&j, "private_km");
        kmt_json_double(&j, r.private_km, 1);
        kmt_json_object_end(&j);
        kmt_json_key(&j, "vehicles");
        kmt_json_array_begin(&j);
        for (size_t v = 0; v < r.nvehicles; v++) {
            if (fd.vehicles[v].excluded) continue;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "vehicle");
            kmt_json_string(&j, fleet_vehicle_key(&fd, (int32_t)v));
            kmt_json_key(&j, "site");
            kmt_json_string(&j, fleet_site_key(&fd, fd.vehicles[v].site));
            kmt_json_key(&j, "department");
            kmt_json_string(&j, fleet_dept_name(&fd, fd.vehicles[v].dept));
            usage_json(&j, &r.vehicle[v]);
            kmt_json_key(&j, "low_use");
            kmt_json_bool(&j, r.vehicle[v].utilisation < o.low_util);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        kmt_json_key(&j, "sites");
        kmt_json_array_begin(&j);
        for (size_t s = 0; s <= r.nsites; s++) {
            if (!r.site[s].vehicles) continue;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "site");
            kmt_json_string(&j, s < r.nsites ? fleet_site_key(&fd, (int32_t)s) : "");
            usage_json(&j, &r.site[s]);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        kmt_json_key(&j, "departments");
        kmt_json_array_begin(&j);
        for (size_t d = 0; d <= r.ndepts; d++) {
            if (!r.dept[d].vehicles) continue;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "department");
            kmt_json_string(&j, d < r.ndepts ? fleet_dept_name(&fd, (int32_t)d) : "");
            usage_json(&j, &r.dept[d]);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        fleet_json_end(&j);
    } else if (fd.format == FLEET_CSV) {
        printf("level,key,site,vehicles,idle_vehicles,trips,km,days_used,hours_in_use,"
               "hours_in_use_working,utilisation,utilisation_24h\n");
        if (csv_by == 0) {
            for (size_t v = 0; v < r.nvehicles; v++)
                if (!fd.vehicles[v].excluded)
                    usage_csv("vehicle", fleet_vehicle_key(&fd, (int32_t)v),
                              fleet_site_key(&fd, fd.vehicles[v].site), &r.vehicle[v]);
        } else if (csv_by == 1)
            for (size_t s = 0; s <= r.nsites; s++) {
                if (!r.site[s].vehicles) continue;
                const char *k = s < r.nsites ? fleet_site_key(&fd, (int32_t)s) : "";
                usage_csv("site", k, k, &r.site[s]);
            }
        else
            for (size_t d = 0; d <= r.ndepts; d++)
                if (r.dept[d].vehicles)
                    usage_csv("department", d < r.ndepts ? fleet_dept_name(&fd, (int32_t)d) : "", "",
                              &r.dept[d]);
    } else {
        printf("fleet report  %s .. %s (%lld days); working hours %02d-%02d, %d days a week "
               "(%.0f h per vehicle)\n",
               kmt_time_format_date(fd.in.from, b1, sizeof b1), kmt_time_format_date(fd.in.to, b2, sizeof b2),
               (long long)kmt_fleet_days(&fd.in), o.work_start_s / 3600, o.work_end_s / 3600, o.work_days,
               r.work_seconds_per_vehicle / 3600.0);
        printf("%d vehicles, %d idle, %lld trips, %.0f km, utilisation %.1f %% of working hours "
               "(%.1f %% of all hours)\n",
               r.total.vehicles, r.total.idle_vehicles, (long long)r.total.trips, r.total.km,
               100 * r.total.utilisation, 100 * r.total.utilisation_24h);
        if (r.private_trips)
            printf("private-car trips: %lld, %.0f km\n", (long long)r.private_trips, r.private_km);
        printf("\n%-22s %5s %5s %7s %9s %7s\n", "department", "veh", "idle", "trips", "km", "util%");
        int shown = 0;
        for (size_t d = 0; d <= r.ndepts && shown < 8; d++) {
            if (!r.dept[d].vehicles) continue;
            shown++;
            printf("%-22.22s %5d %5d %7lld %9.0f %7.1f\n",
                   d < r.ndepts ? fleet_dept_name(&fd, (int32_t)d) : "(none)", r.dept[d].vehicles,
                   r.dept[d].idle_vehicles, (long long)r.dept[d].trips, r.dept[d].km,
                   100 * r.dept[d].utilisation);
        }
        printf("\n%-22s %5s %5s %7s %9s %7s\n", "site", "veh", "idle", "trips", "km", "util%");
        shown = 0;
        for (size_t s = 0; s <= r.nsites && shown < 8; s++) {
            if (!r.site[s].vehicles) continue;
            shown++;
            printf("%-22.22s %5d %5d %7lld %9.0f %7.1f\n",
                   s < r.nsites ? fleet_site_key(&fd, (int32_t)s) : "(none)", r.site[s].vehicles,
                   r.site[s].idle_vehicles, (long long)r.site[s].trips, r.site[s].km,
                   100 * r.site[s].utilisation);
        }
        int nlow = 0;
        for (size_t v = 0; v < r.nvehicles; v++)
            nlow += !fd.vehicles[v].excluded && r.vehicle[v].utilisation < o.low_util;
        printf("\nvehicles used less than %.0f %% of working hours: %d", 100 * o.low_util, nlow);
        int listed = 0;
        for (size_t v = 0; v < r.nvehicles && listed < 12; v++)
            if (!fd.vehicles[v].excluded && r.vehicle[v].utilisation < o.low_util)
                printf("%s%s", listed++ ? ", " : ": ", fleet_vehicle_key(&fd, (int32_t)v));
        printf("%s\n", nlow > listed ? ", ..." : "");
    }
    kmt_fleet_report_free(&r);
    fleet_data_free(&fd);
    return KMT_EXIT_OK;
}

KMT_COMMAND("fleet report", "use of each vehicle, site and department", run, HELP)
