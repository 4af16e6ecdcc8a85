/* SPDX-License-Identifier: MPL-2.0 */
/* The carpooling model both pool use cases share: defaults, the engine's
 * parameters and the objective's factor (include/kommute/app_pool.h). */
#include <stdio.h>
#include <string.h>

#include "kommute/limits.h"
#include "pool_int.h"

void kmt__app_pool_model_default(kmt_app_pool_model_req *m)
{
    kmt_pool_opts p;
    kmt_pool_opts_default(&p);
    memset(m, 0, sizeof *m);
    m->max_detour_min = p.max_detour_s / 60.0;
    m->max_detour_pct = p.max_detour_pct;
    m->seats = p.seats;
    m->max_group = p.max_group;
    m->exact_max = p.exact_max;
    m->threads = 1;
    m->max_snap_m = KMT_LIM_PLACE_SNAP_M_DEFAULT;
    m->road_factor = 1.3;
    m->speed_kmh = 50;
    m->co2_g_per_km = 141;
    m->cost_per_km = 3.79;
    m->objective = "km";
}

const char *kmt_app_pool_objective_name(int o)
{
    return o == KMT_POOL_OBJ_CO2 ? "co2" : o == KMT_POOL_OBJ_COST ? "cost" : "km";
}

double kmt_app_pool_saved(const kmt_app_pool_model *m, double km)
{
    return m->objective == KMT_POOL_OBJ_CO2    ? km * m->co2_g_per_km / 1000.0
           : m->objective == KMT_POOL_OBJ_COST ? km * m->cost_per_km
                                               : km;
}

void kmt__app_pool_travel_note(const kmt_app_ctx *c, const kmt_app_pool_model *m, int hint, char *buf, size_t n)
{
    if (*m->graph) {
        snprintf(buf, n, "travel times and distances from the road graph %s (car)", m->graph);
        return;
    }
    int k = snprintf(buf, n, "no road graph: distance = great-circle distance x %g, time = distance at %g km/h",
                     m->road_factor, m->speed_kmh);
    if (hint && k >= 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " (use %sgraph for road travel times)",
                 c->param_prefix ? c->param_prefix : "");
}

/* The factors file's row for the objective. */
static int file_factor(const kmt_app_ctx *c, const kmt_app_pool_model_req *m, kmt_app_pool_model *out, kmt_error *e)
{
    const char *pre = c->param_prefix ? c->param_prefix : "";
    int co2 = out->objective == KMT_POOL_OBJ_CO2;
    const char *mode = m->car_mode ? m->car_mode : "fleet_car";
    if (strcmp(mode, "fleet_car") && strcmp(mode, "private_car"))
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "car-mode",
                            "%scar-mode expects fleet_car or private_car, got '%s'", pre, mode);
    if (m->fuel && !kmt_factors_fuel_known(m->fuel))
        return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "fuel",
                            "%sfuel: unknown fuel '%s' (petrol, diesel, electric, hybrid, plug-in, biogas, hvo)", pre,
                            m->fuel);
    kmt_factors f;
    memset(&f, 0, sizeof f);
    char used[2400];
    int rc = kmt_app_load_factors(c, &f, used, sizeof used, e);
    if (rc) return rc;
    const char *file = kmt_app_path_label(c, used);
    const char *country = m->country ? m->country : f.default_country;
    const kmt_factor *row = kmt_factors_lookup(&f, country, mode, m->fuel ? m->fuel : "");
    const kmt_factor_country *fc = kmt_factors_country(&f, country);
    if (!row || !fc) {
        rc = kmt_error_set(e, KMT_EINVAL, "%s: no %s factor for country '%s'", file, mode, country);
    } else if (co2 && !(row->co2e_g_per_km >= 0)) {
        rc = kmt_error_set(e, KMT_EINVAL, "%s: the %s %s %s row has no CO2e per km", file, country, mode, row->fuel);
    } else {
        if (co2)
            out->co2_g_per_km = row->co2e_g_per_km;
        else
            out->cost_per_km = row->cost_per_km;
        snprintf(out->currency, sizeof out->currency, "%s", fc->currency);
        snprintf(out->factor_note, sizeof out->factor_note, "%g %s per %s-km for %s %s%s%s (%s, %s)%s",
                 co2 ? row->co2e_g_per_km : row->cost_per_km, co2 ? "g CO2e" : fc->currency,
                 row->per_passenger ? "passenger" : "vehicle", country, mode, *row->fuel ? " " : "", row->fuel, file,
                 co2 ? row->source : row->cost_source,
                 co2 && row->per_passenger ? "; a per-passenger-km factor used per car-km: an underestimate" : "");
    }
    kmt_factors_destroy(&f);
    return rc;
}

int kmt__app_pool_model(const kmt_app_ctx *c, const kmt_app_pool_model_req *m, int co2_given, int cost_given,
                        kmt_app_pool_model *out, kmt_error *e)
{
    memset(out, 0, sizeof *out);
    kmt_pool_opts_default(&out->p);
    out->p.max_detour_s = (int)(m->max_detour_min * 60 + 0.5);
    out->p.max_detour_pct = m->max_detour_pct;
    out->p.seats = (int)m->seats;
    out->p.max_group = (int)m->max_group;
    out->p.exact_max = (int)m->exact_max;
    out->road_factor = m->road_factor;
    out->speed_kmh = m->speed_kmh;
    out->max_snap_m = m->max_snap_m;
    out->co2_g_per_km = m->co2_g_per_km;
    out->cost_per_km = m->cost_per_km;
    out->threads = c->threads > 0 ? c->threads : 1;
    if (c->graph) snprintf(out->graph, sizeof out->graph, "%s", kmt_app_path_label(c, c->graph_label));
    const char *o = m->objective ? m->objective : "km";
    out->objective = !strcmp(o, "co2") ? KMT_POOL_OBJ_CO2 : !strcmp(o, "cost") ? KMT_POOL_OBJ_COST : KMT_POOL_OBJ_KM;
    if (out->objective == KMT_POOL_OBJ_KM) return 0;
    int co2 = out->objective == KMT_POOL_OBJ_CO2;
    if (co2 ? co2_given : cost_given) {
        const char *pre = c->param_prefix ? c->param_prefix : "";
        snprintf(out->factor_note, sizeof out->factor_note, "%g %s per vehicle-km (given with %s%s)",
                 co2 ? out->co2_g_per_km : out->cost_per_km, co2 ? "g CO2e" : "money", pre,
                 co2 ? "co2-g-per-km" : "cost-per-km");
        return 0;
    }
    return file_factor(c, m, out, e);
}
