/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the VROOM solution reader of kommute check: make fuzz && build/fuzz/fuzz_vrp_solution fuzz/corpus/vrp_solution */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_vrp_solution(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_vrp_solution(data, size);
}
