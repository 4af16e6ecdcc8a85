/* SPDX-License-Identifier: MPL-2.0 */
/*
 * The travel report as one self-contained HTML page: inline CSS, inline SVG
 * charts drawn here (no scripts, no network), so a strategist can mail it to
 * the board. Charts: km per year against the baseline and targets; km by
 * mode per year; km by purpose per year.
 */
#include <math.h>
#include <string.h>

#include "cli_travel.h"

void kmt__html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A round axis maximum >= v: 1, 2, 2.5 or 5 times a power of ten. */
static double nice_max(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v)));
    const double steps[] = { 1, 2, 2.5, 5, 10 };
    for (int i = 0; i < 5; i++)
        if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
}

/* Short number: 950, 12.5k, 3.2M. */
static void short_num(char *s, size_t n, double v)
{
    double a = fabs(v);
    if (a >= 1e9)
        snprintf(s, n, "%.3gG", v / 1e9);
    else if (a >= 1e6)
        snprintf(s, n, "%.3gM", v / 1e6);
    else if (a >= 1e3)
        snprintf(s, n, "%.3gk", v / 1e3);
    else
        snprintf(s, n, "%.3g", v);
}

/* Number with thousands separators (thin spaces) and dec decimals. */
static void fmt_num(FILE *out, double v, int dec)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, v);
    char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t start = raw[0] == '-' ? 1 : 0;
    if (start) fputc('-', out);
    for (size_t i = start; i < intlen; i++) {
        fputc(raw[i], out);
        size_t left = intlen - i - 1;
        if (left && left % 3 == 0) fputs("&#8201;", out);
    }
    if (dot) fputs(dot, out);
}

static const char *const palette[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

/* A target marker drawn on a category. */
typedef struct {
    int cat;
    double value;
    const char *label;
    int met;
} marker;

/*
 * Stacked bar chart: ncat categories (x), nser series stacked; v[s * ncat + c].
 * Markers are short red (missed) or green (met) lines with a label.
 */
static void svg_stacked(FILE *o, const char *title, const char *unit, int ncat, const char *const *cats, int nser,
                        const char *const *sers, const double *v, const marker *mk, int nmk, int highlight_cat)
{
    const double W = 760, H = 330, L = 70, R = nser > 1 ? 170 : 20, T = 44, B = 40;
    double maxv = 0;
    for (int c = 0; c < ncat; c++) {
        double sum = 0;
        for (int s = 0; s < nser; s++) sum += v[s * ncat + c];
        if (sum > maxv) maxv = sum;
    }
    for (int i = 0; i < nmk; i++)
        if (mk[i].value > maxv) maxv = mk[i].value;
    double top = nice_max(maxv);
    double pw = W - L - R, ph = H - T - B, bw = pw / (ncat > 0 ? ncat : 1);
    fprintf(o,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"",
            W, H, W, H);
    kmt__html_text(o, title);
    fprintf(o, "\">\n<text x=\"%.0f\" y=\"18\" class=\"t\">", L);
    kmt__html_text(o, title);
    fputs("</text>\n", o);
    for (int g = 0; g <= 5; g++) {
        double val = top * g / 5, y = T + ph - ph * g / 5;
        char s[32];
        short_num(s, sizeof s, val);
        fprintf(o,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"g\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"a\" text-anchor=\"end\">%s</text>\n",
                L, y, L + pw, y, L - 6, y + 4, s);
    }
    fprintf(o,
            "<text x=\"14\" y=\"%.1f\" class=\"a\" transform=\"rotate(-90 14 %.1f)\" "
            "text-anchor=\"middle\">",
            T + ph / 2, T + ph / 2);
    kmt__html_text(o, unit);
    fputs("</text>\n", o);
    for (int c = 0; c < ncat; c++) {
        double x = L + c * bw + bw * 0.15, w = bw * 0.7, y = T + ph;
        for (int s = 0; s < nser; s++) {
            double val = v[s * ncat + c];
            if (!(val > 0)) continue;
            double h = ph * val / top;
            y -= h;
            fprintf(o,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s>"
                    "<title>",
                    x, y, w, h, palette[s % 10],
                    c == highlight_cat && nser == 1 ? " stroke=\"#000\" stroke-width=\"2\"" : "");
            kmt__html_text(o, cats[c]);
            if (nser > 1) {
                fputs(" ", o);
                kmt__html_text(o, sers[s]);
            }
            fprintf(o, ": %.0f %s</title></rect>\n", val, unit);
        }
        if (ncat <= 24 || c % 2 == 0) {
            fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" class=\"a\" text-anchor=\"middle\">", L + c * bw + bw / 2,
                    T + ph + 16);
            kmt__html_text(o, cats[c]);
            fputs("</text>\n", o);
        }
    }
    for (int i = 0; i < nmk; i++) {
        double x = L + mk[i].cat * bw, y = T + ph - ph * mk[i].value / top;
        const char *col = mk[i].met ? "#2a7d2a" : "#c0392b";
        fprintf(o,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\" "
                "stroke-dasharray=\"6 3\"/><text x=\"%.1f\" y=\"%.1f\" class=\"a\" fill=\"%s\" "
                "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" font-weight=\"600\" "
                "text-anchor=\"middle\">",
                x + 2, y, x + bw - 2, y, col, x + bw / 2, y - 5, col);
        kmt__html_text(o, mk[i].label);
        fputs("</text>\n", o);
    }
    if (nmk > 0)
        fprintf(o,
                "<text x=\"%.0f\" y=\"34\" class=\"a\">bars: km; outlined: baseline year; "
                "dashed: target (green met, red not yet)</text>\n",
                L);
    if (nser > 1)
        for (int s = 0; s < nser; s++) {
            double y = T + 10 + s * 18;
            fprintf(o,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" class=\"a\">",
                    W - R + 12, y, palette[s % 10], W - R + 30, y + 10);
            kmt__html_text(o, sers[s]);
            fputs("</text>\n", o);
        }
    fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n</svg>\n", L, T + ph, L + pw,
            T + ph);
}

