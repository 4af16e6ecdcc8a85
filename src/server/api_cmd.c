/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The analyses as endpoints that return exactly what the commands return:
 * GET /fleet/{report,size,ev,place,compose}, /travel/{report,candidates},
 * /pool/analyse ?from=..&to=..&site=..&... run
 * `kommute fleet X --db DB --format json --from .. ...` in-process (the
 * command's own code, its JSON written to a memory stream through
 * kmt_cli_out()). Query parameters are the command's options without the
 * dashes; a flag is given as name=true. Usage errors (exit 2) and bad input
 * (exit 1) are 400 with the command's message. Counted as heavy (503 beyond
 * --max-busy). Only commands that write through kmt_cli_out() are listed.
 * POST /pool/plan takes the requests CSV as the body: written to a temporary
 * file that is the command's FILE argument and removed afterwards; with a
 * car graph the server adds --graph to the pool commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "server.h"

/* graph: the command takes --graph, which the server gives when its graph is
 * a car graph. Every command here is safe to run on several threads at once. */
static const struct {
    const char *name;
    int graph;
} COMMANDS[] = {{"fleet report", 0},  {"fleet size", 0},    {"fleet ev", 0},
                {"fleet place", 0},   {"fleet compose", 0}, {"travel report", 0},
                {"travel candidates", 0}, {"pool analyse", 1}, {"pool plan", 1},
                {NULL, 0}};

/* Options the server sets, that make no sense over HTTP, or that name files
 * on the server (a client must not make the server read or write its files). */
static const char *const RESERVED[] = {"db", "format",  "f",         "help",  "h", "output", "o",
                                       "progress", "factors", "catalogue", "graph", "mapping", NULL};

#define MAX_ARGS 32

/* The field an error names: for a usage error the first "--name" (without
 * dashes), for an input error the kmt_error format's "field 'name'"; else "". */
static void option_named(const char *msg, int usage, char *field, size_t n)
{
    field[0] = '\0';
    const char *p = strstr(msg, usage ? "--" : "field '");
    if (!p) return;
    p += usage ? 2 : 7;
    size_t k = usage ? strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-_") : strcspn(p, "'");
    if (k == 0 || k >= n) return;
    memcpy(field, p, k);
    field[k] = '\0';
}

/* Commands that take their input as a file: POST with the file as the body. */
static int takes_body(const char *name)
{
    return strcmp(name, "pool plan") == 0;
}

