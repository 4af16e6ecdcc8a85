/* SPDX-License-Identifier: MPL-2.0 */
/*
 * .osm.pbf reader and writer: a protobuf decoder just large enough for the
 * OSM PBF format (fileformat.proto and osmformat.proto), on zlib.
 * File: repeated [uint32 BE length][BlobHeader][Blob]; a Blob holds a
 * HeaderBlock or a PrimitiveBlock, raw or zlib-compressed.
 */
#define _GNU_SOURCE
#include "kommute/osm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_HEADER_SIZE (64u * 1024)
#define MAX_BLOB_SIZE (32u * 1024 * 1024)

/* ---- protobuf decoding --------------------------------------------- */

typedef struct {
    const uint8_t *p, *end;
    int bad;
} pb;

static uint64_t pb_varint(pb *b)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (b->p >= b->end) {
            b->bad = 1;
            return 0;
        }
        uint8_t c = *b->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return v;
    }
    b->bad = 1;
    return 0;
}

static int64_t pb_zigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Next field: returns 0 at end or on error; sets field number and wire type;
 * for length-delimited fields sets sub to the payload. */
static int pb_next(pb *b, uint32_t *field, uint32_t *wire, pb *sub, uint64_t *value)
{
    if (b->bad || b->p >= b->end) return 0;
    uint64_t key = pb_varint(b);
    *field = (uint32_t)(key >> 3);
    *wire = (uint32_t)(key & 7);
    switch (*wire) {
    case 0: *value = pb_varint(b); break;
    case 1:
        if (b->end - b->p < 8)
            b->bad = 1;
        else
            b->p += 8;
        break;
    case 2: {
        uint64_t len = pb_varint(b);
        if (b->bad || len > (uint64_t)(b->end - b->p)) {
            b->bad = 1;
            return 0;
        }
        sub->p = b->p;
        sub->end = b->p + len;
        sub->bad = 0;
        b->p += len;
        break;
    }
    case 5:
        if (b->end - b->p < 4)
            b->bad = 1;
        else
            b->p += 4;
        break;
    default: b->bad = 1;
    }
    return !b->bad;
}

/* ---- reader state --------------------------------------------------- */

typedef struct {
    const kmt_osm_handler *h;
    void *ctx;
    const char *path;
    kmt_error *e;
    uint64_t offset; /* of the current blob, for messages */
    /* string table of the current block */
    char *pool;
    size_t pool_cap;
    const char **strs;
    uint32_t *slen;
    size_t nstrs, strs_cap;
    /* scratch */
    KMT_VEC(kmt_osm_tag) tags;
    KMT_VEC(int64_t) refs;
    KMT_VEC(kmt_osm_member) members;
    uint8_t *inflated;
    size_t inflated_cap;
} reader;

static int corrupt(reader *r, const char *what)
{
    return kmt_error_at(r->e, KMT_EINVAL, r->path, 0, 0, NULL,
                        "not a valid OSM PBF file: %s (in the block at byte %llu)", what,
                        (unsigned long long)r->offset);
}

static int load_stringtable(reader *r, pb st)
{
    uint32_t f, w;
    uint64_t v;
    pb s;
    size_t need = 0, n = 0;
    pb scan = st;
    while (pb_next(&scan, &f, &w, &s, &v))
        if (f == 1 && w == 2) {
            need += (size_t)(s.end - s.p) + 1;
            n++;
        }
    if (scan.bad) return corrupt(r, "bad string table");
    if (need > r->pool_cap) {
        r->pool = kmt_realloc(r->pool, need);
        r->pool_cap = need;
    }
    if (n > r->strs_cap) {
        r->strs = kmt_realloc(r->strs, n * sizeof *r->strs);
        r->slen = kmt_realloc(r->slen, n * sizeof *r->slen);
        r->strs_cap = n;
    }
    size_t off = 0;
    r->nstrs = 0;
    while (pb_next(&st, &f, &w, &s, &v))
        if (f == 1 && w == 2) {
            size_t len = (size_t)(s.end - s.p);
            memcpy(r->pool + off, s.p, len);
            r->pool[off + len] = '\0';
            r->strs[r->nstrs] = r->pool + off;
            r->slen[r->nstrs] = (uint32_t)len;
            r->nstrs++;
            off += len + 1;
        }
    return KMT_OK;
}

