/**
 * @file html.c
 * @brief The HTML report for security teams: one self-contained file (no
 * script, no external resource) that opens in any browser and can be
 * attached to a ticket. Grouped like the text report by the checklist's
 * sections; every failing finding with its evidence; passing checks folded.
 */
#include "report.h"

#include <string.h>

#ifndef ER_VERSION
#define ER_VERSION "0"
#endif

/* Passing checks listed per rule; the JSON report has every one. */
#define HTML_PASS_MAX 200

#define T(s) report_xml_text(out, (s))

static const char css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}"
    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ccc}"
    ".meta{color:#555}.cards{display:flex;gap:.8em;flex-wrap:wrap;margin:1em 0}"
    ".card{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;min-width:7em}"
    ".card b{display:block;font-size:1.4em}"
    ".rule{margin:.6em 0 .9em}.rule>div{margin-left:1.2em}"
    ".b{display:inline-block;min-width:3.2em;text-align:center;border-radius:4px;padding:0 .3em;"
    "font-weight:600;color:#fff;margin-right:.5em}"
    ".pass{background:#2e7d32}.fail{background:#c62828}.ne{background:#9e7a00}.att{background:#5c6bc0}"
    ".warn{background:#8e24aa}.finding.below{border-left-color:#8e24aa;background:#f7f0fa}"
    ".na{background:#757575}.id{font-family:monospace;font-weight:600;margin-right:.5em}"
    ".sev{font-family:monospace;color:#555;margin-right:.5em}"
    ".finding{border-left:4px solid #c62828;padding:.3em .8em;margin:.5em 0;background:#fdf3f3}"
    ".waived{border-left-color:#9e7a00;background:#fdfaf0}.ne-item{color:#7a5d00}"
    "table.ev{border-collapse:collapse;margin-top:.3em}table.ev td{padding:.1em .6em .1em 0;vertical-align:top}"
    "table.ev td:first-child{color:#666;white-space:nowrap}code{font-size:.92em;word-break:break-all}"
    "details{margin:.3em 0}summary{cursor:pointer;color:#2e7d32}ul.passes{margin:.2em 0;color:#333}"
    "table.q{border-collapse:collapse;width:100%}table.q td{border-top:1px solid #eee;padding:.3em .5em;"
    "vertical-align:top}.new{color:#c62828;font-weight:600}.fixed{color:#2e7d32;font-weight:600}";

static const char *
outcome_class(enum er_outcome o, int below, const char **label)
{
    if (below) {
        *label = "WARN";
        return "warn";
    }
    switch (o) {
    case OUT_PASS:
        *label = "PASS";
        return "pass";
    case OUT_FAIL:
        *label = "FAIL";
        return "fail";
    default:
        *label = "N/E";
        return "ne";
    }
}

static void
ev_row(FILE *out, const char *name, const char *value, int code)
{
    if (!value)
        return;
    fprintf(out, "<tr><td>%s</td><td>%s", name, code ? "<code>" : "");
    T(value);
    fprintf(out, "%s</td></tr>", code ? "</code>" : "");
}

static void
finding_head(FILE *out, const struct finding *f)
{
    if (f->status == ST_FAIL)
        fprintf(out, "<span class=\"sev\">[%s]</span>", sev_name(f->sev));
    T(f->message);
    if (f->circuit && !strstr(f->message, f->circuit)) {
        fputs(" (circuit ", out);
        T(f->circuit);
        fputc(')', out);
    }
}

static void
failing(FILE *out, const struct finding *f, int is_new, int below)
{
    fputs(below ? "<div class=\"finding below\"><span class=\"b warn\">below fail-on</span>" :
            "<div class=\"finding\">", out);
    if (is_new)
        fputs("<span class=\"new\">new</span> ", out);
    finding_head(out, f);
    fputs("<table class=\"ev\">", out);
    ev_row(out, "path", f->path, 1);
    ev_row(out, "seen", f->seen, 0);
    ev_row(out, "expected", f->expected, 0);
    ev_row(out, "source", source_name(f->source), 0);
    ev_row(out, "fix", f->remediation, 0);
    fputs("</table></div>\n", out);
}

