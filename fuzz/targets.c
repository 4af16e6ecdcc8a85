/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Fuzz targets: one function per parser, shared by the libFuzzer programs
 * (fuzz/fuzz_<name>.c, `make fuzz`) and by the corpus replay that runs in
 * `make check` (tests/test_fuzz_corpus.c), so CI covers the saved corpus
 * without clang. Each returns 0; a crash or sanitizer report is the failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "graph/graph_int.h"
#include "kommute/app.h"
#include "kommute/geo.h"
#include "kommute/graph.h"
#include "kommute/osm.h"
#include "kommute/osrm.h"

int kmt_fuzz_pbf(const uint8_t *data, size_t size);
int kmt_fuzz_kgraph(const uint8_t *data, size_t size);

typedef struct {
    size_t bytes;
} fuzz_sink;

static int fz_node(void *ctx, int64_t id, int32_t lat, int32_t lon, const kmt_osm_tag *tags, size_t ntags)
{
    fuzz_sink *s = ctx;
    for (size_t i = 0; i < ntags; i++) s->bytes += strlen(tags[i].key) + strlen(tags[i].value);
    return 0;
}

static int fz_way(void *ctx, int64_t id, const int64_t *refs, size_t nrefs, const kmt_osm_tag *tags, size_t ntags)
{
    fuzz_sink *s = ctx;
    for (size_t i = 0; i < nrefs; i++) s->bytes += (size_t)(refs[i] & 1);
    for (size_t i = 0; i < ntags; i++) s->bytes += strlen(tags[i].key) + strlen(tags[i].value);
    return 0;
}

static int fz_rel(void *ctx, int64_t id, const kmt_osm_member *m, size_t nm, const kmt_osm_tag *tags, size_t ntags)
{
    fuzz_sink *s = ctx;
    for (size_t i = 0; i < nm; i++) s->bytes += strlen(m[i].role);
    for (size_t i = 0; i < ntags; i++) s->bytes += strlen(tags[i].key) + strlen(tags[i].value);
    return 0;
}

int kmt_fuzz_pbf(const uint8_t *data, size_t size)
{
    kmt_osm_handler h = { fz_node, fz_way, fz_rel, NULL };
    fuzz_sink s = { 0 };
    kmt_error e;
    kmt_error_init(&e);
    kmt_osm_read_pbf_buffer(data, size, "fuzz", &h, &s, &e);
    return 0;
}

/* A .kgraph image whose checksum and size are made right first, so that the
 * structural checks behind them are what gets exercised; when the image is
 * accepted, queries run on it. */
int kmt_fuzz_kgraph(const uint8_t *data, size_t size)
{
    if (size < sizeof(kgraph_header) || size > (64u << 20)) return 0;
    uint8_t *img = malloc(size);
    memcpy(img, data, size);
    kgraph_header *h = (kgraph_header *)img;
    h->file_size = size;
    h->checksum = (uint32_t)crc32(0L, img + sizeof *h, (uInt)(size - sizeof *h));
    kmt_graph g;
    memset(&g, 0, sizeof g);
    kmt_error e;
    kmt_error_init(&e);
    if (kmt__graph_attach(&g, img, size, "fuzz", &e) == KMT_OK) {
        kmt_graph_info in;
        kmt_graph_get_info(&g, &in);
        kmt_snap p[3];
        int ok = 1;
        for (int i = 0; i < 3 && ok; i++) {
            kmt_coord c = { in.min.lon + (in.max.lon - in.min.lon) * i / 2.0,
                            in.min.lat + (in.max.lat - in.min.lat) * i / 2.0 };
            if (!kmt_geo_valid(c)) c = (kmt_coord){ 0, 0 };
            ok = kmt_graph_snap(&g, c, 0, &p[i], NULL) == KMT_OK;
        }
        if (ok) {
            kmt_query *q = kmt_query_new(&g);
            kmt_route r;
            if (kmt_graph_route(q, p, 3, &r, NULL) == KMT_OK) kmt_route_destroy(&r);
            double d[9];
            kmt_graph_table(&g, p, 3, p, 3, 1, d, NULL, NULL);
            kmt_query_destroy(q);
        }
    }
    free(img);
    return 0;
}

