/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet ev: which vehicles an EV could replace, and what follows. */
#include <stdlib.h>
#include <string.h>

#include "fleet_cli.h"

static const char HELP[] =
    "Usage: kommute fleet ev [options]\n"
    "\n"
    "For each vehicle: could an EV with the given range have driven every day this\n"
    "vehicle drove, charging once overnight at its site? Usable range = range x\n"
    "(1 - margin), x the winter factor in winter months; a day fails when its km\n"
    "(trips by start day) exceed it. Suitable vehicles form the replacement plan\n"
    "with the yearly change in cost, kWh and CO2 (period scaled to 365 days).\n"
    "Also counts trips short enough for a bicycle or e-bike.\n"
    "\n"
    "Options:\n" FLEET_COMMON_HELP FLEET_FACTORS_HELP
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

static int run(int argc, char **argv)
{
    fleet_common c = {0};
    const char *facf = NULL, *ctry = NULL;
    const char *range = NULL, *margin = NULL, *wf = NULL, *wm = NULL, *wh = NULL, *cy = NULL,
               *ck = NULL, *bk = NULL, *grid = NULL, *kp = NULL;
    kmt_opt opts[] = {FLEET_COMMON_OPTS(c),
                      {"range", 0, 1, &range},
                      {"margin", 0, 1, &margin},
                      {"winter-factor", 0, 1, &wf},
                      {"winter-months", 0, 1, &wm},
                      {"ev-wh-per-km", 0, 1, &wh},
                      {"ev-cost-year", 0, 1, &cy},
                      {"ev-cost-per-km", 0, 1, &ck},
                      {"bike-km", 0, 1, &bk},
                      {"grid-co2", 0, 1, &grid},
                      {"kwh-price", 0, 1, &kp},
                      {"factors", 0, 1, &facf},
                      {"country", 0, 1, &ctry},
                      {NULL, 0, 0, NULL}};
    int rc = fleet_parse(argc, argv, opts, HELP);
    if (rc) return rc;
    kmt_fleet_ev_opts o;
    kmt_fleet_ev_opts_default(&o);
    fleet_factors_info fi;
    if ((rc = fleet_factors(facf, ctry, c.db, &o.factors, &fi))) return rc;
    const char *cmd = argv[0];
    double pct;
    if (range && kmt_cli_double(cmd, "range", range, 1, 5000, &o.range_km)) return KMT_EXIT_USAGE;
    if (margin) {
        if (kmt_cli_double(cmd, "margin", margin, 0, 90, &pct)) return KMT_EXIT_USAGE;
        o.margin = pct / 100.0;
    }
    if (wf && kmt_cli_double(cmd, "winter-factor", wf, 0.1, 1, &o.winter_factor)) return KMT_EXIT_USAGE;
    if (wm) {
        o.winter_months = 0;
        const char *p = wm;
        while (*p) {
            char *end;
            long m = strtol(p, &end, 10);
            if (end == p || m < 1 || m > 12 || (*end && *end != ','))
                return kmt_cli_usage(cmd, "--winter-months expects months 1-12 like 12,1,2, got '%s'", wm);
            o.winter_months |= 1u << m;
            p = *end ? end + 1 : end;
        }
    }
    if (wh && kmt_cli_double(cmd, "ev-wh-per-km", wh, 1, 2000, &o.ev_wh_per_km)) return KMT_EXIT_USAGE;
    if (cy && kmt_cli_double(cmd, "ev-cost-year", cy, 0, 1e8, &o.ev_fixed_per_year)) return KMT_EXIT_USAGE;
    if (ck && kmt_cli_double(cmd, "ev-cost-per-km", ck, 0, 1e4, &o.ev_cost_per_km)) return KMT_EXIT_USAGE;
    if (bk && kmt_cli_double(cmd, "bike-km", bk, 0, 100, &o.bike_km)) return KMT_EXIT_USAGE;
    if (grid && kmt_cli_double(cmd, "grid-co2", grid, 0, 2000, &o.factors.co2_g_per_kwh)) return KMT_EXIT_USAGE;
    if (kp && kmt_cli_double(cmd, "kwh-price", kp, 0, 1000, &o.factors.price_per_kwh)) return KMT_EXIT_USAGE;
    fleet_data fd;
    if ((rc = fleet_load(cmd, &c, &fd))) return rc;
    kmt_fleet_ev r;
    kmt_error e;
    kmt_error_init(&e);
    double t0 = kmt_now_monotonic();
    if (kmt_fleet_ev_run(&fd.in, &o, &r, &e)) {
        fleet_data_free(&fd);
        return kmt_cli_error(&e);
    }
    double secs = kmt_now_monotonic() - t0;
    char b[16];
    if (fd.format == FLEET_JSON) {
        kmt_json j;
        fleet_json_begin(&j, &fd);
        fleet_factors_json(&j, &fi, &o.factors);
        kmt_json_key(&j, "ev");
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "range_km");
        kmt_json_double(&j, o.range_km, 1);
        kmt_json_key(&j, "usable_km");
        kmt_json_double(&j, o.range_km * (1 - o.margin), 1);
        kmt_json_key(&j, "usable_km_winter");
        kmt_json_double(&j, o.range_km * (1 - o.margin) * o.winter_factor, 1);
        kmt_json_object_end(&j);
        kmt_json_key(&j, "suitable");
        kmt_json_int(&j, r.suitable);
        kmt_json_key(&j, "already_electric");
        kmt_json_int(&j, r.already_electric);
        kmt_json_key(&j, "unused");
        kmt_json_int(&j, r.unused);
        kmt_json_key(&j, "plan");
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "cost_change_per_year");
        kmt_json_double(&j, r.d_cost_year, 0);
        kmt_json_key(&j, "kwh_change_per_year");
        kmt_json_double(&j, r.d_kwh_year, 0);
        kmt_json_key(&j, "co2_kg_change_per_year");
        kmt_json_double(&j, r.d_co2_kg_year, 0);
        kmt_json_object_end(&j);
        kmt_json_key(&j, "bike");
        kmt_json_object_begin(&j);
        kmt_json_key(&j, "max_km");
        kmt_json_double(&j, o.bike_km, 1);
        kmt_json_key(&j, "trips_per_year");
        kmt_json_int(&j, r.bike_trips);
        kmt_json_key(&j, "km_per_year");
        kmt_json_double(&j, r.bike_km_year, 0);
        kmt_json_key(&j, "co2_kg_per_year");
        kmt_json_double(&j, r.bike_co2_kg_year, 0);
        kmt_json_object_end(&j);
        kmt_json_key(&j, "vehicles");
        kmt_json_array_begin(&j);
        for (size_t v = 0; v < r.n; v++) {
            const kmt_fleet_ev_vehicle *x = &r.v[v];
            if (fd.vehicles[v].excluded) continue;
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "vehicle");
            kmt_json_string(&j, fleet_vehicle_key(&fd, x->vehicle));
            kmt_json_key(&j, "site");
            kmt_json_string(&j, fleet_site_key(&fd, fd.vehicles[v].site));
            kmt_json_key(&j, "fuel");
            kmt_json_string(&j, kmt_fuel_name((kmt_fuel)fd.vehicles[v].fuel));
            kmt_json_key(&j, "km");
            kmt_json_double(&j, x->km, 1);
            kmt_json_key(&j, "days_driven");
            kmt_json_int(&j, x->days_driven);
            kmt_json_key(&j, "max_day_km");
            kmt_json_double(&j, x->max_day_km, 1);
            kmt_json_key(&j, "suitable");
            kmt_json_bool(&j, x->suitable);
            kmt_json_key(&j, "already_electric");
            kmt_json_bool(&j, x->already_electric);
            kmt_json_key(&j, "failing_days");
            kmt_json_array_begin(&j);
            for (int32_t k = 0; k < x->days_failing; k++)
                kmt_json_string(&j, fleet_day_str(x->fail_days[k], b, sizeof b));
            kmt_json_array_end(&j);
            kmt_json_key(&j, "cost_per_year");
            kmt_json_double(&j, x->cost_now, 0);
            kmt_json_key(&j, "cost_per_year_ev");
            kmt_json_double(&j, x->cost_ev, 0);
            kmt_json_key(&j, "kwh_per_year");
            kmt_json_double(&j, x->kwh_now, 0);
            kmt_json_key(&j, "kwh_per_year_ev");
            kmt_json_double(&j, x->kwh_ev, 0);
            kmt_json_key(&j, "co2_kg_per_year");
            kmt_json_double(&j, x->co2_kg_now, 0);
            kmt_json_key(&j, "co2_kg_per_year_ev");
            kmt_json_double(&j, x->co2_kg_ev, 0);
            kmt_json_key(&j, "bike_trips");
            kmt_json_int(&j, x->bike_trips);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        fleet_json_end(&j);
    } else if (fd.format == FLEET_CSV) {
        printf("vehicle,site,fuel,km,days_driven,days_failing,max_day_km,suitable,already_electric,"
               "cost_per_year,cost_per_year_ev,kwh_per_year,kwh_per_year_ev,co2_kg_per_year,"
               "co2_kg_per_year_ev,first_failing_day\n");
        for (size_t v = 0; v < r.n; v++) {
            const kmt_fleet_ev_vehicle *x = &r.v[v];
            if (fd.vehicles[v].excluded) continue;
            fleet_csv_field(stdout, fleet_vehicle_key(&fd, x->vehicle), 0);
            fleet_csv_field(stdout, fleet_site_key(&fd, fd.vehicles[v].site), 0);
            printf("%s,%.1f,%d,%d,%.1f,%d,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%s\n",
                   kmt_fuel_name((kmt_fuel)fd.vehicles[v].fuel), x->km, x->days_driven, x->days_failing,
                   x->max_day_km, x->suitable, x->already_electric, x->cost_now, x->cost_ev, x->kwh_now,
                   x->kwh_ev, x->co2_kg_now, x->co2_kg_ev,
                   x->days_failing ? fleet_day_str(x->fail_days[0], b, sizeof b) : "");
        }
    } else {
        printf("fleet ev  %lld vehicles; EV range %.0f km, usable %.0f km (%.0f km in winter)\n",
               (long long)fleet_nvehicles(&fd), o.range_km, o.range_km * (1 - o.margin),
               o.range_km * (1 - o.margin) * o.winter_factor);
        fleet_factors_text(&fi);
        printf("could be EVs today: %d; already electric or bikes: %d; unused in the period: %d\n",
               r.suitable, r.already_electric, r.unused);
        int listed = 0;
        for (size_t v = 0; v < r.n && listed < 15; v++)
            if (r.v[v].suitable) printf("%s%s", listed++ ? ", " : "  ", fleet_vehicle_key(&fd, (int32_t)v));
        if (listed) printf("%s\n", r.suitable > listed ? ", ..." : "");
        printf("replacing them: %+.0f a year, %+.0f kWh a year, %+.1f t CO2e a year\n", r.d_cost_year,
               r.d_kwh_year, r.d_co2_kg_year / 1000.0);
        int nfail = 0;
        for (size_t v = 0; v < r.n; v++)
            nfail += !fd.vehicles[v].excluded && !r.v[v].suitable && !r.v[v].already_electric && r.v[v].days_driven;
        printf("would fail on some days: %d vehicles\n", nfail);
        listed = 0;
        for (size_t v = 0; v < r.n && listed < 8; v++) {
            const kmt_fleet_ev_vehicle *x = &r.v[v];
            if (fd.vehicles[v].excluded || x->suitable || x->already_electric || !x->days_driven) continue;
            listed++;
            printf("  %-12s %3d of %3d days too long (longest %.0f km), first %s\n",
                   fleet_vehicle_key(&fd, x->vehicle), x->days_failing, x->days_driven, x->max_day_km,
                   fleet_day_str(x->fail_days[0], b, sizeof b));
        }
        printf("trips under %.0f km (bicycle/e-bike): %lld a year, %.0f km, %.1f t CO2e\n", o.bike_km,
               (long long)r.bike_trips, r.bike_km_year, r.bike_co2_kg_year / 1000.0);
        printf("computed in %.3f s\n", secs);
    }
    kmt_fleet_ev_free(&r);
    fleet_data_free(&fd);
    return KMT_EXIT_OK;
}

KMT_COMMAND("fleet ev", "which vehicles an EV could replace (daily range check)", run, HELP)
