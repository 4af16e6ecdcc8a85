/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet compose: the cheapest fleet of catalogue models for the trips. */
#define _XOPEN_SOURCE 700 /* readlink */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet_cli.h"
#include "kommute/csv.h"
#include "kommute/limits.h"

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
    "Options:\n" FLEET_COMMON_HELP FLEET_FACTORS_HELP
    "  --catalogue FILE   models (CSV; default data/fleet/catalogue.csv)\n"
    "  --pool             one fleet for all selected trips instead of one per site\n"
    "  --pool-distance M  one fleet per group of sites closer than M metres (default 0)\n"
    FLEET_DEMAND_HELP
    "  --co2-weight W     0-10: CO2 valued at W/5 x the CO2 price (default 5)\n"
    "  --co2-price X      price of a tonne of CO2e (default: the factors file's)\n"
    "  --allow-uncovered  trips may stay uncovered, paid at the mileage allowance\n"
    "  --allowance X      price of an uncovered km (default: the factors file's)\n"
    "  --bike-km KM       car trips up to this long may use an e-bike model (default 5; 0 = never)\n"
    "  --best N           fleets to list (default 3)\n"
    "  --max-evaluations N  replays at most (default 20000)\n";

static int find_catalogue(const char *given, char *out, size_t n)
{
    if (given && *given) return snprintf(out, n, "%s", given), 0;
    const char *env = getenv("KOMMUTE_CATALOGUE");
    if (env && *env) return snprintf(out, n, "%s", env), 0;
    char exe[2048];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        const char *rel[] = {"/../data/fleet/catalogue.csv", "/../share/kommute/fleet/catalogue.csv"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(out, n, "%s%s", exe, rel[i]);
            if (access(out, R_OK) == 0) return 0;
        }
    }
    snprintf(out, n, "data/fleet/catalogue.csv");
    return 0;
}

enum { C_MODEL, C_KIND, C_FUEL, C_RANGE, C_WH, C_KPL, C_FIXED, C_CPK, C_MAX, C_N };
static const char *const cat_cols[C_N] = {"model", "kind", "fuel", "range_km", "wh_per_km",
                                          "km_per_litre", "fixed_cost_per_year", "cost_per_km",
                                          "max_count"};

/* Reads the catalogue; returns 0 or an error code with e set. */
typedef KMT_VEC(kmt_fleet_model) model_vec;

static int load_catalogue(const char *path, model_vec *out, kmt_error *e)
{
    kmt_csv *c;
    int rc = kmt_csv_open(&c, path, NULL, e);
    if (rc) return rc;
    int col[C_N];
    for (int i = 0; i < C_N; i++) col[i] = kmt_csv_find(c, cat_cols[i]);
    for (int i = 0; i < C_N; i++)
        if (col[i] < 0 && i != C_MAX) {
            rc = kmt_error_at(e, KMT_EINVAL, path, 1, 0, cat_cols[i], "the catalogue lacks column '%s'",
                              cat_cols[i]);
            kmt_csv_close(c);
            return rc;
        }
    while ((rc = kmt_csv_next(c, e)) == 1) {
        kmt_fleet_model m;
        memset(&m, 0, sizeof m);
        snprintf(m.name, sizeof m.name, "%s", kmt_csv_field(c, col[C_MODEL]));
        kmt_vehicle_kind kind;
        kmt_fuel fuel;
        if (kmt_vehicle_kind_parse(kmt_csv_field(c, col[C_KIND]), &kind) || kind == KMT_KIND_UNKNOWN) {
            rc = kmt_csv_error(c, col[C_KIND], e, "expected a kind: car, van, minibus, e-bike or bike");
            break;
        }
        if (kmt_fuel_parse(kmt_csv_field(c, col[C_FUEL]), &fuel)) {
            rc = kmt_csv_error(c, col[C_FUEL], e, "expected a fuel: petrol, diesel, electric, ...");
            break;
        }
        double range = 0, wh = 0, kpl = 0, fixed = 0, cpk = 0, mx = 0;
        long mxl = 0;
        if (kmt_csv_number_in(c, col[C_RANGE], 0, KMT_LIM_RANGE_KM_MAX, &range, e) < 0 ||
            kmt_csv_number_in(c, col[C_WH], 0, KMT_LIM_WH_PER_KM_MAX, &wh, e) < 0 ||
            kmt_csv_number_in(c, col[C_KPL], 0, KMT_LIM_KM_PER_LITRE_MAX, &kpl, e) < 0 ||
            kmt_csv_number_in(c, col[C_FIXED], 0, KMT_LIM_FIXED_COST_MAX, &fixed, e) < 0 ||
            kmt_csv_number_in(c, col[C_CPK], 0, KMT_LIM_COST_PER_KM_MAX, &cpk, e) < 0 ||
            kmt_csv_int_in(c, col[C_MAX], 0, KMT_LIM_MODEL_COUNT_MAX, &mxl, e) < 0) {
            rc = KMT_EINVAL;
            break;
        }
        mx = (double)mxl;
        if (fuel == KMT_FUEL_ELECTRIC && (range <= 0 || wh <= 0)) {
            rc = kmt_csv_error(c, col[C_RANGE], e, "an electric model needs range_km and wh_per_km");
            break;
        }
        m.kind = (uint8_t)kind, m.fuel = (uint8_t)fuel;
        m.range_m = fuel == KMT_FUEL_ELECTRIC ? (int32_t)lround(range * 1000) : 0;
        m.wh_per_km = wh, m.km_per_litre = kpl, m.fixed_per_year = fixed, m.cost_per_km = cpk;
        m.max_count = (int32_t)mx;
        KMT_VEC_PUSH(*out, m);
    }
    kmt_csv_close(c);
    if (rc < 0) return rc;
    if (out->n == 0) return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "the catalogue has no models");
    if (out->n > 64) return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "at most 64 models, got %zu", out->n);
    return 0;
}

