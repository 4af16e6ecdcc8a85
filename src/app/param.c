/* SPDX-License-Identifier: MPL-2.0 */
/* Parameters of the use cases: one table per use case, parsed the same way
 * from the command line and from a query string (include/kommute/app.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kommute/app.h"
#include "kommute/model.h"

#define APP_STRING_MAX 200 /* default longest string parameter, bytes */

const kmt_app_param *kmt_app_param_find(const kmt_app_param *params, const char *name)
{
    for (const kmt_app_param *p = params; p && p->name; p++)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

int kmt_app_param_given(const kmt_app_given *g, const kmt_app_param *params, const char *name)
{
    const kmt_app_param *p = kmt_app_param_find(params, name);
    return p && (g->bits >> (p - params) & 1u);
}

/* Is value one of the '|'-separated choices? */
static int in_choices(const char *choices, const char *value)
{
    size_t n = strlen(value);
    for (const char *c = choices; c && *c;) {
        const char *bar = strchr(c, '|');
        size_t k = bar ? (size_t)(bar - c) : strlen(c);
        if (k == n && strncmp(c, value, n) == 0) return 1;
        if (!bar) break;
        c = bar + 1;
    }
    return 0;
}

/* "a|b|c" as "a, b or c". */
static const char *choices_text(const char *choices, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (const char *c = choices; c && *c && k + 1 < n;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        const char *sep = c == choices ? "" : bar ? ", " : " or ";
        k += (size_t)snprintf(buf + k, n - k, "%s%.*s", sep, (int)len, c);
        if (!bar || k >= n) break;
        c = bar + 1;
    }
    return buf;
}

static int bad(kmt_error *e, const kmt_app_param *p, const char *prefix, const char *value, const char *fmt, ...)
    KMT_PRINTF(5, 6);

static int bad(kmt_error *e, const kmt_app_param *p, const char *prefix, const char *value, const char *fmt, ...)
{
    char want[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, p->name, "%s%s expects %s, got '%.100s'", prefix, p->name, want, value);
    return KMT_EUSAGE;
}

int kmt_app_param_set(const kmt_app_param *params, void *req, const char *name, const char *value, int http,
                      const char *prefix, kmt_error *e)
{
    const kmt_app_param *p = kmt_app_param_find(params, name);
    if (!p || (http && (p->flags & KMT_APP_P_CLI_ONLY))) {
        kmt_error_at(e, KMT_EUSAGE, NULL, 0, 0, name, "unknown %s '%s%.100s'", http ? "query parameter" : "option",
                     prefix, name);
        return KMT_EUSAGE;
    }
    if (!value) value = "";
    char *at = (char *)req + p->offset;
    char *end = NULL;
    switch (p->type) {
    case KMT_APP_P_INT: {
        long long v = strtoll(value, &end, 10);
        if (!*value || *end || (double)v < p->lo || (double)v > p->hi)
            return bad(e, p, prefix, value, "a whole number from %.0f to %.0f", p->lo, p->hi);
        *(int64_t *)at = (int64_t)v;
        break;
    }
    case KMT_APP_P_DOUBLE: {
        double v = strtod(value, &end);
        if (!*value || *end || !isfinite(v) || !(v >= p->lo && v <= p->hi))
            return bad(e, p, prefix, value, "a number from %g to %g", p->lo, p->hi);
        *(double *)at = v;
        break;
    }
    case KMT_APP_P_STRING: {
        size_t max = p->hi > 0 ? (size_t)p->hi : APP_STRING_MAX;
        if (strlen(value) > max) return bad(e, p, prefix, "...", "at most %zu characters", max);
        *(const char **)at = value;
        break;
    }
    case KMT_APP_P_ENUM:
        if (!in_choices(p->choices, value)) {
            char list[256];
            return bad(e, p, prefix, value, "%s", choices_text(p->choices, list, sizeof list));
        }
        *(const char **)at = value;
        break;
    case KMT_APP_P_DATE: {
        kmt_time t;
        int has_time = 0;
        if (strlen(value) > 32 || kmt_time_parse(value, &t, &has_time))
            return bad(e, p, prefix, value, "a date like %s", p->choices ? p->choices : "2024-03-01");
        *(int64_t *)at = t;
        break;
    }
    case KMT_APP_P_FLAG:
        if (!*value || strcmp(value, "1") == 0 || strcmp(value, "true") == 0)
            *(int *)at = 1;
        else if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0)
            *(int *)at = 0;
        else
            return bad(e, p, prefix, value, "true or false");
        break;
    }
    ((kmt_app_given *)req)->bits |= (uint64_t)1 << (p - params);
    return 0;
}

/* ---- the context ------------------------------------------------------------ */

void kmt_app_ctx_default(kmt_app_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->store_label = "the store";
    c->body_label = "body";
    c->param_prefix = "";
    c->threads = 1;
}

void kmt_app_warn(const kmt_app_ctx *c, const char *fmt, ...)
{
    if (!c->warn) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->warn(c->warn_cls, msg);
}

const char *kmt_app_path_label(const kmt_app_ctx *c, const char *path)
{
    if (!path) return "";
    if (c->show_paths) return path;
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}
