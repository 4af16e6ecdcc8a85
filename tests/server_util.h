/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Helpers of the server tests: start `kommute serve` (the ASan-built binary)
 * on a free loopback port, talk HTTP/1.1 to it over a socket, stop it.
 */
#ifndef KOMMUTE_TEST_SERVER_UTIL_H
#define KOMMUTE_TEST_SERVER_UTIL_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

#include "test.h"

typedef struct server {
    pid_t pid;
    int port;
    char out[512], err[512];
} server;

typedef struct resp {
    int status;
    char *all;        /* the whole response */
    const char *body; /* into all */
    json_t *json;     /* parsed body, NULL if not JSON */
} resp;

char *srv_slurp(const char *path);
void srv_sleep_ms(int ms);
/* A file made once per run in the temporary folder by `kommute ARGS` (fmt with %s for its path). */
const char *srv_fixture(char *path, size_t n, const char *name, const char *fmt);
const char *srv_graph_path(void); /* the bundled extract's car graph */
const char *srv_db_path(void);    /* the small demo municipality */
/* Start `kommute serve --listen 127.0.0.1:0 ARGS` and wait for its address. */
void srv_start(server *s, const char *args);
/* SIGTERM, wait (30 s at most); the exit status, and the log in *log (malloc'd) when log is given. */
int srv_stop(server *s, char **log);
int srv_connect(int port);
/* Send raw bytes, read until the server closes; the whole response (malloc'd). */
char *srv_raw(int port, const char *req, size_t len);
resp srv_request(int port, const char *method, const char *target, const char *body, size_t blen);
resp srv_get(int port, const char *target);
void srv_resp_free(resp *r);
const char *srv_jstr(json_t *o, const char *key);
/* GET target answers status with an error body of that code (and field, unless NULL). */
void srv_expect_error(int port, const char *target, int status, const char *code, const char *field);

/* An error response: status, a JSON body with the code and (when given) the field. */
#define ASSERT_ERROR(r, st, code, field)                                                                               \
    do {                                                                                                               \
        ASSERT_EQ_INT((r).status, st);                                                                                 \
        ASSERT((r).json != NULL);                                                                                      \
        ASSERT_STR_EQ(srv_jstr((r).json, "code"), code);                                                               \
        ASSERT(srv_jstr((r).json, "message") != NULL);                                                                 \
        if (field) ASSERT_STR_EQ(srv_jstr((r).json, "field"), (const char *)(field));                                  \
    } while (0)

#endif
