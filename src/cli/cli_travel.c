/* SPDX-License-Identifier: MPL-2.0 */
/* What the travel commands share on the command line; see cli_travel.h. */
#include <string.h>

#include "cli_travel.h"

static int targets(int argc, char **argv, const kmt_app_usecase *u, void *req, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
            v = argv[++i];
        else if (strncmp(argv[i], "--target=", 9) == 0)
            v = argv[i] + 9;
        if (!v) continue;
        int w = snprintf(buf + k, n - k, "%s%s", k ? "," : "", v);
        if (w < 0 || (size_t)w >= n - k) return kmt_cli_usage(argv[0], "too many or too long --target values");
        k += (size_t)w;
    }
    if (!k) return 0;
    kmt_error e;
    kmt_error_init(&e);
    if (kmt_app_param_set(u->params, req, "target", buf, 0, "--", &e)) return kmt_cli_usage(argv[0], "%s", e.msg);
    return 0;
}

int kmt__travel_output(const char *path, int (*fn)(FILE *, void *), void *ctx, kmt_error *e)
{
    if (path && *path && strcmp(path, "-") != 0) return kmt_write_file_atomic(path, fn, ctx, e);
    int rc = fn(kmt_cli_out(), ctx);
    if (rc == 0 && fflush(kmt_cli_out()) != 0) rc = KMT_EIO;
    if (rc) kmt_error_set(e, rc, "writing the report to standard output failed");
    return rc;
}

int kmt__travel_start(int argc, char **argv, const kmt_app_usecase *u, void *req, int with_html, travel_cli *t,
                      const char *help, int *done)
{
    memset(t, 0, sizeof *t);
    t->format = "text";
    *done = 1;
    kmt_opt opts[] = { { "db", 0, 1, &t->db },
                       { "factors", 0, 1, &t->factors },
                       { "format", 0, 1, &t->format },
                       { "output", 'o', 1, &t->output },
                       { NULL, 0, 0, NULL } };
    if (argc > 64) return kmt_cli_usage(argv[0], "too many arguments");
    int rc = kmt_cli_app_parse(argc, argv, u, req, opts, NULL, NULL, help);
    if (rc) return rc < 0 ? KMT_EXIT_OK : rc;
    const char *f = t->format;
    if (strcmp(f, "text") && strcmp(f, "json") && strcmp(f, "csv") && (!with_html || strcmp(f, "html")))
        return kmt_cli_usage(argv[0], "--format must be text, json%s or %s, got '%s'", with_html ? ", csv" : "",
                             with_html ? "html" : "csv", f);
    if ((rc = targets(argc, argv, u, req, t->targets, sizeof t->targets))) return rc;
    kmt_cli_app_ctx(&t->c, t->factors, NULL);
    if ((rc = kmt_cli_app_open_store(&t->c, t->db))) return rc;
    if (strcmp(f, "json") == 0) {
        /* the travel commands have always ended their JSON with a blank line */
        rc = kmt_cli_app_json_to(argv[0], u, &t->c, req, t->output);
        kmt_cli_app_close(&t->c);
        return rc;
    }
    *done = 0;
    return 0;
}
