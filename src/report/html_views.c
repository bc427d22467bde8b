/**
 * @file html_views.c
 * @brief Two views of the HTML report across the rules: per device (a table
 * of counts, then each device's findings that are not passes, linked to where
 * they are written in full) and the checklist questions (rule ids linked,
 * what was not evaluated and why).
 */
#define _GNU_SOURCE /* qsort_r */
#include "html.h"

#include <stdlib.h>
#include <string.h>

/* Finding indices by device name (no device last), in report order within a device. */
static int
by_device(const void *a, const void *b, void *arg)
{
    const struct finding *v = arg;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const char *x = v[i].device, *y = v[j].device;
    int c = x && y ? strcmp(x, y) : (x == NULL) - (y == NULL);

    return c ? c : (i > j) - (i < j);
}

/* The range [*lo, *hi) of @p idx whose findings name device @p name (NULL: none). */
static void
device_range(const struct report_ctx *rc, const size_t *idx, const char *name, size_t *lo, size_t *hi)
{
    const struct finding *v = rc->f->v;
    size_t a = 0, b = rc->f->n;

    while (a < b) {
        size_t m = a + (b - a) / 2;
        const char *d = v[idx[m]].device;

        if (name ? d && strcmp(d, name) < 0 : d != NULL)
            a = m + 1;
        else
            b = m;
    }
    *lo = *hi = a;
    while (*hi < rc->f->n && (name ? v[idx[*hi]].device && !strcmp(v[idx[*hi]].device, name)
            : !v[idx[*hi]].device))
        (*hi)++;
}

/* One device (or the network-wide findings when @p name is NULL). */
struct group {
    const char *name, *role, *site, *status, *reason;
    size_t lo, hi;
};

static void
group_anchor(FILE *out, const struct group *g)
{
    if (g->name)
        html_anchor(out, "dev-", g->name);
    else
        fputs("network-wide", out);
}

static void
group_row(FILE *out, const struct report_ctx *rc, const size_t *idx, const struct group *g)
{
    size_t k, n[5] = {0}, below = 0;

    for (k = g->lo; k < g->hi; k++) {
        const struct finding *f = &rc->f->v[idx[k]];

        if (f->status == ST_FAIL && !report_blocks(rc, f))
            below++;
        else
            n[f->status]++;
    }
    fputs("<tr><td><a href=\"#", out);
    group_anchor(out, g);
    fputs("\">", out);
    HTML_T(out, g->name ? g->name : "network-wide and circuits");
    fputs("</a></td><td>", out);
    HTML_T(out, g->role);
    fputs("</td><td>", out);
    HTML_T(out, g->site);
    fputs("</td><td>", out);
    if (g->status && strcmp(g->status, "collected"))
        fprintf(out, "<span class=\"b %s\">", !strcmp(g->status, "failed") ? "fail" : "ne");
    HTML_T(out, g->status);
    if (g->status && strcmp(g->status, "collected"))
        fputs("</span>", out);
    fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu"
            "</td><td class=\"n\">%zu</td></tr>\n", n[ST_FAIL], below, n[ST_NOT_EVALUATED],
            n[ST_WAIVED] + n[ST_ATTESTED], n[ST_PASS]);
}

static void
group_block(FILE *out, const struct report_ctx *rc, const size_t *idx, const struct group *g)
{
    size_t k, listed = 0;

    fputs("<div class=\"device\" id=\"", out);
    group_anchor(out, g);
    fputs("\"><h3>", out);
    HTML_T(out, g->name ? g->name : "Network-wide and circuit findings");
    if (g->role) {
        fputs(" <span class=\"meta\">", out);
        HTML_T(out, g->role);
        if (g->site) {
            fputs(", site ", out);
            HTML_T(out, g->site);
        }
        fputs("</span>", out);
    }
    fputs("</h3>\n", out);
    if (g->status && strcmp(g->status, "collected")) {
        fputs("<p class=\"reason\">collection ", out);
        HTML_T(out, g->status);
        if (g->reason) {
            fputs(": ", out);
            HTML_T(out, g->reason);
        }
        fputs("</p>\n", out);
    }
    for (k = g->lo; k < g->hi; k++) {
        size_t i = idx[k];

        if (rc->f->v[i].status == ST_PASS)
            continue;
        fputs(listed++ ? "<li>" : "<ul class=\"refs\">\n<li>", out);
        html_finding_ref(out, rc, i);
        fputs("</li>\n", out);
    }
    if (listed)
        fputs("</ul>\n", out);
    fprintf(out, "<p class=\"meta\">%zu passing check%s%s</p></div>\n", g->hi - g->lo - listed,
            g->hi - g->lo - listed == 1 ? "" : "s", listed ? "" : "; nothing else names this device");
}

