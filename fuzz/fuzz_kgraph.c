/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the kgraph parser: make fuzz && build/fuzz/fuzz_kgraph fuzz/corpus/kgraph */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_kgraph(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_kgraph(data, size);
}
