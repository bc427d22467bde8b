/**
 * @file html_rules.c
 * @brief The HTML report's checklist sections: a block per rule with its
 * outcome, severity, the questions it answers, its fix text once, each
 * finding that is not a pass with its evidence, and the passing checks
 * folded on screen (opened in print).
 */
#include "html.h"

#include <string.h>

static const enum er_section order[] = {SECT_CLIENT, SECT_WAN, SECT_PEERING, SECT_ASYM, SECT_GEO, SECT_ONPREM};

#define N_ORDER (sizeof order / sizeof *order)

static void
ev_row(FILE *out, const char *name, const char *value, int code)
{
    if (!value)
        return;
    fprintf(out, "<tr><td>%s</td><td>%s", name, code ? "<code>" : "");
    HTML_T(out, value);
    fprintf(out, "%s</td></tr>", code ? "</code>" : "");
}

/* The message, and the circuit when the message does not name it. */
static void
message(FILE *out, const struct finding *f)
{
    HTML_T(out, f->message);
    if (f->circuit && f->message && !strstr(f->message, f->circuit)) {
        fputs(" (circuit ", out);
        HTML_T(out, f->circuit);
        fputc(')', out);
    }
}

void
html_finding(FILE *out, const struct report_ctx *rc, size_t i)
{
    const struct finding *f = &rc->f->v[i];
    int below = f->status == ST_FAIL && !report_blocks(rc, f);

    switch (f->status) {
    case ST_FAIL:
        fprintf(out, "<div class=\"finding s-%s%s\" id=\"f-%zu\">", sev_name(f->sev), below ? " below" : "", i + 1);
        html_sev(out, f->sev, below);
        if (below)
            fputs("<span class=\"tag below\">below fail-on</span>", out);
        break;
    case ST_WAIVED:
        fprintf(out, "<div class=\"finding waived\" id=\"f-%zu\"><span class=\"b na\">WAIVED</span>", i + 1);
        html_sev(out, f->sev, 0);
        break;
    case ST_NOT_EVALUATED:
        fprintf(out, "<div class=\"finding ne\" id=\"f-%zu\"><span class=\"b ne\">N/E</span>", i + 1);
        break;
    case ST_ATTESTED:
        fprintf(out, "<div class=\"finding att\" id=\"f-%zu\"><span class=\"b att\">ATTESTED</span>", i + 1);
        break;
    case ST_PASS:
        fprintf(out, "<div class=\"finding\" id=\"f-%zu\"><span class=\"b pass\">PASS</span>", i + 1);
        break;
    }
    if (report_is_new(rc, i))
        fputs("<span class=\"tag new\">new</span>", out);
    message(out, f);
    fputs("<table class=\"ev\">", out);
    if (f->device) {
        fputs("<tr><td>device</td><td><a href=\"#", out);
        html_anchor(out, "dev-", f->device);
        fputs("\">", out);
        HTML_T(out, f->device);
        fputs("</a></td></tr>", out);
    }
    ev_row(out, "waiver", f->waiver, 0);
    ev_row(out, "path", f->path, 1);
    ev_row(out, "seen", f->seen, 0);
    ev_row(out, "expected", f->expected, 0);
    ev_row(out, "source", source_name(f->source), 0);
    fputs("</table></div>\n", out);
}

/* Whether finding @p f of home @p home belongs to rule @p id (NULL: any). */
static int
belongs(const struct report_ctx *rc, const struct finding *f, const char *id, enum html_home home)
{
    if (id && strcmp(f->rule, id))
        return 0;
    return html_home(rc, f) == home;
}

void
html_fix(FILE *out, const struct report_ctx *rc, const char *id, enum html_home home)
{
    const char *seen[8];
    size_t i, j, n = 0;

    for (i = 0; i < rc->f->n && n < sizeof seen / sizeof *seen; i++) {
        const struct finding *f = &rc->f->v[i];

        if ((f->status != ST_FAIL && f->status != ST_WAIVED) || !f->remediation || !belongs(rc, f, id, home))
            continue;
        for (j = 0; j < n && strcmp(seen[j], f->remediation); j++)
            ;
        if (j < n)
            continue;
        seen[n++] = f->remediation;
        fputs("<div class=\"fix\"><b>Fix:</b> ", out);
        HTML_T(out, f->remediation);
        fputs("</div>\n", out);
    }
}

/* The passing checks of rule @p id, folded on screen, all printed. */
static void
passes(FILE *out, const struct report_ctx *rc, const char *id, size_t n)
{
    size_t i, listed = 0;

    fprintf(out, "<details><summary>%zu passing check%s</summary><ul class=\"passes\">\n", n, n == 1 ? "" : "s");
    for (i = 0; i < rc->f->n && listed < HTML_PASS_MAX; i++) {
        const struct finding *f = &rc->f->v[i];

        if (f->status != ST_PASS || strcmp(f->rule, id) || f->section == SECT_COLLECTION)
            continue;
        fprintf(out, "<li id=\"f-%zu\">", i + 1);
        message(out, f);
        if (f->seen) {
            fputs(" <span class=\"meta\">(seen: ", out);
            HTML_T(out, f->seen);
            fputs(")</span>", out);
        }
        fputs("</li>\n", out);
        listed++;
    }
    if (n > listed)
        fprintf(out, "<li>and %zu more (the JSON report lists every one)</li>\n", n - listed);
    fputs("</ul></details>\n", out);
}

