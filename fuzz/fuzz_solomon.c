/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the Solomon text reader: make fuzz && build/fuzz/fuzz_solomon fuzz/corpus/solomon */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_solomon(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_solomon(data, size);
}
