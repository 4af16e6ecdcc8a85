/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The application layer: one function per use case (each analysis, import,
 * plan, map query), under both edges. The command line maps argv to a typed
 * request, the server maps a URL or a body to the same request, and both
 * call the same function, which takes what the edge has opened (a store, a
 * graph, a request body) and returns a typed result or writes JSON through
 * the io writers.
 *
 * Parameters are declared once per use case in a table (kmt_app_param):
 * name, type and bounds. The table is the allowlist: the CLI offers each
 * entry as --name, the server accepts each as a query key, and nothing else
 * gets through (an unknown or out-of-range parameter is KMT_EUSAGE naming
 * it). No parameter names a file: files are opened by the edge and handed
 * over in kmt_app_ctx, which holds only trusted values.
 *
 * Threads: a use case may run on several threads at once with different
 * contexts; a kmt_app_ctx and its store belong to one call at a time.
 * Errors: every function returns 0 or a KMT_E* code with e filled (field
 * names the parameter or the input column; file is the ctx's labels, never a
 * server path unless the edge chose to show it).
 *
 * Module headers: app_fleet.h, app_travel.h, app_pool.h, app_import.h (use cases and their
 * typed results).
 */
#ifndef KOMMUTE_APP_H
#define KOMMUTE_APP_H

#include <stddef.h>
#include <stdint.h>

#include "kommute/core.h"
#include "kommute/factors.h"
#include "kommute/graph.h"
#include "kommute/json.h"

typedef struct kmt_store kmt_store;

/* ---- parameters --------------------------------------------------------- */

typedef enum kmt_app_ptype {
    KMT_APP_P_INT,    /* int64_t; lo..hi inclusive */
    KMT_APP_P_DOUBLE, /* double, finite; lo..hi inclusive */
    KMT_APP_P_STRING, /* const char * borrowed from the edge; at most hi bytes (0: 200) */
    KMT_APP_P_ENUM,   /* const char * that is one of choices ("text|json|csv") */
    KMT_APP_P_DATE,   /* int64_t kmt_time: "YYYY-MM-DD" or with "THH:MM[:SS]" */
    KMT_APP_P_FLAG    /* int: 1 when given ("true"/"1"/"" over HTTP; "false"/"0" sets 0) */
} kmt_app_ptype;

enum {
    KMT_APP_P_CLI_ONLY = 1u /* offered on the command line only (e.g. threads: the server decides) */
};

typedef struct kmt_app_param {
    const char *name; /* "pool-distance": --pool-distance and ?pool-distance= */
    char short_name;  /* CLI short option, 0 if none */
    kmt_app_ptype type;
    double lo, hi;       /* bounds (INT, DOUBLE), max length (STRING) */
    size_t offset;       /* offsetof(request struct, field) */
    const char *choices; /* ENUM: "a|b|c"; DATE: an example for messages (NULL: "2024-03-01") */
    unsigned flags;      /* KMT_APP_P_* */
} kmt_app_param;

/* Every request struct starts with this: which parameters were given
 * (bit i = params[i]; at most 64 parameters per use case). */
typedef struct kmt_app_given {
    uint64_t bits;
} kmt_app_given;

#define KMT_APP_GIVEN(req, params, name) kmt_app_param_given(&(req)->given, (params), (name))

/* The entry of params (terminated by a NULL name) called name, or NULL. */
const kmt_app_param *kmt_app_param_find(const kmt_app_param *params, const char *name);
/* Parses value for the parameter name into the request req (which starts
 * with a kmt_app_given) and marks it given. prefix is how the edge spells a
 * parameter in messages ("--" on the command line, "" over HTTP).
 * Errors (KMT_EUSAGE, e->field = name): unknown parameter (or CLI-only when
 * http is 1), a value of the wrong type or out of bounds; the message names
 * the parameter, the value and what was expected. value is borrowed for
 * strings: it must outlive req. */
int kmt_app_param_set(const kmt_app_param *params, void *req, const char *name, const char *value, int http,
                      const char *prefix, kmt_error *e);
/* 1 when the parameter called name was given. */
int kmt_app_param_given(const kmt_app_given *g, const kmt_app_param *params, const char *name);

/* ---- what the edge hands over ------------------------------------------ */

