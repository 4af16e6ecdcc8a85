/* SPDX-License-Identifier: MPL-2.0 */
/* The list of use cases both edges offer: the command line registers a
 * command for each, the server a path /group/sub (include/kommute/app.h).
 * A new use case is one line here and its module's kmt_app_usecase. */
#include <string.h>

#include "kommute/app.h"
#include "kommute/app_fleet.h"
#include "kommute/app_pool.h"
#include "kommute/app_travel.h"

static const kmt_app_usecase *const USECASES[] = { &kmt_app_fleet_report_usecase,      &kmt_app_fleet_size_usecase,
                                                   &kmt_app_fleet_place_usecase,       &kmt_app_fleet_ev_usecase,
                                                   &kmt_app_fleet_compose_usecase,     &kmt_app_travel_report_usecase,
                                                   &kmt_app_travel_candidates_usecase, &kmt_app_pool_analyse_usecase,
                                                   &kmt_app_pool_plan_usecase,         NULL };

const kmt_app_usecase *const *kmt_app_usecases(void)
{
    return USECASES;
}

const kmt_app_usecase *kmt_app_usecase_find(const char *name)
{
    for (size_t i = 0; USECASES[i]; i++)
        if (strcmp(USECASES[i]->name, name) == 0) return USECASES[i];
    return NULL;
}

int kmt_app_answer_json(const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req, kmt_buf *out, kmt_error *e)
{
    kmt_json j;
    kmt_json_init(&j, NULL);
    int rc = u->json(c, req, &j, e);
    if (!rc) {
        kmt_buf_put(out, j.buf.data ? j.buf.data : "", j.buf.len);
        kmt_buf_put(out, "\n", 1);
    }
    kmt_json_destroy(&j);
    return rc;
}
