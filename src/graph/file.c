/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The .kgraph file: a fixed header (magic, version, byte-order mark, counts,
 * section table, CRC-32 of everything after the header) followed by
 * 64-byte-aligned sections of plain arrays. Opening maps it read-only and
 * checks everything that a query relies on, so a damaged or foreign file is
 * refused with a clear message instead of crashing a query later.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "graph_int.h"

#define ALIGN 64
#define GRID_CELL_M 120.0
#define GRID_MAX_CELLS (8u << 20)

static uint64_t align_up(uint64_t x)
{
    return (x + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
}

/* Spatial grid over sub-segments (consecutive point pairs of a segment). */
static void build_grid(build_graph *bg, kgraph_header *h, uint32_t **idx_out, uint32_t **ent_out, uint32_t *nent_out)
{
    double minlon = 1e9, minlat = 1e9, maxlon = -1e9, maxlat = -1e9;
    for (size_t i = 0; i < bg->points.n; i++) {
        double lon = kmt__e7(bg->points.v[i].lon_e7), lat = kmt__e7(bg->points.v[i].lat_e7);
        if (lon < minlon) minlon = lon;
        if (lon > maxlon) maxlon = lon;
        if (lat < minlat) minlat = lat;
        if (lat > maxlat) maxlat = lat;
    }
    h->min_lon = minlon, h->min_lat = minlat, h->max_lon = maxlon, h->max_lat = maxlat;
    h->cos_lat = cos((minlat + maxlat) * 0.5 * 3.14159265358979323846 / 180.0);
    double cell_lat = GRID_CELL_M / 111320.0, cell_lon = cell_lat / (h->cos_lat > 0.05 ? h->cos_lat : 0.05);
    uint64_t w, hh;
    for (;;) {
        w = (uint64_t)((maxlon - minlon) / cell_lon) + 1;
        hh = (uint64_t)((maxlat - minlat) / cell_lat) + 1;
        if (w * hh <= GRID_MAX_CELLS) break;
        cell_lat *= 1.5;
        cell_lon *= 1.5;
    }
    h->grid_w = (uint32_t)w, h->grid_h = (uint32_t)hh;
    h->grid_lon0 = minlon, h->grid_lat0 = minlat;
    h->grid_cell_deg_lon = cell_lon, h->grid_cell_deg_lat = cell_lat;
    size_t ncell = (size_t)w * hh;
    uint32_t *idx = kmt_calloc(ncell + 1, sizeof *idx);
    uint32_t *ent = NULL;
    size_t nseg = bg->segs.n;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t s = 0; s < nseg; s++) {
            uint32_t a = bg->segs.v[s].geo_off;
            uint32_t b = s + 1 < nseg ? bg->segs.v[s + 1].geo_off : (uint32_t)bg->points.n;
            for (uint32_t k = a; k + 1 < b; k++) {
                double x0 = kmt__e7(bg->points.v[k].lon_e7), y0 = kmt__e7(bg->points.v[k].lat_e7);
                double x1 = kmt__e7(bg->points.v[k + 1].lon_e7), y1 = kmt__e7(bg->points.v[k + 1].lat_e7);
                uint32_t cx0 = (uint32_t)((fmin(x0, x1) - minlon) / cell_lon);
                uint32_t cx1 = (uint32_t)((fmax(x0, x1) - minlon) / cell_lon);
                uint32_t cy0 = (uint32_t)((fmin(y0, y1) - minlat) / cell_lat);
                uint32_t cy1 = (uint32_t)((fmax(y0, y1) - minlat) / cell_lat);
                if (cx1 >= w) cx1 = (uint32_t)w - 1;
                if (cy1 >= hh) cy1 = (uint32_t)hh - 1;
                for (uint32_t cy = cy0; cy <= cy1; cy++)
                    for (uint32_t cx = cx0; cx <= cx1; cx++) {
                        size_t cell = (size_t)cy * w + cx;
                        if (pass == 0)
                            idx[cell + 1]++;
                        else
                            ent[idx[cell]++] = k;
                    }
            }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncell; c++) idx[c + 1] += idx[c];
            ent = kmt_malloc((idx[ncell] ? idx[ncell] : 1) * sizeof *ent);
        } else {
            for (size_t c = ncell; c > 0; c--) idx[c] = idx[c - 1];
            idx[0] = 0;
        }
    }
    *nent_out = idx[ncell];
    *idx_out = idx;
    *ent_out = ent;
}

