/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the carpool request reader: make fuzz && build/fuzz/fuzz_pool fuzz/corpus/pool */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_pool(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_pool(data, size);
}