/* ---- CSV (data layer) ------------------------------------------------------- */

#include "kommute/csv.h"

int kmt_fuzz_csv(const uint8_t *data, size_t size);

/* The CSV reader on any bytes (encoding detection, delimiter sniffing,
 * quotes), every field through the number, integer and date parsers, the
 * canonical trip columns bound through the built-in mappings, and the same
 * bytes read as a mapping file. */
int kmt_fuzz_csv(const uint8_t *data, size_t size)
{
    kmt_csv *c;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_csv_open_mem(&c, "fuzz.csv", (const char *)data, size, NULL, &e) == 0) {
        static const char *const cols[] = { "vehicle_id", "start_time", "end_time", "km", "site" };
        int ix[5];
        static kmt_mapping *fo; /* parsed once, kept for the process */
        if (fo || kmt_mapping_load(&fo, "os2fleetoptimiser", &e) == 0) kmt_csv_bind(c, fo, "trips", cols, 5, ix, &e);
        int rows = 0;
        while (kmt_csv_next(c, &e) == 1 && rows++ < 10000) {
            for (int col = -1; col <= (int)kmt_csv_ncols(c); col++) {
                double v;
                long li;
                kmt_time t;
                kmt_csv_number(c, col, &v, &e);
                kmt_csv_int(c, col, &li, &e);
                kmt_csv_time(c, col, &t, &e);
                kmt_mapping_value(fo, "vehicles", "fuel", kmt_csv_field(c, col));
            }
        }
        kmt_csv_close(c);
    }
    kmt_mapping *m = NULL;
    if (kmt_mapping_parse(&m, "fuzz-map.csv", (const char *)data, size, &e) == 0) kmt_mapping_destroy(m);
    return 0;
}

/* ---- route planner: VROOM JSON, Solomon text ------------------------------- */

#include "kommute/vrp_io.h"

int kmt_fuzz_vrp_json(const uint8_t *data, size_t size);
int kmt_fuzz_vrp_solution(const uint8_t *data, size_t size);
int kmt_fuzz_solomon(const uint8_t *data, size_t size);

/* Problems up to this size are solved (20 iterations) and the plan checked
 * and written, so the run stays fast. */
#define FUZZ_VRP_SOLVE_TASKS 12
#define FUZZ_VRP_SOLVE_VEHICLES 4

/* Solve a small valid problem for a few iterations, check and write the plan. */
static void fuzz_vrp_solve(const kmt_vrp_problem *p)
{
    if (p->ntasks > FUZZ_VRP_SOLVE_TASKS || p->nvehicles > FUZZ_VRP_SOLVE_VEHICLES) return;
    kmt_vrp_solve_opts o;
    kmt_vrp_solve_opts_default(&o);
    o.iterations = 20;
    o.time_limit = 5;
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    kmt_vrp_solve_stats st;
    memset(&st, 0, sizeof st);
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_vrp_solve(p, &o, &s, &st, &e) == KMT_OK) {
        kmt_vrp_check_report r;
        kmt_vrp_check(p, &s, &r);
        kmt_json j;
        kmt_json_init(&j, NULL);
        kmt_vrp_write_solution(&j, p, &s, &r, &st);
        kmt_json_destroy(&j);
        kmt_vrp_check_report_destroy(&r);
    }
    kmt_vrp_solution_destroy(&s);
}

/* A VROOM problem: parse, validate (when it carries its matrices), and solve
 * it briefly when it is small. */
int kmt_fuzz_vrp_json(const uint8_t *data, size_t size)
{
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    kmt_error e;
    kmt_error_init(&e);
    int needs = 0;
    if (kmt_vrp_parse_json((const char *)data, size, "fuzz.json", &p, &needs, &e) == KMT_OK && !needs &&
        kmt_vrp_problem_validate(&p, &e) == KMT_OK)
        fuzz_vrp_solve(&p);
    kmt_vrp_problem_destroy(&p);
    return 0;
}

/* The problem the solution target checks against when the input brings none:
 * two vehicles (one with a break and a capacity), three jobs, one shipment. */
