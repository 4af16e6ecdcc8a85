/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet place: which site each vehicle should be based at. */
#include <stdio.h>

#include "cli.h"
#include "kommute/app_fleet.h"

static const char HELP[] = "Usage: kommute fleet place [options]\n"
                           "\n"
                           "Bases each vehicle at the site where it serves most, exactly: each site needs\n"
                           "its minimum fleet (as `fleet size` computes it, per kind); the r-th vehicle of\n"
                           "a kind at a site serves the trips r vehicles can serve beyond r-1 (most trips,\n"
                           "exact). Each vehicle goes to one such slot or is surplus, minimising the\n"
                           "one-off cost of moving vehicles (straight-line km between sites x price) plus\n"
                           "the yearly value of trips no vehicle serves (their km x the allowance).\n"
                           "Solved as an assignment problem (Hungarian method): the optimum, not a guess.\n"
                           "\n"
                           "Options:\n" KMT_CLI_FLEET_COMMON_HELP KMT_CLI_FLEET_DEMAND_HELP
                           "  --move-cost-per-km X   one-off cost per km of moving a vehicle (default 3.79)\n"
                           "  --unserved-per-km X    yearly value of an unserved km (default 3.79, DK allowance)\n"
                           "  --unserved-per-trip X  or a fixed value per unserved trip (default: from km)\n";

static void write_csv(const kmt_app_fleet_place_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_place *r = &res->r;
    printf("vehicle,site_now,site,surplus,move_km\n");
    for (size_t v = 0; v < r->nvehicles; v++) {
        if (fd->vehicles[v].excluded) continue;
        kmt_cli_csv_field(stdout, kmt_app_fleet_vehicle_key(fd, (int32_t)v), 0);
        kmt_cli_csv_field(stdout, kmt_app_fleet_site_key(fd, fd->vehicles[v].site), 0);
        kmt_cli_csv_field(stdout, kmt_app_fleet_site_key(fd, r->site_of[v]), 0);
        printf("%d,%.1f\n", r->site_of[v] < 0, r->move_km[v]);
    }
}

static void write_text(const kmt_app_fleet_place_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_place *r = &res->r;
    size_t S = r->nsites;
    printf("fleet place  %zu vehicles, %zu sites: move %d (%.1f km in all), %d surplus\n", kmt_app_fleet_nvehicles(fd),
           fd->only_site >= 0 ? (size_t)1 : S, r->moved, r->move_km_total, r->surplus);
    int listed = 0;
    for (size_t v = 0; v < r->nvehicles && listed < 12; v++) {
        if (r->site_of[v] < 0 || r->site_of[v] == fd->vehicles[v].site) continue;
        listed++;
        printf("  move %-12s %s -> %s (%.1f km)\n", kmt_app_fleet_vehicle_key(fd, (int32_t)v),
               fd->vehicles[v].site >= 0 ? kmt_app_fleet_site_key(fd, fd->vehicles[v].site) : "(none)",
               kmt_app_fleet_site_key(fd, r->site_of[v]), r->move_km[v]);
    }
    if (r->moved > listed) printf("  ... %d more moves (--format csv for all)\n", r->moved - listed);
    listed = 0;
    for (size_t v = 0; v < r->nvehicles && listed < 12; v++)
        if (r->site_of[v] < 0 && !fd->vehicles[v].excluded)
            printf("%s%s", listed++ ? ", " : "surplus: ", kmt_app_fleet_vehicle_key(fd, (int32_t)v));
    if (listed) printf("%s\n", r->surplus > listed ? ", ..." : "");
    for (size_t s = 0; s < S; s++)
        if (r->slots_unfilled[s])
            printf("site %s lacks %d vehicle(s): %lld trips a year unserved\n", kmt_app_fleet_site_key(fd, (int32_t)s),
                   r->slots_unfilled[s], (long long)r->trips_unserved[s]);
    printf("computed in %.3f s\n", res->seconds);
}

static int render(const kmt_app_ctx *c, const void *q, kmt_app_format fmt, kmt_error *e)
{
    kmt_app_fleet_place_result r;
    int rc = kmt_app_fleet_place(c, q, &r, e);
    if (rc) return rc;
    if (fmt == KMT_APP_CSV)
        write_csv(&r);
    else
        write_text(&r);
    kmt_app_fleet_place_result_destroy(&r);
    return 0;
}

static int run(int argc, char **argv)
{
    static const kmt_cli_app_cmd cmd = { &kmt_app_fleet_place_usecase, 0, render };
    return kmt_cli_app_run(argc, argv, &cmd, HELP);
}

KMT_COMMAND("fleet place", "best home site for each vehicle (exact assignment)", run, HELP)
