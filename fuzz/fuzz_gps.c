/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the GPS point reader and stop detection: make fuzz && build/fuzz/fuzz_gps fuzz/corpus/gps */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_gps(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_gps(data, size);
}
