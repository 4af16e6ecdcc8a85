/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the factors JSON reader: make fuzz && build/fuzz/fuzz_factors fuzz/corpus/factors */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_factors(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_factors(data, size);
}