static const char FUZZ_VRP_PROBLEM[] =
    "{\"vehicles\":[{\"id\":1,\"start_index\":0,\"end_index\":0,\"capacity\":[4],\"skills\":[1],"
    "\"breaks\":[{\"id\":7,\"time_windows\":[[0,500]],\"service\":5}]},"
    "{\"id\":2,\"start_index\":1,\"time_window\":[0,1000],\"max_tasks\":3}],"
    "\"jobs\":[{\"id\":10,\"location_index\":1,\"delivery\":[1],\"service\":10},"
    "{\"id\":11,\"location_index\":2,\"pickup\":[1],\"time_windows\":[[0,300]]},"
    "{\"id\":12,\"location_index\":3,\"skills\":[1]}],"
    "\"shipments\":[{\"amount\":[2],\"pickup\":{\"id\":20,\"location_index\":2},"
    "\"delivery\":{\"id\":21,\"location_index\":3}}],"
    "\"matrices\":{\"car\":{\"durations\":[[0,10,20,30],[10,0,15,25],[20,15,0,12],[30,25,12,0]],"
    "\"distances\":[[0,100,200,300],[100,0,150,250],[200,150,0,120],[300,250,120,0]]}}}";

/* Check a solution text against p. */
static void fuzz_vrp_check_solution(const kmt_vrp_problem *p, const char *sol, size_t slen)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_vrp_solution s;
    kmt_vrp_solution_init(&s);
    if (kmt_vrp_parse_solution_json(sol, slen, "solution.json", p, &s, &e) == KMT_OK) {
        kmt_vrp_check_report r;
        kmt_vrp_check(p, &s, &r);
        kmt_vrp_check_report_destroy(&r);
    }
    kmt_vrp_solution_destroy(&s);
}

/* A VROOM solution read back as `kommute check` reads it and checked. The
 * input is "problem JSON, a NUL byte, solution JSON", or only the solution:
 * then it is checked against FUZZ_VRP_PROBLEM, parsed once per process (the
 * solution reader does not change the problem). */
int kmt_fuzz_vrp_solution(const uint8_t *data, size_t size)
{
    static kmt_vrp_problem builtin;
    static int have_builtin;
    kmt_error e;
    kmt_error_init(&e);
    int needs = 0;
    const uint8_t *nul = memchr(data, 0, size);
    if (!nul) {
        if (!have_builtin) {
            kmt_vrp_problem_init(&builtin);
            if (kmt_vrp_parse_json(FUZZ_VRP_PROBLEM, sizeof FUZZ_VRP_PROBLEM - 1, "problem.json", &builtin, &needs,
                                   &e) != KMT_OK ||
                kmt_vrp_problem_validate(&builtin, &e) != KMT_OK)
                abort(); /* the built-in problem is valid */
            have_builtin = 1;
        }
        fuzz_vrp_check_solution(&builtin, (const char *)data, size);
        return 0;
    }
    size_t plen = (size_t)(nul - data);
    kmt_vrp_problem p;
    kmt_vrp_problem_init(&p);
    if (kmt_vrp_parse_json((const char *)data, plen, "problem.json", &p, &needs, &e) == KMT_OK && !needs &&
        kmt_vrp_problem_validate(&p, &e) == KMT_OK)
        fuzz_vrp_check_solution(&p, (const char *)nul + 1, size - plen - 1);
    kmt_vrp_problem_destroy(&p);
    return 0;
}

/* Solomon / Gehring-Homberger text under both conventions, validated. */
int kmt_fuzz_solomon(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    for (int conv = KMT_SOLOMON_DIMACS; conv <= KMT_SOLOMON_CLASSIC; conv++) {
        kmt_vrp_problem p;
        kmt_vrp_problem_init(&p);
        kmt_error e;
        kmt_error_init(&e);
        if (kmt_vrp_parse_solomon(text, "fuzz.txt", conv, &p, &e) == KMT_OK) kmt_vrp_problem_validate(&p, &e);
        kmt_vrp_problem_destroy(&p);
    }
    free(text);
    return 0;
}

/* ---- factors, mappings ------------------------------------------------------ */

#include "kommute/factors.h"

int kmt_fuzz_factors(const uint8_t *data, size_t size);
int kmt_fuzz_mapping(const uint8_t *data, size_t size);

