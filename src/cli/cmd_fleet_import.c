/* SPDX-License-Identifier: MPL-2.0 */
/* kommute fleet import vehicles|sites|trips|gps FILE.csv */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "import.h"
#include "kommute/limits.h"

static const char HELP[] = "Usage: kommute fleet import vehicles|sites|trips|gps FILE.csv [options]\n"
                           "\n"
                           "Import a CSV export into the store, all in one transaction: a file with a bad\n"
                           "row imports nothing (the error names file, line, column and value) unless\n"
                           "--skip-bad-rows is given. Re-importing a file adds no duplicates. Import sites\n"
                           "first, then vehicles, then trips. Columns: docs/data.md.\n"
                           "  sites     site,name,lon,lat\n"
                           "  vehicles  vehicle_id,registration,make,model,kind,fuel,range_km,seats,site,\n"
                           "            department,fixed_cost_per_year,cost_per_km,wh_per_km,km_per_litre,\n"
                           "            in_service_from,in_service_to\n"
                           "  trips     trip_id,vehicle_id,site,department,driver,start_time,end_time,\n"
                           "            start_lon,start_lat,end_lon,end_lat,km,purpose[,passengers]\n"
                           "            (no vehicle = private car; empty site = the site nearest the start)\n"
                           "  gps       vehicle_id,time,lon,lat[,speed,ignition]: telematics points, turned\n"
                           "            into trips by stop detection\n"
                           "\n"
                           "Options:\n"
                           "  --db FILE             database (default kommute.db)\n"
                           "  --mapping MAP         column mapping: a file (table,ours,theirs) or a built-in\n"
                           "                        name: os2fleetoptimiser, nordic\n"
                           "  --municipality NAME   owner of the rows (default " KMT_DEFAULT_MUNICIPALITY ")\n"
                           "  --skip-bad-rows       import the good rows, list the bad ones on stderr\n"
                           "  gps only:\n"
                           "  --stop-minutes N      a stay this long ends a trip (default 5)\n"
                           "  --stop-radius M       ... within M metres (default 150)\n"
                           "  --max-gap-minutes N   no data this long = parked (default 15)\n"
                           "  --min-trip-m M        shorter movements are GPS jitter (default 300)\n";

static int import_trips_fn(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                           kmt_app_import_report *st, kmt_error *e)
{
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_store_query q = kmt_store_query_all();
    q.municipality = muni;
    q.from = q.to = 0; /* sites and vehicles only */
    int rc = kmt_store_load_fleet(s, &q, &d, e);
    if (!rc) rc = kmt_app_import_trips(c, m, s, muni, &d, o, st, e);
    kmt_dataset_destroy(&d);
    return rc;
}

static kmt_stop_opts gps_params;

static int import_gps_fn(kmt_csv *c, const kmt_mapping *m, kmt_store *s, int64_t muni, const kmt_app_import_opts *o,
                         kmt_app_import_report *st, kmt_error *e)
{
    int ix[KMT_GPS_NCOLS], rc;
    kmt_csv_bind(c, m, "gps", kmt__gps_cols, KMT_GPS_NCOLS, ix, e);
    for (int i = 0; i < 4; i++)
        if ((rc = kmt_csv_require(c, ix[i], kmt__gps_cols[i], e))) return rc;
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_store_query q = kmt_store_query_all();
    q.municipality = muni;
    q.from = q.to = 0;
    if ((rc = kmt_store_load_fleet(s, &q, &d, e))) {
        kmt_dataset_destroy(&d);
        return rc;
    }
    strmap vehicles = { 0 };
    for (size_t i = 0; i < d.vehicles.n; i++) {
        if (*d.vehicles.v[i].registration) kmt__strmap_put(&vehicles, d.vehicles.v[i].registration, (int32_t)i);
    }
    for (size_t i = 0; i < d.vehicles.n; i++) kmt__strmap_put(&vehicles, d.vehicles.v[i].key, (int32_t)i);
    KMT_VEC(kmt_gps_point) pts = { 0 };
    while ((rc = kmt_csv_next(c, e)) == 1) {
        kmt_gps_point p;
        p.vehicle = kmt__strmap_get(&vehicles, kmt_csv_field(c, ix[KMT_GPS_VEH]));
        if (p.vehicle < 0)
            rc = kmt_csv_error(c, ix[KMT_GPS_VEH], e, "unknown vehicle: import the vehicles first");
        else
            rc = kmt__gps_parse_row(c, ix, &p, e);
        if (rc) {
            st->rows++;
            if ((rc = kmt_app_import_bad_row(st, o, e))) break;
            continue;
        }
        KMT_VEC_PUSH(pts, p);
    }
    if (!rc) {
        kmt__gps_sort(pts.v, pts.n);
        kmt_trip *trips;
        long n = kmt_gps_detect_trips(pts.v, pts.n, &gps_params, &trips);
        for (long i = 0; i < n && !rc; i++) {
            kmt_trip *t = &trips[i];
            const kmt_vehicle *veh = &d.vehicles.v[t->vehicle];
            t->municipality = muni;
            int32_t site = kmt_dataset_nearest_site(&d, t->from, NULL);
            if (site < 0) site = veh->site;
            int64_t dept = veh->department >= 0 ? d.orgs.v[veh->department].id : 0;
            st->rows++;
            int put = kmt_store_put_trip(s, t, veh->id, site >= 0 ? d.sites.v[site].id : 0, dept, e);
            if (put < 0)
                rc = put;
            else
                kmt_app_import_count(st, put);
        }
        kmt_free(trips);
        KMT_LOG(KMT_LOG_INFO, "%zu GPS points -> %ld trips", pts.n, n);
    }
    KMT_VEC_FREE(pts);
    kmt__strmap_free(&vehicles);
    kmt_dataset_destroy(&d);
    return rc;
}

