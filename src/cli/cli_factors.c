/* SPDX-License-Identifier: MPL-2.0 */
/* Finding and loading the factors file; see cli_factors.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_factors.h"

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

int kmt_cli_load_factors(const char *path, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    if (path && *path) return load(path, f, used, n, e);
    const char *env = getenv("KOMMUTE_FACTORS");
    if (env && *env) return load(env, f, used, n, e);
    char exe[2048], cand[2400];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        const char *rel[] = {"/../data/factors/", "/../share/kommute/factors/"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(cand, sizeof cand, "%s%s%s", exe, rel[i], KMT_FACTORS_DEFAULT);
            if (access(cand, R_OK) == 0) return load(cand, f, used, n, e);
        }
    }
    snprintf(cand, sizeof cand, "data/factors/%s", KMT_FACTORS_DEFAULT);
    if (access(cand, R_OK) == 0) return load(cand, f, used, n, e);
    return kmt_error_at(e, KMT_EIO, KMT_FACTORS_DEFAULT, 0, 0, NULL,
                        "default factors file not found (looked in $KOMMUTE_FACTORS, next to the "
                        "binary and in ./data/factors); give one with --factors FILE");
}
