/* SPDX-License-Identifier: MPL-2.0 */
/* kommute graph build | graph info | snap | route | table */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kommute/csv.h"
#include "kommute/graph.h"
#include "kommute/json.h"
#include "kommute/osrm.h"

#define DEFAULT_MAX_SNAP_M 1000.0

/* ---- graph build ---------------------------------------------------------- */

static const char BUILD_HELP[] = "Usage: kommute graph build AREA.osm.pbf -o AREA.kgraph [--profile car|bicycle|foot]\n"
                                 "                           [--ferries] [--all-components]\n\n"
                                 "Reads an OpenStreetMap extract, builds the routable road graph for a travel\n"
                                 "profile, keeps its largest strongly connected component, contracts it into a\n"
                                 "contraction hierarchy and writes a checksummed .kgraph file (atomically).\n\n"
                                 "  -o, --output FILE    the graph file to write (required)\n"
                                 "  --profile NAME       car (default), bicycle or foot\n"
                                 "  --ferries            use ferry routes (off by default)\n"
                                 "  --all-components     keep every component, not only the largest\n"
                                 "  --progress           show progress even when stderr is not a terminal\n";

static int run_build(int argc, char **argv)
{
    const char *out = NULL, *profile = "car", *ferries = NULL, *allc = NULL, *progress = NULL;
    kmt_opt opts[] = { { "output", 'o', 1, &out },      { "profile", 0, 1, &profile },
                       { "ferries", 0, 0, &ferries },   { "all-components", 0, 0, &allc },
                       { "progress", 0, 0, &progress }, { NULL, 0, 0, NULL } };
    const char *pos[64];
    int np;
    int rc = kmt_cli_parse(argc, argv, opts, pos, &np, BUILD_HELP);
    if (rc) return rc;
    if (np != 1) return kmt_cli_usage(argv[0], "expected one input file AREA.osm.pbf, got %d", np);
    if (!out) return kmt_cli_usage(argv[0], "the output file is missing: -o AREA.kgraph");
    int p = kmt_profile_parse(profile);
    if (p < 0) return kmt_cli_usage(argv[0], "unknown profile '%s'; expected car, bicycle or foot", profile);
    if (progress) kmt_progress_force(1);
    kmt_graph_build_opts bo = { (kmt_profile)p, allc != NULL, ferries != NULL };
    kmt_graph_build_stats st;
    kmt_error e;
    kmt_error_init(&e);
    double t0 = kmt_now_monotonic();
    rc = kmt_graph_build(pos[0], out, &bo, &st, &e);
    if (rc) return kmt_cli_error(&e);
    double total = kmt_now_monotonic() - t0;
    printf("graph %s (%s): %llu nodes, %llu arcs, %llu shortcuts, %.1f MB; from %llu OSM nodes and %llu ways "
           "(%llu routable)\n",
           out, kmt_profile_name(bo.profile), (unsigned long long)st.nodes, (unsigned long long)st.edges,
           (unsigned long long)st.shortcuts, st.file_bytes / 1e6, (unsigned long long)st.osm_nodes,
           (unsigned long long)st.osm_ways, (unsigned long long)st.routable_ways);
    if (st.missing_node_refs)
        printf("  %llu node references missing from the extract (ways cut at its border) were skipped\n",
               (unsigned long long)st.missing_node_refs);
    if (st.removed_nodes)
        printf("  %llu nodes outside the largest strongly connected component were dropped\n",
               (unsigned long long)st.removed_nodes);
    printf("  time: read %.2f s, graph %.2f s, contract %.2f s, write %.2f s, total %.2f s; peak memory %.0f MB\n",
           st.seconds_read, st.seconds_graph, st.seconds_contract, st.seconds_write, total, kmt_peak_rss_kb() / 1024.0);
    return KMT_EXIT_OK;
}
KMT_COMMAND("graph build", "build a routable road graph from an .osm.pbf file", run_build, BUILD_HELP)

/* ---- shared: open graph, read points, snap ----------------------------------- */

