/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the VROOM problem JSON reader (with validation and a short solve): make fuzz && build/fuzz/fuzz_vrp_json fuzz/corpus/vrp_json */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_vrp_json(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_vrp_json(data, size);
}
