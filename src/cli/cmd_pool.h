/* SPDX-License-Identifier: MPL-2.0 */
/* What `pool plan` and `pool analyse` share on the command line (the model
 * itself is the application layer's: kommute/app_pool.h). */
#ifndef KOMMUTE_CLI_CMD_POOL_H
#define KOMMUTE_CLI_CMD_POOL_H

#include "cli.h"
#include "kommute/app_pool.h"
#include "kommute/graph.h"
#include "kommute/pool.h"

/* The options' text for --help. */
#define POOL_MODEL_HELP                                                                                                \
    "  --graph G             road graph (.kgraph, car profile) for travel times; without\n"                            \
    "                        it: great-circle distance x --road-factor at --speed-kmh\n"                               \
    "  --max-snap-m M        5000: how far a place may lie from the nearest road of the\n"                             \
    "                        graph (the way off the road is not counted)\n"                                            \
    "  --road-factor F       1.3 (without --graph)\n"                                                                  \
    "  --speed-kmh S         50 (without --graph)\n"                                                                   \
    "  --max-detour-min M    10: time in the car may exceed the direct time by the larger\n"                           \
    "  --max-detour-pct P    50  of M minutes and P % of the direct time\n"                                            \
    "  --seats N             5: seats in a car, the driver's included\n"                                               \
    "  --max-group K         4: persons in one ride, driver included (1..5; 2 = pairs only)\n"                         \
    "  --exact-max N         32: components of up to N requests are packed exactly (<= 64)\n"                          \
    "  --objective O         km (default), co2 or cost: the saving also in CO2e or money\n"                            \
    "                        per vehicle-km from the factors file (the same rides: one\n"                              \
    "                        factor per car-km scales every saving alike)\n"                                           \
    "  --factors FILE        factors file (default data/factors/nordic-2024.json)\n"                                   \
    "  --country C           DK, SE, NO (default: the factors file's default country)\n"                               \
    "  --car-mode M          fleet_car (default) or private_car: whose car the factor is for\n"                        \
    "  --fuel F              the cars' fuel (petrol, diesel, electric, ...; default any)\n"                            \
    "  --co2-g-per-km X      override the factors file: g CO2e per vehicle-km\n"                                       \
    "  --cost-per-km X       override the factors file: money per vehicle-km\n"                                        \
    "  -t, --threads N       1: threads for the road-graph table\n"                                                    \
    "  --format F            text (default), json or csv\n"                                                            \
    "  -o, --output FILE     write there (atomically) instead of standard output\n"

/* The command line's side of a pool command: the CLI-only options (files
 * and output) and the context handed to the use case. */
typedef struct pool_cli {
    const char *db, *graph, *factors, *format, *output; /* db: only with_db */
    kmt_app_format fmt;
    kmt_app_ctx c;
    kmt_graph *g; /* opened from --graph, or NULL */
} pool_cli;

/* Parses argv for the pool use case u into req (defaults set; model is its
 * model part) and the CLI-only options into p: positional words go to pos
 * (room for 64); --db only when with_db. Then the context: factors, threads from --threads (the use
 * cases read ctx->threads), the graph opened and labelled. Returns 0, -1
 * after --help, or the exit code after printing the error. Release with
 * kmt__pool_close. */
int kmt__pool_parse(int argc, char **argv, const kmt_app_usecase *u, void *req, const kmt_app_pool_model_req *model,
                    int with_db, pool_cli *p, const char **pos, int *np, const char *help);
/* Opens --graph into p->c.graph; returns 0 or the exit code after printing the error. */
int kmt__pool_open_graph(pool_cli *p);
void kmt__pool_close(pool_cli *p);

#endif
