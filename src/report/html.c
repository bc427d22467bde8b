/**
 * @file html.c
 * @brief The HTML report for security teams: one self-contained file (no
 * script, no external resource, a Content-Security-Policy that forbids both)
 * that opens in any browser, prints, and can be attached to a ticket.
 *
 * Order: the summary (verdict, counts, every critical and high failing
 * finding linked, the rules not evaluated with their reasons), the table of
 * contents, what changed since the last run, devices not collected, the
 * checklist's sections with a block per rule (html_rules.c), the per-device
 * view and the checklist questions (html_views.c).
 */
#include "html.h"

#include <string.h>

#ifndef ER_VERSION
#define ER_VERSION "0"
#endif

/* Critical and high findings linked from the summary; the sections have all. */
#define HTML_TOP_MAX 100

void
html_anchor(FILE *out, const char *prefix, const char *name)
{
    const unsigned char *p = (const unsigned char *)(name ? name : "");

    fputs(prefix, out);
    for (; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                *p == '-')
            fputc(*p, out);
        else
            fprintf(out, "_%02X", *p);
    }
}

void
html_sev(FILE *out, enum er_sev sev, int below)
{
    fprintf(out, "<span class=\"sev s-%s%s\"%s>%s</span>", sev_name(sev), below ? " below" : "",
            below ? " title=\"below fail-on: shown, does not fail the run\"" : "", sev_name(sev));
}

const struct rule_result *
html_rule(const struct report_ctx *rc, const char *id)
{
    size_t i;

    for (i = 0; i < rc->f->n_rules; i++) {
        if (!strcmp(rc->f->rules[i].id, id))
            return &rc->f->rules[i];
    }
    return NULL;
}

enum html_home
html_home(const struct report_ctx *rc, const struct finding *f)
{
    size_t i;

    if (f->section == SECT_COLLECTION)
        return HOME_COLLECTION;
    if (html_rule(rc, f->rule))
        return HOME_RULE;
    for (i = 0; i < rc->f->n_questions; i++) {
        if (!strcmp(rc->f->questions[i].id, f->rule))
            return HOME_QUESTION;
    }
    return HOME_OTHER;
}

const char *
html_outcome(const struct report_ctx *rc, const struct rule_result *res, const char **cls)
{
    if (report_rule_below(rc, res)) {
        *cls = "warn";
        return "WARN";
    }
    switch (res->outcome) {
    case OUT_PASS:
        *cls = "pass";
        return "PASS";
    case OUT_FAIL:
        *cls = "fail";
        return "FAIL";
    default:
        *cls = "ne";
        return "N/E";
    }
}

void
html_finding_ref(FILE *out, const struct report_ctx *rc, size_t i)
{
    const struct finding *f = &rc->f->v[i];
    static const char *const badge[] = {NULL, NULL, "<span class=\"b ne\">N/E</span>",
            "<span class=\"b na\">WAIVED</span>", "<span class=\"b att\">ATTESTED</span>"};

    if (f->status == ST_FAIL || f->status == ST_WAIVED)
        html_sev(out, f->sev, f->status == ST_FAIL && !report_blocks(rc, f));
    if (badge[f->status])
        fputs(badge[f->status], out);
    if (report_is_new(rc, i))
        fputs("<span class=\"tag new\">new</span>", out);
    if (html_home(rc, f) == HOME_RULE) {
        fputs("<a class=\"id\" href=\"#", out);
        html_anchor(out, "", f->rule);
        fputs("\">", out);
        HTML_T(out, f->rule);
        fputs("</a>", out);
    } else {
        fputs("<span class=\"id\">", out);
        HTML_T(out, f->rule);
        fputs("</span>", out);
    }
    fprintf(out, "<a href=\"#f-%zu\">", i + 1);
    HTML_T(out, f->message);
    fputs("</a>", out);
}

static void
verdict(FILE *out, const struct report_ctx *rc, const struct report_counts *c)
{
    const char *fo = sev_name(rc->fail_on);

    if (rc->exit_code == 1) {
        fprintf(out, "<p class=\"verdict v-fail\">Not ready: %zu rule%s fail%s at or above fail-on %s", c->failed,
                c->failed == 1 ? "" : "s", c->failed == 1 ? "s" : "", fo);
        if (c->not_collected)
            fprintf(out, "; %zu device%s not collected", c->not_collected, c->not_collected == 1 ? "" : "s");
    } else if (rc->exit_code == 3) {
        fprintf(out, "<p class=\"verdict\">Incomplete: %zu device%s not collected; nothing collected fails at or "
                "above fail-on %s", c->not_collected, c->not_collected == 1 ? "" : "s", fo);
    } else if (rc->exit_code == 0 && c->not_evaluated) {
        /* Never over-claim: what was not evaluated is not a pass. */
        fprintf(out, "<p class=\"verdict\">Nothing fails at or above fail-on %s, but %zu rule%s could not be "
                "evaluated (listed below)", fo, c->not_evaluated, c->not_evaluated == 1 ? "" : "s");
    } else if (rc->exit_code == 0) {
        fprintf(out, "<p class=\"verdict v-pass\">Ready: every rule was evaluated and nothing fails at or above "
                "fail-on %s", fo);
    } else {
        fprintf(out, "<p class=\"verdict\">Exit code %d", rc->exit_code);
    }
    fprintf(out, " (exit %d).</p>\n", rc->exit_code);
}