typedef struct {
    char name[160]; /* the site, or the group's sites joined by '+' */
    kmt_fleet_compose r;
    int rc;
    char err[800];
} job;

static void fleet_json(kmt_json *j, const kmt_fleet_fleet *f, const kmt_fleet_model *m, size_t M)
{
    kmt_json_object_begin(j);
    kmt_json_key(j, "models");
    kmt_json_object_begin(j);
    for (size_t k = 0; k < M; k++)
        if (f->count[k]) {
            kmt_json_key(j, m[k].name);
            kmt_json_int(j, f->count[k]);
        }
    kmt_json_object_end(j);
    kmt_json_key(j, "vehicles");
    kmt_json_int(j, f->vehicles);
    kmt_json_key(j, "cost_per_year");
    kmt_json_double(j, f->cost_year, 0);
    kmt_json_key(j, "co2_kg_per_year");
    kmt_json_double(j, f->co2_kg_year, 0);
    kmt_json_key(j, "kwh_per_year");
    kmt_json_double(j, f->kwh_year, 0);
    kmt_json_key(j, "objective");
    kmt_json_double(j, f->objective, 0);
    kmt_json_key(j, "uncovered_trips");
    kmt_json_int(j, f->uncovered_trips);
    kmt_json_key(j, "uncovered_km");
    kmt_json_double(j, f->uncovered_km, 1);
    kmt_json_key(j, "verified");
    kmt_json_bool(j, f->verified);
    kmt_json_object_end(j);
}

static void fleet_text(const kmt_fleet_fleet *f, const kmt_fleet_model *m, size_t M)
{
    int first = 1;
    for (size_t k = 0; k < M; k++)
        if (f->count[k]) printf("%s%d x %s", first ? "" : " + ", f->count[k], m[k].name), first = 0;
    if (first) printf("no vehicles");
    printf("\n      cost %.0f/yr, %.1f t CO2e, %.0f kWh, objective %.0f", f->cost_year,
           f->co2_kg_year / 1000, f->kwh_year, f->objective);
    if (f->uncovered_trips) printf(", %lld trips uncovered (%.0f km)", (long long)f->uncovered_trips, f->uncovered_km);
    printf("%s\n", f->verified ? ", replay verified" : ", NOT verified");
}

