/* SPDX-License-Identifier: MPL-2.0 */
/* The store on both backends, the import commands (through the binary) and the demo municipality. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kommute/csv.h"
#include "kommute/json.h"
#include "kommute/model.h"
#include "kommute/store.h"
#include "test.h"

/* ---- store ------------------------------------------------------------------ */

static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", kmt_test_tmpdir(), name);
    return buf[k];
}

static void rm_db(const char *p)
{
    char b[600];
    remove(p);
    snprintf(b, sizeof b, "%s-wal", p);
    remove(b);
    snprintf(b, sizeof b, "%s-shm", p);
    remove(b);
}

KMT_STORE_TEST(store_roundtrip_and_duplicates)
{
    const char *db = kmt_test_db(backend, "store1");
    kmt_store *s;
    kmt_error e;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), KMT_ENOTFOUND);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    ASSERT_EQ_INT(kmt_store_schema_version(s), KMT_STORE_SCHEMA_VERSION);
    int64_t muni, dept, site_id, veh_id;
    ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
    ASSERT_EQ_INT(kmt_store_municipality(s, "Testby", &muni, &e), 0);
    ASSERT_EQ_INT(kmt_store_department(s, muni, "Hjemmepleje", &dept, &e), 0);
    kmt_site site;
    kmt_site_init(&site);
    site.municipality = muni;
    site.key = "S1";
    site.name = "Rådhus";
    site.pos = (kmt_coord){ 10.75, 59.9 };
    ASSERT_EQ_INT(kmt_store_put_site(s, &site, &site_id, &e), KMT_PUT_INSERTED);
    ASSERT_EQ_INT(kmt_store_put_site(s, &site, NULL, &e), KMT_PUT_DUPLICATE);
    kmt_vehicle v;
    kmt_vehicle_init(&v);
    v.municipality = muni;
    v.key = "V1";
    v.registration = "AB12345";
    v.kind = KMT_KIND_VAN;
    v.fuel = KMT_FUEL_ELECTRIC;
    v.range_km = 250;
    ASSERT_EQ_INT(kmt_store_put_vehicle(s, &v, site_id, dept, &veh_id, &e), KMT_PUT_INSERTED);
    ASSERT_EQ_INT(kmt_store_put_vehicle(s, &v, site_id, dept, NULL, &e), KMT_PUT_DUPLICATE);
    v.range_km = 260;
    ASSERT_EQ_INT(kmt_store_put_vehicle(s, &v, site_id, dept, NULL, &e), KMT_PUT_UPDATED);
    int64_t id;
    ASSERT_EQ_INT(kmt_store_vehicle_id(s, muni, "AB12345", &id), 0);
    ASSERT_EQ_INT(id, veh_id);
    for (int i = 0; i < 10; i++) {
        kmt_trip t;
        kmt_trip_init(&t);
        t.municipality = muni;
        t.start = kmt_time_make(2024, 1, 1 + i, 8, 0, 0);
        t.end = t.start + 3600;
        t.km = 10 + i;
        ASSERT_EQ_INT(kmt_store_put_trip(s, &t, i % 2 ? veh_id : 0, site_id, dept, &e), KMT_PUT_INSERTED);
        ASSERT_EQ_INT(kmt_store_put_trip(s, &t, i % 2 ? veh_id : 0, site_id, dept, &e), KMT_PUT_DUPLICATE);
    }
    ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
    kmt_store_close(s);

    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_store_query q = kmt_store_query_all();
    q.from = kmt_time_make(2024, 1, 3, 0, 0, 0);
    q.to = kmt_time_make(2024, 1, 8, 0, 0, 0);
    ASSERT_EQ_INT(kmt_store_load_fleet(s, &q, &d, &e), 0);
    ASSERT_EQ_INT(d.trips.n, 5);
    ASSERT_EQ_INT(d.sites.n, 1);
    ASSERT_EQ_INT(d.vehicles.n, 1);
    ASSERT_EQ_INT(d.vehicles.v[0].kind, KMT_KIND_VAN);
    ASSERT_NEAR(d.vehicles.v[0].range_km, 260, 0);
    ASSERT_EQ_INT(d.vehicles.v[0].site, 0);
    ASSERT_STR_EQ(d.orgs.v[d.vehicles.v[0].department].name, "Hjemmepleje");
    ASSERT_STR_EQ(d.orgs.v[d.orgs.v[d.vehicles.v[0].department].parent].name, "Testby");
    ASSERT_EQ_INT(d.trips.v[0].start, q.from + 8 * 3600);
    ASSERT_EQ_INT(d.trips.v[0].vehicle, -1); /* 3 Jan: i = 2, a private car */
    ASSERT_EQ_INT(d.trips.v[1].vehicle, 0);
    ASSERT(isnan(d.trips.v[0].from.lon));
    ASSERT_STR_EQ(d.sites.v[0].name, "Rådhus");
    kmt_dataset_destroy(&d);
    kmt_dataset_init(&d);
    q = kmt_store_query_all();
    q.site = "nope";
    ASSERT_EQ_INT(kmt_store_load_fleet(s, &q, &d, &e), 0);
    ASSERT_EQ_INT(d.trips.n, 0);
    kmt_dataset_destroy(&d);
    ASSERT_EQ_INT(kmt_store_count(s, "trips"), 10);
    kmt_store_close(s);
}