static void
rule_block(FILE *out, const struct report_ctx *rc, const struct rule_result *res)
{
    const char *label, *cls = outcome_class(res->outcome, report_rule_below(rc, res), &label);
    size_t i, passes = 0, listed = 0, other = 0;

    fputs("<div class=\"rule\" id=\"", out);
    T(res->id);
    fprintf(out, "\"><span class=\"b %s\">%s</span><span class=\"id\">", cls, label);
    T(res->id);
    fprintf(out, "</span><span class=\"sev\">%s</span>", sev_name(res->sev));
    T(res->title);
    fputs("<div>\n", out);
    for (i = 0; i < rc->f->n; i++) {
        const struct finding *f = &rc->f->v[i];

        if (strcmp(f->rule, res->id))
            continue;
        switch (f->status) {
        case ST_FAIL:
            failing(out, f, report_is_new(rc, i), !report_blocks(rc, f));
            other++;
            break;
        case ST_WAIVED:
            fputs("<div class=\"finding waived\">waived: ", out);
            finding_head(out, f);
            fputs("<table class=\"ev\">", out);
            ev_row(out, "waiver", f->waiver, 0);
            ev_row(out, "path", f->path, 1);
            fputs("</table></div>\n", out);
            other++;
            break;
        case ST_NOT_EVALUATED:
        case ST_ATTESTED:
            fputs("<div class=\"ne-item\">? ", out);
            finding_head(out, f);
            fputs("</div>\n", out);
            other++;
            break;
        case ST_PASS:
            passes++;
            break;
        }
    }
    if (res->outcome == OUT_NOT_EVALUATED && res->reason && !other) {
        fputs("<div class=\"ne-item\">? ", out);
        T(res->reason);
        fputs("</div>\n", out);
    }
    if (passes) {
        fprintf(out, "<details><summary>%zu passing check%s</summary><ul class=\"passes\">", passes,
                passes == 1 ? "" : "s");
        for (i = 0; i < rc->f->n && listed < HTML_PASS_MAX; i++) {
            const struct finding *f = &rc->f->v[i];

            if (f->status != ST_PASS || strcmp(f->rule, res->id))
                continue;
            fputs("<li>", out);
            finding_head(out, f);
            fputs("</li>", out);
            listed++;
        }
        if (passes > listed)
            fprintf(out, "<li>and %zu more (the JSON report lists every one)</li>", passes - listed);
        fputs("</ul></details>\n", out);
    }
    fputs("</div></div>\n", out);
}

static void
drift_block(FILE *out, const struct report_ctx *rc)
{
    const struct hist_drift *d = rc->drift;
    size_t i;

    if (rc->drift_title) {
        /* A pre-change check: the change against running. */
        fprintf(out, "<h2>What %s does</h2>\n<p><span class=\"new\">%zu new</span>, <span class=\"fixed\">%zu "
                "fixed</span> against ", rc->drift_title, d->n_new, d->n_fixed);
        T(d->prev_snapshot);
        fputs(".</p>\n<ul>", out);
        goto items;
    }
    fputs("<h2>Since the last run</h2>\n<p>", out);
    if (!d->have_prev) {
        fputs("This is the first run recorded in ", out);
        T(rc->history);
        fputs(".</p>\n", out);
        return;
    }
    fprintf(out, "<span class=\"new\">%zu new</span>, <span class=\"fixed\">%zu fixed</span> since ", d->n_new,
            d->n_fixed);
    T(d->prev_at);
    fputs(" (snapshot ", out);
    T(d->prev_snapshot);
    fputs(").</p>\n<ul>", out);
items:
    for (i = 0; i < rc->f->n; i++) {
        if (!d->is_new[i])
            continue;
        fprintf(out, "<li><span class=\"new\">new</span> <span class=\"sev\">[%s]</span><span class=\"id\">",
                sev_name(rc->f->v[i].sev));
        T(rc->f->v[i].rule);
        fputs("</span>", out);
        T(rc->f->v[i].message);
        fputs("</li>", out);
    }
    for (i = 0; i < d->n_fixed; i++) {
        fputs("<li><span class=\"fixed\">fixed</span> <span class=\"sev\">[", out);
        T(d->fixed[i].severity);
        fputs("]</span><span class=\"id\">", out);
        T(d->fixed[i].rule);
        fputs("</span>", out);
        T(d->fixed[i].message);
        fputs("</li>", out);
    }
    fputs("</ul>\n", out);
}