typedef struct kmt_app_ctx {
    kmt_store *store;           /* opened store (read-only suffices for analyses); NULL: none */
    const char *store_label;    /* how messages name the store ("kommute.db", or "the store") */
    const kmt_graph *graph;     /* road graph for travel times (pool), or NULL */
    const char *graph_label;    /* how outputs name the graph (a path; shown through kmt_app_path_label) */
    const char *factors_path;   /* the installation's factors file; NULL: default lookup */
    const char *catalogue_path; /* the vehicle catalogue (fleet compose); NULL: default lookup */
    const char *body;           /* input file of use cases that take one (pool plan), NUL-terminated */
    size_t body_len;
    const char *body_label;   /* its name in messages ("requests.csv", "body") */
    size_t max_rows;          /* rows of a body the edge accepts (0: no limit); more is KMT_ETOOBIG */
    int threads;              /* worker threads this call may use (>= 1) */
    int show_paths;           /* 1: outputs may name files by path (CLI); 0: base names only (server) */
    const char *param_prefix; /* how messages of a use case spell a parameter: "--" (CLI), "" (server) */
    /* Warnings for a person (compiled-in factors used, ...): called with a
     * sentence; NULL = dropped. The CLI prints them on stderr. */
    void (*warn)(void *cls, const char *msg);
    void *warn_cls;
} kmt_app_ctx;

void kmt_app_ctx_default(kmt_app_ctx *c);
/* A warning through c->warn (printf-style). */
void kmt_app_warn(const kmt_app_ctx *c, const char *fmt, ...) KMT_PRINTF(2, 3);
/* The file name to show for path: path itself when c->show_paths, else its base name. */
const char *kmt_app_path_label(const kmt_app_ctx *c, const char *path);

/* ---- the factors file -------------------------------------------------- */

/* The factors file the default lookup looks for. */
#define KMT_APP_FACTORS_DEFAULT "nordic-2024.json"

/* Loads the money, energy and CO2 factors into f (kmt_factors_destroy it):
 * c->factors_path when set, else the default file KMT_APP_FACTORS_DEFAULT
 * searched in <binary dir>/../data/factors/, <binary dir>/../share/kommute/
 * factors/ and ./data/factors/ (the edge resolves $KOMMUTE_FACTORS into
 * c->factors_path). The real path of the file used is copied into used
 * (size n; may be NULL): show it with kmt_app_path_label. Returns 0, or a
 * KMT_E* code with e naming the file by its label (KMT_EIO with e->file =
 * KMT_APP_FACTORS_DEFAULT when no file was given and none was found). */
int kmt_app_load_factors(const kmt_app_ctx *c, kmt_factors *f, char *used, size_t n, kmt_error *e);

/* ---- use cases ----------------------------------------------------------- */

enum {
    KMT_APP_NEEDS_STORE = 1u, /* ctx->store must be set */
    KMT_APP_NEEDS_BODY = 2u,  /* ctx->body is the input (POST over HTTP) */
    KMT_APP_USES_GRAPH = 4u   /* ctx->graph (a car graph) is used when given */
};

/* A use case as both edges see it: its parameters, its request and a call
 * that writes its JSON answer (what `kommute NAME --format json` prints and
 * what GET/POST /group/sub answers). */
typedef struct kmt_app_usecase {
    const char *name;            /* "fleet size": the command and the path /fleet/size */
    const kmt_app_param *params; /* the allowlist */
    size_t req_size;             /* sizeof the request struct */
    void (*req_default)(void *req);
    unsigned needs; /* KMT_APP_NEEDS_* */
    /* Runs the use case and writes its JSON document into j (already
     * initialised by the caller: to a FILE or a buffer). */
    int (*json)(const kmt_app_ctx *c, const void *req, kmt_json *j, kmt_error *e);
} kmt_app_usecase;

/* Runs u and writes its JSON answer into out (appended), exactly as both
 * edges give it: the document and a newline. */
int kmt_app_answer_json(const kmt_app_usecase *u, const kmt_app_ctx *c, const void *req, kmt_buf *out, kmt_error *e);

/* The use case called name ("fleet size"), or NULL. */
const kmt_app_usecase *kmt_app_usecase_find(const char *name);
/* All use cases, terminated by NULL. */
const kmt_app_usecase *const *kmt_app_usecases(void);

/* Common output format of the analysis commands. */
typedef enum kmt_app_format { KMT_APP_TEXT = 0, KMT_APP_JSON = 1, KMT_APP_CSV = 2 } kmt_app_format;

#endif