KMT_STORE_TEST(store_rejects_newer_schema)
{
    const char *db = kmt_test_db(backend, "store_new");
    kmt_store *s;
    kmt_error e;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    ASSERT_STR_EQ(kmt_store_backend(s), backend);
    kmt_store_close(s);
    ASSERT_EQ_INT(kmt_test_sql(db, "INSERT INTO schema_version(version) VALUES (99)"), 0);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), KMT_EVERSION);
    ASSERT_CONTAINS(e.msg, "newer");
}

/* ---- the import commands (through the binary) -------------------------------- */

static const char *bin(void)
{
    const char *b = getenv("KMT_BIN");
    if (!b) kmt_test_skip("KMT_BIN not set (run via make check)");
    return b;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ASSERT(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* Run a command, return its exit code and (the first 4 KB of) its stderr+stdout. */
static int run_cmd(const char *cmd, char *out, size_t n)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    size_t got = p ? fread(out, 1, n - 1, p) : 0;
    out[got] = '\0';
    int st = p ? pclose(p) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run `kommute CMD FILE --db DB EXTRA`; its exit code, output in out (4 KB). */
static int kimport(const char *cmdname, const char *file, const char *db, const char *extra, char *out)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s %s --db '%s' %s", bin(), cmdname, file, db, extra);
    return run_cmd(cmd, out, 4096);
}

static int64_t count(const char *db, const char *table)
{
    kmt_store *s;
    kmt_error e;
    if (kmt_store_open(&s, db, KMT_STORE_READONLY, &e)) return -1;
    int64_t n = kmt_store_count(s, table);
    kmt_store_close(s);
    return n;
}

KMT_STORE_TEST(import_idempotent_and_bad_file_changes_nothing)
{
    bin();
    const char *db = kmt_test_db(backend, "imp"), *dir = kmt_test_tmpdir();
    char p_sites[512], p_veh[512], p_trips[512], p_bad[512], out[4096];
    snprintf(p_sites, sizeof p_sites, "%s/sites.csv", dir);
    snprintf(p_veh, sizeof p_veh, "%s/veh.csv", dir);
    snprintf(p_trips, sizeof p_trips, "%s/trips.csv", dir);
    snprintf(p_bad, sizeof p_bad, "%s/bad.csv", dir);
    write_file(p_sites, "site;name;lon;lat\nS1;R\xe5"
                        "dhus;10,75;59,91\nS2;Depot;10,80;59,92\n");
    write_file(p_veh, "Nummerplade,M\xc3\xa6rke,kind,fuel,site,department,range_km\n"
                      "AB12345,VW,car,el,S1,Hjemmepleje,300\nCD1,Ford,van,diesel,S2,Teknik,\n");
    write_file(p_trips, "Nummerplade,Start,Slut,Kilometer,start_lon,start_lat,driver\n"
                        "AB12345,05-03-2024 08:00,05-03-2024 09:30,\"12,5\",10.801,59.921,d1\n"
                        ",2024-03-05T10:00,2024-03-05T11:00,7,,,d2\n"
                        "CD1,2024-03-06T10:00,2024-03-06T11:00,7,,,d3\n");
    ASSERT_EQ_INT(kimport("fleet import sites", p_sites, db, "", out), 0);
    ASSERT_EQ_INT(kimport("fleet import vehicles", p_veh, db, "", out), 0);
    ASSERT_EQ_INT(kimport("fleet import trips", p_trips, db, "", out), 0);
    ASSERT_CONTAINS(out, "3 new");
    ASSERT_EQ_INT(kimport("fleet import trips", p_trips, db, "", out), 0);
    ASSERT_CONTAINS(out, "0 new, 0 updated, 3 duplicates");
    ASSERT_EQ_INT(count(db, "trips"), 3);

    /* site inference: the first trip starts next to S2, the third has no
     * coordinates and takes its vehicle's home site S2 */
    kmt_store *s;
    kmt_error e;
    kmt_dataset d;
    kmt_dataset_init(&d);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_load_fleet(s, NULL, &d, &e), 0);
    ASSERT_STR_EQ(d.sites.v[d.trips.v[0].site].key, "S2");
    ASSERT_EQ_INT(d.trips.v[1].vehicle, -1);
    ASSERT_EQ_INT(d.trips.v[1].site, -1);
    ASSERT_STR_EQ(d.sites.v[d.trips.v[2].site].key, "S2");
    ASSERT_STR_EQ(d.sites.v[0].name, "Rådhus"); /* Latin-1 file */
    ASSERT_STR_EQ(d.vehicles.v[0].make, "VW");
    ASSERT_EQ_INT(d.vehicles.v[0].fuel, KMT_FUEL_ELECTRIC);
    kmt_dataset_destroy(&d);
    kmt_store_close(s);

    /* a bad row in the middle: nothing of the file is imported */
    write_file(p_bad, "vehicle_id,start_time,end_time,km\n"
                      ",2024-04-01T08:00,2024-04-01T09:00,5\n"
                      ",2024-04-02T08:00,2024-04-02T07:00,5\n"
                      ",2024-04-31T08:00,2024-04-31T09:00,5\n"
                      ",2024-04-03T08:00,2024-04-03T09:00,-5\n"
                      "ZZ9,2024-04-04T08:00,2024-04-04T09:00,5\n"
                      ",2024-04-05T08:00,2024-04-05T09:00,5\n");
    ASSERT_EQ_INT(kimport("fleet import trips", p_bad, db, "", out), 1);
    ASSERT_CONTAINS(out, "bad.csv:3:3: field 'end_time'");
    ASSERT_CONTAINS(out, "nothing was imported");
    ASSERT_EQ_INT(count(db, "trips"), 3);
    ASSERT_EQ_INT(count(db, "imports"), 4); /* the failed import left no trace */
    ASSERT_EQ_INT(kimport("fleet import trips", p_bad, db, "--skip-bad-rows", out), 0);
    ASSERT_CONTAINS(out, "2 new, 0 updated, 0 duplicates, 4 skipped");
    ASSERT_CONTAINS(out, "bad.csv:4:2: field 'start_time'");
    ASSERT_CONTAINS(out, "'2024-04-31T08:00'");
    ASSERT_CONTAINS(out, "bad.csv:5:4: field 'km'");
    ASSERT_CONTAINS(out, "bad.csv:6:1: field 'vehicle_id'");
    ASSERT_EQ_INT(count(db, "trips"), 5);

    /* a missing required column names it */
    write_file(p_bad, "vehicle_id,start_time,end_time\nx,2024-04-01,2024-04-01\n");
    ASSERT_EQ_INT(kimport("fleet import trips", p_bad, db, "", out), 1);
    ASSERT_CONTAINS(out, "missing column 'km'");
    /* usage errors exit 2 */
    ASSERT_EQ_INT(kimport("fleet import cars", p_bad, db, "", out), 2);
}