void kmt__api_command(kmt__req *r, kmt__resp *out, const char *group, const char *sub)
{
    kmt__srv *s = r->srv;
    char name[64];
    snprintf(name, sizeof name, "%s %s", group, sub);
    const char *want = takes_body(name) ? "POST" : "GET";
    if (strcmp(r->method, want) != 0 && !(strcmp(want, "GET") == 0 && strcmp(r->method, "HEAD") == 0)) {
        kmt__error(out, 405, "MethodNotAllowed", NULL, "%s is not allowed on /%s/%.60s; use %s", r->method, group,
                   sub, want);
        out->allow = want;
        return;
    }
    int known = 0, graph = 0;
    for (int i = 0; COMMANDS[i].name; i++)
        if (strcmp(COMMANDS[i].name, name) == 0) known = 1, graph = COMMANDS[i].graph;
    kmt_cmd_fn fn = known ? kmt_cli_find(name) : NULL;
    if (!fn) {
        kmt__error(out, 404, "NotFound", NULL, "no such analysis: /%s/%.60s", group, sub);
        return;
    }
    int body = takes_body(name);
    if (!body && !s->opts.db_path) {
        kmt__error(out, 503, "NoData", NULL, "the server runs without a store (start it with --db FILE)");
        return;
    }
    if (body && !r->body_len) {
        kmt__error(out, 400, "InvalidInput", "body", "POST /%s/%.60s needs the input file (CSV) as the body", group, sub);
        return;
    }
    const char *keys[MAX_ARGS], *vals[MAX_ARGS];
    size_t nargs = kmt__args_list(r, keys, vals, MAX_ARGS);
    if (nargs > MAX_ARGS - 8) {
        kmt__error(out, 413, "TooBig", NULL, "too many query parameters (at most %d)", MAX_ARGS - 8);
        return;
    }
    char *argv[2 * MAX_ARGS + 8];
    int argc = 0;
    char tmp[64] = "";
    argv[argc++] = name;
    if (body) {
        argv[argc++] = tmp; /* the body, written to a temporary file below */
    } else {
        argv[argc++] = "--db";
        argv[argc++] = (char *)s->opts.db_path;
    }
    if (graph && s->opts.graph_path && s->ginfo.profile == KMT_PROFILE_CAR) {
        argv[argc++] = "--graph";
        argv[argc++] = (char *)s->opts.graph_path;
    }
    argv[argc++] = "--format";
    argv[argc++] = "json";
    char opt[MAX_ARGS][72];
    for (size_t i = 0; i < nargs; i++) {
        const char *k = keys[i], *v = vals[i] ? vals[i] : "";
        for (int x = 0; RESERVED[x]; x++)
            if (strcmp(RESERVED[x], k) == 0) {
                kmt__error(out, 400, "InvalidOptions", k,
                           "the query parameter '%s' is not allowed here (the server sets it, or it names a file)", k);
                return;
            }
        if (!*k || strlen(k) > 64 || strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(k)) {
            kmt__error(out, 400, "InvalidOptions", k, "'%.64s' is not an option name", k);
            return;
        }
        if (strcmp(v, "false") == 0) continue;
        snprintf(opt[i], sizeof opt[i], "--%s", k);
        argv[argc++] = opt[i];
        if (*v && strcmp(v, "true") != 0) argv[argc++] = (char *)v;
    }
    argv[argc] = NULL;
    if (kmt__heavy_enter(s, out)) return;
    if (body) {
        snprintf(tmp, sizeof tmp, "/tmp/kommute-body-XXXXXX");
        int fd = mkstemp(tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        int ok = f && fwrite(r->body, 1, r->body_len, f) == r->body_len;
        if (f) ok &= fclose(f) == 0;
        else if (fd >= 0) close(fd);
        if (!ok) {
            if (fd >= 0) unlink(tmp);
            kmt__heavy_leave(s);
            kmt__error(out, 500, "InternalError", NULL, "could not write the request body to a temporary file");
            return;
        }
    }
    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *fo = open_memstream(&obuf, &olen), *fe = open_memstream(&ebuf, &elen);
    int rc = -3;
    if (fo && fe) {
        kmt_cli_set_streams(fo, fe);
        rc = fn(argc, argv);
        kmt_cli_set_streams(NULL, NULL);
    }
    if (fo) fclose(fo);
    if (fe) fclose(fe);
    if (body) unlink(tmp);
    kmt__heavy_leave(s);
    if (rc == 0 && obuf) {
        out->status = 200;
        out->ctype = "application/json";
        kmt_buf_free(&out->body);
        out->body.data = obuf; /* malloc'd by open_memstream: freed with free() as kmt_buf data is */
        out->body.len = olen;
        out->body.cap = olen + 1;
        obuf = NULL;
    } else {
        char field[64];
        const char *msg = ebuf && *ebuf ? ebuf : "the analysis failed";
        if (strncmp(msg, "kommute: error: ", 16) == 0) msg += 16;
        if (body && strncmp(msg, tmp, strlen(tmp)) == 0) { /* "/tmp/kommute-body-X:3:..." -> "body:3:..." */
            static const char word[] = "body";
            size_t tl = strlen(tmp);
            memmove(ebuf + (msg - ebuf) + tl - (sizeof word - 1), word, sizeof word - 1);
            msg += tl - (sizeof word - 1);
        }
        size_t ml = strlen(msg);
        while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' ')) ml--;
        option_named(msg, rc == KMT_EXIT_USAGE, field, sizeof field);
        kmt__error(out, rc < -1 ? 500 : 400, rc == KMT_EXIT_USAGE ? "InvalidOptions" : "InvalidInput",
                   field[0] ? field : NULL, "%.*s", (int)(ml > 900 ? 900 : ml), msg);
    }
    free(obuf);
    free(ebuf);
}