static int run(int argc, char **argv)
{
    fleet_common c = {0};
    const char *facf = NULL, *ctry = NULL;
    fleet_demand dm = {0};
    const char *cat = NULL, *pool = NULL, *pdist = NULL, *w = NULL, *cp = NULL,
               *unc = NULL, *allow = NULL, *bk = NULL, *best = NULL, *maxe = NULL;
    kmt_opt opts[] = {FLEET_COMMON_OPTS(c),
                      {"catalogue", 0, 1, &cat},
                      {"pool", 0, 0, &pool},
                      {"pool-distance", 0, 1, &pdist},
                      FLEET_DEMAND_OPTS(dm),
                      {"co2-weight", 0, 1, &w},
                      {"co2-price", 0, 1, &cp},
                      {"allow-uncovered", 0, 0, &unc},
                      {"allowance", 0, 1, &allow},
                      {"bike-km", 0, 1, &bk},
                      {"best", 0, 1, &best},
                      {"max-evaluations", 0, 1, &maxe},
                      {"factors", 0, 1, &facf},
                      {"country", 0, 1, &ctry},
                      {NULL, 0, 0, NULL}};
    int rc = fleet_parse(argc, argv, opts, HELP);
    if (rc) return rc;
    const char *cmd = argv[0];
    kmt_fleet_compose_opts o;
    kmt_fleet_compose_opts_default(&o);
    fleet_factors_info fi;
    if ((rc = fleet_factors(facf, ctry, c.db, &o.factors, &fi))) return rc;
    o.best = 3;
    o.bike_max_km = 5;
    long n;
    if ((o.changeover_s = fleet_changeover(cmd, dm.changeover)) < 0) return KMT_EXIT_USAGE;
    o.any_kind = dm.any_kind != NULL;
    o.allow_uncovered = unc != NULL;
    if (w && kmt_cli_double(cmd, "co2-weight", w, 0, 10, &o.co2_weight)) return KMT_EXIT_USAGE;
    if (cp && kmt_cli_double(cmd, "co2-price", cp, 0, 1e6, &o.factors.co2_price_per_tonne)) return KMT_EXIT_USAGE;
    if (allow && kmt_cli_double(cmd, "allowance", allow, 0, 1e4, &o.factors.allowance_per_km)) return KMT_EXIT_USAGE;
    if (bk && kmt_cli_double(cmd, "bike-km", bk, 0, 100, &o.bike_max_km)) return KMT_EXIT_USAGE;
    if (best) {
        if (kmt_cli_int(cmd, "best", best, 1, 50, &n)) return KMT_EXIT_USAGE;
        o.best = (int)n;
    }
    if (maxe) {
        if (kmt_cli_int(cmd, "max-evaluations", maxe, 1, 100000000, &n)) return KMT_EXIT_USAGE;
        o.max_evaluations = n;
    }
    double pool_m = 0;
    if (pdist && kmt_cli_double(cmd, "pool-distance", pdist, 0, 1e6, &pool_m)) return KMT_EXIT_USAGE;
    char path[2600];
    find_catalogue(cat, path, sizeof path);
    model_vec models = {0};
    kmt_error e;
    kmt_error_init(&e);
    if ((rc = load_catalogue(path, &models, &e))) {
        KMT_VEC_FREE(models);
        return kmt_cli_error(&e);
    }
    fleet_data fd;
    if ((rc = fleet_load(cmd, &c, &fd))) {
        KMT_VEC_FREE(models);
        return rc;
    }
    int64_t days = kmt_fleet_days(&fd.in);
    size_t S = fd.in.nsites;
    KMT_VEC(job) jobs = {0};
    kmt_fleet_trip *sub = kmt_malloc((fd.in.ntrips ? fd.in.ntrips : 1) * sizeof *sub);
    double t0 = kmt_now_monotonic();
    int32_t *gid = kmt_malloc((S + 1) * sizeof *gid); /* union-find, then group of each site */
    for (size_t k = 0; k < S; k++) gid[k] = pool ? 0 : (int32_t)k;
    for (size_t a = 0; a < S && pool_m > 0 && !pool; a++)
        for (size_t b = a + 1; b < S; b++) {
            if (!kmt_geo_valid(fd.sites[a].pos) || !kmt_geo_valid(fd.sites[b].pos) ||
                kmt_geo_haversine_m(fd.sites[a].pos, fd.sites[b].pos) >= pool_m)
                continue;
            int32_t ra = (int32_t)a, rb = (int32_t)b;
            while (gid[ra] != ra) ra = gid[ra];
            while (gid[rb] != rb) rb = gid[rb];
            gid[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        }
    for (size_t k = 0; k < S; k++)
        while (gid[k] != gid[gid[k]]) gid[k] = gid[gid[k]];
    for (size_t g = 0; g < (pool ? 1 : S); g++) {
        size_t m = 0;
        for (size_t i = 0; i < fd.in.ntrips; i++) {
            const kmt_fleet_trip *t = &fd.trips[i];
            if (t->vehicle < 0 && !dm.include_private) continue;
            if (!pool && (t->site < 0 || gid[t->site] != (int32_t)g)) continue;
            sub[m++] = *t;
        }
        if (!m) continue;
        job jb;
        memset(&jb, 0, sizeof jb);
        if (pool) snprintf(jb.name, sizeof jb.name, "(all selected trips)");
        for (size_t k = 0; k < S && !pool; k++) {
            if (gid[k] != (int32_t)g) continue;
            size_t len = strlen(jb.name);
            if (len + 2 < sizeof jb.name)
                snprintf(jb.name + len, sizeof jb.name - len, "%s%s", len ? "+" : "", fleet_site_key(&fd, (int32_t)k));
        }
        kmt_error je;
        kmt_error_init(&je);
        jb.rc = kmt_fleet_compose_run(sub, m, days, models.v, models.n, &o, &jb.r, &je);
        if (jb.rc) snprintf(jb.err, sizeof jb.err, "%s", je.msg);
        KMT_VEC_PUSH(jobs, jb);
    }
    kmt_free(gid);
    double secs = kmt_now_monotonic() - t0;
    kmt_free(sub);
    if (fd.format == FLEET_JSON) {
        kmt_json j;
        fleet_json_begin(&j, &fd);
        fleet_factors_json(&j, &fi, &o.factors);
        kmt_json_key(&j, "catalogue");
        kmt_json_string(&j, path);
        kmt_json_key(&j, "co2_weight");
        kmt_json_double(&j, o.co2_weight, 2);
        kmt_json_key(&j, "co2_price_per_tonne");
        kmt_json_double(&j, o.factors.co2_price_per_tonne, 2);
        kmt_json_key(&j, "sites");
        kmt_json_array_begin(&j);
        for (size_t k = 0; k < jobs.n; k++) {
            const job *jb = &jobs.v[k];
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "site");
            kmt_json_string(&j, jb->name);
            if (jb->rc) {
                kmt_json_key(&j, "error");
                kmt_json_string(&j, jb->err);
                kmt_json_object_end(&j);
                continue;
            }
            kmt_json_key(&j, "trips");
            kmt_json_int(&j, jb->r.trips);
            kmt_json_key(&j, "lower_bound");
            kmt_json_double(&j, jb->r.lower_bound, 0);
            kmt_json_key(&j, "exhaustive");
            kmt_json_bool(&j, jb->r.exhaustive);
            kmt_json_key(&j, "fleets_replayed");
            kmt_json_int(&j, jb->r.evaluated);
            kmt_json_key(&j, "fleets");
            kmt_json_array_begin(&j);
            for (size_t f = 0; f < jb->r.nfleets; f++) fleet_json(&j, &jb->r.fleets[f], models.v, models.n);
            kmt_json_array_end(&j);
            kmt_json_object_end(&j);
        }
        kmt_json_array_end(&j);
        fleet_json_end(&j);
    } else if (fd.format == FLEET_CSV) {
        printf("site,rank,vehicles");
        for (size_t m = 0; m < models.n; m++) printf(","), fleet_csv_field(stdout, models.v[m].name, 2);
        printf(",cost_per_year,co2_kg_per_year,kwh_per_year,objective,uncovered_trips,verified,lower_bound\n");
        for (size_t k = 0; k < jobs.n; k++) {
            const job *jb = &jobs.v[k];
            for (size_t f = 0; !jb->rc && f < jb->r.nfleets; f++) {
                const kmt_fleet_fleet *x = &jb->r.fleets[f];
                fleet_csv_field(stdout, jb->name, 0);
                printf("%zu,%d", f + 1, x->vehicles);
                for (size_t m = 0; m < models.n; m++) printf(",%d", x->count[m]);
                printf(",%.0f,%.0f,%.0f,%.0f,%lld,%d,%.0f\n", x->cost_year, x->co2_kg_year, x->kwh_year,
                       x->objective, (long long)x->uncovered_trips, x->verified, jb->r.lower_bound);
            }
        }
    } else {
        printf("fleet compose  %zu models from %s; CO2 weight %.1f (%.0f per t)\n", models.n, path,
               o.co2_weight, o.co2_weight / 5 * o.factors.co2_price_per_tonne);
        fleet_factors_text(&fi);
        size_t shown = 0;
        double tot = 0, totlb = 0;
        for (size_t k = 0; k < jobs.n; k++) {
            const job *jb = &jobs.v[k];
            const char *name = jb->name;
            if (jb->rc) {
                printf("%s: %s\n", name, jb->err);
                continue;
            }
            if (!jb->r.nfleets) {
                printf("%s: no fleet found\n", name);
                continue;
            }
            tot += jb->r.fleets[0].objective, totlb += jb->r.lower_bound;
            if (shown++ >= 6) continue;
            printf("%s (%lld trips): best of %lld replayed, bound %.0f (gap %.1f %%)%s\n", name,
                   (long long)jb->r.trips, (long long)jb->r.evaluated, jb->r.lower_bound,
                   jb->r.lower_bound > 0 ? 100 * (jb->r.fleets[0].objective - jb->r.lower_bound) / jb->r.lower_bound : 0,
                   jb->r.exhaustive ? "" : " (search cut short)");
            for (size_t f = 0; f < jb->r.nfleets && f < (jobs.n == 1 ? 5u : 1u); f++) {
                printf("  %zu. ", f + 1);
                fleet_text(&jb->r.fleets[f], models.v, models.n);
            }
        }
        if (shown > 6) printf("... %zu more sites (--format json or csv for all)\n", shown - 6);
        printf("total objective %.0f a year, lower bound %.0f; computed in %.2f s\n", tot, totlb, secs);
    }
    for (size_t k = 0; k < jobs.n; k++) kmt_fleet_compose_free(&jobs.v[k].r);
    KMT_VEC_FREE(jobs);
    KMT_VEC_FREE(models);
    fleet_data_free(&fd);
    return KMT_EXIT_OK;
}

KMT_COMMAND("fleet compose", "cheapest fleet of catalogue models that covers the trips", run, HELP)