/* A fresh database `name`.db and the path of `name`.csv in the test directory. */
static const char *fresh_db(const char *backend, const char *name, char *csv, size_t n)
{
    bin();
    const char *db = kmt_test_db(backend, name);
    snprintf(csv, n, "%s/%s.csv", kmt_test_tmpdir(), name);
    return db;
}

/* All travel records of the database at `db` into d. */
static void load_all_travel(const char *db, kmt_dataset *d)
{
    kmt_store *s;
    kmt_error e;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_load_travel(s, NULL, d, &e), 0);
    kmt_store_close(s);
}

KMT_STORE_TEST(import_travel_records)
{
    char p[512], out[4096];
    const char *db = fresh_db(backend, "travel", p, sizeof p);
    write_file(p, "record_id;person;organisation;department;date;start_time;end_time;from_place;to_place;"
                  "km;mode;fuel;purpose;meeting_id;cost;currency;travel_minutes\n"
                  "r1;p1;Falun;Omsorg;2011-03-01;08:30;10:00;Falun;Borlänge;25,5;tåg;;meeting;M1;120,50;SEK;45\n"
                  "r2;p2;Falun;Omsorg;01.03.2011;;;Falun;Stockholm;230;private_car;diesel;meeting;M1;;SEK;\n"
                  ";p3;Region;;2011-03-02;2011-03-02T07:00;;A;B;400;flight;;training;;2000;SEK;60\n");
    ASSERT_EQ_INT(kimport("travel import", p, db, "", out), 0);
    ASSERT_CONTAINS(out, "3 new");
    ASSERT_EQ_INT(kimport("travel import", p, db, "", out), 0);
    ASSERT_CONTAINS(out, "3 duplicates");
    kmt_store *s;
    kmt_error e;
    kmt_dataset d;
    kmt_dataset_init(&d);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    kmt_store_query q = kmt_store_query_all();
    q.organisation = "Falun";
    ASSERT_EQ_INT(kmt_store_load_travel(s, &q, &d, &e), 0);
    ASSERT_EQ_INT(d.travel.n, 2);
    const kmt_travel *r = &d.travel.v[0];
    ASSERT_EQ_INT(r->date, kmt_time_make(2011, 3, 1, 0, 0, 0));
    ASSERT_STR_EQ(r->meeting_id, "M1");
    ASSERT_STR_EQ(d.orgs.v[r->organisation].name, "Falun");
    ASSERT_STR_EQ(d.orgs.v[r->department].name, "Omsorg");
    kmt_store_close(s);
    const kmt_travel *t1 = d.travel.v[0].mode == KMT_MODE_TRAIN ? &d.travel.v[0] : &d.travel.v[1];
    ASSERT_EQ_INT(t1->start, kmt_time_make(2011, 3, 1, 8, 30, 0));
    ASSERT_EQ_INT(t1->end, kmt_time_make(2011, 3, 1, 10, 0, 0));
    ASSERT_NEAR(t1->km, 25.5, 0);
    ASSERT_NEAR(t1->cost, 120.5, 1e-9);
    ASSERT_EQ_INT(t1->travel_minutes, 45);
    ASSERT_STR_EQ(t1->currency, "SEK");
    kmt_dataset_destroy(&d);

    write_file(p, "person,date,km,mode\np1,2011-03-01,5,hovercraft\np1,1850-01-01,5,bus\np1,2011-03-01,-1,bus\n");
    ASSERT_EQ_INT(kimport("travel import", p, db, "--skip-bad-rows", out), 0);
    ASSERT_CONTAINS(out, "unknown mode");
    ASSERT_CONTAINS(out, "'hovercraft'");
    ASSERT_CONTAINS(out, "date outside");
    ASSERT_CONTAINS(out, "km must be");
    ASSERT_CONTAINS(out, "3 skipped");
}

