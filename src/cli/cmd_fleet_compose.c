/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet compose: the cheapest fleet of catalogue models for the trips. */
#include <stdio.h>

#include "cli.h"
#include "kommute/app_fleet.h"

static const char HELP[] =
    "Usage: kommute fleet compose [options]\n"
    "\n"
    "From a catalogue of vehicle models (kind, fuel, range, consumption, yearly\n"
    "cost), how many of each should a site have so that every trip is covered:\n"
    "each trip on a free vehicle of its kind whose km that day stay within the\n"
    "model's range (charged overnight), minimising yearly cost + CO2 valued at a\n"
    "price. Each site separately, sites closer than --pool-distance as one group,\n"
    "or all selected trips as one pool (--pool); in a group any vehicle may serve\n"
    "any of its sites' trips (moving between them is not costed).\n"
    "Returns the best few fleets, each verified by replaying the trips (an explicit\n"
    "assignment, checked independently), and a lower bound no fleet can beat: the\n"
    "gap between the best and the bound is how far from optimal it can be.\n"
    "\n"
    "Options:\n" KMT_CLI_FLEET_COMMON_HELP KMT_CLI_FLEET_FACTORS_HELP
    "  --catalogue FILE   models (CSV; default data/fleet/catalogue.csv)\n"
    "  --pool             one fleet for all selected trips instead of one per site\n"
    "  --pool-distance M  one fleet per group of sites closer than M metres (default 0)\n" KMT_CLI_FLEET_DEMAND_HELP
    "  --co2-weight W     0-10: CO2 valued at W/5 x the CO2 price (default 5)\n"
    "  --co2-price X      price of a tonne of CO2e (default: the factors file's)\n"
    "  --allow-uncovered  trips may stay uncovered, paid at the mileage allowance\n"
    "  --allowance X      price of an uncovered km (default: the factors file's)\n"
    "  --bike-km KM       car trips up to this long may use an e-bike model (default 5; 0 = never)\n"
    "  --best N           fleets to list (default 3)\n"
    "  --max-evaluations N  replays at most (default 20000)\n";

static void write_csv(const kmt_app_fleet_compose_result *res)
{
    printf("site,rank,vehicles");
    for (size_t m = 0; m < res->nmodels; m++) printf(","), kmt_cli_csv_field(stdout, res->models[m].name, 2);
    printf(",cost_per_year,co2_kg_per_year,kwh_per_year,objective,uncovered_trips,verified,lower_bound\n");
    for (size_t k = 0; k < res->ngroups; k++) {
        const kmt_app_fleet_compose_group *g = &res->groups[k];
        for (size_t f = 0; !g->rc && f < g->r.nfleets; f++) {
            const kmt_fleet_fleet *x = &g->r.fleets[f];
            kmt_cli_csv_field(stdout, g->name, 0);
            printf("%zu,%d", f + 1, x->vehicles);
            for (size_t m = 0; m < res->nmodels; m++) printf(",%d", x->count[m]);
            printf(",%.0f,%.0f,%.0f,%.0f,%lld,%d,%.0f\n", x->cost_year, x->co2_kg_year, x->kwh_year, x->objective,
                   (long long)x->uncovered_trips, x->verified, g->r.lower_bound);
        }
    }
}

static void fleet_text(const kmt_fleet_fleet *f, const kmt_fleet_model *m, size_t M)
{
    int first = 1;
    for (size_t k = 0; k < M; k++)
        if (f->count[k]) printf("%s%d x %s", first ? "" : " + ", f->count[k], m[k].name), first = 0;
    if (first) printf("no vehicles");
    printf("\n      cost %.0f/yr, %.1f t CO2e, %.0f kWh, objective %.0f", f->cost_year, f->co2_kg_year / 1000,
           f->kwh_year, f->objective);
    if (f->uncovered_trips) printf(", %lld trips uncovered (%.0f km)", (long long)f->uncovered_trips, f->uncovered_km);
    printf("%s\n", f->verified ? ", replay verified" : ", NOT verified");
}

/* A group's search and its best fleets (5 when it is the only group, else 1). */
static void group_text(const kmt_app_fleet_compose_result *res, const kmt_app_fleet_compose_group *g)
{
    const kmt_fleet_compose *r = &g->r;
    printf("%s (%lld trips): best of %lld replayed, bound %.0f (gap %.1f %%)%s\n", g->name, (long long)r->trips,
           (long long)r->evaluated, r->lower_bound,
           r->lower_bound > 0 ? 100 * (r->fleets[0].objective - r->lower_bound) / r->lower_bound : 0,
           r->exhaustive ? "" : " (search cut short)");
    for (size_t f = 0; f < r->nfleets && f < (res->ngroups == 1 ? 5u : 1u); f++) {
        printf("  %zu. ", f + 1);
        fleet_text(&r->fleets[f], res->models, res->nmodels);
    }
}

static void write_text(const kmt_app_fleet_compose_result *res)
{
    const kmt_fleet_compose_opts *o = &res->opts;
    printf("fleet compose  %zu models from %s; CO2 weight %.1f (%.0f per t)\n", res->nmodels, res->catalogue,
           o->co2_weight, o->co2_weight / 5 * o->factors.co2_price_per_tonne);
    kmt_cli_fleet_factors_text(&res->factors);
    size_t shown = 0;
    double tot = 0, totlb = 0;
    for (size_t k = 0; k < res->ngroups; k++) {
        const kmt_app_fleet_compose_group *g = &res->groups[k];
        if (g->rc) {
            printf("%s: %s\n", g->name, g->err);
            continue;
        }
        if (!g->r.nfleets) {
            printf("%s: no fleet found\n", g->name);
            continue;
        }
        tot += g->r.fleets[0].objective, totlb += g->r.lower_bound;
        if (shown++ < 6) group_text(res, g);
    }
    if (shown > 6) printf("... %zu more sites (--format json or csv for all)\n", shown - 6);
    printf("total objective %.0f a year, lower bound %.0f; computed in %.2f s\n", tot, totlb, res->seconds);
}

static int render(const kmt_app_ctx *c, const void *q, kmt_app_format fmt, kmt_error *e)
{
    kmt_app_fleet_compose_result r;
    int rc = kmt_app_fleet_compose(c, q, &r, e);
    if (rc) return rc;
    if (fmt == KMT_APP_CSV)
        write_csv(&r);
    else
        write_text(&r);
    kmt_app_fleet_compose_result_destroy(&r);
    return 0;
}

static int run(int argc, char **argv)
{
    static const kmt_cli_app_cmd cmd = { &kmt_app_fleet_compose_usecase, KMT_CLI_APP_FACTORS | KMT_CLI_APP_CATALOGUE,
                                         render };
    return kmt_cli_app_run(argc, argv, &cmd, HELP);
}

KMT_COMMAND("fleet compose", "cheapest fleet of catalogue models that covers the trips", run, HELP)
