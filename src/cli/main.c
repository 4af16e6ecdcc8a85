/* SPDX-License-Identifier: MPL-2.0 */
/* kommute: the binary's entry point, command lookup, --help and --version. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
    const char *name, *summary, *help;
    kmt_cmd_fn fn;
} command;

static command commands[128];
static int ncommands;

void kmt_cli_register(const char *name, const char *summary, kmt_cmd_fn fn, const char *help)
{
    if (ncommands < (int)(sizeof commands / sizeof commands[0]))
        commands[ncommands++] = (command){ name, summary, help, fn };
}

static int cmp_cmd(const void *a, const void *b)
{
    return strcmp(((const command *)a)->name, ((const command *)b)->name);
}

static void print_help(FILE *f)
{
    fprintf(f,
            "kommute %s: one fleet, one trip log, planned routes, shared rides and an honest\n"
            "account of kilometres, money, energy and CO2 for municipalities.\n\n"
            "Usage: kommute <command> [options]   (kommute <command> --help for its options)\n\n"
            "Commands:\n",
            KMT_VERSION);
    for (int i = 0; i < ncommands; i++) fprintf(f, "  %-18s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nOptions: --help, --version, -v (more log output), -q (errors only).\n"
               "Exit codes: 0 success, 1 bad input, 2 usage error.\n"
               "Road data (c) OpenStreetMap contributors, ODbL. kommute is MPL-2.0.\n");
}

FILE *kmt_cli_out(void)
{
    return stdout;
}

FILE *kmt_cli_err(void)
{
    return stderr;
}

int kmt_cli_error(const kmt_error *e)
{
    char buf[1600];
    fprintf(kmt_cli_err(), "kommute: error: %s\n", kmt_error_format(e, buf, sizeof buf));
    return kmt_error_exit_code(e->code);
}

int kmt_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    FILE *f = kmt_cli_err();
    fprintf(f, "kommute %s: ", cmd);
    vfprintf(f, fmt, ap);
    fprintf(f, "\n(see 'kommute %s --help')\n", cmd);
    va_end(ap);
    return KMT_EXIT_USAGE;
}

int kmt_cli_int(const char *cmd, const char *opt, const char *val, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(val, &end, 10);
    if (!*val || *end || v < lo || v > hi) {
        kmt_cli_usage(cmd, "--%s expects a whole number from %ld to %ld, got '%s'", opt, lo, hi, val);
        return -1;
    }
    *out = v;
    return 0;
}

int kmt_cli_double(const char *cmd, const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(val, &end);
    if (!*val || *end || !(v >= lo && v <= hi)) {
        kmt_cli_usage(cmd, "--%s expects a number from %g to %g, got '%s'", opt, lo, hi, val);
        return -1;
    }
    *out = v;
    return 0;
}

int kmt_cli_parse(int argc, char **argv, kmt_opt *opts, const char **positional, int *npositional, const char *help)
{
    int np = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(help, stdout);
            return -1;
        }
        if (a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9') || (a[1] == '.')) {
            positional[np++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            while (++i < argc) positional[np++] = argv[i];
            break;
        }
        kmt_opt *o = NULL;
        const char *inline_val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (kmt_opt *p = opts; p && p->name; p++)
                if (strlen(p->name) == len && strncmp(p->name, name, len) == 0) o = p;
            if (eq) inline_val = eq + 1;
        } else if (a[2] == '\0') {
            for (kmt_opt *p = opts; p && p->name; p++)
                if (p->short_name == a[1]) o = p;
        }
        if (!o) return kmt_cli_usage(argv[0], "unknown option '%s'", a);
        if (o->takes_value) {
            if (inline_val)
                *o->value = inline_val;
            else if (i + 1 < argc)
                *o->value = argv[++i];
            else
                return kmt_cli_usage(argv[0], "option '%s' needs a value", a);
        } else {
            if (inline_val) return kmt_cli_usage(argv[0], "option '--%s' takes no value", o->name);
            *o->value = "1";
        }
    }
    *npositional = np;
    return 0;
}

int main(int argc, char **argv)
{
    qsort(commands, (size_t)ncommands, sizeof commands[0], cmp_cmd);
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            kmt_log_level = KMT_LOG_INFO;
        else if (strcmp(argv[i], "-vv") == 0)
            kmt_log_level = KMT_LOG_DEBUG;
        else if (strcmp(argv[i], "-q") == 0)
            kmt_log_level = KMT_LOG_ERROR;
        else
            break;
    }
    if (i >= argc) {
        print_help(stderr);
        return KMT_EXIT_USAGE;
    }
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "help") == 0) {
        print_help(stdout);
        return KMT_EXIT_OK;
    }
    if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "version") == 0) {
        printf("kommute %s\n", KMT_VERSION);
        return KMT_EXIT_OK;
    }
    /* Longest match: "graph build" before "graph". */
    char name[128];
    for (int words = 2; words >= 1; words--) {
        if (i + words > argc) continue;
        if (words == 2)
            snprintf(name, sizeof name, "%s %s", argv[i], argv[i + 1]);
        else
            snprintf(name, sizeof name, "%s", argv[i]);
        for (int c = 0; c < ncommands; c++) {
            if (strcmp(commands[c].name, name) != 0) continue;
            char **sub = argv + i + words - 1;
            int subc = argc - i - words + 1;
            sub[0] = (char *)commands[c].name;
            int rc = commands[c].fn(subc, sub);
            return rc < 0 ? KMT_EXIT_OK : rc; /* -1 = help was printed */
        }
    }
    /* A group name alone ("kommute graph"): list its subcommands. */
    size_t len = strlen(argv[i]);
    int found = 0;
    for (int c = 0; c < ncommands; c++) {
        if (strncmp(commands[c].name, argv[i], len) == 0 && commands[c].name[len] == ' ') {
            if (!found) fprintf(stderr, "kommute %s: a subcommand is needed:\n", argv[i]);
            fprintf(stderr, "  %-18s %s\n", commands[c].name, commands[c].summary);
            found = 1;
        }
    }
    if (found) return KMT_EXIT_USAGE;
    fprintf(stderr, "kommute: unknown command '%s' (see 'kommute --help')\n", argv[i]);
    return KMT_EXIT_USAGE;
}