/* The failing findings of severity @p sev, at most @p room of them; returns how many were listed. */
static size_t
top_findings(FILE *out, const struct report_ctx *rc, enum er_sev sev, size_t room)
{
    size_t i, n = 0;

    for (i = 0; i < rc->f->n; i++) {
        if (rc->f->v[i].status != ST_FAIL || rc->f->v[i].sev != sev)
            continue;
        if (n < room) {
            fputs("<li>", out);
            html_finding_ref(out, rc, i);
            fputs("</li>\n", out);
            n++;
        }
    }
    return n;
}

static void
summary(FILE *out, const struct report_ctx *rc, const struct report_counts *c)
{
    size_t i, n_top = 0, shown = 0, q[6] = {0};
    /* Critical and high; down to fail-on when it is lower, so all that fails the run is here. */
    enum er_sev floor = rc->fail_on < SEV_HIGH ? rc->fail_on : SEV_HIGH;
    int s;
    static const char *const qlabel[] = {"pass", "fail", "not evaluated", "attested", "not answered", "partial"};

    fputs("<section id=\"summary\"><h2>Summary</h2>\n", out);
    verdict(out, rc, c);
    fprintf(out, "<div class=\"cards\">"
            "<div class=\"card\"><b>%d</b>exit code</div><div class=\"card\"><b>%zu</b>failing findings</div>"
            "<div class=\"card\"><b>%zu</b>rules pass</div><div class=\"card\"><b>%zu</b>rules fail</div>"
            "<div class=\"card\"><b>%zu</b>rules warn (below fail-on)</div>"
            "<div class=\"card\"><b>%zu</b>not evaluated</div><div class=\"card\"><b>%zu</b>devices not collected"
            "</div></div>\n", rc->exit_code, c->findings, c->passed, c->failed, c->below_fail_on, c->not_evaluated,
            c->not_collected);
    fputs("<p class=\"legend\">Severity: ", out);
    for (i = SEV_CRITICAL + 1; i-- > SEV_INFO;)
        html_sev(out, (enum er_sev)i, 0);
    fputs("; a dashed badge ", out);
    html_sev(out, SEV_MEDIUM, 1);
    fprintf(out, "is a finding below fail-on %s: shown, it does not fail the run.</p>\n", sev_name(rc->fail_on));
    for (i = 0; i < rc->f->n; i++)
        n_top += rc->f->v[i].status == ST_FAIL && rc->f->v[i].sev >= floor;
    if (floor == SEV_HIGH)
        fprintf(out, "<h3 id=\"top\">Critical and high findings (%zu)</h3>\n", n_top);
    else
        fprintf(out, "<h3 id=\"top\">Findings at or above fail-on %s (%zu)</h3>\n", sev_name(floor), n_top);
    if (n_top) {
        fputs("<ul class=\"refs\">\n", out);
        for (s = SEV_CRITICAL; s >= (int)floor; s--)
            shown += top_findings(out, rc, (enum er_sev)s, shown < HTML_TOP_MAX ? HTML_TOP_MAX - shown : 0);
        if (n_top > HTML_TOP_MAX)
            fprintf(out, "<li>and %zu more in the sections below</li>\n", n_top - HTML_TOP_MAX);
        fputs("</ul>\n", out);
    } else {
        fprintf(out, "<p>No finding of severity %s or above fails.</p>\n", sev_name(floor));
    }
    if (c->not_evaluated) {
        fprintf(out, "<h3 id=\"not-evaluated\">Not evaluated (%zu rule%s)</h3>\n<ul class=\"refs\">\n",
                c->not_evaluated, c->not_evaluated == 1 ? "" : "s");
        for (i = 0; i < rc->f->n_rules; i++) {
            const struct rule_result *r = &rc->f->rules[i];

            if (r->outcome != OUT_NOT_EVALUATED)
                continue;
            fputs("<li><span class=\"b ne\">N/E</span><a class=\"id\" href=\"#", out);
            html_anchor(out, "", r->id);
            fputs("\">", out);
            HTML_T(out, r->id);
            fputs("</a><span class=\"reason\">", out);
            HTML_T(out, r->reason ? r->reason : "no reason recorded; see the rule");
            fputs("</span></li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    if (rc->f->n_questions) {
        int first = 1;

        for (i = 0; i < rc->f->n_questions; i++)
            q[rc->f->questions[i].status]++;
        fprintf(out, "<p>Checklist: %zu questions, ", rc->f->n_questions);
        for (i = 0; i < 6; i++) {
            if (q[i]) {
                fprintf(out, "%s%zu %s", first ? "" : ", ", q[i], qlabel[i]);
                first = 0;
            }
        }
        fputs(" (<a href=\"#checklist\">answers</a>).</p>\n", out);
    }
    fputs("</section>\n", out);
}

static void
toc(FILE *out, const struct report_ctx *rc, const struct report_counts *c, int collection)
{
    fputs("<nav id=\"toc\" aria-label=\"Contents\"><h2>Contents</h2><ol>\n"
          "<li><a href=\"#summary\">Summary</a></li>\n", out);
    if (rc->drift)
        fputs("<li><a href=\"#drift\">Since the last run</a></li>\n", out);
    if (collection)
        fprintf(out, "<li><a href=\"#collection\">%s</a> (%zu)</li>\n", section_title(SECT_COLLECTION),
                c->not_collected);
    html_sections_toc(out, rc);
    fputs("<li><a href=\"#devices\">Devices</a></li>\n", out);
    if (rc->f->n_questions)
        fputs("<li><a href=\"#checklist\">Checklist questions</a></li>\n", out);
    fputs("</ol></nav>\n", out);
}

static void
drift(FILE *out, const struct report_ctx *rc)
{
    const struct hist_drift *d = rc->drift;
    size_t i;

    if (rc->drift_title) {
        /* A pre-change check: the change against running. */
        fprintf(out, "<section id=\"drift\"><h2>What %s does</h2>\n<p><span class=\"tag new\">%zu new</span> "
                "<span class=\"fixed\">%zu fixed</span> against ", rc->drift_title, d->n_new, d->n_fixed);
        HTML_T(out, d->prev_snapshot);
        fputs(".</p>\n<ul class=\"refs\">", out);
        goto items;
    }
    fputs("<section id=\"drift\"><h2>Since the last run</h2>\n<p>", out);
    if (!d->have_prev) {
        fputs("This is the first run recorded in ", out);
        HTML_T(out, rc->history);
        fputs(".</p></section>\n", out);
        return;
    }
    fprintf(out, "<span class=\"tag new\">%zu new</span> <span class=\"fixed\">%zu fixed</span> since ", d->n_new,
            d->n_fixed);
    HTML_T(out, d->prev_at);
    fputs(" (snapshot ", out);
    HTML_T(out, d->prev_snapshot);
    fputs(").</p>\n<ul class=\"refs\">", out);
items:
    for (i = 0; i < rc->f->n; i++) {
        if (!d->is_new[i])
            continue;
        fputs("<li>", out);
        html_finding_ref(out, rc, i);
        fputs("</li>\n", out);
    }
    for (i = 0; i < d->n_fixed; i++) {
        fputs("<li><span class=\"fixed\">fixed</span> <span class=\"sev s-", out);
        html_anchor(out, "", d->fixed[i].severity);
        fputs("\">", out);
        HTML_T(out, d->fixed[i].severity);
        fputs("</span><span class=\"id\">", out);
        HTML_T(out, d->fixed[i].rule);
        fputs("</span>", out);
        HTML_T(out, d->fixed[i].message);
        fputs("</li>\n", out);
    }
    fputs("</ul></section>\n", out);
}

/* Devices not collected (and any other finding about collection), fix once. */
static void
collection(FILE *out, const struct report_ctx *rc)
{
    size_t i;

    fprintf(out, "<section id=\"collection\"><h2>%s</h2>\n", section_title(SECT_COLLECTION));
    html_fix(out, rc, NULL, HOME_COLLECTION);
    for (i = 0; i < rc->f->n; i++) {
        if (rc->f->v[i].section == SECT_COLLECTION)
            html_finding(out, rc, i);
    }
    fputs("</section>\n", out);
}

er_code
report_html(FILE *out, const struct report_ctx *rc, struct er_err *err)
{
    struct report_counts c;
    int any_collection = 0;
    size_t i;
    er_code code;

    report_count(rc, &c);
    for (i = 0; i < rc->f->n; i++)
        any_collection |= rc->f->v[i].section == SECT_COLLECTION;
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"eraudit %s\">\n<title>ExpressRoute readiness audit: ", ER_VERSION);
    HTML_T(out, rc->snapshot);
    fprintf(out, "</title>\n<style>%s</style></head><body>\n", html_css);
    fputs("<header><h1>ExpressRoute readiness audit for Power Platform</h1>\n<p class=\"meta\">snapshot ", out);
    HTML_T(out, rc->snapshot ? rc->snapshot : "(none)");
    if (rc->snapshot_created) {
        fputs(" (", out);
        HTML_T(out, rc->snapshot_created);
        fputc(')', out);
    }
    fprintf(out, ", %zu devices, fail-on %s, report made ", c.devices, sev_name(rc->fail_on));
    HTML_T(out, rc->generated);
    fprintf(out, " by eraudit %s</p></header>\n<main>\n", ER_VERSION);
    summary(out, rc, &c);
    toc(out, rc, &c, any_collection);
    if (rc->drift)
        drift(out, rc);
    if (any_collection)
        collection(out, rc);
    html_sections(out, rc);
    code = html_devices(out, rc, err);
    if (code)
        return code;
    html_questions(out, rc);
    fputs("</main>\n</body></html>\n", out);
    if (ferror(out) || fflush(out))
        return er_set(err, ER_EIO, "cannot write the HTML report");
    return ER_OK;
}
