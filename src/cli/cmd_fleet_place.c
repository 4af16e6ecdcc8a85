/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet place: which site each vehicle should be based at. */
#include <stdlib.h>
#include <string.h>

#include "fleet_cli.h"

static const char HELP[] =
    "Usage: kommute fleet place [options]\n"
    "\n"
    "Bases each vehicle at the site where it serves most, exactly: each site needs\n"
    "its minimum fleet (as `fleet size` computes it, per kind); the r-th vehicle of\n"
    "a kind at a site serves the trips r vehicles can serve beyond r-1 (most trips,\n"
    "exact). Each vehicle goes to one such slot or is surplus, minimising the\n"
    "one-off cost of moving vehicles (straight-line km between sites x price) plus\n"
    "the yearly value of trips no vehicle serves (their km x the allowance).\n"
    "Solved as an assignment problem (Hungarian method): the optimum, not a guess.\n"
    "\n"
    "Options:\n" FLEET_COMMON_HELP
    FLEET_DEMAND_HELP
    "  --move-cost-per-km X   one-off cost per km of moving a vehicle (default 3.79)\n"
    "  --unserved-per-km X    yearly value of an unserved km (default 3.79, DK allowance)\n"
    "  --unserved-per-trip X  or a fixed value per unserved trip (default: from km)\n";

