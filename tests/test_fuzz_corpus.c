/* SPDX-License-Identifier: MPL-2.0 */
/* Replays the saved fuzz corpus (fuzz/corpus/<target>/) through the fuzz
 * targets in the normal test run: no crash, no sanitizer report. */
#include <dirent.h>
#include <stdlib.h>

#include "../fuzz/targets.c"
#include "test.h"

static int replay(const char *dir, int (*fn)(const uint8_t *, size_t))
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *data;
        size_t len;
        if (kmt_read_file(path, &data, &len, NULL) != KMT_OK) continue;
        fn((const uint8_t *)data, len);
        kmt_free(data);
        n++;
    }
    closedir(d);
    return n;
}

/* One test per target: every saved input of fuzz/corpus/<name> through kmt_fuzz_<name>. */
#define CORPUS_TEST(name)                                                                                              \
    KMT_TEST(fuzz_corpus_##name##_replays)                                                                             \
    {                                                                                                                  \
        ASSERT(replay("fuzz/corpus/" #name, kmt_fuzz_##name) > 0);                                                     \
    }

CORPUS_TEST(pbf)
CORPUS_TEST(kgraph)
CORPUS_TEST(csv)
CORPUS_TEST(vrp_json)
CORPUS_TEST(vrp_solution)
CORPUS_TEST(solomon)
CORPUS_TEST(factors)
CORPUS_TEST(mapping)
CORPUS_TEST(pool)
CORPUS_TEST(gps)
CORPUS_TEST(travel)
CORPUS_TEST(query)
CORPUS_TEST(hhc)