KMT_STORE_TEST(import_os2fleetoptimiser_exports)
{
    bin();
    const char *db = kmt_test_db(backend, "fo"), *dir = kmt_test_tmpdir();
    char p1[512], p2[512], p3[512], out[4096];
    snprintf(p1, sizeof p1, "%s/allowed_starts.csv", dir);
    snprintf(p2, sizeof p2, "%s/cars.csv", dir);
    snprintf(p3, sizeof p3, "%s/roundtrips.csv", dir);
    write_file(p1, "id,address,latitude,longitude,addition_date\n1,vej 1,56.1629,10.2039,2023-01-01 00:00:00\n");
    write_file(p2,
               "id,imei,plate,make,model,type,fuel,wltp_fossil,wltp_el,capacity_decrease,co2_pr_km,range,"
               "omkostning_aar,location,start_leasing,end_leasing,leasing_type,km_aar,sleep,department,"
               "deleted,disabled,forvaltning\n"
               "7,IMEI-1,AB1,Renault,Zoe,3,3,,165.5,,,300,61000.0,1,2023-01-01 00:00:00,,1,20000,,Hjemmepleje,f,f,SOS\n"
               "8,IMEI-2,AB2,Toyota,Yaris,4,1,20.5,,,,,47000.0,1,,,1,,,Administration,f,f,\n");
    write_file(p3, "id,start_time,end_time,start_latitude,start_longitude,end_latitude,end_longitude,distance,"
                   "aggregation_type,driver_name,start_location_id,car_id\n"
                   "100,2023-02-01 08:00:00,2023-02-01 09:10:00,56.1629,10.2039,56.1629,10.2039,31.2,,,1,7\n"
                   "101,2023-02-01 10:00:00,2023-02-01 12:00:00,56.1629,10.2039,56.1629,10.2039,55.0,,,1,8\n");
    ASSERT_EQ_INT(kimport("fleet import sites", p1, db, "--mapping os2fleetoptimiser", out), 0);
    ASSERT_EQ_INT(kimport("fleet import vehicles", p2, db, "--mapping os2fleetoptimiser", out), 0);
    ASSERT_EQ_INT(kimport("fleet import trips", p3, db, "--mapping os2fleetoptimiser", out), 0);
    kmt_store *s;
    kmt_error e;
    kmt_dataset d;
    kmt_dataset_init(&d);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_load_fleet(s, NULL, &d, &e), 0);
    ASSERT_EQ_INT(d.vehicles.n, 2);
    ASSERT_EQ_INT(d.vehicles.v[0].fuel, KMT_FUEL_ELECTRIC);
    ASSERT_NEAR(d.vehicles.v[0].wh_per_km, 165.5, 1e-9);
    ASSERT_NEAR(d.vehicles.v[0].range_km, 300, 0);
    ASSERT_EQ_INT(d.vehicles.v[1].fuel, KMT_FUEL_PETROL);
    ASSERT_NEAR(d.vehicles.v[1].km_per_litre, 20.5, 1e-9);
    ASSERT_NEAR(d.vehicles.v[1].fixed_cost_per_year, 47000, 0);
    ASSERT_STR_EQ(d.sites.v[d.vehicles.v[1].site].name, "vej 1");
    ASSERT_NEAR(d.sites.v[0].pos.lon, 10.2039, 1e-9);
    ASSERT_EQ_INT(d.trips.n, 2);
    ASSERT_STR_EQ(d.trips.v[0].key, "100");
    ASSERT_EQ_INT(d.trips.v[0].vehicle, 0);
    ASSERT_NEAR(d.trips.v[1].km, 55, 0);
    kmt_dataset_destroy(&d);
    kmt_store_close(s);
}