typedef struct {
    unsigned char *img;
    size_t size;
} image;

static int write_image(FILE *f, void *ctx)
{
    image *im = ctx;
    return fwrite(im->img, 1, im->size, f) == im->size ? KMT_OK : KMT_EIO;
}

int kmt__graph_write(build_graph *bg, const char *path, kmt_graph_build_stats *st, kmt_error *e)
{
    kgraph_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, KGRAPH_MAGIC, 8);
    h.version = KGRAPH_VERSION;
    h.endian = KGRAPH_ENDIAN;
    h.profile = (uint32_t)bg->profile;
    h.nodes = bg->n;
    h.segs = (uint32_t)bg->segs.n;
    h.points = (uint32_t)bg->points.n;
    h.arcs_out = bg->nout;
    h.arcs_in = bg->nin;
    uint32_t *grid_idx, *grid, ngrid;
    build_grid(bg, &h, &grid_idx, &grid, &ngrid);
    /* sentinel segment: geo_off = npoints */
    kgraph_seg sentinel;
    memset(&sentinel, 0, sizeof sentinel);
    sentinel.geo_off = (uint32_t)bg->points.n;
    KMT_VEC_PUSH(bg->segs, sentinel);

    const void *data[SEC_COUNT] = { bg->node_xy.v, bg->segs.v, bg->points.v, bg->out_idx, bg->out,
                                    bg->in_idx,    bg->in,     grid_idx,     grid,        bg->names.v };
    uint64_t sizes[SEC_COUNT] = { (uint64_t)bg->n * sizeof(kgraph_point),
                                  (uint64_t)bg->segs.n * sizeof(kgraph_seg),
                                  (uint64_t)bg->points.n * sizeof(kgraph_point),
                                  ((uint64_t)bg->n + 1) * 4,
                                  (uint64_t)bg->nout * sizeof(kgraph_arc),
                                  ((uint64_t)bg->n + 1) * 4,
                                  (uint64_t)bg->nin * sizeof(kgraph_arc),
                                  ((uint64_t)h.grid_w * h.grid_h + 1) * 4,
                                  (uint64_t)ngrid * 4,
                                  bg->names.n };
    uint64_t off = align_up(sizeof h);
    for (int s = 0; s < SEC_COUNT; s++) {
        h.sec_off[s] = off;
        h.sec_size[s] = sizes[s];
        off = align_up(off + sizes[s]);
    }
    h.file_size = off;
    image im = { kmt_calloc(off, 1), off };
    for (int s = 0; s < SEC_COUNT; s++)
        if (sizes[s]) memcpy(im.img + h.sec_off[s], data[s], sizes[s]);
    h.checksum = (uint32_t)crc32(0L, im.img + sizeof h, (uInt)(off - sizeof h));
    memcpy(im.img, &h, sizeof h);
    bg->segs.n--; /* drop the sentinel again */
    kmt_free(grid_idx);
    kmt_free(grid);
    kmt_progress prog;
    kmt_progress_begin(&prog, "writing graph", 0);
    int rc = kmt_write_file_atomic(path, write_image, &im, e);
    kmt_progress_end(&prog);
    kmt_free(im.img);
    st->file_bytes = off;
    return rc;
}

/* ---- opening ---------------------------------------------------------- */

static int bad(kmt_error *e, const char *path, const char *what)
{
    return kmt_error_at(e, KMT_ECORRUPT, path, 0, 0, NULL,
                        "corrupt graph file (%s); rebuild it with 'kommute graph build'", what);
}