static int open_graph(const char *cmd, const char *path, kmt_graph **g)
{
    if (!path) return kmt_cli_usage(cmd, "the road graph is missing: --graph AREA.kgraph");
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_graph_open(path, g, &e)) return kmt_cli_error(&e);
    return 0;
}

typedef kmt_osrm_coords coords;

/* A CSV with the columns lon and lat (others allowed), one point per row; the
 * data layer's reader (delimiter, BOM, encodings, decimal comma: docs/data.md). */
static int read_points_csv(const char *path, coords *out, kmt_error *e)
{
    kmt_csv *c;
    if (kmt_csv_open(&c, path, NULL, e)) return e->code ? e->code : KMT_EINVAL;
    int lon_col = kmt_csv_find(c, "lon"), lat_col = kmt_csv_find(c, "lat"), rc;
    if (lon_col < 0 || lat_col < 0) {
        rc = kmt_error_at(e, KMT_EINVAL, path, 1, 0, NULL, "expected a header with the columns lon,lat");
        kmt_csv_close(c);
        return rc;
    }
    while ((rc = kmt_csv_next(c, e)) == 1) {
        kmt_coord p;
        if ((rc = kmt_csv_coord(c, lon_col, lat_col, 1, &p, e)) < 0) break;
        KMT_VEC_PUSH(*out, p);
    }
    kmt_csv_close(c);
    if (rc < 0) return rc;
    if (out->n == 0) return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "no points in the file");
    return KMT_OK;
}

static int parse_max_snap(const char *cmd, const char *val, double *out)
{
    *out = DEFAULT_MAX_SNAP_M;
    if (!val) return 0;
    return kmt_cli_double(cmd, "max-snap", val, 0, 1e7, out);
}

/* ---- graph info ------------------------------------------------------------- */

static const char INFO_HELP[] =
    "Usage: kommute graph info AREA.kgraph\n\nChecks a graph file and prints what it holds.\n";

static int run_info(int argc, char **argv)
{
    const char *pos[64];
    int np;
    int rc = kmt_cli_parse(argc, argv, NULL, pos, &np, INFO_HELP);
    if (rc) return rc;
    if (np != 1) return kmt_cli_usage(argv[0], "expected one graph file");
    kmt_graph *g;
    if ((rc = open_graph(argv[0], pos[0], &g))) return rc;
    kmt_graph_info in;
    kmt_graph_get_info(g, &in);
    printf("{\"profile\":\"%s\",\"nodes\":%u,\"arcs\":%u,\"segments\":%u,\"bbox\":[%.6f,%.6f,%.6f,%.6f]}\n",
           kmt_profile_name(in.profile), in.nodes, in.edges, in.segments, in.min.lon, in.min.lat, in.max.lon,
           in.max.lat);
    kmt_graph_close(g);
    return KMT_EXIT_OK;
}
KMT_COMMAND("graph info", "check a .kgraph file and print its size and area", run_info, INFO_HELP)

/* ---- snap ----------------------------------------------------------------------- */

static const char SNAP_HELP[] = "Usage: kommute snap --graph G LON,LAT [LON,LAT ...] [--max-snap M]\n\n"
                                "The nearest point on a routable road for each coordinate, with its distance\n"
                                "and the road's attributes. A coordinate farther than --max-snap metres\n"
                                "(default 1000; 0 = no limit) from any road is an error that says how far it is.\n";