/* A factors file: parse; when accepted, look every mode up with a few fuels
 * and countries. */
int kmt_fuzz_factors(const uint8_t *data, size_t size)
{
    kmt_factors f;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_factors_parse((const char *)data, size, "fuzz.json", &f, &e) != KMT_OK) return 0;
    static const char *const modes[] = {
        "fleet_car", "private_car", "taxi", "bus", "train", "flight", "bicycle", "walk"
    };
    static const char *const fuels[] = { NULL, "", "petrol", "diesel", "electric", "HVO" };
    static const char *const countries[] = { NULL, "DK", "SE", "NO", "*" };
    size_t hits = 0;
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
        for (size_t u = 0; u < sizeof fuels / sizeof *fuels; u++)
            for (size_t c = 0; c < sizeof countries / sizeof *countries; c++)
                hits += kmt_factors_lookup(&f, countries[c], modes[m], fuels[u]) != NULL;
    for (size_t c = 0; c < sizeof countries / sizeof *countries; c++)
        hits += kmt_factors_country(&f, countries[c]) != NULL;
    (void)hits;
    kmt_factors_destroy(&f);
    return 0;
}

/* A mapping file: parse; when accepted, bind the canonical trip, vehicle and
 * travel columns of a small export through it and translate a few values. */
int kmt_fuzz_mapping(const uint8_t *data, size_t size)
{
    kmt_mapping *m = NULL;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_mapping_parse(&m, "fuzz-map.csv", (const char *)data, size, &e) != KMT_OK) return 0;
    static const char HEAD[] = "Køretøj;Start;Slut;Km;Brændstof;mode\nAB 12 345;2024-05-06 08:00;;12,5;Diesel;bil\n";
    kmt_csv *c;
    if (kmt_csv_open_mem(&c, "export.csv", HEAD, sizeof HEAD - 1, NULL, &e) == KMT_OK) {
        static const char *const tables[] = { "trips", "vehicles", "travel", "sites", "gps" };
        static const char *const cols[] = { "vehicle_id", "start_time", "end_time", "km", "fuel", "mode" };
        int ix[6];
        for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) kmt_csv_bind(c, m, tables[t], cols, 6, ix, &e);
        if (kmt_csv_next(c, &e) == 1)
            for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
                for (int col = 0; col < 6; col++) kmt_mapping_value(m, tables[t], cols[col], kmt_csv_field(c, col));
        kmt_csv_close(c);
    }
    kmt_mapping_destroy(m);
    return 0;
}

/* ---- importers' row readers: carpool requests, GPS points, travel rows ------ */

#include "io/rows.h"
#include "kommute/pool.h"

int kmt_fuzz_pool(const uint8_t *data, size_t size);
int kmt_fuzz_gps(const uint8_t *data, size_t size);
int kmt_fuzz_travel(const uint8_t *data, size_t size);

#define FUZZ_ROWS 10000 /* rows read per input at most */

/* Carpool requests as `kommute pool plan` reads them; up to 8 requests are
 * then planned on a crow-flies matrix and the plan checked. */
int kmt_fuzz_pool(const uint8_t *data, size_t size)
{
    kmt_csv *c;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_csv_open_mem(&c, "requests.csv", (const char *)data, size, NULL, &e) != KMT_OK) return 0;
    kmt__pool_requests in;
    memset(&in, 0, sizeof in);
    kmt_arena_init(&in.arena, 1 << 12);
    if (kmt__pool_read_requests(c, 0, &in, &e) == KMT_OK && in.r.n <= 8) {
        kmt_coord *pts = NULL;
        uint32_t npts = kmt_pool_index_points(in.r.v, in.r.n, &pts);
        kmt_pool_matrix m;
        memset(&m, 0, sizeof m);
        if (kmt_pool_matrix_haversine(pts, npts, 1.3, 50, &m, &e) == KMT_OK) {
            kmt_pool_opts pp;
            kmt_pool_opts_default(&pp);
            kmt_pool_plan plan;
            kmt_pool_plan_init(&plan);
            if (kmt_pool_solve(in.r.v, in.r.n, &m, &pp, &plan, &e) == KMT_OK)
                kmt_pool_check(in.r.v, in.r.n, &m, &pp, &plan, &e);
            kmt_pool_plan_destroy(&plan);
        }
        kmt_pool_matrix_destroy(&m);
        kmt_free(pts);
    }
    KMT_VEC_FREE(in.r);
    KMT_VEC_FREE(in.line);
    kmt_arena_destroy(&in.arena);
    kmt_csv_close(c);
    return 0;
}