static const char CSS[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:980px;margin:2em auto;"
    "padding:0 1em;color:#222}h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{padding:.25em .6em;border-bottom:1px solid "
    "#e4e4e4}"
    "th{text-align:left;background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".met{color:#2a7d2a;font-weight:600}.miss{color:#c0392b;font-weight:600}.small{font-size:.8em;color:#555}"
    "svg{max-width:100%;height:auto;display:block;margin:1em 0}svg .t{font-size:14px;font-weight:600}"
    "svg .a{font-size:11px}svg .g{stroke:#e3e3e3}";

static void th(FILE *o, const char *const *cols, int n)
{
    fputs("<tr>", o);
    for (int i = 0; i < n; i++) fprintf(o, "<th>%s</th>", cols[i]);
    fputs("</tr>\n", o);
}

static void td_num(FILE *o, double v, int dec)
{
    fputs("<td class=\"n\">", o);
    fmt_num(o, v, dec);
    fputs("</td>", o);
}

static void years_table(FILE *o, const kmt_travel_report *r, int s)
{
    const char *cols[] = { "Year", "Trips", "km", "MWh", "GWh", "t CO2e", "Cost", "Hours", "FTE" };
    fputs("<table>", o);
    th(o, cols, 9);
    for (int yi = 0; yi < r->nyears; yi++) {
        const kmt_travel_totals *t = kmt_travel_year(r, s, yi);
        if (!t->trips) continue;
        double h = (double)t->seconds / 3600.0;
        fprintf(o, "<tr><td>%d%s</td>", r->year_from + yi, r->year_from + yi == r->baseline_year ? " (baseline)" : "");
        td_num(o, (double)t->trips, 0);
        td_num(o, (double)t->m / 1000.0, 0);
        td_num(o, t->kwh / 1e3, 1);
        td_num(o, t->kwh / 1e6, 3);
        td_num(o, t->co2e_g / 1e6, 2);
        td_num(o, t->cost, 0);
        td_num(o, h, 0);
        td_num(o, h / r->hours_per_fte, 2);
        fputs("</tr>\n", o);
    }
    fputs("</table>\n", o);
}

static void targets_table(FILE *o, const kmt_travel_report *r, int s)
{
    if (!r->ntargets) return;
    const char *cols[] = { "Target", "Baseline km", "Target km", "Actual km", "Gap km", "Gap MWh", "Status" };
    fputs("<table>", o);
    th(o, cols, 7);
    for (int t = 0; t < r->ntargets; t++) {
        const kmt_travel_target *g = kmt_travel_scope_target(r, s, t);
        fprintf(o, "<tr><td>%d: &minus;%g%% vs %d</td>", g->year, g->reduction_bp / 100.0, g->baseline_year);
        td_num(o, (double)g->baseline_m / 1000.0, 0);
        td_num(o, (double)g->target_m / 1000.0, 0);
        td_num(o, (double)g->actual_m / 1000.0, 0);
        td_num(o, (double)g->gap_m / 1000.0, 0);
        td_num(o, g->gap_kwh / 1000.0, 1);
        if (g->no_baseline)
            fputs("<td>no records in the baseline year</td>", o);
        else if (!g->actual_year)
            fputs("<td>no records</td>", o);
        else
            fprintf(o, "<td class=\"%s\">%s%s</td>", g->met ? "met" : "miss", g->met ? "met" : "not met",
                    g->provisional ? " (provisional: latest year)" : "");
        fputs("</tr>\n", o);
    }
    fputs("</table>\n", o);
}

/* The departments of scope s in the last year with records. */
static void depts_table(FILE *o, const kmt_travel_report *r, const kmt_dataset *d, int s)
{
    int yl = r->nyears - 1;
    while (yl > 0 && kmt_travel_year(r, s, yl)->trips == 0) yl--;
    int any = 0;
    for (int k = 0; k < r->ndepts; k++) {
        const kmt_travel_totals *t = kmt_travel_dept(r, k, yl);
        if (r->dept_scope[k] != s || !t->trips) continue;
        if (!any) {
            const char *cols[] = { "Department", "Trips", "km", "MWh", "t CO2e", "Cost", "Hours", "FTE" };
            fprintf(o, "<p>Departments, %d:</p><table>", r->year_from + yl);
            th(o, cols, 8);
            any = 1;
        }
        fputs("<tr><td>", o);
        kmt__html_text(o, d->orgs.v[r->dept_org[k]].name);
        fputs("</td>", o);
        td_num(o, (double)t->trips, 0);
        td_num(o, (double)t->m / 1000.0, 0);
        td_num(o, t->kwh / 1e3, 1);
        td_num(o, t->co2e_g / 1e6, 2);
        td_num(o, t->cost, 0);
        td_num(o, (double)t->seconds / 3600.0, 0);
        td_num(o, (double)t->seconds / 3600.0 / r->hours_per_fte, 2);
        fputs("</tr>\n", o);
    }
    if (any) fputs("</table>\n", o);
}

/* The organisations' own tables, when the report has more than one scope. */
static void html_orgs(FILE *o, const kmt_travel_report *r, const kmt_dataset *d)
{
    if (r->nscopes > 1) {
        fputs("<h2>Organisations</h2>\n", o);
        for (int s = 1; s < r->nscopes; s++) {
            int64_t any = 0;
            for (int yi = 0; yi < r->nyears; yi++) any += kmt_travel_year(r, s, yi)->trips;
            if (!any) continue;
            fputs("<h3>", o);
            kmt__html_text(o, d->orgs.v[r->scope_org[s]].name);
            fputs("</h3>\n", o);
            years_table(o, r, s);
            targets_table(o, r, s);
            depts_table(o, r, d, s);
        }
    }
}

/* The factor rows used, with their sources and derivations. */
static void html_factors(FILE *o, const kmt_travel_report *r, const kmt_factors *f, const char *factors_path)
{
    fputs("<h2>Factors used</h2>\n<p>File <code>", o);
    kmt__html_text(o, factors_path);
    fputs("</code>, version <code>", o);
    kmt__html_text(o, f->version);
    fprintf(o, "</code>, %zu rows (%lld matched records). Rows for %s and for all countries:</p>\n", f->nrows,
            (long long)r->factor_rows_used, r->country);
    const char *cols[] = { "Mode", "Fuel", "Basis", "kWh/km", "g CO2e/km", "Cost/km", "Source and derivation" };
    fputs("<table class=\"small\">", o);
    th(o, cols, 7);
    for (size_t i = 0; i < f->nrows; i++) {
        const kmt_factor *x = &f->rows[i];
        if (strcmp(x->country, r->country) != 0 && strcmp(x->country, "*") != 0) continue;
        fprintf(o, "<tr><td>%s%s</td><td>%s</td><td>%s</td>", x->mode, strcmp(x->country, "*") ? "" : " (*)",
                *x->fuel ? x->fuel : "any", x->per_passenger ? "passenger-km" : "vehicle-km");
        td_num(o, x->kwh_per_km, 3);
        td_num(o, x->co2e_g_per_km, 1);
        td_num(o, x->cost_per_km, 2);
        fputs("<td>", o);
        kmt__html_text(o, x->source);
        fprintf(o, " (%d)", x->year);
        if (*x->derivation) {
            fputs("<br><i>", o);
            kmt__html_text(o, x->derivation);
            fputs("</i>", o);
        }
        if (*x->cost_source) {
            fputs("<br>Cost: ", o);
            kmt__html_text(o, x->cost_source);
        }
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n", o);
}

int kmt__travel_html(FILE *o, const kmt_travel_report *r, const kmt_dataset *d, const kmt_factors *f,
                     const char *factors_path, const char *hours_source)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
          "<title>Travel and climate account</title><style>",
          o);
    fputs(CSS, o);
    fputs("</style></head><body>\n<h1>Travel and climate account</h1>\n", o);
    fprintf(o,
            "<p>%lld travel records, %d&ndash;%d. Country %s, amounts in %s. "
            "One full-time equivalent = %g hours a year (",
            (long long)r->records, r->year_from, r->year_from + r->nyears - 1, r->country, r->currency,
            r->hours_per_fte);
    kmt__html_text(o, hours_source);
    fputs(").</p>\n", o);

    /* chart 1: km per year against the targets */
    int last = r->year_from + r->nyears - 1;
    for (int t = 0; t < r->ntargets; t++)
        if (r->targets[t].year > last) last = r->targets[t].year;
    int ncat = last - r->year_from + 1;
    if (ncat > 80) ncat = 80;
    char(*labels)[8] = kmt_calloc((size_t)ncat, 8);
    const char **cats = kmt_calloc((size_t)ncat, sizeof *cats);
    double *v = kmt_calloc((size_t)ncat * (KMT_TRAVEL_NMODES + 64), sizeof *v);
    for (int c = 0; c < ncat; c++) {
        snprintf(labels[c], 8, "%d", r->year_from + c);
        cats[c] = labels[c];
        if (c < r->nyears) v[c] = (double)kmt_travel_year(r, 0, c)->m / 1000.0;
    }
    marker mk[16];
    char mlabel[16][40];
    int nmk = 0;
    for (int t = 0; t < r->ntargets && nmk < 16; t++) {
        const kmt_travel_target *g = kmt_travel_scope_target(r, 0, t);
        if (g->year - r->year_from >= ncat) continue;
        snprintf(mlabel[nmk], sizeof mlabel[0], "-%g%%", g->reduction_bp / 100.0);
        mk[nmk] = (marker){ g->year - r->year_from, (double)g->target_m / 1000.0, mlabel[nmk], g->met };
        nmk++;
    }
    fputs("<h2>Trend against target</h2>\n", o);
    const char *one[] = { "km" };
    svg_stacked(o, "Kilometres travelled per year, with targets", "km", ncat, cats, 1, one, v, mk, nmk,
                r->baseline_year ? r->baseline_year - r->year_from : -1);
    years_table(o, r, 0);
    targets_table(o, r, 0);

    /* chart 2: by mode */
    int nyc = r->nyears < ncat ? r->nyears : ncat;
    const char *modes[KMT_TRAVEL_NMODES];
    int nm = 0;
    memset(v, 0, sizeof(double) * (size_t)ncat * (KMT_TRAVEL_NMODES + 64));
    for (int m = 0; m < KMT_TRAVEL_NMODES; m++) {
        int64_t any = 0;
        for (int yi = 0; yi < nyc; yi++) any += kmt_travel_mode(r, 0, yi, m)->trips;
        if (!any) continue;
        modes[nm] = kmt_mode_name((kmt_mode)m);
        for (int yi = 0; yi < nyc; yi++) v[nm * nyc + yi] = (double)kmt_travel_mode(r, 0, yi, m)->m / 1000.0;
        nm++;
    }
    fputs("<h2>Breakdown by mode</h2>\n", o);
    svg_stacked(o, "Kilometres per year by mode", "km", nyc, cats, nm, modes, v, NULL, 0, -1);
    {
        int yl = r->nyears - 1;
        const char *cols[] = { "Mode", "Trips", "km", "MWh", "t CO2e", "Cost", "Hours" };
        fprintf(o, "<p>%d:</p><table>", r->year_from + yl);
        th(o, cols, 7);
        for (int m = 0; m < KMT_TRAVEL_NMODES; m++) {
            const kmt_travel_totals *t = kmt_travel_mode(r, 0, yl, m);
            if (!t->trips) continue;
            fprintf(o, "<tr><td>%s</td>", kmt_mode_name((kmt_mode)m));
            td_num(o, (double)t->trips, 0);
            td_num(o, (double)t->m / 1000.0, 0);
            td_num(o, t->kwh / 1e3, 1);
            td_num(o, t->co2e_g / 1e6, 2);
            td_num(o, t->cost, 0);
            td_num(o, (double)t->seconds / 3600.0, 0);
            fputs("</tr>\n", o);
        }
        fputs("</table>\n", o);
    }

    /* chart 3: by purpose (up to 9 largest, the rest as "other") */
    fputs("<h2>Breakdown by purpose</h2>\n", o);
    int np = r->npurposes < 64 ? r->npurposes : 64;
    const char *purp[10];
    int order[64];
    double tot[64];
    for (int p = 0; p < np; p++) {
        order[p] = p;
        tot[p] = 0;
        for (int yi = 0; yi < nyc; yi++) tot[p] += (double)kmt_travel_purpose(r, 0, yi, p)->m;
    }
    for (int i = 1; i < np; i++) /* insertion sort by total, largest first */
        for (int k = i; k > 0 && tot[order[k]] > tot[order[k - 1]]; k--) {
            int x = order[k];
            order[k] = order[k - 1];
            order[k - 1] = x;
        }
    int ns = np > 10 ? 10 : np;
    memset(v, 0, sizeof(double) * (size_t)ncat * (KMT_TRAVEL_NMODES + 64));
    for (int k = 0; k < np; k++) {
        int s = k < 9 || np <= 10 ? k : 9;
        purp[s] = s == 9 && np > 10 ? "other" : (*r->purposes[order[k]] ? r->purposes[order[k]] : "(none)");
        for (int yi = 0; yi < nyc; yi++) v[s * nyc + yi] += (double)kmt_travel_purpose(r, 0, yi, order[k])->m / 1000.0;
    }
    svg_stacked(o, "Kilometres per year by purpose", "km", nyc, cats, ns, purp, v, NULL, 0, -1);

    html_orgs(o, r, d);
    html_factors(o, r, f, factors_path);
    fputs("<p class=\"small\">Made with kommute " KMT_VERSION
          ". Energy and CO2e are km &times; the factor of the record's mode and fuel; hours are the "
          "recorded travel time, else km &divide; the mode's assumed speed; costs are the recorded cost, "
          "else km &times; the cost per km above.</p>\n</body></html>\n",
          o);
    kmt_free(labels);
    kmt_free(cats);
    kmt_free(v);
    return ferror(o) ? KMT_EIO : 0;
}
