/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The independent checker of a plan. It shares no code with the planner's
 * feasibility (no temporal network, no order enumeration): it walks each
 * ride's stops as written and tests every rule of the model directly.
 */
#include <math.h>
#include <string.h>

#include "kommute/pool.h"

static int32_t cell(const kmt_pool_matrix *m, const int32_t *a, uint32_t i, uint32_t j)
{
    return a[(size_t)i * m->n + j];
}

static uint32_t where(const kmt_pool_request *r, const kmt_pool_stop *s)
{
    return s->kind == KMT_POOL_PICKUP ? r[s->request].o : r[s->request].d;
}

int kmt_pool_check(const kmt_pool_request *r, size_t n, const kmt_pool_matrix *m, const kmt_pool_opts *p,
                   const kmt_pool_plan *plan, kmt_error *e)
{
    if (plan->nrequests != n)
        return kmt_error_set(e, KMT_EINTERNAL, "plan has %zu requests, input %zu", plan->nrequests, n);
    int32_t *seen = kmt_malloc((n ? n : 1) * sizeof(int32_t));
    for (size_t i = 0; i < n; i++) seen[i] = -1;
    int64_t direct_all = 0, saved_all = 0;
    size_t shared = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t T = cell(m, m->dur, r[i].o, r[i].d);
        if (T != KMT_POOL_UNREACH) direct_all += cell(m, m->dist, r[i].o, r[i].d);
    }
    for (size_t q = 0; q < plan->rides.n && !rc; q++) {
        const kmt_pool_ride *rd = &plan->rides.v[q];
        const kmt_pool_stop *st = plan->stops.v + rd->first_stop;
        size_t L = rd->nstops;
        if (rd->first_stop + L > plan->stops.n || L < 4 || L != 2 * rd->nmembers) {
            rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: %zu stops for %u persons", q, L, rd->nmembers);
            break;
        }
        if ((int)rd->nmembers > p->max_group) {
            rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: %u persons, more than max group %d", q, rd->nmembers,
                               p->max_group);
            break;
        }
        uint32_t drv = rd->driver;
        if (st[0].request != drv || st[0].kind != KMT_POOL_PICKUP || st[L - 1].request != drv ||
            st[L - 1].kind != KMT_POOL_DROPOFF) {
            rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: does not start and end with its driver %s", q, r[drv].id);
            break;
        }
        if (!r[drv].can_drive) {
            rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: driver %s cannot drive", q, r[drv].id);
            break;
        }
        int64_t metres = 0, direct = 0;
        int occupied = 0;
        for (size_t j = 0; j < L && !rc; j++) {
            uint32_t x = st[j].request;
            if (x >= n) {
                rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: stop %zu names request %u of %zu", q, j, x, n);
                break;
            }
            if (j > 0) {
                int32_t leg = cell(m, m->dur, where(r, &st[j - 1]), where(r, &st[j]));
                if (leg == KMT_POOL_UNREACH || st[j].time - st[j - 1].time < leg) {
                    rc = kmt_error_set(e, KMT_EINTERNAL,
                                       "ride %zu: stop %zu (%s) only %lld s after the previous, travel takes %d s", q,
                                       j, r[x].id, (long long)(st[j].time - st[j - 1].time), leg);
                    break;
                }
                metres += cell(m, m->dist, where(r, &st[j - 1]), where(r, &st[j]));
            }
            if (st[j].kind == KMT_POOL_PICKUP) {
                if (seen[x] != -1) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "request %s is picked up twice", r[x].id);
                    break;
                }
                seen[x] = (int32_t)j;
                if (st[j].time < r[x].earliest_departure) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "request %s leaves before its earliest departure", r[x].id);
                    break;
                }
                occupied += r[x].seats;
                if (occupied > p->seats) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: %d seats taken, the car has %d", q, occupied,
                                       p->seats);
                    break;
                }
            } else {
                if (seen[x] < 0 || seen[x] >= (int32_t)j || st[seen[x]].request != x || seen[x] == INT32_MAX) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "request %s is dropped off before being picked up", r[x].id);
                    break;
                }
                if (st[j].time > r[x].latest_arrival) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "request %s arrives after its latest arrival", r[x].id);
                    break;
                }
                int64_t T = cell(m, m->dur, r[x].o, r[x].d);
                /* the allowance: the larger of the minutes and the percentage */
                double pct = floor((double)T * p->max_detour_pct / 100.0);
                double allow = (double)T + (pct > p->max_detour_s ? pct : (double)p->max_detour_s);
                if ((double)(st[j].time - st[seen[x]].time) > allow) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "request %s is %lld s in the car, allowed %.0f", r[x].id,
                                       (long long)(st[j].time - st[seen[x]].time), allow);
                    break;
                }
                occupied -= r[x].seats;
                direct += cell(m, m->dist, r[x].o, r[x].d);
                seen[x] = INT32_MAX; /* done */
                if (plan->ride_of[x] != (int32_t)q) {
                    rc = kmt_error_set(e, KMT_EINTERNAL, "request %s: ride_of says %d, it rides in %zu", r[x].id,
                                       plan->ride_of[x], q);
                    break;
                }
            }
        }
        if (rc) break;
        for (size_t j = 0; j < L; j++)
            if (seen[st[j].request] != INT32_MAX) {
                rc = kmt_error_set(e, KMT_EINTERNAL, "request %s is never dropped off", r[st[j].request].id);
                break;
            }
        if (rc) break;
        if (metres != rd->m_driven || direct - metres != rd->m_saved) {
            rc = kmt_error_set(e, KMT_EINTERNAL, "ride %zu: %lld m driven and %lld saved, the stops give %lld and %lld",
                               q, (long long)rd->m_driven, (long long)rd->m_saved, (long long)metres,
                               (long long)(direct - metres));
            break;
        }
        saved_all += rd->m_saved;
        shared += rd->nmembers;
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (seen[i] == -1 && plan->ride_of[i] != -1)
            rc = kmt_error_set(e, KMT_EINTERNAL, "request %s: ride_of says %d but it rides in none", r[i].id,
                               plan->ride_of[i]);
    if (!rc && (plan->m_direct != direct_all || plan->m_saved != saved_all ||
                plan->m_driven != direct_all - saved_all || plan->shared_requests != shared))
        rc = kmt_error_set(e, KMT_EINTERNAL, "totals do not add up: direct %lld/%lld, saved %lld/%lld, shared %zu/%zu",
                           (long long)plan->m_direct, (long long)direct_all, (long long)plan->m_saved,
                           (long long)saved_all, plan->shared_requests, shared);
    kmt_free(seen);
    return rc;
}