static const char *str_at(reader *r, uint64_t i)
{
    return i < r->nstrs ? r->strs[i] : NULL;
}

/* Tags from parallel packed keys/vals arrays. */
static int collect_tags(reader *r, pb keys, pb vals)
{
    r->tags.n = 0;
    while (keys.p < keys.end) {
        uint64_t k = pb_varint(&keys), v = pb_varint(&vals);
        const char *ks = str_at(r, k), *vs = str_at(r, v);
        if (keys.bad || vals.bad || !ks || !vs) return corrupt(r, "tag index outside the string table");
        KMT_VEC_PUSH(r->tags, ((kmt_osm_tag){ ks, vs }));
    }
    return KMT_OK;
}

typedef struct {
    int64_t granularity, lat_offset, lon_offset;
} block_params;

/* Nanodegrees = offset + granularity * raw, in 1e-7 degrees. Valid files give
 * |value| <= 180 degrees; damaged ones are clamped instead of overflowing. */
static int32_t to_e7(int64_t raw, int64_t offset, int64_t granularity)
{
    if (granularity > 0 && granularity <= 1000000 && raw > -(INT64_C(1) << 40) && raw < (INT64_C(1) << 40) &&
        offset > -(INT64_C(1) << 50) && offset < (INT64_C(1) << 50)) {
        int64_t nano = offset + granularity * raw;
        int64_t e7 = nano >= 0 ? (nano + 50) / 100 : (nano - 50) / 100;
        if (e7 >= INT32_MIN && e7 <= INT32_MAX) return (int32_t)e7;
    }
    return INT32_MAX; /* out of any valid range: kmt_geo_valid rejects it downstream */
}

/* Delta decoding wraps like the unsigned arithmetic writers use. */
static int64_t add_delta(int64_t base, int64_t delta)
{
    return (int64_t)((uint64_t)base + (uint64_t)delta);
}

static int parse_dense(reader *r, pb d, const block_params *bp)
{
    uint32_t f, w;
    uint64_t v;
    pb s, ids = { 0 }, lats = { 0 }, lons = { 0 }, kv = { 0 };
    while (pb_next(&d, &f, &w, &s, &v)) {
        if (w != 2) continue;
        if (f == 1)
            ids = s;
        else if (f == 8)
            lats = s;
        else if (f == 9)
            lons = s;
        else if (f == 10)
            kv = s;
    }
    if (d.bad) return corrupt(r, "bad dense nodes");
    int64_t id = 0, lat = 0, lon = 0;
    while (ids.p && ids.p < ids.end) {
        id = add_delta(id, pb_zigzag(pb_varint(&ids)));
        lat = add_delta(lat, pb_zigzag(pb_varint(&lats)));
        lon = add_delta(lon, pb_zigzag(pb_varint(&lons)));
        if (ids.bad || lats.bad || lons.bad) return corrupt(r, "dense node arrays of different lengths");
        r->tags.n = 0;
        if (kv.p) {
            for (;;) {
                if (kv.p >= kv.end) break;
                uint64_t k = pb_varint(&kv);
                if (k == 0) break;
                uint64_t val = pb_varint(&kv);
                const char *ks = str_at(r, k), *vs = str_at(r, val);
                if (kv.bad || !ks || !vs) return corrupt(r, "dense node tag outside the string table");
                KMT_VEC_PUSH(r->tags, ((kmt_osm_tag){ ks, vs }));
            }
        }
        if (r->h->node) {
            int rc = r->h->node(r->ctx, id, to_e7(lat, bp->lat_offset, bp->granularity),
                                to_e7(lon, bp->lon_offset, bp->granularity), r->tags.v, r->tags.n);
            if (rc) return rc;
        }
    }
    return KMT_OK;
}