/* ---- the demo municipality ---------------------------------------------------- */

static void demo_csvs(uint64_t seed, int scale, kmt_buf *b, kmt_dataset *d)
{
    kmt_dataset_init(d);
    kmt_demo_generate(seed, scale, 2024, d);
    kmt_buf_init(b);
    kmt_csv_write_sites(b, d);
    kmt_csv_write_vehicles(b, d);
    kmt_csv_write_trips(b, d);
    kmt_csv_write_travel(b, d);
}

KMT_TEST(demo_reproducible_and_totals_match_the_seeds)
{
    kmt_buf a, b;
    kmt_dataset da, db;
    demo_csvs(42, KMT_DEMO_SMALL, &a, &da);
    demo_csvs(42, KMT_DEMO_SMALL, &b, &db);
    ASSERT_EQ_INT(a.len, b.len);
    ASSERT(memcmp(a.data, b.data, a.len) == 0);
    kmt_buf_destroy(&b);
    kmt_dataset_destroy(&db);
    demo_csvs(43, KMT_DEMO_SMALL, &b, &db);
    ASSERT(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
    kmt_buf_destroy(&a);
    kmt_buf_destroy(&b);
    kmt_dataset_destroy(&db);

    /* small: 30 vehicles, km = the Syddjurs totals scaled by 30/300 */
    ASSERT_EQ_INT(da.vehicles.n, 30);
    double fleet = 0, priv = 0;
    int weekday_trips = 0, sunday_trips = 0;
    for (size_t i = 0; i < da.trips.n; i++) {
        const kmt_trip *t = &da.trips.v[i];
        *(t->vehicle >= 0 ? &fleet : &priv) += t->km;
        ASSERT(t->end >= t->start);
        ASSERT(t->site >= 0);
        ASSERT(kmt_time_civil(t->start).year == 2024);
        int wd = kmt_time_weekday(t->start);
        if (wd == 2) weekday_trips++;
        if (wd == 6) sunday_trips++;
        if (i) ASSERT(t->start >= da.trips.v[i - 1].start);
    }
    ASSERT_NEAR(fleet, KMT_DEMO_FLEET_KM * 30 / 300, 500);
    ASSERT_NEAR(priv, KMT_DEMO_PRIVATE_KM * 30 / 300, 500);
    ASSERT(sunday_trips * 2 < weekday_trips); /* a weekly pattern */
    /* no vehicle is in two places at once */
    for (size_t v = 0; v < da.vehicles.n; v++) {
        kmt_time last_end = INT64_MIN;
        for (size_t i = 0; i < da.trips.n; i++)
            if (da.trips.v[i].vehicle == (int32_t)v) {
                ASSERT(da.trips.v[i].start >= last_end);
                last_end = da.trips.v[i].end;
            }
    }
    int with_meeting = 0, series = 0;
    for (size_t i = 0; i < da.travel.n; i++) {
        with_meeting += da.travel.v[i].meeting_id[0] != 0;
        series += strncmp(da.travel.v[i].meeting_id, "SERIES", 6) == 0;
    }
    ASSERT(with_meeting > 1000);
    ASSERT(series > 100);
    kmt_dataset_destroy(&da);
}

KMT_TEST(demo_syddjurs_scale_matches_seed_figures)
{
    kmt_dataset d;
    kmt_dataset_init(&d);
    kmt_demo_generate(1, KMT_DEMO_SYDDJURS, 2024, &d);
    ASSERT(d.vehicles.n >= 250 && d.vehicles.n <= 350);
    double fleet = 0, priv = 0;
    for (size_t i = 0; i < d.trips.n; i++) *(d.trips.v[i].vehicle >= 0 ? &fleet : &priv) += d.trips.v[i].km;
    ASSERT_NEAR(fleet, 4.4e6, 5000);
    ASSERT_NEAR(priv, 3.1e6, 5000);
    kmt_dataset_destroy(&d);
}

KMT_STORE_TEST(demo_generate_command_imports_and_is_idempotent)
{
    bin();
    const char *db = kmt_test_db(backend, "demo");
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd, "%s demo generate --seed 3 --db '%s' --out %s/demo_%s", bin(), db, kmt_test_tmpdir(),
             backend);
    ASSERT_EQ_INT(run_cmd(cmd, out, sizeof out), 0);
    ASSERT_CONTAINS(out, "30 vehicles");
    int64_t trips = count(db, "trips"), travel = count(db, "travel");
    ASSERT(trips > 10000);
    ASSERT(travel > 1000);
    /* the written CSVs re-import as duplicates only */
    char p[600];
    snprintf(p, sizeof p, "%s/demo_%s/trips.csv", kmt_test_tmpdir(), backend);
    ASSERT_EQ_INT(kimport("fleet import trips", p, db, "--municipality 'Demo Kommune'", out), 0);
    ASSERT_CONTAINS(out, " 0 new");
    snprintf(p, sizeof p, "%s/demo_%s/travel.csv", kmt_test_tmpdir(), backend);
    ASSERT_EQ_INT(kimport("travel import", p, db, "--municipality 'Demo Kommune'", out), 0);
    ASSERT_CONTAINS(out, " 0 new");
    ASSERT_EQ_INT(count(db, "trips"), trips);
    ASSERT_EQ_INT(count(db, "travel"), travel);
}