/* GPS points as `kommute fleet import gps` reads them (each distinct
 * vehicle_id is a vehicle, bad rows skipped), sorted, then stop detection. */
int kmt_fuzz_gps(const uint8_t *data, size_t size)
{
    kmt_csv *c;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_csv_open_mem(&c, "gps.csv", (const char *)data, size, NULL, &e) != KMT_OK) return 0;
    int ix[KMT_GPS_NCOLS];
    kmt_csv_bind(c, NULL, "gps", kmt__gps_cols, KMT_GPS_NCOLS, ix, &e);
    int ok = 1;
    for (int i = 0; i < 4 && ok; i++) ok = kmt_csv_require(c, ix[i], kmt__gps_cols[i], &e) == KMT_OK;
    strmap vehicles = { 0 };
    KMT_VEC(char *) names = { 0 };
    KMT_VEC(kmt_gps_point) pts = { 0 };
    for (int rows = 0; ok && rows < FUZZ_ROWS && kmt_csv_next(c, &e) == 1; rows++) {
        const char *v = kmt_csv_field(c, ix[KMT_GPS_VEH]);
        kmt_gps_point p;
        p.vehicle = kmt__strmap_get(&vehicles, v);
        if (p.vehicle < 0) {
            char *copy = kmt_strdup(v);
            KMT_VEC_PUSH(names, copy);
            p.vehicle = (int32_t)(names.n - 1);
            kmt__strmap_put(&vehicles, copy, p.vehicle);
        }
        if (kmt__gps_parse_row(c, ix, &p, &e) == KMT_OK) KMT_VEC_PUSH(pts, p);
    }
    kmt__gps_sort(pts.v, pts.n);
    kmt_stop_opts sp;
    kmt_stop_opts_default(&sp);
    kmt_trip *trips = NULL;
    if (kmt_gps_detect_trips(pts.v, pts.n, &sp, &trips) >= 0) kmt_free(trips);
    KMT_VEC_FREE(pts);
    for (size_t i = 0; i < names.n; i++) kmt_free(names.v[i]);
    KMT_VEC_FREE(names);
    kmt__strmap_free(&vehicles);
    kmt_csv_close(c);
    return 0;
}

/* Travel records as `kommute travel import` reads them, through the nordic
 * mapping when the first byte is odd (bad rows skipped). */
int kmt_fuzz_travel(const uint8_t *data, size_t size)
{
    static kmt_mapping *nordic; /* loaded once, kept for the process */
    kmt_error e;
    kmt_error_init(&e);
    if (!nordic && kmt_mapping_load(&nordic, "nordic", &e) != KMT_OK) return 0;
    const kmt_mapping *m = size && (data[0] & 1) ? nordic : NULL;
    kmt_csv *c;
    if (kmt_csv_open_mem(&c, "travel.csv", (const char *)data, size, NULL, &e) != KMT_OK) return 0;
    int ix[R_N];
    kmt_csv_bind(c, m, "travel", kmt__travel_cols, R_N, ix, &e);
    if ((ix[R_DATE] >= 0 || ix[R_START] >= 0) && ix[R_KM] >= 0 && ix[R_MODE] >= 0) {
        double km = 0;
        for (int rows = 0; rows < FUZZ_ROWS && kmt_csv_next(c, &e) == 1; rows++) {
            kmt_travel r;
            if (kmt__travel_parse_row(c, m, ix, &r, &e) == KMT_OK) km += r.km;
        }
        (void)km;
    }
    kmt_csv_close(c);
    return 0;
}

/* ---- the server's query parsing ---------------------------------------------- */

int kmt_fuzz_query(const uint8_t *data, size_t size);

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decoding as libmicrohttpd does it ('+' is a space), in place. */
static void url_decode(char *s)
{
    char *w = s;
    for (char *p = s; *p; p++) {
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            *w++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
            p += 2;
        } else {
            *w++ = *p == '+' ? ' ' : *p;
        }
    }
    *w = '\0';
}