static int run_snap(int argc, char **argv)
{
    const char *graph = NULL, *maxs = NULL;
    kmt_opt opts[] = { { "graph", 'g', 1, &graph }, { "max-snap", 0, 1, &maxs }, { NULL, 0, 0, NULL } };
    const char **pos = kmt_malloc((size_t)argc * sizeof *pos);
    int np, rc = kmt_cli_parse(argc, argv, opts, pos, &np, SNAP_HELP);
    double max_m;
    if (!rc && np == 0) rc = kmt_cli_usage(argv[0], "expected at least one LON,LAT");
    if (!rc && parse_max_snap(argv[0], maxs, &max_m)) rc = KMT_EXIT_USAGE;
    coords pts = { 0 };
    kmt_error e;
    kmt_error_init(&e);
    for (int i = 0; !rc && i < np; i++) {
        if (kmt_osrm_parse_coords(pos[i], &pts, &e)) rc = kmt_cli_error(&e);
    }
    kmt_graph *g = NULL;
    if (!rc) rc = open_graph(argv[0], graph, &g);
    if (!rc) {
        kmt_snap *sn = kmt_calloc(pts.n, sizeof *sn);
        if (kmt_osrm_snap_all(g, pts.v, pts.n, max_m, sn, &e))
            rc = kmt_cli_error(&e);
        else {
            kmt_json j;
            kmt_json_init(&j, stdout);
            kmt_json_object_begin(&j);
            kmt_json_key(&j, "code");
            kmt_json_string(&j, "Ok");
            kmt_json_key(&j, "waypoints");
            kmt_json_array_begin(&j);
            for (size_t i = 0; i < pts.n; i++) {
                kmt_road_info ri;
                kmt_graph_road_info(g, &sn[i], &ri);
                kmt_json_object_begin(&j);
                kmt_osrm_location(&j, sn[i].location);
                kmt_json_key(&j, "distance");
                kmt_json_double(&j, sn[i].distance_m, 3);
                kmt_json_key(&j, "name");
                kmt_json_string(&j, ri.name);
                kmt_json_key(&j, "road");
                kmt_json_object_begin(&j);
                kmt_osrm_road_fields(&j, &ri);
                kmt_json_object_end(&j);
                kmt_json_object_end(&j);
            }
            kmt_json_array_end(&j);
            kmt_json_object_end(&j);
            if (kmt_json_finish(&j)) rc = KMT_EXIT_INPUT;
        }
        kmt_free(sn);
    }
    kmt_graph_close(g);
    KMT_VEC_FREE(pts);
    kmt_free(pos);
    return rc;
}
KMT_COMMAND("snap", "nearest point on a routable road", run_snap, SNAP_HELP)

/* ---- route ----------------------------------------------------------------------- */

static const char ROUTE_HELP[] = "Usage: kommute route --graph G LON,LAT LON,LAT [LON,LAT ...]\n"
                                 "                     [--geometries polyline|polyline6|geojson] [--max-snap M]\n\n"
                                 "The fastest route through the points in order, in OSRM's response shape:\n"
                                 "code, routes[0].distance (m), .duration (s), .geometry, .legs, waypoints.\n"
                                 "Points may also be given as one argument 'LON,LAT;LON,LAT'.\n"
                                 "No route between two points: code \"NoRoute\" and exit code 1.\n";

