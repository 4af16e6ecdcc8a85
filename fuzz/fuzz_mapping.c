/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the mapping file reader: make fuzz && build/fuzz/fuzz_mapping fuzz/corpus/mapping */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_mapping(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_mapping(data, size);
}
