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

KMT_TEST(fuzz_corpus_pbf_replays)
{
    ASSERT(replay("fuzz/corpus/pbf", kmt_fuzz_pbf) > 0);
}

KMT_TEST(fuzz_corpus_kgraph_replays)
{
    ASSERT(replay("fuzz/corpus/kgraph", kmt_fuzz_kgraph) > 0);
}

KMT_TEST(fuzz_corpus_csv_replays)
{
    ASSERT(replay("fuzz/corpus/csv", kmt_fuzz_csv) > 0);
}

KMT_TEST(fuzz_corpus_hhc_replays)
{
    ASSERT(replay("fuzz/corpus/hhc", kmt_fuzz_hhc) > 0);
}