static int run_route(int argc, char **argv)
{
    const char *graph = NULL, *maxs = NULL, *geomopt = "polyline";
    kmt_opt opts[] = {
        { "graph", 'g', 1, &graph }, { "max-snap", 0, 1, &maxs }, { "geometries", 0, 1, &geomopt }, { NULL, 0, 0, NULL }
    };
    const char **pos = kmt_malloc((size_t)argc * sizeof *pos);
    int np, rc = kmt_cli_parse(argc, argv, opts, pos, &np, ROUTE_HELP);
    double max_m = 0;
    int geom = KMT_GEOM_POLYLINE;
    if (!rc && parse_max_snap(argv[0], maxs, &max_m)) rc = KMT_EXIT_USAGE;
    if (!rc) {
        if (strcmp(geomopt, "polyline6") == 0)
            geom = KMT_GEOM_POLYLINE6;
        else if (strcmp(geomopt, "geojson") == 0)
            geom = KMT_GEOM_GEOJSON;
        else if (strcmp(geomopt, "polyline") != 0)
            rc = kmt_cli_usage(argv[0], "--geometries expects polyline, polyline6 or geojson, got '%s'", geomopt);
    }
    coords pts = { 0 };
    kmt_error e;
    kmt_error_init(&e);
    for (int i = 0; !rc && i < np; i++)
        if (kmt_osrm_parse_coords(pos[i], &pts, &e)) rc = kmt_cli_error(&e);
    if (!rc && pts.n < 2) rc = kmt_cli_usage(argv[0], "a route needs at least two points LON,LAT, got %zu", pts.n);
    kmt_graph *g = NULL;
    if (!rc) rc = open_graph(argv[0], graph, &g);
    if (!rc) {
        kmt_snap *sn = kmt_calloc(pts.n, sizeof *sn);
        kmt_route r;
        kmt_query *q = kmt_query_new(g);
        if (kmt_osrm_snap_all(g, pts.v, pts.n, max_m, sn, &e))
            rc = kmt_cli_error(&e);
        else if ((rc = kmt_graph_route(q, sn, pts.n, &r, &e)) != 0) {
            if (rc == KMT_EUNREACH)
                printf("{\"code\":\"NoRoute\",\"message\":\"%s\"}\n", "Impossible route between points");
            rc = kmt_cli_error(&e);
        } else {
            kmt_json j;
            kmt_json_init(&j, stdout);
            kmt_osrm_route_json(&j, g, &r, sn, pts.n, geom);
            if (kmt_json_finish(&j)) rc = KMT_EXIT_INPUT;
            kmt_route_destroy(&r);
        }
        kmt_query_destroy(q);
        kmt_free(sn);
    }
    kmt_graph_close(g);
    KMT_VEC_FREE(pts);
    kmt_free(pos);
    return rc;
}
KMT_COMMAND("route", "fastest route through points (OSRM response shape)", run_route, ROUTE_HELP)

/* ---- table ------------------------------------------------------------------------- */

static const char TABLE_HELP[] =
    "Usage: kommute table --graph G (--points FILE.csv | --coords 'LON,LAT;LON,LAT;...')\n"
    "                     [--sources I;J;...] [--destinations I;J;...]\n"
    "                     [--annotations duration,distance] [-t THREADS] [--max-snap M]\n\n"
    "Many-to-many travel durations (s) and distances (m) in OSRM's table shape:\n"
    "durations, distances, sources, destinations. --points is a CSV with the\n"
    "columns lon and lat, one point per row (delimiter, decimal comma and\n"
    "encodings as in docs/data.md). Sources and destinations are indices\n"
    "into the points (default: all). Unreachable cells are null, as in OSRM.\n"
    "  --annotations   duration, distance or both (default duration,distance)\n"
    "  -t, --threads   threads to use (default 1)\n"
    "  --reference     compute with plain Dijkstra instead (slow; for checking)\n";

/* "0;2;5" -> indices, each < n */
typedef KMT_VEC(size_t) sizevec;