static int parse_node(reader *r, pb n, const block_params *bp)
{
    uint32_t f, w;
    uint64_t v;
    pb s, keys = { 0 }, vals = { 0 };
    int64_t id = 0, lat = 0, lon = 0;
    while (pb_next(&n, &f, &w, &s, &v)) {
        if (f == 1 && w == 0)
            id = pb_zigzag(v);
        else if (f == 2 && w == 2)
            keys = s;
        else if (f == 3 && w == 2)
            vals = s;
        else if (f == 8 && w == 0)
            lat = pb_zigzag(v);
        else if (f == 9 && w == 0)
            lon = pb_zigzag(v);
    }
    if (n.bad) return corrupt(r, "bad node");
    int rc = collect_tags(r, keys, vals);
    if (rc) return rc;
    if (!r->h->node) return KMT_OK;
    return r->h->node(r->ctx, id, to_e7(lat, bp->lat_offset, bp->granularity),
                      to_e7(lon, bp->lon_offset, bp->granularity), r->tags.v, r->tags.n);
}

static int parse_way(reader *r, pb wy)
{
    uint32_t f, w;
    uint64_t v;
    pb s, keys = { 0 }, vals = { 0 }, refs = { 0 };
    int64_t id = 0;
    while (pb_next(&wy, &f, &w, &s, &v)) {
        if (f == 1 && w == 0)
            id = (int64_t)v;
        else if (f == 2 && w == 2)
            keys = s;
        else if (f == 3 && w == 2)
            vals = s;
        else if (f == 8 && w == 2)
            refs = s;
    }
    if (wy.bad) return corrupt(r, "bad way");
    int rc = collect_tags(r, keys, vals);
    if (rc) return rc;
    r->refs.n = 0;
    int64_t ref = 0;
    while (refs.p && refs.p < refs.end) {
        ref = add_delta(ref, pb_zigzag(pb_varint(&refs)));
        if (refs.bad) return corrupt(r, "bad way node list");
        KMT_VEC_PUSH(r->refs, ref);
    }
    if (!r->h->way) return KMT_OK;
    return r->h->way(r->ctx, id, r->refs.v, r->refs.n, r->tags.v, r->tags.n);
}

static int parse_relation(reader *r, pb rel)
{
    uint32_t f, w;
    uint64_t v;
    pb s, keys = { 0 }, vals = { 0 }, roles = { 0 }, memids = { 0 }, types = { 0 };
    int64_t id = 0;
    while (pb_next(&rel, &f, &w, &s, &v)) {
        if (f == 1 && w == 0)
            id = (int64_t)v;
        else if (f == 2 && w == 2)
            keys = s;
        else if (f == 3 && w == 2)
            vals = s;
        else if (f == 8 && w == 2)
            roles = s;
        else if (f == 9 && w == 2)
            memids = s;
        else if (f == 10 && w == 2)
            types = s;
    }
    if (rel.bad) return corrupt(r, "bad relation");
    int rc = collect_tags(r, keys, vals);
    if (rc) return rc;
    r->members.n = 0;
    int64_t ref = 0;
    while (memids.p && memids.p < memids.end) {
        ref = add_delta(ref, pb_zigzag(pb_varint(&memids)));
        uint64_t role = roles.p ? pb_varint(&roles) : 0;
        uint64_t type = types.p ? pb_varint(&types) : 0;
        const char *rs = str_at(r, role);
        if (memids.bad || roles.bad || types.bad || !rs || type > 2) return corrupt(r, "bad relation member list");
        KMT_VEC_PUSH(r->members, ((kmt_osm_member){ (kmt_osm_type)type, ref, rs }));
    }
    if (!r->h->relation) return KMT_OK;
    return r->h->relation(r->ctx, id, r->members.v, r->members.n, r->tags.v, r->tags.n);
}