static int run(int argc, char **argv)
{
    const char *db = NULL, *mapping = NULL, *muni = NULL, *skip = NULL;
    const char *stop_min = NULL, *radius = NULL, *gap = NULL, *min_trip = NULL;
    kmt_opt opts[] = { { "db", 0, 1, &db },
                       { "mapping", 0, 1, &mapping },
                       { "municipality", 0, 1, &muni },
                       { "skip-bad-rows", 0, 0, &skip },
                       { "stop-minutes", 0, 1, &stop_min },
                       { "stop-radius", 0, 1, &radius },
                       { "max-gap-minutes", 0, 1, &gap },
                       { "min-trip-m", 0, 1, &min_trip },
                       { NULL, 0, 0, NULL } };
    const char *pos[64];
    int np = 0;
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, HELP);
    if (rc) return rc;
    if (np != 2)
        return kmt_cli_usage(argv[0], "expected what to import (vehicles, sites, trips or gps) and a FILE.csv");
    import_opts o = { .app = { .municipality = muni ? muni : KMT_DEFAULT_MUNICIPALITY, .skip_bad_rows = skip != NULL },
                      .db = db,
                      .mapping = mapping };
    kmt_stop_opts_default(&gps_params);
    long v;
    if (stop_min) {
        if (kmt_cli_int(argv[0], "stop-minutes", stop_min, 1, 1440, &v)) return KMT_EXIT_USAGE;
        gps_params.min_stop_s = (int)v * 60;
    }
    if (gap) {
        if (kmt_cli_int(argv[0], "max-gap-minutes", gap, 1, 10080, &v)) return KMT_EXIT_USAGE;
        gps_params.max_gap_s = (int)v * 60;
    }
    if (radius && kmt_cli_double(argv[0], "stop-radius", radius, 1, 10000, &gps_params.stop_radius_m))
        return KMT_EXIT_USAGE;
    if (min_trip && kmt_cli_double(argv[0], "min-trip-m", min_trip, 0, 1e6, &gps_params.min_trip_m))
        return KMT_EXIT_USAGE;
    if (strcmp(pos[0], "vehicles") == 0) return kmt__import_file("vehicles", pos[1], &o, kmt_app_import_vehicles);
    if (strcmp(pos[0], "sites") == 0) return kmt__import_file("sites", pos[1], &o, kmt_app_import_sites);
    if (strcmp(pos[0], "trips") == 0) return kmt__import_file("trips", pos[1], &o, import_trips_fn);
    if (strcmp(pos[0], "gps") == 0) return kmt__import_file("GPS trips", pos[1], &o, import_gps_fn);
    return kmt_cli_usage(argv[0], "cannot import '%s': expected vehicles, sites, trips or gps", pos[0]);
}

KMT_COMMAND("fleet import", "import vehicles, sites, trips or GPS points from CSV", run, HELP)
