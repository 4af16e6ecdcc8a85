/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the home-care readers: make fuzz && build/fuzz/fuzz_hhc fuzz/corpus/hhc */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_hhc(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_hhc(data, size);
}