static int parse_primitive_block(reader *r, pb blk)
{
    uint32_t f, w;
    uint64_t v;
    pb s, st = { 0 };
    block_params bp = { 100, 0, 0 };
    pb scan = blk;
    int have_st = 0;
    while (pb_next(&scan, &f, &w, &s, &v)) {
        if (f == 1 && w == 2) {
            st = s;
            have_st = 1;
        } else if (f == 17 && w == 0)
            bp.granularity = (int64_t)v;
        else if (f == 19 && w == 0)
            bp.lat_offset = (int64_t)v;
        else if (f == 20 && w == 0)
            bp.lon_offset = (int64_t)v;
    }
    if (scan.bad) return corrupt(r, "bad primitive block");
    r->nstrs = 0;
    if (have_st) {
        int rc = load_stringtable(r, st);
        if (rc) return rc;
    }
    while (pb_next(&blk, &f, &w, &s, &v)) {
        if (f != 2 || w != 2) continue;
        pb grp = s, el;
        uint32_t gf, gw;
        uint64_t gv;
        while (pb_next(&grp, &gf, &gw, &el, &gv)) {
            if (gw != 2) continue;
            int rc = KMT_OK;
            if (gf == 1)
                rc = parse_node(r, el, &bp);
            else if (gf == 2)
                rc = parse_dense(r, el, &bp);
            else if (gf == 3)
                rc = parse_way(r, el);
            else if (gf == 4)
                rc = parse_relation(r, el);
            if (rc) return rc;
        }
        if (grp.bad) return corrupt(r, "bad primitive group");
    }
    return blk.bad ? corrupt(r, "bad primitive block") : KMT_OK;
}

static int check_header_block(reader *r, pb hb)
{
    uint32_t f, w;
    uint64_t v;
    pb s;
    while (pb_next(&hb, &f, &w, &s, &v)) {
        if (f != 4 || w != 2) continue;
        size_t len = (size_t)(s.end - s.p);
        if ((len == 14 && memcmp(s.p, "OsmSchema-V0.6", 14) == 0) || (len == 10 && memcmp(s.p, "DenseNodes", 10) == 0))
            continue;
        return kmt_error_at(r->e, KMT_EINVAL, r->path, 0, 0, NULL,
                            "the PBF file requires the feature '%.*s', which kommute does not support", (int)len,
                            (const char *)s.p);
    }
    return hb.bad ? corrupt(r, "bad header block") : KMT_OK;
}

/* Decode a Blob into r->inflated (or point at raw data). */
static int blob_data(reader *r, pb blob, pb *out)
{
    uint32_t f, w;
    uint64_t v, raw_size = 0;
    pb s, raw = { 0 }, z = { 0 };
    int have_raw = 0, have_z = 0, other = 0;
    while (pb_next(&blob, &f, &w, &s, &v)) {
        if (f == 1 && w == 2) {
            raw = s;
            have_raw = 1;
        } else if (f == 2 && w == 0)
            raw_size = v;
        else if (f == 3 && w == 2) {
            z = s;
            have_z = 1;
        } else if (f >= 4 && f <= 7)
            other = (int)f;
    }
    if (blob.bad) return corrupt(r, "bad blob");
    if (have_raw) {
        *out = raw;
        return KMT_OK;
    }
    if (!have_z) {
        const char *names[] = { "", "", "", "", "lzma", "bzip2", "lz4", "zstd" };
        if (other)
            return kmt_error_at(r->e, KMT_EINVAL, r->path, 0, 0, NULL,
                                "the block at byte %llu is %s-compressed; kommute reads raw and zlib blocks "
                                "(convert with: osmium cat IN -o OUT.osm.pbf)",
                                (unsigned long long)r->offset, names[other]);
        return corrupt(r, "blob without data");
    }
    if (raw_size == 0 || raw_size > MAX_BLOB_SIZE) return corrupt(r, "bad uncompressed blob size");
    if (raw_size > r->inflated_cap) {
        r->inflated = kmt_realloc(r->inflated, raw_size);
        r->inflated_cap = raw_size;
    }
    uLongf dest = (uLongf)raw_size;
    int zrc = uncompress(r->inflated, &dest, z.p, (uLong)(z.end - z.p));
    if (zrc != Z_OK || dest != raw_size) return corrupt(r, "zlib data does not decompress to its stated size");
    out->p = r->inflated;
    out->end = r->inflated + raw_size;
    out->bad = 0;
    return KMT_OK;
}

