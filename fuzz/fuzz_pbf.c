/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the pbf parser: make fuzz && build/fuzz/fuzz_pbf fuzz/corpus/pbf */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_pbf(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_pbf(data, size);
}
