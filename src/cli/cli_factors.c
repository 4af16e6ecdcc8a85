/* SPDX-License-Identifier: MPL-2.0 */
/* Finding and loading the factors file; see cli_factors.h. The lookup is the
 * application layer's (kmt_app_load_factors); $KOMMUTE_FACTORS is the edge's. */
#include <stdlib.h>

#include "cli_factors.h"
#include "kommute/app.h"

int kmt_cli_load_factors(const char *path, kmt_factors *f, char *used, size_t n, kmt_error *e)
{
    kmt_app_ctx c;
    kmt_app_ctx_default(&c);
    c.factors_path = path && *path ? path : getenv("KOMMUTE_FACTORS");
    return kmt_app_load_factors(&c, f, used, n, e);
}
