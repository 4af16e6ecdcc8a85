/* SPDX-License-Identifier: MPL-2.0 */
/* fleet report as a use case: how much each vehicle, site and department is
 * used (include/kommute/app_fleet.h). */
#include <stdio.h>
#include <string.h>

#include "fleet_int.h"

#define P(name, type, lo, hi, field) KMT__APP_P(kmt_app_fleet_report_req, name, type, lo, hi, field)
static const kmt_app_param PARAMS[] = { KMT__APP_FLEET_PERIOD_PARAMS(kmt_app_fleet_report_req),
                                        P("work-hours", KMT_APP_P_STRING, 0, 0, work_hours),
                                        P("work-days", KMT_APP_P_INT, 1, 7, work_days),
                                        P("low", KMT_APP_P_DOUBLE, 0, 100, low_pct),
                                        { "by", 0, KMT_APP_P_ENUM, 0, 0, offsetof(kmt_app_fleet_report_req, by),
                                          "vehicle|site|department", 0 },
                                        KMT__APP_P_END };
#undef P

void kmt_app_fleet_report_req_default(kmt_app_fleet_report_req *q)
{
    memset(q, 0, sizeof *q);
    q->from = q->to = KMT_TIME_NONE;
    kmt_fleet_report_opts o;
    kmt_fleet_report_opts_default(&o);
    q->work_days = o.work_days;
    q->low_pct = 10;
}

/* The request's engine options into o; KMT_EUSAGE for bad working hours. */
static int opts_of(const kmt_app_ctx *c, const kmt_app_fleet_report_req *q, kmt_fleet_report_opts *o, kmt_error *e)
{
    kmt_fleet_report_opts_default(o);
    if (q->work_hours) {
        int a, b;
        char tail;
        if (sscanf(q->work_hours, "%d-%d%c", &a, &b, &tail) != 2 || a < 0 || b > 24 || a >= b)
            return kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, "work-hours", "%swork-hours expects H-H like 7-17, got '%s'",
                                c->param_prefix ? c->param_prefix : "", q->work_hours);
        o->work_start_s = a * 3600, o->work_end_s = b * 3600;
    }
    o->work_days = (int)q->work_days;
    o->low_util = q->low_pct / 100.0;
    return 0;
}

int kmt_app_fleet_report(const kmt_app_ctx *c, const kmt_app_fleet_report_req *q, kmt_app_fleet_report_result *out,
                         kmt_error *e)
{
    memset(out, 0, sizeof *out);
    int rc = opts_of(c, q, &out->opts, e);
    if (rc) return rc;
    out->by = !q->by || strcmp(q->by, "vehicle") == 0 ? KMT_APP_FLEET_BY_VEHICLE
              : strcmp(q->by, "site") == 0            ? KMT_APP_FLEET_BY_SITE
                                                      : KMT_APP_FLEET_BY_DEPARTMENT;
    if ((rc = kmt_app_fleet_load(c, q->from, q->to, q->site, &out->fd, e))) return rc;
    if ((rc = kmt_fleet_report_run(&out->fd.in, &out->opts, &out->r, e))) kmt_app_fleet_data_destroy(&out->fd);
    return rc;
}

void kmt_app_fleet_report_result_destroy(kmt_app_fleet_report_result *r)
{
    kmt_fleet_report_destroy(&r->r);
    kmt_app_fleet_data_destroy(&r->fd);
}

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

static void head_json(kmt_json *j, const kmt_app_fleet_report_result *res)
{
    const kmt_fleet_report_opts *o = &res->opts;
    const kmt_fleet_report *r = &res->r;
    kmt_json_key(j, "working_hours");
    kmt_json_object_begin(j);
    kmt_json_key(j, "start_hour");
    kmt_json_double(j, o->work_start_s / 3600.0, 2);
    kmt_json_key(j, "end_hour");
    kmt_json_double(j, o->work_end_s / 3600.0, 2);
    kmt_json_key(j, "days_per_week");
    kmt_json_int(j, o->work_days);
    kmt_json_key(j, "hours_per_vehicle");
    kmt_json_double(j, r->work_seconds_per_vehicle / 3600.0, 1);
    kmt_json_object_end(j);
    kmt_json_key(j, "total");
    kmt_json_object_begin(j);
    usage_json(j, &r->total);
    kmt_json_key(j, "private_trips");
    kmt_json_int(j, r->private_trips);
    kmt_json_key(j, "private_km");
    kmt_json_double(j, r->private_km, 1);
    kmt_json_object_end(j);
}

static void vehicles_json(kmt_json *j, const kmt_app_fleet_report_result *res)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_report *r = &res->r;
    kmt_json_key(j, "vehicles");
    kmt_json_array_begin(j);
    for (size_t v = 0; v < r->nvehicles; v++) {
        if (fd->vehicles[v].excluded) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, "vehicle");
        kmt_json_string(j, kmt_app_fleet_vehicle_key(fd, (int32_t)v));
        kmt_json_key(j, "site");
        kmt_json_string(j, kmt_app_fleet_site_key(fd, fd->vehicles[v].site));
        kmt_json_key(j, "department");
        kmt_json_string(j, kmt_app_fleet_dept_name(fd, fd->vehicles[v].dept));
        usage_json(j, &r->vehicle[v]);
        kmt_json_key(j, "low_use");
        kmt_json_bool(j, r->vehicle[v].utilisation < res->opts.low_util);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

/* "sites" (dept 0) or "departments" (dept 1): the used groups, the last one
 * (index n) being vehicles without a site or department. */
static void groups_json(kmt_json *j, const kmt_app_fleet_report_result *res, int dept)
{
    const kmt_app_fleet_data *fd = &res->fd;
    const kmt_fleet_report *r = &res->r;
    size_t n = dept ? r->ndepts : r->nsites;
    const kmt_fleet_usage *u = dept ? r->dept : r->site;
    kmt_json_key(j, dept ? "departments" : "sites");
    kmt_json_array_begin(j);
    for (size_t k = 0; k <= n; k++) {
        if (!u[k].vehicles) continue;
        kmt_json_object_begin(j);
        kmt_json_key(j, dept ? "department" : "site");
        kmt_json_string(j, k == n ? ""
                           : dept ? kmt_app_fleet_dept_name(fd, (int32_t)k)
                                  : kmt_app_fleet_site_key(fd, (int32_t)k));
        usage_json(j, &u[k]);
        kmt_json_object_end(j);
    }
    kmt_json_array_end(j);
}

void kmt_app_fleet_report_json(const kmt_app_fleet_report_result *r, kmt_json *j)
{
    kmt_json_object_begin(j);
    kmt_app_fleet_json_period(j, &r->fd);
    head_json(j, r);
    vehicles_json(j, r);
    groups_json(j, r, 0);
    groups_json(j, r, 1);
    kmt_json_object_end(j);
}

KMT__APP_FLEET_USECASE(report, "fleet report");
