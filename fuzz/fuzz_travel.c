/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the travel record rows: make fuzz && build/fuzz/fuzz_travel fuzz/corpus/travel */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_travel(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_travel(data, size);
}