/* A request target "PATH?QUERY" as the server sees it: each query key and
 * value (split at '&' and '=', percent-decoded) through every use case's
 * parameter table, the allowlist the server applies (kmt_app_param_set with
 * http = 1, into a fresh request); the last path segment through the OSRM
 * coordinate parser; a "polyline(...)" segment through the decoder. */
int kmt_fuzz_query(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    char *text = kmt_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *q = strchr(text, '?');
    if (q) *q++ = '\0';
    const char *seg = strrchr(text, '/');
    seg = seg ? seg + 1 : text;
    kmt_osrm_coords pts = { 0 };
    kmt_error e;
    kmt_error_init(&e);
    if (strncmp(seg, "polyline(", 9) == 0) {
        kmt_coord *c = NULL;
        size_t n = 0;
        if (kmt_geo_polyline_decode(seg + 9, 5, &c, &n) == 0) kmt_free(c);
    } else {
        kmt_osrm_parse_coords(seg, &pts, &e);
    }
    KMT_VEC_FREE(pts);
    for (const kmt_app_usecase *const *u = kmt_app_usecases(); q && *u; u++) {
        void *req = kmt_calloc(1, (*u)->req_size);
        (*u)->req_default(req);
        char *copy = kmt_strdup(q);
        for (char *save = NULL, *kv = strtok_r(copy, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(kv, '=');
            if (eq) *eq++ = '\0';
            url_decode(kv);
            if (eq) url_decode(eq);
            kmt_error_init(&e);
            kmt_app_param_set((*u)->params, req, kv, eq, 1, "", &e);
        }
        kmt_free(copy);
        kmt_free(req);
    }
    kmt_free(text);
    return 0;
}

/* ---- home care (hhc readers) ---------------------------------------------- */

#include "kommute/hhc_io.h"

int kmt_fuzz_hhc(const uint8_t *data, size_t size);

/* The same bytes as a Mankowska text instance, as an HHCRSP JSON instance,
 * and as a plan for a fixed two-visit problem, which the checker verifies. */
int kmt_fuzz_hhc(const uint8_t *data, size_t size)
{
    kmt_error e;
    kmt_error_init(&e);
    kmt_hhc_problem p;
    if (kmt_hhc_parse_mankowska((const char *)data, size, "fuzz.txt", &p, &e) == 0) kmt_hhc_problem_destroy(&p);
    kmt_error_init(&e);
    if (kmt_hhc_parse_uniud((const char *)data, size, "fuzz.json", &p, &e) == 0) kmt_hhc_problem_destroy(&p);
    static const char inst[] =
        "{\"patients\": [{\"id\": \"p1\", \"time_window\": [0, 100], \"required_caregivers\": "
        "[{\"service\": \"s1\", \"duration\": 5}, {\"service\": \"s2\", \"duration\": 5}], "
        "\"synchronization\": {\"type\": \"simultaneous\"}}, {\"id\": \"p2\", \"time_window\": [50, 60], "
        "\"required_caregivers\": [{\"service\": \"s1\", \"duration\": 5}]}], \"services\": [{\"id\": \"s1\"}, "
        "{\"id\": \"s2\"}], \"caregivers\": [{\"id\": \"c1\", \"abilities\": [\"s1\", \"s2\"]}, {\"id\": \"c2\", "
        "\"abilities\": [\"s2\"]}], \"central_offices\": [{\"id\": \"d\"}], \"distances\": [[0, 3, 4], [3, 0, 5], "
        "[4, 5, 0]]}";
    kmt_error_init(&e);
    if (kmt_hhc_parse_uniud(inst, sizeof inst - 1, "inst.json", &p, &e) == 0) {
        kmt_hhc_solution s;
        kmt_error_init(&e);
        if (kmt_hhc_parse_solution((const char *)data, size, "fuzz-sol.json", &p, &s, &e) == 0) {
            kmt_hhc_check_report r;
            kmt_hhc_check(&p, &s, &r);
            kmt_hhc_solution_destroy(&s);
        }
        kmt_hhc_problem_destroy(&p);
    }
    return 0;
}
