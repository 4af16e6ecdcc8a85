/* SPDX-License-Identifier: MPL-2.0 */
/* Finding and loading the factors file; see cli_factors.h. */
#include "cli_factors.h"
#include "cli.h"

int kmt_cli_load_factors(const char *path, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    kmt_app_ctx c;
    kmt_cli_app_ctx(&c, path, NULL);
    return kmt_app_load_factors(&c, f, used, n, e);
}