static void
questions_block(FILE *out, const struct report_ctx *rc)
{
    static const char *const label[] = {"PASS", "FAIL", "N/E", "ATT", "--", "PARTIAL"};
    static const char *const cls[] = {"pass", "fail", "ne", "att", "na", "ne"};
    size_t i;

    if (!rc->f->n_questions)
        return;
    fputs("<h2>Checklist questions</h2>\n<table class=\"q\">\n", out);
    for (i = 0; i < rc->f->n_questions; i++) {
        const struct question_result *q = &rc->f->questions[i];

        fprintf(out, "<tr><td><span class=\"b %s\">%s</span></td><td class=\"id\">", cls[q->status],
                label[q->status]);
        T(q->id);
        fputs("</td><td>", out);
        T(q->text);
        if (q->rules && *q->rules) {
            fputs("<br><span class=\"meta\">rules: ", out);
            T(q->rules);
            fputs("</span>", out);
        }
        if (q->status == Q_PARTIAL) {
            fputs("<br><span class=\"meta\">partial: ", out);
            T(q->not_evaluated);
            fputs(" not evaluated; the others passed</span>", out);
        }
        if (q->answer) {
            fputs("<br>attested: ", out);
            T(q->answer);
            fputs(" (", out);
            T(q->by);
            fputs(", ", out);
            T(q->date);
            if (q->evidence) {
                fputs("; evidence: ", out);
                T(q->evidence);
            }
            fputc(')', out);
        } else if (q->status == Q_NOT_ANSWERED || q->status == Q_NOT_EVALUATED) {
            fputs("<br><span class=\"meta\">not answered: no data for its rules and no attestation</span>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

er_code
report_html(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    static const enum er_section order[] = {SECT_CLIENT, SECT_WAN, SECT_PEERING, SECT_ASYM, SECT_GEO, SECT_ONPREM};
    struct report_counts c;
    size_t i, k;

    report_count(rc, &c);
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta name=\"generator\" content=\"eraudit %s\">\n<title>ExpressRoute readiness audit: ", ER_VERSION);
    T(rc->snapshot);
    fprintf(out, "</title>\n<style>%s</style></head><body>\n", css);
    fputs("<h1>ExpressRoute readiness audit for Power Platform</h1>\n<p class=\"meta\">snapshot ", out);
    T(rc->snapshot ? rc->snapshot : "(none)");
    if (rc->snapshot_created) {
        fputs(" (", out);
        T(rc->snapshot_created);
        fputc(')', out);
    }
    fprintf(out, ", %zu devices, fail-on %s, report made ", c.devices, sev_name(rc->fail_on));
    T(rc->generated);
    fprintf(out, " by eraudit %s</p>\n<div class=\"cards\">"
            "<div class=\"card\"><b>%d</b>exit code</div><div class=\"card\"><b>%zu</b>failing findings</div>"
            "<div class=\"card\"><b>%zu</b>rules pass</div><div class=\"card\"><b>%zu</b>rules fail</div>"
            "<div class=\"card\"><b>%zu</b>rules warn (below fail-on)</div>"
            "<div class=\"card\"><b>%zu</b>not evaluated</div><div class=\"card\"><b>%zu</b>devices not collected"
            "</div></div>\n", ER_VERSION, rc->exit_code, c.findings, c.passed, c.failed, c.below_fail_on,
            c.not_evaluated, c.not_collected);
    if (rc->drift)
        drift_block(out, rc);
    if (c.not_collected) {
        fprintf(out, "<h2>%s</h2>\n", section_title(SECT_COLLECTION));
        for (i = 0; i < rc->f->n; i++) {
            if (rc->f->v[i].section == SECT_COLLECTION && rc->f->v[i].status == ST_FAIL)
                failing(out, &rc->f->v[i], report_is_new(rc, i), 0);
        }
    }
    for (k = 0; k < sizeof order / sizeof *order; k++) {
        int any = 0;

        for (i = 0; i < rc->f->n_rules; i++) {
            if (rc->f->rules[i].section != order[k])
                continue;
            if (!any++)
                fprintf(out, "<h2>%s</h2>\n", section_title(order[k]));
            rule_block(out, rc, &rc->f->rules[i]);
        }
    }
    questions_block(out, rc);
    fputs("</body></html>\n", out);
    if (ferror(out) || fflush(out))
        return er_set(err, ER_EIO, "cannot write the HTML report");
    return ER_OK;
}
