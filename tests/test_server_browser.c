/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The browser test of the web page (tests/browser/page.test.mjs, node --test
 * with playwright-core driving Debian's chromium). Runs when node, chromium
 * and web/node_modules (npm ci in web/, done by `scripts/bootstrap.sh --test`)
 * are there; skipped with the reason otherwise. Screenshots go to
 * tests/artifacts/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

KMT_TEST(server_browser_page)
{
    if (system("command -v node >/dev/null 2>&1") != 0) kmt_test_skip("node is not installed");
    if (access("/usr/bin/chromium", X_OK) != 0)
        kmt_test_skip("/usr/bin/chromium is not installed (apt package chromium)");
    if (access("web/node_modules/playwright-core/package.json", R_OK) != 0)
        kmt_test_skip("web/node_modules is missing (run: cd web && npm ci)");
    if (access("web/dist/index.html", R_OK) != 0) kmt_test_skip("web/dist is not built (cd web && npm run build)");
    /* the optimised binary next to the ASan one ($(BUILD)/asan/kommute -> $(BUILD)/kommute) */
    char rel[1024] = "build/kommute";
    const char *san = getenv("KMT_BIN");
    if (san) {
        snprintf(rel, sizeof rel, "%s", san);
        char *slash = strrchr(rel, '/');
        if (slash) {
            *slash = '\0';
            slash = strrchr(rel, '/');
            if (slash) snprintf(slash, sizeof rel - (size_t)(slash - rel), "/kommute");
        }
        if (access(rel, X_OK) != 0) snprintf(rel, sizeof rel, "%s", san);
    }
    char log[512], cmd[2048];
    snprintf(log, sizeof log, "%s/browser.log", kmt_test_tmpdir());
    snprintf(cmd, sizeof cmd, "KMT_RELEASE_BIN='%s' node --test tests/browser/ >%s 2>&1", rel, log);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        FILE *f = fopen(log, "r");
        char buf[4096] = "";
        if (f) {
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            buf[n] = '\0';
            fclose(f);
        }
        kmt_test_fail(__FILE__, __LINE__, "node --test tests/browser/ failed:\n%s", buf);
    }
}