int kmt_osm_read_pbf(const char *path, const kmt_osm_handler *h, void *ctx, kmt_error *e)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    if (size == 0) {
        close(fd);
        return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "the file is empty; expected an OSM PBF file");
    }
    const uint8_t *base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (base == MAP_FAILED) return kmt_error_at(e, KMT_EIO, path, 0, 0, NULL, "cannot map: %s", strerror(errno));
    madvise((void *)base, size, MADV_SEQUENTIAL);
    int rc = kmt_osm_read_pbf_buffer(base, size, path, h, ctx, e);
    munmap((void *)base, size);
    return rc;
}

int kmt_osm_read_pbf_buffer(const uint8_t *base, size_t size, const char *path, const kmt_osm_handler *h, void *ctx,
                            kmt_error *e)
{
    if (size == 0) return kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "the file is empty; expected an OSM PBF file");
    reader r;
    memset(&r, 0, sizeof r);
    r.h = h;
    r.ctx = ctx;
    r.path = path;
    r.e = e;
    int rc = KMT_OK, seen_header = 0;
    size_t off = 0;
    while (off < size) {
        r.offset = off;
        if (size - off < 4) {
            rc = kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL, "truncated PBF file: %zu stray bytes at byte %zu",
                              size - off, off);
            break;
        }
        uint32_t hlen =
            (uint32_t)base[off] << 24 | (uint32_t)base[off + 1] << 16 | (uint32_t)base[off + 2] << 8 | base[off + 3];
        off += 4;
        if (hlen == 0 || hlen > MAX_HEADER_SIZE) {
            rc = seen_header ? corrupt(&r, "blob header size out of range")
                             : kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL,
                                            "not an OSM PBF file (no valid block header at the start)");
            break;
        }
        if (hlen > size - off) {
            rc = kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL,
                              "truncated PBF file: a block header at byte %zu runs past the end", off);
            break;
        }
        pb bh = { base + off, base + off + hlen, 0 }, s, type = { 0 };
        uint32_t f, w;
        uint64_t v, datasize = 0;
        int have_size = 0;
        while (pb_next(&bh, &f, &w, &s, &v)) {
            if (f == 1 && w == 2)
                type = s;
            else if (f == 3 && w == 0) {
                datasize = v;
                have_size = 1;
            }
        }
        if (bh.bad || !type.p || !have_size) {
            rc = seen_header ? corrupt(&r, "bad blob header")
                             : kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL,
                                            "not an OSM PBF file (no valid block header at the start)");
            break;
        }
        off += hlen;
        if (datasize > MAX_BLOB_SIZE || datasize > size - off) {
            rc = kmt_error_at(e, KMT_EINVAL, path, 0, 0, NULL,
                              "truncated PBF file: the block at byte %zu needs %llu bytes, %zu remain", off,
                              (unsigned long long)datasize, size - off);
            break;
        }
        pb blob = { base + off, base + off + datasize, 0 }, data;
        off += datasize;
        size_t tlen = (size_t)(type.end - type.p);
        int is_header = tlen == 9 && memcmp(type.p, "OSMHeader", 9) == 0;
        int is_data = tlen == 7 && memcmp(type.p, "OSMData", 7) == 0;
        if (!is_header && !is_data) continue; /* unknown blob types are skipped, as the spec says */
        if ((rc = blob_data(&r, blob, &data)) != 0) break;
        if (is_header) {
            seen_header = 1;
            if ((rc = check_header_block(&r, data)) != 0) break;
        } else {
            seen_header = 1;
            if ((rc = parse_primitive_block(&r, data)) != 0) break;
        }
        if (h->progress) h->progress(ctx, off, size);
    }
    kmt_free(r.pool);
    kmt_free(r.strs);
    kmt_free(r.slen);
    KMT_VEC_FREE(r.tags);
    KMT_VEC_FREE(r.refs);
    KMT_VEC_FREE(r.members);
    kmt_free(r.inflated);
    return rc;
}

const char *kmt_osm_tag_get(const kmt_osm_tag *tags, size_t ntags, const char *key)
{
    for (size_t i = 0; i < ntags; i++)
        if (strcmp(tags[i].key, key) == 0) return tags[i].value;
    return NULL;
}

/* ---- writer ---------------------------------------------------------- */