int kmt__graph_attach(kmt_graph *g, const unsigned char *map, size_t size, const char *path, kmt_error *e)
{
    if (size < sizeof(kgraph_header) || memcmp(map, KGRAPH_MAGIC, 8) != 0)
        return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL,
                            "not a kommute graph file (expected a .kgraph written by 'kommute graph build')");
    const kgraph_header *h = (const kgraph_header *)map;
    if (h->endian != KGRAPH_ENDIAN) return bad(e, path, "byte order mark");
    if (h->version != KGRAPH_VERSION)
        return kmt_error_at(e, KMT_EVERSION, path, 0, 0, NULL,
                            "graph file format version %u, this kommute reads version %u; rebuild it with "
                            "'kommute graph build'",
                            h->version, KGRAPH_VERSION);
    if (h->file_size != size) return bad(e, path, "file size differs from the header: truncated?");
    uint32_t crc = (uint32_t)crc32(0L, map + sizeof *h, (uInt)(size - sizeof *h));
    if (crc != h->checksum) return bad(e, path, "checksum mismatch");
    uint64_t expect[SEC_COUNT] = { (uint64_t)h->nodes * sizeof(kgraph_point),
                                   ((uint64_t)h->segs + 1) * sizeof(kgraph_seg),
                                   (uint64_t)h->points * sizeof(kgraph_point),
                                   ((uint64_t)h->nodes + 1) * 4,
                                   (uint64_t)h->arcs_out * sizeof(kgraph_arc),
                                   ((uint64_t)h->nodes + 1) * 4,
                                   (uint64_t)h->arcs_in * sizeof(kgraph_arc),
                                   ((uint64_t)h->grid_w * h->grid_h + 1) * 4,
                                   0,
                                   0 };
    for (int s = 0; s < SEC_COUNT; s++) {
        if (h->sec_off[s] % 8 || h->sec_off[s] > size || h->sec_size[s] > size - h->sec_off[s])
            return bad(e, path, "section outside the file");
        if (expect[s] && h->sec_size[s] != expect[s]) return bad(e, path, "section size");
    }
    if (h->profile > KMT_PROFILE_FOOT || h->nodes == 0 || h->points < 2 || h->grid_w == 0 || h->grid_h == 0)
        return bad(e, path, "header values");
    if (!(isfinite(h->grid_lon0) && isfinite(h->grid_lat0) && h->grid_cell_deg_lon > 1e-9 &&
          h->grid_cell_deg_lon < 360 && h->grid_cell_deg_lat > 1e-9 && h->grid_cell_deg_lat < 180 && h->cos_lat > 0 &&
          h->cos_lat <= 1))
        return bad(e, path, "grid parameters");
    g->map = map;
    g->map_size = size;
    g->h = h;
    g->n = h->nodes;
    g->nseg = h->segs;
    g->npoints = h->points;
    g->nodes = (const kgraph_point *)(map + h->sec_off[SEC_NODES]);
    g->segs = (const kgraph_seg *)(map + h->sec_off[SEC_SEGS]);
    g->points = (const kgraph_point *)(map + h->sec_off[SEC_POINTS]);
    g->out_idx = (const uint32_t *)(map + h->sec_off[SEC_OUT_IDX]);
    g->out = (const kgraph_arc *)(map + h->sec_off[SEC_OUT]);
    g->in_idx = (const uint32_t *)(map + h->sec_off[SEC_IN_IDX]);
    g->in = (const kgraph_arc *)(map + h->sec_off[SEC_IN]);
    g->grid_idx = (const uint32_t *)(map + h->sec_off[SEC_GRID_IDX]);
    g->grid = (const uint32_t *)(map + h->sec_off[SEC_GRID]);
    g->names = (const char *)(map + h->sec_off[SEC_NAMES]);
    uint64_t nnames = h->sec_size[SEC_NAMES];
    if (nnames == 0 || g->names[nnames - 1] != '\0') return bad(e, path, "names");
    /* Structure: everything a query indexes must be in range. */
    for (uint32_t s = 0; s < g->nseg; s++) {
        const kgraph_seg *sg = &g->segs[s];
        if (sg->u >= g->n || sg->v >= g->n || sg->name_off >= nnames || sg->road_class >= RC_COUNT ||
            sg->geo_off >= g->segs[s + 1].geo_off || g->segs[s + 1].geo_off - sg->geo_off < 2)
            return bad(e, path, "segment table");
    }
    if (g->segs[g->nseg].geo_off != g->npoints || g->segs[0].geo_off != 0) return bad(e, path, "segment table");
    for (int side = 0; side < 2; side++) {
        const uint32_t *idx = side ? g->in_idx : g->out_idx;
        const kgraph_arc *arcs = side ? g->in : g->out;
        uint32_t narcs = side ? h->arcs_in : h->arcs_out;
        if (idx[0] != 0 || idx[g->n] != narcs) return bad(e, path, "arc index");
        for (uint32_t v = 0; v < g->n; v++)
            if (idx[v] > idx[v + 1]) return bad(e, path, "arc index");
        /* Nodes are numbered by rank, highest first: upward arcs lead to smaller
         * numbers and a shortcut's middle node is larger than both its ends. This
         * order is what makes searches and unpacking terminate. */
        for (uint32_t v = 0; v < g->n; v++)
            for (uint32_t a = idx[v]; a < idx[v + 1]; a++) {
                uint32_t pl = arcs[a].payload, t = arcs[a].target;
                if (t >= v) return bad(e, path, "arc order");
                if ((pl & ARC_ORIG) ? (pl & ARC_SEG_MASK) >= g->nseg : (pl >= g->n || pl <= v))
                    return bad(e, path, "arc payload");
            }
    }
    size_t ncell = (size_t)h->grid_w * h->grid_h;
    uint64_t ngrid = h->sec_size[SEC_GRID] / 4;
    if (g->grid_idx[0] != 0 || g->grid_idx[ncell] != ngrid) return bad(e, path, "grid index");
    for (size_t c = 0; c < ncell; c++)
        if (g->grid_idx[c] > g->grid_idx[c + 1]) return bad(e, path, "grid index");
    for (uint64_t i = 0; i < ngrid; i++) /* a sub-segment starts at points[k] and ends at points[k + 1] */
        if (g->grid[i] >= g->npoints - 1) return bad(e, path, "grid entry");
    return KMT_OK;
}

