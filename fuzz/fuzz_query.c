/* SPDX-License-Identifier: MPL-2.0 */
/* libFuzzer entry for the server's query parsing (every use case's parameter table, OSRM coordinates, polylines): make fuzz && build/fuzz/fuzz_query fuzz/corpus/query */
#include <stddef.h>
#include <stdint.h>

int kmt_fuzz_query(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return kmt_fuzz_query(data, size);
}