/* 1 if the database has an index of that name (asked through the sqlite3 shell). */
static int has_index(const char *db, const char *name)
{
    char cmd[1200], out[4096];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"SELECT name FROM sqlite_master WHERE type='index'\"", db);
    if (run_cmd(cmd, out, sizeof out) != 0) kmt_test_skip("no sqlite3 shell");
    return strstr(out, name) != NULL;
}

/* 1 if the database (either backend) has an index of that name. */
static int has_index_any(const char *db, const char *name)
{
    char sql[256], v[64];
    if (strstr(db, "host=") || strstr(db, "dbname="))
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = '%s'", name);
    else
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '%s'", name);
    ASSERT_EQ_INT(kmt_test_sql_value(db, sql, v, sizeof v), 0);
    return atoi(v) > 0;
}

KMT_TEST(store_bulk_load_rebuilds_indices_and_rollback_keeps_them)
{
    const char *db = tmp_path("bulk.db");
    rm_db(db);
    kmt_store *s;
    kmt_error e;
    int64_t muni;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    kmt_store_close(s);
    char cmd[1200], out[4096]; /* the schema has no secondary trip index: add one */
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE INDEX trip_test_driver ON trip(driver, start_time)'", db);
    if (run_cmd(cmd, out, sizeof out) != 0) kmt_test_skip("no sqlite3 shell");
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    for (int attempt = 0; attempt < 2; attempt++) {
        ASSERT_EQ_INT(kmt_store_begin(s, &e), 0);
        ASSERT_EQ_INT(kmt_store_municipality(s, "Bulkby", &muni, &e), 0);
        ASSERT_EQ_INT(kmt_store_bulk_begin(s, "trips", 100000, &e), 0);
        for (int i = 0; i < 100; i++) {
            kmt_trip t;
            kmt_trip_init(&t);
            t.municipality = muni;
            t.start = kmt_time_make(2024, 2, 1, 0, 0, 0) + i * 3600;
            t.end = t.start + 1800;
            t.km = i;
            ASSERT_EQ_INT(kmt_store_put_trip(s, &t, 0, 0, 0, &e), KMT_PUT_INSERTED);
        }
        if (attempt == 0) {
            ASSERT_EQ_INT(kmt_store_rollback(s), 0);
        } else {
            ASSERT_EQ_INT(kmt_store_bulk_end(s, NULL, NULL, &e), 0);
            ASSERT_EQ_INT(kmt_store_commit(s, &e), 0);
        }
        kmt_store_close(s);
        ASSERT(has_index(db, "trip_test_driver"));
        ASSERT(has_index(db, "trip_time"));
        ASSERT_EQ_INT(count(db, "trips"), attempt ? 100 : 0);
        ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    }
    kmt_store_close(s);
}

