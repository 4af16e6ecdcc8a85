/* SPDX-License-Identifier: MPL-2.0 */
/* Finding and loading the factors file for the use cases that report
 * energy, CO2e and money (include/kommute/app.h). */
#define _XOPEN_SOURCE 700 /* realpath, readlink */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_int.h"
#include "kommute/app.h"

/* Names the file in e by its label when e names it by path. */
static int relabel(const kmt_app_ctx *c, const char *path, int rc, kmt_error *e)
{
    if (rc && strcmp(e->file, path) == 0) {
        char label[sizeof e->file];
        snprintf(label, sizeof label, "%s", kmt_app_path_label(c, path));
        snprintf(e->file, sizeof e->file, "%s", label);
    }
    return rc;
}

static int load(const kmt_app_ctx *c, const char *path, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    char *text;
    size_t len;
    int rc = kmt_read_file(path, &text, &len, e);
    if (rc) return relabel(c, path, rc, e);
    rc = kmt_factors_parse(text, len, path, f, e);
    kmt_free(text);
    if (rc) return relabel(c, path, rc, e);
    if (used) {
        char *real = realpath(path, NULL);
        snprintf(used, n, "%s", real ? real : path);
        free(real);
    }
    return 0;
}

int kmt_app_load_factors(const kmt_app_ctx *c, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    if (c->factors_path && *c->factors_path) return load(c, c->factors_path, f, used, n, e);
    char cand[2400];
    if (kmt__app_data_file("factors", KMT_APP_FACTORS_DEFAULT, cand, sizeof cand)) return load(c, cand, f, used, n, e);
    return kmt_error_at(e, KMT_EIO, KMT_APP_FACTORS_DEFAULT, 0, 0, NULL,
                        "default factors file not found (looked in $KOMMUTE_FACTORS, next to the "
                        "binary and in ./data/factors); give one with --factors FILE");
}

int kmt__app_data_file(const char *sub, const char *name, char *out, size_t n)
{
    char exe[2048];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        const char *rel[] = { "/../data/", "/../share/kommute/" };
        for (size_t i = 0; i < 2; i++) {
            snprintf(out, n, "%s%s%s/%s", exe, rel[i], sub, name);
            if (access(out, R_OK) == 0) return 1;
        }
    }
    snprintf(out, n, "data/%s/%s", sub, name);
    return access(out, R_OK) == 0;
}
