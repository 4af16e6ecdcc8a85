/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet ev: which vehicles an EV could replace, and what follows. */
#include <stdio.h>

#include "cli.h"
#include "kommute/app_fleet.h"

static const char HELP[] = "Usage: kommute fleet ev [options]\n"
                           "\n"
                           "For each vehicle: could an EV with the given range have driven every day this\n"
                           "vehicle drove, charging once overnight at its site? Usable range = range x\n"
                           "(1 - margin), x the winter factor in winter months; a day fails when its km\n"
                           "(trips by start day) exceed it. Suitable vehicles form the replacement plan\n"
                           "with the yearly change in cost, kWh and CO2 (period scaled to 365 days).\n"
                           "Also counts trips short enough for a bicycle or e-bike.\n"
                           "\n"
                           "Options:\n" KMT_CLI_FLEET_COMMON_HELP KMT_CLI_FLEET_FACTORS_HELP
                           "  --range KM         EV range, WLTP (default 300)\n"
                           "  --margin PCT       share of the range kept in reserve (default 10)\n"
                           "  --winter-factor F  range multiplier in winter (default 0.75)\n"
                           "  --winter-months L  comma-separated months (default 12,1,2)\n"
                           "  --ev-wh-per-km X   consumption of the EV (default 180)\n"
                           "  --ev-cost-year X   yearly fixed cost of the EV (default 40000)\n"
                           "  --ev-cost-per-km X its cost per km besides electricity (default 0.30)\n"
                           "  --bike-km KM       trips shorter than this could go by (e-)bike (default 5)\n"
                           "  --grid-co2 G       g CO2e per kWh of electricity (default: the factors file's)\n"
                           "  --kwh-price X      price of a kWh (default: the factors file's)\n";

static void write_csv(const kmt_app_fleet_ev_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_ev *r = &res->r;
    char b[16];
    printf("vehicle,site,fuel,km,days_driven,days_failing,max_day_km,suitable,already_electric,"
           "cost_per_year,cost_per_year_ev,kwh_per_year,kwh_per_year_ev,co2_kg_per_year,"
           "co2_kg_per_year_ev,first_failing_day\n");
    for (size_t v = 0; v < r->n; v++) {
        const kmt_fleet_ev_vehicle *x = &r->v[v];
        if (fd->vehicles[v].excluded) continue;
        kmt_cli_csv_field(stdout, kmt_app_fleet_vehicle_key(fd, x->vehicle), 0);
        kmt_cli_csv_field(stdout, kmt_app_fleet_site_key(fd, fd->vehicles[v].site), 0);
        printf("%s,%.1f,%d,%d,%.1f,%d,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%s\n",
               kmt_fuel_name((kmt_fuel)fd->vehicles[v].fuel), x->km, x->days_driven, x->days_failing, x->max_day_km,
               x->suitable, x->already_electric, x->cost_now, x->cost_ev, x->kwh_now, x->kwh_ev, x->co2_kg_now,
               x->co2_kg_ev, x->days_failing ? kmt_app_fleet_day_str(x->fail_days[0], b, sizeof b) : "");
    }
}

/* The vehicles an EV could replace (the first 15) and what replacing them changes. */
static void suitable_text(const kmt_app_fleet_ev_result *res)
{
    const kmt_fleet_ev *r = &res->r;
    printf("could be EVs today: %d; already electric or bikes: %d; unused in the period: %d\n", r->suitable,
           r->already_electric, r->unused);
    int listed = 0;
    for (size_t v = 0; v < r->n && listed < 15; v++)
        if (r->v[v].suitable) printf("%s%s", listed++ ? ", " : "  ", kmt_app_fleet_vehicle_key(&res->fd, (int32_t)v));
    if (listed) printf("%s\n", r->suitable > listed ? ", ..." : "");
    printf("replacing them: %+.0f a year, %+.0f kWh a year, %+.1f t CO2e a year\n", r->d_cost_year, r->d_kwh_year,
           r->d_co2_kg_year / 1000.0);
}

/* Would this vehicle fail on some days? */
static int failing(const kmt_app_fleet_data *fd, size_t v, const kmt_fleet_ev_vehicle *x)
{
    return !fd->vehicles[v].excluded && !x->suitable && !x->already_electric && x->days_driven;
}

/* The vehicles that would fail on some days: their number and the first 8. */
static void failing_text(const kmt_app_fleet_ev_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_ev *r = &res->r;
    char b[16];
    int nfail = 0;
    for (size_t v = 0; v < r->n; v++) nfail += failing(fd, v, &r->v[v]);
    printf("would fail on some days: %d vehicles\n", nfail);
    int listed = 0;
    for (size_t v = 0; v < r->n && listed < 8; v++) {
        const kmt_fleet_ev_vehicle *x = &r->v[v];
        if (!failing(fd, v, x)) continue;
        listed++;
        printf("  %-12s %3d of %3d days too long (longest %.0f km), first %s\n",
               kmt_app_fleet_vehicle_key(fd, x->vehicle), x->days_failing, x->days_driven, x->max_day_km,
               kmt_app_fleet_day_str(x->fail_days[0], b, sizeof b));
    }
}

static void write_text(const kmt_app_fleet_ev_result *res)
{
    const kmt_fleet_ev_opts *o = &res->opts;
    const kmt_fleet_ev *r = &res->r;
    printf("fleet ev  %lld vehicles; EV range %.0f km, usable %.0f km (%.0f km in winter)\n",
           (long long)kmt_app_fleet_nvehicles(&res->fd), o->range_km, o->range_km * (1 - o->margin),
           o->range_km * (1 - o->margin) * o->winter_factor);
    kmt_cli_fleet_factors_text(&res->factors);
    suitable_text(res);
    failing_text(res);
    printf("trips under %.0f km (bicycle/e-bike): %lld a year, %.0f km, %.1f t CO2e\n", o->bike_km,
           (long long)r->bike_trips, r->bike_km_year, r->bike_co2_kg_year / 1000.0);
    printf("computed in %.3f s\n", res->seconds);
}

static int render(const kmt_app_ctx *c, const void *q, kmt_app_format fmt, kmt_error *e)
{
    kmt_app_fleet_ev_result r;
    int rc = kmt_app_fleet_ev(c, q, &r, e);
    if (rc) return rc;
    if (fmt == KMT_APP_CSV)
        write_csv(&r);
    else
        write_text(&r);
    kmt_app_fleet_ev_result_destroy(&r);
    return 0;
}

static int run(int argc, char **argv)
{
    static const kmt_cli_app_cmd cmd = { &kmt_app_fleet_ev_usecase, KMT_CLI_APP_FACTORS, render };
    return kmt_cli_app_run(argc, argv, &cmd, HELP);
}

KMT_COMMAND("fleet ev", "which vehicles an EV could replace (daily range check)", run, HELP)
