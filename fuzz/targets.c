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
#include "kommute/graph.h"
#include "kommute/osm.h"

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
    kmt_osm_handler h = {fz_node, fz_way, fz_rel, NULL};
    fuzz_sink s = {0};
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
            kmt_coord c = {in.min.lon + (in.max.lon - in.min.lon) * i / 2.0, in.min.lat + (in.max.lat - in.min.lat) * i / 2.0};
            if (!kmt_geo_valid(c)) c = (kmt_coord){0, 0};
            ok = kmt_graph_snap(&g, c, 0, &p[i], NULL) == KMT_OK;
        }
        if (ok) {
            kmt_query *q = kmt_query_new(&g);
            kmt_route r;
            if (kmt_graph_route(q, p, 3, &r, NULL) == KMT_OK) kmt_route_free(&r);
            double d[9];
            kmt_graph_table(&g, p, 3, p, 3, 1, d, NULL, NULL);
            kmt_query_free(q);
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
        static const char *const cols[] = {"vehicle_id", "start_time", "end_time", "km", "site"};
        int ix[5];
        kmt_mapping *fo = NULL;
        if (kmt_mapping_load(&fo, "os2fleetoptimiser", &e) == 0) kmt_csv_bind(c, fo, "trips", cols, 5, ix, &e);
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
        kmt_mapping_free(fo);
        kmt_csv_close(c);
    }
    kmt_mapping *m = NULL;
    if (kmt_mapping_parse(&m, "fuzz-map.csv", (const char *)data, size, &e) == 0) kmt_mapping_free(m);
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
