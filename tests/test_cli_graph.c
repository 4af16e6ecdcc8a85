/* SPDX-License-Identifier: MPL-2.0 */
/* The graph commands as a user runs them: output shapes, exit codes, messages. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

static const char *cli_graph(void)
{
    static char path[512];
    if (path[0]) return path;
    snprintf(path, sizeof path, "%s/cli.kgraph", kmt_test_tmpdir());
    char args[1200];
    snprintf(args, sizeof args, "graph build data/osm/oslo-east-roads.osm.pbf -o %s", path);
    char *out = NULL;
    int rc = kmt_test_run(args, &out, NULL);
    if (rc != 0) kmt_test_fail(__FILE__, __LINE__, "graph build exited %d", rc);
    ASSERT_CONTAINS(out, "nodes");
    free(out);
    return path;
}

/* Run "fmt" with the graph path substituted for %s; check the exit code and
 * return stdout+stderr joined by a NUL-free separator for assertions. */
static char *run(int want_rc, const char *fmt)
{
    char args[4096];
    snprintf(args, sizeof args, fmt, cli_graph());
    char *out = NULL, *err = NULL;
    int rc = kmt_test_run(args, &out, &err);
    size_t n = (out ? strlen(out) : 0) + (err ? strlen(err) : 0) + 16;
    char *all = malloc(n);
    snprintf(all, n, "%s\n--stderr--\n%s", out ? out : "", err ? err : "");
    free(out);
    free(err);
    if (rc != want_rc) {
        static char shown[700];
        snprintf(shown, sizeof shown, "%.600s", all);
        free(all);
        kmt_test_fail(__FILE__, __LINE__, "'kommute %s' exited %d, expected %d:\n%s", args, rc, want_rc, shown);
    }
    return all;
}

KMT_TEST(cli_help_and_version)
{
    char *s = run(0, "--version");
    ASSERT_CONTAINS(s, "kommute 0.");
    free(s);
    s = run(0, "--help");
    ASSERT_CONTAINS(s, "graph build");
    ASSERT_CONTAINS(s, "Exit codes");
    free(s);
    s = run(0, "route --help");
    ASSERT_CONTAINS(s, "Usage: kommute route");
    free(s);
    s = run(2, "nosuchcommand");
    ASSERT_CONTAINS(s, "unknown command");
    free(s);
    s = run(2, "graph");
    ASSERT_CONTAINS(s, "graph build");
    free(s);
}

KMT_TEST(cli_route_osrm_shape)
{
    char *s = run(0, "route --graph %s 10.75,59.91 10.80,59.92");
    ASSERT_CONTAINS(s, "{\"code\":\"Ok\",\"routes\":[{\"geometry\":\"");
    ASSERT_CONTAINS(s, "\"duration\":");
    ASSERT_CONTAINS(s, "\"distance\":");
    ASSERT_CONTAINS(s, "\"waypoints\":[{");
    free(s);
    s = run(0, "route --graph %s '10.75,59.91;10.80,59.92' --geometries geojson");
    ASSERT_CONTAINS(s, "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[");
    free(s);
}

KMT_TEST(cli_table_osrm_shape_and_points_file)
{
    char csv[600];
    snprintf(csv, sizeof csv, "%s/pts.csv", kmt_test_tmpdir());
    FILE *f = fopen(csv, "w");
    fputs("lon,lat\n10.75,59.91\n10.80,59.92\r\n10.78,59.88\n", f);
    fclose(f);
    char fmt[1200];
    snprintf(fmt, sizeof fmt, "table --graph %%s --points %s -t 2", csv);
    char *s = run(0, fmt);
    ASSERT_CONTAINS(s, "{\"code\":\"Ok\",\"durations\":[[0,");
    ASSERT_CONTAINS(s, "\"distances\":[[0,");
    ASSERT_CONTAINS(s, "\"sources\":[{");
    ASSERT_CONTAINS(s, "\"destinations\":[{");
    free(s);
    s = run(0, "table --graph %s --coords '10.75,59.91;10.80,59.92;10.78,59.88' --sources 0 --destinations '1;2' "
               "--annotations duration");
    ASSERT(strstr(s, "\"durations\":[[") != NULL);
    ASSERT(strstr(s, "\"distances\"") == NULL);
    free(s);
}

