/* SPDX-License-Identifier: MPL-2.0 */
/* Finding and loading the factors file for the use cases that report energy,
 * CO2e and money (include/kommute/app.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kommute/app.h"

#define FACTORS_DEFAULT "nordic-2024.json"

static int load(const char *path, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    char *text;
    size_t len;
    int rc = kmt_read_file(path, &text, &len, e);
    if (rc) return rc;
    rc = kmt_factors_parse(text, len, path, f, e);
    kmt_free(text);
    if (rc == 0 && used) {
        char *real = realpath(path, NULL);
        snprintf(used, n, "%s", real ? real : path);
        free(real);
    }
    return rc;
}

int kmt_app_load_factors(const kmt_app_ctx *c, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    const char *path = c->factors_path;
    if (path && *path) return load(path, f, used, n, e);
    char exe[2048], cand[2400];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        const char *rel[] = {"/../data/factors/", "/../share/kommute/factors/"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(cand, sizeof cand, "%s%s%s", exe, rel[i], FACTORS_DEFAULT);
            if (access(cand, R_OK) == 0) return load(cand, f, used, n, e);
        }
    }
    snprintf(cand, sizeof cand, "data/factors/%s", FACTORS_DEFAULT);
    if (access(cand, R_OK) == 0) return load(cand, f, used, n, e);
    return kmt_error_at(e, KMT_EIO, FACTORS_DEFAULT, 0, 0, NULL,
                        "default factors file not found (looked in $KOMMUTE_FACTORS, next to the "
                        "binary and in ./data/factors); give one with --factors FILE");
}