static int parse_indices(const char *cmd, const char *opt, const char *text, size_t n, sizevec *out)
{
    const char *p = text;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || (size_t)v >= n || (*end && *end != ';'))
            return kmt_cli_usage(cmd, "--%s expects indices 0..%zu separated by ';', got '%s'", opt, n ? n - 1 : 0,
                                 text);
        KMT_VEC_PUSH(*out, (size_t)v);
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int run_table(int argc, char **argv)
{
    const char *graph = NULL, *maxs = NULL, *points = NULL, *coordtext = NULL, *srcs = NULL, *dsts = NULL;
    const char *ann = "duration,distance", *threads = "1", *reference = NULL;
    kmt_opt opts[] = { { "graph", 'g', 1, &graph },       { "max-snap", 0, 1, &maxs },
                       { "points", 0, 1, &points },       { "coords", 0, 1, &coordtext },
                       { "sources", 0, 1, &srcs },        { "destinations", 0, 1, &dsts },
                       { "annotations", 0, 1, &ann },     { "threads", 't', 1, &threads },
                       { "reference", 0, 0, &reference }, { NULL, 0, 0, NULL } };
    const char **pos = kmt_malloc((size_t)argc * sizeof *pos);
    int np, rc = kmt_cli_parse(argc, argv, opts, pos, &np, TABLE_HELP);
    double max_m = 0;
    long nthreads = 1;
    int want_dur = 0, want_dist = 0;
    if (!rc && np) rc = kmt_cli_usage(argv[0], "unexpected argument '%s'", pos[0]);
    if (!rc && parse_max_snap(argv[0], maxs, &max_m)) rc = KMT_EXIT_USAGE;
    if (!rc && kmt_cli_int(argv[0], "threads", threads, 1, 64, &nthreads)) rc = KMT_EXIT_USAGE;
    if (!rc) {
        want_dur = strstr(ann, "duration") != NULL;
        want_dist = strstr(ann, "distance") != NULL;
        if (!want_dur && !want_dist)
            rc = kmt_cli_usage(argv[0], "--annotations expects duration, distance or duration,distance");
    }
    if (!rc && !points == !coordtext)
        rc = kmt_cli_usage(argv[0], "give the points with either --points FILE.csv or --coords");
    coords pts = { 0 };
    kmt_error e;
    kmt_error_init(&e);
    if (!rc && points && read_points_csv(points, &pts, &e)) rc = kmt_cli_error(&e);
    if (!rc && coordtext && kmt_osrm_parse_coords(coordtext, &pts, &e)) rc = kmt_cli_error(&e);
    sizevec si = { 0 }, di = { 0 };
    if (!rc && srcs) rc = parse_indices(argv[0], "sources", srcs, pts.n, &si);
    if (!rc && dsts) rc = parse_indices(argv[0], "destinations", dsts, pts.n, &di);
    for (size_t i = 0; !rc && !srcs && i < pts.n; i++) KMT_VEC_PUSH(si, i);
    for (size_t i = 0; !rc && !dsts && i < pts.n; i++) KMT_VEC_PUSH(di, i);
    kmt_graph *g = NULL;
    if (!rc) rc = open_graph(argv[0], graph, &g);
    if (!rc) {
        kmt_snap *sn = kmt_calloc(pts.n, sizeof *sn);
        if (kmt_osrm_snap_all(g, pts.v, pts.n, max_m, sn, &e)) rc = kmt_cli_error(&e);
        size_t ns = si.n, nd = di.n, ncell = 0;
        if (!rc && (kmt_mul_overflow(ns, nd, &ncell) || ncell > 100u * 1000 * 1000)) {
            kmt_error_set(&e, KMT_ETOOBIG, "a %zu x %zu table is over the limit of 100 million cells", ns, nd);
            rc = kmt_cli_error(&e);
        }
        if (!rc) {
            kmt_snap *src = kmt_malloc((ns ? ns : 1) * sizeof *src), *dst = kmt_malloc((nd ? nd : 1) * sizeof *dst);
            for (size_t i = 0; i < ns; i++) src[i] = sn[si.v[i]];
            for (size_t i = 0; i < nd; i++) dst[i] = sn[di.v[i]];
            double *dur = want_dur ? kmt_malloc((ncell ? ncell : 1) * sizeof *dur) : NULL;
            double *dist = want_dist ? kmt_malloc((ncell ? ncell : 1) * sizeof *dist) : NULL;
            if (reference) {
                kmt_query *q = kmt_query_new(g);
                rc = kmt_graph_table_dijkstra(q, src, ns, dst, nd, dur, dist, &e);
                kmt_query_destroy(q);
            } else {
                rc = kmt_graph_table(g, src, ns, dst, nd, (int)nthreads, dur, dist, &e);
            }
            if (rc)
                rc = kmt_cli_error(&e);
            else {
                kmt_json j;
                kmt_json_init(&j, stdout);
                kmt_osrm_table_json(&j, g, dur, dist, src, ns, dst, nd);
                if (kmt_json_finish(&j)) rc = KMT_EXIT_INPUT;
            }
            kmt_free(src), kmt_free(dst), kmt_free(dur), kmt_free(dist);
        }
        kmt_free(sn);
    }
    kmt_graph_close(g);
    KMT_VEC_FREE(pts);
    KMT_VEC_FREE(si);
    KMT_VEC_FREE(di);
    kmt_free(pos);
    return rc;
}
KMT_COMMAND("table", "many-to-many durations and distances (OSRM table shape)", run_table, TABLE_HELP)