KMT_TEST(cli_bad_input_messages_and_exit_codes)
{
    char *s = run(1, "route --graph %s 10.75,59.91 5,5");
    ASSERT_CONTAINS(s, "point 2: coordinate 5.000000,5.000000 is");
    ASSERT_CONTAINS(s, "m from the nearest road");
    free(s);
    s = run(1, "route --graph %s '10.75,59.91' '10.8;59.9'");
    ASSERT_CONTAINS(s, "expected LON,LAT");
    free(s);
    s = run(1, "route --graph %s 10.75,59.91 10.80,95.0");
    ASSERT_CONTAINS(s, "latitude in [-90,90]");
    free(s);
    s = run(2, "route --graph %s 10.75,59.91");
    ASSERT_CONTAINS(s, "at least two points");
    free(s);
    s = run(2, "route 10.75,59.91 10.80,59.92");
    ASSERT_CONTAINS(s, "--graph");
    free(s);
    s = run(1, "route --graph /nonexistent.kgraph 10.75,59.91 10.80,59.92");
    ASSERT_CONTAINS(s, "cannot open graph");
    free(s);
    s = run(1, "graph info data/osm/README.md");
    ASSERT_CONTAINS(s, "not a kommute graph file");
    free(s);
    s = run(2, "graph build data/osm/oslo-east-roads.osm.pbf");
    ASSERT_CONTAINS(s, "-o AREA.kgraph");
    free(s);
    s = run(2, "graph build data/osm/oslo-east-roads.osm.pbf -o x.kgraph --profile tractor");
    ASSERT_CONTAINS(s, "unknown profile 'tractor'");
    free(s);
    s = run(1, "graph build /nonexistent.osm.pbf -o /tmp/x.kgraph");
    ASSERT_CONTAINS(s, "/nonexistent.osm.pbf");
    free(s);
    s = run(2, "table --graph %s --coords '10.75,59.91' --sources 5");
    ASSERT_CONTAINS(s, "--sources expects indices");
    free(s);
    s = run(2, "table --graph %s --coords '10.75,59.91' -t 0");
    ASSERT_CONTAINS(s, "--threads expects a whole number");
    free(s);
    char csv[600], fmt[1200];
    snprintf(csv, sizeof csv, "%s/bad.csv", kmt_test_tmpdir());
    FILE *f = fopen(csv, "w");
    fputs("lon,lat\n10.75,59.91\n10.80,abc\n", f);
    fclose(f);
    snprintf(fmt, sizeof fmt, "table --graph %%s --points %s", csv);
    s = run(1, fmt);
    ASSERT_CONTAINS(s, "bad.csv:3:2: field 'lat': expected a number");
    free(s);
    f = fopen(csv, "w");
    fputs("x,y\n1,2\n", f);
    fclose(f);
    s = run(1, fmt);
    ASSERT_CONTAINS(s, "bad.csv:1: expected a header with the columns lon,lat");
    free(s);
}

KMT_TEST(cli_unreachable_is_noroute)
{
    /* two separate streets kept with --all-components: no route between them */
    char pbf[600], g[600], args[2000];
    snprintf(pbf, sizeof pbf, "%s/two.osm.pbf", kmt_test_tmpdir());
    snprintf(g, sizeof g, "%s/two.kgraph", kmt_test_tmpdir());
    FILE *f = fopen(pbf, "wb");
    fclose(f);
    /* write the map with the library's PBF writer */
    extern void kmt_test_write_two_streets(const char *path);
    kmt_test_write_two_streets(pbf);
    snprintf(args, sizeof args, "graph build %s -o %s --all-components", pbf, g);
    ASSERT_EQ_INT(kmt_test_run(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "route --graph %s 10.7,59.9 10.71,59.9", g);
    char *out = NULL, *err = NULL;
    ASSERT_EQ_INT(kmt_test_run(args, &out, &err), 1);
    ASSERT_CONTAINS(out, "\"code\":\"NoRoute\"");
    ASSERT_CONTAINS(err, "no route from point 1");
    free(out);
    free(err);
    snprintf(args, sizeof args, "table --graph %s --coords '10.7,59.9;10.71,59.9'", g);
    ASSERT_EQ_INT(kmt_test_run(args, &out, NULL), 0);
    ASSERT_CONTAINS(out, "\"durations\":[[0,null],[null,0]]");
    free(out);
}