int kmt_graph_open(const char *path, kmt_graph **out, kmt_error *e)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot open graph: %s%s", strerror(errno),
                            errno == ENOENT ? " (build one with 'kommute graph build AREA.osm.pbf -o FILE')" : "");
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    if (size < sizeof(kgraph_header)) {
        close(fd);
        return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL,
                            "not a kommute graph file (%zu bytes; too short for the header)", size);
    }
    const unsigned char *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot map: %s", strerror(errno));
    kmt_graph *g = kmt_calloc(1, sizeof *g);
    int rc = kmt__graph_attach(g, map, size, path, e);
    if (rc) {
        munmap((void *)map, size);
        kmt_free(g);
        return rc;
    }
    *out = g;
    return KMT_OK;
}

void kmt_graph_close(kmt_graph *g)
{
    if (!g) return;
    if (g->owned_copy)
        kmt_free((void *)g->map);
    else
        munmap((void *)g->map, g->map_size);
    kmt_free(g);
}

void kmt_graph_get_info(const kmt_graph *g, kmt_graph_info *info)
{
    info->profile = (kmt_profile)g->h->profile;
    info->nodes = g->n;
    info->edges = g->h->arcs_out + g->h->arcs_in;
    info->segments = g->nseg;
    info->min = (kmt_coord){ g->h->min_lon, g->h->min_lat };
    info->max = (kmt_coord){ g->h->max_lon, g->h->max_lat };
}

void kmt_graph_road_info(const kmt_graph *g, const kmt_snap *s, kmt_road_info *info)
{
    kmt_graph_segment_info(g, s->segment, info);
}

uint32_t kmt_graph_segment_count(const kmt_graph *g)
{
    return g->nseg;
}

size_t kmt_graph_segment_geometry(const kmt_graph *g, uint32_t segment, kmt_coord *out, size_t max)
{
    if (segment >= g->nseg) return 0;
    uint32_t a = g->segs[segment].geo_off, b = g->segs[segment + 1].geo_off;
    for (uint32_t k = a; out && k < b && k - a < max; k++)
        out[k - a] = (kmt_coord){ kmt__e7(g->points[k].lon_e7), kmt__e7(g->points[k].lat_e7) };
    return b - a;
}

void kmt_graph_segment_info(const kmt_graph *g, uint32_t segment, kmt_road_info *info)
{
    memset(info, 0, sizeof *info);
    if (segment >= g->nseg) return;
    const kgraph_seg *sg = &g->segs[segment];
    info->way_id = sg->way_id;
    info->name = g->names + sg->name_off;
    info->road_class = kmt__road_class_names[sg->road_class];
    info->maxspeed_kmh = sg->maxspeed;
    info->speed_fwd_kmh = sg->speed_fwd_x10 / 10.0;
    info->speed_bwd_kmh = sg->speed_bwd_x10 / 10.0;
    info->oneway = (sg->flags & SEG_ONEWAY) != 0;
    info->length_m = sg->dist_dm / 10.0;
    info->duration_fwd_s = sg->dur_fwd == DUR_NONE ? NAN : sg->dur_fwd / 10.0;
    info->duration_bwd_s = sg->dur_bwd == DUR_NONE ? NAN : sg->dur_bwd / 10.0;
}
