/* SPDX-License-Identifier: MPL-2.0 */
/* Column mappings: municipality header names (and coded values) to ours. */
#include <string.h>

#include "io_int.h"
#include "kommute/csv.h"

typedef struct {
    char *table;  /* "vehicles", ..., "*" */
    char *ours;   /* canonical column */
    char *value;  /* canonical value for a value rule, NULL for a column rule */
    char *theirs; /* their header name or their value */
} rule;

struct kmt_mapping {
    KMT_VEC(rule) rules;
};

static int table_matches(const char *rule_table, const char *table)
{
    return strcmp(rule_table, "*") == 0 || strcmp(rule_table, table) == 0;
}

const char *kmt_mapping_builtin(const char *name)
{
    return kmt__mapping_builtin_text(name);
}

int kmt_mapping_parse(kmt_mapping **out, const char *name, const char *text, size_t len, kmt_error *e)
{
    *out = NULL;
    /* blank out comment lines (keeping line numbers) */
    char *t = kmt_malloc(len + 1);
    memcpy(t, text, len);
    t[len] = '\0';
    for (char *p = t; p < t + len;) {
        char *nl = memchr(p, '\n', (size_t)(t + len - p));
        char *le = nl ? nl : t + len;
        char *q = p;
        while (q < le && (*q == ' ' || *q == '\t')) q++;
        if (q < le && *q == '#') memset(p, ' ', (size_t)(le - p));
        p = le + 1;
    }
    kmt_csv *c;
    int rc = kmt_csv_open_mem(&c, name, t, len, &(kmt_csv_opts){ .delimiter = 0 }, e);
    kmt_free(t);
    if (rc) return rc;
    int it = kmt_csv_find(c, "table"), io = kmt_csv_find(c, "ours"), ih = kmt_csv_find(c, "theirs");
    if (it < 0 || io < 0 || ih < 0) {
        rc = kmt_error_at(e, KMT_EINVAL, name, kmt_csv_line(c) ? kmt_csv_line(c) : 1, 0, NULL,
                          "a mapping file needs the header 'table,ours,theirs'");
        kmt_csv_close(c);
        return rc;
    }
    kmt_mapping *m = kmt_calloc(1, sizeof *m);
    while ((rc = kmt_csv_next(c, e)) == 1) {
        const char *tb = kmt_csv_field(c, it), *o = kmt_csv_field(c, io), *th = kmt_csv_field(c, ih);
        static const char *const tables[] = { "*", "vehicles", "sites", "trips", "gps", "travel" };
        int ok = 0;
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) ok |= strcmp(tb, tables[i]) == 0;
        if (!ok) {
            rc = kmt_csv_error(c, it, e, "unknown table: expected vehicles, sites, trips, gps, travel or *");
            break;
        }
        if (!*o || !*th) {
            rc = kmt_csv_error(c, *o ? ih : io, e, "empty name in a mapping rule");
            break;
        }
        rule r = { kmt_strdup(tb), kmt_strdup(o), NULL, kmt_strdup(th) };
        char *eq = strchr(r.ours, '=');
        if (eq) {
            *eq = '\0';
            r.value = kmt_strdup(eq + 1);
        }
        KMT_VEC_PUSH(m->rules, r);
    }
    kmt_csv_close(c);
    if (rc < 0) {
        kmt_mapping_destroy(m);
        return rc;
    }
    *out = m;
    return 0;
}

int kmt_mapping_load(kmt_mapping **out, const char *spec, kmt_error *e)
{
    const char *b = kmt_mapping_builtin(spec);
    if (b) return kmt_mapping_parse(out, spec, b, strlen(b), e);
    char *data;
    size_t len;
    int rc = kmt_read_file(spec, &data, &len, e);
    if (rc) {
        kmt_error_set(e, rc,
                      "cannot read mapping '%s': not a built-in mapping (os2fleetoptimiser, "
                      "nordic) and not a readable file",
                      spec);
        return rc;
    }
    rc = kmt_mapping_parse(out, spec, data, len, e);
    kmt_free(data);
    return rc;
}

void kmt_mapping_destroy(kmt_mapping *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->rules.n; i++) {
        kmt_free(m->rules.v[i].table);
        kmt_free(m->rules.v[i].ours);
        kmt_free(m->rules.v[i].value);
        kmt_free(m->rules.v[i].theirs);
    }
    KMT_VEC_FREE(m->rules);
    kmt_free(m);
}

/* First header column named by a column rule of m for (table, col), -1 if none. */
static int find_by_rules(kmt_csv *c, const kmt_mapping *m, const char *table, const char *col)
{
    if (!m) return -1;
    for (size_t i = 0; i < m->rules.n; i++) {
        const rule *r = &m->rules.v[i];
        if (r->value || strcmp(r->ours, col) != 0 || !table_matches(r->table, table)) continue;
        int k = kmt_csv_find(c, r->theirs);
        if (k >= 0) return k;
    }
    return -1;
}

static kmt_mapping *nordic_mapping(void)
{
    static kmt_mapping *nordic;
    if (!nordic) {
        kmt_error e;
        const char *t = kmt_mapping_builtin("nordic");
        if (kmt_mapping_parse(&nordic, "nordic", t, strlen(t), &e)) return NULL;
    }
    return nordic;
}

int kmt_csv_bind(kmt_csv *c, const kmt_mapping *m, const char *table, const char *const *cols, size_t n, int *idx,
                 kmt_error *e)
{
    (void)e;
    const kmt_mapping *nordic = nordic_mapping();
    for (size_t i = 0; i < n; i++) {
        int k = find_by_rules(c, m, table, cols[i]);
        if (k < 0) k = kmt_csv_find(c, cols[i]);
        if (k < 0) k = find_by_rules(c, nordic, table, cols[i]);
        idx[i] = k;
    }
    /* one header column serves one canonical column: a later claim loses */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (idx[i] >= 0 && idx[i] == idx[j]) idx[i] = -1;
    return 0;
}

int kmt_csv_require(kmt_csv *c, int idx, const char *col, kmt_error *e)
{
    if (idx >= 0) return 0;
    char names[512];
    size_t off = 0;
    names[0] = '\0';
    for (size_t i = 0; i < kmt_csv_ncols(c) && off < sizeof names - 80; i++)
        off += (size_t)snprintf(names + off, sizeof names - off, "%s'%s'", i ? ", " : "", kmt_csv_colname(c, i));
    return kmt_error_at(e, KMT_EINVAL, kmt_csv_path(c), 1, 0, col,
                        "missing column '%s' (the header has %s); name it so or give a "
                        "--mapping file that maps your column to '%s'",
                        col, names, col);
}

const char *kmt_mapping_value(const kmt_mapping *m, const char *table, const char *col, const char *value)
{
    if (!m) return value;
    for (size_t i = 0; i < m->rules.n; i++) {
        const rule *r = &m->rules.v[i];
        if (r->value && strcmp(r->ours, col) == 0 && table_matches(r->table, table) &&
            kmt__eq_fold(value, strlen(value), r->theirs))
            return r->value;
    }
    return value;
}