KMT_STORE_TEST(import_travel_gazetteer_gives_coordinates)
{
    bin();
    const char *db = kmt_test_db(backend, "gaz"), *dir = kmt_test_tmpdir();
    char p[512], g[512], opt[600], out[4096];
    snprintf(p, sizeof p, "%s/gaz-travel.csv", dir);
    snprintf(g, sizeof g, "%s/gazetteer.csv", dir);
    write_file(g, "place;lon;lat\nFalun;15,6355;60,6065\nBORLÄNGE;15,4360;60,4858\n");
    write_file(p, "person,date,from_place,to_place,km,mode,to_lon,to_lat\n"
                  "p1,2011-03-01, falun ,Borlänge,50,train,,\n"
                  "p2,2011-03-01,Mora,Borlänge,100,bus,14.5,61.0\n");
    snprintf(opt, sizeof opt, "--gazetteer %s", g);
    ASSERT_EQ_INT(kimport("travel import", p, db, opt, out), 0);
    kmt_dataset d;
    kmt_dataset_init(&d);
    load_all_travel(db, &d);
    ASSERT_EQ_INT(d.travel.n, 2);
    const kmt_travel *a = d.travel.v[0].mode == KMT_MODE_TRAIN ? &d.travel.v[0] : &d.travel.v[1];
    const kmt_travel *b = a == &d.travel.v[0] ? &d.travel.v[1] : &d.travel.v[0];
    ASSERT_NEAR(a->from.lon, 15.6355, 1e-9);
    ASSERT_NEAR(a->to.lat, 60.4858, 1e-9);
    ASSERT(isnan(b->from.lon));         /* Mora is not in the gazetteer */
    ASSERT_NEAR(b->to.lon, 14.5, 1e-9); /* the row's own coordinates win */
    kmt_dataset_destroy(&d);
    write_file(g, "place,lon,lat\nFalun,15.6,\n");
    ASSERT_EQ_INT(kimport("travel import", p, db, opt, out), 1);
    ASSERT_CONTAINS(out, "gazetteer.csv:2");
}