er_code
html_devices(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    struct group *g = NULL;
    size_t *idx = NULL, i, n_g = 0, cap = 1;
    struct lyd_node *dev;

    if (rc->m) {
        MODEL_FOR(rc->m->net, "device", dev)
            cap++;
    }
    idx = malloc((rc->f->n ? rc->f->n : 1) * sizeof *idx);
    g = calloc(cap + rc->f->n, sizeof *g);
    if (!idx || !g) {
        free(idx);
        free(g);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    for (i = 0; i < rc->f->n; i++)
        idx[i] = i;
    qsort_r(idx, rc->f->n, sizeof *idx, by_device, rc->f->v);
    if (rc->m) {
        MODEL_FOR(rc->m->net, "device", dev) {
            const struct lyd_node *coll = model_child(dev, "collection");

            g[n_g].name = model_str(dev, "name");
            g[n_g].role = model_str(dev, "role");
            g[n_g].site = model_str(dev, "site");
            g[n_g].status = coll && model_str(coll, "status") ? model_str(coll, "status") : "collected";
            g[n_g].reason = coll ? model_str(coll, "reason") : NULL;
            device_range(rc, idx, g[n_g].name, &g[n_g].lo, &g[n_g].hi);
            n_g++;
        }
    }
    /* Devices the findings name that the model does not hold (not collected at all), then no device. */
    for (i = 0; i < rc->f->n; i++) {
        const char *d = rc->f->v[idx[i]].device;

        if (d && (i == 0 || !rc->f->v[idx[i - 1]].device || strcmp(rc->f->v[idx[i - 1]].device, d)) &&
                !(rc->m && model_find_device(rc->m, d))) {
            g[n_g].name = d;
            device_range(rc, idx, d, &g[n_g].lo, &g[n_g].hi);
            n_g++;
        }
    }
    device_range(rc, idx, NULL, &g[n_g].lo, &g[n_g].hi);
    n_g += g[n_g].hi > g[n_g].lo;

    fprintf(out, "<section id=\"devices\"><h2>Devices</h2>\n<table class=\"list\"><thead><tr><th>device</th>"
            "<th>role</th><th>site</th><th>collection</th><th>fail</th><th>below fail-on</th><th>N/E</th>"
            "<th>waived or attested</th><th>pass</th></tr></thead><tbody>\n");
    for (i = 0; i < n_g; i++)
        group_row(out, rc, idx, &g[i]);
    fputs("</tbody></table>\n", out);
    for (i = 0; i < n_g; i++)
        group_block(out, rc, idx, &g[i]);
    fputs("</section>\n", out);
    free(idx);
    free(g);
    return ER_OK;
}

/* The rule ids of @p list as links coloured by outcome; with @p why, each rule not evaluated and its reason. */
static void
rule_links(FILE *out, const struct report_ctx *rc, const char *list, int why)
{
    const char *p = list;
    char id[64];

    while (p && *p) {
        size_t l = strcspn(p, " ");
        const struct rule_result *r;
        const char *cls = "na";

        snprintf(id, sizeof id, "%.*s", (int)(l < sizeof id ? l : sizeof id - 1), p);
        p += l + (p[l] == ' ');
        if (!l || !(r = html_rule(rc, id)))
            continue;
        html_outcome(rc, r, &cls);
        if (why && r->outcome != OUT_NOT_EVALUATED)
            continue;
        fputs(why ? "<div class=\"reason\">" : "", out);
        fprintf(out, "<a class=\"o-%s\" href=\"#", cls);
        html_anchor(out, "", id);
        fputs("\">", out);
        HTML_T(out, id);
        fputs("</a>", out);
        if (why) {
            fputs(" not evaluated: ", out);
            HTML_T(out, r->reason ? r->reason : "no reason recorded");
            fputs("</div>", out);
        }
    }
}

void
html_questions(FILE *out, const struct report_ctx *rc)
{
    static const char *const label[] = {"PASS", "FAIL", "N/E", "ATTESTED", "NOT ANSWERED", "PARTIAL"};
    static const char *const cls[] = {"pass", "fail", "ne", "att", "na", "part"};
    size_t i, j;

    if (!rc->f->n_questions)
        return;
    fputs("<section id=\"checklist\"><h2>Checklist questions</h2>\n<table class=\"list q\"><tbody>\n", out);
    for (i = 0; i < rc->f->n_questions; i++) {
        const struct question_result *q = &rc->f->questions[i];
        int shown = 0;

        fputs("<tr id=\"", out);
        html_anchor(out, "q-", q->id);
        fprintf(out, "\"><td><span class=\"b %s\">%s</span></td><td class=\"id\">", cls[q->status], label[q->status]);
        HTML_T(out, q->id);
        fputs("</td><td>", out);
        HTML_T(out, q->text);
        if (q->rules && *q->rules) {
            fputs("<div class=\"meta\">rules: ", out);
            rule_links(out, rc, q->rules, 0);
            fputs("</div>", out);
        }
        if (q->status == Q_PARTIAL)
            fputs("<div class=\"meta\">partial: the rules below were not evaluated; the others passed</div>", out);
        rule_links(out, rc, q->rules, 1);
        /* The attestation is a finding of its own (the question's id as its rule): written here, once. */
        for (j = 0; j < rc->f->n; j++) {
            if (!strcmp(rc->f->v[j].rule, q->id) && html_home(rc, &rc->f->v[j]) == HOME_QUESTION) {
                html_finding(out, rc, j);
                shown = 1;
            }
        }
        if (q->answer && !shown) {
            fputs("<div>attested: ", out);
            HTML_T(out, q->answer);
            fputs(" (", out);
            HTML_T(out, q->by);
            fputs(", ", out);
            HTML_T(out, q->date);
            if (q->evidence) {
                fputs("; evidence: ", out);
                HTML_T(out, q->evidence);
            }
            fputs(")</div>", out);
        } else if (!q->answer && (q->status == Q_NOT_ANSWERED || q->status == Q_NOT_EVALUATED)) {
            fputs("<div class=\"meta\">not answered: no data for its rules and no attestation in the inventory"
                  "</div>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></section>\n", out);
}