static int run(int argc, char **argv)
{
    fleet_common c = {0};
    fleet_demand dm = {0};
    const char *mc = NULL, *upk = NULL, *upt = NULL;
    kmt_opt opts[] = {FLEET_COMMON_OPTS(c),
                      FLEET_DEMAND_OPTS(dm),
                      {"move-cost-per-km", 0, 1, &mc},
                      {"unserved-per-km", 0, 1, &upk},
                      {"unserved-per-trip", 0, 1, &upt},
                      {NULL, 0, 0, NULL}};
    int rc = fleet_parse(argc, argv, opts, HELP);
    if (rc) return rc;
    const char *cmd = argv[0];
    kmt_fleet_place_opts o;
    kmt_fleet_place_opts_default(&o);
    if ((o.size.changeover_s = fleet_changeover(cmd, dm.changeover)) < 0) return KMT_EXIT_USAGE;
    o.size.any_kind = dm.any_kind != NULL;
    o.size.include_private = dm.include_private != NULL;
    if (mc && kmt_cli_double(cmd, "move-cost-per-km", mc, 0, 1e6, &o.move_cost_per_km)) return KMT_EXIT_USAGE;
    if (upk && kmt_cli_double(cmd, "unserved-per-km", upk, 0, 1e6, &o.uncovered_per_km)) return KMT_EXIT_USAGE;
    if (upt && kmt_cli_double(cmd, "unserved-per-trip", upt, 0, 1e7, &o.unserved_per_trip)) return KMT_EXIT_USAGE;
    fleet_data fd;
    if ((rc = fleet_load(cmd, &c, &fd))) return rc;
    kmt_fleet_place r;
    kmt_error e;
    kmt_error_init(&e);
    double t0 = kmt_now_monotonic();
    if (kmt_fleet_place_run(&fd.in, &o, &r, &e)) {
        fleet_data_free(&fd);
        return kmt_cli_error(&e);
    }
    double secs = kmt_now_monotonic() - t0;
    size_t S = r.nsites;
    int32_t *now = kmt_calloc(S ? S : 1, sizeof *now), *after = kmt_calloc(S ? S : 1, sizeof *after);
    for (size_t v = 0; v < r.nvehicles; v++) {
        if (fd.vehicles[v].site >= 0) now[fd.vehicles[v].site]++;
        if (r.site_of[v] >= 0) after[r.site_of[v]]++;
    }
    if (fd.format == FLEET_JSON) {
        kmt_json j;
        fleet_json_begin(&j, &fd);
        kmt_json_key(&j, "moved");
        kmt_json_int(&j, r.moved);
        kmt_json_key(&j, "surplus");
        kmt_json_int(&j, r.surplus);
        kmt_json_key(&j, "move_km");
        kmt_json_double(&j, r.move_km_total, 1);
        kmt_json_key(&j, "objective");
        kmt_json_double(&j, r.objective, 0);
        kmt_json_key(&j, "vehicles");
        kmt_json_array_begin(&j);
        for (size_t v = 0; v < r.nvehicles; v++) {
            if (fd.vehicles[v].excluded) continue;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "vehicle");
            kmt_json_string(&j, fleet_vehicle_key(&fd, (int32_t)v));
            kmt_json_key(&j, "site_now");
            kmt_json_string(&j, fleet_site_key(&fd, fd.vehicles[v].site));
            kmt_json_key(&j, "site");
            if (r.site_of[v] >= 0) kmt_json_string(&j, fleet_site_key(&fd, r.site_of[v]));
            else kmt_json_null(&j);
            kmt_json_key(&j, "surplus");
            kmt_json_bool(&j, r.site_of[v] < 0);
            kmt_json_key(&j, "move_km");
            kmt_json_double(&j, r.move_km[v], 1);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        kmt_json_key(&j, "sites");
        kmt_json_array_begin(&j);
        for (size_t s = 0; s < S; s++) {
            if (!now[s] && !after[s] && !r.slots_unfilled[s]) continue;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "site");
            kmt_json_string(&j, fleet_site_key(&fd, (int32_t)s));
            kmt_json_key(&j, "vehicles_now");
            kmt_json_int(&j, now[s]);
            kmt_json_key(&j, "vehicles");
            kmt_json_int(&j, after[s]);
            kmt_json_key(&j, "vehicles_missing");
            kmt_json_int(&j, r.slots_unfilled[s]);
            kmt_json_key(&j, "trips_unserved_per_year");
            kmt_json_int(&j, r.trips_unserved[s]);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        fleet_json_end(&j);
    } else if (fd.format == FLEET_CSV) {
        printf("vehicle,site_now,site,surplus,move_km\n");
        for (size_t v = 0; v < r.nvehicles; v++) {
            if (fd.vehicles[v].excluded) continue;
            fleet_csv_field(stdout, fleet_vehicle_key(&fd, (int32_t)v), 0);
            fleet_csv_field(stdout, fleet_site_key(&fd, fd.vehicles[v].site), 0);
            fleet_csv_field(stdout, fleet_site_key(&fd, r.site_of[v]), 0);
            printf("%d,%.1f\n", r.site_of[v] < 0, r.move_km[v]);
        }
    } else {
        printf("fleet place  %zu vehicles, %zu sites: move %d (%.1f km in all), %d surplus\n",
               fleet_nvehicles(&fd), fd.only_site >= 0 ? (size_t)1 : S, r.moved, r.move_km_total, r.surplus);
        int listed = 0;
        for (size_t v = 0; v < r.nvehicles && listed < 12; v++) {
            if (r.site_of[v] < 0 || r.site_of[v] == fd.vehicles[v].site) continue;
            listed++;
            printf("  move %-12s %s -> %s (%.1f km)\n", fleet_vehicle_key(&fd, (int32_t)v),
                   fd.vehicles[v].site >= 0 ? fleet_site_key(&fd, fd.vehicles[v].site) : "(none)",
                   fleet_site_key(&fd, r.site_of[v]), r.move_km[v]);
        }
        if (r.moved > listed) printf("  ... %d more moves (--format csv for all)\n", r.moved - listed);
        listed = 0;
        for (size_t v = 0; v < r.nvehicles && listed < 12; v++)
            if (r.site_of[v] < 0 && !fd.vehicles[v].excluded)
                printf("%s%s", listed++ ? ", " : "surplus: ", fleet_vehicle_key(&fd, (int32_t)v));
        if (listed) printf("%s\n", r.surplus > listed ? ", ..." : "");
        for (size_t s = 0; s < S; s++)
            if (r.slots_unfilled[s])
                printf("site %s lacks %d vehicle(s): %lld trips a year unserved\n",
                       fleet_site_key(&fd, (int32_t)s), r.slots_unfilled[s], (long long)r.trips_unserved[s]);
        printf("computed in %.3f s\n", secs);
    }
    kmt_free(now), kmt_free(after);
    kmt_fleet_place_free(&r);
    fleet_data_free(&fd);
    return KMT_EXIT_OK;
}

KMT_COMMAND("fleet place", "best home site for each vehicle (exact assignment)", run, HELP)