KMT_STORE_TEST(store_migrates_version_1_and_trips_keep_addresses)
{
    bin();
    const char *db = kmt_test_db(backend, "mig"), *dir = kmt_test_tmpdir();
    char p[512], out[4096];
    snprintf(p, sizeof p, "%s/addr.csv", dir);
    write_file(p, "Start;Slut;Km;Startadresse;Slutadresse\n"
                  "05.03.2024 08:00;05.03.2024 09:00;12,5;Rådhusgade 1, 8000 Aarhus C;Søndergade 3\n");
    ASSERT_EQ_INT(kimport("fleet import trips", p, db, "", out), 0);
    /* turn the database back into schema version 1 (no address columns) */
    if (kmt_test_sql(db, "ALTER TABLE trip DROP COLUMN start_address; ALTER TABLE trip DROP COLUMN "
                         "end_address; DELETE FROM schema_version WHERE version >= 2;") != 0)
        kmt_test_skip("no ALTER TABLE DROP COLUMN in this SQLite");
    kmt_store *s;
    kmt_error e;
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), KMT_EVERSION);
    ASSERT_CONTAINS(e.msg, "read-write");
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0);
    ASSERT_EQ_INT(kmt_store_schema_version(s), KMT_STORE_SCHEMA_VERSION);
    kmt_store_close(s);
    ASSERT(!has_index_any(db, "trip_vehicle_time")); /* version 3 dropped the unused indices */
    ASSERT(has_index_any(db, "trip_time"));
    /* a version-2 database (version 3 changed only indices) is read as it is */
    ASSERT_EQ_INT(kmt_test_sql(db, "DELETE FROM schema_version WHERE version = 3"), 0);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_schema_version(s), 2);
    kmt_store_close(s);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READWRITE, &e), 0); /* and migrated read-write */
    ASSERT_EQ_INT(kmt_store_schema_version(s), KMT_STORE_SCHEMA_VERSION);
    kmt_store_close(s);
    ASSERT_EQ_INT(count(db, "trips"), 1); /* the rows survive the migration */
    ASSERT_EQ_INT(kimport("fleet import trips", p, db, "", out), 0);
    ASSERT_CONTAINS(out, "0 new, 0 updated, 1 duplicates"); /* its natural key did not change */
    write_file(p, "Start;Slut;Km;Startadresse;Slutadresse\n"
                  "06.03.2024 08:00;06.03.2024 09:00;7;Rådhusgade 1, 8000 Aarhus C;Søndergade 3\n");
    ASSERT_EQ_INT(kimport("fleet import trips", p, db, "", out), 0);
    ASSERT_CONTAINS(out, "1 new");
    kmt_dataset d;
    kmt_dataset_init(&d);
    ASSERT_EQ_INT(kmt_store_open(&s, db, KMT_STORE_READONLY, &e), 0);
    ASSERT_EQ_INT(kmt_store_load_fleet(s, NULL, &d, &e), 0);
    kmt_store_close(s);
    ASSERT_EQ_INT(d.trips.n, 2);
    ASSERT_STR_EQ(d.trips.v[0].from_address, ""); /* dropped with the column above */
    ASSERT_STR_EQ(d.trips.v[1].from_address, "Rådhusgade 1, 8000 Aarhus C");
    ASSERT_STR_EQ(d.trips.v[1].to_address, "Søndergade 3");
    ASSERT_EQ_INT(d.trips.v[1].vehicle, -1);
    kmt_dataset_destroy(&d);
}

/* The store loads travel records in (date, start time or date, id) order
 * whatever the order of the table, and repeated strings are shared. */
KMT_STORE_TEST(load_travel_order_and_shared_strings)
{
    char p[512], out[4096];
    const char *db = fresh_db(backend, "travel_order", p, sizeof p);
    write_file(p, "record_id,person,date,start_time,from_place,to_place,km,mode,fuel,currency\n"
                  "a,p1,2024-03-02,9:00:30,Falun,Mora,10,bus,,SEK\n"
                  "b,p2,2024-03-01,,Falun,Mora,20,private_car,diesel,\n"
                  "c,p1,2024-03-01,07:00,Mora,Falun,30,train,,EUR\n"
                  "d,p3,2024-03-01,,Falun,Mora,40,walk,,\n"
                  "e,p1,2024-03-02,8.15,Falun,Mora,50,private_car,diesel,SEK\n");
    ASSERT_EQ_INT(kimport("travel import", p, db, "", out), 0);
    kmt_dataset d;
    kmt_dataset_init(&d);
    load_all_travel(db, &d);
    ASSERT_EQ_INT(d.travel.n, 5);
    const char *want = "bdcea"; /* no start = midnight, before 07:00; ties by id */
    for (int i = 0; i < 5; i++) ASSERT_EQ_INT(d.travel.v[i].key[0], want[i]);
    ASSERT_EQ_INT(d.travel.v[0].mode, KMT_MODE_PRIVATE_CAR);
    ASSERT_EQ_INT(d.travel.v[0].fuel, KMT_FUEL_DIESEL);
    ASSERT_EQ_INT(d.travel.v[2].mode, KMT_MODE_TRAIN);
    ASSERT_STR_EQ(d.travel.v[2].currency, "EUR");
    ASSERT_STR_EQ(d.travel.v[0].currency, "");
    ASSERT_STR_EQ(d.travel.v[4].person, "p1");
    ASSERT_EQ_INT(d.travel.v[2].person == d.travel.v[4].person, 1); /* one copy of "p1" */
    ASSERT_EQ_INT(d.travel.v[0].from_place == d.travel.v[1].from_place, 1);
    ASSERT_STR_EQ(d.travel.v[2].from_place, "Mora");
    ASSERT_EQ_INT(d.travel.v[4].start, kmt_time_make(2024, 3, 2, 9, 0, 30));
    ASSERT_EQ_INT(d.travel.v[3].start, kmt_time_make(2024, 3, 2, 8, 15, 0));
    kmt_dataset_destroy(&d);
}