typedef struct {
    uint8_t *p;
    size_t n, cap;
} wbuf;

static void wb_reserve(wbuf *b, size_t extra)
{
    if (b->n + extra <= b->cap) return;
    size_t nc = b->cap ? b->cap * 2 : 256;
    while (nc < b->n + extra) nc *= 2;
    b->p = kmt_realloc(b->p, nc);
    b->cap = nc;
}

static void wb_bytes(wbuf *b, const void *p, size_t n)
{
    wb_reserve(b, n);
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void wb_varint(wbuf *b, uint64_t v)
{
    wb_reserve(b, 10);
    while (v >= 0x80) {
        b->p[b->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b->p[b->n++] = (uint8_t)v;
}

static uint64_t zz(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static void wb_key(wbuf *b, uint32_t field, uint32_t wire)
{
    wb_varint(b, (uint64_t)field << 3 | wire);
}

static void wb_field_bytes(wbuf *b, uint32_t field, const void *p, size_t n)
{
    wb_key(b, field, 2);
    wb_varint(b, n);
    wb_bytes(b, p, n);
}

static void wb_field_varint(wbuf *b, uint32_t field, uint64_t v)
{
    wb_key(b, field, 0);
    wb_varint(b, v);
}

typedef struct {
    int64_t id;
    int64_t lat, lon; /* 1e-7 */
    size_t tag_off, ntags;
} w_node;

typedef struct {
    int64_t id;
    size_t ref_off, nrefs, tag_off, ntags;
} w_way;

typedef struct {
    int64_t id;
    size_t mem_off, nmem, tag_off, ntags;
} w_rel;

typedef struct {
    uint32_t k, v;
} w_tag;

typedef struct {
    uint32_t type, role;
    int64_t ref;
} w_mem;

struct kmt_osm_writer {
    int compress;
    KMT_VEC(char *) strings;
    KMT_VEC(w_node) nodes;
    KMT_VEC(w_way) ways;
    KMT_VEC(w_rel) rels;
    KMT_VEC(w_tag) tags;
    KMT_VEC(int64_t) refs;
    KMT_VEC(w_mem) mems;
};

kmt_osm_writer *kmt_osm_writer_new(int compress)
{
    kmt_osm_writer *w = kmt_calloc(1, sizeof *w);
    w->compress = compress;
    KMT_VEC_PUSH(w->strings, kmt_strdup("")); /* index 0 is reserved */
    return w;
}

/* String index (linear search: the writer is for small test files). */
static uint32_t w_str(kmt_osm_writer *w, const char *s)
{
    for (size_t i = 1; i < w->strings.n; i++)
        if (strcmp(w->strings.v[i], s) == 0) return (uint32_t)i;
    KMT_VEC_PUSH(w->strings, kmt_strdup(s));
    return (uint32_t)(w->strings.n - 1);
}

static size_t w_tags(kmt_osm_writer *w, const kmt_osm_tag *tags, size_t ntags)
{
    size_t off = w->tags.n;
    for (size_t i = 0; i < ntags; i++) {
        w_tag t = { w_str(w, tags[i].key), w_str(w, tags[i].value) };
        KMT_VEC_PUSH(w->tags, t);
    }
    return off;
}

void kmt_osm_writer_node(kmt_osm_writer *w, int64_t id, double lat, double lon, const kmt_osm_tag *tags, size_t ntags)
{
    w_node n = { id, (int64_t)(lat * 1e7 + (lat >= 0 ? 0.5 : -0.5)), (int64_t)(lon * 1e7 + (lon >= 0 ? 0.5 : -0.5)),
                 w_tags(w, tags, ntags), ntags };
    KMT_VEC_PUSH(w->nodes, n);
}

void kmt_osm_writer_way(kmt_osm_writer *w, int64_t id, const int64_t *refs, size_t nrefs, const kmt_osm_tag *tags,
                        size_t ntags)
{
    w_way wy = { id, w->refs.n, nrefs, w_tags(w, tags, ntags), ntags };
    for (size_t i = 0; i < nrefs; i++) KMT_VEC_PUSH(w->refs, refs[i]);
    KMT_VEC_PUSH(w->ways, wy);
}

void kmt_osm_writer_relation(kmt_osm_writer *w, int64_t id, const kmt_osm_member *members, size_t nmembers,
                             const kmt_osm_tag *tags, size_t ntags)
{
    w_rel rl = { id, w->mems.n, nmembers, w_tags(w, tags, ntags), ntags };
    for (size_t i = 0; i < nmembers; i++) {
        w_mem m = { (uint32_t)members[i].type, w_str(w, members[i].role), members[i].ref };
        KMT_VEC_PUSH(w->mems, m);
    }
    KMT_VEC_PUSH(w->rels, rl);
}

static int write_blob(FILE *f, const char *type, const wbuf *payload, int compress)
{
    wbuf blob = { 0 }, hdr = { 0 };
    if (compress) {
        uLongf zlen = compressBound((uLong)payload->n);
        uint8_t *z = kmt_malloc(zlen);
        if (compress2(z, &zlen, payload->p, (uLong)payload->n, 6) != Z_OK) {
            kmt_free(z);
            return KMT_EIO;
        }
        wb_field_varint(&blob, 2, payload->n);
        wb_field_bytes(&blob, 3, z, zlen);
        kmt_free(z);
    } else {
        wb_field_bytes(&blob, 1, payload->p, payload->n);
    }
    wb_field_bytes(&hdr, 1, type, strlen(type));
    wb_field_varint(&hdr, 3, blob.n);
    uint8_t len[4] = { (uint8_t)(hdr.n >> 24), (uint8_t)(hdr.n >> 16), (uint8_t)(hdr.n >> 8), (uint8_t)hdr.n };
    int ok = fwrite(len, 1, 4, f) == 4 && fwrite(hdr.p, 1, hdr.n, f) == hdr.n && fwrite(blob.p, 1, blob.n, f) == blob.n;
    kmt_free(blob.p);
    kmt_free(hdr.p);
    return ok ? KMT_OK : KMT_EIO;
}

static void w_packed_tags(wbuf *b, uint32_t kfield, uint32_t vfield, const kmt_osm_writer *w, size_t off, size_t n)
{
    wbuf k = { 0 }, v = { 0 };
    for (size_t i = 0; i < n; i++) {
        wb_varint(&k, w->tags.v[off + i].k);
        wb_varint(&v, w->tags.v[off + i].v);
    }
    if (n) {
        wb_field_bytes(b, kfield, k.p, k.n);
        wb_field_bytes(b, vfield, v.p, v.n);
    }
    kmt_free(k.p);
    kmt_free(v.p);
}

/* One PrimitiveBlock holding the given group bytes. */
static void w_block(const kmt_osm_writer *w, const wbuf *group, wbuf *out)
{
    wbuf st = { 0 };
    for (size_t i = 0; i < w->strings.n; i++) wb_field_bytes(&st, 1, w->strings.v[i], strlen(w->strings.v[i]));
    wb_field_bytes(out, 1, st.p, st.n);
    wb_field_bytes(out, 2, group->p, group->n);
    kmt_free(st.p);
}

static int writer_write(FILE *f, void *ctx)
{
    kmt_osm_writer *w = ctx;
    int compress = w->compress, rc;
    wbuf hb = { 0 };
    wb_field_bytes(&hb, 4, "OsmSchema-V0.6", 14);
    wb_field_bytes(&hb, 4, "DenseNodes", 10);
    rc = write_blob(f, "OSMHeader", &hb, compress);
    kmt_free(hb.p);
    if (rc) return rc;
    if (w->nodes.n) {
        wbuf ids = { 0 }, lats = { 0 }, lons = { 0 }, kv = { 0 }, dense = { 0 }, group = { 0 }, block = { 0 };
        int64_t pid = 0, plat = 0, plon = 0;
        for (size_t i = 0; i < w->nodes.n; i++) {
            const w_node *n = &w->nodes.v[i];
            wb_varint(&ids, zz(n->id - pid));
            wb_varint(&lats, zz(n->lat - plat));
            wb_varint(&lons, zz(n->lon - plon));
            pid = n->id;
            plat = n->lat;
            plon = n->lon;
            for (size_t t = 0; t < n->ntags; t++) {
                wb_varint(&kv, w->tags.v[n->tag_off + t].k);
                wb_varint(&kv, w->tags.v[n->tag_off + t].v);
            }
            wb_varint(&kv, 0);
        }
        wb_field_bytes(&dense, 1, ids.p, ids.n);
        wb_field_bytes(&dense, 8, lats.p, lats.n);
        wb_field_bytes(&dense, 9, lons.p, lons.n);
        wb_field_bytes(&dense, 10, kv.p, kv.n);
        wb_field_bytes(&group, 2, dense.p, dense.n);
        w_block(w, &group, &block);
        rc = write_blob(f, "OSMData", &block, compress);
        kmt_free(ids.p), kmt_free(lats.p), kmt_free(lons.p), kmt_free(kv.p);
        kmt_free(dense.p), kmt_free(group.p), kmt_free(block.p);
        if (rc) return rc;
    }
    if (w->ways.n) {
        wbuf group = { 0 }, block = { 0 };
        for (size_t i = 0; i < w->ways.n; i++) {
            const w_way *wy = &w->ways.v[i];
            wbuf way = { 0 }, refs = { 0 };
            wb_field_varint(&way, 1, (uint64_t)wy->id);
            w_packed_tags(&way, 2, 3, w, wy->tag_off, wy->ntags);
            int64_t prev = 0;
            for (size_t k = 0; k < wy->nrefs; k++) {
                wb_varint(&refs, zz(w->refs.v[wy->ref_off + k] - prev));
                prev = w->refs.v[wy->ref_off + k];
            }
            if (wy->nrefs) wb_field_bytes(&way, 8, refs.p, refs.n);
            wb_field_bytes(&group, 3, way.p, way.n);
            kmt_free(way.p);
            kmt_free(refs.p);
        }
        w_block(w, &group, &block);
        rc = write_blob(f, "OSMData", &block, compress);
        kmt_free(group.p);
        kmt_free(block.p);
        if (rc) return rc;
    }
    if (w->rels.n) {
        wbuf group = { 0 }, block = { 0 };
        for (size_t i = 0; i < w->rels.n; i++) {
            const w_rel *rl = &w->rels.v[i];
            wbuf rel = { 0 }, roles = { 0 }, ids = { 0 }, types = { 0 };
            wb_field_varint(&rel, 1, (uint64_t)rl->id);
            w_packed_tags(&rel, 2, 3, w, rl->tag_off, rl->ntags);
            int64_t prev = 0;
            for (size_t k = 0; k < rl->nmem; k++) {
                const w_mem *m = &w->mems.v[rl->mem_off + k];
                wb_varint(&roles, m->role);
                wb_varint(&ids, zz(m->ref - prev));
                wb_varint(&types, m->type);
                prev = m->ref;
            }
            if (rl->nmem) {
                wb_field_bytes(&rel, 8, roles.p, roles.n);
                wb_field_bytes(&rel, 9, ids.p, ids.n);
                wb_field_bytes(&rel, 10, types.p, types.n);
            }
            wb_field_bytes(&group, 4, rel.p, rel.n);
            kmt_free(rel.p), kmt_free(roles.p), kmt_free(ids.p), kmt_free(types.p);
        }
        w_block(w, &group, &block);
        rc = write_blob(f, "OSMData", &block, compress);
        kmt_free(group.p);
        kmt_free(block.p);
        if (rc) return rc;
    }
    return KMT_OK;
}

int kmt_osm_writer_finish(kmt_osm_writer *w, const char *path, kmt_error *e)
{
    int rc = kmt_write_file_atomic(path, writer_write, w, e);
    for (size_t i = 0; i < w->strings.n; i++) kmt_free(w->strings.v[i]);
    KMT_VEC_FREE(w->strings);
    KMT_VEC_FREE(w->nodes);
    KMT_VEC_FREE(w->ways);
    KMT_VEC_FREE(w->rels);
    KMT_VEC_FREE(w->tags);
    KMT_VEC_FREE(w->refs);
    KMT_VEC_FREE(w->mems);
    kmt_free(w);
    return rc;
}
