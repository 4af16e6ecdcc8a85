/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the CSV reader and mappings: make fuzz && build/fuzz/fuzz_csv fuzz/corpus/csv */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_csv(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_csv(data, size);
}