static void
rule_block(FILE *out, const struct report_ctx *rc, const struct rule_result *res)
{
    const char *cls, *label = html_outcome(rc, res, &cls);
    size_t i, n_pass = 0, n_fail = 0, n_ne = 0, n_other = 0, nq = 0;

    for (i = 0; i < rc->f->n; i++) {
        const struct finding *f = &rc->f->v[i];

        if (strcmp(f->rule, res->id) || f->section == SECT_COLLECTION)
            continue;
        n_pass += f->status == ST_PASS;
        n_fail += f->status == ST_FAIL;
        n_ne += f->status == ST_NOT_EVALUATED;
        n_other += f->status == ST_WAIVED || f->status == ST_ATTESTED;
    }
    fputs("<article class=\"rule\" id=\"", out);
    html_anchor(out, "", res->id);
    fprintf(out, "\"><h3><span class=\"b %s\">%s</span><span class=\"id\">", cls, label);
    HTML_T(out, res->id);
    fputs("</span>", out);
    html_sev(out, res->sev, 0);
    HTML_T(out, res->title);
    fputs("</h3>\n<p class=\"rmeta\">", out);
    for (i = 0; i < rc->f->n_questions; i++) {
        if (!report_in_list(rc->f->questions[i].rules, res->id))
            continue;
        fputs(nq++ ? ", " : "answers ", out);
        fputs("<a href=\"#", out);
        html_anchor(out, "q-", rc->f->questions[i].id);
        fputs("\">", out);
        HTML_T(out, rc->f->questions[i].id);
        fputs("</a>", out);
    }
    fprintf(out, "%s%zu failing, %zu not evaluated, %zu passing", nq ? "; " : "", n_fail, n_ne, n_pass);
    if (n_other)
        fprintf(out, ", %zu waived or attested", n_other);
    fputs("</p>\n", out);
    html_fix(out, rc, res->id, HOME_RULE);
    for (i = 0; i < rc->f->n; i++) {
        const struct finding *f = &rc->f->v[i];

        if (f->status != ST_PASS && !strcmp(f->rule, res->id) && f->section != SECT_COLLECTION)
            html_finding(out, rc, i);
    }
    /* A rule that could not run at all says why once, here. */
    if (res->outcome == OUT_NOT_EVALUATED && !n_ne && !n_fail && !n_other) {
        fputs("<div class=\"finding ne\"><span class=\"b ne\">N/E</span><span class=\"reason\">", out);
        HTML_T(out, res->reason ? res->reason : "no reason recorded");
        fputs("</span></div>\n", out);
    }
    if (n_pass)
        passes(out, rc, res->id, n_pass);
    fputs("</article>\n", out);
}

void
html_sections(FILE *out, const struct report_ctx *rc)
{
    size_t i, k, other = 0;

    for (k = 0; k < N_ORDER; k++) {
        int any = 0;

        for (i = 0; i < rc->f->n_rules; i++) {
            if (rc->f->rules[i].section != order[k])
                continue;
            if (!any++)
                fprintf(out, "<section id=\"sec-%s\"><h2>%s</h2>\n", section_name(order[k]),
                        section_title(order[k]));
            rule_block(out, rc, &rc->f->rules[i]);
        }
        if (any)
            fputs("</section>\n", out);
    }
    /* Findings of a rule the audit has no result for: shown, never dropped. */
    for (i = 0; i < rc->f->n; i++) {
        if (html_home(rc, &rc->f->v[i]) != HOME_OTHER)
            continue;
        if (!other++) {
            fputs("<section id=\"other\"><h2>Other findings</h2>\n", out);
            html_fix(out, rc, NULL, HOME_OTHER);
        }
        html_finding(out, rc, i);
    }
    if (other)
        fputs("</section>\n", out);
}

void
html_sections_toc(FILE *out, const struct report_ctx *rc)
{
    size_t i, k;

    for (k = 0; k < N_ORDER; k++) {
        size_t n = 0, fail = 0, warn = 0, ne = 0;

        for (i = 0; i < rc->f->n_rules; i++) {
            const struct rule_result *r = &rc->f->rules[i];

            if (r->section != order[k])
                continue;
            n++;
            warn += report_rule_below(rc, r);
            fail += r->outcome == OUT_FAIL && !report_rule_below(rc, r);
            ne += r->outcome == OUT_NOT_EVALUATED;
        }
        if (!n)
            continue;
        fprintf(out, "<li><a href=\"#sec-%s\">%s</a> <span class=\"meta\">(%zu rule%s: %zu fail, %zu warn, %zu N/E)"
                "</span><div class=\"rules\">", section_name(order[k]), section_title(order[k]), n,
                n == 1 ? "" : "s", fail, warn, ne);
        for (i = 0; i < rc->f->n_rules; i++) {
            const struct rule_result *r = &rc->f->rules[i];
            const char *cls;

            if (r->section != order[k])
                continue;
            html_outcome(rc, r, &cls);
            fprintf(out, "<a class=\"o-%s\" href=\"#", cls);
            html_anchor(out, "", r->id);
            fputs("\">", out);
            HTML_T(out, r->id);
            fputs("</a>", out);
        }
        fputs("</div></li>\n", out);
    }
    for (i = 0; i < rc->f->n; i++) {
        if (html_home(rc, &rc->f->v[i]) == HOME_OTHER) {
            fputs("<li><a href=\"#other\">Other findings</a></li>\n", out);
            break;
        }
    }
}
